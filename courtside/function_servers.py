"""Functions under functions-framework: each function of the topology as its own local HTTP server.

A server runs from the function's vendored folder ``build/functions/<name>/`` (``make vendor``) or, before
that exists, from ``functions/<name>/main.py`` with the repository on PYTHONPATH, on the embedded default
backend with one shared COURTSIDE_HOME.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from courtside.processes import RunningProcess, answers, spawn

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT = "courtside-local"


@dataclass(frozen=True)
class FunctionSource:
    function: str
    main: Path
    pythonpath: Path


def function_source(function: str, build_dir: Path = REPO_ROOT / "build" / "functions") -> FunctionSource:
    """The vendored folder when ``make vendor`` built it, else the repository's entry point."""
    vendored = build_dir / function / "main.py"
    if vendored.is_file():
        return FunctionSource(function, vendored, vendored.parent)
    return FunctionSource(function, REPO_ROOT / "functions" / function / "main.py", REPO_ROOT)


def start_function(source: FunctionSource, port: int, env: dict[str, str]) -> RunningProcess:
    argv = [sys.executable, "-m", "functions_framework", "--source", str(source.main)]
    argv += ["--target", source.function, "--signature-type", "cloudevent", "--port", str(port)]
    argv += ["--host", "127.0.0.1"]
    process_env = {**env, "PYTHONPATH": str(source.pythonpath)}
    return spawn(f"fn-{source.function}", argv, port, answers(f"http://127.0.0.1:{port}/"), process_env)


def function_env(home: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    for name in ("COURTSIDE_PUSH_ENDPOINTS", "PUBSUB_EMULATOR_HOST", "BIGQUERY_EMULATOR_HOST"):
        env.pop(name, None)
    env.update(
        {
            "COURTSIDE_BACKEND": "local",
            "COURTSIDE_HOME": str(home),
            "COURTSIDE_PROJECT": PROJECT,
            # Cloud Functions (2nd gen) default: one request at a time per instance.
            "THREADS": "1",
            "WORKERS": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env
