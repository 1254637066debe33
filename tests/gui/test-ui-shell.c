/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's shell and its first pages on real databases: every page built, navigation by
 * action and by the sidebar, the narrow (360 px, folded) window, size and last page kept in
 * GSettings (memory backend) from one window to the next, opening a database by path and the
 * recent list, the welcome state without a database, the Overview's lists (numbers by hand) and
 * its periodic repricing of open trades, the empty states, and the dark style. Each page is
 * saved as a PNG under $HS_SCREENSHOT_DIR for a reviewer to look at. Runs under Xvfb:
 * `xvfb-run -a meson test --suite gui`.
 */
#include "config.h"

#include "hs-chart-candles.h"
#include "hs-chart-widget.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-application.h"
#include "hs-coverage-item.h"
#include "hs-overview-page.h"
#include "hs-paper.h"
#include "hs-settings.h"
#include "hs-sparkline.h"
#include "hs-store-alerts.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-test-db.h"
#include "hs-test-ui.h"
#include "hs-time.h"
#include "hs-window-private.h"

#define MINUTE_US ((int64_t) 60 * G_USEC_PER_SEC)
#define HOUR_US ((int64_t) 3600 * G_USEC_PER_SEC)
#define DAY_US ((int64_t) 86400 * G_USEC_PER_SEC)

static const char *const pages[] = { "overview", "data", "backtests", "trades", "export" };

/* ------------------------------------------------------------------------------------------ */
/* Databases                                                                                   */

static void
add_alert (HsStore    *store,
           int64_t     ts,
           const char *kind,
           const char *severity,
           const char *title)
{
  g_autoptr(HsAlert) alert = hs_alert_new ();
  g_autoptr(GError) error = NULL;

  alert->ts = ts;
  alert->kind = g_strdup (kind);
  g_free (alert->severity);
  alert->severity = g_strdup (severity);
  alert->title = g_strdup (title);
  alert->source = g_strdup ("tests");
  g_assert_true (hs_store_add_alert (store, alert, NULL, &error));
  g_assert_no_error (error);
}

static void
open_trade (HsStore     *store,
            const char  *symbol,
            HsPaperSide  side,
            double       qty,
            double       price,
            double       fees,
            int64_t      at)
{
  g_autoptr(GError) error = NULL;
  HsPaperOpenRequest req = { .symbol = (char *) symbol, .side = side, .quantity = qty,
                             .price = price, .at = at, .stop_loss = NAN, .take_profit = NAN,
                             .fees = fees };
  g_autoptr(HsPaperTrade) t = hs_paper_open (store, &req, NULL, &error);

  g_assert_no_error (error);
}

/* SPY: 20 weekday daily bars from 2024-01-02 closing 470 … 489 (no calendar stored: weekdays
 * only, so 2024-01-15, a holiday, counts as missing unless stored — it is stored here);
 * AAPL: three 1-minute bars 14:30 … 14:32 on 2024-03-04 closing 101, 102, 103;
 * ETH-USD: 1-hour bars 00:00 … 09:00 on 2024-05-01 without 04:00 … 06:00 (one gap of 3);
 * two backtests (one failed), two open AAPL paper trades, three alerts. */
