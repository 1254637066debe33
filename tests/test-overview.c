/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window's Overview and Data page read, without GTK: the overview job (sparklines of
 * closes against a hand calculation and a naive reference, gaps by hand, the newest backtests,
 * open paper trades priced by hand, alerts), the alerts store, the guesses the Data page makes
 * for a dropped file, the multi-file import job (progress to 1, a bad file's FILE:LINE error
 * with the database as before, cancellation), the demo file list and the bars job. Every case
 * writes a real SQLite file in its own temporary folder and spins the main loop until the job
 * answers.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-bars-job.h"
#include "hs-import-job.h"
#include "hs-overview-job.h"
#include "hs-paper.h"
#include "hs-store-alerts.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-test-db.h"
#include "hs-time.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static int64_t
ts (const char *iso)
{
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_time_parse (iso, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

static char *
temp_path (const char *name)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives every case its own data folder, removed afterwards. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Spins the main loop until the job's callback has stored its result. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static HsOverview *
read_overview (const char *path,
               int         n_closes,
               int64_t     now)
{
  HsOverviewRequest req = { .n_closes = n_closes, .n_backtests = 5, .n_alerts = 5,
                            .gaps = TRUE, .now = now };
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  HsOverview *o = NULL;

  hs_job_overview_async (path, &req, NULL, done_cb, &res);
  o = hs_job_overview_finish (wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (o);
  return o;
}

static const HsOverviewSeries *
find_series (HsOverview *o,
             const char *symbol,
             const char *interval)
{
  for (guint i = 0; i < o->series->len; i++)
    {
      const HsOverviewSeries *s = o->series->pdata[i];

      if (g_str_equal (s->coverage->symbol, symbol)
          && g_strcmp0 (s->coverage->interval, interval) == 0)
        return s;
    }
  g_error ("no series %s %s", symbol, interval ? interval : "-");
}

/* ------------------------------------------------------------------------------------------ */
/* Sparklines and gaps                                                                         */

static void
test_sparkline_by_hand (void)
{
  g_autofree char *path = temp_path ("spark.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  g_autoptr(HsOverview) o = NULL;
  const HsOverviewSeries *s = NULL;
  int64_t day0 = ts ("2024-01-01T00:00:00Z");
  int64_t btc = hs_test_store_instrument (store, "BTC-USD", NULL, "crypto");
  /* By hand: 10 daily bars on days 0..9, closes 100..109, in 5 slices of 9/5 = 1.8 days. Day d
   * falls in slice floor(d / 1.8): days 0,1 → 0; 2,3 → 1; 4,5 → 2; 6,7 → 3; 8 → 4, and day 9
   * (9 / 1.8 = 5) is the last bar, in the last slice. Each slice keeps its last close. */
  const double expected[] = { 101, 103, 105, 107, 109 };

  for (int d = 0; d < 10; d++)
    hs_test_store_add_bar (store, btc, "1d", day0 + (int64_t) d * 86400 * G_USEC_PER_SEC, 100 + d);
  g_clear_pointer (&store, hs_store_close);

  o = read_overview (path, 5, 0);
  g_assert_cmpint (o->n_instruments, ==, 1);
  g_assert_cmpuint (o->series->len, ==, 1);
  s = find_series (o, "BTC-USD", "1d");
  g_assert_cmpint (s->coverage->rows, ==, 10);
  g_assert_cmpuint (s->n_closes, ==, G_N_ELEMENTS (expected));
  for (size_t i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat (s->closes[i], ==, expected[i]);
  /* Crypto trades around the clock: every day has its bar. */
  g_assert_cmpint (s->gaps, ==, 0);
  g_assert_cmpint (s->missing, ==, 0);
  g_clear_pointer (&o, hs_overview_free);

  /* More slices than bars: one point per bar. */
  o = read_overview (path, 64, 0);
  s = find_series (o, "BTC-USD", "1d");
  g_assert_cmpuint (s->n_closes, ==, 10);
  for (int d = 0; d < 10; d++)
    g_assert_cmpfloat (s->closes[d], ==, 100 + d);
}

/* The naive reference: bar i is in slice k when k·span ≤ n·(ts − first) < (k + 1)·span in exact
 * integers (the last bar in slice n − 1); a slice shows its latest bar's close, or NaN. */
static void
test_sparkline_reference (void)
{
  g_autofree char *path = temp_path ("spark-ref.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  g_autoptr(HsOverview) o = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const HsOverviewSeries *s = NULL;
  int64_t first = ts ("2024-02-01T09:00:00Z");
  int64_t minute = (int64_t) 60 * G_USEC_PER_SEC;
  /* 101 minutes: an odd span, so no bar at a whole minute lies on a slice border of 8 slices
   * (8m = 101k has no solution with 0 < m < 101), where float and integer rounding could
   * disagree. */
  const int64_t span_min = 101, n = 8;
  int64_t bar_min[102];
  double bar_close[102];
  int n_bars = 0;
  int64_t eth = hs_test_store_instrument (store, "ETH-USD", NULL, "crypto");

  for (int64_t m = 0; m <= span_min; m++)
    if (m == 0 || m == span_min || g_rand_int_range (rand, 0, 100) < 30)
      {
        bar_min[n_bars] = m;
        bar_close[n_bars] = 2000 + g_rand_int_range (rand, -500, 500) / 10.0;
        hs_test_store_add_bar (store, eth, "1m", first + m * minute, bar_close[n_bars]);
        n_bars++;
      }
  g_clear_pointer (&store, hs_store_close);

  o = read_overview (path, (int) n, 0);
  s = find_series (o, "ETH-USD", "1m");
  g_assert_cmpint (s->coverage->rows, ==, n_bars);
  g_assert_cmpuint (s->n_closes, ==, n);
  for (int64_t k = 0; k < n; k++)
    {
      double want = NAN;

      for (int i = 0; i < n_bars; i++)
        {
          int64_t off = bar_min[i];
          gboolean in = (k * span_min <= n * off && n * off < (k + 1) * span_min)
                        || (off == span_min && k == n - 1);

          if (in)
            want = bar_close[i];   /* bars are in time order: the last one wins */
        }
      if (isnan (want))
        g_assert_true (isnan (s->closes[k]));
      else
        g_assert_cmpfloat (s->closes[k], ==, want);
    }
  /* The gaps of a 24/7 minute series: every absent minute between the first and the last. */
  {
    int64_t missing = (span_min + 1) - n_bars, ranges = 0;

    for (int i = 1; i < n_bars; i++)
      if (bar_min[i] != bar_min[i - 1] + 1)
        ranges++;
    g_assert_cmpint (s->missing, ==, missing);
    g_assert_cmpint (s->gaps, ==, ranges);
  }
}

static void
test_gaps_by_hand (void)
{
  g_autofree char *path = temp_path ("gaps.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  g_autoptr(HsOverview) o = NULL;
  const HsOverviewSeries *s = NULL;
  int64_t h0 = ts ("2024-05-01T00:00:00Z");
  int64_t sol = hs_test_store_instrument (store, "SOL-USD", NULL, "crypto");
  int64_t qqq = hs_test_store_instrument (store, "QQQ", NULL, "etf");
  int64_t ibm = hs_test_store_instrument (store, "IBM", NULL, "stock");

  /* IBM daily bars on the weekdays 2024-01-10 … 2024-01-17 except Monday the 15th (Martin
   * Luther King Day): with no calendar stored every weekday is a session, so that holiday is
   * one gap of one bar, and the series says its gaps count holidays. */
  {
    const char *days[] = { "2024-01-10", "2024-01-11", "2024-01-12", "2024-01-16",
                           "2024-01-17" };

    for (size_t i = 0; i < G_N_ELEMENTS (days); i++)
      {
        g_autofree char *iso = g_strdup_printf ("%sT00:00:00Z", days[i]);

        hs_test_store_add_bar (store, ibm, "1d", ts (iso), 160 + (double) i);
      }
  }
  /* Hours 0..9 without 4, 5 and 6: one range of 3 missing bars (24/7 calendar). */
  for (int h = 0; h < 10; h++)
    if (h < 4 || h > 6)
      hs_test_store_add_bar (store, sol, "1h", h0 + (int64_t) h * 3600 * G_USEC_PER_SEC, 150 + h);
  /* Weekly bars have no grid to measure gaps on: not measured, not an error. */
  hs_test_store_add_bar (store, qqq, "1w", ts ("2024-04-29T00:00:00Z"), 430);
  hs_test_store_add_bar (store, qqq, "1w", ts ("2024-05-06T00:00:00Z"), 440);
  g_clear_pointer (&store, hs_store_close);

  o = read_overview (path, 16, 0);
  g_assert_cmpint (o->n_instruments, ==, 3);
  s = find_series (o, "IBM", "1d");
  g_assert_cmpint (s->gaps, ==, 1);
  g_assert_cmpint (s->missing, ==, 1);
  g_assert_true (s->weekdays_only);
  s = find_series (o, "SOL-USD", "1h");
  g_assert_cmpint (s->coverage->rows, ==, 7);
  g_assert_cmpint (s->gaps, ==, 1);
  g_assert_cmpint (s->missing, ==, 3);
  g_assert_false (s->weekdays_only);
  /* 7 bars over 9 hours in 7 slices of 9/7 h: hour 3 → 2.33 (slice 2), hour 7 → 5.44 (slice 5),
   * so slices 3 and 4 (hours 3.86 to 6.43) hold no bar: the sparkline breaks over the gap. */
  g_assert_cmpuint (s->n_closes, ==, 7);
  g_assert_true (isnan (s->closes[3]) && isnan (s->closes[4]));
  g_assert_cmpfloat (s->closes[2], ==, 153);
  g_assert_cmpfloat (s->closes[5], ==, 157);
  /* Handed the coverage rows the window has read, the job reads the same. */
  {
    g_autoptr(HsStore) again = hs_test_store_open (path);
    g_autoptr(GPtrArray) rows = hs_store_list_coverage (again, NULL);
    HsOverviewRequest req = { .coverage = rows, .n_closes = 16, .gaps = TRUE };
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(HsOverview) o2 = NULL;
    const HsOverviewSeries *s2 = NULL;

    g_assert_nonnull (rows);
    hs_job_overview_async (path, &req, NULL, done_cb, &res);
    /* The job has its own copy of the rows. */
    g_clear_pointer (&rows, g_ptr_array_unref);
    o2 = hs_job_overview_finish (wait_result (&res), NULL);
    g_assert_nonnull (o2);
    g_assert_cmpint (o2->n_instruments, ==, 3);
    s2 = find_series (o2, "SOL-USD", "1h");
    g_assert_cmpint (s2->missing, ==, 3);
    g_assert_true (isnan (s2->closes[3]) && s2->closes[5] == 157);
  }
  s = find_series (o, "QQQ", "1w");
  g_assert_cmpint (s->gaps, ==, -1);
  g_assert_cmpint (s->missing, ==, -1);
  g_assert_false (s->weekdays_only);
  g_assert_cmpuint (s->n_closes, ==, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* Backtests, positions, alerts                                                                */

static HsPaperTrade *
open_trade (HsStore     *store,
            const char  *symbol,
            HsPaperSide  side,
            double       qty,
            double       price,
            double       fees,
            const char  *at)
{
  g_autoptr(GError) error = NULL;
  HsPaperOpenRequest req = { .symbol = (char *) symbol, .side = side, .quantity = qty,
                             .price = price, .at = ts (at), .stop_loss = NAN,
                             .take_profit = NAN, .fees = fees };
  HsPaperTrade *t = hs_paper_open (store, &req, NULL, &error);

  g_assert_no_error (error);
  return t;
}

static void
add_alert (HsStore    *store,
           const char *at,
           const char *kind,
           const char *severity,
           const char *title,
           const char *key,
           gboolean    expect_inserted)
{
  g_autoptr(HsAlert) alert = hs_alert_new ();
  g_autoptr(GError) error = NULL;
  gboolean inserted = !expect_inserted;

  alert->ts = ts (at);
  alert->kind = g_strdup (kind);
  g_free (alert->severity);
  alert->severity = g_strdup (severity);
  alert->title = g_strdup (title);
  alert->dedupe_key = g_strdup (key);
  g_assert_true (hs_store_add_alert (store, alert, &inserted, &error));
  g_assert_no_error (error);
  g_assert_true (inserted == expect_inserted);
}

static void
test_backtests_positions_alerts (void)
{
  g_autofree char *path = temp_path ("overview.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  g_autoptr(HsOverview) o = NULL;
  g_autoptr(HsPaperTrade) lng = NULL, shrt = NULL, gone = NULL, closed = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  g_autoptr(GError) error = NULL;
  int64_t aapl = hs_test_store_instrument (store, "AAPL", NULL, "stock");
  const HsOverviewPosition *p = NULL;

  hs_test_store_instrument (store, "MSFT", NULL, "stock");
  /* Three runs; the Overview asks for five, the store gives them newest first: the last
   * stored first (by id; created_at is the run's own time). */
  {
    const char *names[] = { "sma_cross", "rsi_reversion", "breakout" };
    const char *created[] = { "2024-01-01T10:00:00Z", "2024-01-03T10:00:00Z",
                              "2024-01-02T10:00:00Z" };
    const double profit[] = { 0.10, -0.05, 0.20 };
    const int64_t trades[] = { 12, 30, 7 };

    for (int i = 0; i < 3; i++)
      {
        HsTestBtRun run = { .strategy = names[i], .start_ts = ts ("2020-01-01T00:00:00Z"),
                            .end_ts = ts ("2021-01-01T00:00:00Z"), .created_at = ts (created[i]),
                            .net_profit = profit[i], .sharpe = 1.25, .max_drawdown = 0.08,
                            .trades = trades[i] };

        hs_test_store_add_run (store, &run);
      }
  }

  /* AAPL one-minute bars 14:30, 14:31, 14:32 closing 101, 102, 103. */
  hs_test_store_add_bar (store, aapl, "1m", ts ("2024-03-04T14:30:00Z"), 101);
  hs_test_store_add_bar (store, aapl, "1m", ts ("2024-03-04T14:31:00Z"), 102);
  hs_test_store_add_bar (store, aapl, "1m", ts ("2024-03-04T14:32:00Z"), 103);
  lng = open_trade (store, "AAPL", HS_PAPER_LONG, 10, 100, 1, "2024-03-04T14:30:30Z");
  shrt = open_trade (store, "AAPL", HS_PAPER_SHORT, 5, 105, 0, "2024-03-04T14:31:30Z");
  gone = open_trade (store, "MSFT", HS_PAPER_LONG, 1, 400, 0, "2024-03-04T14:32:00Z");
  closed = hs_paper_close (store, gone->id, 401, ts ("2024-03-04T14:40:00Z"), 0, "signal",
                           NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&gone, hs_paper_trade_free);
  gone = open_trade (store, "MSFT", HS_PAPER_LONG, 2, 400, 0, "2024-03-04T14:41:00Z");

  add_alert (store, "2024-03-04T10:00:00Z", "data_gap", "warning", "SPY: 3 bars missing",
             "gap-1", TRUE);
  add_alert (store, "2024-03-04T12:00:00Z", "backtest_finished", "info", "sma_cross done",
             NULL, TRUE);
  add_alert (store, "2024-03-04T11:00:00Z", "provider_error", "error", "Polygon: 429",
             NULL, TRUE);
  /* Raised again with the same key: one row. */
  add_alert (store, "2024-03-04T13:00:00Z", "data_gap", "warning", "SPY: 3 bars missing",
             "gap-1", FALSE);
  {
    g_autoptr(HsAlert) bad = hs_alert_new ();

    bad->ts = 1;
    bad->kind = g_strdup ("coffee_break");
    bad->title = g_strdup ("not a kind the table knows");
    g_assert_false (hs_store_add_alert (store, bad, NULL, &error));
    g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }
  g_clear_pointer (&store, hs_store_close);

  o = read_overview (path, 0, ts ("2024-03-04T15:00:00Z"));
  g_assert_cmpuint (o->backtests->len, ==, 3);
  {
    const char *order[] = { "breakout", "rsi_reversion", "sma_cross" };
    const double profit[] = { 0.20, -0.05, 0.10 };

    for (guint i = 0; i < 3; i++)
      {
        const HsBtRunRow *row = o->backtests->pdata[i];

        g_assert_cmpstr (row->info->strategy_name, ==, order[i]);
        g_assert_cmpfloat (row->result->stats.net_profit, ==, profit[i]);
      }
  }

  /* Open trades by entry time; the closed MSFT trade is not among them. Priced at 15:00 with
   * the close of the last bar that had ended, 14:32's (ends 14:33): 103.
   * Long 10 @ 100 with 1 of fees: (103 − 100) × 10 − 1 = 29, 29 / 1000 = 2.9 %.
   * Short 5 @ 105: (105 − 103) × 5 = 10, 10 / 525 = 1.9047619048 %.
   * MSFT has no price stored at all. */
  g_assert_cmpuint (o->positions->len, ==, 3);
  p = o->positions->pdata[0];
  g_assert_cmpint (p->trade->id, ==, lng->id);
  g_assert_true (p->priced);
  g_assert_cmpfloat (p->price.price, ==, 103);
  g_assert_cmpint (p->price.ts, ==, ts ("2024-03-04T14:33:00Z"));
  g_assert_cmpfloat_with_epsilon (p->pnl, 29, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->pnl_pct, 2.9, 1e-9);
  p = o->positions->pdata[1];
  g_assert_cmpint (p->trade->id, ==, shrt->id);
  g_assert_cmpfloat_with_epsilon (p->pnl, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->pnl_pct, 1.9047619048, 1e-9);
  p = o->positions->pdata[2];
  g_assert_cmpint (p->trade->id, ==, gone->id);
  g_assert_false (p->priced);
  g_assert_true (isnan (p->pnl) && isnan (p->pnl_pct));

  /* Newest alerts first; the repeated key stored once. */
  g_assert_cmpuint (o->alerts->len, ==, 3);
  g_assert_cmpstr (((HsAlert *) o->alerts->pdata[0])->title, ==, "sma_cross done");
  g_assert_cmpstr (((HsAlert *) o->alerts->pdata[1])->title, ==, "Polygon: 429");
  g_assert_cmpstr (((HsAlert *) o->alerts->pdata[1])->severity, ==, "error");
  g_assert_cmpstr (((HsAlert *) o->alerts->pdata[2])->dedupe_key, ==, "gap-1");

  /* The periodic refresh: at 14:32:10 only the 14:30 bar had ended (close 101), and the short
   * trade, entered at 14:31:30, is already open then. Long: 1 × 10 − 1 = 9, 0.9 %. */
  {
    g_autoptr(GAsyncResult) res = NULL;

    hs_job_positions_async (path, ts ("2024-03-04T14:32:10Z"), NULL, done_cb, &res);
    positions = hs_job_positions_finish (wait_result (&res), &error);
    g_assert_no_error (error);
  }
  p = positions->pdata[0];
  g_assert_cmpfloat (p->price.price, ==, 102);
  g_assert_cmpfloat_with_epsilon (p->pnl, 19, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->pnl_pct, 1.9, 1e-9);
}

static void
test_overview_empty (void)
{
  g_autofree char *path = temp_path ("empty.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  g_autoptr(HsOverview) o = NULL;

  g_clear_pointer (&store, hs_store_close);
  o = read_overview (path, 32, 0);
  g_assert_cmpint (o->n_instruments, ==, 0);
  g_assert_cmpuint (o->series->len, ==, 0);
  g_assert_cmpuint (o->backtests->len, ==, 0);
  g_assert_cmpuint (o->positions->len, ==, 0);
  g_assert_cmpuint (o->alerts->len, ==, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Import                                                                                      */

static void
test_import_guess (void)
{
  const struct
  {
    const char  *path;
    HsImportKind kind;
    const char  *symbol, *interval, *instrument_kind;
  } cases[] = {
    { "/data/spy_daily.csv", HS_IMPORT_BARS, "SPY", "1d", NULL },
    { "/data/spy_minute_2013-10.csv", HS_IMPORT_BARS, "SPY", "1m", NULL },
    { "/data/nvda-1999-2014.txt", HS_IMPORT_BARS, "NVDA", "1d", NULL },
    { "/data/BTC-USD_5m.csv", HS_IMPORT_BARS, "BTC-USD", "5m", "crypto" },
    { "/data/eurusd-hourly.csv", HS_IMPORT_BARS, "EURUSD", "1h", NULL },
    { "/data/qqq.weekly.csv", HS_IMPORT_BARS, "QQQ", "1w", NULL },
    { "/data/ES=F.csv", HS_IMPORT_BARS, "ES=F", "1d", NULL },
    { "/data/2006-01-02-volume-min-001.txt", HS_IMPORT_BARS, NULL, "1m", NULL },
    { "/data/aapl_trades.csv", HS_IMPORT_TRADES, "AAPL", NULL, NULL },
    { "/data/aapl quotes.csv", HS_IMPORT_QUOTES, "AAPL", NULL, NULL },
    { "/data/kalshi-poll.jsonl", HS_IMPORT_SNAPSHOTS, NULL, NULL, NULL },
    { "/data/eth_orderbook.jsonl", HS_IMPORT_ORDERBOOK, "ETH", NULL, NULL },
    { "/data/prices", HS_IMPORT_BARS, "PRICES", "1d", NULL },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HsImportRequest) req = hs_import_guess (cases[i].path);

      g_test_message ("%s", cases[i].path);
      g_assert_cmpstr (req->path, ==, cases[i].path);
      g_assert_cmpint (req->kind, ==, cases[i].kind);
      g_assert_cmpstr (req->symbol, ==, cases[i].symbol);
      g_assert_cmpstr (req->interval, ==, cases[i].interval);
      g_assert_cmpstr (req->instrument_kind, ==, cases[i].instrument_kind);
    }
}

static char *
write_file (const char *name,
            const char *text)
{
  g_autofree char *path = temp_path (name);

  hs_test_write_text (path, text);
  return g_steal_pointer (&path);
}

static HsImportRequest *
bars_request (const char *path,
              const char *symbol,
              const char *interval)
{
  HsImportRequest *req = g_new0 (HsImportRequest, 1);

  req->kind = HS_IMPORT_BARS;
  req->path = g_strdup (path);
  req->symbol = g_strdup (symbol);
  req->interval = g_strdup (interval);
  return req;
}

typedef struct
{
  GArray    *fractions;   /* double */
  GPtrArray *messages;    /* char* */
} Progress;

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  Progress *p = user_data;

  g_array_append_val (p->fractions, fraction);
  g_ptr_array_add (p->messages, g_strdup (message));
}

static HsImportJobResult *
run_import (const char *db,
            GPtrArray  *requests,
            Progress   *progress,
            GCancellable *cancellable,
            GError    **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  hs_job_import_async (db, requests, progress != NULL ? progress_cb : NULL, progress,
                       cancellable, done_cb, &res);
  return hs_job_import_finish (wait_result (&res), error);
}

static void
test_import_job (void)
{
  g_autofree char *db = temp_path ("import.db");
  g_autofree char *a = write_file ("aaa_daily.csv",
                                   "timestamp,open,high,low,close,volume\n"
                                   "2024-01-02,10,11,9,10.5,100\n"
                                   "2024-01-03,10.5,12,10,11.5,200\n"
                                   "2024-01-04,11.5,12,11,11,150\n");
  g_autofree char *b = write_file ("bbb_1h.csv",
                                   "timestamp,open,high,low,close,volume\n"
                                   "2024-01-02T14:00:00Z,1,2,0.5,1.5,10\n"
                                   "2024-01-02T15:00:00Z,1.5,2,1,1.2,20\n");
  g_autofree char *c = write_file ("ccc_daily.csv",
                                   "timestamp,open,high,low,close,volume\n"
                                   "2024-01-02,5,6,4,5.5,100\n"
                                   "2024-01-03,5.5,6,5,5.8,100\n");
  /* Line 3 (the second data row) has a high that is not a number. */
  g_autofree char *bad = write_file ("bad.csv",
                                     "timestamp,open,high,low,close,volume\n"
                                     "2024-01-02,5,6,4,5.5,100\n"
                                     "2024-01-03,5.5,abc,5,5.8,100\n");
  g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              hs_import_request_free);
  g_autoptr(HsImportJobResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Progress progress = { g_array_new (FALSE, FALSE, sizeof (double)),
                        g_ptr_array_new_with_free_func (g_free) };

  /* A job never makes a database: that is opening one (the window's coverage job). */
  g_ptr_array_add (reqs, bars_request (a, "AAA", "1d"));
  g_assert_null (run_import (db, g_steal_pointer (&reqs), NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  hs_store_close (hs_test_store_open (db));

  reqs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_import_request_free);
  g_ptr_array_add (reqs, bars_request (a, "AAA", "1d"));
  g_ptr_array_add (reqs, bars_request (b, "BBB", "1h"));
  result = run_import (db, g_steal_pointer (&reqs), &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->requests->len, ==, 2);
  g_assert_cmpuint (result->results->len, ==, 2);
  g_assert_cmpint (g_array_index (result->results, HsImportResult, 0).inserted, ==, 3);
  g_assert_cmpint (g_array_index (result->results, HsImportResult, 1).inserted, ==, 2);
  g_assert_cmpint (hs_test_count_bars (db, "AAA", "1d"), ==, 3);
  g_assert_cmpint (hs_test_count_bars (db, "BBB", "1h"), ==, 2);
  /* Progress: file 1 starts at 0, file 2 at 1/2, and the whole list ends at 1; between them
   * whatever the importer reports (every 65,536 rows, and when a file is done). */
  g_assert_cmpuint (progress.fractions->len, >=, 3);
  for (guint i = 1; i < progress.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (progress.fractions, double, i), >=,
                       g_array_index (progress.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (progress.fractions, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (progress.fractions, double, progress.fractions->len - 1),
                     ==, 1.0);
  g_assert_cmpstr (progress.messages->pdata[0], ==, "aaa_daily.csv");
  {
    gboolean second = FALSE;

    for (guint i = 0; i < progress.messages->len; i++)
      if (g_str_equal (progress.messages->pdata[i], "bbb_1h.csv"))
        {
          g_assert_cmpfloat (g_array_index (progress.fractions, double, i), ==, 0.5);
          second = TRUE;
        }
    g_assert_true (second);
  }
  g_clear_pointer (&result, hs_import_job_result_free);

  /* A good file, then a bad one: the first is in, the second left no trace and says where. */
  g_array_set_size (progress.fractions, 0);
  reqs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_import_request_free);
  g_ptr_array_add (reqs, bars_request (c, "CCC", "1d"));
  g_ptr_array_add (reqs, bars_request (bad, "BAD", "1d"));
  g_ptr_array_add (reqs, bars_request (a, "NEVER", "1d"));
  result = run_import (db, g_steal_pointer (&reqs), &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->results->len, ==, 1);
  g_assert_error (result->error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
  {
    g_autofree char *where = g_strdup_printf ("%s:3: ", bad);

    g_assert_true (g_str_has_prefix (result->error->message, where));
    g_assert_nonnull (strstr (result->error->message, "high"));
  }
  g_assert_cmpint (hs_test_count_bars (db, "CCC", "1d"), ==, 2);
  g_assert_cmpint (hs_test_count_bars (db, "BAD", "1d"), ==, -1);     /* not even the instrument */
  g_assert_cmpint (hs_test_count_bars (db, "NEVER", "1d"), ==, -1);   /* not tried */
  g_assert_cmpfloat (g_array_index (progress.fractions, double, progress.fractions->len - 1),
                     <, 1.0);
  g_clear_pointer (&result, hs_import_job_result_free);

  /* Cancelled before it starts: nothing is read. */
  reqs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_import_request_free);
  g_ptr_array_add (reqs, bars_request (a, "ZZZ", "1d"));
  g_cancellable_cancel (cancellable);
  result = run_import (db, g_steal_pointer (&reqs), NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_assert_cmpint (hs_test_count_bars (db, "ZZZ", "1d"), ==, -1);

  g_array_unref (progress.fractions);
  g_ptr_array_unref (progress.messages);
}

static void
test_demo_requests (void)
{
  const char *files[] = { "spy_daily.csv", "qqq_daily.csv", "aapl_daily.csv", "ibm_daily.csv",
                          "spy_minute_2013-10.csv", "nvda-1999-2014.txt",
                          "orcl-1995-2014.txt" };
  g_autofree char *dir = temp_path ("demo");
  g_autoptr(GPtrArray) reqs = NULL;
  g_autofree char *last = NULL;
  const HsImportRequest *r = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (dir, files[i], NULL);

      g_assert_true (g_file_set_contents (p, "", 0, NULL));
    }
  reqs = hs_import_demo_requests (dir);
  g_assert_nonnull (reqs);
  g_assert_cmpuint (reqs->len, ==, 7);
  r = reqs->pdata[0];
  g_assert_cmpstr (r->symbol, ==, "SPY");
  g_assert_cmpstr (r->instrument_kind, ==, "etf");
  g_assert_cmpstr (r->interval, ==, "1d");
  r = reqs->pdata[4];
  g_assert_cmpstr (r->symbol, ==, "SPY");
  g_assert_cmpstr (r->interval, ==, "1m");
  g_assert_true (g_str_has_prefix (r->path, dir));
  g_clear_pointer (&reqs, g_ptr_array_unref);

  /* The folder named by $HINDSIGHT_DEMO_DIR wins. */
  g_setenv ("HINDSIGHT_DEMO_DIR", dir, TRUE);
  last = hs_import_demo_dir ();
  g_assert_cmpstr (last, ==, dir);
  g_unsetenv ("HINDSIGHT_DEMO_DIR");

  /* A file missing: no demo. */
  {
    g_autofree char *p = g_build_filename (dir, "ibm_daily.csv", NULL);

    g_assert_cmpint (g_unlink (p), ==, 0);
  }
  g_assert_null (hs_import_demo_requests (dir));
}

static void
test_bars_job (void)
{
  g_autofree char *path = temp_path ("bars.db");
  g_autoptr(HsStore) store = hs_test_store_open (path);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(GError) error = NULL;
  int64_t id = hs_test_store_instrument (store, "IBM", NULL, "stock");
  HsBarsRequest req = { .symbol = (char *) "IBM", .interval = (char *) "1d",
                        .from_ts = G_MININT64, .to_ts = G_MAXINT64 };

  hs_test_store_add_bar (store, id, "1d", ts ("2024-01-02T00:00:00Z"), 160);
  hs_test_store_add_bar (store, id, "1d", ts ("2024-01-03T00:00:00Z"), 161.5);
  hs_test_store_add_bar (store, id, "1h", ts ("2024-01-03T15:00:00Z"), 999);
  g_clear_pointer (&store, hs_store_close);

  hs_job_bars_async (path, &req, NULL, done_cb, &res);
  bars = hs_job_bars_finish (wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->n, ==, 2);
  g_assert_cmpint (bars->ts[1], ==, ts ("2024-01-03T00:00:00Z"));
  g_assert_cmpfloat (bars->close[1], ==, 161.5);
  g_clear_object (&res);

  req.symbol = (char *) "NOPE";
  hs_job_bars_async (path, &req, NULL, done_cb, &res);
  g_assert_null (hs_job_bars_finish (wait_result (&res), &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/jobs/overview/sparkline-by-hand", test_sparkline_by_hand);
  g_test_add_func ("/hs/jobs/overview/sparkline-reference", test_sparkline_reference);
  g_test_add_func ("/hs/jobs/overview/gaps-by-hand", test_gaps_by_hand);
  g_test_add_func ("/hs/jobs/overview/backtests-positions-alerts",
                   test_backtests_positions_alerts);
  g_test_add_func ("/hs/jobs/overview/empty", test_overview_empty);
  g_test_add_func ("/hs/jobs/import/guess", test_import_guess);
  g_test_add_func ("/hs/jobs/import/job", test_import_job);
  g_test_add_func ("/hs/jobs/import/demo", test_demo_requests);
  g_test_add_func ("/hs/jobs/bars/job", test_bars_job);

  return g_test_run ();
}
