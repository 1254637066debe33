/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HsChartWidget in a window under Xvfb: each chart kind shown and photographed, the crosshair
 * readout at a known point, zoom by scroll and keys around the right anchor, drag to pan by
 * the right amount, double-click to reset, a click on a scatter point activating its trade,
 * the dark palette following AdwStyleManager, export to PNG, SVG and PDF, the context menu's
 * entries, and the accessible name and role. The event controllers' handlers are driven
 * through hs-chart-widget-private.h (GTK 4 cannot synthesise input events); the expected
 * numbers come from the chart's own axes as read in each case. Screenshots go to
 * $HS_SCREENSHOT_DIR/charts-widget-*.png.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "hs-chart-widget.h"
#include "hs-chart-widget-private.h"
#include "hs-time.h"

#define DAY_US ((int64_t) 86400 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static int64_t
utc (int y, int m, int d)
{
  return hs_time_days_from_civil (y, (unsigned) m, (unsigned) d) * DAY_US;
}

static void
after_paint_cb (GdkFrameClock *clock,
                int           *count)
{
  (*count)++;
}

/* Spins until @widget's window has been mapped and painted @n more times. */
static void
paint (GtkWidget *widget,
       int        n)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  GdkFrameClock *clock;
  int count = 0;
  gulong id;

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &count);
  while (count < n)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

/* The widget as drawn, as a texture (for pixels and screenshots). */
static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL, *path = NULL;

  if (dir == NULL || dir[0] == '\0')
    return;
  /* A pending relayout (the readout appearing) leaves nothing to render until the next frame. */
  paint (widget, 1);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strdup_printf ("charts-widget-%s.png", name);
  path = g_build_filename (dir, file, NULL);
  texture = render (GTK_WIDGET (gtk_widget_get_root (widget)));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Luminance 0 … 255 of the widget's pixel (@x, @y). */
static int
luminance_at (GtkWidget *widget,
              int        x,
              int        y)
{
  g_autoptr(GdkTexture) texture = NULL;
  int w, h;
  g_autofree guchar *data = NULL;
  const guchar *p;

  paint (widget, 1);
  texture = render (widget);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  data = g_malloc ((size_t) w * h * 4);
  gdk_texture_download (texture, data, (size_t) w * 4);
  p = data + ((size_t) y * w + x) * 4;   /* B G R A, premultiplied, opaque here */
  return (int) lround (0.0722 * p[0] + 0.7152 * p[1] + 0.2126 * p[2]);
}

/* A window 900 × 520 with a toast overlay (export reports there) holding the chart. */
static GtkWidget *
chart_window (GtkWidget **chart)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  *chart = hs_chart_widget_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), *chart);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 520);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* 500 days of equity rising 1000 → 1499 with a dip (days 200 … 259 at 1100). */
static HsEquityChartData *
equity_data (int64_t **ts_out,
             double  **equity_out)
{
  const size_t n = 500;
  g_autofree int64_t *ts = g_new (int64_t, n);
  g_autofree double *equity = g_new (double, n);
  g_autofree double *bench = g_new (double, n);
  HsEquityChartData *data;

  for (size_t i = 0; i < n; i++)
    {
      ts[i] = utc (2022, 1, 3) + (int64_t) i * DAY_US;
      equity[i] = i >= 200 && i < 260 ? 1100.0 : 1000.0 + (double) i;
      bench[i] = 400.0 + 0.2 * (double) i;
    }
  data = hs_equity_chart_data_new (ts, equity, bench, NULL, n);
  if (ts_out != NULL)
    *ts_out = g_steal_pointer (&ts);
  if (equity_out != NULL)
    *equity_out = g_steal_pointer (&equity);
  return data;
}

