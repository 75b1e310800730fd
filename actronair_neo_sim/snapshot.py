"""One live system as JSON-safe data and back, for the state file.

Everything a restart must keep is written: the scenario's spec, the user's settings, every zone
slot, the temperatures, whether the controller is offline, where the drift clock stands and the
commands not applied yet. Reading checks every key and type (a ScenarioError names the offending
one), so a damaged file is refused whole instead of breaking the simulator later.
"""

from dataclasses import asdict, fields
from typing import Any, Final, get_type_hints

from .commands import Change
from .scenario import (
    ZONE_SLOTS,
    ScenarioError,
    build_dataclass,
    scalar_from_json,
    system_from_dict,
)
from .system import PendingCommand, Settings, SystemState, ZoneState

_SETTINGS_HINTS: Final = get_type_hints(Settings)
_ZONE_HINTS: Final = get_type_hints(ZoneState)
_SCALARS: Final = (bool, int, float, str)
_NUMBERS: Final = ("master_temperature", "master_humidity", "next_tick", "last_report")
_KEYS: Final = frozenset(
    {"spec", "owner", "id", "settings", "zones", "offline_since", "pending", *_NUMBERS}
)


def system_to_json(system: SystemState) -> dict[str, Any]:
    """Return everything about `system` a restart needs."""
    return {
        "spec": asdict(system.spec),
        "owner": system.owner,
        "id": system.id,
        "settings": asdict(system.settings),
        "zones": [asdict(zone) for zone in system.zones],
        **{name: getattr(system, name) for name in _NUMBERS},
        "offline_since": system.offline_since,
        "pending": [
            {"apply_at": command.apply_at, "changes": [asdict(c) for c in command.changes]}
            for command in system.pending
        ],
    }


def system_from_json(data: object, where: str) -> SystemState:
    """Rebuild a system from `system_to_json()`'s data, or raise ScenarioError."""
    if not isinstance(data, dict) or set(data) != _KEYS:
        raise ScenarioError(f"{where}: expected the keys {sorted(_KEYS)}")
    zones = _list(data["zones"], f"{where}.zones")
    settings = build_dataclass(Settings, data["settings"], f"{where}.settings")
    if len(zones) != ZONE_SLOTS or len(settings.enabled_zones) != ZONE_SLOTS:
        raise ScenarioError(f"{where}: expected {ZONE_SLOTS} zone slots")
    offline_since = data["offline_since"]
    return SystemState(
        spec=system_from_dict(data["spec"]),
        owner=_text(data["owner"], f"{where}.owner"),
        id=_text(data["id"], f"{where}.id"),
        settings=settings,
        zones=[
            build_dataclass(ZoneState, zone, f"{where}.zones[{slot}]")
            for slot, zone in enumerate(zones)
        ],
        master_temperature=_number(data["master_temperature"], f"{where}.master_temperature"),
        master_humidity=_number(data["master_humidity"], f"{where}.master_humidity"),
        next_tick=_number(data["next_tick"], f"{where}.next_tick"),
        last_report=_number(data["last_report"], f"{where}.last_report"),
        offline_since=None
        if offline_since is None
        else _number(offline_since, f"{where}.offline_since"),
        pending=[
            _pending(command, f"{where}.pending[{i}]")
            for i, command in enumerate(_list(data["pending"], f"{where}.pending"))
        ],
    )


def _pending(data: object, where: str) -> PendingCommand:
    if not isinstance(data, dict) or set(data) != {"apply_at", "changes"}:
        raise ScenarioError(f"{where}: expected apply_at and changes")
    changes = _list(data["changes"], f"{where}.changes")
    return PendingCommand(
        _number(data["apply_at"], f"{where}.apply_at"),
        tuple(_change(change, f"{where}.changes[{i}]") for i, change in enumerate(changes)),
    )


def _change(data: object, where: str) -> Change:
    """Check a change against the type of the setting it sets, as parse_command made it."""
    if not isinstance(data, dict) or set(data) != {f.name for f in fields(Change)}:
        raise ScenarioError(f"{where}: expected field, value and zone")
    name, zone = data["field"], data["zone"]
    if zone is not None and (
        isinstance(zone, bool) or not isinstance(zone, int) or not 0 <= zone < ZONE_SLOTS
    ):
        raise ScenarioError(f"{where}.zone: expected a slot 0..{ZONE_SLOTS - 1} or null")
    hints = _SETTINGS_HINTS if zone is None else _ZONE_HINTS
    hint = bool if name == "enabled_zones" and zone is not None else hints.get(name)
    if not isinstance(name, str) or hint not in _SCALARS:
        raise ScenarioError(f"{where}.field: not a setting a command changes")
    value = scalar_from_json(data["value"], hint, f"{where}.value")
    if not isinstance(value, bool | int | float | str):  # pragma: no cover -- checked above
        raise TypeError(value)
    return Change(name, value, zone)


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ScenarioError(f"{where}: expected a list")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ScenarioError(f"{where}: expected str")
    return value


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}: expected a number")
    return float(value)
