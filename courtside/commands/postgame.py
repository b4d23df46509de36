"""Post-game operator commands: grade a date, show its diagnostics, evaluate diagnostics on the scenarios."""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from courtside.console import console
from shared.bootstrap import Dependencies, build_dependencies
from shared.clock import utc_now
from shared.services.diagnostics import PERFORMANCE_DIAGNOSTICS_DAILY
from shared.services.scenario_evaluation import (
    SCENARIOS,
    ScenarioEvaluation,
    ScenarioSummary,
    evaluate_seeds,
    summarise,
)

DateOption = Annotated[datetime, typer.Option("--date", formats=["%Y-%m-%d"], help="Game date (US Eastern)")]


def register(app: typer.Typer) -> None:
    app.command("grade")(grade_command)
    app.command("diagnostics")(diagnostics_command)
    app.command("evaluate-diagnostics")(evaluate_diagnostics_command)


def grade_command(game_date: DateOption) -> None:
    """Grade one game date now (the same service the grading function runs); prints the coverage."""
    from shared.services.grading import grade_date

    deps = build_dependencies()
    day = game_date.date()
    report = grade_date(deps.warehouse, day, graded_at=utc_now(), settings=deps.settings, run_id="cli")
    if report.gradable == 0:
        console.print(f"[yellow]{day}: no predictions with a real line: nothing to grade[/]")
        raise typer.Exit(0)
    console.print(report.summary)
    if report.stale_removed:
        console.print(f"removed {report.stale_removed} grade(s) whose prediction lost its line")


def diagnostics_command(
    game_date: DateOption,
    compute: Annotated[
        bool, typer.Option(help="Recompute and store the diagnosis before showing it")
    ] = False,
) -> None:
    """Show the stored diagnosis of every system for one date (``--compute`` recomputes it first)."""
    deps = build_dependencies()
    day = game_date.date()
    if compute:
        from shared.services.diagnostics import diagnose_date, diagnostics_row

        rows = [diagnostics_row(r, utc_now(), "cli") for r in diagnose_date(deps.warehouse, day)]
        deps.warehouse.replace_rows(PERFORMANCE_DIAGNOSTICS_DAILY, rows, ("game_date", "system_id"))
    stored = deps.warehouse.query(
        "SELECT * FROM nba_orchestration.performance_diagnostics_daily WHERE game_date = @game_date "
        "ORDER BY system_id",
        {"game_date": day},
    )
    if not stored:
        console.print(f"[yellow]no diagnostics stored for {day}[/] (try --compute, or grade the date first)")
        raise typer.Exit(1)
    for row in stored:
        print_diagnostics_row(row)


_LEVEL_STYLE = {"OK": "green", "INFO": "cyan", "WARNING": "yellow", "CRITICAL": "bold red"}


