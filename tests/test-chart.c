/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The chart painters, drawn into cairo image surfaces and checked pixel by pixel (no display):
 * tick generation for known spans worked out by hand, decimation against a naive reference,
 * a known equity line found where the axis labels say it should be, the drawdown area filled
 * exactly where the equity is below its running peak, planted spikes surviving the reduction of
 * a million points, candle and heat map colours, the histogram's bins and the scatter's
 * hit test by hand, and SVG/PDF export. Every rendered picture is saved under
 * $HS_SCREENSHOT_DIR/charts/ for a reviewer to open.
 */
#include "config.h"

#include <glib.h>
#include <gio/gio.h>
#include <pango/pangocairo.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "hs-chart.h"
#include "hs-chart-decimate.h"
#include "hs-chart-candles.h"
#include "hs-chart-equity.h"
#include "hs-chart-heatmap.h"
#include "hs-chart-histogram.h"
#include "hs-chart-scatter.h"
#include "hs-time.h"

#define MINUTE_US ((int64_t) 60 * G_USEC_PER_SEC)
#define HOUR_US (60 * MINUTE_US)
#define DAY_US (24 * HOUR_US)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static int64_t
utc (int y, int m, int d, int hh, int mm)
{
  return (hs_time_days_from_civil (y, (unsigned) m, (unsigned) d) * 86400
          + hh * 3600 + mm * 60) * G_USEC_PER_SEC;
}

typedef struct
{
  cairo_surface_t *surface;
  cairo_t         *cr;
  int              width, height;
} Canvas;

static void
canvas_init (Canvas *c,
             int     width,
             int     height)
{
  c->width = width;
  c->height = height;
  c->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  c->cr = cairo_create (c->surface);
}

/* Saves the picture as $HS_SCREENSHOT_DIR/charts/@name.png and frees it. */
static void
canvas_finish (Canvas     *c,
               const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");

  if (dir != NULL && dir[0] != '\0')
    {
      g_autofree char *folder = g_build_filename (dir, "charts", NULL);
      g_autofree char *file = g_strconcat (name, ".png", NULL);
      g_autofree char *path = g_build_filename (folder, file, NULL);

      g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
      g_assert_cmpint (cairo_surface_write_to_png (c->surface, path), ==, CAIRO_STATUS_SUCCESS);
      g_test_message ("picture: %s", path);
    }
  cairo_destroy (c->cr);
  cairo_surface_destroy (c->surface);
}

/* The colour at pixel (@x, @y), un-premultiplied, channels 0 … 255. */
static void
pixel (Canvas *c,
       int     x,
       int     y,
       int     rgb[3])
{
  const unsigned char *data;
  uint32_t v;
  int a;

  cairo_surface_flush (c->surface);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, c->width);
  g_assert_cmpint (y, <, c->height);
  data = cairo_image_surface_get_data (c->surface);
  v = *(const uint32_t *) (gconstpointer) (data + y * cairo_image_surface_get_stride (c->surface)
                                           + 4 * x);
  a = (v >> 24) & 0xff;
  rgb[0] = a ? (int) (((v >> 16) & 0xff) * 255 / a) : 0;
  rgb[1] = a ? (int) (((v >> 8) & 0xff) * 255 / a) : 0;
  rgb[2] = a ? (int) ((v & 0xff) * 255 / a) : 0;
}

/* The largest channel difference between pixel (@x, @y) and @color. */
static int
distance (Canvas            *c,
          int                x,
          int                y,
          const HsChartRgba *color)
{
  int p[3];
  int want[3] = { (int) lround (color->r * 255), (int) lround (color->g * 255),
                  (int) lround (color->b * 255) };
  int d = 0;

  pixel (c, x, y, p);
  for (int i = 0; i < 3; i++)
    d = MAX (d, abs (p[i] - want[i]));
  return d;
}

/* Whether some pixel within @r of (@x, @y) is within @tolerance of @color. */
static gboolean
color_near (Canvas            *c,
            double             x,
            double             y,
            int                r,
            const HsChartRgba *color,
            int                tolerance)
{
  int cx = (int) floor (x), cy = (int) floor (y);

  for (int dy = -r; dy <= r; dy++)
    for (int dx = -r; dx <= r; dx++)
      {
        int px = cx + dx, py = cy + dy;

        if (px >= 0 && py >= 0 && px < c->width && py < c->height
            && distance (c, px, py, color) <= tolerance)
          return TRUE;
      }
  return FALSE;
}

/* @a drawn over @b with @a's alpha times @alpha, as cairo's OVER does. */
static HsChartRgba
blend (const HsChartRgba *a,
       double             alpha,
       const HsChartRgba *b)
{
  double t = a->a * alpha;

  return (HsChartRgba) { a->r * t + b->r * (1 - t), a->g * t + b->g * (1 - t),
                         a->b * t + b->b * (1 - t), 1.0 };
}

