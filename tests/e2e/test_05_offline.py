"""A wall controller goes offline, then comes back.

Its system's entities go unavailable and a repair appears; both clear when it is back. The other
system carries on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import demo_dashboard
from demo_ha import wait_until
from playwright.sync_api import expect

from .scene import GRANNY_FLAT, HOME, poll_now, state_of, system_climate, translation

if TYPE_CHECKING:
    from demo_ha import HomeAssistantApi
    from playwright.sync_api import Page

    from .harness import Demo


def _issues(ha: HomeAssistantApi) -> list[str]:
    return [issue["issue_id"] for issue in ha.ws_command({"type": "repairs/list_issues"})["issues"]]


def test_offline_controller_then_back(page: Page, demo: Demo) -> None:
    stack, ha, sim, screenshot = demo
    home, flat = system_climate(ha, HOME), system_climate(ha, GRANNY_FLAT)
    dashboard = f"{stack.ha_url}/{demo_dashboard.URL_PATH}/systems"
    repair_title = translation("issues", "system_offline", "title").replace("{name}", home.name)

    sim.set_online(HOME, online=False)
    poll_now(ha, home.entity_id)

    page.goto(dashboard)
    thermostat = page.get_by_role("group", name=home.name, exact=True)
    expect(thermostat).to_contain_text("Unavailable")
    assert state_of(ha, home.entity_id) == "unavailable"
    assert state_of(ha, flat.entity_id) not in {None, "unavailable"}
    screenshot(page, "1-offline")

    page.goto(f"{stack.ha_url}/config/repairs")
    repair = page.get_by_role("listitem").filter(has_text=repair_title)
    expect(repair).to_be_visible()
    screenshot(page, "2-repair")

    sim.set_online(HOME, online=True)
    poll_now(ha, home.entity_id)
    expect(repair).to_have_count(0)
    wait_until(
        lambda: state_of(ha, home.entity_id) not in {None, "unavailable"},
        timeout=30,
        what="the system to come back",
    )
    assert [issue for issue in _issues(ha) if issue.startswith("system_offline")] == []

    page.goto(dashboard)
    expect(thermostat).not_to_contain_text("Unavailable")
    screenshot(page, "3-back")
