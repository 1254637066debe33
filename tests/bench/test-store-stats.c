/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * store statistics (hs-store-stats.c), which the import benchmark reports with: bytes per table
 * including its indexes, NOT_FOUND for a name that is no table, and VACUUM leaving a compact
 * file with an empty write-ahead log. The test reaches into the file with sqlite3 directly only
 * to read the page size and to delete rows, which the store has no call for.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hs-store-market.h"
#include "hs-store-stats.h"
#include "hs-store.h"

/* A fresh folder per test run: G_TEST_OPTION_ISOLATE_DIRS does not cover /tmp. */
static char *temp_dir;

static char *
temp_db (const char *name)
{
  if (temp_dir == NULL)
    temp_dir = g_dir_make_tmp ("hs-store-stats-XXXXXX", NULL);
  g_assert_nonnull (temp_dir);
  return g_build_filename (temp_dir, name, NULL);
}

static void
remove_temp_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (temp_dir == NULL)
    return;
  dir = g_dir_open (temp_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (temp_dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (temp_dir);
  g_clear_pointer (&temp_dir, g_free);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *err = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", sql, err);
  sqlite3_close (db);
}

static int64_t
page_size (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int64_t size;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return size;
}

static int64_t
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return (int64_t) st.st_size;
}

static void
add_trades (HsStore *store,
            int      n)
{
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_assert_true (hs_store_begin (store, &error));
  g_assert_true (hs_store_ensure_instrument (store, "T", NULL, "stock", &id, &error));
  g_assert_no_error (error);
  for (int i = 0; i < n; i++)
    {
      HsTrade t = { .ts = INT64_C (1577975400000000) + i * INT64_C (1000000), .price = 100.25,
                    .size = 1 + i % 100, .side = i % 2 ? HS_SIDE_BUY : HS_SIDE_SELL };
      gboolean inserted = FALSE;

      g_assert_true (hs_store_insert_trade (store, id, &t, &inserted, &error));
      g_assert_no_error (error);
      g_assert_true (inserted);
    }
  g_assert_true (hs_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
test_table_bytes (void)
{
  g_autofree char *path = temp_db ("bytes.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  int64_t page = 0;
  int64_t bytes = -1;

  g_assert_no_error (error);
  page = page_size (path);

  /* An empty table is its root page. */
  g_assert_true (hs_store_table_bytes (store, "trades", &bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bytes, ==, page);

  /* The table, its UNIQUE constraint's index and its two indexes: four root pages. */
  g_assert_true (hs_store_table_bytes (store, "market_snapshots", &bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bytes, ==, 4 * page);

  /* 5000 trades take whole pages, at least their 8-byte ts and price each. */
  add_trades (store, 5000);
  g_assert_true (hs_store_table_bytes (store, "trades", &bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bytes % page, ==, 0);
  g_assert_cmpint (bytes, >, 5000 * 16);
}

static void
test_not_a_table (void)
{
  g_autofree char *path = temp_db ("missing.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  int64_t bytes = 42;

  g_assert_no_error (error);
  g_assert_false (hs_store_table_bytes (store, "no_such_table", &bytes, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* A view has no pages of its own. */
  g_assert_false (hs_store_table_bytes (store, "trades_v", &bytes, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (bytes, ==, 42);
}

static void
test_vacuum (void)
{
  g_autofree char *path = temp_db ("vacuum.db");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  int64_t full;
  int64_t bytes = 0;

  g_assert_no_error (error);
  add_trades (store, 20000);
  g_assert_true (hs_store_vacuum (store, &error));
  g_assert_no_error (error);
  /* Everything is in the main file now. */
  g_assert_cmpint (file_size (wal), ==, 0);
  full = file_size (path);
  g_assert_true (hs_store_table_bytes (store, "trades", &bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bytes, <, full);

  /* Deleted rows leave free pages until VACUUM gives them back. */
  raw_exec (path, "DELETE FROM trades");
  g_assert_true (hs_store_vacuum (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_size (wal), ==, 0);
  g_assert_cmpint (file_size (path), <, full);
  g_assert_true (hs_store_table_bytes (store, "trades", &bytes, &error));
  g_assert_cmpint (bytes, ==, page_size (path));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/store/stats/table-bytes", test_table_bytes);
  g_test_add_func ("/hs/store/stats/not-a-table", test_not_a_table);
  g_test_add_func ("/hs/store/stats/vacuum", test_vacuum);
  ret = g_test_run ();
  remove_temp_dir ();
  return ret;
}
