/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"
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
  int64_t      entry_snapshot_id;     /* market snapshot of the entry / exit fill bar (seed 003), */
  int64_t      exit_snapshot_id;      /* 0 when the bars do not come from snapshots */
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

/* ---- The engine (hs-backtest.c; docs/backtester.md) ------------------------------------- */

#define HS_BACKTEST_ERROR (hs_backtest_error_quark ())

typedef enum
{
  HS_BACKTEST_ERROR_CONFIG,   /* a bad configuration value: cash ≤ 0, risk sizing without stop */
  HS_BACKTEST_ERROR_INPUT,    /* bars missing or out of order, arrays of the wrong length */
} HsBacktestError;

/* Decisions a strategy takes at a bar's close, as bit flags (several may be set). The engine
 * acts on them at the next bar's open. An entry while the opposite position is open reverses it;
 * an entry while the same position is open is ignored (no pyramiding); an exit while flat
 * cancels a pending entry order. When an exit and an entry of the same side are both set, the
 * exit wins while that position is open and the entry while flat. */
enum
{
  HS_SIGNAL_NONE = 0,
  HS_SIGNAL_ENTER_LONG = 1 << 0,
  HS_SIGNAL_ENTER_SHORT = 1 << 1,
  HS_SIGNAL_EXIT_LONG = 1 << 2,
  HS_SIGNAL_EXIT_SHORT = 1 << 3,
  HS_SIGNAL_EXIT = HS_SIGNAL_EXIT_LONG | HS_SIGNAL_EXIT_SHORT,
};

typedef enum
{
  HS_ORDER_MARKET,   /* fills at the next bar's open */
  HS_ORDER_LIMIT,    /* buy at or below / sell at or above the price */
  HS_ORDER_STOP,     /* buy at or above / sell at or below the price, then as a market order */
} HsOrderType;

typedef enum
{
  HS_FEE_NONE,
  HS_FEE_PER_SHARE,   /* per_share × |qty|, at least minimum, at most maximum_pct of the value */
  HS_FEE_PER_ORDER,   /* per_order for every order */
  HS_FEE_BPS,         /* bps / 10,000 of the order value */
} HsFeeKind;

typedef struct
{
  HsFeeKind kind;
  double    per_share;     /* PER_SHARE: currency per unit (Interactive Brokers: 0.005) */
  double    minimum;       /* PER_SHARE: minimum per order (1.00); 0 for none */
  double    maximum_pct;   /* PER_SHARE: cap as a fraction of the order value (0.005); 0: none */
  double    per_order;     /* PER_ORDER */
  double    bps;           /* BPS */
} HsFeeModel;

typedef enum
{
  HS_SLIPPAGE_NONE,
  HS_SLIPPAGE_BPS,          /* buys fill bps / 10,000 higher, sells lower */
  HS_SLIPPAGE_HALF_SPREAD,  /* half of (ask − bid) at the fill bar; bps where no quote */
} HsSlippageKind;

typedef struct
{
  HsSlippageKind kind;
  double         bps;
} HsSlippageModel;

typedef enum
{
  HS_SIZE_FIXED_QTY,   /* value units */
  HS_SIZE_FIXED_CASH,  /* value currency worth at the reference price */
  HS_SIZE_PERCENT,     /* value % of equity at the decision */
  HS_SIZE_RISK,        /* risk value % of equity between the reference price and the stop */
} HsSizingKind;

typedef struct
{
  HsSizingKind kind;
  double       value;
} HsSizing;

typedef struct
{
  double          initial_cash;      /* > 0 */
  HsFeeModel      fees;
  HsSlippageModel slippage;
  HsSizing        sizing;
  int             fractional;        /* quantities may be fractional (crypto); else whole units */
  /* Brackets, in percent of the entry fill price; 0 (or NAN) for none, and then the strategy's
   * (HsBtSignals) apply. A strategy's stop or target price for an entry takes precedence. */
  double          stop_loss_pct;
  double          take_profit_pct;
  int64_t         time_stop_bars;    /* exit after this many bars held; 0 for none */
  /* How entries are sent: market (default), or limit / stop at entry_offset_pct from the
   * decision bar's close (a long limit below it, a long stop above it) unless the strategy gives
   * a price. A limit or stop entry stays open order_valid_bars bars (0: until replaced). */
  HsOrderType     entry_order;
  double          entry_offset_pct;
  int64_t         order_valid_bars;
  HsStatsProfile  profile;
  int             skip_statistics;   /* leave result->stats undefined (benchmarks; a sweep
                                      * that ranks by its own measure) */
} HsBtConfig;

/* Position state at a bar's close, for strategies that decide bar by bar (rule sets). */
typedef struct
{
  int     side;            /* 1 long, −1 short, 0 flat */
  int64_t bars_held;       /* bars since the entry bar, counting it; 0 when flat */
  double  entry_price;     /* NAN when flat */
  double  unrealized_pct;  /* side × (close − entry) / entry × 100, NAN when flat */
  double  equity;
} HsBtState;

/* A strategy's decision at bar @i, given the state at its close: HS_SIGNAL_* flags. Called at
 * every bar, in order, after the engine has processed it; must not allocate. */
typedef unsigned (*HsBtDecideFunc) (gpointer         data,
                                    size_t           i,
                                    const HsBtState *state);

/* Metadata of the decision at one bar (a JSON object), for the trades it opens or closes. */
typedef struct
{
  size_t  bar;
  char   *json;   /* (owned) */
} HsBtNote;

