/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-paper-trade.h"
#include "hs-store-alerts.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-store-paper.h"

G_BEGIN_DECLS

/* What the window's Overview shows (docs/ui.md): the stored series with a sparkline of closes
 * and their gaps, the latest backtest runs, the open paper trades priced at the last stored
 * price, and the newest alerts. Read on a worker with its own connection. */

/* One row of hs_store_list_coverage(), with what the Overview adds for candles. */
typedef struct
{
  HsCoverage *coverage;       /* (owned) */
  int64_t     instrument_id;
  double     *closes;         /* (owned) (nullable) the sparkline: the last close of each of
                               * n_closes equal slices of [first_ts, last_ts]; NAN for a slice
                               * without a bar. Candles only. */
  size_t      n_closes;
  int64_t     missing;        /* candles: bars the session calendar expects but the database
                               * lacks (hs_gaps_candle_ranges()); −1 when not measured */
  int64_t     gaps;           /* candles: ranges of such missing bars; −1 when not measured */
  gboolean    weekdays_only;  /* the gaps were measured on the US session without a stored
                               * holiday calendar: every weekday counted as a session, so
                               * holidays count as missing */
} HsOverviewSeries;

/* An open paper trade and what it is worth now. */
typedef struct
{
  HsPaperTrade *trade;        /* (owned) */
  gboolean      priced;       /* whether any price was stored by the time asked for */
  HsPricePoint  price;        /* the last stored price, when priced */
  double        pnl;          /* unrealised, net of the entry fees: hs_paper_pnl() at the last
                               * price; NAN when not priced */
  double        pnl_pct;      /* percent of the entry notional; NAN when not priced */
} HsOverviewPosition;

typedef struct
{
  int64_t    n_instruments;
  GPtrArray *series;          /* (owned) (element-type HsOverviewSeries) by symbol */
  GPtrArray *backtests;       /* (owned) (element-type HsBtRunRow) newest first */
  GPtrArray *positions;       /* (owned) (element-type HsOverviewPosition) by entry time */
  GPtrArray *alerts;          /* (owned) (element-type HsAlert) newest first */
} HsOverview;

typedef struct
{
  GPtrArray *coverage;        /* (nullable) (element-type HsCoverage) the rows of
                               * hs_store_list_coverage() when the caller has just read them
                               * (the window's coverage job); NULL: read them */
  int     n_closes;           /* sparkline points per candle series; 0 for none */
  int     n_backtests;        /* at most this many runs; 0 for none */
  int     n_alerts;           /* at most this many alerts; 0 for none */
  gboolean gaps;              /* whether to measure the candles' gaps */
  int64_t now;                /* the time open trades are priced at, µs UTC; 0 for now */
} HsOverviewRequest;

void        hs_overview_free            (HsOverview          *overview);
GPtrArray  *hs_coverage_list_copy       (const GPtrArray     *coverage);
void        hs_overview_series_free     (HsOverviewSeries    *series);
void        hs_overview_position_free   (HsOverviewPosition  *position);

HsOverview *hs_overview_read            (HsStore             *store,
                                         const HsOverviewRequest *request,
                                         GCancellable        *cancellable,
                                         GError             **error);
GPtrArray  *hs_overview_read_positions  (HsStore             *store,
                                         int64_t              now,
                                         GError             **error);

void        hs_job_overview_async       (const char          *db_path,
                                         const HsOverviewRequest *request,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
HsOverview *hs_job_overview_finish      (GAsyncResult        *result,
                                         GError             **error);
void        hs_job_positions_async      (const char          *db_path,
                                         int64_t              now,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray  *hs_job_positions_finish     (GAsyncResult        *result,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsOverview, hs_overview_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsOverviewSeries, hs_overview_series_free)

G_END_DECLS
