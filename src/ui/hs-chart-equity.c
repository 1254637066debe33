/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The equity and drawdown chart. A paint decimates each series to the surface's pixel columns
 * (hs-chart-decimate.c) once, fits the y ranges to the decimated points (which keep every
 * extreme, so the fit equals a fit over the raw points), lays out two panes sharing the time
 * axis — equity above, drawdown below (68 : 32) — and strokes one path per series. With a
 * million points the decimation is the main cost; bench-chart measures it.
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart-equity.h"
#include "hs-chart-decimate.h"
#include "hs-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* A layout and the decimated series it was fitted to, in data units. */
typedef struct
{
  HsChartLayout layout;
  HsChartPoint *equity;      /* (owned) */
  size_t        n_equity;
  HsChartPoint *benchmark;   /* (owned) (nullable) already scaled onto the equity */
  size_t        n_benchmark;
  HsChartPoint *drawdown;    /* (owned) percent ≤ 0 */
  size_t        n_drawdown;
  HsChartPoint *overlays;    /* (owned) (nullable) n_overlays blocks of `capacity` points */
  size_t       *n_overlay;   /* (owned) (nullable) */
  size_t        capacity;
} Frame;

static void
frame_clear (Frame *f)
{
  g_clear_pointer (&f->equity, g_free);
  g_clear_pointer (&f->benchmark, g_free);
  g_clear_pointer (&f->drawdown, g_free);
  g_clear_pointer (&f->overlays, g_free);
  g_clear_pointer (&f->n_overlay, g_free);
}

/* Scale that puts the benchmark's first defined value onto the equity at the same bar. */
static double
benchmark_scale (const HsEquityChartData *d)
{
  for (size_t i = 0; i < d->n; i++)
    if (isfinite (d->benchmark[i]) && d->benchmark[i] != 0 && isfinite (d->equity[i]))
      return d->equity[i] / d->benchmark[i];
  return NAN;
}

static void
data_x_range (const HsEquityChartData *d,
              const HsChartView       *view,
              double                  *x_min,
              double                  *x_max)
{
  *x_min = view != NULL && isfinite (view->x_min) ? view->x_min : (double) d->ts[0];
  *x_max = view != NULL && isfinite (view->x_max) ? view->x_max : (double) d->ts[d->n - 1];
  if (!(*x_max > *x_min))
    {
      /* One point, or a degenerate view: an hour either side. */
      double mid = (*x_min + *x_max) / 2;

      *x_min = mid - 3600e6;
      *x_max = mid + 3600e6;
    }
}

/* Drawdown in percent (≤ 0) of the points of @d->drawdown, or computed from the equity when
 * the data have none. Returned buffer has d->n values. */
static double *
drawdown_percent (const HsEquityChartData *d)
{
  double *dd = g_new (double, d->n);
  double peak = -INFINITY;

  for (size_t i = 0; i < d->n; i++)
    {
      if (d->drawdown != NULL)
        {
          dd[i] = -100.0 * d->drawdown[i];
          continue;
        }
      if (isfinite (d->equity[i]) && d->equity[i] > peak)
        peak = d->equity[i];
      dd[i] = isfinite (d->equity[i]) && peak > 0 ? 100.0 * (d->equity[i] / peak - 1.0) : NAN;
    }
  return dd;
}

static void
fit_points (const HsChartPoint *p,
            size_t              n,
            double              x_min,
            double              x_max,
            double             *lo,
            double             *hi)
{
  for (size_t i = 0; i < n; i++)
    if (p[i].x >= x_min && p[i].x <= x_max && isfinite (p[i].y))
      {
        *lo = MIN (*lo, p[i].y);
        *hi = MAX (*hi, p[i].y);
      }
}

