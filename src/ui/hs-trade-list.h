/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-backtest.h"

G_BEGIN_DECLS

/* One trade of a run as a list item: the trade's index in the run and the run's trade array. */
#define HS_TYPE_TRADE_ITEM (hs_trade_item_get_type ())

G_DECLARE_FINAL_TYPE (HsTradeItem, hs_trade_item, HS, TRADE_ITEM, GObject)

guint            hs_trade_item_get_index (HsTradeItem *self);
const HsBtTrade *hs_trade_item_get_trade (HsTradeItem *self);

/* A run's trades as a GListModel of HsTradeItem, made on demand (a list of 100,000 trades
 * costs one pointer per trade until rows are shown or sorted). */
#define HS_TYPE_TRADE_MODEL (hs_trade_model_get_type ())

G_DECLARE_FINAL_TYPE (HsTradeModel, hs_trade_model, HS, TRADE_MODEL, GObject)

HsTradeModel    *hs_trade_model_new      (GArray       *trades);

/* The table: sortable columns over the model, a single selection. */
#define HS_TYPE_TRADE_LIST (hs_trade_list_get_type ())

G_DECLARE_FINAL_TYPE (HsTradeList, hs_trade_list, HS, TRADE_LIST, GtkWidget)

GtkWidget       *hs_trade_list_new             (void);
void             hs_trade_list_set_trades      (HsTradeList  *self,
                                                GArray       *trades);
guint            hs_trade_list_get_n_trades    (HsTradeList  *self);
gboolean         hs_trade_list_select_trade    (HsTradeList  *self,
                                                guint         index);
int              hs_trade_list_get_selected    (HsTradeList  *self);
GtkColumnView   *hs_trade_list_get_column_view (HsTradeList  *self);
GListModel      *hs_trade_list_get_model       (HsTradeList  *self);
gboolean         hs_trade_list_sort_by         (HsTradeList  *self,
                                                const char   *column,
                                                gboolean      descending);
char            *hs_trade_list_dup_cell_text   (HsTradeList  *self,
                                                guint         position,
                                                const char   *column);

G_END_DECLS
