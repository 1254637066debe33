/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-lean-data.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The market LEAN's US equity calendar is stored under (market_calendar.market). */
#define HS_MARKET_US_EQUITY "us_equity"

gboolean     hs_store_insert_quote_bar      (HsStore             *store,
                                             int64_t              instrument_id,
                                             const char          *interval,
                                             const HsQuoteBar    *bar,
                                             gboolean            *inserted,
                                             GError             **error);
HsQuoteBars *hs_store_load_quote_bars       (HsStore             *store,
                                             int64_t              instrument_id,
                                             const char          *interval,
                                             int64_t              from_ts,
                                             int64_t              to_ts,
                                             GError             **error);

gboolean     hs_store_replace_price_factors (HsStore             *store,
                                             int64_t              instrument_id,
                                             const HsPriceFactor *rows,
                                             size_t               n_rows,
                                             int64_t             *n_written,
                                             int64_t             *n_removed,
                                             GError             **error);
GArray      *hs_store_load_price_factors    (HsStore             *store,
                                             int64_t              instrument_id,
                                             GError             **error);

gboolean     hs_store_upsert_market_day     (HsStore             *store,
                                             const char          *market,
                                             const HsMarketDay   *day,
                                             gboolean            *written,
                                             GError             **error);
GArray      *hs_store_load_market_days      (HsStore             *store,
                                             const char          *market,
                                             GError             **error);

G_END_DECLS