static char *
create_rich_db (const char *name)
{
  g_autofree char *path = hs_test_temp_path (name);
  g_autoptr(HsStore) store = hs_test_store_open (path);
  int64_t spy = hs_test_store_instrument (store, "SPY", "ARCA", "etf");
  int64_t aapl = hs_test_store_instrument (store, "AAPL", "NASDAQ", "stock");
  int64_t eth = hs_test_store_instrument (store, "ETH-USD", "COINBASE", "crypto");
  int64_t day = hs_test_utc (2024, 1, 2, 0, 0);
  int n = 0;

  for (int d = 0; n < 20; d++)
    {
      int64_t ts = day + (int64_t) d * DAY_US;
      int64_t weekday = (ts / DAY_US + 3) % 7;   /* 1970-01-01 was a Thursday: 0 = Monday */

      if (weekday < 5)
        hs_test_store_add_bar (store, spy, "1d", ts, 470 + n++);
    }
  for (int m = 0; m < 3; m++)
    hs_test_store_add_bar (store, aapl, "1m", hs_test_utc (2024, 3, 4, 14, 30) + m * MINUTE_US, 101 + m);
  for (int h = 0; h < 10; h++)
    if (h < 4 || h > 6)
      hs_test_store_add_bar (store, eth, "1h", hs_test_utc (2024, 5, 1, 0, 0) + h * HOUR_US, 3000 + 10 * h);

  {
    const HsTestBtRun runs[] = {
      { "sma_cross", NULL, 0, 0, 0, 0.1234, 1.25, 0.081, 12 },
      { "rsi_reversion", "failed", 0, 0, 0, NAN, NAN, NAN, -1 },
      { "breakout", NULL, 0, 0, 0, -0.052, -0.4, 0.15, 30 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS (runs); i++)
      {
        HsTestBtRun run = runs[i];

        run.start_ts = hs_test_utc (2023, 1, 3, 0, 0);
        run.end_ts = hs_test_utc (2024, 1, 2, 0, 0);
        hs_test_store_add_run (store, &run);
      }
  }

  open_trade (store, "AAPL", HS_PAPER_LONG, 10, 100, 1, hs_test_utc (2024, 3, 4, 14, 30) + 30
                                                         * G_USEC_PER_SEC);
  open_trade (store, "AAPL", HS_PAPER_SHORT, 5, 105, 0, hs_test_utc (2024, 3, 4, 14, 31) + 30
                                                          * G_USEC_PER_SEC);

  add_alert (store, hs_test_utc (2024, 3, 4, 10, 0), "data_gap", "warning",
             "ETH-USD: 3 hourly bars missing");
  add_alert (store, hs_test_utc (2024, 3, 4, 12, 0), "backtest_finished", "info",
             "sma_cross on SPY finished");
  add_alert (store, hs_test_utc (2024, 3, 4, 11, 0), "provider_error", "error",
             "Polygon answered 429 Too Many Requests");
  return g_steal_pointer (&path);
}

static char *
create_empty_db (const char *name)
{
  g_autofree char *path = hs_test_temp_path (name);
  g_autoptr(HsStore) store = hs_test_store_open (path);

  return g_steal_pointer (&path);
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static void
wait_for_overview (HsWindow *window)
{
  HsOverviewPage *overview = hs_window_get_overview_page (window);

  while (hs_overview_page_get_loading (overview))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_bars (HsWindow *window)
{
  HsDataPage *data = hs_window_get_data_page (window);

  while (hs_data_page_get_loading_bars (data))
    g_main_context_iteration (NULL, TRUE);
}

static void
shoot (HsWindow   *window,
       const char *name)
{
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_save_screenshot (GTK_WIDGET (window), name);
}

/* The texts of the rows of an Overview list, each row's labels joined by " | ". */
static GPtrArray *
row_texts (GtkListBox *list)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GtkListBoxRow *row = NULL;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

      hs_test_collect_labels (GTK_WIDGET (row), texts);
      g_ptr_array_add (texts, NULL);
      g_ptr_array_add (out, g_strjoinv (" | ", (char **) texts->pdata));
    }
  return out;
}

static void
assert_row_has (GPtrArray  *rows,
                guint       i,
                const char *text)
{
  g_assert_cmpuint (i, <, rows->len);
  if (strstr (rows->pdata[i], text) == NULL)
    g_error ("row %u “%s” does not contain “%s”", i, (char *) rows->pdata[i], text);
}

static void
activate_sidebar_row (HsWindow *window,
                      int       index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (hs_window_get_sidebar (window), index);

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (row)));
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                       */

static void
test_every_page (void)
{
  g_autofree char *path = create_rich_db ("pages.db");
  HsWindow *window = hs_test_open_window (path);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *own = NULL;

  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  wait_for_overview (window);
  wait_for_bars (window);
  /* The Data page charts the selected series as candles: the chart holds its bars. */
  {
    HsDataPage *data = hs_window_get_data_page (window);
    const HsBars *bars = hs_data_page_get_bars (data);
    GtkWidget *chart = hs_data_page_get_chart (data);
    const HsCandleChartData *candles;

    g_assert_nonnull (bars);
    g_assert_true (HS_IS_CHART_WIDGET (chart));
    g_assert_true (hs_chart_widget_get_painter (HS_CHART_WIDGET (chart))
                   == &hs_candle_chart_painter);
    candles = hs_chart_widget_get_data (HS_CHART_WIDGET (chart));
    g_assert_cmpuint (candles->n, ==, bars->n);
    g_assert_cmpfloat (candles->close[bars->n - 1], ==, bars->close[bars->n - 1]);
  }
  for (size_t i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *shot = g_strdup_printf ("shell-%s.png", pages[i]);
      GtkWidget *page = hs_window_get_page (window, pages[i]);

      g_assert_nonnull (page);
      hs_window_show_page (window, pages[i]);
      g_assert_cmpstr (hs_window_get_visible_page (window), ==, pages[i]);
      g_assert_true (gtk_widget_get_mapped (page) || i > 1);
      shoot (window, shot);
    }

  /* Every control of every page has a name a screen reader (and dogtail) can use. */
  for (size_t i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      unsigned n_checked = 0;

      hs_window_show_page (window, pages[i]);
      hs_test_wait_for_frames (GTK_WIDGET (window), 1);
      hs_test_assert_controls_named (GTK_WIDGET (window), &n_checked);
      g_assert_cmpuint (n_checked, >=, 4);
    }

  /* A later part drops its widget into a placeholder page. */
  own = gtk_label_new ("the results view");
  hs_window_set_page (window, "backtests", own);
  g_assert_true (hs_window_get_page (window, "backtests") == own);
  hs_window_show_page (window, "backtests");
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_widget_get_mapped (own));
  hs_test_collect_labels (GTK_WIDGET (window), texts);
  g_assert_true (hs_test_texts_contain (texts, "the results view"));
  hs_test_close_window (window);
}

