/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The functions hs-backtest.h declares for its result type: freeing an HsBtResult and the
 * stored names of exit reasons. Kept apart from the engine so that the store and the LEAN
 * importer link without it. (hs_statistics_clear() is in hs-stats.c.)
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-backtest.h"
#include "hs-stats.h"

/* Frees the result with its trades. Each trade's signal_json is freed and cleared here, so an
 * array with or without a clear function (hs_bt_trades_new() sets one) is freed once. */
void
hs_bt_result_free (HsBtResult *result)
{
  if (result == NULL)
    return;
  if (result->trades != NULL)
    {
      for (guint i = 0; i < result->trades->len; i++)
        g_clear_pointer (&g_array_index (result->trades, HsBtTrade, i).signal_json, g_free);
      g_array_unref (result->trades);
    }
  g_free (result->ts);
  g_free (result->equity);
  g_free (result->cash);
  g_free (result->holdings);
  g_free (result->drawdown);
  g_free (result->benchmark);
  hs_statistics_clear (&result->stats);
  g_free (result);
}

/* The names of backtest_trades.exit_reason (migrations/004); a reversal is the strategy's
 * signal in the other direction. */
const char *
hs_exit_reason_to_string (HsExitReason reason)
{
  switch (reason)
    {
    case HS_EXIT_SIGNAL:
    case HS_EXIT_REVERSAL:
      return "signal";
    case HS_EXIT_STOP_LOSS:
      return "stop_loss";
    case HS_EXIT_TAKE_PROFIT:
      return "take_profit";
    case HS_EXIT_TIME_STOP:
      return "time_stop";
    case HS_EXIT_END_OF_DATA:
      return "end_of_data";
    default:
      return NULL;
    }
}
