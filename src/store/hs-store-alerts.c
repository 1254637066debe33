/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The alerts table (seed 004): raising an alert, once per dedupe key, and reading the newest
 * ones for the window's Overview. The table's CHECK constraints are the validation: a kind or
 * severity outside their lists is refused by SQLite as HS_STORE_ERROR_CONSTRAINT.
 *
 * Load: a handful of rows per read, by the ts index.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-alerts.h"
#include "hs-store-private.h"

/* Returns: (transfer full): an alert with every field empty (severity info) */
HsAlert *
hs_alert_new (void)
{
  HsAlert *alert = g_new0 (HsAlert, 1);

  alert->severity = g_strdup ("info");
  return alert;
}

void
hs_alert_free (HsAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->kind);
  g_free (alert->severity);
  g_free (alert->title);
  g_free (alert->message);
  g_free (alert->source);
  g_free (alert->dedupe_key);
  g_free (alert->payload);
  g_free (alert);
}

/**
 * hs_store_add_alert:
 * @alert: the alert; @alert->id is ignored (the row gets a new one)
 * @inserted: (out) (optional): %FALSE when an alert with the same dedupe key was already stored
 *
 * Raises @alert. An acknowledged alert is stored with the time of @alert->ts as its
 * acknowledgement time.
 *
 * Returns: %FALSE with @error set (%HS_STORE_ERROR_CONSTRAINT for a kind, severity or title the
 *   table refuses)
 */
gboolean
hs_store_add_alert (HsStore       *store,
                    const HsAlert *alert,
                    gboolean      *inserted,
                    GError       **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "INSERT INTO alerts (ts, kind, severity, title, message, source, acknowledged,"
    " acknowledged_at, dedupe_key, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
    " CASE WHEN ?7 = 1 THEN ?1 END, ?8, ?9)"
    " ON CONFLICT (dedupe_key) DO NOTHING", error);
  int rc;

  g_return_val_if_fail (alert != NULL, FALSE);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, alert->ts);
  hs_bind_text_or_null (stmt, 2, alert->kind);
  hs_bind_text_or_null (stmt, 3, alert->severity != NULL ? alert->severity : "info");
  hs_bind_text_or_null (stmt, 4, alert->title);
  hs_bind_text_or_null (stmt, 5, alert->message);
  hs_bind_text_or_null (stmt, 6, alert->source);
  sqlite3_bind_int (stmt, 7, alert->acknowledged ? 1 : 0);
  hs_bind_text_or_null (stmt, 8, alert->dedupe_key);
  hs_bind_text_or_null (stmt, 9, alert->payload);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "adding an alert");
  if (inserted != NULL)
    *inserted = sqlite3_changes (hs_store_get_db (store)) > 0;
  return TRUE;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/**
 * hs_store_list_alerts:
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer full) (element-type HsAlert): the newest alerts first (ties: the later
 *   raised first), or %NULL with @error set
 */
GPtrArray *
hs_store_list_alerts (HsStore *store,
                      int64_t  limit,
                      GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_alert_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT id, ts, kind, severity, title, message, source, acknowledged, dedupe_key"
    " FROM alerts ORDER BY ts DESC, id DESC LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsAlert *alert = g_new0 (HsAlert, 1);

      alert->id = sqlite3_column_int64 (stmt, 0);
      alert->ts = sqlite3_column_int64 (stmt, 1);
      alert->kind = dup_column (stmt, 2);
      alert->severity = dup_column (stmt, 3);
      alert->title = dup_column (stmt, 4);
      alert->message = dup_column (stmt, 5);
      alert->source = dup_column (stmt, 6);
      alert->acknowledged = sqlite3_column_int (stmt, 7);
      alert->dedupe_key = dup_column (stmt, 8);
      g_ptr_array_add (out, alert);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing alerts");
      return NULL;
    }
  return g_steal_pointer (&out);
}