static gboolean
frame_build (cairo_t                 *cr,
             const HsEquityChartData *d,
             const HsChartView       *view,
             int                      width,
             int                      height,
             const HsChartStyle      *style,
             gboolean                 keep_points,
             Frame                   *f)
{
  HsChartLayout *l = &f->layout;
  HsChartText t;
  double x_min, x_max, lo = INFINITY, hi = -INFINITY, dd_lo = 0;
  int columns = MAX (width, 1);
  g_autofree double *dd = NULL;

  memset (f, 0, sizeof *f);
  if (d == NULL || d->n == 0 || d->ts == NULL || d->equity == NULL || width < 8 || height < 8)
    return FALSE;

  data_x_range (d, view, &x_min, &x_max);
  f->capacity = HS_CHART_DECIMATE_CAPACITY (columns);

  f->equity = g_new (HsChartPoint, f->capacity);
  f->n_equity = hs_chart_decimate_indexed (d->ts, d->equity, d->n, d->equity_index, x_min,
                                           x_max, columns, f->equity);
  fit_points (f->equity, f->n_equity, x_min, x_max, &lo, &hi);

  if (d->benchmark != NULL)
    {
      double scale = benchmark_scale (d);

      f->benchmark = g_new (HsChartPoint, f->capacity);
      f->n_benchmark = isfinite (scale)
        ? hs_chart_decimate_indexed (d->ts, d->benchmark, d->n, d->benchmark_index, x_min,
                                     x_max, columns, f->benchmark)
        : 0;
      for (size_t i = 0; i < f->n_benchmark; i++)
        f->benchmark[i].y *= scale;
      fit_points (f->benchmark, f->n_benchmark, x_min, x_max, &lo, &hi);
    }

  if (d->n_overlays > 0)
    {
      f->overlays = g_new (HsChartPoint, f->capacity * d->n_overlays);
      f->n_overlay = g_new0 (size_t, d->n_overlays);
      for (size_t s = 0; s < d->n_overlays; s++)
        {
          const HsChartSeries *o = &d->overlays[s];
          HsChartPoint *out = f->overlays + s * f->capacity;

          if (o->ts == NULL || o->values == NULL)
            continue;
          f->n_overlay[s] = hs_chart_decimate (o->ts, o->values, o->n, x_min, x_max, columns,
                                               out);
          fit_points (out, f->n_overlay[s], x_min, x_max, &lo, &hi);
        }
    }

  if (d->drawdown != NULL)
    {
      /* The stored fractions, decimated as they are and turned into percent below zero: the
       * deepest point of a column is its maximum fraction. */
      f->drawdown = g_new (HsChartPoint, f->capacity);
      f->n_drawdown = hs_chart_decimate_indexed (d->ts, d->drawdown, d->n, d->drawdown_index,
                                                 x_min, x_max, columns, f->drawdown);
      for (size_t i = 0; i < f->n_drawdown; i++)
        f->drawdown[i].y *= -100.0;
    }
  else
    {
      dd = drawdown_percent (d);
      f->drawdown = g_new (HsChartPoint, f->capacity);
      f->n_drawdown = hs_chart_decimate (d->ts, dd, d->n, x_min, x_max, columns, f->drawdown);
    }
  {
    double dummy = 0;

    fit_points (f->drawdown, f->n_drawdown, x_min, x_max, &dd_lo, &dummy);
  }

  /* Ranges: the view's, or the visible data's with 5% of air (the drawdown pane from its
   * deepest point, padded, to zero). */
  if (!isfinite (lo))
    lo = hi = 0;
  hs_chart_pad_range (&lo, &hi, 0.05);
  l->view.x_min = x_min;
  l->view.x_max = x_max;
  l->view.y_min = view != NULL && isfinite (view->y_min) ? view->y_min : lo;
  l->view.y_max = view != NULL && isfinite (view->y_max) ? view->y_max : hi;
  l->view.y2_min = view != NULL && isfinite (view->y2_min) ? view->y2_min
                   : (dd_lo < 0 ? dd_lo * 1.08 : -1.0);
  l->view.y2_max = view != NULL && isfinite (view->y2_max) ? view->y2_max : 0.0;
  l->view.highlight = view != NULL ? view->highlight : -1;

  hs_chart_text_init (&t, cr, style);
  hs_chart_layout_panes (&t, width, height, 0.32, HS_CHART_FORMAT_TIME, HS_CHART_FORMAT_NUMBER,
                         HS_CHART_FORMAT_PERCENT, l);
  hs_chart_text_clear (&t);

  if (!keep_points)
    frame_clear (f);
  return TRUE;
}

