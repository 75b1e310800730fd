"""The simulator's sense of time: one injectable wall clock, so tests can move it.

Everything time-driven (the command delay, temperature drift, token expiry, `lastStatusUpdate`)
reads the same clock, a callable returning seconds since the epoch. The default reads `time.time()`
at each call, not a reference taken at import, so freezegun (Home Assistant's `freezer`) moves the
simulator along with the test.
"""

from collections.abc import Callable
import time

type Clock = Callable[[], float]

# 2025-06-15T12:00:00Z: a fixed, unremarkable start so manual-clock runs are reproducible.
DEFAULT_MANUAL_START = 1_749_988_800.0


def system_clock() -> float:
    """Return the current wall time, looked up on every call so freezegun's patch applies."""
    return time.time()


class ManualClock:
    """A clock that only moves when told to: `clock.advance(3)` makes three seconds pass at once."""

    def __init__(self, start: float = DEFAULT_MANUAL_START) -> None:
        """Start the clock at `start` (seconds since the epoch)."""
        self._now = start

    def __call__(self) -> float:
        """Return the clock's current time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward; time never runs backwards."""
        if seconds < 0:
            raise ValueError(f"cannot move the clock backwards ({seconds} s)")
        self._now += seconds

    def set(self, now: float) -> None:
        """Jump to `now`, which must not be earlier than the current time."""
        self.advance(now - self._now)
