/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Indicator benchmark: every kernel of hs-indicators.c over 10,000,000 values (a random walk of
 * bars from GRand seed 42, with volumes, sessions of 1,440 bars and book sizes), reporting
 * values per second on one core. The target (issue item 5) is at least 200 million values per
 * second for the O(n) moving averages (SMA, EMA, WMA); the others are printed for comparison.
 * Nothing here asserts a time: the figures are printed for people and, as the last line, as one
 * JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v          (or run BUILD/tests/bench/bench-indicators)
 *
 * Each kernel runs --repeat times (default 5) on the same input; the best run counts, timed with
 * the thread's CPU clock (the process runs one thread), so "per core" is what is measured. The
 * output arrays are written once before timing, so page faults are not counted.
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-indicators.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

typedef struct
{
  size_t   n;
  double  *open, *high, *low, *close, *volume, *signed_volume, *bid, *ask, *price;
  int64_t *ts, *session;
  double  *out[5];
} Input;

static const struct
{
  const char *name;
  gboolean    moving_average;   /* counts for the 200 M/s target */
} kernels[] = {
  { "sma(30)", TRUE },
  { "sma(200)", TRUE },
  { "ema(30)", TRUE },
  { "wma(30)", TRUE },
  { "rsi(14)", FALSE },
  { "macd(12,26,9)", FALSE },
  { "bollinger(20,2)", FALSE },
  { "stdev(20)", FALSE },
  { "atr(14)", FALSE },
  { "stochastic(14,3,3)", FALSE },
  { "highest(14)", FALSE },
  { "lowest(14)", FALSE },
  { "pivot_high(5,5)", FALSE },
  { "pivot_low(5,5)", FALSE },
  { "ema_slope(30,5)", FALSE },
  { "relative_volume(20)", FALSE },
  { "typical_price", FALSE },
  { "session_days(New York)", FALSE },
  { "vwap+bands", FALSE },
  { "cvd+ma(20)", FALSE },
  { "book_imbalance", FALSE },
  { "squeeze(20,2,1.5)", FALSE },
};

/* Runs kernel @k of kernels[] once. */
static void
run_kernel (size_t     k,
            Input     *in,
            GTimeZone *ny)
{
  size_t n = in->n;
  double **o = in->out;

  switch (k)
    {
    case 0: hs_sma (in->close, n, 30, o[0]); break;
    case 1: hs_sma (in->close, n, 200, o[0]); break;
    case 2: hs_ema (in->close, n, 30, o[0]); break;
    case 3: hs_wma (in->close, n, 30, o[0]); break;
    case 4: hs_rsi (in->close, n, 14, o[0]); break;
    case 5: hs_macd (in->close, n, 12, 26, 9, o[0], o[1], o[2]); break;
    case 6: hs_bollinger (in->close, n, 20, 2.0, o[0], o[1], o[2]); break;
    case 7: hs_stdev (in->close, n, 20, o[0]); break;
    case 8: hs_atr (in->high, in->low, in->close, n, 14, o[0]); break;
    case 9: hs_stochastic (in->high, in->low, in->close, n, 14, 3, 3, o[0], o[1]); break;
    case 10: hs_highest (in->close, n, 14, o[0]); break;
    case 11: hs_lowest (in->close, n, 14, o[0]); break;
    case 12: hs_pivot_high (in->high, n, 5, 5, o[0]); break;
    case 13: hs_pivot_low (in->low, n, 5, 5, o[0]); break;
    case 14: hs_ema_slope (in->close, n, 30, 5, o[0]); break;
    case 15: hs_relative_volume (in->volume, n, 20, o[0]); break;
    case 16: hs_typical_price (in->high, in->low, in->close, n, o[0]); break;
    case 17: hs_session_days (in->ts, n, ny, in->session); break;
    case 18: hs_vwap (in->price, in->volume, in->session, n, o[0], o[1], o[2], o[3], o[4]); break;
    case 19: hs_cvd (in->signed_volume, in->session, n, 20, o[0], o[1]); break;
    case 20: hs_book_imbalance (in->bid, in->ask, n, o[0]); break;
    case 21: hs_squeeze (in->high, in->low, in->close, n, 20, 2.0, 1.5, o[0]); break;
    default: g_assert_not_reached ();
    }
}

static double
cpu_now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

