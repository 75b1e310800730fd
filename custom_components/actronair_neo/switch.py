"""Switches: a system's continuous fan, away, quiet and turbo modes, and each zone in use."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription

from .api import Command, SystemStatus, UserSettings, commands
from .entity import ActronEntity, ActronZoneEntity, candidate, entity_platform
from .helpers import actron_command

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from .coordinator import ActronCoordinator
    from .entity import Candidate

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ActronSwitchEntityDescription(SwitchEntityDescription):
    """A setting of a system that is on or off.

    `command_fn(status, on, style)` gets the continuous-fan suffix style last seen on the system.
    """

    value_fn: Callable[[SystemStatus], bool | None]
    command_fn: Callable[[SystemStatus, bool, str | None], Command]
    exists_fn: Callable[[SystemStatus], bool]


@dataclass(frozen=True, kw_only=True)
class ActronZoneSwitchEntityDescription(SwitchEntityDescription):
    """A setting of a zone that is on or off."""

    value_fn: Callable[[SystemStatus, int], bool | None]
    command_fn: Callable[[SystemStatus, int, bool], Command]


def _plain_setting(
    key: str, read: Callable[[UserSettings], bool | None], build: Callable[[bool], Command]
) -> ActronSwitchEntityDescription:
    """Describe a setting that exists when the status reports it and needs nothing else to set."""
    return ActronSwitchEntityDescription(
        key=key,
        translation_key=key,
        value_fn=lambda status: read(status.settings),
        command_fn=lambda _status, on, _style: build(on),
        exists_fn=lambda status: read(status.settings) is not None,
    )


SWITCHES: tuple[ActronSwitchEntityDescription, ...] = (
    ActronSwitchEntityDescription(
        key="continuous_fan",
        translation_key="continuous_fan",
        value_fn=lambda status: status.settings.continuous_fan,
        command_fn=lambda status, on, style: commands.continuous_fan(status, on, style=style),
        exists_fn=lambda status: status.settings.fan_speed is not None,
    ),
    _plain_setting("away", attrgetter("away"), commands.away),
    _plain_setting("quiet", attrgetter("quiet"), commands.quiet),
    ActronSwitchEntityDescription(
        key="turbo",
        translation_key="turbo",
        value_fn=lambda status: status.settings.turbo_enabled,
        command_fn=lambda status, on, _style: commands.turbo(status, on),
        exists_fn=lambda status: status.settings.turbo_supported is True,
    ),
)

ZONE_SWITCH = ActronZoneSwitchEntityDescription(
    key="zone",
    translation_key="zone",
    value_fn=lambda status, index: status.zone_enabled(index),
    command_fn=commands.zone_enabled,
)


def _entities(
    coordinator: ActronCoordinator, serial: str, status: SystemStatus
) -> Iterator[Candidate]:
    """Yield the settings the system has, and a switch per zone in use."""
    for description in SWITCHES:
        if description.exists_fn(status):
            yield candidate(ActronSwitch, coordinator, serial, description)
    for zone in status.zones:
        if zone.exists:
            yield candidate(ActronZoneSwitch, coordinator, serial, ZONE_SWITCH, zone=zone.index)


async_setup_entry = entity_platform(_entities)


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
        return self.entity_description.command_fn(
            self.status, on, self.coordinator.continuous_style(self.serial)
        )


class ActronZoneSwitch(ActronZoneEntity, ActronSwitchEntity):
    """A zone, open or closed."""

    entity_description: ActronZoneSwitchEntityDescription

    @property
    def is_on(self) -> bool | None:
        """Return whether the zone is open."""
        return self.entity_description.value_fn(self.status, self.zone_index)

    def _command(self, *, on: bool) -> Command:
        return self.entity_description.command_fn(self.status, self.zone_index, on)
