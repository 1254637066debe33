/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signal ledger in the store (docs/ledger.md): signals with their bot keys, risk vetoes,
 * orders, fills, account snapshots, risk days and the trade_ledger round trips the importer
 * derives, plus the reads behind `ledger list|show|risk` and the recorded side of `replay`.
 * Writes are idempotent on each table's natural key; the few fields a bot legitimately re-sends
 * changed (a signal's status and filters, an order's status, a day's roll-up) are updated, and
 * the caller is told which of the three happened. All run inside the importer's transaction.
 * Load: a bot's day of lines, thousands of rows; every statement is prepared once.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-ledger.h"
#include "hs-store-private.h"

#include <math.h>
#include <string.h>

#include "hs-time.h"

/* A microsecond column as hs_time_format_iso() writes it (times after 1970). */
#define ISO(col)                                                                               \
  "CASE WHEN " col " IS NULL THEN NULL "                                                       \
  "WHEN " col " % 1000000 = 0 THEN strftime('%Y-%m-%dT%H:%M:%SZ', " col " / 1000000, "         \
  "'unixepoch') "                                                                              \
  "WHEN " col " % 1000 = 0 THEN strftime('%Y-%m-%dT%H:%M:%S', " col " / 1000000, 'unixepoch') " \
  "|| printf('.%03dZ', (" col " % 1000000) / 1000) "                                           \
  "ELSE strftime('%Y-%m-%dT%H:%M:%S', " col " / 1000000, 'unixepoch') "                        \
  "|| printf('.%06dZ', " col " % 1000000) END"

static double
column_double_or_nan (sqlite3_stmt *stmt,
                      int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           col,
                 int64_t       id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, col, id);
  else
    sqlite3_bind_null (stmt, col);
}

static void
bind_int_or_null (sqlite3_stmt *stmt,
                  int           col,
                  int64_t       v)
{
  if (v >= 0)
    sqlite3_bind_int64 (stmt, col, v);
  else
    sqlite3_bind_null (stmt, col);
}

/* Steps a write; @change is INSERTED/UPDATED when a row changed (@existed tells which), else
 * PRESENT. */
static gboolean
step_write (HsStore        *store,
            sqlite3_stmt   *stmt,
            gboolean        existed,
            HsLedgerChange *change,
            const char     *what)
{
  int rc = sqlite3_step (stmt);

  (void) what;
  if (rc != SQLITE_DONE)
    return FALSE;
  if (sqlite3_changes (hs_store_get_db (store)) == 0)
    *change = HS_LEDGER_PRESENT;
  else
    *change = existed ? HS_LEDGER_UPDATED : HS_LEDGER_INSERTED;
  return TRUE;
}

#define STEP_WRITE(stmt, existed, change, what)                                                \
  (step_write (store, stmt, existed, change, what)                                             \
   || hs_store_set_error (store, sqlite3_errcode (hs_store_get_db (store)), error, what))

gboolean
hs_store_ledger_find_signal (HsStore           *store,
                             const char        *key,
                             HsLedgerSignalRef *out,
                             gboolean          *found,
                             GError           **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT id, instrument_id, ts, price "
                                                    "FROM signals WHERE ledger_key = ?", error);
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->instrument_id = sqlite3_column_int64 (stmt, 1);
      out->ts = sqlite3_column_int64 (stmt, 2);
      out->price = column_double_or_nan (stmt, 3);
      *found = TRUE;
      return TRUE;
    }
  return rc == SQLITE_DONE || hs_store_set_error (store, rc, error, "looking up a signal");
}

/**
 * hs_store_ledger_write_signal:
 * @id: (out): the signal's row id
 *
 * Adds the signal, or for a key already stored updates the fields a bot re-sends as the signal
 * moves on (status, filters, reasons, warnings). A stored key with another instrument or time
 * is refused: keys name one signal.
 */
