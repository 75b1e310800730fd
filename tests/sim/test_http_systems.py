"""Systems, status and commands over loopback HTTP, and the separation of the Neo and Que hosts."""

import aiohttp

from actronair_neo_sim import ManualClock, SimulatedCloud, default_scenario

from .conftest import API, NEO_SERIAL, QUE_SERIAL, SMALL_SERIAL, Api


async def test_the_systems_list(api: Api, token: str) -> None:
    reply = await api.systems(token)
    assert reply.status == 200
    items = reply.json()["_embedded"]["ac-system"]
    assert [(item["serial"], item["type"]) for item in items] == [
        (NEO_SERIAL, "neo"),
        (SMALL_SERIAL, "neo"),
        (QUE_SERIAL, "nxgen"),
    ]
    first = items[0]
    assert first["description"] == "Home"
    assert first["_links"]["commands"]["href"] == (
        f"{API}/client/ac-systems/cmds/send?serial={NEO_SERIAL}"
    )
    assert first["_links"]["ac-status"]["href"] == (
        f"{API}/client/ac-systems/status/latest?serial={NEO_SERIAL}"
    )


async def test_neo_systems_are_listed_only_with_include_neo(api: Api, token: str) -> None:
    without = await api.systems(token, query="?includeAcms=true")
    assert without.json()["_embedded"]["ac-system"] == []
    bad = await api.systems(token, query="?includeNeo=maybe")
    assert bad.status == 400


async def test_standard_systems_need_include_acms(sim_clock: ManualClock) -> None:
    from actronair_neo_sim import SystemSpec  # noqa: PLC0415 -- this test only

    scenario = default_scenario().with_system(SystemSpec(serial="acms0001", system_type="standard"))
    async with SimulatedCloud(scenario, clock=sim_clock) as cloud, aiohttp.ClientSession() as s:
        api = Api(s, cloud)
        token = await api.bearer()
        listed = await api.systems(token, query="?includeNeo=true&includeAcms=false")
        assert "acms0001" not in listed.text
        listed = await api.systems(token, query="?includeNeo=true&includeAcms=TRUE")
        assert listed.json()["_embedded"]["ac-system"][-1]["description"] == "NEO_ACMS0001"


async def test_the_status_of_a_system(api: Api, token: str) -> None:
    reply = await api.status(NEO_SERIAL.upper(), token)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json()["lastKnownState"]["AirconSystem"]["MasterSerial"] == "26C00841"


async def test_unknown_and_missing_serials(api: Api, token: str) -> None:
    unknown = await api.status("zz999999", token)
    assert unknown.status == 404
    assert "zz999999" in unknown.json()["message"]
    assert (await api.send("zz999999", token, {"UserAirconSettings.isOn": True})).status == 404
    missing = await api.request("GET", f"{API}/client/ac-systems/status/latest", token=token)
    assert missing.status == 400


async def test_another_accounts_system_is_not_found(api: Api) -> None:
    api.cloud.state.add_account("other@example.com", "pw")
    reply = await api.pair("other-install", email="other@example.com", password="pw")
    token = (await api.exchange(reply.json()["pairingToken"])).json()["access_token"]
    assert (await api.systems(token)).json()["_embedded"]["ac-system"] == []
    assert (await api.status(NEO_SERIAL, token)).status == 404


async def test_a_command_is_acknowledged_then_shows_after_the_delay(
    api: Api, token: str, sim_clock: ManualClock
) -> None:
    reply = await api.send(NEO_SERIAL, token, {"UserAirconSettings.Mode": "HEAT"})
    assert reply.status == 200
    assert set(reply.json()) == {"correlationId", "type", "value", "mwcResponseTime"}
    status = await api.status(NEO_SERIAL, token)
    assert status.json()["lastKnownState"]["UserAirconSettings"]["Mode"] == "COOL"
    sim_clock.advance(3)
    status = await api.status(NEO_SERIAL, token)
    assert status.json()["lastKnownState"]["UserAirconSettings"]["Mode"] == "HEAT"


async def test_bad_commands_are_400(api: Api, token: str) -> None:
    unknown = await api.send(NEO_SERIAL, token, {"UserAirconSettings.Warp": 9})
    assert unknown.status == 400
    assert "UserAirconSettings.Warp" in unknown.json()["message"]
    path = f"{API}/client/ac-systems/cmds/send?serial={NEO_SERIAL}"
    not_json = await api.request("POST", path, token=token, data=b"{nope")
    assert not_json.status == 400


async def test_an_offline_controller_answers_503_unavailable(api: Api, token: str) -> None:
    api.cloud.state.set_online(NEO_SERIAL, False)
    reply = await api.send(NEO_SERIAL, token, {"UserAirconSettings.isOn": False})
    assert reply.status == 503
    body = reply.json()
    assert (body["type"], body["value"]) == ("unavailable", None)
    assert set(body) == {"correlationId", "type", "value", "mwcResponseTime"}
    status = await api.status(NEO_SERIAL, token)
    assert (status.status, status.json()["isOnline"]) == (200, False)


async def test_que_systems_answer_only_on_the_que_host(api: Api) -> None:
    cloud = api.cloud
    assert cloud.que_url != cloud.url
    neo_token, que_token = await api.host_bearers()
    assert (await api.status(QUE_SERIAL, neo_token)).status == 404
    assert (await api.status(QUE_SERIAL, que_token, base=cloud.que_url)).status == 200
    assert (await api.status(NEO_SERIAL, que_token, base=cloud.que_url)).status == 404
    on_que = await api.send(
        QUE_SERIAL, que_token, {"UserAirconSettings.isOn": True}, base=cloud.que_url
    )
    assert on_que.status == 200


async def test_a_bearer_is_refused_by_the_other_host(api: Api) -> None:
    cloud = api.cloud
    neo_token, que_token = await api.host_bearers()
    wrong_host = await api.status(QUE_SERIAL, neo_token, base=cloud.que_url)
    assert (wrong_host.status, wrong_host.json()) == (
        401,
        {"message": "Authorization has been denied for this request."},
    )
    assert (await api.systems(que_token)).status == 401
    assert (await api.systems(que_token, base=cloud.que_url)).status == 200


async def test_pairing_happens_on_the_neo_host_only(api: Api) -> None:
    assert (await api.pair(base=api.cloud.que_url)).status == 404


async def test_one_listener_can_play_both_hosts(sim_clock: ManualClock) -> None:
    cloud = SimulatedCloud(default_scenario(que=True), clock=sim_clock, separate_que=False)
    async with cloud, aiohttp.ClientSession() as session:
        assert cloud.que_url == cloud.url
        api = Api(session, cloud)
        token = await api.bearer()
        assert (await api.status(QUE_SERIAL, token)).status == 200
        assert (await api.status(NEO_SERIAL, token)).status == 200
