"""The API client against the simulated cloud, over real loopback HTTP.

The simulator implements the cloud on its own (it does not import the client), so these tests
catch a client that only agrees with its own mocks: pairing and the token exchange, the systems
list and every status, every command builder shown after the command delay, command merging, and
every fault the simulator injects mapped to the client's error, with the next call working again
once the fault is gone. Requests are counted in the simulator's request log, on the wire.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Final, NamedTuple

import pytest

from actronair_neo_sim import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    ManualClock,
    RequestLog,
    SimulatedCloud,
    default_scenario,
    demo_small_system,
)
from custom_components.actronair_neo.api import (
    ActronBearerRejectedError,
    ActronConnectionError,
    ActronError,
    ActronInvalidCredentialsError,
    ActronInvalidResponseError,
    ActronNeoClient,
    ActronPairingRevokedError,
    ActronRateLimitedError,
    ActronRequestRejectedError,
    ActronResponseError,
    ActronServerError,
    ActronSystemNotFoundError,
    ActronSystemOfflineError,
    ActronTimeoutError,
    ActronValidationError,
    AuthTokens,
    Command,
    FanSpeed,
    HvacMode,
    Limits,
    SystemStatus,
    commands,
)

from .conftest import NEO_SERIAL, QUE_SERIAL, SMALL_SERIAL

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory

DEVICE_ID: Final = "ha-client-against-sim"
DELAY: Final = 3.0  # the vendor's command delay, as the simulator plays it
# Loopback answers in milliseconds; the timeout faults wait this long for nothing.
REQUEST_TIMEOUT: Final = 0.5
# Long enough for two gathered sends to land in one window, short enough to wait for in real time.
MERGE_WINDOW: Final = 0.05
ALL_SERIALS: Final = (NEO_SERIAL, SMALL_SERIAL, QUE_SERIAL)


class Sim(NamedTuple):
    """The simulated cloud, the clock that drives it, and a client pointed at both of its hosts."""

    cloud: SimulatedCloud
    clock: ManualClock
    client: ActronNeoClient


def new_client(
    cloud: SimulatedCloud, *, tokens: AuthTokens | None = None, command_merge_window: float = 0
) -> ActronNeoClient:
    """Build a client for the simulator's two hosts, with its own session."""
    return ActronNeoClient(
        device_unique_id=DEVICE_ID,
        base_url=cloud.url,
        que_base_url=cloud.que_url,
        tokens=tokens,
        command_merge_window=command_merge_window,
        request_timeout=REQUEST_TIMEOUT,
    )


@pytest.fixture
async def sim(socket_enabled: None) -> AsyncIterator[Sim]:
    """Run the demo account plus a Que system on its own host, and an unpaired client."""
    clock = ManualClock()
    async with SimulatedCloud(
        default_scenario(que=True), clock=clock, command_delay=DELAY
    ) as cloud:
        client = new_client(cloud)
        try:
            yield Sim(cloud, clock, client)
        finally:
            await client.close()


@pytest.fixture
async def paired(sim: Sim) -> Sim:
    """Pair the client and let it list the systems and mint a bearer on both hosts.

    The request log is emptied afterwards, so that a test counts only its own requests.
    """
    await sim.client.pair(DEMO_EMAIL, DEMO_PASSWORD)
    await sim.client.systems()
    await sim.client.status(QUE_SERIAL)
    sim.cloud.requests.reset()
    return sim


# Pairing and tokens.


async def test_pairing_again_with_the_same_device_id_keeps_one_user_device(sim: Sim) -> None:
    await sim.client.pair(DEMO_EMAIL, DEMO_PASSWORD)
    await sim.client.systems()
    tokens = await sim.client.pair(DEMO_EMAIL, DEMO_PASSWORD)

    devices = sim.cloud.state.auth.devices(DEMO_EMAIL)
    assert [device.id for device in devices] == [tokens.pairing.user_device_id]
    assert sim.client.tokens == tokens
    assert sim.cloud.requests.count("pair") == 2
    # The first pairing's bearer died with it; the new pairing is exchanged for a new one.
    await sim.client.systems()
    assert sim.cloud.requests.count("token") == 2


