/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live streaming (issue 6, item 4): the local order book against a naive reference, CRC32
 * against its published check value and a bit-by-bit reference, Kraken's book checksum against
 * a recorded Kraken book with its checksums, the Coinbase and Kraken frame parsers against the
 * recorded fixtures (values read off the files by hand), and the stream job against the local
 * WebSocket server (tests/hs-test-ws-server.c) replaying scripts with deliberate gaps: the gap
 * is recorded with its exact range, the resync callback runs, later updates apply, and the rows
 * stored are exactly the expected ones, without duplicates. Every expected number is worked out
 * in the comments beside it.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-book.h"
#include "hs-json-records.h"
#include "hs-store-stream.h"
#include "hs-store.h"
#include "hs-stream.h"
#include "hs-test-sql.h"
#include "hs-test-ws-server.h"
#include "hs-time.h"
#include "hs-ws-coinbase.h"
#include "hs-ws-kraken.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static char *
fixture_text (const char *name,
              size_t     *len)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "fixtures", name, NULL);
  char *text = NULL;
  gsize n = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, &n, &error);
  g_assert_no_error (error);
  *len = n;
  return text;
}

/* Microseconds of a UTC time, through GDateTime (independent of hs_time_parse). */
static int64_t
utc_us (int    year,
        int    month,
        int    day,
        int    hour,
        int    minute,
        int    second,
        int    micro)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + micro;
}

static void
assert_level (GArray *levels,
              guint   i,
              double  price,
              double  size)
{
  g_assert_cmpuint (i, <, levels->len);
  g_assert_cmpfloat (g_array_index (levels, HsLevel, i).price, ==, price);
  g_assert_cmpfloat (g_array_index (levels, HsLevel, i).size, ==, size);
}

static char *tmpdir;

static char *
temp_db (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* ---- order book --------------------------------------------------------------------------- */

/* The naive reference: an unsorted list of (price, size), searched linearly; the best levels
 * found by sorting a copy. */
typedef struct
{
  double price, size;
} RefLevel;

static void
ref_set (GArray *side,
         double  price,
         double  size)
{
  for (guint i = 0; i < side->len; i++)
    if (g_array_index (side, RefLevel, i).price == price)
      {
        if (size == 0)
          g_array_remove_index (side, i);
        else
          g_array_index (side, RefLevel, i).size = size;
        return;
      }
  if (size > 0)
    {
      RefLevel l = { price, size };

      g_array_append_val (side, l);
    }
}

static int
ref_cmp_desc (gconstpointer a,
              gconstpointer b)
{
  double x = ((const RefLevel *) a)->price, y = ((const RefLevel *) b)->price;

  return (x < y) - (x > y);
}

static int
ref_cmp_asc (gconstpointer a,
             gconstpointer b)
{
  return -ref_cmp_desc (a, b);
}

static void
test_book_reference (void)
{
  g_autoptr(HsBook) book = hs_book_new ();
  g_autoptr(GArray) ref_bids = g_array_new (FALSE, FALSE, sizeof (RefLevel));
  g_autoptr(GArray) ref_asks = g_array_new (FALSE, FALSE, sizeof (RefLevel));
  GArray *ref[2] = { ref_bids, ref_asks };
  GRand *rand = g_rand_new_with_seed (6);

  /* 20,000 random changes on 200 possible prices per side (a third of them removals),
   * compared level by level with the reference after every 100. */
  for (int step = 0; step < 20000; step++)
    {
      HsBookSide side = g_rand_boolean (rand) ? HS_BOOK_BID : HS_BOOK_ASK;
      double price = (side == HS_BOOK_BID ? 100.0 : 120.0) + 0.5 * g_rand_int_range (rand, 0,
                                                                                     200);
      double size = g_rand_int_range (rand, 0, 3) == 0 ? 0 : g_rand_double_range (rand, 0.1, 9);
      g_autoptr(GError) error = NULL;

      g_assert_true (hs_book_set (book, side, price, size, &error));
      g_assert_no_error (error);
      ref_set (ref[side], price, size);
      if (step % 100 == 99)
        for (int s = 0; s < 2; s++)
          {
            g_autoptr(GArray) sorted = g_array_copy (ref[s]);

            g_array_sort (sorted, s == HS_BOOK_BID ? ref_cmp_desc : ref_cmp_asc);
            g_assert_cmpuint (hs_book_n_levels (book, s), ==, sorted->len);
            for (guint i = 0; i < sorted->len; i++)
              {
                HsLevel l = hs_book_get_level (book, s, i);

                g_assert_cmpfloat (l.price, ==, g_array_index (sorted, RefLevel, i).price);
                g_assert_cmpfloat (l.size, ==, g_array_index (sorted, RefLevel, i).size);
              }
          }
    }
  g_rand_free (rand);
}

/* hs_book_load() against its definition: clearing the side and setting the levels one by one
 * in order (a later level at a price replaces an earlier one, a size of 0 removes it). */
static void
test_book_load (void)
{
  GRand *rand = g_rand_new_with_seed (41);

  for (int t = 0; t < 200; t++)
    {
      g_autoptr(HsBook) loaded = hs_book_new ();
      g_autoptr(HsBook) stepwise = hs_book_new ();
      g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (HsLevel));
      HsBookSide side = t % 2 ? HS_BOOK_BID : HS_BOOK_ASK;
      int n = g_rand_int_range (rand, 0, 300);
      g_autoptr(GError) error = NULL;

      /* something already on the side, which a load replaces */
      g_assert_true (hs_book_set (loaded, side, 1.5, 1, NULL));
      for (int i = 0; i < n; i++)
        {
          HsLevel l = { 10 + 0.25 * g_rand_int_range (rand, 0, 60),
                        g_rand_int_range (rand, 0, 4) == 0 ? 0 : g_rand_int_range (rand, 1, 9) };

          g_array_append_val (levels, l);
          g_assert_true (hs_book_set (stepwise, side, l.price, l.size, NULL));
        }
      g_assert_true (hs_book_load (loaded, side, (HsLevel *) levels->data, levels->len, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (hs_book_n_levels (loaded, side), ==, hs_book_n_levels (stepwise, side));
      for (size_t i = 0; i < hs_book_n_levels (loaded, side); i++)
        {
          g_assert_cmpfloat (hs_book_get_level (loaded, side, i).price, ==,
                             hs_book_get_level (stepwise, side, i).price);
          g_assert_cmpfloat (hs_book_get_level (loaded, side, i).size, ==,
                             hs_book_get_level (stepwise, side, i).size);
        }
    }
  g_rand_free (rand);

  {
    g_autoptr(HsBook) book = hs_book_new ();
    g_autoptr(GError) error = NULL;
    HsLevel bad[2] = { { 10, 1 }, { -1, 1 } };

    g_assert_true (hs_book_set (book, HS_BOOK_BID, 9, 1, NULL));
    g_assert_false (hs_book_load (book, HS_BOOK_BID, bad, 2, &error));
    g_assert_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE);
    g_assert_cmpuint (hs_book_n_levels (book, HS_BOOK_BID), ==, 1);
  }
}

static void
test_book_basics (void)
{
  g_autoptr(HsBook) book = hs_book_new ();
  g_autoptr(HsBook) copy = hs_book_new ();
  g_autoptr(GError) error = NULL;
  HsBookSnapshot snap = { 0 };
  HsLevel top[4];

  /* bids 10 (x1), 9 (x2), 11 (x3); asks 12 (x4), 13 (x5): best bid 11, best ask 12 */
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 10, 1, NULL));
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 9, 2, NULL));
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 11, 3, NULL));
  g_assert_true (hs_book_set (book, HS_BOOK_ASK, 13, 5, NULL));
  g_assert_true (hs_book_set (book, HS_BOOK_ASK, 12, 4, NULL));
  g_assert_cmpuint (hs_book_top (book, HS_BOOK_BID, top, 4), ==, 3);
  g_assert_cmpfloat (top[0].price, ==, 11);
  g_assert_cmpfloat (top[1].price, ==, 10);
  g_assert_cmpfloat (top[2].price, ==, 9);
  g_assert_cmpuint (hs_book_top (book, HS_BOOK_ASK, top, 1), ==, 1);
  g_assert_cmpfloat (top[0].price, ==, 12);
  g_assert_false (hs_book_is_crossed (book));

  /* A size of 0 removes; an unknown level with size 0 changes nothing. */
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 10, 0, NULL));
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 10.5, 0, NULL));
  g_assert_cmpuint (hs_book_n_levels (book, HS_BOOK_BID), ==, 2);

  /* Refused values leave the book unchanged. */
  g_assert_false (hs_book_set (book, HS_BOOK_BID, -1, 1, &error));
  g_assert_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (hs_book_set (book, HS_BOOK_ASK, 14, NAN, &error));
  g_assert_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_cmpuint (hs_book_n_levels (book, HS_BOOK_ASK), ==, 2);

  /* Snapshot of the top 1: bid 11 x3, ask 12 x4: spread 1, spread % = 100 × 1 / 11.5,
   * imbalance = 100 × (3 − 4) / 7. */
  g_assert_true (hs_book_snapshot (book, 1, &snap, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (snap.best_bid, ==, 11);
  g_assert_cmpfloat (snap.best_ask, ==, 12);
  g_assert_cmpfloat_with_epsilon (snap.spread_pct, 100.0 / 11.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (snap.imbalance, -100.0 / 7, 1e-12);
  g_assert_cmpstr (snap.bids_json, ==, "[[11,3]]");
  g_assert_cmpstr (snap.asks_json, ==, "[[12,4]]");
  hs_book_snapshot_clear (&snap);

  /* Truncation keeps the best levels; a copy is equal. */
  hs_book_copy_from (copy, book);
  hs_book_truncate (book, 1);
  g_assert_cmpuint (hs_book_n_levels (book, HS_BOOK_BID), ==, 1);
  g_assert_cmpfloat (hs_book_get_level (book, HS_BOOK_BID, 0).price, ==, 11);
  g_assert_cmpfloat (hs_book_get_level (book, HS_BOOK_ASK, 0).price, ==, 12);
  g_assert_cmpuint (hs_book_n_levels (copy, HS_BOOK_BID), ==, 2);

  /* A bid at the best ask crosses the book, which a snapshot refuses. */
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 12.5, 1, NULL));
  g_assert_true (hs_book_is_crossed (book));
  g_assert_false (hs_book_snapshot (book, 5, &snap, &error));
  g_assert_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE);
  hs_book_snapshot_clear (&snap);

  hs_book_clear (book);
  g_assert_cmpuint (hs_book_n_levels (book, HS_BOOK_BID), ==, 0);
}

