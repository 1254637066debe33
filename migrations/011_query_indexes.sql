-- 011_query_indexes.sql — expression indexes for the documented hot paths of the training
-- queries (docs/queries.md, "Hot paths").
--
-- Creates: indexes only (no table changes).
-- For:     issue 5, training queries over paper_trades. 003 already indexes signals.5m.rsi,
--          ai.confidence_score, regime.spy.vix and regime.sector.ticker.
--
-- Each expression is written exactly as src/store/hs-store-query.c compiles the field, so that
-- SQLite matches a filter on it with the index (a different spelling of the same JSON path,
-- or the ->> operator, is a different expression and would scan the table).
-- The runner wraps this file in a transaction; no BEGIN/COMMIT/PRAGMA here.

-- RSI on the other four timeframes of signals_snapshot: seed 000's training query filters on
-- RSI ("signals_snapshot->5m->rsi > 70"), and asking the same of 1m, 15m, 1h and the daily
-- chart is how one checks timeframe alignment, the snapshot's reason to exist.
CREATE INDEX idx_paper_trades_rsi_1m
    ON paper_trades (json_extract(signals_snapshot, '$."1m".rsi'));
CREATE INDEX idx_paper_trades_rsi_15m
    ON paper_trades (json_extract(signals_snapshot, '$."15m".rsi'));
CREATE INDEX idx_paper_trades_rsi_1h
    ON paper_trades (json_extract(signals_snapshot, '$."1h".rsi'));
CREATE INDEX idx_paper_trades_rsi_daily
    ON paper_trades (json_extract(signals_snapshot, '$.daily.rsi'));

-- The forward labels: every training query selects winners or losers by them (seed 000:
-- "profit_1h < -10%"), usually as the selective half of the filter.
CREATE INDEX idx_paper_trades_target_pnl_15m ON paper_trades (target_pnl_15m);
CREATE INDEX idx_paper_trades_target_pnl_1h ON paper_trades (target_pnl_1h);

-- Liquidity: seed 000 keeps order_book_state because "high spreads kill short-term strategies";
-- spread_pct is the one number of it that filters trades.
CREATE INDEX idx_paper_trades_spread_pct
    ON paper_trades (json_extract(order_book_state, '$.spread_pct'));

-- Comparing prompt versions of the AI is what ai_reasoning_log is for (seed 000,
-- "prompt_version": "v4_aggressive"): an equality filter that picks one version's trades.
CREATE INDEX idx_paper_trades_prompt_version
    ON paper_trades (json_extract(ai_reasoning_log, '$.prompt_version'));
