/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The poller's watch list and the backfills' resume points (tables watch_list and
 * backfill_state, migrations/019): adding, removing and listing what is watched, the entries
 * due at a time, and each run's outcome; a backfill's state created on its first run, saved
 * after every window in that window's transaction, and read back on the next run. Load: a few
 * statements per poller run or backfill window.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-watch.h"
#include "hs-store-private.h"

void
hs_watch_entry_free (HsWatchEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->provider);
  g_free (entry->symbol);
  g_free (entry->kind);
  g_free (entry->interval);
  g_free (entry->last_error);
  g_free (entry);
}

void
hs_backfill_state_free (HsBackfillState *state)
{
  if (state == NULL)
    return;
  g_free (state->provider);
  g_free (state->symbol);
  g_free (state->kind);
  g_free (state->interval);
  g_free (state->cursor);
  g_free (state->last_error);
  g_free (state);
}

static char *
text_or_null (sqlite3_stmt *stmt,
              int           col)
{
  const char *v = (const char *) sqlite3_column_text (stmt, col);

  return v != NULL && v[0] != '\0' ? g_strdup (v) : NULL;
}

/* "" stands for "no interval" in the tables, so that UNIQUE sees one value. */
static const char *
interval_key (const char *interval)
{
  return interval != NULL ? interval : "";
}

/* Binds a series (provider, symbol, kind, interval) to parameters @first … @first + 3. */
static void
bind_series (sqlite3_stmt *stmt,
             int           first,
             const char   *provider,
             const char   *symbol,
             const char   *kind,
             const char   *interval)
{
  sqlite3_bind_text (stmt, first, provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 3, interval_key (interval), -1, SQLITE_STATIC);
}

/**
 * hs_store_watch_add:
 * @interval: (nullable): candles only
 * @now: the time of the change, µs UTC
 * @id: (out): the entry's id
 * @created: (out) (optional): %FALSE when the entry existed (its period and enabled state are
 *   changed; it is due at once)
 */
