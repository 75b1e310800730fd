"""What the benchmarks share: fleets of generated systems, signed in, and CPU time per call."""

from __future__ import annotations

from contextlib import asynccontextmanager
import statistics
import time
from typing import TYPE_CHECKING, Final

from actronair_neo_sim import generate_scenario
from tests.faults.harness import EMAIL, PASSWORD, sim_session

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    import pytest

    from tests.faults.harness import SimSession

SIZES: Final = (1, 4, 16)
ZONES: Final = 8


class BenchError(AssertionError):
    """A benchmark could not measure what it set out to (not a missed goal)."""


def first_serial(systems: int = 1) -> str:
    """Return the serial of generated system `systems` (the first by default)."""
    return f"s{systems:07d}"


@asynccontextmanager
async def fleet(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    systems: int,
) -> AsyncIterator[SimSession]:
    """Sign in to a cloud of `systems` generated Neo systems of 8 zones; poll once."""
    scenario = generate_scenario(systems, email=EMAIL, password=PASSWORD)
    async with sim_session(hass, freezer, monkeypatch, scenario) as session:
        await session.poll()
        yield session


async def cpu_median(action: Callable[[], Awaitable[object]], repeat: int) -> float:
    """Return the median process time, in seconds, of awaiting `action` `repeat` times."""
    spent = []
    for _ in range(repeat):
        started = time.process_time()
        await action()
        spent.append(time.process_time() - started)
    return statistics.median(spent)
