"""`scripts/develop`: the simulator and a real Home Assistant with this integration, ready to use.

Onboarding goes through Home Assistant's REST API (owner `demo`, with a password made on the first
start and kept in the config directory), the simulator's demo account is added through the
integration's real config flow (unless --no-entry), the URL and credentials are printed, and
Ctrl-C stops both servers.
"""

import argparse
import os
from pathlib import Path
import secrets
import select
import signal
import sys
import time

import demo_account
import demo_dashboard
from demo_ha import HomeAssistantApi, wait_until
from demo_stack import TRACKED_CONFIG, Stack, StackSettings

OWNER_NAME = "Demo"
OWNER_USERNAME = "demo"
OWNER_FILE = ".demo_owner"
# The simulator's memory (git-ignored with the rest of the config directory's runtime state).
SIMULATOR_STATE_FILE = "simulator-state.json"
STARTUP_TIMEOUT = 240.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="scripts/develop", description=__doc__)
    parser.add_argument(
        "--no-entry",
        action="store_true",
        help="start without the ActronAir Neo entry (an existing one is removed), "
        "to try the config flow by hand",
    )
    parser.add_argument(
        "--port", type=int, default=8123, help="Home Assistant's port (default %(default)s)"
    )
    parser.add_argument(
        "--sim-port", type=int, default=8765, help="the simulator's port (default %(default)s)"
    )
    parser.add_argument(
        "--command-delay",
        type=float,
        default=None,
        help="seconds the simulated wall controller takes to apply a command "
        "(default: the simulator's own)",
    )
    parser.add_argument(
        "--config-dir",
        type=Path,
        default=TRACKED_CONFIG,
        help="Home Assistant's config directory (default: the repository's config/)",
    )
    return parser.parse_args(argv)


def owner_password(config_dir: Path) -> str:
    """Return the owner's password: made once per config directory, as a fixed one is guessable."""
    path = config_dir / OWNER_FILE
    if not path.exists():
        config_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(9) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def sign_in(api: HomeAssistantApi, password: str) -> None:
    """Onboard a new Home Assistant, or sign in to one onboarded before."""
    if api.onboarding_done():
        api.login(username=OWNER_USERNAME, password=password)
    else:
        say("onboarding Home Assistant")
        api.onboard(name=OWNER_NAME, username=OWNER_USERNAME, password=password)


def prepare_entry(api: HomeAssistantApi, *, wanted: bool) -> None:
    """Add the demo account (and its dashboard), or remove every entry when none is wanted."""
    if not wanted:
        demo_account.remove_entries(api)
        return
    existing = demo_account.entries(api)
    if not existing:
        say(f"adding {demo_account.EMAIL} through the config flow")
        demo_account.add_entry(api)
    elif demo_account.settle(api, existing[0]["entry_id"])["state"] != demo_account.LOADED:
        # The simulator remembers the entry's pairing in its state file; without that file (a
        # config directory from before it existed, or one deleted or unreadable) the pairing is
        # unknown to it and the entry asks to sign in again, as it would for a user.
        say(
            f"signing {demo_account.EMAIL} in again "
            f"(the simulator had no usable {SIMULATOR_STATE_FILE})"
        )
        demo_account.reauthenticate(api)
        demo_account.wait_until_loaded(api, existing[0]["entry_id"])
    if demo_dashboard.install_dashboard(api):
        say("dashboard created")


def wait_for_stop(stack: Stack) -> list[str]:
    """Block until Ctrl-C / SIGTERM or until a child exits; return the children that exited."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end)
    for signum in (signal.SIGINT, signal.SIGTERM):
        # A handler that does nothing: the wake-up descriptor carries the signal to select().
        signal.signal(signum, lambda *_: None)
    # A pidfd turns readable when its process exits, without reaping it (Popen still can).
    pidfds = {os.pidfd_open(process.pid): name for name, process in stack.children().items()}
    readable, _, _ = select.select([read_end, *pidfds], [], [])
    return [pidfds[fd] for fd in readable if fd in pidfds]


def say(message: str) -> None:
    """Tell the developer what is happening."""
    sys.stderr.write(f"\033[1m==> {message}\033[0m\n")


def ready_message(stack: Stack, password: str, elapsed: float, *, no_entry: bool) -> str:
    """Return what the developer needs: where to look, how to sign in, where the logs are."""
    hint = "   <- add it in Settings -> Devices & services" if no_entry else ""
    page = "config/integrations/dashboard" if no_entry else demo_dashboard.URL_PATH
    return (
        f"\nActronAir Neo demo ready in {elapsed:.0f} s\n"
        f"  Home Assistant  {stack.ha_url}/{page}\n"
        f"  sign in as      {OWNER_USERNAME} / {password}\n"
        f"  cloud account   {demo_account.EMAIL} / {demo_account.PASSWORD}{hint}\n"
        f"  simulator       {stack.sim_url}\n"
        f"  logs            {stack.ha_log}\n"
        f"                  {stack.sim_log}\n"
        "Ctrl-C stops both.\n"
    )


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    """Run the demo until Ctrl-C."""
    args = parse_args(argv)
    # Ctrl-C or SIGTERM while starting: unwind, which stops whatever child already runs (also when
    # started from a shell that ignores SIGINT in background jobs).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    password = owner_password(args.config_dir)
    settings = StackSettings(
        config_dir=args.config_dir,
        ha_port=args.port,
        sim_port=args.sim_port,
        command_delay=args.command_delay,
        state_file=args.config_dir / SIMULATOR_STATE_FILE,
    )
    stack = Stack(settings)
    say(f"starting the simulator ({stack.sim_url}) and Home Assistant ({stack.ha_url})")
    with stack:
        sign_in(stack.api, password)
        wait_until(stack.api.is_running, timeout=STARTUP_TIMEOUT, what="Home Assistant to start")
        prepare_entry(stack.api, wanted=not args.no_entry)
        elapsed = time.monotonic() - started
        sys.stdout.write(ready_message(stack, password, elapsed, no_entry=args.no_entry))
        sys.stdout.flush()
        if exited := wait_for_stop(stack):
            say(f"{' and '.join(exited)} exited on its own (see the logs): stopping")
            return 1
        say("stopping")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        say("stopped")
        sys.exit(130)
