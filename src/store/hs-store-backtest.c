/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backtest runs in the store: a run's request, metadata and every statistic (one column each)
 * in backtest_runs, its trades in backtest_trades and its equity curve (one point per bar) in
 * backtest_equity_chunks, written in one transaction; the cache lookup by key; loading a run
 * back; listing and deleting runs. A curve is stored as chunks of up to EQUITY_CHUNK points, each
 * column one packed little-endian array (migrations/009): a million points are 123 rows, written
 * at disk speed. Runs stored before that migration keep their rows in backtest_equity, which
 * load_equity() reads when a run has no chunks. A cache lookup is one probe of a unique index.
 *
 * Cache hits. An identical request (same cache key: inputs, strategy version and data
 * fingerprint) is answered from the computed run without recomputing, and recorded as a row of
 * its own: a copy of the computed run's row with cache_hit = 1 and the hit's own timing, so the
 * history shows every request and how fast it was answered. That is the shape the schema was
 * made for: the partial unique index idx_backtest_runs_cache_key_completed holds only computed
 * rows (status 'completed', cache_hit 0), so hit rows may repeat a key, and the comparison view
 * leaves them out. A hit row's trades and equity are not copied; loading it reads those of the
 * computed run with its key (HsBtRunInfo.source_run_id). Deleting a computed run deletes the
 * hit rows that repeat it.
 *
 * Units are as docs/schema.md: statistics are fractions, money in the account currency, trade
 * pnl net of fees, *_pct in percent. NAN doubles and negative counts are stored as NULL and
 * read back as NAN and −1.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-backtest.h"
#include "hs-store-private.h"

#include <math.h>
#include <string.h>

#include "hs-time.h"

/* The other columns, in this order in every statement (positions INFO_* below). */
static const char *const info_cols[] = {
  "batch_id", "strategy_name", "strategy_version", "instrument_id", "symbol", "interval",
  "start_ts", "end_ts", "initial_cash", "parameters", "profile", "fee_model", "slippage_model",
  "sizing_model", "benchmark", "pivot_bars", "lower_timeframe", "cache_key", "data_fingerprint",
  "execution_time_ms", "result_path", "status", "error_message", "cache_hit", "started_at",
  "finished_at", "created_at",
};

enum
{
  INFO_BATCH, INFO_STRATEGY, INFO_VERSION, INFO_INSTRUMENT, INFO_SYMBOL, INFO_INTERVAL,
  INFO_START, INFO_END, INFO_CASH, INFO_PARAMS, INFO_PROFILE, INFO_FEE, INFO_SLIPPAGE,
  INFO_SIZING, INFO_BENCHMARK, INFO_PIVOT, INFO_LOWER_TF, INFO_CACHE_KEY, INFO_FINGERPRINT,
  INFO_EXEC_MS, INFO_RESULT_PATH, INFO_STATUS, INFO_ERROR, INFO_CACHE_HIT, INFO_STARTED,
  INFO_FINISHED, INFO_CREATED, N_INFO,
};

G_STATIC_ASSERT (G_N_ELEMENTS (info_cols) == N_INFO);

/* The statistics columns (hs_bt_statistic_columns()) follow the info columns. */
static const HsBtColumn *
stat_columns (size_t *n)
{
  return hs_bt_statistic_columns (n);
}

/* Points per row of backtest_equity_chunks (its CHECK allows up to 8,192). */
#define EQUITY_CHUNK 8192

typedef struct
{
  char *insert;        /* INSERT of a run */
  char *select_one;    /* a run by id */
  char *select_list;   /* runs by filter */
  char *copy_hit;      /* INSERT … SELECT of a cache-hit row */
} Sql;

/* The statements over every column, built once from the tables above; their addresses are
 * the prepared-statement cache keys. */
static const Sql *
sql (void)
{
  static Sql *s;

  if (g_once_init_enter (&s))
    {
      Sql *n = g_new0 (Sql, 1);
      GString *cols = g_string_new (NULL), *rcols = g_string_new (NULL);
      GString *marks = g_string_new (NULL), *copy = g_string_new (NULL);
      const char *from = " FROM backtest_runs r LEFT JOIN instruments i ON i.id = r.instrument_id";
      size_t n_stats = 0;
      const HsBtColumn *stats = stat_columns (&n_stats);

      for (size_t i = 0; i < N_INFO + n_stats; i++)
        {
          const char *name = i < N_INFO ? info_cols[i] : stats[i - N_INFO].name;

          g_string_append_printf (cols, "%s%s", i ? ", " : "", name);
          g_string_append_printf (rcols, ", r.%s", name);
          g_string_append (marks, i ? ", ?" : "?");
          /* A hit row: cache_hit 1 and its own timing; everything else as the computed run. */
          if (i == INFO_CACHE_HIT)
            g_string_append (copy, ", 1");
          else if (i == INFO_STARTED)
            g_string_append (copy, ", ?2");
          else if (i == INFO_FINISHED)
            g_string_append (copy, ", ?3");
          else if (i == INFO_EXEC_MS)
            g_string_append (copy, ", ?4");
          else if (i == INFO_CREATED)
            g_string_append (copy, ", ?5");
          else if (i == INFO_BATCH || i == INFO_RESULT_PATH)
            g_string_append (copy, ", NULL");
          else
            g_string_append_printf (copy, ", %s", name);
        }
      n->insert = g_strdup_printf ("INSERT INTO backtest_runs (%s) VALUES (%s)", cols->str,
                                   marks->str);
      n->select_one = g_strdup_printf ("SELECT r.id%s, i.exchange%s WHERE r.id = ?", rcols->str,
                                       from);
      n->select_list = g_strdup_printf ("SELECT r.id%s, i.exchange%s"
                                        " WHERE (?1 IS NULL OR r.strategy_name = ?1)"
                                        " AND (?2 IS NULL OR r.symbol = ?2)"
                                        " AND r.end_ts >= ?3 AND r.start_ts <= ?4"
                                        " ORDER BY r.id DESC LIMIT ?5", rcols->str, from);
      n->copy_hit = g_strdup_printf ("INSERT INTO backtest_runs (%s) SELECT %s FROM "
                                     "backtest_runs WHERE id = ?1", cols->str, copy->str + 2);
      g_string_free (cols, TRUE);
      g_string_free (rcols, TRUE);
      g_string_free (marks, TRUE);
      g_string_free (copy, TRUE);
      g_once_init_leave (&s, n);
    }
  return s;
}

