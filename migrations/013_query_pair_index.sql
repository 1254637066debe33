-- 013_query_pair_index.sql — the signal × outcome index of the training queries.
--
-- Replaces: idx_paper_trades_rsi_5m (003) by idx_paper_trades_rsi_5m_pnl_1h.
-- For:     seed 000's own training query, "5m RSI above 70 and the 1-hour label below −10 %"
--          (docs/queries.md, "Hot paths"). With one index per field SQLite can use only one of
--          them and must read every row the other condition would drop: 1.3 s over 1,000,000
--          trades. With the label as the second column of the RSI index, the whole filter is
--          answered inside the index: the rows of the RSI range are never read unless selected.
--          The index still serves a filter on the RSI alone (its first column), so the old one
--          goes.
-- The expression is spelled as src/store/hs-store-query.c compiles the field.
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

DROP INDEX idx_paper_trades_rsi_5m;
CREATE INDEX idx_paper_trades_rsi_5m_pnl_1h
    ON paper_trades (json_extract(signals_snapshot, '$."5m".rsi'), target_pnl_1h);
