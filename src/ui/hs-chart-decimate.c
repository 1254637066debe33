/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Min/max-per-pixel-column decimation. A line chart of a million points over 1600 columns draws
 * at most two points per column — the column's lowest and highest, in the order they occur — so
 * the stroked line covers exactly the pixels the full series would, every spike included, while
 * the path stays ≤ 3202 points. Column bounds are found by binary search on the sorted x
 * values; the scan inside a column is a tight loop of two comparisons, so a redraw costs about
 * one pass over the visible points (a millisecond or two for a million, see bench-chart).
 *
 * Candles merge instead: every bucket of bars becomes one candle with the first open, highest
 * high, lowest low, last close and summed volume, which keeps every extreme of the range too.
 */
#define G_LOG_DOMAIN "hs-chart"

#include "config.h"

#include "hs-chart-decimate.h"

#include <math.h>

/* The first index of the ascending @x whose value is ≥ @value (@above: > @value), or @n. */
static size_t
bisect (const int64_t *x,
        size_t         n,
        double         value,
        gboolean       above)
{
  size_t lo = 0, hi = n;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      double v = (double) x[mid];

      if (v < value || (above && v == value))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * hs_chart_lower_bound:
 *
 * Returns: the first index of the ascending @x (@n values) whose value is ≥ @value; @n when
 *   there is none
 */
size_t
hs_chart_lower_bound (const int64_t *x,
                      size_t         n,
                      double         value)
{
  return bisect (x, n, value, FALSE);
}

/**
 * hs_chart_upper_bound:
 *
 * Returns: the first index of the ascending @x whose value is > @value; @n when there is none
 */
size_t
hs_chart_upper_bound (const int64_t *x,
                      size_t         n,
                      double         value)
{
  return bisect (x, n, value, TRUE);
}

/**
 * hs_chart_nearest:
 *
 * Returns: the index of the ascending @x closest to @value (the earlier one on a tie); 0 when
 *   @n is 0
 */
size_t
hs_chart_nearest (const int64_t *x,
                  size_t         n,
                  double         value)
{
  size_t i = hs_chart_lower_bound (x, n, value);

  if (n == 0)
    return 0;
  if (i == n)
    return n - 1;
  if (i > 0 && value - (double) x[i - 1] <= (double) x[i] - value)
    return i - 1;
  return i;
}

/* The first index ≥ @from of the ascending @x (below @end) whose value is ≥ @value: galloping
 * from @from, since a column's bound lies a column's worth of points ahead. Binary search over
 * the whole array would touch cold memory about twenty times per column, which costs more than
 * the scan of the column itself. */
static size_t
gallop (const int64_t *x,
        size_t         from,
        size_t         end,
        double         value)
{
  size_t step = 1, lo = from, hi;

  while (lo + step < end && (double) x[lo + step] < value)
    {
      lo += step;
      step *= 2;
    }
  hi = MIN (lo + step, end);
  return lo + hs_chart_lower_bound (x + lo, hi - lo, value);
}

/* gallop() from a guess: the first index in [@from, @end) whose value is ≥ @value, where
 * @guess is where it probably is (the last column's width of points past @from, for evenly
 * spaced series exactly right). Reads a cache line or two near @guess instead of galloping
 * through cold memory from @from; the answer is the same lower bound either way. */
static size_t
gallop_near (const int64_t *x,
             size_t         from,
             size_t         end,
             size_t         guess,
             double         value)
{
  size_t hi, step = 1, lo;

  if (guess <= from || guess >= end)
    return gallop (x, from, end, value);
  if ((double) x[guess - 1] < value)
    return gallop (x, guess, end, value);
  /* The bound is at most guess − 1 (x[guess − 1] ≥ value): walk down. */
  hi = guess - 1;
  while (hi - from > step && (double) x[hi - step] >= value)
    {
      hi -= step;
      step *= 2;
    }
  lo = hi - from > step ? hi - step : from;
  return lo + hs_chart_lower_bound (x + lo, hi - lo, value);
}

static size_t
emit (HsChartPoint  *out,
      size_t         k,
      const int64_t *x,
      const double  *y,
      size_t         i)
{
  out[k].x = (double) x[i];
  out[k].y = y[i];
  out[k].index = i;
  return k + 1;
}

#define BLOCK 64

struct _HsChartMinMaxIndex
{
  size_t  n;          /* values indexed */
  size_t  n_blocks;
  double *min;        /* per block, NAN ignored: +∞ / −∞ for a block of NANs */
  double *max;
  size_t *argmin;     /* the first index of the block's minimum, SIZE_MAX for none */
  size_t *argmax;
};

/**
 * hs_chart_minmax_index_new:
 * @y: (array length=n): the series (NAN values are ignored)
 * @n: its length
 *
 * Returns: (transfer full): the index of @y's blocks; valid while @y does not change
 */
HsChartMinMaxIndex *
hs_chart_minmax_index_new (const double *y,
                           size_t        n)
{
  HsChartMinMaxIndex *index = g_new0 (HsChartMinMaxIndex, 1);

  g_return_val_if_fail (n == 0 || y != NULL, index);

  index->n = n;
  index->n_blocks = n / BLOCK;   /* the tail shorter than a block is scanned point by point */
  index->min = g_new (double, MAX (index->n_blocks, (size_t) 1));
  index->max = g_new (double, MAX (index->n_blocks, (size_t) 1));
  index->argmin = g_new (size_t, MAX (index->n_blocks, (size_t) 1));
  index->argmax = g_new (size_t, MAX (index->n_blocks, (size_t) 1));
  for (size_t b = 0; b < index->n_blocks; b++)
    {
      double lo = INFINITY, hi = -INFINITY;
      size_t ilo = SIZE_MAX, ihi = SIZE_MAX;

      for (size_t p = b * BLOCK; p < (b + 1) * BLOCK; p++)
        {
          if (y[p] < lo)
            {
              lo = y[p];
              ilo = p;
            }
          if (y[p] > hi)
            {
              hi = y[p];
              ihi = p;
            }
        }
      index->min[b] = lo;
      index->max[b] = hi;
      index->argmin[b] = ilo;
      index->argmax[b] = ihi;
    }
  return index;
}

void
hs_chart_minmax_index_free (HsChartMinMaxIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->min);
  g_free (index->max);
  g_free (index->argmin);
  g_free (index->argmax);
  g_free (index);
}

