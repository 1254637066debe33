/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * jobs: parameter sweeps and walk-forward analysis (src/jobs/hs-sweep.c).
 *
 * - The grid: inclusive ranges, the parameter's step by default, real steps without drift
 *   (0.1:0.5:0.1 gives the doubles of the decimal texts), lists and fixed values, combinations
 *   the strategy refuses skipped and counted, bad specs refused.
 * - A sweep on tests/data/backtrader/2006-day-001.txt on four threads gives, for every
 *   combination, exactly the statistics of hs_strategy_run() + hs_backtest_run() called here
 *   one after the other; its ranking is the one sorted here; the deflated Sharpe ratio is
 *   hs_stats_deflated_sharpe() on the trials' Sharpe ratios and the best's daily returns,
 *   computed here.
 * - Progress never goes backwards and ends at 1; cancelling stops the sweep with
 *   G_IO_ERROR_CANCELLED.
 * - Storing: every combination is a row of the batch, only the best with trades, equity curve
 *   and cache key (and not twice).
 * - Walk-forward: the windows of a hand-checked setup; each window's choice equals an
 *   optimisation done here on the in-sample bars; the stitched curve continues from segment to
 *   segment, trades lie out of sample only, and their P&L adds up to the change of equity.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-backtest.h"
#include "hs-cache-key.h"
#include "hs-stats.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-strategy.h"
#include "hs-sweep.h"
#include "hs-time.h"

#define DAY_US G_GINT64_CONSTANT (86400000000)

/* 2006-day-001.txt: Date,Open,High,Low,Close,Volume,OpenInterest. */
static HsBars *
load_daily (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "backtrader",
                                            "2006-day-001.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  HsBars *b;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (size_t i = 1; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (lines[i][0] != '\0')
        g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
    }
  b = hs_bars_new (rows->len, 86400);
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];

      g_assert_true (hs_time_parse (f[0], NULL, &b->ts[i], &error));
      g_assert_no_error (error);
      b->open[i] = g_ascii_strtod (f[1], NULL);
      b->high[i] = g_ascii_strtod (f[2], NULL);
      b->low[i] = g_ascii_strtod (f[3], NULL);
      b->close[i] = g_ascii_strtod (f[4], NULL);
      b->volume[i] = g_ascii_strtod (f[5], NULL);
      b->vwap[i] = NAN;
    }
  return b;
}

static HsSweepGrid *
grid_of (const char        *strategy,
         const char *const *specs)
{
  g_autoptr(GError) error = NULL;
  HsSweepGrid *grid = hs_sweep_grid_new (hs_strategy_lookup (strategy), specs, &error);

  g_assert_no_error (error);
  g_assert_nonnull (grid);
  return grid;
}

static const HsSweepAxis *
axis (const HsSweepGrid *grid,
      guint              i)
{
  g_assert_cmpuint (i, <, grid->axes->len);
  return grid->axes->pdata[i];
}

static double
combo_number (const HsSweepGrid *grid,
              guint              c,
              const char        *name)
{
  return hs_strategy_params_get_number (grid->combos->pdata[c], name);
}

/* ---- the grid ---- */