static void
test_navigation (void)
{
  g_autofree char *path = create_rich_db ("nav.db");
  HsWindow *window = hs_test_open_window (path);
  GtkListBox *sidebar = hs_window_get_sidebar (window);

  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "overview");
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (sidebar)), ==, 0);

  /* By action (what Ctrl+1 … Ctrl+5 and the Go To menu do): the sidebar follows. */
  for (size_t i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.show-page", "s",
                                                 pages[i]));
      g_assert_cmpstr (hs_window_get_visible_page (window), ==, pages[i]);
      g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (sidebar)),
                       ==, (int) i);
    }
  /* An unknown page changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "window.show-page", "s", "settings");
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "export");

  /* By the sidebar, as a click activates a row. */
  for (int i = (int) G_N_ELEMENTS (pages) - 1; i >= 0; i--)
    {
      activate_sidebar_row (window, i);
      g_assert_cmpstr (hs_window_get_visible_page (window), ==, pages[i]);
    }

  /* The search action works on the Data page only. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "window.search", NULL)
                  && hs_coverage_page_get_search_mode_enabled (
                       hs_window_get_coverage_page (window)));
  hs_window_show_page (window, "data");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.search", NULL));
  g_assert_true (hs_coverage_page_get_search_mode_enabled (hs_window_get_coverage_page (window)));
  hs_window_show_page (window, "overview");
  g_assert_false (hs_coverage_page_get_search_mode_enabled (hs_window_get_coverage_page (window)));
  hs_test_close_window (window);
}

static void
test_narrow (void)
{
  g_autofree char *path = create_rich_db ("narrow.db");
  HsWindow *window = NULL;
  AdwLeaflet *leaflet = NULL;

  hs_test_reset_settings ();
  window = hs_window_new (NULL, path);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_present (GTK_WINDOW (window));
  hs_test_wait_for_load (window);
  wait_for_overview (window);
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  leaflet = hs_window_get_leaflet (window);

  /* The window is as narrow as asked (the client-side decorations take a few pixels of it). */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  /* 360 px hold no sidebar beside a page: the leaflet folds and shows the page. */
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  shoot (window, "shell-narrow-overview.png");

  /* Back to the page list, then a page from it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.show-sidebar", NULL));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
  shoot (window, "shell-narrow-sidebar.png");
  activate_sidebar_row (window, 1);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "data");
  wait_for_bars (window);
  shoot (window, "shell-narrow-data.png");

  /* Wide again: both panes. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  while (adw_leaflet_get_folded (leaflet))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >, 900);
  hs_test_close_window (window);
}

static void
test_settings_round_trip (void)
{
  g_autofree char *path = create_rich_db ("settings.db");
  g_autoptr(GSettings) settings = hs_settings_new ();
  g_auto(GStrv) recent = NULL;
  g_autofree char *last_db = NULL;
  g_autofree char *last_page = NULL;
  HsWindow *window = NULL;
  int w = 0, h = 0;

  hs_test_reset_settings ();
  window = hs_window_new (NULL, path);
  gtk_window_present (GTK_WINDOW (window));
  hs_test_wait_for_load (window);
  /* What resizing and choosing a page do. */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  hs_window_show_page (window, "trades");
  hs_test_close_window (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  last_page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (last_page, ==, "trades");
  last_db = g_settings_get_string (settings, "last-database");
  g_assert_cmpstr (last_db, ==, path);
  recent = g_settings_get_strv (settings, "recent-databases");
  g_assert_cmpuint (g_strv_length (recent), ==, 1);
  g_assert_cmpstr (recent[0], ==, path);

  /* The next window comes back the same. */
  window = hs_window_new (NULL, path);
  gtk_window_get_default_size (GTK_WINDOW (window), &w, &h);
  g_assert_cmpint (w, ==, 900);
  g_assert_cmpint (h, ==, 640);
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "trades");
  gtk_window_present (GTK_WINDOW (window));
  hs_test_wait_for_load (window);
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  /* Shown at that size, less the few pixels of the client-side decorations. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 900);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 880);
  hs_test_close_window (window);
}

static void
test_recent_list (void)
{
  const char *const none[] = { NULL };
  const char *const three[] = { "/a.db", "/b.db", "/c.db", NULL };
  g_auto(GStrv) r1 = hs_recent_add (none, "/a.db", 3);
  g_auto(GStrv) r2 = hs_recent_add (three, "/c.db", 3);
  g_auto(GStrv) r3 = hs_recent_add (three, "/d.db", 3);
  g_auto(GStrv) r4 = hs_recent_remove (three, "/b.db");
  g_auto(GStrv) r5 = hs_recent_add (NULL, "/a.db", 0);

  /* By hand: the new path first, the others after it in their order, at most max. */
  g_assert_cmpstrv (r1, ((const char *const[]) { "/a.db", NULL }));
  g_assert_cmpstrv (r2, ((const char *const[]) { "/c.db", "/a.db", "/b.db", NULL }));
  g_assert_cmpstrv (r3, ((const char *const[]) { "/d.db", "/a.db", "/b.db", NULL }));
  g_assert_cmpstrv (r4, ((const char *const[]) { "/a.db", "/c.db", NULL }));
  g_assert_cmpstrv (r5, none);
}

