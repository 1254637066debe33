/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* One line of a signal-ledger JSONL file (docs/ledger.md), checked field by field. Numbers are
 * NAN and integers −1 when absent; strings and JSON texts NULL. References to other records
 * (signal keys, client order ids) are kept as the bot's ids: the importer resolves them. */

typedef enum
{
  HS_LEDGER_SIGNAL,
  HS_LEDGER_VETO,
  HS_LEDGER_ORDER,
  HS_LEDGER_FILL,
  HS_LEDGER_ACCOUNT,
  HS_LEDGER_RISK_DAY,
} HsLedgerKind;

typedef struct
{
  char   *key;                 /* the bot's id of the signal */
  char   *symbol;
  char   *exchange;            /* (nullable) */
  int64_t ts;
  char   *strategy;
  char   *strategy_version;    /* "" when absent */
  char   *setup;               /* "" when absent */
  char   *signal_type;         /* STRONG_BUY, BUY, NEUTRAL, SELL, STRONG_SELL */
  double  confidence;          /* 0 … 100 */
  double  score;
  char   *session;             /* (nullable) */
  double  price;               /* the reference price, > 0 */
  double  cvd;
  double  orderbook_imbalance; /* −100 … 100 */
  char   *reasons;             /* JSON arrays as text; "[]" when absent */
  char   *warnings;
  char   *filters_passed;
  char   *filters_blocked;
  char   *status;              /* generated (default), blocked, promoted */
} HsLedgerSignal;

typedef struct
{
  char   *signal_key;
  int64_t ts;                  /* −1: the signal's time */
  char   *rule;
  char   *reason;
  char   *details;             /* (nullable) JSON text */
} HsLedgerVeto;

typedef struct
{
  char   *client_order_id;
  char   *symbol;              /* (nullable) then the signal's, parent's or closed order's */
  char   *exchange;            /* (nullable) */
  char   *signal_key;          /* (nullable) */
  char   *parent;              /* (nullable) client order id of a bracket's entry */
  char   *closes;              /* (nullable) client order id of the entry this order closes */
  char   *broker;              /* "paper" when absent */
  char   *broker_order_id;     /* (nullable) */
  char   *mode;                /* live, paper (default) */
  char   *leg;                 /* single, entry, take_profit, stop_loss */
  int64_t ts;
  int64_t updated_ts;          /* −1: ts */
  char   *side;                /* buy, sell */
  char   *type;                /* market (default), limit, stop … */
  char   *time_in_force;       /* day (default), gtc … */
  double  qty;
  double  limit_price, stop_price, price_guard, reference_price;
  char   *status;              /* pending (default) … */
  char   *payload;             /* JSON text: the "payload" member, else the whole line */
  char   *broker_response;     /* (nullable) JSON text */
  char   *error_message;       /* (nullable) */
} HsLedgerOrder;

typedef struct
{
  char   *order;               /* client order id */
  int64_t fill_seq;            /* −1 when absent: then broker_fill_id is given */
  char   *broker_fill_id;      /* (nullable) */
  int64_t ts;
  double  price, qty;
  double  fee;                 /* 0 when absent */
  char   *liquidity;           /* (nullable) maker, taker */
  double  reference_price;     /* NAN: the order's */
  double  slippage;            /* NAN: computed */
  int64_t latency_ms;          /* −1: computed */
} HsLedgerFill;

typedef struct
{
  char   *account;             /* "paper" when absent */
  int64_t ts;
  double  cash, equity;
  double  unrealized_pnl, realized_pnl;   /* 0 when absent */
  double  buying_power;        /* NAN when absent, else ≥ 0 */
  char   *open_positions;      /* (nullable) JSON text */
  char   *session;             /* (nullable) */
} HsLedgerAccount;

typedef struct
{
  char   *day;                 /* YYYY-MM-DD */
  int64_t trades_taken;        /* ≥ 0 */
  double  r_realized;
  double  max_drawdown;        /* ≥ 0 */
  char   *breach_flags;        /* JSON array text; "[]" when absent */
} HsLedgerRiskDay;

