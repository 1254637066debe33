/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-backtest.h"

G_BEGIN_DECLS

#define HS_TYPE_BACKTEST_STATS (hs_backtest_stats_get_type ())

G_DECLARE_FINAL_TYPE (HsBacktestStats, hs_backtest_stats, HS, BACKTEST_STATS, GtkWidget)

GtkWidget  *hs_backtest_stats_new             (void);
void        hs_backtest_stats_set_result      (HsBacktestStats  *self,
                                               const HsBtResult *result);
GtkLabel   *hs_backtest_stats_get_value_label (HsBacktestStats  *self,
                                               const char       *column);
GtkWidget  *hs_backtest_stats_get_group       (HsBacktestStats  *self,
                                               guint             group);

G_END_DECLS
