/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Candlesticks over a volume pane. When the visible bars are too many for a body of at least
 * two pixels, neighbouring bars merge into one candle per three-pixel bucket (first open,
 * highest high, lowest low, last close, summed volume: hs_chart_decimate_ohlc()), so every
 * extreme of the range still shows. Bodies, wicks and volume bars are whole-pixel boxes, one
 * fill per colour: rising candles (close ≥ open) in the palette's "up" colour, falling ones in
 * "down" (blue and orange, told apart without red–green vision).
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart-candles.h"
#include "hs-chart-decimate.h"
#include "hs-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* Pixels per merged candle when the bars are too dense to draw one by one. */
#define BUCKET_PX 3.0

typedef struct
{
  HsChartLayout  layout;
  HsChartCandle *candles;    /* (owned) */
  size_t         n_candles;
  double         slot_px;    /* horizontal room of one candle */
} Frame;

static gboolean
valid (const HsCandleChartData *d)
{
  return d != NULL && d->n > 0 && d->ts != NULL && d->open != NULL && d->high != NULL
         && d->low != NULL && d->close != NULL;
}

/* The bars' spacing: the smallest positive step between neighbouring visible bars (a day for
 * daily bars with weekends, a minute for minute bars). */
static double
bar_interval (const HsCandleChartData *d,
              size_t                   first,
              size_t                   end)
{
  int64_t best = INT64_MAX;

  for (size_t i = first + 1; i < end; i++)
    if (d->ts[i] > d->ts[i - 1])
      best = MIN (best, d->ts[i] - d->ts[i - 1]);
  if (best == INT64_MAX && d->n > 1)
    for (size_t i = 1; i < d->n && best == INT64_MAX; i++)
      if (d->ts[i] > d->ts[i - 1])
        best = d->ts[i] - d->ts[i - 1];
  return best == INT64_MAX ? 86400e6 : (double) best;
}

static void
x_range (const HsCandleChartData *d,
         const HsChartView       *view,
         double                  *x_min,
         double                  *x_max)
{
  /* The whole data with half a bar of room at each end, so the outer bodies are whole. */
  double half = bar_interval (d, 0, MIN (d->n, (size_t) 1000)) / 2;

  *x_min = view != NULL && isfinite (view->x_min) ? view->x_min : (double) d->ts[0] - half;
  *x_max = view != NULL && isfinite (view->x_max) ? view->x_max
                                                  : (double) d->ts[d->n - 1] + half;
  if (!(*x_max > *x_min))
    {
      *x_min -= 3600e6;
      *x_max += 3600e6;
    }
}

static void
frame_clear (Frame *f)
{
  g_clear_pointer (&f->candles, g_free);
}

static gboolean
frame_build (cairo_t                 *cr,
             const HsCandleChartData *d,
             const HsChartView       *view,
             int                      width,
             int                      height,
             const HsChartStyle      *style,
             Frame                   *f)
{
  HsChartLayout *l = &f->layout;
  HsChartText t;
  double x_min, x_max, lo = INFINITY, hi = -INFINITY, vol_max = 0, plot_w, interval;
  size_t first, end;
  int buckets;
  gboolean merged;

  memset (f, 0, sizeof *f);
  if (!valid (d) || width < 8 || height < 8)
    return FALSE;

  x_range (d, view, &x_min, &x_max);
  first = hs_chart_lower_bound (d->ts, d->n, x_min);
  end = hs_chart_upper_bound (d->ts, d->n, x_max);
  interval = bar_interval (d, first, end);

  /* The plot is narrower than the surface by the axis gutter: estimate with the surface's
   * width less a typical gutter; the real width only changes the slot's size a little. */
  plot_w = MAX (width - 80.0, 10.0);
  merged = interval / (x_max - x_min) * plot_w < BUCKET_PX;
  if (!merged)
    /* Buckets narrower than the bars' spacing: every bar alone in its own. */
    buckets = (int) MIN (ceil ((x_max - x_min) / interval) + 1, (double) G_MAXINT / 2);
  else
    buckets = MAX (1, (int) (plot_w / BUCKET_PX));
  f->candles = g_new (HsChartCandle, MAX (buckets, 1));
  f->n_candles = hs_chart_decimate_ohlc (d->ts, d->open, d->high, d->low, d->close, d->volume,
                                         d->n, x_min, x_max, buckets, f->candles);
  for (size_t i = 0; i < f->n_candles; i++)
    {
      const HsChartCandle *c = &f->candles[i];

      if (isfinite (c->low))
        lo = MIN (lo, c->low);
      if (isfinite (c->high))
        hi = MAX (hi, c->high);
      vol_max = MAX (vol_max, c->volume);
    }
  if (!isfinite (lo))
    lo = hi = 0;
  hs_chart_pad_range (&lo, &hi, 0.05);

  l->view.x_min = x_min;
  l->view.x_max = x_max;
  l->view.y_min = view != NULL && isfinite (view->y_min) ? view->y_min : lo;
  l->view.y_max = view != NULL && isfinite (view->y_max) ? view->y_max : hi;
  l->view.y2_min = view != NULL && isfinite (view->y2_min) ? view->y2_min : 0;
  l->view.y2_max = view != NULL && isfinite (view->y2_max) ? view->y2_max
                   : (vol_max > 0 ? vol_max * 1.1 : 1);
  l->view.highlight = view != NULL ? view->highlight : -1;

  hs_chart_text_init (&t, cr, style);
  hs_chart_layout_panes (&t, width, height, d->volume != NULL ? 0.25 : 0, HS_CHART_FORMAT_TIME,
                         HS_CHART_FORMAT_NUMBER, HS_CHART_FORMAT_COMPACT, l);
  hs_chart_text_clear (&t);
  f->slot_px = merged ? l->plot.width / buckets : interval / (x_max - x_min) * l->plot.width;
  return TRUE;
}

