/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL of retention (docs/gaps-retention.md): the plan (instrument-days with trades or
 * quotes before the cutoff, found by one primary-key probe per day), a day's trades and quotes read as columns, the roll-up's rows
 * written (1-minute candles and quote bars through the market writers' rules: an existing row
 * is kept; CVD points into cvd_snapshots) and the day's trades and quotes deleted. Every read
 * and delete is a range of the tables' primary keys (instrument_id, ts, …).
 *
 * Load: the plan probes each primary key once per day with data; a day's columns are up to a
 * few million rows; deletes go by primary-key range.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-retention.h"
#include "hs-store-lean.h"
#include "hs-store-private.h"

#include <math.h>

#define DAY_US G_GINT64_CONSTANT (86400000000)

static int
compare_unit (gconstpointer a,
              gconstpointer b)
{
  const HsRetentionUnit *x = a, *y = b;

  if (x->instrument_id != y->instrument_id)
    return x->instrument_id < y->instrument_id ? -1 : 1;
  return (x->day > y->day) - (x->day < y->day);
}

/* The first time at or after @from and before @cutoff in @stmt's table (?1 instrument, ?2 from,
 * ?3 cutoff), or G_MAXINT64 when none. */
static gboolean
next_time (HsStore      *store,
           sqlite3_stmt *stmt,
           int64_t       instrument_id,
           int64_t       from,
           int64_t       cutoff,
           int64_t      *ts,
           GError      **error)
{
  int rc;

  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, cutoff);
  rc = sqlite3_step (stmt);
  *ts = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : G_MAXINT64;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "planning retention");
  return TRUE;
}

/* The floor of @ts to its UTC midnight, also before 1970. */
static int64_t
day_start (int64_t ts)
{
  return ts - ((ts % DAY_US) + DAY_US) % DAY_US;
}

/* Appends @instrument_id's days with trades or quotes before @cutoff: one probe of each primary
 * key per day with data, however many rows the days hold. */
static gboolean
units_of (HsStore *store,
          int64_t  instrument_id,
          int64_t  cutoff,
          GArray  *out,
          GError **error)
{
  g_autoptr(HsStmt) trades = hs_store_prepare (store, "SELECT ts FROM trades WHERE "
                                                      "instrument_id = ?1 AND ts >= ?2 AND "
                                                      "ts < ?3 ORDER BY ts LIMIT 1", error);
  g_autoptr(HsStmt) quotes = NULL;
  int64_t from = G_MININT64;

  if (trades == NULL)
    return FALSE;
  quotes = hs_store_prepare (store, "SELECT ts FROM quotes WHERE instrument_id = ?1 AND "
                                    "ts >= ?2 AND ts < ?3 ORDER BY ts LIMIT 1", error);
  if (quotes == NULL)
    return FALSE;
  for (;;)
    {
      int64_t t = 0, q = 0;
      HsRetentionUnit u = { .instrument_id = instrument_id };

      if (!next_time (store, trades, instrument_id, from, cutoff, &t, error)
          || !next_time (store, quotes, instrument_id, from, cutoff, &q, error))
        return FALSE;
      if (t == G_MAXINT64 && q == G_MAXINT64)
        return TRUE;
      from = day_start (MIN (t, q));
      u.day = from / DAY_US;
      g_array_append_val (out, u);
      from += DAY_US;
    }
}

/**
 * hs_store_retention_units:
 * @cutoff: µs UTC; rows before it are due (retention passes a UTC midnight)
 *
 * Returns: (transfer full) (element-type HsRetentionUnit): every instrument and UTC day with
 *   trades or quotes before @cutoff, by instrument id and day; %NULL with @error on a store
 *   error
 */
GArray *
hs_store_retention_units (HsStore *store,
                          int64_t  cutoff,
                          GError **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HsRetentionUnit));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int64_t));
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  {
    g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT id FROM instruments ORDER BY id",
                                               error);

    if (stmt == NULL)
      return NULL;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        int64_t id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (ids, id);
      }
    if (rc != SQLITE_DONE)
      {
        hs_store_set_error (store, rc, error, "listing instruments");
        return NULL;
      }
  }
  for (guint i = 0; i < ids->len; i++)
    if (!units_of (store, g_array_index (ids, int64_t, i), cutoff, out, error))
      return NULL;
  g_array_sort (out, compare_unit);
  return g_steal_pointer (&out);
}