async def test_a_wrong_password_pairs_nothing(sim: Sim) -> None:
    with pytest.raises(ActronInvalidCredentialsError):
        await sim.client.pair(DEMO_EMAIL, "not-the-password")

    assert sim.client.tokens is None
    assert sim.cloud.state.auth.devices(DEMO_EMAIL) == []
    with pytest.raises(ActronPairingRevokedError):
        await sim.client.systems()
    assert sim.cloud.requests.by_endpoint() == {"pair": 1}


async def test_one_exchange_serves_every_call_on_a_host(sim: Sim) -> None:
    await sim.client.pair(DEMO_EMAIL, DEMO_PASSWORD)
    assert sim.cloud.requests.count("token") == 0  # pairing alone does not exchange

    # Concurrent first calls share the one exchange.
    await asyncio.gather(
        sim.client.systems(), sim.client.status(NEO_SERIAL), sim.client.status(SMALL_SERIAL)
    )
    await sim.client.status(NEO_SERIAL)

    assert sim.cloud.requests.count("token", host="neo") == 1
    assert sim.cloud.requests.count("token", host="que") == 0
    assert sim.cloud.requests.count("status", host="neo") == 3


async def test_the_que_host_mints_its_own_bearer(sim: Sim) -> None:
    await sim.client.pair(DEMO_EMAIL, DEMO_PASSWORD)
    await sim.client.systems()
    status = await sim.client.status(QUE_SERIAL)

    assert status.serial == QUE_SERIAL
    assert sim.cloud.requests.count("token", host="neo") == 1
    assert sim.cloud.requests.count("token", host="que") == 1
    assert sim.cloud.requests.count("status", host="que", serial=QUE_SERIAL) == 1
    tokens = sim.client.tokens
    assert tokens is not None
    assert set(tokens.bearers) == {sim.cloud.url, sim.cloud.que_url}
    neo, que = tokens.bearers[sim.cloud.url], tokens.bearers[sim.cloud.que_url]
    assert neo.access_token != que.access_token


async def test_restored_tokens_make_no_token_request(paired: Sim) -> None:
    tokens = paired.client.tokens
    assert tokens is not None
    stored = tokens.to_dict()

    async with new_client(paired.cloud, tokens=AuthTokens.from_dict(stored)) as restored:
        await restored.systems()
        for serial in ALL_SERIALS:
            await restored.status(serial)

    assert paired.cloud.requests.count("token") == 0
    assert paired.cloud.requests.count("pair") == 0
    assert paired.cloud.requests.count("status") == len(ALL_SERIALS)


# The systems list and the status.


async def test_the_systems_list_matches_the_account(paired: Sim) -> None:
    systems = await paired.client.systems()

    expected = {
        system.serial: (system.spec.system_type, system.spec.description, system.spec.is_que)
        for system in paired.cloud.state.systems(DEMO_EMAIL)
    }
    assert {s.serial: (s.system_type, s.description, s.is_que) for s in systems} == expected
    assert {s.serial for s in systems if s.is_que} == {QUE_SERIAL}


@pytest.mark.parametrize("serial", ALL_SERIALS)
async def test_every_status_parses_as_the_simulator_holds_it(paired: Sim, serial: str) -> None:
    status = await paired.client.status(serial)
    system = paired.cloud.state.system(serial)
    spec, settings = system.spec, system.settings

    assert status.serial == serial
    assert status.is_online is True
    assert (
        status.settings.is_on,
        status.settings.mode,
        status.settings.fan_mode,
        status.settings.cool_setpoint,
        status.settings.heat_setpoint,
        status.settings.enabled_zones,
        status.settings.away,
        status.settings.quiet,
        status.settings.turbo_supported,
        status.settings.turbo_enabled,
        status.settings.zone_setpoint_variance,
    ) == (
        settings.is_on,
        HvacMode(settings.mode),
        settings.fan_mode,
        settings.cool_setpoint,
        settings.heat_setpoint,
        tuple(settings.enabled_zones),
        settings.away,
        settings.quiet,
        spec.turbo_supported,
        settings.turbo,
        spec.zone_variance,
    )
    assert status.settings.supported_modes == {HvacMode(mode) for mode in spec.supported_modes}
    assert status.limits == Limits(
        spec.cool_min, spec.cool_max, spec.heat_min, spec.heat_max, spec.min_gap
    )
    assert [
        (zone.index, zone.exists, zone.name, zone.itc, zone.cool_setpoint, zone.heat_setpoint)
        for zone in status.zones
    ] == [
        (slot, zone.exists, zone.name, zone.itc, zone.cool_setpoint, zone.heat_setpoint)
        for slot, zone in enumerate(system.zones)
    ]
    # A zone's own wireless sensor is found in the zone and, as a peripheral, assigned to it.
    sensors = {
        zone.sensor_serial: slot
        for slot, zone in enumerate(system.zones)
        if zone.sensor_serial is not None
    }
    for sensor, slot in sensors.items():
        assert sensor in {s.serial for s in status.zones[slot].sensors}
    assigned = {p.serial: p.zone_index for p in status.peripherals if p.serial in sensors}
    assert assigned == sensors


