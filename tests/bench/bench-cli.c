/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End-to-end benchmark of `hindsight-cli backtest` (issue item 9): the command itself, run as a
 * process against a database holding 100,000 and 1,000,000 one-minute bars (gen-bars, seed 42):
 *
 *   start     hindsight-cli --version: the cost of starting the process at all
 *   computed  backtest --no-cache: open the database, load the bars, run sma_cross (10, 30) with
 *             IB fees, store the run with its trades and equity curve, print  <- target < 1 s
 *   cached    the same request again: the cache key from the data versions and the first and
 *             last bar time (no bar is read), find the computed run by it, record the hit, load
 *             and print it                                                    <- target < 20 ms
 *
 * and, in this process, where the cached path spends its time (open, data key, lookup and hit,
 * loading the run), with for scale what it does not do: count the bars in the range (a pass
 * over them, which is why the key has no count), read them and fingerprint them (what a
 * computed run does). Setup (not timed): the bars imported into a fresh WAL database file. Wall
 * times, median and best of --repeat runs (default 5); nothing is asserted: the figures are
 * printed for people and, as the last line, as one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v          (or HS_CLI=BUILD/src/cli/hindsight-cli
 *                                                BUILD/tests/bench/bench-cli)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-cache-key.h"
#include "hs-bench-store.h"
#include "hs-gen-bars.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
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

static double
ms_since (int64_t t0)
{
  return (double) (g_get_monotonic_time () - t0) / 1000.0;
}

typedef struct
{
  double median, best;
} Stat;

static Stat
stat_of (GArray *ms)
{
  double *v = (double *) (void *) ms->data;
  guint n = ms->len;
  Stat s;

  qsort (v, n, sizeof *v, cmp_double);
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.best = v[0];
  return s;
}

/* Runs the command @repeat times; the wall time of each run in @ms. */
static gboolean
time_cli (const char        *db,
          const char *const *args,
          int                repeat,
          GArray            *ms,
          GError           **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) g_getenv ("HS_CLI"));
  if (db != NULL)
    {
      g_ptr_array_add (argv, "--db");
      g_ptr_array_add (argv, (char *) db);
    }
  for (size_t i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  for (int r = 0; r < repeat; r++)
    {
      g_autoptr(GSubprocess) proc = NULL;
      int64_t t0 = g_get_monotonic_time ();
      double t;

      proc = g_subprocess_newv ((const char *const *) argv->pdata,
                                G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error);
      if (proc == NULL || !g_subprocess_wait_check (proc, NULL, error))
        return FALSE;
      t = ms_since (t0);
      g_array_append_val (ms, t);
    }
  return TRUE;
}

/* Counts the bars with SQLite directly, as a count in the cache key would have to. */
static gboolean
count_bars (const char *db,
            int64_t    *n,
            GError    **error)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (conn, "SELECT count(*) FROM candles WHERE instrument_id = 1 AND "
                                   "interval = '1m' AND ts BETWEEN ?1 AND ?2", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, G_MININT64);
      sqlite3_bind_int64 (stmt, 2, G_MAXINT64);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_ROW)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_FAILED, "count: %s",
                 sqlite3_errmsg (conn));
  else
    *n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return rc == SQLITE_ROW;
}

enum { STEP_OPEN, STEP_KEY, STEP_HIT, STEP_LOAD_RUN, STEP_COUNT, STEP_LOAD_BARS, STEP_FP, N_STEPS };

/* The cached path in this process, step by step (as hs-cli-backtest.c takes it), then what it
 * does not do. */
