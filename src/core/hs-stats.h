/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Backtest statistics as QuantConnect LEAN defines them (shared LEAN-CONVENTIONS.md; ours in
 * docs/statistics.md), plus the rest of seed 002's columns and a few more. Field names equal the
 * backtest_runs columns (migrations/006) so that the store maps them one to one. Units: fractions
 * for rates and returns (0.026 = 2.6 %), account currency for money, days for drawdown_recovery,
 * seconds for average_holding_time. NAN where a value is not defined. */
typedef struct
{
  /* Core */
  double  start_equity, end_equity, final_value;
  double  net_profit;                 /* End/Start − 1 */
  double  net_profit_currency;        /* End − Start */
  double  total_return;               /* = net_profit (seed 002 keeps both names) */
  double  compounding_annual_return;
  /* Risk */
  double  max_drawdown;               /* fraction ≥ 0 */
  int64_t drawdown_recovery;          /* days */
  double  annual_standard_deviation, annual_variance;
  double  sharpe_ratio, sortino_ratio, probabilistic_sharpe_ratio;
  double  alpha, beta, tracking_error, information_ratio, treynor_ratio;
  /* Trading */
  int64_t total_orders, total_trades, winning_trades, losing_trades;
  double  win_rate, loss_rate, average_win, average_loss;
  double  profit_factor, profit_loss_ratio, expectancy;
  double  total_fees, portfolio_turnover;
  double  estimated_strategy_capacity;
  char   *lowest_capacity_asset;      /* (owned) (nullable) */
  /* Advanced */
  double  calmar_ratio, omega_ratio, tail_ratio, var_95, stability, exposure;
  double  average_holding_time;       /* seconds */
  int64_t longest_losing_streak;
} HsStatistics;

/* A point of an equity (or benchmark) curve. */
typedef struct
{
  int64_t ts;      /* µs UTC */
  double  value;
} HsPoint;

/* A closed round trip as the statistics need it. */
typedef struct
{
  int64_t entry_ts, exit_ts;
  double  pnl;     /* account currency, net of fees */
  double  fees;
} HsClosedTrade;

typedef enum
{
  HS_STATS_PROFILE_DEFAULT,   /* sound conventions, documented in docs/statistics.md */
  HS_STATS_PROFILE_LEAN,      /* LEAN's conventions exactly (LEAN-CONVENTIONS.md) */
} HsStatsProfile;

void hs_statistics_clear (HsStatistics *stats);

G_END_DECLS
