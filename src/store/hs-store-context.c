/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store side of the trade-context collector: short reads around one moment (the last bars
 * completed before it, the latest quote, order book and option quote at or before it, a day's
 * volume so far), each one index seek on the table's primary or natural key; and the sector
 * tables of migrations/010_sectors.sql. The collector calls a few dozen of these per trade, so
 * every statement is prepared once per connection (hs_store_prepare).
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-context.h"
#include "hs-store-private.h"

#include <math.h>

#include "hs-interval.h"
#include "hs-time.h"

static double
column_double_or_nan (sqlite3_stmt *stmt,
                      int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

static int64_t
column_int64_or (sqlite3_stmt *stmt,
                 int           col,
                 int64_t       fallback)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? fallback
                                                        : sqlite3_column_int64 (stmt, col);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/* ---------------------------------------------------------------------------------------------
 * Sector table
 * ------------------------------------------------------------------------------------------- */

void
hs_sector_etf_free (HsSectorEtf *s)
{
  if (s == NULL)
    return;
  g_free (s->etf);
  g_free (s->sector);
  g_strfreev (s->symbols);
  g_free (s);
}

/**
 * hs_store_list_sectors:
 *
 * Returns: (transfer full) (element-type HsSectorEtf): every sector ETF by ticker, each with
 *   the symbols mapped to it in symbol order, or %NULL with @error set
 */
GPtrArray *
hs_store_list_sectors (HsStore *store,
                       GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_sector_etf_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT e.etf, e.sector, m.symbol FROM sector_etfs e "
    "LEFT JOIN symbol_sectors m ON m.etf = e.etf ORDER BY e.etf, m.symbol", error);
  g_autoptr(GPtrArray) symbols = NULL;
  HsSectorEtf *cur = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *etf = (const char *) sqlite3_column_text (stmt, 0);

      if (cur == NULL || !g_str_equal (cur->etf, etf))
        {
          if (cur != NULL)
            {
              g_ptr_array_add (symbols, NULL);
              cur->symbols = (char **) g_ptr_array_free (g_steal_pointer (&symbols), FALSE);
            }
          cur = g_new0 (HsSectorEtf, 1);
          cur->etf = g_strdup (etf);
          cur->sector = column_dup (stmt, 1);
          g_ptr_array_add (out, cur);
          symbols = g_ptr_array_new ();
        }
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        g_ptr_array_add (symbols, column_dup (stmt, 2));
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing sector ETFs");
      if (symbols != NULL)
        g_ptr_array_set_free_func (symbols, g_free);
      return NULL;
    }
  if (cur != NULL)
    {
      g_ptr_array_add (symbols, NULL);
      cur->symbols = (char **) g_ptr_array_free (g_steal_pointer (&symbols), FALSE);
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_is_sector_etf:
 * @known: (out): whether sector_etfs has @etf
 */
gboolean
hs_store_is_sector_etf (HsStore    *store,
                        const char *etf,
                        gboolean   *known,
                        GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT 1 FROM sector_etfs WHERE etf = ?",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, etf, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a sector ETF");
  *known = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
set_symbol_sector (HsStore    *store,
                   const char *symbol,
                   const char *etf,
                   const char *sector,
                   GError    **error)
{
  gboolean known = FALSE;

  if (!hs_store_is_sector_etf (store, etf, &known, error))
    return FALSE;
  if (!known && sector == NULL)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "%s is not a sector ETF; name its sector to add it", etf);
      return FALSE;
    }
  if (sector != NULL)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store,
        "INSERT INTO sector_etfs (etf, sector) VALUES (?, ?) "
        "ON CONFLICT (etf) DO UPDATE SET sector = excluded.sector", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, etf, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, sector, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                                   "adding a sector ETF");
    }
  {
    g_autoptr(HsStmt) stmt = hs_store_prepare (store,
      "INSERT INTO symbol_sectors (symbol, etf, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (symbol) DO UPDATE SET etf = excluded.etf, updated_at = excluded.updated_at",
      error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, etf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 3, hs_time_now_us ());
    if (sqlite3_step (stmt) != SQLITE_DONE)
      return hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                                 "mapping a symbol to its sector ETF");
  }
  return TRUE;
}

