/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run history, the comparison and the Backtests page (src/ui/hs-backtest-history.c,
 * hs-backtest-compare.c, hs-backtest-page.c) under Xvfb, on a SQLite file of real daily bars
 * with runs stored by hs_backtest_job_run() (the CLI's path). What is checked:
 *   - the history lists every stored run; sorting by Sharpe ratio gives the order a plain sort
 *     of the stored values gives; each filter (strategy, symbol, period) keeps exactly the runs
 *     a plain loop over the stored runs keeps; the strategy view has one row per strategy;
 *   - comparing two runs shows each statistic of each as hs_stat_format() writes it, and marks
 *     the better value as a comparison written out here decides (higher Sharpe, lower
 *     drawdown, none for beta);
 *   - deleting a run removes it from the database and the list;
 *   - the page: a run from its setup lands in the Result view with a toast offering to open
 *     it; History opens runs and "Run again" fills the setup.
 * Screenshots: backtest-history*.png, backtest-compare.png, backtest-page-*.png.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-backtest-page.h"
#include "hs-gui-test.h"
#include "hs-test-ui.h"
#include "hs-stat-meta.h"
#include "hs-store-backtest.h"
#include "hs-time.h"
#include "hs-ui.h"
#include "hs-window-private.h"

static char *db_path;

static int64_t
store_run (const char *symbol,
           const char *strategy,
           const char *param1,
           const char *param2)
{
  g_auto(HsBacktestRequest) q = { 0 };
  g_auto(HsBacktestOutcome) outcome = { 0 };
  g_autoptr(GError) error = NULL;
  const char *params[3] = { param1, param2, NULL };

  hs_backtest_request_init (&q);
  q.symbol = g_strdup (symbol);
  q.interval = g_strdup ("1d");
  q.strategy = g_strdup (strategy);
  q.params = g_strdupv ((char **) params);
  g_assert_true (hs_backtest_job_run (db_path, &q, FALSE, NULL, &outcome, &error));
  g_assert_no_error (error);
  return outcome.id;
}

static GPtrArray *
stored_runs (void)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = NULL;

  store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_list_backtests (store, NULL, &rows, &error));
  return rows;
}

static gboolean
history_loaded (gpointer data)
{
  return !hs_backtest_history_get_loading (data);
}

static gboolean
compare_loaded (gpointer data)
{
  return !hs_backtest_compare_get_loading (data);
}

static guint
count_kept (GPtrArray  *rows,
            const char *strategy,
            const char *symbol,
            int64_t     from,
            int64_t     to)
{
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const HsBtRunRow *r = rows->pdata[i];

      n += (strategy == NULL || g_str_equal (r->info->strategy_name, strategy))
           && (symbol == NULL || g_str_equal (r->info->symbol, symbol))
           && r->info->end_ts > from && r->info->start_ts <= to;
    }
  return n;
}

static int
sharpe_desc (gconstpointer a,
             gconstpointer b)
{
  const HsBtRunRow *ra = *(HsBtRunRow *const *) a, *rb = *(HsBtRunRow *const *) b;
  double va = ra->result->stats.sharpe_ratio, vb = rb->result->stats.sharpe_ratio;

  /* Descending, undefined last, ties by id descending (the table reverses its ascending
   * order, ties included). */
  if (isnan (va) != isnan (vb))
    return isnan (va) ? 1 : -1;
  if (!isnan (va) && va != vb)
    return va > vb ? -1 : 1;
  return ra->info->id > rb->info->id ? -1 : 1;
}

