"""The operator tools' one console (CLI, ``make emulate``, ``make bench``): the terminal's width, or a wide
one when output goes to a file or CI log (rich would otherwise squeeze tables into 80 columns there)."""

from __future__ import annotations

import sys

from rich.console import Console

WIDE_COLUMNS = 200  # the widest table (the bench's notes, the emulated pipeline_runs) fits unwrapped

console = Console() if sys.stdout.isatty() else Console(width=WIDE_COLUMNS)
