/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The results view's MFE/MAE scatter: one marker per trade at (maximum adverse excursion %,
 * maximum favourable excursion %), wins as blue circles and losses as orange squares, with a
 * hit test for hover and click. See hs-chart.h for the conventions every painter follows.
 */
#pragma once

#include "hs-chart.h"

G_BEGIN_DECLS

typedef struct
{
  const double *mae;   /* percent ≥ 0 (HsBtTrade.mae_pct) */
  const double *mfe;   /* percent ≥ 0 (HsBtTrade.mfe_pct) */
  const double *pnl;   /* > 0 a win, otherwise a loss (HsBtTrade.pnl) */
  size_t        n;
} HsScatterData;

void     hs_paint_scatter          (cairo_t             *cr,
                                    const HsScatterData *data,
                                    const HsChartView   *view,
                                    int                  width,
                                    int                  height,
                                    const HsChartStyle  *style);
gboolean hs_scatter_layout         (cairo_t             *cr,
                                    const HsScatterData *data,
                                    const HsChartView   *view,
                                    int                  width,
                                    int                  height,
                                    const HsChartStyle  *style,
                                    HsChartLayout       *out);
int      hs_scatter_hit_test       (const HsScatterData *data,
                                    const HsChartLayout *layout,
                                    double               px,
                                    double               py);

HsScatterData *hs_scatter_data_new  (const double  *mae,
                                     const double  *mfe,
                                     const double  *pnl,
                                     size_t         n);
void           hs_scatter_data_free (HsScatterData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsScatterData, hs_scatter_data_free)

extern const HsChartPainter hs_scatter_painter;

/* The distance in pixels within which a marker counts as under the pointer. */
#define HS_SCATTER_HIT_RADIUS 6.0

G_END_DECLS
