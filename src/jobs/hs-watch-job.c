/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The watch list for the GUI's Data page: the checks `hindsight-cli watch add` makes (shared
 * with it), one job that edits and reads the watch list with the providers' latest health
 * figures and the backfills, the poller (hs_poller_run) on a worker thread whose every run is
 * reported on the starting thread's main context, and a backfill as a job.
 *
 * Load: the state is three small queries (tens of rows); the poller thread only schedules (its
 * fetches run on its own pool) and posts one small copied event per run to the main context.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-watch-job.h"

#include "hs-job-worker.h"
#include "hs-store-health.h"
#include "hs-time.h"

/**
 * hs_watch_check_series:
 * @interval: (nullable): candles only
 * @out: (out): the kind
 *
 * Checks a watch entry or backfill the way `hindsight-cli watch add` does: a known provider,
 * a kind it serves, an interval exactly for candles, and one it has.
 *
 * Returns: %FALSE with %HS_FETCH_ERROR_USAGE saying what is wrong
 */
gboolean
hs_watch_check_series (const char  *provider,
                       const char  *kind,
                       const char  *interval,
                       HsFetchKind *out,
                       GError     **error)
{
  const HsProvider *p = provider != NULL ? hs_provider_lookup (provider) : NULL;

  if (p == NULL)
    {
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                   "unknown provider “%s” (see `hindsight-cli providers`)",
                   provider != NULL ? provider : "");
      return FALSE;
    }
  if (kind == NULL || !hs_fetch_kind_from_string (kind, out) || !hs_provider_supports (p, *out))
    {
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE, "%s has no %s", p->name,
                   kind != NULL ? kind : "");
      return FALSE;
    }
  if ((*out == HS_FETCH_CANDLES) != (interval != NULL))
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                           *out == HS_FETCH_CANDLES ? "candles need --interval"
                                                    : "--interval is for candles only");
      return FALSE;
    }
  if (interval != NULL && hs_provider_find_interval (p, interval) == NULL)
    {
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE, "%s has no %s candles", p->name,
                   interval);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_watch_check_period:
 * @every: seconds asked for; 0 for the kind's default
 * @period_s: (out): the period to store
 *
 * Returns: %FALSE with %HS_FETCH_ERROR_USAGE when @every is under a second
 */
gboolean
hs_watch_check_period (const char *provider,
                       HsFetchKind kind,
                       double      every,
                       double     *period_s,
                       GError    **error)
{
  if (every == 0)
    every = hs_poller_default_period (provider, kind);
  if (!(every >= 1))
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                           "--every must be at least 1 second");
      return FALSE;
    }
  *period_s = every;
  return TRUE;
}

void
hs_watch_state_free (HsWatchState *state)
{
  if (state == NULL)
    return;
  g_clear_pointer (&state->entries, g_ptr_array_unref);
  g_clear_pointer (&state->providers, g_ptr_array_unref);
  g_clear_pointer (&state->backfills, g_ptr_array_unref);
  g_free (state);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading and editing the watch list                                                          */

typedef struct
{
  HsWatchEditOp op;
  char         *provider;
  char         *symbol;
  char         *kind;
  char         *interval;
  double        every;
  int64_t       id;
} WatchEdit;

static void
watch_edit_free (gpointer data)
{
  WatchEdit *e = data;

  g_free (e->provider);
  g_free (e->symbol);
  g_free (e->kind);
  g_free (e->interval);
  g_free (e);
}

static gboolean
apply_edit (HsStore         *store,
            const WatchEdit *e,
            GError         **error)
{
  HsFetchKind kind;
  double period = 0;
  int64_t id = 0;
  gboolean created = FALSE;

  if (e->op == HS_WATCH_EDIT_REMOVE)
    return hs_store_watch_remove (store, e->id, error);
  if (e->symbol == NULL || e->symbol[0] == '\0')
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE, "a symbol is needed");
      return FALSE;
    }
  if (!hs_watch_check_series (e->provider, e->kind, e->interval, &kind, error)
      || !hs_watch_check_period (e->provider, kind, e->every, &period, error))
    return FALSE;
  return hs_store_watch_add (store, e->provider, e->symbol, e->kind, e->interval, period, TRUE,
                             hs_time_now_us (), &id, &created, error);
}