static void
test_choose_database (void)
{
  g_autofree char *present = create_empty_db ("present.db");
  g_autofree char *gone = hs_test_temp_path ("gone.db");
  g_autofree char *deflt = hs_test_temp_path ("default.db");
  g_autofree char *c1 = hs_choose_database ("/x/a.db", "/y/b.db", present, deflt);
  g_autofree char *c2 = hs_choose_database ("", "/y/b.db", present, deflt);
  g_autofree char *c3 = hs_choose_database (NULL, "", present, deflt);
  g_autofree char *c4 = hs_choose_database (NULL, NULL, gone, deflt);
  g_autofree char *c5 = NULL;

  /* --db wins, then $HINDSIGHT_DB (a file that may not exist yet: it is created), then the
   * last database if it is still there, then the default if it exists, else none. */
  g_assert_cmpstr (c1, ==, "/x/a.db");
  g_assert_cmpstr (c2, ==, "/y/b.db");
  g_assert_cmpstr (c3, ==, present);
  g_assert_null (c4);
  g_assert_true (g_file_set_contents (deflt, "", 0, NULL));
  c5 = hs_choose_database (NULL, NULL, gone, deflt);
  g_assert_cmpstr (c5, ==, deflt);
}

static void
test_open_database (void)
{
  g_autofree char *first = create_rich_db ("first.db");
  g_autofree char *second = create_empty_db ("second.db");
  g_autofree char *doomed = create_empty_db ("doomed.db");
  g_autoptr(GSettings) settings = hs_settings_new ();
  g_auto(GStrv) recent = NULL;
  HsWindow *window = hs_test_open_window (first);
  GMenuModel *menu = hs_window_get_recent_menu (window);
  g_autofree char *label = NULL;
  g_autofree char *target = NULL;

  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);

  /* The open action with a path: what the file chooser's answer and a recent item do. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.open-recent", "s",
                                             second));
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "loading");
  hs_test_wait_for_load (window);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  g_assert_cmpstr (hs_window_get_database_path (window), ==, second);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "second.db — Hindsight");
  recent = g_settings_get_strv (settings, "recent-databases");
  g_assert_cmpstrv (recent, ((const char *const[]) { second, first, NULL }));
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s",
                                                  &label));
  g_assert_true (g_str_has_prefix (label, "second.db ("));
  g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_TARGET, "s",
                                                  &target));
  g_assert_cmpstr (target, ==, first);

  /* A recent database that is gone: said, and taken off the list. */
  gtk_widget_activate_action (GTK_WIDGET (window), "window.open-recent", "s", doomed);
  hs_test_wait_for_load (window);
  g_assert_cmpint (g_unlink (doomed), ==, 0);
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-databases");
  g_assert_cmpuint (g_strv_length (recent), ==, 3);
  hs_window_set_database_path (window, first);
  hs_test_wait_for_load (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "window.open-recent", "s", doomed);
  g_assert_cmpstr (hs_window_get_database_path (window), ==, first);
  g_clear_pointer (&recent, g_strfreev);
  recent = g_settings_get_strv (settings, "recent-databases");
  g_assert_cmpstrv (recent, ((const char *const[]) { first, second, NULL }));
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  hs_test_close_window (window);
}