static gboolean
breakdown (const char *db,
           double      out[N_STEPS],
           GError    **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtResult) result = NULL;
  g_autofree char *fp = NULL;
  int64_t t0, id = 0, cached = 0, hit = 0, version = 0, first = 0, last = 0, n = 0;
  gboolean found = FALSE;

  t0 = g_get_monotonic_time ();
  store = hs_store_open (db, HS_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  out[STEP_OPEN] = ms_since (t0);
  /* The data key: the instrument, its kind (the session), the version and the range. */
  t0 = g_get_monotonic_time ();
  {
    g_autoptr(HsInstrument) inst = NULL;
    g_autoptr(HsBtRunInfo) request = hs_bt_run_info_new ();
    g_autofree char *key = NULL;

    if (!hs_store_begin_read (store, error)
        || !hs_store_find_instrument (store, "BENCH", NULL, &id, error)
        || (inst = hs_store_load_instrument (store, id, error)) == NULL
        || !hs_store_data_version (store, HS_DATA_CANDLES, id, NULL, "1m", &version, error)
        || !hs_store_bar_range (store, id, "1m", G_MININT64, G_MAXINT64, &found, &first, &last,
                                error))
      return FALSE;
    request->data_key = g_strdup_printf ("candles %" G_GINT64_FORMAT " 1m v%" G_GINT64_FORMAT
                                         " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, id, version,
                                         first, last);
    key = hs_cache_key_compute (request);
    hs_store_rollback (store);
  }
  out[STEP_KEY] = ms_since (t0);
  /* Any computed run answers for the timing of the lookup and the hit. */
  {
    g_autoptr(GPtrArray) rows = NULL;
    HsBtRunFilter filter;

    hs_bt_run_filter_init (&filter);
    filter.limit = 1;
    if (!hs_store_list_backtests (store, &filter, &rows, error))
      return FALSE;
    t0 = g_get_monotonic_time ();
    if (rows->len == 0 || ((HsBtRunRow *) rows->pdata[0])->info->cache_key == NULL)
      {
        out[STEP_HIT] = NAN;
        out[STEP_LOAD_RUN] = NAN;
      }
    else
      {
        if (!hs_store_find_cached_backtest (store,
                                            ((HsBtRunRow *) rows->pdata[0])->info->cache_key,
                                            &cached, error)
            || !hs_store_record_cache_hit (store, cached, 0, 0, 1, &hit, error))
          return FALSE;
        out[STEP_HIT] = ms_since (t0);
        t0 = g_get_monotonic_time ();
        if (!hs_store_load_backtest_summary (store, hit, &info, &result, error)
            || !hs_store_load_backtest_trades (store, cached, result, error))
          return FALSE;
        out[STEP_LOAD_RUN] = ms_since (t0);
      }
  }
  /* Not on the cached path. */
  t0 = g_get_monotonic_time ();
  if (!count_bars (db, &n, error))
    return FALSE;
  out[STEP_COUNT] = ms_since (t0);
  t0 = g_get_monotonic_time ();
  bars = hs_store_load_bars (store, id, "1m", G_MININT64, G_MAXINT64, error);
  if (bars == NULL)
    return FALSE;
  out[STEP_LOAD_BARS] = ms_since (t0);
  t0 = g_get_monotonic_time ();
  fp = hs_bars_fingerprint (bars);
  out[STEP_FP] = ms_since (t0);
  return TRUE;
}

typedef struct
{
  size_t bars;
  Stat   computed, cached;
  double steps[N_STEPS];
} Row;

