"""A toy thermal model so the demo looks alive: what the compressor does and how rooms drift.

While the compressor runs, rooms approach their setpoint (ITC zones their own, other zones the
master's); otherwise they relax towards the house's unconditioned temperature. Zones without a
sensor of their own read the wall controller's temperature. The compressor, fan and power figures
follow from mode, setpoints and room temperature. Nothing here is the vendor's; it only has to be
plausible and consistent.
"""

from dataclasses import dataclass
import math
from typing import TYPE_CHECKING, Final

from .scenario import split_fan_mode

if TYPE_CHECKING:
    from .system import SystemState, ZoneState

CONDITIONING_SECONDS: Final = 900.0  # time constant while the compressor runs
RELAXING_SECONDS: Final = 3600.0  # time constant towards the unconditioned temperature
DRY_HUMIDITY: Final = 45.0
SATISFIED_BELOW: Final = -0.5  # degrees past the setpoint at which the compressor stops
_FAN_RPM: Final = {"LOW": 1150, "MED": 1290, "HIGH": 1500}
_AUTO_FAN_RPM: Final = (1150, 3.5)  # base and per percent of compressor capacity
_COP: Final = 3.2  # electrical watts per thermal watt, inverted
_QUIET_CAPACITY: Final = 70


@dataclass(frozen=True)
class Demand:
    """What the outdoor and indoor units are doing right now."""

    compressor_mode: str  # OFF | COOL | HEAT
    capacity: int  # percent
    fan_running: bool


def demand(system: SystemState) -> Demand:
    """Decide the compressor's mode and capacity from the settings and the room temperature."""
    settings = system.settings
    if not settings.is_on:
        return Demand("OFF", 0, fan_running=False)
    continuous = bool(split_fan_mode(settings.fan_mode)[1])
    temperature = system.master_temperature
    cooling_need = temperature - settings.cool_setpoint
    heating_need = settings.heat_setpoint - temperature
    match settings.mode:
        case "COOL" | "DRY":
            mode, need = "COOL", cooling_need
        case "HEAT":
            mode, need = "HEAT", heating_need
        case "AUTO":
            mode, need = (
                ("COOL", cooling_need) if cooling_need >= heating_need else ("HEAT", heating_need)
            )
        case _:  # FAN
            return Demand("OFF", 0, fan_running=True)
    if need < SATISFIED_BELOW:
        return Demand("OFF", 0, fan_running=continuous)
    capacity = min(100, max(20, round(30 + need * 25)))
    if settings.mode == "DRY":
        capacity = 40
    if settings.turbo:
        capacity = 100
    elif settings.quiet:
        capacity = min(capacity, _QUIET_CAPACITY)
    return Demand(mode, capacity, fan_running=True)


def fan_rpm(system: SystemState, now_demand: Demand) -> int:
    """Indoor fan speed: the chosen speed, or for AUTO one that follows the compressor."""
    if not now_demand.fan_running:
        return 0
    speed, _suffix = split_fan_mode(system.settings.fan_mode)
    base, per_percent = _AUTO_FAN_RPM
    return _FAN_RPM.get(speed, round(base + per_percent * now_demand.capacity))


def compressor_power(system: SystemState, now_demand: Demand) -> int:
    """Electrical power of the compressor in W; fixed-speed units report 0, as real ones do."""
    if not system.spec.inverter:
        return 0
    return round(now_demand.capacity / 100 * system.spec.capacity_kw * 1000 / _COP)


def step(system: SystemState, seconds: float) -> None:
    """Let `seconds` pass: every temperature moves a little towards its target."""
    now_demand = demand(system)
    running = now_demand.compressor_mode != "OFF"
    cooling = now_demand.compressor_mode == "COOL"
    settings, ambient = system.settings, system.spec.indoor_temperature

    def target(cool: float, heat: float, *, conditioned: bool) -> tuple[float, float]:
        if not conditioned:
            return ambient, RELAXING_SECONDS
        return (cool if cooling else heat), CONDITIONING_SECONDS

    master_target = target(settings.cool_setpoint, settings.heat_setpoint, conditioned=running)
    system.master_temperature = _approach(system.master_temperature, *master_target, seconds)
    humidity_target = DRY_HUMIDITY if cooling else system.spec.humidity
    system.master_humidity = _approach(
        system.master_humidity, humidity_target, CONDITIONING_SECONDS, seconds
    )
    for slot, zone in enumerate(system.zones):
        if not zone.exists:
            continue
        if zone.sensor_serial is None:
            zone.temperature, zone.humidity = system.master_temperature, system.master_humidity
            continue
        conditioned = running and settings.enabled_zones[slot]
        zone.temperature = _approach(
            zone.temperature,
            *target(*_zone_setpoints(system, zone), conditioned=conditioned),
            seconds,
        )
        zone.humidity = _approach(
            zone.humidity,
            humidity_target if conditioned else system.spec.humidity,
            CONDITIONING_SECONDS,
            seconds,
        )


def _zone_setpoints(system: SystemState, zone: ZoneState) -> tuple[float, float]:
    if zone.itc:
        return zone.cool_setpoint, zone.heat_setpoint
    return system.settings.cool_setpoint, system.settings.heat_setpoint


def _approach(value: float, target: float, time_constant: float, seconds: float) -> float:
    return target + (value - target) * math.exp(-seconds / time_constant)
