"""A mock of the ActronAir cloud on the wire (aioresponses), for the integration's tests.

It answers pairing, token exchange, the systems list, statuses and commands from state the test
edits, checks the bearer of every call, and keeps what was asked. An endpoint can be broken for a
number of requests (an HTTP status, a connection error, a timeout) or until it is repaired.
Commands are recorded but, like the real cloud, only show in a status once the test says so
(`reflect`), unless `reflect_commands` is set.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
import json
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any

from aioresponses import CallbackResult, aioresponses

from custom_components.actronair_neo.api import DEFAULT_BASE_URL, DEFAULT_QUE_BASE_URL

if TYPE_CHECKING:
    from collections.abc import Iterator

    from yarl import URL

FIXTURES = Path(__file__).parent / "fixtures"
NEO_SERIAL = "24k01234"
QUE_SERIAL = "25q05678"
EMAIL = "Someone@Example.com"
PASSWORD = "correct horse battery staple"
RESTORED_BEARER = "at.restored-bearer"

ENDPOINTS = {
    "pair": ("POST", r"/api/v0/client/user-devices"),
    "token": ("POST", r"/api/v0/oauth/token"),
    "systems": ("GET", r"/api/v0/client/ac-systems\?.*"),
    "status": ("GET", r"/api/v0/client/ac-systems/status/latest\?.*"),
    "command": ("POST", r"/api/v0/client/ac-systems/cmds/send\?.*"),
}
_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def load(name: str) -> Any:
    """Return a fresh copy of a JSON fixture."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def set_path(document: dict[str, Any], key: str, value: Any) -> None:
    """Set a dotted key ("A.B[2].C") of a JSON document in place."""
    steps: list[str | int] = [name or int(index) for name, index in _SEGMENT.findall(key)]
    node: Any = document
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value


@dataclass
class Failure:
    """How an endpoint answers while broken."""

    status: int = 500
    body: Any = None
    headers: dict[str, str] | None = None
    exception: BaseException | None = None
    times: int | None = None  # None: until repaired
    serial: str | None = None  # only requests about this system (None: all)


@dataclass
class Request:
    """One request the mock answered."""

    endpoint: str
    host: str
    params: dict[str, str]
    form: dict[str, Any] | None
    body: Any
    authorization: str | None


