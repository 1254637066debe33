/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-backtest.h"
#include "hs-bt-run.h"
#include "hs-cli-lean.h"
#include "hs-resample.h"
#include "hs-store.h"
#include "hs-strategy.h"

G_BEGIN_DECLS

/* What `backtest`, `sweep` and `walkforward` share (hs-cli-backtest.c): the options that
 * describe a run (data, strategy, models), turning them into an engine configuration and the
 * run's metadata, and loading the data it reads. */

/* The options as parsed. @params are NAME=VALUE for `backtest`, grid specs for the others. */
typedef struct
{
  char    *symbol, *exchange, *interval, *strategy, *rules_path, *from, *to;
  char   **params;
  double   cash;
  char    *fee_model, *size, *benchmark, *session, *profile, *risk_free;
  double   slippage_bps;
  double   stop_loss, take_profit;
  int      time_stop;
  gboolean no_cache, json;
} HsCliBtRequest;

/* The data a request reads: named by hs_cli_bt_key(), loaded by hs_cli_bt_load(). */
typedef struct
{
  HsStore       *store;        /* (owned) */
  HsBars        *bars;         /* (owned) at least 2 */
  HsBars        *bench_bars;   /* (owned) (nullable) */
  double        *bench;        /* (owned) (nullable) the benchmark's close at each bar */
  GArray        *rates;        /* (owned) (nullable) HsRatePoint of --risk-free */
  HsRiskFree     risk_free;    /* points into @rates */
  HsSessionKind  session;
  HsCliLean     *lean;         /* (owned) (nullable) --profile lean: quotes, calendar, LEAN's id */
  int64_t        instrument_id;
  int64_t        bench_id;     /* the benchmark's instrument; 0 without one */
  int64_t        from_ts;      /* the range asked for: G_MININT64 without --from */
  int64_t        to_ts;        /* G_MAXINT64 without --to */
  int64_t        started;      /* µs UTC when loading began */
  int64_t        t0;           /* g_get_monotonic_time() then */
  gboolean       keyed;        /* hs_cli_bt_key() ran: @info has the data key */
  gboolean       reading;      /* a read transaction is open: the key and the data agree */
} HsCliBtData;

typedef enum
{
  HS_CLI_BT_SINGLE,   /* backtest: --param NAME=VALUE, --rules, --no-cache */
  HS_CLI_BT_GRID,     /* sweep, walkforward: --param is a grid spec, parsed by the caller */
} HsCliBtMode;

void hs_cli_bt_request_init    (HsCliBtRequest       *q);
void hs_cli_bt_request_clear   (HsCliBtRequest       *q);
void hs_cli_bt_add_options     (GOptionContext       *context,
                                HsCliBtRequest       *q,
                                HsCliBtMode           mode);
int  hs_cli_bt_build           (const HsCliBtRequest *q,
                                const char           *command,
                                HsCliBtMode           mode,
                                HsBtConfig           *config,
                                HsStrategyParams    **params,
                                HsRuleSet           **rules,
                                HsBtRunInfo         **info);
int  hs_cli_bt_key             (const HsCliBtRequest *q,
                                HsBtRunInfo          *info,
                                HsCliBtData          *data);
int  hs_cli_bt_load            (const HsCliBtRequest *q,
                                HsBtRunInfo          *info,
                                HsCliBtData          *data);
void hs_cli_bt_data_clear      (HsCliBtData          *data);
void hs_cli_bt_input_init      (HsBtInput            *input,
                                const HsCliBtRequest *q,
                                const HsCliBtData    *data);
int  hs_cli_bt_fail            (GError               *error);
void hs_cli_bt_json_statistics (GString              *out,
                                const HsBtResult     *result);
void hs_cli_bt_json_trades     (GString              *out,
                                const HsBtResult     *result);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsCliBtRequest, hs_cli_bt_request_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsCliBtData, hs_cli_bt_data_clear)

G_END_DECLS
