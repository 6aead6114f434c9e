"""Admin access and the all-assessments panel."""

from __future__ import annotations

import hmac
import io
import zipfile

import pandas as pd
import streamlit as st

from salesopt.model.files import to_json
from salesopt.storage import NotFound
from ui import state, widgets

K_ADMIN = "so.admin"


def _secret(name: str) -> object | None:
    try:
        return st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file at all is the same as no such secret
        return None


def authorised() -> bool:
    if _secret("auth"):
        if not st.user.is_logged_in:
            st.button("Log in", on_click=st.login, icon=":material/login:", key="admin.log_in")
            return False
        st.caption(f"Signed in as {st.user.get('email') or st.user.get('name')}")
        st.button("Log out", on_click=st.logout, type="tertiary", key="admin.log_out")
        return True
    password = _secret("admin_password")
    if not password:
        st.info(
            "Admin is off. Set admin_password in .streamlit/secrets.toml, or configure an identity provider "
            "([auth] in secrets) to sign in with st.login.",
            icon=":material/lock:",
        )
        return False
    if st.session_state.get(K_ADMIN):
        return True
    with st.form("admin.login"):
        typed = st.text_input("Admin password", type="password", key="admin.login.password")
        if st.form_submit_button("Enter", key="admin.login.enter"):
            if hmac.compare_digest(typed.encode("utf-8"), str(password).encode("utf-8")):
                st.session_state[K_ADMIN] = True
                st.rerun()
            st.error("Wrong password.", icon=":material/error:")
    return False


def _export_all() -> bytes:
    store = state.store()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for summary in store.list():
            try:
                zf.writestr(f"{summary.id}.json", to_json(store.load(summary.id).assessment))
            except NotFound:
                continue
    return buf.getvalue()


def assessments_panel() -> None:
    store = state.store()
    rows = store.list()
    st.metric("Assessments", len(rows), help=f"In the {store.backend} database.")
    st.download_button(
        "Export all (zip of JSON)",
        _export_all,
        "assessments.zip",
        "application/zip",
        icon=":material/download:",
        on_click="ignore",
        key="admin.export_all",
    )
    widgets.table(
        pd.DataFrame(
            [
                {
                    "Title": r.title,
                    "Company": r.company,
                    "Version": r.version,
                    "Updated": f"{r.updated_at:%Y-%m-%d %H:%M}",
                    "Id": r.id,
                }
                for r in rows
            ],
            columns=["Title", "Company", "Version", "Updated", "Id"],
        ),
        hide_index=True,
    )
    if rows:
        with st.form("admin.delete"):
            chosen = st.multiselect(
                "Delete",
                [r.id for r in rows],
                format_func=lambda i: next(f"{r.title} ({i[:8]})" for r in rows if r.id == i),
                key="admin.delete.chosen",
            )
            confirm = st.checkbox("I understand this cannot be undone", key="admin.delete.confirm")
            if st.form_submit_button("Delete", type="primary", key="admin.delete.submit") and chosen and confirm:
                for aid in chosen:
                    try:
                        store.delete(aid)
                    except NotFound:
                        pass
                st.success(f"Deleted {len(chosen)} assessment(s).")
                st.rerun()
