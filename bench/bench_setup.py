"""Setting up: the time a config entry takes to set up, and the memory each system adds.

Memory here is the Python heap held once signed in and set up (tracemalloc): one process runs
many Home Assistant instances in turn and the allocator reuses what earlier ones freed, so its
resident set says little; bench_resident.py measures that in a fresh process per size.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from typing import TYPE_CHECKING, Final

from homeassistant.config_entries import ConfigEntryState
import pytest

from bench.fleet import SIZES, BenchError, fleet

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from bench.results import Results
    from tests.faults.harness import SimSession

SETUPS: Final = 5
# Not the integration's: what the simulated cloud, logging and tracing allocate, and the stores
# the test harness keeps in memory as parsed JSON (Home Assistant writes them to disk).
NOT_OURS: Final = (
    tracemalloc.Filter(inclusive=False, filename_pattern="*/actronair_neo_sim/*"),
    tracemalloc.Filter(inclusive=False, filename_pattern="*/logging/*"),
    tracemalloc.Filter(inclusive=False, filename_pattern="*/homeassistant/util/json.py"),
    tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__),
)


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("systems", SIZES)
async def bench_setup_time(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    results: Results,
    systems: int,
) -> None:
    """Wall time of setting the entry up again (the code already imported), median of 5."""
    async with fleet(hass, freezer, monkeypatch, systems) as session:
        spent = [await _setup_again(session) for _ in range(SETUPS)]
    median = statistics.median(spent)
    results.add(
        "setup",
        "set-up time of a config entry (wall, code already loaded)",
        f"{median * 1000:.0f} ms (median of {SETUPS})",
        "reference",
        systems=systems,
    )
    results.sample("set-up time", systems, median * 1000, "ms")


async def _setup_again(session: SimSession) -> float:
    hass, entry = session.hass, session.entry
    if not await hass.config_entries.async_unload(entry.entry_id):
        raise BenchError("the entry did not unload")
    started = _wall()
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    spent = _wall() - started
    if entry.state is not ConfigEntryState.LOADED:
        raise BenchError(f"the entry did not set up: {entry.state}")
    return spent


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("systems", SIZES)
async def bench_memory_heap(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    results: Results,
    systems: int,
) -> None:
    """Python heap that signing in and setting up leaves held (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        async with fleet(hass, freezer, monkeypatch, systems):
            gc.collect()
            heap = _traced()
    finally:
        tracemalloc.stop()
    results.add(
        "memory",
        "Python heap held by the signed-in, set-up entry",
        f"{heap / 1024:.0f} KiB",
        "reference",
        systems=systems,
    )
    results.sample("Python heap held", systems, heap / 1024, "KiB")


def _traced() -> int:
    snapshot = tracemalloc.take_snapshot().filter_traces(NOT_OURS)
    return sum(stat.size for stat in snapshot.statistics("filename"))


def _wall() -> float:
    """Return a monotonic clock in seconds that freezegun leaves running."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)
