"""`SimulatedCloud`'s life cycle, its binding rule and the clock it is given."""

import aiohttp
import pytest

from actronair_neo_sim import (
    ManualClock,
    RemoteBindError,
    SimulatedCloud,
    check_bind_host,
    default_scenario,
)
from actronair_neo_sim.clock import system_clock

from .conftest import NEO_SERIAL, Api


async def test_urls_exist_only_while_running() -> None:
    cloud = SimulatedCloud()
    with pytest.raises(RuntimeError, match="not running"):
        _ = cloud.url
    async with cloud:
        assert cloud.url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError, match="running already"):
            await cloud.start()
    with pytest.raises(RuntimeError, match="not running"):
        _ = cloud.que_url


def test_remote_binding_needs_permission() -> None:
    with pytest.raises(RemoteBindError):
        SimulatedCloud(host="0.0.0.0")  # noqa: S104
    check_bind_host("0.0.0.0", allow_remote=True)  # noqa: S104
    check_bind_host("localhost")
    check_bind_host("127.0.0.2")


async def test_ipv6_loopback() -> None:
    async with SimulatedCloud(host="::1") as cloud:
        assert cloud.url.startswith("http://[::1]:")


async def test_a_failed_start_leaves_nothing_listening() -> None:
    async with SimulatedCloud() as first:
        port = int(first.url.rsplit(":", 1)[1])
        second = SimulatedCloud(port=0, que_port=port)
        with pytest.raises(OSError, match="address already in use"):
            await second.start()
        with pytest.raises(RuntimeError, match="not running"):
            _ = second.url


async def test_closing_releases_a_hung_request(sim_clock: ManualClock) -> None:
    cloud = SimulatedCloud(default_scenario(), clock=sim_clock)
    await cloud.start()
    async with aiohttp.ClientSession() as session:
        api = Api(session, cloud)
        token = await api.bearer()
        cloud.faults.inject("timeout")
        with pytest.raises(TimeoutError):
            await api.status(NEO_SERIAL, token, patience=0.1)
    await cloud.close()
    await cloud.close()  # closing twice is harmless


def test_the_system_clock_reads_the_time_on_every_call() -> None:
    first = system_clock()
    assert system_clock() >= first


def test_the_manual_clock_only_moves_forward() -> None:
    clock = ManualClock(100.0)
    clock.advance(5)
    clock.set(110.0)
    assert clock() == 110.0
    with pytest.raises(ValueError, match="backwards"):
        clock.set(50.0)


async def test_the_default_clock_follows_freezegun(freezer: object) -> None:
    from freezegun.api import FrozenDateTimeFactory  # noqa: PLC0415 -- typing only

    assert isinstance(freezer, FrozenDateTimeFactory)
    cloud = SimulatedCloud(default_scenario())
    state = cloud.state
    state.send_command(
        NEO_SERIAL, {"command": {"UserAirconSettings.isOn": False, "type": "set-settings"}}
    )
    assert state.status(NEO_SERIAL)["lastKnownState"]["UserAirconSettings"]["isOn"] is True
    freezer.tick(3)
    assert state.status(NEO_SERIAL)["lastKnownState"]["UserAirconSettings"]["isOn"] is False
