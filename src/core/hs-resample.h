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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsResampled, hs_resampled_free)

G_END_DECLS
