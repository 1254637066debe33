/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Data page's instrument chart: candlesticks with a volume pane beneath, sharing the time
 * axis. See hs-chart.h for the conventions every painter follows.
 */
#pragma once

#include "hs-chart.h"

G_BEGIN_DECLS

typedef struct
{
  const int64_t *ts;        /* ascending bar times, µs UTC */
  const double  *open;
  const double  *high;
  const double  *low;
  const double  *close;
  const double  *volume;    /* (nullable) no volume pane without it */
  size_t         n;
  const char    *title;     /* (nullable) e.g. "AAPL · 1d", top left */
} HsCandleChartData;

void     hs_paint_candles           (cairo_t                 *cr,
                                     const HsCandleChartData *data,
                                     const HsChartView       *view,
                                     int                      width,
                                     int                      height,
                                     const HsChartStyle      *style);
gboolean hs_candle_chart_layout     (cairo_t                 *cr,
                                     const HsCandleChartData *data,
                                     const HsChartView       *view,
                                     int                      width,
                                     int                      height,
                                     const HsChartStyle      *style,
                                     HsChartLayout           *out);

HsCandleChartData *hs_candle_chart_data_new  (const int64_t     *ts,
                                              const double      *open,
                                              const double      *high,
                                              const double      *low,
                                              const double      *close,
                                              const double      *volume,
                                              size_t             n,
                                              const char        *title);
void               hs_candle_chart_data_free (HsCandleChartData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCandleChartData, hs_candle_chart_data_free)

extern const HsChartPainter hs_candle_chart_painter;

G_END_DECLS
