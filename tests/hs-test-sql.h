/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a test database directly with SQLite, for comparing stored rows with rows written out
 * by hand in a test.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The rows of @sql, one line each, columns joined by '|' and NULL as "NULL" (sqlite3's shell
 * style). Asserts the query runs. */
char    *hs_test_query_rows (const char *db_path,
                             const char *sql);
/* The first column of the one row @sql returns. */
int64_t  hs_test_query_int  (const char *db_path,
                             const char *sql);

G_END_DECLS