void
hs_bt_run_filter_init (HsBtRunFilter *filter)
{
  filter->strategy = NULL;
  filter->symbol = NULL;
  filter->from_ts = G_MININT64;
  filter->to_ts = G_MAXINT64;
  filter->limit = 0;
}

void
hs_bt_run_row_free (HsBtRunRow *row)
{
  if (row == NULL)
    return;
  hs_bt_run_info_free (row->info);
  hs_bt_result_free (row->result);
  g_free (row);
}

/* Transactions that nest: a SAVEPOINT inside the caller's transaction, else BEGIN IMMEDIATE. */
static gboolean
tx_begin (HsStore  *store,
          gboolean *nested,
          GError  **error)
{
  *nested = !sqlite3_get_autocommit (hs_store_get_db (store));
  return hs_store_exec (store, *nested ? "SAVEPOINT hs_backtest" : "BEGIN IMMEDIATE", error);
}

static gboolean
tx_commit (HsStore  *store,
           gboolean  nested,
           GError  **error)
{
  return hs_store_exec (store, nested ? "RELEASE hs_backtest" : "COMMIT", error);
}

static void
tx_rollback (HsStore  *store,
             gboolean  nested)
{
  if (nested)
    sqlite3_exec (hs_store_get_db (store), "ROLLBACK TO hs_backtest; RELEASE hs_backtest",
                  NULL, NULL, NULL);
  else
    hs_store_rollback (store);
}

static void
bind_int_or_null (sqlite3_stmt *stmt,
                  int           col,
                  int64_t       v,
                  int64_t       null_below)
{
  if (v < null_below)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, v);
}

/* Binds the statistics of @result from parameter @first on (NULL for undefined values). */
static void
bind_stats (sqlite3_stmt     *stmt,
            int               first,
            const HsBtResult *result)
{
  size_t n = 0;
  const HsBtColumn *cols = stat_columns (&n);

  for (size_t i = 0; i < n; i++)
    {
      const char *p = (const char *) result + cols[i].offset;
      int col = first + (int) i;

      switch (cols[i].type)
        {
        case HS_BT_COLUMN_DOUBLE:
          hs_bind_double_or_null (stmt, col, *(const double *) p);
          break;
        case HS_BT_COLUMN_INT:
          bind_int_or_null (stmt, col, *(const int64_t *) p, 0);
          break;
        case HS_BT_COLUMN_TEXT:
        default:
          hs_bind_text_or_null (stmt, col, *(char * const *) p);
          break;
        }
    }
}

/* Reads the statistics into @result from column @first on. */
static void
read_stats (sqlite3_stmt *stmt,
            int           first,
            HsBtResult   *result)
{
  size_t n = 0;
  const HsBtColumn *cols = stat_columns (&n);

  for (size_t i = 0; i < n; i++)
    {
      char *p = (char *) result + cols[i].offset;
      int col = first + (int) i;
      gboolean null = sqlite3_column_type (stmt, col) == SQLITE_NULL;

      switch (cols[i].type)
        {
        case HS_BT_COLUMN_DOUBLE:
          *(double *) p = null ? NAN : sqlite3_column_double (stmt, col);
          break;
        case HS_BT_COLUMN_INT:
          *(int64_t *) p = null ? -1 : sqlite3_column_int64 (stmt, col);
          break;
        case HS_BT_COLUMN_TEXT:
        default:
          g_free (*(char **) p);
          *(char **) p = g_strdup ((const char *) sqlite3_column_text (stmt, col));
          break;
        }
    }
}

