"""Which systems are production's: a pure rule on the system id, shared by the SQL and the services.

A walk-forward backtest predicts and grades through the production services, so its rows live in the
production tables under a system id of its own, ``<system_id>_wf_s<seed>``. Those systems are evidence for
``courtside experiment`` and never a deployed system: every operator surface (sharpness, diagnostics and its
alerts, the watchdog, the views and the dashboard) leaves them out. The SQL of those surfaces receives
``BACKTEST_SYSTEM_PATTERN`` as ``@backtest_system_pattern`` (``production_systems_param``); Python code asks
``is_production_system``. Both read this one pattern.
"""

from __future__ import annotations

import re
from typing import Final

BACKTEST_SYSTEM_PATTERN: Final = r"_wf_s[0-9]+$"
BACKTEST_SYSTEM_PARAM: Final = "backtest_system_pattern"
_BACKTEST = re.compile(BACKTEST_SYSTEM_PATTERN)


def backtest_system_id(system_id: str, seed: int) -> str:
    """The system a walk-forward of ``system_id`` with ``seed`` writes its predictions and grades under."""
    return f"{system_id}_wf_s{seed}"


def is_backtest_system(system_id: str) -> bool:
    return _BACKTEST.search(system_id) is not None


def is_production_system(system_id: str) -> bool:
    """True for a system that may be deployed (champion, shadows, the retrain); False for a backtest's."""
    return not is_backtest_system(system_id)


def production_systems_param() -> dict[str, str]:
    """The parameter operator-surface SQL filters with: ``NOT REGEXP_CONTAINS(system_id, @...)``."""
    return {BACKTEST_SYSTEM_PARAM: BACKTEST_SYSTEM_PATTERN}
