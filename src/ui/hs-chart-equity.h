/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The results view's equity chart: the equity curve (with an optional benchmark and overlaid
 * curves of other runs) and, beneath it on the same time axis, the drawdown ("underwater")
 * area. See hs-chart.h for the conventions every painter follows.
 */
#pragma once

#include "hs-chart.h"
#include "hs-chart-decimate.h"

G_BEGIN_DECLS

/* A further line on the same axes, e.g. another run in a comparison. */
typedef struct
{
  const int64_t *ts;       /* ascending µs UTC */
  const double  *values;
  size_t         n;
  const char    *name;     /* (nullable) legend */
} HsChartSeries;

typedef struct
{
  const int64_t       *ts;           /* ascending µs UTC */
  const double        *equity;       /* account value at each ts */
  const double        *benchmark;    /* (nullable) benchmark close or value at each ts; drawn
                                      * scaled so its first defined value equals the equity
                                      * there (what the starting cash would have become) */
  const double        *drawdown;     /* (nullable) fraction ≥ 0 below the running peak, as
                                      * HsBtResult.drawdown; NULL: computed from equity */
  size_t               n;
  const HsChartSeries *overlays;     /* (nullable) (array length=n_overlays) */
  size_t               n_overlays;
  const char          *equity_name;      /* (nullable) legend, default "Equity" */
  const char          *benchmark_name;   /* (nullable) default "Benchmark" */
  /* (nullable) block indexes of equity, benchmark and drawdown that make redraws of long
   * curves cheaper; hs_equity_chart_data_new() builds them, hand-made structs leave them
   * NULL */
  const HsChartMinMaxIndex *equity_index;
  const HsChartMinMaxIndex *benchmark_index;
  const HsChartMinMaxIndex *drawdown_index;
} HsEquityChartData;

void     hs_paint_equity            (cairo_t                 *cr,
                                     const HsEquityChartData *data,
                                     const HsChartView       *view,
                                     int                      width,
                                     int                      height,
                                     const HsChartStyle      *style);
gboolean hs_equity_chart_layout     (cairo_t                 *cr,
                                     const HsEquityChartData *data,
                                     const HsChartView       *view,
                                     int                      width,
                                     int                      height,
                                     const HsChartStyle      *style,
                                     HsChartLayout           *out);

HsEquityChartData *hs_equity_chart_data_new  (const int64_t     *ts,
                                              const double      *equity,
                                              const double      *benchmark,
                                              const double      *drawdown,
                                              size_t             n);
void               hs_equity_chart_data_add_overlay (HsEquityChartData *data,
                                                     const int64_t     *ts,
                                                     const double      *values,
                                                     size_t             n,
                                                     const char        *name);
void               hs_equity_chart_data_free (HsEquityChartData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsEquityChartData, hs_equity_chart_data_free)

extern const HsChartPainter hs_equity_chart_painter;

G_END_DECLS