gboolean
hs_store_ledger_write_signal (HsStore              *store,
                              int64_t               instrument_id,
                              const HsLedgerSignal *s,
                              int64_t              *id,
                              HsLedgerChange       *change,
                              GError              **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  HsLedgerSignalRef ref = { 0 };
  gboolean found = FALSE;

  if (!hs_store_ledger_find_signal (store, s->key, &ref, &found, error))
    return FALSE;
  if (found)
    {
      if (ref.instrument_id != instrument_id || ref.ts != s->ts)
        {
          g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT,
                       "key: “%s” is stored for a signal of another symbol or time", s->key);
          return FALSE;
        }
      stmt = hs_store_prepare (store,
                               "UPDATE signals SET status = ?2, filters_passed = ?3, "
                               "filters_blocked = ?4, reasons = ?5, warnings = ?6 WHERE id = ?1 "
                               "AND (status IS NOT ?2 OR filters_passed IS NOT ?3 OR "
                               "filters_blocked IS NOT ?4 OR reasons IS NOT ?5 OR "
                               "warnings IS NOT ?6)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, ref.id);
      sqlite3_bind_text (stmt, 2, s->status, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, s->filters_passed, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, s->filters_blocked, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, s->reasons, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, s->warnings, -1, SQLITE_TRANSIENT);
      *id = ref.id;
      return STEP_WRITE (stmt, TRUE, change, "updating a signal");
    }
  stmt = hs_store_prepare (store,
                           "INSERT INTO signals (instrument_id, ts, strategy_name, "
                           "strategy_version, setup, signal_type, confidence, score, session, "
                           "price, cvd, orderbook_imbalance, reasons, warnings, filters_passed, "
                           "filters_blocked, status, created_at, ledger_key) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, s->ts);
  sqlite3_bind_text (stmt, 3, s->strategy, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, s->strategy_version, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, s->setup, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, s->signal_type, -1, SQLITE_TRANSIENT);
  hs_bind_double_or_null (stmt, 7, s->confidence);
  hs_bind_double_or_null (stmt, 8, s->score);
  hs_bind_text_or_null (stmt, 9, s->session);
  hs_bind_double_or_null (stmt, 10, s->price);
  hs_bind_double_or_null (stmt, 11, s->cvd);
  hs_bind_double_or_null (stmt, 12, s->orderbook_imbalance);
  sqlite3_bind_text (stmt, 13, s->reasons, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, s->warnings, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 15, s->filters_passed, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 16, s->filters_blocked, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 17, s->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 18, hs_time_now_us ());
  sqlite3_bind_text (stmt, 19, s->key, -1, SQLITE_TRANSIENT);
  if (!STEP_WRITE (stmt, FALSE, change, "adding a signal"))
    return FALSE;
  *id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  return TRUE;
}

gboolean
hs_store_ledger_write_veto (HsStore            *store,
                            int64_t             signal_id,
                            int64_t             ts,
                            const HsLedgerVeto *v,
                            HsLedgerChange     *change,
                            GError            **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO risk_vetoes (signal_id, ts, rule, "
                                             "reason, details) VALUES (?, ?, ?, ?, ?) "
                                             "ON CONFLICT (signal_id, rule) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, signal_id);
  sqlite3_bind_int64 (stmt, 2, ts);
  sqlite3_bind_text (stmt, 3, v->rule, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, v->reason, -1, SQLITE_TRANSIENT);
  hs_bind_text_or_null (stmt, 5, v->details);
  return STEP_WRITE (stmt, FALSE, change, "adding a risk veto");
}

#define ORDER_COLUMNS                                                                          \
  "SELECT id, instrument_id, ifnull(signal_id, 0), ifnull(parent_order_id, 0), "              \
  "ifnull(closes_order_id, 0), ts, leg, side, qty, reference_price, stop_price, mode, "       \
  "ifnull((SELECT ts FROM signals WHERE id = orders.signal_id), -1) FROM orders "

static gboolean
read_order (HsStore          *store,
            sqlite3_stmt     *stmt,
            HsLedgerOrderRef *out,
            gboolean         *found,
            GError          **error)
{
  int rc = sqlite3_step (stmt);

  *found = FALSE;
  if (rc == SQLITE_ROW)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->instrument_id = sqlite3_column_int64 (stmt, 1);
      out->signal_id = sqlite3_column_int64 (stmt, 2);
      out->parent_id = sqlite3_column_int64 (stmt, 3);
      out->closes_id = sqlite3_column_int64 (stmt, 4);
      out->ts = sqlite3_column_int64 (stmt, 5);
      g_strlcpy (out->leg, (const char *) sqlite3_column_text (stmt, 6), sizeof out->leg);
      g_strlcpy (out->side, (const char *) sqlite3_column_text (stmt, 7), sizeof out->side);
      out->qty = sqlite3_column_double (stmt, 8);
      out->reference_price = column_double_or_nan (stmt, 9);
      out->stop_price = column_double_or_nan (stmt, 10);
      g_strlcpy (out->mode, (const char *) sqlite3_column_text (stmt, 11), sizeof out->mode);
      out->signal_ts = sqlite3_column_int64 (stmt, 12);
      *found = TRUE;
      return TRUE;
    }
  return rc == SQLITE_DONE || hs_store_set_error (store, rc, error, "looking up an order");
}

gboolean
hs_store_ledger_find_order (HsStore          *store,
                            const char       *client_order_id,
                            HsLedgerOrderRef *out,
                            gboolean         *found,
                            GError          **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, ORDER_COLUMNS "WHERE client_order_id = ?",
                                             error);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_order_id, -1, SQLITE_TRANSIENT);
  return read_order (store, stmt, out, found, error);
}

