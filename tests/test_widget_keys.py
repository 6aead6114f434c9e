"""Every input widget in ui/ and app_pages/ has a key: the registry of key prefixes (ui/state.py) can
then clear them on a switch, reload, resume or duplicate, and no widget's identity hangs on its label."""

from __future__ import annotations

import ast

import pytest

from tests.helpers import ROOT

WIDGETS = {
    "button",
    "checkbox",
    "color_picker",
    "data_editor",
    "date_input",
    "download_button",
    "file_uploader",
    "form_submit_button",
    "multiselect",
    "number_input",
    "pills",
    "radio",
    "segmented_control",
    "select_slider",
    "selectbox",
    "slider",
    "text_area",
    "text_input",
    "time_input",
    "toggle",
}
FILES = sorted([*ROOT.joinpath("ui").glob("*.py"), *ROOT.joinpath("app_pages").glob("*.py")])


def _unkeyed(source: str) -> list[str]:
    calls = [
        n
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in WIDGETS
    ]
    # a **kwargs spread carries the key in the widgets that build their arguments once
    return [f"{n.lineno}: {n.func.attr}" for n in calls if not any(k.arg in ("key", None) for k in n.keywords)]


def test_the_check_finds_an_unkeyed_widget():
    assert _unkeyed('st.button("Go")\nst.button("Go", key="k")\nst.text_input("x", **kw)') == ["1: button"]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_widget_is_keyed(path):
    assert _unkeyed(path.read_text(encoding="utf-8")) == []
