/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two heat maps. Monthly returns: a row per year, a column per month and one for the
 * compounded year, coloured on a scale symmetric around zero (blue gains, orange losses, the
 * strongest month at full colour). Sweep: a cell per parameter combination coloured by the
 * chosen statistic — diverging around zero when the values have both signs, otherwise from
 * the worst (neutral) to the best (blue), "best" following lower_is_better — with the best
 * cell outlined and a colour key. Cells print their value when it fits. Grids are small (a
 * few hundred cells), so everything is drawn on every paint.
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart-heatmap.h"
#include "hs-chart-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define DAY_US (INT64_C (86400000000))

/* The grid of cells inside the chart, and how big a cell is. */
typedef struct
{
  HsChartRect cells;
  double      cw, ch;
  size_t      cols, rows;
} Grid;

static void
grid_fit (Grid   *g,
          double  x,
          double  y,
          double  width,
          double  height,
          size_t  cols,
          size_t  rows,
          double  max_cell_h)
{
  g->cols = cols;
  g->rows = rows;
  g->cw = cols > 0 ? MAX (width, 1.0) / cols : 0;
  g->ch = rows > 0 ? MIN (MAX (height, 1.0) / rows, max_cell_h) : 0;
  g->cells = (HsChartRect) { x, y, g->cw * cols, g->ch * rows };
}

static HsChartRect
grid_cell (const Grid *g,
           size_t      col,
           size_t      row)
{
  return (HsChartRect) { g->cells.x + col * g->cw, g->cells.y + row * g->ch, g->cw, g->ch };
}

static int
grid_hit (const Grid *g,
          double      px,
          double      py,
          size_t     *col,
          size_t     *row)
{
  if (g->cols == 0 || g->rows == 0 || !hs_chart_rect_contains (&g->cells, px, py))
    return FALSE;
  *col = MIN ((size_t) ((px - g->cells.x) / g->cw), g->cols - 1);
  *row = MIN ((size_t) ((py - g->cells.y) / g->ch), g->rows - 1);
  return TRUE;
}

/* Fills a cell one pixel inside its bounds (the gaps read as a grid) and prints @label in the
 * middle when it fits. */
static void
draw_cell (HsChartText        *t,
           const HsChartStyle *style,
           const HsChartRect  *r,
           const HsChartRgba  *fill,
           const char         *label)
{
  double inset = r->width > 6 && r->height > 6 ? 1.0 : 0.0;

  cairo_rectangle (t->cr, r->x + inset, r->y + inset, r->width - 2 * inset,
                   r->height - 2 * inset);
  hs_chart_set_color (t->cr, fill);
  cairo_fill (t->cr);
  if (label != NULL && label[0] != '\0' && r->height >= t->line_h + 2
      && hs_chart_text_width (t, label) <= r->width - 4)
    hs_chart_text_draw (t, label, r->x + r->width / 2, r->y + r->height / 2, 0.5, 0.5,
                        hs_chart_contrast_text (style, fill));
}

/* A cell's value as printed in it: one decimal, "%" only when @with_unit. */
static void
cell_label (double         value,
            HsChartFormat  format,
            gboolean       with_unit,
            char          *buf,
            size_t         size)
{
  if (!isfinite (value))
    {
      buf[0] = '\0';
      return;
    }
  hs_chart_format_value (value, fabs (value) >= 100 ? 1 : 0.1,
                         with_unit ? format : HS_CHART_FORMAT_NUMBER, buf, size);
}

/* ------------------------------------------------------------------------------------------ */
/* Monthly returns                                                                             */

static gboolean
monthly_valid (const HsMonthlyReturnsData *d)
{
  return d != NULL && d->n_years > 0 && d->returns != NULL;
}

static gboolean
monthly_grid (HsChartText                *t,
              const HsMonthlyReturnsData *d,
              int                         width,
              int                         height,
              Grid                       *g)
{
  char year[16];
  double line = ceil (t->line_h);
  double top = line + 10 + line + 6, left, right = 12, bottom = 8;
  size_t cols = d->year_returns != NULL ? 13 : 12;

  g_snprintf (year, sizeof year, "%d", d->first_year + (int) d->n_years - 1);
  left = ceil (hs_chart_text_width (t, year)) + 20;
  grid_fit (g, left, top, width - left - right, height - top - bottom, cols, d->n_years,
            3.0 * line);
  return TRUE;
}

