/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reducing a long series to what a screen can show without losing an extreme: the minimum and
 * the maximum of every pixel column (lines), or one merged candle per bucket (OHLC). Pure C +
 * GLib; x values are sorted ascending (times in µs), y values may be NAN (skipped).
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct
{
  double x;        /* the point's own x (µs UTC as a double) */
  double y;
  size_t index;    /* into the input */
} HsChartPoint;

typedef struct
{
  double x;        /* the first bar's time */
  double x_end;    /* the last bar's time */
  double open, high, low, close, volume;
  size_t first, last;   /* input indexes merged into this candle */
} HsChartCandle;

/* The minimum and maximum of every block of 64 values of a series, built once for a series
 * that is drawn many times (hs_equity_chart_data_new() does): decimation then reads a
 * column's whole blocks from it and only the column's ragged ends point by point. */
typedef struct _HsChartMinMaxIndex HsChartMinMaxIndex;

HsChartMinMaxIndex *hs_chart_minmax_index_new  (const double       *y,
                                                size_t              n);
void                hs_chart_minmax_index_free (HsChartMinMaxIndex *index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsChartMinMaxIndex, hs_chart_minmax_index_free)

/* Output room hs_chart_decimate() needs for @columns columns. */
#define HS_CHART_DECIMATE_CAPACITY(columns) (2 * (size_t) (columns) + 2)

size_t hs_chart_lower_bound     (const int64_t *x,
                                 size_t         n,
                                 double         value);
size_t hs_chart_upper_bound     (const int64_t *x,
                                 size_t         n,
                                 double         value);
size_t hs_chart_nearest         (const int64_t *x,
                                 size_t         n,
                                 double         value);

size_t hs_chart_decimate        (const int64_t *x,
                                 const double  *y,
                                 size_t         n,
                                 double         x_min,
                                 double         x_max,
                                 int            columns,
                                 HsChartPoint  *out);

size_t hs_chart_decimate_indexed (const int64_t            *x,
                                  const double             *y,
                                  size_t                    n,
                                  const HsChartMinMaxIndex *index,
                                  double                    x_min,
                                  double                    x_max,
                                  int                       columns,
                                  HsChartPoint             *out);

size_t hs_chart_decimate_ohlc   (const int64_t *ts,
                                 const double  *open,
                                 const double  *high,
                                 const double  *low,
                                 const double  *close,
                                 const double  *volume,
                                 size_t         n,
                                 double         x_min,
                                 double         x_max,
                                 int            buckets,
                                 HsChartCandle *out);

G_END_DECLS
