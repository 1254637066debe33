-- 006_reshape_backtest_runs.sql — rebuild backtest_runs into its final shape, keeping its rows.
--
-- Reshapes: backtest_runs (created early in 004), view backtest_strategy_comparison.
-- Seeds:    002 (every statistic as its own column, removed parameters/statistics, cache-key
--                composite index), 003 (strategy_version), 004 (compare-strategies query).
--
-- SQLite's 12-step table rebuild (https://www.sqlite.org/lang_altertable.html#otheralter):
--   1. create backtest_runs_new in the final shape
--   2. copy every row, mapping renamed columns (ids are kept, so backtest_trades,
--      backtest_equity and paper_trades still point at the same runs)
--   3. drop the view that reads backtest_runs (ALTER TABLE RENAME re-parses views)
--   4. drop the old table (its indexes go with it)
--   5. rename the new table to backtest_runs
--   6. recreate the indexes and the view
-- The runner runs this file in one transaction with PRAGMA foreign_keys=OFF (so DROP TABLE does
-- not cascade into backtest_trades / backtest_equity / paper_trades) and checks
-- PRAGMA foreign_key_check before COMMIT. No BEGIN/COMMIT/PRAGMA here.
--
-- Column mapping old -> new:
--   backtest_id -> batch_id            resolution         -> interval
--   strategy_config -> parameters      (a non-object value is wrapped as {"legacy_config": ...};
--                                       non-NULL param_holding_period / param_stop_loss /
--                                       param_take_profit are kept as parameters.legacy_params)
--   total_pnl -> net_profit_currency   num_trades         -> total_trades
--   avg_winning_return -> average_win  avg_losing_return  -> average_loss
--   avg_holding_days -> average_holding_time (seconds = days * 86400)
--   time_in_market -> exposure         status 'pending'   -> 'queued'
--   derived exactly: start_equity = initial_cash; end_equity = final_value =
--   initial_cash + total_pnl; net_profit = total_return; loss_rate = losing / total trades.
-- Dropped (seed 002 "Remove Columns"): avg_return, median_return, std_dev, min_return,
--   max_return, best_trade, worst_trade, total_profit, total_loss.

-- 0. Guard: with foreign keys ON, DROP TABLE backtest_runs would first delete every run and
--    cascade into backtest_trades, backtest_equity and paper_trades. Refuse (CHECK constraint
--    failed: foreign_keys_must_be_off) instead of losing rows; an empty table is safe.
CREATE TEMP TABLE _hs_guard (
    foreign_keys_must_be_off INTEGER CHECK (foreign_keys_must_be_off = 0)
);
INSERT INTO _hs_guard
SELECT foreign_keys FROM pragma_foreign_keys WHERE EXISTS (SELECT 1 FROM backtest_runs);
DROP TABLE _hs_guard;

