/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-store.h"

G_BEGIN_DECLS

/* What the fetch jobs (src/jobs/hs-fetch.c, docs/fetch.md) need from the store besides the
 * market-data writers: whether a fetched trade is stored already, how many trades a time range
 * holds, an instrument's descriptive columns, and where a provider's failure streak stands. */

gboolean hs_store_trade_present     (HsStore       *store,
                                     int64_t        instrument_id,
                                     const HsTrade *trade,
                                     gboolean      *present,
                                     GError       **error);
gboolean hs_store_count_trades      (HsStore       *store,
                                     int64_t        instrument_id,
                                     int64_t        from_ts,
                                     int64_t        to_ts,
                                     int64_t       *count,
                                     GError       **error);
gboolean hs_store_fill_instrument   (HsStore       *store,
                                     int64_t        instrument_id,
                                     const char    *name,
                                     const char    *currency,
                                     int64_t        expiry,
                                     GError       **error);
/* One system_metrics value. */
typedef struct
{
  const char *name;
  double      value;
  const char *unit;    /* (nullable) */
} HsMetric;

gboolean hs_store_write_metrics     (HsStore        *store,
                                     int64_t         ts,
                                     const char     *component,
                                     const HsMetric *metrics,
                                     size_t          n,
                                     GError        **error);
gboolean hs_store_provider_streak   (HsStore       *store,
                                     const char    *provider,
                                     int           *failures,
                                     int64_t       *started,
                                     GError       **error);

G_END_DECLS
