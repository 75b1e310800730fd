"""Config flow: sign in (user, reauth, reconfigure) over one validation helper, and the options.

Signing in pairs this installation with the account under a per-entry device identifier made
once and kept, so signing in again replaces the pairing instead of adding one. The entry stores
the tokens, never the password.

The entry's unique id is the account's email. Reconfiguring may change it: a new email is taken
as the same account when the account it signs in to holds systems this entry already knows.
"""

from __future__ import annotations

from dataclasses import dataclass
import ipaddress
import os
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from yarl import URL

from .api import (
    DEFAULT_BASE_URL,
    DEFAULT_QUE_BASE_URL,
    ActronAuthError,
    ActronError,
    ActronNeoClient,
    AuthTokens,
)
from .const import (
    CONF_API_URL,
    CONF_DEVICE_UNIQUE_ID,
    CONF_POLL_INTERVAL,
    CONF_QUE_API_URL,
    CONF_TOKENS,
    CONF_ZONE_CLIMATES,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    ENV_API_URL,
    ENV_QUE_API_URL,
    LOGGER,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
    system_key,
    zone_key,
)
from .ownership import systems_of_entry, systems_served_elsewhere

if TYPE_CHECKING:
    from collections.abc import Mapping

    # Home Assistant 2026.10 validates with probatio and aliases voluptuous to it at runtime;
    # 2026.3 only has voluptuous. Type against the newest.
    import probatio as vol

    from .coordinator import ActronConfigEntry
else:
    import voluptuous as vol

EMAIL_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username")
)
PASSWORD_SELECTOR = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
SIGN_IN_SCHEMA = vol.Schema(
    {vol.Required(CONF_EMAIL): EMAIL_SELECTOR, vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR}
)
PASSWORD_SCHEMA = vol.Schema({vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR})


@dataclass(frozen=True, slots=True)
class CloudUrls:
    """The base URLs an entry talks to: Neo (and sign-in), and Que."""

    api: str
    que: str

    @classmethod
    def from_environment(cls) -> CloudUrls:
        """Return the vendor's URLs, or those the environment sets (the demo and tests do).

        ACTRONAIR_NEO_API_URL alone points both clouds at one place (a simulator serves both).
        """
        api = os.environ.get(ENV_API_URL) or DEFAULT_BASE_URL
        que = os.environ.get(ENV_QUE_API_URL) or (
            api if os.environ.get(ENV_API_URL) else DEFAULT_QUE_BASE_URL
        )
        return cls(api.rstrip("/"), que.rstrip("/"))

    @classmethod
    def of_entry(cls, entry: ConfigEntry) -> CloudUrls:
        """Return the URLs an entry was set up with."""
        return cls(entry.data[CONF_API_URL], entry.data[CONF_QUE_API_URL])

    def are_secure(self) -> bool:
        """Return True when both URLs use https, or plain http to this machine only."""
        return _is_secure(self.api) and _is_secure(self.que)


def _is_secure(url: str) -> bool:
    try:
        parsed = URL(url)
    except ValueError:
        return False
    if not parsed.absolute or not parsed.host:
        return False
    return parsed.scheme == "https" or (parsed.scheme == "http" and _is_loopback(parsed.host))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def account_id(email: str) -> str:
    """Return the entry's unique id: the account's email, lower-cased."""
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What a sign-in gives: the tokens, and the keys of the account's systems."""

    tokens: AuthTokens
    systems: frozenset[str]


