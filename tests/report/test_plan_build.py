"""The plan builder: one function behind the Plan page and the CLI; the demo's plan is complete,
in client language and in the assessment's currency; findings lead the summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from salesopt.content.frameworks import load_catalog
from salesopt.demo import demo_assessment, demo_crm_csv
from salesopt.funnel.stage2 import evaluate, load, stage_map_for
from salesopt.model.answers import editable, parse
from salesopt.model.assessment import Assessment
from salesopt.report import plan as plan_mod
from salesopt.report.plan import PHASE_CAP, build_plan
from tests.helpers import ROOT

CATALOG = load_catalog()
MAVEN = Path("/work/shared/data/real/maven-crm-opportunities/sales_pipeline.csv")
INTERNAL = re.compile(r"seed|frameworks/|\.ya?ml|\bpage\b|\[|\]|\{[a-z_]+(:[%$d])?\}|placeholder", re.I)


def _result(assessment: Assessment | None = None):
    imported = load(demo_crm_csv(), "demo.csv")
    return evaluate(imported, stage_map_for(imported), target=5_000_000, benchmark=CATALOG.benchmarks()["b2b"])


@pytest.fixture(scope="module")
def demo_plan():
    return build_plan(demo_assessment(), CATALOG, _result())


def _section(md: str, title: str) -> str:
    return md.split(f"### {title}\n")[1].split("\n## ")[0].split("\n### ")[0]


def test_demo_plan_has_no_missing_section(demo_plan):
    assert "Missing" not in demo_plan.markdown
    assert demo_plan.missing == ()
    assert demo_plan.sections_complete == demo_plan.sections_total == 34
    assert demo_plan.client == "Demo SaaS Inc." and demo_plan.title == "Sales Process Optimization Plan"


def test_demo_plan_has_no_internal_words_or_placeholders(demo_plan):
    assert INTERNAL.findall(demo_plan.markdown) == []


def test_executive_summary_leads_with_findings_from_the_data(demo_plan):
    md = demo_plan.markdown
    found = _section(md, "Key findings and gaps")
    assert len(re.findall(r"^\d\. \*\*", found, flags=re.M)) == 3
    assert "221 of 401 deals that reached Demo never reached Proposal" in found
    assert "pipeline coverage (2.5x reported, 2.1x measured)" in found
    assert "?" not in found  # no question printed back
    actions = _section(md, "Recommended improvements")
    lines = [line for line in actions.splitlines() if line.startswith("- **")]
    assert len(lines) == 3
    assert all("Owner:" in line and "; by 20" in line and "KPI:" in line for line in lines)
    # the client's challenges stay in Current State Analysis, once
    assert md.count("What sales challenges are you facing?") == 1
    assert md.index("What sales challenges are you facing?") > md.index("## Current State Analysis")


def test_qualification_states_what_the_answers_say(demo_plan):
    section = _section(demo_plan.markdown, "Qualification Framework")
    assert "In use" not in section
    assert "- **Today:** deals are not qualified with BANT today; the plan: before the demo" in section


def test_roadmap_caps_phases_without_duplicates_and_fills_scale(demo_plan):
    md, seen = demo_plan.markdown, []
    for title in (
        "Quick Wins (Month 1)",
        "Foundation (Months 2-3)",
        "Optimization (Months 4-6)",
        "Scale (Months 7-12)",
    ):
        items = [line for line in _section(md, title).splitlines() if line.startswith("- **")]
        assert 1 <= len(items) <= PHASE_CAP, title
        assert all("KPI:" in i and "done when:" in i for i in items)
        seen += [i.split("**")[1] for i in items]
    assert len(seen) == len(set(seen))
    roadmap = _section(md, "Quick Wins (Month 1)") + _section(md, "Foundation (Months 2-3)")
    assert "a year" not in roadmap and "impact about" not in md  # money claims live in Expected Impact only
    table = demo_plan.roadmap
    assert list(table.columns) == ["Phase", "Item", "Owner", "Due", "KPI", "Done when", "Effort", "Priority"]
    assert sorted(table["Item"]) == sorted(seen)


def test_prioritization_ranks_by_impact_confidence_over_effort(demo_plan):
    section = _section(demo_plan.markdown, "Opportunity Prioritization")
    assert "Score = impact x confidence / effort" in section
    rows = [line.split(" | ") for line in section.splitlines() if re.match(r"^\| \d+ \|", line)]
    scores = [float(r[-1].rstrip(" |")) for r in rows]
    assert scores == sorted(scores, reverse=True)
    for r in rows:
        impact, conf, effort = int(r[2]), int(r[3]), int(r[4])
        assert float(r[5].rstrip(" |")) == pytest.approx(round(impact * conf / effort, 1))


def test_success_metrics_is_one_table_with_baselines(demo_plan):
    section = _section(demo_plan.markdown, "Success Metrics")
    assert section.strip().startswith("| Metric | Baseline | Source, date | Target | By when | Owner |")
    assert "| Overall win rate | 21% | CRM export, 2026-09-30 | 28% |" in section
    assert "| Quota attainment % | 60% | Stage 1 answer," in section


def test_compensation_holds_pay_and_incentives(demo_plan):
    section = _section(demo_plan.markdown, "Compensation Plan")
    assert "**Pay structure today:** 50/50 base and variable" in section
    assert "**Incentives:**" in section and "performers" not in section
    assert "- **Struggling performers:** 8;" in _section(demo_plan.markdown, "Metrics Framework")


def test_appendix_lists_and_evidence(demo_plan):
    md = demo_plan.markdown
    assert "**At Demo, not yet at Proposal** (67 deals on 2026-09-30)" in md
    assert "No import warning and no undefined figure." in _section(md, "Data notes")
    assert "| Win rate (CRM export) | 21% | won / (won + lost)." in _section(md, "Evidence")


def test_a_eur_plan_has_no_dollar_sign():
    eur = demo_assessment().model_copy(update={"currency": "EUR"})
    md = build_plan(eur, CATALOG, _result()).markdown
    assert "$" not in md
    assert "€50,000" in md


def test_rules_stay_quiet_on_unanswered_stages():
    only_stage_one = Assessment(context=demo_assessment().context)
    md = build_plan(only_stage_one, CATALOG, _result()).markdown
    assert "No SPIN discovery approach is defined" not in md
    assert "pieces of content that support" not in md
    assert "none is built yet" not in md


def test_demo_answers_validate_against_their_questions():
    demo = demo_assessment()
    for stage in CATALOG.stages():
        questions = {q.id: q for q in stage.questions()}
        for qid, value in demo.section(stage.id).answers.items():
            assert qid in questions, (stage.id, qid)
            raw = value if isinstance(value, list) else editable(questions[qid], value)
            parsed = parse(questions[qid], raw)
            assert parsed.ok and parsed.value == value, (stage.id, qid, parsed.error)


def test_page_and_cli_build_the_plan_through_one_function(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from salesopt.cli import main

    calls = []
    real = plan_mod.build_plan

    def spy(*args, **kwargs):
        calls.append(args[0].title)
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_mod, "build_plan", spy)
    main(["demo", "-o", str(tmp_path / "d.yaml")])
    assert main(["plan", str(tmp_path / "d.yaml"), "-o", str(tmp_path / "p.md")]) == 0
    assert calls == ["Demo: SaaS sales process optimization"]
    root = ROOT
    monkeypatch.setenv("SALESOPT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.chdir(root)
    at = AppTest.from_file(str(root / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.button(key="home.demo").click().run()
    at.switch_page("app_pages/plan.py").run()
    assert not at.exception
    assert calls[1:] == ["Demo: SaaS sales process optimization"]


@pytest.mark.skipif(not MAVEN.is_file(), reason="the real Maven export is not on this machine (/work/shared absent)")
def test_maven_plan_notes_lost_deals_without_a_stage_and_claims_no_money():
    imported = load(MAVEN.read_bytes(), MAVEN.name)
    result = evaluate(imported, stage_map_for(imported), benchmark=CATALOG.benchmarks()["b2b"])
    md = build_plan(Assessment(title="Maven", company="Maven"), CATALOG, result).markdown
    notes = _section(md, "Data notes")
    assert "2,473 lost deals have no known stage" in notes
    assert "Open pipeline is not defined: none of the 2,089 open deals carries an amount." in notes
    assert not re.search(r"\$[\d,.]+[KM]? a year", md)
    assert "- **Pipeline coverage:** not defined (no revenue target given)" in md
    assert INTERNAL.findall(md) == []
