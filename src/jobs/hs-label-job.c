/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The label job: walks the work queue of closed trades (paper_trades, then backtest_trades) in
 * batches. A batch is read in one read transaction together with the 1-minute bars it needs
 * (per instrument, the windows of its trades, from a minute before the entry to the exit or
 * entry + 1 h, merged where they nearly touch) and the end of each instrument's bars; the labels are computed outside any transaction
 * (hs_label_compute()); the batch is written in one short write transaction in which every
 * trade is checked again (hs_store_label_write()), so a trade changed meanwhile is not labeled
 * with stale inputs. Cancellation is checked between batches; the batches written stay written
 * (each is complete and correct on its own).
 *
 * Load: a bar read per instrument and batch when the batch is in time order (as the queues
 * mostly are), about 200 ns a bar (hs_store_load_bars()); the labels themselves cost two binary searches and a pass over the holding period's bars per
 * trade (tests/bench/bench-label.c).
 */
#define G_LOG_DOMAIN "hs-label-job"

#include "config.h"

#include "hs-label-job.h"

#include "hs-job-worker.h"
#include "hs-store-market.h"
#include "hs-time.h"

#include <string.h>

#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 10)

void
hs_label_request_init (HsLabelRequest *request)
{
  g_return_if_fail (request != NULL);

  *request = (HsLabelRequest) { 0 };
  request->since = G_MININT64;
}

static void
skip_clear (gpointer data)
{
  HsLabelSkip *skip = data;

  g_free (skip->reason);
}

static HsLabelResult *
result_new (void)
{
  HsLabelResult *result = g_new0 (HsLabelResult, 1);

  result->labeled = g_array_new (FALSE, FALSE, sizeof (HsLabelRef));
  result->unchanged = g_array_new (FALSE, FALSE, sizeof (HsLabelRef));
  result->conflicts = g_array_new (FALSE, FALSE, sizeof (HsLabelRef));
  result->skipped = g_array_new (FALSE, FALSE, sizeof (HsLabelSkip));
  g_array_set_clear_func (result->skipped, skip_clear);
  return result;
}

void
hs_label_result_free (HsLabelResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->labeled, g_array_unref);
  g_clear_pointer (&result->unchanged, g_array_unref);
  g_clear_pointer (&result->conflicts, g_array_unref);
  g_clear_pointer (&result->skipped, g_array_unref);
  g_free (result);
}

/* Windows closer than this are read as one: a query costs about as much as reading this many
 * minutes of bars. */
#define MERGE_GAP_US (INT64_C (60) * HS_LABEL_BAR_US)

/* A span of bar starts one trade needs: from a minute before its entry (the bar holding the
 * entry) to its exit or its entry + 1 h, whichever is later. */
typedef struct
{
  int64_t from_ts, to_ts;
} Window;

/* The bars one batch needs of one instrument. */
typedef struct
{
  GArray  *windows;          /* (owned) Window, one per trade */
  int64_t  data_end_ts;
  HsBars  *bars;             /* (owned) (nullable) the bars of the merged windows, in order */
} Series;

static void
series_free (gpointer data)
{
  Series *s = data;

  g_array_unref (s->windows);
  hs_bars_free (s->bars);
  g_free (s);
}

static int
window_cmp (gconstpointer a,
            gconstpointer b)
{
  const Window *x = a, *y = b;

  return (x->from_ts > y->from_ts) - (x->from_ts < y->from_ts);
}

/* Appends @piece's bars to @bars (whose columns have room for them). */
static void
bars_append (HsBars       *bars,
             const HsBars *piece)
{
  size_t n = bars->n, k = piece->n;

  memcpy (bars->ts + n, piece->ts, k * sizeof *piece->ts);
  memcpy (bars->open + n, piece->open, k * sizeof (double));
  memcpy (bars->high + n, piece->high, k * sizeof (double));
  memcpy (bars->low + n, piece->low, k * sizeof (double));
  memcpy (bars->close + n, piece->close, k * sizeof (double));
  memcpy (bars->volume + n, piece->volume, k * sizeof (double));
  memcpy (bars->vwap + n, piece->vwap, k * sizeof (double));
  bars->n = n + k;
}

