"""``python -m salesopt``: the command-line contract of ../shared/spec/CLI.md.

Input it cannot use is one line on stderr, ``error: <file>: <what is wrong>``, and exit 2;
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salesopt.content.frameworks import BenchmarkSet
    from salesopt.funnel.figures import WinRateBasis
    from salesopt.funnel.stage2 import Result

# Each verb imports what it needs when it runs: `analyze` on a million rows should not pay for
# pandas, the plan renderer or the whole framework catalog at start-up.


class UsageError(Exception):
    """Bad input from the user: printed as 'error: ...', exit 2."""


def _write_assessment(path: Path, text_json: str, text_yaml: str) -> None:
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(text_json, encoding="utf-8")
    elif suffix in (".yaml", ".yml"):
        path.write_text(text_yaml, encoding="utf-8")
    else:
        raise UsageError(f"{path}: unknown format '{suffix}'; use .json or .yaml")


def cmd_demo(args: argparse.Namespace) -> int:
    from salesopt.demo import demo_assessment, generate_crm
    from salesopt.model.files import to_json, to_yaml

    assessment = demo_assessment()
    _write_assessment(Path(args.output), to_json(assessment), to_yaml(assessment))
    if args.crm:
        from salesopt.report.export import to_csv

        to_csv(generate_crm(args.rows, seed=args.seed), args.crm)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from salesopt.content.frameworks import load_catalog
    from salesopt.model.files import AssessmentFileError, from_file_bytes

    source = Path(args.assessment)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise UsageError(f"{source}: cannot be read ({exc.strerror})") from None
    try:
        assessment = from_file_bytes(raw, str(source))
    except AssessmentFileError as exc:
        raise UsageError(str(exc).replace("\n", " ")) from None
    out = Path(args.output)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("md", "html", "pdf"):
        raise UsageError(f"{out}: unknown format '.{kind}'; use .md, .html or .pdf")
    result = None
    if args.crm:
        import hashlib

        crm, f = assessment.funnel.crm, assessment.funnel
        raw_crm = _read(args.crm)
        digest = hashlib.sha256(raw_crm).hexdigest()
        if crm is not None and crm.sha256 != digest and not args.other_crm:
            raise UsageError(
                f"{args.crm}: not the export this assessment analysed ({crm.name}, SHA-256 {crm.sha256[:12]}…); "
                "pass --other-crm to build the plan on this file anyway"
            )
        result = _evaluate(
            args,
            overrides={**(crm.overrides if crm else {}), **_overrides(args.map)},
            dayfirst=args.dayfirst or (crm.dayfirst if crm else False),
            order=args.stages.split(",") if args.stages else (crm.stage_order if crm else None),
            won=args.won or (crm.won if crm else ()),
            lost=args.lost or (crm.lost if crm else ()),
            probabilities=(crm.stage_probabilities if crm else None) or None,
            target=args.target if args.target is not None else f.target,
            closed_only=f.closed_only,
            basis=f.win_rate_basis,
            benchmark=load_catalog().benchmarks().get(f.benchmark_id or ""),
            as_of=_as_of(args.as_of) or f.as_of,
            raw=raw_crm,
        )
    from salesopt.report.export import render
    from salesopt.report.plan import build_plan

    plan = build_plan(assessment, load_catalog(), result)
    out.write_bytes(render(plan.markdown, kind, plan.charts, plan.client, meta=plan.meta))
    return 0


def _as_of(text: str | None) -> date | None:
    """``--as-of YYYY-MM-DD``."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--as-of {text}: expected a date as YYYY-MM-DD, e.g. --as-of 2024-12-31") from None


def _evaluate(
    args: argparse.Namespace,
    *,
    overrides: dict[str, str],
    dayfirst: bool,
    order: Sequence[str] | None,
    won: Sequence[str],
    lost: Sequence[str],
    target: float | None,
    closed_only: bool,
    basis: WinRateBasis,
    benchmark: BenchmarkSet | None,
    as_of: date | None,
    probabilities: dict[str, float] | None = None,
    raw: bytes = b"",
    path: str | None = None,
    fields: Sequence[str] | None = None,
) -> Result:
    """A CRM export (``raw``, the bytes of ``args.crm``, or read in place from ``path``) to its Stage 2
    figures, the way the app does it (salesopt.funnel.stage2: the same import, stage map and
    evaluation, the frameworks' forecast weights)."""
    from salesopt.crm import CrmError, NoStageColumn
    from salesopt.funnel.stage2 import evaluate, load, stage_map_for

    source = path or args.crm
    history = (_read(args.history), args.history) if args.history else None
    try:
        imported = load(
            raw,  # empty with a path: read in place, the head and tail here, the rest by DuckDB
            source,
            overrides=overrides,
            dayfirst=dayfirst,
            history=history,
            path=path,
            fields=fields,
            profile=args.profile,
        )
    except NoStageColumn as exc:
        raise UsageError(f"{exc}: name it with --map stage=COLUMN") from None
    except CrmError as exc:
        raise UsageError(str(exc)) from None
    stage_map = stage_map_for(imported, list(order) if order else None, won, lost, probabilities)
    return evaluate(
        imported,
        stage_map,
        target=target,
        closed_only=closed_only,
        basis=basis,
        benchmark=benchmark,
        as_of=as_of,
    )


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None