static void
record_index_cb (HsChartWidget *chart,
                 int            index,
                 int           *out)
{
  *out = index;
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                       */

static void
test_new_destroy (void)
{
  GtkWidget *chart = g_object_ref_sink (hs_chart_widget_new ());

  hs_chart_widget_set_equity (HS_CHART_WIDGET (chart), equity_data (NULL, NULL));
  g_assert_true (hs_chart_widget_get_painter (HS_CHART_WIDGET (chart))
                 == &hs_equity_chart_painter);
  hs_chart_widget_set_chart (HS_CHART_WIDGET (chart), NULL, NULL, NULL);
  g_assert_null (hs_chart_widget_get_data (HS_CHART_WIDGET (chart)));
  g_assert_finalize_object (chart);
}

static void
test_equity_interaction (void)
{
  GtkWidget *chart = NULL;
  GtkWidget *window = chart_window (&chart);
  HsChartWidget *c = NULL;
  g_autofree int64_t *ts = NULL;
  g_autofree double *equity = NULL;
  const HsChartLayout *l;
  HsChartView view, before;
  int hovered = -2;
  double px, py, span, anchor_px, anchor_x;
  char date[32];

  c = HS_CHART_WIDGET (chart);
  hs_chart_widget_set_title (c, "Equity and drawdown");
  hs_chart_widget_set_equity (c, equity_data (&ts, &equity));
  g_signal_connect (chart, "point-hovered", G_CALLBACK (record_index_cb), &hovered);
  paint (chart, 2);
  screenshot (chart, "equity");

  l = hs_chart_widget_get_layout (c);
  g_assert_cmpfloat (l->plot.width, >, 600);
  g_assert_cmpfloat (l->lower.height, >, 50);
  g_assert_false (hs_chart_widget_get_zoomed (c));

  /* Hover day 100 (2022-04-13, equity 1100): the readout names it and the crosshair snaps. */
  px = hs_chart_map ((double) ts[100], l->view.x_min, l->view.x_max, l->plot.x,
                     l->plot.x + l->plot.width);
  py = l->plot.y + l->plot.height / 2;
  hs_chart_widget_pointer_motion (c, px + 0.3, py);
  g_assert_cmpint (hovered, ==, 100);
  hs_chart_format_time (ts[100], date, sizeof date);
  g_assert_cmpstr (date, ==, "2022-04-13");
  g_test_message ("readout: %s", hs_chart_widget_get_readout (c));
  g_assert_nonnull (strstr (hs_chart_widget_get_readout (c), "2022-04-13"));
  g_assert_nonnull (strstr (hs_chart_widget_get_readout (c), "Equity 1100.00"));
  paint (chart, 2);
  screenshot (chart, "equity-crosshair");
  hs_chart_widget_pointer_leave (c);
  g_assert_cmpint (hovered, ==, -1);
  g_assert_cmpstr (hs_chart_widget_get_readout (c), ==, "");

  /* Three scroll notches in at day 100: the span becomes 0.8³ = 0.512 of the whole and day
   * 100 stays under the pointer. */
  l = hs_chart_widget_get_layout (c);
  span = l->view.x_max - l->view.x_min;
  anchor_x = (double) ts[100];
  for (int i = 0; i < 3; i++)
    hs_chart_widget_scroll_zoom (c, px, py, -1);
  g_assert_true (hs_chart_widget_get_zoomed (c));
  hs_chart_widget_get_view (c, &view);
  g_assert_cmpfloat_with_epsilon ((view.x_max - view.x_min) / span, 0.512, 1e-9);
  l = hs_chart_widget_get_layout (c);
  anchor_px = hs_chart_map (anchor_x, l->view.x_min, l->view.x_max, l->plot.x,
                            l->plot.x + l->plot.width);
  g_assert_cmpfloat (fabs (anchor_px - px), <, 1.0);
  paint (chart, 2);
  screenshot (chart, "equity-zoomed");

  /* Drag 100 px right: the range moves left by 100 px worth of time. */
  before = l->view;
  hs_chart_widget_drag_begin (c);
  hs_chart_widget_drag_update (c, 100, 0);
  hs_chart_widget_get_view (c, &view);
  g_assert_cmpfloat_with_epsilon (view.x_min,
                                  before.x_min - 100 * (before.x_max - before.x_min)
                                                 / l->plot.width, 1.0);
  g_assert_cmpfloat_with_epsilon (view.x_max - view.x_min, before.x_max - before.x_min, 1.0);

  /* Keys: zoom out is 1 / 0.8 of the span; pan right a tenth of it. */
  before = view;
  g_assert_true (gtk_widget_activate_action (chart, "chart.zoom-out", NULL));
  hs_chart_widget_get_view (c, &view);
  g_assert_cmpfloat_with_epsilon ((view.x_max - view.x_min) / (before.x_max - before.x_min),
                                  1.25, 1e-9);
  before = view;
  g_assert_true (gtk_widget_activate_action (chart, "chart.pan-right", NULL));
  hs_chart_widget_get_view (c, &view);
  g_assert_cmpfloat_with_epsilon (view.x_min - before.x_min,
                                  0.1 * (before.x_max - before.x_min), 1.0);

  /* Panning stops at the data: far to the left, the view starts at the first day. */
  for (int i = 0; i < 30; i++)
    g_assert_true (gtk_widget_activate_action (chart, "chart.pan-left", NULL));
  hs_chart_widget_get_view (c, &view);
  g_assert_cmpfloat (view.x_min, ==, (double) ts[0]);

  /* Zooming out past everything, or a double click, shows everything again. */
  for (int i = 0; i < 10; i++)
    hs_chart_widget_scroll_zoom (c, px, py, 1);
  g_assert_false (hs_chart_widget_get_zoomed (c));
  hs_chart_widget_scroll_zoom (c, px, py, -2);
  g_assert_true (hs_chart_widget_get_zoomed (c));
  hs_chart_widget_click (c, px, py, 2);
  g_assert_false (hs_chart_widget_get_zoomed (c));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_scatter_click (void)
{
  GtkWidget *chart = NULL;
  GtkWidget *window = chart_window (&chart);
  HsChartWidget *c = NULL;
  double mae[40], mfe[40], pnl[40];
  const HsChartLayout *l;
  int activated = -1;
  double x, y;

  c = HS_CHART_WIDGET (chart);
  for (int i = 0; i < 40; i++)
    {
      mae[i] = 0.1 + (i * 37 % 40) * 0.07;
      mfe[i] = 0.2 + (i * 23 % 40) * 0.11;
      pnl[i] = i % 3 == 0 ? -10.0 - i : 5.0 + i;
    }
  hs_chart_widget_set_title (c, "MFE/MAE");
  hs_chart_widget_set_scatter (c, hs_scatter_data_new (mae, mfe, pnl, 40));
  g_signal_connect (chart, "point-activated", G_CALLBACK (record_index_cb), &activated);
  paint (chart, 2);
  l = hs_chart_widget_get_layout (c);

  /* Trade 7's marker: the readout names it ("Trade 8", counting from 1), a click selects it. */
  x = hs_chart_map (mae[7], l->view.x_min, l->view.x_max, l->plot.x, l->plot.x + l->plot.width);
  y = hs_chart_map (mfe[7], l->view.y_min, l->view.y_max, l->plot.y + l->plot.height,
                    l->plot.y);
  hs_chart_widget_pointer_motion (c, x + 1, y - 1);
  g_test_message ("readout: %s", hs_chart_widget_get_readout (c));
  g_assert_true (g_str_has_prefix (hs_chart_widget_get_readout (c), "Trade 8 "));
  hs_chart_widget_click (c, x + 1, y - 1, 1);
  g_assert_cmpint (activated, ==, 7);
  g_assert_cmpint (hs_chart_widget_get_highlight (c), ==, 7);
  paint (chart, 2);
  screenshot (chart, "scatter");

  /* Empty space: no activation. Zoom works both ways on the scatter. */
  activated = -1;
  hs_chart_widget_click (c, l->plot.x + 2, l->plot.y + 2, 1);
  g_assert_cmpint (activated, ==, -1);
  hs_chart_widget_scroll_zoom (c, x, y, -3);
  {
    HsChartView v;

    hs_chart_widget_get_view (c, &v);
    g_assert_false (isnan (v.x_min));
    g_assert_false (isnan (v.y_min));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_other_charts (void)
{
  GtkWidget *chart = NULL;
  GtkWidget *window = chart_window (&chart);
  HsChartWidget *c = HS_CHART_WIDGET (chart);
  g_autofree int64_t *ts = NULL;
  g_autofree double *equity = NULL;
  g_autoptr(HsEquityChartData) eq = equity_data (&ts, &equity);
  const size_t n = 120;
  double open[120], high[120], low[120], close[120], volume[120], returns[300];
  int64_t bar_ts[120];
  const char *xs[] = { "5", "10", "15", "20", "25" };
  const char *ys[] = { "30", "60", "90", "120" };
  double sharpe[20];
  const HsChartLayout *l;
  double v = 100;

  for (size_t i = 0; i < n; i++)
    {
      bar_ts[i] = utc (2024, 1, 2) + (int64_t) i * DAY_US;
      open[i] = v;
      v += sin ((double) i / 7.0) * 1.5 + 0.2;
      close[i] = v;
      high[i] = MAX (open[i], close[i]) + 0.8;
      low[i] = MIN (open[i], close[i]) - 0.8;
      volume[i] = 1e6 + 4e5 * cos ((double) i / 5.0);
    }
  hs_chart_widget_set_candles (c, hs_candle_chart_data_new (bar_ts, open, high, low, close,
                                                            volume, n, "DEMO · 1d"));
  paint (chart, 2);
  screenshot (chart, "candles");

  hs_chart_widget_set_monthly_returns (c, hs_monthly_returns_new_from_equity (ts, equity, 500));
  paint (chart, 2);
  l = hs_chart_widget_get_layout (c);
  /* The first cell is January 2022: 1000 → 1028 (day 28, the month's last): +2.80%. */
  hs_chart_widget_pointer_motion (c, l->plot.x + 2, l->plot.y + 2);
  g_test_message ("readout: %s", hs_chart_widget_get_readout (c));
  g_assert_cmpstr (hs_chart_widget_get_readout (c), ==, "Jan 2022   2.80%");
  screenshot (chart, "monthly-returns");

  for (int i = 0; i < 300; i++)
    returns[i] = 3.0 * sin (i * 1.7) * fabs (cos (i * 0.3)) + 0.2;
  hs_chart_widget_set_histogram (c, hs_histogram_data_new (returns, 300,
                                                           HS_CHART_FORMAT_PERCENT,
                                                           "Daily returns"));
  paint (chart, 2);
  screenshot (chart, "histogram");

  for (int i = 0; i < 20; i++)
    sharpe[i] = 1.5 - 0.08 * ((i % 5) - 2) * ((i % 5) - 2) - 0.1 * (i / 5) + (i == 13 ? 0.4 : 0);
  hs_chart_widget_set_sweep_heatmap (c, hs_sweep_heatmap_data_new ("fast", xs, 5, "slow", ys, 4,
                                                                   sharpe, "Sharpe ratio",
                                                                   FALSE));
  paint (chart, 2);
  screenshot (chart, "sweep");
  /* No zoom on heat maps. */
  hs_chart_widget_scroll_zoom (c, 300, 200, -3);
  g_assert_false (hs_chart_widget_get_zoomed (c));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_dark (void)
{
  GtkWidget *chart = NULL;
  GtkWidget *window = chart_window (&chart);
  HsChartWidget *c = HS_CHART_WIDGET (chart);
  AdwStyleManager *manager = adw_style_manager_get_default ();

  hs_chart_widget_set_equity (c, equity_data (NULL, NULL));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  paint (chart, 2);
  g_assert_false (hs_chart_widget_get_dark (c));
  g_assert_cmpint (luminance_at (chart, 3, 3), >, 200);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  paint (chart, 2);
  g_assert_true (hs_chart_widget_get_dark (c));
  g_assert_true (hs_chart_widget_get_style (c)->dark);
  g_assert_cmpint (luminance_at (chart, 3, 3), <, 60);
  screenshot (chart, "equity-dark");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_export_and_menu (void)
{
  GtkWidget *chart = NULL;
  GtkWidget *window = chart_window (&chart);
  HsChartWidget *c = HS_CHART_WIDGET (chart);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-chart-XXXXXX", &error);
  GMenuModel *model = NULL;
  static const char *files[] = { "equity.png", "equity.svg", "equity.pdf" };
  static const char *magic[] = { "\x89PNG", "<?xml", "%PDF-" };
  int found = 0;

  g_assert_no_error (error);
  /* Nothing to export yet. */
  g_assert_false (hs_chart_widget_export (c, HS_CHART_FILE_PNG, 100, 100, FALSE, "/dev/null",
                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  hs_chart_widget_set_equity (c, equity_data (NULL, NULL));
  paint (chart, 1);
  for (int f = HS_CHART_FILE_PNG; f <= HS_CHART_FILE_PDF; f++)
    {
      g_autofree char *path = g_build_filename (dir, files[f], NULL);
      g_autofree char *contents = NULL;
      size_t length = 0;

      g_assert_true (hs_chart_widget_export (c, f, 1600, 900, f == HS_CHART_FILE_PNG, path,
                                             &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 1000);
      g_assert_true (g_str_has_prefix (contents, magic[f]));
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);

  /* The context menu offers the three exports and the reset, and opens from the keyboard. */
  g_object_get (hs_chart_widget_get_menu (c), "menu-model", &model, NULL);
  for (int s = 0; s < g_menu_model_get_n_items (model); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *action = NULL;
          g_autoptr(GVariant) target = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          target = g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET,
                                                          NULL);
          g_test_message ("menu: %s %s", action,
                          target != NULL ? g_variant_get_string (target, NULL) : "");
          found += g_str_equal (action, "chart.export") || g_str_equal (action, "chart.reset");
        }
    }
  g_object_unref (model);
  g_assert_cmpint (found, ==, 4);
  g_assert_true (gtk_widget_activate_action (chart, "chart.menu", NULL));
  g_assert_true (gtk_widget_get_visible (hs_chart_widget_get_menu (c)));
  gtk_popover_popdown (GTK_POPOVER (hs_chart_widget_get_menu (c)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_accessible (void)
{
  GtkWidget *chart = g_object_ref_sink (hs_chart_widget_new ());
  HsChartWidget *c = HS_CHART_WIDGET (chart);
  g_autofree char *label_error = NULL;

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG));
  hs_chart_widget_set_title (c, "Equity and drawdown");
  hs_chart_widget_set_equity (c, equity_data (NULL, NULL));
  label_error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                    "Equity and drawdown");
  g_assert_null (label_error);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (chart),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_true (gtk_widget_get_focusable (chart));
  g_assert_finalize_object (chart);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's test accessibility backend: accessible properties can be read back. */
  g_setenv ("GTK_A11Y", "test", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_ALL, "C.UTF-8");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/hs/ui/chart-widget/new-destroy", test_new_destroy);
  g_test_add_func ("/hs/ui/chart-widget/accessible", test_accessible);
  g_test_add_func ("/hs/ui/chart-widget/equity", test_equity_interaction);
  g_test_add_func ("/hs/ui/chart-widget/scatter", test_scatter_click);
  g_test_add_func ("/hs/ui/chart-widget/other-charts", test_other_charts);
  g_test_add_func ("/hs/ui/chart-widget/dark", test_dark);
  g_test_add_func ("/hs/ui/chart-widget/export-and-menu", test_export_and_menu);
  return g_test_run ();
}
