/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A series' closes sampled for a sparkline: the last close in each of n equal slices of a time
 * range, one primary-key seek per slice (candles are clustered on (instrument, interval, ts)),
 * so a sparkline of a million bars reads n rows, not a million.
 *
 * Load: n index seeks, about 80 per series for the Overview.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-sample.h"
#include "hs-store-private.h"

#include <math.h>

/* The first time of slice @k of [first, first + span]: the smallest t with
 * k·span ≤ n·(t − first), i.e. first + ⌈k·span / n⌉, computed without overflowing: k·span can
 * exceed 64 bits, k·(span mod n) < n² cannot. */
static int64_t
slice_start (int64_t first,
             int64_t span,
             size_t  n,
             size_t  k)
{
  int64_t q = span / (int64_t) n, r = span % (int64_t) n;
  int64_t rest = (int64_t) k * r;

  return first + (int64_t) k * q + rest / (int64_t) n + (rest % (int64_t) n != 0);
}

/**
 * hs_store_sample_closes:
 * @first_ts: the range's first bar time
 * @last_ts: its last bar time, ≥ @first_ts
 * @n: how many slices
 * @out: (out caller-allocates) (array length=n): the closes
 *
 * Cuts [@first_ts, @last_ts] into @n slices — a bar at time t is in slice k when
 * k·span ≤ n·(t − first) < (k + 1)·span, with span = last − first, and the bar at @last_ts in
 * the last slice — and writes the close of each slice's last bar to @out, NAN for a slice
 * without a bar.
 *
 * Returns: %FALSE with @error set
 */
gboolean
hs_store_sample_closes (HsStore    *store,
                        int64_t     instrument_id,
                        const char *interval,
                        int64_t     first_ts,
                        int64_t     last_ts,
                        size_t      n,
                        double     *out,
                        GError    **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT close FROM candles WHERE instrument_id = ?1 AND interval = ?2"
    " AND ts >= ?3 AND ts < ?4 ORDER BY ts DESC, seq DESC LIMIT 1", error);
  int64_t span = last_ts - first_ts;

  g_return_val_if_fail (last_ts >= first_ts, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);

  if (stmt == NULL)
    return FALSE;
  for (size_t k = 0; k < n; k++)
    {
      int64_t from = slice_start (first_ts, span, n, k);
      /* The last slice also holds the last bar. */
      int64_t to = k + 1 < n ? slice_start (first_ts, span, n, k + 1) : last_ts + 1;
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, interval, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, from);
      sqlite3_bind_int64 (stmt, 4, to);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        out[k] = sqlite3_column_double (stmt, 0);
      else if (rc == SQLITE_DONE)
        out[k] = NAN;
      else
        return hs_store_set_error (store, rc, error, "sampling closes");
    }
  return TRUE;
}
