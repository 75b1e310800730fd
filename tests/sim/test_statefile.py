"""The state file: a restart keeps pairings, bearers and systems; a bad file falls back loudly."""

import asyncio
import functools
import json
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from actronair_neo_sim import (
    DEMO_EMAIL,
    CloudState,
    ManualClock,
    SimulatedCloud,
    StateFile,
    ZoneSpec,
    default_scenario,
    generate_scenario,
)
from actronair_neo_sim.statefile import CORRUPT_SUFFIX, decode, encode

from .conftest import NEO_SERIAL, QUE_SERIAL, SMALL_SERIAL, Api

if TYPE_CHECKING:
    from pathlib import Path

MODE = "UserAirconSettings.Mode"


def _cloud(path: Path, clock: ManualClock, **kwargs: object) -> SimulatedCloud:
    scenario = kwargs.pop("scenario", default_scenario(que=True))
    return SimulatedCloud(scenario, clock=clock, state_file=path, **kwargs)  # type: ignore[arg-type]


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def _saved(path: Path) -> CloudState:
    return CloudState.from_json(decode(path.read_text()), clock=ManualClock())


async def test_a_restart_keeps_pairings_bearers_and_live_state(tmp_path: Path) -> None:
    path, clock = tmp_path / "state.json", ManualClock()
    async with _cloud(path, clock) as cloud, aiohttp.ClientSession() as session:
        assert cloud.restored is False
        api = Api(session, cloud)
        pairing = await api.pairing_token()
        neo = (await api.exchange(pairing)).json()["access_token"]
        que = (await api.exchange(pairing, base=cloud.que_url)).json()["access_token"]
        assert (await api.send(NEO_SERIAL, neo, {MODE: "HEAT"})).status == 200
        clock.advance(3)
        assert (await api.send(NEO_SERIAL, neo, {MODE: "FAN"})).status == 200  # still pending
        await api.admin("PUT", f"/systems/{SMALL_SERIAL}/online", {"online": False})
        await api.admin("POST", f"/systems/{NEO_SERIAL}/zones", {"zone": {"name": "Attic"}})
    assert path.stat().st_mode & 0o777 == 0o600  # it holds passwords and tokens

    # Another scenario on the command line: the saved state wins over it.
    restart = _cloud(path, clock, scenario=generate_scenario(1))
    async with restart as cloud, aiohttp.ClientSession() as session:
        assert cloud.restored is True
        api = Api(session, cloud)
        status = (await api.status(NEO_SERIAL, neo)).json()["lastKnownState"]
        assert status["UserAirconSettings"]["Mode"] == "HEAT"
        assert status["RemoteZoneInfo"][5]["NV_Title"] == "Attic"
        assert (await api.status(SMALL_SERIAL, neo)).json()["isOnline"] is False
        assert (await api.status(QUE_SERIAL, que, base=cloud.que_url)).status == 200
        assert (await api.status(QUE_SERIAL, neo)).status == 404  # bearers keep their host
        clock.advance(3)  # the command pending at shutdown applies on time
        status = (await api.status(NEO_SERIAL, neo)).json()["lastKnownState"]
        assert status["UserAirconSettings"]["Mode"] == "FAN"
        assert (await api.exchange(pairing)).status == 200
        devices = (await api.request("GET", "/api/v0/client/user-devices", token=neo)).json()
        assert len(devices["_embedded"]["user-device"]) == 1


async def test_bearers_keep_their_expiry_across_a_restart(tmp_path: Path) -> None:
    path, clock = tmp_path / "state.json", ManualClock()
    async with _cloud(path, clock, token_lifetime=100) as cloud:
        device = cloud.state.auth.pair(
            username=DEMO_EMAIL,
            password="demo",
            client="ios",
            device_name="HA",
            unique_identifier="x",
        )
        bearer = cloud.state.auth.exchange(device.pairing_token, "neo")
    # A longer lifetime on the next run applies to new bearers only.
    async with _cloud(path, clock, token_lifetime=1000) as cloud:
        clock.advance(99)
        assert cloud.state.auth.authenticate(bearer.token, "neo") == DEMO_EMAIL
        clock.advance(1)
        assert cloud.state.auth.authenticate(bearer.token, "neo") is None


