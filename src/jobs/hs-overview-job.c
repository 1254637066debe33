/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Overview's reads (docs/ui.md): every stored series with a sparkline of its closes and its
 * gaps under the session calendar, the newest backtest runs, the open paper trades priced at the
 * last stored price, and the newest alerts; and, every few seconds while the Overview shows, the
 * open trades alone again. Both run on a worker with their own connection (hs_job_run_async()).
 *
 * Load: 80 index seeks per candle series for its sparkline and one pass over its bar times for
 * its gaps (hs_gaps_candle_ranges(), about 7 M bars/s); a few rows for everything else. The
 * positions job reads one price per open trade (tests/bench/bench-overview.c).
 */
#define G_LOG_DOMAIN "hs-overview-job"

#include "config.h"

#include "hs-overview-job.h"

#include <math.h>

#include "hs-gaps-job.h"
#include "hs-job-worker.h"
#include "hs-resample.h"
#include "hs-store-lean.h"
#include "hs-store-sample.h"

void
hs_overview_series_free (HsOverviewSeries *series)
{
  if (series == NULL)
    return;
  g_clear_pointer (&series->coverage, hs_coverage_free);
  g_free (series->closes);
  g_free (series);
}

void
hs_overview_position_free (HsOverviewPosition *position)
{
  if (position == NULL)
    return;
  g_clear_pointer (&position->trade, hs_paper_trade_free);
  g_free (position);
}

void
hs_overview_free (HsOverview *overview)
{
  if (overview == NULL)
    return;
  g_clear_pointer (&overview->series, g_ptr_array_unref);
  g_clear_pointer (&overview->backtests, g_ptr_array_unref);
  g_clear_pointer (&overview->positions, g_ptr_array_unref);
  g_clear_pointer (&overview->alerts, g_ptr_array_unref);
  g_free (overview);
}

/**
 * hs_coverage_list_copy:
 * @coverage: (element-type HsCoverage): rows of hs_store_list_coverage()
 *
 * Returns: (transfer full) (element-type HsCoverage): a deep copy
 */
GPtrArray *
hs_coverage_list_copy (const GPtrArray *coverage)
{
  GPtrArray *out = g_ptr_array_new_full (coverage->len, (GDestroyNotify) hs_coverage_free);

  for (guint i = 0; i < coverage->len; i++)
    {
      const HsCoverage *c = coverage->pdata[i];
      HsCoverage *copy = g_new0 (HsCoverage, 1);

      *copy = *c;
      copy->symbol = g_strdup (c->symbol);
      copy->exchange = g_strdup (c->exchange);
      copy->kind = g_strdup (c->kind);
      copy->data = g_strdup (c->data);
      copy->interval = g_strdup (c->interval);
      g_ptr_array_add (out, copy);
    }
  return out;
}

/* ---- Sparklines ---- */

/* The sparkline: the last close of each of up to n_closes equal slices of the series' range,
 * one index seek per slice (hs_store_sample_closes()). A series of fewer bars than points gets
 * one point per bar's worth of slices; a series of one instant, one point. */
static gboolean
sample_closes (HsStore          *store,
               HsOverviewSeries *series,
               int               n_closes,
               GError          **error)
{
  const HsCoverage *cov = series->coverage;
  size_t n = (size_t) MIN ((int64_t) n_closes, cov->rows);

  if (n == 0)
    return TRUE;
  if (cov->last_ts == cov->first_ts)
    n = 1;
  series->closes = g_new (double, n);
  series->n_closes = n;
  return hs_store_sample_closes (store, series->instrument_id, cov->interval, cov->first_ts,
                                 cov->last_ts, n, series->closes, error);
}

/* The gaps of a candle series; an interval without a grid (1w, 1mo, tick) or a missing time
 * zone leaves them unmeasured rather than failing the Overview. */
static gboolean
measure_gaps (HsStore          *store,
              HsOverviewSeries *series,
              GCancellable     *cancellable,
              GError          **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GArray) ranges = hs_gaps_candle_ranges (store, series->instrument_id,
                                                    series->coverage->interval, G_MININT64,
                                                    G_MAXINT64, cancellable, &local);

  if (ranges == NULL)
    {
      if (local->domain != HS_GAPS_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("gaps of %s %s not measured: %s", series->coverage->symbol,
               series->coverage->interval, local->message);
      return TRUE;
    }
  series->gaps = ranges->len;
  series->missing = 0;
  for (guint i = 0; i < ranges->len; i++)
    series->missing += g_array_index (ranges, HsGapRange, i).missing;
  return TRUE;
}