gboolean
hs_store_ledger_get_order (HsStore          *store,
                           int64_t           id,
                           HsLedgerOrderRef *out,
                           GError          **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, ORDER_COLUMNS "WHERE id = ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!read_order (store, stmt, out, &found, error))
    return FALSE;
  if (!found)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no order %" G_GINT64_FORMAT,
                 id);
  return found;
}

/**
 * hs_store_ledger_write_order:
 * @links: the resolved row ids (instrument, signal, parent, closed order; 0 for none), the
 *   reference price to store, and in @links->id the stored order's id when it exists (0 when
 *   new), whose status fields are then updated
 */
gboolean
hs_store_ledger_write_order (HsStore                *store,
                             const HsLedgerOrder    *o,
                             const HsLedgerOrderRef *links,
                             HsLedgerChange         *change,
                             GError                **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "INSERT INTO orders (client_order_id, broker, broker_order_id, mode, instrument_id, "
    "signal_id, parent_order_id, leg, ts, side, type, time_in_force, qty, limit_price, "
    "stop_price, price_guard, reference_price, status, payload, broker_response, error_message, "
    "updated_at, closes_order_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (client_order_id) DO UPDATE SET status = excluded.status, "
    "broker_order_id = ifnull(excluded.broker_order_id, broker_order_id), "
    "broker_response = ifnull(excluded.broker_response, broker_response), "
    "error_message = ifnull(excluded.error_message, error_message), "
    "updated_at = max(updated_at, excluded.updated_at) "
    "WHERE status IS NOT excluded.status "
    "OR (excluded.broker_order_id IS NOT NULL AND broker_order_id IS NOT excluded.broker_order_id) "
    "OR (excluded.broker_response IS NOT NULL AND broker_response IS NOT excluded.broker_response) "
    "OR (excluded.error_message IS NOT NULL AND error_message IS NOT excluded.error_message)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, o->client_order_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, o->broker, -1, SQLITE_TRANSIENT);
  hs_bind_text_or_null (stmt, 3, o->broker_order_id);
  sqlite3_bind_text (stmt, 4, o->mode, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, links->instrument_id);
  bind_id_or_null (stmt, 6, links->signal_id);
  bind_id_or_null (stmt, 7, links->parent_id);
  sqlite3_bind_text (stmt, 8, o->leg, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, o->ts);
  sqlite3_bind_text (stmt, 10, o->side, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, o->type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, o->time_in_force, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 13, o->qty);
  hs_bind_double_or_null (stmt, 14, o->limit_price);
  hs_bind_double_or_null (stmt, 15, o->stop_price);
  hs_bind_double_or_null (stmt, 16, o->price_guard);
  hs_bind_double_or_null (stmt, 17, links->reference_price);
  sqlite3_bind_text (stmt, 18, o->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 19, o->payload, -1, SQLITE_TRANSIENT);
  hs_bind_text_or_null (stmt, 20, o->broker_response);
  hs_bind_text_or_null (stmt, 21, o->error_message);
  sqlite3_bind_int64 (stmt, 22, o->updated_ts);
  bind_id_or_null (stmt, 23, links->closes_id);
  return STEP_WRITE (stmt, links->id != 0, change, "writing an order");
}

/**
 * hs_store_ledger_find_fill:
 * @fill_seq: the fill's number in its order, or −1 to look it up by @broker_fill_id
 * @seq: (out): the stored fill's number; when not @found, the number a new fill gets
 */