/* Reads the bars of @s's windows, merged where they overlap or nearly touch: a batch in time
 * order is one read; a batch of trades scattered over years reads only the hours around them.
 * The bars between merged windows are left out, which changes no label: every bar a trade's
 * label looks at lies in its own window. */
static gboolean
series_load (HsStore *store,
             int64_t  instrument_id,
             Series  *s,
             GError **error)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_bars_free);
  size_t total = 0;

  g_array_sort (s->windows, window_cmp);
  for (guint i = 0; i < s->windows->len;)
    {
      Window w = g_array_index (s->windows, Window, i);
      HsBars *piece;

      for (i++; i < s->windows->len; i++)
        {
          const Window *next = &g_array_index (s->windows, Window, i);

          if (next->from_ts > w.to_ts + MERGE_GAP_US)
            break;
          w.to_ts = MAX (w.to_ts, next->to_ts);
        }
      piece = hs_store_load_bars (store, instrument_id, "1m", w.from_ts, w.to_ts, error);
      if (piece == NULL)
        return FALSE;
      total += piece->n;
      g_ptr_array_add (pieces, piece);
    }
  if (pieces->len == 1)
    {
      s->bars = g_ptr_array_steal_index (pieces, 0);
      return TRUE;
    }
  s->bars = hs_bars_new (total, 60);
  s->bars->n = 0;
  for (guint i = 0; i < pieces->len; i++)
    bars_append (s->bars, pieces->pdata[i]);
  return TRUE;
}

typedef struct
{
  HsLabelProgressFunc func;
  gpointer            data;
  int64_t             last_us;
} Progress;

static void
report (Progress            *p,
        const HsLabelResult *result,
        gboolean             last)
{
  int64_t now = g_get_monotonic_time ();
  g_autofree char *msg = NULL;
  double fraction;

  if (p->func == NULL
      || (!last && p->last_us != G_MININT64 && now - p->last_us < PROGRESS_INTERVAL_US))
    return;
  p->last_us = now;
  fraction = result->queued > 0 ? (double) result->examined / (double) result->queued : 1;
  msg = g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " trades: %u labeled, "
                         "%u skipped", result->examined, MAX (result->queued, result->examined),
                         result->labeled->len, result->skipped->len);
  p->func (last ? 1 : MIN (fraction, 1), msg, p->data);
}

/* Reads the next batch and the bars it needs in one read transaction. */
static GArray *
read_batch (HsStore             *store,
            HsLabelTable         table,
            const HsLabelFilter *filter,
            HsLabelCursor       *cursor,
            guint                limit,
            GHashTable          *series,
            GError             **error)
{
  g_autoptr(GArray) rows = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (!hs_store_begin_read (store, error))
    return NULL;
  rows = hs_store_label_next (store, table, filter, cursor, limit, error);
  if (rows == NULL)
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    {
      const HsLabelRow *row = &g_array_index (rows, HsLabelRow, i);
      Window w = { row->entry_ts - HS_LABEL_BAR_US,
                   MAX (row->exit_ts, row->entry_ts + HS_LABEL_HORIZON_1H) };
      Series *s;

      if (row->instrument_id == 0)
        continue;
      s = g_hash_table_lookup (series, &row->instrument_id);
      if (s == NULL)
        {
          int64_t *id = g_new (int64_t, 1);

          *id = row->instrument_id;
          s = g_new0 (Series, 1);
          s->windows = g_array_new (FALSE, FALSE, sizeof (Window));
          g_hash_table_insert (series, id, s);
        }
      g_array_append_val (s->windows, w);
    }
  g_hash_table_iter_init (&iter, series);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Series *s = value;
      int64_t instrument_id = *(const int64_t *) key;

      if (!hs_store_label_data_end (store, instrument_id, &s->data_end_ts, error)
          || !series_load (store, instrument_id, s, error))
        goto fail;
    }
  if (!hs_store_commit (store, error))
    goto fail;
  return g_steal_pointer (&rows);

fail:
  hs_store_rollback (store);
  return NULL;
}

