/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* One trade as the Trades page shows it (a row of a training query over paper_trades, or over
 * backtest_trades for a run), and the figures of the page's footer and analysis views over a
 * set of them (docs/ui-trades.md). Unknown numbers are NAN, unknown texts NULL. */
typedef struct
{
  int64_t  id;
  int64_t  entry_ts;         /* µs UTC */
  char    *symbol;           /* (owned) (nullable) */
  char    *side;             /* (owned) (nullable) long, short */
  double   quantity;
  double   entry_price;
  double   exit_price;
  double   pnl_pct;          /* realized P&L, percent of the entry notional */
  double   target_pnl_15m;
  double   target_pnl_1h;
  double   mfe_pct;          /* target_mfe_pct (paper) or mfe_pct (backtest) */
  double   mae_pct;
  double   confidence;       /* ai.confidence_score, 0 … 10 */
  char    *model;            /* (owned) (nullable) ai.model */
  char    *prompt_version;   /* (owned) (nullable) ai.prompt_version */
  char    *tags;             /* (owned) (nullable) the JSON array text */
} HsTradeRow;

HsTradeRow *hs_trade_row_new  (void);
HsTradeRow *hs_trade_row_copy (const HsTradeRow *row);
void        hs_trade_row_free (HsTradeRow       *row);

/* A mean over the values that are known: @n of them (0: @mean is NAN). */
typedef struct
{
  double mean;
  size_t n;
} HsTradeMean;

/* The footer: how many trades, and the means of what they have. */
typedef struct
{
  size_t      count;
  HsTradeMean pnl_pct, target_pnl_1h, mfe_pct, mae_pct, confidence;
} HsTradeSummary;

void hs_trade_summary_compute (HsTradeRow *const *rows,
                               size_t             n,
                               HsTradeSummary    *out);

/* AI calibration: ten buckets of the confidence score, [0, 1), [1, 2) … [8, 9) and [9, 10]. A
 * trade is a win when its realized pnl_pct > 0; the win rate is over the trades with a P&L
 * (closed), the mean target_pnl_1h over the labeled ones. Trades without a score are left out. */
#define HS_CALIBRATION_BUCKETS 10

typedef struct
{
  size_t      count;      /* trades with a score in the bucket */
  size_t      n_closed;   /* of them, with a realized P&L */
  size_t      wins;       /* of those, pnl_pct > 0 */
  double      win_rate;   /* wins / n_closed; NAN when n_closed is 0 */
  HsTradeMean target_pnl_1h;
} HsCalibrationBucket;

int  hs_calibration_bucket_of (double                confidence);
void hs_calibration_compute   (HsTradeRow *const    *rows,
                               size_t                n,
                               HsCalibrationBucket   out[HS_CALIBRATION_BUCKETS]);

/* A breakdown by model or by prompt version: one group per distinct value (NULL, a trade without
 * a reasoning log, is a group of its own, sorted first), groups in byte order of the key. */
typedef enum
{
  HS_TRADE_GROUP_MODEL,
  HS_TRADE_GROUP_PROMPT_VERSION,
} HsTradeGroupBy;

typedef struct
{
  char       *key;        /* (owned) (nullable) */
  size_t      count;
  size_t      n_closed;
  size_t      wins;
  double      win_rate;   /* wins / n_closed; NAN when none is closed */
  HsTradeMean pnl_pct;
} HsTradeGroup;

GArray *hs_trade_breakdown (HsTradeRow *const *rows,
                            size_t             n,
                            HsTradeGroupBy     by);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTradeRow, hs_trade_row_free)

G_END_DECLS
