/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stored rows of the ML export's datasets: one fixed SELECT each, in id order, with an
 * optional --where filter compiled by the training-query compiler (its literals bound, its SQL
 * checked read-only by hs_query_prepare()). The rows are read by ranges of ids, from several
 * threads at once, each on a connection of its own and all in one snapshot; nothing is kept
 * (a row's texts point into SQLite's memory while the callback runs). Column lists are fixed
 * here and documented in docs/export.md; the job layer flattens the JSON columns.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-export.h"
#include "hs-store-query-private.h"

#include <string.h>

#define INT HS_EXPORT_RAW_INTEGER
#define REAL HS_EXPORT_RAW_REAL
#define TEXT HS_EXPORT_RAW_TEXT
#define TIME HS_EXPORT_RAW_TIME
#define JSON HS_EXPORT_RAW_JSON

/* Each dataset: its columns (name, kind) and the SQL text of each, in the same order. */
typedef struct
{
  const char              *name;
  HsQuerySource            source;      /* what --where filters */
  const HsExportRawColumn *columns;
  const char *const       *sql;
  size_t                   n_columns;
  const char              *from;        /* FROM … joins, fixed text over t, i, r */
  const char              *table;       /* t's table */
} Dataset;

static const HsExportRawColumn trade_columns[] = {
  { "id", INT }, { "symbol", TEXT }, { "side", TEXT }, { "quantity", REAL },
  { "entry_time", TIME }, { "entry_price", REAL }, { "exit_time", TIME }, { "exit_price", REAL },
  { "stop_loss", REAL }, { "take_profit", REAL }, { "status", TEXT }, { "exit_reason", TEXT },
  { "pnl", REAL }, { "pnl_pct", REAL }, { "fees", REAL }, { "is_backtest", INT },
  { "backtest_run_id", INT }, { "signal_id", INT }, { "tags", JSON }, { "notes", TEXT },
  { "target_pnl_15m", REAL }, { "target_pnl_1h", REAL }, { "target_mfe_pct", REAL },
  { "target_mae_pct", REAL }, { "labeled_at", TIME }, { "label_error", TEXT },
  { "signals_snapshot", JSON }, { "market_regime", JSON }, { "order_book_state", JSON },
  { "ai_reasoning_log", JSON },
};
static const char *const trade_sql[] = {
  "t.id", "i.symbol", "t.side", "t.quantity", "t.entry_ts", "t.entry_price", "t.exit_ts",
  "t.exit_price", "t.stop_loss", "t.take_profit", "t.status", "t.exit_reason", "t.pnl",
  "t.pnl_pct", "t.fees", "t.is_backtest", "t.backtest_run_id", "t.signal_id", "t.tags",
  "t.notes", "t.target_pnl_15m", "t.target_pnl_1h", "t.target_mfe_pct", "t.target_mae_pct",
  "t.labeled_at", "t.label_error", "t.signals_snapshot", "t.market_regime",
  "t.order_book_state", "t.ai_reasoning_log",
};

static const HsExportRawColumn signal_columns[] = {
  { "id", INT }, { "time", TIME }, { "symbol", TEXT }, { "strategy_name", TEXT },
  { "strategy_version", TEXT }, { "setup", TEXT }, { "signal_type", TEXT },
  { "confidence", REAL }, { "confidence_level", TEXT }, { "score", REAL }, { "session", TEXT },
  { "price", REAL }, { "cvd", REAL }, { "orderbook_imbalance", REAL }, { "features_id", INT },
  { "reasons", JSON }, { "warnings", JSON }, { "filters_passed", JSON },
  { "filters_blocked", JSON }, { "status", TEXT }, { "outcome", TEXT }, { "outcome_r", REAL },
  { "labeled_at", TIME },
};
static const char *const signal_sql[] = {
  "t.id", "t.ts", "i.symbol", "t.strategy_name", "t.strategy_version", "t.setup",
  "t.signal_type", "t.confidence", "t.confidence_level", "t.score", "t.session", "t.price",
  "t.cvd", "t.orderbook_imbalance", "t.features_id", "t.reasons", "t.warnings",
  "t.filters_passed", "t.filters_blocked", "t.status", "t.outcome", "t.outcome_r",
  "t.labeled_at",
};

