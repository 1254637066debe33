/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chart redraw benchmark: an equity curve of 1,000,000 one-minute points (a seeded random walk
 * with its drawdown, as a backtest result carries it) painted with hs_paint_equity() into a
 * 1600×900 image surface, decimation, ticks, labels and the drawdown pane included, 50 times:
 * the whole range (fit) and a zoomed view of a tenth of it, with the block indexes
 * hs_equity_chart_data_new() builds once (their cost printed apart), and the whole range
 * once more from bare arrays without them. The median and the maximum of each
 * are printed (target: < 8 ms), in wall-clock time and in this thread's CPU time (which other
 * processes on a shared machine do not inflate), then one JSON line for scripts. Nothing is
 * asserted.
 *
 *   meson test -C BUILD --benchmark -v --suite bench      (or run BUILD/tests/bench/bench-chart)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-chart.h"
#include "hs-chart-equity.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* CPU time of this thread in ms: on a machine shared with other work the wall clock also
 * counts the time other processes had the processor. */
static double
thread_cpu_ms (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return (double) t.tv_sec * 1e3 + (double) t.tv_nsec / 1e6;
}

typedef struct
{
  double wall_median, wall_max, cpu_median, cpu_max;
} Figures;

static void
median_max (double *t,
            int     runs,
            double *median,
            double *max)
{
  qsort (t, (size_t) runs, sizeof *t, compare_double);
  *median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
  *max = t[runs - 1];
}

/* Paints @runs times; the median and maximum of wall and CPU time, in ms. */
static void
measure (cairo_t                 *cr,
         const HsEquityChartData *data,
         const HsChartView       *view,
         const HsChartStyle      *style,
         int                      width,
         int                      height,
         int                      runs,
         Figures                 *out)
{
  g_autofree double *wall = g_new (double, runs);
  g_autofree double *cpu = g_new (double, runs);

  for (int r = 0; r < runs; r++)
    {
      int64_t t0 = g_get_monotonic_time ();
      double c0 = thread_cpu_ms ();

      hs_paint_equity (cr, data, view, width, height, style);
      cairo_surface_flush (cairo_get_target (cr));
      cpu[r] = thread_cpu_ms () - c0;
      wall[r] = (double) (g_get_monotonic_time () - t0) / 1e3;
    }
  median_max (wall, runs, &out->wall_median, &out->wall_max);
  median_max (cpu, runs, &out->cpu_median, &out->cpu_max);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(HsEquityChartData) data = NULL;
  HsEquityChartData plain = { 0 };
  g_autofree int64_t *ts = NULL;
  g_autofree double *equity = NULL;
  gint64 points = 1000000;
  int runs = 50, width = 1600, height = 900;
  GOptionEntry entries[] = {
    { "points", 0, 0, G_OPTION_ARG_INT64, &points, "Equity points (default 1000000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Redraws per case (default 50)", "N" },
    { NULL }
  };
  cairo_surface_t *surface = NULL;
  cairo_t *cr = NULL;
  HsChartStyle style;
  HsChartView zoom;
  Figures fit, zoom10, fit_plain;
  double index_ms;
  double v = 100000, first_ms, load[3] = { 0 };
  int64_t t0;

  ctx = g_option_context_new ("— redraw of a 1,000,000-point equity curve");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || points <= 1 || runs <= 0)
    {
      g_printerr ("bench-chart: %s\n", error ? error->message : "--points > 1, --runs > 0");
      return 2;
    }

  ts = g_new (int64_t, points);
  equity = g_new (double, points);
  for (gint64 i = 0; i < points; i++)
    {
      ts[i] = INT64_C (1577836800000000) + i * INT64_C (60000000);   /* 2020-01-01, minutes */
      v *= 1 + g_rand_double_range (rand, -0.001, 0.001);
      equity[i] = v;
    }
  t0 = g_get_monotonic_time ();
  data = hs_equity_chart_data_new (ts, equity, NULL, NULL, (size_t) points);
  index_ms = (double) (g_get_monotonic_time () - t0) / 1e3;
  /* The same curve as borrowed arrays without block indexes (what a caller painting its own
   * arrays gets): every redraw scans all points. */
  plain.ts = data->ts;
  plain.equity = data->equity;
  plain.drawdown = data->drawdown;
  plain.n = data->n;

  hs_chart_style_init (&style, FALSE);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);

  /* The first paint loads fonts and fills pango's caches: shown apart. */
  t0 = g_get_monotonic_time ();
  hs_paint_equity (cr, data, NULL, width, height, &style);
  first_ms = (double) (g_get_monotonic_time () - t0) / 1e3;

  measure (cr, data, NULL, &style, width, height, runs, &fit);
  measure (cr, &plain, NULL, &style, width, height, runs, &fit_plain);
  hs_chart_view_init (&zoom);
  zoom.x_min = (double) ts[points / 2];
  zoom.x_max = (double) ts[points / 2 + points / 10];
  measure (cr, data, &zoom, &style, width, height, runs, &zoom10);
  if (getloadavg (load, 3) < 0)
    load[0] = NAN;

  g_print ("Hindsight chart benchmark: equity + drawdown, %" G_GINT64_FORMAT " points, "
           "%dx%d image surface, %d redraws each, build type %s, load average %.2f\n",
           points, width, height, runs, HS_BENCH_BUILDTYPE, load[0]);
  g_print ("data copy, drawdown and block indexes, once: %.2f ms\n", index_ms);
  g_print ("first paint (fonts loading)  %7.2f ms\n", first_ms);
  g_print ("                               wall median    max   cpu median    max\n");
  g_print ("whole range (target < 8 ms)  %7.2f ms %7.2f ms %7.2f ms %7.2f ms\n",
           fit.wall_median, fit.wall_max, fit.cpu_median, fit.cpu_max);
  g_print ("a tenth of it                %7.2f ms %7.2f ms %7.2f ms %7.2f ms\n",
           zoom10.wall_median, zoom10.wall_max, zoom10.cpu_median, zoom10.cpu_max);
  g_print ("whole range, no block index  %7.2f ms %7.2f ms %7.2f ms %7.2f ms\n",
           fit_plain.wall_median, fit_plain.wall_max, fit_plain.cpu_median, fit_plain.cpu_max);
  g_print ("{\"bench\":\"chart\",\"buildtype\":\"%s\",\"points\":%" G_GINT64_FORMAT
           ",\"width\":%d,\"height\":%d,\"runs\":%d,\"load\":%.2f,"
           "\"fit_wall_median_ms\":%.3f,\"fit_wall_max_ms\":%.3f,"
           "\"fit_cpu_median_ms\":%.3f,\"fit_cpu_max_ms\":%.3f,"
           "\"zoom_wall_median_ms\":%.3f,\"zoom_wall_max_ms\":%.3f,"
           "\"zoom_cpu_median_ms\":%.3f,\"zoom_cpu_max_ms\":%.3f,"
           "\"plain_cpu_median_ms\":%.3f,\"plain_cpu_max_ms\":%.3f,\"index_ms\":%.3f}\n",
           HS_BENCH_BUILDTYPE, points, width, height, runs, load[0], fit.wall_median,
           fit.wall_max, fit.cpu_median, fit.cpu_max, zoom10.wall_median, zoom10.wall_max,
           zoom10.cpu_median, zoom10.cpu_max, fit_plain.cpu_median, fit_plain.cpu_max, index_ms);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return EXIT_SUCCESS;
}
