"""Translations and icons: well-formed and covering every key the code uses (as hassfest would)."""

import ast
import json
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

INTEGRATION = Path(__file__).parents[2] / "custom_components" / "actronair_neo"
PLATFORMS = ("climate", "sensor", "binary_sensor", "switch")
# Hassfest: keys are lower-case snake case, placeholders are {snake_case}.
KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


def _json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((INTEGRATION / name).read_text(encoding="utf-8"))
    return data


TRANSLATIONS = _json("translations/en.json")


def _tree(module: str) -> ast.Module:
    return ast.parse((INTEGRATION / f"{module}.py").read_text(encoding="utf-8"))


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _string_kwargs(tree: ast.AST, keyword: str) -> Iterator[tuple[str, str]]:
    """Yield (called name, value) for every `name(..., keyword="value")` in the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == keyword and isinstance(kw.value, ast.Constant):
                    yield _call_name(node), str(kw.value.value)


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else key)
    else:
        yield path, node


def test_every_string_is_non_empty_text() -> None:
    """A blank or non-string leaf shows as a raw key in the UI."""
    for path, value in _leaves(TRANSLATIONS):
        assert isinstance(value, str), path
        assert value.strip(), path


def test_keys_are_snake_case() -> None:
    """Hassfest rejects keys that are not lower-case snake case (the config step texts excepted)."""
    for section in ("entity", "exceptions", "issues"):
        for path, _ in _leaves(TRANSLATIONS.get(section, {})):
            for part in path.split(".")[:2]:
                assert KEY.match(part), f"{section}.{path}"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_entity_translation_keys_exist(platform: str) -> None:
    """Every entity's translation_key has a name under entity.<platform>."""
    tree = _tree(platform)
    used = {value for _, value in _string_kwargs(tree, "translation_key")}
    used |= {
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and any(isinstance(t, ast.Name) and t.id == "_attr_translation_key" for t in node.targets)
    }
    assert used, f"{platform} names no translation_key"
    section = TRANSLATIONS["entity"][platform]
    for key in used:
        assert key in section, f"entity.{platform}.{key}"


def test_exception_and_issue_translation_keys_exist() -> None:
    """Every translated exception and repair issue the code raises has its text."""
    modules = [p.stem for p in INTEGRATION.glob("*.py")]
    for module in modules:
        for called, key in _string_kwargs(_tree(module), "translation_key"):
            if called == "async_create_issue":
                assert "title" in TRANSLATIONS["issues"][key], f"issues.{key}"
            elif called.endswith(("Error", "Failed", "NotReady")):
                assert "message" in TRANSLATIONS["exceptions"][key], f"exceptions.{key}"


def test_client_validation_codes_have_messages() -> None:
    """The client's validation error codes become ServiceValidationError translation keys."""
    codes = set()
    for path in (INTEGRATION / "api").glob("*.py"):
        for called, code in _string_kwargs(ast.parse(path.read_text(encoding="utf-8")), "code"):
            if called.endswith("ValidationError"):
                codes.add(code)
    assert codes, "the client raises no validation error"
    for code in codes:
        assert "message" in TRANSLATIONS["exceptions"][code], f"exceptions.{code}"


def _flow_keys(tree: ast.AST) -> tuple[set[str], set[str], set[str]]:
    """Step ids, errors and abort reasons a flow module uses."""
    steps = {value for _, value in _string_kwargs(tree, "step_id")}
    aborts = {value for _, value in _string_kwargs(tree, "reason")}
    errors = {
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and any(
            isinstance(t, ast.Subscript) and getattr(t.value, "id", "") == "errors"
            for t in node.targets
        )
    }
    # Errors also come back from one validation helper as a returned mapping value.
    errors |= {
        str(value.value)
        for mapping in ast.walk(tree)
        if isinstance(mapping, ast.Dict)
        for key, value in zip(mapping.keys, mapping.values, strict=True)
        if isinstance(key, ast.Constant) and key.value == "base" and isinstance(value, ast.Constant)
    }
    return steps, errors, aborts


def test_config_flow_texts_exist() -> None:
    """Every step, form error and abort reason of the flows has its text."""
    steps, errors, aborts = _flow_keys(_tree("config_flow"))
    assert steps
    config, options = TRANSLATIONS["config"], TRANSLATIONS.get("options", {})
    for step in steps:
        assert step in config["step"] or step in options.get("step", {}), f"step {step}"
    known_errors = config.get("error", {}) | options.get("error", {})
    for error in errors:
        assert error in known_errors, f"error {error}"
    for reason in aborts:
        assert reason in config["abort"] or reason in options.get("abort", {}), f"abort {reason}"


def test_icons_name_translated_entities() -> None:
    """icons.json only names entities that exist, with Material Design Icons."""
    icons = _json("icons.json")
    for platform, entities in icons.get("entity", {}).items():
        for key, spec in entities.items():
            assert key in TRANSLATIONS["entity"][platform], f"icons entity.{platform}.{key}"
            for path, icon in _leaves(spec):
                assert str(icon).startswith("mdi:"), f"{platform}.{key}.{path}"
