/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Export page (src/ui/hs-export-page.c) under Xvfb, on a database of the 500 generated
 * paper trades of tests/capsule-data.c, each given market context and an AI reasoning log
 * (values from the trade's index, below) and imported through `paper import`'s code. What is
 * checked:
 *   - dataset, filter, columns (a whole group off with its None button, single check boxes) and
 *     format set through the widgets; the file the page exports is byte for byte the file
 *     `hindsight-cli export` writes as a subprocess with the same filter and columns, for CSV
 *     and for JSON lines;
 *   - the preview shows the first rows of that same CLI file, cell for cell, and the count of
 *     rows the CLI wrote;
 *   - Cancel while the export runs leaves no file (nor a temporary one) in the folder;
 *   - an invalid filter disables Export and the page says why (the compiler's "column N: …");
 *   - switching to signals lists the 23 columns docs/export.md documents for them.
 * Screenshots: export-*.png.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "capsule-data.h"
#include "hs-export-page.h"
#include "hs-gui-test.h"
#include "hs-backtest-job.h"
#include "hs-paper.h"
#include "hs-test-cli.h"
#include "hs-test-ui.h"
#include "hs-time.h"

static char *tmpdir;
static char *db_path;

/* The context and reasoning of trade @i: plain functions of the index, with texts that need
 * CSV quoting (a comma, a quote, a line break) and a missing list. */
static void
append_context (GString *line,
                guint    i)
{
  static const char *const trends[] = { "bullish", "bearish", "neutral" };
  static const char *const models[] = { "model-a", "model-b" };

  g_string_append_printf (line,
    ",\"signals_snapshot\":{\"1m\":{\"rsi\":%u.5,\"trend\":\"%s\"},"
    "\"5m\":{\"rsi\":%u,\"macd_hist\":-0.0%u,\"squeeze\":\"off\"},\"missing\":[\"daily\"]}",
    20 + i % 60, trends[i % 3], 10 + i % 80, 1 + i % 9);
  g_string_append_printf (line,
    ",\"market_regime\":{\"spy\":{\"price\":5%02u.25,\"vix\":1%u.5},"
    "\"sector\":{\"ticker\":\"XLK\",\"correlation_30d\":0.%u},\"missing\":[]}",
    i % 100, i % 10, 1 + i % 9);
  g_string_append_printf (line,
    ",\"order_book_state\":{\"bid\":%u.1,\"ask\":%u.2,\"spread_pct\":0.0%u}",
    100 + i, 100 + i, 1 + i % 9);
  g_string_append_printf (line,
    ",\"ai_reasoning_log\":{\"model\":\"%s\",\"prompt_version\":\"v%u\","
    "\"confidence_score\":%u,\"bull_case\":\"trend up, volume \\\"strong\\\"\","
    "\"bear_case\":\"VIX at 1%u\\nwatch it\",\"decision_logic\":\"trade %u\","
    "\"tokens\":%u,\"latency_ms\":%u}",
    models[i % 2], 1 + i % 3, i % 11, i % 10, i, 500 + i, 900 + i % 50);
}

static int64_t
store_run (const char *symbol,
           const char *fast,
           const char *slow)
{
  g_auto(HsBacktestRequest) q = { 0 };
  g_auto(HsBacktestOutcome) outcome = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *f = g_strconcat ("fast=", fast, NULL), *s = g_strconcat ("slow=", slow, NULL);
  const char *params[3] = { f, s, NULL };

  hs_backtest_request_init (&q);
  q.symbol = g_strdup (symbol);
  q.interval = g_strdup ("1m");
  q.strategy = g_strdup ("sma_cross");
  q.params = g_strdupv ((char **) params);
  g_assert_true (hs_backtest_job_run (db_path, &q, FALSE, NULL, &outcome, &error));
  g_assert_no_error (error);
  return outcome.id;
}

static void
make_database (void)
{
  g_autoptr(CapsuleData) data = capsule_data_new (8);
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = NULL, *path = g_build_filename (tmpdir, "context-trades.jsonl", NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(HsStore) store = NULL;
  HsPaperImportResult result = { 0 };
  guint n = 0;

  g_assert_true (capsule_data_write (data, tmpdir, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (data->trades_jsonl, &jsonl, NULL, &error));
  lines = g_strsplit (jsonl, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      size_t len = strlen (lines[i]);

      if (len == 0)
        continue;
      g_assert_cmpint (lines[i][len - 1], ==, '}');
      g_string_append_len (out, lines[i], (gssize) len - 1);
      append_context (out, n++);
      g_string_append (out, "}\n");
    }
  g_assert_cmpuint (n, ==, CAPSULE_N_TRADES);
  g_assert_true (g_file_set_contents (path, out->str, (gssize) out->len, &error));

  db_path = g_build_filename (tmpdir, "export.db", NULL);
  store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (capsule_data_load (data, store, &error));
  g_assert_no_error (error);
  g_assert_true (hs_paper_import (store, path, &result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, hs_store_close);

  /* Two backtest runs on the generated minutes, for the backtest-trades dataset. */
  store_run ("AAPL", "10", "30");
  store_run ("MSFT", "5", "20");
}

/* ------------------------------------------------------------------------------------------ */

static gboolean
preview_ready (gpointer data)
{
  return !hs_export_page_get_preview_pending (data);
}

static gboolean
export_done (gpointer data)
{
  return !hs_export_page_get_busy (data);
}

static void
wait_preview (HsExportPage *page)
{
  hs_gui_test_spin_until (preview_ready, page);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* The CLI's export with the page's choices, as a user would type it. */
static char *
cli_export (const char  *dataset,
            const char  *format,
            const char  *where,
            const char  *select,
            const char  *name)
{
  g_autofree char *out = g_build_filename (tmpdir, name, NULL);
  g_auto(HsTestRun) r = { 0 };

  if (where != NULL)
    hs_test_cli (&r, db_path, "export", dataset, "--format", format, "--where", where,
                 "--select", select, "--out", out, NULL);
  else
    hs_test_cli (&r, db_path, "export", dataset, "--format", format, "--select", select,
                 "--out", out, NULL);
  if (r.status != 0)
    g_error ("export: %s", r.err);
  return read_file (out);
}

/* The first widget under @root that @match accepts. */
static GtkWidget *
find_widget (GtkWidget  *root,
             gboolean  (*match) (GtkWidget *w, const char *text),
             const char *text)
{
  if (match (root, text))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, match, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_check_labelled (GtkWidget  *w,
                   const char *text)
{
  return GTK_IS_CHECK_BUTTON (w)
         && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (w)), text) == 0;
}

static gboolean
is_row_titled (GtkWidget  *w,
               const char *text)
{
  return ADW_IS_COMBO_ROW (w)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), text) == 0;
}

static gboolean
is_button_labelled (GtkWidget  *w,
                    const char *text)
{
  return GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), text) == 0;
}

static gboolean
is_expander_titled (GtkWidget  *w,
                    const char *text)
{
  return ADW_IS_EXPANDER_ROW (w)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), text) == 0;
}

