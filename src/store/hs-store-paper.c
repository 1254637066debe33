/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paper trades in the store (paper_trades, migrations/003): insert, load, list, update, the
 * natural-key lookup an import is idempotent on, and the market-data reads opening and
 * watching a trade need: the last price known at a time, and the finest bar interval stored
 * after a time. Paper trades are few (thousands, a bot's day), so a trade is read whole; the
 * open-trade reads go through the partial index idx_paper_trades_open.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-paper.h"
#include "hs-store-market.h"
#include "hs-store-private.h"

#include <math.h>
#include <string.h>

#include "hs-interval.h"
#include "hs-time.h"

static void
bind_ts_or_null (sqlite3_stmt *stmt,
                 int           col,
                 int64_t       ts)
{
  if (ts == HS_PAPER_NO_TS)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, ts);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           col,
                 int64_t       id)
{
  if (id == 0)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, id);
}

static double
column_double_or_nan (sqlite3_stmt *stmt,
                      int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

static int64_t
column_ts_or_none (sqlite3_stmt *stmt,
                   int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? HS_PAPER_NO_TS
                                                         : sqlite3_column_int64 (stmt, col);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/**
 * hs_store_paper_write_begin:
 * @own: (out): whether a transaction was opened here, for hs_store_paper_write_end()
 *
 * A paper-trade writer (the jobs in hs-paper.c) runs in the caller's transaction when there
 * is one, else in its own, so that its reads and writes are one consistent step.
 */
gboolean
hs_store_paper_write_begin (HsStore  *store,
                            gboolean *own,
                            GError  **error)
{
  return hs_store_write_begin (store, own, error);
}

/**
 * hs_store_paper_write_end:
 * @ok: whether the writer succeeded (when %FALSE, @error is set already)
 *
 * Commits or rolls back what hs_store_paper_write_begin() opened; inside the caller's
 * transaction only passes @ok on (the caller rolls back on failure).
 */
gboolean
hs_store_paper_write_end (HsStore  *store,
                          gboolean  own,
                          gboolean  ok,
                          GError  **error)
{
  return hs_store_write_end (store, own, ok, error);
}

/**
 * hs_store_paper_resolve_symbol:
 * @exchange: (nullable): the venue; %NULL when the symbol alone should tell the instrument
 *
 * Finds the instrument a trade names. Without @exchange, a symbol listed on several exchanges
 * is an error that names them.
 *
 * Returns: %FALSE with %HS_STORE_ERROR_NOT_FOUND for an unknown symbol
 */
gboolean
hs_store_paper_resolve_symbol (HsStore    *store,
                               const char *symbol,
                               const char *exchange,
                               int64_t    *instrument_id,
                               GError    **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  g_autoptr(GString) venues = g_string_new (NULL);
  int rc, n = 0;

  if (exchange != NULL)
    return hs_store_find_instrument (store, symbol, exchange, instrument_id, error);
  stmt = hs_store_prepare (store, "SELECT id, exchange FROM instruments WHERE symbol = ? "
                                  "ORDER BY exchange", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *venue = (const char *) sqlite3_column_text (stmt, 1);

      *instrument_id = sqlite3_column_int64 (stmt, 0);
      g_string_append_printf (venues, "%s“%s”", n > 0 ? ", " : "", venue);
      n++;
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up an instrument");
  if (n == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "unknown symbol “%s” (no such instrument: import its data first)", symbol);
      return FALSE;
    }
  if (n > 1)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "symbol “%s” is listed on several exchanges (%s): name the exchange",
                   symbol, venues->str);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_store_paper_signal_exists (HsStore  *store,
                              int64_t   signal_id,
                              gboolean *exists,
                              GError  **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT 1 FROM signals WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, signal_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a signal");
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* When a bar that starts at @ts has closed: its start plus the interval; a month bar at the
 * same day and time of the next month; a tick at once. */
static int64_t
bar_end (const HsInterval *iv,
         int64_t           ts)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (iv->seconds > 0)
    return ts + iv->seconds * G_USEC_PER_SEC;
  if (g_str_equal (iv->name, "tick"))
    return ts;
  start = g_date_time_new_from_unix_utc (ts / G_USEC_PER_SEC);
  end = start != NULL ? g_date_time_add_months (start, 1) : NULL;
  if (end == NULL)
    return INT64_MAX;
  return g_date_time_to_unix (end) * G_USEC_PER_SEC + ts % G_USEC_PER_SEC;
}

/* The close of the last bar of @iv that had ended by @at. */
static gboolean
last_bar_close (HsStore          *store,
                int64_t           instrument_id,
                const HsInterval *iv,
                int64_t           at,
                gboolean         *found,
                HsPricePoint     *point,
                GError          **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts, close FROM candles WHERE "
                                             "instrument_id = ? AND interval = ? AND ts <= ? "
                                             "ORDER BY ts DESC, seq DESC LIMIT 2", error);
  int64_t bound = at;
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  /* For a fixed interval the bound selects complete bars only; a month's length varies, so
   * the last two month bars that started by @at are read and the first complete one taken. */
  if (iv->seconds > 0)
    bound = at - iv->seconds * G_USEC_PER_SEC;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, iv->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, bound);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int64_t end = bar_end (iv, sqlite3_column_int64 (stmt, 0));

      if (end <= at)
        {
          point->ts = end;
          point->price = sqlite3_column_double (stmt, 1);
          g_strlcpy (point->interval, iv->name, sizeof point->interval);
          *found = TRUE;
          return TRUE;
        }
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading the last bar");
  return TRUE;
}