gboolean
hs_store_watch_add (HsStore    *store,
                    const char *provider,
                    const char *symbol,
                    const char *kind,
                    const char *interval,
                    double      period_s,
                    gboolean    enabled,
                    int64_t     now,
                    int64_t    *id,
                    gboolean   *created,
                    GError    **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  gboolean existed;
  int rc;

  if (!hs_store_watch_find (store, provider, symbol, kind, interval, id, error))
    return FALSE;
  existed = *id > 0;
  if (existed)
    stmt = hs_store_prepare (store, "UPDATE watch_list SET period_s = ?1, enabled = ?2, "
                                    "next_due = 0 WHERE id = ?3", error);
  else
    stmt = hs_store_prepare (store, "INSERT INTO watch_list (period_s, enabled, provider, symbol, "
                                    "kind, interval, created_at) VALUES (?1, ?2, ?4, ?5, ?6, ?7, "
                                    "?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_double (stmt, 1, period_s);
  sqlite3_bind_int (stmt, 2, enabled ? 1 : 0);
  if (existed)
    sqlite3_bind_int64 (stmt, 3, *id);
  else
    {
      bind_series (stmt, 4, provider, symbol, kind, interval);
      sqlite3_bind_int64 (stmt, 8, now);
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "adding to the watch list");
  if (!existed)
    *id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  if (created != NULL)
    *created = !existed;
  return TRUE;
}

/* Returns: %FALSE with HS_STORE_ERROR_NOT_FOUND when there is no entry @id */
gboolean
hs_store_watch_remove (HsStore *store,
                       int64_t  id,
                       GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "DELETE FROM watch_list WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "removing from the watch list");
  if (sqlite3_changes (hs_store_get_db (store)) == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no watch list entry %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  return TRUE;
}

/* @id: (out): the entry's id, or 0 when there is none */
gboolean
hs_store_watch_find (HsStore    *store,
                     const char *provider,
                     const char *symbol,
                     const char *kind,
                     const char *interval,
                     int64_t    *id,
                     GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT id FROM watch_list WHERE "
                                                    "provider = ? AND symbol = ? AND kind = ? "
                                                    "AND interval = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_series (stmt, 1, provider, symbol, kind, interval);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading the watch list");
  *id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

#define WATCH_COLUMNS "id, provider, symbol, kind, interval, period_s, enabled, created_at, " \
                      "next_due, last_run, last_success, last_error, failures, runs, " \
                      "rows_inserted"

static GPtrArray *
read_entries (HsStore      *store,
              sqlite3_stmt *stmt,
              GError      **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             hs_watch_entry_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsWatchEntry *e = g_new0 (HsWatchEntry, 1);

      e->id = sqlite3_column_int64 (stmt, 0);
      e->provider = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      e->symbol = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      e->interval = text_or_null (stmt, 4);
      e->period_s = sqlite3_column_double (stmt, 5);
      e->enabled = sqlite3_column_int (stmt, 6) != 0;
      e->created_at = sqlite3_column_int64 (stmt, 7);
      e->next_due = sqlite3_column_int64 (stmt, 8);
      e->last_run = sqlite3_column_int64 (stmt, 9);
      e->last_success = sqlite3_column_int64 (stmt, 10);
      e->last_error = text_or_null (stmt, 11);
      e->failures = sqlite3_column_int (stmt, 12);
      e->runs = sqlite3_column_int64 (stmt, 13);
      e->rows_inserted = sqlite3_column_int64 (stmt, 14);
      g_ptr_array_add (out, e);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading the watch list");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Returns: (transfer full) (element-type HsWatchEntry): every entry, by id */
GPtrArray *
hs_store_watch_list (HsStore *store,
                     GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT " WATCH_COLUMNS " FROM watch_list "
                                                    "ORDER BY id", error);

  return stmt != NULL ? read_entries (store, stmt, error) : NULL;
}

/* Returns: (transfer full) (element-type HsWatchEntry): the enabled entries due at @now, the
 *   longest overdue first */
GPtrArray *
hs_store_watch_due (HsStore *store,
                    int64_t  now,
                    GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT " WATCH_COLUMNS " FROM watch_list "
                                                    "WHERE enabled = 1 AND next_due <= ? "
                                                    "ORDER BY next_due, id", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return read_entries (store, stmt, error);
}

/**
 * hs_store_watch_record:
 * @ran_at: when the run started
 * @error_message: (nullable): why it failed; %NULL for a success
 * @inserted: rows it added
 * @next_due: when it runs next
 *
 * Writes a run's outcome: a success sets last_success and clears last_error and the failure
 * count; a failure keeps last_success, sets last_error and counts one more failure. An entry
 * removed meanwhile is no error.
 */
gboolean
hs_store_watch_record (HsStore    *store,
                       int64_t     id,
                       int64_t     ran_at,
                       const char *error_message,
                       int64_t     inserted,
                       int64_t     next_due,
                       GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "UPDATE watch_list SET last_run = ?2, runs = runs + 1, "
    "rows_inserted = rows_inserted + ?3, next_due = ?4, last_error = ?5, "
    "last_success = CASE WHEN ?5 IS NULL THEN ?2 ELSE last_success END, "
    "failures = CASE WHEN ?5 IS NULL THEN 0 ELSE failures + 1 END WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, ran_at);
  sqlite3_bind_int64 (stmt, 3, MAX (inserted, 0));
  sqlite3_bind_int64 (stmt, 4, next_due);
  hs_bind_text_or_null (stmt, 5, error_message);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "recording a watch list run");
  return TRUE;
}

#define BACKFILL_COLUMNS "id, provider, symbol, kind, interval, start_ts, end_ts, cursor, " \
                         "resume_from, covered_to, done, windows, rows_inserted, created_at, " \
                         "updated_at, last_error"

static HsBackfillState *
read_state (sqlite3_stmt *stmt)
{
  HsBackfillState *s = g_new0 (HsBackfillState, 1);

  s->id = sqlite3_column_int64 (stmt, 0);
  s->provider = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  s->symbol = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  s->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  s->interval = text_or_null (stmt, 4);
  s->start_ts = sqlite3_column_int64 (stmt, 5);
  s->end_ts = sqlite3_column_int64 (stmt, 6);
  s->cursor = text_or_null (stmt, 7);
  s->resume_from = sqlite3_column_int64 (stmt, 8);
  s->covered_to = sqlite3_column_int64 (stmt, 9);
  s->done = sqlite3_column_int (stmt, 10) != 0;
  s->windows = sqlite3_column_int64 (stmt, 11);
  s->rows_inserted = sqlite3_column_int64 (stmt, 12);
  s->created_at = sqlite3_column_int64 (stmt, 13);
  s->updated_at = sqlite3_column_int64 (stmt, 14);
  s->last_error = text_or_null (stmt, 15);
  return s;
}

/**
 * hs_store_backfill_get:
 *
 * Returns: (transfer full) (nullable): the state of the backfill of that series from
 *   @start_ts; %NULL without an error when there is none
 */
HsBackfillState *
hs_store_backfill_get (HsStore    *store,
                       const char *provider,
                       const char *symbol,
                       const char *kind,
                       const char *interval,
                       int64_t     start_ts,
                       GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT " BACKFILL_COLUMNS " FROM "
                                                    "backfill_state WHERE provider = ? AND "
                                                    "symbol = ? AND kind = ? AND interval = ? "
                                                    "AND start_ts = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_series (stmt, 1, provider, symbol, kind, interval);
  sqlite3_bind_int64 (stmt, 5, start_ts);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_state (stmt);
  if (rc != SQLITE_DONE)
    hs_store_set_error (store, rc, error, "reading a backfill's state");
  return NULL;
}

/* @end_ts: 0 for "to now" */
gboolean
hs_store_backfill_create (HsStore    *store,
                          const char *provider,
                          const char *symbol,
                          const char *kind,
                          const char *interval,
                          int64_t     start_ts,
                          int64_t     end_ts,
                          int64_t     now,
                          int64_t    *id,
                          GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "INSERT INTO backfill_state (provider, symbol, kind, interval, start_ts, end_ts, "
    "resume_from, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?7, ?7)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_series (stmt, 1, provider, symbol, kind, interval);
  sqlite3_bind_int64 (stmt, 5, start_ts);
  if (end_ts > 0)
    sqlite3_bind_int64 (stmt, 6, end_ts);
  sqlite3_bind_int64 (stmt, 7, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "starting a backfill");
  *id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  return TRUE;
}

/**
 * hs_store_backfill_save:
 * @cursor: (nullable): the next window's cursor; %NULL after the last
 * @resume_from: where the next window starts, µs UTC; 0 when the cursor is not a time
 * @rows_inserted: rows the window added
 * @covered_to: with @done, the end the walk reached
 *
 * Saves the state after one window, in the caller's transaction (the window's), and clears
 * the last error.
 */
gboolean
hs_store_backfill_save (HsStore    *store,
                        int64_t     id,
                        const char *cursor,
                        int64_t     resume_from,
                        int64_t     rows_inserted,
                        gboolean    done,
                        int64_t     covered_to,
                        int64_t     now,
                        GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "UPDATE backfill_state SET cursor = ?2, resume_from = ?3, windows = windows + 1, "
    "rows_inserted = rows_inserted + ?4, done = ?5, "
    "covered_to = CASE WHEN ?5 THEN ?6 ELSE covered_to END, updated_at = ?7, "
    "last_error = NULL WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  hs_bind_text_or_null (stmt, 2, cursor);
  if (resume_from > 0)
    sqlite3_bind_int64 (stmt, 3, resume_from);
  sqlite3_bind_int64 (stmt, 4, MAX (rows_inserted, 0));
  sqlite3_bind_int (stmt, 5, done ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, covered_to);
  sqlite3_bind_int64 (stmt, 7, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "saving a backfill's state");
  return TRUE;
}

/* A finished backfill to "now" run again: not done, no cursor, from where it got to. */
gboolean
hs_store_backfill_restart (HsStore *store,
                           int64_t  id,
                           int64_t  end_ts,
                           int64_t  now,
                           GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "UPDATE backfill_state SET done = 0, cursor = NULL, resume_from = covered_to, "
    "end_ts = ?2, updated_at = ?3 WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (end_ts > 0)
    sqlite3_bind_int64 (stmt, 2, end_ts);
  sqlite3_bind_int64 (stmt, 3, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "restarting a backfill");
  return TRUE;
}

/* Notes why a run of the backfill stopped; its resume point is left as it was. */
gboolean
hs_store_backfill_fail (HsStore    *store,
                        int64_t     id,
                        const char *message,
                        int64_t     now,
                        GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "UPDATE backfill_state SET last_error = ?2, "
                                                    "updated_at = ?3 WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  hs_bind_text_or_null (stmt, 2, message);
  sqlite3_bind_int64 (stmt, 3, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "noting a backfill's error");
  return TRUE;
}

/* Returns: (transfer full) (element-type HsBackfillState): every backfill, by id */
GPtrArray *
hs_store_backfill_list (HsStore *store,
                        GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             hs_backfill_state_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT " BACKFILL_COLUMNS " FROM "
                                                    "backfill_state ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, read_state (stmt));
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading backfills");
      return NULL;
    }
  return g_steal_pointer (&out);
}
