"""Constants of the integration: domain, entry and option keys, defaults, HA <-> API value maps."""

from datetime import timedelta
import logging
from typing import Final

from homeassistant.components.climate.const import (
    FAN_AUTO,
    FAN_HIGH,
    FAN_LOW,
    FAN_MEDIUM,
    HVACMode,
)

from .api import FanSpeed, HvacMode

DOMAIN: Final = "actronair_neo"
LOGGER = logging.getLogger(__package__)

MANUFACTURER: Final = "ActronAir"

# Config entry data. The password is never stored: the pairing token replaces it.
CONF_DEVICE_UNIQUE_ID: Final = "device_unique_id"
CONF_TOKENS: Final = "tokens"
CONF_API_URL: Final = "api_url"
CONF_QUE_API_URL: Final = "que_api_url"

# Where new entries talk to, when set (the demo and tests point them at the simulator).
ENV_API_URL: Final = "ACTRONAIR_NEO_API_URL"
ENV_QUE_API_URL: Final = "ACTRONAIR_NEO_QUE_API_URL"

# Options.
CONF_POLL_INTERVAL: Final = "poll_interval"
DEFAULT_POLL_INTERVAL: Final = 30
MIN_POLL_INTERVAL: Final = 10
MAX_POLL_INTERVAL: Final = 300
CONF_ZONE_CLIMATES: Final = "zone_climates"
"""Zones without their own temperature control that still get a climate entity (zone keys)."""

# The account's systems rarely change: re-read the list this often, not on every poll.
SYSTEMS_REFRESH_INTERVAL: Final = timedelta(hours=1)
# The cloud shows a command only once the wall controller reports back, a few seconds later.
CONFIRM_DELAYS: Final = (3.0, 10.0)

HVAC_MODE_TO_HA: Final[dict[HvacMode, HVACMode]] = {
    HvacMode.COOL: HVACMode.COOL,
    HvacMode.HEAT: HVACMode.HEAT,
    HvacMode.AUTO: HVACMode.HEAT_COOL,
    HvacMode.FAN: HVACMode.FAN_ONLY,
    HvacMode.DRY: HVACMode.DRY,
}
HA_TO_HVAC_MODE: Final[dict[HVACMode, HvacMode]] = {v: k for k, v in HVAC_MODE_TO_HA.items()}

FAN_SPEED_TO_HA: Final[dict[FanSpeed, str]] = {
    FanSpeed.LOW: FAN_LOW,
    FanSpeed.MEDIUM: FAN_MEDIUM,
    FanSpeed.HIGH: FAN_HIGH,
    FanSpeed.AUTO: FAN_AUTO,
}
HA_TO_FAN_SPEED: Final[dict[str, FanSpeed]] = {v: k for k, v in FAN_SPEED_TO_HA.items()}


def system_key(serial: str) -> str:
    """Return how a system is keyed everywhere: data, device identifiers, unique ids."""
    return serial.casefold()


def zone_key(serial: str, index: int) -> str:
    """Return a zone's key: its device identifier, unique-id prefix and option value."""
    return f"{system_key(serial)}_zone{index}"


def system_of(key: str) -> str:
    """Return the system key of a system's or a zone's key."""
    return key.partition("_zone")[0]
