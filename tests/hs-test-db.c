/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small test databases through the store API, asserting every step: a database opened (created
 * and migrated), instruments, one bar at a time, and text files to import.
 */
#include "config.h"

#include "hs-test-db.h"

#include <math.h>

#include "hs-store-backtest.h"

/* Returns: (transfer full): @path opened, created and migrated when needed */
HsStore *
hs_test_store_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

/* Returns: the id of the instrument, created when missing */
int64_t
hs_test_store_instrument (HsStore    *store,
                          const char *symbol,
                          const char *exchange,
                          const char *kind)
{
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_assert_true (hs_store_ensure_instrument (store, symbol, exchange, kind, &id, &error));
  g_assert_no_error (error);
  return id;
}

/* Stores one bar at @ts closing at @close: open = close, high = close + 1, low = close − 1. */
void
hs_test_store_add_bar (HsStore    *store,
                       int64_t     instrument_id,
                       const char *interval,
                       int64_t     ts,
                       double      close)
{
  g_autoptr(GError) error = NULL;
  HsBar bar = { .ts = ts, .open = close, .high = close + 1, .low = close - 1, .close = close,
                .volume = 100, .vwap = NAN, .trade_count = -1 };

  g_assert_true (hs_store_insert_bar (store, instrument_id, interval, &bar, NULL, &error));
  g_assert_no_error (error);
}

void
hs_test_write_text (const char *path,
                    const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

/* Returns: the bars stored for @symbol (on no exchange) and @interval; −1 when there is no such
 *   instrument at all */
int64_t
hs_test_count_bars (const char *db_path,
                    const char *symbol,
                    const char *interval)
{
  g_autoptr(HsStore) store = hs_test_store_open (db_path);
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  if (!hs_store_find_instrument (store, symbol, NULL, &id, &error))
    {
      g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
      return -1;
    }
  bars = hs_store_load_bars (store, id, interval, G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  return (int64_t) bars->n;
}

/* Stores @run as a run of SPY 1d with 10,000 of cash; a failed run says "no bars in the range". */
void
hs_test_store_add_run (HsStore           *store,
                       const HsTestBtRun *run)
{
  g_autoptr(HsBtRunInfo) info = hs_bt_run_info_new ();
  g_autoptr(HsBtResult) result = hs_bt_result_new_empty (0);
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  info->strategy_name = g_strdup (run->strategy);
  info->symbol = g_strdup ("SPY");
  info->interval = g_strdup ("1d");
  info->start_ts = run->start_ts;
  info->end_ts = run->end_ts;
  info->initial_cash = 10000;
  info->created_at = run->created_at;
  if (run->status != NULL)
    {
      g_free (info->status);
      info->status = g_strdup (run->status);
    }
  if (g_strcmp0 (run->status, "failed") == 0)
    info->error_message = g_strdup ("no bars in the range");
  result->stats.net_profit = run->net_profit;
  result->stats.sharpe_ratio = run->sharpe;
  result->stats.max_drawdown = run->max_drawdown;
  result->stats.total_trades = run->trades;
  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
}