class ActronConfigFlow(ConfigFlow, domain=DOMAIN):
    """Sign in to an ActronAir account."""

    VERSION = 1

    def __init__(self) -> None:
        """Start without a device identifier: one is made on the first attempt and kept."""
        self._device_unique_id: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> ActronOptionsFlow:  # noqa: ARG004
        """Return the options flow (it reads its entry itself)."""
        return ActronOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the account's email and password."""
        errors: dict[str, str] = {}
        if user_input is not None:
            email = user_input[CONF_EMAIL].strip()
            await self.async_set_unique_id(account_id(email))
            self._abort_if_unique_id_configured()
            urls = CloudUrls.from_environment()
            if not urls.are_secure():
                errors["base"] = "insecure_url"
            else:
                # Kept across attempts, so a retry replaces a half-finished pairing.
                self._device_unique_id = self._device_unique_id or f"ha-{uuid4().hex}"
                signed_in, errors = await self._async_sign_in(
                    email, user_input[CONF_PASSWORD], self._device_unique_id, urls
                )
                if signed_in is not None:
                    if not signed_in.systems - systems_served_elsewhere(
                        self.hass, signed_in.systems, None
                    ):
                        return self.async_abort(reason="systems_already_configured")
                    return self.async_create_entry(
                        title=email,
                        data={
                            CONF_EMAIL: email,
                            CONF_DEVICE_UNIQUE_ID: self._device_unique_id,
                            CONF_TOKENS: signed_in.tokens.to_dict(),
                            CONF_API_URL: urls.api,
                            CONF_QUE_API_URL: urls.que,
                        },
                    )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                SIGN_IN_SCHEMA, {CONF_EMAIL: user_input[CONF_EMAIL]} if user_input else None
            ),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:  # noqa: ARG002
        """Start signing in again after the cloud refused the stored pairing."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the password of the entry's account only."""
        entry = self._get_reauth_entry()
        email: str = entry.data[CONF_EMAIL]
        errors: dict[str, str] = {}
        if user_input is not None:
            # The entry's own email, so its own account: nothing else to check.
            signed_in, errors = await self._async_sign_in_again(
                entry, email, user_input[CONF_PASSWORD]
            )
            if signed_in is not None:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_TOKENS: signed_in.tokens.to_dict()}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=PASSWORD_SCHEMA,
            description_placeholders={CONF_EMAIL: email},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in again to the same account, with a new password or a new email."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            email = user_input[CONF_EMAIL].strip()
            new_id = account_id(email)
            # Checked before pairing: that account is set up as another entry.
            existing = await self.async_set_unique_id(new_id, raise_on_progress=False)
            if existing is not None and existing.entry_id != entry.entry_id:
                return self.async_abort(reason="already_configured")
            signed_in, errors = await self._async_sign_in_again(
                entry, email, user_input[CONF_PASSWORD]
            )
            if signed_in is not None:
                # Only the cloud can tell whether a new email names the same account.
                if new_id != entry.unique_id and not (
                    signed_in.systems & systems_of_entry(self.hass, entry.entry_id)
                ):
                    return self.async_abort(reason="wrong_account")
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=new_id,
                    title=email,
                    data_updates={CONF_TOKENS: signed_in.tokens.to_dict(), CONF_EMAIL: email},
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                SIGN_IN_SCHEMA, {CONF_EMAIL: (user_input or entry.data)[CONF_EMAIL]}
            ),
            errors=errors,
        )

    async def _async_sign_in_again(
        self, entry: ConfigEntry, email: str, password: str
    ) -> tuple[SignedIn | None, dict[str, str]]:
        """Sign in under the entry's device identifier and cloud, replacing its pairing."""
        return await self._async_sign_in(
            email, password, entry.data[CONF_DEVICE_UNIQUE_ID], CloudUrls.of_entry(entry)
        )

    async def _async_sign_in(
        self, email: str, password: str, device_unique_id: str, urls: CloudUrls
    ) -> tuple[SignedIn | None, dict[str, str]]:
        """Pair with the account and list its systems; return what it gave, or the form errors."""
        client = ActronNeoClient(
            device_unique_id=device_unique_id,
            session=async_get_clientsession(self.hass),
            base_url=urls.api,
            que_base_url=urls.que,
        )
        try:
            await client.pair(email, password)
            systems = await client.systems()
        except ActronAuthError:
            return None, {"base": "invalid_auth"}
        except ActronError:
            return None, {"base": "cannot_connect"}
        except Exception:  # noqa: BLE001 - the form must show something for any failure
            LOGGER.exception("Unexpected error signing in")
            return None, {"base": "unknown"}
        finally:
            await client.close()
        if not systems:
            return None, {"base": "no_systems"}
        tokens = client.tokens
        if tokens is None:  # pragma: no cover - pair() returned, so the client holds tokens
            return None, {"base": "unknown"}
        return SignedIn(tokens, frozenset(system_key(system.serial) for system in systems)), {}


class ActronOptionsFlow(OptionsFlowWithReload):
    """Poll interval, and which zones without their own temperature control get a climate."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the options; saving them reloads the entry."""
        entry: ActronConfigEntry = self.config_entry
        if user_input is not None:
            return self.async_create_entry(data={**entry.options, **user_input})
        fields: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_POLL_INTERVAL,
                default=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL),
            ): NumberSelector(
                NumberSelectorConfig(
                    min=MIN_POLL_INTERVAL,
                    max=MAX_POLL_INTERVAL,
                    step=1,
                    unit_of_measurement="s",
                    mode=NumberSelectorMode.BOX,
                )
            )
        }
        # Zones are only known while the entry runs; otherwise their choice is kept as it is.
        if entry.state is ConfigEntryState.LOADED and (zones := _zone_choices(entry)):
            offered = {option["value"] for option in zones}
            chosen = [key for key in entry.options.get(CONF_ZONE_CLIMATES, []) if key in offered]
            fields[vol.Optional(CONF_ZONE_CLIMATES, default=chosen)] = SelectSelector(
                SelectSelectorConfig(options=zones, multiple=True)
            )
        return self.async_show_form(step_id="init", data_schema=vol.Schema(fields))


def _zone_choices(entry: ActronConfigEntry) -> list[SelectOptionDict]:
    """Return the zones without individual temperature control, named for the user."""
    coordinator = entry.runtime_data.coordinator
    several = len(coordinator.data) > 1
    choices: list[SelectOptionDict] = []
    for key, status in coordinator.data.items():
        system = coordinator.systems.get(key)
        system_name = (system.description if system else None) or key.upper()
        for zone in status.zones:
            if not zone.exists or zone.itc:
                continue
            name = zone.name or f"Zone {zone.index + 1}"
            label = f"{system_name}: {name}" if several else name
            choices.append(SelectOptionDict(value=zone_key(key, zone.index), label=label))
    return choices
