/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window on real databases: each case writes a database through the store API in its
 * own temporary folder, opens a window on it, spins the main loop until the coverage job has
 * answered (never sleeps), and reads back what the window shows, both the list model behind the
 * table and the labels the table draws. Renders each state to $HS_SCREENSHOT_DIR as PNG for a
 * reviewer. Runs under Xvfb: `xvfb-run -a meson test --suite gui`.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "hs-application.h"
#include "hs-coverage-item.h"
#include "hs-coverage-page.h"
#include "hs-store-market.h"
#include "hs-time.h"
#include "hs-ui.h"
#include "hs-window-private.h"
#include "hs-test-ui.h"

#define DAY_US ((int64_t) 86400 * G_USEC_PER_SEC)
#define MINUTE_US ((int64_t) 60 * G_USEC_PER_SEC)
#define HOUR_US ((int64_t) 3600 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static void
add_bars (HsStore    *store,
          int64_t     instrument_id,
          const char *interval,
          int64_t     first_ts,
          int64_t     step_us,
          int         n)
{
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < n; i++)
    {
      HsBar bar = {
        .ts = first_ts + i * step_us, .seq = 0,
        .open = 100 + i, .high = 102 + i, .low = 99 + i, .close = 101 + i, .volume = 1000,
        .vwap = NAN, .trade_count = -1,
      };
      gboolean inserted = FALSE;

      hs_store_insert_bar (store, instrument_id, interval, &bar, &inserted, &error);
      g_assert_no_error (error);
      g_assert_true (inserted);
    }
}

