-- 002_features_signals.sql — derived features, indicators, strategy signals and risk vetoes.
--
-- Creates: indicators, features, signals, risk_vetoes.
-- Seeds:   004 (indicators; signals with signal_type, confidence, reasons, warnings, price, cvd,
--               orderbook_imbalance),
--          001 (features with config hash and source_commit; signals with session, setup,
--               score, features_ref, filters_passed/blocked, status; risk veto reasons).
--
-- Timestamps INTEGER microseconds UTC; JSON as TEXT with CHECK (json_valid(...)).
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- indicators: cached indicator values per series and bar. `name` is the canonical text of the
-- indicator expression in the rule language, e.g. 'rsi(close, 14)', 'sma(close, 10)'.
-- Multi-output indicators (MACD, Bollinger) keep their extra outputs in `metadata`.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE indicators (
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    interval      TEXT    NOT NULL
                          -- ORs, not IN (...): SQLite builds a temporary b-tree per INSERT for an IN list.
                          CHECK (interval = 'tick' OR interval = '1s' OR interval = '1m'
                                 OR interval = '5m' OR interval = '15m' OR interval = '30m'
                                 OR interval = '1h' OR interval = '4h' OR interval = '1d'
                                 OR interval = '2d' OR interval = '1w' OR interval = '2w'
                                 OR interval = '1mo'),
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    ts            INTEGER NOT NULL,
    value         REAL,
    metadata      TEXT    CHECK (metadata IS NULL OR json_valid(metadata)),
    PRIMARY KEY (instrument_id, interval, name, ts)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- features: the feature-engine snapshot a live strategy saw (seed 001), reproducible through
-- config_hash (digest of session policy + settings) and source_commit (code version).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE features (
    id            INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    ts            INTEGER NOT NULL,
    session       TEXT    CHECK (length(session) BETWEEN 1 AND 64),
    vwap          REAL    CHECK (vwap > 0),
    sigma_upper   REAL    CHECK (sigma_upper > 0),
    sigma_lower   REAL    CHECK (sigma_lower > 0),
    ema20         REAL    CHECK (ema20 > 0),
    ema50         REAL    CHECK (ema50 > 0),
    ema20_slope   REAL,
    rvol          REAL    CHECK (rvol >= 0),
    hod           REAL    CHECK (hod > 0),
    lod           REAL    CHECK (lod > 0),
    prev_close    REAL    CHECK (prev_close > 0),
    cvd           REAL,
    ob_imbalance  REAL    CHECK (ob_imbalance BETWEEN -100 AND 100),
    lookback_min  INTEGER CHECK (lookback_min >= 0),
    lookback_days INTEGER CHECK (lookback_days >= 0),
    config_hash   TEXT    NOT NULL CHECK (length(config_hash) BETWEEN 1 AND 128),
    source_commit TEXT,
    created_at    INTEGER NOT NULL,
    CHECK (sigma_upper >= sigma_lower),
    CHECK (hod >= lod),
    UNIQUE (instrument_id, ts, config_hash)
);

-- ---------------------------------------------------------------------------------------------
-- signals: every signal a strategy emitted, with the market state and the filters it met.
-- confidence 0..100; confidence_level is a derived bucket for seed 004's signal-quality query.
-- outcome/outcome_r are the labels attached after the fact (seed 001, "Label Generation").
-- ---------------------------------------------------------------------------------------------
CREATE TABLE signals (
    id                  INTEGER PRIMARY KEY,
    instrument_id       INTEGER NOT NULL REFERENCES instruments (id) ON DELETE RESTRICT,
    ts                  INTEGER NOT NULL,
    strategy_name       TEXT    NOT NULL CHECK (length(strategy_name) BETWEEN 1 AND 100),
    strategy_version    TEXT    NOT NULL DEFAULT '',
    setup               TEXT    NOT NULL DEFAULT '',
    signal_type         TEXT    NOT NULL
                                CHECK (signal_type IN ('STRONG_BUY', 'BUY', 'NEUTRAL', 'SELL',
                                                       'STRONG_SELL')),
    confidence          REAL    CHECK (confidence BETWEEN 0 AND 100),
    confidence_level    TEXT    GENERATED ALWAYS AS (
                                    CASE WHEN confidence IS NULL THEN NULL
                                         WHEN confidence >= 80 THEN 'high'
                                         WHEN confidence >= 50 THEN 'medium'
                                         ELSE 'low' END) VIRTUAL,
    score               REAL,
    session             TEXT    CHECK (length(session) BETWEEN 1 AND 64),
    price               REAL    CHECK (price > 0),
    cvd                 REAL,
    orderbook_imbalance REAL    CHECK (orderbook_imbalance BETWEEN -100 AND 100),
    features_id         INTEGER REFERENCES features (id) ON DELETE SET NULL,
    reasons             TEXT    NOT NULL DEFAULT '[]'
                                CHECK (CASE WHEN json_valid(reasons)
                                            THEN json_type(reasons) = 'array' ELSE 0 END),
    warnings            TEXT    NOT NULL DEFAULT '[]'
                                CHECK (CASE WHEN json_valid(warnings)
                                            THEN json_type(warnings) = 'array' ELSE 0 END),
    filters_passed      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(filters_passed)),
    filters_blocked     TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(filters_blocked)),
    status              TEXT    NOT NULL DEFAULT 'generated'
                                CHECK (status IN ('generated', 'blocked', 'promoted')),
    outcome             TEXT    CHECK (outcome IN ('take_profit', 'stop_loss', 'time_stop',
                                                   'no_fill')),
    outcome_r           REAL,
    labeled_at          INTEGER,
    created_at          INTEGER NOT NULL,
    UNIQUE (instrument_id, strategy_name, setup, ts)
);

CREATE INDEX idx_signals_ts ON signals (ts);
CREATE INDEX idx_signals_type_confidence ON signals (signal_type, confidence);
CREATE INDEX idx_signals_strategy_ts ON signals (strategy_name, ts);
CREATE INDEX idx_signals_features ON signals (features_id) WHERE features_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- risk_vetoes: why the risk module refused (or downgraded) a signal. One row per rule.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE risk_vetoes (
    id         INTEGER PRIMARY KEY,
    signal_id  INTEGER NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    ts         INTEGER NOT NULL,
    rule       TEXT    NOT NULL CHECK (length(rule) BETWEEN 1 AND 100),
    reason     TEXT    NOT NULL,
    details    TEXT    CHECK (details IS NULL OR json_valid(details)),
    UNIQUE (signal_id, rule)
);