/**
 * hs_candle_chart_layout:
 * @cr: (nullable): the context text will be measured with (NULL: a scratch one)
 * @out: (out caller-allocates): the panes, resolved ranges and ticks
 *
 * Computes what hs_paint_candles() would draw where, without drawing.
 *
 * Returns: FALSE when @data has no bars
 */
gboolean
hs_candle_chart_layout (cairo_t                 *cr,
                        const HsCandleChartData *data,
                        const HsChartView       *view,
                        int                      width,
                        int                      height,
                        const HsChartStyle      *style,
                        HsChartLayout           *out)
{
  Frame f;
  gboolean ok;

  g_return_val_if_fail (style != NULL && out != NULL, FALSE);

  ok = frame_build (cr, data, view, width, height, style, &f);
  *out = f.layout;
  frame_clear (&f);
  return ok;
}

/* Adds the boxes of the candles of one direction to the path: body and wick, or (@volume)
 * the volume bar. */
static void
candle_boxes (cairo_t             *cr,
              const Frame         *f,
              gboolean             rising,
              gboolean             volume)
{
  const HsChartLayout *l = &f->layout;
  double body_w = MAX (1.0, floor (f->slot_px * 0.7));

  /* Odd widths centre on the wick's pixel column. */
  if (body_w > 2 && fmod (body_w, 2.0) == 0)
    body_w -= 1;
  for (size_t i = 0; i < f->n_candles; i++)
    {
      const HsChartCandle *c = &f->candles[i];
      double mid = (c->x + c->x_end) / 2;
      double cx = floor (hs_chart_map (mid, l->view.x_min, l->view.x_max, l->plot.x,
                                       l->plot.x + l->plot.width));
      double x0 = cx - floor (body_w / 2);

      if ((c->close >= c->open) != rising || !isfinite (c->open) || !isfinite (c->close))
        continue;
      if (volume)
        {
          double top = round (hs_chart_map (c->volume, l->view.y2_min, l->view.y2_max,
                                            l->lower.y + l->lower.height, l->lower.y));
          double base = l->lower.y + l->lower.height;

          if (c->volume > 0)
            cairo_rectangle (cr, x0, top, body_w, MAX (1.0, base - top));
          continue;
        }
      {
        double y_hi = round (hs_chart_map (c->high, l->view.y_min, l->view.y_max,
                                           l->plot.y + l->plot.height, l->plot.y));
        double y_lo = round (hs_chart_map (c->low, l->view.y_min, l->view.y_max,
                                           l->plot.y + l->plot.height, l->plot.y));
        double y_top = round (hs_chart_map (MAX (c->open, c->close), l->view.y_min,
                                            l->view.y_max, l->plot.y + l->plot.height,
                                            l->plot.y));
        double y_bot = round (hs_chart_map (MIN (c->open, c->close), l->view.y_min,
                                            l->view.y_max, l->plot.y + l->plot.height,
                                            l->plot.y));

        if (isfinite (y_hi) && isfinite (y_lo))
          cairo_rectangle (cr, cx, y_hi, 1.0, MAX (1.0, y_lo - y_hi));
        cairo_rectangle (cr, x0, y_top, body_w, MAX (1.0, y_bot - y_top));
      }
    }
}

