/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small test databases through the store API, asserting every step: a database opened (created
 * and migrated), instruments, one bar at a time, and text files to import.
 */
#include "config.h"

#include "hs-test-db.h"

#include <math.h>

/* Returns: (transfer full): @path opened, created and migrated when needed */
HsStore *
hs_test_store_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  HsStore *store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

/* Returns: the id of the instrument, created when missing */
int64_t
hs_test_store_instrument (HsStore    *store,
                          const char *symbol,
                          const char *exchange,
                          const char *kind)
{
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_assert_true (hs_store_ensure_instrument (store, symbol, exchange, kind, &id, &error));
  g_assert_no_error (error);
  return id;
}

/* Stores one bar at @ts closing at @close: open = close, high = close + 1, low = close − 1. */
void
hs_test_store_add_bar (HsStore    *store,
                       int64_t     instrument_id,
                       const char *interval,
                       int64_t     ts,
                       double      close)
{
  g_autoptr(GError) error = NULL;
  HsBar bar = { .ts = ts, .open = close, .high = close + 1, .low = close - 1, .close = close,
                .volume = 100, .vwap = NAN, .trade_count = -1 };

  g_assert_true (hs_store_insert_bar (store, instrument_id, interval, &bar, NULL, &error));
  g_assert_no_error (error);
}

void
hs_test_write_text (const char *path,
                    const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}