/**
 * hs_store_paper_last_price:
 * @at: the time the price is wanted for
 * @found: (out): whether any price was known by @at
 * @point: (out caller-allocates): the price, when it was known, and from what
 *
 * The last price known at @at: the latest of the last trade print at or before @at and the
 * close of the last bar of each stored interval that had *ended* by @at (a bar that was still
 * open at @at has a close from the future). On a tie the trade print wins, then the finer
 * interval.
 */
gboolean
hs_store_paper_last_price (HsStore      *store,
                           int64_t       instrument_id,
                           int64_t       at,
                           gboolean     *found,
                           HsPricePoint *point,
                           GError      **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts, price FROM trades WHERE "
                                             "instrument_id = ? AND ts <= ? "
                                             "ORDER BY ts DESC, seq DESC LIMIT 1", error);
  const HsInterval *all;
  size_t n = 0;
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, at);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      point->ts = sqlite3_column_int64 (stmt, 0);
      point->price = sqlite3_column_double (stmt, 1);
      point->interval[0] = '\0';
      *found = TRUE;
    }
  else if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading the last trade");

  all = hs_interval_all (&n);
  for (size_t i = 0; i < n; i++)
    {
      HsPricePoint p;
      gboolean got = FALSE;

      if (!last_bar_close (store, instrument_id, &all[i], at, &got, &p, error))
        return FALSE;
      if (got && (!*found || p.ts > point->ts))
        {
          *point = p;
          *found = TRUE;
        }
    }
  return TRUE;
}

/**
 * hs_store_paper_finest_interval:
 * @interval: (out) (transfer none): the finest interval with a bar starting at or after
 *   @from_ts, or %NULL when there is none
 *
 * Ticks count as the finest ("tick" rows are single prints); a month as the coarsest.
 */
gboolean
hs_store_paper_finest_interval (HsStore     *store,
                                int64_t      instrument_id,
                                int64_t      from_ts,
                                const char **interval,
                                GError     **error)
{
  const HsInterval *all;
  size_t n = 0;

  *interval = NULL;
  all = hs_interval_all (&n);
  for (size_t i = 0; i < n; i++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                                 "SELECT 1 FROM candles WHERE instrument_id = ? "
                                                 "AND interval = ? AND ts >= ? LIMIT 1",
                                                 error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, all[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, from_ts);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *interval = all[i].name;
          return TRUE;
        }
      if (rc != SQLITE_DONE)
        return hs_store_set_error (store, rc, error, "looking for bars");
    }
  return TRUE;
}