ANALYZE_FIELDS = ("amount", "currency", "created_date", "close_date", "won_time", "lost_time", "owner",
                  "probability", "forecast_category")  # fmt: skip


def cmd_analyze(args: argparse.Namespace) -> int:
    from salesopt.funnel.sql import as_json
    from salesopt.report import fmt

    overrides = _overrides(args.map)
    if not Path(args.path).is_file():
        _read(args.path)  # says why it cannot be read
    benchmark = None
    if args.benchmark and args.benchmark != "none":
        from salesopt.content.frameworks import load_kind

        sets, _ = load_kind("benchmarks")
        if args.benchmark not in sets:
            raise UsageError(f"--benchmark {args.benchmark}: unknown; choose one of {', '.join(sets)} or none")
        benchmark = sets[args.benchmark]
    result = _evaluate(
        args,
        overrides=overrides,
        dayfirst=args.dayfirst,
        order=args.stages.split(",") if args.stages else None,
        won=args.won,
        lost=args.lost,
        target=args.target,
        closed_only=args.closed_only,
        basis=args.win_rate,
        benchmark=benchmark,
        as_of=_as_of(args.as_of),
        path=args.path,
        fields=ANALYZE_FIELDS,
    )
    imported = result.imported
    data = as_json(result.analysis, imported.report, result.cohort_rows("owner"))
    if args.json:
        print(json.dumps(data, indent=2, default=str))
        return 0
    a = result.analysis
    cur = a.currency or "USD"
    lines = [
        f"{args.path}: {data['rows_read']:,} rows read, {data['rows_rejected']:,} rejected"
        + (f" (read as {data['profile']})" if data["profile"] else ""),
        f"as of {a.as_of or fmt.DASH}: won revenue, last 12 months {fmt.money(a.won_revenue_last_12_months, cur)}",
        f"opportunities {a.opportunities:,}: won {a.won:,}, lost {a.lost:,}, open {a.open:,}",
        f"win rate {fmt.percent(a.win_rate)} ({'won / (won + lost)' if a.win_rate_basis == 'closed' else 'won / all'})"
        f", by value {fmt.percent(a.win_rate_value)}",
        f"average deal size {fmt.money(a.avg_deal_size, cur)}; "
        f"sales cycle mean {fmt.number(a.cycle_days_mean, 1)} days, median {fmt.number(a.cycle_days_median, 1)} days",
        f"open pipeline {fmt.money(a.pipeline_value, cur)}, weighted {fmt.money(a.weighted_pipeline, cur)}; coverage "
        f"{fmt.times(a.coverage_ratio)}, required {fmt.times(a.required_coverage)}",
        "stages: "
        + " > ".join(
            f"{s.stage} {s.reached:,}"
            + (f" ({fmt.percent(s.conversion_to_next)})" if s.conversion_to_next is not None else "")
            for s in a.stages
        ),
    ]
    if a.biggest_leak:
        lk = a.biggest_leak
        lines.append(
            f"biggest leak: {lk.from_stage} > {lk.to_stage} at {fmt.percent(lk.conversion)}"
            + (
                f" (benchmark {fmt.percent(lk.benchmark)}, revenue at stake {fmt.money(lk.revenue_at_stake, cur)})"
                if lk.benchmark is not None
                else ""
            )
        )
    lines += [f"rests on: {k}: {v}" for k, v in a.rests_on.items()]
    lines += [f"undefined: {k}: {v}" for k, v in a.reasons.items()]
    lines += [f"warning: {w}" for w in data["warnings"]]
    lines += [f"rejected line {r['line']}: {r['reason']}" for r in data["rejected"][:10]]
    lines += [
        f"emptied line {c['line']}, {c['column']}: '{c['value']}' is {c['reason']}" for c in data["cells_emptied"][:10]
    ]
    print("\n".join(lines))
    return 0


