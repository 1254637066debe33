/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built-in strategies and rule sets. A strategy turns bars into decisions for the engine
 * (hs-backtest.h): the vectorized ones compute their indicators once with the kernels of
 * hs-indicators.h and write a signal column; a rule set compiles its entry and exit expressions
 * (hs-eval.h), computing up front whatever does not read the position and deciding bar by bar
 * only what does. Every strategy is a row of one table, with its parameters (type, default,
 * range, step, help) for the GUI's form and the CLI, and a version for the cache key: bump the
 * version whenever a strategy's trades change. Definitions: docs/backtester.md.
 *
 * Each decision at bar i reads bars ≤ i only (tests/test-strategy.c changes the bars after i
 * and checks that nothing up to i moves). Expected load: one call per backtest, O(n) in the
 * bars; a sweep runs many.
 */
#define G_LOG_DOMAIN "hs-strategy"

#include "config.h"

#include "hs-strategy.h"

#include <glib/gi18n-lib.h>

#include "hs-eval.h"
#include "hs-expr.h"
#include "hs-indicators.h"
#include "hs-interval.h"
#include "hs-records.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (hs-strategy-error-quark, hs_strategy_error)

struct _HsStrategyParams
{
  const HsStrategyInfo *strategy;
  double               *number;   /* (owned) per parameter: INT and DOUBLE values */
  char                **text;     /* (owned) per parameter: ENUM and INTERVAL values */
};

/* ---- small helpers ---- */

static gboolean
truthy (double v)
{
  return !isnan (v) && v != 0;
}

static void
json_string (GString    *s,
             const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (s, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, (char) c);
    }
  g_string_append_c (s, '"');
}

/* A number as JSON, null when not finite. Notes and parameters hold computed values (a price
 * change, an indicator): 12 significant digits hide the round-off (0.57 − 0.51 is
 * 0.0599999999999999 to 15 digits) and keep more than any price has. */
static void
json_number (GString *s,
             double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      g_string_append (s, "null");
      return;
    }
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.12g", v));
}

/* "key":number, with a leading comma unless first. */
static void
json_member_number (GString    *s,
                    const char *key,
                    double      v)
{
  if (s->len > 1)
    g_string_append_c (s, ',');
  json_string (s, key);
  g_string_append_c (s, ':');
  json_number (s, v);
}

/* "key":number written exactly (an input, not a computed value). */
static void
json_member_exact (GString    *s,
                   const char *key,
                   double      v)
{
  char buf[32];

  if (s->len > 1)
    g_string_append_c (s, ',');
  json_string (s, key);
  g_string_append_c (s, ':');
  if (isfinite (v))
    {
      hs_format_double (v, buf);
      g_string_append (s, buf);
    }
  else
    g_string_append (s, "null");
}

static void
json_member_string (GString    *s,
                    const char *key,
                    const char *v)
{
  if (s->len > 1)
    g_string_append_c (s, ',');
  json_string (s, key);
  g_string_append_c (s, ':');
  json_string (s, v);
}

static double *
nan_series (size_t n)
{
  double *v = g_new (double, n ? n : 1);

  for (size_t i = 0; i < n; i++)
    v[i] = NAN;
  return v;
}

/* ---- direction ---- */

static const char *const directions[] = { "long_only", "long_short", "short_only", NULL };

/* The decisions a direction lets through. */
static unsigned
direction_mask (const char *direction)
{
  if (g_strcmp0 (direction, "short_only") == 0)
    return HS_SIGNAL_ENTER_SHORT | HS_SIGNAL_EXIT_SHORT;
  if (g_strcmp0 (direction, "long_short") == 0)
    return HS_SIGNAL_ENTER_LONG | HS_SIGNAL_EXIT_LONG | HS_SIGNAL_ENTER_SHORT
           | HS_SIGNAL_EXIT_SHORT;
  return HS_SIGNAL_ENTER_LONG | HS_SIGNAL_EXIT_LONG;
}

/* A bullish event: go long, or cover a short. */
#define BULL (HS_SIGNAL_ENTER_LONG | HS_SIGNAL_EXIT_SHORT)
/* A bearish event: sell a long, or go short. */
#define BEAR (HS_SIGNAL_ENTER_SHORT | HS_SIGNAL_EXIT_LONG)

static const char *
param_text (const HsStrategyParams *p,
            const char             *name)
{
  return hs_strategy_params_get_text (p, name);
}

static int
param_int (const HsStrategyParams *p,
           const char             *name)
{
  return (int) hs_strategy_params_get_number (p, name);
}

static double
param_double (const HsStrategyParams *p,
              const char             *name)
{
  return hs_strategy_params_get_number (p, name);
}

/* Adds a note {"event": …, more…} at bar @i. */
static void
note_event (HsBtSignals *sig,
            size_t       i,
            GString     *body)
{
  g_string_append_c (body, '}');
  hs_bt_signals_add_note (sig, i, g_strndup (body->str, body->len));
}

/* ---- sma_cross, macd_signal: a line crossing another ---- */

static void
cross_signals (HsBtSignals  *sig,
               const double *a,
               const double *b,
               unsigned      mask,
               const char   *a_name,
               const char   *b_name)
{
  g_autoptr(GString) note = g_string_new (NULL);

  for (size_t i = 1; i < sig->n; i++)
    {
      unsigned f = 0;

      if (isnan (a[i]) || isnan (b[i]) || isnan (a[i - 1]) || isnan (b[i - 1]))
        continue;
      if (a[i] > b[i] && a[i - 1] <= b[i - 1])
        f = BULL;
      else if (a[i] < b[i] && a[i - 1] >= b[i - 1])
        f = BEAR;
      f &= mask;
      if (f == 0)
        continue;
      sig->signal[i] = (uint8_t) f;
      g_string_assign (note, "{");
      json_member_string (note, "event", (f & HS_SIGNAL_ENTER_LONG) || (f & HS_SIGNAL_EXIT_SHORT)
                                          ? "cross_above" : "cross_below");
      json_member_number (note, a_name, a[i]);
      json_member_number (note, b_name, b[i]);
      note_event (sig, i, note);
    }
}

static HsBtSignals *
run_sma_cross (const HsStrategyParams *p,
               const HsStrategyInput  *in,
               GError                **error)
{
  size_t n = in->bars->n;
  HsBtSignals *sig = hs_bt_signals_new (n);
  g_autofree double *fast = nan_series (n), *slow = nan_series (n);

  hs_sma (in->bars->close, n, param_int (p, "fast"), fast);
  hs_sma (in->bars->close, n, param_int (p, "slow"), slow);
  cross_signals (sig, fast, slow, direction_mask (param_text (p, "direction")), "fast_sma",
                 "slow_sma");
  return sig;
}

