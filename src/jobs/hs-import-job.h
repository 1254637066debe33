/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-import.h"
#include "hs-job-worker.h"

G_BEGIN_DECLS

/* Importing files from the window (docs/ui.md): a guess at how to import a dropped file, the
 * demo files, and the job that imports a list of files one after another on a worker, each in
 * its own transaction (hs_import_run()), with progress over the whole list. */

/* What an import of several files did. */
typedef struct
{
  GPtrArray *requests;    /* (owned) (element-type HsImportRequest) what was asked, in order */
  GArray    *results;     /* (owned) (element-type HsImportResult) one per file imported, in
                           * order: the first results->len requests are in the database */
  GError    *error;       /* (owned) (nullable) why request number results->len was not
                           * imported (%HS_IMPORT_ERROR with "FILE:LINE: reason", or
                           * %G_IO_ERROR_CANCELLED); the files after it were not tried */
} HsImportJobResult;

HsImportRequest   *hs_import_guess             (const char          *path);
char              *hs_import_demo_dir          (void);
GPtrArray         *hs_import_demo_requests     (const char          *demo_dir);

void               hs_job_import_async         (const char          *db_path,
                                                GPtrArray           *requests,
                                                HsJobProgressFunc    progress,
                                                gpointer             progress_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
HsImportJobResult *hs_job_import_finish        (GAsyncResult        *result,
                                                GError             **error);
void               hs_import_job_result_free   (HsImportJobResult   *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsImportJobResult, hs_import_job_result_free)

G_END_DECLS