/**
 * hs_monthly_returns_layout:
 * @cells: (out): the rectangle of the cells
 * @cell_width: (out): one cell's width
 * @cell_height: (out): one cell's height
 *
 * Where hs_paint_monthly_returns() puts the cells: row r (year first_year + r), column m
 * (month m + 1; 12 the year) is at (cells.x + m · width, cells.y + r · height).
 *
 * Returns: FALSE when @data holds no year
 */
gboolean
hs_monthly_returns_layout (cairo_t                    *cr,
                           const HsMonthlyReturnsData *data,
                           int                         width,
                           int                         height,
                           const HsChartStyle         *style,
                           HsChartRect                *cells,
                           double                     *cell_width,
                           double                     *cell_height)
{
  HsChartText t;
  Grid g = { 0 };

  g_return_val_if_fail (style != NULL && cells != NULL, FALSE);

  if (!monthly_valid (data))
    return FALSE;
  hs_chart_text_init (&t, cr, style);
  monthly_grid (&t, data, width, height, &g);
  hs_chart_text_clear (&t);
  *cells = g.cells;
  *cell_width = g.cw;
  *cell_height = g.ch;
  return TRUE;
}

static double
max_abs (const double *v,
         size_t        n)
{
  double m = 0;

  for (size_t i = 0; v != NULL && i < n; i++)
    if (isfinite (v[i]))
      m = MAX (m, fabs (v[i]));
  return m;
}

static char *
month_name (int month)   /* 1 … 12 */
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2001, month, 1, 0, 0, 0);

  return g_date_time_format (dt, "%b");
}

/**
 * hs_paint_monthly_returns:
 * @view: (nullable): only view->highlight is used (a cell index, row × 13 + column)
 *
 * Draws the monthly returns heat map: years down, months across, the year's return last.
 */
void
hs_paint_monthly_returns (cairo_t                    *cr,
                          const HsMonthlyReturnsData *data,
                          const HsChartView          *view,
                          int                         width,
                          int                         height,
                          const HsChartStyle         *style)
{
  HsChartText t;
  Grid g = { 0 };
  double scale, year_scale;
  gboolean with_unit;
  char probe[32];

  g_return_if_fail (cr != NULL && style != NULL);

  if (!monthly_valid (data) || width < 8 || height < 8)
    {
      hs_chart_draw_message (cr, width, height, style, _("No monthly returns"));
      return;
    }
  cairo_save (cr);
  hs_chart_paint_background (cr, width, height, style);
  hs_chart_text_init (&t, cr, style);
  monthly_grid (&t, data, width, height, &g);

  scale = max_abs (data->returns, data->n_years * 12);
  year_scale = max_abs (data->year_returns, data->n_years);
  /* "%" in the cells when the widest label still fits. */
  cell_label (-99.9, HS_CHART_FORMAT_PERCENT, TRUE, probe, sizeof probe);
  with_unit = hs_chart_text_width (&t, probe) <= g.cw - 4;

  hs_chart_text_draw (&t, with_unit ? _("Monthly returns") : _("Monthly returns (%)"),
                      g.cells.x, 6, 0, 0, &style->text);
  for (size_t col = 0; col < g.cols; col++)
    {
      g_autofree char *name = col < 12 ? month_name ((int) col + 1) : g_strdup (_("Year"));
      HsChartRect r = grid_cell (&g, col, 0);

      hs_chart_text_draw (&t, name, r.x + r.width / 2, g.cells.y - 4, 0.5, 1.0,
                          &style->text_dim);
    }
  for (size_t row = 0; row < data->n_years; row++)
    {
      char year[16];
      HsChartRect r = grid_cell (&g, 0, row);

      g_snprintf (year, sizeof year, "%d", data->first_year + (int) row);
      hs_chart_text_draw (&t, year, g.cells.x - 10, r.y + r.height / 2, 1.0, 0.5,
                          &style->text_dim);
      for (size_t col = 0; col < g.cols; col++)
        {
          double v = col < 12 ? data->returns[row * 12 + col] : data->year_returns[row];
          double s = col < 12 ? scale : year_scale;
          HsChartRgba fill;
          char label[32];

          r = grid_cell (&g, col, row);
          if (!isfinite (v))
            continue;
          hs_chart_diverging (style, s > 0 ? v / s : 0, &fill);
          cell_label (v, HS_CHART_FORMAT_PERCENT, with_unit, label, sizeof label);
          draw_cell (&t, style, &r, &fill, label);
        }
    }
  if (view != NULL && view->highlight >= 0
      && (size_t) view->highlight / 13 < data->n_years && (size_t) view->highlight % 13 < g.cols)
    {
      HsChartRect r = grid_cell (&g, (size_t) view->highlight % 13,
                                 (size_t) view->highlight / 13);

      cairo_rectangle (cr, r.x + 1, r.y + 1, r.width - 2, r.height - 2);
      hs_chart_set_color (cr, &style->highlight);
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
    }
  hs_chart_text_clear (&t);
  cairo_restore (cr);
}

