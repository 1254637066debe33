/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-label.h"
#include "hs-store-label.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The label job (docs/labels.md, "The job"): labels the closed trades of paper_trades and
 * backtest_trades from the stored 1-minute bars, in small batches that each read in one short
 * read transaction and write in one short write transaction, so that trades and bars can be
 * added while it runs. `hindsight-cli label` runs it; the app runs it with
 * hs_label_job_run_async() at start-up and daily. */

/* Trades per batch unless the request says otherwise. */
#define HS_LABEL_JOB_BATCH 500

/* Called with a computed batch just before it is written (on the job's thread). For tests that
 * change a trade between the read and the write, and for tracing. */
typedef void (*HsLabelBatchFunc) (const HsLabelRow *rows,
                                  const HsLabel    *labels,
                                  size_t            n,
                                  gpointer          user_data);

typedef struct
{
  gboolean          all;          /* relabel labeled trades too */
  int64_t           since;        /* only trades entered at or after (µs); G_MININT64: all */
  int64_t           run_id;       /* > 0: only the trades of this backtest run */
  guint             batch_size;   /* trades per batch; 0: HS_LABEL_JOB_BATCH */
  HsLabelBatchFunc  before_write; /* (nullable) */
  gpointer          before_write_data;
} HsLabelRequest;

/* A trade of either table. */
typedef struct
{
  HsLabelTable table;
  int64_t      id;
} HsLabelRef;

/* A trade that stays unlabeled, and why. */
typedef struct
{
  HsLabelTable  table;
  int64_t       id;
  HsLabelStatus status;
  char         *reason;   /* (owned) hs_label_describe(), as stored in label_error */
} HsLabelSkip;

typedef struct
{
  GArray  *labeled;     /* (owned) HsLabelRef: labels written (new, or changed by --all) */
  GArray  *unchanged;   /* (owned) HsLabelRef: recomputed to the stored labels: no write */
  GArray  *skipped;     /* (owned) HsLabelSkip: not enough bars (or no instrument) */
  GArray  *conflicts;   /* (owned) HsLabelRef: changed by another writer between read and
                         * write and not labeled later in the run: left for the next run */
  int64_t  examined;    /* trades read */
  int64_t  queued;      /* trades the queue held when the run started */
} HsLabelResult;

/* Progress: @fraction of the queue done, 0 … 1, at most ten times a second and once at the end.
 * hs_label_job_run() calls it on its own thread; hs_label_job_run_async() on the caller's main
 * context. */
typedef void (*HsLabelProgressFunc) (double      fraction,
                                     const char *message,
                                     gpointer    user_data);

void           hs_label_request_init    (HsLabelRequest      *request);
HsLabelResult *hs_label_job_run         (HsStore             *store,
                                         const HsLabelRequest *request,
                                         HsLabelProgressFunc  progress,
                                         gpointer             progress_data,
                                         GCancellable        *cancellable,
                                         GError             **error);
void           hs_label_job_run_async   (const char          *db_path,
                                         const HsLabelRequest *request,
                                         HsLabelProgressFunc  progress,
                                         gpointer             progress_data,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
HsLabelResult *hs_label_job_run_finish  (GAsyncResult        *result,
                                         GError             **error);
void           hs_label_result_free     (HsLabelResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLabelResult, hs_label_result_free)

G_END_DECLS
