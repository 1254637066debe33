/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core: the built-in strategies and rule sets (src/core/hs-strategy.c).
 *
 * - The table: every parameter's default lies in its range and on its step; bad values are
 *   refused with the parameter named.
 * - The indicator-built strategies trade as an independent reference says they should: on
 *   tests/data/backtrader/2006-day-001.txt, SMAs and Wilder's RSI computed here naively (sums
 *   from scratch, the recurrence written out), the crossings listed, and the trades derived by
 *   the rule "decide at the close, fill at the next open" must equal the engine's trade list.
 *   The crossing dates of sma(10) over sma(30) are also written out below, as a person reads them
 *   off the reference.
 * - A rule set equal to sma_cross trades the same, vectorized and bar by bar.
 * - Small hand-checked cases for market_structure's counters (seed 002), cvd_imbalance's signals
 *   (seed 004), price_spike's snapshot links (seed 003) and rule sets with position state.
 * - No look-ahead: for every strategy, changing the bars after i never changes a decision at a
 *   bar ≤ i.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "hs-backtest.h"
#include "hs-expr.h"
#include "hs-rules-json.h"
#include "hs-strategy.h"
#include "hs-time.h"

#define EPS 1e-9
#define MINUTE G_GINT64_CONSTANT (60000000)
#define T0 G_GINT64_CONSTANT (1577975400000000)   /* 2020-01-02T14:30:00Z */

/* ---- data ---- */

/* 2006-day-001.txt: Date,Open,High,Low,Close,Volume,OpenInterest. */
static HsBars *
load_daily (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "backtrader", name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
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
  g_ptr_array_unref (rows);
  return b;
}

static char *
date_of (int64_t ts)
{
  g_autofree char *iso = hs_time_format_iso (ts);

  return g_strndup (iso, 10);
}

/* Random minute bars around 100, 24/7. */
static HsBars *
random_bars (GRand  *rand,
             size_t  n)
{
  HsBars *b = hs_bars_new (n, 60);
  double price = 100;

  for (size_t i = 0; i < n; i++)
    {
      double o = price * (1 + g_rand_double_range (rand, -0.003, 0.003));
      double c = o * (1 + g_rand_double_range (rand, -0.01, 0.01));

      b->ts[i] = T0 + (int64_t) i * MINUTE;
      b->open[i] = o;
      b->close[i] = c;
      b->high[i] = MAX (o, c) * (1 + g_rand_double_range (rand, 0, 0.004));
      b->low[i] = MIN (o, c) * (1 - g_rand_double_range (rand, 0, 0.004));
      b->volume[i] = g_rand_int_range (rand, 100, 10000);
      b->vwap[i] = NAN;
      price = c;
    }
  return b;
}

