"""Writes Terraform's generated inputs from their one source: ``python -m courtside.terraform_generate``.

- ``terraform/generated/bigquery_tables.json`` from ``schemas/bigquery/**.sql`` (courtside.terraform_tables)
- ``terraform/generated/topology.json`` from ``shared/topology.py`` (courtside.terraform_topology)

Terraform reads both with ``jsondecode(file(...))`` (``terraform/locals.tf``). ``--check`` writes nothing
and exits 1 when a file is stale; ``tests/infra`` runs the same comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from courtside.terraform_tables import terraform_tables
from courtside.terraform_topology import terraform_topology

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATED_DIR = REPO_ROOT / "terraform" / "generated"

GENERATORS: dict[str, Callable[[], dict[str, Any]]] = {
    "bigquery_tables.json": terraform_tables,
    "topology.json": terraform_topology,
}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def expected_files() -> dict[str, str]:
    return {name: render(generate()) for name, generate in GENERATORS.items()}


def stale_files(directory: Path = GENERATED_DIR) -> list[str]:
    """Names of generated files that are missing or differ from what their source generates now."""
    stale = []
    for name, text in expected_files().items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


def write_all(directory: Path = GENERATED_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_files().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if a generated file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for name in stale:
            print(f"stale: terraform/generated/{name} (run: python -m courtside.terraform_generate)")
        return 1 if stale else 0
    for path in write_all():
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
