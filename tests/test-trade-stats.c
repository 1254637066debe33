/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Trades page's figures and reads without GTK: the footer's means, the AI calibration and
 * the breakdown (src/core/hs-trade-stats.c) against hand calculations written out here and a
 * naive reference over random sets; the context paths the query bar completes
 * (src/store/hs-store-trades.c) and the page's rows of a query (src/jobs/hs-trades-job.c) on a
 * small database written here.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-paper-trade.h"
#include "hs-store-market.h"
#include "hs-store-paper.h"
#include "hs-store-trades.h"
#include "hs-trade-stats.h"
#include "hs-trades-job.h"

static HsTradeRow *
row (double      pnl_pct,
     double      t1h,
     double      confidence,
     const char *model,
     const char *prompt)
{
  HsTradeRow *r = hs_trade_row_new ();

  r->pnl_pct = pnl_pct;
  r->target_pnl_1h = t1h;
  r->confidence = confidence;
  r->model = g_strdup (model);
  r->prompt_version = g_strdup (prompt);
  return r;
}

static void
test_summary (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_trade_row_free);
  HsTradeSummary s;

  g_ptr_array_add (rows, row (2.0, 1.0, 8, "a", "v1"));
  g_ptr_array_add (rows, row (-1.0, NAN, 4, "a", "v1"));
  g_ptr_array_add (rows, row (NAN, NAN, NAN, NULL, NULL));   /* open, no log */
  g_ptr_array_add (rows, row (0.5, -3.0, 6, "b", "v2"));
  ((HsTradeRow *) rows->pdata[0])->mfe_pct = 3;
  ((HsTradeRow *) rows->pdata[3])->mfe_pct = 1;

  hs_trade_summary_compute ((HsTradeRow **) rows->pdata, rows->len, &s);
  g_assert_cmpuint (s.count, ==, 4);
  /* P&L: (2 − 1 + 0.5) / 3 = 0.5 over the three known. */
  g_assert_cmpuint (s.pnl_pct.n, ==, 3);
  g_assert_cmpfloat_with_epsilon (s.pnl_pct.mean, 0.5, 1e-12);
  /* 1h: (1 − 3) / 2 = −1. */
  g_assert_cmpuint (s.target_pnl_1h.n, ==, 2);
  g_assert_cmpfloat_with_epsilon (s.target_pnl_1h.mean, -1.0, 1e-12);
  /* MFE: (3 + 1) / 2 = 2; MAE: none known. */
  g_assert_cmpfloat_with_epsilon (s.mfe_pct.mean, 2.0, 1e-12);
  g_assert_cmpuint (s.mae_pct.n, ==, 0);
  g_assert_true (isnan (s.mae_pct.mean));
  /* Confidence: (8 + 4 + 6) / 3 = 6. */
  g_assert_cmpfloat_with_epsilon (s.confidence.mean, 6.0, 1e-12);

  hs_trade_summary_compute (NULL, 0, &s);
  g_assert_cmpuint (s.count, ==, 0);
  g_assert_true (isnan (s.pnl_pct.mean));
}

