/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Trades page (issue 8) on a generated database of 500 paper trades with context, reasoning
 * and labels (hs-test-trades-db.c): the list and its footer against SQL written here, a query
 * typed in the bar against `hindsight-cli query` run as a subprocess, validation and completion,
 * the calibration and breakdown views against SQL, sorting, previous/next from the inspector,
 * the scatter's click, saved queries and the labeler. Screenshots: trades-*.png.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-chart-widget.h"
#include "hs-paper-trade.h"
#include "hs-store-backtest.h"
#include "hs-store-paper.h"
#include "hs-test-db.h"
#include "hs-test-cli.h"
#include "hs-test-sql.h"
#include "hs-test-trades-db.h"
#include "hs-test-ui.h"
#include "hs-trade-analysis.h"
#include "hs-trade-inspector.h"
#include "hs-trades-page.h"

typedef struct
{
  char         *db;
  GtkWidget    *window;
  HsTradesPage *page;
} Fixture;

/* The generated database, written once; each case works on a copy. */
static char *template_db;

static void
wait_idle (HsTradesPage *page)
{
  while (hs_trades_page_get_loading (page))
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) from = g_file_new_for_path (template_db);
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) error = NULL;

  hs_test_reset_settings ();
  f->db = hs_test_temp_path ("trades.db");
  to = g_file_new_for_path (f->db);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  f->page = HS_TRADES_PAGE (hs_trades_page_new ());
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 800);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  hs_trades_page_set_database_path (f->page, f->db);
  wait_idle (f->page);
  hs_test_wait_for_frames (f->window, 2);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->page), (gpointer *) &f->page);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (f->page != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_remove (f->db);
  g_free (f->db);
}

/* A screenshot of the window once it has drawn what it shows now. */
static void
shot (Fixture    *f,
      const char *name)
{
  hs_test_wait_for_frames (f->window, 3);
  hs_test_save_screenshot (f->window, name);
}

static double
sql_double (const char *db,
            const char *sql)
{
  g_autofree char *rows = hs_test_query_rows (db, sql);

  return g_ascii_strtod (rows, NULL);
}

/* The footer's "NAME +x.xx %" for a mean computed by SQL. */
static void
assert_footer_mean (const char *footer,
                    const char *name,
                    double      mean,
                    gboolean    sign)
{
  g_autofree char *want = sign ? g_strdup_printf ("%s %+.2f %%", name, mean)
                               : g_strdup_printf ("%s %.2f %%", name, mean);

  g_test_message ("footer: %s; want %s", footer, want);
  g_assert_nonnull (strstr (footer, want));
}

static void
test_list_and_footer (Fixture       *f,
                      gconstpointer  data)
{
  const char *footer = hs_trades_page_get_footer (f->page);
  g_autofree char *count = NULL;
  g_autofree char *cell = NULL;
  const HsTradeRow *first;

  /* All 500 (the generator's count, and SQL's). */
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, HS_TEST_TRADES_N);
  g_assert_cmpint (hs_test_query_int (f->db, "SELECT count(*) FROM paper_trades"), ==,
                   HS_TEST_TRADES_N);
  count = g_strdup_printf ("%d trades", HS_TEST_TRADES_N);
  g_assert_true (g_str_has_prefix (footer, count));

  /* Means over the known values, as SQL's avg() skips NULLs. */
  assert_footer_mean (footer, "P&L", sql_double (f->db, "SELECT avg(pnl_pct) FROM paper_trades"),
                      TRUE);
  assert_footer_mean (footer, "1h",
                      sql_double (f->db, "SELECT avg(target_pnl_1h) FROM paper_trades"), TRUE);
  assert_footer_mean (footer, "MFE",
                      sql_double (f->db, "SELECT avg(target_mfe_pct) FROM paper_trades"), FALSE);
  assert_footer_mean (footer, "MAE",
                      sql_double (f->db, "SELECT avg(target_mae_pct) FROM paper_trades"), FALSE);
  {
    g_autofree char *conf = g_strdup_printf (
      "confidence %.2f", sql_double (f->db, "SELECT avg(json_extract(ai_reasoning_log,"
                                            " '$.confidence_score')) FROM paper_trades"));
    g_assert_nonnull (strstr (footer, conf));
  }

  /* Sorted by time by default: the first row is the first trade, 2024-03-04 14:30 UTC. */
  first = hs_trades_page_get_row (f->page, 0);
  g_assert_cmpint (first->id, ==, 1);
  cell = hs_trades_page_dup_cell_text (f->page, 0, "time");
  g_assert_cmpstr (cell, ==, "2024-03-04 14:30:00");
  g_clear_pointer (&cell, g_free);
  cell = hs_trades_page_dup_cell_text (f->page, 0, "symbol");
  {
    g_autofree char *sym = hs_test_query_rows (f->db, "SELECT i.symbol FROM paper_trades t JOIN"
                                                      " instruments i ON i.id = t.instrument_id"
                                                      " WHERE t.id = 1");
    g_strstrip (sym);
    g_assert_cmpstr (cell, ==, sym);
  }

  {
    unsigned n_checked = 0;

    hs_test_assert_controls_named (GTK_WIDGET (f->page), &n_checked);
    g_assert_cmpuint (n_checked, >, 3);
  }
  shot (f, "trades-list.png");
}

