/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsBars: a bar series held as columns. Allocated once per series; kernels read the arrays.
 */
#define G_LOG_DOMAIN "hs-bars"

#include "config.h"

#include "hs-bars.h"

#include <string.h>

/**
 * hs_bars_new:
 * @n: number of bars
 *
 * Returns: (transfer full): a series of @n zeroed bars (vwap NAN is for the caller to set)
 */
HsBars *
hs_bars_new (size_t  n,
             int64_t interval_s)
{
  HsBars *b = g_new0 (HsBars, 1);

  b->n = n;
  b->interval_s = interval_s;
  b->ts = g_new0 (int64_t, n ? n : 1);
  b->open = g_new0 (double, n ? n : 1);
  b->high = g_new0 (double, n ? n : 1);
  b->low = g_new0 (double, n ? n : 1);
  b->close = g_new0 (double, n ? n : 1);
  b->volume = g_new0 (double, n ? n : 1);
  b->vwap = g_new0 (double, n ? n : 1);
  return b;
}

void
hs_bars_free (HsBars *bars)
{
  if (bars == NULL)
    return;
  g_free (bars->ts);
  g_free (bars->open);
  g_free (bars->high);
  g_free (bars->low);
  g_free (bars->close);
  g_free (bars->volume);
  g_free (bars->vwap);
  g_free (bars);
}

/* Returns: (transfer full): a copy of bars [start, start + n). */
HsBars *
hs_bars_slice (const HsBars *bars,
               size_t        start,
               size_t        n)
{
  HsBars *b;

  g_return_val_if_fail (start + n <= bars->n, NULL);
  b = hs_bars_new (n, bars->interval_s);
  memcpy (b->ts, bars->ts + start, n * sizeof (int64_t));
  memcpy (b->open, bars->open + start, n * sizeof (double));
  memcpy (b->high, bars->high + start, n * sizeof (double));
  memcpy (b->low, bars->low + start, n * sizeof (double));
  memcpy (b->close, bars->close + start, n * sizeof (double));
  memcpy (b->volume, bars->volume + start, n * sizeof (double));
  memcpy (b->vwap, bars->vwap + start, n * sizeof (double));
  return b;
}
