"""Accounts, user-devices (pairings) and bearer tokens, as the vendor's pairing flow keeps them.

Every pairing adds a user-device holding a pairing token that lives ~1000 years; pairing again with
the same `deviceUniqueIdentifier` replaces the earlier user-device (its pairing token and bearers
stop working). A pairing token is exchanged for a bearer bound to the host that minted it. Tokens
are random and never appear in a repr or a log.
"""

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
import hmac
import secrets
from typing import TYPE_CHECKING, Any
import uuid

from .scenario import AccountSpec, ScenarioError, build_dataclass

if TYPE_CHECKING:
    from .clock import Clock

DEFAULT_TOKEN_LIFETIME = 259199.0
PAIRING_CLIENTS = frozenset({"ios", "android", "windowsphone", "loadtest"})
HOSTS = frozenset({"neo", "que"})
_PAIRING_YEARS = 1000


def _items(data: dict[str, Any], key: str) -> list[object]:
    items = data[key]
    if not isinstance(items, list):
        raise ScenarioError(f"auth.{key}: expected a list")
    return items


class InvalidCredentialsError(Exception):
    """Pairing with an unknown e-mail address or a wrong password."""


class InvalidGrantError(Exception):
    """A pairing token that is unknown or was revoked."""


@dataclass(kw_only=True)
class UserDevice:
    """One pairing of an account, as `GET /api/v0/client/user-devices` lists it."""

    id: str
    email: str
    client: str
    device_name: str
    unique_identifier: str = field(repr=False)
    pairing_token: str = field(repr=False)
    issued: float
    expires: datetime

    def to_json(self) -> dict[str, object]:
        """Render the list item the vendor returns (no token in it)."""
        return {
            "type": self.client,
            "deviceName": self.device_name,
            "id": self.id,
            "issued": iso(datetime.fromtimestamp(self.issued, UTC)),
            "expires": iso(self.expires),
            "_links": {"self": {"href": f"/api/v0/client/user-devices/{self.id}"}},
        }


@dataclass(frozen=True, kw_only=True)
class Bearer:
    """An access token: whose, minted on which host, through which pairing, valid until when."""

    token: str = field(repr=False)
    email: str
    host: str
    device_id: str
    expires_at: float