/* Index of a month of the proleptic Gregorian calendar: year × 12 + month − 1. */
static int64_t
month_key (int64_t    ts,
           int64_t   *cached_day,
           int64_t   *cached_key)
{
  int64_t day = ts >= 0 ? ts / DAY_US : -((-ts + DAY_US - 1) / DAY_US);

  if (day != *cached_day)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day * 86400);

      *cached_day = day;
      *cached_key = dt != NULL ? (int64_t) g_date_time_get_year (dt) * 12
                                 + g_date_time_get_month (dt) - 1 : 0;
    }
  return *cached_key;
}

/**
 * hs_monthly_returns_new_from_equity:
 * @ts: (array length=n): ascending µs UTC
 * @equity: (array length=n): account values (> 0)
 * @n: points
 *
 * Monthly returns of an equity curve, in percent: each month's last value over the previous
 * month's last value (the first month over the first value), − 1; a month without points is
 * NAN and the next month compounds over it. The year's return is its last value over the
 * previous year's last (or the first value) − 1. Months are UTC calendar months.
 *
 * Returns: (transfer full): the returns; free with hs_monthly_returns_free()
 */
HsMonthlyReturnsData *
hs_monthly_returns_new_from_equity (const int64_t *ts,
                                    const double  *equity,
                                    size_t         n)
{
  HsMonthlyReturnsData *d = g_new0 (HsMonthlyReturnsData, 1);
  int64_t day = INT64_MIN, key = 0, first_key = 0, last_key = 0;
  double *returns, *years, month_base = NAN, year_base = NAN, prev = NAN;
  int64_t cur_month = INT64_MIN, cur_year = INT64_MIN;
  size_t first = 0;

  g_return_val_if_fail (n == 0 || (ts != NULL && equity != NULL), d);

  while (first < n && !(isfinite (equity[first]) && equity[first] > 0))
    first++;
  if (first == n)
    return d;
  first_key = month_key (ts[first], &day, &key);
  last_key = month_key (ts[n - 1], &day, &key);
  d->first_year = (int) (first_key / 12);
  d->n_years = (size_t) (last_key / 12 - first_key / 12 + 1);
  returns = g_new (double, d->n_years * 12);
  years = g_new (double, d->n_years);
  for (size_t i = 0; i < d->n_years * 12; i++)
    returns[i] = NAN;
  for (size_t i = 0; i < d->n_years; i++)
    years[i] = NAN;

  month_base = year_base = equity[first];
  for (size_t i = first; i <= n; i++)
    {
      int64_t k = i < n ? month_key (ts[i], &day, &key) : INT64_MAX;

      if (i < n && !(isfinite (equity[i]) && equity[i] > 0))
        continue;
      if (k != cur_month && cur_month != INT64_MIN)
        {
          /* The month that ended: its last value is prev. */
          returns[(cur_month / 12 - d->first_year) * 12 + cur_month % 12] =
            100.0 * (prev / month_base - 1.0);
          month_base = prev;
          if (k / 12 != cur_year)
            {
              years[cur_year - d->first_year] = 100.0 * (prev / year_base - 1.0);
              year_base = prev;
            }
        }
      if (i == n)
        break;
      cur_month = k;
      cur_year = k / 12;
      prev = equity[i];
    }
  d->returns = returns;
  d->year_returns = years;
  return d;
}

