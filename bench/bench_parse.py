"""The cost of reading a status: the model parse of the 28 KB status against `json.loads`."""

from __future__ import annotations

import json
from pathlib import Path
import timeit
from typing import TYPE_CHECKING, Final

from custom_components.actronair_neo.api import SystemStatus

if TYPE_CHECKING:
    from bench.results import Results

STATUS: Final = Path(__file__).parents[1] / "tests" / "fixtures" / "status_neo_full.json"
NUMBER: Final = 200
REPEAT: Final = 9
GOAL: Final = 1.5


def bench_parse(results: Results) -> None:
    """Model parse of the parsed JSON, per call, relative to json.loads of the same bytes."""
    raw = STATUS.read_bytes()
    data = json.loads(raw)
    serial = data["lastKnownState"]["AirconSystem"]["MasterSerial"]
    # Interleaved, so both see the same machine; the best of each is the least disturbed.
    decode, model = [], []
    for _ in range(REPEAT):
        decode.append(timeit.timeit(lambda: json.loads(raw), number=NUMBER) / NUMBER)
        model.append(
            timeit.timeit(lambda: SystemStatus.from_json(data, serial=serial), number=NUMBER)
            / NUMBER
        )
    ratio = min(model) / min(decode)
    results.add(
        "cpu",
        f"status parse ({len(raw) / 1024:.0f} KB): model / json.loads of the same bytes",
        f"{ratio:.2f}x (json.loads {min(decode) * 1e6:.0f} µs, model {min(model) * 1e6:.0f} µs;"
        f" bytes to model {(min(decode) + min(model)) / min(decode):.2f}x)",
        f"<= {GOAL}x",
        met=ratio <= GOAL,
    )
