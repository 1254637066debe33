/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-bars.h"
#include "hs-records.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The queries of the trade-context collector (src/jobs/hs-context.c, docs/context.md): bars
 * completed before a time, the latest quote / order book / option quote at or before a time,
 * and the symbol → sector ETF table of migrations/010_sectors.sql. */

/* A sector ETF with the symbols mapped to it (symbol_sectors), sorted. */
typedef struct
{
  char  *etf;
  char  *sector;
  char **symbols;   /* (owned) NULL-terminated, possibly empty */
} HsSectorEtf;

/* What the collector needs to know of an instrument. */
typedef struct
{
  int64_t id;
  char   *symbol;
  char   *kind;           /* stock, etf, index, crypto, future, fx, option, prediction */
  int64_t underlying_id;  /* 0 when none */
  char   *sector_etf;     /* (nullable) instruments.sector_etf */
} HsContextInstrument;

/* The top of an order_book_snapshots row. */
typedef struct
{
  int64_t ts;
  double  best_bid, best_ask;        /* NAN when that side was empty */
  double  bid_volume, ask_volume;
  double  imbalance;                 /* percent; NAN when unknown */
} HsBookTop;

/* HsOptionQuote, an option_quotes row, is in hs-records.h. */

/* Sector table */
GPtrArray *hs_store_list_sectors           (HsStore     *store,
                                            GError     **error);
gboolean   hs_store_set_symbol_sector      (HsStore     *store,
                                            const char  *symbol,
                                            const char  *etf,
                                            const char  *sector,
                                            GError     **error);
gboolean   hs_store_remove_symbol_sector   (HsStore     *store,
                                            const char  *symbol,
                                            GError     **error);
gboolean   hs_store_lookup_sector_etf      (HsStore     *store,
                                            const char  *symbol,
                                            char       **etf,
                                            GError     **error);
gboolean   hs_store_is_sector_etf          (HsStore     *store,
                                            const char  *etf,
                                            gboolean    *known,
                                            GError     **error);
void       hs_sector_etf_free              (HsSectorEtf *s);

/* A consistent view for a run of reads: opens a read transaction unless one (read or write) is
 * open already; *own says whether hs_store_snapshot_end() must close it. */
gboolean   hs_store_snapshot_begin         (HsStore     *store,
                                            gboolean    *own,
                                            GError     **error);
void       hs_store_snapshot_end           (HsStore     *store,
                                            gboolean     own);

/* Instruments */
HsContextInstrument *hs_store_load_context_instrument (HsStore  *store,
                                                       int64_t   id,
                                                       GError  **error);
void       hs_context_instrument_free      (HsContextInstrument *inst);
gboolean   hs_store_find_symbol            (HsStore     *store,
                                            const char  *symbol,
                                            int64_t     *id,
                                            GError     **error);
GArray    *hs_store_instruments_of_kind    (HsStore     *store,
                                            const char  *kind,
                                            GError     **error);

/* Bars */
HsBars    *hs_store_load_last_bars         (HsStore     *store,
                                            int64_t      instrument_id,
                                            const char  *interval,
                                            int64_t      max_start_ts,
                                            size_t       limit,
                                            GError     **error);
gboolean   hs_store_sum_volume             (HsStore     *store,
                                            int64_t      instrument_id,
                                            const char  *interval,
                                            int64_t      from_ts,
                                            int64_t      max_start_ts,
                                            double      *volume,
                                            int64_t     *n_bars,
                                            GError     **error);

/* Quotes, order book, option quotes: the latest row at or before @at_ts */
gboolean   hs_store_quote_at               (HsStore     *store,
                                            int64_t      instrument_id,
                                            int64_t      at_ts,
                                            HsQuote     *out,
                                            gboolean    *found,
                                            GError     **error);
gboolean   hs_store_book_at                (HsStore     *store,
                                            int64_t      instrument_id,
                                            int64_t      at_ts,
                                            HsBookTop   *out,
                                            gboolean    *found,
                                            GError     **error);
gboolean   hs_store_option_quote_at        (HsStore       *store,
                                            int64_t        instrument_id,
                                            int64_t        at_ts,
                                            HsOptionQuote *out,
                                            gboolean      *found,
                                            GError       **error);

/* Option contracts and their quotes (no importer reads them yet; tests and providers do) */
gboolean   hs_store_set_option_contract    (HsStore     *store,
                                            int64_t      instrument_id,
                                            int64_t      underlying_id,
                                            int64_t      expiry_ts,
                                            double       strike,
                                            const char  *right,
                                            GError     **error);
gboolean   hs_store_insert_option_quote    (HsStore             *store,
                                            int64_t              instrument_id,
                                            const HsOptionQuote *quote,
                                            gboolean            *inserted,
                                            GError             **error);
void       hs_option_quote_init            (HsOptionQuote *quote);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSectorEtf, hs_sector_etf_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsContextInstrument, hs_context_instrument_free)

G_END_DECLS
