/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The results view (src/ui/hs-backtest-results.c, hs-backtest-stats.c, hs-trade-list.c,
 * hs-sweep-results.c) under Xvfb. What is checked:
 *   - a run of sma_cross on real daily bars (tests/data, imported into a SQLite file) through
 *     the setup's code path: every statistic the view shows is the outcome's value as
 *     hs_stat_format() writes it, and the outcome's own numbers are checked against the run's
 *     equity curve and trades by hand (net profit = last equity / cash − 1, trades counted);
 *   - the same run again is a cache hit: the view reads the equity curve of the run it repeats
 *     and says "Cache hit";
 *   - the trade list of 100,000 trades builds, sorts (its first row is the largest P&L found
 *     by a plain loop) and scrolls to its end;
 *   - a click on a marker of the MFE/MAE scatter (at the pixel the chart's own axes give)
 *     selects that trade in the list, even when the list is sorted another way, and a row
 *     selected in the list is highlighted in the scatter;
 *   - a sweep shows its combinations ranked, the deflated Sharpe ratio beside the best, and a
 *     heat map whose cells are the combinations' rank values placed by hand.
 * Screenshots: backtest-results-*.png in $HS_SCREENSHOT_DIR.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-backtest-results.h"
#include "hs-backtest-setup.h"
#include "hs-chart-widget-private.h"
#include "hs-gui-test.h"
#include "hs-stat-meta.h"
#include "hs-ui.h"

static char *db_path;

static void
finished_cb (HsBacktestSetup *setup,
             int             *count)
{
  (*count)++;
}

static gboolean
count_reached (gpointer data)
{
  return *(int *) data > 0;
}

static gboolean
loaded (gpointer data)
{
  return !hs_backtest_setup_get_loading (data);
}

static gboolean
results_ready (gpointer data)
{
  return !hs_backtest_results_get_loading (data);
}

/* Runs sma_cross on BTR through a setup form, as a person pressing Run would. */
static HsBacktestOutcome *
run_through_setup (const char *const *ranges)
{
  HsBacktestSetup *setup = HS_BACKTEST_SETUP (g_object_ref_sink (hs_backtest_setup_new ()));
  HsBacktestOutcome *outcome = NULL;
  int finished = 0;

  hs_backtest_setup_set_database_path (setup, db_path);
  hs_gui_test_spin_until (loaded, setup);
  g_assert_true (hs_backtest_setup_select_strategy (setup, "sma_cross"));
  hs_backtest_setup_set_benchmark (setup, "ORCL");
  g_assert_true (hs_backtest_setup_get_can_run (setup));
  g_signal_connect (setup, "finished", G_CALLBACK (finished_cb), &finished);
  hs_backtest_setup_run (setup);
  hs_gui_test_spin_until (count_reached, &finished);
  outcome = hs_backtest_setup_steal_outcome (setup);
  g_assert_nonnull (outcome);
  g_object_unref (setup);
  return outcome;
}

static void
test_run_statistics (void)
{
  HsBacktestResults *results = HS_BACKTEST_RESULTS (hs_backtest_results_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (results), 1200, 1000);
  HsBacktestOutcome *outcome = run_through_setup (NULL);
  g_autoptr(HsBtResult) expected = g_new0 (HsBtResult, 1);
  const HsBtResult *r = outcome->result;
  size_t n = 0;
  const HsStatMeta *all = hs_stat_meta_all (&n);
  double last;
  int wins = 0;

  /* The outcome against its own curve and trades, by hand. */
  g_assert_false (outcome->cache_hit);
  g_assert_cmpuint (r->n, ==, 512);
  last = r->equity[r->n - 1];
  g_assert_cmpfloat_with_epsilon (r->stats.net_profit, last / 100000 - 1, 1e-12);
  g_assert_cmpint (r->stats.total_trades, ==, (int64_t) r->trades->len);
  for (guint i = 0; i < r->trades->len; i++)
    wins += g_array_index (r->trades, HsBtTrade, i).pnl > 0;
  g_assert_cmpint (r->stats.winning_trades, ==, wins);
  g_assert_nonnull (r->benchmark);   /* ORCL */

  /* A copy of the statistics to compare with after the view took the outcome. */
  *expected = *r;
  expected->stats.lowest_capacity_asset = g_strdup (r->stats.lowest_capacity_asset);
  expected->ts = NULL;
  expected->equity = expected->cash = expected->holdings = expected->drawdown = NULL;
  expected->benchmark = NULL;
  expected->trades = NULL;

  hs_backtest_results_set_database_path (results, db_path);
  hs_backtest_results_show_outcome (results, outcome);
  g_assert_cmpstr (hs_backtest_results_get_view (results), ==, "run");
  g_assert_cmpstr (hs_backtest_results_get_title (results), ==, "sma_cross on BTR 1d");
  for (size_t i = 0; i < n; i++)
    {
      GtkLabel *label = hs_backtest_stats_get_value_label (hs_backtest_results_get_stats (results),
                                                           all[i].column);
      g_autofree char *text = NULL;

      g_assert_nonnull (label);
      if (all[i].unit == HS_STAT_UNIT_TEXT)
        continue;
      text = hs_stat_format (&all[i], hs_stat_meta_value (&all[i], expected));
      g_assert_cmpstr (gtk_label_get_text (label), ==, text);
      g_assert_nonnull (gtk_widget_get_tooltip_text (gtk_widget_get_parent (GTK_WIDGET (label))));
    }
  /* Every category is there; sma_cross reports no strategy-specific counters. */
  for (guint g = 0; g < HS_STAT_GROUP_STRATEGY; g++)
    g_assert_true (gtk_widget_get_visible (hs_backtest_stats_get_group (
                     hs_backtest_results_get_stats (results), g)));
  g_assert_false (gtk_widget_get_visible (hs_backtest_stats_get_group (
                    hs_backtest_results_get_stats (results), HS_STAT_GROUP_STRATEGY)));
  g_assert_cmpuint (hs_trade_list_get_n_trades (hs_backtest_results_get_trade_list (results)),
                    ==, (guint) expected->stats.total_trades);
  hs_gui_test_screenshot (window, "backtest-results-run.png");
  hs_backtest_results_scroll_to (results, "charts");
  hs_gui_test_screenshot (window, "backtest-results-equity.png");
  hs_backtest_results_show_chart (results, "monthly");
  hs_gui_test_screenshot (window, "backtest-results-monthly.png");
  hs_backtest_results_show_chart (results, "histogram");
  hs_gui_test_screenshot (window, "backtest-results-histogram.png");
  hs_backtest_results_show_chart (results, "scatter");
  hs_gui_test_screenshot (window, "backtest-results-scatter.png");
  hs_backtest_results_scroll_to (results, "top");
  hs_statistics_clear (&expected->stats);

  /* The same request again: answered from the cache, the curve read from the stored run. */
  outcome = run_through_setup (NULL);
  g_assert_true (outcome->cache_hit);
  g_assert_cmpuint (outcome->result->n, ==, 0);
  hs_backtest_results_show_outcome (results, outcome);
  g_assert_cmpstr (hs_backtest_results_get_view (results), ==, "loading");
  hs_gui_test_spin_until (results_ready, results);
  g_assert_cmpstr (hs_backtest_results_get_view (results), ==, "run");
  g_assert_true (hs_backtest_results_get_cache_hit (results));
  g_assert_cmpuint (hs_backtest_results_get_result (results)->n, ==, 512);
  g_assert_nonnull (hs_gui_test_find_label (GTK_WIDGET (results), "Cache hit"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The table's content is taller than its view: its model is attached and laid out. */
static gboolean
table_scrollable (gpointer data)
{
  GtkAdjustment *adj = data;

  return gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 1;
}

static void
test_trades_100k (void)
{
  HsBacktestResults *results = HS_BACKTEST_RESULTS (hs_backtest_results_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (results), 1200, 900);
  HsBacktestOutcome *outcome = hs_gui_test_synthetic_outcome (100000);
  HsTradeList *list = hs_backtest_results_get_trade_list (results);
  GtkAdjustment *vadj = NULL;
  GtkWidget *scroller = NULL;
  double max_pnl = -INFINITY;
  guint max_index = 0;
  g_autoptr(HsTradeItem) first = NULL;

  for (guint i = 0; i < outcome->result->trades->len; i++)
    if (g_array_index (outcome->result->trades, HsBtTrade, i).pnl > max_pnl)
      {
        max_pnl = g_array_index (outcome->result->trades, HsBtTrade, i).pnl;
        max_index = i;
      }
  hs_backtest_results_show_outcome (results, outcome);
  g_assert_cmpuint (hs_trade_list_get_n_trades (list), ==, 100000);
  /* The table gets its model after its first layout (an idle), then its rows' height. */
  scroller = hs_gui_test_find_type (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  hs_gui_test_spin_until (table_scrollable, vadj);

  /* Descending P&L: ties stay in entry order, so the first row is the first of the largest. */
  g_assert_true (hs_trade_list_sort_by (list, "pnl", TRUE));
  first = g_list_model_get_item (hs_trade_list_get_model (list), 0);
  g_assert_cmpuint (hs_trade_item_get_index (first), ==, max_index);
  g_assert_cmpfloat (hs_trade_item_get_trade (first)->pnl, ==, max_pnl);

  /* To the end of the list: the rows drawn are the ones in view. */
  hs_gui_test_wait_frames (window, 2);
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  hs_backtest_results_scroll_to (results, "trades");
  hs_gui_test_wait_frames (window, 2);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, 0);
  hs_gui_test_screenshot (window, "backtest-results-100k-trades.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_scatter_click (void)
{
  HsBacktestResults *results = HS_BACKTEST_RESULTS (hs_backtest_results_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (results), 1200, 1000);
  HsBacktestOutcome *outcome = hs_gui_test_synthetic_outcome (30);
  HsTradeList *list = hs_backtest_results_get_trade_list (results);
  HsChartWidget *chart = NULL;
  const HsChartLayout *l = NULL;
  const HsBtTrade *t = NULL;
  double x, y;
  guint pick = 17;

  hs_backtest_results_show_outcome (results, outcome);
  hs_backtest_results_show_chart (results, "scatter");
  chart = HS_CHART_WIDGET (hs_backtest_results_get_chart (results, "scatter"));
  hs_gui_test_spin_until (table_scrollable, gtk_scrolled_window_get_vadjustment (
                            GTK_SCROLLED_WINDOW (hs_gui_test_find_type (GTK_WIDGET (list),
                                                                        GTK_TYPE_SCROLLED_WINDOW))));
  /* The list sorted by something else: the row is found wherever it is. */
  g_assert_true (hs_trade_list_sort_by (list, "mae", FALSE));
  /* The whole order, against the rule: MAE ascending, equal ones in entry order. */
  for (guint i = 1; i < hs_trade_list_get_n_trades (list); i++)
    {
      g_autoptr(HsTradeItem) a = g_list_model_get_item (hs_trade_list_get_model (list), i - 1);
      g_autoptr(HsTradeItem) b = g_list_model_get_item (hs_trade_list_get_model (list), i);
      double ma = hs_trade_item_get_trade (a)->mae_pct, mb = hs_trade_item_get_trade (b)->mae_pct;

      g_assert_cmpfloat (ma, <=, mb);
      if (ma == mb)
        g_assert_cmpuint (hs_trade_item_get_index (a), <, hs_trade_item_get_index (b));
    }
  hs_gui_test_wait_frames (window, 3);
  l = hs_chart_widget_get_layout (chart);
  t = &g_array_index (hs_backtest_results_get_result (results)->trades, HsBtTrade, pick);
  x = hs_chart_map (t->mae_pct, l->view.x_min, l->view.x_max, l->plot.x,
                    l->plot.x + l->plot.width);
  y = hs_chart_map (t->mfe_pct, l->view.y_min, l->view.y_max, l->plot.y + l->plot.height,
                    l->plot.y);
  hs_chart_widget_pointer_motion (chart, x, y);
  g_test_message ("readout: %s", hs_chart_widget_get_readout (chart));
  g_assert_true (g_str_has_prefix (hs_chart_widget_get_readout (chart), "Trade 18 "));
  hs_chart_widget_click (chart, x, y, 1);
  g_assert_cmpint (hs_trade_list_get_selected (list), ==, (int) pick);
  hs_backtest_results_scroll_to (results, "charts");
  hs_gui_test_screenshot (window, "backtest-results-scatter-click.png");

  /* And the other way: a row selected in the list lights its marker. */
  g_assert_true (hs_trade_list_select_trade (list, 4));
  g_assert_cmpint (hs_chart_widget_get_highlight (chart), ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
sweep_finished_cb (HsBacktestSetup *setup,
                   int             *count)
{
  (*count)++;
}

static void
test_sweep (void)
{
  HsBacktestResults *results = HS_BACKTEST_RESULTS (hs_backtest_results_new ());
  GtkWidget *window = hs_gui_test_window (GTK_WIDGET (results), 1200, 1100);
  HsBacktestSetup *setup = HS_BACKTEST_SETUP (g_object_ref_sink (hs_backtest_setup_new ()));
  HsParamForm *form = NULL;
  HsSweepOutcome *outcome = NULL;
  HsSweepResults *view = NULL;
  g_autofree double *values = NULL;
  size_t nx = 0, ny = 0;
  int finished = 0;

  hs_backtest_setup_set_database_path (setup, db_path);
  hs_gui_test_spin_until (loaded, setup);
  form = hs_backtest_setup_get_param_form (setup);
  /* fast 5, 10, 15 × slow 20, 30, 40, 50. */
  g_assert_true (hs_param_form_set_range (form, "fast", 5, 15, 5));
  g_assert_true (hs_param_form_set_range (form, "slow", 20, 50, 10));
  g_assert_cmpfloat (hs_backtest_setup_get_combinations (setup), ==, 12);
  g_signal_connect (setup, "finished", G_CALLBACK (sweep_finished_cb), &finished);
  hs_backtest_setup_run (setup);
  hs_gui_test_spin_until (count_reached, &finished);
  outcome = hs_backtest_setup_steal_sweep_outcome (setup);
  g_assert_nonnull (outcome);
  g_object_unref (setup);

  hs_backtest_results_set_database_path (results, db_path);
  hs_backtest_results_show_sweep (results, outcome);
  g_assert_cmpstr (hs_backtest_results_get_view (results), ==, "sweep");
  view = hs_backtest_results_get_sweep_view (results);
  g_assert_cmpuint (g_list_model_get_n_items (hs_sweep_results_get_rows (view)), ==, 12);
  /* Ranked by Sharpe, best first: the first row is the highest by a plain loop. */
  {
    double best = -INFINITY;
    guint best_trial = 0;

    for (guint i = 0; i < outcome->result->trials->len; i++)
      {
        const HsSweepTrial *t = &g_array_index (outcome->result->trials, HsSweepTrial, i);

        if (t->rank_value > best)
          {
            best = t->rank_value;
            best_trial = i;
          }
      }
    g_assert_cmpuint (hs_sweep_results_row_trial (view, 0), ==, best_trial);
  }
  g_assert_true (g_str_has_prefix (hs_sweep_results_get_dsr_text (view), "Deflated Sharpe ratio"));

  /* The heat map: fast across (5, 10, 15), slow down (20 … 50); the trials run with the last
   * axis fastest, so trial i is fast = i / 4, slow = i % 4, and cell (slow row, fast column)
   * holds trial (fast × 4 + slow)'s value. */
  g_assert_true (hs_sweep_results_set_axes (view, "fast", "slow"));
  values = hs_sweep_results_dup_heatmap_values (view, &nx, &ny);
  g_assert_cmpuint (nx, ==, 3);
  g_assert_cmpuint (ny, ==, 4);
  for (guint fast = 0; fast < 3; fast++)
    for (guint slow = 0; slow < 4; slow++)
      {
        const HsSweepTrial *t = &g_array_index (outcome->result->trials, HsSweepTrial,
                                                fast * 4 + slow);
        double v = values[slow * 3 + fast];

        g_assert_cmpfloat (hs_strategy_params_get_number (t->params, "fast"), ==, 5 + 5 * fast);
        g_assert_cmpfloat (hs_strategy_params_get_number (t->params, "slow"), ==, 20 + 10 * slow);
        if (isnan (t->rank_value))
          g_assert_true (isnan (v));
        else
          g_assert_cmpfloat (v, ==, t->rank_value);
      }
  /* Sorted by fast ascending, the first row has fast 5. */
  g_assert_true (hs_sweep_results_sort_by (view, "fast", FALSE));
  {
    guint trial = hs_sweep_results_row_trial (view, 0);

    g_assert_cmpfloat (hs_strategy_params_get_number (
                         g_array_index (outcome->result->trials, HsSweepTrial, trial).params,
                         "fast"), ==, 5);
  }
  hs_gui_test_screenshot (window, "backtest-results-sweep.png");

  /* Opening the best: its stored run, with its curve. */
  hs_backtest_results_show_run (results, outcome->run_ids[g_array_index (outcome->result->ranking,
                                                                          guint, 0)]);
  hs_gui_test_spin_until (results_ready, results);
  g_assert_cmpstr (hs_backtest_results_get_view (results), ==, "run");
  g_assert_cmpuint (hs_backtest_results_get_result (results)->n, ==, 512);
  g_assert_nonnull (hs_backtest_results_get_info (results)->batch_id);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_new_destroy (void)
{
  GtkWidget *results = g_object_ref_sink (hs_backtest_results_new ());

  g_assert_cmpstr (hs_backtest_results_get_view (HS_BACKTEST_RESULTS (results)), ==, "empty");
  g_assert_finalize_object (results);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  hs_gui_test_init (&argc, &argv);
  /* One database for every case (the cache-hit case needs the first run): outside the
   * per-case folders that G_TEST_OPTION_ISOLATE_DIRS removes. */
  dir = g_dir_make_tmp ("hs-results-XXXXXX", NULL);
  db_path = hs_gui_test_bars_db (dir, "results.db");
  g_test_add_func ("/hs/ui/backtest-results/new-destroy", test_new_destroy);
  g_test_add_func ("/hs/ui/backtest-results/run-statistics", test_run_statistics);
  g_test_add_func ("/hs/ui/backtest-results/trades-100k", test_trades_100k);
  g_test_add_func ("/hs/ui/backtest-results/scatter-click", test_scatter_click);
  g_test_add_func ("/hs/ui/backtest-results/sweep", test_sweep);
  status = g_test_run ();
  hs_gui_test_remove_db (db_path);
  g_rmdir (dir);
  g_free (db_path);
  return status;
}
