"""Stage 2 at scale: a 1,000,000-row CRM export, salesopt against DuckDB, measured in one run.

    .venv/bin/python bench/import_1m.py [--rows 1000000]

1. Generates the demo's CRM export with N rows (15 columns, amounts as "$12,345.00" text,
   dates as text) once into bench/results/ (reused while the row count is the same).
2. In a fresh subprocess each, times
   - salesopt: read + import (parse money, dates, probability) + stage mapping + the full
     Stage 2 analysis + the owner cohort table;
   - DuckDB: read the same CSV and compute the same counts, sums and medians (deals per stage
     and status, won amount sum and mean, open pipeline, median and mean won cycle, per-owner
     counts and won means);
   and reports wall time and peak resident memory of each, and the ratio.
3. Times an AppTest rerun of the Stage 2 page after a widget change with that data loaded.
Needs duckdb (pip install duckdb); it is not a dependency of salesopt.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

SALESOPT = """
import time, json, resource
t0 = time.perf_counter()
from salesopt.crm import read_table, import_opportunities
from salesopt.pipeline import stage_map_for, evaluate
raw = open({path!r}, "rb").read()
imp = import_opportunities(read_table(raw, "crm.csv"), name="crm.csv")
r = evaluate(imp, stage_map_for(imp))
owners = r.cohort("owner")
a = r.analysis
print(json.dumps({{"seconds": time.perf_counter() - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "won": a.won, "lost": a.lost, "open": a.open, "won_sum": a.won_revenue, "pipeline": a.pipeline_value,
                  "cycle_median": a.cycle_days_median, "owners": len(owners)}}))
"""

DUCKDB = """
import time, json, resource
t0 = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute(\"\"\"
  create temp table d as select
    "Stage" as stage, "Opportunity Owner" as owner,
    try_cast(replace(replace("Amount", '$', ''), ',', '') as double) as amount,
    try_cast("Created Date" as date) as created, try_cast("Close Date" as date) as closed,
    case when "Stage" = 'Closed Won' then 'won' when "Stage" = 'Closed Lost' then 'lost' else 'open' end as status
  from read_csv({path!r}, all_varchar = true)\"\"\")
totals = con.execute(\"\"\"select
    count(*) filter (where status = 'won'), count(*) filter (where status = 'lost'), count(*) filter (where status = 'open'),
    sum(amount) filter (where status = 'won'), avg(amount) filter (where status = 'won'),
    sum(amount) filter (where status = 'open'),
    median(date_diff('day', created, closed)) filter (where status = 'won'),
    avg(date_diff('day', created, closed)) filter (where status = 'won')
  from d\"\"\").fetchone()
stages = con.execute("select stage, count(*) from d group by stage").fetchall()
owners = con.execute(\"\"\"select owner, count(*), count(*) filter (where status = 'won'),
    count(*) filter (where status = 'lost'), avg(amount) filter (where status = 'won') from d group by owner\"\"\").fetchall()
print(json.dumps({{"seconds": time.perf_counter() - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "won": totals[0], "lost": totals[1], "open": totals[2], "won_sum": totals[3], "pipeline": totals[5],
                  "cycle_median": totals[6], "owners": len(owners)}}))
"""


def export(rows: int) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"crm_{rows}.csv"
    if not path.exists():
        from salesopt.demo import demo_crm_csv

        t = time.perf_counter()
        path.write_bytes(demo_crm_csv(rows, seed=11))
        print(f"generated {path.name}: {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t:.1f} s")
    return path


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def rerun_time(path: Path) -> tuple[float, float]:
    """Seconds for the first Stage 2 page run (import included) and the median of reruns after a widget change."""
    from streamlit.testing.v1 import AppTest

    from salesopt.assessment import CrmSource
    from salesopt.demo import demo_assessment
    from salesopt.storage import Store

    folder = tempfile.mkdtemp(prefix="salesopt-bench-")
    url = f"sqlite:///{folder}/bench.db"
    os.environ["SALESOPT_DATABASE_URL"] = url
    store = Store(url)
    data = path.read_bytes()
    digest = store.put_file(data, path.name)
    demo = demo_assessment()
    crm = CrmSource(sha256=digest, name=path.name, size=len(data))
    _, token = store.create(demo.model_copy(update={"funnel": demo.funnel.model_copy(update={"crm": crm})}))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    at.query_params["a"] = token
    at.run()
    at.switch_page("pages/funnel.py")
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    times = []
    for value in ["value", "count", "value", "count", "value"]:
        at.segmented_control(key="funnel.pipeline_by").set_value(value)
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
        assert not at.exception, at.exception
    times.sort()
    return first, times[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    path = export(args.rows)
    ours = run(SALESOPT.format(path=str(path)))
    duck = run(DUCKDB.format(path=str(path)))
    print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB")
    for name, r in (("salesopt", ours), ("duckdb", duck)):
        print(
            f"  {name:9s} {r['seconds']:6.2f} s   peak RSS {r['peak_mb']:7.0f} MB   won {r['won']:,} lost {r['lost']:,} "
            f"open {r['open']:,}  won sum {r['won_sum']:,.0f}  median won cycle {r['cycle_median']}"
        )
    print(f"  ratio salesopt / duckdb: {ours['seconds'] / duck['seconds']:.2f}x (target 1.5x)")
    same = all(
        abs((ours[k] or 0) - (duck[k] or 0)) < 1e-6 * max(1, abs(duck[k] or 0))
        for k in ("won", "lost", "open", "won_sum", "pipeline", "cycle_median", "owners")
    )
    print(f"  same figures: {same}")
    first, rerun = rerun_time(path)
    print(
        f"  Stage 2 page (AppTest): first run {first:.2f} s (import + analysis), rerun after a widget change "
        f"median {rerun * 1000:.0f} ms (target 300 ms)"
    )
    print(f"  this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
