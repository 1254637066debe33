/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training-query benchmark: 1,000,000 paper trades with full context (hs-gen-trades.c, through
 * the store in one transaction; not timed against the target) in a fresh WAL database, then
 * each query compiled and run --repeat times (default 7; the first run warms the page cache):
 *
 *   count         --agg count 'signals.5m.rsi > 70'                 <- the target: under 100 ms
 *   rows          the same filter, default columns, --limit 10      <- the target: under 100 ms
 *   seed          --agg count 'signals.5m.rsi > 70 and target_pnl_1h < -10'
 *   vix           --agg count 'regime.spy.vix > 35'
 *   group         --agg count --agg median:pnl_pct --group-by regime.sector.ticker over
 *                 'ai.confidence_score >= 9'
 *   scan          --agg count 'signals.5m.macd_hist > 0.9' (no index: the whole table, for scale)
 *
 * Nothing asserts a time: the median and best are printed, and as the last line one JSON object
 * for scripts.
 *
 *   meson test -C BUILD --benchmark --suite bench -v query   (or BUILD/tests/bench/bench-query)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-gen-trades.h"
#include "hs-store-private.h"
#include "hs-store-query.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
count_rows_cb (const HsQueryCell *cells,
               size_t             n,
               gpointer           user_data,
               GError           **error)
{
  int64_t *rows = user_data;

  (*rows)++;
  return TRUE;
}

static gboolean
first_integer_cb (const HsQueryCell *cells,
                  size_t             n,
                  gpointer           user_data,
                  GError           **error)
{
  *(int64_t *) user_data = cells[0].integer;
  return TRUE;
}

typedef struct
{
  const char        *name;
  const char        *filter;
  const char *const *aggregates;
  const char        *group_by;
  int64_t            limit;
} Case;

int
main (int    argc,
      char **argv)
{
  int64_t n_trades = 1000000;
  int repeat = 7;
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GString) json = g_string_new ("{\"bench\":\"query\"");
  const char *count[] = { "count", NULL };
  const char *group[] = { "count", "median:pnl_pct", NULL };
  const Case cases[] = {
    { "count", "signals.5m.rsi > 70", count, NULL, 0 },
    { "rows", "signals.5m.rsi > 70", NULL, NULL, 10 },
    { "seed", "signals.5m.rsi > 70 and target_pnl_1h < -10", count, NULL, 0 },
    { "vix", "regime.spy.vix > 35", count, NULL, 0 },
    { "group", "ai.confidence_score >= 9", group, "regime.sector.ticker", 0 },
    { "scan", "signals.5m.macd_hist > 0.9", count, NULL, 0 },
  };
  int64_t t0;
  double gen_s;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--trades") && i + 1 < argc)
        n_trades = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--repeat") && i + 1 < argc)
        repeat = atoi (argv[++i]);
    }
  repeat = MAX (repeat, 1);
  dir = g_dir_make_tmp ("hs-bench-query-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  /* A page cache big enough for the twelve indexes while they are written (setup only). */
  if (!hs_store_exec (store, "PRAGMA cache_size = -524288", &error))
    g_error ("%s", error->message);
  t0 = g_get_monotonic_time ();
  if (!hs_gen_paper_trades (store, n_trades, 42, &error))
    g_error ("generating: %s", error->message);
  gen_s = (double) (g_get_monotonic_time () - t0) / 1e6;
  g_print ("build type %s\n", HS_BENCH_BUILDTYPE);
  g_print ("setup: %" G_GINT64_FORMAT " paper trades with full context written in %.1f s "
           "(%.0f trades/s, 12 indexes)\n", n_trades, gen_s, (double) n_trades / gen_s);
  g_string_append_printf (json, ",\"trades\":%" G_GINT64_FORMAT ",\"setup_s\":%.2f", n_trades,
                          gen_s);

  for (size_t c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree double *ms = g_new (double, repeat);
      HsQueryRequest req = { HS_QUERY_PAPER_TRADES, cases[c].filter, NULL,
                             cases[c].aggregates, cases[c].group_by, cases[c].limit };
      g_autofree char *plan = NULL;
      int64_t rows = 0, result = -1;

      for (int r = 0; r < repeat; r++)
        {
          g_autoptr(HsQuery) q = NULL;

          rows = 0;
          t0 = g_get_monotonic_time ();
          q = hs_query_compile (&req, NULL, NULL, &error);
          g_assert_no_error (error);
          if (!hs_store_query_run (store, q, count_rows_cb, &rows, NULL, &error))
            g_error ("%s: %s", cases[c].name, error->message);
          ms[r] = (double) (g_get_monotonic_time () - t0) / 1000.0;
          if (plan == NULL)
            plan = hs_store_query_explain (store, q, &error);
        }
      /* The count itself, once more, for the report. */
      if (cases[c].aggregates == count)
        {
          g_autoptr(HsQuery) q = hs_query_compile (&req, NULL, NULL, &error);

          if (!hs_store_query_run (store, q, first_integer_cb, &result, NULL, &error))
            g_error ("%s: %s", cases[c].name, error->message);
        }
      qsort (ms, (size_t) repeat, sizeof (double), cmp_double);
      g_strdelimit (plan, "\n", ';');
      g_print ("%-6s %-50s median %8.2f ms  best %8.2f ms  rows out %" G_GINT64_FORMAT,
               cases[c].name, cases[c].filter, ms[repeat / 2], ms[0], rows);
      if (result >= 0)
        g_print ("  count %" G_GINT64_FORMAT, result);
      g_print ("\n       plan: %s\n", plan);
      g_string_append_printf (json, ",\"%s_median_ms\":%.3f,\"%s_best_ms\":%.3f", cases[c].name,
                              ms[repeat / 2], cases[c].name, ms[0]);
    }
  g_string_append (json, "}");
  g_print ("%s\n", json->str);

  hs_store_close (g_steal_pointer (&store));
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (size_t i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (path, suffixes[i], NULL);

        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
