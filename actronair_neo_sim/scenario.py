"""What the simulated cloud starts with: accounts, systems and zones (defaults, files, generators).

A scenario is plain frozen data; `state.py` turns it into live, mutable state. JSON scenario files
use the field names below (snake_case), e.g. `{"accounts": [{"email": "a@b.c", "password": "pw",
"systems": [{"serial": "26c00841", "zones": [{"name": "Living", "itc": true, "sensor": true}]}]}]}`;
`scenario_to_json(default_scenario())` shows every field.
"""

from dataclasses import MISSING, asdict, dataclass, field, fields, is_dataclass, replace
from datetime import datetime
import json
import re
import types
from typing import TYPE_CHECKING, Any, Final, cast, get_args, get_origin, get_type_hints

if TYPE_CHECKING:
    from pathlib import Path

DEMO_EMAIL: Final = "demo@example.com"
DEMO_PASSWORD: Final = "demo"  # noqa: S105 -- the simulator's published demo password, not a secret
ZONE_SLOTS: Final = 8
NEO_TYPE: Final = "neo"
QUE_TYPES: Final = frozenset({"nxgen", "NX-Gen"})
SYSTEM_TYPES: Final = frozenset({NEO_TYPE, "standard", *QUE_TYPES})
MODES: Final = ("COOL", "HEAT", "AUTO", "FAN", "DRY")
FAN_SPEEDS: Final = ("LOW", "MED", "HIGH", "AUTO")
CONTINUOUS_SUFFIXES: Final = ("+CONT", "-CONT")
_SERIAL = re.compile(r"[0-9A-Za-z]{4,16}")


class ScenarioError(ValueError):
    """A scenario (file or object) that cannot describe a cloud; the message says where and why."""

    @property
    def redacted(self) -> str:
        """The message without any value read from the input (which may be a secret)."""
        return str(self)


class ScenarioTypeError(ScenarioError):
    """A value of the wrong type; the message shows it, `redacted` only its JSON type."""

    def __init__(self, where: str, expected: str, value: object) -> None:
        """Describe the value found at `where` where `expected` was wanted."""
        super().__init__(f"{where}: expected {expected}, got {json.dumps(value)}")
        self._redacted = f"{where}: expected {expected}, got a {type(value).__name__}"

    @property
    def redacted(self) -> str:
        """The message without the value."""
        return self._redacted


def split_fan_mode(fan_mode: str) -> tuple[str, str]:
    """Split `"AUTO+CONT"` into `("AUTO", "+CONT")`; no suffix gives `""`."""
    for suffix in CONTINUOUS_SUFFIXES:
        if fan_mode.endswith(suffix):
            return fan_mode.removesuffix(suffix), suffix
    return fan_mode, ""


def is_que_type(system_type: str) -> bool:
    """Tell whether systems of this list `type` are served by the Que host."""
    return system_type in QUE_TYPES


@dataclass(frozen=True, kw_only=True)
class ZoneSpec:
    """One zone slot in use. Setpoints default to the master's; `sensor` adds a wireless sensor.

    `temperature` and `humidity` are the zone's own only with a sensor; without one the zone reads
    the wall controller's (`SystemSpec.indoor_temperature` and `humidity`).
    """

    name: str
    enabled: bool = True
    itc: bool = False
    sensor: bool = False
    temperature: float = 24.0
    humidity: float = 50.0
    cool_setpoint: float | None = None
    heat_setpoint: float | None = None
    airflow_setpoint: int = 100
    can_operate: bool = True

    def __post_init__(self) -> None:
        """Reject zones the status document could not describe."""
        if not self.name.strip():
            raise ScenarioError("a zone needs a name")
        if not 0 <= self.airflow_setpoint <= 100:  # noqa: PLR2004 -- a percentage
            raise ScenarioError(f"zone {self.name!r}: airflow_setpoint must be 0..100")


