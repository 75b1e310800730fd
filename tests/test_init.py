"""Setting an entry up and unloading it, and the whole flow against the simulator on loopback."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from unittest.mock import patch

import aiohttp
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_EMAIL,
    CONF_PASSWORD,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from actronair_neo_sim import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    ManualClock,
    SimulatedCloud,
    default_scenario,
)
from custom_components.actronair_neo.const import (
    CONF_DEVICE_UNIQUE_ID,
    CONF_TOKENS,
    DOMAIN,
    ENV_API_URL,
    ENV_QUE_API_URL,
)
from tests.cloud_mock import NEO_SERIAL
from tests.conftest import finish_actions, flow_sources, start_action

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    import pytest
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """The entry loads with the systems list and one status per system, then unloads."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert [request.endpoint for request in mock_cloud.requests] == [
        "systems",
        "status",
        "status",
    ]
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert init_integration.state is ConfigEntryState.NOT_LOADED


async def test_failed_unload_keeps_the_client(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """If a platform refuses to unload, the entry keeps running and polling."""
    with patch.object(hass.config_entries, "async_unload_platforms", return_value=False):
        assert not await hass.config_entries.async_unload(init_integration.entry_id)
    assert init_integration.state is ConfigEntryState.FAILED_UNLOAD
    await init_integration.runtime_data.coordinator.async_refresh()
    assert mock_cloud.count("status") == 4


async def test_unreachable_cloud_retries_setup(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """A cloud that cannot be reached makes setup retry later."""
    mock_cloud.fail("systems", exception=aiohttp.ClientConnectionError())
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_revoked_pairing_at_setup_asks_to_sign_in(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """Setup that finds the pairing revoked fails for authentication and starts reauth."""
    mock_cloud.valid_bearers.clear()
    mock_cloud.pairing_revoked = True
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    assert flow_sources(hass) == [SOURCE_REAUTH]


async def test_damaged_tokens_ask_to_sign_in_without_a_request(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """Tokens that cannot be read are replaced by signing in again, not guessed at."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_TOKENS: {"pairing": {}}}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    assert mock_cloud.requests == []
    assert flow_sources(hass) == [SOURCE_REAUTH]


async def test_unload_sends_the_commands_still_waiting(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A command in the merge window is not lost when the entry unloads."""
    away = er.async_get(hass).async_get_entity_id("switch", DOMAIN, f"{NEO_SERIAL}_away")
    action = start_action(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: away})
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await finish_actions(hass, freezer, action)
    assert mock_cloud.commands() == [{"UserAirconSettings.AwayMode": True}]


async def test_whole_flow_against_the_simulator(
    hass: HomeAssistant, socket_enabled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign in, poll, command and confirm over real HTTP against an independent cloud."""
    clock = ManualClock()
    async with SimulatedCloud(default_scenario(que=True), clock=clock) as cloud:
        monkeypatch.setenv(ENV_API_URL, cloud.url)
        monkeypatch.setenv(ENV_QUE_API_URL, cloud.que_url)
        result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: DEMO_EMAIL, CONF_PASSWORD: DEMO_PASSWORD}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
        entry = result["result"]
        assert entry.state is ConfigEntryState.LOADED

        # One user-device on the account, under the entry's identifier.
        (device,) = cloud.state.auth.devices(DEMO_EMAIL)
        assert device.unique_identifier == entry.data[CONF_DEVICE_UNIQUE_ID]
        coordinator = entry.runtime_data.coordinator
        serials = {system.serial for system in cloud.state.systems(DEMO_EMAIL)}
        assert set(coordinator.data) == {serial.casefold() for serial in serials}

        serial = next(iter(sorted(serials))).casefold()
        away = er.async_get(hass).async_get_entity_id("switch", DOMAIN, f"{serial}_away")
        assert away is not None
        assert hass.states.get(away).state == STATE_OFF  # type: ignore[union-attr]
        await hass.services.async_call(
            SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: away}, blocking=True
        )
        assert hass.states.get(away).state == STATE_ON  # type: ignore[union-attr]
        polled = cloud.requests.count("status")

        # The wall controller takes its time: the re-poll 3 s later still reads the old value.
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=3))
        await hass.async_block_till_done(wait_background_tasks=True)
        assert cloud.requests.count("status") == polled + len(serials)
        assert cloud.state.status(serial)["lastKnownState"]["UserAirconSettings"]["AwayMode"] is (
            False
        )
        assert hass.states.get(away).state == STATE_ON  # type: ignore[union-attr]

        # Once it applies the command, the last re-poll confirms it.
        clock.advance(10)
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=10))
        await hass.async_block_till_done(wait_background_tasks=True)
        assert cloud.state.status(serial)["lastKnownState"]["UserAirconSettings"]["AwayMode"]
        assert cloud.requests.count("status") == polled + 2 * len(serials)
        assert hass.states.get(away).state == STATE_ON  # type: ignore[union-attr]

        assert await hass.config_entries.async_unload(entry.entry_id)
