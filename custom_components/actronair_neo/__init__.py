"""ActronAir Neo and Que air conditioners in Home Assistant.

Setup: a client on Home Assistant's shared session with the stored tokens (a still-valid bearer
makes no token request), a first poll, then the platforms. New tokens are written back to the
entry as the client gets them, without a reload.
"""

from __future__ import annotations

from typing import Final

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import ActronNeoClient, ActronValidationError, AuthTokens
from .const import CONF_API_URL, CONF_DEVICE_UNIQUE_ID, CONF_QUE_API_URL, CONF_TOKENS, DOMAIN
from .coordinator import ActronConfigEntry, ActronCoordinator, RuntimeData

PLATFORMS: Final = [Platform.BINARY_SENSOR, Platform.CLIMATE, Platform.SENSOR, Platform.SWITCH]


async def async_setup_entry(hass: HomeAssistant, entry: ActronConfigEntry) -> bool:
    """Connect to the account's cloud and set up its systems."""
    try:
        tokens = AuthTokens.from_dict(entry.data[CONF_TOKENS])
    except ActronValidationError as err:
        # Damaged tokens cannot be repaired here: signing in again replaces them.
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err

    @callback
    def _async_store_tokens(new_tokens: AuthTokens) -> None:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_TOKENS: new_tokens.to_dict()}
        )

    client = ActronNeoClient(
        device_unique_id=entry.data[CONF_DEVICE_UNIQUE_ID],
        session=async_get_clientsession(hass),
        base_url=entry.data[CONF_API_URL],
        que_base_url=entry.data[CONF_QUE_API_URL],
        tokens=tokens,
        on_tokens_changed=_async_store_tokens,
    )
    coordinator = ActronCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = RuntimeData(client=client, coordinator=coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ActronConfigEntry) -> bool:
    """Unload the platforms; commands still waiting to be merged are sent first."""
    if unloaded := await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        await entry.runtime_data.client.close()
    return unloaded
