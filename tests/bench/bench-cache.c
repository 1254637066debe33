/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cached re-run benchmark: a backtest answered from backtest_runs instead of being recomputed.
 * Setup (not timed): 100,000 one-minute bars (hs-gen-bars.c, seed 42) imported into a fresh
 * WAL database file, and a stored run over them: 100,000 equity points, 2,000 trades and
 * every statistic. Then, --repeat times (default 25), the cached path as the engine takes it:
 *
 *   key      the series' data version and its first and last bar time (a lookup and two
 *            seeks, no bar read) + SHA-256 cache key
 *   answer   key + find the computed run (unique index) + record the hit (one INSERT … SELECT
 *            of a row) + load its statistics                      <- the target: under 20 ms
 *
 * and, for scale, what the cached path no longer does and a computed run still does: read the
 * bars (hs_store_load_bars) and fingerprint them (XXH64 over 5.6 MB); saving the run (one
 * transaction) and loading it whole (statistics, trades and equity curve). Nothing here asserts
 * a time: the median and best of the repetitions are printed for people and, as the last line,
 * as one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark -v          (or run BUILD/tests/bench/bench-cache)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-cache-key.h"
#include "hs-bench-store.h"
#include "hs-gen-bars.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define N_BARS   100000
#define N_TRADES 2000

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

/* A result shaped like the engine's over @bars: an equity point per bar, N_TRADES round trips
 * and every statistic set. */
static HsBtResult *
make_result (const HsBars *bars)
{
  HsBtResult *r = hs_bt_result_new_empty (bars->n);
  double peak = 0;
  size_t span = bars->n / N_TRADES;

  for (size_t i = 0; i < bars->n; i++)
    {
      r->ts[i] = bars->ts[i];
      r->equity[i] = 100000 * bars->close[i] / bars->close[0];
      r->cash[i] = 0;
      r->holdings[i] = r->equity[i];
      peak = MAX (peak, r->equity[i]);
      r->drawdown[i] = (peak - r->equity[i]) / peak;
    }
  for (size_t k = 0; k < N_TRADES; k++)
    {
      size_t a = k * span, b = a + span - 1;
      HsBtTrade t = { 0 };

      t.entry_ts = bars->ts[a];
      t.exit_ts = bars->ts[b];
      t.side = k % 3 ? 1 : -1;
      t.quantity = 100;
      t.entry_price = bars->open[a];
      t.exit_price = bars->close[b];
      t.fees = 1;
      t.pnl = t.side * (t.exit_price - t.entry_price) * t.quantity - t.fees;
      t.pnl_pct = t.pnl / (t.entry_price * t.quantity) * 100;
      t.mfe_pct = 0.5;
      t.mae_pct = 0.25;
      t.bars_held = (int64_t) span;
      t.exit_reason = HS_EXIT_SIGNAL;
      t.signal_json = g_strdup ("{\"rule\":\"crosses_above(sma(close, 10), sma(close, 30))\"}");
      g_array_append_val (r->trades, t);
    }
  {
    size_t n = 0;
    const HsBtColumn *cols = hs_bt_statistic_columns (&n);

    /* Any defined value in every column. */
    for (size_t i = 0; i < n; i++)
      {
        char *p = (char *) r + cols[i].offset;

        if (cols[i].type == HS_BT_COLUMN_DOUBLE)
          *(double *) p = 0.125 + (double) i / 1000;
        else if (cols[i].type == HS_BT_COLUMN_INT)
          *(int64_t *) p = (int64_t) i;
        else
          *(char **) p = g_strdup ("BENCH");
      }
    r->stats.winning_trades = 1200;
    r->stats.losing_trades = 800;
    r->stats.total_trades = N_TRADES;
  }
  return r;
}