static void
type_query (Fixture    *f,
            const char *text)
{
  GtkEntry *entry = hs_trades_page_get_query_entry (f->page);

  /* Typed as a user does: one character at a time, each validated, then the pause runs it. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  for (const char *p = text; *p != '\0'; p++)
    {
      int pos = gtk_editable_get_position (GTK_EDITABLE (entry));

      gtk_editable_insert_text (GTK_EDITABLE (entry), p, 1, &pos);
      gtk_editable_set_position (GTK_EDITABLE (entry), pos);
    }
  wait_idle (f->page);
}

static void
test_query_matches_cli (Fixture       *f,
                        gconstpointer  data)
{
  const char *filter = "signals.5m.rsi > 60 and target_pnl_1h < 0";
  g_auto(HsTestRun) r = { 0 };
  g_auto(GStrv) lines = NULL;
  int64_t want;

  type_query (f, filter);
  g_assert_null (hs_trades_page_get_query_error (f->page));
  hs_test_cli (&r, f->db, "query", filter, "--agg", "count", "--csv", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "count");
  want = g_ascii_strtoll (lines[1], NULL, 10);
  g_test_message ("CLI count %" G_GINT64_FORMAT, want);
  g_assert_cmpint (want, >, 10);
  g_assert_cmpint (want, <, HS_TEST_TRADES_N);
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, (guint) want);
  /* Every row listed satisfies it. */
  for (guint i = 0; i < hs_trades_page_get_n_trades (f->page); i++)
    g_assert_cmpfloat (hs_trades_page_get_row (f->page, i)->target_pnl_1h, <, 0);
  shot (f, "trades-query.png");

  /* An unknown field: an error at its column, the list unchanged. */
  type_query (f, "signals.5m.rsx > 60");
  g_assert_nonnull (hs_trades_page_get_query_error (f->page));
  g_assert_true (g_str_has_prefix (hs_trades_page_get_query_error (f->page), "column 1"));
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, (guint) want);
  shot (f, "trades-query-error.png");

  /* A parse error further on. */
  type_query (f, "target_pnl_1h < ");
  g_assert_nonnull (hs_trades_page_get_query_error (f->page));

  /* Nothing matches: the list says so. */
  type_query (f, "target_pnl_1h > 1000");
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, 0);
  {
    GtkWidget *empty = hs_test_find_widget (GTK_WIDGET (f->page), ADW_TYPE_STATUS_PAGE);

    g_assert_nonnull (empty);
    g_assert_true (gtk_widget_get_visible (empty));
    g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Trades Match");
  }

  /* Cleared: everything again. */
  hs_trades_page_set_query (f->page, "");
  wait_idle (f->page);
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, HS_TEST_TRADES_N);
}

