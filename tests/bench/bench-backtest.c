/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backtest benchmark: SMA cross (10, 30) over 1,000,000 one-minute bars from the gen-bars
 * generator (seed 42, tests/bench/hs-gen-bars.h), on one core. The target (issue item 9) is the
 * engine alone at 30 million bars per second or more: the bar loop of hs_backtest_run() with
 * the decisions computed before (fills, brackets, equity, cash, holdings and drawdown per bar,
 * trades). Also printed: the strategy's signals (two SMAs and the crossings), the statistics
 * (hs_statistics_compute() over one equity point per bar), the whole run, and a rule set that
 * reads position state and so decides bar by bar. Nothing here asserts a time: the figures are
 * printed for people and, as the last line, as one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v          (or run BUILD/tests/bench/bench-backtest)
 *
 * Each measurement runs --repeat times (default 5); the best run counts, timed with the
 * thread's CPU clock (the process runs one thread). --bars N changes the size.
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-backtest.h"
#include "hs-gen-bars.h"
#include "hs-strategy.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

static double
cpu_now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static HsBars *
generate (size_t n)
{
  HsGenBarsOptions opts;
  HsGenBars gen;
  HsBars *b = hs_bars_new (n, 60);

  hs_gen_bars_options_init (&opts);
  hs_gen_bars_init (&gen, &opts);
  for (size_t i = 0; i < n; i++)
    {
      HsGenBar bar;

      hs_gen_bars_next (&gen, &bar);
      b->ts[i] = bar.ts * G_USEC_PER_SEC;
      b->open[i] = bar.open;
      b->high[i] = bar.high;
      b->low[i] = bar.low;
      b->close[i] = bar.close;
      b->volume[i] = (double) bar.volume;
      b->vwap[i] = NAN;
    }
  return b;
}

typedef enum
{
  M_SIGNALS,
  M_ENGINE,
  M_ENGINE_STATS,
  M_TOTAL,
  M_RULES_STATE,
  N_MEASURES,
} Measure;

static const char *const names[] = {
  "sma_cross signals (2 SMAs + crossings)",
  "engine alone (bar loop, decisions given)",
  "engine + statistics",
  "signals + engine + statistics",
  "rule set with position state (bar by bar)",
};

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(HsStrategyParams) params = NULL;
  g_autoptr(HsRuleSet) rules = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  gint64 n_bars = 1000000;
  int repeat = 5;
  double best[N_MEASURES];
  size_t trades = 0;
  HsStrategyInput sin = { 0 };
  HsBtInput in = { 0 };
  HsBtConfig cfg, cfg_stats;
  const GOptionEntry entries[] = {
    { "bars", 0, 0, G_OPTION_ARG_INT64, &n_bars, "Bars (default 1000000)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs of each measurement (default 5)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_bars < 2 || repeat < 1)
    {
      g_printerr ("bench-backtest: %s\n", error ? error->message : "bad --bars or --repeat");
      return 2;
    }
  bars = generate ((size_t) n_bars);
  params = hs_strategy_params_new (hs_strategy_lookup ("sma_cross"));
  rules = hs_rule_set_new ();
  rules->name = g_strdup ("bench");
  rules->entry = g_strdup ("crosses_above(sma(close, 10), sma(close, 30))");
  rules->exit = g_strdup ("crosses_below(sma(close, 10), sma(close, 30)) or unrealized_pct < -2");
  sin.bars = bars;
  sin.interval = "1m";
  sin.session = HS_SESSION_ALWAYS;
  in.bars = bars;
  hs_bt_config_init (&cfg);
  hs_fee_model_ibkr (&cfg.fees);
  cfg.slippage.kind = HS_SLIPPAGE_BPS;
  cfg.slippage.bps = 1;
  cfg.skip_statistics = TRUE;
  cfg_stats = cfg;
  cfg_stats.skip_statistics = FALSE;
  for (int m = 0; m < N_MEASURES; m++)
    best[m] = INFINITY;

  for (int r = 0; r < repeat; r++)
    {
      g_autoptr(HsBtSignals) sig = NULL;
      double t;

      t = cpu_now ();
      sig = hs_strategy_run (params, &sin, &error);
      best[M_SIGNALS] = MIN (best[M_SIGNALS], cpu_now () - t);
      g_assert_no_error (error);
      {
        g_autoptr(HsBtResult) res = NULL;

        t = cpu_now ();
        res = hs_backtest_run (&in, sig, &cfg, &error);
        best[M_ENGINE] = MIN (best[M_ENGINE], cpu_now () - t);
        g_assert_no_error (error);
        trades = res->trades->len;
      }
      {
        g_autoptr(HsBtResult) res = NULL;

        t = cpu_now ();
        res = hs_backtest_run (&in, sig, &cfg_stats, &error);
        best[M_ENGINE_STATS] = MIN (best[M_ENGINE_STATS], cpu_now () - t);
        g_assert_no_error (error);
      }
      {
        g_autoptr(HsBtSignals) sig2 = NULL;
        g_autoptr(HsBtResult) res = NULL;

        t = cpu_now ();
        sig2 = hs_strategy_run (params, &sin, &error);
        res = hs_backtest_run (&in, sig2, &cfg_stats, &error);
        best[M_TOTAL] = MIN (best[M_TOTAL], cpu_now () - t);
        g_assert_no_error (error);
      }
      {
        g_autoptr(HsBtSignals) sig3 = NULL;
        g_autoptr(HsBtResult) res = NULL;

        t = cpu_now ();
        sig3 = hs_rule_set_run (rules, &sin, &error);
        g_assert_no_error (error);
        res = hs_backtest_run (&in, sig3, &cfg, &error);
        best[M_RULES_STATE] = MIN (best[M_RULES_STATE], cpu_now () - t);
        g_assert_no_error (error);
      }
    }

  g_print ("bench-backtest: %" G_GINT64_FORMAT " one-minute bars (gen-bars seed 42), sma_cross "
           "(10, 30), IB fees, 1 bps slippage, %zu trades; build %s; best of %d, CPU time of "
           "one core\n", n_bars, trades, HS_BENCH_BUILDTYPE, repeat);
  g_string_append_printf (json, "{\"bars\":%" G_GINT64_FORMAT ",\"buildtype\":\"%s\","
                          "\"trades\":%zu", n_bars, HS_BENCH_BUILDTYPE, trades);
  for (int m = 0; m < N_MEASURES; m++)
    {
      double rate = (double) n_bars / best[m];

      g_print ("  %-44s %9.3f ms  %8.1f M bars/s%s\n", names[m], best[m] * 1e3, rate / 1e6,
               m == M_ENGINE ? (rate >= 30e6 ? "  (target 30 M/s: met)"
                                             : "  (target 30 M/s: NOT met)") : "");
      g_string_append_printf (json, ",\"m%d_bars_per_s\":%.0f", m, rate);
    }
  g_string_append (json, "}");
  g_print ("%s\n", json->str);
  return 0;
}
