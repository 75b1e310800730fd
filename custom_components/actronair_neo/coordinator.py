"""The coordinator: one status poll per system, optimistic commands, devices and offline repairs.

One coordinator serves every system of the account. In steady state a poll is one status request
per system and nothing else; the systems list is re-read hourly (and after the cloud says it does
not know a serial) to follow systems and zones appearing or going away.

A command shows at once (the status with the command applied), stays shown while the cloud still
reports the old value, and is confirmed by a short burst of re-polls; if the cloud still disagrees
after the burst, the cloud wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial, reduce
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    AcSystem,
    ActronAuthError,
    ActronConnectionError,
    ActronError,
    ActronNeoClient,
    ActronRateLimitedError,
    ActronRequestRejectedError,
    ActronServerError,
    ActronSystemNotFoundError,
    ActronSystemOfflineError,
    ActronTimeoutError,
    Command,
    FanSpeed,
    SystemStatus,
)
from .api.const import ZONE_SLOTS
from .const import (
    CONF_POLL_INTERVAL,
    CONFIRM_DELAYS,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    LOGGER,
    MANUFACTURER,
    SYSTEMS_REFRESH_INTERVAL,
    system_key,
    system_of,
    zone_key,
)
from .ownership import systems_served_elsewhere

if TYPE_CHECKING:
    from homeassistant.helpers.device_registry import DeviceInfo

OFFLINE_ISSUE_PREFIX = "system_offline_"


@dataclass
class RuntimeData:
    """What a loaded entry holds: the client and the coordinator polling through it."""

    client: ActronNeoClient
    coordinator: ActronCoordinator


type ActronConfigEntry = ConfigEntry[RuntimeData]


# Most specific first: the first class an error is an instance of names its message.
_ERROR_KEYS: tuple[tuple[type[ActronError], str], ...] = (
    (ActronAuthError, "auth_failed"),
    (ActronRateLimitedError, "rate_limited"),
    (ActronSystemOfflineError, "system_offline"),
    (ActronSystemNotFoundError, "system_not_found"),
    (ActronTimeoutError, "timeout"),
    (ActronConnectionError, "cannot_connect"),
    (ActronServerError, "server_error"),
    (ActronRequestRejectedError, "request_rejected"),
)


def error_translation(err: ActronError) -> tuple[str, dict[str, str]]:
    """Return the translation key and placeholders that explain a client error to the user."""
    key = next((key for cls, key in _ERROR_KEYS if isinstance(err, cls)), "invalid_response")
    placeholders: dict[str, str] = {}
    if isinstance(err, ActronRateLimitedError):
        placeholders["retry_after"] = "?" if err.retry_after is None else f"{err.retry_after:.0f}"
    elif isinstance(err, ActronServerError | ActronRequestRejectedError):
        placeholders["status"] = str(err.status)
    return key, placeholders


def translated_error[E: HomeAssistantError](
    cls: type[E],
    err: ActronError,
    **extra: Any,  # noqa: ANN401 - what else `cls` takes (UpdateFailed: retry_after)
) -> E:
    """Return a Home Assistant error of class `cls` explaining a client error to the user."""
    key, placeholders = error_translation(err)
    return cls(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
        **extra,
    )


class ActronCoordinator(DataUpdateCoordinator[dict[str, SystemStatus]]):
    """Polls every system of one account; data is keyed by the serial, case-folded."""

    config_entry: ActronConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: ActronConfigEntry, client: ActronNeoClient
    ) -> None:
        """Poll at the interval the user chose."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(
                seconds=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
            ),
        )
        self.client = client
        self.systems: dict[str, AcSystem] = {}
        self._systems_read_at: datetime | None = None
        # What the cloud last reported, before any optimistic command is laid over it.
        self._cloud: dict[str, SystemStatus] = {}
        # Commands shown but not yet seen in the cloud's status, oldest first.
        self._pending: dict[str, list[Command]] = {}
        self._offline: set[str] = set()
        # Systems whose status could not be read on the last poll (others could), and why.
        self._unreadable: dict[str, ActronError] = {}
        # Known systems the last systems list left out: forgotten only if the next one does too.
        self._unlisted: set[str] = set()
        # Whether the last systems list was empty (said once in the log).
        self._empty_list_seen = False
        # Systems of the account that another entry of this integration already serves.
        self._served_elsewhere: set[str] = set()
        # The continuous-fan suffix ("+CONT" / "-CONT") each system last showed: a status
        # without continuous fan does not say which style the unit takes when it is switched on.
        self._continuous_styles: dict[str, str] = {}
        # Systems that have shown an auto fan (in their flags or in use). The flags are
        # unreliable (a unit may deny auto while running on it), so once seen it stays offered.
        self._auto_fan: set[str] = set()
        self._confirm_timers: list[CALLBACK_TYPE] = []
        self._polls_started = 0
        # How many polls had started when the last re-poll of a burst fell due: only a poll
        # started later read the cloud late enough to drop a command it still does not show.
        # A poll already in flight then (a slow answer) carries an older reading.
        self._settle_after: int | None = None
        # The device shape last written to the registry (see _device_shape).
        self._synced_shape: tuple[object, ...] | None = None

    def is_read(self, serial: str) -> bool:
        """Return whether the last poll read the system's status (others may have failed)."""
        key = system_key(serial)
        return key in self.data and key not in self._unreadable

    def is_online(self, serial: str) -> bool:
        """Return False while the system's wall controller is offline (or it has no status)."""
        key = system_key(serial)
        return key in self.data and key not in self._offline

    def continuous_style(self, serial: str) -> str | None:
        """Return the continuous-fan suffix style the system last showed, None before any."""
        return self._continuous_styles.get(system_key(serial))

    def fan_speeds(self, serial: str) -> frozenset[FanSpeed]:
        """Return the fan speeds to offer: the unit's, and auto once the system has shown it."""
        key = system_key(serial)
        speeds = self._cloud[key].info.fan_speeds
        return speeds | {FanSpeed.AUTO} if key in self._auto_fan else speeds

    async def async_send(self, serial: str, command: Command) -> None:
        """Show a command at once, send it, then confirm it with a burst of re-polls.

        Client errors propagate (the entity action decorator translates them); the command's
        optimistic overlay is withdrawn when it could not be sent.
        """
        key = system_key(serial)
        self._cancel_confirmation()
        self._settle_after = None
        self._pending.setdefault(key, []).append(command)
        self._publish()
        try:
            await self.client.send(serial, command)
        except ActronError as err:
            self._withdraw(key, command)
            self._handle_command_error(key, err)
            self._publish()
            raise
        finally:
            # Also when the action was cancelled: the client still sends what it accepted.
            self._confirm_pending()

    def system_device_info(self, serial: str) -> DeviceInfo:
        """Return the device of a system, as its entities and the registry both describe it."""
        key = system_key(serial)
        system, status = self.systems[key], self._cloud[key]
        return _device_info(
            {
                "identifiers": {(DOMAIN, key)},
                "manufacturer": MANUFACTURER,
                "name": system.description or system.serial.upper(),
                "model": status.info.model,
                "serial_number": system.serial,
                "sw_version": status.info.firmware,
            }
        )

    def zone_device_info(self, serial: str, index: int) -> DeviceInfo:
        """Return the device of a zone, linked to its system's device."""
        key = system_key(serial)
        info: dict[str, Any] = {
            "identifiers": {(DOMAIN, zone_key(key, index))},
            "manufacturer": MANUFACTURER,
            "model": "Zone",
            "name": self._cloud[key].zones[index].name or f"Zone {index + 1}",
        }
        if hasattr(dr, "async_get_device_id_by_identifier"):
            # Home Assistant 2026.8+: links name a device id; the system device is registered
            # by the coordinator before any entity asks for this.
            info["via_device_id"] = dr.async_get_device_id_by_identifier(
                self.hass, (DOMAIN, key), config_entry_id=self.config_entry.entry_id
            )
        else:  # pragma: no cover - older cores only know the identifier form
            info["via_device"] = (DOMAIN, key)
        return _device_info(info)

    async def async_shutdown(self) -> None:
        """Stop the confirmation burst and the polling; nobody watches the systems any more."""
        self._cancel_confirmation()
        for key in self._offline:
            ir.async_delete_issue(self.hass, DOMAIN, f"{OFFLINE_ISSUE_PREFIX}{key}")
        self._offline.clear()
        await super().async_shutdown()

    async def _async_update_data(self) -> dict[str, SystemStatus]:
        """Fetch every system's status and reconcile it with the commands still pending."""
        self._polls_started += 1
        poll = self._polls_started
        try:
            if self._systems_read_at is None or (
                dt_util.utcnow() - self._systems_read_at >= SYSTEMS_REFRESH_INTERVAL
            ):
                await self._async_read_systems()
            fresh = await self._async_fetch_statuses()
        except ActronAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except ActronError as err:
            raise translated_error(
                UpdateFailed, err, retry_after=self._retry_after_for(err)
            ) from err
        self._settle_pending(settle=self._settle_after is not None and poll > self._settle_after)
        # The registry only needs touching when what it describes changed: not on a steady poll.
        shape = self._device_shape(fresh)
        if shape != self._synced_shape:
            self._async_sync_devices(fresh)
            self._synced_shape = shape
        return self._overlaid()

    def _device_shape(self, fresh: set[str]) -> tuple[object, ...]:
        """Return what the registered devices are made of: systems, their names and zones."""
        return (
            frozenset(self.systems),
            tuple(
                (
                    key,
                    self.systems[key].description,
                    status.info.model,
                    status.info.firmware,
                    len(status.zones),
                    tuple((zone.index, zone.name) for zone in status.zones if not zone.retired),
                )
                for key in sorted(fresh)
                for status in (self._cloud[key],)
            ),
        )

    async def _async_read_systems(self) -> None:
        """Re-read the account's systems; forget one only when two lists in a row leave it out.

        An empty list is the cloud's mistake (an account without systems is never set up): it
        says nothing, and is asked again on the next poll. Systems another entry serves are
        left to it.
        """
        listed = {system_key(system.serial): system for system in await self.client.systems()}
        if not listed:
            self._systems_read_at = None  # asked again on the next poll
            if not self.systems:
                raise UpdateFailed(translation_domain=DOMAIN, translation_key="no_systems_listed")
            if not self._empty_list_seen:
                LOGGER.warning(
                    "The cloud listed no systems; keeping the %d known", len(self.systems)
                )
            self._empty_list_seen = True
            return
        self._empty_list_seen = False
        elsewhere = systems_served_elsewhere(self.hass, listed, self.config_entry.entry_id)
        for key in elsewhere - self._served_elsewhere:
            LOGGER.info("System %s is already set up through another account: skipped", key)
        self._served_elsewhere = elsewhere
        listed = {key: system for key, system in listed.items() if key not in elsewhere}
        unlisted = set(self.systems) - set(listed)
        gone = unlisted & self._unlisted
        self._unlisted = unlisted - gone
        # A system one list left out is asked about again on the next poll before it is forgotten.
        self._systems_read_at = None if self._unlisted else dt_util.utcnow()
        self.systems = listed | {key: self.systems[key] for key in self._unlisted}
        for key in set(self._cloud) - set(self.systems):
            LOGGER.info("System %s is no longer on the account", key)
            self._cloud.pop(key)
            self._pending.pop(key, None)
            self._continuous_styles.pop(key, None)
            self._auto_fan.discard(key)
        for key in self._offline - set(self.systems):
            self._set_offline(key, offline=False)
        for key in set(self._unreadable) - set(self.systems):
            del self._unreadable[key]

    async def _async_fetch_statuses(self) -> set[str]:
        """Fetch each system's status (one request each); return the keys freshly read.

        A system whose status cannot be read is unavailable on its own while the others stay
        up; only when none could be read does the poll fail. Sign-in and rate-limit errors
        concern the whole account, and a cloud that cannot be reached (or does not answer in
        time) will not answer for the next system either: they fail the poll at once.
        """
        fresh: set[str] = set()
        unreadable: dict[str, ActronError] = {}
        for key, system in list(self.systems.items()):
            try:
                status = await self.client.status(system.serial)
            except ActronSystemOfflineError:
                self._set_offline(key, offline=True)
                continue
            except ActronSystemNotFoundError as err:
                # Either the system left the account or the cloud is having an incident:
                # the systems list tells which.
                await self._async_read_systems()
                if key in self.systems:
                    unreadable[key] = err
                continue
            except ActronAuthError, ActronRateLimitedError, ActronConnectionError:
                raise
            except ActronError as err:
                unreadable[key] = err
                continue
            self._cloud[key] = status
            if (style := status.settings.continuous_suffix) is not None:
                self._continuous_styles[key] = style
            if (
                FanSpeed.AUTO in status.info.fan_speeds
                or status.settings.fan_speed is FanSpeed.AUTO
            ):
                self._auto_fan.add(key)
            self._set_offline(key, offline=status.is_online is False)
            fresh.add(key)
        if unreadable and not fresh:
            raise next(iter(unreadable.values()))
        self._note_unreadable(unreadable)
        return fresh

    @callback
    def _note_unreadable(self, unreadable: dict[str, ActronError]) -> None:
        """Remember which systems could not be read this time; log when that changes."""
        for key in unreadable.keys() - self._unreadable.keys():
            LOGGER.warning(
                "Could not read the status of %s (%s); it is unavailable until it can be",
                key.upper(),
                unreadable[key],
            )
        for key in self._unreadable.keys() - unreadable.keys():
            LOGGER.info("The status of %s can be read again", key.upper())
        self._unreadable = unreadable

    def _retry_after_for(self, err: ActronError) -> float | None:
        """Return how long to wait before the next poll when the cloud asked to slow down."""
        if not isinstance(err, ActronRateLimitedError) or err.retry_after is None:
            return None
        interval = self.update_interval.total_seconds() if self.update_interval else 0.0
        return max(err.retry_after, interval)

    @callback
    def _set_offline(self, key: str, *, offline: bool) -> None:
        """Track a wall controller going offline or coming back, with its repair issue."""
        if offline == (key in self._offline):
            return
        issue_id = f"{OFFLINE_ISSUE_PREFIX}{key}"
        if offline:
            self._offline.add(key)
            system = self.systems.get(key)
            name = (system.description if system else None) or key.upper()
            LOGGER.warning("The wall controller of %s is offline", name)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="system_offline",
                translation_placeholders={"name": name},
            )
        else:
            self._offline.discard(key)
            if key in self.systems:
                LOGGER.info("The wall controller of %s is back online", key.upper())
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    @callback
    def _handle_command_error(self, key: str, err: ActronError) -> None:
        """Learn from a failed command what a poll would otherwise find out later."""
        if isinstance(err, ActronSystemOfflineError):
            self._set_offline(key, offline=True)
        elif isinstance(err, ActronSystemNotFoundError | ActronRequestRejectedError):
            # The system (or the zone or setting the command named) may be gone: the next
            # poll reads the list again.
            self._systems_read_at = None
        elif isinstance(err, ActronAuthError):
            self.config_entry.async_start_reauth(self.hass)

    @callback
    def _withdraw(self, key: str, command: Command) -> None:
        """Drop one command's overlay (by identity: equal commands may be pending twice)."""
        remaining = [pending for pending in self._pending.get(key, []) if pending is not command]
        if remaining:
            self._pending[key] = remaining
        else:
            self._pending.pop(key, None)

    @callback
    def _settle_pending(self, *, settle: bool) -> None:
        """Drop commands the cloud now shows, and with `settle` (the burst is over) the others."""
        for key, status in self._cloud.items():
            if not (commands := self._pending.get(key)):
                continue
            if reduce(Command.merge, commands).is_reflected_in(status):
                del self._pending[key]
            elif settle:
                LOGGER.warning(
                    "%s did not apply the last change; showing what the cloud reports",
                    key.upper(),
                )
                del self._pending[key]
        if settle:
            self._settle_after = None

    def _overlaid(self) -> dict[str, SystemStatus]:
        """Return each system's status with its pending commands applied, oldest first."""
        return {
            key: reduce(SystemStatus.apply, self._pending.get(key, ()), status)
            for key, status in self._cloud.items()
        }

    @callback
    def _publish(self) -> None:
        """Show the overlaid statuses now, without touching the poll schedule or health."""
        self.data = self._overlaid()
        self.async_update_listeners()

    @callback
    def _confirm_pending(self) -> None:
        """(Re)start the re-poll burst for the commands shown; its last lets the cloud win."""
        if not self._pending:
            return
        self._cancel_confirmation()
        last = len(CONFIRM_DELAYS) - 1
        self._confirm_timers = [
            async_call_later(
                self.hass,
                delay,
                HassJob(
                    partial(self._async_confirm, settle=index == last),
                    f"{DOMAIN} confirm command",
                    cancel_on_shutdown=True,
                ),
            )
            for index, delay in enumerate(CONFIRM_DELAYS)
        ]

    @callback
    def _cancel_confirmation(self) -> None:
        for cancel in self._confirm_timers:
            cancel()
        self._confirm_timers = []

    async def _async_confirm(self, _now: datetime, *, settle: bool) -> None:
        """Re-poll to see whether the cloud shows the command yet."""
        if settle:
            self._settle_after = self._polls_started
            self._confirm_timers = []
        await self.async_refresh()

    @callback
    def _async_sync_devices(self, fresh: set[str]) -> None:
        """Register the systems and their zones; remove the devices of those that are gone.

        Zones are only judged on a fresh status, and only the slots it says are not in use: a
        system that could not be read, a status missing its zone block or a slot without
        `NV_Exists` says nothing about them.
        """
        registry = dr.async_get(self.hass)
        entry_id = self.config_entry.entry_id
        keep = set(self.systems)
        for key in fresh:
            registry.async_get_or_create(config_entry_id=entry_id, **self.system_device_info(key))
            zones = self._cloud[key].zones
            keep.update(zone_key(key, index) for index in range(len(zones), ZONE_SLOTS))
            for zone in zones:
                if zone.retired:
                    continue
                # A slot whose status does not say whether it is in use keeps its device.
                keep.add(zone_key(key, zone.index))
                if zone.exists:
                    registry.async_get_or_create(
                        config_entry_id=entry_id, **self.zone_device_info(key, zone.index)
                    )
        unread = set(self.systems) - fresh
        for device in dr.async_entries_for_config_entry(registry, entry_id):
            ours = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if not ours or ours & keep:
                continue
            if any(system_of(ident) in unread for ident in ours):
                continue
            LOGGER.info("Removing device %s: gone from the account", device.name)
            registry.async_remove_device(device.id)


def _device_info(info: dict[str, Any]) -> DeviceInfo:
    """Type the device info built above (its link key differs between cores)."""
    return info  # type: ignore[return-value]
