/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Technical indicators. Every kernel is O(n), reads its inputs and writes caller-owned outputs
 * of length n, allocates nothing proportional to n unless stated, and writes NAN during the
 * warm-up (the first bars where the value is not defined yet). A NAN input makes the outputs
 * that depend on it NAN. Definitions and their references: docs/indicators.md.
 *
 * Precisely: a non-finite input (NAN, ±∞; for several inputs, any of them) is a gap. The output
 * at a gap is NAN, and each run of finite bars between gaps is computed as a series of its own,
 * with its own warm-up: a window kernel is NAN while its window holds a gap, a recursive one
 * (EMA, RSI, ATR, MACD) is seeded again after it. The cumulative kernels (hs_vwap, hs_cvd) skip
 * a gap bar and carry on. Invalid parameters (period < 1, NULL arrays with n > 0) are
 * programmer errors (g_return_if_fail). */

void hs_sma          (const double *x, size_t n, int period, double *out);
/* EMA with alpha = 2 / (period + 1), seeded with the SMA of the first @period values. @out may
 * be @x. */
void hs_ema          (const double *x, size_t n, int period, double *out);
/* Linearly weighted: weights 1 … period, the newest heaviest. */
void hs_wma          (const double *x, size_t n, int period, double *out);
/* Wilder's RSI: averages seeded with the mean of the first @period changes, then smoothed with
 * alpha = 1 / period. 100 when the average loss is 0, 50 when both averages are (no change). */
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
/* Stochastic: raw %K = 100 × (close − lowest low) / (highest high − lowest low) over @period
 * (50 when that range is 0); %K = SMA(smooth) of raw %K; %D = SMA(d) of %K. Either output may be
 * NULL. */
void hs_stochastic   (const double *high, const double *low, const double *close, size_t n,
                      int period, int smooth, int d, double *k, double *d_out);
/* Highest / lowest of the last @period values (monotonic deque; allocates O(period)). */
void hs_highest      (const double *x, size_t n, int period, double *out);
void hs_lowest       (const double *x, size_t n, int period, double *out);
/* Pivots over @left bars before and @right bars after: out[i] is the pivot's value at the bar
 * where it becomes known (i = pivot + right), NAN elsewhere — never earlier, so a backtest
 * cannot see it before it is confirmed. A pivot high is strictly above the @left bars before it
 * and not below the @right bars after it (of a flat top, the first bar); a low, mirrored. */
void hs_pivot_high   (const double *high, size_t n, int left, int right, double *out);
void hs_pivot_low    (const double *low, size_t n, int left, int right, double *out);

/* EMA slope in price units per bar: (EMA(period)[i] − EMA(period)[i − lookback]) / lookback, with
 * the EMA of hs_ema; defined from bar period − 1 + lookback of a run. */
void hs_ema_slope    (const double *x, size_t n, int period, int lookback, double *out);
/* Relative volume: volume[i] / mean (volume[i − period … i − 1]), the bar against the @period bars
 * before it (itself left out); NAN for the first @period bars and where that mean is 0. */
void hs_relative_volume (const double *volume, size_t n, int period, double *out);
/* (high + low + close) / 3, the usual price for hs_vwap. */
void hs_typical_price (const double *high, const double *low, const double *close, size_t n,
                       double *out);
/* Session ids for hs_vwap and hs_cvd: day[i] = the calendar day (days since 1970-01-01) of the
 * bar start ts_us[i] (µs, UTC) in @tz (NULL: UTC), so a session starts where the local date
 * changes. Any other id array works as well (a session that opens the evening before …). */
void hs_session_days (const int64_t *ts_us, size_t n, GTimeZone *tz, int64_t *day);
/* Session VWAP with ±1σ and ±2σ bands. A session starts at bar 0 and wherever session[i] differs
 * from session[i − 1] (@session NULL: one session). vwap = Σ price·volume / Σ volume since the
 * session start; σ² = Σ volume·(price − vwap)² / Σ volume (volume-weighted population variance);
 * the bands are vwap ± σ and vwap ± 2σ. NAN while the session's volume is 0, and at a bar whose
 * price or volume is not finite or whose volume is negative (the bar is left out, the session
 * goes on). Any output may be NULL. */
void hs_vwap         (const double *price, const double *volume, const int64_t *session, size_t n,
                      double *vwap, double *upper1, double *lower1, double *upper2,
                      double *lower2);
/* Cumulative volume delta: cvd[i] = Σ signed_volume since the session start (@session NULL: since
 * bar 0), compensated summation; a non-finite volume gives NAN at its bar and adds nothing.
 * @cvd_ma (may be NULL) = hs_sma (cvd, ma_period). */
void hs_cvd          (const double *signed_volume, const int64_t *session, size_t n,
                      int ma_period, double *cvd, double *cvd_ma);
/* Order-book imbalance: 100 × (bid − ask) / (bid + ask) of resting volumes, −100 … 100; NAN
 * where bid + ask is 0 or not finite. */
void hs_book_imbalance (const double *bid_volume, const double *ask_volume, size_t n,
                        double *out);
/* Squeeze: 1 when the Bollinger bands (hs_bollinger (close, period, bb_k)) lie strictly inside the
 * Keltner channel hs_ema (close, period) ± kc_mult × hs_atr (period), i.e. upper_bb < upper_kc and
 * lower_bb > lower_kc; 0 otherwise; NAN for the first period − 1 bars of a run. */
void hs_squeeze      (const double *high, const double *low, const double *close, size_t n,
                      int period, double bb_k, double kc_mult, double *out);

G_END_DECLS
