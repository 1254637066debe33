/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-stats.h"

G_BEGIN_DECLS

/* The result of one backtest run: what the store writes to backtest_runs, backtest_trades and
 * backtest_equity. The engine that fills it (hs-backtest.c) and its request types are declared
 * below this block by the engine's author; this part is the contract with the store. */

typedef enum
{
  HS_EXIT_SIGNAL,        /* the strategy's exit rule */
  HS_EXIT_STOP_LOSS,
  HS_EXIT_TAKE_PROFIT,
  HS_EXIT_TIME_STOP,
  HS_EXIT_END_OF_DATA,   /* still open at the last bar: closed there for the statistics */
  HS_EXIT_REVERSAL,      /* closed by an entry in the other direction */
} HsExitReason;

/* Names as stored in backtest_trades.exit_reason (see migrations/004). */
const char *hs_exit_reason_to_string (HsExitReason reason);

typedef struct
{
  int64_t      entry_ts, exit_ts;     /* fill times, µs UTC */
  int          side;                  /* +1 long, −1 short */
  double       quantity;              /* > 0 */
  double       entry_price, exit_price;
  double       pnl;                   /* account currency, net of both fills' fees */
  double       pnl_pct;               /* percent of the entry value */
  double       fees;
  double       mfe_pct, mae_pct;      /* percent, ≥ 0, from highs/lows while open */
  int64_t      bars_held;
  HsExitReason exit_reason;
  char        *signal_json;           /* (owned) (nullable) signal metadata, a JSON object */
} HsBtTrade;

typedef struct
{
  size_t        n;           /* bars */
  int64_t      *ts;          /* (owned) bar times */
  double       *equity;      /* (owned) */
  double       *cash;        /* (owned) */
  double       *holdings;    /* (owned) market value of the position */
  double       *drawdown;    /* (owned) fraction ≥ 0 below the running peak */
  double       *benchmark;   /* (owned) (nullable) benchmark close at each bar */
  GArray       *trades;      /* (owned) HsBtTrade, in entry order */
  int64_t       total_orders;
  HsStatistics  stats;
  /* Strategy-specific counters (seed 002); −1 when the strategy does not report them. */
  int64_t       pivot_highs_detected, pivot_lows_detected, bos_signals_generated;
  int64_t       position_flips, liquidation_events;
} HsBtResult;

void hs_bt_result_free (HsBtResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBtResult, hs_bt_result_free)

G_END_DECLS