static void
test_grid_inclusive (void)
{
  const char *specs[] = { "fast=2:10:2", "slow=30:32", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  static const char *const fast[] = { "2", "4", "6", "8", "10" };

  g_assert_cmpuint (grid->axes->len, ==, 2);
  g_assert_cmpstr (axis (grid, 0)->name, ==, "fast");
  g_assert_cmpuint (axis (grid, 0)->values->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (axis (grid, 0)->values->pdata[i], ==, fast[i]);
  /* No STEP: the parameter's own (1). */
  g_assert_cmpuint (axis (grid, 1)->values->len, ==, 3);
  g_assert_cmpstr (axis (grid, 1)->values->pdata[2], ==, "32");
  g_assert_cmpuint (grid->n_total, ==, 15);
  g_assert_cmpuint (grid->n_invalid, ==, 0);
  g_assert_cmpuint (grid->combos->len, ==, 15);
  /* The last axis varies fastest. */
  g_assert_cmpfloat (combo_number (grid, 0, "fast"), ==, 2);
  g_assert_cmpfloat (combo_number (grid, 0, "slow"), ==, 30);
  g_assert_cmpfloat (combo_number (grid, 1, "slow"), ==, 31);
  g_assert_cmpfloat (combo_number (grid, 3, "fast"), ==, 4);
  g_assert_cmpfloat (combo_number (grid, 14, "fast"), ==, 10);
  g_assert_cmpfloat (combo_number (grid, 14, "slow"), ==, 32);
  /* A step that does not land on STOP stops before it. */
  {
    const char *s2[] = { "fast=1:10:4", NULL };
    g_autoptr(HsSweepGrid) g2 = grid_of ("sma_cross", s2);

    g_assert_cmpuint (g2->combos->len, ==, 3);
    g_assert_cmpfloat (combo_number (g2, 2, "fast"), ==, 9);
  }
}

static void
test_grid_reals (void)
{
  const char *specs[] = { "k=0.1:0.5:0.1", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("bollinger_breakout", specs);
  static const char *const texts[] = { "0.1", "0.2", "0.3", "0.4", "0.5" };

  /* Exactly the doubles of the decimal texts: 0.1 + 2 × 0.1 would be 0.30000000000000004. */
  g_assert_cmpuint (grid->combos->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpfloat (combo_number (grid, i, "k"), ==, g_ascii_strtod (texts[i], NULL));
      g_assert_cmpstr (axis (grid, 0)->values->pdata[i], ==, texts[i]);
    }
  g_assert_cmpfloat (0.1 + 2 * 0.1, !=, 0.3);
  {
    const char *s2[] = { "k=0.5:2:0.25", "period=10,20", NULL };
    g_autoptr(HsSweepGrid) g2 = grid_of ("bollinger_breakout", s2);

    g_assert_cmpuint (g2->combos->len, ==, 14);
    g_assert_cmpfloat (combo_number (g2, 12, "k"), ==, 2.0);
    g_assert_cmpfloat (combo_number (g2, 13, "period"), ==, 20);
  }
  {
    /* Many steps: still no drift at the end. */
    const char *s3[] = { "k=0.1:9.9:0.01", NULL };
    g_autoptr(HsSweepGrid) g3 = grid_of ("bollinger_breakout", s3);

    g_assert_cmpuint (g3->combos->len, ==, 981);
    g_assert_cmpfloat (combo_number (g3, 980, "k"), ==, 9.9);
    g_assert_cmpfloat (combo_number (g3, 700, "k"), ==, 7.1);
  }
}

static void
test_grid_invalid_skipped (void)
{
  const char *specs[] = { "fast=5:30:5", "slow=10:30:10", "direction=long_only,long_short",
                          NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);

  /* fast ≥ slow is refused: slow 10 with fast 10…30 (5), slow 20 with 20…30 (3), slow 30
   * with 30 (1); times two directions. */
  g_assert_cmpuint (grid->n_total, ==, 6 * 3 * 2);
  g_assert_cmpuint (grid->n_invalid, ==, 9 * 2);
  g_assert_cmpuint (grid->combos->len, ==, 9 * 2);
  for (guint c = 0; c < grid->combos->len; c++)
    g_assert_cmpfloat (combo_number (grid, c, "fast"), <, combo_number (grid, c, "slow"));
  g_assert_cmpstr (hs_strategy_params_get_text (grid->combos->pdata[1], "direction"), ==,
                   "long_short");
  g_assert_true (hs_sweep_axis_varies (axis (grid, 2)));

  /* A fixed value is an axis of one value. */
  {
    const char *s2[] = { "fast=5", "slow=20:40:10", NULL };
    g_autoptr(HsSweepGrid) g2 = grid_of ("sma_cross", s2);

    g_assert_false (hs_sweep_axis_varies (axis (g2, 0)));
    g_assert_cmpuint (g2->combos->len, ==, 3);
    g_assert_cmpfloat (combo_number (g2, 2, "fast"), ==, 5);
  }
  /* No spec: one combination, the defaults. */
  {
    g_autoptr(HsSweepGrid) g3 = grid_of ("sma_cross", NULL);

    g_assert_cmpuint (g3->combos->len, ==, 1);
    g_assert_cmpfloat (combo_number (g3, 0, "slow"), ==, 30);
  }
}

static void
test_grid_errors (void)
{
  static const struct
  {
    const char *strategy, *spec, *spec2;
    int         strategy_error;
  } cases[] = {
    { "sma_cross", "fast", NULL, 0 },
    { "sma_cross", "fast=", NULL, 0 },
    { "sma_cross", "=5", NULL, 0 },
    { "sma_cross", "fast=10:5", NULL, 0 },
    { "sma_cross", "fast=1:5:0", NULL, 0 },
    { "sma_cross", "fast=1:5:-1", NULL, 0 },
    { "sma_cross", "fast=1:2:3:4", NULL, 0 },
    { "sma_cross", "fast=a:5", NULL, 0 },
    { "sma_cross", "direction=1:2", NULL, 0 },
    { "sma_cross", "fast=1:1000000000", NULL, 0 },
    { "sma_cross", "fast=30:40", "slow=20:30", 0 },   /* every combination refused */
    { "sma_cross", "fast=5,6", "fast=7", 0 },         /* given twice */
    { "sma_cross", "fast=2:1000", "slow=2:5000", 0 },  /* too many combinations */
    { "sma_cross", "nope=1:5", NULL, 1 },
    { "sma_cross", "fast=0:5", NULL, 1 },        /* below the parameter's minimum */
    { "sma_cross", "fast=1.5:3", NULL, 1 },      /* not whole */
    { "sma_cross", "direction=up", NULL, 1 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *specs[] = { cases[i].spec, cases[i].spec2, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(HsSweepGrid) grid = hs_sweep_grid_new (hs_strategy_lookup (cases[i].strategy),
                                                       specs, &error);

      g_test_message ("%s %s", cases[i].spec, cases[i].spec2 ? cases[i].spec2 : "");
      g_assert_null (grid);
      g_assert_nonnull (error);
      if (cases[i].strategy_error)
        g_assert_true (error->domain == HS_STRATEGY_ERROR);
      else
        g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_SPEC);
    }
}

static void
test_rank_lookup (void)
{
  const char *column = NULL;
  gboolean lower = TRUE;
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_sweep_rank_lookup (NULL, &column, &lower, NULL));
  g_assert_cmpstr (column, ==, "sharpe_ratio");
  g_assert_false (lower);
  g_assert_true (hs_sweep_rank_lookup ("max_drawdown", &column, &lower, NULL));
  g_assert_true (lower);
  g_assert_true (hs_sweep_rank_lookup ("Sortino Ratio", &column, &lower, NULL));
  g_assert_cmpstr (column, ==, "sortino_ratio");
  g_assert_false (lower);
  g_assert_true (hs_sweep_rank_lookup ("total_trades", &column, &lower, NULL));
  g_assert_false (hs_sweep_rank_lookup ("lowest_capacity_asset", &column, &lower, &error));
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_RANK);
  g_clear_error (&error);
  g_assert_false (hs_sweep_rank_lookup ("luck", &column, &lower, &error));
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_RANK);
}

/* ---- sweeps ---- */

typedef struct
{
  HsBars         *bars;
  HsStrategyInput sin;
  HsBtInput       in;
  HsBtConfig      config;
  HsSweepRequest  req;
} Setup;

static void
setup_init (Setup *s)
{
  memset (s, 0, sizeof *s);
  s->bars = load_daily ();
  s->sin.bars = s->bars;
  s->sin.interval = "1d";
  s->sin.session = HS_SESSION_US_EQUITY;
  s->in.bars = s->bars;
  s->in.symbol = "X";
  hs_bt_config_init (&s->config);
  hs_fee_model_ibkr (&s->config.fees);
  s->req.strategy_input = &s->sin;
  s->req.input = &s->in;
  s->req.config = &s->config;
  s->req.n_jobs = 4;
  s->req.keep_best = TRUE;
}

static void
setup_clear (Setup *s)
{
  g_clear_pointer (&s->bars, hs_bars_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

static HsBtResult *
run_one (const Setup            *s,
         const HsStrategyParams *params,
         const HsBtConfig       *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBtSignals) signals = hs_strategy_run (params, &s->sin, &error);
  HsBtResult *r;

  g_assert_no_error (error);
  r = hs_backtest_run (&s->in, signals, config, &error);
  g_assert_no_error (error);
  return r;
}

/* Every statistics column equal: the same double (or both undefined). */
static void
assert_same_statistics (const HsBtResult *a,
                        const HsBtResult *b)
{
  size_t n = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n);

  for (size_t i = 0; i < n; i++)
    {
      const char *pa = (const char *) a + cols[i].offset, *pb = (const char *) b + cols[i].offset;

      if (cols[i].type == HS_BT_COLUMN_DOUBLE)
        {
          double x = *(const double *) (const void *) pa, y = *(const double *) (const void *) pb;

          if (isnan (x) || isnan (y))
            g_assert_true (isnan (x) && isnan (y));
          else
            g_assert_cmpfloat (x, ==, y);
        }
      else if (cols[i].type == HS_BT_COLUMN_INT)
        g_assert_cmpint (*(const int64_t *) (const void *) pa, ==,
                         *(const int64_t *) (const void *) pb);
      else
        g_assert_cmpstr (*(char * const *) (const void *) pa, ==,
                         *(char * const *) (const void *) pb);
    }
}

static void
test_sweep_equals_sequential (void)
{
  const char *specs[] = { "fast=2:20:3", "slow=10:40:6", "direction=long_only,long_short", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  g_auto(Setup) s;
  g_autoptr(HsSweepResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *order = NULL;
  guint n;

  setup_init (&s);
  res = hs_sweep_run (&s.req, grid, NULL, &error);
  g_assert_no_error (error);
  n = grid->combos->len;
  g_assert_cmpuint (n, >, 40);
  g_assert_cmpuint (res->trials->len, ==, n);
  g_assert_cmpuint (res->n_failed, ==, 0);
  g_assert_cmpstr (res->rank, ==, "sharpe_ratio");

  for (guint i = 0; i < n; i++)
    {
      const HsSweepTrial *t = &g_array_index (res->trials, HsSweepTrial, i);
      g_autoptr(HsBtResult) r = run_one (&s, grid->combos->pdata[i], &s.config);

      g_assert_true (t->params == grid->combos->pdata[i]);
      g_assert_nonnull (t->result);
      g_assert_cmpuint (t->result->n, ==, 0);
      g_assert_cmpuint (t->result->trades->len, ==, 0);
      assert_same_statistics (t->result, r);
      g_assert_cmpint (t->result->total_orders, ==, r->total_orders);
      if (isnan (r->stats.sharpe_ratio))
        g_assert_true (isnan (t->rank_value));
      else
        g_assert_cmpfloat (t->rank_value, ==, r->stats.sharpe_ratio);
    }

  /* The ranking: by Sharpe ratio, descending, undefined last, ties in grid order; sorted here
   * by insertion. */
  order = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (res->trials, HsSweepTrial, i).rank_value;
      guint k = i;

      while (k > 0)
        {
          double u = g_array_index (res->trials, HsSweepTrial, order[k - 1]).rank_value;

          if (!isnan (v) && (isnan (u) || v > u))
            {
              order[k] = order[k - 1];
              k--;
            }
          else
            break;
        }
      order[k] = i;
    }
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (res->ranking, guint, i), ==, order[i]);

  /* The best keeps its whole result: the sequential run's. */
  {
    const HsSweepTrial *best = hs_sweep_result_get_best (res);
    g_autoptr(HsBtResult) r = run_one (&s, best->params, &s.config);

    g_assert_true (best == &g_array_index (res->trials, HsSweepTrial, order[0]));
    g_assert_nonnull (res->best_result);
    g_assert_cmpuint (res->best_result->n, ==, r->n);
    g_assert_cmpuint (res->best_result->trades->len, ==, r->trades->len);
    g_assert_cmpmem (res->best_result->equity, r->n * sizeof (double), r->equity,
                     r->n * sizeof (double));
    assert_same_statistics (res->best_result, r);
  }

  /* The same on one thread; and ranking by a risk ascends. */
  {
    g_autoptr(HsSweepResult) one = NULL;

    s.req.n_jobs = 1;
    s.req.rank = "max_drawdown";
    one = hs_sweep_run (&s.req, grid, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (one->lower_is_better);
    for (guint i = 0; i < n; i++)
      assert_same_statistics (g_array_index (one->trials, HsSweepTrial, i).result,
                              g_array_index (res->trials, HsSweepTrial, i).result);
    for (guint i = 1; i < n; i++)
      {
        double a = g_array_index (one->trials, HsSweepTrial,
                                  g_array_index (one->ranking, guint, i - 1)).rank_value;
        double b = g_array_index (one->trials, HsSweepTrial,
                                  g_array_index (one->ranking, guint, i)).rank_value;

        g_assert_true (isnan (b) || a <= b);
      }
  }
}

static void
test_sweep_deflated_sharpe (void)
{
  const char *specs[] = { "fast=2:20:2", "slow=10:60:5", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  g_auto(Setup) s;
  g_autoptr(HsSweepResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) returns = NULL;
  g_autofree HsPoint *points = NULL;
  const HsSweepTrial *best;
  HsStatsInput in;
  double sum = 0, sum2 = 0, n = 0, variance, skew, kurt, dsr;

  setup_init (&s);
  res = hs_sweep_run (&s.req, grid, NULL, &error);
  g_assert_no_error (error);

  /* The trials' per-period Sharpe ratios: the annual ones over √252. */
  for (guint i = 0; i < res->trials->len; i++)
    {
      double sr = g_array_index (res->trials, HsSweepTrial, i).result->stats.sharpe_ratio
                  / sqrt (252);

      if (isnan (sr))
        continue;
      sum += sr;
      n++;
    }
  for (guint i = 0; i < res->trials->len; i++)
    {
      double sr = g_array_index (res->trials, HsSweepTrial, i).result->stats.sharpe_ratio
                  / sqrt (252);

      if (!isnan (sr))
        sum2 += (sr - sum / n) * (sr - sum / n);
    }
  variance = sum2 / (n - 1);
  g_assert_cmpfloat_with_epsilon (res->sr_variance, variance, 1e-15);

  /* The best's daily returns: an equity point at each bar's close. */
  best = hs_sweep_result_get_best (res);
  points = g_new (HsPoint, res->best_result->n);
  for (size_t i = 0; i < res->best_result->n; i++)
    {
      points[i].ts = s.bars->ts[i] + DAY_US;
      points[i].value = res->best_result->equity[i];
    }
  hs_stats_input_init (&in);
  in.equity = points;
  in.n_equity = res->best_result->n;
  in.start_equity = s.config.initial_cash;
  g_assert_true (hs_stats_daily_returns (&in, &returns, NULL, &error));
  g_assert_no_error (error);
  skew = hs_stats_skewness ((const double *) (void *) returns->data, returns->len);
  kurt = hs_stats_kurtosis ((const double *) (void *) returns->data, returns->len) + 3;
  dsr = hs_stats_deflated_sharpe (best->result->stats.sharpe_ratio / sqrt (252),
                                  (double) res->trials->len, variance, skew, kurt,
                                  (double) returns->len);
  g_assert_cmpfloat (res->n_trials, ==, res->trials->len);
  g_assert_cmpfloat (res->n_returns, ==, returns->len);
  g_assert_cmpfloat_with_epsilon (res->deflated_sharpe, dsr, 1e-12);
  g_assert_cmpfloat (res->deflated_sharpe, >, 0);
  g_assert_cmpfloat (res->deflated_sharpe, <, 1);
  /* Deflating never helps: the best's PSR against SR0 is at most its PSR against 0. */
  g_assert_cmpfloat (res->expected_max_sr, >, 0);
  g_assert_cmpfloat (res->deflated_sharpe, <=,
                     hs_stats_probabilistic_sharpe (res->sr_best, 0, skew, kurt,
                                                    (double) returns->len));
}

/* The per-period Sharpe ratio of a lean-profile trial is the default profile's. */
static void
test_sweep_lean_sharpe (void)
{
  const char *specs[] = { "fast=5,10", "slow=30", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  g_auto(Setup) s;
  g_autoptr(HsSweepResult) res = NULL;
  g_autoptr(GError) error = NULL;

  setup_init (&s);
  s.config.profile = HS_STATS_PROFILE_LEAN;
  res = hs_sweep_run (&s.req, grid, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < grid->combos->len; i++)
    {
      g_autoptr(HsBtResult) r = run_one (&s, grid->combos->pdata[i], &s.config);
      g_autofree HsPoint *points = g_new (HsPoint, r->n);
      HsStatsInput in;
      HsStatistics st;

      for (size_t k = 0; k < r->n; k++)
        {
          points[k].ts = s.bars->ts[k] + DAY_US;
          points[k].value = r->equity[k];
        }
      hs_stats_input_init (&in);
      in.equity = points;
      in.n_equity = r->n;
      in.start_equity = s.config.initial_cash;
      g_assert_true (hs_statistics_compute (&in, &st, NULL));
      g_assert_cmpfloat (g_array_index (res->trials, HsSweepTrial, i).sharpe, ==,
                         st.sharpe_ratio / sqrt (252));
      assert_same_statistics (g_array_index (res->trials, HsSweepTrial, i).result, r);
      hs_statistics_clear (&st);
    }
}

typedef struct
{
  GArray       *fractions;   /* double */
  GCancellable *cancel;      /* (nullable) cancelled at the first report */
} Progress;

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    data)
{
  Progress *p = data;

  g_assert_nonnull (message);
  g_array_append_val (p->fractions, fraction);
  if (p->cancel != NULL)
    g_cancellable_cancel (p->cancel);
}

static void
test_sweep_progress_and_cancel (void)
{
  const char *specs[] = { "fast=2:30:1", "slow=31:60:3", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  g_auto(Setup) s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  Progress p = { fractions, NULL };

  setup_init (&s);
  s.req.progress = progress_cb;
  s.req.progress_data = &p;
  {
    g_autoptr(HsSweepResult) res = hs_sweep_run (&s.req, grid, cancel, &error);

    g_assert_no_error (error);
    g_assert_nonnull (res);
  }
  g_assert_cmpuint (fractions->len, >=, 1);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i - 1), <,
                       g_array_index (fractions, double, i));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);

  /* Cancelled at the first report: stopped, nothing returned. */
  g_array_set_size (fractions, 0);
  p.cancel = cancel;
  {
    g_autoptr(HsSweepResult) res = hs_sweep_run (&s.req, grid, cancel, &error);

    g_assert_null (res);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }
  g_assert_cmpuint (fractions->len, >=, 1);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), <, 1.0);
  /* Cancelled before: nothing runs. */
  g_array_set_size (fractions, 0);
  {
    g_autoptr(HsSweepResult) res = hs_sweep_run (&s.req, grid, cancel, &error);

    g_assert_null (res);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_assert_cmpuint (fractions->len, ==, 0);
}

