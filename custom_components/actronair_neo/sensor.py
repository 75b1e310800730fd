"""Sensors: a system's readings, each zone's readings, and the zones' wireless sensors.

A sensor is only created when the status carries its value (no power sensor without `CompPower`,
no zone humidity for a zone that reports none); systems and zones showing up later get theirs then.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfPower,
    UnitOfTemperature,
)

from .entity import (
    ActronEntity,
    ActronZoneEntity,
    Candidate,
    candidate,
    entity_platform,
    zone_unique_id,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import datetime

    from homeassistant.helpers.typing import StateType

    from .api import SystemStatus, Zone
    from .coordinator import ActronCoordinator

PARALLEL_UPDATES = 0


@dataclass(frozen=True, slots=True)
class WirelessSensor:
    """A zone's wireless sensor, from the zone's `Sensors` and the system's peripherals."""

    serial: str
    battery: float | None
    rssi: float | None
    signal: int | None


def wireless_sensors(status: SystemStatus, zone_index: int) -> dict[str, WirelessSensor]:
    """Return a zone's wireless sensors keyed by their case-folded serial."""
    listed = {sensor.serial.casefold(): sensor for sensor in status.zones[zone_index].sensors}
    peripherals = {
        peripheral.serial.casefold(): peripheral
        for peripheral in status.peripherals
        if peripheral.serial and peripheral.zone_index == zone_index
    }
    found = {}
    for key in sorted(listed.keys() | peripherals.keys()):
        sensor, peripheral = listed.get(key), peripherals.get(key)
        battery = sensor.battery if sensor else None
        if battery is None and peripheral:
            battery = peripheral.battery
        found[key] = WirelessSensor(
            serial=sensor.serial if sensor else key.upper(),
            battery=battery,
            rssi=peripheral.rssi if peripheral else None,
            signal=sensor.signal if sensor else None,
        )
    return found


def _outdoor_temperature(status: SystemStatus) -> float | None:
    """Return the outdoor temperature the controller shows, else the outdoor unit's reading."""
    if (temperature := status.master.outdoor_temperature) is not None:
        return temperature
    return status.outdoor.ambient_temperature


@dataclass(frozen=True, kw_only=True)
class ActronSensorEntityDescription(SensorEntityDescription):
    """A reading of a system."""

    value_fn: Callable[[SystemStatus], StateType | datetime]


@dataclass(frozen=True, kw_only=True)
class ActronZoneSensorEntityDescription(SensorEntityDescription):
    """A reading of a zone."""

    value_fn: Callable[[Zone], StateType]


@dataclass(frozen=True, kw_only=True)
class ActronWirelessSensorEntityDescription(SensorEntityDescription):
    """A reading of a zone's wireless sensor (the key and name get the sensor's serial)."""

    value_fn: Callable[[WirelessSensor], StateType]


SYSTEM_SENSORS: tuple[ActronSensorEntityDescription, ...] = (
    ActronSensorEntityDescription(
        key="indoor_temperature",
        translation_key="indoor_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda status: status.master.temperature,
    ),
    ActronSensorEntityDescription(
        key="indoor_humidity",
        translation_key="indoor_humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda status: status.master.humidity,
    ),
    ActronSensorEntityDescription(
        key="outdoor_temperature",
        translation_key="outdoor_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_outdoor_temperature,
    ),
    ActronSensorEntityDescription(
        key="compressor_capacity",
        translation_key="compressor_capacity",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda status: status.live.compressor_capacity,
    ),
    ActronSensorEntityDescription(
        key="compressor_power",
        translation_key="compressor_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda status: status.outdoor.compressor_power,
    ),
    ActronSensorEntityDescription(
        key="last_contact",
        translation_key="last_contact",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda status: status.last_contact,
    ),
)

ZONE_SENSORS: tuple[ActronZoneSensorEntityDescription, ...] = (
    # Named by their device class: "<zone> Temperature", "<zone> Humidity".
    ActronZoneSensorEntityDescription(
        key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda zone: zone.temperature,
    ),
    ActronZoneSensorEntityDescription(
        key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda zone: zone.humidity,
    ),
    ActronZoneSensorEntityDescription(
        key="damper_position",
        translation_key="damper_position",
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda zone: zone.damper_percent,
    ),
)

