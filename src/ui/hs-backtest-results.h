/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-backtest-job.h"
#include "hs-backtest-stats.h"
#include "hs-sweep-job.h"
#include "hs-sweep-results.h"
#include "hs-trade-list.h"

G_BEGIN_DECLS

#define HS_TYPE_BACKTEST_RESULTS (hs_backtest_results_get_type ())

G_DECLARE_FINAL_TYPE (HsBacktestResults, hs_backtest_results, HS, BACKTEST_RESULTS, GtkWidget)

GtkWidget         *hs_backtest_results_new               (void);
void               hs_backtest_results_set_database_path (HsBacktestResults *self,
                                                          const char        *path);
void               hs_backtest_results_show_outcome      (HsBacktestResults *self,
                                                          HsBacktestOutcome *outcome);
void               hs_backtest_results_show_sweep        (HsBacktestResults *self,
                                                          HsSweepOutcome    *outcome);
void               hs_backtest_results_show_run          (HsBacktestResults *self,
                                                          int64_t            run_id);
void               hs_backtest_results_clear             (HsBacktestResults *self);

const char        *hs_backtest_results_get_view          (HsBacktestResults *self);
gboolean           hs_backtest_results_get_loading       (HsBacktestResults *self);
const HsBtRunInfo *hs_backtest_results_get_info          (HsBacktestResults *self);
const HsBtResult  *hs_backtest_results_get_result        (HsBacktestResults *self);
gboolean           hs_backtest_results_get_cache_hit     (HsBacktestResults *self);
const char        *hs_backtest_results_get_title         (HsBacktestResults *self);
HsBacktestStats   *hs_backtest_results_get_stats         (HsBacktestResults *self);
HsTradeList       *hs_backtest_results_get_trade_list    (HsBacktestResults *self);
HsSweepResults    *hs_backtest_results_get_sweep_view    (HsBacktestResults *self);
GtkWidget         *hs_backtest_results_get_chart         (HsBacktestResults *self,
                                                          const char        *name);
void               hs_backtest_results_show_chart        (HsBacktestResults *self,
                                                          const char        *name);
const char        *hs_backtest_results_get_visible_chart (HsBacktestResults *self);
void               hs_backtest_results_scroll_to         (HsBacktestResults *self,
                                                          const char        *section);

G_END_DECLS
