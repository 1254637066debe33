-- 003_trading.sql — orders, fills, paper trades with their full context, the trade ledger,
-- account snapshots and daily risk roll-ups.
--
-- Creates: orders, fills, paper_trades, trade_ledger, account_snapshots, risk_days.
-- Seeds:   001 (orders with payload snapshot and OCO legs, fills with slippage and latency,
--               trade_ledger signal -> order -> fill links, account_snapshot, risk_day),
--          000 (paper_trades context JSON signals_snapshot / market_regime / order_book_state /
--               ai_reasoning_log and the ML labels target_*),
--          004 (positions: stop_loss, take_profit, status, pnl, is_backtest, backtest id).
--
-- paper_trades.backtest_run_id references backtest_runs, which 004_backtests.sql creates:
-- SQLite resolves foreign keys when rows are written, so the forward reference is fine.
-- Timestamps INTEGER microseconds UTC; JSON as TEXT with CHECK (json_valid(...)).
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- orders: every order submitted (live broker or paper engine). payload is the exact request
-- as sent; OCO / bracket legs are child rows pointing at their parent through parent_order_id.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    client_order_id TEXT    NOT NULL CHECK (length(client_order_id) BETWEEN 1 AND 128),
    broker          TEXT    NOT NULL DEFAULT 'paper' CHECK (length(broker) BETWEEN 1 AND 64),
    broker_order_id TEXT,
    mode            TEXT    NOT NULL DEFAULT 'paper' CHECK (mode IN ('live', 'paper')),
    instrument_id   INTEGER NOT NULL REFERENCES instruments (id) ON DELETE RESTRICT,
    signal_id       INTEGER REFERENCES signals (id) ON DELETE RESTRICT,
    parent_order_id INTEGER REFERENCES orders (id) ON DELETE CASCADE,
    leg             TEXT    NOT NULL DEFAULT 'single'
                            CHECK (leg IN ('single', 'entry', 'take_profit', 'stop_loss')),
    ts              INTEGER NOT NULL,
    side            TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
    type            TEXT    NOT NULL
                            CHECK (type IN ('market', 'limit', 'stop', 'stop_limit',
                                            'trailing_stop', 'market_on_open',
                                            'market_on_close')),
    time_in_force   TEXT    NOT NULL DEFAULT 'day'
                            CHECK (time_in_force IN ('day', 'gtc', 'ioc', 'fok', 'opg', 'cls')),
    qty             REAL    NOT NULL CHECK (qty > 0),
    limit_price     REAL    CHECK (limit_price > 0),
    stop_price      REAL    CHECK (stop_price > 0),
    price_guard     REAL    CHECK (price_guard > 0),
    reference_price REAL    CHECK (reference_price > 0),
    status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'submitted', 'accepted',
                                              'partially_filled', 'filled', 'cancelled',
                                              'rejected', 'expired')),
    payload         TEXT    NOT NULL CHECK (json_valid(payload)),
    broker_response TEXT    CHECK (broker_response IS NULL OR json_valid(broker_response)),
    error_message   TEXT,
    updated_at      INTEGER NOT NULL,
    CHECK (type NOT IN ('limit', 'stop_limit') OR limit_price IS NOT NULL),
    CHECK (type NOT IN ('stop', 'stop_limit') OR stop_price IS NOT NULL),
    CHECK ((parent_order_id IS NULL) = (leg IN ('single', 'entry'))),
    UNIQUE (client_order_id)
);

CREATE UNIQUE INDEX idx_orders_broker_id ON orders (broker, broker_order_id)
    WHERE broker_order_id IS NOT NULL;
CREATE INDEX idx_orders_instrument_ts ON orders (instrument_id, ts);
CREATE INDEX idx_orders_signal ON orders (signal_id) WHERE signal_id IS NOT NULL;
CREATE INDEX idx_orders_parent ON orders (parent_order_id) WHERE parent_order_id IS NOT NULL;
CREATE INDEX idx_orders_open ON orders (status)
    WHERE status IN ('pending', 'submitted', 'accepted', 'partially_filled');

