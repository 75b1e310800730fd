"""The admin endpoint (`/_sim/...` on the Neo host): fault switches, state changes, the request log.

The command log (`/_sim/commands`) lists the commands the cloud accepted. Only loopback clients
are answered (403 otherwise), even when the simulator listens on other addresses. Bodies are JSON;
errors answer 400 (bad input, nothing changed) or 404 (unknown serial, rule or slot) with
`{"error": "..."}`. `GET /_sim` lists every route. README.md documents each one.
"""

from collections.abc import Awaitable, Callable
import ipaddress
import json
from typing import Any, Final

from aiohttp import web

from .faults import FaultError, FaultKind, FaultRule
from .requestlog import ENDPOINTS
from .scenario import DEMO_EMAIL, ScenarioError, system_from_dict, zone_from_dict
from .server import LISTENER, Listener
from .state import SystemNotFoundError

ROUTES: Final = (
    ("GET", "/_sim", "this list"),
    ("GET", "/_sim/state", "accounts, user-devices, systems and zones (no secrets)"),
    ("PATCH", "/_sim/config", '{"command_delay": s, "token_lifetime": s}'),
    ("GET", "/_sim/faults", "armed fault rules and latency"),
    (
        "POST",
        "/_sim/faults",
        '{"kind", "count"?, "endpoint"?, "serial"?, "host"?, "retry_after"?, "paths"?}',
    ),
    ("DELETE", "/_sim/faults", "disarm every rule, drop latency, release hung requests"),
    ("DELETE", "/_sim/faults/{id}", "disarm one rule"),
    ("PUT", "/_sim/latency", '{"seconds": s, "endpoint"?: name}'),
    ("GET", "/_sim/requests", "request counters and the most recent requests (?last=N)"),
    ("DELETE", "/_sim/requests", "reset the request log (accepted commands included)"),
    ("GET", "/_sim/commands", "the commands the cloud accepted, oldest first (?serial=)"),
    ("DELETE", "/_sim/commands", "forget the accepted commands"),
    (
        "POST",
        "/_sim/revoke",
        '{"email": ...} or {"device_id": ...}: revoke pairings and their bearers',
    ),
    ("POST", "/_sim/tokens/expire", "expire every bearer now"),
    ("POST", "/_sim/systems", '{"email"?, "system": {scenario system}}'),
    ("DELETE", "/_sim/systems/{serial}", "remove a system"),
    (
        "PUT",
        "/_sim/systems/{serial}/online",
        '{"online": bool}: the wall controller goes offline or back',
    ),
    ("POST", "/_sim/systems/{serial}/zones", '{"zone": {scenario zone}, "slot"?: n}'),
    ("DELETE", "/_sim/systems/{serial}/zones/{slot}", "take a zone slot out of use"),
)

type _Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(remote: str | None) -> bool:
    """Whether a peer address is on this machine (IPv4, IPv6 or IPv4-mapped IPv6 loopback)."""
    if remote is None:
        return False
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def create_admin_app(listener: Listener) -> web.Application:
    """Build the `/_sim` sub-application; mount it with `app.add_subapp("/_sim", ...)`."""
    app = web.Application(middlewares=[_admin_middleware])
    app[LISTENER] = listener
    router = app.router
    router.add_get("", _index)
    router.add_get("/state", _state)
    router.add_patch("/config", _config)
    router.add_get("/faults", _faults)
    router.add_post("/faults", _add_fault)
    router.add_delete("/faults", _clear_faults)
    router.add_delete("/faults/{rule_id:\\d+}", _remove_fault)
    router.add_put("/latency", _latency)
    router.add_get("/requests", _requests)
    router.add_delete("/requests", _reset_requests)
    router.add_get("/commands", _commands)
    router.add_delete("/commands", _reset_commands)
    router.add_post("/revoke", _revoke)
    router.add_post("/tokens/expire", _expire_tokens)
    router.add_post("/systems", _add_system)
    router.add_delete("/systems/{serial}", _remove_system)
    router.add_put("/systems/{serial}/online", _online)
    router.add_post("/systems/{serial}/zones", _add_zone)
    router.add_delete("/systems/{serial}/zones/{slot:\\d+}", _remove_zone)
    return app