gboolean
hs_store_ledger_find_fill (HsStore    *store,
                           int64_t     order_id,
                           int64_t     fill_seq,
                           const char *broker_fill_id,
                           int64_t    *seq,
                           gboolean   *found,
                           GError    **error)
{
  g_autoptr(HsStmt) by_seq = NULL;
  g_autoptr(HsStmt) by_id = NULL;
  g_autoptr(HsStmt) next = NULL;
  sqlite3_stmt *stmt;
  int rc;

  *found = FALSE;
  if (fill_seq >= 1)
    {
      stmt = by_seq = hs_store_prepare (store, "SELECT fill_seq FROM fills "
                                               "WHERE order_id = ? AND fill_seq = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 2, fill_seq);
    }
  else
    {
      stmt = by_id = hs_store_prepare (store, "SELECT fill_seq FROM fills "
                                              "WHERE order_id = ? AND broker_fill_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 2, broker_fill_id, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *seq = sqlite3_column_int64 (stmt, 0);
      *found = TRUE;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a fill");
  if (fill_seq >= 1)
    {
      *seq = fill_seq;
      return TRUE;
    }
  next = hs_store_prepare (store, "SELECT ifnull(max(fill_seq), 0) + 1 FROM fills "
                                  "WHERE order_id = ?", error);
  if (next == NULL)
    return FALSE;
  sqlite3_bind_int64 (next, 1, order_id);
  rc = sqlite3_step (next);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "numbering a fill");
  *seq = sqlite3_column_int64 (next, 0);
  return TRUE;
}

/* @f carries the reference price, slippage and latency to store (computed by the caller). */
gboolean
hs_store_ledger_write_fill (HsStore            *store,
                            int64_t             order_id,
                            int64_t             fill_seq,
                            const HsLedgerFill *f,
                            HsLedgerChange     *change,
                            GError            **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO fills (order_id, fill_seq, "
                                             "broker_fill_id, ts, price, qty, fee, liquidity, "
                                             "reference_price, slippage, latency_ms) VALUES "
                                             "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                             "ON CONFLICT (order_id, fill_seq) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, fill_seq);
  hs_bind_text_or_null (stmt, 3, f->broker_fill_id);
  sqlite3_bind_int64 (stmt, 4, f->ts);
  sqlite3_bind_double (stmt, 5, f->price);
  sqlite3_bind_double (stmt, 6, f->qty);
  sqlite3_bind_double (stmt, 7, f->fee);
  hs_bind_text_or_null (stmt, 8, f->liquidity);
  hs_bind_double_or_null (stmt, 9, f->reference_price);
  hs_bind_double_or_null (stmt, 10, f->slippage);
  bind_int_or_null (stmt, 11, f->latency_ms);
  return STEP_WRITE (stmt, FALSE, change, "adding a fill");
}

gboolean
hs_store_ledger_write_account (HsStore               *store,
                               const HsLedgerAccount *a,
                               HsLedgerChange        *change,
                               GError               **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "INSERT INTO account_snapshots (account, ts, cash, "
                                             "equity, unrealized_pnl, realized_pnl, "
                                             "buying_power, open_positions, session) VALUES "
                                             "(?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                             "ON CONFLICT (account, ts) DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, a->account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, a->ts);
  sqlite3_bind_double (stmt, 3, a->cash);
  sqlite3_bind_double (stmt, 4, a->equity);
  sqlite3_bind_double (stmt, 5, a->unrealized_pnl);
  sqlite3_bind_double (stmt, 6, a->realized_pnl);
  hs_bind_double_or_null (stmt, 7, a->buying_power);
  hs_bind_text_or_null (stmt, 8, a->open_positions);
  hs_bind_text_or_null (stmt, 9, a->session);
  return STEP_WRITE (stmt, FALSE, change, "adding an account snapshot");
}

/* A day already stored is updated to the new figures (a bot re-sends its running roll-up). */
gboolean
hs_store_ledger_write_risk_day (HsStore               *store,
                                const HsLedgerRiskDay *d,
                                HsLedgerChange        *change,
                                GError               **error)
{
  g_autoptr(HsStmt) find = hs_store_prepare (store, "SELECT 1 FROM risk_days WHERE day = ?",
                                             error);
  g_autoptr(HsStmt) stmt = NULL;
  gboolean existed;
  int rc;

  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, d->day, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (find);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a risk day");
  existed = rc == SQLITE_ROW;
  stmt = hs_store_prepare (store,
                           "INSERT INTO risk_days (day, trades_taken, r_realized, max_drawdown, "
                           "breach_flags, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (day) DO UPDATE SET trades_taken = excluded.trades_taken, "
                           "r_realized = excluded.r_realized, "
                           "max_drawdown = excluded.max_drawdown, "
                           "breach_flags = excluded.breach_flags, updated_at = excluded.updated_at "
                           "WHERE trades_taken IS NOT excluded.trades_taken "
                           "OR r_realized IS NOT excluded.r_realized "
                           "OR max_drawdown IS NOT excluded.max_drawdown "
                           "OR breach_flags IS NOT excluded.breach_flags", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, d->trades_taken);
  sqlite3_bind_double (stmt, 3, d->r_realized);
  sqlite3_bind_double (stmt, 4, d->max_drawdown);
  sqlite3_bind_text (stmt, 5, d->breach_flags, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, hs_time_now_us ());
  return STEP_WRITE (stmt, existed, change, "writing a risk day");
}

static GArray *
read_fills (HsStore      *store,
            sqlite3_stmt *stmt,
            GError      **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HsLedgerFillRow));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsLedgerFillRow f;

      f.id = sqlite3_column_int64 (stmt, 0);
      f.order_id = sqlite3_column_int64 (stmt, 1);
      f.ts = sqlite3_column_int64 (stmt, 2);
      f.price = sqlite3_column_double (stmt, 3);
      f.qty = sqlite3_column_double (stmt, 4);
      f.fee = sqlite3_column_double (stmt, 5);
      f.slippage = column_double_or_nan (stmt, 6);
      g_array_append_val (out, f);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading fills");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Returns: (transfer full) (element-type HsLedgerFillRow): the order's fills in time order. */
