"""Admin: with st.login only the allow-list's emails and domains are admin (nobody by default);
password attempts are throttled (the correct password is refused while a session waits)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}


def _admin(db_path, user: dict, allow: object = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.secrets["auth"] = AUTH
    if allow is not None:
        at.secrets["admin_allow"] = allow
    at.user = user
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("email", "allow", "admitted"),
    [
        ("ana@example.com", None, False),  # nobody by default
        ("ana@example.com", ["ben@example.com"], False),
        ("ana@example.com", ["ana@example.com"], True),
        ("ana@example.com", ["@example.com"], True),
        ("ana@evil-example.com", ["@example.com"], False),
    ],
)
def test_a_signed_in_user_is_admin_only_on_the_allow_list(db_path, email, allow, admitted):
    at = _admin(db_path, {"is_logged_in": True, "email": email}, allow)
    assert bool(at.metric) is admitted
    if not admitted:
        assert any("This account is not an admin here" in e.value for e in at.error)


def test_password_attempts_are_throttled(db_path):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.secrets["admin_password"] = "correct horse"
    at.switch_page("app_pages/admin.py").run()
    for _ in range(3):
        at.text_input(key="admin.login.password").input("wrong")
        at.button(key="admin.login.enter").click().run()
        assert any("Wrong password" in e.value for e in at.error)
    at.text_input(key="admin.login.password").input("correct horse")
    at.button(key="admin.login.enter").click().run()
    assert any("Too many wrong passwords: try again in 2 s" in e.value for e in at.error)
    assert not at.metric  # refused although correct: it was not even compared
