"""Every vendored function folder deploys alone.

For each function: the folder built by ``make vendor`` imports and handles a sample event in a fresh,
isolated interpreter that cannot see the repository (on the embedded default, with the development
venv's packages); every third-party module its code imports on Google Cloud is pinned in its requirements
file at the version tested here, and on the embedded default only the declared local-backend extra
(``LOCAL_BACKEND_EXTRA`` of ``courtside/requirements_generate.py``) comes on top; heavy libraries stay
out of functions that do not need them.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from courtside.requirements_generate import (
    ALERT_SINK_ADAPTERS,
    ALERT_SINK_USERS,
    COMPOSITION_ROOT,
    LOCAL_BACKEND_EXTRA,
    LOCAL_ONLY_ADAPTERS,
)
from courtside.vendor import build_all, normalise, pinned_versions
from shared.experiment_config import load_experiment_config
from shared.handlers import HANDLERS
from shared.topology import FUNCTIONS
from tests.deploy.sample_events import SAMPLE_EVENTS, SAMPLE_SCHEDULE_CSV

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"catboost", "pandas"}
# catboost imports pandas when it loads or trains a model; only prediction loads one and only training trains.
ALLOWED_HEAVY = {"prediction": {"catboost", "pandas"}, "training": {"catboost", "pandas"}}
GOOGLE_CLIENTS = ("google.cloud.bigquery", "google.cloud.pubsub", "google.cloud.storage", "google.api_core")
# Namespace packages: the import path decides the distribution.
NAMESPACED = {
    "google.cloud.bigquery": "google-cloud-bigquery",
    "google.cloud.pubsub_v1": "google-cloud-pubsub",
    "google.cloud.pubsub": "google-cloud-pubsub",
    "google.cloud.storage": "google-cloud-storage",
    "google.pubsub_v1": "google-cloud-pubsub",
    "google.api_core": "google-api-core",
    "google.auth": "google-auth",
    "google.oauth2": "google-auth",
}

RUNNER = textwrap.dedent(
    """
    import base64, json, sys
    folder, function, topic, payload = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    sys.path.insert(0, folder)
    import main
    from cloudevents.http import CloudEvent
    envelope = {"message": {"data": base64.b64encode(payload.encode()).decode(),
                            "attributes": {"courtside_topic": topic}, "messageId": "sample-1",
                            "publishTime": "2026-01-14T15:00:00Z"}}
    event = CloudEvent({"id": "sample-1", "type": "google.cloud.pubsub.topic.v1.messagePublished",
                        "source": "//pubsub.googleapis.com/projects/p/topics/" + topic}, envelope)
    getattr(main, function)(event)
    import shared, shared.bootstrap
    runs = shared.bootstrap.default_dependencies().warehouse.query(
        "SELECT status, detail, error FROM nba_orchestration.pipeline_runs_latest WHERE function_name = @f",
        {"f": function})
    print(json.dumps({"shared": shared.__file__, "path": sys.path, "runs": runs,
                      "modules": sorted({m.split(".")[0] for m in sys.modules}),
                      "google": sorted(m for m in sys.modules if m.startswith("google."))}, default=str))
    """
)


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "functions"
    build_all(out)
    return out


def run_isolated(folder: Path, function: str, home: Path) -> dict[str, Any]:
    topic, payload = SAMPLE_EVENTS[function]
    env = {"COURTSIDE_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)}
    completed = subprocess.run(
        [sys.executable, "-I", "-c", RUNNER, str(folder), function, topic, json.dumps(payload)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("function", FUNCTIONS)
def test_vendored_folder_imports_and_handles_a_sample_event_alone(
    build_dir: Path, tmp_path: Path, function: str
) -> None:
    folder = build_dir / function
    home = tmp_path / "home"
    if function == "ingest":
        raw = home / "blobs" / "courtside-local-courtside-raw" / "schedule"
        raw.mkdir(parents=True)
        (raw / "sample.csv").write_text(SAMPLE_SCHEDULE_CSV, encoding="utf-8")
    result = run_isolated(folder, function, home)
    assert Path(result["shared"]).is_relative_to(folder)
    assert str(REPO_ROOT) not in result["path"]
    [run] = result["runs"]
    assert run["status"] in {"success", "skipped"}, run
    heavy_loaded = HEAVY & set(result["modules"])
    assert heavy_loaded <= ALLOWED_HEAVY.get(function, set()), f"{function} imported {heavy_loaded}"
    # On the local backend no Google client library loads (functions-framework's own google.cloud.functions
    # is the only google.* package a function imports); nor does grpc.
    clients = [m for m in result["google"] if m.startswith(GOOGLE_CLIENTS)]
    assert not clients and "grpc" not in result["modules"], f"{function} imported {clients}"


def test_the_vendored_training_function_finds_its_retrain_config(build_dir: Path, tmp_path: Path) -> None:
    folder = build_dir / "training"
    assert (folder / "experiments" / "v1_baseline.yaml").is_file()
    [run] = run_isolated(folder, "training", tmp_path / "home")["runs"]
    # The config was read from the folder (its hash is in the detail) before the empty warehouse was seen.
    config = load_experiment_config(REPO_ROOT / "experiments" / "v1_baseline.yaml")
    assert (
        run["status"] == "skipped" and f"v1_baseline (sha256 {config.config_hash[:12]})" in run["detail"]
    ), run


def test_a_vendored_function_without_its_retrain_config_refuses_to_start(
    build_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "training"
    shutil.copytree(build_dir / "training", folder)
    (folder / "experiments" / "v1_baseline.yaml").unlink()
    topic, payload = SAMPLE_EVENTS["training"]
    home = tmp_path / "home"
    completed = subprocess.run(
        [sys.executable, "-I", "-c", RUNNER, str(folder), "training", topic, json.dumps(payload)],
        cwd=folder,
        env={"COURTSIDE_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert "COURTSIDE_RETRAIN_EXPERIMENT='v1_baseline'" in completed.stderr, completed.stderr[-3000:]


@cache
def _distribution_of_top_level() -> dict[str, list[str]]:
    return {name: [normalise(d) for d in dists] for name, dists in metadata.packages_distributions().items()}


def third_party_distributions(module_file: Path) -> set[str]:
    """Distributions of every absolute import in a file (lazy imports inside functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module_file.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from google.cloud import bigquery` names the google.cloud.bigquery package.
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            top = name.split(".")[0]
            if top in {"shared", "__future__"} or top in sys.stdlib_module_names:
                continue
            namespaced = next((d for prefix, d in NAMESPACED.items() if name.startswith(prefix)), None)
            if namespaced:
                found.add(namespaced)
                continue
            dists = _distribution_of_top_level().get(top)
            assert dists, f"{module_file}: import {name!r} is neither ours, stdlib nor installed"
            found.update(dists)
    return found


def shared_modules_reachable(
    folder: Path, roots: list[str], not_built: frozenset[str] = frozenset()
) -> set[Path]:
    """Static closure of the ``shared`` modules a function can import, following lazy imports too, except
    the ``not_built`` adapters where the composition root imports them (elsewhere they still count)."""
    seen: set[Path] = set()
    pending = list(roots)
    while pending:
        dotted = pending.pop()
        path = folder / Path(*dotted.split("."))
        candidates = [path.with_suffix(".py"), path / "__init__.py"]
        module_file = next((c for c in candidates if c.is_file()), None)
        assert module_file is not None, f"{dotted} is imported but not vendored into {folder.name}"
        if module_file in seen:
            continue
        seen.add(module_file)
        parts = dotted.split(".")
        for parent in range(1, len(parts)):
            pending.append(".".join(parts[:parent]))
        imported: list[str] = []
        for node in ast.walk(ast.parse(module_file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "shared":
                imported.append(node.module)
                imported.extend(
                    f"{node.module}.{a.name}"
                    for a in node.names
                    if (folder / Path(*node.module.split(".")) / f"{a.name}.py").is_file()
                )
            elif isinstance(node, ast.Import):
                imported.extend(a.name for a in node.names if a.name.split(".")[0] == "shared")
        excluded = not_built if dotted == COMPOSITION_ROOT else frozenset()
        pending.extend(name for name in imported if name not in excluded)
    return seen


def third_party_imports(folder: Path, function: str, not_built: frozenset[str]) -> set[str]:
    service_module = HANDLERS[function].split(":")[0]
    roots = ["shared.runtime", COMPOSITION_ROOT, service_module]
    needed = third_party_distributions(folder / "main.py")
    for module_file in shared_modules_reachable(folder, roots, not_built):
        needed |= third_party_distributions(module_file)
    return needed


def alert_sink_not_built(function: str) -> frozenset[str]:
    return frozenset() if function in ALERT_SINK_USERS else ALERT_SINK_ADAPTERS


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_third_party_import_on_google_cloud_is_pinned_in_the_functions_requirements(
    build_dir: Path, function: str
) -> None:
    folder = build_dir / function
    needed = third_party_imports(folder, function, LOCAL_ONLY_ADAPTERS | alert_sink_not_built(function))
    pinned = pinned_versions(folder / "requirements.txt")
    missing = sorted(needed - set(pinned))
    assert not missing, f"{function} imports {missing} but its requirements.txt does not list them"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_on_the_embedded_default_a_function_needs_only_the_local_backend_extra_on_top(
    build_dir: Path, function: str
) -> None:
    folder = build_dir / function
    needed = third_party_imports(folder, function, alert_sink_not_built(function))
    pinned = pinned_versions(folder / "requirements.txt")
    missing = sorted(needed - set(pinned) - set(LOCAL_BACKEND_EXTRA))
    assert not missing, f"{function} imports {missing} on the embedded default, beyond {LOCAL_BACKEND_EXTRA}"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_function_pins_match_the_tested_environment(function: str) -> None:
    dev = pinned_versions(REPO_ROOT / "requirements" / "dev.txt")
    for name, version in pinned_versions(REPO_ROOT / "functions" / function / "requirements.txt").items():
        assert dev.get(name) == version, f"{function} pins {name}=={version}, tests run {dev.get(name)}"
