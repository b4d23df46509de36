"""The layer contracts (.importlinter) hold on the real tree, and a wrong import breaks them by name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"  # installed beside the tests' interpreter
PACKAGES = ("shared", "courtside", "functions")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.is_file():
        pytest.fail(f"{LINT_IMPORTS} is missing: install requirements/dev.txt")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        check=False,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the packages and the contracts, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(REPO_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def add_import(module: Path, statement: str) -> None:
    module.write_text(module.read_text(encoding="utf-8") + f"\n{statement}\n", encoding="utf-8")


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint_imports(REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_domain_module_importing_the_composition_root_breaks_the_build(tree: Path) -> None:
    add_import(tree / "shared" / "domain" / "line_policy.py", "import shared.bootstrap  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "Domain imports no services" in result.stdout and "BROKEN" in result.stdout
    assert "shared.domain.line_policy -> shared.bootstrap" in result.stdout


def test_a_domain_module_importing_a_client_library_breaks_the_build(tree: Path) -> None:
    add_import(tree / "shared" / "domain" / "metrics.py", "import duckdb  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "shared.domain.metrics -> duckdb" in result.stdout


def test_a_service_importing_an_adapter_breaks_the_build(tree: Path) -> None:
    add_import(
        tree / "shared" / "services" / "raw_files.py", "from shared.adapters import inprocess_bus  # noqa"
    )
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "shared.services.raw_files -> shared.adapters.inprocess_bus" in result.stdout


def test_the_runtime_importing_the_composition_root_is_a_cycle(tree: Path) -> None:
    add_import(tree / "shared" / "runtime.py", "import shared.bootstrap  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "shared.runtime -> shared.bootstrap" in result.stdout
    assert "No cycles are allowed in shared" in result.stdout


def test_a_function_reaching_past_the_entry_breaks_the_build(tree: Path) -> None:
    add_import(tree / "functions" / "grading" / "main.py", "from shared.services import grading  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "functions.grading.main -> shared.services.grading" in result.stdout
