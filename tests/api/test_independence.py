"""The API client stays usable outside Home Assistant: no module under api/ imports it."""

from __future__ import annotations

import ast
from pathlib import Path
import sys

import pytest

import custom_components.actronair_neo.api as api_package

API_DIR = Path(api_package.__file__).parent
ALLOWED_THIRD_PARTY = {"aiohttp"}


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_api_package_has_modules() -> None:
    assert len(list(API_DIR.glob("*.py"))) >= 8


@pytest.mark.parametrize("path", sorted(API_DIR.glob("*.py")), ids=lambda path: path.name)
def test_no_home_assistant_import(path: Path) -> None:
    tops = {module.partition(".")[0] for module in _imported_modules(path)}

    assert "homeassistant" not in tops
    assert "custom_components" not in tops  # only relative imports inside the package
    assert tops - ALLOWED_THIRD_PARTY <= set(sys.stdlib_module_names) | {"__future__"}
