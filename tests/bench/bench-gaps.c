/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Gap report and retention benchmark. Setup (not timed), in a fresh WAL database file:
 *   BENCH      1,000,000 one-minute gen-bars bars around the clock (hs-bench-store.c), a stock:
 *              the US session calendar expects about 190,000 of them, the rest fall outside
 *   BTC-BENCH  1,000,000 one-minute bars of a crypto pair (24/7), one in 1,000 dropped at random
 *              (seeded), so about 1,000 gap ranges
 *   BTC-TRADES 1,000,000 trades over 10 UTC days (100,000 a day, random sizes and sides)
 * Then, timed:
 *
 *   gaps-stock    hs_gaps_candle_ranges() over BENCH's 1,000,000 bars          <- figure
 *   gaps-crypto   the same over BTC-BENCH                                      <- figure
 *   retention-dry a dry run over the 1,000,000 trades (read, roll up, count)
 *   retention     the real run: 14,400 candles and CVD points written, the trades deleted,
 *                 10 transactions                                              <- figure
 *
 * Wall times; nothing is asserted. The figures are printed for people and, as the last line, as
 * one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark --suite bench -v   (or BUILD/tests/bench/bench-gaps)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-bench-store.h"
#include "hs-gaps-job.h"
#include "hs-retention.h"
#include "hs-store-market.h"

#include <math.h>
#include <stdio.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define N_BARS        1000000
#define N_TRADES      1000000
#define TRADE_DAYS    10
#define MIN_US        (INT64_C (60) * 1000000)
#define DAY_US        (INT64_C (86400) * 1000000)
#define START_US      (INT64_C (1704067200) * 1000000)   /* 2024-01-01T00:00:00Z */

static double
ms_since (int64_t t0)
{
  return (double) (g_get_monotonic_time () - t0) / 1000.0;
}

