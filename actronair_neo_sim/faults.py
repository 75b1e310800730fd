"""Injectable failures (`cloud.faults`): latency, and rules failing the next N matching requests.

A rule names a kind (below), how many requests it hits (`count`; None = until cleared) and
optionally which: an endpoint (`pair`, `user-devices`, `token`, `systems`, `status`, `command`), a
serial, a host (`neo`, `que`). The first rule that matches a request is used up by it. Faults that
change the cloud's state rather than one answer (revoking a pairing, an offline controller, added or
removed systems and zones) live on `cloud.state`.
"""

import asyncio
from dataclasses import dataclass, field
from enum import StrEnum
import itertools
import json
from typing import TYPE_CHECKING, Any, Final, cast

from .requestlog import ENDPOINTS

if TYPE_CHECKING:
    import types

DEFAULT_RETRY_AFTER: Final = 30.0
DEFAULT_HANG_SECONDS: Final = 600.0
# What a "status with keys missing" drops unless told otherwise: blocks and keys clients depend on.
DEFAULT_MISSING_PATHS: Final = (
    "lastKnownState.LiveAircon",
    "lastKnownState.NV_Limits",
    "lastKnownState.UserAirconSettings.FanMode",
    "lastKnownState.UserAirconSettings.EnabledZones",
    "lastKnownState.MasterInfo.LiveTemp_oC",
    "lastKnownState.RemoteZoneInfo",
)
HOSTS: Final = ("neo", "que")


class FaultKind(StrEnum):
    """What a rule does to a request."""

    UNAUTHORIZED = "401"  # the vendor's 401 body, as for an expired bearer
    RATE_LIMITED = "429"  # with Retry-After
    SERVER_ERROR = "500"
    UNAVAILABLE = "503"  # {"type": "unavailable", "value": null, ...}
    TIMEOUT = "timeout"  # no answer until the client gives up (or the rule is cleared)
    RESET = "reset"  # the connection is reset before any answer
    MALFORMED_JSON = "malformed_json"  # the real answer, made invalid JSON
    TRUNCATED_JSON = "truncated_json"  # the first half of the real answer
    MISSING_KEYS = "missing_keys"  # the real answer without `paths`


BODY_FAULTS: Final = frozenset(
    {FaultKind.MALFORMED_JSON, FaultKind.TRUNCATED_JSON, FaultKind.MISSING_KEYS}
)


class FaultError(ValueError):
    """A fault rule that makes no sense; the message says why."""


_ids = itertools.count(1)


@dataclass(kw_only=True)
class FaultRule:
    """Fail the next `remaining` matching requests (None: every one until cleared) with `kind`."""

    kind: FaultKind
    remaining: int | None = 1
    endpoint: str | None = None
    serial: str | None = None
    host: str | None = None
    retry_after: float = DEFAULT_RETRY_AFTER
    paths: tuple[str, ...] = DEFAULT_MISSING_PATHS
    id: int = field(default_factory=lambda: next(_ids))

    def __post_init__(self) -> None:
        """Reject rules that could never match or never end sensibly."""
        if self.remaining is not None and self.remaining < 1:
            raise FaultError("count must be at least 1 (or null for every request)")
        if self.endpoint is not None and self.endpoint not in ENDPOINTS:
            raise FaultError(f"endpoint must be one of {list(ENDPOINTS)}")
        if self.host is not None and self.host not in HOSTS:
            raise FaultError(f"host must be one of {list(HOSTS)}")
        if self.retry_after < 0:
            raise FaultError("retry_after cannot be negative")

    def matches(self, endpoint: str, serial: str | None, host: str) -> bool:
        """Whether this rule applies to a request."""
        return (
            (self.endpoint is None or self.endpoint == endpoint)
            and (self.serial is None or (serial or "").casefold() == self.serial.casefold())
            and (self.host is None or self.host == host)
        )

    def to_json(self) -> dict[str, Any]:
        """Render the rule as the admin endpoint shows it."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "count": self.remaining,
            "endpoint": self.endpoint,
            "serial": self.serial,
            "host": self.host,
            "retry_after": self.retry_after,
            "paths": list(self.paths),
        }

    @classmethod
    def from_json(cls, data: object) -> FaultRule:
        """Build a rule from the admin endpoint's JSON (keys of `to_json`; only `kind` required)."""
        if not isinstance(data, dict):
            raise FaultError("expected a JSON object")
        if unknown := sorted(set(data) - _JSON_KEYS):
            raise FaultError(f"unknown key(s) {unknown}")
        kind = data.get("kind")
        if kind not in {k.value for k in FaultKind}:
            raise FaultError(f"kind must be one of {[k.value for k in FaultKind]}")
        paths = data.get("paths", list(DEFAULT_MISSING_PATHS))
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise FaultError("paths must be a list of dotted paths")
        return cls(
            kind=FaultKind(kind),
            remaining=cast("int | None", _checked(data, "count", 1, int, nullable=True)),
            endpoint=cast("str | None", _checked(data, "endpoint", None, str, nullable=True)),
            serial=cast("str | None", _checked(data, "serial", None, str, nullable=True)),
            host=cast("str | None", _checked(data, "host", None, str, nullable=True)),
            retry_after=float(
                cast("float", _checked(data, "retry_after", DEFAULT_RETRY_AFTER, int | float))
            ),
            paths=tuple(paths),
        )


