/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What HsChartWidget's event controllers do, callable directly: GTK 4 cannot synthesise
 * pointer events, so the GUI tests drive the same code paths through these. Coordinates are
 * the widget's.
 */
#pragma once

#include "hs-chart-widget.h"

G_BEGIN_DECLS

void                 hs_chart_widget_pointer_motion (HsChartWidget *self,
                                                     double         x,
                                                     double         y);
void                 hs_chart_widget_pointer_leave  (HsChartWidget *self);
void                 hs_chart_widget_scroll_zoom    (HsChartWidget *self,
                                                     double         x,
                                                     double         y,
                                                     double         dy);
void                 hs_chart_widget_drag_begin     (HsChartWidget *self);
void                 hs_chart_widget_drag_update    (HsChartWidget *self,
                                                     double         dx,
                                                     double         dy);
void                 hs_chart_widget_click          (HsChartWidget *self,
                                                     double         x,
                                                     double         y,
                                                     int            n_press);
const HsChartLayout *hs_chart_widget_get_layout     (HsChartWidget *self);
const HsChartStyle  *hs_chart_widget_get_style      (HsChartWidget *self);
GtkWidget           *hs_chart_widget_get_menu       (HsChartWidget *self);

G_END_DECLS
