/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-paper-trade.h"
#include "hs-store.h"

G_BEGIN_DECLS

typedef enum
{
  HS_PAPER_LIST_ALL,
  HS_PAPER_LIST_OPEN,        /* status open */
  HS_PAPER_LIST_CLOSED,      /* status closed or stopped */
  HS_PAPER_LIST_BRACKETED,   /* status open with a stop loss or a take profit */
} HsPaperListFilter;

/* Where a default price came from: the close of a bar, or a trade print. */
typedef struct
{
  double  price;
  int64_t ts;          /* when the price was known: a bar's end, a trade's time */
  char    interval[8]; /* the bar's interval; "" for a trade from the trades table */
} HsPricePoint;

gboolean      hs_store_paper_write_begin    (HsStore      *store,
                                             gboolean     *own,
                                             GError      **error);
gboolean      hs_store_paper_write_end      (HsStore      *store,
                                             gboolean      own,
                                             gboolean      ok,
                                             GError      **error);
gboolean      hs_store_paper_resolve_symbol (HsStore      *store,
                                             const char   *symbol,
                                             const char   *exchange,
                                             int64_t      *instrument_id,
                                             GError      **error);
gboolean      hs_store_paper_signal_exists  (HsStore      *store,
                                             int64_t       signal_id,
                                             gboolean     *exists,
                                             GError      **error);
gboolean      hs_store_paper_last_price     (HsStore      *store,
                                             int64_t       instrument_id,
                                             int64_t       at,
                                             gboolean     *found,
                                             HsPricePoint *point,
                                             GError      **error);
gboolean      hs_store_paper_finest_interval (HsStore     *store,
                                              int64_t      instrument_id,
                                              int64_t      from_ts,
                                              const char **interval,
                                              GError     **error);

gboolean      hs_store_paper_insert         (HsStore      *store,
                                             HsPaperTrade *trade,
                                             GError      **error);
gboolean      hs_store_paper_update         (HsStore            *store,
                                             const HsPaperTrade *trade,
                                             GError            **error);
gboolean      hs_store_paper_find           (HsStore      *store,
                                             int64_t       instrument_id,
                                             HsPaperSide   side,
                                             int64_t       entry_ts,
                                             int64_t      *id,
                                             GError      **error);
HsPaperTrade *hs_store_paper_load           (HsStore      *store,
                                             int64_t       id,
                                             GError      **error);
GPtrArray    *hs_store_paper_list           (HsStore           *store,
                                             HsPaperListFilter  filter,
                                             int64_t            instrument_id,
                                             GError           **error);
GArray       *hs_store_paper_bracketed_instruments (HsStore *store,
                                                    GError **error);

G_END_DECLS
