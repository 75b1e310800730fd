"""Climates: a system's modes, setpoints, fan and action; zones following their system."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.climate import DOMAIN as CLIMATE_DOMAIN
from homeassistant.components.climate.const import (
    ATTR_CURRENT_HUMIDITY,
    ATTR_CURRENT_TEMPERATURE,
    ATTR_FAN_MODE,
    ATTR_FAN_MODES,
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODE,
    ATTR_HVAC_MODES,
    ATTR_MAX_TEMP,
    ATTR_MIN_TEMP,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_SUPPORTED_FEATURES,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    Platform,
)
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.actronair_neo.const import CONF_POLL_INTERVAL, CONF_ZONE_CLIMATES
from tests.cloud_mock import NEO_SERIAL, QUE_SERIAL
from tests.conftest import advance
from tests.platforms import call, only_platforms_fixture, setup_integration, state

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.cloud_mock import MockCloud
    from tests.conftest import SnapshotEntities

NEO = "climate.neo_24k01234"
QUE = "climate.beach_house"
LIVING = "climate.living"  # Neo zone 0, individual temperature control
STUDY = "climate.study"  # Neo zone 4, closed, a climate only when chosen in the options
KITCHEN = "climate.kitchen"  # Neo zone 1, open, a climate only when chosen in the options
SETTINGS = "UserAirconSettings"


_climates_only = only_platforms_fixture(Platform.CLIMATE)


def _edit(cloud: MockCloud, serial: str, values: dict[str, Any]) -> None:
    """Change the status the cloud reports (dotted keys under lastKnownState)."""
    cloud.reflect(serial, values)


async def _setup(
    hass: HomeAssistant, entry: MockConfigEntry, *, zone_climates: tuple[str, ...] = ()
) -> None:
    await setup_integration(hass, entry, {CONF_ZONE_CLIMATES: list(zone_climates)})


def _attributes(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    return dict(state(hass, entity_id).attributes)


type ActionShown = Callable[[str, dict[str, Any]], Awaitable[object]]


@pytest.fixture
def action_shown(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> ActionShown:
    """Return the action a climate shows when the Neo reports these values at set-up."""

    async def shown(entity_id: str, values: dict[str, Any]) -> object:
        _edit(mock_cloud, NEO_SERIAL, values)
        await _setup(hass, mock_config_entry)
        return _attributes(hass, entity_id)[ATTR_HVAC_ACTION]

    return shown


async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    mock_cloud: MockCloud,
    snapshot_entities: SnapshotEntities,
) -> None:
    """A climate per system, per zone with its own control, and per zone chosen in the options."""
    await _setup(hass, mock_config_entry, zone_climates=("24k01234_zone4", "25q05678_zone0"))
    await snapshot_entities()
    assert sorted(hass.states.async_entity_ids(CLIMATE_DOMAIN)) == [
        QUE,
        "climate.living",
        "climate.lounge",
        "climate.master_bed",
        NEO,
        STUDY,
    ]
    assert mock_cloud.count("command") == 0


@pytest.mark.usefixtures("init_integration")
async def test_system_climate_reads_the_status(hass: HomeAssistant) -> None:
    """Mode, setpoint and its limits, readings, fan speeds (auto only where the unit has it)."""
    neo = _attributes(hass, NEO)
    assert state(hass, NEO).state == HVACMode.COOL
    assert neo[ATTR_HVAC_MODES] == [
        HVACMode.OFF,
        HVACMode.COOL,
        HVACMode.HEAT,
        HVACMode.HEAT_COOL,
        HVACMode.FAN_ONLY,
        HVACMode.DRY,
    ]
    assert (neo[ATTR_TEMPERATURE], neo[ATTR_MIN_TEMP], neo[ATTR_MAX_TEMP]) == (23, 16, 30)
    assert (neo[ATTR_CURRENT_TEMPERATURE], neo[ATTR_CURRENT_HUMIDITY]) == (24.3, 52.1)
    assert (neo[ATTR_FAN_MODE], neo[ATTR_FAN_MODES]) == ("high", ["low", "medium", "high", "auto"])
    assert neo[ATTR_HVAC_ACTION] == HVACAction.COOLING

    que = _attributes(hass, QUE)
    assert state(hass, QUE).state == HVACMode.HEAT
    # No ModeSupport block: the four modes every unit has.
    assert que[ATTR_HVAC_MODES] == [
        HVACMode.OFF,
        HVACMode.COOL,
        HVACMode.HEAT,
        HVACMode.HEAT_COOL,
        HVACMode.FAN_ONLY,
    ]
    assert (que[ATTR_TEMPERATURE], que[ATTR_MIN_TEMP], que[ATTR_MAX_TEMP]) == (21, 16, 28)
    assert (que[ATTR_FAN_MODE], que[ATTR_FAN_MODES]) == ("low", ["low", "medium", "high"])
    assert que[ATTR_HVAC_ACTION] == HVACAction.HEATING


async def test_auto_fan_is_offered_while_in_use(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """The Que says it has no auto fan, yet runs on auto: auto is offered."""
    _edit(mock_cloud, QUE_SERIAL, {f"{SETTINGS}.FanMode": "AUTO"})
    await _setup(hass, mock_config_entry)
    que = _attributes(hass, QUE)
    assert (que[ATTR_FAN_MODE], que[ATTR_FAN_MODES]) == ("auto", ["low", "medium", "high", "auto"])


async def test_auto_fan_stays_offered_after_leaving_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The Que runs on auto though its flags deny it; once off auto, it can go back to auto."""
    _edit(mock_cloud, QUE_SERIAL, {f"{SETTINGS}.FanMode": "AUTO"})
    mock_cloud.reflect_commands = True
    await _setup(hass, mock_config_entry)

    await call(hass, CLIMATE_DOMAIN, SERVICE_SET_FAN_MODE, QUE, **{ATTR_FAN_MODE: "low"})
    await advance(hass, freezer, 3)
    await advance(hass, freezer, 7)
    que = _attributes(hass, QUE)
    assert (que[ATTR_FAN_MODE], que[ATTR_FAN_MODES]) == ("low", ["low", "medium", "high", "auto"])

    after = await call(hass, CLIMATE_DOMAIN, SERVICE_SET_FAN_MODE, QUE, **{ATTR_FAN_MODE: "auto"})
    assert after.attributes[ATTR_FAN_MODE] == "auto"
    assert mock_cloud.commands(QUE_SERIAL) == [
        {f"{SETTINGS}.FanMode": "LOW"},
        {f"{SETTINGS}.FanMode": "AUTO"},
    ]