static HsBtRunInfo *
make_info (int64_t       instrument_id,
           const HsBars *bars)
{
  HsBtRunInfo *info = hs_bt_run_info_new ();

  info->strategy_name = g_strdup ("sma_cross");
  info->strategy_version = g_strdup ("1");
  info->instrument_id = instrument_id;
  info->symbol = g_strdup ("BENCH");
  info->interval = g_strdup ("1m");
  info->start_ts = bars->ts[0];
  info->end_ts = bars->ts[bars->n - 1] + 60 * G_USEC_PER_SEC;
  info->initial_cash = 100000;
  info->fee_model = g_strdup ("ibkr");
  info->slippage_model = g_strdup ("bps:1");
  info->sizing_model = g_strdup ("percent:100");
  hs_bt_run_info_set_number (info, "fast", 10);
  hs_bt_run_info_set_number (info, "slow", 30);
  return info;
}

/* The data key as hs-cli-backtest.c names the bars (the series' version, its first and last
 * bar time) and the cache key of @request with it. */
static char *
key_of (HsStore     *store,
        HsBtRunInfo *request,
        GError     **error)
{
  int64_t version = 0, first = 0, last = 0;
  gboolean found = FALSE;

  if (!hs_store_data_version (store, HS_DATA_CANDLES, request->instrument_id, NULL, "1m",
                              &version, error)
      || !hs_store_bar_range (store, request->instrument_id, "1m", G_MININT64, G_MAXINT64,
                              &found, &first, &last, error))
    return NULL;
  g_free (request->data_key);
  request->data_key = g_strdup_printf ("candles %" G_GINT64_FORMAT " 1m v%" G_GINT64_FORMAT
                                       "\nbars %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                                       request->instrument_id, version, first, last);
  return hs_cache_key_compute (request);
}

/* The cached path: key from the store's versions, lookup, hit recorded, statistics loaded. */
static gboolean
answer (HsStore      *store,
        HsBtRunInfo  *request,
        gboolean      record,
        GError      **error)
{
  g_autofree char *key = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtResult) result = NULL;
  int64_t id = 0, hit = 0;

  key = key_of (store, request, error);
  if (key == NULL)
    return FALSE;
  if (!hs_store_find_cached_backtest (store, key, &id, error))
    return FALSE;
  if (id == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND, "cache miss");
      return FALSE;
    }
  if (record && !hs_store_record_cache_hit (store, id, 0, 0, 1, &hit, error))
    return FALSE;
  return hs_store_load_backtest_summary (store, record ? hit : id, &info, &result, error);
}

typedef struct
{
  const char *name;
  GArray     *ms;     /* (owned) double, one per repetition */
} Timing;

static void
timing_clear (Timing *t)
{
  g_clear_pointer (&t->ms, g_array_unref);
}

