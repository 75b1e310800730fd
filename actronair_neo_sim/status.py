"""Renders a system's live state as the full `status/latest` document (about 28 KB for a Neo).

Every block API.md names is present, including the `<SERIAL>` block with the Wi-Fi SSID and MAC
addresses, with values that agree with each other: zone sensors in `RemoteZoneInfo` are the
`Peripherals`, the compressor figures follow the mode, zones without a sensor read the wall
controller's temperature. Que systems lack the `<SERIAL>` block and the quick timer, and carry
`MasterInfo.ControlAllZones`, as Que payloads do.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, Final

from . import physics
from .system import SystemState, ZoneState, derived_hex, derived_mac

type Json = dict[str, Any]

_MODE_SUPPORT_KEYS: Final = {
    "COOL": "Cool",
    "HEAT": "Heat",
    "FAN": "Fan",
    "AUTO": "Auto",
    "DRY": "Dry",
}
_FAN_BITS: Final = {"LOW": 1, "MED": 2, "HIGH": 4}
_AUTO_FAN_BIT: Final = 8
_COMPRESSOR_CODES: Final = {"OFF": 0, "COOL": 1, "HEAT": 2}
_HISTORY_LENGTH: Final = 56
_SCHEDULE_DAYS: Final = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def status_document(system: SystemState, now: float) -> Json:
    """Render the body of `GET .../status/latest` for `system` at `now` (settle it first)."""
    since_contact = 0.0 if system.online else max(0.0, now - system.last_report)
    return {
        "isOnline": system.online,
        "timeSinceLastContact": timespan(since_contact),
        "lastStatusUpdate": datetime.fromtimestamp(system.last_report, UTC).isoformat(),
        "lastKnownState": last_known_state(system),
    }


def timespan(seconds: float) -> str:
    """Format a duration as .NET's TimeSpan does: `[d.]hh:mm:ss.fffffff`."""
    ticks = round(seconds * 10_000_000)
    whole, fraction = divmod(ticks, 10_000_000)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    prefix = f"{days}." if days else ""
    return f"{prefix}{hours:02d}:{minutes:02d}:{secs:02d}.{fraction:07d}"


def last_known_state(system: SystemState) -> Json:
    """`lastKnownState`: everything the wall controller last reported."""
    demand = physics.demand(system)
    state: Json = {}
    if not system.spec.is_que:
        state[f"<{system.spec.serial.upper()}>"] = _controller_local(system)
    state |= {
        "AirconSystem": _aircon_system(system),
        "Alerts": {"CleanFilter": False, "Defrosting": False},
        "AwayModeSavedState": {
            "Master": {"TemperatureSetpoint_Cool_oC": 0.0, "TemperatureSetpoint_Heat_oC": 0.0}
        },
        "LiveAircon": _live_aircon(system, demand),
        "MasterInfo": _master_info(system),
        "NV_Limits": _limits(system),
        "NV_Schedule": _schedule(system),
        "NV_SystemSettings": _system_settings(system),
        "RemoteZoneInfo": [_zone(system, slot, zone) for slot, zone in enumerate(system.zones)],
        "Servicing": _servicing(system),
        "Installer": {"Id": "", "Name": "", "Email": "", "Phone": ""},
        "UserAirconSettings": _user_settings(system, demand),
        "type": "full-status-broadcast",
        "@metadata": {"connectionId": "", "server": f"sim{derived_hex(system.key, 6)}/5288"},
    }
    if not system.spec.is_que:
        state["NV_QuickTimer"] = _quick_timer(system)
    return state


def _r(value: float) -> float:
    return round(value, 1)


