"""The status document: its size, every block API.md names, values that agree with each other."""

import json
from typing import Any

import pytest

from actronair_neo_sim import CloudState, ManualClock, default_scenario
from actronair_neo_sim.status import timespan

from .conftest import NEO_SERIAL, QUE_SERIAL, SMALL_SERIAL


@pytest.fixture
def state() -> CloudState:
    return CloudState(default_scenario(que=True), clock=ManualClock(), command_delay=0)


def known(state: CloudState, serial: str = NEO_SERIAL) -> Any:
    return state.status(serial)["lastKnownState"]


def test_a_neo_document_is_about_28_kb(state: CloudState) -> None:
    size = len(json.dumps(state.status(NEO_SERIAL)))
    assert 26_000 <= size <= 31_000


def test_every_block_is_present(state: CloudState) -> None:
    document = state.status(NEO_SERIAL)
    assert set(document) == {
        "isOnline",
        "timeSinceLastContact",
        "lastStatusUpdate",
        "lastKnownState",
    }
    blocks = document["lastKnownState"]
    for block in (
        "<26C00841>",
        "AirconSystem",
        "Alerts",
        "LiveAircon",
        "MasterInfo",
        "NV_Limits",
        "RemoteZoneInfo",
        "UserAirconSettings",
        "NV_SystemSettings",
        "Servicing",
    ):
        assert block in blocks
    settings = blocks["UserAirconSettings"]
    for key in (
        "isOn",
        "Mode",
        "FanMode",
        "TemperatureSetpoint_Cool_oC",
        "TemperatureSetpoint_Heat_oC",
        "ZoneTemperatureSetpointVariance_oC",
        "EnabledZones",
        "AwayMode",
        "QuietMode",
        "QuietModeEnabled",
        "QuietModeActive",
        "TurboMode",
        "ModeSupport",
    ):
        assert key in settings
    assert set(blocks["NV_Limits"]["UserSetpoint_oC"]) >= {
        "setCool_Min",
        "setCool_Max",
        "setHeat_Min",
        "setHeat_Max",
        "MinGap",
    }
    assert set(blocks["LiveAircon"]["OutdoorUnit"]) >= {"AmbTemp", "CompPower", "CompSpeed"}
    assert set(blocks["Alerts"]) == {"CleanFilter", "Defrosting"}
    assert len(blocks["RemoteZoneInfo"]) == 8
    assert set(blocks["AirconSystem"]["IndoorUnit"]) >= {
        "NV_ModelNumber",
        "NV_SupportedFanModes",
        "NV_AutoFanEnabled",
    }


def test_the_controller_block_holds_the_wifi_details(state: CloudState) -> None:
    local = known(state)["<26C00841>"]
    wifi = local["SystemStatus_Local"]["WiFi"]
    assert wifi["ApSSID"] == "SimulatedHome"
    for key in ("ModuleMACAddress", "ApBSSID"):
        assert len(wifi[key].split(":")) == 6
    assert known(state, SMALL_SERIAL)["<26C01562>"]["SystemStatus_Local"]["WiFi"]["ApSSID"] == (
        "SimulatedHome-Flat"
    )


def test_demo_zones(state: CloudState) -> None:
    zones = known(state)["RemoteZoneInfo"]
    assert [zone["NV_Exists"] for zone in zones] == [True] * 5 + [False] * 3
    assert [zone["NV_Title"] for zone in zones[:5]] == [
        "Living",
        "Kitchen",
        "Main bedroom",
        "Bedroom 2",
        "Study",
    ]
    assert [zone["NV_ITC"] for zone in zones] == [True, False, True] + [False] * 5
    assert known(state)["UserAirconSettings"]["EnabledZones"] == [True] * 4 + [False] * 4


def test_sensors_agree_with_peripherals(state: CloudState) -> None:
    blocks = known(state)
    peripherals = {p["SerialNumber"]: p for p in blocks["AirconSystem"]["Peripherals"]}
    assert len(peripherals) == 2
    for slot in (0, 2):
        zone = blocks["RemoteZoneInfo"][slot]
        (serial,) = zone["Sensors"]
        peripheral = peripherals[serial]
        assert peripheral["ZoneAssignment"] == [slot + 1]
        assert peripheral["SensorInputs"]["SHTC1"]["Temperature_oC"] == zone["LiveTemp_oC"]
        assert zone["Sensors"][serial]["Battery_pc"] == peripheral["RemainingBatteryCapacity_pc"]
    master = blocks["MasterInfo"]["LiveTemp_oC"]
    assert blocks["RemoteZoneInfo"][1]["LiveTemp_oC"] == master
    assert blocks["RemoteZoneInfo"][1]["Sensors"] == {
        "26C00841": {"Connected": True, "NV_Kind": "C1", "NV_isPaired": False, "Signal_of3": "NA"}
    }


def test_identity_and_capabilities(state: CloudState) -> None:
    neo, small = known(state), known(state, SMALL_SERIAL)
    assert neo["AirconSystem"]["MasterSerial"] == "26C00841"
    assert neo["AirconSystem"]["MasterWCModel"] == "NTB-1000"
    assert neo["AirconSystem"]["IndoorUnit"]["NV_SupportedFanModes"] == 15
    assert small["AirconSystem"]["IndoorUnit"]["NV_SupportedFanModes"] == 7
    assert small["UserAirconSettings"]["ModeSupport"] == {
        "Cool": True,
        "Heat": True,
        "Fan": True,
        "Auto": False,
        "Dry": False,
    }
    assert small["NV_Limits"]["UserSetpoint_oC"]["MinGap"] == 0.0
    assert neo["NV_SystemSettings"]["SystemName"] == "Home"


def test_que_documents_differ_as_que_payloads_do(state: CloudState) -> None:
    que = known(state, QUE_SERIAL)
    assert not [key for key in que if key.startswith("<")]
    assert que["MasterInfo"]["ControlAllZones"] is False
    assert "NV_QuickTimer" not in que
    assert "ControlAllZones" not in known(state)["MasterInfo"]


def test_timestamps(state: CloudState) -> None:
    document = state.status(NEO_SERIAL)
    assert document["lastStatusUpdate"] == "2025-06-15T12:00:00+00:00"
    assert document["timeSinceLastContact"] == "00:00:00.0000000"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00:00.0000000"),
        (2.5, "00:00:02.5000000"),
        (3661, "01:01:01.0000000"),
        (2 * 86400 + 37575.3597948, "2.10:26:15.3597948"),
    ],
)
def test_timespans_look_like_dotnet(seconds: float, text: str) -> None:
    assert timespan(seconds) == text