static const HsExportRawColumn backtest_columns[] = {
  { "id", INT }, { "run_id", INT }, { "strategy", TEXT }, { "symbol", TEXT },
  { "trade_no", INT }, { "side", TEXT }, { "quantity", REAL }, { "entry_time", TIME },
  { "entry_price", REAL }, { "exit_time", TIME }, { "exit_price", REAL }, { "pnl", REAL },
  { "pnl_pct", REAL }, { "fees", REAL }, { "mfe_pct", REAL }, { "mae_pct", REAL },
  { "bars_held", INT }, { "exit_reason", TEXT }, { "signal_metadata", JSON },
  { "target_pnl_15m", REAL }, { "target_pnl_1h", REAL }, { "target_mfe_pct", REAL },
  { "target_mae_pct", REAL }, { "labeled_at", TIME }, { "label_error", TEXT },
};
static const char *const backtest_sql[] = {
  "t.id", "t.run_id", "r.strategy_name", "coalesce(i.symbol, r.symbol)", "t.trade_no",
  "t.side", "t.quantity", "t.entry_ts", "t.entry_price", "t.exit_ts", "t.exit_price", "t.pnl",
  "t.pnl_pct", "t.fees", "t.mfe_pct", "t.mae_pct", "t.bars_held", "t.exit_reason",
  "t.signal_metadata", "t.target_pnl_15m", "t.target_pnl_1h", "t.target_mfe_pct",
  "t.target_mae_pct", "t.labeled_at", "t.label_error",
};

G_STATIC_ASSERT (G_N_ELEMENTS (trade_columns) == G_N_ELEMENTS (trade_sql));
G_STATIC_ASSERT (G_N_ELEMENTS (signal_columns) == G_N_ELEMENTS (signal_sql));
G_STATIC_ASSERT (G_N_ELEMENTS (backtest_columns) == G_N_ELEMENTS (backtest_sql));

static const Dataset datasets[] = {
  [HS_EXPORT_TRADES] = { "trades", HS_QUERY_PAPER_TRADES, trade_columns, trade_sql,
                         G_N_ELEMENTS (trade_columns),
                         " FROM paper_trades AS t"
                         " LEFT JOIN instruments AS i ON i.id = t.instrument_id",
                         "paper_trades" },
  [HS_EXPORT_SIGNALS] = { "signals", HS_QUERY_SIGNALS, signal_columns, signal_sql,
                          G_N_ELEMENTS (signal_columns),
                          " FROM signals AS t"
                          " LEFT JOIN instruments AS i ON i.id = t.instrument_id",
                          "signals" },
  [HS_EXPORT_BACKTEST_TRADES] = { "backtest-trades", HS_QUERY_BACKTEST_TRADES,
                                  backtest_columns, backtest_sql,
                                  G_N_ELEMENTS (backtest_columns),
                                  " FROM backtest_trades AS t"
                                  " JOIN backtest_runs AS r ON r.id = t.run_id"
                                  " LEFT JOIN instruments AS i ON i.id = t.instrument_id",
                                  "backtest_trades" },
};

const char *
hs_export_dataset_to_string (HsExportDataset dataset)
{
  g_return_val_if_fail ((size_t) dataset < G_N_ELEMENTS (datasets), NULL);
  return datasets[dataset].name;
}

