"""The command line (../shared/spec/CLI.md): demo, plan, and errors as one line with exit 2."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pandas as pd
import pytest

from salesopt.cli import main
from salesopt.demo import demo_assessment
from salesopt.model.files import from_file_bytes


def test_demo_writes_the_assessment_and_its_crm_export(tmp_path):
    assert main(["demo", "-o", str(tmp_path / "demo.yaml"), "--crm", str(tmp_path / "crm.csv")]) == 0
    loaded = from_file_bytes((tmp_path / "demo.yaml").read_bytes(), "demo.yaml")
    assert loaded.context == demo_assessment().context
    crm = pd.read_csv(tmp_path / "crm.csv")
    assert len(crm) == 620
    assert {"Stage", "Amount", "Created Date", "Close Date"} <= set(crm.columns)


def test_plan_writes_markdown(tmp_path):
    main(["demo", "-o", str(tmp_path / "demo.json")])
    assert main(["plan", str(tmp_path / "demo.json"), "-o", str(tmp_path / "plan.md")]) == 0
    assert (tmp_path / "plan.md").read_text(encoding="utf-8").startswith("# Sales Process Optimization Plan")


def test_errors_are_one_line_exit_2_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01binary")
    cases = [
        ["plan", str(tmp_path / "missing.json"), "-o", str(tmp_path / "p.md")],
        ["plan", str(bad), "-o", str(tmp_path / "p.md")],
        ["demo", "-o", str(tmp_path / "demo.txt")],
    ]
    main(["demo", "-o", str(tmp_path / "ok.json")])
    cases.append(["plan", str(tmp_path / "ok.json"), "-o", str(tmp_path / "plan.docx")])
    for args in cases:
        proc = subprocess.run([sys.executable, "-m", "salesopt", *args], capture_output=True, text=True, check=False)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.startswith("error: "), proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert "Traceback" not in proc.stderr


def test_analyze_the_demo_export_finds_the_demo_to_proposal_leak(tmp_path):
    import json

    main(["demo", "-o", str(tmp_path / "d.json"), "--crm", str(tmp_path / "crm.csv")])
    proc = subprocess.run(
        [sys.executable, "-m", "salesopt", "analyze", str(tmp_path / "crm.csv"), "--json", "--target", "5000000"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert [s["stage"] for s in data["stages"]] == ["Qualification", "Demo", "Proposal", "Negotiation", "Closed Won"]
    leak = data["biggest_leak"]
    assert (leak["from"], leak["to"], leak["benchmark"]) == ("Demo", "Proposal", 0.7)
    assert 0.4 < leak["conversion"] < 0.6
    assert leak["revenue_at_stake"] > 0
    assert 0.17 < data["win_rate"] < 0.24
    assert data["coverage_ratio"] == pytest.approx(data["pipeline_value"] / 5_000_000)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"Stage,Amount\n", "only a header"),
        (b"Name,Amount\nA,1\n", "--map stage=COLUMN"),
        (b"\x00\x00binary", "binary content"),
    ],
)
def test_analyze_bad_files_exit_2_with_one_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "salesopt", "analyze", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {path}: ") and message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_plan_with_the_crm_export(tmp_path):
    main(["demo", "-o", str(tmp_path / "d.yaml"), "--crm", str(tmp_path / "crm.csv")])
    assert (
        main(["plan", str(tmp_path / "d.yaml"), "--crm", str(tmp_path / "crm.csv"), "-o", str(tmp_path / "p.md")]) == 0
    )
    text = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert "| Demo | 401 |" in text and "From the CRM export (Stage 2):" in text


def test_plan_refuses_an_export_the_assessment_did_not_analyse(tmp_path, capsys):
    from salesopt.model.assessment import CrmSource
    from salesopt.model.files import from_file_bytes, to_json

    main(["demo", "-o", str(tmp_path / "d.yaml"), "--crm", str(tmp_path / "crm.csv")])
    recorded = b"Stage,Amount\nClosed Won,1\n"
    a = from_file_bytes((tmp_path / "d.yaml").read_bytes(), "d.yaml")
    crm = CrmSource(sha256=hashlib.sha256(recorded).hexdigest(), name="mine.csv", size=len(recorded))
    (tmp_path / "a.json").write_text(to_json(a.model_copy(update={"funnel": a.funnel.model_copy(update={"crm": crm})})))
    args = ["plan", str(tmp_path / "a.json"), "--crm", str(tmp_path / "crm.csv"), "-o", str(tmp_path / "p.md")]
    assert main(args) == 2
    assert "not the export this assessment analysed (mine.csv" in capsys.readouterr().err
    assert main([*args, "--other-crm", "--target", "9000000"]) == 0  # told to: the plan is built on it
    assert "| Demo | 401 |" in (tmp_path / "p.md").read_text(encoding="utf-8")


def _large_export(path, rows: int, *, quoted_newline: bool = False) -> None:
    """A CSV over the reader's head and tail windows (about 1.5 MB): read on disk, its lines
    counted beside the scan. Row i is on line i + 1; row 9,000 has an unreadable close date."""
    out = ["Opportunity ID,Stage,Amount,Created Date,Close Date,Notes"]
    for i in range(1, rows + 1):
        stage = ("Closed Won", "Closed Lost", "Proposal")[i % 3]
        close = "n/a" if i == 9_000 else "2024-03-01"
        note = '"two\nlines"' if quoted_newline and i == 100 else "a note that makes each row about this long"
        out.append(f"OPP-{i:06d},{stage},{1000 + i},2024-01-01,{close},{note}")
    out += ["", "Total,,,,,", "Generated by the CRM"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


@pytest.mark.parametrize("quoted_newline", [False, True])
def test_analyze_a_large_file_on_disk_keeps_line_numbers_and_drops_the_footer(tmp_path, capsys, quoted_newline):
    import json

    path = tmp_path / "large.csv"
    _large_export(path, 20_000, quoted_newline=quoted_newline)
    assert path.stat().st_size > 1_200_000
    assert main(["analyze", str(path), "--json", "--benchmark", "none"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["rows_read"], data["rows_rejected"]) == (20_000, 0)
    assert (data["won"], data["lost"], data["open"]) == (6_666, 6_667, 6_667)
    # the one unreadable close date is reported on its physical line (a quoted line break above
    # it puts it one line lower)
    emptied = [(c["line"], c["value"]) for c in data["cells_emptied"]]
    assert emptied == [(9_001 + quoted_newline, "n/a")]
    assert any("2 footer line(s)" in w for w in data["warnings"])
