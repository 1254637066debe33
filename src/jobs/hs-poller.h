/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-fetch.h"
#include "hs-store-watch.h"

G_BEGIN_DECLS

/* The poller (docs/fetch.md): runs the due entries of the watch list (migrations/019) on a
 * pool of workers, each with its own database connection and HTTP client, and writes every
 * run's outcome back to its entry (last success, last error, failures, next due). */

/* How often a watch entry of a kind runs by default, seconds: Kalshi snapshots every 5 s, as
 * seed 003's phase 1 polls; candles every 60 s. */
double      hs_poller_default_period (const char *provider,
                                      HsFetchKind kind);

typedef struct
{
  const char *db_path;
  int         workers;      /* threads; 0 → 4 */
  gboolean    once;         /* run each entry due now once, then return */
  double      seconds;      /* stop after this long; 0 → until cancelled */
  int64_t     now;          /* the time requests are made at (replays, tests); 0 → the clock.
                             * Scheduling always follows the clock. */
  int         attempts;     /* HTTP attempts per request; 0 → the client's default */
  int         timeout_s;    /* one attempt's timeout; 0 → the client's default */
} HsPollerOptions;

typedef struct
{
  int64_t cycles;    /* times the watch list was read for due entries */
  int64_t runs;      /* fetches run */
  int64_t failures;  /* of them failed */
  int64_t rows;
  int64_t inserted;
  int64_t duplicates;
} HsPollerStats;

/* Called on the poller's (the caller's) thread after each run, with the entry as it was when
 * the run started; @error is %NULL for a success. */
typedef void (*HsPollerRunFunc) (const HsWatchEntry  *entry,
                                 const HsFetchResult *result,
                                 const GError        *error,
                                 gpointer             user_data);

gboolean    hs_poller_run            (const HsPollerOptions *options,
                                      HsPollerRunFunc        run_func,
                                      gpointer               user_data,
                                      GCancellable          *cancellable,
                                      HsPollerStats         *stats,
                                      GError               **error);
void        hs_poller_entry_request  (const HsWatchEntry    *entry,
                                      int64_t                now,
                                      HsFetchRequest        *request);
int64_t     hs_poller_next_due       (const HsWatchEntry    *entry,
                                      int64_t                ran_at,
                                      gboolean               failed);

G_END_DECLS
