"""`--state FILE` on the command line: a pairing outlives a SIGKILL, a bad file is reported."""

import asyncio
from pathlib import Path
import signal

import aiohttp

from actronair_neo_sim.__main__ import parse_args
from actronair_neo_sim.statefile import CORRUPT_SUFFIX

from .conftest import NEO_SERIAL, Api
from .test_cli import run_module

READY = "Ctrl-C stops it."


class _Run:
    """One simulator process: its output up to the banner's last line, and its URL."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.output = ""

    async def banner(self) -> str:
        assert self.process.stdout is not None
        while READY not in self.output:
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout=30)
            assert line, self.output
            self.output += line.decode()
        return self.output

    @property
    def url(self) -> str:
        return self.output.split("Neo host: ")[1].split()[0]

    async def end(self, signum: signal.Signals) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signum)
        return await asyncio.wait_for(self.process.wait(), timeout=30)


async def _start(state: Path) -> _Run:
    return _Run(await run_module("--port", "0", "--command-delay", "0", "--state", str(state)))


def test_the_option() -> None:
    assert parse_args([]).state is None
    assert parse_args(["--state", "x.json"]).state == Path("x.json")


async def test_a_pairing_survives_a_killed_process(tmp_path: Path) -> None:
    state = tmp_path / "sim" / "state.json"
    first = await _start(state)
    try:
        assert f"state: new, saved to {state}" in await first.banner()
        async with aiohttp.ClientSession() as session:
            api = Api(session, None)  # type: ignore[arg-type]
            pairing = (await api.pair(base=first.url)).json()["pairingToken"]
            reply = await api.exchange(pairing, base=first.url)
            bearer = reply.json()["access_token"]
    finally:
        assert await first.end(signal.SIGKILL) == -signal.SIGKILL

    second = await _start(state)
    try:
        assert f"state: restored from {state}" in await second.banner()
        async with aiohttp.ClientSession() as session:
            api = Api(session, None)  # type: ignore[arg-type]
            assert (await api.status(NEO_SERIAL, bearer, base=second.url)).status == 200
            sent = await api.send(
                NEO_SERIAL, bearer, {"UserAirconSettings.isOn": False}, base=second.url
            )
            assert sent.status == 200
            assert (await api.exchange(pairing, base=second.url)).status == 200
    finally:
        assert await second.end(signal.SIGTERM) == 0
    assert "pairingToken" not in second.output
    assert pairing not in second.output

    third = await _start(state)
    try:
        await third.banner()
        async with aiohttp.ClientSession() as session:
            api = Api(session, None)  # type: ignore[arg-type]
            status = (await api.status(NEO_SERIAL, bearer, base=third.url)).json()
            assert status["lastKnownState"]["UserAirconSettings"]["isOn"] is False
    finally:
        assert await third.end(signal.SIGINT) == 0


async def test_a_corrupt_file_is_reported_and_replaced(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{ half a file")
    run = await _start(state)
    try:
        banner = await run.banner()
    finally:
        assert await run.end(signal.SIGTERM) == 0
    assert f"actronair_neo_sim: WARNING: The state file {state} cannot be used: not JSON" in banner
    assert f"state: new, saved to {state}" in banner
    assert state.with_name(state.name + CORRUPT_SUFFIX).read_text() == "{ half a file"
    assert state.read_text().startswith("{")
    assert '"format": "actronair_neo_sim state"' in state.read_text()