static void
test_welcome (void)
{
  g_autofree char *deflt = hs_default_database_path ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  HsWindow *window = NULL;

  hs_test_reset_settings ();
  window = hs_window_new (NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "welcome");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Hindsight");
  /* No recent databases yet: the submenu says so, with nothing to activate. */
  {
    GMenuModel *menu = hs_window_get_recent_menu (window);
    g_autofree char *action = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
    g_assert_false (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s",
                                                     &action));
  }
  shoot (window, "shell-welcome.png");
  hs_test_collect_labels (GTK_WIDGET (window), texts);
  g_assert_true (hs_test_texts_contain (texts, "Create a Database"));
  /* Where it will go (the isolated data folder is not under the isolated home, so no ~). */
  g_assert_true (hs_test_texts_contain (texts, deflt));

  /* "Create a Database" makes the default one. */
  g_assert_false (g_file_test (deflt, G_FILE_TEST_EXISTS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.create-database",
                                             NULL));
  hs_test_wait_for_load (window);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  g_assert_true (g_file_test (deflt, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (hs_window_get_database_path (window), ==, deflt);
  hs_test_close_window (window);
}

static void
test_overview_lists (void)
{
  g_autofree char *path = create_rich_db ("overview.db");
  HsWindow *window = hs_test_open_window (path);
  HsOverviewPage *overview = hs_window_get_overview_page (window);
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(GPtrArray) backtests = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  const HsOverview *o = NULL;

  wait_for_overview (window);
  g_assert_cmpstr (hs_overview_page_get_view (overview), ==, "content");
  o = hs_overview_page_get_overview (overview);
  g_assert_cmpint (o->n_instruments, ==, 3);

  /* Series by symbol: AAPL 1m, ETH-USD 1h, SPY 1d. */
  coverage = row_texts (hs_overview_page_get_list (overview, "coverage"));
  g_assert_cmpuint (coverage->len, ==, 3);
  assert_row_has (coverage, 0, "AAPL · 1m");
  assert_row_has (coverage, 0, "2024-03-04 14:30 → 2024-03-04 14:32 · 3 bars");
  assert_row_has (coverage, 1, "ETH-USD · 1h");
  /* 10 hours less 04:00, 05:00, 06:00: 7 bars, one gap of 3 (crypto: around the clock). */
  assert_row_has (coverage, 1, "7 bars · 1 gap (3 bars missing)");
  assert_row_has (coverage, 2, "SPY · 1d");
  assert_row_has (coverage, 2, "2024-01-02 → 2024-01-29 · 20 bars");
  {
    /* Each series draws its sparkline. SPY: 20 weekday bars over the 27 days from Jan 2 to
     * Jan 29 make 20 slices of 27/20 = 1.35 days; the bar d days after Jan 2 falls in slice
     * floor(d / 1.35). By hand: days 0 and 1 → slice 0 (it keeps day 1's close, 471); day 2 →
     * 1 (472); day 3 → 2 (473); nothing in slice 3 (the weekend of Jan 6–7: NaN, the line
     * breaks); day 6 → 4 (474); days 7 and 8 → 5 (476); …; day 27 (the last) → 19 (489). */
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (hs_overview_page_get_list (overview,
                                                                                   "coverage"),
                                                        2);
    GtkWidget *spark = hs_test_find_widget (GTK_WIDGET (row), HS_TYPE_SPARKLINE);
    size_t n = 0;
    const double *v = hs_sparkline_get_values (HS_SPARKLINE (spark), &n);

    g_assert_cmpuint (n, ==, 20);
    g_assert_cmpfloat (v[0], ==, 471);
    g_assert_cmpfloat (v[1], ==, 472);
    g_assert_cmpfloat (v[2], ==, 473);
    g_assert_true (isnan (v[3]));
    g_assert_cmpfloat (v[4], ==, 474);
    g_assert_cmpfloat (v[5], ==, 476);
    g_assert_cmpfloat (v[19], ==, 489);
  }

  /* Newest run first; numbers as the hand sees them: 0.1234 → +12.3 %. */
  backtests = row_texts (hs_overview_page_get_list (overview, "backtests"));
  g_assert_cmpuint (backtests->len, ==, 3);
  assert_row_has (backtests, 0, "breakout · SPY 1d");
  assert_row_has (backtests, 0, "−5.2 %");
  assert_row_has (backtests, 0, "Sharpe -0.40 · max drawdown 15.0 % · 30 trades");
  assert_row_has (backtests, 1, "rsi_reversion");
  assert_row_has (backtests, 1, "failed: no bars in the range");
  assert_row_has (backtests, 2, "sma_cross · SPY 1d");
  assert_row_has (backtests, 2, "+12.3 %");
  assert_row_has (backtests, 2, "2023-01-03 → 2024-01-02 · Sharpe 1.25 · max drawdown 8.1 % "
                                "· 12 trades");

  /* Priced now at the last stored AAPL close, 103 (the 14:32 bar):
   * long 10 @ 100 with 1 of fees: 30 − 1 = +29.00, 29 / 1000 = +2.9 %;
   * short 5 @ 105: (105 − 103) × 5 = +10.00, 10 / 525 = +1.9 %. */
  positions = row_texts (hs_overview_page_get_list (overview, "positions"));
  g_assert_cmpuint (positions->len, ==, 2);
  assert_row_has (positions, 0, "AAPL · long 10 @ 100.00");
  assert_row_has (positions, 0, "last 103.00 at 2024-03-04 14:33");
  assert_row_has (positions, 0, "+29.00 (+2.9 %)");
  assert_row_has (positions, 1, "AAPL · short 5 @ 105.00");
  assert_row_has (positions, 1, "+10.00 (+1.9 %)");

  alerts = row_texts (hs_overview_page_get_list (overview, "alerts"));
  g_assert_cmpuint (alerts->len, ==, 3);
  assert_row_has (alerts, 0, "sma_cross on SPY finished");
  assert_row_has (alerts, 1, "Polygon answered 429");
  assert_row_has (alerts, 2, "2024-03-04 10:00 · data gap · tests");

  shoot (window, "shell-overview-lists.png");

  /* A new AAPL bar (another connection, as a fetcher would write it): the page's periodic
   * repricing, here every second, shows the new P&L. Close 106: long (106 − 100) × 10 − 1 =
   * +59.00, +5.9 %; short (105 − 106) × 5 = −5.00, −1.0 %. */
  {
    g_autoptr(HsStore) store = hs_test_store_open (path);
    int64_t id = hs_test_store_instrument (store, "AAPL", "NASDAQ", "stock");

    hs_test_store_add_bar (store, id, "1m", hs_test_utc (2024, 3, 4, 14, 33), 106);
  }
  hs_overview_page_set_refresh_interval (overview, 1);
  for (;;)
    {
      g_autoptr(GPtrArray) now = row_texts (hs_overview_page_get_list (overview, "positions"));

      if (strstr (now->pdata[0], "+59.00 (+5.9 %)") != NULL)
        {
          assert_row_has (now, 1, "−5.00 (−1.0 %)");
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  hs_test_close_window (window);
}

static void
test_format (void)
{
  const struct
  {
    double      value;
    const char *price, *money, *fraction;
  } cases[] = {
    /* value   price       money      fraction (× 100, one decimal, true minus sign) */
    { 103,     "103.00",   "+103.00", "+10300.0 %" },
    { 0.4650,  "0.465",    "+0.47",   "+46.5 %" },
    { -2.5,    "-2.50",    "−2.50",   "−250.0 %" },
    { -0.0001, "-0.0001",  "+0.00",   "+0.0 %" },
    { 0,       "0.00",     "+0.00",   "+0.0 %" },
    { NAN,     "—",        "—",       "—" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *p = hs_overview_format_price (cases[i].value);
      g_autofree char *m = hs_overview_format_money (cases[i].value);
      g_autofree char *f = hs_overview_format_fraction (cases[i].value);

      g_assert_cmpstr (p, ==, cases[i].price);
      g_assert_cmpstr (m, ==, cases[i].money);
      g_assert_cmpstr (f, ==, cases[i].fraction);
    }
}

static void
test_empty_states (void)
{
  g_autofree char *path = create_empty_db ("empty.db");
  HsWindow *window = hs_test_open_window (path);
  HsOverviewPage *overview = hs_window_get_overview_page (window);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  wait_for_overview (window);
  g_assert_cmpstr (hs_overview_page_get_view (overview), ==, "empty");
  shoot (window, "shell-empty-overview.png");

  /* "Add a Data Source" goes to the Data page's sources. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.show-data-sources",
                                             NULL));
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "data");
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_collect_labels (GTK_WIDGET (window), texts);
  g_assert_true (hs_test_texts_contain (texts, "Data Sources"));
  /* The watch list (src/ui/hs-watch-panel.c) in place of the group's placeholder. */
  g_assert_true (hs_test_texts_contain (texts, "Watch List"));
  g_assert_true (hs_test_texts_contain (texts, "Add to the Watch List"));
  g_assert_false (hs_test_texts_contain (texts, "Provider Watch List"));
  g_ptr_array_set_size (texts, 0);

  /* A database with an instrument and nothing else: the lists say what goes in them. */
  {
    g_autoptr(HsStore) store = hs_test_store_open (path);

    hs_test_store_instrument (store, "MSFT", "NASDAQ", "stock");
  }
  hs_window_reload (window);
  hs_test_wait_for_load (window);
  wait_for_overview (window);
  hs_window_show_page (window, "overview");
  g_assert_cmpstr (hs_overview_page_get_view (overview), ==, "content");
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_collect_labels (GTK_WIDGET (window), texts);
  g_assert_true (hs_test_texts_contain (texts, "No data yet"));
  g_assert_true (hs_test_texts_contain (texts, "No open paper trades. Open one with "
                                               "hindsight-cli paper open; its P&L shows here."));
  g_assert_true (hs_test_texts_contain (texts, "No alerts."));
  shoot (window, "shell-sparse-overview.png");
  hs_test_close_window (window);
}

static void
test_dark (void)
{
  g_autofree char *path = create_rich_db ("dark.db");
  AdwStyleManager *style = adw_style_manager_get_default ();
  HsWindow *window = NULL;

  /* The app leaves the scheme to the system (ADW_COLOR_SCHEME_DEFAULT); a desktop that prefers
   * dark is what FORCE_DARK stands for here. */
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  window = hs_test_open_window (path);
  wait_for_overview (window);
  wait_for_bars (window);
  shoot (window, "shell-dark-overview.png");
  hs_window_show_page (window, "data");
  shoot (window, "shell-dark-data.png");
  hs_test_close_window (window);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* An accelerator the application binds, parsed. */
typedef struct
{
  guint            key;
  GdkModifierType  mods;
  char            *action;   /* detailed action name */
} Bound;

static void
bound_clear (Bound *b)
{
  g_free (b->action);
}

/* Every shortcut the shortcuts window lists is bound on the application to an action the
 * window or the application has, and the pages are Ctrl+1 … Ctrl+5 in sidebar order. */
static void
test_shortcuts (void)
{
  g_autoptr(HsApplication) app = hs_application_new ();
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bound = g_array_new (FALSE, TRUE, sizeof (Bound));
  g_autoptr(GPtrArray) window_actions = g_ptr_array_new ();
  g_auto(GStrv) actions = NULL;
  g_autoptr(GTypeClass) window_class = g_type_class_ref (HS_TYPE_WINDOW);
  GSList *objects = NULL;
  unsigned n_listed = 0;
  const char *name = NULL, *property = NULL;
  const GVariantType *parameter = NULL;
  GType owner = G_TYPE_INVALID;

  g_array_set_clear_func (bound, (GDestroyNotify) bound_clear);
  /* Registering runs startup, which binds the accelerators. */
  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app))
                                                | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (char **a = actions; *a != NULL; a++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), *a);

      for (char **k = accels; *k != NULL; k++)
        {
          Bound b = { .action = g_strdup (*a) };

          g_assert_true (gtk_accelerator_parse (*k, &b.key, &b.mods));
          g_array_append_val (bound, b);
        }
    }
  for (size_t i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *detailed = g_strdup_printf ("window.show-page('%s')", pages[i]);
      g_autofree char *key = g_strdup_printf ("<Control>%zu", i + 1);
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    detailed);

      g_assert_cmpstrv (accels, ((const char *const[]) { key, NULL }));
    }

  /* The shortcuts window's accelerators, each bound. */
  builder = gtk_builder_new_from_resource ("/io/github/hindsight/Hindsight/gtk/help-overlay.ui");
  objects = gtk_builder_get_objects (builder);
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *listed = NULL;
        g_auto(GStrv) keys = NULL;

        g_object_get (l->data, "accelerator", &listed, NULL);
        keys = g_strsplit (listed, " ", -1);
        for (char **k = keys; *k != NULL; k++)
          {
            guint key = 0;
            GdkModifierType mods = 0;
            gboolean found = FALSE;

            g_assert_true (gtk_accelerator_parse (*k, &key, &mods));
            for (guint i = 0; i < bound->len; i++)
              {
                const Bound *b = &g_array_index (bound, Bound, i);

                found |= b->key == key && b->mods == mods;
              }
            if (!found)
              g_error ("the shortcuts window lists %s, which no action is bound to", *k);
            n_listed++;
          }
      }
  g_slist_free (objects);
  /* Ctrl+O, Ctrl+N, Ctrl+I, F5, Ctrl+R, Ctrl+F; Ctrl+1 … Ctrl+5, F9; Ctrl+?, F1, Ctrl+W,
   * Ctrl+Q; Ctrl+, (Preferences). */
  g_assert_cmpuint (n_listed, ==, 17);

  /* Each bound action exists: the window's among the window class's actions, the
   * application's in the application. */
  for (guint i = 0; gtk_widget_class_query_action (GTK_WIDGET_CLASS (window_class), i, &owner,
                                                   &name, &parameter, &property); i++)
    g_ptr_array_add (window_actions, (gpointer) name);
  for (guint i = 0; i < bound->len; i++)
    {
      const Bound *b = &g_array_index (bound, Bound, i);
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_action_parse_detailed_name (b->action, &action, &target, NULL));
      if (g_str_has_prefix (action, "window."))
        g_assert_true (g_ptr_array_find_with_equal_func (window_actions, action, g_str_equal,
                                                         NULL));
      else if (g_str_has_prefix (action, "app."))
        g_assert_nonnull (g_action_map_lookup_action (G_ACTION_MAP (app), action + 4));
      else
        g_assert_cmpstr (action, ==, "win.show-help-overlay");
    }
}

