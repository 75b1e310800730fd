"""The benchmarks' figures: each with its unit and goal, printed as a table and as Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One measured figure: what, for how many systems, how much, against which goal."""

    group: str
    name: str
    systems: int | None
    value: str
    goal: str
    met: bool | None = None  # None: a figure for reference, without a pass mark


@dataclass
class Results:
    """Every figure measured in a run, in the order measured, and samples to compare sizes."""

    figures: list[Figure] = field(default_factory=list)
    # metric -> number of systems -> value; the scaling rows compare them.
    samples: dict[str, dict[int, float]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)

    def sample(self, metric: str, systems: int, value: float, unit: str) -> None:
        """Keep a value measured with `systems` systems, for the scaling rows."""
        self.samples.setdefault(metric, {})[systems] = value
        self.units[metric] = unit

    def add_scaling(self) -> None:
        """Add a row per sampled metric: its value per system at each size, and the trend.

        Linear means each added system costs the same: the cost per added system between the
        two largest sizes is compared with that between the two smallest. Costs shared by all
        systems (or, for memory, holes the allocator fills first) change the cost per system
        at small sizes, not the cost per added system.
        """
        for metric, by_size in self.samples.items():
            sizes = sorted(by_size)
            if len(sizes) < MIN_SIZES:
                continue
            per_system = [by_size[size] / size for size in sizes]
            added = [
                (by_size[larger] - by_size[smaller]) / (larger - smaller)
                for smaller, larger in pairwise(sizes)
            ]
            trend = _ratio(added[-1], added[0])
            steps = ", ".join(
                f"{_number(cost)} from {smaller} to {larger}"
                for cost, (smaller, larger) in zip(added, pairwise(sizes), strict=True)
            )
            unit = self.units[metric]
            self.add(
                "scaling",
                f"{metric} per system at {' / '.join(map(str, sizes))} systems",
                f"{' / '.join(_number(value) for value in per_system)} {unit}; per added "
                f"system {steps} {unit} (x{trend:.2f})",
                f"linear: cost per added system flat (x <= {LINEAR_TOLERANCE})",
                met=trend <= LINEAR_TOLERANCE,
            )

    def add(
        self,
        group: str,
        name: str,
        value: str,
        goal: str,
        *,
        systems: int | None = None,
        met: bool | None = None,
    ) -> None:
        """Record a figure."""
        self.figures.append(
            Figure(group=group, name=name, systems=systems, value=value, goal=goal, met=met)
        )

    def rows(self) -> list[tuple[str, ...]]:
        """Return the figures as rows of text: group, figure, systems, measured, goal, met."""
        return [
            (
                figure.group,
                figure.name,
                "" if figure.systems is None else str(figure.systems),
                figure.value,
                figure.goal,
                {True: "yes", False: "NO", None: ""}[figure.met],
            )
            for figure in sorted(self.figures, key=_group_rank)
        ]

    def table(self) -> str:
        """Return the figures as a plain-text table."""
        rows = [HEADER, *self.rows()]
        widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(line.rstrip() for line in lines)

    def markdown(self) -> str:
        """Return the figures as a Markdown table."""
        lines = [_md_row(HEADER), _md_row(tuple("---" for _ in HEADER))]
        lines += [_md_row(row) for row in self.rows()]
        return "\n".join(lines)


HEADER = ("group", "figure", "systems", "measured", "goal", "met")
# How much the cost per system may grow from the smallest to the largest size and still count
# as linear (fixed costs shared by all systems make it shrink instead).
LINEAR_TOLERANCE = 1.25
# Sizes a scaling row needs: two steps, to compare the cost per added system of both.
MIN_SIZES = 3
# The table's order; within a group, figures keep the order they were measured in.
GROUPS = ("requests", "merging", "latency", "cpu", "setup", "memory", "scaling")


def _group_rank(figure: Figure) -> int:
    return GROUPS.index(figure.group) if figure.group in GROUPS else len(GROUPS)


def _ratio(later: float, first: float) -> float:
    """Return later / first; growth from nothing is infinite, nothing to nothing is flat."""
    if first > 0:
        return later / first
    return 1.0 if later == first == 0 else float("inf")


def _number(value: float) -> str:
    """Return three significant digits, without an exponent."""
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _md_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
