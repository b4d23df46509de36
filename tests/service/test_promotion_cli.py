"""``courtside train --config``, ``courtside promote`` (refusal with every reason, --force, --rollback,
--history), ``courtside promotions`` and ``courtside demote`` in the configured warehouse."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from courtside.cli import app
from shared.bootstrap import build_dependencies
from shared.services.model_registry import CHAMPION, alias_holders
from shared.settings import Settings
from tests.service.test_experiment_cli import home, runner, write_config  # noqa: F401 - fixtures

WIDE = {"COLUMNS": "250"}
TRAIN = ["train", "--from", "2024-10-24", "--to", "2024-11-14", "--holdout-to", "2024-11-20"]


def registry(home_: Path) -> list[dict[str, object]]:
    deps = build_dependencies(Settings(home=home_))
    try:
        sql = "SELECT * FROM nba_predictions.model_registry ORDER BY trained_at, model_id"
        return deps.warehouse.query(sql)
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]


def champion_of(home_: Path) -> str:
    deps = build_dependencies(Settings(home=home_))
    try:
        return str(alias_holders(deps.warehouse, CHAMPION)[0]["model_id"])
    finally:
        deps.warehouse.close()  # type: ignore[attr-defined]


def train(runner_: CliRunner, *options: str) -> str:
    result = runner_.invoke(app, [*TRAIN, "--iterations", "10", *options], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output.split("model ", 1)[1].split()[0]


def test_promote_refuses_with_every_reason_force_records_and_rollback_restores(
    runner: CliRunner,  # noqa: F811
    home: Path,  # noqa: F811
) -> None:
    first = train(runner, "--alias", "champion", "--system-id", "cli_first")
    config = write_config(home)
    candidate = train(runner, "--config", str(config))
    [row] = [r for r in registry(home) if r["model_id"] == candidate]
    assert row["system_id"] == "cli_test" and row["seed"] == 1  # the config's system and first seed

    refused = runner.invoke(app, ["promote", candidate, "--to", "champion", "--reason", "try"], env=WIDE)
    assert refused.exit_code == 1, refused.output
    assert "gates failed" in refused.output
    assert "- evidence: no walk-forward run of its config" in refused.output
    assert "- champion: no evidence for champion" in refused.output
    assert champion_of(home) == first

    missing_reason = runner.invoke(app, ["promote", candidate], env=WIDE)
    assert missing_reason.exit_code != 0 and "--reason is required" in missing_reason.output

    forced = runner.invoke(app, ["promote", candidate, "--reason", "demo", "--force"], env=WIDE)
    assert forced.exit_code == 0, forced.output
    assert "forced past failed gates" in forced.output and champion_of(home) == candidate

    listed = runner.invoke(app, ["promotions", "--format", "json"])
    rows = json.loads(listed.output)
    assert [(r["action"], r["to_model_id"], r["forced"]) for r in rows] == [
        ("assign", first, False),
        ("promote", candidate, True),
    ]
    assert rows[1]["reason"] == "demo" and "@" in rows[1]["actor"]
    assert runner.invoke(app, ["promote", "--history"], env=WIDE).output.count("promote") >= 1

    back = runner.invoke(app, ["promote", "--rollback", "--reason", "not yet"], env=WIDE)
    assert back.exit_code == 0, back.output
    assert champion_of(home) == first
    again = runner.invoke(app, ["promote", "--rollback"], env=WIDE)
    assert again.exit_code == 1 and f"no champion before {first}" in again.output

    cannot = runner.invoke(app, ["demote", first, "--reason", "x"], env=WIDE)
    assert cannot.exit_code == 1 and "is the champion" in cannot.output
