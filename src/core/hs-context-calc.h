/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"

G_BEGIN_DECLS

/* The numbers of a paper trade's context (docs/context.md), computed from plain arrays that the
 * collector (src/jobs/hs-context.c) reads from the store: the signals of one timeframe from its
 * completed bars, percent changes, spreads, and the correlation of daily returns. */

/* Each timeframe's signals use at most its last HS_CONTEXT_WINDOW completed bars, so the cost
 * and the values do not depend on how much older history is stored (the recursive averages
 * forget their seed long before: RSI's by (13/14)^236 ≈ 3e-8, EMA50's by (49/51)^200 ≈ 3e-4). */
#define HS_CONTEXT_WINDOW 250

/* The fewest completed bars each value needs (its indicators' warm-up, docs/context.md). */
#define HS_CONTEXT_MIN_RSI        15   /* RSI(14): 14 changes */
#define HS_CONTEXT_MIN_MACD       34   /* MACD(12, 26, 9) histogram */
#define HS_CONTEXT_MIN_EMA_CROSS  21   /* EMA(21) */
#define HS_CONTEXT_MIN_SQUEEZE    21   /* squeeze(20) at the last two bars */
#define HS_CONTEXT_MIN_TREND      55   /* EMA(50) and its change over 5 bars */
#define HS_CONTEXT_MIN_SMA200    200

/* Correlation: daily returns over this many consecutive pairs of common days. */
#define HS_CONTEXT_CORRELATION_RETURNS 30

typedef enum
{
  HS_CONTEXT_STATE_UNKNOWN,   /* not enough bars */
  HS_CONTEXT_STATE_BULLISH,
  HS_CONTEXT_STATE_BEARISH,
  HS_CONTEXT_STATE_NEUTRAL,
} HsContextState;

typedef enum
{
  HS_SQUEEZE_UNKNOWN,
  HS_SQUEEZE_ON,       /* Bollinger(20, 2) inside Keltner(20, 1.5) at the last bar */
  HS_SQUEEZE_OFF,      /* not inside at the last bar nor at the bar before */
  HS_SQUEEZE_FIRING,   /* not inside at the last bar, inside at the bar before: released */
} HsSqueezeState;

/* One timeframe of signals_snapshot; NAN or UNKNOWN where not computable. */
typedef struct
{
  double         rsi;               /* Wilder RSI(14) of the close, 0 … 100 */
  double         macd_hist;         /* MACD(12, 26, 9) histogram, price units */
  HsContextState ema_9_21_cross;    /* EMA(9) above EMA(21): bullish; below: bearish; equal */
  HsSqueezeState squeeze;
  HsContextState trend;             /* close vs EMA(50) and EMA(50)'s change over 5 bars */
  double         dist_from_200sma;  /* percent: 100 (close − SMA200) / SMA200 */
} HsTfSignals;

void        hs_context_tf_signals         (const HsBars   *bars,
                                           HsTfSignals    *out);
const char *hs_context_state_to_string    (HsContextState  state);
const char *hs_squeeze_state_to_string    (HsSqueezeState  state);

/* 100 (now − before) / before; NAN unless both are finite and before > 0. */
double      hs_context_pct_change         (double          now,
                                           double          before);
/* 100 (ask − bid) / ((ask + bid) / 2); NAN unless both are finite, ≥ 0, ask ≥ bid and the mid
 * is > 0. */
double      hs_context_spread_pct         (double          bid,
                                           double          ask);
/* Pearson correlation of x and y (two passes over the means); NAN when n < 2 or either has no
 * variance. */
double      hs_context_correlation        (const double   *x,
                                           const double   *y,
                                           size_t          n);
/* The correlation of the simple daily returns of two daily close series, each with its day
 * numbers (days since 1970-01-01, increasing): over the days both have, the last
 * @n_returns + 1 of them give @n_returns returns each (close[d] / close[previous common d] − 1).
 * NAN when there are fewer common days. */
double      hs_context_return_correlation (const int64_t  *day_a,
                                           const double   *close_a,
                                           size_t          n_a,
                                           const int64_t  *day_b,
                                           const double   *close_b,
                                           size_t          n_b,
                                           size_t          n_returns);

G_END_DECLS