/* The reference CRC-32: bit by bit, the reflected polynomial 0xEDB88320. */
static uint32_t
crc32_bitwise (const char *s,
               size_t      len)
{
  uint32_t c = 0xFFFFFFFFu;

  for (size_t i = 0; i < len; i++)
    {
      c ^= (unsigned char) s[i];
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
  return ~c;
}

static void
test_crc32 (void)
{
  GRand *rand = g_rand_new_with_seed (32);

  /* The check value of CRC-32/ISO-HDLC (zlib's crc32) over "123456789" is 0xCBF43926. */
  g_assert_cmphex (hs_crc32 ("123456789", 9), ==, 0xCBF43926u);
  g_assert_cmphex (hs_crc32 ("", 0), ==, 0);
  for (int t = 0; t < 200; t++)
    {
      char buf[300];
      size_t len = (size_t) g_rand_int_range (rand, 0, sizeof buf);

      for (size_t i = 0; i < len; i++)
        buf[i] = (char) g_rand_int_range (rand, 0, 256);
      g_assert_cmphex (hs_crc32 (buf, len), ==, crc32_bitwise (buf, len));
    }
  g_rand_free (rand);
}

/* The real ALGO/USD book Kraken sent on 2024-10-03 (tests/data/fixtures/kraken/
 * ws_v2_book_ALGO-USD_*_live.json): its levels as the wire wrote them. */
static const char *algo_bids[][2] = {
  { "0.12291", "27039.62776299" }, { "0.12290", "8136.33288180" },
  { "0.12287", "10984.20817349" }, { "0.12283", "28027.05025639" },
  { "0.12280", "9705.60000000" }, { "0.12279", "15215.53522714" },
  { "0.12275", "4067.00000000" }, { "0.12274", "30639.39949109" },
  { "0.12268", "2531.96119986" }, { "0.12267", "16299.00000000" },
};
static const char *algo_asks[][2] = {
  { "0.12307", "600.00000000" }, { "0.12308", "4042.11919517" },
  { "0.12312", "10284.53891000" }, { "0.12314", "16155.08885299" },
  { "0.12315", "5186.05778473" }, { "0.12316", "32828.24000000" },
  { "0.12317", "7751.65718582" }, { "0.12318", "32298.82000000" },
  { "0.12319", "1864.66899600" }, { "0.12322", "4718.99755630" },
};

/* Kraken's rule written out on the wire text: drop the point, then the leading zeros. */
static void
append_wire (GString    *s,
             const char *text)
{
  gboolean leading = TRUE;

  for (const char *p = text; *p; p++)
    {
      if (*p == '.' || (leading && *p == '0'))
        continue;
      leading = FALSE;
      g_string_append_c (s, *p);
    }
}

/* The checksum text of the ALGO/USD book with bid @changed_price set to @changed_qty (both as
 * wire text), built from the strings above rather than from doubles. */
static char *
algo_checksum_text (const char *changed_price,
                    const char *changed_qty)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (algo_asks); i++)
    {
      append_wire (s, algo_asks[i][0]);
      append_wire (s, algo_asks[i][1]);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (algo_bids); i++)
    {
      gboolean changed = changed_price != NULL && g_str_equal (algo_bids[i][0], changed_price);

      append_wire (s, algo_bids[i][0]);
      append_wire (s, changed ? changed_qty : algo_bids[i][1]);
    }
  return g_string_free (s, FALSE);
}

static void
load_algo_book (HsBook *book)
{
  for (size_t i = 0; i < G_N_ELEMENTS (algo_bids); i++)
    {
      g_assert_true (hs_book_set (book, HS_BOOK_BID, g_ascii_strtod (algo_bids[i][0], NULL),
                                  g_ascii_strtod (algo_bids[i][1], NULL), NULL));
      g_assert_true (hs_book_set (book, HS_BOOK_ASK, g_ascii_strtod (algo_asks[i][0], NULL),
                                  g_ascii_strtod (algo_asks[i][1], NULL), NULL));
    }
}

static void
test_kraken_checksum (void)
{
  g_autoptr(HsBook) book = hs_book_new ();
  g_autoptr(HsBook) docs = hs_book_new ();
  g_autofree char *want = algo_checksum_text (NULL, NULL);
  g_autofree char *got = NULL;
  g_autofree char *docs_text = NULL;

  /* Kraken's documentation: ask 45285.2 × 0.00100000 (price precision 1, quantity 8) gives
   * "452852" + "100000". */
  g_assert_true (hs_book_set (docs, HS_BOOK_ASK, 45285.2, 0.001, NULL));
  docs_text = hs_book_kraken_checksum_text (docs, 1, 8);
  g_assert_cmpstr (docs_text, ==, "452852100000");

  /* The recorded snapshot: ALGO/USD has 5 price and 8 quantity decimals; Kraken sent
   * checksum 2375857985 with it. The text starts with the best ask: "0.12307" → "12307",
   * "600.00000000" → "60000000000". */
  load_algo_book (book);
  got = hs_book_kraken_checksum_text (book, 5, 8);
  g_assert_cmpstr (got, ==, want);
  g_assert_true (g_str_has_prefix (got, "12307" "60000000000" "12308" "404211919517"));
  g_assert_cmpuint (hs_crc32 (want, strlen (want)), ==, 2375857985u);
  g_assert_cmpuint (hs_book_kraken_checksum (book, 5, 8), ==, 2375857985u);

  /* The recorded update: bid 0.12275 → 6597.51731160, sent with checksum 1100635717. */
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 0.12275, 6597.5173116, NULL));
  g_clear_pointer (&want, g_free);
  want = algo_checksum_text ("0.12275", "6597.51731160");
  g_assert_cmpuint (crc32_bitwise (want, strlen (want)), ==, 1100635717u);
  g_assert_cmpuint (hs_book_kraken_checksum (book, 5, 8), ==, 1100635717u);

  /* Only the top ten levels count: an eleventh bid below them changes nothing. */
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 0.12200, 5, NULL));
  g_assert_cmpuint (hs_book_kraken_checksum (book, 5, 8), ==, 1100635717u);
}

