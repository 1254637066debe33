/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-fetch.h"

G_BEGIN_DECLS

/* Backfills (docs/fetch.md): a series' history from a start date, in the provider's windows,
 * resuming where it stopped; and the backfill of exactly the gaps hs_gaps_candle_ranges()
 * reports. */

typedef struct
{
  HsFetchResult fetch;        /* the counts of this run's windows */
  int64_t       state_id;     /* backfill_state.id */
  gboolean      resumed;      /* this run went on from a saved window */
  int64_t       resumed_from; /* where it went on, µs UTC, when known */
  gboolean      done;         /* the backfill reached its end */
  gboolean      up_to_date;   /* it had, before this run, and had nothing to add */
  int64_t       windows;      /* windows stored by every run of it */
  int64_t       gaps;         /* --gaps: the ranges found … */
  int64_t       gaps_failed;  /* … and those whose fetch failed */
} HsBackfillResult;

void      hs_backfill_result_clear (HsBackfillResult     *result);

gboolean  hs_backfill_run          (HsStore              *store,
                                    const HsFetchRequest *request,
                                    HsJobProgressFunc     progress,
                                    gpointer              progress_data,
                                    GCancellable         *cancellable,
                                    HsBackfillResult     *result,
                                    GError              **error);
gboolean  hs_backfill_gaps         (HsStore              *store,
                                    const HsFetchRequest *request,
                                    HsJobProgressFunc     progress,
                                    gpointer              progress_data,
                                    GCancellable         *cancellable,
                                    HsBackfillResult     *result,
                                    GError              **error);

G_END_DECLS