static void
test_completion (Fixture       *f,
                 gconstpointer  data)
{
  GtkEntry *entry = hs_trades_page_get_query_entry (f->page);
  g_auto(GStrv) names = NULL;
  int found = -1;

  /* The data holds signals.1h.rsi (written by the generator); the completion offers it. */
  type_query (f, "signals.1");
  names = hs_trades_page_dup_completions (f->page);
  for (int i = 0; names[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (names[i], "signals.1"));
      if (g_str_equal (names[i], "signals.1h.rsi"))
        found = i;
    }
  g_assert_cmpint (found, >=, 0);
  g_assert_true (hs_trades_page_complete (f->page, (guint) found));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "signals.1h.rsi");
  g_clear_pointer (&names, g_strfreev);

  /* The regime's nested keys complete in the middle of a filter too. */
  type_query (f, "target_pnl_1h < 0 and regime.sector.cor");
  names = hs_trades_page_dup_completions (f->page);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "regime.sector.correlation_30d");
  g_assert_true (hs_trades_page_complete (f->page, 0));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==,
                   "target_pnl_1h < 0 and regime.sector.correlation_30d");

  /* While the bar has the focus the names pop up below it, and Tab takes the first. */
  {
    GtkWidget *popover = NULL;
    GtkEventController *keys = NULL;
    GListModel *controllers = NULL;
    gboolean handled = FALSE;

    for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (f->page)); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_POPOVER (c))
        popover = c;
    g_assert_nonnull (popover);
    gtk_widget_grab_focus (GTK_WIDGET (entry));
    type_query (f, "ai.pro");
    g_assert_true (gtk_widget_get_visible (popover));
    shot (f, "trades-completion-bar.png");
    hs_test_wait_for_frames (popover, 2);
    hs_test_save_screenshot (popover, "trades-completion.png");
    controllers = gtk_widget_observe_controllers (GTK_WIDGET (entry));
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (c))
          keys = GTK_EVENT_CONTROLLER (c);
      }
    g_assert_nonnull (keys);
    g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Tab, 0, 0, &handled);
    g_object_unref (controllers);
    g_assert_true (handled);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ai.prompt_version");
    g_assert_false (gtk_widget_get_visible (popover));
  }
}

/* "12.5 %" → 0.125; "—" → NAN. */
static void
assert_cell (HsTradeAnalysis *view,
             int              table,
             int              row,
             int              column,
             const char      *want)
{
  g_autofree char *got = hs_trade_analysis_dup_cell (view, table, row, column);

  g_assert_cmpstr (got, ==, want);
}

static void
test_calibration (Fixture       *f,
                  gconstpointer  data)
{
  HsTradeAnalysis *view = HS_TRADE_ANALYSIS (hs_trades_page_get_view (f->page, "calibration"));
  /* The buckets by SQL: floor of the score (9 for 10), count, closed, wins, mean 1h. */
  g_autofree char *rows = hs_test_query_rows (f->db,
    "SELECT min(CAST(json_extract(ai_reasoning_log, '$.confidence_score') AS INTEGER), 9) AS b,"
    " count(*), count(pnl_pct), sum(pnl_pct > 0), avg(target_pnl_1h) FROM paper_trades"
    " WHERE json_extract(ai_reasoning_log, '$.confidence_score') IS NOT NULL"
    " GROUP BY b ORDER BY b");
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);
  gboolean seen[10] = { FALSE };

  hs_trades_page_show_view (f->page, "calibration");
  hs_test_wait_for_frames (f->window, 2);
  for (int i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) v = g_strsplit (lines[i], "|", -1);
      int b = atoi (v[0]);
      int64_t count = g_ascii_strtoll (v[1], NULL, 10);
      int64_t closed = g_ascii_strtoll (v[2], NULL, 10);
      int64_t wins = g_ascii_strtoll (v[3], NULL, 10);
      g_autofree char *rate = closed > 0 ? g_strdup_printf ("%.1f %%", 100.0 * wins / closed)
                                         : g_strdup ("—");
      g_autofree char *mean = g_str_equal (v[4], "NULL")
        ? g_strdup ("—") : g_strdup_printf ("%+.2f %%", g_ascii_strtod (v[4], NULL));

      g_assert_cmpint (b, >=, 0);
      g_assert_cmpint (b, <=, 9);
      seen[b] = TRUE;
      assert_cell (view, 0, b, 1, v[1]);
      assert_cell (view, 0, b, 2, v[2]);
      assert_cell (view, 0, b, 3, rate);
      assert_cell (view, 0, b, 5, mean);
      g_assert_cmpint (count, >, 0);
    }
  for (int b = 0; b < 10; b++)
    if (!seen[b])
      assert_cell (view, 0, b, 1, "0");
  shot (f, "trades-calibration.png");
}

