"""Commands: a frozen mapping of dotted keys to values, and builders that validate before sending.

Builders read what they need from the current SystemStatus and raise ActronValidationError (with a
`code` and `placeholders` for a translated message) for input the system cannot take.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
import math
from typing import Any

from .const import COMMAND_TYPE
from .errors import ActronValidationError
from .models import CONTINUOUS_SUFFIXES, FanSpeed, HvacMode, SystemStatus, Zone
from .paths import parse_key

type CommandValue = bool | int | float | str

SETTINGS = "UserAirconSettings"
KEY_POWER = f"{SETTINGS}.isOn"
KEY_MODE = f"{SETTINGS}.Mode"
KEY_FAN_MODE = f"{SETTINGS}.FanMode"
KEY_COOL = f"{SETTINGS}.TemperatureSetpoint_Cool_oC"
KEY_HEAT = f"{SETTINGS}.TemperatureSetpoint_Heat_oC"
KEY_AWAY = f"{SETTINGS}.AwayMode"
# Quiet mode is written as QuietModeEnabled; some clients write QuietMode, which the cloud takes
# too. Statuses show it under either key, a Que's under QuietMode only.
KEY_QUIET = f"{SETTINGS}.QuietModeEnabled"
KEY_QUIET_ALIAS = f"{SETTINGS}.QuietMode"
KEY_TURBO = f"{SETTINGS}.TurboMode.Enabled"

# When the status does not say how far a zone may stray from the master setpoint.
DEFAULT_ZONE_VARIANCE = 2.0
AIRFLOW_STEP = 5
AIRFLOW_MAX = 100
FLOAT_TOLERANCE = 0.01  # the controller echoes setpoints as floats; 0.01 °C is below its resolution
_EPSILON = 1e-9


def key_zone_enabled(index: int) -> str:
    """Return the key switching one zone (never the whole array: it races with other writers)."""
    return f"{SETTINGS}.EnabledZones[{index}]"


def key_zone_setpoint(index: int, *, cool: bool) -> str:
    """Return the key of a zone's cool or heat setpoint."""
    return f"RemoteZoneInfo[{index}].TemperatureSetpoint_{'Cool' if cool else 'Heat'}_oC"


def key_zone_airflow(index: int) -> str:
    """Return the key of a zone's airflow setpoint."""
    return f"RemoteZoneInfo[{index}].AirflowSetpoint"