@dataclass(frozen=True, kw_only=True)
class SystemSpec:
    """One air conditioner: identity, settings at start, limits and up to 8 zone slots."""

    serial: str
    system_type: str = NEO_TYPE
    description: str | None = None
    zones: tuple[ZoneSpec | None, ...] = ()
    is_on: bool = False
    mode: str = "COOL"
    fan_mode: str = "AUTO"
    cool_setpoint: float = 24.0
    heat_setpoint: float = 20.0
    cool_min: float = 16.0
    cool_max: float = 30.0
    heat_min: float = 16.0
    heat_max: float = 30.0
    min_gap: float = 2.0
    zone_variance: float = 2.0
    supported_modes: tuple[str, ...] = ("COOL", "HEAT", "AUTO", "FAN")
    auto_fan: bool = True
    turbo_supported: bool = False
    quiet: bool = False
    away: bool = False
    online: bool = True
    inverter: bool = True
    capacity_kw: float = 14.0
    outdoor_temperature: float = 30.0
    indoor_temperature: float = 25.0
    humidity: float = 55.0
    wifi_ssid: str = "SimulatedHome"
    firmware: str = "2.1.6.1"
    wall_controller_model: str = "NTB-1000"

    def __post_init__(self) -> None:
        """Reject systems whose parts contradict each other."""
        where = f"system {self.serial!r}"
        if not _SERIAL.fullmatch(self.serial):
            raise ScenarioError(f"{where}: a serial is 4-16 letters or digits")
        if self.system_type not in SYSTEM_TYPES:
            raise ScenarioError(f"{where}: system_type must be one of {sorted(SYSTEM_TYPES)}")
        if len(self.zones) > ZONE_SLOTS:
            raise ScenarioError(f"{where}: at most {ZONE_SLOTS} zone slots")
        unknown_modes = set(self.supported_modes) - set(MODES)
        if unknown_modes or self.mode not in self.supported_modes:
            raise ScenarioError(
                f"{where}: mode must be one of supported_modes, each one of {MODES}"
            )
        speed, _suffix = split_fan_mode(self.fan_mode)
        if speed not in FAN_SPEEDS or (speed == "AUTO" and not self.auto_fan):
            raise ScenarioError(f"{where}: fan_mode {self.fan_mode!r} is not available")
        if not (self.cool_min < self.cool_max and self.heat_min < self.heat_max):
            raise ScenarioError(f"{where}: each setpoint minimum must be below its maximum")
        if not (
            self.cool_min <= self.cool_setpoint <= self.cool_max
            and self.heat_min <= self.heat_setpoint <= self.heat_max
        ):
            raise ScenarioError(f"{where}: setpoints must lie within their limits")
        if self.min_gap < 0 or self.zone_variance < 0:
            raise ScenarioError(f"{where}: min_gap and zone_variance cannot be negative")

    @property
    def is_que(self) -> bool:
        """Whether the Que host serves this system."""
        return is_que_type(self.system_type)


@dataclass(frozen=True, kw_only=True)
class AccountSpec:
    """A cloud account: credentials and the systems it owns."""

    email: str
    password: str = field(repr=False)
    systems: tuple[SystemSpec, ...] = ()

    def __post_init__(self) -> None:
        """Require something that looks like an e-mail address, and a password."""
        if "@" not in self.email or not self.password:
            raise ScenarioError(f"account {self.email!r}: needs an e-mail address and a password")


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """Every account of the simulated cloud; serials and e-mail addresses are unique (any case)."""

    accounts: tuple[AccountSpec, ...] = ()

    def __post_init__(self) -> None:
        """Refuse repeated serials or e-mail addresses: they identify things."""
        _require_unique([a.email for a in self.accounts], "e-mail address")
        _require_unique([s.serial for a in self.accounts for s in a.systems], "serial")

    def with_system(self, system: SystemSpec, email: str = DEMO_EMAIL) -> Scenario:
        """Return this scenario with `system` added to the account `email`."""
        wanted = email.casefold()
        if all(a.email.casefold() != wanted for a in self.accounts):
            raise ScenarioError(f"no account {email!r} in the scenario")
        return Scenario(
            accounts=tuple(
                replace(a, systems=(*a.systems, system)) if a.email.casefold() == wanted else a
                for a in self.accounts
            )
        )


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value.casefold() in seen:
            raise ScenarioError(f"{what} {value!r} appears twice")
        seen.add(value.casefold())


