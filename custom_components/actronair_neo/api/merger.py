"""Merge commands to one system issued within a short window into a single request.

A scene or an automation changing power, mode and setpoint at once would otherwise send three
requests that the wall controller applies one by one. Every caller gets the result (or the error)
of the one request its command went out in. Different systems never share a request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .commands import Command
from .models import CommandResult

type SendFn = Callable[[str, Command], Awaitable[CommandResult]]


@dataclass(slots=True)
class _Batch:
    serial: str
    command: Command
    result: asyncio.Future[CommandResult]
    timer: asyncio.TimerHandle


class CommandMerger:
    """Collects commands per serial (case-insensitively) for `window` seconds, then sends them."""

    def __init__(self, window: float, send: SendFn) -> None:
        """Send through `send`; a window of 0 or less sends every command at once."""
        self._window = window
        self._send = send
        self._pending: dict[str, _Batch] = {}
        self._sending: set[asyncio.Task[None]] = set()

    async def submit(self, serial: str, command: Command) -> CommandResult:
        """Queue `command` for `serial`; return the result of the request it went out in."""
        if self._window <= 0:
            return await self._send(serial, command)
        key = serial.casefold()
        batch = self._pending.get(key)
        if batch is None:
            loop = asyncio.get_running_loop()
            timer = loop.call_later(self._window, self._dispatch, key)
            batch = _Batch(serial, command, loop.create_future(), timer)
            self._pending[key] = batch
        else:
            batch.command = batch.command.merge(command)
        # Shielded: one caller giving up must not cancel the request the others wait for.
        return await asyncio.shield(batch.result)

    async def flush(self) -> None:
        """Send every pending batch now and wait until all requests are answered."""
        for key in list(self._pending):
            self._dispatch(key)
        if self._sending:
            await asyncio.wait(self._sending)

    def _dispatch(self, key: str) -> None:
        batch = self._pending.pop(key)
        batch.timer.cancel()
        task = asyncio.get_running_loop().create_task(self._deliver(batch))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _deliver(self, batch: _Batch) -> None:
        try:
            result = await self._send(batch.serial, batch.command)
        except asyncio.CancelledError:
            batch.result.cancel()
            raise
        except Exception as err:  # noqa: BLE001 - handed to every waiting caller, who raises it
            batch.result.set_exception(err)
        else:
            batch.result.set_result(result)
