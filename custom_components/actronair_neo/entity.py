"""Base entities: one on a system's device, one on a zone's device, and how platforms add them.

Entities hold keys (serial, zone index), never model objects: they read the coordinator's data
each time, so an optimistic command or a fresh poll shows everywhere at once.

Platforms describe the entities a system should have as `Candidate`s (a unique id and how to
build the entity): a poll only builds the entities whose unique id is new, so the steady state
constructs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.core import callback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import SystemStatus, Zone
from .const import system_key, zone_key
from .coordinator import ActronConfigEntry, ActronCoordinator

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import EntityDescription
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback


def system_unique_id(serial: str, key: str) -> str:
    """Return the unique id of a system's entity."""
    return f"{system_key(serial)}_{key}"


def zone_unique_id(serial: str, zone_index: int, key: str) -> str:
    """Return the unique id of a zone's entity."""
    return f"{zone_key(serial, zone_index)}_{key}"


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
        self._attr_unique_id = system_unique_id(serial, description.key)
        self._attr_device_info = coordinator.system_device_info(serial)
        self.on_removed: Callable[[], None] | None = None

    async def async_will_remove_from_hass(self) -> None:
        """Tell whoever added the entity that it is gone, so it may be added again."""
        await super().async_will_remove_from_hass()
        if self.on_removed is not None:
            self.on_removed()

    @property
    def status(self) -> SystemStatus:
        """Return the system's current status (optimistic commands included)."""
        return self.coordinator.data[self._key]

    @property
    def available(self) -> bool:
        """Return True while the last poll read the system and its controller is online."""
        return (
            super().available
            and self.coordinator.is_read(self.serial)
            and self.coordinator.is_online(self.serial)
        )


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
        self._attr_unique_id = zone_unique_id(serial, zone_index, description.key)
        self._attr_device_info = coordinator.zone_device_info(serial, zone_index)

    @property
    def zone(self) -> Zone:
        """Return the zone's current state."""
        return self.zone_in(self.status)

    def zone_in(self, status: SystemStatus) -> Zone:
        """Return this zone in a status; all unknown while the status lacks the slot.

        Home Assistant reads some attributes of unavailable entities too, so a status without
        the zone block must not make them fail.
        """
        if self.zone_index < len(status.zones):
            return status.zones[self.zone_index]
        return Zone.from_json(self.zone_index, {}, steps=False)

    @property
    def available(self) -> bool:
        """Return True while the system is available and the zone slot is still in use."""
        if not super().available:
            return False
        zones = self.status.zones
        return self.zone_index < len(zones) and zones[self.zone_index].exists


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity a system should have: its unique id, and how to build it when it is new."""

    unique_id: str
    build: Callable[[], ActronEntity]


def candidate(
    cls: Callable[..., ActronEntity],
    coordinator: ActronCoordinator,
    serial: str,
    description: EntityDescription,
    *,
    zone: int | None = None,
) -> Candidate:
    """Return an entity of class `cls` as a candidate: a system's, or with `zone` a zone's.

    `cls` takes (coordinator, serial, description), or for a zone (coordinator, serial, zone,
    description), as ActronEntity and ActronZoneEntity do.
    """
    if zone is None:
        return Candidate(
            system_unique_id(serial, description.key),
            partial(cls, coordinator, serial, description),
        )
    return Candidate(
        zone_unique_id(serial, zone, description.key),
        partial(cls, coordinator, serial, zone, description),
    )


type EntityFactory = Callable[[ActronCoordinator, str, SystemStatus], Iterable[Candidate]]


@callback
def async_add_entities_as_found(
    entry: ActronConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: EntityFactory,
) -> None:
    """Add a platform's entities now, and those of systems and zones that show up later.

    `factory(coordinator, serial, status)` yields a candidate for every entity the system should
    have; only those whose unique id is not added yet are built and added. An entity is
    forgotten only once it is removed (its system or zone went away), so a value missing from
    one poll never adds its entity a second time, and one disabled in the registry (never added
    to Home Assistant) is not built again on every poll.
    """
    coordinator = entry.runtime_data.coordinator
    added: set[str] = set()

    @callback
    def _add_new() -> None:
        new: list[ActronEntity] = []
        for serial, status in coordinator.data.items():
            for candidate in factory(coordinator, serial, status):
                if candidate.unique_id in added:
                    continue
                entity = candidate.build()
                added.add(candidate.unique_id)
                entity.on_removed = partial(added.discard, candidate.unique_id)
                new.append(entity)
        if new:
            async_add_entities(new)

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))


type SetupEntry = Callable[
    [HomeAssistant, ActronConfigEntry, AddConfigEntryEntitiesCallback], Coroutine[Any, Any, None]
]


def entity_platform(factory: EntityFactory) -> SetupEntry:
    """Return a platform's `async_setup_entry`: add what `factory` finds, now and later."""

    async def async_setup_entry(
        hass: HomeAssistant,  # noqa: ARG001 - the platform signature
        entry: ActronConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_add_entities_as_found(entry, async_add_entities, factory)

    return async_setup_entry
