/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Technical indicators. Every kernel is O(n), reads its inputs and writes caller-owned outputs
 * of length n, allocates nothing proportional to n unless stated, and writes NAN during the
 * warm-up (the first bars where the value is not defined yet). A NAN input makes the outputs
 * that depend on it NAN. Definitions and their references: docs/indicators.md. */

void hs_sma          (const double *x, size_t n, int period, double *out);
/* EMA with alpha = 2 / (period + 1), seeded with the SMA of the first @period values. */
void hs_ema          (const double *x, size_t n, int period, double *out);
/* Linearly weighted: weights 1 … period, the newest heaviest. */
void hs_wma          (const double *x, size_t n, int period, double *out);
/* Wilder's RSI: averages seeded with the mean of the first @period changes, then smoothed with
 * alpha = 1 / period. */
void hs_rsi          (const double *x, size_t n, int period, double *out);
/* MACD line = EMA(fast) − EMA(slow); signal = EMA(signal) of the line (seeded with the SMA of its
 * first @signal defined values); histogram = line − signal. Any output may be NULL. */
void hs_macd         (const double *x, size_t n, int fast, int slow, int signal,
                      double *line, double *signal_out, double *hist);
/* Bollinger bands: mid = SMA(period), upper/lower = mid ± k × population σ over the window.
 * Any output may be NULL. */
void hs_bollinger    (const double *x, size_t n, int period, double k,
                      double *mid, double *upper, double *lower);
/* Rolling population standard deviation over @period values. */
void hs_stdev        (const double *x, size_t n, int period, double *out);
/* Wilder's ATR: true range, first ATR = mean of the first @period true ranges (the first bar's
 * true range is high − low), then alpha = 1 / period. */
void hs_atr          (const double *high, const double *low, const double *close, size_t n,
                      int period, double *out);
/* Stochastic: raw %K = 100 × (close − lowest low) / (highest high − lowest low) over @period;
 * %K = SMA(smooth) of raw %K; %D = SMA(d) of %K. Either output may be NULL. */
void hs_stochastic   (const double *high, const double *low, const double *close, size_t n,
                      int period, int smooth, int d, double *k, double *d_out);
/* Highest / lowest of the last @period values (monotonic deque; allocates O(period)). */
void hs_highest      (const double *x, size_t n, int period, double *out);
void hs_lowest       (const double *x, size_t n, int period, double *out);
/* Pivots over @left bars before and @right bars after: out[i] is the pivot's value at the bar
 * where it becomes known (i = pivot + right), NAN elsewhere — never earlier, so a backtest
 * cannot see it before it is confirmed. */
void hs_pivot_high   (const double *high, size_t n, int left, int right, double *out);
void hs_pivot_low    (const double *low, size_t n, int left, int right, double *out);

G_END_DECLS
