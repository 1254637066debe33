/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Storage statistics and compaction: how many bytes of the file a table takes, and VACUUM.
 * Used by the import benchmark (tests/bench/) to report bytes per stored row, and meant for a
 * future "database size" view. Both walk or rewrite the whole file, so they are maintenance
 * calls, run on a worker, never per row.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-stats.h"
#include "hs-store-private.h"

/**
 * hs_store_vacuum:
 * @store: not inside a transaction
 *
 * Rebuilds the database compactly (VACUUM), then checkpoints the write-ahead log and truncates
 * it, so that the main file on disk has its final, smallest size. Needs free disk space about
 * the size of the database, and blocks other writers while it runs.
 *
 * Returns: %FALSE with @error set (%HS_STORE_ERROR) when either step fails; %HS_STORE_ERROR_BUSY
 *   when another connection keeps the log from being checkpointed completely
 */
gboolean
hs_store_vacuum (HsStore *store,
                 GError **error)
{
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_exec (store, "VACUUM", error))
    {
      g_prefix_error (error, "VACUUM: ");
      return FALSE;
    }
  rc = sqlite3_wal_checkpoint_v2 (hs_store_get_db (store), NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                  NULL, NULL);
  if (rc != SQLITE_OK)
    return hs_store_set_error (store, rc, error, "checkpoint after VACUUM");
  return TRUE;
}

/**
 * hs_store_table_bytes:
 * @table: a table name
 * @bytes: (out): bytes of the pages holding the table and its indexes, overflow and partly
 *   filled pages included
 *
 * Sums the page sizes of @table's b-tree and of every index on it, from SQLite's dbstat virtual
 * table (SQLite built with SQLITE_ENABLE_DBSTAT_VTAB, as Debian, Fedora and Homebrew build it).
 * Pages in the write-ahead log count at their latest version. Free pages of the file belong to
 * no table: after hs_store_vacuum() there are none.
 *
 * Returns: %FALSE with @error set: %HS_STORE_ERROR_NOT_FOUND when there is no such table,
 *   %HS_STORE_ERROR_FAILED when this SQLite has no dbstat
 */
gboolean
hs_store_table_bytes (HsStore    *store,
                      const char *table,
                      int64_t    *bytes,
                      GError    **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  /* dbstat's aggregate form gives one row per b-tree; a WITHOUT ROWID table is its own. */
  stmt = hs_store_prepare (store,
                           "SELECT count(*), coalesce(sum(pgsize), 0) FROM dbstat('main', 1) "
                           "WHERE name = ?1 OR name IN (SELECT name FROM sqlite_schema "
                           "WHERE type = 'index' AND tbl_name = ?1)", error);
  if (stmt == NULL)
    {
      g_prefix_error (error, "measuring table %s: ", table);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "measuring a table");
  if (sqlite3_column_int64 (stmt, 0) == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no table %s", table);
      return FALSE;
    }
  *bytes = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}
