/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite connection: opening (WAL, foreign keys, busy timeout), SQLite errors as GError,
 * prepared statements cached per connection, transactions with the data versions they bump
 * (data_versions, migrations/008: the writers note the series they changed, the commit adds
 * one to each in the same transaction), and maintenance (integrity check, online backup, a
 * deterministic dump for tests). One HsStore per thread; a worker opens its own.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-private.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (hs-store-error-quark, hs_store_error)

#define BUSY_TIMEOUT_MS 5000

struct _HsStore
{
  sqlite3    *db;       /* (owned) */
  char       *path;     /* (owned) */
  GHashTable *stmts;    /* (owned) SQL text → sqlite3_stmt, finalized on close */
  GArray     *dirty;    /* (owned) DirtySeries written in the open transaction */
  gboolean    read_only;
};

/* A series of market data a writer changed in the open transaction: its data_versions row gets
 * one more at COMMIT. */
typedef struct
{
  HsDataKind  kind;
  int64_t     instrument_id;
  char       *series;     /* (owned) "" when none */
  char       *interval;   /* (owned) "" when none */
} DirtySeries;

static void
dirty_series_clear (gpointer data)
{
  DirtySeries *d = data;

  g_free (d->series);
  g_free (d->interval);
}

static const char *const data_kind_names[] = {
  [HS_DATA_CANDLES] = "candles",
  [HS_DATA_TRADES] = "trades",
  [HS_DATA_QUOTES] = "quotes",
  [HS_DATA_ORDERBOOK] = "orderbook",
  [HS_DATA_SNAPSHOTS] = "snapshots",
  [HS_DATA_QUOTE_BARS] = "quote_bars",
  [HS_DATA_FACTORS] = "factors",
  [HS_DATA_CALENDAR] = "calendar",
  [HS_DATA_RATES] = "rates",
};

/**
 * hs_data_kind_to_string:
 *
 * Returns: (transfer none): the kind as data_versions.kind spells it, e.g. "candles"
 */
const char *
hs_data_kind_to_string (HsDataKind kind)
{
  g_return_val_if_fail ((size_t) kind < G_N_ELEMENTS (data_kind_names), NULL);
  return data_kind_names[kind];
}

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

  if (flags & HS_STORE_OPEN_EXISTING)
    open_flags &= ~SQLITE_OPEN_CREATE;

  g_return_val_if_fail (path != NULL, NULL);

  configure_sqlite_once ();
  store = g_new0 (HsStore, 1);
  store->path = g_strdup (path);
  store->read_only = read_only;
  /* Keyed by the literal's address: hashing the SQL text cost 3-6 % of a bulk import. */
  store->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        finalize_stmt);
  store->dirty = g_array_new (FALSE, FALSE, sizeof (DirtySeries));
  g_array_set_clear_func (store->dirty, dirty_series_clear);
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
  g_clear_pointer (&store->dirty, g_array_unref);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store->path);
  g_free (store);
}

/**
 * hs_store_begin:
 *
 * Opens a write transaction (BEGIN IMMEDIATE: the write lock is taken now, so the transaction
 * never fails later on a writer that came in between). End it with hs_store_commit() or
 * hs_store_rollback(), which keep the data versions (data_versions) in step with what was
 * written.
 */
gboolean
hs_store_begin (HsStore *store,
                GError **error)
{
  return hs_store_exec (store, "BEGIN IMMEDIATE", error);
}

/**
 * hs_store_begin_read:
 *
 * Opens a read transaction: every read until hs_store_commit() or hs_store_rollback() sees the
 * database as it was at the first one, whatever other connections commit meanwhile (WAL).
 */
gboolean
hs_store_begin_read (HsStore *store,
                     GError **error)
{
  return hs_store_exec (store, "BEGIN DEFERRED", error);
}

/* One more on the version of each series written in the open transaction. A handful of
 * statements per transaction (one per series), whatever the number of rows. */
static gboolean
bump_versions (HsStore *store,
               GError **error)
{
  for (guint i = 0; i < store->dirty->len; i++)
    {
      const DirtySeries *d = &g_array_index (store->dirty, DirtySeries, i);
      g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                                 "INSERT INTO data_versions (kind, "
                                                 "instrument_id, series, interval, version) "
                                                 "VALUES (?, ?, ?, ?, 1) ON CONFLICT DO UPDATE "
                                                 "SET version = version + 1", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, data_kind_names[d->kind], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, d->instrument_id);
      sqlite3_bind_text (stmt, 3, d->series, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, d->interval, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return hs_store_set_error (store, rc, error, "updating data_versions");
    }
  g_array_set_size (store->dirty, 0);
  return TRUE;
}

/**
 * hs_store_commit:
 *
 * Commits the open transaction, with one more on the version of every series of market data
 * its writers changed (hs_store_data_version()), in the same transaction. On an error the
 * transaction stays open: roll it back.
 */
gboolean
hs_store_commit (HsStore *store,
                 GError **error)
{
  if (store->dirty->len > 0 && !sqlite3_get_autocommit (store->db)
      && !bump_versions (store, error))
    return FALSE;
  return hs_store_exec (store, "COMMIT", error);
}