/* ---- parsers ------------------------------------------------------------------------------ */

static void
test_parse_coinbase_l2 (void)
{
  size_t len;
  g_autofree char *snap_text = fixture_text ("coinbase/advanced_ws_l2_data_snapshot.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsWsFrame) frame = hs_ws_coinbase_parse (snap_text, len, &error);
  g_autofree char *update_text = NULL;
  HsWsEvent *event;

  /* advanced_ws_l2_data_snapshot.json: sequence_num 0, timestamp 2026-04-07T14:30:00.123456Z,
   * one snapshot event for BTC-USD, bids 68900.00×1.5, 68899.50×0.75, 68899.00×2.3, offers
   * 68901.00×0.5, 68901.50×1.2, 68902.00×0.8, in file order. */
  g_assert_no_error (error);
  g_assert_cmpint (frame->kind, ==, HS_WS_FRAME_DATA);
  g_assert_cmpstr (frame->channel, ==, "l2_data");
  g_assert_cmpint (frame->sequence, ==, 0);
  g_assert_cmpint (frame->ts, ==, utc_us (2026, 4, 7, 14, 30, 0, 123456));
  g_assert_cmpuint (frame->events->len, ==, 1);
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpint (event->kind, ==, HS_WS_EVENT_BOOK_SNAPSHOT);
  g_assert_cmpstr (event->symbol, ==, "BTC-USD");
  g_assert_cmpuint (event->bids->len, ==, 3);
  g_assert_cmpuint (event->asks->len, ==, 3);
  assert_level (event->bids, 0, 68900.0, 1.5);
  assert_level (event->bids, 2, 68899.0, 2.3);
  assert_level (event->asks, 0, 68901.0, 0.5);
  assert_level (event->asks, 2, 68902.0, 0.8);
  g_assert_false (event->has_checksum);
  g_clear_pointer (&frame, hs_ws_frame_free);

  /* advanced_ws_l2_data_update.json: sequence_num 1, bid 68900.00 → 2.0, offer 68901.00 → 0
   * (removed). */
  update_text = fixture_text ("coinbase/advanced_ws_l2_data_update.json", &len);
  frame = hs_ws_coinbase_parse (update_text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (frame->sequence, ==, 1);
  g_assert_cmpint (frame->ts, ==, utc_us (2026, 4, 7, 14, 30, 1, 456789));
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpint (event->kind, ==, HS_WS_EVENT_BOOK_UPDATE);
  g_assert_cmpuint (event->bids->len, ==, 1);
  g_assert_cmpuint (event->asks->len, ==, 1);
  assert_level (event->bids, 0, 68900.0, 2.0);
  assert_level (event->asks, 0, 68901.0, 0.0);
}

static void
test_parse_coinbase_trades (void)
{
  size_t len;
  g_autofree char *text = fixture_text ("coinbase/advanced_ws_market_trades.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsWsFrame) frame = hs_ws_coinbase_parse (text, len, &error);
  HsWsEvent *event;
  HsTrade *t;

  /* advanced_ws_market_trades.json: sequence_num 5; trade 995098700 BUY 0.0015 @ 68900.50 at
   * 14:30:02.789012, trade 995098701 SELL 0.05 @ 68900.00 at 14:30:02.800000. "side" is the
   * maker's: the taker of the first sold (−1), of the second bought (+1). */
  g_assert_no_error (error);
  g_assert_cmpint (frame->sequence, ==, 5);
  g_assert_cmpuint (frame->events->len, ==, 1);
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpint (event->kind, ==, HS_WS_EVENT_TRADES);
  g_assert_cmpstr (event->symbol, ==, "BTC-USD");
  g_assert_cmpuint (event->trades->len, ==, 2);
  t = &g_array_index (event->trades, HsTrade, 0);
  g_assert_cmpstr (t->trade_id, ==, "995098700");
  g_assert_cmpfloat (t->price, ==, 68900.5);
  g_assert_cmpfloat (t->size, ==, 0.0015);
  g_assert_cmpint (t->side, ==, HS_SIDE_SELL);
  g_assert_cmpint (t->ts, ==, utc_us (2026, 4, 7, 14, 30, 2, 789012));
  t = &g_array_index (event->trades, HsTrade, 1);
  g_assert_cmpstr (t->trade_id, ==, "995098701");
  g_assert_cmpfloat (t->size, ==, 0.05);
  g_assert_cmpint (t->side, ==, HS_SIDE_BUY);
  g_assert_cmpint (t->ts, ==, utc_us (2026, 4, 7, 14, 30, 2, 800000));
}

static void
test_parse_coinbase_exchange (void)
{
  const char *match = "{\"type\":\"match\",\"trade_id\":10,\"sequence\":50,"
                      "\"maker_order_id\":\"ac928c66\",\"taker_order_id\":\"132fb6ae\","
                      "\"time\":\"2014-11-07T08:19:27.028459Z\",\"product_id\":\"BTC-USD\","
                      "\"size\":\"5.23512\",\"price\":\"400.23\",\"side\":\"sell\"}";
  const char *update = "{\"type\":\"l2update\",\"product_id\":\"BTC-USD\","
                       "\"time\":\"2019-08-14T20:42:27.265Z\","
                       "\"changes\":[[\"buy\",\"10101.80000000\",\"0.162567\"],"
                       "[\"sell\",\"10102.00\",\"0\"]]}";
  const char *big_id = "{\"type\":\"match\",\"trade_id\":9007199254740993,\"side\":\"buy\","
                       "\"size\":\"1\",\"price\":\"1\",\"product_id\":\"X\","
                       "\"time\":\"2024-01-01T00:00:00Z\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HsWsFrame) frame = hs_ws_coinbase_parse (match, strlen (match), &error);
  HsWsEvent *event;
  HsTrade *t;

  /* The match of Coinbase's Exchange documentation: maker side "sell", so the taker bought. */
  g_assert_no_error (error);
  g_assert_cmpint (frame->sequence, ==, -1);
  event = g_ptr_array_index (frame->events, 0);
  t = &g_array_index (event->trades, HsTrade, 0);
  g_assert_cmpstr (t->trade_id, ==, "10");
  g_assert_cmpfloat (t->price, ==, 400.23);
  g_assert_cmpfloat (t->size, ==, 5.23512);
  g_assert_cmpint (t->side, ==, HS_SIDE_BUY);
  g_assert_cmpint (t->ts, ==, utc_us (2014, 11, 7, 8, 19, 27, 28459));
  g_clear_pointer (&frame, hs_ws_frame_free);

  frame = hs_ws_coinbase_parse (update, strlen (update), &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpint (event->kind, ==, HS_WS_EVENT_BOOK_UPDATE);
  assert_level (event->bids, 0, 10101.8, 0.162567);
  assert_level (event->asks, 0, 10102.0, 0);
  g_clear_pointer (&frame, hs_ws_frame_free);

  /* 2^53 + 1 survives: ids are read as integers, never through a double. */
  frame = hs_ws_coinbase_parse (big_id, strlen (big_id), &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpstr (g_array_index (event->trades, HsTrade, 0).trade_id, ==, "9007199254740993");
}

/* Frames that must be refused, each with the reason naming the member. */
static void
test_parse_refused (void)
{
  static const struct
  {
    gboolean    kraken;
    const char *text;
    const char *reason;
  } cases[] = {
    { FALSE, "not json", "not JSON" },
    { FALSE, "[1,2]", "not a JSON object" },
    { FALSE, "{\"foo\":1}", "neither “channel” nor “type”" },
    { FALSE, "{\"channel\":\"l2_data\",\"timestamp\":\"2026-04-07T14:30:00Z\","
             "\"events\":[]}", "“sequence_num” is missing" },
    { FALSE, "{\"channel\":\"l2_data\",\"sequence_num\":\"x\",\"events\":[]}",
      "“sequence_num” is not an integer" },
    { FALSE, "{\"channel\":\"l2_data\",\"sequence_num\":3,\"events\":[{\"type\":\"update\","
             "\"product_id\":\"BTC-USD\",\"updates\":[{\"side\":\"bid\","
             "\"price_level\":\"abc\",\"new_quantity\":\"1\"}]}]}",
      "events[0]: updates[0]: “price_level” is not a number" },
    { FALSE, "{\"channel\":\"l2_data\",\"sequence_num\":3,\"events\":[{\"type\":\"update\","
             "\"updates\":[{\"side\":\"middle\",\"price_level\":\"1\",\"new_quantity\":\"1\"}]}]}",
      "events[0]: updates[0]: “side” must be bid or offer" },
    { FALSE, "{\"channel\":\"l2_data\",\"sequence_num\":3,\"events\":[{\"type\":\"update\","
             "\"updates\":[{\"side\":\"bid\",\"price_level\":\"1\",\"new_quantity\":\"-2\"}]}]}",
      "events[0]: updates[0]: size must be zero or more, not -2" },
    { FALSE, "{\"channel\":\"market_trades\",\"sequence_num\":3,\"events\":[{\"type\":"
             "\"update\",\"trades\":[{\"trade_id\":\"12a\",\"price\":\"1\",\"size\":\"1\","
             "\"side\":\"BUY\",\"time\":\"2026-04-07T14:30:00Z\"}]}]}",
      "events[0]: trades[0]: “trade_id” is not an integer" },
    { FALSE, "{\"type\":\"match\",\"trade_id\":1,\"price\":\"0\",\"size\":\"1\","
             "\"side\":\"buy\"}", "“price” must be positive" },
    { TRUE, "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            "\"bids\":[{\"price\":1.5}],\"asks\":[],\"checksum\":1}]}",
      "data[0]: bids[0]: “qty” is missing" },
    { TRUE, "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            "\"bids\":[],\"asks\":[],\"checksum\":-5}]}",
      "data[0]: “checksum” is not a 32-bit unsigned number" },
    { TRUE, "{\"channel\":\"book\",\"type\":\"delta\",\"data\":[]}",
      "“type” must be snapshot or update" },
    { TRUE, "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
            "\"side\":\"up\",\"price\":1,\"qty\":1,\"trade_id\":5,"
            "\"timestamp\":\"2024-01-01T00:00:00Z\"}]}",
      "data[0]: “side” must be buy or sell" },
    { TRUE, "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[1]}",
      "data[0] is not an object" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsWsFrame) frame = cases[i].kraken
                                   ? hs_ws_kraken_parse (cases[i].text, strlen (cases[i].text),
                                                         &error)
                                   : hs_ws_coinbase_parse (cases[i].text,
                                                           strlen (cases[i].text), &error);

      g_test_message ("case %zu: %s", i, cases[i].text);
      g_assert_null (frame);
      g_assert_nonnull (error);
      g_assert_true (error->domain == HS_JSON_ERROR);
      g_assert_nonnull (strstr (error->message, cases[i].reason));
    }
}

static void
test_parse_kraken (void)
{
  size_t len;
  g_autofree char *mock = fixture_text ("kraken/ws_v2_book_snapshot.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsWsFrame) frame = hs_ws_kraken_parse (mock, len, &error);
  g_autofree char *live = NULL;
  const char *trade = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":"
                      "\"MATIC/USD\",\"side\":\"sell\",\"price\":0.5117,\"qty\":40.0,"
                      "\"ord_type\":\"market\",\"trade_id\":4665906,"
                      "\"timestamp\":\"2023-09-25T07:49:37.708706Z\"},{\"symbol\":"
                      "\"MATIC/USD\",\"side\":\"buy\",\"price\":0.5118,\"qty\":2.5,"
                      "\"ord_type\":\"limit\",\"trade_id\":4665905,"
                      "\"timestamp\":\"2023-09-25T07:49:37.708000Z\"}]}";
  const char *failed = "{\"method\":\"subscribe\",\"success\":false,"
                       "\"error\":\"Currency pair not supported\",\"symbol\":\"XX/YY\"}";
  HsWsEvent *event;
  HsTrade *t;

  /* ws_v2_book_snapshot.json (a mock): BTC/USD, bids 105944.20×0.136, 105935.40×0.024,
   * 105920.10×0.052, asks 105944.30×0.136, 105946.90×0.095, 105955.80×0.003, checksum
   * 2439117997, timestamp 2023-10-06T17:35:55.440295Z. Its numbers are written with 2 price
   * and 3 quantity decimals. (The mock's checksums are not those of its levels under any
   * precision: they are shapes, not Kraken's numbers; the live ALGO/USD book is checked.) */
  g_assert_no_error (error);
  g_assert_cmpint (frame->kind, ==, HS_WS_FRAME_DATA);
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpint (event->kind, ==, HS_WS_EVENT_BOOK_SNAPSHOT);
  g_assert_cmpstr (event->symbol, ==, "BTC/USD");
  g_assert_cmpuint (event->bids->len, ==, 3);
  assert_level (event->bids, 0, 105944.20, 0.136);
  assert_level (event->bids, 2, 105920.10, 0.052);
  assert_level (event->asks, 1, 105946.90, 0.095);
  g_assert_true (event->has_checksum);
  g_assert_cmpuint (event->checksum, ==, 2439117997u);
  g_assert_cmpint (event->ts, ==, utc_us (2023, 10, 6, 17, 35, 55, 440295));
  g_assert_cmpint (event->price_decimals, ==, 2);
  g_assert_cmpint (event->qty_decimals, ==, 3);
  g_clear_pointer (&frame, hs_ws_frame_free);

  /* The live ALGO/USD snapshot: 5 price decimals ("0.12290"), 8 quantity decimals. */
  live = fixture_text ("kraken/ws_v2_book_ALGO-USD_snapshot_live.json", &len);
  frame = hs_ws_kraken_parse (live, len, &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpuint (event->bids->len, ==, 10);
  g_assert_cmpuint (event->asks->len, ==, 10);
  g_assert_cmpuint (event->checksum, ==, 2375857985u);
  g_assert_cmpint (event->price_decimals, ==, 5);
  g_assert_cmpint (event->qty_decimals, ==, 8);
  g_assert_cmpint (event->ts, ==, 0);
  g_clear_pointer (&frame, hs_ws_frame_free);

  /* Trades: Kraken's side is the taker's; sorted by trade id. */
  frame = hs_ws_kraken_parse (trade, strlen (trade), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frame->events->len, ==, 1);
  event = g_ptr_array_index (frame->events, 0);
  g_assert_cmpstr (event->symbol, ==, "MATIC/USD");
  t = &g_array_index (event->trades, HsTrade, 0);
  g_assert_cmpstr (t->trade_id, ==, "4665905");
  g_assert_cmpint (t->side, ==, HS_SIDE_BUY);
  g_assert_cmpfloat (t->size, ==, 2.5);
  t = &g_array_index (event->trades, HsTrade, 1);
  g_assert_cmpstr (t->trade_id, ==, "4665906");
  g_assert_cmpint (t->side, ==, HS_SIDE_SELL);
  g_assert_cmpint (t->ts, ==, utc_us (2023, 9, 25, 7, 49, 37, 708706));
  g_clear_pointer (&frame, hs_ws_frame_free);

  /* A refused subscription is an error frame; a heartbeat is a heartbeat. */
  frame = hs_ws_kraken_parse (failed, strlen (failed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (frame->kind, ==, HS_WS_FRAME_ERROR);
  g_assert_cmpstr (frame->error, ==, "subscribe failed: Currency pair not supported");
  g_clear_pointer (&frame, hs_ws_frame_free);
  frame = hs_ws_kraken_parse ("{\"channel\":\"heartbeat\"}", 23, &error);
  g_assert_no_error (error);
  g_assert_cmpint (frame->kind, ==, HS_WS_FRAME_HEARTBEAT);
}

static void
test_subscriptions (void)
{
  g_autoptr(GPtrArray) adv = hs_ws_coinbase_subscribe (HS_WS_COINBASE_ADVANCED, "BTC-USD");
  g_autoptr(GPtrArray) exch = hs_ws_coinbase_subscribe (HS_WS_COINBASE_EXCHANGE, "BTC-USD");
  g_autoptr(GPtrArray) again = hs_ws_coinbase_resubscribe_book (HS_WS_COINBASE_ADVANCED,
                                                                "BTC-USD");
  g_autoptr(GPtrArray) kraken = hs_ws_kraken_subscribe ("BTC/USD", 10);
  g_autoptr(GPtrArray) kagain = hs_ws_kraken_resubscribe_book ("BTC/USD", 25);

  /* Advanced Trade: one channel per message (its documentation). */
  g_assert_cmpuint (adv->len, ==, 3);
  g_assert_cmpstr (adv->pdata[0], ==,
                   "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channel\":\"level2\"}");
  g_assert_cmpstr (adv->pdata[1], ==, "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],"
                                      "\"channel\":\"market_trades\"}");
  g_assert_cmpstr (adv->pdata[2], ==, "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],"
                                      "\"channel\":\"heartbeats\"}");
  g_assert_cmpuint (exch->len, ==, 1);
  g_assert_cmpstr (exch->pdata[0], ==, "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],"
                   "\"channels\":[\"level2_batch\",\"matches\",\"heartbeat\"]}");
  g_assert_cmpuint (again->len, ==, 2);
  g_assert_cmpstr (again->pdata[0], ==, "{\"type\":\"unsubscribe\",\"product_ids\":"
                                        "[\"BTC-USD\"],\"channel\":\"level2\"}");
  g_assert_cmpstr (kraken->pdata[0], ==, "{\"method\":\"subscribe\",\"params\":{\"channel\":"
                                         "\"book\",\"symbol\":[\"BTC/USD\"],\"depth\":10}}");
  g_assert_cmpstr (kraken->pdata[1], ==, "{\"method\":\"subscribe\",\"params\":{\"channel\":"
                                         "\"trade\",\"symbol\":[\"BTC/USD\"]}}");
  g_assert_cmpstr (kagain->pdata[0], ==, "{\"method\":\"unsubscribe\",\"params\":{\"channel\":"
                                         "\"book\",\"symbol\":[\"BTC/USD\"],\"depth\":25}}");
  g_assert_cmpstr (kagain->pdata[1], ==, "{\"method\":\"subscribe\",\"params\":{\"channel\":"
                                         "\"book\",\"symbol\":[\"BTC/USD\"],\"depth\":25}}");
}

/* ---- the stream against the local server -------------------------------------------------- */

typedef struct
{
  GCancellable *cancellable;
  int64_t       stop_after;       /* cancel when this many messages have been handled */
  int           book_calls;
  int           trade_calls;
  char         *book_symbol;
  int64_t       fill_first, fill_last;
  gboolean      fail_book;
  /* for the asynchronous tests */
  gint          flag;             /* (atomic) */
  int64_t       flag_failures;    /* raise flag at this many connect failures */
  gboolean      finished;
  gboolean      ok;
  HsStreamStats stats;
  GError       *error;
} Run;

static void
progress_cb (const HsStreamStats *stats,
             gpointer             data)
{
  Run *run = data;

  if (run->stop_after > 0 && stats->messages >= run->stop_after)
    g_cancellable_cancel (run->cancellable);
  if (run->flag_failures > 0 && stats->connect_failures >= run->flag_failures)
    {
      g_atomic_int_set (&run->flag, 1);
      g_main_context_wakeup (NULL);
    }
}

/* The REST snapshot of the Coinbase tests: bids 68899.00×1.0, 68898.50×2.0; asks 68901.00×0.25,
 * 68902.00×1.0. For Kraken's ALGO/USD: bid 0.12291×1000, ask 0.12307×500. */
static gboolean
resync_book_cb (HsStreamProvider provider,
                const char      *symbol,
                HsBook          *book,
                gpointer         data,
                GError         **error)
{
  Run *run = data;

  run->book_calls++;
  g_free (run->book_symbol);
  run->book_symbol = g_strdup (symbol);
  g_assert_cmpuint (hs_book_n_levels (book, HS_BOOK_BID), ==, 0);
  if (run->fail_book)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP 503 from the test");
      return FALSE;
    }
  if (provider == HS_STREAM_KRAKEN)
    {
      g_assert_true (hs_book_set (book, HS_BOOK_BID, 0.12291, 1000, error));
      g_assert_true (hs_book_set (book, HS_BOOK_ASK, 0.12307, 500, error));
      return TRUE;
    }
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 68899.0, 1.0, error));
  g_assert_true (hs_book_set (book, HS_BOOK_BID, 68898.5, 2.0, error));
  g_assert_true (hs_book_set (book, HS_BOOK_ASK, 68901.0, 0.25, error));
  g_assert_true (hs_book_set (book, HS_BOOK_ASK, 68902.0, 1.0, error));
  return TRUE;
}

/* The REST trades of the Coinbase gap: 995098703, a buy of 0.03 at 68900.25 at 14:30:06.05,
 * and one outside the range asked for (ignored by the stream). */
static gboolean
fill_trades_cb (HsStreamProvider provider,
                const char      *symbol,
                int64_t          first_id,
                int64_t          last_id,
                GArray          *trades,
                gpointer         data,
                GError         **error)
{
  Run *run = data;
  HsTrade t = { 0 };

  run->trade_calls++;
  run->fill_first = first_id;
  run->fill_last = last_id;
  t.ts = utc_us (2026, 4, 7, 14, 30, 6, 50000);
  t.trade_id = g_strdup ("995098703");
  t.price = 68900.25;
  t.size = 0.03;
  t.side = HS_SIDE_BUY;
  g_array_append_val (trades, t);
  t.trade_id = g_strdup ("995098690");
  g_array_append_val (trades, t);
  return TRUE;
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->book_symbol, g_free);
  g_clear_error (&run->error);
}

static void
request_for (HsStreamRequest  *req,
             HsStreamProvider  provider,
             const char       *symbol,
             HsTestWsServer   *server,
             const char       *db,
             Run              *run)
{
  hs_stream_request_init (req);
  req->provider = provider;
  req->symbol = symbol;
  req->url = server ? hs_test_ws_server_get_url (server) : NULL;
  req->db_path = db;
  req->backoff_initial_ms = 10;
  req->progress = progress_cb;
  req->user_data = run;
  run->cancellable = g_cancellable_new ();
}

/* Runs the stream on this thread until @stop_after messages were handled. */
static void
run_until (const HsStreamRequest *req,
           Run                   *run,
           int64_t                stop_after,
           HsStreamStats         *stats)
{
  g_autoptr(GError) error = NULL;

  run->stop_after = stop_after;
  g_assert_true (hs_stream_run (req, run->cancellable, stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats->messages, ==, stop_after);
}

static void
test_stream_coinbase_gap (void)
{
  g_autofree char *db = temp_db ("coinbase-gap.db");
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-gap.script", NULL);
  g_autoptr(HsTestWsServer) again = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  g_autofree char *trades = NULL, *books = NULL, *gaps = NULL;
  HsStreamRequest req;
  HsStreamStats stats;
  Run run = { 0 };

  request_for (&req, HS_STREAM_COINBASE, "BTC-USD", server, db, &run);
  req.resync_book = resync_book_cb;
  req.fill_trades = fill_trades_cb;
  /* Nine frames: sequence_num 0, 1, 2, 4 (3 is missing), 5 … 9. */
  run_until (&req, &run, 9, &stats);

  g_assert_cmpint (stats.malformed, ==, 0);
  g_assert_cmpint (stats.connections, ==, 1);
  g_assert_cmpint (stats.last_sequence, ==, 9);
  /* Two gaps: sequence_num 3, and trade id 995098703. */
  g_assert_cmpint (stats.gaps, ==, 2);
  g_assert_cmpint (stats.resyncs, ==, 1);
  g_assert_cmpint (run.book_calls, ==, 1);
  g_assert_cmpstr (run.book_symbol, ==, "BTC-USD");
  g_assert_cmpint (run.trade_calls, ==, 1);
  g_assert_cmpint (run.fill_first, ==, 995098703);
  g_assert_cmpint (run.fill_last, ==, 995098703);
  /* Trades 700, 701, 702, 703 (filled), 704; 701 came twice. */
  g_assert_cmpint (stats.trades, ==, 5);
  g_assert_cmpint (stats.duplicates, ==, 1);
  g_assert_cmpint (stats.filled, ==, 1);
  /* Book messages applied: seq 0, 1, 4, 5, 6, 8 = 6; snapshots stored at seq 0, 1, 4, 5, 8 (6
   * is half a second after 5). */
  g_assert_cmpint (stats.book_events, ==, 6);
  g_assert_cmpint (stats.books, ==, 5);
  g_assert_cmpint (stats.dropped, ==, 0);

  /* After the gap the client asked for the book again: unsubscribe, then subscribe level2. */
  sent = hs_test_ws_server_dup_received (server, 0);
  g_assert_cmpuint (sent->len, ==, 5);
  g_assert_cmpstr (sent->pdata[3], ==, "{\"type\":\"unsubscribe\",\"product_ids\":[\"BTC-USD\"],"
                                       "\"channel\":\"level2\"}");
  g_assert_cmpstr (sent->pdata[4], ==, "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],"
                                       "\"channel\":\"level2\"}");

  /* The trades, in (ts, seq) order, with the taker's side (Coinbase names the maker's) and the
   * running CVD: −0.0015; +0.05 → 0.0485; +0.01 → 0.0585; +0.03 → 0.0885; −0.02 → 0.0685. */
  trades = hs_test_query_rows (db, "SELECT ts, seq, trade_id, price, size, side, "
                                   "printf('%.4f', cvd_at_trade) FROM trades ORDER BY ts, seq");
  {
    g_autofree char *want = g_strdup_printf (
      "%" G_GINT64_FORMAT "|0|995098700|68900.5|0.0015|-1|-0.0015\n"
      "%" G_GINT64_FORMAT "|0|995098701|68900.0|0.05|1|0.0485\n"
      "%" G_GINT64_FORMAT "|0|995098702|68900.5|0.01|1|0.0585\n"
      "%" G_GINT64_FORMAT "|0|995098703|68900.25|0.03|1|0.0885\n"
      "%" G_GINT64_FORMAT "|0|995098704|68900.0|0.02|-1|0.0685\n",
      utc_us (2026, 4, 7, 14, 30, 2, 789012), utc_us (2026, 4, 7, 14, 30, 2, 800000),
      utc_us (2026, 4, 7, 14, 30, 6, 0), utc_us (2026, 4, 7, 14, 30, 6, 50000),
      utc_us (2026, 4, 7, 14, 30, 6, 100000));

    g_assert_cmpstr (trades, ==, want);
  }
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(DISTINCT trade_id) FROM trades"), ==, 5);

  /* The snapshots, worked by hand from the frames (depth 10, so every level), without a
   * sequence (they are samples; see docs/streaming.md):
   *  seq 0: bids 68900×1.5, 68899.5×0.75, 68899×2.3; asks 68901×0.5, 68901.5×1.2, 68902×0.8
   *         spread 1; volumes 4.55 / 2.5; imbalance 100 × 2.05 / 7.05 = 29.0780
   *  seq 1: bid 68900 → 2, ask 68901 gone: spread 1.5; 5.05 / 2; 100 × 3.05 / 7.05 = 43.2624
   *  seq 4: the REST book (68899×1, 68898.5×2 / 68901×0.25, 68902×1) plus bid 68898×3:
   *         spread 2; 6 / 1.25; 100 × 4.75 / 7.25 = 65.5172
   *  seq 5: the new snapshot 68899×1.1 / 68900.5×0.4: spread 1.5; 100 × 0.7 / 1.5 = 46.6667
   *  seq 8: bid 68899 → 0.9, ask 68900.5 → 0.6 (seq 6): 100 × 0.3 / 1.5 = 20.0000 */
  books = hs_test_query_rows (db, "SELECT ts, sequence, best_bid, best_ask, spread, bid_volume, "
                                  "ask_volume, printf('%.4f', imbalance), bids, asks "
                                  "FROM orderbook_snapshots ORDER BY ts");
  {
    g_autofree char *want = g_strdup_printf (
      "%" G_GINT64_FORMAT "|NULL|68900.0|68901.0|1.0|4.55|2.5|29.0780|"
      "[[68900,1.5],[68899.5,0.75],[68899,2.3]]|[[68901,0.5],[68901.5,1.2],[68902,0.8]]\n"
      "%" G_GINT64_FORMAT "|NULL|68900.0|68901.5|1.5|5.05|2.0|43.2624|"
      "[[68900,2],[68899.5,0.75],[68899,2.3]]|[[68901.5,1.2],[68902,0.8]]\n"
      "%" G_GINT64_FORMAT "|NULL|68899.0|68901.0|2.0|6.0|1.25|65.5172|"
      "[[68899,1],[68898.5,2],[68898,3]]|[[68901,0.25],[68902,1]]\n"
      "%" G_GINT64_FORMAT "|NULL|68899.0|68900.5|1.5|1.1|0.4|46.6667|"
      "[[68899,1.1]]|[[68900.5,0.4]]\n"
      "%" G_GINT64_FORMAT "|NULL|68899.0|68900.5|1.5|0.9|0.6|20.0000|"
      "[[68899,0.9]]|[[68900.5,0.6]]\n",
      utc_us (2026, 4, 7, 14, 30, 0, 123456), utc_us (2026, 4, 7, 14, 30, 1, 456789),
      utc_us (2026, 4, 7, 14, 30, 4, 0), utc_us (2026, 4, 7, 14, 30, 5, 0),
      utc_us (2026, 4, 7, 14, 30, 7, 0));

    g_assert_cmpstr (books, ==, want);
  }

  /* The gaps with their exact ranges and repairs. */
  gaps = hs_test_query_rows (db, "SELECT provider, channel, kind, ts, from_seq, to_seq, resync, "
                                 "resync_error, detail FROM stream_gaps ORDER BY id");
  {
    g_autofree char *want = g_strdup_printf (
      "coinbase|connection|sequence|%" G_GINT64_FORMAT "|3|3|rest+resubscribe|NULL|"
      "{\"expected\":3,\"received\":4}\n"
      "coinbase|trades|trade_id|%" G_GINT64_FORMAT "|995098703|995098703|rest|NULL|"
      "{\"missing\":1,\"filled\":1}\n",
      utc_us (2026, 4, 7, 14, 30, 4, 0), utc_us (2026, 4, 7, 14, 30, 6, 100000));

    g_assert_cmpstr (gaps, ==, want);
  }
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM instruments "
                                          "WHERE symbol = 'BTC-USD' "
                                          "AND exchange = 'coinbase' AND kind = 'crypto'"), ==, 1);

  /* A restart: the market_trades snapshot repeats 995098703 and 995098704 (skipped) and brings
   * 995098705, a taker buy of 0.1 (maker SELL): CVD 0.0685 + 0.1 = 0.1685. No gap: 705
   * follows 704, the last stored. */
  run_clear (&run);
  again = hs_test_ws_server_new_files ("coinbase-restart.script", NULL);
  request_for (&req, HS_STREAM_COINBASE, "BTC-USD", again, db, &run);
  run_until (&req, &run, 1, &stats);
  g_assert_cmpint (stats.duplicates, ==, 2);
  g_assert_cmpint (stats.trades, ==, 1);
  g_assert_cmpint (stats.gaps, ==, 0);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM trades"), ==, 6);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(DISTINCT trade_id) FROM trades"), ==, 6);
  g_assert_cmpint (hs_test_query_int (db, "SELECT round(cvd_at_trade * 10000) FROM trades "
                                          "WHERE trade_id = '995098705'"), ==, 1685);
  run_clear (&run);
  g_assert_cmpint (g_unlink (db), ==, 0);
}

static void
test_stream_kraken_checksum (void)
{
  g_autofree char *db = temp_db ("kraken-checksum.db");
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("kraken-checksum.script",
                                                                  NULL);
  g_autoptr(GPtrArray) sent = NULL;
  g_autofree char *corrupt = NULL;
  g_autofree char *gaps = NULL, *trades = NULL, *books = NULL;
  g_autofree char *want_gaps = NULL;
  HsStreamRequest req;
  HsStreamStats stats;
  Run run = { 0 };
  uint32_t corrupt_crc;

  request_for (&req, HS_STREAM_KRAKEN, "ALGO/USD", server, db, &run);
  req.resync_book = resync_book_cb;
  /* Nine frames: snapshot, update, corrupted update, subscribe ack, snapshot, update,
   * heartbeat, two trade frames. */
  run_until (&req, &run, 9, &stats);

  /* The corrupted update set bid 0.12290 to 9000 but carried the checksum of the book before
   * it: the book after the recorded update with that change checksums to the CRC-32 of the
   * text built from the wire strings (reference implementation above). */
  {
    /* both changes: 0.12275 → 6597.51731160 (the update) and 0.12290 → 9000 (corruption) */
    GString *s = g_string_new (NULL);

    for (size_t i = 0; i < G_N_ELEMENTS (algo_asks); i++)
      {
        append_wire (s, algo_asks[i][0]);
        append_wire (s, algo_asks[i][1]);
      }
    for (size_t i = 0; i < G_N_ELEMENTS (algo_bids); i++)
      {
        const char *qty = algo_bids[i][1];

        if (g_str_equal (algo_bids[i][0], "0.12275"))
          qty = "6597.51731160";
        else if (g_str_equal (algo_bids[i][0], "0.12290"))
          qty = "9000.00000000";
        append_wire (s, algo_bids[i][0]);
        append_wire (s, qty);
      }
    corrupt = g_string_free (s, FALSE);
  }
  corrupt_crc = crc32_bitwise (corrupt, strlen (corrupt));
  g_assert_cmpuint (corrupt_crc, !=, 1100635717u);

  g_assert_cmpint (stats.malformed, ==, 0);
  g_assert_cmpint (stats.gaps, ==, 2);
  g_assert_cmpint (stats.resyncs, ==, 1);
  g_assert_cmpint (run.book_calls, ==, 1);
  g_assert_cmpstr (run.book_symbol, ==, "ALGO/USD");
  g_assert_cmpint (stats.unverified, ==, 0);
  /* Book messages applied: snapshot, update, corrupted update, snapshot, update. */
  g_assert_cmpint (stats.book_events, ==, 5);

  /* The client unsubscribed and subscribed the book again (depth 10). */
  sent = hs_test_ws_server_dup_received (server, 0);
  g_assert_cmpuint (sent->len, ==, 4);
  g_assert_cmpstr (sent->pdata[2], ==, "{\"method\":\"unsubscribe\",\"params\":{\"channel\":"
                                       "\"book\",\"symbol\":[\"ALGO/USD\"],\"depth\":10}}");
  g_assert_cmpstr (sent->pdata[3], ==, "{\"method\":\"subscribe\",\"params\":{\"channel\":"
                                       "\"book\",\"symbol\":[\"ALGO/USD\"],\"depth\":10}}");

  /* The checksum gap (at the corrupted update's time) and the trade gap 4665848 (no
   * fill_trades: it stays open). */
  gaps = hs_test_query_rows (db, "SELECT provider, channel, kind, ts, from_seq, to_seq, "
                                 "resync, detail "
                                 "FROM stream_gaps ORDER BY id");
  want_gaps = g_strdup_printf (
    "kraken|book|checksum|%" G_GINT64_FORMAT "|NULL|NULL|rest+resubscribe|"
    "{\"expected\":1100635717,\"computed\":%u,\"price_decimals\":5,\"qty_decimals\":8}\n"
    "kraken|trades|trade_id|%" G_GINT64_FORMAT "|4665848|4665848|none|"
    "{\"missing\":1,\"filled\":0}\n",
    utc_us (2024, 10, 3, 2, 46, 58, 0), corrupt_crc, utc_us (2024, 10, 3, 2, 47, 2, 0));
  g_assert_cmpstr (gaps, ==, want_gaps);

  /* Kraken names the taker: buy 100 → CVD 100, sell 40.5 → 59.5 (same microsecond: seq 1),
   * sell 10 → 49.5. */
  trades = hs_test_query_rows (db, "SELECT seq, trade_id, price, size, side, cvd_at_trade "
                                   "FROM trades ORDER BY ts, seq");
  g_assert_cmpstr (trades, ==, "0|4665846|0.123|100.0|1|100.0\n"
                               "1|4665847|0.1229|40.5|-1|59.5\n"
                               "0|4665849|0.12289|10.0|-1|49.5\n");

  /* Stored books: the first update (the snapshot has no time), and the update after the
   * resubscription (the REST book was replaced by the fresh snapshot before it): both are the
   * recorded book with bid 0.12275 → 6597.5173116. Best bid 0.12291, best ask 0.12307. */
  books = hs_test_query_rows (db, "SELECT ts, best_bid, best_ask, depth FROM orderbook_snapshots "
                                  "ORDER BY ts");
  {
    g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT "|0.12291|0.12307|10\n"
                                             "%" G_GINT64_FORMAT "|0.12291|0.12307|10\n",
                                             utc_us (2024, 10, 3, 2, 46, 57, 50170),
                                             utc_us (2024, 10, 3, 2, 47, 0, 0));

    g_assert_cmpstr (books, ==, want);
  }
  run_clear (&run);
  g_assert_cmpint (g_unlink (db), ==, 0);
}

static void
test_stream_exchange_matches (void)
{
  g_autofree char *db = temp_db ("exchange.db");
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("exchange-matches.script",
                                                                  NULL);
  g_autofree char *trades = NULL, *gaps = NULL, *books = NULL;
  HsStreamRequest req;
  HsStreamStats stats;
  Run run = { 0 };

  request_for (&req, HS_STREAM_COINBASE_EXCHANGE, "BTC-USD", server, db, &run);
  run_until (&req, &run, 7, &stats);

  /* Maker sides buy, sell, sell: takers sell 0.01, buy 0.02, buy 0.03: CVD −0.01, 0.01, 0.04.
   * Trade 502 never came. */
  trades = hs_test_query_rows (db, "SELECT trade_id, side, printf('%.2f', cvd_at_trade) "
                                   "FROM trades "
                                   "ORDER BY ts, seq");
  g_assert_cmpstr (trades, ==, "500|-1|-0.01\n501|1|0.01\n503|1|0.04\n");
  gaps = hs_test_query_rows (db, "SELECT provider, channel, kind, from_seq, to_seq, resync "
                                 "FROM stream_gaps");
  g_assert_cmpstr (gaps, ==, "coinbase-exchange|trades|trade_id|502|502|none\n");
  /* The snapshot has no time; the l2update at 14:30:01 stores bids 68900.5×0.3, 68900×1.5,
   * 68899.5×0.75 and asks 68901×0.5, 68901.5×0.2: imbalance 100 × (2.55 − 0.7) / 3.25. */
  books = hs_test_query_rows (db, "SELECT bids, asks, printf('%.4f', imbalance) "
                                  "FROM orderbook_snapshots");
  g_assert_cmpstr (books, ==, "[[68900.5,0.3],[68900,1.5],[68899.5,0.75]]|"
                              "[[68901,0.5],[68901.5,0.2]]|56.9231\n");
  g_assert_cmpint (stats.last_sequence, ==, -1);
  g_assert_cmpint (stats.gaps, ==, 1);
  g_assert_cmpint (stats.resyncs, ==, 0);
  run_clear (&run);
  g_assert_cmpint (g_unlink (db), ==, 0);
}

static void
test_stream_reconnect (void)
{
  g_autofree char *db = temp_db ("reconnect.db");
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-reconnect-1.script",
                                                                  "coinbase-reconnect-2.script",
                                                                  NULL);
  HsStreamRequest req;
  HsStreamStats stats;
  Run run = { 0 };

  request_for (&req, HS_STREAM_COINBASE, "BTC-USD", server, db, &run);
  /* Connection 1: a snapshot, then the server closes; connection 2 (after the 10 ms back-off):
   * a snapshot and an update, numbered 0 and 1 again: a new connection, no gap. */
  run_until (&req, &run, 3, &stats);
  g_assert_cmpint (stats.connections, ==, 2);
  g_assert_cmpint (stats.reconnects, ==, 1);
  g_assert_cmpint (stats.gaps, ==, 0);
  g_assert_cmpint (hs_test_ws_server_n_connections (server), ==, 2);
  /* Snapshots at 14:30:00.123456 (connection 1), 14:31:00 and 14:31:02 (connection 2). */
  g_assert_cmpint (stats.books, ==, 3);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM orderbook_snapshots"), ==, 3);
  run_clear (&run);
  g_assert_cmpint (g_unlink (db), ==, 0);
}

