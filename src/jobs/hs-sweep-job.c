/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A parameter sweep for the window: the request checked and its data loaded
 * (hs-backtest-job.c), the grid expanded, every combination run on hs_sweep_run()'s threads
 * and stored as one batch (hs_sweep_store()), all off the main thread. The job runs on a
 * thread of its own (not the shared GTask pool, which other jobs need meanwhile) at a lower
 * priority (nice +5 on Linux) that the sweep's worker threads inherit: a sweep takes every
 * core, and the window's main loop must still get one when it needs it. Progress goes to the
 * caller's main context through hs_job_progress_send(), at most ten reports a second as
 * hs_sweep_run() sends them. Load: as `hindsight-cli sweep`, about 3 s for 1,000 combinations
 * over 100,000 bars on two cores.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-sweep-job.h"

#include <errno.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <unistd.h>
#endif

/* How much nicer than the caller the sweep's threads are. */
#define SWEEP_NICENESS 5

void
hs_sweep_outcome_free (HsSweepOutcome *outcome)
{
  if (outcome == NULL)
    return;
  /* The result points into the grid: free it first. */
  g_clear_pointer (&outcome->result, hs_sweep_result_free);
  g_clear_pointer (&outcome->grid, hs_sweep_grid_free);
  g_clear_pointer (&outcome->info, hs_bt_run_info_free);
  g_clear_pointer (&outcome->batch_id, g_free);
  g_clear_pointer (&outcome->run_ids, g_free);
  g_clear_pointer (&outcome->warnings, g_ptr_array_unref);
  g_free (outcome);
}

/**
 * hs_sweep_job_run:
 * @q: the request; @q->params are grid specs (NAME=START:STOP:STEP, NAME=A,B,C, NAME=VALUE)
 * @rank: (nullable): the statistic that ranks; %NULL: sharpe_ratio
 * @n_jobs: threads; ≤ 0: one per processor
 * @progress: (nullable): called on the worker threads of the sweep (see #HsSweepProgressFunc)
 *
 * Runs and stores a sweep on the calling thread, as `hindsight-cli sweep` does.
 *
 * Returns: (transfer full): the outcome, or %NULL with @error set: %HS_BACKTEST_JOB_ERROR for a
 *   bad request or no data, %HS_SWEEP_ERROR for a bad grid or rank, %G_IO_ERROR_CANCELLED
 */
HsSweepOutcome *
hs_sweep_job_run (const char              *db_path,
                  const HsBacktestRequest *q,
                  const char              *rank,
                  int                      n_jobs,
                  HsJobProgressFunc        progress,
                  gpointer                 progress_data,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  g_autoptr(HsSweepOutcome) out = g_new0 (HsSweepOutcome, 1);
  g_auto(HsBacktestData) d = { 0 };
  g_autoptr(HsStrategyParams) params = NULL;
  g_autoptr(HsRuleSet) rules = NULL;
  HsBtConfig config;
  HsStrategyInput sin = { 0 };
  HsBtInput input;
  HsSweepRequest request = { 0 };
  const char *column = NULL;
  gboolean lower = FALSE;

  g_return_val_if_fail (db_path != NULL && q != NULL, NULL);

  hs_backtest_data_init (&d);
  if (!hs_backtest_request_build (q, "sweep", HS_BACKTEST_GRID, &config, &params, &rules,
                                  &out->info, error)
      || !hs_sweep_rank_lookup (rank, &column, &lower, error))
    return NULL;
  out->grid = hs_sweep_grid_new (hs_strategy_lookup (q->strategy),
                                 (const char *const *) q->params, error);
  if (out->grid == NULL)
    return NULL;
  if (progress != NULL)
    progress (0, "Loading the bars", progress_data);
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || !hs_backtest_data_load (db_path, q, out->info, &d, error))
    return NULL;

  sin.bars = d.bars;
  sin.interval = out->info->interval;
  sin.session = d.session;
  hs_backtest_input_init (&input, q, &d);
  request.strategy_input = &sin;
  request.input = &input;
  request.config = &config;
  request.rank = rank;
  request.n_jobs = n_jobs;
  request.keep_best = TRUE;
  request.progress = progress;
  request.progress_data = progress_data;
  out->result = hs_sweep_run (&request, out->grid, cancellable, error);
  if (out->result == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  out->run_ids = g_new0 (int64_t, MAX (out->result->trials->len, 1));
  if (!hs_sweep_store (d.store, out->info, out->result, &out->batch_id, out->run_ids, error))
    return NULL;
  out->warnings = g_steal_pointer (&d.warnings);
  return g_steal_pointer (&out);
}

typedef struct
{
  char              *db_path;
  HsBacktestRequest  request;
  char              *rank;
  int                n_jobs;
  HsJobProgress     *progress;   /* (owned) (nullable) */
} SweepTask;

static void
sweep_task_free (gpointer data)
{
  SweepTask *t = data;

  g_free (t->db_path);
  hs_backtest_request_clear (&t->request);
  g_free (t->rank);
  g_clear_pointer (&t->progress, hs_job_progress_free);
  g_free (t);
}

/* The job's own thread: lowers its priority (the pool threads hs_sweep_run() starts from it
 * inherit it), runs, returns the outcome to the task (delivered in the caller's context). */
static gpointer
sweep_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  SweepTask *t = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  HsSweepOutcome *outcome = NULL;
  GError *error = NULL;

#ifdef __linux__
  /* Per thread on Linux: PRIO_PROCESS with a thread id changes that thread only. */
  if (setpriority (PRIO_PROCESS, (id_t) gettid (),
                   getpriority (PRIO_PROCESS, (id_t) gettid ()) + SWEEP_NICENESS) != 0)
    g_debug ("cannot lower the sweep's priority: %s", g_strerror (errno));
#endif
  outcome = hs_sweep_job_run (t->db_path, &t->request, t->rank, t->n_jobs,
                              t->progress != NULL ? hs_job_progress_send : NULL, t->progress,
                              cancellable, &error);
  if (outcome == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) hs_sweep_outcome_free);
  return NULL;
}

/**
 * hs_sweep_job_run_async:
 * @progress: (nullable): called on the caller's thread-default main context before @callback;
 *   @progress_data must stay valid until @callback has run
 *
 * Runs hs_sweep_job_run() on a thread of its own at a lower priority; @q is copied.
 */
void
hs_sweep_job_run_async (const char              *db_path,
                        const HsBacktestRequest *q,
                        const char              *rank,
                        int                      n_jobs,
                        HsJobProgressFunc        progress,
                        gpointer                 progress_data,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SweepTask *t = g_new0 (SweepTask, 1);

  t->db_path = g_strdup (db_path);
  hs_backtest_request_copy (&t->request, q);
  t->rank = g_strdup (rank);
  t->n_jobs = n_jobs;
  if (progress != NULL)
    t->progress = hs_job_progress_new (progress, progress_data);
  g_task_set_source_tag (task, hs_sweep_job_run_async);
  g_task_set_name (task, "hs-sweep-job");
  g_task_set_task_data (task, t, sweep_task_free);
  g_thread_unref (g_thread_new ("hs-sweep", sweep_thread, g_steal_pointer (&task)));
}

/* Returns: (transfer full): the outcome, or %NULL with @error set as hs_sweep_job_run() does */
HsSweepOutcome *
hs_sweep_job_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hs_sweep_job_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