static HsBtSignals *
run_macd_signal (const HsStrategyParams *p,
                 const HsStrategyInput  *in,
                 GError                **error)
{
  size_t n = in->bars->n;
  HsBtSignals *sig = hs_bt_signals_new (n);
  g_autofree double *line = nan_series (n), *signal = nan_series (n);

  hs_macd (in->bars->close, n, param_int (p, "fast"), param_int (p, "slow"),
           param_int (p, "signal"), line, signal, NULL);
  cross_signals (sig, line, signal, direction_mask (param_text (p, "direction")), "macd",
                 "signal");
  return sig;
}

/* ---- rsi_reversion ---- */

static HsBtSignals *
run_rsi_reversion (const HsStrategyParams *p,
                   const HsStrategyInput  *in,
                   GError                **error)
{
  size_t n = in->bars->n;
  HsBtSignals *sig = hs_bt_signals_new (n);
  g_autofree double *rsi = nan_series (n);
  double lower = param_double (p, "lower"), upper = param_double (p, "upper");
  unsigned mask = direction_mask (param_text (p, "direction"));

  hs_rsi (in->bars->close, n, param_int (p, "period"), rsi);
  for (size_t i = 0; i < n; i++)
    {
      /* Oversold: buy (or cover); overbought: sell (or short). */
      if (rsi[i] < lower)
        sig->signal[i] = (uint8_t) (BULL & mask);
      else if (rsi[i] > upper)
        sig->signal[i] = (uint8_t) (BEAR & mask);
    }
  return sig;
}

/* ---- bollinger_breakout ---- */

static HsBtSignals *
run_bollinger_breakout (const HsStrategyParams *p,
                        const HsStrategyInput  *in,
                        GError                **error)
{
  size_t n = in->bars->n;
  HsBtSignals *sig = hs_bt_signals_new (n);
  g_autofree double *mid = nan_series (n), *up = nan_series (n), *lo = nan_series (n);
  const double *c = in->bars->close;
  unsigned mask = direction_mask (param_text (p, "direction"));

  hs_bollinger (c, n, param_int (p, "period"), param_double (p, "k"), mid, up, lo);
  for (size_t i = 0; i < n; i++)
    {
      unsigned f = 0;

      if (isnan (mid[i]) || isnan (c[i]))
        continue;
      /* Break out above the upper band: long until the close falls back under the middle;
       * below the lower band: short until it rises above the middle. */
      if (c[i] > up[i])
        f |= HS_SIGNAL_ENTER_LONG;
      if (c[i] < lo[i])
        f |= HS_SIGNAL_ENTER_SHORT;
      if (c[i] < mid[i])
        f |= HS_SIGNAL_EXIT_LONG;
      if (c[i] > mid[i])
        f |= HS_SIGNAL_EXIT_SHORT;
      sig->signal[i] = (uint8_t) (f & mask);
    }
  return sig;
}

/* ---- buy_and_hold ---- */

static HsBtSignals *
run_buy_and_hold (const HsStrategyParams *p,
                  const HsStrategyInput  *in,
                  GError                **error)
{
  HsBtSignals *sig = hs_bt_signals_new (in->bars->n);

  /* Decided at the first close, bought at the second bar's open, like every decision. */
  if (in->bars->n > 0)
    sig->signal[0] = HS_SIGNAL_ENTER_LONG;
  return sig;
}

/* ---- market_structure (seed 002) ---- */

/* The bars' own interval name, or NULL. */
static const char *
own_interval (const HsStrategyInput *in)
{
  size_t n = 0;
  const HsInterval *all = hs_interval_all (&n);

  if (in->interval != NULL)
    {
      const HsInterval *iv = hs_interval_lookup (in->interval);

      return iv ? iv->name : NULL;
    }
  for (size_t i = 0; i < n; i++)
    if (all[i].seconds > 0 && all[i].seconds == in->bars->interval_s)
      return all[i].name;
  return NULL;
}

static HsBtSignals *
run_market_structure (const HsStrategyParams *p,
                      const HsStrategyInput  *in,
                      GError                **error)
{
  const HsBars *bars = in->bars, *a;
  size_t n = bars->n;
  int k = param_int (p, "pivot_bars");
  const char *tf = param_text (p, "lower_timeframe");
  const char *own = own_interval (in);
  unsigned mask = direction_mask (param_text (p, "direction"));
  g_autoptr(HsBtSignals) sig = hs_bt_signals_new (n);
  g_autoptr(HsResampled) higher = NULL;
  g_autofree int64_t *idx = NULL;
  g_autofree double *ph = NULL, *pl = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  double last_ph = NAN, last_pl = NAN;
  int ph_broken = TRUE, pl_broken = TRUE;
  int64_t done = -1, n_ph = 0, n_pl = 0, n_bos = 0;

  if (tf[0] != '\0' && (own == NULL || !g_str_equal (tf, own)))
    {
      g_autoptr(GError) local = NULL;

      if (!hs_resample_check_interval (bars->interval_s, tf, &local)
          || (higher = hs_resample (bars, tf, in->session, &local)) == NULL)
        {
          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_DATA,
                       "market_structure: lower_timeframe %s: %s", tf, local->message);
          return NULL;
        }
      a = higher->bars;
      idx = g_new (int64_t, n ? n : 1);
      hs_resample_align (bars, higher, idx);
    }
  else
    a = bars;

  ph = nan_series (a->n);
  pl = nan_series (a->n);
  hs_pivot_high (a->high, a->n, k, k, ph);
  hs_pivot_low (a->low, a->n, k, k, pl);
  for (size_t i = 0; i < n; i++)
    {
      int64_t upto = idx ? idx[i] : (int64_t) i;
      unsigned f = 0;
      double level = NAN;

      /* Each analysis bar is looked at once, at the first bar that sees it complete. */
      while (done < upto)
        {
          size_t j = (size_t) ++done;
          double c = a->close[j];

          if (!isnan (ph[j]))
            {
              last_ph = ph[j];
              ph_broken = FALSE;
              n_ph++;
            }
          if (!isnan (pl[j]))
            {
              last_pl = pl[j];
              pl_broken = FALSE;
              n_pl++;
            }
          /* A break of structure: a close beyond the last confirmed swing, once per swing. */
          if (!ph_broken && c > last_ph)
            {
              ph_broken = TRUE;
              n_bos++;
              f = BULL;
              level = last_ph;
            }
          else if (!pl_broken && c < last_pl)
            {
              pl_broken = TRUE;
              n_bos++;
              f = BEAR;
              level = last_pl;
            }
        }
      if ((f & mask) == 0)
        continue;
      sig->signal[i] = (uint8_t) (f & mask);
      g_string_assign (note, "{");
      json_member_string (note, "event", "bos");
      json_member_string (note, "direction", f == BULL ? "bullish" : "bearish");
      json_member_number (note, "level", level);
      json_member_number (note, "pivot_bars", k);
      note_event (sig, i, note);
    }
  sig->pivot_highs_detected = n_ph;
  sig->pivot_lows_detected = n_pl;
  sig->bos_signals_generated = n_bos;
  sig->counts_flips = TRUE;
  return g_steal_pointer (&sig);
}

