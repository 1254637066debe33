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

#define HS_STATS_ERROR (hs_stats_error_quark ())

typedef enum
{
  HS_STATS_ERROR_INVALID,   /* no equity, times not increasing, a value not finite or ≤ 0 */
} HsStatsError;

GQuark hs_stats_error_quark (void);

/* Risk-free model: a constant annual rate, or a step series (the rate of a point holds from its
 * time until the next point's; before the first point, the first point's rate). Rates are annual
 * fractions: 0.0075 is 0.75 %. */
typedef struct
{
  int64_t ts;      /* µs UTC */
  double  rate;    /* annual, fraction */
} HsRatePoint;

typedef struct
{
  double             constant;   /* used when n_points is 0 */
  const HsRatePoint *points;     /* (nullable) ascending ts */
  size_t             n_points;
} HsRiskFree;

double hs_risk_free_rate_at (const HsRiskFree *rf,
                             int64_t           ts);

/* What hs_statistics_compute() reads. hs_stats_input_init() sets every field to "absent".
 *
 * Equity: every point of the curve in time order (the engine's samples, or a file). The return
 * samples are @samples when given; otherwise they are derived from @equity as the profile says
 * (docs/statistics.md): LEAN, a sample at each calendar midnight of @day_tz (New York when NULL)
 * holding the last value at or before it, plus the last point; default, the first point and the
 * last point of each day of @day_tz (UTC when NULL). @returns, when given, are the samples' returns
 * already computed (LEAN's "Return" chart / 100), and replace the ones computed from equity.
 *
 * @benchmark and @traded are joined to the samples "as of": the last point at or before each
 * sample's time. @traded is the cumulative traded value (Σ |quantity × fill price|) in account
 * currency, e.g. one point after each fill.
 *
 * For the lean profile from an engine (the parity run): @equity holds every "Strategy Equity"
 * chart point with its raw portfolio value (the profile applies LEAN's round(v, 4) and
 * SmartRounding), @samples the daily samples with their raw values (LEAN computes returns from
 * unrounded values), @benchmark the raw benchmark price at each sample, and every
 * HsClosedTrade.pnl LEAN's transaction record (quantity × (fill − average cost) − 2 × fee). */
typedef struct
{
  HsStatsProfile       profile;
  const HsPoint       *equity;
  size_t               n_equity;
  const HsPoint       *samples;         /* (nullable) */
  size_t               n_samples;
  const HsPoint       *returns;         /* (nullable) fractions, one per sample; [0] is day 0 */
  size_t               n_returns;
  const HsPoint       *benchmark;       /* (nullable) prices */
  size_t               n_benchmark;
  const HsPoint       *traded;          /* (nullable) cumulative traded value */
  size_t               n_traded;
  const HsClosedTrade *trades;          /* (nullable) any order; sorted by exit time inside */
  size_t               n_trades;
  int64_t              total_orders;
  double               total_fees;
  double               start_equity;    /* NAN: the first equity point's value */
  HsRiskFree           risk_free;
  int                  trading_days_per_year;   /* ≤ 0: 252 */
  GTimeZone           *day_tz;          /* (nullable) */
  double               capacity;        /* NAN: not estimated (lean prints $0) */
  const char          *lowest_capacity_asset;  /* (nullable) */
} HsStatsInput;

void     hs_stats_input_init     (HsStatsInput       *input);
gboolean hs_statistics_compute   (const HsStatsInput *input,
                                  HsStatistics       *stats,
                                  GError            **error);
gboolean hs_stats_daily_returns  (const HsStatsInput *input,
                                  GArray            **returns,
                                  GArray            **benchmark_returns,
                                  GError            **error);

/* Building blocks, public for tests and for the sweep (deflated Sharpe ratio). */
double   hs_stats_norm_cdf       (double x);
double   hs_stats_norm_ppf       (double p);
double   hs_stats_skewness       (const double *x,
                                  size_t        n);
double   hs_stats_kurtosis       (const double *x,
                                  size_t        n);
double   hs_stats_probabilistic_sharpe (double sr,
                                        double sr_benchmark,
                                        double skew,
                                        double kurtosis,
                                        double n);
double   hs_stats_expected_max_sharpe  (double n_trials,
                                        double variance);
double   hs_stats_deflated_sharpe      (double sr,
                                        double n_trials,
                                        double variance,
                                        double skew,
                                        double kurtosis,
                                        double n);

/* LEAN's rounding (.NET decimal semantics on the value's 15 significant digits). */
typedef enum
{
  HS_ROUND_HALF_EVEN,         /* Math.Round's default, banker's rounding */
  HS_ROUND_HALF_AWAY,         /* MidpointRounding.AwayFromZero, ToString ("0.00") */
} HsRounding;

double   hs_stats_round          (double      v,
                                  int         places,
                                  HsRounding  mode);
double   hs_stats_round_significant (double   v,
                                     int      digits);
double   hs_stats_smart_round    (double      v);

/* The statistics by name: LEAN's display name (our own for the ones LEAN lacks) and the
 * HsStatistics field, which is also the backtest_runs column and the JSON key. */
typedef enum
{
  HS_STAT_DOUBLE,
  HS_STAT_INT,
  HS_STAT_TEXT,
} HsStatType;

typedef struct
{
  const char *name;       /* "Sharpe Ratio" */
  const char *field;      /* "sharpe_ratio" */
  HsStatType  type;
  size_t      offset;     /* in HsStatistics */
  gboolean    lean;       /* LEAN prints it */
} HsStatInfo;

const HsStatInfo *hs_stats_fields           (size_t             *n);
const HsStatInfo *hs_stats_field_by_name    (const char         *name_or_field);
char             *hs_stats_format_lean      (const char         *name,
                                             double              value);
char             *hs_statistics_format      (const HsStatistics *stats,
                                             const HsStatInfo   *info);

/* LEAN's Estimated Strategy Capacity (Common/CapacityEstimate.cs and SymbolCapacity.cs), fed by
 * the engine one time step at a time: first the step's fills (hs_capacity_on_fill), then every
 * symbol's bar of that step (hs_capacity_on_bar), then hs_capacity_end_step(); after the last
 * step, hs_capacity_end_step() once more with @force. Times are µs UTC; @start_local and
 * @end_local are the algorithm's start and end as local wall-clock time encoded like UTC (LEAN
 * compares them with UTC dates as they are). Quote currency and contract multiplier are 1. */
typedef struct _HsCapacity HsCapacity;

HsCapacity *hs_capacity_new          (int64_t     start_local,
                                      int64_t     end_local);
void        hs_capacity_free         (HsCapacity *cap);
void        hs_capacity_on_fill      (HsCapacity *cap,
                                      const char *symbol,
                                      int64_t     ts,
                                      double      fill_price,
                                      double      quantity);
void        hs_capacity_on_bar       (HsCapacity *cap,
                                      const char *symbol,
                                      int64_t     ts,
                                      double      close,
                                      double      volume,
                                      int64_t     period,
                                      double      holdings_value);
void        hs_capacity_end_step     (HsCapacity *cap,
                                      int64_t     ts,
                                      double      total_portfolio_value,
                                      gboolean    force);
double      hs_capacity_get_capacity (HsCapacity *cap);
const char *hs_capacity_get_lowest_asset (HsCapacity *cap);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCapacity, hs_capacity_free)

G_END_DECLS
