/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-backtest.h"
#include "hs-bt-run.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* Which runs hs_store_list_backtests() returns. */
typedef struct
{
  const char *strategy;   /* (nullable) strategy_name equal to this */
  const char *symbol;     /* (nullable) symbol equal to this */
  int64_t     from_ts;    /* tested period overlaps [from_ts, to_ts]: G_MININT64 for no bound */
  int64_t     to_ts;      /* G_MAXINT64 for no bound */
  int64_t     limit;      /* at most this many, newest first; 0 for all */
} HsBtRunFilter;

/* One run of a list: its metadata and statistics (result->n = 0, no trades). */
typedef struct
{
  HsBtRunInfo *info;      /* (owned) */
  HsBtResult  *result;    /* (owned) */
} HsBtRunRow;

void     hs_bt_run_filter_init          (HsBtRunFilter     *filter);
void     hs_bt_run_row_free             (HsBtRunRow        *row);

gboolean hs_store_save_backtest         (HsStore           *store,
                                         const HsBtRunInfo *info,
                                         const HsBtResult  *result,
                                         int64_t           *id,
                                         GError           **error);
gboolean hs_store_find_cached_backtest  (HsStore           *store,
                                         const char        *cache_key,
                                         int64_t           *id,
                                         GError           **error);
gboolean hs_store_record_cache_hit      (HsStore           *store,
                                         int64_t            source_id,
                                         int64_t            started_at,
                                         int64_t            finished_at,
                                         int64_t            execution_time_ms,
                                         int64_t           *hit_id,
                                         GError           **error);
gboolean hs_store_load_backtest         (HsStore           *store,
                                         int64_t            id,
                                         HsBtRunInfo      **info,
                                         HsBtResult       **result,
                                         GError           **error);
gboolean hs_store_load_backtest_summary (HsStore           *store,
                                         int64_t            id,
                                         HsBtRunInfo      **info,
                                         HsBtResult       **result,
                                         GError           **error);
gboolean hs_store_list_backtests        (HsStore           *store,
                                         const HsBtRunFilter *filter,
                                         GPtrArray        **rows,
                                         GError           **error);
gboolean hs_store_delete_backtest       (HsStore           *store,
                                         int64_t            id,
                                         GError           **error);
gboolean hs_store_load_backtest_trades  (HsStore           *store,
                                         int64_t            run_id,
                                         HsBtResult        *result,
                                         GError           **error);
gboolean hs_store_count_backtests       (HsStore           *store,
                                         const char        *batch_id,
                                         int64_t           *n,
                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBtRunRow, hs_bt_run_row_free)

G_END_DECLS
