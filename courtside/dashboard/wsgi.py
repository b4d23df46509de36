"""The WSGI entry point gunicorn serves (locally via ``courtside dashboard``, on Cloud Run as the container's
command): ``gunicorn courtside.dashboard.wsgi:app``. Adapters come from the composition root."""

from __future__ import annotations

from courtside.dashboard.app import create_app
from shared.bootstrap import build_dependencies

app = create_app(build_dependencies())