static GtkWidget *
find_check (GtkWidget  *page,
            const char *column)
{
  GtkWidget *w = find_widget (page, is_check_labelled, column);

  g_assert_nonnull (w);
  return w;
}

static void
click_group_button (GtkWidget  *page,
                    const char *accessible)
{
  GtkWidget *w = hs_gui_test_find_accessible (page, GTK_TYPE_BUTTON, accessible);

  g_assert_nonnull (w);
  g_signal_emit_by_name (w, "clicked");
}

static GtkWidget *
template_child (GtkWidget  *page,
                GType       type,
                const char *label)
{
  GtkWidget *w = hs_gui_test_find_accessible (page, type, label);

  g_assert_nonnull (w);
  return w;
}

static HsExportPage *
open_page (GtkWidget **window)
{
  GtkWidget *page = hs_export_page_new ();

  *window = hs_gui_test_window (page, 1280, 800);
  hs_export_page_set_database_path (HS_EXPORT_PAGE (page), db_path);
  wait_preview (HS_EXPORT_PAGE (page));
  return HS_EXPORT_PAGE (page);
}

static AdwComboRow *
combo (GtkWidget  *page,
       const char *title)
{
  GtkWidget *w = find_widget (page, is_row_titled, title);

  g_assert_nonnull (w);
  return ADW_COMBO_ROW (w);
}

