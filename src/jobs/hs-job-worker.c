/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Background jobs on GTask workers: each opens its own connection to the database file, runs
 * the job's body and returns its result to the callback on the starting thread's main context.
 * Progress reports from the worker go to that main context too, each a small copied struct, so
 * the caller's callback never runs off its own thread. Jobs report a few times a second at
 * most, so one allocation per report costs nothing.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-job-worker.h"

struct _HsJobProgress
{
  HsJobProgressFunc  func;
  gpointer           data;
  GMainContext      *context;   /* (owned) the starting thread's: where reports go */
};

/* One report on its way to the caller's main context. */
typedef struct
{
  HsJobProgressFunc  func;
  gpointer           data;
  double             fraction;
  char              *message;   /* (owned) */
} ProgressCall;

/**
 * hs_job_progress_new:
 * @func: called on the thread-default main context of the caller
 *
 * Returns: (transfer full): a sender for the worker; @user_data must stay valid until the job's
 *   callback has run (reports are dispatched before it)
 */
HsJobProgress *
hs_job_progress_new (HsJobProgressFunc func,
                     gpointer          user_data)
{
  HsJobProgress *p = g_new0 (HsJobProgress, 1);

  p->func = func;
  p->data = user_data;
  p->context = g_main_context_ref_thread_default ();
  return p;
}

void
hs_job_progress_free (HsJobProgress *p)
{
  if (p == NULL)
    return;
  g_main_context_unref (p->context);
  g_free (p);
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *c = data;

  g_free (c->message);
  g_free (c);
}

static gboolean
progress_dispatch_cb (gpointer data)
{
  ProgressCall *c = data;

  c->func (c->fraction, c->message, c->data);
  return G_SOURCE_REMOVE;
}

/**
 * hs_job_post:
 * @context: the main context to run @func on (the one that started the job)
 *
 * From a worker: runs @func (@data) once on @context, then @destroy (@data). Not
 * g_main_context_invoke(): a worker without a thread-default context of its own has the global
 * default one as its thread-default, and invoke would run the call on the worker whenever the
 * main thread is not iterating it at that moment.
 */
void
hs_job_post (GMainContext   *context,
             GSourceFunc     func,
             gpointer        data,
             GDestroyNotify  destroy)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_attach (source, context);
}

/**
 * hs_job_progress_send:
 * @progress: an #HsJobProgress
 *
 * A job's progress callback on the worker: copies the report to the caller's main context.
 */
void
hs_job_progress_send (double      fraction,
                      const char *message,
                      gpointer    progress)
{
  HsJobProgress *p = progress;
  ProgressCall *c = g_new0 (ProgressCall, 1);

  c->func = p->func;
  c->data = p->data;
  c->fraction = fraction;
  c->message = g_strdup (message);
  hs_job_post (p->context, progress_dispatch_cb, c, progress_call_free);
}

/* ---- Running a job on a worker ---- */

typedef struct
{
  char           *db_path;        /* (owned) */
  gpointer        request;        /* (owned) */
  GDestroyNotify  request_free;
  HsJobRunFunc    run;
  GDestroyNotify  result_free;
  HsJobProgress  *progress;       /* (owned) (nullable) */
  int64_t         started;        /* g_get_monotonic_time() at the start */
} JobData;

/* hs_job_set_finished_func(): main thread only, so no lock. */
static HsJobFinishedFunc finished_func;
static gpointer finished_data;

/**
 * hs_job_set_finished_func:
 * @func: (nullable): called for each job finished with hs_job_run_finish(); %NULL: none
 *
 * Sets the one observer of finished jobs (main thread only).
 */
void
hs_job_set_finished_func (HsJobFinishedFunc func,
                          gpointer          user_data)
{
  finished_func = func;
  finished_data = user_data;
}

static void
job_data_free (gpointer data)
{
  JobData *d = data;

  g_free (d->db_path);
  if (d->request_free != NULL)
    d->request_free (d->request);
  g_clear_pointer (&d->progress, hs_job_progress_free);
  g_free (d);
}

static void
hs_job_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  JobData *d = task_data;
  g_autoptr(HsStore) store = NULL;
  gpointer result;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  /* A job reads or adds to a database that exists: one deleted while the job waited for a
   * thread is not made again, empty (only opening a database, as the coverage job does,
   * creates one). */
  if (!g_file_test (d->db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such database",
                               d->db_path);
      return;
    }
  /* EXISTING as well: the file can go between the test above and the open. */
  store = hs_store_open (d->db_path, HS_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result = d->run (store, d->request, d->progress != NULL ? hs_job_progress_send : NULL,
                   d->progress, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, d->result_free);
}

/**
 * hs_job_run_async:
 * @db_path: the database file; copied
 * @request: (transfer full): the job's request, handed to @run and freed with @request_free
 * @run: the job's body, run on a worker thread with its own connection to @db_path
 * @result_free: frees a result nobody finished
 * @progress: (nullable): called on the thread-default main context of the caller, before
 *   @callback; @progress_data must stay valid until @callback has run
 * @cancellable: (nullable): handed to @run
 * @callback: runs on the thread-default main context of the caller
 * @source_tag: the public _async function, checked by hs_job_run_finish()
 * @name: the task's name, for debugging
 */
void
hs_job_run_async (const char          *db_path,
                  gpointer             request,
                  GDestroyNotify       request_free,
                  HsJobRunFunc         run,
                  GDestroyNotify       result_free,
                  HsJobProgressFunc    progress,
                  gpointer             progress_data,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag,
                  const char          *name)
{
  g_autoptr(GTask) task = NULL;
  JobData *d = g_new0 (JobData, 1);

  d->db_path = g_strdup (db_path);
  d->request = request;
  d->request_free = request_free;
  d->run = run;
  d->result_free = result_free;
  d->started = g_get_monotonic_time ();
  if (progress != NULL)
    d->progress = hs_job_progress_new (progress, progress_data);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, name);
  g_task_set_task_data (task, d, job_data_free);
  g_task_run_in_thread (task, hs_job_worker);
}

/**
 * hs_job_run_finish:
 *
 * Returns: (transfer full): the job's result, or %NULL with @error set as the job's body set it
 *   (or as hs_store_open() does when the database cannot be opened, or %G_IO_ERROR_NOT_FOUND
 *   when the file does not exist)
 */
gpointer
hs_job_run_finish (GAsyncResult *result,
                   gpointer      source_tag,
                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (finished_func != NULL)
    {
      JobData *d = g_task_get_task_data (G_TASK (result));

      finished_func (g_task_get_name (G_TASK (result)), g_get_monotonic_time () - d->started,
                     !g_task_had_error (G_TASK (result)), finished_data);
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}