static void
test_breakdown (Fixture       *f,
                gconstpointer  data)
{
  HsTradeAnalysis *view = HS_TRADE_ANALYSIS (hs_trades_page_get_view (f->page, "breakdown"));
  /* By model, NULL (no reasoning log) first, then byte order: as SQLite's ORDER BY sorts. */
  g_autofree char *rows = hs_test_query_rows (f->db,
    "SELECT json_extract(ai_reasoning_log, '$.model') AS m, count(*), count(pnl_pct),"
    " sum(pnl_pct > 0), avg(pnl_pct) FROM paper_trades GROUP BY m ORDER BY m");
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);
  int n = 0;

  hs_trades_page_show_view (f->page, "breakdown");
  hs_test_wait_for_frames (f->window, 2);
  for (int i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++, n++)
    {
      g_auto(GStrv) v = g_strsplit (lines[i], "|", -1);
      g_autofree char *rate = g_strdup_printf ("%.1f %%", 100.0 * g_ascii_strtod (v[3], NULL)
                                               / g_ascii_strtod (v[2], NULL));
      g_autofree char *mean = g_strdup_printf ("%+.2f %%", g_ascii_strtod (v[4], NULL));

      assert_cell (view, 1, i, 0, g_str_equal (v[0], "NULL") ? "(no reasoning log)" : v[0]);
      assert_cell (view, 1, i, 1, v[1]);
      assert_cell (view, 1, i, 3, rate);
      assert_cell (view, 1, i, 4, mean);
    }
  g_assert_cmpint (n, ==, 4);   /* three models and the trades without a log */
  shot (f, "trades-breakdown.png");
}

static GString *
ids_of_page (HsTradesPage *page)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hs_trades_page_get_n_trades (page); i++)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "\n", hs_trades_page_get_row (page, i)->id);
  return out;
}

static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GString) got = NULL;
  g_autofree char *want = NULL;

  /* Ascending: known values first, ties by id; open trades (no P&L) last. */
  g_assert_true (hs_trades_page_sort_by (f->page, "pnl_pct", FALSE));
  got = ids_of_page (f->page);
  want = hs_test_query_rows (f->db, "SELECT id FROM paper_trades"
                                    " ORDER BY pnl_pct IS NULL, pnl_pct, id");
  g_assert_cmpstr (got->str, ==, want);
  g_string_free (g_steal_pointer (&got), TRUE);
  g_clear_pointer (&want, g_free);

  /* Descending is the exact reverse. */
  g_assert_true (hs_trades_page_sort_by (f->page, "pnl_pct", TRUE));
  got = ids_of_page (f->page);
  want = hs_test_query_rows (f->db, "SELECT id FROM paper_trades"
                                    " ORDER BY pnl_pct IS NOT NULL, pnl_pct DESC, id DESC");
  g_assert_cmpstr (got->str, ==, want);
  g_string_free (g_steal_pointer (&got), TRUE);
  g_clear_pointer (&want, g_free);

  /* By model text. */
  g_assert_true (hs_trades_page_sort_by (f->page, "model", FALSE));
  got = ids_of_page (f->page);
  want = hs_test_query_rows (f->db, "SELECT id FROM paper_trades ORDER BY"
                                    " json_extract(ai_reasoning_log, '$.model') IS NULL,"
                                    " json_extract(ai_reasoning_log, '$.model'), id");
  g_assert_cmpstr (got->str, ==, want);
  g_assert_false (hs_trades_page_sort_by (f->page, "no-such-column", FALSE));
}

