/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every chart shares: the palette (HsChartStyle), the visible range (HsChartView), axis
 * ticks, the resolved geometry of a drawn chart (HsChartLayout) and the table of functions a
 * chart kind offers (HsChartPainter), through which HsChartWidget hosts any of them.
 *
 * The painters themselves (hs-chart-equity.h, hs-chart-candles.h, hs-chart-heatmap.h,
 * hs-chart-histogram.h, hs-chart-scatter.h) are plain functions of
 *
 *   (cairo_t *cr, const Data *data, const HsChartView *view, int width, int height,
 *    const HsChartStyle *style)
 *
 * using cairo, pango and GLib only, so the same call draws on screen, into PNG/SVG/PDF files
 * (hs_chart_export_file()) and in tests without a display. They draw into the rectangle
 * (0, 0, width, height) of @cr's user space, background included. Data are borrowed for the
 * call; nothing is kept between calls.
 *
 * Coordinates: "data x" is µs UTC (as a double, exact below 2^53) for time charts and the
 * value itself for the others; pixels are @cr's user units with y growing downwards.
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct
{
  double r, g, b, a;
} HsChartRgba;

typedef struct
{
  double x, y, width, height;
} HsChartRect;

/* Colours and type of every chart. Fill one with hs_chart_style_init(); change fields after. */
typedef struct
{
  gboolean     dark;
  HsChartRgba  background;
  HsChartRgba  text;          /* labels, titles */
  HsChartRgba  text_dim;      /* axis labels */
  HsChartRgba  grid;          /* grid lines */
  HsChartRgba  grid_major;    /* grid lines of ticks that start a larger unit (a day, a year) */
  HsChartRgba  axis;          /* zero lines, axis base lines */
  HsChartRgba  series;        /* the main line: equity, price */
  HsChartRgba  benchmark;
  HsChartRgba  drawdown;      /* the underwater line; its area is the same colour, translucent */
  HsChartRgba  up, down;      /* candles: close ≥ open / close < open */
  HsChartRgba  win, loss;     /* trades, positive and negative bins and cells */
  HsChartRgba  neutral;       /* the middle of diverging colour scales (zero) */
  HsChartRgba  highlight;     /* the selected point, the best cell */
  HsChartRgba  crosshair;
  const char  *font_family;   /* (unowned) must outlive the style's use */
  double       font_px;       /* label size in device units (pixels; points in PDF and SVG) */
  double       line_width;    /* the main series' stroke */
} HsChartStyle;

/* The visible part of a chart. NAN fields are fitted to the data: x to all of it, y to what is
 * visible in x. Charts without zoom (the heat maps) ignore the ranges. */
typedef struct
{
  double x_min, x_max;     /* data x */
  double y_min, y_max;     /* the main pane's values */
  double y2_min, y2_max;   /* the lower pane's values (drawdown %, volume) */
  int    highlight;        /* index of the item to emphasise (a selected trade), −1: none */
} HsChartView;

typedef enum
{
  HS_CHART_FORMAT_NUMBER,    /* 1-2-5 steps, as many decimals as the step needs, no grouping */
  HS_CHART_FORMAT_PERCENT,   /* values are percent: "−12%", "2.5%" */
  HS_CHART_FORMAT_TIME,      /* values are µs UTC (hs_chart_ticks_time()) */
  HS_CHART_FORMAT_COMPACT,   /* counts with k, M, B suffixes: "800k", "1.2M" (volume) */
} HsChartFormat;

typedef enum
{
  HS_CHART_TIME_MINUTE,
  HS_CHART_TIME_HOUR,
  HS_CHART_TIME_DAY,
  HS_CHART_TIME_WEEK,        /* Mondays */
  HS_CHART_TIME_MONTH,
  HS_CHART_TIME_YEAR,
} HsChartTimeUnit;

#define HS_CHART_MAX_TICKS 64

typedef struct
{
  double   value;      /* data value (µs UTC for time) */
  double   pos;        /* pixel along the axis, set by the painter's layout; 0 before */
  gboolean major;      /* starts a larger unit (midnight, the 1st, January), or the zero */
  char     label[32];  /* UTF-8 */
} HsChartTick;

typedef struct
{
  int             n;
  double          step;          /* linear: the 1-2-5 step; time: the step's length in µs
                                  * (months and years: their average length) */
  HsChartTimeUnit unit;          /* time ticks only */
  int             unit_count;    /* time ticks only: the step is unit_count × unit */
  HsChartTick     ticks[HS_CHART_MAX_TICKS];
} HsChartTicks;

