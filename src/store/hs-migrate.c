/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The migration runner. The numbered files of migrations/ are compiled into the binary as a
 * GResource; each is applied once, in name order, in its own transaction, and recorded in
 * schema_migrations with its SHA-256. Before anything is written, the applied list is compared
 * with the known one: a database that has a migration this program does not know was written
 * by a newer Hindsight and is refused untouched; an applied migration whose file changed since
 * is an error naming the file, never a silent re-run.
 */
#define G_LOG_DOMAIN "hs-migrate"

#include "config.h"

#include "hs-store-private.h"

#include <stdlib.h>
#include <string.h>

#include "hs-migrations-resources.h"
#include "hs-time.h"

#define RESOURCE_DIR "/io/github/hindsight/Hindsight/migrations/"

gboolean hs_migrate_check_applied (HsStore *store,
                                   GError **error);

typedef struct
{
  int     version;
  char   *name;
  GBytes *sql;
  char   *checksum;
} Known;

static void
known_free (Known *k)
{
  g_free (k->name);
  g_bytes_unref (k->sql);
  g_free (k->checksum);
  g_free (k);
}

static int
known_cmp (gconstpointer a,
           gconstpointer b)
{
  return (*(Known **) a)->version - (*(Known **) b)->version;
}

/* The migrations compiled into this binary, by version. */
static GPtrArray *
known_migrations (void)
{
  static GPtrArray *known;

  if (g_once_init_enter (&known))
    {
      GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) known_free);
      g_auto(GStrv) names = NULL;

      g_resources_register (hs_migrations_get_resource ());
      names = g_resources_enumerate_children (RESOURCE_DIR, 0, NULL);
      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          g_autofree char *path = g_strconcat (RESOURCE_DIR, names[i], NULL);
          Known *k;

          if (!g_str_has_suffix (names[i], ".sql") || !g_ascii_isdigit (names[i][0]))
            continue;
          k = g_new0 (Known, 1);
          k->version = atoi (names[i]);
          k->name = g_strdup (names[i]);
          k->sql = g_resources_lookup_data (path, 0, NULL);
          g_assert (k->sql != NULL);
          k->checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, k->sql);
          g_ptr_array_add (list, k);
        }
      g_ptr_array_sort (list, known_cmp);
      for (guint i = 1; i < list->len; i++)
        g_assert (((Known *) list->pdata[i])->version > ((Known *) list->pdata[i - 1])->version);
      g_once_init_leave (&known, list);
    }
  return known;
}

static Known *
find_known (int version)
{
  GPtrArray *known = known_migrations ();

  for (guint i = 0; i < known->len; i++)
    if (((Known *) known->pdata[i])->version == version)
      return known->pdata[i];
  return NULL;
}

int
hs_migrations_latest_version (void)
{
  GPtrArray *known = known_migrations ();

  return known->len ? ((Known *) known->pdata[known->len - 1])->version : 0;
}

