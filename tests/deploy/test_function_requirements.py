"""Each function's requirements.txt is generated from one source: what it imports on Google Cloud.

The generator (``courtside/requirements_generate.py``) leaves out what the composition root builds only on
the embedded default, and the Slack sink for every function but those that ask for the alert sink. These
tests check those two claims against the code, and that no committed file is stale.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from courtside.requirements_generate import (
    ALERT_SINK_ADAPTERS,
    ALERT_SINK_USERS,
    COMPOSITION_ROOT,
    LOCAL_BACKEND_EXTRA,
    LOCAL_ONLY_ADAPTERS,
    gcp_modules,
    render,
    requirements_path,
    stale_functions,
)
from courtside.vendor import pinned_versions
from shared.topology import FUNCTIONS

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_every_committed_requirements_file_is_what_the_generator_writes() -> None:
    stale = stale_functions()
    assert not stale, f"stale requirements for {stale}: run `make requirements`"


def test_a_changed_requirements_file_is_reported_stale(tmp_path: Path) -> None:
    for folder in ("functions/ingest", "requirements"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "functions/ingest/main.py").write_bytes((REPO_ROOT / "functions/ingest/main.py").read_bytes())
    (tmp_path / "requirements/dev.txt").write_bytes((REPO_ROOT / "requirements/dev.txt").read_bytes())
    (tmp_path / "shared").symlink_to(REPO_ROOT / "shared")
    requirements_path("ingest", tmp_path).write_text(render("ingest") + "duckdb==2.0.1\n", encoding="utf-8")
    assert "ingest" in stale_functions(tmp_path)
    requirements_path("ingest", tmp_path).write_text(render("ingest", tmp_path), encoding="utf-8")
    assert "ingest" not in stale_functions(tmp_path)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_on_google_cloud_no_function_pins_the_embedded_warehouse_and_only_the_users_pin_their_libraries(
    function: str,
) -> None:
    pinned = set(pinned_versions(requirements_path(function)))
    assert not pinned & set(LOCAL_BACKEND_EXTRA), (
        f"{function} pins the embedded default's {LOCAL_BACKEND_EXTRA}"
    )
    assert ("pyarrow" in pinned) == (function == "ingest")  # only ingest reads Parquet
    assert ("slack-sdk" in pinned) == (function in ALERT_SINK_USERS)
    assert ("catboost" in pinned) == (function in {"prediction", "training"})  # they load or fit models


def _module_level_imports(module_file: Path) -> set[str]:
    tree = ast.parse(module_file.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def test_the_composition_root_imports_the_adapters_left_out_only_when_it_builds_them() -> None:
    root = REPO_ROOT / Path(*COMPOSITION_ROOT.split(".")).with_suffix(".py")
    eager = _module_level_imports(root) & (LOCAL_ONLY_ADAPTERS | ALERT_SINK_ADAPTERS)
    assert not eager, f"{COMPOSITION_ROOT} imports {eager} at module level: every function would load them"


def _asks_for_the_alert_sink(module_file: Path) -> bool:
    tree = ast.parse(module_file.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Attribute) and node.attr == "alert_sink" for node in ast.walk(tree))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_only_the_declared_users_ask_for_the_alert_sink_on_google_cloud(function: str) -> None:
    root = REPO_ROOT / Path(*COMPOSITION_ROOT.split(".")).with_suffix(".py")
    askers = [f for f in gcp_modules(function) if f != root and _asks_for_the_alert_sink(f)]
    if function in ALERT_SINK_USERS:
        assert askers, f"{function} is declared an alert-sink user but none of its modules asks for it"
    else:
        assert not askers, f"{function} asks for the alert sink in {askers}: add it to ALERT_SINK_USERS"
