/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bars job: one series' candles as columns (hs_store_load_bars()) on a worker with its own
 * connection, for the Data page's chart of the selected instrument.
 *
 * Load: one range scan of the candles' primary key; a million bars are about 50 MB of columns.
 */
#define G_LOG_DOMAIN "hs-bars-job"

#include "config.h"

#include "hs-bars-job.h"

#include "hs-job-worker.h"
#include "hs-store-market.h"

static HsBarsRequest *
bars_request_copy (const HsBarsRequest *req)
{
  HsBarsRequest *copy = g_new0 (HsBarsRequest, 1);

  copy->symbol = g_strdup (req->symbol);
  copy->exchange = g_strdup (req->exchange);
  copy->interval = g_strdup (req->interval);
  copy->from_ts = req->from_ts;
  copy->to_ts = req->to_ts;
  return copy;
}

static void
bars_request_free (gpointer data)
{
  HsBarsRequest *req = data;

  g_free (req->symbol);
  g_free (req->exchange);
  g_free (req->interval);
  g_free (req);
}

static gpointer
bars_run (HsStore           *store,
          gconstpointer      request,
          HsJobProgressFunc  progress,
          gpointer           progress_data,
          GCancellable      *cancellable,
          GError           **error)
{
  const HsBarsRequest *req = request;
  int64_t id = 0;

  if (!hs_store_find_instrument (store, req->symbol, req->exchange, &id, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return hs_store_load_bars (store, id, req->interval, req->from_ts, req->to_ts, error);
}

/**
 * hs_job_bars_async:
 * @db_path: the database file; copied
 * @request: the series and range; copied
 * @callback: runs on the thread-default main context of the caller
 */
void
hs_job_bars_async (const char          *db_path,
                   const HsBarsRequest *request,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_return_if_fail (db_path != NULL);
  g_return_if_fail (request != NULL && request->symbol != NULL && request->interval != NULL);

  hs_job_run_async (db_path, bars_request_copy (request), bars_request_free, bars_run,
                    (GDestroyNotify) hs_bars_free, NULL, NULL, cancellable, callback,
                    user_data, hs_job_bars_async, "[hindsight] bars");
}

/**
 * hs_job_bars_finish:
 *
 * Returns: (transfer full): the bars (n may be 0), or %NULL with @error set
 *   (%HS_STORE_ERROR_NOT_FOUND for an unknown instrument, %G_IO_ERROR_CANCELLED)
 */
HsBars *
hs_job_bars_finish (GAsyncResult *result,
                    GError      **error)
{
  return hs_job_run_finish (result, hs_job_bars_async, error);
}
