"""Feature contracts v1 and v2: the ordered registries of named features every component agrees on.

The registry is the one declaration of the contract. The feature store's row, the model inputs and the
docs table (``contract_markdown_table``) are derived from it; tests/unit/test_feature_contract.py checks the
rest against it and names each place that differs: the SQL's output columns, the ``ml_feature_store`` DDL,
the generated Terraform table and docs/features.md. Adding a feature is one ``FeatureSpec`` here plus, for
a ``FeatureSource.SQL`` feature, its column in shared/sql/features/player_features.sql; the test then names
the DDL column to add and the files to regenerate.

The feature store builds the CURRENT contract (v2); its rows serve every contract whose features are a part
of it (``serves``): v2 is v1 plus four features, so one stored row feeds a v1 champion and a v2 shadow the
same player-games. A model's ``feature_version`` picks its inputs (``model_input_vector(values, contract)``)
and ``features_hash`` fingerprints the row (the current contract), so a changed input (e.g. a moved line)
produces a new prediction version while a redelivered event does not.

Leakage rule: every player/team rolling feature is computed from games STRICTLY BEFORE the game date
(US Eastern). The game being predicted, and any other game on the same date, is never in its own features.

"History games" of a player on a date are the games the player played with minutes > 0 strictly before that
date, across seasons (most recent first). "Last N" features use the most recent N history games (fewer when
fewer exist); "season" features use the history games of the game's season only.

Missing values are replaced by the documented default by ``apply_defaults``, which counts how many MODEL
INPUTS were defaulted. ``is_production_ready`` then requires enough history and few defaults among the
READINESS_CONTRACT's (v1) inputs: which rows production may bet on never depends on which contracts a row
also serves, so contracts are compared on the same rows.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from shared.domain.line_policy import is_valid_line_value
from shared.domain.vocabulary import InjuryStatus

# A row is production-ready with at least this many history games ...
MIN_HISTORY_GAMES_FOR_PRODUCTION = 5
# ... and at most this many defaulted model inputs: the three optional shot-volume proxies may be absent
# (box scores without FGA/FTA/FG3A) plus one more (typically pts_avg_season before a season's first game).
MAX_DEFAULTED_FOR_PRODUCTION = 4

# Decimal places kept when hashing, so float noise from different engines (DuckDB vs BigQuery) cannot
# change the hash while any real change of a feature does.
HASH_DECIMALS = 6

# A player with no recent history is capped here: a 40-day injury layoff and a 10-day one look alike.
REST_DAYS_CAP = 10


class FeatureDtype(StrEnum):
    FLOAT = "float"
    INT = "int"
    BOOL = "bool"  # stored as 0.0 / 1.0


class FeatureSource(StrEnum):
    """Where the feature store gets a feature's raw value."""

    SQL = "sql"  # the column of the same name returned by shared/sql/features/player_features.sql
    DERIVED = "derived"  # computed by the feature store from other columns of that query
    LINE_POLICY = "line policy"  # from the line chosen by shared/domain/line_policy.py


INJURY_STATUS_CODES: Mapping[InjuryStatus, int] = MappingProxyType(
    {
        InjuryStatus.AVAILABLE: 0,
        InjuryStatus.PROBABLE: 1,
        InjuryStatus.QUESTIONABLE: 2,
        InjuryStatus.DOUBTFUL: 3,
        InjuryStatus.OUT: 4,
    }
)


def injury_status_code(status: str | None, report_available: bool) -> int | None:
    """Code of a player's injury status for the feature row.

    A player absent from an available injury report is AVAILABLE (0). When no report was available at all
    the code is unknown (None) and ``apply_defaults`` substitutes the default (0) and counts it as defaulted.
    An unrecognised status text raises ValueError rather than being guessed.
    """
    if status is None:
        return INJURY_STATUS_CODES[InjuryStatus.AVAILABLE] if report_available else None
    try:
        return INJURY_STATUS_CODES[InjuryStatus(status.strip().upper())]
    except ValueError as error:
        raise ValueError(f"unknown injury status {status!r}") from error


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """One named feature of the contract."""

    name: str
    dtype: FeatureDtype
    definition: str
    min_value: float
    max_value: float
    default: float
    is_model_input: bool
    source: FeatureSource = FeatureSource.SQL
    # Stored as found (NULL when absent) instead of completed with the default; readers complete it.
    stored_nullable: bool = False

    def __post_init__(self) -> None:
        if not self.min_value <= self.default <= self.max_value:
            raise ValueError(f"default of {self.name} is outside its valid range")


