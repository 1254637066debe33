/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store queries of the fetch jobs (src/jobs/hs-fetch.c): whether a trade a provider returns is
 * stored already (trades are keyed by time and ordinal, so a trade fetched twice is recognised
 * by its provider id, or without one by its price, size and side at that microsecond); how many
 * trades a range holds (to decide whether the running CVD can simply continue); filling in an
 * instrument's name, currency and expiry where they are unknown; and the failure streak of a
 * provider as the last health snapshots recorded it; and plain system_metrics rows (a stream's
 * counts). Load: two point lookups per fetched trade,
 * on the (instrument_id, ts, seq) primary key; the rest once per page or per run.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-fetch.h"
#include "hs-store-private.h"

/**
 * hs_store_trade_present:
 * @trade: a trade as a provider returned it (its seq and cvd are not looked at)
 * @present: (out): whether the instrument has it already
 *
 * A stored trade at the same microsecond with the same provider trade id; for a trade without
 * an id, one without an id and with the same price, size and side.
 */
gboolean
hs_store_trade_present (HsStore       *store,
                        int64_t        instrument_id,
                        const HsTrade *trade,
                        gboolean      *present,
                        GError       **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  if (trade->trade_id != NULL)
    {
      stmt = hs_store_prepare (store, "SELECT 1 FROM trades WHERE instrument_id = ? AND ts = ? "
                                      "AND trade_id = ? LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 3, trade->trade_id, -1, SQLITE_STATIC);
    }
  else
    {
      stmt = hs_store_prepare (store, "SELECT 1 FROM trades WHERE instrument_id = ? AND ts = ? "
                                      "AND trade_id IS NULL AND price = ? AND size = ? "
                                      "AND side = ? LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_double (stmt, 3, trade->price);
      sqlite3_bind_double (stmt, 4, trade->size);
      sqlite3_bind_int (stmt, 5, trade->side);
    }
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, trade->ts);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a trade");
  *present = rc == SQLITE_ROW;
  return TRUE;
}

/* How many trades the instrument has from @from_ts to @to_ts, both inclusive. */
gboolean
hs_store_count_trades (HsStore *store,
                       int64_t  instrument_id,
                       int64_t  from_ts,
                       int64_t  to_ts,
                       int64_t *count,
                       GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT count(*) FROM trades WHERE "
                                                    "instrument_id = ? AND ts BETWEEN ? AND ?",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, from_ts);
  sqlite3_bind_int64 (stmt, 3, to_ts);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "counting trades");
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * hs_store_fill_instrument:
 * @name: (nullable): the display name
 * @currency: (nullable): the quote currency
 * @expiry: when it closes or expires, µs UTC; 0 if none
 *
 * Sets the instrument's name, currency and expiry where they are still unknown (NULL): what a
 * provider says about an instrument never overwrites what a user or an importer set.
 */
gboolean
hs_store_fill_instrument (HsStore    *store,
                          int64_t     instrument_id,
                          const char *name,
                          const char *currency,
                          int64_t     expiry,
                          GError    **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  if ((name == NULL || name[0] == '\0') && (currency == NULL || currency[0] == '\0')
      && expiry <= 0)
    return TRUE;
  stmt = hs_store_prepare (store, "UPDATE instruments SET name = coalesce(name, ?), "
                                  "currency = coalesce(currency, ?), "
                                  "expiry = coalesce(expiry, ?) WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  hs_bind_text_or_null (stmt, 1, name != NULL && name[0] != '\0' ? name : NULL);
  hs_bind_text_or_null (stmt, 2, currency != NULL && currency[0] != '\0' ? currency : NULL);
  if (expiry > 0)
    sqlite3_bind_int64 (stmt, 3, expiry);
  sqlite3_bind_int64 (stmt, 4, instrument_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "describing an instrument");
  return TRUE;
}

/**
 * hs_store_provider_streak:
 * @provider: "kalshi" (component fetch.kalshi)
 * @failures: (out): the latest consecutive_failures value written for it; 0 when none
 * @started: (out): the time of the first snapshot of that streak (the first row with failures
 *   after the last row without); 0 when @failures is 0
 *
 * Where a provider's failure streak stands across runs, so that a run that fails continues it
 * and a streak keeps one start time (the alert's dedupe key) however many runs it spans.
 */
gboolean
hs_store_provider_streak (HsStore    *store,
                          const char *provider,
                          int        *failures,
                          int64_t    *started,
                          GError    **error)
{
  g_autofree char *component = g_strconcat ("fetch.", provider, NULL);
  g_autoptr(HsStmt) last = NULL;
  g_autoptr(HsStmt) first = NULL;
  int rc;

  *failures = 0;
  *started = 0;
  last = hs_store_prepare (store, "SELECT value FROM system_metrics WHERE component = ? AND "
                                  "name = 'consecutive_failures' AND labels = '{}' "
                                  "ORDER BY ts DESC LIMIT 1", error);
  if (last == NULL)
    return FALSE;
  sqlite3_bind_text (last, 1, component, -1, SQLITE_STATIC);
  rc = sqlite3_step (last);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "reading a provider's failures");
  *failures = (int) sqlite3_column_int64 (last, 0);
  if (*failures <= 0)
    {
      *failures = 0;
      return TRUE;
    }
  first = hs_store_prepare (store,
    "SELECT min(ts) FROM system_metrics WHERE component = ?1 AND name = 'consecutive_failures' "
    "AND labels = '{}' AND ts > coalesce((SELECT max(ts) FROM system_metrics WHERE "
    "component = ?1 AND name = 'consecutive_failures' AND labels = '{}' AND value <= 0), -1)",
    error);
  if (first == NULL)
    return FALSE;
  sqlite3_bind_text (first, 1, component, -1, SQLITE_STATIC);
  rc = sqlite3_step (first);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "reading a provider's failures");
  *started = sqlite3_column_int64 (first, 0);
  return TRUE;
}

/**
 * hs_store_write_metrics:
 * @component: system_metrics.component, e.g. "stream.coinbase"
 *
 * Writes @n metrics at @ts with labels '{}', in one transaction (the caller's, if one is open).
 * A metric already stored for the same component, name and time is kept.
 */
gboolean
hs_store_write_metrics (HsStore        *store,
                        int64_t         ts,
                        const char     *component,
                        const HsMetric *metrics,
                        size_t          n,
                        GError        **error)
{
  gboolean own = FALSE, ok = TRUE;

  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  for (size_t i = 0; ok && i < n; i++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store, "INSERT INTO system_metrics (ts, "
                                                        "component, name, value, unit, labels) "
                                                        "VALUES (?, ?, ?, ?, ?, '{}') "
                                                        "ON CONFLICT DO NOTHING", error);
      int rc;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, ts);
      sqlite3_bind_text (stmt, 2, component, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, metrics[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 4, metrics[i].value);
      hs_bind_text_or_null (stmt, 5, metrics[i].unit);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        ok = hs_store_set_error (store, rc, error, "writing a metric");
    }
  return hs_store_write_end (store, own, ok, error);
}

