/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Market data in the store: instruments, and the rows importers and providers write (candles,
 * trades, quotes, order book and prediction-market snapshots). Inserts are idempotent on each
 * table's natural key (ON CONFLICT DO NOTHING) and report whether the row was new, so a
 * re-import adds nothing and says so. Writers run inside the caller's transaction (or one of
 * their own) and note each series they changed, whose version then goes up at COMMIT
 * (hs_store_data_version()); the bulk importers insert hundreds of thousands of rows a second
 * through these cached statements.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-market.h"
#include "hs-store-private.h"

#include <math.h>

#include "hs-interval.h"
#include "hs-store-context.h"
#include "hs-time.h"

static gboolean
step_insert (HsStore      *store,
             sqlite3_stmt *stmt,
             gboolean     *inserted,
             GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, NULL);
  if (inserted != NULL)
    *inserted = sqlite3_changes (hs_store_get_db (store)) > 0;
  return TRUE;
}

/* The end of every writer below: a series that @changed gets a new version at COMMIT. */
static gboolean
write_done (HsStore    *store,
            gboolean    own,
            gboolean    ok,
            gboolean    changed,
            HsDataKind  kind,
            int64_t     instrument_id,
            const char *interval,
            GError    **error)
{
  if (ok && changed)
    hs_store_mark_written (store, kind, instrument_id, NULL, interval);
  return hs_store_write_end (store, own, ok, error);
}

/* Writes one row of a market-data table through its insert_*() function. */
typedef gboolean (*RowWriter) (HsStore      *store,
                               int64_t       instrument_id,
                               const char   *interval,
                               gconstpointer row,
                               gboolean     *inserted,
                               GError      **error);

/* A public single-row insert: in the caller's transaction or one of its own, marking the
 * series written when the row was new (hs_store_commit() bumps its data version). */
static gboolean
write_row (HsStore      *store,
           HsDataKind    kind,
           int64_t       instrument_id,
           const char   *interval,
           RowWriter     writer,
           gconstpointer row,
           gboolean     *inserted,
           GError      **error)
{
  gboolean own = FALSE, added = FALSE, ok;

  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = writer (store, instrument_id, interval, row, &added, error);
  if (inserted != NULL)
    *inserted = added;
  return write_done (store, own, ok, added, kind, instrument_id, interval, error);
}

gboolean
hs_store_find_instrument (HsStore    *store,
                          const char *symbol,
                          const char *exchange,
                          int64_t    *id,
                          GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT id FROM instruments "
                                                    "WHERE symbol = ? AND exchange = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, exchange ? exchange : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up an instrument");
  if (exchange != NULL && exchange[0] != '\0')
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                 "no instrument %s on exchange %s", symbol, exchange);
  else
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no instrument %s", symbol);
  return FALSE;
}

/**
 * hs_store_ensure_instrument:
 * @exchange: (nullable): the venue; %NULL or "" when it does not matter
 * @kind: stock, etf, index, crypto, future, fx, option or prediction; used only when the
 *   instrument is created
 *
 * Finds the instrument or creates it.
 */
