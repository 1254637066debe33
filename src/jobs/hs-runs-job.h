/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store-backtest.h"
#include "hs-store-bt-compare.h"
#include "hs-store-market.h"

G_BEGIN_DECLS

/* The stored backtest runs as the window's run history reads and changes them, and the stored
 * series a run can read, each on a worker with its own connection (hs-runs-job.c). */

/* Which runs to list: as #HsBtRunFilter, with texts owned. */
typedef struct
{
  char    *strategy;   /* (owned) (nullable) */
  char    *symbol;     /* (owned) (nullable) */
  int64_t  from_ts;    /* G_MININT64: no bound */
  int64_t  to_ts;      /* G_MAXINT64: no bound */
  int64_t  limit;      /* 0: all */
} HsRunsQuery;

typedef struct
{
  GPtrArray *runs;         /* (owned) (element-type HsBtRunRow) newest first, statistics only */
  GPtrArray *strategies;   /* (owned) (element-type HsStrategyComparison) the view's rows */
} HsRunsList;

void        hs_runs_query_init        (HsRunsQuery         *query);
void        hs_runs_query_clear       (HsRunsQuery         *query);
void        hs_runs_list_free         (HsRunsList          *list);

void        hs_runs_job_list_async    (const char          *db_path,
                                       const HsRunsQuery   *query,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
HsRunsList *hs_runs_job_list_finish   (GAsyncResult        *result,
                                       GError             **error);

void        hs_runs_job_load_async    (const char          *db_path,
                                       const int64_t       *ids,
                                       size_t               n_ids,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray  *hs_runs_job_load_finish   (GAsyncResult        *result,
                                       GError             **error);

void        hs_runs_job_delete_async  (const char          *db_path,
                                       const int64_t       *ids,
                                       size_t               n_ids,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    hs_runs_job_delete_finish (GAsyncResult        *result,
                                       GError             **error);

void        hs_runs_job_series_async  (const char          *db_path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray  *hs_runs_job_series_finish (GAsyncResult        *result,
                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRunsList, hs_runs_list_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsRunsQuery, hs_runs_query_clear)

G_END_DECLS
