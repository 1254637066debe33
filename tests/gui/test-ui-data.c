/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Data page on real SQLite files: files go through the path the window's drop target takes
 * (hs_window_import_files()), the import dialog proposes what the names say, the import runs
 * on a worker with its progress reaching 100 % and the instrument appearing in the table; a
 * bad CSV is refused with its FILE:LINE and leaves the database as it was; a running import is
 * cancelled; the chart area hands the selected series' bars to the chart widget set from
 * outside; and the demo data loads from the window. Screenshots: data-*.png.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-coverage-item.h"
#include "hs-data-page.h"
#include "hs-import-dialog.h"
#include "hs-store-market.h"
#include "hs-test-db.h"
#include "hs-test-ui.h"
#include "hs-window-private.h"

static char *
create_empty_db (const char *name)
{
  g_autofree char *path = hs_test_temp_path (name);

  hs_store_close (hs_test_store_open (path));
  return g_steal_pointer (&path);
}

static char *
write_file (const char *name,
            const char *text)
{
  g_autofree char *path = hs_test_temp_path (name);

  hs_test_write_text (path, text);
  return g_steal_pointer (&path);
}

/* Drops @paths on @window as its drop target does, and returns the import dialog. */
static HsImportDialog *
drop_files (HsWindow          *window,
            const char *const *paths)
{
  g_autoptr(GSList) files = NULL;
  GtkWidget *dialog = NULL;

  for (const char *const *p = paths; *p != NULL; p++)
    files = g_slist_append (files, g_file_new_for_path (*p));
  hs_window_import_files (window, files);
  g_slist_free_full (g_steal_pointer (&files), g_object_unref);
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "data");
  dialog = hs_data_page_get_import_dialog (hs_window_get_data_page (window));
  g_assert_true (HS_IS_IMPORT_DIALOG (dialog));
  g_assert_true (gtk_widget_get_visible (dialog));
  return HS_IMPORT_DIALOG (dialog);
}

static void
max_progress_cb (HsDataPage *page,
                 GParamSpec *pspec,
                 double     *max)
{
  *max = MAX (*max, hs_data_page_get_progress (page));
}

static void
wait_for_import (HsDataPage *page)
{
  while (hs_data_page_get_importing (page))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_bars (HsDataPage *page)
{
  while (hs_data_page_get_loading_bars (page))
    g_main_context_iteration (NULL, TRUE);
}

static HsCoverageItem *
find_item (HsWindow   *window,
           const char *symbol)
{
  GListModel *model = hs_coverage_page_get_model (hs_window_get_coverage_page (window));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HsCoverageItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (hs_coverage_item_get_symbol (item), symbol))
        return item;   /* the model keeps its own reference */
    }
  return NULL;
}

static const char *
combo_text (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return gtk_string_object_get_string (item);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_import_by_drop (void)
{
  g_autofree char *db = create_empty_db ("drop.db");
  /* Five daily bars of a made-up XYZ; the name says symbol and interval. */
  g_autofree char *csv = write_file ("xyz_daily.csv",
                                     "Date,Open,High,Low,Close,Volume\n"
                                     "2024-01-02,10,11,9.5,10.5,1000\n"
                                     "2024-01-03,10.5,11.5,10,11,1200\n"
                                     "2024-01-04,11,12,10.8,11.9,900\n"
                                     "2024-01-05,11.9,12.4,11.5,12.2,1500\n"
                                     "2024-01-08,12.2,12.3,11,11.2,1700\n");
  const char *paths[] = { csv, NULL };
  HsWindow *window = hs_test_open_window (db);
  HsDataPage *page = hs_window_get_data_page (window);
  HsImportDialog *dialog = NULL;
  HsCoverageItem *item = NULL;
  const HsBars *bars = NULL;
  double max_progress = 0;

  hs_window_show_page (window, "data");
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_save_screenshot (GTK_WIDGET (window), "data-empty.png");

  dialog = drop_files (window, paths);
  g_assert_cmpuint (hs_import_dialog_get_n_files (dialog), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (hs_import_dialog_get_symbol_row (dialog,
                                                                                          0))),
                   ==, "XYZ");
  g_assert_cmpstr (combo_text (hs_import_dialog_get_kind_row (dialog, 0)), ==, "Bars (OHLCV)");
  g_assert_cmpstr (combo_text (hs_import_dialog_get_interval_row (dialog, 0)), ==, "1d");
  g_assert_true (hs_import_dialog_get_ready (dialog));
  hs_test_wait_for_frames (GTK_WIDGET (dialog), 2);
  hs_test_save_screenshot (GTK_WIDGET (dialog), "data-import-dialog.png");

  g_signal_connect (page, "notify::progress", G_CALLBACK (max_progress_cb), &max_progress);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "import");
  g_assert_true (hs_data_page_get_importing (page));
  wait_for_import (page);
  g_signal_handlers_disconnect_by_func (page, max_progress_cb, &max_progress);
  g_assert_cmpfloat (max_progress, ==, 1.0);
  g_assert_cmpfloat (hs_data_page_get_progress (page), ==, 1.0);
  g_assert_null (hs_data_page_get_last_error (page));
  g_assert_cmpint (hs_test_count_bars (db, "XYZ", "1d"), ==, 5);

  /* The page asked the window to reload: XYZ is in the table, selected, its bars read. */
  hs_test_wait_for_load (window);
  item = find_item (window, "XYZ");
  g_assert_nonnull (item);
  g_assert_cmpint (hs_coverage_item_get_rows (item), ==, 5);
  wait_for_bars (page);
  bars = hs_data_page_get_bars (page);
  g_assert_nonnull (bars);
  g_assert_cmpuint (bars->n, ==, 5);
  g_assert_cmpfloat (bars->close[4], ==, 11.2);
  g_assert_cmpstr (hs_data_page_get_chart_title (page), ==, "XYZ · 1d");
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_save_screenshot (GTK_WIDGET (window), "data-imported.png");
  hs_test_close_window (window);
}

