/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MFE/MAE scatter: how far each trade went against (x) and for (y) the position while it was
 * open. Winners are blue circles, losers orange squares (shape and colour both tell them
 * apart); the dashed diagonal is MFE = MAE. Markers landing on a pixel already drawn for the
 * same kind are skipped, so 100,000 trades cost no more than the pixels they cover. The hit
 * test returns the nearest trade within HS_SCATTER_HIT_RADIUS pixels.
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart-scatter.h"
#include "hs-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define MARKER_R 3.0

static gboolean
valid (const HsScatterData *d)
{
  return d != NULL && d->n > 0 && d->mae != NULL && d->mfe != NULL && d->pnl != NULL;
}

static void
data_ranges (const HsScatterData *d,
             double              *x_min,
             double              *x_max,
             double              *y_min,
             double              *y_max)
{
  *x_min = *y_min = 0;
  *x_max = *y_max = 0;
  for (size_t i = 0; i < d->n; i++)
    {
      if (isfinite (d->mae[i]))
        {
          *x_min = MIN (*x_min, d->mae[i]);
          *x_max = MAX (*x_max, d->mae[i]);
        }
      if (isfinite (d->mfe[i]))
        {
          *y_min = MIN (*y_min, d->mfe[i]);
          *y_max = MAX (*y_max, d->mfe[i]);
        }
    }
  /* Room for the outermost markers; an axis of zeros still gets a span. */
  *x_max = *x_max > *x_min ? *x_max + (*x_max - *x_min) * 0.06 : *x_min + 1;
  *y_max = *y_max > *y_min ? *y_max + (*y_max - *y_min) * 0.06 : *y_min + 1;
}

static gboolean
frame_build (cairo_t             *cr,
             const HsScatterData *d,
             const HsChartView   *view,
             int                  width,
             int                  height,
             const HsChartStyle  *style,
             HsChartLayout       *l)
{
  HsChartText t;
  double x_min, x_max, y_min, y_max;

  memset (l, 0, sizeof *l);
  if (!valid (d) || width < 8 || height < 8)
    return FALSE;
  data_ranges (d, &x_min, &x_max, &y_min, &y_max);
  l->view.x_min = view != NULL && isfinite (view->x_min) ? view->x_min : x_min;
  l->view.x_max = view != NULL && isfinite (view->x_max) ? view->x_max : x_max;
  l->view.y_min = view != NULL && isfinite (view->y_min) ? view->y_min : y_min;
  l->view.y_max = view != NULL && isfinite (view->y_max) ? view->y_max : y_max;
  l->view.y2_min = l->view.y2_max = NAN;
  l->view.highlight = view != NULL ? view->highlight : -1;
  hs_chart_text_init (&t, cr, style);
  hs_chart_layout_panes (&t, width, height, 0, HS_CHART_FORMAT_PERCENT,
                         HS_CHART_FORMAT_PERCENT, HS_CHART_FORMAT_NUMBER, l);
  hs_chart_text_clear (&t);
  return TRUE;
}

/**
 * hs_scatter_layout:
 * @cr: (nullable): the context text will be measured with (NULL: a scratch one)
 * @out: (out caller-allocates): the plot, resolved ranges (x: MAE %, y: MFE %) and ticks
 *
 * Returns: FALSE when @data has no trades
 */
gboolean
hs_scatter_layout (cairo_t             *cr,
                   const HsScatterData *data,
                   const HsChartView   *view,
                   int                  width,
                   int                  height,
                   const HsChartStyle  *style,
                   HsChartLayout       *out)
{
  g_return_val_if_fail (style != NULL && out != NULL, FALSE);

  return frame_build (cr, data, view, width, height, style, out);
}

static gboolean
marker_position (const HsScatterData *d,
                 const HsChartLayout *l,
                 size_t               i,
                 double              *x,
                 double              *y)
{
  if (!isfinite (d->mae[i]) || !isfinite (d->mfe[i]))
    return FALSE;
  *x = hs_chart_map (d->mae[i], l->view.x_min, l->view.x_max, l->plot.x,
                     l->plot.x + l->plot.width);
  *y = hs_chart_map (d->mfe[i], l->view.y_min, l->view.y_max, l->plot.y + l->plot.height,
                     l->plot.y);
  return TRUE;
}

/**
 * hs_scatter_hit_test:
 * @layout: the chart's layout (hs_scatter_layout() with the same data, view and size)
 * @px: pixel x
 * @py: pixel y
 *
 * Returns: the index of the trade whose marker centre is nearest to (@px, @py) within
 *   HS_SCATTER_HIT_RADIUS pixels (the lower index on a tie), or −1
 */
