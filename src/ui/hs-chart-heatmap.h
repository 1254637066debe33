/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Heat maps: the results view's monthly returns (years × months) and the sweep view's
 * statistic over two parameters. Both colour cells on a diverging blue (better) / orange
 * (worse) scale and print the value in each cell that has room. They ignore the view's
 * ranges (no zoom); see hs-chart.h for the conventions every painter follows.
 */
#pragma once

#include "hs-chart.h"

G_BEGIN_DECLS

/* Monthly returns, one row per year. */
typedef struct
{
  int            first_year;
  size_t         n_years;
  const double  *returns;        /* n_years × 12 percent, returns[row * 12 + month0]; NAN: no
                                  * data that month */
  const double  *year_returns;   /* (nullable) n_years percent, the compounded year */
} HsMonthlyReturnsData;

void     hs_paint_monthly_returns      (cairo_t                    *cr,
                                        const HsMonthlyReturnsData *data,
                                        const HsChartView          *view,
                                        int                         width,
                                        int                         height,
                                        const HsChartStyle         *style);
gboolean hs_monthly_returns_layout     (cairo_t                    *cr,
                                        const HsMonthlyReturnsData *data,
                                        int                         width,
                                        int                         height,
                                        const HsChartStyle         *style,
                                        HsChartRect                *cells,
                                        double                     *cell_width,
                                        double                     *cell_height);

HsMonthlyReturnsData *hs_monthly_returns_new_from_equity (const int64_t        *ts,
                                                          const double         *equity,
                                                          size_t                n);
void                  hs_monthly_returns_free            (HsMonthlyReturnsData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsMonthlyReturnsData, hs_monthly_returns_free)

extern const HsChartPainter hs_monthly_returns_painter;

/* A statistic over a grid of two swept parameters. */
typedef struct
{
  const char        *x_name;        /* the parameter across */
  const char        *y_name;        /* the parameter down */
  const char *const *x_labels;      /* (array length=nx) its values as text */
  size_t             nx;
  const char *const *y_labels;      /* (array length=ny) */
  size_t             ny;
  const double      *values;        /* ny × nx, values[iy * nx + ix]; NAN: failed or invalid */
  const char        *statistic;     /* (nullable) what the colours show, e.g. "Sharpe ratio" */
  gboolean           lower_is_better;
  HsChartFormat      format;        /* NUMBER or PERCENT */
} HsSweepHeatmapData;

void     hs_paint_sweep_heatmap        (cairo_t                  *cr,
                                        const HsSweepHeatmapData *data,
                                        const HsChartView        *view,
                                        int                       width,
                                        int                       height,
                                        const HsChartStyle       *style);
gboolean hs_sweep_heatmap_layout       (cairo_t                  *cr,
                                        const HsSweepHeatmapData *data,
                                        int                       width,
                                        int                       height,
                                        const HsChartStyle       *style,
                                        HsChartRect              *cells,
                                        double                   *cell_width,
                                        double                   *cell_height);
int      hs_sweep_heatmap_best         (const HsSweepHeatmapData *data);

HsSweepHeatmapData *hs_sweep_heatmap_data_new  (const char         *x_name,
                                                const char *const  *x_labels,
                                                size_t              nx,
                                                const char         *y_name,
                                                const char *const  *y_labels,
                                                size_t              ny,
                                                const double       *values,
                                                const char         *statistic,
                                                gboolean            lower_is_better);
void                hs_sweep_heatmap_data_free (HsSweepHeatmapData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSweepHeatmapData, hs_sweep_heatmap_data_free)

extern const HsChartPainter hs_sweep_heatmap_painter;

G_END_DECLS