static void
test_stream_malformed (void)
{
  g_autofree char *db = temp_db ("malformed.db");
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-malformed.script",
                                                                  NULL);
  g_autofree char *gaps = NULL;
  HsStreamRequest req;
  HsStreamStats stats;
  Run run = { 0 };

  request_for (&req, HS_STREAM_COINBASE, "BTC-USD", server, db, &run);
  req.resync_book = resync_book_cb;
  run.fail_book = TRUE;
  /* Seven frames: the snapshot (seq 0), four bad ones (not JSON, not an object, a price
   * "abc" at seq 1, a negative size at seq 2), an update at seq 3, a provider error. */
  run_until (&req, &run, 7, &stats);
  g_assert_cmpint (stats.malformed, ==, 4);
  g_assert_cmpint (stats.provider_errors, ==, 1);
  g_assert_nonnull (strstr (stats.last_error, "Failed to subscribe: unknown product"));
  /* The skipped frames 1 and 2 are a gap in sequence_num; the REST snapshot failed, so the
   * update at seq 3 has no trusted book and is dropped until the fresh snapshot. */
  g_assert_cmpint (stats.gaps, ==, 1);
  g_assert_cmpint (stats.resync_failures, ==, 1);
  g_assert_cmpint (stats.dropped, ==, 1);
  gaps = hs_test_query_rows (db, "SELECT kind, from_seq, to_seq, resync, resync_error "
                                 "FROM stream_gaps");
  g_assert_cmpstr (gaps, ==, "sequence|1|2|resubscribe|HTTP 503 from the test\n");
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM orderbook_snapshots"), ==, 1);
  run_clear (&run);
  g_assert_cmpint (g_unlink (db), ==, 0);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Run *run = data;

  run->ok = hs_stream_finish (result, &run->stats, &run->error);
  run->finished = TRUE;
}

