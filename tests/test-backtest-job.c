/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest job (src/jobs/hs-backtest-job.c) as the window calls it: on a worker through
 * GTask, with its outcome on the main context. Data: 200 daily bars from
 * tests/data/gen-bars-200-seed42.csv (tests/bench/gen-bars, seed 42), stored in a real SQLite
 * file. What is checked:
 *   - a run is computed and stored; the same request again is a cache hit pointing at it, with the
 *     same statistics;
 *   - buy_and_hold's net profit equals the hand calculation from the CSV: floor(cash / first
 *     close) units (percent:100 sizing at the deciding close, whole units, no fees) bought at the
 *     second bar's open and valued at the last close;
 *   - a bad request is HS_BACKTEST_JOB_ERROR_REQUEST before any data is read; a period with one
 *     bar is NO_DATA; a cancelled job is G_IO_ERROR_CANCELLED and stores nothing;
 *   - the lean profile without SPY or rates runs and says so in its warnings.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-backtest-job.h"
#include "hs-csv.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-store-private.h"

static char *tmpdir, *db_path;
static double first_close, second_open, last_close;   /* from the CSV, by hand */

static void
load_bars (void)
{
  g_autofree char *csv = g_build_filename (g_getenv ("HS_TEST_DATA"),
                                           "gen-bars-200-seed42.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) bars = g_array_new (FALSE, TRUE, sizeof (HsBar));
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  int64_t id = 0, inserted = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  /* timestamp,open,high,low,close,volume; the timestamps are replaced by consecutive days
   * from 2024-01-01 so that the run is daily. */
  for (size_t i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      HsBar b = { 0 };

      g_assert_cmpuint (g_strv_length (f), >=, 6);
      b.ts = (G_GINT64_CONSTANT (1704067200) + (int64_t) (i - 1) * 86400) * G_USEC_PER_SEC;
      b.open = g_ascii_strtod (f[1], NULL);
      b.high = g_ascii_strtod (f[2], NULL);
      b.low = g_ascii_strtod (f[3], NULL);
      b.close = g_ascii_strtod (f[4], NULL);
      b.volume = g_ascii_strtod (f[5], NULL);
      b.vwap = NAN;
      b.trade_count = -1;
      g_array_append_val (bars, b);
    }
  g_assert_cmpuint (bars->len, ==, 200);
  first_close = g_array_index (bars, HsBar, 0).close;
  second_open = g_array_index (bars, HsBar, 1).open;
  last_close = g_array_index (bars, HsBar, 199).close;
  g_assert_true (hs_store_ensure_instrument (store, "GEN", "", "crypto", &id, &error));
  g_assert_true (hs_store_insert_bars (store, id, "1d", (const HsBar *) (const void *) bars->data,
                                       bars->len, &inserted, &error));
  g_assert_cmpint (inserted, ==, 200);
}

static void
request_init (HsBacktestRequest *q,
              const char        *strategy)
{
  hs_backtest_request_init (q);
  q->symbol = g_strdup ("GEN");
  q->interval = g_strdup ("1d");
  q->strategy = g_strdup (strategy);
  q->cash = 10000;
}

typedef struct
{
  gboolean          done;
  gboolean          ok;
  HsBacktestOutcome outcome;
  GError           *error;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = hs_backtest_job_finish (result, &w->outcome, &w->error);
  w->done = TRUE;
}

static void
run_and_wait (const HsBacktestRequest *q,
              GCancellable            *cancellable,
              Wait                    *w)
{
  memset (w, 0, sizeof *w);
  hs_backtest_job_run_async (db_path, q, cancellable, done_cb, w);
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
}

static int64_t
count_runs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT count(*) FROM backtest_runs", &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_run_and_cache (void)
{
  g_auto(HsBacktestRequest) q = { 0 };
  Wait a, b;
  double net_a, net_b, want;
  int64_t runs = count_runs ();

  request_init (&q, "buy_and_hold");
  run_and_wait (&q, NULL, &a);
  g_assert_no_error (a.error);
  g_assert_true (a.ok);
  g_assert_false (a.outcome.cache_hit);
  g_assert_cmpint (a.outcome.id, >, 0);
  g_assert_nonnull (a.outcome.result);
  g_assert_cmpint (count_runs (), ==, runs + 1);

  /* By hand (docs/backtester.md, "Sizing"): the first close decides, percent:100 of 10,000 in
   * whole units at that close, filled at the second bar's open, valued at the last close. */
  {
    double units = floor (10000 / first_close);

    want = units * (last_close - second_open);
  }
  net_a = a.outcome.result->stats.net_profit_currency;
  g_assert_cmpfloat_with_epsilon (net_a, want, 1e-6 * fabs (want) + 1e-6);

  run_and_wait (&q, NULL, &b);
  g_assert_true (b.ok);
  g_assert_true (b.outcome.cache_hit);
  g_assert_cmpint (b.outcome.source_id, ==, a.outcome.id);
  net_b = b.outcome.result->stats.net_profit_currency;
  g_assert_cmpfloat (net_b, ==, net_a);
  g_assert_cmpint (count_runs (), ==, runs + 2);   /* a cache hit is recorded as a run */
  hs_backtest_outcome_clear (&a.outcome);
  hs_backtest_outcome_clear (&b.outcome);
}

static void
test_refusals (void)
{
  int64_t runs = count_runs ();

  /* Unknown strategy: refused before the data is read. */
  {
    g_auto(HsBacktestRequest) q = { 0 };
    Wait w;

    request_init (&q, "no_such_strategy");
    run_and_wait (&q, NULL, &w);
    g_assert_false (w.ok);
    g_assert_error (w.error, HS_BACKTEST_JOB_ERROR, HS_BACKTEST_JOB_ERROR_REQUEST);
    g_assert_nonnull (strstr (w.error->message, "no_such_strategy"));
    g_clear_error (&w.error);
  }
  /* One bar in the period. */
  {
    g_auto(HsBacktestRequest) q = { 0 };
    Wait w;

    request_init (&q, "sma_cross");
    q.from = g_strdup ("2024-01-05");
    q.to = g_strdup ("2024-01-05");
    run_and_wait (&q, NULL, &w);
    g_assert_false (w.ok);
    g_assert_error (w.error, HS_BACKTEST_JOB_ERROR, HS_BACKTEST_JOB_ERROR_NO_DATA);
    g_clear_error (&w.error);
  }
  /* Cancelled before it starts: nothing stored. */
  {
    g_auto(HsBacktestRequest) q = { 0 };
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Wait w;

    request_init (&q, "sma_cross");
    q.no_cache = TRUE;
    g_cancellable_cancel (cancellable);
    run_and_wait (&q, cancellable, &w);
    g_assert_false (w.ok);
    g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&w.error);
  }
  g_assert_cmpint (count_runs (), ==, runs);
}

