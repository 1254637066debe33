/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Label job benchmark: 100,000 closed trades over 1,000,000 one-minute bars (hs-gen-bars.c,
 * seed 42, about two years of bars around the clock). Setup (not timed): the bars imported into
 * a fresh WAL database file, and the trades written, half to paper_trades and half to
 * backtest_trades, entered at random minutes (a third of them inside a minute), long or short,
 * held 1 to 240 minutes, at the entry bar's open, stored in entry order as a backtest or a bot
 * writes them (--shuffled: in random order, the worst case for the batches' bar reads). Then,
 * timed:
 *
 *   label       the job over the whole queue: read in batches of 500 with their bars, compute,
 *               write each batch in one transaction                        <- the figure
 *   again       the same run once more: an empty queue (only the trades without enough bars,
 *               retried)
 *   relabel     --all: every label recomputed, none written (all unchanged)
 *   compute     for scale, hs_label_compute() alone over the trades with every bar in memory
 *
 * Wall times; nothing is asserted. The figures are printed for people and, as the last line, as
 * one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark --suite bench -v   (or BUILD/tests/bench/bench-label
 *                                                        [--shuffled])
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-bench-store.h"
#include "hs-gen-bars.h"
#include "hs-label-job.h"
#include "hs-label.h"
#include "hs-store-market.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define N_BARS   1000000
#define N_TRADES 100000
#define MIN_US   (INT64_C (60) * 1000000)

typedef struct
{
  int     side;
  int64_t entry, exit;
  double  price;
} Trade;

static double
ms_since (int64_t t0)
{
  return (double) (g_get_monotonic_time () - t0) / 1000.0;
}

static int
trade_cmp (gconstpointer a,
           gconstpointer b)
{
  const Trade *x = a, *y = b;

  return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Distinct random entries over the bars; the price is the entry bar's open. In entry order (as
 * a backtest or a bot writes them) unless @shuffled. */
static GArray *
make_trades (const HsBars *bars,
             gboolean      shuffled)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree guint8 *taken = g_new0 (guint8, bars->n);
  GArray *trades = g_array_sized_new (FALSE, FALSE, sizeof (Trade), N_TRADES);

  while (trades->len < N_TRADES)
    {
      size_t k = (size_t) g_rand_int_range (rand, 0, (gint32) bars->n);
      Trade t;

      if (taken[k])
        continue;
      taken[k] = 1;
      t.side = g_rand_boolean (rand) ? 1 : -1;
      t.entry = bars->ts[k];
      if (g_rand_int_range (rand, 0, 3) == 0)
        t.entry += g_rand_int_range (rand, 1, 60) * INT64_C (1000000);
      t.exit = t.entry + g_rand_int_range (rand, 1, 241) * MIN_US;
      t.price = bars->open[k];
      g_array_append_val (trades, t);
    }
  if (!shuffled)
    g_array_sort (trades, trade_cmp);
  return trades;
}

static gboolean
write_trades (const char   *path,
              int64_t       instrument_id,
              const GArray *trades,
              GError      **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *paper = NULL, *bt = NULL;
  gboolean ok;

  ok = sqlite3_open (path, &db) == SQLITE_OK
       && sqlite3_exec (db, "BEGIN; INSERT INTO backtest_runs (strategy_name, symbol, interval, "
                            "start_ts, end_ts, initial_cash, created_at) VALUES ('bench', "
                            "'BENCH', '1m', 0, 1, 1000, 0)", NULL, NULL, NULL) == SQLITE_OK
       && sqlite3_prepare_v2 (db, "INSERT INTO paper_trades (instrument_id, side, quantity, "
                                  "entry_ts, entry_price, exit_ts, exit_price, status, "
                                  "created_at, updated_at) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?4, "
                                  "'closed', 0, 0)", -1, &paper, NULL) == SQLITE_OK
       && sqlite3_prepare_v2 (db, "INSERT INTO backtest_trades (run_id, trade_no, "
                                  "instrument_id, side, quantity, entry_ts, entry_price, "
                                  "exit_ts, exit_price) VALUES (1, ?6, ?1, ?2, 1, ?3, ?4, ?5, "
                                  "?4)", -1, &bt, NULL) == SQLITE_OK;
  for (guint i = 0; ok && i < trades->len; i++)
    {
      const Trade *t = &g_array_index (trades, Trade, i);
      sqlite3_stmt *stmt = i % 2 ? bt : paper;

      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, t->side > 0 ? "long" : "short", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, t->entry);
      sqlite3_bind_double (stmt, 4, t->price);
      sqlite3_bind_int64 (stmt, 5, t->exit);
      if (stmt == bt)
        sqlite3_bind_int64 (stmt, 6, i / 2 + 1);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_reset (stmt);
    }
  ok = ok && sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_FAILED, "writing trades: %s",
                 sqlite3_errmsg (db));
  sqlite3_finalize (paper);
  sqlite3_finalize (bt);
  sqlite3_close (db);
  return ok;
}

