"""Each fault switch, armed through the Python API and the admin endpoint, seen on the wire."""

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from actronair_neo_sim import FaultError, FaultKind, FaultRule, Faults
from actronair_neo_sim.faults import corrupt_body

from .conftest import NEO_SERIAL, QUE_SERIAL, Api

VIA = ["python", "admin"]


async def arm(api: Api, via: str, **rule: Any) -> None:
    if via == "python":
        if "paths" in rule:
            rule["paths"] = tuple(rule["paths"])
        api.cloud.faults.inject(**rule)
    else:
        reply = await api.admin("POST", "/faults", rule)
        assert reply.status == 201, reply.text


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize(
    "case",
    [
        ("401", 401, "message"),
        ("429", 429, "message"),
        ("500", 500, "message"),
        ("503", 503, "type"),
    ],
)
async def test_error_answers_hit_the_next_request_only(
    api: Api, token: str, via: str, case: tuple[str, int, str]
) -> None:
    kind, status, body_key = case
    await arm(api, via, kind=kind, retry_after=7)
    failed = await api.status(NEO_SERIAL, token)
    assert failed.status == status
    assert body_key in failed.json()
    if status == 429:
        assert failed.headers["Retry-After"] == "7"
    if status == 503:
        assert (failed.json()["type"], failed.json()["value"]) == ("unavailable", None)
    if status == 401:
        assert failed.json() == {"message": "Authorization has been denied for this request."}
    assert (await api.status(NEO_SERIAL, token)).status == 200


@pytest.mark.parametrize("via", VIA)
async def test_count_and_endpoint(api: Api, token: str, via: str) -> None:
    await arm(api, via, kind="500", count=2, endpoint="status")
    assert (await api.systems(token)).status == 200
    assert (await api.status(NEO_SERIAL, token)).status == 500
    assert (await api.status(NEO_SERIAL, token)).status == 500
    assert (await api.status(NEO_SERIAL, token)).status == 200


@pytest.mark.parametrize("via", VIA)
async def test_serial_and_host_filters(api: Api, via: str) -> None:
    neo_token, que_token = await api.host_bearers()
    await arm(api, via, kind="503", serial=QUE_SERIAL.upper())
    await arm(api, via, kind="500", host="que")
    assert (await api.status(NEO_SERIAL, neo_token)).status == 200
    que = api.cloud.que_url
    assert (await api.status(QUE_SERIAL, que_token, base=que)).status == 503
    assert (await api.systems(que_token, base=que)).status == 500
    assert (await api.status(QUE_SERIAL, que_token, base=que)).status == 200


@pytest.mark.parametrize("via", VIA)
async def test_a_rule_without_count_lasts_until_cleared(api: Api, token: str, via: str) -> None:
    await arm(api, via, kind="429", count=None, endpoint="systems")
    for _ in range(3):
        assert (await api.systems(token)).status == 429
    if via == "python":
        api.cloud.faults.clear()
    else:
        assert (await api.admin("DELETE", "/faults")).json()["rules"] == []
    assert (await api.systems(token)).status == 200


@pytest.mark.parametrize("via", VIA)
async def test_a_timeout_hangs_past_the_clients_patience(api: Api, token: str, via: str) -> None:
    await arm(api, via, kind="timeout", endpoint="status")
    with pytest.raises(TimeoutError):
        await api.status(NEO_SERIAL, token, patience=0.2)
    assert (await api.status(NEO_SERIAL, token)).status == 200


async def test_a_hang_ends_by_itself_with_a_gateway_timeout(api: Api, token: str) -> None:
    api.cloud.faults.hang_seconds = 0.01
    api.cloud.faults.inject(FaultKind.TIMEOUT)
    assert (await api.status(NEO_SERIAL, token)).status == 504
    assert api.cloud.requests.records[-1].fault == "timeout"


async def test_clearing_releases_a_hang() -> None:
    faults = Faults()
    waiting = asyncio.create_task(faults.hang())
    await asyncio.sleep(0)  # let it start waiting
    faults.clear()
    await asyncio.wait_for(waiting, timeout=5)
    assert waiting.done()


@pytest.mark.parametrize("via", VIA)
async def test_a_connection_reset(api: Api, token: str, via: str) -> None:
    await arm(api, via, kind="reset", endpoint="command")
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.send(NEO_SERIAL, token, {"UserAirconSettings.isOn": False})
    assert api.cloud.requests.records[-1].status is None
    assert (await api.send(NEO_SERIAL, token, {"UserAirconSettings.isOn": False})).status == 200


