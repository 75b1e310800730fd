"""The simulator's demo account as a config entry: added, signed in again, or removed.

Everything goes through the integration's real flows over Home Assistant's REST API, with the
form fields a person fills in, so the demo and the tests exercise what a user would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from demo_ha import ApiError, wait_until

if TYPE_CHECKING:
    from demo_ha import HomeAssistantApi

DOMAIN = "actronair_neo"
# The simulator's demo account (actronair_neo_sim/scenario.py), as typed into the form.
EMAIL = "demo@example.com"
PASSWORD = "demo"  # noqa: S105 -- the simulator's published demo password
LOADED = "loaded"
SETUP_TIMEOUT = 60.0


def entries(api: HomeAssistantApi) -> list[dict[str, Any]]:
    """Return the integration's config entries."""
    return api.config_entries(DOMAIN)


def remove_entries(api: HomeAssistantApi) -> None:
    """Remove every entry of the integration (its devices and entities go with it)."""
    for entry in entries(api):
        api.delete_entry(entry["entry_id"])


def add_entry(api: HomeAssistantApi) -> dict[str, Any]:
    """Add the demo account through the config flow; return the entry once it is loaded."""
    created = api.add_entry(DOMAIN, [{"email": EMAIL, "password": PASSWORD}])
    return wait_until_loaded(api, created["entry_id"])


def reauthenticate(api: HomeAssistantApi) -> None:
    """Finish the entry's re-authentication with the demo password, once Home Assistant asks."""
    pending: list[dict[str, Any]] = []

    def asked() -> bool:
        pending[:] = [
            flow
            for flow in api.flows_in_progress()
            if flow["handler"] == DOMAIN and flow["context"].get("source") == "reauth"
        ]
        return bool(pending)

    wait_until(asked, timeout=SETUP_TIMEOUT, what="Home Assistant to ask to sign in again")
    for flow in pending:
        result = api.continue_flow(flow["flow_id"], {"password": PASSWORD})
        if result.get("reason") != "reauth_successful":
            raise ApiError(f"re-authentication ended in {result.get('reason') or result}")


def settle(api: HomeAssistantApi, entry_id: str) -> dict[str, Any]:
    """Wait until the entry is done setting up, whichever way; return it."""
    found: dict[str, Any] = {}

    def settled() -> bool:
        entry = next((e for e in entries(api) if e["entry_id"] == entry_id), None)
        if entry is None:
            raise ApiError(f"config entry {entry_id} went away")
        found.update(entry)
        return entry["state"] not in {"not_loaded", "setup_in_progress", "setup_retry"}

    wait_until(settled, timeout=SETUP_TIMEOUT, what="the ActronAir Neo entry to set up")
    return found


def wait_until_loaded(api: HomeAssistantApi, entry_id: str) -> dict[str, Any]:
    """Wait until the entry is done setting up; return it, or raise if it is not loaded."""
    entry = settle(api, entry_id)
    if entry["state"] != LOADED:
        raise ApiError(f"the ActronAir Neo entry is {entry['state']}: {entry.get('reason')}")
    return entry
