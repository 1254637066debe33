/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-bars.h"
#include "hs-store.h"

G_BEGIN_DECLS

typedef struct
{
  int64_t id;
  char   *symbol;
  char   *exchange;
  char   *kind;
} HsInstrument;

/* What the database holds for one instrument and one kind of data. */
typedef struct
{
  char    *symbol;
  char    *exchange;
  char    *kind;        /* instrument kind: stock, etf, crypto, prediction … */
  char    *data;        /* "candles", "trades", "quotes", "orderbook", "snapshots" */
  char    *interval;    /* for candles; NULL otherwise */
  int64_t  first_ts;
  int64_t  last_ts;
  int64_t  rows;
} HsCoverage;

typedef gboolean (*HsBarFunc) (const HsBar *bar,
                               gpointer     user_data,
                               GError     **error);

gboolean   hs_store_ensure_instrument (HsStore    *store,
                                       const char *symbol,
                                       const char *exchange,
                                       const char *kind,
                                       int64_t    *id,
                                       GError    **error);
gboolean   hs_store_find_instrument   (HsStore    *store,
                                       const char *symbol,
                                       const char *exchange,
                                       int64_t    *id,
                                       GError    **error);
GPtrArray *hs_store_list_instruments  (HsStore    *store,
                                       GError    **error);
void       hs_instrument_free         (HsInstrument *inst);

gboolean   hs_store_insert_bar        (HsStore     *store,
                                       int64_t      instrument_id,
                                       const char  *interval,
                                       const HsBar *bar,
                                       gboolean    *inserted,
                                       GError     **error);
/* Rows per multi-row INSERT: 64 × 11 parameters stays under SQLite's default limit. */
#define HS_STORE_BAR_BATCH 64

gboolean   hs_store_insert_bars       (HsStore     *store,
                                       int64_t      instrument_id,
                                       const char  *interval,
                                       const HsBar *bars,
                                       size_t       n,
                                       int64_t     *n_inserted,
                                       GError     **error);
gboolean   hs_store_insert_trade      (HsStore       *store,
                                       int64_t        instrument_id,
                                       const HsTrade *trade,
                                       gboolean      *inserted,
                                       GError       **error);
gboolean   hs_store_cvd_before        (HsStore    *store,
                                       int64_t     instrument_id,
                                       int64_t     ts,
                                       double     *cvd,
                                       GError    **error);
gboolean   hs_store_recompute_cvd_after (HsStore *store,
                                         int64_t  instrument_id,
                                         int64_t  from_ts,
                                         int64_t  after_ts,
                                         GError **error);
gboolean   hs_store_insert_quote      (HsStore       *store,
                                       int64_t        instrument_id,
                                       const HsQuote *quote,
                                       gboolean      *inserted,
                                       GError       **error);
gboolean   hs_store_insert_book       (HsStore              *store,
                                       int64_t               instrument_id,
                                       const HsBookSnapshot *book,
                                       gboolean             *inserted,
                                       GError              **error);
gboolean   hs_store_insert_snapshot   (HsStore                *store,
                                       int64_t                 instrument_id,
                                       const HsMarketSnapshot *snap,
                                       gboolean               *inserted,
                                       GError                **error);

gboolean   hs_store_each_bar          (HsStore    *store,
                                       int64_t     instrument_id,
                                       const char *interval,
                                       int64_t     from_ts,
                                       int64_t     to_ts,
                                       HsBarFunc   func,
                                       gpointer    user_data,
                                       GError    **error);
gboolean   hs_store_bar_range         (HsStore    *store,
                                       int64_t     instrument_id,
                                       const char *interval,
                                       int64_t     from_ts,
                                       int64_t     to_ts,
                                       gboolean   *found,
                                       int64_t    *first_ts,
                                       int64_t    *last_ts,
                                       GError    **error);
HsBars    *hs_store_load_bars         (HsStore    *store,
                                       int64_t     instrument_id,
                                       const char *interval,
                                       int64_t     from_ts,
                                       int64_t     to_ts,
                                       GError    **error);
GPtrArray *hs_store_list_coverage     (HsStore    *store,
                                       GError    **error);
void       hs_coverage_free           (HsCoverage *cov);

HsInstrument *hs_store_load_instrument (HsStore *store,
                                        int64_t  id,
                                        GError **error);

gboolean   hs_store_ensure_option_contract (HsStore                *store,
                                            const char             *exchange,
                                            const HsOptionContract *contract,
                                            int64_t                *id,
                                            GError                **error);
gboolean   hs_store_add_option_quote  (HsStore                *store,
                                       const char             *exchange,
                                       const HsOptionContract *contract,
                                       const HsOptionQuote    *quote,
                                       gboolean               *inserted,
                                       GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsInstrument, hs_instrument_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCoverage, hs_coverage_free)

G_END_DECLS