/**
 * hs_equity_chart_layout:
 * @cr: (nullable): the context text will be measured with (NULL: a scratch one)
 * @out: (out caller-allocates): the panes, resolved ranges and ticks
 *
 * Computes what hs_paint_equity() would draw where, without drawing.
 *
 * Returns: FALSE when @data has no points (the chart is an empty state)
 */
gboolean
hs_equity_chart_layout (cairo_t                 *cr,
                        const HsEquityChartData *data,
                        const HsChartView       *view,
                        int                      width,
                        int                      height,
                        const HsChartStyle      *style,
                        HsChartLayout           *out)
{
  Frame f;
  gboolean ok;

  g_return_val_if_fail (style != NULL && out != NULL, FALSE);

  ok = frame_build (cr, data, view, width, height, style, FALSE, &f);
  *out = f.layout;
  return ok;
}

static void
paint_full (cairo_t                 *cr,
            const HsEquityChartData *data,
            const HsChartView       *view,
            int                      width,
            int                      height,
            const HsChartStyle      *style,
            HsChartLayout           *layout_out)
{
  Frame f;
  HsChartLayout *l = &f.layout;
  HsChartText t;
  HsChartMapping main, lower;
  double zero_y, x;

  g_return_if_fail (cr != NULL && style != NULL);

  if (!frame_build (cr, data, view, width, height, style, TRUE, &f))
    {
      hs_chart_draw_message (cr, width, height, style, _("No equity curve"));
      frame_clear (&f);
      if (layout_out != NULL)
        memset (layout_out, 0, sizeof *layout_out);
      return;
    }
  if (layout_out != NULL)
    *layout_out = f.layout;

  cairo_save (cr);
  hs_chart_paint_background (cr, width, height, style);
  hs_chart_draw_pane_grids (cr, style, l);

  hs_chart_mapping_init (&main, &l->plot, &l->view, FALSE);
  hs_chart_mapping_init (&lower, &l->lower, &l->view, TRUE);
  for (size_t s = 0; s < data->n_overlays; s++)
    {
      HsChartRgba c;

      hs_chart_series_color (style, s, &c);
      hs_chart_draw_line (cr, &main, f.overlays + s * f.capacity, f.n_overlay[s],
                          style->line_width, &c);
    }
  hs_chart_draw_line (cr, &main, f.benchmark, f.n_benchmark, MAX (1.0, style->line_width - 0.5),
                      &style->benchmark);
  hs_chart_draw_line (cr, &main, f.equity, f.n_equity, style->line_width, &style->series);

  /* The underwater area: from the zero line down to the drawdown, then its edge. */
  hs_chart_draw_area (cr, &lower, f.drawdown, f.n_drawdown, 0.0, &style->drawdown, 0.35);
  hs_chart_draw_line (cr, &lower, f.drawdown, f.n_drawdown, 1.0, &style->drawdown);
  zero_y = floor (hs_chart_map (0.0, l->view.y2_min, l->view.y2_max,
                                l->lower.y + l->lower.height, l->lower.y)) + 0.5;
  cairo_move_to (cr, l->lower.x, zero_y);
  cairo_line_to (cr, l->lower.x + l->lower.width, zero_y);
  hs_chart_set_color (cr, &style->axis);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  hs_chart_text_init (&t, cr, style);
  hs_chart_draw_pane_labels (&t, style, l, width, _("Drawdown"));
  x = hs_chart_legend_entry (&t, style, l->plot.x, HS_CHART_LEGEND_Y,
                             data->equity_name != NULL ? data->equity_name : _("Equity"),
                             &style->series);
  if (f.n_benchmark > 0)
    x = hs_chart_legend_entry (&t, style, x, HS_CHART_LEGEND_Y,
                               data->benchmark_name != NULL ? data->benchmark_name
                                                            : _("Benchmark"),
                               &style->benchmark);
  for (size_t s = 0; s < data->n_overlays; s++)
    {
      HsChartRgba c;

      hs_chart_series_color (style, s, &c);
      if (data->overlays[s].name != NULL)
        x = hs_chart_legend_entry (&t, style, x, HS_CHART_LEGEND_Y, data->overlays[s].name, &c);
    }
  hs_chart_text_clear (&t);
  cairo_restore (cr);
  frame_clear (&f);
}

