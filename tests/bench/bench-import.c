/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import benchmark: writes a million one-minute bars and a million trades (hs-gen-bars.c, the
 * C port of tools/gen-bars, seed 42) to CSV files in a temporary directory, imports each file
 * with the real importer (hs_import_run) into its own fresh database file (WAL, migrated), and
 * reports the import rate in rows per second; then VACUUMs each database and reports the bytes
 * the table takes per stored row. Targets: 500,000 rows/s for each file, and fewer bytes per
 * trade than the 50 estimated in seed 004. Nothing here asserts a time: the figures are printed
 * for people and, as the last line, as one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v          (or run BUILD/tests/bench/bench-import)
 *
 * Only the hs_import_run() call is timed (monotonic clock); opening and migrating the database
 * and generating the input are not. The process exits non-zero only when a step fails.
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-gen-bars.h"
#include "hs-import.h"
#include "hs-store-stats.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/resource.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

typedef struct
{
  const char  *name;       /* "bars" or "trades" */
  const char  *table;      /* where the importer puts them */
  HsImportKind kind;
  char        *csv;        /* (owned) */
  char        *db;         /* (owned) */
  int64_t      rows;
  double       import_s;
  double       import_cpu_s;  /* user + system time of the process during the import */
  double       vacuum_s;
  int64_t      table_bytes;
  int64_t      file_bytes;
  gboolean     from_dbstat;
} Run;

static double
seconds_since (int64_t t0)
{
  return (double) (g_get_monotonic_time () - t0) / 1e6;
}

/* CPU time, which other load on the machine disturbs less than the wall-clock rate. */
static double
cpu_seconds (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0.0;
  return (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
         + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int64_t
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (int64_t) st.st_size : -1;
}

static gboolean
run_import (Run     *run,
            int64_t  expected,
            GError **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) local = NULL;
  HsImportRequest req = { 0 };
  HsImportResult res = { 0 };
  int64_t t0;
  double cpu0;
  gboolean ok;

  store = hs_store_open (run->db, HS_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  req.kind = run->kind;
  req.path = run->csv;
  req.symbol = (char *) "BENCH";
  req.interval = run->kind == HS_IMPORT_BARS ? (char *) "1m" : NULL;

  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  ok = hs_import_run (store, &req, NULL, NULL, NULL, &res, error);
  run->import_s = seconds_since (t0);
  run->import_cpu_s = cpu_seconds () - cpu0;
  if (!ok)
    return FALSE;
  run->rows = res.inserted;
  ok = res.rows == expected && res.inserted == expected;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "%s: read %" PRId64 " rows and inserted %" PRId64 ", expected %" PRId64,
                 run->csv, res.rows, res.inserted, expected);
  hs_import_result_clear (&res);
  if (!ok)
    return FALSE;

  t0 = g_get_monotonic_time ();
  if (!hs_store_vacuum (store, error))
    return FALSE;
  run->vacuum_s = seconds_since (t0);
  run->file_bytes = file_size (run->db);
  /* Without dbstat, the file size after VACUUM stands in: the database holds this table only,
   * besides the empty tables of the schema. */
  run->from_dbstat = hs_store_table_bytes (store, run->table, &run->table_bytes, &local);
  if (!run->from_dbstat)
    {
      g_printerr ("note: %s; using the file size\n", local->message);
      run->table_bytes = run->file_bytes;
    }
  return TRUE;
}

static void
remove_db (const char *db)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_remove (db);
  g_remove (wal);
  g_remove (shm);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  gint64 rows = 1000000;
  gboolean keep = FALSE;
  HsGenBarsOptions opts;
  Run runs[] = {
    { .name = "bars", .table = "candles", .kind = HS_IMPORT_BARS },
    { .name = "trades", .table = "trades", .kind = HS_IMPORT_TRADES },
  };
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &rows, "Rows per file (default 1000000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the files and print where they are", NULL },
    { NULL }
  };
  double gen_s;
  int64_t t0;
  gboolean ok = TRUE;

  ctx = g_option_context_new ("— time CSV import of bars and trades");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || rows <= 0)
    {
      g_printerr ("bench-import: %s\n", error ? error->message : "--rows must be > 0");
      return 2;
    }

  dir = g_dir_make_tmp ("hs-bench-import-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *csv = g_strconcat (runs[i].name, ".csv", NULL);
      g_autofree char *db = g_strconcat (runs[i].name, ".db", NULL);

      runs[i].csv = g_build_filename (dir, csv, NULL);
      runs[i].db = g_build_filename (dir, db, NULL);
    }

  g_print ("Hindsight import benchmark: %" G_GINT64_FORMAT " rows per file, %u CPUs, "
           "build type %s\n", rows, g_get_num_processors (), HS_BENCH_BUILDTYPE);
  hs_gen_bars_options_init (&opts);
  t0 = g_get_monotonic_time ();
  if (!hs_gen_bars_write_files (&opts, rows, runs[0].csv, runs[1].csv, &error))
    {
      g_printerr ("bench-import: generating: %s\n", error->message);
      ok = FALSE;
      goto out;
    }
  gen_s = seconds_since (t0);
  g_print ("generated (gen-bars seed 42) in %.2f s: %s %.1f MB, %s %.1f MB\n", gen_s,
           runs[0].csv, (double) file_size (runs[0].csv) / 1e6, runs[1].csv,
           (double) file_size (runs[1].csv) / 1e6);

  for (size_t i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      Run *r = &runs[i];

      if (!run_import (r, rows, &error))
        {
          g_printerr ("bench-import: %s: %s\n", r->name, error->message);
          ok = FALSE;
          goto out;
        }
      g_print ("%-6s %" PRId64 " rows in %.3f s = %.0f rows/s (target 500000: %s; CPU %.3f s); "
               "VACUUM %.2f s; table %s %" PRId64 " bytes%s = %.2f bytes/row; "
               "file %" PRId64 " bytes\n",
               r->name, r->rows, r->import_s, (double) r->rows / r->import_s,
               (double) r->rows / r->import_s >= 500000 ? "met" : "NOT met", r->import_cpu_s,
               r->vacuum_s,
               r->table, r->table_bytes, r->from_dbstat ? " (dbstat)" : " (file size)",
               (double) r->table_bytes / (double) r->rows, r->file_bytes);
    }
  g_print ("seed 004 estimated 50 bytes per trade row: %s\n",
           (double) runs[1].table_bytes / (double) runs[1].rows < 50 ? "beaten" : "NOT beaten");
  g_print ("{\"bench\":\"import\",\"buildtype\":\"%s\",\"cpus\":%u,\"rows\":%" G_GINT64_FORMAT
           ",\"bars_rows_per_s\":%.0f,\"bars_cpu_s\":%.3f,\"bars_bytes_per_row\":%.2f"
           ",\"trades_rows_per_s\":%.0f,\"trades_cpu_s\":%.3f,\"trades_bytes_per_row\":%.2f}\n",
           HS_BENCH_BUILDTYPE, g_get_num_processors (), rows,
           (double) runs[0].rows / runs[0].import_s, runs[0].import_cpu_s,
           (double) runs[0].table_bytes / (double) runs[0].rows,
           (double) runs[1].rows / runs[1].import_s, runs[1].import_cpu_s,
           (double) runs[1].table_bytes / (double) runs[1].rows);

out:
  for (size_t i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      if (!keep)
        {
          g_remove (runs[i].csv);
          remove_db (runs[i].db);
        }
      g_free (runs[i].csv);
      g_free (runs[i].db);
    }
  if (keep)
    g_print ("kept %s\n", dir);
  else
    g_rmdir (dir);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
