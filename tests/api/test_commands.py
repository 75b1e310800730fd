"""Command builders: the keys they send, their validation and their clamping."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.actronair_neo.api import (
    ActronValidationError,
    Command,
    FanSpeed,
    HvacMode,
    SystemStatus,
    commands,
)

from .conftest import load, status_from

if TYPE_CHECKING:
    from collections.abc import Callable

COOL = "UserAirconSettings.TemperatureSetpoint_Cool_oC"
HEAT = "UserAirconSettings.TemperatureSetpoint_Heat_oC"


def with_settings(**settings: Any) -> SystemStatus:
    """Return the full Neo status with some user settings replaced."""
    document = load("status_neo_full.json")
    document["lastKnownState"]["UserAirconSettings"].update(settings)
    return SystemStatus.from_json(document, serial="x")


def auto(cool: float = 24.0, heat: float = 20.0, **limits: float) -> SystemStatus:
    """Return a status in AUTO with the given setpoints and limits (MinGap 2 by default)."""
    document = load("status_neo_full.json")
    state = document["lastKnownState"]
    state["UserAirconSettings"].update(
        Mode="AUTO", TemperatureSetpoint_Cool_oC=cool, TemperatureSetpoint_Heat_oC=heat
    )
    state["NV_Limits"]["UserSetpoint_oC"].update(limits)
    return SystemStatus.from_json(document, serial="x")


def refused(code: str) -> pytest.RaisesExc[ActronValidationError]:
    return pytest.raises(ActronValidationError, check=lambda err: err.code == code)


def test_command_is_a_frozen_mapping() -> None:
    command = Command({"UserAirconSettings.isOn": True})

    merged = command.merge({"UserAirconSettings.isOn": False, "UserAirconSettings.AwayMode": True})

    assert dict(command) == {"UserAirconSettings.isOn": True}
    assert dict(merged) == {"UserAirconSettings.isOn": False, "UserAirconSettings.AwayMode": True}
    assert len(merged) == 2
    assert merged["UserAirconSettings.AwayMode"] is True
    assert merged == Command(
        {"UserAirconSettings.AwayMode": True, "UserAirconSettings.isOn": False}
    )
    assert repr(command) == "Command({'UserAirconSettings.isOn': True})"
    assert command.to_json() == {
        "command": {"UserAirconSettings.isOn": True, "type": "set-settings"}
    }
    with pytest.raises(TypeError):
        command["UserAirconSettings.isOn"] = False  # type: ignore[index]
    with pytest.raises(AttributeError):
        command.extra = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (commands.power(True), {"UserAirconSettings.isOn": True}),
        (commands.power(False), {"UserAirconSettings.isOn": False}),
        (commands.away(True), {"UserAirconSettings.AwayMode": True}),
        (commands.quiet(False), {"UserAirconSettings.QuietModeEnabled": False}),
    ],
)
def test_simple_switches(command: Command, expected: dict[str, bool]) -> None:
    assert dict(command) == expected


def quiet_status(**shown: bool) -> SystemStatus:
    """Return the Que status with its quiet setting reported under the given keys only."""
    document = load("status_que.json")
    settings = document["lastKnownState"]["UserAirconSettings"]
    for key in ("QuietMode", "QuietModeEnabled", "QuietModeActive"):
        settings.pop(key, None)
    settings.update(shown)
    return SystemStatus.from_json(document, serial="x")


@pytest.mark.parametrize(
    "shown",
    [
        pytest.param(("QuietMode",), id="que-quiet-mode-only"),
        pytest.param(("QuietModeEnabled",), id="quiet-mode-enabled-only"),
        pytest.param(("QuietMode", "QuietModeEnabled"), id="neo-both"),
    ],
)
@pytest.mark.parametrize("on", [True, False])
@pytest.mark.parametrize("key", ["QuietModeEnabled", "QuietMode"])
def test_quiet_is_confirmed_under_either_key_the_status_reports(
    shown: tuple[str, ...], *, on: bool, key: str
) -> None:
    """Written as QuietModeEnabled (or QuietMode), a quiet change is applied once shown at all.

    The Que reports only QuietMode: a command waiting for QuietModeEnabled there would never be
    confirmed, and the change would be dropped as not applied although the cloud shows it.
    """
    command = Command({f"UserAirconSettings.{key}": on})
    applied = quiet_status(**dict.fromkeys(shown, on))
    not_applied = quiet_status(**dict.fromkeys(shown, not on))

    assert applied.settings.quiet is on
    assert command.is_reflected_in(applied)
    assert not command.is_reflected_in(not_applied)
    assert not command.is_reflected_in(quiet_status())
    # Merged with another change, it holds that change back only until both show.
    away = commands.away(True).merge(command)
    assert away.is_reflected_in(quiet_status(**dict.fromkeys(shown, on), AwayMode=True))
    assert not away.is_reflected_in(applied)


def test_quiet_is_sent_as_quiet_mode_enabled_and_confirmed_by_the_que_status() -> None:
    que = status_from("status_que.json")  # QuietMode true, no QuietModeEnabled
    assert que.settings.quiet is True

    assert commands.quiet(True).is_reflected_in(que)
    assert not commands.quiet(False).is_reflected_in(que)
    assert commands.quiet(False).is_reflected_in(que.apply(commands.quiet(False)))


def test_mode() -> None:
    assert dict(commands.mode(status_from(), HvacMode.DRY)) == {"UserAirconSettings.Mode": "DRY"}
    with refused("mode_not_supported") as caught:
        commands.mode(status_from("status_que.json"), HvacMode.DRY)
    assert caught.value.placeholders == {"mode": "DRY"}


def test_fan_speed_keeps_continuous_and_its_suffix_style() -> None:
    neo = status_from()  # HIGH+CONT
    que = status_from("status_que.json")  # LOW-CONT
    plain = with_settings(FanMode="AUTO")

    assert dict(commands.fan_speed(neo, FanSpeed.MEDIUM)) == {
        "UserAirconSettings.FanMode": "MED+CONT"
    }
    assert dict(commands.fan_speed(que, FanSpeed.HIGH)) == {
        "UserAirconSettings.FanMode": "HIGH-CONT"
    }
    assert dict(commands.fan_speed(plain, FanSpeed.LOW)) == {"UserAirconSettings.FanMode": "LOW"}


def test_continuous_fan_keeps_the_speed() -> None:
    assert dict(commands.continuous_fan(status_from(), False)) == {
        "UserAirconSettings.FanMode": "HIGH"
    }
    assert dict(commands.continuous_fan(with_settings(FanMode="AUTO"), True)) == {
        "UserAirconSettings.FanMode": "AUTO+CONT"
    }
    with refused("fan_speed_unknown"):
        commands.continuous_fan(with_settings(FanMode="SOMETHING"), True)


def test_continuous_style_last_seen_is_sent_back() -> None:
    """A status without a suffix takes the style last seen; one the status shows wins."""
    low = with_settings(FanMode="LOW")
    assert with_settings(FanMode="low-cont").settings.continuous_suffix == "-CONT"
    assert low.settings.continuous_suffix is None
    assert dict(commands.continuous_fan(low, True, style="-CONT")) == {
        "UserAirconSettings.FanMode": "LOW-CONT"
    }
    assert dict(commands.continuous_fan(low, True, style=None)) == {
        "UserAirconSettings.FanMode": "LOW+CONT"
    }
    assert dict(commands.fan_speed(status_from(), FanSpeed.LOW, style="-CONT")) == {
        "UserAirconSettings.FanMode": "LOW+CONT"
    }


def test_turbo() -> None:
    assert dict(commands.turbo(status_from(), True)) == {
        "UserAirconSettings.TurboMode.Enabled": True
    }
    with refused("turbo_unsupported"):
        commands.turbo(status_from("status_que.json"), True)
    with refused("turbo_unsupported"):
        commands.turbo(with_settings(TurboMode={"Supported": False, "Enabled": False}), True)


def test_setpoints_in_cool_send_only_what_is_given_unclamped_by_the_other() -> None:
    status = status_from()  # COOL, cool 23, heat 20, MinGap 2

    assert dict(commands.setpoints(status, cool=18.5)) == {COOL: 18.5}
    assert dict(commands.setpoints(status, heat=27)) == {HEAT: 27.0}
    assert dict(commands.setpoints(status, cool=18, heat=27)) == {COOL: 18.0, HEAT: 27.0}


@pytest.mark.parametrize(
    ("kwargs", "name", "placeholders"),
    [
        ({"cool": 15.5}, "cool", {"value": "15.5", "min": "16", "max": "30"}),
        ({"cool": 30.5}, "cool", {"value": "30.5", "min": "16", "max": "30"}),
        ({"heat": 31}, "heat", {"value": "31", "min": "16", "max": "30"}),
    ],
)
def test_setpoints_outside_the_limits_are_refused(
    kwargs: dict[str, float], name: str, placeholders: dict[str, str]
) -> None:
    with refused("setpoint_out_of_range") as caught:
        commands.setpoints(status_from(), **kwargs)

    assert caught.value.placeholders == {"name": name, **placeholders}


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, True, "24"])
def test_setpoints_must_be_finite_numbers(value: Any) -> None:
    with refused("invalid_number"):
        commands.setpoints(status_from(), cool=value)
    with refused("invalid_number"):
        commands.zone_setpoints(status_from(), 0, heat=value)


def test_a_setpoint_is_required() -> None:
    with refused("no_setpoint"):
        commands.setpoints(status_from())
    with refused("no_setpoint"):
        commands.setpoints(auto())
    with refused("no_setpoint"):
        commands.zone_setpoints(status_from(), 0)


@pytest.mark.parametrize(
    ("status", "kwargs", "expected"),
    [
        # Gap kept already: the other setpoint is sent unchanged.
        (auto(24, 20), {"cool": 23}, (23.0, 20.0)),
        (auto(24, 20), {"heat": 21}, (24.0, 21.0)),
        # The other one moves to keep MinGap.
        (auto(24, 20), {"cool": 21}, (21.0, 19.0)),
        (auto(24, 20), {"heat": 23.5}, (25.5, 23.5)),
        # Both given: the one equal to the current value is the one that moves.
        (auto(24, 20), {"cool": 21, "heat": 20}, (21.0, 19.0)),
        (auto(24, 20), {"cool": 24, "heat": 23}, (25.0, 23.0)),
        (auto(24, 20), {"cool": 26, "heat": 22}, (26.0, 22.0)),
        # A gap of 0 lets them meet.
        (auto(24, 20, MinGap=0), {"cool": 20}, (20.0, 20.0)),
    ],
)
def test_auto_setpoints_keep_the_gap(
    status: SystemStatus, kwargs: dict[str, float], expected: tuple[float, float]
) -> None:
    command = commands.setpoints(status, **kwargs)

    assert (command[COOL], command[HEAT]) == expected


def test_auto_setpoints_with_an_unknown_current_value() -> None:
    document = load("status_neo_full.json")
    settings = document["lastKnownState"]["UserAirconSettings"]
    settings["Mode"] = "AUTO"
    del settings["TemperatureSetpoint_Heat_oC"], settings["TemperatureSetpoint_Cool_oC"]
    document["lastKnownState"]["NV_Limits"]["UserSetpoint_oC"]["setHeat_Max"] = 25.0
    status = SystemStatus.from_json(document)

    # The missing one is derived at MinGap (2) from the given one, clamped to its limits.
    assert dict(commands.setpoints(status, cool=22)) == {COOL: 22.0, HEAT: 20.0}
    assert dict(commands.setpoints(status, heat=22)) == {COOL: 24.0, HEAT: 22.0}
    assert dict(commands.setpoints(status, cool=29)) == {COOL: 29.0, HEAT: 25.0}


@pytest.mark.parametrize(
    ("status", "kwargs"),
    [
        # The heat setpoint cannot go below its minimum of 16.
        (auto(24, 20), {"cool": 16.5}),
        # The cool setpoint cannot go above its maximum of 30.
        (auto(24, 20), {"heat": 29.5}),
        # Both changed and too close.
        (auto(24, 20), {"cool": 22, "heat": 21}),
    ],
)
def test_auto_setpoints_that_cannot_keep_the_gap_are_refused(
    status: SystemStatus, kwargs: dict[str, float]
) -> None:
    with refused("setpoint_gap") as caught:
        commands.setpoints(status, **kwargs)

    assert caught.value.placeholders["gap"] == "2"


def test_zone_enabled_sends_one_index() -> None:
    status = status_from()

    assert dict(commands.zone_enabled(status, 4, True)) == {
        "UserAirconSettings.EnabledZones[4]": True
    }
    assert dict(commands.zone_enabled(status, 0, False)) == {
        "UserAirconSettings.EnabledZones[0]": False
    }


@pytest.mark.parametrize("index", [-1, 5, 7, 8, 100, True, 1.0])
def test_unknown_or_unused_zones_are_refused(index: Any) -> None:
    status = status_from()
    builders: tuple[Callable[[], Command], ...] = (
        lambda: commands.zone_enabled(status, index, True),
        lambda: commands.zone_setpoints(status, index, cool=23),
        lambda: commands.zone_airflow(status, index, 50),
    )

    for build in builders:
        with refused("zone_unknown") as caught:
            build()
        assert caught.value.placeholders == {"index": str(index)}


def test_zone_setpoints_need_the_zones_own_temperature_control() -> None:
    """Slot 4 (Study) follows the master setpoint: the cloud refuses a setpoint of its own."""
    status = status_from()
    assert status.zones[4].itc is False
    with refused("zone_without_temperature_control") as caught:
        commands.zone_setpoints(status, 4, cool=23)
    assert caught.value.placeholders == {"index": "4"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # Master cool 23, heat 20, variance 2.
        ({"cool": 24.5}, {"RemoteZoneInfo[2].TemperatureSetpoint_Cool_oC": 24.5}),
        ({"cool": 27}, {"RemoteZoneInfo[2].TemperatureSetpoint_Cool_oC": 25.0}),
        ({"cool": 16}, {"RemoteZoneInfo[2].TemperatureSetpoint_Cool_oC": 21.0}),
        (
            {"cool": 22, "heat": 23},
            {
                "RemoteZoneInfo[2].TemperatureSetpoint_Cool_oC": 22.0,
                "RemoteZoneInfo[2].TemperatureSetpoint_Heat_oC": 22.0,
            },
        ),
    ],
)
def test_zone_setpoints_are_clamped_to_the_master_variance(
    kwargs: dict[str, float], expected: dict[str, float]
) -> None:
    assert dict(commands.zone_setpoints(status_from(), 2, **kwargs)) == expected


def test_zone_setpoints_are_clamped_to_the_limits_too() -> None:
    status = with_settings(TemperatureSetpoint_Cool_oC=29.5)

    command = commands.zone_setpoints(status, 0, cool=30)

    assert dict(command) == {"RemoteZoneInfo[0].TemperatureSetpoint_Cool_oC": 30.0}
    with refused("setpoint_out_of_range"):
        commands.zone_setpoints(status, 0, cool=31)


def test_zone_setpoints_without_a_variance_or_master() -> None:
    document = load("status_neo_full.json")
    settings = document["lastKnownState"]["UserAirconSettings"]
    del settings["ZoneTemperatureSetpointVariance_oC"], settings["TemperatureSetpoint_Heat_oC"]
    status = SystemStatus.from_json(document)

    # The variance defaults to 2 around the master cool setpoint of 23; heat has no master.
    assert dict(commands.zone_setpoints(status, 2, cool=27, heat=29)) == {
        "RemoteZoneInfo[2].TemperatureSetpoint_Cool_oC": 25.0,
        "RemoteZoneInfo[2].TemperatureSetpoint_Heat_oC": 29.0,
    }


@pytest.mark.parametrize("percent", [0, 5, 55, 100, 35.0])
def test_zone_airflow(percent: float) -> None:
    command = commands.zone_airflow(status_from(), 1, percent)

    assert dict(command) == {"RemoteZoneInfo[1].AirflowSetpoint": int(percent)}
    assert type(command["RemoteZoneInfo[1].AirflowSetpoint"]) is int


@pytest.mark.parametrize("percent", [-5, 105, 52, 52.5, math.nan, math.inf, True, "50"])
def test_zone_airflow_out_of_range(percent: Any) -> None:
    with refused("airflow_out_of_range") as caught:
        commands.zone_airflow(status_from(), 1, percent)

    assert caught.value.placeholders == {"value": str(percent)}
