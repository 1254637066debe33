/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The results view's trade list at 100,000 trades (issue 7, item 5: virtualised, smooth): how
 * long showing such a run takes until its first frame, sorting it by P&L, and scrolling it — a
 * page further every frame for 300 frames, then to random places — measured as the time
 * between two painted frames (the frame clock's "after-paint"). A frame is what a person sees;
 * 16.7 ms is 60 per second. Nothing is asserted: the figures are printed, the last line as JSON.
 *
 *   xvfb-run -a meson test -C BUILD --benchmark --suite backtest-gui -v
 *   (or run BUILD/tests/gui/bench-btgui-trades under Xvfb; --trades N)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "hs-backtest-results.h"
#include "hs-gui-test.h"
#include "hs-ui.h"

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

typedef struct
{
  GArray  *frames;   /* double ms between paints */
  int64_t  last;
} Frames;

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *f)
{
  int64_t now = g_get_monotonic_time ();

  if (f->last != 0)
    {
      double ms = (now - f->last) / 1000.0;

      g_array_append_val (f->frames, ms);
    }
  f->last = now;
}

/* The main thread's CPU time, ms: what the figures cost apart from other processes' turns. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
scrollable (GtkAdjustment *adj)
{
  return gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 1;
}

/* Paints one frame. */
static void
one_frame (GtkWidget *window,
           Frames    *f)
{
  size_t before = f->frames->len;

  gtk_widget_queue_draw (window);
  while (f->frames->len == before)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  HsBacktestResults *results = NULL;
  HsTradeList *list = NULL;
  GtkAdjustment *vadj = NULL;
  GtkWidget *window = NULL;
  GdkFrameClock *clock = NULL;
  Frames f = { NULL, 0 };
  int n_trades = 100000;
  int64_t t0;
  double show_ms, sort_ms, median, p99, worst, c0, show_cpu, sort_cpu, scroll_cpu;
  guint n;
  GRand *rand = NULL;
  const GOptionEntry entries[] = {
    { "trades", 0, 0, G_OPTION_ARG_INT, &n_trades, "Trades (default 100000)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  gtk_init ();
  adw_init ();
  hs_ui_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  results = HS_BACKTEST_RESULTS (hs_backtest_results_new ());
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (results));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  f.frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &f);
  one_frame (window, &f);

  /* Show the run: until its first frame, and until the table is laid out. */
  {
    HsBacktestOutcome *o = hs_gui_test_synthetic_outcome ((guint) n_trades);

    t0 = g_get_monotonic_time ();
    c0 = cpu_ms ();
    hs_backtest_results_show_outcome (results, o);
  }
  one_frame (window, &f);
  list = hs_backtest_results_get_trade_list (results);
  hs_backtest_results_scroll_to (results, "trades");
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
           hs_gui_test_find_type (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW)));
  while (!scrollable (vadj))
    one_frame (window, &f);
  show_ms = (g_get_monotonic_time () - t0) / 1000.0;
  show_cpu = cpu_ms () - c0;

  /* Sorting, until the rows are in place (one step: it stalls the main loop that long). */
  t0 = g_get_monotonic_time ();
  c0 = cpu_ms ();
  hs_trade_list_sort_by (list, "pnl", TRUE);
  one_frame (window, &f);
  sort_ms = (g_get_monotonic_time () - t0) / 1000.0;
  sort_cpu = cpu_ms () - c0;
  g_array_set_size (f.frames, 0);


  /* Scrolling: a page a frame, then jumps. */
  g_array_set_size (f.frames, 0);
  f.last = 0;
  one_frame (window, &f);
  g_array_set_size (f.frames, 0);
  rand = g_rand_new_with_seed (42);
  c0 = cpu_ms ();
  for (int i = 0; i < 400; i++)
    {
      double page = gtk_adjustment_get_page_size (vadj);
      double top = gtk_adjustment_get_upper (vadj) - page;
      double v = i < 300 ? MIN (top, gtk_adjustment_get_value (vadj) + page)
                         : g_rand_double_range (rand, 0, top);

      gtk_adjustment_set_value (vadj, v);
      one_frame (window, &f);
    }
  scroll_cpu = cpu_ms () - c0;
  g_rand_free (rand);
  g_array_sort (f.frames, compare_doubles);
  n = f.frames->len;
  median = g_array_index (f.frames, double, (n - 1) / 2);
  p99 = g_array_index (f.frames, double, (guint) (0.99 * (n - 1)));
  worst = g_array_index (f.frames, double, n - 1);

  g_print ("bench-btgui-trades (%s build): %d trades\n", HS_BENCH_BUILDTYPE, n_trades);
  g_print ("show the run until its table is laid out: %.1f ms (main thread CPU %.1f ms)\n",
           show_ms, show_cpu);
  g_print ("sort by P&L, descending, until the rows are drawn: %.1f ms (CPU %.1f ms)\n",
           sort_ms, sort_cpu);
  g_print ("scrolling, %u frames: median %.2f ms, p99 %.2f ms, longest %.2f ms between frames "
           "(CPU %.2f ms a frame)\n", n, median, p99, worst, scroll_cpu / MAX (n, 1));
  g_print ("{\"bench\":\"btgui-trades\",\"buildtype\":\"%s\",\"trades\":%d,\"show_ms\":%.1f,"
           "\"sort_ms\":%.1f,\"frame_median_ms\":%.2f,\"frame_p99_ms\":%.2f,"
           "\"frame_max_ms\":%.2f,\"show_cpu_ms\":%.1f,\"sort_cpu_ms\":%.1f,"
           "\"frame_cpu_ms\":%.2f}\n", HS_BENCH_BUILDTYPE, n_trades, show_ms, sort_ms, median,
           p99, worst, show_cpu, sort_cpu, scroll_cpu / MAX (n, 1));
  g_signal_handlers_disconnect_by_data (clock, &f);
  g_array_unref (f.frames);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