static gboolean
insert_run (HsStore           *store,
            const HsBtRunInfo *info,
            const HsBtResult  *result,
            int64_t           *id,
            GError           **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, sql ()->insert, error);
  g_autofree char *params = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  params = hs_bt_params_to_json (info->params);
  hs_bind_text_or_null (stmt, 1 + INFO_BATCH, info->batch_id);
  hs_bind_text_or_null (stmt, 1 + INFO_STRATEGY, info->strategy_name);
  hs_bind_text_or_null (stmt, 1 + INFO_VERSION,
                        info->strategy_version ? info->strategy_version : "");
  bind_int_or_null (stmt, 1 + INFO_INSTRUMENT, info->instrument_id, 1);
  hs_bind_text_or_null (stmt, 1 + INFO_SYMBOL, info->symbol);
  hs_bind_text_or_null (stmt, 1 + INFO_INTERVAL, info->interval);
  sqlite3_bind_int64 (stmt, 1 + INFO_START, info->start_ts);
  sqlite3_bind_int64 (stmt, 1 + INFO_END, info->end_ts);
  hs_bind_double_or_null (stmt, 1 + INFO_CASH, info->initial_cash);
  sqlite3_bind_text (stmt, 1 + INFO_PARAMS, params, -1, SQLITE_TRANSIENT);
  hs_bind_text_or_null (stmt, 1 + INFO_PROFILE, info->profile ? info->profile : "default");
  hs_bind_text_or_null (stmt, 1 + INFO_FEE, info->fee_model);
  hs_bind_text_or_null (stmt, 1 + INFO_SLIPPAGE, info->slippage_model);
  hs_bind_text_or_null (stmt, 1 + INFO_SIZING, info->sizing_model);
  hs_bind_text_or_null (stmt, 1 + INFO_BENCHMARK, info->benchmark);
  bind_int_or_null (stmt, 1 + INFO_PIVOT, info->pivot_bars, 1);
  hs_bind_text_or_null (stmt, 1 + INFO_LOWER_TF, info->lower_timeframe);
  hs_bind_text_or_null (stmt, 1 + INFO_CACHE_KEY, info->cache_key);
  hs_bind_text_or_null (stmt, 1 + INFO_FINGERPRINT, info->data_fingerprint);
  bind_int_or_null (stmt, 1 + INFO_EXEC_MS, info->execution_time_ms, 0);
  hs_bind_text_or_null (stmt, 1 + INFO_RESULT_PATH, info->result_path);
  hs_bind_text_or_null (stmt, 1 + INFO_STATUS, info->status ? info->status : "completed");
  hs_bind_text_or_null (stmt, 1 + INFO_ERROR, info->error_message);
  /* This function stores computed runs; hs_store_record_cache_hit() writes hit rows. */
  sqlite3_bind_int (stmt, 1 + INFO_CACHE_HIT, 0);
  bind_int_or_null (stmt, 1 + INFO_STARTED, info->started_at, 1);
  bind_int_or_null (stmt, 1 + INFO_FINISHED, info->finished_at, 1);
  sqlite3_bind_int64 (stmt, 1 + INFO_CREATED,
                      info->created_at != 0 ? info->created_at : hs_time_now_us ());
  if (result != NULL)
    {
      /* A shallow copy, never freed: the engine counts orders in the result too, and the
       * statistic wins when both are set. */
      HsBtResult r = *result;

      if (r.stats.total_orders < 0)
        r.stats.total_orders = result->total_orders;
      bind_stats (stmt, 1 + N_INFO, &r);
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "saving a backtest run");
  *id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  return TRUE;
}

static gboolean
insert_trades (HsStore          *store,
               int64_t           run_id,
               int64_t           instrument_id,
               const HsBtResult *result,
               GError          **error)
{
  g_autoptr(HsStmt) stmt = NULL;

  if (result->trades == NULL || result->trades->len == 0)
    return TRUE;
  stmt = hs_store_prepare (store,
                           "INSERT INTO backtest_trades (run_id, trade_no, instrument_id, side, "
                           "quantity, entry_ts, entry_price, exit_ts, exit_price, pnl, pnl_pct, "
                           "fees, mfe_pct, mae_pct, bars_held, exit_reason, entry_snapshot_id, "
                           "exit_snapshot_id, signal_metadata) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < result->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (result->trades, HsBtTrade, i);
      gboolean open = isnan (t->exit_price);
      int rc;

      sqlite3_bind_int64 (stmt, 1, run_id);
      sqlite3_bind_int64 (stmt, 2, (int64_t) i + 1);
      bind_int_or_null (stmt, 3, instrument_id, 1);
      sqlite3_bind_text (stmt, 4, t->side < 0 ? "short" : "long", -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 5, t->quantity);
      sqlite3_bind_int64 (stmt, 6, t->entry_ts);
      sqlite3_bind_double (stmt, 7, t->entry_price);
      if (!open)
        {
          sqlite3_bind_int64 (stmt, 8, t->exit_ts);
          sqlite3_bind_double (stmt, 9, t->exit_price);
        }
      hs_bind_double_or_null (stmt, 10, t->pnl);
      hs_bind_double_or_null (stmt, 11, t->pnl_pct);
      sqlite3_bind_double (stmt, 12, isnan (t->fees) ? 0.0 : t->fees);
      hs_bind_double_or_null (stmt, 13, t->mfe_pct);
      hs_bind_double_or_null (stmt, 14, t->mae_pct);
      bind_int_or_null (stmt, 15, t->bars_held, 0);
      hs_bind_text_or_null (stmt, 16, hs_exit_reason_name (t->exit_reason));
      bind_int_or_null (stmt, 17, t->entry_snapshot_id, 1);
      bind_int_or_null (stmt, 18, t->exit_snapshot_id, 1);
      hs_bind_text_or_null (stmt, 19, t->signal_json);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          hs_store_set_error (store, rc, error, NULL);
          g_prefix_error (error, "saving trade %u of a backtest run: ", i + 1);
          return FALSE;
        }
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  return TRUE;
}

