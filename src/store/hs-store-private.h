/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "hs-store.h"

G_BEGIN_DECLS

sqlite3      *hs_store_get_db        (HsStore     *store);
sqlite3_stmt *hs_store_prepare       (HsStore     *store,
                                      const char  *sql,
                                      GError     **error);
gboolean      hs_store_exec          (HsStore     *store,
                                      const char  *sql,
                                      GError     **error);
gboolean      hs_store_set_error     (HsStore     *store,
                                      int          rc,
                                      GError     **error,
                                      const char  *context);
gboolean      hs_sqlite_set_error    (sqlite3     *db,
                                      int          rc,
                                      GError     **error,
                                      const char  *context);
void          hs_bind_double_or_null (sqlite3_stmt *stmt,
                                      int           col,
                                      double        v);
void          hs_bind_text_or_null   (sqlite3_stmt *stmt,
                                      int           col,
                                      const char   *v);

/* Every writer of market data: hs_store_write_begin(), the statements, hs_store_mark_written()
 * for each series a statement changed, hs_store_write_end(). */
gboolean      hs_store_write_begin   (HsStore      *store,
                                      gboolean     *own,
                                      GError      **error);
gboolean      hs_store_write_end     (HsStore      *store,
                                      gboolean      own,
                                      gboolean      ok,
                                      GError      **error);
void          hs_store_mark_written  (HsStore      *store,
                                      HsDataKind    kind,
                                      int64_t       instrument_id,
                                      const char   *series,
                                      const char   *interval);

G_END_DECLS

G_BEGIN_DECLS

/* A statement from hs_store_prepare(), reset and unbound when it goes out of scope so that no
 * read transaction stays open behind the caller's back. */
typedef sqlite3_stmt HsStmt;
void hs_stmt_release (HsStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStmt, hs_stmt_release)

G_END_DECLS
