"""The client's exception hierarchy: every failure the client raises is an ActronError.

Messages are written for people and never contain a token, a password or a response body.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


class ActronError(Exception):
    """Base of every error raised by the ActronAir client."""


class ActronConnectionError(ActronError):
    """The cloud could not be reached, or the connection broke."""


class ActronTimeoutError(ActronConnectionError):
    """The cloud did not answer within the request timeout."""


class ActronResponseError(ActronError):
    """The cloud answered, but not with what was asked for."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        """Keep the HTTP status (None when the error was decided before any answer)."""
        super().__init__(message)
        self.status = status


class ActronAuthError(ActronResponseError):
    """The user must sign in again."""


class ActronInvalidCredentialsError(ActronAuthError):
    """Pairing refused the email or the password."""


class ActronPairingRevokedError(ActronAuthError):
    """The pairing token is missing, revoked or invalid."""


class ActronBearerRejectedError(ActronAuthError):
    """A freshly exchanged bearer token was still answered 401."""


class ActronRateLimitedError(ActronResponseError):
    """The cloud answered 429; no request is made before `retry_after` seconds pass."""

    def __init__(
        self, message: str, *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        """Keep how long to wait, in seconds (None when the cloud did not say)."""
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ActronServerError(ActronResponseError):
    """The cloud failed (5xx other than an offline wall controller)."""


class ActronSystemOfflineError(ActronResponseError):
    """The wall controller is offline (503 with type "unavailable")."""


class ActronSystemNotFoundError(ActronResponseError):
    """The cloud does not know the serial (404)."""


class ActronRequestRejectedError(ActronResponseError):
    """The cloud refused the request itself: a 4xx other than those above.

    For a command, usually a setting or a zone the system no longer has.
    """


class ActronInvalidResponseError(ActronResponseError):
    """Malformed JSON, an unexpected shape or an unexpected HTTP status."""


class ActronValidationError(ActronError, ValueError):
    """Bad input, refused before any request is made.

    `code` and `placeholders` let a caller show a translated message.
    """

    def __init__(
        self, message: str, *, code: str, placeholders: Mapping[str, str] | None = None
    ) -> None:
        """Keep a stable error code and the values that explain it."""
        super().__init__(message)
        self.code = code
        self.placeholders: dict[str, str] = dict(placeholders or {})
