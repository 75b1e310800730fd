"""A stateful simulator of the ActronAir Neo/Que cloud with injectable faults, for tests and demos.

It implements the cloud from `API.md` on its own (it imports neither the integration nor its API
client), so it catches the client's mistakes. Start with `SimulatedCloud`; see README.md beside this
file.
"""

from .auth import DEFAULT_TOKEN_LIFETIME
from .clock import Clock, ManualClock, system_clock
from .cloud import DEFAULT_SAVE_INTERVAL, RemoteBindError, SimulatedCloud, check_bind_host
from .commands import CommandError
from .faults import FaultError, FaultKind, FaultRule, Faults
from .requestlog import ENDPOINTS, CommandRecord, RequestLog, RequestRecord
from .scenario import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    AccountSpec,
    Scenario,
    ScenarioError,
    SystemSpec,
    ZoneSpec,
    default_scenario,
    demo_neo_system,
    demo_small_system,
    generate_scenario,
    load_scenario,
    que_system,
    scenario_from_dict,
)
from .state import DEFAULT_COMMAND_DELAY, CloudState, SystemNotFoundError, SystemOfflineError
from .statefile import StateFile, StateFileError

__all__ = [
    "DEFAULT_COMMAND_DELAY",
    "DEFAULT_SAVE_INTERVAL",
    "DEFAULT_TOKEN_LIFETIME",
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "ENDPOINTS",
    "AccountSpec",
    "Clock",
    "CloudState",
    "CommandError",
    "CommandRecord",
    "FaultError",
    "FaultKind",
    "FaultRule",
    "Faults",
    "ManualClock",
    "RemoteBindError",
    "RequestLog",
    "RequestRecord",
    "Scenario",
    "ScenarioError",
    "SimulatedCloud",
    "StateFile",
    "StateFileError",
    "SystemNotFoundError",
    "SystemOfflineError",
    "SystemSpec",
    "ZoneSpec",
    "check_bind_host",
    "default_scenario",
    "demo_neo_system",
    "demo_small_system",
    "generate_scenario",
    "load_scenario",
    "que_system",
    "scenario_from_dict",
    "system_clock",
]
