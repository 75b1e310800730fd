"""Climate entities: one per system (the air conditioner), one per zone controlling its temperature.

A zone climate follows its system: it offers off and the system's current mode (switching the zone
on or off), and its setpoints stay within the system's setpoint +/- the zone variance.

Home Assistant 2026.11 renamed the temperature members to `native_*`; both spellings are served, so
older cores read theirs and newer ones find the native members without a deprecation warning.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.climate import ClimateEntity, ClimateEntityDescription
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, PRECISION_TENTHS, Platform, UnitOfTemperature
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er

from .api import Command, CompressorMode, HvacMode, SystemStatus, commands
from .const import (
    CONF_ZONE_CLIMATES,
    DOMAIN,
    FAN_SPEED_TO_HA,
    HA_TO_FAN_SPEED,
    HA_TO_HVAC_MODE,
    HVAC_MODE_TO_HA,
    LOGGER,
    zone_key,
)
from .entity import ActronEntity, ActronZoneEntity, candidate, entity_platform, zone_unique_id
from .helpers import actron_command

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import ActronConfigEntry, ActronCoordinator
    from .entity import Candidate

PARALLEL_UPDATES = 0

SETPOINT_STEP = 0.5
# Modes whose single target is the cool setpoint (dry mode cools to it while drying the air).
COOL_TARGET_MODES = frozenset({HvacMode.COOL, HvacMode.DRY})

SYSTEM_CLIMATE = ClimateEntityDescription(key="climate", translation_key="system", name=None)
ZONE_CLIMATE = ClimateEntityDescription(key="climate", name=None)

BASE_FEATURES = ClimateEntityFeature.TURN_ON | ClimateEntityFeature.TURN_OFF


@dataclass(frozen=True, slots=True)
class Setpoints:
    """The setpoints a climate shows in the mode that governs it, and the ranges they may take."""

    mode: HvacMode | None
    cool: float | None
    heat: float | None
    cool_range: tuple[float, float]
    heat_range: tuple[float, float]

    @property
    def features(self) -> ClimateEntityFeature:
        """Return the temperature features the mode offers (none in fan-only mode)."""
        if self.mode is HvacMode.AUTO:
            return ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
        if self.mode in COOL_TARGET_MODES or self.mode is HvacMode.HEAT:
            return ClimateEntityFeature.TARGET_TEMPERATURE
        return ClimateEntityFeature(0)

    @property
    def target(self) -> float | None:
        """Return the single target of a cool, dry or heat mode."""
        if self.mode in COOL_TARGET_MODES:
            return self.cool
        return self.heat if self.mode is HvacMode.HEAT else None

    @property
    def range(self) -> tuple[float, float]:
        """Return the lowest and highest value a target may take in this mode."""
        if self.mode in COOL_TARGET_MODES:
            return self.cool_range
        if self.mode is HvacMode.HEAT:
            return self.heat_range
        return (
            min(self.cool_range[0], self.heat_range[0]),
            max(self.cool_range[1], self.heat_range[1]),
        )

    def requested(self, values: dict[str, Any]) -> tuple[float | None, float | None]:
        """Return the (cool, heat) setpoints a set_temperature call asks for in this mode."""
        cool, heat = values.get(ATTR_TARGET_TEMP_HIGH), values.get(ATTR_TARGET_TEMP_LOW)
        if (target := values.get(ATTR_TEMPERATURE)) is not None:
            if self.mode is HvacMode.HEAT:
                heat = target
            elif self.mode in COOL_TARGET_MODES:
                cool = target
        return cool, heat


def _entities(
    coordinator: ActronCoordinator, serial: str, status: SystemStatus
) -> Iterator[Candidate]:
    """Yield a climate per system, and per zone with its own control or chosen in the options."""
    chosen = coordinator.config_entry.options.get(CONF_ZONE_CLIMATES, ())
    yield candidate(ActronSystemClimate, coordinator, serial, SYSTEM_CLIMATE)
    for zone in status.zones:
        if zone.exists and (zone.itc is True or zone_key(serial, zone.index) in chosen):
            yield candidate(ActronZoneClimate, coordinator, serial, ZONE_CLIMATE, zone=zone.index)


_add_climates = entity_platform(_entities)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ActronConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Forget the zone climates no longer chosen in the options, then add the climates."""
    _remove_unchosen_zone_climates(hass, entry)
    await _add_climates(hass, entry, async_add_entities)