static void
test_bucket_of (void)
{
  /* [0,1) → 0 … [9,10] → 9; outside or unknown → −1. */
  const struct { double c; int b; } cases[] = {
    { 0, 0 }, { 0.99, 0 }, { 1, 1 }, { 4.5, 4 }, { 8.999, 8 }, { 9, 9 }, { 9.99, 9 },
    { 10, 9 }, { -0.01, -1 }, { 10.01, -1 }, { NAN, -1 }, { INFINITY, -1 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (hs_calibration_bucket_of (cases[i].c), ==, cases[i].b);
}

static void
test_calibration (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_trade_row_free);
  HsCalibrationBucket b[HS_CALIBRATION_BUCKETS];

  /* Bucket 9: scores 9.5 (win, 1h +2), 10 (loss, 1h −1), 9 (open, 1h unknown).
   * Bucket 2: 2.0 (win, 1h +4). Bucket 0: 0.5 (loss of exactly 0: not a win, 1h 0).
   * Left out: no score. */
  g_ptr_array_add (rows, row (1.0, 2.0, 9.5, "m", "p"));
  g_ptr_array_add (rows, row (-1.0, -1.0, 10, "m", "p"));
  g_ptr_array_add (rows, row (NAN, NAN, 9, "m", "p"));
  g_ptr_array_add (rows, row (3.0, 4.0, 2.0, "m", "p"));
  g_ptr_array_add (rows, row (0.0, 0.0, 0.5, "m", "p"));
  g_ptr_array_add (rows, row (5.0, 5.0, NAN, NULL, NULL));
  hs_calibration_compute ((HsTradeRow **) rows->pdata, rows->len, b);

  g_assert_cmpuint (b[9].count, ==, 3);
  g_assert_cmpuint (b[9].n_closed, ==, 2);
  g_assert_cmpuint (b[9].wins, ==, 1);
  g_assert_cmpfloat_with_epsilon (b[9].win_rate, 0.5, 1e-12);
  g_assert_cmpuint (b[9].target_pnl_1h.n, ==, 2);
  g_assert_cmpfloat_with_epsilon (b[9].target_pnl_1h.mean, 0.5, 1e-12);   /* (2 − 1) / 2 */
  g_assert_cmpuint (b[2].count, ==, 1);
  g_assert_cmpfloat_with_epsilon (b[2].win_rate, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (b[2].target_pnl_1h.mean, 4.0, 1e-12);
  g_assert_cmpuint (b[0].count, ==, 1);
  g_assert_cmpuint (b[0].wins, ==, 0);
  g_assert_cmpfloat_with_epsilon (b[0].win_rate, 0.0, 1e-12);
  for (int i = 1; i < 9; i++)
    if (i != 2)
      {
        g_assert_cmpuint (b[i].count, ==, 0);
        g_assert_true (isnan (b[i].win_rate));
        g_assert_true (isnan (b[i].target_pnl_1h.mean));
      }
}

static void
test_breakdown (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_trade_row_free);
  g_autoptr(GArray) by_model = NULL;
  g_autoptr(GArray) by_prompt = NULL;
  const HsTradeGroup *g;

  g_ptr_array_add (rows, row (2.0, 0, 5, "zeta", "v2"));
  g_ptr_array_add (rows, row (-4.0, 0, 5, "alpha", "v1"));
  g_ptr_array_add (rows, row (1.0, 0, 5, "zeta", "v1"));
  g_ptr_array_add (rows, row (NAN, 0, 5, "zeta", "v1"));
  g_ptr_array_add (rows, row (-1.0, 0, NAN, NULL, NULL));

  by_model = hs_trade_breakdown ((HsTradeRow **) rows->pdata, rows->len, HS_TRADE_GROUP_MODEL);
  /* NULL first, then alpha, zeta. */
  g_assert_cmpuint (by_model->len, ==, 3);
  g = &g_array_index (by_model, HsTradeGroup, 0);
  g_assert_null (g->key);
  g_assert_cmpuint (g->count, ==, 1);
  g_assert_cmpfloat_with_epsilon (g->win_rate, 0.0, 1e-12);
  g = &g_array_index (by_model, HsTradeGroup, 1);
  g_assert_cmpstr (g->key, ==, "alpha");
  g_assert_cmpfloat_with_epsilon (g->pnl_pct.mean, -4.0, 1e-12);
  /* zeta: 3 trades, 2 closed (+2, +1): win rate 1, mean P&L 1.5. */
  g = &g_array_index (by_model, HsTradeGroup, 2);
  g_assert_cmpstr (g->key, ==, "zeta");
  g_assert_cmpuint (g->count, ==, 3);
  g_assert_cmpuint (g->n_closed, ==, 2);
  g_assert_cmpuint (g->wins, ==, 2);
  g_assert_cmpfloat_with_epsilon (g->win_rate, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (g->pnl_pct.mean, 1.5, 1e-12);

  by_prompt = hs_trade_breakdown ((HsTradeRow **) rows->pdata, rows->len,
                                  HS_TRADE_GROUP_PROMPT_VERSION);
  /* NULL, v1 (−4, +1, open: 1 win of 2, mean −1.5), v2 (+2). */
  g_assert_cmpuint (by_prompt->len, ==, 3);
  g = &g_array_index (by_prompt, HsTradeGroup, 1);
  g_assert_cmpstr (g->key, ==, "v1");
  g_assert_cmpuint (g->count, ==, 3);
  g_assert_cmpfloat_with_epsilon (g->win_rate, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (g->pnl_pct.mean, -1.5, 1e-12);
  g = &g_array_index (by_prompt, HsTradeGroup, 2);
  g_assert_cmpstr (g->key, ==, "v2");
}

/* The calibration against a deliberately naive reference: for each bucket, walk every row
 * and test the score against the bucket's bounds written out as comparisons. */
static void
test_calibration_reference (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_trade_row_free);
  HsCalibrationBucket b[HS_CALIBRATION_BUCKETS];

  for (int i = 0; i < 2000; i++)
    {
      double c = g_rand_int_range (rand, 0, 8) == 0 ? NAN : g_rand_int_range (rand, 0, 41) / 4.0;
      double p = g_rand_int_range (rand, 0, 6) == 0 ? NAN : g_rand_double_range (rand, -3, 3);
      double t = g_rand_int_range (rand, 0, 5) == 0 ? NAN : g_rand_double_range (rand, -5, 5);

      g_ptr_array_add (rows, row (p, t, c, "m", "p"));
    }
  hs_calibration_compute ((HsTradeRow **) rows->pdata, rows->len, b);
  for (int k = 0; k < 10; k++)
    {
      double lo = k, hi = k + 1;
      size_t count = 0, closed = 0, wins = 0, n1h = 0;
      double sum1h = 0;

      for (guint i = 0; i < rows->len; i++)
        {
          const HsTradeRow *r = rows->pdata[i];
          gboolean in = k < 9 ? (r->confidence >= lo && r->confidence < hi)
                              : (r->confidence >= lo && r->confidence <= hi);

          if (!in)
            continue;
          count++;
          if (!isnan (r->pnl_pct))
            {
              closed++;
              wins += r->pnl_pct > 0;
            }
          if (!isnan (r->target_pnl_1h))
            {
              n1h++;
              sum1h += r->target_pnl_1h;
            }
        }
      g_assert_cmpuint (b[k].count, ==, count);
      g_assert_cmpuint (b[k].n_closed, ==, closed);
      g_assert_cmpuint (b[k].wins, ==, wins);
      g_assert_cmpuint (b[k].target_pnl_1h.n, ==, n1h);
      g_assert_cmpfloat_with_epsilon (b[k].target_pnl_1h.mean, sum1h / n1h, 1e-9);
    }
}

/* A small database: two paper trades with context, one without. */
static char *
small_db (HsStore **out)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "trades.db", NULL);
  g_autoptr(GError) error = NULL;
  HsStore *store;
  int64_t instrument = 0;
  const char *contexts[][3] = {
    { "{\"5m\":{\"rsi\":72.5,\"trend\":\"up\"},\"missing\":[\"1m.rsi\"]}",
      "{\"spy\":{\"vix\":18.0},\"market_internals\":{\"tick\":400}}",
      "{\"model\":\"m1\",\"prompt_version\":\"v1\",\"confidence_score\":8,"
      "\"bull_case\":\"\",\"bear_case\":\"\",\"decision_logic\":\"\",\"my-key\":1}" },
    { "{\"5m\":{\"rsi\":40},\"daily\":{\"rsi\":55}}", NULL,
      "{\"model\":\"m2\",\"prompt_version\":\"v1\",\"confidence_score\":3,"
      "\"bull_case\":\"\",\"bear_case\":\"\",\"decision_logic\":\"\"}" },
    { NULL, NULL, NULL },
  };

  g_remove (path);
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (store, "AAPL", "NASDAQ", "stock", &instrument,
                                             &error));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();

      t->instrument_id = instrument;
      t->quantity = 1;
      t->entry_ts = 1709562600000000 + i * G_USEC_PER_SEC;
      t->entry_price = 100;
      t->signals_snapshot = g_strdup (contexts[i][0]);
      t->market_regime = g_strdup (contexts[i][1]);
      t->ai_reasoning_log = g_strdup (contexts[i][2]);
      t->target_pnl_1h = i == 0 ? -12 : 2;
      g_assert_true (hs_store_paper_insert (store, t, &error));
      g_assert_no_error (error);
    }
  *out = store;
  return g_steal_pointer (&path);
}