GArray *
hs_store_ledger_order_fills (HsStore *store,
                             int64_t  order_id,
                             GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT id, order_id, ts, price, qty, fee, slippage "
                                             "FROM fills WHERE order_id = ? "
                                             "ORDER BY ts, fill_seq", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  return read_fills (store, stmt, error);
}

/**
 * hs_store_ledger_exit_fills:
 * @stop_price: (out): the stop price of the entry's stop_loss leg, NAN when it has none
 *
 * Returns: (transfer full) (element-type HsLedgerFillRow): the fills of every order closing
 *   @entry_order_id (its bracket legs and the orders naming it in closes_order_id), in time
 *   order
 */
GArray *
hs_store_ledger_exit_fills (HsStore *store,
                            int64_t  entry_order_id,
                            double  *stop_price,
                            GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT f.id, f.order_id, f.ts, f.price, f.qty, "
                                             "f.fee, f.slippage FROM fills f "
                                             "JOIN orders o ON o.id = f.order_id "
                                             "WHERE o.parent_order_id = ?1 "
                                             "OR o.closes_order_id = ?1 "
                                             "ORDER BY f.ts, f.order_id, f.fill_seq", error);
  g_autoptr(HsStmt) stop = hs_store_prepare (store,
                                             "SELECT stop_price FROM orders "
                                             "WHERE parent_order_id = ? AND leg = 'stop_loss' "
                                             "ORDER BY ts, id LIMIT 1", error);
  int rc;

  if (stmt == NULL || stop == NULL)
    return NULL;
  *stop_price = NAN;
  sqlite3_bind_int64 (stop, 1, entry_order_id);
  rc = sqlite3_step (stop);
  if (rc == SQLITE_ROW)
    *stop_price = column_double_or_nan (stop, 0);
  else if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading a stop");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, entry_order_id);
  return read_fills (store, stmt, error);
}

/* @paper_trade_id: (out): the one live paper trade of the signal and instrument; 0 when there
 * is none or more than one. */
gboolean
hs_store_ledger_paper_trade (HsStore *store,
                             int64_t  signal_id,
                             int64_t  instrument_id,
                             int64_t *paper_trade_id,
                             GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT id FROM paper_trades WHERE signal_id = ? "
                                             "AND instrument_id = ? AND is_backtest = 0 LIMIT 2",
                                             error);
  int rc, n = 0;

  *paper_trade_id = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, signal_id);
  sqlite3_bind_int64 (stmt, 2, instrument_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n++ == 0)
        *paper_trade_id = sqlite3_column_int64 (stmt, 0);
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a paper trade");
  if (n != 1)
    *paper_trade_id = 0;
  return TRUE;
}

/* Writes the round trip of @entry (trade_ledger's natural key is the entry order); a stored one
 * is updated only when a value changed. */
