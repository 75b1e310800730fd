"""Gaps in what the cloud says: nothing configured is lost, only the part missing goes unavailable.

An empty systems list, one list leaving a system out, one system's status failing, a zone slot
without `NV_Exists`: each is a hiccup until the cloud says more, not a reason to delete devices.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from homeassistant.const import STATE_ON, STATE_UNAVAILABLE

from tests.cloud_mock import NEO_SERIAL, QUE_SERIAL
from tests.conftest import advance
from tests.test_coordinator import devices, state

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    import pytest
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud

POLL = 30
HOUR = 3600


def _entity_count(hass: HomeAssistant) -> int:
    return len(hass.states.async_entity_ids())


async def test_an_empty_systems_list_says_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An empty list loses nothing; statuses still read keep the systems up; asked again."""
    kept_devices, kept_entities = devices(hass, init_integration), _entity_count(hass)
    listed = mock_cloud.systems
    mock_cloud.systems = []
    await advance(hass, freezer, HOUR)
    reads = mock_cloud.count("systems")
    await advance(hass, freezer, POLL)
    assert mock_cloud.count("systems") == reads + 1
    assert devices(hass, init_integration) == kept_devices
    assert _entity_count(hass) == kept_entities
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE
    assert caplog.text.count("The cloud listed no systems; keeping the 2 known") == 1

    # The systems really are gone: their statuses too. Unavailable, still nothing deleted.
    statuses = mock_cloud.statuses
    mock_cloud.statuses = {}
    await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") == STATE_UNAVAILABLE
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") == STATE_UNAVAILABLE
    assert devices(hass, init_integration) == kept_devices

    mock_cloud.systems, mock_cloud.statuses = listed, statuses
    await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") != STATE_UNAVAILABLE
    assert devices(hass, init_integration) == kept_devices


async def test_one_list_without_a_system_is_a_hiccup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A system one list leaves out stays (its status still reads); the next list decides."""
    kept = devices(hass, init_integration)
    listed = mock_cloud.systems
    mock_cloud.systems = listed[:1]
    await advance(hass, freezer, HOUR)
    assert devices(hass, init_integration) == kept
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") != STATE_UNAVAILABLE

    # Asked again on the very next poll, not an hour later; it is back, so nothing changes.
    reads = mock_cloud.count("systems")
    mock_cloud.systems = listed
    await advance(hass, freezer, POLL)
    assert mock_cloud.count("systems") == reads + 1
    await advance(hass, freezer, POLL)
    assert mock_cloud.count("systems") == reads + 1
    assert devices(hass, init_integration) == kept


async def test_one_unreadable_system_leaves_the_others_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 500 for one system makes only that system unavailable, said once in the log."""
    kept = devices(hass, init_integration)
    mock_cloud.fail("status", status=500, serial=QUE_SERIAL)
    with caplog.at_level(logging.INFO):
        await advance(hass, freezer, POLL)
        await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") == STATE_UNAVAILABLE
    # Not read is not offline: the connection is unknown, not "disconnected".
    assert state(hass, "binary_sensor", f"{QUE_SERIAL}_cloud_connection") == STATE_UNAVAILABLE
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE
    assert state(hass, "switch", f"{NEO_SERIAL}_zone0_zone") != STATE_UNAVAILABLE
    told = [r for r in caplog.records if "Could not read the status of" in r.getMessage()]
    assert [r.levelno for r in told] == [logging.WARNING]
    assert QUE_SERIAL.upper() in told[0].getMessage()

    caplog.clear()
    mock_cloud.repair("status")
    with caplog.at_level(logging.INFO):
        await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") != STATE_UNAVAILABLE
    assert state(hass, "binary_sensor", f"{QUE_SERIAL}_cloud_connection") == STATE_ON
    assert "can be read again" in caplog.text
    assert devices(hass, init_integration) == kept


async def test_every_system_unreadable_fails_the_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """When no system can be read the poll fails: everything unavailable, then back."""
    mock_cloud.fail("status", status=500)
    await advance(hass, freezer, POLL)
    assert init_integration.runtime_data.coordinator.last_update_success is False
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") == STATE_UNAVAILABLE
    assert state(hass, "climate", f"{QUE_SERIAL}_climate") == STATE_UNAVAILABLE

    mock_cloud.repair("status")
    await advance(hass, freezer, POLL)
    assert state(hass, "climate", f"{NEO_SERIAL}_climate") != STATE_UNAVAILABLE


async def test_a_zone_slot_without_nv_exists_keeps_its_device(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A slot whose status lacks `NV_Exists` says nothing: its zone is unavailable, not gone."""
    zone = f"{NEO_SERIAL}_zone0"
    del mock_cloud.statuses[NEO_SERIAL]["lastKnownState"]["RemoteZoneInfo"][0]["NV_Exists"]
    await advance(hass, freezer, POLL)
    assert zone in devices(hass, init_integration)
    assert state(hass, "switch", f"{zone}_zone") == STATE_UNAVAILABLE
    assert state(hass, "switch", f"{NEO_SERIAL}_zone1_zone") != STATE_UNAVAILABLE

    mock_cloud.reflect(NEO_SERIAL, {"RemoteZoneInfo[0].NV_Exists": True})
    await advance(hass, freezer, POLL)
    assert state(hass, "switch", f"{zone}_zone") != STATE_UNAVAILABLE
