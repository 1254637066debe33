/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run history's jobs: list the stored runs (statistics only, one row each) with the
 * strategy comparison view; load runs in full (trades and equity curve) for the results view
 * and the comparison; delete runs in one transaction. And the backtest setup's: the stored
 * series (hs_store_list_coverage()), without creating a database that is not there. Each runs on a GTask worker with its own
 * connection (hs-job-worker.c). A list of 10,000 runs reads in a few tens of milliseconds; a
 * full run costs about 1 µs per bar and per trade.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-runs-job.h"

#include <string.h>

#include "hs-job-worker.h"

void
hs_runs_query_init (HsRunsQuery *query)
{
  memset (query, 0, sizeof *query);
  query->from_ts = G_MININT64;
  query->to_ts = G_MAXINT64;
}

void
hs_runs_query_clear (HsRunsQuery *query)
{
  g_clear_pointer (&query->strategy, g_free);
  g_clear_pointer (&query->symbol, g_free);
}

static void
runs_query_free (gpointer data)
{
  hs_runs_query_clear (data);
  g_free (data);
}

void
hs_runs_list_free (HsRunsList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->runs, g_ptr_array_unref);
  g_clear_pointer (&list->strategies, g_ptr_array_unref);
  g_free (list);
}

static gpointer
list_run (HsStore           *store,
          gconstpointer      request,
          HsJobProgressFunc  progress,
          gpointer           progress_data,
          GCancellable      *cancellable,
          GError           **error)
{
  const HsRunsQuery *q = request;
  g_autoptr(HsRunsList) list = g_new0 (HsRunsList, 1);
  HsBtRunFilter filter;

  hs_bt_run_filter_init (&filter);
  filter.strategy = q->strategy;
  filter.symbol = q->symbol;
  filter.from_ts = q->from_ts;
  filter.to_ts = q->to_ts;
  filter.limit = q->limit;
  if (!hs_store_list_backtests (store, &filter, &list->runs, error)
      || !hs_store_strategy_comparison (store, &list->strategies, error))
    return NULL;
  return g_steal_pointer (&list);
}

/**
 * hs_runs_job_list_async:
 * @query: copied
 *
 * Lists the stored runs @query selects, newest first, and the strategy comparison view.
 */
void
hs_runs_job_list_async (const char          *db_path,
                        const HsRunsQuery   *query,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  HsRunsQuery *copy = g_new0 (HsRunsQuery, 1);

  *copy = *query;
  copy->strategy = g_strdup (query->strategy);
  copy->symbol = g_strdup (query->symbol);
  hs_job_run_async (db_path, copy, runs_query_free, list_run,
                    (GDestroyNotify) hs_runs_list_free, NULL, NULL, cancellable, callback,
                    user_data, hs_runs_job_list_async, "hs-runs-list");
}

/* Returns: (transfer full): the list, or %NULL with @error set */
HsRunsList *
hs_runs_job_list_finish (GAsyncResult  *result,
                         GError       **error)
{
  return hs_job_run_finish (result, hs_runs_job_list_async, error);
}

/* The ids of a load or delete. */
typedef struct
{
  int64_t *ids;
  size_t   n;
} IdList;

static void
id_list_free (gpointer data)
{
  IdList *l = data;

  g_free (l->ids);
  g_free (l);
}

static IdList *
id_list_new (const int64_t *ids,
             size_t         n)
{
  IdList *l = g_new0 (IdList, 1);

  l->ids = g_memdup2 (ids, n * sizeof *ids);
  l->n = n;
  return l;
}

static gpointer
load_run (HsStore           *store,
          gconstpointer      request,
          HsJobProgressFunc  progress,
          gpointer           progress_data,
          GCancellable      *cancellable,
          GError           **error)
{
  const IdList *l = request;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_bt_run_row_free);

  for (size_t i = 0; i < l->n; i++)
    {
      HsBtRunRow *row = g_new0 (HsBtRunRow, 1);

      g_ptr_array_add (rows, row);
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !hs_store_load_backtest (store, l->ids[i], &row->info, &row->result, error))
        return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * hs_runs_job_load_async:
 * @ids: (array length=n_ids): copied
 *
 * Loads runs in full: statistics, trades and equity curve (for a cache-hit row, those of the
 * run it repeats).
 */
void
hs_runs_job_load_async (const char          *db_path,
                        const int64_t       *ids,
                        size_t               n_ids,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  hs_job_run_async (db_path, id_list_new (ids, n_ids), id_list_free, load_run,
                    (GDestroyNotify) g_ptr_array_unref, NULL, NULL, cancellable, callback,
                    user_data, hs_runs_job_load_async, "hs-runs-load");
}

/* Returns: (transfer full) (element-type HsBtRunRow): the runs in the order asked, or %NULL
 *   with @error set (%HS_STORE_ERROR_NOT_FOUND for a run that is gone) */
GPtrArray *
hs_runs_job_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  return hs_job_run_finish (result, hs_runs_job_load_async, error);
}

static gpointer
delete_run (HsStore           *store,
            gconstpointer      request,
            HsJobProgressFunc  progress,
            gpointer           progress_data,
            GCancellable      *cancellable,
            GError           **error)
{
  const IdList *l = request;

  if (!hs_store_begin (store, error))
    return NULL;
  for (size_t i = 0; i < l->n; i++)
    {
      g_autoptr(GError) local = NULL;

      /* A run already gone (deleted with the computed run it repeated) is no error. */
      if (!hs_store_delete_backtest (store, l->ids[i], &local)
          && !g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
        {
          hs_store_rollback (store);
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  if (!hs_store_commit (store, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

/**
 * hs_runs_job_delete_async:
 * @ids: (array length=n_ids): copied
 *
 * Deletes the runs in one transaction, each with its trades, equity curve and cache-hit rows
 * (hs_store_delete_backtest()): all of them or, on an error, none.
 */
void
hs_runs_job_delete_async (const char          *db_path,
                          const int64_t       *ids,
                          size_t               n_ids,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  hs_job_run_async (db_path, id_list_new (ids, n_ids), id_list_free, delete_run, NULL, NULL,
                    NULL, cancellable, callback, user_data, hs_runs_job_delete_async,
                    "hs-runs-delete");
}

gboolean
hs_runs_job_delete_finish (GAsyncResult  *result,
                           GError       **error)
{
  return hs_job_run_finish (result, hs_runs_job_delete_async, error) != NULL;
}

static gpointer
series_run (HsStore           *store,
            gconstpointer      request,
            HsJobProgressFunc  progress,
            gpointer           progress_data,
            GCancellable      *cancellable,
            GError           **error)
{
  return hs_store_list_coverage (store, error);
}

/**
 * hs_runs_job_series_async:
 *
 * Reads what the database stores per instrument and kind of data (hs_store_list_coverage()):
 * the backtest setup's instruments, intervals and periods.
 */
void
hs_runs_job_series_async (const char          *db_path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  hs_job_run_async (db_path, NULL, NULL, series_run, (GDestroyNotify) g_ptr_array_unref, NULL,
                    NULL, cancellable, callback, user_data, hs_runs_job_series_async,
                    "hs-runs-series");
}

/* Returns: (transfer full) (element-type HsCoverage): the series, or %NULL with @error set */
GPtrArray *
hs_runs_job_series_finish (GAsyncResult  *result,
                           GError       **error)
{
  return hs_job_run_finish (result, hs_runs_job_series_async, error);
}
