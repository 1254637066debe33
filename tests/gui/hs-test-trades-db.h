/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A generated database of paper trades with context, reasoning and labels for the Trades page's
 * tests (tests/gui/hs-test-trades-db.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HS_TEST_TRADES_N        500   /* paper trades */
#define HS_TEST_TRADES_OPEN     25    /* of them still open: no exit, no labels */
#define HS_TEST_TRADES_NO_AI    10    /* of them without a reasoning log */

/* Writes the trades into a new database at @path (migrated), from a seeded PRNG: five stocks,
 * entries every 37 minutes from 2024-03-04 14:30Z, every trade with a signals snapshot and a
 * market regime, all but HS_TEST_TRADES_NO_AI with an AI reasoning log (three models, four
 * prompt versions, confidence in half points), the closed ones labeled. The same seed gives the same database. */
void hs_test_trades_db_write   (const char *path,
                                guint32     seed);
void hs_test_trades_db_write_n (const char *path,
                                guint32     seed,
                                int         n);

G_END_DECLS