/**
 * hs_store_load_trade_columns:
 * @from_ts: first time (inclusive), µs UTC
 * @end_ts: end (exclusive)
 *
 * Returns: (transfer full): the instrument's trades in [@from_ts, @end_ts) as columns in
 *   (ts, seq) order, or %NULL with @error
 */
HsTradeColumns *
hs_store_load_trade_columns (HsStore *store,
                             int64_t  instrument_id,
                             int64_t  from_ts,
                             int64_t  end_ts,
                             GError **error)
{
  g_autoptr(HsTradeColumns) t = hs_trade_columns_new ();
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT ts, price, size, side, "
                                                    "cvd_at_trade FROM trades WHERE "
                                                    "instrument_id = ? AND ts >= ? AND ts < ? "
                                                    "ORDER BY ts, seq", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, from_ts);
  sqlite3_bind_int64 (stmt, 3, end_ts);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    hs_trade_columns_append (t, sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1),
                             sqlite3_column_double (stmt, 2),
                             (HsSide) sqlite3_column_int (stmt, 3),
                             sqlite3_column_double (stmt, 4));
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading trades");
      return NULL;
    }
  return g_steal_pointer (&t);
}

static double
column_or_nan (sqlite3_stmt *stmt,
               int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

/**
 * hs_store_load_quote_columns:
 * @from_ts: first time (inclusive), µs UTC
 * @end_ts: end (exclusive)
 *
 * Returns: (transfer full): the instrument's quotes in [@from_ts, @end_ts) as columns in time
 *   order (a size NAN when NULL), or %NULL with @error
 */
HsQuoteColumns *
hs_store_load_quote_columns (HsStore *store,
                             int64_t  instrument_id,
                             int64_t  from_ts,
                             int64_t  end_ts,
                             GError **error)
{
  g_autoptr(HsQuoteColumns) q = hs_quote_columns_new ();
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT ts, bid, ask, bid_size, ask_size "
                                                    "FROM quotes WHERE instrument_id = ? AND "
                                                    "ts >= ? AND ts < ? ORDER BY ts", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, from_ts);
  sqlite3_bind_int64 (stmt, 3, end_ts);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsQuote quote = {
        .ts = sqlite3_column_int64 (stmt, 0), .bid = sqlite3_column_double (stmt, 1),
        .ask = sqlite3_column_double (stmt, 2), .bid_size = column_or_nan (stmt, 3),
        .ask_size = column_or_nan (stmt, 4),
      };

      hs_quote_columns_append (q, &quote);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading quotes");
      return NULL;
    }
  return g_steal_pointer (&q);
}

/**
 * hs_store_insert_cvd_points:
 * @n_inserted: (out): how many were new
 *
 * Adds each point to cvd_snapshots (cvd, cvd_change; no moving averages) unless the instrument
 * has a snapshot at that time already, which is kept.
 */
gboolean
hs_store_insert_cvd_points (HsStore          *store,
                            int64_t           instrument_id,
                            const HsCvdPoint *points,
                            size_t            n,
                            int64_t          *n_inserted,
                            GError          **error)
{
  gboolean own = FALSE, ok = TRUE;

  *n_inserted = 0;
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  for (size_t i = 0; ok && i < n; i++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                                 "INSERT INTO cvd_snapshots (instrument_id, ts, "
                                                 "cvd, cvd_change) VALUES (?,?,?,?) "
                                                 "ON CONFLICT DO NOTHING", error);
      int rc;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_int64 (stmt, 2, points[i].ts);
      sqlite3_bind_double (stmt, 3, points[i].cvd);
      hs_bind_double_or_null (stmt, 4, points[i].change);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        ok = hs_store_set_error (store, rc, error, "writing a CVD snapshot");
      else
        *n_inserted += sqlite3_changes (hs_store_get_db (store));
    }
  return hs_store_write_end (store, own, ok, error);
}

/**
 * hs_store_insert_quote_bars:
 * @n_inserted: (out): how many were new
 *
 * hs_store_insert_quote_bar() for each bar of @bars, in one transaction.
 */
