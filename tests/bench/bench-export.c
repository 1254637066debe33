/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ML export benchmark: 1,000,000 paper trades with full context (hs-gen-trades.c; setup, not
 * timed against the target) exported --repeat times (default 3) to CSV and to JSON lines: 87
 * columns per row, 61 of them flattened from the four JSON context objects. Target: 300,000
 * rows/s or more. The file goes to the benchmark's temporary folder and is removed after each
 * run. Printed: rows/s (wall), the CPU time per row of all threads (user and system, which a
 * shared machine's load changes far less) and the load average. Nothing asserts a time; the
 * last line is one JSON object for scripts. --format csv|jsonl runs one format only.
 *
 *   meson test -C BUILD --benchmark --suite bench -v export   (or BUILD/tests/bench/bench-export)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-export.h"
#include "hs-gen-trades.h"
#include "hs-store-private.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/resource.h>

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

/* The 1, 5 and 15 minute load averages, for the figures' context. */
static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  parts = g_strsplit (text, " ", 4);
  if (g_strv_length (parts) < 3)
    return g_strdup ("?");
  return g_strdup_printf ("%s %s %s", parts[0], parts[1], parts[2]);
}

int
main (int    argc,
      char **argv)
{
  int64_t n_trades = 1000000;
  int repeat = 3;
  g_autofree char *dir = NULL, *path = NULL, *out = NULL, *keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GString) json = g_string_new ("{\"bench\":\"export\"");
  const char *formats[] = { "csv", "jsonl" };
  const char *only = NULL;
  int64_t t0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--trades") && i + 1 < argc)
        n_trades = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--repeat") && i + 1 < argc)
        repeat = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--format") && i + 1 < argc)
        only = argv[++i];   /* csv or jsonl; both by default */
      else if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        keep = g_strdup (argv[++i]);   /* reuse (or make and keep) this database */
    }
  repeat = MAX (repeat, 1);
  dir = g_dir_make_tmp ("hs-bench-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = keep != NULL ? g_strdup (keep) : g_build_filename (dir, "bench.db", NULL);
  out = g_build_filename (dir, "out", NULL);
  if (keep != NULL && g_file_test (keep, G_FILE_TEST_EXISTS))
    n_trades = -1;
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  if (!hs_store_exec (store, "PRAGMA cache_size = -524288", &error))
    g_error ("%s", error->message);
  t0 = g_get_monotonic_time ();
  if (n_trades < 0)
    {
      if (!hs_store_export_count (store, HS_EXPORT_TRADES, NULL, &n_trades, NULL, &error))
        g_error ("%s", error->message);
    }
  else if (!hs_gen_paper_trades (store, n_trades, 42, &error))
    g_error ("generating: %s", error->message);
  /* As the file is after the importing connection closed: the log checkpointed into the file. */
  if (!hs_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error))
    g_error ("%s", error->message);
  g_print ("build type %s\nsetup: %" G_GINT64_FORMAT " paper trades with full context in %.1f s\n",
           HS_BENCH_BUILDTYPE, n_trades, (double) (g_get_monotonic_time () - t0) / 1e6);
  g_string_append_printf (json, ",\"trades\":%" G_GINT64_FORMAT, n_trades);

  for (size_t f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree double *rate = g_new (double, repeat);
      g_autofree double *user = g_new (double, repeat);
      g_autofree double *sys = g_new (double, repeat);
      HsExportRequest req = { HS_EXPORT_TRADES, f == 0 ? HS_EXPORT_CSV : HS_EXPORT_JSONL, NULL,
                              out };
      g_autofree char *load_before = NULL, *load_after = NULL;
      GStatBuf st;

      if (only != NULL && !g_str_equal (only, formats[f]))
        continue;
      load_before = load_average ();
      for (int r = 0; r < repeat; r++)
        {
          struct rusage u0, u1;
          int64_t rows = 0;
          double s;

          getrusage (RUSAGE_SELF, &u0);
          t0 = g_get_monotonic_time ();
          if (!hs_export_run (store, &req, NULL, NULL, NULL, &rows, NULL, &error))
            g_error ("%s", error->message);
          s = (double) (g_get_monotonic_time () - t0) / 1e6;
          getrusage (RUSAGE_SELF, &u1);
          user[r] = (double) (u1.ru_utime.tv_sec - u0.ru_utime.tv_sec)
                    + (double) (u1.ru_utime.tv_usec - u0.ru_utime.tv_usec) / 1e6;
          sys[r] = (double) (u1.ru_stime.tv_sec - u0.ru_stime.tv_sec)
                   + (double) (u1.ru_stime.tv_usec - u0.ru_stime.tv_usec) / 1e6;
          g_assert_cmpint (rows, ==, n_trades);
          rate[r] = (double) rows / s;
          g_stat (out, &st);
          /* Not timed: the next run writes a new file, as a user's would. */
          g_unlink (out);
        }
      load_after = load_average ();
      qsort (rate, (size_t) repeat, sizeof (double), cmp_double);
      qsort (user, (size_t) repeat, sizeof (double), cmp_double);
      qsort (sys, (size_t) repeat, sizeof (double), cmp_double);
      /* CPU per row (all threads, user + system): what the machine's load does not change
       * much, unlike the wall time. */
      g_print ("%-5s %" G_GINT64_FORMAT " rows, %.0f MB: median %.0f rows/s, best %.0f rows/s; "
               "CPU per row (medians) %.2f us user + %.2f us system; load average %s -> %s\n",
               formats[f], n_trades, (double) st.st_size / 1e6, rate[repeat / 2],
               rate[repeat - 1], user[repeat / 2] * 1e6 / (double) n_trades,
               sys[repeat / 2] * 1e6 / (double) n_trades, load_before, load_after);
      g_string_append_printf (json, ",\"%s_rows_per_s\":%.0f,\"%s_best_rows_per_s\":%.0f,"
                              "\"%s_user_us_per_row\":%.3f,\"%s_sys_us_per_row\":%.3f,"
                              "\"%s_bytes\":%" G_GINT64_FORMAT, formats[f], rate[repeat / 2],
                              formats[f], rate[repeat - 1], formats[f],
                              user[repeat / 2] * 1e6 / (double) n_trades, formats[f],
                              sys[repeat / 2] * 1e6 / (double) n_trades, formats[f],
                              (int64_t) st.st_size);
    }
  g_string_append (json, "}");
  g_print ("%s\n", json->str);

  hs_store_close (g_steal_pointer (&store));
  if (keep == NULL)
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (size_t i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (path, suffixes[i], NULL);

        g_unlink (p);
      }
  }
  g_rmdir (dir);
  return 0;
}
