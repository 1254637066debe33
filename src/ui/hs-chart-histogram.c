/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The returns histogram. Bins have one width, a 1-2-5 number, and their edges are multiples of
 * it, so zero is always an edge and no bin mixes gains with losses. Without a given width the
 * Freedman–Diaconis rule (2 · IQR · n^(−1/3)) picks one, which needs the values sorted: the
 * owned data (hs_histogram_data_new()) does that once, so a redraw only counts (O(n)).
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart-histogram.h"
#include "hs-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* More bins than this are merged by widening the bin. */
#define MAX_BINS 200

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The 1-2-5 number ≥ @raw (within rounding). */
static double
nice_ceil (double raw)
{
  double e = floor (log10 (raw)), m = raw / pow (10, e);

  if (m <= 1 + 1e-9)
    return pow (10, e);
  if (m <= 2 + 1e-9)
    return 2 * pow (10, e);
  if (m <= 5 + 1e-9)
    return 5 * pow (10, e);
  return 10 * pow (10, e);
}

/* Linear interpolation between order statistics (type 7, as numpy's default). */
static double
quantile (const double *sorted,
          size_t        n,
          double        q)
{
  double h = (double) (n - 1) * q;
  size_t i = (size_t) floor (h);

  if (i + 1 >= n)
    return sorted[n - 1];
  return sorted[i] + (h - (double) i) * (sorted[i + 1] - sorted[i]);
}

/**
 * hs_histogram_auto_width:
 * @values: (array length=n): the values (NAN ones ignored)
 * @n: how many
 *
 * The Freedman–Diaconis width 2 · IQR / ∛n of the finite values, or (max − min) / √n when the
 * interquartile range is 0, rounded up the 1-2-5 series; 1 when all values are equal.
 *
 * Returns: the width, > 0; 0 when no value is finite
 */
double
hs_histogram_auto_width (const double *values,
                         size_t        n)
{
  g_autofree double *sorted = g_new (double, MAX (n, (size_t) 1));
  size_t m = 0;
  double raw;

  for (size_t i = 0; i < n; i++)
    if (isfinite (values[i]))
      sorted[m++] = values[i];
  if (m == 0)
    return 0;
  qsort (sorted, m, sizeof *sorted, compare_double);
  raw = 2 * (quantile (sorted, m, 0.75) - quantile (sorted, m, 0.25)) / cbrt ((double) m);
  if (!(raw > 0))
    raw = (sorted[m - 1] - sorted[0]) / sqrt ((double) m);
  if (!(raw > 0))
    return 1;
  return nice_ceil (raw);
}

/**
 * hs_histogram_bins_compute:
 * @out: (out caller-allocates): the bins; release with hs_histogram_bins_clear()
 *
 * Counts @data's finite values into bins [start + k · width, start + (k+1) · width): the
 * width is data->bin_width (or hs_histogram_auto_width()), start the largest multiple of it
 * at or below the smallest value. A value on an edge goes to the bin it starts. More than 200
 * bins widen the width to the next 1-2-5 number until they fit.
 *
 * Returns: FALSE (and no bins) when no value is finite
 */
gboolean
hs_histogram_bins_compute (const HsHistogramData *data,
                           HsHistogramBins       *out)
{
  double min = INFINITY, max = -INFINITY, sum = 0, width;
  size_t total = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (data == NULL || data->values == NULL)
    return FALSE;
  for (size_t i = 0; i < data->n; i++)
    if (isfinite (data->values[i]))
      {
        min = MIN (min, data->values[i]);
        max = MAX (max, data->values[i]);
        sum += data->values[i];
        total++;
      }
  if (total == 0)
    return FALSE;
  width = data->bin_width > 0 ? data->bin_width : hs_histogram_auto_width (data->values, data->n);
  for (;;)
    {
      /* The epsilons keep a value that is a multiple of the width (0.3 = 3 × 0.1) on the
       * edge it is, despite 0.3 / 0.1 = 2.9999999999999996. */
      out->start = floor (min / width + 1e-9) * width;
      out->n_bins = (size_t) floor ((max - out->start) / width + 1e-9) + 1;
      if (out->n_bins <= MAX_BINS)
        break;
      width = nice_ceil (width * 1.5);
    }
  out->width = width;
  out->counts = g_new0 (size_t, out->n_bins);
  out->total = total;
  out->mean = sum / (double) total;
  for (size_t i = 0; i < data->n; i++)
    {
      double v = data->values[i];
      double k;

      if (!isfinite (v))
        continue;
      k = floor ((v - out->start) / width + 1e-9);
      out->counts[(size_t) CLAMP (k, 0.0, (double) (out->n_bins - 1))]++;
    }
  return TRUE;
}