static gpointer
watch_run (HsStore           *store,
           gconstpointer      request,
           HsJobProgressFunc  progress,
           gpointer           progress_data,
           GCancellable      *cancellable,
           GError           **error)
{
  const WatchEdit *e = request;
  g_autoptr(HsWatchState) state = g_new0 (HsWatchState, 1);

  if (e->op != HS_WATCH_EDIT_NONE && !apply_edit (store, e, error))
    return NULL;
  state->entries = hs_store_watch_list (store, error);
  if (state->entries == NULL)
    return NULL;
  state->providers = hs_store_latest_provider_stats (store, error);
  if (state->providers == NULL)
    return NULL;
  state->backfills = hs_store_backfill_list (store, error);
  if (state->backfills == NULL)
    return NULL;
  return g_steal_pointer (&state);
}

/**
 * hs_job_watch_async:
 * @edit: (nullable): what to change first (copied); %NULL only reads
 *
 * Applies @edit (an addition is checked as `watch add` checks it) and reads the watch list, the
 * providers' latest health figures and the backfills, on a worker.
 */
void
hs_job_watch_async (const char          *db_path,
                    const HsWatchEdit   *edit,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  WatchEdit *copy = g_new0 (WatchEdit, 1);

  g_return_if_fail (db_path != NULL);

  if (edit != NULL)
    {
      copy->op = edit->op;
      copy->provider = g_strdup (edit->provider);
      copy->symbol = g_strdup (edit->symbol);
      copy->kind = g_strdup (edit->kind);
      copy->interval = g_strdup (edit->interval);
      copy->every = edit->every;
      copy->id = edit->id;
    }
  hs_job_run_async (db_path, copy, watch_edit_free, watch_run,
                    (GDestroyNotify) hs_watch_state_free, NULL, NULL, cancellable, callback,
                    user_data, hs_job_watch_async, "[hindsight] watch list");
}

/* Returns: (transfer full): the state after the edit, or %NULL with @error set (the edit
 *   refused: %HS_FETCH_ERROR_USAGE, %HS_STORE_ERROR) */
