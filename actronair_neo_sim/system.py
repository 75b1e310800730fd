"""The live state of one air conditioner: settings, zone slots, temperatures, pending commands.

Plain data: `commands.py` changes it, `physics.py` warms and cools it, `simulation.py` moves it
through time and `status.py` renders it. Identifiers the status document needs (sensor serials, MAC
addresses) are derived from the serial, so the same scenario always produces the same document.
"""

from dataclasses import dataclass, field
import hashlib
from typing import Any

from .scenario import ZONE_SLOTS, SystemSpec, ZoneSpec

# Drift runs on a fixed grid of ticks in absolute time, so the result depends only on the clock's
# readings, not on how often anyone looked.
TICK_SECONDS = 10.0


def derived_hex(seed: str, length: int) -> str:
    """Upper-case hex digits derived from `seed`: stable stand-ins for hardware identifiers."""
    return hashlib.sha256(seed.encode()).hexdigest()[:length].upper()


def derived_mac(seed: str) -> str:
    """Derive a stable, locally administered MAC address from `seed`."""
    digits = "02" + derived_hex(seed, 10)
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


@dataclass(kw_only=True)
class ZoneState:
    """One zone slot; `exists` is False for an unused slot."""

    exists: bool
    name: str
    can_operate: bool = True
    itc: bool = False
    sensor_serial: str | None = None
    temperature: float = 24.0
    humidity: float = 50.0
    cool_setpoint: float = 24.0
    heat_setpoint: float = 20.0
    airflow_setpoint: int = 100

    @classmethod
    def unused(cls, slot: int) -> ZoneState:
        """Make an empty slot, titled the way a wall controller titles one."""
        return cls(exists=False, name=f"Zone {slot + 1}", can_operate=False)


@dataclass(kw_only=True)
class Settings:
    """The user's settings (`UserAirconSettings`)."""

    is_on: bool
    mode: str
    fan_mode: str
    cool_setpoint: float
    heat_setpoint: float
    enabled_zones: list[bool]
    away: bool
    quiet: bool
    turbo: bool = False


@dataclass(frozen=True)
class PendingCommand:
    """A command the cloud acknowledged and the wall controller has not reported back yet."""

    apply_at: float
    # commands.Change, typed loosely so that this module stays free of command logic.
    changes: tuple[Any, ...]


@dataclass(kw_only=True)
class SystemState:
    """One system of one account, as the simulated wall controller knows it."""

    spec: SystemSpec
    owner: str
    settings: Settings
    zones: list[ZoneState]
    master_temperature: float
    master_humidity: float
    offline_since: float | None
    next_tick: float
    last_report: float
    pending: list[PendingCommand] = field(default_factory=list)
    id: str = ""

    @classmethod
    def from_spec(cls, spec: SystemSpec, owner: str, now: float) -> SystemState:
        """Bring a scenario's system to life at time `now`."""
        slots = [*spec.zones, *([None] * (ZONE_SLOTS - len(spec.zones)))]
        settings = Settings(
            is_on=spec.is_on,
            mode=spec.mode,
            fan_mode=spec.fan_mode,
            cool_setpoint=spec.cool_setpoint,
            heat_setpoint=spec.heat_setpoint,
            enabled_zones=[zone is not None and zone.enabled for zone in slots],
            away=spec.away,
            quiet=spec.quiet,
        )
        system = cls(
            spec=spec,
            owner=owner.casefold(),
            settings=settings,
            zones=[ZoneState.unused(slot) for slot in range(ZONE_SLOTS)],
            master_temperature=spec.indoor_temperature,
            master_humidity=spec.humidity,
            offline_since=None if spec.online else now,
            next_tick=(now // TICK_SECONDS + 1) * TICK_SECONDS,
            last_report=now,
            id=str(int(derived_hex(f"id-{spec.serial}", 6), 16)),
        )
        for slot, zone in enumerate(slots):
            if zone is not None:
                system.install_zone(slot, zone)
        return system

    @property
    def online(self) -> bool:
        """Whether the wall controller is connected to the cloud."""
        return self.offline_since is None

    @property
    def serial(self) -> str:
        """The serial as the systems list spells it (lower-case)."""
        return self.spec.serial.lower()

    @property
    def key(self) -> str:
        """The serial, case-folded: how the cloud looks a system up."""
        return self.spec.serial.casefold()

    def install_zone(self, slot: int, zone: ZoneSpec) -> None:
        """Put a zone into `slot` (replacing what was there) and enable it as the spec says."""
        self.zones[slot] = ZoneState(
            exists=True,
            name=zone.name,
            can_operate=zone.can_operate,
            itc=zone.itc,
            sensor_serial=derived_hex(f"sensor-{self.key}-{slot}", 8) if zone.sensor else None,
            # A zone without a sensor of its own reads the wall controller's.
            temperature=zone.temperature if zone.sensor else self.master_temperature,
            humidity=zone.humidity if zone.sensor else self.master_humidity,
            cool_setpoint=self.settings.cool_setpoint
            if zone.cool_setpoint is None
            else zone.cool_setpoint,
            heat_setpoint=self.settings.heat_setpoint
            if zone.heat_setpoint is None
            else zone.heat_setpoint,
            airflow_setpoint=zone.airflow_setpoint,
        )
        self.settings.enabled_zones[slot] = zone.enabled

    def free_slot(self) -> int | None:
        """Find the first unused zone slot, if any."""
        return next((slot for slot, zone in enumerate(self.zones) if not zone.exists), None)

    def clear_zone(self, slot: int) -> None:
        """Take a zone out of use: its slot reads as unused and disabled."""
        self.zones[slot] = ZoneState.unused(slot)
        self.settings.enabled_zones[slot] = False
