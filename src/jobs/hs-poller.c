/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The poller: keeps the watch list's entries fetched. The caller's thread schedules: about once
 * a second it reads the entries whose next_due has come (one indexed query), hands each that is
 * not running already to a pool of worker threads, and writes back each finished run's outcome
 * and next due time. Every worker has its own database connection and HTTP client
 * (hs_fetch_run_with); the providers' rate limiters are shared, so eight Kalshi entries on four
 * workers still ask Kalshi at its rate. Cancelling stops scheduling and aborts the runs in flight
 * (curl's wait is woken at once), whose pages stored so far stay. A failing entry backs off:
 * its period doubled per failure in a row, up to 15 minutes (or its period, if longer).
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-poller.h"

#include <math.h>
#include <string.h>

#include "hs-store-watch.h"
#include "hs-time.h"

#define DEFAULT_WORKERS 4
#define MAX_BACKOFF_S 900.0
/* The scheduler reads the watch list at least this often, so entries added by another process
 * (`hindsight-cli watch add`) are picked up. */
#define SCHEDULE_EVERY_US (G_USEC_PER_SEC)

/**
 * hs_poller_default_period:
 *
 * Returns: seconds between runs of a new watch entry of @kind: 5 for Kalshi snapshots (seed
 *   003's phase 1), 15 for other snapshots, 10 for books, 30 for trades, 60 for candles, 15
 *   minutes for option chains and an hour for instrument lists
 */
double
hs_poller_default_period (const char *provider,
                          HsFetchKind kind)
{
  switch (kind)
    {
    case HS_FETCH_SNAPSHOTS:
      return g_strcmp0 (provider, "kalshi") == 0 ? 5 : 15;
    case HS_FETCH_BOOK:
      return 10;
    case HS_FETCH_TRADES:
      return 30;
    case HS_FETCH_CANDLES:
      return 60;
    case HS_FETCH_OPTIONS:
      return 900;
    case HS_FETCH_INSTRUMENTS:
    case HS_FETCH_N_KINDS:
    default:
      return 3600;
    }
}

/**
 * hs_poller_entry_request:
 * @now: the time requests are made at; 0 for the clock
 * @request: (out caller-allocates): clear with hs_fetch_request_clear()
 *
 * The fetch one run of @entry makes: candles from five bars before now (the bar that just
 * closed and a few before it, in case a run was missed), trades from twice the period before
 * now (at least a minute), books, snapshots, chains and lists as they are now.
 */
void
hs_poller_entry_request (const HsWatchEntry *entry,
                         int64_t             now,
                         HsFetchRequest     *request)
{
  const HsProvider *p = hs_provider_lookup (entry->provider);
  int64_t at = now > 0 ? now : hs_time_now_us ();

  hs_fetch_request_init (request);
  request->provider = g_strdup (entry->provider);
  request->symbol = g_strdup (entry->symbol);
  request->interval = g_strdup (entry->interval);
  request->now = at;
  if (!hs_fetch_kind_from_string (entry->kind, &request->kind))
    request->kind = HS_FETCH_N_KINDS;
  if (request->kind == HS_FETCH_CANDLES && p != NULL)
    {
      const HsProviderInterval *iv = hs_provider_find_interval (p, entry->interval);
      int64_t length = iv != NULL && iv->seconds > 0 ? iv->seconds : 31 * 86400;

      request->from = at - 5 * length * G_USEC_PER_SEC;
    }
  else if (request->kind == HS_FETCH_TRADES)
    request->from = at - (int64_t) (MAX (2 * entry->period_s, 60) * G_USEC_PER_SEC);
}

/**
 * hs_poller_next_due:
 * @ran_at: when the run started, µs UTC
 * @failed: whether it failed (entry->failures is the count before it)
 *
 * Returns: when the entry runs next: a period after @ran_at, or after a failure the period
 *   doubled per failure in a row, at most 15 minutes (or the period, if that is longer)
 */
int64_t
hs_poller_next_due (const HsWatchEntry *entry,
                    int64_t             ran_at,
                    gboolean            failed)
{
  double wait = entry->period_s;

  if (failed)
    wait = MIN (entry->period_s * ldexp (1.0, MIN (entry->failures + 1, 20)),
                MAX (entry->period_s, MAX_BACKOFF_S));
  return ran_at + (int64_t) (wait * G_USEC_PER_SEC);
}

/* One run of one entry, handed to a worker and back. */
typedef struct
{
  HsWatchEntry  *entry;     /* (owned) as it was when the run was scheduled */
  HsFetchRequest request;
  HsFetchResult  result;
  GError        *error;     /* (owned) (nullable) */
  int64_t        started;   /* wall clock, µs */
} Run;

static void
run_free (Run *run)
{
  hs_watch_entry_free (run->entry);
  hs_fetch_request_clear (&run->request);
  hs_fetch_result_clear (&run->result);
  g_clear_error (&run->error);
  g_free (run);
}

/* What the queues carry besides runs. */
static char stop_marker, wake_marker;
#define STOP ((gpointer) &stop_marker)
#define WAKE ((gpointer) &wake_marker)

typedef struct
{
  const HsPollerOptions *options;
  GAsyncQueue           *jobs;    /* Run* or STOP, to the workers */
  GAsyncQueue           *done;    /* Run* or WAKE, back to the scheduler */
  GCancellable          *stop;    /* cancels every run in flight */
} Pool;

static gpointer
poller_worker (gpointer data)
{
  Pool *pool = data;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(HsStore) store = hs_store_open (pool->options->db_path, HS_STORE_OPEN_DEFAULT,
                                            &open_error);
  g_autoptr(HsHttpClient) client = NULL;
  HsHttpOptions o;
  gpointer item;

  hs_http_options_init (&o);
  if (pool->options->attempts > 0)
    o.max_attempts = pool->options->attempts;
  if (pool->options->timeout_s > 0)
    o.timeout_ms = pool->options->timeout_s * 1000;
  client = hs_http_client_new (&o);
  while ((item = g_async_queue_pop (pool->jobs)) != STOP)
    {
      Run *run = item;

      if (store == NULL)
        {
          hs_fetch_result_init (&run->result);
          run->error = g_error_copy (open_error);
        }
      else
        hs_fetch_run_with (store, client, &run->request, NULL, NULL, NULL, NULL, pool->stop,
                           &run->result, &run->error);
      g_async_queue_push (pool->done, run);
    }
  return NULL;
}

static void
wake_cb (GCancellable *cancellable,
         gpointer      data)
{
  g_async_queue_push (data, WAKE);
}

static void
stop_cb (GCancellable *cancellable,
         gpointer      data)
{
  g_cancellable_cancel (data);
}

/* Writes a finished run's outcome to its entry and tells the caller. A run cancelled by the
 * poller's stop is not a failure of the entry: it stays due. */
static void
finish_run (HsStore         *store,
            Run             *run,
            GHashTable      *in_flight,
            HsPollerRunFunc  run_func,
            gpointer         user_data,
            HsPollerStats   *stats)
{
  gboolean cancelled = g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_autoptr(GError) local = NULL;

  g_hash_table_remove (in_flight, &run->entry->id);
  stats->runs++;
  stats->failures += run->error != NULL && !cancelled;
  stats->rows += run->result.rows;
  stats->inserted += run->result.inserted;
  stats->duplicates += run->result.duplicates;
  if (!cancelled
      && !hs_store_watch_record (store, run->entry->id, run->started,
                                 run->error != NULL ? run->error->message : NULL,
                                 run->result.inserted,
                                 hs_poller_next_due (run->entry, run->started,
                                                     run->error != NULL), &local))
    g_debug ("the watch list entry %" G_GINT64_FORMAT " was not updated: %s", run->entry->id,
             local->message);
  if (run_func != NULL)
    run_func (run->entry, &run->result, run->error, user_data);
  run_free (run);
}

/**
 * hs_poller_run:
 * @run_func: (nullable): told of every finished run, on this thread
 * @stats: (out caller-allocates): counts
 *
 * Runs the watch list's due entries until @cancellable is cancelled or options->seconds have
 * passed (or, with options->once, until each entry due at the start has run once). Fails only
 * when the database cannot be opened or read; a failing entry is recorded in its row and the
 * poller goes on.
 */
gboolean
hs_poller_run (const HsPollerOptions *options,
               HsPollerRunFunc        run_func,
               gpointer               user_data,
               GCancellable          *cancellable,
               HsPollerStats         *stats,
               GError               **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GHashTable) in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                           NULL);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GCancellable) stop = g_cancellable_new ();
  int workers = options->workers > 0 ? options->workers : DEFAULT_WORKERS;
  int64_t deadline = options->seconds > 0
                     ? g_get_monotonic_time () + (int64_t) (options->seconds * G_USEC_PER_SEC)
                     : 0;
  gulong stop_handler = 0, wake_handler = 0;
  gboolean ok = TRUE, dispatched_once = FALSE;
  Pool pool;

  g_return_val_if_fail (options != NULL && options->db_path != NULL && stats != NULL, FALSE);

  memset (stats, 0, sizeof *stats);
  store = hs_store_open (options->db_path, HS_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  pool.options = options;
  pool.jobs = g_async_queue_new ();
  pool.done = g_async_queue_new ();
  pool.stop = stop;
  wake_handler = g_cancellable_connect (stop, G_CALLBACK (wake_cb), pool.done, NULL);
  if (cancellable != NULL)
    stop_handler = g_cancellable_connect (cancellable, G_CALLBACK (stop_cb), stop, NULL);
  for (int i = 0; i < workers; i++)
    g_ptr_array_add (threads, g_thread_new ("hs-poller", poller_worker, &pool));

  while (!g_cancellable_is_cancelled (stop))
    {
      int64_t timeout = SCHEDULE_EVERY_US;
      gpointer item;

      if (!(options->once && dispatched_once))
        {
          g_autoptr(GPtrArray) due = hs_store_watch_due (store, hs_time_now_us (), error);

          if (due == NULL)
            {
              ok = FALSE;
              break;
            }
          stats->cycles++;
          for (guint i = 0; i < due->len; i++)
            {
              HsWatchEntry *entry = due->pdata[i];
              Run *run;

              if (g_hash_table_contains (in_flight, &entry->id))
                continue;
              run = g_new0 (Run, 1);
              run->entry = g_steal_pointer (&due->pdata[i]);
              run->started = hs_time_now_us ();
              hs_poller_entry_request (run->entry, options->now, &run->request);
              run->request.attempts = options->attempts;
              run->request.timeout_s = options->timeout_s;
              g_hash_table_add (in_flight, g_memdup2 (&run->entry->id, sizeof (int64_t)));
              g_async_queue_push (pool.jobs, run);
            }
          dispatched_once = TRUE;
        }
      if (options->once && g_hash_table_size (in_flight) == 0)
        break;
      if (deadline > 0)
        {
          int64_t left = deadline - g_get_monotonic_time ();

          if (left <= 0)
            break;
          timeout = MIN (timeout, left);
        }
      item = g_async_queue_timeout_pop (pool.done, (guint64) timeout);
      while (item != NULL)
        {
          if (item != WAKE)
            finish_run (store, item, in_flight, run_func, user_data, stats);
          item = g_async_queue_try_pop (pool.done);
        }
    }

  /* Stop: runs in flight are cancelled; each worker finishes its run and leaves. */
  g_cancellable_cancel (stop);
  for (int i = 0; i < workers; i++)
    g_async_queue_push (pool.jobs, STOP);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  {
    gpointer item;

    /* Runs never picked up (still queued behind STOP) are dropped; finished ones recorded. */
    while ((item = g_async_queue_try_pop (pool.jobs)) != NULL)
      if (item != STOP)
        {
          g_hash_table_remove (in_flight, &((Run *) item)->entry->id);
          run_free (item);
        }
    while ((item = g_async_queue_try_pop (pool.done)) != NULL)
      if (item != WAKE)
        finish_run (store, item, in_flight, run_func, user_data, stats);
  }
  if (stop_handler != 0)
    g_cancellable_disconnect (cancellable, stop_handler);
  g_cancellable_disconnect (stop, wake_handler);
  g_async_queue_unref (pool.jobs);
  g_async_queue_unref (pool.done);
  return ok;
}
