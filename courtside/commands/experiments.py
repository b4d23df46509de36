"""``courtside experiment run|show|compare|calibration``: walk-forward backtests of experiments/<name>.yaml.

Thin: the walk-forward is ``shared.services.walk_forward``, the figures ``shared.services.experiment_reports``
(docs/experiments.md). Every figure is printed with its population size.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from courtside.console import console
from shared.domain.evaluation import (
    BetFigures,
    Difference,
    ErrorFigure,
    Evaluation,
    EvaluationMode,
)
from shared.domain.metrics import HitRate
from shared.experiment_config import ExperimentConfigError, load_experiment_config
from shared.services.experiment_reports import (
    ComparisonReport,
    RunReport,
    UnknownRunError,
    compare_runs,
    report_json,
    show_run,
)

experiment_app = typer.Typer(help="Walk-forward experiments on the production path.", no_args_is_help=True)

ModeOption = Annotated[
    EvaluationMode,
    typer.Option("--mode", help="production-equivalent (the bets production would have made) or all-rows"),
]
FormatOption = Annotated[str, typer.Option("--format", help="table or json")]


def register(app: typer.Typer) -> None:
    app.add_typer(experiment_app, name="experiment")


@experiment_app.command("run")
def run_command(
    config_path: Annotated[Path, typer.Argument(help="experiments/<name>.yaml")],
    date_from: Annotated[
        str | None, typer.Option("--from", help="First evaluated date (default: config)")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last evaluated date (default: config)")] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="One of the config's seeds (default: all)")
    ] = None,
) -> None:
    """Walk forward: per fold train, predict and grade through the production services, record evidence."""
    from shared.bootstrap import build_dependencies
    from shared.services.walk_forward import plan_folds, run_walk_forward

    try:
        config = load_experiment_config(config_path)
    except ExperimentConfigError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    seeds = config.seeds if seed is None else [seed]
    if seed is not None and seed not in config.seeds:
        raise typer.BadParameter(f"--seed {seed} is not one of the config's seeds {config.seeds}")
    start = date.fromisoformat(date_from) if date_from else config.evaluation.date_from
    end = date.fromisoformat(date_to) if date_to else config.evaluation.date_to
    folds = plan_folds(config, start, end)
    deps = build_dependencies()
    days = (end - start).days + 1
    for one_seed in seeds:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(f"{config_path.stem} seed {one_seed}: {len(folds)} folds", total=days)

            def advance(day: date, task_id: Any = task) -> None:
                progress.update(task_id, completed=(day - start).days + 1, description=f"predicted {day}")

            report = run_walk_forward(
                deps.warehouse,
                deps.blobs,
                deps.settings,
                config,
                config_path.stem,
                one_seed,
                cache=deps.cache,
                date_from=start,
                date_to=end,
                on_date=advance,
            )
        console.print(
            f"run [bold]{report.run_id}[/] ({report.backtest_system_id}, {len(report.folds)} folds, "
            f"{report.duration_seconds:.1f}s)"
        )
        print_report(show_run(deps.warehouse, report.run_id, EvaluationMode.PRODUCTION_EQUIVALENT))


@experiment_app.command("show")
def show_command(
    run_id: Annotated[str, typer.Argument(help="A run id printed by `courtside experiment run`")],
    mode: ModeOption = EvaluationMode.PRODUCTION_EQUIVALENT,
    output: FormatOption = "table",
) -> None:
    """One run: bets, hit rate and interval, ROI, MAE and bias vs baselines, calibration, CLV, breakdowns."""
    report = _load(lambda warehouse: show_run(warehouse, run_id, mode))
    _emit(report, output)


@experiment_app.command("compare")
def compare_command(
    run_ids: Annotated[list[str], typer.Argument(help="Two or more run ids; the first is paired with each")],
    mode: ModeOption = EvaluationMode.PRODUCTION_EQUIVALENT,
    output: FormatOption = "table",
) -> None:
    """Runs side by side, and the first paired with each other on the bets both made."""
    if len(run_ids) < 2:
        raise typer.BadParameter("compare needs at least two run ids")
    report = _load(lambda warehouse: compare_runs(warehouse, run_ids, mode))
    _emit(report, output)


@experiment_app.command("calibration")
def calibration_command(
    run_id: Annotated[str, typer.Argument(help="A run id printed by `courtside experiment run`")],
    output: FormatOption = "table",
) -> None:
    """P(over) of a run raw and calibrated on the same rows: ECE on the bets, Brier on every lined row."""
    from dataclasses import asdict

    from shared.bootstrap import build_dependencies
    from shared.services.calibration_report import calibration_effect

    deps = build_dependencies()
    try:
        effect = calibration_effect(deps.warehouse, deps.blobs, run_id)
    except UnknownRunError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    if output == "json":
        typer.echo(json.dumps(asdict(effect), default=str, indent=2, sort_keys=True))
        return
    if output != "table":
        raise typer.BadParameter("--format must be table or json")
    decided = effect.bet_wins + effect.bet_losses
    console.print(
        f"run [bold]{run_id}[/]: {effect.bets} bets, hit rate "
        f"{_pct(effect.bet_wins / decided if decided else None)} n={decided}; "
        f"{effect.stored_differs} rows whose stored P(over) is not the recomputed calibrated one"
    )
    table = Table("P(over)", "population", "n", "ECE", "Brier", "log loss", "mean P(over)", "over rate")
    for name, population, shown in (
        ("raw", "bets", effect.raw_on_bets),
        ("calibrated", "bets", effect.calibrated_on_bets),
        ("raw", "lined, decided", effect.raw_on_lined),
        ("calibrated", "lined, decided", effect.calibrated_on_lined),
    ):
        table.add_row(
            name,
            population,
            str(shown.n),
            _num(shown.ece),
            _num(shown.brier, 4),
            _num(shown.log_loss, 4),
            _num(shown.mean_p_over),
            _num(shown.over_rate),
        )
    console.print(table)
    folds = Table("model", "calibration", "intercept", "slope", "n", "note")
    for fold in effect.folds:
        c = fold.calibration
        folds.add_row(fold.model_id, c.kind, _num(c.intercept), _num(c.slope), str(c.n), c.note)
    console.print(folds)


def _load(read: Any) -> Any:
    from shared.bootstrap import build_dependencies

    try:
        return read(build_dependencies().warehouse)
    except UnknownRunError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None


def _emit(report: RunReport | ComparisonReport, output: str) -> None:
    if output == "json":
        typer.echo(json.dumps(report_json(report), default=str, indent=2, sort_keys=True))
    elif output == "table":
        if isinstance(report, RunReport):
            print_report(report)
        else:
            print_comparison(report)
    else:
        raise typer.BadParameter("--format must be table or json")


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _hit(hit: HitRate | None) -> str:
    if hit is None or hit.rate is None:
        return "n/a (n=0)"
    return (
        f"{_pct(hit.rate)} [{_pct(hit.lower)}, {_pct(hit.upper)}] n={hit.n} "
        f"({hit.position} {hit.break_even * 100:.2f}%)"
    )


def _diff(difference: Difference, scale: float = 100.0, unit: str = " pts") -> str:
    if difference.difference is None or difference.lower is None or difference.upper is None:
        return "n/a (n=0)"
    flag = " significant" if difference.significant else ""
    return (
        f"{difference.difference * scale:+.2f}{unit} [{difference.lower * scale:+.2f}, "
        f"{difference.upper * scale:+.2f}] n={difference.n}{flag}"
    )


def print_report(report: RunReport) -> None:
    run = report.run
    evaluation = report.evaluation
    console.print(
        f"[bold]{run['run_id']}[/] config {run['config_name']} ({run['config_hash'][:12]}), system "
        f"{run['system_id']} as {run['backtest_system_id']}, seed {run['seed']}, "
        f"{run['evaluation_from']} .. {run['evaluation_to']}, commit {run['git_commit'][:12]}"
    )
    folds = Table("fold", "model", "train", "evaluated", "bets", "hit rate", "all rows", "MAE (all rows)")
    for fold in report.folds:
        decided = fold["wins"] + fold["losses"]
        folds.add_row(
            str(fold["fold_index"]),
            str(fold["model_id"]),
            f"{fold['train_from']} .. {fold['train_to']} ({fold['train_rows']} rows)",
            f"{fold['fold_from']} .. {fold['fold_to']}",
            str(fold["bets"]),
            f"{_pct(fold['wins'] / decided if decided else None)} n={decided}",
            str(fold["all_rows"]),
            _num(fold["all_rows_mae"]),
        )
    console.print(folds)
    _print_evaluation(evaluation)


def _print_evaluation(evaluation: Evaluation) -> None:
    console.print(f"mode [bold]{evaluation.mode}[/]: population n={evaluation.n}")
    errors = Table("predictor (same rows)", "n", "MAE", "bias")
    for name, figure in evaluation.errors.items():
        errors.add_row(name, str(figure.n), _num(figure.mae), _num(figure.bias))
    console.print(errors)
    if evaluation.bets is not None:
        bets = Table("figure", "value")
        bets.add_row("bets (pushes)", f"{evaluation.bets.bets} ({evaluation.bets.pushes})")
        bets.add_row("hit rate, Wilson 95%", _hit(evaluation.bets.hit))
        bets.add_row("ROI at recorded prices", f"{_pct(evaluation.bets.roi)} n={evaluation.bets.bets}")
        bets.add_row("always OVER (same bets)", _hit(evaluation.always_over))
        bets.add_row("always UNDER (same bets)", _hit(evaluation.always_under))
        bets.add_row("Brier of P(over)", f"{_num(evaluation.brier)} n={evaluation.calibration_n}")
        bets.add_row("ECE of P(over)", f"{_num(evaluation.ece)} n={evaluation.calibration_n}")
        bets.add_row("CLV (points vs closing line)", f"{_num(evaluation.clv_mean)} n={evaluation.clv_n}")
        console.print(bets)
    for title, groups in (
        ("tier", evaluation.by_tier),
        ("direction", evaluation.by_direction),
        ("month", evaluation.by_month),
    ):
        if groups:
            _print_groups(title, groups)


def _print_groups(title: str, groups: Mapping[str, BetFigures | ErrorFigure]) -> None:
    table = Table(f"by {title}", "n", "figure")
    for name, figure in groups.items():
        if isinstance(figure, BetFigures):
            table.add_row(name, str(figure.bets), f"{_hit(figure.hit)}; ROI {_pct(figure.roi)}")
        else:
            table.add_row(name, str(figure.n), f"MAE {_num(figure.mae)}, bias {_num(figure.bias)}")
    console.print(table)


def print_comparison(report: ComparisonReport) -> None:
    table = Table("run", "n", "MAE", *([] if report.mode is EvaluationMode.ALL_ROWS else ["hit rate", "ROI"]))
    for run in report.runs:
        evaluation = run.evaluation
        model = evaluation.errors["model"]
        cells = [str(run.run["run_id"]), str(evaluation.n), _num(model.mae)]
        if evaluation.bets is not None:
            cells += [_hit(evaluation.bets.hit), _pct(evaluation.bets.roi)]
        table.add_row(*cells)
    console.print(f"mode [bold]{report.mode}[/]")
    console.print(table)
    for pair in report.paired:
        comparison = pair.comparison
        console.print(
            f"paired on the bets both made: {pair.a} - {pair.b}: {comparison.pairs} pairs "
            f"({comparison.same_direction} same direction); paired bootstrap, {comparison.resamples} "
            f"resamples, seed {comparison.seed}"
        )
        console.print(f"  hit rate difference: {_diff(comparison.hit_rate)}")
        console.print(f"  ROI difference per bet: {_diff(comparison.roi, unit=' units/100 bets')}")
        if comparison.opportunities is not None:
            console.print(
                "  profit difference per player-game both priced (a PASS earns 0): "
                f"{_diff(comparison.opportunities, unit=' units/100')}"
            )
        if comparison.absolute_error is not None:
            console.print(
                "  absolute error difference per player-game both predicted whose player played: "
                f"{_diff(comparison.absolute_error, scale=1.0, unit=' pts')}"
            )