int
hs_scatter_hit_test (const HsScatterData *data,
                     const HsChartLayout *layout,
                     double               px,
                     double               py)
{
  double best = HS_SCATTER_HIT_RADIUS * HS_SCATTER_HIT_RADIUS;
  int found = -1;

  g_return_val_if_fail (layout != NULL, -1);

  if (!valid (data))
    return -1;
  for (size_t i = 0; i < data->n; i++)
    {
      double x, y, d2;

      if (!marker_position (data, layout, i, &x, &y))
        continue;
      d2 = (x - px) * (x - px) + (y - py) * (y - py);
      if (d2 <= best && (found < 0 || d2 < best))
        {
          best = d2;
          found = (int) i;
        }
    }
  return found;
}

/**
 * hs_paint_scatter:
 * @view: (nullable): visible MAE (x) and MFE (y) ranges in percent; NULL or NAN: fit;
 *   view->highlight rings that trade (the one selected in the trade list)
 *
 * Draws the MFE/MAE scatter of @data's trades.
 */
void
hs_paint_scatter (cairo_t             *cr,
                  const HsScatterData *data,
                  const HsChartView   *view,
                  int                  width,
                  int                  height,
                  const HsChartStyle  *style)
{
  HsChartLayout layout, *l = &layout;
  HsChartText t;
  size_t wins = 0, losses = 0;

  g_return_if_fail (cr != NULL && style != NULL);

  if (!frame_build (cr, data, view, width, height, style, l))
    {
      hs_chart_draw_message (cr, width, height, style, _("No trades"));
      return;
    }
  cairo_save (cr);
  hs_chart_paint_background (cr, width, height, style);
  hs_chart_draw_pane_grids (cr, style, l);

  cairo_save (cr);
  cairo_rectangle (cr, l->plot.x, l->plot.y, l->plot.width, l->plot.height);
  cairo_clip (cr);
  {
    /* MFE = MAE: above it a trade once stood further in profit than it ever stood in loss. */
    static const double dash[] = { 5.0, 4.0 };
    double lo = MAX (l->view.x_min, l->view.y_min), hi = MIN (l->view.x_max, l->view.y_max);

    if (hi > lo)
      {
        cairo_move_to (cr, hs_chart_map (lo, l->view.x_min, l->view.x_max, l->plot.x,
                                         l->plot.x + l->plot.width),
                       hs_chart_map (lo, l->view.y_min, l->view.y_max,
                                     l->plot.y + l->plot.height, l->plot.y));
        cairo_line_to (cr, hs_chart_map (hi, l->view.x_min, l->view.x_max, l->plot.x,
                                         l->plot.x + l->plot.width),
                       hs_chart_map (hi, l->view.y_min, l->view.y_max,
                                     l->plot.y + l->plot.height, l->plot.y));
        cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
        hs_chart_set_color (cr, &style->axis);
        cairo_set_line_width (cr, 1.0);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
      }
  }
  for (int win = 0; win <= 1; win++)
    {
      size_t cols = (size_t) ceil (l->plot.width) + 1, rows = (size_t) ceil (l->plot.height) + 1;
      g_autofree guint8 *seen = g_new0 (guint8, cols * rows / 8 + 1);

      for (size_t i = 0; i < data->n; i++)
        {
          double x, y;
          size_t cell;

          if ((data->pnl[i] > 0) != win || !marker_position (data, l, i, &x, &y)
              || !hs_chart_rect_contains (&l->plot, x, y))
            continue;
          if (win)
            wins++;
          else
            losses++;
          cell = (size_t) (y - l->plot.y) * cols + (size_t) (x - l->plot.x);
          if (seen[cell / 8] & (1u << (cell % 8)))
            continue;
          seen[cell / 8] |= (guint8) (1u << (cell % 8));
          if (win)
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, MARKER_R, 0, 2 * G_PI);
            }
          else
            cairo_rectangle (cr, x - MARKER_R + 0.3, y - MARKER_R + 0.3, 2 * MARKER_R - 0.6,
                             2 * MARKER_R - 0.6);
        }
      hs_chart_set_color_alpha (cr, win ? &style->win : &style->loss, 0.85);
      cairo_fill (cr);
    }
  if (l->view.highlight >= 0 && (size_t) l->view.highlight < data->n)
    {
      double x, y;

      if (marker_position (data, l, (size_t) l->view.highlight, &x, &y))
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, MARKER_R + 3.5, 0, 2 * G_PI);
          hs_chart_set_color (cr, &style->highlight);
          cairo_set_line_width (cr, 2.0);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);

  hs_chart_text_init (&t, cr, style);
  hs_chart_draw_pane_labels (&t, style, l, width, NULL);
  {
    char label[64];
    double x = l->plot.x;

    g_snprintf (label, sizeof label, _("%zu wins"), wins);
    cairo_arc (cr, x + 5, HS_CHART_LEGEND_Y + t.line_h / 2, MARKER_R, 0, 2 * G_PI);
    hs_chart_set_color (cr, &style->win);
    cairo_fill (cr);
    hs_chart_text_draw (&t, label, x + 13, HS_CHART_LEGEND_Y, 0, 0, &style->text);
    x += 13 + hs_chart_text_width (&t, label) + 16;
    g_snprintf (label, sizeof label, _("%zu losses"), losses);
    cairo_rectangle (cr, x + 2, HS_CHART_LEGEND_Y + t.line_h / 2 - MARKER_R, 2 * MARKER_R,
                     2 * MARKER_R);
    hs_chart_set_color (cr, &style->loss);
    cairo_fill (cr);
    hs_chart_text_draw (&t, label, x + 13, HS_CHART_LEGEND_Y, 0, 0, &style->text);
    /* Axis names inside the plot's corners: up the left, along the bottom. */
    hs_chart_text_draw (&t, _("MFE % (favourable)"), l->plot.x + 6, l->plot.y + 4, 0, 0,
                        &style->text_dim);
    hs_chart_text_draw (&t, _("MAE % (adverse)"), l->plot.x + l->plot.width - 6,
                        l->plot.y + l->plot.height - 4, 1, 1, &style->text_dim);
  }
  hs_chart_text_clear (&t);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------------------------------ */
