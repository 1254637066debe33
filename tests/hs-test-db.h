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

G_END_DECLS
