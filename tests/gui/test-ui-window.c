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

#define DAY_US ((int64_t) 86400 * G_USEC_PER_SEC)
#define MINUTE_US ((int64_t) 60 * G_USEC_PER_SEC)
#define HOUR_US ((int64_t) 3600 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static char *
temp_db_path (const char *name)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives every case its own data folder, removed afterwards. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static int64_t
utc (int y, int m, int d, int hh, int mm)
{
  return (hs_time_days_from_civil (y, (unsigned) m, (unsigned) d) * 86400
          + hh * 3600 + mm * 60) * G_USEC_PER_SEC;
}

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
  g_autofree char *path = temp_db_path ("sample.db");
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
  add_bars (store, aapl, "1d", utc (2024, 1, 2, 0, 0), DAY_US, 3);
  add_bars (store, btc, "1m", utc (2024, 3, 1, 14, 30), MINUTE_US, 5);
  add_bars (store, btc, "1h", utc (2023, 12, 31, 22, 0), HOUR_US, 2);
  hs_store_commit (store, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
create_empty_db (void)
{
  g_autofree char *path = temp_db_path ("empty.db");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
wait_for_load (HsWindow *window)
{
  while (hs_window_get_loading (window))
    g_main_context_iteration (NULL, TRUE);
}

static void
count_paint_cb (GdkFrameClock *clock,
                int           *count)
{
  (*count)++;
}

/* Spins until @window has been laid out and painted @n more times, so that list items exist. */
static void
wait_for_frames (GtkWidget *window,
                 int        n)
{
  GdkFrameClock *clock = NULL;
  int count = 0;
  gulong id;

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb), &count);
  while (count < n)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

/* Renders @widget as it is on screen into $HS_SCREENSHOT_DIR/@name, when that is set. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL || dir[0] == '\0')
    return;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, texts);
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
texts_contain (GPtrArray  *texts,
               const char *text)
{
  for (unsigned i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

static HsWindow *
open_window (const char *path)
{
  HsWindow *window = hs_window_new (NULL, path);

  gtk_window_present (GTK_WINDOW (window));
  wait_for_load (window);
  return window;
}

static void
close_window (HsWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
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

/* Every button a person can press, and the search entry, has a visible label or an accessible
 * name. (The toggle button inside a GtkMenuButton is named through the menu button.) */
static void
assert_controls_named (GtkWidget *widget,
                       unsigned  *n_checked)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  const char *label = NULL;
  gboolean control = FALSE;

  if (!gtk_widget_get_visible (widget))
    return;   /* e.g. the search bar's close button, which this app does not show */
  if (GTK_IS_MENU_BUTTON (widget))
    {
      label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      control = TRUE;
    }
  else if (GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (parent))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));   /* NULL for icon buttons */
      control = TRUE;
    }
  else if (GTK_IS_SEARCH_ENTRY (widget))
    control = TRUE;

  if (control)
    {
      if ((label == NULL || label[0] == '\0')
          && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("a %s (in a %s, icon %s) has neither a label nor an accessible name",
                 G_OBJECT_TYPE_NAME (widget), G_OBJECT_TYPE_NAME (parent),
                 GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : "-");
      (*n_checked)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_controls_named (child, n_checked);
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                       */

static void
test_window_coverage (void)
{
  g_autofree char *path = create_sample_db ();
  const Expected expected[] = {
    { "AAPL", "NASDAQ", "stock", "candles", "1d",
      utc (2024, 1, 2, 0, 0), utc (2024, 1, 4, 0, 0), 3 },
    { "BTC-USD", "COINBASE", "crypto", "candles", "1m",
      utc (2024, 3, 1, 14, 30), utc (2024, 3, 1, 14, 34), 5 },
    { "BTC-USD", "COINBASE", "crypto", "candles", "1h",
      utc (2023, 12, 31, 22, 0), utc (2023, 12, 31, 23, 0), 2 },
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
  HsWindow *window = open_window (path);
  HsCoveragePage *page = hs_window_get_coverage_page (window);
  GListModel *model = hs_coverage_page_get_model (page);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *basename = g_path_get_basename (path);
  GtkWidget *column_view = NULL;

  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "coverage");
  g_assert_null (hs_window_get_error_message (window));
  g_assert_cmpstr (hs_window_get_database_path (window), ==, path);

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
  wait_for_frames (GTK_WIDGET (window), 2);
  column_view = find_widget (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW);
  g_assert_nonnull (column_view);
  g_assert_true (gtk_widget_get_mapped (column_view));
  collect_labels (column_view, texts);
  for (size_t i = 0; i < G_N_ELEMENTS (shown); i++)
    if (!texts_contain (texts, shown[i]))
      g_error ("the table does not show “%s”", shown[i]);

  {
    unsigned n_checked = 0;

    assert_controls_named (GTK_WIDGET (window), &n_checked);
    g_assert_cmpuint (n_checked, >=, 4);   /* reload, search, menu, search entry … */
  }

  save_screenshot (GTK_WIDGET (window), "window-coverage.png");
  close_window (window);
}

static void
test_window_search (void)
{
  g_autofree char *path = create_sample_db ();
  HsWindow *window = open_window (path);
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
  wait_for_frames (GTK_WIDGET (window), 2);
  save_screenshot (GTK_WIDGET (window), "window-no-results.png");

  /* Leaving search shows every row again. */
  hs_coverage_page_set_search_mode_enabled (page, FALSE);
  while (g_list_model_get_n_items (model) != 4)
    g_main_context_iteration (NULL, TRUE);

  close_window (window);
}

static void
test_window_empty (void)
{
  g_autofree char *path = create_empty_db ();
  g_autofree char *quoted = g_shell_quote (path);
  HsWindow *window = open_window (path);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "empty");
  /* Not the default database, so the command has to name it. */
  g_assert_true (strstr (hs_window_get_import_command (window), "hindsight-cli --db ") != NULL);
  g_assert_true (strstr (hs_window_get_import_command (window), quoted) != NULL);
  g_assert_true (strstr (hs_window_get_import_command (window),
                         "import bars FILE --symbol S --interval 1d") != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (hs_coverage_page_get_model (
                      hs_window_get_coverage_page (window))), ==, 0);

  wait_for_frames (GTK_WIDGET (window), 2);
  collect_labels (GTK_WIDGET (window), texts);
  g_assert_true (texts_contain (texts, "No Market Data Yet"));
  g_assert_true (texts_contain (texts, hs_window_get_import_command (window)));
  g_assert_true (texts_contain (texts, "build-aux/dev.sh run"));

  {
    unsigned n_checked = 0;

    assert_controls_named (GTK_WIDGET (window), &n_checked);
    g_assert_cmpuint (n_checked, >=, 6);   /* … and the copy and reload buttons */
  }

  save_screenshot (GTK_WIDGET (window), "window-empty.png");
  close_window (window);
}

static void
test_window_default_command (void)
{
  g_autofree char *path = hs_default_database_path ();
  HsWindow *window = NULL;

  /* The default database (in the isolated data folder): the window creates folder and file. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  window = open_window (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "empty");
  g_assert_cmpstr (hs_window_get_import_command (window), ==,
                   "hindsight-cli import bars FILE --symbol S --interval 1d");
  close_window (window);
}

static void
test_window_error (void)
{
  g_autofree char *path = temp_db_path ("not-a-database.db");
  HsWindow *window = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "this is a text file, not SQLite, and long enough to be read\n"
                             "as a header: 0123456789012345678901234567890123456789\n", -1,
                       &error);
  g_assert_no_error (error);

  window = open_window (path);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "error");
  g_assert_nonnull (hs_window_get_error_message (window));
  g_assert_true (strstr (hs_window_get_error_message (window), path) != NULL);
  wait_for_frames (GTK_WIDGET (window), 2);
  save_screenshot (GTK_WIDGET (window), "window-error.png");

  /* Switching the window to a good database recovers. */
  g_free (path);
  path = create_sample_db ();
  hs_window_set_database_path (window, path);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "loading");
  wait_for_load (window);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "coverage");
  g_assert_null (hs_window_get_error_message (window));
  close_window (window);
}

