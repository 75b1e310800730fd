"""Commands to one system within the merge window go out as one request."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from custom_components.actronair_neo.api import ActronSystemOfflineError, HvacMode, commands

from .conftest import (
    BASE,
    NEO_SERIAL,
    QUE_SERIAL,
    RESTORED_BEARER,
    ClientFactory,
    calls,
    command_url,
    restored_tokens,
    status_from,
)

if TYPE_CHECKING:
    from aioresponses import aioresponses

    from custom_components.actronair_neo.api import ActronNeoClient

ACK = {"correlationId": "c-1", "type": "ack", "value": None}
WINDOW = 0.05  # seconds; the commands below are all issued in the same loop iteration


def windowed(make_client: ClientFactory, window: float = WINDOW) -> ActronNeoClient:
    return make_client(
        tokens=restored_tokens(bearers={BASE: RESTORED_BEARER}), command_merge_window=window
    )


async def test_commands_to_one_system_merge_into_one_request(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = windowed(make_client)
    status = status_from()
    mock.post(command_url(), payload=ACK)

    results = await asyncio.gather(
        client.send(NEO_SERIAL, commands.power(True)),
        client.send(NEO_SERIAL.upper(), commands.mode(status, HvacMode.HEAT)),
        client.send(NEO_SERIAL, commands.setpoints(status, cool=25)),
        client.send(NEO_SERIAL, commands.mode(status, HvacMode.AUTO)),
    )

    [call] = calls(mock)
    assert str(call.url) == command_url()
    assert call.kwargs["json"] == {
        "command": {
            "UserAirconSettings.isOn": True,
            "UserAirconSettings.Mode": "AUTO",
            "UserAirconSettings.TemperatureSetpoint_Cool_oC": 25.0,
            "type": "set-settings",
        }
    }
    assert len({id(result) for result in results}) == 1
    assert results[0].correlation_id == "c-1"


async def test_different_systems_never_merge(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = windowed(make_client)
    mock.post(command_url(NEO_SERIAL), payload=ACK)
    mock.post(command_url(QUE_SERIAL), payload={**ACK, "correlationId": "c-2"})

    neo, que = await asyncio.gather(
        client.send(NEO_SERIAL, commands.power(True)),
        client.send(QUE_SERIAL, commands.power(False)),
    )

    [neo_call] = calls(mock, "POST", command_url(NEO_SERIAL))
    [que_call] = calls(mock, "POST", command_url(QUE_SERIAL))
    assert neo_call.kwargs["json"]["command"]["UserAirconSettings.isOn"] is True
    assert que_call.kwargs["json"]["command"]["UserAirconSettings.isOn"] is False
    assert (neo.correlation_id, que.correlation_id) == ("c-1", "c-2")


async def test_every_merged_caller_gets_the_error(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = windowed(make_client)
    mock.post(command_url(), status=503, payload={"type": "unavailable", "value": None})

    results = await asyncio.gather(
        client.send(NEO_SERIAL, commands.power(True)),
        client.send(NEO_SERIAL, commands.away(False)),
        return_exceptions=True,
    )

    assert len(calls(mock)) == 1
    assert all(isinstance(result, ActronSystemOfflineError) for result in results)


async def test_a_window_of_zero_sends_each_command(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = windowed(make_client, window=0)
    mock.post(command_url(), payload=ACK, repeat=True)

    await asyncio.gather(
        client.send(NEO_SERIAL, commands.power(True)),
        client.send(NEO_SERIAL, commands.away(False)),
    )

    assert len(calls(mock)) == 2


async def test_close_sends_what_is_pending(mock: aioresponses, make_client: ClientFactory) -> None:
    client = windowed(make_client, window=3600)
    mock.post(command_url(), payload=ACK)

    result, _ = await asyncio.gather(client.send(NEO_SERIAL, commands.quiet(True)), client.close())

    assert result.correlation_id == "c-1"
    [call] = calls(mock)
    assert call.kwargs["json"]["command"]["UserAirconSettings.QuietModeEnabled"] is True


async def test_a_caller_giving_up_does_not_cancel_the_request(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = windowed(make_client, window=3600)
    mock.post(command_url(), payload=ACK)
    impatient = asyncio.ensure_future(client.send(NEO_SERIAL, commands.power(True)))
    patient = asyncio.ensure_future(client.send(NEO_SERIAL, commands.away(True)))

    async def give_up_then_close() -> None:
        # Tasks start in creation order, so both commands are queued when this runs.
        impatient.cancel()
        await client.close()

    cancelled, result, _ = await asyncio.gather(
        impatient, patient, give_up_then_close(), return_exceptions=True
    )

    assert isinstance(cancelled, asyncio.CancelledError)
    assert not isinstance(result, BaseException)
    assert result.correlation_id == "c-1"
    [call] = calls(mock)
    assert set(call.kwargs["json"]["command"]) == {
        "UserAirconSettings.isOn",
        "UserAirconSettings.AwayMode",
        "type",
    }


async def test_callers_see_the_cancellation_of_the_request(
    mock: aioresponses, make_client: ClientFactory
) -> None:
    client = windowed(make_client, window=3600)
    started = asyncio.Event()

    async def hang(*_: object, **__: object) -> None:
        started.set()
        await asyncio.Event().wait()

    mock.post(command_url(), callback=hang)
    caller = asyncio.ensure_future(client.send(NEO_SERIAL, commands.power(True)))

    async def flush_then_cancel() -> None:
        flushing = asyncio.ensure_future(client.close())
        await started.wait()
        for request in client._merger._sending:
            request.cancel()
        await flushing

    outcome, _ = await asyncio.gather(caller, flush_then_cancel(), return_exceptions=True)

    assert isinstance(outcome, asyncio.CancelledError)