/* ---- cvd_imbalance (seed 004) ---- */

typedef enum
{
  SIG_STRONG_SELL = -2,
  SIG_SELL = -1,
  SIG_NEUTRAL = 0,
  SIG_BUY = 1,
  SIG_STRONG_BUY = 2,
} SignalType;

static const char *
signal_type_name (SignalType t)
{
  switch (t)
    {
    case SIG_STRONG_SELL:
      return "STRONG_SELL";
    case SIG_SELL:
      return "SELL";
    case SIG_BUY:
      return "BUY";
    case SIG_STRONG_BUY:
      return "STRONG_BUY";
    case SIG_NEUTRAL:
    default:
      return "NEUTRAL";
    }
}

static HsBtSignals *
run_cvd_imbalance (const HsStrategyParams *p,
                   const HsStrategyInput  *in,
                   GError                **error)
{
  const HsBars *b = in->bars;
  size_t n = b->n;
  int lookback = param_int (p, "lookback");
  double buy = param_double (p, "buy_threshold"), strong = param_double (p, "strong_threshold");
  gboolean any = g_str_equal (param_text (p, "min_signal"), "any");
  unsigned mask = direction_mask (param_text (p, "direction"));
  HsBtSignals *sig = hs_bt_signals_new (n);
  g_autofree double *est = NULL, *ema = nan_series (n), *rvol = nan_series (n);
  g_autofree double *volsum = g_new (double, n ? n : 1);
  g_autoptr(GString) note = g_string_new (NULL);
  const double *cvd = in->cvd;
  SignalType prev = SIG_NEUTRAL;
  double acc = 0;

  if (cvd == NULL)
    {
      /* Without trades, each bar's signed volume is estimated from where it closed in its
       * range: volume × (2 close − high − low) / (high − low). */
      est = g_new (double, n ? n : 1);
      for (size_t i = 0; i < n; i++)
        {
          double range = b->high[i] - b->low[i];
          double sv = range > 0 ? b->volume[i] * (2 * b->close[i] - b->high[i] - b->low[i])
                                  / range : 0;

          if (isfinite (sv))
            acc += sv;
          est[i] = acc;
        }
      cvd = est;
    }
  hs_ema (b->close, n, param_int (p, "ema_period"), ema);
  hs_relative_volume (b->volume, n, lookback, rvol);
  acc = 0;
  for (size_t i = 0; i < n; i++)
    {
      /* Σ volume over the last @lookback bars, recomputed from scratch every 4096 bars so that
       * rounding cannot build up. */
      if (i % 4096 == 0)
        {
          acc = 0;
          for (size_t j = i >= (size_t) lookback ? i - lookback : 0; j < i; j++)
            acc += isfinite (b->volume[j]) ? b->volume[j] : 0;
        }
      acc += isfinite (b->volume[i]) ? b->volume[i] : 0;
      if (i >= (size_t) lookback)
        acc -= isfinite (b->volume[i - lookback]) ? b->volume[i - lookback] : 0;
      volsum[i] = acc;
    }

  for (size_t i = (size_t) lookback; i < n; i++)
    {
      double d, delta, trend, imb = 0, score;
      SignalType t;
      unsigned f = 0;

      delta = cvd[i] - cvd[i - lookback];
      if (!isfinite (delta) || !(volsum[i] > 0) || isnan (ema[i]))
        continue;
      d = CLAMP (2 * delta / volsum[i], -1, 1);
      trend = b->close[i] > ema[i] ? 1 : b->close[i] < ema[i] ? -1 : 0;
      if (in->book_imbalance != NULL && isfinite (in->book_imbalance[i]))
        imb = CLAMP (in->book_imbalance[i] / 100, -1, 1);
      score = 50 * d + 30 * trend + 20 * imb;
      t = score >= strong ? SIG_STRONG_BUY : score >= buy ? SIG_BUY
          : score <= -strong ? SIG_STRONG_SELL : score <= -buy ? SIG_SELL : SIG_NEUTRAL;

      if (t == SIG_STRONG_BUY || (any && t == SIG_BUY))
        f |= HS_SIGNAL_ENTER_LONG;
      if (t == SIG_STRONG_SELL || (any && t == SIG_SELL))
        f |= HS_SIGNAL_ENTER_SHORT;
      if (t < 0)
        f |= HS_SIGNAL_EXIT_LONG;
      if (t > 0)
        f |= HS_SIGNAL_EXIT_SHORT;
      sig->signal[i] = (uint8_t) (f & mask);

      /* Each new signal is recorded with its confidence, reasons and warnings. */
      if (t != prev && t != SIG_NEUTRAL)
        {
          gboolean first = TRUE;

          g_string_assign (note, "{");
          json_member_string (note, "signal", signal_type_name (t));
          json_member_number (note, "confidence", MIN (100, round (fabs (score))));
          json_member_number (note, "score", score);
          json_member_number (note, "price", b->close[i]);
          json_member_number (note, "cvd_change", delta);
          json_member_number (note, "orderbook_imbalance",
                              in->book_imbalance ? in->book_imbalance[i] : NAN);
          g_string_append (note, ",\"reasons\":[");
          if (d != 0)
            {
              g_string_append_printf (note, "\"CVD %s: net %s %.0f%% of the volume over %d "
                                      "bars\"", d > 0 ? "rising" : "falling",
                                      d > 0 ? "buying" : "selling",
                                      fabs (delta / volsum[i]) * 100, lookback);
              first = FALSE;
            }
          if (trend != 0)
            {
              g_string_append_printf (note, "%s\"price %s its EMA(%d)\"", first ? "" : ",",
                                      trend > 0 ? "above" : "below",
                                      param_int (p, "ema_period"));
              first = FALSE;
            }
          if (imb != 0)
            g_string_append_printf (note, "%s\"order book %s: imbalance %+.0f%%\"",
                                    first ? "" : ",", imb > 0 ? "bid-heavy" : "ask-heavy",
                                    imb * 100);
          g_string_append (note, "],\"warnings\":[");
          first = TRUE;
          if (d != 0 && trend != 0 && (d > 0) != (trend > 0))
            {
              g_string_append (note, "\"CVD and price disagree (divergence)\"");
              first = FALSE;
            }
          if (in->cvd == NULL)
            {
              g_string_append_printf (note, "%s\"CVD estimated from bar ranges: no trades\"",
                                      first ? "" : ",");
              first = FALSE;
            }
          if (in->book_imbalance == NULL)
            {
              g_string_append_printf (note, "%s\"no order-book data\"", first ? "" : ",");
              first = FALSE;
            }
          if (rvol[i] < 0.5)
            {
              /* The note is stored and exported: a '.' decimal in every locale. */
              char num[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append_printf (note, "%s\"low volume: %s× the average\"",
                                      first ? "" : ",", g_ascii_formatd (num, sizeof num, "%.2f",
                                                                         rvol[i]));
            }
          g_string_append_c (note, ']');
          note_event (sig, i, note);
        }
      prev = t;
    }
  return sig;
}

/* ---- vwap_scalp (seed 001) ---- */

static HsBtSignals *
run_vwap_scalp (const HsStrategyParams *p,
                const HsStrategyInput  *in,
                GError                **error)
{
  const HsBars *b = in->bars;
  size_t n = b->n;
  int fast = param_int (p, "ema_fast"), slow = param_int (p, "ema_slow");
  double min_rvol = param_double (p, "min_rvol");
  unsigned mask = direction_mask (param_text (p, "direction"));
  g_autoptr(HsBtSignals) sig = hs_bt_signals_new (n);
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree int64_t *day = g_new (int64_t, n ? n : 1);
  g_autofree double *tp = nan_series (n), *vwap = nan_series (n), *up1 = nan_series (n);
  g_autofree double *lo1 = nan_series (n), *up2 = nan_series (n), *lo2 = nan_series (n);
  g_autofree double *ema_f = nan_series (n), *ema_s = nan_series (n);
  g_autofree double *slope = nan_series (n), *rvol = nan_series (n);
  g_autoptr(GString) note = g_string_new (NULL);
  double hod = NAN, lod = NAN;

  if (in->session == HS_SESSION_US_EQUITY)
    {
      tz = g_time_zone_new_identifier ("America/New_York");
      if (tz == NULL)
        {
          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_DATA,
                       "vwap_scalp: the time zone America/New_York is not available");
          return NULL;
        }
    }
  hs_session_days (b->ts, n, tz, day);
  hs_typical_price (b->high, b->low, b->close, n, tp);
  hs_vwap (tp, b->volume, day, n, vwap, up1, lo1, up2, lo2);
  hs_ema (b->close, n, fast, ema_f);
  hs_ema (b->close, n, slow, ema_s);
  hs_ema_slope (b->close, n, fast, param_int (p, "slope_bars"), slope);
  hs_relative_volume (b->volume, n, param_int (p, "rvol_period"), rvol);
  sig->stop_price = nan_series (n);
  sig->target_price = nan_series (n);
  sig->time_stop_bars = param_int (p, "max_hold_bars");

  for (size_t i = 0; i < n; i++)
    {
      double c = b->close[i];
      unsigned f = 0;
      double stop = NAN, target = NAN;

      /* The session's high and low so far, this bar included. */
      if (i == 0 || day[i] != day[i - 1])
        hod = lod = NAN;
      if (isfinite (b->high[i]))
        hod = isnan (hod) ? b->high[i] : MAX (hod, b->high[i]);
      if (isfinite (b->low[i]))
        lod = isnan (lod) ? b->low[i] : MIN (lod, b->low[i]);
      if (isnan (vwap[i]) || isnan (ema_f[i]) || isnan (ema_s[i]) || isnan (slope[i])
          || isnan (rvol[i]) || !isfinite (c))
        continue;
      /* Lost VWAP: leave. */
      if (c < vwap[i])
        f |= HS_SIGNAL_EXIT_LONG;
      if (c > vwap[i])
        f |= HS_SIGNAL_EXIT_SHORT;
      /* VWAP reclaim with the trend: the bar tested VWAP and closed above it, inside the 1σ band,
       * fast EMA over slow and rising, on heavy volume. Stop at the lower 1σ band, target the
       * session high (or the 2σ band when closing at the high). */
      if (rvol[i] >= min_rvol && ema_f[i] > ema_s[i] && slope[i] > 0 && b->low[i] <= vwap[i]
          && c > vwap[i] && c < up1[i])
        {
          f |= HS_SIGNAL_ENTER_LONG;
          stop = lo1[i] < c ? lo1[i] : NAN;
          target = hod > c ? hod : up2[i];
        }
      else if (rvol[i] >= min_rvol && ema_f[i] < ema_s[i] && slope[i] < 0
               && b->high[i] >= vwap[i] && c < vwap[i] && c > lo1[i])
        {
          f |= HS_SIGNAL_ENTER_SHORT;
          stop = up1[i] > c ? up1[i] : NAN;
          target = lod < c ? lod : lo2[i];
        }
      f &= mask;
      sig->signal[i] = (uint8_t) f;
      if (f & (HS_SIGNAL_ENTER_LONG | HS_SIGNAL_ENTER_SHORT))
        {
          sig->stop_price[i] = stop;
          sig->target_price[i] = target;
          g_string_assign (note, "{");
          json_member_string (note, "setup", f & HS_SIGNAL_ENTER_LONG ? "vwap_reclaim_long"
                                                                     : "vwap_reject_short");
          json_member_number (note, "price", c);
          json_member_number (note, "vwap", vwap[i]);
          json_member_number (note, "sigma_upper", up1[i]);
          json_member_number (note, "sigma_lower", lo1[i]);
          json_member_number (note, "ema20", ema_f[i]);
          json_member_number (note, "ema50", ema_s[i]);
          json_member_number (note, "ema20_slope", slope[i]);
          json_member_number (note, "rvol", rvol[i]);
          json_member_number (note, "hod", hod);
          json_member_number (note, "lod", lod);
          json_member_number (note, "stop", stop);
          json_member_number (note, "target", target);
          note_event (sig, i, note);
        }
    }
  return g_steal_pointer (&sig);
}

