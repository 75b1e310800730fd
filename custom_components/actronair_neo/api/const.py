"""Constants of the ActronAir cloud API: hosts, paths, form values and timing margins."""

from datetime import timedelta
from typing import Final

DEFAULT_BASE_URL: Final = "https://nimbus.actronair.com.au"
DEFAULT_QUE_BASE_URL: Final = "https://que.actronair.com.au"

PATH_USER_DEVICES: Final = "/api/v0/client/user-devices"
PATH_OAUTH: Final = "/api/v0/oauth/token"
PATH_SYSTEMS: Final = "/api/v0/client/ac-systems"
PATH_STATUS: Final = "/api/v0/client/ac-systems/status/latest"
PATH_COMMAND: Final = "/api/v0/client/ac-systems/cmds/send"

SYSTEMS_QUERY: Final = {"includeAcms": "true", "includeNeo": "true"}

# The vendor's own apps pair as "ios"; the token endpoint only knows the "app" client.
PAIRING_CLIENT: Final = "ios"
OAUTH_CLIENT_ID: Final = "app"
OAUTH_GRANT_TYPE: Final = "refresh_token"
COMMAND_TYPE: Final = "set-settings"

# Bearers live about 3 days; re-exchanging a little early avoids a 401 round trip mid-request.
BEARER_REFRESH_MARGIN: Final = timedelta(minutes=5)

DEFAULT_DEVICE_NAME: Final = "Home Assistant"
DEFAULT_REQUEST_TIMEOUT: Final = 20.0
DEFAULT_COMMAND_MERGE_WINDOW: Final = 0.5

# A wall controller has this many zone slots (`RemoteZoneInfo`, `EnabledZones`).
ZONE_SLOTS: Final = 8

# Values of a system's `type` (compared case-folded) that the Que cloud serves.
QUE_SYSTEM_TYPES: Final = frozenset({"nxgen", "nx-gen"})

LOGGER_NAME: Final = "custom_components.actronair_neo.api"