/* A deliberately plain reader of RFC 4180 text (a quoted field may hold a line break): the
 * rows of the CLI's file, each a GStrv, the header first. */
static GPtrArray *
naive_csv_rows (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted && p[0] == '"' && p[1] == '"')
        {
          g_string_append_c (field, '"');
          p++;
        }
      else if (p[0] == '"')
        quoted = !quoted;
      else if (!quoted && p[0] == ',')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
        }
      else if (!quoted && p[0] == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (rows, g_ptr_array_free (fields, FALSE));
          fields = g_ptr_array_new ();
          p++;
        }
      else
        g_string_append_c (field, p[0]);
    }
  g_assert_false (quoted);
  g_assert_cmpuint (fields->len, ==, 0);
  g_ptr_array_free (fields, TRUE);
  g_string_free (field, TRUE);
  return rows;
}

/* The preview's cells are the first rows of the CLI's CSV file, and the file has
 * @expected_rows rows. */
static void
assert_preview_matches_csv (HsExportPage *page,
                            const char   *csv_text,
                            guint         expected_rows)
{
  GListModel *model = hs_export_page_get_preview_model (page);
  g_autoptr(GPtrArray) rows = naive_csv_rows (csv_text);

  g_assert_cmpuint (rows->len, ==, expected_rows + 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, MIN (expected_rows, 20));
  for (guint r = 0; r < g_list_model_get_n_items (model); r++)
    {
      g_autoptr(GtkStringList) cells = g_list_model_get_item (model, r);
      GStrv expected = rows->pdata[r + 1];

      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cells)), ==,
                        g_strv_length (expected));
      for (guint i = 0; expected[i] != NULL; i++)
        g_assert_cmpstr (gtk_string_list_get_string (cells, i), ==, expected[i]);
    }
}

/* How many of the 500 trades a filter selects, counted from the generated file: the trades
 * with confidence_score (i % 11) >= 6 that are long. */
static guint
count_long_confident (void)
{
  g_autoptr(CapsuleData) data = capsule_data_new (8);
  guint n = 0;

  for (guint i = 0; i < data->trades->len; i++)
    if (i % 11 >= 6 && g_str_equal (g_array_index (data->trades, CapsuleTrade, i).side, "long"))
      n++;
  return n;
}

