/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-store-backtest.h"

G_BEGIN_DECLS

#define HS_TYPE_RUN_ITEM (hs_run_item_get_type ())

G_DECLARE_FINAL_TYPE (HsRunItem, hs_run_item, HS, RUN_ITEM, GObject)

const HsBtRunRow *hs_run_item_get_row (HsRunItem *self);

#define HS_TYPE_BACKTEST_HISTORY (hs_backtest_history_get_type ())

G_DECLARE_FINAL_TYPE (HsBacktestHistory, hs_backtest_history, HS, BACKTEST_HISTORY, GtkWidget)

GtkWidget     *hs_backtest_history_new               (void);
void           hs_backtest_history_set_database_path (HsBacktestHistory *self,
                                                      const char        *path);
void           hs_backtest_history_reload            (HsBacktestHistory *self);
gboolean       hs_backtest_history_get_loading       (HsBacktestHistory *self);

gboolean       hs_backtest_history_set_filter        (HsBacktestHistory *self,
                                                      const char        *strategy,
                                                      const char        *symbol,
                                                      const char        *from,
                                                      const char        *to);
GListModel    *hs_backtest_history_get_rows          (HsBacktestHistory *self);
GtkColumnView *hs_backtest_history_get_table         (HsBacktestHistory *self);
gboolean       hs_backtest_history_sort_by           (HsBacktestHistory *self,
                                                      const char        *column,
                                                      gboolean           descending);
void           hs_backtest_history_select            (HsBacktestHistory *self,
                                                      const int64_t     *ids,
                                                      size_t             n_ids);
GArray        *hs_backtest_history_dup_selected_ids  (HsBacktestHistory *self);
GPtrArray     *hs_backtest_history_get_strategies    (HsBacktestHistory *self);
void           hs_backtest_history_delete_selected   (HsBacktestHistory *self,
                                                      gboolean           confirm);

G_END_DECLS
