"""Switches: a system's continuous fan, away, quiet and turbo modes, and each zone in use."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription

from .api import Command, SystemStatus, commands
from .entity import ActronEntity, ActronZoneEntity, async_add_entities_as_found
from .helpers import actron_command

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import ActronConfigEntry, ActronCoordinator

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ActronSwitchEntityDescription(SwitchEntityDescription):
    """A setting of a system that is on or off."""

    value_fn: Callable[[SystemStatus], bool | None]
    command_fn: Callable[[SystemStatus, bool], Command]
    exists_fn: Callable[[SystemStatus], bool]


@dataclass(frozen=True, kw_only=True)
class ActronZoneSwitchEntityDescription(SwitchEntityDescription):
    """A setting of a zone that is on or off."""

    value_fn: Callable[[SystemStatus, int], bool | None]
    command_fn: Callable[[SystemStatus, int, bool], Command]


SWITCHES: tuple[ActronSwitchEntityDescription, ...] = (
    ActronSwitchEntityDescription(
        key="continuous_fan",
        translation_key="continuous_fan",
        value_fn=lambda status: status.settings.continuous_fan,
        command_fn=commands.continuous_fan,
        exists_fn=lambda status: status.settings.fan_speed is not None,
    ),
    ActronSwitchEntityDescription(
        key="away",
        translation_key="away",
        value_fn=lambda status: status.settings.away,
        command_fn=lambda _, on: commands.away(on),
        exists_fn=lambda status: status.settings.away is not None,
    ),
    ActronSwitchEntityDescription(
        key="quiet",
        translation_key="quiet",
        value_fn=lambda status: status.settings.quiet,
        command_fn=lambda _, on: commands.quiet(on),
        exists_fn=lambda status: status.settings.quiet is not None,
    ),
    ActronSwitchEntityDescription(
        key="turbo",
        translation_key="turbo",
        value_fn=lambda status: status.settings.turbo_enabled,
        command_fn=commands.turbo,
        exists_fn=lambda status: status.settings.turbo_supported is True,
    ),
)

ZONE_SWITCH = ActronZoneSwitchEntityDescription(
    key="zone",
    translation_key="zone",
    value_fn=lambda status, index: status.zone_enabled(index),
    command_fn=commands.zone_enabled,
)


async def async_setup_entry(
    hass: HomeAssistant,  # noqa: ARG001 - the platform signature
    entry: ActronConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the settings each system has, and a switch per zone in use."""

    def entities(
        coordinator: ActronCoordinator, serial: str, status: SystemStatus
    ) -> Iterator[ActronEntity]:
        for description in SWITCHES:
            if description.exists_fn(status):
                yield ActronSwitch(coordinator, serial, description)
        for zone in status.zones:
            if zone.exists:
                yield ActronZoneSwitch(coordinator, serial, zone.index, ZONE_SWITCH)

    async_add_entities_as_found(entry, async_add_entities, entities)


class ActronSwitchEntity(ActronEntity, SwitchEntity):
    """What the system and zone switches share: turning on and off sends one command."""

    @abstractmethod
    def _command(self, *, on: bool) -> Command:
        """Return the command switching the setting."""

    @actron_command
    def async_turn_on(self, /, **_: object) -> Command:
        """Switch the setting on."""
        return self._command(on=True)

    @actron_command
    def async_turn_off(self, /, **_: object) -> Command:
        """Switch the setting off."""
        return self._command(on=False)


class ActronSwitch(ActronSwitchEntity):
    """A setting of a system."""

    entity_description: ActronSwitchEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Return the setting."""
        return self.entity_description.value_fn(self.status)

    def _command(self, *, on: bool) -> Command:
        return self.entity_description.command_fn(self.status, on)


class ActronZoneSwitch(ActronZoneEntity, ActronSwitchEntity):
    """A zone, open or closed."""

    entity_description: ActronZoneSwitchEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Return whether the zone is open."""
        return self.entity_description.value_fn(self.status, self.zone_index)

    def _command(self, *, on: bool) -> Command:
        return self.entity_description.command_fn(self.status, self.zone_index, on)