static void
paint_full (cairo_t                 *cr,
            const HsCandleChartData *data,
            const HsChartView       *view,
            int                      width,
            int                      height,
            const HsChartStyle      *style,
            HsChartLayout           *layout_out)
{
  Frame f;
  HsChartLayout *l = &f.layout;
  HsChartText t;

  g_return_if_fail (cr != NULL && style != NULL);

  if (!frame_build (cr, data, view, width, height, style, &f))
    {
      hs_chart_draw_message (cr, width, height, style, _("No bars"));
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

  for (int rising = 0; rising <= 1; rising++)
    {
      const HsChartRgba *color = rising ? &style->up : &style->down;

      cairo_save (cr);
      cairo_rectangle (cr, l->plot.x, l->plot.y, l->plot.width, l->plot.height);
      cairo_clip (cr);
      candle_boxes (cr, &f, rising, FALSE);
      hs_chart_set_color (cr, color);
      cairo_fill (cr);
      cairo_restore (cr);
      if (data->volume != NULL)
        {
          cairo_save (cr);
          cairo_rectangle (cr, l->lower.x, l->lower.y, l->lower.width, l->lower.height);
          cairo_clip (cr);
          candle_boxes (cr, &f, rising, TRUE);
          hs_chart_set_color_alpha (cr, color, 0.6);
          cairo_fill (cr);
          cairo_restore (cr);
        }
    }

  hs_chart_text_init (&t, cr, style);
  hs_chart_draw_pane_labels (&t, style, l, width, _("Volume"));
  if (data->title != NULL)
    hs_chart_text_draw (&t, data->title, l->plot.x, HS_CHART_LEGEND_Y, 0, 0, &style->text);
  hs_chart_text_clear (&t);
  cairo_restore (cr);
  frame_clear (&f);
}

/**
 * hs_paint_candles:
 * @cr: where to draw
 * @data: the bars
 * @view: (nullable): the visible time range (x, µs) and price (y) and volume (y2) ranges;
 *   NULL or NAN fields: fit
 * @width: the surface's width
 * @height: the surface's height
 * @style: the palette
 *
 * Draws candlesticks with a volume pane (when @data has volumes), sharing the time axis.
 */
void
hs_paint_candles (cairo_t                 *cr,
                 const HsCandleChartData *data,
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
  return hs_candle_chart_layout (cr, data, view, width, height, style, out);
}

static gboolean
painter_extent (gconstpointer  data,
                HsChartView   *out)
{
  const HsCandleChartData *d = data;

  hs_chart_view_init (out);
  if (!valid (d))
    return FALSE;
  x_range (d, NULL, &out->x_min, &out->x_max);
  return TRUE;
}

static int
painter_probe (gconstpointer        data,
               const HsChartLayout *l,
               double               px,
               double               py,
               HsChartProbe        *out)
{
  const HsCandleChartData *d = data;
  char when[32], o[32], h[32], lo[32], c[32], v[32] = "";
  size_t i;

  hs_chart_probe_init (out, px, py);
  if (!valid (d) || l->plot.width <= 0 || px < l->plot.x || px > l->plot.x + l->plot.width)
    return -1;
  out->x = hs_chart_map (px, l->plot.x, l->plot.x + l->plot.width, l->view.x_min,
                         l->view.x_max);
  out->y = hs_chart_map (py, l->plot.y + l->plot.height, l->plot.y, l->view.y_min,
                         l->view.y_max);
  i = hs_chart_nearest (d->ts, d->n, out->x);
  out->index = (int) i;
  out->snap_x = hs_chart_map ((double) d->ts[i], l->view.x_min, l->view.x_max, l->plot.x,
                              l->plot.x + l->plot.width);
  out->snap_y = hs_chart_map (d->close[i], l->view.y_min, l->view.y_max,
                              l->plot.y + l->plot.height, l->plot.y);
  hs_chart_format_time (d->ts[i], when, sizeof when);
  hs_chart_format_value (d->open[i], 0, HS_CHART_FORMAT_NUMBER, o, sizeof o);
  hs_chart_format_value (d->high[i], 0, HS_CHART_FORMAT_NUMBER, h, sizeof h);
  hs_chart_format_value (d->low[i], 0, HS_CHART_FORMAT_NUMBER, lo, sizeof lo);
  hs_chart_format_value (d->close[i], 0, HS_CHART_FORMAT_NUMBER, c, sizeof c);
  if (d->volume != NULL)
    hs_chart_format_value (d->volume[i], 0, HS_CHART_FORMAT_COMPACT, v, sizeof v);
  /* Translators: a candle's readout: time, open, high, low, close, volume */
  g_snprintf (out->text, sizeof out->text, _("%s   O %s   H %s   L %s   C %s%s%s"), when, o, h,
              lo, c, d->volume != NULL ? _("   V ") : "", v);
  return out->index;
}

static char *
painter_describe (gconstpointer data)
{
  const HsCandleChartData *d = data;
  char from[32], to[32], lo[32], hi[32];
  double min = INFINITY, max = -INFINITY;

  if (!valid (d))
    return g_strdup (_("Candlestick chart without data."));
  for (size_t i = 0; i < d->n; i++)
    {
      if (isfinite (d->low[i]))
        min = MIN (min, d->low[i]);
      if (isfinite (d->high[i]))
        max = MAX (max, d->high[i]);
    }
  hs_chart_format_time (d->ts[0], from, sizeof from);
  hs_chart_format_time (d->ts[d->n - 1], to, sizeof to);
  hs_chart_format_value (min, 0, HS_CHART_FORMAT_NUMBER, lo, sizeof lo);
  hs_chart_format_value (max, 0, HS_CHART_FORMAT_NUMBER, hi, sizeof hi);
  return g_strdup_printf (_("%s: %zu bars from %s to %s, low %s, high %s."),
                          d->title != NULL ? d->title : _("Candlesticks"), d->n, from, to, lo,
                          hi);
}

const HsChartPainter hs_candle_chart_painter = {
  .name = "candles",
  .flags = HS_CHART_ZOOM_X | HS_CHART_TIME_X,
  .paint = painter_paint,
  .layout = painter_layout,
  .extent = painter_extent,
  .probe = painter_probe,
  .describe = painter_describe,
};

/* ------------------------------------------------------------------------------------------ */
/* Owned data                                                                                  */

static double *
dup_doubles (const double *p,
             size_t        n)
{
  return p != NULL && n > 0 ? g_memdup2 (p, n * sizeof *p) : NULL;
}

/**
 * hs_candle_chart_data_new:
 * @volume: (nullable): volumes
 * @title: (nullable): shown top left
 *
 * Copies the bars into a data struct a widget can keep (hs_chart_widget_set_candles()).
 *
 * Returns: (transfer full): the data; free with hs_candle_chart_data_free()
 */
HsCandleChartData *
hs_candle_chart_data_new (const int64_t *ts,
                          const double  *open,
                          const double  *high,
                          const double  *low,
                          const double  *close,
                          const double  *volume,
                          size_t         n,
                          const char    *title)
{
  HsCandleChartData *d = g_new0 (HsCandleChartData, 1);

  g_return_val_if_fail (n == 0 || (ts != NULL && open != NULL && high != NULL && low != NULL
                                   && close != NULL), d);

  d->n = n;
  d->ts = n > 0 ? g_memdup2 (ts, n * sizeof *ts) : NULL;
  d->open = dup_doubles (open, n);
  d->high = dup_doubles (high, n);
  d->low = dup_doubles (low, n);
  d->close = dup_doubles (close, n);
  d->volume = dup_doubles (volume, n);
  d->title = g_strdup (title);
  return d;
}

void
hs_candle_chart_data_free (HsCandleChartData *data)
{
  if (data == NULL)
    return;
  g_free ((gpointer) data->ts);
  g_free ((gpointer) data->open);
  g_free ((gpointer) data->high);
  g_free ((gpointer) data->low);
  g_free ((gpointer) data->close);
  g_free ((gpointer) data->volume);
  g_free ((gpointer) data->title);
  g_free (data);
}