async def test_auto_fan_once_offered_survives_the_flags(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    mock_cloud: MockCloud,
) -> None:
    """The Neo's flags offer auto, then both deny it (they are unreliable): auto stays offered."""
    assert _attributes(hass, NEO)[ATTR_FAN_MODES] == ["low", "medium", "high", "auto"]
    _edit(
        mock_cloud,
        NEO_SERIAL,
        {
            "AirconSystem.IndoorUnit.NV_SupportedFanModes": 7,
            "AirconSystem.IndoorUnit.NV_AutoFanEnabled": False,
        },
    )
    await advance(hass, freezer, 30)
    assert mock_cloud.count("status") == 4  # the poll read the new flags
    assert _attributes(hass, NEO)[ATTR_FAN_MODES] == ["low", "medium", "high", "auto"]


async def test_auto_fan_never_shown_is_not_offered(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """A unit whose flags both deny auto and that never ran on it is not offered auto."""
    await _setup(hass, mock_config_entry)
    assert _attributes(hass, QUE)[ATTR_FAN_MODES] == ["low", "medium", "high"]
    with pytest.raises(ServiceValidationError):
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_FAN_MODE, QUE, **{ATTR_FAN_MODE: "auto"})
    assert mock_cloud.count("command") == 0


@pytest.mark.parametrize(
    ("mode", "features", "expected"),
    [
        (
            "AUTO",
            ClimateEntityFeature.TARGET_TEMPERATURE_RANGE,
            {ATTR_TARGET_TEMP_LOW: 20, ATTR_TARGET_TEMP_HIGH: 23, ATTR_MIN_TEMP: 16},
        ),
        ("DRY", ClimateEntityFeature.TARGET_TEMPERATURE, {ATTR_TEMPERATURE: 23}),
        ("HEAT", ClimateEntityFeature.TARGET_TEMPERATURE, {ATTR_TEMPERATURE: 20}),
        ("FAN", ClimateEntityFeature(0), {ATTR_MIN_TEMP: 16, ATTR_MAX_TEMP: 30}),
    ],
)
async def test_setpoints_follow_the_mode(
    hass: HomeAssistant,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
    *,
    mode: str,
    features: ClimateEntityFeature,
    expected: dict[str, float],
) -> None:
    """Auto shows a range, cool/dry the cool setpoint, heat the heat one, fan only none."""
    _edit(mock_cloud, NEO_SERIAL, {f"{SETTINGS}.Mode": mode})
    await _setup(hass, mock_config_entry)
    neo = _attributes(hass, NEO)
    temperature_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE | ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
    )
    assert neo[ATTR_SUPPORTED_FEATURES] & temperature_features == features
    assert neo[ATTR_SUPPORTED_FEATURES] & ClimateEntityFeature.TURN_OFF
    assert {key: neo[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("values", "action"),
    [
        ({f"{SETTINGS}.isOn": False}, HVACAction.OFF),
        ({"LiveAircon.Defrost": True}, HVACAction.DEFROSTING),
        ({"Alerts.Defrosting": True}, HVACAction.DEFROSTING),
        ({f"{SETTINGS}.Mode": "DRY"}, HVACAction.DRYING),
        ({"LiveAircon.CompressorMode": "HEAT"}, HVACAction.HEATING),
        ({"LiveAircon.CompressorCapacity": 0}, HVACAction.FAN),
        ({"LiveAircon.CompressorMode": "OFF", f"{SETTINGS}.Mode": "FAN"}, HVACAction.FAN),
        ({"LiveAircon.CompressorMode": "OFF", "LiveAircon.FanRPM": 0}, HVACAction.IDLE),
    ],
)
async def test_action_reads_the_compressor_and_fan(
    action_shown: ActionShown, values: dict[str, Any], action: HVACAction
) -> None:
    """Off, defrosting, cooling/drying/heating while the compressor works, fan, idle."""
    assert await action_shown(NEO, values) == action


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("service", "data", "sent", "shown"),
    [
        (SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: "heat"}, {"Mode": "HEAT"}, {ATTR_TEMPERATURE: 20}),
        (SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: "dry"}, {"Mode": "DRY"}, {ATTR_TEMPERATURE: 23}),
        (
            SERVICE_SET_HVAC_MODE,
            {ATTR_HVAC_MODE: "heat_cool"},
            {"Mode": "AUTO"},
            {ATTR_TARGET_TEMP_LOW: 20, ATTR_TARGET_TEMP_HIGH: 23},
        ),
        (SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: "off"}, {"isOn": False}, {}),
        (SERVICE_TURN_OFF, {}, {"isOn": False}, {}),
        (
            SERVICE_SET_TEMPERATURE,
            {ATTR_TEMPERATURE: 21.5},
            {"TemperatureSetpoint_Cool_oC": 21.5},
            {ATTR_TEMPERATURE: 21.5},
        ),
        (
            SERVICE_SET_TEMPERATURE,
            {ATTR_TEMPERATURE: 19, ATTR_HVAC_MODE: "heat"},
            {"Mode": "HEAT", "TemperatureSetpoint_Heat_oC": 19.0},
            {ATTR_TEMPERATURE: 19},
        ),
        # Continuous fan stays on: HIGH+CONT -> LOW+CONT.
        (SERVICE_SET_FAN_MODE, {ATTR_FAN_MODE: "low"}, {"FanMode": "LOW+CONT"}, {}),
    ],
)
async def test_system_actions(
    hass: HomeAssistant,
    mock_cloud: MockCloud,
    *,
    service: str,
    data: dict[str, Any],
    sent: dict[str, Any],
    shown: dict[str, Any],
) -> None:
    """Each action sends exactly its keys and shows the result at once, before the cloud does."""
    after = await call(hass, CLIMATE_DOMAIN, service, NEO, **data)
    assert mock_cloud.commands(NEO_SERIAL) == [
        {f"{SETTINGS}.{key}": value for key, value in sent.items()}
    ]
    assert {key: after.attributes[key] for key in shown} == shown
    if (mode := data.get(ATTR_HVAC_MODE)) is not None:
        assert after.state == mode
    if fan_mode := data.get(ATTR_FAN_MODE):
        assert after.attributes[ATTR_FAN_MODE] == fan_mode
    if service == SERVICE_TURN_OFF:
        assert after.state == HVACMode.OFF


