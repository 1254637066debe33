/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-backtest.h"
#include "hs-bt-run.h"
#include "hs-store.h"
#include "hs-strategy.h"

G_BEGIN_DECLS

/* Parameter sweeps and walk-forward analysis (docs/backtester.md, "Sweeps" and "Walk-forward"):
 * a grid of a strategy's parameters run on a thread pool over shared, read-only bars, ranked by
 * a statistic, with the deflated Sharpe ratio of the best; and rolling in-sample optimisation
 * with out-of-sample evaluation on the same machinery. */

#define HS_SWEEP_ERROR (hs_sweep_error_quark ())

typedef enum
{
  HS_SWEEP_ERROR_SPEC,      /* a bad grid spec: syntax, a value the parameter refuses, too big */
  HS_SWEEP_ERROR_RANK,      /* not a statistic that ranks (unknown, or text) */
  HS_SWEEP_ERROR_WINDOWS,   /* walk-forward spans that are malformed or do not fit the bars */
  HS_SWEEP_ERROR_FAILED,    /* no combination ran (all refused or failed) */
} HsSweepError;

/* The most combinations a grid may have. */
#define HS_SWEEP_MAX_COMBINATIONS 1000000

/* One parameter of the grid and its values, as text hs_strategy_params_set() takes. */
typedef struct
{
  char      *name;     /* (owned) */
  GPtrArray *values;   /* (owned) (element-type utf8) in order; one value: a fixed parameter */
} HsSweepAxis;

typedef struct
{
  const HsStrategyInfo *strategy;
  GPtrArray            *axes;        /* (owned) (element-type HsSweepAxis) in the specs' order */
  GPtrArray            *combos;      /* (owned) (element-type HsStrategyParams) the valid
                                      * combinations, the last axis varying fastest */
  size_t                n_total;     /* combinations of the grid, valid or not */
  size_t                n_invalid;   /* refused by hs_strategy_params_check() and skipped */
} HsSweepGrid;

HsSweepGrid *hs_sweep_grid_new       (const HsStrategyInfo *strategy,
                                      const char *const    *specs,
                                      GError              **error);
void         hs_sweep_grid_free      (HsSweepGrid          *grid);
gboolean     hs_sweep_axis_varies    (const HsSweepAxis    *axis);

/* Progress: @fraction of the combinations done, 0 … 1. Called on a worker thread, at most ten
 * times a second and once at the end, never twice at the same time. */
typedef void (*HsSweepProgressFunc) (double      fraction,
                                     const char *message,
                                     gpointer    user_data);

/* What every combination reads. Everything is borrowed for the duration of the call and read
 * by several threads at once: it must not change until hs_sweep_run() returns. */
typedef struct
{
  const HsStrategyInput *strategy_input;   /* the bars and what the strategy reads */
  const HsBtInput       *input;            /* the same bars, benchmark, risk-free rate … */
  const HsBtConfig      *config;
  const char            *rank;             /* a statistic (backtest_runs column, or its LEAN
                                            * name); NULL: sharpe_ratio */
  int                    n_jobs;           /* threads; ≤ 0: g_get_num_processors () */
  gboolean               keep_best;        /* keep the best's trades and equity curve */
  HsSweepProgressFunc    progress;         /* (nullable) */
  gpointer               progress_data;
} HsSweepRequest;

/* One combination's outcome. */
typedef struct
{
  const HsStrategyParams *params;       /* (unowned) the grid's */
  HsBtResult             *result;       /* (owned) (nullable) statistics and counters only (n 0,
                                         * no trades); NULL when the run failed */
  char                   *error_message;  /* (owned) (nullable) why it failed */
  double                  rank_value;   /* the rank statistic, NAN when undefined or failed */
  double                  sharpe;       /* per-period Sharpe ratio for the deflated Sharpe ratio:
                                         * the default profile's sharpe_ratio / √252; NAN */
  int64_t                 started_at, finished_at;   /* µs UTC */
  int64_t                 execution_time_us;
} HsSweepTrial;

