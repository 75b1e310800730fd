"""The demo's dashboard: each system's thermostat, its zones and its other controls.

Built from Home Assistant's device and entity registries rather than from fixed entity ids, so it
follows whatever systems the account has and whatever the integration names its entities. It is a
storage-mode dashboard, created once: a developer's edits in the UI are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from demo_ha import HomeAssistantApi

DOMAIN = "actronair_neo"
URL_PATH = "actronair-neo"
TITLE = "ActronAir Neo"
ICON = "mdi:air-conditioner"
# Unique ids of zone entities: f"{serial}_zone{index}_{key}".
_ZONE_INDEX = re.compile(r"_zone(\d+)_")


@dataclass
class _System:
    name: str
    serial: str
    climate: str | None = None
    others: list[str] = field(default_factory=list)
    # (zone index, entity id, zone name) triples.
    zone_climates: list[tuple[int, str, str]] = field(default_factory=list)
    zone_switches: list[tuple[int, str, str]] = field(default_factory=list)


def _device_name(device: dict[str, Any]) -> str:
    name: str = device.get("name_by_user") or device["name"]
    return name


def _zone_index(unique_id: str) -> int:
    match = _ZONE_INDEX.search(unique_id)
    return int(match.group(1)) if match else 0


def _systems(devices: list[dict[str, Any]], entities: list[dict[str, Any]]) -> list[_System]:
    """Sort the integration's entities into systems (devices with no parent) and their zones."""
    ours = {
        device["id"]: device
        for device in devices
        if any(domain == DOMAIN for domain, _ in device["identifiers"])
    }
    systems = {
        device_id: _System(name=_device_name(device), serial=device.get("serial_number") or "")
        for device_id, device in ours.items()
        if device.get("via_device_id") not in ours
    }
    for entity in entities:
        device_id = entity.get("device_id")
        if entity["platform"] != DOMAIN or device_id not in ours or entity.get("disabled_by"):
            continue
        entity_id: str = entity["entity_id"]
        platform = entity_id.split(".", 1)[0]
        if (own := systems.get(device_id)) is not None:
            if platform == "climate":
                own.climate = entity_id
            else:
                own.others.append(entity_id)
        elif (parent := systems.get(ours[device_id].get("via_device_id"))) is not None:
            zone = (_zone_index(entity["unique_id"]), entity_id, _device_name(ours[device_id]))
            if platform == "climate":
                parent.zone_climates.append(zone)
            elif platform == "switch" and entity["unique_id"].endswith("_zone"):
                parent.zone_switches.append(zone)
    # By serial: the order the account lists them in, which the user knows from the app.
    return sorted(systems.values(), key=lambda system: (system.serial, system.name))


def _section(system: _System, names: Mapping[str, str]) -> dict[str, Any]:
    cards: list[dict[str, Any]] = [{"type": "heading", "heading": system.name}]
    if system.climate is not None:
        cards.append(
            {
                "type": "thermostat",
                "entity": system.climate,
                "features": [{"type": "climate-hvac-modes"}],
                "grid_options": {"columns": 12},
            }
        )
    cards.extend(
        {"type": "tile", "entity": entity_id, "features": [{"type": "target-temperature"}]}
        for _, entity_id, _ in sorted(system.zone_climates)
    )
    if system.zone_switches:
        # The header toggle switches every zone at once: the integration sends that as one command.
        rows = [{"entity": eid, "name": name} for _, eid, name in sorted(system.zone_switches)]
        cards.append({"type": "entities", "title": "Zones", "entities": rows})
    if system.others:
        prefix = f"{system.name} "
        rows = [
            {"entity": eid, "name": names.get(eid, eid).removeprefix(prefix)}
            for eid in sorted(system.others)
        ]
        cards.append(
            {"type": "entities", "title": "System", "show_header_toggle": False, "entities": rows}
        )
    return {"type": "grid", "cards": cards}


def build_dashboard(
    devices: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    names: Mapping[str, str],
) -> dict[str, Any]:
    """Return the dashboard's Lovelace config: one section per system.

    `devices` and `entities` are the registries' lists; `names` maps entity ids to friendly names.
    """
    sections = [_section(system, names) for system in _systems(devices, entities)]
    view = {"title": "Systems", "path": "systems", "type": "sections", "sections": sections}
    return {"title": TITLE, "views": [view]}


def install_dashboard(api: HomeAssistantApi) -> bool:
    """Create the dashboard from the registries unless it exists; return whether it was created."""
    existing = api.ws_command({"type": "lovelace/dashboards/list"})
    if any(dashboard["url_path"] == URL_PATH for dashboard in existing):
        return False
    config = build_dashboard(
        api.ws_command({"type": "config/device_registry/list"}),
        api.ws_command({"type": "config/entity_registry/list"}),
        {
            state["entity_id"]: state["attributes"].get("friendly_name", "")
            for state in api.states()
        },
    )
    api.ws_command(
        {
            "type": "lovelace/dashboards/create",
            "url_path": URL_PATH,
            "title": TITLE,
            "icon": ICON,
            "show_in_sidebar": True,
            "require_admin": False,
            "mode": "storage",
        }
    )
    api.ws_command({"type": "lovelace/config/save", "url_path": URL_PATH, "config": config})
    return True
