/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-backtest.h"

G_BEGIN_DECLS

/* What a backtest run was: the request (strategy, parameters, data, models) and its metadata
 * (cache key, timing, status). One struct for the engine, the cache key (hs-cache-key.h), the
 * LEAN result importer and the store, which writes it to the non-statistics columns of
 * backtest_runs. It lives in core because fetch/ (the LEAN importer) must not see store/. */

typedef enum
{
  HS_BT_PARAM_NUMBER,   /* @number */
  HS_BT_PARAM_STRING,   /* @text */
  HS_BT_PARAM_BOOL,     /* @number 0 or 1 */
  HS_BT_PARAM_JSON,     /* @text is any JSON value (an object, an array, null), kept verbatim */
} HsBtParamKind;

/* One strategy parameter: an entry of backtest_runs.parameters. */
typedef struct
{
  char          *name;    /* (owned) */
  HsBtParamKind  kind;
  double         number;
  char          *text;    /* (owned) (nullable) */
} HsBtParam;

typedef struct
{
  int64_t    id;                 /* backtest_runs.id; 0 before the run is stored */
  char      *batch_id;           /* (owned) (nullable) a sweep's id */
  char      *strategy_name;      /* (owned) */
  char      *strategy_version;   /* (owned) (nullable) "" when NULL */
  int64_t    instrument_id;      /* 0 when not known: stored as NULL */
  char      *symbol;             /* (owned) */
  char      *exchange;           /* (owned) (nullable) not a column: read from the instrument */
  char      *interval;           /* (owned) bar interval, e.g. "1m" */
  int64_t    start_ts, end_ts;   /* the tested period, µs UTC, end > start */
  double     initial_cash;
  GPtrArray *params;             /* (owned) HsBtParam, unique names; see hs_bt_run_info_set_*() */
  char      *profile;            /* (owned) "default" or "lean" */
  char      *fee_model;          /* (owned) (nullable) model descriptions, e.g. "percent:0.001" */
  char      *slippage_model;     /* (owned) (nullable) */
  char      *sizing_model;       /* (owned) (nullable) */
  char      *risk_free_model;    /* (owned) (nullable) in the cache key only: no column */
  char      *benchmark;          /* (owned) (nullable) benchmark symbol */
  int64_t    pivot_bars;         /* 0 when the strategy has none */
  char      *lower_timeframe;    /* (owned) (nullable) */
  char      *cache_key;          /* (owned) (nullable) hs_cache_key_compute() */
  char      *data_key;           /* (owned) (nullable) in the cache key only: no column. What
                                  * the run reads, as known before reading it: the range asked
                                  * for and the version of each series (hs-cli-backtest.c);
                                  * %NULL: the run has no cache key */
  char      *data_fingerprint;   /* (owned) (nullable) hs_bars_fingerprint() of what was read:
                                  * recorded, not in the cache key */
  char      *status;             /* (owned) queued, running, completed, failed, cancelled */
  char      *error_message;      /* (owned) (nullable) why a run failed */
  int        cache_hit;          /* 1: this row records a request answered from the cache */
  int64_t    source_run_id;      /* the computed run whose numbers this row shows: @id, or for a
                                    * cache-hit row the run with the same key; 0 when gone */
  int64_t    execution_time_ms;  /* −1 when not known */
  int64_t    started_at, finished_at;   /* µs UTC; 0 when not known */
  int64_t    created_at;         /* µs UTC; 0: the store sets it to now */
  char      *result_path;        /* (owned) (nullable) e.g. the imported LEAN file */
} HsBtRunInfo;

/* The statistics columns of backtest_runs: every HsStatistics field and the strategy-specific
 * counters of HsBtResult, by column name, in the table's order. @offset is from the start of
 * an HsBtResult. NAN doubles and negative integers mean "not defined" (NULL in the store). */
typedef enum
{
  HS_BT_COLUMN_DOUBLE,
  HS_BT_COLUMN_INT,
  HS_BT_COLUMN_TEXT,
} HsBtColumnType;

typedef struct
{
  const char     *name;
  HsBtColumnType  type;
  size_t          offset;
} HsBtColumn;

const HsBtColumn *hs_bt_statistic_columns (size_t *n);

/* An exit reason the trade did not record (an imported LEAN trade): stored as NULL. */
#define HS_EXIT_UNKNOWN ((HsExitReason) -1)

HsBtRunInfo     *hs_bt_run_info_new          (void);
HsBtRunInfo     *hs_bt_run_info_copy         (const HsBtRunInfo *info);
void             hs_bt_run_info_free         (HsBtRunInfo       *info);
void             hs_bt_run_info_set_number   (HsBtRunInfo       *info,
                                              const char        *name,
                                              double             value);
void             hs_bt_run_info_set_string   (HsBtRunInfo       *info,
                                              const char        *name,
                                              const char        *value);
void             hs_bt_run_info_set_bool     (HsBtRunInfo       *info,
                                              const char        *name,
                                              gboolean           value);
void             hs_bt_run_info_set_json     (HsBtRunInfo       *info,
                                              const char        *name,
                                              const char        *json);
const HsBtParam *hs_bt_run_info_get_param    (const HsBtRunInfo *info,
                                              const char        *name);
char            *hs_bt_params_to_json        (const GPtrArray   *params);
void             hs_bt_param_format_value    (const HsBtParam   *param,
                                              GString           *out);
void             hs_bt_param_free            (HsBtParam         *param);

HsBtResult      *hs_bt_result_new_empty      (size_t             n_equity);
GArray          *hs_bt_trades_new            (void);
void             hs_bt_trade_clear           (HsBtTrade         *trade);
void             hs_statistics_init_undefined (HsStatistics     *stats);

const char      *hs_exit_reason_name         (HsExitReason       reason);
gboolean         hs_exit_reason_from_string  (const char        *text,
                                              HsExitReason      *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBtRunInfo, hs_bt_run_info_free)

G_END_DECLS
