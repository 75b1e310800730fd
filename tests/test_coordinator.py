"""The coordinator: polling, failures, optimistic commands and the devices it keeps."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import aiohttp
from homeassistant.components.climate import (
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.actronair_neo import api
from custom_components.actronair_neo.const import DOMAIN
from custom_components.actronair_neo.coordinator import error_translation
from tests.cloud_mock import NEO_SERIAL, QUE_SERIAL, load
from tests.conftest import advance, finish_actions, flow_sources, start_action

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud

POLL = 30
TRANSLATIONS = (
    Path(__file__).parents[1] / "custom_components" / "actronair_neo" / "translations" / "en.json"
)
AWAY = "UserAirconSettings.AwayMode"
QUIET = "UserAirconSettings.QuietModeEnabled"


def entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """Return the entity id of one of our entities."""
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert found is not None, unique_id
    return found


def state(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """Return the state of one of our entities."""
    current = hass.states.get(entity_id(hass, platform, unique_id))
    assert current is not None
    return current.state


def devices(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return the identifiers of the entry's devices."""
    registry = dr.async_get(hass)
    return {
        ident
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        for domain, ident in device.identifiers
        if domain == DOMAIN
    }


def switch_data(hass: HomeAssistant, key: str) -> dict[str, Any]:
    return {ATTR_ENTITY_ID: entity_id(hass, "switch", f"{NEO_SERIAL}_{key}")}


def turn_on(hass: HomeAssistant, key: str) -> asyncio.Task[Any]:
    """Start turning on one of the Neo's switches (see `start_action`)."""
    return start_action(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, switch_data(hass, key))


def switch_state(hass: HomeAssistant, key: str) -> str:
    """Return the state of one of the Neo's switches."""
    return state(hass, "switch", f"{NEO_SERIAL}_{key}")


# Polling


