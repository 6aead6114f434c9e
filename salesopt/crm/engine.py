"""The embedded engine: every in-process DuckDB database salesopt opens comes from :func:`connect`.

DuckDB runs its own worker threads. A database still open while the interpreter tears itself
down can take the process with it ("terminate called ... exception not rethrown"), so the ones
still open are closed at exit, before Python finalizes its modules."""

from __future__ import annotations

import atexit
import threading
import weakref

import duckdb

_open: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()
_lock = threading.Lock()


def connect() -> duckdb.DuckDBPyConnection:
    """A new in-memory database, closed at exit if it is still open then."""
    con = duckdb.connect()
    with _lock:
        _open.add(con)
    return con


@atexit.register
def _close_all() -> None:
    with _lock:
        cons = list(_open)
    for con in cons:
        try:
            con.close()
        except duckdb.Error:
            pass