static gboolean
has_migrations_table (HsStore  *store,
                      gboolean *exists,
                      GError  **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT 1 FROM sqlite_schema WHERE type = 'table' "
                                             "AND name = 'schema_migrations'", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading schema_migrations");
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* Compares the applied migrations with the known ones; writes nothing. */
gboolean
hs_migrate_check_applied (HsStore *store,
                          GError **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  gboolean exists = FALSE;
  int rc;

  if (!has_migrations_table (store, &exists, error))
    return FALSE;
  if (!exists)
    return TRUE;
  stmt = hs_store_prepare (store, "SELECT version, name, checksum FROM schema_migrations "
                                  "ORDER BY version", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int version = sqlite3_column_int (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *sum = (const char *) sqlite3_column_text (stmt, 2);
      Known *k = find_known (version);

      if (k == NULL)
        {
          g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_TOO_NEW,
                       "%s was written by a newer Hindsight: it has schema migration %d (%s), "
                       "and this version (%s) knows migrations up to %d. Open it with a newer "
                       "Hindsight; the file was not changed.",
                       hs_store_get_path (store), version, name ? name : "?", PACKAGE_VERSION,
                       hs_migrations_latest_version ());
          return FALSE;
        }
      if (g_strcmp0 (sum, k->checksum) != 0 || g_strcmp0 (name, k->name) != 0)
        {
          g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_MIGRATION,
                       "migration %s was changed after it was applied to %s (recorded as %s "
                       "with SHA-256 %.12s…, the program has %s with %.12s…); released "
                       "migrations must never be edited",
                       k->name, hs_store_get_path (store), name ? name : "?", sum ? sum : "?",
                       k->name, k->checksum);
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading schema_migrations");
  return TRUE;
}

static gboolean
is_applied (HsStore *store,
            int      version,
            gboolean *applied,
            GError  **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT 1 FROM schema_migrations "
                                                    "WHERE version = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, version);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading schema_migrations");
  *applied = rc == SQLITE_ROW;
  return TRUE;
}

/* Runs one migration in its own transaction. Foreign keys are off while it runs (a table
 * rebuild drops and renames tables others refer to) and checked before it commits. */
static gboolean
apply_one (HsStore *store,
           Known   *k,
           gboolean *did_apply,
           GError  **error)
{
  g_autofree char *sql = g_strndup (g_bytes_get_data (k->sql, NULL), g_bytes_get_size (k->sql));
  gboolean applied = FALSE;
  g_autoptr(GPtrArray) problems = NULL;

  *did_apply = FALSE;
  if (!hs_store_exec (store, "PRAGMA foreign_keys = OFF", error) || !hs_store_begin (store, error))
    goto fail;
  /* Another process may have applied it since we looked. */
  if (!is_applied (store, k->version, &applied, error))
    goto fail;
  if (applied)
    {
      hs_store_rollback (store);
      return hs_store_exec (store, "PRAGMA foreign_keys = ON", error);
    }
  if (!hs_store_exec (store, sql, error))
    goto fail;
  {
    sqlite3_stmt *fk = NULL;
    int rc = sqlite3_prepare_v2 (hs_store_get_db (store), "PRAGMA foreign_key_check", -1, &fk,
                                 NULL);

    if (rc != SQLITE_OK)
      {
        hs_store_set_error (store, rc, error, NULL);
        goto fail;
      }
    rc = sqlite3_step (fk);
    if (rc == SQLITE_ROW)
      {
        g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT,
                     "leaves a row of %s referring to a missing %s row",
                     sqlite3_column_text (fk, 0), sqlite3_column_text (fk, 2));
        sqlite3_finalize (fk);
        goto fail;
      }
    sqlite3_finalize (fk);
  }
  {
    g_autoptr(HsStmt) ins = hs_store_prepare (store,
                                              "INSERT INTO schema_migrations (version, name, "
                                              "checksum, applied_at) VALUES (?, ?, ?, ?)", error);
    if (ins == NULL)
      goto fail;
    sqlite3_bind_int (ins, 1, k->version);
    sqlite3_bind_text (ins, 2, k->name, -1, SQLITE_STATIC);
    sqlite3_bind_text (ins, 3, k->checksum, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (ins, 4, hs_time_now_us ());
    if (sqlite3_step (ins) != SQLITE_DONE)
      {
        hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error, NULL);
        goto fail;
      }
  }
  if (!hs_store_commit (store, error))
    goto fail;
  *did_apply = TRUE;
  return hs_store_exec (store, "PRAGMA foreign_keys = ON", error);

fail:
  hs_store_rollback (store);
  sqlite3_exec (hs_store_get_db (store), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  g_prefix_error (error, "migration %s failed: ", k->name);
  if (error != NULL && *error != NULL && (*error)->domain == HS_STORE_ERROR
      && (*error)->code != HS_STORE_ERROR_BUSY)
    (*error)->code = HS_STORE_ERROR_MIGRATION;
  return FALSE;
}

/**
 * hs_store_migrate:
 * @n_applied: (out) (optional): how many migrations were applied now
 *
 * Applies every known migration the database does not have yet, in order. Refuses a database
 * newer than the program or with an edited migration (see hs_store_open()).
 */
gboolean
hs_store_migrate (HsStore *store,
                  int     *n_applied,
                  GError **error)
{
  return hs_store_migrate_to (store, G_MAXINT, n_applied, error);
}

/**
 * hs_store_migrate_to:
 * @target: the last version to apply
 *
 * As hs_store_migrate(), stopping after @target: for tests that put rows into an older schema
 * and watch a later migration keep them.
 */
gboolean
hs_store_migrate_to (HsStore *store,
                     int      target,
                     int     *n_applied,
                     GError **error)
{
  GPtrArray *known = known_migrations ();
  int count = 0;

  if (!hs_migrate_check_applied (store, error))
    return FALSE;
  if (!hs_store_exec (store,
                      "CREATE TABLE IF NOT EXISTS schema_migrations ("
                      " version INTEGER PRIMARY KEY,"
                      " name TEXT NOT NULL,"
                      " checksum TEXT NOT NULL,"
                      " applied_at INTEGER NOT NULL)", error))
    return FALSE;
  for (guint i = 0; i < known->len && ((Known *) known->pdata[i])->version <= target; i++)
    {
      gboolean did = FALSE;

      if (!apply_one (store, known->pdata[i], &did, error))
        return FALSE;
      count += did;
    }
  if (n_applied != NULL)
    *n_applied = count;
  return TRUE;
}

void
hs_migration_info_free (HsMigrationInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->checksum);
  g_free (info);
}

/**
 * hs_store_list_migrations:
 *
 * Returns: (transfer full) (element-type HsMigrationInfo): every known migration, with its
 *   applied_at time when the database has it
 */
GPtrArray *
hs_store_list_migrations (HsStore *store,
                          GError **error)
{
  GPtrArray *known = known_migrations ();
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_migration_info_free);
  gboolean exists = FALSE;

  if (!has_migrations_table (store, &exists, error))
    return NULL;
  for (guint i = 0; i < known->len; i++)
    {
      Known *k = known->pdata[i];
      HsMigrationInfo *info = g_new0 (HsMigrationInfo, 1);

      info->version = k->version;
      info->name = g_strdup (k->name);
      info->checksum = g_strdup (k->checksum);
      if (exists)
        {
          g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT applied_at FROM "
                                                            "schema_migrations WHERE version = ?",
                                                     error);
          if (stmt == NULL)
            {
              hs_migration_info_free (info);
              return NULL;
            }
          sqlite3_bind_int (stmt, 1, k->version);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            info->applied_at = sqlite3_column_int64 (stmt, 0);
        }
      g_ptr_array_add (out, info);
    }
  return g_steal_pointer (&out);
}
