/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers the painters share (hs-chart.c): text through one PangoLayout, colours, axes and
 * grids, colour scales. Not for callers outside src/ui/hs-chart-*.c.
 */
#pragma once

#include <pango/pangocairo.h>

#include "hs-chart.h"
#include "hs-chart-decimate.h"

G_BEGIN_DECLS

/* The top of the legend row of charts with panes. */
#define HS_CHART_LEGEND_Y 6.0

/* Measures and draws labels. Bound to @cr, or to a scratch surface when @cr was NULL (for
 * layouts computed without drawing). */
typedef struct
{
  cairo_t         *cr;        /* (unowned) or the scratch one (owned) */
  cairo_surface_t *scratch;   /* (owned) (nullable) */
  PangoLayout     *layout;    /* (owned) */
  double           line_h;    /* pixel height of one line of label text */
} HsChartText;

void   hs_chart_text_init       (HsChartText        *t,
                                 cairo_t            *cr,
                                 const HsChartStyle *style);
void   hs_chart_text_clear      (HsChartText        *t);
double hs_chart_text_width      (HsChartText        *t,
                                 const char         *text);
void   hs_chart_text_draw       (HsChartText        *t,
                                 const char         *text,
                                 double              x,
                                 double              y,
                                 double              xalign,
                                 double              yalign,
                                 const HsChartRgba  *color);
void   hs_chart_text_set_bold   (HsChartText        *t,
                                 gboolean            bold);

void   hs_chart_set_color       (cairo_t            *cr,
                                 const HsChartRgba  *color);
void   hs_chart_set_color_alpha (cairo_t            *cr,
                                 const HsChartRgba  *color,
                                 double              alpha);
void   hs_chart_paint_background (cairo_t           *cr,
                                  int                width,
                                  int                height,
                                  const HsChartStyle *style);
void   hs_chart_draw_message    (cairo_t            *cr,
                                 int                 width,
                                 int                 height,
                                 const HsChartStyle *style,
                                 const char         *message);

/* Ticks placed along an axis: labels measured, thinned until they do not overlap, pos set. */
void   hs_chart_fit_x_ticks     (HsChartText        *t,
                                 double              min,
                                 double              max,
                                 HsChartFormat       format,
                                 double              x0,
                                 double              x1,
                                 HsChartTicks       *out);
void   hs_chart_fit_y_ticks     (HsChartText        *t,
                                 double              min,
                                 double              max,
                                 HsChartFormat       format,
                                 double              y_top,
                                 double              y_bottom,
                                 HsChartTicks       *out);
double hs_chart_ticks_label_width (HsChartText      *t,
                                   const HsChartTicks *ticks);

void   hs_chart_draw_grid_x     (cairo_t            *cr,
                                 const HsChartStyle *style,
                                 const HsChartTicks *ticks,
                                 const HsChartRect  *area);
void   hs_chart_draw_grid_y     (cairo_t            *cr,
                                 const HsChartStyle *style,
                                 const HsChartTicks *ticks,
                                 const HsChartRect  *area);
void   hs_chart_draw_x_labels   (HsChartText        *t,
                                 const HsChartStyle *style,
                                 const HsChartTicks *ticks,
                                 double              y,
                                 double              surface_width);
void   hs_chart_draw_y_labels   (HsChartText        *t,
                                 const HsChartStyle *style,
                                 const HsChartTicks *ticks,
                                 double              x_right);
void   hs_chart_draw_frame      (cairo_t            *cr,
                                 const HsChartStyle *style,
                                 const HsChartRect  *area);

/* A series on a plot: @r's rectangle shows x_min … x_max and y_min … y_max of @view (y2 when
 * @lower). */
typedef struct
{
  HsChartRect rect;
  double      x_min, x_max, y_min, y_max;
} HsChartMapping;

void   hs_chart_mapping_init    (HsChartMapping     *m,
                                 const HsChartRect  *rect,
                                 const HsChartView  *view,
                                 gboolean            lower);
void   hs_chart_draw_line       (cairo_t            *cr,
                                 const HsChartMapping *m,
                                 const HsChartPoint *points,
                                 size_t              n,
                                 double              line_width,
                                 const HsChartRgba  *color);
void   hs_chart_draw_area       (cairo_t            *cr,
                                 const HsChartMapping *m,
                                 const HsChartPoint *points,
                                 size_t              n,
                                 double              base,
                                 const HsChartRgba  *color,
                                 double              alpha);
void   hs_chart_layout_panes    (HsChartText        *t,
                                 int                 width,
                                 int                 height,
                                 double              lower_share,
                                 HsChartFormat       x_format,
                                 HsChartFormat       y_format,
                                 HsChartFormat       y2_format,
                                 HsChartLayout      *l);
double hs_chart_legend_entry    (HsChartText        *t,
                                 const HsChartStyle *style,
                                 double              x,
                                 double              y,
                                 const char         *name,
                                 const HsChartRgba  *color);
void   hs_chart_draw_pane_grids (cairo_t            *cr,
                                 const HsChartStyle *style,
                                 const HsChartLayout *l);
void   hs_chart_draw_pane_labels (HsChartText       *t,
                                  const HsChartStyle *style,
                                  const HsChartLayout *l,
                                  int                width,
                                  const char        *lower_title);
void   hs_chart_pad_range       (double             *min,
                                 double             *max,
                                 double              fraction);
gboolean hs_chart_rect_contains (const HsChartRect  *rect,
                                 double              x,
                                 double              y);

/* Colour scales for heat maps: @t in −1 … 1 runs loss … neutral … win. */
void   hs_chart_diverging       (const HsChartStyle *style,
                                 double              t,
                                 HsChartRgba        *out);
void   hs_chart_series_color    (const HsChartStyle *style,
                                 size_t              i,
                                 HsChartRgba        *out);
const HsChartRgba *hs_chart_contrast_text (const HsChartStyle *style,
                                           const HsChartRgba  *background);

/* The HsChartPainter entry points of a chart kind whose painter and layout take its own data
 * struct: @prefix_paint and @prefix_layout forwarding to @paint_fn and @layout_fn (the
 * layout a paint reports is computed apart). */
#define HS_CHART_PAINTER_GLUE(prefix, paint_fn, layout_fn)                                   \
  static gboolean                                                                            \
  prefix##_layout (cairo_t *cr, gconstpointer data, const HsChartView *view, int width,       \
                   int height, const HsChartStyle *style, HsChartLayout *out)                \
  {                                                                                          \
    return layout_fn (cr, data, view, width, height, style, out);                            \
  }                                                                                          \
  static void                                                                                \
  prefix##_paint (cairo_t *cr, gconstpointer data, const HsChartView *view, int width,        \
                  int height, const HsChartStyle *style, HsChartLayout *out)                 \
  {                                                                                          \
    paint_fn (cr, data, view, width, height, style);                                         \
    if (out != NULL)                                                                         \
      prefix##_layout (cr, data, view, width, height, style, out);                           \
  }

void   hs_chart_probe_init      (HsChartProbe       *out,
                                 double              px,
                                 double              py);

G_END_DECLS