/* The columns every write sets, in the order of bind_trade(). */
static void
bind_trade (sqlite3_stmt       *stmt,
            const HsPaperTrade *t,
            int64_t             now)
{
  g_autofree char *tags = hs_paper_tags_to_json (t->tags);

  sqlite3_bind_int64 (stmt, 1, t->instrument_id);
  sqlite3_bind_text (stmt, 2, hs_paper_side_to_string (t->side), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, t->quantity);
  sqlite3_bind_int64 (stmt, 4, t->entry_ts);
  sqlite3_bind_double (stmt, 5, t->entry_price);
  bind_ts_or_null (stmt, 6, t->exit_ts);
  hs_bind_double_or_null (stmt, 7, t->exit_price);
  hs_bind_double_or_null (stmt, 8, t->stop_loss);
  hs_bind_double_or_null (stmt, 9, t->take_profit);
  sqlite3_bind_text (stmt, 10, t->status != NULL ? t->status : "open", -1, SQLITE_TRANSIENT);
  hs_bind_text_or_null (stmt, 11, t->exit_reason);
  hs_bind_double_or_null (stmt, 12, t->pnl);
  hs_bind_double_or_null (stmt, 13, t->pnl_pct);
  sqlite3_bind_double (stmt, 14, t->fees);
  sqlite3_bind_int (stmt, 15, t->is_backtest ? 1 : 0);
  bind_id_or_null (stmt, 16, t->backtest_run_id);
  bind_id_or_null (stmt, 17, t->signal_id);
  sqlite3_bind_text (stmt, 18, tags, -1, SQLITE_TRANSIENT);
  hs_bind_text_or_null (stmt, 19, t->notes);
  hs_bind_text_or_null (stmt, 20, t->signals_snapshot);
  hs_bind_text_or_null (stmt, 21, t->market_regime);
  hs_bind_text_or_null (stmt, 22, t->order_book_state);
  hs_bind_text_or_null (stmt, 23, t->ai_reasoning_log);
  hs_bind_double_or_null (stmt, 24, t->target_pnl_15m);
  hs_bind_double_or_null (stmt, 25, t->target_pnl_1h);
  hs_bind_double_or_null (stmt, 26, t->target_mfe_pct);
  hs_bind_double_or_null (stmt, 27, t->target_mae_pct);
  bind_ts_or_null (stmt, 28, t->labeled_at);
  hs_bind_text_or_null (stmt, 29, t->label_error);
  sqlite3_bind_int64 (stmt, 30, now);
}

/**
 * hs_store_paper_insert:
 * @trade: (inout): a new trade; its id, created_at and updated_at are set here
 *
 * Returns: %FALSE with %HS_STORE_ERROR_CONSTRAINT when a trade with the same natural key
 *   (instrument, side, entry time, run) exists or a CHECK rule is broken
 */
gboolean
hs_store_paper_insert (HsStore      *store,
                       HsPaperTrade *trade,
                       GError      **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "INSERT INTO paper_trades (instrument_id, side, quantity, entry_ts, entry_price, exit_ts, "
    "exit_price, stop_loss, take_profit, status, exit_reason, pnl, pnl_pct, fees, is_backtest, "
    "backtest_run_id, signal_id, tags, notes, signals_snapshot, market_regime, "
    "order_book_state, ai_reasoning_log, target_pnl_15m, target_pnl_1h, target_mfe_pct, "
    "target_mae_pct, labeled_at, label_error, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?30)", error);
  int64_t now = hs_time_now_us ();
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_trade (stmt, trade, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "adding a paper trade");
  trade->id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  trade->created_at = now;
  trade->updated_at = now;
  return TRUE;
}

/**
 * hs_store_paper_update:
 *
 * Writes every column of the stored trade @trade->id from @trade (except id and created_at;
 * updated_at becomes now).
 *
 * Returns: %FALSE with %HS_STORE_ERROR_NOT_FOUND when there is no such trade
 */