HsWatchState *
hs_job_watch_finish (GAsyncResult *result,
                     GError      **error)
{
  return hs_job_run_finish (result, hs_job_watch_async, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The poller on a worker thread                                                               */

/* Shared by the poller thread and every event on its way: the caller's function and context. */
typedef struct
{
  HsPollerEventFunc  func;
  gpointer           data;
  GDestroyNotify     destroy;
  GMainContext      *context;   /* (owned) */
} Relay;

static void
relay_clear (gpointer data)
{
  Relay *relay = data;

  if (relay->destroy != NULL)
    relay->destroy (relay->data);
  g_main_context_unref (relay->context);
}

typedef struct
{
  Relay         *relay;   /* (owned) a reference */
  HsPollerEvent  event;
} EventCall;

static void
event_call_free (gpointer data)
{
  EventCall *call = data;

  g_rc_box_release_full (call->relay, relay_clear);
  g_free (call);
}

static gboolean
event_dispatch_cb (gpointer data)
{
  EventCall *call = data;

  call->relay->func (&call->event, call->relay->data);
  return G_SOURCE_REMOVE;
}

/* On the poller's thread after each run: a copy goes to the caller's main context. */
static void
poller_run_cb (const HsWatchEntry  *entry,
               const HsFetchResult *result,
               const GError        *error,
               gpointer             data)
{
  Relay *relay = data;
  EventCall *call = g_new0 (EventCall, 1);

  call->relay = g_rc_box_acquire (relay);
  call->event.watch_id = entry->id;
  call->event.inserted = result != NULL ? result->inserted : 0;
  hs_job_post (relay->context, event_dispatch_cb, call, event_call_free);
}

typedef struct
{
  HsPollerOptions options;   /* db_path owned */
  Relay          *relay;     /* (owned) (nullable) */
} PollerTask;

static void
poller_task_free (gpointer data)
{
  PollerTask *t = data;

  g_free ((char *) t->options.db_path);
  if (t->relay != NULL)
    g_rc_box_release_full (t->relay, relay_clear);
  g_free (t);
}

static void
poller_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PollerTask *t = task_data;
  HsPollerStats *stats = g_new0 (HsPollerStats, 1);
  GError *error = NULL;

  if (!hs_poller_run (&t->options, t->relay != NULL ? poller_run_cb : NULL, t->relay,
                      cancellable, stats, &error))
    {
      g_free (stats);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, stats, g_free);
}

/**
 * hs_poller_async:
 * @options: copied
 * @event_func: (nullable): called on the caller's thread-default main context after each run
 * @event_destroy: (nullable): frees @event_data once no event is left to deliver (on any
 *   thread)
 * @cancellable: stops the poller: scheduling ends and the runs in flight are cancelled
 *
 * Runs hs_poller_run() on a worker thread until @cancellable is cancelled (or the options say
 * when to stop). Its results reach the caller only on its main context.
 */
void
hs_poller_async (const HsPollerOptions *options,
                 HsPollerEventFunc      event_func,
                 gpointer               event_data,
                 GDestroyNotify         event_destroy,
                 GCancellable          *cancellable,
                 GAsyncReadyCallback    callback,
                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  PollerTask *t = g_new0 (PollerTask, 1);

  g_return_if_fail (options != NULL && options->db_path != NULL);

  t->options = *options;
  t->options.db_path = g_strdup (options->db_path);
  if (event_func != NULL)
    {
      t->relay = g_rc_box_new0 (Relay);
      t->relay->func = event_func;
      t->relay->data = event_data;
      t->relay->destroy = event_destroy;
      t->relay->context = g_main_context_ref_thread_default ();
    }
  else if (event_destroy != NULL)
    event_destroy (event_data);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_poller_async);
  g_task_set_name (task, "[hindsight] poller");
  g_task_set_task_data (task, t, poller_task_free);
  /* Cancelling is how the poller is stopped: its totals still come back. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, poller_thread);
}

/**
 * hs_poller_finish:
 * @stats: (out caller-allocates) (optional): the poller's totals
 *
 * Returns: %FALSE with @error set when the poller could not open or read the database; a
 *   stop through the cancellable is not an error
 */
gboolean
hs_poller_finish (GAsyncResult  *result,
                  HsPollerStats *stats,
                  GError       **error)
{
  g_autofree HsPollerStats *s = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hs_poller_async, FALSE);

  s = g_task_propagate_pointer (G_TASK (result), error);
  if (s == NULL)
    return FALSE;
  if (stats != NULL)
    *stats = *s;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Backfill                                                                                    */

void
hs_backfill_result_free (HsBackfillResult *result)
{
  if (result == NULL)
    return;
  hs_backfill_result_clear (result);
  g_free (result);
}

static gpointer
backfill_run (HsStore           *store,
              gconstpointer      request,
              HsJobProgressFunc  progress,
              gpointer           progress_data,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(HsBackfillResult) result = g_new0 (HsBackfillResult, 1);

  hs_fetch_result_init (&result->fetch);
  if (!hs_backfill_run (store, request, progress, progress_data, cancellable, result, error))
    return NULL;
  return g_steal_pointer (&result);
}

/**
 * hs_job_backfill_async:
 * @request: candles or trades from @request->from (copied)
 * @progress: (nullable): per window, on the caller's main context
 *
 * hs_backfill_run() on a worker: a backfill stopped (cancelled, failed) keeps its resume point,
 * and the same request goes on from there.
 */
void
hs_job_backfill_async (const char           *db_path,
                       const HsFetchRequest *request,
                       HsJobProgressFunc     progress,
                       gpointer              progress_data,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  g_return_if_fail (db_path != NULL && request != NULL);

  hs_job_run_async (db_path, hs_fetch_request_copy (request),
                    (GDestroyNotify) hs_fetch_request_free, backfill_run,
                    (GDestroyNotify) hs_backfill_result_free, progress, progress_data,
                    cancellable, callback, user_data, hs_job_backfill_async,
                    "[hindsight] backfill");
}

/* Returns: (transfer full): what this run of the backfill did, or %NULL with @error set */
HsBackfillResult *
hs_job_backfill_finish (GAsyncResult *result,
                        GError      **error)
{
  return hs_job_run_finish (result, hs_job_backfill_async, error);
}
