/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trade inspector's replay painter (src/ui/hs-chart-replay.c), drawn into cairo image
 * surfaces and checked pixel by pixel (no display): the MFE/MAE prices from the labels worked
 * out by hand; every level of the trade inside the fitted price range; the MFE, MAE, stop and
 * target lines on exactly the pixel row the painter's own scale gives for their price (found by
 * drawing the chart with and without the level on the same scale and locating the pixels that
 * changed); the entry and exit markers' centres at the pixel of their time and price; light and
 * dark. Pictures land in $HS_SCREENSHOT_DIR/charts/replay-*.png.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "hs-chart.h"
#include "hs-chart-replay.h"

#define MINUTE_US ((int64_t) 60 * G_USEC_PER_SEC)
#define T0 ((int64_t) 1709649000 * G_USEC_PER_SEC)   /* 2024-03-05T14:30:00Z */
#define N_BARS 100
#define W 900
#define H 420

typedef struct
{
  cairo_surface_t *surface;
  cairo_t         *cr;
} Canvas;

static void
canvas_init (Canvas *c)
{
  c->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  c->cr = cairo_create (c->surface);
}

static void
canvas_finish (Canvas     *c,
               const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");

  if (name != NULL && dir != NULL && dir[0] != '\0')
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

static guint32
raw (Canvas *c,
     int     x,
     int     y)
{
  const unsigned char *data;

  cairo_surface_flush (c->surface);
  g_assert_true (x >= 0 && x < W && y >= 0 && y < H);
  data = cairo_image_surface_get_data (c->surface);
  return *(const guint32 *) (gconstpointer) (data + y * cairo_image_surface_get_stride (c->surface)
                                            + 4 * x);
}

/* The largest channel difference between pixel (@x, @y) (opaque) and @color, 0 … 255. */
static int
distance (Canvas            *c,
          int                x,
          int                y,
          const HsChartRgba *color)
{
  guint32 v = raw (c, x, y);
  int p[3] = { (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
  int want[3] = { (int) lround (color->r * 255), (int) lround (color->g * 255),
                  (int) lround (color->b * 255) };
  int d = 0;

  for (int i = 0; i < 3; i++)
    d = MAX (d, abs (p[i] - want[i]));
  return d;
}

/* A hundred minute bars from 14:30: a slow wave, open at the previous close, wicks 0.1 out. */
static HsReplayChartData *
make_data (void)
{
  int64_t ts[N_BARS];
  double o[N_BARS], h[N_BARS], l[N_BARS], c[N_BARS];
  HsReplayChartData *d;

  for (int k = 0; k < N_BARS; k++)
    {
      ts[k] = T0 + k * MINUTE_US;
      c[k] = 100 + sin (k / 9.0);
      o[k] = k > 0 ? c[k - 1] : 100;
      h[k] = MAX (o[k], c[k]) + 0.1;
      l[k] = MIN (o[k], c[k]) - 0.1;
    }
  d = hs_replay_chart_data_new (ts, o, h, l, c, N_BARS, "TEST · 1m");
  /* A long from 14:50:30 to 15:20:00 (bars 20 … 50). */
  d->side = 1;
  d->entry_ts = T0 + 20 * MINUTE_US + 30 * G_USEC_PER_SEC;
  d->entry_price = 100.3;
  d->exit_ts = T0 + 50 * MINUTE_US;
  d->exit_price = 100.9;
  d->stop_loss = 98.0;
  d->take_profit = 102.5;
  hs_replay_excursion_prices (d->side, d->entry_price, 1.2, 0.8, &d->mfe_price, &d->mae_price);
  return d;
}

/* The labels back to prices, by hand: P = E × (1 + s × MFE/100), E × (1 − s × MAE/100). */
static void
test_excursion_prices (void)
{
  double mfe, mae;

  /* long at 100.3, MFE 1.2 %, MAE 0.8 %: 100.3 × 1.012 = 101.5036, 100.3 × 0.992 = 99.4976 */
  hs_replay_excursion_prices (1, 100.3, 1.2, 0.8, &mfe, &mae);
  g_assert_cmpfloat_with_epsilon (mfe, 101.5036, 1e-9);
  g_assert_cmpfloat_with_epsilon (mae, 99.4976, 1e-9);
  /* short: the favourable side is down: 100.3 × 0.988 = 99.0964, 100.3 × 1.008 = 101.1024 */
  hs_replay_excursion_prices (-1, 100.3, 1.2, 0.8, &mfe, &mae);
  g_assert_cmpfloat_with_epsilon (mfe, 99.0964, 1e-9);
  g_assert_cmpfloat_with_epsilon (mae, 101.1024, 1e-9);
  /* no labels: no levels */
  hs_replay_excursion_prices (1, 100.3, NAN, NAN, &mfe, &mae);
  g_assert_true (isnan (mfe) && isnan (mae));
}

/* The test's own reading of the painter's scale: a price's pixel row. */
static int
expected_row (const HsChartLayout *l,
              double               price)
{
  double y = l->plot.y + (l->view.y_max - price) / (l->view.y_max - l->view.y_min)
                         * l->plot.height;

  return (int) round (y);
}

static int
expected_col (const HsChartLayout *l,
              int64_t              ts)
{
  return (int) round (l->plot.x + ((double) ts - l->view.x_min)
                                  / (l->view.x_max - l->view.x_min) * l->plot.width);
}

/* Draws @d with @field set to NAN on the same scale as @l, and checks that, in the left 60 %
 * of the plot (the level's name is at the right end), the pixels that differ all lie on the
 * one row the price maps to, that at least @min_share of that row changed, and that the row's
 * changed pixels are the level's colour. */
static void
check_level (HsReplayChartData   *d,
             Canvas              *with,
             const HsChartLayout *l,
             const HsChartStyle  *style,
             double              *field,
             const HsChartRgba   *color,
             double               min_share)
{
  Canvas without;
  HsChartView fixed;
  double saved = *field;
  int row = expected_row (l, saved), x0 = (int) ceil (l->plot.x) + 1;
  int x1 = (int) (l->plot.x + l->plot.width * 0.6), changed_on_row = 0;

  fixed = l->view;
  canvas_init (&without);
  *field = NAN;
  hs_paint_replay (without.cr, d, &fixed, W, H, style);
  *field = saved;
  for (int y = (int) l->plot.y; y < (int) (l->plot.y + l->plot.height); y++)
    for (int x = x0; x < x1; x++)
      {
        if (raw (with, x, y) == raw (&without, x, y))
          continue;
        if (y != row)
          g_error ("pixel (%d, %d) changed by the level at %g, expected only row %d", x, y,
                   saved, row);
        changed_on_row++;
        g_assert_cmpint (distance (with, x, y, color), <=, 2);
      }
  g_assert_cmpfloat ((double) changed_on_row / (x1 - x0), >=, min_share);
  canvas_finish (&without, NULL);
}

static void
check_marker (Canvas              *c,
              const HsChartLayout *l,
              int64_t              ts,
              double               price,
              const HsChartRgba   *color,
              const HsChartRgba   *background)
{
  int x = expected_col (l, ts), y = expected_row (l, price);

  /* the centre and its neighbours are the marker's colour (radius 5 px) … */
  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++)
      g_assert_cmpint (distance (c, x + dx, y + dy, color), <=, 2);
  /* … ringed in the background just outside it */
  g_assert_cmpint (distance (c, x, y - 6, background), <=, 8);   /* its outer edge, antialiased */
}

static void
render_and_check (gboolean dark)
{
  g_autoptr(HsReplayChartData) d = make_data ();
  HsChartStyle style;
  HsReplayColors colors;
  HsChartLayout l, painted;
  Canvas c;
  const double levels[] = { d->entry_price, d->exit_price, d->stop_loss, d->take_profit,
                            d->mfe_price, d->mae_price };

  hs_chart_style_init (&style, dark);
  hs_replay_chart_colors (&style, &colors);
  g_assert_true (hs_replay_chart_layout (NULL, d, NULL, W, H, &style, &l));
  /* every level is on the chart (the stop at 98 is below every bar's low, 98.9) */
  for (size_t i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_assert_cmpfloat (levels[i], >, l.view.y_min);
      g_assert_cmpfloat (levels[i], <, l.view.y_max);
    }

  canvas_init (&c);
  hs_replay_chart_painter.paint (c.cr, d, NULL, W, H, &style, &painted);
  g_assert_cmpfloat (painted.plot.y, ==, l.plot.y);
  g_assert_cmpfloat (painted.view.y_min, ==, l.view.y_min);
  g_assert_cmpfloat (painted.view.y_max, ==, l.view.y_max);

  check_level (d, &c, &l, &style, &d->mfe_price, &colors.mfe, 0.95);
  check_level (d, &c, &l, &style, &d->mae_price, &colors.mae, 0.95);
  /* dashed 6 on, 4 off: 60 % of the row */
  check_level (d, &c, &l, &style, &d->stop_loss, &colors.stop, 0.5);
  check_level (d, &c, &l, &style, &d->take_profit, &colors.target, 0.5);
  check_marker (&c, &l, d->entry_ts, d->entry_price, &colors.entry, &style.background);
  check_marker (&c, &l, d->exit_ts, d->exit_price, &colors.exit, &style.background);
  canvas_finish (&c, dark ? "replay-dark" : "replay-light");
}

static void
test_render_light (void)
{
  render_and_check (FALSE);
}

static void
test_render_dark (void)
{
  render_and_check (TRUE);
}

/* A short whose labels are missing and an open trade: no MFE/MAE lines, no exit marker, and
 * the entry marker still where its price is. */
static void
test_open_unlabeled (void)
{
  g_autoptr(HsReplayChartData) d = make_data ();
  HsChartStyle style;
  HsReplayColors colors;
  HsChartLayout l;
  Canvas c;
  g_autofree char *text = NULL;

  d->side = -1;
  d->exit_ts = HS_REPLAY_NO_TS;
  d->exit_price = NAN;
  d->stop_loss = 102.5;
  d->take_profit = 98.0;
  d->mfe_price = d->mae_price = NAN;
  hs_chart_style_init (&style, FALSE);
  hs_replay_chart_colors (&style, &colors);
  canvas_init (&c);
  hs_replay_chart_painter.paint (c.cr, d, NULL, W, H, &style, &l);
  check_marker (&c, &l, d->entry_ts, d->entry_price, &colors.entry, &style.background);
  check_level (d, &c, &l, &style, &d->stop_loss, &colors.stop, 0.5);
  text = hs_replay_chart_painter.describe (d);
  g_assert_nonnull (strstr (text, "open"));
  canvas_finish (&c, "replay-open");
}

static void
test_empty (void)
{
  g_autoptr(HsReplayChartData) d = hs_replay_chart_data_new (NULL, NULL, NULL, NULL, NULL, 0,
                                                             NULL);
  HsChartStyle style;
  HsChartLayout l;
  HsChartView extent;
  Canvas c;

  hs_chart_style_init (&style, FALSE);
  g_assert_false (hs_replay_chart_layout (NULL, d, NULL, W, H, &style, &l));
  g_assert_false (hs_replay_chart_painter.extent (d, &extent));
  canvas_init (&c);
  hs_paint_replay (c.cr, d, NULL, W, H, &style);   /* a message, no crash */
  g_assert_cmpint (cairo_status (c.cr), ==, CAIRO_STATUS_SUCCESS);
  canvas_finish (&c, NULL);
}

/* Exportable like every chart: a PNG of the replay through hs_chart_export_file(). */
static void
test_export (void)
{
  g_autoptr(HsReplayChartData) d = make_data ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-replay-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "replay.svg", NULL);
  g_autofree char *text = NULL;
  HsChartStyle style;

  g_assert_no_error (error);
  hs_chart_style_init (&style, FALSE);
  g_assert_true (hs_chart_export_file (&hs_replay_chart_painter, d, NULL, &style,
                                       HS_CHART_FILE_SVG, 640, 320, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_nonnull (strstr (text, "<svg"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/ui/chart/replay/excursion-prices", test_excursion_prices);
  g_test_add_func ("/hs/ui/chart/replay/light", test_render_light);
  g_test_add_func ("/hs/ui/chart/replay/dark", test_render_dark);
  g_test_add_func ("/hs/ui/chart/replay/open-unlabeled", test_open_unlabeled);
  g_test_add_func ("/hs/ui/chart/replay/empty", test_empty);
  g_test_add_func ("/hs/ui/chart/replay/export", test_export);
  return g_test_run ();
}
