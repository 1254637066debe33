/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-rollup.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The SQL of retention (hs-retention.h, docs/gaps-retention.md): which instrument-days hold
 * trades or quotes older than the cutoff, a day's trades and quotes as columns, the roll-up's
 * writes and the removal of what was rolled up. The writers run inside the caller's
 * transaction (retention opens one per instrument and day) or in one of their own. */

/* One instrument and UTC day with trades or quotes to roll up. */
typedef struct
{
  int64_t instrument_id;
  int64_t day;       /* UTC date, days since 1970-01-01 */
} HsRetentionUnit;

/* The tables a roll-up writes, for counting what a dry run would find stored already. */
typedef enum
{
  HS_ROLLUP_CANDLES,      /* candles of interval 1m (seq 0) */
  HS_ROLLUP_QUOTE_BARS,   /* quote_bars of interval 1m */
  HS_ROLLUP_CVD,          /* cvd_snapshots */
} HsRollupTable;

GArray         *hs_store_retention_units  (HsStore          *store,
                                           int64_t           cutoff,
                                           GError          **error);
HsTradeColumns *hs_store_load_trade_columns (HsStore        *store,
                                             int64_t         instrument_id,
                                             int64_t         from_ts,
                                             int64_t         end_ts,
                                             GError        **error);
HsQuoteColumns *hs_store_load_quote_columns (HsStore        *store,
                                             int64_t         instrument_id,
                                             int64_t         from_ts,
                                             int64_t         end_ts,
                                             GError        **error);
gboolean        hs_store_insert_cvd_points (HsStore          *store,
                                            int64_t           instrument_id,
                                            const HsCvdPoint *points,
                                            size_t            n,
                                            int64_t          *n_inserted,
                                            GError          **error);
gboolean        hs_store_insert_quote_bars (HsStore          *store,
                                            int64_t           instrument_id,
                                            const char       *interval,
                                            const HsQuoteBars *bars,
                                            int64_t          *n_inserted,
                                            GError          **error);
gboolean        hs_store_count_stored     (HsStore          *store,
                                           HsRollupTable     table,
                                           int64_t           instrument_id,
                                           const int64_t    *ts,
                                           size_t            n,
                                           int64_t          *n_stored,
                                           GError          **error);
gboolean        hs_store_delete_rolled_up (HsStore          *store,
                                           int64_t           instrument_id,
                                           int64_t           from_ts,
                                           int64_t           end_ts,
                                           int64_t          *n_trades,
                                           int64_t          *n_quotes,
                                           GError          **error);

G_END_DECLS
