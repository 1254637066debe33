/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The numbers of a paper trade's context (docs/context.md): per-timeframe signals from the
 * completed bars of that timeframe, percent changes, spreads and the correlation of daily
 * returns. Pure functions over arrays; the collector (src/jobs/hs-context.c) decides which bars
 * are complete and reads them. A trade costs a few windows of HS_CONTEXT_WINDOW bars, so the
 * kernels of hs-indicators.c are simply run over each window.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-context-calc.h"

#include <math.h>

#include "hs-indicators.h"

static HsContextState
compare_state (double a,
               double b)
{
  if (!isfinite (a) || !isfinite (b))
    return HS_CONTEXT_STATE_UNKNOWN;
  if (a > b)
    return HS_CONTEXT_STATE_BULLISH;
  if (a < b)
    return HS_CONTEXT_STATE_BEARISH;
  return HS_CONTEXT_STATE_NEUTRAL;
}

/**
 * hs_context_tf_signals:
 * @bars: the completed bars of one timeframe, in time order; only the last HS_CONTEXT_WINDOW
 *   are used
 *
 * Every value is that of the last bar (docs/context.md, "signals_snapshot"). A value whose
 * indicators need more bars than there are is NAN / UNKNOWN.
 */
void
hs_context_tf_signals (const HsBars *bars,
                       HsTfSignals  *out)
{
  size_t n = MIN (bars->n, (size_t) HS_CONTEXT_WINDOW), off, last;
  const double *close, *high, *low;
  g_autofree double *a = NULL, *b = NULL;

  out->rsi = out->macd_hist = out->dist_from_200sma = NAN;
  out->ema_9_21_cross = out->trend = HS_CONTEXT_STATE_UNKNOWN;
  out->squeeze = HS_SQUEEZE_UNKNOWN;
  if (n == 0)
    return;
  off = bars->n - n;
  last = n - 1;
  close = bars->close + off;
  high = bars->high + off;
  low = bars->low + off;
  a = g_new (double, n);
  b = g_new (double, n);

  if (n >= HS_CONTEXT_MIN_RSI)
    {
      hs_rsi (close, n, 14, a);
      out->rsi = a[last];
    }
  if (n >= HS_CONTEXT_MIN_MACD)
    {
      hs_macd (close, n, 12, 26, 9, NULL, NULL, a);
      out->macd_hist = a[last];
    }
  if (n >= HS_CONTEXT_MIN_EMA_CROSS)
    {
      hs_ema (close, n, 9, a);
      hs_ema (close, n, 21, b);
      out->ema_9_21_cross = compare_state (a[last], b[last]);
    }
  if (n >= HS_CONTEXT_MIN_SQUEEZE)
    {
      hs_squeeze (high, low, close, n, 20, 2.0, 1.5, a);
      if (isfinite (a[last]) && isfinite (a[last - 1]))
        out->squeeze = a[last] == 1.0 ? HS_SQUEEZE_ON
                       : a[last - 1] == 1.0 ? HS_SQUEEZE_FIRING : HS_SQUEEZE_OFF;
    }
  if (n >= HS_CONTEXT_MIN_TREND)
    {
      HsContextState side, slope;

      hs_ema (close, n, 50, a);
      side = compare_state (close[last], a[last]);
      slope = compare_state (a[last], a[last - 5]);
      if (side == HS_CONTEXT_STATE_UNKNOWN || slope == HS_CONTEXT_STATE_UNKNOWN)
        out->trend = HS_CONTEXT_STATE_UNKNOWN;
      else if (side == slope && side != HS_CONTEXT_STATE_NEUTRAL)
        out->trend = side;
      else
        out->trend = HS_CONTEXT_STATE_NEUTRAL;
    }
  if (n >= HS_CONTEXT_MIN_SMA200)
    {
      hs_sma (close, n, 200, a);
      out->dist_from_200sma = hs_context_pct_change (close[last], a[last]);
    }
}

const char *
hs_context_state_to_string (HsContextState state)
{
  switch (state)
    {
    case HS_CONTEXT_STATE_BULLISH:
      return "bullish";
    case HS_CONTEXT_STATE_BEARISH:
      return "bearish";
    case HS_CONTEXT_STATE_NEUTRAL:
      return "neutral";
    case HS_CONTEXT_STATE_UNKNOWN:
    default:
      return NULL;
    }
}

const char *
hs_squeeze_state_to_string (HsSqueezeState state)
{
  switch (state)
    {
    case HS_SQUEEZE_ON:
      return "on";
    case HS_SQUEEZE_OFF:
      return "off";
    case HS_SQUEEZE_FIRING:
      return "firing";
    case HS_SQUEEZE_UNKNOWN:
    default:
      return NULL;
    }
}

double
hs_context_pct_change (double now,
                       double before)
{
  if (!isfinite (now) || !isfinite (before) || before <= 0)
    return NAN;
  return 100.0 * (now - before) / before;
}

double
hs_context_spread_pct (double bid,
                       double ask)
{
  double mid = (bid + ask) / 2;

  if (!isfinite (bid) || !isfinite (ask) || bid < 0 || ask < bid || !(mid > 0))
    return NAN;
  return 100.0 * (ask - bid) / mid;
}

double
hs_context_correlation (const double *x,
                        const double *y,
                        size_t        n)
{
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;

  if (n < 2)
    return NAN;
  for (size_t i = 0; i < n; i++)
    {
      mx += x[i];
      my += y[i];
    }
  mx /= (double) n;
  my /= (double) n;
  for (size_t i = 0; i < n; i++)
    {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
  if (!(sxx > 0) || !(syy > 0))
    return NAN;
  return sxy / sqrt (sxx * syy);
}

double
hs_context_return_correlation (const int64_t *day_a,
                               const double  *close_a,
                               size_t         n_a,
                               const int64_t *day_b,
                               const double  *close_b,
                               size_t         n_b,
                               size_t         n_returns)
{
  size_t need = n_returns + 1, k = need;
  g_autofree double *ca = g_new (double, need), *cb = g_new (double, need);
  g_autofree double *ra = NULL, *rb = NULL;
  size_t i = n_a, j = n_b;

  /* Walk both series back from their ends, keeping the common days, latest first. */
  while (k > 0 && i > 0 && j > 0)
    {
      if (day_a[i - 1] == day_b[j - 1])
        {
          k--;
          ca[k] = close_a[--i];
          cb[k] = close_b[--j];
        }
      else if (day_a[i - 1] > day_b[j - 1])
        i--;
      else
        j--;
    }
  if (k > 0 || n_returns == 0)
    return NAN;
  ra = g_new (double, n_returns);
  rb = g_new (double, n_returns);
  for (size_t r = 0; r < n_returns; r++)
    {
      ra[r] = ca[r + 1] / ca[r] - 1.0;
      rb[r] = cb[r + 1] / cb[r] - 1.0;
    }
  return hs_context_correlation (ra, rb, n_returns);
}