static GPtrArray *
read_series (HsStore                 *store,
             const HsOverviewRequest *req,
             int64_t                 *n_instruments,
             GCancellable            *cancellable,
             GError                 **error)
{
  g_autoptr(GPtrArray) coverage = req->coverage != NULL ? hs_coverage_list_copy (req->coverage)
                                                       : hs_store_list_coverage (store, error);
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GArray) holidays = NULL;
  int64_t last_id = 0;

  if (coverage == NULL)
    return NULL;
  /* What the gap finder measures US stocks against (hs_gaps_report()). */
  if (req->gaps)
    {
      holidays = hs_store_load_market_days (store, HS_MARKET_US_EQUITY, error);
      if (holidays == NULL)
        return NULL;
    }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_overview_series_free);
  for (guint i = 0; i < coverage->len; i++)
    {
      HsOverviewSeries *series = g_new0 (HsOverviewSeries, 1);
      HsCoverage *cov = NULL;

      /* Take the row out of @coverage without freeing it. */
      series->coverage = cov = g_steal_pointer (&coverage->pdata[i]);
      series->missing = -1;
      series->gaps = -1;
      g_ptr_array_add (out, series);
      if (!hs_store_find_instrument (store, cov->symbol, cov->exchange, &series->instrument_id,
                                     error))
        return NULL;
      /* The rows come by symbol and exchange: an instrument's rows follow each other. */
      if (series->instrument_id != last_id)
        (*n_instruments)++;
      last_id = series->instrument_id;
      if (g_strcmp0 (cov->data, "candles") != 0)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (req->n_closes > 0 && !sample_closes (store, series, req->n_closes, error))
        return NULL;
      if (req->gaps && !measure_gaps (store, series, cancellable, error))
        return NULL;
      series->weekdays_only = series->gaps >= 0 && holidays->len == 0
                              && hs_session_kind_for_instrument (cov->kind)
                                 == HS_SESSION_US_EQUITY;
    }
  return g_steal_pointer (&out);
}

/* ---- Open paper trades ---- */

/**
 * hs_overview_read_positions:
 * @now: the time prices are wanted for, µs UTC
 *
 * The open paper trades (not a backtest's) by entry time, each with the last price stored by
 * @now and its unrealised P&L there: hs_paper_pnl() at that price, net of the entry fees.
 *
 * Returns: (transfer full) (element-type HsOverviewPosition): the positions, or %NULL with
 *   @error set
 */
GPtrArray *
hs_overview_read_positions (HsStore *store,
                            int64_t  now,
                            GError **error)
{
  g_autoptr(GPtrArray) trades = hs_store_paper_list (store, HS_PAPER_LIST_OPEN, 0, error);
  g_autoptr(GPtrArray) out = NULL;

  if (trades == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_overview_position_free);
  for (guint i = 0; i < trades->len; i++)
    {
      HsOverviewPosition *pos = g_new0 (HsOverviewPosition, 1);
      HsPaperTrade *t = NULL;

      pos->trade = t = g_steal_pointer (&trades->pdata[i]);
      pos->pnl = pos->pnl_pct = NAN;
      g_ptr_array_add (out, pos);
      if (!hs_store_paper_last_price (store, t->instrument_id, now, &pos->priced, &pos->price,
                                      error))
        return NULL;
      if (pos->priced)
        hs_paper_pnl (t->side, t->quantity, t->entry_price, pos->price.price, t->fees,
                      &pos->pnl, &pos->pnl_pct);
    }
  return g_steal_pointer (&out);
}

/**
 * hs_overview_read:
 * @request: what to read; the times are as in #HsOverviewRequest
 * @cancellable: (nullable): looked at between series and every 65,536 bars
 *
 * Reads what the Overview shows, on the calling thread.
 *
 * Returns: (transfer full): the overview, or %NULL with @error set (%HS_STORE_ERROR,
 *   %G_IO_ERROR_CANCELLED)
 */
