/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The replay chart of one trade (hs-chart-replay.h). The candles are the candlestick painter's
 * (hs-chart-candles.c), drawn with a price range that also holds every level of the trade, so
 * a stop far below the bars is still on the chart; the trade is drawn over them: the holding
 * period shaded, dotted verticals at entry + 15 min and entry + 1 h (the label horizons,
 * docs/labels.md), horizontal lines at the MFE and MAE levels (solid) and at the stop and
 * target (dashed), each named at its right end, and round markers at the entry and the exit
 * fill. Horizontal lines are one pixel high on the row of their price (the candles' rounding),
 * so a test can find them. One trade's window is a few hundred bars: the load is trivial.
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart-replay.h"
#include "hs-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define MARKER_RADIUS 5.0

static gboolean
valid (const HsReplayChartData *d)
{
  return d != NULL && d->candles != NULL && d->candles->n > 0;
}

static HsChartRgba
rgb (guint32 hex)
{
  return (HsChartRgba) { ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0,
                         (hex & 0xff) / 255.0, 1.0 };
}

/**
 * hs_replay_chart_colors:
 * @out: (out caller-allocates): the colours
 *
 * The colours of the trade's marks for @style: MFE and MAE in the palette's win and loss
 * colours, the stop red and the target green (named on the chart, so not told by colour
 * alone), the entry purple, the exit in the text colour.
 */
void
hs_replay_chart_colors (const HsChartStyle *style,
                        HsReplayColors     *out)
{
  g_return_if_fail (style != NULL && out != NULL);

  out->mfe = style->win;
  out->mae = style->loss;
  out->exit = style->text;
  out->horizon = style->text_dim;
  if (style->dark)
    {
      out->entry = rgb (0xdc8add);
      out->stop = rgb (0xf66151);
      out->target = rgb (0x8ff0a4);
    }
  else
    {
      out->entry = rgb (0x9141ac);
      out->stop = rgb (0xc01c28);
      out->target = rgb (0x26a269);
    }
}

/**
 * hs_replay_excursion_prices:
 * @side: +1 long, −1 short
 * @mfe_pct: target_mfe_pct (≥ 0, percent of the entry price), NAN: none
 * @mae_pct: target_mae_pct, NAN: none
 * @mfe_price: (out): the price the trade's best moment reached
 * @mae_price: (out): the price of its worst moment
 *
 * Turns the labels back into prices (docs/labels.md: move = side × (P − E) / E × 100), so
 * P = E × (1 + side × MFE / 100) and E × (1 − side × MAE / 100).
 */
void
hs_replay_excursion_prices (int     side,
                            double  entry_price,
                            double  mfe_pct,
                            double  mae_pct,
                            double *mfe_price,
                            double *mae_price)
{
  double s = side < 0 ? -1.0 : 1.0;

  *mfe_price = isfinite (mfe_pct) ? entry_price * (1 + s * mfe_pct / 100) : NAN;
  *mae_price = isfinite (mae_pct) ? entry_price * (1 - s * mae_pct / 100) : NAN;
}

/* The view the candles are drawn with: the caller's x, and a y range fitted to the visible
 * bars and every level of the trade unless the caller fixed one. */
static void
replay_view (const HsReplayChartData *d,
             const HsChartView       *view,
             HsChartView             *out)
{
  const HsCandleChartData *c = d->candles;
  const double levels[] = { d->entry_price, d->exit_price, d->stop_loss, d->take_profit,
                            d->mfe_price, d->mae_price };
  double lo = INFINITY, hi = -INFINITY;
  double x_min = view != NULL ? view->x_min : NAN, x_max = view != NULL ? view->x_max : NAN;

  if (view != NULL)
    *out = *view;
  else
    hs_chart_view_init (out);
  if (view != NULL && isfinite (view->y_min) && isfinite (view->y_max))
    return;
  for (size_t i = 0; i < c->n; i++)
    {
      if ((isfinite (x_min) && (double) c->ts[i] < x_min)
          || (isfinite (x_max) && (double) c->ts[i] > x_max))
        continue;
      if (isfinite (c->low[i]))
        lo = MIN (lo, c->low[i]);
      if (isfinite (c->high[i]))
        hi = MAX (hi, c->high[i]);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (levels); i++)
    if (isfinite (levels[i]))
      {
        lo = MIN (lo, levels[i]);
        hi = MAX (hi, levels[i]);
      }
  if (!isfinite (lo))
    return;
  hs_chart_pad_range (&lo, &hi, 0.05);
  out->y_min = lo;
  out->y_max = hi;
}

/**
 * hs_replay_chart_layout:
 * @cr: (nullable): the context text is measured with (NULL: a scratch one)
 * @out: (out caller-allocates): the plot, the resolved ranges and ticks
 *
 * Where hs_paint_replay() draws: a price P is on the pixel row
 * round (plot.y + (view.y_max − P) / (view.y_max − view.y_min) × plot.height).
 *
 * Returns: FALSE when @data has no bars
 */
gboolean
hs_replay_chart_layout (cairo_t                 *cr,
                        const HsReplayChartData *data,
                        const HsChartView       *view,
                        int                      width,
                        int                      height,
                        const HsChartStyle      *style,
                        HsChartLayout           *out)
{
  HsChartView v;

  g_return_val_if_fail (style != NULL && out != NULL, FALSE);

  if (!valid (data))
    {
      memset (out, 0, sizeof *out);
      return FALSE;
    }
  replay_view (data, view, &v);
  return hs_candle_chart_layout (cr, data->candles, &v, width, height, style, out);
}

static double
x_of (const HsChartLayout *l,
      double               ts)
{
  return hs_chart_map (ts, l->view.x_min, l->view.x_max, l->plot.x, l->plot.x + l->plot.width);
}

static double
row_of (const HsChartLayout *l,
        double               price)
{
  return round (hs_chart_map (price, l->view.y_min, l->view.y_max, l->plot.y + l->plot.height,
                              l->plot.y));
}

/* A horizontal level across the plot on its price's pixel row, named at the right end. */
static void
draw_level (cairo_t             *cr,
            HsChartText         *t,
            const HsChartLayout *l,
            double               price,
            const HsChartRgba   *color,
            gboolean             dashed,
            gboolean             below,
            const char          *name)
{
  double y = row_of (l, price);
  char value[32];
  g_autofree char *text = NULL;

  if (!isfinite (price) || y < l->plot.y || y > l->plot.y + l->plot.height)
    return;
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  if (dashed)
    cairo_set_dash (cr, (const double[]) { 6.0, 4.0 }, 2, 0);
  cairo_move_to (cr, l->plot.x, y + 0.5);
  cairo_line_to (cr, l->plot.x + l->plot.width, y + 0.5);
  hs_chart_set_color (cr, color);
  cairo_stroke (cr);
  cairo_restore (cr);
  hs_chart_format_value (price, 0, HS_CHART_FORMAT_NUMBER, value, sizeof value);
  text = g_strdup_printf ("%s %s", name, value);
  /* Stops and targets are named above their line, excursions below, so a trade stopped out
   * at its MAE shows both names. */
  /* … unless that would put the name outside the plot. */
  if (!below && y - 1 - t->line_h < l->plot.y)
    below = TRUE;
  else if (below && y + 2 + t->line_h > l->plot.y + l->plot.height)
    below = FALSE;
  if (below)
    hs_chart_text_draw (t, text, l->plot.x + l->plot.width - 4, y + 2, 1, 0, color);
  else
    hs_chart_text_draw (t, text, l->plot.x + l->plot.width - 4, y - 1, 1, 1, color);
}

/* A dotted vertical at @ts with @name at the bottom of the plot. */
static void
draw_vertical (cairo_t             *cr,
               HsChartText         *t,
               const HsChartLayout *l,
               double               ts,
               const HsChartRgba   *color,
               const char          *name)
{
  double x = round (x_of (l, ts)) + 0.5;

  if (x < l->plot.x || x > l->plot.x + l->plot.width)
    return;
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, (const double[]) { 2.0, 3.0 }, 2, 0);
  cairo_move_to (cr, x, l->plot.y);
  cairo_line_to (cr, x, l->plot.y + l->plot.height);
  hs_chart_set_color_alpha (cr, color, 0.8);
  cairo_stroke (cr);
  cairo_restore (cr);
  /* Named at the bottom: the levels' names are at the top right. */
  if (name != NULL)
    hs_chart_text_draw (t, name, x + 3, l->plot.y + l->plot.height - 2, 0, 1, color);
}