async def test_missing_keys_leave_fields_unknown_without_an_error(paired: Sim) -> None:
    paired.cloud.faults.inject("missing_keys", endpoint="status")

    status = await paired.client.status(NEO_SERIAL)

    assert status.settings.is_on is True  # what is still there is read
    assert status.settings.fan_mode is None
    assert status.settings.fan_speed is None
    assert status.settings.enabled_zones == ()
    assert status.master.temperature is None
    assert status.live.compressor_mode is None
    assert status.zones == ()
    assert status.limits == Limits()
    complete = await paired.client.status(NEO_SERIAL)
    assert len(complete.zones) == len(paired.cloud.state.system(NEO_SERIAL).zones)
    assert complete.settings.fan_mode == "AUTO+CONT"


# Commands: every builder, on a system that takes it.

type Build = Callable[[SystemStatus], Command]
type Read = Callable[[SystemStatus], object]


@dataclass(frozen=True, kw_only=True)
class CommandCase:
    """A builder call on one system, what it changes in the status, and the value it shows."""

    serial: str
    build: Build
    read: Read
    expected: object


def master_setpoints(status: SystemStatus) -> tuple[float | None, float | None]:
    return status.settings.cool_setpoint, status.settings.heat_setpoint


def zone_setpoints(slot: int) -> Read:
    def read(status: SystemStatus) -> object:
        zone = status.zones[slot]
        return zone.cool_setpoint, zone.heat_setpoint

    return read


def enabled_zones(status: SystemStatus) -> object:
    return status.settings.enabled_zones


def fan_mode(status: SystemStatus) -> object:
    return status.settings.fan_mode