void
hs_monthly_returns_free (HsMonthlyReturnsData *data)
{
  if (data == NULL)
    return;
  g_free ((gpointer) data->returns);
  g_free ((gpointer) data->year_returns);
  g_free (data);
}

/* The heat maps' HsChartLayout: the cells as the plot, nothing else. */
static gboolean
monthly_layout (cairo_t            *cr,
                gconstpointer       data,
                const HsChartView  *view,
                int                 width,
                int                 height,
                const HsChartStyle *style,
                HsChartLayout      *out)
{
  double cw = 0, ch = 0;

  memset (out, 0, sizeof *out);
  hs_chart_view_init (&out->view);
  return hs_monthly_returns_layout (cr, data, width, height, style, &out->plot, &cw, &ch);
}

static gboolean
no_extent (gconstpointer  data,
           HsChartView   *out)
{
  hs_chart_view_init (out);
  return data != NULL;
}

static int
monthly_probe (gconstpointer        data,
               const HsChartLayout *l,
               double               px,
               double               py,
               HsChartProbe        *out)
{
  const HsMonthlyReturnsData *d = data;
  Grid g = { 0 };
  size_t col, row;
  char value[32];
  double v;

  hs_chart_probe_init (out, px, py);
  if (!monthly_valid (d))
    return -1;
  g.cells = l->plot;
  g.cols = d->year_returns != NULL ? 13 : 12;
  g.rows = d->n_years;
  g.cw = l->plot.width / g.cols;
  g.ch = l->plot.height / g.rows;
  if (!grid_hit (&g, px, py, &col, &row))
    return -1;
  v = col < 12 ? d->returns[row * 12 + col] : d->year_returns[row];
  out->index = (int) (row * 13 + col);
  out->snap_x = g.cells.x + (col + 0.5) * g.cw;
  out->snap_y = g.cells.y + (row + 0.5) * g.ch;
  hs_chart_format_value (v, 0, HS_CHART_FORMAT_PERCENT, value, sizeof value);
  if (col < 12)
    {
      g_autofree char *name = month_name ((int) col + 1);

      g_snprintf (out->text, sizeof out->text, "%s %d   %s", name,
                  d->first_year + (int) row, value);
    }
  else
    g_snprintf (out->text, sizeof out->text, _("%d (year)   %s"), d->first_year + (int) row,
                value);
  return out->index;
}

static char *
monthly_describe (gconstpointer data)
{
  const HsMonthlyReturnsData *d = data;
  double best = -INFINITY, worst = INFINITY;
  size_t months = 0, positive = 0;
  char b[32], w[32];

  if (!monthly_valid (d))
    return g_strdup (_("Monthly returns without data."));
  for (size_t i = 0; i < d->n_years * 12; i++)
    if (isfinite (d->returns[i]))
      {
        months++;
        positive += d->returns[i] > 0;
        best = MAX (best, d->returns[i]);
        worst = MIN (worst, d->returns[i]);
      }
  hs_chart_format_value (best, 0, HS_CHART_FORMAT_PERCENT, b, sizeof b);
  hs_chart_format_value (worst, 0, HS_CHART_FORMAT_PERCENT, w, sizeof w);
  return g_strdup_printf (_("Monthly returns %d to %d: %zu of %zu months positive, best %s, "
                            "worst %s."), d->first_year, d->first_year + (int) d->n_years - 1,
                          positive, months, b, w);
}

static void
monthly_paint (cairo_t            *cr,
               gconstpointer       data,
               const HsChartView  *view,
               int                 width,
               int                 height,
               const HsChartStyle *style,
               HsChartLayout      *layout)
{
  hs_paint_monthly_returns (cr, data, view, width, height, style);
  if (layout != NULL)
    monthly_layout (cr, data, view, width, height, style, layout);
}

