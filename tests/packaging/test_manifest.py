"""The manifest and hacs.json, as hassfest and the HACS action read them."""

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
INTEGRATION = ROOT / "custom_components" / "actronair_neo"

# What the HACS action accepts in hacs.json (hacs.xyz "General" publishing docs).
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "persistent_directory",
    "render_readme",
    "hacs",
}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_manifest_keys_are_in_hassfest_order() -> None:
    """Hassfest wants domain, name, then the rest alphabetically."""
    keys = list(_load(INTEGRATION / "manifest.json"))
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_declares_a_cloud_polling_hub_without_requirements() -> None:
    """Only what Home Assistant ships may be used; a custom integration needs a version."""
    manifest = _load(INTEGRATION / "manifest.json")
    assert manifest["domain"] == INTEGRATION.name
    assert manifest["iot_class"] == "cloud_polling"
    assert manifest["integration_type"] == "hub"
    assert manifest["config_flow"] is True
    assert manifest["requirements"] == []
    for key in ("version", "codeowners", "documentation", "issue_tracker"):
        assert manifest[key], key
    major, minor, patch = manifest["version"].split(".")
    assert all(part.isdigit() for part in (major, minor, patch))


def test_config_flow_file_exists_when_declared() -> None:
    """Hassfest refuses config_flow: true without a config_flow.py."""
    assert (INTEGRATION / "config_flow.py").is_file()


def test_hacs_json_holds_only_keys_hacs_accepts() -> None:
    """HACS rejects unknown keys; the minimum version is the oldest Home Assistant we claim."""
    hacs = _load(ROOT / "hacs.json")
    assert set(hacs) <= HACS_KEYS
    assert hacs["name"]
    assert hacs["homeassistant"] == "2026.3.0"


def test_readme_states_the_supported_home_assistant() -> None:
    """Users read the floor in the README, HACS reads it in hacs.json: they must agree."""
    assert "2026.3" in (ROOT / "README.md").read_text(encoding="utf-8")
