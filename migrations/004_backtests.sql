-- 004_backtests.sql — backtest runs, their trades and their equity curves.
--
-- Creates: backtest_runs (EARLY shape), backtest_trades, backtest_equity,
--          view backtest_strategy_comparison.
-- Seeds:   002 (the "current" results table: a few statistics plus parameters that are later
--               removed), 003 (backtest_executions with entry/exit market-snapshot links and
--               signal_metadata; strategy_version), 004 (backtest_runs, backtest_equity_curve,
--               the "compare strategies" query).
--
-- backtest_runs here is deliberately the early shape of seed 002's "current" table.
-- 006_reshape_backtest_runs.sql rebuilds it into the final shape (every statistic as its own
-- column, cache key, status 'queued'/'cancelled') and keeps its rows; backtest_trades,
-- backtest_equity and paper_trades keep pointing at the same run ids.
-- Statistics are fractions (0.026 = 2.6 %), as in LEAN's portfolioStatistics; see docs/schema.md.
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- backtest_runs (early shape).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE backtest_runs (
    id                   INTEGER PRIMARY KEY,
    backtest_id          TEXT,
    strategy_name        TEXT    NOT NULL CHECK (length(strategy_name) BETWEEN 1 AND 100),
    symbol               TEXT    NOT NULL CHECK (length(symbol) BETWEEN 1 AND 64),
    resolution           TEXT    NOT NULL
                                 CHECK (resolution IN ('tick', '1s', '1m', '5m', '15m', '30m',
                                                       '1h', '4h', '1d', '2d', '1w', '2w',
                                                       '1mo')),
    start_ts             INTEGER NOT NULL,
    end_ts               INTEGER NOT NULL,
    initial_cash         REAL    NOT NULL CHECK (initial_cash > 0),
    strategy_config      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(strategy_config)),
    -- parameters seed 002 removes
    param_holding_period INTEGER,
    param_stop_loss      REAL,
    param_take_profit    REAL,
    -- statistics
    total_return         REAL,
    total_pnl            REAL,
    sharpe_ratio         REAL,
    sortino_ratio        REAL,
    max_drawdown         REAL    CHECK (max_drawdown >= 0),
    num_trades           INTEGER CHECK (num_trades >= 0),
    winning_trades       INTEGER CHECK (winning_trades >= 0),
    losing_trades        INTEGER CHECK (losing_trades >= 0),
    win_rate             REAL    CHECK (win_rate BETWEEN 0 AND 1),
    avg_winning_return   REAL,
    avg_losing_return    REAL,
    profit_factor        REAL    CHECK (profit_factor >= 0),
    -- statistics seed 002 removes
    avg_return           REAL,
    median_return        REAL,
    std_dev              REAL,
    min_return           REAL,
    max_return           REAL,
    avg_holding_days     REAL    CHECK (avg_holding_days >= 0),
    best_trade           REAL,
    worst_trade          REAL,
    total_profit         REAL,
    total_loss           REAL,
    time_in_market       REAL    CHECK (time_in_market BETWEEN 0 AND 1),
    -- execution
    execution_time_ms    INTEGER CHECK (execution_time_ms >= 0),
    status               TEXT    NOT NULL DEFAULT 'pending'
                                 CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    error_message        TEXT,
    created_at           INTEGER NOT NULL,
    CHECK (end_ts > start_ts),
    CHECK (winning_trades + losing_trades <= num_trades)
);

CREATE INDEX idx_backtest_runs_strategy ON backtest_runs (strategy_name);
CREATE INDEX idx_backtest_runs_backtest_id ON backtest_runs (backtest_id)
    WHERE backtest_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- backtest_trades: the round trips of one run (seed 003's backtest_executions).
-- trade_no = 1, 2, ... in entry order within the run (natural key for re-imports, e.g. of a
-- LEAN result file). pnl is account currency net of fees; *_pct are percent (1.5 = +1.5 %);
-- mfe_pct / mae_pct are magnitudes >= 0. Labels as in paper_trades.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE backtest_trades (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
    trade_no         INTEGER NOT NULL CHECK (trade_no >= 1),
    instrument_id    INTEGER REFERENCES instruments (id) ON DELETE SET NULL,
    side             TEXT    NOT NULL CHECK (side IN ('long', 'short')),
    quantity         REAL    NOT NULL CHECK (quantity > 0),
    entry_ts         INTEGER NOT NULL,
    entry_price      REAL    NOT NULL CHECK (entry_price > 0),
    exit_ts          INTEGER,
    exit_price       REAL    CHECK (exit_price > 0),
    pnl              REAL,
    pnl_pct          REAL,
    fees             REAL    NOT NULL DEFAULT 0 CHECK (fees >= 0),
    mfe_pct          REAL    CHECK (mfe_pct >= 0),
    mae_pct          REAL    CHECK (mae_pct >= 0),
    bars_held        INTEGER CHECK (bars_held >= 0),
    exit_reason      TEXT    CHECK (exit_reason IN ('take_profit', 'stop_loss', 'trailing_stop',
                                                    'time_stop', 'signal', 'manual',
                                                    'end_of_day', 'end_of_data', 'liquidation',
                                                    'cancelled')),
    entry_snapshot_id INTEGER REFERENCES market_snapshots (id) ON DELETE SET NULL,
    exit_snapshot_id  INTEGER REFERENCES market_snapshots (id) ON DELETE SET NULL,
    signal_metadata  TEXT    CHECK (signal_metadata IS NULL OR json_valid(signal_metadata)),
    target_pnl_15m   REAL,
    target_pnl_1h    REAL,
    target_mfe_pct   REAL    CHECK (target_mfe_pct >= 0),
    target_mae_pct   REAL    CHECK (target_mae_pct >= 0),
    labeled_at       INTEGER,
    label_error      TEXT,
    CHECK (exit_ts >= entry_ts),
    UNIQUE (run_id, trade_no)
);

CREATE INDEX idx_backtest_trades_entry_ts ON backtest_trades (entry_ts);
CREATE INDEX idx_backtest_trades_instrument ON backtest_trades (instrument_id)
    WHERE instrument_id IS NOT NULL;
CREATE INDEX idx_backtest_trades_entry_snapshot ON backtest_trades (entry_snapshot_id)
    WHERE entry_snapshot_id IS NOT NULL;
CREATE INDEX idx_backtest_trades_exit_snapshot ON backtest_trades (exit_snapshot_id)
    WHERE exit_snapshot_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- backtest_equity: the equity curve of one run (account currency). drawdown is the fraction
-- below the running peak of equity, >= 0 (0.026 = 2.6 % under the peak). benchmark is the
-- benchmark's price at ts (NULL when the run has no benchmark).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE backtest_equity (
    run_id    INTEGER NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
    ts        INTEGER NOT NULL,
    equity    REAL    NOT NULL,
    cash      REAL,
    holdings  REAL,
    drawdown  REAL    CHECK (drawdown >= 0),
    benchmark REAL    CHECK (benchmark > 0),
    PRIMARY KEY (run_id, ts)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- Seed 004 "Compare strategies" (early version; 006 recreates it over the final columns).
-- ---------------------------------------------------------------------------------------------
CREATE VIEW backtest_strategy_comparison AS
SELECT strategy_name,
       COUNT(*)          AS runs,
       AVG(win_rate)     AS avg_win_rate,
       AVG(sharpe_ratio) AS avg_sharpe,
       AVG(max_drawdown) AS avg_max_dd
  FROM backtest_runs
 WHERE status = 'completed'
 GROUP BY strategy_name
 ORDER BY avg_sharpe DESC;
