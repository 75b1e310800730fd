"""ActronNeoClient: the asynchronous client of the ActronAir Neo and Que clouds.

`_request` is the only place that talks HTTP: it adds the bearer, re-exchanges it once after a
401, honours Retry-After and maps every transport or HTTP failure to an ActronError. Endpoint
methods only say what to ask for and which model reads the answer.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from enum import Enum, auto
from http import HTTPStatus
import json
import logging
import time
from typing import TYPE_CHECKING, Any, NamedTuple, Self

import aiohttp

from .auth import AuthTokens, BearerManager, BearerToken, PairingToken, TokensChangedCallback
from .coerce import as_mapping, as_str
from .const import (
    DEFAULT_BASE_URL,
    DEFAULT_COMMAND_MERGE_WINDOW,
    DEFAULT_DEVICE_NAME,
    DEFAULT_QUE_BASE_URL,
    DEFAULT_REQUEST_TIMEOUT,
    LOGGER_NAME,
    OAUTH_CLIENT_ID,
    OAUTH_GRANT_TYPE,
    PAIRING_CLIENT,
    PATH_COMMAND,
    PATH_OAUTH,
    PATH_STATUS,
    PATH_SYSTEMS,
    PATH_USER_DEVICES,
    SYSTEMS_QUERY,
)
from .errors import (
    ActronBearerRejectedError,
    ActronConnectionError,
    ActronInvalidCredentialsError,
    ActronInvalidResponseError,
    ActronPairingRevokedError,
    ActronRequestRejectedError,
    ActronResponseError,
    ActronServerError,
    ActronSystemNotFoundError,
    ActronSystemOfflineError,
    ActronTimeoutError,
    ActronValidationError,
)
from .merger import CommandMerger
from .models import AcSystem, CommandResult, SystemStatus, parse_systems
from .ratelimit import RetryAfterGate

if TYPE_CHECKING:
    from types import TracebackType

    from .commands import Command

_LOGGER = logging.getLogger(LOGGER_NAME)


class _Auth(Enum):
    """How a request authenticates, which decides what a 400/401 means."""

    PAIRING = auto()  # username + password in the form: 400/401 = wrong credentials
    EXCHANGE = auto()  # pairing token in the form: 400/401 = pairing revoked
    BEARER = auto()  # bearer header: 401 = re-exchange once, then give up


class _Call(NamedTuple):
    method: str
    host: str
    path: str
    params: dict[str, str] | None
    form: dict[str, str] | None
    json_body: dict[str, Any] | None


class _Answer(NamedTuple):
    status: int
    body: bytes
    retry_after: str | None


def _refusal(  # noqa: PLR0911 - one return per kind of refusal
    status: int, body: bytes, auth: _Auth
) -> ActronResponseError:
    """Return the error an answer other than 2xx or 429 stands for."""
    refused = status == HTTPStatus.UNAUTHORIZED or (
        status == HTTPStatus.BAD_REQUEST and _body_field(body, "error") == "invalid_grant"
    )
    if refused and auth is _Auth.PAIRING:
        return ActronInvalidCredentialsError("Wrong email or password", status=status)
    if refused and auth is _Auth.EXCHANGE:
        return ActronPairingRevokedError(
            "The pairing was revoked or is invalid: sign in again", status=status
        )
    if status == HTTPStatus.UNAUTHORIZED:
        return ActronBearerRejectedError(
            "A freshly exchanged bearer token was refused", status=status
        )
    if status == HTTPStatus.NOT_FOUND:
        return ActronSystemNotFoundError("The cloud does not know this system", status=status)
    if status == HTTPStatus.SERVICE_UNAVAILABLE and _body_field(body, "type") == "unavailable":
        return ActronSystemOfflineError("The wall controller is offline", status=status)
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return ActronServerError(f"The cloud failed with HTTP {status}", status=status)
    if status >= HTTPStatus.BAD_REQUEST:
        return ActronRequestRejectedError(
            f"The cloud refused the request with HTTP {status}", status=status
        )
    return ActronInvalidResponseError(f"Unexpected HTTP status {status}", status=status)


def _body_field(body: bytes, name: str) -> str | None:
    """Read one string field of an error body, case-folded; None if absent or not JSON."""
    try:
        value = as_str(as_mapping(json.loads(body)).get(name))
    except ValueError:
        return None
    return value.casefold() if value is not None else None


class ActronNeoClient:
    """Client of the ActronAir cloud; use as an async context manager or call `close()`."""

    def __init__(
        self,
        *,
        device_unique_id: str,
        session: aiohttp.ClientSession | None = None,
        base_url: str = DEFAULT_BASE_URL,
        que_base_url: str = DEFAULT_QUE_BASE_URL,
        tokens: AuthTokens | None = None,
        device_name: str = DEFAULT_DEVICE_NAME,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        command_merge_window: float = DEFAULT_COMMAND_MERGE_WINDOW,
        on_tokens_changed: TokensChangedCallback | None = None,
    ) -> None:
        """Prepare the client; nothing is sent before the first call.

        `device_unique_id` must be stable per installation: pairing again with it replaces the
        account's user-device instead of adding one. Restored `tokens` whose bearer is still valid
        make no token request. `on_tokens_changed` receives new tokens after pairing and after each
        exchange, to persist them.
        """
        if not device_unique_id:
            raise ActronValidationError(
                "A stable device_unique_id is required", code="device_id_required"
            )
        self._device_unique_id = device_unique_id
        self._device_name = device_name
        self._session = session
        self._owns_session = session is None
        self._base_url = base_url.rstrip("/")
        self._que_base_url = que_base_url.rstrip("/")
        self._timeout = request_timeout
        self._bearers = BearerManager(self._exchange, tokens, on_tokens_changed)
        self._merger = CommandMerger(command_merge_window, self._send_now)
        self._gate = RetryAfterGate()
        self._hosts: dict[str, str] = {}  # serial.casefold() -> base URL serving it

    async def __aenter__(self) -> Self:
        """Enter the context; the client is ready."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the client on exit."""
        await self.close()

    @property
    def tokens(self) -> AuthTokens | None:
        """Return the current tokens (to persist), None before pairing."""
        return self._bearers.tokens

    async def pair(self, username: str, password: str) -> AuthTokens:
        """Pair this installation with the account; the password is sent once and never kept."""
        data = await self._request(
            "POST",
            self._base_url,
            PATH_USER_DEVICES,
            auth=_Auth.PAIRING,
            form={
                "username": username,
                "password": password,
                "client": PAIRING_CLIENT,
                "deviceName": self._device_name,
                "deviceUniqueIdentifier": self._device_unique_id,
            },
        )
        return self._bearers.set_pairing(PairingToken.from_json(data))

    async def systems(self) -> tuple[AcSystem, ...]:
        """List the account's systems and learn which host serves each."""
        data = await self._request("GET", self._base_url, PATH_SYSTEMS, params=SYSTEMS_QUERY)
        systems = parse_systems(data)
        for system in systems:
            host = self._que_base_url if system.is_que else self._base_url
            self._hosts[system.serial.casefold()] = host
        return systems

    async def status(self, serial: str) -> SystemStatus:
        """Return the latest status of a system."""
        data = await self._request(
            "GET", self._host_for(serial), PATH_STATUS, params={"serial": serial}
        )
        return SystemStatus.from_json(data, serial=serial, received_at=datetime.now(UTC))

    async def send(self, serial: str, command: Command) -> CommandResult:
        """Send a command, merged with other commands to the same system within the window."""
        if not command:
            raise ActronValidationError("The command is empty", code="empty_command")
        return await self._merger.submit(serial, command)

    async def close(self) -> None:
        """Send pending commands, then close the session if the client opened it."""
        await self._merger.flush()
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    def _host_for(self, serial: str) -> str:
        return self._hosts.get(serial.casefold(), self._base_url)

    async def _send_now(self, serial: str, command: Command) -> CommandResult:
        data = await self._request(
            "POST",
            self._host_for(serial),
            PATH_COMMAND,
            params={"serial": serial},
            json_body=command.to_json(),
        )
        return CommandResult.from_json(data)

    async def _exchange(self, host: str, pairing_token: str) -> BearerToken:
        data = await self._request(
            "POST",
            host,
            PATH_OAUTH,
            auth=_Auth.EXCHANGE,
            form={
                "grant_type": OAUTH_GRANT_TYPE,
                "refresh_token": pairing_token,
                "client_id": OAUTH_CLIENT_ID,
            },
        )
        return BearerToken.from_json(data)

    async def _request(
        self,
        method: str,
        host: str,
        path: str,
        *,
        auth: _Auth = _Auth.BEARER,
        params: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> object:
        """Make one call (two after a 401) and return its JSON, or raise an ActronError."""
        bearer = await self._bearers.bearer(host) if auth is _Auth.BEARER else None
        request = _Call(method, host, path, params, form, json_body)
        answer = await self._fetch(request, bearer)
        if answer.status == HTTPStatus.UNAUTHORIZED and bearer is not None:
            bearer = await self._bearers.renew(host, bearer)
            answer = await self._fetch(request, bearer)
        return self._decode(answer, host, auth)

    async def _fetch(self, call: _Call, bearer: str | None) -> _Answer:
        method, host, path = call.method, call.host, call.path
        self._gate.check(host)
        headers = {"Accept": "application/json"}
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        if self._session is None:  # standalone use: the client owns this session
            self._session = aiohttp.ClientSession()
        started = time.monotonic()
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._session.request(
                    method,
                    host + path,
                    params=call.params,
                    data=call.form,
                    json=call.json_body,
                    headers=headers,
                ) as response,
            ):
                body = await response.read()
        except TimeoutError as err:
            _LOGGER.debug("%s %s%s timed out", method, host, path)
            raise ActronTimeoutError(
                f"{method} {path}: no answer within {self._timeout:g} s"
            ) from err
        except (aiohttp.ClientError, OSError) as err:
            _LOGGER.debug("%s %s%s failed: %s", method, host, path, type(err).__name__)
            raise ActronConnectionError(
                f"{method} {path}: cannot reach the cloud ({type(err).__name__})"
            ) from err
        _LOGGER.debug(
            "%s %s%s -> %s (%.0f ms)",
            method,
            host,
            path,
            response.status,
            (time.monotonic() - started) * 1000,
        )
        return _Answer(response.status, body, response.headers.get("Retry-After"))

    def _decode(self, answer: _Answer, host: str, auth: _Auth) -> object:
        status = answer.status
        if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
            try:
                return json.loads(answer.body)
            except ValueError as err:
                raise ActronInvalidResponseError(
                    f"HTTP {status} with a body that is not JSON", status=status
                ) from err
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            raise self._gate.close(host, answer.retry_after)
        raise _refusal(status, answer.body, auth)