/* A filled round marker ringed in the background colour, so it stands out on a candle. */
static void
draw_marker (cairo_t             *cr,
             const HsChartLayout *l,
             const HsChartStyle  *style,
             double               ts,
             double               price,
             const HsChartRgba   *color)
{
  double x = x_of (l, ts), y = row_of (l, price) + 0.5;

  if (!isfinite (price) || x < l->plot.x || x > l->plot.x + l->plot.width)
    return;
  x = round (x) + 0.5;
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, MARKER_RADIUS + 1.5, 0, 2 * G_PI);
  hs_chart_set_color (cr, &style->background);
  cairo_fill (cr);
  cairo_arc (cr, x, y, MARKER_RADIUS, 0, 2 * G_PI);
  hs_chart_set_color (cr, color);
  cairo_fill (cr);
}

static void
paint_full (cairo_t                 *cr,
            const HsReplayChartData *d,
            const HsChartView       *view,
            int                      width,
            int                      height,
            const HsChartStyle      *style)
{
  HsChartView v;
  HsChartLayout l;
  HsReplayColors colors;
  HsChartText t;
  double lx, x0, x1;

  g_return_if_fail (cr != NULL && style != NULL);

  if (!valid (d))
    {
      hs_chart_draw_message (cr, width, height, style, _("No minute bars around this trade"));
      return;
    }
  replay_view (d, view, &v);
  hs_candle_chart_painter.paint (cr, d->candles, &v, width, height, style, &l);
  if (l.plot.width <= 0)
    return;
  hs_replay_chart_colors (style, &colors);

  cairo_save (cr);
  cairo_rectangle (cr, l.plot.x, l.plot.y, l.plot.width, l.plot.height);
  cairo_clip (cr);
  hs_chart_text_init (&t, cr, style);

  /* The holding period, to the exit or (open) to the right edge. */
  if (d->entry_ts == HS_REPLAY_NO_TS)
    x0 = x1 = 0;
  else
    x0 = MAX (x_of (&l, (double) d->entry_ts), l.plot.x);
  if (d->entry_ts != HS_REPLAY_NO_TS)
    x1 = d->exit_ts != HS_REPLAY_NO_TS ? x_of (&l, (double) d->exit_ts)
                                     : l.plot.x + l.plot.width;
  x1 = MIN (x1, l.plot.x + l.plot.width);
  if (x1 > x0)
    {
      cairo_rectangle (cr, x0, l.plot.y, x1 - x0, l.plot.height);
      hs_chart_set_color_alpha (cr, &colors.entry, 0.07);
      cairo_fill (cr);
    }

  if (d->entry_ts != HS_REPLAY_NO_TS)
    {
      draw_vertical (cr, &t, &l, (double) d->entry_ts, &colors.entry, NULL);
      /* Translators: the label horizons on the replay chart: entry + 15 minutes, + 1 hour */
      draw_vertical (cr, &t, &l, (double) d->entry_ts + 15 * 60e6, &colors.horizon, _("+15m"));
      draw_vertical (cr, &t, &l, (double) d->entry_ts + 3600e6, &colors.horizon, _("+1h"));
    }

  draw_level (cr, &t, &l, d->stop_loss, &colors.stop, TRUE, FALSE, _("Stop"));
  draw_level (cr, &t, &l, d->take_profit, &colors.target, TRUE, FALSE, _("Target"));
  draw_level (cr, &t, &l, d->mfe_price, &colors.mfe, FALSE, TRUE, _("MFE"));
  draw_level (cr, &t, &l, d->mae_price, &colors.mae, FALSE, TRUE, _("MAE"));

  if (d->entry_ts != HS_REPLAY_NO_TS)
    draw_marker (cr, &l, style, (double) d->entry_ts, d->entry_price, &colors.entry);
  if (d->exit_ts != HS_REPLAY_NO_TS)
    draw_marker (cr, &l, style, (double) d->exit_ts, d->exit_price, &colors.exit);
  cairo_restore (cr);

  /* The legend, right-aligned above the plot (the candles' title is on the left). */
  lx = l.plot.x + l.plot.width - (hs_chart_text_width (&t, _("Entry"))
                                  + hs_chart_text_width (&t, _("Exit")) + 2 * 35);
  lx = hs_chart_legend_entry (&t, style, lx, HS_CHART_LEGEND_Y, _("Entry"), &colors.entry);
  hs_chart_legend_entry (&t, style, lx, HS_CHART_LEGEND_Y, _("Exit"), &colors.exit);
  hs_chart_text_clear (&t);
}

