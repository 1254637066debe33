/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hs-test-sql.h"

#include <sqlite3.h>

static sqlite3_stmt *
open_query (const char *db_path,
            const char *sql,
            sqlite3   **db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* The app's workers may be writing (a poll, the panel's re-read): wait for their lock as the
   * store does, rather than fail on SQLITE_BUSY. */
  sqlite3_busy_timeout (*db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (*db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  return stmt;
}

char *
hs_test_query_rows (const char *db_path,
                    const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = open_query (db_path, sql, &db);
  GString *out = g_string_new (NULL);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, c);

          g_string_append_printf (out, "%s%s", c ? "|" : "", v ? v : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

int64_t
hs_test_query_int (const char *db_path,
                   const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = open_query (db_path, sql, &db);
  int64_t v;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}
