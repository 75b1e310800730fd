"""Every token the simulated cloud hands out, recorded as it is minted.

Read from the cloud's own state rather than from what the integration kept: a token replaced by a
later pairing or exchange is gone from both, but must not be in a log either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from actronair_neo_sim import SimulatedCloud


class TokenLedger:
    """Records the pairing and bearer tokens a simulated cloud mints from now on."""

    def __init__(self) -> None:
        """Start with no token."""
        self.pairing: set[str] = set()
        self.bearers: set[str] = set()

    @property
    def all(self) -> set[str]:
        """Return every token recorded."""
        return self.pairing | self.bearers

    def watch(self, cloud: SimulatedCloud) -> None:
        """Record what the cloud's pairings and exchanges mint."""
        auth = cloud.state.auth
        pair, exchange = auth.pair, auth.exchange

        def recorded_pair(**kwargs: Any) -> Any:
            device = pair(**kwargs)
            self.pairing.add(device.pairing_token)
            return device

        def recorded_exchange(pairing_token: str, host: str) -> Any:
            bearer = exchange(pairing_token, host)
            self.bearers.add(bearer.token)
            return bearer

        auth.pair = recorded_pair  # type: ignore[method-assign]
        auth.exchange = recorded_exchange  # type: ignore[method-assign]