@dataclass(frozen=True)
class FeatureContract:
    """One version of the contract: its features in registry order.

    A new version (more features, changed definitions) is a new contract with its own version string, so
    rows, hashes and models of the old version stay what they were.
    """

    version: str
    features: tuple[FeatureSpec, ...]

    def __post_init__(self) -> None:
        names = [spec.name for spec in self.features]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate feature name(s) in contract {self.version}: {duplicates}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.features)

    @property
    def model_inputs(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.features if spec.is_model_input)

    def from_source(self, source: FeatureSource) -> tuple[FeatureSpec, ...]:
        return tuple(spec for spec in self.features if spec.source is source)


_F, _I, _B = FeatureDtype.FLOAT, FeatureDtype.INT, FeatureDtype.BOOL

_V1_FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("pts_avg_last5", _F, "Mean points over the last 5 history games.", 0, 80, 8.0, True),
    FeatureSpec("pts_avg_last10", _F, "Mean points over the last 10 history games.", 0, 80, 8.0, True),
    FeatureSpec(
        "pts_avg_season",
        _F,
        "Mean points over the history games of the game's season; missing before the first one.",
        0,
        80,
        8.0,
        True,
    ),
    FeatureSpec(
        "pts_std_last10",
        _F,
        "Sample standard deviation (ddof=1) of points over the last 10 history games; "
        "missing with fewer than 2.",
        0,
        50,
        5.0,
        True,
    ),
    FeatureSpec("min_avg_last5", _F, "Mean minutes over the last 5 history games.", 0, 70, 20.0, True),
    FeatureSpec("min_avg_last10", _F, "Mean minutes over the last 10 history games.", 0, 70, 20.0, True),
    FeatureSpec(
        "fga_avg_last10",
        _F,
        "Mean field-goal attempts over the last 10 history games (shot-volume proxy); "
        "missing when the box scores lack FGA.",
        0,
        60,
        7.0,
        True,
    ),
    FeatureSpec(
        "fta_avg_last10",
        _F,
        "Mean free-throw attempts over the last 10 history games; missing when the box scores lack FTA.",
        0,
        40,
        2.0,
        True,
    ),
    FeatureSpec(
        "fg3a_avg_last10",
        _F,
        "Mean three-point attempts over the last 10 history games; missing when the box scores lack FG3A.",
        0,
        30,
        2.5,
        True,
    ),
    FeatureSpec(
        "rest_days",
        _I,
        f"Days between the game date and the last history game, minus 1 (0 = back-to-back), "
        f"capped at {REST_DAYS_CAP}.",
        0,
        REST_DAYS_CAP,
        2,
        True,
    ),
    FeatureSpec(
        "is_back_to_back",
        _B,
        "1 when rest_days is 0 (played the previous day), else 0.",
        0,
        1,
        0,
        True,
        FeatureSource.DERIVED,
    ),
    FeatureSpec(
        "is_home",
        _B,
        "1 when the player's team is the home team, else 0 (never legitimately missing).",
        0,
        1,
        0,
        True,
    ),
    FeatureSpec(
        "opp_pts_allowed_last10",
        _F,
        "Opponent's mean points allowed over its last 10 games before the game date (across seasons).",
        60,
        180,
        114.0,
        True,
    ),
    FeatureSpec(
        "games_played_season",
        _I,
        "Number of history games in the game's season.",
        0,
        110,
        0,
        True,
    ),
    FeatureSpec(
        "injury_status_code",
        _I,
        "Latest injury status known at decision time: AVAILABLE=0, PROBABLE=1, QUESTIONABLE=2, "
        "DOUBTFUL=3, OUT=4. Absent from an available report = 0; no report at all = unknown -> default 0 "
        "(counted as defaulted).",
        0,
        4,
        0,
        True,
        FeatureSource.DERIVED,
    ),
    FeatureSpec(
        "line_value",
        _F,
        "Line chosen by the line policy at decision time (whole or half point); 0 when there is no line. "
        "Not a model input: the prediction stays independent of the market, so edge is real disagreement.",
        0,
        100,
        0.0,
        False,
        FeatureSource.LINE_POLICY,
        stored_nullable=True,
    ),
    FeatureSpec(
        "line_movement",
        _F,
        "line_value minus the same bookmaker's opening line; 0 when there is no line.",
        -50,
        50,
        0.0,
        False,
        FeatureSource.LINE_POLICY,
        stored_nullable=True,
    ),
    FeatureSpec(
        "has_line",
        _B,
        "1 when the line policy found an ACTUAL_PROP line, else 0.",
        0,
        1,
        0,
        False,
        FeatureSource.LINE_POLICY,
    ),
)

CONTRACT_V1 = FeatureContract("v1", _V1_FEATURES)

