"""The vendor's HTTP API on aiohttp.web: one application per simulated host (Neo, Que or both).

The Neo host pairs accounts and serves Neo systems; the Que host serves Que (`nxgen`) systems and
mints its own bearers (a bearer from one host is refused on the other); both exchange pairing tokens
and list systems. A middleware applies injected latency and faults and records every request in the
request log.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
import json
import socket
import struct
from typing import TYPE_CHECKING, Any, Final
import uuid

from aiohttp import web

from .auth import PAIRING_CLIENTS, InvalidCredentialsError, InvalidGrantError, iso
from .commands import CommandError
from .faults import BODY_FAULTS, FaultKind, FaultRule, Faults, corrupt_body
from .requestlog import ENDPOINTS, RequestLog, RequestRecord
from .state import CloudState, SystemNotFoundError, SystemOfflineError

if TYPE_CHECKING:
    from .system import SystemState

API: Final = "/api/v0"
DENIED: Final = {"message": "Authorization has been denied for this request."}
_INCLUDE_FLAGS: Final = {"true": True, "false": False}
# Endpoints whose success changes the state: a pairing, a bearer, a queued command.
_CHANGING_ENDPOINTS: Final = frozenset({"pair", "token", "command"})


def _nothing_changed() -> None:
    """Do nothing: the default when no one keeps the state."""


@dataclass(frozen=True, kw_only=True)
class Listener:
    """One simulated host: its name in tokens and logs, and which systems it answers for."""

    state: CloudState
    faults: Faults
    requests: RequestLog
    host: str  # "neo" or "que"
    serves_neo: bool
    serves_que: bool
    # Called after a request that changed the state (a pairing, a bearer, a command, an admin
    # change): the cloud saves its state file then.
    changed: Callable[[], None] = _nothing_changed

    def serves(self, system: SystemState) -> bool:
        """Whether this host answers for `system`'s status and commands."""
        return self.serves_que if system.spec.is_que else self.serves_neo


LISTENER: Final = web.AppKey("listener", Listener)


class CloudError(Exception):
    """An error answer: a status and the vendor's JSON body."""

    def __init__(
        self, status: int, body: Mapping[str, object], headers: Mapping[str, str] | None = None
    ) -> None:
        """Answer with `status` and `body`."""
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def create_app(listener: Listener) -> web.Application:
    """Build the application playing one host (pairing and user-devices on the Neo host only)."""
    app = web.Application(middlewares=[_cloud_middleware])
    app[LISTENER] = listener
    if listener.serves_neo:
        app.router.add_post(f"{API}/client/user-devices", _pair, name="pair")
        app.router.add_get(f"{API}/client/user-devices", _user_devices, name="user-devices")
    app.router.add_post(f"{API}/oauth/token", _token, name="token")
    app.router.add_get(f"{API}/client/ac-systems", _systems, name="systems")
    app.router.add_get(f"{API}/client/ac-systems/status/latest", _status, name="status")
    app.router.add_post(f"{API}/client/ac-systems/cmds/send", _command, name="command")
    return app


type _Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _cloud_middleware(request: web.Request, handler: _Handler) -> web.StreamResponse:
    endpoint = request.match_info.route.name
    if endpoint not in ENDPOINTS:
        return await handler(request)
    listener = request.app[LISTENER]
    serial = request.query.get("serial")
    status: int | None = None
    rule: FaultRule | None = None
    try:
        if latency := listener.faults.latency_for(endpoint):
            await asyncio.sleep(latency)
        rule = listener.faults.take(endpoint, serial, listener.host)
        if rule is not None and rule.kind not in BODY_FAULTS:
            response = await _fault_response(rule, request, listener.faults)
        else:
            response = await _answer(handler, request)
            if rule is not None:
                response = _spoiled(response, rule)
        status = None if rule is not None and rule.kind is FaultKind.RESET else response.status
        return response
    finally:
        listener.requests.record(
            RequestRecord(
                at=listener.state.now(),
                host=listener.host,
                method=request.method,
                endpoint=endpoint,
                serial=serial.casefold() if serial else None,
                status=status,
                fault=None if rule is None else rule.kind.value,
            )
        )
        if status == HTTPStatus.OK and endpoint in _CHANGING_ENDPOINTS:
            listener.changed()


