"""Two accounts sharing an air conditioner: the entry that set it up first keeps it.

A system's devices and unique ids can belong to one entry only; a second account listing it is
refused when it has nothing else, and otherwise set up without it.
"""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.data_entry_flow import FlowResultType

from custom_components.actronair_neo.const import DOMAIN
from tests.cloud_mock import NEO_SERIAL, PASSWORD, QUE_SERIAL
from tests.test_coordinator import devices

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant
    import pytest
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud

OTHER_EMAIL = "partner@example.com"
OWN_SERIAL = "26k07777"


async def _add_other_account(hass: HomeAssistant) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: OTHER_EMAIL, CONF_PASSWORD: PASSWORD}
    )
    await hass.async_block_till_done()
    return result


async def test_an_account_with_only_shared_systems_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every system of the new account is already served: the flow says so and adds nothing."""
    result = await _add_other_account(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "systems_already_configured"
    assert hass.config_entries.async_entries(DOMAIN) == [init_integration]


async def test_a_shared_system_stays_with_the_first_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The second entry sets up its own system only; no unique id clashes, nothing moves."""
    first = devices(hass, init_integration)
    own = {**mock_cloud.systems[0], "serial": OWN_SERIAL, "description": "Granny flat"}
    mock_cloud.systems = [*mock_cloud.systems, own]
    mock_cloud.statuses[OWN_SERIAL] = copy.deepcopy(mock_cloud.statuses[NEO_SERIAL])
    with caplog.at_level(logging.INFO):
        result = await _add_other_account(hass)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    second = result["result"]
    assert second.state is ConfigEntryState.LOADED

    theirs = devices(hass, second)
    assert theirs
    assert {ident.partition("_zone")[0] for ident in theirs} == {OWN_SERIAL}
    assert devices(hass, init_integration) == first
    assert {NEO_SERIAL, QUE_SERIAL} <= first
    assert "does not generate unique IDs" not in caplog.text
    assert f"System {NEO_SERIAL} is already set up through another account" in caplog.text
