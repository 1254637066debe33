-- 008_data_versions.sql — a version number per stored series of market data.
--
-- Creates: data_versions.
-- For:     the backtest cache (docs/backtester.md, "Caching"): a run's cache key names the
--          versions of the series it reads, so an identical request is answered without reading
--          its bars, and any write to one of those series gives a new key.
--
-- The store's writers (src/store/hs-store-market.c, hs-store-lean.c, hs-store-rates.c) note
-- each series they really changed, and the store adds 1 to its version in the same transaction,
-- just before COMMIT: one UPSERT per series and transaction, no per-row trigger (imports write a
-- million rows a second). Rows written around the store (the sqlite3 shell) are not counted.
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- data_versions: one row per series that has ever been written. A series of an instrument
-- (candles and quote bars per interval; trades, quotes, order book and prediction-market
-- snapshots, price factors) has its instrument_id and series ''; a rate series and a market's
-- calendar have instrument_id 0 and their name in series. interval is '' for kinds without one.
-- No foreign key: a version outlives a deleted instrument, so an instrument id SQLite hands out
-- again never sees a version number it had before.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE data_versions (
    kind          TEXT    NOT NULL
                          CHECK (kind IN ('candles', 'trades', 'quotes', 'orderbook',
                                          'snapshots', 'quote_bars', 'factors', 'calendar',
                                          'rates')),
    instrument_id INTEGER NOT NULL DEFAULT 0 CHECK (instrument_id >= 0),
    series        TEXT    NOT NULL DEFAULT '',
    interval      TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL CHECK (version >= 1),
    PRIMARY KEY (kind, instrument_id, series, interval)
) WITHOUT ROWID;

-- Every series stored before this migration starts at version 1. Each existence test is one
-- seek into the table's primary key (or natural-key index), per instrument and interval, so
-- seeding costs the same for a thousand bars as for a billion.
WITH v (interval) AS (VALUES ('tick'), ('1s'), ('1m'), ('5m'), ('15m'), ('30m'), ('1h'),
                              ('4h'), ('1d'), ('2d'), ('1w'), ('2w'), ('1mo'))
INSERT INTO data_versions (kind, instrument_id, interval, version)
    SELECT 'candles', i.id, v.interval, 1 FROM instruments i, v
    WHERE EXISTS (SELECT 1 FROM candles c
                  WHERE c.instrument_id = i.id AND c.interval = v.interval);

WITH v (interval) AS (VALUES ('1s'), ('1m'), ('5m'), ('15m'), ('30m'), ('1h'), ('4h'), ('1d'))
INSERT INTO data_versions (kind, instrument_id, interval, version)
    SELECT 'quote_bars', i.id, v.interval, 1 FROM instruments i, v
    WHERE EXISTS (SELECT 1 FROM quote_bars q
                  WHERE q.instrument_id = i.id AND q.interval = v.interval);

INSERT INTO data_versions (kind, instrument_id, version)
    SELECT 'trades', i.id, 1 FROM instruments i
    WHERE EXISTS (SELECT 1 FROM trades t WHERE t.instrument_id = i.id);

INSERT INTO data_versions (kind, instrument_id, version)
    SELECT 'quotes', i.id, 1 FROM instruments i
    WHERE EXISTS (SELECT 1 FROM quotes q WHERE q.instrument_id = i.id);

INSERT INTO data_versions (kind, instrument_id, version)
    SELECT 'orderbook', i.id, 1 FROM instruments i
    WHERE EXISTS (SELECT 1 FROM orderbook_snapshots o WHERE o.instrument_id = i.id);

INSERT INTO data_versions (kind, instrument_id, version)
    SELECT 'snapshots', i.id, 1 FROM instruments i
    WHERE EXISTS (SELECT 1 FROM market_snapshots s WHERE s.instrument_id = i.id);

INSERT INTO data_versions (kind, instrument_id, version)
    SELECT 'factors', i.id, 1 FROM instruments i
    WHERE EXISTS (SELECT 1 FROM price_factors f WHERE f.instrument_id = i.id);

INSERT INTO data_versions (kind, series, version)
    SELECT DISTINCT 'calendar', market, 1 FROM market_calendar;

INSERT INTO data_versions (kind, series, version)
    SELECT DISTINCT 'rates', series, 1 FROM rates;