static void
test_csv (void)
{
  GtkWidget *window = NULL;
  HsExportPage *page = open_page (&window);
  GtkWidget *entry = template_child (GTK_WIDGET (page), GTK_TYPE_ENTRY, "Filter");
  g_autofree char *out = g_build_filename (tmpdir, "page.csv", NULL);
  g_autofree char *page_text = NULL, *cli_text = NULL, *select = NULL;
  g_auto(GStrv) columns = NULL;
  const char *where = "ai.confidence_score >= 6 and side == 'long'";

  /* All 500 rows before any choice. */
  g_assert_cmpstr (hs_export_page_get_hint (page), ==, "500 rows to export");
  g_assert_cmpuint (g_list_model_get_n_items (hs_export_page_get_preview_model (page)), ==, 20);

  adw_combo_row_set_selected (combo (GTK_WIDGET (page), "_Dataset"), 0);
  adw_combo_row_set_selected (combo (GTK_WIDGET (page), "_Format"), 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), where);
  click_group_button (GTK_WIDGET (page), "Choose no Context: order book columns");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (GTK_WIDGET (page), "notes")),
                               FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (GTK_WIDGET (page), "ai_prompt")),
                               FALSE);
  wait_preview (page);
  g_assert_cmpstr (hs_export_page_get_dataset_name (page), ==, "trades");
  g_assert_cmpstr (hs_export_page_get_format_name (page), ==, "csv");
  columns = hs_export_page_dup_columns (page);
  /* 87 columns less the order book's 11, notes and ai_prompt (docs/export.md's table) */
  g_assert_cmpuint (g_strv_length (columns), ==, 87 - 11 - 2);
  g_assert_false (g_strv_contains ((const char *const *) columns, "book_bid"));
  g_assert_false (g_strv_contains ((const char *const *) columns, "notes"));
  g_assert_true (g_strv_contains ((const char *const *) columns, "ai_raw_output"));
  hs_gui_test_screenshot (window, "export-csv.png");

  hs_export_page_export_to_file (page, out);
  g_assert_true (hs_export_page_get_busy (page));
  hs_gui_test_spin_until (export_done, page);
  g_assert_null (hs_export_page_get_last_error (page));
  hs_gui_test_screenshot (window, "export-done.png");

  select = g_strjoinv (",", columns);
  cli_text = cli_export ("trades", "csv", where, select, "cli.csv");
  page_text = read_file (out);
  g_assert_cmpuint (strlen (page_text), ==, strlen (cli_text));
  g_assert_true (strcmp (page_text, cli_text) == 0);
  assert_preview_matches_csv (page, cli_text, count_long_confident ());
  g_assert_nonnull (strstr (hs_export_page_get_last_toast (page), "to page.csv"));
  g_assert_cmpstr (hs_export_page_get_last_folder (page), ==, tmpdir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_jsonl (void)
{
  GtkWidget *window = NULL;
  HsExportPage *page = open_page (&window);
  GtkWidget *entry = template_child (GTK_WIDGET (page), GTK_TYPE_ENTRY, "Filter");
  g_autofree char *out = g_build_filename (tmpdir, "page.jsonl", NULL);
  g_autofree char *page_text = NULL, *cli_text = NULL, *select = NULL;
  g_auto(GStrv) columns = NULL;
  const char *where = "signals.1m.trend == 'bearish' or regime.spy.vix > 18";
  static const char *const groups[] = { "Trade fields", "Labels", "Context: signals",
                                        "Context: market regime", "Context: order book" };

  adw_combo_row_set_selected (combo (GTK_WIDGET (page), "_Format"), 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), where);
  for (size_t i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autofree char *name = g_strdup_printf ("Choose no %s columns", groups[i]);

      click_group_button (GTK_WIDGET (page), name);
    }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (GTK_WIDGET (page), "id")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (GTK_WIDGET (page),
                                                             "regime_spy_vix")), TRUE);
  wait_preview (page);
  columns = hs_export_page_dup_columns (page);
  /* id, regime_spy_vix and the AI's 10 */
  g_assert_cmpuint (g_strv_length (columns), ==, 12);
  g_assert_cmpstr (columns[0], ==, "id");
  g_assert_cmpstr (hs_export_page_get_format_name (page), ==, "jsonl");
  {
    GtkWidget *ai = find_widget (GTK_WIDGET (page), is_expander_titled, "Context: AI reasoning");
    GtkWidget *check = find_check (GTK_WIDGET (page), "ai_confidence_score");

    g_assert_nonnull (ai);
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (ai), TRUE);
    /* Its tooltip says what the column holds and its type (docs/export.md's row 80). */
    g_assert_cmpstr (gtk_widget_get_tooltip_text (check), ==,
                     "The AI's confidence, 0–10\nType: number");
    g_assert_cmpstr (gtk_widget_get_tooltip_text (find_check (GTK_WIDGET (page),
                                                              "signals_5m_rsi")), ==,
                     "RSI (0–100) on 5m bars\nType: number");
  }
  hs_gui_test_screenshot (window, "export-jsonl.png");

  hs_export_page_export_to_file (page, out);
  hs_gui_test_spin_until (export_done, page);
  g_assert_null (hs_export_page_get_last_error (page));
  select = g_strjoinv (",", columns);
  cli_text = cli_export ("trades", "jsonl", where, select, "cli.jsonl");
  page_text = read_file (out);
  g_assert_true (strcmp (page_text, cli_text) == 0);
  g_assert_true (g_str_has_prefix (page_text, "{\"id\":"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  GtkWidget *window = NULL;
  HsExportPage *page = open_page (&window);
  g_autofree char *dir = g_build_filename (tmpdir, "cancel", NULL);
  g_autofree char *out = g_build_filename (dir, "cancelled.csv", NULL);
  g_autoptr(GDir) d = NULL;
  GtkWidget *cancel;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  hs_export_page_export_to_file (page, out);
  g_assert_true (hs_export_page_get_busy (page));
  /* The Cancel button shows while the export runs; pressing it before the job's end reaches
   * the main loop cancels it, whatever the worker has done by then. */
  cancel = find_widget (GTK_WIDGET (page), is_button_labelled, "_Cancel");
  g_assert_nonnull (cancel);
  g_assert_true (gtk_widget_get_visible (cancel));
  g_signal_emit_by_name (cancel, "clicked");
  hs_gui_test_spin_until (export_done, page);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  g_assert_null (g_dir_read_name (d));   /* no temporary file either */
  g_assert_cmpstr (hs_export_page_get_last_toast (page), ==,
                   "Export cancelled; no file was written");

  /* The page's export.cancel action (what Escape does while exporting) does the same. */
  hs_export_page_export_to_file (page, out);
  g_assert_true (hs_export_page_get_busy (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "export.cancel", NULL));
  hs_gui_test_spin_until (export_done, page);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&d, g_dir_close);
  d = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (d));
  g_rmdir (dir);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