def demo_neo_system() -> SystemSpec:
    """Describe the demo's main Neo: 8 zone slots, 5 in use, 2 with ITC and wireless sensors."""
    return SystemSpec(
        serial="26c00841",
        description="Home",
        is_on=True,
        mode="COOL",
        fan_mode="AUTO+CONT",
        cool_setpoint=23.0,
        heat_setpoint=20.0,
        turbo_supported=True,
        outdoor_temperature=31.5,
        indoor_temperature=26.2,
        zones=(
            ZoneSpec(name="Living", itc=True, sensor=True, temperature=25.8, humidity=52.0),
            ZoneSpec(name="Kitchen", temperature=26.2),
            ZoneSpec(
                name="Main bedroom", itc=True, sensor=True, temperature=24.4, cool_setpoint=22.0
            ),
            ZoneSpec(name="Bedroom 2", temperature=26.2),
            ZoneSpec(name="Study", enabled=False, temperature=26.2, airflow_setpoint=60),
        ),
    )


def demo_small_system() -> SystemSpec:
    """Describe the demo's second system: fixed speed, two zones, off, no AUTO mode or fan."""
    return SystemSpec(
        serial="26c01562",
        description="Granny flat",
        mode="HEAT",
        fan_mode="LOW",
        supported_modes=("COOL", "HEAT", "FAN"),
        auto_fan=False,
        inverter=False,
        capacity_kw=7.1,
        min_gap=0.0,
        outdoor_temperature=31.5,
        indoor_temperature=27.0,
        wifi_ssid="SimulatedHome-Flat",
        zones=(
            ZoneSpec(name="Lounge", temperature=27.0),
            ZoneSpec(name="Bedroom", temperature=27.0),
        ),
    )


def que_system(serial: str = "26q04213", description: str = "Beach house") -> SystemSpec:
    """Describe a Que (`nxgen`) system with four zones, for exercising the second host."""
    return SystemSpec(
        serial=serial,
        system_type="nxgen",
        description=description,
        mode="AUTO",
        cool_setpoint=24.0,
        heat_setpoint=19.0,
        supported_modes=("COOL", "HEAT", "AUTO", "FAN", "DRY"),
        wall_controller_model="QUE-1000",
        firmware="1.4.2.0",
        wifi_ssid="SimulatedBeach",
        zones=tuple(
            ZoneSpec(name=name, itc=index == 0, sensor=index == 0, temperature=23.5)
            for index, name in enumerate(("Lounge", "Bedroom 1", "Bedroom 2", "Bedroom 3"))
        ),
    )


def default_scenario(*, que: bool = False) -> Scenario:
    """Build the demo account with its two Neo systems, plus a Que system when `que` is set."""
    systems = (demo_neo_system(), demo_small_system(), *((que_system(),) if que else ()))
    return Scenario(
        accounts=(AccountSpec(email=DEMO_EMAIL, password=DEMO_PASSWORD, systems=systems),)
    )


def generated_system(number: int, *, que: bool = False) -> SystemSpec:
    """System `number` of a generated fleet: 8 zones in use, the first two with ITC and sensors."""
    return SystemSpec(
        serial=f"{'q' if que else 's'}{number:07d}",
        system_type="nxgen" if que else NEO_TYPE,
        description=f"{'Que' if que else 'Neo'} system {number}",
        is_on=number % 2 == 0,
        zones=tuple(
            ZoneSpec(name=f"Zone {slot + 1}", itc=slot < 2, sensor=slot < 2)  # noqa: PLR2004
            for slot in range(ZONE_SLOTS)
        ),
    )