/* Binds @n 8-byte values (int64 or double) as a little-endian BLOB, or NULL when @values is. On
 * a little-endian host the bytes are bound where they are; otherwise each value is swapped into
 * @scratch (room for EQUITY_CHUNK values), which SQLite copies. */
static void
bind_packed (sqlite3_stmt *stmt,
             int           col,
             const void   *values,
             size_t        n,
             guint64      *scratch)
{
  if (values == NULL)
    {
      sqlite3_bind_null (stmt, col);
      return;
    }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  (void) scratch;
  sqlite3_bind_blob64 (stmt, col, values, n * 8, SQLITE_STATIC);
#else
  for (size_t i = 0; i < n; i++)
    {
      guint64 v;

      memcpy (&v, (const char *) values + i * 8, 8);
      scratch[i] = GUINT64_TO_LE (v);
    }
  sqlite3_bind_blob64 (stmt, col, scratch, n * 8, SQLITE_TRANSIENT);
#endif
}

static const double *
offset_or_null (const double *column,
                size_t        first)
{
  return column != NULL ? column + first : NULL;
}

static gboolean
insert_equity (HsStore          *store,
               int64_t           run_id,
               const HsBtResult *result,
               GError          **error)
{
  g_autofree guint64 *scratch = NULL;

#if G_BYTE_ORDER != G_LITTLE_ENDIAN
  scratch = g_new (guint64, EQUITY_CHUNK);
#endif
  for (size_t first = 0, chunk = 0; first < result->n; first += EQUITY_CHUNK, chunk++)
    {
      g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                                 "INSERT INTO backtest_equity_chunks (run_id, "
                                                 "chunk_no, first_index, n_points, first_ts, "
                                                 "last_ts, ts, equity, cash, holdings, drawdown, "
                                                 "benchmark) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                                 error);
      size_t n = MIN ((size_t) EQUITY_CHUNK, result->n - first);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run_id);
      sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) chunk);
      sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) first);
      sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) n);
      sqlite3_bind_int64 (stmt, 5, result->ts[first]);
      sqlite3_bind_int64 (stmt, 6, result->ts[first + n - 1]);
      bind_packed (stmt, 7, result->ts + first, n, scratch);
      bind_packed (stmt, 8, result->equity + first, n, scratch);
      bind_packed (stmt, 9, offset_or_null (result->cash, first), n, scratch);
      bind_packed (stmt, 10, offset_or_null (result->holdings, first), n, scratch);
      bind_packed (stmt, 11, offset_or_null (result->drawdown, first), n, scratch);
      bind_packed (stmt, 12, offset_or_null (result->benchmark, first), n, scratch);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return hs_store_set_error (store, rc, error, "saving a backtest equity curve");
    }
  return TRUE;
}

/**
 * hs_store_save_backtest:
 * @info: the request and metadata; @info->status "failed" with @info->error_message for a run
 *   that failed, "completed" (or NULL) for a computed one. @info->id and @info->cache_hit are
 *   ignored: this stores a computed (or failed) run; cache hits go through
 *   hs_store_record_cache_hit().
 * @result: (nullable): the statistics, trades and equity curve; %NULL for a failed run, whose
 *   statistics stay NULL
 * @id: (out): the new backtest_runs.id
 *
 * Writes the run, its trades (trade_no 1, 2… in @result's order) and its equity points in one
 * transaction (a savepoint when the caller has one open): all of it or nothing. A second
 * completed run with the same cache key breaks the unique index and fails with
 * %HS_STORE_ERROR_CONSTRAINT; look it up with hs_store_find_cached_backtest() first.
 */
gboolean
hs_store_save_backtest (HsStore           *store,
                        const HsBtRunInfo *info,
                        const HsBtResult  *result,
                        int64_t           *id,
                        GError           **error)
{
  gboolean nested = FALSE;
  int64_t run_id = 0;

  g_return_val_if_fail (store != NULL && info != NULL && id != NULL, FALSE);
  g_return_val_if_fail (info->strategy_name != NULL && info->symbol != NULL
                        && info->interval != NULL, FALSE);

  if (!tx_begin (store, &nested, error))
    return FALSE;
  if (!insert_run (store, info, result, &run_id, error)
      || (result != NULL && !insert_trades (store, run_id, info->instrument_id, result, error))
      || (result != NULL && !insert_equity (store, run_id, result, error))
      || !tx_commit (store, nested, error))
    {
      tx_rollback (store, nested);
      return FALSE;
    }
  *id = run_id;
  return TRUE;
}

/**
 * hs_store_find_cached_backtest:
 * @id: (out): the computed, completed run with @cache_key, or 0 when there is none
 *
 * The cache lookup: only computed runs (status 'completed', cache_hit 0) answer, through the
 * partial unique index on cache_key. A miss is not an error.
 *
 * Returns: %FALSE only on a database error
 */