runs_listed (gpointer data)
{
  return g_list_model_get_n_items (adw_combo_row_get_model (data)) == 3;
}

static void
test_backtest (void)
{
  GtkWidget *window = NULL;
  HsExportPage *page = open_page (&window);
  AdwComboRow *runs = combo (GTK_WIDGET (page), "Backtest _run");
  g_autofree char *out = g_build_filename (tmpdir, "runs.csv", NULL);
  g_autofree char *all_path = g_build_filename (tmpdir, "all-runs.csv", NULL);
  g_autofree char *page_text = NULL, *cli_text = NULL, *all_text = NULL, *where = NULL;
  g_autofree char *id_text = NULL, *want_where = NULL;
  g_autoptr(GPtrArray) all_rows = NULL, page_rows = NULL;
  g_auto(GStrv) columns = NULL;
  g_auto(HsTestRun) a = { 0 };
  const char *item;
  guint n_run = 0;
  int64_t run_id;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (runs)));
  adw_combo_row_set_selected (combo (GTK_WIDGET (page), "_Dataset"), 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (runs)));
  hs_gui_test_spin_until (runs_listed, runs);
  /* Every run, then the two stored ones, newest first: "#ID sma_cross · SYMBOL · 1m". */
  item = gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (runs)), 1);
  g_assert_true (g_str_has_prefix (item, "#"));
  g_assert_nonnull (strstr (item, "sma_cross · MSFT · 1m"));
  run_id = g_ascii_strtoll (item + 1, NULL, 10);
  adw_combo_row_set_selected (runs, 1);
  where = hs_export_page_dup_where (page);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  want_where = g_strconcat ("run_id == ", id_text, NULL);
  g_assert_cmpstr (where, ==, want_where);
  wait_preview (page);
  columns = hs_export_page_dup_columns (page);
  g_assert_cmpuint (g_strv_length (columns), ==, 25);   /* docs/export.md's table */
  hs_gui_test_screenshot (window, "export-backtest.png");
  hs_export_page_export_to_file (page, out);
  hs_gui_test_spin_until (export_done, page);
  g_assert_null (hs_export_page_get_last_error (page));
  page_text = read_file (out);

  /* The CLI with the same filter (every column: no --select). */
  hs_test_cli (&a, db_path, "export", "backtest-trades", "--where", where, "--out",
               all_path, NULL);
  g_assert_cmpint (a.status, ==, 0);
  cli_text = read_file (all_path);
  g_assert_true (strcmp (page_text, cli_text) == 0);

  /* And those are the rows of that run among all runs' rows (column 2 is run_id). */
  hs_test_run_clear (&a);
  hs_test_cli (&a, db_path, "export", "backtest-trades", "--out", all_path, NULL);
  g_assert_cmpint (a.status, ==, 0);
  all_text = read_file (all_path);
  all_rows = naive_csv_rows (all_text);
  for (guint r = 1; r < all_rows->len; r++)
    n_run += g_str_equal (((GStrv) all_rows->pdata[r])[1], id_text) ? 1 : 0;
  g_assert_cmpuint (n_run, >, 0);
  g_assert_cmpuint (n_run, <, all_rows->len - 1);
  page_rows = naive_csv_rows (page_text);
  g_assert_cmpuint (page_rows->len, ==, n_run + 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
instruments_listed (gpointer data)
{
  return g_list_model_get_n_items (adw_combo_row_get_model (data)) > 0;
}

static void
test_candles (void)
{
  GtkWidget *window = NULL;
  HsExportPage *page = open_page (&window);
  AdwComboRow *inst = combo (GTK_WIDGET (page), "_Instrument");
  GtkWidget *entry = template_child (GTK_WIDGET (page), GTK_TYPE_ENTRY, "Filter");
  GListModel *items = adw_combo_row_get_model (inst);
  g_autofree char *out = g_build_filename (tmpdir, "candles.jsonl", NULL);
  g_autofree char *page_text = NULL, *cli_text = NULL, *select = NULL;
  g_autoptr(CapsuleData) data = capsule_data_new (8);
  g_auto(GStrv) columns = NULL, lines = NULL;
  guint aapl = G_MAXUINT;

  adw_combo_row_set_selected (combo (GTK_WIDGET (page), "_Dataset"), 3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (inst)));
  g_assert_false (gtk_widget_is_sensitive (entry));   /* candles take no filter */
  g_assert_false (gtk_widget_is_drawable (entry));
  hs_gui_test_spin_until (instruments_listed, inst);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (items), i),
                          "AAPL · 1m · "))
      aapl = i;
  g_assert_cmpuint (aapl, !=, G_MAXUINT);
  adw_combo_row_set_selected (inst, aapl);
  adw_combo_row_set_selected (combo (GTK_WIDGET (page), "_Format"), 1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (GTK_WIDGET (page), "vwap")), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (GTK_WIDGET (page), "trade_count")),
                               FALSE);
  wait_preview (page);
  g_assert_cmpstr (hs_export_page_get_dataset_name (page), ==, "candles");
  columns = hs_export_page_dup_columns (page);
  g_assert_cmpuint (g_strv_length (columns), ==, 6);
  hs_gui_test_screenshot (window, "export-candles.png");
  hs_export_page_export_to_file (page, out);
  hs_gui_test_spin_until (export_done, page);
  g_assert_null (hs_export_page_get_last_error (page));
  page_text = read_file (out);

  select = g_strjoinv (",", columns);
  {
    g_autofree char *cli_out = g_build_filename (tmpdir, "cli-candles.jsonl", NULL);
    g_auto(HsTestRun) r = { 0 };

    hs_test_cli (&r, db_path, "export", "candles", "--symbol", "AAPL", "--interval", "1m",
                 "--format", "jsonl", "--select", select, "--out", cli_out, NULL);
    g_assert_cmpint (r.status, ==, 0);
    cli_text = read_file (cli_out);
  }
  g_assert_true (strcmp (page_text, cli_text) == 0);
  /* One line per generated AAPL minute (30 sessions × 390), the first at the first minute. */
  lines = g_strsplit (page_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines) - 1, ==, capsule_data_series (data, "AAPL")->minutes->n);
  g_assert_cmpuint (capsule_data_series (data, "AAPL")->minutes->n, ==,
                    CAPSULE_N_DAYS * CAPSULE_MINUTES_PER_DAY);
  {
    g_autofree char *first_ts = hs_time_format_iso (capsule_data_series (data, "AAPL")
                                                      ->minutes->ts[0]);
    g_autofree char *prefix = g_strdup_printf ("{\"time\":\"%s\",\"open\":", first_ts);

    g_assert_true (g_str_has_prefix (page_text, prefix));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_invalid (void)
{
  GtkWidget *window = NULL;
  HsExportPage *page = open_page (&window);
  GtkWidget *entry = template_child (GTK_WIDGET (page), GTK_TYPE_ENTRY, "Filter");
  GtkWidget *export = find_widget (GTK_WIDGET (page), is_button_labelled, "_Export…");
  g_auto(HsTestRun) r = { 0 };
  g_autofree char *out = g_build_filename (tmpdir, "never.csv", NULL);

  g_assert_nonnull (export);
  g_assert_true (gtk_widget_get_sensitive (export));
  gtk_editable_set_text (GTK_EDITABLE (entry), "signals.5m.rsx > 70");
  g_assert_false (gtk_widget_get_sensitive (export));
  /* The page says what the CLI says about the same filter. */
  hs_test_cli (&r, db_path, "export", "trades", "--where", "signals.5m.rsx > 70", "--out", out,
               NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_true (g_str_has_prefix (hs_export_page_get_hint (page),
                                   "The filter has an error: column 1: unknown field"));
  g_assert_nonnull (strstr (r.err, "unknown field"));
  g_assert_nonnull (hs_gui_test_find_label (GTK_WIDGET (page),
                                            hs_export_page_get_hint (page)
                                            + strlen ("The filter has an error: ")));
  hs_export_page_export_to_file (page, out);
  g_assert_false (hs_export_page_get_busy (page));
  hs_gui_test_screenshot (window, "export-invalid.png");

  /* Fixed: Export comes back. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "signals.5m.rsi > 70");
  g_assert_true (gtk_widget_get_sensitive (export));
  wait_preview (page);

  /* Signals: the 23 columns of docs/export.md. */
  adw_combo_row_set_selected (combo (GTK_WIDGET (page), "_Dataset"), 2);
  /* The trades' filter names a field signals do not have. */
  g_assert_false (gtk_widget_get_sensitive (export));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (gtk_widget_get_sensitive (export));
  {
    g_auto(GStrv) columns = hs_export_page_dup_columns (page);

    g_assert_cmpuint (g_strv_length (columns), ==, 23);
  }
  wait_preview (page);
  hs_gui_test_screenshot (window, "export-signals.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  hs_gui_test_init (&argc, &argv);
  tmpdir = g_dir_make_tmp ("hs-ui-export-XXXXXX", &error);
  g_assert_no_error (error);
  make_database ();
  g_test_add_func ("/hs/ui/export/csv", test_csv);
  g_test_add_func ("/hs/ui/export/jsonl", test_jsonl);
  g_test_add_func ("/hs/ui/export/cancel", test_cancel);
  g_test_add_func ("/hs/ui/export/backtest", test_backtest);
  g_test_add_func ("/hs/ui/export/candles", test_candles);
  g_test_add_func ("/hs/ui/export/invalid", test_invalid);
  status = g_test_run ();
  hs_gui_test_remove_db (db_path);
  capsule_remove_dir (tmpdir);
  g_free (db_path);
  g_free (tmpdir);
  return status;
}