typedef struct
{
  const HsSweepGrid *grid;          /* (unowned) */
  GArray            *trials;        /* (owned) HsSweepTrial, one per grid->combos, same order */
  GArray            *ranking;       /* (owned) guint indexes of trials, best first; undefined
                                     * rank values and failures last, ties in grid order */
  char              *rank;          /* (owned) the rank statistic's column name */
  gboolean           lower_is_better;
  size_t             n_failed;
  HsBtResult        *best_result;   /* (owned) (nullable) the best's full result (keep_best) */
  /* The deflated Sharpe ratio of the best (Bailey & López de Prado 2014), per period: */
  double             n_trials;      /* combinations run */
  double             sr_variance;   /* sample variance of the trials' defined Sharpe ratios */
  double             sr_best;       /* the best's Sharpe ratio */
  double             expected_max_sr;   /* SR0 */
  double             skewness, kurtosis;   /* of the best's daily returns (kurtosis not excess) */
  double             n_returns;     /* T */
  double             deflated_sharpe;   /* NAN when undefined (see docs/backtester.md) */
  double             seconds;       /* wall time of the runs */
} HsSweepResult;

GQuark         hs_sweep_error_quark    (void);

gboolean       hs_sweep_rank_lookup    (const char             *name,
                                        const char            **column,
                                        gboolean               *lower_is_better,
                                        GError                **error);
double         hs_sweep_rank_value     (const HsBtResult       *result,
                                        const char             *column);

HsSweepResult *hs_sweep_run            (const HsSweepRequest   *request,
                                        const HsSweepGrid      *grid,
                                        GCancellable           *cancellable,
                                        GError                **error);
void           hs_sweep_result_free    (HsSweepResult          *result);
const HsSweepTrial *hs_sweep_result_get_best (const HsSweepResult *result);

void           hs_sweep_info_set_params (HsBtRunInfo           *info,
                                         const HsStrategyParams *params);
gboolean       hs_sweep_store          (HsStore                *store,
                                        const HsBtRunInfo      *request_info,
                                        const HsSweepResult    *result,
                                        char                  **batch_id,
                                        int64_t                *run_ids,
                                        GError                **error);

/* ---- Walk-forward ---- */

/* A window's length: bars, or a duration. */
typedef struct
{
  int64_t  bars;        /* > 0 when counted in bars */
  int64_t  duration;    /* µs, > 0 when a duration */
} HsWalkSpan;

typedef struct
{
  size_t  train_start, test_start, test_end;   /* bar indexes: in sample [train_start,
                                                * test_start), out of sample [test_start,
                                                * test_end) */
  guint   choice;              /* index of the chosen combination in grid->combos */
  double  in_sample_value;     /* its rank statistic in sample */
  double  start_equity, end_equity;   /* of the out-of-sample segment */
  guint   n_trades;            /* trades of the segment */
} HsWalkWindow;

typedef struct
{
  const HsSweepGrid *grid;      /* (unowned) */
  GArray            *windows;   /* (owned) HsWalkWindow, in time order */
  HsBtResult        *result;    /* (owned) the stitched out-of-sample run: equity, cash,
                                 * holdings, drawdown and benchmark per bar, trades, statistics */
  char              *rank;      /* (owned) */
  double             seconds;
} HsWalkResult;

gboolean       hs_walk_span_parse      (const char             *text,
                                        HsWalkSpan             *span,
                                        GError                **error);
GArray        *hs_walk_windows         (const HsBars           *bars,
                                        const HsWalkSpan       *train,
                                        const HsWalkSpan       *test,
                                        GError                **error);
HsWalkResult  *hs_walkforward_run      (const HsSweepRequest   *request,
                                        const HsSweepGrid      *grid,
                                        const HsWalkSpan       *train,
                                        const HsWalkSpan       *test,
                                        GCancellable           *cancellable,
                                        GError                **error);
void           hs_walk_result_free     (HsWalkResult           *result);
char          *hs_walk_windows_to_json (const HsWalkResult     *result,
                                        const HsBars           *bars);
gboolean       hs_walkforward_store    (HsStore                *store,
                                        const HsBtRunInfo      *request_info,
                                        const HsWalkResult     *result,
                                        const char             *train,
                                        const char             *test,
                                        const HsBars           *bars,
                                        int64_t                *id,
                                        GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSweepGrid, hs_sweep_grid_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSweepResult, hs_sweep_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsWalkResult, hs_walk_result_free)

G_END_DECLS
