/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing small test databases through the store API (tests/hs-test-db.c), for the tests of
 * the window's jobs and pages.
 */
#pragma once

#include <stdint.h>

#include "hs-store-market.h"

G_BEGIN_DECLS

HsStore *hs_test_store_open       (const char *path);
int64_t  hs_test_store_instrument (HsStore    *store,
                                   const char *symbol,
                                   const char *exchange,
                                   const char *kind);
void     hs_test_store_add_bar    (HsStore    *store,
                                   int64_t     instrument_id,
                                   const char *interval,
                                   int64_t     ts,
                                   double      close);
void     hs_test_write_text       (const char *path,
                                   const char *text);
int64_t  hs_test_count_bars       (const char *db_path,
                                   const char *symbol,
                                   const char *interval);

/* A stored backtest run of SPY 1d and the statistics the window shows. */
typedef struct
{
  const char *strategy;
  const char *status;       /* NULL: completed; "failed" gets an error message */
  int64_t     start_ts, end_ts;
  int64_t     created_at;   /* 0: now */
  double      net_profit, sharpe, max_drawdown;
  int64_t     trades;
} HsTestBtRun;

void     hs_test_store_add_run    (HsStore           *store,
                                   const HsTestBtRun *run);

G_END_DECLS
