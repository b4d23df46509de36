-- Append-only: one row per alias change (promote, demote, rollback, or a training run that registered its
-- model with an alias), never updated or deleted (shared/services/promotion_log.py INSERTs it, nothing else
-- writes it). A rollback reads it to restore the previous champion (shared/domain/champion_history.py).
CREATE TABLE IF NOT EXISTS nba_predictions.model_promotions (
  promotion_id STRING NOT NULL,     -- sha256 of the change (time, action, alias, models)
  changed_at TIMESTAMP NOT NULL,
  actor STRING NOT NULL,            -- who: the login and host for the CLI, "training" for a training run
  environment STRING NOT NULL,      -- COURTSIDE_ENVIRONMENT (empty locally)
  reason STRING NOT NULL,           -- why, as given
  action STRING NOT NULL,           -- promote | demote | rollback | assign (training with an alias)
  alias STRING NOT NULL,            -- champion | shadow
  from_model_id STRING,             -- the model that lost the alias (NULL: nobody held it)
  to_model_id STRING,               -- the model that got it (NULL: demote)
  forced BOOL NOT NULL,             -- promoted with --force despite failed gates
  gates STRING NOT NULL,            -- JSON: [{gate, passed, reason}], empty for ungated changes
  evidence STRING NOT NULL          -- JSON summary: runs, bets, config hash
)
PARTITION BY DATE(changed_at)
CLUSTER BY alias, action
OPTIONS (description = "Every champion/shadow alias change with who, why, its evidence and gates (append-only)");
