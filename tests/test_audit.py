"""`make audit` (scripts/audit.py) says how many packages pip-audit audited, says "not audited"
plainly when none (a warning: exit 0), and fails on a known vulnerability in what it audited."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
assert _spec is not None and _spec.loader is not None
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

SKIP = "Dependency not found on PyPI and could not be audited"


def test_nothing_audited_is_said_plainly_and_is_a_warning_not_a_pass():
    report = {"dependencies": [{"name": n, "skip_reason": SKIP} for n in ("altair", "duckdb", "streamlit")]}
    lines, code = audit.summarize(report)
    assert code == 0
    assert lines[0] == "pip-audit: audited 0 of 3 installed packages"
    assert "WARNING: not audited: none of the 3 packages could be looked up" in lines[1]
    assert not any("no known vulnerabilities" in line for line in lines)


def test_a_known_vulnerability_in_an_audited_package_fails():
    report = {
        "dependencies": [
            {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}]},
            {"name": "pyyaml", "version": "6.0.2", "vulns": []},
            {"name": "local-thing", "skip_reason": SKIP},
        ]
    }
    lines, code = audit.summarize(report)
    assert code == 1
    assert lines[0] == "pip-audit: audited 2 of 3 installed packages"
    assert "pip-audit: not audited (1): local-thing" in lines
    assert "pip-audit: VULNERABLE: jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in: 3.1.3)" in lines


def test_a_clean_audit_says_how_many_it_checked():
    report = {"dependencies": [{"name": "pyyaml", "version": "6.0.2", "vulns": []}]}
    assert audit.summarize(report) == (
        [
            "pip-audit: audited 1 of 1 installed packages",
            "pip-audit: no known vulnerabilities in the 1 audited packages",
        ],
        0,
    )
