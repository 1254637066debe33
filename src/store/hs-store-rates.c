/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Interest-rate series in the store (table `rates`, migrations/001): the risk-free rate of the
 * statistics as a step function, e.g. the Fed primary credit rate LEAN uses. A few hundred rows
 * per series; an insert is idempotent on (series, ts), so importing a file again adds nothing,
 * and a series that gained a row gets a new version at COMMIT (hs_store_data_version()).
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-rates.h"
#include "hs-store-private.h"


/**
 * hs_store_insert_rate:
 * @ts: from when the rate holds, µs UTC
 * @rate_pct: annual rate in percent (0.75 for 0.75 %)
 * @inserted: (out) (optional): whether the row was new
 *
 * Adds one row of @series unless a row with the same time is stored already. Runs inside the
 * caller's transaction, or in one of its own.
 */
gboolean
hs_store_insert_rate (HsStore    *store,
                      const char *series,
                      int64_t     ts,
                      double      rate_pct,
                      gboolean   *inserted,
                      GError    **error)
{
  gboolean own = FALSE, added = FALSE;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (series != NULL, FALSE);
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  {
    g_autoptr(HsStmt) stmt = hs_store_prepare (store, "INSERT INTO rates (series, ts, rate_pct) "
                                                      "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                               error);

    if (stmt == NULL)
      return hs_store_write_end (store, own, FALSE, error);
    sqlite3_bind_text (stmt, 1, series, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, ts);
    sqlite3_bind_double (stmt, 3, rate_pct);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
      return hs_store_write_end (store, own,
                                 hs_store_set_error (store, rc, error, "adding a rate"), error);
    added = sqlite3_changes (hs_store_get_db (store)) > 0;
  }
  if (added)
    hs_store_mark_written (store, HS_DATA_RATES, 0, series, NULL);
  if (inserted != NULL)
    *inserted = added;
  return hs_store_write_end (store, own, TRUE, error);
}

/**
 * hs_store_load_rates:
 *
 * Returns: (transfer full) (element-type HsRatePoint): the rows of @series in time order, each
 *   rate as an annual fraction (rate_pct / 100), ready for HsRiskFree; NULL with
 *   HS_STORE_ERROR_NOT_FOUND when the series has no rows.
 */
GArray *
hs_store_load_rates (HsStore    *store,
                     const char *series,
                     GError    **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HsRatePoint));
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (series != NULL, NULL);
  stmt = hs_store_prepare (store, "SELECT ts, rate_pct FROM rates WHERE series = ? ORDER BY ts",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, series, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsRatePoint p = { sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1) / 100 };

      g_array_append_val (out, p);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading rates");
      return NULL;
    }
  if (out->len == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no rate series “%s” (import one with: hindsight-cli import rates FILE "
                   "--series %s)", series, series);
      return NULL;
    }
  return g_steal_pointer (&out);
}