const HsChartPainter hs_monthly_returns_painter = {
  .name = "monthly-returns",
  .flags = 0,
  .paint = monthly_paint,
  .layout = monthly_layout,
  .extent = no_extent,
  .probe = monthly_probe,
  .describe = monthly_describe,
};

/* ------------------------------------------------------------------------------------------ */
/* Sweep heat map                                                                              */

static gboolean
sweep_valid (const HsSweepHeatmapData *d)
{
  return d != NULL && d->nx > 0 && d->ny > 0 && d->values != NULL;
}

/**
 * hs_sweep_heatmap_best:
 *
 * Returns: the index (iy × nx + ix) of the best defined value — the highest, or the lowest
 *   when lower_is_better; the first in row-major order on a tie — or −1 when none is defined
 */
int
hs_sweep_heatmap_best (const HsSweepHeatmapData *data)
{
  int best = -1;

  g_return_val_if_fail (data != NULL, -1);

  for (size_t i = 0; i < data->nx * data->ny && data->values != NULL; i++)
    {
      double v = data->values[i];

      if (!isfinite (v))
        continue;
      if (best < 0 || (data->lower_is_better ? v < data->values[best] : v > data->values[best]))
        best = (int) i;
    }
  return best;
}

/* The colour of @v: diverging around zero when the values have both signs, else from the
 * worst (neutral) to the best (the win colour). */
static void
sweep_color (const HsSweepHeatmapData *d,
             const HsChartStyle       *style,
             double                    lo,
             double                    hi,
             double                    v,
             HsChartRgba              *out)
{
  double sign = d->lower_is_better ? -1 : 1;

  if (!isfinite (v))
    hs_chart_diverging (style, NAN, out);
  else if (lo < 0 && hi > 0)
    hs_chart_diverging (style, sign * v / MAX (fabs (lo), fabs (hi)), out);
  else if (hi > lo)
    hs_chart_diverging (style, d->lower_is_better ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo),
                        out);
  else
    hs_chart_diverging (style, 0.5, out);
}

static void
value_range (const HsSweepHeatmapData *d,
             double                   *lo,
             double                   *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for (size_t i = 0; i < d->nx * d->ny; i++)
    if (isfinite (d->values[i]))
      {
        *lo = MIN (*lo, d->values[i]);
        *hi = MAX (*hi, d->values[i]);
      }
}

#define KEY_W 14.0

static void
sweep_grid (HsChartText              *t,
            const HsSweepHeatmapData *d,
            int                       width,
            int                       height,
            Grid                     *g)
{
  double line = ceil (t->line_h);
  double label_w = 0, key = KEY_W + 70;
  double top = line + 10 + line + 6, bottom = line + 8 + line + 8;

  for (size_t i = 0; i < d->ny; i++)
    label_w = MAX (label_w, hs_chart_text_width (t, d->y_labels[i] != NULL ? d->y_labels[i]
                                                                           : ""));
  label_w = ceil (label_w) + 20;
  grid_fit (g, label_w, top, width - label_w - key - 12, height - top - bottom, d->nx, d->ny,
            INFINITY);
}

/**
 * hs_sweep_heatmap_layout:
 * @cells: (out): the rectangle of the cells
 * @cell_width: (out): one cell's width
 * @cell_height: (out): one cell's height
 *
 * Where hs_paint_sweep_heatmap() puts the cells: (ix, iy) is at (cells.x + ix · width,
 * cells.y + iy · height).
 *
 * Returns: FALSE when @data has no cells
 */
gboolean
hs_sweep_heatmap_layout (cairo_t                  *cr,
                         const HsSweepHeatmapData *data,
                         int                       width,
                         int                       height,
                         const HsChartStyle       *style,
                         HsChartRect              *cells,
                         double                   *cell_width,
                         double                   *cell_height)
{
  HsChartText t;
  Grid g = { 0 };

  g_return_val_if_fail (style != NULL && cells != NULL, FALSE);

  if (!sweep_valid (data))
    return FALSE;
  hs_chart_text_init (&t, cr, style);
  sweep_grid (&t, data, width, height, &g);
  hs_chart_text_clear (&t);
  *cells = g.cells;
  *cell_width = g.cw;
  *cell_height = g.ch;
  return TRUE;
}