gboolean
hs_store_ensure_instrument (HsStore    *store,
                            const char *symbol,
                            const char *exchange,
                            const char *kind,
                            int64_t    *id,
                            GError    **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;

  if (hs_store_find_instrument (store, symbol, exchange, id, &local))
    return TRUE;
  if (!g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  stmt = hs_store_prepare (store, "INSERT INTO instruments (symbol, exchange, kind, created_at) "
                                  "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, exchange ? exchange : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind ? kind : "stock", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, hs_time_now_us ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                               "adding an instrument");
  *id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  return TRUE;
}

void
hs_instrument_free (HsInstrument *inst)
{
  if (inst == NULL)
    return;
  g_free (inst->symbol);
  g_free (inst->exchange);
  g_free (inst->kind);
  g_free (inst);
}

/**
 * hs_store_list_instruments:
 *
 * Returns: (transfer full) (element-type HsInstrument): every instrument by symbol
 */
GPtrArray *
hs_store_list_instruments (HsStore *store,
                           GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_instrument_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT id, symbol, exchange, kind "
                                                    "FROM instruments ORDER BY symbol, exchange",
                                             error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsInstrument *inst = g_new0 (HsInstrument, 1);

      inst->id = sqlite3_column_int64 (stmt, 0);
      inst->symbol = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      inst->exchange = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      inst->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (out, inst);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing instruments");
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
insert_bar (HsStore      *store,
            int64_t       instrument_id,
            const char   *interval,
            gconstpointer row,
            gboolean     *inserted,
            GError      **error)
{
  const HsBar *bar = row;
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO candles (instrument_id, interval, ts, "
                                             "seq, open, high, low, close, volume, vwap, "
                                             "trade_count) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
                                             "ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, bar->ts);
  sqlite3_bind_int64 (stmt, 4, bar->seq);
  sqlite3_bind_double (stmt, 5, bar->open);
  sqlite3_bind_double (stmt, 6, bar->high);
  sqlite3_bind_double (stmt, 7, bar->low);
  sqlite3_bind_double (stmt, 8, bar->close);
  sqlite3_bind_double (stmt, 9, bar->volume);
  hs_bind_double_or_null (stmt, 10, bar->vwap);
  if (bar->trade_count >= 0)
    sqlite3_bind_int64 (stmt, 11, bar->trade_count);
  return step_insert (store, stmt, inserted, error);
}

/**
 * hs_store_insert_bar:
 * @inserted: (out) (optional): whether the bar was new
 *
 * Adds one bar unless the instrument has one of that interval, time and seq already. Runs
 * inside the caller's transaction, or in one of its own.
 */
gboolean
hs_store_insert_bar (HsStore     *store,
                     int64_t      instrument_id,
                     const char  *interval,
                     const HsBar *bar,
                     gboolean    *inserted,
                     GError     **error)
{
  return write_row (store, HS_DATA_CANDLES, instrument_id, interval, insert_bar, bar, inserted,
                    error);
}

/* The text of one INSERT of HS_STORE_BAR_BATCH rows, built once; its address is the cache key. */
static const char *
bar_batch_sql (void)
{
  static char *sql;

  if (g_once_init_enter (&sql))
    {
      GString *s = g_string_new ("INSERT INTO candles (instrument_id, interval, ts, seq, open, "
                                 "high, low, close, volume, vwap, trade_count) VALUES ");

      for (int i = 0; i < HS_STORE_BAR_BATCH; i++)
        g_string_append (s, i ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)");
      g_string_append (s, " ON CONFLICT DO NOTHING");
      g_once_init_leave (&sql, g_string_free (s, FALSE));
    }
  return sql;
}

static gboolean
insert_bars (HsStore     *store,
             int64_t      instrument_id,
             const char  *interval,
             const HsBar *bars,
             size_t       n,
             int64_t     *n_inserted,
             GError     **error)
{
  *n_inserted = 0;
  while (n > 0)
    {
      if (n < HS_STORE_BAR_BATCH)
        {
          for (size_t i = 0; i < n; i++)
            {
              gboolean inserted = FALSE;

              if (!insert_bar (store, instrument_id, interval, &bars[i], &inserted, error))
                return FALSE;
              *n_inserted += inserted;
            }
          return TRUE;
        }
      {
        g_autoptr(HsStmt) stmt = hs_store_prepare (store, bar_batch_sql (), error);
        int rc;

        if (stmt == NULL)
          return FALSE;
        for (int i = 0; i < HS_STORE_BAR_BATCH; i++)
          {
            const HsBar *bar = &bars[i];
            int c = i * 11;

            sqlite3_bind_int64 (stmt, c + 1, instrument_id);
            sqlite3_bind_text (stmt, c + 2, interval, -1, SQLITE_STATIC);
            sqlite3_bind_int64 (stmt, c + 3, bar->ts);
            sqlite3_bind_int64 (stmt, c + 4, bar->seq);
            sqlite3_bind_double (stmt, c + 5, bar->open);
            sqlite3_bind_double (stmt, c + 6, bar->high);
            sqlite3_bind_double (stmt, c + 7, bar->low);
            sqlite3_bind_double (stmt, c + 8, bar->close);
            sqlite3_bind_double (stmt, c + 9, bar->volume);
            hs_bind_double_or_null (stmt, c + 10, bar->vwap);
            if (bar->trade_count >= 0)
              sqlite3_bind_int64 (stmt, c + 11, bar->trade_count);
          }
        rc = sqlite3_step (stmt);
        if (rc != SQLITE_DONE)
          return hs_store_set_error (store, rc, error, NULL);
        *n_inserted += sqlite3_changes (hs_store_get_db (store));
      }
      bars += HS_STORE_BAR_BATCH;
      n -= HS_STORE_BAR_BATCH;
    }
  return TRUE;
}

/**
 * hs_store_insert_bars:
 * @n: how many bars; a full batch of HS_STORE_BAR_BATCH goes in one statement
 * @n_inserted: (out): how many were new
 *
 * As hs_store_insert_bar() for many bars. One multi-row INSERT per batch halves SQLite's
 * per-row cost; the importer checks every rule before, so a batch fails only on a store error.
 */
gboolean
hs_store_insert_bars (HsStore     *store,
                      int64_t      instrument_id,
                      const char  *interval,
                      const HsBar *bars,
                      size_t       n,
                      int64_t     *n_inserted,
                      GError     **error)
{
  gboolean own = FALSE, ok;

  *n_inserted = 0;
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = insert_bars (store, instrument_id, interval, bars, n, n_inserted, error);
  return write_done (store, own, ok, *n_inserted > 0, HS_DATA_CANDLES, instrument_id, interval,
                     error);
}

static gboolean
insert_trade (HsStore      *store,
              int64_t       instrument_id,
              const char   *interval,
              gconstpointer row,
              gboolean     *inserted,
              GError      **error)
{
  const HsTrade *trade = row;
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO trades (instrument_id, ts, seq, "
                                             "trade_id, price, size, side, cvd_at_trade) "
                                             "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, trade->ts);
  sqlite3_bind_int64 (stmt, 3, trade->seq);
  hs_bind_text_or_null (stmt, 4, trade->trade_id);
  sqlite3_bind_double (stmt, 5, trade->price);
  sqlite3_bind_double (stmt, 6, trade->size);
  sqlite3_bind_int (stmt, 7, trade->side);
  sqlite3_bind_double (stmt, 8, trade->cvd);
  return step_insert (store, stmt, inserted, error);
}

gboolean
hs_store_insert_trade (HsStore       *store,
                       int64_t        instrument_id,
                       const HsTrade *trade,
                       gboolean      *inserted,
                       GError       **error)
{
  return write_row (store, HS_DATA_TRADES, instrument_id, NULL, insert_trade,
                    trade, inserted, error);
}

/**
 * hs_store_cvd_before:
 *
 * The cumulative volume delta after the last stored trade strictly before @ts, or 0 when there
 * is none: the value an import that starts at @ts continues from.
 */
gboolean
hs_store_cvd_before (HsStore *store,
                     int64_t  instrument_id,
                     int64_t  ts,
                     double  *cvd,
                     GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT cvd_at_trade FROM trades WHERE "
                                             "instrument_id = ? AND ts < ? "
                                             "ORDER BY ts DESC, seq DESC LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, ts);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading the last CVD");
  *cvd = rc == SQLITE_ROW ? sqlite3_column_double (stmt, 0) : 0.0;
  return TRUE;
}

static gboolean
recompute_cvd_after (HsStore  *store,
                     int64_t   instrument_id,
                     int64_t   from_ts,
                     int64_t   after_ts,
                     gboolean *changed,
                     GError  **error)
{
  g_autoptr(HsStmt) later = hs_store_prepare (store, "SELECT 1 FROM trades WHERE "
                                                     "instrument_id = ? AND ts > ? LIMIT 1",
                                              error);
  g_autoptr(HsStmt) update = NULL;
  int rc;

  if (later == NULL)
    return FALSE;
  sqlite3_bind_int64 (later, 1, instrument_id);
  sqlite3_bind_int64 (later, 2, after_ts);
  rc = sqlite3_step (later);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "recomputing CVD");
  update = hs_store_prepare (store,
    "WITH base (b) AS (SELECT coalesce((SELECT cvd_at_trade FROM trades"
    "   WHERE instrument_id = ?1 AND ts < ?2 ORDER BY ts DESC, seq DESC LIMIT 1), 0)),"
    " run (ts, seq, cvd) AS (SELECT ts, seq, (SELECT b FROM base)"
    "   + sum (side * size) OVER (ORDER BY ts, seq ROWS UNBOUNDED PRECEDING)"
    "   FROM trades WHERE instrument_id = ?1 AND ts >= ?2)"
    " UPDATE trades SET cvd_at_trade = run.cvd FROM run"
    " WHERE trades.instrument_id = ?1 AND trades.ts = run.ts AND trades.seq = run.seq"
    " AND trades.cvd_at_trade IS NOT run.cvd", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, instrument_id);
  sqlite3_bind_int64 (update, 2, from_ts);
  rc = sqlite3_step (update);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "recomputing CVD");
  *changed = sqlite3_changes (hs_store_get_db (store)) > 0;
  return TRUE;
}

/**
 * hs_store_recompute_cvd_after:
 * @from_ts: the first time an import wrote
 * @after_ts: the last time it wrote
 *
 * An import continues the CVD from the last trade before it; trades already stored after its
 * last one were summed without it. When there are any, recompute every cvd_at_trade from
 * @from_ts on as the running sum of side × size over (ts, seq), from the last CVD before.
 */
gboolean
hs_store_recompute_cvd_after (HsStore *store,
                              int64_t  instrument_id,
                              int64_t  from_ts,
                              int64_t  after_ts,
                              GError **error)
{
  gboolean own = FALSE, changed = FALSE, ok;

  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = recompute_cvd_after (store, instrument_id, from_ts, after_ts, &changed, error);
  return write_done (store, own, ok, changed, HS_DATA_TRADES, instrument_id, NULL, error);
}

static gboolean
insert_quote (HsStore      *store,
              int64_t       instrument_id,
              const char   *interval,
              gconstpointer row,
              gboolean     *inserted,
              GError      **error)
{
  const HsQuote *quote = row;
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO quotes (instrument_id, ts, bid, ask, "
                                             "bid_size, ask_size) VALUES (?,?,?,?,?,?) "
                                             "ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, quote->ts);
  sqlite3_bind_double (stmt, 3, quote->bid);
  sqlite3_bind_double (stmt, 4, quote->ask);
  hs_bind_double_or_null (stmt, 5, quote->bid_size);
  hs_bind_double_or_null (stmt, 6, quote->ask_size);
  return step_insert (store, stmt, inserted, error);
}

gboolean
hs_store_insert_quote (HsStore       *store,
                       int64_t        instrument_id,
                       const HsQuote *quote,
                       gboolean      *inserted,
                       GError       **error)
{
  return write_row (store, HS_DATA_QUOTES, instrument_id, NULL, insert_quote,
                    quote, inserted, error);
}

static gboolean
insert_book (HsStore      *store,
             int64_t       instrument_id,
             const char   *interval,
             gconstpointer row,
             gboolean     *inserted,
             GError      **error)
{
  const HsBookSnapshot *book = row;
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO orderbook_snapshots (instrument_id, "
                                             "ts, sequence, best_bid, best_ask, spread, "
                                             "spread_pct, bid_volume, ask_volume, depth, "
                                             "imbalance, bids, asks) "
                                             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                                             "ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, book->ts);
  if (book->sequence >= 0)
    sqlite3_bind_int64 (stmt, 3, book->sequence);
  hs_bind_double_or_null (stmt, 4, book->best_bid);
  hs_bind_double_or_null (stmt, 5, book->best_ask);
  hs_bind_double_or_null (stmt, 6, book->spread);
  hs_bind_double_or_null (stmt, 7, book->spread_pct);
  sqlite3_bind_double (stmt, 8, book->bid_volume);
  sqlite3_bind_double (stmt, 9, book->ask_volume);
  sqlite3_bind_int (stmt, 10, book->depth);
  hs_bind_double_or_null (stmt, 11, book->imbalance);
  sqlite3_bind_text (stmt, 12, book->bids_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, book->asks_json, -1, SQLITE_STATIC);
  return step_insert (store, stmt, inserted, error);
}

gboolean
hs_store_insert_book (HsStore              *store,
                      int64_t               instrument_id,
                      const HsBookSnapshot *book,
                      gboolean             *inserted,
                      GError              **error)
{
  return write_row (store, HS_DATA_ORDERBOOK, instrument_id, NULL, insert_book,
                    book, inserted, error);
}

static gboolean
insert_snapshot (HsStore      *store,
                 int64_t       instrument_id,
                 const char   *interval,
                 gconstpointer row,
                 gboolean     *inserted,
                 GError      **error)
{
  const HsMarketSnapshot *snap = row;
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO market_snapshots (instrument_id, ts, "
                                             "source, sequence, yes_bid, yes_ask, no_bid, "
                                             "no_ask, last_price, volume, open_interest, status, "
                                             "raw_data, created_at) "
                                             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                                             "ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, snap->ts);
  sqlite3_bind_text (stmt, 3, hs_snapshot_source_to_string (snap->source), -1, SQLITE_STATIC);
  if (snap->sequence >= 0)
    sqlite3_bind_int64 (stmt, 4, snap->sequence);
  hs_bind_double_or_null (stmt, 5, snap->yes_bid);
  hs_bind_double_or_null (stmt, 6, snap->yes_ask);
  hs_bind_double_or_null (stmt, 7, snap->no_bid);
  hs_bind_double_or_null (stmt, 8, snap->no_ask);
  hs_bind_double_or_null (stmt, 9, snap->last_price);
  hs_bind_double_or_null (stmt, 10, snap->volume);
  hs_bind_double_or_null (stmt, 11, snap->open_interest);
  hs_bind_text_or_null (stmt, 12, snap->status);
  sqlite3_bind_text (stmt, 13, snap->raw_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 14, hs_time_now_us ());
  return step_insert (store, stmt, inserted, error);
}

gboolean
hs_store_insert_snapshot (HsStore                *store,
                          int64_t                 instrument_id,
                          const HsMarketSnapshot *snap,
                          gboolean               *inserted,
                          GError                **error)
{
  return write_row (store, HS_DATA_SNAPSHOTS, instrument_id, NULL, insert_snapshot,
                    snap, inserted, error);
}

/**
 * hs_store_each_bar:
 * @from_ts: first bar start included (G_MININT64 for no bound)
 * @to_ts: last bar start included (G_MAXINT64 for no bound)
 * @func: called for each bar in time order; returning %FALSE with its error stops the walk
 */
gboolean
hs_store_each_bar (HsStore    *store,
                   int64_t     instrument_id,
                   const char *interval,
                   int64_t     from_ts,
                   int64_t     to_ts,
                   HsBarFunc   func,
                   gpointer    user_data,
                   GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts, seq, open, high, low, close, volume, "
                                             "vwap, trade_count FROM candles "
                                             "WHERE instrument_id = ? AND interval = ? "
                                             "AND ts BETWEEN ? AND ? ORDER BY ts, seq", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, from_ts);
  sqlite3_bind_int64 (stmt, 4, to_ts);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsBar bar = {
        .ts = sqlite3_column_int64 (stmt, 0),
        .seq = sqlite3_column_int64 (stmt, 1),
        .open = sqlite3_column_double (stmt, 2),
        .high = sqlite3_column_double (stmt, 3),
        .low = sqlite3_column_double (stmt, 4),
        .close = sqlite3_column_double (stmt, 5),
        .volume = sqlite3_column_double (stmt, 6),
        .vwap = sqlite3_column_type (stmt, 7) == SQLITE_NULL
                ? NAN : sqlite3_column_double (stmt, 7),
        .trade_count = sqlite3_column_type (stmt, 8) == SQLITE_NULL
                       ? -1 : sqlite3_column_int64 (stmt, 8),
      };

      if (!func (&bar, user_data, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading bars");
  return TRUE;
}

/**
 * hs_store_bar_range:
 * @from_ts: first bar start included (G_MININT64 for no bound)
 * @to_ts: last bar start included (G_MAXINT64 for no bound)
 * @found: (out): whether there is any bar in the range
 * @first_ts: (out): the first bar's start in the range (0 when none)
 * @last_ts: (out): the last bar's start in the range (0 when none)
 *
 * Two seeks into the primary key, microseconds whatever the number of bars: what the backtest
 * cache key takes from the bars instead of reading them. (Counting them is a pass over every
 * row in the range: 9 ms for 100,000 bars, 85 ms for 1,000,000.)
 */
gboolean
hs_store_bar_range (HsStore    *store,
                    int64_t     instrument_id,
                    const char *interval,
                    int64_t     from_ts,
                    int64_t     to_ts,
                    gboolean   *found,
                    int64_t    *first_ts,
                    int64_t    *last_ts,
                    GError    **error)
{
  static const char *const sql[2] = {
    "SELECT ts FROM candles WHERE instrument_id = ? AND interval = ? AND ts BETWEEN ? AND ? "
    "ORDER BY ts, seq LIMIT 1",
    "SELECT ts FROM candles WHERE instrument_id = ? AND interval = ? AND ts BETWEEN ? AND ? "
    "ORDER BY ts DESC, seq DESC LIMIT 1",
  };
  int64_t *out[2] = { first_ts, last_ts };

  g_return_val_if_fail (store != NULL && interval != NULL, FALSE);
  *found = FALSE;
  *first_ts = *last_ts = 0;
  for (int k = 0; k < 2; k++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store, sql[k], error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, from_ts);
      sqlite3_bind_int64 (stmt, 4, to_ts);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        return TRUE;
      if (rc != SQLITE_ROW)
        return hs_store_set_error (store, rc, error, "reading the range of bars");
      *out[k] = sqlite3_column_int64 (stmt, 0);
    }
  *found = TRUE;
  return TRUE;
}

/* Grows the columns of @bars to hold @cap bars (a copy-free mremap for large blocks). */
static void
bars_grow (HsBars *bars,
           size_t  cap)
{
  bars->ts = g_renew (int64_t, bars->ts, cap);
  bars->open = g_renew (double, bars->open, cap);
  bars->high = g_renew (double, bars->high, cap);
  bars->low = g_renew (double, bars->low, cap);
  bars->close = g_renew (double, bars->close, cap);
  bars->volume = g_renew (double, bars->volume, cap);
  bars->vwap = g_renew (double, bars->vwap, cap);
}

/**
 * hs_store_load_bars:
 * @from_ts: first bar start included (G_MININT64 for no bound)
 * @to_ts: last bar start included (G_MAXINT64 for no bound)
 *
 * One pass over the primary key (candles is clustered on it), the columns growing by doubling:
 * every computed backtest reads its bars through here (about 200 ns a bar; a cached re-run reads
 * none, hs_store_bar_range() and the data version name them). Counting the rows first cost a
 * second pass over the same pages (about a fifth of the time); one statement is a consistent
 * read on its own.
 *
 * Returns: (transfer full): the bars as columns, in time order (possibly none), or %NULL with
 *   @error set
 */
HsBars *
hs_store_load_bars (HsStore    *store,
                    int64_t     instrument_id,
                    const char *interval,
                    int64_t     from_ts,
                    int64_t     to_ts,
                    GError    **error)
{
  const HsInterval *iv = hs_interval_lookup (interval);
  g_autoptr(HsBars) bars = hs_bars_new (0, iv ? iv->seconds : 0);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts, open, high, low, close, volume, vwap "
                                             "FROM candles WHERE instrument_id = ? "
                                             "AND interval = ? AND ts BETWEEN ? AND ? "
                                             "ORDER BY ts, seq", error);
  size_t cap = 1, i = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, from_ts);
  sqlite3_bind_int64 (stmt, 4, to_ts);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (i == cap)
        {
          cap = MAX (4096, 2 * cap);
          bars_grow (bars, cap);
        }
      bars->ts[i] = sqlite3_column_int64 (stmt, 0);
      bars->open[i] = sqlite3_column_double (stmt, 1);
      bars->high[i] = sqlite3_column_double (stmt, 2);
      bars->low[i] = sqlite3_column_double (stmt, 3);
      bars->close[i] = sqlite3_column_double (stmt, 4);
      bars->volume[i] = sqlite3_column_double (stmt, 5);
      bars->vwap[i] = sqlite3_column_type (stmt, 6) == SQLITE_NULL
                      ? NAN : sqlite3_column_double (stmt, 6);
      i++;
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading bars");
      return NULL;
    }
  if (cap > MAX (i, 1))
    bars_grow (bars, MAX (i, 1));
  bars->n = i;
  return g_steal_pointer (&bars);
}

void
hs_coverage_free (HsCoverage *cov)
{
  if (cov == NULL)
    return;
  g_free (cov->symbol);
  g_free (cov->exchange);
  g_free (cov->kind);
  g_free (cov->data);
  g_free (cov->interval);
  g_free (cov);
}

/**
 * hs_store_list_coverage:
 *
 * Returns: (transfer full) (element-type HsCoverage): one row per instrument and kind of data
 *   (candles per interval), by symbol; instruments without data have one row with @data NULL
 */
GPtrArray *
hs_store_list_coverage (HsStore *store,
                        GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_coverage_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "WITH cov (instrument_id, data, interval, first_ts, last_ts, n) AS ("
    " SELECT instrument_id, 'candles', interval, min(ts), max(ts), count(*) FROM candles"
    "  GROUP BY instrument_id, interval"
    " UNION ALL SELECT instrument_id, 'trades', NULL, min(ts), max(ts), count(*) FROM trades"
    "  GROUP BY instrument_id"
    " UNION ALL SELECT instrument_id, 'quotes', NULL, min(ts), max(ts), count(*) FROM quotes"
    "  GROUP BY instrument_id"
    " UNION ALL SELECT instrument_id, 'orderbook', NULL, min(ts), max(ts), count(*)"
    "  FROM orderbook_snapshots GROUP BY instrument_id"
    " UNION ALL SELECT instrument_id, 'snapshots', NULL, min(ts), max(ts), count(*)"
    "  FROM market_snapshots GROUP BY instrument_id"
    " UNION ALL SELECT instrument_id, 'quote_bars', interval, min(ts), max(ts), count(*)"
    "  FROM quote_bars GROUP BY instrument_id, interval"
    /* A factor file's rows are days: midnight UTC of the first and last. */
    " UNION ALL SELECT instrument_id, 'factors', NULL,"
    "  CAST(strftime('%s', min(date)) AS INTEGER) * 1000000,"
    "  CAST(strftime('%s', max(date)) AS INTEGER) * 1000000, count(*)"
    "  FROM price_factors GROUP BY instrument_id)"
    " SELECT i.symbol, i.exchange, i.kind, c.data, c.interval, c.first_ts, c.last_ts, c.n"
    " FROM instruments i LEFT JOIN cov c ON c.instrument_id = i.id"
    " ORDER BY i.symbol, i.exchange, c.data, c.interval", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsCoverage *cov = g_new0 (HsCoverage, 1);

      cov->symbol = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      cov->exchange = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      cov->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      cov->data = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      cov->interval = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      cov->first_ts = sqlite3_column_int64 (stmt, 5);
      cov->last_ts = sqlite3_column_int64 (stmt, 6);
      cov->rows = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (out, cov);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading coverage");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_load_instrument:
 * @id: an instrument id, as hs_store_find_instrument() gives
 *
 * Returns: (transfer full): the instrument (symbol, exchange, kind), or %NULL with @error set,
 *   %HS_STORE_ERROR_NOT_FOUND when no instrument has that id
 */
HsInstrument *
hs_store_load_instrument (HsStore *store,
                          int64_t  id,
                          GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT symbol, exchange, kind "
                                                    "FROM instruments WHERE id = ?", error);
  HsInstrument *inst;
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
  inst = g_new0 (HsInstrument, 1);
  inst->id = id;
  inst->symbol = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  inst->exchange = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  inst->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  return inst;
}

/**
 * hs_store_ensure_option_contract:
 * @exchange: (nullable): the venue of the contract and its underlying; %NULL or "" for none
 * @id: (out): the contract's instrument id
 *
 * Finds the contract's instrument by symbol and exchange, or creates it with kind 'option',
 * its underlying (found by symbol and exchange, or created as a stock), expiry, strike and
 * right. An instrument that exists already is used as it is.
 */
gboolean
hs_store_ensure_option_contract (HsStore                *store,
                                 const char             *exchange,
                                 const HsOptionContract *contract,
                                 int64_t                *id,
                                 GError                **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(HsStmt) stmt = NULL;
  int64_t underlying_id;

  g_return_val_if_fail (contract->symbol != NULL && contract->underlying != NULL, FALSE);

  if (hs_store_find_instrument (store, contract->symbol, exchange, id, &local))
    return TRUE;
  if (!g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!hs_store_ensure_instrument (store, contract->underlying, exchange, "stock",
                                   &underlying_id, error))
    return FALSE;
  stmt = hs_store_prepare (store, "INSERT INTO instruments (symbol, exchange, kind, "
                                  "underlying_id, expiry, strike, option_right, created_at) "
                                  "VALUES (?, ?, 'option', ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, contract->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, exchange ? exchange : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, underlying_id);
  sqlite3_bind_int64 (stmt, 4, contract->expiry);
  sqlite3_bind_double (stmt, 5, contract->strike);
  sqlite3_bind_text (stmt, 6, hs_option_right_to_string (contract->right), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, hs_time_now_us ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error,
                               "adding an option contract");
  *id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  return TRUE;
}

/**
 * hs_store_add_option_quote:
 * @exchange: (nullable): as for hs_store_ensure_option_contract()
 * @inserted: (out) (optional): whether the quote was new
 *
 * What a provider's option chain is stored with: the contract's instrument is created on first
 * sight (hs_store_ensure_option_contract()), then the quote is added unless the contract has
 * one at that time already (hs_store_insert_option_quote(); idempotent on (instrument, ts)).
 * Runs inside the caller's transaction, or in one of its own, so a contract is never created
 * without its quote.
 */
gboolean
hs_store_add_option_quote (HsStore                *store,
                           const char             *exchange,
                           const HsOptionContract *contract,
                           const HsOptionQuote    *quote,
                           gboolean               *inserted,
                           GError                **error)
{
  gboolean own = FALSE, ok;
  int64_t id = 0;

  if (inserted != NULL)
    *inserted = FALSE;
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  ok = hs_store_ensure_option_contract (store, exchange, contract, &id, error)
       && hs_store_insert_option_quote (store, id, quote, inserted, error);
  return hs_store_write_end (store, own, ok, error);
}
