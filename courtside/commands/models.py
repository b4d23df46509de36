"""``courtside features`` (backfill the feature store) and ``courtside train`` (train + register a model).

Both call the very services the functions run: ``build_features`` and ``train_model``.

Backfill decision time: for each date, ``as_of`` = the date's first tip-off minus 1 hour (BACKFILL_LEAD), i.e.
what the morning/lines-driven build would have known shortly before the first game. ``built_at`` = as_of, so
re-running a backfill rewrites identical rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from courtside.console import console
from shared.clock import date_range
from shared.errors import MissingRowsError

if TYPE_CHECKING:
    from shared.bootstrap import Dependencies
    from shared.services.training import TrainingReport
    from shared.services.training_policy import TrainingWindow

BACKFILL_LEAD = timedelta(hours=1)


def backfill_features(start: date, end: date) -> None:
    from shared.bootstrap import build_dependencies
    from shared.clock import as_utc
    from shared.services.feature_store import build_features, games_of_date

    deps = build_dependencies()
    table = Table("date", "status", "rows", "ready", "with line", "detail")
    for day in date_range(start, end):
        games = games_of_date(deps.warehouse, day)
        if not games:
            continue
        as_of = min(as_utc(game["tipoff_utc"]) for game in games) - BACKFILL_LEAD
        try:
            report = build_features(deps.warehouse, day, as_of, deps.settings)
        except MissingRowsError as exc:  # e.g. the first date of the data has no history yet
            table.add_row(str(day), "[yellow]no rows[/]", "0", "0", "0", str(exc))
            continue
        table.add_row(
            str(day),
            report.status,
            str(report.rows_written),
            str(report.production_ready_rows),
            str(report.rows_with_line),
            report.reason,
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command("features")
    def features(
        date_from: Annotated[str, typer.Option("--from", help="First game date (YYYY-MM-DD, US Eastern)")],
        date_to: Annotated[str, typer.Option("--to", help="Last game date (inclusive)")],
    ) -> None:
        """Backfill the feature store, as_of = each date's first tip-off minus 1 hour."""
        backfill_features(date.fromisoformat(date_from), date.fromisoformat(date_to))

    @app.command("train")
    def train(
        date_from: Annotated[str, typer.Option("--from", help="First training game date")],
        date_to: Annotated[str, typer.Option("--to", help="Last training game date (inclusive)")],
        holdout_to: Annotated[
            str | None, typer.Option("--holdout-to", help="Last holdout date (default: --to + 30 days)")
        ] = None,
        alias: Annotated[str | None, typer.Option("--alias", help="champion or shadow")] = None,
        system_id: Annotated[
            str | None, typer.Option("--system-id", help="Default: the config's, else catboost_points_v1")
        ] = None,
        seed: Annotated[
            int | None, typer.Option("--seed", help="Default: the config's first, else 42")
        ] = None,
        iterations: Annotated[
            int | None, typer.Option("--iterations", help="Default: the config's, else 300")
        ] = None,
        config_path: Annotated[
            Path | None,
            typer.Option(
                "--config",
                help="experiments/<name>.yaml: train with its system, CatBoost parameters and first seed, "
                "and record it (by hash) as the model's config lineage, which `courtside promote` needs",
            ),
        ] = None,
    ) -> None:
        """Train a CatBoost points model on the feature store, register it, print holdout MAE vs baselines."""
        from courtside.commands.promotion import actor
        from shared.bootstrap import build_dependencies
        from shared.domain.features import FEATURE_VERSION, serves
        from shared.experiment_config import ExperimentConfigError, load_experiment_config
        from shared.services.model_registry import ALIASES
        from shared.services.promotion_log import AliasChange
        from shared.services.training import DEFAULT_SYSTEM_ID, train_model

        if alias is not None and alias not in ALIASES:
            raise typer.BadParameter(f"--alias must be one of {ALIASES}")
        params: dict[str, Any] = {}
        lineage = None
        if config_path is not None:
            try:
                config = load_experiment_config(config_path)
            except ExperimentConfigError as exc:
                console.print(f"[red]{exc}[/]")
                raise typer.Exit(2) from None
            if not serves(FEATURE_VERSION, config.feature_version):
                raise typer.BadParameter(
                    f"{config_path}: feature_version {config.feature_version}, the feature store's "
                    f"{FEATURE_VERSION} rows do not serve it"
                )
            params = {**config.catboost.model_dump(), "feature_version": config.feature_version}
            system_id = system_id or config.system_id
            seed = config.seeds[0] if seed is None else seed
            lineage = config.lineage(config_path.stem)
        if iterations is not None:
            params["iterations"] = iterations
        train_to = date.fromisoformat(date_to)
        holdout_end = date.fromisoformat(holdout_to) if holdout_to else train_to + timedelta(days=30)
        deps = build_dependencies()
        report = train_model(
            deps.warehouse,
            deps.blobs,
            deps.settings,
            date.fromisoformat(date_from),
            train_to,
            holdout_end,
            42 if seed is None else seed,
            system_id=system_id or DEFAULT_SYSTEM_ID,
            alias=alias,  # type: ignore[arg-type]
            config_lineage=lineage,
            alias_change=AliasChange(
                "assign", actor(), "courtside train --alias", environment=deps.settings.environment
            ),
            **params,
        )
        print_training_report(report)


def train_missing_models(deps: Dependencies, window: TrainingWindow) -> None:
    """The training policy's ``ensure_models``, saying what it trains and how each model did."""
    from shared.services.training_policy import systems_to_train, train_aliased_system

    for system in systems_to_train(deps.warehouse):
        console.print(
            f"training {system.description} on {window.train_from} .. {window.train_to} "
            f"(holdout to {window.holdout_to})"
        )
        print_training_report(train_aliased_system(deps.warehouse, deps.blobs, deps.settings, system, window))


def print_training_report(report: TrainingReport) -> None:
    aliased = f" alias {report.alias}" if report.alias else ""
    console.print(
        f"model [bold]{report.model_id}[/] {report.system_id} ({report.train_rows} train rows, "
        f"{report.holdout_rows} holdout rows, {report.duration_seconds:.1f}s){aliased}"
    )
    table = Table("holdout MAE", "points")
    for name, value in report.comparison():
        table.add_row(name, "n/a" if value is None else f"{value:.3f}")
    console.print(table)
    if report.demoted:
        console.print(f"demoted: {', '.join(report.demoted)}")
