"""The command log: every accepted command with its keys and values, in Python and over `/_sim`."""

import json

from actronair_neo_sim import ManualClock, RequestLog

from .conftest import NEO_SERIAL, QUE_SERIAL, SMALL_SERIAL, Api

MODE = "UserAirconSettings.Mode"
ZONES = "UserAirconSettings.EnabledZones"


async def test_accepted_commands_are_listed_exactly(api: Api, sim_clock: ManualClock) -> None:
    neo, que = await api.host_bearers()
    assert (await api.send(NEO_SERIAL.upper(), neo, {MODE: "HEAT"})).status == 200
    sim_clock.advance(2)
    whole = {ZONES: [True, True, True, True, True, False, False, False]}
    assert (await api.send(NEO_SERIAL, neo, whole)).status == 200
    assert (await api.send(QUE_SERIAL, que, {MODE: "DRY"}, base=api.cloud.que_url)).status == 200
    # Refused commands are not listed: a bad value, an offline controller, another host.
    assert (await api.send(SMALL_SERIAL, neo, {MODE: "AUTO"})).status == 400
    api.cloud.state.set_online(SMALL_SERIAL, False)
    assert (await api.send(SMALL_SERIAL, neo, {MODE: "COOL"})).status == 503
    assert (await api.send(QUE_SERIAL, neo, {MODE: "DRY"})).status == 404
    api.cloud.faults.inject("500", endpoint="command")
    assert (await api.send(NEO_SERIAL, neo, {MODE: "FAN"})).status == 500

    start = ManualClock()()
    expected = [
        {"at": start, "host": "neo", "serial": NEO_SERIAL, "settings": {MODE: "HEAT"}},
        {"at": start + 2, "host": "neo", "serial": NEO_SERIAL, "settings": whole},
        {"at": start + 2, "host": "que", "serial": QUE_SERIAL, "settings": {MODE: "DRY"}},
    ]
    assert [record.to_json() for record in api.cloud.requests.commands] == expected
    listed = await api.admin("GET", "/commands")
    assert (listed.status, listed.json()) == (200, {"commands": expected})
    by_serial = await api.admin("GET", f"/commands?serial={QUE_SERIAL.upper()}")
    assert by_serial.json() == {"commands": expected[2:]}
    for secret in (neo, que, "demo@example.com", '"demo"'):
        assert secret not in listed.text

    assert (await api.admin("DELETE", "/commands")).json() == {"commands": []}
    assert (await api.admin("GET", "/commands")).json() == {"commands": []}
    assert api.cloud.requests.count("command") == 7  # the request log is left alone


async def test_resetting_the_request_log_forgets_commands(api: Api, token: str) -> None:
    await api.send(NEO_SERIAL, token, {MODE: "FAN"})
    assert len(api.cloud.requests.commands) == 1
    await api.admin("DELETE", "/requests")
    assert api.cloud.requests.commands == ()


def test_records_are_copies_and_bounded() -> None:
    log = RequestLog()
    settings: dict[str, object] = {ZONES: [True] * 8}
    record = log.record_command(at=1.0, host="neo", serial="ABC1", settings=settings)
    settings[ZONES][0] = False  # type: ignore[index]
    assert (record.serial, record.settings) == ("abc1", {ZONES: [True] * 8})
    for number in range(1100):
        log.record_command(at=float(number), host="neo", serial="abc1", settings={MODE: "FAN"})
    assert len(log.commands) == 1000
    assert log.commands[0].at == 100.0
    assert json.loads(json.dumps(log.commands[-1].to_json()))["at"] == 1099.0
    log.reset_commands()
    assert log.commands == ()