gboolean
hs_store_insert_quote_bars (HsStore           *store,
                            int64_t            instrument_id,
                            const char        *interval,
                            const HsQuoteBars *bars,
                            int64_t           *n_inserted,
                            GError           **error)
{
  gboolean own = FALSE, ok = TRUE;

  *n_inserted = 0;
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  for (size_t i = 0; ok && i < bars->n; i++)
    {
      HsQuoteBar bar = {
        .ts = bars->ts[i], .bid_open = bars->bid_open[i], .bid_high = bars->bid_high[i],
        .bid_low = bars->bid_low[i], .bid_close = bars->bid_close[i],
        .bid_size = bars->bid_size[i], .ask_open = bars->ask_open[i],
        .ask_high = bars->ask_high[i], .ask_low = bars->ask_low[i],
        .ask_close = bars->ask_close[i], .ask_size = bars->ask_size[i],
      };
      gboolean inserted = FALSE;

      ok = hs_store_insert_quote_bar (store, instrument_id, interval, &bar, &inserted, error);
      *n_inserted += inserted;
    }
  return hs_store_write_end (store, own, ok, error);
}

/**
 * hs_store_count_stored:
 * @ts: (array length=n): times of rows a roll-up would write
 * @n_stored: (out): how many of them @table has already (and a roll-up would keep)
 */
gboolean
hs_store_count_stored (HsStore       *store,
                       HsRollupTable  table,
                       int64_t        instrument_id,
                       const int64_t *ts,
                       size_t         n,
                       int64_t       *n_stored,
                       GError       **error)
{
  *n_stored = 0;
  for (size_t i = 0; i < n; i++)
    {
      g_autoptr(HsStmt) stmt = NULL;
      int rc;

      switch (table)
        {
        case HS_ROLLUP_CANDLES:
          stmt = hs_store_prepare (store, "SELECT 1 FROM candles WHERE instrument_id = ? AND "
                                          "interval = '1m' AND ts = ? AND seq = 0", error);
          break;
        case HS_ROLLUP_QUOTE_BARS:
          stmt = hs_store_prepare (store, "SELECT 1 FROM quote_bars WHERE instrument_id = ? "
                                          "AND interval = '1m' AND ts = ?", error);
          break;
        case HS_ROLLUP_CVD:
        default:
          stmt = hs_store_prepare (store, "SELECT 1 FROM cvd_snapshots WHERE "
                                          "instrument_id = ? AND ts = ?", error);
          break;
        }
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_int64 (stmt, 2, ts[i]);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return hs_store_set_error (store, rc, error, "looking up a stored row");
      *n_stored += rc == SQLITE_ROW;
    }
  return TRUE;
}

/* Deletes the rows of @stmt's table in [from, end) and marks the series written. */
static gboolean
delete_range (HsStore      *store,
              sqlite3_stmt *stmt,
              HsDataKind    kind,
              int64_t       instrument_id,
              int64_t       from_ts,
              int64_t       end_ts,
              int64_t      *n_deleted,
              GError      **error)
{
  int rc;

  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, from_ts);
  sqlite3_bind_int64 (stmt, 3, end_ts);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "removing rolled-up rows");
  *n_deleted = sqlite3_changes64 (hs_store_get_db (store));
  if (*n_deleted > 0)
    hs_store_mark_written (store, kind, instrument_id, NULL, NULL);
  return TRUE;
}

/**
 * hs_store_delete_rolled_up:
 * @from_ts: first time (inclusive), µs UTC
 * @end_ts: end (exclusive)
 * @n_trades: (out): trades removed
 * @n_quotes: (out): quotes removed
 *
 * Removes the instrument's trades and quotes in [@from_ts, @end_ts): retention's last step of
 * a day, after its roll-up was written in the same transaction.
 */
gboolean
hs_store_delete_rolled_up (HsStore *store,
                           int64_t  instrument_id,
                           int64_t  from_ts,
                           int64_t  end_ts,
                           int64_t *n_trades,
                           int64_t *n_quotes,
                           GError **error)
{
  g_autoptr(HsStmt) trades = NULL;
  g_autoptr(HsStmt) quotes = NULL;
  gboolean own = FALSE, ok;

  *n_trades = *n_quotes = 0;
  trades = hs_store_prepare (store, "DELETE FROM trades WHERE instrument_id = ? AND ts >= ? "
                                    "AND ts < ?", error);
  if (trades == NULL)
    return FALSE;
  quotes = hs_store_prepare (store, "DELETE FROM quotes WHERE instrument_id = ? AND ts >= ? "
                                    "AND ts < ?", error);
  if (quotes == NULL || !hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = delete_range (store, trades, HS_DATA_TRADES, instrument_id, from_ts, end_ts, n_trades,
                     error)
       && delete_range (store, quotes, HS_DATA_QUOTES, instrument_id, from_ts, end_ts, n_quotes,
                        error);
  return hs_store_write_end (store, own, ok, error);
}
