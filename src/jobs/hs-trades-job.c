/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Trades page's reads on workers: the trades a training-query filter selects, as the rows
 * the page lists (the same compiler as `hindsight-cli query`, so the page and the CLI select the
 * same trades), and the names the query bar completes. A load reads every selected row (a few
 * hundred bytes each) in one read transaction (figures: tests/gui/bench-trades-page.c, README).
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-trades-job.h"
#include "hs-job-worker.h"
#include "hs-store-trades.h"

#include <math.h>
#include <string.h>

/* The columns the page shows, in the order trade_from_cells() reads them. */
static const char *const paper_columns[] = {
  "id", "entry_time", "symbol", "side", "quantity", "entry_price", "exit_price", "pnl_pct",
  "target_pnl_15m", "target_pnl_1h", "target_mfe_pct", "target_mae_pct", "ai.confidence_score",
  "ai.model", "ai.prompt_version", "tags", NULL,
};
static const char *const backtest_columns[] = {
  "id", "entry_time", "symbol", "side", "quantity", "entry_price", "exit_price", "pnl_pct",
  "target_pnl_15m", "target_pnl_1h", "mfe_pct", "mae_pct", NULL,
};

static gboolean
blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/**
 * hs_trades_query_compile:
 *
 * Compiles @query into the training query whose rows hs_trades_query_run() reads. For a run,
 * the filter is the user's filter and `run_id == N`.
 *
 * Returns: (transfer full): the query, or %NULL with @error set (%HS_EXPR_ERROR or
 *   %HS_QUERY_ERROR, the message with the column in the user's filter)
 */
HsQuery *
hs_trades_query_compile (const HsTradesQuery *query,
                         GError             **error)
{
  g_autofree char *filter = NULL;
  HsQueryRequest request = { 0 };

  if (query->run_id > 0)
    {
      /* Checked alone first, so that an error's column is the one in the user's text. */
      if (!blank (query->filter))
        {
          HsQueryRequest alone = { HS_QUERY_BACKTEST_TRADES, query->filter, NULL, NULL, NULL, 1 };
          g_autoptr(HsQuery) checked = hs_query_compile (&alone, NULL, NULL, error);

          if (checked == NULL)
            return NULL;
          filter = g_strdup_printf ("run_id == %" G_GINT64_FORMAT " and (%s)", query->run_id,
                                    query->filter);
        }
      else
        filter = g_strdup_printf ("run_id == %" G_GINT64_FORMAT, query->run_id);
      request.source = HS_QUERY_BACKTEST_TRADES;
      request.select = backtest_columns;
    }
  else
    {
      filter = blank (query->filter) ? NULL : g_strdup (query->filter);
      request.source = HS_QUERY_PAPER_TRADES;
      request.select = paper_columns;
    }
  request.filter = filter;
  return hs_query_compile (&request, NULL, NULL, error);
}

static double
cell_number (const HsQueryCell *c)
{
  return c->kind == HS_QUERY_CELL_INTEGER || c->kind == HS_QUERY_CELL_REAL ? c->real : NAN;
}

static char *
cell_text (const HsQueryCell *c)
{
  return c->kind == HS_QUERY_CELL_TEXT ? g_strdup (c->text) : NULL;
}

static gboolean
add_row (const HsQueryCell *cells,
         size_t             n_cells,
         gpointer           user_data,
         GError           **error)
{
  GPtrArray *rows = user_data;
  HsTradeRow *row = hs_trade_row_new ();

  g_assert (n_cells >= 12);
  row->id = cells[0].integer;
  row->entry_ts = cells[1].integer;
  row->symbol = cell_text (&cells[2]);
  row->side = cell_text (&cells[3]);
  row->quantity = cell_number (&cells[4]);
  row->entry_price = cell_number (&cells[5]);
  row->exit_price = cell_number (&cells[6]);
  row->pnl_pct = cell_number (&cells[7]);
  row->target_pnl_15m = cell_number (&cells[8]);
  row->target_pnl_1h = cell_number (&cells[9]);
  row->mfe_pct = cell_number (&cells[10]);
  row->mae_pct = cell_number (&cells[11]);
  if (n_cells >= 16)
    {
      row->confidence = cell_number (&cells[12]);
      row->model = cell_text (&cells[13]);
      row->prompt_version = cell_text (&cells[14]);
      row->tags = cell_text (&cells[15]);
    }
  g_ptr_array_add (rows, row);
  return TRUE;
}