static HsLabelResult *
timed_run (HsStore  *store,
           gboolean  all,
           double   *ms,
           GError  **error)
{
  HsLabelRequest request;
  int64_t t0;
  HsLabelResult *result;

  hs_label_request_init (&request);
  request.all = all;
  t0 = g_get_monotonic_time ();
  result = hs_label_job_run (store, &request, NULL, NULL, NULL, error);
  *ms = ms_since (t0);
  return result;
}

static gboolean
run (const char *path,
     gboolean    shuffled,
     GError    **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(GArray) trades = NULL;
  g_autoptr(HsLabelResult) first = NULL, again = NULL, relabel = NULL;
  double first_ms, again_ms, relabel_ms, compute_ms;
  int64_t instrument_id = 0, t0, data_end;
  size_t ok = 0;

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, error);
  if (store == NULL || !hs_bench_store_gen_bars (store, N_BARS, &instrument_id, error))
    return FALSE;
  bars = hs_store_load_bars (store, instrument_id, "1m", G_MININT64, G_MAXINT64, error);
  if (bars == NULL)
    return FALSE;
  trades = make_trades (bars, shuffled);
  if (!write_trades (path, instrument_id, trades, error))
    return FALSE;

  first = timed_run (store, FALSE, &first_ms, error);
  if (first == NULL)
    return FALSE;
  again = timed_run (store, FALSE, &again_ms, error);
  if (again == NULL)
    return FALSE;
  relabel = timed_run (store, TRUE, &relabel_ms, error);
  if (relabel == NULL)
    return FALSE;

  data_end = bars->ts[bars->n - 1] + MIN_US;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < trades->len; i++)
    {
      const Trade *t = &g_array_index (trades, Trade, i);
      HsLabelTrade lt = { t->side, t->entry, t->price, t->exit };
      HsLabel l;

      ok += hs_label_compute (bars, data_end, &lt, &l) == HS_LABEL_OK;
    }
  compute_ms = ms_since (t0);

  g_print ("label benchmark (%s build): %d trades (half paper, half backtest, %s) over %d 1m "
           "bars\n", HS_BENCH_BUILDTYPE, N_TRADES, shuffled ? "stored in random order"
           : "stored in entry order", N_BARS);
  g_print ("  %-40s %9.1f ms  %9.0f trades/s  (labeled %u, skipped %u)\n", "label (the job)",
           first_ms, N_TRADES / (first_ms / 1000), first->labeled->len, first->skipped->len);
  g_print ("  %-40s %9.1f ms  (%" G_GINT64_FORMAT " retried)\n", "again (queue empty)", again_ms,
           again->examined);
  g_print ("  %-40s %9.1f ms  %9.0f trades/s  (unchanged %u)\n", "relabel --all (no writes)",
           relabel_ms, N_TRADES / (relabel_ms / 1000), relabel->unchanged->len);
  g_print ("  %-40s %9.1f ms  %9.0f trades/s  (ok %zu)\n", "hs_label_compute alone", compute_ms,
           N_TRADES / (compute_ms / 1000), ok);
  g_print ("{\"bench\":\"label\",\"buildtype\":\"%s\",\"bars\":%d,\"trades\":%d,"
           "\"shuffled\":%s,\"label_ms\":%.1f,\"again_ms\":%.1f,\"relabel_ms\":%.1f,"
           "\"compute_ms\":%.1f,\"labeled\":%u}\n", HS_BENCH_BUILDTYPE, N_BARS, N_TRADES,
           shuffled ? "true" : "false", first_ms, again_ms, relabel_ms, compute_ms,
           first->labeled->len);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-label-XXXXXX", &error);
  g_autofree char *path = NULL;
  gboolean shuffled = argc > 1 && g_str_equal (argv[1], "--shuffled");
  gboolean ok;

  if (dir == NULL)
    {
      g_printerr ("bench-label: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "label.db", NULL);
  ok = run (path, shuffled, &error);
  hs_bench_store_remove (path);
  if (!ok)
    {
      g_printerr ("bench-label: %s\n", error->message);
      return 1;
    }
  return 0;
}
