/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backfill the local HTTP server answers (tests/hs-test-server.h), shared by the CLI's and
 * the window's backfill tests: Coinbase 1m candles of BTC-USDT from 2024-03-13T00:00Z to
 * 12:00Z are three windows of at most 300 bars — 00:00–04:59:59, 05:00–09:59:59, 10:00–12:00.
 * Each answer (Coinbase's shape, [time, low, high, open, close, volume], newest first; values
 * made up for the tests) holds its window's first and last minute: 00:00 is 1710288000, 04:59
 * 1710305940, 05:00 1710306000, 09:59 1710323940, 10:00 1710324000, 12:00 1710331200.
 */
#pragma once

#include "hs-test-server.h"

G_BEGIN_DECLS

/* The three windows' request targets and answers. */
extern const char *const hs_test_backfill_targets[3];
extern const char *const hs_test_backfill_bodies[3];
/* The answers' bars, written out by hand as HS_TEST_BACKFILL_SQL prints them. */
extern const char *const hs_test_backfill_rows;

#define HS_TEST_BACKFILL_SQL \
  "SELECT ts / 1000000, open, high, low, close, volume FROM candles ORDER BY ts"

HsTestServer *hs_test_backfill_server (gboolean stall);

G_END_DECLS