gboolean
hs_store_find_cached_backtest (HsStore    *store,
                               const char *cache_key,
                               int64_t    *id,
                               GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT id FROM backtest_runs WHERE cache_key = ? "
                                             "AND status = 'completed' AND cache_hit = 0", error);
  int rc;

  g_return_val_if_fail (cache_key != NULL && id != NULL, FALSE);
  *id = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cache_key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "looking up a cached backtest");
  return TRUE;
}

/**
 * hs_store_record_cache_hit:
 * @source_id: the computed run hs_store_find_cached_backtest() returned
 * @started_at: when the request started (µs UTC; 0 for now)
 * @finished_at: when it was answered (0 for now)
 * @execution_time_ms: how long answering took (−1 unknown)
 * @hit_id: (out): the new row
 *
 * Records a request answered from the cache: a new backtest_runs row that repeats the computed
 * run's request and statistics, with cache_hit = 1 and its own timing. Its trades and equity
 * curve are the computed run's (see hs_store_load_backtest()).
 */
gboolean
hs_store_record_cache_hit (HsStore *store,
                           int64_t  source_id,
                           int64_t  started_at,
                           int64_t  finished_at,
                           int64_t  execution_time_ms,
                           int64_t *hit_id,
                           GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, sql ()->copy_hit, error);
  int64_t now = hs_time_now_us ();
  int rc;

  g_return_val_if_fail (hit_id != NULL, FALSE);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  sqlite3_bind_int64 (stmt, 2, started_at != 0 ? started_at : now);
  sqlite3_bind_int64 (stmt, 3, finished_at != 0 ? finished_at : now);
  bind_int_or_null (stmt, 4, execution_time_ms, 0);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "recording a cache hit");
  if (sqlite3_changes (hs_store_get_db (store)) == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no backtest run %" G_GINT64_FORMAT, source_id);
      return FALSE;
    }
  *hit_id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static int64_t
column_int_or (sqlite3_stmt *stmt,
               int           col,
               int64_t       null_value)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return null_value;
  return sqlite3_column_int64 (stmt, col);
}

/* The parameters JSON object back into HsBtParam entries, with SQLite's json_each. */
static gboolean
read_params (HsStore     *store,
             const char  *json,
             HsBtRunInfo *info,
             GError     **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store, "SELECT key, type, value FROM json_each(?)",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *type = (const char *) sqlite3_column_text (stmt, 1);

      if (g_str_equal (type, "integer") || g_str_equal (type, "real"))
        hs_bt_run_info_set_number (info, name, sqlite3_column_double (stmt, 2));
      else if (g_str_equal (type, "true") || g_str_equal (type, "false"))
        hs_bt_run_info_set_bool (info, name, g_str_equal (type, "true"));
      else if (g_str_equal (type, "text"))
        hs_bt_run_info_set_string (info, name, (const char *) sqlite3_column_text (stmt, 2));
      else if (g_str_equal (type, "null"))
        hs_bt_run_info_set_json (info, name, "null");
      else
        hs_bt_run_info_set_json (info, name, (const char *) sqlite3_column_text (stmt, 2));
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading backtest parameters");
  return TRUE;
}

/* A row of select_one / select_list into a new info and statistics-only result. */
static gboolean
read_run_row (HsStore      *store,
              sqlite3_stmt *stmt,
              HsBtRunInfo **out_info,
              HsBtResult  **out_result,
              GError      **error)
{
  g_autoptr(HsBtRunInfo) info = hs_bt_run_info_new ();
  g_autoptr(HsBtResult) result = hs_bt_result_new_empty (0);
  g_autofree char *params = NULL;
  size_t n_stats = 0;
  int c = 1;   /* column of info_cols[0] */

  info->id = sqlite3_column_int64 (stmt, 0);
  info->batch_id = column_dup (stmt, c + INFO_BATCH);
  info->strategy_name = column_dup (stmt, c + INFO_STRATEGY);
  info->strategy_version = column_dup (stmt, c + INFO_VERSION);
  info->instrument_id = column_int_or (stmt, c + INFO_INSTRUMENT, 0);
  info->symbol = column_dup (stmt, c + INFO_SYMBOL);
  info->interval = column_dup (stmt, c + INFO_INTERVAL);
  info->start_ts = sqlite3_column_int64 (stmt, c + INFO_START);
  info->end_ts = sqlite3_column_int64 (stmt, c + INFO_END);
  info->initial_cash = sqlite3_column_double (stmt, c + INFO_CASH);
  params = column_dup (stmt, c + INFO_PARAMS);
  g_free (info->profile);
  info->profile = column_dup (stmt, c + INFO_PROFILE);
  info->fee_model = column_dup (stmt, c + INFO_FEE);
  info->slippage_model = column_dup (stmt, c + INFO_SLIPPAGE);
  info->sizing_model = column_dup (stmt, c + INFO_SIZING);
  info->benchmark = column_dup (stmt, c + INFO_BENCHMARK);
  info->pivot_bars = column_int_or (stmt, c + INFO_PIVOT, 0);
  info->lower_timeframe = column_dup (stmt, c + INFO_LOWER_TF);
  info->cache_key = column_dup (stmt, c + INFO_CACHE_KEY);
  info->data_fingerprint = column_dup (stmt, c + INFO_FINGERPRINT);
  info->execution_time_ms = column_int_or (stmt, c + INFO_EXEC_MS, -1);
  info->result_path = column_dup (stmt, c + INFO_RESULT_PATH);
  g_free (info->status);
  info->status = column_dup (stmt, c + INFO_STATUS);
  info->error_message = column_dup (stmt, c + INFO_ERROR);
  info->cache_hit = sqlite3_column_int (stmt, c + INFO_CACHE_HIT);
  info->started_at = column_int_or (stmt, c + INFO_STARTED, 0);
  info->finished_at = column_int_or (stmt, c + INFO_FINISHED, 0);
  info->created_at = sqlite3_column_int64 (stmt, c + INFO_CREATED);
  read_stats (stmt, c + N_INFO, result);
  result->total_orders = result->stats.total_orders;
  hs_bt_statistic_columns (&n_stats);
  info->exchange = column_dup (stmt, c + N_INFO + (int) n_stats);
  /* The statement stays on its row while the parameters are read with another one. */
  if (params != NULL && !read_params (store, params, info, error))
    return FALSE;
  *out_info = g_steal_pointer (&info);
  *out_result = g_steal_pointer (&result);
  return TRUE;
}