static void
test_history (void)
{
  HsBacktestHistory *history = HS_BACKTEST_HISTORY (hs_backtest_history_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (history), 1300, 800);
  g_autoptr(GPtrArray) rows = stored_runs ();
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GListModel *shown = NULL;
  int64_t from = 0, to = 0;

  hs_backtest_history_set_database_path (history, db_path);
  hs_gui_test_spin_until (history_loaded, history);
  shown = hs_backtest_history_get_rows (history);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, rows->len);
  g_assert_cmpuint (rows->len, ==, 5);

  /* Sharpe descending, as a plain sort orders the stored values. */
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (sorted, rows->pdata[i]);
  g_ptr_array_sort (sorted, sharpe_desc);
  g_assert_true (hs_backtest_history_sort_by (history, "sharpe_ratio", TRUE));
  for (guint i = 0; i < sorted->len; i++)
    {
      g_autoptr(HsRunItem) item = g_list_model_get_item (shown, i);

      g_assert_cmpint (hs_run_item_get_row (item)->info->id, ==,
                       ((HsBtRunRow *) sorted->pdata[i])->info->id);
    }
  hs_gui_test_screenshot (window, "backtest-history.png");

  /* Filters against a plain loop. */
  g_assert_true (hs_backtest_history_set_filter (history, "sma_cross", NULL, NULL, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==,
                    count_kept (rows, "sma_cross", NULL, G_MININT64, G_MAXINT64));
  g_assert_true (hs_backtest_history_set_filter (history, NULL, "ORCL", NULL, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==,
                    count_kept (rows, NULL, "ORCL", G_MININT64, G_MAXINT64));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  g_assert_true (hs_time_parse_bound ("2006-01-01", FALSE, &from, NULL));
  g_assert_true (hs_backtest_history_set_filter (history, NULL, NULL, "2006-01-01", NULL));
  /* ORCL's bars end 2005-12-30: only the BTR runs reach 2006. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==,
                    count_kept (rows, NULL, NULL, from, G_MAXINT64));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 4);
  g_assert_true (hs_time_parse_bound ("2004-12-31", TRUE, &to, NULL));
  g_assert_true (hs_backtest_history_set_filter (history, NULL, NULL, NULL, "2004-12-31"));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==,
                    count_kept (rows, NULL, NULL, G_MININT64, to));
  g_assert_false (hs_backtest_history_set_filter (history, "no_such", NULL, NULL, NULL));
  g_assert_false (hs_backtest_history_set_filter (history, NULL, NULL, "yesterday", NULL));
  g_assert_true (hs_backtest_history_set_filter (history, NULL, NULL, NULL, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, rows->len);

  /* The strategy view: sma_cross and macd_signal. */
  g_assert_cmpuint (hs_backtest_history_get_strategies (history)->len, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
compare_signal_cb (HsBacktestHistory *history,
                   GArray            *ids,
                   GArray           **out)
{
  *out = g_array_ref (ids);
}

static void
test_compare (void)
{
  HsBacktestHistory *history = HS_BACKTEST_HISTORY (hs_backtest_history_new ());
  HsBacktestCompare *compare = HS_BACKTEST_COMPARE (hs_backtest_compare_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (compare), 1100, 1100);
  GtkWidget *history_window = hs_gui_test_window (GTK_WIDGET (history), 900, 600);
  g_autoptr(GPtrArray) rows = stored_runs ();
  g_autoptr(GArray) ids = NULL;
  const HsBtRunRow *a = NULL, *b = NULL;
  const char *columns[] = { "sharpe_ratio", "max_drawdown", "net_profit", "total_trades" };
  int64_t pick[2];

  hs_backtest_history_set_database_path (history, db_path);
  hs_gui_test_spin_until (history_loaded, history);
  /* Two computed runs (not the cache hit). */
  for (guint i = 0, k = 0; i < rows->len && k < 2; i++)
    if (!((HsBtRunRow *) rows->pdata[i])->info->cache_hit)
      {
        pick[k] = ((HsBtRunRow *) rows->pdata[i])->info->id;
        if (k++ == 0)
          a = rows->pdata[i];
        else
          b = rows->pdata[i];
      }
  g_signal_connect (history, "compare", G_CALLBACK (compare_signal_cb), &ids);
  hs_backtest_history_select (history, pick, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (history), "history.compare", NULL));
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, 2);

  hs_backtest_compare_set_database_path (compare, db_path);
  hs_backtest_compare_load (compare, (const int64_t *) (const void *) ids->data, ids->len);
  hs_gui_test_spin_until (compare_loaded, compare);
  g_assert_cmpuint (hs_backtest_compare_get_n_runs (compare), ==, 2);
  /* The table's order is its sort (newest first), the same as the stored list's. */
  for (size_t c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      const HsStatMeta *m = hs_stat_meta_lookup (columns[c]);
      double va = hs_stat_meta_value (m, a->result), vb = hs_stat_meta_value (m, b->result);
      g_autofree char *ta = hs_stat_format (m, va);
      g_autofree char *tb = hs_stat_format (m, vb);
      gboolean a_better = FALSE, b_better = FALSE;

      g_assert_cmpstr (gtk_label_get_text (hs_backtest_compare_get_cell (compare, columns[c], 0)),
                       ==, ta);
      g_assert_cmpstr (gtk_label_get_text (hs_backtest_compare_get_cell (compare, columns[c], 1)),
                       ==, tb);
      /* Written out: higher Sharpe and net profit, lower drawdown; trades have no better. */
      if (g_str_equal (columns[c], "sharpe_ratio") || g_str_equal (columns[c], "net_profit"))
        {
          a_better = va > vb;
          b_better = vb > va;
        }
      else if (g_str_equal (columns[c], "max_drawdown"))
        {
          a_better = va < vb;
          b_better = vb < va;
        }
      g_assert_cmpint (hs_backtest_compare_is_better (compare, columns[c], 0), ==, a_better);
      g_assert_cmpint (hs_backtest_compare_is_better (compare, columns[c], 1), ==, b_better);
    }
  hs_gui_test_screenshot (window, "backtest-compare.png");
  gtk_window_destroy (GTK_WINDOW (history_window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
deleted_signal_cb (HsBacktestHistory *history,
                   const char        *error,
                   int               *count)
{
  g_assert_null (error);
  (*count)++;
}

static gboolean
deleted_and_loaded (gpointer data)
{
  void **pair = data;

  return *(int *) pair[1] > 0 && !hs_backtest_history_get_loading (pair[0]);
}

static void
test_delete (void)
{
  HsBacktestHistory *history = HS_BACKTEST_HISTORY (hs_backtest_history_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (history), 900, 600);
  g_autoptr(GPtrArray) before = stored_runs ();
  g_autoptr(GPtrArray) after = NULL;
  int64_t id = store_run ("BTR", "macd_signal", "fast=8", "slow=21");
  int deleted = 0;
  void *pair[2] = { history, &deleted };

  hs_backtest_history_set_database_path (history, db_path);
  hs_gui_test_spin_until (history_loaded, history);
  g_assert_cmpuint (g_list_model_get_n_items (hs_backtest_history_get_rows (history)), ==,
                    before->len + 1);
  g_signal_connect (history, "deleted", G_CALLBACK (deleted_signal_cb), &deleted);
  hs_backtest_history_select (history, &id, 1);
  hs_backtest_history_delete_selected (history, FALSE);
  hs_gui_test_spin_until (deleted_and_loaded, pair);
  after = stored_runs ();
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpint (((HsBtRunRow *) after->pdata[i])->info->id, !=, id);
  g_assert_cmpuint (g_list_model_get_n_items (hs_backtest_history_get_rows (history)), ==,
                    after->len);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
setup_loaded (gpointer data)
{
  return !hs_backtest_setup_get_loading (data);
}

static gboolean
setup_idle (gpointer data)
{
  return !hs_backtest_setup_get_running (data);
}

static gboolean
results_loaded (gpointer data)
{
  return !hs_backtest_results_get_loading (data);
}

static void
test_page (void)
{
  HsBacktestPage *page = HS_BACKTEST_PAGE (hs_backtest_page_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (page), 1200, 900);
  HsBacktestSetup *setup = hs_backtest_page_get_setup (page);
  HsBacktestResults *results = hs_backtest_page_get_results (page);
  const HsBtRunInfo *info = NULL;
  int64_t first_id = 0;

  hs_backtest_page_set_database_path (page, db_path);
  hs_gui_test_spin_until (setup_loaded, setup);
  g_assert_cmpstr (hs_backtest_page_get_visible (page), ==, "setup");
  hs_gui_test_screenshot (window, "backtest-page-setup.png");
  g_assert_true (hs_backtest_setup_select_strategy (setup, "macd_signal"));
  hs_backtest_setup_run (setup);
  hs_gui_test_spin_until (setup_idle, setup);
  /* The run is in the Result view; the page stays on the form and offers to open it. */
  g_assert_cmpstr (hs_backtest_page_get_visible (page), ==, "setup");
  g_assert_true (g_str_has_prefix (hs_backtest_page_get_last_toast (page),
                                   "Backtest finished: net profit "));
  g_assert_cmpstr (hs_backtest_results_get_view (results), ==, "run");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "backtests.show-result", NULL));
  g_assert_cmpstr (hs_backtest_page_get_visible (page), ==, "results");
  g_assert_cmpstr (hs_backtest_results_get_info (results)->strategy_name, ==, "macd_signal");
  hs_gui_test_screenshot (window, "backtest-page-result.png");

  /* History: open the oldest run. */
  hs_gui_test_spin_until (history_loaded, hs_backtest_page_get_history (page));
  {
    GListModel *rows = hs_backtest_history_get_rows (hs_backtest_page_get_history (page));
    g_autoptr(HsRunItem) last = g_list_model_get_item (rows, g_list_model_get_n_items (rows) - 1);

    first_id = hs_run_item_get_row (last)->info->id;
  }
  hs_backtest_page_show (page, "history");
  hs_backtest_history_select (hs_backtest_page_get_history (page), &first_id, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (hs_backtest_page_get_history (page)),
                                             "history.open", NULL));
  g_assert_cmpstr (hs_backtest_page_get_visible (page), ==, "results");
  hs_gui_test_spin_until (results_loaded, results);
  info = hs_backtest_results_get_info (results);
  g_assert_cmpint (info->id, ==, first_id);

  /* Run again: the setup holds that run's strategy and parameters. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (results), "results.rerun", NULL));
  g_assert_cmpstr (hs_backtest_page_get_visible (page), ==, "setup");
  g_assert_true (hs_param_form_get_strategy (hs_backtest_setup_get_param_form (setup))
                 == hs_strategy_lookup (info->strategy_name));
  {
    const HsBtParam *fast = hs_bt_run_info_get_param (info, "fast");
    GtkWidget *control = hs_param_form_get_control (hs_backtest_setup_get_param_form (setup),
                                                    "fast");

    g_assert_nonnull (fast);
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control)), ==, fast->number);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The page fits a 360 px window (the narrowest the window allows): nothing holds it wider. */
static void
test_narrow (void)
{
  HsBacktestPage *page = HS_BACKTEST_PAGE (hs_backtest_page_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (page), 360, 720);
  HsBacktestSetup *setup = hs_backtest_page_get_setup (page);
  int min_width = 0;

  hs_backtest_page_set_database_path (page, db_path);
  hs_gui_test_spin_until (setup_loaded, setup);
  g_assert_true (hs_param_form_set_range (hs_backtest_setup_get_param_form (setup), "fast", 5,
                                          15, 5));
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                      NULL);
  g_test_message ("minimum width of the page: %d", min_width);
  g_assert_cmpint (min_width, <=, 360);
  hs_gui_test_screenshot (window, "backtest-page-narrow-setup.png");
  hs_backtest_page_show (page, "history");
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                      NULL);
  g_assert_cmpint (min_width, <=, 360);
  hs_gui_test_screenshot (window, "backtest-page-narrow-history.png");

  /* A sweep's results, then one of its runs. */
  hs_backtest_setup_run (setup);
  hs_gui_test_spin_until (setup_idle, setup);
  hs_backtest_page_show (page, "results");
  g_assert_cmpstr (hs_backtest_results_get_view (hs_backtest_page_get_results (page)), ==,
                   "sweep");
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                      NULL);
  g_assert_cmpint (min_width, <=, 360);
  hs_gui_test_screenshot (window, "backtest-page-narrow-sweep.png");
  {
    const HsSweepOutcome *o = hs_sweep_results_get_outcome (
      hs_backtest_results_get_sweep_view (hs_backtest_page_get_results (page)));

    hs_backtest_results_show_run (hs_backtest_page_get_results (page),
                                  o->run_ids[g_array_index (o->result->ranking, guint, 0)]);
  }
  hs_gui_test_spin_until (results_loaded, hs_backtest_page_get_results (page));
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL,
                      NULL);
  g_assert_cmpint (min_width, <=, 360);
  hs_gui_test_screenshot (window, "backtest-page-narrow-result.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The page in the real window: it follows the window's database, its controls are named, and
 * the window's runs.open(x) (the Overview's latest backtests) shows a run's result there. */
