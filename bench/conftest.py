"""How the benchmarks run: Home Assistant's test harness without asyncio's debug mode, a table.

The figures of a run are collected and printed as a table at the end; `--bench-markdown PATH`
also writes them, with the command and the environment, as Markdown (docs/performance.md).
"""

from __future__ import annotations

import os
from pathlib import Path
import platform
import sys
from typing import TYPE_CHECKING

from homeassistant import const as ha_const
import pytest

from bench.results import Results

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter

_RESULTS = Results()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Offer writing the table as Markdown."""
    parser.addoption(
        "--bench-markdown",
        metavar="PATH",
        help="also write the figures as Markdown to PATH",
    )


@pytest.fixture
def results() -> Results:
    """Give a benchmark the run's figures, to add its own."""
    return _RESULTS


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Let Home Assistant load the custom integration in every benchmark that starts one."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


@pytest.fixture
def enable_event_loop_debug() -> None:
    """Leave asyncio's debug mode off: Home Assistant runs without it, and it doubles costs."""


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Print the figures; write them as Markdown when asked."""
    if not _RESULTS.figures:
        return
    _RESULTS.add_scaling()
    terminalreporter.write_sep("=", "benchmarks")
    terminalreporter.write_line(_RESULTS.table())
    target = terminalreporter.config.getoption("--bench-markdown")
    if target:
        Path(target).write_text(_document(), encoding="utf-8")
        terminalreporter.write_line(f"written to {target}")


def _document() -> str:
    """Return docs/performance.md: how the figures were made, then the figures."""
    command = os.environ.get("BENCH_COMMAND", "scripts/bench")
    return f"""# Performance

Produced by

    {command}

against the simulated cloud on loopback, in one process with Home Assistant
{ha_const.__version__} (its test harness, asyncio debug mode off), Python
{platform.python_version()}, {os.cpu_count()} CPU(s) ({platform.machine()}, {sys.platform}).
Systems are the simulator's generated Neo systems of 8 zones each (the first two with their own
temperature control and a wireless sensor). Simulated time (polls, the command delay, bearer
expiry) moves on a frozen clock; CPU figures are process time and include the in-process
simulator where said; wall times are real.

{_RESULTS.markdown()}

Notes:
- "met" compares a figure with its goal; an empty cell is a figure given for reference.
- Requests per poll count every request the cloud received during steady-state polls, divided
  by polls and systems: one status request per system, none per zone. The systems list is read
  at start and re-read once an hour.
- Cloud-confirmed time runs from the service call to the first status poll showing the command.
  The command leaves after the client's 0.5 s merge window; the integration re-polls 3 s and 10 s
  after sending, then polls every 30 s. With a command delay beyond the burst (12 s above) the
  state goes back to the cloud's at the end of the burst and shows the change at the next poll:
  the designed "after the burst the cloud wins".
- The status parse compares `SystemStatus.from_json` of the decoded document with `json.loads` of
  its bytes (best of 9 x 200 calls each, interleaved); "bytes to model" is both together.
- Python heap: what stays allocated after signing in and setting up in the test harness
  (tracemalloc), without the simulator's allocations and the stores the harness keeps in memory.
  Each system's decoded status (about 110 KiB) is part of it; the rest is mostly Home
  Assistant's entities, states and registry entries (about 50 entities per system).
- Resident memory: the resident set (VmRSS) of a real Home Assistant (the demo's, version in its
  rows, run as `python -m homeassistant` with the demo's frontend, history and recorder) in
  a fresh process per size, idle without the entry, then idle once the entry is set up and has
  polled twice more. It includes what Home Assistant itself keeps for the entities (state
  machine, registries, the recorder's caches) and the allocator's overhead. At 1 system part of
  the growth lands in memory freed during start-up, which is why the cost per added system,
  not per system, is the figure to read.
- Scaling compares the cost per added system from 4 to 16 systems with that from 1 to 4.
"""
