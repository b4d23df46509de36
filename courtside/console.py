"""The operator tools' one console: the terminal's width, or a wide one when output goes to a file or CI log
(rich would otherwise squeeze tables into 80 columns there)."""

from __future__ import annotations

import sys

from rich.console import Console

console = Console() if sys.stdout.isatty() else Console(width=160)
