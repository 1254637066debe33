/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reads of gap detection (docs/gaps-retention.md): one instrument's candle times of an
 * interval, the sequence numbers of its prediction-market and order-book snapshots, and its
 * trade ids, each streamed from a cursor in the order the check needs. Every scan is a range of
 * a primary key or index (candles and trades by (instrument, ts), market_snapshots by
 * idx_market_snapshots_instrument_ts, orderbook_snapshots by its UNIQUE (instrument, ts)), so a
 * million candles stream in well under a second without being held in memory.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-gaps.h"
#include "hs-store-private.h"

#include "hs-interval.h"

/**
 * hs_store_gaps_begin:
 *
 * Opens the read transaction of one gap report: a savepoint, so that inside a caller's
 * transaction (a backfill asking for the ranges it is about to fill) it joins that one. End it
 * with hs_store_gaps_end().
 */
gboolean
hs_store_gaps_begin (HsStore *store,
                     GError **error)
{
  return hs_store_exec (store, "SAVEPOINT gaps_report", error);
}

void
hs_store_gaps_end (HsStore *store)
{
  hs_store_exec (store, "RELEASE gaps_report", NULL);
}

/**
 * hs_store_candle_intervals:
 *
 * Returns: (transfer full): the intervals the instrument has candles of, shortest first (as
 *   hs_interval_all() orders them); empty when none, %NULL with @error on a store error
 */
char **
hs_store_candle_intervals (HsStore *store,
                           int64_t  instrument_id,
                           GError **error)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  size_t n = 0;
  const HsInterval *all = hs_interval_all (&n);

  /* One probe of the primary key per known interval: SELECT DISTINCT would read every row. */
  for (size_t i = 0; i < n; i++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                                 "SELECT 1 FROM candles WHERE instrument_id = ? "
                                                 "AND interval = ? LIMIT 1", error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, all[i].name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_strv_builder_add (out, all[i].name);
      else if (rc != SQLITE_DONE)
        {
          hs_store_set_error (store, rc, error, "listing candle intervals");
          return NULL;
        }
    }
  return g_strv_builder_end (out);
}

/* Hands one row of a scan to the caller's callback @func. */
typedef gboolean (*RowFunc) (sqlite3_stmt *stmt,
                             gpointer      func,
                             gpointer      user_data,
                             GError      **error);

/* Runs @sql, whose parameters are ?1 the instrument, ?2 and ?3 the range and (when @interval is
 * not %NULL) ?4 the interval, handing each row to @row; FALSE on a store error or when the
 * callback returns FALSE (its error passed on). */
static gboolean
scan (HsStore    *store,
      const char *sql,
      int64_t     instrument_id,
      int64_t     from_ts,
      int64_t     to_ts,
      const char *interval,
      RowFunc     row,
      gpointer    func,
      gpointer    user_data,
      const char *what,
      GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, from_ts);
  sqlite3_bind_int64 (stmt, 3, to_ts);
  if (interval != NULL)
    sqlite3_bind_text (stmt, 4, interval, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!row (stmt, func, user_data, error))
      return FALSE;
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, what);
  return TRUE;
}

static gboolean
time_row (sqlite3_stmt *stmt,
          gpointer      func,
          gpointer      user_data,
          GError      **error)
{
  return ((HsTimeFunc) func) (sqlite3_column_int64 (stmt, 0), user_data, error);
}

/**
 * hs_store_each_candle_ts:
 * @from_ts: first bar start (inclusive), µs UTC
 * @to_ts: last bar start (inclusive)
 *
 * Calls @func with the start of every stored bar of @interval in the range, ascending (a time
 * shared by several tick rows comes once per row).
 */
