"""Diagnostics: everything a maintainer needs, nothing that identifies the user."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.actronair_neo.const import CONF_POLL_INTERVAL, CONF_ZONE_CLIMATES
from tests.cloud_mock import EMAIL, NEO_SERIAL, QUE_SERIAL, load

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion

    from tests.cloud_mock import MockCloud


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
    snapshot: SnapshotAssertion,
) -> None:
    """The entry and each system's raw status, with secrets and identifiers redacted."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert diagnostics == snapshot

    text = json.dumps(diagnostics).casefold()
    neo = load("status_neo_full.json")["lastKnownState"]
    secrets = [
        EMAIL,
        init_integration.data["device_unique_id"],
        init_integration.data["tokens"]["pairing"]["token"],
        "at.restored-bearer",
        NEO_SERIAL,
        QUE_SERIAL,
        neo["<SERIAL>"]["SSID"],
        neo["<SERIAL>"]["WiFiMACAddress"],
        neo["<SERIAL>"]["LocalIPAddress"],
        neo["AirconSystem"]["IndoorUnit"]["SerialNumber"],
        *neo["RemoteZoneInfo"][0]["Sensors"],
        *(peripheral["SerialNumber"] for peripheral in neo["AirconSystem"]["Peripherals"]),
    ]
    for secret in secrets:
        assert secret.casefold() not in text, secret
    # Sensors keep their identity under an alias: the zone's sensor is the listed peripheral.
    status = diagnostics["systems"]["serial_1"]["status"]["lastKnownState"]
    (sensor_alias,) = status["RemoteZoneInfo"][0]["Sensors"]
    assert sensor_alias in {p["SerialNumber"] for p in status["AirconSystem"]["Peripherals"]}


async def test_identifying_values_are_redacted_wherever_they_are(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """A Wi-Fi name, a MAC or a serial outside the known places is redacted all the same."""
    mock_cloud.reflect(
        NEO_SERIAL,
        {
            "MasterInfo.WiFiSSID": "Our-Home-Wifi",
            "MasterInfo.BSSID_MAC": "3c71bf4a9e21",
            "MasterInfo.LastError": "link lost to 3c:71:bf:4a:9e:21 on 24K01234",
            "MasterInfo.Note": "",
        },
    )
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    master = diagnostics["systems"]["serial_1"]["status"]["lastKnownState"]["MasterInfo"]
    assert master["WiFiSSID"] == "**REDACTED**"
    assert master["BSSID_MAC"] == "**REDACTED**"
    assert master["LastError"] == "link lost to **REDACTED** on serial_1"
    assert master["Note"] == ""


async def test_zone_climate_options_name_systems_by_their_alias(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """Zone keys in the options hold a serial: they show the alias the system has in the dump.

    A zone of a system no longer on the account is aliased too, under an alias of its own.
    """
    gone = "23k09876"
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={
            CONF_POLL_INTERVAL: 60,
            CONF_ZONE_CLIMATES: [
                f"{NEO_SERIAL}_zone1",
                f"{QUE_SERIAL}_zone0",
                f"{gone}_zone2",
            ],
        },
    )
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    text = json.dumps(diagnostics).casefold()
    for serial in (NEO_SERIAL, QUE_SERIAL, gone):
        assert serial.casefold() not in text, serial
    aliases = {system["is_que"]: alias for alias, system in diagnostics["systems"].items()}
    neo, que = aliases[False], aliases[True]
    (stale,) = [
        key.removesuffix("_zone2")
        for key in diagnostics["entry"]["options"][CONF_ZONE_CLIMATES]
        if key.endswith("_zone2")
    ]
    assert stale not in {neo, que}
    assert stale.startswith("serial_")
    assert diagnostics["entry"]["options"] == {
        CONF_POLL_INTERVAL: 60,
        CONF_ZONE_CLIMATES: [f"{neo}_zone1", f"{que}_zone0", f"{stale}_zone2"],
    }
