"""How one value reads in a table cell: the one formatting rule for the CLI's tables and the dashboard.

Counts read as integers whatever type the warehouse returned them in (``int``, a NumPy integer, an
integral ``Decimal`` from a NUMERIC column): ``31``, never ``31.00``. Other numbers get their decimals.
Instants read in US Eastern (``2026-01-15 03:00 ET``), never UTC. Booleans read ``yes``/``no``; lists are
joined.
"""

from __future__ import annotations

import numbers
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.clock import eastern_text


def is_boolean(value: Any) -> bool:
    """``bool`` or NumPy's boolean (not a Python ``bool`` subclass), without importing NumPy."""
    kind = type(value)
    return isinstance(value, bool) or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"))


def is_integral(value: Any) -> bool:
    """An integer type (``bool`` is not a count), or a ``Decimal`` without a fractional part."""
    if is_boolean(value):
        return False
    if isinstance(value, numbers.Integral):
        return True
    return isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()


def cell_text(value: Any, digits: int | None = None, missing: str = "") -> str:
    """``value`` as cell text: ``digits`` fixed decimals for non-integral numbers (a page's aligned columns),
    or, when ``None``, up to 3 decimals without trailing zeros (the CLI)."""
    if value is None:
        return missing
    if is_boolean(value):
        return "yes" if value else "no"
    if is_integral(value):
        return str(int(value))
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if digits is not None:
            return f"{number:.{digits}f}"
        return f"{number:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return eastern_text(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)
