"""Runtime settings, read once from the environment.

With nothing set, Courtside runs on the embedded default: a DuckDB file, a local blob folder and an
in-process bus under ``COURTSIDE_HOME``. ``COURTSIDE_BACKEND=gcp`` switches every adapter to the real
Google clients; the standard ``*_EMULATOR_HOST`` variables point those clients at emulators.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from shared.domain.thresholds import MIN_EDGE_POINTS
from shared.naming import NamingError, ResourceNames, check_environment

Backend = Literal["local", "gcp"]

DATASETS: tuple[str, ...] = ("nba_raw", "nba_predictions", "nba_orchestration")


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
    # Scheduled retraining (functions/training): the system its models are registered under as a shadow,
    # the window of days it trains on and the days after it held out (the window ends the day before the
    # run). The seam until experiments/*.yaml configs name the retrain configuration (issue 10 item 2).
    retrain_system_id: str = "catboost_points_v1_retrain"
    retrain_training_days: int = 90
    retrain_holdout_days: int = 21
    retrain_seed: int = 42
    # Promoting a shadow automatically when it is a promotion candidate. Not implemented: promotion is a
    # human decision (issue 10 item 6); COURTSIDE_AUTO_PROMOTE=true is refused at start-up, never ignored.
    auto_promote: bool = False

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
            retrain_system_id=env.get("COURTSIDE_RETRAIN_SYSTEM_ID") or cls.retrain_system_id,
            retrain_training_days=_positive_int(
                env, "COURTSIDE_RETRAIN_TRAINING_DAYS", cls.retrain_training_days
            ),
            retrain_holdout_days=_positive_int(
                env, "COURTSIDE_RETRAIN_HOLDOUT_DAYS", cls.retrain_holdout_days
            ),
        )


def _positive_int(env: Mapping[str, str], variable: str, default: int) -> int:
    text = env.get(variable)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise SettingsError(f"{variable} must be a whole number of days: {exc}") from exc
    if value < 1:
        raise SettingsError(f"{variable} must be >= 1, got {value}")
    return value