gboolean
hs_store_ledger_write_trade (HsStore                 *store,
                             const HsLedgerOrderRef  *entry,
                             const char              *mode,
                             const HsLedgerRoundTrip *t,
                             int64_t                  paper_trade_id,
                             HsLedgerChange          *change,
                             GError                 **error)
{
  g_autoptr(HsStmt) find = hs_store_prepare (store, "SELECT 1 FROM trade_ledger "
                                                    "WHERE entry_order_id = ?", error);
  g_autoptr(HsStmt) stmt = NULL;
  int64_t now = hs_time_now_us ();
  gboolean existed;
  int rc;

  if (find == NULL)
    return FALSE;
  sqlite3_bind_int64 (find, 1, entry->id);
  rc = sqlite3_step (find);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a round trip");
  existed = rc == SQLITE_ROW;
  stmt = hs_store_prepare (store,
    "INSERT INTO trade_ledger (instrument_id, signal_id, entry_order_id, exit_order_id, "
    "entry_fill_id, exit_fill_id, paper_trade_id, mode, side, quantity, entry_ts, entry_price, "
    "exit_ts, exit_price, gross_pnl, fees, net_pnl, slippage, r_multiple, status, created_at, "
    "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
    "?17, ?18, ?19, ?20, ?21, ?21) "
    "ON CONFLICT (entry_order_id) DO UPDATE SET exit_order_id = ?4, entry_fill_id = ?5, "
    "exit_fill_id = ?6, paper_trade_id = ?7, quantity = ?10, entry_ts = ?11, entry_price = ?12, "
    "exit_ts = ?13, exit_price = ?14, gross_pnl = ?15, fees = ?16, net_pnl = ?17, "
    "slippage = ?18, r_multiple = ?19, status = ?20, updated_at = ?21 "
    "WHERE exit_order_id IS NOT ?4 OR entry_fill_id IS NOT ?5 OR exit_fill_id IS NOT ?6 "
    "OR paper_trade_id IS NOT ?7 OR quantity IS NOT ?10 OR entry_ts IS NOT ?11 "
    "OR entry_price IS NOT ?12 OR exit_ts IS NOT ?13 OR exit_price IS NOT ?14 "
    "OR gross_pnl IS NOT ?15 OR fees IS NOT ?16 OR net_pnl IS NOT ?17 OR slippage IS NOT ?18 "
    "OR r_multiple IS NOT ?19 OR status IS NOT ?20", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, entry->instrument_id);
  bind_id_or_null (stmt, 2, entry->signal_id);
  sqlite3_bind_int64 (stmt, 3, entry->id);
  bind_id_or_null (stmt, 4, t->exit_order_id);
  bind_id_or_null (stmt, 5, t->entry_fill_id);
  bind_id_or_null (stmt, 6, t->exit_fill_id);
  bind_id_or_null (stmt, 7, paper_trade_id);
  sqlite3_bind_text (stmt, 8, mode, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, t->side > 0 ? "long" : "short", -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 10, t->quantity);
  sqlite3_bind_int64 (stmt, 11, t->entry_ts);
  sqlite3_bind_double (stmt, 12, t->entry_price);
  bind_int_or_null (stmt, 13, t->closed ? t->exit_ts : -1);
  hs_bind_double_or_null (stmt, 14, t->exit_price);
  hs_bind_double_or_null (stmt, 15, t->gross_pnl);
  sqlite3_bind_double (stmt, 16, t->fees);
  hs_bind_double_or_null (stmt, 17, t->net_pnl);
  hs_bind_double_or_null (stmt, 18, t->slippage);
  hs_bind_double_or_null (stmt, 19, t->r_multiple);
  sqlite3_bind_text (stmt, 20, t->closed ? "closed" : "open", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 21, now);
  return STEP_WRITE (stmt, existed, change, "writing a round trip");
}

void
hs_ledger_signal_row_free (HsLedgerSignalRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row->symbol);
  g_free (row->strategy);
  g_free (row->setup);
  g_free (row->signal_type);
  g_free (row->status);
  g_free (row->trade_status);
  g_free (row);
}

void
hs_ledger_risk_row_free (HsLedgerRiskRow *row)
{
  if (row == NULL)
    return;
  g_free (row->day);
  g_free (row->breach_flags);
  g_free (row);
}

/**
 * hs_store_ledger_list_signals:
 * @symbol: (nullable): only this symbol's
 *
 * Returns: (transfer full) (element-type HsLedgerSignalRow): the signals from @from_ts to
 *   @to_ts (inclusive) by time, with counts of their chain
 */
