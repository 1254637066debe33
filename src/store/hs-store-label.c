/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The label job's SQL (docs/labels.md, "The job"): the work queue of closed trades to label in
 * paper_trades and backtest_trades, read in small batches by keyset (never OFFSET, so a run
 * visits each trade once however many rows other connections add meanwhile); the end of an
 * instrument's 1m bars; and the writes, each guarded so that a label lands only on a trade whose
 * label inputs (instrument, side, entry time and price, exit time, closed status) are still
 * those that were read.
 *
 * Load: the unlabeled queue of paper_trades walks its partial index idx_paper_trades_unlabeled
 * (only unlabeled closed trades, by exit time), so a nightly run over a million labeled trades
 * reads only the new ones; the other queues walk the entry-time index of their table once per
 * run (from --since on). A write is a
 * check and an UPDATE by primary key per trade, a batch in one short transaction.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-label.h"
#include "hs-store-private.h"

#include <math.h>

/* The unlabeled queue of paper_trades goes by exit time (the order of its partial index); the
 * others by entry time (idx_paper_trades_entry_ts, idx_backtest_trades_entry_ts), which starts
 * them at --since and keeps each batch's trades, and so its bar reads, close together. */
static gboolean
queue_by_exit (HsLabelTable         table,
               const HsLabelFilter *filter)
{
  return table == HS_LABEL_TABLE_PAPER && !filter->all;
}

/**
 * hs_label_cursor_init:
 *
 * Sets @cursor to the start of the queue of @table that @filter selects.
 */
void
hs_label_cursor_init (HsLabelCursor       *cursor,
                      HsLabelTable         table,
                      const HsLabelFilter *filter)
{
  g_return_if_fail (cursor != NULL && filter != NULL);

  cursor->ts = queue_by_exit (table, filter) ? G_MININT64 : filter->since;
  cursor->id = G_MININT64;
}

/**
 * hs_label_table_to_string:
 *
 * Returns: (transfer none): "paper" or "backtest"
 */
const char *
hs_label_table_to_string (HsLabelTable table)
{
  return table == HS_LABEL_TABLE_PAPER ? "paper" : "backtest";
}

/**
 * hs_store_label_check_run:
 *
 * Returns: %FALSE with @error set to %HS_STORE_ERROR_NOT_FOUND when there is no backtest run
 *   @run_id, or to another %HS_STORE_ERROR when reading fails
 */
gboolean
hs_store_label_check_run (HsStore *store,
                          int64_t  run_id,
                          GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT 1 FROM backtest_runs WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a backtest run");
  g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "no backtest run %" G_GINT64_FORMAT,
               run_id);
  return FALSE;
}

/* The queries by [table][all]. Each is its own literal: statements are cached by address. The
 * unary + in `+entry_ts >= ?` keeps SQLite off the entry-time indexes, which it would pick for
 * the unknown bound and then look up every row through, instead of the unlabeled partial index
 * or one pass over the table. */
static const char *const count_sql[2][2] = {
  [HS_LABEL_TABLE_PAPER] = {
    "SELECT count(*) FROM paper_trades WHERE labeled_at IS NULL "
    "AND status IN ('closed', 'stopped') AND +entry_ts >= ?1 "
    "AND (?2 = 0 OR backtest_run_id = ?2)",
    "SELECT count(*) FROM paper_trades WHERE status IN ('closed', 'stopped') "
    "AND +entry_ts >= ?1 AND (?2 = 0 OR backtest_run_id = ?2)",
  },
  [HS_LABEL_TABLE_BACKTEST] = {
    "SELECT count(*) FROM backtest_trades WHERE labeled_at IS NULL AND exit_ts IS NOT NULL "
    "AND +entry_ts >= ?1 AND (?2 = 0 OR run_id = ?2)",
    "SELECT count(*) FROM backtest_trades WHERE exit_ts IS NOT NULL "
    "AND +entry_ts >= ?1 AND (?2 = 0 OR run_id = ?2)",
  },
};

/* ?1, ?2 the cursor (exit_ts or entry_ts, id), ?3 since, ?4 run, ?5 limit. In entry order the
 * cursor starts at since, so ?3 is not needed there. */