/* ---- price_spike (seed 003) ---- */

static HsBtSignals *
run_price_spike (const HsStrategyParams *p,
                 const HsStrategyInput  *in,
                 GError                **error)
{
  const HsBars *b = in->bars;
  size_t n = b->n, lb = (size_t) param_int (p, "lookback");
  double threshold = param_double (p, "threshold");
  gboolean fade = g_str_equal (param_text (p, "mode"), "fade");
  unsigned mask = direction_mask (param_text (p, "direction"));
  HsBtSignals *sig = hs_bt_signals_new (n);
  g_autoptr(GString) note = g_string_new (NULL);

  sig->time_stop_bars = param_int (p, "hold_bars");
  for (size_t i = lb; i < n; i++)
    {
      double change = b->close[i] - b->close[i - lb];
      unsigned f;

      /* A tiny tolerance: prices in cents, 0.62 − 0.57 is 0.04999… in binary. */
      if (!isfinite (change) || fabs (change) < threshold - 1e-9)
        continue;
      f = (change > 0) != fade ? BULL : BEAR;
      f &= mask;
      if (f == 0)
        continue;
      sig->signal[i] = (uint8_t) f;
      g_string_assign (note, "{");
      json_member_string (note, "reason", "price_spike");
      json_member_number (note, "threshold", threshold);
      json_member_number (note, "change", change);
      json_member_number (note, "lookback", (double) lb);
      json_member_number (note, "yes_price", b->close[i]);
      json_member_string (note, "mode", fade ? "fade" : "follow");
      note_event (sig, i, note);
    }
  return sig;
}

