/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Retention's arithmetic (docs/gaps-retention.md): a day of trades becomes 1-minute candles
 * (through hs_resample_trades(), the one definition of a candle from trades: open the first
 * price, close the last, volume Σ size, vwap Σ price × size / Σ size, and the trade count) and
 * one CVD point per minute; a day of quotes becomes 1-minute quote bars (bid and ask OHLC and
 * the last sizes, as LEAN's quote bars).
 *
 * Load: one pass over a day's columns (up to a few million rows), no allocation per row; the
 * columns grow by doubling.
 */
#define G_LOG_DOMAIN "hs-rollup"

#include "config.h"

#include "hs-rollup.h"

#include "hs-resample.h"

#include <math.h>

#define MINUTE_US (INT64_C (1000000) * HS_ROLLUP_INTERVAL_S)

/* The start of the minute @ts falls in (floor, also before 1970). */
static int64_t
minute_of (int64_t ts)
{
  return ts - ((ts % MINUTE_US) + MINUTE_US) % MINUTE_US;
}

HsTradeColumns *
hs_trade_columns_new (void)
{
  return g_new0 (HsTradeColumns, 1);
}

void
hs_trade_columns_append (HsTradeColumns *t,
                         int64_t         ts,
                         double          price,
                         double          size,
                         HsSide          side,
                         double          cvd)
{
  if (t->n == t->capacity)
    {
      t->capacity = MAX (t->capacity * 2, 1024);
      t->ts = g_renew (int64_t, t->ts, t->capacity);
      t->price = g_renew (double, t->price, t->capacity);
      t->size = g_renew (double, t->size, t->capacity);
      t->cvd = g_renew (double, t->cvd, t->capacity);
      t->side = g_renew (int8_t, t->side, t->capacity);
    }
  t->ts[t->n] = ts;
  t->price[t->n] = price;
  t->size[t->n] = size;
  t->cvd[t->n] = cvd;
  t->side[t->n] = (int8_t) side;
  t->n++;
}

void
hs_trade_columns_free (HsTradeColumns *t)
{
  if (t == NULL)
    return;
  g_free (t->ts);
  g_free (t->price);
  g_free (t->size);
  g_free (t->cvd);
  g_free (t->side);
  g_free (t);
}

HsQuoteColumns *
hs_quote_columns_new (void)
{
  return g_new0 (HsQuoteColumns, 1);
}

void
hs_quote_columns_append (HsQuoteColumns *q,
                         const HsQuote  *quote)
{
  if (q->n == q->capacity)
    {
      q->capacity = MAX (q->capacity * 2, 1024);
      q->ts = g_renew (int64_t, q->ts, q->capacity);
      q->bid = g_renew (double, q->bid, q->capacity);
      q->ask = g_renew (double, q->ask, q->capacity);
      q->bid_size = g_renew (double, q->bid_size, q->capacity);
      q->ask_size = g_renew (double, q->ask_size, q->capacity);
    }
  q->ts[q->n] = quote->ts;
  q->bid[q->n] = quote->bid;
  q->ask[q->n] = quote->ask;
  q->bid_size[q->n] = quote->bid_size;
  q->ask_size[q->n] = quote->ask_size;
  q->n++;
}

void
hs_quote_columns_free (HsQuoteColumns *q)
{
  if (q == NULL)
    return;
  g_free (q->ts);
  g_free (q->bid);
  g_free (q->ask);
  g_free (q->bid_size);
  g_free (q->ask_size);
  g_free (q);
}

/**
 * hs_rollup_trades:
 * @t: trades in time order
 *
 * Returns: (transfer full) (element-type HsBar): one candle per minute with trades (seq 0, vwap
 *   NAN when the minute's volume is 0, trade_count the number of trades), or %NULL with @error
 *   when the trades are out of order (%HS_RESAMPLE_ERROR_ORDER)
 */
GArray *
hs_rollup_trades (const HsTradeColumns *t,
                  GError              **error)
{
  g_autoptr(HsResampled) r = NULL;
  g_autofree int64_t *counts = NULL;
  GArray *out;

  g_return_val_if_fail (t != NULL, NULL);

  r = hs_resample_trades (t->ts, t->price, t->size, t->n, HS_ROLLUP_INTERVAL, HS_SESSION_ALWAYS,
                          &counts, error);
  if (r == NULL)
    return NULL;
  out = g_array_sized_new (FALSE, FALSE, sizeof (HsBar), (guint) r->bars->n);
  for (size_t i = 0; i < r->bars->n; i++)
    {
      HsBar bar = {
        .ts = r->bars->ts[i], .seq = 0, .open = r->bars->open[i], .high = r->bars->high[i],
        .low = r->bars->low[i], .close = r->bars->close[i], .volume = r->bars->volume[i],
        .vwap = r->bars->vwap[i], .trade_count = counts[i],
      };

      g_array_append_val (out, bar);
    }
  return out;
}

/**
 * hs_rollup_cvd:
 * @t: trades in time order
 *
 * Returns: (transfer full) (element-type HsCvdPoint): one point per minute with trades: the
 *   time and cvd_at_trade of its last trade, and the minute's net taker volume (the CVD's
 *   change over the minute when the stored CVD is the running sum the store keeps)
 */
GArray *
hs_rollup_cvd (const HsTradeColumns *t)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsCvdPoint));
  HsCvdPoint p = { 0 };
  int64_t minute = 0;

  g_return_val_if_fail (t != NULL, out);

  for (size_t i = 0; i < t->n; i++)
    {
      int64_t m = minute_of (t->ts[i]);

      if (i > 0 && m != minute)
        {
          g_array_append_val (out, p);
          p.change = 0;
        }
      minute = m;
      p.ts = t->ts[i];
      p.cvd = t->cvd[i];
      p.change += t->side[i] * t->size[i];
    }
  if (t->n > 0)
    g_array_append_val (out, p);
  return out;
}