static void
test_navigate (Fixture       *f,
               gconstpointer  data)
{
  HsTradeInspector *inspector = HS_TRADE_INSPECTOR (hs_trades_page_get_inspector (f->page));
  guint n;

  /* In the sorted order, not the id order. */
  g_assert_true (hs_trades_page_sort_by (f->page, "confidence", TRUE));
  g_assert_true (hs_trades_page_select (f->page, 3));
  g_assert_cmpint (hs_trade_inspector_get_trade_id (inspector), ==,
                   hs_trades_page_get_row (f->page, 3)->id);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (inspector)));
  g_signal_emit_by_name (inspector, "navigate", 1);
  g_assert_cmpint (hs_trades_page_get_selected (f->page), ==, 4);
  g_assert_cmpint (hs_trade_inspector_get_trade_id (inspector), ==,
                   hs_trades_page_get_row (f->page, 4)->id);
  g_signal_emit_by_name (inspector, "navigate", -1);
  g_signal_emit_by_name (inspector, "navigate", -1);
  g_assert_cmpint (hs_trades_page_get_selected (f->page), ==, 2);
  g_assert_cmpint (hs_trade_inspector_get_trade_id (inspector), ==,
                   hs_trades_page_get_row (f->page, 2)->id);
  /* The ends stay put. */
  n = hs_trades_page_get_n_trades (f->page);
  g_assert_true (hs_trades_page_select (f->page, n - 1));
  g_signal_emit_by_name (inspector, "navigate", 1);
  g_assert_cmpint (hs_trades_page_get_selected (f->page), ==, (int) n - 1);
  shot (f, "trades-inspector.png");

  /* "trade-changed" reads the row again and keeps it selected. */
  g_signal_emit_by_name (inspector, "trade-changed", hs_trades_page_get_row (f->page, n - 1)->id);
  wait_idle (f->page);
  g_assert_cmpint (hs_trades_page_get_selected (f->page), ==, (int) n - 1);
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, n);
}

static void
test_scatter_and_distribution (Fixture       *f,
                               gconstpointer  data)
{
  HsChartWidget *scatter = HS_CHART_WIDGET (hs_trades_page_get_view (f->page, "scatter"));
  HsChartWidget *histogram = HS_CHART_WIDGET (hs_trades_page_get_view (f->page,
                                                                       "distribution"));
  const HsScatterData *points = hs_chart_widget_get_data (scatter);
  const HsHistogramData *values = hs_chart_widget_get_data (histogram);
  HsTradeInspector *inspector = HS_TRADE_INSPECTOR (hs_trades_page_get_inspector (f->page));

  /* One point per labeled trade, one value per closed one. */
  g_assert_cmpuint (points->n, ==, (size_t) hs_test_query_int (f->db,
    "SELECT count(*) FROM paper_trades WHERE target_mfe_pct IS NOT NULL"
    " AND target_mae_pct IS NOT NULL"));
  g_assert_cmpuint (values->n, ==, (size_t) hs_test_query_int (f->db,
    "SELECT count(pnl_pct) FROM paper_trades"));
  hs_trades_page_show_view (f->page, "scatter");
  shot (f, "trades-scatter.png");

  /* A click on point 0 opens its trade: the first labeled one in id order. */
  g_signal_emit_by_name (scatter, "point-activated", 0);
  g_assert_cmpint (hs_trade_inspector_get_trade_id (inspector), ==, hs_test_query_int (f->db,
    "SELECT min(id) FROM paper_trades WHERE target_mfe_pct IS NOT NULL"));

  hs_trades_page_show_view (f->page, "distribution");
  shot (f, "trades-distribution.png");
}

static void
test_saved_queries (Fixture       *f,
                    gconstpointer  data)
{
  GtkEntry *entry = hs_trades_page_get_query_entry (f->page);
  guint n;

  hs_trades_page_set_query (f->page, "ai.confidence_score >= 8");
  wait_idle (f->page);
  n = hs_trades_page_get_n_trades (f->page);
  g_assert_cmpint (n, ==, hs_test_query_int (f->db, "SELECT count(*) FROM paper_trades WHERE"
                                                    " json_extract(ai_reasoning_log,"
                                                    " '$.confidence_score') >= 8"));
  g_assert_true (hs_trades_page_save_query (f->page, "confident"));
  hs_trades_page_set_query (f->page, "");
  wait_idle (f->page);
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, HS_TEST_TRADES_N);
  g_assert_true (hs_trades_page_apply_saved_query (f->page, "confident"));
  wait_idle (f->page);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ai.confidence_score >= 8");
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, n);
  g_assert_false (hs_trades_page_apply_saved_query (f->page, "nothing"));
  g_assert_false (hs_trades_page_save_query (f->page, "  "));
}

