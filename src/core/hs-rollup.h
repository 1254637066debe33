/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-lean-data.h"
#include "hs-records.h"

G_BEGIN_DECLS

/* Retention's arithmetic (docs/gaps-retention.md): trades rolled into 1-minute candles and the
 * minute's cumulative volume delta, quotes into 1-minute quote bars. */

#define HS_ROLLUP_INTERVAL   "1m"
#define HS_ROLLUP_INTERVAL_S 60

/* Trades as columns, in (ts, seq) order. side is an HsSide: 1 buyer took, -1 seller took. */
typedef struct
{
  size_t   n;
  size_t   capacity;
  int64_t *ts;
  double  *price;
  double  *size;
  double  *cvd;      /* cvd_at_trade: the CVD after the trade */
  int8_t  *side;
} HsTradeColumns;

/* Quotes as columns, in time order; a size is NAN when unknown. */
typedef struct
{
  size_t   n;
  size_t   capacity;
  int64_t *ts;
  double  *bid, *ask;
  double  *bid_size, *ask_size;
} HsQuoteColumns;

/* The CVD of one minute with trades. */
typedef struct
{
  int64_t ts;       /* the minute's last trade: the CVD is known from then on */
  double  cvd;      /* cvd_at_trade of that trade */
  double  change;   /* the minute's net taker volume: Σ side × size over its trades */
} HsCvdPoint;

HsTradeColumns *hs_trade_columns_new    (void);
void            hs_trade_columns_append (HsTradeColumns       *t,
                                         int64_t               ts,
                                         double                price,
                                         double                size,
                                         HsSide                side,
                                         double                cvd);
void            hs_trade_columns_free   (HsTradeColumns       *t);
HsQuoteColumns *hs_quote_columns_new    (void);
void            hs_quote_columns_append (HsQuoteColumns       *q,
                                         const HsQuote        *quote);
void            hs_quote_columns_free   (HsQuoteColumns       *q);

GArray         *hs_rollup_trades        (const HsTradeColumns *t,
                                         GError              **error);
GArray         *hs_rollup_cvd           (const HsTradeColumns *t);
HsQuoteBars    *hs_rollup_quotes        (const HsQuoteColumns *q);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTradeColumns, hs_trade_columns_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsQuoteColumns, hs_quote_columns_free)

G_END_DECLS
