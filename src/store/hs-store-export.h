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
gboolean     hs_store_export_run           (HsStore          *store,
                                            HsExportDataset   dataset,
                                            const char       *where,
                                            HsQueryRowFunc    func,
                                            gpointer          user_data,
                                            size_t           *error_offset,
                                            GError          **error);

G_END_DECLS