static double
median (Timing *t)
{
  double *v = (double *) (void *) t->ms->data;
  guint n = t->ms->len;

  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
add (Timing *t,
     int64_t t0)
{
  double ms = ms_since (t0);

  g_array_append_val (t->ms, ms);
}

#define N_TIMINGS 4

static gboolean
run (const char *path,
     int         repeat,
     GError    **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtResult) result = NULL;
  g_autofree char *key = NULL;
  int64_t instrument_id = 0, run_id = 0, t0;
  double save_ms, load_ms;
  Timing timings[N_TIMINGS] = {
    { "key (data version, first/last bar, SHA-256)", NULL },
    { "answer (key + lookup + hit row + statistics)", NULL },
    { "answer without recording the hit", NULL },
    { "not cached: load the bars + fingerprint", NULL },
  };

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, error);
  if (store == NULL || !hs_bench_store_gen_bars (store, N_BARS, &instrument_id, error))
    return FALSE;
  bars = hs_store_load_bars (store, instrument_id, "1m", G_MININT64, G_MAXINT64, error);
  if (bars == NULL)
    return FALSE;
  info = make_info (instrument_id, bars);
  info->data_fingerprint = hs_bars_fingerprint (bars);
  key = key_of (store, info, error);
  if (key == NULL)
    return FALSE;
  info->cache_key = g_strdup (key);
  result = make_result (bars);

  t0 = g_get_monotonic_time ();
  if (!hs_store_save_backtest (store, info, result, &run_id, error))
    return FALSE;
  save_ms = ms_since (t0);
  {
    g_autoptr(HsBtRunInfo) i2 = NULL;
    g_autoptr(HsBtResult) r2 = NULL;

    t0 = g_get_monotonic_time ();
    if (!hs_store_load_backtest (store, run_id, &i2, &r2, error))
      return FALSE;
    load_ms = ms_since (t0);
  }

  for (size_t k = 0; k < N_TIMINGS; k++)
    timings[k].ms = g_array_new (FALSE, FALSE, sizeof (double));
  for (int r = 0; r < repeat; r++)
    {
      g_autoptr(HsBtRunInfo) request = make_info (instrument_id, bars);
      gboolean ok = TRUE;

      t0 = g_get_monotonic_time ();
      {
        g_autofree char *k = key_of (store, request, error);

        ok = k != NULL && g_str_equal (k, key);
      }
      add (&timings[0], t0);
      t0 = g_get_monotonic_time ();
      ok = ok && answer (store, request, TRUE, error);
      add (&timings[1], t0);
      t0 = g_get_monotonic_time ();
      ok = ok && answer (store, request, FALSE, error);
      add (&timings[2], t0);
      t0 = g_get_monotonic_time ();
      {
        g_autoptr(HsBars) fresh = NULL;
        g_autofree char *fp = NULL;

        ok = ok && (fresh = hs_store_load_bars (store, instrument_id, "1m", G_MININT64,
                                                G_MAXINT64, error)) != NULL
             && (fp = hs_bars_fingerprint (fresh)) != NULL;
      }
      add (&timings[3], t0);
      if (!ok)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_FAILED, "the key changed");
          for (size_t k = 0; k < N_TIMINGS; k++)
            timing_clear (&timings[k]);
          return FALSE;
        }
    }

  g_print ("cache benchmark (%s build): %d bars, %d trades, %d repetitions\n",
           HS_BENCH_BUILDTYPE, N_BARS, N_TRADES, repeat);
  g_print ("  %-47s %8.1f ms\n", "save the run (one transaction)", save_ms);
  g_print ("  %-47s %8.1f ms\n", "load the whole run (statistics, trades, equity)", load_ms);
  for (size_t k = 0; k < N_TIMINGS; k++)
    {
      const double *v = (const double *) (void *) timings[k].ms->data;
      double best = v[0];

      for (guint r = 1; r < timings[k].ms->len; r++)
        best = MIN (best, v[r]);
      g_print ("  %-47s %8.2f ms median, %.2f ms best\n", timings[k].name, median (&timings[k]),
               best);
    }
  g_print ("{\"bench\":\"cache\",\"buildtype\":\"%s\",\"bars\":%d,\"trades\":%d,"
           "\"save_ms\":%.1f,\"load_full_ms\":%.1f,\"key_ms\":%.2f,\"answer_ms\":%.2f,"
           "\"answer_no_record_ms\":%.2f,\"load_bars_fingerprint_ms\":%.2f}\n",
           HS_BENCH_BUILDTYPE, N_BARS, N_TRADES, save_ms, load_ms, median (&timings[0]),
           median (&timings[1]), median (&timings[2]), median (&timings[3]));
  for (size_t k = 0; k < N_TIMINGS; k++)
    timing_clear (&timings[k]);
  return TRUE;
}

static void
remove_db (const char *dir,
           const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };

  for (size_t i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-cache-XXXXXX", &error);
  g_autofree char *path = NULL;
  int repeat = 25;
  gboolean ok;

  if (argc > 2 && g_str_equal (argv[1], "--repeat"))
    repeat = MAX (1, atoi (argv[2]));
  if (dir == NULL)
    {
      g_printerr ("bench-cache: %s\n", error->message);
      return EXIT_FAILURE;
    }
  path = g_build_filename (dir, "cache.db", NULL);
  ok = run (path, repeat, &error);
  remove_db (dir, path);
  if (!ok)
    {
      g_printerr ("bench-cache: %s\n", error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