HsOverview *
hs_overview_read (HsStore                 *store,
                  const HsOverviewRequest *request,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  g_autoptr(HsOverview) o = g_new0 (HsOverview, 1);
  HsBtRunFilter filter;
  int64_t now = request->now != 0 ? request->now : g_get_real_time ();

  o->series = read_series (store, request, &o->n_instruments, cancellable, error);
  if (o->series == NULL)
    return NULL;

  if (request->n_backtests > 0)
    {
      hs_bt_run_filter_init (&filter);
      filter.limit = request->n_backtests;
      if (!hs_store_list_backtests (store, &filter, &o->backtests, error))
        return NULL;
    }
  else
    o->backtests = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_bt_run_row_free);

  o->positions = hs_overview_read_positions (store, now, error);
  if (o->positions == NULL)
    return NULL;

  if (request->n_alerts > 0)
    o->alerts = hs_store_list_alerts (store, request->n_alerts, error);
  else
    o->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_alert_free);
  if (o->alerts == NULL)
    return NULL;
  return g_steal_pointer (&o);
}

/* ---- Jobs ---- */

static gpointer
overview_run (HsStore           *store,
              gconstpointer      request,
              HsJobProgressFunc  progress,
              gpointer           progress_data,
              GCancellable      *cancellable,
              GError           **error)
{
  return hs_overview_read (store, request, cancellable, error);
}

/* The worker gets its own copy of the request, coverage rows included. */
static gpointer
overview_request_copy (const HsOverviewRequest *request)
{
  HsOverviewRequest *copy = g_memdup2 (request, sizeof *request);

  if (request->coverage != NULL)
    copy->coverage = hs_coverage_list_copy (request->coverage);
  return copy;
}

static void
overview_request_free (gpointer data)
{
  HsOverviewRequest *request = data;

  g_clear_pointer (&request->coverage, g_ptr_array_unref);
  g_free (request);
}

/**
 * hs_job_overview_async:
 * @db_path: the database file; copied. It must exist with the current schema (the window opens
 *   it with the coverage job first).
 * @request: copied, with its coverage rows
 * @callback: runs on the thread-default main context of the caller
 *
 * hs_overview_read() on a worker with its own connection.
 */
void
hs_job_overview_async (const char              *db_path,
                       const HsOverviewRequest *request,
                       GCancellable            *cancellable,
                       GAsyncReadyCallback      callback,
                       gpointer                 user_data)
{
  g_return_if_fail (db_path != NULL);
  g_return_if_fail (request != NULL);

  hs_job_run_async (db_path, overview_request_copy (request), overview_request_free,
                    overview_run, (GDestroyNotify) hs_overview_free, NULL, NULL, cancellable,
                    callback, user_data, hs_job_overview_async, "[hindsight] overview");
}

/* Returns: (transfer full): the overview, or %NULL with @error set */
HsOverview *
hs_job_overview_finish (GAsyncResult *result,
                        GError      **error)
{
  return hs_job_run_finish (result, hs_job_overview_async, error);
}

static gpointer
positions_run (HsStore           *store,
               gconstpointer      request,
               HsJobProgressFunc  progress,
               gpointer           progress_data,
               GCancellable      *cancellable,
               GError           **error)
{
  const int64_t *now = request;

  return hs_overview_read_positions (store, *now != 0 ? *now : g_get_real_time (), error);
}

/**
 * hs_job_positions_async:
 * @now: the time prices are wanted for, µs UTC; 0 for the time the worker reads them
 *
 * hs_overview_read_positions() on a worker with its own connection: the Overview's periodic
 * refresh of its open trades' P&L.
 */
void
hs_job_positions_async (const char          *db_path,
                        int64_t              now,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (db_path != NULL);

  hs_job_run_async (db_path, g_memdup2 (&now, sizeof now), g_free, positions_run,
                    (GDestroyNotify) g_ptr_array_unref, NULL, NULL, cancellable, callback,
                    user_data, hs_job_positions_async, "[hindsight] positions");
}

/* Returns: (transfer full) (element-type HsOverviewPosition): the positions, or %NULL with
 *   @error set */
GPtrArray *
hs_job_positions_finish (GAsyncResult *result,
                         GError      **error)
{
  return hs_job_run_finish (result, hs_job_positions_async, error);
}
