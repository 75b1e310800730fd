"""Helpers of the entity platform tests: chosen platforms, state, and service calls."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from homeassistant.const import ATTR_ENTITY_ID
import pytest

from tests.conftest import pass_merge_window, start_action

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from homeassistant.const import Platform
    from homeassistant.core import HomeAssistant, State
    from pytest_homeassistant_custom_component.common import MockConfigEntry


@contextmanager
def only_platforms(*platforms: Platform) -> Iterator[None]:
    """Set up only these platforms."""
    with patch("custom_components.actronair_neo.PLATFORMS", list(platforms)):
        yield


def only_platforms_fixture(*platforms: Platform) -> Callable[[], Iterator[None]]:
    """Return an autouse fixture that sets up only these platforms in every test of a module."""

    @pytest.fixture(autouse=True)
    def only_these() -> Iterator[None]:
        with only_platforms(*platforms):
            yield

    return only_these


async def setup_integration(
    hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any] | None = None
) -> None:
    """Set the entry up, with these options (after a test edited the mock cloud)."""
    entry.add_to_hass(hass)
    if options:
        hass.config_entries.async_update_entry(entry, options=options)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> State:
    """Call an entity service, waiting for it; return the entity's state right after.

    The command goes out when the client's merge window is over, as it does in use.
    """
    action = start_action(hass, domain, service, {ATTR_ENTITY_ID: entity_id, **data})
    pass_merge_window(hass)
    await action
    return state(hass, entity_id)


def state(hass: HomeAssistant, entity_id: str) -> State:
    """Return an entity's state, which must exist."""
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found
