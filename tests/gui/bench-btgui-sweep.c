/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Responsiveness of the window while a sweep runs (issue 7, item 8): the Backtests page in a
 * window, its setup filled with bench-sweep's grid — sma_cross, fast 2…41 × slow 50…290 step
 * 10, 1,000 combinations — over 100,000 one-minute gen-bars bars (seed 42) in a fresh
 * database, and Run pressed. A timeout source ticks every 2 ms on the main loop and records
 * when it runs; the gap between two ticks is how long the main loop could not answer (a
 * frame, a click). Measured from Run until the sweep's results are on screen (the toast's Open
 * followed: their table and heat map drawn), so the work the main thread does at the end
 * counts. Target: the longest
 * gap under 50 ms. On a shared machine a gap is also other processes' turn: the bench reports
 * beside it the main thread's longest busy stretch (its CPU time between two ticks), its own
 * work, and a baseline of the same ticks without a sweep. Nothing is asserted: the figures are
 * printed, the last line as JSON.
 *
 *   xvfb-run -a meson test -C BUILD --benchmark --suite backtest-gui -v
 *   (or run BUILD/tests/gui/bench-btgui-sweep under Xvfb; --bars N, --jobs N, --runs N)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hs-backtest-page.h"
#include "hs-bench-store.h"
#include "hs-ui.h"

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

typedef struct
{
  GArray  *gaps;     /* double, ms */
  int64_t  last;     /* monotonic µs of the last tick */
  int64_t  start;
  double   last_cpu; /* the main thread's CPU time at the last tick, ms */
  double   max_busy; /* the most CPU the main thread used between two ticks, ms */
} Ticks;