/* A label's number: "1200" → 1200, "−12.5%" → −12.5 (U+2212 as the minus sign). */
static double
label_value (const char *label)
{
  g_autoptr(GString) s = g_string_new (label);

  g_string_replace (s, "\xe2\x88\x92", "-", 0);
  g_string_replace (s, "%", "", 0);
  return g_ascii_strtod (s->str, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Ticks                                                                                       */

static void
assert_labels (const HsChartTicks *ticks,
               const char *const  *want)
{
  int n = (int) g_strv_length ((char **) want);

  for (int i = 0; i < ticks->n; i++)
    g_test_message ("tick %d: %s", i, ticks->ticks[i].label);
  g_assert_cmpint (ticks->n, ==, n);
  for (int i = 0; i < n; i++)
    g_assert_cmpstr (ticks->ticks[i].label, ==, want[i]);
}

static void
test_ticks_linear (void)
{
  HsChartTicks t;

  /* 0 … 1234 in at most 7: the raw step 1234 / 7 = 176.3 rounds up the 1-2-5 series to 200,
   * whose multiples 0 … 1200 are 7 ticks. */
  hs_chart_ticks_linear (0, 1234, 7, HS_CHART_FORMAT_NUMBER, &t);
  assert_labels (&t, (const char *const[]) { "0", "200", "400", "600", "800", "1000", "1200",
                                             NULL });
  g_assert_cmpfloat (t.step, ==, 200);
  g_assert_true (t.ticks[0].major);
  g_assert_false (t.ticks[1].major);
  /* At most 10 still gives 200: 123.4 rounds up to 200. */
  hs_chart_ticks_linear (0, 1234, 10, HS_CHART_FORMAT_NUMBER, &t);
  g_assert_cmpfloat (t.step, ==, 200);
  /* At most 13: 1234 / 13 = 94.9 → 100: 0, 100, …, 1200 are 13. */
  hs_chart_ticks_linear (0, 1234, 13, HS_CHART_FORMAT_NUMBER, &t);
  g_assert_cmpfloat (t.step, ==, 100);
  g_assert_cmpint (t.n, ==, 13);
  /* No thousands separators: 10000 … 10500 in steps of 100. */
  hs_chart_ticks_linear (9950, 10540, 6, HS_CHART_FORMAT_NUMBER, &t);
  assert_labels (&t, (const char *const[]) { "10000", "10100", "10200", "10300", "10400",
                                             "10500", NULL });
  /* Small steps: −0.013 … 0.042 at most 6: 0.055 / 6 = 0.0092 → 0.01; −0.01 … 0.04 are 6,
   * with two decimals each and a real minus sign. */
  hs_chart_ticks_linear (-0.013, 0.042, 6, HS_CHART_FORMAT_NUMBER, &t);
  assert_labels (&t, (const char *const[]) { "\xe2\x88\x92" "0.01", "0.00", "0.01", "0.02",
                                             "0.03", "0.04", NULL });
  g_assert_true (t.ticks[1].major);
  /* Percent: −23.4 … 0 at most 5: 4.68 → 5; −20, −15, −10, −5, 0. */
  hs_chart_ticks_linear (-23.4, 0, 5, HS_CHART_FORMAT_PERCENT, &t);
  assert_labels (&t, (const char *const[]) { "\xe2\x88\x92" "20%", "\xe2\x88\x92" "15%",
                                             "\xe2\x88\x92" "10%", "\xe2\x88\x92" "5%", "0%",
                                             NULL });
  /* 0.1 steps stay exact: 0.3 is "0.3", not 0.30000000000000004. */
  hs_chart_ticks_linear (0, 0.5, 6, HS_CHART_FORMAT_NUMBER, &t);
  assert_labels (&t, (const char *const[]) { "0.0", "0.1", "0.2", "0.3", "0.4", "0.5", NULL });
  /* An empty range has one tick; reversed bounds are swapped. */
  hs_chart_ticks_linear (42, 42, 5, HS_CHART_FORMAT_NUMBER, &t);
  g_assert_cmpint (t.n, ==, 1);
  hs_chart_ticks_linear (1234, 0, 7, HS_CHART_FORMAT_NUMBER, &t);
  g_assert_cmpint (t.n, ==, 7);
  hs_chart_ticks_linear (NAN, 1, 7, HS_CHART_FORMAT_NUMBER, &t);
  g_assert_cmpint (t.n, ==, 0);
}

static void
test_ticks_time (void)
{
  HsChartTicks t;

  /* Minute bars of 2013-10-07 13:31 … 2013-10-11 20:00 (a trading week in UTC), at most 6
   * ticks: 12 hours would give Oct 8 00:00, 12:00, …, Oct 11 12:00 = 8 > 6, so days: the
   * midnights of Oct 8, 9, 10, 11. */
  hs_chart_ticks_time (utc (2013, 10, 7, 13, 31), utc (2013, 10, 11, 20, 0), 6, &t);
  g_assert_cmpint (t.unit, ==, HS_CHART_TIME_DAY);
  g_assert_cmpint (t.unit_count, ==, 1);
  assert_labels (&t, (const char *const[]) { "Oct 8", "Oct 9", "Oct 10", "Oct 11", NULL });
  g_assert_cmpfloat (t.ticks[0].value, ==, (double) utc (2013, 10, 8, 0, 0));

  /* One session, 13:30 … 20:00 at most 8: 30 minutes would be 14 ticks; hours 14:00 … 20:00
   * are 7. */
  hs_chart_ticks_time (utc (2013, 10, 7, 13, 30), utc (2013, 10, 7, 20, 0), 8, &t);
  g_assert_cmpint (t.unit, ==, HS_CHART_TIME_HOUR);
  assert_labels (&t, (const char *const[]) { "14:00", "15:00", "16:00", "17:00", "18:00",
                                             "19:00", "20:00", NULL });

  /* Across midnight, 20:00 … 04:00 at most 5: hours would be 9; 2 hours are 5, and the
   * midnight one is labelled with its date and is major. */
  hs_chart_ticks_time (utc (2013, 10, 7, 20, 0), utc (2013, 10, 8, 4, 0), 5, &t);
  g_assert_cmpint (t.unit_count, ==, 2);
  assert_labels (&t, (const char *const[]) { "20:00", "22:00", "Oct 8", "02:00", "04:00",
                                             NULL });
  g_assert_true (t.ticks[2].major);
  g_assert_false (t.ticks[1].major);

  /* 2023-11-15 … 2024-04-10 at most 6: weeks would be 21; months Dec, Jan, Feb, Mar, Apr are
   * 5, January labelled with its year. */
  hs_chart_ticks_time (utc (2023, 11, 15, 0, 0), utc (2024, 4, 10, 0, 0), 6, &t);
  g_assert_cmpint (t.unit, ==, HS_CHART_TIME_MONTH);
  assert_labels (&t, (const char *const[]) { "Dec", "2024", "Feb", "Mar", "Apr", NULL });
  g_assert_true (t.ticks[1].major);

  /* Quarters: 2023-01-01 … 2024-12-31 at most 8: months 24, 2 months 12, 3 months 8 (Jan,
   * Apr, Jul, Oct of both years). */
  hs_chart_ticks_time (utc (2023, 1, 1, 0, 0), utc (2024, 12, 31, 0, 0), 8, &t);
  g_assert_cmpint (t.unit_count, ==, 3);
  assert_labels (&t, (const char *const[]) { "2023", "Apr", "Jul", "Oct", "2024", "Apr", "Jul",
                                             "Oct", NULL });

  /* 2010-01-01 … 2020-06-30 at most 8: years 11 > 8; every 2 years 2010 … 2020 are 6. */
  hs_chart_ticks_time (utc (2010, 1, 1, 0, 0), utc (2020, 6, 30, 0, 0), 8, &t);
  g_assert_cmpint (t.unit, ==, HS_CHART_TIME_YEAR);
  g_assert_cmpint (t.unit_count, ==, 2);
  assert_labels (&t, (const char *const[]) { "2010", "2012", "2014", "2016", "2018", "2020",
                                             NULL });

  /* Weeks start on Mondays: 2024-03-01 (Fri) … 2024-03-31 at most 5: days 31, 2 days 15,
   * weeks Mar 4, 11, 18, 25 are 4. */
  hs_chart_ticks_time (utc (2024, 3, 1, 0, 0), utc (2024, 3, 31, 0, 0), 5, &t);
  g_assert_cmpint (t.unit, ==, HS_CHART_TIME_WEEK);
  assert_labels (&t, (const char *const[]) { "Mar 4", "Mar 11", "Mar 18", "Mar 25", NULL });
}

/* Time labels never crowd: at every width and span, measured here with the chart's font
 * (Sans, 11 px), neighbouring labels keep at least 12 px apart. */
static void
test_ticks_no_overlap (void)
{
  static const int widths[] = { 220, 300, 420, 640, 900, 1600 };
  static const int64_t spans[] = { 3 * HOUR_US, 2 * DAY_US, 9 * DAY_US, 60 * DAY_US,
                                   400 * DAY_US, 3000 * DAY_US, 20000 * DAY_US };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  HsChartStyle style;
  int checked = 0;

  pango_font_description_set_absolute_size (desc, 11 * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  hs_chart_style_init (&style, FALSE);
  for (size_t s = 0; s < G_N_ELEMENTS (spans); s++)
    for (size_t w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        int64_t ts[2] = { utc (2013, 10, 7, 13, 31), utc (2013, 10, 7, 13, 31) + spans[s] };
        double eq[2] = { 100, 110 };
        HsEquityChartData data = { 0 };
        HsChartLayout l;

        data.ts = ts;
        data.equity = eq;
        data.n = 2;
        g_assert_true (hs_equity_chart_layout (NULL, &data, NULL, widths[w], 300, &style, &l));
        g_assert_cmpint (l.x_ticks.n, >=, 1);
        for (int i = 0; i + 1 < l.x_ticks.n; i++)
          {
            int w0 = 0, w1 = 0, h = 0;

            pango_layout_set_text (layout, l.x_ticks.ticks[i].label, -1);
            pango_layout_get_pixel_size (layout, &w0, &h);
            pango_layout_set_text (layout, l.x_ticks.ticks[i + 1].label, -1);
            pango_layout_get_pixel_size (layout, &w1, &h);
            g_assert_cmpfloat ((l.x_ticks.ticks[i + 1].pos - w1 / 2.0)
                               - (l.x_ticks.ticks[i].pos + w0 / 2.0), >=, 12.0 - 0.5);
            checked++;
          }
      }
  g_test_message ("%d neighbouring labels checked", checked);
  g_assert_cmpint (checked, >, 100);
  pango_font_description_free (desc);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_format (void)
{
  char buf[32];

  hs_chart_format_value (-0.001, 0.01, HS_CHART_FORMAT_NUMBER, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "0.00");   /* never "−0.00" */
  hs_chart_format_value (1234567.891, 0, HS_CHART_FORMAT_NUMBER, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "1234567.89");
  hs_chart_format_value (-3.21, 0, HS_CHART_FORMAT_PERCENT, buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "\xe2\x88\x92" "3.21%");
  hs_chart_format_time (utc (2013, 10, 8, 14, 31), buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "2013-10-08 14:31");
  hs_chart_format_time (utc (2013, 10, 8, 0, 0), buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "2013-10-08");
}

/* ------------------------------------------------------------------------------------------ */
/* Decimation                                                                                  */

/* Column of @x by the definition the decimator documents: [x_min + span·c/columns, …). */
static int
naive_column (double x,
              double x_min,
              double x_max,
              int    columns)
{
  double span = x_max - x_min;

  if (x < x_min || x > x_max)
    return -1;
  for (int c = columns - 1; c >= 0; c--)
    if (x >= x_min + span * c / columns)
      return c;
  return 0;
}

static void
test_decimate_reference (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const size_t n = 20000;
  const int columns = 317;
  g_autofree int64_t *x = g_new (int64_t, n);
  g_autofree double *y = g_new (double, n);
  g_autofree HsChartPoint *out = g_new (HsChartPoint, HS_CHART_DECIMATE_CAPACITY (columns));
  g_autofree double *lo = g_new (double, columns);
  g_autofree double *hi = g_new (double, columns);
  int64_t t = 1000;
  double x_min, x_max;
  size_t k, seen = 0;

  /* Irregular spacing, a few gaps, a few NAN values. */
  for (size_t i = 0; i < n; i++)
    {
      t += g_rand_int_range (rand, 1, i % 1000 == 0 ? 5000 : 40);
      x[i] = t;
      y[i] = i % 997 == 3 ? NAN : g_rand_double_range (rand, -1000, 1000);
    }
  x_min = (double) x[1234] + 0.5;
  x_max = (double) x[18000] - 0.25;

  /* The reference: every point in range, its column by the definition, min and max. */
  for (int c = 0; c < columns; c++)
    {
      lo[c] = INFINITY;
      hi[c] = -INFINITY;
    }
  for (size_t i = 0; i < n; i++)
    {
      int c = naive_column ((double) x[i], x_min, x_max, columns);

      if (c < 0 || isnan (y[i]))
        continue;
      lo[c] = MIN (lo[c], y[i]);
      hi[c] = MAX (hi[c], y[i]);
    }

  k = hs_chart_decimate (x, y, n, x_min, x_max, columns, out);
  g_assert_cmpuint (k, <=, 2 * (size_t) columns + 2);
  /* The edge points: the last before and the first after the range. */
  g_assert_cmpuint (out[0].index, ==, 1234);
  g_assert_cmpuint (out[k - 1].index, ==, 18000);
  for (size_t i = 1; i < k; i++)
    g_assert_cmpuint (out[i].index, >, out[i - 1].index);
  for (int c = 0; c < columns; c++)
    {
      gboolean found_lo = FALSE, found_hi = FALSE;

      for (size_t i = 1; i + 1 < k; i++)
        {
          if (naive_column (out[i].x, x_min, x_max, columns) != c)
            continue;
          g_assert_true (out[i].y == lo[c] || out[i].y == hi[c]);
          found_lo |= out[i].y == lo[c];
          found_hi |= out[i].y == hi[c];
          seen++;
        }
      if (isfinite (lo[c]))
        {
          g_assert_true (found_lo);
          g_assert_true (found_hi);
        }
    }
  g_assert_cmpuint (seen, ==, k - 2);

  /* Every point when there are fewer points than columns. */
  k = hs_chart_decimate (x, y, 50, (double) x[0], (double) x[49], 10000, out);
  g_assert_cmpuint (k, ==, 49);   /* all but index 3, which is NAN (3 % 997 == 3) */
}

/* The block index changes how fast, never what: the same points as the plain scan for many
 * ranges and column counts, with runs of NAN (a whole block of them too) and ties. */
static void
test_decimate_indexed (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const size_t n = 100000;
  g_autofree int64_t *x = g_new (int64_t, n);
  g_autofree double *y = g_new (double, n);
  g_autoptr(HsChartMinMaxIndex) index = NULL;
  g_autofree HsChartPoint *a = g_new (HsChartPoint, HS_CHART_DECIMATE_CAPACITY (2000));
  g_autofree HsChartPoint *b = g_new (HsChartPoint, HS_CHART_DECIMATE_CAPACITY (2000));
  static const int columns[] = { 1, 7, 64, 300, 1600, 2000 };

  for (size_t i = 0; i < n; i++)
    {
      x[i] = (int64_t) i * 10 + g_rand_int_range (rand, 0, 5);
      /* Coarse values so equal extremes (ties) happen; NAN runs, one over blocks 640 … 767. */
      y[i] = (i >= 640 && i < 768) || i % 5003 < 3 ? NAN
             : (double) g_rand_int_range (rand, -50, 50);
    }
  index = hs_chart_minmax_index_new (y, n);
  for (size_t c = 0; c < G_N_ELEMENTS (columns); c++)
    for (int r = 0; r < 20; r++)
      {
        double lo = g_rand_double_range (rand, -100, (double) x[n - 1]);
        double hi = lo + g_rand_double_range (rand, 1, (double) x[n - 1]);
        size_t ka = hs_chart_decimate (x, y, n, lo, hi, columns[c], a);
        size_t kb = hs_chart_decimate_indexed (x, y, n, index, lo, hi, columns[c], b);

        g_assert_cmpuint (ka, ==, kb);
        for (size_t i = 0; i < ka; i++)
          {
            g_assert_cmpuint (a[i].index, ==, b[i].index);
            g_assert_cmpfloat (a[i].y, ==, b[i].y);
          }
      }
}

/* ------------------------------------------------------------------------------------------ */
/* Equity                                                                                      */

static int
month_of_label (const char *label)
{
  static const char *names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                 "Oct", "Nov", "Dec" };

  /* January is labelled with its year. */
  if (g_str_equal (label, "2024"))
    return 1;
  for (int i = 0; i < 12; i++)
    if (g_str_equal (label, names[i]))
      return i + 1;
  return 0;
}

static void
test_equity_line (void)
{
  const size_t n = 366;
  g_autofree int64_t *ts = g_new (int64_t, n);
  g_autofree double *equity = g_new (double, n);
  HsEquityChartData data = { 0 };
  HsChartStyle style;
  HsChartLayout layout;
  Canvas c;
  double ax = NAN, bx = NAN, ay = NAN, by = NAN;
  const HsChartTick *t0 = NULL, *t1 = NULL;
  static const int check_days[] = { 20, 74, 152, 250, 300, 350 };

  /* 2024, a leap year: 366 daily points from 100 to 200, rising by 100/365 a day. */
  for (size_t i = 0; i < n; i++)
    {
      ts[i] = utc (2024, 1, 1, 0, 0) + (int64_t) i * DAY_US;
      equity[i] = 100.0 + 100.0 * (double) i / 365.0;
    }
  data.ts = ts;
  data.equity = equity;
  data.n = n;
  hs_chart_style_init (&style, FALSE);

  canvas_init (&c, 900, 520);
  hs_paint_equity (c.cr, &data, NULL, c.width, c.height, &style);
  g_assert_true (hs_equity_chart_layout (c.cr, &data, NULL, c.width, c.height, &style,
                                         &layout));

  /* The time axis from the month labels: "2024" is 2024-01-01, "Feb" 2024-02-01 and so on.
   * The labels are read as text; the first and last ticks' pixels give the mapping. */
  g_assert_cmpint (layout.x_ticks.n, >=, 2);
  for (int i = 0; i < layout.x_ticks.n; i++)
    {
      const HsChartTick *tick = &layout.x_ticks.ticks[i];
      int month = month_of_label (tick->label);

      g_test_message ("x tick %s at %.1f", tick->label, tick->pos);
      g_assert_cmpint (month, >, 0);
      g_assert_cmpfloat (tick->value, ==, (double) utc (2024, month, 1, 0, 0));
      if (t0 == NULL)
        t0 = tick;
      t1 = tick;
    }
  g_assert_true (t1 != t0);
  /* pixel = ax · days since 2024-01-01 + bx */
  ax = (t1->pos - t0->pos) / ((t1->value - t0->value) / DAY_US);
  bx = t0->pos - ax * ((t0->value - (double) ts[0]) / DAY_US);

  /* The value axis from its first and last labels. */
  {
    const HsChartTick *v0 = &layout.y_ticks.ticks[0];
    const HsChartTick *v1 = &layout.y_ticks.ticks[layout.y_ticks.n - 1];
    double l0 = label_value (v0->label), l1 = label_value (v1->label);

    g_test_message ("y ticks %s at %.1f … %s at %.1f", v0->label, v0->pos, v1->label, v1->pos);
    g_assert_cmpfloat (l1, >, l0);
    ay = (v1->pos - v0->pos) / (l1 - l0);
    by = v0->pos - ay * l0;
  }

  /* At day d the equity is 100 + 100·d/365 (by construction); the line must pass there. */
  for (size_t i = 0; i < G_N_ELEMENTS (check_days); i++)
    {
      int d = check_days[i];
      double value = 100.0 + 100.0 * d / 365.0;
      double px = ax * d + bx, py = ay * value + by;

      g_test_message ("day %d: %.2f expected at (%.1f, %.1f)", d, value, px, py);
      g_assert_true (color_near (&c, px, py, 1, &style.series, 40));
      /* … and not a few pixels above or below it (the line is 1.5 px wide). */
      g_assert_false (color_near (&c, px, py - 6, 1, &style.series, 40));
      g_assert_false (color_near (&c, px, py + 6, 1, &style.series, 40));
    }
  /* A rising line never dips: no drawdown area at all, only the zero line. */
  {
    HsChartRgba fill = blend (&style.drawdown, 0.35, &style.background);

    for (int x = (int) layout.lower.x + 2; x < layout.lower.x + layout.lower.width - 2; x += 7)
      for (int y = (int) layout.lower.y + 2; y < layout.lower.y + layout.lower.height - 2; y++)
        g_assert_cmpint (distance (&c, x, y, &fill), >, 20);
  }
  canvas_finish (&c, "equity-linear");
}

/* Equity with three dips (two sharp, one gradual) and a flat stretch at the peak. */
static void
test_equity_drawdown (void)
{
  const size_t n = 600;
  g_autofree int64_t *ts = g_new (int64_t, n);
  g_autofree double *equity = g_new (double, n);
  g_autofree double *bench = g_new (double, n);
  HsEquityChartData data = { 0 };
  HsChartStyle style;
  HsChartLayout layout;
  Canvas c;
  HsChartRgba fill;
  double zero_y;
  int filled = 0, empty = 0;

  for (size_t i = 0; i < n; i++)
    {
      ts[i] = utc (2020, 1, 1, 0, 0) + (int64_t) i * DAY_US;
      if (i < 100)
        equity[i] = 1000 + 5.0 * i;           /* rising to 1495 */
      else if (i < 160)
        equity[i] = 1200;                     /* sharp dip: below the peak 1495 */
      else if (i < 260)
        equity[i] = 1500 + 2.0 * (i - 160);   /* new highs from 1500 */
      else if (i < 330)
        equity[i] = 1300 - 2.0 * (i - 260);   /* sharp fall, then sinking: below 1698 */
      else if (i < 420)
        equity[i] = 1700 + (i - 330);         /* above the old peak again */
      else if (i < 500)
        equity[i] = 1789;                     /* flat at the peak: no drawdown */
      else
        equity[i] = 1400;                     /* a last dip to the end */
      bench[i] = 50 + 0.05 * i;
    }
  data.ts = ts;
  data.equity = equity;
  data.benchmark = bench;
  data.n = n;
  hs_chart_style_init (&style, FALSE);
  fill = blend (&style.drawdown, 0.35, &style.background);

  canvas_init (&c, 1000, 560);
  hs_paint_equity (c.cr, &data, NULL, c.width, c.height, &style);
  g_assert_true (hs_equity_chart_layout (c.cr, &data, NULL, c.width, c.height, &style,
                                         &layout));
  zero_y = hs_chart_map (0, layout.view.y2_min, layout.view.y2_max,
                         layout.lower.y + layout.lower.height, layout.lower.y);

  /* Each pixel column of the drawdown pane covers a slice of time; the reference says whether
   * the equity is below its running maximum anywhere in that slice. Columns next to a change
   * (where the area's edge slopes across) and on grid lines are skipped. */
  for (int x = (int) ceil (layout.lower.x) + 1; x < layout.lower.x + layout.lower.width - 1; x++)
    {
      double t0 = hs_chart_map (x - 2, layout.lower.x, layout.lower.x + layout.lower.width,
                                layout.view.x_min, layout.view.x_max);
      double t1 = hs_chart_map (x + 3, layout.lower.x, layout.lower.x + layout.lower.width,
                                layout.view.x_min, layout.view.x_max);
      double peak = -INFINITY;
      int below = 0, level = 0;
      gboolean on_grid = FALSE;

      for (int i = 0; i < layout.x_ticks.n; i++)
        on_grid |= fabs (layout.x_ticks.ticks[i].pos - x) < 2;
      if (on_grid)
        continue;
      for (size_t i = 0; i < n; i++)
        {
          peak = MAX (peak, equity[i]);
          if ((double) ts[i] >= t0 && (double) ts[i] < t1)
            {
              level++;
              below += equity[i] < peak;
            }
        }
      if (level == 0 || (below != 0 && below != level))
        continue;
      if (below)
        {
          g_assert_cmpint (distance (&c, x, (int) zero_y + 4, &fill), <=, 12);
          filled++;
        }
      else
        {
          g_assert_cmpint (distance (&c, x, (int) zero_y + 4, &style.background), <=, 12);
          empty++;
        }
    }
  /* The dips span 60 + 70 + 100 of 600 days: both kinds of column were seen. */
  g_test_message ("%d filled columns, %d empty", filled, empty);
  g_assert_cmpint (filled, >, 250);
  g_assert_cmpint (empty, >, 250);

  /* The benchmark starts on the equity (1000) and ends at 1000 · (50 + 0.05·599) / 50. */
  {
    double end = 1000 * (50 + 0.05 * 599) / 50;
    double px = hs_chart_map ((double) ts[n - 1], layout.view.x_min, layout.view.x_max,
                              layout.plot.x, layout.plot.x + layout.plot.width);
    double py = hs_chart_map (end, layout.view.y_min, layout.view.y_max,
                              layout.plot.y + layout.plot.height, layout.plot.y);

    g_assert_true (color_near (&c, px - 2, py, 2, &style.benchmark, 40));
  }
  canvas_finish (&c, "equity-drawdown");
}

/* A million one-minute points of a random walk with spikes planted at random places: each
 * spike's pixel column must reach the spike's height after decimation. */
static void
test_equity_spikes (void)
{
  const size_t n = 1000000;
  g_autofree int64_t *ts = g_new (int64_t, n);
  g_autofree double *equity = g_new (double, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  size_t spikes[24];
  HsEquityChartData data = { 0 };
  HsChartStyle style;
  HsChartLayout layout;
  Canvas c;
  double v = 10000;

  for (size_t i = 0; i < n; i++)
    {
      ts[i] = utc (2018, 1, 1, 0, 0) + (int64_t) i * MINUTE_US;
      v += g_rand_double_range (rand, -1, 1);
      equity[i] = v;
    }
  /* Spikes 600 above / below the walk's level there: far outside its ±(a few hundred) range,
   * alternating up and down, at least 2000 points apart so no two share a column. */
  for (size_t s = 0; s < G_N_ELEMENTS (spikes); s++)
    {
      spikes[s] = (size_t) g_rand_int_range (rand, 1, (gint32) (n / G_N_ELEMENTS (spikes)) - 2000)
                  + s * (n / G_N_ELEMENTS (spikes));
      equity[spikes[s]] += s % 2 == 0 ? 600 : -600;
    }
  data.ts = ts;
  data.equity = equity;
  data.n = n;
  hs_chart_style_init (&style, TRUE);

  canvas_init (&c, 1200, 600);
  hs_paint_equity (c.cr, &data, NULL, c.width, c.height, &style);
  g_assert_true (hs_equity_chart_layout (c.cr, &data, NULL, c.width, c.height, &style,
                                         &layout));
  for (size_t s = 0; s < G_N_ELEMENTS (spikes); s++)
    {
      size_t i = spikes[s];
      double px = hs_chart_map ((double) ts[i], layout.view.x_min, layout.view.x_max,
                                layout.plot.x, layout.plot.x + layout.plot.width);
      double py = hs_chart_map (equity[i], layout.view.y_min, layout.view.y_max,
                                layout.plot.y + layout.plot.height, layout.plot.y);

      /* The tip, within the line's half width; and nothing of the line 30 px beyond it. */
      g_assert_true (color_near (&c, px, py, 1, &style.series, 60));
      g_assert_false (color_near (&c, px, py + (s % 2 == 0 ? -30 : 30), 2, &style.series, 60));
    }
  canvas_finish (&c, "equity-million-spikes-dark");
}

static void
test_equity_empty (void)
{
  HsEquityChartData data = { 0 };
  HsChartStyle style;
  HsChartLayout layout;
  Canvas c;

  hs_chart_style_init (&style, FALSE);
  canvas_init (&c, 300, 200);
  hs_paint_equity (c.cr, &data, NULL, c.width, c.height, &style);
  g_assert_false (hs_equity_chart_layout (c.cr, &data, NULL, c.width, c.height, &style,
                                          &layout));
  /* The background, and a message in the middle. */
  g_assert_cmpint (distance (&c, 5, 5, &style.background), ==, 0);
  g_assert_cmpint (cairo_status (c.cr), ==, CAIRO_STATUS_SUCCESS);
  canvas_finish (&c, "equity-empty");
}


/* ------------------------------------------------------------------------------------------ */
/* Candles                                                                                     */

static void
test_candles_colors (void)
{
  const size_t n = 20;
  double open[20], high[20], low[20], close[20], volume[20];
  int64_t ts[20];
  HsCandleChartData data = { 0 };
  HsChartStyle style;
  HsChartLayout l;
  Canvas c;

  /* Even bars rise 100 + i → 104 + i, odd ones fall 104 + i → 100 + i; wicks 2 beyond. */
  for (size_t i = 0; i < n; i++)
    {
      ts[i] = utc (2024, 3, 1, 0, 0) + (int64_t) i * DAY_US;
      open[i] = i % 2 == 0 ? 100.0 + i : 104.0 + i;
      close[i] = i % 2 == 0 ? 104.0 + i : 100.0 + i;
      high[i] = 106.0 + i;
      low[i] = 98.0 + i;
      volume[i] = 1000.0 + 100.0 * i;
    }
  data = (HsCandleChartData) { ts, open, high, low, close, volume, n, "TEST · 1d" };
  hs_chart_style_init (&style, FALSE);

  canvas_init (&c, 800, 500);
  hs_paint_candles (c.cr, &data, NULL, c.width, c.height, &style);
  g_assert_true (hs_candle_chart_layout (c.cr, &data, NULL, c.width, c.height, &style, &l));
  for (size_t i = 0; i < n; i++)
    {
      const HsChartRgba *want = i % 2 == 0 ? &style.up : &style.down;
      HsChartRgba bar = blend (want, 0.6, &style.background);
      double x = floor (hs_chart_map ((double) ts[i], l.view.x_min, l.view.x_max, l.plot.x,
                                      l.plot.x + l.plot.width));
      double body = hs_chart_map ((open[i] + close[i]) / 2, l.view.y_min, l.view.y_max,
                                  l.plot.y + l.plot.height, l.plot.y);
      double wick = hs_chart_map (high[i] - 0.5, l.view.y_min, l.view.y_max,
                                  l.plot.y + l.plot.height, l.plot.y);
      double vol = hs_chart_map (volume[i] / 2, l.view.y2_min, l.view.y2_max,
                                 l.lower.y + l.lower.height, l.lower.y);

      /* The body's middle, both sides of the wick, the wick above the body, the volume bar. */
      g_assert_cmpint (distance (&c, (int) x, (int) body, want), <=, 2);
      g_assert_cmpint (distance (&c, (int) x - 2, (int) body, want), <=, 2);
      g_assert_cmpint (distance (&c, (int) x + 2, (int) body, want), <=, 2);
      g_assert_cmpint (distance (&c, (int) x, (int) wick, want), <=, 2);
      /* (a grid line may cross that row: a pixel above or below will do) */
      g_assert_true (color_near (&c, x, vol, 2, &bar, 3));
      /* Beside the wick, above the body: background. */
      g_assert_cmpint (distance (&c, (int) x + 3, (int) wick, &style.background), <=, 2);
    }
  canvas_finish (&c, "candles-daily");
}

/* 200,000 minute bars on 700 pixels merge into 3-pixel candles; the highest high and lowest
 * low (planted) still reach their heights. */
static void
test_candles_merged (void)
{
  const size_t n = 200000;
  g_autofree int64_t *ts = g_new (int64_t, n);
  g_autofree double *open = g_new (double, n);
  g_autofree double *high = g_new (double, n);
  g_autofree double *low = g_new (double, n);
  g_autofree double *close = g_new (double, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  HsCandleChartData data = { 0 };
  HsChartStyle style;
  HsChartLayout l;
  Canvas c;
  double v = 50;
  size_t top = 123457, bottom = 45678;

  for (size_t i = 0; i < n; i++)
    {
      ts[i] = utc (2023, 1, 2, 0, 0) + (int64_t) i * MINUTE_US;
      open[i] = v;
      v += g_rand_double_range (rand, -0.05, 0.05);
      close[i] = v;
      high[i] = MAX (open[i], close[i]) + 0.02;
      low[i] = MIN (open[i], close[i]) - 0.02;
    }
  high[top] += 40;
  low[bottom] -= 40;
  data = (HsCandleChartData) { ts, open, high, low, close, NULL, n, NULL };
  hs_chart_style_init (&style, TRUE);

  canvas_init (&c, 700, 400);
  hs_paint_candles (c.cr, &data, NULL, c.width, c.height, &style);
  g_assert_true (hs_candle_chart_layout (c.cr, &data, NULL, c.width, c.height, &style, &l));
  g_assert_cmpfloat (l.lower.height * l.lower.width, ==, 0);   /* no volume, no pane */
  for (int k = 0; k < 2; k++)
    {
      size_t i = k == 0 ? top : bottom;
      double y = hs_chart_map (k == 0 ? high[i] : low[i], l.view.y_min, l.view.y_max,
                               l.plot.y + l.plot.height, l.plot.y);
      double x = hs_chart_map ((double) ts[i], l.view.x_min, l.view.x_max, l.plot.x,
                               l.plot.x + l.plot.width);
      gboolean found = FALSE;

      /* The merged candle sits in the middle of its three-pixel bucket. */
      for (int dx = -3; dx <= 3 && !found; dx++)
        found = distance (&c, (int) x + dx, (int) y + (k == 0 ? 1 : -1), &style.up) <= 2
                || distance (&c, (int) x + dx, (int) y + (k == 0 ? 1 : -1), &style.down) <= 2;
      g_assert_true (found);
    }
  canvas_finish (&c, "candles-merged-dark");
}

/* ------------------------------------------------------------------------------------------ */
/* Heat maps                                                                                   */

static void
test_monthly_from_equity (void)
{
  /* By hand: Nov 2023 100 → 110: +10%; Dec ends at 99: 99/110 − 1 = −10%; Jan 2024 ends at 99:
   * 0%; no February; March ends at 108.9: 108.9/99 − 1 = +10%. Years: 2023 99/100 − 1 = −1%,
   * 2024 108.9/99 − 1 = +10%. */
  int64_t ts[] = { utc (2023, 11, 15, 0, 0), utc (2023, 11, 30, 12, 0), utc (2023, 12, 31, 23, 0),
                   utc (2024, 1, 10, 0, 0), utc (2024, 3, 5, 0, 0) };
  double equity[] = { 100, 110, 99, 99, 108.9 };
  g_autoptr(HsMonthlyReturnsData) d = hs_monthly_returns_new_from_equity (ts, equity, 5);

  g_assert_cmpint (d->first_year, ==, 2023);
  g_assert_cmpuint (d->n_years, ==, 2);
  for (int m = 0; m < 10; m++)
    g_assert_true (isnan (d->returns[m]));
  g_assert_cmpfloat_with_epsilon (d->returns[10], 10.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (d->returns[11], -10.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (d->returns[12 + 0], 0.0, 1e-9);
  g_assert_true (isnan (d->returns[12 + 1]));
  g_assert_cmpfloat_with_epsilon (d->returns[12 + 2], 10.0, 1e-9);
  for (int m = 3; m < 12; m++)
    g_assert_true (isnan (d->returns[12 + m]));
  g_assert_cmpfloat_with_epsilon (d->year_returns[0], -1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (d->year_returns[1], 10.0, 1e-9);
}

static void
test_monthly_colors (void)
{
  double returns[36], years[3] = { 4.0, -6.5, 0.0 };
  HsMonthlyReturnsData data = { 2021, 3, returns, years };
  HsChartStyle style;
  HsChartRect cells;
  double cw, ch;
  Canvas c;

  /* 2021 all positive, 2022 all negative, 2023 zero in January, nothing after. */
  for (int m = 0; m < 12; m++)
    {
      returns[m] = 0.5 + m * 0.4;
      returns[12 + m] = -0.3 - m * 0.35;
      returns[24 + m] = m == 0 ? 0.0 : NAN;
    }
  for (int dark = 0; dark <= 1; dark++)
    {
      hs_chart_style_init (&style, dark);
      canvas_init (&c, 760, 260);
      hs_paint_monthly_returns (c.cr, &data, NULL, c.width, c.height, &style);
      g_assert_true (hs_monthly_returns_layout (c.cr, &data, c.width, c.height, &style, &cells,
                                                &cw, &ch));
      for (int row = 0; row < 3; row++)
        for (int col = 0; col < 13; col++)
          {
            double v = col < 12 ? returns[row * 12 + col] : years[row];
            /* A corner of the cell, clear of its label. */
            int x = (int) (cells.x + col * cw + 3), y = (int) (cells.y + row * ch + 3);
            int p[3];

            pixel (&c, x, y, p);
            if (isnan (v))
              g_assert_cmpint (distance (&c, x, y, &style.background), <=, 1);
            else if (v == 0)
              g_assert_cmpint (distance (&c, x, y, &style.neutral), <=, 1);
            else if (v > 0)
              /* Gains lean to the blue of the win colour, losses to the orange. */
              g_assert_cmpint (p[2], >, p[0] + 10);
            else
              g_assert_cmpint (p[0], >, p[2] + 10);
          }
      canvas_finish (&c, dark ? "monthly-returns-dark" : "monthly-returns");
    }
}

static void
test_sweep_best (void)
{
  const char *xs[] = { "5", "10", "15", "20" };
  const char *ys[] = { "50", "100", "150" };
  /* Rows are slow = 50, 100, 150; columns fast = 5 … 20. */
  double values[12] = { 0.2, 0.9, NAN, -0.4,
                        1.3, 1.1, 0.7, 0.1,
                        -1.2, 0.0, 1.3, 0.5 };
  HsSweepHeatmapData d = { "fast", "slow", xs, 4, ys, 3, values, "Sharpe ratio", FALSE,
                           HS_CHART_FORMAT_NUMBER };
  double nan_values[12];

  /* Highest 1.3 at (0, 1) and (2, 2): the first in row-major order, index 4. */
  g_assert_cmpint (hs_sweep_heatmap_best (&d), ==, 4);
  /* Lowest −1.2 at (0, 2): index 8. */
  d.lower_is_better = TRUE;
  g_assert_cmpint (hs_sweep_heatmap_best (&d), ==, 8);
  for (int i = 0; i < 12; i++)
    nan_values[i] = NAN;
  d.values = nan_values;
  g_assert_cmpint (hs_sweep_heatmap_best (&d), ==, -1);
}

static void
test_sweep_render (void)
{
  const char *xs[] = { "5", "10", "15", "20" };
  const char *ys[] = { "50", "100", "150" };
  double values[12] = { 0.2, 0.9, NAN, -0.4,
                        1.3, 1.1, 0.7, 0.1,
                        -1.2, 0.0, 1.25, 0.5 };
  g_autoptr(HsSweepHeatmapData) d = hs_sweep_heatmap_data_new ("fast", xs, 4, "slow", ys, 3,
                                                               values, "Sharpe ratio", FALSE);
  HsChartStyle style;
  HsChartRect cells;
  double cw, ch;
  Canvas c;

  hs_chart_style_init (&style, FALSE);
  canvas_init (&c, 640, 360);
  hs_paint_sweep_heatmap (c.cr, d, NULL, c.width, c.height, &style);
  g_assert_true (hs_sweep_heatmap_layout (c.cr, d, c.width, c.height, &style, &cells, &cw,
                                          &ch));
  for (int i = 0; i < 12; i++)
    {
      int col = i % 4, row = i / 4;
      int cx = (int) (cells.x + col * cw), cy = (int) (cells.y + row * ch);
      int p[3];

      /* The best (1.3, index 4) has a highlight frame at its edge; no other cell has. */
      if (i == 4)
        g_assert_cmpint (distance (&c, cx + 2, cy + (int) (ch / 2), &style.highlight), <=, 40);
      else
        g_assert_cmpint (distance (&c, cx + 2, cy + (int) (ch / 2), &style.highlight), >, 100);
      /* Mixed signs: a diverging scale, blue above zero, orange below. */
      pixel (&c, cx + 6, cy + 6, p);
      if (isnan (values[i]) || values[i] == 0)
        continue;
      if (values[i] > 0)
        g_assert_cmpint (p[2], >, p[0]);
      else
        g_assert_cmpint (p[0], >, p[2]);
    }
  canvas_finish (&c, "sweep-heatmap");
}

/* ------------------------------------------------------------------------------------------ */
/* Histogram                                                                                   */

static void
test_histogram_bins (void)
{
  double values[] = { -2.5, -0.4, 0, 0.3, 0.3, 1.0, 1.7, 4.9, NAN };
  HsHistogramData d = { values, G_N_ELEMENTS (values), 1.0, HS_CHART_FORMAT_PERCENT, NULL };
  HsHistogramBins bins;
  /* By hand with width 1 from floor(−2.5) = −3: [−3,−2) −2.5; [−1,0) −0.4; [0,1) 0, 0.3, 0.3;
   * [1,2) 1.0, 1.7; [4,5) 4.9. */
  static const size_t want[] = { 1, 0, 1, 3, 2, 0, 0, 1 };
  double tenths[] = { 0.3, 0.1, 0.2 };
  g_autofree double *hundred = g_new (double, 100);

  g_assert_true (hs_histogram_bins_compute (&d, &bins));
  g_assert_cmpfloat (bins.start, ==, -3.0);
  g_assert_cmpfloat (bins.width, ==, 1.0);
  g_assert_cmpuint (bins.n_bins, ==, G_N_ELEMENTS (want));
  for (size_t i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpuint (bins.counts[i], ==, want[i]);
  g_assert_cmpuint (bins.total, ==, 8);
  /* (−2.5 − 0.4 + 0 + 0.3 + 0.3 + 1.0 + 1.7 + 4.9) / 8 = 5.3 / 8 */
  g_assert_cmpfloat_with_epsilon (bins.mean, 5.3 / 8, 1e-12);
  hs_histogram_bins_clear (&bins);

  /* Values on the edges of 0.1 bins stay in the bin they start: 0.1, 0.2, 0.3 in three. */
  d = (HsHistogramData) { tenths, 3, 0.1, HS_CHART_FORMAT_NUMBER, NULL };
  g_assert_true (hs_histogram_bins_compute (&d, &bins));
  g_assert_cmpfloat_with_epsilon (bins.start, 0.1, 1e-12);
  g_assert_cmpuint (bins.n_bins, ==, 3);
  for (int i = 0; i < 3; i++)
    g_assert_cmpuint (bins.counts[i], ==, 1);
  hs_histogram_bins_clear (&bins);

  /* Freedman–Diaconis on 1 … 100: quartiles (linear interpolation) 25.75 and 75.25, IQR 49.5,
   * 2 · 49.5 / ∛100 = 21.33, rounded up the 1-2-5 series: 50. */
  for (int i = 0; i < 100; i++)
    hundred[i] = i + 1;
  g_assert_cmpfloat (hs_histogram_auto_width (hundred, 100), ==, 50.0);
  /* All equal: width 1. Nothing finite: 0 and no bins. */
  for (int i = 0; i < 100; i++)
    hundred[i] = 7;
  g_assert_cmpfloat (hs_histogram_auto_width (hundred, 100), ==, 1.0);
  values[0] = NAN;
  d = (HsHistogramData) { values, 1, 0, HS_CHART_FORMAT_NUMBER, NULL };
  g_assert_false (hs_histogram_bins_compute (&d, &bins));
}

static void
test_histogram_render (void)
{
  double values[] = { -2.5, -0.4, 0, 0.3, 0.3, 1.0, 1.7, 4.9, -1.5, -1.2, 0.6, 0.7, 0.1 };
  HsHistogramData d = { values, G_N_ELEMENTS (values), 1.0, HS_CHART_FORMAT_PERCENT,
                        "Trade returns" };
  HsChartStyle style;
  HsChartLayout l;
  Canvas c;
  double mean = 0;
  gboolean dash = FALSE;

  for (size_t i = 0; i < G_N_ELEMENTS (values); i++)
    mean += values[i] / G_N_ELEMENTS (values);
  hs_chart_style_init (&style, FALSE);
  canvas_init (&c, 700, 400);
  hs_paint_histogram (c.cr, &d, NULL, c.width, c.height, &style);
  g_assert_true (hs_histogram_layout (c.cr, &d, NULL, c.width, c.height, &style, &l));
  /* Bin [−2, −1) holds −1.5 and −1.2: an orange bar 2 high; [0, 1) holds 0, 0.3, 0.3, 0.6,
   * 0.7, 0.1: a blue bar 6 high; [2, 3) is empty. Checked a quarter into each bin, halfway up
   * its expected height. */
  {
    double x_loss = hs_chart_map (-1.75, l.view.x_min, l.view.x_max, l.plot.x,
                                  l.plot.x + l.plot.width);
    double x_win = hs_chart_map (0.25, l.view.x_min, l.view.x_max, l.plot.x,
                                 l.plot.x + l.plot.width);
    double x_none = hs_chart_map (2.5, l.view.x_min, l.view.x_max, l.plot.x,
                                  l.plot.x + l.plot.width);
    double y1 = hs_chart_map (1, l.view.y_min, l.view.y_max, l.plot.y + l.plot.height,
                              l.plot.y);
    double y3 = hs_chart_map (3, l.view.y_min, l.view.y_max, l.plot.y + l.plot.height,
                              l.plot.y);
    double y5 = hs_chart_map (5.5, l.view.y_min, l.view.y_max, l.plot.y + l.plot.height,
                              l.plot.y);
    double y7 = hs_chart_map (6.5, l.view.y_min, l.view.y_max, l.plot.y + l.plot.height,
                              l.plot.y);

    g_assert_cmpint (distance (&c, (int) x_loss, (int) y1, &style.loss), <=, 2);
    g_assert_cmpint (distance (&c, (int) x_win, (int) y3, &style.win), <=, 2);
    g_assert_cmpint (distance (&c, (int) x_win, (int) y5, &style.win), <=, 2);
    g_assert_cmpint (distance (&c, (int) x_win, (int) y7, &style.win), >, 30);
    g_assert_cmpint (distance (&c, (int) x_none, (int) y1, &style.win), >, 30);
    g_assert_cmpint (distance (&c, (int) x_none, (int) y1, &style.loss), >, 30);
  }
  /* The mean, dashed in the text colour: some pixel of its column over 8 rows. */
  {
    double x = hs_chart_map (mean, l.view.x_min, l.view.x_max, l.plot.x,
                             l.plot.x + l.plot.width);

    for (int y = (int) l.plot.y + 20; y < l.plot.y + 28; y++)
      dash |= distance (&c, (int) floor (x), y, &style.text) <= 40;
    g_assert_true (dash);
  }
  canvas_finish (&c, "histogram");
}

/* ------------------------------------------------------------------------------------------ */
/* Scatter                                                                                     */

static void
test_scatter_hit (void)
{
  double mae[] = { 0.5, 1.0, 2.0, 2.05, 4.0 };
  double mfe[] = { 2.0, 0.2, 3.0, 3.0, 1.0 };
  double pnl[] = { 10, -5, 7, -1, -20 };
  HsScatterData d = { mae, mfe, pnl, 5 };
  HsChartView view;
  HsChartStyle style;
  HsChartLayout l;
  Canvas c;
  double x[5], y[5];

  hs_chart_style_init (&style, FALSE);
  hs_chart_view_init (&view);
  view.highlight = 1;
  canvas_init (&c, 600, 420);
  hs_paint_scatter (c.cr, &d, &view, c.width, c.height, &style);
  g_assert_true (hs_scatter_layout (c.cr, &d, &view, c.width, c.height, &style, &l));
  /* Pixel positions from the axes' labels: the first and last ticks of each axis. */
  {
    const HsChartTick *x0 = &l.x_ticks.ticks[0], *x1 = &l.x_ticks.ticks[l.x_ticks.n - 1];
    const HsChartTick *y0 = &l.y_ticks.ticks[0], *y1 = &l.y_ticks.ticks[l.y_ticks.n - 1];

    for (int i = 0; i < 5; i++)
      {
        x[i] = x0->pos + (mae[i] - label_value (x0->label)) * (x1->pos - x0->pos)
                         / (label_value (x1->label) - label_value (x0->label));
        y[i] = y0->pos + (mfe[i] - label_value (y0->label)) * (y1->pos - y0->pos)
                         / (label_value (y1->label) - label_value (y0->label));
      }
  }
  /* Each marker's own pixel hits it. */
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (hs_scatter_hit_test (&d, &l, x[i], y[i]), ==, i);
  /* Trades 2 and 3 are 0.05 % apart: a pointer a pixel nearer to 3 than to 2 gets 3. */
  g_assert_cmpint (hs_scatter_hit_test (&d, &l, (x[2] + x[3]) / 2 + 1, y[2]), ==, 3);
  g_assert_cmpint (hs_scatter_hit_test (&d, &l, (x[2] + x[3]) / 2 - 1, y[2]), ==, 2);
  /* Within the radius of trade 4, and just outside it. */
  g_assert_cmpint (hs_scatter_hit_test (&d, &l, x[4] + 4, y[4] - 3), ==, 4);
  g_assert_cmpint (hs_scatter_hit_test (&d, &l, x[4] + 5, y[4] - 5), ==, -1);
  /* Empty space. */
  g_assert_cmpint (hs_scatter_hit_test (&d, &l, (x[0] + x[4]) / 2, y[1]), ==, -1);

  /* Wins blue, losses orange, drawn at 85 % over the background. */
  {
    HsChartRgba win = blend (&style.win, 0.85, &style.background);
    HsChartRgba loss = blend (&style.loss, 0.85, &style.background);

    /* (the markers are translucent: a grid line beneath shows through a little) */
    g_assert_cmpint (distance (&c, (int) x[0], (int) y[0], &win), <=, 6);
    g_assert_cmpint (distance (&c, (int) x[4], (int) y[4], &loss), <=, 6);
  }
  /* The selected trade (1) has a ring 6.5 px around it. */
  g_assert_true (color_near (&c, x[1] + 6.5, y[1], 1, &style.highlight, 60));
  g_assert_false (color_near (&c, x[4] + 6.5, y[4], 1, &style.highlight, 60));
  canvas_finish (&c, "scatter");
}

/* ------------------------------------------------------------------------------------------ */
/* Export                                                                                      */

static void
count_element (GMarkupParseContext  *context,
               const char           *name,
               const char          **attribute_names,
               const char          **attribute_values,
               gpointer              user_data,
               GError              **error)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, g_strdup (name));
}

static void
test_export (void)
{
  const size_t n = 5000;
  g_autofree int64_t *ts = g_new (int64_t, n);
  g_autofree double *equity = g_new (double, n);
  g_autoptr(HsEquityChartData) data = NULL;
  g_autoptr(GError) error = NULL;
  HsChartStyle style;
  const char *dir = g_get_user_data_dir ();
  HsChartFileFormat format;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (size_t i = 0; i < n; i++)
    {
      ts[i] = utc (2022, 1, 1, 0, 0) + (int64_t) i * HOUR_US;
      equity[i] = 1000 + 50 * sin (i / 200.0) + i * 0.05;
    }
  data = hs_equity_chart_data_new (ts, equity, NULL, NULL, n);
  hs_chart_style_init (&style, FALSE);

  g_assert_true (hs_chart_file_format_from_name ("chart.SVG", &format));
  g_assert_cmpint (format, ==, HS_CHART_FILE_SVG);
  g_assert_true (hs_chart_file_format_from_name ("pdf", &format));
  g_assert_cmpint (format, ==, HS_CHART_FILE_PDF);
  g_assert_false (hs_chart_file_format_from_name ("chart.jpeg", &format));

  for (int f = HS_CHART_FILE_PNG; f <= HS_CHART_FILE_PDF; f++)
    {
      static const char *names[] = { "equity.png", "equity.svg", "equity.pdf" };
      g_autofree char *path = g_build_filename (dir, names[f], NULL);
      g_autofree char *contents = NULL;
      size_t length = 0;

      g_assert_true (hs_chart_export_file (&hs_equity_chart_painter, data, NULL, &style, f, 1200,
                                           700, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_no_error (error);
      g_test_message ("%s: %zu bytes", names[f], length);
      g_assert_cmpuint (length, >, 1000);
      if (f == HS_CHART_FILE_PNG)
        g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
      else if (f == HS_CHART_FILE_PDF)
        {
          g_assert_cmpmem (contents, 5, "%PDF-", 5);
          g_assert_nonnull (g_strrstr (contents + length - 16, "%%EOF"));
        }
      else
        {
          /* Well-formed XML with an <svg> root. */
          g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func (g_free);
          GMarkupParser parser = { count_element, NULL, NULL, NULL, NULL };
          g_autoptr(GMarkupParseContext) ctx =
            g_markup_parse_context_new (&parser, 0, elements, NULL);

          g_assert_true (g_markup_parse_context_parse (ctx, contents, (gssize) length, &error));
          g_assert_no_error (error);
          g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (elements->len, >, 10);
          g_assert_cmpstr (g_ptr_array_index (elements, 0), ==, "svg");
        }
    }

  /* A folder that does not exist, and a size of zero: errors, no crash. */
  {
    g_autofree char *bad = g_build_filename (dir, "no", "such", "folder", "x.pdf", NULL);

    g_assert_false (hs_chart_export_file (&hs_equity_chart_painter, data, NULL, &style,
                                          HS_CHART_FILE_PDF, 100, 100, bad, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_clear_error (&error);
    g_assert_false (hs_chart_export_file (&hs_equity_chart_painter, data, NULL, &style,
                                          HS_CHART_FILE_PNG, 0, 100, bad, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/ui/chart/ticks/linear", test_ticks_linear);
  g_test_add_func ("/hs/ui/chart/ticks/time", test_ticks_time);
  g_test_add_func ("/hs/ui/chart/ticks/no-overlap", test_ticks_no_overlap);
  g_test_add_func ("/hs/ui/chart/format", test_format);
  g_test_add_func ("/hs/ui/chart/decimate/reference", test_decimate_reference);
  g_test_add_func ("/hs/ui/chart/decimate/indexed", test_decimate_indexed);
  g_test_add_func ("/hs/ui/chart/equity/line", test_equity_line);
  g_test_add_func ("/hs/ui/chart/equity/drawdown", test_equity_drawdown);
  g_test_add_func ("/hs/ui/chart/equity/spikes", test_equity_spikes);
  g_test_add_func ("/hs/ui/chart/equity/empty", test_equity_empty);
  g_test_add_func ("/hs/ui/chart/candles/colors", test_candles_colors);
  g_test_add_func ("/hs/ui/chart/candles/merged", test_candles_merged);
  g_test_add_func ("/hs/ui/chart/monthly/from-equity", test_monthly_from_equity);
  g_test_add_func ("/hs/ui/chart/monthly/colors", test_monthly_colors);
  g_test_add_func ("/hs/ui/chart/sweep/best", test_sweep_best);
  g_test_add_func ("/hs/ui/chart/sweep/render", test_sweep_render);
  g_test_add_func ("/hs/ui/chart/histogram/bins", test_histogram_bins);
  g_test_add_func ("/hs/ui/chart/histogram/render", test_histogram_render);
  g_test_add_func ("/hs/ui/chart/scatter/hit", test_scatter_hit);
  g_test_add_func ("/hs/ui/chart/export", test_export);
  return g_test_run ();
}