def generate_scenario(
    systems: int, *, que_systems: int = 0, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD
) -> Scenario:
    """Build one account with `systems` Neo and `que_systems` Que systems of 8 zones each."""
    if systems < 0 or que_systems < 0:
        raise ScenarioError("system counts cannot be negative")
    specs = (
        *(generated_system(n + 1) for n in range(systems)),
        *(generated_system(n + 1, que=True) for n in range(que_systems)),
    )
    return Scenario(accounts=(AccountSpec(email=email, password=password, systems=specs),))


def scenario_from_dict(data: object) -> Scenario:
    """Build a scenario from parsed JSON, with an error naming the offending key."""
    return _build(Scenario, data, "scenario")


def system_from_dict(data: object) -> SystemSpec:
    """Build one system from parsed JSON (the admin endpoint's add-a-system body)."""
    return _build(SystemSpec, data, "system")


def zone_from_dict(data: object) -> ZoneSpec:
    """Build one zone from parsed JSON (the admin endpoint's add-a-zone body)."""
    return _build(ZoneSpec, data, "zone")


def build_dataclass[T](cls: type[T], data: object, where: str) -> T:
    """Build any dataclass of plain fields from parsed JSON, checking every key and type.

    The scenario's own rules apply (unknown or missing keys, `true` is no number); fields may also
    be lists and ISO 8601 datetimes. Errors are ScenarioErrors naming `where` and the key.
    """
    return _build(cls, data, where)


def scalar_from_json(value: object, hint: type, where: str) -> object:
    """Check one plain JSON value (bool, int, float, str) against `hint`, by the same rules."""
    return _coerce_scalar(value, hint, where)


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ScenarioError(f"cannot read scenario {path}: {err}") from err
    return scenario_from_dict(data)


def scenario_to_json(scenario: Scenario) -> str:
    """Write a scenario as JSON that `load_scenario` reads back unchanged."""
    return json.dumps(asdict(scenario), indent=2)


def _build[T](cls: type[T], data: object, where: str) -> T:
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: expected an object")
    hints = get_type_hints(cls)
    spec_fields = {f.name: f for f in fields(cast("Any", cls))}
    if unknown := sorted(set(data) - set(spec_fields)):
        raise ScenarioError(f"{where}: unknown key(s) {unknown}")
    missing = [
        name
        for name, spec_field in spec_fields.items()
        if name not in data
        and spec_field.default is MISSING
        and spec_field.default_factory is MISSING
    ]
    if missing:
        raise ScenarioError(f"{where}: missing key(s) {missing}")
    values = {key: _coerce(value, hints[key], f"{where}.{key}") for key, value in data.items()}
    try:
        return cls(**values)
    except ScenarioError as err:
        raise ScenarioError(f"{where}: {err}") from err


def _coerce(value: object, hint: Any, where: str) -> object:  # noqa: ANN401 -- a type hint is any object
    origin = get_origin(hint)
    if origin is types.UnionType:
        if value is None:
            return None
        (inner,) = [arg for arg in get_args(hint) if arg is not types.NoneType]
        return _coerce(value, inner, where)
    if origin in {tuple, list}:
        if not isinstance(value, list):
            raise ScenarioError(f"{where}: expected a list")
        inner = get_args(hint)[0]
        return origin(_coerce(item, inner, f"{where}[{i}]") for i, item in enumerate(value))
    if is_dataclass(hint):
        return _build(cast("type[Any]", hint), value, where)
    return _coerce_scalar(value, hint, where)


def _coerce_scalar(value: object, hint: type, where: str) -> object:
    # bool is an int in Python, but `true` is not a temperature and `1` is not a switch.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if hint is float and is_number:
        return float(cast("float", value))
    if hint is int and is_number and float(cast("float", value)).is_integer():
        return int(cast("float", value))
    if hint in {bool, str} and isinstance(value, hint):
        return value
    if hint is datetime and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise ScenarioTypeError(where, "an ISO 8601 time", value) from None
    raise ScenarioTypeError(where, hint.__name__, value)