static gboolean
label_batch (HsStore              *store,
             const HsLabelRequest *request,
             HsLabelTable          table,
             const HsLabelFilter  *filter,
             HsLabelCursor        *cursor,
             HsLabelResult        *result,
             guint                *n_read,
             GError              **error)
{
  g_autoptr(GHashTable) series = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        series_free);
  g_autoptr(GArray) rows = NULL;
  g_autofree HsLabel *labels = NULL;
  g_autofree HsLabelWriteOutcome *outcomes = NULL;

  rows = read_batch (store, table, filter, cursor,
                     request->batch_size > 0 ? request->batch_size : HS_LABEL_JOB_BATCH,
                     series, error);
  if (rows == NULL)
    return FALSE;
  *n_read = rows->len;
  if (rows->len == 0)
    return TRUE;

  labels = g_new (HsLabel, rows->len);
  outcomes = g_new (HsLabelWriteOutcome, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const HsLabelRow *row = &g_array_index (rows, HsLabelRow, i);
      const Series *s = row->instrument_id != 0
                        ? g_hash_table_lookup (series, &row->instrument_id) : NULL;
      HsLabelTrade trade = { row->side, row->entry_ts, row->entry_price, row->exit_ts };

      if (s == NULL)
        hs_label_set_status (&labels[i], HS_LABEL_NO_INSTRUMENT);
      else
        hs_label_compute (s->bars, s->data_end_ts, &trade, &labels[i]);
    }

  if (request->before_write != NULL)
    request->before_write ((const HsLabelRow *) rows->data, labels, rows->len,
                           request->before_write_data);
  if (!hs_store_label_write (store, (const HsLabelRow *) rows->data, labels, rows->len,
                             hs_time_now_us (), outcomes, error))
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      const HsLabelRow *row = &g_array_index (rows, HsLabelRow, i);
      HsLabelRef ref = { row->table, row->id };
      HsLabelSkip skip = { row->table, row->id, labels[i].status, NULL };

      switch (outcomes[i])
        {
        case HS_LABEL_WRITE_WRITTEN:
          g_array_append_val (result->labeled, ref);
          break;
        case HS_LABEL_WRITE_UNCHANGED:
          g_array_append_val (result->unchanged, ref);
          break;
        case HS_LABEL_WRITE_SKIPPED:
          skip.reason = hs_label_describe (&labels[i]);
          g_array_append_val (result->skipped, skip);
          break;
        case HS_LABEL_WRITE_CONFLICT:
        default:
          g_array_append_val (result->conflicts, ref);
          break;
        }
    }
  result->examined += rows->len;
  return TRUE;
}

static guint
ref_hash (gconstpointer p)
{
  const HsLabelRef *r = p;

  return g_int64_hash (&r->id) ^ (guint) r->table;
}

static gboolean
ref_equal (gconstpointer a,
           gconstpointer b)
{
  const HsLabelRef *x = a, *y = b;

  return x->table == y->table && x->id == y->id;
}

static void
add_refs (GHashTable   *set,
          const GArray *refs,
          size_t        elt_size)
{
  for (guint i = 0; i < refs->len; i++)
    g_hash_table_add (set, (gpointer) (refs->data + i * elt_size));
}

/* A trade that conflicted and came back in the same run (its new exit time is later in the
 * queue) was dealt with after all: it is no conflict any more. */
static void
drop_settled_conflicts (HsLabelResult *result)
{
  g_autoptr(GHashTable) settled = NULL;
  g_autoptr(GArray) kept = NULL;

  if (result->conflicts->len == 0)
    return;
  /* HsLabelSkip starts with the fields of HsLabelRef. */
  G_STATIC_ASSERT (G_STRUCT_OFFSET (HsLabelSkip, table) == G_STRUCT_OFFSET (HsLabelRef, table));
  G_STATIC_ASSERT (G_STRUCT_OFFSET (HsLabelSkip, id) == G_STRUCT_OFFSET (HsLabelRef, id));
  settled = g_hash_table_new (ref_hash, ref_equal);
  add_refs (settled, result->labeled, sizeof (HsLabelRef));
  add_refs (settled, result->unchanged, sizeof (HsLabelRef));
  add_refs (settled, result->skipped, sizeof (HsLabelSkip));
  kept = g_array_new (FALSE, FALSE, sizeof (HsLabelRef));
  for (guint i = 0; i < result->conflicts->len; i++)
    {
      const HsLabelRef *r = &g_array_index (result->conflicts, HsLabelRef, i);

      if (!g_hash_table_contains (settled, r))
        g_array_append_val (kept, *r);
    }
  g_array_unref (result->conflicts);
  result->conflicts = g_steal_pointer (&kept);
}

