/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store-query.h"
#include "hs-trade-stats.h"

G_BEGIN_DECLS

/* The Trades page's reads, each on a worker with its own connection (hs-trades-job.c). */

/* Which trades: the paper trades, or the trades of one backtest run, that a training-query
 * filter selects. */
typedef struct
{
  int64_t  run_id;   /* 0: paper trades; > 0: that run's backtest trades */
  char    *filter;   /* (owned) (nullable) the query language; NULL or blank: all */
} HsTradesQuery;

HsQuery   *hs_trades_query_compile        (const HsTradesQuery *query,
                                           GError             **error);
GPtrArray *hs_trades_query_run            (HsStore             *store,
                                           const HsTradesQuery *query,
                                           GCancellable        *cancellable,
                                           GError             **error);

void       hs_trades_job_load_async       (const char          *db_path,
                                           const HsTradesQuery *query,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray *hs_trades_job_load_finish      (GAsyncResult        *result,
                                           GError             **error);

/* The names the query bar completes: the fields of paper trades and the JSON paths present in
 * the stored context that compile. */
void       hs_trades_job_fields_async     (const char          *db_path,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GStrv      hs_trades_job_fields_finish    (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