-- 1. The final shape. ------------------------------------------------------------------------
CREATE TABLE backtest_runs_new (
    id                          INTEGER PRIMARY KEY,
    batch_id                    TEXT,
    -- what was run
    strategy_name               TEXT    NOT NULL CHECK (length(strategy_name) BETWEEN 1 AND 100),
    strategy_version            TEXT    NOT NULL DEFAULT '',
    instrument_id               INTEGER REFERENCES instruments (id) ON DELETE SET NULL,
    symbol                      TEXT    NOT NULL CHECK (length(symbol) BETWEEN 1 AND 64),
    interval                    TEXT    NOT NULL
                                        CHECK (interval IN ('tick', '1s', '1m', '5m', '15m',
                                                            '30m', '1h', '4h', '1d', '2d',
                                                            '1w', '2w', '1mo')),
    start_ts                    INTEGER NOT NULL,
    end_ts                      INTEGER NOT NULL,
    initial_cash                REAL    NOT NULL CHECK (initial_cash > 0),
    parameters                  TEXT    NOT NULL DEFAULT '{}'
                                        CHECK (CASE WHEN json_valid(parameters)
                                                    THEN json_type(parameters) = 'object'
                                                    ELSE 0 END),
    profile                     TEXT    NOT NULL DEFAULT 'default'
                                        CHECK (profile IN ('default', 'lean')),
    fee_model                   TEXT,
    slippage_model              TEXT,
    sizing_model                TEXT,
    benchmark                   TEXT,
    pivot_bars                  INTEGER CHECK (pivot_bars > 0),
    lower_timeframe             TEXT
                                        CHECK (lower_timeframe IN ('tick', '1s', '1m', '5m',
                                                                   '15m', '30m', '1h', '4h',
                                                                   '1d', '2d', '1w', '2w',
                                                                   '1mo')),
    cache_key                   TEXT,
    data_fingerprint            TEXT,
    -- core performance (fractions: 0.0183 = 1.83 %; currency in the account currency)
    total_return                REAL,
    net_profit                  REAL,
    net_profit_currency         REAL,
    compounding_annual_return   REAL,
    final_value                 REAL,
    start_equity                REAL,
    end_equity                  REAL,
    -- risk
    sharpe_ratio                REAL,
    sortino_ratio               REAL,
    max_drawdown                REAL    CHECK (max_drawdown >= 0),
    probabilistic_sharpe_ratio  REAL    CHECK (probabilistic_sharpe_ratio BETWEEN 0 AND 1),
    annual_standard_deviation   REAL    CHECK (annual_standard_deviation >= 0),
    annual_variance             REAL    CHECK (annual_variance >= 0),
    beta                        REAL,
    alpha                       REAL,
    -- trading
    total_trades                INTEGER CHECK (total_trades >= 0),
    winning_trades              INTEGER CHECK (winning_trades >= 0),
    losing_trades               INTEGER CHECK (losing_trades >= 0),
    win_rate                    REAL    CHECK (win_rate BETWEEN 0 AND 1),
    loss_rate                   REAL    CHECK (loss_rate BETWEEN 0 AND 1),
    average_win                 REAL,
    average_loss                REAL,
    profit_factor               REAL    CHECK (profit_factor >= 0),
    profit_loss_ratio           REAL    CHECK (profit_loss_ratio >= 0),
    expectancy                  REAL,
    total_orders                INTEGER CHECK (total_orders >= 0),
    -- advanced
    information_ratio           REAL,
    tracking_error              REAL    CHECK (tracking_error >= 0),
    treynor_ratio               REAL,
    total_fees                  REAL    CHECK (total_fees >= 0),
    estimated_strategy_capacity REAL    CHECK (estimated_strategy_capacity >= 0),
    lowest_capacity_asset       TEXT,
    portfolio_turnover          REAL    CHECK (portfolio_turnover >= 0),
    -- strategy-specific (market structure)
    pivot_highs_detected        INTEGER CHECK (pivot_highs_detected >= 0),
    pivot_lows_detected         INTEGER CHECK (pivot_lows_detected >= 0),
    bos_signals_generated       INTEGER CHECK (bos_signals_generated >= 0),
    position_flips              INTEGER CHECK (position_flips >= 0),
    liquidation_events          INTEGER CHECK (liquidation_events >= 0),
    -- further statistics
    drawdown_recovery           INTEGER CHECK (drawdown_recovery >= 0),
    calmar_ratio                REAL,
    omega_ratio                 REAL    CHECK (omega_ratio >= 0),
    tail_ratio                  REAL    CHECK (tail_ratio >= 0),
    var_95                      REAL,
    stability                   REAL    CHECK (stability BETWEEN 0 AND 1),
    exposure                    REAL    CHECK (exposure BETWEEN 0 AND 1),
    average_holding_time        REAL    CHECK (average_holding_time >= 0),
    longest_losing_streak       INTEGER CHECK (longest_losing_streak >= 0),
    -- execution
    execution_time_ms           INTEGER CHECK (execution_time_ms >= 0),
    result_path                 TEXT,
    status                      TEXT    NOT NULL DEFAULT 'queued'
                                        CHECK (status IN ('queued', 'running', 'completed',
                                                          'failed', 'cancelled')),
    error_message               TEXT,
    cache_hit                   INTEGER NOT NULL DEFAULT 0 CHECK (cache_hit IN (0, 1)),
    started_at                  INTEGER,
    finished_at                 INTEGER,
    created_at                  INTEGER NOT NULL,
    CHECK (end_ts > start_ts),
    CHECK (winning_trades + losing_trades <= total_trades),
    CHECK (finished_at >= started_at),
    CHECK (cache_hit = 0 OR cache_key IS NOT NULL)
);

-- 2. Copy the rows. ----------------------------------------------------------------------------
INSERT INTO backtest_runs_new (
    id, batch_id, strategy_name, symbol, instrument_id, interval, start_ts, end_ts, initial_cash,
    parameters,
    total_return, net_profit, net_profit_currency, final_value, start_equity, end_equity,
    sharpe_ratio, sortino_ratio, max_drawdown,
    total_trades, winning_trades, losing_trades, win_rate, loss_rate,
    average_win, average_loss, profit_factor,
    average_holding_time, exposure,
    execution_time_ms, status, error_message, cache_hit, created_at)
