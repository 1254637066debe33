/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Trades page's test database (hs-test-trades-db.h), written through the store API like a
 * bot's imports would be. The values are random but realistic in kind: what the tests expect of
 * them they compute independently (SQL written in the test, or by hand).
 */
#include "config.h"

#include "hs-test-trades-db.h"

#include <math.h>

#include "hs-paper-trade.h"
#include "hs-store-paper.h"
#include "hs-test-db.h"

static const char *const symbols[] = { "AAPL", "MSFT", "NVDA", "XOM", "JPM" };
static const char *const sectors[] = { "XLK", "XLK", "XLK", "XLE", "XLF" };
static const char *const models[] = { "gemini-2.0-flash", "gpt-4o-mini", "claude-3-haiku" };
static const char *const prompts[] = { "v1_baseline", "v2_context", "v3_strict", "v4_aggressive" };
static const char *const trends[] = { "up", "down", "flat" };

static double
uniform (GRand  *rand,
         double  lo,
         double  hi)
{
  return g_rand_double_range (rand, lo, hi);
}

/* Rounded to 4 decimals so the JSON text and the SQL agree on every digit. */
static double
r4 (double v)
{
  return round (v * 10000) / 10000;
}

/* @n trades of the kind hs_test_trades_db_write() writes: the last 1 in 20 open, every 50th
 * (from the 8th) without a reasoning log. */
void
hs_test_trades_db_write_n (const char *path,
                           guint32     seed,
                           int         n)
{
  g_autoptr(HsStore) store = hs_test_store_open (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  int64_t instruments[G_N_ELEMENTS (symbols)];
  int64_t start = 1709562600000000;   /* 2024-03-04T14:30:00Z */
  gboolean own = FALSE;

  for (size_t i = 0; i < G_N_ELEMENTS (symbols); i++)
    instruments[i] = hs_test_store_instrument (store, symbols[i], "NASDAQ", "stock");
  g_assert_true (hs_store_paper_write_begin (store, &own, &error));
  g_assert_no_error (error);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();
      size_t s = (size_t) g_rand_int_range (rand, 0, G_N_ELEMENTS (symbols));
      gboolean open = i >= n - n / 20;
      gboolean no_ai = i % 50 == 7;
      double price = r4 (uniform (rand, 40, 600));
      double rsi = r4 (uniform (rand, 10, 90));
      double vix = r4 (uniform (rand, 12, 32));
      double confidence = g_rand_int_range (rand, 0, 21) / 2.0;

      t->instrument_id = instruments[s];
      t->side = g_rand_boolean (rand) ? HS_PAPER_LONG : HS_PAPER_SHORT;
      t->quantity = g_rand_int_range (rand, 1, 101);
      t->entry_ts = start + (int64_t) i * 37 * 60 * G_USEC_PER_SEC;
      t->entry_price = price;
      t->fees = 1.0;
      if (!open)
        {
          g_free (t->status);
          t->status = g_strdup ("closed");
          t->exit_ts = t->entry_ts
                       + (int64_t) g_rand_int_range (rand, 5, 300) * 60 * G_USEC_PER_SEC;
          t->exit_price = r4 (price * (1 + uniform (rand, -0.03, 0.03)));
          t->exit_reason = g_strdup (g_rand_boolean (rand) ? "signal" : "take_profit");
          hs_paper_pnl (t->side, t->quantity, t->entry_price, t->exit_price, t->fees, &t->pnl,
                        &t->pnl_pct);
          t->target_pnl_15m = r4 (uniform (rand, -2, 2));
          t->target_pnl_1h = r4 (uniform (rand, -4, 4));
          t->target_mfe_pct = r4 (uniform (rand, 0, 5));
          t->target_mae_pct = r4 (uniform (rand, 0, 5));
          t->labeled_at = t->exit_ts + (int64_t) 2 * 3600 * G_USEC_PER_SEC;
        }
      if (i % 9 == 0)
        hs_paper_tags_add (&t->tags, "breakout");
      if (i % 14 == 0)
        hs_paper_tags_add (&t->tags, "fade");
      t->signals_snapshot = g_strdup_printf (
        "{\"1m\":{\"rsi\":%.4f},\"5m\":{\"rsi\":%.4f,\"macd_hist\":%.4f,\"trend\":\"%s\"},"
        "\"1h\":{\"rsi\":%.4f},\"missing\":[]}",
        r4 (uniform (rand, 10, 90)), rsi, r4 (uniform (rand, -1, 1)),
        trends[g_rand_int_range (rand, 0, 3)], r4 (uniform (rand, 20, 80)));
      t->market_regime = g_strdup_printf (
        "{\"spy\":{\"price\":%.4f,\"pct_change\":%.4f,\"vix\":%.4f},"
        "\"sector\":{\"ticker\":\"%s\",\"pct_change\":%.4f,\"correlation_30d\":%.4f},"
        "\"missing\":[]}",
        r4 (uniform (rand, 500, 520)), r4 (uniform (rand, -1.5, 1.5)), vix, sectors[s],
        r4 (uniform (rand, -2, 2)), r4 (uniform (rand, 0.2, 0.95)));
      if (!no_ai)
        t->ai_reasoning_log = g_strdup_printf (
          "{\"model\":\"%s\",\"prompt_version\":\"%s\",\"confidence_score\":%g,"
          "\"bull_case\":\"RSI %.1f with the trend\",\"bear_case\":\"VIX at %.1f\","
          "\"decision_logic\":\"Take it when the 5m trend agrees.\",\"latency_ms\":%d}",
          models[g_rand_int_range (rand, 0, G_N_ELEMENTS (models))],
          prompts[g_rand_int_range (rand, 0, G_N_ELEMENTS (prompts))], confidence, rsi, vix,
          g_rand_int_range (rand, 200, 2000));
      g_assert_true (hs_store_paper_insert (store, t, &error));
      g_assert_no_error (error);
    }
  g_assert_true (hs_store_paper_write_end (store, own, TRUE, &error));
  g_assert_no_error (error);
}

void
hs_test_trades_db_write (const char *path,
                         guint32     seed)
{
  G_STATIC_ASSERT (HS_TEST_TRADES_OPEN == HS_TEST_TRADES_N / 20);
  G_STATIC_ASSERT (HS_TEST_TRADES_NO_AI == HS_TEST_TRADES_N / 50);
  hs_test_trades_db_write_n (path, seed, HS_TEST_TRADES_N);
}
