"""The simulated wall controller: delay, clamping, deadband, fan suffix, zones, drift, offline."""

from typing import Any

import pytest

from actronair_neo_sim import (
    CloudState,
    CommandError,
    ManualClock,
    SystemNotFoundError,
    SystemOfflineError,
    ZoneSpec,
    default_scenario,
    generate_scenario,
    que_system,
)

from .conftest import NEO_SERIAL, QUE_SERIAL, SMALL_SERIAL


def make_state(clock: ManualClock, delay: float = 3.0) -> CloudState:
    return CloudState(default_scenario(que=True), clock=clock, command_delay=delay)


def send(state: CloudState, serial: str, **settings: Any) -> None:
    state.send_command(serial, {"command": {**settings, "type": "set-settings"}})


def settings_of(state: CloudState, serial: str = NEO_SERIAL) -> Any:
    return state.status(serial)["lastKnownState"]["UserAirconSettings"]


def zone_of(state: CloudState, slot: int, serial: str = NEO_SERIAL) -> Any:
    return state.status(serial)["lastKnownState"]["RemoteZoneInfo"][slot]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def state(clock: ManualClock) -> CloudState:
    return make_state(clock, delay=0)


def test_command_shows_only_after_the_delay(clock: ManualClock) -> None:
    state = make_state(clock, delay=3.0)
    assert settings_of(state)["isOn"] is True
    send(state, NEO_SERIAL, **{"UserAirconSettings.isOn": False})
    clock.advance(2.9)
    assert settings_of(state)["isOn"] is True
    clock.advance(0.1)
    assert settings_of(state)["isOn"] is False


def test_commands_apply_in_the_order_sent(clock: ManualClock) -> None:
    state = make_state(clock, delay=3.0)
    send(state, NEO_SERIAL, **{"UserAirconSettings.Mode": "HEAT"})
    send(state, NEO_SERIAL, **{"UserAirconSettings.Mode": "FAN"})
    clock.advance(3)
    assert settings_of(state)["Mode"] == "FAN"


