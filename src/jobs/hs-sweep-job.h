/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-backtest-job.h"
#include "hs-job-worker.h"
#include "hs-sweep.h"

G_BEGIN_DECLS

/* A parameter sweep from a request to stored runs, on a worker (hs-sweep-job.c): what
 * `hindsight-cli sweep` does, for the window. */

typedef struct
{
  HsBtRunInfo   *info;       /* (owned) the request every combination shares: strategy, models,
                              * symbol, interval, the period tested */
  HsSweepGrid   *grid;       /* (owned) */
  HsSweepResult *result;     /* (owned) its grid is @grid */
  char          *batch_id;   /* (owned) every stored row's batch_id */
  int64_t       *run_ids;    /* (owned) backtest_runs.id of each trial, result->trials order */
  GPtrArray     *warnings;   /* (owned) texts: what the data lacked */
} HsSweepOutcome;

void            hs_sweep_outcome_free  (HsSweepOutcome      *outcome);

HsSweepOutcome *hs_sweep_job_run       (const char          *db_path,
                                        const HsBacktestRequest *q,
                                        const char          *rank,
                                        int                  n_jobs,
                                        HsJobProgressFunc    progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GError             **error);
void            hs_sweep_job_run_async (const char          *db_path,
                                        const HsBacktestRequest *q,
                                        const char          *rank,
                                        int                  n_jobs,
                                        HsJobProgressFunc    progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
HsSweepOutcome *hs_sweep_job_finish    (GAsyncResult        *result,
                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSweepOutcome, hs_sweep_outcome_free)

G_END_DECLS
