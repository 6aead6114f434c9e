"""Admin (hidden from the menu, at /admin): list, export and delete every assessment.

Behind st.login when an identity provider is configured ([auth] in secrets), else behind
admin_password from secrets, compared in constant time; off when neither is set."""

import streamlit as st

from ui import admin_ui, page

page.frame()
st.title("Admin")
if admin_ui.authorised():
    admin_ui.assessments_panel()