/* Starts quote bar @i from quote @j. */
static void
quote_bar_open (HsQuoteBars          *b,
                size_t                i,
                const HsQuoteColumns *q,
                size_t                j)
{
  b->ts[i] = minute_of (q->ts[j]);
  b->bid_open[i] = b->bid_high[i] = b->bid_low[i] = q->bid[j];
  b->ask_open[i] = b->ask_high[i] = b->ask_low[i] = q->ask[j];
}

/**
 * hs_rollup_quotes:
 * @q: quotes in time order
 *
 * Returns: (transfer full): one quote bar per minute with quotes: bid and ask open (the first
 *   quote), high, low and close (the last quote), and the last quote's sizes (0 when unknown,
 *   as quote_bars stores a missing size)
 */
HsQuoteBars *
hs_rollup_quotes (const HsQuoteColumns *q)
{
  HsQuoteBars *b;
  size_t n = 0, i = 0;

  g_return_val_if_fail (q != NULL, NULL);

  for (size_t j = 0; j < q->n; j++)
    n += j == 0 || minute_of (q->ts[j]) != minute_of (q->ts[j - 1]);
  b = hs_quote_bars_new (n, HS_ROLLUP_INTERVAL_S);
  for (size_t j = 0; j < q->n; j++)
    {
      if (j == 0)
        quote_bar_open (b, 0, q, 0);
      else if (minute_of (q->ts[j]) != b->ts[i])
        quote_bar_open (b, ++i, q, j);
      b->bid_high[i] = MAX (b->bid_high[i], q->bid[j]);
      b->bid_low[i] = MIN (b->bid_low[i], q->bid[j]);
      b->ask_high[i] = MAX (b->ask_high[i], q->ask[j]);
      b->ask_low[i] = MIN (b->ask_low[i], q->ask[j]);
      b->bid_close[i] = q->bid[j];
      b->ask_close[i] = q->ask[j];
      b->bid_size[i] = isnan (q->bid_size[j]) ? 0 : q->bid_size[j];
      b->ask_size[i] = isnan (q->ask_size[j]) ? 0 : q->ask_size[j];
    }
  return b;
}
