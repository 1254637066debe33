/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A generator of paper trades with full context, written through the store's connection in one
 * transaction with one prepared INSERT (the way an importer writes). The values are uniform
 * draws of a splitmix64 stream: RSI 0–100 (so `signals.5m.rsi > 70` selects about 30 %), VIX
 * 10–40, labels −20…20 %. Load: about 1.3 KB of JSON per trade.
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-gen-trades.h"

#include "hs-store-private.h"

#include <math.h>
#include <string.h>

static const char *const symbols[HS_GEN_TRADES_SYMBOLS] = {
  "AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "JPM", "XOM", "UNH",
  "JNJ", "V", "PG", "HD", "MA", "CVX", "LLY", "PFE", "KO", "PEP",
};
static const char *const sectors[HS_GEN_TRADES_SYMBOLS] = {
  "XLK", "XLK", "XLK", "XLY", "XLC", "XLC", "XLY", "XLF", "XLE", "XLV",
  "XLV", "XLF", "XLP", "XLY", "XLF", "XLE", "XLV", "XLV", "XLP", "XLP",
};
static const char *const timeframes[] = { "1m", "5m", "15m", "1h", "daily" };
static const char *const trends[] = { "bullish", "bearish", "neutral" };
static const char *const squeezes[] = { "on", "off", "firing" };