@web.middleware
async def _admin_middleware(request: web.Request, handler: _Handler) -> web.StreamResponse:
    if not is_loopback(request.remote):
        return web.json_response(
            {"error": "the admin endpoint answers loopback clients only"}, status=403
        )
    try:
        response = await handler(request)
    except SystemNotFoundError as err:
        return web.json_response({"error": f"no system {err.args[0]!r}"}, status=404)
    except KeyError as err:
        return web.json_response({"error": f"no such item {err.args[0]!r}"}, status=404)
    except (ValueError, TypeError) as err:
        # FaultError, ScenarioError, bad JSON: the caller's input, and nothing was changed.
        return web.json_response({"error": str(err)}, status=400)
    if request.method != "GET":
        # Saves the state file; a change to faults or logs only, which it does not hold, writes
        # nothing (the file is written when its content changed).
        _listener(request).changed()
    return response


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.read() or b"{}")
    except ValueError as err:
        raise ValueError(f"the body is not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise TypeError("the body must be a JSON object")
    return data


def _listener(request: web.Request) -> Listener:
    return request.app[LISTENER]


async def _index(_request: web.Request) -> web.Response:
    return web.json_response(
        {
            "routes": [{"method": m, "path": p, "what": w} for m, p, w in ROUTES],
            "fault_kinds": [kind.value for kind in FaultKind],
            "endpoints": list(ENDPOINTS),
        }
    )


async def _state(request: web.Request) -> web.Response:
    return web.json_response(_listener(request).state.summary())


async def _config(request: web.Request) -> web.Response:
    body = await _body(request)
    state = _listener(request).state
    values = {key: body[key] for key in ("command_delay", "token_lifetime") if key in body}
    if set(body) - set(values) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in values.values()
    ):
        raise ValueError("expected command_delay and/or token_lifetime, in seconds (>= 0)")
    if "command_delay" in values:
        state.command_delay = float(values["command_delay"])
    if "token_lifetime" in values:
        state.token_lifetime = float(values["token_lifetime"])
    return web.json_response(
        {"command_delay": state.command_delay, "token_lifetime": state.token_lifetime}
    )


async def _faults(request: web.Request) -> web.Response:
    return web.json_response(_listener(request).faults.snapshot())


async def _add_fault(request: web.Request) -> web.Response:
    rule = _listener(request).faults.add(FaultRule.from_json(await _body(request)))
    return web.json_response(rule.to_json(), status=201)


async def _clear_faults(request: web.Request) -> web.Response:
    faults = _listener(request).faults
    faults.clear()
    return web.json_response(faults.snapshot())


async def _remove_fault(request: web.Request) -> web.Response:
    faults = _listener(request).faults
    faults.remove(int(request.match_info["rule_id"]))
    return web.json_response(faults.snapshot())


async def _latency(request: web.Request) -> web.Response:
    body = await _body(request)
    seconds, endpoint = body.get("seconds"), body.get("endpoint")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise FaultError("seconds must be a number")
    if endpoint is not None and not isinstance(endpoint, str):
        raise FaultError("endpoint must be a string or null")
    faults = _listener(request).faults
    faults.set_latency(float(seconds), endpoint)
    return web.json_response(faults.snapshot())


async def _requests(request: web.Request) -> web.Response:
    last = request.query.get("last", "50")
    if not last.isdigit():
        raise ValueError("last must be a whole number")
    return web.json_response(_listener(request).requests.snapshot(last=int(last)))


async def _reset_requests(request: web.Request) -> web.Response:
    log = _listener(request).requests
    log.reset()
    return web.json_response(log.snapshot())


async def _commands(request: web.Request) -> web.Response:
    serial = request.query.get("serial")
    commands = _listener(request).requests.commands
    wanted = None if serial is None else serial.casefold()
    return web.json_response(
        {
            "commands": [
                command.to_json()
                for command in commands
                if wanted is None or command.serial == wanted
            ]
        }
    )


async def _reset_commands(request: web.Request) -> web.Response:
    _listener(request).requests.reset_commands()
    return web.json_response({"commands": []})


async def _revoke(request: web.Request) -> web.Response:
    body = await _body(request)
    email, device_id = body.get("email"), body.get("device_id")
    if not all(value is None or isinstance(value, str) for value in (email, device_id)):
        raise TypeError("email and device_id are strings")
    revoked = _listener(request).state.revoke_pairing(email=email, device_id=device_id)
    return web.json_response({"revoked": revoked})


async def _expire_tokens(request: web.Request) -> web.Response:
    return web.json_response({"expired": _listener(request).state.expire_bearers()})


async def _add_system(request: web.Request) -> web.Response:
    body = await _body(request)
    email = body.get("email", DEMO_EMAIL)
    if not isinstance(email, str):
        raise ScenarioError("email must be a string")
    system = _listener(request).state.add_system(system_from_dict(body.get("system")), email)
    return web.json_response({"serial": system.serial, "owner": system.owner}, status=201)


async def _remove_system(request: web.Request) -> web.Response:
    _listener(request).state.remove_system(request.match_info["serial"])
    return web.json_response({"removed": request.match_info["serial"]})


async def _online(request: web.Request) -> web.Response:
    body = await _body(request)
    online = body.get("online")
    if not isinstance(online, bool):
        raise TypeError("online must be true or false")
    serial = request.match_info["serial"]
    _listener(request).state.set_online(serial, online)
    return web.json_response({"serial": serial, "online": online})


async def _add_zone(request: web.Request) -> web.Response:
    body = await _body(request)
    slot = body.get("slot")
    if slot is not None and (isinstance(slot, bool) or not isinstance(slot, int)):
        raise TypeError("slot must be a whole number or null")
    zone = zone_from_dict(body.get("zone"))
    added = _listener(request).state.add_zone(request.match_info["serial"], zone, slot)
    return web.json_response({"slot": added}, status=201)


async def _remove_zone(request: web.Request) -> web.Response:
    serial, slot = request.match_info["serial"], int(request.match_info["slot"])
    _listener(request).state.remove_zone(serial, slot)
    return web.json_response({"serial": serial, "removed_slot": slot})
