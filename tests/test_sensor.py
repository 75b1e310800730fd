"""Sensors: created only for values the status carries, read afresh on every poll."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.components.climate import DOMAIN as CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE
from homeassistant.const import ATTR_TEMPERATURE, STATE_UNAVAILABLE, Platform
from homeassistant.helpers import entity_registry as er
import pytest

from tests.cloud_mock import NEO_SERIAL, QUE_SERIAL
from tests.conftest import advance
from tests.platforms import call, only_platforms, only_platforms_fixture, setup_integration, state

if TYPE_CHECKING:
    from typing import Any

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud
    from tests.conftest import Poll, SnapshotEntities

# A few seconds after the Neo fixture's lastStatusUpdate.
NOW = "2026-11-20T04:12:42.6+00:00"
LAST_CONTACT = "sensor.neo_24k01234_last_contact"

_sensors_only = only_platforms_fixture(Platform.SENSOR)


def _state(cloud: MockCloud, serial: str) -> dict[str, Any]:
    state: dict[str, Any] = cloud.statuses[serial]["lastKnownState"]
    return state


@pytest.mark.usefixtures("mock_cloud", "entity_registry_enabled_by_default")
async def test_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    snapshot_entities: SnapshotEntities,
) -> None:
    """Every reading of both systems, their zones and the Neo's two wireless sensors."""
    freezer.move_to(NOW)
    await setup_integration(hass, mock_config_entry)
    await snapshot_entities()
    # Contact 7.48 s before now (to the second); the Que's controller last talked a day ago.
    assert state(hass, "sensor.neo_24k01234_last_contact").state == "2026-11-20T04:12:35+00:00"
    assert state(hass, "sensor.beach_house_last_contact").state == "2026-11-19T02:09:38+00:00"
    assert state(hass, "sensor.living_damper_position").state == "100.0"  # 20 steps of 5 %
    assert state(hass, "sensor.living_sensor_a1b2c3_signal_strength").state == "-61.0"


async def test_last_contact_moves_only_with_a_new_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A command between polls leaves the last contact alone; a poll with a newer one moves it."""
    freezer.move_to(NOW)
    with only_platforms(Platform.SENSOR, Platform.CLIMATE):
        await setup_integration(hass, mock_config_entry)
        assert state(hass, LAST_CONTACT).state == "2026-11-20T04:12:35+00:00"

        # 20 s later, before the next poll, a command's optimistic state is written.
        freezer.tick(timedelta(seconds=20))
        shown = await call(
            hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, "climate.neo_24k01234", temperature=21
        )
        assert shown.attributes[ATTR_TEMPERATURE] == 21
        assert state(hass, LAST_CONTACT).state == "2026-11-20T04:12:35+00:00"

        # The polls 10 s later (the command's re-polls, the regular one) read a 2 s old contact.
        mock_cloud.statuses[NEO_SERIAL]["timeSinceLastContact"] = "00:00:02.3000000"
        await advance(hass, freezer, 10)
        assert state(hass, LAST_CONTACT).state == "2026-11-20T04:13:10+00:00"

        # A controller in touch all along reports the same age on every answer: each poll moves
        # the moment with it.
        await advance(hass, freezer, 30)
        assert state(hass, LAST_CONTACT).state == "2026-11-20T04:13:40+00:00"


async def test_readings_the_status_lacks_get_no_sensor(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """No power without CompPower, no humidity for a zone without one, no last contact."""
    neo = _state(mock_cloud, NEO_SERIAL)
    del neo["LiveAircon"]["OutdoorUnit"]["CompPower"]
    del neo["RemoteZoneInfo"][1]["LiveHumidity_pc"]
    del mock_cloud.statuses[NEO_SERIAL]["timeSinceLastContact"]
    await setup_integration(hass, mock_config_entry)
    assert hass.states.get("sensor.neo_24k01234_compressor_power") is None
    assert hass.states.get("sensor.kitchen_humidity") is None
    assert hass.states.get("sensor.neo_24k01234_last_contact") is None
    assert state(hass, "sensor.living_humidity").state == "51.2"
    # A non-inverter unit reports 0 W: the reading exists.
    assert state(hass, "sensor.beach_house_compressor_power").state == "0.0"


async def test_outdoor_temperature_falls_back_to_the_outdoor_unit(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """Without the controller's outdoor reading, the outdoor unit's ambient temperature shows."""
    del _state(mock_cloud, NEO_SERIAL)["MasterInfo"]["LiveOutdoorTemp_oC"]
    _state(mock_cloud, NEO_SERIAL)["LiveAircon"]["OutdoorUnit"]["AmbTemp"] = 30.25
    que = _state(mock_cloud, QUE_SERIAL)
    del que["MasterInfo"]["LiveOutdoorTemp_oC"], que["LiveAircon"]["OutdoorUnit"]["AmbTemp"]
    await setup_integration(hass, mock_config_entry)
    assert state(hass, "sensor.neo_24k01234_outdoor_temperature").state == "30.25"
    assert hass.states.get("sensor.beach_house_outdoor_temperature") is None


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_wireless_sensors_merge_the_zone_and_the_peripherals(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """Battery from the zone's Sensors or else the peripheral; a peripheral alone counts too."""
    neo = _state(mock_cloud, NEO_SERIAL)
    del neo["RemoteZoneInfo"][0]["Sensors"]["A1B2C3"]["Battery_pc"]
    peripherals = neo["AirconSystem"]["Peripherals"]
    peripherals[0]["RemainingBatteryCapacity_pc"] = 55.0
    # A sensor only the peripherals know of, assigned (1-based, as the others show) to Bed 2.
    peripherals.append(
        {"SerialNumber": "F0F0F0", "ZoneAssignment": 4, "RemainingBatteryCapacity_pc": 12.0}
    )
    await setup_integration(hass, mock_config_entry)
    assert state(hass, "sensor.living_sensor_a1b2c3_battery").state == "55.0"
    assert state(hass, "sensor.bed_2_sensor_f0f0f0_battery").state == "12.0"
    assert hass.states.get("sensor.bed_2_sensor_f0f0f0_signal") is None


