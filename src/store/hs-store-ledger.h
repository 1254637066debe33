/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-ledger-records.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* What a write did to its row: new, changed (a re-sent order's status …), or already there. */
typedef enum
{
  HS_LEDGER_PRESENT,
  HS_LEDGER_INSERTED,
  HS_LEDGER_UPDATED,
} HsLedgerChange;

typedef struct
{
  int64_t id;
  int64_t instrument_id;
  int64_t ts;
  double  price;        /* NAN when none */
} HsLedgerSignalRef;

typedef struct
{
  int64_t id;
  int64_t instrument_id;
  int64_t signal_id;    /* 0 when none */
  int64_t parent_id;    /* 0 when none */
  int64_t closes_id;    /* 0 when none */
  int64_t ts;
  int64_t signal_ts;    /* the signal's time, −1 when none */
  char    leg[16];
  char    side[8];
  char    mode[8];
  double  qty;
  double  reference_price, stop_price;   /* NAN when none */
} HsLedgerOrderRef;

/* A row of `ledger list`. */
typedef struct
{
  int64_t id;
  char   *key;          /* (nullable) */
  char   *symbol;
  int64_t ts;
  char   *strategy;
  char   *setup;
  char   *signal_type;
  char   *status;
  double  price, confidence;
  int64_t n_vetoes, n_orders, n_fills;
  char   *trade_status; /* (nullable) the round trip's, when one exists */
  double  net_pnl;
} HsLedgerSignalRow;

/* A row of `ledger risk`. */
typedef struct
{
  char   *day;
  int64_t trades_taken;
  double  r_realized, max_drawdown;
  char   *breach_flags;
  int64_t ledger_trades;   /* trade_ledger round trips entered that UTC day */
  double  ledger_r;        /* their summed R multiples (closed ones with a stop) */
} HsLedgerRiskRow;

gboolean   hs_store_ledger_find_signal   (HsStore               *store,
                                          const char            *key,
                                          HsLedgerSignalRef     *out,
                                          gboolean              *found,
                                          GError               **error);
gboolean   hs_store_ledger_write_signal  (HsStore               *store,
                                          int64_t                instrument_id,
                                          const HsLedgerSignal  *signal,
                                          int64_t               *id,
                                          HsLedgerChange        *change,
                                          GError               **error);
gboolean   hs_store_ledger_write_veto    (HsStore               *store,
                                          int64_t                signal_id,
                                          int64_t                ts,
                                          const HsLedgerVeto    *veto,
                                          HsLedgerChange        *change,
                                          GError               **error);
gboolean   hs_store_ledger_find_order    (HsStore               *store,
                                          const char            *client_order_id,
                                          HsLedgerOrderRef      *out,
                                          gboolean              *found,
                                          GError               **error);
gboolean   hs_store_ledger_get_order     (HsStore               *store,
                                          int64_t                id,
                                          HsLedgerOrderRef      *out,
                                          GError               **error);
gboolean   hs_store_ledger_write_order   (HsStore               *store,
                                          const HsLedgerOrder   *order,
                                          const HsLedgerOrderRef *links,
                                          HsLedgerChange        *change,
                                          GError               **error);
gboolean   hs_store_ledger_find_fill     (HsStore               *store,
                                          int64_t                order_id,
                                          int64_t                fill_seq,
                                          const char            *broker_fill_id,
                                          int64_t               *seq,
                                          gboolean              *found,
                                          GError               **error);
gboolean   hs_store_ledger_write_fill    (HsStore               *store,
                                          int64_t                order_id,
                                          int64_t                fill_seq,
                                          const HsLedgerFill    *fill,
                                          HsLedgerChange        *change,
                                          GError               **error);
gboolean   hs_store_ledger_write_account (HsStore               *store,
                                          const HsLedgerAccount *account,
                                          HsLedgerChange        *change,
                                          GError               **error);
gboolean   hs_store_ledger_write_risk_day (HsStore              *store,
                                           const HsLedgerRiskDay *day,
                                           HsLedgerChange       *change,
                                           GError              **error);

GArray    *hs_store_ledger_order_fills   (HsStore               *store,
                                          int64_t                order_id,
                                          GError               **error);
GArray    *hs_store_ledger_exit_fills    (HsStore               *store,
                                          int64_t                entry_order_id,
                                          double                *stop_price,
                                          GError               **error);
gboolean   hs_store_ledger_paper_trade   (HsStore               *store,
                                          int64_t                signal_id,
                                          int64_t                instrument_id,
                                          int64_t               *paper_trade_id,
                                          GError               **error);
gboolean   hs_store_ledger_write_trade   (HsStore               *store,
                                          const HsLedgerOrderRef *entry,
                                          const char            *mode,
                                          const HsLedgerRoundTrip *trip,
                                          int64_t                paper_trade_id,
                                          HsLedgerChange        *change,
                                          GError               **error);

GPtrArray *hs_store_ledger_list_signals  (HsStore               *store,
                                          const char            *symbol,
                                          int64_t                from_ts,
                                          int64_t                to_ts,
                                          GError               **error);
char      *hs_store_ledger_signal_json   (HsStore               *store,
                                          int64_t                signal_id,
                                          GError               **error);
GPtrArray *hs_store_ledger_list_risk     (HsStore               *store,
                                          GError               **error);
GArray    *hs_store_ledger_recorded      (HsStore               *store,
                                          int64_t                instrument_id,
                                          int64_t                from_ts,
                                          int64_t                to_ts,
                                          const char            *strategy,
                                          GError               **error);
void       hs_ledger_signal_row_free     (HsLedgerSignalRow     *row);
void       hs_ledger_risk_row_free       (HsLedgerRiskRow       *row);

G_END_DECLS
