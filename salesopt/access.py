"""Who may use the admin page: an allow-list of emails and domains for signed-in users (nobody when
it is empty), and a throttle on admin password attempts (an exponential delay per session, and one
for all sessions together, so that opening new sessions does not buy more guesses)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


def allow_list(raw: object) -> list[str]:
    """The allow-list from secrets: a list of entries, or one string of entries separated by commas
    or spaces; each entry lower-cased (an email ``ana@example.com``, or a domain ``@example.com``
    or ``example.com``)."""
    if raw is None:
        return []
    items: Iterable[object] = raw.replace(",", " ").split() if isinstance(raw, str) else raw  # type: ignore[assignment]
    try:
        entries = [str(i).strip().lower() for i in items]
    except TypeError:
        return []
    return [e for e in entries if e and e != "@"]


def is_admin(email: object, allowed: Iterable[str], email_verified: object = None) -> bool:
    """Whether a signed-in user with ``email`` is an admin: the email is on the list, or its domain
    is (exactly: ``@example.com`` admits ``ana@example.com``, not ``ana@evil-example.com`` nor
    ``ana@mail.example.com``). An identity provider that says the email is not verified admits nobody;
    an empty list admits nobody."""
    if not isinstance(email, str) or email_verified is False:
        return False
    address = email.strip().lower()
    local, at, domain = address.rpartition("@")
    if not local or not at or not domain:
        return False
    for entry in allowed:
        if "@" in entry.lstrip("@"):
            if address == entry:
                return True
        elif domain == entry.lstrip("@"):
            return True
    return False


@dataclass
class Throttle:
    """Password attempts, per session and for all sessions together.

    A session may fail ``free`` times; after that each failure doubles its wait (``base`` seconds
    after the first one over, up to ``cap``). When all sessions together failed ``global_limit``
    times within ``window`` seconds, every session waits until the oldest of them leaves the window.
    A success clears the session's count (not the global one)."""

    free: int = 3
    base: float = 2.0
    cap: float = 300.0
    global_limit: int = 30
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _recent: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, session: str) -> float:
        """Seconds before ``session`` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            self._forget(now)
            count, last = self._failures.get(session, (0, now))
            own = 0.0
            if count >= self.free:
                own = max(0.0, last + min(self.cap, self.base * 2 ** (count - self.free)) - now)
            every = 0.0
            if len(self._recent) >= self.global_limit:
                every = max(0.0, self._recent[0] + self.window - now)
            return max(own, every)

    def failed(self, session: str) -> None:
        now = self.clock()
        with self._lock:
            count, _ = self._failures.get(session, (0, now))
            self._failures[session] = (count + 1, now)
            self._recent.append(now)
            self._forget(now)

    def succeeded(self, session: str) -> None:
        with self._lock:
            self._failures.pop(session, None)

    def _forget(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - self.window:
            self._recent.popleft()
        if len(self._failures) > 10_000:  # sessions long gone: keep the table small
            stale = [k for k, (_, last) in self._failures.items() if last < now - self.cap * 2]
            for k in stale:
                del self._failures[k]