static void
test_context_paths (void)
{
  HsStore *store = NULL;
  g_autofree char *path = small_db (&store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = hs_store_trades_context_paths (store, NULL, &error);
  g_autoptr(GString) joined = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (joined, "%s\n", (char *) names->pdata[i]);
  /* Every leaf and array of the JSON written above, by hand, sorted; "my-key" cannot be named
   * in the language and is left out. */
  g_assert_cmpstr (joined->str, ==,
                   "ai.bear_case\nai.bull_case\nai.confidence_score\nai.decision_logic\n"
                   "ai.model\nai.prompt_version\n"
                   "regime.market_internals.tick\nregime.spy.vix\n"
                   "signals.5m.rsi\nsignals.5m.trend\nsignals.daily.rsi\nsignals.missing\n");
  hs_store_close (store);
  g_remove (path);
}

static void
test_query_rows (void)
{
  HsStore *store = NULL;
  g_autofree char *path = small_db (&store);
  g_autoptr(GError) error = NULL;
  HsTradesQuery all = { 0, NULL };
  HsTradesQuery hot = { 0, (char *) "signals.5m.rsi > 70 and target_pnl_1h < -10" };
  HsTradesQuery bad = { 0, (char *) "signals.5m.nope > 1" };
  g_autoptr(GPtrArray) rows = hs_trades_query_run (store, &all, NULL, &error);
  const HsTradeRow *r;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  r = rows->pdata[0];
  g_assert_cmpint (r->id, ==, 1);
  g_assert_cmpstr (r->symbol, ==, "AAPL");
  g_assert_cmpstr (r->side, ==, "long");
  g_assert_cmpfloat (r->confidence, ==, 8);
  g_assert_cmpstr (r->model, ==, "m1");
  g_assert_cmpfloat (r->target_pnl_1h, ==, -12);
  g_assert_true (isnan (r->pnl_pct));   /* open */
  g_assert_null (((HsTradeRow *) rows->pdata[2])->model);   /* no log */
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Only trade 1 has RSI 72.5 and −12 % an hour later. */
  rows = hs_trades_query_run (store, &hot, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((HsTradeRow *) rows->pdata[0])->id, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);

  rows = hs_trades_query_run (store, &bad, NULL, &error);
  g_assert_null (rows);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "column 1"));
  hs_store_close (store);
  g_remove (path);
}

