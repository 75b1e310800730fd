"""`python -m actronair_neo_sim`: run the simulated cloud until Ctrl-C or SIGTERM.

Without `--que-port` one listener plays both hosts; with it, Que systems answer only on the second
port. It listens on loopback only unless `--allow-remote` is given, and prints where it listens and
the demo account. With `--state FILE` the cloud remembers its accounts, pairings, bearers and
systems across restarts; it saves them on the way out of Ctrl-C or SIGTERM too.
"""

import argparse
import asyncio
import logging
from pathlib import Path
import signal
import sys
from typing import TYPE_CHECKING, TextIO

from .auth import DEFAULT_TOKEN_LIFETIME
from .cloud import LOOPBACK, RemoteBindError, SimulatedCloud, check_bind_host
from .scenario import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    Scenario,
    ScenarioError,
    default_scenario,
    generate_scenario,
    load_scenario,
    scenario_to_json,
)
from .state import DEFAULT_COMMAND_DELAY

if TYPE_CHECKING:
    from collections.abc import Sequence


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line; a non-loopback --host without --allow-remote is an error (exit 2)."""
    parser = argparse.ArgumentParser(
        prog="python -m actronair_neo_sim", description="A simulated ActronAir Neo/Que cloud."
    )
    parser.add_argument("--host", default=LOOPBACK, help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8765, help="the Neo host's port (0: any free one)"
    )
    parser.add_argument(
        "--que-port",
        type=int,
        default=None,
        help="a separate port for the Que host (default: share --port)",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--scenario", type=Path, help="a scenario JSON file (default: the demo account)"
    )
    source.add_argument(
        "--systems", type=int, help="generate one account with N Neo systems of 8 zones"
    )
    parser.add_argument(
        "--que", action="store_true", help="add a Que system to the demo or generated account"
    )
    parser.add_argument(
        "--command-delay",
        type=_seconds,
        default=DEFAULT_COMMAND_DELAY,
        help="seconds before a command shows",
    )
    parser.add_argument(
        "--token-lifetime",
        type=_seconds,
        default=DEFAULT_TOKEN_LIFETIME,
        help="bearer lifetime in seconds",
    )
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow listening beyond loopback"
    )
    parser.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="keep accounts, pairings, bearers and systems in FILE across restarts "
        "(read at start if it exists, instead of the scenario; saved on changes and at exit)",
    )
    parser.add_argument(
        "--dump-scenario", action="store_true", help="print the scenario as JSON and exit"
    )
    args = parser.parse_args(argv)
    try:
        check_bind_host(args.host, allow_remote=args.allow_remote)
    except RemoteBindError as err:
        parser.error(str(err))
    return args


def build_scenario(args: argparse.Namespace) -> Scenario:
    """Build the scenario the command line asks for."""
    if args.scenario is not None:
        if args.que:
            raise ScenarioError(
                "--que adds to the built-in scenarios only; put the Que system in the file"
            )
        return load_scenario(args.scenario)
    if args.systems is not None:
        return generate_scenario(args.systems, que_systems=1 if args.que else 0)
    return default_scenario(que=args.que)


async def serve(
    args: argparse.Namespace, scenario: Scenario, stop: asyncio.Event, out: TextIO
) -> None:
    """Serve `scenario` until `stop` is set, after printing where to `out`."""
    separate_que = args.que_port is not None
    cloud = SimulatedCloud(
        scenario,
        command_delay=args.command_delay,
        token_lifetime=args.token_lifetime,
        host=args.host,
        port=args.port,
        que_port=args.que_port or 0,
        separate_que=separate_que,
        allow_remote=args.allow_remote,
        state_file=args.state,
    )
    async with cloud:
        lines = [
            "ActronAir cloud simulator",
            f"  Neo host: {cloud.url}   (admin: {cloud.url}/_sim)",
            f"  Que host: {cloud.que_url}"
            + ("" if separate_que else " (shared with the Neo host)"),
        ]
        if args.state is not None:
            origin = "restored from" if cloud.restored else "new, saved to"
            lines.append(f"  state: {origin} {args.state}")
        for account in cloud.state.summary()["accounts"]:
            password = DEMO_PASSWORD if account["email"] == DEMO_EMAIL else "(as in the scenario)"
            lines.append(
                f"  account: {account['email']} / {password} ({len(account['systems'])} systems)"
            )
        lines.append("Ctrl-C stops it.")
        out.write("\n".join(lines) + "\n")
        out.flush()
        await stop.wait()


async def _run(args: argparse.Namespace, scenario: Scenario) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await serve(args, scenario, stop, sys.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator; return the process's exit status."""
    args = parse_args(argv)
    # Warnings (an unusable state file, a failed save) go to stderr beside the banner.
    logging.basicConfig(format="actronair_neo_sim: %(levelname)s: %(message)s")
    try:
        scenario = build_scenario(args)
        if args.dump_scenario:
            sys.stdout.write(scenario_to_json(scenario) + "\n")
            return 0
        asyncio.run(_run(args, scenario))
    except (ScenarioError, OSError) as err:
        sys.stderr.write(f"actronair_neo_sim: {err}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
