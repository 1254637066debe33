/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The results view's returns histogram: bins of equal width aligned on zero, losses orange and
 * gains blue, the zero line and a marker at the mean. See hs-chart.h for the conventions every
 * painter follows.
 */
#pragma once

#include "hs-chart.h"

G_BEGIN_DECLS

typedef struct
{
  const double  *values;      /* e.g. trade returns in percent; NAN ones are left out */
  size_t         n;
  double         bin_width;   /* > 0: this width; 0: Freedman–Diaconis, rounded to 1-2-5 */
  HsChartFormat  format;      /* NUMBER, or PERCENT for values in percent */
  const char    *title;       /* (nullable) e.g. "Trade returns" */
} HsHistogramData;

typedef struct
{
  double  start;      /* left edge of bin 0, a multiple of width (so 0 is an edge) */
  double  width;
  size_t  n_bins;
  size_t *counts;     /* (owned) n_bins */
  size_t  total;      /* values counted (the finite ones) */
  double  mean;
} HsHistogramBins;

gboolean hs_histogram_bins_compute (const HsHistogramData *data,
                                    HsHistogramBins       *out);
void     hs_histogram_bins_clear   (HsHistogramBins       *bins);
double   hs_histogram_auto_width   (const double          *values,
                                    size_t                 n);

void     hs_paint_histogram        (cairo_t               *cr,
                                    const HsHistogramData *data,
                                    const HsChartView     *view,
                                    int                    width,
                                    int                    height,
                                    const HsChartStyle    *style);
gboolean hs_histogram_layout       (cairo_t               *cr,
                                    const HsHistogramData *data,
                                    const HsChartView     *view,
                                    int                    width,
                                    int                    height,
                                    const HsChartStyle    *style,
                                    HsChartLayout         *out);

HsHistogramData *hs_histogram_data_new  (const double    *values,
                                         size_t           n,
                                         HsChartFormat    format,
                                         const char      *title);
void             hs_histogram_data_free (HsHistogramData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsHistogramData, hs_histogram_data_free)

extern const HsChartPainter hs_histogram_painter;

G_END_DECLS