typedef struct
{
  double vmin, vmax;
  size_t imin, imax;
} Extremes;

/* Folds y[from … to) into @e; strict comparisons keep the first of equal values, and NAN
 * fails both, so undefined values never become an extreme. */
static inline void
scan (const double *y,
      size_t        from,
      size_t        to,
      Extremes     *e)
{
  for (size_t p = from; p < to; p++)
    {
      double v = y[p];

      if (v < e->vmin)
        {
          e->vmin = v;
          e->imin = p;
        }
      if (v > e->vmax)
        {
          e->vmax = v;
          e->imax = p;
        }
    }
}

/* The extremes of y[i … j): whole blocks from @index, the ends point by point. Blocks are
 * visited in order and compared strictly, so the result equals a plain scan's. */
static void
column_extremes (const double             *y,
                 const HsChartMinMaxIndex *index,
                 size_t                    i,
                 size_t                    j,
                 Extremes                 *e)
{
  size_t b0, b1;

  e->vmin = INFINITY;
  e->vmax = -INFINITY;
  e->imin = e->imax = SIZE_MAX;
  if (index == NULL || j - i < 2 * BLOCK)
    {
      scan (y, i, j, e);
      return;
    }
  b0 = (i + BLOCK - 1) / BLOCK;   /* first whole block */
  b1 = MIN (j / BLOCK, index->n_blocks);   /* past the last whole block */
  scan (y, i, b0 * BLOCK, e);
  for (size_t b = b0; b < b1; b++)
    {
      if (index->min[b] < e->vmin)
        {
          e->vmin = index->min[b];
          e->imin = index->argmin[b];
        }
      if (index->max[b] > e->vmax)
        {
          e->vmax = index->max[b];
          e->imax = index->argmax[b];
        }
    }
  scan (y, MAX (b1 * BLOCK, b0 * BLOCK), j, e);
}

/**
 * hs_chart_decimate:
 * @x: ascending x values (µs)
 * @y: the values; NAN ones are skipped
 * @n: points
 * @x_min: the visible range's start
 * @x_max: its end (> @x_min)
 * @columns: pixel columns across the range (> 0)
 * @out: (out caller-allocates): room for HS_CHART_DECIMATE_CAPACITY(@columns) points
 *
 * Reduces the points of [@x_min, @x_max] to the lowest and the highest of each of @columns
 * equal slices of the range, in input order (one point when they coincide), plus the last
 * point before the range and the first after it, so a line drawn through them leaves the
 * plot's edges at the right height. Every column's extreme values are kept exactly.
 *
 * Returns: the number of points written, ≤ 2 × @columns + 2
 */
size_t
hs_chart_decimate (const int64_t *x,
                   const double  *y,
                   size_t         n,
                   double         x_min,
                   double         x_max,
                   int            columns,
                   HsChartPoint  *out)
{
  return hs_chart_decimate_indexed (x, y, n, NULL, x_min, x_max, columns, out);
}

