/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hs-trade-stats.h"

G_BEGIN_DECLS

#define HS_TYPE_TRADES_PAGE (hs_trades_page_get_type ())

G_DECLARE_FINAL_TYPE (HsTradesPage, hs_trades_page, HS, TRADES_PAGE, GtkWidget)

/* The Trades page (docs/ui-trades.md): the paper trades (or a backtest run's trades) a training
 * query selects, in a sortable list with a footer of counts and means, analysis views of the same
 * set, the trade inspector beside them, and the forensic labeler's progress.
 *
 * Signals:
 *   "trades-loaded": a load finished (the list, footer and views show its rows).
 *   "labeler-finished" (int n_labeled): a labeler run finished; -1 when it failed. */

GtkWidget        *hs_trades_page_new               (void);
void              hs_trades_page_set_database_path (HsTradesPage *self,
                                                    const char   *db_path);
const char       *hs_trades_page_get_database_path (HsTradesPage *self);
void              hs_trades_page_reload            (HsTradesPage *self);
gboolean          hs_trades_page_get_loading       (HsTradesPage *self);

/* The source: 0 for the paper trades, or a backtest run's id (its trades). */
void              hs_trades_page_set_run           (HsTradesPage *self,
                                                    gint64        run_id);
gint64            hs_trades_page_get_run           (HsTradesPage *self);

/* The query bar. */
void              hs_trades_page_set_query         (HsTradesPage *self,
                                                    const char   *text);
GtkEntry         *hs_trades_page_get_query_entry   (HsTradesPage *self);
const char       *hs_trades_page_get_query_error   (HsTradesPage *self);
GStrv             hs_trades_page_dup_completions   (HsTradesPage *self);
gboolean          hs_trades_page_complete          (HsTradesPage *self,
                                                    guint         index);
gboolean          hs_trades_page_save_query        (HsTradesPage *self,
                                                    const char   *name);
gboolean          hs_trades_page_apply_saved_query (HsTradesPage *self,
                                                    const char   *name);

/* The list, in its sorted order. */
guint             hs_trades_page_get_n_trades      (HsTradesPage *self);
const HsTradeRow *hs_trades_page_get_row           (HsTradesPage *self,
                                                    guint         position);
char             *hs_trades_page_dup_cell_text     (HsTradesPage *self,
                                                    guint         position,
                                                    const char   *column);
gboolean          hs_trades_page_sort_by           (HsTradesPage *self,
                                                    const char   *column,
                                                    gboolean      descending);
gboolean          hs_trades_page_select            (HsTradesPage *self,
                                                    guint         position);
int               hs_trades_page_get_selected      (HsTradesPage *self);
gboolean          hs_trades_page_select_trade      (HsTradesPage *self,
                                                    gint64        trade_id);
const char       *hs_trades_page_get_footer        (HsTradesPage *self);
void              hs_trades_page_show_view         (HsTradesPage *self,
                                                    const char   *name);
GtkWidget        *hs_trades_page_get_view          (HsTradesPage *self,
                                                    const char   *name);
GtkWidget        *hs_trades_page_get_inspector     (HsTradesPage *self);

/* The forensic labeler, with its progress on the page. */
gboolean          hs_trades_page_run_labeler       (HsTradesPage *self);
gboolean          hs_trades_page_get_labeling      (HsTradesPage *self);

G_END_DECLS
