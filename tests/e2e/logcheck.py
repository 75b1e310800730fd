"""Reading Home Assistant's log: what an integration logged as an error or a deprecation.

A record is a line that starts with a timestamp and level, plus the lines after it that do not
(a traceback). A record is the integration's when its logger or its text names the integration
(a traceback through its files, a "Detected that custom integration ..." report, a Python
warning raised in its code).
"""

from __future__ import annotations

from dataclasses import dataclass
import re

_RECORD_START = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\S* (?P<level>[A-Z]+) \([^)]*\) \[(?P<logger>[^\]]+)\] "
)
_ERROR_LEVELS = frozenset({"ERROR", "CRITICAL", "FATAL"})
_WARNING_LEVELS = _ERROR_LEVELS | {"WARNING"}


@dataclass
class LogRecord:
    """One record of the log, with its continuation lines."""

    level: str
    logger: str
    text: str


def parse(text: str) -> list[LogRecord]:
    """Split a log into records; lines before the first record are dropped."""
    records: list[LogRecord] = []
    for line in text.splitlines():
        if match := _RECORD_START.match(line):
            records.append(LogRecord(match["level"], match["logger"], line))
        elif records:
            records[-1].text += "\n" + line
    return records


def warnings(text: str, integration: str) -> list[LogRecord]:
    """Return the warnings and errors the integration logged, or its config entries caused.

    The integration's own loggers (`custom_components.<integration>...`) and Home Assistant's
    reports on its entries (e.g. "... could not authenticate", which starts a re-authentication)
    count; the loader's notice that a custom integration is loaded does not.
    """
    own = f"custom_components.{integration}"
    return [
        record
        for record in parse(text)
        if record.level in _WARNING_LEVELS
        and (
            record.logger == own
            or record.logger.startswith(f"{own}.")
            or (record.logger == "homeassistant.config_entries" and integration in record.text)
        )
    ]


def problems(text: str, integration: str) -> list[LogRecord]:
    """Return the integration's errors and deprecation warnings in a log."""
    found = []
    for record in parse(text):
        if integration not in record.text:
            continue
        is_deprecation = record.level != "DEBUG" and "deprecat" in record.text.lower()
        if record.level in _ERROR_LEVELS or is_deprecation:
            found.append(record)
    return found
