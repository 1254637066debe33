/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The jobs behind the window's backtest pages (src/jobs/hs-sweep-job.c, hs-runs-job.c), on a
 * real SQLite file with the 255 daily bars of tests/data/backtrader/2006-day-001.txt imported
 * by the bars importer, each spun on the
 * main loop until its callback (never sleeps). What is checked:
 *   - a 3 × 3 sma_cross sweep stores 9 rows of one batch; every combination's statistics equal
 *     those of a single backtest of the same parameters run through hs_backtest_job_run() (a
 *     different path: the request's NAME=VALUE parameters, one engine run, no cache); the best
 *     is the one with the highest Sharpe ratio among those single runs, found by a plain loop
 *     here, and it alone has its equity curve (255 points) and trades;
 *   - progress arrives on the main thread, never decreasing, ending at 1;
 *   - a bad grid value is refused, a cancelled sweep is G_IO_ERROR_CANCELLED, and neither
 *     stores anything;
 *   - the run list filters by strategy and symbol; the strategy view's average Sharpe ratio is
 *     the plain mean, computed here, of the listed computed runs;
 *   - loading gives the full runs in the order asked; deleting removes exactly the runs asked.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-backtest-job.h"
#include "hs-import.h"
#include "hs-runs-job.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-sweep-job.h"

static char *tmpdir, *db_path;

/* backtrader's 2006-day-001.txt (255 daily bars of 2006) through the bars importer. */
static void
load_bars (void)
{
  g_autofree char *csv = g_build_filename (g_getenv ("HS_TEST_DATA"), "backtrader",
                                           "2006-day-001.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  HsImportRequest req = { 0 };
  HsImportResult res = { 0 };

  g_assert_no_error (error);
  req.kind = HS_IMPORT_BARS;
  req.path = csv;
  req.symbol = (char *) "GEN";
  req.instrument_kind = (char *) "stock";
  req.interval = (char *) "1d";
  g_assert_true (hs_import_run (store, &req, NULL, NULL, NULL, &res, &error));
  g_assert_no_error (error);
  g_assert_cmpint (res.inserted, ==, 255);
  hs_import_result_clear (&res);
}

static void
request_init (HsBacktestRequest *q)
{
  hs_backtest_request_init (q);
  q->symbol = g_strdup ("GEN");
  q->interval = g_strdup ("1d");
  q->strategy = g_strdup ("sma_cross");
  q->cash = 10000;
}

static int64_t
count_runs (const char *batch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  int64_t n = -1;

  g_assert_no_error (error);
  g_assert_true (hs_store_count_backtests (store, batch, &n, &error));
  return n;
}

typedef struct
{
  gboolean        done;
  GAsyncResult   *result;     /* (owned) */
  GArray         *fractions;  /* (owned) double */
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  Wait *w = user_data;

  g_assert_false (w->done);   /* reports come before the callback */
  g_assert_nonnull (message);
  g_array_append_val (w->fractions, fraction);
}

static void
wait_init (Wait *w)
{
  memset (w, 0, sizeof *w);
  w->fractions = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
wait_clear (Wait *w)
{
  g_clear_object (&w->result);
  g_clear_pointer (&w->fractions, g_array_unref);
}

static void
spin (Wait *w)
{
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
}

static HsSweepOutcome *
sweep (const char *const *specs,
       GCancellable      *cancellable,
       Wait              *w,
       GError           **error)
{
  g_auto(HsBacktestRequest) q = { 0 };

  request_init (&q);
  q.params = g_strdupv ((char **) specs);
  hs_sweep_job_run_async (db_path, &q, NULL, 2, progress_cb, w, cancellable, wait_cb, w);
  spin (w);
  return hs_sweep_job_finish (w->result, error);
}

static double
single_sharpe (int fast,
               int slow)
{
  g_auto(HsBacktestRequest) q = { 0 };
  g_auto(HsBacktestOutcome) outcome = { 0 };
  g_autoptr(GError) error = NULL;
  char *params[3] = { NULL, NULL, NULL };

  request_init (&q);
  params[0] = g_strdup_printf ("fast=%d", fast);
  params[1] = g_strdup_printf ("slow=%d", slow);
  q.params = g_strdupv (params);
  q.no_cache = TRUE;
  g_free (params[0]);
  g_free (params[1]);
  g_assert_true (hs_backtest_job_run (db_path, &q, FALSE, NULL, &outcome, &error));
  g_assert_no_error (error);
  g_assert_false (outcome.cache_hit);
  return outcome.result->stats.sharpe_ratio;
}

static void
test_sweep (void)
{
  const char *specs[] = { "fast=5:15:5", "slow=20:40:10", NULL };
  g_autoptr(HsSweepOutcome) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  Wait w;
  double best_sharpe = -INFINITY;
  int64_t best_id = 0;

  wait_init (&w);
  out = sweep (specs, NULL, &w, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  /* fast ∈ {5, 10, 15} × slow ∈ {20, 30, 40}: 9 combinations, all with fast < slow. */
  g_assert_cmpuint (out->result->trials->len, ==, 9);
  g_assert_cmpuint (out->grid->n_total, ==, 9);
  g_assert_cmpint (count_runs (out->batch_id), ==, 9);
  g_assert_cmpstr (out->info->symbol, ==, "GEN");

  /* Progress: never decreasing, the last report 1. */
  g_assert_cmpuint (w.fractions->len, >=, 2);
  for (guint i = 1; i < w.fractions->len; i++)
    g_assert_cmpfloat (g_array_index (w.fractions, double, i), >=,
                       g_array_index (w.fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (w.fractions, double, w.fractions->len - 1), ==, 1);

  /* Every combination as a single run, and the best by a plain loop. */
  store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < out->result->trials->len; i++)
    {
      const HsSweepTrial *t = &g_array_index (out->result->trials, HsSweepTrial, i);
      int fast = (int) hs_strategy_params_get_number (t->params, "fast");
      int slow = (int) hs_strategy_params_get_number (t->params, "slow");
      double expected = single_sharpe (fast, slow);
      g_autoptr(HsBtRunInfo) info = NULL;
      g_autoptr(HsBtResult) result = NULL;

      g_assert_true (hs_store_load_backtest (store, out->run_ids[i], &info, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (info->batch_id, ==, out->batch_id);
      g_assert_cmpfloat_with_epsilon (result->stats.sharpe_ratio, expected, 1e-12);
      if (expected > best_sharpe)
        {
          best_sharpe = expected;
          best_id = out->run_ids[i];
        }
      if (out->run_ids[i] == best_id && result->n > 0)
        g_assert_cmpuint (result->n, ==, 255);
    }
  g_assert_cmpint (out->run_ids[g_array_index (out->result->ranking, guint, 0)], ==, best_id);
  {
    g_autoptr(HsBtRunInfo) info = NULL;
    g_autoptr(HsBtResult) result = NULL;

    g_assert_true (hs_store_load_backtest (store, best_id, &info, &result, &error));
    g_assert_cmpuint (result->n, ==, 255);
    g_assert_cmpuint (result->trades->len, >, 0);
  }
  wait_clear (&w);
}

static void
test_sweep_errors (void)
{
  const char *bad[] = { "fast=abc", NULL };
  const char *good[] = { "fast=5:15:5", NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  int64_t before = count_runs (NULL);
  HsSweepOutcome *out = NULL;
  Wait w;

  wait_init (&w);
  out = sweep (bad, NULL, &w, &error);
  g_assert_null (out);
  /* The value is the strategy's to refuse. */
  g_assert_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER);
  wait_clear (&w);
  g_clear_error (&error);

  wait_init (&w);
  g_cancellable_cancel (cancellable);
  out = sweep (good, cancellable, &w, &error);
  g_assert_null (out);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_clear (&w);
  g_assert_cmpint (count_runs (NULL), ==, before);
}

static HsRunsList *
list (const char *strategy,
      const char *symbol)
{
  g_auto(HsRunsQuery) query = { 0 };
  g_autoptr(GError) error = NULL;
  HsRunsList *result = NULL;
  Wait w;

  wait_init (&w);
  hs_runs_query_init (&query);
  query.strategy = g_strdup (strategy);
  query.symbol = g_strdup (symbol);
  hs_runs_job_list_async (db_path, &query, NULL, wait_cb, &w);
  spin (&w);
  result = hs_runs_job_list_finish (w.result, &error);
  g_assert_no_error (error);
  wait_clear (&w);
  return result;
}

static void
test_list_load_delete (void)
{
  g_autoptr(HsRunsList) all = list (NULL, NULL);
  g_autoptr(HsRunsList) sma = list ("sma_cross", NULL);
  g_autoptr(HsRunsList) none = list ("macd_signal", NULL);
  g_autoptr(HsRunsList) other = list (NULL, "XYZ");
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const HsStrategyComparison *view = NULL;
  double sum = 0;
  int n = 0;
  int64_t ids[2];
  Wait w;

  /* test_sweep stored 9 sweep rows and 9 single runs. */
  g_assert_cmpint ((int64_t) all->runs->len, ==, count_runs (NULL));
  g_assert_cmpuint (all->runs->len, ==, 18);
  g_assert_cmpuint (sma->runs->len, ==, 18);
  g_assert_cmpuint (none->runs->len, ==, 0);
  g_assert_cmpuint (other->runs->len, ==, 0);
  /* Newest first. */
  for (guint i = 1; i < all->runs->len; i++)
    {
      const HsBtRunRow *a = all->runs->pdata[i - 1], *b = all->runs->pdata[i];

      g_assert_cmpint (a->info->created_at, >=, b->info->created_at);
    }

  /* The view: one strategy; its average Sharpe is the mean over completed computed runs. */
  g_assert_cmpuint (all->strategies->len, ==, 1);
  view = all->strategies->pdata[0];
  g_assert_cmpstr (view->strategy_name, ==, "sma_cross");
  for (guint i = 0; i < all->runs->len; i++)
    {
      const HsBtRunRow *r = all->runs->pdata[i];

      if (r->info->cache_hit || g_strcmp0 (r->info->status, "completed") != 0
          || isnan (r->result->stats.sharpe_ratio))
        continue;
      sum += r->result->stats.sharpe_ratio;
      n++;
    }
  g_assert_cmpint (view->runs, ==, 18);
  g_assert_cmpfloat_with_epsilon (view->avg_sharpe, sum / n, 1e-9);

  /* Load two in the order asked, in full. */
  ids[0] = ((const HsBtRunRow *) all->runs->pdata[0])->info->id;
  ids[1] = ((const HsBtRunRow *) all->runs->pdata[17])->info->id;
  wait_init (&w);
  hs_runs_job_load_async (db_path, ids, 2, NULL, wait_cb, &w);
  spin (&w);
  loaded = hs_runs_job_load_finish (w.result, &error);
  g_assert_no_error (error);
  wait_clear (&w);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_cmpint (((const HsBtRunRow *) loaded->pdata[0])->info->id, ==, ids[0]);
  g_assert_cmpint (((const HsBtRunRow *) loaded->pdata[1])->info->id, ==, ids[1]);
  /* The single runs (the newest 9) have their curve. */
  g_assert_cmpuint (((const HsBtRunRow *) loaded->pdata[0])->result->n, ==, 255);

  /* Delete those two: 16 left. */
  wait_init (&w);
  hs_runs_job_delete_async (db_path, ids, 2, NULL, wait_cb, &w);
  spin (&w);
  g_assert_true (hs_runs_job_delete_finish (w.result, &error));
  g_assert_no_error (error);
  wait_clear (&w);
  g_assert_cmpint (count_runs (NULL), ==, 16);

  /* Loading a deleted run fails with NOT_FOUND. */
  wait_init (&w);
  hs_runs_job_load_async (db_path, ids, 1, NULL, wait_cb, &w);
  spin (&w);
  g_assert_null (hs_runs_job_load_finish (w.result, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  wait_clear (&w);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-btgui-jobs-XXXXXX", NULL);
  db_path = g_build_filename (tmpdir, "t.db", NULL);
  load_bars ();
  /* In order: the list test counts what the sweep test stored. */
  g_test_add_func ("/hs/jobs/btgui/sweep", test_sweep);
  g_test_add_func ("/hs/jobs/btgui/sweep-errors", test_sweep_errors);
  g_test_add_func ("/hs/jobs/btgui/list-load-delete", test_list_load_delete);
  status = g_test_run ();
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

    g_unlink (db_path);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (tmpdir);
  g_free (db_path);
  g_free (tmpdir);
  return status;
}
