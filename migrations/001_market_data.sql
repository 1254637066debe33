-- 001_market_data.sql — instruments and raw market data.
--
-- Creates: instruments, candles, trades (+ view trades_v), quotes, orderbook_snapshots,
--          option_quotes, market_snapshots, cvd_snapshots, rates.
-- Seeds:   001 (market_trades, market_quotes, bars_1m, options_chain),
--          003 (market_snapshots with source/sequence/raw_data),
--          004 (trades with side and cvd_at_trade, orderbook_snapshots, candles, cvd_snapshots).
--
-- Conventions (see docs/schema.md): timestamps are INTEGER microseconds since the Unix epoch,
-- UTC; prices REAL; JSON as TEXT with CHECK (json_valid(...)). Every table here has a natural
-- key, so importers insert with ON CONFLICT DO NOTHING and a re-import adds no rows.
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- instruments: one row per tradable thing (stock, ETF, index, crypto pair, future, FX pair,
-- option contract, prediction-market contract). Market data hangs off instruments.id.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE instruments (
    id            INTEGER PRIMARY KEY,
    symbol        TEXT    NOT NULL CHECK (length(symbol) BETWEEN 1 AND 64),
    exchange      TEXT    NOT NULL DEFAULT '',
    kind          TEXT    NOT NULL DEFAULT 'stock'
                          CHECK (kind IN ('stock', 'etf', 'index', 'crypto', 'future', 'fx',
                                          'option', 'prediction')),
    name          TEXT,
    currency      TEXT,
    sector_etf    TEXT,
    underlying_id INTEGER REFERENCES instruments (id) ON DELETE RESTRICT,
    expiry        INTEGER,
    strike        REAL    CHECK (strike > 0),
    option_right  TEXT    CHECK (option_right IN ('call', 'put')),
    created_at    INTEGER NOT NULL,
    UNIQUE (symbol, exchange)
);

CREATE INDEX idx_instruments_underlying ON instruments (underlying_id)
    WHERE underlying_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- candles: OHLCV bars of every interval. ts = bar start. seq is 0 except for 'tick' rows that
-- share a timestamp (then 0, 1, 2, ... in arrival order).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE candles (
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    interval      TEXT    NOT NULL
                          -- Written as ORs, not IN (...): SQLite builds a temporary b-tree
                          -- for an IN list of 3 or more constants on every INSERT.
                          CHECK (interval = 'tick' OR interval = '1s' OR interval = '1m'
                                 OR interval = '5m' OR interval = '15m' OR interval = '30m'
                                 OR interval = '1h' OR interval = '4h' OR interval = '1d'
                                 OR interval = '2d' OR interval = '1w' OR interval = '2w'
                                 OR interval = '1mo'),
    ts            INTEGER NOT NULL,
    seq           INTEGER NOT NULL DEFAULT 0 CHECK (seq >= 0),
    open          REAL    NOT NULL CHECK (open > 0),
    high          REAL    NOT NULL CHECK (high > 0),
    low           REAL    NOT NULL CHECK (low > 0),
    close         REAL    NOT NULL CHECK (close > 0),
    volume        REAL    NOT NULL CHECK (volume >= 0),
    vwap          REAL    CHECK (vwap > 0),
    trade_count   INTEGER CHECK (trade_count >= 0),
    CHECK (high >= low AND high >= open AND high >= close AND low <= open AND low <= close),
    PRIMARY KEY (instrument_id, interval, ts, seq)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- trades: every print. side: 1 = buyer was taker, -1 = seller was taker, 0 = unknown.
-- seq = ordinal of the trade among trades of the same instrument with the same ts.
-- Kept compact on purpose (target < 50 bytes per row): no text in the key, side as an integer.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE trades (
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    ts            INTEGER NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq >= 0),
    trade_id      TEXT,
    price         REAL    NOT NULL CHECK (price > 0),
    size          REAL    NOT NULL CHECK (size >= 0),
    side          INTEGER NOT NULL CHECK (side = -1 OR side = 0 OR side = 1),
    cvd_at_trade  REAL    NOT NULL,
    PRIMARY KEY (instrument_id, ts, seq)
) WITHOUT ROWID;

-- Readable form of trades for exports and ad-hoc queries: side as 'buy'/'sell'/'unknown'.
CREATE VIEW trades_v AS
SELECT t.instrument_id,
       i.symbol,
       i.exchange,
       t.ts,
       t.seq,
       t.trade_id,
       t.price,
       t.size,
       CASE t.side WHEN 1 THEN 'buy' WHEN -1 THEN 'sell' ELSE 'unknown' END AS side,
       t.cvd_at_trade
  FROM trades AS t
  JOIN instruments AS i ON i.id = t.instrument_id;

