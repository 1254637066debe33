/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-export.h"
#include "hs-job-worker.h"

G_BEGIN_DECLS

/* The Export page's jobs (docs/ui-export.md): checking a filter, a preview of the first rows as
 * the export writes them, and the export to a file that appears only when complete and not
 * cancelled. Both run on a worker with their own connection (hs-job-worker.h). */

/* What to export: one of the engine's datasets with a filter, or the candles of one instrument
 * and interval (hs-export-candles.h). */
typedef struct
{
  gboolean           candles;
  HsExportDataset    dataset;    /* when not candles */
  const char        *where;      /* (nullable) when not candles: a training-query filter */
  const char        *symbol;     /* candles: the instrument */
  const char        *exchange;   /* (nullable) candles */
  const char        *interval;   /* candles: a stored interval */
  HsExportFormat     format;
  const char *const *columns;    /* (nullable) the columns, in the dataset's order; NULL: all */
} HsExportChoice;

typedef struct
{
  GStrv      columns;   /* the header */
  GPtrArray *rows;      /* GStrv, one per row, the CSV fields as the export writes them */
  int64_t    total;     /* the rows the whole export would write */
} HsExportPreview;

gboolean         hs_export_job_check_filter  (HsExportDataset      dataset,
                                              const char          *where,
                                              size_t              *error_offset,
                                              char               **message);

void             hs_export_preview_async     (const char          *db_path,
                                              const HsExportChoice *choice,
                                              guint                limit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
HsExportPreview *hs_export_preview_finish    (GAsyncResult        *result,
                                              GError             **error);
void             hs_export_preview_free      (HsExportPreview     *preview);

void             hs_export_file_async        (const char          *db_path,
                                              const HsExportChoice *choice,
                                              const char          *path,
                                              HsJobProgressFunc    progress,
                                              gpointer             progress_data,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean         hs_export_file_finish       (GAsyncResult        *result,
                                              int64_t             *rows,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsExportPreview, hs_export_preview_free)

G_END_DECLS