/* A combination the engine refuses is a failed trial; a sweep where all fail is an error. */
static void
test_sweep_failures (void)
{
  const char *specs[] = { "fast=5,10", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  g_auto(Setup) s;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSweepResult) res = NULL;

  setup_init (&s);
  s.config.sizing.kind = HS_SIZE_RISK;   /* risk sizing without a stop: refused */
  s.config.sizing.value = 1;
  res = hs_sweep_run (&s.req, grid, NULL, &error);
  g_assert_null (res);
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_FAILED);
  g_clear_error (&error);
  s.req.rank = "lowest_capacity_asset";
  s.config.sizing.kind = HS_SIZE_PERCENT;
  s.config.sizing.value = 100;
  res = hs_sweep_run (&s.req, grid, NULL, &error);
  g_assert_null (res);
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_RANK);
}

static HsBtRunInfo *
request_info (const HsBars *bars,
              int64_t       instrument_id)
{
  HsBtRunInfo *info = hs_bt_run_info_new ();

  info->instrument_id = instrument_id;
  info->symbol = g_strdup ("X");
  info->interval = g_strdup ("1d");
  info->start_ts = bars->ts[0];
  info->end_ts = bars->ts[bars->n - 1] + DAY_US;
  info->initial_cash = 100000;
  info->fee_model = g_strdup ("ibkr");
  info->slippage_model = g_strdup ("none");
  info->sizing_model = g_strdup ("percent:100");
  info->risk_free_model = g_strdup ("constant:0");
  info->data_fingerprint = hs_bars_fingerprint (bars);
  info->data_key = g_strdup ("hindsight-data-key 1\ntest bars\n");
  return info;
}

