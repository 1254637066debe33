/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Retention (seed 001; docs/gaps-retention.md): trades and quotes of UTC days older than the
 * kept number of days become 1-minute candles, CVD snapshots and 1-minute quote bars, and are
 * then removed. Each instrument-day is one write transaction that reads the day's rows, writes
 * the roll-up and deletes the rows, so a row written meanwhile by another connection is either
 * rolled up or left for the next run, and an interruption (cancel, crash, power) leaves days
 * either done or untouched. A dry run reads the same rows in a read transaction and counts what
 * the roll-up would write and what it would find stored already.
 *
 * Load: a day's trades and quotes are held as columns (about 40 bytes a trade); the roll-up is
 * one pass. A million trades take about a second (tests/bench/bench-gaps.c).
 */
#define G_LOG_DOMAIN "hs-retention"

#include "config.h"

#include "hs-retention.h"

#include "hs-job-worker.h"
#include "hs-rollup.h"
#include "hs-store-market.h"
#include "hs-store-retention.h"
#include "hs-time.h"

#include <string.h>

#define DAY_US G_GINT64_CONSTANT (86400000000)

void
hs_retention_request_init (HsRetentionRequest *request)
{
  *request = (HsRetentionRequest) { .days = HS_RETENTION_DEFAULT_DAYS };
}

/**
 * hs_retention_cutoff:
 *
 * Returns: the UTC midnight at or before now − days: trades and quotes before it are due.
 *   Whole days only, so a minute is never split between two runs.
 */
int64_t
hs_retention_cutoff (const HsRetentionRequest *request)
{
  int64_t now = request->now != 0 ? request->now : hs_time_now_us ();
  int64_t t = now - (int64_t) request->days * DAY_US;

  return t - ((t % DAY_US) + DAY_US) % DAY_US;
}

static void
retention_day_clear (gpointer data)
{
  HsRetentionDay *d = data;

  g_free (d->symbol);
  g_free (d->exchange);
}

void
hs_retention_result_free (HsRetentionResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->days, g_array_unref);
  g_free (result);
}

/* The times of @rows, HsBar or HsCvdPoint: both start with their int64_t ts. */
G_STATIC_ASSERT (G_STRUCT_OFFSET (HsBar, ts) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (HsCvdPoint, ts) == 0);

static GArray *
times_of (GArray *rows)
{
  GArray *ts = g_array_sized_new (FALSE, FALSE, sizeof (int64_t), rows->len);
  guint size = g_array_get_element_size (rows);

  for (guint i = 0; i < rows->len; i++)
    {
      int64_t t;

      memcpy (&t, rows->data + (size_t) i * size, sizeof t);
      g_array_append_val (ts, t);
    }
  return ts;
}

/* The dry run's counts: what would be new among the rows the roll-up makes. */
static gboolean
count_new (HsStore           *store,
           HsRetentionDay    *d,
           GArray            *bars,
           GArray            *cvd,
           const HsQuoteBars *qbars,
           GError           **error)
{
  g_autoptr(GArray) bts = times_of (bars);
  g_autoptr(GArray) cts = times_of (cvd);
  int64_t stored = 0;

  if (!hs_store_count_stored (store, HS_ROLLUP_CANDLES, d->instrument_id,
                              (const int64_t *) (void *) bts->data, bts->len, &stored, error))
    return FALSE;
  d->candles_written = d->candles - stored;
  if (!hs_store_count_stored (store, HS_ROLLUP_CVD, d->instrument_id,
                              (const int64_t *) (void *) cts->data, cts->len, &stored, error))
    return FALSE;
  d->cvd_written = (int64_t) cvd->len - stored;
  if (!hs_store_count_stored (store, HS_ROLLUP_QUOTE_BARS, d->instrument_id, qbars->ts, qbars->n,
                              &stored, error))
    return FALSE;
  d->quote_bars_written = d->quote_bars - stored;
  return TRUE;
}

/* Reads one instrument-day, rolls it up and (unless a dry run) writes the roll-up and removes
 * the day's trades and quotes, inside the caller's transaction. */