/**
 * hs_trades_query_run:
 *
 * Reads the trades @query selects, in the query's order (by id).
 *
 * Returns: (transfer full) (element-type HsTradeRow): the rows, or %NULL with @error set
 */
GPtrArray *
hs_trades_query_run (HsStore             *store,
                     const HsTradesQuery *query,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(HsQuery) compiled = hs_trades_query_compile (query, error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_trade_row_free);

  if (compiled == NULL
      || !hs_store_query_run (store, compiled, add_row, rows, cancellable, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static void
trades_query_free (gpointer data)
{
  HsTradesQuery *q = data;

  g_free (q->filter);
  g_free (q);
}

static gpointer
load_run (HsStore           *store,
          gconstpointer      request,
          HsJobProgressFunc  progress,
          gpointer           progress_data,
          GCancellable      *cancellable,
          GError           **error)
{
  return hs_trades_query_run (store, request, cancellable, error);
}

void
hs_trades_job_load_async (const char          *db_path,
                          const HsTradesQuery *query,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  HsTradesQuery *copy = g_new0 (HsTradesQuery, 1);

  copy->run_id = query->run_id;
  copy->filter = g_strdup (query->filter);
  hs_job_run_async (db_path, copy, trades_query_free, load_run,
                    (GDestroyNotify) g_ptr_array_unref, NULL, NULL, cancellable, callback,
                    user_data, hs_trades_job_load_async, "hs-trades-load");
}

/* Returns: (transfer full) (element-type HsTradeRow): the rows, or %NULL with @error set */
GPtrArray *
hs_trades_job_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  return hs_job_run_finish (result, hs_trades_job_load_async, error);
}

static gboolean
compiles (const char *name)
{
  const char *select[] = { name, NULL };
  HsQueryRequest request = { HS_QUERY_PAPER_TRADES, NULL, select, NULL, NULL, 1 };
  g_autoptr(HsQuery) query = hs_query_compile (&request, NULL, NULL, NULL);

  return query != NULL;
}

static gpointer
fields_run (HsStore           *store,
            gconstpointer      request,
            HsJobProgressFunc  progress,
            gpointer           progress_data,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autofree char *list = hs_query_field_list (HS_QUERY_PAPER_TRADES);
  g_auto(GStrv) lines = g_strsplit (list, "\n", -1);
  g_autoptr(GPtrArray) paths = hs_store_trades_context_paths (store, cancellable, error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (paths == NULL)
    return NULL;
  /* The documented fields first ("name<TAB>type"; the open objects' "ai.KEY…" left out), then
   * what the data holds beyond them. */
  for (size_t i = 0; lines[i] != NULL; i++)
    {
      char *tab = strchr (lines[i], '\t');

      if (tab == NULL)
        continue;
      *tab = '\0';
      if (g_str_has_suffix (lines[i], "KEY…") || g_hash_table_contains (seen, lines[i]))
        continue;
      g_hash_table_add (seen, lines[i]);
      g_strv_builder_add (names, lines[i]);
    }
  for (guint i = 0; i < paths->len; i++)
    if (!g_hash_table_contains (seen, paths->pdata[i]) && compiles (paths->pdata[i]))
      {
        g_hash_table_add (seen, paths->pdata[i]);
        g_strv_builder_add (names, paths->pdata[i]);
      }
  return g_strv_builder_end (names);
}

void
hs_trades_job_fields_async (const char          *db_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  hs_job_run_async (db_path, NULL, NULL, fields_run, (GDestroyNotify) g_strfreev, NULL, NULL,
                    cancellable, callback, user_data, hs_trades_job_fields_async,
                    "hs-trades-fields");
}

/* Returns: (transfer full): the names, or %NULL with @error set */
GStrv
hs_trades_job_fields_finish (GAsyncResult  *result,
                             GError       **error)
{
  return hs_job_run_finish (result, hs_trades_job_fields_async, error);
}
