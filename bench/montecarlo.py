"""Monte Carlo speed and memory, and the what-if page's rerun after a lever change.

    .venv/bin/python bench/montecarlo.py [--trials 10000] [--deals 10000]

Times, in one run: numpy drawing trials x deals uniforms (float64 in one array; float64 and float32
in the same chunks salesopt uses) and salesopt.forecast.montecarlo.simulate on the same sizes; reports the
ratio to the fastest plain draw and the peak memory the simulation adds (tracemalloc). Then times an
AppTest rerun of the What-if page after a lever change on the demo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from salesopt.forecast.montecarlo import CHUNK_CELLS, simulate

ROOT = Path(__file__).resolve().parent.parent


def best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def draw_chunked(trials: int, deals: int, dtype) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    rows = max(1, CHUNK_CELLS // deals)
    for start in range(0, trials, rows):
        rng.random((min(rows, trials - start), deals), dtype=dtype)


def whatif_rerun() -> float:
    from streamlit.testing.v1 import AppTest

    os.environ["SALESOPT_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.button(key="home.demo").click().run()
    at.switch_page("app_pages/whatif.py").run()
    times = []
    for value in (5, 10, 15, 20, 25, 30, 35):
        at.slider(key="whatif.volume").set_value(value)
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
        assert not at.exception
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--deals", type=int, default=10_000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    amounts, p = rng.lognormal(10.8, 0.5, args.deals), rng.random(args.deals)
    cells = args.trials * args.deals
    one_shot = best(lambda: np.random.default_rng(0).random(cells), repeat=1)
    chunk64 = best(lambda: draw_chunked(args.trials, args.deals, np.float64))
    chunk32 = best(lambda: draw_chunked(args.trials, args.deals, np.float32))
    sim = best(lambda: simulate(amounts, p, args.trials, seed=0))
    tracemalloc.start()
    runs = simulate(amounts, p, args.trials, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    fastest = min(one_shot, chunk64, chunk32)
    print(f"{args.trials:,} trials x {args.deals:,} deals = {cells:,} draws")
    print(f"  numpy uniforms, one float64 array ({cells * 8 / 1e9:.1f} GB): {one_shot:.2f} s")
    print(f"  numpy uniforms, float64 in chunks: {chunk64:.2f} s;  float32 in chunks: {chunk32:.2f} s")
    print(f"  salesopt simulate: {sim:.2f} s = {sim / fastest:.2f}x the fastest plain draw (target 2x)")
    print(f"  simulate peak extra memory: {peak / 1e6:.0f} MB (chunks of {CHUNK_CELLS:,} draws)")
    print(
        f"  mean {runs.mean():,.0f} vs exact {(amounts * p).sum():,.0f}; sd {runs.std():,.0f} vs exact "
        f"{np.sqrt((p * (1 - p) * amounts**2).sum()):,.0f}"
    )
    print(
        f"  What-if page rerun after a lever change (AppTest, demo): median {whatif_rerun() * 1000:.0f} ms "
        "(target 100 ms)"
    )


if __name__ == "__main__":
    main()