static uint64_t
next_u64 (uint64_t *s)
{
  uint64_t z = (*s += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A uniform number from lo to hi in steps of 1 / scale. */
static double
draw (uint64_t *s,
      double    lo,
      double    hi,
      double    scale)
{
  uint64_t steps = (uint64_t) ((hi - lo) * scale) + 1;

  /* An integer over the scale: the double nearest the decimal, as a parser would store it. */
  return (lo * scale + (double) (next_u64 (s) % steps)) / scale;
}

static const char *
pick3 (uint64_t          *s,
       const char *const *from)
{
  return from[next_u64 (s) % 3];
}

static void
build_context (GString  *signals,
               GString  *regime,
               GString  *book,
               GString  *ai,
               uint64_t *s,
               int       symbol)
{
  g_string_assign (signals, "{");
  for (size_t t = 0; t < G_N_ELEMENTS (timeframes); t++)
    g_string_append_printf (signals, "\"%s\":{\"rsi\":%.1f,\"macd_hist\":%.2f,"
                            "\"ema_9_21_cross\":\"%s\",\"squeeze\":\"%s\",\"trend\":\"%s\","
                            "\"dist_from_200sma\":%.2f},", timeframes[t], draw (s, 0, 100, 10),
                            draw (s, -1, 1, 100), pick3 (s, trends), pick3 (s, squeezes),
                            pick3 (s, trends), draw (s, -10, 10, 100));
  g_string_append (signals, "\"missing\":[]}");
  g_string_printf (regime, "{\"spy\":{\"price\":%.2f,\"pct_change\":%.2f,\"vix\":%.1f},"
                   "\"sector\":{\"ticker\":\"%s\",\"pct_change\":%.2f,\"correlation_30d\":%.2f},"
                   "\"market_internals\":{\"ad_line\":\"%s\",\"put_call_ratio\":%.2f},"
                   "\"missing\":[]}", draw (s, 400, 600, 100), draw (s, -3, 3, 100),
                   draw (s, 10, 40, 10), sectors[symbol], draw (s, -3, 3, 100),
                   draw (s, -1, 1, 100), next_u64 (s) % 2 ? "advancing" : "declining",
                   draw (s, 0.5, 1.5, 100));
  g_string_printf (book, "{\"bid\":%.2f,\"ask\":%.2f,\"spread_pct\":%.2f,\"volume\":%d,"
                   "\"open_interest\":%d,\"iv\":%.2f,\"greeks\":{\"delta\":%.2f,\"gamma\":%.2f,"
                   "\"theta\":%.2f,\"vega\":%.2f},\"missing\":[]}", draw (s, 1, 10, 100),
                   draw (s, 10, 11, 100), draw (s, 0, 5, 100), (int) (next_u64 (s) % 5000),
                   (int) (next_u64 (s) % 20000), draw (s, 0.1, 1, 100), draw (s, -1, 1, 100),
                   draw (s, 0, 0.2, 100), draw (s, -0.5, 0, 100), draw (s, 0, 0.5, 100));
  g_string_printf (ai, "{\"model\":\"gemini-2.0-flash\",\"prompt_version\":\"v%d\","
                   "\"confidence_score\":%.1f,\"bull_case\":\"Strong gap up above the 200 SMA, "
                   "volume 2x average\",\"bear_case\":\"Approaching resistance at the prior "
                   "high\",\"decision_logic\":\"risk_reward_ratio_favorable\",\"tokens\":%d,"
                   "\"latency_ms\":%d}", (int) (next_u64 (s) % 5), draw (s, 0, 10, 10),
                   (int) (500 + next_u64 (s) % 1500), (int) (200 + next_u64 (s) % 3000));
}

/**
 * hs_gen_paper_trades:
 *
 * Adds HS_GEN_TRADES_SYMBOLS instruments (if missing) and @n_trades closed paper trades, one
 * minute apart per instrument, in one transaction.
 */
gboolean
hs_gen_paper_trades (HsStore  *store,
                     int64_t   n_trades,
                     uint64_t  seed,
                     GError  **error)
{
  g_autoptr(GString) signals = g_string_sized_new (1024);
  g_autoptr(GString) regime = g_string_sized_new (256);
  g_autoptr(GString) book = g_string_sized_new (256);
  g_autoptr(GString) ai = g_string_sized_new (512);
  int64_t ids[HS_GEN_TRADES_SYMBOLS];
  sqlite3_stmt *ins = NULL;
  uint64_t s = seed;
  gboolean ok = TRUE;

  if (!hs_store_begin (store, error))
    return FALSE;
  for (int k = 0; k < HS_GEN_TRADES_SYMBOLS && ok; k++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store, "INSERT INTO instruments (symbol, "
                                                 "sector_etf, created_at) VALUES (?, ?, 0) "
                                                 "ON CONFLICT DO UPDATE SET sector_etf = "
                                                 "excluded.sector_etf RETURNING id", error);

      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, symbols[k], -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, sectors[k], -1, SQLITE_STATIC);
          ok = sqlite3_step (stmt) == SQLITE_ROW
               || hs_store_set_error (store, SQLITE_ERROR, error, "instrument");
          if (ok)
            ids[k] = sqlite3_column_int64 (stmt, 0);
        }
    }
  if (ok)
    ok = (ins = hs_store_prepare (store,
            "INSERT INTO paper_trades (instrument_id, side, quantity, entry_ts, entry_price, "
            "exit_ts, exit_price, stop_loss, take_profit, status, exit_reason, pnl, pnl_pct, "
            "fees, tags, notes, signals_snapshot, market_regime, order_book_state, "
            "ai_reasoning_log, target_pnl_15m, target_pnl_1h, target_mfe_pct, target_mae_pct, "
            "labeled_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'closed', ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)) != NULL;
  for (int64_t i = 0; i < n_trades && ok; i++)
    {
      int symbol = (int) (i % HS_GEN_TRADES_SYMBOLS);
      gboolean is_long = next_u64 (&s) % 2 == 0;
      int64_t entry = (G_GINT64_CONSTANT (1704205800) + (i / HS_GEN_TRADES_SYMBOLS) * 60)
                      * G_USEC_PER_SEC;
      double price = draw (&s, 10, 500, 100), qty = draw (&s, 1, 100, 1);
      double pct = draw (&s, -5, 5, 100);
      /* Prices in cents, as a broker reports them. */
      double exit = round (price * (1 + (is_long ? pct : -pct) / 100) * 100) / 100;
      static const char *const reasons[] = { "take_profit", "stop_loss", "signal", "manual" };
      static const char *const tags[] = { "[]", "[\"breakout\"]", "[\"gap\",\"news\"]",
                                          "[\"fade\"]" };

      build_context (signals, regime, book, ai, &s, symbol);
      sqlite3_bind_int64 (ins, 1, ids[symbol]);
      sqlite3_bind_text (ins, 2, is_long ? "long" : "short", -1, SQLITE_STATIC);
      sqlite3_bind_double (ins, 3, qty);
      sqlite3_bind_int64 (ins, 4, entry);
      sqlite3_bind_double (ins, 5, price);
      sqlite3_bind_int64 (ins, 6, entry + (int64_t) (1 + next_u64 (&s) % 240) * 60000000);
      sqlite3_bind_double (ins, 7, exit > 0 ? exit : 0.01);
      sqlite3_bind_double (ins, 8, round (price * 98) / 100);
      sqlite3_bind_double (ins, 9, round (price * 103) / 100);
      sqlite3_bind_text (ins, 10, reasons[next_u64 (&s) % 4], -1, SQLITE_STATIC);
      sqlite3_bind_double (ins, 11, round ((exit - price) * qty * (is_long ? 100 : -100)) / 100);
      sqlite3_bind_double (ins, 12, pct);
      sqlite3_bind_double (ins, 13, draw (&s, 0, 5, 100));
      sqlite3_bind_text (ins, 14, tags[next_u64 (&s) % 4], -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 15, "bot entry", -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 16, signals->str, (int) signals->len, SQLITE_STATIC);
      sqlite3_bind_text (ins, 17, regime->str, (int) regime->len, SQLITE_STATIC);
      sqlite3_bind_text (ins, 18, book->str, (int) book->len, SQLITE_STATIC);
      sqlite3_bind_text (ins, 19, ai->str, (int) ai->len, SQLITE_STATIC);
      sqlite3_bind_double (ins, 20, draw (&s, -20, 20, 100));
      sqlite3_bind_double (ins, 21, draw (&s, -20, 20, 100));
      sqlite3_bind_double (ins, 22, draw (&s, 0, 10, 100));
      sqlite3_bind_double (ins, 23, draw (&s, 0, 10, 100));
      sqlite3_bind_int64 (ins, 24, entry + G_GINT64_CONSTANT (86400000000));
      sqlite3_bind_int64 (ins, 25, entry);
      sqlite3_bind_int64 (ins, 26, entry);
      if (sqlite3_step (ins) != SQLITE_DONE)
        ok = hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                                 "inserting a paper trade");
      sqlite3_reset (ins);
    }
  if (ins != NULL)
    hs_stmt_release (ins);
  if (ok && hs_store_commit (store, error))
    return TRUE;
  hs_store_rollback (store);
  return FALSE;
}