/* ---- the table ---- */

static const char *const min_signals[] = { "strong", "any", NULL };
static const char *const spike_modes[] = { "follow", "fade", NULL };

#define DIRECTION(def) \
  { "direction", HS_PARAM_ENUM, 0, 0, 0, 0, def, directions, \
    N_("long_only: buy and sell; short_only: short and cover; long_short: always in the market " \
    "after the first signal, reversing on the opposite one") }

static const HsParamSpec sma_cross_params[] = {
  { "fast", HS_PARAM_INT, 10, 1, 1000, 1, NULL, NULL,
    N_("Bars of the fast simple moving average") },
  { "slow", HS_PARAM_INT, 30, 2, 5000, 1, NULL, NULL,
    N_("Bars of the slow simple moving average (more than fast)") },
  DIRECTION ("long_only"),
};

static const HsParamSpec rsi_reversion_params[] = {
  { "period", HS_PARAM_INT, 14, 2, 1000, 1, NULL, NULL, N_("Bars of Wilder's RSI") },
  { "lower", HS_PARAM_DOUBLE, 30, 0, 100, 1, NULL, NULL,
    N_("Buy (or cover) while the RSI is below this level") },
  { "upper", HS_PARAM_DOUBLE, 70, 0, 100, 1, NULL, NULL,
    N_("Sell (or short) while the RSI is above this level (more than lower)") },
  DIRECTION ("long_only"),
};

static const HsParamSpec bollinger_params[] = {
  { "period", HS_PARAM_INT, 20, 2, 1000, 1, NULL, NULL, N_("Bars of the bands' moving average") },
  { "k", HS_PARAM_DOUBLE, 2, 0.1, 10, 0.1, NULL, NULL,
    N_("Width of the bands in standard deviations") },
  DIRECTION ("long_only"),
};

static const HsParamSpec macd_params[] = {
  { "fast", HS_PARAM_INT, 12, 1, 1000, 1, NULL, NULL, N_("Bars of the fast EMA") },
  { "slow", HS_PARAM_INT, 26, 2, 5000, 1, NULL, NULL, N_("Bars of the slow EMA (more than fast)") },
  { "signal", HS_PARAM_INT, 9, 1, 1000, 1, NULL, NULL, N_("Bars of the signal line's EMA") },
  DIRECTION ("long_only"),
};

static const HsParamSpec market_structure_params[] = {
  { "pivot_bars", HS_PARAM_INT, 5, 1, 100, 1, NULL, NULL,
    N_("Bars on each side of a swing high or low") },
  { "lower_timeframe", HS_PARAM_INTERVAL, 0, 0, 0, 0, "", NULL,
    N_("Timeframe the structure is analysed on: the bars resampled to it (not shorter than "
       "them); empty for the bars' own") },
  DIRECTION ("long_short"),
};

static const HsParamSpec cvd_params[] = {
  { "lookback", HS_PARAM_INT, 20, 1, 10000, 1, NULL, NULL,
    N_("Bars over which the change of the cumulative volume delta is measured") },
  { "ema_period", HS_PARAM_INT, 20, 1, 1000, 1, NULL, NULL, N_("Bars of the price trend's EMA") },
  { "buy_threshold", HS_PARAM_DOUBLE, 25, 0, 100, 5, NULL, NULL,
    N_("Score (−100 … 100) from which a signal is BUY (SELL below its negative)") },
  { "strong_threshold", HS_PARAM_DOUBLE, 60, 0, 100, 5, NULL, NULL,
    N_("Score from which a signal is STRONG_BUY (STRONG_SELL; more than buy_threshold)") },
  { "min_signal", HS_PARAM_ENUM, 0, 0, 0, 0, "strong", min_signals,
    N_("Enter on STRONG signals only, or on any BUY / SELL") },
  DIRECTION ("long_only"),
};

static const HsParamSpec vwap_scalp_params[] = {
  { "ema_fast", HS_PARAM_INT, 20, 1, 1000, 1, NULL, NULL, N_("Bars of the fast EMA (EMA20)") },
  { "ema_slow", HS_PARAM_INT, 50, 2, 5000, 1, NULL, NULL,
    N_("Bars of the slow EMA (EMA50; more than ema_fast)") },
  { "slope_bars", HS_PARAM_INT, 5, 1, 1000, 1, NULL, NULL,
    N_("Bars over which the fast EMA's slope is measured") },
  { "rvol_period", HS_PARAM_INT, 20, 1, 1000, 1, NULL, NULL,
    N_("Bars of the average that relative volume compares with") },
  { "min_rvol", HS_PARAM_DOUBLE, 1.5, 0, 100, 0.1, NULL, NULL,
    N_("Least relative volume for an entry") },
  { "max_hold_bars", HS_PARAM_INT, 30, 0, 100000, 1, NULL, NULL,
    N_("Time stop in bars (0: none; a time stop in the run's settings wins)") },
  DIRECTION ("long_only"),
};

static const HsParamSpec price_spike_params[] = {
  { "threshold", HS_PARAM_DOUBLE, 0.05, 0.001, 1, 0.01, NULL, NULL,
    N_("Change of the yes price (in dollars, 0 … 1) over lookback bars that is a spike") },
  { "lookback", HS_PARAM_INT, 1, 1, 1000, 1, NULL, NULL, N_("Bars the change is measured over") },
  { "hold_bars", HS_PARAM_INT, 5, 0, 100000, 1, NULL, NULL,
    N_("Time stop in bars (0: hold until the opposite spike)") },
  { "mode", HS_PARAM_ENUM, 0, 0, 0, 0, "follow", spike_modes,
    N_("follow: buy yes after an up-spike; fade: sell it") },
  DIRECTION ("long_short"),
};

