"""Request counters per endpoint, host and serial, as benchmarks read them; no secrets recorded."""

import json

from actronair_neo_sim import RequestLog, RequestRecord

from .conftest import NEO_SERIAL, QUE_SERIAL, SMALL_SERIAL, Api


async def test_counters_over_http(api: Api) -> None:
    neo_token, que_token = await api.host_bearers()
    que = api.cloud.que_url
    await api.systems(neo_token)
    for serial in (NEO_SERIAL, NEO_SERIAL.upper(), SMALL_SERIAL):
        await api.status(serial, neo_token)
    await api.status(QUE_SERIAL, que_token, base=que)
    await api.send(QUE_SERIAL, que_token, {"UserAirconSettings.isOn": True}, base=que)
    await api.admin("GET", "/state")  # the admin endpoint is not counted
    log = api.cloud.requests
    assert log.by_endpoint() == {"pair": 1, "token": 2, "systems": 1, "status": 4, "command": 1}
    assert log.by_host() == {"neo": 6, "que": 3}
    assert log.by_serial() == {
        NEO_SERIAL: {"status": 2},
        SMALL_SERIAL: {"status": 1},
        QUE_SERIAL: {"status": 1, "command": 1},
    }
    assert log.count("status", serial=NEO_SERIAL.upper()) == 2
    assert log.count("token", host="que") == 1
    assert log.count() == 9
    record = log.records[-1]
    assert (record.method, record.endpoint, record.status, record.fault) == (
        "POST",
        "command",
        200,
        None,
    )


async def test_no_secret_is_recorded(api: Api) -> None:
    pairing = await api.pairing_token()
    token = (await api.exchange(pairing)).json()["access_token"]
    await api.status(NEO_SERIAL, token)
    api.cloud.faults.inject("500", endpoint="status")
    await api.status(NEO_SERIAL, token)
    text = json.dumps(api.cloud.requests.snapshot(last=100))
    for secret in (pairing, token, "demo@example.com", '"demo"'):
        assert secret not in text
    assert api.cloud.requests.records[-1].fault == "500"


def test_reset_and_bounded_records() -> None:
    log = RequestLog()
    for number in range(1200):
        log.record(
            RequestRecord(
                at=float(number),
                host="neo",
                method="GET",
                endpoint="status",
                serial="abc",
                status=200,
                fault=None,
            )
        )
    assert log.count() == 1200
    assert len(log.records) == 1000
    assert log.records[0].at == 200.0
    log.reset()
    assert (log.count(), log.records, log.by_serial()) == (0, (), {})