async def test_choosing_a_mode_switches_a_system_on(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """From off, a mode is sent with power on; turning on sends power alone."""
    _edit(mock_cloud, QUE_SERIAL, {f"{SETTINGS}.isOn": False})
    await _setup(hass, mock_config_entry)
    assert state(hass, QUE).state == HVACMode.OFF
    assert _attributes(hass, QUE)[ATTR_HVAC_ACTION] == HVACAction.OFF
    after = await call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, QUE, hvac_mode="cool")
    assert after.state == HVACMode.COOL
    assert after.attributes[ATTR_TEMPERATURE] == 24
    await call(hass, CLIMATE_DOMAIN, SERVICE_TURN_OFF, QUE)
    assert (await call(hass, CLIMATE_DOMAIN, SERVICE_TURN_ON, QUE)).state == HVACMode.COOL
    assert mock_cloud.commands(QUE_SERIAL) == [
        {f"{SETTINGS}.Mode": "COOL", f"{SETTINGS}.isOn": True},
        {f"{SETTINGS}.isOn": False},
        {f"{SETTINGS}.isOn": True},
    ]


async def test_auto_range_keeps_the_minimum_gap(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """Raising heat to 22 with cool at 23 (MinGap 2) raises cool to 24: both are sent."""
    _edit(mock_cloud, NEO_SERIAL, {f"{SETTINGS}.Mode": "AUTO"})
    await _setup(hass, mock_config_entry)
    after = await call(
        hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, NEO, target_temp_low=22, target_temp_high=23
    )
    assert mock_cloud.commands(NEO_SERIAL) == [
        {
            f"{SETTINGS}.TemperatureSetpoint_Cool_oC": 24.0,
            f"{SETTINGS}.TemperatureSetpoint_Heat_oC": 22.0,
        }
    ]
    assert (after.attributes[ATTR_TARGET_TEMP_LOW], after.attributes[ATTR_TARGET_TEMP_HIGH]) == (
        22,
        24,
    )


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        # Within 16..30 (the auto range of the Que) but above its heat maximum of 28.
        (
            {ATTR_TARGET_TEMP_LOW: 29, ATTR_TARGET_TEMP_HIGH: 30},
            "setpoint_out_of_range",
            {"name": "heat", "value": "29", "min": "16", "max": "28"},
        ),
        # Closer than the Que's MinGap of 1.
        (
            {ATTR_TARGET_TEMP_LOW: 25, ATTR_TARGET_TEMP_HIGH: 25},
            "setpoint_gap",
            {"cool": "25", "heat": "25", "gap": "1"},
        ),
    ],
)
async def test_invalid_setpoints_are_refused(
    hass: HomeAssistant,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
    *,
    data: dict[str, float],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """A translated ServiceValidationError; nothing is sent and nothing changes."""
    _edit(mock_cloud, QUE_SERIAL, {f"{SETTINGS}.Mode": "AUTO"})
    await _setup(hass, mock_config_entry)
    before = state(hass, QUE)
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, QUE, **data)
    assert raised.value.translation_domain == "actronair_neo"
    assert raised.value.translation_key == key
    assert raised.value.translation_placeholders == placeholders
    assert mock_cloud.count("command") == 0
    assert state(hass, QUE).attributes == before.attributes


