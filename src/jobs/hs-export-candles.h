/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-export.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The ML export's candles dataset (docs/export.md "candles"): the stored bars of one instrument
 * and interval in time order, in the export's CSV or JSON lines conventions, written as
 * FILE.part and renamed when complete. */

typedef struct
{
  const char *symbol;
  const char *exchange;   /* (nullable) */
  const char *interval;   /* a stored interval, e.g. "1m" */
  int64_t     limit;      /* at most this many bars; 0: all */
} HsExportCandlesRequest;

size_t       hs_export_candles_n_columns   (void);
const char  *hs_export_candles_column_name (size_t                         i);
const char  *hs_export_candles_column_type (size_t                         i);

gboolean     hs_export_candles_count       (HsStore                       *store,
                                            const HsExportCandlesRequest  *request,
                                            int64_t                       *count,
                                            GError                       **error);
gboolean     hs_export_candles_run         (HsStore                       *store,
                                            const HsExportCandlesRequest  *request,
                                            HsExportFormat                 format,
                                            const char *const             *columns,
                                            const char                    *path,
                                            HsExportProgressFunc           progress,
                                            gpointer                       user_data,
                                            GCancellable                  *cancellable,
                                            int64_t                       *rows,
                                            GError                       **error);

G_END_DECLS
