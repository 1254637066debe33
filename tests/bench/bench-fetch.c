/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fetch job benchmark: the whole path of hs_fetch_run (HTTP from the tests' local server,
 * parse, trade lookups, inserts with ordinals and CVD, one transaction per page) on Kraken-shaped
 * trade pages: --pages pages (default 50) of 1,000 trades each, chained by Kraken's nanosecond
 * cursor, generated here. Measured: a first fetch into an empty database (every trade new) and
 * the same fetch again (every trade recognised by its id and skipped), --repeat times (default
 * 3) on fresh databases; the figure is the median rows per second. The provider's rate limit is
 * lifted for the run (Kraken allows one request a second: 50 pages would take 50 s of waiting).
 * No target: a live provider sends far fewer rows a second than the store takes. Nothing
 * asserts a time; the last line is one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark --suite bench -v fetch
 *   (or BUILD/tests/bench/bench-fetch [--pages N] [--repeat N])
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-fetch.h"
#include "hs-test-server.h"

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define T0 G_GINT64_CONSTANT (1762000000)   /* seconds */
#define PER_PAGE 1000

/* The `since` cursor after page @k (ns): the last trade's time. */
static int64_t
cursor_after (int k)
{
  return (T0 + (int64_t) (k + 1) * 100) * G_GINT64_CONSTANT (1000000000);
}

/* Page @k: 1,000 trades over 100 s, ids counting up, alternating taker sides. */
static char *
page_body (int k)
{
  GString *s = g_string_new ("{\"error\":[],\"result\":{\"XBTUSDT\":[");

  for (int i = 0; i < PER_PAGE; i++)
    {
      int64_t n = (int64_t) k * PER_PAGE + i;

      g_string_append_printf (s, "%s[\"%.1f\",\"%.8f\",%" G_GINT64_FORMAT ".%06d,\"%s\",\"l\","
                              "\"\",%" G_GINT64_FORMAT "]", i ? "," : "",
                              105000.0 + (double) (n % 97) * 0.1, 0.0001 * (double) (1 + n % 13),
                              T0 + k * 100 + i / 10, (i % 10) * 100000, n % 2 ? "b" : "s",
                              10000000 + n);
    }
  g_string_append_printf (s, "],\"last\":\"%" G_GINT64_FORMAT "\"}}", cursor_after (k));
  return g_string_free (s, FALSE);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
run_once (const char     *db,
          HsFetchRequest *req,
          int64_t        *rows,
          int64_t        *inserted)
{
  g_auto(HsFetchResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  int64_t t0 = g_get_monotonic_time ();

  if (!hs_fetch_run (db, req, NULL, NULL, NULL, &result, &error))
    {
      g_printerr ("bench-fetch: %s\n", error->message);
      exit (1);
    }
  *rows = result.rows;
  *inserted = result.inserted;
  return (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

int
main (int    argc,
      char **argv)
{
  int pages = 50, repeat = 3;
  GOptionEntry entries[] = {
    { "pages", 0, 0, G_OPTION_ARG_INT, &pages, "Pages of 1,000 trades (default 50)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs on fresh databases (default 3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsTestServer) server = NULL;
  g_autoptr(HsHttpProvider) kraken = NULL;
  g_autofree char *dir = NULL;
  g_autofree double *fresh = NULL, *again = NULL;
  g_auto(HsFetchRequest) req = { 0 };
  int64_t rows = 0, inserted = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || pages < 1 || repeat < 1)
    {
      g_printerr ("bench-fetch: %s\n", error ? error->message : "--pages and --repeat ≥ 1");
      return 2;
    }
  hs_http_global_init ();
  server = hs_test_server_new ();
  for (int k = 0; k < pages; k++)
    {
      g_autofree char *body = page_body (k);
      g_autofree char *target = k == 0
        ? g_strdup ("/0/public/Trades?pair=XBTUSDT&count=1000")
        : g_strdup_printf ("/0/public/Trades?pair=XBTUSDT&since=%" G_GINT64_FORMAT "&count=1000",
                           cursor_after (k - 1));

      hs_test_server_add (server, target, hs_test_response_new_json (200, body));
    }
  /* After the last page: Kraken's answer when nothing is newer. */
  {
    g_autofree char *target = g_strdup_printf ("/0/public/Trades?pair=XBTUSDT&since=%"
                                               G_GINT64_FORMAT "&count=1000",
                                               cursor_after (pages - 1));
    g_autofree char *body = g_strdup_printf ("{\"error\":[],\"result\":{\"XBTUSDT\":[],"
                                             "\"last\":\"%" G_GINT64_FORMAT "\"}}",
                                             cursor_after (pages - 1));

    hs_test_server_add (server, target, hs_test_response_new_json (200, body));
  }
  kraken = hs_http_provider_get ("kraken");
  hs_rate_limiter_set_rate (hs_http_provider_get_limiter (kraken), 1e6, 1e6);

  hs_fetch_request_init (&req);
  req.provider = g_strdup ("kraken");
  req.kind = HS_FETCH_TRADES;
  req.symbol = g_strdup ("XBTUSDT");
  req.base_url = g_strconcat (hs_test_server_get_base_url (server), "/0/public", NULL);
  req.no_health = TRUE;

  dir = g_dir_make_tmp ("hs-bench-fetch-XXXXXX", NULL);
  fresh = g_new (double, repeat);
  again = g_new (double, repeat);
  for (int r = 0; r < repeat; r++)
    {
      g_autofree char *db = g_strdup_printf ("%s/run%d.db", dir, r);
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      double s1 = run_once (db, &req, &rows, &inserted);
      int64_t rows2 = 0, inserted2 = 0;
      double s2 = run_once (db, &req, &rows2, &inserted2);

      if (inserted != (int64_t) pages * PER_PAGE || inserted2 != 0)
        {
          g_printerr ("bench-fetch: %" G_GINT64_FORMAT " then %" G_GINT64_FORMAT " new rows\n",
                      inserted, inserted2);
          return 1;
        }
      fresh[r] = (double) rows / s1;
      again[r] = (double) rows2 / s2;
      printf ("run %d: %" G_GINT64_FORMAT " trades new in %.3f s (%.0f rows/s), again in %.3f s "
              "(%.0f rows/s)\n", r + 1, rows, s1, fresh[r], s2, again[r]);
      g_remove (db);
      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (dir);
  qsort (fresh, (size_t) repeat, sizeof (double), cmp_double);
  qsort (again, (size_t) repeat, sizeof (double), cmp_double);
  printf ("median: %.0f rows/s new, %.0f rows/s already stored (%d pages of %d, %s build)\n",
          fresh[repeat / 2], again[repeat / 2], pages, PER_PAGE, HS_BENCH_BUILDTYPE);
  printf ("{\"bench\":\"fetch\",\"pages\":%d,\"rows\":%" G_GINT64_FORMAT ",\"new_rows_per_s\":%.0f,"
          "\"duplicate_rows_per_s\":%.0f,\"buildtype\":\"%s\"}\n", pages, rows,
          fresh[repeat / 2], again[repeat / 2], HS_BENCH_BUILDTYPE);
  return 0;
}
