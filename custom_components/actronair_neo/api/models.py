"""Frozen models of the cloud's JSON: systems, the latest status, command results.

Every key is optional: Neo and Que payloads differ, payloads may be truncated, and a value of the
wrong type turns that one field into None. This is the only module that reads the cloud's JSON.

Two readings are uncertain in the wild and decided here:
- Damper `ZonePosition`: when every slot's value is at most 20 the values are steps of 5 % (a real
  capture shows 0..20), otherwise they are percent. The result is clamped to 0..100.
- A wireless sensor belongs to the zone whose `Sensors` object lists its serial. Only a sensor
  found in no zone falls back to `ZoneAssignment`, whose base (0 or 1) is learnt from the sensors
  found both ways; with nothing to learn from it is taken as 1-based (0 = unassigned).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
import json
from typing import TYPE_CHECKING, Any

from .coerce import (
    as_bool,
    as_datetime,
    as_float,
    as_int,
    as_list,
    as_mapping,
    as_str,
    as_timespan,
)
from .const import QUE_SYSTEM_TYPES
from .errors import ActronInvalidResponseError
from .paths import read_key, with_values

if TYPE_CHECKING:
    from datetime import datetime

DEFAULT_SETPOINT_MIN = 16.0
DEFAULT_SETPOINT_MAX = 30.0
DEFAULT_MIN_GAP = 0.0
DAMPER_STEPS_MAX = 20  # the largest ZonePosition still read as steps of 5 %
DAMPER_STEP_PERCENT = 5.0
CONTINUOUS_SUFFIXES = ("+CONT", "-CONT")


class HvacMode(StrEnum):
    """`UserAirconSettings.Mode` values."""

    COOL = "COOL"
    HEAT = "HEAT"
    AUTO = "AUTO"
    FAN = "FAN"
    DRY = "DRY"


class FanSpeed(StrEnum):
    """Fan speeds; the value is the `FanMode` text without the continuous suffix."""

    LOW = "LOW"
    MEDIUM = "MED"
    HIGH = "HIGH"
    AUTO = "AUTO"


class CompressorMode(StrEnum):
    """`LiveAircon.CompressorMode` values."""

    OFF = "OFF"
    COOL = "COOL"
    HEAT = "HEAT"


DEFAULT_MODES = frozenset({HvacMode.COOL, HvacMode.HEAT, HvacMode.AUTO, HvacMode.FAN})
_MODE_SUPPORT_KEYS = (
    ("Cool", HvacMode.COOL),
    ("Heat", HvacMode.HEAT),
    ("Auto", HvacMode.AUTO),
    ("Fan", HvacMode.FAN),
    ("Dry", HvacMode.DRY),
)
# NV_SupportedFanModes bits; unreliable on some units, so LOW/MED/HIGH are always offered.
_FAN_AUTO_BIT = 8
_FAN_SPEEDS_FIXED = frozenset({FanSpeed.LOW, FanSpeed.MEDIUM, FanSpeed.HIGH})


def _enum[E: StrEnum](cls: type[E], value: object) -> E | None:
    if not isinstance(value, str):
        return None
    member = cls._value2member_map_.get(value.upper())
    return member if isinstance(member, cls) else None


def _fan_mode(value: str | None) -> tuple[FanSpeed | None, bool | None]:
    """Split "HIGH+CONT" / "LOW-CONT" / "AUTO" into speed and continuous flag."""
    if value is None:
        return None, None
    text = value.upper()
    if text.endswith(CONTINUOUS_SUFFIXES):
        return _enum(FanSpeed, text[: -len(CONTINUOUS_SUFFIXES[0])]), True
    return _enum(FanSpeed, text), False


def _mapping_of(data: object) -> Mapping[str, Any]:
    if isinstance(data, str | bytes | bytearray):
        try:
            data = json.loads(data)
        except ValueError as err:
            raise ActronInvalidResponseError("The answer is not JSON") from err
    if not isinstance(data, Mapping):
        raise ActronInvalidResponseError("The answer is not a JSON object")
    return data


@dataclass(frozen=True, slots=True)
class AcSystem:
    """One air conditioner of the account, as listed by `systems()`."""

    serial: str
    system_type: str | None
    description: str | None
    is_que: bool
    id: str | None

    @classmethod
    def from_json(cls, item: object) -> AcSystem | None:
        """Read one `ac-system` entry; None when it has no serial."""
        entry = as_mapping(item)
        serial = as_str(entry.get("serial"))
        if not serial:
            return None
        system_type = as_str(entry.get("type"))
        return cls(
            serial=serial,
            system_type=system_type,
            description=as_str(entry.get("description")),
            is_que=system_type is not None and system_type.casefold() in QUE_SYSTEM_TYPES,
            id=as_str(entry.get("id")),
        )


def parse_systems(data: object) -> tuple[AcSystem, ...]:
    """Read the `ac-systems` list; entries without a serial are skipped."""
    embedded = as_mapping(_mapping_of(data).get("_embedded"))
    systems = (AcSystem.from_json(item) for item in as_list(embedded.get("ac-system")))
    return tuple(system for system in systems if system is not None)


@dataclass(frozen=True, slots=True)
class CommandResult:
    """The cloud's acknowledgement of a command (the wall controller applies it later)."""

    correlation_id: str | None
    type: str | None
    value: object
    mwc_response_time: object

    @classmethod
    def from_json(cls, data: object) -> CommandResult:
        """Read the answer of `cmds/send`."""
        body = _mapping_of(data)
        return cls(
            correlation_id=as_str(body.get("correlationId")),
            type=as_str(body.get("type")),
            value=body.get("value"),
            mwc_response_time=body.get("mwcResponseTime"),
        )