/* Labels along an axis of @n cells @cell apart, every @every-th so they do not collide. */
static size_t
label_stride (HsChartText       *t,
              const char *const *labels,
              size_t             n,
              double             cell,
              gboolean           horizontal)
{
  double need = 0;

  for (size_t i = 0; i < n; i++)
    need = MAX (need, horizontal ? hs_chart_text_width (t, labels[i] != NULL ? labels[i] : "")
                                 : t->line_h);
  need += 8;
  return cell > 0 ? MAX ((size_t) 1, (size_t) ceil (need / cell)) : 1;
}

/**
 * hs_paint_sweep_heatmap:
 * @view: (nullable): view->highlight (a cell index iy × nx + ix) is outlined too
 *
 * Draws the statistic over the two parameters, the best cell outlined, a colour key at the
 * right.
 */
void
hs_paint_sweep_heatmap (cairo_t                  *cr,
                        const HsSweepHeatmapData *data,
                        const HsChartView        *view,
                        int                       width,
                        int                       height,
                        const HsChartStyle       *style)
{
  HsChartText t;
  Grid g = { 0 };
  double lo, hi;
  int best;
  size_t stride;
  char probe[32];
  gboolean labels;

  g_return_if_fail (cr != NULL && style != NULL);

  if (!sweep_valid (data) || width < 8 || height < 8)
    {
      hs_chart_draw_message (cr, width, height, style, _("No sweep results"));
      return;
    }
  cairo_save (cr);
  hs_chart_paint_background (cr, width, height, style);
  hs_chart_text_init (&t, cr, style);
  sweep_grid (&t, data, width, height, &g);
  value_range (data, &lo, &hi);
  best = hs_sweep_heatmap_best (data);
  cell_label (-99.99, data->format, TRUE, probe, sizeof probe);
  labels = hs_chart_text_width (&t, probe) <= g.cw - 4;

  {
    g_autofree char *title = NULL;

    if (best >= 0)
      {
        char value[32];

        hs_chart_format_value (data->values[best], 0, data->format, value, sizeof value);
        /* Translators: sweep heat map title: statistic, best value, x = value, y = value */
        title = g_strdup_printf (_("%s — best %s at %s = %s, %s = %s"),
                                 data->statistic != NULL ? data->statistic : _("Statistic"),
                                 value, data->x_name != NULL ? data->x_name : "x",
                                 data->x_labels[best % data->nx],
                                 data->y_name != NULL ? data->y_name : "y",
                                 data->y_labels[best / data->nx]);
      }
    else
      title = g_strdup (data->statistic != NULL ? data->statistic : _("Statistic"));
    hs_chart_text_draw (&t, title, g.cells.x, 6, 0, 0, &style->text);
  }

  for (size_t iy = 0; iy < data->ny; iy++)
    for (size_t ix = 0; ix < data->nx; ix++)
      {
        HsChartRect r = grid_cell (&g, ix, iy);
        double v = data->values[iy * data->nx + ix];
        HsChartRgba fill;
        char label[32] = "";

        sweep_color (data, style, lo, hi, v, &fill);
        if (labels)
          cell_label (v, data->format, TRUE, label, sizeof label);
        draw_cell (&t, style, &r, &fill, label);
      }

  /* The best cell, and the highlighted one, outlined. */
  for (int k = 0; k < 2; k++)
    {
      int i = k == 0 ? best : (view != NULL ? view->highlight : -1);
      HsChartRect r;

      if (i < 0 || (size_t) i >= data->nx * data->ny || (k == 1 && i == best))
        continue;
      r = grid_cell (&g, (size_t) i % data->nx, (size_t) i / data->nx);
      cairo_rectangle (cr, r.x + 1.5, r.y + 1.5, MAX (r.width - 3, 1.0),
                       MAX (r.height - 3, 1.0));
      hs_chart_set_color (cr, &style->highlight);
      cairo_set_line_width (cr, k == 0 ? 3.0 : 1.5);
      cairo_stroke (cr);
    }

  /* Axis labels: x under the columns, y left of the rows, both thinned to fit; names. */
  stride = label_stride (&t, data->x_labels, data->nx, g.cw, TRUE);
  for (size_t ix = 0; ix < data->nx; ix += stride)
    hs_chart_text_draw (&t, data->x_labels[ix], g.cells.x + (ix + 0.5) * g.cw,
                        g.cells.y + g.cells.height + 4, 0.5, 0, &style->text_dim);
  stride = label_stride (&t, data->y_labels, data->ny, g.ch, FALSE);
  for (size_t iy = 0; iy < data->ny; iy += stride)
    hs_chart_text_draw (&t, data->y_labels[iy], g.cells.x - 8, g.cells.y + (iy + 0.5) * g.ch,
                        1, 0.5, &style->text_dim);
  hs_chart_text_draw (&t, data->x_name, g.cells.x + g.cells.width / 2,
                      g.cells.y + g.cells.height + 8 + t.line_h, 0.5, 0, &style->text);
  hs_chart_text_draw (&t, data->y_name, 8, g.cells.y - 6, 0, 1, &style->text);

  /* The colour key: worst at the bottom, best at the top. */
  if (isfinite (lo))
    {
      double kx = g.cells.x + g.cells.width + 16, ky = g.cells.y;
      double kh = MAX (g.cells.height, 20.0);
      char top[32], bottom[32];
      double top_v = data->lower_is_better ? lo : hi, bottom_v = data->lower_is_better ? hi : lo;

      for (int i = 0; i < (int) kh; i++)
        {
          HsChartRgba c;

          sweep_color (data, style, lo, hi, top_v + (bottom_v - top_v) * (i + 0.5) / kh, &c);
          cairo_rectangle (cr, kx, ky + i, KEY_W, 1);
          hs_chart_set_color (cr, &c);
          cairo_fill (cr);
        }
      hs_chart_format_value (top_v, 0, data->format, top, sizeof top);
      hs_chart_format_value (bottom_v, 0, data->format, bottom, sizeof bottom);
      hs_chart_text_draw (&t, top, kx + KEY_W + 4, ky, 0, 0, &style->text_dim);
      hs_chart_text_draw (&t, bottom, kx + KEY_W + 4, ky + kh, 0, 1, &style->text_dim);
    }
  hs_chart_text_clear (&t);
  cairo_restore (cr);
}

