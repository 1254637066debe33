/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window's pages read on their workers (docs/ui.md), on a database of 1,000,000
 * one-minute gen-bars bars of one stock (hs-bench-store.c) with 100 open paper trades on it.
 * Setup is not timed; then each read runs 5 times on a fresh connection and the median and the
 * slowest are printed:
 *
 *   coverage        hs_store_list_coverage(): what the window's coverage job reads on every
 *                   load (the Overview is handed these rows)
 *   overview        hs_overview_read() given those rows: the 80-point sparkline (80 index
 *                   seeks), the gaps under the US calendar (one pass over the bar times), runs,
 *                   positions, alerts — what the Overview waits for after a load     <- figure
 *   overview-nogap  the same without the gaps
 *   positions       hs_overview_read_positions(): the 5-second repricing of 100 open trades
 *   bars            hs_store_load_bars() of the whole series: the Data page's chart read
 *
 * Wall times; nothing is asserted. The last line is one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark --suite bench -v   (or BUILD/tests/bench/bench-overview)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-bench-store.h"
#include "hs-overview-job.h"
#include "hs-paper-trade.h"
#include "hs-store-market.h"
#include "hs-store-paper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define N_BARS    1000000
#define N_TRADES  100
#define N_RUNS    5

typedef enum
{
  READ_COVERAGE,
  READ_OVERVIEW,
  READ_OVERVIEW_NO_GAPS,
  READ_POSITIONS,
  READ_BARS,
} Read;

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* One read on a connection of its own, as a worker does; its wall time in ms. */
static gboolean
time_read (const char *path,
           Read        what,
           int64_t     id,
           double     *ms,
           size_t     *n,
           GError    **error)
{
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, error);
  g_autoptr(GPtrArray) coverage = NULL;
  HsOverviewRequest req = { .n_closes = 80, .n_backtests = 5, .n_alerts = 8, .gaps = TRUE,
                            .now = 0 };
  int64_t t0;

  if (store == NULL)
    return FALSE;
  /* The Overview gets the rows the coverage job read; that read is measured on its own. */
  if (what == READ_OVERVIEW || what == READ_OVERVIEW_NO_GAPS)
    {
      coverage = hs_store_list_coverage (store, error);
      if (coverage == NULL)
        return FALSE;
      req.coverage = coverage;
    }
  t0 = g_get_monotonic_time ();
  switch (what)
    {
    case READ_COVERAGE:
      {
        g_autoptr(GPtrArray) rows = hs_store_list_coverage (store, error);

        if (rows == NULL)
          return FALSE;
        *n = rows->len;
      }
      break;
    case READ_OVERVIEW:
    case READ_OVERVIEW_NO_GAPS:
      {
        g_autoptr(HsOverview) o = NULL;

        req.gaps = what == READ_OVERVIEW;
        o = hs_overview_read (store, &req, NULL, error);
        if (o == NULL)
          return FALSE;
        *n = ((HsOverviewSeries *) o->series->pdata[0])->n_closes;
      }
      break;
    case READ_POSITIONS:
      {
        g_autoptr(GPtrArray) p = hs_overview_read_positions (store, g_get_real_time (), error);

        if (p == NULL)
          return FALSE;
        *n = p->len;
      }
      break;
    case READ_BARS:
      {
        g_autoptr(HsBars) bars = hs_store_load_bars (store, id, "1m", G_MININT64, G_MAXINT64,
                                                     error);

        if (bars == NULL)
          return FALSE;
        *n = bars->n;
      }
      break;
    }
  *ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
  return TRUE;
}

static gboolean
measure (const char *path,
         const char *label,
         Read        what,
         int64_t     id,
         double     *median,
         GError    **error)
{
  double ms[N_RUNS];
  size_t n = 0;

  for (int r = 0; r < N_RUNS; r++)
    if (!time_read (path, what, id, &ms[r], &n, error))
      return FALSE;
  qsort (ms, N_RUNS, sizeof ms[0], compare_double);
  *median = ms[N_RUNS / 2];
  printf ("%-15s median %8.1f ms  slowest %8.1f ms  (%zu)\n", label, *median, ms[N_RUNS - 1],
          n);
  return TRUE;
}

static gboolean
run (const char *path,
     GError    **error)
{
  int64_t id = 0, t0 = g_get_monotonic_time ();
  double coverage = 0, overview = 0, nogap = 0, positions = 0, bars = 0;

  {
    g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, error);

    if (store == NULL || !hs_bench_store_gen_bars (store, N_BARS, &id, error))
      return FALSE;
    /* Stored as they are: hs_paper_open() would also collect each trade's market context,
     * which is not what is measured here. */
    for (int i = 0; i < N_TRADES; i++)
      {
        g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();

        t->instrument_id = id;
        t->side = i % 2 ? HS_PAPER_SHORT : HS_PAPER_LONG;
        t->quantity = 1 + i;
        t->entry_price = 100;
        t->entry_ts = INT64_C (1704067200000000) + i * INT64_C (60000000);
        if (!hs_store_paper_insert (store, t, error))
          return FALSE;
      }
  }
  printf ("bench-overview (%s build): setup %.1f s, %d bars, %d open trades\n",
          HS_BENCH_BUILDTYPE, (double) (g_get_monotonic_time () - t0) / 1e6, N_BARS, N_TRADES);
  if (!measure (path, "coverage", READ_COVERAGE, id, &coverage, error)
      || !measure (path, "overview", READ_OVERVIEW, id, &overview, error)
      || !measure (path, "overview-nogap", READ_OVERVIEW_NO_GAPS, id, &nogap, error)
      || !measure (path, "positions", READ_POSITIONS, id, &positions, error)
      || !measure (path, "bars", READ_BARS, id, &bars, error))
    return FALSE;
  printf ("{\"buildtype\": \"%s\", \"bars\": %d, \"coverage_ms\": %.1f, "
          "\"overview_ms\": %.1f, \"overview_nogap_ms\": %.1f, \"positions_ms\": %.2f, "
          "\"bars_ms\": %.1f}\n",
          HS_BENCH_BUILDTYPE, N_BARS, coverage, overview, nogap, positions, bars);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-overview-XXXXXX", &error);
  g_autofree char *path = NULL;
  gboolean ok;

  if (dir == NULL)
    {
      g_printerr ("bench-overview: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "overview.db", NULL);
  ok = run (path, &error);
  hs_bench_store_remove (path);
  if (!ok)
    {
      g_printerr ("bench-overview: %s\n", error->message);
      return 1;
    }
  return 0;
}