async def _answer(handler: _Handler, request: web.Request) -> web.Response:
    try:
        response = await handler(request)
    except CloudError as err:
        return web.json_response(err.body, status=err.status, headers=err.headers)
    # Every handler answers with JSON; the check is for the type checker.
    if not isinstance(response, web.Response):  # pragma: no cover
        raise TypeError(response)
    return response


def _spoiled(response: web.Response, rule: FaultRule) -> web.Response:
    body = response.body if isinstance(response.body, bytes) else b""
    return web.Response(
        body=corrupt_body(rule, body), status=response.status, content_type="application/json"
    )


async def _fault_response(rule: FaultRule, request: web.Request, faults: Faults) -> web.Response:
    headers: dict[str, str] = {}
    body: Mapping[str, object]
    match rule.kind:
        case FaultKind.UNAUTHORIZED:
            status, body, headers = 401, DENIED, {"WWW-Authenticate": "Bearer"}
        case FaultKind.RATE_LIMITED:
            seconds = f"{rule.retry_after:g}"
            status, headers = 429, {"Retry-After": seconds}
            body = {
                "statusCode": 429,
                "message": f"Rate limit is exceeded. Try again in {seconds} seconds.",
            }
        case FaultKind.SERVER_ERROR:
            status, body = 500, {"message": "An error has occurred."}
        case FaultKind.UNAVAILABLE:
            status, body = 503, _unavailable_body()
        case FaultKind.TIMEOUT:
            await faults.hang()
            status, body = 504, {"message": "The gateway timed out."}
        case _:  # RESET
            _reset(request)
            # Never delivered: aiohttp finds the transport closed and drops it quietly.
            status, body = 500, {}
    return web.json_response(body, status=status, headers=headers)


def _reset(request: web.Request) -> None:
    transport = request.transport
    if transport is None:  # pragma: no cover -- the client is already gone
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger 0: closing sends a TCP RST instead of a FIN, as a dropped connection would.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.close()


def _unavailable_body() -> dict[str, object]:
    return {
        "correlationId": str(uuid.uuid4()),
        "type": "unavailable",
        "value": None,
        "mwcResponseTime": "00:00:00.0000381",
    }


async def _form(request: web.Request, *names: str) -> dict[str, str]:
    form = await request.post()
    values = {name: form.get(name) for name in names}
    missing = [name for name, value in values.items() if not isinstance(value, str) or not value]
    if missing:
        raise CloudError(
            400, {"error": "invalid_request", "error_description": f"missing {', '.join(missing)}"}
        )
    return {name: str(value) for name, value in values.items()}


