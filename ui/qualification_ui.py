"""Stage 3 widgets: score a deal, score the pipeline, methodology fit, SPIN guide, business case,
objections and custom frameworks. Calculations are in salesopt."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from salesopt.content import contract as c
from salesopt.content.frameworks import Element, Scorecard
from salesopt.funnel.priorities import largest_open, tier_mix
from salesopt.model.assessment import Assessment, BusinessCase, ObjectionResponse, ScoredDeal
from salesopt.qualification import business_case
from salesopt.qualification.methodology import recommend, spin_guide, spin_markdown
from salesopt.qualification.objections import playbook
from salesopt.qualification.scorecards import check_custom, score, score_pipeline, with_custom
from salesopt.report import charts, fmt
from salesopt.report.mdtext import md_text
from ui import state, widgets

if TYPE_CHECKING:
    from salesopt.funnel.stage2 import Result

PIPELINE_ROWS = 50


def scorecards(assessment: Assessment) -> dict[str, Scorecard]:
    return with_custom(state.catalog().scorecards(), assessment.qualification.custom_frameworks)


def pick_framework(assessment: Assessment, cards: dict[str, Scorecard]) -> Scorecard:
    ids = list(cards)
    current = assessment.qualification.framework_id if assessment.qualification.framework_id in cards else ids[0]
    chosen = st.selectbox(
        "Framework",
        ids,
        index=ids.index(current),
        format_func=lambda k: cards[k].name,
        key="qual.framework",
        help="Shipped frameworks plus any you add under Custom frameworks.",
    )
    if chosen != assessment.qualification.framework_id:
        state.update_section("qualification", framework_id=chosen)
    card = cards[chosen]
    st.caption(f"{card.description} **When:** {card.when_to_use}")
    return card


def _level_label(element: Element) -> Callable[[int], str]:
    labels = {lv.score: lv.label for lv in element.scale}
    return lambda v: f"{v} · {labels[v]}"


def score_deal(assessment: Assessment, card: Scorecard) -> None:
    name = st.text_input("Deal", key="qual.deal.name", placeholder="e.g. Acme renewal", max_chars=200)
    answers: dict[str, int | None] = {}
    for element in card.elements:
        with st.container(border=True):
            answers[element.id] = st.radio(
                f"**{element.name}**: {element.description}",
                [lv.score for lv in element.scale],
                index=None,
                horizontal=True,
                format_func=_level_label(element),
                key=f"qual.deal.{card.id}.{element.id}",
            )
            st.caption("Ask: " + " · ".join(element.questions))
    result = score(card, answers)
    if all(v is None for v in answers.values()):
        # nothing judged yet: no score, tier or category as if the deal had been assessed
        st.info(
            "Not scored yet: pick a level for each element above; the score, tier and forecast category follow.",
            icon=":material/pending:",
        )
        kept_deals(assessment)
        return
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Score",
        f"{fmt.number(result.total)} / {fmt.number(result.max_total)}",
        help="Sum of weight x level over the scored elements.",
    )
    c2.metric(
        "Tier" + (" (provisional)" if result.provisional else ""),
        result.tier.label,
        help="The highest tier whose minimum the total reaches.",
    )
    c3.metric(
        "Suggests forecast", result.tier.forecast_category or fmt.DASH, help="The forecast category this tier suggests."
    )
    st.info(f"**{result.tier.label}:** {result.tier.action}", icon=":material/flag:")
    if result.missing:
        st.caption("Not scored yet: " + ", ".join(e.name for e in result.missing))
    if result.next_questions:
        st.markdown(
            "**Ask next**" + (f" (weakest: {result.weakest.name})" if result.weakest and not result.missing else "")
        )
        for q in result.next_questions:
            st.markdown(f"- {q}")
    if st.button(
        "Keep this scored deal",
        key="qual.deal.keep",
        icon=":material/bookmark_add:",
        disabled=not name.strip() or result.provisional,
        help="Name the deal and score every element to keep it.",
    ):
        kept = ScoredDeal(
            name=name.strip(), framework_id=card.id, scores={k: v for k, v in answers.items() if v is not None}
        )
        state.update_section("qualification", deals=[*state.opened().qualification.deals, kept])
        st.success(
            f"Kept {kept.name}: {fmt.number(result.total)} / {fmt.number(result.max_total)}, {result.tier.label}."
        )
    kept_deals(assessment)


def kept_deals(assessment: Assessment) -> None:
    cards = scorecards(assessment)
    rows = []
    for d in assessment.qualification.deals:
        card = cards.get(d.framework_id)
        r = score(card, d.scores) if card else None
        rows.append(
            {
                "Deal": d.name,
                "Framework": card.name if card else f"{d.framework_id} (removed)",
                "Score": f"{fmt.number(r.total)} / {fmt.number(r.max_total)}" if r else fmt.DASH,
                "Tier": r.tier.label if r else fmt.DASH,
                "Scored": f"{d.scored_at:%Y-%m-%d %H:%M}",
            }
        )
    if rows:
        st.subheader("Scored deals")
        widgets.table(pd.DataFrame(rows), hide_index=True)


def pipeline(assessment: Assessment, card: Scorecard, result: Result | None) -> None:
    if result is None:
        st.info(
            "Scoring the pipeline needs the open deals of a CRM export: upload one in Stage 2 (Data tab).",
            icon=":material/info:",
        )
        st.page_link("app_pages/funnel.py", label="Stage 2 · Funnel analysis", icon=":material/filter_alt:")
        return
    open_deals = largest_open(result.deals, PIPELINE_ROWS)
    saved = assessment.qualification.pipeline
    table = pd.DataFrame({"Opportunity": open_deals["opportunity_id"].astype(str).to_numpy()})
    for col, label in (("name", "Name"), ("stage", "Stage")):
        if col in open_deals:
            table[label] = open_deals[col].astype(str).to_numpy()
    if "amount" in open_deals:
        table["Amount"] = [fmt.money(v, assessment.currency) for v in open_deals["amount"]]
    for e in card.elements:
        table[e.name] = [saved.get(i, {}).get(e.id) for i in table["Opportunity"]]
    st.caption(
        f"The {len(table)} largest open deals. Score each element ({card.elements[0].scale[0].score}-"
        f"{card.elements[0].scale[-1].score}); blank = not scored."
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        key=f"qual.pipeline.{card.id}",
        disabled=[c for c in table.columns if c not in {e.name for e in card.elements}],
        column_config={
            e.name: st.column_config.SelectboxColumn(options=[lv.score for lv in e.scale]) for e in card.elements
        },
    )
    if st.button("Save pipeline scores", key="qual.pipeline.save", icon=":material/save:"):
        scores = {
            row["Opportunity"]: {e.id: int(row[e.name]) for e in card.elements if pd.notna(row[e.name])}
            for row in edited.to_dict("records")
        }
        state.update_section("qualification", pipeline={k: v for k, v in scores.items() if v})
        st.rerun()
    scored = score_pipeline(card, open_deals, saved)
    if scored.empty or scored["tier"].isna().all():
        return
    mix = tier_mix(scored, [t.label for t in reversed(card.tiers)])
    widgets.chart(lambda: charts.priority_mix(mix))
    widgets.table(
        widgets.readable(
            scored.assign(
                amount=scored["amount"].map(lambda v: fmt.money(v, assessment.currency)),
                crm_probability=scored["crm_probability"].map(fmt.percent),
                adjusted_probability=scored["adjusted_probability"].map(fmt.percent),
            )
        ),
        hide_index=True,
    )
    st.caption("Suggested category and adjusted probability come from the tier; the CRM's own are beside them.")


def methodology(assessment: Assessment) -> None:
    cards = scorecards(assessment)
    recs, missing = recommend(assessment)
    for rec in recs:
        card = cards.get(rec.framework_id)
        with st.container(border=True):
            st.markdown(
                f"**{'Recommended' if rec.role == 'primary' else 'Also'}: {card.name if card else rec.framework_id}**"
            )
            for reason in rec.reasons:
                st.markdown(f"- {reason}")
    if missing:
        st.caption("A firmer recommendation needs: " + ", ".join(missing) + ".")


def spin(assessment: Assessment) -> None:
    method = state.catalog().methodologies().get(c.SPIN)
    if method is None:
        st.warning("frameworks/methodologies/spin.yaml is missing or invalid.", icon=":material/warning:")
        return
    guide = spin_guide(method, assessment)
    md = spin_markdown(guide, md_text(assessment.company or assessment.title))
    st.download_button(
        "Download the guide (Markdown)",
        md,
        "spin-discovery-guide.md",
        "text/markdown",
        icon=":material/download:",
        on_click="ignore",
        key="qual.spin.download",
    )
    st.markdown(md.split("\n", 2)[2])
    st.caption(
        "The buyer's problem and goal in these questions come from this stage's value selling answers (cost of "
        "the status quo, buyer objectives, under Questions); until they are given, plain words stand in."
    )


def business_case_panel(assessment: Assessment) -> None:
    bc = assessment.qualification.business_case
    with st.form("qual.business_case"):
        c1, c2, c3 = st.columns(3)
        values = {
            "revenue_increase": c1.number_input(
                "Revenue increase / year", 0.0, value=bc.revenue_increase, step=1000.0, key="qual.bc.revenue_increase"
            ),
            "cost_savings": c2.number_input(
                "Cost savings / year", 0.0, value=bc.cost_savings, step=1000.0, key="qual.bc.cost_savings"
            ),
            "efficiency_gains": c3.number_input(
                "Efficiency gains / year", 0.0, value=bc.efficiency_gains, step=1000.0, key="qual.bc.efficiency_gains"
            ),
            "one_time": c1.number_input(
                "One-time investment", 0.0, value=bc.one_time, step=1000.0, key="qual.bc.one_time"
            ),
            "recurring": c2.number_input(
                "Recurring cost / year", 0.0, value=bc.recurring, step=1000.0, key="qual.bc.recurring"
            ),
            "years": c3.number_input("Horizon (years)", 1, 20, value=bc.years, key="qual.bc.years"),
            "discount_rate": c1.number_input(
                "Discount rate (%)", 0.0, 100.0, value=bc.discount_rate * 100, step=0.5, key="qual.bc.discount_rate"
            )
            / 100,
        }
        if st.form_submit_button("Calculate and save", icon=":material/calculate:", key="qual.bc.save"):
            bc = BusinessCase.model_validate(values)
            state.update_section("qualification", business_case=bc)
    r = business_case.evaluate(
        bc.revenue_increase, bc.cost_savings, bc.efficiency_gains, bc.one_time, bc.recurring, bc.years, bc.discount_rate
    )
    cur = assessment.currency
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "ROI (buyer's case)",
        fmt.percent(r.roi),
        help=r.reasons.get("roi") or "(total benefit - total cost) / total cost.",
    )
    m2.metric(
        "Payback (buyer's case)",
        "never" if r.payback_never else f"{fmt.number(r.payback_months, 1)} months",
        help=r.reasons.get("payback_months") or "One-time investment / monthly net benefit.",
    )
    m3.metric(
        "NPV", fmt.money(r.npv, cur, compact=True), help=f"At {fmt.percent(bc.discount_rate)} over {bc.years} years."
    )
    flow = pd.DataFrame(
        business_case.cumulative_cash_flow(bc.one_time, r.annual_benefit, bc.recurring, bc.years),
        columns=["month", "cumulative"],
    )
    if flow.empty or not flow["cumulative"].notna().any() or not (flow["cumulative"].abs() > 0).any():
        st.info(
            "The cash-flow chart appears once the business case has a benefit or a cost: type them above and "
            "press Calculate and save.",
            icon=":material/info:",
        )
        return
    widgets.chart(lambda: charts.cash_flow(flow, r.payback_months, currency=cur))
    st.caption("Cumulative net cash by month; the dot marks the payback point.")


def objections(assessment: Assessment) -> None:
    current = playbook(assessment.qualification.objections, state.catalog().objections())
    edited = st.data_editor(
        pd.DataFrame([o.model_dump() for o in current]),
        num_rows="dynamic",
        hide_index=True,
        key="qual.objections",
        column_config={
            "name": st.column_config.TextColumn("Objection", required=True),
            "response": st.column_config.TextColumn("How we respond", width="large"),
        },
    )
    c1, c2 = st.columns(2)
    if c1.button("Save playbook", key="qual.objections.save", icon=":material/save:"):
        rows = [
            ObjectionResponse(name=str(r["name"]), response=str(r["response"] or ""))
            for r in edited.to_dict("records")
            if isinstance(r["name"], str) and r["name"].strip()
        ]
        state.update_section("qualification", objections=rows)
        st.rerun()
    if c2.button("Reset to the defaults", key="qual.objections.reset", type="tertiary"):
        state.update_section("qualification", objections=[])
        st.session_state.pop("qual.objections", None)
        st.rerun()


def custom_frameworks(assessment: Assessment) -> None:
    st.caption(
        "Add a scorecard as YAML, in the same shape as the built-in BANT scorecard (id, name, elements with their "
        "scale, tiers). It is checked first; "
        "a valid one appears in the framework list at once, an invalid one changes nothing."
    )
    file = st.file_uploader("Framework YAML", type=["yaml", "yml"], key="qual.custom", max_upload_size=1)
    if file is not None and st.button("Add framework", key="qual.custom.add", icon=":material/add:"):
        try:
            text = file.getvalue().decode("utf-8")
        except UnicodeDecodeError:
            st.error(f"{md_text(file.name)}: not UTF-8 text; save the file as UTF-8.", icon=":material/error:")
            return
        problems = check_custom(
            state.catalog().scorecards(), assessment.qualification.custom_frameworks, text, file.name
        )
        if problems:
            st.error(f"{md_text(file.name)} was not added ({len(problems)} problem(s)):", icon=":material/error:")
            st.code("\n".join(problems), language=None)
            return
        state.update_section("qualification", custom_frameworks=[*assessment.qualification.custom_frameworks, text])
        st.rerun()


def output_summary(assessment: Assessment) -> None:
    """Stage 3 output: the framework, the methodology that fits, scored deals and the playbooks' state."""
    methodology(assessment)
    kept_deals(assessment)
    q = assessment.qualification
    st.caption(
        f"Objection playbook: {len(q.objections) or 'the default'} responses"
        f"{'' if q.objections else ' (edit them on the Objections tab)'}. Business case: "
        + ("entered" if q.business_case != BusinessCase() else "not entered yet (Business case tab)")
        + "."
    )