def _stamp(system: SystemState, seconds_ago: float) -> str:
    moment = datetime.fromtimestamp(system.last_report, UTC) - timedelta(seconds=seconds_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _controller_local(system: SystemState) -> Json:
    uptime = int(system.last_report) % 864000 + 3600
    return {
        "Cloud": {
            "ConnectionState": "Connected" if system.online else "Disconnected",
            "FailedSentPackets": 0,
            "ReceivedPackets": uptime // 6,
            "SentPackets": uptime // 8,
            "Connection": {
                "UpTime": {"SinceLastMCUReset_s": uptime, "CurrentSession_s": uptime},
                "SessionCount": {"SinceLastMCUReset": 0, "PriorToLastMCUReset": 0},
                "ErrorCount": {"AbortedSockets": 0, "LoopbackError": 0, "DNSFailures": 0},
            },
        },
        "Modbus": {"LinkPort": "IndoorUnit"},
        "NV_SystemSettings_Local": {
            "OTA": {
                "Mode": 2,
                "CheckInterval": {"Mode1_Period_min": 1440, "Mode2_TimeOfDay": "T02:00:00"},
                "LastCheck": {
                    "Trigger": "Scheduled",
                    "Time": _stamp(system, 36000),
                    "Result": "UpToDate",
                    "Images": [0],
                },
                "NextCheck": {"Time": _stamp(system, -50400)},
            }
        },
        "SystemState": {
            "CpuId": f"0x{derived_hex(f'cpu-{system.key}', 24)}",
            "LastShutdownReason": "Power On",
            "MCUResetCountSincePOR": {"Total": 0, "Remote": 0},
            "HardFaultDebug": {
                "Type": "0",
                "IncidentCount": 0,
                "LastIncidentTime": "NA",
                "CoreRegisterDump": dict.fromkeys(
                    ("R0", "R1", "R2", "R3", "R12", "LR", "PC", "PSR"), "0x00000000"
                ),
            },
            "WCFirmwareVersion": f"NEO v{system.spec.firmware}",
            "WCBootloaderVersion": "1.0.2.0",
            "ExternalFlash": {
                "GFXAssets": {
                    "Primary": {
                        "Version": {"Installed": "1.1.0.2", "Required": "1.1.0.2"},
                        "CRC": "OK",
                    },
                    "Secondary": {
                        "Version": {"Installed": "1.0.4.2", "Required": "1.0.4.2"},
                        "CRC": "OK",
                    },
                },
                "FirmwareImages": {
                    "STM32_NEO": system.spec.firmware,
                    "PIC24_ODU": "No Image",
                    "PIC24_Inzone": "3.30",
                    "NRF52_BLECentral": "1.1.0.0",
                    "NRF52_BLEPeripheral1": "1.1.4.2",
                    "WINC1500": "19.6.1",
                },
            },
        },
        "SystemStatus_Local": {
            "Uptime_s": uptime,
            "WifiStrength_of3": 3,
            "SensorInputs": {
                "SHTC1": {
                    "RelativeHumidity_pc": _r(system.master_humidity),
                    "Temperature_oC": _r(system.master_temperature),
                },
                "PSU_Voltage": 12.0,
                "AmbientLight": 42.0,
                "Thermistors": {
                    "NearAmbient_oC": _r(system.master_temperature + 1.2),
                    "WiFi_oC": 33.0,
                    "MainPCB_oC": 36.5,
                    "RoomAmbient_oC": _r(system.master_temperature),
                },
                "TOF": {"Enabled": True, "Range_mm": 1200.0},
            },
            "WiFi": {
                "FirmwareVersion": "19.6.1",
                "DriverVersion": "19.3.0",
                "ModuleMACAddress": derived_mac(f"wifi-{system.key}"),
                "ApSSID": system.spec.wifi_ssid,
                "ApBSSID": derived_mac(f"ap-{system.spec.wifi_ssid}"),
                "RFChannel": 6,
                "ConnectionCount": 1,
                "DisconnectCount": 0,
            },
            "TouchScreen": {"LastTouchTime": _stamp(system, 5400), "ControllerModel": "FT5426"},
            "GUI": {"ActiveScreen": "HOME" if system.settings.is_on else "DISPLAY OFF"},
            "BTLE": {"Central": {"Mode": "NEO2 BTLE", "FirmwareVersion": "1.1.0.0"}},
        },
    }


def _aircon_system(system: SystemState) -> Json:
    spec = system.spec
    fan_bits = sum(_FAN_BITS.values()) | (_AUTO_FAN_BIT if spec.auto_fan else 0)
    model = f"{round(spec.capacity_kw * 10):03d}"
    return {
        "MasterWCModel": spec.wall_controller_model,
        "MasterSerial": spec.serial.upper(),
        "MasterWCFirmwareVersion": spec.firmware,
        "IndoorUnit": {
            "Battery_Backup_Voltage": 3.1,
            "NV_ModelNumber": f"EVA{model}S",
            "SerialNumber": derived_hex(f"idu-{system.key}", 10),
            "IndoorFW": "3.99",
            "NV_SupportedFanModes": fan_bits,
            "NV_AutoFanEnabled": spec.auto_fan,
        },
        "OutdoorUnit": {
            "Family": "Inverter: Advance Series" if spec.inverter else "Fixed Speed: Classic",
            "Capacity_kW": spec.capacity_kw,
            "ModelNumber": f"{'EVV' if spec.inverter else 'CRA'}{model}T",
            "SerialNumber": derived_hex(f"odu-{system.key}", 10),
            "SoftwareVersion": "3.99",
            "CtrlBoardType": "Type 150: Uno" if spec.inverter else "Type 100: UnoJr",
        },
        "WallControllers": [
            {
                "Address": "C1",
                "Type": spec.wall_controller_model.split("-")[0],
                "FirmwareVersion": spec.firmware,
            }
        ],
        "Sensors": [
            {
                "Designator": "C1",
                "Detected": True,
                "Enabled": True,
                "Temperature_oC": _r(system.master_temperature),
                "TemperatureOffset_oC": 0.0,
            }
        ],
        "Peripherals": [
            _peripheral(system, slot, zone, number)
            for number, (slot, zone) in enumerate(_sensor_zones(system), start=1)
        ],
    }


def _sensor_zones(system: SystemState) -> list[tuple[int, ZoneState]]:
    return [
        (slot, zone)
        for slot, zone in enumerate(system.zones)
        if zone.exists and zone.sensor_serial is not None
    ]


def _battery(zone: ZoneState) -> int:
    return 60 + int(derived_hex(f"battery-{zone.sensor_serial}", 2), 16) % 40


def _peripheral(system: SystemState, slot: int, zone: ZoneState, number: int) -> Json:
    serial = zone.sensor_serial or ""
    return {
        "LogicalAddress": number,
        "DeviceType": "Zone Sensor",
        "SerialNumber": serial,
        "MACAddress": derived_mac(f"peripheral-{serial}"),
        # One-based here; API.md marks the base as uncertain, and clients should join on the serial.
        "ZoneAssignment": [slot + 1],
        "ConnectionState": "Connected",
        "Firmware": {
            "InstalledVersion": {"NRF52": "1.1.4.2", "EFM8": "NA"},
            "Update": {"CurrentState": "Idle", "RunCount": 0, "FailureCount": 0},
        },
        "LastConnectionTime": _stamp(system, 86400 + number * 60),
        "ConnectionEventCounts": number,
        "RSSI": {"Local": -58 - number, "Remote": -61 - number},
        "RemainingBatteryCapacity_pc": _battery(zone),
        "SensorInputs": {
            "SHTC1": {
                "RelativeHumidity_pc": _r(zone.humidity),
                "Temperature_oC": _r(zone.temperature),
            },
            "Thermistors": {
                "Ambient_oC": _r(zone.temperature),
                "Wall_oC": _r(zone.temperature - 0.4),
            },
        },
    }


def _live_aircon(system: SystemState, demand: physics.Demand) -> Json:
    spec = system.spec
    running = demand.compressor_mode != "OFF"
    power = physics.compressor_power(system, demand)
    outdoor = spec.outdoor_temperature
    coil_shift = (
        {"COOL": 8.0, "HEAT": -6.0}.get(demand.compressor_mode, 0.0) * demand.capacity / 100
    )
    chasing = (
        system.settings.heat_setpoint
        if demand.compressor_mode == "HEAT"
        else system.settings.cool_setpoint
    )
    rpm = physics.fan_rpm(system, demand)
    return {
        "AmRunningFan": demand.fan_running,
        "CoilInlet": _r(system.master_temperature - coil_shift / 2),
        "CompressorCapacity": demand.capacity,
        "CompressorChasingTemperature": chasing,
        "CompressorLiveTemperature": _r(system.master_temperature),
        "CompressorMode": demand.compressor_mode,
        "DRM": False,
        "Defrost": False,
        "ErrCode": 0,
        "FanPWM": round(rpm / 20),
        "FanRPM": rpm,
        "IndoorUnitTemp": _r(system.master_temperature),
        "OutdoorUnit": {
            "AmbTemp": outdoor,
            "AmbientSensErr": False,
            "CoilSenseErr": False,
            "CoilTemp": _r(outdoor + coil_shift),
            "CompPower": power,
            "CompRunningPWM": demand.capacity if spec.inverter else 0,
            "CompSpeed": _r(demand.capacity * 0.9) if spec.inverter else 0.0,
            "CompressorMode": _COMPRESSOR_CODES[demand.compressor_mode],
            "CompressorOn": running,
            "CompressorSetSpeed": demand.capacity if spec.inverter else 0,
            "CondPc": _r(15.0 + demand.capacity / 10),
            "DefrostMode": 0,
            "DischargeTemp": _r(outdoor + (35.0 if running else 0.0) * demand.capacity / 100),
            "EEV": {"Opening_pc": demand.capacity // 2, "SuperHeat": 4.0 if running else 0.0},
            "ErrCode_1": 0,
            "ErrCode_2": 0,
            "OilReturn": False,
            "RemoteOnOff": system.settings.is_on,
            "RoomTemp": _r(system.master_temperature),
            "RoomTempSet": chasing,
            "SuctTemp": _r(outdoor - coil_shift / 2),
            "ReverseValvePosition": "Heat" if demand.compressor_mode == "HEAT" else "Cool",
            "SupplyVoltage_Vac": 240.0,
            "SuppyCurrentRMS_A": _r(power / 240),
            "SuppyPowerRMS_W": float(power),
            "LPErr": False,
            "HPErr": False,
        },
        "SystemOn": system.settings.is_on,
    }


def _master_info(system: SystemState) -> Json:
    info: Json = {
        "LiveHumidity_pc": _r(system.master_humidity),
        "LiveOutdoorTemp_oC": system.spec.outdoor_temperature,
        "LiveTempHysteresis_oC": _r(system.master_temperature),
        "LiveTemp_oC": _r(system.master_temperature),
        "RemoteHumidity_pc": {system.spec.serial.upper(): _r(system.master_humidity)},
    }
    if system.spec.is_que:
        info["ControlAllZones"] = False
    return info


def _limits(system: SystemState) -> Json:
    spec = system.spec
    return {
        "UserSetpoint_oC": {
            "MinGap": spec.min_gap,
            "VarianceAboveMasterCool": spec.zone_variance,
            "VarianceAboveMasterHeat": spec.zone_variance,
            "VarianceBelowMasterCool": spec.zone_variance,
            "VarianceBelowMasterHeat": spec.zone_variance,
            "setCool_Max": spec.cool_max,
            "setCool_Min": spec.cool_min,
            "setHeat_Max": spec.heat_max,
            "setHeat_Min": spec.heat_min,
        }
    }


def _quick_timer(system: SystemState) -> Json:
    return {
        "Master": [
            {
                "OriginalTime": "01:00",
                "Status": "Stopped",
                "Mode": "Timer",
                "Time": "00:00:00",
                "Zones": [zone.exists for zone in system.zones],
            }
        ]
    }


def _schedule(system: SystemState) -> Json:
    plans = (
        ("Morning warm-up", "HEAT", "T06:30", "T08:00"),
        ("Evening cool", "COOL", "T17:00", "T21:00"),
    )
    return {
        "Enabled": False,
        "Events": [
            {
                "ID": number,
                "Name": name,
                "StartTime": start,
                "EndTime": end,
                "DaysOfOperation": list(_SCHEDULE_DAYS[:5]),
                "Enabled": number == 0,
                "EnabledZones": [zone.exists for zone in system.zones],
                "Mode": mode if mode in system.spec.supported_modes else system.spec.mode,
                "FanMode": "LOW",
                "TemperatureSetpoint_Cool_oC": system.spec.cool_setpoint,
                "TemperatureSetpoint_Heat_oC": system.spec.heat_setpoint,
            }
            for number, (name, mode, start, end) in enumerate(plans)
        ],
    }


def _system_settings(system: SystemState) -> Json:
    return {
        "AwayMode": {
            "TemperatureMinLimit_Cool_oC": 26.0,
            "TemperatureMaxLimit_Cool_oC": 36.0,
            "TemperatureMinLimit_Heat_oC": 10.0,
            "TemperatureMaxLimit_Heat_oC": 20.0,
        },
        "Logs": {"snapshotTime_ms": 900000},
        "Display": {
            "HomeScreen": {"BackgroundColour": "Black", "Brightness": 50},
            "ScreenSaver": {"Enabled": True, "Timeout_s": 60, "Brightness": 30},
            "ScreenOff": {"Enabled": True, "Timeout_s": 120},
        },
        "ProxmitySensor": {"Enabled": True, "Range_cm": 60},
        "LEDIndicators": {"WallGlow": {"Enabled": True}, "OnOffButton": {"Enabled": True}},
        "Locks": {
            "HomeScreen": {
                "ModeSelector": False,
                "TemperatureSetpoint": False,
                "FanSpeed": False,
                "OnOffButton": False,
            },
            "MenuSystem": {"Timer": False, "Schedule": False, "SystemSettings": False},
        },
        "SystemName": system.spec.description or f"NEO_{system.spec.serial.upper()}",
        "Time": {
            "SetAutomatically": True,
            "TimeMode24h": True,
            "Timezone": "Australia/Sydney",
            "Timezone_Readable": "NSW, Australia",
        },
        "UpdateTime": "T02:00:00",
        "UserACSettings": {
            "ControlParameters": {
                "Compressor": {
                    "CutIn": {"Cool_degC": 0.2, "Heat_degC": 0.2},
                    "CutOut": {
                        "Cool_degC": physics.SATISFIED_BELOW,
                        "Heat_degC": physics.SATISFIED_BELOW,
                    },
                    "Deadband_degC": 1.5,
                    "LowDemand": _per_mode({"Supported": True, "Enabled": False, "Trigger_pc": 0}),
                    "MinimumDemand": _per_mode(
                        {"Supported": True, "Enabled": False, "Demand_pc": 0}
                    ),
                    "MaximumDemand": _per_mode({"Supported": True, "Demand_pc": 100}),
                }
            },
            "FanAlertTime_h": 200,
            "Fanspeed": {
                "High": 85,
                "Low": 42,
                "Med": 56,
                "HighRPM": 1500,
                "LowRPM": 1150,
                "MedRPM": 1290,
            },
            "enableFastHeat": False,
            "restoreSettingsOnPowerUp": True,
        },
    }


def _per_mode(block: Json) -> Json:
    return {"Heat": dict(block), "Cool": dict(block)}


def _zone(system: SystemState, slot: int, zone: ZoneState) -> Json:
    enabled = system.settings.enabled_zones[slot]
    master_kind = {
        "Connected": True,
        "NV_Kind": "C1",
        "NV_isPaired": False,
        "Signal_of3": "NA",
    }
    sensors = (
        {
            zone.sensor_serial: {
                "Connected": True,
                "NV_Kind": f"ZS: {zone.sensor_serial}",
                "NV_isPaired": True,
                "Signal_of3": 3,
                "Battery_pc": _battery(zone),
                "TX_Power": 4,
            }
        }
        if zone.sensor_serial is not None
        else {system.spec.serial.upper(): master_kind}
    )
    return {
        "CanOperate": zone.can_operate and zone.exists,
        "CommonZone": False,
        "LiveHumidity_pc": _r(zone.humidity),
        "LiveTempHysteresis_oC": _r(zone.temperature),
        "LiveTemp_oC": _r(zone.temperature),
        "NV_Exists": zone.exists,
        "NV_Title": zone.name,
        "NV_VAV": zone.itc,
        "NV_ITC": zone.itc,
        "NV_ITD": False,
        "NV_IHD": zone.exists,
        "NV_IAC": False,
        "AirflowControlEnabled": zone.exists,
        "AirflowControlLocked": False,
        "NV_amSetup": zone.exists,
        "LastZoneProtection": False,
        "Sensors": sensors if zone.exists else {},
        "TemperatureSetpoint_Cool_oC": zone.cool_setpoint,
        "TemperatureSetpoint_Heat_oC": zone.heat_setpoint,
        "AirflowSetpoint": zone.airflow_setpoint,
        # Damper position in twentieths, as in real captures (x5 = percent).
        "ZonePosition": round(zone.airflow_setpoint / 5) if enabled and zone.exists else 0,
    }


def _servicing(system: SystemState) -> Json:
    ac_events = ("Compressor Start", "Compressor Stop", "Fan Speed Change", "Mode Change")
    wc_events = ("AP Connect (DHCP IP)", "Cloud Connect", "Cap Touch Button Event", "Screen Wake")
    return {
        "NV_ErrorHistory": [],
        "NV_AC_EventHistory": [
            {
                "Id": number,
                "Task": "MODBUS",
                "TimeStamp": _stamp(system, (_HISTORY_LENGTH - number) * 2700),
                "Event": ac_events[number % len(ac_events)],
                "Parameters": [number % 3, system.spec.serial.upper()],
            }
            for number in range(_HISTORY_LENGTH)
        ],
        "NV_WC_EventHistory": [
            {
                "Id": number,
                "Task": "WiFi" if number % 2 == 0 else "Touch Button Controller",
                "TimeStamp": _stamp(system, (_HISTORY_LENGTH - number) * 3100),
                "Event": wc_events[number % len(wc_events)],
                "Parameters": [{"State": str(number % 2)}],
            }
            for number in range(_HISTORY_LENGTH)
        ],
    }


def _user_settings(system: SystemState, demand: physics.Demand) -> Json:
    spec, settings = system.spec, system.settings
    return {
        "AfterHours": {"Enabled": False, "Duration": 120},
        "ApplicationMode": "Residential",
        "AwayMode": settings.away,
        "EnabledZones": list(settings.enabled_zones),
        "FanMode": settings.fan_mode,
        "Mode": settings.mode,
        "ModeSupport": {
            key: mode in spec.supported_modes for mode, key in _MODE_SUPPORT_KEYS.items()
        },
        "NV_SavedZoneState": list(settings.enabled_zones),
        "QuietMode": settings.quiet,
        "QuietModeEnabled": settings.quiet,
        "QuietModeActive": settings.quiet and demand.fan_running,
        "ServiceReminder": {"Enabled": False, "Time": "NA"},
        "VFT": {"Supported": spec.inverter, "Enabled": spec.inverter, "StaticPressure": 0.0},
        "TurboMode": {"Supported": spec.turbo_supported, "Enabled": settings.turbo},
        "TemperatureSetpoint_Cool_oC": settings.cool_setpoint,
        "TemperatureSetpoint_Heat_oC": settings.heat_setpoint,
        "ZoneTemperatureSetpointVariance_oC": spec.zone_variance,
        "isFastHeating": False,
        "isOn": settings.is_on,
        "ChangeSrc": {"Mode": "Cloud", "isOn": "Cloud"},
    }