_JSON_KEYS: Final = frozenset(
    {"kind", "count", "endpoint", "serial", "host", "retry_after", "paths"}
)


def _checked(
    data: dict[str, Any],
    key: str,
    default: object,
    kind: type | types.UnionType,
    *,
    nullable: bool = False,
) -> object:
    value = data.get(key, default)
    if value is None and nullable:
        return None
    # JSON's true is no count and no number of seconds, though Python's bool is an int.
    if isinstance(value, bool) or not isinstance(value, kind):
        raise FaultError(f"{key} has the wrong type")
    return value


class Faults:
    """The fault switches of one simulated cloud (both hosts)."""

    def __init__(self) -> None:
        """No latency, no rule."""
        self._rules: list[FaultRule] = []
        self._latency: dict[str | None, float] = {}
        self.hang_seconds = DEFAULT_HANG_SECONDS
        self._release = asyncio.Event()

    @property
    def rules(self) -> tuple[FaultRule, ...]:
        """The rules still armed, in the order they are tried."""
        return tuple(self._rules)

    def inject(
        self,
        kind: FaultKind | str,
        count: int | None = 1,
        *,
        endpoint: str | None = None,
        serial: str | None = None,
        host: str | None = None,
        retry_after: float = DEFAULT_RETRY_AFTER,
        paths: tuple[str, ...] = DEFAULT_MISSING_PATHS,
    ) -> FaultRule:
        """Make the next `count` matching requests (None: all until cleared) fail with `kind`."""
        try:
            fault_kind = FaultKind(kind)
        except ValueError as err:
            raise FaultError(f"unknown fault kind {kind!r}") from err
        rule = FaultRule(
            kind=fault_kind,
            remaining=count,
            endpoint=endpoint,
            serial=serial,
            host=host,
            retry_after=retry_after,
            paths=paths,
        )
        return self.add(rule)

    def add(self, rule: FaultRule) -> FaultRule:
        """Arm a rule built elsewhere (e.g. from JSON)."""
        self._rules.append(rule)
        return rule

    def remove(self, rule_id: int) -> None:
        """Disarm one rule."""
        before = len(self._rules)
        self._rules = [rule for rule in self._rules if rule.id != rule_id]
        if len(self._rules) == before:
            raise KeyError(rule_id)

    def take(self, endpoint: str, serial: str | None, host: str) -> FaultRule | None:
        """Use up the first rule matching a request, if any."""
        for rule in self._rules:
            if rule.matches(endpoint, serial, host):
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        self._rules.remove(rule)
                return rule
        return None

    def set_latency(self, seconds: float, endpoint: str | None = None) -> None:
        """Delay every answer (or one endpoint's) by `seconds`; 0 removes the delay."""
        if seconds < 0:
            raise FaultError("latency cannot be negative")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise FaultError(f"endpoint must be one of {list(ENDPOINTS)}")
        if seconds:
            self._latency[endpoint] = seconds
        else:
            self._latency.pop(endpoint, None)

    def latency_for(self, endpoint: str) -> float:
        """Return the delay for `endpoint` (its own setting wins over the global one)."""
        return self._latency.get(endpoint, self._latency.get(None, 0.0))

    def clear(self) -> None:
        """Disarm every rule, drop all latency and let hanging requests go."""
        self._rules.clear()
        self._latency.clear()
        self.release_hangs()

    async def hang(self) -> None:
        """Hang: until released, until `hang_seconds` pass or until the client gives up."""
        release = self._release
        try:
            async with asyncio.timeout(self.hang_seconds):
                await release.wait()
        except TimeoutError:
            return

    def release_hangs(self) -> None:
        """End every hang in progress."""
        self._release.set()
        self._release = asyncio.Event()

    def snapshot(self) -> dict[str, Any]:
        """Rules and latency as JSON-safe data."""
        return {
            "rules": [rule.to_json() for rule in self._rules],
            "latency": {endpoint or "*": seconds for endpoint, seconds in self._latency.items()},
            "hang_seconds": self.hang_seconds,
        }


def corrupt_body(rule: FaultRule, body: bytes) -> bytes:
    """Spoil a JSON answer as a body-fault rule says."""
    match rule.kind:
        case FaultKind.MALFORMED_JSON:
            # A trailing comma: looks like JSON, parses nowhere.
            return body.rstrip()[:-1] + b",}" if body.strip() else b"{,}"
        case FaultKind.TRUNCATED_JSON:
            return body[: len(body) // 2]
        case _:
            return _without_paths(body, rule.paths)


def _without_paths(body: bytes, paths: tuple[str, ...]) -> bytes:
    try:
        data = json.loads(body)
    except ValueError:
        return body
    for path in paths:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(last, None)
    return json.dumps(data).encode()
