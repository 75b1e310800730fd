"""Pairing, bearer exchange, single flight, 401 handling and token storage."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import json
from typing import TYPE_CHECKING

from aiohttp import ClientConnectionError
import pytest

from custom_components.actronair_neo.api import (
    BEARER_REFRESH_MARGIN,
    ActronBearerRejectedError,
    ActronConnectionError,
    ActronInvalidCredentialsError,
    ActronInvalidResponseError,
    ActronPairingRevokedError,
    ActronRequestRejectedError,
    ActronValidationError,
    AuthTokens,
    BearerToken,
    PairingToken,
)

from .conftest import (
    ACCESS_TOKEN,
    BASE,
    DEVICE_ID,
    NEO_SERIAL,
    PAIR_URL,
    PAIRING_TOKEN,
    PASSWORD,
    RESTORED_BEARER,
    SYSTEMS_URL,
    USERNAME,
    ClientFactory,
    calls,
    load,
    restored_tokens,
    status_url,
    token_answer,
    token_url,
)

if TYPE_CHECKING:
    from aioresponses import aioresponses
    from freezegun.api import FrozenDateTimeFactory

    from custom_components.actronair_neo.api import ActronNeoClient

EXCHANGE_FORM = {
    "grant_type": "refresh_token",
    "refresh_token": PAIRING_TOKEN,
    "client_id": "app",
}


async def test_pair_posts_the_form_and_keeps_no_password(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    changed: list[AuthTokens] = []
    client = make_client(device_name="HA kitchen", on_tokens_changed=changed.append)
    mock.post(PAIR_URL, payload=load("pairing.json"))

    tokens = await client.pair(USERNAME, PASSWORD)

    [call] = calls(mock)
    assert call.method == "POST"
    assert str(call.url) == PAIR_URL
    assert call.kwargs["data"] == {
        "username": USERNAME,
        "password": PASSWORD,
        "client": "ios",
        "deviceName": "HA kitchen",
        "deviceUniqueIdentifier": DEVICE_ID,
    }
    assert call.authorization is None
    assert tokens.pairing.token == PAIRING_TOKEN
    assert tokens.pairing.user_device_id == "7c2e9a41-5b3d-4f08-9e6a-1d2c3b4a5f60"
    assert tokens.pairing.expires_at is not None
    assert tokens.pairing.expires_at.year == 3025
    assert tokens.bearers == {}
    assert changed == [tokens]
    assert client.tokens == tokens
    # The password lives in no attribute of the client or of its token manager.
    for holder in (client, client._bearers):
        assert PASSWORD not in repr(vars(holder))


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, {"error": "invalid_grant", "error_description": "bad user or password"}),
        (401, {"error": "invalid_grant"}),
        (401, None),
    ],
)
async def test_pair_wrong_credentials(
    mock: aioresponses, make_client: ClientFactory, status: int, body: object
) -> None:
    client = make_client()
    mock.post(PAIR_URL, status=status, payload=body)

    with pytest.raises(ActronInvalidCredentialsError) as caught:
        await client.pair(USERNAME, PASSWORD)

    assert caught.value.status == status
    assert client.tokens is None


async def test_pair_bad_request_of_another_kind_is_not_a_credentials_error(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client()
    mock.post(PAIR_URL, status=400, payload={"error": "invalid_request"})

    with pytest.raises(ActronRequestRejectedError) as caught:
        await client.pair(USERNAME, PASSWORD)

    assert caught.value.status == 400


async def test_pair_answer_without_token_is_invalid(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client()
    mock.post(PAIR_URL, payload={"id": "x", "deviceName": "Home Assistant"})

    with pytest.raises(ActronInvalidResponseError):
        await client.pair(USERNAME, PASSWORD)

    assert client.tokens is None


async def test_first_call_exchanges_the_pairing_token(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    changed: list[AuthTokens] = []
    client = make_client(tokens=restored_tokens(), on_tokens_changed=changed.append)
    mock.post(token_url(), payload=load("token.json"))
    mock.get(SYSTEMS_URL, payload=load("systems.json"))

    before = datetime.now(UTC)
    await client.systems()

    [exchange] = calls(mock, "POST", token_url())
    assert exchange.kwargs["data"] == EXCHANGE_FORM
    assert exchange.authorization is None
    [listing] = calls(mock, "GET", SYSTEMS_URL)
    assert listing.authorization == f"Bearer {ACCESS_TOKEN}"
    [stored] = changed
    bearer = stored.bearers[BASE]
    assert bearer.access_token == ACCESS_TOKEN
    assert before + timedelta(seconds=259199) <= bearer.expires_at
    assert bearer.expires_at <= datetime.now(UTC) + timedelta(seconds=259199)


async def test_pair_then_call_makes_exactly_pair_exchange_and_call(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client()
    mock.post(PAIR_URL, payload=load("pairing.json"))
    mock.post(token_url(), payload=load("token.json"))
    mock.get(SYSTEMS_URL, payload=load("systems.json"))

    await client.pair(USERNAME, PASSWORD)
    await client.systems()

    assert [(call.method, str(call.url)) for call in calls(mock)] == [
        ("POST", PAIR_URL),
        ("POST", token_url()),
        ("GET", SYSTEMS_URL),
    ]


async def test_pairing_again_drops_the_old_bearers(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client(tokens=restored_tokens(bearers={BASE: RESTORED_BEARER}))
    mock.post(PAIR_URL, payload={**load("pairing.json"), "pairingToken": "pt.second"})
    mock.post(token_url(), payload=load("token.json"))
    mock.get(SYSTEMS_URL, payload=load("systems.json"))

    await client.pair(USERNAME, PASSWORD)
    await client.systems()

    [exchange] = calls(mock, "POST", token_url())
    assert exchange.kwargs["data"]["refresh_token"] == "pt.second"
    [listing] = calls(mock, "GET", SYSTEMS_URL)
    assert listing.authorization == f"Bearer {ACCESS_TOKEN}"


async def test_restored_valid_bearer_makes_no_token_request(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    stored = restored_tokens(bearers={BASE: RESTORED_BEARER}).to_dict()
    changed: list[AuthTokens] = []
    client = make_client(tokens=AuthTokens.from_dict(stored), on_tokens_changed=changed.append)
    mock.get(SYSTEMS_URL, payload=load("systems.json"))

    await client.systems()

    assert calls(mock, "POST") == []
    [listing] = calls(mock, "GET", SYSTEMS_URL)
    assert listing.authorization == f"Bearer {RESTORED_BEARER}"
    assert changed == []


async def test_twenty_concurrent_calls_share_one_exchange(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client(tokens=restored_tokens())
    mock.post(token_url(), payload=load("token.json"))
    mock.get(status_url(), payload=load("status_neo_full.json"), repeat=True)

    statuses = await asyncio.gather(*(client.status(NEO_SERIAL) for _ in range(20)))

    assert len(calls(mock, "POST", token_url())) == 1
    status_calls = calls(mock, "GET", status_url())
    assert len(status_calls) == 20
    assert {call.authorization for call in status_calls} == {f"Bearer {ACCESS_TOKEN}"}
    assert all(status.settings.is_on for status in statuses)


async def test_a_failed_exchange_fails_every_waiting_caller_once(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client(tokens=restored_tokens())
    mock.post(token_url(), exception=ClientConnectionError("reset by peer"))

    results = await asyncio.gather(
        *(client.status(NEO_SERIAL) for _ in range(5)), return_exceptions=True
    )

    assert all(isinstance(result, ActronConnectionError) for result in results)
    assert len(calls(mock, "POST", token_url())) == 1
    assert calls(mock, "GET") == []


async def test_401_re_exchanges_once_and_retries(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    mock.get(status_url(), status=401, payload={"message": "Authorization has been denied"})
    mock.post(token_url(), payload=load("token.json"))
    mock.get(status_url(), payload=load("status_neo_full.json"))

    status = await client.status(NEO_SERIAL)

    assert status.serial == NEO_SERIAL
    assert len(calls(mock, "POST", token_url())) == 1
    first, retry = calls(mock, "GET", status_url())
    assert first.authorization == f"Bearer {RESTORED_BEARER}"
    assert retry.authorization == f"Bearer {ACCESS_TOKEN}"
    assert client.tokens is not None
    assert client.tokens.bearers[BASE].access_token == ACCESS_TOKEN


async def test_401_after_a_fresh_bearer_is_a_rejected_bearer(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    mock.get(status_url(), status=401, repeat=True)
    mock.post(token_url(), payload=load("token.json"))

    with pytest.raises(ActronBearerRejectedError) as caught:
        await client.status(NEO_SERIAL)

    assert caught.value.status == 401
    assert len(calls(mock, "POST", token_url())) == 1
    assert len(calls(mock, "GET", status_url())) == 2


async def test_concurrent_401s_share_one_re_exchange(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    for _ in range(5):
        mock.get(status_url(), status=401)
    mock.post(token_url(), payload=load("token.json"))
    mock.get(status_url(), payload=load("status_neo_full.json"), repeat=True)

    await asyncio.gather(*(client.status(NEO_SERIAL) for _ in range(5)))

    assert len(calls(mock, "POST", token_url())) == 1
    assert len(calls(mock, "GET", status_url())) == 10


async def test_a_401_after_a_peer_renewed_reuses_the_new_bearer(
    mock: aioresponses, client: ActronNeoClient
) -> None:
    # First caller: 401, exchange, retry succeeds. Second caller still holds the old bearer.
    mock.get(status_url(), status=401)
    mock.post(token_url(), payload=load("token.json"))
    mock.get(status_url(), payload=load("status_neo_full.json"), repeat=True)
    await client.status(NEO_SERIAL)

    # A late 401 for the old bearer must not trigger another exchange.
    assert await client._bearers.renew(BASE, RESTORED_BEARER) == ACCESS_TOKEN
    assert len(calls(mock, "POST", token_url())) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [(400, {"error": "invalid_grant"}), (401, {"error": "invalid_grant"}), (401, None)],
)
async def test_revoked_pairing(
    mock: aioresponses, make_client: ClientFactory, status: int, body: object
) -> None:
    client = make_client(tokens=restored_tokens())
    mock.post(token_url(), status=status, payload=body)

    with pytest.raises(ActronPairingRevokedError) as caught:
        await client.status(NEO_SERIAL)

    assert caught.value.status == status
    assert calls(mock, "GET") == []


async def test_incomplete_token_answer_is_invalid(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client(tokens=restored_tokens())
    mock.post(token_url(), payload={"access_token": "x", "token_type": "bearer"})

    with pytest.raises(ActronInvalidResponseError):
        await client.status(NEO_SERIAL)


async def test_calls_before_pairing_need_authentication(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client()

    with pytest.raises(ActronPairingRevokedError) as caught:
        await client.systems()

    assert caught.value.status is None
    assert calls(mock) == []


async def test_bearer_is_re_exchanged_once_due(
    mock: aioresponses, make_client: ClientFactory, freezer: FrozenDateTimeFactory
) -> None:
    client = make_client(
        tokens=restored_tokens(bearers={BASE: RESTORED_BEARER}, valid_for=timedelta(minutes=10))
    )
    mock.get(status_url(), payload=load("status_neo_full.json"), repeat=True)
    mock.post(token_url(), payload=load("token.json"))

    freezer.tick(timedelta(minutes=10) - BEARER_REFRESH_MARGIN - timedelta(seconds=1))
    await client.status(NEO_SERIAL)
    assert calls(mock, "POST") == []

    freezer.tick(timedelta(seconds=1))
    await client.status(NEO_SERIAL)

    assert len(calls(mock, "POST", token_url())) == 1
    first, second = calls(mock, "GET", status_url())
    assert first.authorization == f"Bearer {RESTORED_BEARER}"
    assert second.authorization == f"Bearer {ACCESS_TOKEN}"


def test_bearer_token_expiry_helpers() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    bearer = BearerToken("secret", now + timedelta(minutes=6))

    assert not bearer.is_due(now)
    assert bearer.is_due(now + timedelta(minutes=1))
    assert bearer.is_due(now, margin=timedelta(minutes=7))
    assert bearer.expires_in(now) == timedelta(minutes=6)
    assert not BearerToken("secret", datetime.now(UTC) + timedelta(hours=1)).is_due()
    assert BearerToken("secret", datetime.now(UTC)).expires_in() <= timedelta(0)


def test_bearer_from_token_answer() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    bearer = BearerToken.from_json(token_answer(expires_in=3600), now=now)

    assert bearer.access_token == ACCESS_TOKEN
    assert bearer.expires_at == now + timedelta(hours=1)
    bad: object
    for bad in (
        {"access_token": "", "expires_in": 10},
        {"access_token": "x", "expires_in": 0},
        {"access_token": "x", "expires_in": "3600"},
        [],
    ):
        with pytest.raises(ActronInvalidResponseError):
            BearerToken.from_json(bad, now=now)


def test_tokens_round_trip_through_json() -> None:
    expires = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    tokens = AuthTokens(
        PairingToken(PAIRING_TOKEN, "device-1", datetime(3025, 11, 23, tzinfo=UTC)),
        {BASE: BearerToken(ACCESS_TOKEN, expires)},
    )

    stored = json.loads(json.dumps(tokens.to_dict()))

    assert stored["bearers"][BASE]["expires_at"] == "2026-11-26T12:00:00+00:00"
    assert AuthTokens.from_dict(stored) == tokens


def test_restoring_tolerates_damaged_bearers_but_needs_a_pairing_token() -> None:
    stored = {
        "pairing": {"token": PAIRING_TOKEN, "user_device_id": None, "expires_at": None},
        "bearers": {
            BASE: {"access_token": ACCESS_TOKEN, "expires_at": "not a date"},
            "https://other": "garbage",
        },
    }

    restored = AuthTokens.from_dict(stored)

    assert restored.pairing == PairingToken(PAIRING_TOKEN)
    assert restored.bearers == {}
    for damaged in ({}, {"pairing": {"token": ""}}, {"pairing": "x"}):
        with pytest.raises(ActronValidationError) as caught:
            AuthTokens.from_dict(damaged)
        assert caught.value.code == "invalid_tokens"


def test_token_reprs_hide_the_secrets() -> None:
    tokens = AuthTokens(
        PairingToken(PAIRING_TOKEN, "device-1"),
        {BASE: BearerToken(ACCESS_TOKEN, datetime(2026, 11, 26, tzinfo=UTC))},
    )

    shown = repr(tokens)

    assert PAIRING_TOKEN not in shown
    assert ACCESS_TOKEN not in shown
    assert "device-1" in shown


async def test_an_exchange_overtaken_by_a_new_pairing_is_not_kept(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = make_client(tokens=restored_tokens())
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_exchange(*_: object, **__: object) -> None:
        started.set()
        await release.wait()

    mock.post(token_url(), callback=slow_exchange, payload=token_answer("at.old-pairing"))
    mock.get(status_url(), payload=load("status_neo_full.json"))
    mock.post(PAIR_URL, payload={**load("pairing.json"), "pairingToken": "pt.new"})

    pending = asyncio.create_task(client.status(NEO_SERIAL))
    await started.wait()
    await client.pair(USERNAME, PASSWORD)
    release.set()
    await pending

    [status_call] = calls(mock, "GET", status_url())
    assert status_call.authorization == "Bearer at.old-pairing"
    assert client.tokens is not None
    assert client.tokens.pairing.token == "pt.new"
    assert client.tokens.bearers == {}
