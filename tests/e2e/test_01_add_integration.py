"""A person adds the integration in Settings -> Devices & services: wrong password, then right.

The files of this folder run in the order of their numbers: the story of one installation.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import demo_account
from playwright.sync_api import expect

from .scene import GRANNY_FLAT, HOME, system_climate, translation

if TYPE_CHECKING:
    from demo_ha import HomeAssistantApi
    from demo_stack import Stack
    from playwright.sync_api import Page

    from .harness import Screenshot


def test_add_integration_with_a_wrong_then_the_right_password(
    page: Page,
    stack: Stack,
    ha: HomeAssistantApi,
    no_entry: None,
    screenshot: Screenshot,
) -> None:
    del no_entry
    page.goto(f"{stack.ha_url}/config/integrations/dashboard")
    page.get_by_role("button", name="Add integration").click()
    brands = page.locator("ha-integration-list-item")
    expect(brands.first).to_be_visible()
    page.keyboard.type("ActronAir")
    brands.filter(has_text="ActronAir Neo").click()

    email = page.get_by_role("textbox", name="Email")
    password = page.get_by_role("textbox", name="Password")
    email.fill(demo_account.EMAIL)
    password.fill("not the password")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text(translation("config", "error", "invalid_auth"))).to_be_visible()
    expect(email).to_have_value(demo_account.EMAIL)
    screenshot(page, "1-wrong-password")
    assert demo_account.entries(ha) == []

    password.fill(demo_account.PASSWORD)
    page.get_by_role("button", name="Submit").click()
    # Home Assistant offers to name the new devices and put them in areas.
    finish = page.get_by_role("button", name=re.compile("finish", re.IGNORECASE))
    expect(finish).to_be_visible()
    screenshot(page, "2-devices-found")
    finish.click()

    [entry] = demo_account.entries(ha)
    assert entry["title"] == demo_account.EMAIL
    demo_account.wait_until_loaded(ha, entry["entry_id"])
    page.goto(f"{stack.ha_url}/config/devices/dashboard?domain={demo_account.DOMAIN}")
    for serial in (HOME, GRANNY_FLAT):
        name = system_climate(ha, serial).name
        expect(page.get_by_role("cell", name=name, exact=True).first).to_be_visible()
    screenshot(page, "3-devices")

    home = system_climate(ha, HOME)
    page.goto(f"{stack.ha_url}/config/entities?domain={demo_account.DOMAIN}")
    page.get_by_placeholder(re.compile(r"^Search \d+ entities")).fill(home.entity_id)
    expect(page.get_by_role("row").filter(has_text=home.name).first).to_be_visible()
    screenshot(page, "4-entities")
