"""The cloud revokes the pairing: Home Assistant asks to sign in again; the password restores it.

No restart: the same Home Assistant process brings the entities back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import demo_account
from demo_ha import wait_until
from playwright.sync_api import expect

from .scene import HOME, poll_now, state_of, system_climate

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .harness import Demo


def test_sign_in_again_after_the_pairing_is_revoked(page: Page, demo: Demo) -> None:
    stack, ha, sim, screenshot = demo
    home = system_climate(ha, HOME)
    assert stack.home_assistant is not None
    process = stack.home_assistant.pid

    assert sim.revoke(demo_account.EMAIL) >= 1
    poll_now(ha, home.entity_id)

    page.goto(f"{stack.ha_url}/config/integrations/dashboard")
    request = page.locator("ha-config-flow-card").filter(has_text=demo_account.EMAIL)
    expect(request).to_be_visible()
    wait_until(
        lambda: state_of(ha, home.entity_id) == "unavailable",
        timeout=30,
        what="the entities to become unavailable",
    )
    screenshot(page, "1-sign-in-requested")

    request.get_by_role("button", name="Reconfigure").click()
    page.get_by_role("textbox", name="Password").fill(demo_account.PASSWORD)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text(re.compile("success", re.IGNORECASE))).to_be_visible()
    screenshot(page, "2-signed-in-again")
    page.locator("ha-dialog-footer").get_by_role("button", name="Close").click()

    expect(request).to_have_count(0)
    wait_until(
        lambda: state_of(ha, home.entity_id) not in {None, "unavailable"},
        timeout=30,
        what="the entities to come back",
    )
    assert stack.home_assistant.pid == process
    assert stack.home_assistant.poll() is None
    # Signing in again paired once more, under the entry's own device identifier: one pairing.
    [account] = [a for a in sim.state()["accounts"] if a["email"] == demo_account.EMAIL]
    assert len(account["user_devices"]) == 1