/* The main thread's CPU time, ms. A gap in which it used little CPU was other threads' and
 * processes' turn; one in which it used a lot was its own work. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static gboolean
tick_cb (gpointer data)
{
  Ticks *t = data;
  int64_t now = g_get_monotonic_time ();
  double gap = (now - t->last) / 1000.0;
  double cpu = cpu_ms ();

  t->max_busy = MAX (t->max_busy, cpu - t->last_cpu);
  if (cpu - t->last_cpu > 4 && g_getenv ("HS_BENCH_VERBOSE") != NULL)
    g_printerr ("busy %.1f ms of CPU ending at %.3f\n", cpu - t->last_cpu, now / 1e6);
  t->last_cpu = cpu;
  g_array_append_val (t->gaps, gap);
  if (gap > 20 && g_getenv ("HS_BENCH_VERBOSE") != NULL)
    g_printerr ("gap %.1f ms ending at %.3f s (%.3f)\n", gap, (now - t->start) / 1e6,
                now / 1e6);
  t->last = now;
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The 1-minute load average, for reading the figures: other processes delay the main loop. */
static const char *
load_average (void)
{
  static char text[32] = "unknown";
  g_autofree char *contents = NULL;

  if (g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    {
      char *space = strchr (contents, ' ');

      if (space != NULL)
        *space = '\0';
      g_strlcpy (text, contents, sizeof text);
    }
  return text;
}

static gboolean
loaded (gpointer data)
{
  return !hs_backtest_setup_get_loading (data);
}

static void
finished_cb (HsBacktestSetup *setup,
             gboolean        *done)
{
  if (g_getenv ("HS_BENCH_VERBOSE") != NULL)
    g_printerr ("finished at %.3f\n", g_get_monotonic_time () / 1e6);
  *done = TRUE;
}

typedef struct
{
  double seconds, max_gap, p99, p50, max_busy, cpu;
  guint  ticks, combinations;
} Measure;

static void
measure (HsBacktestPage *page,
         GtkWidget      *window,
         int             jobs,
         Measure        *m)
{
  HsBacktestSetup *setup = hs_backtest_page_get_setup (page);
  Ticks t = { g_array_new (FALSE, FALSE, sizeof (double)), 0, 0, 0, 0 };
  gboolean done = FALSE;
  gulong handler;
  guint source;
  int64_t t0;
  double cpu0;
  guint n;

  hs_backtest_setup_set_sweep_jobs (setup, jobs);
  handler = g_signal_connect_after (setup, "finished", G_CALLBACK (finished_cb), &done);
  t0 = g_get_monotonic_time ();
  t.last = t.start = t0;
  t.last_cpu = cpu0 = cpu_ms ();
  source = g_timeout_add (2, tick_cb, &t);
  hs_backtest_setup_run (setup);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  /* The person follows the toast to the results: the page shows them, drawn twice. */
  for (int frame = 0; frame < 4; frame++)
    {
      if (frame == 1 && g_getenv ("HS_BENCH_VERBOSE") != NULL)
        g_printerr ("show-result at %.3f\n", g_get_monotonic_time () / 1e6);
      if (frame == 1)
        gtk_widget_activate_action (GTK_WIDGET (page), "backtests.show-result", NULL);
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  hs_backtest_page_show (page, "setup");
  m->seconds = (g_get_monotonic_time () - t0) / 1e6;
  m->cpu = cpu_ms () - cpu0;
  g_source_remove (source);
  g_signal_handler_disconnect (setup, handler);
  g_array_sort (t.gaps, compare_doubles);
  n = t.gaps->len;
  m->ticks = n;
  m->max_gap = n > 0 ? g_array_index (t.gaps, double, n - 1) : NAN;
  m->p99 = n > 0 ? g_array_index (t.gaps, double, (guint) (0.99 * (n - 1))) : NAN;
  m->p50 = n > 0 ? g_array_index (t.gaps, double, (n - 1) / 2) : NAN;
  m->combinations = (guint) hs_backtest_setup_get_combinations (setup);
  m->max_busy = t.max_busy;
  g_array_unref (t.gaps);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(HsStore) store = NULL;
  HsBacktestPage *page = NULL;
  HsBacktestSetup *setup = NULL;
  HsParamForm *form = NULL;
  GtkWidget *window = NULL;
  int64_t id = 0;
  int bars = 100000, jobs = 0, runs = 2;
  guint cores = g_get_num_processors ();
  const GOptionEntry entries[] = {
    { "bars", 0, 0, G_OPTION_ARG_INT, &bars, "Bars (default 100000)", "N" },
    { "jobs", 0, 0, G_OPTION_ARG_INT, &jobs, "Sweep threads (default: one per core)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Measured sweeps (default 2)", "N" },
    { NULL }
  };
  Measure worst = { 0 };
  Ticks idle = { NULL, 0, 0, 0, 0 };
  double idle_max = 0;
  double total_seconds = 0, worst_busy = 0;

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

  dir = g_dir_make_tmp ("hs-bench-btgui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  if (!hs_bench_store_gen_bars (store, (size_t) bars, &id, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_clear_pointer (&store, hs_store_close);

  page = HS_BACKTEST_PAGE (hs_backtest_page_new ());
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  hs_backtest_page_set_database_path (page, path);
  setup = hs_backtest_page_get_setup (page);
  while (!loaded (setup))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hs_backtest_setup_select_instrument (setup, "BENCH"));
  g_assert_true (hs_backtest_setup_select_interval (setup, "1m"));
  g_assert_true (hs_backtest_setup_apply_preset (setup, "all"));
  g_assert_true (hs_backtest_setup_select_strategy (setup, "sma_cross"));
  form = hs_backtest_setup_get_param_form (setup);
  g_assert_true (hs_param_form_set_range (form, "fast", 2, 41, 1));
  g_assert_true (hs_param_form_set_range (form, "slow", 50, 290, 10));
  if (!hs_backtest_setup_get_can_run (setup))
    {
      g_printerr ("cannot run: %s\n", hs_backtest_setup_get_problem (setup));
      return 1;
    }

  g_print ("bench-btgui-sweep (%s build): %d bars, %u cores, %s sweep threads\n",
           HS_BENCH_BUILDTYPE, bars, cores, jobs > 0 ? "given" : "default");

  /* The baseline: the same ticks for 3 s without a sweep, what the machine alone costs. */
  {
    int64_t end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    guint source;

    idle.gaps = g_array_new (FALSE, FALSE, sizeof (double));
    idle.last = idle.start = g_get_monotonic_time ();
    idle.last_cpu = cpu_ms ();
    source = g_timeout_add (2, tick_cb, &idle);
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (source);
    for (guint i = 0; i < idle.gaps->len; i++)
      idle_max = MAX (idle_max, g_array_index (idle.gaps, double, i));
    g_print ("baseline, no sweep: %u ticks in 3 s, longest gap %.2f ms (load average %s)\n",
             idle.gaps->len, idle_max, load_average ());
    g_array_unref (idle.gaps);
  }
  for (int r = 0; r < runs; r++)
    {
      Measure m = { 0 };

      measure (page, window, jobs, &m);
      total_seconds += m.seconds;
      g_print ("run %d: %u combinations in %.2f s; main loop ticks %u, gap median %.2f ms, "
               "p99 %.2f ms, longest %.2f ms; the main thread's longest busy stretch %.2f ms, "
               "its CPU time %.0f ms in all (load average %s)\n", r + 1, m.combinations,
               m.seconds, m.ticks, m.p50, m.p99, m.max_gap, m.max_busy, m.cpu, load_average ());
      worst_busy = MAX (worst_busy, m.max_busy);
      if (m.max_gap > worst.max_gap)
        worst = m;
    }
  g_print ("longest main-loop stall while a %u-combination sweep runs: %.2f ms (target < 50 ms); "
           "of it the main thread's own work at most %.2f ms\n", worst.combinations,
           worst.max_gap, worst_busy);
  g_print ("{\"bench\":\"btgui-sweep\",\"buildtype\":\"%s\",\"bars\":%d,\"combinations\":%u,"
           "\"cores\":%u,\"jobs\":%d,\"runs\":%d,\"mean_seconds\":%.3f,\"max_gap_ms\":%.3f,"
           "\"p99_gap_ms\":%.3f,\"max_busy_ms\":%.3f,\"baseline_max_gap_ms\":%.3f}\n",
           HS_BENCH_BUILDTYPE, bars, worst.combinations, cores, jobs, runs,
           total_seconds / MAX (runs, 1), worst.max_gap, worst.p99, worst_busy, idle_max);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  hs_bench_store_remove (path);
  g_rmdir (dir);
  return 0;
}