typedef struct
{
  char    *dir;
  char    *path;
  HsStore *store;
} Db;

static void
db_open (Db *db)
{
  g_autoptr(GError) error = NULL;

  db->dir = g_dir_make_tmp ("hs-sweep-XXXXXX", &error);
  g_assert_no_error (error);
  db->path = g_build_filename (db->dir, "sweep.db", NULL);
  db->store = hs_store_open (db->path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
}

static void
db_clear (Db *db)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  g_clear_pointer (&db->store, hs_store_close);
  for (size_t i = 0; db->path != NULL && i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *f = g_strconcat (db->path, suffixes[i], NULL);

      g_unlink (f);
    }
  if (db->dir != NULL)
    g_rmdir (db->dir);
  g_clear_pointer (&db->path, g_free);
  g_clear_pointer (&db->dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Db, db_clear)

static void
test_sweep_store (void)
{
  const char *specs[] = { "fast=2:20:2", "slow=10:40:10", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  g_auto(Setup) s;
  g_auto(Db) db = { 0 };
  g_autoptr(HsSweepResult) res = NULL;
  g_autoptr(HsBtRunInfo) req = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *batch = NULL, *batch2 = NULL;
  g_autofree int64_t *ids = NULL;
  int64_t instrument_id = 0, count = 0, all = 0;
  guint best;

  setup_init (&s);
  db_open (&db);
  g_assert_true (hs_store_ensure_instrument (db.store, "X", NULL, "stock", &instrument_id,
                                             &error));
  g_assert_no_error (error);
  res = hs_sweep_run (&s.req, grid, NULL, &error);
  g_assert_no_error (error);
  req = request_info (s.bars, instrument_id);
  ids = g_new0 (int64_t, res->trials->len);
  g_assert_true (hs_sweep_store (db.store, req, res, &batch, ids, &error));
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_true (hs_store_count_backtests (db.store, batch, &count, &error));
  g_assert_cmpint (count, ==, grid->combos->len);
  /* 10 × 4, less fast ≥ slow: slow 10 with fast 10…20 (6), slow 20 with fast 20 (1). */
  g_assert_cmpint (count, ==, 40 - 7);

  best = g_array_index (res->ranking, guint, 0);
  for (guint i = 0; i < res->trials->len; i++)
    {
      g_autoptr(HsBtRunInfo) info = NULL;
      g_autoptr(HsBtResult) r = NULL;
      const HsSweepTrial *t = &g_array_index (res->trials, HsSweepTrial, i);

      g_assert_true (hs_store_load_backtest (db.store, ids[i], &info, &r, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (info->batch_id, ==, batch);
      g_assert_cmpstr (info->status, ==, "completed");
      g_assert_cmpstr (info->strategy_name, ==, "sma_cross");
      g_assert_cmpfloat (hs_bt_run_info_get_param (info, "fast")->number, ==,
                         hs_strategy_params_get_number (t->params, "fast"));
      g_assert_cmpfloat (hs_bt_run_info_get_param (info, "slow")->number, ==,
                         hs_strategy_params_get_number (t->params, "slow"));
      assert_same_statistics (r, t->result);
      if (i == best)
        {
          g_autoptr(HsBtRunInfo) key_info = hs_bt_run_info_copy (req);
          g_autofree char *key = NULL;
          int64_t cached = 0;

          /* The trades, the curve and the key a `backtest` of these parameters computes. */
          g_assert_cmpuint (r->n, ==, s.bars->n);
          g_assert_cmpuint (r->trades->len, ==, res->best_result->trades->len);
          hs_sweep_info_set_params (key_info, t->params);
          key = hs_cache_key_compute (key_info);
          g_assert_cmpstr (info->cache_key, ==, key);
          g_assert_true (hs_store_find_cached_backtest (db.store, key, &cached, &error));
          g_assert_cmpint (cached, ==, ids[i]);
        }
      else
        {
          g_assert_cmpuint (r->n, ==, 0);
          g_assert_cmpuint (r->trades->len, ==, 0);
          g_assert_null (info->cache_key);
        }
    }

  /* Again: a second batch; the best's key is held already, so it is not stored twice. */
  g_assert_true (hs_sweep_store (db.store, req, res, &batch2, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (batch, !=, batch2);
  g_assert_true (hs_store_count_backtests (db.store, batch2, &count, &error));
  g_assert_cmpint (count, ==, grid->combos->len);
  g_assert_true (hs_store_count_backtests (db.store, NULL, &all, &error));
  g_assert_cmpint (all, ==, 2 * grid->combos->len);
  {
    g_autoptr(HsBtRunInfo) info = NULL;

    g_assert_true (hs_store_load_backtest_summary (db.store, ids[best], &info, NULL, &error));
    g_assert_null (info->cache_key);
  }
}

/* ---- walk-forward ---- */

static void
test_walk_windows (void)
{
  g_autoptr(HsBars) bars = load_daily ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) w = NULL;
  HsWalkSpan train, test;

  g_assert_cmpuint (bars->n, ==, 255);
  g_assert_true (hs_walk_span_parse ("100", &train, NULL));
  g_assert_cmpint (train.bars, ==, 100);
  g_assert_true (hs_walk_span_parse ("50", &test, NULL));
  w = hs_walk_windows (bars, &train, &test, &error);
  g_assert_no_error (error);
  /* In sample [0, 100), [50, 150), [100, 200), [150, 250); out of sample 100…150, 150…200,
   * 200…250 and the rest, 250…255. */
  g_assert_cmpuint (w->len, ==, 4);
  for (guint k = 0; k < 4; k++)
    {
      const HsWalkWindow *x = &g_array_index (w, HsWalkWindow, k);

      g_assert_cmpuint (x->train_start, ==, 50 * k);
      g_assert_cmpuint (x->test_start, ==, 100 + 50 * k);
      g_assert_cmpuint (x->test_end, ==, MIN (150 + 50 * k, 255));
    }
  g_clear_pointer (&w, g_array_unref);

  /* Durations: 140 days in, 70 out; the out-of-sample parts tile the rest of the year. */
  g_assert_true (hs_walk_span_parse ("140d", &train, NULL));
  g_assert_cmpint (train.duration, ==, 140 * DAY_US);
  g_assert_true (hs_walk_span_parse ("10w", &test, NULL));
  g_assert_cmpint (test.duration, ==, 70 * DAY_US);
  w = hs_walk_windows (bars, &train, &test, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (w->len, ==, 4);
  for (guint k = 0; k < w->len; k++)
    {
      const HsWalkWindow *x = &g_array_index (w, HsWalkWindow, k);
      int64_t a = bars->ts[0] + k * test.duration;

      g_assert_cmpint (bars->ts[x->train_start], >=, a);
      g_assert_cmpint (bars->ts[x->test_start], >=, a + train.duration);
      g_assert_cmpint (bars->ts[x->test_start - 1], <, a + train.duration);
      if (k > 0)
        g_assert_cmpuint (x->test_start, ==, g_array_index (w, HsWalkWindow, k - 1).test_end);
    }
  g_assert_cmpuint (g_array_index (w, HsWalkWindow, w->len - 1).test_end, ==, 255);
  g_clear_pointer (&w, g_array_unref);

  /* Refused. */
  g_assert_false (hs_walk_span_parse ("0", &train, &error));
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS);
  g_clear_error (&error);
  g_assert_false (hs_walk_span_parse ("90y", &train, NULL));
  g_assert_false (hs_walk_span_parse ("d", &train, NULL));
  g_assert_false (hs_walk_span_parse ("-5", &train, NULL));
  g_assert_true (hs_walk_span_parse ("300", &train, NULL));
  g_assert_true (hs_walk_span_parse ("5", &test, NULL));
  g_assert_null (hs_walk_windows (bars, &train, &test, &error));
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS);
  g_clear_error (&error);
  g_assert_true (hs_walk_span_parse ("30d", &test, NULL));
  g_assert_null (hs_walk_windows (bars, &train, &test, &error));
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS);
}

static void
test_walkforward (void)
{
  const char *specs[] = { "fast=2:10:4", "slow=10:30:10", NULL };
  g_autoptr(HsSweepGrid) grid = grid_of ("sma_cross", specs);
  g_auto(Setup) s;
  g_auto(Db) db = { 0 };
  g_autoptr(HsWalkResult) res = NULL;
  g_autoptr(GError) error = NULL;
  HsWalkSpan train, test;
  double pnl = 0;
  size_t first;

  setup_init (&s);
  g_assert_true (hs_walk_span_parse ("100", &train, NULL));
  g_assert_true (hs_walk_span_parse ("50", &test, NULL));
  res = hs_walkforward_run (&s.req, grid, &train, &test, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (res->windows->len, ==, 4);
  first = g_array_index (res->windows, HsWalkWindow, 0).test_start;
  g_assert_cmpuint (first, ==, 100);
  g_assert_cmpuint (res->result->n, ==, 155);

  for (guint k = 0; k < res->windows->len; k++)
    {
      const HsWalkWindow *w = &g_array_index (res->windows, HsWalkWindow, k);
      g_autoptr(HsBars) is = hs_bars_slice (s.bars, w->train_start,
                                            w->test_start - w->train_start);
      HsStrategyInput sin = s.sin;
      HsBtInput in = s.in;
      guint choice = 0;
      double best = NAN;

      /* The optimisation by hand: the highest in-sample Sharpe ratio, the first on ties. */
      sin.bars = is;
      in.bars = is;
      for (guint c = 0; c < grid->combos->len; c++)
        {
          g_autoptr(HsBtSignals) sig = hs_strategy_run (grid->combos->pdata[c], &sin, NULL);
          g_autoptr(HsBtResult) r = hs_backtest_run (&in, sig, &s.config, NULL);
          double v = r->stats.sharpe_ratio;

          if (!isnan (v) && (isnan (best) || v > best))
            {
              best = v;
              choice = c;
            }
        }
      g_assert_cmpuint (w->choice, ==, choice);
      g_assert_cmpfloat (w->in_sample_value, ==, best);

      /* Continuity: the segment starts flat with the previous one's end equity, and ends with
       * its own. */
      g_assert_cmpfloat (res->result->equity[w->test_start - first], ==, w->start_equity);
      g_assert_cmpfloat (res->result->equity[w->test_end - 1 - first], ==, w->end_equity);
      if (k == 0)
        g_assert_cmpfloat (w->start_equity, ==, s.config.initial_cash);
      else
        g_assert_cmpfloat (w->start_equity, ==,
                           g_array_index (res->windows, HsWalkWindow, k - 1).end_equity);
      for (size_t i = w->test_start; i < w->test_end; i++)
        g_assert_cmpint (res->result->ts[i - first], ==, s.bars->ts[i]);
    }

  /* Trades only out of sample (after each segment's start), and their P&L is the change of
   * equity. */
  for (guint i = 0; i < res->result->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (res->result->trades, HsBtTrade, i);

      g_assert_cmpint (t->entry_ts, >, s.bars->ts[first]);
      pnl += t->pnl;
    }
  g_assert_cmpuint (res->result->trades->len, >, 0);
  g_assert_cmpfloat_with_epsilon (pnl, res->result->equity[res->result->n - 1]
                                       - s.config.initial_cash, 1e-6);
  g_assert_cmpfloat (res->result->stats.end_equity, ==, res->result->equity[res->result->n - 1]);
  g_assert_cmpfloat (res->result->stats.start_equity, ==, s.config.initial_cash);
  g_assert_cmpint (res->result->stats.total_trades, ==, res->result->trades->len);
  for (size_t i = 0; i < res->result->n; i++)
    g_assert_cmpfloat (res->result->drawdown[i], >=, 0);

  /* Stored: one run with the curve, the trades and the choices. */
  {
    g_autoptr(HsBtRunInfo) req = request_info (s.bars, 0);
    g_autoptr(HsBtRunInfo) info = NULL;
    g_autoptr(HsBtResult) r = NULL;
    g_autofree char *json = hs_walk_windows_to_json (res, s.bars);
    int64_t id = 0;

    db_open (&db);
    g_assert_true (hs_walkforward_store (db.store, req, res, "100", "50", s.bars, &id, &error));
    g_assert_no_error (error);
    g_assert_true (hs_store_load_backtest (db.store, id, &info, &r, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (r->n, ==, res->result->n);
    g_assert_cmpuint (r->trades->len, ==, res->result->trades->len);
    g_assert_cmpint (info->start_ts, ==, s.bars->ts[first]);
    g_assert_cmpstr (hs_bt_run_info_get_param (info, "windows")->text, ==, json);
    g_assert_true (hs_bt_run_info_get_param (info, "walkforward")->number == 1);
    g_assert_null (info->cache_key);
  }

  /* Not in the lean profile. */
  s.config.profile = HS_STATS_PROFILE_LEAN;
  g_assert_null (hs_walkforward_run (&s.req, grid, &train, &test, NULL, &error));
  g_assert_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/jobs/sweep/grid/inclusive", test_grid_inclusive);
  g_test_add_func ("/hs/jobs/sweep/grid/reals", test_grid_reals);
  g_test_add_func ("/hs/jobs/sweep/grid/invalid-skipped", test_grid_invalid_skipped);
  g_test_add_func ("/hs/jobs/sweep/grid/errors", test_grid_errors);
  g_test_add_func ("/hs/jobs/sweep/rank", test_rank_lookup);
  g_test_add_func ("/hs/jobs/sweep/equals-sequential", test_sweep_equals_sequential);
  g_test_add_func ("/hs/jobs/sweep/deflated-sharpe", test_sweep_deflated_sharpe);
  g_test_add_func ("/hs/jobs/sweep/lean-sharpe", test_sweep_lean_sharpe);
  g_test_add_func ("/hs/jobs/sweep/progress-and-cancel", test_sweep_progress_and_cancel);
  g_test_add_func ("/hs/jobs/sweep/failures", test_sweep_failures);
  g_test_add_func ("/hs/jobs/sweep/store", test_sweep_store);
  g_test_add_func ("/hs/jobs/sweep/walkforward/windows", test_walk_windows);
  g_test_add_func ("/hs/jobs/sweep/walkforward/run", test_walkforward);
  return g_test_run ();
}
