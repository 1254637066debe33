/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store-query.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The rows of the ML export's datasets (docs/export.md), as stored: one fixed SELECT per dataset
 * in id order, optionally narrowed by a training-query filter (hs-store-query.h). The JSON
 * columns come as text; src/jobs/hs-export.c flattens them. */

typedef enum
{
  HS_EXPORT_TRADES,            /* paper_trades with instrument symbol */
  HS_EXPORT_SIGNALS,           /* signals with instrument symbol */
  HS_EXPORT_BACKTEST_TRADES,   /* backtest_trades with run strategy and symbol */
} HsExportDataset;

/* What a raw column holds. In the cells hs_store_export_run() hands out, a TEXT cell's integer
 * field is its length in bytes. */
typedef enum
{
  HS_EXPORT_RAW_INTEGER,
  HS_EXPORT_RAW_REAL,
  HS_EXPORT_RAW_TEXT,
  HS_EXPORT_RAW_TIME,   /* INTEGER microseconds UTC */
  HS_EXPORT_RAW_JSON,   /* TEXT holding JSON */
} HsExportRawKind;

typedef struct
{
  const char      *name;
  HsExportRawKind  kind;
} HsExportRawColumn;

const char  *hs_export_dataset_to_string   (HsExportDataset   dataset);
gboolean     hs_export_dataset_from_string (const char       *text,
                                            HsExportDataset  *out);
const HsExportRawColumn *hs_store_export_raw_columns (HsExportDataset dataset,
                                                      size_t         *n_columns);

gboolean     hs_store_export_count         (HsStore          *store,
                                            HsExportDataset   dataset,
                                            const char       *where,
                                            int64_t          *count,
                                            size_t           *error_offset,
                                            GError          **error);

/* Reading by id range from several threads at once, in one snapshot (hs-store-export.c). */
typedef struct _HsExportReaders HsExportReaders;

HsExportReaders *hs_store_export_readers_new   (HsStore          *store,
                                                HsExportDataset   dataset,
                                                const char       *where,
                                                unsigned          n_readers,
                                                size_t           *error_offset,
                                                GError          **error);
void             hs_store_export_readers_free  (HsExportReaders  *readers);
unsigned         hs_store_export_readers_get_n (HsExportReaders  *readers);
gboolean         hs_store_export_readers_next  (HsExportReaders  *readers,
                                                unsigned          reader,
                                                int64_t           after,
                                                int64_t          *next,
                                                GError          **error);
gboolean         hs_store_export_readers_read  (HsExportReaders  *readers,
                                                unsigned          reader,
                                                int64_t           lo,
                                                int64_t           hi,
                                                HsQueryRowFunc    func,
                                                gpointer          user_data,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsExportReaders, hs_store_export_readers_free)

G_END_DECLS
