"""No arithmetic on deal columns in ui/ or app_pages/: every sum, mean, count, grouping and division
over deal data or a result frame is computed in salesopt (where it is unit-tested), and the page
only draws it. Layout arithmetic (``len(cols) + 1``, a slider's percent / 100) stays allowed.

The rule, on the syntax tree of every .py file in ui/ and app_pages/:
- an aggregation method call (``.sum(``, ``.mean(``, ``.median(``, ``.groupby(``, ``.value_counts(``,
  ...) anywhere; ``.count(`` when it is pandas' (no argument, or on a column): ``str.count(x)`` and
  ``list.count(x)`` take one;
- arithmetic (+ - * / // % **, also augmented) with an operand that is frame-like: a column
  (``reps["won"]``), ``.loc``/``.iloc`` or a boolean mask (``deals[deals["status"] == "open"]``), a
  method chain on one (``reps["won"].fillna(0)``), or an aggregation's result;
- the builtin ``sum``/``min``/``max`` over something frame-like (``sum(q for q in reps["quota"])``).
Text joined to text (``"Tracked: " + names``) is not arithmetic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

AGGREGATES = {
    "sum",
    "mean",
    "median",
    "groupby",
    "value_counts",
    "cumsum",
    "cumprod",
    "agg",
    "aggregate",
    "std",
    "var",
    "nunique",
    "quantile",
    "prod",
    "min",
    "max",
}
ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
INDEXERS = {"loc", "iloc", "at", "iat"}
BUILTINS = {"sum", "min", "max"}
FILES = sorted([*ROOT.joinpath("ui").glob("*.py"), *ROOT.joinpath("app_pages").glob("*.py")])


def _is_session_state(node: ast.expr) -> bool:
    """``st.session_state[...]``: a widget's value (what a person typed), not a deal column."""
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def _is_aggregate(node: ast.expr) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    name = node.func.attr
    if name in AGGREGATES:
        return True
    return name == "count" and (not node.args or _frame_like(node.func.value))


def _frame_like(node: ast.expr) -> bool:
    """A deal column, a selection of deals, or a figure computed from them."""
    if isinstance(node, ast.Subscript):
        if _is_session_state(node.value):
            return False
        if isinstance(node.value, ast.Attribute) and node.value.attr in INDEXERS:
            return True
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return True  # a column: reps["won"], r["quota"]
        if isinstance(key, (ast.Compare, ast.BoolOp)) or (
            isinstance(key, ast.BinOp) and isinstance(key.op, (ast.BitAnd, ast.BitOr))
        ):
            return True  # a boolean mask: deals[deals["status"] == "open"]
        return _frame_like(node.value)
    if _is_aggregate(node):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _frame_like(node.func.value)  # a method chain on a column: reps["won"].fillna(0)
    if isinstance(node, ast.Attribute):
        return node.attr not in INDEXERS and _frame_like(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ARITHMETIC):
        return _frame_like(node.left) or _frame_like(node.right)
    return False


def _text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _offences(source: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _is_aggregate(node):
            assert isinstance(node.func, ast.Attribute)
            found.append(f"{node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BUILTINS:
            parts = [*node.args, *(k.value for k in node.keywords)]
            if any(_frame_like(n) for part in parts for n in ast.walk(part) if isinstance(n, ast.expr)):
                found.append(f"{node.lineno}: {node.func.id}( over deal data")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ARITHMETIC):
            if not (_text(node.left) or _text(node.right)) and (_frame_like(node.left) or _frame_like(node.right)):
                found.append(f"{node.lineno}: {type(node.op).__name__} on deal data")
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ARITHMETIC):
            if _frame_like(node.target) or _frame_like(node.value):
                found.append(f"{node.lineno}: {type(node.op).__name__}= on deal data")
    return sorted(set(found), key=lambda f: int(f.split(":")[0]))


def test_the_check_finds_arithmetic_on_deal_columns():
    source = "\n".join(
        [
            'team_won = float(reps["won"].sum())',  # 1
            'share = team_won / reps["quota"]',  # 2
            'by = deals.groupby("owner").size()',  # 3
            'n = deals["stage"].count()',  # 4
            'total = sum(q for q in reps["quota"] if q)',  # 5
            'late = deals.loc[deals["status"] == "open", "amount"] * 2',  # 6
            "start = dates.min() + pd.Timedelta(days=90)",  # 7
            'won = deals[deals["status"] == "won"]["amount"].fillna(0) - 1',  # 8
            'total += r["won"]',  # 9
            'mix = cats.fillna("(none)").value_counts()',  # 10
        ]
    )
    assert sorted({int(f.split(":")[0]) for f in _offences(source)}) == list(range(1, 11))


def test_the_check_allows_layout_and_widget_arithmetic():
    source = "\n".join(
        [
            "cols = st.columns(len(items) + 1)",
            'attrition = st.session_state.get("whatif.attrition", 0) / 100',
            'ratio = st.session_state["whatif.rev"] * 12',
            'commas = "a,b".count(",")',
            'label = "Tracked: " + ", ".join(names)',
            'size = f"{crm.size / 1e6:.1f} MB"',
            "first = min(len(scored), SHOWN)",
            "left = total - done",
            "caption = f\"{row['unrated']} not rated\"",
            "pct = base.target / 12",
        ]
    )
    assert _offences(source) == []


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_no_arithmetic_on_deal_columns_in_ui_or_pages(path: Path):
    where = path.relative_to(ROOT)
    assert [f"{where}:{f}" for f in _offences(path.read_text(encoding="utf-8"))] == []
