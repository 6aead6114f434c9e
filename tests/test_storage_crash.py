"""A process killed in the middle of saving leaves the database consistent (SQLite and PostgreSQL).

The writer says when it starts each save; the test kills it on that event (no sleeps), so the kill
lands inside the n-th save, whatever the speed of the machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import text

from salesopt.model.assessment import Assessment
from salesopt.storage import Store

WRITER = """
import sys
from salesopt.storage import Store
store = Store(sys.argv[1])
aid = sys.argv[2]
big = "x" * 200_000  # a large answer makes each save take long enough to be interrupted
while True:
    current = store.load(aid)
    n = current.assessment.context.answers["rep_count"]
    changed = current.assessment.with_answer("context", "rep_count", n + 1).with_answer("context", "products", big)
    print(f"saving {n + 1}", flush=True)
    store.save(changed, current.version)
"""


def _wait_for(proc: subprocess.Popen[str], line: str) -> None:
    """Read the writer's lines until ``line`` (fails if the writer ends first)."""
    assert proc.stdout is not None
    for got in iter(proc.stdout.readline, ""):
        if got.strip() == line:
            return
    pytest.fail(f"the writer ended before '{line}' (exit code {proc.wait(timeout=10)})")


@pytest.mark.parametrize("kill_in_save", [2, 3, 5])
def test_a_killed_writer_leaves_every_saved_version_whole(db_url, kill_in_save):
    store = Store(db_url)
    stored, _ = store.create(Assessment().with_answer("context", "rep_count", 0))
    aid = stored.assessment.id
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url, aid], stdout=subprocess.PIPE, text=True)
    _wait_for(proc, f"saving {kill_in_save}")  # saves 1 .. n-1 are committed; the n-th has begun
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    after = store.load(aid)  # loads: the row is whole, JSON intact
    # the n-1 saves before the n-th began are in (a busy machine may let the writer run a save further)
    assert after.version >= kill_in_save
    # every committed save bumped the version and the counter together: none half-applied
    assert after.assessment.context.answers["rep_count"] == after.version - 1
    if db_url.startswith("sqlite"):
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    store.save(after.assessment.with_answer("context", "rep_count", after.version), after.version)  # still writable
    store.dispose()
