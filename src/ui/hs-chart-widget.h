/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsChartWidget: any chart painter (hs-chart.h) on screen, with a crosshair and value readout,
 * scroll to zoom around the pointer, drag to pan, double-click (or Home) to reset, keyboard
 * zoom and pan (+ − arrows), and a context menu (right click, Menu or Shift+F10) exporting
 * PNG, SVG or PDF. The palette follows AdwStyleManager:dark.
 *
 * Usage:
 *
 *   GtkWidget *chart = hs_chart_widget_new ();
 *   hs_chart_widget_set_title (HS_CHART_WIDGET (chart), _("Equity"));
 *   hs_chart_widget_set_equity (HS_CHART_WIDGET (chart),
 *                               hs_equity_chart_data_new (r->ts, r->equity, r->benchmark,
 *                                                         r->drawdown, r->n));
 *   g_signal_connect (chart, "point-activated", G_CALLBACK (select_trade_cb), self);
 *
 * "point-activated" (int index) is emitted on a click on an item: a trade of the scatter, a
 * bar or point of the time charts, a bin, a cell (row × 13 + column of the monthly returns,
 * iy × nx + ix of the sweep). "point-hovered" (int index, −1 when none) follows the pointer.
 * Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "hs-chart.h"
#include "hs-chart-candles.h"
#include "hs-chart-equity.h"
#include "hs-chart-heatmap.h"
#include "hs-chart-histogram.h"
#include "hs-chart-scatter.h"

G_BEGIN_DECLS

#define HS_TYPE_CHART_WIDGET (hs_chart_widget_get_type ())

G_DECLARE_FINAL_TYPE (HsChartWidget, hs_chart_widget, HS, CHART_WIDGET, GtkWidget)

GtkWidget            *hs_chart_widget_new                 (void);

void                  hs_chart_widget_set_chart           (HsChartWidget        *self,
                                                           const HsChartPainter *painter,
                                                           gpointer              data,
                                                           GDestroyNotify        destroy);
void                  hs_chart_widget_set_equity          (HsChartWidget        *self,
                                                           HsEquityChartData    *data);
void                  hs_chart_widget_set_candles         (HsChartWidget        *self,
                                                           HsCandleChartData    *data);
void                  hs_chart_widget_set_monthly_returns (HsChartWidget        *self,
                                                           HsMonthlyReturnsData *data);
void                  hs_chart_widget_set_histogram       (HsChartWidget        *self,
                                                           HsHistogramData      *data);
void                  hs_chart_widget_set_scatter         (HsChartWidget        *self,
                                                           HsScatterData        *data);
void                  hs_chart_widget_set_sweep_heatmap   (HsChartWidget        *self,
                                                           HsSweepHeatmapData   *data);
const HsChartPainter *hs_chart_widget_get_painter         (HsChartWidget        *self);
gconstpointer         hs_chart_widget_get_data            (HsChartWidget        *self);

const char           *hs_chart_widget_get_title           (HsChartWidget        *self);
void                  hs_chart_widget_set_title           (HsChartWidget        *self,
                                                           const char           *title);

void                  hs_chart_widget_get_view            (HsChartWidget        *self,
                                                           HsChartView          *view);
void                  hs_chart_widget_set_view            (HsChartWidget        *self,
                                                           const HsChartView    *view);
void                  hs_chart_widget_reset_view          (HsChartWidget        *self);
gboolean              hs_chart_widget_get_zoomed          (HsChartWidget        *self);
int                   hs_chart_widget_get_highlight       (HsChartWidget        *self);
void                  hs_chart_widget_set_highlight       (HsChartWidget        *self,
                                                           int                   index);
gboolean              hs_chart_widget_get_dark            (HsChartWidget        *self);
const char           *hs_chart_widget_get_readout         (HsChartWidget        *self);

gboolean              hs_chart_widget_export              (HsChartWidget        *self,
                                                           HsChartFileFormat     format,
                                                           int                   width,
                                                           int                   height,
                                                           gboolean              dark,
                                                           const char           *path,
                                                           GError              **error);

G_END_DECLS
