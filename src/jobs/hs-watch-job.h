/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-backfill.h"
#include "hs-fetch.h"
#include "hs-poller.h"
#include "hs-provider-stats.h"
#include "hs-store-watch.h"

G_BEGIN_DECLS

/* The watch list for the GUI (docs/ui.md, Data page): the checks `watch add` makes, the watch
 * list with each provider's latest health figures read (and edited) on a worker, the poller
 * run on a worker thread with each run reported on the caller's main context, and a backfill
 * as a job with progress. */

gboolean      hs_watch_check_series  (const char   *provider,
                                      const char   *kind,
                                      const char   *interval,
                                      HsFetchKind  *out,
                                      GError      **error);
gboolean      hs_watch_check_period  (const char   *provider,
                                      HsFetchKind   kind,
                                      double        every,
                                      double       *period_s,
                                      GError      **error);

/* What the watch panel shows, as one read of the store. */
typedef struct
{
  GPtrArray *entries;    /* (owned) (element-type HsWatchEntry) by id */
  GPtrArray *providers;  /* (owned) (element-type HsProviderStats) latest figures, by name */
  GPtrArray *backfills;  /* (owned) (element-type HsBackfillState) */
} HsWatchState;

void          hs_watch_state_free    (HsWatchState *state);

typedef enum
{
  HS_WATCH_EDIT_NONE,    /* only read */
  HS_WATCH_EDIT_ADD,     /* add (or change the period of) an entry, after the CLI's checks */
  HS_WATCH_EDIT_REMOVE,  /* remove entry @id */
} HsWatchEditOp;

typedef struct
{
  HsWatchEditOp  op;
  const char    *provider;
  const char    *symbol;
  const char    *kind;
  const char    *interval;  /* (nullable) candles only */
  double         every;     /* seconds; 0 → hs_poller_default_period() */
  int64_t        id;        /* remove */
} HsWatchEdit;

void          hs_job_watch_async     (const char          *db_path,
                                      const HsWatchEdit   *edit,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
HsWatchState *hs_job_watch_finish    (GAsyncResult        *result,
                                      GError             **error);

/* One finished poller run, as the caller's main context receives it (the run's details are
 * in the store: hs_job_watch_async() reads them). */
typedef struct
{
  int64_t  watch_id;
  int64_t  inserted;   /* new rows */
} HsPollerEvent;

typedef void (*HsPollerEventFunc) (const HsPollerEvent *event,
                                   gpointer             user_data);

void          hs_poller_async        (const HsPollerOptions *options,
                                      HsPollerEventFunc      event_func,
                                      gpointer               event_data,
                                      GDestroyNotify         event_destroy,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data);
gboolean      hs_poller_finish       (GAsyncResult          *result,
                                      HsPollerStats         *stats,
                                      GError               **error);

void              hs_job_backfill_async  (const char           *db_path,
                                          const HsFetchRequest *request,
                                          HsJobProgressFunc     progress,
                                          gpointer              progress_data,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
HsBackfillResult *hs_job_backfill_finish (GAsyncResult         *result,
                                          GError              **error);
void              hs_backfill_result_free (HsBackfillResult    *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsWatchState, hs_watch_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBackfillResult, hs_backfill_result_free)

G_END_DECLS