/* HsChartPainter                                                                              */

HS_CHART_PAINTER_GLUE (painter, hs_paint_scatter, hs_scatter_layout)

static gboolean
painter_extent (gconstpointer  data,
                HsChartView   *out)
{
  hs_chart_view_init (out);
  if (!valid (data))
    return FALSE;
  data_ranges (data, &out->x_min, &out->x_max, &out->y_min, &out->y_max);
  return TRUE;
}

static int
painter_probe (gconstpointer        data,
               const HsChartLayout *l,
               double               px,
               double               py,
               HsChartProbe        *out)
{
  const HsScatterData *d = data;
  char mae[32], mfe[32], pnl[32];
  int i;

  hs_chart_probe_init (out, px, py);
  out->x = hs_chart_map (px, l->plot.x, l->plot.x + l->plot.width, l->view.x_min,
                         l->view.x_max);
  out->y = hs_chart_map (py, l->plot.y + l->plot.height, l->plot.y, l->view.y_min,
                         l->view.y_max);
  out->index = i = hs_scatter_hit_test (d, l, px, py);
  if (i < 0)
    return -1;
  marker_position (d, l, (size_t) i, &out->snap_x, &out->snap_y);
  hs_chart_format_value (d->mae[i], 0, HS_CHART_FORMAT_PERCENT, mae, sizeof mae);
  hs_chart_format_value (d->mfe[i], 0, HS_CHART_FORMAT_PERCENT, mfe, sizeof mfe);
  hs_chart_format_value (d->pnl[i], 0, HS_CHART_FORMAT_NUMBER, pnl, sizeof pnl);
  /* Translators: a trade's readout: number (from 1), MAE, MFE, profit or loss */
  g_snprintf (out->text, sizeof out->text, _("Trade %d   MAE %s   MFE %s   P&L %s"), i + 1,
              mae, mfe, pnl);
  return i;
}

static char *
painter_describe (gconstpointer data)
{
  const HsScatterData *d = data;
  size_t wins = 0;

  if (!valid (d))
    return g_strdup (_("MFE/MAE scatter without trades."));
  for (size_t i = 0; i < d->n; i++)
    wins += d->pnl[i] > 0;
  return g_strdup_printf (_("Maximum favourable against maximum adverse excursion of %zu "
                            "trades: %zu wins, %zu losses. Click a point to select its trade."),
                          d->n, wins, d->n - wins);
}

const HsChartPainter hs_scatter_painter = {
  .name = "scatter",
  .flags = HS_CHART_ZOOM_X | HS_CHART_ZOOM_Y,
  .paint = painter_paint,
  .layout = painter_layout,
  .extent = painter_extent,
  .probe = painter_probe,
  .describe = painter_describe,
};

/**
 * hs_scatter_data_new:
 * @mae: (array length=n): MAE percent per trade
 * @mfe: (array length=n): MFE percent per trade
 * @pnl: (array length=n): P&L per trade
 *
 * Copies the trades' excursions into a data struct a widget can keep.
 *
 * Returns: (transfer full): the data; free with hs_scatter_data_free()
 */
HsScatterData *
hs_scatter_data_new (const double *mae,
                     const double *mfe,
                     const double *pnl,
                     size_t        n)
{
  HsScatterData *d = g_new0 (HsScatterData, 1);

  g_return_val_if_fail (n == 0 || (mae != NULL && mfe != NULL && pnl != NULL), d);

  d->n = n;
  if (n > 0)
    {
      d->mae = g_memdup2 (mae, n * sizeof *mae);
      d->mfe = g_memdup2 (mfe, n * sizeof *mfe);
      d->pnl = g_memdup2 (pnl, n * sizeof *pnl);
    }
  return d;
}

void
hs_scatter_data_free (HsScatterData *data)
{
  if (data == NULL)
    return;
  g_free ((gpointer) data->mae);
  g_free ((gpointer) data->mfe);
  g_free ((gpointer) data->pnl);
  g_free (data);
}
