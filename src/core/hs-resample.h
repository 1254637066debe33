/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"

G_BEGIN_DECLS

#define HS_RESAMPLE_ERROR (hs_resample_error_quark ())

typedef enum
{
  HS_RESAMPLE_ERROR_INTERVAL,   /* unknown interval, or not a multiple of the input's */
  HS_RESAMPLE_ERROR_ORDER,      /* the input is not in time order */
  HS_RESAMPLE_ERROR_TIME_ZONE,  /* America/New_York is not in the system's time zone data */
} HsResampleError;

typedef enum
{
  HS_SESSION_ALWAYS,      /* 24/7, buckets aligned to UTC (crypto, prediction markets) */
  HS_SESSION_US_EQUITY,   /* regular hours 09:30–16:00 America/New_York; intraday buckets are
                           * anchored at 09:30, a day is one session, days without bars (weekends,
                           * holidays) are simply absent; bars outside regular hours are left out */
} HsSessionKind;

/* A resampled series and when each of its bars is complete. end_ts[i] is the time the bar
 * closes: start + interval, cut at the session's close (16:00 New York) for US equities. */
typedef struct
{
  HsBars  *bars;     /* (owned) */
  int64_t *end_ts;   /* (owned) */
} HsResampled;

GQuark       hs_resample_error_quark (void);
HsResampled *hs_resample             (const HsBars  *in,
                                      const char    *to_interval,
                                      HsSessionKind  session,
                                      GError       **error);
void         hs_resampled_free       (HsResampled   *r);
/* For each bar i of @lower, the index in @higher of the last bar complete at lower bar i's close
 * (lower.ts[i] + lower.interval_s), or -1 when none is: the only higher values a strategy on
 * @lower may see without looking ahead. */
void         hs_resample_align       (const HsBars      *lower,
                                      const HsResampled *higher,
                                      int64_t           *idx);


/* Added with the implementation (src/core/hs-resample.c, docs/resampling.md). Times are µs like
 * HsBars.ts, so end_ts is too, and a lower bar's close is ts + interval_s × 1,000,000. */

/* Whether bars of @in_interval_s seconds can be resampled to @to_interval, with the reason when
 * not (HS_RESAMPLE_ERROR_INTERVAL); for checking a request before any data is loaded. */
gboolean      hs_resample_check_interval     (int64_t        in_interval_s,
                                              const char    *to_interval,
                                              GError       **error);
/* hs_resample() that also sums trade counts: @trade_count (nullable) holds one count per input
 * bar, -1 where unknown; *@trade_count_out (optional, transfer full) gets one per output bar,
 * the sum, or -1 when any input bar of the bucket has no count. */
HsResampled  *hs_resample_with_counts        (const HsBars   *in,
                                              const int64_t  *trade_count,
                                              const char     *to_interval,
                                              HsSessionKind   session,
                                              int64_t       **trade_count_out,
                                              GError        **error);
/* Trades (time order, µs) to candles: open first price, high, low, close last price, volume
 * Σ size, vwap Σ price × size / Σ size (NAN when Σ size is 0), and in *@trade_count_out
 * (optional, transfer full) the number of trades of each candle. @interval is any interval but
 * tick; US equity sessions leave out trades outside 09:30–16:00 New York. */
HsResampled  *hs_resample_trades             (const int64_t  *ts,
                                              const double   *price,
                                              const double   *size,
                                              size_t          n,
                                              const char     *interval,
                                              HsSessionKind   session,
                                              int64_t       **trade_count_out,
                                              GError        **error);
/* "us" or "24x7" (also "always"); FALSE for anything else. */
gboolean      hs_session_kind_from_string    (const char     *text,
                                              HsSessionKind  *out);
const char   *hs_session_kind_to_string      (HsSessionKind   kind);
/* The default session of an instrument kind: 24/7 for crypto, fx and prediction, US equity
 * hours for everything else (stock, etf, index, future, option, unknown). */
HsSessionKind hs_session_kind_for_instrument (const char     *instrument_kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsResampled, hs_resampled_free)

G_END_DECLS
