"""``python -m salesopt``: the command-line contract of ../shared/spec/CLI.md.

Input it cannot use is one line on stderr, ``error: <file>: <what is wrong>``, and exit 2;
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from salesopt.assessment import AssessmentFileError, from_file_bytes, to_json, to_yaml
from salesopt.demo import demo_assessment, generate_crm
from salesopt.frameworks import FRAMEWORKS_DIR, load_catalog, write_schemas
from salesopt.plan import render_markdown


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
    assessment = demo_assessment()
    _write_assessment(Path(args.output), to_json(assessment), to_yaml(assessment))
    if args.crm:
        generate_crm(args.rows, seed=args.seed).to_csv(args.crm, index=False)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
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
    if out.suffix.lower() != ".md":
        raise UsageError(f"{out}: this version writes the plan as Markdown only; use a .md file name")
    out.write_text(render_markdown(assessment, load_catalog()), encoding="utf-8")
    return 0


def cmd_frameworks_check(args: argparse.Namespace) -> int:
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
    plan.set_defaults(func=cmd_plan)

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
