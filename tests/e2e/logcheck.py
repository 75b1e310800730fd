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