@dataclass
class MockCloud:
    """The cloud's state, as the tests set it and the integration sees it."""

    systems: list[dict[str, Any]] = field(
        default_factory=lambda: load("systems.json")["_embedded"]["ac-system"]
    )
    statuses: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            NEO_SERIAL: load("status_neo_full.json"),
            QUE_SERIAL: load("status_que.json"),
        }
    )
    hosts: tuple[str, ...] = (DEFAULT_BASE_URL, DEFAULT_QUE_BASE_URL)
    password: str = PASSWORD
    pairing_revoked: bool = False
    reflect_commands: bool = False
    valid_bearers: set[str] = field(default_factory=lambda: {RESTORED_BEARER})
    requests: list[Request] = field(default_factory=list)
    _failures: dict[str, Failure] = field(default_factory=dict)
    _minted: int = 0
    _paired: int = 0

    def register(self, mocker: aioresponses) -> None:
        """Answer every endpoint on both hosts."""
        for endpoint, (method, path) in ENDPOINTS.items():
            for host in self.hosts:
                mocker.add(
                    re.compile(f"^{re.escape(host)}{path}$"),
                    method,
                    callback=self._answerer(endpoint, host),
                    repeat=True,
                )

    def fail(self, endpoint: str, **failure: Any) -> None:
        """Break an endpoint (see Failure for how)."""
        self._failures[endpoint] = Failure(**failure)

    def repair(self, endpoint: str) -> None:
        """Let an endpoint answer normally again."""
        self._failures.pop(endpoint, None)

    def count(self, endpoint: str, host: str | None = None) -> int:
        """Return how many requests an endpoint answered (on one host, if given)."""
        return len(self.made(endpoint, host))

    def made(self, endpoint: str, host: str | None = None) -> list[Request]:
        """Return the requests an endpoint answered, oldest first."""
        return [
            request
            for request in self.requests
            if request.endpoint == endpoint and host in (None, request.host)
        ]

    def commands(self, serial: str = NEO_SERIAL) -> list[dict[str, Any]]:
        """Return the commands sent to a system, without their `type`."""
        return [
            {key: value for key, value in request.body["command"].items() if key != "type"}
            for request in self.made("command")
            if request.params["serial"].casefold() == serial
        ]

    def reflect(self, serial: str, values: dict[str, Any]) -> None:
        """Make the status show values (dotted keys under lastKnownState)."""
        for key, value in values.items():
            set_path(self.statuses[serial]["lastKnownState"], key, value)

    def _answerer(self, endpoint: str, host: str) -> Any:
        def answer(url: URL, **kwargs: Any) -> CallbackResult:
            headers = kwargs.get("headers") or {}
            request = Request(
                endpoint,
                host,
                {key: str(value) for key, value in (kwargs.get("params") or {}).items()},
                kwargs.get("data"),
                kwargs.get("json"),
                headers.get("Authorization"),
            )
            self.requests.append(request)
            failure = self._failures.get(endpoint)
            if failure is not None and failure.serial in (None, request.params.get("serial")):
                return self._broken(endpoint, failure)
            handler = getattr(self, f"_on_{endpoint}")
            result: CallbackResult = handler(request)
            return result

        return answer

    def _broken(self, endpoint: str, failure: Failure) -> CallbackResult:
        if failure.times is not None:
            failure.times -= 1
            if failure.times <= 0:
                self.repair(endpoint)
        if failure.exception is not None:
            raise failure.exception
        return _answer(status=failure.status, payload=failure.body, headers=failure.headers)

    def _on_pair(self, request: Request) -> CallbackResult:
        form = request.form or {}
        if form.get("password") != self.password:
            return _answer(status=400, payload={"error": "invalid_grant"})
        self.pairing_revoked = False
        self._paired += 1
        return _answer(payload=load("pairing.json") | {"pairingToken": f"pt.paired-{self._paired}"})

    def _on_token(self, _request: Request) -> CallbackResult:
        if self.pairing_revoked:
            return _answer(status=400, payload={"error": "invalid_grant"})
        self._minted += 1
        token = f"at.minted-{self._minted}"
        self.valid_bearers.add(token)
        return _answer(
            payload={"access_token": token, "token_type": "bearer", "expires_in": 259199}
        )

    def _refused(self, request: Request) -> bool:
        return request.authorization not in {f"Bearer {token}" for token in self.valid_bearers}

    def _on_systems(self, request: Request) -> CallbackResult:
        if self._refused(request):
            return _denied()
        return _answer(payload={"_embedded": {"ac-system": self.systems}})

    def _on_status(self, request: Request) -> CallbackResult:
        if self._refused(request):
            return _denied()
        status = self.statuses.get(request.params["serial"].casefold())
        if status is None:
            return _answer(status=404, payload={"message": "serial not found"})
        return _answer(payload=status)

    def _on_command(self, request: Request) -> CallbackResult:
        if self._refused(request):
            return _denied()
        serial = request.params["serial"].casefold()
        status = self.statuses.get(serial)
        if status is None:
            return _answer(status=404, payload={"message": "serial not found"})
        if status.get("isOnline") is False:
            return _answer(
                status=503, payload={"correlationId": "c-1", "type": "unavailable", "value": None}
            )
        if self.reflect_commands:
            values = {k: v for k, v in request.body["command"].items() if k != "type"}
            self.reflect(serial, values)
        return _answer(
            payload={"correlationId": "c-1", "type": "ack", "value": None, "mwcResponseTime": 1}
        )


def _denied() -> CallbackResult:
    return _answer(
        status=401, payload={"message": "Authorization has been denied for this request."}
    )


@contextmanager
def mock_cloud_context(**fields: Any) -> Iterator[MockCloud]:
    """Answer HTTP calls from a fresh mock cloud while the context lasts."""
    cloud = MockCloud(**fields)
    # Home Assistant's own HTTP server (diagnostics, websocket tests) answers on 127.0.0.1, so
    # that address is let through: a mock host must be another (127.0.0.2 is loopback too).
    with aioresponses(passthrough=["http://127.0.0.1"]) as mocker:
        cloud.register(mocker)
        yield cloud


def _answer(status: int = 200, **kwargs: Any) -> CallbackResult:
    """Return an answer aioresponses can build on any aiohttp (see tests.api.conftest)."""
    return CallbackResult(status=status, **kwargs)
