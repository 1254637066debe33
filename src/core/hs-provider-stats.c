/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The record of a provider's request statistics (hs-provider-stats.h) and the percentile its
 * latencies are summarised with. A snapshot is taken about once a minute per provider, over at
 * most a few thousand latency samples.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-provider-stats.h"

#include <math.h>
#include <stdlib.h>

/**
 * hs_provider_stats_new:
 *
 * Returns: (transfer full): zero counters for @provider, no latency (NAN percentiles) and no
 *   row rate.
 */
HsProviderStats *
hs_provider_stats_new (const char *provider)
{
  HsProviderStats *s = g_new0 (HsProviderStats, 1);

  g_return_val_if_fail (provider != NULL, NULL);
  s->provider = g_strdup (provider);
  s->latency_p50_ms = s->latency_p95_ms = s->latency_p99_ms = NAN;
  s->rows_per_second = NAN;
  return s;
}

HsProviderStats *
hs_provider_stats_copy (const HsProviderStats *stats)
{
  HsProviderStats *s = g_memdup2 (stats, sizeof *stats);

  s->provider = g_strdup (stats->provider);
  s->last_error = g_strdup (stats->last_error);
  return s;
}

void
hs_provider_stats_free (HsProviderStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->provider);
  g_free (stats->last_error);
  g_free (stats);
}

static int
double_cmp (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/**
 * hs_percentile_nearest_rank:
 * @values: (inout): the samples; sorted in place
 * @q: the quantile, 0 < @q ≤ 1 (0.95 for p95)
 *
 * The nearest-rank percentile: the smallest sample with at least ⌈@q·@n⌉ samples at or below
 * it, so always one of the samples (no interpolation between two latencies).
 *
 * Returns: the percentile, or NAN when @n is 0
 */
double
hs_percentile_nearest_rank (double *values,
                            size_t  n,
                            double  q)
{
  size_t rank;

  g_return_val_if_fail (q > 0 && q <= 1, NAN);
  if (n == 0)
    return NAN;
  qsort (values, n, sizeof *values, double_cmp);
  /* ⌈q·n⌉ with a little slack so that 0.95 · 20 = 19.000000000000004 counts as 19. */
  rank = (size_t) ceil (q * (double) n - 1e-9);
  rank = CLAMP (rank, 1, n);
  return values[rank - 1];
}
