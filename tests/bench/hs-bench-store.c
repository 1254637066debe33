/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the database benchmarks share: a fresh database filled with gen-bars one-minute bars
 * (hs-gen-bars.c with its defaults: seed 42, from 2020-01-02T14:30:00Z), the setup every one of
 * them times nothing of.
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-bench-store.h"

#include "hs-gen-bars.h"
#include "hs-store-market.h"

#include <glib/gstdio.h>

#include <math.h>

/**
 * hs_bench_store_gen_bars:
 * @n: bars to generate
 * @instrument_id: (out) (optional): the instrument, "BENCH", created when missing
 *
 * Stores @n gen-bars bars as the 1m candles of BENCH in one transaction.
 */
gboolean
hs_bench_store_gen_bars (HsStore *store,
                         size_t   n,
                         int64_t *instrument_id,
                         GError **error)
{
  HsGenBarsOptions opts;
  HsGenBars gen;
  g_autofree HsBar *bars = g_new0 (HsBar, MAX (n, 1));
  int64_t inserted = 0, id = 0;

  hs_gen_bars_options_init (&opts);
  hs_gen_bars_init (&gen, &opts);
  for (size_t i = 0; i < n; i++)
    {
      HsGenBar b;

      hs_gen_bars_next (&gen, &b);
      bars[i].ts = b.ts * G_USEC_PER_SEC;
      bars[i].open = b.open;
      bars[i].high = b.high;
      bars[i].low = b.low;
      bars[i].close = b.close;
      bars[i].volume = (double) b.volume;
      bars[i].vwap = NAN;
      bars[i].trade_count = -1;
    }
  if (!hs_store_ensure_instrument (store, "BENCH", NULL, "stock", &id, error)
      || !hs_store_begin (store, error))
    return FALSE;
  if (!hs_store_insert_bars (store, id, "1m", bars, n, &inserted, error)
      || !hs_store_commit (store, error))
    {
      hs_store_rollback (store);
      return FALSE;
    }
  if (instrument_id != NULL)
    *instrument_id = id;
  return TRUE;
}

/**
 * hs_bench_store_remove:
 * @path: a benchmark's database file, alone in its temporary folder
 *
 * Removes the file, its WAL and shared-memory files, and the folder.
 */
void
hs_bench_store_remove (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}
