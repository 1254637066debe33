/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-store.h"

G_BEGIN_DECLS

/* One break in a live feed (migrations/016, table stream_gaps). */
typedef struct
{
  int64_t  id;             /* set by the store */
  int64_t  instrument_id;
  char    *provider;       /* (owned) coinbase, coinbase-exchange, kraken */
  char    *channel;        /* (owned) book, trades or connection */
  char    *kind;           /* (owned) sequence, trade_id or checksum */
  int64_t  detected_at;    /* local clock, µs UTC */
  int64_t  ts;             /* exchange time of the message that showed it; 0 when unknown */
  int64_t  from_seq;       /* first missing number; -1 for a checksum gap */
  int64_t  to_seq;         /* last missing number; -1 for a checksum gap */
  char    *resync;         /* (owned) none, rest, resubscribe, rest+resubscribe */
  char    *resync_error;   /* (owned) (nullable) why a REST repair failed */
  char    *detail;         /* (owned) a JSON object ("{}" when nothing more) */
} HsStreamGap;

/* The newest stored trade of an instrument, where a stream continues from. */
typedef struct
{
  gboolean found;
  int64_t  ts;
  int64_t  seq;
  char    *trade_id;       /* (owned) (nullable) */
  double   cvd;
} HsLastTrade;

void       hs_stream_gap_free          (HsStreamGap  *gap);
void       hs_last_trade_clear         (HsLastTrade  *last);

gboolean   hs_store_insert_stream_gap  (HsStore           *store,
                                        HsStreamGap       *gap,
                                        GError           **error);
GPtrArray *hs_store_list_stream_gaps   (HsStore           *store,
                                        int64_t            instrument_id,
                                        GError           **error);
gboolean   hs_store_last_trade         (HsStore           *store,
                                        int64_t            instrument_id,
                                        HsLastTrade       *out,
                                        GError           **error);
gboolean   hs_store_next_trade_seq     (HsStore           *store,
                                        int64_t            instrument_id,
                                        int64_t            ts,
                                        int64_t           *seq,
                                        GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsStreamGap, hs_stream_gap_free)

G_END_DECLS