def _fmt(value: Any, kind: str = "") -> str:
    if value is None:
        return "—"
    if kind == "pct" and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_diagnostics_row(row: dict[str, Any]) -> None:
    level = str(row["alert_level"])
    console.rule(
        f"[bold]{row['system_id']}[/] on {row['game_date']}: "
        f"[{_LEVEL_STYLE.get(level, 'white')}]{level}[/] · {row['root_cause']} "
        f"({_fmt(row['root_cause_confidence'], 'pct')})"
    )
    hits = Table(title="Hit rate (no pushes/voids) vs break-even " + _fmt(row["break_even"], "pct"))
    for column in ("window", "rate", "n", "95% interval", "position"):
        hits.add_column(column)
    for days in (7, 14, 30):
        prefix = f"hit_rate_{days}d"
        hits.add_row(
            f"{days} days",
            _fmt(row[prefix], "pct"),
            _fmt(row[f"{prefix}_n"]),
            f"{_fmt(row[f'{prefix}_lower'], 'pct')} – {_fmt(row[f'{prefix}_upper'], 'pct')}",
            _fmt(row[f"{prefix}_position"]),
        )
    console.print(hits)
    metrics = Table(title="Metrics", show_header=True)
    for column in ("metric", "recent (7d)", "baseline (30d before)"):
        metrics.add_column(column)
    metrics.add_row("model MAE", _fmt(row["model_mae_recent"]), _fmt(row["model_mae_baseline"]))
    metrics.add_row("model bias", _fmt(row["model_bias_recent"]), _fmt(row["model_bias_baseline"]))
    metrics.add_row("Vegas MAE", _fmt(row["vegas_mae_recent"]), _fmt(row["vegas_mae_baseline"]))
    metrics.add_row(
        "model beats Vegas %",
        _fmt(row["model_beats_vegas_pct_recent"]),
        _fmt(row["model_beats_vegas_pct_baseline"]),
    )
    metrics.add_row("graded n", _fmt(row["recent_n"]), _fmt(row["baseline_n"]))
    metrics.add_row("Brier / ECE", f"{_fmt(row['brier_recent'])} / {_fmt(row['ece_recent'])}", "")
    metrics.add_row("CLV (points/bet)", f"{_fmt(row['clv_mean_recent'])} (n={row['clv_n']})", "")
    metrics.add_row("ROI 7d / 30d", f"{_fmt(row['roi_7d'], 'pct')} / {_fmt(row['roi_30d'], 'pct')}", "")
    metrics.add_row(
        "sharpness / regime",
        f"{_fmt(row['sharpness_status'])} / {_fmt(row['market_regime'])}",
        f"{_fmt(row['previous_sharpness_status'])} / {_fmt(row['previous_market_regime'])}",
    )
    metrics.add_row("drift score", _fmt(row["drift_score"]), "")
    console.print(metrics)
    console.print(
        f"Completeness {row['game_date']}: {row['scheduled_games']} games, {row['box_score_games']} with box "
        f"scores, {row['predictions']} predictions, {row['graded']} graded; "
        f"{row['problem_date_count']} problem date(s) since {row['season_start']}"
    )
    for problem in json.loads(row["problem_dates"] or "[]"):
        console.print(f"  [yellow]{problem['game_date']}[/]: {', '.join(problem['problems'])}")
    for title, column in (
        ("Contributing factors", "contributing_factors"),
        ("Recommendations", "recommendations"),
    ):
        items = json.loads(row[column] or "[]")
        if items:
            console.print(f"[bold]{title}[/]")
            for item in items:
                console.print(f"  • {item}")
    if row["gated_by_sample_size"]:
        console.print("[dim]some signals were held at INFO: samples below the minimums[/]")


def replay_scenario(base_home: Path, seed: int, scenario: str) -> Dependencies:
    """Replay a whole simulated season of ``scenario`` into its own fresh embedded deployment."""
    import shutil
    from dataclasses import replace

    from courtside.commands.models import train_missing_models
    from courtside.replay import replay
    from courtside.seasons import ensure_season, season_dates
    from shared.clock import SettableClock
    from shared.services.training_policy import training_window
    from shared.settings import Settings

    base = Settings.from_env()
    home = base_home / f"{scenario}-seed{seed}"
    shutil.rmtree(home, ignore_errors=True)
    settings = replace(base, home=home, slack_webhook_url=None)  # evaluation never pages anyone
    folder = ensure_season(replace(base, home=base_home), seed=seed, scenario=scenario)
    deps = build_dependencies(settings, clock=SettableClock())
    start, end = season_dates(folder)
    # Exactly what the demo does: replay to the end of the holdout, train the champion and the shallow
    # shadow on what the chain wrote, replay the rest (without models nothing is predicted or graded).
    window = training_window(start)
    replay(deps, folder, start, window.holdout_to)
    train_missing_models(deps, window)
    replay(deps, folder, window.holdout_to + timedelta(days=1), end)
    return deps


def scenario_onset(base_home: Path, seed: int, scenario: str) -> date | None:
    """The onset the simulator recorded in the season's manifest (None for ``clean``)."""
    from courtside.seasons import DEFAULT_SEASON, season_folder
    from shared.settings import Settings

    folder = season_folder(Settings(home=base_home), DEFAULT_SEASON, seed, scenario)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    onset = manifest.get("onset_date")
    return date.fromisoformat(onset) if onset else None


def parse_seeds(text: str) -> tuple[int, ...]:
    """ "42,1,101" -> (42, 1, 101): distinct, in the order given."""
    try:
        seeds = tuple(dict.fromkeys(int(part) for part in text.split(",") if part.strip()))
    except ValueError as exc:
        raise typer.BadParameter(f"--seeds wants comma-separated integers, got {text!r}") from exc
    if not seeds:
        raise typer.BadParameter("--seeds names no seed")
    return seeds


