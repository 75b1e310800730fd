"""Scenarios: the built-in demo, generated fleets, JSON files and their errors."""

from dataclasses import replace
import json
from typing import TYPE_CHECKING, Any

import pytest

from actronair_neo_sim import (
    DEMO_EMAIL,
    CloudState,
    ManualClock,
    ScenarioError,
    SystemSpec,
    ZoneSpec,
    default_scenario,
    generate_scenario,
    load_scenario,
    que_system,
    scenario_from_dict,
)
from actronair_neo_sim.scenario import scenario_to_json, split_fan_mode

if TYPE_CHECKING:
    from pathlib import Path


def test_the_demo_account() -> None:
    (account,) = default_scenario().accounts
    assert (account.email, account.password) == ("demo@example.com", "demo")
    neo, small = account.systems
    assert sum(zone is not None for zone in neo.zones) == 5
    assert [zone.name for zone in neo.zones if zone is not None and zone.itc and zone.sensor] == [
        "Living",
        "Main bedroom",
    ]
    assert len(small.zones) < len(neo.zones)
    assert [s.system_type for s in default_scenario(que=True).accounts[0].systems] == [
        "neo",
        "neo",
        "nxgen",
    ]


@pytest.mark.parametrize("count", [1, 4, 16])
def test_generated_fleets(count: int) -> None:
    scenario = generate_scenario(count, que_systems=1)
    systems = scenario.accounts[0].systems
    assert len(systems) == count + 1
    assert all(len(system.zones) == 8 for system in systems)
    assert systems[-1].is_que
    state = CloudState(scenario, clock=ManualClock())
    assert len(state.systems(DEMO_EMAIL)) == count + 1


def test_generated_fleet_counts_cannot_be_negative() -> None:
    with pytest.raises(ScenarioError, match="negative"):
        generate_scenario(-1)


def test_a_scenario_survives_a_round_trip_through_a_file(tmp_path: Path) -> None:
    scenario = default_scenario(que=True)
    path = tmp_path / "scenario.json"
    path.write_text(scenario_to_json(scenario))
    assert load_scenario(path) == scenario


def test_a_minimal_file(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    data = {
        "accounts": [
            {
                "email": "me@example.com",
                "password": "pw",
                "systems": [
                    {"serial": "ABC12345", "zones": [{"name": "Lounge"}, None, {"name": "Den"}]}
                ],
            }
        ]
    }
    path.write_text(json.dumps(data))
    (account,) = load_scenario(path).accounts
    (system,) = account.systems
    assert system.zones == (ZoneSpec(name="Lounge"), None, ZoneSpec(name="Den"))
    assert system.system_type == "neo"


def minimal(**system: Any) -> dict[str, Any]:
    return {"accounts": [{"email": "a@b.c", "password": "p", "systems": [system]}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected an object"),
        ({"acounts": []}, "unknown key"),
        ({"accounts": [{"password": "p"}]}, "missing key"),
        ({"accounts": {}}, "expected a list"),
        (minimal(serial=12345678), "expected str"),
        (minimal(serial="abc12345", is_on="yes"), "expected bool"),
        (minimal(serial="abc12345", cool_setpoint=True), "expected float"),
        (minimal(serial="abc12345", zones=[{"name": "a", "airflow_setpoint": 5.5}]), "int"),
        (minimal(serial="abc12345", zones=[{"name": "a", "airflow_setpoint": 150}]), "0..100"),
        (minimal(serial="abc12345", zones=[{"name": " "}]), "needs a name"),
        (minimal(serial="a b"), "4-16 letters"),
        (minimal(serial="abc12345", system_type="ductless"), "system_type"),
        (minimal(serial="abc12345", zones=[{"name": "z"}] * 9), "at most 8"),
        (minimal(serial="abc12345", mode="DRY"), "supported_modes"),
        (minimal(serial="abc12345", fan_mode="SLOW"), "fan_mode"),
        (minimal(serial="abc12345", fan_mode="AUTO", auto_fan=False), "fan_mode"),
        (minimal(serial="abc12345", cool_min=30, cool_max=16), "below its maximum"),
        (minimal(serial="abc12345", cool_setpoint=40), "within their limits"),
        (minimal(serial="abc12345", min_gap=-1), "negative"),
        ({"accounts": [{"email": "nobody", "password": "p"}]}, "e-mail"),
        (
            {
                "accounts": [
                    {"email": "a@b.c", "password": "p"},
                    {"email": "A@b.c", "password": "q"},
                ]
            },
            "appears twice",
        ),
    ],
)
def test_bad_scenarios_say_what_is_wrong(data: object, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        scenario_from_dict(data)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(broken)


def test_adding_a_system_to_a_scenario() -> None:
    scenario = default_scenario().with_system(que_system())
    assert scenario == default_scenario(que=True)
    with pytest.raises(ScenarioError, match="no account"):
        scenario.with_system(que_system("q1234567"), "nobody@example.com")
    with pytest.raises(ScenarioError, match="appears twice"):
        scenario.with_system(que_system())


def test_specs_are_frozen_data() -> None:
    spec = SystemSpec(serial="abcd1234")
    assert replace(spec, description="x").description == "x"
    assert not spec.is_que


@pytest.mark.parametrize(
    ("fan_mode", "parts"),
    [("AUTO", ("AUTO", "")), ("LOW+CONT", ("LOW", "+CONT")), ("HIGH-CONT", ("HIGH", "-CONT"))],
)
def test_fan_mode_suffixes(fan_mode: str, parts: tuple[str, str]) -> None:
    assert split_fan_mode(fan_mode) == parts
