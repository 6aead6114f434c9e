"""A process killed in the middle of saving leaves the database consistent (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from salesopt.assessment import Assessment
from salesopt.storage import Store

WRITER = """
import sys
from salesopt.storage import Store
store = Store(sys.argv[1])
aid = sys.argv[2]
print("ready", flush=True)
while True:
    current = store.load(aid)
    n = current.assessment.context.answers["rep_count"]
    big = "x" * 200_000  # a large answer makes each save take long enough to be interrupted
    store.save(current.assessment.with_answer("context", "rep_count", n + 1).with_answer("context", "products", big),
               current.version)
"""


@pytest.mark.parametrize("kill_after", [0.3, 0.7, 1.1])
def test_a_killed_writer_leaves_every_saved_version_whole(db_url, kill_after):
    store = Store(db_url)
    stored, _ = store.create(Assessment().with_answer("context", "rep_count", 0))
    aid = stored.assessment.id
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url, aid], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(kill_after)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    after = store.load(aid)  # loads: the row is whole, JSON intact
    assert after.version >= 2, "the writer saved nothing before it was killed; raise kill_after"
    # every committed save bumped the version and the counter together: none half-applied
    assert after.assessment.context.answers["rep_count"] == after.version - 1
    if db_url.startswith("sqlite"):
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    store.save(after.assessment.with_answer("context", "rep_count", after.version), after.version)  # still writable
    store.dispose()
