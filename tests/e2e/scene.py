"""What the browser tests know of the demo account, and how they find it in Home Assistant.

Entities are found by unique id (the architecture's contract: `{serial}_{key}`, zones
`{serial}_zone{index}_{key}`), never by entity id, and their labels in the UI are read from
Home Assistant, so the tests follow whatever the integration names them.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from demo_ha import wait_until

if TYPE_CHECKING:
    from demo_ha import HomeAssistantApi

DOMAIN = "actronair_neo"
# The demo account's systems (actronair_neo_sim/scenario.py).
HOME = "26c00841"  # the main system: Neo, on, COOL; zone slot 4 ("Study") is switched off
GRANNY_FLAT = "26c01562"
STUDY = 4
TRANSLATIONS = (
    Path(__file__).resolve().parents[2] / "custom_components" / DOMAIN / "translations" / "en.json"
)


def translation(*path: str) -> str:
    """Return one of the integration's English strings: `translation("config", "error", ...)`."""
    node: Any = json.loads(TRANSLATIONS.read_text())
    for key in path:
        node = node[key]
    text: str = node
    return text


@dataclass(frozen=True)
class Entity:
    """An entity of the integration: its id and the name the UI shows."""

    entity_id: str
    name: str


def entity(ha: HomeAssistantApi, unique_id: str) -> Entity:
    """Find an entity of the integration by unique id."""
    registry = ha.ws_command({"type": "config/entity_registry/list"})
    found = [
        item["entity_id"]
        for item in registry
        if item["platform"] == DOMAIN and item["unique_id"] == unique_id
    ]
    assert found, f"the integration has no entity with unique id {unique_id!r}"
    entity_id: str = found[0]
    state = ha.state(entity_id) or {}
    return Entity(entity_id, state.get("attributes", {}).get("friendly_name", entity_id))


def system_climate(ha: HomeAssistantApi, serial: str) -> Entity:
    """Return a system's main thermostat."""
    return entity(ha, f"{serial}_climate")


def zone_switch(ha: HomeAssistantApi, serial: str, index: int) -> Entity:
    """Return a zone's on/off switch."""
    return entity(ha, f"{serial}_zone{index}_zone")


def state_of(ha: HomeAssistantApi, entity_id: str) -> str | None:
    """Return an entity's state, or None while it does not exist."""
    state = ha.state(entity_id)
    return None if state is None else str(state["state"])


def wait_for_state(
    ha: HomeAssistantApi, entity_id: str, expected: str, *, timeout: float = 30
) -> None:
    """Wait until Home Assistant reports `expected` for the entity."""
    wait_until(
        lambda: state_of(ha, entity_id) == expected,
        timeout=timeout,
        what=f"{entity_id} to be {expected}",
    )


def poll_now(ha: HomeAssistantApi, entity_id: str) -> None:
    """Ask the integration to poll the cloud now (as its next scheduled poll would)."""
    ha.call_service("homeassistant", "update_entity", {"entity_id": entity_id})