void
hs_histogram_bins_clear (HsHistogramBins *bins)
{
  g_clear_pointer (&bins->counts, g_free);
  bins->n_bins = 0;
}

static gboolean
frame_build (cairo_t               *cr,
             const HsHistogramData *d,
             const HsChartView     *view,
             int                    width,
             int                    height,
             const HsChartStyle    *style,
             HsChartLayout         *l,
             HsHistogramBins       *bins)
{
  HsChartText t;
  double x_min, x_max;
  size_t top = 0;

  memset (l, 0, sizeof *l);
  if (!hs_histogram_bins_compute (d, bins) || width < 8 || height < 8)
    {
      hs_histogram_bins_clear (bins);
      return FALSE;
    }
  x_min = bins->start;
  x_max = bins->start + bins->width * bins->n_bins;
  /* Keep zero in sight when the values are all on one side of it but near it. */
  if (x_min > 0 && x_min < (x_max - x_min) * 0.25)
    x_min = 0;
  if (x_max < 0 && -x_max < (x_max - x_min) * 0.25)
    x_max = 0;
  l->view.x_min = view != NULL && isfinite (view->x_min) ? view->x_min : x_min;
  l->view.x_max = view != NULL && isfinite (view->x_max) ? view->x_max : x_max;
  for (size_t i = 0; i < bins->n_bins; i++)
    {
      double lo = bins->start + bins->width * i;

      if (lo + bins->width > l->view.x_min && lo < l->view.x_max)
        top = MAX (top, bins->counts[i]);
    }
  l->view.y_min = view != NULL && isfinite (view->y_min) ? view->y_min : 0;
  l->view.y_max = view != NULL && isfinite (view->y_max) ? view->y_max
                  : MAX (1.0, ceil (top * 1.08));
  l->view.y2_min = l->view.y2_max = NAN;
  l->view.highlight = view != NULL ? view->highlight : -1;

  hs_chart_text_init (&t, cr, style);
  hs_chart_layout_panes (&t, width, height, 0, d->format, HS_CHART_FORMAT_NUMBER,
                         HS_CHART_FORMAT_NUMBER, l);
  hs_chart_text_clear (&t);
  return TRUE;
}

/**
 * hs_histogram_layout:
 * @cr: (nullable): the context text will be measured with (NULL: a scratch one)
 * @out: (out caller-allocates): the plot, resolved ranges (x: values, y: counts) and ticks
 *
 * Returns: FALSE when @data has no finite value
 */
gboolean
hs_histogram_layout (cairo_t               *cr,
                     const HsHistogramData *data,
                     const HsChartView     *view,
                     int                    width,
                     int                    height,
                     const HsChartStyle    *style,
                     HsChartLayout         *out)
{
  HsHistogramBins bins;
  gboolean ok;

  g_return_val_if_fail (style != NULL && out != NULL, FALSE);

  ok = frame_build (cr, data, view, width, height, style, out, &bins);
  hs_histogram_bins_clear (&bins);
  return ok;
}

/**
 * hs_paint_histogram:
 * @view: (nullable): the visible value range (x) and count range (y); NULL or NAN: fit;
 *   view->highlight outlines that bin
 *
 * Draws the histogram: bars by bin (orange below zero, blue above), the zero line, the mean.
 */
