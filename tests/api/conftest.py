"""Fixtures of the API client tests: the cloud is mocked on the wire with aioresponses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

import aiohttp
from aioresponses import aioresponses
import pytest
from yarl import URL

from custom_components.actronair_neo.api import (
    DEFAULT_BASE_URL,
    DEFAULT_QUE_BASE_URL,
    ActronNeoClient,
    AuthTokens,
    BearerToken,
    PairingToken,
    SystemStatus,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"

BASE = DEFAULT_BASE_URL
QUE = DEFAULT_QUE_BASE_URL
NEO_SERIAL = "24k01234"
QUE_SERIAL = "25q05678"
DEVICE_ID = "ha-6f1c2d3e4f5061728394a5b6c7d8e9f0"
USERNAME = "someone@example.com"
PASSWORD = "correct horse battery staple"
PAIRING_TOKEN = json.loads((FIXTURES / "pairing.json").read_text())["pairingToken"]
ACCESS_TOKEN = json.loads((FIXTURES / "token.json").read_text())["access_token"]
RESTORED_BEARER = "at.restored-bearer-for-tests"

PAIR_URL = f"{BASE}/api/v0/client/user-devices"
SYSTEMS_URL = f"{BASE}/api/v0/client/ac-systems?includeAcms=true&includeNeo=true"


def token_url(host: str = BASE) -> str:
    """Return the token endpoint of a host."""
    return f"{host}/api/v0/oauth/token"


def status_url(serial: str = NEO_SERIAL, host: str = BASE) -> str:
    """Return the status endpoint of a serial on a host."""
    return f"{host}/api/v0/client/ac-systems/status/latest?serial={serial}"


def command_url(serial: str = NEO_SERIAL, host: str = BASE) -> str:
    """Return the command endpoint of a serial on a host."""
    return f"{host}/api/v0/client/ac-systems/cmds/send?serial={serial}"


def load(name: str) -> Any:
    """Return a fresh copy of a JSON fixture."""
    return json.loads((FIXTURES / name).read_text())


def status_from(name: str = "status_neo_full.json", serial: str = NEO_SERIAL) -> SystemStatus:
    """Parse a status fixture."""
    return SystemStatus.from_json(load(name), serial=serial)


def token_answer(access_token: str = ACCESS_TOKEN, expires_in: int = 259199) -> dict[str, Any]:
    """Return a token endpoint answer."""
    return {"access_token": access_token, "token_type": "bearer", "expires_in": expires_in}


def restored_tokens(
    *, bearers: dict[str, str] | None = None, valid_for: timedelta = timedelta(days=2)
) -> AuthTokens:
    """Return tokens as restored from storage, with bearers (host -> token) valid for a while."""
    expires_at = datetime.now(UTC) + valid_for
    return AuthTokens(
        PairingToken(PAIRING_TOKEN, "device-1", None),
        {host: BearerToken(token, expires_at) for host, token in (bearers or {}).items()},
    )


@dataclass
class Call:
    """One request seen by the mock."""

    method: str
    url: URL
    kwargs: dict[str, Any]

    @property
    def authorization(self) -> str | None:
        """Return the Authorization header sent, if any."""
        headers = self.kwargs.get("headers") or {}
        return headers.get("Authorization")


def calls(mock: aioresponses, method: str | None = None, url: str | None = None) -> list[Call]:
    """Return the requests made, optionally only those of one method and URL."""
    found = [
        Call(key_method, key_url, dict(call.kwargs))
        for (key_method, key_url), recorded in mock.requests.items()
        for call in recorded
    ]
    if method is not None:
        found = [call for call in found if call.method == method]
    if url is not None:
        found = [call for call in found if call.url == URL(url)]
    return found


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    """Mock the cloud."""
    with aioresponses() as mocked:
        yield mocked


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Return an aiohttp session closed after the test (the client must leave it open)."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


type ClientFactory = Callable[..., ActronNeoClient]


@pytest.fixture
async def make_client(session: aiohttp.ClientSession) -> AsyncIterator[ClientFactory]:
    """Build clients on the test session; they are closed after the test."""
    made: list[ActronNeoClient] = []

    def factory(**kwargs: Any) -> ActronNeoClient:
        kwargs.setdefault("device_unique_id", DEVICE_ID)
        kwargs.setdefault("session", session)
        kwargs.setdefault("command_merge_window", 0)
        client = ActronNeoClient(**kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.close()


@pytest.fixture
def client(make_client: ClientFactory) -> ActronNeoClient:
    """Return a client restored with a valid bearer for the Neo host."""
    return make_client(tokens=restored_tokens(bearers={BASE: RESTORED_BEARER}))
