/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store-export.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The ML export (docs/export.md): a dataset streamed row by row to CSV or JSON lines, its JSON
 * context flattened to fixed, documented columns, written to FILE.part and renamed to FILE when
 * complete (a failed or cancelled export leaves no file behind). */

typedef enum
{
  HS_EXPORT_CSV,
  HS_EXPORT_JSONL,
} HsExportFormat;

typedef struct
{
  HsExportDataset dataset;
  HsExportFormat  format;
  const char     *where;     /* (nullable) a training-query filter */
  const char     *path;      /* the file to write */
} HsExportRequest;

/* Called every 16,384 rows and once at the end, on the exporting thread. */
typedef void (*HsExportProgressFunc) (int64_t  done,
                                      int64_t  total,
                                      gpointer user_data);

gboolean     hs_export_format_from_string (const char            *text,
                                           HsExportFormat        *out);
size_t       hs_export_n_columns          (HsExportDataset        dataset);
const char  *hs_export_column_name        (HsExportDataset        dataset,
                                           size_t                 i);
const char  *hs_export_column_type        (HsExportDataset        dataset,
                                           size_t                 i);

gboolean     hs_export_run                (HsStore               *store,
                                           const HsExportRequest *request,
                                           HsExportProgressFunc   progress,
                                           gpointer               user_data,
                                           GCancellable          *cancellable,
                                           int64_t               *rows,
                                           size_t                *error_offset,
                                           GError               **error);

gboolean     hs_export_run_select         (HsStore               *store,
                                           const HsExportRequest *request,
                                           const char *const     *columns,
                                           HsExportProgressFunc   progress,
                                           gpointer               user_data,
                                           GCancellable          *cancellable,
                                           int64_t               *rows,
                                           size_t                *error_offset,
                                           GError               **error);

void         hs_export_async              (const char            *db_path,
                                           const HsExportRequest *request,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
gboolean     hs_export_finish             (GAsyncResult          *result,
                                           int64_t               *rows,
                                           GError               **error);

G_END_DECLS
