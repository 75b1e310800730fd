"""Sign-in refuses a cloud reached over plain http anywhere but this machine.

The password would travel in clear text: the flow shows an error before any request is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_EMAIL, CONF_PASSWORD
from homeassistant.data_entry_flow import FlowResultType
import pytest

from actronair_neo_sim import SimulatedCloud
from custom_components.actronair_neo.const import DOMAIN, ENV_API_URL, ENV_QUE_API_URL
from tests.faults.harness import EMAIL, PASSWORD, demo_scenario

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize(
    ("variable", "url"),
    [
        (ENV_API_URL, "http://example.com"),
        (ENV_API_URL, "http://192.168.1.20:8765"),
        (ENV_QUE_API_URL, "http://example.com"),
        (ENV_QUE_API_URL, "http://10.0.0.2/"),
    ],
)
async def test_plain_http_beyond_loopback_is_refused(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch, variable: str, url: str
) -> None:
    """The form says the URL is insecure; nothing reaches any cloud, the simulated one included."""
    async with SimulatedCloud(demo_scenario()) as cloud:
        # The other host is the (loopback) simulator, which would answer were it asked.
        monkeypatch.setenv(ENV_API_URL, cloud.url)
        monkeypatch.setenv(ENV_QUE_API_URL, cloud.que_url)
        monkeypatch.setenv(variable, url)
        result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_EMAIL: EMAIL, CONF_PASSWORD: PASSWORD}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "insecure_url"}
        assert cloud.requests.count() == 0
    assert hass.config_entries.async_entries(DOMAIN) == []