-- ---------------------------------------------------------------------------------------------
-- fills: executions of an order. fill_seq = 1, 2, ... within the order (natural key).
-- slippage is in price units, signed so that positive = worse than reference_price (the
-- signal's reference): (price - reference_price) for a buy, (reference_price - price) for a sell.
-- latency_ms = fill ts - signal ts (or order ts when there is no signal), in milliseconds.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE fills (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    fill_seq        INTEGER NOT NULL CHECK (fill_seq >= 1),
    broker_fill_id  TEXT,
    ts              INTEGER NOT NULL,
    price           REAL    NOT NULL CHECK (price > 0),
    qty             REAL    NOT NULL CHECK (qty > 0),
    fee             REAL    NOT NULL DEFAULT 0 CHECK (fee >= 0),
    liquidity       TEXT    CHECK (liquidity IN ('maker', 'taker')),
    reference_price REAL    CHECK (reference_price > 0),
    slippage        REAL,
    latency_ms      INTEGER CHECK (latency_ms >= 0),
    UNIQUE (order_id, fill_seq)
);

CREATE INDEX idx_fills_ts ON fills (ts);

-- ---------------------------------------------------------------------------------------------
-- paper_trades: the time capsule. One position (live paper trading, or a replayed backtest
-- when is_backtest = 1) with the context captured at entry and the ML labels computed after
-- close by the label job.
--   pnl          account currency, net of fees;  pnl_pct percent of entry notional (1.5 = +1.5 %)
--   target_pnl_15m / target_pnl_1h  percent return of the position 15 min / 1 h after entry,
--                                   signed by side (positive = in favour)
--   target_mfe_pct / target_mae_pct percent, magnitudes >= 0 (max favourable / adverse move
--                                   between entry and exit)
-- Query the hot JSON paths with exactly the indexed expressions, e.g.
--   json_extract(signals_snapshot, '$."5m".rsi') > 70
-- (the ->> operator is a different expression and does not use these indexes).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE paper_trades (
    id               INTEGER PRIMARY KEY,
    instrument_id    INTEGER NOT NULL REFERENCES instruments (id) ON DELETE RESTRICT,
    side             TEXT    NOT NULL CHECK (side IN ('long', 'short')),
    quantity         REAL    NOT NULL CHECK (quantity > 0),
    entry_ts         INTEGER NOT NULL,
    entry_price      REAL    NOT NULL CHECK (entry_price > 0),
    exit_ts          INTEGER,
    exit_price       REAL    CHECK (exit_price > 0),
    stop_loss        REAL    CHECK (stop_loss > 0),
    take_profit      REAL    CHECK (take_profit > 0),
    status           TEXT    NOT NULL DEFAULT 'open'
                             CHECK (status IN ('open', 'closed', 'stopped', 'cancelled')),
    exit_reason      TEXT    CHECK (exit_reason IN ('take_profit', 'stop_loss', 'trailing_stop',
                                                    'time_stop', 'signal', 'manual',
                                                    'end_of_day', 'end_of_data', 'liquidation',
                                                    'cancelled')),
    pnl              REAL,
    pnl_pct          REAL,
    fees             REAL    NOT NULL DEFAULT 0 CHECK (fees >= 0),
    is_backtest      INTEGER NOT NULL DEFAULT 0 CHECK (is_backtest IN (0, 1)),
    backtest_run_id  INTEGER REFERENCES backtest_runs (id) ON DELETE CASCADE,
    signal_id        INTEGER REFERENCES signals (id) ON DELETE RESTRICT,
    tags             TEXT    NOT NULL DEFAULT '[]'
                             CHECK (CASE WHEN json_valid(tags)
                                         THEN json_type(tags) = 'array' ELSE 0 END),
    notes            TEXT,
    -- context captured at entry (seed 000)
    signals_snapshot TEXT    CHECK (signals_snapshot IS NULL OR json_valid(signals_snapshot)),
    market_regime    TEXT    CHECK (market_regime IS NULL OR json_valid(market_regime)),
    order_book_state TEXT    CHECK (order_book_state IS NULL OR json_valid(order_book_state)),
    ai_reasoning_log TEXT    CHECK (ai_reasoning_log IS NULL OR json_valid(ai_reasoning_log)),
    -- labels computed after close (seed 000)
    target_pnl_15m   REAL,
    target_pnl_1h    REAL,
    target_mfe_pct   REAL    CHECK (target_mfe_pct >= 0),
    target_mae_pct   REAL    CHECK (target_mae_pct >= 0),
    labeled_at       INTEGER,
    label_error      TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (exit_ts >= entry_ts),
    CHECK (status NOT IN ('closed', 'stopped') OR (exit_ts IS NOT NULL AND exit_price IS NOT NULL)),
    CHECK (is_backtest = 1 OR backtest_run_id IS NULL)
);

-- Natural key: one position per instrument, side, entry time and run (0 = not a backtest).
CREATE UNIQUE INDEX idx_paper_trades_natural
    ON paper_trades (instrument_id, side, entry_ts, ifnull(backtest_run_id, 0));
CREATE INDEX idx_paper_trades_entry_ts ON paper_trades (entry_ts);
CREATE INDEX idx_paper_trades_open ON paper_trades (instrument_id) WHERE status = 'open';
CREATE INDEX idx_paper_trades_run ON paper_trades (backtest_run_id)
    WHERE backtest_run_id IS NOT NULL;
CREATE INDEX idx_paper_trades_signal ON paper_trades (signal_id) WHERE signal_id IS NOT NULL;
-- The label job's work queue: closed trades without labels.
CREATE INDEX idx_paper_trades_unlabeled ON paper_trades (exit_ts)
    WHERE labeled_at IS NULL AND status IN ('closed', 'stopped');
-- Hot JSON paths of the training queries (seed 000).
CREATE INDEX idx_paper_trades_rsi_5m
    ON paper_trades (json_extract(signals_snapshot, '$."5m".rsi'));
CREATE INDEX idx_paper_trades_ai_confidence
    ON paper_trades (json_extract(ai_reasoning_log, '$.confidence_score'));
CREATE INDEX idx_paper_trades_vix
    ON paper_trades (json_extract(market_regime, '$.spy.vix'));
CREATE INDEX idx_paper_trades_sector
    ON paper_trades (json_extract(market_regime, '$.sector.ticker'));

-- ---------------------------------------------------------------------------------------------
-- trade_ledger: one round trip with realised P&L, linking signal -> entry order -> exit order
-- (and through orders, their fills) -> paper trade. Prices are fill VWAPs of the two orders.
-- r_multiple = net_pnl / initial risk (entry to stop, times quantity).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE trade_ledger (
    id              INTEGER PRIMARY KEY,
    instrument_id   INTEGER NOT NULL REFERENCES instruments (id) ON DELETE RESTRICT,
    signal_id       INTEGER REFERENCES signals (id) ON DELETE RESTRICT,
    entry_order_id  INTEGER NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
    exit_order_id   INTEGER REFERENCES orders (id) ON DELETE RESTRICT,
    entry_fill_id   INTEGER REFERENCES fills (id) ON DELETE RESTRICT,
    exit_fill_id    INTEGER REFERENCES fills (id) ON DELETE RESTRICT,
    paper_trade_id  INTEGER REFERENCES paper_trades (id) ON DELETE SET NULL,
    mode            TEXT    NOT NULL CHECK (mode IN ('live', 'paper')),
    side            TEXT    NOT NULL CHECK (side IN ('long', 'short')),
    quantity        REAL    NOT NULL CHECK (quantity > 0),
    entry_ts        INTEGER NOT NULL,
    entry_price     REAL    NOT NULL CHECK (entry_price > 0),
    exit_ts         INTEGER,
    exit_price      REAL    CHECK (exit_price > 0),
    gross_pnl       REAL,
    fees            REAL    NOT NULL DEFAULT 0 CHECK (fees >= 0),
    net_pnl         REAL,
    slippage        REAL,
    r_multiple      REAL,
    status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (exit_ts >= entry_ts),
    CHECK (status = 'open' OR (exit_ts IS NOT NULL AND exit_price IS NOT NULL)),
    UNIQUE (entry_order_id)
);

CREATE INDEX idx_trade_ledger_instrument_entry ON trade_ledger (instrument_id, entry_ts);
CREATE INDEX idx_trade_ledger_signal ON trade_ledger (signal_id) WHERE signal_id IS NOT NULL;
CREATE INDEX idx_trade_ledger_exit_order ON trade_ledger (exit_order_id)
    WHERE exit_order_id IS NOT NULL;
CREATE INDEX idx_trade_ledger_entry_fill ON trade_ledger (entry_fill_id)
    WHERE entry_fill_id IS NOT NULL;
CREATE INDEX idx_trade_ledger_exit_fill ON trade_ledger (exit_fill_id)
    WHERE exit_fill_id IS NOT NULL;
CREATE INDEX idx_trade_ledger_paper_trade ON trade_ledger (paper_trade_id)
    WHERE paper_trade_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- account_snapshots: periodic balances and open positions of one account (currency amounts).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE account_snapshots (
    id             INTEGER PRIMARY KEY,
    account        TEXT    NOT NULL DEFAULT 'paper' CHECK (length(account) BETWEEN 1 AND 64),
    ts             INTEGER NOT NULL,
    cash           REAL    NOT NULL,
    equity         REAL    NOT NULL,
    unrealized_pnl REAL    NOT NULL DEFAULT 0,
    realized_pnl   REAL    NOT NULL DEFAULT 0,
    buying_power   REAL    CHECK (buying_power >= 0),
    open_positions TEXT    CHECK (open_positions IS NULL OR json_valid(open_positions)),
    session        TEXT    CHECK (length(session) BETWEEN 1 AND 64),
    UNIQUE (account, ts)
);

-- ---------------------------------------------------------------------------------------------
-- risk_days: daily guardrail roll-up. day is the trading day 'YYYY-MM-DD' (exchange calendar).
-- r_realized in R multiples; max_drawdown percent of start-of-day equity (magnitude >= 0);
-- breach_flags a JSON array of the guardrail rules breached that day, e.g. ["max_daily_loss"].
-- ---------------------------------------------------------------------------------------------
CREATE TABLE risk_days (
    day          TEXT    PRIMARY KEY
                         CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
                                AND date(day, '+0 days') IS day),
    trades_taken INTEGER NOT NULL DEFAULT 0 CHECK (trades_taken >= 0),
    r_realized   REAL    NOT NULL DEFAULT 0,
    max_drawdown REAL    NOT NULL DEFAULT 0 CHECK (max_drawdown >= 0),
    breach_flags TEXT    NOT NULL DEFAULT '[]'
                         CHECK (CASE WHEN json_valid(breach_flags)
                                     THEN json_type(breach_flags) = 'array' ELSE 0 END),
    updated_at   INTEGER NOT NULL
);