/**
 * hs_store_set_symbol_sector:
 * @sector: (nullable): the sector's name; required when @etf is not a sector ETF yet (it is
 *   then added), and when given for a known ETF it renames its sector
 *
 * Maps @symbol to the sector ETF @etf, replacing any earlier mapping, in one transaction (the
 * caller's, or one of its own). An unknown @etf without @sector is %HS_STORE_ERROR_NOT_FOUND;
 * a name out of the table's length limits is %HS_STORE_ERROR_CONSTRAINT.
 */
gboolean
hs_store_set_symbol_sector (HsStore    *store,
                            const char *symbol,
                            const char *etf,
                            const char *sector,
                            GError    **error)
{
  gboolean own = FALSE, ok;

  g_return_val_if_fail (symbol != NULL && etf != NULL, FALSE);
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = set_symbol_sector (store, symbol, etf, sector, error);
  return hs_store_write_end (store, own, ok, error);
}

/**
 * hs_store_remove_symbol_sector:
 *
 * Forgets @symbol's sector ETF; %HS_STORE_ERROR_NOT_FOUND when it had none.
 */
gboolean
hs_store_remove_symbol_sector (HsStore    *store,
                               const char *symbol,
                               GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "DELETE FROM symbol_sectors WHERE symbol = ?",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                               "removing a sector mapping");
  if (sqlite3_changes (hs_store_get_db (store)) == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "%s has no sector ETF", symbol);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_store_lookup_sector_etf:
 * @etf: (out) (transfer full): the ETF symbol_sectors maps @symbol to, or %NULL when none
 *
 * Only the table of migration 010; the collector's full rule (then instruments.sector_etf,
 * then a sector ETF is its own) is in hs-context.c.
 */
gboolean
hs_store_lookup_sector_etf (HsStore    *store,
                            const char *symbol,
                            char      **etf,
                            GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT etf FROM symbol_sectors WHERE symbol = ?",
                                             error);
  int rc;

  *etf = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *etf = column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a sector ETF");
  return TRUE;
}

gboolean
hs_store_snapshot_begin (HsStore  *store,
                         gboolean *own,
                         GError  **error)
{
  *own = sqlite3_get_autocommit (hs_store_get_db (store)) != 0;
  return !*own || hs_store_begin_read (store, error);
}

void
hs_store_snapshot_end (HsStore  *store,
                       gboolean  own)
{
  /* Nothing was written: ending a read transaction by rollback loses nothing. */
  if (own)
    hs_store_rollback (store);
}

/* ---------------------------------------------------------------------------------------------
 * Instruments
 * ------------------------------------------------------------------------------------------- */

void
hs_context_instrument_free (HsContextInstrument *inst)
{
  if (inst == NULL)
    return;
  g_free (inst->symbol);
  g_free (inst->kind);
  g_free (inst->sector_etf);
  g_free (inst);
}

/**
 * hs_store_load_context_instrument:
 *
 * Returns: (transfer full): the instrument, or %NULL with @error set
 *   (%HS_STORE_ERROR_NOT_FOUND when no instrument has that id)
 */
HsContextInstrument *
hs_store_load_context_instrument (HsStore *store,
                                  int64_t  id,
                                  GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT symbol, kind, underlying_id, sector_etf FROM instruments WHERE id = ?", error);
  HsContextInstrument *inst;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no instrument with id %" G_GINT64_FORMAT, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      hs_store_set_error (store, rc, error, "looking up an instrument");
      return NULL;
    }
  inst = g_new0 (HsContextInstrument, 1);
  inst->id = id;
  inst->symbol = column_dup (stmt, 0);
  inst->kind = column_dup (stmt, 1);
  inst->underlying_id = column_int64_or (stmt, 2, 0);
  inst->sector_etf = column_dup (stmt, 3);
  return inst;
}