static HsStrategyParams *
params_for (const char *name,
            ...)
{
  const HsStrategyInfo *s = hs_strategy_lookup (name);
  HsStrategyParams *p;
  const char *assignment;
  va_list ap;

  g_assert_nonnull (s);
  p = hs_strategy_params_new (s);
  va_start (ap, name);
  while ((assignment = va_arg (ap, const char *)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (hs_strategy_params_parse_assignment (p, assignment, &error));
      g_assert_no_error (error);
    }
  va_end (ap);
  return p;
}

static HsBtSignals *
signals_of (const HsStrategyParams *p,
            const HsBars           *b)
{
  g_autoptr(GError) error = NULL;
  HsStrategyInput in = { .bars = b, .session = HS_SESSION_ALWAYS };
  HsBtSignals *s = hs_strategy_run (p, &in, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

/* Runs @s over @b: 1 unit per trade, no fees, so prices can be compared directly. */
static HsBtResult *
engine (const HsBars      *b,
        const HsBtSignals *s)
{
  g_autoptr(GError) error = NULL;
  HsBtInput in = { .bars = b };
  HsBtConfig c;
  HsBtResult *r;

  hs_bt_config_init (&c);
  c.sizing.kind = HS_SIZE_FIXED_QTY;
  c.sizing.value = 1;
  r = hs_backtest_run (&in, s, &c, &error);
  g_assert_no_error (error);
  return r;
}

static const HsBtTrade *
trade (const HsBtResult *r,
       guint             i)
{
  g_assert_cmpuint (r->trades->len, >, i);
  return &g_array_index (r->trades, HsBtTrade, i);
}

/* A trade of the reference: bar indexes of the fills, and whether it ran to the end. */
typedef struct
{
  size_t entry, exit;
  int    side;
  int    to_end;
} RefTrade;

/* Trades by the rule "decide at the close, fill at the next open" from per-bar wishes: +1 enter
 * long (when flat), −1 exit (when long). Long only. */
static GArray *
reference_trades (const int *wish,
                  size_t     n)
{
  GArray *t = g_array_new (FALSE, TRUE, sizeof (RefTrade));
  int pos = 0;
  RefTrade cur = { 0 };

  for (size_t i = 0; i + 1 < n; i++)
    {
      if (pos == 0 && wish[i] > 0)
        {
          pos = 1;
          cur.entry = i + 1;
          cur.side = 1;
        }
      else if (pos == 1 && wish[i] < 0)
        {
          pos = 0;
          cur.exit = i + 1;
          g_array_append_val (t, cur);
        }
    }
  if (pos)
    {
      cur.exit = n - 1;
      cur.to_end = TRUE;
      g_array_append_val (t, cur);
    }
  return t;
}

static void
check_same_trades (const HsBars     *b,
                   const HsBtResult *r,
                   const GArray     *ref)
{
  g_assert_cmpuint (r->trades->len, ==, ref->len);
  for (guint i = 0; i < ref->len; i++)
    {
      const RefTrade *want = &g_array_index (ref, RefTrade, i);
      const HsBtTrade *t = trade (r, i);

      g_assert_cmpint (t->side, ==, want->side);
      g_assert_cmpint (t->entry_ts, ==, b->ts[want->entry]);
      g_assert_cmpfloat (t->entry_price, ==, b->open[want->entry]);
      if (want->to_end)
        {
          g_assert_cmpint (t->exit_reason, ==, HS_EXIT_END_OF_DATA);
          g_assert_cmpfloat (t->exit_price, ==, b->close[want->exit]);
        }
      else
        {
          g_assert_cmpint (t->exit_reason, ==, HS_EXIT_SIGNAL);
          g_assert_cmpint (t->exit_ts, ==, b->ts[want->exit]);
          g_assert_cmpfloat (t->exit_price, ==, b->open[want->exit]);
        }
    }
}

/* ---- the table ---- */

static void
test_table (void)
{
  size_t n = 0;
  const HsStrategyInfo *all = hs_strategy_all (&n);
  const char *expected[] = { "sma_cross", "rsi_reversion", "bollinger_breakout", "macd_signal",
                             "buy_and_hold", "market_structure", "cvd_imbalance", "vwap_scalp",
                             "price_spike" };

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (size_t i = 0; i < n; i++)
    {
      g_autoptr(HsStrategyParams) p = hs_strategy_params_new (&all[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;

      g_assert_cmpstr (all[i].name, ==, expected[i]);
      g_assert_true (hs_strategy_lookup (expected[i]) == &all[i]);
      g_assert_true (all[i].version != NULL && all[i].version[0] != '\0');
      g_assert_true (all[i].summary != NULL && all[i].summary[0] != '\0');
      for (size_t k = 0; k < all[i].n_params; k++)
        {
          const HsParamSpec *sp = &all[i].params[k];

          g_assert_true (sp->help != NULL && sp->help[0] != '\0');
          g_assert_true (hs_strategy_find_param (&all[i], sp->name) == sp);
          if (sp->type == HS_PARAM_INT || sp->type == HS_PARAM_DOUBLE)
            {
              g_assert_cmpfloat (sp->min, <=, sp->def);
              g_assert_cmpfloat (sp->def, <=, sp->max);
              g_assert_cmpfloat (sp->step, >, 0);
            }
          if (sp->type == HS_PARAM_INT)
            g_assert_cmpfloat (fmod (sp->def - sp->min, sp->step), ==, 0);
          if (sp->type == HS_PARAM_ENUM)
            g_assert_true (g_strv_contains (sp->choices, sp->def_text));
        }
      /* The defaults are consistent, and every parameter is in the JSON. */
      g_assert_true (hs_strategy_params_check (p, &error));
      g_assert_no_error (error);
      json = hs_strategy_params_to_json (p);
      for (size_t k = 0; k < all[i].n_params; k++)
        {
          g_autofree char *key = g_strdup_printf ("\"%s\":", all[i].params[k].name);

          g_assert_nonnull (strstr (json, key));
        }
    }
  g_assert_null (hs_strategy_lookup ("nope"));
}

static void
test_params (void)
{
  g_autoptr(HsStrategyParams) p = hs_strategy_params_new (hs_strategy_lookup ("sma_cross"));
  g_autoptr(HsStrategyParams) m = hs_strategy_params_new (hs_strategy_lookup ("market_structure"));
  g_autofree char *json = NULL;
  const struct
  {
    const char *assignment;
    int         code;
    const char *message;
  } bad[] = {
    { "fats=3", HS_STRATEGY_ERROR_UNKNOWN,
      "sma_cross has no parameter “fats”; its parameters are fast, slow, direction" },
    { "fast=2.5", HS_STRATEGY_ERROR_PARAMETER,
      "sma_cross: fast must be a whole number, not “2.5”" },
    { "fast=0", HS_STRATEGY_ERROR_PARAMETER,
      "sma_cross: fast must be from 1 to 1000 in steps of 1, not 0" },
    { "fast=", HS_STRATEGY_ERROR_PARAMETER, "sma_cross: fast must be a whole number, not “”" },
    { "direction=up", HS_STRATEGY_ERROR_PARAMETER,
      "sma_cross: direction must be one of long_only, long_short, short_only, not “up”" },
    { "fast", HS_STRATEGY_ERROR_PARAMETER, "a parameter is NAME=VALUE, not “fast”" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (hs_strategy_params_parse_assignment (p, bad[i].assignment, &error));
      g_assert_error (error, HS_STRATEGY_ERROR, bad[i].code);
      g_assert_cmpstr (error->message, ==, bad[i].message);
    }
  /* Values are kept as given; fast must stay below slow. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (hs_strategy_params_parse_assignment (p, "fast=40", NULL));
    g_assert_true (hs_strategy_params_parse_assignment (p, "direction=long_short", NULL));
    g_assert_false (hs_strategy_params_check (p, &error));
    g_assert_cmpstr (error->message, ==, "sma_cross: fast (40) must be less than slow (30)");
    g_assert_true (hs_strategy_params_parse_assignment (p, "slow=50", NULL));
    json = hs_strategy_params_to_json (p);
    g_assert_cmpstr (json, ==, "{\"fast\":40,\"slow\":50,\"direction\":\"long_short\"}");
  }
  /* Intervals: a name, "" for the bars' own; tick and unknown names are refused. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (hs_strategy_params_get_text (m, "lower_timeframe"), ==, "");
    g_assert_true (hs_strategy_params_set (m, "lower_timeframe", "5m", NULL));
    g_assert_cmpstr (hs_strategy_params_get_text (m, "lower_timeframe"), ==, "5m");
    g_assert_false (hs_strategy_params_set (m, "lower_timeframe", "tick", &error));
    g_assert_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER);
    g_clear_error (&error);
    g_assert_false (hs_strategy_params_set (m, "lower_timeframe", "7m", &error));
    g_assert_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER);
  }
}

/* ---- independent references on 2006-day-001.txt ---- */

/* sma(close, n) at bar i summed from scratch; NAN before n bars. */
static double
naive_sma (const double *x,
           size_t        i,
           int           n)
{
  double s = 0;

  if (i + 1 < (size_t) n)
    return NAN;
  for (size_t k = i + 1 - (size_t) n; k <= i; k++)
    s += x[k];
  return s / n;
}

/* sma(close, 10) crosses sma(close, 30) on 2006-day-001.txt:
 *   above on 2006-04-28, 2006-07-03, 2006-07-27, 2006-12-18
 *   below on 2006-04-19, 2006-05-15, 2006-07-26, 2006-12-01
 * so long only, deciding at the close and filling at the next open:
 *   2006-05-02 at 3839.24 → 2006-05-16 at 3711.46
 *   2006-07-04 at 3664.59 → 2006-07-27 at 3649.29
 *   2006-07-28 at 3671.71 → 2006-12-04 at 3935.81
 *   2006-12-19 at 4121.01 → still open at the last close, 2006-12-29, 4119.94
 * (The cross below on 2006-04-19 comes while flat: nothing to sell.) */
static void
test_sma_cross_reference (void)
{
  g_autoptr(HsBars) b = load_daily ("2006-day-001.txt");
  g_autoptr(GPtrArray) ups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) downs = g_ptr_array_new_with_free_func (g_free);
  g_autofree int *wish = g_new0 (int, b->n);
  const char *want_ups[] = { "2006-04-28", "2006-07-03", "2006-07-27", "2006-12-18" };
  const char *want_downs[] = { "2006-04-19", "2006-05-15", "2006-07-26", "2006-12-01" };
  const struct
  {
    int fast, slow;
  } pairs[] = { { 10, 30 }, { 5, 20 }, { 3, 7 }, { 20, 50 } };

  for (size_t k = 0; k < G_N_ELEMENTS (pairs); k++)
    {
      g_autofree char *fa = g_strdup_printf ("fast=%d", pairs[k].fast);
      g_autofree char *sa = g_strdup_printf ("slow=%d", pairs[k].slow);
      g_autoptr(HsStrategyParams) p = params_for ("sma_cross", fa, sa, NULL);
      g_autoptr(HsBtSignals) s = signals_of (p, b);
      g_autoptr(HsBtResult) r = engine (b, s);
      g_autoptr(GArray) ref = NULL;

      memset (wish, 0, b->n * sizeof (int));
      for (size_t i = 1; i < b->n; i++)
        {
          double f0 = naive_sma (b->close, i - 1, pairs[k].fast);
          double s0 = naive_sma (b->close, i - 1, pairs[k].slow);
          double f1 = naive_sma (b->close, i, pairs[k].fast);
          double s1 = naive_sma (b->close, i, pairs[k].slow);

          if (isnan (f0) || isnan (s0))
            continue;
          if (f1 > s1 && f0 <= s0)
            {
              wish[i] = 1;
              if (k == 0)
                g_ptr_array_add (ups, date_of (b->ts[i]));
            }
          else if (f1 < s1 && f0 >= s0)
            {
              wish[i] = -1;
              if (k == 0)
                g_ptr_array_add (downs, date_of (b->ts[i]));
            }
        }
      if (k == 0)
        {
          g_assert_cmpuint (ups->len, ==, G_N_ELEMENTS (want_ups));
          g_assert_cmpuint (downs->len, ==, G_N_ELEMENTS (want_downs));
          for (guint i = 0; i < ups->len; i++)
            g_assert_cmpstr (ups->pdata[i], ==, want_ups[i]);
          for (guint i = 0; i < downs->len; i++)
            g_assert_cmpstr (downs->pdata[i], ==, want_downs[i]);
        }
      ref = reference_trades (wish, b->n);
      g_test_message ("sma_cross(%d, %d): %u trades", pairs[k].fast, pairs[k].slow, ref->len);
      check_same_trades (b, r, ref);
      if (k == 0)
        {
          g_assert_cmpuint (r->trades->len, ==, 4);
          g_assert_cmpfloat (trade (r, 0)->entry_price, ==, 3839.24);
          g_assert_cmpfloat (trade (r, 0)->exit_price, ==, 3711.46);
          g_assert_cmpfloat (trade (r, 3)->entry_price, ==, 4121.01);
          g_assert_cmpfloat (trade (r, 3)->exit_price, ==, 4119.94);
        }
    }
}

/* Wilder's RSI written out: the first average gain / loss is the mean of the first @n changes,
 * then avg = (avg × (n − 1) + change) / n; RSI = 100 − 100 / (1 + gain / loss), 100 when the
 * loss is 0, 50 when both are. NAN for bars 0 … n − 1. */
static double *
naive_rsi (const double *c,
           size_t        len,
           int           n)
{
  double *out = g_new (double, len);
  double g = 0, l = 0;

  for (size_t i = 0; i < len; i++)
    out[i] = NAN;
  if (len <= (size_t) n)
    return out;
  for (size_t i = 1; i <= (size_t) n; i++)
    {
      double d = c[i] - c[i - 1];

      g += d > 0 ? d : 0;
      l += d < 0 ? -d : 0;
    }
  g /= n;
  l /= n;
  for (size_t i = (size_t) n; i < len; i++)
    {
      if (i > (size_t) n)
        {
          double d = c[i] - c[i - 1];

          g = (g * (n - 1) + (d > 0 ? d : 0)) / n;
          l = (l * (n - 1) + (d < 0 ? -d : 0)) / n;
        }
      out[i] = l == 0 ? (g == 0 ? 50 : 100) : 100 - 100 / (1 + g / l);
    }
  return out;
}

/* rsi_reversion on 2006-day-001.txt, long only:
 *   (14, 30, 70): the RSI first dips under 30 on 2006-05-17 (27.45): bought 2006-05-18 at
 *     3607.41, sold when it tops 70, on 2006-10-11 at 3956.15: one trade
 *   (14, 40, 60): 2006-01-25 → 01-30, 05-15 → 07-05, 07-19 → 07-31, 11-28 → 12-14 */
static void
test_rsi_reference (void)
{
  g_autoptr(HsBars) b = load_daily ("2006-day-001.txt");
  const struct
  {
    int    period;
    double lower, upper;
    guint  n_trades;
  } cases[] = { { 14, 30, 70, 1 }, { 14, 40, 60, 4 }, { 7, 35, 65, 0 }, { 21, 45, 55, 0 } };

  for (size_t k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *pa = g_strdup_printf ("period=%d", cases[k].period);
      g_autofree char *la = g_strdup_printf ("lower=%g", cases[k].lower);
      g_autofree char *ua = g_strdup_printf ("upper=%g", cases[k].upper);
      g_autoptr(HsStrategyParams) p = params_for ("rsi_reversion", pa, la, ua, NULL);
      g_autoptr(HsBtSignals) s = signals_of (p, b);
      g_autoptr(HsBtResult) r = engine (b, s);
      g_autofree double *rsi = naive_rsi (b->close, b->n, cases[k].period);
      g_autofree int *wish = g_new0 (int, b->n);
      g_autoptr(GArray) ref = NULL;

      for (size_t i = 0; i < b->n; i++)
        wish[i] = isnan (rsi[i]) ? 0 : rsi[i] < cases[k].lower ? 1
                  : rsi[i] > cases[k].upper ? -1 : 0;
      ref = reference_trades (wish, b->n);
      g_test_message ("rsi_reversion(%d, %g, %g): %u trades", cases[k].period, cases[k].lower,
                      cases[k].upper, ref->len);
      check_same_trades (b, r, ref);
      if (cases[k].n_trades > 0)
        g_assert_cmpuint (r->trades->len, ==, cases[k].n_trades);
      if (k == 0)
        {
          g_autofree char *d0 = date_of (trade (r, 0)->entry_ts);
          g_autofree char *d1 = date_of (trade (r, 0)->exit_ts);

          g_assert_cmpstr (d0, ==, "2006-05-18");
          g_assert_cmpstr (d1, ==, "2006-10-11");
          g_assert_cmpfloat (trade (r, 0)->entry_price, ==, 3607.41);
          g_assert_cmpfloat (trade (r, 0)->exit_price, ==, 3956.15);
        }
    }
}

/* ---- rule sets ---- */

static HsRuleSet *
rules_new (const char *entry,
           const char *exit,
           int         side)
{
  HsRuleSet *r = hs_rule_set_new ();

  r->name = g_strdup ("test");
  r->entry = g_strdup (entry);
  r->exit = g_strdup (exit);
  r->side = side;
  return r;
}

static HsBtSignals *
rule_signals (const HsRuleSet *rules,
              const HsBars    *b)
{
  g_autoptr(GError) error = NULL;
  HsStrategyInput in = { .bars = b, .session = HS_SESSION_ALWAYS };
  HsBtSignals *s = hs_rule_set_run (rules, &in, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

static void
check_equal_results (const HsBtResult *a,
                     const HsBtResult *b)
{
  g_assert_cmpuint (a->trades->len, ==, b->trades->len);
  for (guint i = 0; i < a->trades->len; i++)
    {
      const HsBtTrade *x = trade (a, i), *y = trade (b, i);

      g_assert_cmpint (x->entry_ts, ==, y->entry_ts);
      g_assert_cmpint (x->exit_ts, ==, y->exit_ts);
      g_assert_cmpint (x->side, ==, y->side);
      g_assert_cmpfloat (x->entry_price, ==, y->entry_price);
      g_assert_cmpfloat (x->exit_price, ==, y->exit_price);
      g_assert_cmpfloat (x->pnl, ==, y->pnl);
    }
  for (size_t i = 0; i < a->n; i++)
    g_assert_cmpfloat (a->equity[i], ==, b->equity[i]);
}

/* A rule set equal to sma_cross(10, 30) trades the same as the built-in: vectorized, and bar by
 * bar when its rules read the position. Short: the mirror image with side short. */
static void
test_rule_set_equals_sma_cross (void)
{
  g_autoptr(HsBars) b = load_daily ("2006-day-001.txt");
  g_autoptr(HsStrategyParams) p = params_for ("sma_cross", NULL);
  g_autoptr(HsBtSignals) builtin = signals_of (p, b);
  g_autoptr(HsBtResult) want = engine (b, builtin);
  g_autoptr(HsRuleSet) vec = rules_new ("crosses_above(sma(close, 10), sma(close, 30))",
                                        "crosses_below(sma(close, 10), sma(close, 30))", 1);
  g_autoptr(HsRuleSet) state = rules_new (
    "crosses_above(sma(close, 10), sma(close, 30)) and position == 0",
    "crosses_below(sma(close, 10), sma(close, 30)) and bars_held >= 1 and position > 0", 1);
  g_autoptr(HsBtSignals) sv = rule_signals (vec, b);
  g_autoptr(HsBtSignals) ss = rule_signals (state, b);
  g_autoptr(HsBtResult) rv = engine (b, sv);
  g_autoptr(HsBtResult) rs = engine (b, ss);

  g_assert_null (sv->decide);
  g_assert_nonnull (ss->decide);
  check_equal_results (want, rv);
  check_equal_results (want, rs);
  g_assert_cmpuint (want->trades->len, ==, 4);
  /* The rule set's metadata goes with each trade. */
  g_assert_cmpstr (trade (rv, 0)->signal_json, ==,
                   "{\"entry\":{\"rule_set\":\"test\",\"rule\":\"entry\",\"expr\":"
                   "\"crosses_above(sma(close, 10), sma(close, 30))\"},"
                   "\"exit\":{\"rule_set\":\"test\",\"rule\":\"exit\",\"expr\":"
                   "\"crosses_below(sma(close, 10), sma(close, 30))\"}}");

  /* Short: sma_cross short_only against the mirrored rule set. */
  {
    g_autoptr(HsStrategyParams) ps = params_for ("sma_cross", "direction=short_only", NULL);
    g_autoptr(HsBtSignals) bs = signals_of (ps, b);
    g_autoptr(HsBtResult) ws = engine (b, bs);
    g_autoptr(HsRuleSet) short_rules = rules_new (
      "crosses_below(sma(close, 10), sma(close, 30))",
      "crosses_above(sma(close, 10), sma(close, 30)) or unrealized_pct < -50", -1);
    g_autoptr(HsBtSignals) rss = rule_signals (short_rules, b);
    g_autoptr(HsBtResult) got = engine (b, rss);

    check_equal_results (ws, got);
    g_assert_cmpint (trade (got, 0)->side, ==, -1);
  }
}

/* Position state on the five bars of test-backtest.c (opens 100 102 104 106 101, closes 100 104
 * 107 101 102): entry "close > 0" (always), exit "unrealized_pct > 3":
 *   bar 0: flat, enter → bought at bar 1's open 102
 *   bar 1 close 104: +1.96 % — hold; bar 2 close 107: +4.90 % → exit → sold at bar 3's open 106
 *   bar 3: flat again, enter → bought at bar 4's open 101, open at the end (close 102)
 * With "time_stop_bars": 1 in the rule set instead, each position lasts one bar:
 *   102 → 104 (bar 2's open), 106 → 101 (bar 4's open). */
static void
test_rule_set_state (void)
{
  const double rows[][4] = {
    { 100, 101, 99, 100 }, { 102, 105, 101, 104 }, { 104, 108, 103, 107 },
    { 106, 107, 100, 101 }, { 101, 103, 100, 102 },
  };
  g_autoptr(HsBars) b = hs_bars_new (5, 86400);
  g_autoptr(HsRuleSet) rules = rules_new ("close > 0", "unrealized_pct > 3", 1);
  g_autoptr(HsBtSignals) s = NULL;
  g_autoptr(HsBtResult) r = NULL;

  for (size_t i = 0; i < 5; i++)
    {
      b->ts[i] = T0 + (int64_t) i * 86400000000;
      b->open[i] = rows[i][0];
      b->high[i] = rows[i][1];
      b->low[i] = rows[i][2];
      b->close[i] = rows[i][3];
      b->vwap[i] = NAN;
    }
  s = rule_signals (rules, b);
  r = engine (b, s);
  g_assert_cmpuint (r->trades->len, ==, 2);
  g_assert_cmpfloat (trade (r, 0)->entry_price, ==, 102);
  g_assert_cmpfloat (trade (r, 0)->exit_price, ==, 106);
  g_assert_cmpint (trade (r, 0)->exit_reason, ==, HS_EXIT_SIGNAL);
  g_assert_cmpfloat (trade (r, 1)->entry_price, ==, 101);
  g_assert_cmpint (trade (r, 1)->exit_reason, ==, HS_EXIT_END_OF_DATA);

  {
    g_autoptr(HsRuleSet) ts = rules_new ("close > 0", "close < 0", 1);
    g_autoptr(HsBtSignals) s2 = NULL;
    g_autoptr(HsBtResult) r2 = NULL;

    ts->time_stop_bars = 1;
    s2 = rule_signals (ts, b);
    g_assert_cmpint (s2->time_stop_bars, ==, 1);
    r2 = engine (b, s2);
    g_assert_cmpuint (r2->trades->len, ==, 2);
    g_assert_cmpfloat (trade (r2, 0)->exit_price, ==, 104);
    g_assert_cmpint (trade (r2, 0)->exit_reason, ==, HS_EXIT_TIME_STOP);
    g_assert_cmpfloat (trade (r2, 1)->entry_price, ==, 106);
    g_assert_cmpfloat (trade (r2, 1)->exit_price, ==, 101);
  }
}

static void
test_rule_set_errors (void)
{
  g_autoptr(HsBars) b = load_daily ("2006-day-001.txt");
  HsStrategyInput in = { .bars = b, .session = HS_SESSION_ALWAYS };
  const struct
  {
    const char *entry, *exit;
    double      stop;
    int         strategy_error;   /* else HS_EXPR_ERROR */
    int         code;
    const char *message;
  } cases[] = {
    { "sma(close, ", "close > 1", NAN, 0, HS_EXPR_ERROR_SYNTAX,
      "entry: column 12: expected an expression, found end of input" },
    { "close > 1", "foo(close)", NAN, 0, HS_EXPR_ERROR_UNKNOWN,
      "exit: column 1: unknown function “foo”" },
    { "sma(position, 3) > 0", "close > 1", NAN, 0, HS_EXPR_ERROR_CONTEXT,
      "entry: column 5: sma: position state (position, bars_held, entry_price, unrealized_pct) "
      "cannot be a function's argument; compare it outside the call" },
    { "close > 1", NULL, NAN, 1, HS_STRATEGY_ERROR_RULE_SET,
      "a rule set needs an entry and an exit expression" },
    { "close > 1", "close < 1", 150, 1, HS_STRATEGY_ERROR_RULE_SET,
      "stop_loss_pct must be a percentage above 0 and below 100" },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(HsRuleSet) r = rules_new (cases[k].entry, cases[k].exit, 1);
      g_autoptr(GError) error = NULL;
      GQuark domain;

      r->stop_loss_pct = cases[k].stop;
      g_assert_null (hs_rule_set_run (r, &in, &error));
      domain = cases[k].strategy_error ? HS_STRATEGY_ERROR : HS_EXPR_ERROR;
      g_assert_error (error, domain, cases[k].code);
      g_assert_cmpstr (error->message, ==, cases[k].message);
    }
  /* Canonical JSON for the cache key. */
  {
    g_autoptr(HsRuleSet) r = rules_new ("crosses_above(sma(close,10),sma(close,30))",
                                        "close<1", -1);
    g_autofree char *json = NULL;

    r->stop_loss_pct = 2;
    r->time_stop_bars = 10;
    json = hs_rule_set_to_json (r);
    g_assert_cmpstr (json, ==, "{\"name\":\"test\",\"side\":\"short\",\"entry\":"
                               "\"crosses_above(sma(close, 10), sma(close, 30))\",\"exit\":"
                               "\"close < 1\",\"stop_loss_pct\":2,\"time_stop_bars\":10}");
  }
}

/* Rule sets from JSON (src/fetch/hs-rules-json.c): the documented format, strictly. */
static void
test_rule_set_json (void)
{
  const struct
  {
    const char *json;
    const char *error;   /* NULL: parses */
  } cases[] = {
    { "{\"name\": \"x\", \"side\": \"long\", \"entry\": \"close > 1\", \"exit\": \"close < 1\"}",
      NULL },
    { "{\"name\": \"x\", \"side\": \"short\", \"entry\": \"close > 1\", \"exit\": \"close < 1\","
      " \"stop_loss_pct\": 2, \"take_profit_pct\": 4.5, \"time_stop_bars\": 10,"
      " \"sizing\": \"risk:1\"}", NULL },
    { "{\"name\": \"x\", \"side\": \"long\", \"entry\": \"close > 1\", \"exit\": \"close < 1\","
      " \"stop_los_pct\": 2}",
      "unknown member \"stop_los_pct\"; a rule set has name, side, entry, exit, stop_loss_pct, "
      "take_profit_pct, time_stop_bars and sizing" },
    { "{\"name\": \"x\", \"side\": \"up\", \"entry\": \"1\", \"exit\": \"1\"}",
      "side must be \"long\" or \"short\", not \"up\"" },
    { "{\"name\": \"x\", \"entry\": \"1\", \"exit\": \"1\"}",
      "a rule set needs a \"side\": \"long\" or \"short\"" },
    { "{\"name\": \"x\", \"side\": \"long\", \"entry\": \"1\"}",
      "a rule set needs \"entry\" and \"exit\" expressions" },
    { "{\"name\": \"x\", \"side\": \"long\", \"entry\": 1, \"exit\": \"1\"}",
      "entry must be a string" },
    { "{\"name\": \"x\", \"side\": \"long\", \"entry\": \"1\", \"exit\": \"1\","
      " \"time_stop_bars\": 2.5}", "time_stop_bars must be a whole number of bars ≥ 0" },
    { "{\"name\": \"x\", \"side\": \"long\", \"entry\": \"1\", \"exit\": \"1\","
      " \"stop_loss_pct\": \"2\"}", "stop_loss_pct must be a number" },
    { "{\"name\": \"x\", \"side\": \"long\", \"entry\": \"close >\", \"exit\": \"1\"}",
      "entry: column 8: expected an expression, found end of input" },
    { "[1, 2]", "a rule set is a JSON object" },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsRuleSet) r = hs_rule_set_from_json (cases[k].json, -1, &error);

      if (cases[k].error == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (r);
        }
      else
        {
          g_assert_null (r);
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, ==, cases[k].error);
        }
      if (k == 1)
        {
          g_autofree char *json = hs_rule_set_to_json (r);

          g_assert_cmpint (r->side, ==, -1);
          g_assert_cmpfloat (r->stop_loss_pct, ==, 2);
          g_assert_cmpfloat (r->take_profit_pct, ==, 4.5);
          g_assert_cmpint (r->time_stop_bars, ==, 10);
          g_assert_cmpstr (r->sizing, ==, "risk:1");
          g_assert_cmpstr (json, ==, "{\"name\":\"x\",\"side\":\"short\",\"entry\":\"close > 1\","
                                     "\"exit\":\"close < 1\",\"stop_loss_pct\":2,"
                                     "\"take_profit_pct\":4.5,\"time_stop_bars\":10,"
                                     "\"sizing\":\"risk:1\"}");
        }
    }
  /* Not JSON at all: json-glib's error. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (hs_rule_set_from_json ("{", -1, &error));
    g_assert_nonnull (error);
  }
}

/* ---- the seeds' strategies ---- */

/* market_structure with pivot_bars 1 on ten bars (high, low, close; each open is the previous
 * close):
 *   bar  0  1    2  3  4    5     6     7    8  9
 *   high 10 12   11 10 11   13    12.5  11   8  9
 *   low  9  9.5  9  8  9    10.5  10    7    6  7
 *   close 9.5 11 10 9  10.5 12.5  11    7.5  7  8.5
 * Pivot highs (above the bar before, not below the bar after): bar 1 (12), known at bar 2; bar 5
 * (13), known at bar 6. Pivot lows: bar 3 (8), known at bar 4; bar 8 (6), known at bar 9.
 * Breaks of structure: bar 5 closes 12.5 above the swing high 12 (bullish), bar 7 closes 7.5
 * under the swing low 8 (bearish). Counters: 2 pivot highs, 2 pivot lows, 2 BOS.
 * long_short: long at bar 6's open 12.5, reversed at bar 8's open 7.5 (one flip), the short runs
 * to the end (close 8.5): P&L −5 and −1 for one unit. long_only: the bearish break sells (one
 * liquidation, no flip).
 * The same bars as 5-minute bars of 1-minute data (each 5m bar five 1m bars) with
 * lower_timeframe=5m give the same counters, and each signal at the last minute of its 5m bar. */
static void
test_market_structure (void)
{
  const double hi[] = { 10, 12, 11, 10, 11, 13, 12.5, 11, 8, 9 };
  const double lo[] = { 9, 9.5, 9, 8, 9, 10.5, 10, 7, 6, 7 };
  const double cl[] = { 9.5, 11, 10, 9, 10.5, 12.5, 11, 7.5, 7, 8.5 };
  g_autoptr(HsBars) b = hs_bars_new (10, 86400);
  g_autoptr(HsBars) m = hs_bars_new (50, 60);

  for (size_t i = 0; i < 10; i++)
    {
      b->ts[i] = T0 + (int64_t) i * 86400000000;
      b->open[i] = i ? cl[i - 1] : 9.5;
      b->high[i] = hi[i];
      b->low[i] = lo[i];
      b->close[i] = cl[i];
      b->volume[i] = 100;
      b->vwap[i] = NAN;
      /* Minute bars: open, then the high, the low, and the close on the last minute. */
      for (size_t k = 0; k < 5; k++)
        {
          size_t j = i * 5 + k;
          double px = k == 0 ? b->open[i] : k == 1 ? hi[i] : k == 2 ? lo[i] : k == 3
                      ? (hi[i] + lo[i]) / 2 : cl[i];

          m->ts[j] = T0 + (int64_t) j * MINUTE;
          m->open[j] = m->close[j] = m->high[j] = m->low[j] = px;
          m->volume[j] = 20;
          m->vwap[j] = NAN;
        }
    }
  {
    g_autoptr(HsStrategyParams) p = params_for ("market_structure", "pivot_bars=1", NULL);
    g_autoptr(HsBtSignals) s = signals_of (p, b);
    g_autoptr(HsBtResult) r = engine (b, s);

    g_assert_cmpint (s->signal[5], ==, HS_SIGNAL_ENTER_LONG | HS_SIGNAL_EXIT_SHORT);
    g_assert_cmpint (s->signal[7], ==, HS_SIGNAL_ENTER_SHORT | HS_SIGNAL_EXIT_LONG);
    for (size_t i = 0; i < 10; i++)
      if (i != 5 && i != 7)
        g_assert_cmpint (s->signal[i], ==, 0);
    g_assert_cmpint (r->pivot_highs_detected, ==, 2);
    g_assert_cmpint (r->pivot_lows_detected, ==, 2);
    g_assert_cmpint (r->bos_signals_generated, ==, 2);
    g_assert_cmpint (r->position_flips, ==, 1);
    g_assert_cmpint (r->liquidation_events, ==, 0);
    g_assert_cmpuint (r->trades->len, ==, 2);
    g_assert_cmpfloat (trade (r, 0)->entry_price, ==, 12.5);
    g_assert_cmpfloat (trade (r, 0)->exit_price, ==, 7.5);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl, -5, EPS);
    g_assert_cmpint (trade (r, 1)->side, ==, -1);
    g_assert_cmpfloat_with_epsilon (trade (r, 1)->pnl, -1, EPS);
    g_assert_cmpstr (trade (r, 0)->signal_json, ==,
                     "{\"entry\":{\"event\":\"bos\",\"direction\":\"bullish\",\"level\":12,"
                     "\"pivot_bars\":1},\"exit\":{\"event\":\"bos\",\"direction\":\"bearish\","
                     "\"level\":8,\"pivot_bars\":1}}");
  }
  {
    g_autoptr(HsStrategyParams) p = params_for ("market_structure", "pivot_bars=1",
                                                "direction=long_only", NULL);
    g_autoptr(HsBtSignals) s = signals_of (p, b);
    g_autoptr(HsBtResult) r = engine (b, s);

    g_assert_cmpuint (r->trades->len, ==, 1);
    g_assert_cmpint (r->position_flips, ==, 0);
    g_assert_cmpint (r->liquidation_events, ==, 1);
  }
  {
    g_autoptr(HsStrategyParams) p = params_for ("market_structure", "pivot_bars=1",
                                                "lower_timeframe=5m", NULL);
    g_autoptr(HsBtSignals) s = signals_of (p, m);

    g_assert_cmpint (s->pivot_highs_detected, ==, 2);
    g_assert_cmpint (s->pivot_lows_detected, ==, 2);
    g_assert_cmpint (s->bos_signals_generated, ==, 2);
    for (size_t j = 0; j < 50; j++)
      g_assert_cmpint (s->signal[j], ==, j == 29 ? (HS_SIGNAL_ENTER_LONG | HS_SIGNAL_EXIT_SHORT)
                                         : j == 39 ? (HS_SIGNAL_ENTER_SHORT
                                                      | HS_SIGNAL_EXIT_LONG) : 0);
  }
  /* lower_timeframe shorter than the bars is an error. */
  {
    g_autoptr(HsStrategyParams) p = params_for ("market_structure", "lower_timeframe=1m", NULL);
    g_autoptr(GError) error = NULL;
    HsStrategyInput in = { .bars = b, .session = HS_SESSION_ALWAYS };

    g_assert_null (hs_strategy_run (p, &in, &error));
    g_assert_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_DATA);
  }
}

/* cvd_imbalance with lookback 2, ema_period 2, on seven bars of volume 100 (each open the
 * previous close) with cvd and order-book imbalance given:
 *   close   10  10  10  11   12   11   11
 *   cvd      0   0   0 150  300  100  100
 *   imb %    0   0   0  50 −100 −100    0
 * EMA(2) (α = 2/3, seeded with the mean of the first two closes): 10, 10, 10.6667, 11.5556,
 * 11.1852, 11.0617 from bar 1.
 * score = 50 × clamp(2 × Δcvd / Σvolume, ±1) + 30 × sign(close − EMA) + 20 × imbalance:
 *   bar 2: Δ 0 → 0 + 0 + 0 = 0: NEUTRAL
 *   bar 3: Δ 150 / 200 → 2 × 0.75 = 1.5 → 1: 50 + 30 + 10 = 90: STRONG_BUY, confidence 90
 *   bar 4: Δ 300 / 200 → 1: 50 + 30 − 20 = 60: STRONG_BUY again (no new note)
 *   bar 5: Δ −50 / 200 → −0.5: −25 − 30 − 20 = −75: STRONG_SELL, confidence 75
 *   bar 6: Δ −200 / 200 → −1: −50 − 30 + 0 = −80: STRONG_SELL again
 * Long only: bought at bar 4's open 11, sold at bar 6's open 11. */
static void
test_cvd_imbalance (void)
{
  const double cl[] = { 10, 10, 10, 11, 12, 11, 11 };
  const double cvd[] = { 0, 0, 0, 150, 300, 100, 100 };
  const double imb[] = { 0, 0, 0, 50, -100, -100, 0 };
  g_autoptr(HsBars) b = hs_bars_new (7, 60);
  g_autoptr(HsStrategyParams) p = params_for ("cvd_imbalance", "lookback=2", "ema_period=2",
                                              NULL);
  g_autoptr(HsBtSignals) s = NULL;
  g_autoptr(HsBtResult) r = NULL;
  g_autoptr(GError) error = NULL;
  HsStrategyInput in = { .bars = b, .session = HS_SESSION_ALWAYS, .cvd = cvd,
                         .book_imbalance = imb };

  for (size_t i = 0; i < 7; i++)
    {
      b->ts[i] = T0 + (int64_t) i * MINUTE;
      b->open[i] = i ? cl[i - 1] : cl[0];
      b->close[i] = cl[i];
      b->high[i] = MAX (b->open[i], cl[i]);
      b->low[i] = MIN (b->open[i], cl[i]);
      b->volume[i] = 100;
      b->vwap[i] = NAN;
    }
  s = hs_strategy_run (p, &in, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->signal[2], ==, 0);
  g_assert_cmpint (s->signal[3], ==, HS_SIGNAL_ENTER_LONG);
  g_assert_cmpint (s->signal[4], ==, HS_SIGNAL_ENTER_LONG);
  g_assert_cmpint (s->signal[5], ==, HS_SIGNAL_EXIT_LONG);
  g_assert_cmpint (s->signal[6], ==, HS_SIGNAL_EXIT_LONG);
  g_assert_cmpuint (s->notes->len, ==, 2);
  g_assert_cmpuint (g_array_index (s->notes, HsBtNote, 0).bar, ==, 3);
  g_assert_cmpstr (g_array_index (s->notes, HsBtNote, 0).json, ==,
                   "{\"signal\":\"STRONG_BUY\",\"confidence\":90,\"score\":90,\"price\":11,"
                   "\"cvd_change\":150,\"orderbook_imbalance\":50,\"reasons\":["
                   "\"CVD rising: net buying 75% of the volume over 2 bars\","
                   "\"price above its EMA(2)\","
                   "\"order book bid-heavy: imbalance +50%\"],\"warnings\":[]}");
  g_assert_cmpuint (g_array_index (s->notes, HsBtNote, 1).bar, ==, 5);
  g_assert_cmpstr (g_array_index (s->notes, HsBtNote, 1).json, ==,
                   "{\"signal\":\"STRONG_SELL\",\"confidence\":75,\"score\":-75,\"price\":11,"
                   "\"cvd_change\":-50,\"orderbook_imbalance\":-100,\"reasons\":["
                   "\"CVD falling: net selling 25% of the volume over 2 bars\","
                   "\"price below its EMA(2)\","
                   "\"order book ask-heavy: imbalance -100%\"],\"warnings\":[]}");
  r = engine (b, s);
  g_assert_cmpuint (r->trades->len, ==, 1);
  g_assert_cmpint (r->trades->len ? trade (r, 0)->entry_ts : 0, ==, b->ts[4]);
  g_assert_cmpint (trade (r, 0)->exit_ts, ==, b->ts[6]);
  g_assert_nonnull (strstr (trade (r, 0)->signal_json, "\"entry\":{\"signal\":\"STRONG_BUY\""));
  g_assert_nonnull (strstr (trade (r, 0)->signal_json, "\"exit\":{\"signal\":\"STRONG_SELL\""));

  /* Without trades and book: CVD is estimated, and the signals say so. */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (4);
    g_autoptr(HsBars) rb = random_bars (rand, 2000);
    g_autoptr(HsStrategyParams) pa = params_for ("cvd_imbalance", "min_signal=any", NULL);
    g_autoptr(HsBtSignals) sa = signals_of (pa, rb);

    g_assert_nonnull (sa->notes);
    g_assert_cmpuint (sa->notes->len, >, 0);
    for (guint i = 0; i < sa->notes->len; i++)
      {
        const char *json = g_array_index (sa->notes, HsBtNote, i).json;

        g_assert_nonnull (strstr (json, "CVD estimated from bar ranges: no trades"));
        g_assert_nonnull (strstr (json, "no order-book data"));
        g_assert_nonnull (strstr (json, "\"confidence\":"));
      }
  }
}

/* price_spike(threshold 0.05, lookback 1, hold_bars 2, follow, long_short) on yes prices
 *   0.50 0.51 0.57 0.58 0.52 0.52 0.53 (each open the previous close), snapshots 101 … 107:
 *   bar 2: +0.06, an up-spike → buy yes at bar 3's open 0.57 (snapshot 104)
 *   bar 4: −0.06, a down-spike → reverse at bar 5's open 0.52 (snapshot 106); the time stop
 *     (2 bars held at bar 4's close) gives way to the reversal
 *   the short runs to the end: 0.52 → 0.53
 * 100 contracts: P&L 100 × (0.52 − 0.57) = −5, then 100 × (0.52 − 0.53) = −1. */
static void
test_price_spike (void)
{
  const double yes[] = { 0.50, 0.51, 0.57, 0.58, 0.52, 0.52, 0.53 };
  const int64_t snap[] = { 101, 102, 103, 104, 105, 106, 107 };
  g_autoptr(HsBars) b = hs_bars_new (7, 60);
  g_autoptr(HsStrategyParams) p = params_for ("price_spike", "hold_bars=2", NULL);
  g_autoptr(HsBtSignals) s = NULL;
  g_autoptr(HsBtResult) r = NULL;
  g_autoptr(GError) error = NULL;
  HsBtInput in = { .bars = b, .snapshot_id = snap };
  HsBtConfig c;

  for (size_t i = 0; i < 7; i++)
    {
      b->ts[i] = T0 + (int64_t) i * MINUTE;
      b->open[i] = i ? yes[i - 1] : yes[0];
      b->close[i] = yes[i];
      b->high[i] = MAX (b->open[i], yes[i]);
      b->low[i] = MIN (b->open[i], yes[i]);
      b->volume[i] = 10;
      b->vwap[i] = NAN;
    }
  s = signals_of (p, b);
  hs_bt_config_init (&c);
  c.sizing.kind = HS_SIZE_FIXED_QTY;
  c.sizing.value = 100;
  r = hs_backtest_run (&in, s, &c, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->trades->len, ==, 2);
  g_assert_cmpint (trade (r, 0)->exit_reason, ==, HS_EXIT_REVERSAL);
  g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl, -5, 1e-9);
  g_assert_cmpfloat_with_epsilon (trade (r, 1)->pnl, -1, 1e-9);
  g_assert_cmpint (trade (r, 0)->entry_snapshot_id, ==, 104);
  g_assert_cmpint (trade (r, 0)->exit_snapshot_id, ==, 106);
  g_assert_cmpint (trade (r, 1)->entry_snapshot_id, ==, 106);
  g_assert_cmpstr (trade (r, 0)->signal_json, ==,
                   "{\"entry\":{\"reason\":\"price_spike\",\"threshold\":0.05,\"change\":0.06,"
                   "\"lookback\":1,\"yes_price\":0.57,\"mode\":\"follow\"},"
                   "\"exit\":{\"reason\":\"price_spike\",\"threshold\":0.05,\"change\":-0.06,"
                   "\"lookback\":1,\"yes_price\":0.52,\"mode\":\"follow\"},"
                   "\"entry_snapshot_id\":104,\"exit_snapshot_id\":106}");
}

/* vwap_scalp on random minute bars, against VWAP, session high and low recomputed here from
 * scratch: every entry's recorded features are the bar's, and its conditions hold. */
static void
test_vwap_scalp (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(HsBars) b = random_bars (rand, 6000);
  g_autoptr(HsStrategyParams) p = params_for ("vwap_scalp", "min_rvol=1", "direction=long_short",
                                              NULL);
  g_autoptr(HsBtSignals) s = signals_of (p, b);
  guint longs = 0, shorts = 0;

  g_assert_nonnull (s->notes);
  g_assert_cmpint (s->time_stop_bars, ==, 30);
  for (guint k = 0; k < s->notes->len; k++)
    {
      const HsBtNote *note = &g_array_index (s->notes, HsBtNote, k);
      size_t i = note->bar, start = i;
      double pv = 0, v = 0, hod = -INFINITY, lod = INFINITY, vwap;
      g_autofree char *want_vwap = NULL, *want_hod = NULL;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* The session is the UTC day. */
      while (start > 0 && b->ts[start - 1] / 86400000000 == b->ts[i] / 86400000000)
        start--;
      for (size_t j = start; j <= i; j++)
        {
          double tp = (b->high[j] + b->low[j] + b->close[j]) / 3;

          pv += tp * b->volume[j];
          v += b->volume[j];
          hod = MAX (hod, b->high[j]);
          lod = MIN (lod, b->low[j]);
        }
      vwap = pv / v;
      g_assert_true (s->signal[i] & (HS_SIGNAL_ENTER_LONG | HS_SIGNAL_ENTER_SHORT));
      if (s->signal[i] & HS_SIGNAL_ENTER_LONG)
        {
          longs++;
          g_assert_cmpfloat (b->low[i], <=, vwap * (1 + 1e-12));
          g_assert_cmpfloat (b->close[i], >, vwap * (1 - 1e-12));
          g_assert_true (g_str_has_prefix (note->json, "{\"setup\":\"vwap_reclaim_long\""));
        }
      else
        {
          shorts++;
          g_assert_cmpfloat (b->high[i], >=, vwap * (1 - 1e-12));
          g_assert_cmpfloat (b->close[i], <, vwap * (1 + 1e-12));
        }
      want_hod = g_strdup_printf ("\"hod\":%s", g_ascii_formatd (buf, sizeof buf, "%.12g", hod));
      g_assert_nonnull (strstr (note->json, want_hod));
      {
        const char *at = strstr (note->json, "\"vwap\":");

        g_assert_nonnull (at);
        g_assert_cmpfloat_with_epsilon (g_ascii_strtod (at + 7, NULL), vwap, 1e-9 * vwap);
      }
      g_assert_true (isnan (s->stop_price[i]) || (s->signal[i] & HS_SIGNAL_ENTER_LONG
                                                  ? s->stop_price[i] < b->close[i]
                                                  : s->stop_price[i] > b->close[i]));
    }
  g_test_message ("vwap_scalp: %u long and %u short setups", longs, shorts);
  g_assert_cmpuint (longs, >, 0);
  g_assert_cmpuint (shorts, >, 0);
}

/* ---- no look-ahead, every strategy ---- */

static void
check_prefix_equal (const HsBtSignals *a,
                    const HsBtSignals *b,
                    size_t             cut)
{
  for (size_t i = 0; i <= cut; i++)
    {
      g_assert_cmpint (a->signal[i], ==, b->signal[i]);
      if (a->stop_price != NULL)
        g_assert_true (a->stop_price[i] == b->stop_price[i]
                       || (isnan (a->stop_price[i]) && isnan (b->stop_price[i])));
      if (a->target_price != NULL)
        g_assert_true (a->target_price[i] == b->target_price[i]
                       || (isnan (a->target_price[i]) && isnan (b->target_price[i])));
    }
  for (guint k = 0; a->notes != NULL && k < a->notes->len; k++)
    {
      const HsBtNote *x = &g_array_index (a->notes, HsBtNote, k);
      const HsBtNote *y;

      if (x->bar > cut)
        break;
      g_assert_nonnull (b->notes);
      g_assert_cmpuint (b->notes->len, >, k);
      y = &g_array_index (b->notes, HsBtNote, k);
      g_assert_cmpuint (x->bar, ==, y->bar);
      g_assert_cmpstr (x->json, ==, y->json);
    }
  /* Bar by bar: the same answers for the same states. */
  if (a->decide != NULL)
    for (size_t i = 0; i <= cut; i++)
      for (int side = -1; side <= 1; side++)
        {
          HsBtState st = { side, side ? 3 : 0, side ? 100 : NAN, side ? 1.5 * side : NAN, 1e4 };

          g_assert_cmpuint (a->decide (a->decide_data, i, &st), ==,
                            b->decide (b->decide_data, i, &st));
        }
}

/* Changing the bars after i (prices, volumes) never changes a decision at a bar ≤ i, for every
 * built-in strategy with its defaults and a few variants, and for rule sets. */
static void
test_no_look_ahead (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  const char *variants[][3] = {
    { "sma_cross", "fast=3", "slow=8" },
    { "rsi_reversion", "period=5", "direction=long_short" },
    { "bollinger_breakout", "period=10", "direction=long_short" },
    { "macd_signal", "fast=5", "slow=13" },
    { "buy_and_hold", NULL, NULL },
    { "market_structure", "pivot_bars=2", NULL },
    { "market_structure", "pivot_bars=2", "lower_timeframe=5m" },
    { "market_structure", "pivot_bars=1", "lower_timeframe=1h" },
    { "cvd_imbalance", "lookback=5", "min_signal=any" },
    { "vwap_scalp", "min_rvol=0.8", "direction=long_short" },
    { "price_spike", "threshold=0.5", "mode=fade" },
  };
  const char *rule_texts[][2] = {
    { "crosses_above(ema(close, 5), sma(close, 12))", "rsi(close, 7) > 60" },
    { "close > bb_upper(close, 10, 2, tf=5m)", "unrealized_pct < -1 or bars_held > 7" },
  };

  for (int round = 0; round < 6; round++)
    {
      size_t n = 900;
      g_autoptr(HsBars) b = random_bars (rand, n);

      for (int cut_k = 0; cut_k < 4; cut_k++)
        {
          size_t cut = (size_t) g_rand_int_range (rand, 0, (int) n - 1);
          g_autoptr(HsBars) b2 = hs_bars_slice (b, 0, n);

          for (size_t i = cut + 1; i < n; i++)
            {
              double f = g_rand_double_range (rand, 0.9, 1.1);

              b2->open[i] *= f;
              b2->high[i] *= f * 1.01;
              b2->low[i] *= f * 0.99;
              b2->close[i] *= f;
              b2->volume[i] *= g_rand_double_range (rand, 0.1, 10);
            }
          for (size_t v = 0; v < G_N_ELEMENTS (variants); v++)
            {
              g_autoptr(HsStrategyParams) p = params_for (variants[v][0], variants[v][1],
                                                          variants[v][2], NULL);
              g_autoptr(HsBtSignals) s1 = signals_of (p, b);
              g_autoptr(HsBtSignals) s2 = signals_of (p, b2);

              check_prefix_equal (s1, s2, cut);
            }
          for (size_t v = 0; v < G_N_ELEMENTS (rule_texts); v++)
            {
              g_autoptr(HsRuleSet) rules = rules_new (rule_texts[v][0], rule_texts[v][1], 1);
              g_autoptr(HsBtSignals) s1 = rule_signals (rules, b);
              g_autoptr(HsBtSignals) s2 = rule_signals (rules, b2);

              check_prefix_equal (s1, s2, cut);
            }
        }
    }
}

/* Every strategy with its defaults runs on real daily data and trades through the engine. */
static void
test_all_run (void)
{
  g_autoptr(HsBars) b = load_daily ("2006-day-001.txt");
  size_t n = 0;
  const HsStrategyInfo *all = hs_strategy_all (&n);

  for (size_t i = 0; i < n; i++)
    {
      g_autoptr(HsStrategyParams) p = hs_strategy_params_new (&all[i]);
      g_autoptr(HsBtSignals) s = NULL;
      g_autoptr(HsBtResult) r = NULL;
      g_autoptr(GError) error = NULL;
      HsStrategyInput in = { .bars = b, .interval = "1d", .session = HS_SESSION_US_EQUITY };

      if (g_str_equal (all[i].name, "price_spike"))
        g_assert_true (hs_strategy_params_set (p, "threshold", "0.9", NULL));
      s = hs_strategy_run (p, &in, &error);
      g_assert_no_error (error);
      r = engine (b, s);
      g_test_message ("%s: %u trades", all[i].name, r->trades->len);
      if (g_str_equal (all[i].name, "buy_and_hold"))
        {
          g_assert_cmpuint (r->trades->len, ==, 1);
          g_assert_cmpint (trade (r, 0)->entry_ts, ==, b->ts[1]);
        }
      if (g_str_equal (all[i].name, "market_structure"))
        {
          g_assert_cmpint (r->pivot_highs_detected, >, 0);
          g_assert_cmpint (r->bos_signals_generated, >, 0);
          g_assert_cmpint (r->position_flips, >=, 0);
        }
      else
        g_assert_cmpint (r->pivot_highs_detected, ==, -1);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/core/strategy/table", test_table);
  g_test_add_func ("/hs/core/strategy/params", test_params);
  g_test_add_func ("/hs/core/strategy/sma-cross-reference", test_sma_cross_reference);
  g_test_add_func ("/hs/core/strategy/rsi-reversion-reference", test_rsi_reference);
  g_test_add_func ("/hs/core/strategy/rule-set-equals-sma-cross", test_rule_set_equals_sma_cross);
  g_test_add_func ("/hs/core/strategy/rule-set-state", test_rule_set_state);
  g_test_add_func ("/hs/core/strategy/rule-set-errors", test_rule_set_errors);
  g_test_add_func ("/hs/fetch/rules-json", test_rule_set_json);
  g_test_add_func ("/hs/core/strategy/market-structure", test_market_structure);
  g_test_add_func ("/hs/core/strategy/cvd-imbalance", test_cvd_imbalance);
  g_test_add_func ("/hs/core/strategy/price-spike", test_price_spike);
  g_test_add_func ("/hs/core/strategy/vwap-scalp", test_vwap_scalp);
  g_test_add_func ("/hs/core/strategy/no-look-ahead", test_no_look_ahead);
  g_test_add_func ("/hs/core/strategy/all-run", test_all_run);
  return g_test_run ();
}