/* AAPL 1d ×3, BTC-USD 1m ×5 and 1h ×2, and SPY without data. */
static char *
create_sample_db (void)
{
  g_autofree char *path = hs_test_temp_path ("sample.db");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int64_t aapl = 0, btc = 0, spy = 0;

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  hs_store_begin (store, &error);
  g_assert_no_error (error);
  hs_store_ensure_instrument (store, "AAPL", "NASDAQ", "stock", &aapl, &error);
  g_assert_no_error (error);
  hs_store_ensure_instrument (store, "BTC-USD", "COINBASE", "crypto", &btc, &error);
  g_assert_no_error (error);
  hs_store_ensure_instrument (store, "SPY", "ARCA", "etf", &spy, &error);
  g_assert_no_error (error);
  add_bars (store, aapl, "1d", hs_test_utc (2024, 1, 2, 0, 0), DAY_US, 3);
  add_bars (store, btc, "1m", hs_test_utc (2024, 3, 1, 14, 30), MINUTE_US, 5);
  add_bars (store, btc, "1h", hs_test_utc (2023, 12, 31, 22, 0), HOUR_US, 2);
  hs_store_commit (store, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
create_empty_db (void)
{
  g_autofree char *path = hs_test_temp_path ("empty.db");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

typedef struct
{
  const char *symbol, *exchange, *kind, *data, *interval;
  int64_t     first_ts, last_ts, rows;
} Expected;

static void
assert_item (HsCoverageItem *item,
             const Expected *e)
{
  g_assert_cmpstr (hs_coverage_item_get_symbol (item), ==, e->symbol);
  g_assert_cmpstr (hs_coverage_item_get_exchange (item), ==, e->exchange);
  g_assert_cmpstr (hs_coverage_item_get_kind (item), ==, e->kind);
  g_assert_cmpstr (hs_coverage_item_get_data (item), ==, e->data);
  g_assert_cmpstr (hs_coverage_item_get_interval (item), ==, e->interval);
  g_assert_cmpint (hs_coverage_item_get_first_ts (item), ==, e->first_ts);
  g_assert_cmpint (hs_coverage_item_get_last_ts (item), ==, e->last_ts);
  g_assert_cmpint (hs_coverage_item_get_rows (item), ==, e->rows);
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                       */

static void
test_window_coverage (void)
{
  g_autofree char *path = create_sample_db ();
  const Expected expected[] = {
    { "AAPL", "NASDAQ", "stock", "candles", "1d",
      hs_test_utc (2024, 1, 2, 0, 0), hs_test_utc (2024, 1, 4, 0, 0), 3 },
    { "BTC-USD", "COINBASE", "crypto", "candles", "1m",
      hs_test_utc (2024, 3, 1, 14, 30), hs_test_utc (2024, 3, 1, 14, 34), 5 },
    { "BTC-USD", "COINBASE", "crypto", "candles", "1h",
      hs_test_utc (2023, 12, 31, 22, 0), hs_test_utc (2023, 12, 31, 23, 0), 2 },
    { "SPY", "ARCA", "etf", NULL, NULL, 0, 0, 0 },
  };
  /* What the table draws for those rows, column by column. */
  const char *shown[] = {
    "AAPL", "NASDAQ", "Stock", "Candles", "1d", "2024-01-02", "2024-01-04", "3",
    "BTC-USD", "COINBASE", "Crypto", "1m", "2024-03-01 14:30", "2024-03-01 14:34", "5",
    "1h", "2023-12-31 22:00", "2023-12-31 23:00", "2",
    "SPY", "ARCA", "ETF", "No data", "—",
    "Symbol", "First Bar (UTC)", "Last Bar (UTC)", "Rows",
  };
  HsWindow *window = hs_test_open_window (path);
  HsCoveragePage *page = hs_window_get_coverage_page (window);
  GListModel *model = hs_coverage_page_get_model (page);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *basename = g_path_get_basename (path);
  GtkWidget *column_view = NULL;

  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  g_assert_null (hs_window_get_error_message (window));
  g_assert_cmpstr (hs_window_get_database_path (window), ==, path);
  /* The table is on the Data page. */
  hs_window_show_page (window, "data");

  /* The model behind the table, in its natural order (1m before 1h: by bar length). */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected));
  for (unsigned i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(HsCoverageItem) item = g_list_model_get_item (model, i);

      assert_item (item, &expected[i]);
    }
  g_assert_cmpstr (hs_coverage_page_get_summary (page), ==,
                   "3 instruments · 3 series · 10 rows");

  /* What a person sees: the header names the file, the table's labels carry the values. */
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), basename));
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  column_view = hs_test_find_widget (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW);
  g_assert_nonnull (column_view);
  g_assert_true (gtk_widget_get_mapped (column_view));
  hs_test_collect_labels (column_view, texts);
  for (size_t i = 0; i < G_N_ELEMENTS (shown); i++)
    if (!hs_test_texts_contain (texts, shown[i]))
      g_error ("the table does not show “%s”", shown[i]);

  {
    unsigned n_checked = 0;

    hs_test_assert_controls_named (GTK_WIDGET (window), &n_checked);
    g_assert_cmpuint (n_checked, >=, 4);   /* reload, search, menu, search entry … */
  }

  hs_test_save_screenshot (GTK_WIDGET (window), "window-coverage.png");
  hs_test_close_window (window);
}

static void
test_window_search (void)
{
  g_autofree char *path = create_sample_db ();
  HsWindow *window = hs_test_open_window (path);
  HsCoveragePage *page = hs_window_get_coverage_page (window);
  GListModel *model = hs_coverage_page_get_model (page);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  /* The entry filters after its search delay; spin until the model follows. */
  hs_coverage_page_set_search_text (page, "coin");
  g_assert_true (hs_coverage_page_get_search_mode_enabled (page));
  while (g_list_model_get_n_items (model) != 2)
    g_main_context_iteration (NULL, TRUE);
  for (unsigned i = 0; i < 2; i++)
    {
      g_autoptr(HsCoverageItem) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (hs_coverage_item_get_symbol (item), ==, "BTC-USD");
    }

  hs_coverage_page_set_search_text (page, "etf");
  while (g_list_model_get_n_items (model) != 1)
    g_main_context_iteration (NULL, TRUE);

  hs_coverage_page_set_search_text (page, "no such thing");
  while (g_list_model_get_n_items (model) != 0)
    g_main_context_iteration (NULL, TRUE);
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  hs_test_save_screenshot (GTK_WIDGET (window), "window-no-results.png");

  /* Leaving search shows every row again. */
  hs_coverage_page_set_search_mode_enabled (page, FALSE);
  while (g_list_model_get_n_items (model) != 4)
    g_main_context_iteration (NULL, TRUE);

  hs_test_close_window (window);
}

