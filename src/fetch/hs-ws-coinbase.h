/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-ws-message.h"

G_BEGIN_DECLS

/* Coinbase's two public WebSocket feeds. */
typedef enum
{
  HS_WS_COINBASE_ADVANCED,   /* wss://advanced-trade-ws.coinbase.com: level2 + market_trades */
  HS_WS_COINBASE_EXCHANGE,   /* wss://ws-feed.exchange.coinbase.com: level2_batch + matches */
} HsWsCoinbaseFeed;

#define HS_WS_COINBASE_ADVANCED_URL "wss://advanced-trade-ws.coinbase.com"
#define HS_WS_COINBASE_EXCHANGE_URL "wss://ws-feed.exchange.coinbase.com"

HsWsFrame *hs_ws_coinbase_parse              (const char       *text,
                                              size_t            len,
                                              GError          **error);
GPtrArray *hs_ws_coinbase_subscribe          (HsWsCoinbaseFeed  feed,
                                              const char       *product);
GPtrArray *hs_ws_coinbase_resubscribe_book   (HsWsCoinbaseFeed  feed,
                                              const char       *product);

G_END_DECLS