static void
input_init (Input  *in,
            size_t  n)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (42);
  double c = 100.0;
  int64_t t0 = G_GINT64_CONSTANT (1380893400) * G_USEC_PER_SEC;   /* 2013-10-04 13:30Z */

  in->n = n;
  in->open = g_new (double, n);
  in->high = g_new (double, n);
  in->low = g_new (double, n);
  in->close = g_new (double, n);
  in->volume = g_new (double, n);
  in->signed_volume = g_new (double, n);
  in->bid = g_new (double, n);
  in->ask = g_new (double, n);
  in->price = g_new (double, n);
  in->ts = g_new (int64_t, n);
  in->session = g_new (int64_t, n);
  for (size_t k = 0; k < G_N_ELEMENTS (in->out); k++)
    {
      in->out[k] = g_new (double, n);
      for (size_t i = 0; i < n; i++)
        in->out[k][i] = 0.0;
    }
  for (size_t i = 0; i < n; i++)
    {
      double o = c;

      c = fmax (1.0, c + g_rand_double_range (r, -0.5, 0.5));
      in->open[i] = o;
      in->close[i] = c;
      in->high[i] = fmax (o, c) + g_rand_double_range (r, 0, 0.3);
      in->low[i] = fmin (o, c) - g_rand_double_range (r, 0, 0.3);
      in->volume[i] = (double) g_rand_int_range (r, 1, 5000);
      in->signed_volume[i] = c >= o ? in->volume[i] : -in->volume[i];
      in->bid[i] = (double) g_rand_int_range (r, 0, 10000);
      in->ask[i] = (double) g_rand_int_range (r, 0, 10000);
      in->ts[i] = t0 + (int64_t) i * 60 * G_USEC_PER_SEC;
      in->session[i] = (int64_t) (i / 1440);
    }
  hs_typical_price (in->high, in->low, in->close, n, in->price);
}

static void
input_clear (Input *in)
{
  g_free (in->open);
  g_free (in->high);
  g_free (in->low);
  g_free (in->close);
  g_free (in->volume);
  g_free (in->signed_volume);
  g_free (in->bid);
  g_free (in->ask);
  g_free (in->price);
  g_free (in->ts);
  g_free (in->session);
  for (size_t k = 0; k < G_N_ELEMENTS (in->out); k++)
    g_free (in->out[k]);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  gint64 n = 10000000;
  int repeat = 5;
  GOptionEntry entries[] = {
    { "values", 0, 0, G_OPTION_ARG_INT64, &n, "Values per series (default 10000000)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs per kernel, best counts (default 5)",
      "R" },
    { NULL }
  };
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  Input in = { 0 };
  double worst_ma = INFINITY;
  double checksum = 0.0;

  ctx = g_option_context_new ("— time the indicator kernels");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || n <= 0 || repeat <= 0)
    {
      g_printerr ("bench-indicators: %s\n", error ? error->message : "bad --values or --repeat");
      return 2;
    }

  g_print ("Hindsight indicator benchmark: %" G_GINT64_FORMAT " values per series, best of %d, "
           "one thread, %u CPUs, build type %s\n", n, repeat, g_get_num_processors (),
           HS_BENCH_BUILDTYPE);
  input_init (&in, (size_t) n);
  /* The session ids start as one per 1,440 bars; session_days overwrites them with the New York
   * days of the one-minute bars, which are as long (the first day shorter). */
  g_string_append_printf (json, "{\"bench\":\"indicators\",\"buildtype\":\"%s\",\"cpus\":%u,"
                          "\"values\":%" G_GINT64_FORMAT, HS_BENCH_BUILDTYPE,
                          g_get_num_processors (), n);
  for (size_t k = 0; k < G_N_ELEMENTS (kernels); k++)
    {
      double best = INFINITY, rate;

      for (int r = 0; r < repeat; r++)
        {
          double t0 = cpu_now ();

          run_kernel (k, &in, ny);
          best = MIN (best, cpu_now () - t0);
        }
      rate = (double) n / best;
      /* Keeps the compiler from dropping work, and shows the output is filled. */
      checksum += isfinite (in.out[0][n - 1]) ? in.out[0][n - 1] : 0.0;
      if (kernels[k].moving_average)
        worst_ma = MIN (worst_ma, rate);
      g_print ("%-24s %8.2f ms  %9.1f M values/s%s\n", kernels[k].name, best * 1e3, rate / 1e6,
               kernels[k].moving_average ? (rate >= 200e6 ? "  (target 200: met)"
                                                          : "  (target 200: NOT met)") : "");
      g_string_append_printf (json, ",\"%s\":%.0f", kernels[k].name, rate);
    }
  g_print ("moving averages, slowest: %.1f M values/s per core (target 200: %s); checksum %g\n",
           worst_ma / 1e6, worst_ma >= 200e6 ? "met" : "NOT met", checksum);
  g_string_append (json, "}");
  g_print ("%s\n", json->str);
  input_clear (&in);
  return EXIT_SUCCESS;
}
