/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-store.h"

G_BEGIN_DECLS

/* The reads of gap detection (hs-gaps-job.h): stored times, sequence numbers and trade ids of
 * one instrument, streamed row by row through a callback in the order the checks need, so a
 * series of any length is never loaded whole. A callback returning FALSE (with its error set,
 * e.g. on cancellation) stops the scan, and the function returns FALSE with that error. */

typedef gboolean (*HsTimeFunc)     (int64_t     ts,
                                    gpointer    user_data,
                                    GError    **error);
typedef gboolean (*HsSequenceFunc) (const char *source,
                                    int64_t     sequence,
                                    int64_t     ts,
                                    gpointer    user_data,
                                    GError    **error);
typedef gboolean (*HsTradeIdFunc)  (const char *trade_id,
                                    int64_t     ts,
                                    gpointer    user_data,
                                    GError    **error);

gboolean hs_store_gaps_begin              (HsStore       *store,
                                           GError       **error);
void     hs_store_gaps_end                (HsStore       *store);
char   **hs_store_candle_intervals        (HsStore       *store,
                                           int64_t        instrument_id,
                                           GError       **error);
gboolean hs_store_each_candle_ts          (HsStore       *store,
                                           int64_t        instrument_id,
                                           const char    *interval,
                                           int64_t        from_ts,
                                           int64_t        to_ts,
                                           HsTimeFunc     func,
                                           gpointer       user_data,
                                           GError       **error);
gboolean hs_store_each_snapshot_sequence  (HsStore       *store,
                                           int64_t        instrument_id,
                                           int64_t        from_ts,
                                           int64_t        to_ts,
                                           HsSequenceFunc func,
                                           gpointer       user_data,
                                           GError       **error);
gboolean hs_store_each_book_sequence      (HsStore       *store,
                                           int64_t        instrument_id,
                                           int64_t        from_ts,
                                           int64_t        to_ts,
                                           HsSequenceFunc func,
                                           gpointer       user_data,
                                           GError       **error);
gboolean hs_store_each_trade_id           (HsStore       *store,
                                           int64_t        instrument_id,
                                           int64_t        from_ts,
                                           int64_t        to_ts,
                                           HsTradeIdFunc  func,
                                           gpointer       user_data,
                                           GError       **error);

G_END_DECLS