# The demo: NEO is on, COOL 23/20, AUTO+CONT, zones 0-3 on (0 and 2 with ITC), Study (4) off at
# 60 % airflow, turbo supported. SMALL is off, HEAT 24/20, LOW, MinGap 0. QUE is off, AUTO 24/19,
# MinGap 2, DRY supported, zone 0 with ITC.
COMMAND_CASES: Final = {
    "power_off": CommandCase(
        serial=NEO_SERIAL,
        build=lambda _: commands.power(on=False),
        read=lambda s: s.settings.is_on,
        expected=False,
    ),
    "power_on_que": CommandCase(
        serial=QUE_SERIAL,
        build=lambda _: commands.power(on=True),
        read=lambda s: s.settings.is_on,
        expected=True,
    ),
    "mode": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.mode(s, HvacMode.HEAT),
        read=lambda s: s.settings.mode,
        expected=HvacMode.HEAT,
    ),
    "mode_dry_que": CommandCase(
        serial=QUE_SERIAL,
        build=lambda s: commands.mode(s, HvacMode.DRY),
        read=lambda s: s.settings.mode,
        expected=HvacMode.DRY,
    ),
    "fan_speed_keeps_continuous": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.fan_speed(s, FanSpeed.HIGH),
        read=fan_mode,
        expected="HIGH+CONT",
    ),
    "fan_speed_without_continuous": CommandCase(
        serial=SMALL_SERIAL,
        build=lambda s: commands.fan_speed(s, FanSpeed.HIGH),
        read=fan_mode,
        expected="HIGH",
    ),
    "continuous_fan_off_keeps_speed": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.continuous_fan(s, on=False),
        read=fan_mode,
        expected="AUTO",
    ),
    "continuous_fan_on_in_the_units_style": CommandCase(
        serial=SMALL_SERIAL,
        build=lambda s: commands.continuous_fan(s, on=True, style="-CONT"),
        read=fan_mode,
        expected="LOW-CONT",
    ),
    "setpoint_cool": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.setpoints(s, cool=21.5),
        read=master_setpoints,
        expected=(21.5, 20.0),
    ),
    "setpoint_heat_not_held_back_by_cool": CommandCase(
        serial=SMALL_SERIAL,
        build=lambda s: commands.setpoints(s, heat=25),
        read=master_setpoints,
        expected=(24.0, 25.0),
    ),
    "auto_cool_pushes_heat_down_by_min_gap": CommandCase(
        serial=QUE_SERIAL,
        build=lambda s: commands.setpoints(s, cool=20),
        read=master_setpoints,
        expected=(20.0, 18.0),
    ),
    "auto_heat_pushes_cool_up_by_min_gap": CommandCase(
        serial=QUE_SERIAL,
        build=lambda s: commands.setpoints(s, heat=23),
        read=master_setpoints,
        expected=(25.0, 23.0),
    ),
    "auto_both_setpoints": CommandCase(
        serial=QUE_SERIAL,
        build=lambda s: commands.setpoints(s, cool=26, heat=21),
        read=master_setpoints,
        expected=(26.0, 21.0),
    ),
    "zone_on": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.zone_enabled(s, 4, on=True),
        read=enabled_zones,
        expected=(True, True, True, True, True, False, False, False),
    ),
    "zone_off": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.zone_enabled(s, 1, on=False),
        read=enabled_zones,
        expected=(True, False, True, True, False, False, False, False),
    ),
    "zone_setpoint": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.zone_setpoints(s, 0, cool=22),
        read=zone_setpoints(0),
        expected=(22.0, 20.0),
    ),
    "zone_setpoint_kept_within_the_variance": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.zone_setpoints(s, 2, cool=16),
        read=zone_setpoints(2),
        expected=(21.0, 20.0),
    ),
    "zone_setpoint_que": CommandCase(
        serial=QUE_SERIAL,
        build=lambda s: commands.zone_setpoints(s, 0, heat=20.5),
        read=zone_setpoints(0),
        expected=(24.0, 20.5),
    ),
    "zone_airflow": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.zone_airflow(s, 4, 85),
        read=lambda s: s.zones[4].airflow_setpoint,
        expected=85,
    ),
    "away": CommandCase(
        serial=NEO_SERIAL,
        build=lambda _: commands.away(on=True),
        read=lambda s: s.settings.away,
        expected=True,
    ),
    "quiet": CommandCase(
        serial=NEO_SERIAL,
        build=lambda _: commands.quiet(on=True),
        read=lambda s: s.settings.quiet,
        expected=True,
    ),
    "turbo": CommandCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.turbo(s, on=True),
        read=lambda s: s.settings.turbo_enabled,
        expected=True,
    ),
}


@pytest.mark.parametrize("case", COMMAND_CASES.values(), ids=COMMAND_CASES.keys())
async def test_a_command_shows_after_the_delay(paired: Sim, case: CommandCase) -> None:
    client, clock = paired.client, paired.clock
    before = await client.status(case.serial)
    command = case.build(before)
    assert not command.is_reflected_in(before)

    result = await client.send(case.serial, command)

    assert result.type == "ack"
    assert paired.cloud.requests.count("command", serial=case.serial) == 1
    clock.advance(DELAY - 0.1)
    pending = await client.status(case.serial)
    assert not command.is_reflected_in(pending)
    assert case.read(pending) == case.read(before)
    clock.advance(0.1)
    after = await client.status(case.serial)
    assert command.is_reflected_in(after)
    assert case.read(after) == case.expected
    # The optimistic state the integration shows meanwhile is what the cloud ends up with.
    assert case.read(before.apply(command)) == case.expected


@dataclass(frozen=True, kw_only=True)
class RefusedCase:
    """A builder call the system cannot take, and the raw command the cloud would refuse."""

    serial: str
    build: Build
    code: str
    raw: Command


