"""Fixtures of the browser tests: one simulator + Home Assistant per run, Chromium, screenshots.

The stack is the demo's own (`scripts/lib/demo_stack.py`) on free loopback ports, with a short
command delay in the simulator and Python's DeprecationWarnings sent to Home Assistant's log.
Chromium is the system's (`/usr/bin/chromium`, or ACTRONAIR_NEO_CHROMIUM): without it every
browser test is skipped, with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path
import secrets
import shutil
from typing import TYPE_CHECKING, Any, NamedTuple

import demo_account
import demo_dashboard
from demo_ha import HomeAssistantApi, wait_until
from demo_stack import Stack, StackSettings, free_ports
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    expect,
    sync_playwright,
)
import pytest

from .simulator import SimulatorAdmin

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("ACTRONAIR_NEO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Seconds the simulated wall controller takes to apply a command: longer than the integration's
# first confirmation re-poll (3 s), so the browser shows the optimistic state while the cloud still
# shows the old one, and shorter than its second (10 s), which confirms the change.
COMMAND_DELAY = 4.0
# The frontend's first render takes 20-30 s on these machines; waits are for selectors, bounded.
UI_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1280, "height": 900}
OWNER_NAME = "E2E"
OWNER_USERNAME = "e2e"

expect.set_options(timeout=UI_TIMEOUT_MS)


@pytest.fixture(scope="session", autouse=True)
def fresh_artifacts() -> None:
    """Start each run without the screenshots and logs of the one before."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Return the system's Chromium; skip every browser test, with the reason, without it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"no Chromium at {CHROMIUM}: apt-get install -y chromium "
            "(or set ACTRONAIR_NEO_CHROMIUM)"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def owner_password() -> str:
    """Return the password of this run's Home Assistant owner."""
    return secrets.token_urlsafe(12)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, owner_password: str) -> Iterator[Stack]:
    """Run this session's simulator and Home Assistant, onboarded; keep their logs as artifacts."""
    ha_port, sim_port, que_port = free_ports(3)
    settings = StackSettings(
        config_dir=tmp_path_factory.mktemp("home-assistant"),
        ha_port=ha_port,
        sim_port=sim_port,
        que_port=que_port,
        command_delay=COMMAND_DELAY,
        show_deprecations=True,
    )
    with Stack(settings) as running:
        try:
            running.api.onboard(name=OWNER_NAME, username=OWNER_USERNAME, password=owner_password)
            wait_until(running.api.is_running, timeout=120, what="Home Assistant to start")
            yield running
        finally:
            logs = ARTIFACTS / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            for log in (running.ha_log, running.sim_log):
                if log.exists():
                    shutil.copy2(log, logs / log.name)


@pytest.fixture(scope="session")
def ha(stack: Stack) -> HomeAssistantApi:
    """Return Home Assistant's API, signed in as the owner: for set-up and for reading state."""
    return stack.api


@pytest.fixture(scope="session")
def sim(stack: Stack) -> SimulatorAdmin:
    """Return the simulator's admin endpoint."""
    return SimulatorAdmin(stack.sim_url)


@pytest.fixture
def no_entry(ha: HomeAssistantApi) -> None:
    """Start without the ActronAir Neo entry."""
    demo_account.remove_entries(ha)


@pytest.fixture
def entry(ha: HomeAssistantApi, sim: SimulatorAdmin) -> dict[str, Any]:
    """Return the demo account's entry, loaded with every system online and its dashboard built.

    The browser adds the entry in the config flow test; any other test that runs alone gets it
    through the same flow over REST.
    """
    for system in sim.state()["systems"]:
        sim.set_online(system["serial"], online=True)
    existing = demo_account.entries(ha)
    loaded = (
        demo_account.wait_until_loaded(ha, existing[0]["entry_id"])
        if existing
        else demo_account.add_entry(ha)
    )
    demo_dashboard.install_dashboard(ha)
    return loaded


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """Run headless Chromium with a fresh profile."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def signed_in_state(browser: Browser, stack: Stack, owner_password: str) -> dict[str, Any]:
    """Sign in once through Home Assistant's login page; return the stored tokens to reuse."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        page.goto(stack.ha_url)
        page.wait_for_url("**/auth/authorize**")
        page.locator("input[name=username]").fill(OWNER_USERNAME)
        page.locator("input[name=password]").fill(owner_password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_selector("home-assistant-main")
        state: dict[str, Any] = dict(context.storage_state())
    finally:
        context.close()
    return state


@pytest.fixture
def context(browser: Browser, signed_in_state: dict[str, Any]) -> Iterator[BrowserContext]:
    """Open a browser context of the signed-in owner; close it after the test."""
    new_context = browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        storage_state=signed_in_state,  # type: ignore[arg-type]
    )
    yield new_context
    new_context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Open a signed-in page; a failing test leaves a screenshot of where it stood."""
    new_page = context.new_page()
    new_page.set_default_timeout(UI_TIMEOUT_MS)
    yield new_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        new_page.screenshot(path=ARTIFACTS / f"{request.node.name}-failure.png", full_page=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep the call phase's report on the item, for the page fixture's failure screenshot."""
    report = yield
    if call.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


type Screenshot = Callable[[Page | Locator, str], Path]


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshot:
    """Return `screenshot(page_or_element, "step")`: saves artifacts/e2e/<test>-<step>.png."""

    def take(target: Page | Locator, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{step}.png"
        target.screenshot(path=path)
        return path

    return take


class Demo(NamedTuple):
    """What a test of the running demo works with: the stack, its two APIs, and screenshots."""

    stack: Stack
    ha: HomeAssistantApi
    sim: SimulatorAdmin
    screenshot: Screenshot


@pytest.fixture
def demo(
    stack: Stack,
    ha: HomeAssistantApi,
    sim: SimulatorAdmin,
    entry: dict[str, Any],
    screenshot: Screenshot,
) -> Demo:
    """Return the stack with the demo account's entry loaded (see `entry`), and its helpers."""
    del entry  # loaded: the tests need nothing more of it
    return Demo(stack, ha, sim, screenshot)