/* The computed run whose trades and equity a row shows: itself, or for a hit row the
 * computed run with its key (0 when that was deleted). */
static gboolean
resolve_source (HsStore     *store,
                HsBtRunInfo *info,
                GError     **error)
{
  if (!info->cache_hit)
    {
      info->source_run_id = info->id;
      return TRUE;
    }
  return hs_store_find_cached_backtest (store, info->cache_key, &info->source_run_id, error);
}

static gboolean
load_trades (HsStore    *store,
             int64_t     run_id,
             HsBtResult *result,
             GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT side, quantity, entry_ts, entry_price, "
                                             "exit_ts, exit_price, pnl, pnl_pct, fees, mfe_pct, "
                                             "mae_pct, bars_held, exit_reason, "
                                             "entry_snapshot_id, exit_snapshot_id, "
                                             "signal_metadata FROM backtest_trades "
                                             "WHERE run_id = ? ORDER BY trade_no", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsBtTrade t = { 0 };

      t.side = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "short") == 0 ? -1 : 1;
      t.quantity = sqlite3_column_double (stmt, 1);
      t.entry_ts = sqlite3_column_int64 (stmt, 2);
      t.entry_price = sqlite3_column_double (stmt, 3);
      t.exit_ts = column_int_or (stmt, 4, 0);
      t.exit_price = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                     ? NAN : sqlite3_column_double (stmt, 5);
      for (int k = 6; k <= 10; k++)
        {
          double v = sqlite3_column_type (stmt, k) == SQLITE_NULL
                     ? NAN : sqlite3_column_double (stmt, k);

          switch (k)
            {
            case 6: t.pnl = v; break;
            case 7: t.pnl_pct = v; break;
            case 8: t.fees = v; break;
            case 9: t.mfe_pct = v; break;
            default: t.mae_pct = v; break;
            }
        }
      t.bars_held = column_int_or (stmt, 11, -1);
      hs_exit_reason_from_string ((const char *) sqlite3_column_text (stmt, 12), &t.exit_reason);
      t.entry_snapshot_id = column_int_or (stmt, 13, 0);
      t.exit_snapshot_id = column_int_or (stmt, 14, 0);
      t.signal_json = column_dup (stmt, 15);
      g_array_append_val (result->trades, t);
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "loading backtest trades");
  return TRUE;
}

/* A curve being read back: one array per column of HsBtResult's. */
typedef struct
{
  GArray *ts;
  GArray *cols[5];     /* equity, cash, holdings, drawdown, benchmark */
  gboolean any_benchmark; /* some point has a benchmark price */
} Curve;

static void
curve_init (Curve *c)
{
  c->ts = g_array_new (FALSE, FALSE, sizeof (int64_t));
  for (int k = 0; k < 5; k++)
    c->cols[k] = g_array_new (FALSE, FALSE, sizeof (double));
  c->any_benchmark = FALSE;
}

static void
curve_clear (Curve *c)
{
  g_array_unref (c->ts);
  for (int k = 0; k < 5; k++)
    g_array_unref (c->cols[k]);
}

/* Hands the arrays to @result (replacing what it had); @c is left empty. A benchmark column is
 * kept only when some point has a price (the schema's rows stored none as NULL, <= 0 is none). */
static void
curve_steal_into (Curve      *c,
                  HsBtResult *result)
{
  double **dest[5] = { &result->equity, &result->cash, &result->holdings, &result->drawdown,
                       &result->benchmark };

  g_free (result->ts);
  result->n = c->ts->len;
  result->ts = (int64_t *) (void *) g_array_free (c->ts, FALSE);
  c->ts = g_array_new (FALSE, FALSE, sizeof (int64_t));
  for (int k = 0; k < 5; k++)
    {
      g_free (*dest[k]);
      *dest[k] = NULL;
      if (k == 4 && !c->any_benchmark)
        continue;
      *dest[k] = (double *) (void *) g_array_free (c->cols[k], FALSE);
      c->cols[k] = g_array_new (FALSE, FALSE, sizeof (double));
    }
}

