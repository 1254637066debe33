/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* What every background job shares (STYLE.md "Threads"): running on a GTask worker with its own
 * connection to the database, and progress delivered on the main context of the thread that
 * started it (hs_job_progress_send() is the worker's progress callback). */

typedef void (*HsJobProgressFunc) (double      fraction,
                                   const char *message,
                                   gpointer    user_data);

/* A job's body on the worker: the result (transfer full), or %NULL with @error set. */
typedef gpointer (*HsJobRunFunc) (HsStore           *store,
                                  gconstpointer      request,
                                  HsJobProgressFunc  progress,
                                  gpointer           progress_data,
                                  GCancellable      *cancellable,
                                  GError           **error);

typedef struct _HsJobProgress HsJobProgress;

HsJobProgress *hs_job_progress_new  (HsJobProgressFunc    func,
                                     gpointer             user_data);
void           hs_job_post          (GMainContext        *context,
                                     GSourceFunc          func,
                                     gpointer             data,
                                     GDestroyNotify       destroy);
void           hs_job_progress_send (double               fraction,
                                     const char          *message,
                                     gpointer             progress);
void           hs_job_progress_free (HsJobProgress       *progress);

void           hs_job_run_async     (const char          *db_path,
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
                                     const char          *name);
gpointer       hs_job_run_finish    (GAsyncResult        *result,
                                     gpointer             source_tag,
                                     GError             **error);

/* Called on the main thread by hs_job_run_finish() for every job run with hs_job_run_async():
 * its name, how long it ran (µs, from start to finish) and whether it succeeded. The app uses it
 * to notify about long jobs that finish while its window is in the background (hs-notify.c). */
typedef void (*HsJobFinishedFunc) (const char *name,
                                   int64_t     elapsed_us,
                                   gboolean    success,
                                   gpointer    user_data);

void           hs_job_set_finished_func (HsJobFinishedFunc func,
                                         gpointer          user_data);

G_END_DECLS
