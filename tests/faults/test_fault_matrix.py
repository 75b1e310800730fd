"""The fault matrix: each fault the simulated cloud injects, one test body, a table of expectations.

For each fault the entry, signed in through the real config flow, meets the fault in a command and
two polls, then the fault clears (and the user signs in again when it was an auth fault). Checked:
entities are unavailable exactly while their data is missing, a command during the fault raises
a translated HomeAssistantError (or works, when the client gets round the fault), re-authentication
starts only for auth faults and only once, nothing configured is lost, no exception reaches Home
Assistant's log, and afterwards a command is confirmed by the cloud as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
import re
from typing import TYPE_CHECKING, Final

from homeassistant.components.switch.const import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest

from actronair_neo_sim import demo_neo_system, demo_small_system
from custom_components.actronair_neo.const import CONFIRM_DELAYS, DOMAIN, SYSTEMS_REFRESH_INTERVAL
from tests.faults.harness import EMAIL, NEO, POLL, QUE, SMALL, sim_session, unhandled_errors

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from actronair_neo_sim import SimulatedCloud, ZoneSpec
    from tests.faults.harness import Registered, SimSession

# Fail instead of hanging if a request meant to time out never reaches the cloud.
pytestmark = pytest.mark.timeout(30)

RETRY_AFTER: Final = 60.0
SYSTEMS_REREAD: Final = SYSTEMS_REFRESH_INTERVAL.total_seconds()
# The demo's Study: zone slot 4 of the main system, in use but closed.
STUDY_SLOT: Final = 4
NEW_SYSTEM = replace(demo_small_system(), serial="26c09999", description="Shed")
_ZONE_UNIQUE_ID = re.compile(r"^[0-9a-z]+_zone\d+_")

# Which of the entities registered before the fault are unavailable while it lasts (of those
# with a state: disabled ones have none).
type Expected = Callable[[Registered], set[str]]


def nothing(_before: Registered) -> set[str]:
    """Return no entity: none is unavailable."""
    return set()


def everything(before: Registered) -> set[str]:
    """Return every entity: the cloud could not be read."""
    return set(before.entities.values())


def offline(*serials: str) -> Expected:
    """Return the systems' entities, except the sensors saying that they are offline."""
    prefixes = tuple(f"{serial}_" for serial in serials)
    connections = {f"{serial}_cloud_connection" for serial in serials}

    def expected(before: Registered) -> set[str]:
        return {
            entity_id
            for unique_id, entity_id in before.entities.items()
            if unique_id.startswith(prefixes) and unique_id not in connections
        }

    return expected


def zone_entities(before: Registered) -> set[str]:
    """Return the zones' entities: the status came without its zones."""
    return {
        entity_id
        for unique_id, entity_id in before.entities.items()
        if _ZONE_UNIQUE_ID.match(unique_id)
    }


def every(kind: str, retry_after: float = RETRY_AFTER) -> Callable[[SimulatedCloud], object]:
    """Fail every request, on both hosts, until cleared."""
    return lambda cloud: cloud.faults.inject(kind, count=None, retry_after=retry_after)


def clear_faults(cloud: SimulatedCloud) -> None:
    """Disarm every fault rule."""
    cloud.faults.clear()


def _study() -> ZoneSpec:
    """Return the demo's Study zone, to put back in its slot."""
    zone = demo_neo_system().zones[STUDY_SLOT]
    if zone is None:
        raise LookupError("the demo system has no Study zone any more")
    return zone


def devices_of(serial: str, *zones: int) -> frozenset[str]:
    """Return the device identifiers of a system and of some of its zones."""
    return frozenset({serial, *(f"{serial}_zone{zone}" for zone in zones)})


@dataclass(frozen=True, kw_only=True)
class Fault:
    """A fault, how it starts and ends, and what the integration must do meanwhile."""

    name: str
    inject: Callable[[SimulatedCloud], object]
    clear: Callable[[SimulatedCloud], object] = clear_faults
    # Entities unavailable while the fault lasts.
    unavailable: Expected
    # The translation key of the error a command during the fault raises; None: it works.
    command_error: str | None
    # The switch the command turns on.
    command_switch: str = f"{NEO}_away"
    reauth: bool = False
    # Requests meet a `timeout` fault: the client gives up after its request timeout.
    hang: bool = False
    # How long the integration may take to recover once the fault is cleared.
    recovery: float = POLL
    # Devices that go away while the fault lasts (the cloud removed them) and come back after.
    gone: frozenset[str] = frozenset()
    # Devices that appear while the fault lasts and go away after.
    extra: frozenset[str] = frozenset()
    # Systems with an offline repair issue while the fault lasts.
    issues: frozenset[str] = field(default_factory=frozenset)
    # The polls (0, 1) during which the cloud must hear nothing: waiting out a Retry-After, or
    # waiting for the user to sign in again.
    silent: frozenset[int] = frozenset()