WITH prev AS (
    SELECT backtest_runs.*,
           CASE WHEN json_type(strategy_config) = 'object' THEN strategy_config
                ELSE json_object('legacy_config', json(strategy_config)) END AS config
      FROM backtest_runs
)
SELECT o.id,
       o.backtest_id,
       o.strategy_name,
       o.symbol,
       (SELECT i.id FROM instruments AS i WHERE i.symbol = o.symbol ORDER BY i.id LIMIT 1),
       o.resolution,
       o.start_ts,
       o.end_ts,
       o.initial_cash,
       CASE WHEN coalesce(o.param_holding_period, o.param_stop_loss, o.param_take_profit) IS NULL
            THEN o.config
            ELSE json_set(o.config, '$.legacy_params',
                          json_patch('{}', json_object('holding_period', o.param_holding_period,
                                                       'stop_loss', o.param_stop_loss,
                                                       'take_profit', o.param_take_profit)))
       END,
       o.total_return,
       o.total_return,
       o.total_pnl,
       o.initial_cash + o.total_pnl,
       o.initial_cash,
       o.initial_cash + o.total_pnl,
       o.sharpe_ratio,
       o.sortino_ratio,
       o.max_drawdown,
       o.num_trades,
       o.winning_trades,
       o.losing_trades,
       o.win_rate,
       CASE WHEN o.num_trades > 0 THEN 1.0 * o.losing_trades / o.num_trades END,
       o.avg_winning_return,
       o.avg_losing_return,
       o.profit_factor,
       o.avg_holding_days * 86400.0,
       o.time_in_market,
       o.execution_time_ms,
       CASE o.status WHEN 'pending' THEN 'queued' ELSE o.status END,
       o.error_message,
       0,
       o.created_at
  FROM prev AS o
 ORDER BY o.id;

-- 3. Views that read the table. ------------------------------------------------------------------
DROP VIEW backtest_strategy_comparison;

-- 4./5. Swap the tables. ----------------------------------------------------------------------
DROP TABLE backtest_runs;
ALTER TABLE backtest_runs_new RENAME TO backtest_runs;

-- 6. Indexes. ----------------------------------------------------------------------------------
-- Seed 002's cache-key composite index: finds candidate cached runs by their parameters.
CREATE INDEX idx_backtest_cache_key ON backtest_runs
    (symbol, strategy_name, start_ts, end_ts, initial_cash, pivot_bars, lower_timeframe);
-- The full cache key (inputs + strategy version + data fingerprint): at most one computed,
-- completed run per key. Look up with
--   WHERE cache_key = ? AND status = 'completed' AND cache_hit = 0
-- so that SQLite can use this partial index.
CREATE UNIQUE INDEX idx_backtest_runs_cache_key_completed ON backtest_runs (cache_key)
    WHERE status = 'completed' AND cache_hit = 0 AND cache_key IS NOT NULL;
CREATE INDEX idx_backtest_runs_strategy ON backtest_runs (strategy_name, strategy_version);
CREATE INDEX idx_backtest_runs_created ON backtest_runs (created_at);
CREATE INDEX idx_backtest_runs_batch ON backtest_runs (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX idx_backtest_runs_instrument ON backtest_runs (instrument_id)
    WHERE instrument_id IS NOT NULL;
CREATE INDEX idx_backtest_runs_active ON backtest_runs (status)
    WHERE status IN ('queued', 'running');

-- Seed 004 "Compare strategies", over the final columns. Cache-hit rows repeat a computed run,
-- so they are left out of the averages.
CREATE VIEW backtest_strategy_comparison AS
SELECT strategy_name,
       COUNT(*)                         AS runs,
       COUNT(DISTINCT strategy_version) AS versions,
       AVG(win_rate)                    AS avg_win_rate,
       AVG(sharpe_ratio)                AS avg_sharpe,
       AVG(sortino_ratio)               AS avg_sortino,
       AVG(max_drawdown)                AS avg_max_dd,
       AVG(profit_factor)               AS avg_profit_factor,
       AVG(net_profit)                  AS avg_net_profit,
       AVG(total_trades)                AS avg_total_trades,
       MAX(created_at)                  AS last_run_at
  FROM backtest_runs
 WHERE status = 'completed' AND cache_hit = 0
 GROUP BY strategy_name
 ORDER BY avg_sharpe DESC;