def iso(moment: datetime) -> str:
    """Format a time the way the vendor does (seconds, `Z`)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class AuthStore:
    """Credentials, pairings and bearers of every account."""

    def __init__(
        self, accounts: tuple[AccountSpec, ...], clock: Clock, token_lifetime: float
    ) -> None:
        """Know the accounts' credentials; no pairing exists yet."""
        self._clock = clock
        self.token_lifetime = token_lifetime
        self._passwords = {account.email.casefold(): account.password for account in accounts}
        self._devices: dict[str, UserDevice] = {}  # by pairing token
        self._bearers: dict[str, Bearer] = {}  # by access token

    def add_account(self, email: str, password: str) -> None:
        """Let `email` sign in with `password`."""
        self._passwords[email.casefold()] = password

    def accounts(self) -> list[str]:
        """List the accounts (case-folded e-mail addresses), in the order they were opened."""
        return list(self._passwords)

    def to_json(self) -> dict[str, Any]:
        """Return every credential, pairing and bearer as JSON-safe data: secrets included.

        Only for the state file (the fake cloud's own database); never log or serve it.
        """
        return {
            "accounts": [
                {"email": email, "password": password}
                for email, password in self._passwords.items()
            ],
            "user_devices": [
                {**asdict(device), "expires": device.expires.isoformat()}
                for device in self._devices.values()
            ],
            "bearers": [asdict(bearer) for bearer in self._bearers.values()],
        }

    @classmethod
    def from_json(cls, data: object, clock: Clock, token_lifetime: float) -> AuthStore:
        """Rebuild a store from `to_json()`'s data; raise ScenarioError naming what is wrong."""
        if not isinstance(data, dict) or set(data) != {"accounts", "user_devices", "bearers"}:
            raise ScenarioError("auth: expected accounts, user_devices and bearers")
        store = cls((), clock, token_lifetime)
        for i, account in enumerate(_items(data, "accounts")):
            spec = build_dataclass(AccountSpec, account, f"auth.accounts[{i}]")
            store.add_account(spec.email, spec.password)
        for i, item in enumerate(_items(data, "user_devices")):
            device = build_dataclass(UserDevice, item, f"auth.user_devices[{i}]")
            if device.email not in store._passwords:
                raise ScenarioError(f"auth.user_devices[{i}]: no account {device.email!r}")
            store._devices[device.pairing_token] = device
        device_ids = {device.id for device in store._devices.values()}
        for i, item in enumerate(_items(data, "bearers")):
            bearer = build_dataclass(Bearer, item, f"auth.bearers[{i}]")
            if bearer.device_id not in device_ids or bearer.host not in HOSTS:
                raise ScenarioError(f"auth.bearers[{i}]: unknown user-device or host")
            store._bearers[bearer.token] = bearer
        return store

    def pair(
        self, *, username: str, password: str, client: str, device_name: str, unique_identifier: str
    ) -> UserDevice:
        """Check the credentials and add a user-device, replacing one with the same identifier."""
        known = self._passwords.get(username.casefold())
        # compare_digest keeps the check's duration independent of how much of the password matched.
        if known is None or not hmac.compare_digest(known.encode(), password.encode()):
            raise InvalidCredentialsError
        email = username.casefold()
        for device in self.devices(email):
            if device.unique_identifier == unique_identifier:
                self._drop(device)
        now = self._clock()
        issued = datetime.fromtimestamp(now, UTC)
        device = UserDevice(
            id=str(uuid.uuid4()),
            email=email,
            client=client,
            device_name=device_name,
            unique_identifier=unique_identifier,
            pairing_token=secrets.token_urlsafe(32),
            issued=now,
            expires=issued.replace(year=issued.year + _PAIRING_YEARS),
        )
        self._devices[device.pairing_token] = device
        return device

    def devices(self, email: str) -> list[UserDevice]:
        """List the account's user-devices, oldest first."""
        wanted = email.casefold()
        return [device for device in self._devices.values() if device.email == wanted]

    def exchange(self, pairing_token: str, host: str) -> Bearer:
        """Mint a bearer on `host` for a live pairing token."""
        device = self._devices.get(pairing_token)
        if device is None:
            raise InvalidGrantError
        bearer = Bearer(
            token=secrets.token_urlsafe(48),
            email=device.email,
            host=host,
            device_id=device.id,
            expires_at=self._clock() + self.token_lifetime,
        )
        self._bearers[bearer.token] = bearer
        return bearer

    def authenticate(self, access_token: str, host: str) -> str | None:
        """Return a bearer's account; None if it is unknown, expired or minted on another host."""
        bearer = self._bearers.get(access_token)
        if bearer is None or bearer.host != host:
            return None
        if self._clock() >= bearer.expires_at:
            del self._bearers[access_token]
            return None
        return bearer.email

    def revoke(self, *, email: str | None = None, device_id: str | None = None) -> int:
        """Revoke matching pairings (all of an account's, or one user-device) and their bearers."""
        if email is None and device_id is None:
            raise ValueError("name an account or a user-device to revoke")
        matching = [
            device
            for device in list(self._devices.values())
            if (email is None or device.email == email.casefold())
            and (device_id is None or device.id == device_id)
        ]
        for device in matching:
            self._drop(device)
        return len(matching)

    def expire_bearers(self) -> int:
        """Make every bearer expired at once (as if the clock had passed their lifetime)."""
        count = len(self._bearers)
        self._bearers.clear()
        return count

    def bearer_count(self) -> int:
        """How many bearers are held (expired ones are forgotten when next presented)."""
        return len(self._bearers)

    def _drop(self, device: UserDevice) -> None:
        del self._devices[device.pairing_token]
        for token in [t for t, b in self._bearers.items() if b.device_id == device.id]:
            del self._bearers[token]