class Command(Mapping[str, CommandValue]):
    """An immutable set of settings to send in one request."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, CommandValue] | None = None) -> None:
        """Copy `values` (dotted key -> value).

        A malformed key is a programming error, not user input: it raises a plain ValueError.
        """
        self._values: dict[str, CommandValue] = dict(values or {})
        for key in self._values:
            parse_key(key)

    def __getitem__(self, key: str) -> CommandValue:
        """Return the value of a key."""
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        """Iterate over the keys."""
        return iter(self._values)

    def __len__(self) -> int:
        """Return the number of keys."""
        return len(self._values)

    def __repr__(self) -> str:
        """Show the keys and values (commands hold no secrets)."""
        return f"Command({self._values!r})"

    def merge(self, other: Mapping[str, CommandValue]) -> Command:
        """Return a command with the keys of both; `other` wins where both set a key."""
        return Command({**self._values, **other})

    def to_json(self) -> dict[str, Any]:
        """Return the request body of `cmds/send`."""
        return {"command": {**self._values, "type": COMMAND_TYPE}}

    def is_reflected_in(self, status: SystemStatus) -> bool:
        """Return True when the status shows every value of this command."""
        return all(_same_value(value, _shown(status, key)) for key, value in self._values.items())


def _shown(status: SystemStatus, key: str) -> object:
    """Return what the status shows for a command's key.

    A setting the status may report under another key than the one written is read as the model
    reads it, so that a command counts as applied once its entity shows the new value.
    """
    if key in (KEY_QUIET, KEY_QUIET_ALIAS):
        return status.settings.quiet
    return status.value_at(key)


def _same_value(wanted: CommandValue, shown: object) -> bool:
    if isinstance(wanted, bool) or isinstance(shown, bool):
        return wanted is shown
    if isinstance(wanted, int | float) and isinstance(shown, int | float):
        return math.isclose(wanted, shown, abs_tol=FLOAT_TOLERANCE)
    if isinstance(wanted, str) and isinstance(shown, str):
        return wanted.casefold() == shown.casefold()
    return False


def _fmt(value: float) -> str:
    return f"{value:g}"


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ActronValidationError(
            f"{name} must be a finite number, not {value!r}",
            code="invalid_number",
            placeholders={"name": name, "value": str(value)},
        )
    return float(value)


def _setpoint(name: str, value: object, low: float, high: float) -> float:
    number = _number(name, value)
    if not low - _EPSILON <= number <= high + _EPSILON:
        raise ActronValidationError(
            f"The {name} setpoint {_fmt(number)} is outside {_fmt(low)}..{_fmt(high)}",
            code="setpoint_out_of_range",
            placeholders={"name": name, "value": _fmt(number), "min": _fmt(low), "max": _fmt(high)},
        )
    return number


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _zone(status: SystemStatus, index: int) -> Zone:
    zones = status.zones
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(zones):
        zone = None
    else:
        zone = zones[index]
    if zone is None or not zone.exists:
        raise ActronValidationError(
            f"Zone {index!r} is not in use on this system",
            code="zone_unknown",
            placeholders={"index": str(index)},
        )
    return zone


def _no_setpoint() -> ActronValidationError:
    return ActronValidationError("No setpoint given", code="no_setpoint")


def power(on: bool) -> Command:
    """Switch the system on or off."""
    return Command({KEY_POWER: on})


def away(on: bool) -> Command:
    """Switch away mode."""
    return Command({KEY_AWAY: on})


def quiet(on: bool) -> Command:
    """Switch quiet mode."""
    return Command({KEY_QUIET: on})


def mode(status: SystemStatus, mode: HvacMode) -> Command:
    """Change the mode; it must be one the system supports."""
    if mode not in status.settings.supported_modes:
        raise ActronValidationError(
            f"This system does not support the mode {mode!s}",
            code="mode_not_supported",
            placeholders={"mode": str(mode)},
        )
    return Command({KEY_MODE: mode.value})


def _fan_mode_text(
    status: SystemStatus, speed: FanSpeed, *, continuous: bool, style: str | None
) -> str:
    if not continuous:
        return speed.value
    # Echo the suffix style the unit itself uses: as it shows now, else as last seen (`style`),
    # else "+CONT".
    suffix = status.settings.continuous_suffix or style
    return speed.value + (suffix if suffix in CONTINUOUS_SUFFIXES else CONTINUOUS_SUFFIXES[0])


def fan_speed(status: SystemStatus, speed: FanSpeed, *, style: str | None = None) -> Command:
    """Change the fan speed, keeping continuous fan as it is.

    `style` is the continuous suffix ("+CONT" / "-CONT") last seen on the system, for a status
    that shows none.
    """
    continuous = status.settings.continuous_fan is True
    return Command(
        {KEY_FAN_MODE: _fan_mode_text(status, speed, continuous=continuous, style=style)}
    )


def continuous_fan(status: SystemStatus, on: bool, *, style: str | None = None) -> Command:
    """Switch continuous fan, keeping the fan speed (`style` as for `fan_speed`)."""
    speed = status.settings.fan_speed
    if speed is None:
        raise ActronValidationError("The current fan speed is unknown", code="fan_speed_unknown")
    return Command({KEY_FAN_MODE: _fan_mode_text(status, speed, continuous=on, style=style)})


def turbo(status: SystemStatus, on: bool) -> Command:
    """Switch turbo; only on systems that report support for it."""
    if status.settings.turbo_supported is not True:
        raise ActronValidationError("This system has no turbo mode", code="turbo_unsupported")
    return Command({KEY_TURBO: on})


def setpoints(
    status: SystemStatus, cool: float | None = None, heat: float | None = None
) -> Command:
    """Change the master setpoints.

    Each given value must be within its limits. In AUTO both setpoints are sent with
    cool - heat >= MinGap: the one not asked for moves (clamped to its limits) when the gap needs
    it, and a value equal to the current one counts as not asked for (callers often send both ends
    of a range). Other modes send exactly the given setpoints, neither adjusted for the other.
    """
    limits = status.limits
    new_cool = None if cool is None else _setpoint("cool", cool, limits.cool_min, limits.cool_max)
    new_heat = None if heat is None else _setpoint("heat", heat, limits.heat_min, limits.heat_max)
    if status.settings.mode is HvacMode.AUTO:
        new_cool, new_heat = _auto_setpoints(status, new_cool, new_heat)
        return Command({KEY_COOL: new_cool, KEY_HEAT: new_heat})
    values = {KEY_COOL: new_cool, KEY_HEAT: new_heat}
    command = Command({key: value for key, value in values.items() if value is not None})
    if not command:
        raise _no_setpoint()
    return command


def _auto_setpoints(
    status: SystemStatus, new_cool: float | None, new_heat: float | None
) -> tuple[float, float]:
    """Complete an AUTO pair so that cool - heat >= MinGap, moving the value not asked for."""
    limits = status.limits
    current_cool, current_heat = status.settings.cool_setpoint, status.settings.heat_setpoint
    if new_cool is not None and new_heat is not None:
        if _unchanged(new_cool, current_cool) and not _unchanged(new_heat, current_heat):
            new_cool = None
        elif _unchanged(new_heat, current_heat) and not _unchanged(new_cool, current_cool):
            new_heat = None
    gap = limits.min_gap
    if new_cool is not None and new_heat is not None:
        pass
    elif new_cool is not None:
        new_heat = current_heat
        if new_heat is None or new_cool - new_heat < gap - _EPSILON:
            new_heat = _clamp(new_cool - gap, limits.heat_min, limits.heat_max)
    elif new_heat is not None:
        new_cool = current_cool
        if new_cool is None or new_cool - new_heat < gap - _EPSILON:
            new_cool = _clamp(new_heat + gap, limits.cool_min, limits.cool_max)
    else:
        raise _no_setpoint()
    if new_cool - new_heat < gap - _EPSILON:
        raise ActronValidationError(
            f"Cool {_fmt(new_cool)} and heat {_fmt(new_heat)} must be at least {_fmt(gap)} apart",
            code="setpoint_gap",
            placeholders={"cool": _fmt(new_cool), "heat": _fmt(new_heat), "gap": _fmt(gap)},
        )
    return new_cool, new_heat


def _unchanged(value: float, current: float | None) -> bool:
    return current is not None and math.isclose(value, current, abs_tol=FLOAT_TOLERANCE)


def zone_enabled(status: SystemStatus, index: int, on: bool) -> Command:
    """Switch one zone on or off."""
    _zone(status, index)
    return Command({key_zone_enabled(index): on})


def zone_setpoints(
    status: SystemStatus, index: int, cool: float | None = None, heat: float | None = None
) -> Command:
    """Change a zone's setpoints.

    Each value must be within the limits; it is then clamped to the master setpoint +/- the zone
    variance (2 °C when the status does not say) and to the limits again. A zone without its own
    temperature control follows the master setpoint: the cloud refuses a setpoint for it.
    """
    if _zone(status, index).itc is False:
        raise ActronValidationError(
            f"Zone {index} has no temperature control of its own",
            code="zone_without_temperature_control",
            placeholders={"index": str(index)},
        )
    settings, limits = status.settings, status.limits
    variance = settings.zone_setpoint_variance
    if variance is None:
        variance = DEFAULT_ZONE_VARIANCE
    values: dict[str, CommandValue] = {}
    for is_cool, value, master, low, high in (
        (True, cool, settings.cool_setpoint, limits.cool_min, limits.cool_max),
        (False, heat, settings.heat_setpoint, limits.heat_min, limits.heat_max),
    ):
        if value is None:
            continue
        number = _setpoint("cool" if is_cool else "heat", value, low, high)
        if master is not None:
            number = _clamp(number, master - variance, master + variance)
        values[key_zone_setpoint(index, cool=is_cool)] = _clamp(number, low, high)
    if not values:
        raise _no_setpoint()
    return Command(values)


def zone_airflow(status: SystemStatus, index: int, percent: float) -> Command:
    """Change a zone's airflow setpoint: 0..100 in steps of 5."""
    _zone(status, index)
    number = percent if isinstance(percent, int | float) and not isinstance(percent, bool) else None
    if (
        number is None
        or not math.isfinite(number)
        or number % AIRFLOW_STEP
        or not 0 <= number <= AIRFLOW_MAX
    ):
        raise ActronValidationError(
            f"Airflow must be 0..{AIRFLOW_MAX} in steps of {AIRFLOW_STEP}, not {percent!r}",
            code="airflow_out_of_range",
            placeholders={"value": str(percent)},
        )
    return Command({key_zone_airflow(index): int(number)})
