"""Polling: requests per poll and system, bearer renewals, a restart, CPU per update.

Requests are counted by the simulated cloud; bearer lifetimes are lived through on the frozen
clock, polled once an hour; a restart is a reload with the stored (still valid) bearer.
"""

from __future__ import annotations

from itertools import pairwise
import json
import statistics
import time
from typing import TYPE_CHECKING, Final

import pytest

from bench.fleet import SIZES, ZONES, BenchError, cpu_median, fleet
from tests.faults.harness import POLL

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from bench.results import Results
    from tests.faults.harness import SimSession

STEADY_POLLS: Final = 20
CPU_POLLS: Final = 15
HOUR: Final = 3600.0
# Bearer lifetimes to live through, polled once an hour (each hour's poll is a full poll).
LIFETIMES: Final = 3


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("systems", SIZES)
async def bench_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    results: Results,
    systems: int,
) -> None:
    """Measure requests and CPU of steady polling, a restart, and bearer renewals."""
    async with fleet(hass, freezer, monkeypatch, systems) as session:
        await _steady_requests(session, results, systems)
        await _update_cpu(session, results, systems)
        await _restart(session, results, systems)
        await _bearer_lifetimes(session, results, systems)


async def _steady_requests(session: SimSession, results: Results, systems: int) -> None:
    requests = session.cloud.requests
    requests.reset()
    await session.poll(STEADY_POLLS)
    per_poll = requests.count() / STEADY_POLLS
    per_system = per_poll / systems
    others = requests.count() - requests.count("status")
    results.add(
        "requests",
        "cloud requests per poll per system (steady state)",
        f"{per_system:.2f} ({per_poll:.0f} per poll for {systems * ZONES} zones, {others} other)",
        "exactly 1",
        systems=systems,
        met=per_system == 1,
    )
    results.sample("requests per poll", systems, per_poll, "requests")


async def _update_cpu(session: SimSession, results: Results, systems: int) -> None:
    """CPU of one poll, and the share of it the in-process simulator spends rendering."""
    update = await cpu_median(lambda: session.advance(POLL), CPU_POLLS)
    state = session.cloud.state
    serials = [system.serial for system in state.systems()]

    async def render() -> None:
        for serial in serials:
            json.dumps(state.status(serial))

    cloud = await cpu_median(render, CPU_POLLS)
    results.add(
        "cpu",
        "CPU time of one coordinator update (poll), simulator included",
        f"{update * 1000:.1f} ms (simulator rendering {cloud * 1000:.1f} ms of it)",
        "reference",
        systems=systems,
    )
    results.sample("CPU per poll", systems, update * 1000, "ms")


async def _restart(session: SimSession, results: Results, systems: int) -> None:
    """Reload the entry as a restart would: the stored bearer is still valid."""
    hass, requests = session.hass, session.cloud.requests
    requests.reset()
    started = time.process_time()
    if not await hass.config_entries.async_reload(session.entry.entry_id):
        raise BenchError("the entry did not reload")
    await hass.async_block_till_done(wait_background_tasks=True)
    tokens = requests.count("token")
    results.add(
        "requests",
        "token requests on a restart with a valid stored bearer",
        f"{tokens} ({requests.count()} requests in all, "
        f"{(time.process_time() - started) * 1000:.0f} ms CPU)",
        "0",
        systems=systems,
        met=tokens == 0,
    )


async def _bearer_lifetimes(session: SimSession, results: Results, systems: int) -> None:
    """Live through several bearer lifetimes; count exchanges and the time between them."""
    requests, lifetime = session.cloud.requests, session.cloud.state.token_lifetime
    exchanges: list[float] = []
    for _ in range(int(LIFETIMES * lifetime / HOUR) + 1):
        # The log keeps the last 1000 requests: read each hour's before the next.
        requests.reset()
        await session.advance(HOUR)
        exchanges += [record.at for record in requests.records if record.endpoint == "token"]
    if len(exchanges) < LIFETIMES - 1:
        raise BenchError(f"only {len(exchanges)} exchanges in {LIFETIMES} bearer lifetimes")
    between = statistics.mean(later - earlier for earlier, later in pairwise(exchanges))
    per_lifetime = lifetime / between
    results.add(
        "requests",
        "token exchanges per bearer lifetime",
        f"{per_lifetime:.2f} ({len(exchanges)} in {LIFETIMES} lifetimes of "
        f"{lifetime / HOUR:.0f} h, one every {between / HOUR:.1f} h)",
        "1",
        systems=systems,
        met=round(per_lifetime, 1) == 1,
    )
