/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-backtest-compare.h"
#include "hs-backtest-history.h"
#include "hs-backtest-results.h"
#include "hs-backtest-setup.h"

G_BEGIN_DECLS

#define HS_TYPE_BACKTEST_PAGE (hs_backtest_page_get_type ())

G_DECLARE_FINAL_TYPE (HsBacktestPage, hs_backtest_page, HS, BACKTEST_PAGE, GtkWidget)

GtkWidget         *hs_backtest_page_new               (void);
void               hs_backtest_page_set_database_path (HsBacktestPage *self,
                                                       const char     *path);
void               hs_backtest_page_reload            (HsBacktestPage *self);
void               hs_backtest_page_show              (HsBacktestPage *self,
                                                       const char     *view);
const char        *hs_backtest_page_get_visible       (HsBacktestPage *self);
HsBacktestSetup   *hs_backtest_page_get_setup         (HsBacktestPage *self);
HsBacktestResults *hs_backtest_page_get_results       (HsBacktestPage *self);
HsBacktestHistory *hs_backtest_page_get_history       (HsBacktestPage *self);
HsBacktestCompare *hs_backtest_page_get_compare       (HsBacktestPage *self);
const char        *hs_backtest_page_get_last_toast    (HsBacktestPage *self);

G_END_DECLS