@pytest.mark.usefixtures("init_integration")
async def test_cloud_failure_restores_the_state(hass: HomeAssistant, mock_cloud: MockCloud) -> None:
    """A failed command is a translated HomeAssistantError; the old mode shows again."""
    mock_cloud.fail("command", status=502)
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_HVAC_MODE, NEO, hvac_mode="heat")
    assert raised.value.translation_key == "server_error"
    assert state(hass, NEO).state == HVACMode.COOL
    assert mock_cloud.count("command") == 1


@pytest.mark.usefixtures("init_integration")
async def test_zone_climate_follows_its_system(hass: HomeAssistant) -> None:
    """Off or the system's mode; setpoint window: the system's setpoint +/- the variance."""
    living = _attributes(hass, LIVING)
    assert state(hass, LIVING).state == HVACMode.COOL
    assert living[ATTR_HVAC_MODES] == [HVACMode.OFF, HVACMode.COOL]
    assert (living[ATTR_TEMPERATURE], living[ATTR_MIN_TEMP], living[ATTR_MAX_TEMP]) == (23, 21, 25)
    assert (living[ATTR_CURRENT_TEMPERATURE], living[ATTR_CURRENT_HUMIDITY]) == (23.8, 51.2)
    assert living[ATTR_HVAC_ACTION] == HVACAction.COOLING
    assert ATTR_FAN_MODES not in living
    master_bed = _attributes(hass, "climate.master_bed")
    assert (master_bed[ATTR_TEMPERATURE], master_bed[ATTR_MIN_TEMP]) == (22, 21)


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("service", "data", "sent", "mode"),
    [
        (
            SERVICE_SET_TEMPERATURE,
            {ATTR_TEMPERATURE: 24.5},
            {"RemoteZoneInfo[0].TemperatureSetpoint_Cool_oC": 24.5},
            HVACMode.COOL,
        ),
        (
            SERVICE_SET_HVAC_MODE,
            {ATTR_HVAC_MODE: "off"},
            {f"{SETTINGS}.EnabledZones[0]": False},
            HVACMode.OFF,
        ),
        (SERVICE_TURN_OFF, {}, {f"{SETTINGS}.EnabledZones[0]": False}, HVACMode.OFF),
        (
            SERVICE_SET_TEMPERATURE,
            {ATTR_TEMPERATURE: 22, ATTR_HVAC_MODE: "off"},
            {
                f"{SETTINGS}.EnabledZones[0]": False,
                "RemoteZoneInfo[0].TemperatureSetpoint_Cool_oC": 22.0,
            },
            HVACMode.OFF,
        ),
    ],
)
async def test_zone_actions(
    hass: HomeAssistant,
    mock_cloud: MockCloud,
    *,
    service: str,
    data: dict[str, Any],
    sent: dict[str, Any],
    mode: HVACMode,
) -> None:
    """A zone's setpoint goes to its slot, on/off to EnabledZones[slot]; shown at once."""
    after = await call(hass, CLIMATE_DOMAIN, service, LIVING, **data)
    assert mock_cloud.commands(NEO_SERIAL) == [sent]
    assert after.state == mode
    if mode is HVACMode.OFF:
        assert after.attributes[ATTR_HVAC_ACTION] == HVACAction.OFF


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    "data",
    [
        {ATTR_TEMPERATURE: 26},  # above the system's 23 + 2
        {ATTR_TEMPERATURE: 22, ATTR_HVAC_MODE: "heat"},  # the system cools
    ],
)
async def test_zone_refuses_what_it_cannot_do(
    hass: HomeAssistant, mock_cloud: MockCloud, data: dict[str, Any]
) -> None:
    """Out of the window or another mode than the system's: refused, nothing sent."""
    with pytest.raises(ServiceValidationError):
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, LIVING, **data)
    assert mock_cloud.count("command") == 0