/**
 * hs_label_job_run:
 * @store: the job's own connection, not inside a transaction
 * @request: which trades; see #HsLabelRequest
 * @progress: (nullable): called on this thread
 * @cancellable: (nullable): checked between batches
 *
 * Labels the closed trades @request selects: paper_trades first, then backtest_trades (with
 * @request->run_id, only that run's trades of both tables). Without @request->all only trades
 * without labels, including those that stayed unlabeled last time (they are retried). Each
 * batch is committed on its own, so a failure or a cancellation keeps the batches before it.
 *
 * Returns: (transfer full): what happened to every trade read, or %NULL with @error set:
 *   %HS_STORE_ERROR (%HS_STORE_ERROR_NOT_FOUND for an unknown run), %G_IO_ERROR_CANCELLED
 */
HsLabelResult *
hs_label_job_run (HsStore              *store,
                  const HsLabelRequest *request,
                  HsLabelProgressFunc   progress,
                  gpointer              progress_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(HsLabelResult) result = result_new ();
  HsLabelFilter filter = { request->all, request->since, MAX (request->run_id, 0) };
  Progress p = { progress, progress_data, G_MININT64 };

  g_return_val_if_fail (store != NULL && request != NULL, NULL);

  if (filter.run_id > 0 && !hs_store_label_check_run (store, filter.run_id, error))
    return NULL;
  for (int t = HS_LABEL_TABLE_PAPER; t <= HS_LABEL_TABLE_BACKTEST; t++)
    {
      int64_t n = 0;

      if (!hs_store_label_count (store, t, &filter, &n, error))
        return NULL;
      result->queued += n;
    }
  report (&p, result, FALSE);

  for (int t = HS_LABEL_TABLE_PAPER; t <= HS_LABEL_TABLE_BACKTEST; t++)
    {
      HsLabelCursor cursor;
      guint n_read = 0;

      hs_label_cursor_init (&cursor, t, &filter);
      do
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          if (!label_batch (store, request, t, &filter, &cursor, result, &n_read, error))
            return NULL;
          report (&p, result, FALSE);
        }
      while (n_read > 0);
    }
  drop_settled_conflicts (result);
  report (&p, result, TRUE);
  return g_steal_pointer (&result);
}

/* ---- The GTask wrapper ---- */

static gpointer
label_job_run_cb (HsStore           *store,
                  gconstpointer      request,
                  HsJobProgressFunc  progress,
                  gpointer           progress_data,
                  GCancellable      *cancellable,
                  GError           **error)
{
  return hs_label_job_run (store, request, progress, progress_data, cancellable, error);
}

/**
 * hs_label_job_run_async:
 * @db_path: the database file; copied
 * @request: copied; its before_write hook (if any) runs on the worker thread
 * @progress: (nullable): called on the thread-default main context of the caller, before
 *   @callback; @progress_data must stay valid until @callback has run
 * @cancellable: (nullable): stops the job between batches; the result is then
 *   %G_IO_ERROR_CANCELLED and the batches already written stay
 * @callback: runs on the thread-default main context of the caller
 *
 * Runs hs_label_job_run() on a worker thread with its own connection to @db_path.
 */
void
hs_label_job_run_async (const char           *db_path,
                        const HsLabelRequest *request,
                        HsLabelProgressFunc   progress,
                        gpointer              progress_data,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_return_if_fail (db_path != NULL && request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  hs_job_run_async (db_path, g_memdup2 (request, sizeof *request), g_free, label_job_run_cb,
                    (GDestroyNotify) hs_label_result_free, progress, progress_data, cancellable,
                    callback, user_data, hs_label_job_run_async, "[hindsight] label");
}

/**
 * hs_label_job_run_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set as hs_label_job_run() sets it
 *   (or as hs_store_open() does when the database cannot be opened)
 */
HsLabelResult *
hs_label_job_run_finish (GAsyncResult *result,
                         GError      **error)
{
  return hs_job_run_finish (result, hs_label_job_run_async, error);
}
