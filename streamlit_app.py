"""salesopt: the router. Pages live in app_pages/, calculations in salesopt/. (Not pages/: a folder of
that name beside the entry script makes Streamlit show its own menu of page file names.)

Each page opens with ``page.frame()`` (ui/page.py: URL sync, sidebar, banners) rather than this script
drawing them: AppTest (Streamlit 1.67) runs only the page script after a page switch, and the
frame must be there for the tests too.
"""

import streamlit as st

from ui import state

WIDE_PAGES = {"funnel", "performance", "whatif", "plan"}

page = st.navigation(
    {
        "": [st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)],
        "Engagement": [
            st.Page("app_pages/context.py", title="1 · Sales context", icon=":material/storefront:"),
            st.Page("app_pages/funnel.py", title="2 · Funnel analysis", icon=":material/filter_alt:"),
            st.Page("app_pages/qualification.py", title="3 · Qualification", icon=":material/fact_check:"),
            st.Page("app_pages/enablement.py", title="4 · Enablement", icon=":material/school:"),
            st.Page("app_pages/performance.py", title="5 · Performance", icon=":material/monitoring:"),
        ],
        "Results": [
            st.Page("app_pages/whatif.py", title="What-if", icon=":material/tune:"),
            st.Page("app_pages/plan.py", title="Plan", icon=":material/description:"),
            st.Page("app_pages/admin.py", title="Admin", icon=":material/admin_panel_settings:", visibility="hidden"),
        ],
    }
)
# The analysis pages use the whole screen (charts and tables are drawn to its width); the dialogue
# pages stay a readable column, except in workshop mode, which is wide everywhere.
st.set_page_config(
    page_title="salesopt · Sales process optimization",
    page_icon=":material/trending_up:",
    layout="wide" if state.workshop_mode() or page.url_path in WIDE_PAGES else "centered",
)
page.run()
