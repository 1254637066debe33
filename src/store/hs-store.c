/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite connection: opening (WAL, foreign keys, busy timeout), SQLite errors as GError,
 * prepared statements cached per connection, transactions, and maintenance (integrity check,
 * online backup, a deterministic dump for tests). One HsStore per thread; a worker opens its own.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-private.h"

#include <glib/gstdio.h>
#include <math.h>

G_DEFINE_QUARK (hs-store-error-quark, hs_store_error)

#define BUSY_TIMEOUT_MS 5000

struct _HsStore
{
  sqlite3    *db;       /* (owned) */
  char       *path;     /* (owned) */
  GHashTable *stmts;    /* (owned) SQL text → sqlite3_stmt, finalized on close */
  gboolean    read_only;
};

/* Declared in hs-migrate.c; kept out of the public header. */
gboolean hs_migrate_check_applied (HsStore *store,
                                   GError **error);

static int
code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return HS_STORE_ERROR_CANT_OPEN;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return HS_STORE_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return HS_STORE_ERROR_CONSTRAINT;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return HS_STORE_ERROR_CORRUPT;
    case SQLITE_READONLY:
      return HS_STORE_ERROR_READONLY;
    default:
      return HS_STORE_ERROR_FAILED;
    }
}

/* Sets @error from @rc with SQLite's own message, prefixed by @context. Always returns FALSE. */
gboolean
hs_sqlite_set_error (sqlite3    *db,
                     int         rc,
                     GError    **error,
                     const char *context)
{
  const char *msg = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  g_set_error (error, HS_STORE_ERROR, code_for (rc), "%s%s%s", context ? context : "",
               context ? ": " : "", msg);
  return FALSE;
}

gboolean
hs_store_set_error (HsStore    *store,
                    int         rc,
                    GError    **error,
                    const char *context)
{
  return hs_sqlite_set_error (store->db, rc, error, context);
}

sqlite3 *
hs_store_get_db (HsStore *store)
{
  return store->db;
}

const char *
hs_store_get_path (HsStore *store)
{
  return store->path;
}

gboolean
hs_store_exec (HsStore    *store,
               const char *sql,
               GError    **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, HS_STORE_ERROR, code_for (rc), "%s",
                   errmsg ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_store_prepare:
 * @sql: a statement with `?` placeholders; a string literal, since its address is the cache
 *   key (the same text at two addresses is prepared twice, which is harmless)
 *
 * Returns: (transfer none): the statement, prepared once per connection and reset, or %NULL
 *   with @error set. Hold it in a g_autoptr(HsStmt) so it is reset when done.
 */
sqlite3_stmt *
hs_store_prepare (HsStore    *store,
                  const char *sql,
                  GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->stmts, sql);
  int rc;

  if (stmt != NULL)
    return stmt;
  rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      hs_store_set_error (store, rc, error, "preparing a statement");
      return NULL;
    }
  g_hash_table_insert (store->stmts, (gpointer) sql, stmt);
  return stmt;
}

void
hs_stmt_release (HsStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

void
hs_bind_double_or_null (sqlite3_stmt *stmt,
                        int           col,
                        double        v)
{
  if (isnan (v))
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_double (stmt, col, v);
}

void
hs_bind_text_or_null (sqlite3_stmt *stmt,
                      int           col,
                      const char   *v)
{
  if (v == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, v, -1, SQLITE_TRANSIENT);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
pragma (HsStore    *store,
        const char *sql,
        GError    **error)
{
  if (!hs_store_exec (store, sql, error))
    {
      g_prefix_error (error, "%s: ", sql);
      return FALSE;
    }
  return TRUE;
}

/* SQLite counts every allocation under a global mutex for sqlite3_memory_used(), which Hindsight
 * never asks for, and a per-row INSERT allocates several times (Debian's SQLite has no
 * lookaside). Turning that off must happen before SQLite initializes; if something else in the
 * process initialized it first, sqlite3_config() refuses and nothing changes. */
static void
configure_sqlite_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&done, 1);
    }
}

/**
 * hs_store_open:
 * @path: the database file; created when missing unless @flags has READ_ONLY
 *
 * Opens the database with foreign keys on and a busy timeout, refuses one written by a newer
 * Hindsight or whose applied migrations were edited (before writing anything to it), switches
 * it to WAL and applies pending migrations.
 *
 * Returns: (transfer full): the store, or %NULL with @error set (%HS_STORE_ERROR)
 */
HsStore *
hs_store_open (const char      *path,
               HsStoreOpenFlags flags,
               GError         **error)
{
  g_autoptr(HsStore) store = NULL;
  gboolean read_only = (flags & HS_STORE_OPEN_READ_ONLY) != 0;
  int open_flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  configure_sqlite_once ();
  store = g_new0 (HsStore, 1);
  store->path = g_strdup (path);
  store->read_only = read_only;
  /* Keyed by the literal's address: hashing the SQL text cost 3-6 % of a bulk import. */
  store->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        finalize_stmt);
  rc = sqlite3_open_v2 (path, &store->db, open_flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CANT_OPEN, "cannot open database %s: %s",
                   path, store->db ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);

  /* Reading the schema fails with SQLITE_NOTADB on a file that is not a database. */
  if (!pragma (store, "PRAGMA foreign_keys = ON", error)
      || !hs_store_exec (store, "SELECT count(*) FROM sqlite_schema", error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (!hs_migrate_check_applied (store, error))
    return NULL;
  if (!read_only)
    {
      if (!pragma (store, "PRAGMA journal_mode = WAL", error)
          || !pragma (store, "PRAGMA synchronous = NORMAL", error))
        return NULL;
      if ((flags & HS_STORE_OPEN_NO_MIGRATE) == 0 && !hs_store_migrate (store, NULL, error))
        return NULL;
    }
  return g_steal_pointer (&store);
}

void
hs_store_close (HsStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->stmts, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store->path);
  g_free (store);
}

