"""The bench's own bookkeeping: which delivery is a function's cold start, and pass/miss against targets."""

from __future__ import annotations

from courtside.bench_cold_starts import ChildRun, measured_runs
from courtside.bench_report import Measurement


def run(function: str, object_name: str = "", import_s: float = 0.1, handle_s: float = 0.2) -> ChildRun:
    return ChildRun(function, "topic", object_name, import_s, handle_s, 100.0, "success")


def test_the_cold_start_of_ingest_is_its_morning_lines_file_and_of_others_their_first_delivery() -> None:
    runs = [
        run("ingest", "injuries/2026-02-19.csv", handle_s=0.5),
        run("ingest", "lines/2026-02-19_open.csv", handle_s=0.3),
        run("feature_store", handle_s=0.4),
        run("ingest", "lines/2026-02-19_close.csv", handle_s=0.1),
        run("feature_store", handle_s=0.05),
    ]
    chosen = measured_runs(runs)
    assert chosen["ingest"] is runs[1]
    assert chosen["feature_store"] is runs[2]
    assert abs(chosen["ingest"].cold_s - 0.4) < 1e-9


def test_a_measurement_passes_only_strictly_under_its_target() -> None:
    assert Measurement("g", "n", 0.49, "s", 0.5).passed is True
    assert Measurement("g", "n", 0.5, "s", 0.5).passed is False
    assert Measurement("g", "n", 12.0, "s").passed is None


def test_the_walk_forward_bench_uses_the_baseline_config_on_the_benchmarked_season():
    from datetime import date

    from courtside.bench_lifecycle import MONTHLY, season_config
    from shared.services.walk_forward import plan_folds

    config = season_config(date(2025, 10, 21), date(2026, 4, 12))
    assert config.training_window.start == date(2025, 10, 21)
    assert (config.evaluation.date_from, config.evaluation.date_to) == (date(2025, 12, 30), date(2026, 4, 12))
    folds = plan_folds(config, config.evaluation.date_from, config.evaluation.date_to)
    assert len(folds) == 4 and all((f.fold_to - f.fold_from).days < MONTHLY for f in folds)