static const HsStrategyInfo strategies[] = {
  { "sma_cross", "1", N_("Long when the fast SMA crosses above the slow one, out when it crosses "
    "below"), sma_cross_params, G_N_ELEMENTS (sma_cross_params), run_sma_cross },
  { "rsi_reversion", "1", N_("Buy when the RSI is oversold, sell when it is overbought"),
    rsi_reversion_params, G_N_ELEMENTS (rsi_reversion_params), run_rsi_reversion },
  { "bollinger_breakout", "1", N_("Long on a close above the upper band, out below the middle"),
    bollinger_params, G_N_ELEMENTS (bollinger_params), run_bollinger_breakout },
  { "macd_signal", "1", N_("Long when the MACD line crosses above its signal line, out when "
    "below"), macd_params, G_N_ELEMENTS (macd_params), run_macd_signal },
  { "buy_and_hold", "1", N_("Buy at the first opportunity and hold to the end"), NULL, 0,
    run_buy_and_hold },
  { "market_structure", "1", N_("Trade breaks of structure: closes beyond the last swing high or "
    "low (seed 002's counters)"), market_structure_params,
    G_N_ELEMENTS (market_structure_params), run_market_structure },
  { "cvd_imbalance", "1", N_("STRONG_BUY … STRONG_SELL from volume delta, trend and order-book "
    "imbalance, with confidence, reasons and warnings"), cvd_params,
    G_N_ELEMENTS (cvd_params), run_cvd_imbalance },
  { "vwap_scalp", "1", N_("VWAP reclaim scalp with σ bands, EMA20/50 and slope, relative volume, "
    "HOD/LOD"), vwap_scalp_params, G_N_ELEMENTS (vwap_scalp_params), run_vwap_scalp },
  { "price_spike", "1", N_("Trade spikes of a prediction market's yes price"), price_spike_params,
    G_N_ELEMENTS (price_spike_params), run_price_spike },
};

/**
 * hs_strategy_all:
 * @n: (out): the number of strategies
 *
 * Returns: (transfer none): every built-in strategy, in the order the GUI lists them
 */
const HsStrategyInfo *
hs_strategy_all (size_t *n)
{
  *n = G_N_ELEMENTS (strategies);
  return strategies;
}

/* Returns: (transfer none) (nullable): the strategy called @name */
const HsStrategyInfo *
hs_strategy_lookup (const char *name)
{
  for (size_t i = 0; i < G_N_ELEMENTS (strategies); i++)
    if (g_strcmp0 (strategies[i].name, name) == 0)
      return &strategies[i];
  return NULL;
}

const HsParamSpec *
hs_strategy_find_param (const HsStrategyInfo *strategy,
                        const char           *name)
{
  for (size_t i = 0; i < strategy->n_params; i++)
    if (g_str_equal (strategy->params[i].name, name))
      return &strategy->params[i];
  return NULL;
}

/* "int", "double", "enum" or "interval". */
const char *
hs_param_type_to_string (HsParamType type)
{
  switch (type)
    {
    case HS_PARAM_INT:
      return "int";
    case HS_PARAM_DOUBLE:
      return "double";
    case HS_PARAM_ENUM:
      return "enum";
    case HS_PARAM_INTERVAL:
    default:
      return "interval";
    }
}

/* ---- parameters ---- */

/* Returns: (transfer full): @strategy's parameters at their defaults */
HsStrategyParams *
hs_strategy_params_new (const HsStrategyInfo *strategy)
{
  HsStrategyParams *p;

  g_return_val_if_fail (strategy != NULL, NULL);

  p = g_new0 (HsStrategyParams, 1);
  p->strategy = strategy;
  p->number = g_new0 (double, strategy->n_params + 1);
  p->text = g_new0 (char *, strategy->n_params + 1);
  for (size_t i = 0; i < strategy->n_params; i++)
    {
      p->number[i] = strategy->params[i].def;
      p->text[i] = g_strdup (strategy->params[i].def_text);
    }
  return p;
}

void
hs_strategy_params_free (HsStrategyParams *params)
{
  if (params == NULL)
    return;
  for (size_t i = 0; i < params->strategy->n_params; i++)
    g_free (params->text[i]);
  g_free (params->text);
  g_free (params->number);
  g_free (params);
}

const HsStrategyInfo *
hs_strategy_params_get_strategy (const HsStrategyParams *params)
{
  return params->strategy;
}

static int
param_index (const HsStrategyParams *params,
             const char             *name)
{
  for (size_t i = 0; i < params->strategy->n_params; i++)
    if (g_str_equal (params->strategy->params[i].name, name))
      return (int) i;
  return -1;
}

static char *
choices_text (const char *const *choices)
{
  g_autofree char *joined = g_strjoinv (", ", (char **) choices);

  return g_steal_pointer (&joined);
}

/**
 * hs_strategy_params_set:
 * @name: a parameter of the strategy
 * @value: its value as text: a whole number (INT), a number (DOUBLE), one of the choices (ENUM),
 *   an interval name or "" (INTERVAL)
 *
 * Returns: %TRUE when set, else %FALSE with an %HS_STRATEGY_ERROR naming the parameter, its
 *   range or choices
 */
gboolean
hs_strategy_params_set (HsStrategyParams *params,
                        const char       *name,
                        const char       *value,
                        GError          **error)
{
  const HsStrategyInfo *s = params->strategy;
  int i = param_index (params, name);
  const HsParamSpec *spec;
  char *end = NULL;
  double v;

  if (i < 0)
    {
      GString *names = g_string_new (NULL);

      for (size_t k = 0; k < s->n_params; k++)
        g_string_append_printf (names, "%s%s", k ? ", " : "", s->params[k].name);
      g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_UNKNOWN,
                   "%s has no parameter “%s”%s%s", s->name, name,
                   s->n_params ? "; its parameters are " : "", names->str);
      g_string_free (names, TRUE);
      return FALSE;
    }
  spec = &s->params[i];
  switch (spec->type)
    {
    case HS_PARAM_INT:
      v = g_ascii_strtod (value, &end);
      if (end == value || *end != '\0' || !isfinite (v) || v != floor (v))
        {
          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                       "%s: %s must be a whole number, not “%s”", s->name, name, value);
          return FALSE;
        }
      if (v < spec->min || v > spec->max || fmod (v - spec->min, spec->step) != 0)
        {
          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                       "%s: %s must be from %g to %g in steps of %g, not %s", s->name, name,
                       spec->min, spec->max, spec->step, value);
          return FALSE;
        }
      params->number[i] = v;
      return TRUE;
    case HS_PARAM_DOUBLE:
      v = g_ascii_strtod (value, &end);
      if (end == value || *end != '\0' || !isfinite (v))
        {
          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                       "%s: %s must be a number, not “%s”", s->name, name, value);
          return FALSE;
        }
      if (v < spec->min || v > spec->max)
        {
          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                       "%s: %s must be from %g to %g, not %s", s->name, name, spec->min,
                       spec->max, value);
          return FALSE;
        }
      params->number[i] = v;
      return TRUE;
    case HS_PARAM_ENUM:
      if (!g_strv_contains (spec->choices, value))
        {
          g_autofree char *list = choices_text (spec->choices);

          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                       "%s: %s must be one of %s, not “%s”", s->name, name, list, value);
          return FALSE;
        }
      break;
    case HS_PARAM_INTERVAL:
    default:
      if (value[0] != '\0'
          && (hs_interval_lookup (value) == NULL || g_str_equal (value, "tick")))
        {
          g_autofree char *names = hs_interval_names ();

          g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                       "%s: %s must be an interval (%s) or empty, not “%s”", s->name, name,
                       names, value);
          return FALSE;
        }
      if (value[0] != '\0')
        value = hs_interval_lookup (value)->name;
      break;
    }
  g_free (params->text[i]);
  params->text[i] = g_strdup (value);
  return TRUE;
}

