-- 019_watch_backfill.sql — what the poller keeps fetching, and where each backfill stands.
--
-- Creates: watch_list, backfill_state.
-- Seeds:   003 (phase 1: "5-second REST polling"; source backfill: "historical data import"),
--          001 (REST fallbacks and backfill).
--
-- The poller (src/jobs/hs-poller.c, docs/fetch.md) runs every enabled watch_list entry whose
-- next_due has come, on a pool of workers, and writes back how the run went. A backfill
-- (src/jobs/hs-backfill.c) fetches a range in the provider's windows and saves its resume
-- point in backfill_state in the same transaction as each window's rows, so a backfill stopped
-- anywhere (Ctrl-C, a crash, a failed request) continues where it stopped.
-- Timestamps INTEGER microseconds UTC. Provider tokens are never stored here (keyring).
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- watch_list: one thing to fetch again and again. interval is '' except for candles (so that
-- UNIQUE treats "no interval" as one value). failures counts failed runs in a row; next_due is
-- when the entry is run next (0: at once).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE watch_list (
    id            INTEGER PRIMARY KEY,
    provider      TEXT    NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
    symbol        TEXT    NOT NULL CHECK (length(symbol) BETWEEN 1 AND 256),
    kind          TEXT    NOT NULL
                          CHECK (kind IN ('instruments', 'candles', 'trades', 'book',
                                          'snapshots', 'options')),
    interval      TEXT    NOT NULL DEFAULT ''
                          CHECK (interval IN ('', '1m', '5m', '15m', '30m', '1h', '4h', '1d',
                                              '1w', '1mo')),
    period_s      REAL    NOT NULL CHECK (period_s >= 1),
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at    INTEGER NOT NULL,
    next_due      INTEGER NOT NULL DEFAULT 0,
    last_run      INTEGER,
    last_success  INTEGER,
    last_error    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    runs          INTEGER NOT NULL DEFAULT 0 CHECK (runs >= 0),
    rows_inserted INTEGER NOT NULL DEFAULT 0 CHECK (rows_inserted >= 0),
    CHECK ((kind = 'candles') = (interval <> '')),
    UNIQUE (provider, symbol, kind, interval)
);

CREATE INDEX idx_watch_list_due ON watch_list (next_due) WHERE enabled = 1;

-- ---------------------------------------------------------------------------------------------
-- backfill_state: one backfill of a series from start_ts (to end_ts, or to "now" when NULL).
-- cursor is the provider's cursor of the next window (NULL before the first and after the
-- last); resume_from the time that window starts when the cursor is a time. done = 1 once a
-- walk reached its last window; covered_to is then the end it reached, where running the same
-- backfill again (to a later now) starts.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE backfill_state (
    id            INTEGER PRIMARY KEY,
    provider      TEXT    NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
    symbol        TEXT    NOT NULL CHECK (length(symbol) BETWEEN 1 AND 256),
    kind          TEXT    NOT NULL CHECK (kind IN ('candles', 'trades')),
    interval      TEXT    NOT NULL DEFAULT '',
    start_ts      INTEGER NOT NULL,
    end_ts        INTEGER,
    cursor        TEXT,
    resume_from   INTEGER,
    covered_to    INTEGER,
    done          INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    windows       INTEGER NOT NULL DEFAULT 0 CHECK (windows >= 0),
    rows_inserted INTEGER NOT NULL DEFAULT 0 CHECK (rows_inserted >= 0),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_error    TEXT,
    CHECK (end_ts IS NULL OR end_ts >= start_ts),
    CHECK ((kind = 'candles') = (interval <> '')),
    UNIQUE (provider, symbol, kind, interval, start_ts)
);
