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
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "hs-chart.h"
#include "hs-chart-decimate.h"
#include "hs-chart-equity.h"
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

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/ui/chart/ticks/linear", test_ticks_linear);
  g_test_add_func ("/hs/ui/chart/ticks/time", test_ticks_time);
  g_test_add_func ("/hs/ui/chart/format", test_format);
  g_test_add_func ("/hs/ui/chart/decimate/reference", test_decimate_reference);
  g_test_add_func ("/hs/ui/chart/equity/line", test_equity_line);
  g_test_add_func ("/hs/ui/chart/equity/drawdown", test_equity_drawdown);
  g_test_add_func ("/hs/ui/chart/equity/spikes", test_equity_spikes);
  g_test_add_func ("/hs/ui/chart/equity/empty", test_equity_empty);
  return g_test_run ();
}