/* A strategy's decisions over a series of n bars. */
typedef struct
{
  size_t          n;
  uint8_t        *signal;         /* (owned) (nullable) HS_SIGNAL_* at each bar's close */
  HsBtDecideFunc  decide;         /* (nullable) decisions that depend on the position */
  gpointer        decide_data;
  GDestroyNotify  decide_free;
  double         *order_price;    /* (owned) (nullable) limit/stop price of an entry decided at
                                   * a bar (NAN: from the config) */
  double         *stop_price;     /* (owned) (nullable) stop-loss price for an entry decided at a
                                   * bar (NAN: from the config) */
  double         *target_price;   /* (owned) (nullable) take-profit price, likewise */
  GArray         *notes;          /* (owned) (nullable) HsBtNote in bar order */
  char           *entry_note;     /* (owned) (nullable) metadata of bars without a note */
  char           *exit_note;      /* (owned) (nullable) */
  /* The strategy's own brackets (a rule set's stop_loss_pct …), used where the config has
   * none: percent of the entry fill, 0 for none. */
  double          stop_loss_pct, take_profit_pct;
  int64_t         time_stop_bars;
  /* Strategy-specific counters (seed 002) copied to the result; −1 when not reported. */
  int64_t         pivot_highs_detected, pivot_lows_detected, bos_signals_generated;
  gboolean        counts_flips;   /* report position_flips and liquidation_events */
} HsBtSignals;

/* The lean profile's engine side (LEAN-CONVENTIONS.md, docs/backtester.md "The lean profile"):
 * with config->profile HS_STATS_PROFILE_LEAN, a bar is processed at its end (a daily bar at the
 * session's close, 16:00 New York or 13:00 on an early-close day); on intraday bars a decision
 * fills in the same time step at the quote bar's close (ask for a buy, bid for a sell; the trade
 * close without quotes), on daily bars at the next bar's open (market-on-open); percent sizing
 * is SetHoldings (a 0.25 % buffer, one share less when the fee would not fit); the statistics get
 * LEAN's equity chart (every calendar midnight, intraday points, the last step), its trade P&L
 * and its capacity estimate. All fields may be 0 / NULL. */
typedef struct
{
  int64_t        start_ts;         /* the algorithm's start: midnight New York of its start date
                                    * (µs UTC); 0: the first bar's date */
  int64_t        end_ts;           /* its end: 23:59:59.999999 New York of the end date; 0: the
                                    * last bar's date */
  const double  *bid_close;        /* (nullable) intraday: each bar's quote bar bid close */
  const double  *ask_close;        /* (nullable) and ask close */
  const int64_t *early_close_days; /* (nullable) ascending dates (days since 1970-01-01) whose
                                    * session closes at 13:00 New York */
  size_t         n_early_close_days;
} HsBtLean;

/* What a run reads besides the decisions. Arrays are borrowed and hold bars->n values. */
typedef struct
{
  const HsBars  *bars;           /* in time order */
  const double  *benchmark;      /* (nullable) benchmark close at each bar */
  const double  *bid, *ask;      /* (nullable) the quote at each bar's open (NAN: none) */
  const int64_t *snapshot_id;    /* (nullable) market snapshot of each bar (0: none) */
  const char    *symbol;         /* (nullable) for lowest_capacity_asset */
  const HsRiskFree *risk_free;   /* (nullable) for the statistics; none is a rate of 0 */
  const HsBtLean   *lean;        /* (nullable) the lean profile's calendar and quotes */
} HsBtInput;

GQuark       hs_backtest_error_quark (void);

void         hs_bt_config_init      (HsBtConfig        *config);
void         hs_fee_model_ibkr      (HsFeeModel        *fees);
double       hs_fee_model_compute   (const HsFeeModel  *fees,
                                     double             quantity,
                                     double             price);
gboolean     hs_bt_config_check     (const HsBtConfig  *config,
                                     GError           **error);

/* Models as text, for the command line, the cache key and backtest_runs (fee_model …):
 * fees "none", "ibkr", "per-share:RATE[:MIN[:MAX_PCT]]", "per-order:X", "bps:X";
 * slippage "none", "bps:X", "half-spread[:X]" (X the bps where no quote);
 * sizing "fixed:Q", "cash:X", "percent:P", "risk:P". _to_string() gives the canonical form. */
gboolean     hs_fee_model_parse     (const char        *text,
                                     HsFeeModel        *fees,
                                     GError           **error);
char        *hs_fee_model_to_string (const HsFeeModel  *fees);
gboolean     hs_slippage_model_parse (const char       *text,
                                      HsSlippageModel  *slippage,
                                      GError          **error);
char        *hs_slippage_model_to_string (const HsSlippageModel *slippage);
gboolean     hs_sizing_parse        (const char        *text,
                                     HsSizing          *sizing,
                                     GError           **error);
char        *hs_sizing_to_string    (const HsSizing    *sizing);

HsBtSignals *hs_bt_signals_new      (size_t             n);
void         hs_bt_signals_free     (HsBtSignals       *signals);
void         hs_bt_signals_add_note (HsBtSignals       *signals,
                                     size_t             bar,
                                     char              *json);

HsBtResult  *hs_backtest_run        (const HsBtInput   *input,
                                     const HsBtSignals *signals,
                                     const HsBtConfig  *config,
                                     GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBtSignals, hs_bt_signals_free)

G_END_DECLS
