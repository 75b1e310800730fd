"""The state file: the simulated cloud's accounts, pairings, bearers and systems across restarts.

`StateFile(path).load(...)` returns the saved `CloudState`, or None when there is no file yet or it
cannot be used: then it logs a warning saying why, moves the file aside to `<name>.corrupt` (so
nothing is lost and the next save does not overwrite it) and the caller starts from its scenario.
`save(state)` writes atomically (a temporary file in the same folder, then a rename), only when
the content changed, and logs a warning instead of raising when it cannot: a simulator that cannot
save keeps serving. The file holds passwords and tokens (it is the fake cloud's own database), so
it is created readable by its owner only and its content is never logged.
"""

import contextlib
import json
import logging
import os
from pathlib import Path
import tempfile
from typing import TYPE_CHECKING, Final

from .scenario import ScenarioError
from .state import CloudState

if TYPE_CHECKING:
    from .clock import Clock

LOGGER = logging.getLogger(__package__)
FORMAT: Final = "actronair_neo_sim state"
VERSION: Final = 1
CORRUPT_SUFFIX: Final = ".corrupt"


class StateFileError(ValueError):
    """A state file that cannot be used; the message says why, never what the file holds."""


def _no_constant(name: str) -> float:
    raise StateFileError(f"{name} is not a number a state file can hold")


def decode(text: str) -> dict[str, object]:
    """Check a state file's framing and return its `state` part; raise StateFileError."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise StateFileError(f"not JSON ({err})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateFileError("not a simulator state file")
    if data.get("version") != VERSION:
        raise StateFileError(f"version {data.get('version')!r}; this simulator reads {VERSION}")
    state = data.get("state")
    if not isinstance(state, dict):
        raise StateFileError("no state in it")
    return state


def encode(state: CloudState) -> str:
    """Render the whole state as the file's text."""
    return json.dumps(
        {"format": FORMAT, "version": VERSION, "state": state.to_json()}, indent=1, sort_keys=True
    )


class StateFile:
    """Where the simulated cloud keeps its state between runs."""

    def __init__(self, path: Path) -> None:
        """Remember the path; nothing is read or written yet."""
        self.path = path
        self._saved: str | None = None

    def load(
        self, *, clock: Clock, command_delay: float, token_lifetime: float
    ) -> CloudState | None:
        """Return the saved state; None (after a warning, if there was a file) to start afresh."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as err:
            self._set_aside(f"cannot read it ({type(err).__name__}: {err})")
            return None
        try:
            state = CloudState.from_json(
                decode(text),
                clock=clock,
                command_delay=command_delay,
                token_lifetime=token_lifetime,
            )
        except (StateFileError, ScenarioError) as err:
            self._set_aside(err.redacted if isinstance(err, ScenarioError) else str(err))
            return None
        self._saved = text
        return state

    def _set_aside(self, why: str) -> None:
        aside = self.path.with_name(self.path.name + CORRUPT_SUFFIX)
        try:
            self.path.replace(aside)
        except OSError as err:
            where = f"it stays where it is ({err.strerror})"
        else:
            where = f"it was moved to {aside}"
        LOGGER.warning(
            "The state file %s cannot be used: %s. Starting afresh from the scenario; %s.",
            self.path,
            why,
            where,
        )

    def save(self, state: CloudState) -> bool:
        """Write the state if it changed since the last load or save; return whether it wrote."""
        text = encode(state)
        if text == self._saved:
            return False
        try:
            self._write(text)
        except OSError as err:
            LOGGER.warning("Cannot save the state file %s: %s", self.path, err)
            return False
        self._saved = text
        return True

    def _write(self, text: str) -> None:
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file readable by its owner only: it holds passwords and tokens.
        descriptor, temporary = tempfile.mkstemp(
            dir=directory, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
            raise
