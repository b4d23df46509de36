"""Child processes of the operator tools: start one on a port, wait until it answers, stop it, always.

Every child starts in its own process group and is stopped by signalling the group (the Pub/Sub
emulator's JVM ignores SIGTERM, and a server may have forked workers). ``stopped_on_signal`` turns
SIGTERM/SIGHUP into SystemExit, so the callers' ``finally`` blocks stop every child on the way out.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

START_TIMEOUT_SECONDS = 30.0


class ProcessStartError(RuntimeError):
    """The child exited while starting, or did not answer in time; the message carries its log's tail."""


@dataclass
class RunningProcess:
    name: str
    host: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    cleanup: list[Callable[[], None]] = field(default_factory=list)

    @property
    def address(self) -> str:
        """``host:port``, what PUBSUB_EMULATOR_HOST wants."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """``http://host:port``, what BIGQUERY_EMULATOR_HOST and STORAGE_EMULATOR_HOST want."""
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        stop_process_group(self.process)
        for step in self.cleanup:
            step()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def spawn(
    name: str, argv: list[str], port: int, ready: Callable[[], bool], env: dict[str, str] | None = None
) -> RunningProcess:
    """Start ``argv`` (output to a temporary log file) and wait until ``ready()`` says it answers."""
    log = Path(tempfile.mkstemp(prefix=f"courtside-{name}-", suffix=".log")[1])
    with log.open("wb") as sink:
        process = subprocess.Popen(
            argv, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True, env=env or os.environ.copy()
        )
    running = RunningProcess(name, "127.0.0.1", port, process, log)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise ProcessStartError(f"{name} exited with {process.returncode} while starting: {tail}")
        if ready():
            return running
        time.sleep(0.1)
    running.stop()
    raise ProcessStartError(f"{name} did not answer within {START_TIMEOUT_SECONDS:.0f}s (log: {log})")


def answers(url: str) -> Callable[[], bool]:
    """A readiness check: ``url`` answers with anything but a server error."""

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return bool(response.status < 500)
        except urllib.error.HTTPError as exc:
            return exc.code < 500
        except OSError:
            return False

    return check


def stop_process_group(process: subprocess.Popen[bytes], grace_seconds: float = 3.0) -> None:
    """SIGTERM the group, then SIGKILL it (the Pub/Sub emulator's JVM ignores SIGTERM)."""
    if process.poll() is not None:
        return
    try:
        group = os.getpgid(process.pid)
    except ProcessLookupError:
        return
    for sig, wait in ((signal.SIGTERM, grace_seconds), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def stopped_on_signal() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into SystemExit so the ``finally`` blocks stop every child process."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
