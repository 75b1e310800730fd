"""Fixtures of the security checks: Home Assistant signed in to the simulated cloud."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.faults.harness import sim_session
from tests.security.tokens import TokenLedger

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from tests.faults.harness import SimSession


@pytest.fixture
def tokens() -> TokenLedger:
    """Record every token the simulated cloud mints."""
    return TokenLedger()


@pytest.fixture
async def session(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    *,
    caplog: pytest.LogCaptureFixture,
    tokens: TokenLedger,
    socket_enabled: None,
) -> AsyncIterator[SimSession]:
    """Sign in to the simulated demo cloud (under our own credentials) through the config flow.

    Requests `caplog` first, so that signing in is already captured at debug level.
    """
    async with sim_session(hass, freezer, monkeypatch, before_sign_in=tokens.watch) as signed_in:
        yield signed_in
