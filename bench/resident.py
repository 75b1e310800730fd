"""Resident memory a real Home Assistant gains with the entry: a fresh process for each size.

Run by `bench/bench_resident.py` with the demo's interpreter (the newest Home Assistant, started
as `python -m homeassistant` as users run it), so that no earlier instance's freed memory is reused:

    .venv-demo/bin/python bench/resident.py 1 4 16

For each size the simulator starts with that many generated Neo systems of 8 zones, and Home
Assistant in a config directory onboarded once (the entry removed between sizes). The resident
set (VmRSS) of the Home Assistant process is read once it is idle without the entry, and again
once the entry is set up, has polled twice more and is idle. Prints one JSON object per size.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import secrets
import statistics
import sys
import tempfile
import time
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts" / "lib"))

# From scripts/lib, put on the path above.
import demo
import demo_account
from demo_ha import wait_until
from demo_stack import Stack, StackSettings, free_ports
from homeassistant import const as ha_const

if TYPE_CHECKING:
    from demo_ha import HomeAssistantApi

# Idle: the resident set stays within IDLE_SPREAD for IDLE_WINDOW seconds of samples.
SAMPLE_EVERY = 0.5
IDLE_WINDOW = 6.0
IDLE_SPREAD = 256 * 1024
IDLE_TIMEOUT = 120.0
EXTRA_POLLS = 2


class ResidentError(RuntimeError):
    """The measurement could not be made (not a missed goal)."""


def resident_bytes(pid: int) -> int:
    """Return the resident set of process `pid`, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise ResidentError(f"no VmRSS for process {pid}")


def idle_resident(pid: int) -> int:
    """Wait until the resident set of `pid` stops moving; return the median of that window."""
    window = int(IDLE_WINDOW / SAMPLE_EVERY)
    samples: list[int] = []
    deadline = time.monotonic() + IDLE_TIMEOUT
    while time.monotonic() < deadline:
        samples.append(resident_bytes(pid))
        recent = samples[-window:]
        if len(recent) == window and max(recent) - min(recent) <= IDLE_SPREAD:
            return int(statistics.median(recent))
        time.sleep(SAMPLE_EVERY)
    raise ResidentError(
        f"the resident set kept moving for {IDLE_TIMEOUT:.0f} s: {samples[-window:]}"
    )


def poll_now(api: HomeAssistantApi) -> None:
    """Ask Home Assistant to refresh the integration's data (one coordinator update per system)."""
    entity_ids = [
        state["entity_id"]
        for state in api.states()
        if state["entity_id"].startswith("climate.") and "hvac_modes" in state["attributes"]
    ]
    if not entity_ids:
        raise ResidentError("the entry added no climate entity")
    api.call_service("homeassistant", "update_entity", {"entity_id": entity_ids})


def measure(config_dir: Path, password: str, systems: int) -> dict[str, int | str]:
    """Return the resident set of a fresh Home Assistant before and after the entry."""
    ha_port, sim_port = free_ports(2)
    settings = StackSettings(
        config_dir=config_dir, ha_port=ha_port, sim_port=sim_port, systems=systems
    )
    with Stack(settings) as stack:
        api = stack.api
        demo.sign_in(api, password)
        wait_until(api.is_running, timeout=demo.STARTUP_TIMEOUT, what="Home Assistant to start")
        if stack.home_assistant is None:
            raise ResidentError("Home Assistant is not running")
        pid = stack.home_assistant.pid
        before = idle_resident(pid)
        demo_account.add_entry(api)
        for _ in range(EXTRA_POLLS):
            poll_now(api)
        after = idle_resident(pid)
        demo_account.remove_entries(api)
    return {
        "systems": systems,
        "before": before,
        "after": after,
        "home_assistant": ha_const.__version__,
    }


def main(argv: list[str]) -> int:
    """Measure each size asked for; print a JSON object per size."""
    parser = argparse.ArgumentParser(prog="bench/resident.py", description=__doc__)
    parser.add_argument("sizes", type=int, nargs="+", help="numbers of systems")
    args = parser.parse_args(argv)
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory(prefix="actronair-neo-rss-") as workdir:
        for systems in args.sizes:
            sys.stdout.write(json.dumps(measure(Path(workdir), password, systems)) + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
