"""`scripts/develop` itself: a fresh start, Ctrl-C, a warm start, SIGTERM, and --no-entry.

It runs on its own config directory and ports, as a developer would run it (the real script, its
venv check included), and its output is read the way a developer reads it. The warm start finds
the entry signed in (the simulator kept its pairing in its state file): no re-authentication and no
warning about the integration in Home Assistant's log.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import re
import selectors
import signal
import subprocess
import time
from typing import Self

import demo_account
import demo_dashboard
from demo_ha import HomeAssistantApi
from demo_stack import free_ports, port_open

from .harness import ARTIFACTS
from .logcheck import warnings

ROOT = Path(__file__).resolve().parents[2]
READY = "Ctrl-C stops both."
START_TIMEOUT = 180.0  # the README promises a first start under 3 minutes
WARM_START_LIMIT = 30.0  # and later starts under 30 seconds
STOP_TIMEOUT = 30.0


class Develop:
    """One run of scripts/develop; its output is collected as it is read."""

    def __init__(self, config_dir: Path, ha_port: int, sim_port: int, *extra: str) -> None:
        """Start the script."""
        self.ports = (ha_port, sim_port)
        self.output = ""
        self.started = time.monotonic()
        self.process: subprocess.Popen[bytes] = subprocess.Popen(  # noqa: S603 -- our script
            [
                str(ROOT / "scripts" / "develop"),
                "--config-dir",
                str(config_dir),
                "--port",
                str(ha_port),
                "--sim-port",
                str(sim_port),
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def __enter__(self) -> Self:
        """Return the run."""
        return self

    def __exit__(self, *_: object) -> None:
        """Stop the script if a failed check left it running (it stops its servers)."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.communicate(timeout=STOP_TIMEOUT)

    def read_until(self, marker: str, timeout: float) -> float:
        """Read the output until `marker` shows; return the seconds since the start."""
        assert self.process.stdout is not None
        # Unbuffered reads of the pipe itself: a buffered reader could hold the marker while
        # select() reports nothing more to read.
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while marker not in self.output:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no {marker!r} after {timeout} s:\n{self.output}"
                if selector.select(remaining):
                    chunk = os.read(fd, 65536)
                    assert chunk, f"scripts/develop ended early:\n{self.output}"
                    self.output += chunk.decode(errors="replace")
        return time.monotonic() - self.started

    def owner_password(self) -> str:
        """Return the password the script printed."""
        match = re.search(r"sign in as\s+demo / (\S+)", self.output)
        assert match, self.output
        return match.group(1)

    def stop(self, signum: signal.Signals) -> int:
        """Send `signum`, wait for the script to end, read the rest; return its status."""
        self.process.send_signal(signum)
        rest, _ = self.process.communicate(timeout=STOP_TIMEOUT)
        self.output += rest.decode(errors="replace")
        return self.process.returncode


def _api(run: Develop) -> HomeAssistantApi:
    api = HomeAssistantApi(f"http://127.0.0.1:{run.ports[0]}")
    api.login(username="demo", password=run.owner_password())
    return api


def test_the_warning_check() -> None:
    log = """\
2026-11-23 12:49:45.029+00:00 WARNING (SyncWorker_0) [homeassistant.loader] We found a custom \
integration actronair_neo which has not been tested by Home Assistant.
2026-11-23 12:49:46.000+00:00 WARNING (MainThread) [homeassistant.config_entries] Config entry \
'demo@example.com' for actronair_neo integration could not authenticate: refused
2026-11-23 12:49:47.000+00:00 WARNING (MainThread) [custom_components.actronair_neo.coordinator] \
The wall controller of Home is offline
2026-11-23 12:49:48.000+00:00 INFO (MainThread) [custom_components.actronair_neo] polled
2026-11-23 12:49:49.000+00:00 WARNING (MainThread) [homeassistant.config_entries] Config entry \
'x' for other integration could not authenticate
"""
    found = warnings(log, demo_account.DOMAIN)

    assert [record.logger for record in found] == [
        "homeassistant.config_entries",
        "custom_components.actronair_neo.coordinator",
    ]


def _keep_start_times(**seconds: float) -> None:
    """Keep the measured start times with the run's artifacts, for the record."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    times = {name: round(value, 1) for name, value in seconds.items()}
    (ARTIFACTS / "develop-start-seconds.json").write_text(json.dumps(times, indent=2) + "\n")


def test_develop_starts_restarts_and_stops_cleanly(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    ha_port, sim_port = free_ports(2)

    with Develop(config_dir, ha_port, sim_port) as fresh:
        fresh_start = fresh.read_until(READY, START_TIMEOUT)
        api = _api(fresh)
        [entry] = demo_account.entries(api)
        assert entry["state"] == demo_account.LOADED
        dashboards = api.ws_command({"type": "lovelace/dashboards/list"})
        assert demo_dashboard.URL_PATH in [dashboard["url_path"] for dashboard in dashboards]
        assert f"http://127.0.0.1:{ha_port}/{demo_dashboard.URL_PATH}" in fresh.output
        assert fresh.stop(signal.SIGINT) == 0
    assert not port_open(ha_port)
    assert not port_open(sim_port)

    # The simulator saved its state on the way out: the entry's pairing and bearer stay valid.
    assert (config_dir / "simulator-state.json").stat().st_mode & 0o777 == 0o600

    with Develop(config_dir, ha_port, sim_port) as warm:
        warm_start = warm.read_until(READY, START_TIMEOUT)
        _keep_start_times(fresh=fresh_start, warm=warm_start)
        assert warm_start < WARM_START_LIMIT
        assert warm.owner_password() == fresh.owner_password()
        api = _api(warm)
        [again] = demo_account.entries(api)
        assert (again["entry_id"], again["state"]) == (entry["entry_id"], demo_account.LOADED)
        # No sign-in again: Home Assistant never found the stored tokens refused.
        assert f"signing {demo_account.EMAIL} in again" not in warm.output
        assert not [f for f in api.flows_in_progress() if f["context"].get("source") == "reauth"]
        # Home Assistant rotates its log at start: this one is the warm start's alone.
        log = (config_dir / "home-assistant.log").read_text()
        assert "could not authenticate" not in log
        assert warnings(log, demo_account.DOMAIN) == []
        assert warm.stop(signal.SIGTERM) == 0
    assert not port_open(ha_port)

    with Develop(config_dir, ha_port, sim_port, "--no-entry") as bare:
        bare.read_until(READY, START_TIMEOUT)
        assert demo_account.entries(_api(bare)) == []
        assert "config/integrations" in bare.output
        assert bare.stop(signal.SIGINT) == 0