static gboolean
fill_crypto_bars (HsStore  *store,
                  int64_t  *id,
                  size_t   *n_dropped,
                  GError  **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) bars = g_array_sized_new (FALSE, FALSE, sizeof (HsBar), N_BARS);
  int64_t inserted = 0;

  *n_dropped = 0;
  for (int64_t i = 0; i < N_BARS; i++)
    {
      HsBar bar = { START_US + i * MIN_US, 0, 100, 101, 99, 100, 1, NAN, -1 };

      if (g_rand_int_range (rand, 0, 1000) == 0)
        {
          (*n_dropped)++;
          continue;
        }
      g_array_append_val (bars, bar);
    }
  if (!hs_store_ensure_instrument (store, "BTC-BENCH", NULL, "crypto", id, error)
      || !hs_store_begin (store, error))
    return FALSE;
  if (!hs_store_insert_bars (store, *id, "1m", (const HsBar *) (void *) bars->data, bars->len,
                             &inserted, error)
      || !hs_store_commit (store, error))
    {
      hs_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
fill_trades (HsStore  *store,
             GError  **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  int64_t id = 0, step = TRADE_DAYS * DAY_US / N_TRADES;
  double cvd = 0, price = 40000;

  if (!hs_store_ensure_instrument (store, "BTC-TRADES", NULL, "crypto", &id, error)
      || !hs_store_begin (store, error))
    return FALSE;
  for (int64_t i = 0; i < N_TRADES; i++)
    {
      HsTrade t = { START_US + i * step, 0, NULL, 0, 0, HS_SIDE_BUY, 0 };

      price *= 1 + g_rand_double_range (rand, -0.0005, 0.0005);
      t.price = price;
      t.size = g_rand_double_range (rand, 0.0001, 2);
      t.side = g_rand_boolean (rand) ? HS_SIDE_BUY : HS_SIDE_SELL;
      cvd += t.side * t.size;
      t.cvd = cvd;
      if (!hs_store_insert_trade (store, id, &t, NULL, error))
        {
          hs_store_rollback (store);
          return FALSE;
        }
    }
  if (!hs_store_commit (store, error))
    {
      hs_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
time_gaps (HsStore    *store,
           int64_t     id,
           const char *label,
           double     *ms,
           guint      *n_ranges,
           GError    **error)
{
  g_autoptr(GArray) ranges = NULL;
  int64_t t0 = g_get_monotonic_time ();

  ranges = hs_gaps_candle_ranges (store, id, "1m", G_MININT64, G_MAXINT64, NULL, error);
  if (ranges == NULL)
    return FALSE;
  *ms = ms_since (t0);
  *n_ranges = ranges->len;
  printf ("%-14s %10.1f ms  %u ranges over %d bars (%.2f M bars/s)\n", label, *ms, ranges->len,
          N_BARS, N_BARS / (*ms * 1000.0));
  return TRUE;
}

static gboolean
run (const char *path,
     GError    **error)
{
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, error);
  g_autoptr(HsRetentionResult) dry = NULL;
  g_autoptr(HsRetentionResult) real = NULL;
  HsRetentionRequest req;
  int64_t stock = 0, crypto = 0, t0, candles = 0, trades = 0;
  size_t dropped = 0;
  double ms_stock, ms_crypto, ms_dry, ms_real;
  guint r_stock, r_crypto;

  if (store == NULL)
    return FALSE;
  t0 = g_get_monotonic_time ();
  if (!hs_bench_store_gen_bars (store, N_BARS, &stock, error)
      || !fill_crypto_bars (store, &crypto, &dropped, error) || !fill_trades (store, error))
    return FALSE;
  printf ("bench-gaps (%s build): setup %.1f s; %zu crypto bars dropped\n", HS_BENCH_BUILDTYPE,
          ms_since (t0) / 1000, dropped);

  if (!time_gaps (store, stock, "gaps-stock", &ms_stock, &r_stock, error)
      || !time_gaps (store, crypto, "gaps-crypto", &ms_crypto, &r_crypto, error))
    return FALSE;

  hs_retention_request_init (&req);
  req.now = START_US + (TRADE_DAYS + 40) * DAY_US;
  req.dry_run = TRUE;
  t0 = g_get_monotonic_time ();
  dry = hs_retention_run (store, &req, NULL, NULL, NULL, error);
  if (dry == NULL)
    return FALSE;
  ms_dry = ms_since (t0);
  printf ("%-14s %10.1f ms  %u days\n", "retention-dry", ms_dry, dry->days->len);

  req.dry_run = FALSE;
  t0 = g_get_monotonic_time ();
  real = hs_retention_run (store, &req, NULL, NULL, NULL, error);
  if (real == NULL)
    return FALSE;
  ms_real = ms_since (t0);
  for (guint i = 0; i < real->days->len; i++)
    {
      candles += g_array_index (real->days, HsRetentionDay, i).candles_written;
      trades += g_array_index (real->days, HsRetentionDay, i).trades;
    }
  printf ("%-14s %10.1f ms  %" G_GINT64_FORMAT " trades into %" G_GINT64_FORMAT
          " candles (%.2f M trades/s)\n", "retention", ms_real, trades, candles,
          (double) trades / (ms_real * 1000.0));
  printf ("{\"buildtype\": \"%s\", \"bars\": %d, \"gaps_stock_ms\": %.1f, \"gaps_stock_ranges\": "
          "%u, \"gaps_crypto_ms\": %.1f, \"gaps_crypto_ranges\": %u, \"trades\": %" G_GINT64_FORMAT
          ", \"retention_dry_ms\": %.1f, \"retention_ms\": %.1f}\n", HS_BENCH_BUILDTYPE, N_BARS,
          ms_stock, r_stock, ms_crypto, r_crypto, trades, ms_dry, ms_real);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-gaps-XXXXXX", &error);
  g_autofree char *path = NULL;
  gboolean ok;

  if (dir == NULL)
    {
      g_printerr ("bench-gaps: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "gaps.db", NULL);
  ok = run (path, &error);
  hs_bench_store_remove (path);
  if (!ok)
    {
      g_printerr ("bench-gaps: %s\n", error->message);
      return 1;
    }
  return 0;
}
