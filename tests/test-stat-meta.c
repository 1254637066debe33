/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core: how statistics are presented (src/core/hs-stat-meta.c).
 *
 * - Every backtest_runs statistic column has exactly one entry, and nothing else does.
 * - The categories are seed 002's: its lists ("Core Performance Results", "Risk Metrics",
 *   "Trading Statistics", "Advanced Metrics", "Strategy-Specific Metrics") are copied below by
 *   hand and each column must be in the group the seed puts it in; the extra columns of
 *   docs/statistics.md are in the group its tables put them in.
 * - Values read from an HsBtResult are the fields the test set; negative counts read as
 *   undefined.
 * - Formatting: each case's expected text written out by hand.
 * - Comparison: the better direction, and undefined values lose.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "hs-bt-run.h"
#include "hs-stat-meta.h"

static void
test_every_column (void)
{
  size_t n_cols = 0, n_meta = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n_cols);
  const HsStatMeta *meta = hs_stat_meta_all (&n_meta);

  g_assert_cmpuint (n_cols, ==, n_meta);
  for (size_t i = 0; i < n_cols; i++)
    {
      int found = 0;

      for (size_t j = 0; j < n_meta; j++)
        found += strcmp (cols[i].name, meta[j].column) == 0;
      g_assert_cmpint (found, ==, 1);
      g_assert_nonnull (hs_stat_meta_lookup (cols[i].name));
      /* A label, a sentence ending in a full stop. */
      g_assert_cmpuint (strlen (hs_stat_meta_lookup (cols[i].name)->label), >, 0);
      g_assert_true (g_str_has_suffix (hs_stat_meta_lookup (cols[i].name)->description, "."));
    }
  g_assert_null (hs_stat_meta_lookup ("no_such_column"));
  /* Display order keeps each group together, groups in seed 002's order. */
  for (size_t j = 1; j < n_meta; j++)
    g_assert_cmpint (meta[j - 1].group, <=, meta[j].group);
}

/* Seed 002, "Target Schema Design", one list per heading. */
static const char *const seed_core[] = {
  "total_return", "net_profit", "net_profit_currency", "compounding_annual_return",
  "final_value", "start_equity", "end_equity",
};
static const char *const seed_risk[] = {
  "sharpe_ratio", "sortino_ratio", "max_drawdown", "probabilistic_sharpe_ratio",
  "annual_standard_deviation", "annual_variance", "beta", "alpha",
};
static const char *const seed_trading[] = {
  "total_trades", "winning_trades", "losing_trades", "win_rate", "loss_rate", "average_win",
  "average_loss", "profit_factor", "profit_loss_ratio", "expectancy", "total_orders",
};
static const char *const seed_advanced[] = {
  "information_ratio", "tracking_error", "treynor_ratio", "total_fees",
  "estimated_strategy_capacity", "lowest_capacity_asset", "portfolio_turnover",
};
static const char *const seed_strategy[] = {
  "pivot_highs_detected", "pivot_lows_detected", "bos_signals_generated", "position_flips",
  "liquidation_events",
};
/* docs/statistics.md: drawdown_recovery and var_95 in "Risk"; longest_losing_streak,
 * average_holding_time, exposure in "Trading"; the rest in "Advanced". */
static const char *const docs_risk[] = { "drawdown_recovery", "var_95" };
static const char *const docs_trading[] = {
  "longest_losing_streak", "average_holding_time", "exposure",
};
static const char *const docs_advanced[] = {
  "calmar_ratio", "omega_ratio", "tail_ratio", "stability",
};

static void
check_group (const char *const *columns,
             size_t             n,
             HsStatGroup        group)
{
  for (size_t i = 0; i < n; i++)
    {
      const HsStatMeta *m = hs_stat_meta_lookup (columns[i]);

      g_assert_nonnull (m);
      g_assert_cmpint (m->group, ==, group);
    }
}

static void
test_groups (void)
{
  size_t n = 0;

  check_group (seed_core, G_N_ELEMENTS (seed_core), HS_STAT_GROUP_CORE);
  check_group (seed_risk, G_N_ELEMENTS (seed_risk), HS_STAT_GROUP_RISK);
  check_group (seed_trading, G_N_ELEMENTS (seed_trading), HS_STAT_GROUP_TRADING);
  check_group (seed_advanced, G_N_ELEMENTS (seed_advanced), HS_STAT_GROUP_ADVANCED);
  check_group (seed_strategy, G_N_ELEMENTS (seed_strategy), HS_STAT_GROUP_STRATEGY);
  check_group (docs_risk, G_N_ELEMENTS (docs_risk), HS_STAT_GROUP_RISK);
  check_group (docs_trading, G_N_ELEMENTS (docs_trading), HS_STAT_GROUP_TRADING);
  check_group (docs_advanced, G_N_ELEMENTS (docs_advanced), HS_STAT_GROUP_ADVANCED);
  /* The lists above name every statistic: 7 + 8 + 11 + 7 + 5 + 2 + 3 + 4 = 47. */
  hs_stat_meta_all (&n);
  g_assert_cmpuint (n, ==, 47);
  g_assert_cmpstr (hs_stat_group_label (HS_STAT_GROUP_CORE), ==, "Core");
  g_assert_cmpstr (hs_stat_group_label (HS_STAT_GROUP_STRATEGY), ==, "Strategy-specific");
}