static void
test_lean_warnings (void)
{
  g_auto(HsBacktestRequest) q = { 0 };
  Wait w;
  gboolean spy = FALSE, rates = FALSE;

  request_init (&q, "buy_and_hold");
  q.profile = g_strdup ("lean");
  q.session = g_strdup ("24x7");
  run_and_wait (&q, NULL, &w);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  for (guint i = 0; i < w.outcome.warnings->len; i++)
    {
      const char *text = w.outcome.warnings->pdata[i];

      spy |= g_str_has_prefix (text, "no SPY");
      rates |= g_str_has_prefix (text, "no rate series");
    }
  g_assert_true (spy);
  g_assert_true (rates);
  hs_backtest_outcome_clear (&w.outcome);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-backtest-job-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmpdir, "bt.db", NULL);
  load_bars ();
  g_test_add_func ("/hs/jobs/backtest/run-and-cache", test_run_and_cache);
  g_test_add_func ("/hs/jobs/backtest/refusals", test_refusals);
  g_test_add_func ("/hs/jobs/backtest/lean-warnings", test_lean_warnings);
  status = g_test_run ();
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (size_t i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (db_path, suffixes[i], NULL);

        g_unlink (p);
      }
    g_rmdir (tmpdir);
  }
  g_free (db_path);
  g_free (tmpdir);
  return status;
}
