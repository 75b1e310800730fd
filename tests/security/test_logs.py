"""Debug logging through a whole session shows no password and no token.

The session: signing in (pairing, exchange), polls, commands, the faults that make the client
exchange again or give up (401, expired bearers, 429, 500, malformed JSON, reset, timeout), a
revoked pairing and re-authentication, reconfiguration and a restart. Every record any logger
wrote, traceback included, is searched for the password and for every token the cloud minted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from homeassistant.components.climate.const import (
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.components.switch.const import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import SOURCE_RECONFIGURE
from homeassistant.const import (
    ATTR_TEMPERATURE,
    CONF_EMAIL,
    CONF_PASSWORD,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.actronair_neo.const import CONF_DEVICE_UNIQUE_ID, CONF_TOKENS, DOMAIN
from tests.faults.harness import NEO, POLL, QUE

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from tests.faults.harness import SimSession
    from tests.security.tokens import TokenLedger

FORMAT: Final = logging.Formatter("%(levelname)s %(name)s %(message)s")
LOGGERS: Final = ("custom_components.actronair_neo", "custom_components.actronair_neo.api")
# Faults that reach the client as a failed poll and a failed command.
FAULTS: Final = ("429", "500", "malformed_json", "truncated_json", "reset")


async def test_no_secret_in_debug_log(
    hass: HomeAssistant,
    session: SimSession,
    caplog: pytest.LogCaptureFixture,
    tokens: TokenLedger,
) -> None:
    """No log line, at any level and from any logger, holds the password or a token."""
    for logger in LOGGERS:
        assert logging.getLogger(logger).isEnabledFor(logging.DEBUG)
    await _whole_session(hass, session)

    records = caplog.get_records("setup") + caplog.get_records("call")
    text = "\n".join(FORMAT.format(record) for record in records)
    # The client logged each exchange, at debug level: the search had something to search.
    assert text.count("/api/v0/oauth/token") >= len(tokens.bearers) >= 4
    assert len(tokens.pairing) >= 3
    secrets = {session.password, *tokens.all, *_entry_tokens(session)}
    assert [secret for secret in secrets if secret in text] == []
    assert session.entry.data[CONF_DEVICE_UNIQUE_ID] not in text


def _entry_tokens(session: SimSession) -> set[str]:
    """Return the tokens the entry holds now."""
    stored = session.entry.data[CONF_TOKENS]
    return {stored["pairing"]["token"]} | {
        bearer["access_token"] for bearer in stored["bearers"].values()
    }


async def _whole_session(hass: HomeAssistant, session: SimSession) -> None:
    """Drive the entry through everything that makes the client authenticate or fail."""
    cloud = session.cloud
    away = session.entity_id(f"{NEO}_away")
    await session.poll()
    await session.call(SWITCH_DOMAIN, SERVICE_TURN_ON, away)
    await session.call(
        CLIMATE_DOMAIN,
        SERVICE_SET_TEMPERATURE,
        session.entity_id(f"{NEO}_climate"),
        {ATTR_TEMPERATURE: 22.5},
    )
    await session.advance(POLL)

    # The client exchanges again: after a 401, and when the cloud forgot every bearer.
    cloud.faults.inject("401", endpoint="status", host="que")
    await session.poll()
    cloud.state.expire_bearers()
    await session.poll()

    for kind in FAULTS:
        cloud.faults.inject(kind, count=None, retry_after=1)
        # Before the poll: Home Assistant skips entities that are unavailable.
        with pytest.raises(HomeAssistantError):
            await session.call(SWITCH_DOMAIN, SERVICE_TURN_OFF, away)
        await session.poll()
        cloud.faults.clear()
        await session.poll()
    cloud.faults.inject("timeout", endpoint="status", serial=QUE)
    await session.poll(hang=True)
    await session.poll()

    # The pairing is revoked: the user signs in again, then reconfigures, then restarts.
    cloud.state.revoke_pairing(email=session.email)
    await session.poll()
    await session.finish_reauth()
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": session.entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_EMAIL: session.email, CONF_PASSWORD: session.password}
    )
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done()
    assert await hass.config_entries.async_reload(session.entry.entry_id)
    await session.poll()
    assert session.unavailable() == set()