typedef struct
{
  HsLedgerKind    kind;
  HsLedgerSignal  signal;
  HsLedgerVeto    veto;
  HsLedgerOrder   order;
  HsLedgerFill    fill;
  HsLedgerAccount account;
  HsLedgerRiskDay risk_day;
} HsLedgerRecord;

const char *hs_ledger_kind_to_string (HsLedgerKind     kind);
void        hs_ledger_record_clear   (HsLedgerRecord  *record);

/* ---- Derived values (docs/ledger.md) ---------------------------------------------------- */

double      hs_ledger_slippage       (gboolean         buy,
                                      double           price,
                                      double           reference);
int64_t     hs_ledger_latency_ms     (int64_t          fill_ts,
                                      int64_t          from_ts);

/* One stored fill of a round trip. */
typedef struct
{
  int64_t id;
  int64_t order_id;
  int64_t ts;
  double  price, qty, fee;
  double  slippage;      /* NAN when unknown */
} HsLedgerFillRow;

/* A trade_ledger row as computed from its fills. */
typedef struct
{
  int      side;                       /* +1 long (a buy entry), −1 short */
  double   quantity;                   /* entry fills' total */
  int64_t  entry_ts;                   /* first entry fill */
  double   entry_price;                /* entry fills' VWAP */
  int64_t  entry_fill_id;
  gboolean closed;                     /* exit fills cover the quantity */
  int64_t  exit_ts;                    /* last exit fill; −1 while open */
  double   exit_price;                 /* exit fills' VWAP; NAN while open */
  int64_t  exit_fill_id, exit_order_id;/* of the last exit fill; 0 while open */
  double   gross_pnl, net_pnl;         /* NAN while open */
  double   fees;                       /* every fill's fee so far */
  double   slippage;                   /* Σ slippage × qty over the fills; NAN when none known */
  double   r_multiple;                 /* NAN without a stop or while open */
} HsLedgerRoundTrip;

void        hs_ledger_round_trip_compute (int                    side,
                                          const HsLedgerFillRow *entry,
                                          size_t                 n_entry,
                                          const HsLedgerFillRow *exit,
                                          size_t                 n_exit,
                                          double                 stop_price,
                                          HsLedgerRoundTrip     *out);

/* ---- Replay drift ------------------------------------------------------------------------ */

/* A decision to buy or sell at a time: a replayed one or a recorded signal or order. */
typedef struct
{
  int64_t  ts;
  int      side;        /* +1 buy, −1 sell */
  double   price;       /* NAN when unknown */
  int64_t  id;          /* the recorded row (signal or order id); 0 for a replayed one */
  char    *what;        /* (owned) a short description: "enter long", "signal BUY", "order …" */
} HsLedgerDecision;

typedef enum
{
  HS_DRIFT_MATCH,       /* the same decision on both sides (within the tolerances) */
  HS_DRIFT_MISSING,     /* the replay made it; the record lacks it */
  HS_DRIFT_EXTRA,       /* the record has it; the replay did not make it */
  HS_DRIFT_SIDE,        /* matched in time, opposite side */
  HS_DRIFT_PRICE,       /* matched in time and side, price apart by more than the tolerance */
} HsDriftKind;

typedef struct
{
  HsDriftKind kind;
  int64_t     replay;   /* index into the replayed decisions, −1 for EXTRA */
  int64_t     record;   /* index into the recorded decisions, −1 for MISSING */
} HsLedgerDrift;

const char *hs_drift_kind_to_string  (HsDriftKind              kind);
void        hs_ledger_decision_clear (HsLedgerDecision        *decision);
GArray     *hs_ledger_drift          (const HsLedgerDecision  *replay,
                                      size_t                   n_replay,
                                      const HsLedgerDecision  *record,
                                      size_t                   n_record,
                                      int64_t                  tolerance_us,
                                      double                   price_tolerance_pct);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsLedgerRecord, hs_ledger_record_clear)

G_END_DECLS