static void
fields_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  GStrv *out = data;
  g_autoptr(GError) error = NULL;

  *out = hs_trades_job_fields_finish (res, &error);
  g_assert_no_error (error);
}

static void
test_fields_job (void)
{
  HsStore *store = NULL;
  g_autofree char *path = small_db (&store);
  GStrv fields = NULL;
  gboolean documented = FALSE, tick = FALSE, id = FALSE;

  hs_store_close (store);
  hs_trades_job_fields_async (path, NULL, fields_cb, &fields);
  while (fields == NULL)
    g_main_context_iteration (NULL, TRUE);
  for (size_t i = 0; fields[i] != NULL; i++)
    {
      g_assert_false (g_str_has_suffix (fields[i], "KEY…"));
      id |= g_str_equal (fields[i], "id");
      documented |= g_str_equal (fields[i], "regime.spy.vix");
      tick |= g_str_equal (fields[i], "regime.market_internals.tick");
    }
  /* The fields of the language, and an open key only the data has. */
  g_assert_true (id);
  g_assert_true (documented);
  g_assert_true (tick);
  g_strfreev (fields);
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/core/trade-stats/summary", test_summary);
  g_test_add_func ("/hs/core/trade-stats/bucket-of", test_bucket_of);
  g_test_add_func ("/hs/core/trade-stats/calibration", test_calibration);
  g_test_add_func ("/hs/core/trade-stats/breakdown", test_breakdown);
  g_test_add_func ("/hs/core/trade-stats/calibration-reference", test_calibration_reference);
  g_test_add_func ("/hs/store/trades/context-paths", test_context_paths);
  g_test_add_func ("/hs/jobs/trades/query-rows", test_query_rows);
  g_test_add_func ("/hs/jobs/trades/fields", test_fields_job);

  return g_test_run ();
}
