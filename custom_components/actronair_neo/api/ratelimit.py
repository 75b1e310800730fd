"""Honour `Retry-After`: after a 429 no request goes to that host until the wait is over."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
import math

from .errors import ActronRateLimitedError


def _utcnow() -> datetime:
    return datetime.now(UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Return the wait in seconds from a `Retry-After` header (seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except TypeError, ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


class RetryAfterGate:
    """Remembers, per host, until when the cloud asked us to stay away."""

    def __init__(self) -> None:
        """Start with every host open."""
        self._closed_until: dict[str, datetime] = {}

    def check(self, host: str) -> None:
        """Raise ActronRateLimitedError, without any request, while `host` asked us to wait."""
        until = self._closed_until.get(host)
        if until is None:
            return
        left = (until - _utcnow()).total_seconds()
        if left <= 0:
            del self._closed_until[host]
            return
        raise ActronRateLimitedError(
            f"Rate limited by the cloud; retry in {math.ceil(left)} s", retry_after=left
        )

    def close(self, host: str, retry_after_header: str | None) -> ActronRateLimitedError:
        """Record a 429 from `host` and return the error to raise."""
        now = _utcnow()
        retry_after = parse_retry_after(retry_after_header, now)
        if retry_after:
            self._closed_until[host] = now + timedelta(seconds=retry_after)
        when = f"; retry in {math.ceil(retry_after)} s" if retry_after is not None else ""
        return ActronRateLimitedError(f"Rate limited by the cloud{when}", retry_after=retry_after)
