"""The bench's report: each measurement next to its target, as a table and as ``results.json``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.table import Table

from courtside.console import console


@dataclass
class Measurement:
    group: str
    name: str
    value: float
    unit: str  # s | MB | count
    target: float | None = None
    note: str = ""

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.value < self.target


def _format(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g}"


def print_table(measurements: list[Measurement], title: str) -> None:
    table = Table(title=title)
    for column in ("group", "measurement", "target", "measured", "", "note"):
        table.add_column(column, justify="right" if column in {"target", "measured"} else "left")
    for m in measurements:
        marker = {True: "[green]pass[/]", False: "[bold red]MISS[/]", None: ""}[m.passed]
        target = f"< {_format(m.target, m.unit)}" if m.target is not None else ""
        table.add_row(m.group, m.name, target, _format(m.value, m.unit), marker, m.note)
    console.print(table)


def write_results(
    path: Path, chosen_date: str, measurements: list[Measurement], deliveries: list[Any], **sections: Any
) -> None:
    """``results.json``: the date, every measurement, every delivery, and any further named sections."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "date": chosen_date,
                "measurements": [{**asdict(m), "passed": m.passed} for m in measurements],
                "deliveries": [{**asdict(r), "cold_s": r.cold_s} for r in deliveries],
                **sections,
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
