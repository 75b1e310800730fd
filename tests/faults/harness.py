"""Home Assistant signed in to the simulated cloud through the real config flow, on a frozen clock.

Shared by the fault matrix, the soak test, the security checks and the benchmarks. The simulator
runs on loopback with the default `system_clock`, which reads freezegun's time: one
`freezer.tick()` moves Home Assistant, the client's token expiry and the cloud together, and
`SimSession.advance()` then fires the timers that became due (polls, confirmation re-polls, the
client's merge window and request timeout) and waits for what they start.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
import logging
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, CONF_EMAIL, CONF_PASSWORD, STATE_UNAVAILABLE
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er

# The harness ships no type information (no py.typed).
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    async_fire_time_changed,
    async_fire_time_changed_exact,
)

from actronair_neo_sim import AccountSpec, Scenario, SimulatedCloud, default_scenario
from custom_components.actronair_neo.api.const import (
    DEFAULT_COMMAND_MERGE_WINDOW,
    DEFAULT_REQUEST_TIMEOUT,
)
from custom_components.actronair_neo.const import (
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    ENV_API_URL,
    ENV_QUE_API_URL,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterable, Mapping

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
    from homeassistant.core import HomeAssistant
    import pytest

POLL: Final = float(DEFAULT_POLL_INTERVAL)
# A password nothing else in a test run contains, so finding it anywhere means it leaked.
PASSWORD: Final = "Sim-pass-7c41e0-do-not-store"
EMAIL: Final = "fault.matrix@example.com"
# The client's defaults: commands issued within the window go out as one request; a request
# without an answer is given up after the timeout.
MERGE_WINDOW: Final = DEFAULT_COMMAND_MERGE_WINDOW
REQUEST_TIMEOUT: Final = DEFAULT_REQUEST_TIMEOUT

NEO: Final = "26c00841"
SMALL: Final = "26c01562"
QUE: Final = "26q04213"

# What Home Assistant logs when an exception escapes into it unhandled.
UNHANDLED_MARKERS: Final = (
    "Error doing job",
    "Unexpected error",
    "Task exception was never retrieved",
    "Exception in callback",
    "Unhandled exception",
    "Traceback (most recent call last)",
)


def demo_scenario(email: str = EMAIL, password: str = PASSWORD) -> Scenario:
    """Return the demo account (two Neo systems and a Que one) under our own credentials."""
    (demo,) = default_scenario(que=True).accounts
    return Scenario(accounts=(AccountSpec(email=email, password=password, systems=demo.systems),))


@dataclass(frozen=True)
class Registered:
    """What the entry has registered: devices and entities, with their registry ids.

    `devices` maps a device identifier to the device's registry id, `entities` a unique id to the
    entity id, `entry_ids` a unique id to the entity's registry id: an entry removed and made
    again keeps its identifier but not its registry id (nor the user's changes to it).
    """

    devices: dict[str, str]
    entities: dict[str, str]
    entry_ids: dict[str, str]


class HangWatch:
    """Tells when a request reaches a `timeout` fault and hangs there.

    The client gives up after its request timeout, on the loop's clock, which only moves when the
    test ticks it: the test must know the request is hanging before it lets that time pass.
    """

    def __init__(self, cloud: SimulatedCloud) -> None:
        """Watch the cloud's hangs from now on."""
        self._started = asyncio.Event()
        hang = cloud.faults.hang

        async def watched_hang() -> None:
            self._started.set()
            await hang()

        cloud.faults.hang = watched_hang  # type: ignore[method-assign]

    async def wait(self) -> None:
        """Wait until a request hangs (one that started since the last wait counts)."""
        await self._started.wait()
        self._started.clear()


@dataclass
class SimSession:
    """Home Assistant with one entry signed in to a simulated cloud, and time in hand."""

    hass: HomeAssistant
    cloud: SimulatedCloud
    freezer: FrozenDateTimeFactory
    entry: ConfigEntry
    hangs: HangWatch
    email: str = EMAIL
    password: str = PASSWORD

    def tick(self, seconds: float, *, exact: bool = False) -> None:
        """Move the clock and fire the timers due by then, without waiting for what they start.

        Not `exact`, timers due up to half a second later fire too, as Home Assistant spreads
        polls over that half second; `exact` fires only those due by now (for shorter steps).
        """
        self.freezer.tick(timedelta(seconds=seconds))
        if exact:
            async_fire_time_changed_exact(self.hass)
        else:
            async_fire_time_changed(self.hass)

    async def outwait_hang(self) -> None:
        """Wait until a request hangs, then let the client's request timeout pass."""
        await self.hangs.wait()
        self.tick(REQUEST_TIMEOUT)

    async def advance(self, seconds: float, *, hang: bool = False, exact: bool = False) -> None:
        """Let time pass: the timers due by then fire, and what they start finishes.

        `hang`: what starts meets a `timeout` fault, which the client then gives up on. `exact`:
        see `tick`.
        """
        self.tick(seconds, exact=exact)
        if hang:
            await self.outwait_hang()
        await self.hass.async_block_till_done(wait_background_tasks=True)

    async def poll(self, count: int = 1, *, hang: bool = False) -> None:
        """Let `count` poll intervals pass, one at a time."""
        for _ in range(count):
            await self.advance(POLL, hang=hang)

    def registered(self) -> Registered:
        """Return the entry's devices and entities as the registries hold them now."""
        devices = dr.async_entries_for_config_entry(dr.async_get(self.hass), self.entry.entry_id)
        entities = er.async_entries_for_config_entry(er.async_get(self.hass), self.entry.entry_id)
        return Registered(
            devices={
                ident: device.id
                for device in devices
                for domain, ident in device.identifiers
                if domain == DOMAIN
            },
            entities={entity.unique_id: entity.entity_id for entity in entities},
            entry_ids={entity.unique_id: entity.id for entity in entities},
        )

    def states(self) -> dict[str, str]:
        """Return the state of each of the entry's entities (absent ones are left out)."""
        found = {}
        for entity_id in self.registered().entities.values():
            if (state := self.hass.states.get(entity_id)) is not None:
                found[entity_id] = state.state
        return found

    def unavailable(self) -> set[str]:
        """Return the entity ids of the entry's entities that are unavailable."""
        return {
            entity_id for entity_id, state in self.states().items() if state == STATE_UNAVAILABLE
        }

    def entities_of(self, serial: str) -> set[str]:
        """Return the entity ids of a system's entities (its zones' included)."""
        prefix = serial.casefold() + "_"
        return {
            entity_id
            for unique_id, entity_id in self.registered().entities.items()
            if unique_id.startswith(prefix)
        }

    def entity_id(self, unique_id: str) -> str:
        """Return the entity id of one of the entry's entities."""
        return self.registered().entities[unique_id]

    def reauth_flows(self) -> list[ConfigFlowResult]:
        """Return the re-authentication flows in progress for the entry."""
        return [
            flow
            for flow in self.hass.config_entries.flow.async_progress_by_handler(DOMAIN)
            if flow["context"].get("source") == "reauth"
            and flow["context"].get("entry_id") == self.entry.entry_id
        ]

    async def finish_reauth(self) -> None:
        """Complete the one re-authentication flow in progress with the right password."""
        (flow,) = self.reauth_flows()
        result = await self.hass.config_entries.flow.async_configure(
            flow["flow_id"], {CONF_PASSWORD: self.password}
        )
        if result["type"] is not FlowResultType.ABORT or result["reason"] != "reauth_successful":
            raise AssertionError(f"re-authentication did not succeed: {result}")
        await self.hass.async_block_till_done(wait_background_tasks=True)

    def start(
        self, domain: str, service: str, entity_id: str, data: Mapping[str, Any] | None = None
    ) -> asyncio.Task[Any]:
        """Start an entity action: it runs until its command waits in the client's merge window.

        Started eagerly, so the optimistic state is already shown when this returns.
        """
        return self.hass.async_create_task(
            self.hass.services.async_call(
                domain, service, {ATTR_ENTITY_ID: entity_id, **(data or {})}, blocking=True
            ),
            eager_start=True,
        )

    async def call(
        self,
        domain: str,
        service: str,
        entity_id: str,
        data: Mapping[str, Any] | None = None,
        *,
        hang: bool = False,
    ) -> None:
        """Call an entity action and let the merge window pass, so its command goes out.

        Raises what the action raises. `hang`: the command meets a `timeout` fault.
        """
        action = self.start(domain, service, entity_id, data)
        self.tick(MERGE_WINDOW)
        if hang:
            await self.outwait_hang()
        try:
            await action
        finally:
            await self.hass.async_block_till_done(wait_background_tasks=True)


async def sign_in(
    hass: HomeAssistant, cloud: SimulatedCloud, *, email: str = EMAIL, password: str = PASSWORD
) -> ConfigEntry:
    """Add the account through the user step of the config flow; return the set-up entry."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: email, CONF_PASSWORD: password}
    )
    if result["type"] is not FlowResultType.CREATE_ENTRY:
        raise AssertionError(f"signing in to {cloud.url} failed: {result}")
    await hass.async_block_till_done()
    entry: ConfigEntry = result["result"]
    if entry.state is not ConfigEntryState.LOADED:
        raise AssertionError(f"the entry did not load: {entry.state}")
    return entry


def point_at(monkeypatch: pytest.MonkeyPatch, cloud: SimulatedCloud) -> None:
    """Make new entries talk to the simulated cloud (both hosts)."""
    monkeypatch.setenv(ENV_API_URL, cloud.url)
    monkeypatch.setenv(ENV_QUE_API_URL, cloud.que_url)


@asynccontextmanager
async def sim_session(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    scenario: Scenario | None = None,
    *,
    before_sign_in: Callable[[SimulatedCloud], object] | None = None,
    **cloud_options: Any,
) -> AsyncIterator[SimSession]:
    """Run a simulated cloud and an entry signed in to it; unload the entry before the cloud stops.

    `before_sign_in` sees the cloud before the config flow starts. The caller must have requested
    `socket_enabled` (loopback only).
    """
    async with SimulatedCloud(scenario or demo_scenario(), **cloud_options) as cloud:
        if before_sign_in is not None:
            before_sign_in(cloud)
        point_at(monkeypatch, cloud)
        entry = await sign_in(hass, cloud)
        session = SimSession(
            hass=hass, cloud=cloud, freezer=freezer, entry=entry, hangs=HangWatch(cloud)
        )
        try:
            yield session
        finally:
            # Commands still in the merge window go out on unload: the cloud must still listen.
            if entry.state is ConfigEntryState.LOADED:
                await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done(wait_background_tasks=True)


class FlattenRecords(logging.Filter):
    """Turn captured log records into text as they are captured.

    A record keeps its arguments and exception, and through the exception's traceback every frame
    it passed and what those frames held (whole statuses): over a soak, the capture, not the code
    under test, would hold on to all of it. The text, traceback included, stays for the checks.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, as text only."""
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        return True


def unhandled_errors(records: Iterable[logging.LogRecord]) -> list[str]:
    """Return the log records that show an exception escaping into Home Assistant."""
    found = []
    for record in records:
        text = record.getMessage()
        if (record.levelno >= logging.ERROR and (record.exc_info or record.exc_text)) or any(
            marker in text for marker in UNHANDLED_MARKERS
        ):
            found.append(f"{record.levelname} {record.name}: {text}")
    return found