/**
 * hs_store_find_symbol:
 * @id: (out): the instrument, or 0 when no instrument has that symbol
 *
 * Looks a symbol up on any exchange: the one without an exchange ('') if there is one, else the
 * oldest (lowest id). For the reference series of the context (SPY, VIX, sector ETFs), whose
 * venue the collector cannot know.
 */
gboolean
hs_store_find_symbol (HsStore    *store,
                      const char *symbol,
                      int64_t    *id,
                      GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT id FROM instruments WHERE symbol = ? ORDER BY exchange <> '', id LIMIT 1", error);
  int rc;

  *id = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a symbol");
  return TRUE;
}

/**
 * hs_store_instruments_of_kind:
 *
 * Returns: (transfer full) (element-type int64_t): the ids of every instrument of @kind, by id
 */
GArray *
hs_store_instruments_of_kind (HsStore    *store,
                              const char *kind,
                              GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT id FROM instruments WHERE kind = ? "
                                                    "ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
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
  return g_steal_pointer (&ids);
}

/* ---------------------------------------------------------------------------------------------
 * Bars
 * ------------------------------------------------------------------------------------------- */

/**
 * hs_store_load_last_bars:
 * @max_start_ts: the latest bar start included; a caller that wants the bars completed by a
 *   time T passes T − the interval's length
 * @limit: at most this many bars, the latest ones
 *
 * Reads the primary key backwards from @max_start_ts (one seek, @limit rows), so the cost does
 * not depend on how much older history is stored.
 *
 * Returns: (transfer full): the bars in time order (possibly none), or %NULL with @error set
 */
HsBars *
hs_store_load_last_bars (HsStore    *store,
                         int64_t     instrument_id,
                         const char *interval,
                         int64_t     max_start_ts,
                         size_t      limit,
                         GError    **error)
{
  const HsInterval *iv = hs_interval_lookup (interval);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts, open, high, low, close, volume, vwap "
                                             "FROM candles WHERE instrument_id = ? "
                                             "AND interval = ? AND ts <= ? "
                                             "ORDER BY ts DESC, seq DESC LIMIT ?", error);
  g_autoptr(HsBars) rev = NULL;
  HsBars *bars;
  size_t n = 0;
  int rc = SQLITE_DONE;

  if (stmt == NULL)
    return NULL;
  rev = hs_bars_new (limit, iv ? iv->seconds : 0);
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, max_start_ts);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) MIN (limit, (size_t) G_MAXINT64));
  while (n < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      rev->ts[n] = sqlite3_column_int64 (stmt, 0);
      rev->open[n] = sqlite3_column_double (stmt, 1);
      rev->high[n] = sqlite3_column_double (stmt, 2);
      rev->low[n] = sqlite3_column_double (stmt, 3);
      rev->close[n] = sqlite3_column_double (stmt, 4);
      rev->volume[n] = sqlite3_column_double (stmt, 5);
      rev->vwap[n] = column_double_or_nan (stmt, 6);
      n++;
    }
  if (n < limit && rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading bars");
      return NULL;
    }
  bars = hs_bars_new (n, rev->interval_s);
  for (size_t i = 0; i < n; i++)
    {
      size_t j = n - 1 - i;

      bars->ts[i] = rev->ts[j];
      bars->open[i] = rev->open[j];
      bars->high[i] = rev->high[j];
      bars->low[i] = rev->low[j];
      bars->close[i] = rev->close[j];
      bars->volume[i] = rev->volume[j];
      bars->vwap[i] = rev->vwap[j];
    }
  return bars;
}

/**
 * hs_store_sum_volume:
 * @volume: (out): Σ volume of the bars starting in [@from_ts, @max_start_ts]
 * @n_bars: (out): how many bars that is
 */