void
hs_paint_histogram (cairo_t               *cr,
                    const HsHistogramData *data,
                    const HsChartView     *view,
                    int                    width,
                    int                    height,
                    const HsChartStyle    *style)
{
  HsChartLayout layout, *l = &layout;
  HsHistogramBins bins;
  HsChartText t;
  double base_y;
  char mean[48], label[64];

  g_return_if_fail (cr != NULL && style != NULL);

  if (!frame_build (cr, data, view, width, height, style, l, &bins))
    {
      hs_chart_draw_message (cr, width, height, style, _("No values"));
      return;
    }
  cairo_save (cr);
  hs_chart_paint_background (cr, width, height, style);
  hs_chart_draw_pane_grids (cr, style, l);

  cairo_save (cr);
  cairo_rectangle (cr, l->plot.x, l->plot.y, l->plot.width, l->plot.height);
  cairo_clip (cr);
  base_y = l->plot.y + l->plot.height;
  for (int positive = 0; positive <= 1; positive++)
    {
      for (size_t i = 0; i < bins.n_bins; i++)
        {
          double lo = bins.start + bins.width * i;
          double x0, x1, y;

          if (bins.counts[i] == 0 || (lo >= -1e-12 * bins.width) != positive)
            continue;
          x0 = round (hs_chart_map (lo, l->view.x_min, l->view.x_max, l->plot.x,
                                    l->plot.x + l->plot.width));
          x1 = round (hs_chart_map (lo + bins.width, l->view.x_min, l->view.x_max, l->plot.x,
                                    l->plot.x + l->plot.width));
          if (x1 - x0 >= 4)
            x1 -= 1;   /* a pixel between bars */
          y = round (hs_chart_map ((double) bins.counts[i], l->view.y_min, l->view.y_max,
                                   base_y, l->plot.y));
          cairo_rectangle (cr, x0, y, MAX (1.0, x1 - x0), MAX (1.0, base_y - y));
        }
      hs_chart_set_color (cr, positive ? &style->win : &style->loss);
      cairo_fill (cr);
    }
  if (l->view.highlight >= 0 && (size_t) l->view.highlight < bins.n_bins)
    {
      double lo = bins.start + bins.width * l->view.highlight;
      double x0 = hs_chart_map (lo, l->view.x_min, l->view.x_max, l->plot.x,
                                l->plot.x + l->plot.width);
      double x1 = hs_chart_map (lo + bins.width, l->view.x_min, l->view.x_max, l->plot.x,
                                l->plot.x + l->plot.width);
      double y = hs_chart_map ((double) bins.counts[l->view.highlight], l->view.y_min,
                               l->view.y_max, base_y, l->plot.y);

      cairo_rectangle (cr, x0 + 0.5, y + 0.5, MAX (1.0, x1 - x0 - 1), MAX (1.0, base_y - y - 1));
      hs_chart_set_color (cr, &style->highlight);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }

  /* The zero line, solid; the mean, dashed. */
  {
    double zx = floor (hs_chart_map (0, l->view.x_min, l->view.x_max, l->plot.x,
                                     l->plot.x + l->plot.width)) + 0.5;
    double mx = floor (hs_chart_map (bins.mean, l->view.x_min, l->view.x_max, l->plot.x,
                                     l->plot.x + l->plot.width)) + 0.5;
    static const double dash[] = { 4.0, 3.0 };

    cairo_move_to (cr, zx, l->plot.y);
    cairo_line_to (cr, zx, base_y);
    hs_chart_set_color (cr, &style->axis);
    cairo_set_line_width (cr, 1.0);
    cairo_stroke (cr);
    cairo_move_to (cr, mx, l->plot.y);
    cairo_line_to (cr, mx, base_y);
    cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
    hs_chart_set_color (cr, &style->text);
    cairo_set_line_width (cr, 1.5);
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0);
  }
  cairo_restore (cr);

  hs_chart_text_init (&t, cr, style);
  hs_chart_draw_pane_labels (&t, style, l, width, NULL);
  hs_chart_format_value (bins.mean, 0, data->format, mean, sizeof mean);
  /* Translators: histogram legend: title, number of values, mean */
  g_snprintf (label, sizeof label, _("%s: %zu values, mean %s"),
              data->title != NULL ? data->title : _("Values"), bins.total, mean);
  hs_chart_text_draw (&t, label, l->plot.x, HS_CHART_LEGEND_Y, 0, 0, &style->text);
  hs_chart_text_clear (&t);
  cairo_restore (cr);
  hs_histogram_bins_clear (&bins);
}

