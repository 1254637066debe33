/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store-market.h"

G_BEGIN_DECLS

/* What the coverage job found in one database file. */
typedef struct
{
  char      *path;        /* (owned) the database file, as requested */
  GPtrArray *coverage;    /* (owned) (element-type HsCoverage): as hs_store_list_coverage() */
  int64_t    file_size;   /* bytes of the main database file; -1 if unknown */
} HsCoverageResult;

void              hs_job_coverage_async   (const char          *db_path,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void              hs_job_coverage_read_async (const char          *db_path,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
HsCoverageResult *hs_job_coverage_finish  (GAsyncResult        *result,
                                           GError             **error);
void              hs_coverage_result_free (HsCoverageResult    *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCoverageResult, hs_coverage_result_free)

G_END_DECLS