# Contract v2 = v1 plus scoring trajectory and teammates' absences (rest is v1's rest_days and
# is_back_to_back). Appended, so v1's features keep their positions and a v2 row serves a v1 model. Stored
# nullable: their columns were appended to a live table, where BigQuery allows only nullable columns.
_V2_NEW_FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec(
        "pts_slope_last10",
        _F,
        "Least-squares slope of points per game over the last 10 history games, oldest to newest "
        "(points per game; positive = rising); missing with fewer than 3.",
        -30,
        30,
        0.0,
        True,
        stored_nullable=True,
    ),
    FeatureSpec(
        "pts_zscore_last3",
        _F,
        "Mean points of the last 3 history games minus pts_avg_season, over the sample standard deviation "
        "(ddof=1) of the season's history games; missing with fewer than 3 season history games or a zero "
        "standard deviation.",
        -10,
        10,
        0.0,
        True,
        stored_nullable=True,
    ),
    FeatureSpec(
        "teammates_out_pts",
        _F,
        "Sum over the player's teammates ruled OUT on the game's latest injury report at decision time of "
        "their season points per played game (0 for one without a game this season); 0 with nobody OUT, "
        "missing when no report was available at all.",
        0,
        200,
        0.0,
        True,
        stored_nullable=True,
    ),
    FeatureSpec(
        "teammates_out_min",
        _F,
        "The same teammates' sum of season minutes per played game; 0 with nobody OUT, missing when no "
        "report was available at all.",
        0,
        400,
        0.0,
        True,
        stored_nullable=True,
    ),
)

CONTRACT_V2 = FeatureContract("v2", (*_V1_FEATURES, *_V2_NEW_FEATURES))

CONTRACTS: Mapping[str, FeatureContract] = MappingProxyType(
    {contract.version: contract for contract in (CONTRACT_V1, CONTRACT_V2)}
)
# The contract the feature store builds; the names below are its shorthands.
CURRENT_CONTRACT = CONTRACT_V2
# The contract whose defaulted inputs decide production readiness (the population bets are made on).
READINESS_CONTRACT = CONTRACT_V1

FEATURE_VERSION = CURRENT_CONTRACT.version
FEATURES: tuple[FeatureSpec, ...] = CURRENT_CONTRACT.features
FEATURES_BY_NAME: Mapping[str, FeatureSpec] = MappingProxyType({spec.name: spec for spec in FEATURES})
FEATURE_NAMES: tuple[str, ...] = CURRENT_CONTRACT.names
MODEL_FEATURES: tuple[str, ...] = CURRENT_CONTRACT.model_inputs


def contract_of(version: str) -> FeatureContract:
    """The contract of a version string; ValueError names the known ones."""
    try:
        return CONTRACTS[version]
    except KeyError:
        raise ValueError(f"unknown feature version {version!r} (known: {sorted(CONTRACTS)})") from None


def serves(row_version: str, model_version: str) -> bool:
    """Whether rows built for ``row_version`` hold every feature of ``model_version`` with its definition."""
    rows, model = contract_of(row_version), contract_of(model_version)
    return set(model.features) <= set(rows.features)


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _reject_unknown(names: Iterable[str]) -> None:
    unknown = sorted(set(names) - set(FEATURE_NAMES))
    if unknown:
        raise ValueError(f"unknown feature(s) for contract {FEATURE_VERSION}: {unknown}")


def missing_features(raw: Mapping[str, float | None]) -> tuple[str, ...]:
    """Names (in registry order) whose value is absent, None or NaN in ``raw``."""
    return tuple(name for name in FEATURE_NAMES if _is_missing(raw.get(name)))


def defaulted_inputs(raw: Mapping[str, float | None], contract: FeatureContract) -> tuple[str, ...]:
    """The model inputs of ``contract`` (in its order) whose raw value is absent, None or NaN."""
    return tuple(name for name in contract.model_inputs if _is_missing(raw.get(name)))


def apply_defaults(raw: Mapping[str, float | None]) -> tuple[dict[str, float], int]:
    """Complete a raw feature row with the contract defaults.

    Returns every registry feature in registry order (as float; ints and bools as whole floats) and the
    number of MODEL INPUTS that were defaulted (absent, None or NaN). Line features are not model inputs;
    their absence is expressed by has_line. An unknown feature name raises ValueError (contract drift).
    """
    _reject_unknown(raw.keys())
    values: dict[str, float] = {}
    defaulted = 0
    for spec in FEATURES:
        value = raw.get(spec.name)
        if value is None or _is_missing(value):
            values[spec.name] = float(spec.default)
            defaulted += int(spec.is_model_input)
        else:
            values[spec.name] = float(value)
    return values, defaulted


