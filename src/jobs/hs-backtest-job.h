/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-backtest.h"
#include "hs-bt-run.h"
#include "hs-lean-context.h"
#include "hs-resample.h"
#include "hs-rules-json.h"
#include "hs-store.h"
#include "hs-strategy.h"

G_BEGIN_DECLS

/* One backtest from a request to a stored run (hs-backtest-job.c): what `hindsight-cli
 * backtest`, `sweep` and `walkforward` and the window's backtest page share. The request is
 * checked before any data is read; the data it reads is named (the cache key) before it is
 * read, so an identical request is answered from the store; the run is stored. */

#define HS_BACKTEST_JOB_ERROR (hs_backtest_job_error_quark ())

typedef enum
{
  HS_BACKTEST_JOB_ERROR_REQUEST,   /* the request is wrong: a missing or unknown value */
  HS_BACKTEST_JOB_ERROR_NO_DATA,   /* fewer than two bars in the period */
} HsBacktestJobError;

/* A request, as the CLI's options or the GUI's form give it. Text as typed (dates ISO-8601 or
 * YYYY-MM-DD; models as in docs/backtester.md). @params are NAME=VALUE for one run, grid specs
 * for a sweep. */
typedef struct
{
  char    *symbol, *exchange, *interval, *strategy, *rules_path, *from, *to;
  char   **params;
  double   cash;
  char    *fee_model, *size, *benchmark, *session, *profile, *risk_free;
  double   slippage_bps;
  double   stop_loss, take_profit;
  int      time_stop;
  gboolean no_cache;
} HsBacktestRequest;

typedef enum
{
  HS_BACKTEST_SINGLE,   /* one run: params are NAME=VALUE, or a rule set */
  HS_BACKTEST_GRID,     /* sweep, walkforward: params are grid specs, parsed by the caller */
} HsBacktestMode;

/* The data a request reads: named by hs_backtest_data_key(), loaded by hs_backtest_data_load(). */
typedef struct
{
  HsStore       *store;        /* (owned) */
  HsBars        *bars;         /* (owned) at least 2 */
  HsBars        *bench_bars;   /* (owned) (nullable) */
  double        *bench;        /* (owned) (nullable) the benchmark's close at each bar */
  GArray        *rates;        /* (owned) (nullable) HsRatePoint of the risk-free series */
  HsRiskFree     risk_free;    /* points into @rates */
  HsSessionKind  session;
  HsLeanContext *lean;         /* (owned) (nullable) the lean profile's quotes, calendar, id */
  int64_t        instrument_id;
  int64_t        bench_id;     /* the benchmark's instrument; 0 without one */
  int64_t        from_ts;      /* the range asked for: G_MININT64 without a start */
  int64_t        to_ts;        /* G_MAXINT64 without an end */
  int64_t        started;      /* µs UTC when loading began */
  int64_t        t0;           /* g_get_monotonic_time() then */
  GPtrArray     *warnings;     /* (owned) what is missing and how the run does without it */
  gboolean       keyed;        /* hs_backtest_data_key() ran: the info has the data key */
  gboolean       reading;      /* a read transaction is open: the key and the data agree */
} HsBacktestData;

/* What a run gave. */
typedef struct
{
  int64_t      id;          /* the stored run (a cache hit is a run of its own) */
  gboolean     cache_hit;
  int64_t      source_id;   /* for a cache hit, the run that was computed */
  HsBtRunInfo *info;        /* (owned) */
  HsBtResult  *result;      /* (owned) statistics; trades too, when asked for */
  GPtrArray   *warnings;    /* (owned) texts */
} HsBacktestOutcome;

GQuark   hs_backtest_job_error_quark (void);

void     hs_backtest_request_init  (HsBacktestRequest       *q);
void     hs_backtest_request_clear (HsBacktestRequest       *q);
void     hs_backtest_request_copy  (HsBacktestRequest       *dest,
                                    const HsBacktestRequest *src);
gboolean hs_backtest_request_build (const HsBacktestRequest *q,
                                    const char              *command,
                                    HsBacktestMode           mode,
                                    HsBtConfig              *config,
                                    HsStrategyParams       **params,
                                    HsRuleSet              **rules,
                                    HsBtRunInfo            **info,
                                    GError                 **error);

void     hs_backtest_data_init     (HsBacktestData          *d);
void     hs_backtest_data_clear    (HsBacktestData          *d);
gboolean hs_backtest_data_key      (const char              *db_path,
                                    const HsBacktestRequest *q,
                                    HsBtRunInfo             *info,
                                    HsBacktestData          *d,
                                    GError                 **error);
gboolean hs_backtest_data_load     (const char              *db_path,
                                    const HsBacktestRequest *q,
                                    HsBtRunInfo             *info,
                                    HsBacktestData          *d,
                                    GError                 **error);
void     hs_backtest_data_end_read (HsBacktestData          *d);
void     hs_backtest_input_init    (HsBtInput               *input,
                                    const HsBacktestRequest *q,
                                    const HsBacktestData    *d);

void     hs_backtest_outcome_clear (HsBacktestOutcome       *outcome);
gboolean hs_backtest_job_run       (const char              *db_path,
                                    const HsBacktestRequest *q,
                                    gboolean                 with_trades,
                                    GCancellable            *cancellable,
                                    HsBacktestOutcome       *outcome,
                                    GError                 **error);
void     hs_backtest_job_run_async (const char              *db_path,
                                    const HsBacktestRequest *q,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data);
gboolean hs_backtest_job_finish    (GAsyncResult            *result,
                                    HsBacktestOutcome       *outcome,
                                    GError                 **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsBacktestRequest, hs_backtest_request_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsBacktestData, hs_backtest_data_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsBacktestOutcome, hs_backtest_outcome_clear)

G_END_DECLS