@callback
def _remove_unchosen_zone_climates(hass: HomeAssistant, entry: ActronConfigEntry) -> None:
    """Remove the registry entries of zone climates the options no longer ask for.

    The options only change with a reload, so setup is when a zone climate goes unwanted.
    Without this its entry would stay in the registry, unavailable and restored, for good.
    Only a zone the status shows in use and without its own control is judged: a system not
    read, or a zone its status lacks or says nothing about, keeps its climate.
    """
    coordinator = entry.runtime_data.coordinator
    chosen = entry.options.get(CONF_ZONE_CLIMATES, ())
    registry = er.async_get(hass)
    for serial, status in coordinator.data.items():
        for zone in status.zones:
            key = zone_key(serial, zone.index)
            if not zone.exists or zone.itc is not False or key in chosen:
                continue
            unique_id = zone_unique_id(serial, zone.index, ZONE_CLIMATE.key)
            entity_id = registry.async_get_entity_id(Platform.CLIMATE, DOMAIN, unique_id)
            if entity_id is None:
                continue
            registered = registry.async_get(entity_id)
            if registered is not None and registered.config_entry_id == entry.entry_id:
                LOGGER.debug("Removing %s: its zone is no longer chosen in the options", entity_id)
                registry.async_remove(entity_id)


def system_action(status: SystemStatus) -> HVACAction:
    """Return what the indoor unit is doing, read from its compressor and fan."""
    settings, live = status.settings, status.live
    if settings.is_on is False:
        return HVACAction.OFF
    if live.defrost or status.alerts.defrosting:
        return HVACAction.DEFROSTING
    # A unit that does not report its capacity is taken at its compressor mode's word.
    compressor_works = live.compressor_capacity is None or live.compressor_capacity > 0
    if compressor_works and live.compressor_mode is CompressorMode.HEAT:
        return HVACAction.HEATING
    if compressor_works and live.compressor_mode is CompressorMode.COOL:
        return HVACAction.DRYING if settings.mode is HvacMode.DRY else HVACAction.COOLING
    if settings.mode is HvacMode.FAN or (live.fan_rpm or 0) > 0:
        return HVACAction.FAN
    return HVACAction.IDLE


def _window(centre: float | None, variance: float, low: float, high: float) -> tuple[float, float]:
    """Return centre +/- variance within low..high (all of low..high without a centre)."""
    if centre is None:
        return low, high
    return max(low, min(centre - variance, high)), min(high, max(centre + variance, low))


