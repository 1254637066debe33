/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LEAN's data in the store (migrations/007): quote bars, factor files and the market calendar,
 * which the backtester's lean profile reads next to the candles. Quote bars are a bulk table
 * (as many rows as minute candles) and are written with a cached statement and ON CONFLICT DO
 * NOTHING, so a re-import adds nothing; a factor file is small (a row per dividend or split)
 * and replaces the instrument's rows, since LEAN rewrites every factor when a dividend is added;
 * calendar days are upserted. Every writer notes the series it changed, whose version goes up at
 * COMMIT (hs_store_data_version()). Dates are exchange-local and stored as 'YYYY-MM-DD'.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-lean.h"
#include "hs-store-private.h"

#include <math.h>
#include <stdio.h>

#include "hs-interval.h"
#include "hs-time.h"

#define US_PER_DAY G_GINT64_CONSTANT (86400000000)

/* 'YYYY-MM-DD' of a day number. */
static void
format_day (int64_t day,
            char    buf[40])
{
  hs_time_format_iso_buf (day * US_PER_DAY, buf);
  buf[10] = '\0';
}

static gboolean
parse_day (const char *text,
           int64_t    *day)
{
  int64_t us = 0;

  if (text == NULL || !hs_time_parse (text, NULL, &us, NULL))
    return FALSE;
  *day = us / US_PER_DAY;
  return TRUE;
}

static double
column_or_nan (sqlite3_stmt *stmt,
               int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

static gboolean
insert_quote_bar (HsStore          *store,
                  int64_t           instrument_id,
                  const char       *interval,
                  const HsQuoteBar *bar,
                  gboolean         *inserted,
                  GError          **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO quote_bars (instrument_id, interval, "
                                             "ts, bid_open, bid_high, bid_low, bid_close, "
                                             "bid_size, ask_open, ask_high, ask_low, ask_close, "
                                             "ask_size) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                                             "ON CONFLICT DO NOTHING", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, bar->ts);
  hs_bind_double_or_null (stmt, 4, bar->bid_open);
  hs_bind_double_or_null (stmt, 5, bar->bid_high);
  hs_bind_double_or_null (stmt, 6, bar->bid_low);
  hs_bind_double_or_null (stmt, 7, bar->bid_close);
  sqlite3_bind_double (stmt, 8, bar->bid_size);
  hs_bind_double_or_null (stmt, 9, bar->ask_open);
  hs_bind_double_or_null (stmt, 10, bar->ask_high);
  hs_bind_double_or_null (stmt, 11, bar->ask_low);
  hs_bind_double_or_null (stmt, 12, bar->ask_close);
  sqlite3_bind_double (stmt, 13, bar->ask_size);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, NULL);
  *inserted = sqlite3_changes (hs_store_get_db (store)) > 0;
  return TRUE;
}

/**
 * hs_store_insert_quote_bar:
 * @bar: checked with hs_quote_bar_check(); a side without a quote (NAN) is stored as NULL
 * @inserted: (out) (optional): whether the row was new
 *
 * Adds one quote bar unless the instrument has one of that interval and time already. Runs
 * inside the caller's transaction, or in one of its own.
 */
gboolean
hs_store_insert_quote_bar (HsStore          *store,
                           int64_t           instrument_id,
                           const char       *interval,
                           const HsQuoteBar *bar,
                           gboolean         *inserted,
                           GError          **error)
{
  gboolean own = FALSE, added = FALSE, ok;

  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = insert_quote_bar (store, instrument_id, interval, bar, &added, error);
  if (ok && added)
    hs_store_mark_written (store, HS_DATA_QUOTE_BARS, instrument_id, NULL, interval);
  if (inserted != NULL)
    *inserted = added;
  return hs_store_write_end (store, own, ok, error);
}

/**
 * hs_store_load_quote_bars:
 * @from_ts: first bar start (inclusive), µs UTC
 * @to_ts: last bar start (inclusive)
 *
 * Returns: (transfer full): the instrument's quote bars of @interval in the range as columns, in
 *   time order (possibly none; a side without a quote is NAN), or %NULL with @error set
 */
HsQuoteBars *
hs_store_load_quote_bars (HsStore    *store,
                          int64_t     instrument_id,
                          const char *interval,
                          int64_t     from_ts,
                          int64_t     to_ts,
                          GError    **error)
{
  const HsInterval *iv = hs_interval_lookup (interval);
  g_autoptr(HsQuoteBars) q = NULL;
  size_t n = 0, i = 0;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (store != NULL && interval != NULL, NULL);
  /* One read transaction, so the count and the rows see the same data. */
  if (!hs_store_exec (store, "SAVEPOINT load_quote_bars", error))
    return NULL;
  {
    g_autoptr(HsStmt) count = hs_store_prepare (store,
                                                "SELECT count(*) FROM quote_bars WHERE "
                                                "instrument_id = ? AND interval = ? "
                                                "AND ts BETWEEN ? AND ?", error);
    if (count == NULL)
      goto fail;
    sqlite3_bind_int64 (count, 1, instrument_id);
    sqlite3_bind_text (count, 2, interval, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (count, 3, from_ts);
    sqlite3_bind_int64 (count, 4, to_ts);
    if ((rc = sqlite3_step (count)) != SQLITE_ROW)
      {
        hs_store_set_error (store, rc, error, "counting quote bars");
        goto fail;
      }
    n = (size_t) sqlite3_column_int64 (count, 0);
  }
  q = hs_quote_bars_new (n, iv ? iv->seconds : 0);
  {
    g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                               "SELECT ts, bid_open, bid_high, bid_low, "
                                               "bid_close, bid_size, ask_open, ask_high, "
                                               "ask_low, ask_close, ask_size FROM quote_bars "
                                               "WHERE instrument_id = ? AND interval = ? "
                                               "AND ts BETWEEN ? AND ? ORDER BY ts", error);
    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, instrument_id);
    sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, from_ts);
    sqlite3_bind_int64 (stmt, 4, to_ts);
    while (i < n && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        q->ts[i] = sqlite3_column_int64 (stmt, 0);
        q->bid_open[i] = column_or_nan (stmt, 1);
        q->bid_high[i] = column_or_nan (stmt, 2);
        q->bid_low[i] = column_or_nan (stmt, 3);
        q->bid_close[i] = column_or_nan (stmt, 4);
        q->bid_size[i] = sqlite3_column_double (stmt, 5);
        q->ask_open[i] = column_or_nan (stmt, 6);
        q->ask_high[i] = column_or_nan (stmt, 7);
        q->ask_low[i] = column_or_nan (stmt, 8);
        q->ask_close[i] = column_or_nan (stmt, 9);
        q->ask_size[i] = sqlite3_column_double (stmt, 10);
        i++;
      }
    if (i < n)
      {
        hs_store_set_error (store, rc, error, "reading quote bars");
        goto fail;
      }
  }
  hs_store_exec (store, "RELEASE load_quote_bars", NULL);
  return g_steal_pointer (&q);