static const char *const next_sql[2][2] = {
  [HS_LABEL_TABLE_PAPER] = {
    "SELECT id, instrument_id, side, entry_ts, entry_price, exit_ts, labeled_at IS NOT NULL "
    "FROM paper_trades WHERE labeled_at IS NULL AND status IN ('closed', 'stopped') "
    "AND (exit_ts, id) > (?1, ?2) AND +entry_ts >= ?3 AND (?4 = 0 OR backtest_run_id = ?4) "
    "ORDER BY exit_ts, id LIMIT ?5",
    "SELECT id, instrument_id, side, entry_ts, entry_price, exit_ts, labeled_at IS NOT NULL "
    "FROM paper_trades WHERE status IN ('closed', 'stopped') AND (entry_ts, id) > (?1, ?2) "
    "AND (?4 = 0 OR backtest_run_id = ?4) ORDER BY entry_ts, id LIMIT ?5",
  },
  [HS_LABEL_TABLE_BACKTEST] = {
    "SELECT id, ifnull(instrument_id, 0), side, entry_ts, entry_price, exit_ts, "
    "labeled_at IS NOT NULL FROM backtest_trades WHERE labeled_at IS NULL "
    "AND exit_ts IS NOT NULL AND (entry_ts, id) > (?1, ?2) AND (?4 = 0 OR run_id = ?4) "
    "ORDER BY entry_ts, id LIMIT ?5",
    "SELECT id, ifnull(instrument_id, 0), side, entry_ts, entry_price, exit_ts, "
    "labeled_at IS NOT NULL FROM backtest_trades WHERE exit_ts IS NOT NULL "
    "AND (entry_ts, id) > (?1, ?2) AND (?4 = 0 OR run_id = ?4) ORDER BY entry_ts, id LIMIT ?5",
  },
};

/**
 * hs_store_label_count:
 * @count: (out): the trades the queue holds now
 *
 * Counts the trades of @table that @filter selects: closed ones (paper: status closed or
 * stopped; backtest: with an exit), unlabeled ones unless @filter->all. For progress only: other
 * connections may add trades while a run goes on.
 */
gboolean
hs_store_label_count (HsStore             *store,
                      HsLabelTable         table,
                      const HsLabelFilter *filter,
                      int64_t             *count,
                      GError             **error)
{
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL && filter != NULL && count != NULL, FALSE);

  stmt = hs_store_prepare (store, count_sql[table][filter->all ? 1 : 0], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, filter->since);
  sqlite3_bind_int64 (stmt, 2, filter->run_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "counting trades to label");
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * hs_store_label_next:
 * @cursor: (inout): where the previous batch ended; moved past this one
 * @limit: the most rows to return, > 0
 *
 * Reads the next batch of the work queue hs_store_label_count() counts. A trade labeled or
 * skipped in this run is behind the cursor and is not read again; one that another connection
 * adds or changes meanwhile may or may not be.
 *
 * Returns: (transfer full) (element-type HsLabelRow): the rows, none at the end of the queue;
 *   %NULL with @error set on failure
 */
GArray *
hs_store_label_next (HsStore             *store,
                     HsLabelTable         table,
                     const HsLabelFilter *filter,
                     HsLabelCursor       *cursor,
                     guint                limit,
                     GError             **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (HsLabelRow));
  g_autoptr(HsStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (store != NULL && filter != NULL && cursor != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  stmt = hs_store_prepare (store, next_sql[table][filter->all ? 1 : 0], error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, cursor->ts);
  sqlite3_bind_int64 (stmt, 2, cursor->id);
  sqlite3_bind_int64 (stmt, 3, filter->since);
  sqlite3_bind_int64 (stmt, 4, filter->run_id);
  sqlite3_bind_int64 (stmt, 5, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsLabelRow row = { 0 };
      const char *side = (const char *) sqlite3_column_text (stmt, 2);

      row.table = table;
      row.id = sqlite3_column_int64 (stmt, 0);
      row.instrument_id = sqlite3_column_int64 (stmt, 1);
      row.side = g_strcmp0 (side, "short") == 0 ? -1 : 1;
      row.entry_ts = sqlite3_column_int64 (stmt, 3);
      row.entry_price = sqlite3_column_double (stmt, 4);
      row.exit_ts = sqlite3_column_int64 (stmt, 5);
      row.labeled = sqlite3_column_int (stmt, 6) != 0;
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "reading trades to label");
      return NULL;
    }
  if (rows->len > 0)
    {
      const HsLabelRow *last = &g_array_index (rows, HsLabelRow, rows->len - 1);

      cursor->ts = queue_by_exit (table, filter) ? last->exit_ts : last->entry_ts;
      cursor->id = last->id;
    }
  return g_steal_pointer (&rows);
}

