"""Runtime settings, read once from the environment.

With nothing set, Courtside runs on the embedded default: a DuckDB file, a local blob folder and an
in-process bus under ``COURTSIDE_HOME``. ``COURTSIDE_BACKEND=gcp`` switches every adapter to the real
Google clients; the standard ``*_EMULATOR_HOST`` variables point those clients at emulators.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from shared.domain.systems import is_backtest_system
from shared.domain.thresholds import DEFAULT_THRESHOLDS, MIN_EDGE_POINTS
from shared.naming import NamingError, ResourceNames, check_environment

Backend = Literal["local", "gcp"]

DATASETS: tuple[str, ...] = ("nba_raw", "nba_predictions", "nba_orchestration")
# experiments/<name>.yaml sit beside shared/: in the repository and in every vendored function folder.
EXPERIMENTS_DIR = Path(__file__).resolve().parent.parent / "experiments"
_EXPERIMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
RETIRED_RETRAIN_VARIABLES = ("COURTSIDE_RETRAIN_TRAINING_DAYS", "COURTSIDE_RETRAIN_HOLDOUT_DAYS")


class SettingsError(ValueError):
    """A setting is missing or invalid; raised at start-up, never half-way through a job."""


@dataclass(frozen=True)
class Settings:
    backend: Backend = "local"
    home: Path = Path(".courtside")
    project: str = "courtside-local"
    region: str = "us-east1"
    # Prefixes every resource (shared/naming.py) so environments share a project; empty locally.
    environment: str = ""
    # Appended to every dataset name: "_<environment>" (tests set their own for private datasets).
    dataset_suffix: str = ""
    raw_bucket: str = "courtside-raw"
    models_bucket: str = "courtside-models"
    bigquery_location: str = "US"
    bookmaker_priority: tuple[str, ...] = ("DraftKings", "FanDuel", "BetMGM", "Caesars")
    min_edge: float = MIN_EDGE_POINTS
    slack_webhook_url: str | None = field(default=None, repr=False)
    bigquery_emulator_host: str | None = None
    pubsub_emulator_host: str | None = None
    storage_emulator_host: str | None = None
    # JSON {function: base URL}: push messages straight to local function servers (make emulate
    # without the Pub/Sub emulator; see shared/adapters/http_push_bus.py).
    push_endpoints: str | None = None
    # BigQuery on-demand price per TiB scanned (USD), for `courtside cost`'s monthly estimate.
    bigquery_price_per_tib: float = 6.25
    # Scheduled retraining (functions/training): the system its models are registered under as a shadow, and
    # the experiment config (experiments/<name>.yaml) whose features, CatBoost parameters, training window
    # and first seed it trains with; by default the champion's.
    retrain_system_id: str = "catboost_points_v1_retrain"
    retrain_experiment: str = "v1_baseline"
    experiments_dir: Path = EXPERIMENTS_DIR
    # Promoting a shadow automatically when it is a promotion candidate. Not implemented: promotion is a
    # human decision (issue 10 item 6); COURTSIDE_AUTO_PROMOTE=true is refused at start-up, never ignored.
    auto_promote: bool = False
    # Production-equivalent walk-forward bets a champion candidate's evidence must cover (courtside promote).
    promotion_min_bets: int = DEFAULT_THRESHOLDS.promotion.min_bets

    def __post_init__(self) -> None:
        try:
            check_environment(self.environment)
        except NamingError as exc:
            raise SettingsError(f"COURTSIDE_ENVIRONMENT: {exc}") from exc
        if self.environment and not self.dataset_suffix:
            object.__setattr__(self, "dataset_suffix", self.names.dataset_suffix)

    @property
    def names(self) -> ResourceNames:
        return ResourceNames(self.project, self.environment)

    @property
    def duckdb_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def blob_root(self) -> Path:
        return self.home / "blobs"

    @property
    def dead_letter_root(self) -> Path:
        """Where the in-process bus keeps dead-lettered messages (shared/adapters/local_dead_letters.py)."""
        return self.home / "dead-letters"

    def dataset(self, name: str) -> str:
        return f"{name}{self.dataset_suffix}"

    @property
    def retrain_experiment_path(self) -> Path:
        return self.experiments_dir / f"{self.retrain_experiment}.yaml"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        backend = env.get("COURTSIDE_BACKEND", "local").strip().lower() or "local"
        if backend not in ("local", "gcp"):
            raise SettingsError(f"COURTSIDE_BACKEND must be 'local' or 'gcp', not {backend!r}")
        project_default = "courtside-local" if backend == "local" else ""
        project = env.get("COURTSIDE_PROJECT") or env.get("GOOGLE_CLOUD_PROJECT") or project_default
        if not project:
            raise SettingsError(
                "COURTSIDE_PROJECT (or GOOGLE_CLOUD_PROJECT) is required when COURTSIDE_BACKEND=gcp"
            )
        if env.get("COURTSIDE_DATASET_SUFFIX"):
            raise SettingsError(
                "COURTSIDE_DATASET_SUFFIX was replaced by COURTSIDE_ENVIRONMENT, which names the datasets "
                "(nba_raw_<environment>) and every other resource"
            )
        environment = env.get("COURTSIDE_ENVIRONMENT", "").strip()
        try:
            names = ResourceNames(project, environment)
        except NamingError as exc:
            raise SettingsError(f"COURTSIDE_ENVIRONMENT: {exc}") from exc
        priority = env.get("COURTSIDE_BOOKMAKER_PRIORITY")
        try:
            min_edge = float(env.get("COURTSIDE_MIN_EDGE", MIN_EDGE_POINTS))
        except ValueError as exc:
            raise SettingsError(f"COURTSIDE_MIN_EDGE must be a number: {exc}") from exc
        try:
            price = float(env.get("COURTSIDE_BIGQUERY_PRICE_PER_TIB", "6.25"))
        except ValueError as exc:
            raise SettingsError(f"COURTSIDE_BIGQUERY_PRICE_PER_TIB must be a number: {exc}") from exc
        if min_edge < 0:
            raise SettingsError("COURTSIDE_MIN_EDGE must be >= 0")
        if env.get("COURTSIDE_AUTO_PROMOTE", "").strip().lower() not in ("", "0", "false", "off", "no"):
            raise SettingsError(
                "COURTSIDE_AUTO_PROMOTE is not implemented: a promotion candidate is only reported (an INFO "
                "alert and nba_orchestration.shadow_comparison_daily); promote by hand. Unset it."
            )
        return cls(
            backend=backend,  # type: ignore[arg-type]
            home=Path(env.get("COURTSIDE_HOME", ".courtside")),
            project=project,
            region=env.get("COURTSIDE_REGION", "us-east1"),
            environment=environment,
            dataset_suffix=names.dataset_suffix,
            raw_bucket=env.get("COURTSIDE_RAW_BUCKET") or names.bucket("raw"),
            models_bucket=env.get("COURTSIDE_MODELS_BUCKET") or names.bucket("models"),
            bigquery_location=env.get("COURTSIDE_BIGQUERY_LOCATION", "US"),
            bookmaker_priority=tuple(b.strip() for b in priority.split(",") if b.strip())
            if priority
            else cls.bookmaker_priority,
            min_edge=min_edge,
            slack_webhook_url=env.get("SLACK_WEBHOOK_URL") or None,
            bigquery_emulator_host=env.get("BIGQUERY_EMULATOR_HOST") or None,
            pubsub_emulator_host=env.get("PUBSUB_EMULATOR_HOST") or None,
            storage_emulator_host=env.get("STORAGE_EMULATOR_HOST") or None,
            push_endpoints=env.get("COURTSIDE_PUSH_ENDPOINTS") or None,
            bigquery_price_per_tib=price,
            retrain_system_id=_retrain_system_id(
                env.get("COURTSIDE_RETRAIN_SYSTEM_ID") or cls.retrain_system_id
            ),
            retrain_experiment=_retrain_experiment(env),
            promotion_min_bets=_positive_int(env, "COURTSIDE_PROMOTION_MIN_BETS", cls.promotion_min_bets),
        )


def _retrain_system_id(system_id: str) -> str:
    if is_backtest_system(system_id):
        raise SettingsError(
            f"COURTSIDE_RETRAIN_SYSTEM_ID={system_id!r} ends like a backtest system (_wf_s<seed>), which "
            "the operator views and diagnostics leave out: pick another system id"
        )
    return system_id


def _retrain_experiment(env: Mapping[str, str]) -> str:
    """The retrain's config name; refused unless experiments/<name>.yaml exists (parsed when it trains)."""
    for retired in RETIRED_RETRAIN_VARIABLES:
        if env.get(retired):
            raise SettingsError(
                f"{retired} was replaced by COURTSIDE_RETRAIN_EXPERIMENT: the retrain window is the "
                "training_window of experiments/<name>.yaml. Unset it."
            )
    name = env.get("COURTSIDE_RETRAIN_EXPERIMENT", "").strip() or Settings.retrain_experiment
    if not _EXPERIMENT_NAME.match(name):
        raise SettingsError(
            f"COURTSIDE_RETRAIN_EXPERIMENT={name!r}: name a config of experiments/ without its .yaml "
            "(e.g. v1_baseline), not a path"
        )
    if not (EXPERIMENTS_DIR / f"{name}.yaml").is_file():
        known = ", ".join(sorted(path.stem for path in EXPERIMENTS_DIR.glob("*.yaml"))) or "none"
        raise SettingsError(
            f"COURTSIDE_RETRAIN_EXPERIMENT={name!r}: there is no {EXPERIMENTS_DIR / (name + '.yaml')} "
            f"(configs: {known})"
        )
    return name


def _positive_int(env: Mapping[str, str], variable: str, default: int) -> int:
    text = env.get(variable)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise SettingsError(f"{variable} must be a whole number: {exc}") from exc
    if value < 1:
        raise SettingsError(f"{variable} must be >= 1, got {value}")
    return value
