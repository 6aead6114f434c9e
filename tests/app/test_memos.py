"""What the pages draw from an evaluation is remembered beside it, never written onto it."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from ui import uploads

ROOT = Path(__file__).resolve().parents[2]


class _Owner:
    """Stands in for an evaluation (any object that can be weakly referenced)."""


def test_remember_makes_a_value_once_per_owner_and_key_and_forgets_it_with_the_owner():
    calls: list[str] = []

    def make(tag: str) -> str:
        calls.append(tag)
        return tag.upper()

    a, b = _Owner(), _Owner()
    assert uploads.remember(a, ("x", 1), lambda: make("a1")) == "A1"
    assert uploads.remember(a, ("x", 1), lambda: make("again")) == "A1"  # remembered
    assert uploads.remember(a, ("x", 2), lambda: make("a2")) == "A2"
    assert uploads.remember(b, ("x", 1), lambda: make("b1")) == "B1"  # another owner, its own
    assert calls == ["a1", "a2", "b1"]
    held = uploads._memos().by_owner
    assert a in held and b in held
    del a
    gc.collect()
    assert len([o for o in held if isinstance(o, _Owner)]) == 1  # the first owner's memos went with it


def test_no_page_writes_memos_onto_a_core_result():
    # a private method called on a core object from ui/ or app_pages/ (as result._remember(...) was)
    private_call = re.compile(r"\b(result|imported|memo|analysis|base|cal)\._[a-z]\w*\(")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("ui", "app_pages")
        for path in sorted((ROOT / folder).glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private_call.search(line)
    ]
    assert not found, found
