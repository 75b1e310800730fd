"""Endpoints, host routing, HTTP and transport failures, Retry-After and the session's life."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import ClientConnectionError, ClientPayloadError
import pytest

from custom_components.actronair_neo.api import (
    ActronConnectionError,
    ActronError,
    ActronInvalidResponseError,
    ActronNeoClient,
    ActronRateLimitedError,
    ActronRequestRejectedError,
    ActronServerError,
    ActronSystemNotFoundError,
    ActronSystemOfflineError,
    ActronTimeoutError,
    ActronValidationError,
    Command,
    HvacMode,
    commands,
)

from .conftest import (
    ACCESS_TOKEN,
    BASE,
    DEVICE_ID,
    NEO_SERIAL,
    PAIR_URL,
    PAIRING_TOKEN,
    PASSWORD,
    QUE,
    QUE_SERIAL,
    RESTORED_BEARER,
    SYSTEMS_URL,
    USERNAME,
    ClientFactory,
    calls,
    command_url,
    load,
    restored_tokens,
    status_from,
    status_url,
    token_answer,
    token_url,
)

if TYPE_CHECKING:
    import aiohttp
    from aioresponses import aioresponses
    from freezegun.api import FrozenDateTimeFactory

QUE_BEARER = "at.minted-on-the-que-host"
COMMAND_ACK = {
    "correlationId": "c0ffee00-1234-4abc-9def-0123456789ab",
    "type": "ack",
    "value": None,
    "mwcResponseTime": "00:00:00.8120000",
}
UNAVAILABLE = {"correlationId": "c0ffee00-0000", "type": "unavailable", "value": None}


async def test_systems_lists_and_classifies(mock: aioresponses, client: ActronNeoClient) -> None:
    mock.get(SYSTEMS_URL, payload=load("systems.json"))

    neo, que = await client.systems()

    [call] = calls(mock)
    assert call.method == "GET"
    assert call.authorization == f"Bearer {RESTORED_BEARER}"
    assert call.kwargs["headers"]["Accept"] == "application/json"
    assert (neo.serial, neo.system_type, neo.is_que) == (NEO_SERIAL, "neo", False)
    assert neo.description == "NEO_24K01234"
    assert neo.id == "5f3a9c1e2b7d4e0012ab34cd"
    assert (que.serial, que.system_type, que.is_que) == (QUE_SERIAL, "NX-Gen", True)
    assert que.description == "Beach house"


async def test_status_reads_the_latest_status(mock: aioresponses, client: ActronNeoClient) -> None:
    mock.get(status_url(), payload=load("status_neo_full.json"))

    status = await client.status(NEO_SERIAL)

    [call] = calls(mock)
    assert call.authorization == f"Bearer {RESTORED_BEARER}"
    assert status.serial == NEO_SERIAL
    assert status.settings.mode is HvacMode.COOL
    assert len(status.zones) == 8


async def test_send_posts_the_command(mock: aioresponses, client: ActronNeoClient) -> None:
    mock.post(command_url(), payload=COMMAND_ACK)
    command = commands.power(True).merge(commands.mode(status_from(), HvacMode.HEAT))

    result = await client.send(NEO_SERIAL, command)

    [call] = calls(mock)
    assert call.method == "POST"
    assert str(call.url) == command_url()
    assert call.authorization == f"Bearer {RESTORED_BEARER}"
    assert call.kwargs["json"] == {
        "command": {
            "UserAirconSettings.isOn": True,
            "UserAirconSettings.Mode": "HEAT",
            "type": "set-settings",
        }
    }
    assert result.correlation_id == COMMAND_ACK["correlationId"]
    assert result.type == "ack"
    assert result.value is None
    assert result.mwc_response_time == "00:00:00.8120000"


async def test_an_empty_command_is_refused_before_any_request(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    with pytest.raises(ActronValidationError) as caught:
        await client.send(NEO_SERIAL, Command())

    assert caught.value.code == "empty_command"
    assert calls(mock) == []


async def test_que_systems_use_the_que_host_and_a_bearer_minted_there(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    mock.get(SYSTEMS_URL, payload=load("systems.json"))
    mock.post(token_url(QUE), payload=token_answer(QUE_BEARER))
    que_status = status_url(QUE_SERIAL.upper(), QUE)
    mock.get(que_status, payload=load("status_que.json"))
    mock.post(command_url(QUE_SERIAL.upper(), QUE), payload=COMMAND_ACK)
    mock.get(status_url(NEO_SERIAL.upper()), payload=load("status_neo_full.json"))

    await client.systems()
    status = await client.status(QUE_SERIAL.upper())
    await client.send(QUE_SERIAL.upper(), commands.power(False))
    await client.status(NEO_SERIAL.upper())

    [exchange] = calls(mock, "POST", token_url(QUE))
    assert exchange.kwargs["data"]["refresh_token"] == PAIRING_TOKEN
    assert calls(mock, "POST", token_url(BASE)) == []
    [que_call] = calls(mock, "GET", que_status)
    assert que_call.authorization == f"Bearer {QUE_BEARER}"
    [que_command] = calls(mock, "POST", command_url(QUE_SERIAL.upper(), QUE))
    assert que_command.authorization == f"Bearer {QUE_BEARER}"
    [neo_call] = calls(mock, "GET", status_url(NEO_SERIAL.upper()))
    assert neo_call.authorization == f"Bearer {RESTORED_BEARER}"
    assert status.master.control_all_zones is True
    assert client.tokens is not None
    assert client.tokens.bearers[QUE].access_token == QUE_BEARER


async def test_unknown_serials_go_to_the_neo_host(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    mock.get(status_url("nobody"), payload=load("status_sparse.json"))

    status = await client.status("nobody")

    assert len(calls(mock, "GET", status_url("nobody"))) == 1
    assert status.serial == "nobody"


async def test_base_urls_may_end_with_a_slash(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client(
        base_url="http://127.0.0.1:8123/",
        tokens=restored_tokens(bearers={"http://127.0.0.1:8123": RESTORED_BEARER}),
    )
    mock.get(status_url(host="http://127.0.0.1:8123"), payload=load("status_sparse.json"))

    await client.status(NEO_SERIAL)

    assert len(calls(mock)) == 1


@pytest.mark.parametrize(
    ("status", "payload", "body", "error"),
    [
        (404, {"message": "serial not found"}, None, ActronSystemNotFoundError),
        (503, UNAVAILABLE, None, ActronSystemOfflineError),
        (503, {"message": "maintenance"}, None, ActronServerError),
        (503, None, "<html>Service Unavailable</html>", ActronServerError),
        (500, {"message": "boom"}, None, ActronServerError),
        (502, None, "Bad Gateway", ActronServerError),
        (418, {"message": "teapot"}, None, ActronRequestRejectedError),
        (400, {"error": "invalid_grant"}, None, ActronRequestRejectedError),
        (304, None, "", ActronInvalidResponseError),
        (200, None, "{not json", ActronInvalidResponseError),
        # The shape is judged by the model, which knows nothing of HTTP: no status there.
        (None, None, "[1, 2]", ActronInvalidResponseError),
    ],
)
async def test_status_failures(
    mock: aioresponses,
    client: ActronNeoClient,
    *,
    status: int | None,
    payload: object,
    body: str | None,
    error: type[ActronError],
) -> None:
    if payload is not None:
        mock.get(status_url(), status=status or 200, payload=payload)
    else:
        mock.get(status_url(), status=status or 200, body=body)

    with pytest.raises(error) as caught:
        await client.status(NEO_SERIAL)

    assert type(caught.value) is error
    assert getattr(caught.value, "status", None) == status


async def test_an_offline_controller_fails_the_command(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    mock.post(command_url(), status=503, payload=UNAVAILABLE)

    with pytest.raises(ActronSystemOfflineError):
        await client.send(NEO_SERIAL, commands.away(True))


async def test_a_command_answer_that_is_not_an_object_is_invalid(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    mock.post(command_url(), payload=["ok"])

    with pytest.raises(ActronInvalidResponseError):
        await client.send(NEO_SERIAL, commands.away(True))


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        (TimeoutError(), ActronTimeoutError),
        (ClientConnectionError("Connection reset by peer"), ActronConnectionError),
        (ClientPayloadError("Response payload is not completed"), ActronConnectionError),
        (OSError(101, "Network is unreachable"), ActronConnectionError),
    ],
)
async def test_transport_failures(
    mock: aioresponses, client: ActronNeoClient, exception: Exception, error: type[ActronError]
) -> None:
    mock.get(status_url(), exception=exception)

    with pytest.raises(error) as caught:
        await client.status(NEO_SERIAL)

    assert type(caught.value) is error
    assert caught.value.__cause__ is exception


async def test_a_hanging_cloud_times_out(mock: aioresponses, make_client: ClientFactory) -> None:
    client = make_client(
        tokens=restored_tokens(bearers={BASE: RESTORED_BEARER}), request_timeout=0.01
    )

    async def hang(*_: Any, **__: Any) -> None:
        await asyncio.Event().wait()

    mock.get(status_url(), callback=hang)

    with pytest.raises(ActronTimeoutError, match=r"no answer within 0\.01 s"):
        await client.status(NEO_SERIAL)


@pytest.mark.parametrize("header", ["30", "30.0", "HTTP_DATE", "HTTP_DATE_NO_ZONE"])
async def test_retry_after_is_honoured(
    mock: aioresponses, client: ActronNeoClient, freezer: FrozenDateTimeFactory, header: str
) -> None:
    if header.startswith("HTTP_DATE"):
        date = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
        # "-0000" says the zone is unknown; parsing then gives a naive time, taken as UTC.
        header = date.replace("GMT", "-0000") if header.endswith("NO_ZONE") else date
    mock.get(status_url(), status=429, headers={"Retry-After": header})
    mock.get(status_url(), payload=load("status_neo_full.json"))

    with pytest.raises(ActronRateLimitedError) as caught:
        await client.status(NEO_SERIAL)
    assert caught.value.retry_after == pytest.approx(30, abs=1)
    assert caught.value.status == 429

    freezer.tick(timedelta(seconds=20))
    with pytest.raises(ActronRateLimitedError) as waiting:
        await client.status(NEO_SERIAL)
    assert waiting.value.retry_after == pytest.approx(10, abs=1)
    assert len(calls(mock)) == 1

    freezer.tick(timedelta(seconds=11))
    await client.status(NEO_SERIAL)
    assert len(calls(mock)) == 2


@pytest.mark.parametrize("headers", [None, {"Retry-After": "soon"}, {"Retry-After": "nan"}])
async def test_a_429_without_a_usable_retry_after_does_not_block(
    mock: aioresponses, client: ActronNeoClient, headers: dict[str, str] | None
) -> None:
    mock.get(status_url(), status=429, headers=headers)
    mock.get(status_url(), payload=load("status_neo_full.json"))

    with pytest.raises(ActronRateLimitedError) as caught:
        await client.status(NEO_SERIAL)
    await client.status(NEO_SERIAL)

    assert caught.value.retry_after is None
    assert len(calls(mock)) == 2


async def test_a_retry_after_in_the_past_does_not_block(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=1), usegmt=True)
    mock.get(status_url(), status=429, headers={"Retry-After": past})
    mock.get(status_url(), payload=load("status_neo_full.json"))

    with pytest.raises(ActronRateLimitedError) as caught:
        await client.status(NEO_SERIAL)
    await client.status(NEO_SERIAL)

    assert caught.value.retry_after == 0


async def test_rate_limits_are_per_host(
    mock: aioresponses, client: ActronNeoClient, freezer: FrozenDateTimeFactory
) -> None:
    mock.get(SYSTEMS_URL, payload=load("systems.json"))
    mock.get(status_url(), status=429, headers={"Retry-After": "60"})
    mock.post(token_url(QUE), payload=token_answer(QUE_BEARER))
    mock.get(status_url(QUE_SERIAL, QUE), payload=load("status_que.json"))
    await client.systems()

    with pytest.raises(ActronRateLimitedError):
        await client.status(NEO_SERIAL)
    await client.status(QUE_SERIAL)

    assert len(calls(mock, "GET", status_url(QUE_SERIAL, QUE))) == 1


async def test_own_session_is_opened_and_closed(mock: aioresponses) -> None:
    mock.get(status_url(), payload=load("status_sparse.json"))

    async with ActronNeoClient(
        device_unique_id=DEVICE_ID, tokens=restored_tokens(bearers={BASE: RESTORED_BEARER})
    ) as client:
        await client.status(NEO_SERIAL)
        own_session = client._session
        assert own_session is not None

    assert own_session.closed
    assert client._session is None


async def test_an_injected_session_stays_open(
    mock: aioresponses, session: aiohttp.ClientSession, client: ActronNeoClient
) -> None:
    mock.get(status_url(), payload=load("status_sparse.json"))

    await client.status(NEO_SERIAL)
    await client.close()

    assert not session.closed


def test_a_device_id_is_required() -> None:
    with pytest.raises(ActronValidationError) as caught:
        ActronNeoClient(device_unique_id="")

    assert caught.value.code == "device_id_required"


async def test_requests_are_logged_without_secrets(
    mock: aioresponses, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client()
    mock.post(PAIR_URL, payload=load("pairing.json"))
    mock.post(token_url(), payload=load("token.json"))
    mock.get(SYSTEMS_URL, payload=load("systems.json"))
    mock.get(status_url(), status=401)
    mock.post(token_url(), payload=token_answer("at.second-bearer"))
    mock.get(status_url(), payload=load("status_neo_full.json"))
    mock.post(token_url(QUE), payload=token_answer(QUE_BEARER))
    mock.post(command_url(QUE_SERIAL, QUE), status=503, payload=UNAVAILABLE)
    mock.get(status_url(QUE_SERIAL, QUE), exception=ClientConnectionError("reset"))
    mock.post(command_url(), status=429, headers={"Retry-After": "5"})

    errors: list[BaseException] = []
    await client.pair(USERNAME, PASSWORD)
    await client.systems()
    status = await client.status(NEO_SERIAL)
    for call in (
        client.send(QUE_SERIAL, commands.power(True)),
        client.status(QUE_SERIAL),
        client.send(NEO_SERIAL, commands.setpoints(status, cool=24)),
        client.send(NEO_SERIAL, commands.power(True)),
    ):
        with pytest.raises(ActronError) as caught:
            await call
        errors.append(caught.value)

    messages = [record.getMessage() for record in caplog.records]
    assert "POST https://nimbus.actronair.com.au/api/v0/oauth/token -> 200" in " ".join(messages)
    assert any(message.startswith("GET") and "-> 401" in message for message in messages)
    assert all(
        record.name.startswith("custom_components.actronair_neo.api") for record in caplog.records
    )
    shown = messages + [str(error) for error in errors] + [repr(error) for error in errors]
    for secret in (PASSWORD, PAIRING_TOKEN, ACCESS_TOKEN, "at.second-bearer", QUE_BEARER):
        assert not any(secret in text for text in shown), secret