FAULTS: Final = (
    Fault(
        name="401 once",
        inject=lambda cloud: cloud.faults.inject("401"),
        unavailable=nothing,
        command_error=None,
    ),
    Fault(
        name="401 always",
        inject=every("401"),
        unavailable=everything,
        command_error="auth_failed",
        reauth=True,
        silent=frozenset({1}),
    ),
    Fault(
        name="revoked pairing",
        inject=lambda cloud: cloud.state.revoke_pairing(email=EMAIL),
        clear=lambda _cloud: None,
        unavailable=everything,
        command_error="auth_failed",
        reauth=True,
        silent=frozenset({1}),
    ),
    Fault(
        name="429 with Retry-After",
        inject=every("429"),
        unavailable=everything,
        command_error="rate_limited",
        recovery=RETRY_AFTER,
        silent=frozenset({0}),
    ),
    Fault(name="500", inject=every("500"), unavailable=everything, command_error="server_error"),
    Fault(
        name="503 offline",
        inject=every("503"),
        unavailable=offline(NEO, SMALL, QUE),
        command_error="system_offline",
        issues=frozenset({NEO, SMALL, QUE}),
    ),
    Fault(
        name="controller offline",
        inject=lambda cloud: cloud.state.set_online(NEO, False),
        clear=lambda cloud: cloud.state.set_online(NEO, True),
        unavailable=offline(NEO),
        command_error="system_offline",
        issues=frozenset({NEO}),
    ),
    Fault(
        name="timeout",
        inject=every("timeout"),
        unavailable=everything,
        command_error="timeout",
        hang=True,
    ),
    Fault(
        name="connection reset",
        inject=every("reset"),
        unavailable=everything,
        command_error="cannot_connect",
    ),
    Fault(
        name="malformed JSON",
        inject=every("malformed_json"),
        unavailable=everything,
        command_error="invalid_response",
    ),
    Fault(
        name="truncated JSON",
        inject=every("truncated_json"),
        unavailable=everything,
        command_error="invalid_response",
    ),
    Fault(
        name="missing keys",
        inject=every("missing_keys"),
        unavailable=zone_entities,
        command_error=None,
    ),
    Fault(
        name="system removed",
        inject=lambda cloud: cloud.state.remove_system(SMALL),
        clear=lambda cloud: cloud.state.add_system(demo_small_system(), EMAIL),
        unavailable=nothing,
        command_error="system_not_found",
        command_switch=f"{SMALL}_away",
        recovery=SYSTEMS_REREAD,
        gone=devices_of(SMALL, 0, 1),
    ),
    Fault(
        name="zone removed",
        inject=lambda cloud: cloud.state.remove_zone(NEO, STUDY_SLOT),
        clear=lambda cloud: cloud.state.add_zone(NEO, _study(), STUDY_SLOT),
        unavailable=nothing,
        command_error="request_rejected",
        command_switch=f"{NEO}_zone{STUDY_SLOT}_zone",
        gone=devices_of(NEO, STUDY_SLOT) - {NEO},
    ),
    Fault(
        name="new system",
        inject=lambda cloud: cloud.state.add_system(NEW_SYSTEM, EMAIL),
        clear=lambda cloud: cloud.state.remove_system(NEW_SYSTEM.serial),
        unavailable=nothing,
        command_error=None,
        recovery=SYSTEMS_REREAD,
        extra=devices_of(NEW_SYSTEM.serial, 0, 1),
    ),
)


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("fault", [pytest.param(fault, id=fault.name) for fault in FAULTS])
async def test_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
) -> None:
    """The integration rides out the fault and recovers when it clears, losing nothing."""
    async with sim_session(hass, freezer, monkeypatch) as session:
        await session.poll()
        assert session.unavailable() == set()
        before = session.registered()
        shown = set(session.states())
        reauths: list[int] = []

        fault.inject(session.cloud)
        await _command_during(session, fault)
        reauths.append(len(session.reauth_flows()))
        for poll in range(2):
            session.cloud.requests.reset()
            await session.poll(hang=fault.hang)
            if poll in fault.silent:
                assert session.cloud.requests.count() == 0
            if fault.extra:
                # A new system shows when the systems list is next read.
                await session.advance(SYSTEMS_REREAD)
            _check_during(session, fault, before, shown)
            reauths.append(len(session.reauth_flows()))
        assert reauths == [int(fault.reauth)] * 3

        fault.clear(session.cloud)
        if fault.reauth:
            await session.finish_reauth()
        await session.advance(fault.recovery)

        assert session.unavailable() == set()
        assert session.reauth_flows() == []
        _check_nothing_lost(session, fault, before, session.registered())
        for serial in fault.issues:
            assert ir.async_get(hass).async_get_issue(DOMAIN, f"system_offline_{serial}") is None
        await _check_commands_confirmed(session)
    assert unhandled_errors(caplog.records) == []