static void
test_window_empty (void)
{
  g_autofree char *path = create_empty_db ();
  HsWindow *window = hs_test_open_window (path);
  HsOverviewPage *overview = hs_window_get_overview_page (window);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "overview");
  g_assert_cmpuint (g_list_model_get_n_items (hs_coverage_page_get_model (
                      hs_window_get_coverage_page (window))), ==, 0);
  while (hs_overview_page_get_loading (overview))
    g_main_context_iteration (NULL, TRUE);
  /* An empty database: the Overview welcomes and tells what to do. */
  g_assert_cmpstr (hs_overview_page_get_view (overview), ==, "empty");

  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  hs_test_collect_labels (GTK_WIDGET (window), texts);
  g_assert_true (hs_test_texts_contain (texts, "Welcome to Hindsight"));
  g_assert_true (hs_test_texts_contain (texts, "Import a CSV File…"));
  g_assert_true (hs_test_texts_contain (texts, "Add a Data Source"));

  {
    unsigned n_checked = 0;

    hs_test_assert_controls_named (GTK_WIDGET (window), &n_checked);
    g_assert_cmpuint (n_checked, >=, 6);   /* reload, import, menu, and the page's buttons */
  }

  hs_test_save_screenshot (GTK_WIDGET (window), "window-empty.png");
  hs_test_close_window (window);
}

static void
test_window_default_database (void)
{
  g_autofree char *path = hs_default_database_path ();
  HsWindow *window = NULL;

  /* The default database (in the isolated data folder): the window creates folder and file. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  window = hs_test_open_window (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  hs_test_close_window (window);
}

static void
test_window_error (void)
{
  g_autofree char *path = hs_test_temp_path ("not-a-database.db");
  HsWindow *window = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "this is a text file, not SQLite, and long enough to be read\n"
                             "as a header: 0123456789012345678901234567890123456789\n", -1,
                       &error);
  g_assert_no_error (error);

  window = hs_test_open_window (path);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "error");
  g_assert_nonnull (hs_window_get_error_message (window));
  g_assert_true (strstr (hs_window_get_error_message (window), path) != NULL);
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  hs_test_save_screenshot (GTK_WIDGET (window), "window-error.png");

  /* Switching the window to a good database recovers. */
  g_free (path);
  path = create_sample_db ();
  hs_window_set_database_path (window, path);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "loading");
  hs_test_wait_for_load (window);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  g_assert_null (hs_window_get_error_message (window));
  hs_test_close_window (window);
}

