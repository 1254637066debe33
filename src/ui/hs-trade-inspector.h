/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HS_TYPE_TRADE_INSPECTOR (hs_trade_inspector_get_type ())

G_DECLARE_FINAL_TYPE (HsTradeInspector, hs_trade_inspector, HS, TRADE_INSPECTOR, GtkWidget)

/* The inspector of one paper trade (issue 8): AI reasoning, context at entry, outcome with the
 * replay chart, tags and notes. It reads the trade itself on a worker from the database set
 * with hs_trade_inspector_set_database().
 *
 * Signals:
 *   "navigate" (int step): the user asked for the previous (-1) or next (+1) trade; the list
 *                          that hosts the inspector answers with hs_trade_inspector_show_trade().
 *   "trade-changed" (gint64 id): tags or notes of that trade were saved; lists refresh the row. */
GtkWidget *hs_trade_inspector_new           (void);
void       hs_trade_inspector_set_database  (HsTradeInspector *self,
                                             const char       *db_path);
void       hs_trade_inspector_show_trade    (HsTradeInspector *self,
                                             gint64            trade_id);
gint64     hs_trade_inspector_get_trade_id  (HsTradeInspector *self);

/* For tests and accessibility checks (hs-trade-inspector.c documents the keys). */
char       *hs_trade_inspector_dup_text          (HsTradeInspector *self,
                                                  const char       *key);
gboolean    hs_trade_inspector_get_busy          (HsTradeInspector *self);
const char *hs_trade_inspector_get_view          (HsTradeInspector *self);
const char *hs_trade_inspector_get_reasoning_view (HsTradeInspector *self);

G_END_DECLS
