"""Switches: what exists, what each sends on the wire, and how failures show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.exceptions import HomeAssistantError
import pytest

from tests.cloud_mock import NEO_SERIAL, QUE_SERIAL
from tests.conftest import advance, finish_actions, start_action
from tests.platforms import call, only_platforms_fixture, setup_integration, state

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud
    from tests.conftest import Poll, SnapshotEntities

_switches_only = only_platforms_fixture(Platform.SWITCH)


@pytest.mark.usefixtures("init_integration")
async def test_entities(hass: HomeAssistant, snapshot_entities: SnapshotEntities) -> None:
    """The Neo gets every setting and a switch per zone in use; the Que has no turbo."""
    await snapshot_entities()
    assert hass.states.get("switch.neo_24k01234_turbo") is not None
    assert hass.states.get("switch.beach_house_turbo") is None
    # Five zones in use on the Neo (slots 5-7 unused), three on the Que.
    assert len(hass.states.async_entity_ids(SWITCH_DOMAIN)) == 4 + 5 + 3 + 3


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("entity_id", "service", "sent", "expected"),
    [
        ("switch.neo_24k01234_away_mode", SERVICE_TURN_ON, {"AwayMode": True}, STATE_ON),
        ("switch.neo_24k01234_quiet_mode", SERVICE_TURN_ON, {"QuietModeEnabled": True}, STATE_ON),
        ("switch.neo_24k01234_turbo", SERVICE_TURN_ON, {"TurboMode.Enabled": True}, STATE_ON),
        # Continuous fan keeps the speed: HIGH+CONT -> HIGH.
        ("switch.neo_24k01234_continuous_fan", SERVICE_TURN_OFF, {"FanMode": "HIGH"}, STATE_OFF),
        ("switch.study_zone", SERVICE_TURN_ON, {"EnabledZones[4]": True}, STATE_ON),
        ("switch.living_zone", SERVICE_TURN_OFF, {"EnabledZones[0]": False}, STATE_OFF),
    ],
)
async def test_neo_actions(
    hass: HomeAssistant,
    mock_cloud: MockCloud,
    *,
    entity_id: str,
    service: str,
    sent: dict[str, object],
    expected: str,
) -> None:
    """Each action sends its one key and shows the new state at once, before the cloud does."""
    assert state(hass, entity_id).state != expected
    assert (await call(hass, SWITCH_DOMAIN, service, entity_id)).state == expected
    assert mock_cloud.commands(NEO_SERIAL) == [
        {f"UserAirconSettings.{key}": value for key, value in sent.items()}
    ]


@pytest.mark.usefixtures("init_integration")
async def test_que_continuous_fan_off_keeps_the_speed(
    hass: HomeAssistant, mock_cloud: MockCloud
) -> None:
    """The Que reports LOW-CONT: switching continuous fan off sends LOW."""
    entity_id = "switch.beach_house_continuous_fan"
    assert state(hass, entity_id).state == STATE_ON
    assert (await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, entity_id)).state == STATE_OFF
    assert mock_cloud.commands(QUE_SERIAL) == [{"UserAirconSettings.FanMode": "LOW"}]


async def test_que_continuous_fan_on_again_keeps_its_suffix_style(
    hass: HomeAssistant, mock_cloud: MockCloud, poll: Poll
) -> None:
    """Once the Que shows LOW, switching continuous fan on again sends its LOW-CONT style."""
    entity_id = "switch.beach_house_continuous_fan"
    await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, entity_id)
    mock_cloud.reflect(QUE_SERIAL, {"UserAirconSettings.FanMode": "LOW"})
    await poll()
    assert state(hass, entity_id).state == STATE_OFF
    assert (await call(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, entity_id)).state == STATE_ON
    assert mock_cloud.commands(QUE_SERIAL) == [
        {"UserAirconSettings.FanMode": "LOW"},
        {"UserAirconSettings.FanMode": "LOW-CONT"},
    ]


async def test_quiet_mode_of_a_que_reads_quiet_mode(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """The Que only reports QuietMode; the switch shows it and sends QuietModeEnabled."""
    await setup_integration(hass, mock_config_entry)
    entity_id = "switch.beach_house_quiet_mode"
    assert state(hass, entity_id).state == STATE_ON
    assert (await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, entity_id)).state == STATE_OFF
    assert mock_cloud.commands(QUE_SERIAL) == [{"UserAirconSettings.QuietModeEnabled": False}]


async def test_que_quiet_mode_change_is_confirmed_by_quiet_mode(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_cloud: MockCloud,
    poll: Poll,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The Que shows the change under QuietMode: the first re-poll confirms it, none is held.

    Once confirmed, the change no longer overlays the cloud: when the wall controller switches
    quiet mode back on, the next re-poll (of a later away change) shows it, and neither change is
    reported as not applied.
    """
    quiet, away = "switch.beach_house_quiet_mode", "switch.beach_house_away_mode"
    action = start_action(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: quiet})
    await finish_actions(hass, freezer, action)
    assert mock_cloud.commands(QUE_SERIAL) == [{"UserAirconSettings.QuietModeEnabled": False}]
    assert state(hass, quiet).state == STATE_OFF

    # The Que reports back under the only key it has; the first re-poll reads it.
    mock_cloud.reflect(QUE_SERIAL, {"UserAirconSettings.QuietMode": False})
    await advance(hass, freezer, 3)
    assert state(hass, quiet).state == STATE_OFF

    # Someone turns quiet mode on at the wall, then away mode is switched on here.
    mock_cloud.reflect(QUE_SERIAL, {"UserAirconSettings.QuietMode": True})
    action = start_action(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: away})
    await finish_actions(hass, freezer, action)
    mock_cloud.reflect(QUE_SERIAL, {"UserAirconSettings.AwayMode": True})
    await advance(hass, freezer, 3)
    assert state(hass, away).state == STATE_ON
    assert state(hass, quiet).state == STATE_ON

    await advance(hass, freezer, 7)
    await poll()
    assert state(hass, away).state == STATE_ON
    assert state(hass, quiet).state == STATE_ON
    assert "did not apply" not in caplog.text