gboolean
hs_store_sum_volume (HsStore    *store,
                     int64_t     instrument_id,
                     const char *interval,
                     int64_t     from_ts,
                     int64_t     max_start_ts,
                     double     *volume,
                     int64_t    *n_bars,
                     GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT total(volume), count(*) FROM candles "
                                             "WHERE instrument_id = ? AND interval = ? "
                                             "AND ts BETWEEN ? AND ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, from_ts);
  sqlite3_bind_int64 (stmt, 4, max_start_ts);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "summing volume");
  *volume = sqlite3_column_double (stmt, 0);
  *n_bars = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Quotes, order book, option quotes
 * ------------------------------------------------------------------------------------------- */

/* Runs a "latest row of an instrument at or before a time" statement (parameters: instrument,
 * time): TRUE with *found set (the row is the statement's current one), or FALSE with @error. */
static gboolean
step_latest (HsStore      *store,
             sqlite3_stmt *stmt,
             int64_t       instrument_id,
             int64_t       at_ts,
             gboolean     *found,
             const char   *what,
             GError      **error)
{
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, at_ts);
  rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, what);
  return TRUE;
}

/**
 * hs_store_quote_at:
 * @found: (out): whether the instrument has a quote at or before @at_ts; @out is set only then
 */
gboolean
hs_store_quote_at (HsStore  *store,
                   int64_t   instrument_id,
                   int64_t   at_ts,
                   HsQuote  *out,
                   gboolean *found,
                   GError  **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts, bid, ask, bid_size, ask_size FROM quotes "
                                             "WHERE instrument_id = ? AND ts <= ? "
                                             "ORDER BY ts DESC LIMIT 1", error);

  if (!step_latest (store, stmt, instrument_id, at_ts, found, "reading a quote", error))
    return FALSE;
  if (*found)
    {
      out->ts = sqlite3_column_int64 (stmt, 0);
      out->bid = sqlite3_column_double (stmt, 1);
      out->ask = sqlite3_column_double (stmt, 2);
      out->bid_size = column_double_or_nan (stmt, 3);
      out->ask_size = column_double_or_nan (stmt, 4);
    }
  return TRUE;
}

/**
 * hs_store_book_at:
 * @found: (out): whether the instrument has an order book snapshot at or before @at_ts
 */
gboolean
hs_store_book_at (HsStore   *store,
                  int64_t    instrument_id,
                  int64_t    at_ts,
                  HsBookTop *out,
                  gboolean  *found,
                  GError   **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT ts, best_bid, best_ask, bid_volume, ask_volume, imbalance FROM orderbook_snapshots "
    "WHERE instrument_id = ? AND ts <= ? ORDER BY ts DESC LIMIT 1", error);

  if (!step_latest (store, stmt, instrument_id, at_ts, found, "reading an order book snapshot", error))
    return FALSE;
  if (*found)
    {
      out->ts = sqlite3_column_int64 (stmt, 0);
      out->best_bid = column_double_or_nan (stmt, 1);
      out->best_ask = column_double_or_nan (stmt, 2);
      out->bid_volume = sqlite3_column_double (stmt, 3);
      out->ask_volume = sqlite3_column_double (stmt, 4);
      out->imbalance = column_double_or_nan (stmt, 5);
    }
  return TRUE;
}

void
hs_option_quote_init (HsOptionQuote *quote)
{
  quote->ts = 0;
  quote->bid = quote->ask = quote->last = NAN;
  quote->volume = quote->open_interest = -1;
  quote->iv = quote->delta = quote->gamma = quote->theta = quote->vega = quote->rho = NAN;
  quote->underlying_price = NAN;
}

/**
 * hs_store_option_quote_at:
 * @found: (out): whether the contract has an option quote at or before @at_ts
 */