static gboolean
sweep_layout (cairo_t            *cr,
              gconstpointer       data,
              const HsChartView  *view,
              int                 width,
              int                 height,
              const HsChartStyle *style,
              HsChartLayout      *out)
{
  double cw = 0, ch = 0;

  memset (out, 0, sizeof *out);
  hs_chart_view_init (&out->view);
  return hs_sweep_heatmap_layout (cr, data, width, height, style, &out->plot, &cw, &ch);
}

static int
sweep_probe (gconstpointer        data,
             const HsChartLayout *l,
             double               px,
             double               py,
             HsChartProbe        *out)
{
  const HsSweepHeatmapData *d = data;
  Grid g = { 0 };
  size_t ix, iy;
  char value[32];

  hs_chart_probe_init (out, px, py);
  if (!sweep_valid (d))
    return -1;
  g.cells = l->plot;
  g.cols = d->nx;
  g.rows = d->ny;
  g.cw = l->plot.width / d->nx;
  g.ch = l->plot.height / d->ny;
  if (!grid_hit (&g, px, py, &ix, &iy))
    return -1;
  out->index = (int) (iy * d->nx + ix);
  out->snap_x = g.cells.x + (ix + 0.5) * g.cw;
  out->snap_y = g.cells.y + (iy + 0.5) * g.ch;
  hs_chart_format_value (d->values[out->index], 0, d->format, value, sizeof value);
  g_snprintf (out->text, sizeof out->text, "%s = %s   %s = %s   %s %s",
              d->x_name != NULL ? d->x_name : "x", d->x_labels[ix],
              d->y_name != NULL ? d->y_name : "y", d->y_labels[iy],
              d->statistic != NULL ? d->statistic : "", value);
  return out->index;
}

