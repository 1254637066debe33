/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stored rows of the ML export's datasets: one fixed SELECT each, in id order, with an
 * optional --where filter compiled by the training-query compiler (its literals bound, its SQL
 * checked read-only by hs_query_prepare()). The rows are handed out one at a time; nothing is
 * kept, so a million-row export uses the memory of one row. Column lists are fixed here and
 * documented in docs/export.md; the job layer flattens the JSON columns.
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
                         " LEFT JOIN instruments AS i ON i.id = t.instrument_id" },
  [HS_EXPORT_SIGNALS] = { "signals", HS_QUERY_SIGNALS, signal_columns, signal_sql,
                          G_N_ELEMENTS (signal_columns),
                          " FROM signals AS t"
                          " LEFT JOIN instruments AS i ON i.id = t.instrument_id" },
  [HS_EXPORT_BACKTEST_TRADES] = { "backtest-trades", HS_QUERY_BACKTEST_TRADES,
                                  backtest_columns, backtest_sql,
                                  G_N_ELEMENTS (backtest_columns),
                                  " FROM backtest_trades AS t"
                                  " JOIN backtest_runs AS r ON r.id = t.run_id"
                                  " LEFT JOIN instruments AS i ON i.id = t.instrument_id" },
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

/* Builds "SELECT … FROM … WHERE filter" for @dataset. */
static char *
build_sql (HsExportDataset dataset,
           const char     *where,
           gboolean        count,
           HsQueryParams  *params,
           size_t         *error_offset,
           GError        **error)
{
  const Dataset *d = &datasets[dataset];
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  gboolean instruments = FALSE, runs = FALSE;

  if (count)
    g_string_append (sql, "count(*)");
  else
    for (size_t i = 0; i < d->n_columns; i++)
      g_string_append_printf (sql, "%s%s", i ? ", " : "", d->sql[i]);
  /* The dataset's FROM joins every table its columns or a filter read. */
  g_string_append (sql, d->from);
  g_string_append (sql, " WHERE ");
  if (!hs_query_compile_filter (d->source, where, sql, params, &instruments, &runs,
                                error_offset, error))
    return NULL;
  if (!count)
    g_string_append (sql, " ORDER BY t.id");
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static sqlite3_stmt *
prepare (HsStore        *store,
         HsExportDataset dataset,
         const char     *where,
         gboolean        count,
         size_t         *error_offset,
         GError        **error)
{
  g_autoptr(HsQueryParams) params = hs_query_params_new ();
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail ((size_t) dataset < G_N_ELEMENTS (datasets), NULL);
  sql = build_sql (dataset, where, count, params, error_offset, error);
  if (sql == NULL)
    return NULL;
  stmt = hs_query_prepare (store, sql, error);
  if (stmt != NULL && !hs_query_params_bind (params, stmt, error))
    g_clear_pointer (&stmt, sqlite3_finalize);
  return stmt;
}

/**
 * hs_store_export_count:
 * @where: (nullable): a training-query filter (trades and backtest-trades only)
 * @error_offset: (out) (optional): on a filter error, its byte offset in @where
 *
 * Counts the rows hs_store_export_run() would hand out (for progress).
 */
gboolean
hs_store_export_count (HsStore         *store,
                       HsExportDataset  dataset,
                       const char      *where,
                       int64_t         *count,
                       size_t          *error_offset,
                       GError         **error)
{
  sqlite3_stmt *stmt = prepare (store, dataset, where, TRUE, error_offset, error);
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

/**
 * hs_store_export_run:
 * @func: called with each row's cells (hs_store_export_raw_columns() order); returning %FALSE
 *   stops with its error
 *
 * Hands out the dataset's rows in id order, one at a time, in one read statement (a consistent
 * snapshot in WAL mode while others write).
 */
gboolean
hs_store_export_run (HsStore         *store,
                     HsExportDataset  dataset,
                     const char      *where,
                     HsQueryRowFunc   func,
                     gpointer         user_data,
                     size_t          *error_offset,
                     GError         **error)
{
  sqlite3_stmt *stmt = prepare (store, dataset, where, FALSE, error_offset, error);
  size_t n = 0;
  HsQueryCell *cells;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;
  int64_t mmap_before;

  if (stmt == NULL)
    return FALSE;
  /* The rows are read once, in order: mapped pages save a read() and a copy per page (a third of
   * a million-row export's time). The connection's own setting comes back at the end. */
  mmap_before = pragma_int (store, "PRAGMA mmap_size");
  sqlite3_exec (hs_store_get_db (store), "PRAGMA mmap_size = " G_STRINGIFY (EXPORT_MMAP_BYTES),
                NULL, NULL, NULL);
  n = datasets[dataset].n_columns;
  cells = g_new0 (HsQueryCell, n);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
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
      ok = func (cells, n, user_data, error);
    }
  if (ok && rc != SQLITE_DONE)
    ok = hs_store_set_error (store, rc, error, "reading the export's rows");
  sqlite3_finalize (stmt);
  g_free (cells);
  if (mmap_before >= 0)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA mmap_size = %" G_GINT64_FORMAT,
                                              mmap_before);

      sqlite3_exec (hs_store_get_db (store), sql, NULL, NULL, NULL);
    }
  return ok;
}