async def test_steady_state_is_one_status_request_per_system(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A poll reads each system's status and nothing else; the list is re-read hourly."""
    assert mock_cloud.count("systems") == 1
    assert mock_cloud.count("status") == 2
    mock_cloud.requests.clear()

    for _ in range(3):
        await advance(hass, freezer, POLL)
    assert mock_cloud.count("status") == 6
    assert mock_cloud.count("status", "https://que.actronair.com.au") == 3
    assert mock_cloud.count("systems") == 0
    assert mock_cloud.count("token") == 0

    await advance(hass, freezer, 3600)
    assert mock_cloud.count("systems") == 1


async def test_tokens_restored_and_stored(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A valid stored bearer makes no token request; a new one is stored without a reload."""
    assert mock_cloud.count("token") == 0
    coordinator = init_integration.runtime_data.coordinator

    # The cloud stops accepting the bearers: the client exchanges the pairing token once per host.
    mock_cloud.valid_bearers.clear()
    await advance(hass, freezer, POLL)
    assert mock_cloud.count("token") == 2
    bearers = init_integration.data["tokens"]["bearers"]
    assert bearers["https://nimbus.actronair.com.au"]["access_token"] == "at.minted-1"
    assert bearers["https://que.actronair.com.au"]["access_token"] == "at.minted-2"
    assert init_integration.runtime_data.coordinator is coordinator  # not reloaded
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE

    # A restart restores the stored tokens: no token request for the bearer just minted.
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert mock_cloud.made("status", "https://nimbus.actronair.com.au")[-1].authorization == (
        "Bearer at.minted-1"
    )
    assert mock_cloud.made("status", "https://que.actronair.com.au")[-1].authorization == (
        "Bearer at.minted-2"
    )
    assert mock_cloud.count("token") == 2


async def test_auth_failure_starts_one_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A revoked pairing starts re-authentication once, however often the cloud is asked."""
    mock_cloud.valid_bearers.clear()
    mock_cloud.pairing_revoked = True
    coordinator = init_integration.runtime_data.coordinator

    await advance(hass, freezer, POLL)
    for _ in range(3):
        await coordinator.async_refresh()
        await advance(hass, freezer, POLL)

    assert flow_sources(hass) == [SOURCE_REAUTH]
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") == STATE_UNAVAILABLE


@pytest.mark.parametrize(
    "failure",
    [
        {"exception": TimeoutError()},
        {"exception": aiohttp.ServerDisconnectedError()},
        {"status": 500},
        {"status": 502, "body": {"message": "Bad gateway"}},
        {"status": 200, "body": "not json"},
    ],
)
async def test_cloud_failure_makes_entities_unavailable_until_it_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    *,
    caplog: pytest.LogCaptureFixture,
    failure: dict[str, Any],
) -> None:
    """Stale data is never shown as fresh; the loss and the recovery are logged once each."""
    mock_cloud.fail("status", **failure)
    for _ in range(3):
        await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") == STATE_UNAVAILABLE
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") == STATE_UNAVAILABLE
    lost = [r for r in caplog.records if r.levelno == logging.ERROR and "actronair" in r.message]
    assert len(lost) == 1

    mock_cloud.repair("status")
    await advance(hass, freezer, POLL)
    await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE
    assert len([r for r in caplog.records if "recovered" in r.message]) == 1


async def test_rate_limit_stretches_the_next_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """After a 429 the next poll waits as long as the cloud said."""
    mock_cloud.fail("status", status=429, headers={"Retry-After": "120"}, times=1)
    await advance(hass, freezer, POLL)
    asked = mock_cloud.count("status")

    await advance(hass, freezer, POLL)
    await advance(hass, freezer, 60)
    assert mock_cloud.count("status") == asked
    await advance(hass, freezer, 31)
    assert mock_cloud.count("status") == asked + 2
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE


async def test_unknown_serial_rereads_the_systems(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A 404 for a listed system is an incident: the list is checked, the system unavailable."""
    mock_cloud.fail("status", status=404, body={"message": "serial not found"}, times=1)
    await advance(hass, freezer, POLL)
    assert mock_cloud.count("systems") == 2
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") == STATE_UNAVAILABLE
    await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE


# Commands


async def test_command_shows_at_once_and_is_confirmed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Shown before the request, kept while the cloud lags, confirmed by the re-poll burst."""
    action = turn_on(hass, "away")
    assert switch_state(hass, "away") == STATE_ON
    assert mock_cloud.commands() == []
    await finish_actions(hass, freezer, action)
    assert mock_cloud.commands() == [{AWAY: True}]
    polled = mock_cloud.count("status")

    # 3 s later the cloud still shows the old value: the requested one stays.
    await advance(hass, freezer, 3)
    assert mock_cloud.count("status") == polled + 2
    assert switch_state(hass, "away") == STATE_ON

    mock_cloud.reflect(NEO_SERIAL, {AWAY: True})
    await advance(hass, freezer, 7)
    assert mock_cloud.count("status") == polled + 4
    assert switch_state(hass, "away") == STATE_ON
    assert "did not apply" not in caplog.text

    # No more re-polls: the next request is the regular poll.
    await advance(hass, freezer, 10)
    assert mock_cloud.count("status") == polled + 4


async def test_cloud_wins_after_the_burst(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A command the cloud never shows is dropped after the last re-poll, with a warning."""
    action = turn_on(hass, "away")
    await finish_actions(hass, freezer, action)
    await advance(hass, freezer, 3)
    assert switch_state(hass, "away") == STATE_ON
    assert "did not apply" not in caplog.text

    await advance(hass, freezer, 7)
    assert switch_state(hass, "away") == STATE_OFF
    assert "24K01234 did not apply the last change" in caplog.text


async def test_a_late_answer_does_not_let_the_cloud_win(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The first re-poll is answered after the last fell due: only the last one's reading counts.

    The late answer was read before the controller reported back; had it ended the burst, the
    switch would go back off until the last re-poll confirmed the command.
    """
    away = entity_id(hass, "switch", f"{NEO_SERIAL}_away")
    action = start_action(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: away})
    await finish_actions(hass, freezer, action)
    shown: list[str] = []
    async_track_state_change_event(
        hass, [away], lambda event: shown.append(event.data["new_state"].state)
    )
    client = init_integration.runtime_data.client
    read, answer = asyncio.Event(), asyncio.Event()
    status_on_the_wire = client.status

    async def late_status(serial: str) -> api.SystemStatus:
        status = await status_on_the_wire(serial)
        if serial.casefold() == NEO_SERIAL and not read.is_set():
            read.set()
            await answer.wait()
        return status

    polled = mock_cloud.count("status")
    with patch.object(client, "status", late_status):
        freezer.tick(3)
        async_fire_time_changed(hass)  # the first re-poll
        await read.wait()
        mock_cloud.reflect(NEO_SERIAL, {AWAY: True})  # the controller reports back
        freezer.tick(7)
        async_fire_time_changed(hass)  # the last re-poll is due, and waits for the first
        answer.set()
        await hass.async_block_till_done()

    assert mock_cloud.count("status") == polled + 4
    assert STATE_OFF not in shown
    assert switch_state(hass, "away") == STATE_ON
    assert "did not apply" not in caplog.text


async def test_rapid_changes_stack_and_go_out_as_one(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """Two changes in the merge window both show, go out in one request, and settle together."""
    away = turn_on(hass, "away")
    quiet = turn_on(hass, "quiet")
    assert switch_state(hass, "away") == STATE_ON
    assert switch_state(hass, "quiet") == STATE_ON
    await finish_actions(hass, freezer, away, quiet)
    assert mock_cloud.commands() == [{AWAY: True, QUIET: True}]

    # The cloud shows one of them only: both stay until the burst ends, then the cloud wins.
    mock_cloud.reflect(NEO_SERIAL, {AWAY: True})
    await advance(hass, freezer, 3)
    assert switch_state(hass, "quiet") == STATE_ON
    await advance(hass, freezer, 7)
    assert switch_state(hass, "away") == STATE_ON
    assert switch_state(hass, "quiet") == STATE_OFF


async def test_a_later_command_restarts_the_burst(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A second change during the burst keeps the first shown until the second's burst ends."""
    first = turn_on(hass, "away")
    await finish_actions(hass, freezer, first)
    await advance(hass, freezer, 5)
    second = turn_on(hass, "quiet")
    await finish_actions(hass, freezer, second)
    assert mock_cloud.commands() == [{AWAY: True}, {QUIET: True}]

    # 10 s after the first command: its burst was replaced, nothing is dropped yet.
    await advance(hass, freezer, 5)
    assert switch_state(hass, "away") == STATE_ON
    mock_cloud.reflect(NEO_SERIAL, {AWAY: True, QUIET: True})
    await advance(hass, freezer, 5)
    assert switch_state(hass, "away") == STATE_ON
    assert switch_state(hass, "quiet") == STATE_ON


async def test_failed_command_is_withdrawn(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A command the cloud refuses is no longer shown, and the action fails, translated."""
    mock_cloud.fail("command", status=500)
    action = turn_on(hass, "away")
    assert switch_state(hass, "away") == STATE_ON
    with pytest.raises(HomeAssistantError) as raised:
        await finish_actions(hass, freezer, action)
    assert raised.value.translation_key == "server_error"
    assert raised.value.translation_placeholders == {"status": "500"}
    assert switch_state(hass, "away") == STATE_OFF


async def test_failed_command_leaves_earlier_ones_shown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """Only the command that failed is withdrawn; one sent before still waits to be confirmed."""
    away = turn_on(hass, "away")
    await finish_actions(hass, freezer, away)
    mock_cloud.fail("command", exception=aiohttp.ClientConnectionError())
    quiet = turn_on(hass, "quiet")
    with pytest.raises(HomeAssistantError) as raised:
        await finish_actions(hass, freezer, quiet)
    assert raised.value.translation_key == "cannot_connect"
    assert switch_state(hass, "quiet") == STATE_OFF
    assert switch_state(hass, "away") == STATE_ON

    mock_cloud.reflect(NEO_SERIAL, {AWAY: True})
    await advance(hass, freezer, 10)
    assert switch_state(hass, "away") == STATE_ON


async def test_cancelled_action_is_still_confirmed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """An action given up in the merge window still goes out, so it stays shown and is checked."""
    action = turn_on(hass, "away")
    action.cancel()
    with pytest.raises(asyncio.CancelledError):
        await action
    await finish_actions(hass, freezer)
    await hass.async_block_till_done()
    assert mock_cloud.commands() == [{AWAY: True}]
    assert switch_state(hass, "away") == STATE_ON

    await advance(hass, freezer, 10)
    assert switch_state(hass, "away") == STATE_OFF


async def test_invalid_value_is_refused_before_sending(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """Input the system cannot take is a translated validation error; nothing is sent or shown."""
    mock_cloud.reflect(NEO_SERIAL, {"UserAirconSettings.Mode": "AUTO"})
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    climate = entity_id(hass, "climate", f"{NEO_SERIAL}_climate")
    before = hass.states.get(climate)

    # The unit keeps heat and cool at least 2 °C apart in AUTO.
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            CLIMATE_DOMAIN,
            SERVICE_SET_TEMPERATURE,
            {ATTR_ENTITY_ID: climate, ATTR_TARGET_TEMP_LOW: 24, ATTR_TARGET_TEMP_HIGH: 25},
            blocking=True,
        )
    assert raised.value.translation_key == "setpoint_gap"
    assert raised.value.translation_placeholders == {"cool": "25", "heat": "24", "gap": "2"}
    assert mock_cloud.commands() == []
    assert hass.states.get(climate) == before


async def test_command_refused_for_auth_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """An action that finds the pairing revoked asks the user to sign in again."""
    mock_cloud.valid_bearers.clear()
    mock_cloud.pairing_revoked = True
    action = turn_on(hass, "away")
    with pytest.raises(HomeAssistantError) as raised:
        await finish_actions(hass, freezer, action)
    assert raised.value.translation_key == "auth_failed"
    await hass.async_block_till_done()
    assert flow_sources(hass) == [SOURCE_REAUTH]


async def test_command_to_a_vanished_system_rereads_the_systems(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A 404 to a command means the list may have changed: the next poll reads it."""
    mock_cloud.fail("command", status=404, body={"message": "serial not found"})
    action = start_action(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, switch_data(hass, "zone1_zone"))
    with pytest.raises(HomeAssistantError) as raised:
        await finish_actions(hass, freezer, action)
    assert raised.value.translation_key == "system_not_found"
    assert mock_cloud.count("systems") == 1
    await advance(hass, freezer, POLL)
    assert mock_cloud.count("systems") == 2


def test_every_client_error_has_a_message() -> None:
    """Errors the coordinator and actions translate name a message in en.json."""
    translations = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    server = api.ActronServerError("boom", status=503)
    assert error_translation(server) == ("server_error", {"status": "503"})
    errors = [
        api.ActronAuthError("x"),
        api.ActronRateLimitedError("x", retry_after=None),
        api.ActronSystemOfflineError("x"),
        api.ActronSystemNotFoundError("x"),
        api.ActronTimeoutError("x"),
        api.ActronConnectionError("x"),
        server,
        api.ActronInvalidResponseError("x"),
        api.ActronError("x"),
    ]
    for error in errors:
        key, placeholders = error_translation(error)
        message: str = translations["exceptions"][key]["message"]
        assert message.format(**placeholders)


# Devices


async def test_zone_devices_hang_off_their_system(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each system and each zone in use is a device; zones link to their system."""
    assert devices(hass, init_integration) == {
        NEO_SERIAL,
        *(f"{NEO_SERIAL}_zone{index}" for index in range(5)),
        QUE_SERIAL,
        *(f"{QUE_SERIAL}_zone{index}" for index in range(3)),
    }
    registry = dr.async_get(hass)
    by_ident = {
        ident: device
        for device in dr.async_entries_for_config_entry(registry, init_integration.entry_id)
        for _, ident in device.identifiers
    }
    system = by_ident[NEO_SERIAL]
    assert system.name == "NEO_24K01234"
    assert system.manufacturer == "ActronAir"
    assert system.model == "NTB-1000"
    assert system.sw_version == "01.01.032"
    assert system.serial_number == NEO_SERIAL
    assert by_ident[f"{NEO_SERIAL}_zone1"].name == "Kitchen"
    assert by_ident[f"{NEO_SERIAL}_zone1"].via_device_id == system.id
    assert by_ident[f"{QUE_SERIAL}_zone0"].via_device_id == by_ident[QUE_SERIAL].id


async def test_new_system_and_zone_appear(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A zone taken into use shows at the next poll; a new system at the hourly re-read."""
    mock_cloud.reflect(NEO_SERIAL, {"RemoteZoneInfo[5].NV_Exists": True})
    mock_cloud.reflect(NEO_SERIAL, {"RemoteZoneInfo[5].NV_Title": "Garage"})
    await advance(hass, freezer, POLL)
    assert f"{NEO_SERIAL}_zone5" in devices(hass, init_integration)
    assert switch_state(hass, "zone5_zone") != STATE_UNAVAILABLE

    third = copy.deepcopy(mock_cloud.systems[0]) | {"serial": "26n09999", "description": "Shed"}
    mock_cloud.systems.append(third)
    mock_cloud.statuses["26n09999"] = load("status_neo_full.json")
    await advance(hass, freezer, POLL)
    assert "26n09999" not in devices(hass, init_integration)

    await advance(hass, freezer, 3600)
    assert {"26n09999", "26n09999_zone0"} <= devices(hass, init_integration)
    assert state(hass, "climate", "26n09999_climate") != STATE_UNAVAILABLE


async def test_stale_system_and_zone_are_removed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A zone out of use and a system gone from the account lose their devices and entities."""
    mock_cloud.reflect(NEO_SERIAL, {"RemoteZoneInfo[4].NV_Exists": False})
    await advance(hass, freezer, POLL)
    assert f"{NEO_SERIAL}_zone4" not in devices(hass, init_integration)
    assert (
        er.async_get(hass).async_get_entity_id("switch", DOMAIN, f"{NEO_SERIAL}_zone4_zone") is None
    )

    # The Que system leaves the account: its status is 404 and the list no longer has it. One
    # list without it could be the cloud's hiccup: it is unavailable but kept until the next.
    mock_cloud.systems = mock_cloud.systems[:1]
    del mock_cloud.statuses[QUE_SERIAL]
    await advance(hass, freezer, POLL)
    assert f"{QUE_SERIAL}_zone0" in devices(hass, init_integration)
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") == STATE_UNAVAILABLE
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE
    await advance(hass, freezer, POLL)
    assert not {ident for ident in devices(hass, init_integration) if ident.startswith(QUE_SERIAL)}
    assert (
        er.async_get(hass).async_get_entity_id("climate", DOMAIN, f"{QUE_SERIAL}_climate") is None
    )
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE


async def test_zone_devices_of_an_unread_system_are_kept(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A system whose status cannot be read keeps its zones: nothing says they are gone."""
    mock_cloud.fail("status", status=503, body={"type": "unavailable"}, serial=QUE_SERIAL)
    mock_cloud.reflect(QUE_SERIAL, {"RemoteZoneInfo[0].NV_Exists": False})
    await advance(hass, freezer, POLL)
    assert f"{QUE_SERIAL}_zone0" in devices(hass, init_integration)
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") == STATE_UNAVAILABLE
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE
