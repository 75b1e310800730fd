"""The config flow: sign-in, re-authentication, reconfiguration and options, on the wire."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import aiohttp
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.data_entry_flow import FlowResultType, InvalidData
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.actronair_neo.api import DEFAULT_BASE_URL, DEFAULT_QUE_BASE_URL
from custom_components.actronair_neo.const import (
    CONF_API_URL,
    CONF_DEVICE_UNIQUE_ID,
    CONF_POLL_INTERVAL,
    CONF_QUE_API_URL,
    CONF_TOKENS,
    CONF_ZONE_CLIMATES,
    DOMAIN,
    ENV_API_URL,
    ENV_QUE_API_URL,
)
from tests.cloud_mock import EMAIL, NEO_SERIAL, PASSWORD, QUE_SERIAL, load, mock_cloud_context
from tests.conftest import DEVICE_ID

if TYPE_CHECKING:
    from unittest.mock import AsyncMock

    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant

    from tests.cloud_mock import MockCloud

NEW_PASSWORD = "a brand new password"

# How each form error is provoked on the wire (pairing is the first request of a sign-in).
ERRORS: dict[str, dict[str, Any]] = {
    "invalid_auth": {"status": 401, "body": {"error": "invalid_grant"}},
    "cannot_connect": {"exception": aiohttp.ClientConnectionError()},
    "unknown": {"exception": RuntimeError("boom")},
}


def _break(cloud: MockCloud, error: str) -> None:
    """Make the next sign-in fail with a form error."""
    if error == "no_systems":
        cloud.systems = []
    else:
        cloud.fail("pair", **ERRORS[error])


def _mend(cloud: MockCloud, error: str, systems: list[dict[str, Any]]) -> None:
    cloud.repair("pair")
    cloud.systems = systems


async def _fail_then_retry(
    hass: HomeAssistant, cloud: MockCloud, flow_id: str, error: str, user_input: dict[str, str]
) -> ConfigFlowResult:
    """Submit while `error` is provoked (the form must show it), then again once it is gone.

    Return the second submission's result, with what it started finished.
    """
    systems = cloud.systems
    _break(cloud, error)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}

    _mend(cloud, error, systems)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    await hass.async_block_till_done()
    return result


def _system(cloud: MockCloud, serial: str) -> dict[str, Any]:
    """Return a system of the account as the cloud lists it."""
    return next(system for system in cloud.systems if system["serial"].casefold() == serial)


async def _user_form(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    flow_id: str = result["flow_id"]
    return flow_id


async def test_user_signs_in_and_only_tokens_are_kept(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_setup_entry: AsyncMock
) -> None:
    """Pairing once, listing systems; the entry keeps tokens and the device id, no password."""
    flow_id = await _user_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_EMAIL: f"  {EMAIL} ", CONF_PASSWORD: PASSWORD}
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.title == EMAIL
    assert entry.unique_id == EMAIL.lower()
    data = entry.data
    assert data[CONF_EMAIL] == EMAIL
    assert re.fullmatch(r"ha-[0-9a-f]{32}", data[CONF_DEVICE_UNIQUE_ID])
    assert data[CONF_API_URL] == DEFAULT_BASE_URL
    assert data[CONF_QUE_API_URL] == DEFAULT_QUE_BASE_URL
    assert data[CONF_TOKENS]["pairing"]["token"] == "pt.paired-1"
    assert set(data[CONF_TOKENS]["bearers"]) == {DEFAULT_BASE_URL}
    assert PASSWORD not in json.dumps(dict(data))
    assert CONF_PASSWORD not in data

    (pairing,) = mock_cloud.made("pair")
    assert pairing.form is not None
    assert pairing.form["username"] == EMAIL
    assert pairing.form["deviceUniqueIdentifier"] == data[CONF_DEVICE_UNIQUE_ID]
    assert mock_cloud.count("systems") == 1
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.parametrize("error", [*ERRORS, "no_systems"])
async def test_user_errors_recover(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_setup_entry: AsyncMock, error: str
) -> None:
    """Every error shows on the form; submitting again once the cause is gone succeeds."""
    flow_id = await _user_form(hass)
    result = await _fail_then_retry(
        hass, mock_cloud, flow_id, error, {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Both attempts paired under the same identifier: the retry replaced the first pairing.
    pairings = mock_cloud.made("pair")
    assert len(pairings) == 2
    assert {request.form["deviceUniqueIdentifier"] for request in pairings if request.form} == {
        result["result"].data[CONF_DEVICE_UNIQUE_ID]
    }
    assert len(mock_setup_entry.mock_calls) == 1


async def test_wrong_password_recovers(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_setup_entry: AsyncMock
) -> None:
    """The cloud refusing the password is invalid_auth; the right one then signs in."""
    flow_id = await _user_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_EMAIL: EMAIL, CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(mock_setup_entry.mock_calls) == 1


async def test_same_account_twice_aborts(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """The account (email, any case) is the unique id; a second one aborts before pairing."""
    mock_config_entry.add_to_hass(hass)
    flow_id = await _user_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_EMAIL: EMAIL.upper(), CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert mock_cloud.requests == []


@pytest.mark.parametrize(
    ("env", "api_url", "que_url"),
    [
        # 127.0.0.1 itself is Home Assistant's test server, which the mock lets through.
        ({ENV_API_URL: "http://127.0.0.2:8765/"}, "http://127.0.0.2:8765", "http://127.0.0.2:8765"),
        (
            {ENV_API_URL: "http://localhost:8765", ENV_QUE_API_URL: "http://[::1]:8766"},
            "http://localhost:8765",
            "http://[::1]:8766",
        ),
        ({ENV_QUE_API_URL: "https://que.example.net"}, DEFAULT_BASE_URL, "https://que.example.net"),
    ],
)
async def test_environment_sets_the_cloud_urls(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    mock_setup_entry: AsyncMock,
    *,
    env: dict[str, str],
    api_url: str,
    que_url: str,
) -> None:
    """The environment replaces the default URLs of new entries; the entry keeps them."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with mock_cloud_context(hosts=(api_url, que_url)) as cloud:
        flow_id = await _user_form(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_API_URL] == api_url
    assert result["data"][CONF_QUE_API_URL] == que_url
    assert {request.host for request in cloud.requests} == {api_url}
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.parametrize(
    ("name", "url"),
    [
        (ENV_API_URL, "http://192.168.1.20:8765"),
        (ENV_API_URL, "http://actron.example.net"),
        (ENV_API_URL, "ftp://127.0.0.1"),
        (ENV_API_URL, "not a url"),
        (ENV_API_URL, "http://[::1"),
        (ENV_QUE_API_URL, "http://10.0.0.2"),
    ],
)
async def test_insecure_url_is_refused_until_fixed(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    mock_cloud: MockCloud,
    mock_setup_entry: AsyncMock,
    *,
    name: str,
    url: str,
) -> None:
    """Plain http is for this machine only; nothing is sent (not even the password) elsewhere."""
    monkeypatch.setenv(name, url)
    flow_id = await _user_form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "insecure_url"}
    assert mock_cloud.requests == []

    monkeypatch.delenv(name)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(mock_setup_entry.mock_calls) == 1


# Reauthentication


async def test_reauth_pairs_again_with_the_same_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """Asks for the password only, re-pairs under the entry's device id, stores and reloads."""
    entry = init_integration
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"][CONF_EMAIL] == EMAIL
    assert set(result["data_schema"].schema) == {CONF_PASSWORD}

    mock_cloud.password = NEW_PASSWORD
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: NEW_PASSWORD}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    (pairing,) = mock_cloud.made("pair")
    assert pairing.form is not None
    assert pairing.form["username"] == EMAIL
    assert pairing.form["deviceUniqueIdentifier"] == DEVICE_ID
    assert entry.data[CONF_TOKENS]["pairing"]["token"] == "pt.paired-1"
    assert entry.data[CONF_DEVICE_UNIQUE_ID] == DEVICE_ID
    assert NEW_PASSWORD not in json.dumps(dict(entry.data))
    assert entry.state is ConfigEntryState.LOADED
    # Reloaded: the new pairing was exchanged for a bearer and polled with.
    assert mock_cloud.count("token") >= 1


@pytest.mark.parametrize("error", [*ERRORS, "no_systems"])
async def test_reauth_errors_recover(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud, error: str
) -> None:
    """Every error shows on the reauth form and clears on a later attempt."""
    result = await init_integration.start_reauth_flow(hass)
    result = await _fail_then_retry(
        hass, mock_cloud, result["flow_id"], error, {CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


# Reconfiguration


async def test_reconfigure_with_a_new_password(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """The same account (email typed differently) signs in again; the entry is updated."""
    entry = init_integration
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    mock_cloud.password = NEW_PASSWORD
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: "someone@EXAMPLE.com", CONF_PASSWORD: NEW_PASSWORD}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_EMAIL] == "someone@EXAMPLE.com"
    assert entry.title == "someone@EXAMPLE.com"
    assert entry.unique_id == EMAIL.lower()
    assert entry.data[CONF_TOKENS]["pairing"]["token"] == "pt.paired-1"
    (pairing,) = mock_cloud.made("pair")
    assert pairing.form is not None
    assert pairing.form["deviceUniqueIdentifier"] == DEVICE_ID
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize("error", [*ERRORS, "no_systems"])
async def test_reconfigure_errors_recover(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud, error: str
) -> None:
    """Every error shows on the reconfigure form, keeps the email typed, and clears."""
    result = await init_integration.start_reconfigure_flow(hass)
    result = await _fail_then_retry(
        hass, mock_cloud, result["flow_id"], error, {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_reconfigure_to_a_new_email_of_the_same_account(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """The account's email changed: signing in with it finds this entry's systems; it is kept."""
    entry = init_integration
    # The account now lists only one of the entry's systems, and one more.
    mock_cloud.systems = [
        _system(mock_cloud, NEO_SERIAL),
        {**_system(mock_cloud, QUE_SERIAL), "serial": "26q09999"},
    ]
    mock_cloud.statuses["26q09999"] = load("status_que.json")
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: " New@Example.com ", CONF_PASSWORD: PASSWORD}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    (pairing,) = mock_cloud.made("pair")
    assert pairing.form is not None
    assert pairing.form["username"] == "New@Example.com"
    assert pairing.form["deviceUniqueIdentifier"] == DEVICE_ID
    assert (entry.unique_id, entry.title, entry.data[CONF_EMAIL]) == (
        "new@example.com",
        "New@Example.com",
        "New@Example.com",
    )
    assert entry.data[CONF_TOKENS]["pairing"]["token"] == "pt.paired-1"
    assert entry.state is ConfigEntryState.LOADED
    # The old email is free again: it may be added as an entry of its own (here an account
    # with a system of its own: systems another entry serves are not set up twice).
    mock_cloud.systems = [{**_system(mock_cloud, NEO_SERIAL), "serial": "26k07777"}]
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize("loaded", [True, False], ids=["loaded", "never_loaded"])
async def test_reconfigure_to_another_account_aborts(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, mock_cloud: MockCloud, *, loaded: bool
) -> None:
    """A new email whose account holds none of the entry's systems is another account.

    An entry that never loaded knows no systems, so a new email cannot be shown to be its account.
    """
    entry = mock_config_entry
    entry.add_to_hass(hass)
    if loaded:
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    before = (entry.unique_id, entry.title, dict(entry.data))
    result = await entry.start_reconfigure_flow(hass)
    if loaded:
        mock_cloud.systems = [{**_system(mock_cloud, NEO_SERIAL), "serial": "26k07777"}]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: "other@example.com", CONF_PASSWORD: PASSWORD}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert mock_cloud.count("pair") == 1
    assert (entry.unique_id, entry.title, dict(entry.data)) == before
    assert entry.state is (ConfigEntryState.LOADED if loaded else ConfigEntryState.NOT_LOADED)


async def test_reconfigure_to_an_email_set_up_already_aborts(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """A new email that another entry uses is refused before anything is paired."""
    other = MockConfigEntry(domain=DOMAIN, title="other@example.com", unique_id="other@example.com")
    other.add_to_hass(hass)
    before = dict(init_integration.data)
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: "Other@Example.com", CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert mock_cloud.count("pair") == 0
    assert dict(init_integration.data) == before


# Options


def _offered_zones(result: Any) -> dict[str, str]:
    """Return the zones the options form offers (value -> label)."""
    for marker, selector in result["data_schema"].schema.items():
        if marker == CONF_ZONE_CLIMATES:
            return {option["value"]: option["label"] for option in selector.config["options"]}
    return {}


async def test_options_set_poll_interval_and_zone_climates(
    hass: HomeAssistant, init_integration: MockConfigEntry, mock_cloud: MockCloud
) -> None:
    """Zones without their own control are offered; saving reloads with the new interval."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert _offered_zones(result) == {
        f"{NEO_SERIAL}_zone1": "NEO_24K01234: Kitchen",
        f"{NEO_SERIAL}_zone3": "NEO_24K01234: Bed 2",
        f"{NEO_SERIAL}_zone4": "NEO_24K01234: Study",
        f"{QUE_SERIAL}_zone0": "Beach house: Lounge",
        f"{QUE_SERIAL}_zone1": "Beach house: Bedrooms",
        f"{QUE_SERIAL}_zone2": "Beach house: Office",
    }
    polls_before = mock_cloud.count("systems")

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_POLL_INTERVAL: 60, CONF_ZONE_CLIMATES: [f"{NEO_SERIAL}_zone1"]},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_POLL_INTERVAL: 60, CONF_ZONE_CLIMATES: [f"{NEO_SERIAL}_zone1"]}
    # Reloaded: the systems were read again by a new coordinator polling every minute.
    assert mock_cloud.count("systems") == polls_before + 1
    coordinator = entry.runtime_data.coordinator
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 60


async def test_options_offer_one_system_zones_without_prefix(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """With one system, zones are offered by their own names; a stale choice is not kept."""
    mock_cloud.systems = mock_cloud.systems[:1]
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ZONE_CLIMATES: [f"{NEO_SERIAL}_zone3", "gone_zone0"]}
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert _offered_zones(result) == {
        f"{NEO_SERIAL}_zone1": "Kitchen",
        f"{NEO_SERIAL}_zone3": "Bed 2",
        f"{NEO_SERIAL}_zone4": "Study",
    }
    for marker in result["data_schema"].schema:
        if marker == CONF_ZONE_CLIMATES:
            assert marker.default() == [f"{NEO_SERIAL}_zone3"]


@pytest.mark.parametrize("interval", [9, 301])
async def test_options_enforce_poll_interval_bounds(
    hass: HomeAssistant, init_integration: MockConfigEntry, interval: int
) -> None:
    """The schema refuses intervals outside 10..300 s; the options stay as they were."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    with pytest.raises(InvalidData) as raised:
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_POLL_INTERVAL: interval}
        )
    assert isinstance(raised.value.__cause__, vol.Invalid)
    assert init_integration.options == {}


async def test_options_of_an_entry_not_loaded_keep_the_zone_choice(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Without a running entry the zones are unknown: only the interval is asked, choices kept."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ZONE_CLIMATES: [f"{NEO_SERIAL}_zone1"]}
    )
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert _offered_zones(result) == {}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 120}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert mock_config_entry.options == {
        CONF_POLL_INTERVAL: 120,
        CONF_ZONE_CLIMATES: [f"{NEO_SERIAL}_zone1"],
    }