/**
 * hs_chart_decimate_indexed:
 * @index: (nullable): hs_chart_minmax_index_new() of @y, or NULL
 *
 * hs_chart_decimate() reading whole 64-value blocks from @index: the same points, in about a
 * fifth of the time when columns hold hundreds of points.
 */
size_t
hs_chart_decimate_indexed (const int64_t            *x,
                           const double             *y,
                           size_t                    n,
                           const HsChartMinMaxIndex *index,
                           double                    x_min,
                           double                    x_max,
                           int                       columns,
                           HsChartPoint             *out)
{
  size_t first, end, i, k = 0;
  double span = x_max - x_min;

  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), 0);
  g_return_val_if_fail (out != NULL, 0);
  g_return_val_if_fail (index == NULL || index->n == n, 0);

  if (n == 0 || columns <= 0 || !(span > 0))
    return 0;
  first = hs_chart_lower_bound (x, n, x_min);
  end = hs_chart_upper_bound (x, n, x_max);

  /* The nearest defined point before the range connects the line to the left edge. */
  for (size_t j = first; j > 0; j--)
    if (!isnan (y[j - 1]))
      {
        k = emit (out, k, x, y, j - 1);
        break;
      }

  i = first;
  for (int c = 0, width = 0; c < columns && i < end; c++)
    {
      size_t j;
      Extremes e;

      /* Column c holds x in [x_min + span·c/columns, x_min + span·(c+1)/columns); the last
       * one also holds x_max itself. */
      if (c == columns - 1)
        j = end;
      else
        j = gallop_near (x, i, end, i + (size_t) width, x_min + span * (c + 1) / columns);
      column_extremes (y, index, i, j, &e);
      width = (int) MIN (j - i, (size_t) G_MAXINT);
      i = j;
      if (e.imin == SIZE_MAX)
        continue;
      if (e.imin == e.imax)
        k = emit (out, k, x, y, e.imin);
      else
        {
          k = emit (out, k, x, y, MIN (e.imin, e.imax));
          k = emit (out, k, x, y, MAX (e.imin, e.imax));
        }
    }

  for (size_t j = end; j < n; j++)
    if (!isnan (y[j]))
      {
        k = emit (out, k, x, y, j);
        break;
      }
  return k;
}

/**
 * hs_chart_decimate_ohlc:
 * @ts: ascending bar times (µs)
 * @open: (array length=n): opens
 * @high: highs
 * @low: lows
 * @close: closes
 * @volume: (nullable): volumes
 * @n: bars
 * @x_min: the visible range's start
 * @x_max: its end (> @x_min)
 * @buckets: equal time slices of the range (> 0)
 * @out: (out caller-allocates): room for @buckets candles
 *
 * Merges the bars of [@x_min, @x_max] that fall into the same slice: first open, highest high,
 * lowest low, last close, summed volume (0 without @volume). Slices without bars give no
 * candle. With @buckets ≥ the bars in range and bars in distinct slices, every bar comes out
 * unchanged.
 *
 * Returns: the number of candles written
 */
size_t
hs_chart_decimate_ohlc (const int64_t *ts,
                        const double  *open,
                        const double  *high,
                        const double  *low,
                        const double  *close,
                        const double  *volume,
                        size_t         n,
                        double         x_min,
                        double         x_max,
                        int            buckets,
                        HsChartCandle *out)
{
  size_t first, end, i, k = 0;
  double span = x_max - x_min;

  g_return_val_if_fail (out != NULL, 0);

  if (n == 0 || buckets <= 0 || !(span > 0))
    return 0;
  first = hs_chart_lower_bound (ts, n, x_min);
  end = hs_chart_upper_bound (ts, n, x_max);

  i = first;
  for (int b = 0; b < buckets && i < end; b++)
    {
      size_t j;
      HsChartCandle *c;

      if (b == buckets - 1)
        j = end;
      else
        j = gallop (ts, i, end, x_min + span * (b + 1) / buckets);
      if (j == i)
        continue;
      c = &out[k++];
      c->x = (double) ts[i];
      c->x_end = (double) ts[j - 1];
      c->open = open[i];
      c->close = close[j - 1];
      c->high = -INFINITY;
      c->low = INFINITY;
      c->volume = 0;
      c->first = i;
      c->last = j - 1;
      for (size_t p = i; p < j; p++)
        {
          if (high[p] > c->high)
            c->high = high[p];
          if (low[p] < c->low)
            c->low = low[p];
          if (volume != NULL && isfinite (volume[p]))
            c->volume += volume[p];
        }
      i = j;
    }
  return k;
}