def _overrides(items: list[str]) -> dict[str, str]:
    overrides = {}
    for item in items:
        fld, sep, col = item.partition("=")
        if not sep:
            raise UsageError(f"--map {item}: expected FIELD=COLUMN, e.g. --map created_date=engage_date")
        overrides[fld.strip()] = col.strip()
    return overrides


def cmd_frameworks_check(args: argparse.Namespace) -> int:
    from salesopt.content.frameworks import load_catalog
    from salesopt.content.paths import FRAMEWORKS_DIR

    directory = Path(args.dir) if args.dir else FRAMEWORKS_DIR
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such folder")
    catalog = load_catalog(directory)
    for problem in catalog.problems:
        print(problem)
    if catalog.problems:
        return 1
    counts = ", ".join(f"{len(v)} {k}" for k, v in catalog.items.items())
    print(f"ok: {counts} file(s) valid in {directory}")
    return 0


def cmd_frameworks_schema(args: argparse.Namespace) -> int:
    from salesopt.content.frameworks import write_schemas

    for path in write_schemas(Path(args.dir) if args.dir else None):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="salesopt", description="Sales process optimization from the command line.")
    verbs = parser.add_subparsers(dest="verb", required=True)

    demo = verbs.add_parser("demo", help="write the demo assessment (and its CRM export)")
    demo.add_argument("-o", "--output", required=True, help="assessment file to write (.json or .yaml)")
    demo.add_argument("--crm", help="also write the demo's generated CRM export (CSV)")
    demo.add_argument("--rows", type=int, default=620, help="opportunities in the CRM export (default 620)")
    demo.add_argument("--seed", type=int, default=7, help="random seed of the CRM export (default 7)")
    demo.set_defaults(func=cmd_demo)

    plan = verbs.add_parser("plan", help="write the Sales Process Optimization Plan")
    plan.add_argument("assessment", help="assessment file (JSON or YAML, as the app exports it)")
    plan.add_argument("-o", "--output", required=True, help="plan file to write (.md)")
    plan.add_argument("--crm", help="the assessment's CRM export, for the Stage 2 figures")
    plan.add_argument(
        "--other-crm", action="store_true", help="accept a --crm file other than the one the assessment analysed"
    )
    _import_args(plan)
    plan.add_argument("--target", type=float, help="revenue target (default: the assessment's)")
    plan.set_defaults(func=cmd_plan)

    analyze = verbs.add_parser("analyze", help="Stage 2 figures of a CRM export")
    _analyze_args(analyze)
    analyze.set_defaults(func=cmd_analyze)

    frameworks = verbs.add_parser("frameworks", help="framework YAML files")
    fverbs = frameworks.add_subparsers(dest="fverb", required=True)
    check = fverbs.add_parser("check", help="validate every framework YAML in DIR")
    check.add_argument("dir", nargs="?", help="framework folder (default: the app's frameworks/)")
    check.set_defaults(func=cmd_frameworks_check)
    schema = fverbs.add_parser("schema", help="write the JSON Schema files beside the YAML")
    schema.add_argument("dir", nargs="?", help="framework folder (default: the app's frameworks/)")
    schema.set_defaults(func=cmd_frameworks_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2


def _import_args(parser: argparse.ArgumentParser) -> None:
    """How to read a CRM export: the same options for analyze and plan."""
    parser.add_argument("--history", help="a separate stage-history file (one row per stage entry)")
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN", help="force one column mapping")
    parser.add_argument("--stages", help="the funnel stages in order, won stage last, comma-separated")
    parser.add_argument("--won", action="append", default=[], help="stage value meaning won (repeatable)")
    parser.add_argument("--lost", action="append", default=[], help="stage value meaning lost (repeatable)")
    parser.add_argument("--dayfirst", action="store_true", help="read ambiguous dates as day first")
    parser.add_argument(
        "--as-of", help="the date the figures are taken at, YYYY-MM-DD (default: the export's latest event)"
    )
    parser.add_argument(
        "--profile", help="read the file with this CRM profile (frameworks/crm/); default: recognised from the headers"
    )


def _analyze_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="CRM export (CSV or XLSX; the content decides)")
    _import_args(parser)
    parser.add_argument("--target", type=float, help="revenue target, for coverage")
    parser.add_argument("--closed-only", action="store_true", help="stage conversions over won and lost deals only")
    parser.add_argument(
        "--win-rate",
        choices=["closed", "all"],
        default="closed",
        help="win rate denominator: won+lost (default) or all opportunities",
    )
    parser.add_argument("--benchmark", default="b2b", help="benchmark set id from frameworks/benchmarks (or 'none')")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