static gboolean
bench_size (const char *dir,
            size_t      n,
            int         repeat,
            Row        *row,
            GError    **error)
{
  g_autofree char *name = g_strdup_printf ("cli-%zu.db", n);
  g_autofree char *db = g_build_filename (dir, name, NULL);
  g_autoptr(GArray) computed = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cached = g_array_new (FALSE, FALSE, sizeof (double));
  const char *run[] = { "backtest", "--symbol", "BENCH", "--interval", "1m", "--strategy",
                        "sma_cross", "--fee-model", "ibkr", "--no-cache", NULL };
  const char *again[] = { "backtest", "--symbol", "BENCH", "--interval", "1m", "--strategy",
                          "sma_cross", "--fee-model", "ibkr", NULL };
  static const char *const suffixes[] = { "", "-wal", "-shm" };
  gboolean ok;

  {
    g_autoptr(HsStore) store = hs_store_open (db, HS_STORE_OPEN_DEFAULT, error);

    if (store == NULL || !hs_bench_store_gen_bars (store, n, NULL, error))
      return FALSE;
  }
  /* The first run computes and stores the run that holds the cache key. */
  ok = time_cli (db, again, 1, computed, error)
       && time_cli (db, run, repeat, computed, error)
       && time_cli (db, again, repeat * 2, cached, error)
       && breakdown (db, row->steps, error);
  if (ok)
    {
      g_array_remove_index (computed, 0);
      row->bars = n;
      row->computed = stat_of (computed);
      row->cached = stat_of (cached);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *f = g_strconcat (db, suffixes[i], NULL);

      g_unlink (f);
    }
  return ok;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GArray) start = g_array_new (FALSE, FALSE, sizeof (double));
  const char *version[] = { "--version", NULL };
  size_t sizes[] = { 100000, 1000000 };
  Row rows[G_N_ELEMENTS (sizes)];
  Stat st;
  int repeat = 5;
  gboolean ok = TRUE;

  if (argc > 2 && g_str_equal (argv[1], "--repeat"))
    repeat = MAX (1, atoi (argv[2]));
  if (g_getenv ("HS_CLI") == NULL)
    {
      g_printerr ("bench-cli: set HS_CLI to the hindsight-cli to measure\n");
      return EXIT_FAILURE;
    }
  dir = g_dir_make_tmp ("hs-bench-cli-XXXXXX", &error);
  ok = dir != NULL && time_cli (NULL, version, repeat * 2, start, &error);
  for (size_t i = 0; ok && i < G_N_ELEMENTS (sizes); i++)
    ok = bench_size (dir, sizes[i], repeat, &rows[i], &error);
  if (dir != NULL)
    g_rmdir (dir);
  if (!ok)
    {
      g_printerr ("bench-cli: %s\n", error->message);
      return EXIT_FAILURE;
    }
  st = stat_of (start);
  g_print ("bench-cli (%s build): hindsight-cli backtest --strategy sma_cross --fee-model ibkr, "
           "one-minute bars (gen-bars seed 42); wall time of the process, median and best of "
           "%d\n", HS_BENCH_BUILDTYPE, repeat);
  g_print ("  %-44s %9.1f ms  %9.1f ms\n", "start (hindsight-cli --version)", st.median, st.best);
  for (size_t i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *a = g_strdup_printf ("%zu bars: computed (load, run, store)", rows[i].bars);
      g_autofree char *b = g_strdup_printf ("%zu bars: cached re-run", rows[i].bars);

      g_print ("  %-44s %9.1f ms  %9.1f ms   (target < 1 s)\n", a, rows[i].computed.median,
               rows[i].computed.best);
      g_print ("  %-44s %9.1f ms  %9.1f ms   (target < 20 ms)\n", b, rows[i].cached.median,
               rows[i].cached.best);
      g_print ("    in-process: open %.2f ms, data key (version, first and last bar) %.2f ms, "
               "lookup + hit %.2f ms, load the run (statistics, trades) %.2f ms\n",
               rows[i].steps[STEP_OPEN], rows[i].steps[STEP_KEY], rows[i].steps[STEP_HIT],
               rows[i].steps[STEP_LOAD_RUN]);
      g_print ("    not on the cached path: count the bars %.1f ms, load them %.1f ms, "
               "fingerprint them %.1f ms\n", rows[i].steps[STEP_COUNT],
               rows[i].steps[STEP_LOAD_BARS], rows[i].steps[STEP_FP]);
    }
  g_print ("{\"bench\":\"cli\",\"buildtype\":\"%s\",\"start_ms\":%.1f", HS_BENCH_BUILDTYPE,
           st.median);
  for (size_t i = 0; i < G_N_ELEMENTS (sizes); i++)
    g_print (",\"computed_%zu_ms\":%.1f,\"cached_%zu_ms\":%.1f,\"data_key_%zu_ms\":%.2f,"
             "\"count_bars_%zu_ms\":%.1f,\"load_bars_%zu_ms\":%.1f", rows[i].bars,
             rows[i].computed.median, rows[i].bars, rows[i].cached.median, rows[i].bars,
             rows[i].steps[STEP_KEY], rows[i].bars, rows[i].steps[STEP_COUNT], rows[i].bars,
             rows[i].steps[STEP_LOAD_BARS]);
  g_print ("}\n");
  return EXIT_SUCCESS;
}
