"""A small client of a running Home Assistant's REST and websocket APIs (demo and browser tests).

It does what a person does once on a new installation (onboarding, signing in, adding an
integration through its config flow) and reads what the browser tests assert on (states, config
entries, repair issues), so that neither the demo nor a test needs Home Assistant's internals.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from http import HTTPStatus
import json
import time
from typing import TYPE_CHECKING, Any, TypedDict, Unpack
import urllib.error
import urllib.parse
import urllib.request

import aiohttp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

# Integrations that onboarding adds on its own. Radio Browser looks its servers up on the internet
# at set-up, which the demo does not need and these machines cannot reach: it is removed again.
_ONBOARDING_EXTRAS = ("google_translate", "radio_browser", "shopping_list")
_UNWANTED_EXTRAS = ("radio_browser",)
_REQUEST_TIMEOUT = 30.0


class ApiError(RuntimeError):
    """An unexpected HTTP answer; the message names the request and status, never a secret."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status (None when the request did not get one)."""
        super().__init__(message)
        self.status = status


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    interval: float = 0.25,
) -> None:
    """Check `condition` until it holds; raise TimeoutError naming `what` after `timeout` seconds.

    Only for outside processes that offer no event to wait on (a port that opens, a background
    task of Home Assistant that ends): the check is the synchronisation, the interval paces it.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def http_call(
    method: str,
    url: str,
    *,
    json_body: object = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """Send one HTTP request to a server of ours; return the body, raise on a non-2xx status."""
    headers = {"Accept": "application/json", **(headers or {})}
    data: bytes | None = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    # Only the http URLs of servers this process started reach urlopen: no file:// or other scheme.
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    path = urllib.parse.urlsplit(url).path
    try:
        with urllib.request.urlopen(request, timeout=_REQUEST_TIMEOUT) as response:  # noqa: S310
            body: bytes = response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode(errors="replace")[:300]
        raise ApiError(f"{method} {path} -> {err.code}: {detail}", err.code) from err
    return body


class RequestOptions(TypedDict, total=False):
    """How `HomeAssistantApi.request` sends: a JSON or form body, and whether signed in."""

    json_body: object
    form: dict[str, str] | None
    auth: bool


class HomeAssistantApi:
    """Home Assistant at `base_url`, signed in once `login` or `onboard` ran."""

    def __init__(self, base_url: str) -> None:
        """Remember where Home Assistant answers (e.g. "http://127.0.0.1:8123"); send nothing."""
        self.base_url = base_url.rstrip("/")
        self.client_id = f"{self.base_url}/"
        self.redirect_uri = f"{self.base_url}/?auth_callback=1"
        self.access_token: str | None = None

    # -- transport ---------------------------------------------------------------------------

    # Any: the answer is decoded JSON, whose shape each caller knows from its endpoint.
    def request(self, method: str, path: str, **options: Unpack[RequestOptions]) -> Any:  # noqa: ANN401
        """Send one request; return the decoded JSON answer (None when empty), raise on non-2xx."""
        body = self._send(method, path, **options)
        return json.loads(body) if body else None

    def _send(
        self,
        method: str,
        path: str,
        *,
        json_body: object = None,
        form: dict[str, str] | None = None,
        auth: bool = True,
    ) -> bytes:
        """Send one request; return the answer's body as it came, raise on non-2xx."""
        headers: dict[str, str] = {}
        if auth:
            if self.access_token is None:
                raise ApiError(f"{method} {path}: not signed in")
            headers["Authorization"] = f"Bearer {self.access_token}"
        return http_call(
            method, self.base_url + path, json_body=json_body, form=form, headers=headers
        )

    def is_up(self) -> bool:
        """Return whether the frontend is served (its manifest needs no sign-in)."""
        try:
            self._send("GET", "/manifest.json", auth=False)
        except OSError, ApiError:
            return False
        return True

    # -- signing in --------------------------------------------------------------------------

    def onboarding_done(self) -> bool:
        """Return whether every onboarding step is done."""
        try:
            steps = self.request("GET", "/api/onboarding", auth=False)
        except ApiError as err:
            # Once onboarded, Home Assistant no longer serves the onboarding views at all.
            if err.status == HTTPStatus.NOT_FOUND:
                return True
            raise
        return all(step["done"] for step in steps)

    def onboard(self, *, name: str, username: str, password: str, timeout: float = 90.0) -> None:
        """Run every onboarding step a person runs in the browser; stay signed in as the owner."""
        answer = self.request(
            "POST",
            "/api/onboarding/users",
            json_body={
                "name": name,
                "username": username,
                "password": password,
                "client_id": self.client_id,
                "language": "en",
            },
            auth=False,
        )
        self._exchange_code(answer["auth_code"])
        self.request("POST", "/api/onboarding/core_config", json_body={})
        self.request("POST", "/api/onboarding/analytics", json_body={})
        self.request(
            "POST",
            "/api/onboarding/integration",
            json_body={"client_id": self.client_id, "redirect_uri": self.redirect_uri},
        )
        # core_config starts the extras' config flows as background tasks: wait for their entries,
        # so that removing the unwanted ones cannot race their creation.
        wait_until(
            lambda: all(self.config_entries(domain) for domain in _ONBOARDING_EXTRAS),
            timeout=timeout,
            what="the integrations onboarding adds",
        )
        for domain in _UNWANTED_EXTRAS:
            for entry in self.config_entries(domain):
                self.delete_entry(entry["entry_id"])

    def login(self, *, username: str, password: str) -> None:
        """Sign in through the login flow the frontend uses."""
        flow = self.request(
            "POST",
            "/auth/login_flow",
            json_body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.redirect_uri,
            },
            auth=False,
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json_body={"username": username, "password": password, "client_id": self.client_id},
            auth=False,
        )
        if result.get("type") != "create_entry":
            raise ApiError(f"sign-in refused: {result.get('errors')}")
        self._exchange_code(result["result"])

    def _exchange_code(self, code: str) -> None:
        tokens = self.request(
            "POST",
            "/auth/token",
            form={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
            auth=False,
        )
        self.access_token = tokens["access_token"]

    def is_running(self) -> bool:
        """Return whether Home Assistant has finished starting."""
        return bool(self.request("GET", "/api/config")["state"] == "RUNNING")

    # -- config entries and flows ------------------------------------------------------------

    def config_entries(self, domain: str) -> list[dict[str, Any]]:
        """Return the config entries of `domain`."""
        query = urllib.parse.urlencode({"domain": domain})
        entries: list[dict[str, Any]] = self.request(
            "GET", f"/api/config/config_entries/entry?{query}"
        )
        return entries

    def delete_entry(self, entry_id: str) -> None:
        """Remove a config entry."""
        self.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")

    def flows_in_progress(self) -> list[dict[str, Any]]:
        """Return the config flows in progress (a re-authentication among them)."""
        flows: list[dict[str, Any]] = self.ws_command({"type": "config_entries/flow/progress"})
        return flows

    def start_flow(self, domain: str) -> dict[str, Any]:
        """Start the `user` step of `domain`'s config flow, as *Add integration* does."""
        result: dict[str, Any] = self.request(
            "POST",
            "/api/config/config_entries/flow",
            json_body={"handler": domain, "show_advanced_options": False},
        )
        return result

    def continue_flow(self, flow_id: str, user_input: dict[str, Any]) -> dict[str, Any]:
        """Submit one form of a config flow and return the next step (or its end)."""
        result: dict[str, Any] = self.request(
            "POST", f"/api/config/config_entries/flow/{flow_id}", json_body=user_input
        )
        return result

    def add_entry(self, domain: str, forms: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """Go through `domain`'s config flow submitting `forms` in turn; return the new entry."""
        result = self.start_flow(domain)
        for user_input in forms:
            if result["type"] != "form":
                break
            result = self.continue_flow(result["flow_id"], user_input)
        if result["type"] != "create_entry":
            raise ApiError(
                f"the {domain} config flow ended in {result['type']} ({result.get('reason')}, "
                f"errors {result.get('errors')}) instead of creating an entry"
            )
        entry: dict[str, Any] = result["result"]
        return entry

    # -- states ------------------------------------------------------------------------------

    def states(self) -> list[dict[str, Any]]:
        """Return every entity's state."""
        states: list[dict[str, Any]] = self.request("GET", "/api/states")
        return states

    def state(self, entity_id: str) -> dict[str, Any] | None:
        """Return one entity's state, or None while it does not exist."""
        try:
            result: dict[str, Any] = self.request("GET", f"/api/states/{entity_id}")
        except ApiError as err:
            if err.status == HTTPStatus.NOT_FOUND:
                return None
            raise
        return result

    def call_service(self, domain: str, service: str, data: dict[str, Any]) -> None:
        """Call a service (e.g. `homeassistant.update_entity` to poll now)."""
        self.request("POST", f"/api/services/{domain}/{service}", json_body=data)

    def template(self, template: str) -> str:
        """Render a template (e.g. `{{ integration_entities('actronair_neo') }}`)."""
        return self._send("POST", "/api/template", json_body={"template": template}).decode()

    # -- websocket ---------------------------------------------------------------------------

    def ws_command(self, command: dict[str, Any]) -> Any:  # noqa: ANN401 -- as request()
        """Send one websocket command (`{"type": "repairs/list_issues"}`...); return its result."""
        # A thread of its own: the caller may be inside an event loop (Playwright's sync API runs
        # one), where asyncio.run() refuses to start another.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self._ws_command(command)).result()

    async def _ws_command(self, command: dict[str, Any]) -> Any:  # noqa: ANN401 -- as request()
        url = self.base_url.replace("http", "ws", 1) + "/api/websocket"
        timeout = aiohttp.ClientWSTimeout(ws_receive=_REQUEST_TIMEOUT)
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, timeout=timeout) as ws,
        ):
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.access_token})
            if (await ws.receive_json())["type"] != "auth_ok":
                raise ApiError("websocket: authentication refused")
            await ws.send_json({"id": 1, **command})
            answer = await ws.receive_json()
            with contextlib.suppress(ConnectionError):
                await ws.close()
        if not answer.get("success"):
            raise ApiError(f"websocket {command['type']}: {answer.get('error')}")
        return answer["result"]