static void
test_in_window (void)
{
  HsWindow *window = hs_test_open_window (db_path);
  HsBacktestPage *page = HS_BACKTEST_PAGE (hs_window_get_page (window, "backtests"));
  g_autoptr(GPtrArray) rows = stored_runs ();
  int64_t id = ((HsBtRunRow *) rows->pdata[rows->len - 1])->info->id;
  unsigned n_checked = 0;

  g_assert_true (HS_IS_BACKTEST_PAGE (page));
  hs_gui_test_spin_until (setup_loaded, hs_backtest_page_get_setup (page));
  g_assert_cmpstr (hs_backtest_setup_get_database_path (hs_backtest_page_get_setup (page)), ==,
                   db_path);
  g_assert_true (hs_backtest_setup_get_can_run (hs_backtest_page_get_setup (page)));
  hs_window_show_page (window, "backtests");
  hs_gui_test_wait_frames (GTK_WIDGET (window), 2);
  hs_test_assert_controls_named (GTK_WIDGET (window), &n_checked);
  g_assert_cmpuint (n_checked, >, 20);

  hs_window_show_page (window, "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "runs.open", "x", id));
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "backtests");
  g_assert_cmpstr (hs_backtest_page_get_visible (page), ==, "results");
  hs_gui_test_spin_until (results_loaded, hs_backtest_page_get_results (page));
  g_assert_cmpint (hs_backtest_results_get_info (hs_backtest_page_get_results (page))->id, ==, id);
  hs_gui_test_screenshot (GTK_WIDGET (window), "backtest-window-result.png");
  hs_test_close_window (window);
}

