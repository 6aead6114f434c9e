"""Stage 4 widgets: content inventory with gap scores and leak links, playbooks, tech stack,
onboarding plan with its timeline, and SOPs. Calculations are in salesopt.enablement."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesopt.content.frameworks import EnablementKit
from salesopt.enablement import gap_scores, leak_content, onboarding_weeks, stack_gaps
from salesopt.funnel.analysis import Leak
from salesopt.model.assessment import Assessment, ContentStatus, OnboardingRow, SopRow, ToolStatus
from salesopt.report import charts, fmt
from salesopt.report.mdtext import md_text
from ui import state, widgets

STATUSES = ["have", "outdated", "missing"]


def content(assessment: Assessment, kit: EnablementKit, leak: Leak | None) -> None:
    saved = assessment.enablement.content
    table = pd.DataFrame(
        [
            {
                "Phase": phase.name,
                "id": item.id,
                "Content": item.name,
                "Status": saved[item.id].status if item.id in saved else None,
                "Owner": saved[item.id].owner if item.id in saved else "",
                "Last updated": saved[item.id].last_updated if item.id in saved else "",
            }
            for phase in kit.content
            for item in phase.items
        ]
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        key="enable.content",
        disabled=["Phase", "id", "Content"],
        column_order=["Phase", "Content", "Status", "Owner", "Last updated"],
        column_config={"Status": st.column_config.SelectboxColumn(options=STATUSES)},
    )
    if st.button("Save content inventory", key="enable.content.save", icon=":material/save:"):
        state.update_section(
            "enablement",
            content={
                r["id"]: ContentStatus(
                    status=r["Status"], owner=r["Owner"] or "", last_updated=str(r["Last updated"] or "")
                )
                for r in state.editor_rows(edited)
                if r["Status"] in STATUSES
            },
        )
        st.rerun()
    statuses = {k: v.status for k, v in saved.items()}
    scores = gap_scores(kit, statuses)
    cols = st.columns(len(scores))
    for col, row in zip(cols, scores.to_dict("records"), strict=True):
        col.metric(
            f"{row['phase']} gap",
            fmt.percent(row["gap"]),
            help=f"(missing + half of outdated) / rated items; {row['unrated']} not rated yet.",
        )
    if leak is not None:
        items = leak_content(kit, statuses, leak.from_stage)
        st.markdown(f"**The biggest leak, {leak.from_stage} → {leak.to_stage} (Stage 2), points to:**")
        if items:
            for name, status in items:
                st.markdown(f"- {name} ({status})")
        else:
            st.caption("All content that supports this stage is in place.")
    else:
        st.caption("With a Stage 2 analysis, the biggest funnel leak is linked to the content that would fix it.")


def playbooks(assessment: Assessment, kit: EnablementKit) -> None:
    for kind in kit.playbooks:
        st.markdown(f"**{kind.name} playbook**")
        entries = assessment.enablement.playbooks.get(kind.id, [])
        frame = pd.DataFrame(entries or [dict.fromkeys(kind.columns, "")], columns=list(kind.columns))
        edited = st.data_editor(frame, num_rows="dynamic", hide_index=True, key=f"enable.playbook.{kind.id}")
        if st.button(
            f"Save {kind.name.lower()} playbook", key=f"enable.playbook.{kind.id}.save", icon=":material/save:"
        ):
            rows = [{c: str(r.get(c) or "") for c in kind.columns} for r in state.editor_rows(edited)]
            rows = [r for r in rows if any(v.strip() for v in r.values())]
            state.update_section("enablement", playbooks={**state.opened().enablement.playbooks, kind.id: rows})
            st.rerun()


def tech_stack(assessment: Assessment, kit: EnablementKit) -> None:
    saved = assessment.enablement.stack
    table = pd.DataFrame(
        [
            {
                "id": c.id,
                "Category": c.name,
                "For": c.purpose,
                "Examples": c.examples,
                "Status": saved[c.id].status if c.id in saved else "none",
                "Tool": saved[c.id].tool if c.id in saved else "",
            }
            for c in kit.tech_stack
        ]
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        key="enable.stack",
        column_order=["Category", "For", "Examples", "Status", "Tool"],
        disabled=["id", "Category", "For", "Examples"],
        column_config={
            "Status": st.column_config.SelectboxColumn(options=["in use", "planned", "none"], required=True)
        },
    )
    if st.button("Save tech stack", key="enable.stack.save", icon=":material/save:"):
        state.update_section(
            "enablement",
            stack={r["id"]: ToolStatus(status=r["Status"], tool=r["Tool"] or "") for r in state.editor_rows(edited)},
        )
        st.rerun()
    gaps = stack_gaps(kit, {k: v.status for k, v in saved.items()})
    st.caption("Gaps (nothing in use or planned): " + (", ".join(gaps) if gaps else "none"))


def onboarding(assessment: Assessment, kit: EnablementKit) -> None:
    rows = assessment.enablement.onboarding or [
        OnboardingRow(name=p.name, start_week=p.start_week, weeks=p.weeks) for p in kit.onboarding
    ]
    frame = pd.DataFrame([r.model_dump() for r in rows])
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        key="enable.onboarding",
        column_config={
            "name": st.column_config.TextColumn("Phase", required=True),
            "start_week": st.column_config.NumberColumn("Start week", min_value=1, step=1, required=True),
            "weeks": st.column_config.NumberColumn("Weeks", min_value=1, step=1, required=True),
        },
    )
    if st.button("Save onboarding plan", key="enable.onboarding.save", icon=":material/save:"):
        try:
            new = [
                OnboardingRow(name=str(r["name"]), start_week=int(r["start_week"]), weeks=int(r["weeks"]))
                for r in state.editor_rows(edited)
                if r.get("name")
            ]
        except (TypeError, ValueError) as exc:
            st.error(f"Not saved: every phase needs a name, a start week and a length ({md_text(str(exc))}).")
            return
        state.update_section("enablement", onboarding=new)
        st.rerun()
    widgets.chart(lambda: charts.timeline(frame.rename(columns={"name": "phase"})))
    total = onboarding_weeks([(r.name, r.start_week, r.weeks) for r in rows])
    st.caption(
        f"{total} weeks to independent selling (a structured plan takes 12). The what-if capacity plan ramps new "
        "hires over the Stage 4 onboarding answer."
    )


def sops(assessment: Assessment, kit: EnablementKit) -> None:
    rows = assessment.enablement.sops or [SopRow(name=s.name, target=s.target) for s in kit.sops]
    edited = st.data_editor(
        pd.DataFrame([r.model_dump() for r in rows]),
        num_rows="dynamic",
        hide_index=True,
        key="enable.sops",
        column_config={
            "name": st.column_config.TextColumn("Procedure", required=True),
            "target": st.column_config.TextColumn("Target", width="large"),
            "owner": "Owner",
            "documented": st.column_config.CheckboxColumn("Documented"),
        },
    )
    if st.button("Save SOPs", key="enable.sops.save", icon=":material/save:"):
        state.update_section(
            "enablement",
            sops=[
                SopRow(
                    name=str(r["name"]),
                    target=str(r.get("target") or ""),
                    owner=str(r.get("owner") or ""),
                    documented=bool(r.get("documented")),
                )
                for r in state.editor_rows(edited)
                if r.get("name")
            ],
        )
        st.rerun()
    done = sum(r.documented for r in rows)
    st.caption(f"{done} of {len(rows)} procedures documented.")
