/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Resampling benchmark: a million one-minute bars from the C port of gen-bars (seed 42),
 * resampled to 5m, 15m, 1h, 4h, 1d, 1w and 1mo for both session kinds, then aligned back (the
 * call a strategy reading a higher timeframe makes), and a million trades to 1m and 1h candles.
 * For 24/7 the bars are gen-bars' own, one a minute around the clock from 2020-01-02T14:30Z;
 * for US equity the same bars are restamped onto regular-hours minutes (390 a weekday from
 * 2020-01-02 09:30 New York, about ten years, every DST change in between), so every input bar
 * is in a session. Each figure is the best of five runs (monotonic clock) of the resampling
 * call alone; generating and restamping are not timed. Nothing is asserted: the figures are
 * printed for people and, as the last line, as one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v --suite bench      (or run BUILD/tests/bench/bench-resample)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-gen-bars.h"
#include "hs-resample.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define RUNS 5
#define US_PER_S INT64_C (1000000)

static HsBars *
generate (int64_t n)
{
  HsGenBarsOptions opts;
  HsGenBars gen;
  HsBars *b = hs_bars_new ((size_t) n, 60);

  hs_gen_bars_options_init (&opts);
  hs_gen_bars_init (&gen, &opts);
  for (int64_t i = 0; i < n; i++)
    {
      HsGenBar bar;

      hs_gen_bars_next (&gen, &bar);
      b->ts[i] = bar.ts * US_PER_S;
      b->open[i] = bar.open;
      b->high[i] = bar.high;
      b->low[i] = bar.low;
      b->close[i] = bar.close;
      b->volume[i] = (double) bar.volume;
      b->vwap[i] = NAN;
    }
  return b;
}

/* The same bars on consecutive regular-hours minutes of weekdays, New York time. */
static HsBars *
restamp_us (const HsBars *in)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) day = g_date_time_new (ny, 2020, 1, 2, 9, 30, 0);
  HsBars *b = hs_bars_slice (in, 0, in->n);
  size_t i = 0;

  while (i < b->n)
    {
      GDateTime *next;

      if (g_date_time_get_day_of_week (day) <= 5)
        {
          int64_t open = g_date_time_to_unix (day) * US_PER_S;

          for (int m = 0; m < 390 && i < b->n; m++, i++)
            b->ts[i] = open + m * 60 * US_PER_S;
        }
      next = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = next;
    }
  return b;
}

static double
best_seconds (double t[RUNS])
{
  double best = t[0];

  for (int i = 1; i < RUNS; i++)
    best = MIN (best, t[i]);
  return best;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBars) always = NULL, us = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  gint64 rows = 1000000;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &rows, "One-minute bars (default 1000000)", "N" },
    { NULL }
  };
  static const char *targets[] = { "5m", "15m", "1h", "4h", "1d", "1w", "1mo" };
  double total_s = 0;

  ctx = g_option_context_new ("— time resampling of one-minute bars");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || rows <= 0)
    {
      g_printerr ("bench-resample: %s\n", error ? error->message : "--rows must be > 0");
      return 2;
    }

  always = generate (rows);
  us = restamp_us (always);
  g_print ("Hindsight resampling benchmark: %" G_GINT64_FORMAT " one-minute bars, best of %d "
           "runs, build type %s\n", rows, RUNS, HS_BENCH_BUILDTYPE);
  g_string_append_printf (json, "{\"bench\":\"resample\",\"buildtype\":\"%s\",\"rows\":%"
                          G_GINT64_FORMAT, HS_BENCH_BUILDTYPE, rows);

  for (int s = 0; s < 2; s++)
    {
      HsSessionKind kind = s ? HS_SESSION_US_EQUITY : HS_SESSION_ALWAYS;
      const HsBars *in = s ? us : always;
      g_autofree int64_t *idx = g_new (int64_t, in->n);

      for (size_t k = 0; k < G_N_ELEMENTS (targets); k++)
        {
          double t[RUNS], align_t[RUNS], best, align_best;
          size_t out_n = 0;

          for (int r = 0; r < RUNS; r++)
            {
              g_autoptr(HsResampled) res = NULL;
              int64_t t0 = g_get_monotonic_time ();

              res = hs_resample (in, targets[k], kind, &error);
              t[r] = (double) (g_get_monotonic_time () - t0) / 1e6;
              if (res == NULL)
                {
                  g_printerr ("bench-resample: %s\n", error->message);
                  return EXIT_FAILURE;
                }
              out_n = res->bars->n;
              t0 = g_get_monotonic_time ();
              hs_resample_align (in, res, idx);
              align_t[r] = (double) (g_get_monotonic_time () - t0) / 1e6;
            }
          best = best_seconds (t);
          align_best = best_seconds (align_t);
          total_s += best;
          g_print ("%-4s 1m -> %-3s %8zu bars out in %7.2f ms = %6.1f M bars/s; align %6.2f ms\n",
                   hs_session_kind_to_string (kind), targets[k], out_n, best * 1e3,
                   (double) in->n / best / 1e6, align_best * 1e3);
          g_string_append_printf (json, ",\"%s_%s_bars_per_s\":%.0f",
                                  s ? "us" : "24x7", targets[k], (double) in->n / best);
        }
    }

  /* Trades: gen-bars' trade per bar (time, close, volume), 24/7. */
  {
    static const char *trade_targets[] = { "1m", "1h" };

    for (size_t k = 0; k < G_N_ELEMENTS (trade_targets); k++)
      {
        double t[RUNS], best;
        size_t out_n = 0;

        for (int r = 0; r < RUNS; r++)
          {
            g_autoptr(HsResampled) res = NULL;
            int64_t t0 = g_get_monotonic_time ();

            res = hs_resample_trades (always->ts, always->close, always->volume, always->n,
                                      trade_targets[k], HS_SESSION_ALWAYS, NULL, &error);
            t[r] = (double) (g_get_monotonic_time () - t0) / 1e6;
            if (res == NULL)
              {
                g_printerr ("bench-resample: %s\n", error->message);
                return EXIT_FAILURE;
              }
            out_n = res->bars->n;
          }
        best = best_seconds (t);
        g_print ("24x7 trades -> %-3s %8zu candles in %7.2f ms = %6.1f M trades/s\n",
                 trade_targets[k], out_n, best * 1e3, (double) always->n / best / 1e6);
        g_string_append_printf (json, ",\"trades_%s_per_s\":%.0f", trade_targets[k],
                                (double) always->n / best);
      }
  }
  g_print ("all %zu bar resamplings: %.1f ms\n", 2 * G_N_ELEMENTS (targets), total_s * 1e3);
  g_string_append_printf (json, ",\"all_ms\":%.1f}\n", total_s * 1e3);
  g_print ("%s", json->str);
  return EXIT_SUCCESS;
}
