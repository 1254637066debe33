/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-records.h"

G_BEGIN_DECLS

/* One WebSocket text frame of a market-data feed, parsed into what a stream acts on. The
 * parsers (hs-ws-coinbase.h, hs-ws-kraken.h) are pure: text in, this out. */

typedef enum
{
  HS_WS_FRAME_DATA,         /* carries events */
  HS_WS_FRAME_HEARTBEAT,    /* keeps the connection alive; may carry a sequence number */
  HS_WS_FRAME_CONTROL,      /* a subscription acknowledgement, status or other bookkeeping */
  HS_WS_FRAME_ERROR,        /* the provider reports an error (message in error) */
} HsWsFrameKind;

typedef enum
{
  HS_WS_EVENT_BOOK_SNAPSHOT,  /* the whole book: replace the local one */
  HS_WS_EVENT_BOOK_UPDATE,    /* levels with their new absolute size; 0 removes a level */
  HS_WS_EVENT_TRADES,         /* prints, in the order received */
} HsWsEventKind;

typedef struct
{
  HsWsEventKind kind;
  char         *symbol;          /* (owned) product as the provider names it */
  int64_t       ts;              /* exchange time, µs UTC; 0 when the message has none */
  GArray       *bids;            /* (owned) HsLevel, book events */
  GArray       *asks;            /* (owned) HsLevel, book events */
  GArray       *trades;          /* (owned) HsTrade with owned trade_id; side is the TAKER's */
  gboolean      has_checksum;    /* Kraken book events */
  uint32_t      checksum;
  int           price_decimals;  /* Kraken: most decimals a price had in the frame text; -1 */
  int           qty_decimals;    /* Kraken: the same for quantities; -1 */
} HsWsEvent;

typedef struct
{
  HsWsFrameKind kind;
  char         *channel;         /* (owned) (nullable) the provider's channel or message type */
  int64_t       sequence;        /* Coinbase Advanced sequence_num; -1 when the frame has none */
  int64_t       ts;              /* frame time, µs UTC; 0 when absent */
  GPtrArray    *events;          /* (owned) HsWsEvent */
  char         *error;           /* (owned) (nullable) the provider's error text */
} HsWsFrame;

HsWsFrame *hs_ws_frame_new          (HsWsFrameKind  kind);
void       hs_ws_frame_free         (HsWsFrame     *frame);
HsWsEvent *hs_ws_event_new          (HsWsEventKind  kind,
                                     const char    *symbol);
void       hs_ws_event_free         (HsWsEvent     *event);
void       hs_ws_trade_clear        (HsTrade       *trade);
gboolean   hs_ws_trade_id_number    (const HsTrade *trade,
                                     int64_t       *out);
void       hs_ws_trades_sort        (GArray        *trades);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsWsFrame, hs_ws_frame_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsWsEvent, hs_ws_event_free)

G_END_DECLS