static void
test_pages_new_destroy (void)
{
  GtkWidget *overview = g_object_ref_sink (hs_overview_page_new ());
  GtkWidget *data = g_object_ref_sink (hs_data_page_new ());
  GtkWidget *spark = g_object_ref_sink (hs_sparkline_new ());
  const double v[] = { 1, NAN, 3 };
  size_t n = 0;

  g_assert_cmpstr (hs_overview_page_get_view (HS_OVERVIEW_PAGE (overview)), ==, "loading");
  g_assert_null (hs_overview_page_get_overview (HS_OVERVIEW_PAGE (overview)));
  g_assert_false (hs_data_page_get_importing (HS_DATA_PAGE (data)));
  hs_sparkline_set_values (HS_SPARKLINE (spark), v, 3);
  g_assert_true (isnan (hs_sparkline_get_values (HS_SPARKLINE (spark), &n)[1]));
  g_assert_cmpuint (n, ==, 3);
  g_assert_finalize_object (overview);
  g_assert_finalize_object (data);
  g_assert_finalize_object (spark);
}

/* The application id is the GSettings schema's id (one id everywhere, docs/packaging.md), and
 * the resources the application loads by its base path (style.css, the shortcuts window) are
 * found there although the base path is not the one derived from the id. */
static void
test_application_id (void)
{
  g_autoptr(HsApplication) app = hs_application_new ();
  const char *base = NULL;
  g_autofree char *css = NULL;
  g_autofree char *overlay = NULL;

  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==,
                   HS_SETTINGS_SCHEMA);
  base = g_application_get_resource_base_path (G_APPLICATION (app));
  g_assert_nonnull (base);
  css = g_build_path ("/", base, "style.css", NULL);
  overlay = g_build_path ("/", base, "gtk", "help-overlay.ui", NULL);
  g_assert_true (g_resources_get_info (css, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));
  g_assert_true (g_resources_get_info (overlay, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL,
                                       NULL));
}

