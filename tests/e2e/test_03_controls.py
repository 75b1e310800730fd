"""The main thermostat's mode and setpoint and a zone, changed from the dashboard.

The browser shows each change at once (the simulated wall controller takes COMMAND_DELAY seconds to
apply it), the cloud receives exactly the expected commands, one per change, and nothing else
changes there, and the state holds through the integration's confirmation re-polls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import demo_dashboard
from demo_ha import wait_until
from playwright.sync_api import expect

from .scene import GRANNY_FLAT, HOME, STUDY, state_of, system_climate, wait_for_state, zone_switch

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .harness import Demo
    from .simulator import SimulatorAdmin

# What the simulator's state reports that moves on its own (temperatures follow a physics model).
_LIVE_KEYS = frozenset({"temperature", "pending_commands"})


def _settings(system: dict[str, Any]) -> dict[str, Any]:
    """Return a system's settings and zones without the values that move by themselves."""
    zones = [{k: v for k, v in zone.items() if k not in _LIVE_KEYS} for zone in system["zones"]]
    return {k: v for k, v in system.items() if k not in _LIVE_KEYS} | {"zones": zones}


def _commands(sim: SimulatorAdmin) -> list[dict[str, Any]]:
    return [record for record in sim.requests() if record["endpoint"] == "command"]


def _polled_after(sim: SimulatorAdmin, serial: str, moment: float) -> bool:
    """Return whether the integration read the system's status after `moment` (simulator time)."""
    return any(
        record["endpoint"] == "status"
        and (record["serial"] or "").casefold() == serial
        and record["at"] > moment
        and record["status"] == 200
        for record in sim.requests()
    )


def test_mode_setpoint_and_zone_from_the_dashboard(page: Page, demo: Demo) -> None:
    stack, ha, sim, screenshot = demo
    home, study = system_climate(ha, HOME), zone_switch(ha, HOME, STUDY)
    before, other_before = sim.system(HOME), sim.system(GRANNY_FLAT)
    assert (before["mode"], before["heat_setpoint"]) == ("COOL", 20.0)
    assert before["zones"][STUDY]["enabled"] is False
    sim.reset_requests()

    page.goto(f"{stack.ha_url}/{demo_dashboard.URL_PATH}/systems")
    thermostat = page.get_by_role("group", name=home.name, exact=True)
    study_toggle = page.get_by_role("switch", name=f"Toggle {study.name}")
    expect(thermostat).to_be_visible()

    # Mode: shown at once, while the cloud still reports the old one.
    thermostat.get_by_role("radio", name="Heat", exact=True).click()
    expect(thermostat.get_by_role("radio", name="Heat", exact=True)).to_be_checked()
    wait_for_state(ha, home.entity_id, "heat")
    assert sim.system(HOME)["mode"] == "COOL"
    wait_until(lambda: len(_commands(sim)) == 1, timeout=10, what="the mode command")

    # Setpoint: two steps of 0.5 degrees, which the card sends as one change.
    increase = thermostat.get_by_role("button", name="Increase temperature")
    increase.click()
    increase.click()
    wait_until(
        lambda: (ha.state(home.entity_id) or {})["attributes"].get("temperature") == 21.0,
        timeout=10,
        what="the new setpoint in Home Assistant",
    )
    assert sim.system(HOME)["heat_setpoint"] == 20.0
    wait_until(lambda: len(_commands(sim)) == 2, timeout=10, what="the setpoint command")
    screenshot(page, "1-thermostat-changed")

    # Zone: switched on at once.
    expect(study_toggle).not_to_be_checked()
    # The switch's own thumb covers its input: click where a person does.
    study_toggle.click(force=True)
    expect(study_toggle).to_be_checked()
    wait_for_state(ha, study.entity_id, "on")
    assert sim.system(HOME)["zones"][STUDY]["enabled"] is False
    wait_until(lambda: len(_commands(sim)) == 3, timeout=10, what="the zone command")
    last_command = _commands(sim)[-1]["at"]
    zones_card = page.locator("hui-entities-card").filter(has=study_toggle)
    screenshot(zones_card, "zones")

    # The first confirmation re-poll still reads the old zone state: what the user asked for stays.
    wait_until(lambda: _polled_after(sim, HOME, last_command), timeout=15, what="a re-poll")
    assert state_of(ha, study.entity_id) == "on"
    expect(study_toggle).to_be_checked()

    # Once the controller applied everything, a later re-poll confirms it and nothing flips back.
    wait_until(
        lambda: sim.system(HOME)["pending_commands"] == 0,
        timeout=15,
        what="the simulator to apply the commands",
    )
    applied = sim.state()["now"]
    wait_until(lambda: _polled_after(sim, HOME, applied), timeout=30, what="the confirming re-poll")
    state = ha.state(home.entity_id) or {}
    assert (state["state"], state["attributes"]["temperature"]) == ("heat", 21.0)
    assert state_of(ha, study.entity_id) == "on"
    expect(thermostat.get_by_role("radio", name="Heat", exact=True)).to_be_checked()
    expect(study_toggle).to_be_checked()
    screenshot(page, "2-confirmed")
    screenshot(thermostat, "thermostat")

    # Exactly one command per change reached the cloud, all for this system, each setting exactly
    # what was asked, and they changed exactly that.
    assert [((r["serial"] or "").casefold(), r["status"]) for r in _commands(sim)] == [
        (HOME, 200)
    ] * 3
    assert [(c["host"], c["serial"], c["settings"]) for c in sim.commands()] == [
        ("neo", HOME, {"UserAirconSettings.Mode": "HEAT"}),
        ("neo", HOME, {"UserAirconSettings.TemperatureSetpoint_Heat_oC": 21.0}),
        ("neo", HOME, {f"UserAirconSettings.EnabledZones[{STUDY}]": True}),
    ]
    expected = _settings(before) | {"mode": "HEAT", "heat_setpoint": 21.0}
    expected["zones"][STUDY]["enabled"] = True
    assert _settings(sim.system(HOME)) == expected
    assert _settings(sim.system(GRANNY_FLAT)) == _settings(other_before)