def validate_ranges(values: Mapping[str, float]) -> list[str]:
    """Problems of a completed feature row (empty list = valid): names, finiteness, ranges, dtypes, lines."""
    problems: list[str] = []
    unknown = sorted(set(values) - set(FEATURE_NAMES))
    if unknown:
        problems.append(f"unknown features: {unknown}")
    for spec in FEATURES:
        if spec.name not in values:
            problems.append(f"{spec.name}: missing")
            continue
        value = values[spec.name]
        if value is None or not math.isfinite(value):
            problems.append(f"{spec.name}: not a finite number ({value!r})")
            continue
        if not spec.min_value <= value <= spec.max_value:
            problems.append(f"{spec.name}: {value} outside [{spec.min_value}, {spec.max_value}]")
        if spec.dtype is not FeatureDtype.FLOAT and value != int(value):
            problems.append(f"{spec.name}: {value} is not a whole number ({spec.dtype})")
    if not problems:
        problems.extend(_line_consistency_problems(values))
    return problems


def _line_consistency_problems(values: Mapping[str, float]) -> list[str]:
    has_line, line, movement = values["has_line"], values["line_value"], values["line_movement"]
    if has_line == 0 and (line != 0 or movement != 0):
        return ["has_line is 0 but line_value/line_movement are not 0"]
    if has_line == 1 and not is_valid_line_value(line):
        return [f"line_value {line} is not a whole or half point line"]
    return []


def features_hash(values: Mapping[str, float], contract: FeatureContract = CURRENT_CONTRACT) -> str:
    """Stable sha256 hex of a contract's version and each of its features (name=value, registry order,
    rounded); ``values`` may hold more features (a v2 row hashed for a v1 model) but none unknown.

    Same inputs -> same hash, whatever the mapping's order or the float noise below 1e-6. Requires a
    completed row (see ``apply_defaults``): a missing, unknown or non-finite value raises ValueError.
    """
    _reject_unknown(values.keys())
    parts = [f"version={contract.version}"]
    for name in contract.names:
        if name not in values:
            raise ValueError(f"cannot hash a row without {name}; apply_defaults first")
        value = float(values[name])
        if not math.isfinite(value):
            raise ValueError(f"cannot hash non-finite {name}={value}")
        text = f"{value:.{HASH_DECIMALS}f}"
        if float(text) == 0:
            text = f"{0.0:.{HASH_DECIMALS}f}"  # -0.0 and -1e-9 hash like 0.0
        parts.append(f"{name}={text}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def stored_feature_values(row: Mapping[str, Any]) -> dict[str, float]:
    """The completed contract values of a stored feature row (a NULL line is 0, as in the contract)."""
    values, _ = apply_defaults(
        {name: None if row.get(name) is None else float(row[name]) for name in FEATURE_NAMES}
    )
    return values


def model_input_vector(
    values: Mapping[str, float], contract: FeatureContract = CURRENT_CONTRACT
) -> list[float]:
    """A contract's model inputs of a completed row, in its registry order (the order models train with)."""
    return [float(values[name]) for name in contract.model_inputs]


def is_production_ready(history_games: int, defaulted_count: int) -> bool:
    """A row is production-ready with >= 5 history games and <= 4 defaulted model inputs (counted over the
    READINESS_CONTRACT's inputs by the feature store).

    Rows that are not ready are still stored (for diagnostics) but are not recommended on.
    """
    return (
        history_games >= MIN_HISTORY_GAMES_FOR_PRODUCTION and defaulted_count <= MAX_DEFAULTED_FOR_PRODUCTION
    )


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _format_default(spec: FeatureSpec) -> str:
    return str(float(spec.default)) if spec.dtype is FeatureDtype.FLOAT else str(int(spec.default))


def contract_markdown_table(contract: FeatureContract = CURRENT_CONTRACT) -> str:
    """The contract as a Markdown table (docs/features.md embeds exactly this; a test keeps them equal)."""
    lines = [
        "| # | name | dtype | model input | source | definition | valid range | default |",
        "|---|------|-------|-------------|--------|------------|-------------|---------|",
    ]
    for position, spec in enumerate(contract.features, start=1):
        valid_range = f"[{_format_number(spec.min_value)}, {_format_number(spec.max_value)}]"
        lines.append(
            f"| {position} | `{spec.name}` | {spec.dtype} | {'yes' if spec.is_model_input else 'no'} | "
            f"{spec.source} | {spec.definition} | {valid_range} | {_format_default(spec)} |"
        )
    return "\n".join(lines) + "\n"
