"""Which cloud requests arrived, with counters per endpoint, host and serial (`cloud.requests`).

Benchmarks and tests read it to count the client's requests. A record holds the endpoint's name,
never a header, form field, body or token; admin (`/_sim`) requests are not recorded. Commands the
cloud accepted are kept apart as well, with their dotted keys and values (`commands`), so a test can
check exactly what a client asked for; a command carries no secret.
"""

from collections import Counter, deque
import copy
from dataclasses import asdict, dataclass
from typing import Any, Final

ENDPOINTS: Final = ("pair", "user-devices", "token", "systems", "status", "command")
_KEPT_RECORDS: Final = 1000


@dataclass(frozen=True, kw_only=True)
class RequestRecord:
    """One request: when, on which host, to which endpoint, for which serial, and how it ended."""

    at: float
    host: str
    method: str
    endpoint: str
    serial: str | None
    # None: the connection was reset, or the request hung until the client gave up.
    status: int | None
    fault: str | None


@dataclass(frozen=True, kw_only=True)
class CommandRecord:
    """One command the cloud accepted: when, on which host, for which system, setting what.

    `settings` maps each dotted key of the `set-settings` command to the value sent (the `type`
    key left out), e.g. `{"UserAirconSettings.Mode": "HEAT"}`.
    """

    at: float
    host: str
    serial: str
    settings: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """Return the record as JSON-safe data."""
        return {"at": self.at, "host": self.host, "serial": self.serial, "settings": self.settings}


class RequestLog:
    """Counters since the last reset, the most recent records and the accepted commands."""

    def __init__(self) -> None:
        """Start empty."""
        self._records: deque[RequestRecord] = deque(maxlen=_KEPT_RECORDS)
        self._counts: Counter[tuple[str, str, str | None]] = Counter()
        self._commands: deque[CommandRecord] = deque(maxlen=_KEPT_RECORDS)

    def record(self, record: RequestRecord) -> None:
        """Count a request."""
        self._records.append(record)
        self._counts[record.endpoint, record.host, record.serial] += 1

    def record_command(
        self, *, at: float, host: str, serial: str, settings: dict[str, Any]
    ) -> CommandRecord:
        """Keep a command the cloud accepted (a copy of its settings: the caller's stay its own)."""
        record = CommandRecord(
            at=at, host=host, serial=serial.casefold(), settings=copy.deepcopy(settings)
        )
        self._commands.append(record)
        return record

    @property
    def commands(self) -> tuple[CommandRecord, ...]:
        """The commands accepted since the last reset (up to the last 1000), oldest first."""
        return tuple(self._commands)

    def reset_commands(self) -> None:
        """Forget the accepted commands only."""
        self._commands.clear()

    def reset(self) -> None:
        """Forget every request so far, accepted commands included."""
        self._records.clear()
        self._counts.clear()
        self._commands.clear()

    @property
    def records(self) -> tuple[RequestRecord, ...]:
        """The most recent requests (up to 1000), oldest first."""
        return tuple(self._records)

    def count(
        self, endpoint: str | None = None, *, host: str | None = None, serial: str | None = None
    ) -> int:
        """Count requests: all, or those to an endpoint, a host, a serial (any combination)."""
        wanted_serial = None if serial is None else serial.casefold()
        return sum(
            n
            for (ep, hst, ser), n in self._counts.items()
            if (endpoint is None or ep == endpoint)
            and (host is None or hst == host)
            and (wanted_serial is None or ser == wanted_serial)
        )

    def by_endpoint(self) -> dict[str, int]:
        """Count requests per endpoint."""
        return self._group(0)

    def by_host(self) -> dict[str, int]:
        """Count requests per host (`neo`, `que`)."""
        return self._group(1)

    def by_serial(self) -> dict[str, dict[str, int]]:
        """Count requests per serial, then per endpoint (requests naming no serial are left out)."""
        grouped: dict[str, dict[str, int]] = {}
        for (endpoint, _host, serial), n in self._counts.items():
            if serial is not None:
                per_endpoint = grouped.setdefault(serial, {})
                per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + n
        return grouped

    def snapshot(self, *, last: int = 50) -> dict[str, Any]:
        """Everything above as JSON-safe data, with the `last` most recent records."""
        recent = list(self._records)[-last:] if last > 0 else []
        return {
            "total": self.count(),
            "by_endpoint": self.by_endpoint(),
            "by_host": self.by_host(),
            "by_serial": self.by_serial(),
            "recent": [asdict(record) for record in recent],
        }

    def _group(self, position: int) -> dict[str, int]:
        grouped: Counter[str] = Counter()
        for key, n in self._counts.items():
            grouped[str(key[position])] += n
        return dict(grouped)