static void
test_import_bad_csv (void)
{
  g_autofree char *db = create_empty_db ("bad.db");
  /* Line 3 (the second data row) has a high that is not a number. */
  g_autofree char *csv = write_file ("bad_daily.csv",
                                     "timestamp,open,high,low,close,volume\n"
                                     "2024-01-02,5,6,4,5.5,100\n"
                                     "2024-01-03,5.5,abc,5,5.8,100\n");
  g_autofree char *where = g_strdup_printf ("%s:3: ", csv);
  const char *paths[] = { csv, NULL };
  HsWindow *window = hs_test_open_window (db);
  HsDataPage *page = hs_window_get_data_page (window);
  HsImportDialog *dialog = drop_files (window, paths);
  GtkWidget *error_dialog = NULL;

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "import");
  wait_for_import (page);
  g_assert_nonnull (hs_data_page_get_last_error (page));
  if (!g_str_has_prefix (hs_data_page_get_last_error (page), where))
    g_error ("“%s” does not start with “%s”", hs_data_page_get_last_error (page), where);
  g_assert_nonnull (strstr (hs_data_page_get_last_error (page), "high"));
  g_assert_cmpfloat (hs_data_page_get_progress (page), <, 1.0);

  /* Said in a dialog, with the file and line. */
  error_dialog = hs_data_page_get_error_dialog (page);
  g_assert_nonnull (error_dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (error_dialog)), ==,
                   "Import Failed");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (error_dialog)),
                                   where));
  hs_test_wait_for_frames (error_dialog, 2);
  hs_test_save_screenshot (error_dialog, "data-import-error.png");

  /* Nothing written, not even the instrument; nothing to reload. */
  g_assert_cmpint (hs_test_count_bars (db, "BAD", "1d"), ==, -1);
  g_assert_false (hs_window_get_loading (window));
  g_assert_null (find_item (window, "BAD"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (error_dialog), "close");
  hs_test_close_window (window);
}

