"""The typed Parquet cache is verified (issue 22): a damaged or foreign entry is never read; it is
rebuilt from the stored upload and gives the same figures as a fresh import."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest

from salesopt.crm import cache, import_opportunities, read_table
from salesopt.demo import demo_crm_csv


@pytest.fixture(scope="module")
def upload() -> bytes:
    return demo_crm_csv()


def _fresh(raw: bytes):
    return import_opportunities(read_table(raw, "demo.csv"), name="demo.csv")


def _figures(result) -> tuple[pd.DataFrame, str]:
    deals = result.sql("select * from deals order by line").df()
    return deals, json.dumps(result.report.__dict__, default=str, sort_keys=True)


def _damage(folder: Path, rng: random.Random) -> str:
    target = rng.choice(sorted(p for p in folder.iterdir()))
    data = bytearray(target.read_bytes())
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data))
        data[at] ^= rng.randint(1, 255)
    target.write_bytes(bytes(data))
    return target.name


def test_an_intact_entry_is_read_back_and_verified(tmp_path, upload):
    folder = tmp_path / "entry"
    made = []
    first = cache.cached(folder, lambda: made.append(1) or _fresh(upload))
    assert cache.verified(folder)
    again = cache.cached(folder, lambda: made.append(1) or _fresh(upload))
    assert made == [1]  # the second read came from the cache
    pd.testing.assert_frame_equal(_figures(again)[0], _figures(first)[0])


def test_random_damage_to_an_entry_is_rebuilt_into_the_same_figures(tmp_path, upload):
    expected_deals, expected_report = _figures(_fresh(upload))
    rng = random.Random(22)
    folder = tmp_path / "entry"
    cache.save(_fresh(upload), folder)
    damaged = set()
    rebuilt: list[int] = []
    for n in range(1, 41):
        damaged.add(_damage(folder, rng))
        result = cache.cached(folder, lambda: rebuilt.append(1) or _fresh(upload))
        assert len(rebuilt) == n  # the damaged entry was not read
        deals, report = _figures(result)
        pd.testing.assert_frame_equal(deals, expected_deals)
        assert report == expected_report
        assert cache.verified(folder)  # and a good entry took its place
    assert {"deals.parquet", "report.json", "manifest.json"} <= damaged


def test_a_foreign_entry_is_not_read(tmp_path, upload):
    folder = tmp_path / "entry"
    cache.save(_fresh(upload), folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["version"] = "1"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert cache.load(folder) is None
    assert not folder.exists()
    cache.save(_fresh(upload), folder)
    (folder / "manifest.json").unlink()  # an entry from before checksums
    assert cache.load(folder) is None
