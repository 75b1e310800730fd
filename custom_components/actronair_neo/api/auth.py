"""Pairing and bearer tokens: typed models with expiry, storage round trip, single-flight exchange.

The pairing token (from `pair()`, lives ~1000 years) is exchanged for a bearer (~3 days) on each
host that serves a system, because a bearer minted on one host is refused by the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .coerce import as_datetime, as_float, as_mapping, as_str
from .const import BEARER_REFRESH_MARGIN
from .errors import ActronInvalidResponseError, ActronPairingRevokedError, ActronValidationError

type ExchangeFn = Callable[[str, str], Awaitable[BearerToken]]
"""Exchange a pairing token for a bearer on a host: `(host, pairing_token) -> BearerToken`."""

type TokensChangedCallback = Callable[[AuthTokens], None]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _isoformat(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class PairingToken:
    """The long-lived token a pairing returns; the repr hides it."""

    token: str = field(repr=False)
    user_device_id: str | None = None
    expires_at: datetime | None = None

    @classmethod
    def from_json(cls, data: object) -> PairingToken:
        """Read the answer of `POST user-devices`."""
        body = as_mapping(data)
        token = as_str(body.get("pairingToken"))
        if not token:
            raise ActronInvalidResponseError("The pairing answer has no pairing token", status=200)
        return cls(
            token=token,
            user_device_id=as_str(body.get("id")),
            expires_at=as_datetime(body.get("expires")),
        )


@dataclass(frozen=True, slots=True)
class BearerToken:
    """A short-lived access token for one host; the repr hides it."""

    access_token: str = field(repr=False)
    expires_at: datetime

    @classmethod
    def from_json(cls, data: object, *, now: datetime | None = None) -> BearerToken:
        """Read the answer of `POST oauth/token` (`expires_in` counts from `now`)."""
        body = as_mapping(data)
        access_token = as_str(body.get("access_token"))
        expires_in = as_float(body.get("expires_in"))
        if not access_token or expires_in is None or expires_in <= 0:
            raise ActronInvalidResponseError("The token answer is incomplete", status=200)
        return cls(access_token, (now or _utcnow()) + timedelta(seconds=expires_in))

    def is_due(
        self, now: datetime | None = None, margin: timedelta = BEARER_REFRESH_MARGIN
    ) -> bool:
        """Return True when the token expires within `margin` and should be exchanged again."""
        return (now or _utcnow()) >= self.expires_at - margin

    def expires_in(self, now: datetime | None = None) -> timedelta:
        """Return the time left before the token expires (negative once expired)."""
        return self.expires_at - (now or _utcnow())


@dataclass(frozen=True, slots=True)
class AuthTokens:
    """Everything needed to skip pairing on restart: the pairing token and bearers by base URL."""

    pairing: PairingToken
    bearers: Mapping[str, BearerToken] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict for storage (datetimes as ISO 8601)."""
        return {
            "pairing": {
                "token": self.pairing.token,
                "user_device_id": self.pairing.user_device_id,
                "expires_at": _isoformat(self.pairing.expires_at),
            },
            "bearers": {
                host: {
                    "access_token": bearer.access_token,
                    "expires_at": _isoformat(bearer.expires_at),
                }
                for host, bearer in self.bearers.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuthTokens:
        """Restore tokens stored by `to_dict()`.

        A missing pairing token raises ActronValidationError (code "invalid_tokens"); a damaged
        bearer entry is dropped, since it only costs one exchange.
        """
        pairing = as_mapping(as_mapping(data).get("pairing"))
        token = as_str(pairing.get("token"))
        if not token:
            raise ActronValidationError(
                "The stored tokens have no pairing token", code="invalid_tokens"
            )
        bearers: dict[str, BearerToken] = {}
        for host, stored in as_mapping(as_mapping(data).get("bearers")).items():
            entry = as_mapping(stored)
            access_token = as_str(entry.get("access_token"))
            expires_at = as_datetime(entry.get("expires_at"))
            if access_token and expires_at is not None:
                bearers[host] = BearerToken(access_token, expires_at)
        return cls(
            PairingToken(
                token=token,
                user_device_id=as_str(pairing.get("user_device_id")),
                expires_at=as_datetime(pairing.get("expires_at")),
            ),
            bearers,
        )


class BearerManager:
    """Hands out a valid bearer per host, exchanging the pairing token when one is due.

    Concurrent callers needing a bearer for the same host share one exchange (single flight).
    """

    def __init__(
        self,
        exchange: ExchangeFn,
        tokens: AuthTokens | None = None,
        on_changed: TokensChangedCallback | None = None,
    ) -> None:
        """Start from restored tokens, if any."""
        self._exchange = exchange
        self._on_changed = on_changed
        self._pairing = tokens.pairing if tokens else None
        self._bearers: dict[str, BearerToken] = dict(tokens.bearers) if tokens else {}
        self._inflight: dict[str, asyncio.Task[BearerToken]] = {}

    @property
    def tokens(self) -> AuthTokens | None:
        """Return a snapshot of the current tokens, or None before pairing."""
        if self._pairing is None:
            return None
        return AuthTokens(self._pairing, dict(self._bearers))

    def set_pairing(self, pairing: PairingToken) -> AuthTokens:
        """Adopt a new pairing token; bearers of the previous one are dropped."""
        self._pairing = pairing
        self._bearers.clear()
        return self._notify(pairing)

    async def bearer(self, host: str) -> str:
        """Return a bearer for `host` that is not due, exchanging if needed."""
        current = self._bearers.get(host)
        if current is not None and not current.is_due():
            return current.access_token
        return await self._shared_exchange(host)

    async def renew(self, host: str, rejected: str) -> str:
        """Return a bearer other than `rejected` (answered 401); exchange unless a peer just did."""
        current = self._bearers.get(host)
        if current is not None and current.access_token != rejected and not current.is_due():
            return current.access_token
        return await self._shared_exchange(host)

    async def _shared_exchange(self, host: str) -> str:
        task = self._inflight.get(host)
        if task is None:
            if self._pairing is None:
                raise ActronPairingRevokedError("Not paired: sign in with pair() first")
            task = asyncio.create_task(self._exchange_and_store(host, self._pairing))
            self._inflight[host] = task
        # Shielded: a caller that gives up must not cancel the exchange the others wait for.
        token = await asyncio.shield(task)
        return token.access_token

    async def _exchange_and_store(self, host: str, pairing: PairingToken) -> BearerToken:
        try:
            token = await self._exchange(host, pairing.token)
        finally:
            # Removed before the task completes, so no caller can join a finished exchange.
            del self._inflight[host]
        if pairing is self._pairing:
            self._bearers[host] = token
            self._notify(pairing)
        return token

    def _notify(self, pairing: PairingToken) -> AuthTokens:
        tokens = AuthTokens(pairing, dict(self._bearers))
        if self._on_changed is not None:
            self._on_changed(tokens)
        return tokens