static void
test_window_reload (void)
{
  g_autofree char *path = create_sample_db ();
  HsWindow *window = open_window (path);
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
  /* The table stays while the new result is on its way. */
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "coverage");
  wait_for_load (window);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  close_window (window);
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
  window = open_window (path);
  close_window (window);
}

static void
test_coverage_format (void)
{
  g_autofree char *t1 = hs_coverage_format_time (utc (2024, 1, 2, 0, 0), "candles", "1d");
  g_autofree char *t2 = hs_coverage_format_time (utc (2024, 1, 2, 14, 30), "candles", "1d");
  g_autofree char *t3 = hs_coverage_format_time (utc (2024, 1, 2, 14, 30), "candles", "5m");
  g_autofree char *t4 = hs_coverage_format_time (utc (2024, 1, 2, 14, 30) + 5250000, "trades",
                                                 NULL);
  g_autofree char *t5 = hs_coverage_format_time (utc (2024, 1, 2, 14, 30) + 5000000, "candles",
                                                 "1s");
  g_autofree char *t6 = hs_coverage_format_time (utc (2024, 2, 1, 0, 0), "candles", "1mo");
  g_autofree char *c1 = hs_coverage_format_count (0);
  g_autofree char *c2 = hs_coverage_format_count (999);
  g_autofree char *c3 = hs_coverage_format_count (4380112);
  g_autofree char *p1 = hs_resolve_database_path ("/x/a.db", "/y/b.db");
  g_autofree char *p2 = hs_resolve_database_path ("", "/y/b.db");
  g_autofree char *p3 = hs_resolve_database_path (NULL, "");
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

  g_assert_cmpstr (p1, ==, "/x/a.db");
  g_assert_cmpstr (p2, ==, "/y/b.db");
  g_assert_cmpstr (p3, ==, p_default);
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

/* The look the application gives itself: its style sheet and icons from the resource. */
static void
load_app_style (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/hindsight/Hindsight/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/io/github/hindsight/Hindsight/icons");
}

/* G_TEST_OPTION_ISOLATE_DIRS also replaces $XDG_DATA_DIRS, where the MIME database (which
 * gdk-pixbuf needs to load SVG icons), GSettings schemas (which libadwaita requires) and the
 * icon theme live. Point all three back at the system's folders; the user folders, where the
 * databases go, stay isolated. */
static void
use_system_data_dirs (char **system_dirs)
{
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) schema_dirs = g_string_new (NULL);

  for (char **dir = system_dirs; *dir != NULL; dir++)
    {
      g_autofree char *schemas = g_build_filename (*dir, "glib-2.0", "schemas", NULL);
      g_autofree char *mime = g_build_filename (*dir, "mime", NULL);

      if (g_file_test (schemas, G_FILE_TEST_IS_DIR))
        g_string_append_printf (schema_dirs, "%s%s",
                                schema_dirs->len ? G_SEARCHPATH_SEPARATOR_S : "", schemas);
      if (g_file_test (mime, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (mime_dirs, g_steal_pointer (&mime));
    }
  g_ptr_array_add (mime_dirs, NULL);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dirs->str, TRUE);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
}

static void
use_system_icons (char **system_dirs)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  for (char **dir = system_dirs; *dir != NULL; dir++)
    {
      g_autofree char *icons = g_build_filename (*dir, "icons", NULL);

      if (g_file_test (icons, G_FILE_TEST_IS_DIR))
        gtk_icon_theme_add_search_path (theme, icons);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Read as g_get_system_data_dirs() would, without filling GLib's cache that
   * G_TEST_OPTION_ISOLATE_DIRS then replaces (and leaks). */
  const char *xdg_data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto(GStrv) system_dirs = g_strsplit (xdg_data_dirs != NULL && xdg_data_dirs[0] != '\0'
                                            ? xdg_data_dirs : "/usr/local/share/:/usr/share/",
                                          G_SEARCHPATH_SEPARATOR_S, 0);

  /* This is gtk_test_init() with G_TEST_OPTION_ISOLATE_DIRS: GTK 4.8's gtk_test_init() passes
   * no options to g_test_init() (its varargs are "currently unused"), and g_test_init() cannot
   * be called twice. Keep the two in step. */
  /* GTK's test accessibility backend: no AT-SPI bus needed, and accessible properties can be
   * checked with gtk_test_accessible_has_property(). tests/e2e/ covers the real bus. */
  g_setenv ("GTK_A11Y", "test", FALSE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "en_US.UTF-8");
  use_system_data_dirs (system_dirs);
  gtk_init ();
  adw_init ();
  use_system_icons (system_dirs);
  hs_ui_init ();
  load_app_style ();
  /* Screenshots and assertions must not catch a stack's crossfade halfway. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/hs/ui/coverage/format", test_coverage_format);
  g_test_add_func ("/hs/ui/coverage/item-new-destroy", test_coverage_item_new_destroy);
  g_test_add_func ("/hs/ui/coverage/page-new-destroy", test_coverage_page_new_destroy);
  g_test_add_func ("/hs/ui/window/coverage", test_window_coverage);
  g_test_add_func ("/hs/ui/window/search", test_window_search);
  g_test_add_func ("/hs/ui/window/empty", test_window_empty);
  g_test_add_func ("/hs/ui/window/default-command", test_window_default_command);
  g_test_add_func ("/hs/ui/window/error", test_window_error);
  g_test_add_func ("/hs/ui/window/reload", test_window_reload);
  g_test_add_func ("/hs/ui/window/new-destroy", test_window_new_destroy);

  return g_test_run ();
}
