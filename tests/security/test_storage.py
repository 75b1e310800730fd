"""The password is kept nowhere: not in Home Assistant's storage, not in any file it writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.actronair_neo.const import CONF_TOKENS, DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from tests.faults.harness import SimSession

NEW_PASSWORD: Final = "Changed-pass-91b2d7-do-not-store"
# Longer than every delayed save of Home Assistant's stores (entries 1 s, registries 10 s).
FLUSH: Final = 600.0


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test a configuration directory of its own, to search afterwards."""
    return hass_tmp_config_dir


async def test_password_is_stored_nowhere(
    hass: HomeAssistant, session: SimSession, hass_storage: dict[str, Any]
) -> None:
    """After signing in, re-authenticating and reconfiguring, no store or file has a password."""
    session.entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    await session.finish_reauth()

    session.cloud.state.add_account(session.email, NEW_PASSWORD)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": session.entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: session.email, CONF_PASSWORD: NEW_PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    await session.advance(FLUSH)

    stored = json.dumps(hass_storage)
    # The stores were written: the entry is there, with the tokens of the last pairing.
    pairing_token = session.entry.data[CONF_TOKENS]["pairing"]["token"]
    assert pairing_token in stored
    assert session.email in stored
    for password in (session.password, NEW_PASSWORD):
        assert password not in stored
        assert _files_containing(Path(hass.config.config_dir), password) == []


def _files_containing(directory: Path, text: str) -> list[Path]:
    """Return the files under a directory whose bytes contain the text."""
    needle = text.encode()
    return [path for path in directory.rglob("*") if path.is_file() and needle in path.read_bytes()]
