"""The typed import kept on disk by the file's SHA-256 and the import options, as Parquet beside
the database: a rerun, a page switch or a restart reads it back instead of parsing the export
again. Each entry carries a manifest with the cache version and every file's SHA-256; an entry
that is damaged, foreign (another version, a file added or changed) or unreadable is never read:
it is removed and rebuilt from the stored upload."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb

from salesopt.crm import engine
from salesopt.crm.importer import CellIssue, ImportReport, ImportResult
from salesopt.crm.read import Rejected
from salesopt.crm.values import lit

VERSION = "3"  # bump when the typed table or the report changes shape (2: the CRM profile; 3: the checksummed manifest)
MANIFEST = "manifest.json"


def key(*parts: object) -> str:
    """A cache key from the file's SHA-256 and the import options."""
    return hashlib.sha256(json.dumps([VERSION, *parts], sort_keys=True, default=str).encode()).hexdigest()[:32]


def _report_from(data: dict[str, Any]) -> ImportReport:
    data = dict(data)
    data["rejected"] = [Rejected(**r) for r in data["rejected"]]
    data["cells_emptied"] = [CellIssue(**c) for c in data["cells_emptied"]]
    data["currencies"] = tuple(data["currencies"])
    for name in ("won_stages", "lost_stages"):
        data[name] = tuple(data.get(name, ()))
    return ImportReport(**data)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _manifest(folder: Path) -> dict[str, Any]:
    return {
        "version": VERSION,
        "files": {p.name: _digest(p) for p in sorted(folder.iterdir()) if p.name != MANIFEST},
    }


def verified(folder: Path) -> bool:
    """True when the entry's manifest is this version's and every file matches its checksum
    (no file missing, none added)."""
    try:
        stored = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return isinstance(stored, dict) and stored == _manifest(folder)
    except (OSError, ValueError):
        return False


def _discard(folder: Path) -> None:
    """Move a damaged entry aside and delete it, so the rebuilt one can take its place."""
    aside = folder.with_name(f".bad-{folder.name}-{os.getpid()}-{threading.get_ident()}")
    try:
        os.replace(folder, aside)
    except OSError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def load(folder: Path) -> ImportResult | None:
    """The entry in ``folder`` when it is there and verified; a damaged or foreign one is
    removed (None: the caller imports the stored upload again)."""
    deals, report = folder / "deals.parquet", folder / "report.json"
    if not folder.is_dir():
        return None
    if not (deals.is_file() and report.is_file()) or not verified(folder):
        _discard(folder)
        return None
    try:
        rep = _report_from(json.loads(report.read_text(encoding="utf-8")))
        con = engine.connect()
        con.execute(f"create table deals as select * from read_parquet({lit(str(deals))})")
        for name in ("history", "issues"):
            path = folder / f"{name}.parquet"
            if path.is_file():
                con.execute(f"create table {name} as select * from read_parquet({lit(str(path))})")
        columns = tuple(json.loads((folder / "columns.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, duckdb.Error):
        _discard(folder)
        return None
    return ImportResult(con, rep, columns)


def save(result: ImportResult, folder: Path) -> None:
    """Write the import (atomically: a half-written entry is never read)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    try:
        for name in ("deals", "history", "issues"):
            if name == "deals" or result.has_table(name):
                result.sql(f"copy {name} to {lit(str(work / (name + '.parquet')))} (format parquet)")
        (work / "report.json").write_text(json.dumps(asdict(result.report), default=list), encoding="utf-8")
        (work / "columns.json").write_text(json.dumps(list(result.columns)), encoding="utf-8")
        (work / MANIFEST).write_text(json.dumps(_manifest(work)), encoding="utf-8")
        os.replace(work, folder)
    except (OSError, duckdb.Error):
        for p in work.glob("*"):
            p.unlink(missing_ok=True)
        work.rmdir()


def _save_later(result: ImportResult, folder: Path, delay: float = 8.0) -> None:
    time.sleep(delay)  # after the first figures are drawn: they need the two cores more
    save(result, folder)


def cached(folder: Path, make: Callable[[], ImportResult], *, background: bool = False) -> ImportResult:
    """The import from ``folder`` when it is there, else ``make()`` saved there (in a background
    thread with ``background``: the figures need not wait for the copy kept for a restart)."""
    found = load(folder)
    if found is not None:
        return found
    result = make()
    if background:
        # daemon=False said outright: a thread inherits "daemon" from the one that starts it (the
        # app's script thread is one), and a daemon killed at exit mid-DuckDB aborts the process
        threading.Thread(target=_save_later, args=(result, folder), name="salesopt-cache", daemon=False).start()
    else:
        save(result, folder)
    return result