def _account(request: web.Request) -> str:
    """Return the account of the request's bearer, or raise a 401 with the vendor's body."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    listener = request.app[LISTENER]
    email = (
        listener.state.auth.authenticate(token.strip(), listener.host)
        if scheme.lower() == "bearer"
        else None
    )
    if email is None:
        raise CloudError(401, DENIED, {"WWW-Authenticate": "Bearer"})
    return email


def _system(request: web.Request) -> SystemState:
    email = _account(request)
    listener = request.app[LISTENER]
    serial = request.query.get("serial", "")
    if not serial:
        raise CloudError(400, {"message": "The serial parameter is required."})
    try:
        system = listener.state.system(serial, email)
    except SystemNotFoundError:
        system = None
    if system is None or not listener.serves(system):
        raise CloudError(404, {"message": f"No AC system with serial '{serial}' was found."})
    return system


async def _pair(request: web.Request) -> web.Response:
    fields = await _form(
        request, "username", "password", "client", "deviceName", "deviceUniqueIdentifier"
    )
    if fields["client"] not in PAIRING_CLIENTS:
        raise CloudError(
            400,
            {"error": "invalid_request", "error_description": "client is not a known client type"},
        )
    try:
        device = request.app[LISTENER].state.auth.pair(
            username=fields["username"],
            password=fields["password"],
            client=fields["client"],
            device_name=fields["deviceName"],
            unique_identifier=fields["deviceUniqueIdentifier"],
        )
    except InvalidCredentialsError:
        raise CloudError(
            400,
            {
                "error": "invalid_grant",
                "error_description": "The user name or password is incorrect.",
            },
        ) from None
    return web.json_response(
        {
            "id": device.id,
            "deviceName": device.device_name,
            "pairingToken": device.pairing_token,
            "expires": iso(device.expires),
            "_links": {"self": {"href": f"{API}/client/user-devices/{device.id}"}},
        }
    )


async def _user_devices(request: web.Request) -> web.Response:
    email = _account(request)
    devices = request.app[LISTENER].state.auth.devices(email)
    return web.json_response(
        {
            "_links": {"self": {"href": f"{API}/client/user-devices"}},
            "_embedded": {"user-device": [device.to_json() for device in devices]},
        }
    )


async def _token(request: web.Request) -> web.Response:
    fields = await _form(request, "grant_type", "refresh_token", "client_id")
    if fields["grant_type"] != "refresh_token":
        raise CloudError(400, {"error": "unsupported_grant_type"})
    if fields["client_id"] != "app":
        raise CloudError(400, {"error": "invalid_client"})
    listener = request.app[LISTENER]
    try:
        bearer = listener.state.auth.exchange(fields["refresh_token"], listener.host)
    except InvalidGrantError:
        raise CloudError(
            400,
            {
                "error": "invalid_grant",
                "error_description": "The refresh token is invalid or revoked.",
            },
        ) from None
    return web.json_response(
        {
            "access_token": bearer.token,
            "token_type": "bearer",
            "expires_in": round(bearer.expires_at - listener.state.now()),
        }
    )


def _include(request: web.Request, name: str) -> bool:
    value = request.query.get(name, "false").lower()
    if value not in _INCLUDE_FLAGS:
        raise CloudError(400, {"message": f"{name} must be true or false."})
    return _INCLUDE_FLAGS[value]


async def _systems(request: web.Request) -> web.Response:
    email = _account(request)
    # Like the real cloud, Neo and Que systems are listed only when asked for with includeNeo=true.
    include_neo, include_acms = _include(request, "includeNeo"), _include(request, "includeAcms")
    systems = [
        system
        for system in request.app[LISTENER].state.systems(email)
        if (include_acms if system.spec.system_type == "standard" else include_neo)
    ]
    return web.json_response(
        {
            "_links": {"self": {"href": f"{API}/client/ac-systems"}},
            "_embedded": {"ac-system": [_system_item(system) for system in systems]},
        }
    )


def _system_item(system: SystemState) -> dict[str, Any]:
    query = f"?serial={system.serial}"
    return {
        "type": system.spec.system_type,
        "serial": system.serial,
        "id": system.id,
        "description": system.spec.description or f"NEO_{system.spec.serial.upper()}",
        "_links": {
            "self": {"href": f"{API}/client/ac-systems/{system.id}"},
            "commands": {"href": f"{API}/client/ac-systems/cmds/send{query}"},
            "ac-status": {"href": f"{API}/client/ac-systems/status/latest{query}"},
        },
    }


async def _status(request: web.Request) -> web.Response:
    system = _system(request)
    return web.json_response(request.app[LISTENER].state.status(system.serial))


async def _command(request: web.Request) -> web.Response:
    system = _system(request)
    try:
        body = json.loads(await request.read())
    except ValueError:
        raise CloudError(400, {"message": "The request body is not valid JSON."}) from None
    started = asyncio.get_running_loop().time()
    listener = request.app[LISTENER]
    try:
        listener.state.send_command(system.serial, body)
    except CommandError as err:
        raise CloudError(400, {"message": str(err)}) from None
    except SystemOfflineError:
        raise CloudError(503, _unavailable_body()) from None
    # send_command accepted it, so the body is {"command": {"type": ..., <dotted keys>}}.
    settings = {key: value for key, value in body["command"].items() if key != "type"}
    listener.requests.record_command(
        at=listener.state.now(), host=listener.host, serial=system.serial, settings=settings
    )
    took = asyncio.get_running_loop().time() - started
    return web.json_response(
        {
            "correlationId": str(uuid.uuid4()),
            "type": "ack",
            "value": {"type": "ack"},
            "mwcResponseTime": f"00:00:00.{round(took * 10_000_000):07d}",
        }
    )
