"""Admin access: an allow-list of emails and domains decides who is admin (nobody by default), and
password attempts are throttled per session and for all sessions together."""

from __future__ import annotations

import pytest

from salesopt.access import Throttle, allow_list, is_admin


def test_nobody_is_admin_without_an_allow_list():
    assert allow_list(None) == []
    assert not is_admin("ana@example.com", allow_list(None))
    assert not is_admin("ana@example.com", allow_list(""))


@pytest.mark.parametrize(
    ("email", "admitted"),
    [
        ("ana@example.com", True),
        ("ANA@Example.com ", True),  # case and spaces as providers send them
        ("ben@example.com", False),  # only Ana by name
        ("zoe@partner.org", True),  # the whole domain
        ("zoe@evil-partner.org", False),
        ("zoe@mail.partner.org", False),  # a subdomain is another domain
        ("partner.org", False),
        ("zoe@partner.org.evil.com", False),
        (None, False),
        ("", False),
    ],
)
def test_an_allow_list_admits_named_emails_and_whole_domains_exactly(email, admitted):
    allowed = allow_list(["Ana@example.com", "@partner.org"])
    assert is_admin(email, allowed) is admitted


def test_a_string_allow_list_and_an_unverified_email():
    allowed = allow_list("ana@example.com, partner.org")
    assert allowed == ["ana@example.com", "partner.org"]
    assert is_admin("zoe@partner.org", allowed)
    assert not is_admin("ana@example.com", allowed, email_verified=False)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_password_attempts_wait_twice_as_long_after_each_failure_past_the_free_ones():
    clock = Clock()
    t = Throttle(free=3, base=2.0, cap=60.0, clock=clock)
    for _ in range(3):
        assert t.wait("s") == 0
        t.failed("s")
    assert t.wait("s") == 2.0  # the 3rd failure costs 2 s
    clock.now += 2
    assert t.wait("s") == 0
    t.failed("s")
    assert t.wait("s") == 4.0
    clock.now += 4
    t.failed("s")
    assert t.wait("s") == 8.0
    for _ in range(10):
        clock.now += 60
        t.failed("s")
    assert t.wait("s") == 60.0  # capped
    assert t.wait("another session") == 0
    t.succeeded("s")
    assert t.wait("s") == 0


def test_new_sessions_do_not_buy_more_guesses():
    clock = Clock()
    t = Throttle(free=3, global_limit=30, window=60.0, clock=clock)
    for i in range(30):  # 30 sessions, one wrong password each, within 30 s
        t.failed(f"session {i}")
        clock.now += 1
    assert t.wait("a fresh session") == 30.0  # until the first of them leaves the minute
    clock.now += 30
    assert t.wait("a fresh session") == 0