@dataclass(frozen=True, slots=True)
class UserSettings:
    """`UserAirconSettings`: what the user asked for."""

    is_on: bool | None
    mode: HvacMode | None
    fan_speed: FanSpeed | None
    continuous_fan: bool | None
    cool_setpoint: float | None
    heat_setpoint: float | None
    zone_setpoint_variance: float | None
    enabled_zones: tuple[bool, ...]
    away: bool | None
    quiet: bool | None
    turbo_supported: bool | None
    turbo_enabled: bool | None
    supported_modes: frozenset[HvacMode]
    fan_mode: str | None  # the raw FanMode text, to keep its continuous suffix style

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserSettings:
        """Read `UserAirconSettings`."""
        mode = _enum(HvacMode, data.get("Mode"))
        fan_mode = as_str(data.get("FanMode"))
        fan_speed, continuous = _fan_mode(fan_mode)
        turbo = data.get("TurboMode")
        turbo_block = as_mapping(turbo)
        quiet = as_bool(data.get("QuietModeEnabled"))
        return cls(
            is_on=as_bool(data.get("isOn")),
            mode=mode,
            fan_speed=fan_speed,
            continuous_fan=continuous,
            cool_setpoint=as_float(data.get("TemperatureSetpoint_Cool_oC")),
            heat_setpoint=as_float(data.get("TemperatureSetpoint_Heat_oC")),
            zone_setpoint_variance=as_float(data.get("ZoneTemperatureSetpointVariance_oC")),
            enabled_zones=tuple(value is True for value in as_list(data.get("EnabledZones"))),
            away=as_bool(data.get("AwayMode")),
            quiet=quiet if quiet is not None else as_bool(data.get("QuietMode")),
            turbo_supported=as_bool(turbo_block.get("Supported")),
            turbo_enabled=as_bool(turbo_block.get("Enabled")) if turbo_block else as_bool(turbo),
            supported_modes=_supported_modes(data.get("ModeSupport"), mode),
            fan_mode=fan_mode,
        )

    @property
    def continuous_suffix(self) -> str | None:
        """Return the continuous-fan suffix `FanMode` shows ("+CONT" or "-CONT"), if any."""
        text = (self.fan_mode or "").upper()
        return next((suffix for suffix in CONTINUOUS_SUFFIXES if text.endswith(suffix)), None)


def _supported_modes(support: object, current: HvacMode | None) -> frozenset[HvacMode]:
    """`ModeSupport` when present, else the four modes every unit has; the current one always."""
    block = as_mapping(support)
    modes = {mode for key, mode in _MODE_SUPPORT_KEYS if block.get(key) is True}
    if not modes:
        modes = set(DEFAULT_MODES)
    if current is not None:
        modes.add(current)
    return frozenset(modes)


@dataclass(frozen=True, slots=True)
class MasterInfo:
    """`MasterInfo`: the wall controller's readings."""

    temperature: float | None
    humidity: float | None
    outdoor_temperature: float | None
    control_all_zones: bool | None  # Que only

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MasterInfo:
        """Read `MasterInfo`."""
        return cls(
            temperature=as_float(data.get("LiveTemp_oC")),
            humidity=as_float(data.get("LiveHumidity_pc")),
            outdoor_temperature=as_float(data.get("LiveOutdoorTemp_oC")),
            control_all_zones=as_bool(data.get("ControlAllZones")),
        )