/* The rows of backtest_equity: runs stored before migration 009. */
static gboolean
load_equity_rows (HsStore *store,
                  int64_t  run_id,
                  Curve   *c,
                  GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT ts, equity, cash, holdings, drawdown, "
                                             "benchmark FROM backtest_equity WHERE run_id = ? "
                                             "ORDER BY ts", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int64_t t = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (c->ts, t);
      for (int k = 0; k < 5; k++)
        {
          double v = sqlite3_column_type (stmt, k + 1) == SQLITE_NULL
                     ? NAN : sqlite3_column_double (stmt, k + 1);

          g_array_append_val (c->cols[k], v);
        }
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "loading a backtest equity curve");
  return TRUE;
}

/* Appends @n little-endian 8-byte values of column @col of @stmt to @dest, or @n NaNs when the
 * column is NULL. FALSE when the BLOB does not hold exactly @n values. */
static gboolean
append_packed (sqlite3_stmt *stmt,
               int           col,
               size_t        n,
               GArray       *dest)
{
  size_t start = dest->len;
  const void *bytes;

  g_array_set_size (dest, start + n);
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    {
      for (size_t i = 0; i < n; i++)
        g_array_index (dest, double, start + i) = NAN;
      return TRUE;
    }
  bytes = sqlite3_column_blob (stmt, col);
  if ((size_t) sqlite3_column_bytes (stmt, col) != n * 8 || bytes == NULL)
    return FALSE;
  memcpy (dest->data + start * 8, bytes, n * 8);
#if G_BYTE_ORDER != G_LITTLE_ENDIAN
  for (size_t i = 0; i < n; i++)
    {
      guint64 *v = (guint64 *) (void *) (dest->data + (start + i) * 8);

      *v = GUINT64_FROM_LE (*v);
    }
#endif
  return TRUE;
}

static gboolean
load_equity (HsStore    *store,
             int64_t     run_id,
             HsBtResult *result,
             GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT chunk_no, first_index, n_points, ts, equity, "
                                             "cash, holdings, drawdown, benchmark FROM "
                                             "backtest_equity_chunks WHERE run_id = ? "
                                             "ORDER BY chunk_no", error);
  Curve c;
  gboolean ok = TRUE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  curve_init (&c);
  sqlite3_bind_int64 (stmt, 1, run_id);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int64_t n = sqlite3_column_int64 (stmt, 2);

      ok = sqlite3_column_int64 (stmt, 1) == (int64_t) c.ts->len && n >= 1 && n <= EQUITY_CHUNK
           && append_packed (stmt, 3, (size_t) n, c.ts);
      for (int k = 0; ok && k < 5; k++)
        ok = append_packed (stmt, 4 + k, (size_t) n, c.cols[k]);
      if (!ok)
        g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT,
                     "backtest run %" G_GINT64_FORMAT ": equity chunk %" G_GINT64_FORMAT
                     " does not continue the curve or its columns are not %" G_GINT64_FORMAT
                     " packed values", run_id, (int64_t) sqlite3_column_int64 (stmt, 0), n);
    }
  if (ok && rc != SQLITE_DONE)
    ok = hs_store_set_error (store, rc, error, "loading a backtest equity curve");
  if (ok && c.ts->len == 0)
    ok = load_equity_rows (store, run_id, &c, error);
  if (ok)
    {
      /* A chunk stores benchmark prices as the engine had them: <= 0 is no price. */
      double *b = (double *) (void *) c.cols[4]->data;

      c.any_benchmark = FALSE;
      for (guint i = 0; i < c.cols[4]->len; i++)
        {
          if (!(b[i] > 0))
            b[i] = NAN;
          c.any_benchmark |= b[i] > 0;
        }
      curve_steal_into (&c, result);
    }
  curve_clear (&c);
  return ok;
}

static gboolean
load_run (HsStore      *store,
          int64_t       id,
          gboolean      full,
          HsBtRunInfo **out_info,
          HsBtResult  **out_result,
          GError      **error)
{
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtResult) result = NULL;

  {
    g_autoptr(HsStmt) stmt = hs_store_prepare (store, sql ()->select_one, error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                     "no backtest run %" G_GINT64_FORMAT, id);
        return FALSE;
      }
    if (rc != SQLITE_ROW)
      return hs_store_set_error (store, rc, error, "loading a backtest run");
    if (!read_run_row (store, stmt, &info, &result, error))
      return FALSE;
  }
  if (!resolve_source (store, info, error))
    return FALSE;
  if (full && info->source_run_id != 0
      && (!load_trades (store, info->source_run_id, result, error)
          || !load_equity (store, info->source_run_id, result, error)))
    return FALSE;
  if (out_info != NULL)
    *out_info = g_steal_pointer (&info);
  if (out_result != NULL)
    *out_result = g_steal_pointer (&result);
  return TRUE;
}