/* ------------------------------------------------------------------------------------------ */
/* HsChartPainter                                                                              */

HS_CHART_PAINTER_GLUE (painter, hs_paint_histogram, hs_histogram_layout)

static gboolean
painter_extent (gconstpointer  data,
                HsChartView   *out)
{
  HsHistogramBins bins;

  hs_chart_view_init (out);
  if (!hs_histogram_bins_compute (data, &bins))
    return FALSE;
  out->x_min = bins.start;
  out->x_max = bins.start + bins.width * bins.n_bins;
  hs_histogram_bins_clear (&bins);
  return TRUE;
}

static int
painter_probe (gconstpointer        data,
               const HsChartLayout *l,
               double               px,
               double               py,
               HsChartProbe        *out)
{
  const HsHistogramData *d = data;
  HsHistogramBins bins;
  char lo[32], hi[32];
  double x, k;

  hs_chart_probe_init (out, px, py);
  if (!hs_chart_rect_contains (&l->plot, px, py) || !hs_histogram_bins_compute (d, &bins))
    return -1;
  x = hs_chart_map (px, l->plot.x, l->plot.x + l->plot.width, l->view.x_min, l->view.x_max);
  out->x = x;
  out->y = hs_chart_map (py, l->plot.y + l->plot.height, l->plot.y, l->view.y_min,
                         l->view.y_max);
  k = floor ((x - bins.start) / bins.width);
  if (k >= 0 && k < (double) bins.n_bins)
    {
      out->index = (int) k;
      hs_chart_format_value (bins.start + k * bins.width, bins.width, d->format, lo, sizeof lo);
      hs_chart_format_value (bins.start + (k + 1) * bins.width, bins.width, d->format, hi,
                             sizeof hi);
      /* Translators: a histogram bin's readout: from, to, count */
      g_snprintf (out->text, sizeof out->text, _("%s to %s   %zu values"), lo, hi,
                  bins.counts[(size_t) k]);
    }
  hs_histogram_bins_clear (&bins);
  return out->index;
}

static char *
painter_describe (gconstpointer data)
{
  const HsHistogramData *d = data;
  HsHistogramBins bins;
  size_t below = 0;
  char mean[32];
  char *text;

  if (!hs_histogram_bins_compute (d, &bins))
    return g_strdup (_("Histogram without values."));
  for (size_t i = 0; i < d->n; i++)
    below += isfinite (d->values[i]) && d->values[i] < 0;
  hs_chart_format_value (bins.mean, 0, d->format, mean, sizeof mean);
  text = g_strdup_printf (_("%s: %zu values in %zu bins, %zu below zero, mean %s."),
                          d->title != NULL ? d->title : _("Histogram"), bins.total, bins.n_bins,
                          below, mean);
  hs_histogram_bins_clear (&bins);
  return text;
}

const HsChartPainter hs_histogram_painter = {
  .name = "histogram",
  .flags = HS_CHART_ZOOM_X,
  .paint = painter_paint,
  .layout = painter_layout,
  .extent = painter_extent,
  .probe = painter_probe,
  .describe = painter_describe,
};

/**
 * hs_histogram_data_new:
 * @values: (array length=n): the values
 * @title: (nullable): the legend's name for them
 *
 * Copies the values and fixes the bin width once (hs_histogram_auto_width()).
 *
 * Returns: (transfer full): the data; free with hs_histogram_data_free()
 */
HsHistogramData *
hs_histogram_data_new (const double  *values,
                       size_t         n,
                       HsChartFormat  format,
                       const char    *title)
{
  HsHistogramData *d = g_new0 (HsHistogramData, 1);

  g_return_val_if_fail (n == 0 || values != NULL, d);

  d->n = n;
  d->values = n > 0 ? g_memdup2 (values, n * sizeof *values) : NULL;
  d->bin_width = n > 0 ? hs_histogram_auto_width (values, n) : 0;
  d->format = format;
  d->title = g_strdup (title);
  return d;
}

void
hs_histogram_data_free (HsHistogramData *data)
{
  if (data == NULL)
    return;
  g_free ((gpointer) data->values);
  g_free ((gpointer) data->title);
  g_free (data);
}
