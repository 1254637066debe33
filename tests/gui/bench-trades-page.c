/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Trades page at 100,000 paper trades with context and reasoning: how long the worker's
 * read of a training query takes (hs_trades_query_run(), no GTK), how long the page takes from
 * opening the database to its first frame with the list, footer and views filled, sorting the
 * list by P&L, and a typed query (signals.5m.rsi > 70) until its rows are shown. Nothing is
 * asserted: the figures are printed, the last line as JSON.
 *
 *   xvfb-run -a meson test -C BUILD --benchmark --suite trades -v
 *   (or run BUILD/tests/gui/bench-trades-page under Xvfb; --trades N)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "hs-store.h"
#include "hs-test-trades-db.h"
#include "hs-trades-job.h"
#include "hs-trades-page.h"
#include "hs-ui.h"

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

static int64_t first_loaded;   /* when the first "trades-loaded" came, µs */

static void
loaded_cb (HsTradesPage *page,
           gboolean     *done)
{
  if (first_loaded == 0)
    first_loaded = g_get_monotonic_time ();
  *done = TRUE;
}

static void
wait_loaded (HsTradesPage *page,
             gboolean     *done)
{
  while (!*done || hs_trades_page_get_loading (page))
    g_main_context_iteration (NULL, TRUE);
}

static void
after_paint_cb (GdkFrameClock *clock,
                int           *count)
{
  (*count)++;
}

static void
wait_frame (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  int count = 0;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &count);

  while (count < 1)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

int
main (int   argc,
      char *argv[])
{
  int n = 100000;
  g_autofree char *dir = g_dir_make_tmp ("bench-trades-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "trades.db", NULL);
  g_autoptr(GError) error = NULL;
  double t_write, t_query, t_query_all, t_open, t_list, t_sort, t_typed;
  guint n_hot = 0;
  gboolean done = FALSE;
  GtkWidget *window;
  HsTradesPage *page;
  int64_t t0;

  for (int i = 1; i + 1 < argc; i++)
    if (g_str_equal (argv[i], "--trades"))
      n = atoi (argv[i + 1]);
  gtk_init ();
  adw_init ();
  hs_ui_init ();

  t0 = g_get_monotonic_time ();
  hs_test_trades_db_write_n (db, 8, n);
  t_write = (g_get_monotonic_time () - t0) / 1e3;

  /* The worker's part alone. */
  {
    g_autoptr(HsStore) store = hs_store_open (db, HS_STORE_OPEN_DEFAULT, &error);
    HsTradesQuery all = { 0, NULL };
    HsTradesQuery hot = { 0, (char *) "signals.5m.rsi > 70" };
    g_autoptr(GPtrArray) rows = NULL;

    g_assert_no_error (error);
    t0 = g_get_monotonic_time ();
    rows = hs_trades_query_run (store, &all, NULL, &error);
    t_query_all = (g_get_monotonic_time () - t0) / 1e3;
    g_assert_no_error (error);
    g_clear_pointer (&rows, g_ptr_array_unref);
    t0 = g_get_monotonic_time ();
    rows = hs_trades_query_run (store, &hot, NULL, &error);
    t_query = (g_get_monotonic_time () - t0) / 1e3;
    g_assert_no_error (error);
  }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  page = HS_TRADES_PAGE (hs_trades_page_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  wait_frame (window);
  g_signal_connect (page, "trades-loaded", G_CALLBACK (loaded_cb), &done);

  t0 = g_get_monotonic_time ();
  hs_trades_page_set_database_path (page, db);
  wait_loaded (page, &done);
  wait_frame (window);
  t_open = (g_get_monotonic_time () - t0) / 1e3;
  t_list = (first_loaded - t0) / 1e3;

  t0 = g_get_monotonic_time ();
  hs_trades_page_sort_by (page, "pnl_pct", TRUE);
  wait_frame (window);
  t_sort = (g_get_monotonic_time () - t0) / 1e3;

  done = FALSE;
  t0 = g_get_monotonic_time ();
  hs_trades_page_set_query (page, "signals.5m.rsi > 70");
  wait_loaded (page, &done);
  wait_frame (window);
  t_typed = (g_get_monotonic_time () - t0) / 1e3;
  n_hot = hs_trades_page_get_n_trades (page);

  g_print ("trades: %d (build %s)\n", n, HS_BENCH_BUILDTYPE);
  g_print ("writing the database: %.0f ms\n", t_write);
  g_print ("worker read, all trades: %.0f ms; signals.5m.rsi > 70 (%u rows): %.0f ms\n",
           t_query_all, n_hot, t_query);
  g_print ("page: open to the list and views filled %.0f ms, to every read done (runs, completion"
           " names) and drawn %.0f ms; sort by P&L %.0f ms; query to frame %.0f ms\n",
           t_list, t_open, t_sort, t_typed);
  g_print ("{\"trades\": %d, \"buildtype\": \"%s\", \"read_all_ms\": %.1f, \"read_query_ms\": %.1f,"
           " \"list_ms\": %.1f, \"open_ms\": %.1f, \"sort_ms\": %.1f, \"query_ms\": %.1f}\n",
           n, HS_BENCH_BUILDTYPE, t_query_all, t_query, t_list, t_open, t_sort, t_typed);

  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (db);
  g_rmdir (dir);
  return 0;
}
