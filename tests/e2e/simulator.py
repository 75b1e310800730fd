"""The simulator's admin endpoint (`/_sim/...`), as the browser tests use it to set the scene.

Only what the tests need: the cloud's state, request log and accepted commands, revoking pairings,
taking a wall controller offline. The simulator's README documents every route.
"""

from __future__ import annotations

import json
from typing import Any

from demo_ha import http_call


class SimulatorAdmin:
    """The admin endpoint of the simulator at `base_url`."""

    def __init__(self, base_url: str) -> None:
        """Remember where the simulator answers."""
        self.base_url = base_url.rstrip("/")

    def _call(self, method: str, path: str, body: object = None) -> Any:
        return json.loads(http_call(method, f"{self.base_url}/_sim{path}", json_body=body))

    def state(self) -> dict[str, Any]:
        """Return accounts, pairings and every system's settings and zones."""
        state: dict[str, Any] = self._call("GET", "/state")
        return state

    def system(self, serial: str) -> dict[str, Any]:
        """Return one system's settings and zones."""
        return next(s for s in self.state()["systems"] if s["serial"].casefold() == serial)

    def requests(self) -> list[dict[str, Any]]:
        """Return the recent cloud requests (endpoint, serial, status), oldest first."""
        records: list[dict[str, Any]] = self._call("GET", "/requests?last=1000")["recent"]
        return records

    def reset_requests(self) -> None:
        """Forget the requests so far (and the accepted commands)."""
        self._call("DELETE", "/requests")

    def commands(self) -> list[dict[str, Any]]:
        """Return the commands the cloud accepted (at, host, serial, settings), oldest first."""
        commands: list[dict[str, Any]] = self._call("GET", "/commands")["commands"]
        return commands

    def revoke(self, email: str) -> int:
        """Revoke every pairing of the account (and its bearers); return how many."""
        revoked: int = self._call("POST", "/revoke", {"email": email})["revoked"]
        return revoked

    def set_online(self, serial: str, *, online: bool) -> None:
        """Take the system's wall controller offline, or bring it back."""
        self._call("PUT", f"/systems/{serial}/online", {"online": online})
