"""Tolerant readers of JSON values: a value of the wrong type reads as None (or empty).

The cloud publishes no schema and firmware versions differ, so one odd field must cost that field
only. These helpers are cheap on purpose: the status parser calls them hundreds of times per poll.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
import math
import re
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})

# .NET TimeSpan text, e.g. "2.10:26:15.3597948" (days optional, fraction optional).
_TIMESPAN = re.compile(r"^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$")


def as_bool(value: object) -> bool | None:
    """Return a JSON boolean, else None."""
    return value if isinstance(value, bool) else None


def as_float(value: object) -> float | None:
    """Return a finite JSON number as float (booleans are not numbers here), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def as_int(value: object) -> int | None:
    """Return a JSON integer (or a float without a fraction) as int, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_str(value: object) -> str | None:
    """Return a JSON string, else None."""
    return value if isinstance(value, str) else None


def as_mapping(value: object) -> Mapping[str, Any]:
    """Return a JSON object, else an empty mapping so that lookups chain without checks."""
    return value if isinstance(value, Mapping) else EMPTY


def as_list(value: object) -> Sequence[Any]:
    """Return a JSON array, else an empty tuple."""
    return value if isinstance(value, list | tuple) else ()


def as_datetime(value: object) -> datetime | None:
    """Return an ISO 8601 timestamp as an aware datetime (naive means UTC), else None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def as_timespan(value: object) -> timedelta | None:
    """Return a .NET TimeSpan string ("d.hh:mm:ss.fffffff") as a timedelta, else None."""
    if not isinstance(value, str) or (match := _TIMESPAN.match(value)) is None:
        return None
    sign, days, hours, minutes, seconds, fraction = match.groups()
    span = timedelta(
        days=int(days or 0),
        hours=int(hours),
        minutes=int(minutes),
        seconds=int(seconds),
        microseconds=int((fraction or "0")[:6].ljust(6, "0")),
    )
    return -span if sign else span
