/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hs-backtest.h"
#include "hs-store-backtest.h"

G_BEGIN_DECLS

/* The backtest pages' charts: HsChartWidget (hs-chart-widget.h) fed from a run's result. */

GtkWidget *hs_backtest_chart_new           (const char        *title);
void       hs_backtest_chart_clear         (GtkWidget         *chart);
void       hs_backtest_chart_set_equity    (GtkWidget         *chart,
                                            const HsBtResult  *result,
                                            const char        *benchmark);
void       hs_backtest_chart_set_monthly   (GtkWidget         *chart,
                                            const HsBtResult  *result);
void       hs_backtest_chart_set_histogram (GtkWidget         *chart,
                                            const HsBtResult  *result);
void       hs_backtest_chart_set_scatter   (GtkWidget         *chart,
                                            const HsBtResult  *result);
void       hs_backtest_chart_set_sweep     (GtkWidget         *chart,
                                            const char        *x_name,
                                            const char *const *x_labels,
                                            size_t             nx,
                                            const char        *y_name,
                                            const char *const *y_labels,
                                            size_t             ny,
                                            const double      *values,
                                            const char        *statistic,
                                            gboolean           lower_is_better);
void       hs_backtest_chart_set_overlaid  (GtkWidget         *chart,
                                            GPtrArray         *runs);

G_END_DECLS
