/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expression benchmark: parses 100,000 expressions, a realistic mix of rule conditions and
 * training-query filters generated from templates with random periods and thresholds (seed 42),
 * and reports expressions per second; then, for scale, evaluates one typical rule over
 * 1,000,000 one-minute bars of a random walk. Nothing here asserts a time: the figures are
 * printed for people and, as the last line, as one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v          (or run BUILD/tests/bench/bench-expr)
 *
 * The texts are generated before the clock starts; the parse loop times hs_expr_parse and
 * hs_expr_free only. The process exits non-zero only when an expression fails to parse.
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-eval.h"
#include "hs-expr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define N_EXPRS 100000
#define N_BARS  1000000

/* %d is a period, %f a threshold, %s an interval. */
static const char *const templates[] = {
  "crosses_above(sma(close, %d), sma(close, %d))",
  "crosses_below(ema(close, %d), ema(close, %d))",
  "rsi(close, %d) < %f",
  "rsi(close, %d, tf=%s) > %f and close > sma(close, %d)",
  "macd_hist(close, %d, %d, %d) > 0",
  "close < bb_lower(close, %d, %f) and volume > sma(volume, %d) * 1.5",
  "atr(%d) / close * 100 > %f",
  "stoch_k(%d, %d) < 20 and stoch_d(%d, %d, %d) < 20",
  "highest(high, %d) - lowest(low, %d) > %f * stdev(close, %d)",
  "position > 0 and (bars_held >= %d or unrealized_pct < -%f)",
  "not (close > ema(close, %d, tf=%s)) or (open - close) / open * 100 >= %f",
  "signals.%s.rsi > %f and target_pnl_1h < -%f",
  "market_regime.trend == 'up' and signals.%s.macd_hist > 0",
};

static const char *const intervals[] = { "5m", "15m", "1h", "4h", "1d" };

/* Fills a template: each %d, %f and %s gets a random value of its kind. */
static char *
instantiate (const char *tmpl,
             GRand      *rand)
{
  GString *s = g_string_new (NULL);

  for (const char *p = tmpl; *p; p++)
    {
      if (p[0] != '%' || p[1] == '\0')
        {
          g_string_append_c (s, *p);
          continue;
        }
      p++;
      if (*p == 'd')
        g_string_append_printf (s, "%d", g_rand_int_range (rand, 2, 200));
      else if (*p == 'f')
        g_string_append_printf (s, "%.1f", g_rand_double_range (rand, 0.5, 90));
      else
        g_string_append (s, intervals[g_rand_int_range (rand, 0, G_N_ELEMENTS (intervals))]);
    }
  return g_string_free (s, FALSE);
}

static double
seconds_since (int64_t t0)
{
  return (double) (g_get_monotonic_time () - t0) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(HsBars) bars = hs_bars_new (N_BARS, 60);
  g_autoptr(HsEval) ev = NULL;
  g_autoptr(HsExpr) rule = NULL;
  g_autofree double *v = NULL;
  HsEvalContext ctx = { 0 };
  size_t bytes = 0;
  int64_t t0;
  double parse_s, first_s = 0, best_s = 0, eval_s;
  const char *rule_text = "crosses_above(sma(close, 10), sma(close, 30)) and rsi(close, 14) < 70";

  for (int i = 0; i < N_EXPRS; i++)
    {
      char *t = instantiate (templates[g_rand_int_range (rand, 0, G_N_ELEMENTS (templates))],
                             rand);

      bytes += strlen (t);
      g_ptr_array_add (texts, t);
    }

  /* Three rounds; the JSON has the first and the best, since a shared machine is noisy. */
  for (int round = 0; round < 3; round++)
    {
      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < texts->len; i++)
        {
          g_autoptr(GError) error = NULL;
          HsExpr *e = hs_expr_parse (texts->pdata[i], NULL, &error);

          if (e == NULL)
            {
              g_printerr ("bench-expr: “%s”: %s\n", (char *) texts->pdata[i], error->message);
              return EXIT_FAILURE;
            }
          hs_expr_free (e);
        }
      parse_s = seconds_since (t0);
      if (round == 0)
        first_s = parse_s;
      if (round == 0 || parse_s < best_s)
        best_s = parse_s;
      g_print ("parse round %d: %d expressions (%.1f MB, %.0f bytes each) in %.3f s = %.0f "
               "expressions/s, %.2f us each\n", round + 1, N_EXPRS, (double) bytes / 1e6,
               (double) bytes / N_EXPRS, parse_s, N_EXPRS / parse_s, parse_s * 1e6 / N_EXPRS);
    }

  /* A random walk of one-minute bars around 100. */
  {
    double price = 100;

    for (size_t i = 0; i < N_BARS; i++)
      {
        double next = price * (1 + g_rand_double_range (rand, -0.002, 0.002));

        bars->ts[i] = (int64_t) i * 60 * G_GINT64_CONSTANT (1000000);
        bars->open[i] = price;
        bars->close[i] = next;
        bars->high[i] = MAX (price, next) * 1.0005;
        bars->low[i] = MIN (price, next) * 0.9995;
        bars->volume[i] = g_rand_double_range (rand, 100, 10000);
        bars->vwap[i] = NAN;
        price = next;
      }
  }
  ctx.bars = bars;
  ctx.interval = "1m";
  ctx.session = HS_SESSION_ALWAYS;
  rule = hs_expr_parse (rule_text, NULL, NULL);
  ev = hs_eval_new (&ctx);
  t0 = g_get_monotonic_time ();
  v = rule ? hs_eval_run (ev, rule, NULL, NULL) : NULL;
  eval_s = seconds_since (t0);
  if (v == NULL)
    {
      g_printerr ("bench-expr: the rule does not evaluate\n");
      return EXIT_FAILURE;
    }
  g_print ("eval \"%s\" over %d bars in %.3f s = %.0f bars/s\n", rule_text, N_BARS, eval_s,
           N_BARS / eval_s);

  g_print ("{\"bench\":\"expr\",\"buildtype\":\"%s\",\"expressions\":%d,"
           "\"parse_per_s\":%.0f,\"parse_best_per_s\":%.0f,\"eval_bars\":%d,"
           "\"eval_bars_per_s\":%.0f}\n",
           HS_BENCH_BUILDTYPE, N_EXPRS, N_EXPRS / first_s, N_EXPRS / best_s, N_BARS,
           N_BARS / eval_s);
  return EXIT_SUCCESS;
}
