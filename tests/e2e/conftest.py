"""Browser tests run only in the demo venv: `scripts/test` runs them on their own, at the end.

The main test venvs load Home Assistant's pytest plugin (sockets blocked, cleanup checks) and have
neither Playwright nor the demo's Home Assistant, so there this folder is not collected at all. In
the demo venv the fixtures of `harness.py` are loaded, with `scripts/lib/demo_*.py` importable.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

E2E_AVAILABLE = find_spec("playwright") is not None

if not E2E_AVAILABLE:
    collect_ignore_glob = ["*"]


def pytest_configure(config: pytest.Config) -> None:
    """Load the browser fixtures where they can run."""
    if E2E_AVAILABLE:
        sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "lib"))
        config.pluginmanager.import_plugin("tests.e2e.harness")
