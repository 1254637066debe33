-- 009_equity_chunks.sql — backtest equity curves stored as columnar chunks.
--
-- Creates: backtest_equity_chunks.
-- For:     issue 4's end-to-end target (a 1,000,000-bar backtest loaded, run and stored in under
--          a second). One row per bar in backtest_equity cost 0.75–0.9 s for 1,000,000 points
--          and grew slower with every curve the file held (b-tree inserts into one big index).
--          A chunk of up to 8,192 consecutive points in one row, each column a packed array, is
--          written at the speed of the disk and read back with one step per chunk.
--
-- The store writes new curves here only (src/store/hs-store-backtest.c); backtest_equity keeps
-- the rows of runs stored before this migration, and the store reads a run's curve from
-- whichever of the two holds it. Nothing is moved: the rows stay where they are.
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- backtest_equity_chunks: points first_index .. first_index + n_points - 1 of a run's curve.
-- Each column is a BLOB of n_points little-endian values: ts as int64 (µs UTC), the others
-- IEEE-754 binary64 in the units of backtest_equity (equity, cash, holdings in the account
-- currency; drawdown a fraction below the running peak; benchmark a price). NaN is "no value".
-- cash, holdings, drawdown and benchmark are NULL when the run has no such series at all.
-- first_ts / last_ts repeat the chunk's first and last ts so a range can be read without
-- unpacking every chunk.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE backtest_equity_chunks (
    run_id      INTEGER NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
    chunk_no    INTEGER NOT NULL CHECK (chunk_no >= 0),
    first_index INTEGER NOT NULL CHECK (first_index >= 0),
    n_points    INTEGER NOT NULL CHECK (n_points BETWEEN 1 AND 8192),
    first_ts    INTEGER NOT NULL,
    last_ts     INTEGER NOT NULL CHECK (last_ts >= first_ts),
    ts          BLOB    NOT NULL CHECK (length(ts) = 8 * n_points),
    equity      BLOB    NOT NULL CHECK (length(equity) = 8 * n_points),
    cash        BLOB    CHECK (cash IS NULL OR length(cash) = 8 * n_points),
    holdings    BLOB    CHECK (holdings IS NULL OR length(holdings) = 8 * n_points),
    drawdown    BLOB    CHECK (drawdown IS NULL OR length(drawdown) = 8 * n_points),
    benchmark   BLOB    CHECK (benchmark IS NULL OR length(benchmark) = 8 * n_points),
    PRIMARY KEY (run_id, chunk_no)
);
