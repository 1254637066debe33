/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define HS_PAPER_TRADE_ERROR (hs_paper_trade_error_quark ())

typedef enum
{
  HS_PAPER_TRADE_ERROR_INVALID,   /* a value breaks a rule; the message starts with the field */
} HsPaperTradeError;

typedef enum
{
  HS_PAPER_LONG = 1,
  HS_PAPER_SHORT = -1,
} HsPaperSide;

/* What ended a position when a stop loss or take profit was touched by a bar. */
typedef enum
{
  HS_PAPER_HIT_NONE,
  HS_PAPER_HIT_STOP,
  HS_PAPER_HIT_TARGET,
} HsPaperHit;

/* "No time": an open trade's exit, a trade never labeled. */
#define HS_PAPER_NO_TS INT64_MIN

/* The longest tag, in bytes. */
#define HS_PAPER_TAG_MAX 64

/* One row of paper_trades (docs/schema.md), as plain values: NAN for a NULL REAL,
 * HS_PAPER_NO_TS for a NULL time, 0 for a NULL id, NULL for NULL text. The JSON columns are
 * their JSON text. */
typedef struct
{
  int64_t      id;                /* 0 until stored */
  int64_t      instrument_id;
  char        *symbol;            /* (owned) (nullable) instruments.symbol */
  char        *exchange;          /* (owned) (nullable) instruments.exchange */
  HsPaperSide  side;
  double       quantity;
  int64_t      entry_ts;
  double       entry_price;
  int64_t      exit_ts;
  double       exit_price;
  double       stop_loss;
  double       take_profit;
  char        *status;            /* (owned) open, closed, stopped, cancelled */
  char        *exit_reason;       /* (owned) (nullable) */
  double       pnl;               /* account currency, net of fees */
  double       pnl_pct;           /* percent of the entry notional */
  double       fees;
  int          is_backtest;
  int64_t      backtest_run_id;
  int64_t      signal_id;
  char       **tags;              /* (owned) (array zero-terminated=1) never NULL when stored */
  char        *notes;             /* (owned) (nullable) */
  char        *signals_snapshot;  /* (owned) (nullable) JSON object text */
  char        *market_regime;     /* (owned) (nullable) */
  char        *order_book_state;  /* (owned) (nullable) */
  char        *ai_reasoning_log;  /* (owned) (nullable) */
  double       target_pnl_15m;
  double       target_pnl_1h;
  double       target_mfe_pct;
  double       target_mae_pct;
  int64_t      labeled_at;
  char        *label_error;       /* (owned) (nullable) */
  int64_t      created_at;
  int64_t      updated_at;
} HsPaperTrade;

GQuark        hs_paper_trade_error_quark (void);

HsPaperTrade *hs_paper_trade_new        (void);
void          hs_paper_trade_free       (HsPaperTrade *trade);
void          hs_paper_trade_clear_labels (HsPaperTrade *trade);

const char   *hs_paper_side_to_string   (HsPaperSide  side);
gboolean      hs_paper_side_from_string (const char  *text,
                                         HsPaperSide *side);
gboolean      hs_paper_exit_reason_valid (const char *reason);
const char   *hs_paper_exit_reasons     (void);

gboolean      hs_paper_check_levels     (HsPaperSide  side,
                                         double       entry_price,
                                         double       stop_loss,
                                         double       take_profit,
                                         GError     **error);
gboolean      hs_paper_check_tag        (const char  *tag,
                                         GError     **error);
gboolean      hs_paper_tags_add         (char      ***tags,
                                         const char  *tag);
gboolean      hs_paper_tags_remove      (char      ***tags,
                                         const char  *tag);
char         *hs_paper_tags_to_json     (char *const *tags);

void          hs_paper_pnl              (HsPaperSide  side,
                                         double       quantity,
                                         double       entry_price,
                                         double       exit_price,
                                         double       fees,
                                         double      *pnl,
                                         double      *pnl_pct);
HsPaperHit    hs_paper_bracket_hit      (HsPaperSide  side,
                                         double       stop_loss,
                                         double       take_profit,
                                         double       open,
                                         double       high,
                                         double       low,
                                         double      *price);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsPaperTrade, hs_paper_trade_free)

G_END_DECLS
