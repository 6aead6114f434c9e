"""`make audit`: known vulnerabilities in the installed packages, by pip-audit, saying how many it
audited and never claiming what it did not check.

- prints "audited N of M installed packages" and names those it could not look up;
- when it audited none (no advisory service reachable, as on a machine without network), says
  "not audited" plainly: a warning, exit 0, so an offline CI stays green without a false pass;
- exits 1 on a known vulnerability in any package it did audit.

Usage: python scripts/audit.py [pip-audit arguments...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def summarize(report: dict[str, Any]) -> tuple[list[str], int]:
    """The lines to print and the exit code for pip-audit's JSON report."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines = [f"pip-audit: audited {len(audited)} of {len(deps)} installed packages"]
    if not audited:
        lines.append(
            f"pip-audit: WARNING: not audited: none of the {len(deps)} packages could be looked up "
            "(is the advisory service reachable?); nothing is known about their vulnerabilities"
        )
        return lines, 0
    if skipped:
        names = ", ".join(sorted(str(d.get("name")) for d in skipped))
        lines.append(f"pip-audit: not audited ({len(skipped)}): {names}")
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fix = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(
                f"pip-audit: VULNERABLE: {dep['name']} {dep.get('version', '')}: {vuln.get('id')} (fixed in: {fix})"
            )
    if vulnerable:
        lines.append(f"pip-audit: {len(vulnerable)} audited package(s) have known vulnerabilities")
        return lines, 1
    lines.append(f"pip-audit: no known vulnerabilities in the {len(audited)} audited packages")
    return lines, 0


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        run = subprocess.run(  # noqa: S603 - our own venv's pip-audit, fixed arguments
            [str(Path(sys.executable).parent / "pip-audit"), "-f", "json", "-o", str(out), *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        if not out.exists() or not out.read_text(encoding="utf-8").strip():
            last = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
            print(f"pip-audit: WARNING: not audited: pip-audit could not run ({last[0]})")
            return 0
        report = json.loads(out.read_text(encoding="utf-8"))
    lines, code = summarize(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
