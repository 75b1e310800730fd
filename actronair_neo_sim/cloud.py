"""`SimulatedCloud`: the whole simulator on loopback sockets, as an async context manager.

```python
async with SimulatedCloud(default_scenario(que=True), clock=ManualClock()) as cloud:
    cloud.url, cloud.que_url        # http://127.0.0.1:<ephemeral port>
    cloud.state.set_online("26c00841", False)
    cloud.faults.inject("429", endpoint="status", retry_after=5)
    cloud.requests.count("status")
```
By default the Que host is a second listener; `separate_que=False` serves Que systems on the Neo
host too (then `que_url == url`). Binding anything but loopback needs `allow_remote=True`. With
`state_file=path` the state survives restarts (see `statefile.py`).
"""

import asyncio
import contextlib
import ipaddress
from typing import TYPE_CHECKING, Final, Self

from aiohttp import web

from .admin import create_admin_app
from .auth import DEFAULT_TOKEN_LIFETIME
from .clock import Clock, system_clock
from .faults import Faults
from .requestlog import RequestLog
from .server import Listener, create_app
from .state import DEFAULT_COMMAND_DELAY, CloudState
from .statefile import StateFile

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

    from .scenario import Scenario

LOOPBACK: Final = "127.0.0.1"
_SHUTDOWN_SECONDS: Final = 1.0
# Seconds between saves of a changed state file (changes made over HTTP are saved at once).
DEFAULT_SAVE_INTERVAL: Final = 2.0


class RemoteBindError(ValueError):
    """Asked to listen on a non-loopback address without `allow_remote`."""


def check_bind_host(host: str, *, allow_remote: bool = False) -> None:
    """Refuse to listen beyond this machine unless explicitly allowed."""
    if allow_remote or host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise RemoteBindError(
            f"refusing to listen on {host!r}: not a loopback address (pass allow_remote to insist)"
        )


class SimulatedCloud:
    """The simulated ActronAir cloud: state, faults and request log, served over HTTP while open."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        clock: Clock = system_clock,
        command_delay: float = DEFAULT_COMMAND_DELAY,
        token_lifetime: float = DEFAULT_TOKEN_LIFETIME,
        host: str = LOOPBACK,
        port: int = 0,
        que_port: int = 0,
        separate_que: bool = True,
        allow_remote: bool = False,
        state_file: Path | None = None,
        save_interval: float = DEFAULT_SAVE_INTERVAL,
    ) -> None:
        """Prepare the cloud; nothing listens until `start()` (or `async with`).

        With `state_file`, the state saved there (if any, and usable) replaces `scenario`, and
        the state is saved there after each change, every `save_interval` seconds while it
        changes, and on `close()`.
        """
        check_bind_host(host, allow_remote=allow_remote)
        self.state_file = None if state_file is None else StateFile(state_file)
        restored = (
            None
            if self.state_file is None
            else self.state_file.load(
                clock=clock, command_delay=command_delay, token_lifetime=token_lifetime
            )
        )
        # Whether the state came from the state file rather than from the scenario.
        self.restored = restored is not None
        self.state = restored or CloudState(
            scenario, clock=clock, command_delay=command_delay, token_lifetime=token_lifetime
        )
        self._save_interval = save_interval
        self._saver: asyncio.Task[None] | None = None
        self.faults = Faults()
        self.requests = RequestLog()
        self._host = host
        self._ports = (port, que_port)
        self._separate_que = separate_que
        self._runners: list[web.AppRunner] = []
        self._urls: list[str] = []

    @property
    def url(self) -> str:
        """The Neo host's base URL (pairing, Neo systems, the admin endpoint)."""
        return self._listening(0)

    @property
    def que_url(self) -> str:
        """The Que host's base URL (the Neo host's when Que is not separate)."""
        return self._listening(1 if self._separate_que else 0)

    def _listening(self, index: int) -> str:
        if len(self._urls) <= index:
            raise RuntimeError("the simulated cloud is not running: use start() or async with")
        return self._urls[index]

    def save_state(self) -> bool:
        """Save the state file now if the state changed; return whether it wrote.

        Does nothing without a state file. A failure is logged as a warning, never raised.
        """
        return self.state_file is not None and self.state_file.save(self.state)

    async def _save_periodically(self) -> None:
        # Catches what no request announces: time passing, changes through the Python API.
        while True:
            await asyncio.sleep(self._save_interval)
            self.save_state()

    async def start(self) -> None:
        """Listen on the Neo host (and the Que host when separate)."""
        if self._runners:
            raise RuntimeError("the simulated cloud is running already")
        if self.state_file is not None:
            self.save_state()
            self._saver = asyncio.create_task(self._save_periodically())
        try:
            neo = self._listener("neo", serves_que=not self._separate_que)
            await self._serve(neo, self._ports[0], admin=True)
            if self._separate_que:
                que = Listener(
                    state=self.state,
                    faults=self.faults,
                    requests=self.requests,
                    host="que",
                    serves_neo=False,
                    serves_que=True,
                    changed=self._changed,
                )
                await self._serve(que, self._ports[1], admin=False)
        except BaseException:
            await self.close()
            raise

    def _listener(self, host: str, *, serves_que: bool) -> Listener:
        return Listener(
            state=self.state,
            faults=self.faults,
            requests=self.requests,
            host=host,
            serves_neo=True,
            serves_que=serves_que,
            changed=self._changed,
        )

    def _changed(self) -> None:
        self.save_state()

    async def _serve(self, listener: Listener, port: int, *, admin: bool) -> None:
        app = create_app(listener)
        if admin:
            app.add_subapp("/_sim", create_admin_app(listener))
        # handler_cancellation: a client giving up (a timeout fault) cancels its handler at once.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=_SHUTDOWN_SECONDS
        )
        await runner.setup()
        self._runners.append(runner)
        await web.TCPSite(runner, self._host, port, reuse_address=True).start()
        bound_host, bound_port = runner.addresses[0][:2]
        host = f"[{bound_host}]" if ":" in bound_host else bound_host
        self._urls.append(f"http://{host}:{bound_port}")

    async def close(self) -> None:
        """Stop listening; hung requests are released, every handler ends, the state is saved."""
        self.faults.release_hangs()
        runners, self._runners, self._urls = self._runners, [], []
        for runner in reversed(runners):
            await runner.cleanup()
        if self._saver is not None:
            saver, self._saver = self._saver, None
            saver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await saver
        self.save_state()

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.close()