/**
 * hs_store_label_data_end:
 * @data_end_ts: (out): the end of the instrument's last 1m bar (its start + 1 min), or
 *   G_MININT64 when it has none
 *
 * One seek to the end of the instrument's 1m bars in the candles primary key.
 */
gboolean
hs_store_label_data_end (HsStore *store,
                         int64_t  instrument_id,
                         int64_t *data_end_ts,
                         GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts FROM candles WHERE instrument_id = ? "
                                             "AND interval = '1m' ORDER BY ts DESC LIMIT 1",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *data_end_ts = sqlite3_column_int64 (stmt, 0) + HS_LABEL_BAR_US;
  else if (rc == SQLITE_DONE)
    *data_end_ts = G_MININT64;
  else
    return hs_store_set_error (store, rc, error, "reading the end of the 1m bars");
  return TRUE;
}

/* Does the trade still have the label inputs it was read with? ?1 id, ?2 instrument, ?3 side,
 * ?4 entry_ts, ?5 entry_price, ?6 exit_ts. updated_at is not compared: a tag or a note changes
 * it but not the labels, and writers outside the app need not maintain it. */
static const char *const guard_sql[2] = {
  [HS_LABEL_TABLE_PAPER] =
    "SELECT 1 FROM paper_trades WHERE id = ?1 AND instrument_id = ?2 AND side = ?3 "
    "AND entry_ts = ?4 AND entry_price = ?5 AND exit_ts = ?6 "
    "AND status IN ('closed', 'stopped')",
  [HS_LABEL_TABLE_BACKTEST] =
    "SELECT 1 FROM backtest_trades WHERE id = ?1 AND ifnull(instrument_id, 0) = ?2 "
    "AND side = ?3 AND entry_ts = ?4 AND entry_price = ?5 AND exit_ts = ?6",
};

/* Stores the labels ?2 … ?5 at ?6 unless they are stored already (then nothing changes, not
 * even labeled_at: a rerun of --all is a no-op). */
static const char *const labels_sql[2] = {
  [HS_LABEL_TABLE_PAPER] =
    "UPDATE paper_trades SET target_pnl_15m = ?2, target_pnl_1h = ?3, target_mfe_pct = ?4, "
    "target_mae_pct = ?5, labeled_at = ?6, label_error = NULL WHERE id = ?1 "
    "AND (labeled_at IS NULL OR label_error IS NOT NULL OR target_pnl_15m IS NOT ?2 "
    "OR target_pnl_1h IS NOT ?3 OR target_mfe_pct IS NOT ?4 OR target_mae_pct IS NOT ?5)",
  [HS_LABEL_TABLE_BACKTEST] =
    "UPDATE backtest_trades SET target_pnl_15m = ?2, target_pnl_1h = ?3, target_mfe_pct = ?4, "
    "target_mae_pct = ?5, labeled_at = ?6, label_error = NULL WHERE id = ?1 "
    "AND (labeled_at IS NULL OR label_error IS NOT NULL OR target_pnl_15m IS NOT ?2 "
    "OR target_pnl_1h IS NOT ?3 OR target_mfe_pct IS NOT ?4 OR target_mae_pct IS NOT ?5)",
};

/* Records why an unlabeled trade stays so; a labeled trade keeps its labels. */
static const char *const reason_sql[2] = {
  [HS_LABEL_TABLE_PAPER] =
    "UPDATE paper_trades SET label_error = ?2 WHERE id = ?1 AND labeled_at IS NULL "
    "AND label_error IS NOT ?2",
  [HS_LABEL_TABLE_BACKTEST] =
    "UPDATE backtest_trades SET label_error = ?2 WHERE id = ?1 AND labeled_at IS NULL "
    "AND label_error IS NOT ?2",
};

