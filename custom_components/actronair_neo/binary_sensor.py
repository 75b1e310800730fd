"""Binary sensors of a system: filter to clean, defrosting, the wall controller's cloud connection.

The cloud connection stays available while the wall controller is offline (every other entity of
the system goes unavailable then): it is the one entity that can show "disconnected". It is only
unavailable when the cloud itself cannot be read, since then nobody knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# Cores before 2026.11 re-export the device classes without declaring it; mypy needs telling.
from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined,unused-ignore]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory

from .entity import ActronEntity, candidate, entity_platform

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .api import SystemStatus
    from .coordinator import ActronCoordinator
    from .entity import Candidate

PARALLEL_UPDATES = 0


def _defrosting(status: SystemStatus) -> bool | None:
    """Return whether the outdoor unit defrosts, as either of the two flags says."""
    flags = (status.live.defrost, status.alerts.defrosting)
    if all(flag is None for flag in flags):
        return None
    return any(flags)


@dataclass(frozen=True, kw_only=True)
class ActronBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A flag of a system's status."""

    value_fn: Callable[[SystemStatus], bool | None]


BINARY_SENSORS: tuple[ActronBinarySensorEntityDescription, ...] = (
    ActronBinarySensorEntityDescription(
        key="clean_filter",
        translation_key="clean_filter",
        device_class=BinarySensorDeviceClass.PROBLEM,
        value_fn=lambda status: status.alerts.clean_filter,
    ),
    ActronBinarySensorEntityDescription(
        key="defrosting",
        translation_key="defrosting",
        value_fn=_defrosting,
    ),
)

CLOUD_CONNECTION = BinarySensorEntityDescription(
    key="cloud_connection",
    translation_key="cloud_connection",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


def _entities(
    coordinator: ActronCoordinator, serial: str, status: SystemStatus
) -> Iterator[Candidate]:
    """Yield the flags the system reports, and its cloud connection."""
    for description in BINARY_SENSORS:
        if description.value_fn(status) is not None:
            yield candidate(ActronBinarySensor, coordinator, serial, description)
    yield candidate(ActronCloudConnection, coordinator, serial, CLOUD_CONNECTION)


async_setup_entry = entity_platform(_entities)


class ActronBinarySensor(ActronEntity, BinarySensorEntity):
    """A flag of a system's status."""

    entity_description: ActronBinarySensorEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Return the flag."""
        return self.entity_description.value_fn(self.status)


class ActronCloudConnection(ActronEntity, BinarySensorEntity):
    """Whether the system's wall controller is connected to the cloud."""

    @property
    def available(self) -> bool:
        """Return True whenever the system's status was read, the controller online or not."""
        return self.coordinator.last_update_success and self.coordinator.is_read(self.serial)

    @property
    def is_on(self) -> bool:
        """Return True while the wall controller is online."""
        return self.coordinator.is_online(self.serial)
