"""``make requirements``: write every ``functions/<name>/requirements.txt`` from one source.

A function pins exactly the distributions its code imports on Google Cloud, at the versions of
``requirements/dev.txt`` (the tested environment). What it imports is read from the import graph: its
``main.py`` (and the entry surface it calls), the composition root and its handler's service module
(loaded by name at run time), followed through every ``shared`` module they import, lazy imports inside
functions included, except

- the adapters the composition root builds only on the embedded default (``LOCAL_ONLY_ADAPTERS``): on
  Google Cloud the warehouse is BigQuery, the bus Pub/Sub, the blobs Cloud Storage;
- the Slack sink, which the composition root builds only when a service asks for the alert sink
  (``ALERT_SINK_USERS``: only alerts does; ``tests/deploy`` checks that no other function's code asks).

``RUNTIME_EXTRAS`` adds what a library imports without declaring it. Running a vendored folder on the
embedded default needs ``LOCAL_BACKEND_EXTRA`` on top (the development venv has it).
``python -m courtside.requirements_generate --check`` exits 1 when a file is stale.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from courtside.vendor import normalise, pinned_versions
from shared.handlers import HANDLERS
from shared.topology import FUNCTIONS

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSITION_ROOT = "shared.bootstrap"
LOCAL_ONLY_ADAPTERS = frozenset(
    {
        "shared.adapters.duckdb_warehouse",
        "shared.adapters.local_blob_store",
        "shared.adapters.http_push_bus",
        "shared.adapters.log_alert_sink",
    }
)
ALERT_SINK_ADAPTERS = frozenset({"shared.adapters.slack_alert_sink"})
ALERT_SINK_USERS = frozenset({"alerts"})
RUNTIME_EXTRAS: dict[str, dict[str, str]] = {
    "prediction": {"pandas": "imported by catboost when a model loads"},
    "training": {"pandas": "imported by catboost when it trains"},
}
LOCAL_BACKEND_EXTRA = ("duckdb",)
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


class RequirementsError(RuntimeError):
    pass


def imported_names(module_file: Path) -> list[tuple[str, str]]:
    """(imported dotted name, the module it is imported from) of every absolute import in a file.

    ``from a.b import c`` yields ``a.b`` and ``a.b.c`` (``c`` may be a submodule or a name in ``a.b``).
    """
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(module_file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.module))
            found += [(f"{node.module}.{alias.name}", node.module) for alias in node.names]
    return found


def shared_module_file(root: Path, dotted: str) -> Path | None:
    path = root / Path(*dotted.split("."))
    return next((c for c in (path.with_suffix(".py"), path / "__init__.py") if c.is_file()), None)


def gcp_modules(function: str, root: Path = REPO_ROOT) -> list[Path]:
    """The files of ``function``'s import graph on Google Cloud: main.py and the shared modules."""
    main = root / "functions" / function / "main.py"
    skipped = LOCAL_ONLY_ADAPTERS | (frozenset() if function in ALERT_SINK_USERS else ALERT_SINK_ADAPTERS)
    pending = [COMPOSITION_ROOT, HANDLERS[function].split(":")[0]]
    pending += [name for name, _ in imported_names(main) if name.split(".")[0] == "shared"]
    seen: dict[str, Path] = {}
    while pending:
        dotted = pending.pop()
        module_file = shared_module_file(root, dotted)
        if module_file is None or dotted in seen:
            continue  # a name imported from a module rather than a submodule
        seen[dotted] = module_file
        parts = dotted.split(".")
        pending += [".".join(parts[:n]) for n in range(1, len(parts))]  # parent packages run first
        for name, _ in imported_names(module_file):
            if name.split(".")[0] != "shared":
                continue
            if dotted == COMPOSITION_ROOT and name in skipped:
                continue
            pending.append(name)
    return [main, *sorted(seen.values())]


@cache
def _distributions_of_top_level() -> dict[str, list[str]]:
    return {name: [normalise(d) for d in dists] for name, dists in metadata.packages_distributions().items()}


def third_party_distributions(files: Iterable[Path]) -> set[str]:
    """Distributions of every third-party import in ``files`` (stdlib and ``shared`` left out)."""
    found: set[str] = set()
    for module_file in files:
        for name, _ in imported_names(module_file):
            top = name.split(".")[0]
            if top in {"shared", "__future__"} or top in sys.stdlib_module_names:
                continue
            namespaced = next((d for prefix, d in NAMESPACED.items() if name.startswith(prefix)), None)
            if namespaced:
                found.add(namespaced)
                continue
            if name in {"google", "google.cloud"}:
                continue  # namespace packages: the module under them names the distribution
            dists = _distributions_of_top_level().get(top)
            if not dists:
                raise RequirementsError(
                    f"{module_file}: import {name!r} is neither ours, stdlib nor installed"
                )
            found.update(dists)
    return found


def render(function: str, root: Path = REPO_ROOT) -> str:
    """The requirements.txt of ``function``: its Google Cloud imports, pinned as in requirements/dev.txt."""
    dev = pinned_versions(root / "requirements" / "dev.txt")
    extras = RUNTIME_EXTRAS.get(function, {})
    needed = third_party_distributions(gcp_modules(function, root)) | set(extras)
    unpinned = sorted(needed - set(dev))
    if unpinned:
        raise RequirementsError(f"{function} imports {unpinned}, which requirements/dev.txt does not pin")
    lines = [
        f"# What the {function} function imports on Google Cloud, pinned to requirements/dev.txt.",
        "# Generated by `make requirements` (python -m courtside.requirements_generate): do not edit.",
    ]
    for name in sorted(needed):
        why = f"  # {extras[name]}" if name in extras else ""
        lines.append(f"{name}=={dev[name]}{why}")
    return "\n".join(lines) + "\n"


def requirements_path(function: str, root: Path = REPO_ROOT) -> Path:
    return root / "functions" / function / "requirements.txt"


def stale_functions(root: Path = REPO_ROOT) -> list[str]:
    return [
        function
        for function in FUNCTIONS
        if not requirements_path(function, root).is_file()
        or requirements_path(function, root).read_text(encoding="utf-8") != render(function, root)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courtside.requirements_generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is stale, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_functions()
        for function in stale:
            print(f"stale: {requirements_path(function).relative_to(REPO_ROOT)} (run `make requirements`)")
        return 1 if stale else 0
    for function in FUNCTIONS:
        path = requirements_path(function)
        path.write_text(render(function), encoding="utf-8")
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