static void
labeler_finished_cb (HsTradesPage *page,
                     int           n,
                     int          *out)
{
  *out = n;
}

static void
test_labeler (Fixture       *f,
              gconstpointer  data)
{
  int n_labeled = -2;
  int64_t id = 0, entry = 1711027800000000;   /* 2024-03-21T13:30:00Z */
  const HsTradeRow *row = NULL;

  /* A closed long AAPL trade without labels, entered at 100 at 13:30 and exited at 14:00, and
   * the minute bars from 13:30 to 14:59, bar i (starting 13:30 + i min) closing at
   * 100 + 0.1 i. By hand (docs/labels.md): the 1-hour price is the close of the last bar ending
   * by 14:30, bar 59: 105.9, so target_pnl_1h = (105.9 − 100) / 100 × 100 = 5.9 %. */
  {
    g_autoptr(HsStore) store = hs_test_store_open (f->db);
    g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();
    g_autoptr(GError) error = NULL;
    int64_t aapl = hs_test_store_instrument (store, "AAPL", "NASDAQ", "stock");

    for (int i = 0; i < 90; i++)
      hs_test_store_add_bar (store, aapl, "1m", entry + (int64_t) i * 60 * G_USEC_PER_SEC,
                             100 + 0.1 * i);
    t->instrument_id = aapl;
    t->quantity = 10;
    t->entry_ts = entry;
    t->entry_price = 100;
    t->exit_ts = entry + (int64_t) 30 * 60 * G_USEC_PER_SEC;
    t->exit_price = 103;
    t->exit_reason = g_strdup ("signal");
    g_free (t->status);
    t->status = g_strdup ("closed");
    hs_paper_pnl (t->side, t->quantity, t->entry_price, t->exit_price, 0, &t->pnl, &t->pnl_pct);
    g_assert_true (hs_store_paper_insert (store, t, &error));
    g_assert_no_error (error);
    id = t->id;
  }
  hs_trades_page_reload (f->page);
  wait_idle (f->page);
  g_assert_true (hs_trades_page_select_trade (f->page, id));
  row = hs_trades_page_get_row (f->page, (guint) hs_trades_page_get_selected (f->page));
  g_assert_cmpint (row->id, ==, id);
  g_assert_true (isnan (row->target_pnl_1h));

  g_signal_connect (f->page, "labeler-finished", G_CALLBACK (labeler_finished_cb), &n_labeled);
  g_assert_true (hs_trades_page_run_labeler (f->page));
  g_assert_true (hs_trades_page_get_labeling (f->page));
  g_assert_false (hs_trades_page_run_labeler (f->page));   /* one at a time */
  shot (f, "trades-labeler.png");
  while (n_labeled == -2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hs_trades_page_get_labeling (f->page));
  /* Only the new trade was waiting: the 500 are labeled already or still open. */
  g_assert_cmpint (n_labeled, ==, 1);
  wait_idle (f->page);

  /* The row changed in place and stays selected. */
  row = hs_trades_page_get_row (f->page, (guint) hs_trades_page_get_selected (f->page));
  g_assert_cmpint (row->id, ==, id);
  g_assert_cmpfloat_with_epsilon (row->target_pnl_1h, 5.9, 1e-9);
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, HS_TEST_TRADES_N + 1);
}

/* The switch to a backtest run's trades: a run of 40 trades stored here, trade k with MFE
 * k × 0.25 % (exact in binary), so `mfe_pct > 2` holds for k = 9 … 39: 31 trades by hand. */
