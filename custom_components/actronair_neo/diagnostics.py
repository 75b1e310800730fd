"""Diagnostics: the entry and each system's raw status, with everything identifying redacted.

Redacted: tokens, the account's email, the device identifier, serial numbers (as values, inside
other text and as keys, such as wireless sensor serials), the controller's `<SERIAL>` block
(Wi-Fi network, MAC and IP addresses: dropped whole), and any other Wi-Fi name or MAC address.
Serials become stable aliases, so the document still shows which sensor is which, and the
options' zone keys (`<serial>_zone<n>`) name their system by the same alias.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_EMAIL

from .const import CONF_DEVICE_UNIQUE_ID, CONF_TOKENS, CONF_ZONE_CLIMATES, system_of

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .api import SystemStatus
    from .coordinator import ActronConfigEntry

ENTRY_REDACT = {CONF_TOKENS, CONF_EMAIL, CONF_DEVICE_UNIQUE_ID}
# Keys whose value identifies the unit, the home network or the account.
SERIAL_KEY = re.compile(r"serial", re.IGNORECASE)
SENSITIVE_KEY = re.compile(
    r"ssid|^mac|mac(?:address|addr)?$|ip(?:v[46])?address|email|token|password", re.IGNORECASE
)
MAC_ADDRESS = re.compile(r"\b[0-9a-f]{2}(?:([:-])[0-9a-f]{2})(?:\1[0-9a-f]{2}){4}\b", re.IGNORECASE)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant,  # noqa: ARG001
    entry: ActronConfigEntry,
) -> dict[str, Any]:
    """Return the entry, the coordinator's health and every system's status, redacted."""
    coordinator = entry.runtime_data.coordinator
    redactor = _Redactor()
    for key, status in coordinator.data.items():
        redactor.learn(key, status)
    systems: dict[str, Any] = {}
    for key, status in coordinator.data.items():
        system = coordinator.systems.get(key)
        systems[redactor.alias(key)] = {
            "type": system.system_type if system else None,
            "is_que": system.is_que if system else None,
            "description": redactor.text(system.description)
            if system and system.description
            else None,
            "online": coordinator.is_online(key),
            "status": redactor.value(status.raw),
        }
    # Zone keys start with their system's serial; a system gone since keeps its own alias.
    # Learnt only now, so a stale key never rewrites text in the statuses above.
    for zone in entry.options.get(CONF_ZONE_CLIMATES, ()):
        if isinstance(zone, str) and (serial := system_of(zone)):
            redactor.alias(serial)
    return {
        "entry": {
            "data": async_redact_data(entry.data, ENTRY_REDACT),
            "options": redactor.value(entry.options),
        },
        "coordinator": {
            "last_update_success": coordinator.last_update_success,
            "update_interval": coordinator.update_interval.total_seconds()
            if coordinator.update_interval
            else None,
        },
        "systems": systems,
    }


class _Redactor:
    """Replaces serials by stable aliases (so sensors still match up) and drops the rest."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}

    def learn(self, key: str, status: SystemStatus) -> None:
        """Alias every serial of a system before redacting: text anywhere may mention them."""
        self.alias(key)
        for zone in status.zones:
            for sensor in zone.sensors:
                self.alias(sensor.serial)
        self._learn_values(status.raw)

    def _learn_values(self, data: object) -> None:
        if isinstance(data, Mapping):
            for key, value in data.items():
                if SERIAL_KEY.search(str(key)) and isinstance(value, str):
                    self.alias(value)
                else:
                    self._learn_values(value)
        elif isinstance(data, list):
            for item in data:
                self._learn_values(item)

    def alias(self, serial: str) -> str:
        """Return the alias of a serial (the same one each time)."""
        folded = serial.casefold()
        if folded not in self._aliases:
            self._aliases[folded] = f"serial_{len(self._aliases) + 1}"
        return self._aliases[folded]

    def text(self, value: str) -> str:
        """Return a string with serials replaced by their aliases and MAC addresses dropped."""
        # Longest first, so a serial that contains another is replaced whole.
        for folded in sorted(self._aliases, key=len, reverse=True):
            value = re.sub(re.escape(folded), self._aliases[folded], value, flags=re.IGNORECASE)
        return MAC_ADDRESS.sub(REDACTED, value)

    def value(self, data: object) -> object:
        """Return a redacted copy of any JSON value."""
        if isinstance(data, Mapping):
            return {self.text(str(key)): self._item(str(key), item) for key, item in data.items()}
        if isinstance(data, list):
            return [self.value(item) for item in data]
        if isinstance(data, str):
            return self.text(data)
        return data

    def _item(self, key: str, value: object) -> object:
        # `<SERIAL>` holds the controller's own data (Wi-Fi, addresses): none of it is needed.
        if key.startswith("<") and key.endswith(">"):
            return REDACTED
        if SERIAL_KEY.search(key) and isinstance(value, str):
            return self.alias(value)
        if SENSITIVE_KEY.search(key) and value not in (None, ""):
            return REDACTED
        return self.value(value)