static void
test_stream_cancel (void)
{
  g_autofree char *db = temp_db ("cancel.db");
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-hold.script", NULL);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *closed_url = NULL;
  HsStreamRequest req;
  Run run = { 0 };
  guint16 port;

  /* Connected and subscribed, with nothing arriving, and no duration: only the cancellable
   * ends it. */
  request_for (&req, HS_STREAM_COINBASE, "BTC-USD", server, db, &run);
  hs_stream_async (&req, run.cancellable, done_cb, &run);
  hs_test_ws_server_wait_script_done (server, 0);
  g_cancellable_cancel (run.cancellable);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (run.stats.connections, ==, 1);
  g_assert_cmpint (run.stats.messages, ==, 0);
  run_clear (&run);

  /* Nothing listens on the port: the first attempt fails and the next waits ten minutes of
   * back-off, which the cancellable cuts short. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  closed_url = g_strdup_printf ("ws://127.0.0.1:%u/", port);
  memset (&run, 0, sizeof run);
  request_for (&req, HS_STREAM_COINBASE, "BTC-USD", NULL, db, &run);
  req.url = closed_url;
  req.backoff_initial_ms = 600000;
  run.flag_failures = 1;
  hs_stream_async (&req, run.cancellable, done_cb, &run);
  while (!g_atomic_int_get (&run.flag))
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (run.cancellable);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpint (run.stats.connect_failures, ==, 1);
  g_assert_cmpint (run.stats.connections, ==, 0);
  g_assert_nonnull (strstr (run.stats.last_error, "connecting to ws://127.0.0.1:"));
  run_clear (&run);
  g_assert_cmpint (g_unlink (db), ==, 0);
}

/* A connection that stays silent past the idle timeout is closed and opened again. */
static void
test_stream_idle (void)
{
  g_autofree char *db = temp_db ("idle.db");
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-hold.script",
                                                                  "coinbase-hold.script", NULL);
  HsStreamRequest req;
  Run run = { 0 };

  request_for (&req, HS_STREAM_COINBASE, "BTC-USD", server, db, &run);
  req.idle_timeout_s = 1;
  hs_stream_async (&req, run.cancellable, done_cb, &run);
  hs_test_ws_server_wait_script_done (server, 1);
  g_cancellable_cancel (run.cancellable);
  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  /* The server never closes: the second connection is the stream's. Two at least: a third
   * could open if this thread were held up past another idle second. */
  g_assert_cmpint (run.stats.connections, >=, 2);
  g_assert_cmpint (run.stats.reconnects, ==, run.stats.connections - 1);
  g_assert_cmpint (run.stats.messages, ==, 0);
  run_clear (&run);
  g_assert_cmpint (g_unlink (db), ==, 0);
}

