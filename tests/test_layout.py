"""README's layout table matches the tree: every path it names exists, and every package of
salesopt/ and every top-level folder of code is named in it."""

from __future__ import annotations

import re

from tests.helpers import ROOT


def _table_paths() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)


def test_every_path_in_the_layout_table_exists():
    paths = _table_paths()
    assert len(paths) >= 10
    for path in paths:
        assert list(ROOT.glob(path.rstrip("/"))), f"README names {path}, which is not in the tree"


def test_every_package_is_in_the_layout_table():
    named = {p.rstrip("/") for p in _table_paths()}
    packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "salesopt").rglob("__init__.py")}
    assert packages - {"salesopt"} <= named, f"missing from README's layout: {sorted(packages - named)}"
    for top in ("app_pages", "ui", "frameworks", "tests", "bench", "streamlit_app.py"):
        assert top in named


def test_no_folder_named_pages_beside_the_entry_script():
    # Streamlit shows its own menu of page file names (the hidden admin page included) to a visitor
    # who opens a deep link first whenever a folder named pages sits beside the entry script
    assert (ROOT / "streamlit_app.py").is_file() and not (ROOT / "pages").exists()