def evaluate_diagnostics_command(
    seeds: Annotated[
        str, typer.Option(help="Simulator seeds, comma-separated (e.g. 101,102,103,104,105)")
    ] = "42",
    scenario: Annotated[list[str] | None, typer.Option(help="Scenario(s) to run (default: all)")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Replay every simulator scenario for every seed through the whole chain and report what diagnostics
    caught, when, with which root cause: per seed, then summed up per scenario."""
    chosen = tuple(scenario or SCENARIOS)
    unknown = sorted(set(chosen) - set(SCENARIOS))
    if unknown:
        raise typer.BadParameter(f"unknown scenario(s) {unknown}; choose from {SCENARIOS}")
    if output_format not in ("table", "json"):
        raise typer.BadParameter(f"--format is table or json, not {output_format!r}")
    chosen_seeds = parse_seeds(seeds)
    from shared.settings import Settings

    base_home = Settings.from_env().home / "evaluation"
    # With --format json, stdout carries the document only: the replays' progress goes to stderr.
    with contextlib.redirect_stdout(sys.stderr) if output_format == "json" else contextlib.nullcontext():
        results = evaluate_seeds(
            lambda seed, name: replay_scenario(base_home, seed, name),
            chosen_seeds,
            chosen,
            lambda seed, name: scenario_onset(base_home, seed, name),
        )
    if output_format == "json":
        document = {
            "seeds": list(chosen_seeds),
            "scenarios": list(chosen),
            "results": [r.as_json() for r in results],
            "summary": [s.as_json() for s in summarise(results)],
        }
        typer.echo(json.dumps(document, indent=2))
        return
    print_evaluation(results)
    print_summary(summarise(results))


def print_evaluation(results: list[ScenarioEvaluation]) -> None:
    table = Table(title="Diagnostics on the simulator scenarios, per seed")
    for column in (
        "seed",
        "scenario",
        "onset",
        "first alert",
        "lag (game days)",
        "level",
        "root cause",
        "expected cause",
        "false alarms",
        "NORMAL_VARIANCE W/C",
        "alerts sent I/W/C",
        "incidents (most messages)",
        "champion hit rate (95% CI)",
        "MAE model / line",
        "wall",
    ):
        table.add_column(column)
    for result in results:
        first = result.first_alert
        champion = result.champion
        if champion is None or champion.hit_rate.rate is None:
            record, errors = "—", "—"
        else:
            rate = champion.hit_rate
            record = f"{rate.rate:.1%} (n={rate.n}, {rate.lower:.1%}–{rate.upper:.1%})"
            errors = f"{_fmt(champion.model_mae)} / {_fmt(champion.line_mae)} (n={champion.lined})"
        table.add_row(
            _fmt(result.seed),
            result.scenario,
            _fmt(result.onset),
            _fmt(first.game_date if first else None),
            _fmt(result.lag_game_days),
            _fmt(first.alert_level if first else None),
            _fmt(first.root_cause if first else None),
            f"{result.expected_cause or 'quiet'} ({'yes' if result.attributed else 'NO'})",
            str(len(result.alerts_before_onset)),
            str(result.normal_variance_alerts),
            "/".join(str(result.sent(level)) for level in ("INFO", "WARNING", "CRITICAL")),
            f"{len(result.incidents)} ({result.most_messages_per_incident})",
            record,
            errors,
            "—" if result.wall_seconds is None else f"{result.wall_seconds:.0f} s",
        )
    console.print(table)
    for result in results:
        for incident_id, messages in result.incidents:
            console.print(
                f"seed {result.seed} {result.scenario}: incident {incident_id}: {messages} message(s)"
            )
        for finding in result.alerts_before_onset[:10]:
            console.print(
                f"[yellow]seed {result.seed} {result.scenario}[/]: {finding.alert_level} "
                f"{finding.root_cause} on {finding.game_date} ({finding.system_id}) before any onset"
            )


def print_summary(summaries: list[ScenarioSummary]) -> None:
    table = Table(title="Per scenario over the seeds")
    for column in (
        "scenario",
        "expected",
        "seeds attributed (clean: quiet)",
        "lags (game days)",
        "false alarms",
        "NORMAL_VARIANCE W/C",
        "most messages per incident",
    ):
        table.add_column(column)
    for s in summaries:
        table.add_row(
            s.scenario,
            s.expected_cause or "quiet",
            f"{len(s.attributed_seeds)}/{len(s.seeds)} ({', '.join(map(str, s.attributed_seeds)) or '—'})",
            ", ".join(_fmt(lag) for lag in s.lags),
            str(s.false_alarms),
            str(s.normal_variance_alerts),
            str(s.most_messages_per_incident),
        )
    console.print(table)
