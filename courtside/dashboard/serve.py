"""``courtside dashboard``: gunicorn in-process, one worker (the embedded DuckDB file takes one writer
process) with threads; the warehouse adapter serialises its queries."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]


class DashboardServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from courtside.dashboard.wsgi import app

        return app


def serve(host: str, port: int) -> None:
    print(f"Courtside dashboard on http://{host}:{port}/", flush=True)
    DashboardServer({"bind": f"{host}:{port}", "workers": 1, "threads": 4, "worker_class": "gthread"}).run()