static void
test_import_dialog_edits (void)
{
  g_autofree char *db = create_empty_db ("edits.db");
  g_autofree char *a = write_file ("2006-01-02-volume-min-001.txt", "x\n");
  g_autofree char *b = write_file ("spy_trades.csv", "x\n");
  const char *paths[] = { a, b, NULL };
  HsWindow *window = hs_test_open_window (db);
  HsDataPage *page = hs_window_get_data_page (window);
  HsImportDialog *dialog = drop_files (window, paths);
  g_autoptr(GPtrArray) reqs = NULL;
  const HsImportRequest *r = NULL;

  /* LEAN's minute file names no symbol: Import waits for one. */
  g_assert_cmpuint (hs_import_dialog_get_n_files (dialog), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (hs_import_dialog_get_symbol_row (dialog,
                                                                                          0))),
                   ==, "");
  g_assert_cmpstr (combo_text (hs_import_dialog_get_interval_row (dialog, 0)), ==, "1m");
  g_assert_cmpstr (combo_text (hs_import_dialog_get_kind_row (dialog, 1)), ==, "Trades");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (hs_import_dialog_get_interval_row (dialog,
                                                                                         1))));
  g_assert_false (hs_import_dialog_get_ready (dialog));
  gtk_editable_set_text (GTK_EDITABLE (hs_import_dialog_get_symbol_row (dialog, 0)), " spy ");
  g_assert_true (hs_import_dialog_get_ready (dialog));
  gtk_editable_set_text (GTK_EDITABLE (hs_import_dialog_get_symbol_row (dialog, 1)), "");
  g_assert_false (hs_import_dialog_get_ready (dialog));
  /* Market snapshots name their tickers themselves: no symbol needed, none asked. */
  adw_combo_row_set_selected (hs_import_dialog_get_kind_row (dialog, 1), 4);
  g_assert_true (hs_import_dialog_get_ready (dialog));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (hs_import_dialog_get_symbol_row (dialog,
                                                                                       1))));
  hs_test_wait_for_frames (GTK_WIDGET (dialog), 2);
  hs_test_save_screenshot (GTK_WIDGET (dialog), "data-import-dialog-two.png");

  reqs = hs_import_dialog_dup_requests (dialog);
  r = reqs->pdata[0];
  g_assert_cmpint (r->kind, ==, HS_IMPORT_BARS);
  g_assert_cmpstr (r->symbol, ==, "spy");
  g_assert_cmpstr (r->interval, ==, "1m");
  r = reqs->pdata[1];
  g_assert_cmpint (r->kind, ==, HS_IMPORT_SNAPSHOTS);
  g_assert_null (r->symbol);
  g_assert_null (r->interval);
  g_assert_cmpstr (r->path, ==, b);

  /* Cancel imports nothing. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_false (hs_data_page_get_importing (page));
  hs_test_close_window (window);
}

static void
test_import_cancel (void)
{
  g_autofree char *db = create_empty_db ("cancel.db");
  g_autofree char *path = hs_test_temp_path ("big_1m.csv");
  g_autoptr(GString) text = g_string_new ("timestamp,open,high,low,close,volume\n");
  g_autoptr(GPtrArray) reqs = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              hs_import_request_free);
  HsWindow *window = hs_test_open_window (db);
  HsDataPage *page = hs_window_get_data_page (window);
  HsImportRequest *req = g_new0 (HsImportRequest, 1);

  /* 300,000 one-minute bars: long enough that Cancel comes while the worker reads them. */
  for (int i = 0; i < 300000; i++)
    g_string_append_printf (text, "%d,100,101,99,100.5,10\n", 1704067200 + 60 * i);
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  req->kind = HS_IMPORT_BARS;
  req->path = g_strdup (path);
  req->symbol = g_strdup ("BIG");
  req->interval = g_strdup ("1m");
  g_ptr_array_add (reqs, req);

  g_assert_true (hs_data_page_start_import (page, g_steal_pointer (&reqs)));
  g_assert_true (hs_data_page_get_importing (page));
  /* A second import waits its turn: refused while one runs. */
  g_assert_false (hs_data_page_start_import (page, g_ptr_array_new ()));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "data.cancel-import", NULL));
  wait_for_import (page);
  /* Cancelling is not an error, and the file's transaction was rolled back. */
  g_assert_null (hs_data_page_get_last_error (page));
  g_assert_null (hs_data_page_get_error_dialog (page));
  g_assert_cmpint (hs_test_count_bars (db, "BIG", "1m"), ==, -1);
  hs_test_close_window (window);
}

typedef struct
{
  int    calls;
  size_t n;           /* bars of the last call with bars */
  char  *title;
} ChartSpy;

static void
chart_update_cb (GtkWidget    *chart,
                 const HsBars *bars,
                 const char   *title,
                 gpointer      user_data)
{
  ChartSpy *spy = user_data;

  spy->calls++;
  if (bars != NULL)
    {
      spy->n = bars->n;
      g_free (spy->title);
      spy->title = g_strdup (title);
      gtk_label_set_text (GTK_LABEL (chart), title);
    }
}