REFUSED_CASES: Final = {
    "turbo_unsupported": RefusedCase(
        serial=SMALL_SERIAL,
        build=lambda s: commands.turbo(s, on=True),
        code="turbo_unsupported",
        raw=Command({"UserAirconSettings.TurboMode.Enabled": True}),
    ),
    "mode_not_supported": RefusedCase(
        serial=SMALL_SERIAL,
        build=lambda s: commands.mode(s, HvacMode.AUTO),
        code="mode_not_supported",
        raw=Command({"UserAirconSettings.Mode": "AUTO"}),
    ),
    "zone_unknown": RefusedCase(
        serial=NEO_SERIAL,
        build=lambda s: commands.zone_enabled(s, 6, on=True),
        code="zone_unknown",
        raw=Command({"UserAirconSettings.EnabledZones[6]": True}),
    ),
}


@pytest.mark.parametrize("case", REFUSED_CASES.values(), ids=REFUSED_CASES.keys())
async def test_builders_refuse_what_the_cloud_refuses(paired: Sim, case: RefusedCase) -> None:
    status = await paired.client.status(case.serial)
    with pytest.raises(ActronValidationError) as refused:
        case.build(status)
    assert refused.value.code == case.code
    assert paired.cloud.requests.count("command") == 0

    # Sent anyway, the cloud answers 400 and changes nothing.
    with pytest.raises(ActronRequestRejectedError) as rejected:
        await paired.client.send(case.serial, case.raw)
    assert rejected.value.status == 400
    paired.clock.advance(DELAY)
    assert not case.raw.is_reflected_in(await paired.client.status(case.serial))


# Merging.


async def test_commands_within_the_window_go_out_as_one_request(paired: Sim) -> None:
    status = await paired.client.status(NEO_SERIAL)
    power, mode = commands.power(on=False), commands.mode(status, HvacMode.FAN)

    async with new_client(
        paired.cloud, tokens=paired.client.tokens, command_merge_window=MERGE_WINDOW
    ) as client:
        first, second = await asyncio.gather(
            client.send(NEO_SERIAL, power), client.send(NEO_SERIAL, mode)
        )

    assert first == second
    assert paired.cloud.requests.count("command") == 1
    paired.clock.advance(DELAY)
    after = await paired.client.status(NEO_SERIAL)
    assert power.is_reflected_in(after)
    assert mode.is_reflected_in(after)


async def test_commands_to_different_systems_are_not_merged(paired: Sim) -> None:
    async with new_client(
        paired.cloud, tokens=paired.client.tokens, command_merge_window=MERGE_WINDOW
    ) as client:
        await client.systems()  # to learn which host serves the Que system
        await asyncio.gather(
            client.send(NEO_SERIAL, commands.away(on=True)),
            client.send(QUE_SERIAL, commands.away(on=True)),
        )

    assert paired.cloud.requests.count("command", host="neo", serial=NEO_SERIAL) == 1
    assert paired.cloud.requests.count("command", host="que", serial=QUE_SERIAL) == 1


async def test_closing_sends_the_commands_still_waiting(paired: Sim) -> None:
    client = new_client(paired.cloud, tokens=paired.client.tokens, command_merge_window=60)
    waiting = asyncio.create_task(
        client.send(NEO_SERIAL, commands.quiet(on=True)), eager_start=True
    )
    assert paired.cloud.requests.count("command") == 0

    await client.close()

    assert (await waiting).type == "ack"
    assert paired.cloud.requests.count("command") == 1


# Faults.

type Call = Callable[[ActronNeoClient], Awaitable[object]]
type Step = Callable[[Sim], Awaitable[None]]


def status_of(serial: str) -> Call:
    """Read a system's status."""

    def call(client: ActronNeoClient) -> Awaitable[object]:
        return client.status(serial)

    return call


def command_to(serial: str) -> Call:
    """Send a command any system takes."""

    def call(client: ActronNeoClient) -> Awaitable[object]:
        return client.send(serial, commands.away(on=True))

    return call


async def list_systems(client: ActronNeoClient) -> object:
    return await client.systems()