@dataclass(frozen=True, slots=True)
class LiveAircon:
    """`LiveAircon`: what the indoor unit is doing now."""

    system_on: bool | None
    compressor_mode: CompressorMode | None
    compressor_capacity: float | None
    fan_rpm: int | None
    defrost: bool | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LiveAircon:
        """Read `LiveAircon`."""
        return cls(
            system_on=as_bool(data.get("SystemOn")),
            compressor_mode=_enum(CompressorMode, data.get("CompressorMode")),
            compressor_capacity=as_float(data.get("CompressorCapacity")),
            fan_rpm=as_int(data.get("FanRPM")),
            defrost=as_bool(data.get("Defrost")),
        )


@dataclass(frozen=True, slots=True)
class OutdoorUnit:
    """`LiveAircon.OutdoorUnit`: live readings of the outdoor unit."""

    ambient_temperature: float | None
    compressor_power: float | None  # W; 0 on non-inverter units
    compressor_speed: float | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OutdoorUnit:
        """Read `LiveAircon.OutdoorUnit`."""
        return cls(
            ambient_temperature=as_float(data.get("AmbTemp")),
            compressor_power=as_float(data.get("CompPower")),
            compressor_speed=as_float(data.get("CompSpeed")),
        )


@dataclass(frozen=True, slots=True)
class Alerts:
    """`Alerts`."""

    clean_filter: bool | None
    defrosting: bool | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Alerts:
        """Read `Alerts`."""
        return cls(
            clean_filter=as_bool(data.get("CleanFilter")),
            defrosting=as_bool(data.get("Defrosting")),
        )


@dataclass(frozen=True, slots=True)
class Limits:
    """`NV_Limits.UserSetpoint_oC`; a missing or inconsistent pair falls back to 16..30."""

    cool_min: float = DEFAULT_SETPOINT_MIN
    cool_max: float = DEFAULT_SETPOINT_MAX
    heat_min: float = DEFAULT_SETPOINT_MIN
    heat_max: float = DEFAULT_SETPOINT_MAX
    min_gap: float = DEFAULT_MIN_GAP  # AUTO: cool - heat must stay >= this

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Limits:
        """Read `NV_Limits.UserSetpoint_oC`."""
        cool_min, cool_max = _range(data.get("setCool_Min"), data.get("setCool_Max"))
        heat_min, heat_max = _range(data.get("setHeat_Min"), data.get("setHeat_Max"))
        gap = as_float(data.get("MinGap"))
        return cls(cool_min, cool_max, heat_min, heat_max, gap if gap and gap > 0 else 0.0)


def _range(low: object, high: object) -> tuple[float, float]:
    minimum = as_float(low)
    maximum = as_float(high)
    minimum = DEFAULT_SETPOINT_MIN if minimum is None else minimum
    maximum = DEFAULT_SETPOINT_MAX if maximum is None else maximum
    if minimum > maximum:
        return DEFAULT_SETPOINT_MIN, DEFAULT_SETPOINT_MAX
    return minimum, maximum


@dataclass(frozen=True, slots=True)
class ZoneSensor:
    """One entry of a zone's `Sensors` object (a wall sensor or a wireless one)."""

    serial: str
    connected: bool | None
    kind: str | None
    signal: int | None  # 0..3 bars
    battery: float | None  # percent, wireless sensors only

    @classmethod
    def from_json(cls, serial: str, data: object) -> ZoneSensor:
        """Read one `Sensors` entry."""
        entry = as_mapping(data)
        return cls(
            serial=serial,
            connected=as_bool(entry.get("Connected")),
            kind=as_str(entry.get("NV_Kind")),
            signal=as_int(entry.get("Signal_of3")),
            battery=as_float(entry.get("Battery_pc")),
        )


@dataclass(frozen=True, slots=True)
class Zone:
    """One `RemoteZoneInfo` slot; `index` is the slot (0-based), used by zone commands."""

    index: int
    exists: bool  # in use: NV_Exists is true
    retired: bool  # not in use: NV_Exists is false (a slot without it says neither)
    name: str | None
    can_operate: bool | None
    itc: bool | None  # individual temperature control
    temperature: float | None
    humidity: float | None
    cool_setpoint: float | None
    heat_setpoint: float | None
    damper_percent: float | None
    airflow_control: bool | None
    airflow_setpoint: int | None
    sensors: tuple[ZoneSensor, ...]

    @classmethod
    def from_json(cls, index: int, data: Mapping[str, Any], *, steps: bool) -> Zone:
        """Read a slot; `steps` says how to read `ZonePosition` (see the module docstring)."""
        return cls(
            index=index,
            exists=data.get("NV_Exists") is True,
            retired=data.get("NV_Exists") is False,
            name=as_str(data.get("NV_Title")),
            can_operate=as_bool(data.get("CanOperate")),
            itc=as_bool(data.get("NV_ITC")),
            temperature=as_float(data.get("LiveTemp_oC")),
            humidity=as_float(data.get("LiveHumidity_pc")),
            cool_setpoint=as_float(data.get("TemperatureSetpoint_Cool_oC")),
            heat_setpoint=as_float(data.get("TemperatureSetpoint_Heat_oC")),
            damper_percent=_damper_percent(as_float(data.get("ZonePosition")), steps=steps),
            airflow_control=as_bool(data.get("AirflowControlEnabled")),
            airflow_setpoint=as_int(data.get("AirflowSetpoint")),
            sensors=tuple(
                ZoneSensor.from_json(serial, entry)
                for serial, entry in as_mapping(data.get("Sensors")).items()
            ),
        )