gboolean
hs_store_paper_update (HsStore            *store,
                       const HsPaperTrade *trade,
                       GError            **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "UPDATE paper_trades SET instrument_id = ?1, side = ?2, quantity = ?3, entry_ts = ?4, "
    "entry_price = ?5, exit_ts = ?6, exit_price = ?7, stop_loss = ?8, take_profit = ?9, "
    "status = ?10, exit_reason = ?11, pnl = ?12, pnl_pct = ?13, fees = ?14, is_backtest = ?15, "
    "backtest_run_id = ?16, signal_id = ?17, tags = ?18, notes = ?19, signals_snapshot = ?20, "
    "market_regime = ?21, order_book_state = ?22, ai_reasoning_log = ?23, "
    "target_pnl_15m = ?24, target_pnl_1h = ?25, target_mfe_pct = ?26, target_mae_pct = ?27, "
    "labeled_at = ?28, label_error = ?29, updated_at = ?30 WHERE id = ?31", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_trade (stmt, trade, hs_time_now_us ());
  sqlite3_bind_int64 (stmt, 31, trade->id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "updating a paper trade");
  if (sqlite3_changes (hs_store_get_db (store)) == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no paper trade %" G_GINT64_FORMAT, trade->id);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_store_paper_find:
 * @id: (out): the trade with this natural key (not a backtest's), or 0 when there is none
 */
gboolean
hs_store_paper_find (HsStore     *store,
                     int64_t      instrument_id,
                     HsPaperSide  side,
                     int64_t      entry_ts,
                     int64_t     *id,
                     GError     **error)
{
  /* Spelled like idx_paper_trades_natural so that the lookup is one index probe. */
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT id FROM paper_trades WHERE "
                                             "instrument_id = ? AND side = ? AND entry_ts = ? "
                                             "AND ifnull(backtest_run_id, 0) = 0", error);
  int rc;

  *id = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, hs_paper_side_to_string (side), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, entry_ts);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a paper trade");
  return TRUE;
}

#define TRADE_SELECT \
  "SELECT t.id, t.instrument_id, i.symbol, i.exchange, t.side, t.quantity, t.entry_ts, " \
  "t.entry_price, t.exit_ts, t.exit_price, t.stop_loss, t.take_profit, t.status, " \
  "t.exit_reason, t.pnl, t.pnl_pct, t.fees, t.is_backtest, t.backtest_run_id, t.signal_id, " \
  "t.tags, t.notes, t.signals_snapshot, t.market_regime, t.order_book_state, " \
  "t.ai_reasoning_log, t.target_pnl_15m, t.target_pnl_1h, t.target_mfe_pct, " \
  "t.target_mae_pct, t.labeled_at, t.label_error, t.created_at, t.updated_at " \
  "FROM paper_trades AS t JOIN instruments AS i ON i.id = t.instrument_id "

/* The tags column's JSON array as strings (SQLite's json_each, so the store needs no JSON
 * parser of its own). */
static char **
read_tags (HsStore    *store,
           const char *json,
           GError    **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT value FROM json_each(?) "
                                             "WHERE type = 'text' ORDER BY key", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, json != NULL ? json : "[]", -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (b, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading tags");
      return NULL;
    }
  return g_strv_builder_end (b);
}

static HsPaperTrade *
read_trade (sqlite3_stmt *stmt)
{
  HsPaperTrade *t = hs_paper_trade_new ();
  HsPaperSide side = HS_PAPER_LONG;

  t->id = sqlite3_column_int64 (stmt, 0);
  t->instrument_id = sqlite3_column_int64 (stmt, 1);
  t->symbol = column_dup (stmt, 2);
  t->exchange = column_dup (stmt, 3);
  hs_paper_side_from_string ((const char *) sqlite3_column_text (stmt, 4), &side);
  t->side = side;
  t->quantity = sqlite3_column_double (stmt, 5);
  t->entry_ts = sqlite3_column_int64 (stmt, 6);
  t->entry_price = sqlite3_column_double (stmt, 7);
  t->exit_ts = column_ts_or_none (stmt, 8);
  t->exit_price = column_double_or_nan (stmt, 9);
  t->stop_loss = column_double_or_nan (stmt, 10);
  t->take_profit = column_double_or_nan (stmt, 11);
  g_free (t->status);
  t->status = column_dup (stmt, 12);
  t->exit_reason = column_dup (stmt, 13);
  t->pnl = column_double_or_nan (stmt, 14);
  t->pnl_pct = column_double_or_nan (stmt, 15);
  t->fees = sqlite3_column_double (stmt, 16);
  t->is_backtest = sqlite3_column_int (stmt, 17);
  t->backtest_run_id = sqlite3_column_int64 (stmt, 18);
  t->signal_id = sqlite3_column_int64 (stmt, 19);
  /* Column 20, tags, is read by the caller (read_tags) once this statement is done. */
  t->notes = column_dup (stmt, 21);
  t->signals_snapshot = column_dup (stmt, 22);
  t->market_regime = column_dup (stmt, 23);
  t->order_book_state = column_dup (stmt, 24);
  t->ai_reasoning_log = column_dup (stmt, 25);
  t->target_pnl_15m = column_double_or_nan (stmt, 26);
  t->target_pnl_1h = column_double_or_nan (stmt, 27);
  t->target_mfe_pct = column_double_or_nan (stmt, 28);
  t->target_mae_pct = column_double_or_nan (stmt, 29);
  t->labeled_at = column_ts_or_none (stmt, 30);
  t->label_error = column_dup (stmt, 31);
  t->created_at = sqlite3_column_int64 (stmt, 32);
  t->updated_at = sqlite3_column_int64 (stmt, 33);
  return t;
}

/* Reads every row of @stmt, then each trade's tags. */
static GPtrArray *
read_trades (HsStore      *store,
             sqlite3_stmt *stmt,
             GError      **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_paper_trade_free);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (out, read_trade (stmt));
      g_ptr_array_add (tags, column_dup (stmt, 20));
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading paper trades");
      return NULL;
    }
  for (guint i = 0; i < out->len; i++)
    {
      HsPaperTrade *t = out->pdata[i];

      g_strfreev (t->tags);
      t->tags = read_tags (store, tags->pdata[i], error);
      if (t->tags == NULL)
        return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_paper_load:
 *
 * Returns: (transfer full): the trade, or %NULL with %HS_STORE_ERROR_NOT_FOUND (or another
 *   error)
 */
HsPaperTrade *
hs_store_paper_load (HsStore *store,
                     int64_t  id,
                     GError **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, TRADE_SELECT "WHERE t.id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rows = read_trades (store, stmt, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no paper trade %" G_GINT64_FORMAT, id);
      return NULL;
    }
  return g_ptr_array_steal_index (rows, 0);
}