async def test_a_reset_idempotent_request_is_retried_once_by_aiohttp(api: Api, token: str) -> None:
    # aiohttp silently repeats a GET whose kept-alive connection was reset: two resets get through.
    api.cloud.faults.inject("reset", count=2, endpoint="status")
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.status(NEO_SERIAL, token)
    assert api.cloud.requests.count("status") == 2


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("kind", ["malformed_json", "truncated_json"])
async def test_unparseable_bodies(api: Api, token: str, via: str, kind: str) -> None:
    await arm(api, via, kind=kind)
    reply = await api.status(NEO_SERIAL, token)
    assert reply.status == 200
    with pytest.raises(json.JSONDecodeError):
        reply.json()
    assert reply.text.startswith('{"isOnline"')


def test_body_corruption_edge_cases() -> None:
    rule = FaultRule(kind=FaultKind.MALFORMED_JSON)
    with pytest.raises(json.JSONDecodeError):
        json.loads(corrupt_body(rule, b""))
    missing = FaultRule(kind=FaultKind.MISSING_KEYS)
    assert corrupt_body(missing, b"not json") == b"not json"


@pytest.mark.parametrize("via", VIA)
async def test_a_status_with_keys_missing(api: Api, token: str, via: str) -> None:
    await arm(api, via, kind="missing_keys")
    state = (await api.status(NEO_SERIAL, token)).json()["lastKnownState"]
    assert "LiveAircon" not in state
    assert "RemoteZoneInfo" not in state
    assert "FanMode" not in state["UserAirconSettings"]
    assert "isOn" in state["UserAirconSettings"]
    await arm(api, via, kind="missing_keys", paths=["isOnline", "lastKnownState.Nope.Deeper"])
    document = (await api.status(NEO_SERIAL, token)).json()
    assert "isOnline" not in document
    assert "LiveAircon" in document["lastKnownState"]


@pytest.mark.parametrize("via", VIA)
async def test_latency(api: Api, token: str, via: str) -> None:
    if via == "python":
        api.cloud.faults.set_latency(0.15, "status")
    else:
        reply = await api.admin("PUT", "/latency", {"seconds": 0.15, "endpoint": "status"})
        assert reply.json()["latency"] == {"status": 0.15}
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await api.status(NEO_SERIAL, token)).status == 200
    assert loop.time() - started >= 0.15


def test_latency_per_endpoint_and_global() -> None:
    faults = Faults()
    faults.set_latency(1.0)
    faults.set_latency(2.0, "command")
    assert (faults.latency_for("status"), faults.latency_for("command")) == (1.0, 2.0)
    faults.set_latency(0, "command")
    assert faults.latency_for("command") == 1.0
    assert faults.snapshot()["latency"] == {"*": 1.0}
    with pytest.raises(FaultError):
        faults.set_latency(-1)
    with pytest.raises(FaultError):
        faults.set_latency(1, "nowhere")


def test_rules_can_be_removed_one_by_one() -> None:
    faults = Faults()
    first = faults.inject("500")
    second = faults.inject("503", endpoint="command")
    faults.remove(first.id)
    assert faults.rules == (second,)
    with pytest.raises(KeyError):
        faults.remove(first.id)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "418"},
        {"kind": "500", "count": 0},
        {"kind": "500", "endpoint": "nowhere"},
        {"kind": "500", "host": "mars"},
        {"kind": "429", "retry_after": -1},
    ],
)
def test_nonsense_rules_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(FaultError):
        Faults().inject(**kwargs)


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"kind": "418"},
        {"kind": "500", "extra": 1},
        {"kind": "500", "count": True},
        {"kind": "500", "count": "2"},
        {"kind": "500", "serial": 5},
        {"kind": "429", "retry_after": "soon"},
        {"kind": "missing_keys", "paths": "isOnline"},
        {"kind": "missing_keys", "paths": [1]},
    ],
)
async def test_the_admin_endpoint_refuses_bad_rules(api: Api, body: object) -> None:
    reply = await api.admin("POST", "/faults", body)
    assert reply.status == 400
    assert "error" in reply.json()
    assert api.cloud.faults.rules == ()


async def test_admin_rule_listing_and_removal(api: Api) -> None:
    created = (await api.admin("POST", "/faults", {"kind": "503", "endpoint": "command"})).json()
    listed = (await api.admin("GET", "/faults")).json()
    assert listed["rules"] == [created]
    assert (await api.admin("DELETE", f"/faults/{created['id']}")).json()["rules"] == []
    assert (await api.admin("DELETE", f"/faults/{created['id']}")).status == 404


@pytest.mark.parametrize(
    "body", [{"seconds": "1"}, {"seconds": True}, {"seconds": 1, "endpoint": 3}]
)
async def test_the_admin_endpoint_refuses_bad_latency(api: Api, body: dict[str, Any]) -> None:
    assert (await api.admin("PUT", "/latency", body)).status == 400