def _damper_percent(position: float | None, *, steps: bool) -> float | None:
    if position is None:
        return None
    percent = position * DAMPER_STEP_PERCENT if steps else position
    return min(max(percent, 0.0), 100.0)


def _parse_zones(slots: Sequence[Any]) -> tuple[Zone, ...]:
    blocks = [as_mapping(slot) for slot in slots]
    positions = (as_float(block.get("ZonePosition")) for block in blocks)
    steps = all(position <= DAMPER_STEPS_MAX for position in positions if position is not None)
    return tuple(Zone.from_json(index, block, steps=steps) for index, block in enumerate(blocks))


@dataclass(frozen=True, slots=True)
class Peripheral:
    """A wireless zone sensor from `AirconSystem.Peripherals`."""

    serial: str | None
    device_type: str | None
    zone_index: int | None  # the zone it belongs to (see the module docstring), None if unknown
    battery: float | None
    rssi: float | None
    temperature: float | None
    humidity: float | None


def _assignment(value: object) -> int | None:
    """`ZoneAssignment` is a number on the units we know of; tolerate a list of numbers too."""
    if isinstance(value, list):
        return next((number for number in map(as_int, value) if number is not None), None)
    return as_int(value)


def _parse_peripherals(items: Sequence[Any], zones: tuple[Zone, ...]) -> tuple[Peripheral, ...]:
    by_sensor = {sensor.serial.casefold(): zone.index for zone in zones for sensor in zone.sensors}
    entries = [as_mapping(item) for item in items]
    serials = [as_str(entry.get("SerialNumber")) for entry in entries]
    assignments = [_assignment(entry.get("ZoneAssignment")) for entry in entries]
    located = [by_sensor.get(serial.casefold()) if serial else None for serial in serials]
    offset = _assignment_offset(zip(assignments, located, strict=True))
    peripherals = []
    for entry, serial, assignment, zone_index in zip(
        entries, serials, assignments, located, strict=True
    ):
        inputs = as_mapping(as_mapping(entry.get("SensorInputs")).get("SHTC1"))
        peripherals.append(
            Peripheral(
                serial=serial,
                device_type=as_str(entry.get("DeviceType")),
                zone_index=zone_index
                if zone_index is not None
                else _zone_by_assignment(assignment, offset, zones),
                battery=as_float(entry.get("RemainingBatteryCapacity_pc")),
                rssi=as_float(entry.get("RSSI")),
                temperature=as_float(inputs.get("Temperature_oC")),
                humidity=as_float(inputs.get("RelativeHumidity_pc")),
            )
        )
    return tuple(peripherals)


def _assignment_offset(pairs: Iterable[tuple[int | None, int | None]]) -> int:
    """Learn whether ZoneAssignment is 0- or 1-based from sensors whose zone is known."""
    offsets = {
        assignment - index
        for assignment, index in pairs
        if assignment is not None and index is not None
    }
    return offsets.pop() if len(offsets) == 1 and offsets <= {0, 1} else 1


def _zone_by_assignment(assignment: int | None, offset: int, zones: tuple[Zone, ...]) -> int | None:
    if assignment is None:
        return None
    index = assignment - offset
    return index if 0 <= index < len(zones) and zones[index].exists else None


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """`AirconSystem`: models, serial and firmware."""

    model: str | None
    serial: str | None
    firmware: str | None
    indoor_model: str | None
    outdoor_model: str | None
    outdoor_family: str | None
    fan_speeds: frozenset[FanSpeed]  # LOW/MED/HIGH always; AUTO unless the unit says it lacks it

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SystemInfo:
        """Read `AirconSystem`."""
        indoor = as_mapping(data.get("IndoorUnit"))
        outdoor = as_mapping(data.get("OutdoorUnit"))
        return cls(
            model=as_str(data.get("MasterWCModel")),
            serial=as_str(data.get("MasterSerial")),
            firmware=as_str(data.get("MasterWCFirmwareVersion")),
            indoor_model=as_str(indoor.get("NV_ModelNumber")),
            outdoor_model=as_str(outdoor.get("ModelNumber")),
            outdoor_family=as_str(outdoor.get("Family")),
            fan_speeds=_fan_speeds(indoor),
        )


