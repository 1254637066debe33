-- 005_system.sql — system health metrics, user-facing alerts and the JSON event log.
--
-- Creates: system_metrics, alerts, event_log.
-- Seeds:   004 (system_metrics, alerts), 001 (standardised JSON event logs / ledger).
-- schema_migrations is not created here: the migration runner owns it.
--
-- Timestamps INTEGER microseconds UTC; JSON as TEXT with CHECK (json_valid(...)).
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- system_metrics: one sample of one metric. component is the provider or module that measured
-- it ('fetch.binance', 'jobs.backtest', ...); name e.g. 'trades_per_second',
-- 'orderbook_update_latency', 'signal_generation_time'; labels a JSON object of extra
-- dimensions ('{}' when none; write it in canonical form, keys sorted, no spaces).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE system_metrics (
    id        INTEGER PRIMARY KEY,
    ts        INTEGER NOT NULL,
    component TEXT    NOT NULL CHECK (length(component) BETWEEN 1 AND 100),
    name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    value     REAL    NOT NULL,
    unit      TEXT,
    labels    TEXT    NOT NULL DEFAULT '{}'
                      CHECK (CASE WHEN json_valid(labels)
                                  THEN json_type(labels) = 'object' ELSE 0 END),
    UNIQUE (component, name, ts, labels)
);

CREATE INDEX idx_system_metrics_ts ON system_metrics (ts);

-- ---------------------------------------------------------------------------------------------
-- alerts: notifications shown to the user (and optionally forwarded). dedupe_key, when set,
-- makes raising the same alert twice a no-op (ON CONFLICT DO NOTHING).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    ts              INTEGER NOT NULL,
    kind            TEXT    NOT NULL
                            CHECK (kind IN ('signal_generated', 'position_opened',
                                            'position_closed', 'stop_loss', 'take_profit',
                                            'risk_breach', 'data_gap', 'provider_error',
                                            'backtest_finished', 'system_error')),
    severity        TEXT    NOT NULL DEFAULT 'info'
                            CHECK (severity IN ('debug', 'info', 'warning', 'error',
                                                'critical')),
    title           TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    message         TEXT,
    source          TEXT,
    acknowledged    INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1)),
    acknowledged_at INTEGER,
    dedupe_key      TEXT,
    payload         TEXT    CHECK (payload IS NULL OR json_valid(payload)),
    CHECK (acknowledged = 1 OR acknowledged_at IS NULL),
    UNIQUE (dedupe_key)
);

CREATE INDEX idx_alerts_ts ON alerts (ts);
CREATE INDEX idx_alerts_unacknowledged ON alerts (ts) WHERE acknowledged = 0;

-- ---------------------------------------------------------------------------------------------
-- event_log: structured application events (append-only audit trail). event is a dotted name
-- ('order.submitted', 'fetch.retry', 'backtest.finished'); payload a JSON object.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE event_log (
    id        INTEGER PRIMARY KEY,
    ts        INTEGER NOT NULL,
    level     TEXT    NOT NULL DEFAULT 'info'
                      CHECK (level IN ('debug', 'info', 'warning', 'error', 'critical')),
    event     TEXT    NOT NULL CHECK (length(event) BETWEEN 1 AND 100),
    component TEXT,
    payload   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(payload))
);

CREATE INDEX idx_event_log_ts ON event_log (ts);
CREATE INDEX idx_event_log_event_ts ON event_log (event, ts);
CREATE INDEX idx_event_log_problems ON event_log (ts) WHERE level IN ('error', 'critical');
