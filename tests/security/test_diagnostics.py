"""Diagnostics of an entry set up against the simulated cloud identify nobody.

The strings to look for are taken from the simulator: every serial (systems, indoor and outdoor
units, wireless sensors), Wi-Fi network name and MAC address its status documents carry, plus the
account's email and every token it minted. Every zone the options offer is chosen for a climate
first: zone keys in the options carry their system's serial.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.data_entry_flow import FlowResultType

# The harness ships no type information (no py.typed).
from pytest_homeassistant_custom_component.components.diagnostics import (  # type: ignore[import-untyped]
    get_diagnostics_for_config_entry,
)

from custom_components.actronair_neo.const import CONF_DEVICE_UNIQUE_ID, CONF_ZONE_CLIMATES
from tests.faults.harness import NEO, QUE, SMALL

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import (  # type: ignore[import-untyped]
        ClientSessionGenerator,
    )

    from actronair_neo_sim import SimulatedCloud
    from tests.faults.harness import SimSession
    from tests.security.tokens import TokenLedger

SERIAL_KEY: Final = re.compile(r"serial", re.IGNORECASE)
SSID_KEY: Final = re.compile(r"ssid", re.IGNORECASE)
MAC: Final = re.compile(r"(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}", re.IGNORECASE)


async def test_diagnostics_hold_nothing_identifying(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    session: SimSession,
    tokens: TokenLedger,
) -> None:
    """No token, email, serial, SSID or MAC address of the account is in the diagnostics."""
    chosen = await _choose_every_zone(hass, session)
    # Zones of every system, so the options mention every serial.
    assert {key.partition("_zone")[0] for key in chosen} == {NEO, SMALL, QUE}
    await session.poll()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, session.entry)
    text = json.dumps(diagnostics).casefold()
    # Still useful: every system's status is there.
    assert len(diagnostics["systems"]) == 3

    identifying = _identifying(session.cloud)
    assert {NEO, SMALL, QUE} <= identifying["serial"]
    assert identifying["ssid"]
    assert identifying["mac"]
    secrets = {
        "token": tokens.all,
        "email": {session.email, session.entry.data[CONF_DEVICE_UNIQUE_ID]},
        **identifying,
    }
    leaked = {
        kind: sorted(value for value in values if value.casefold() in text)
        for kind, values in secrets.items()
    }
    assert leaked == {kind: [] for kind in secrets}
    # The chosen zones are still told apart, each under its system's alias.
    aliased = diagnostics["entry"]["options"][CONF_ZONE_CLIMATES]
    assert len(aliased) == len(chosen)
    assert {key.partition("_zone")[0] for key in aliased} == set(diagnostics["systems"])


async def _choose_every_zone(hass: HomeAssistant, session: SimSession) -> list[str]:
    """Choose every zone the options flow offers for a climate; return their keys."""
    result = await hass.config_entries.options.async_init(session.entry.entry_id)
    schema = result["data_schema"]
    assert schema is not None
    (offered,) = (
        [option["value"] for option in selector.config["options"]]
        for marker, selector in schema.schema.items()
        if marker == CONF_ZONE_CLIMATES
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_ZONE_CLIMATES: offered}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    assert session.entry.options[CONF_ZONE_CLIMATES] == offered
    return list(offered)


def _identifying(cloud: SimulatedCloud) -> dict[str, set[str]]:
    """Return the serials, Wi-Fi names and MAC addresses of every system of the cloud."""
    found: dict[str, set[str]] = {"serial": set(), "ssid": set(), "mac": set()}
    for system in cloud.state.systems():
        found["serial"].add(system.serial)
        found["ssid"].add(system.spec.wifi_ssid)
        found["serial"].update(zone.sensor_serial for zone in system.zones if zone.sensor_serial)
        for key, value in _items(cloud.state.status(system.serial)):
            if MAC.fullmatch(value):
                found["mac"].add(value)
            elif SERIAL_KEY.search(key):
                found["serial"].add(value)
            elif SSID_KEY.search(key):
                found["ssid"].add(value)
    return {kind: {value for value in values if value} for kind, values in found.items()}


def _items(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Yield every text value of a JSON document with the key it is under."""
    if isinstance(data, dict):
        for child_key, child in data.items():
            yield from _items(child, str(child_key))
    elif isinstance(data, list):
        for child in data:
            yield from _items(child, key)
    elif isinstance(data, str):
        yield key, data