fail:
  hs_store_exec (store, "ROLLBACK TO load_quote_bars", NULL);
  hs_store_exec (store, "RELEASE load_quote_bars", NULL);
  return NULL;
}

static gboolean
replace_price_factors (HsStore             *store,
                       int64_t              instrument_id,
                       const HsPriceFactor *rows,
                       size_t               n_rows,
                       int64_t             *n_written,
                       int64_t             *n_removed,
                       GError             **error)
{
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GHashTable) keep = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (size_t i = 0; i < n_rows; i++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                                 "INSERT INTO price_factors (instrument_id, "
                                                 "date, price_factor, split_factor, "
                                                 "reference_price) VALUES (?,?,?,?,?) "
                                                 "ON CONFLICT (instrument_id, date) DO UPDATE "
                                                 "SET price_factor = excluded.price_factor, "
                                                 "split_factor = excluded.split_factor, "
                                                 "reference_price = excluded.reference_price "
                                                 "WHERE price_factor IS NOT excluded.price_factor "
                                                 "OR split_factor IS NOT excluded.split_factor "
                                                 "OR reference_price IS NOT "
                                                 "excluded.reference_price", error);
      char day[40];
      int rc;

      if (stmt == NULL)
        return FALSE;
      format_day (rows[i].day, day);
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double (stmt, 3, rows[i].price_factor);
      sqlite3_bind_double (stmt, 4, rows[i].split_factor);
      sqlite3_bind_double (stmt, 5, rows[i].reference_price);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return hs_store_set_error (store, rc, error, "writing a price factor");
      *n_written += sqlite3_changes (hs_store_get_db (store));
      g_hash_table_add (keep, g_memdup2 (&rows[i].day, sizeof rows[i].day));
    }
  stored = hs_store_load_price_factors (store, instrument_id, error);
  if (stored == NULL)
    return FALSE;
  for (guint i = 0; i < stored->len; i++)
    {
      const HsPriceFactor *p = &g_array_index (stored, HsPriceFactor, i);
      g_autoptr(HsStmt) stmt = NULL;
      char day[40];
      int rc;

      if (g_hash_table_contains (keep, &p->day))
        continue;
      stmt = hs_store_prepare (store, "DELETE FROM price_factors WHERE instrument_id = ? "
                                      "AND date = ?", error);
      if (stmt == NULL)
        return FALSE;
      format_day (p->day, day);
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return hs_store_set_error (store, rc, error, "removing a price factor");
      *n_removed += 1;
    }
  return TRUE;
}

/**
 * hs_store_replace_price_factors:
 * @rows: (array length=n_rows): the instrument's whole factor file, ascending by day
 * @n_written: (out): rows new or changed
 * @n_removed: (out): stored rows of dates the file does not have, now deleted
 *
 * Makes the instrument's stored factors equal to @rows: LEAN rewrites the factors of every
 * earlier row when a dividend is added, so a newer file replaces an older one rather than
 * merging with it. Rows already stored with the same values are left alone, so importing the
 * same file again writes nothing. Runs inside the caller's transaction, or in one of its own.
 */