def inject(kind: str, count: int | None = 1, *, endpoint: str, host: str | None = None) -> Step:
    """Arm a fault rule for the next `count` matching requests (None: until cleared)."""

    async def arm(sim: Sim) -> None:
        sim.cloud.faults.inject(kind, count, endpoint=endpoint, host=host)

    return arm


async def clear_faults(sim: Sim) -> None:
    sim.cloud.faults.clear()


async def expire_bearers(sim: Sim) -> None:
    sim.cloud.state.expire_bearers()


async def revoke_pairing(sim: Sim) -> None:
    sim.cloud.state.revoke_pairing(email=DEMO_EMAIL)


async def pair_again(sim: Sim) -> None:
    await sim.client.pair(DEMO_EMAIL, DEMO_PASSWORD)


def set_online(serial: str, *, online: bool) -> Step:
    async def step(sim: Sim) -> None:
        sim.cloud.state.set_online(serial, online)

    return step


async def remove_small_system(sim: Sim) -> None:
    sim.cloud.state.remove_system(SMALL_SERIAL)


async def add_small_system(sim: Sim) -> None:
    sim.cloud.state.add_system(demo_small_system(), DEMO_EMAIL)


@dataclass(frozen=True, kw_only=True)
class FaultCase:
    """A fault, the call that meets it, and how the client must come out of it.

    `error` None: the client gets round the fault and the call succeeds. `attempts`: requests to
    `endpoint` the call makes (None: not checked; a request the client gave up on is logged only
    when the simulator lets it go); `exchanges`: token requests it makes.
    """

    arm: Step
    call: Call
    endpoint: str
    error: type[ActronError] | None
    status: int | None = None  # the error's HTTP status, for response errors
    attempts: int | None = 1
    exchanges: int = 0
    clear: Step = clear_faults


FAULT_CASES: Final = {
    "401_once_re_exchanges": FaultCase(
        arm=inject("401", endpoint="status"),
        call=status_of(NEO_SERIAL),
        endpoint="status",
        error=None,
        attempts=2,
        exchanges=1,
    ),
    "401_once_on_the_que_host_re_exchanges": FaultCase(
        arm=inject("401", endpoint="command", host="que"),
        call=command_to(QUE_SERIAL),
        endpoint="command",
        error=None,
        attempts=2,
        exchanges=1,
    ),
    "expired_bearers_re_exchange": FaultCase(
        arm=expire_bearers,
        call=list_systems,
        endpoint="systems",
        error=None,
        attempts=2,
        exchanges=1,
    ),
    "401_always": FaultCase(
        arm=inject("401", None, endpoint="status"),
        call=status_of(NEO_SERIAL),
        endpoint="status",
        error=ActronBearerRejectedError,
        status=401,
        attempts=2,
        exchanges=1,
    ),
    "pairing_revoked": FaultCase(
        arm=revoke_pairing,
        call=status_of(NEO_SERIAL),
        endpoint="status",
        error=ActronPairingRevokedError,
        status=400,
        exchanges=1,
        clear=pair_again,
    ),
    "pairing_revoked_on_the_que_host": FaultCase(
        arm=revoke_pairing,
        call=status_of(QUE_SERIAL),
        endpoint="status",
        error=ActronPairingRevokedError,
        status=400,
        exchanges=1,
        clear=pair_again,
    ),
    "500": FaultCase(
        arm=inject("500", endpoint="status"),
        call=status_of(NEO_SERIAL),
        endpoint="status",
        error=ActronServerError,
        status=500,
    ),
    "500_on_a_command": FaultCase(
        arm=inject("500", endpoint="command"),
        call=command_to(NEO_SERIAL),
        endpoint="command",
        error=ActronServerError,
        status=500,
    ),
    "503_on_a_command": FaultCase(
        arm=inject("503", endpoint="command"),
        call=command_to(NEO_SERIAL),
        endpoint="command",
        error=ActronSystemOfflineError,
        status=503,
    ),
    "controller_offline": FaultCase(
        arm=set_online(QUE_SERIAL, online=False),
        call=command_to(QUE_SERIAL),
        endpoint="command",
        error=ActronSystemOfflineError,
        status=503,
        clear=set_online(QUE_SERIAL, online=True),
    ),
    "unknown_serial": FaultCase(
        arm=remove_small_system,
        call=status_of(SMALL_SERIAL),
        endpoint="status",
        error=ActronSystemNotFoundError,
        status=404,
        clear=add_small_system,
    ),
    "unknown_serial_on_a_command": FaultCase(
        arm=remove_small_system,
        call=command_to(SMALL_SERIAL),
        endpoint="command",
        error=ActronSystemNotFoundError,
        status=404,
        clear=add_small_system,
    ),
    "timeout": FaultCase(
        arm=inject("timeout", endpoint="status"),
        call=status_of(NEO_SERIAL),
        endpoint="status",
        error=ActronTimeoutError,
        attempts=None,
    ),
    "timeout_on_a_command": FaultCase(
        arm=inject("timeout", endpoint="command"),
        call=command_to(NEO_SERIAL),
        endpoint="command",
        error=ActronTimeoutError,
        attempts=None,
    ),
    # aiohttp repeats a GET once on a reset kept-alive connection, hence two resets.
    "reset": FaultCase(
        arm=inject("reset", 2, endpoint="status"),
        call=status_of(NEO_SERIAL),
        endpoint="status",
        error=ActronConnectionError,
        attempts=None,
    ),
    "reset_on_a_command": FaultCase(
        arm=inject("reset", endpoint="command"),
        call=command_to(NEO_SERIAL),
        endpoint="command",
        error=ActronConnectionError,
    ),
    "malformed_json": FaultCase(
        arm=inject("malformed_json", endpoint="status"),
        call=status_of(NEO_SERIAL),
        endpoint="status",
        error=ActronInvalidResponseError,
        status=200,
    ),
    "truncated_json": FaultCase(
        arm=inject("truncated_json", endpoint="systems"),
        call=list_systems,
        endpoint="systems",
        error=ActronInvalidResponseError,
        status=200,
    ),
    "malformed_json_on_a_command": FaultCase(
        arm=inject("malformed_json", endpoint="command"),
        call=command_to(NEO_SERIAL),
        endpoint="command",
        error=ActronInvalidResponseError,
        status=200,
    ),
}


