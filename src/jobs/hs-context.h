/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* The market a paper trade was opened in (seed 000's time capsule), from the local database
 * only. Every field, its definition, unit and source: docs/context.md. */

/* How old a row may be, before the entry, and still describe it. */
#define HS_CONTEXT_QUOTE_MAX_AGE_S        300      /* quotes, order book snapshots */
#define HS_CONTEXT_OPTION_MAX_AGE_S       900      /* option_quotes (chains are polled) */
#define HS_CONTEXT_PRICE_MAX_AGE_S   (5 * 86400)   /* the last close of SPY, VIX, an ETF */
#define HS_CONTEXT_PREV_CLOSE_MAX_DAYS    7        /* the previous session's close */
#define HS_CONTEXT_BREADTH_MIN            5        /* stocks needed for advancers/decliners */

/* The JSON text of the three context objects, each with its own "missing" array. */
typedef struct
{
  char *signals_snapshot;   /* (owned) */
  char *market_regime;      /* (owned) */
  char *order_book_state;   /* (owned) */
} HsTradeContext;

gboolean hs_context_collect      (HsStore        *store,
                                  int64_t         instrument_id,
                                  int64_t         entry_ts,
                                  HsTradeContext *out,
                                  GError        **error);
void     hs_trade_context_clear  (HsTradeContext *ctx);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsTradeContext, hs_trade_context_clear)

G_END_DECLS