async def _command_during(session: SimSession, fault: Fault) -> None:
    """Turn a switch on while the fault lasts: a translated error, or the switch is on."""
    entity_id = session.entity_id(fault.command_switch)
    if fault.command_error is None:
        await session.call(SWITCH_DOMAIN, SERVICE_TURN_ON, entity_id)
        assert session.states()[entity_id] == STATE_ON
        return
    before = session.states()[entity_id]
    with pytest.raises(HomeAssistantError) as raised:
        await session.call(SWITCH_DOMAIN, SERVICE_TURN_ON, entity_id, hang=fault.hang)
    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == fault.command_error
    # The optimistic state is withdrawn with the command (an offline controller is learnt at once).
    assert session.states()[entity_id] in {before, STATE_UNAVAILABLE}


def _check_during(session: SimSession, fault: Fault, before: Registered, shown: set[str]) -> None:
    """While the fault lasts: devices kept, the right entities unavailable, issues raised."""
    now = session.registered()
    assert before.devices.keys() - now.devices.keys() == fault.gone
    assert now.devices.keys() - before.devices.keys() == fault.extra
    kept = {uid: eid for uid, eid in before.entities.items() if not _on_devices(uid, fault.gone)}
    assert {uid: now.entities.get(uid) for uid in kept} == kept
    assert session.unavailable() == fault.unavailable(before) & shown
    issues = ir.async_get(session.hass)
    for serial in fault.issues:
        assert issues.async_get_issue(DOMAIN, f"system_offline_{serial}") is not None


def _on_devices(unique_id: str, devices: frozenset[str]) -> bool:
    """Return True when an entity's unique id places it on one of the devices."""
    return any(
        unique_id.startswith(f"{device}_") and ("_zone" in device or "_zone" not in unique_id)
        for device in devices
    )


def _check_nothing_lost(
    session: SimSession, fault: Fault, before: Registered, after: Registered
) -> None:
    """Check every device and entity is back; those never gone are the very same entries."""
    assert after.devices.keys() == before.devices.keys()
    assert after.entities == before.entities
    changed = fault.gone | fault.extra
    assert {ident: after.devices[ident] for ident in before.devices if ident not in changed} == {
        ident: device_id for ident, device_id in before.devices.items() if ident not in changed
    }
    untouched = [uid for uid in before.entities if not _on_devices(uid, changed)]
    assert {uid: after.entry_ids[uid] for uid in untouched} == {
        uid: before.entry_ids[uid] for uid in untouched
    }


async def _check_commands_confirmed(session: SimSession) -> None:
    """After the fault a command shows at once and the cloud confirms it."""
    entity_id = session.entity_id(f"{NEO}_quiet")
    cloud = session.cloud.state
    wanted = not cloud.system(NEO).settings.quiet
    service = SERVICE_TURN_ON if wanted else SERVICE_TURN_OFF
    await session.call(SWITCH_DOMAIN, service, entity_id)
    assert session.states()[entity_id] == (STATE_ON if wanted else STATE_OFF)
    # The burst of re-polls, one at a time.
    await session.advance(CONFIRM_DELAYS[0])
    await session.advance(CONFIRM_DELAYS[-1] - CONFIRM_DELAYS[0])
    assert cloud.system(NEO).settings.quiet is wanted
    assert session.states()[entity_id] == (STATE_ON if wanted else STATE_OFF)
