"""Fixtures shared by every test."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import AsyncMock, PropertyMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_EMAIL
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)

from custom_components.actronair_neo.api import (
    DEFAULT_BASE_URL,
    DEFAULT_QUE_BASE_URL,
    AuthTokens,
    BearerToken,
    PairingToken,
)
from custom_components.actronair_neo.const import (
    CONF_API_URL,
    CONF_DEVICE_UNIQUE_ID,
    CONF_QUE_API_URL,
    CONF_TOKENS,
    DOMAIN,
)
from tests.cloud_mock import EMAIL, RESTORED_BEARER, MockCloud, load, mock_cloud_context

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, State
    from homeassistant.helpers import entity_registry as er
    from syrupy.assertion import SnapshotAssertion
    from syrupy.types import SerializableData


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Let Home Assistant load our custom integration in every test that starts one."""
    if "hass" in request.fixturenames:
        request.getfixturevalue("enable_custom_integrations")


# The integration's entry, as the config flow creates it, against the mock cloud.
DEVICE_ID = "ha-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
# The client's default: commands issued within it go out as one request.
MERGE_WINDOW = 0.5
POLL = 30  # the integration's default poll interval, seconds


def stored_tokens(bearer: str | None = RESTORED_BEARER) -> dict[str, Any]:
    """Return tokens as an entry stores them, with a bearer valid two more days on both hosts."""
    expires_at = datetime.now(UTC) + timedelta(days=2)
    bearers = (
        {host: BearerToken(bearer, expires_at) for host in (DEFAULT_BASE_URL, DEFAULT_QUE_BASE_URL)}
        if bearer
        else {}
    )
    pairing = load("pairing.json")
    return AuthTokens(PairingToken(pairing["pairingToken"], pairing["id"]), bearers).to_dict()


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities an integration registers disabled by default, enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def mock_cloud() -> Iterator[MockCloud]:
    """Answer the integration's HTTP calls from a mock cloud."""
    with mock_cloud_context() as cloud:
        yield cloud


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """Return an entry as the config flow creates it, with a still-valid bearer."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=EMAIL,
        unique_id=EMAIL.lower(),
        data={
            CONF_EMAIL: EMAIL,
            CONF_DEVICE_UNIQUE_ID: DEVICE_ID,
            CONF_TOKENS: stored_tokens(),
            CONF_API_URL: DEFAULT_BASE_URL,
            CONF_QUE_API_URL: DEFAULT_QUE_BASE_URL,
        },
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_cloud: MockCloud
) -> MockConfigEntry:
    """Set the entry up against the mock cloud (`mock_cloud` answers it)."""
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    """Keep config flow tests from setting the entry up."""
    with patch(
        "custom_components.actronair_neo.async_setup_entry", return_value=True
    ) as setup_entry:
        yield setup_entry


# Time. Tests that move time request `freezer` before `init_integration`, so that the poll timer
# is scheduled on the frozen clock.


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let time pass: the timers due by then fire, and what they start finishes.

    Polls run as background tasks, which are waited for too.
    """
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def flow_sources(hass: HomeAssistant) -> list[str]:
    """Return how each config flow of the integration in progress started (user, reauth, ...)."""
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    return [flow["context"]["source"] for flow in flows]


type Poll = Callable[[], Awaitable[None]]


@pytest.fixture
async def poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, init_integration: MockConfigEntry
) -> Poll:
    """Set the entry up on the frozen clock; return `poll()`, which lets one poll interval pass."""
    assert init_integration.state is ConfigEntryState.LOADED

    async def next_poll() -> None:
        await advance(hass, freezer, POLL)

    return next_poll


def start_action(
    hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]
) -> asyncio.Task[Any]:
    """Start an entity action; it runs until its command waits in the client's merge window.

    Started eagerly, so the optimistic state is already shown when this returns.
    """
    return hass.async_create_task(
        hass.services.async_call(domain, service, data, blocking=True), eager_start=True
    )


def pass_merge_window(hass: HomeAssistant) -> None:
    """Fire the client's merge window (a loop timer), so that the commands waiting go out."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=MERGE_WINDOW))


async def finish_actions(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, *actions: asyncio.Task[Any]
) -> None:
    """Let the merge window pass on the frozen clock, and wait for the actions."""
    freezer.tick(timedelta(seconds=MERGE_WINDOW))
    pass_merge_window(hass)
    await asyncio.gather(*actions)


class _SnapshotSerializer(HomeAssistantSnapshotSerializer):
    """Home Assistant's serialization, minus what differs between the releases we test on.

    One set of snapshots then holds for every release: the harnesses write an entity's aliases
    as a list or as a set, and capability and state attribute names as enum members or as text.
    """

    @classmethod
    def _serializable_entity_registry_entry(cls, data: er.RegistryEntry) -> SerializableData:
        serialized = super()._serializable_entity_registry_entry(data)
        assert isinstance(serialized, dict)
        serialized.pop("aliases", None)
        if isinstance(capabilities := serialized.get("capabilities"), dict):
            serialized["capabilities"] = {str(key): value for key, value in capabilities.items()}
        return serialized

    @classmethod
    def _serializable_state(cls, data: State) -> SerializableData:
        serialized = super()._serializable_state(data)
        assert isinstance(serialized, dict)
        serialized["attributes"] = {str(key): value for key, value in data.attributes.items()}
        return serialized


class _SnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's snapshots (in tests/snapshots/), the same on every release we test on."""

    serializer_class = _SnapshotSerializer


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialize as Home Assistant does (registry entries, states) into tests/snapshots/."""
    return snapshot.use_extension(_SnapshotExtension)


type SnapshotEntities = Callable[[], Awaitable[None]]


@pytest.fixture
def snapshot_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    mock_config_entry: MockConfigEntry,
) -> SnapshotEntities:
    """Return a check of every entity of the entry (set up by then) against the snapshots."""

    async def check() -> None:
        await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)

    return check