static void
test_values (void)
{
  g_autoptr(HsBtResult) r = hs_bt_result_new_empty (0);

  hs_statistics_init_undefined (&r->stats);
  r->stats.sharpe_ratio = 1.25;
  r->stats.total_trades = 7;
  r->stats.lowest_capacity_asset = g_strdup ("SPY");
  r->pivot_highs_detected = -1;
  r->position_flips = 3;

  g_assert_cmpfloat (hs_stat_meta_value (hs_stat_meta_lookup ("sharpe_ratio"), r), ==, 1.25);
  g_assert_cmpfloat (hs_stat_meta_value (hs_stat_meta_lookup ("total_trades"), r), ==, 7);
  g_assert_true (isnan (hs_stat_meta_value (hs_stat_meta_lookup ("pivot_highs_detected"), r)));
  g_assert_cmpfloat (hs_stat_meta_value (hs_stat_meta_lookup ("position_flips"), r), ==, 3);
  g_assert_true (isnan (hs_stat_meta_value (hs_stat_meta_lookup ("sortino_ratio"), r)));
  g_assert_cmpstr (hs_stat_meta_text (hs_stat_meta_lookup ("lowest_capacity_asset"), r), ==,
                   "SPY");
  g_assert_null (hs_stat_meta_text (hs_stat_meta_lookup ("sharpe_ratio"), r));
}

static void
check_format (const char *column,
              double      value,
              const char *expected)
{
  g_autofree char *text = hs_stat_format (hs_stat_meta_lookup (column), value);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format (void)
{
  check_format ("total_return", 0.1234, "12.34 %");
  check_format ("total_return", -0.05, "−5.00 %");
  check_format ("total_return", -0.00001, "0.00 %");      /* rounds to zero: no sign */
  check_format ("net_profit_currency", 1831.374, "1,831.37");
  check_format ("net_profit_currency", -1234567.891, "−1,234,567.89");
  check_format ("end_equity", 100, "100.00");
  check_format ("end_equity", 999999.999, "1,000,000.00");
  check_format ("sharpe_ratio", 1.48213, "1.482");
  check_format ("sharpe_ratio", -0.4, "−0.400");
  check_format ("total_trades", 12345, "12,345");
  check_format ("drawdown_recovery", 1, "1 day");
  check_format ("drawdown_recovery", 3, "3 days");
  /* 2 d 4 h 10 min = 2 × 86400 + 4 × 3600 + 600 = 187800 s. */
  check_format ("average_holding_time", 187800, "2 d 4 h");
  /* 4 h 12 min 30 s = 15150 s. */
  check_format ("average_holding_time", 15150, "4 h 12 min");
  check_format ("average_holding_time", 720, "12 min");
  check_format ("average_holding_time", 45, "45 s");
  check_format ("sharpe_ratio", NAN, "–");
  check_format ("total_trades", INFINITY, "–");
}

static void
test_compare (void)
{
  const HsStatMeta *sharpe = hs_stat_meta_lookup ("sharpe_ratio");
  const HsStatMeta *dd = hs_stat_meta_lookup ("max_drawdown");
  const HsStatMeta *beta = hs_stat_meta_lookup ("beta");

  g_assert_cmpint (hs_stat_compare (sharpe, 1.5, 1.0), >, 0);
  g_assert_cmpint (hs_stat_compare (sharpe, 1.0, 1.5), <, 0);
  g_assert_cmpint (hs_stat_compare (sharpe, 1.0, 1.0), ==, 0);
  g_assert_cmpint (hs_stat_compare (dd, 0.1, 0.2), >, 0);
  g_assert_cmpint (hs_stat_compare (dd, 0.3, 0.2), <, 0);
  g_assert_cmpint (hs_stat_compare (sharpe, -3, NAN), >, 0);
  g_assert_cmpint (hs_stat_compare (dd, NAN, 0.9), <, 0);
  g_assert_cmpint (hs_stat_compare (sharpe, NAN, NAN), ==, 0);
  g_assert_cmpint (hs_stat_compare (beta, 0.5, 1.5), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/core/stat-meta/every-column", test_every_column);
  g_test_add_func ("/hs/core/stat-meta/groups", test_groups);
  g_test_add_func ("/hs/core/stat-meta/values", test_values);
  g_test_add_func ("/hs/core/stat-meta/format", test_format);
  g_test_add_func ("/hs/core/stat-meta/compare", test_compare);
  return g_test_run ();
}
