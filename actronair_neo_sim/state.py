"""The simulated cloud's whole state and every way to change it (`cloud.state` in tests).

Holds the accounts (through `AuthStore`), the systems keyed by case-folded serial, the command delay
and the clock. HTTP handlers and the admin endpoint call these methods; tests may call them directly
to revoke a pairing, take a controller offline or add and remove systems and zones.
"""

from typing import TYPE_CHECKING, Any

from . import simulation
from .auth import DEFAULT_TOKEN_LIFETIME, AuthStore
from .clock import Clock, system_clock
from .commands import constrain, parse_command
from .scenario import (
    DEMO_EMAIL,
    ZONE_SLOTS,
    Scenario,
    ScenarioError,
    SystemSpec,
    ZoneSpec,
    default_scenario,
)
from .snapshot import system_from_json, system_to_json
from .status import status_document
from .system import SystemState

if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_COMMAND_DELAY = 3.0


class SystemNotFoundError(LookupError):
    """No system with that serial (for that account)."""


class SystemOfflineError(Exception):
    """The wall controller is offline: commands cannot reach it."""


class CloudState:
    """Accounts, pairings, bearers and live systems, all moved by one clock."""

    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        clock: Clock = system_clock,
        command_delay: float = DEFAULT_COMMAND_DELAY,
        token_lifetime: float = DEFAULT_TOKEN_LIFETIME,
    ) -> None:
        """Bring `scenario` (default: the demo account) to life at the clock's current time."""
        scenario = default_scenario() if scenario is None else scenario
        self.clock = clock
        self.command_delay = command_delay
        self.auth = AuthStore(scenario.accounts, clock, token_lifetime)
        self._accounts = {account.email.casefold() for account in scenario.accounts}
        self._systems: dict[str, SystemState] = {}
        for account in scenario.accounts:
            for spec in account.systems:
                self.add_system(spec, account.email)

    @classmethod
    def from_json(
        cls,
        data: object,
        *,
        clock: Clock = system_clock,
        command_delay: float = DEFAULT_COMMAND_DELAY,
        token_lifetime: float = DEFAULT_TOKEN_LIFETIME,
    ) -> CloudState:
        """Rebuild the state `to_json()` returned; raise ScenarioError naming what is wrong."""
        if not isinstance(data, dict) or set(data) != {"auth", "systems"}:
            raise ScenarioError("state: expected auth and systems")
        if not isinstance(data["systems"], list):
            raise ScenarioError("state.systems: expected a list")
        state = cls(Scenario(), clock=clock, command_delay=command_delay)
        state.auth = AuthStore.from_json(data["auth"], clock, token_lifetime)
        state._accounts = set(state.auth.accounts())
        for i, item in enumerate(data["systems"]):
            system = system_from_json(item, f"state.systems[{i}]")
            if system.owner not in state._accounts or system.key in state._systems:
                raise ScenarioError(f"state.systems[{i}]: unknown owner or repeated serial")
            state._systems[system.key] = system
        return state

    def to_json(self) -> dict[str, Any]:
        """Return accounts, pairings, bearers and systems as JSON-safe data: secrets included.

        Only for the state file; `summary()` is the version without secrets.
        """
        return {
            "auth": self.auth.to_json(),
            "systems": [system_to_json(system) for system in self._systems.values()],
        }

    @property
    def token_lifetime(self) -> float:
        """Seconds a new bearer stays valid."""
        return self.auth.token_lifetime

    @token_lifetime.setter
    def token_lifetime(self, seconds: float) -> None:
        self.auth.token_lifetime = seconds

    def now(self) -> float:
        """Read the simulator's clock."""
        return self.clock()

    def add_account(self, email: str, password: str) -> None:
        """Open another account (it owns no system yet)."""
        self.auth.add_account(email, password)
        self._accounts.add(email.casefold())

    def systems(self, email: str | None = None) -> list[SystemState]:
        """Every system, or an account's, in the order they were added."""
        return [s for s in self._systems.values() if email is None or s.owner == email.casefold()]

    def system(self, serial: str, email: str | None = None) -> SystemState:
        """Return a system brought up to the clock's time (only `email`'s, when given)."""
        system = self._systems.get(serial.casefold())
        if system is None or (email is not None and system.owner != email.casefold()):
            raise SystemNotFoundError(serial)
        simulation.settle(system, self.now())
        return system

    def status(self, serial: str, email: str | None = None) -> dict[str, Any]:
        """Render the `status/latest` document of a system."""
        system = self.system(serial, email)
        return status_document(system, self.now())

    def send_command(self, serial: str, body: object, email: str | None = None) -> float:
        """Validate and queue a command body; return when the status will show it.

        Raises SystemNotFoundError, SystemOfflineError or CommandError; nothing changes then.
        """
        system = self.system(serial, email)
        if not system.online:
            raise SystemOfflineError(serial)
        changes = parse_command(body, system)
        return simulation.queue_command(system, changes, self.now(), self.command_delay)

    def add_system(self, spec: SystemSpec, email: str = DEMO_EMAIL) -> SystemState:
        """Give the account `email` another system (it appears in the next systems list)."""
        if email.casefold() not in self._accounts:
            raise ValueError(f"no account {email!r}")
        if spec.serial.casefold() in self._systems:
            raise ValueError(f"a system with serial {spec.serial!r} exists already")
        system = SystemState.from_spec(spec, email, self.now())
        constrain(system)
        self._systems[system.key] = system
        return system

    def remove_system(self, serial: str) -> None:
        """Remove a system: it leaves the list and its serial answers 404."""
        if self._systems.pop(serial.casefold(), None) is None:
            raise SystemNotFoundError(serial)

    def add_zone(self, serial: str, zone: ZoneSpec, slot: int | None = None) -> int:
        """Put a zone into `slot` (default: the first unused one); return the slot."""
        system = self.system(serial)
        slot = system.free_slot() if slot is None else slot
        if slot is None or not 0 <= slot < ZONE_SLOTS or system.zones[slot].exists:
            raise ValueError(f"no free zone slot {'' if slot is None else slot} on {serial!r}")
        system.install_zone(slot, zone)
        constrain(system)
        return slot

    def remove_zone(self, serial: str, slot: int) -> None:
        """Take a zone slot out of use."""
        system = self.system(serial)
        if not 0 <= slot < ZONE_SLOTS or not system.zones[slot].exists:
            raise ValueError(f"zone slot {slot} of {serial!r} is not in use")
        system.clear_zone(slot)

    def set_online(self, serial: str, online: bool) -> None:
        """Take a wall controller offline or bring it back."""
        simulation.set_online(self.system(serial), online, self.now())

    def revoke_pairing(self, *, email: str | None = None, device_id: str | None = None) -> int:
        """Revoke pairings (an account's, or one user-device) like the vendor portal; count them."""
        return self.auth.revoke(email=email, device_id=device_id)

    def expire_bearers(self) -> int:
        """Make every bearer token expire now; returns how many there were."""
        return self.auth.expire_bearers()

    def summary(self) -> dict[str, Any]:
        """Summarise everything, JSON-safe and without secrets, for the admin endpoint."""
        return {
            "now": self.now(),
            "command_delay": self.command_delay,
            "token_lifetime": self.token_lifetime,
            "bearers": self.auth.bearer_count(),
            "accounts": [
                {
                    "email": email,
                    "user_devices": [device.to_json() for device in self.auth.devices(email)],
                    "systems": [system.serial for system in self.systems(email)],
                }
                for email in sorted(self._accounts)
            ],
            "systems": [_system_summary(self.system(s.key)) for s in list(self._systems.values())],
        }


def _system_summary(system: SystemState) -> dict[str, Any]:
    settings = system.settings
    return {
        "serial": system.serial,
        "type": system.spec.system_type,
        "owner": system.owner,
        "online": system.online,
        "pending_commands": len(system.pending),
        "is_on": settings.is_on,
        "mode": settings.mode,
        "fan_mode": settings.fan_mode,
        "cool_setpoint": settings.cool_setpoint,
        "heat_setpoint": settings.heat_setpoint,
        "temperature": round(system.master_temperature, 1),
        "zones": list(_zone_summaries(system)),
    }


def _zone_summaries(system: SystemState) -> Iterable[dict[str, Any]]:
    for slot, zone in enumerate(system.zones):
        if zone.exists:
            yield {
                "slot": slot,
                "name": zone.name,
                "enabled": system.settings.enabled_zones[slot],
                "itc": zone.itc,
                "sensor": zone.sensor_serial is not None,
                "temperature": round(zone.temperature, 1),
            }