def _fan_speeds(indoor: Mapping[str, Any]) -> frozenset[FanSpeed]:
    auto_enabled = as_bool(indoor.get("NV_AutoFanEnabled"))
    bitmap = as_int(indoor.get("NV_SupportedFanModes"))
    if auto_enabled is None and not bitmap:
        has_auto = True  # nothing says otherwise
    else:
        has_auto = auto_enabled is True or bool(bitmap and bitmap & _FAN_AUTO_BIT)
    return _FAN_SPEEDS_FIXED | {FanSpeed.AUTO} if has_auto else _FAN_SPEEDS_FIXED


@dataclass(frozen=True, slots=True)
class SystemStatus:
    """The latest status of one system (`status/latest`)."""

    serial: str
    is_online: bool | None
    time_since_last_contact: timedelta | None
    last_status_update: datetime | None
    settings: UserSettings
    master: MasterInfo
    live: LiveAircon
    outdoor: OutdoorUnit
    alerts: Alerts
    limits: Limits
    zones: tuple[Zone, ...]
    info: SystemInfo
    peripherals: tuple[Peripheral, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False)
    # When the client received the document (None when parsed from elsewhere).
    received_at: datetime | None = field(default=None, compare=False)

    @classmethod
    def from_json(
        cls, data: object, *, serial: str | None = None, received_at: datetime | None = None
    ) -> SystemStatus:
        """Parse a status document (a parsed mapping, or JSON text).

        `serial` defaults to `AirconSystem.MasterSerial`. Raises ActronInvalidResponseError only
        when the document is not a JSON object.
        """
        document = _mapping_of(data)
        state = as_mapping(document.get("lastKnownState"))
        live = as_mapping(state.get("LiveAircon"))
        system = as_mapping(state.get("AirconSystem"))
        zones = _parse_zones(as_list(state.get("RemoteZoneInfo")))
        info = SystemInfo.from_json(system)
        return cls(
            serial=serial or info.serial or "",
            is_online=as_bool(document.get("isOnline")),
            time_since_last_contact=as_timespan(document.get("timeSinceLastContact")),
            last_status_update=as_datetime(document.get("lastStatusUpdate")),
            settings=UserSettings.from_json(as_mapping(state.get("UserAirconSettings"))),
            master=MasterInfo.from_json(as_mapping(state.get("MasterInfo"))),
            live=LiveAircon.from_json(live),
            outdoor=OutdoorUnit.from_json(as_mapping(live.get("OutdoorUnit"))),
            alerts=Alerts.from_json(as_mapping(state.get("Alerts"))),
            limits=Limits.from_json(
                as_mapping(as_mapping(state.get("NV_Limits")).get("UserSetpoint_oC"))
            ),
            zones=zones,
            info=info,
            peripherals=_parse_peripherals(as_list(system.get("Peripherals")), zones),
            raw=document,
            received_at=received_at,
        )

    @property
    def last_contact(self) -> datetime | None:
        """Return when the wall controller last talked to the cloud, to the second.

        The document gives the contact's age when the cloud answered, so the moment is counted
        back from when it was received: it stays put for as long as this status is shown.
        """
        if (since := self.time_since_last_contact) is None or self.received_at is None:
            return None
        return self.received_at.replace(microsecond=0) - timedelta(
            seconds=round(since.total_seconds())
        )

    def zone_enabled(self, index: int) -> bool | None:
        """Return whether zone slot `index` is switched on (`EnabledZones`), None if unknown."""
        enabled = self.settings.enabled_zones
        return enabled[index] if 0 <= index < len(enabled) else None

    def value_at(self, key: str) -> object:
        """Return the raw value at a command's dotted key in `lastKnownState`, None if absent."""
        return read_key(self.raw.get("lastKnownState"), key)

    def apply(self, command: Mapping[str, object]) -> SystemStatus:
        """Return the status as it will read once `command` is reflected (optimistic state).

        Only the containers the command touches are copied; this status is left unchanged.
        """
        state = with_values(as_mapping(self.raw.get("lastKnownState")), command.items())
        return SystemStatus.from_json(
            {**self.raw, "lastKnownState": state},
            serial=self.serial,
            received_at=self.received_at,
        )