/**
 * hs_store_paper_list:
 * @instrument_id: only this instrument's trades; 0 for all (required for
 *   %HS_PAPER_LIST_BRACKETED)
 *
 * Paper trades (not a backtest's) by entry time, then id.
 *
 * Returns: (transfer full) (element-type HsPaperTrade): the trades, or %NULL with @error set
 */
GPtrArray *
hs_store_paper_list (HsStore           *store,
                     HsPaperListFilter  filter,
                     int64_t            instrument_id,
                     GError           **error)
{
  g_autoptr(HsStmt) stmt = NULL;

  if (filter == HS_PAPER_LIST_BRACKETED)
    {
      g_return_val_if_fail (instrument_id != 0, NULL);
      /* status = 'open' and instrument_id = ? as written use the partial index
       * idx_paper_trades_open. */
      stmt = hs_store_prepare (store, TRADE_SELECT
                               "WHERE t.instrument_id = ? AND t.status = 'open' "
                               "AND t.is_backtest = 0 "
                               "AND (t.stop_loss IS NOT NULL OR t.take_profit IS NOT NULL) "
                               "ORDER BY t.entry_ts, t.id", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      return read_trades (store, stmt, error);
    }
  stmt = hs_store_prepare (store, TRADE_SELECT
                           "WHERE t.is_backtest = 0 AND (?1 = 0 OR t.instrument_id = ?1) "
                           "AND CASE ?2 WHEN 1 THEN t.status = 'open' "
                           "WHEN 2 THEN t.status IN ('closed', 'stopped') ELSE 1 END "
                           "ORDER BY t.entry_ts, t.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int (stmt, 2, filter == HS_PAPER_LIST_OPEN ? 1
                             : filter == HS_PAPER_LIST_CLOSED ? 2 : 0);
  return read_trades (store, stmt, error);
}

/**
 * hs_store_paper_bracketed_instruments:
 *
 * Returns: (transfer full) (element-type gint64): the instruments with an open paper trade
 *   that has a stop loss or a take profit, by id
 */
GArray *
hs_store_paper_bracketed_instruments (HsStore *store,
                                      GError **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT DISTINCT instrument_id FROM paper_trades "
                                             "WHERE status = 'open' AND is_backtest = 0 AND "
                                             "(stop_loss IS NOT NULL OR take_profit IS NOT NULL) "
                                             "ORDER BY instrument_id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int64_t id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (out, id);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing instruments with open trades");
      return NULL;
    }
  return g_steal_pointer (&out);
}
