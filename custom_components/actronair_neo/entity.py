"""Base entities: one on a system's device, one on a zone's device, and how platforms add them.

Entities hold keys (serial, zone index), never model objects: they read the coordinator's data
each time, so an optimistic command or a fresh poll shows everywhere at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from homeassistant.core import callback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import SystemStatus, Zone
from .const import system_key, zone_key
from .coordinator import ActronConfigEntry, ActronCoordinator

if TYPE_CHECKING:
    from homeassistant.helpers.entity import EntityDescription
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback


class ActronEntity(CoordinatorEntity[ActronCoordinator]):
    """An entity of a system's device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: ActronCoordinator, serial: str, description: EntityDescription
    ) -> None:
        """Key the entity by the system's serial and the description's key."""
        super().__init__(coordinator)
        self.entity_description = description
        self.serial = serial
        self._key = system_key(serial)
        self._attr_unique_id = f"{self._key}_{description.key}"
        self._attr_device_info = coordinator.system_device_info(serial)

    @property
    def status(self) -> SystemStatus:
        """Return the system's current status (optimistic commands included)."""
        return self.coordinator.data[self._key]

    @property
    def available(self) -> bool:
        """Return True while the last poll worked and the system's controller is online."""
        return super().available and self.coordinator.is_online(self.serial)


class ActronZoneEntity(ActronEntity):
    """An entity of a zone's device, linked to its system's device."""

    def __init__(
        self,
        coordinator: ActronCoordinator,
        serial: str,
        zone_index: int,
        description: EntityDescription,
    ) -> None:
        """Key the entity by the zone slot as well."""
        super().__init__(coordinator, serial, description)
        self.zone_index = zone_index
        self._attr_unique_id = f"{zone_key(serial, zone_index)}_{description.key}"
        self._attr_device_info = coordinator.zone_device_info(serial, zone_index)

    @property
    def zone(self) -> Zone:
        """Return the zone's current state."""
        return self.status.zones[self.zone_index]

    @property
    def available(self) -> bool:
        """Return True while the system is available and the zone slot is still in use."""
        if not super().available:
            return False
        zones = self.status.zones
        return self.zone_index < len(zones) and zones[self.zone_index].exists


type EntityFactory = Callable[[ActronCoordinator, str, SystemStatus], Iterable[ActronEntity]]


@callback
def async_add_entities_as_found(
    entry: ActronConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: EntityFactory,
) -> None:
    """Add a platform's entities now, and those of systems and zones that show up later.

    `factory(coordinator, serial, status)` returns every entity the system should have; only
    those not added yet are added. An entity is forgotten only once it is removed (its system or
    zone went away), so a value missing from one poll never adds its entity a second time.
    """
    coordinator = entry.runtime_data.coordinator
    added: set[str] = set()

    @callback
    def _add_new() -> None:
        new = [
            entity
            for serial, status in coordinator.data.items()
            for entity in factory(coordinator, serial, status)
            if entity.unique_id is not None and entity.unique_id not in added
        ]
        for entity in new:
            unique_id = str(entity.unique_id)
            added.add(unique_id)
            entity.async_on_remove(partial(added.discard, unique_id))
        if new:
            async_add_entities(new)

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))
