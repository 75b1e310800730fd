"""Which entry serves which system, as the device registry records it.

Two accounts can share an air conditioner; its devices and unique ids can belong to one entry
only, so the entry that set it up first keeps it and the others leave it alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.helpers import device_registry as dr

from .const import DOMAIN, system_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import HomeAssistant


def systems_of_entry(hass: HomeAssistant, entry_id: str) -> set[str]:
    """Return the keys of the systems an entry has shown: those of its devices."""
    registry = dr.async_get(hass)
    return {
        system_of(identifier)
        for device in dr.async_entries_for_config_entry(registry, entry_id)
        for domain, identifier in device.identifiers
        if domain == DOMAIN
    }


def systems_served_elsewhere(
    hass: HomeAssistant, keys: Iterable[str], entry_id: str | None
) -> set[str]:
    """Return the system keys among `keys` that another entry of this integration has shown."""
    served: set[str] = set()
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.entry_id != entry_id:
            served |= systems_of_entry(hass, entry.entry_id)
    return served.intersection(keys)
