"""Binary sensors: filter, defrosting, a cloud connection that outlives an offline controller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
import pytest

from tests.cloud_mock import NEO_SERIAL, QUE_SERIAL
from tests.platforms import only_platforms_fixture, setup_integration, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud
    from tests.conftest import Poll, SnapshotEntities

_binary_sensors_only = only_platforms_fixture(Platform.BINARY_SENSOR)


@pytest.mark.usefixtures("init_integration")
async def test_entities(hass: HomeAssistant, snapshot_entities: SnapshotEntities) -> None:
    """Both systems get the three; the Que's filter needs cleaning."""
    await snapshot_entities()
    assert state(hass, "binary_sensor.beach_house_filter").state == STATE_ON
    assert state(hass, "binary_sensor.neo_24k01234_filter").state == STATE_OFF


@pytest.mark.parametrize(
    ("live", "alerts", "expected"),
    [
        (True, False, STATE_ON),
        (False, True, STATE_ON),
        (False, False, STATE_OFF),
        (None, None, None),  # neither flag reported: no sensor
    ],
)
async def test_defrosting_reads_either_flag(
    hass: HomeAssistant,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
    *,
    live: bool | None,
    alerts: bool | None,
    expected: str | None,
) -> None:
    """LiveAircon.Defrost or Alerts.Defrosting: either says the unit defrosts."""
    document = mock_cloud.statuses[NEO_SERIAL]["lastKnownState"]
    for block, key, value in (("LiveAircon", "Defrost", live), ("Alerts", "Defrosting", alerts)):
        if value is None:
            del document[block][key]
        else:
            document[block][key] = value
    await setup_integration(hass, mock_config_entry)
    found = hass.states.get("binary_sensor.neo_24k01234_defrosting")
    assert (found.state if found else None) == expected


async def test_a_system_without_alerts_has_no_filter_sensor(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """A sensor is only created for a flag the status carries."""
    del mock_cloud.statuses[QUE_SERIAL]["lastKnownState"]["Alerts"]
    await setup_integration(hass, mock_config_entry)
    assert hass.states.get("binary_sensor.beach_house_filter") is None
    assert state(hass, "binary_sensor.beach_house_cloud_connection").state == STATE_ON


async def test_cloud_connection_shows_an_offline_controller(
    hass: HomeAssistant, mock_cloud: MockCloud, poll: Poll
) -> None:
    """While the controller is offline its flags are unavailable, the connection reads off."""
    connection = "binary_sensor.neo_24k01234_cloud_connection"
    assert state(hass, connection).state == STATE_ON

    mock_cloud.statuses[NEO_SERIAL]["isOnline"] = False
    await poll()
    assert state(hass, connection).state == STATE_OFF
    assert state(hass, "binary_sensor.neo_24k01234_filter").state == STATE_UNAVAILABLE
    assert state(hass, "binary_sensor.beach_house_cloud_connection").state == STATE_ON

    # When the cloud itself cannot be read, nobody knows: unavailable.
    mock_cloud.fail("status", status=500)
    await poll()
    assert state(hass, connection).state == STATE_UNAVAILABLE

    mock_cloud.repair("status")
    mock_cloud.statuses[NEO_SERIAL]["isOnline"] = True
    await poll()
    assert state(hass, connection).state == STATE_ON
    assert state(hass, "binary_sensor.neo_24k01234_filter").state == STATE_OFF