def answered(requests: RequestLog, endpoint: str) -> int:
    """Count the requests to `endpoint` answered 200 (a released hang may be logged late)."""
    return sum(1 for r in requests.records if r.endpoint == endpoint and r.status == HTTPStatus.OK)


@pytest.mark.parametrize("case", FAULT_CASES.values(), ids=FAULT_CASES.keys())
async def test_each_fault_maps_to_its_error_and_passes(paired: Sim, case: FaultCase) -> None:
    requests = paired.cloud.requests
    await case.arm(paired)

    if case.error is None:
        await case.call(paired.client)
    else:
        with pytest.raises(ActronError) as raised:
            await case.call(paired.client)
        assert raised.type is case.error
        if case.status is not None:
            assert isinstance(raised.value, ActronResponseError)
            assert raised.value.status == case.status
    if case.attempts is not None:
        assert requests.count(case.endpoint) == case.attempts
    assert requests.count("token") == case.exchanges

    await case.clear(paired)
    requests.reset()
    await case.call(paired.client)
    assert answered(requests, case.endpoint) == 1


async def test_a_429_keeps_the_host_quiet_until_retry_after_passes(
    paired: Sim, freezer: FrozenDateTimeFactory
) -> None:
    requests = paired.cloud.requests
    paired.cloud.faults.inject("429", endpoint="status", host="neo", retry_after=30)

    with pytest.raises(ActronRateLimitedError) as limited:
        await paired.client.status(NEO_SERIAL)
    assert limited.value.retry_after == 30
    assert limited.value.status == 429

    freezer.tick(29)
    with pytest.raises(ActronRateLimitedError) as still_limited:
        await paired.client.status(SMALL_SERIAL)
    assert still_limited.value.retry_after == pytest.approx(1)
    with pytest.raises(ActronRateLimitedError):
        await paired.client.send(NEO_SERIAL, commands.away(on=True))
    assert requests.count(host="neo") == 1
    # Only the host that asked for the pause is paused.
    await paired.client.status(QUE_SERIAL)

    freezer.tick(1)
    await paired.client.status(NEO_SERIAL)
    assert requests.count("status", host="neo") == 2
