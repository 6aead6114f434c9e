"""Admin access and the all-assessments panel.

With an identity provider ([auth] in secrets), a signed-in user is admin only when ``admin_allow``
in secrets names their email or its domain (nobody when it is missing). Without one, the password
``admin_password``, compared in constant time, with attempts throttled per session and for all
sessions together (salesopt.access.Throttle)."""

from __future__ import annotations

import hmac
import io
import math
import zipfile

import pandas as pd
import streamlit as st

from salesopt.access import Throttle, allow_list, is_admin
from salesopt.model.files import to_json
from salesopt.storage import NotFound, StorageError
from ui import state, widgets


def _secret(name: str) -> object | None:
    try:
        return st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file at all is the same as no such secret
        return None


@st.cache_resource(show_spinner=False)
def _throttle() -> Throttle:
    """One throttle for the whole server: every session's password attempts."""
    return Throttle()


def authorised() -> bool:
    if _secret("auth"):
        if not st.user.is_logged_in:
            st.button("Log in", on_click=st.login, icon=":material/login:", key="admin.log_in")
            return False
        email = st.user.get("email")
        st.caption(f"Signed in as {email or st.user.get('name') or 'a user without an email'}")
        st.button("Log out", on_click=st.logout, type="tertiary", key="admin.log_out")
        allowed = allow_list(_secret("admin_allow"))
        if is_admin(email, allowed, st.user.get("email_verified")):
            return True
        st.error(
            "This account is not an admin here. An administrator of the server adds its email, or its "
            "domain as @example.com, to admin_allow in .streamlit/secrets.toml"
            + (" (it is empty: nobody is admin yet)." if not allowed else "."),
            icon=":material/lock:",
        )
        return False
    password = _secret("admin_password")
    if not password:
        st.info(
            "Admin is off. Set admin_password in .streamlit/secrets.toml, or configure an identity provider "
            "([auth] in secrets) to sign in with st.login.",
            icon=":material/lock:",
        )
        return False
    if state.admin_granted():
        return True
    throttle, session = _throttle(), state.session_id()
    with st.form("admin.login"):
        typed = st.text_input("Admin password", type="password", key="admin.login.password")
        if st.form_submit_button("Enter", key="admin.login.enter"):
            wait = throttle.wait(session)
            if wait > 0:  # the password is not even compared
                st.error(
                    f"Too many wrong passwords: try again in {math.ceil(wait)} s.", icon=":material/hourglass_top:"
                )
            elif hmac.compare_digest(typed.encode("utf-8"), str(password).encode("utf-8")):
                throttle.succeeded(session)
                state.grant_admin()
                st.rerun()
            else:
                throttle.failed(session)
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
    try:
        store = state.store()
        rows = store.list()
    except StorageError as exc:
        st.error(f"The assessments cannot be listed: {exc}.", icon=":material/error:")
        return
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
                    except StorageError as exc:
                        st.error(f"Not deleted: {exc}.", icon=":material/error:")
                        return
                st.success(f"Deleted {len(chosen)} assessment(s).")
                st.rerun()
