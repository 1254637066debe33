/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_BACKTEST_COMPARE (hs_backtest_compare_get_type ())

G_DECLARE_FINAL_TYPE (HsBacktestCompare, hs_backtest_compare, HS, BACKTEST_COMPARE, GtkWidget)

GtkWidget *hs_backtest_compare_new               (void);
void       hs_backtest_compare_set_database_path (HsBacktestCompare *self,
                                                  const char        *path);
void       hs_backtest_compare_load              (HsBacktestCompare *self,
                                                  const int64_t     *ids,
                                                  size_t             n_ids);
void       hs_backtest_compare_set_runs          (HsBacktestCompare *self,
                                                  GPtrArray         *runs);
gboolean   hs_backtest_compare_get_loading       (HsBacktestCompare *self);
guint      hs_backtest_compare_get_n_runs        (HsBacktestCompare *self);
GtkLabel  *hs_backtest_compare_get_cell          (HsBacktestCompare *self,
                                                  const char        *column,
                                                  guint              run);
gboolean   hs_backtest_compare_is_better         (HsBacktestCompare *self,
                                                  const char        *column,
                                                  guint              run);
GtkWidget *hs_backtest_compare_get_chart         (HsBacktestCompare *self);

G_END_DECLS
