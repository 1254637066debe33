-- 012_ledger.sql — the signal ledger's import keys and the trade_ledger_v view.
--
-- Adds:    signals.ledger_key (the bot's own id of a signal, so that later JSONL records and
--          later files can refer to it), orders.closes_order_id (an exit order names the entry
--          order whose position it closes), and the view trade_ledger_v: one row per round
--          trip of trade_ledger joined signal -> entry order -> entry fill -> exit order ->
--          exit fill -> paper trade, with slippage and latency. Format: docs/ledger.md.
-- Seeds:   001 (trade_ledger "links signal -> order -> fill sequence").
--
-- Timestamps INTEGER microseconds UTC. The runner wraps this file in a transaction.

ALTER TABLE signals ADD COLUMN ledger_key TEXT
    CHECK (ledger_key IS NULL OR length(ledger_key) BETWEEN 1 AND 128);
CREATE UNIQUE INDEX idx_signals_ledger_key ON signals (ledger_key) WHERE ledger_key IS NOT NULL;

ALTER TABLE orders ADD COLUMN closes_order_id INTEGER REFERENCES orders (id) ON DELETE SET NULL;
CREATE INDEX idx_orders_closes ON orders (closes_order_id) WHERE closes_order_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- trade_ledger_v: a round trip with its whole chain. entry_/exit_slippage are the
-- quantity-weighted mean slippage per unit of the order's fills (price units, positive = worse
-- than the reference); entry_/exit_latency_ms are those of the first entry fill and of the last
-- exit fill (trade_ledger.entry_fill_id / exit_fill_id). slippage_cost is trade_ledger.slippage:
-- the sum of slippage x quantity over all fills of the round trip, in account currency.
-- ---------------------------------------------------------------------------------------------
CREATE VIEW trade_ledger_v AS
SELECT t.id                 AS ledger_id,
       i.symbol             AS symbol,
       t.mode               AS mode,
       t.side               AS side,
       t.quantity           AS quantity,
       t.status             AS status,
       t.signal_id          AS signal_id,
       s.ledger_key         AS signal_key,
       s.ts                 AS signal_ts,
       s.strategy_name      AS strategy_name,
       s.signal_type        AS signal_type,
       s.status             AS signal_status,
       s.price              AS signal_price,
       t.entry_order_id     AS entry_order_id,
       eo.client_order_id   AS entry_client_order_id,
       eo.ts                AS entry_order_ts,
       eo.type              AS entry_order_type,
       t.entry_fill_id      AS entry_fill_id,
       t.entry_ts           AS entry_ts,
       t.entry_price        AS entry_price,
       (SELECT count(*) FROM fills f WHERE f.order_id = t.entry_order_id) AS entry_fills,
       (SELECT sum(f.slippage * f.qty) / sum(f.qty) FROM fills f
         WHERE f.order_id = t.entry_order_id AND f.slippage IS NOT NULL) AS entry_slippage,
       ef.latency_ms        AS entry_latency_ms,
       t.exit_order_id      AS exit_order_id,
       xo.client_order_id   AS exit_client_order_id,
       xo.leg               AS exit_leg,
       t.exit_fill_id       AS exit_fill_id,
       t.exit_ts            AS exit_ts,
       t.exit_price         AS exit_price,
       (SELECT sum(f.slippage * f.qty) / sum(f.qty) FROM fills f
         WHERE f.order_id = t.exit_order_id AND f.slippage IS NOT NULL) AS exit_slippage,
       xf.latency_ms        AS exit_latency_ms,
       t.gross_pnl          AS gross_pnl,
       t.fees               AS fees,
       t.net_pnl            AS net_pnl,
       t.slippage           AS slippage_cost,
       t.r_multiple         AS r_multiple,
       t.paper_trade_id     AS paper_trade_id,
       p.status             AS paper_status,
       p.pnl                AS paper_pnl
  FROM trade_ledger t
  JOIN instruments i ON i.id = t.instrument_id
  JOIN orders eo ON eo.id = t.entry_order_id
  LEFT JOIN signals s ON s.id = t.signal_id
  LEFT JOIN fills ef ON ef.id = t.entry_fill_id
  LEFT JOIN orders xo ON xo.id = t.exit_order_id
  LEFT JOIN fills xf ON xf.id = t.exit_fill_id
  LEFT JOIN paper_trades p ON p.id = t.paper_trade_id;
