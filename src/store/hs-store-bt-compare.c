/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the view backtest_strategy_comparison for the run history's "by strategy" table: one
 * row per strategy, a handful in practice, so the whole view is read at once.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-bt-compare.h"

#include <math.h>

#include "hs-store-private.h"

void
hs_strategy_comparison_free (HsStrategyComparison *row)
{
  if (row == NULL)
    return;
  g_free (row->strategy_name);
  g_free (row);
}

static double
column_double (sqlite3_stmt *stmt,
               int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, col);
}

/**
 * hs_store_strategy_comparison:
 * @rows: (out) (transfer full) (element-type HsStrategyComparison): the view's rows in its
 *   order (best average Sharpe ratio first)
 */
gboolean
hs_store_strategy_comparison (HsStore    *store,
                              GPtrArray **rows,
                              GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT strategy_name, runs, versions, avg_win_rate, avg_sharpe, avg_sortino, avg_max_dd,"
    " avg_profit_factor, avg_net_profit, avg_total_trades, last_run_at"
    " FROM backtest_strategy_comparison", error);
  g_autoptr(GPtrArray) out = NULL;
  int rc;

  g_return_val_if_fail (rows != NULL, FALSE);
  if (stmt == NULL)
    return FALSE;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_strategy_comparison_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsStrategyComparison *row = g_new0 (HsStrategyComparison, 1);

      row->strategy_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->runs = sqlite3_column_int64 (stmt, 1);
      row->versions = sqlite3_column_int64 (stmt, 2);
      row->avg_win_rate = column_double (stmt, 3);
      row->avg_sharpe = column_double (stmt, 4);
      row->avg_sortino = column_double (stmt, 5);
      row->avg_max_dd = column_double (stmt, 6);
      row->avg_profit_factor = column_double (stmt, 7);
      row->avg_net_profit = column_double (stmt, 8);
      row->avg_total_trades = column_double (stmt, 9);
      row->last_run_at = sqlite3_column_int64 (stmt, 10);
      g_ptr_array_add (out, row);
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading backtest_strategy_comparison");
  *rows = g_steal_pointer (&out);
  return TRUE;
}
