"""Pairing, user-devices, the token exchange and bearer checks, over real loopback HTTP."""

from actronair_neo_sim import ManualClock, SimulatedCloud

from .conftest import API, NEO_SERIAL, Api

DENIED = {"message": "Authorization has been denied for this request."}


async def test_pairing_answers_like_the_vendor(api: Api) -> None:
    reply = await api.pair()
    assert reply.status == 200
    body = reply.json()
    assert set(body) == {"id", "deviceName", "pairingToken", "expires", "_links"}
    assert body["deviceName"] == "Home Assistant"
    assert body["expires"].startswith("3025-06-15T12:00:00")
    assert body["_links"]["self"]["href"] == f"{API}/client/user-devices/{body['id']}"


async def test_the_email_is_case_insensitive(api: Api) -> None:
    assert (await api.pair(email="DEMO@Example.com")).status == 200


async def test_wrong_credentials_are_an_invalid_grant(api: Api) -> None:
    for email, password in (("demo@example.com", "nope"), ("who@example.com", "demo")):
        reply = await api.pair(email=email, password=password)
        assert reply.status == 400
        assert reply.json()["error"] == "invalid_grant"


async def test_pairing_needs_every_field_form_encoded(api: Api) -> None:
    as_json = await api.request(
        "POST", f"{API}/client/user-devices", json={"username": "demo@example.com"}
    )
    assert as_json.status == 400
    assert as_json.json()["error"] == "invalid_request"
    form = {
        "username": "demo@example.com",
        "password": "demo",
        "client": "symbian",
        "deviceName": "x",
        "deviceUniqueIdentifier": "y",
    }
    wrong_client = await api.request("POST", f"{API}/client/user-devices", data=form)
    assert wrong_client.status == 400
    assert "client" in wrong_client.json()["error_description"]


async def test_each_new_identifier_adds_a_user_device_and_a_known_one_replaces(api: Api) -> None:
    first = (await api.pair("install-a")).json()
    (await api.pair("install-b")).json()
    again = (await api.pair("install-a")).json()
    token = (await api.exchange(again["pairingToken"])).json()["access_token"]
    reply = await api.request("GET", f"{API}/client/user-devices", token=token)
    assert reply.status == 200
    devices = reply.json()["_embedded"]["user-device"]
    assert len(devices) == 2
    assert first["id"] not in {device["id"] for device in devices}
    assert again["id"] in {device["id"] for device in devices}
    assert set(devices[0]) == {"type", "deviceName", "id", "issued", "expires", "_links"}
    assert devices[0]["type"] == "ios"
    assert "pairingToken" not in reply.text
    old = await api.exchange(first["pairingToken"])
    assert (old.status, old.json()["error"]) == (400, "invalid_grant")


async def test_the_exchange_answers_like_the_vendor(api: Api) -> None:
    reply = await api.exchange(await api.pairing_token())
    assert reply.status == 200
    body = reply.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert (body["token_type"], body["expires_in"]) == ("bearer", 259199)


async def test_exchange_errors(api: Api) -> None:
    pairing = await api.pairing_token()
    cases = [
        (
            {"grant_type": "password", "refresh_token": pairing, "client_id": "app"},
            "unsupported_grant_type",
        ),
        (
            {"grant_type": "refresh_token", "refresh_token": pairing, "client_id": "ha"},
            "invalid_client",
        ),
        (
            {"grant_type": "refresh_token", "refresh_token": "made-up", "client_id": "app"},
            "invalid_grant",
        ),
        ({"grant_type": "refresh_token", "client_id": "app"}, "invalid_request"),
    ]
    for form, error in cases:
        reply = await api.request("POST", f"{API}/oauth/token", data=form)
        assert (reply.status, reply.json()["error"]) == (400, error)


async def test_requests_without_a_good_bearer_are_denied(api: Api) -> None:
    for token in (None, "made-up"):
        reply = await api.systems(token or "")
        assert reply.status == 401
        assert reply.json() == DENIED
    basic = await api.request(
        "GET", f"{API}/client/ac-systems", headers={"Authorization": "Basic abc"}
    )
    assert basic.status == 401


async def test_a_bearer_expires_after_its_lifetime(api: Api, sim_clock: ManualClock) -> None:
    api.cloud.state.token_lifetime = 60
    reply = await api.exchange(await api.pairing_token())
    assert reply.json()["expires_in"] == 60
    token = reply.json()["access_token"]
    sim_clock.advance(59)
    assert (await api.systems(token)).status == 200
    sim_clock.advance(1)
    expired = await api.systems(token)
    assert expired.status == 401
    assert expired.json() == DENIED
    assert expired.headers["WWW-Authenticate"] == "Bearer"


async def test_a_revoked_pairing_stops_exchanges_and_its_bearers(api: Api) -> None:
    pairing = await api.pairing_token()
    token = (await api.exchange(pairing)).json()["access_token"]
    other = await api.bearer(unique_id="another-install")
    assert api.cloud.state.revoke_pairing(device_id=_device_id(api, "ha-test-install")) == 1
    assert (await api.exchange(pairing)).json()["error"] == "invalid_grant"
    assert (await api.systems(token)).status == 401
    assert (await api.systems(other)).status == 200
    assert api.cloud.state.revoke_pairing(email="demo@example.com") == 1
    assert (await api.systems(other)).status == 401


def _device_id(api: Api, unique_id: str) -> str:
    (device,) = [
        d
        for d in api.cloud.state.auth.devices("demo@example.com")
        if d.unique_identifier == unique_id
    ]
    return device.id


async def test_expiring_every_bearer(api: Api, token: str) -> None:
    assert api.cloud.state.expire_bearers() == 1
    assert (await api.status(NEO_SERIAL, token)).status == 401


async def test_secrets_stay_out_of_reprs(api: Api) -> None:
    pairing = await api.pairing_token()
    bearer = api.cloud.state.auth.exchange(pairing, "neo")
    (device,) = api.cloud.state.auth.devices("demo@example.com")
    assert pairing not in repr(device)
    assert bearer.token not in repr(bearer)
    assert "demo" not in repr(SimulatedCloud().state.auth.devices("x"))
