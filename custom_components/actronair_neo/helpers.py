"""The one decorator every entity action goes through.

The decorated method builds a Command from the entity's current status; the decorator sends it
through the coordinator, which shows it at once, and turns client errors into translated Home
Assistant errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Concatenate

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .api import ActronError, ActronValidationError, Command
from .const import DOMAIN
from .coordinator import translated_error
from .entity import ActronEntity

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine


def actron_command[EntityT: ActronEntity, **P](
    func: Callable[Concatenate[EntityT, P], Command],
) -> Callable[Concatenate[EntityT, P], Coroutine[Any, Any, None]]:
    """Send the command the entity action builds; explain failures in the user's language.

    Bad input (ActronValidationError) becomes a ServiceValidationError keyed by the error's
    code; every other client error a HomeAssistantError.
    """

    async def action(entity: EntityT, /, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await entity.coordinator.async_send(entity.serial, func(entity, *args, **kwargs))
        except ActronValidationError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=err.code,
                translation_placeholders=err.placeholders,
            ) from err
        except ActronError as err:
            raise translated_error(HomeAssistantError, err) from err

    return action
