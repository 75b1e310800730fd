"""Models parsed from each fixture, the uncertain readings, apply() and is_reflected_in()."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from typing import Any

import pytest

from custom_components.actronair_neo.api import (
    AcSystem,
    ActronInvalidResponseError,
    CommandResult,
    CompressorMode,
    FanSpeed,
    HvacMode,
    Limits,
    SystemStatus,
    commands,
)
from custom_components.actronair_neo.api.commands import Command
from custom_components.actronair_neo.api.models import parse_systems

from .conftest import FIXTURES, NEO_SERIAL, load, status_from

ALL_SPEEDS = frozenset(FanSpeed)


def minimal(**state: Any) -> SystemStatus:
    """Return a status whose lastKnownState holds only the given blocks."""
    return SystemStatus.from_json({"lastKnownState": state}, serial="x")


def test_full_neo_status() -> None:
    status = status_from()

    assert status.serial == NEO_SERIAL
    assert status.is_online is True
    assert status.time_since_last_contact == timedelta(seconds=7, microseconds=482154)
    assert status.last_status_update == datetime(2026, 11, 20, 4, 12, 35, 123456, tzinfo=UTC)
    settings = status.settings
    assert settings.is_on is True
    assert settings.mode is HvacMode.COOL
    assert (settings.fan_speed, settings.continuous_fan) == (FanSpeed.HIGH, True)
    assert (settings.cool_setpoint, settings.heat_setpoint) == (23.0, 20.0)
    assert settings.zone_setpoint_variance == 2.0
    assert settings.enabled_zones == (True, True, True, True, False, False, False, False)
    assert (settings.away, settings.quiet) == (False, False)
    assert (settings.turbo_supported, settings.turbo_enabled) == (True, False)
    assert settings.supported_modes == frozenset(HvacMode)
    assert (status.master.temperature, status.master.humidity) == (24.3, 52.1)
    assert status.master.outdoor_temperature == 31.5
    assert status.master.control_all_zones is None
    assert status.live.system_on is True
    assert status.live.compressor_mode is CompressorMode.COOL
    assert (status.live.compressor_capacity, status.live.fan_rpm) == (62.0, 1180)
    assert status.live.defrost is False
    assert status.outdoor.ambient_temperature == 31.5
    assert (status.outdoor.compressor_power, status.outdoor.compressor_speed) == (2150.0, 58.0)
    assert (status.alerts.clean_filter, status.alerts.defrosting) == (False, False)
    assert status.limits == Limits(16.0, 30.0, 16.0, 30.0, 2.0)
    assert status.info.model == "NTB-1000"
    assert status.info.serial == "24K01234"
    assert status.info.firmware == "01.01.032"
    assert (status.info.indoor_model, status.info.outdoor_model) == ("EPD-200T", "ESP-200T")
    assert status.info.outdoor_family == "ESP Plus"
    assert status.info.fan_speeds == ALL_SPEEDS


def test_full_neo_zones_and_sensors() -> None:
    status = status_from()

    assert len(status.zones) == 8
    assert [zone.index for zone in status.zones] == list(range(8))
    used = [zone for zone in status.zones if zone.exists]
    assert [zone.name for zone in used] == ["Living", "Kitchen", "Master Bed", "Bed 2", "Study"]
    assert [zone.itc for zone in used] == [True, False, True, False, False]
    # ZonePosition 20/12/16/8/0 are steps of 5 %.
    assert [zone.damper_percent for zone in used] == [100.0, 60.0, 80.0, 40.0, 0.0]
    living = status.zones[0]
    assert (living.temperature, living.humidity) == (23.8, 51.2)
    assert (living.cool_setpoint, living.heat_setpoint) == (23.0, 20.0)
    assert (living.airflow_control, living.airflow_setpoint) == (True, 100)
    assert living.can_operate is True
    [sensor] = living.sensors
    assert (sensor.serial, sensor.connected, sensor.kind) == ("A1B2C3", True, "RZ3_S_WIRELESS")
    assert (sensor.signal, sensor.battery) == (3, 87.0)
    assert status.zones[1].sensors == ()
    assert status.zone_enabled(3) is True
    assert status.zone_enabled(4) is False
    assert status.zone_enabled(8) is None
    assert status.zone_enabled(-1) is None
    first, second = status.peripherals
    assert (first.serial, first.zone_index, first.device_type) == ("A1B2C3", 0, "Zone Sensor")
    assert (first.battery, first.rssi, first.temperature, first.humidity) == (87.0, -61, 23.8, 51.2)
    assert (second.serial, second.zone_index) == ("D4E5F6", 2)


def test_que_status() -> None:
    status = status_from("status_que.json", serial="25q05678")

    assert status.master.control_all_zones is True
    assert status.time_since_last_contact == timedelta(days=1, hours=2, minutes=3, seconds=4)
    assert status.settings.mode is HvacMode.HEAT
    assert (status.settings.fan_speed, status.settings.continuous_fan) == (FanSpeed.LOW, True)
    assert status.settings.fan_mode == "LOW-CONT"
    assert status.settings.quiet is True  # only `QuietMode` there
    assert status.settings.turbo_supported is None
    assert status.settings.supported_modes == {
        HvacMode.COOL,
        HvacMode.HEAT,
        HvacMode.AUTO,
        HvacMode.FAN,
    }
    assert status.limits == Limits(18.0, 30.0, 16.0, 28.0, 1.0)
    # Positions above 20 can only be percent.
    assert [zone.damper_percent for zone in status.zones[:3]] == [100.0, 35.0, 80.0]
    assert status.alerts.clean_filter is True
    assert status.outdoor.compressor_power == 0.0
    assert status.info.fan_speeds == {FanSpeed.LOW, FanSpeed.MEDIUM, FanSpeed.HIGH}
    assert status.peripherals == ()


def test_sparse_status() -> None:
    status = SystemStatus.from_json(load("status_sparse.json"))

    assert status.serial == ""
    assert status.is_online is False
    assert status.time_since_last_contact == timedelta(days=12, hours=6, minutes=41, seconds=9)
    assert status.last_status_update is None
    assert status.settings.is_on is False
    assert (status.settings.fan_speed, status.settings.continuous_fan) == (FanSpeed.LOW, False)
    assert status.settings.cool_setpoint is None
    assert status.settings.enabled_zones == ()
    assert status.zone_enabled(0) is None
    assert status.limits == Limits()
    assert status.live.system_on is None
    assert status.outdoor.ambient_temperature is None
    assert status.info.fan_speeds == ALL_SPEEDS
    assert [zone.name for zone in status.zones] == ["Zone 1", "Zone 2"]
    assert [zone.damper_percent for zone in status.zones] == [100.0, None]
    assert status.zones[1].sensors == ()
    assert status.peripherals == ()


def test_wrong_types_degrade_one_field_each() -> None:
    status = status_from("status_wrong_types.json")
    good = status_from()

    assert status.is_online is None
    assert status.time_since_last_contact is None
    assert status.last_status_update is None
    settings = status.settings
    assert (settings.is_on, settings.mode, settings.fan_speed, settings.fan_mode) == (
        None,
        None,
        None,
        None,
    )
    assert settings.cool_setpoint is None
    assert settings.heat_setpoint == 20.0
    assert settings.enabled_zones == ()
    assert (settings.turbo_supported, settings.turbo_enabled) == (None, None)
    assert settings.supported_modes == {
        HvacMode.COOL,
        HvacMode.HEAT,
        HvacMode.AUTO,
        HvacMode.FAN,
    }
    assert settings.away is False
    assert (status.master.temperature, status.master.humidity) == (None, None)
    assert status.master.outdoor_temperature == 31.5
    assert status.live.compressor_mode is None
    assert status.live.fan_rpm == 1180
    assert status.outdoor.ambient_temperature is None
    assert status.alerts.clean_filter is None
    # A broken bound falls back to the default; an inverted pair falls back as a whole.
    assert status.limits == Limits(16.0, 30.0, 16.0, 30.0, 2.0)
    zones = status.zones
    assert (zones[0].temperature, zones[0].name, zones[0].humidity) == (None, None, 51.2)
    assert zones[1].sensors == ()
    assert zones[2].damper_percent is None
    assert zones[1].damper_percent == good.zones[1].damper_percent
    assert not zones[3].exists
    assert zones[3].name is None
    assert zones[4] == good.zones[4]
    assert len(status.peripherals) == 2
    assert (status.peripherals[0].rssi, status.peripherals[0].zone_index) == (None, 0)
    assert status.peripherals[1].serial is None
    assert status.peripherals[1].zone_index is None
    assert status.info.indoor_model is None
    assert status.info.model == "NTB-1000"


def test_status_from_json_text_and_bad_documents() -> None:
    text = (FIXTURES / "status_neo_full.json").read_text()

    assert SystemStatus.from_json(text, serial=NEO_SERIAL) == status_from()
    assert SystemStatus.from_json(text.encode()).serial == "24K01234"
    for bad in ("{broken", "[]", None, 42, ["lastKnownState"]):
        with pytest.raises(ActronInvalidResponseError):
            SystemStatus.from_json(bad)


def test_raw_is_kept_but_not_compared_or_shown() -> None:
    document = load("status_neo_full.json")
    status = SystemStatus.from_json(document, serial=NEO_SERIAL)
    other_raw = SystemStatus.from_json({**document, "_links": {}}, serial=NEO_SERIAL)

    assert status.raw is document
    assert status == other_raw
    assert "Henderson-Family-5G" not in repr(status)
    assert "raw" not in repr(status)


@pytest.mark.parametrize(
    ("fan_mode", "speed", "continuous"),
    [
        ("LOW", FanSpeed.LOW, False),
        ("MED", FanSpeed.MEDIUM, False),
        ("med+cont", FanSpeed.MEDIUM, True),
        ("HIGH-CONT", FanSpeed.HIGH, True),
        ("AUTO+CONT", FanSpeed.AUTO, True),
        ("TURBO", None, False),
        ("TURBO+CONT", None, True),
    ],
)
def test_fan_modes(fan_mode: str, speed: FanSpeed | None, continuous: bool) -> None:
    settings = minimal(UserAirconSettings={"FanMode": fan_mode}).settings

    assert (settings.fan_speed, settings.continuous_fan) == (speed, continuous)


@pytest.mark.parametrize(
    ("settings", "modes"),
    [
        ({"Mode": "COOL"}, {"COOL", "HEAT", "AUTO", "FAN"}),
        ({"Mode": "DRY"}, {"COOL", "HEAT", "AUTO", "FAN", "DRY"}),
        (
            {"ModeSupport": {"Cool": True, "Heat": False, "Fan": True, "Dry": True}},
            {"COOL", "FAN", "DRY"},
        ),
        ({"ModeSupport": {"Cool": True}, "Mode": "HEAT"}, {"COOL", "HEAT"}),
        ({"ModeSupport": {"Cool": "yes"}}, {"COOL", "HEAT", "AUTO", "FAN"}),
    ],
)
def test_supported_modes(settings: dict[str, Any], modes: set[str]) -> None:
    status = minimal(UserAirconSettings=settings)

    assert status.settings.supported_modes == {HvacMode(mode) for mode in modes}


def test_turbo_mode_given_as_a_plain_flag() -> None:
    settings = minimal(UserAirconSettings={"TurboMode": True}).settings

    assert (settings.turbo_supported, settings.turbo_enabled) == (None, True)


@pytest.mark.parametrize(
    ("indoor", "speeds"),
    [
        ({"NV_SupportedFanModes": 15}, ALL_SPEEDS),
        ({"NV_SupportedFanModes": 7}, ALL_SPEEDS - {FanSpeed.AUTO}),
        ({"NV_SupportedFanModes": 7, "NV_AutoFanEnabled": True}, ALL_SPEEDS),
        ({"NV_AutoFanEnabled": False}, ALL_SPEEDS - {FanSpeed.AUTO}),
        ({"NV_SupportedFanModes": 0}, ALL_SPEEDS),
    ],
)
def test_fan_speeds(indoor: dict[str, Any], speeds: frozenset[FanSpeed]) -> None:
    status = minimal(AirconSystem={"IndoorUnit": indoor})

    assert status.info.fan_speeds == speeds


@pytest.mark.parametrize(
    ("positions", "percents"),
    [
        ([0, 10, 20], [0.0, 50.0, 100.0]),
        ([5, 20, 40], [5.0, 20.0, 40.0]),
        ([150, -5, 60.5], [100.0, 0.0, 60.5]),
        ([None, 8], [None, 40.0]),
    ],
)
def test_damper_positions(positions: list[Any], percents: list[float | None]) -> None:
    zones = minimal(RemoteZoneInfo=[{"ZonePosition": value} for value in positions]).zones

    assert [zone.damper_percent for zone in zones] == percents


def _with_sensors(*peripherals: dict[str, Any], listed: dict[int, str]) -> SystemStatus:
    slots = [
        {"NV_Exists": True, "Sensors": {listed[index]: {}} if index in listed else {}}
        for index in range(4)
    ] + [{"NV_Exists": False}]
    return minimal(RemoteZoneInfo=slots, AirconSystem={"Peripherals": list(peripherals)})


def test_sensors_map_to_zones_by_their_sensors_key_first() -> None:
    # ZoneAssignment says zone 3, but zone 1 lists the sensor: the zone's own list wins.
    status = _with_sensors({"SerialNumber": "aa11", "ZoneAssignment": 3}, listed={1: "AA11"})

    assert status.peripherals[0].zone_index == 1


def test_zone_assignment_base_is_learnt_from_located_sensors() -> None:
    located = {"SerialNumber": "aa11", "ZoneAssignment": 1}
    unlisted = {"SerialNumber": "bb22", "ZoneAssignment": 2}

    zero_based = _with_sensors(located, unlisted, listed={1: "aa11"})
    one_based = _with_sensors(located, unlisted, listed={0: "aa11"})

    assert zero_based.peripherals[1].zone_index == 2
    assert one_based.peripherals[1].zone_index == 1


@pytest.mark.parametrize(
    ("assignment", "zone_index"),
    [(1, 0), (4, 3), (0, None), (5, None), (9, None), ([2], 1), ([], None), ("2", None)],
)
def test_zone_assignment_alone_is_one_based(assignment: object, zone_index: int | None) -> None:
    status = _with_sensors({"SerialNumber": "cc33", "ZoneAssignment": assignment}, listed={})

    assert status.peripherals[0].zone_index == zone_index


def test_systems_list() -> None:
    systems = parse_systems(load("systems.json"))

    assert [system.serial for system in systems] == ["24k01234", "25q05678"]
    assert [system.is_que for system in systems] == [False, True]
    assert AcSystem.from_json({"type": "nxgen", "serial": "x"}).is_que  # type: ignore[union-attr]
    assert AcSystem.from_json({"type": "neo"}) is None
    assert parse_systems({}) == ()
    assert parse_systems({"_embedded": {"ac-system": [{"serial": ""}, "junk"]}}) == ()
    with pytest.raises(ActronInvalidResponseError):
        parse_systems([])


def test_command_result() -> None:
    result = CommandResult.from_json({"correlationId": 5, "type": "ack", "value": {"a": 1}})

    assert (result.correlation_id, result.type, result.value) == (None, "ack", {"a": 1})
    assert result.mwc_response_time is None


def test_timespans() -> None:
    def since(value: object) -> timedelta | None:
        return SystemStatus.from_json({"timeSinceLastContact": value}).time_since_last_contact

    assert since("00:00:01") == timedelta(seconds=1)
    assert since("-00:01:00") == timedelta(minutes=-1)
    assert since("3.00:00:00.5") == timedelta(days=3, milliseconds=500)
    assert since("soon") is None


def test_last_contact_counts_back_from_when_the_status_arrived() -> None:
    received = datetime(2026, 11, 20, 4, 12, 35, 700000, tzinfo=UTC)
    document = {"timeSinceLastContact": "00:00:02.6", "lastKnownState": {}}
    status = SystemStatus.from_json(document, received_at=received)

    assert status.last_contact == datetime(2026, 11, 20, 4, 12, 32, tzinfo=UTC)
    # The optimistic copy a command makes keeps the moment.
    assert status.apply({"UserAirconSettings.isOn": True}).last_contact == status.last_contact
    assert SystemStatus.from_json(document).last_contact is None
    assert SystemStatus.from_json({}, received_at=received).last_contact is None


@pytest.mark.parametrize(
    ("value", "rpm"), [(1180, 1180), (1180.0, 1180), (1180.5, None), ("1180", None), (True, None)]
)
def test_integers_take_whole_floats_only(value: object, rpm: int | None) -> None:
    assert minimal(LiveAircon={"FanRPM": value}).live.fan_rpm == rpm


def test_naive_timestamps_are_utc() -> None:
    status = SystemStatus.from_json({"lastStatusUpdate": "2026-11-20T04:12:35"})

    assert status.last_status_update == datetime(2026, 11, 20, 4, 12, 35, tzinfo=UTC)


def test_apply_predicts_the_status_without_touching_the_original() -> None:
    status = status_from()
    before = json.dumps(status.raw, sort_keys=True)
    command = (
        commands.power(False)
        .merge(commands.zone_enabled(status, 3, False))
        .merge(commands.zone_setpoints(status, 2, cool=23.5))
        .merge(commands.fan_speed(status, FanSpeed.LOW))
    )

    predicted = status.apply(command)

    assert predicted.settings.is_on is False
    assert predicted.zone_enabled(3) is False
    assert predicted.settings.enabled_zones[:3] == (True, True, True)
    assert predicted.zones[2].cool_setpoint == 23.5
    assert (predicted.settings.fan_speed, predicted.settings.continuous_fan) == (
        FanSpeed.LOW,
        True,
    )
    assert predicted.serial == status.serial
    assert json.dumps(status.raw, sort_keys=True) == before
    assert status.settings.is_on is True
    # Untouched blocks are shared, not copied.
    assert predicted.raw["lastKnownState"]["Servicing"] is status.raw["lastKnownState"]["Servicing"]


def test_apply_creates_what_a_sparse_status_lacks() -> None:
    status = SystemStatus.from_json(load("status_sparse.json"), serial="x")
    command = Command(
        {
            "UserAirconSettings.TurboMode.Enabled": True,
            "UserAirconSettings.EnabledZones[2]": True,
            "RemoteZoneInfo[3].AirflowSetpoint": 45,
            "RemoteZoneInfo[0].NV_Title": "Renamed",
        }
    )

    predicted = status.apply(command)

    assert predicted.settings.turbo_enabled is True
    assert predicted.settings.enabled_zones == (False, False, True)
    assert len(predicted.zones) == 4
    assert predicted.zones[3].airflow_setpoint == 45
    assert predicted.zones[0].name == "Renamed"
    assert command.is_reflected_in(predicted)
    assert not command.is_reflected_in(status)


def test_apply_replaces_containers_of_the_wrong_type() -> None:
    status = minimal(UserAirconSettings="broken", RemoteZoneInfo={"not": "a list"})

    predicted = status.apply(
        Command({"UserAirconSettings.isOn": True, "RemoteZoneInfo[1].NV_Exists": True})
    )

    assert predicted.settings.is_on is True
    assert [zone.exists for zone in predicted.zones] == [False, True]


def test_is_reflected_in() -> None:
    status = status_from()

    assert Command({"UserAirconSettings.TemperatureSetpoint_Cool_oC": 23.004}).is_reflected_in(
        status
    )
    assert not Command({"UserAirconSettings.TemperatureSetpoint_Cool_oC": 23.5}).is_reflected_in(
        status
    )
    assert Command({"UserAirconSettings.Mode": "cool"}).is_reflected_in(status)
    assert Command({"UserAirconSettings.EnabledZones[4]": False}).is_reflected_in(status)
    assert not Command({"UserAirconSettings.EnabledZones[4]": 0}).is_reflected_in(status)
    assert not Command({"UserAirconSettings.AirflowSetpoint": 0}).is_reflected_in(status)
    assert not Command({"RemoteZoneInfo[9].AirflowSetpoint": 100}).is_reflected_in(status)
    assert not Command({"UserAirconSettings.isOn.deeper": True}).is_reflected_in(status)
    assert not Command({"UserAirconSettings.Mode": 1}).is_reflected_in(status)
    assert status.value_at("RemoteZoneInfo[2].NV_Title") == "Master Bed"
    assert status.value_at("Nothing.Here") is None


@pytest.mark.parametrize(
    "key", ["UserAirconSettings..isOn", "[2].x", "RemoteZoneInfo[x].Name", "Zones[1]x", ""]
)
def test_a_malformed_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="Not a dotted key"):
        status_from().value_at(key)
    with pytest.raises(ValueError, match="Not a dotted key"):
        Command({key: True})