/**
 * hs_store_load_backtest:
 * @info: (out) (transfer full) (optional): the request and metadata, with source_run_id
 * @result: (out) (transfer full) (optional): statistics, trades and equity curve; for a
 *   cache-hit row, the trades and equity of the computed run it repeats (none when that run
 *   was deleted)
 *
 * Returns: %FALSE with %HS_STORE_ERROR_NOT_FOUND when there is no run @id
 */
gboolean
hs_store_load_backtest (HsStore      *store,
                        int64_t       id,
                        HsBtRunInfo **info,
                        HsBtResult  **result,
                        GError      **error)
{
  return load_run (store, id, TRUE, info, result, error);
}

/**
 * hs_store_load_backtest_summary:
 *
 * As hs_store_load_backtest(), without trades and equity curve (@result->n is 0): one row,
 * for a cached answer or a list.
 */
gboolean
hs_store_load_backtest_summary (HsStore      *store,
                                int64_t       id,
                                HsBtRunInfo **info,
                                HsBtResult  **result,
                                GError      **error)
{
  return load_run (store, id, FALSE, info, result, error);
}

/**
 * hs_store_list_backtests:
 * @filter: (nullable): which runs; %NULL for all
 * @rows: (out) (transfer full) (element-type HsBtRunRow): newest first
 */
gboolean
hs_store_list_backtests (HsStore             *store,
                         const HsBtRunFilter *filter,
                         GPtrArray          **rows,
                         GError             **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_bt_run_row_free);
  HsBtRunFilter all;

  if (filter == NULL)
    {
      hs_bt_run_filter_init (&all);
      filter = &all;
    }
  {
    g_autoptr(HsStmt) stmt = hs_store_prepare (store, sql ()->select_list, error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    hs_bind_text_or_null (stmt, 1, filter->strategy);
    hs_bind_text_or_null (stmt, 2, filter->symbol);
    sqlite3_bind_int64 (stmt, 3, filter->from_ts);
    sqlite3_bind_int64 (stmt, 4, filter->to_ts);
    sqlite3_bind_int64 (stmt, 5, filter->limit > 0 ? filter->limit : -1);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        HsBtRunRow *row = g_new0 (HsBtRunRow, 1);

        g_ptr_array_add (out, row);
        if (!read_run_row (store, stmt, &row->info, &row->result, error))
          return FALSE;
      }
    if (rc != SQLITE_DONE)
      return hs_store_set_error (store, rc, error, "listing backtest runs");
  }
  for (guint i = 0; i < out->len; i++)
    if (!resolve_source (store, ((HsBtRunRow *) out->pdata[i])->info, error))
      return FALSE;
  *rows = g_steal_pointer (&out);
  return TRUE;
}

/**
 * hs_store_delete_backtest:
 *
 * Deletes run @id with its trades and equity curve (ON DELETE CASCADE), and, when it is a
 * computed run, the cache-hit rows that repeat it.
 *
 * Returns: %FALSE with %HS_STORE_ERROR_NOT_FOUND when there is no run @id
 */
gboolean
hs_store_delete_backtest (HsStore *store,
                          int64_t  id,
                          GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "DELETE FROM backtest_runs WHERE id = ?1 OR id IN (SELECT h.id FROM backtest_runs s"
    " JOIN backtest_runs h ON h.cache_key = s.cache_key AND h.cache_hit = 1"
    " WHERE s.id = ?1 AND s.cache_hit = 0 AND s.status = 'completed')", error);
  gboolean nested = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (!tx_begin (store, &nested, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "deleting a backtest run");
      sqlite3_reset (stmt);
      tx_rollback (store, nested);
      return FALSE;
    }
  if (sqlite3_changes (hs_store_get_db (store)) == 0)
    {
      sqlite3_reset (stmt);
      tx_rollback (store, nested);
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no backtest run %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return tx_commit (store, nested, error);
}

/**
 * hs_store_load_backtest_trades:
 * @run_id: a computed run: for a cache-hit row, its HsBtRunInfo.source_run_id
 * @result: the trades are appended to @result->trades
 *
 * The trades of a run without its equity curve: what a cached answer prints, at a fraction of
 * the cost of hs_store_load_backtest() (a run has an equity point per bar).
 */
gboolean
hs_store_load_backtest_trades (HsStore    *store,
                               int64_t     run_id,
                               HsBtResult *result,
                               GError    **error)
{
  g_return_val_if_fail (store != NULL && result != NULL && result->trades != NULL, FALSE);

  return load_trades (store, run_id, result, error);
}

/**
 * hs_store_count_backtests:
 * @batch_id: (nullable): a sweep's id; %NULL counts every run
 * @n: (out): the runs (rows of backtest_runs) with that batch_id
 */
gboolean
hs_store_count_backtests (HsStore    *store,
                          const char *batch_id,
                          int64_t    *n,
                          GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
                                             "SELECT count(*) FROM backtest_runs "
                                             "WHERE ?1 IS NULL OR batch_id = ?1", error);
  int rc;

  g_return_val_if_fail (n != NULL, FALSE);
  if (stmt == NULL)
    return FALSE;
  hs_bind_text_or_null (stmt, 1, batch_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "counting backtest runs");
  *n = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}