gboolean
hs_store_each_candle_ts (HsStore    *store,
                         int64_t     instrument_id,
                         const char *interval,
                         int64_t     from_ts,
                         int64_t     to_ts,
                         HsTimeFunc  func,
                         gpointer    user_data,
                         GError    **error)
{
  g_return_val_if_fail (store != NULL && interval != NULL && func != NULL, FALSE);
  return scan (store, "SELECT ts FROM candles WHERE instrument_id = ?1 AND interval = ?4 "
                      "AND ts BETWEEN ?2 AND ?3 ORDER BY ts, seq",
               instrument_id, from_ts, to_ts, interval, time_row, func, user_data,
               "reading candle times", error);
}

/* Columns: source (nullable), sequence, ts. */
static gboolean
sequence_row (sqlite3_stmt *stmt,
              gpointer      func,
              gpointer      user_data,
              GError      **error)
{
  return ((HsSequenceFunc) func) ((const char *) sqlite3_column_text (stmt, 0),
                                  sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
                                  user_data, error);
}

/**
 * hs_store_each_snapshot_sequence:
 *
 * Calls @func with every market_snapshots row of the instrument in [@from_ts, @to_ts] that has
 * a sequence number, grouped by source (backfill, poll, websocket: each source numbers its own
 * stream) and in time order within a source.
 */
gboolean
hs_store_each_snapshot_sequence (HsStore       *store,
                                 int64_t        instrument_id,
                                 int64_t        from_ts,
                                 int64_t        to_ts,
                                 HsSequenceFunc func,
                                 gpointer       user_data,
                                 GError       **error)
{
  g_return_val_if_fail (store != NULL && func != NULL, FALSE);
  return scan (store, "SELECT source, sequence, ts FROM market_snapshots WHERE "
                      "instrument_id = ?1 AND ts BETWEEN ?2 AND ?3 AND sequence IS NOT NULL "
                      "ORDER BY source, ts, id",
               instrument_id, from_ts, to_ts, NULL, sequence_row, func, user_data,
               "reading snapshot sequences", error);
}

/**
 * hs_store_each_book_sequence:
 *
 * Calls @func (source %NULL) with every orderbook_snapshots row of the instrument in
 * [@from_ts, @to_ts] that has a sequence number, in time order.
 */
gboolean
hs_store_each_book_sequence (HsStore       *store,
                             int64_t        instrument_id,
                             int64_t        from_ts,
                             int64_t        to_ts,
                             HsSequenceFunc func,
                             gpointer       user_data,
                             GError       **error)
{
  g_return_val_if_fail (store != NULL && func != NULL, FALSE);
  return scan (store, "SELECT NULL, sequence, ts FROM orderbook_snapshots WHERE "
                      "instrument_id = ?1 AND ts BETWEEN ?2 AND ?3 AND sequence IS NOT NULL "
                      "ORDER BY ts",
               instrument_id, from_ts, to_ts, NULL, sequence_row, func, user_data,
               "reading order book sequences", error);
}

static gboolean
trade_id_row (sqlite3_stmt *stmt,
              gpointer      func,
              gpointer      user_data,
              GError      **error)
{
  return ((HsTradeIdFunc) func) ((const char *) sqlite3_column_text (stmt, 0),
                                 sqlite3_column_int64 (stmt, 1), user_data, error);
}

/**
 * hs_store_each_trade_id:
 *
 * Calls @func with the trade_id (%NULL when the trade has none) and time of every trade of the
 * instrument in [@from_ts, @to_ts], in (ts, seq) order.
 */
gboolean
hs_store_each_trade_id (HsStore      *store,
                        int64_t       instrument_id,
                        int64_t       from_ts,
                        int64_t       to_ts,
                        HsTradeIdFunc func,
                        gpointer      user_data,
                        GError      **error)
{
  g_return_val_if_fail (store != NULL && func != NULL, FALSE);
  return scan (store, "SELECT trade_id, ts FROM trades WHERE instrument_id = ?1 "
                      "AND ts BETWEEN ?2 AND ?3 ORDER BY ts, seq",
               instrument_id, from_ts, to_ts, NULL, trade_id_row, func, user_data,
               "reading trade ids", error);
}