gboolean
hs_export_dataset_from_string (const char      *text,
                               HsExportDataset *out)
{
  for (size_t i = 0; i < G_N_ELEMENTS (datasets); i++)
    if (g_strcmp0 (text, datasets[i].name) == 0)
      {
        *out = (HsExportDataset) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * hs_store_export_raw_columns:
 *
 * Returns: (transfer none): the dataset's stored columns, in the order of the row cells
 */
const HsExportRawColumn *
hs_store_export_raw_columns (HsExportDataset dataset,
                             size_t         *n_columns)
{
  g_return_val_if_fail ((size_t) dataset < G_N_ELEMENTS (datasets), NULL);
  *n_columns = datasets[dataset].n_columns;
  return datasets[dataset].columns;
}

/* SQLite's largest memory map on 64-bit builds (SQLITE_MAX_MMAP_SIZE); a larger file is read
 * past the map as usual. */
#define EXPORT_MMAP_BYTES 2147418112

/* The value of a pragma that returns one integer (-1 if it returns none). */
static int64_t
pragma_int (HsStore    *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int64_t v = -1;

  if (sqlite3_prepare_v2 (hs_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

/* Prepares "SELECT count(*) FROM … WHERE filter" for @dataset. */
static sqlite3_stmt *
prepare_count (HsStore        *store,
               HsExportDataset dataset,
               const char     *where,
               size_t         *error_offset,
               GError        **error)
{
  const Dataset *d = &datasets[dataset];
  g_autoptr(HsQueryParams) params = hs_query_params_new ();
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  gboolean instruments = FALSE, runs = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail ((size_t) dataset < G_N_ELEMENTS (datasets), NULL);
  /* The dataset's FROM joins every table its columns or a filter read. */
  g_string_append (sql, d->from);
  g_string_append (sql, " WHERE ");
  if (!hs_query_compile_filter (d->source, where, sql, params, &instruments, &runs,
                                error_offset, error))
    return NULL;
  stmt = hs_query_prepare (store, sql->str, error);
  if (stmt != NULL && !hs_query_params_bind (params, stmt, error))
    g_clear_pointer (&stmt, sqlite3_finalize);
  return stmt;
}

/**
 * hs_store_export_count:
 * @where: (nullable): a training-query filter (trades and backtest-trades only)
 * @error_offset: (out) (optional): on a filter error, its byte offset in @where
 *
 * Counts the rows the readers would hand out (for progress).
 */
gboolean
hs_store_export_count (HsStore         *store,
                       HsExportDataset  dataset,
                       const char      *where,
                       int64_t         *count,
                       size_t          *error_offset,
                       GError         **error)
{
  sqlite3_stmt *stmt = prepare_count (store, dataset, where, error_offset, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  else
    hs_store_set_error (store, rc, error, "counting the export's rows");
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

/* One row's cells from the statement: a TEXT cell points into SQLite's memory (valid until the
 * next step) with its length in the integer field. */
static void
row_cells (sqlite3_stmt *stmt,
           HsQueryCell  *cells,
           size_t        n)
{
  for (size_t i = 0; i < n; i++)
    {
      HsQueryCell *c = &cells[i];

      switch (sqlite3_column_type (stmt, (int) i))
        {
        case SQLITE_INTEGER:
          c->kind = HS_QUERY_CELL_INTEGER;
          c->integer = sqlite3_column_int64 (stmt, (int) i);
          c->real = (double) c->integer;
          c->text = NULL;
          break;
        case SQLITE_FLOAT:
          c->kind = HS_QUERY_CELL_REAL;
          c->real = sqlite3_column_double (stmt, (int) i);
          c->text = NULL;
          break;
        case SQLITE_NULL:
          c->kind = HS_QUERY_CELL_NULL;
          c->text = NULL;
          break;
        default:
          c->kind = HS_QUERY_CELL_TEXT;
          c->text = (const char *) sqlite3_column_text (stmt, (int) i);
          c->integer = sqlite3_column_bytes (stmt, (int) i);   /* its length */
          if (c->text == NULL)
            {
              c->text = "";
              c->integer = 0;
            }
          break;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Readers: the rows by id range, on several connections that see one snapshot */

typedef struct
{
  HsStore      *store;      /* (owned) unless it is the caller's */
  sqlite3_stmt *range;      /* the dataset's SELECT for ids lo..hi */
  sqlite3_stmt *next;       /* the first id above a given one */
  HsQueryCell  *cells;
  int           lo_param;
} Reader;

struct _HsExportReaders
{
  HsStore        *store;        /* the caller's */
  HsExportDataset dataset;
  Reader         *readers;
  unsigned        n_readers;
  gboolean        own_txn;      /* a single reader on the caller's connection began one */
  int64_t         mmap_before;  /* the caller's connection's setting, restored; -1 if unused */
};

static gboolean
reader_prepare (Reader         *r,
                HsExportDataset dataset,
                const char     *where,
                size_t         *error_offset,
                GError        **error)
{
  const Dataset *d = &datasets[dataset];
  g_autoptr(HsQueryParams) params = hs_query_params_new ();
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  gboolean instruments = FALSE, runs = FALSE;
  g_autofree char *next_sql = NULL;

  for (size_t i = 0; i < d->n_columns; i++)
    g_string_append_printf (sql, "%s%s", i ? ", " : "", d->sql[i]);
  g_string_append (sql, d->from);
  g_string_append (sql, " WHERE (");
  if (!hs_query_compile_filter (d->source, where, sql, params, &instruments, &runs,
                                error_offset, error))
    return FALSE;
  r->lo_param = (int) hs_query_params_get_n (params) + 1;
  g_string_append_printf (sql, ") AND t.id >= ?%d AND t.id <= ?%d ORDER BY t.id", r->lo_param,
                          r->lo_param + 1);
  r->range = hs_query_prepare (r->store, sql->str, error);
  if (r->range == NULL)
    return FALSE;
  if (!hs_query_params_bind (params, r->range, error))
    return FALSE;
  next_sql = g_strdup_printf ("SELECT min(id) FROM %s WHERE id > ?1", d->table);
  r->next = hs_query_prepare (r->store, next_sql, error);
  r->cells = g_new0 (HsQueryCell, d->n_columns);
  return r->next != NULL;
}

static void
set_mmap (HsStore *store,
          int64_t  bytes)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA mmap_size = %" G_GINT64_FORMAT, bytes);

  sqlite3_exec (hs_store_get_db (store), sql, NULL, NULL, NULL);
}

/* Opens @n connections of their own that all read the snapshot that is current now: the
 * caller's connection holds the write lock (BEGIN IMMEDIATE) while each begins its read
 * transaction, so no commit can come in between. FALSE when that cannot be done (a database
 * in memory, a transaction already open on the caller's connection, a writer that keeps the
 * lock); the caller then reads on its own connection. */
static gboolean
open_shared_snapshot (HsExportReaders *rs,
                      const char      *where,
                      unsigned         n,
                      size_t          *error_offset,
                      GError         **error)
{
  const char *path = hs_store_get_path (rs->store);
  sqlite3 *main_db = hs_store_get_db (rs->store);
  gboolean ok = TRUE;

  if (n < 2 || path == NULL || path[0] == '\0' || g_str_equal (path, ":memory:")
      || g_str_has_prefix (path, "file:") || !sqlite3_get_autocommit (main_db)
      || sqlite3_db_readonly (main_db, "main") != 0)
    return FALSE;
  rs->readers = g_new0 (Reader, n);
  rs->n_readers = n;
  for (unsigned i = 0; i < n && ok; i++)
    {
      g_autoptr(GError) local = NULL;

      rs->readers[i].store = hs_store_open (path, HS_STORE_OPEN_NO_MIGRATE
                                                  | HS_STORE_OPEN_EXISTING, &local);
      ok = rs->readers[i].store != NULL;
    }
  if (!ok)
    return FALSE;
  /* The filter's errors are the user's: reported, not a reason to fall back. */
  if (!reader_prepare (&rs->readers[0], rs->dataset, where, error_offset, error))
    return FALSE;
  for (unsigned i = 1; i < n; i++)
    if (!reader_prepare (&rs->readers[i], rs->dataset, where, NULL, error))
      return FALSE;
  if (sqlite3_exec (main_db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;
  for (unsigned i = 0; i < n && ok; i++)
    {
      sqlite3 *db = hs_store_get_db (rs->readers[i].store);

      set_mmap (rs->readers[i].store, EXPORT_MMAP_BYTES);
      ok = sqlite3_exec (db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL)
           == SQLITE_OK;
    }
  sqlite3_exec (main_db, "ROLLBACK", NULL, NULL, NULL);
  return ok;
}

static void
readers_clear (HsExportReaders *rs)
{
  for (unsigned i = 0; i < rs->n_readers; i++)
    {
      Reader *r = &rs->readers[i];

      sqlite3_finalize (r->range);
      sqlite3_finalize (r->next);
      if (r->store != NULL && r->store != rs->store)
        {
          sqlite3_exec (hs_store_get_db (r->store), "ROLLBACK", NULL, NULL, NULL);
          hs_store_close (r->store);
        }
      g_free (r->cells);
    }
  g_clear_pointer (&rs->readers, g_free);
  rs->n_readers = 0;
}

/**
 * hs_store_export_readers_new:
 * @where: (nullable): a training-query filter
 * @n_readers: how many threads will read at once
 * @error_offset: (out) (optional): on a filter error, its byte offset in @where
 *
 * Prepares the dataset's rows for reading by id range from up to @n_readers threads at once,
 * each on a connection of its own, all in one snapshot (a consistent view while others write).
 * When that cannot be had (see open_shared_snapshot()) there is one reader, on @store's own
 * connection, in one read transaction. Call hs_store_export_readers_free() before @store is
 * used again.
 *
 * Returns: (transfer full): the readers, or %NULL with @error set
 */
HsExportReaders *
hs_store_export_readers_new (HsStore         *store,
                             HsExportDataset  dataset,
                             const char      *where,
                             unsigned         n_readers,
                             size_t          *error_offset,
                             GError         **error)
{
  g_autoptr(HsExportReaders) rs = g_new0 (HsExportReaders, 1);
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail ((size_t) dataset < G_N_ELEMENTS (datasets), NULL);
  rs->store = store;
  rs->dataset = dataset;
  rs->mmap_before = -1;
  if (open_shared_snapshot (rs, where, n_readers, error_offset, &local))
    return g_steal_pointer (&rs);
  readers_clear (rs);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  rs->readers = g_new0 (Reader, 1);
  rs->n_readers = 1;
  rs->readers[0].store = store;
  if (!reader_prepare (&rs->readers[0], dataset, where, error_offset, error))
    return NULL;
  /* The rows are read once, in order: mapped pages save a read() and a copy per page. The
   * connection's own setting comes back at the end. */
  rs->mmap_before = pragma_int (store, "PRAGMA mmap_size");
  set_mmap (store, EXPORT_MMAP_BYTES);
  if (sqlite3_get_autocommit (hs_store_get_db (store)))
    rs->own_txn = sqlite3_exec (hs_store_get_db (store), "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  return g_steal_pointer (&rs);
}

void
hs_store_export_readers_free (HsExportReaders *readers)
{
  HsStore *store;

  if (readers == NULL)
    return;
  store = readers->store;
  readers_clear (readers);
  if (readers->own_txn)
    sqlite3_exec (hs_store_get_db (store), "COMMIT", NULL, NULL, NULL);
  if (readers->mmap_before >= 0)
    set_mmap (store, readers->mmap_before);
  g_free (readers);
}

unsigned
hs_store_export_readers_get_n (HsExportReaders *readers)
{
  return readers->n_readers;
}

/**
 * hs_store_export_readers_next:
 * @reader: which reader (each thread uses its own)
 * @after: an id
 * @next: (out): the first row id above @after in the dataset's table (filter aside)
 *
 * Returns: %FALSE when there is none (or on error, with @error set)
 */
gboolean
hs_store_export_readers_next (HsExportReaders *readers,
                              unsigned         reader,
                              int64_t          after,
                              int64_t         *next,
                              GError         **error)
{
  Reader *r = &readers->readers[reader];
  int rc;
  gboolean found = FALSE;

  g_return_val_if_fail (reader < readers->n_readers, FALSE);
  sqlite3_bind_int64 (r->next, 1, after);
  rc = sqlite3_step (r->next);
  if (rc == SQLITE_ROW && sqlite3_column_type (r->next, 0) != SQLITE_NULL)
    {
      *next = sqlite3_column_int64 (r->next, 0);
      found = TRUE;
    }
  else if (rc != SQLITE_ROW)
    hs_store_set_error (r->store, rc, error, "reading the export's rows");
  sqlite3_reset (r->next);
  return found;
}

/**
 * hs_store_export_readers_read:
 * @reader: which reader (each thread uses its own)
 * @lo: the first id
 * @hi: the last id (inclusive)
 * @func: called with each row's cells (hs_store_export_raw_columns() order; texts valid during
 *   the call only); returning %FALSE stops with its error
 *
 * Hands out the rows with ids @lo … @hi that the filter selects, in id order.
 */
gboolean
hs_store_export_readers_read (HsExportReaders *readers,
                              unsigned         reader,
                              int64_t          lo,
                              int64_t          hi,
                              HsQueryRowFunc   func,
                              gpointer         user_data,
                              GError         **error)
{
  Reader *r = &readers->readers[reader];
  size_t n = datasets[readers->dataset].n_columns;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (reader < readers->n_readers, FALSE);
  sqlite3_bind_int64 (r->range, r->lo_param, lo);
  sqlite3_bind_int64 (r->range, r->lo_param + 1, hi);
  while (ok && (rc = sqlite3_step (r->range)) == SQLITE_ROW)
    {
      row_cells (r->range, r->cells, n);
      ok = func (r->cells, n, user_data, error);
    }
  if (ok && rc != SQLITE_DONE)
    ok = hs_store_set_error (r->store, rc, error, "reading the export's rows");
  sqlite3_reset (r->range);
  return ok;
}