async def test_settings_the_status_lacks_have_no_switch(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """No away switch without AwayMode, no continuous fan without a fan mode."""
    settings = mock_cloud.statuses[QUE_SERIAL]["lastKnownState"]["UserAirconSettings"]
    del settings["AwayMode"], settings["FanMode"]
    await setup_integration(hass, mock_config_entry)
    assert hass.states.get("switch.beach_house_away_mode") is None
    assert hass.states.get("switch.beach_house_continuous_fan") is None
    assert hass.states.get("switch.beach_house_quiet_mode") is not None


@pytest.mark.usefixtures("init_integration")
async def test_offline_controller_fails_the_action_and_keeps_the_state(
    hass: HomeAssistant, mock_cloud: MockCloud
) -> None:
    """A 503 'unavailable' answer is a translated error; the switch shows the old state again."""
    mock_cloud.fail(
        "command", status=503, body={"correlationId": "c", "type": "unavailable", "value": None}
    )
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, "switch.neo_24k01234_away_mode")
    assert raised.value.translation_key == "system_offline"
    # The command's optimistic state is withdrawn and the system marked offline.
    assert state(hass, "switch.neo_24k01234_away_mode").state == STATE_UNAVAILABLE
    assert state(hass, "switch.beach_house_away_mode").state == STATE_OFF


@pytest.mark.usefixtures("init_integration")
async def test_cloud_failure_restores_the_state(hass: HomeAssistant, mock_cloud: MockCloud) -> None:
    """A server error is a translated HomeAssistantError and the old state shows again."""
    mock_cloud.fail("command", status=500)
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, SWITCH_DOMAIN, SERVICE_TURN_OFF, "switch.living_zone")
    assert raised.value.translation_key == "server_error"
    assert raised.value.translation_placeholders == {"status": "500"}
    assert state(hass, "switch.living_zone").state == STATE_ON