void
hs_store_rollback (HsStore *store)
{
  g_array_set_size (store->dirty, 0);
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * hs_store_mark_written:
 * @series: (nullable): the rate series or the market; %NULL or "" for an instrument's data
 * @interval: (nullable): the bars' interval; %NULL or "" for kinds without one
 *
 * Notes that a writer inserted, changed or deleted rows of a series in the open transaction
 * (hs_store_write_begin()), so that hs_store_commit() counts a new version of it. Called once
 * per statement that changed something; the set is tiny (usually one series), and the last one
 * noted is checked first.
 */
void
hs_store_mark_written (HsStore    *store,
                       HsDataKind  kind,
                       int64_t     instrument_id,
                       const char *series,
                       const char *interval)
{
  DirtySeries d;

  g_assert (!sqlite3_get_autocommit (store->db));
  series = series != NULL ? series : "";
  interval = interval != NULL ? interval : "";
  for (guint i = store->dirty->len; i > 0; i--)
    {
      const DirtySeries *e = &g_array_index (store->dirty, DirtySeries, i - 1);

      if (e->kind == kind && e->instrument_id == instrument_id
          && strcmp (e->interval, interval) == 0 && strcmp (e->series, series) == 0)
        return;
    }
  d.kind = kind;
  d.instrument_id = instrument_id;
  d.series = g_strdup (series);
  d.interval = g_strdup (interval);
  g_array_append_val (store->dirty, d);
}

/**
 * hs_store_write_begin:
 * @own: (out): whether a transaction was opened here, for hs_store_write_end()
 *
 * A writer of market data calls this first: inside the caller's transaction it does nothing;
 * outside one (autocommit) it opens one, so that the rows and the new version of their series
 * commit together.
 */
gboolean
hs_store_write_begin (HsStore  *store,
                      gboolean *own,
                      GError  **error)
{
  *own = sqlite3_get_autocommit (store->db) != 0;
  return !*own || hs_store_begin (store, error);
}

/**
 * hs_store_write_end:
 * @own: from hs_store_write_begin()
 * @ok: whether the writer succeeded (when %FALSE, @error is set already)
 *
 * Ends what hs_store_write_begin() opened: commits (with the versions) when @ok, else rolls
 * back. Inside the caller's transaction it only passes @ok on.
 *
 * Returns: @ok, or %FALSE when the commit failed
 */
gboolean
hs_store_write_end (HsStore  *store,
                    gboolean  own,
                    gboolean  ok,
                    GError  **error)
{
  if (!own)
    return ok;
  if (ok && hs_store_commit (store, error))
    return TRUE;
  hs_store_rollback (store);
  return FALSE;
}

/**
 * hs_store_data_version:
 * @series: (nullable): the rate series (%HS_DATA_RATES) or the market (%HS_DATA_CALENDAR);
 *   %NULL or "" for an instrument's data
 * @interval: (nullable): for %HS_DATA_CANDLES and %HS_DATA_QUOTE_BARS; %NULL or "" otherwise
 * @version: (out): the series' version: 0 when it was never written, 1 after the first write
 *   (or when migrations/008 found it stored), one more after every transaction that inserted,
 *   changed or deleted any of its rows through the store
 *
 * One lookup in data_versions' primary key. Two equal versions of a series mean the same rows,
 * so the backtest cache keys on versions instead of reading the data.
 */
gboolean
hs_store_data_version (HsStore    *store,
                       HsDataKind  kind,
                       int64_t     instrument_id,
                       const char *series,
                       const char *interval,
                       int64_t    *version,
                       GError    **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL && version != NULL, FALSE);
  g_return_val_if_fail ((size_t) kind < G_N_ELEMENTS (data_kind_names), FALSE);
  stmt = hs_store_prepare (store, "SELECT version FROM data_versions WHERE kind = ? AND "
                                  "instrument_id = ? AND series = ? AND interval = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data_kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, instrument_id);
  sqlite3_bind_text (stmt, 3, series != NULL ? series : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, interval != NULL ? interval : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading a data version");
  *version = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
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

/* Copies every page of @from's main database into @to's with SQLite's backup API, a few hundred
 * pages at a time so that other connections keep writing (a write restarts the copy). */
static gboolean
copy_database (sqlite3  *to,
               sqlite3  *from,
               GError  **error)
{
  sqlite3_backup *b = sqlite3_backup_init (to, "main", from, "main");
  int rc;

  if (b == NULL)
    return hs_sqlite_set_error (to, sqlite3_errcode (to), error, "backup");
  do
    {
      rc = sqlite3_backup_step (b, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (b);
  if (rc != SQLITE_DONE)
    return hs_sqlite_set_error (to, rc, error, "backup");
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
  int rc;

  rc = sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      hs_sqlite_set_error (dest, rc, error, tmp);
      sqlite3_close (dest);
      return FALSE;
    }
  if (!copy_database (dest, store->db, error))
    {
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
 * hs_store_restore_from:
 * @store: the database to overwrite, open in read-write mode
 * @source: a backup, opened (read-only is enough) and checked by the caller
 *
 * Replaces every page of @store's database by @source's, in one step as SQLite's backup API
 * does it: other connections see either the old or the new database. The caller makes a
 * backup of @store first.
 */
gboolean
hs_store_restore_from (HsStore  *store,
                       HsStore  *source,
                       GError  **error)
{
  return copy_database (store->db, source->db, error);
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