gboolean
hs_store_option_quote_at (HsStore       *store,
                          int64_t        instrument_id,
                          int64_t        at_ts,
                          HsOptionQuote *out,
                          gboolean      *found,
                          GError       **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT ts, bid, ask, last, volume, open_interest, iv, delta, gamma, theta, vega, rho, "
    "underlying_price FROM option_quotes WHERE instrument_id = ? AND ts <= ? "
    "ORDER BY ts DESC LIMIT 1", error);

  if (!step_latest (store, stmt, instrument_id, at_ts, found, "reading an option quote", error))
    return FALSE;
  if (*found)
    {
      out->ts = sqlite3_column_int64 (stmt, 0);
      out->bid = column_double_or_nan (stmt, 1);
      out->ask = column_double_or_nan (stmt, 2);
      out->last = column_double_or_nan (stmt, 3);
      out->volume = column_int64_or (stmt, 4, -1);
      out->open_interest = column_int64_or (stmt, 5, -1);
      out->iv = column_double_or_nan (stmt, 6);
      out->delta = column_double_or_nan (stmt, 7);
      out->gamma = column_double_or_nan (stmt, 8);
      out->theta = column_double_or_nan (stmt, 9);
      out->vega = column_double_or_nan (stmt, 10);
      out->rho = column_double_or_nan (stmt, 11);
      out->underlying_price = column_double_or_nan (stmt, 12);
    }
  return TRUE;
}

/**
 * hs_store_set_option_contract:
 * @right: "call" or "put"
 *
 * Makes @instrument_id an option on @underlying_id: kind 'option', underlying, expiry (µs UTC),
 * strike and right. %HS_STORE_ERROR_CONSTRAINT when a value breaks the table's rules.
 */
gboolean
hs_store_set_option_contract (HsStore    *store,
                              int64_t     instrument_id,
                              int64_t     underlying_id,
                              int64_t     expiry_ts,
                              double      strike,
                              const char *right,
                              GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "UPDATE instruments SET kind = 'option', underlying_id = ?, expiry = ?, strike = ?, "
    "option_right = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, underlying_id);
  sqlite3_bind_int64 (stmt, 2, expiry_ts);
  sqlite3_bind_double (stmt, 3, strike);
  sqlite3_bind_text (stmt, 4, right, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, instrument_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                               "describing an option contract");
  if (sqlite3_changes (hs_store_get_db (store)) == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no instrument with id %" G_GINT64_FORMAT, instrument_id);
      return FALSE;
    }
  return TRUE;
}

static void
bind_int64_or_null (sqlite3_stmt *stmt,
                    int           col,
                    int64_t       v)
{
  if (v < 0)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, v);
}

/**
 * hs_store_insert_option_quote:
 * @inserted: (out) (optional): whether the row was new (a row with the same instrument and time
 *   is kept as it was)
 *
 * NAN doubles and negative counts are stored as NULL. option_quotes has no data version (it is
 * not market data a backtest reads).
 */
gboolean
hs_store_insert_option_quote (HsStore             *store,
                              int64_t              instrument_id,
                              const HsOptionQuote *q,
                              gboolean            *inserted,
                              GError             **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "INSERT INTO option_quotes (instrument_id, ts, bid, ask, last, volume, open_interest, iv, "
    "delta, gamma, theta, vega, rho, underlying_price) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", error);
  const double tail[] = { q->iv, q->delta, q->gamma, q->theta, q->vega, q->rho,
                          q->underlying_price };

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, q->ts);
  hs_bind_double_or_null (stmt, 3, q->bid);
  hs_bind_double_or_null (stmt, 4, q->ask);
  hs_bind_double_or_null (stmt, 5, q->last);
  bind_int64_or_null (stmt, 6, q->volume);
  bind_int64_or_null (stmt, 7, q->open_interest);
  for (size_t i = 0; i < G_N_ELEMENTS (tail); i++)
    hs_bind_double_or_null (stmt, 8 + (int) i, tail[i]);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                               "adding an option quote");
  if (inserted != NULL)
    *inserted = sqlite3_changes (hs_store_get_db (store)) > 0;
  return TRUE;
}