/**
 * hs_paint_replay:
 * @cr: where to draw
 * @data: the bars and the trade
 * @view: (nullable): the visible time range (x, µs) and price range (y); NULL or NAN: fit to
 *   the bars and the trade's levels
 * @width: the surface's width
 * @height: the surface's height
 * @style: the palette
 *
 * Draws the replay of one trade (see the file's comment).
 */
void
hs_paint_replay (cairo_t                 *cr,
                 const HsReplayChartData *data,
                 const HsChartView       *view,
                 int                      width,
                 int                      height,
                 const HsChartStyle      *style)
{
  g_return_if_fail (cr != NULL && style != NULL);

  paint_full (cr, data, view, width, height, style);
}

/* ------------------------------------------------------------------------------------------ */
/* HsChartPainter                                                                              */

HS_CHART_PAINTER_GLUE (painter, hs_paint_replay, hs_replay_chart_layout)

static gboolean
painter_extent (gconstpointer  data,
                HsChartView   *out)
{
  const HsReplayChartData *d = data;

  if (!valid (d))
    {
      hs_chart_view_init (out);
      return FALSE;
    }
  return hs_candle_chart_painter.extent (d->candles, out);
}

static int
painter_probe (gconstpointer        data,
               const HsChartLayout *l,
               double               px,
               double               py,
               HsChartProbe        *out)
{
  const HsReplayChartData *d = data;

  if (!valid (d))
    {
      hs_chart_probe_init (out, px, py);
      return -1;
    }
  return hs_candle_chart_painter.probe (d->candles, l, px, py, out);
}