static void
test_stream_refused_requests (void)
{
  g_autofree char *db = temp_db ("refused.db");
  g_autoptr(GError) error = NULL;
  HsStreamRequest req;
  HsStreamStats stats;
  HsStreamProvider p;

  hs_stream_request_init (&req);
  req.symbol = "BTC-USD";
  req.db_path = db;
  req.url = "http://127.0.0.1:1/";
  g_assert_false (hs_stream_run (&req, NULL, &stats, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  req.provider = HS_STREAM_KRAKEN;
  req.url = "ws://127.0.0.1:1/";
  req.kraken_depth = 20;
  g_assert_false (hs_stream_run (&req, NULL, &stats, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (hs_stream_provider_from_string ("coinbase-exchange", &p));
  g_assert_cmpint (p, ==, HS_STREAM_COINBASE_EXCHANGE);
  g_assert_false (hs_stream_provider_from_string ("binance", &p));
  g_assert_cmpstr (hs_stream_url_variable (HS_STREAM_KRAKEN), ==, "HINDSIGHT_KRAKEN_WS_URL");
  g_setenv ("HINDSIGHT_KRAKEN_WS_URL", "ws://127.0.0.1:9/", TRUE);
  {
    g_autofree char *url = hs_stream_default_url (HS_STREAM_KRAKEN);
    g_autofree char *cb = NULL;

    g_assert_cmpstr (url, ==, "ws://127.0.0.1:9/");
    g_unsetenv ("HINDSIGHT_COINBASE_WS_URL");
    cb = hs_stream_default_url (HS_STREAM_COINBASE);
    g_assert_cmpstr (cb, ==, "wss://advanced-trade-ws.coinbase.com");
  }
  g_unsetenv ("HINDSIGHT_KRAKEN_WS_URL");
  g_unlink (db);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The isolated directories hold no GSettings schemas, which GIO's desktop proxy resolver
   * reads; the tests talk to 127.0.0.1 only. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-test-stream-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/hs/core/book/basics", test_book_basics);
  g_test_add_func ("/hs/core/book/reference", test_book_reference);
  g_test_add_func ("/hs/core/book/load", test_book_load);
  g_test_add_func ("/hs/core/book/crc32", test_crc32);
  g_test_add_func ("/hs/core/book/kraken-checksum", test_kraken_checksum);
  g_test_add_func ("/hs/fetch/ws/coinbase-l2", test_parse_coinbase_l2);
  g_test_add_func ("/hs/fetch/ws/coinbase-trades", test_parse_coinbase_trades);
  g_test_add_func ("/hs/fetch/ws/coinbase-exchange", test_parse_coinbase_exchange);
  g_test_add_func ("/hs/fetch/ws/kraken", test_parse_kraken);
  g_test_add_func ("/hs/fetch/ws/refused", test_parse_refused);
  g_test_add_func ("/hs/fetch/ws/subscriptions", test_subscriptions);
  g_test_add_func ("/hs/jobs/stream/coinbase-gap", test_stream_coinbase_gap);
  g_test_add_func ("/hs/jobs/stream/kraken-checksum", test_stream_kraken_checksum);
  g_test_add_func ("/hs/jobs/stream/exchange-matches", test_stream_exchange_matches);
  g_test_add_func ("/hs/jobs/stream/reconnect", test_stream_reconnect);
  g_test_add_func ("/hs/jobs/stream/malformed", test_stream_malformed);
  g_test_add_func ("/hs/jobs/stream/cancel", test_stream_cancel);
  g_test_add_func ("/hs/jobs/stream/idle", test_stream_idle);
  g_test_add_func ("/hs/jobs/stream/refused-requests", test_stream_refused_requests);
  status = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