def test_zero_delay_shows_at_once(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.FanMode": "HIGH"})
    assert settings_of(state)["FanMode"] == "HIGH"


def test_master_setpoints_are_clamped_to_the_limits(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Cool_oC": 12})
    assert settings_of(state)["TemperatureSetpoint_Cool_oC"] == 16.0
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Heat_oC": 35.5})
    assert settings_of(state)["TemperatureSetpoint_Heat_oC"] == 30.0


def test_auto_keeps_the_deadband_moving_the_setpoint_not_sent(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.Mode": "AUTO"})
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Cool_oC": 20.5})
    settings = settings_of(state)
    assert (settings["TemperatureSetpoint_Cool_oC"], settings["TemperatureSetpoint_Heat_oC"]) == (
        20.5,
        18.5,
    )
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Heat_oC": 22})
    settings = settings_of(state)
    assert (settings["TemperatureSetpoint_Cool_oC"], settings["TemperatureSetpoint_Heat_oC"]) == (
        24.0,
        22.0,
    )


def test_auto_deadband_gives_way_at_the_limit(state: CloudState) -> None:
    send(
        state,
        NEO_SERIAL,
        **{
            "UserAirconSettings.Mode": "AUTO",
            "UserAirconSettings.TemperatureSetpoint_Heat_oC": 29.5,
        },
    )
    settings = settings_of(state)
    assert settings["TemperatureSetpoint_Cool_oC"] == 30.0
    assert settings["TemperatureSetpoint_Heat_oC"] == 28.0


def test_outside_auto_the_setpoints_do_not_push_each_other(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Cool_oC": 19})
    assert settings_of(state)["TemperatureSetpoint_Heat_oC"] == 20.0


def test_switching_to_auto_restores_the_deadband(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Cool_oC": 19})
    send(state, NEO_SERIAL, **{"UserAirconSettings.Mode": "AUTO"})
    settings = settings_of(state)
    assert settings["TemperatureSetpoint_Cool_oC"] - settings["TemperatureSetpoint_Heat_oC"] == 2.0


def test_fan_mode_keeps_the_continuous_suffix_as_sent(state: CloudState) -> None:
    assert settings_of(state)["FanMode"] == "AUTO+CONT"
    send(state, NEO_SERIAL, **{"UserAirconSettings.FanMode": "LOW+CONT"})
    assert settings_of(state)["FanMode"] == "LOW+CONT"
    send(state, NEO_SERIAL, **{"UserAirconSettings.FanMode": "MED-CONT"})
    assert settings_of(state)["FanMode"] == "MED-CONT"


def test_enabled_zones_change_per_index(state: CloudState) -> None:
    before = settings_of(state)["EnabledZones"]
    send(state, NEO_SERIAL, **{"UserAirconSettings.EnabledZones[4]": True})
    send(state, NEO_SERIAL, **{"UserAirconSettings.EnabledZones[1]": False})
    after = settings_of(state)["EnabledZones"]
    assert before == [True, True, True, True, False, False, False, False]
    assert after == [True, False, True, True, True, False, False, False]
    assert settings_of(state)["NV_SavedZoneState"] == after


def test_enabled_zones_as_a_whole_array(state: CloudState) -> None:
    flags = [False, True, False, False, True, False, False, False]
    send(state, NEO_SERIAL, **{"UserAirconSettings.EnabledZones": flags})
    assert settings_of(state)["EnabledZones"] == flags


def test_zone_setpoints_are_clamped_to_master_plus_minus_variance(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"RemoteZoneInfo[0].TemperatureSetpoint_Cool_oC": 27})
    assert zone_of(state, 0)["TemperatureSetpoint_Cool_oC"] == 25.0  # master 23 + 2
    send(state, NEO_SERIAL, **{"RemoteZoneInfo[0].TemperatureSetpoint_Heat_oC": 10})
    assert zone_of(state, 0)["TemperatureSetpoint_Heat_oC"] == 18.0  # master 20 - 2
    send(state, NEO_SERIAL, **{"RemoteZoneInfo[2].TemperatureSetpoint_Cool_oC": 21.5})
    assert zone_of(state, 2)["TemperatureSetpoint_Cool_oC"] == 21.5


def test_zone_setpoints_follow_a_moved_master(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Cool_oC": 27})
    assert zone_of(state, 2)["TemperatureSetpoint_Cool_oC"] == 25.0  # was 22, window now 25..29
    assert zone_of(state, 1)["TemperatureSetpoint_Cool_oC"] == 27.0  # no ITC: the master's


def test_zone_setpoints_never_leave_the_limits(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Cool_oC": 16.5})
    send(state, NEO_SERIAL, **{"RemoteZoneInfo[0].TemperatureSetpoint_Cool_oC": 14.0})
    assert zone_of(state, 0)["TemperatureSetpoint_Cool_oC"] == 16.0


def test_airflow_rounds_to_steps_of_five(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"RemoteZoneInfo[1].AirflowSetpoint": 42})
    zone = zone_of(state, 1)
    assert zone["AirflowSetpoint"] == 40
    assert zone["ZonePosition"] == 8


def test_away_quiet_and_turbo(state: CloudState) -> None:
    send(
        state,
        NEO_SERIAL,
        **{
            "UserAirconSettings.AwayMode": True,
            "UserAirconSettings.QuietMode": True,
            "UserAirconSettings.TurboMode.Enabled": True,
        },
    )
    settings = settings_of(state)
    assert settings["AwayMode"] is True
    assert settings["QuietModeEnabled"] is True
    assert settings["QuietMode"] is True
    assert settings["TurboMode"] == {"Supported": True, "Enabled": True}
    send(state, NEO_SERIAL, **{"UserAirconSettings.QuietModeEnabled": False})
    assert settings_of(state)["QuietModeEnabled"] is False


@pytest.mark.parametrize(
    ("serial", "settings", "message"),
    [
        (NEO_SERIAL, {"UserAirconSettings.Nope": 1}, "unknown setting"),
        (NEO_SERIAL, {"Foo.isOn": True}, "unknown setting"),
        (NEO_SERIAL, {"RemoteZoneInfo[0].NV_Title": "x"}, "unknown setting"),
        (NEO_SERIAL, {"UserAirconSettings.isOn": 1}, "true or false"),
        (NEO_SERIAL, {"UserAirconSettings.Mode": "DRY"}, "takes one of"),
        (NEO_SERIAL, {"UserAirconSettings.Mode": 3}, "takes one of"),
        (NEO_SERIAL, {"UserAirconSettings.FanMode": "TURBO"}, "not a fan mode"),
        (NEO_SERIAL, {"UserAirconSettings.FanMode": None}, "not a fan mode"),
        (SMALL_SERIAL, {"UserAirconSettings.FanMode": "AUTO"}, "not a fan mode"),
        (NEO_SERIAL, {"UserAirconSettings.TemperatureSetpoint_Cool_oC": "22"}, "a number"),
        (NEO_SERIAL, {"UserAirconSettings.TemperatureSetpoint_Cool_oC": True}, "a number"),
        (NEO_SERIAL, {"UserAirconSettings.TemperatureSetpoint_Heat_oC": 80}, "not a temperature"),
        (NEO_SERIAL, {"UserAirconSettings.EnabledZones[5]": True}, "not in use"),
        (NEO_SERIAL, {"UserAirconSettings.EnabledZones[8]": True}, "not in use"),
        (NEO_SERIAL, {"UserAirconSettings.EnabledZones": [True] * 7}, "list of 8"),
        (NEO_SERIAL, {"UserAirconSettings.EnabledZones": [True] * 8}, "only zone slots in use"),
        (NEO_SERIAL, {"RemoteZoneInfo[1].TemperatureSetpoint_Cool_oC": 22}, "individual"),
        (NEO_SERIAL, {"RemoteZoneInfo[6].AirflowSetpoint": 50}, "not in use"),
        (NEO_SERIAL, {"RemoteZoneInfo[0].AirflowSetpoint": 120}, "percentage"),
        (SMALL_SERIAL, {"UserAirconSettings.TurboMode.Enabled": True}, "no turbo"),
    ],
)
def test_bad_commands_are_refused_and_change_nothing(
    state: CloudState, serial: str, settings: dict[str, Any], message: str
) -> None:
    before = state.status(serial)["lastKnownState"]
    with pytest.raises(CommandError, match=message):
        send(state, serial, **{"UserAirconSettings.isOn": False, **settings})
    assert state.status(serial)["lastKnownState"] == before


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"x": 1},
        {"command": []},
        {"command": {"UserAirconSettings.isOn": True}},
        {"command": {"UserAirconSettings.isOn": True, "type": "get-settings"}},
        {"command": {"type": "set-settings"}},
    ],
)
def test_malformed_command_bodies_are_refused(state: CloudState, body: object) -> None:
    with pytest.raises(CommandError):
        state.send_command(NEO_SERIAL, body)


def test_unknown_serial_and_other_accounts(state: CloudState) -> None:
    with pytest.raises(SystemNotFoundError):
        state.status("nope1234")
    with pytest.raises(SystemNotFoundError):
        state.status(NEO_SERIAL, "someone@else.example")
    assert state.status(NEO_SERIAL.upper())["lastKnownState"]["AirconSystem"]["MasterSerial"] == (
        NEO_SERIAL.upper()
    )


def master_temperature(state: CloudState, serial: str = NEO_SERIAL) -> float:
    return float(state.status(serial)["lastKnownState"]["MasterInfo"]["LiveTemp_oC"])


def test_rooms_drift_towards_the_setpoint_while_cooling(clock: ManualClock) -> None:
    state = make_state(clock, delay=0)
    start = master_temperature(state)
    clock.advance(600)
    middle = master_temperature(state)
    clock.advance(6 * 3600)
    assert start > middle > 23.0
    assert master_temperature(state) == 23.0
    living, kitchen = zone_of(state, 0), zone_of(state, 1)
    assert living["LiveTemp_oC"] == 23.0  # ITC zone at its own (the master's) setpoint
    assert zone_of(state, 2)["LiveTemp_oC"] == 22.0  # ITC zone with its own 22
    assert kitchen["LiveTemp_oC"] == master_temperature(state)  # no sensor: the controller's


def test_a_disabled_sensor_zone_relaxes_to_ambient(clock: ManualClock) -> None:
    state = make_state(clock, delay=0)
    send(state, NEO_SERIAL, **{"UserAirconSettings.EnabledZones[2]": False})
    clock.advance(8 * 3600)
    assert zone_of(state, 2)["LiveTemp_oC"] == 26.2


def test_drift_heats_and_an_idle_unit_relaxes(clock: ManualClock) -> None:
    state = make_state(clock, delay=0)
    send(state, SMALL_SERIAL, **{"UserAirconSettings.isOn": True})
    send(state, SMALL_SERIAL, **{"UserAirconSettings.Mode": "COOL"})
    clock.advance(8 * 3600)
    assert master_temperature(state, SMALL_SERIAL) == 24.0
    send(state, SMALL_SERIAL, **{"UserAirconSettings.Mode": "FAN"})
    clock.advance(8 * 3600)
    assert master_temperature(state, SMALL_SERIAL) == 27.0


def test_drift_is_deterministic_whatever_the_read_pattern() -> None:
    often, rarely = ManualClock(), ManualClock()
    watched, unwatched = make_state(often, delay=2), make_state(rarely, delay=2)
    for state in (watched, unwatched):
        send(state, NEO_SERIAL, **{"UserAirconSettings.Mode": "AUTO"})
    for _ in range(347):
        often.advance(7.3)
        watched.status(NEO_SERIAL)
    rarely.advance(347 * 7.3)
    assert watched.status(NEO_SERIAL) == unwatched.status(NEO_SERIAL)


def test_a_long_absence_is_caught_up_quickly(clock: ManualClock) -> None:
    state = make_state(clock, delay=0)
    clock.advance(30 * 86400)
    assert master_temperature(state) == 23.0


def live(state: CloudState, serial: str = NEO_SERIAL) -> Any:
    return state.status(serial)["lastKnownState"]["LiveAircon"]


def test_compressor_power_and_outdoor_figures_follow_the_mode(state: CloudState) -> None:
    cooling = live(state)
    assert cooling["CompressorMode"] == "COOL"
    assert cooling["SystemOn"] is True
    assert cooling["CompressorCapacity"] > 0
    assert cooling["OutdoorUnit"]["CompPower"] > 0
    assert cooling["OutdoorUnit"]["CoilTemp"] > cooling["OutdoorUnit"]["AmbTemp"]
    assert cooling["FanRPM"] > 0
    send(state, NEO_SERIAL, **{"UserAirconSettings.Mode": "HEAT"})
    assert live(state)["CompressorMode"] == "OFF"  # 26.2 inside, heat setpoint 20: nothing to do
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Heat_oC": 28})
    heating = live(state)
    assert heating["CompressorMode"] == "HEAT"
    assert heating["OutdoorUnit"]["CoilTemp"] < heating["OutdoorUnit"]["AmbTemp"]
    assert heating["OutdoorUnit"]["ReverseValvePosition"] == "Heat"
    send(state, NEO_SERIAL, **{"UserAirconSettings.Mode": "FAN"})
    fan = live(state)
    assert (fan["CompressorMode"], fan["CompressorCapacity"]) == ("OFF", 0)
    assert fan["OutdoorUnit"]["CompPower"] == 0
    assert fan["FanRPM"] > 0
    send(state, NEO_SERIAL, **{"UserAirconSettings.isOn": False})
    off = live(state)
    assert (off["SystemOn"], off["FanRPM"], off["CompressorMode"]) == (False, 0, "OFF")


def test_turbo_runs_flat_out_and_quiet_holds_back(state: CloudState) -> None:
    send(state, NEO_SERIAL, **{"UserAirconSettings.TemperatureSetpoint_Cool_oC": 16})
    assert live(state)["CompressorCapacity"] == 100
    send(state, NEO_SERIAL, **{"UserAirconSettings.QuietModeEnabled": True})
    assert live(state)["CompressorCapacity"] == 70
    send(state, NEO_SERIAL, **{"UserAirconSettings.TurboMode.Enabled": True})
    assert live(state)["CompressorCapacity"] == 100


def test_dry_mode_and_a_satisfied_room(state: CloudState) -> None:
    send(state, QUE_SERIAL, **{"UserAirconSettings.isOn": True, "UserAirconSettings.Mode": "DRY"})
    assert live(state, QUE_SERIAL)["CompressorCapacity"] == 40
    send(
        state,
        QUE_SERIAL,
        **{"UserAirconSettings.Mode": "AUTO", "UserAirconSettings.TemperatureSetpoint_Cool_oC": 27},
    )  # 25 inside, 19..27 wanted
    idle = live(state, QUE_SERIAL)
    assert idle["CompressorMode"] == "OFF"
    assert idle["AmRunningFan"] is False  # AUTO fan without +CONT stops with the compressor


def test_fixed_speed_units_report_no_compressor_power(state: CloudState) -> None:
    send(
        state,
        SMALL_SERIAL,
        **{"UserAirconSettings.isOn": True, "UserAirconSettings.TemperatureSetpoint_Heat_oC": 29},
    )
    heating = live(state, SMALL_SERIAL)
    assert heating["CompressorMode"] == "HEAT"
    assert heating["OutdoorUnit"]["CompPower"] == 0
    assert heating["FanRPM"] == 1150  # LOW


def test_an_offline_controller_refuses_commands_and_freezes(clock: ManualClock) -> None:
    state = make_state(clock, delay=3)
    send(state, NEO_SERIAL, **{"UserAirconSettings.isOn": False})
    state.set_online(NEO_SERIAL, False)
    frozen = state.status(NEO_SERIAL)
    clock.advance(3600)
    with pytest.raises(SystemOfflineError):
        send(state, NEO_SERIAL, **{"UserAirconSettings.isOn": True})
    later = state.status(NEO_SERIAL)
    assert later["isOnline"] is False
    assert later["timeSinceLastContact"] == "01:00:00.0000000"
    assert later["lastKnownState"] == frozen["lastKnownState"]
    state.set_online(NEO_SERIAL, False)  # still offline: nothing moves
    state.set_online(NEO_SERIAL, True)
    back = state.status(NEO_SERIAL)
    assert back["isOnline"] is True
    assert back["lastKnownState"]["UserAirconSettings"]["isOn"] is False  # the pending command


def test_zones_can_be_added_and_removed(state: CloudState) -> None:
    slot = state.add_zone(NEO_SERIAL, ZoneSpec(name="Garage", itc=True, cool_setpoint=29))
    assert slot == 5
    zone = zone_of(state, 5)
    assert (zone["NV_Exists"], zone["NV_Title"], zone["TemperatureSetpoint_Cool_oC"]) == (
        True,
        "Garage",
        25.0,
    )
    assert settings_of(state)["EnabledZones"][5] is True
    state.remove_zone(NEO_SERIAL, 0)
    assert zone_of(state, 0)["NV_Exists"] is False
    assert settings_of(state)["EnabledZones"][0] is False
    with pytest.raises(ValueError, match="not in use"):
        state.remove_zone(NEO_SERIAL, 0)
    with pytest.raises(ValueError, match="no free zone slot"):
        state.add_zone(NEO_SERIAL, ZoneSpec(name="Twice"), 1)


def test_a_full_system_has_no_free_slot(clock: ManualClock) -> None:
    state = CloudState(generate_scenario(1), clock=clock)
    with pytest.raises(ValueError, match="no free zone slot"):
        state.add_zone("s0000001", ZoneSpec(name="Ninth"))


def test_systems_can_be_added_and_removed(state: CloudState) -> None:
    state.add_system(que_system("q9990001", "Shed"))
    assert [s.serial for s in state.systems()][-1] == "q9990001"
    with pytest.raises(ValueError, match="exists already"):
        state.add_system(que_system("Q9990001"))
    with pytest.raises(ValueError, match="no account"):
        state.add_system(que_system("q9990002"), "nobody@example.com")
    state.remove_system("q9990001")
    with pytest.raises(SystemNotFoundError):
        state.remove_system("q9990001")
    state.add_account("second@example.com", "pw")
    state.add_system(que_system("q9990003"), "second@example.com")
    assert [s.serial for s in state.systems("SECOND@example.com")] == ["q9990003"]