static void
test_new_destroy (void)
{
  GtkWidget *page = g_object_ref_sink (hs_backtest_page_new ());
  GtkWidget *history = g_object_ref_sink (hs_backtest_history_new ());
  GtkWidget *compare = g_object_ref_sink (hs_backtest_compare_new ());

  g_assert_finalize_object (page);
  g_assert_finalize_object (history);
  g_assert_finalize_object (compare);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  hs_gui_test_init (&argc, &argv);
  dir = g_dir_make_tmp ("hs-history-XXXXXX", NULL);
  db_path = hs_gui_test_bars_db (dir, "history.db");
  /* Five runs: three sma_cross on BTR (one of them answered from the cache), macd_signal on
   * BTR, sma_cross on ORCL. */
  store_run ("BTR", "sma_cross", "fast=10", "slow=30");
  store_run ("BTR", "sma_cross", "fast=5", "slow=50");
  store_run ("BTR", "macd_signal", "fast=12", "slow=26");
  store_run ("ORCL", "sma_cross", "fast=10", "slow=30");
  store_run ("BTR", "sma_cross", "fast=10", "slow=30");
  g_test_add_func ("/hs/ui/backtest-history/new-destroy", test_new_destroy);
  g_test_add_func ("/hs/ui/backtest-history/list-sort-filter", test_history);
  g_test_add_func ("/hs/ui/backtest-history/compare", test_compare);
  g_test_add_func ("/hs/ui/backtest-history/delete", test_delete);
  g_test_add_func ("/hs/ui/backtest-history/page", test_page);
  g_test_add_func ("/hs/ui/backtest-history/narrow", test_narrow);
  g_test_add_func ("/hs/ui/backtest-history/in-window", test_in_window);
  status = g_test_run ();
  hs_gui_test_remove_db (db_path);
  g_rmdir (dir);
  g_free (db_path);
  return status;
}