GPtrArray *
hs_store_ledger_list_signals (HsStore    *store,
                              const char *symbol,
                              int64_t     from_ts,
                              int64_t     to_ts,
                              GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_ledger_signal_row_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT s.id, s.ledger_key, i.symbol, s.ts, s.strategy_name, s.setup, s.signal_type, "
    "s.status, s.price, s.confidence, "
    "(SELECT count(*) FROM risk_vetoes v WHERE v.signal_id = s.id), "
    "(SELECT count(*) FROM orders o WHERE o.signal_id = s.id "
    "  OR o.parent_order_id IN (SELECT id FROM orders WHERE signal_id = s.id) "
    "  OR o.closes_order_id IN (SELECT id FROM orders WHERE signal_id = s.id)), "
    "(SELECT count(*) FROM fills f JOIN orders o ON o.id = f.order_id WHERE o.signal_id = s.id "
    "  OR o.parent_order_id IN (SELECT id FROM orders WHERE signal_id = s.id) "
    "  OR o.closes_order_id IN (SELECT id FROM orders WHERE signal_id = s.id)), "
    "(SELECT t.status FROM trade_ledger t WHERE t.signal_id = s.id ORDER BY t.id LIMIT 1), "
    "(SELECT sum(t.net_pnl) FROM trade_ledger t WHERE t.signal_id = s.id) "
    "FROM signals s JOIN instruments i ON i.id = s.instrument_id "
    "WHERE (?1 IS NULL OR i.symbol = ?1) AND s.ts BETWEEN ?2 AND ?3 ORDER BY s.ts, s.id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  hs_bind_text_or_null (stmt, 1, symbol);
  sqlite3_bind_int64 (stmt, 2, from_ts);
  sqlite3_bind_int64 (stmt, 3, to_ts);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsLedgerSignalRow *r = g_new0 (HsLedgerSignalRow, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->key = column_dup (stmt, 1);
      r->symbol = column_dup (stmt, 2);
      r->ts = sqlite3_column_int64 (stmt, 3);
      r->strategy = column_dup (stmt, 4);
      r->setup = column_dup (stmt, 5);
      r->signal_type = column_dup (stmt, 6);
      r->status = column_dup (stmt, 7);
      r->price = column_double_or_nan (stmt, 8);
      r->confidence = column_double_or_nan (stmt, 9);
      r->n_vetoes = sqlite3_column_int64 (stmt, 10);
      r->n_orders = sqlite3_column_int64 (stmt, 11);
      r->n_fills = sqlite3_column_int64 (stmt, 12);
      r->trade_status = column_dup (stmt, 13);
      r->net_pnl = column_double_or_nan (stmt, 14);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing signals");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_ledger_signal_json:
 *
 * One signal with its whole chain as a JSON object (docs/ledger.md, `ledger show --json`):
 * the signal's fields, "vetoes", "orders" (its orders, their bracket legs and the orders
 * closing them, each with its "fills") and "trades" (its trade_ledger_v rows). Times are
 * ISO-8601 UTC.
 *
 * Returns: (transfer full): the JSON text, or %NULL with %HS_STORE_ERROR_NOT_FOUND
 */
char *
hs_store_ledger_signal_json (HsStore *store,
                             int64_t  signal_id,
                             GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT json_object('id', s.id, 'key', s.ledger_key, 'symbol', i.symbol, "
    "'ts', " ISO ("s.ts") ", 'strategy', s.strategy_name, "
    "'strategy_version', s.strategy_version, 'setup', s.setup, 'signal_type', s.signal_type, "
    "'confidence', s.confidence, 'score', s.score, 'session', s.session, 'price', s.price, "
    "'status', s.status, 'reasons', json(s.reasons), 'warnings', json(s.warnings), "
    "'filters_passed', json(s.filters_passed), 'filters_blocked', json(s.filters_blocked), "
    "'vetoes', (SELECT json_group_array(json_object('rule', v.rule, 'reason', v.reason, "
    "  'ts', " ISO ("v.ts") ", 'details', json(v.details))) "
    "  FROM (SELECT * FROM risk_vetoes WHERE signal_id = s.id ORDER BY ts, rule) v), "
    "'orders', (SELECT json_group_array(json_object('id', o.id, "
    "  'client_order_id', o.client_order_id, 'leg', o.leg, "
    "  'parent', (SELECT client_order_id FROM orders WHERE id = o.parent_order_id), "
    "  'closes', (SELECT client_order_id FROM orders WHERE id = o.closes_order_id), "
    "  'ts', " ISO ("o.ts") ", 'side', o.side, 'order_type', o.type, 'qty', o.qty, "
    "  'limit_price', o.limit_price, 'stop_price', o.stop_price, "
    "  'reference_price', o.reference_price, 'status', o.status, 'mode', o.mode, "
    "  'broker', o.broker, 'payload', json(o.payload), "
    "  'fills', (SELECT json_group_array(json_object('fill_seq', f.fill_seq, "
    "    'ts', " ISO ("f.ts") ", 'price', f.price, 'qty', f.qty, 'fee', f.fee, "
    "    'reference_price', f.reference_price, 'slippage', f.slippage, "
    "    'latency_ms', f.latency_ms)) "
    "    FROM (SELECT * FROM fills WHERE order_id = o.id ORDER BY fill_seq) f))) "
    "  FROM (SELECT * FROM orders WHERE signal_id = s.id "
    "        OR parent_order_id IN (SELECT id FROM orders WHERE signal_id = s.id) "
    "        OR closes_order_id IN (SELECT id FROM orders WHERE signal_id = s.id) "
    "        ORDER BY ts, id) o), "
    "'trades', (SELECT json_group_array(json_object('id', t.ledger_id, 'status', t.status, "
    "  'side', t.side, 'quantity', t.quantity, 'entry_ts', " ISO ("t.entry_ts") ", "
    "  'entry_price', t.entry_price, 'entry_slippage', t.entry_slippage, "
    "  'entry_latency_ms', t.entry_latency_ms, 'exit_ts', " ISO ("t.exit_ts") ", "
    "  'exit_price', t.exit_price, 'exit_leg', t.exit_leg, 'exit_slippage', t.exit_slippage, "
    "  'exit_latency_ms', t.exit_latency_ms, 'gross_pnl', t.gross_pnl, 'fees', t.fees, "
    "  'net_pnl', t.net_pnl, 'slippage_cost', t.slippage_cost, 'r_multiple', t.r_multiple, "
    "  'paper_trade_id', t.paper_trade_id)) "
    "  FROM (SELECT * FROM trade_ledger_v WHERE signal_id = s.id ORDER BY ledger_id) t)) "
    "FROM signals s JOIN instruments i ON i.id = s.instrument_id WHERE s.id = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, signal_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return column_dup (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no signal %" G_GINT64_FORMAT,
                 signal_id);
  else
    hs_store_set_error (store, rc, error, "reading a signal");
  return NULL;
}

/**
 * hs_store_ledger_list_risk:
 *
 * Returns: (transfer full) (element-type HsLedgerRiskRow): every risk day by day, with the
 *   trade ledger's count and summed R of round trips entered that UTC day, to check the bot's
 *   roll-up against
 */
GPtrArray *
hs_store_ledger_list_risk (HsStore *store,
                           GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_ledger_risk_row_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT r.day, r.trades_taken, r.r_realized, r.max_drawdown, r.breach_flags, "
    "(SELECT count(*) FROM trade_ledger t "
    "  WHERE date(t.entry_ts / 1000000, 'unixepoch') = r.day), "
    "(SELECT total(t.r_multiple) FROM trade_ledger t "
    "  WHERE date(t.entry_ts / 1000000, 'unixepoch') = r.day) "
    "FROM risk_days r ORDER BY r.day", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsLedgerRiskRow *r = g_new0 (HsLedgerRiskRow, 1);

      r->day = column_dup (stmt, 0);
      r->trades_taken = sqlite3_column_int64 (stmt, 1);
      r->r_realized = sqlite3_column_double (stmt, 2);
      r->max_drawdown = sqlite3_column_double (stmt, 3);
      r->breach_flags = column_dup (stmt, 4);
      r->ledger_trades = sqlite3_column_int64 (stmt, 5);
      r->ledger_r = sqlite3_column_double (stmt, 6);
      g_ptr_array_add (out, r);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing risk days");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_ledger_recorded:
 * @strategy: (nullable): only signals of this strategy (and the orders of those signals, and
 *   orders without a signal)
 *
 * The recorded decisions of one instrument from @from_ts to @to_ts, for the replay: every
 * signal that is not NEUTRAL (a BUY or STRONG_BUY buys, a SELL or STRONG_SELL sells, at the
 * signal's price), and every order without a signal that is not a bracket leg, or is a bracket
 * leg that (partly) filled, at its fills' VWAP, else its reference or limit price. Orders of a
 * signal are that signal's decision and are not counted twice.
 *
 * Returns: (transfer full) (element-type HsLedgerDecision): in time order
 */
GArray *
hs_store_ledger_recorded (HsStore    *store,
                          int64_t     instrument_id,
                          int64_t     from_ts,
                          int64_t     to_ts,
                          const char *strategy,
                          GError    **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (HsLedgerDecision));
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT ts, side, price, id, what FROM ("
    " SELECT s.ts AS ts, CASE WHEN s.signal_type IN ('BUY', 'STRONG_BUY') THEN 1 ELSE -1 END "
    "   AS side, s.price AS price, s.id AS id, "
    "   'signal ' || s.signal_type || ' ' || ifnull(s.ledger_key, '#' || s.id) "
    "   || ' (' || s.status || ')' AS what "
    "  FROM signals s WHERE s.instrument_id = ?1 AND s.ts BETWEEN ?2 AND ?3 "
    "   AND s.signal_type <> 'NEUTRAL' AND (?4 IS NULL OR s.strategy_name = ?4) "
    " UNION ALL "
    " SELECT o.ts, CASE o.side WHEN 'buy' THEN 1 ELSE -1 END, "
    "   coalesce((SELECT sum(f.price * f.qty) / sum(f.qty) FROM fills f WHERE f.order_id = o.id), "
    "            o.reference_price, o.limit_price, o.stop_price), o.id, "
    "   'order ' || o.side || ' ' || o.client_order_id || ' (' || o.leg || ', ' || o.status || ')' "
    "  FROM orders o WHERE o.instrument_id = ?1 AND o.ts BETWEEN ?2 AND ?3 "
    "   AND o.signal_id IS NULL "
    "   AND (o.leg IN ('single', 'entry') "
    "        OR EXISTS (SELECT 1 FROM fills f WHERE f.order_id = o.id))"
    ") ORDER BY ts, id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  g_array_set_clear_func (out, (GDestroyNotify) hs_ledger_decision_clear);
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, from_ts);
  sqlite3_bind_int64 (stmt, 3, to_ts);
  hs_bind_text_or_null (stmt, 4, strategy);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsLedgerDecision d;

      d.ts = sqlite3_column_int64 (stmt, 0);
      d.side = (int) sqlite3_column_int64 (stmt, 1);
      d.price = column_double_or_nan (stmt, 2);
      d.id = sqlite3_column_int64 (stmt, 3);
      d.what = column_dup (stmt, 4);
      g_array_append_val (out, d);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading recorded decisions");
      return NULL;
    }
  return g_steal_pointer (&out);
}
