/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-book.h"
#include "hs-records.h"

G_BEGIN_DECLS

/* A live market-data stream (docs/streaming.md): one WebSocket feed of one product, its trades
 * and periodic book snapshots written to the database in batches, every gap recorded in
 * stream_gaps and repaired, reconnecting with back-off until cancelled. */

typedef enum
{
  HS_STREAM_COINBASE,            /* Coinbase Advanced Trade: level2 + market_trades */
  HS_STREAM_COINBASE_EXCHANGE,   /* the Coinbase Exchange feed: level2_batch + matches */
  HS_STREAM_KRAKEN,              /* Kraken WebSocket v2: book + trade */
} HsStreamProvider;

typedef struct
{
  int64_t messages;          /* text frames received */
  int64_t malformed;         /* frames that did not parse or broke a rule: skipped */
  int64_t trades;            /* trades written */
  int64_t duplicates;        /* trades received again (after a reconnect) and skipped */
  int64_t filled;            /* missing trades recovered through fill_trades */
  int64_t book_events;       /* book snapshots and updates applied */
  int64_t books;             /* book snapshots written */
  int64_t dropped;           /* book updates with no book to apply to (before a snapshot) */
  int64_t crossed;           /* book states not stored because they were crossed */
  int64_t unverified;        /* checksums not compared (precision unknown or resync pending) */
  int64_t gaps;              /* gaps recorded */
  int64_t resyncs;           /* book resynchronisations */
  int64_t resync_failures;   /* REST snapshots that failed */
  int64_t provider_errors;   /* error messages from the provider */
  int64_t connections;       /* WebSocket connections opened */
  int64_t reconnects;        /* connections opened after the first */
  int64_t connect_failures;  /* connection attempts that failed */
  int64_t last_sequence;     /* the last Coinbase sequence_num seen, or -1 */
  char    last_error[256];   /* the last problem seen, "" when none */
} HsStreamStats;

/**
 * HsStreamBookFunc:
 * @book: an empty book to fill (hs_book_set()) with a fresh snapshot from REST
 *
 * Called on the stream's thread when the local book can no longer be trusted. It may block
 * (a REST request) and must be safe to call from that thread.
 */
typedef gboolean (*HsStreamBookFunc) (HsStreamProvider provider,
                                      const char      *symbol,
                                      HsBook          *book,
                                      gpointer         user_data,
                                      GError         **error);

/**
 * HsStreamTradesFunc:
 * @first_id: the first missing trade id
 * @last_id: the last missing trade id
 * @trades: (element-type HsTrade): append the trades found (trade_id, ts, price, size and the
 *   taker's side; each trade_id an owned string); trades outside the range are ignored
 *
 * Called on the stream's thread when trade ids skipped. It may block.
 */
typedef gboolean (*HsStreamTradesFunc) (HsStreamProvider provider,
                                        const char      *symbol,
                                        int64_t          first_id,
                                        int64_t          last_id,
                                        GArray          *trades,
                                        gpointer         user_data,
                                        GError         **error);

/* Called on the stream's thread after every frame and every change of the connection (opened,
 * failed, closed), with the counts so far. */
typedef void (*HsStreamProgressFunc) (const HsStreamStats *stats,
                                      gpointer             user_data);

typedef struct
{
  HsStreamProvider     provider;
  const char          *symbol;           /* the product: BTC-USD (Coinbase), BTC/USD (Kraken) */
  const char          *url;              /* (nullable) else hs_stream_default_url() */
  const char          *db_path;
  double               seconds;          /* stop after this long; 0 runs until cancelled */
  int                  book_depth;       /* levels per side in a stored snapshot; 0 → 10 */
  int64_t              book_interval_us; /* at most one stored snapshot per this much exchange
                                          * time; 0 → 1 s */
  int                  kraken_depth;     /* Kraken book subscription: 10, 25, 100, 500, 1000;
                                          * 0 → 10 */
  int                  price_decimals;   /* Kraken checksum precision; -1 → from the frames */
  int                  qty_decimals;     /* -1 → from the frames */
  int                  backoff_initial_ms; /* first reconnect delay; 0 → 500 */
  int                  backoff_max_ms;   /* 0 → 30000 */
  int                  idle_timeout_s;   /* reconnect after this long without a frame; 0 → 60 */
  HsStreamBookFunc     resync_book;      /* (nullable) */
  HsStreamTradesFunc   fill_trades;      /* (nullable) */
  HsStreamProgressFunc progress;         /* (nullable) */
  gpointer             user_data;        /* for the three callbacks */
} HsStreamRequest;

void         hs_stream_request_init         (HsStreamRequest       *request);
const char  *hs_stream_provider_to_string   (HsStreamProvider       provider);
gboolean     hs_stream_provider_from_string (const char            *text,
                                             HsStreamProvider      *out);
const char  *hs_stream_provider_exchange    (HsStreamProvider       provider);
const char  *hs_stream_url_variable         (HsStreamProvider       provider);
char        *hs_stream_default_url          (HsStreamProvider       provider);

gboolean     hs_stream_run                  (const HsStreamRequest *request,
                                             GCancellable          *cancellable,
                                             HsStreamStats         *stats,
                                             GError               **error);
void         hs_stream_async                (const HsStreamRequest *request,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data);
gboolean     hs_stream_finish               (GAsyncResult          *result,
                                             HsStreamStats         *stats,
                                             GError               **error);

G_END_DECLS
