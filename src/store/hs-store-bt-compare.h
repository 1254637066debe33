/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* One row of the view backtest_strategy_comparison (seed 004's "compare strategies" query over
 * completed, computed runs, migrations/006): averages per strategy. NAN where every run's value
 * is NULL. */
typedef struct
{
  char    *strategy_name;       /* (owned) */
  int64_t  runs;
  int64_t  versions;
  double   avg_win_rate;
  double   avg_sharpe;
  double   avg_sortino;
  double   avg_max_dd;
  double   avg_profit_factor;
  double   avg_net_profit;
  double   avg_total_trades;
  int64_t  last_run_at;         /* µs UTC */
} HsStrategyComparison;

void     hs_strategy_comparison_free  (HsStrategyComparison *row);
gboolean hs_store_strategy_comparison (HsStore              *store,
                                       GPtrArray           **rows,
                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStrategyComparison, hs_strategy_comparison_free)

G_END_DECLS