static gboolean
roll_day (HsStore        *store,
          HsRetentionDay *d,
          gboolean        dry_run,
          GError        **error)
{
  int64_t from = d->day * DAY_US, end = from + DAY_US, removed_trades = 0, removed_quotes = 0;
  g_autoptr(HsTradeColumns) trades = NULL;
  g_autoptr(HsQuoteColumns) quotes = NULL;
  g_autoptr(GArray) bars = NULL;
  g_autoptr(GArray) cvd = NULL;
  g_autoptr(HsQuoteBars) qbars = NULL;

  trades = hs_store_load_trade_columns (store, d->instrument_id, from, end, error);
  if (trades == NULL)
    return FALSE;
  quotes = hs_store_load_quote_columns (store, d->instrument_id, from, end, error);
  if (quotes == NULL)
    return FALSE;
  bars = hs_rollup_trades (trades, error);
  if (bars == NULL)
    return FALSE;
  cvd = hs_rollup_cvd (trades);
  qbars = hs_rollup_quotes (quotes);
  d->trades = (int64_t) trades->n;
  d->candles = bars->len;
  d->quotes = (int64_t) quotes->n;
  d->quote_bars = (int64_t) qbars->n;
  if (dry_run)
    return count_new (store, d, bars, cvd, qbars, error);
  return hs_store_insert_bars (store, d->instrument_id, HS_ROLLUP_INTERVAL,
                               (const HsBar *) (void *) bars->data, bars->len,
                               &d->candles_written, error)
         && hs_store_insert_cvd_points (store, d->instrument_id,
                                        (const HsCvdPoint *) (void *) cvd->data, cvd->len,
                                        &d->cvd_written, error)
         && hs_store_insert_quote_bars (store, d->instrument_id, HS_ROLLUP_INTERVAL, qbars,
                                        &d->quote_bars_written, error)
         && hs_store_delete_rolled_up (store, d->instrument_id, from, end, &removed_trades,
                                       &removed_quotes, error);
}

static char *
day_text (int64_t day)
{
  char buf[40];

  hs_time_format_iso_buf (day * DAY_US, buf);
  return g_strndup (buf, 10);
}

/* roll_day() in its own transaction: a write transaction taken before the read, so nothing
 * written between the read and the delete escapes the roll-up; a read one for a dry run. */
