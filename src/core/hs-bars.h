/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* A bar series as columns, the form every kernel reads. ts is the bar's start (µs, UTC); vwap
 * is NAN where unknown. Owned arrays, all of length n. */
typedef struct
{
  size_t   n;
  int64_t  interval_s;   /* the bars' nominal length in seconds (0 for tick or 1mo) */
  int64_t *ts;
  double  *open;
  double  *high;
  double  *low;
  double  *close;
  double  *volume;
  double  *vwap;
} HsBars;

HsBars *hs_bars_new        (size_t        n,
                            int64_t       interval_s);
void    hs_bars_free       (HsBars       *bars);
HsBars *hs_bars_slice      (const HsBars *bars,
                            size_t        start,
                            size_t        n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBars, hs_bars_free)

G_END_DECLS
