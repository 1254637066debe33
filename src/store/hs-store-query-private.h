/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-store-private.h"
#include "hs-store-query.h"

G_BEGIN_DECLS

/* The training-query compiler's pieces for other statements of the store (the export's
 * --where): a filter compiled to a WHERE condition over `t` (the source table) with its bound
 * parameters, and the checked prepare that every compiled statement goes through. */

typedef struct _HsQueryParams HsQueryParams;

HsQueryParams *hs_query_params_new      (void);
void           hs_query_params_free     (HsQueryParams  *params);
size_t         hs_query_params_get_n    (const HsQueryParams *params);
gboolean       hs_query_params_bind     (const HsQueryParams *params,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);

/* Appends the condition of @filter to @sql ("1" when @filter is NULL or blank), numbering its
 * parameters after those already in @params. Sets *@needs_instruments when the condition reads
 * `i` (instruments, joined on t.instrument_id) and *@needs_runs when it reads `r`
 * (backtest_runs, joined on t.run_id). */
gboolean       hs_query_compile_filter  (HsQuerySource   source,
                                         const char     *filter,
                                         GString        *sql,
                                         HsQueryParams  *params,
                                         gboolean       *needs_instruments,
                                         gboolean       *needs_runs,
                                         size_t         *error_offset,
                                         GError        **error);

/* Prepares @sql (one statement, read-only, or an error), after registering the SQL functions
 * compiled queries call (hs_mod, hs_median) on the connection. Finalize the result. */
sqlite3_stmt  *hs_query_prepare         (HsStore        *store,
                                         const char     *sql,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsQueryParams, hs_query_params_free)

G_END_DECLS
