/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-trade-stats.h"

G_BEGIN_DECLS

#define HS_TYPE_TRADE_ANALYSIS (hs_trade_analysis_get_type ())

G_DECLARE_FINAL_TYPE (HsTradeAnalysis, hs_trade_analysis, HS, TRADE_ANALYSIS, GtkWidget)

/* The Trades page's table views of the filtered set (docs/ui-trades.md): the AI calibration
 * (confidence buckets against count, win rate with a bar, and mean target_pnl_1h) or the
 * breakdown by prompt version and by model (count, win rate, mean P&L). The figures come from
 * hs-trade-stats.c; this widget only lays them out. */
typedef enum
{
  HS_TRADE_ANALYSIS_CALIBRATION,
  HS_TRADE_ANALYSIS_BREAKDOWN,
} HsTradeAnalysisMode;

GtkWidget *hs_trade_analysis_new           (HsTradeAnalysisMode  mode);
void       hs_trade_analysis_set_rows      (HsTradeAnalysis     *self,
                                            HsTradeRow *const   *rows,
                                            size_t               n);
/* The text of a table cell: @table 0 (calibration, or the breakdown by prompt version) or 1 (by
 * model); @row 0 is the first data row; NULL outside the table. */
char      *hs_trade_analysis_dup_cell      (HsTradeAnalysis     *self,
                                            int                  table,
                                            int                  row,
                                            int                  column);

G_END_DECLS