/* Where a chart drew what, as its painter computed it for (data, view, width, height, style). */
typedef struct
{
  HsChartRect  plot;        /* the main pane's data area */
  HsChartRect  lower;       /* the lower pane's data area (drawdown, volume); zero size: none */
  HsChartView  view;        /* every range resolved (no NAN) */
  HsChartTicks x_ticks;     /* pos: pixel x */
  HsChartTicks y_ticks;     /* pos: pixel y in plot */
  HsChartTicks y2_ticks;    /* pos: pixel y in lower */
} HsChartLayout;

/* What lies under a pointer: the nearest item and a one-line readout. */
typedef struct
{
  int    index;        /* the item (bar, trade, bin, cell), −1: none */
  double x, y;         /* data coordinates under the pointer */
  double snap_x;       /* pixel of the crosshair: the item's, or the pointer's */
  double snap_y;
  char   text[256];    /* UTF-8 readout, "" when index is −1 and nothing is worth saying */
} HsChartProbe;

typedef enum
{
  HS_CHART_ZOOM_X = 1 << 0,   /* scroll, drag and keys move the x range */
  HS_CHART_ZOOM_Y = 1 << 1,   /* … and the y range (scatter) */
  HS_CHART_TIME_X = 1 << 2,   /* x is time */
} HsChartFlags;

/* One chart kind, as HsChartWidget and hs_chart_export_file() use it. @data is the kind's data
 * struct. layout and probe may be given a NULL @cr; they then measure text on a scratch
 * surface. */
typedef struct
{
  const char *name;
  unsigned    flags;   /* HsChartFlags */
  /* Paints like hs_paint_<kind>() and, when @layout is not NULL, also returns what
   * layout() would (one pass instead of two for the widget's redraws). */
  void      (*paint)    (cairo_t            *cr,
                         gconstpointer       data,
                         const HsChartView  *view,
                         int                 width,
                         int                 height,
                         const HsChartStyle *style,
                         HsChartLayout      *layout);
  /* FALSE when there is nothing to draw (no data); @out is then zeroed. */
  gboolean  (*layout)   (cairo_t            *cr,
                         gconstpointer       data,
                         const HsChartView  *view,
                         int                 width,
                         int                 height,
                         const HsChartStyle *style,
                         HsChartLayout      *out);
  /* The whole data's x and y ranges (the view "reset" returns to); FALSE when empty. */
  gboolean  (*extent)   (gconstpointer       data,
                         HsChartView        *out);
  /* The item at pixel (@px, @py) of a chart with @layout; fills @out, returns out->index. */
  int       (*probe)    (gconstpointer        data,
                         const HsChartLayout *layout,
                         double               px,
                         double               py,
                         HsChartProbe        *out);
  /* (transfer full): one or two sentences for the accessible description. */
  char     *(*describe) (gconstpointer       data);
} HsChartPainter;

void     hs_chart_style_init      (HsChartStyle       *style,
                                   gboolean            dark);
void     hs_chart_view_init       (HsChartView        *view);

void     hs_chart_ticks_linear    (double              min,
                                   double              max,
                                   int                 max_ticks,
                                   HsChartFormat       format,
                                   HsChartTicks       *out);
void     hs_chart_ticks_time      (int64_t             min_us,
                                   int64_t             max_us,
                                   int                 max_ticks,
                                   HsChartTicks       *out);
void     hs_chart_format_value    (double              value,
                                   double              step,
                                   HsChartFormat       format,
                                   char               *buf,
                                   size_t              size);
void     hs_chart_format_time     (int64_t             us,
                                   char               *buf,
                                   size_t              size);
double   hs_chart_map             (double              v,
                                   double              v0,
                                   double              v1,
                                   double              p0,
                                   double              p1);

typedef enum
{
  HS_CHART_FILE_PNG,
  HS_CHART_FILE_SVG,
  HS_CHART_FILE_PDF,
} HsChartFileFormat;

gboolean hs_chart_file_format_from_name (const char        *name,
                                         HsChartFileFormat *out);
gboolean hs_chart_export_file     (const HsChartPainter *painter,
                                   gconstpointer        data,
                                   const HsChartView   *view,
                                   const HsChartStyle  *style,
                                   HsChartFileFormat    format,
                                   int                  width,
                                   int                  height,
                                   const char          *path,
                                   GError             **error);

G_END_DECLS