static void
test_window_reload (void)
{
  g_autofree char *path = create_sample_db ();
  HsWindow *window = hs_test_open_window (path);
  GListModel *model = hs_coverage_page_get_model (hs_window_get_coverage_page (window));
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  /* Another connection adds data; two reloads in a row: the first is superseded. */
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  hs_store_ensure_instrument (store, "QQQ", "NASDAQ", "etf", &id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, hs_store_close);

  hs_window_reload (window);
  hs_window_reload (window);
  g_assert_true (hs_window_get_loading (window));
  /* The pages stay while the new result is on its way. */
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  hs_test_wait_for_load (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  hs_test_close_window (window);
}

static void
test_window_new_destroy (void)
{
  g_autofree char *path = create_empty_db ();
  HsWindow *window = hs_window_new (NULL, path);

  /* Destroyed while its job runs: the late result must find no window and do nothing. */
  g_assert_true (hs_window_get_loading (window));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* Let the orphaned job finish before the case's folder goes away. */
  window = hs_test_open_window (path);
  hs_test_close_window (window);
}

static void
test_coverage_format (void)
{
  g_autofree char *t1 = hs_coverage_format_time (hs_test_utc (2024, 1, 2, 0, 0), "candles", "1d");
  g_autofree char *t2 = hs_coverage_format_time (hs_test_utc (2024, 1, 2, 14, 30), "candles", "1d");
  g_autofree char *t3 = hs_coverage_format_time (hs_test_utc (2024, 1, 2, 14, 30), "candles", "5m");
  g_autofree char *t4 = hs_coverage_format_time (hs_test_utc (2024, 1, 2, 14, 30) + 5250000, "trades",
                                                 NULL);
  g_autofree char *t5 = hs_coverage_format_time (hs_test_utc (2024, 1, 2, 14, 30) + 5000000, "candles",
                                                 "1s");
  g_autofree char *t6 = hs_coverage_format_time (hs_test_utc (2024, 2, 1, 0, 0), "candles", "1mo");
  g_autofree char *c1 = hs_coverage_format_count (0);
  g_autofree char *c2 = hs_coverage_format_count (999);
  g_autofree char *c3 = hs_coverage_format_count (4380112);
  g_autofree char *p_default = hs_default_database_path ();

  g_assert_cmpstr (t1, ==, "2024-01-02");
  g_assert_cmpstr (t2, ==, "2024-01-02 14:30");     /* a daily bar not at midnight */
  g_assert_cmpstr (t3, ==, "2024-01-02 14:30");
  g_assert_cmpstr (t4, ==, "2024-01-02 14:30:05.250");
  g_assert_cmpstr (t5, ==, "2024-01-02 14:30:05");
  g_assert_cmpstr (t6, ==, "2024-02-01");

  /* The locale's thousands separator (en_US: a comma), or narrow no-break spaces without one
   * (the C locale, where en_US.UTF-8 is not installed). */
  {
    const char *sep = localeconv ()->thousands_sep;
    g_autofree char *expected = NULL;

    if (sep == NULL || sep[0] == '\0')
      sep = "\u202f";
    expected = g_strdup_printf ("4%s380%s112", sep, sep);
    g_assert_cmpstr (c1, ==, "0");
    g_assert_cmpstr (c2, ==, "999");
    g_assert_cmpstr (c3, ==, expected);
  }

  g_assert_cmpstr (hs_coverage_kind_label ("etf"), ==, "ETF");
  g_assert_cmpstr (hs_coverage_data_label ("orderbook"), ==, "Order book");
  g_assert_cmpstr (hs_coverage_data_label (NULL), ==, "No data");

  g_assert_true (g_str_has_suffix (p_default, "/hindsight/hindsight.db"));
}

static void
test_coverage_item_new_destroy (void)
{
  HsCoverage cov = { .symbol = (char *) "ES", .exchange = NULL, .kind = (char *) "future",
                     .data = NULL, .interval = NULL, .first_ts = 7, .last_ts = 9, .rows = 3 };
  HsCoverageItem *item = hs_coverage_item_new (&cov);

  /* No data: the store's zero-valued columns are not believed. */
  g_assert_cmpstr (hs_coverage_item_get_exchange (item), ==, "");
  g_assert_cmpint (hs_coverage_item_get_rows (item), ==, 0);
  g_assert_cmpint (hs_coverage_item_get_first_ts (item), ==, 0);
  g_assert_finalize_object (item);
}

static void
test_coverage_page_new_destroy (void)
{
  GtkWidget *page = g_object_ref_sink (hs_coverage_page_new ());

  g_assert_cmpuint (g_list_model_get_n_items (hs_coverage_page_get_model (
                      HS_COVERAGE_PAGE (page))), ==, 0);
  g_assert_finalize_object (page);
}

int
main (int   argc,
      char *argv[])
{
  hs_test_ui_init (&argc, &argv);

  g_test_add_func ("/hs/ui/coverage/format", test_coverage_format);
  g_test_add_func ("/hs/ui/coverage/item-new-destroy", test_coverage_item_new_destroy);
  g_test_add_func ("/hs/ui/coverage/page-new-destroy", test_coverage_page_new_destroy);
  g_test_add_func ("/hs/ui/window/coverage", test_window_coverage);
  g_test_add_func ("/hs/ui/window/search", test_window_search);
  g_test_add_func ("/hs/ui/window/empty", test_window_empty);
  g_test_add_func ("/hs/ui/window/default-database", test_window_default_database);
  g_test_add_func ("/hs/ui/window/error", test_window_error);
  g_test_add_func ("/hs/ui/window/reload", test_window_reload);
  g_test_add_func ("/hs/ui/window/new-destroy", test_window_new_destroy);

  return g_test_run ();
}
