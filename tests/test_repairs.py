"""The repair issue of an offline wall controller: raised per system, and cleared by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_ON, STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest

from custom_components.actronair_neo.const import DOMAIN
from tests.cloud_mock import NEO_SERIAL, QUE_SERIAL
from tests.conftest import advance, finish_actions, start_action

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud

ISSUE = f"system_offline_{NEO_SERIAL}"


def _state(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id is not None
    current = hass.states.get(entity_id)
    assert current is not None
    return current.state


def _go_offline_by_status(cloud: MockCloud) -> None:
    cloud.statuses[NEO_SERIAL]["isOnline"] = False


def _go_offline_by_503(cloud: MockCloud) -> None:
    cloud.fail("status", status=503, body={"type": "unavailable"}, serial=NEO_SERIAL)


def _come_back(cloud: MockCloud) -> None:
    cloud.statuses[NEO_SERIAL]["isOnline"] = True
    cloud.repair("status")


@pytest.mark.parametrize("go_offline", [_go_offline_by_status, _go_offline_by_503])
async def test_offline_controller_raises_an_issue_that_clears_itself(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    *,
    caplog: pytest.LogCaptureFixture,
    go_offline: Any,
) -> None:
    """Only that system goes unavailable; the issue is a translated warning, not fixable."""
    go_offline(mock_cloud)
    await advance(hass, freezer, 30)
    await advance(hass, freezer, 30)

    issue = ir.async_get(hass).async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.is_fixable is False
    assert issue.translation_key == "system_offline"
    assert issue.translation_placeholders == {"name": "NEO_24K01234"}
    assert _state(hass, "climate", f"{NEO_SERIAL}_climate") == STATE_UNAVAILABLE
    assert _state(hass, "climate", f"{QUE_SERIAL}_climate") != STATE_UNAVAILABLE
    assert caplog.text.count("is offline") == 1

    _come_back(mock_cloud)
    await advance(hass, freezer, 30)
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is None
    assert _state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE
    assert caplog.text.count("back online") == 1


async def test_command_to_an_offline_controller(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """The cloud refusing a command for an offline controller raises the issue at once."""
    mock_cloud.statuses[NEO_SERIAL]["isOnline"] = False  # the mock answers commands with 503
    entity_id = er.async_get(hass).async_get_entity_id("switch", DOMAIN, f"{NEO_SERIAL}_away")
    action = start_action(hass, SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: entity_id})
    with pytest.raises(HomeAssistantError) as raised:
        await finish_actions(hass, freezer, action)
    assert raised.value.translation_key == "system_offline"
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is not None
    assert _state(hass, "switch", f"{NEO_SERIAL}_away") == STATE_UNAVAILABLE


async def test_issue_goes_with_the_system_or_the_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """Nobody can act on an issue for a system that left the account, or an unloaded entry."""
    mock_cloud.statuses[NEO_SERIAL]["isOnline"] = False
    mock_cloud.statuses[QUE_SERIAL]["isOnline"] = False
    await advance(hass, freezer, 30)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"system_offline_{QUE_SERIAL}") is not None

    mock_cloud.systems = mock_cloud.systems[:1]
    await advance(hass, freezer, 3600)
    # Gone once the next list leaves it out too.
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"system_offline_{QUE_SERIAL}") is not None
    await advance(hass, freezer, 30)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"system_offline_{QUE_SERIAL}") is None
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is not None

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert ir.async_get(hass).async_get_issue(DOMAIN, ISSUE) is None