WIRELESS_SENSORS: tuple[ActronWirelessSensorEntityDescription, ...] = (
    ActronWirelessSensorEntityDescription(
        key="battery",
        translation_key="sensor_battery",
        device_class=SensorDeviceClass.BATTERY,
        entity_category=EntityCategory.DIAGNOSTIC,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda sensor: sensor.battery,
    ),
    ActronWirelessSensorEntityDescription(
        key="signal_strength",
        translation_key="sensor_signal_strength",
        entity_registry_enabled_default=False,  # radio detail few people need
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        entity_category=EntityCategory.DIAGNOSTIC,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda sensor: sensor.rssi,
    ),
    ActronWirelessSensorEntityDescription(
        key="signal",
        translation_key="sensor_signal",
        entity_registry_enabled_default=False,  # radio detail few people need
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda sensor: sensor.signal,
    ),
)


def _entities(
    coordinator: ActronCoordinator, serial: str, status: SystemStatus
) -> Iterator[Candidate]:
    """Yield the sensors of a system, its zones and their wireless sensors that have a value."""
    for description in SYSTEM_SENSORS:
        if description.value_fn(status) is not None:
            yield candidate(ActronSensor, coordinator, serial, description)
    for zone in status.zones:
        if zone.exists:
            yield from _zone_entities(coordinator, serial, status, zone)


def _zone_entities(
    coordinator: ActronCoordinator, serial: str, status: SystemStatus, zone: Zone
) -> Iterator[Candidate]:
    for description in ZONE_SENSORS:
        if description.value_fn(zone) is not None:
            yield candidate(ActronZoneSensor, coordinator, serial, description, zone=zone.index)
    for key, sensor in wireless_sensors(status, zone.index).items():
        for wireless in WIRELESS_SENSORS:
            if wireless.value_fn(sensor) is not None:
                yield Candidate(
                    zone_unique_id(serial, zone.index, _wireless_key(key, wireless)),
                    partial(ActronWirelessSensor, coordinator, serial, zone.index, key, wireless),
                )


def _wireless_key(sensor_key: str, description: ActronWirelessSensorEntityDescription) -> str:
    """Return the entity key of a wireless sensor's reading: the sensor's serial and the reading."""
    return f"sensor_{sensor_key}_{description.key}"


async_setup_entry = entity_platform(_entities)


class ActronSensor(ActronEntity, SensorEntity):
    """A reading of a system."""

    entity_description: ActronSensorEntityDescription

    @property
    def native_value(self) -> StateType | datetime:
        """Return the reading."""
        return self.entity_description.value_fn(self.status)


class ActronZoneSensor(ActronZoneEntity, SensorEntity):
    """A reading of a zone."""

    entity_description: ActronZoneSensorEntityDescription

    @property
    def native_value(self) -> StateType:
        """Return the reading."""
        return self.entity_description.value_fn(self.zone)


class ActronWirelessSensor(ActronZoneEntity, SensorEntity):
    """A reading of a zone's wireless sensor; unavailable once the sensor leaves the zone."""

    entity_description: ActronWirelessSensorEntityDescription

    def __init__(
        self,
        coordinator: ActronCoordinator,
        serial: str,
        zone_index: int,
        sensor_key: str,
        description: ActronWirelessSensorEntityDescription,
    ) -> None:
        """Key the entity by the wireless sensor's serial as well."""
        super().__init__(
            coordinator,
            serial,
            zone_index,
            replace(description, key=_wireless_key(sensor_key, description)),
        )
        self.sensor_key = sensor_key
        self._attr_translation_placeholders = {"sensor": sensor_key.upper()}

    @property
    def _sensor(self) -> WirelessSensor | None:
        return wireless_sensors(self.status, self.zone_index).get(self.sensor_key)

    @property
    def available(self) -> bool:
        """Return True while the zone is available and the sensor still belongs to it."""
        return super().available and self._sensor is not None

    @property
    def native_value(self) -> StateType:
        """Return the reading."""
        sensor = self._sensor
        return None if sensor is None else self.entity_description.value_fn(sensor)