def test_the_whole_state_round_trips() -> None:
    clock = ManualClock()
    state = CloudState(default_scenario(que=True), clock=clock)
    state.add_account("other@example.com", "pw")
    device = state.auth.pair(
        username=DEMO_EMAIL, password="demo", client="ios", device_name="HA", unique_identifier="x"
    )
    state.auth.exchange(device.pairing_token, "que")
    state.send_command(
        NEO_SERIAL,
        {
            "command": {
                "type": "set-settings",
                "UserAirconSettings.EnabledZones[4]": True,
                "RemoteZoneInfo[0].TemperatureSetpoint_Cool_oC": 22.5,
                "RemoteZoneInfo[1].AirflowSetpoint": 42,
                "UserAirconSettings.FanMode": "HIGH",
            }
        },
    )
    state.add_zone(SMALL_SERIAL, ZoneSpec(name="Shed"), slot=6)
    state.set_online(QUE_SERIAL, False)
    clock.advance(25)  # some drift

    again = CloudState.from_json(json.loads(json.dumps(state.to_json())), clock=clock)

    assert again.to_json() == state.to_json()
    assert again.summary() == state.summary()
    assert again.status(NEO_SERIAL) == state.status(NEO_SERIAL)


async def test_changes_over_http_are_saved_at_once(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    async with _cloud(path, ManualClock()) as cloud, aiohttp.ClientSession() as session:
        api = Api(session, cloud)
        token = await api.bearer()
        [device] = _saved(path).auth.devices(DEMO_EMAIL)  # a killed process keeps the pairing
        assert _saved(path).auth.authenticate(token, "neo") == DEMO_EMAIL
        assert (await api.send(NEO_SERIAL, token, {MODE: "HEAT"})).status == 200
        assert _saved(path).systems()[0].pending
        await api.admin("POST", "/revoke", {"device_id": device.id})
        assert _saved(path).auth.devices(DEMO_EMAIL) == []


async def test_other_changes_are_saved_periodically_and_on_close(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    cloud = _cloud(path, ManualClock(), save_interval=0.01)
    assert cloud.state_file is not None
    state_file, saved = cloud.state_file, asyncio.Event()
    original_save = state_file.save

    def save(state: CloudState) -> bool:
        wrote = original_save(state)
        if wrote:
            saved.set()
        return wrote

    state_file.save = save  # type: ignore[method-assign]
    async with cloud:
        saved.clear()
        cloud.state.set_online(NEO_SERIAL, False)
        await asyncio.wait_for(saved.wait(), timeout=10)
        assert _saved(path).systems()[0].offline_since is not None
        cloud.state.remove_system(SMALL_SERIAL)
        assert cloud.save_state() is True
        assert cloud.save_state() is False  # nothing new: nothing written
        cloud.state.add_account("late@example.com", "pw")
    assert "late@example.com" in _saved(path).auth.accounts()


async def test_without_a_state_file_nothing_is_written(tmp_path: Path) -> None:
    async with SimulatedCloud(clock=ManualClock()) as cloud:
        assert (cloud.state_file, cloud.restored, cloud.save_state()) == (None, False, False)
    assert _names(tmp_path) == []


@functools.cache
def _valid_text() -> str:
    """Return one valid state file with a pairing and a bearer (the same text on every call)."""
    state = CloudState(default_scenario(), clock=ManualClock())
    device = state.auth.pair(
        username=DEMO_EMAIL, password="demo", client="ios", device_name="HA", unique_identifier="x"
    )
    state.auth.exchange(device.pairing_token, "neo")
    return encode(state)


type _Path = tuple[str | int, ...]
_DELETE = object()
_AUTH: _Path = ("state", "auth")
_SYSTEM: _Path = ("state", "systems", 0)
_PENDING: _Path = (*_SYSTEM, "pending")


def _edited(path: _Path, value: object) -> bytes:
    """Return a valid state file with the value at `path` replaced (or, with _DELETE, removed).

    A callable `value` gets the whole file's data and returns the new value.
    """
    data = json.loads(_valid_text())
    *parents, last = path
    node = data
    for key in parents:
        node = node[key]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value(data) if callable(value) else value
    return json.dumps(data).encode()


def _bearer_token(data: dict[str, Any]) -> str:
    return str(data["state"]["auth"]["bearers"][0]["token"])


def _pending(*changes: dict[str, object]) -> list[dict[str, object]]:
    return [{"apply_at": 1, "changes": list(changes)}]


def _nan() -> bytes:
    return _valid_text().replace('"master_temperature": 26.2', '"master_temperature": NaN').encode()


_UNUSABLE: list[tuple[bytes, str]] = [
    (b"{not json", "not JSON"),
    (b"\xff\xfe binary", "cannot read it"),
    (b"[]", "not a simulator state file"),
    (_edited(("format",), "something else"), "not a simulator state file"),
    (_edited(("version",), 99), "version 99"),
    (_edited(("state",), []), "no state in it"),
    (_nan(), "NaN is not a number"),
    (_edited(("state", "extra"), 1), "state: expected auth and systems"),
    (_edited(("state", "systems"), {}), "state.systems: expected a list"),
    (_edited((*_AUTH, "bearers"), _DELETE), "auth: expected accounts, user_devices and"),
    (_edited((*_AUTH, "accounts"), {}), "auth.accounts: expected a list"),
    (
        _edited((*_AUTH, "user_devices", 0, "email"), "nobody@example.com"),
        "user_devices[0]: no account",
    ),
    (
        _edited((*_AUTH, "bearers", 0, "expires_at"), _bearer_token),
        "bearers[0].expires_at: expected float, got a str",
    ),
    (_edited((*_AUTH, "bearers", 0, "device_id"), "gone"), "unknown user-device"),
    (_edited((*_SYSTEM, "owner"), "nobody@example.com"), "unknown owner"),
    (_edited((*_SYSTEM, "id"), _DELETE), "state.systems[0]: expected the keys"),
    (_edited((*_SYSTEM, "owner"), 5), "state.systems[0].owner: expected str"),
    (_edited((*_SYSTEM, "master_humidity"), "damp"), "master_humidity: expected a number"),
    (_edited((*_SYSTEM, "zones"), {}), "state.systems[0].zones: expected a list"),
    (_edited((*_SYSTEM, "zones", 7), _DELETE), "expected 8 zone slots"),
    (_edited(_PENDING, [{"apply_at": 1}]), "pending[0]: expected apply_at and changes"),
    (_edited(_PENDING, _pending({"field": "mode"})), "expected field, value and zone"),
    (
        _edited(_PENDING, _pending({"field": "mode", "value": 3, "zone": None})),
        "pending[0].changes[0].value: expected str",
    ),
    (
        _edited(_PENDING, _pending({"field": "airflow_setpoint", "value": 5, "zone": 8})),
        "changes[0].zone: expected a slot 0..7 or null",
    ),
    (
        _edited(_PENDING, _pending({"field": "colour", "value": "red", "zone": None})),
        "changes[0].field: not a setting a command changes",
    ),
]


@pytest.mark.parametrize(("content", "reason"), _UNUSABLE, ids=[reason for _, reason in _UNUSABLE])
async def test_an_unusable_file_is_set_aside_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes, reason: str
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="actronair_neo_sim"):
        cloud = _cloud(path, ManualClock())
    assert cloud.restored is False
    assert len(cloud.state.systems()) == 3  # the scenario's
    [warning] = caplog.records
    assert warning.levelno == logging.WARNING
    assert reason in warning.getMessage()
    assert "Starting afresh from the scenario" in warning.getMessage()
    auth = json.loads(_valid_text())["state"]["auth"]
    secrets = [auth["bearers"][0]["token"], auth["user_devices"][0]["pairing_token"], '"demo"']
    for secret in secrets:
        assert secret not in warning.getMessage()
    aside = path.with_name(path.name + CORRUPT_SUFFIX)
    assert aside.read_bytes() == content  # nothing is lost
    async with cloud:
        pass
    assert len(_saved(path).systems()) == 3  # a fresh file in its place


def test_an_unreadable_path_falls_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "state.json"
    path.mkdir()
    with caplog.at_level(logging.WARNING, logger="actronair_neo_sim"):
        cloud = _cloud(path, ManualClock())
    assert cloud.restored is False
    assert "cannot read it (IsADirectoryError" in caplog.text


def test_a_file_that_cannot_be_set_aside_stays(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.json"
    path.write_text("{")
    path.with_name(path.name + CORRUPT_SUFFIX).mkdir()  # renaming a file onto a folder fails
    with caplog.at_level(logging.WARNING, logger="actronair_neo_sim"):
        StateFile(path).load(clock=ManualClock(), command_delay=0, token_lifetime=10)
    assert "it stays where it is" in caplog.text
    assert path.read_text() == "{"


async def test_a_failing_save_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    path = blocker / "state.json"  # its folder is a file: nothing can be written there
    with caplog.at_level(logging.WARNING, logger="actronair_neo_sim"):
        async with _cloud(path, ManualClock()) as cloud:
            assert cloud.save_state() is False
    assert "Cannot save the state file" in caplog.text
    assert _names(tmp_path) == ["file"]


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.json"
    cloud = _cloud(path, ManualClock())
    (path / "inside").mkdir(parents=True)  # a folder in the way: the rename fails
    with caplog.at_level(logging.WARNING, logger="actronair_neo_sim"):
        assert cloud.save_state() is False
    assert "Cannot save the state file" in caplog.text
    assert _names(tmp_path) == ["state.json"]