/**
 * hs_paint_equity:
 * @cr: where to draw
 * @data: the curves
 * @view: (nullable): the visible time range (x, µs) and value ranges (y: equity, y2: drawdown
 *   in percent, ≤ 0); NULL or NAN fields: fit
 * @width: the surface's width
 * @height: the surface's height
 * @style: the palette
 *
 * Draws the equity curve (with benchmark and overlays) over the drawdown area, sharing the
 * time axis. Without points it draws an empty state.
 */
void
hs_paint_equity (cairo_t                 *cr,
                const HsEquityChartData *data,
                const HsChartView       *view,
                int                      width,
                int                      height,
                const HsChartStyle      *style)
{
  g_return_if_fail (cr != NULL && style != NULL);

  paint_full (cr, data, view, width, height, style, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* HsChartPainter                                                                              */

static void
painter_paint (cairo_t            *cr,
               gconstpointer       data,
               const HsChartView  *view,
               int                 width,
               int                 height,
               const HsChartStyle *style,
               HsChartLayout      *layout)
{
  paint_full (cr, data, view, width, height, style, layout);
}

static gboolean
painter_layout (cairo_t            *cr,
                gconstpointer       data,
                const HsChartView  *view,
                int                 width,
                int                 height,
                const HsChartStyle *style,
                HsChartLayout      *out)
{
  return hs_equity_chart_layout (cr, data, view, width, height, style, out);
}

static gboolean
painter_extent (gconstpointer  data,
                HsChartView   *out)
{
  const HsEquityChartData *d = data;

  hs_chart_view_init (out);
  if (d == NULL || d->n == 0)
    return FALSE;
  out->x_min = (double) d->ts[0];
  out->x_max = (double) d->ts[d->n - 1];
  return TRUE;
}

static int
painter_probe (gconstpointer        data,
               const HsChartLayout *l,
               double               px,
               double               py,
               HsChartProbe        *out)
{
  const HsEquityChartData *d = data;
  char when[32], equity[32], extra[96] = "", dd_text[32];
  double dd;
  size_t i;
  gboolean in_lower = py >= l->lower.y && l->lower.height > 0;

  hs_chart_probe_init (out, px, py);
  if (d == NULL || d->n == 0 || l->plot.width <= 0)
    return -1;
  out->x = hs_chart_map (px, l->plot.x, l->plot.x + l->plot.width, l->view.x_min,
                         l->view.x_max);
  out->y = in_lower
    ? hs_chart_map (py, l->lower.y + l->lower.height, l->lower.y, l->view.y2_min,
                    l->view.y2_max)
    : hs_chart_map (py, l->plot.y + l->plot.height, l->plot.y, l->view.y_min, l->view.y_max);
  if (px < l->plot.x || px > l->plot.x + l->plot.width)
    return -1;

  i = hs_chart_nearest (d->ts, d->n, out->x);
  out->index = (int) i;
  out->snap_x = hs_chart_map ((double) d->ts[i], l->view.x_min, l->view.x_max, l->plot.x,
                              l->plot.x + l->plot.width);

  if (d->drawdown != NULL)
    dd = -100.0 * d->drawdown[i];
  else
    {
      double peak = -INFINITY;

      for (size_t j = 0; j <= i; j++)
        if (isfinite (d->equity[j]))
          peak = MAX (peak, d->equity[j]);
      dd = peak > 0 ? 100.0 * (d->equity[i] / peak - 1.0) : NAN;
    }
  out->snap_y = in_lower
    ? hs_chart_map (dd, l->view.y2_min, l->view.y2_max, l->lower.y + l->lower.height,
                    l->lower.y)
    : hs_chart_map (d->equity[i], l->view.y_min, l->view.y_max, l->plot.y + l->plot.height,
                    l->plot.y);

  hs_chart_format_time (d->ts[i], when, sizeof when);
  hs_chart_format_value (d->equity[i], 0, HS_CHART_FORMAT_NUMBER, equity, sizeof equity);
  hs_chart_format_value (dd, 0, HS_CHART_FORMAT_PERCENT, dd_text, sizeof dd_text);
  if (d->benchmark != NULL && isfinite (benchmark_scale (d)) && isfinite (d->benchmark[i]))
    {
      char bench[32];

      hs_chart_format_value (d->benchmark[i] * benchmark_scale (d), 0, HS_CHART_FORMAT_NUMBER,
                             bench, sizeof bench);
      g_snprintf (extra, sizeof extra, "   %s %s",
                  d->benchmark_name != NULL ? d->benchmark_name : _("Benchmark"), bench);
    }
  g_snprintf (out->text, sizeof out->text, "%s   %s %s%s   %s %s", when,
              d->equity_name != NULL ? d->equity_name : _("Equity"), equity, extra,
              _("Drawdown"), dd_text);
  return out->index;
}

static char *
painter_describe (gconstpointer data)
{
  const HsEquityChartData *d = data;
  g_autofree double *dd = NULL;
  char from[32], to[32], first[32], last[32], deepest[32];
  double worst = 0;

  if (d == NULL || d->n == 0)
    return g_strdup (_("Equity chart without data."));
  dd = drawdown_percent (d);
  for (size_t i = 0; i < d->n; i++)
    if (isfinite (dd[i]))
      worst = MIN (worst, dd[i]);
  hs_chart_format_time (d->ts[0], from, sizeof from);
  hs_chart_format_time (d->ts[d->n - 1], to, sizeof to);
  hs_chart_format_value (d->equity[0], 0, HS_CHART_FORMAT_NUMBER, first, sizeof first);
  hs_chart_format_value (d->equity[d->n - 1], 0, HS_CHART_FORMAT_NUMBER, last, sizeof last);
  hs_chart_format_value (worst, 0, HS_CHART_FORMAT_PERCENT, deepest, sizeof deepest);
  /* Translators: equity chart summary for screen readers */
  return g_strdup_printf (_("Equity from %s to %s, %zu points: %s at the start, %s at the end. "
                            "Deepest drawdown %s."), from, to, d->n, first, last, deepest);
}

const HsChartPainter hs_equity_chart_painter = {
  .name = "equity",
  .flags = HS_CHART_ZOOM_X | HS_CHART_TIME_X,
  .paint = painter_paint,
  .layout = painter_layout,
  .extent = painter_extent,
  .probe = painter_probe,
  .describe = painter_describe,
};

/* ------------------------------------------------------------------------------------------ */
/* Owned data                                                                                  */

typedef struct
{
  HsEquityChartData  pub;         /* first: the public struct's address is the block's */
  GArray            *overlays;    /* (owned) HsChartSeries */
  GPtrArray         *buffers;     /* (owned) what the overlays point into */
} OwnedEquity;

static void *
dup_array (const void *p,
           size_t      n,
           size_t      size)
{
  return p != NULL && n > 0 ? g_memdup2 (p, n * size) : NULL;
}

/**
 * hs_equity_chart_data_new:
 * @ts: (array length=n): ascending µs UTC
 * @equity: (array length=n): account values
 * @benchmark: (nullable) (array length=n): benchmark values
 * @drawdown: (nullable) (array length=n): fractions below the peak; NULL: computed here
 * @n: points
 *
 * Copies the arrays into a data struct a widget can keep (hs_chart_widget_set_equity()),
 * with the block indexes that let a redraw decimate a million points in a fraction of a
 * millisecond.
 *
 * Returns: (transfer full): the data; free with hs_equity_chart_data_free()
 */
HsEquityChartData *
hs_equity_chart_data_new (const int64_t *ts,
                          const double  *equity,
                          const double  *benchmark,
                          const double  *drawdown,
                          size_t         n)
{
  OwnedEquity *o = g_new0 (OwnedEquity, 1);
  double *dd = NULL;

  g_return_val_if_fail (n == 0 || (ts != NULL && equity != NULL), NULL);

  o->pub.n = n;
  o->pub.ts = dup_array (ts, n, sizeof *ts);
  o->pub.equity = dup_array (equity, n, sizeof *equity);
  o->pub.benchmark = dup_array (benchmark, n, sizeof *benchmark);
  if (drawdown != NULL)
    dd = dup_array (drawdown, n, sizeof *drawdown);
  else if (n > 0)
    {
      double peak = -INFINITY;

      dd = g_new (double, n);
      for (size_t i = 0; i < n; i++)
        {
          if (isfinite (equity[i]) && equity[i] > peak)
            peak = equity[i];
          dd[i] = isfinite (equity[i]) && peak > 0 ? 1.0 - equity[i] / peak : NAN;
        }
    }
  o->pub.drawdown = dd;
  if (n > 0)
    {
      o->pub.equity_index = hs_chart_minmax_index_new (o->pub.equity, n);
      o->pub.drawdown_index = hs_chart_minmax_index_new (o->pub.drawdown, n);
      if (o->pub.benchmark != NULL)
        o->pub.benchmark_index = hs_chart_minmax_index_new (o->pub.benchmark, n);
    }
  o->overlays = g_array_new (FALSE, TRUE, sizeof (HsChartSeries));
  o->buffers = g_ptr_array_new_with_free_func (g_free);
  return &o->pub;
}

/**
 * hs_equity_chart_data_add_overlay:
 * @data: data from hs_equity_chart_data_new()
 * @name: (nullable): the legend entry
 *
 * Adds a copy of another curve (another run, for comparison) drawn on the equity axes.
 */
void
hs_equity_chart_data_add_overlay (HsEquityChartData *data,
                                  const int64_t     *ts,
                                  const double      *values,
                                  size_t             n,
                                  const char        *name)
{
  OwnedEquity *o = (OwnedEquity *) data;
  HsChartSeries s = { 0 };

  g_return_if_fail (data != NULL);
  g_return_if_fail (n == 0 || (ts != NULL && values != NULL));

  s.n = n;
  s.ts = dup_array (ts, n, sizeof *ts);
  s.values = dup_array (values, n, sizeof *values);
  s.name = g_strdup (name);
  g_ptr_array_add (o->buffers, (gpointer) s.ts);
  g_ptr_array_add (o->buffers, (gpointer) s.values);
  g_ptr_array_add (o->buffers, (gpointer) s.name);
  g_array_append_val (o->overlays, s);
  o->pub.overlays = (const HsChartSeries *) (gpointer) o->overlays->data;
  o->pub.n_overlays = o->overlays->len;
}

void
hs_equity_chart_data_free (HsEquityChartData *data)
{
  OwnedEquity *o = (OwnedEquity *) data;

  if (data == NULL)
    return;
  g_free ((gpointer) data->ts);
  g_free ((gpointer) data->equity);
  g_free ((gpointer) data->benchmark);
  g_free ((gpointer) data->drawdown);
  hs_chart_minmax_index_free ((HsChartMinMaxIndex *) data->equity_index);
  hs_chart_minmax_index_free ((HsChartMinMaxIndex *) data->benchmark_index);
  hs_chart_minmax_index_free ((HsChartMinMaxIndex *) data->drawdown_index);
  g_array_unref (o->overlays);
  g_ptr_array_unref (o->buffers);
  g_free (o);
}
