"""Dotted command keys such as "RemoteZoneInfo[2].TemperatureSetpoint_Cool_oC", read and written.

Commands address the status document with these keys: reading them back confirms a command, and
writing them onto a copy predicts the status a command leads to.
"""

from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import pairwise
import re
from typing import Any

type Step = str | int

_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")
_MISSING = object()


@lru_cache(maxsize=256)
def parse_key(key: str) -> tuple[Step, ...]:
    """Split a dotted key into object keys (str) and list indexes (int).

    Raises ValueError for a key that is not a chain of `name` and `name[index]` segments.
    """
    steps: list[Step] = []
    for segment in key.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            raise ValueError(f"Not a dotted key: {key!r}")
        steps.append(match.group(1))
        steps.extend(int(index) for index in _INDEX.findall(match.group(2)))
    return tuple(steps)


def read_key(root: object, key: str) -> object:
    """Return the value at `key`, or None when any step is missing or of the wrong type."""
    node = root
    for step in parse_key(key):
        node = _child(node, step)
        if node is _MISSING:
            return None
    return node


def with_values(root: Mapping[str, Any], values: Iterable[tuple[str, object]]) -> dict[str, Any]:
    """Return a copy of `root` with each key set to its value.

    Only the containers on a written path are copied (shallowly); everything else is shared with
    `root`, which stays untouched. Missing or wrongly typed containers on the way are created.
    """
    new_root = dict(root)
    copied = {id(new_root)}
    for key, value in values:
        steps = parse_key(key)
        node: dict[str, Any] | list[Any] = new_root
        for step, next_step in pairwise(steps):
            child = _child(node, step)
            if id(child) in copied and isinstance(child, dict | list):
                node = child
                continue
            fresh = _copy_or_create(child, next_step)
            copied.add(id(fresh))
            _store(node, step, fresh)
            node = fresh
        _store(node, steps[-1], value)
    return new_root


def _child(node: object, step: Step) -> object:
    if isinstance(step, int):
        if isinstance(node, list) and step < len(node):
            return node[step]
    elif isinstance(node, Mapping) and step in node:
        return node[step]
    return _MISSING


def _copy_or_create(child: object, next_step: Step) -> dict[str, Any] | list[Any]:
    if isinstance(next_step, int):
        return list(child) if isinstance(child, list) else []
    return dict(child) if isinstance(child, Mapping) else {}


def _store(node: dict[str, Any] | list[Any], step: Step, value: object) -> None:
    # The container was created for this kind of step, so a dict gets a name, a list an index.
    if isinstance(node, dict):
        node[str(step)] = value
        return
    index = int(step)
    node.extend([None] * (index + 1 - len(node)))
    node[index] = value
