/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trade inspector's replay chart: the minute candles around one trade with its entry and
 * exit marked, the holding period shaded, the 15-minute and 1-hour label horizons, the MFE and
 * MAE price levels (from the trade's labels) and its stop and target lines. A painter like the
 * others (hs-chart.h): a plain function of (cairo_t, data, view, size, style), so the same call
 * draws on screen, into files and in tests.
 */
#pragma once

#include "hs-chart.h"
#include "hs-chart-candles.h"

G_BEGIN_DECLS

/* "No time": the entry or exit marker, a horizon that is not drawn. */
#define HS_REPLAY_NO_TS INT64_MIN

typedef struct
{
  HsCandleChartData *candles;      /* (owned) the minute bars; volume unused */
  int                side;         /* +1 long, −1 short */
  int64_t            entry_ts;     /* µs UTC */
  double             entry_price;
  int64_t            exit_ts;      /* HS_REPLAY_NO_TS: an open trade */
  double             exit_price;   /* NAN: none */
  double             stop_loss;    /* NAN: none */
  double             take_profit;  /* NAN: none */
  double             mfe_price;    /* NAN: no labels */
  double             mae_price;    /* NAN: no labels */
} HsReplayChartData;

/* The colours of what the replay draws over the candles (tests read pixels of these). */
typedef struct
{
  HsChartRgba entry;
  HsChartRgba exit;
  HsChartRgba mfe;
  HsChartRgba mae;
  HsChartRgba stop;
  HsChartRgba target;
  HsChartRgba horizon;
} HsReplayColors;

HsReplayChartData *hs_replay_chart_data_new   (const int64_t           *ts,
                                               const double            *open,
                                               const double            *high,
                                               const double            *low,
                                               const double            *close,
                                               size_t                   n,
                                               const char              *title);
void               hs_replay_chart_data_free  (HsReplayChartData       *data);
void               hs_replay_excursion_prices (int                      side,
                                               double                   entry_price,
                                               double                   mfe_pct,
                                               double                   mae_pct,
                                               double                  *mfe_price,
                                               double                  *mae_price);
void               hs_replay_chart_colors     (const HsChartStyle      *style,
                                               HsReplayColors          *out);

void               hs_paint_replay            (cairo_t                 *cr,
                                               const HsReplayChartData *data,
                                               const HsChartView       *view,
                                               int                      width,
                                               int                      height,
                                               const HsChartStyle      *style);
gboolean           hs_replay_chart_layout     (cairo_t                 *cr,
                                               const HsReplayChartData *data,
                                               const HsChartView       *view,
                                               int                      width,
                                               int                      height,
                                               const HsChartStyle      *style,
                                               HsChartLayout           *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsReplayChartData, hs_replay_chart_data_free)

extern const HsChartPainter hs_replay_chart_painter;

G_END_DECLS
