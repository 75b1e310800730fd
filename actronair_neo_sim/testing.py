"""Pytest fixtures: the simulated cloud on ephemeral loopback ports, driven by a manual clock.

Load them from the top-level conftest with `pytest_plugins = ["actronair_neo_sim.testing"]`, or
import them into a conftest. `sim_cloud` serves the demo account plus a Que system on a separate Que
host, with the vendor's 3 s command delay: move `sim_clock` to let commands show (or set
`sim_cloud.state.command_delay = 0`). Tests that use Home Assistant's `freezer` can build their own
cloud with the default `system_clock`, which follows freezegun.
"""

from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from .clock import ManualClock
from .cloud import SimulatedCloud
from .scenario import default_scenario

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
import contextlib


@pytest.fixture
def sim_clock() -> ManualClock:
    """Give a clock that moves only when the test says so."""
    return ManualClock()


@pytest_asyncio.fixture
async def sim_cloud(
    sim_clock: ManualClock, request: pytest.FixtureRequest
) -> AsyncIterator[SimulatedCloud]:
    """Run the demo cloud (two Neo systems, a Que system) for the test's duration."""
    # Home Assistant's harness blocks sockets unless a test asks for pytest-socket's
    # `socket_enabled` (connections stay limited to 127.0.0.1); without that plugin nothing is
    # blocked and the fixture does not exist.
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")
    async with SimulatedCloud(default_scenario(que=True), clock=sim_clock) as cloud:
        yield cloud