class ActronClimateEntity(ActronEntity, ClimateEntity):
    """What the system and zone climates share: units, setpoints and their commands."""

    _attr_native_temperature_unit = UnitOfTemperature.CELSIUS  # Home Assistant >= 2026.11
    _attr_temperature_unit = UnitOfTemperature.CELSIUS  # older cores
    _attr_precision = PRECISION_TENTHS
    _attr_target_temperature_step = SETPOINT_STEP

    @abstractmethod
    def _setpoints_in(self, status: SystemStatus) -> Setpoints:
        """Return the setpoints this climate shows in a status."""

    @abstractmethod
    def _setpoint_command(
        self, status: SystemStatus, cool: float | None, heat: float | None
    ) -> Command:
        """Return the command setting these setpoints (None: leave that one alone)."""

    @abstractmethod
    def _hvac_mode_command(self, status: SystemStatus, hvac_mode: HVACMode) -> Command:
        """Return the command switching to an HVAC mode (off included)."""

    @property
    @abstractmethod
    def native_current_temperature(self) -> float | None:
        """Return the measured temperature."""

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """Return the features of the current mode: one target, a range, or none (fan only)."""
        return BASE_FEATURES | self._setpoints_in(self.status).features

    @property
    def min_temp(self) -> float:
        """Return the lowest setpoint the current mode takes."""
        return self._setpoints_in(self.status).range[0]

    @property
    def max_temp(self) -> float:
        """Return the highest setpoint the current mode takes."""
        return self._setpoints_in(self.status).range[1]

    @property
    def native_target_temperature(self) -> float | None:
        """Return the setpoint of a cool, dry or heat mode."""
        return self._setpoints_in(self.status).target

    @property
    def native_target_temperature_high(self) -> float | None:
        """Return the cool setpoint in auto mode."""
        setpoints = self._setpoints_in(self.status)
        return setpoints.cool if setpoints.mode is HvacMode.AUTO else None

    @property
    def native_target_temperature_low(self) -> float | None:
        """Return the heat setpoint in auto mode."""
        setpoints = self._setpoints_in(self.status)
        return setpoints.heat if setpoints.mode is HvacMode.AUTO else None

    # Cores before 2026.11 read these names; newer ones the native_ members above.
    @property
    def current_temperature(self) -> float | None:
        """Return the measured temperature."""
        return self.native_current_temperature

    @property
    def target_temperature(self) -> float | None:
        """Return the setpoint of a cool, dry or heat mode."""
        return self.native_target_temperature

    @property
    def target_temperature_high(self) -> float | None:
        """Return the cool setpoint in auto mode."""
        return self.native_target_temperature_high

    @property
    def target_temperature_low(self) -> float | None:
        """Return the heat setpoint in auto mode."""
        return self.native_target_temperature_low

    @actron_command
    def async_set_temperature(self, /, **kwargs: Any) -> Command:  # noqa: ANN401 - service data
        """Set the setpoint(s), switching mode first when the call names one."""
        status, mode_command = self.status, None
        if (hvac_mode := kwargs.get(ATTR_HVAC_MODE)) is not None:
            # The service checks the mode only in set_hvac_mode; check it here too.
            self._valid_mode_or_raise("hvac", hvac_mode, self.hvac_modes)
            mode_command = self._hvac_mode_command(status, hvac_mode)
            status = status.apply(mode_command)
        cool, heat = self._setpoints_in(status).requested(kwargs)
        command = self._setpoint_command(status, cool, heat)
        return command if mode_command is None else mode_command.merge(command)

    @actron_command
    def async_set_hvac_mode(self, hvac_mode: HVACMode) -> Command:
        """Switch to an HVAC mode (off included)."""
        return self._hvac_mode_command(self.status, hvac_mode)


class ActronSystemClimate(ActronClimateEntity):
    """A system: power, mode, fan speed and the master setpoints."""

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """Return off and the modes the system supports."""
        supported = self.status.settings.supported_modes
        return [HVACMode.OFF, *(ha for mode, ha in HVAC_MODE_TO_HA.items() if mode in supported)]

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Return off while the system is off, else its mode."""
        settings = self.status.settings
        if settings.is_on is False:
            return HVACMode.OFF
        return None if settings.mode is None else HVAC_MODE_TO_HA[settings.mode]

    @property
    def hvac_action(self) -> HVACAction:
        """Return what the indoor unit is doing."""
        return system_action(self.status)

    @property
    def fan_modes(self) -> list[str]:
        """Return the fan speeds of the unit (auto only where it has shown it)."""
        offered = self.coordinator.fan_speeds(self.serial)
        return [ha for speed, ha in FAN_SPEED_TO_HA.items() if speed in offered]

    @property
    def fan_mode(self) -> str | None:
        """Return the fan speed."""
        speed = self.status.settings.fan_speed
        return None if speed is None else FAN_SPEED_TO_HA[speed]

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """Return the zone features plus the fan speed."""
        return super().supported_features | ClimateEntityFeature.FAN_MODE

    @property
    def native_current_temperature(self) -> float | None:
        """Return the wall controller's temperature."""
        return self.status.master.temperature

    @property
    def current_humidity(self) -> float | None:
        """Return the wall controller's humidity."""
        return self.status.master.humidity

    def _setpoints_in(self, status: SystemStatus) -> Setpoints:
        settings, limits = status.settings, status.limits
        return Setpoints(
            mode=settings.mode,
            cool=settings.cool_setpoint,
            heat=settings.heat_setpoint,
            cool_range=(limits.cool_min, limits.cool_max),
            heat_range=(limits.heat_min, limits.heat_max),
        )

    def _setpoint_command(
        self, status: SystemStatus, cool: float | None, heat: float | None
    ) -> Command:
        return commands.setpoints(status, cool=cool, heat=heat)

    def _hvac_mode_command(self, status: SystemStatus, hvac_mode: HVACMode) -> Command:
        if hvac_mode == HVACMode.OFF:
            return commands.power(on=False)
        command = commands.mode(status, HA_TO_HVAC_MODE[hvac_mode])
        return command if status.settings.is_on else command.merge(commands.power(on=True))

    @actron_command
    def async_set_fan_mode(self, fan_mode: str) -> Command:
        """Change the fan speed (continuous fan stays as it is)."""
        return commands.fan_speed(
            self.status,
            HA_TO_FAN_SPEED[fan_mode],
            style=self.coordinator.continuous_style(self.serial),
        )

    @actron_command
    def async_turn_on(self) -> Command:
        """Switch the system on in its last mode."""
        return commands.power(on=True)

    @actron_command
    def async_turn_off(self) -> Command:
        """Switch the system off."""
        return commands.power(on=False)


