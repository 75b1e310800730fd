"""Moves a system through time: due commands are applied and drift ticks run, in time order.

Work happens lazily, whenever someone looks (a status read, a command, the admin endpoint), and
covers exactly the time the clock says has passed, so the outcome depends on the clock alone. While
a wall controller is offline its reported state stands still; it catches up when the controller
comes back.
"""

import bisect
import math
from typing import Final

from . import physics
from .commands import Change, apply_changes
from .system import TICK_SECONDS, PendingCommand, SystemState

# After a day without anyone looking, every temperature has long converged: older ticks are skipped.
MAX_CATCH_UP_SECONDS: Final = 86400.0


def settle(system: SystemState, now: float) -> None:
    """Bring `system` up to `now` (or to the moment it went offline)."""
    horizon = now if system.offline_since is None else min(now, system.offline_since)
    if horizon - system.next_tick > MAX_CATCH_UP_SECONDS:
        skipped = math.floor((horizon - MAX_CATCH_UP_SECONDS - system.next_tick) / TICK_SECONDS)
        system.next_tick += skipped * TICK_SECONDS
    while True:
        command_at = system.pending[0].apply_at if system.pending else math.inf
        event_at = min(command_at, system.next_tick)
        if event_at > horizon:
            break
        if command_at <= system.next_tick:
            apply_changes(system, system.pending.pop(0).changes)
        else:
            physics.step(system, TICK_SECONDS)
            system.next_tick += TICK_SECONDS
        system.last_report = max(system.last_report, event_at)


def queue_command(
    system: SystemState, changes: tuple[Change, ...], now: float, delay: float
) -> float:
    """Accept a validated command, shown `delay` seconds from `now`; return when it will show."""
    settle(system, now)
    apply_at = now + delay
    # Commands due at the same moment apply in the order they were sent.
    bisect.insort(system.pending, PendingCommand(apply_at, changes), key=lambda c: c.apply_at)
    settle(system, now)
    return apply_at


def set_online(system: SystemState, online: bool, now: float) -> None:
    """Take the wall controller offline (its state freezes) or bring it back (it catches up)."""
    settle(system, now)
    if online:
        system.offline_since = None
    elif system.offline_since is None:
        system.offline_since = now
    settle(system, now)