static gboolean
roll_day_transaction (HsStore        *store,
                      HsRetentionDay *d,
                      gboolean        dry_run,
                      GError        **error)
{
  if (!(dry_run ? hs_store_begin_read (store, error) : hs_store_begin (store, error)))
    return FALSE;
  if (!roll_day (store, d, dry_run, error))
    {
      g_autofree char *when = day_text (d->day);

      hs_store_rollback (store);
      g_prefix_error (error, "rolling up %s on %s: ", d->symbol, when);
      return FALSE;
    }
  if (dry_run)
    {
      hs_store_rollback (store);
      return TRUE;
    }
  if (!hs_store_commit (store, error))
    {
      hs_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_retention_run:
 * @request: the days to keep; a dry run changes nothing
 * @progress: (nullable): called on this thread after each instrument-day
 * @cancellable: (nullable): looked at before each instrument-day; the days done stay done
 *
 * Rolls up and removes the trades and quotes of every UTC day before hs_retention_cutoff(), one
 * transaction per instrument and day, oldest day of the lowest instrument id first. A 1-minute
 * candle or quote bar stored already (fetched from a provider, or imported) is kept as it is,
 * and the trades are removed all the same; their CVD is still recorded. A second run finds
 * nothing to do.
 *
 * Returns: (transfer full): what was done, or %NULL with @error (%HS_STORE_ERROR,
 *   %G_IO_ERROR_CANCELLED); the days committed before an error stay committed
 */
HsRetentionResult *
hs_retention_run (HsStore                  *store,
                  const HsRetentionRequest *request,
                  HsRetentionProgressFunc   progress,
                  gpointer                  progress_data,
                  GCancellable             *cancellable,
                  GError                  **error)
{
  g_autoptr(HsRetentionResult) result = g_new0 (HsRetentionResult, 1);
  g_autoptr(GArray) units = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                       (GDestroyNotify) hs_instrument_free);

  g_return_val_if_fail (store != NULL && request != NULL, NULL);
  g_return_val_if_fail (request->days >= 0 && request->days <= HS_RETENTION_MAX_DAYS, NULL);

  result->cutoff = hs_retention_cutoff (request);
  result->dry_run = request->dry_run;
  result->days = g_array_new (FALSE, FALSE, sizeof (HsRetentionDay));
  g_array_set_clear_func (result->days, retention_day_clear);
  if (!hs_store_begin_read (store, error))
    return NULL;
  units = hs_store_retention_units (store, result->cutoff, error);
  hs_store_rollback (store);
  if (units == NULL)
    return NULL;
  for (guint i = 0; i < units->len; i++)
    {
      const HsRetentionUnit *u = &g_array_index (units, HsRetentionUnit, i);
      HsInstrument *inst = g_hash_table_lookup (names, &u->instrument_id);
      HsRetentionDay d = { .instrument_id = u->instrument_id, .day = u->day };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (inst == NULL)
        {
          inst = hs_store_load_instrument (store, u->instrument_id, error);
          if (inst == NULL)
            return NULL;
          g_hash_table_insert (names, &inst->id, inst);
        }
      d.symbol = g_strdup (inst->symbol);
      d.exchange = g_strdup (inst->exchange);
      if (!roll_day_transaction (store, &d, request->dry_run, error))
        {
          retention_day_clear (&d);
          return NULL;
        }
      g_array_append_val (result->days, d);
      if (progress != NULL)
        {
          g_autofree char *when = day_text (d.day);
          g_autofree char *msg = g_strdup_printf ("%s %s: %" G_GINT64_FORMAT " trades, %"
                                                  G_GINT64_FORMAT " quotes", d.symbol, when,
                                                  d.trades, d.quotes);

          progress ((double) (i + 1) / units->len, msg, progress_data);
        }
    }
  return g_steal_pointer (&result);
}

/* ---- The GTask wrapper ---- */

static gpointer
retention_run_cb (HsStore           *store,
                  gconstpointer      request,
                  HsJobProgressFunc  progress,
                  gpointer           progress_data,
                  GCancellable      *cancellable,
                  GError           **error)
{
  return hs_retention_run (store, request, progress, progress_data, cancellable, error);
}

/**
 * hs_retention_run_async:
 * @db_path: the database file; copied
 * @request: copied
 * @progress: (nullable): called on the thread-default main context of the caller, before
 *   @callback; @progress_data must stay valid until @callback has run
 * @cancellable: (nullable): stops the job between instrument-days; the result is then
 *   %G_IO_ERROR_CANCELLED and the days already done stay done
 * @callback: runs on the thread-default main context of the caller
 *
 * Runs hs_retention_run() on a worker thread with its own connection to @db_path.
 */
void
hs_retention_run_async (const char               *db_path,
                        const HsRetentionRequest *request,
                        HsRetentionProgressFunc   progress,
                        gpointer                  progress_data,
                        GCancellable             *cancellable,
                        GAsyncReadyCallback       callback,
                        gpointer                  user_data)
{
  g_return_if_fail (db_path != NULL && request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  hs_job_run_async (db_path, g_memdup2 (request, sizeof *request), g_free, retention_run_cb,
                    (GDestroyNotify) hs_retention_result_free, progress, progress_data,
                    cancellable, callback, user_data, hs_retention_run_async,
                    "[hindsight] retention");
}

/**
 * hs_retention_run_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set as hs_retention_run() sets it
 *   (or as hs_store_open() does when the database cannot be opened)
 */
HsRetentionResult *
hs_retention_run_finish (GAsyncResult *result,
                         GError      **error)
{
  return hs_job_run_finish (result, hs_retention_run_async, error);
}
