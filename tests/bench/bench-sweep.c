/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sweep benchmark: 1,000 sma_cross combinations (fast 2…41 × slow 50…290 step 10, IB fees)
 * over 100,000 one-minute bars from the gen-bars generator (seed 42), on every core (issue item
 * 9: under 5 s on 2 cores), wall time including storing every combination's statistics (and
 * the best one's trades and equity curve) in one transaction of a fresh WAL database. Then the
 * same sweep on one thread, for the scaling. Nothing here asserts a time: the figures are
 * printed for people and, as the last line, as one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v          (or run BUILD/tests/bench/bench-sweep)
 *
 * Options: --bars N (default 100000), --jobs N (default: one per core), --no-single (skip the
 * one-thread run).
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-gen-bars.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-sweep.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

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

static double
seconds_since (int64_t t0)
{
  return (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

typedef struct
{
  double run_s, store_s, total_s, dsr;
  guint  threads, combinations;
} Timing;

static gboolean
sweep_once (HsStore           *store,
            const HsBtRunInfo *info,
            HsSweepRequest    *req,
            const HsSweepGrid *grid,
            int                jobs,
            Timing            *t,
            GError           **error)
{
  g_autoptr(HsSweepResult) res = NULL;
  int64_t t0 = g_get_monotonic_time (), t1;

  req->n_jobs = jobs;
  res = hs_sweep_run (req, grid, NULL, error);
  if (res == NULL)
    return FALSE;
  t->run_s = seconds_since (t0);
  t1 = g_get_monotonic_time ();
  if (!hs_sweep_store (store, info, res, NULL, NULL, error))
    return FALSE;
  t->store_s = seconds_since (t1);
  t->total_s = seconds_since (t0);
  t->dsr = res->deflated_sharpe;
  t->combinations = res->trials->len;
  t->threads = jobs > 0 ? (guint) jobs : g_get_num_processors ();
  return TRUE;
}

static gboolean
run (const char *path,
     size_t      n_bars,
     int         jobs,
     gboolean    single,
     GError    **error)
{
  const char *specs[] = { "fast=2:41:1", "slow=50:290:10", NULL };
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsBars) bars = generate (n_bars);
  g_autoptr(HsSweepGrid) grid = NULL;
  g_autoptr(HsBtRunInfo) info = hs_bt_run_info_new ();
  HsStrategyInput sin = { 0 };
  HsBtInput in = { 0 };
  HsBtConfig config;
  HsSweepRequest req = { 0 };
  Timing all = { 0 }, one = { 0 };
  int64_t instrument_id = 0;

  grid = hs_sweep_grid_new (hs_strategy_lookup ("sma_cross"), specs, error);
  if (grid == NULL)
    return FALSE;
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, error);
  if (store == NULL
      || !hs_store_ensure_instrument (store, "BENCH", NULL, "stock", &instrument_id, error))
    return FALSE;

  hs_bt_config_init (&config);
  hs_fee_model_ibkr (&config.fees);
  sin.bars = bars;
  sin.interval = "1m";
  sin.session = HS_SESSION_US_EQUITY;
  in.bars = bars;
  in.symbol = "BENCH";
  req.strategy_input = &sin;
  req.input = &in;
  req.config = &config;
  req.keep_best = TRUE;
  info->instrument_id = instrument_id;
  info->symbol = g_strdup ("BENCH");
  info->interval = g_strdup ("1m");
  info->start_ts = bars->ts[0];
  info->end_ts = bars->ts[bars->n - 1] + 60 * G_USEC_PER_SEC;
  info->initial_cash = config.initial_cash;
  info->fee_model = hs_fee_model_to_string (&config.fees);
  info->slippage_model = hs_slippage_model_to_string (&config.slippage);
  info->sizing_model = hs_sizing_to_string (&config.sizing);
  info->risk_free_model = g_strdup ("constant:0");

  if (!sweep_once (store, info, &req, grid, jobs, &all, error))
    return FALSE;
  if (single && !sweep_once (store, info, &req, grid, 1, &one, error))
    return FALSE;

  g_print ("bench-sweep (%s build): %u sma_cross combinations over %zu one-minute bars (gen-bars "
           "seed 42), IB fees; %u cores\n", HS_BENCH_BUILDTYPE, all.combinations, n_bars,
           g_get_num_processors ());
  g_print ("  %u threads: runs %.3f s + storing %.3f s = %.3f s   (target < 5 s on 2 cores)\n"
           "             %.1f M bars/s, %.2f ms per combination and thread\n",
           all.threads, all.run_s, all.store_s, all.total_s,
           all.combinations * (double) n_bars / all.run_s / 1e6,
           all.run_s * all.threads / all.combinations * 1000);
  if (single)
    g_print ("  1 thread:  runs %.3f s + storing %.3f s = %.3f s   (speed-up %.2fx)\n",
             one.run_s, one.store_s, one.total_s, one.run_s / all.run_s);
  g_print ("  deflated Sharpe ratio of the best: %.4f\n", all.dsr);
  g_print ("{\"bench\":\"sweep\",\"buildtype\":\"%s\",\"bars\":%zu,\"combinations\":%u,"
           "\"threads\":%u,\"run_s\":%.3f,\"store_s\":%.3f,\"total_s\":%.3f,"
           "\"single_run_s\":%.3f,\"single_total_s\":%.3f}\n", HS_BENCH_BUILDTYPE, n_bars,
           all.combinations, all.threads, all.run_s, all.store_s, all.total_s,
           single ? one.run_s : NAN, single ? one.total_s : NAN);
  return TRUE;
}

static void
remove_db (const char *dir,
           const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (size_t i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-sweep-XXXXXX", &error);
  g_autofree char *path = NULL;
  size_t n_bars = 100000;
  int jobs = 0;
  gboolean single = TRUE, ok;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--bars") && i + 1 < argc)
        {
          long v = atol (argv[++i]);   /* not inside MAX (), which evaluates twice */

          n_bars = (size_t) MAX (100, v);
        }
      else if (g_str_equal (argv[i], "--jobs") && i + 1 < argc)
        {
          int v = atoi (argv[++i]);

          jobs = MAX (0, v);
        }
      else if (g_str_equal (argv[i], "--no-single"))
        single = FALSE;
    }
  if (dir == NULL)
    {
      g_printerr ("bench-sweep: %s\n", error->message);
      return EXIT_FAILURE;
    }
  path = g_build_filename (dir, "sweep.db", NULL);
  ok = run (path, n_bars, jobs, single, &error);
  remove_db (dir, path);
  if (!ok)
    {
      g_printerr ("bench-sweep: %s\n", error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
