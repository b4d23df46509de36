"""The Flask app: pages and JSON endpoints over ``shared/services/views`` (no SQL here or in templates).

Every page takes ``?date=YYYY-MM-DD`` (US Eastern game date); without it, the latest date with predictions
on or before today. A view with nothing to show renders its one-line reason, never an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider

from courtside import cells
from courtside.dashboard import pages
from shared.bootstrap import Dependencies
from shared.clock import today_et
from shared.services.views.common import NothingToShowError, latest_prediction_date
from shared.services.views.sharpness import sharpness_by_tier, sharpness_summary, sharpness_trend

PAGES = (
    ("overview", "/", "Overview"),
    ("sharpness", "/sharpness", "Vegas sharpness"),
    ("performance", "/performance", "Performance"),
    ("completeness", "/completeness", "Data completeness"),
    ("models", "/models", "Models"),
    ("player", "/player", "Player"),
)


def create_app(deps: Dependencies) -> Flask:
    app = Flask(__name__)
    app.json = IsoDatesJSON(app)
    app.jinja_env.filters["cell"] = cells.cell_text

    def selected_date() -> date:
        raw = request.args.get("date", "").strip()
        if raw:
            try:
                return date.fromisoformat(raw)
            except ValueError:
                abort(400, description=f"date must be YYYY-MM-DD, not {raw!r}")
        today = today_et()
        return latest_prediction_date(deps.warehouse, today) or today

    def page(name: str, build: Callable[[Dependencies, date], dict[str, Any]]) -> Callable[[], str]:
        def view() -> str:
            day = selected_date()
            try:
                context = build(deps, day)
                message = None
            except NothingToShowError as exc:
                context, message = {}, str(exc)
            return render_template(
                f"{name}.html",
                pages=PAGES,
                current=name,
                day=day,
                message=message,
                args=request.args,
                **context,
            )

        view.__name__ = f"{name}_page"
        return view

    app.add_url_rule("/", view_func=page("overview", pages.overview))
    app.add_url_rule("/sharpness", view_func=page("sharpness", pages.sharpness))
    app.add_url_rule("/performance", view_func=page("performance", pages.performance))
    app.add_url_rule("/completeness", view_func=page("completeness", pages.completeness))
    app.add_url_rule("/models", view_func=page("models", pages.models))
    app.add_url_rule(
        "/player", view_func=page("player", lambda d, day: pages.player(d, day, request.args.get("q", "")))
    )

    def api(build: Callable[[Dependencies, date], Any]) -> Callable[[], Response | tuple[Response, int]]:
        def endpoint() -> Response | tuple[Response, int]:
            day = selected_date()
            try:
                return jsonify(build(deps, day))
            except NothingToShowError as exc:
                return jsonify({"error": str(exc), "date": day.isoformat()}), 404

        return endpoint

    routes: dict[str, Callable[[Dependencies, date], Any]] = {
        "/api/vegas-sharpness/trend": lambda d, day: sharpness_trend(d.warehouse, day, _system()),
        "/api/vegas-sharpness/by-tier": lambda d, day: sharpness_by_tier(d.warehouse, day, _system()),
        "/api/vegas-sharpness/summary": lambda d, day: sharpness_summary(d.warehouse, day, _system()),
        "/api/picks": lambda d, day: asdict(pages.picks_of(d, day)),
        "/api/health": pages.health_json,
        "/api/performance": pages.performance_data,
        "/api/completeness": pages.completeness_data,
        "/api/models": pages.models_data,
    }
    for rule, build in routes.items():
        app.add_url_rule(rule, endpoint=rule, view_func=api(build))

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"ok": True})

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return app.send_static_file("favicon.svg")

    return app


class IsoDatesJSON(DefaultJSONProvider):
    """Dates as ``2026-01-15`` (Flask's default is an HTTP date), keys in the services' order."""

    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, datetime | date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def _system() -> str | None:
    return request.args.get("system") or None
