/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* One snapshot of a data provider's request statistics: what the HTTP client (src/fetch,
 * hs_http_provider_snapshot()) counted over an interval, and what the store writes into
 * system_metrics and reads back (src/store/hs-store-health.h). A plain record, so that fetch
 * and store share it without knowing each other. Times are µs UTC; a NAN double means "no
 * value" (no latency sample, no row count given). */
typedef struct
{
  char    *provider;             /* (owned) e.g. "kalshi"; the metrics' component is fetch.<provider> */
  int64_t  ts;                   /* when the snapshot was taken (end of the interval) */
  int64_t  interval_start;       /* start of the interval the counters cover; 0 if unknown */
  int64_t  requests;             /* HTTP attempts sent (every retry counts) */
  int64_t  successes;            /* calls that returned a response */
  int64_t  errors;               /* calls that failed after their retries (not cancellations) */
  int64_t  http_429;             /* responses with status 429 */
  int64_t  retries;              /* attempts after a call's first */
  int64_t  bytes;                /* response body bytes received (decoded) */
  int64_t  latency_samples;      /* how many attempts the percentiles are taken over */
  double   latency_p50_ms;       /* nearest-rank percentiles of the attempts' latency */
  double   latency_p95_ms;
  double   latency_p99_ms;
  double   rows_per_second;      /* rows stored per second, set by the fetch job; NAN if not given */
  int      consecutive_failures; /* failed calls since the last success (not reset per interval) */
  int64_t  streak_started;       /* when the first of those failures happened; 0 when none */
  char    *last_error;           /* (owned) (nullable) message of the last failure (no secrets) */
} HsProviderStats;

HsProviderStats *hs_provider_stats_new        (const char            *provider);
HsProviderStats *hs_provider_stats_copy       (const HsProviderStats *stats);
void             hs_provider_stats_free       (HsProviderStats       *stats);

double           hs_percentile_nearest_rank   (double                *values,
                                               size_t                 n,
                                               double                 q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsProviderStats, hs_provider_stats_free)

G_END_DECLS