static void
test_backtest_source (Fixture       *f,
                      gconstpointer  data)
{
  int64_t run_id = 0;

  {
    g_autoptr(HsStore) store = hs_test_store_open (f->db);
    g_autoptr(HsBtRunInfo) info = hs_bt_run_info_new ();
    g_autoptr(HsBtResult) result = hs_bt_result_new_empty (0);
    g_autoptr(GError) error = NULL;

    info->strategy_name = g_strdup ("sma_cross");
    info->symbol = g_strdup ("SPY");
    info->interval = g_strdup ("1d");
    info->start_ts = 1704067200000000;   /* 2024-01-01 */
    info->end_ts = info->start_ts + (int64_t) 60 * 86400 * G_USEC_PER_SEC;
    info->initial_cash = 10000;
    for (int k = 0; k < 40; k++)
      {
        HsBtTrade t = { 0 };

        t.entry_ts = info->start_ts + (int64_t) k * 86400 * G_USEC_PER_SEC;
        t.exit_ts = t.entry_ts + 3600 * (int64_t) G_USEC_PER_SEC;
        t.side = k % 2 == 0 ? 1 : -1;
        t.quantity = 1;
        t.entry_price = 100;
        t.exit_price = 100 + t.side * (k % 3 - 1);
        t.pnl = t.side * (t.exit_price - t.entry_price);
        t.pnl_pct = t.pnl;
        t.mfe_pct = k * 0.25;
        t.mae_pct = 0.5;
        t.bars_held = 1;
        t.exit_reason = HS_EXIT_SIGNAL;
        g_array_append_val (result->trades, t);
      }
    result->stats.total_trades = 40;
    g_assert_true (hs_store_save_backtest (store, info, result, &run_id, &error));
    g_assert_no_error (error);
  }
  /* A new database path re-reads the runs for the drop-down. */
  hs_trades_page_set_database_path (f->page, f->db);
  wait_idle (f->page);
  hs_trades_page_set_run (f->page, run_id);
  wait_idle (f->page);
  g_assert_cmpint (hs_trades_page_get_run (f->page), ==, run_id);
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, 40);
  g_assert_cmpfloat (hs_trades_page_get_row (f->page, 39)->mfe_pct, ==, 39 * 0.25);

  hs_trades_page_set_query (f->page, "mfe_pct > 2");
  wait_idle (f->page);
  g_assert_null (hs_trades_page_get_query_error (f->page));
  g_assert_cmpuint (hs_trades_page_get_n_trades (f->page), ==, 31);
  shot (f, "trades-backtest.png");

  /* The AI's fields belong to paper trades: an error here. */
  hs_trades_page_set_query (f->page, "ai.confidence_score > 5");
  g_assert_nonnull (hs_trades_page_get_query_error (f->page));

  /* Back to the paper trades, where it is valid. */
  hs_trades_page_set_run (f->page, 0);
  wait_idle (f->page);
  g_assert_null (hs_trades_page_get_query_error (f->page));
  g_assert_cmpint (hs_trades_page_get_n_trades (f->page), ==,
                   hs_test_query_int (f->db, "SELECT count(*) FROM paper_trades WHERE"
                                             " json_extract(ai_reasoning_log,"
                                             " '$.confidence_score') > 5"));
}

int
main (int   argc,
      char *argv[])
{
  hs_test_ui_init (&argc, &argv);
  {
    g_autofree char *dir = g_dir_make_tmp ("hs-test-trades-XXXXXX", NULL);

    g_assert_nonnull (dir);
    template_db = g_build_filename (dir, "template.db", NULL);
    hs_test_trades_db_write (template_db, 8);
  }

#define ADD(path, func) \
  g_test_add ("/hs/ui/trades/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list-and-footer", test_list_and_footer);
  ADD ("query-matches-cli", test_query_matches_cli);
  ADD ("completion", test_completion);
  ADD ("calibration", test_calibration);
  ADD ("breakdown", test_breakdown);
  ADD ("sort", test_sort);
  ADD ("navigate", test_navigate);
  ADD ("scatter-and-distribution", test_scatter_and_distribution);
  ADD ("saved-queries", test_saved_queries);
  ADD ("labeler", test_labeler);
  ADD ("backtest-source", test_backtest_source);
#undef ADD

  {
    int status = g_test_run ();

    g_autofree char *dir = g_path_get_dirname (template_db);

    g_remove (template_db);
    g_rmdir (dir);
    g_free (template_db);
    return status;
  }
}