async def test_readings_follow_the_polls(
    hass: HomeAssistant, mock_cloud: MockCloud, poll: Poll
) -> None:
    """A new reading shows on the next poll; a sensor gone from its zone becomes unavailable."""
    mock_cloud.reflect(
        NEO_SERIAL, {"MasterInfo.LiveTemp_oC": 25.5, "RemoteZoneInfo[2].Sensors": {}}
    )
    del _state(mock_cloud, NEO_SERIAL)["AirconSystem"]["Peripherals"][1]
    await poll()
    assert state(hass, "sensor.neo_24k01234_indoor_temperature").state == "25.5"
    assert state(hass, "sensor.master_bed_sensor_d4e5f6_battery").state == STATE_UNAVAILABLE
    assert state(hass, "sensor.living_sensor_a1b2c3_battery").state == "87.0"


async def test_a_reading_that_drops_out_for_a_poll_keeps_its_sensor(
    hass: HomeAssistant, mock_cloud: MockCloud, poll: Poll, caplog: pytest.LogCaptureFixture
) -> None:
    """A value missing from one status must not make the sensor be added twice when it is back."""
    power = _state(mock_cloud, NEO_SERIAL)["LiveAircon"]["OutdoorUnit"].pop("CompPower")
    await poll()
    assert state(hass, "sensor.neo_24k01234_compressor_power").state == "unknown"
    _state(mock_cloud, NEO_SERIAL)["LiveAircon"]["OutdoorUnit"]["CompPower"] = power
    await poll()
    assert state(hass, "sensor.neo_24k01234_compressor_power").state == f"{float(power)}"
    assert "does not generate unique IDs" not in caplog.text


@pytest.mark.usefixtures("mock_cloud")
async def test_signal_sensors_are_disabled_by_default(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, mock_config_entry: MockConfigEntry
) -> None:
    """The radio details are registered but disabled; the battery is on."""
    await setup_integration(hass, mock_config_entry)
    for entity_id in (
        "sensor.living_sensor_a1b2c3_signal_strength",
        "sensor.living_sensor_a1b2c3_signal",
    ):
        entry = entity_registry.async_get(entity_id)
        assert entry is not None
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert hass.states.get(entity_id) is None
    assert state(hass, "sensor.living_sensor_a1b2c3_battery").state == "87.0"