/* "name=value", as --param takes it. */
gboolean
hs_strategy_params_parse_assignment (HsStrategyParams *params,
                                     const char       *assignment,
                                     GError          **error)
{
  const char *eq = strchr (assignment, '=');
  g_autofree char *name = NULL;

  if (eq == NULL || eq == assignment)
    {
      g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                   "a parameter is NAME=VALUE, not “%s”", assignment);
      return FALSE;
    }
  name = g_strndup (assignment, (size_t) (eq - assignment));
  return hs_strategy_params_set (params, name, eq + 1, error);
}

/* Returns: the value of an INT or DOUBLE parameter, NAN for an unknown name */
double
hs_strategy_params_get_number (const HsStrategyParams *params,
                               const char             *name)
{
  int i = param_index (params, name);

  g_return_val_if_fail (i >= 0, NAN);

  return params->number[i];
}

/* Returns: (transfer none): the value of an ENUM or INTERVAL parameter */
const char *
hs_strategy_params_get_text (const HsStrategyParams *params,
                             const char             *name)
{
  int i = param_index (params, name);

  g_return_val_if_fail (i >= 0, NULL);

  return params->text[i] ? params->text[i] : "";
}

static gboolean
params_less (const HsStrategyParams *p,
             const char             *a,
             const char             *b,
             GError                **error)
{
  if (param_index (p, a) >= 0 && param_index (p, b) >= 0
      && !(hs_strategy_params_get_number (p, a) < hs_strategy_params_get_number (p, b)))
    {
      g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_PARAMETER,
                   "%s: %s (%g) must be less than %s (%g)", p->strategy->name, a,
                   hs_strategy_params_get_number (p, a), b, hs_strategy_params_get_number (p, b));
      return FALSE;
    }
  return TRUE;
}

/* Checks what single values cannot: fast < slow, lower < upper, buy < strong thresholds. */
gboolean
hs_strategy_params_check (const HsStrategyParams *params,
                          GError                **error)
{
  return params_less (params, "fast", "slow", error)
         && params_less (params, "lower", "upper", error)
         && params_less (params, "buy_threshold", "strong_threshold", error)
         && params_less (params, "ema_fast", "ema_slow", error);
}

/* Returns: (transfer full): the parameters as a JSON object, in the table's order (the same
 * text for the same values: it goes into the cache key) */
