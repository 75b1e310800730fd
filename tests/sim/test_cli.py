"""`python -m actronair_neo_sim`: arguments, the loopback-only rule, and a real run."""

import asyncio
import io
import json
from pathlib import Path
import signal
import socket
import sys

import aiohttp
import pytest

from actronair_neo_sim import ScenarioError, default_scenario
from actronair_neo_sim.__main__ import build_scenario, main, parse_args, serve
from actronair_neo_sim.scenario import scenario_to_json

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "::", "example.com"])  # noqa: S104
def test_non_loopback_hosts_are_refused(host: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--host", host])
    assert exit_info.value.code == 2
    assert "refusing to listen" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--host", "127.0.0.1"],
        ["--host", "localhost"],
        ["--host", "::1"],
        ["--host", "0.0.0.0", "--allow-remote"],  # noqa: S104 -- parsed, never bound
    ],
)
def test_loopback_or_explicitly_allowed_hosts(argv: list[str]) -> None:
    assert parse_args(argv).host == argv[1]


def test_defaults() -> None:
    args = parse_args([])
    assert (args.host, args.port, args.que_port) == ("127.0.0.1", 8765, None)
    assert (args.command_delay, args.token_lifetime) == (3.0, 259199.0)


def test_negative_seconds_are_refused() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--command-delay", "-1"])


def test_scenario_choices(tmp_path: Path) -> None:
    assert build_scenario(parse_args([])) == default_scenario()
    assert build_scenario(parse_args(["--que"])) == default_scenario(que=True)
    generated = build_scenario(parse_args(["--systems", "4", "--que"]))
    assert len(generated.accounts[0].systems) == 5
    path = tmp_path / "s.json"
    path.write_text(scenario_to_json(default_scenario(que=True)))
    assert build_scenario(parse_args(["--scenario", str(path)])) == default_scenario(que=True)
    with pytest.raises(ScenarioError, match="--que"):
        build_scenario(parse_args(["--scenario", str(path), "--que"]))


def test_dump_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dump-scenario", "--systems", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["accounts"][0]["systems"][0]["serial"] == "s0000001"


def test_a_bad_scenario_file_exits_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--scenario", str(tmp_path / "missing.json")]) == 1
    assert "cannot read scenario" in capsys.readouterr().err


async def run_module(*argv: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "actronair_neo_sim",
        *argv,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def test_a_busy_port_exits_with_a_message() -> None:
    # In a child process: asyncio.run() in the test's thread would upset the harness's loop.
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        process = await run_module("--port", str(busy.getsockname()[1]))
        output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 1
    assert b"actronair_neo_sim: " in output


class _Printed(io.StringIO):
    """Captures the banner and says when it has been printed."""

    def __init__(self) -> None:
        super().__init__()
        self.printed = asyncio.Event()

    def flush(self) -> None:
        super().flush()
        self.printed.set()


@pytest.mark.parametrize(("que_port", "shared"), [(None, True), (0, False)])
async def test_serve_prints_where_it_listens_and_serves(que_port: int | None, shared: bool) -> None:
    argv = ["--port", "0", "--command-delay", "0"]
    if que_port is not None:
        argv += ["--que-port", str(que_port)]
    out, stop = _Printed(), asyncio.Event()
    args = parse_args(argv)
    serving = asyncio.create_task(serve(args, build_scenario(args), stop, out))
    await asyncio.wait_for(out.printed.wait(), timeout=10)
    banner = out.getvalue()
    assert "account: demo@example.com / demo (2 systems)" in banner
    assert ("shared with the Neo host" in banner) is shared
    url = banner.split("Neo host: ")[1].split()[0]
    async with aiohttp.ClientSession() as session, session.get(f"{url}/_sim") as reply:
        assert reply.status == 200
    stop.set()
    await asyncio.wait_for(serving, timeout=10)


async def test_serve_names_other_accounts_without_their_password(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"accounts": [{"email": "x@example.com", "password": "secret"}]}))
    out, stop = _Printed(), asyncio.Event()
    args = parse_args(["--port", "0", "--scenario", str(path)])
    serving = asyncio.create_task(serve(args, build_scenario(args), stop, out))
    await asyncio.wait_for(out.printed.wait(), timeout=10)
    stop.set()
    await asyncio.wait_for(serving, timeout=10)
    assert "x@example.com / (as in the scenario)" in out.getvalue()
    assert "secret" not in out.getvalue()


async def test_the_module_runs_and_stops_on_sigterm() -> None:
    process = await run_module("--port", "0")
    try:
        lines: list[str] = []
        while not lines or "Ctrl-C" not in lines[-1]:
            line = await asyncio.wait_for(process.stdout.readline(), timeout=30)  # type: ignore[union-attr]
            assert line, "".join(lines)
            lines.append(line.decode())
        assert "Neo host: http://127.0.0.1:" in "".join(lines)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
