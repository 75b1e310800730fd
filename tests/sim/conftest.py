"""Fixtures for the simulator's tests: the simulated cloud and an HTTP helper speaking to it."""

from dataclasses import dataclass
import json
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from actronair_neo_sim import DEMO_EMAIL, DEMO_PASSWORD, SimulatedCloud
from actronair_neo_sim.testing import sim_clock, sim_cloud

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["sim_clock", "sim_cloud"]

NEO_SERIAL = "26c00841"
SMALL_SERIAL = "26c01562"
QUE_SERIAL = "26q04213"
API = "/api/v0"


@dataclass
class Reply:
    """An HTTP answer: status, headers and the body parsed as JSON when it is JSON."""

    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        """Parse the body as JSON."""
        return json.loads(self.text)


@dataclass
class Api:
    """Speaks to the simulated cloud the way a client would, over real loopback HTTP."""

    session: aiohttp.ClientSession
    cloud: SimulatedCloud

    async def request(
        self,
        method: str,
        path: str,
        *,
        base: str | None = None,
        token: str | None = None,
        patience: float = 10.0,
        **kwargs: Any,
    ) -> Reply:
        """Send a request and read the whole answer."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers |= kwargs.pop("headers", {})
        async with self.session.request(
            method,
            f"{base or self.cloud.url}{path}",
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=patience),
            **kwargs,
        ) as response:
            return Reply(response.status, dict(response.headers), await response.text())

    async def pair(
        self,
        unique_id: str = "ha-test-install",
        *,
        email: str = DEMO_EMAIL,
        password: str = DEMO_PASSWORD,
        base: str | None = None,
    ) -> Reply:
        """Pair the way the vendor's apps do."""
        form = {
            "username": email,
            "password": password,
            "client": "ios",
            "deviceName": "Home Assistant",
            "deviceUniqueIdentifier": unique_id,
        }
        return await self.request("POST", f"{API}/client/user-devices", base=base, data=form)

    async def exchange(self, pairing_token: str, *, base: str | None = None) -> Reply:
        """Exchange a pairing token for a bearer on `base` (default: the Neo host)."""
        form = {"grant_type": "refresh_token", "refresh_token": pairing_token, "client_id": "app"}
        return await self.request("POST", f"{API}/oauth/token", base=base, data=form)

    async def pairing_token(self, unique_id: str = "ha-test-install") -> str:
        """Pair and return the pairing token."""
        reply = await self.pair(unique_id)
        assert reply.status == 200, reply.text
        return str(reply.json()["pairingToken"])

    async def bearer(self, *, base: str | None = None, unique_id: str = "ha-test-install") -> str:
        """Pair, exchange on `base`, and return the access token."""
        reply = await self.exchange(await self.pairing_token(unique_id), base=base)
        assert reply.status == 200, reply.text
        return str(reply.json()["access_token"])

    async def host_bearers(self) -> tuple[str, str]:
        """Pair once and exchange the pairing token on both hosts: (Neo bearer, Que bearer)."""
        pairing = await self.pairing_token()
        neo = await self.exchange(pairing)
        que = await self.exchange(pairing, base=self.cloud.que_url)
        return neo.json()["access_token"], que.json()["access_token"]

    async def status(
        self, serial: str, token: str, *, base: str | None = None, patience: float = 10.0
    ) -> Reply:
        """GET the latest status of `serial`, waiting at most `patience` seconds."""
        path = f"{API}/client/ac-systems/status/latest?serial={serial}"
        return await self.request("GET", path, base=base, token=token, patience=patience)

    async def send(
        self, serial: str, token: str, settings: dict[str, Any], *, base: str | None = None
    ) -> Reply:
        """POST a set-settings command."""
        body = {"command": {**settings, "type": "set-settings"}}
        path = f"{API}/client/ac-systems/cmds/send?serial={serial}"
        return await self.request("POST", path, base=base, token=token, json=body)

    async def systems(self, token: str, *, base: str | None = None, query: str = "") -> Reply:
        """GET the systems list (by default with includeNeo and includeAcms)."""
        query = query or "?includeAcms=true&includeNeo=true"
        return await self.request("GET", f"{API}/client/ac-systems{query}", base=base, token=token)

    async def admin(self, method: str, path: str, body: Any = None) -> Reply:
        """Call the admin endpoint (`/_sim...`)."""
        kwargs = {} if body is None else {"json": body}
        return await self.request(method, f"/_sim{path}", **kwargs)


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """Let every simulator test open sockets (the harness still limits them to loopback)."""


@pytest.fixture
async def api(sim_cloud: SimulatedCloud) -> AsyncIterator[Api]:
    """Give an HTTP helper bound to `sim_cloud`."""
    async with aiohttp.ClientSession() as session:
        yield Api(session, sim_cloud)


@pytest.fixture
async def token(api: Api) -> str:
    """Give a bearer for the demo account on the Neo host."""
    return await api.bearer()