class ActronZoneClimate(ActronZoneEntity, ActronClimateEntity):
    """A zone: on/off in the system's mode, and its own setpoints near the system's."""

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """Return on/off, and setpoints only where the zone controls its own temperature."""
        if self.zone.itc is not True:  # it follows the system's setpoint
            return BASE_FEATURES
        return super().supported_features

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """Return off and the system's mode."""
        mode = self.status.settings.mode
        return [HVACMode.OFF] if mode is None else [HVACMode.OFF, HVAC_MODE_TO_HA[mode]]

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Return off while the zone is closed, else the system's mode."""
        enabled = self.status.zone_enabled(self.zone_index)
        if enabled is None:
            return None
        if not enabled:
            return HVACMode.OFF
        mode = self.status.settings.mode
        return None if mode is None else HVAC_MODE_TO_HA[mode]

    @property
    def hvac_action(self) -> HVACAction:
        """Return the system's action, idle while this zone's damper is shut, off if closed."""
        if not self.status.zone_enabled(self.zone_index):
            return HVACAction.OFF
        action = system_action(self.status)
        if action in (HVACAction.OFF, HVACAction.DEFROSTING):
            return action
        return HVACAction.IDLE if self.zone.damper_percent == 0 else action

    @property
    def native_current_temperature(self) -> float | None:
        """Return the zone's temperature."""
        return self.zone.temperature

    @property
    def current_humidity(self) -> float | None:
        """Return the zone's humidity."""
        return self.zone.humidity

    def _setpoints_in(self, status: SystemStatus) -> Setpoints:
        settings, limits = status.settings, status.limits
        zone = self.zone_in(status)
        variance = settings.zone_setpoint_variance
        if variance is None:
            variance = commands.DEFAULT_ZONE_VARIANCE
        return Setpoints(
            mode=settings.mode,
            cool=zone.cool_setpoint,
            heat=zone.heat_setpoint,
            cool_range=_window(settings.cool_setpoint, variance, limits.cool_min, limits.cool_max),
            heat_range=_window(settings.heat_setpoint, variance, limits.heat_min, limits.heat_max),
        )

    def _setpoint_command(
        self, status: SystemStatus, cool: float | None, heat: float | None
    ) -> Command:
        return commands.zone_setpoints(status, self.zone_index, cool=cool, heat=heat)

    def _hvac_mode_command(self, status: SystemStatus, hvac_mode: HVACMode) -> Command:
        return commands.zone_enabled(status, self.zone_index, on=hvac_mode != HVACMode.OFF)

    @actron_command
    def async_turn_on(self) -> Command:
        """Open the zone."""
        return commands.zone_enabled(self.status, self.zone_index, on=True)

    @actron_command
    def async_turn_off(self) -> Command:
        """Close the zone."""
        return commands.zone_enabled(self.status, self.zone_index, on=False)