static void
test_chart_area (void)
{
  g_autofree char *db = hs_test_temp_path ("chart.db");
  HsWindow *window = NULL;
  HsDataPage *page = NULL;
  GtkSingleSelection *selection = NULL;
  ChartSpy spy = { 0 };
  GtkWidget *chart = gtk_label_new ("chart");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HsStore) store = hs_store_open (db, HS_STORE_OPEN_DEFAULT, &error);
    int64_t aaa = 0, bbb = 0;

    g_assert_no_error (error);
    hs_store_ensure_instrument (store, "AAA", NULL, "stock", &aaa, &error);
    hs_store_ensure_instrument (store, "BBB", NULL, "crypto", &bbb, &error);
    g_assert_no_error (error);
    for (int i = 0; i < 7; i++)
      {
        HsBar bar = { .ts = hs_test_utc (2024, 2, 1, 0, 0) + (int64_t) i * 3600 * G_USEC_PER_SEC,
                      .open = 10, .high = 20, .low = 9, .close = 10 + i, .volume = 5,
                      .vwap = NAN, .trade_count = -1 };

        hs_store_insert_bar (store, i < 4 ? aaa : bbb, "1h", &bar, NULL, &error);
        g_assert_no_error (error);
      }
  }
  window = hs_test_open_window (db);
  page = hs_window_get_data_page (window);
  hs_window_show_page (window, "data");

  /* The chart part's widget: called at once, and with each series' bars. */
  hs_data_page_set_chart (page, chart, chart_update_cb, &spy, NULL);
  g_assert_cmpint (spy.calls, >=, 1);
  wait_for_bars (page);
  /* The first series with candles is selected: AAA, 4 bars. */
  g_assert_cmpuint (spy.n, ==, 4);
  g_assert_cmpstr (spy.title, ==, "AAA · 1h");
  selection = GTK_SINGLE_SELECTION (hs_coverage_page_get_model (
                                      hs_window_get_coverage_page (window)));
  gtk_single_selection_set_selected (selection, 1);
  g_assert_true (hs_data_page_get_loading_bars (page));
  wait_for_bars (page);
  g_assert_cmpuint (spy.n, ==, 3);
  g_assert_cmpstr (spy.title, ==, "BBB · 1h");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chart)), ==, "BBB · 1h");
  hs_test_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_widget_get_mapped (chart));
  hs_test_close_window (window);
  g_free (spy.title);
}

static void
test_load_demo (void)
{
  g_autofree char *db = create_empty_db ("demo.db");
  HsWindow *window = NULL;
  HsDataPage *page = NULL;
  GListModel *model = NULL;
  /* build-aux/dev.sh's demo: SPY (daily and minute), QQQ, AAPL, IBM, NVDA, ORCL. */
  const char *symbols[] = { "AAPL", "IBM", "NVDA", "ORCL", "QQQ", "SPY", "SPY" };
  const char *intervals[] = { "1d", "1d", "1d", "1d", "1d", "1m", "1d" };   /* shorter bars first */

  g_assert_nonnull (g_getenv ("HS_TEST_DEMO_DIR"));
  g_setenv ("HINDSIGHT_DEMO_DIR", g_getenv ("HS_TEST_DEMO_DIR"), TRUE);
  window = hs_test_open_window (db);
  page = hs_window_get_data_page (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.load-demo", NULL));
  g_assert_cmpstr (hs_window_get_visible_page (window), ==, "data");
  g_assert_true (hs_data_page_get_importing (page));
  wait_for_import (page);
  g_assert_null (hs_data_page_get_last_error (page));
  hs_test_wait_for_load (window);
  model = hs_coverage_page_get_model (hs_window_get_coverage_page (window));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (symbols));
  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    {
      g_autoptr(HsCoverageItem) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (hs_coverage_item_get_symbol (item), ==, symbols[i]);
      g_assert_cmpstr (hs_coverage_item_get_interval (item), ==, intervals[i]);
      g_assert_cmpint (hs_coverage_item_get_rows (item), >, 0);
    }
  wait_for_bars (page);
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_save_screenshot (GTK_WIDGET (window), "data-demo.png");
  hs_window_show_page (window, "overview");
  while (hs_overview_page_get_loading (hs_window_get_overview_page (window)))
    g_main_context_iteration (NULL, TRUE);
  hs_test_wait_for_frames (GTK_WIDGET (window), 3);
  hs_test_save_screenshot (GTK_WIDGET (window), "data-demo-overview.png");
  hs_test_close_window (window);
  g_unsetenv ("HINDSIGHT_DEMO_DIR");
}

int
main (int   argc,
      char *argv[])
{
  hs_test_ui_init (&argc, &argv);

  g_test_add_func ("/hs/ui/data/import-by-drop", test_import_by_drop);
  g_test_add_func ("/hs/ui/data/import-bad-csv", test_import_bad_csv);
  g_test_add_func ("/hs/ui/data/import-dialog-edits", test_import_dialog_edits);
  g_test_add_func ("/hs/ui/data/import-cancel", test_import_cancel);
  g_test_add_func ("/hs/ui/data/chart-area", test_chart_area);
  g_test_add_func ("/hs/ui/data/load-demo", test_load_demo);

  return g_test_run ();
}
