"""A stage's timebox in a workshop: the minutes the stage takes (frameworks/dialogue), a clock the
facilitator starts, pauses and resets. Plain arithmetic on timestamps; the page only draws it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timebox:
    minutes: int
    elapsed: float = 0.0  # seconds counted before the clock last started
    started_at: float | None = None  # epoch seconds when it last started; None while paused

    def spent(self, now: float) -> float:
        """Seconds spent so far."""
        return self.elapsed + (max(now - self.started_at, 0.0) if self.started_at is not None else 0.0)

    def left(self, now: float) -> float:
        """Seconds left (negative once over time)."""
        return self.minutes * 60 - self.spent(now)

    def start(self, now: float) -> Timebox:
        return self if self.started_at is not None else Timebox(self.minutes, self.elapsed, now)

    def pause(self, now: float) -> Timebox:
        return Timebox(self.minutes, self.spent(now), None)

    def reset(self) -> Timebox:
        return Timebox(self.minutes)


def clock(seconds: float) -> str:
    """12:05, or +03:10 once over time."""
    sign = "+" if seconds < 0 else ""
    s = int(abs(seconds) + (0 if seconds >= 0 else 0.999))
    return f"{sign}{s // 60:02d}:{s % 60:02d}"
