"""Asynchronous client of the ActronAir Neo and Que clouds; knows nothing of Home Assistant.

Import the public names from this package, e.g.
`from custom_components.actronair_neo.api import ActronNeoClient`.
"""

from . import commands
from .auth import AuthTokens, BearerToken, PairingToken
from .client import ActronNeoClient
from .commands import Command, CommandValue
from .const import BEARER_REFRESH_MARGIN, DEFAULT_BASE_URL, DEFAULT_QUE_BASE_URL
from .errors import (
    ActronAuthError,
    ActronBearerRejectedError,
    ActronConnectionError,
    ActronError,
    ActronInvalidCredentialsError,
    ActronInvalidResponseError,
    ActronPairingRevokedError,
    ActronRateLimitedError,
    ActronRequestRejectedError,
    ActronResponseError,
    ActronServerError,
    ActronSystemNotFoundError,
    ActronSystemOfflineError,
    ActronTimeoutError,
    ActronValidationError,
)
from .models import (
    AcSystem,
    Alerts,
    CommandResult,
    CompressorMode,
    FanSpeed,
    HvacMode,
    Limits,
    LiveAircon,
    MasterInfo,
    OutdoorUnit,
    Peripheral,
    SystemInfo,
    SystemStatus,
    UserSettings,
    Zone,
    ZoneSensor,
)

__all__ = [
    "BEARER_REFRESH_MARGIN",
    "DEFAULT_BASE_URL",
    "DEFAULT_QUE_BASE_URL",
    "AcSystem",
    "ActronAuthError",
    "ActronBearerRejectedError",
    "ActronConnectionError",
    "ActronError",
    "ActronInvalidCredentialsError",
    "ActronInvalidResponseError",
    "ActronNeoClient",
    "ActronPairingRevokedError",
    "ActronRateLimitedError",
    "ActronRequestRejectedError",
    "ActronResponseError",
    "ActronServerError",
    "ActronSystemNotFoundError",
    "ActronSystemOfflineError",
    "ActronTimeoutError",
    "ActronValidationError",
    "Alerts",
    "AuthTokens",
    "BearerToken",
    "Command",
    "CommandResult",
    "CommandValue",
    "CompressorMode",
    "FanSpeed",
    "HvacMode",
    "Limits",
    "LiveAircon",
    "MasterInfo",
    "OutdoorUnit",
    "PairingToken",
    "Peripheral",
    "SystemInfo",
    "SystemStatus",
    "UserSettings",
    "Zone",
    "ZoneSensor",
    "commands",
]
