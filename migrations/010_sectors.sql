-- 010_sectors.sql — the sector ETF of a symbol, for the market_regime context of a paper trade.
--
-- Creates: sector_etfs, symbol_sectors.
-- Seeds:   sector_etfs with the eleven S&P 500 Select Sector SPDR ETFs (seed 000: "the ticker's
--          Sector ETF (e.g., NVDA -> XLK)"). No symbol is mapped by the migration: a sector
--          classification is the user's (hindsight-cli sectors set SYMBOL ETF).
--
-- Read by src/store/hs-store-context.c; docs/context.md explains how the collector picks a
-- symbol's ETF (this table first, then instruments.sector_etf, then a sector ETF is its own).
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- ---------------------------------------------------------------------------------------------
-- sector_etfs: an ETF that stands for a sector, with the sector's name. More can be added
-- (sectors set SYMBOL ETF --sector NAME); one still mapped by a symbol cannot be deleted.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE sector_etfs (
    etf    TEXT NOT NULL PRIMARY KEY CHECK (length(etf) BETWEEN 1 AND 64),
    sector TEXT NOT NULL CHECK (length(sector) BETWEEN 1 AND 100)
) WITHOUT ROWID;

INSERT INTO sector_etfs (etf, sector) VALUES
    ('XLB',  'Materials'),
    ('XLC',  'Communication Services'),
    ('XLE',  'Energy'),
    ('XLF',  'Financials'),
    ('XLI',  'Industrials'),
    ('XLK',  'Information Technology'),
    ('XLP',  'Consumer Staples'),
    ('XLRE', 'Real Estate'),
    ('XLU',  'Utilities'),
    ('XLV',  'Health Care'),
    ('XLY',  'Consumer Discretionary');

-- ---------------------------------------------------------------------------------------------
-- symbol_sectors: symbol -> sector ETF. Keyed by the symbol text, not an instrument id, so a
-- mapping can be made before the symbol's data is imported and holds on every exchange.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE symbol_sectors (
    symbol     TEXT    NOT NULL PRIMARY KEY CHECK (length(symbol) BETWEEN 1 AND 64),
    etf        TEXT    NOT NULL REFERENCES sector_etfs (etf) ON DELETE RESTRICT,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The FK check when a sector ETF is deleted, and "which symbols does XLK cover".
CREATE INDEX idx_symbol_sectors_etf ON symbol_sectors (etf);