static char *
sweep_describe (gconstpointer data)
{
  const HsSweepHeatmapData *d = data;
  int best;
  char value[32];

  if (!sweep_valid (d))
    return g_strdup (_("Sweep heat map without data."));
  best = hs_sweep_heatmap_best (d);
  if (best < 0)
    return g_strdup_printf (_("%zu by %zu combinations, none with a value."), d->nx, d->ny);
  hs_chart_format_value (d->values[best], 0, d->format, value, sizeof value);
  return g_strdup_printf (_("%s over %zu values of %s and %zu of %s; best %s at %s = %s, "
                            "%s = %s."), d->statistic != NULL ? d->statistic : _("Statistic"),
                          d->nx, d->x_name, d->ny, d->y_name, value, d->x_name,
                          d->x_labels[best % d->nx], d->y_name, d->y_labels[best / d->nx]);
}

static void
sweep_paint (cairo_t            *cr,
             gconstpointer       data,
             const HsChartView  *view,
             int                 width,
             int                 height,
             const HsChartStyle *style,
             HsChartLayout      *layout)
{
  hs_paint_sweep_heatmap (cr, data, view, width, height, style);
  if (layout != NULL)
    sweep_layout (cr, data, view, width, height, style, layout);
}

const HsChartPainter hs_sweep_heatmap_painter = {
  .name = "sweep-heatmap",
  .flags = 0,
  .paint = sweep_paint,
  .layout = sweep_layout,
  .extent = no_extent,
  .probe = sweep_probe,
  .describe = sweep_describe,
};

typedef struct
{
  HsSweepHeatmapData  pub;      /* first */
  GStrv               x_labels; /* (owned) */
  GStrv               y_labels; /* (owned) */
} OwnedSweep;

static GStrv
copy_labels (const char *const *labels,
             size_t             n)
{
  GStrv out = g_new0 (char *, n + 1);

  for (size_t i = 0; i < n; i++)
    out[i] = g_strdup (labels != NULL && labels[i] != NULL ? labels[i] : "");
  return out;
}

/**
 * hs_sweep_heatmap_data_new:
 * @values: (array): ny × nx values, row-major; NAN for failed combinations
 *
 * Copies a sweep's grid into a data struct a widget can keep. The format is NUMBER; set
 * ->format to PERCENT for a statistic in percent.
 *
 * Returns: (transfer full): the data; free with hs_sweep_heatmap_data_free()
 */
HsSweepHeatmapData *
hs_sweep_heatmap_data_new (const char        *x_name,
                           const char *const *x_labels,
                           size_t             nx,
                           const char        *y_name,
                           const char *const *y_labels,
                           size_t             ny,
                           const double      *values,
                           const char        *statistic,
                           gboolean           lower_is_better)
{
  OwnedSweep *o = g_new0 (OwnedSweep, 1);

  o->x_labels = copy_labels (x_labels, nx);
  o->y_labels = copy_labels (y_labels, ny);
  o->pub.x_name = g_strdup (x_name);
  o->pub.y_name = g_strdup (y_name);
  o->pub.x_labels = (const char *const *) o->x_labels;
  o->pub.y_labels = (const char *const *) o->y_labels;
  o->pub.nx = nx;
  o->pub.ny = ny;
  o->pub.values = values != NULL && nx * ny > 0 ? g_memdup2 (values, nx * ny * sizeof *values)
                                                : NULL;
  o->pub.statistic = g_strdup (statistic);
  o->pub.lower_is_better = lower_is_better;
  o->pub.format = HS_CHART_FORMAT_NUMBER;
  return &o->pub;
}

void
hs_sweep_heatmap_data_free (HsSweepHeatmapData *data)
{
  OwnedSweep *o = (OwnedSweep *) data;

  if (data == NULL)
    return;
  g_strfreev (o->x_labels);
  g_strfreev (o->y_labels);
  g_free ((gpointer) data->x_name);
  g_free ((gpointer) data->y_name);
  g_free ((gpointer) data->values);
  g_free ((gpointer) data->statistic);
  g_free (o);
}