static gboolean
write_one (HsStore             *store,
           const HsLabelRow    *row,
           const HsLabel       *label,
           int64_t              labeled_at,
           HsLabelWriteOutcome *outcome,
           GError             **error)
{
  g_autoptr(HsStmt) guard = hs_store_prepare (store, guard_sql[row->table], error);
  g_autoptr(HsStmt) update = NULL;
  g_autofree char *reason = NULL;
  int rc;

  if (guard == NULL)
    return FALSE;
  sqlite3_bind_int64 (guard, 1, row->id);
  sqlite3_bind_int64 (guard, 2, row->instrument_id);
  sqlite3_bind_text (guard, 3, row->side < 0 ? "short" : "long", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (guard, 4, row->entry_ts);
  sqlite3_bind_double (guard, 5, row->entry_price);
  sqlite3_bind_int64 (guard, 6, row->exit_ts);
  rc = sqlite3_step (guard);
  if (rc == SQLITE_DONE)
    {
      *outcome = HS_LABEL_WRITE_CONFLICT;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "checking a trade before labeling it");

  if (label->status == HS_LABEL_OK)
    {
      update = hs_store_prepare (store, labels_sql[row->table], error);
      if (update == NULL)
        return FALSE;
      sqlite3_bind_int64 (update, 1, row->id);
      sqlite3_bind_double (update, 2, label->pnl_15m);
      sqlite3_bind_double (update, 3, label->pnl_1h);
      sqlite3_bind_double (update, 4, label->mfe_pct);
      sqlite3_bind_double (update, 5, label->mae_pct);
      sqlite3_bind_int64 (update, 6, labeled_at);
    }
  else
    {
      update = hs_store_prepare (store, reason_sql[row->table], error);
      if (update == NULL)
        return FALSE;
      reason = hs_label_describe (label);
      sqlite3_bind_int64 (update, 1, row->id);
      sqlite3_bind_text (update, 2, reason, -1, SQLITE_STATIC);
    }
  rc = sqlite3_step (update);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "writing labels");
  if (label->status != HS_LABEL_OK)
    *outcome = HS_LABEL_WRITE_SKIPPED;
  else if (sqlite3_changes (hs_store_get_db (store)) > 0)
    *outcome = HS_LABEL_WRITE_WRITTEN;
  else
    *outcome = HS_LABEL_WRITE_UNCHANGED;
  return TRUE;
}

/**
 * hs_store_label_write:
 * @rows: (array length=n): trades as hs_store_label_next() read them
 * @labels: (array length=n): their labels from hs_label_compute() (or a status set with
 *   hs_label_set_status())
 * @labeled_at: the time to store in labeled_at (µs)
 * @outcomes: (out caller-allocates) (array length=n): what happened to each trade
 *
 * Writes a batch in one transaction (or in the caller's). For each trade whose label inputs are
 * unchanged since it was read: the labels with @labeled_at and no label_error, unless exactly
 * these labels are stored already; or, for a trade without labels, hs_label_describe() in
 * label_error. A trade that changed or was deleted meanwhile is left alone (CONFLICT).
 *
 * Returns: %FALSE with @error set when SQLite fails; nothing of the batch is written then
 */
gboolean
hs_store_label_write (HsStore             *store,
                      const HsLabelRow    *rows,
                      const HsLabel       *labels,
                      size_t               n,
                      int64_t              labeled_at,
                      HsLabelWriteOutcome *outcomes,
                      GError             **error)
{
  gboolean own = FALSE, ok = TRUE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (n == 0 || (rows != NULL && labels != NULL && outcomes != NULL), FALSE);

  if (n == 0)
    return TRUE;
  if (!hs_store_write_begin (store, &own, error))
    return FALSE;
  for (size_t i = 0; ok && i < n; i++)
    ok = write_one (store, &rows[i], &labels[i], labeled_at, &outcomes[i], error);
  if (!ok)
    g_prefix_error (error, "labeling trades: ");
  return hs_store_write_end (store, own, ok, error);
}
