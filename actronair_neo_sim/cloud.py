"""`SimulatedCloud`: the whole simulator on loopback sockets, as an async context manager.

```python
async with SimulatedCloud(default_scenario(que=True), clock=ManualClock()) as cloud:
    cloud.url, cloud.que_url        # http://127.0.0.1:<ephemeral port>
    cloud.state.set_online("26c00841", False)
    cloud.faults.inject("429", endpoint="status", retry_after=5)
    cloud.requests.count("status")
```
By default the Que host is a second listener; `separate_que=False` serves Que systems on the Neo
host too (then `que_url == url`). Binding anything but loopback needs `allow_remote=True`.
"""

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

if TYPE_CHECKING:
    from types import TracebackType

    from .scenario import Scenario

LOOPBACK: Final = "127.0.0.1"
_SHUTDOWN_SECONDS: Final = 1.0


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
    ) -> None:
        """Prepare the cloud; nothing listens until `start()` (or `async with`)."""
        check_bind_host(host, allow_remote=allow_remote)
        self.state = CloudState(
            scenario, clock=clock, command_delay=command_delay, token_lifetime=token_lifetime
        )
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

    async def start(self) -> None:
        """Listen on the Neo host (and the Que host when separate)."""
        if self._runners:
            raise RuntimeError("the simulated cloud is running already")
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
        )

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
        """Stop listening; hung requests are released and every handler ends."""
        self.faults.release_hangs()
        runners, self._runners, self._urls = self._runners, [], []
        for runner in reversed(runners):
            await runner.cleanup()

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