async def test_zone_in_auto_sets_both_setpoints(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """In auto a zone shows and takes a range, each end within its own window."""
    _edit(mock_cloud, NEO_SERIAL, {f"{SETTINGS}.Mode": "AUTO"})
    await _setup(hass, mock_config_entry)
    living = _attributes(hass, LIVING)
    assert living[ATTR_HVAC_MODES] == [HVACMode.OFF, HVACMode.HEAT_COOL]
    # Heat 20 +/- 2 and cool 23 +/- 2.
    assert (living[ATTR_MIN_TEMP], living[ATTR_MAX_TEMP]) == (18, 25)
    after = await call(
        hass,
        CLIMATE_DOMAIN,
        SERVICE_SET_TEMPERATURE,
        LIVING,
        target_temp_low=21,
        target_temp_high=24,
    )
    assert mock_cloud.commands(NEO_SERIAL) == [
        {
            "RemoteZoneInfo[0].TemperatureSetpoint_Cool_oC": 24.0,
            "RemoteZoneInfo[0].TemperatureSetpoint_Heat_oC": 21.0,
        }
    ]
    assert (after.attributes[ATTR_TARGET_TEMP_LOW], after.attributes[ATTR_TARGET_TEMP_HIGH]) == (
        21,
        24,
    )


@pytest.mark.parametrize(
    ("values", "action"),
    [
        ({"RemoteZoneInfo[0].ZonePosition": 0}, HVACAction.IDLE),  # damper shut
        ({f"{SETTINGS}.EnabledZones[0]": False}, HVACAction.OFF),
        ({f"{SETTINGS}.isOn": False}, HVACAction.OFF),
        ({"LiveAircon.Defrost": True, "RemoteZoneInfo[0].ZonePosition": 0}, HVACAction.DEFROSTING),
    ],
)
async def test_zone_action(
    action_shown: ActionShown, values: dict[str, Any], action: HVACAction
) -> None:
    """The system's action, idle while the zone's damper is shut, off while closed."""
    assert await action_shown(LIVING, values) == action


async def test_zone_chosen_in_the_options(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """A closed zone without its own control, chosen in the options: off, opened by turn_on."""
    await _setup(hass, mock_config_entry, zone_climates=("24k01234_zone4",))
    assert state(hass, STUDY).state == HVACMode.OFF
    assert (await call(hass, CLIMATE_DOMAIN, SERVICE_TURN_ON, STUDY)).state == HVACMode.COOL
    assert mock_cloud.commands(NEO_SERIAL) == [{f"{SETTINGS}.EnabledZones[4]": True}]
    # It follows the system's setpoint: no setpoint of its own to offer, none sent.
    features = _attributes(hass, STUDY)[ATTR_SUPPORTED_FEATURES]
    assert features == ClimateEntityFeature.TURN_ON | ClimateEntityFeature.TURN_OFF
    assert ATTR_TEMPERATURE not in _attributes(hass, STUDY)
    with pytest.raises(ServiceValidationError):
        await call(hass, CLIMATE_DOMAIN, SERVICE_SET_TEMPERATURE, STUDY, temperature=22)
    assert len(mock_cloud.commands(NEO_SERIAL)) == 1


async def _save_zone_climates(
    hass: HomeAssistant, entry: MockConfigEntry, zone_climates: list[str]
) -> None:
    """Choose the zone climates in the options flow; saving reloads the entry."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 30, CONF_ZONE_CLIMATES: zone_climates}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_zone_deselected_in_the_options_loses_its_climate(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A zone no longer chosen leaves the registry and the states; the others stay."""
    await _setup(hass, mock_config_entry)
    await _save_zone_climates(
        hass, mock_config_entry, [f"{NEO_SERIAL}_zone1", f"{NEO_SERIAL}_zone4"]
    )
    assert state(hass, STUDY).state == HVACMode.OFF
    assert entity_registry.async_get(STUDY) is not None

    await _save_zone_climates(hass, mock_config_entry, [f"{NEO_SERIAL}_zone1"])

    assert entity_registry.async_get(STUDY) is None
    assert hass.states.get(STUDY) is None
    # Still chosen, or with their own control: kept and shown.
    assert state(hass, KITCHEN).state == HVACMode.COOL
    assert state(hass, LIVING).state == HVACMode.COOL
    assert entity_registry.async_get(NEO) is not None
    assert mock_cloud.count("command") == 0


async def test_zone_climates_a_status_says_nothing_about_are_kept(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    mock_cloud: MockCloud,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A reload while the status lacks a zone's control flag, or its zones, removes nothing."""
    await _setup(hass, mock_config_entry)
    assert state(hass, LIVING).state == HVACMode.COOL
    zones = mock_cloud.statuses[NEO_SERIAL]["lastKnownState"]["RemoteZoneInfo"]
    del zones[0]["NV_ITC"]
    await _save_zone_climates(hass, mock_config_entry, [])
    assert entity_registry.async_get(LIVING) is not None

    del mock_cloud.statuses[NEO_SERIAL]["lastKnownState"]["RemoteZoneInfo"]
    await _save_zone_climates(hass, mock_config_entry, [])
    assert entity_registry.async_get(LIVING) is not None
    assert entity_registry.async_get("climate.master_bed") is not None


async def test_a_status_with_gaps(
    hass: HomeAssistant, mock_cloud: MockCloud, mock_config_entry: MockConfigEntry
) -> None:
    """Unknown mode, zone switches, variance and heat setpoint: shown as unknown or defaults."""
    settings = mock_cloud.statuses[NEO_SERIAL]["lastKnownState"][SETTINGS]
    for key in ("Mode", "EnabledZones", "ZoneTemperatureSetpointVariance_oC", "ModeSupport"):
        del settings[key]
    _edit(mock_cloud, NEO_SERIAL, {"LiveAircon.CompressorCapacity": None})
    del mock_cloud.statuses[QUE_SERIAL]["lastKnownState"][SETTINGS]["TemperatureSetpoint_Heat_oC"]
    await _setup(hass, mock_config_entry, zone_climates=("25q05678_zone0",))

    assert state(hass, NEO).state == "unknown"
    # No capacity reported: the compressor mode is believed.
    assert _attributes(hass, NEO)[ATTR_HVAC_ACTION] == HVACAction.COOLING
    living = _attributes(hass, LIVING)
    assert state(hass, LIVING).state == "unknown"
    assert living[ATTR_HVAC_MODES] == [HVACMode.OFF]
    assert living[ATTR_HVAC_ACTION] == HVACAction.OFF
    # Without a mode there is no setpoint to show; the window is the default +/- 2.
    assert (living[ATTR_MIN_TEMP], living[ATTR_MAX_TEMP]) == (18, 25)
    # Without the system's heat setpoint a zone's heat end may span the limits.
    assert _attributes(hass, "climate.lounge")[ATTR_MIN_TEMP] == 16

    # A single temperature means nothing in auto: refused, nothing sent.
    with pytest.raises(ServiceValidationError) as raised:
        await call(
            hass,
            CLIMATE_DOMAIN,
            SERVICE_SET_TEMPERATURE,
            QUE,
            temperature=22,
            hvac_mode="heat_cool",
        )
    assert raised.value.translation_key == "no_setpoint"
    assert mock_cloud.count("command") == 0