gboolean
hs_store_begin (HsStore *store,
                GError **error)
{
  return hs_store_exec (store, "BEGIN IMMEDIATE", error);
}

gboolean
hs_store_commit (HsStore *store,
                 GError **error)
{
  return hs_store_exec (store, "COMMIT", error);
}

void
hs_store_rollback (HsStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * hs_store_check:
 * @problems: (out) (transfer full): one line per problem found; empty when the file is sound
 *
 * Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
 *
 * Returns: %FALSE only when the checks could not run.
 */
gboolean
hs_store_check (HsStore    *store,
                GPtrArray **problems,
                GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return hs_store_set_error (store, rc, error, "integrity_check");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_ptr_array_add (out, g_strdup_printf ("integrity: %s", line));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "integrity_check");

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA foreign_key_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return hs_store_set_error (store, rc, error, "foreign_key_check");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup_printf ("foreign key: %s row %lld refers to a missing %s row",
                                           sqlite3_column_text (stmt, 0),
                                           (long long) sqlite3_column_int64 (stmt, 1),
                                           sqlite3_column_text (stmt, 2)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "foreign_key_check");
  *problems = g_steal_pointer (&out);
  return TRUE;
}

/**
 * hs_store_backup:
 * @dest_path: where the copy goes; replaced atomically when the copy is complete
 *
 * Copies the database with SQLite's online backup API, a few hundred pages at a time, so other
 * connections (the app) keep writing meanwhile; a write during the copy makes SQLite restart it.
 */
gboolean
hs_store_backup (HsStore    *store,
                 const char *dest_path,
                 GError    **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.part", dest_path);
  sqlite3 *dest = NULL;
  sqlite3_backup *b;
  int rc;

  rc = sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      hs_sqlite_set_error (dest, rc, error, tmp);
      sqlite3_close (dest);
      return FALSE;
    }
  b = sqlite3_backup_init (dest, "main", store->db, "main");
  if (b == NULL)
    {
      hs_sqlite_set_error (dest, sqlite3_errcode (dest), error, "backup");
      sqlite3_close (dest);
      g_unlink (tmp);
      return FALSE;
    }
  do
    {
      rc = sqlite3_backup_step (b, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (b);
  if (rc != SQLITE_DONE)
    {
      hs_sqlite_set_error (dest, rc, error, "backup");
      sqlite3_close (dest);
      g_unlink (tmp);
      return FALSE;
    }
  /* A backup is a single file: leave it in rollback-journal mode so it can be copied alone. */
  sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  sqlite3_close (dest);
  if (g_rename (tmp, dest_path) != 0)
    {
      int saved = errno;

      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_FAILED, "cannot move backup to %s: %s",
                   dest_path, g_strerror (saved));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_store_list_tables:
 *
 * Returns: (transfer full) (element-type utf8): names of tables and views, sorted, without
 *   SQLite's internal ones
 */
GPtrArray *
hs_store_list_tables (HsStore *store,
                      GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  stmt = hs_store_prepare (store,
                           "SELECT name FROM sqlite_schema WHERE type IN ('table','view') "
                           "AND name NOT LIKE 'sqlite_%' ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing tables");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* An identifier in double quotes, inner quotes doubled. */
static char *
quote_ident (const char *name)
{
  g_autoptr(GString) s = g_string_new ("\"");

  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * hs_store_dump:
 *
 * Every table's schema and rows as text, tables by name and rows in order of all their columns,
 * so that two dumps are equal exactly when the databases hold the same data.
 *
 * Returns: (transfer full): the dump, or %NULL with @error set
 */
char *
hs_store_dump (HsStore *store,
               GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) schemas = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (store->db,
                           "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return hs_store_set_error (store, rc, error, "dump"), NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (schemas, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "dump"), NULL;

  for (guint i = 0; i < names->len; i++)
    {
      /* The table names come from sqlite_schema, not from a user; quoted as identifiers. */
      g_autofree char *sql = NULL;
      int n;

      g_string_append_printf (out, "%s;\n", (const char *) schemas->pdata[i]);
      g_autofree char *ident = quote_ident (names->pdata[i]);

      sql = g_strdup_printf ("SELECT * FROM %s", ident);
      rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        return hs_store_set_error (store, rc, error, "dump"), NULL;
      n = sqlite3_column_count (stmt);
      sqlite3_finalize (stmt);
      g_free (sql);
      {
        g_autoptr(GString) order = g_string_new (NULL);

        for (int c = 1; c <= n; c++)
          g_string_append_printf (order, "%s%d", c > 1 ? "," : "", c);
        sql = g_strdup_printf ("SELECT * FROM %s ORDER BY %s", ident, order->str);
      }
      rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        return hs_store_set_error (store, rc, error, "dump"), NULL;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          for (int c = 0; c < n; c++)
            {
              char buf[32];

              if (c > 0)
                g_string_append_c (out, '|');
              switch (sqlite3_column_type (stmt, c))
                {
                case SQLITE_NULL:
                  g_string_append (out, "NULL");
                  break;
                case SQLITE_INTEGER:
                  g_string_append_printf (out, "%lld", (long long) sqlite3_column_int64 (stmt, c));
                  break;
                case SQLITE_FLOAT:
                  hs_format_double (sqlite3_column_double (stmt, c), buf);
                  g_string_append_printf (out, "%sr", buf);
                  break;
                default:
                  g_string_append_printf (out, "'%s'", sqlite3_column_text (stmt, c));
                  break;
                }
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return hs_store_set_error (store, rc, error, "dump"), NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