-- ---------------------------------------------------------------------------------------------
-- quotes: top of book (NBBO or exchange BBO).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE quotes (
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    ts            INTEGER NOT NULL,
    bid           REAL    NOT NULL CHECK (bid > 0),
    ask           REAL    NOT NULL CHECK (ask > 0),
    bid_size      REAL    CHECK (bid_size >= 0),
    ask_size      REAL    CHECK (ask_size >= 0),
    CHECK (ask >= bid),
    PRIMARY KEY (instrument_id, ts)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- orderbook_snapshots: periodic depth snapshots.
-- imbalance  = 100 * (bid_volume - ask_volume) / (bid_volume + ask_volume) over the top `depth`
--              levels; spread = best_ask - best_bid; spread_pct = 100 * spread / mid.
-- bids/asks  = JSON arrays of [price, size] pairs, best level first.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE orderbook_snapshots (
    id            INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    ts            INTEGER NOT NULL,
    sequence      INTEGER,
    best_bid      REAL    CHECK (best_bid > 0),
    best_ask      REAL    CHECK (best_ask > 0),
    spread        REAL,
    spread_pct    REAL,
    bid_volume    REAL    NOT NULL CHECK (bid_volume >= 0),
    ask_volume    REAL    NOT NULL CHECK (ask_volume >= 0),
    depth         INTEGER NOT NULL CHECK (depth > 0),
    imbalance     REAL    CHECK (imbalance BETWEEN -100 AND 100),
    bids          TEXT    NOT NULL CHECK (json_valid(bids)),
    asks          TEXT    NOT NULL CHECK (json_valid(asks)),
    UNIQUE (instrument_id, ts)
);

-- ---------------------------------------------------------------------------------------------
-- option_quotes: quote, volume and greeks of one option contract (instrument kind 'option').
-- iv is annualised implied volatility as a fraction (0.455 = 45.5 %); greeks per 1 contract
-- unit of the underlying: theta per calendar day, vega and rho per 1 percentage point.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE option_quotes (
    instrument_id    INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    ts               INTEGER NOT NULL,
    bid              REAL    CHECK (bid >= 0),
    ask              REAL    CHECK (ask >= 0),
    last             REAL    CHECK (last >= 0),
    volume           INTEGER CHECK (volume >= 0),
    open_interest    INTEGER CHECK (open_interest >= 0),
    iv               REAL    CHECK (iv >= 0),
    delta            REAL    CHECK (delta BETWEEN -1 AND 1),
    gamma            REAL    CHECK (gamma >= 0),
    theta            REAL,
    vega             REAL    CHECK (vega >= 0),
    rho              REAL,
    underlying_price REAL    CHECK (underlying_price > 0),
    CHECK (ask >= bid),
    PRIMARY KEY (instrument_id, ts)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- market_snapshots: prediction-market (Kalshi-style) polls and stream messages, with provenance.
-- Prices are dollars of a $1 contract (0..1). Seed 003's UNIQUE(ticker, timestamp, source):
-- the ticker is the instrument.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE market_snapshots (
    id            INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    ts            INTEGER NOT NULL,
    source        TEXT    NOT NULL CHECK (source = 'poll' OR source = 'websocket'
                                       OR source = 'backfill'),
    sequence      INTEGER,
    yes_bid       REAL    CHECK (yes_bid BETWEEN 0 AND 1),
    yes_ask       REAL    CHECK (yes_ask BETWEEN 0 AND 1),
    no_bid        REAL    CHECK (no_bid BETWEEN 0 AND 1),
    no_ask        REAL    CHECK (no_ask BETWEEN 0 AND 1),
    last_price    REAL    CHECK (last_price BETWEEN 0 AND 1),
    volume        REAL    CHECK (volume >= 0),
    open_interest REAL    CHECK (open_interest >= 0),
    status        TEXT,
    raw_data      TEXT    NOT NULL CHECK (json_valid(raw_data)),
    created_at    INTEGER NOT NULL,
    UNIQUE (instrument_id, ts, source)
);

-- Seed 003 idx_ticker_timestamp: time-range scans over all sources of one instrument.
CREATE INDEX idx_market_snapshots_instrument_ts ON market_snapshots (instrument_id, ts);
-- Seed 003 phase 2: gap detection over stream sequence numbers.
CREATE INDEX idx_market_snapshots_sequence ON market_snapshots (sequence)
    WHERE sequence IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- cvd_snapshots: cumulative volume delta time series (base-asset units).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE cvd_snapshots (
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    ts            INTEGER NOT NULL,
    cvd           REAL    NOT NULL,
    cvd_change    REAL,
    cvd_ma_5      REAL,
    cvd_ma_20     REAL,
    PRIMARY KEY (instrument_id, ts)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- rates: interest-rate series (risk-free rate for Sharpe etc.). A step function: the rate of
-- `series` is rate_pct from ts until the next row. E.g. series 'fed_primary_credit' (LEAN).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE rates (
    series   TEXT    NOT NULL CHECK (length(series) BETWEEN 1 AND 64),
    ts       INTEGER NOT NULL,
    rate_pct REAL    NOT NULL,
    PRIMARY KEY (series, ts)
) WITHOUT ROWID;
