"""Soak: 1000 polls with 10 % of them meeting a random fault, and commands now and then.

Seeded, so a failure repeats. At the end, with the faults gone, every switch and setpoint in Home
Assistant matches the simulated cloud, nothing registered was lost or made again, no exception
reached the log, and the memory held grows by less than a bound over the last 250 polls
(tracemalloc; what the simulated cloud, logging and pytest hold is left out).
"""

from __future__ import annotations

from dataclasses import dataclass
import gc
import logging
import random
import tracemalloc
from typing import TYPE_CHECKING, Final

from homeassistant.components.climate.const import (
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.components.switch.const import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_TEMPERATURE, SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_ON
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.actronair_neo.const import CONFIRM_DELAYS
from tests.faults.harness import (
    NEO,
    QUE,
    SMALL,
    FlattenRecords,
    sim_session,
    unhandled_errors,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from tests.faults.harness import SimSession

# Fail instead of hanging if a request meant to time out never reaches the cloud.
pytestmark = pytest.mark.timeout(120)

SEED: Final = 20251123
POLLS: Final = 1000
# Memory is traced over the last polls only: tracing makes each poll several times slower. Growth
# is measured from MEASURED_FROM, once what each poll replaces (the latest statuses, the last
# error) has been allocated under tracing.
TRACED_FROM: Final = 700
MEASURED_FROM: Final = 750
FAULT_RATE: Final = 0.1
COMMAND_RATE: Final = 0.05
# A leak of one decoded status (~100 KiB) per faulty poll would add 2.5 MiB over 250 polls. A
# steady state measures 120-140 KiB: one status more or less held at either end.
MEMORY_BOUND: Final = 256 * 1024
# Bearers expire every two hours of simulated time: the soak exchanges a few times on the way.
TOKEN_LIFETIME: Final = 2 * 3600.0
SYSTEMS: Final = (NEO, SMALL, QUE)
# Transient faults: (kind, how many requests it hits, which endpoint). The next request meets it,
# a command when one is sent, else the poll. aiohttp repeats a GET once after a reset, so a reset
# hits twice. A hang is kept to polls: the test must know which request to outwait.
TRANSIENT: Final[tuple[tuple[str, int, str | None], ...]] = (
    ("401", 1, None),
    ("429", 1, None),
    ("500", 1, None),
    ("503", 1, None),
    ("timeout", 1, "status"),
    ("reset", 2, None),
    ("malformed_json", 1, None),
    ("truncated_json", 1, None),
    ("missing_keys", 1, None),
    ("offline", 0, None),
)
# Zone switches of the demo systems: (serial, slot).
ZONES: Final = (*((NEO, slot) for slot in range(5)), (SMALL, 0), (SMALL, 1), (QUE, 0), (QUE, 3))
# What a 429 asks for: no longer than a poll interval, so the soak keeps its pace.
RETRY_AFTER: Final = 30.0


@dataclass
class Tally:
    """What happened during the soak."""

    faults: int = 0
    commands: int = 0
    refused: int = 0


@pytest.fixture
def enable_event_loop_debug() -> None:
    """Leave asyncio's debug mode off here (the fault matrix has it on).

    It doubles the cost of each of the 1000 polls, and keeps a traceback for every handle.
    """


@pytest.mark.usefixtures("socket_enabled")
async def test_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """1000 polls, 10 % faulty: correct state at the end, bounded memory, no unhandled error."""
    rng = random.Random(SEED)  # noqa: S311 - seeded so that a failure repeats; no secret
    tally = Tally()
    async with sim_session(hass, freezer, monkeypatch, token_lifetime=TOKEN_LIFETIME) as session:
        # The capture keeps every record for the whole soak: debug ones would cost time, and
        # what the records hold would be the test's memory, not the integration's.
        caplog.set_level(logging.WARNING)
        caplog.handler.addFilter(FlattenRecords())
        before = session.registered()
        for _ in range(TRACED_FROM):
            await _one_poll(session, rng, tally)
        tracemalloc.start()
        try:
            for _ in range(TRACED_FROM, MEASURED_FROM):
                await _one_poll(session, rng, tally)
            start = _allocated()
            for _ in range(MEASURED_FROM, POLLS):
                await _one_poll(session, rng, tally)
            growth = _allocated() - start
        finally:
            tracemalloc.stop()

        session.cloud.faults.clear()
        session.cloud.state.set_online(NEO, True)
        await session.poll(2)
        assert session.unavailable() == set()
        after = session.registered()
        assert (after.devices, after.entry_ids) == (before.devices, before.entry_ids)
        _check_matches_cloud(session)
        assert growth < MEMORY_BOUND, f"{growth} bytes more after {POLLS - MEASURED_FROM} polls"
        assert tally.faults > POLLS * FAULT_RATE / 2
        assert tally.commands > tally.refused > 0
    assert unhandled_errors(caplog.records) == []


async def _one_poll(session: SimSession, rng: random.Random, tally: Tally) -> None:
    """Maybe arm a fault for this poll, maybe send a command, then let the poll happen."""
    cloud = session.cloud
    hang = False
    offline = False
    if rng.random() < FAULT_RATE:
        tally.faults += 1
        kind, count, endpoint = rng.choice(TRANSIENT)
        if kind == "offline":
            offline = True
            cloud.state.set_online(NEO, False)
        else:
            hang = kind == "timeout"
            cloud.faults.inject(kind, count, endpoint=endpoint, retry_after=RETRY_AFTER)
    if rng.random() < COMMAND_RATE:
        await _random_command(session, rng, tally)
    await session.poll(hang=hang)
    if offline:
        cloud.state.set_online(NEO, True)
    # A fault the poll did not reach (a 429 keeps the poll away) must not outlive it.
    cloud.faults.clear()


async def _random_command(session: SimSession, rng: random.Random, tally: Tally) -> None:
    """Change a setting through Home Assistant; let the cloud confirm it with the burst."""
    tally.commands += 1
    choice = rng.randrange(4)
    service = rng.choice((SERVICE_TURN_ON, SERVICE_TURN_OFF))
    try:
        if choice == 0:
            setpoint = rng.randrange(36, 57) / 2
            await session.call(
                CLIMATE_DOMAIN,
                SERVICE_SET_TEMPERATURE,
                session.entity_id(f"{NEO}_climate"),
                {ATTR_TEMPERATURE: setpoint},
            )
        elif choice == 1:
            serial, slot = rng.choice(ZONES)
            await session.call(
                SWITCH_DOMAIN, service, session.entity_id(f"{serial}_zone{slot}_zone")
            )
        else:
            key = "away" if choice == 2 else "quiet"
            serial = rng.choice(SYSTEMS)
            await session.call(SWITCH_DOMAIN, service, session.entity_id(f"{serial}_{key}"))
    except HomeAssistantError:
        # Expected while a 429 blocks the host or the controller is offline.
        tally.refused += 1
        return
    await session.advance(CONFIRM_DELAYS[0])
    await session.advance(CONFIRM_DELAYS[-1] - CONFIRM_DELAYS[0])


def _allocated() -> int:
    """Return the traced bytes still held, leaving out the test's own machinery."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        (
            tracemalloc.Filter(inclusive=False, filename_pattern="*/logging/*"),
            tracemalloc.Filter(inclusive=False, filename_pattern="*/_pytest/*"),
            tracemalloc.Filter(inclusive=False, filename_pattern="*/actronair_neo_sim/*"),
            # Home Assistant's storage, which the harness keeps in memory as parsed JSON: a store
            # written before tracing began and again since counts whole, though it only changed.
            tracemalloc.Filter(inclusive=False, filename_pattern="*/homeassistant/util/json.py"),
            tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__),
        )
    )
    return sum(stat.size for stat in snapshot.statistics("filename"))


def _check_matches_cloud(session: SimSession) -> None:
    """Every switch and the main system's setpoint show what the cloud holds."""
    states = session.states()
    for serial in SYSTEMS:
        settings = session.cloud.state.system(serial).settings
        for key, value in (("away", settings.away), ("quiet", settings.quiet)):
            assert (states[session.entity_id(f"{serial}_{key}")] == STATE_ON) is value, key
        for zone_serial, slot in ZONES:
            if zone_serial == serial:
                entity_id = session.entity_id(f"{serial}_zone{slot}_zone")
                assert (states[entity_id] == STATE_ON) is settings.enabled_zones[slot], entity_id
    climate = session.hass.states.get(session.entity_id(f"{NEO}_climate"))
    assert climate is not None
    assert (
        climate.attributes[ATTR_TEMPERATURE]
        == session.cloud.state.system(NEO).settings.cool_setpoint
    )
