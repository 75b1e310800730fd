"""The admin endpoint: state changes, configuration, the request log, and its loopback-only rule."""

from unittest.mock import MagicMock

from aiohttp import web
from aiohttp.test_utils import make_mocked_request
import pytest

from actronair_neo_sim import FaultKind, ManualClock
from actronair_neo_sim.admin import ROUTES, create_admin_app, is_loopback
from actronair_neo_sim.faults import Faults
from actronair_neo_sim.requestlog import RequestLog
from actronair_neo_sim.server import Listener
from actronair_neo_sim.state import CloudState

from .conftest import NEO_SERIAL, Api


async def test_the_index_lists_routes_and_fault_kinds(api: Api) -> None:
    index = (await api.admin("GET", "")).json()
    assert len(index["routes"]) == len(ROUTES)
    assert index["fault_kinds"] == [kind.value for kind in FaultKind]
    assert "status" in index["endpoints"]


async def test_state_has_no_secrets(api: Api, token: str) -> None:
    reply = await api.admin("GET", "/state")
    assert reply.status == 200
    assert token not in reply.text
    assert '"demo"' not in reply.text  # the password
    summary = reply.json()
    assert summary["bearers"] == 1
    (account,) = summary["accounts"]
    assert account["systems"] == ["26c00841", "26c01562", "26q04213"]
    assert len(account["user_devices"]) == 1
    neo = summary["systems"][0]
    assert [zone["name"] for zone in neo["zones"]][:2] == ["Living", "Kitchen"]


async def test_config(api: Api, sim_clock: ManualClock, token: str) -> None:
    reply = await api.admin("PATCH", "/config", {"command_delay": 0, "token_lifetime": 30})
    assert reply.json() == {"command_delay": 0.0, "token_lifetime": 30.0}
    await api.send(NEO_SERIAL, token, {"UserAirconSettings.Mode": "FAN"})
    status = await api.status(NEO_SERIAL, token)
    assert status.json()["lastKnownState"]["UserAirconSettings"]["Mode"] == "FAN"
    for bad in (
        {"command_delay": -1},
        {"command_delay": "1"},
        {"colour": 1},
        {"token_lifetime": True},
    ):
        assert (await api.admin("PATCH", "/config", bad)).status == 400
    fresh = await api.bearer(unique_id="second")
    sim_clock.advance(30)
    assert (await api.systems(fresh)).status == 401


async def test_requests_and_their_reset(api: Api, token: str) -> None:
    await api.status(NEO_SERIAL, token)
    log = (await api.admin("GET", "/requests?last=1")).json()
    assert log["by_endpoint"] == {"pair": 1, "token": 1, "status": 1}
    assert len(log["recent"]) == 1
    assert (await api.admin("GET", "/requests?last=x")).status == 400
    assert (await api.admin("GET", "/requests?last=0")).json()["recent"] == []
    assert (await api.admin("DELETE", "/requests")).json()["total"] == 0
    assert api.cloud.requests.count() == 0


async def test_revoking_and_expiring(api: Api) -> None:
    token = await api.bearer()
    assert (await api.admin("POST", "/tokens/expire")).json() == {"expired": 1}
    assert (await api.systems(token)).status == 401
    pairing = await api.pairing_token("second")
    assert (await api.admin("POST", "/revoke", {"email": "demo@example.com"})).json() == {
        "revoked": 2
    }
    assert (await api.exchange(pairing)).status == 400
    assert (await api.admin("POST", "/revoke", {})).status == 400
    assert (await api.admin("POST", "/revoke", {"email": 5})).status == 400


async def test_a_controller_goes_offline_and_back(api: Api, token: str) -> None:
    path = f"/systems/{NEO_SERIAL}/online"
    assert (await api.admin("PUT", path, {"online": False})).json()["online"] is False
    command = {"UserAirconSettings.isOn": False}
    assert (await api.send(NEO_SERIAL, token, command)).status == 503
    assert (await api.admin("PUT", path, {"online": True})).status == 200
    assert (await api.send(NEO_SERIAL, token, command)).status == 200
    assert (await api.admin("PUT", path, {"online": "no"})).status == 400
    assert (await api.admin("PUT", "/systems/nope1234/online", {"online": True})).status == 404


async def test_systems_come_and_go(api: Api, token: str) -> None:
    body = {"system": {"serial": "NEW00001", "description": "Office", "zones": [{"name": "Desk"}]}}
    added = await api.admin("POST", "/systems", body)
    assert (added.status, added.json()) == (
        201,
        {"serial": "new00001", "owner": "demo@example.com"},
    )
    listed = (await api.systems(token)).json()["_embedded"]["ac-system"]
    assert listed[-1]["description"] == "Office"
    assert (await api.admin("POST", "/systems", body)).status == 400
    assert (await api.admin("POST", "/systems", {"system": {"serial": "x"}})).status == 400
    assert (await api.admin("POST", "/systems", {"email": 1, "system": {}})).status == 400
    assert (await api.admin("DELETE", "/systems/new00001")).status == 200
    assert (await api.status("new00001", token)).status == 404
    assert (await api.admin("DELETE", "/systems/new00001")).status == 404


async def test_zones_come_and_go(api: Api, token: str) -> None:
    added = await api.admin("POST", f"/systems/{NEO_SERIAL}/zones", {"zone": {"name": "Attic"}})
    assert (added.status, added.json()) == (201, {"slot": 5})
    placed = await api.admin(
        "POST", f"/systems/{NEO_SERIAL}/zones", {"zone": {"name": "Cellar"}, "slot": 7}
    )
    assert placed.json() == {"slot": 7}
    zones = (await api.status(NEO_SERIAL, token)).json()["lastKnownState"]["RemoteZoneInfo"]
    assert (zones[5]["NV_Title"], zones[7]["NV_Title"]) == ("Attic", "Cellar")
    assert (await api.admin("DELETE", f"/systems/{NEO_SERIAL}/zones/5")).status == 200
    zones = (await api.status(NEO_SERIAL, token)).json()["lastKnownState"]["RemoteZoneInfo"]
    assert zones[5]["NV_Exists"] is False
    for bad in ({"zone": {"name": "x"}, "slot": 7}, {"zone": {"name": "x"}, "slot": "1"}, {}):
        assert (await api.admin("POST", f"/systems/{NEO_SERIAL}/zones", bad)).status == 400
    assert (await api.admin("DELETE", f"/systems/{NEO_SERIAL}/zones/5")).status == 400


@pytest.mark.parametrize("body", [b"{", b"[1]"])
async def test_bodies_must_be_json_objects(api: Api, body: bytes) -> None:
    reply = await api.request("POST", "/_sim/faults", data=body)
    assert reply.status == 400


@pytest.mark.parametrize(
    ("remote", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:192.0.2.1", False),
        ("192.0.2.1", False),
        ("2001:db8::1", False),
        ("not-an-address", False),
        (None, False),
    ],
)
def test_is_loopback(remote: str | None, loopback: bool) -> None:
    assert is_loopback(remote) is loopback


async def test_remote_clients_are_refused() -> None:
    listener = Listener(
        state=CloudState(clock=ManualClock()),
        faults=Faults(),
        requests=RequestLog(),
        host="neo",
        serves_neo=True,
        serves_que=True,
    )
    app = web.Application()
    app.add_subapp("/_sim", create_admin_app(listener))
    transport = MagicMock()
    transport.get_extra_info.return_value = ("192.0.2.7", 40000)
    app.freeze()
    request = make_mocked_request("GET", "/_sim/state", app=app, transport=transport)
    assert request.remote == "192.0.2.7"
    response = await app._handle(request)
    assert response.status == 403