static char *
painter_describe (gconstpointer data)
{
  const HsReplayChartData *d = data;
  g_autofree char *bars = NULL;
  char entry[32], exit[32];

  if (!valid (d))
    return g_strdup (_("Replay chart without minute bars."));
  bars = hs_candle_chart_painter.describe (d->candles);
  hs_chart_format_value (d->entry_price, 0, HS_CHART_FORMAT_NUMBER, entry, sizeof entry);
  if (d->exit_ts == HS_REPLAY_NO_TS)
    return g_strdup_printf (_("%s Entry at %s; the trade is open."), bars, entry);
  hs_chart_format_value (d->exit_price, 0, HS_CHART_FORMAT_NUMBER, exit, sizeof exit);
  return g_strdup_printf (_("%s Entry at %s, exit at %s."), bars, entry, exit);
}

const HsChartPainter hs_replay_chart_painter = {
  .name = "replay",
  .flags = HS_CHART_ZOOM_X | HS_CHART_TIME_X,
  .paint = painter_paint,
  .layout = painter_layout,
  .extent = painter_extent,
  .probe = painter_probe,
  .describe = painter_describe,
};

/* ------------------------------------------------------------------------------------------ */
/* Owned data                                                                                  */

/**
 * hs_replay_chart_data_new:
 * @title: (nullable): shown top left, e.g. "AAPL · 1m"
 *
 * Copies the bars; the trade's fields start as "none" (NAN, HS_REPLAY_NO_TS, side +1) for the
 * caller to fill.
 *
 * Returns: (transfer full): the data; free with hs_replay_chart_data_free()
 */
HsReplayChartData *
hs_replay_chart_data_new (const int64_t *ts,
                          const double  *open,
                          const double  *high,
                          const double  *low,
                          const double  *close,
                          size_t         n,
                          const char    *title)
{
  HsReplayChartData *d = g_new0 (HsReplayChartData, 1);

  d->candles = hs_candle_chart_data_new (ts, open, high, low, close, NULL, n, title);
  d->side = 1;
  d->entry_ts = d->exit_ts = HS_REPLAY_NO_TS;
  d->entry_price = d->exit_price = NAN;
  d->stop_loss = d->take_profit = NAN;
  d->mfe_price = d->mae_price = NAN;
  return d;
}

void
hs_replay_chart_data_free (HsReplayChartData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->candles, hs_candle_chart_data_free);
  g_free (data);
}
