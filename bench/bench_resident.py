"""Resident memory: what a real Home Assistant process gains with the entry, per size.

The measurement runs in child processes (`bench/resident.py`, with the demo's interpreter and
Home Assistant), a fresh one per size: in this process the harness runs many instances in turn
and the allocator reuses what they freed, so its resident set says nothing per instance.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import subprocess
from typing import TYPE_CHECKING, Final

import pytest

from bench.fleet import SIZES, BenchError

if TYPE_CHECKING:
    from bench.results import Results

ROOT: Final = Path(__file__).resolve().parents[1]
PROBE: Final = ROOT / "bench" / "resident.py"
# scripts/bench provides the demo venv and names its interpreter here.
PYTHON_VARIABLE: Final = "BENCH_DEMO_PYTHON"
MIB: Final = 1024 * 1024


def bench_resident_memory(results: Results) -> None:
    """Resident set of Home Assistant idle without the entry, and with it set up and polled."""
    python = os.environ.get(PYTHON_VARIABLE)
    if not python:
        pytest.skip(f"{PYTHON_VARIABLE} is not set: run scripts/bench, which provides it")
    done = subprocess.run(  # noqa: S603 -- our own interpreter and script
        [python, str(PROBE), *map(str, SIZES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise BenchError(f"{PROBE.name} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    for line in done.stdout.splitlines():
        measured = json.loads(line)
        systems, before, after = measured["systems"], measured["before"], measured["after"]
        added = after - before
        results.add(
            "memory",
            "resident memory Home Assistant gains with the entry (own process, idle)",
            f"{added / MIB:.1f} MiB ({before / MIB:.0f} -> {after / MIB:.0f} MiB, "
            f"Home Assistant {measured['home_assistant']})",
            "reference",
            systems=systems,
        )
        results.sample("resident memory added", systems, added / MIB, "MiB")
