"""The `set-settings` command: validating its dotted keys, then applying them as a controller does.

Validation happens when the cloud receives a command (a bad key or value is a 400 and nothing is
applied); applying happens when the wall controller reports back, against the state of that moment:
master setpoints are clamped to `NV_Limits`, AUTO keeps `MinGap` between them, zones without ITC
follow the master and ITC zones stay within master +/- `ZoneTemperatureSetpointVariance_oC` and the
limits.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
import math
import re
from typing import Final

from .scenario import FAN_SPEEDS, ZONE_SLOTS, split_fan_mode
from .system import SystemState

COMMAND_TYPE: Final = "set-settings"
_SETTINGS = "UserAirconSettings."
_ZONE_KEY = re.compile(r"RemoteZoneInfo\[(\d+)\]\.(\w+)")
_ENABLED_ZONE_KEY = re.compile(r"UserAirconSettings\.EnabledZones\[(\d+)\]")
# No air conditioner takes a setpoint outside this; inside, the controller clamps to its limits.
_SANE_SETPOINT = (0.0, 50.0)
_AIRFLOW_STEP = 5


class CommandError(ValueError):
    """A command the cloud rejects with 400; the message names the key and is safe to return."""


@dataclass(frozen=True)
class Change:
    """One validated setting: the attribute it sets on the settings, or with `zone` on a zone slot.

    `enabled_zones` with a `zone` sets that slot's flag in `UserAirconSettings.EnabledZones`.
    """

    field: str
    value: bool | float | int | str
    zone: int | None = None


def parse_command(body: object, system: SystemState) -> tuple[Change, ...]:
    """Validate a `{"command": {...}}` body against `system`, or raise CommandError."""
    if not isinstance(body, Mapping) or not isinstance(body.get("command"), Mapping):
        raise CommandError('the body must be {"command": {...}}')
    command: Mapping[str, object] = body["command"]
    if command.get("type") != COMMAND_TYPE:
        raise CommandError(f'command "type" must be "{COMMAND_TYPE}"')
    changes = tuple(
        change
        for key, value in command.items()
        if key != "type"
        for change in _parse_key(key, value, system)
    )
    if not changes:
        raise CommandError("the command sets nothing")
    return changes


def _parse_key(key: str, value: object, system: SystemState) -> tuple[Change, ...]:
    if match := _ENABLED_ZONE_KEY.fullmatch(key):
        slot = _existing_zone(int(match.group(1)), system, key)
        return (Change("enabled_zones", _bool(value, key), slot),)
    if key == f"{_SETTINGS}EnabledZones":
        return _enabled_zones(value, system, key)
    if match := _ZONE_KEY.fullmatch(key):
        slot = _existing_zone(int(match.group(1)), system, key)
        return (_parse_zone_key(match.group(2), slot, value, system, key),)
    if key.startswith(_SETTINGS) and (parser := _SETTINGS_KEYS.get(key.removeprefix(_SETTINGS))):
        field, validate = parser
        return (Change(field, validate(value, system, key)),)
    raise CommandError(f"unknown setting {key!r}")


def _parse_zone_key(name: str, slot: int, value: object, system: SystemState, key: str) -> Change:
    if name == "AirflowSetpoint":
        return Change("airflow_setpoint", _airflow(value, key), slot)
    if name in {"TemperatureSetpoint_Cool_oC", "TemperatureSetpoint_Heat_oC"}:
        if not system.zones[slot].itc:
            raise CommandError(f"{key}: zone {slot} has no individual temperature control")
        field = "cool_setpoint" if name.endswith("Cool_oC") else "heat_setpoint"
        return Change(field, _setpoint(value, system, key), slot)
    raise CommandError(f"unknown setting {key!r}")


def _existing_zone(slot: int, system: SystemState, key: str) -> int:
    if slot >= ZONE_SLOTS or not system.zones[slot].exists:
        raise CommandError(f"{key}: zone slot {slot} is not in use")
    return slot


def _bool(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise CommandError(f"{key} takes true or false")
    return value


def _flag(value: object, _system: SystemState, key: str) -> bool:
    return _bool(value, key)


def _number(value: object, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CommandError(f"{key} takes a number")
    return float(value)


def _setpoint(value: object, _system: SystemState, key: str) -> float:
    number = _number(value, key)
    low, high = _SANE_SETPOINT
    if not low <= number <= high:
        raise CommandError(f"{key}: {number} is not a temperature setpoint")
    return number


def _airflow(value: object, key: str) -> int:
    number = _number(value, key)
    if not 0 <= number <= 100:  # noqa: PLR2004 -- a percentage
        raise CommandError(f"{key} takes a percentage 0..100")
    return round(number / _AIRFLOW_STEP) * _AIRFLOW_STEP


def _mode(value: object, system: SystemState, key: str) -> str:
    if not isinstance(value, str) or value not in system.spec.supported_modes:
        raise CommandError(f"{key} takes one of {list(system.spec.supported_modes)}")
    return value


def _fan_mode(value: object, system: SystemState, key: str) -> str:
    speed, _suffix = split_fan_mode(value) if isinstance(value, str) else ("", "")
    if speed not in FAN_SPEEDS or (speed == "AUTO" and not system.spec.auto_fan):
        raise CommandError(f"{key}: {value!r} is not a fan mode of this system")
    return str(value)


def _enabled_zones(value: object, system: SystemState, key: str) -> tuple[Change, ...]:
    # The whole array works on the real cloud too, though per-index keys race less.
    if not isinstance(value, list) or len(value) != ZONE_SLOTS:
        raise CommandError(f"{key} takes a list of {ZONE_SLOTS} booleans")
    flags = [_bool(item, key) for item in value]
    if any(on and not zone.exists for on, zone in zip(flags, system.zones, strict=True)):
        raise CommandError(f"{key}: only zone slots in use can be enabled")
    return tuple(Change("enabled_zones", on, slot) for slot, on in enumerate(flags))


def _turbo(value: object, system: SystemState, key: str) -> bool:
    if not system.spec.turbo_supported:
        raise CommandError(f"{key}: this system has no turbo mode")
    return _bool(value, key)


type _Validator = Callable[[object, SystemState, str], bool | float | str]
_SETTINGS_KEYS: Final[dict[str, tuple[str, _Validator]]] = {
    "isOn": ("is_on", _flag),
    "Mode": ("mode", _mode),
    "FanMode": ("fan_mode", _fan_mode),
    "TemperatureSetpoint_Cool_oC": ("cool_setpoint", _setpoint),
    "TemperatureSetpoint_Heat_oC": ("heat_setpoint", _setpoint),
    "AwayMode": ("away", _flag),
    "QuietModeEnabled": ("quiet", _flag),
    "QuietMode": ("quiet", _flag),
    "TurboMode.Enabled": ("turbo", _turbo),
}


def apply_changes(system: SystemState, changes: tuple[Change, ...]) -> None:
    """Apply a validated command as the wall controller would, then restore every constraint."""
    settings = system.settings
    for change in changes:
        if change.field == "enabled_zones" and change.zone is not None:
            settings.enabled_zones[change.zone] = bool(change.value)
        elif change.zone is None:
            setattr(settings, change.field, change.value)
        else:
            setattr(system.zones[change.zone], change.field, change.value)
    master = {change.field for change in changes if change.zone is None}
    constrain(system, heat_leads="heat_setpoint" in master and "cool_setpoint" not in master)


def constrain(system: SystemState, *, heat_leads: bool = False) -> None:
    """Clamp setpoints to the limits, keep AUTO's deadband and keep zones in the master's window.

    In AUTO the setpoint not just set gives way; `heat_leads` says the heat setpoint was set alone.
    """
    spec, settings = system.spec, system.settings
    settings.cool_setpoint = _clamp(settings.cool_setpoint, spec.cool_min, spec.cool_max)
    settings.heat_setpoint = _clamp(settings.heat_setpoint, spec.heat_min, spec.heat_max)
    if settings.mode == "AUTO" and settings.cool_setpoint - settings.heat_setpoint < spec.min_gap:
        if heat_leads:
            settings.cool_setpoint = min(spec.cool_max, settings.heat_setpoint + spec.min_gap)
            settings.heat_setpoint = settings.cool_setpoint - spec.min_gap
        else:
            settings.heat_setpoint = max(spec.heat_min, settings.cool_setpoint - spec.min_gap)
            settings.cool_setpoint = settings.heat_setpoint + spec.min_gap
    variance = spec.zone_variance
    for zone in system.zones:
        if not zone.itc:
            zone.cool_setpoint, zone.heat_setpoint = settings.cool_setpoint, settings.heat_setpoint
            continue
        zone.cool_setpoint = _clamp(
            zone.cool_setpoint,
            max(spec.cool_min, settings.cool_setpoint - variance),
            min(spec.cool_max, settings.cool_setpoint + variance),
        )
        zone.heat_setpoint = _clamp(
            zone.heat_setpoint,
            max(spec.heat_min, settings.heat_setpoint - variance),
            min(spec.heat_max, settings.heat_setpoint + variance),
        )


def _clamp(value: float, low: float, high: float) -> float:
    return round(min(max(value, low), high), 1)
