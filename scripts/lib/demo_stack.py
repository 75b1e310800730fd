"""The cloud simulator and a real Home Assistant as child processes (demo and browser tests).

`Stack` prepares a Home Assistant config directory (the tracked demo config, this working tree's
integration linked in, the HTTP server bound to loopback), starts the simulator, then Home Assistant
pointed at it, and stops both. Each child runs in its own session, so a Ctrl-C in the terminal
reaches only the supervisor, which then stops them in order.
"""

from __future__ import annotations

import contextlib
import ctypes
from dataclasses import dataclass
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
from typing import IO, TYPE_CHECKING, Self

from demo_ha import HomeAssistantApi, wait_until
from homeassistant.components.http.config import (
    HTTP_STORAGE_SCHEMA,
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

ROOT = Path(__file__).resolve().parents[2]
TRACKED_CONFIG = ROOT / "config"
# What a config directory takes from the tracked one; the rest of it is runtime state.
TRACKED_FILES = ("configuration.yaml",)
LOOPBACK = "127.0.0.1"
STOP_TIMEOUT = 30.0
SIMULATOR_START_TIMEOUT = 30.0
HA_LOG = "home-assistant.log"
HA_CONSOLE_LOG = "home-assistant.console.log"
SIM_LOG = "simulator.log"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class StackError(RuntimeError):
    """The stack cannot start or a child ended on its own; the message says which and where."""


def free_ports(count: int) -> list[int]:
    """Return `count` different loopback TCP ports that were free a moment ago."""
    with contextlib.ExitStack() as held:
        sockets = [
            held.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            for _ in range(count)
        ]
        for sock in sockets:
            # All bound at once, so the OS cannot hand out the same port twice.
            sock.bind((LOOPBACK, 0))
        return [sock.getsockname()[1] for sock in sockets]


_LIBC = ctypes.CDLL(None, use_errno=True)


def _stop_with_parent() -> None:
    # Runs in the child before exec: Linux sends it SIGTERM when the supervisor dies, so a killed
    # `scripts/develop` or test run leaves no server behind. Only a system call on a library
    # handle loaded beforehand: nothing here can wait on a lock another thread held at fork.
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def port_open(port: int) -> bool:
    """Return whether something accepts TCP connections on the loopback `port`."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1):
            return True
    except OSError:
        return False


@dataclass(frozen=True, kw_only=True)
class StackSettings:
    """Where the stack keeps its state and where its servers listen."""

    config_dir: Path
    ha_port: int = 8123
    sim_port: int = 8765
    # None: the simulator serves the Que cloud on sim_port too.
    que_port: int | None = None
    # Seconds the simulated wall controller takes to apply a command; None: the simulator's own.
    command_delay: float | None = None
    scenario: Path | None = None
    # Instead of a scenario: one generated account (the demo's email) with this many Neo systems.
    systems: int | None = None
    # Where the simulator keeps its accounts, pairings, bearers and systems across restarts, so a
    # config entry's stored tokens stay valid; None: it starts from the scenario every time.
    state_file: Path | None = None
    # Python's DeprecationWarnings (hidden by default) into Home Assistant's log, for the tests.
    show_deprecations: bool = False


class Stack:
    """The simulator and Home Assistant: `start()` and `stop()`, or a `with` block."""

    def __init__(self, settings: StackSettings) -> None:
        """Remember the settings; nothing starts yet."""
        self.settings = settings
        self.config_dir = settings.config_dir.resolve()
        self.ha_url = f"http://{LOOPBACK}:{settings.ha_port}"
        self.sim_url = f"http://{LOOPBACK}:{settings.sim_port}"
        self.que_url = self.sim_url
        if settings.que_port is not None:
            self.que_url = f"http://{LOOPBACK}:{settings.que_port}"
        self.api = HomeAssistantApi(self.ha_url)
        self.simulator: subprocess.Popen[bytes] | None = None
        self.home_assistant: subprocess.Popen[bytes] | None = None
        self._logs: list[IO[bytes]] = []

    def __enter__(self) -> Self:
        """Start both servers."""
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        """Stop both servers."""
        self.stop()

    @property
    def ha_log(self) -> Path:
        """Home Assistant's own log file."""
        return self.config_dir / HA_LOG

    @property
    def sim_log(self) -> Path:
        """The simulator's output."""
        return self.config_dir / SIM_LOG

    # -- the config directory ----------------------------------------------------------------

    def prepare_config(self) -> None:
        """Ready the config directory: tracked config, the integration linked, HTTP on loopback."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        if self.config_dir != TRACKED_CONFIG.resolve():
            for name in TRACKED_FILES:
                shutil.copy2(TRACKED_CONFIG / name, self.config_dir / name)
        link = self.config_dir / "custom_components"
        if not link.is_symlink():
            # Loaded straight from the working tree: an edit and a restart are all it takes.
            link.symlink_to(ROOT / "custom_components", target_is_directory=True)
        self._write_http_store()

    def _write_http_store(self) -> None:
        # Home Assistant 2026.10 keeps its HTTP settings in storage and turns a YAML `http:` section
        # into a one-time migration with a dialog; seeding the store binds to loopback without both.
        store = self.config_dir / ".storage" / "http"
        wanted = {"server_host": [LOOPBACK], "server_port": self.settings.ha_port}
        if store.exists():
            stable = json.loads(store.read_text())["data"]["stable"]
            if all(stable.get(key) == value for key, value in wanted.items()):
                return
        config = dict(HTTP_STORAGE_SCHEMA(wanted))
        config |= {"created_at": "2026-01-01T00:00:00+00:00", "error": None, "error_message": None}
        payload = {
            "version": STORAGE_VERSION,
            "minor_version": STORAGE_MINOR_VERSION,
            "key": "http",
            "data": {"stable": config, "pending": None, "yaml_migration_done": True},
        }
        store.parent.mkdir(exist_ok=True)
        store.write_text(json.dumps(payload, indent=2, default=str))
        store.chmod(0o600)

    # -- processes ---------------------------------------------------------------------------

    def start(self, *, timeout: float = 240.0) -> None:
        """Start the simulator, then Home Assistant; return once Home Assistant's server answers."""
        self.prepare_config()
        for port in [self.settings.ha_port, *self._sim_ports()]:
            if port_open(port):
                raise StackError(f"port {port} on {LOOPBACK} is already in use")
        try:
            self.simulator = self._spawn(self._simulator_command(), SIM_LOG, os.environ)
            wait_until(
                lambda: (
                    self._alive(self.simulator, "the simulator", self.sim_log)
                    and all(port_open(port) for port in self._sim_ports())
                ),
                timeout=SIMULATOR_START_TIMEOUT,
                what="the simulator to listen",
            )
            self.home_assistant = self._spawn(
                [sys.executable, "-m", "homeassistant", "--config", str(self.config_dir)],
                HA_CONSOLE_LOG,
                self._home_assistant_env(),
            )
            wait_until(
                lambda: (
                    self._alive(self.home_assistant, "Home Assistant", self.ha_log)
                    and self.api.is_up()
                ),
                timeout=timeout,
                what="Home Assistant to answer",
            )
        except BaseException:
            self.stop()
            raise

    def _sim_ports(self) -> list[int]:
        ports = [self.settings.sim_port]
        if self.settings.que_port is not None:
            ports.append(self.settings.que_port)
        return ports

    def _simulator_command(self) -> list[str]:
        command = [sys.executable, "-m", "actronair_neo_sim", "--host", LOOPBACK]
        command += ["--port", str(self.settings.sim_port)]
        if self.settings.que_port is not None:
            command += ["--que-port", str(self.settings.que_port)]
        if self.settings.scenario is not None:
            command += ["--scenario", str(self.settings.scenario)]
        if self.settings.systems is not None:
            command += ["--systems", str(self.settings.systems)]
        if self.settings.command_delay is not None:
            command += ["--command-delay", str(self.settings.command_delay)]
        if self.settings.state_file is not None:
            command += ["--state", str(self.settings.state_file.resolve())]
        return command

    def _home_assistant_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["ACTRONAIR_NEO_API_URL"] = self.sim_url
        env["ACTRONAIR_NEO_QUE_API_URL"] = self.que_url
        if self.settings.show_deprecations:
            env["PYTHONWARNINGS"] = "default::DeprecationWarning"
        return env

    def _spawn(
        self, command: list[str], log_name: str, env: Mapping[str, str]
    ) -> subprocess.Popen[bytes]:
        log = (self.config_dir / log_name).open("ab")
        self._logs.append(log)
        return subprocess.Popen(  # noqa: S603 -- our own interpreter, arguments we built
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_stop_with_parent,  # noqa: PLW1509 -- see _stop_with_parent
        )

    @staticmethod
    def _alive(process: subprocess.Popen[bytes] | None, name: str, log: Path) -> bool:
        if process is None or process.poll() is not None:
            code = None if process is None else process.returncode
            raise StackError(f"{name} exited (status {code}); see {log}")
        return True

    def children(self) -> dict[str, subprocess.Popen[bytes]]:
        """Return the running children by name."""
        named = {"Home Assistant": self.home_assistant, "the simulator": self.simulator}
        return {name: process for name, process in named.items() if process is not None}

    def stop(self) -> None:
        """Stop Home Assistant, then the simulator: SIGTERM, SIGKILL after STOP_TIMEOUT."""
        for process in (self.home_assistant, self.simulator):
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.home_assistant = self.simulator = None
        for log in self._logs:
            log.close()
        self._logs.clear()