char *
hs_strategy_params_to_json (const HsStrategyParams *params)
{
  GString *s = g_string_new ("{");

  for (size_t i = 0; i < params->strategy->n_params; i++)
    {
      const HsParamSpec *spec = &params->strategy->params[i];

      if (spec->type == HS_PARAM_INT || spec->type == HS_PARAM_DOUBLE)
        /* Inputs, not computed values: exactly, so the cache key tells any two apart. */
        json_member_exact (s, spec->name, params->number[i]);
      else
        json_member_string (s, spec->name, params->text[i] ? params->text[i] : "");
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/**
 * hs_strategy_run:
 * @params: a strategy's parameters
 * @input: the bars and what else the strategy may read
 *
 * Returns: (transfer full): the strategy's decisions at every bar, or %NULL with an
 *   %HS_STRATEGY_ERROR
 */
HsBtSignals *
hs_strategy_run (const HsStrategyParams *params,
                 const HsStrategyInput  *input,
                 GError                **error)
{
  g_return_val_if_fail (params != NULL && input != NULL && input->bars != NULL, NULL);

  if (!hs_strategy_params_check (params, error))
    return NULL;
  return params->strategy->run (params, input, error);
}

/* ---- rule sets ---- */

HsRuleSet *
hs_rule_set_new (void)
{
  HsRuleSet *r = g_new0 (HsRuleSet, 1);

  r->side = 1;
  r->stop_loss_pct = r->take_profit_pct = NAN;
  return r;
}

void
hs_rule_set_free (HsRuleSet *rules)
{
  if (rules == NULL)
    return;
  g_free (rules->name);
  g_free (rules->entry);
  g_free (rules->exit);
  g_free (rules->sizing);
  g_free (rules);
}

static gboolean
rule_error (GError    **error,
            const char *message)
{
  g_set_error (error, HS_STRATEGY_ERROR, HS_STRATEGY_ERROR_RULE_SET, "%s", message);
  return FALSE;
}

/* Parses and checks one of the rule set's expressions; errors keep HS_EXPR_ERROR and say which
 * ("entry: column 7: …"). */
static HsExpr *
rule_expr (const char  *what,
           const char  *text,
           GError     **error)
{
  g_autoptr(HsExpr) e = NULL;

  e = hs_expr_parse (text, NULL, error);
  if (e == NULL || !hs_eval_check (e, NULL, NULL, error))
    {
      g_prefix_error (error, "%s: ", what);
      return NULL;
    }
  return g_steal_pointer (&e);
}

/**
 * hs_rule_set_check:
 *
 * Returns: %TRUE when every field is present and in range and both expressions parse and check
 *   (docs/expressions.md); else %FALSE with an %HS_STRATEGY_ERROR_RULE_SET, or an
 *   %HS_EXPR_ERROR prefixed with "entry: " or "exit: "
 */
gboolean
hs_rule_set_check (const HsRuleSet *rules,
                   GError         **error)
{
  g_autoptr(HsExpr) entry = NULL, exit = NULL;
  HsSizing sizing;

  if (rules->name == NULL || rules->name[0] == '\0' || strlen (rules->name) > 100)
    return rule_error (error, "a rule set needs a name of 1 to 100 characters");
  if (rules->side != 1 && rules->side != -1)
    return rule_error (error, "side must be long or short");
  if (rules->entry == NULL || rules->exit == NULL)
    return rule_error (error, "a rule set needs an entry and an exit expression");
  if (!(isnan (rules->stop_loss_pct) || (rules->stop_loss_pct > 0 && rules->stop_loss_pct < 100)))
    return rule_error (error, "stop_loss_pct must be a percentage above 0 and below 100");
  if (!(isnan (rules->take_profit_pct) || (isfinite (rules->take_profit_pct)
                                           && rules->take_profit_pct > 0)))
    return rule_error (error, "take_profit_pct must be a percentage above 0");
  if (rules->time_stop_bars < 0)
    return rule_error (error, "time_stop_bars must be a whole number of bars ≥ 0");
  if (rules->sizing != NULL && !hs_sizing_parse (rules->sizing, &sizing, NULL))
    return rule_error (error, "sizing must be fixed:Q, cash:X, percent:P or risk:P");
  entry = rule_expr ("entry", rules->entry, error);
  if (entry == NULL)
    return FALSE;
  exit = rule_expr ("exit", rules->exit, error);
  return exit != NULL;
}

/* Returns: (transfer full): the rule set as canonical JSON: fixed key order, expressions in
 * their canonical form when they parse, absent options left out (for the cache key and
 * backtest_runs.parameters) */
char *
hs_rule_set_to_json (const HsRuleSet *rules)
{
  GString *s = g_string_new ("{");
  const char *texts[2] = { rules->entry, rules->exit };
  const char *keys[2] = { "entry", "exit" };

  json_member_string (s, "name", rules->name ? rules->name : "");
  json_member_string (s, "side", rules->side < 0 ? "short" : "long");
  for (int k = 0; k < 2; k++)
    {
      g_autoptr(HsExpr) e = texts[k] ? hs_expr_parse (texts[k], NULL, NULL) : NULL;
      g_autofree char *canonical = e ? hs_expr_print (e) : g_strdup (texts[k] ? texts[k] : "");

      json_member_string (s, keys[k], canonical);
    }
  if (!isnan (rules->stop_loss_pct))
    json_member_exact (s, "stop_loss_pct", rules->stop_loss_pct);
  if (!isnan (rules->take_profit_pct))
    json_member_exact (s, "take_profit_pct", rules->take_profit_pct);
  if (rules->time_stop_bars > 0)
    json_member_exact (s, "time_stop_bars", (double) rules->time_stop_bars);
  if (rules->sizing != NULL)
    json_member_string (s, "sizing", rules->sizing);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

typedef struct
{
  HsEval        *ev;
  HsEvalProgram *entry;
  HsEvalProgram *exit;
  unsigned       enter_flag, exit_flag;
} RuleRun;

static void
rule_run_free (gpointer data)
{
  RuleRun *rr = data;

  hs_eval_program_free (rr->entry);
  hs_eval_program_free (rr->exit);
  hs_eval_free (rr->ev);
  g_free (rr);
}

/* In the position only the exit rule matters (a second entry would be ignored); flat, the exit
 * rule still cancels an entry order waiting to fill, as in the vectorized case. */
static unsigned
rule_decide (gpointer         data,
             size_t           i,
             const HsBtState *st)
{
  const RuleRun *rr = data;
  HsEvalState es = { st->side, (double) st->bars_held, st->entry_price, st->unrealized_pct };
  unsigned f = truthy (hs_eval_program_at (rr->exit, i, &es)) ? rr->exit_flag : 0;

  if (st->side == 0 && truthy (hs_eval_program_at (rr->entry, i, &es)))
    f |= rr->enter_flag;
  return f;
}

/* A note {"rule_set": name, "rule": "entry", "expr": canonical}. */
static char *
rule_note (const HsRuleSet *rules,
           const char      *rule,
           const char      *text)
{
  g_autoptr(HsExpr) e = hs_expr_parse (text, NULL, NULL);
  g_autofree char *canonical = e ? hs_expr_print (e) : g_strdup (text);
  GString *s = g_string_new ("{");

  json_member_string (s, "rule_set", rules->name);
  json_member_string (s, "rule", rule);
  json_member_string (s, "expr", canonical);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/**
 * hs_rule_set_run:
 * @rules: a rule set (checked here)
 * @input: the bars (and cvd, when a rule reads it)
 *
 * Computes the rule set's decisions. When neither rule reads position state, both are
 * evaluated over the whole series at once; otherwise the decisions are taken bar by bar by the
 * engine, and only the parts of the rules that read the state are evaluated per bar. The rule
 * set's stop loss, take profit and time stop travel with the decisions (HsBtSignals) and apply
 * unless the run's settings have their own.
 *
 * Returns: (transfer full): the decisions, or %NULL with an error as hs_rule_set_check()'s
 */
HsBtSignals *
hs_rule_set_run (const HsRuleSet       *rules,
                 const HsStrategyInput *input,
                 GError               **error)
{
  g_autoptr(HsExpr) entry = NULL, exit = NULL;
  g_autoptr(HsBtSignals) sig = NULL;
  RuleRun *rr;
  HsEvalContext ctx = { 0 };
  size_t n;

  g_return_val_if_fail (rules != NULL && input != NULL && input->bars != NULL, NULL);

  if (!hs_rule_set_check (rules, error))
    return NULL;
  entry = rule_expr ("entry", rules->entry, error);
  exit = rule_expr ("exit", rules->exit, error);
  n = input->bars->n;
  ctx.bars = input->bars;
  ctx.interval = input->interval;
  ctx.session = input->session;
  ctx.cvd = input->cvd;
  rr = g_new0 (RuleRun, 1);
  rr->ev = hs_eval_new (&ctx);
  rr->enter_flag = rules->side > 0 ? HS_SIGNAL_ENTER_LONG : HS_SIGNAL_ENTER_SHORT;
  rr->exit_flag = rules->side > 0 ? HS_SIGNAL_EXIT_LONG : HS_SIGNAL_EXIT_SHORT;
  rr->entry = hs_eval_compile (rr->ev, entry, NULL, error);
  if (rr->entry == NULL)
    g_prefix_error (error, "entry: ");
  else if ((rr->exit = hs_eval_compile (rr->ev, exit, NULL, error)) == NULL)
    g_prefix_error (error, "exit: ");
  if (rr->entry == NULL || rr->exit == NULL)
    {
      rule_run_free (rr);
      return NULL;
    }

  sig = hs_bt_signals_new (n);
  sig->entry_note = rule_note (rules, "entry", rules->entry);
  sig->exit_note = rule_note (rules, "exit", rules->exit);
  sig->stop_loss_pct = isnan (rules->stop_loss_pct) ? 0 : rules->stop_loss_pct;
  sig->take_profit_pct = isnan (rules->take_profit_pct) ? 0 : rules->take_profit_pct;
  sig->time_stop_bars = rules->time_stop_bars;
  if (!hs_eval_program_uses_state (rr->entry) && !hs_eval_program_uses_state (rr->exit))
    {
      const double *en = hs_eval_program_series (rr->entry);
      const double *ex = hs_eval_program_series (rr->exit);

      for (size_t i = 0; i < n; i++)
        sig->signal[i] = (uint8_t) ((truthy (en[i]) ? rr->enter_flag : 0)
                                    | (truthy (ex[i]) ? rr->exit_flag : 0));
      rule_run_free (rr);
    }
  else
    {
      sig->decide = rule_decide;
      sig->decide_data = rr;
      sig->decide_free = rule_run_free;
    }
  return g_steal_pointer (&sig);
}