int
main (int   argc,
      char *argv[])
{
  hs_test_ui_init (&argc, &argv);

  g_test_add_func ("/hs/ui/shell/pages-new-destroy", test_pages_new_destroy);
  g_test_add_func ("/hs/ui/shell/format", test_format);
  g_test_add_func ("/hs/ui/shell/recent-list", test_recent_list);
  g_test_add_func ("/hs/ui/shell/choose-database", test_choose_database);
  g_test_add_func ("/hs/ui/shell/every-page", test_every_page);
  g_test_add_func ("/hs/ui/shell/navigation", test_navigation);
  g_test_add_func ("/hs/ui/shell/narrow", test_narrow);
  g_test_add_func ("/hs/ui/shell/settings-round-trip", test_settings_round_trip);
  g_test_add_func ("/hs/ui/shell/open-database", test_open_database);
  g_test_add_func ("/hs/ui/shell/welcome", test_welcome);
  g_test_add_func ("/hs/ui/shell/overview-lists", test_overview_lists);
  g_test_add_func ("/hs/ui/shell/empty-states", test_empty_states);
  g_test_add_func ("/hs/ui/shell/dark", test_dark);
  g_test_add_func ("/hs/ui/shell/shortcuts", test_shortcuts);
  g_test_add_func ("/hs/ui/shell/application-id", test_application_id);

  return g_test_run ();
}