gboolean
hs_store_replace_price_factors (HsStore             *store,
                                int64_t              instrument_id,
                                const HsPriceFactor *rows,
                                size_t               n_rows,
                                int64_t             *n_written,
                                int64_t             *n_removed,
                                GError             **error)
{
  gboolean own = FALSE, ok;

  g_return_val_if_fail (store != NULL, FALSE);
  *n_written = *n_removed = 0;
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = replace_price_factors (store, instrument_id, rows, n_rows, n_written, n_removed, error);
  if (ok && *n_written + *n_removed > 0)
    hs_store_mark_written (store, HS_DATA_FACTORS, instrument_id, NULL, NULL);
  return hs_store_write_end (store, own, ok, error);
}

/**
 * hs_store_load_price_factors:
 *
 * Returns: (transfer full) (element-type HsPriceFactor): the instrument's factor file ascending
 *   by date, empty when none is stored; %NULL with @error on a store error
 */
GArray *
hs_store_load_price_factors (HsStore *store,
                             int64_t  instrument_id,
                             GError **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HsPriceFactor));
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  stmt = hs_store_prepare (store, "SELECT date, price_factor, split_factor, reference_price "
                                  "FROM price_factors WHERE instrument_id = ? ORDER BY date",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsPriceFactor p = { 0, sqlite3_column_double (stmt, 1), sqlite3_column_double (stmt, 2),
                          sqlite3_column_double (stmt, 3) };

      if (!parse_day ((const char *) sqlite3_column_text (stmt, 0), &p.day))
        {
          g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                       "price_factors has a date that is not YYYY-MM-DD: “%s”",
                       (const char *) sqlite3_column_text (stmt, 0));
          return NULL;
        }
      g_array_append_val (out, p);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading price factors");
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
upsert_market_day (HsStore           *store,
                   const char        *market,
                   const HsMarketDay *day,
                   gboolean          *written,
                   GError           **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO market_calendar (market, date, kind, "
                                             "close_time) VALUES (?,?,?,?) ON CONFLICT (market, "
                                             "date) DO UPDATE SET kind = excluded.kind, "
                                             "close_time = excluded.close_time WHERE kind IS "
                                             "NOT excluded.kind OR close_time IS NOT "
                                             "excluded.close_time", error);
  char date[40], close[16];
  int rc;

  if (stmt == NULL)
    return FALSE;
  format_day (day->day, date);
  sqlite3_bind_text (stmt, 1, market, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, hs_market_day_kind_to_string (day->kind), -1, SQLITE_STATIC);
  if (day->kind == HS_MARKET_DAY_EARLY_CLOSE)
    {
      g_snprintf (close, sizeof close, "%02d:%02d:%02d", day->close_s / 3600,
                  day->close_s / 60 % 60, day->close_s % 60);
      sqlite3_bind_text (stmt, 4, close, -1, SQLITE_TRANSIENT);
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "writing a market calendar day");
  *written = sqlite3_changes (hs_store_get_db (store)) > 0;
  return TRUE;
}

/**
 * hs_store_upsert_market_day:
 * @market: e.g. %HS_MARKET_US_EQUITY
 * @written: (out) (optional): whether the row was new or changed
 *
 * Stores one holiday or early close of @market; a date stored already takes the new kind and
 * close time. Runs inside the caller's transaction, or in one of its own.
 */
gboolean
hs_store_upsert_market_day (HsStore           *store,
                            const char        *market,
                            const HsMarketDay *day,
                            gboolean          *written,
                            GError           **error)
{
  gboolean own = FALSE, changed = FALSE, ok;

  g_return_val_if_fail (market != NULL && day != NULL, FALSE);
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = upsert_market_day (store, market, day, &changed, error);
  if (ok && changed)
    hs_store_mark_written (store, HS_DATA_CALENDAR, 0, market, NULL);
  if (written != NULL)
    *written = changed;
  return hs_store_write_end (store, own, ok, error);
}

/**
 * hs_store_load_market_days:
 *
 * Returns: (transfer full) (element-type HsMarketDay): the holidays and early closes of
 *   @market ascending by date, empty when none is stored; %NULL with @error on a store error
 */
GArray *
hs_store_load_market_days (HsStore    *store,
                           const char *market,
                           GError    **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HsMarketDay));
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL && market != NULL, NULL);
  stmt = hs_store_prepare (store, "SELECT date, kind, close_time FROM market_calendar "
                                  "WHERE market = ? ORDER BY date", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, market, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *date = (const char *) sqlite3_column_text (stmt, 0);
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      const char *close = (const char *) sqlite3_column_text (stmt, 2);
      HsMarketDay d = { 0 };
      int h = 0, m = 0, s = 0;

      if (!parse_day (date, &d.day) || kind == NULL
          || !hs_market_day_kind_from_string (kind, &d.kind)
          || (close != NULL && sscanf (close, "%d:%d:%d", &h, &m, &s) != 3))
        {
          g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                       "market_calendar has a row it cannot read: %s %s %s",
                       date ? date : "NULL", kind ? kind : "NULL", close ? close : "NULL");
          return NULL;
        }
      d.close_s = h * 3600 + m * 60 + s;
      g_array_append_val (out, d);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading the market calendar");
      return NULL;
    }
  return g_steal_pointer (&out);
}
