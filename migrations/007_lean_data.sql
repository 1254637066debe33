-- 007_lean_data.sql — the data QuantConnect LEAN reads besides trade bars.
--
-- Creates: quote_bars, price_factors, market_calendar.
-- For:     the backtester's lean profile (shared LEAN-CONVENTIONS.md, docs/backtester.md): fills
--          at the quote bar's close on minute data, prices adjusted by factor files, daily bars
--          processed at 13:00 on early-close days.
--
-- Timestamps INTEGER microseconds UTC; a calendar or factor date is exchange-local, so it is
-- TEXT 'YYYY-MM-DD' (as risk_days.day). Re-imports insert nothing: natural keys as primary keys.
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- quote_bars: bid and ask OHLC over a bar (LEAN's QuoteBar), ts = bar start, with the last bid
-- and ask sizes. A side LEAN had no quote for is NULL (all four prices of it), never both. No
-- crossed-quote rule: a bar's bid and ask extremes come from different instants. CHECKs are OR
-- chains, not IN lists (README "Benchmarks"); a NULL passes a CHECK, so each side's rule names
-- every column.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE quote_bars (
    instrument_id INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    interval      TEXT    NOT NULL
                          CHECK (interval = '1s' OR interval = '1m' OR interval = '5m'
                                 OR interval = '15m' OR interval = '30m' OR interval = '1h'
                                 OR interval = '4h' OR interval = '1d'),
    ts            INTEGER NOT NULL,
    bid_open      REAL    CHECK (bid_open > 0),
    bid_high      REAL    CHECK (bid_high > 0),
    bid_low       REAL    CHECK (bid_low > 0),
    bid_close     REAL    CHECK (bid_close > 0),
    bid_size      REAL    NOT NULL DEFAULT 0 CHECK (bid_size >= 0),
    ask_open      REAL    CHECK (ask_open > 0),
    ask_high      REAL    CHECK (ask_high > 0),
    ask_low       REAL    CHECK (ask_low > 0),
    ask_close     REAL    CHECK (ask_close > 0),
    ask_size      REAL    NOT NULL DEFAULT 0 CHECK (ask_size >= 0),
    CHECK ((bid_open IS NULL AND bid_high IS NULL AND bid_low IS NULL AND bid_close IS NULL)
           OR (bid_open IS NOT NULL AND bid_high IS NOT NULL AND bid_low IS NOT NULL
               AND bid_close IS NOT NULL AND bid_high >= bid_low
               AND bid_high >= bid_open AND bid_high >= bid_close
               AND bid_low <= bid_open AND bid_low <= bid_close)),
    CHECK ((ask_open IS NULL AND ask_high IS NULL AND ask_low IS NULL AND ask_close IS NULL)
           OR (ask_open IS NOT NULL AND ask_high IS NOT NULL AND ask_low IS NOT NULL
               AND ask_close IS NOT NULL AND ask_high >= ask_low
               AND ask_high >= ask_open AND ask_high >= ask_close
               AND ask_low <= ask_open AND ask_low <= ask_close)),
    CHECK (bid_close IS NOT NULL OR ask_close IS NOT NULL),
    PRIMARY KEY (instrument_id, interval, ts)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- price_factors: a LEAN factor file. A bar dated D is adjusted by the row with the smallest
-- date >= D: price × price_factor × split_factor (dividends and splits), volume ÷ the same.
-- reference_price is the close the factor was computed from (0 on LEAN's closing 2050 row).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE price_factors (
    instrument_id   INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
    date            TEXT    NOT NULL CHECK (date(date, '+0 days') IS date),
    price_factor    REAL    NOT NULL CHECK (price_factor > 0),
    split_factor    REAL    NOT NULL CHECK (split_factor > 0),
    reference_price REAL    NOT NULL CHECK (reference_price >= 0),
    PRIMARY KEY (instrument_id, date)
) WITHOUT ROWID;

-- ---------------------------------------------------------------------------------------------
-- market_calendar: the days a market is closed (holiday) or closes early (early_close, with the
-- local close time), e.g. LEAN's market-hours database for 'us_equity'.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE market_calendar (
    market     TEXT NOT NULL CHECK (length(market) BETWEEN 1 AND 64),
    date       TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    kind       TEXT NOT NULL CHECK (kind = 'holiday' OR kind = 'early_close'),
    close_time TEXT CHECK (close_time IS NULL OR time(close_time) IS close_time),
    CHECK ((kind = 'holiday') = (close_time IS NULL)),
    PRIMARY KEY (market, date)
) WITHOUT ROWID;
