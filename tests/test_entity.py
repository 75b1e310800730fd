"""Adding entities: built once, so a steady poll constructs nothing; new zones still show up."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from homeassistant.helpers import entity_registry as er

from custom_components.actronair_neo.const import DOMAIN
from custom_components.actronair_neo.entity import ActronEntity
from tests.cloud_mock import NEO_SERIAL
from tests.conftest import POLL, advance
from tests.platforms import setup_integration

if TYPE_CHECKING:
    from collections.abc import Iterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud

ZONE_SWITCH = f"{NEO_SERIAL}_zone4_zone"


class _Built:
    """Every entity object constructed while counting, in order."""

    def __init__(self) -> None:
        self.entities: list[ActronEntity] = []

    def take(self) -> set[str]:
        """Return the unique ids built since the last call, and forget them."""
        taken = {str(entity.unique_id) for entity in self.entities}
        self.entities.clear()
        return taken


@contextmanager
def _counting() -> Iterator[_Built]:
    built = _Built()
    construct = ActronEntity.__init__

    def counted(entity: ActronEntity, *args: Any, **kwargs: Any) -> None:
        construct(entity, *args, **kwargs)
        built.entities.append(entity)

    with patch.object(ActronEntity, "__init__", counted):
        yield built


async def test_a_steady_poll_builds_no_entity(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Only a zone taken into use (again) has entities built; the others are never rebuilt."""
    with _counting() as built:
        await setup_integration(hass, mock_config_entry)
        assert ZONE_SWITCH in built.take()

        await advance(hass, freezer, POLL)
        assert built.take() == set()

        # Zone 4 goes out of use: its entities are removed, then built again when it is back.
        mock_cloud.reflect(NEO_SERIAL, {"RemoteZoneInfo[4].NV_Exists": False})
        await advance(hass, freezer, POLL)
        assert built.take() == set()
        registry = er.async_get(hass)
        assert registry.async_get_entity_id("switch", DOMAIN, ZONE_SWITCH) is None

        mock_cloud.reflect(NEO_SERIAL, {"RemoteZoneInfo[4].NV_Exists": True})
        await advance(hass, freezer, POLL)
        rebuilt = built.take()
        assert ZONE_SWITCH in rebuilt
        assert all(unique_id.startswith(f"{NEO_SERIAL}_zone4_") for unique_id in rebuilt)
        assert registry.async_get_entity_id("switch", DOMAIN, ZONE_SWITCH) is not None

        await advance(hass, freezer, POLL)
        assert built.take() == set()
