/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli fetch`, `providers` and `keys` end to end: the CLI as a subprocess, its
 * requests answered by the local HTTP server (tests/hs-test-server.h) with the providers'
 * recorded bodies from tests/data/fixtures (nothing reaches the internet). For every provider the
 * stored rows are checked against the hs_test_fixture (counts, first and last row, read by hand from the
 * file and written out below), and a second fetch adds nothing. Then pagination, a 429 retried,
 * 500s until the provider alert, bodies that are not JSON or cut short (the database unchanged,
 * compared as a dump), a failure on the second page (the first stays), a missing token, and usage
 * errors.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-store.h"
#include "hs-test-server.h"
#include "hs-test-sql.h"
#include "hs-time.h"

static char *tmpdir;

static char *
fresh_db (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  g_remove (path);
  return g_steal_pointer (&path);
}

/* The server's base URL with the provider's path prefix: what --base-url gets. */
static char *
base_url (HsTestServer *server,
          const char   *prefix)
{
  return g_strconcat (hs_test_server_get_base_url (server), prefix, NULL);
}

static int64_t
iso (const char *text)
{
  int64_t us = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_time_parse (text, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

static int64_t
member_int (JsonObject *o,
            const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_int_member (o, name);
}

/* The summary of a `fetch … --json` run that succeeded; free with json_node_unref(). */
static JsonNode *
fetch_ok (const char *db,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("HS_CLI"));
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, (char *) db);
  g_ptr_array_add (args, "fetch");
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, "--json");
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char *const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (proc) != 0)
    g_printerr ("fetch failed: %s%s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return hs_test_parse_json (out);
}

static void
assert_counts (JsonNode *root,
               int64_t   rows,
               int64_t   inserted,
               int64_t   duplicates,
               int64_t   skipped)
{
  JsonObject *o = json_node_get_object (root);

  g_assert_cmpint (member_int (o, "rows"), ==, rows);
  g_assert_cmpint (member_int (o, "inserted"), ==, inserted);
  g_assert_cmpint (member_int (o, "duplicates"), ==, duplicates);
  g_assert_cmpint (member_int (o, "skipped"), ==, skipped);
  g_assert_true (json_object_get_boolean_member (o, "complete"));
  g_assert_true (json_object_get_null_member (o, "error"));
}

static char *
rows (const char *db,
      const char *sql)
{
  return hs_test_query_rows (db, sql);
}

/* The database as a dump (hs_store_dump), without the health tables a failed fetch writes to
 * (system_metrics, alerts): equal dumps mean the same market data, instruments and all. */
static char *
dump_without_health (const char *db)
{
  g_autofree char *copy = g_strconcat (db, ".copy", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *raw = NULL;
  char *dump;

  g_remove (copy);
  {
    g_autoptr(HsStore) store = hs_store_open (db, HS_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (hs_store_backup (store, copy, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (sqlite3_open (copy, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "DELETE FROM system_metrics; DELETE FROM alerts;", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  {
    g_autoptr(HsStore) store = hs_store_open (copy, HS_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    dump = hs_store_dump (store, &error);
    g_assert_no_error (error);
  }
  g_remove (copy);
  return dump;
}

/* The newest value of a provider's figure in system_metrics. */
static int64_t
latest_metric (const char *db,
               const char *provider,
               const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT value FROM system_metrics WHERE component = "
                                          "'fetch.%s' AND name = '%s' ORDER BY ts DESC LIMIT 1",
                                          provider, name);

  return hs_test_query_int (db, sql);
}

static void
assert_rows (const char *db,
             const char *sql,
             const char *expected)
{
  g_autofree char *got = rows (db, sql);

  g_assert_cmpstr (got, ==, expected);
}

static void
assert_dump (const char *db,
             const char *expected)
{
  g_autofree char *got = dump_without_health (db);

  g_assert_cmpstr (got, ==, expected);
}

/* ----------------------------------------------------------------------------------------- */
/* Kalshi                                                                                     */

static void
test_kalshi (void)
{
  g_autofree char *db = fresh_db ("kalshi.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/trade-api/v2");
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL, f = NULL;
  g_autofree char *snap = NULL, *book = NULL, *inst = NULL, *candle_snaps = NULL;

  hs_test_server_add (server, "/trade-api/v2/markets/KXELONMARS-99",
                      hs_test_fixture ("kalshi", "markets_KXELONMARS-99.json"));
  hs_test_server_add (server, "/trade-api/v2/markets/KXELONMARS-99/orderbook",
                      hs_test_fixture ("kalshi", "orderbook_KXELONMARS-99.json"));
  hs_test_server_add (server, "/trade-api/v2/markets",
                      hs_test_fixture ("kalshi", "markets_list_tickers.json"));
  hs_test_server_add (server, "/trade-api/v2/series/KXELONMARS/markets/KXELONMARS-99/candlesticks",
                      hs_test_fixture ("kalshi", "candlesticks_KXELONMARS-99_60m.json"));

  /* markets_KXELONMARS-99.json: one market, stamped with the poll's time (--now), source poll:
   * yes_bid_dollars "0.0800", yes_ask_dollars "0.1200", no_bid_dollars "0.8800",
   * no_ask_dollars "0.9200", last_price_dollars "0.1000", volume_fp "94884.62",
   * open_interest_fp "32746.17", status "active". */
  a = fetch_ok (db, "snapshots", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                "--base-url", url, "--now", "2026-06-12T17:00:00Z", NULL);
  assert_counts (a, 1, 1, 0, 0);
  g_assert_cmpint (member_int (json_node_get_object (a), "instruments"), ==, 1);
  snap = rows (db, "SELECT i.symbol, i.exchange, i.kind, strftime('%Y-%m-%dT%H:%M:%SZ', s.ts / "
                   "1000000, 'unixepoch'), s.source, s.yes_bid, s.yes_ask, s.no_bid, s.no_ask, "
                   "s.last_price, s.volume, s.open_interest, s.status, "
                   "json_extract(s.raw_data, '$.ticker') FROM market_snapshots s "
                   "JOIN instruments i ON i.id = s.instrument_id");
  g_assert_cmpstr (snap, ==, "KXELONMARS-99|kalshi|prediction|2026-06-12T17:00:00Z|poll|0.08|"
                             "0.12|0.88|0.92|0.1|94884.62|32746.17|active|KXELONMARS-99\n");
  /* The same poll time again: the snapshot is stored already. */
  b = fetch_ok (db, "snapshots", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                "--base-url", url, "--now", "2026-06-12T17:00:00Z", NULL);
  assert_counts (b, 1, 0, 1, 0);

  /* orderbook_KXELONMARS-99.json, bids only. YES bids (8 levels, best 0.08 × 444.32):
   * 6558.50 + 705 + 18708 + 1162 + 50 + 2201.86 + 3195.84 + 444.32 = 33025.52.
   * NO bids, best first 0.88 × 1967.33, 0.87 × 118.85, 0.74 × 250, 0.73 × 38.73, 0.70 × 10.40,
   * 0.65 × 25, 0.62 × 5, 0.61 × 500, 0.60 × 284, 0.50 × 4040.45 (the ten of depth 10) are YES
   * asks at 1 − p: best ask 0.12, ask volume 1967.33 + 118.85 + 250 + 38.73 + 10.40 + 25 + 5 +
   * 500 + 284 + 4040.45 = 7239.76; spread 0.12 − 0.08 = 0.04. The levels are kept whole:
   * 8 bids, 18 asks. */
  c = fetch_ok (db, "book", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                "--base-url", url, "--now", "2026-06-12T17:00:00Z", NULL);
  assert_counts (c, 1, 1, 0, 0);
  book = rows (db, "SELECT best_bid, best_ask, round(spread, 10), depth, round(bid_volume, 6), "
                   "round(ask_volume, 6), json_array_length(bids), json_array_length(asks) "
                   "FROM orderbook_snapshots");
  g_assert_cmpstr (book, ==, "0.08|0.12|0.04|10|33025.52|7239.76|8|18\n");
  g_clear_pointer (&c, json_node_unref);
  c = fetch_ok (db, "book", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                "--base-url", url, "--now", "2026-06-12T17:00:00Z", NULL);
  assert_counts (c, 1, 0, 1, 0);

  /* markets_list_tickers.json answers for two tickers: a snapshot of each, KXCOLONIZEMARS-50
   * (yes_bid 0.1630, yes_ask 0.1950) created as a new prediction market. KXELONMARS-99's is
   * new too: another source time than the single poll above. */
  d = fetch_ok (db, "snapshots", "--provider", "kalshi", "--symbol",
                "KXELONMARS-99,KXCOLONIZEMARS-50", "--base-url", url, "--now",
                "2026-06-12T17:00:05Z", NULL);
  assert_counts (d, 2, 2, 0, 0);
  g_assert_cmpint (member_int (json_node_get_object (d), "instruments"), ==, 1);
  assert_rows (db, "SELECT s.yes_bid, s.yes_ask FROM market_snapshots s JOIN "
                             "instruments i ON i.id = s.instrument_id WHERE i.symbol = "
                             "'KXCOLONIZEMARS-50'", "0.163|0.195\n");

  /* The instrument list: the same two markets, nothing new, their names and expiries filled
   * in (close_time 2099-08-01T04:59:00Z and 2050-01-01T04:59:00Z). */
  e = fetch_ok (db, "instruments", "--provider", "kalshi", "--base-url", url, NULL);
  assert_counts (e, 2, 0, 2, 0);
  inst = rows (db, "SELECT symbol, kind, strftime('%Y-%m-%dT%H:%M:%SZ', expiry / 1000000, "
                   "'unixepoch'), name IS NOT NULL, currency FROM instruments ORDER BY symbol");
  g_assert_cmpstr (inst, ==, "KXCOLONIZEMARS-50|prediction|2050-01-01T04:59:00Z|1|USD\n"
                             "KXELONMARS-99|prediction|2099-08-01T04:59:00Z|1|USD\n");

  /* candlesticks_KXELONMARS-99_60m.json: two hourly periods, ending 1781143200 (2026-06-11
   * 02:00Z) and 1781172000 (10:00Z), neither traded (price holds only previous_dollars): no
   * bars (2 skipped), a backfill snapshot at each period's end. */
  f = fetch_ok (db, "candles", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                "--interval", "1h", "--from", "2026-06-10T14:00:00Z", "--to",
                "2026-06-11T13:00:00Z", "--base-url", url, "--now", "2026-06-12T00:00:00Z", NULL);
  assert_counts (f, 2, 2, 0, 2);
  candle_snaps = rows (db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts / 1000000, 'unixepoch'), "
                           "yes_bid, yes_ask FROM market_snapshots WHERE source = 'backfill' "
                           "ORDER BY ts");
  g_assert_cmpstr (candle_snaps, ==, "2026-06-11T02:00:00Z|0.08|0.1\n"
                                     "2026-06-11T10:00:00Z|0.08|0.1\n");
  g_clear_pointer (&f, json_node_unref);
  f = fetch_ok (db, "candles", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                "--interval", "1h", "--from", "2026-06-10T14:00:00Z", "--to",
                "2026-06-11T13:00:00Z", "--base-url", url, "--now", "2026-06-12T00:00:00Z", NULL);
  assert_counts (f, 2, 0, 2, 2);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM candles"), ==, 0);
}

/* Two pages: the recorded trades (with a cursor), then a second page served for that cursor
 * (written here in the same shape: two older trades and an empty cursor, the last page). */
static void
test_kalshi_pages (void)
{
  g_autofree char *db = fresh_db ("kalshi-pages.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/trade-api/v2");
  g_autoptr(JsonNode) a = NULL, b = NULL;
  g_autofree char *stored = NULL, *cvd = NULL;
  const char *page2 =
    "{\"cursor\":\"\",\"trades\":["
    "{\"count_fp\":\"5.00\",\"created_time\":\"2026-06-12T13:00:00Z\","
    "\"taker_outcome_side\":\"yes\",\"ticker\":\"KXELONMARS-99\",\"trade_id\":\"p2-b\","
    "\"yes_price_dollars\":\"0.0900\",\"no_price_dollars\":\"0.9100\"},"
    "{\"count_fp\":\"2.00\",\"created_time\":\"2026-06-12T12:00:00Z\","
    "\"taker_outcome_side\":\"no\",\"ticker\":\"KXELONMARS-99\",\"trade_id\":\"p2-a\","
    "\"yes_price_dollars\":\"0.0700\",\"no_price_dollars\":\"0.9300\"}]}";

  hs_test_server_add (server, "/trade-api/v2/markets/trades",
                      hs_test_fixture ("kalshi", "markets_trades_KXELONMARS-99_limit3.json"));
  hs_test_server_add (server, "/trade-api/v2/markets/trades?ticker=KXELONMARS-99&limit=3&"
                              "cursor=EhIKEFq9i3ERl0wsdoYvGaMHJ8kaCwikt7DRBhCwt946",
                      hs_test_response_new_json (200, page2));
  a = fetch_ok (db, "trades", "--provider", "kalshi", "--symbol", "KXELONMARS-99", "--limit",
                "3", "--base-url", url, NULL);
  assert_counts (a, 5, 5, 0, 0);
  g_assert_cmpint (member_int (json_node_get_object (a), "pages"), ==, 2);
  g_assert_cmpint (member_int (json_node_get_object (a), "requests"), ==, 2);
  g_assert_cmpuint (hs_test_server_count (server, "/trade-api/v2/markets/trades"), ==, 2);
  /* Oldest first: the second page's two, then the recorded three (14:45:56 "no" 9.40 @ 0.08,
   * 15:45:05 "yes" 0.94 @ 0.10, 17:11:11 "yes" 9.40 @ 0.10). "yes" takers buy (+1), "no"
   * takers sell (−1): CVD −2, +3, −6.4, −5.46, +3.94. */
  stored = rows (db, "SELECT strftime('%H:%M:%S', ts / 1000000, 'unixepoch'), trade_id, price, "
                     "size, side, round(cvd_at_trade, 6) FROM trades ORDER BY ts, seq");
  g_assert_cmpstr (stored, ==, "12:00:00|p2-a|0.07|2.0|-1|-2.0\n"
                               "13:00:00|p2-b|0.09|5.0|1|3.0\n"
                               "14:45:56|5abd8b71-1197-4c2c-7686-2f19a30727c9|0.08|9.4|-1|-6.4\n"
                               "15:45:05|201c12b1-e3fb-7783-370e-5cb5072ef066|0.1|0.94|1|-5.46\n"
                               "17:11:11|6e924506-2c0f-5717-f9b7-eae14a12202a|0.1|9.4|1|3.94\n");
  /* The naive reference: the running sum of side × size over (ts, seq), by SQLite. */
  cvd = rows (db, "SELECT count(*) FROM (SELECT cvd_at_trade, sum(side * size) OVER (ORDER BY "
                  "ts, seq) AS ref FROM trades) WHERE abs(cvd_at_trade - ref) > 1e-9");
  g_assert_cmpstr (cvd, ==, "0\n");
  /* Again: both pages, nothing new. */
  b = fetch_ok (db, "trades", "--provider", "kalshi", "--symbol", "KXELONMARS-99", "--limit",
                "3", "--base-url", url, NULL);
  assert_counts (b, 5, 0, 5, 0);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM trades"), ==, 5);
}

/* ----------------------------------------------------------------------------------------- */
/* Coinbase                                                                                   */

static void
test_coinbase_exchange (void)
{
  g_autofree char *db = fresh_db ("coinbase.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL, d = NULL;

  hs_test_server_add (server, "/products/BTC-USDT/candles",
                      hs_test_fixture ("coinbase", "exchange_products_BTC-USDT_candles_3600.json"));
  hs_test_server_add (server, "/products/BTC-USDT/trades",
                      hs_test_fixture ("coinbase", "exchange_products_BTC-USDT_trades_limit1.json"));
  hs_test_server_add (server, "/products/BTC-USDT/ticker",
                      hs_test_fixture ("coinbase", "exchange_products_BTC-USDT_ticker.json"));
  /* The base URL from the environment this time. */
  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", hs_test_server_get_base_url (server), TRUE);

  /* [[1710327600,73241.5,73402.47,73243.33,73370.65,1.56794406]]: [time, low, high, open,
   * close, volume]; 1710327600 is 2024-03-13T11:00:00Z. */
  a = fetch_ok (db, "candles", "--provider", "coinbase", "--symbol", "BTC-USDT", "--interval",
                "1h", "--now", "2024-03-13T12:00:00Z", NULL);
  assert_counts (a, 1, 1, 0, 0);
  assert_rows (db, "SELECT i.symbol, i.exchange, i.kind, c.interval, strftime("
                             "'%Y-%m-%dT%H:%M:%SZ', c.ts / 1000000, 'unixepoch'), c.open, c.high, "
                             "c.low, c.close, c.volume FROM candles c JOIN instruments i "
                             "ON i.id = c.instrument_id",
                   "BTC-USDT|coinbase|crypto|1h|2024-03-13T11:00:00Z|73243.33|73402.47|73241.5|"
                   "73370.65|1.56794406\n");
  b = fetch_ok (db, "candles", "--provider", "coinbase", "--symbol", "BTC-USDT", "--interval",
                "1h", "--now", "2024-03-13T12:00:00Z", NULL);
  assert_counts (b, 1, 0, 1, 0);

  /* [{"trade_id":"18502034","side":"sell","size":"0.00007448","price":"73271.63000000",
   * "time":"2024-03-13T11:00:17.710679Z"}]: the maker sold, so the taker bought (+1). */
  c = fetch_ok (db, "trades", "--provider", "coinbase", "--symbol", "BTC-USDT", NULL);
  assert_counts (c, 1, 1, 0, 0);
  g_assert_cmpint (hs_test_query_int (db, "SELECT ts FROM trades"), ==,
                   iso ("2024-03-13T11:00:17.710679Z"));
  assert_rows (db, "SELECT trade_id, price, size, side, cvd_at_trade FROM trades",
                   "18502034|73271.63|7.448e-05|1|7.448e-05\n");
  g_clear_pointer (&c, json_node_unref);
  c = fetch_ok (db, "trades", "--provider", "coinbase", "--symbol", "BTC-USDT", NULL);
  assert_counts (c, 1, 0, 1, 0);

  /* The ticker: "bid":"73360.34","ask":"73369.19" at "2024-03-13T11:10:41.270099Z". */
  d = fetch_ok (db, "snapshots", "--provider", "coinbase", "--symbol", "BTC-USDT", NULL);
  assert_counts (d, 1, 1, 0, 0);
  assert_rows (db, "SELECT bid, ask, bid_size FROM quotes",
                   "73360.34|73369.19|NULL\n");
  g_assert_cmpint (hs_test_query_int (db, "SELECT ts FROM quotes"), ==,
                   iso ("2024-03-13T11:10:41.270099Z"));
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
  /* Everything went to one instrument. */
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM instruments"), ==, 1);
}

static void
test_coinbase_advanced (void)
{
  g_autofree char *db = fresh_db ("advanced.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/api/v3/brokerage");
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autofree char *book = NULL;

  hs_test_server_add (server, "/api/v3/brokerage/market/products/BTC-USD/candles",
                      hs_test_fixture ("coinbase", "advanced_market_products_BTC-USD_candles.json"));
  hs_test_server_add (server, "/api/v3/brokerage/market/products/BTC-USD/ticker",
                      hs_test_fixture ("coinbase", "advanced_market_products_BTC-USD_ticker.json"));
  hs_test_server_add (server, "/api/v3/brokerage/market/product_book",
                      hs_test_fixture ("coinbase", "advanced_market_product_book_BTC-USD.json"));

  /* Two hourly candles, newest first: ascending, start "1712188800" (2024-04-04T00:00:00Z)
   * open 65984.18 … volume 358.74851052, and "1712192400" (01:00Z) close 66181.6. */
  a = fetch_ok (db, "candles", "--provider", "coinbase-advanced", "--symbol", "BTC-USD",
                "--interval", "1h", "--from", "2024-04-04T00:00:00Z", "--to",
                "2024-04-04T01:00:00Z", "--base-url", url, "--now", "2024-04-05T00:00:00Z", NULL);
  assert_counts (a, 2, 2, 0, 0);
  assert_rows (db, "SELECT strftime('%H:%M', ts / 1000000, 'unixepoch'), open, close, "
                             "volume FROM candles ORDER BY ts",
                   "00:00|65984.18|66314.59|358.74851052\n01:00|66312.4|66181.6|355.82896243\n");

  /* Three prints, newest first: 995098663 SELL 0.00064 @ 68923.67, 995098662 SELL 0.00123858
   * @ 68923.67, 995098661 BUY 0.01450854 @ 68924.94. "side" is the maker's: the SELLs were
   * taker buys (+1), the BUY a taker sell (−1). CVD ascending: −0.01450854, −0.01326996,
   * −0.01262996. */
  b = fetch_ok (db, "trades", "--provider", "coinbase-advanced", "--symbol", "BTC-USD",
                "--limit", "3", "--base-url", url, "--now", "2026-04-07T00:29:00Z", NULL);
  assert_counts (b, 3, 3, 0, 0);
  assert_rows (db, "SELECT trade_id, side, round(cvd_at_trade, 8) FROM trades "
                             "ORDER BY ts, seq",
                   "995098661|-1|-0.01450854\n995098662|1|-0.01326996\n"
                   "995098663|1|-0.01262996\n");

  /* The book at "2026-04-07T00:28:59.662782Z": 5 levels a side; bid volume 0.17189468 +
   * 0.05795895 + 0.02177956 + 0.000016 + 0.04352771 = 0.2951769, ask volume 0.16987193 +
   * 0.058 + 0.01015616 + 0.0870495 + 0.058 = 0.38307759. */
  c = fetch_ok (db, "book", "--provider", "coinbase-advanced", "--symbol", "BTC-USD", "--depth",
                "5", "--base-url", url, "--now", "2026-04-07T00:29:00Z", NULL);
  assert_counts (c, 1, 1, 0, 0);
  book = rows (db, "SELECT best_bid, best_ask, depth, round(bid_volume, 8), round(ask_volume, 8) "
                   "FROM orderbook_snapshots");
  g_assert_cmpstr (book, ==, "68923.66|68923.67|5|0.2951769|0.38307759\n");
  g_assert_cmpint (hs_test_query_int (db, "SELECT ts FROM orderbook_snapshots"), ==,
                   iso ("2026-04-07T00:28:59.662782Z"));

  /* The best bid and ask of the ticker, at the request's time. */
  d = fetch_ok (db, "snapshots", "--provider", "coinbase-advanced", "--symbol", "BTC-USD",
                "--base-url", url, "--now", "2026-04-07T00:29:00Z", NULL);
  assert_counts (d, 1, 1, 0, 0);
  assert_rows (db, "SELECT bid, ask FROM quotes", "68923.66|68923.67\n");

  /* Again, all four: nothing new. */
  g_clear_pointer (&a, json_node_unref);
  a = fetch_ok (db, "candles", "--provider", "coinbase-advanced", "--symbol", "BTC-USD",
                "--interval", "1h", "--from", "2024-04-04T00:00:00Z", "--to",
                "2024-04-04T01:00:00Z", "--base-url", url, "--now", "2024-04-05T00:00:00Z", NULL);
  assert_counts (a, 2, 0, 2, 0);
  g_clear_pointer (&b, json_node_unref);
  b = fetch_ok (db, "trades", "--provider", "coinbase-advanced", "--symbol", "BTC-USD",
                "--limit", "3", "--base-url", url, "--now", "2026-04-07T00:29:00Z", NULL);
  assert_counts (b, 3, 0, 3, 0);
  g_clear_pointer (&c, json_node_unref);
  c = fetch_ok (db, "book", "--provider", "coinbase-advanced", "--symbol", "BTC-USD", "--depth",
                "5", "--base-url", url, "--now", "2026-04-07T00:29:00Z", NULL);
  assert_counts (c, 1, 0, 1, 0);
  g_clear_pointer (&d, json_node_unref);
  d = fetch_ok (db, "snapshots", "--provider", "coinbase-advanced", "--symbol", "BTC-USD",
                "--base-url", url, "--now", "2026-04-07T00:29:00Z", NULL);
  assert_counts (d, 1, 0, 1, 0);
  /* The venue is Coinbase's, the same as the Exchange's and the stream's. */
  assert_rows (db, "SELECT symbol, exchange, kind FROM instruments",
                   "BTC-USD|coinbase|crypto\n");
}

/* ----------------------------------------------------------------------------------------- */
/* Yahoo                                                                                      */

static void
test_yahoo (void)
{
  g_autofree char *db = fresh_db ("yahoo.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "");
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL;
  g_autofree char *ends = NULL;

  hs_test_server_add (server, "/v8/finance/chart/AAPL",
                      hs_test_fixture ("yahoo", "chart-AAPL-2020-08-31-to-2020-11-07.body.json"));
  hs_test_server_add (server, "/v8/finance/chart/QQQ",
                      hs_test_fixture ("yahoo", "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-"
                                        "false-interval-1m.body.json"));

  /* 49 daily bars, each stored at 00:00 UTC of its New York date. First: 1598880600
   * (2020-08-31) open 127.58000183105469 close 129.0399932861328 volume 225702700; last:
   * 1604673000 (2020-11-06) open 118.31999969482422 close 118.69000244140625 volume
   * 114457900. meta: instrumentType EQUITY (a stock), "longName":"Apple Inc.",
   * "currency":"USD". */
  a = fetch_ok (db, "candles", "--provider", "yahoo", "--symbol", "AAPL", "--interval", "1d",
                "--from", "2020-08-31", "--to", "2020-11-07T00:00:00Z", "--base-url", url,
                "--now", "2025-02-20T00:00:00Z", NULL);
  assert_counts (a, 49, 49, 0, 0);
  ends = rows (db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts / 1000000, 'unixepoch'), open, "
                   "close, volume FROM candles WHERE ts IN ((SELECT min(ts) FROM candles), "
                   "(SELECT max(ts) FROM candles)) ORDER BY ts");
  g_assert_cmpstr (ends, ==, "2020-08-31T00:00:00Z|127.580001831055|129.039993286133|225702700.0\n"
                             "2020-11-06T00:00:00Z|118.319999694824|118.690002441406|114457900.0\n");
  assert_rows (db, "SELECT symbol, exchange, kind, name, currency FROM instruments",
                   "AAPL||stock|Apple Inc.|USD\n");
  b = fetch_ok (db, "candles", "--provider", "yahoo", "--symbol", "AAPL", "--interval", "1d",
                "--from", "2020-08-31", "--to", "2020-11-07T00:00:00Z", "--base-url", url,
                "--now", "2025-02-20T00:00:00Z", NULL);
  assert_counts (b, 49, 0, 49, 0);

  /* A weekend of 1m bars (no `timestamp`, `quote: [{}]`), served for QQQ here: an empty
   * answer stores nothing and is no error. */
  c = fetch_ok (db, "candles", "--provider", "yahoo", "--symbol", "QQQ", "--interval", "1m",
                "--from", "2025-02-01T00:00:00Z", "--to", "2025-02-02T00:00:00Z", "--base-url",
                url, "--now", "2025-02-20T00:00:00Z", NULL);
  assert_counts (c, 0, 0, 0, 0);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM candles"), ==, 49);
}

/* ----------------------------------------------------------------------------------------- */
/* Tradier                                                                                    */

/* An option chain in Tradier's shape (docs and the recorded quote's fields; the recorded chain
 * was too large to keep, shared/fixtures/README.md): two PLTR contracts of one expiration. */
static char *
chain_body (const char *expiration,
            const char *yymmdd)
{
  return g_strdup_printf (
    "{\"options\":{\"option\":["
    "{\"symbol\":\"PLTR%sC00025000\",\"option_type\":\"call\",\"strike\":25.0,"
    "\"expiration_date\":\"%s\",\"bid\":2.5,\"ask\":2.6,\"last\":2.55,\"volume\":10,"
    "\"open_interest\":100,\"bid_date\":1719589851000,\"ask_date\":1719589852000,"
    "\"underlying\":\"PLTR\",\"greeks\":{\"delta\":0.55,\"gamma\":0.05,\"theta\":-0.02,"
    "\"vega\":0.1,\"rho\":0.01,\"mid_iv\":0.5}},"
    "{\"symbol\":\"PLTR%sP00025000\",\"option_type\":\"put\",\"strike\":25.0,"
    "\"expiration_date\":\"%s\",\"bid\":1.5,\"ask\":1.6,\"last\":1.55,\"volume\":5,"
    "\"open_interest\":50,\"bid_date\":1719589851000,\"ask_date\":1719589852000,"
    "\"underlying\":\"PLTR\",\"greeks\":null}]}}", yymmdd, expiration, yymmdd, expiration);
}

static void
test_tradier (void)
{
  g_autofree char *db = fresh_db ("tradier.db");
  g_autofree char *dump = NULL;
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/v1");
  g_autofree char *chain1 = chain_body ("2026-06-18", "260618");
  g_autofree char *chain2 = chain_body ("2026-12-18", "261218");
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL, d = NULL;
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(GPtrArray) requests = NULL;
  HsTestRequest *last;

  hs_test_server_add (server, "/v1/markets/history",
                      hs_test_fixture ("tradier", "markets_history_AAPL_daily_2024-02.json"));
  hs_test_server_add (server, "/v1/markets/quotes?symbols=PLTR&greeks=true",
                      hs_test_fixture ("tradier", "markets_quotes_PLTR_single_object.json"));
  hs_test_server_add (server, "/v1/markets/quotes?symbols=SPY%2CSPY251219P00450000&greeks=true",
                      hs_test_fixture ("tradier", "markets_quotes_SPY_and_option_greeks.json"));
  hs_test_server_add (server, "/v1/markets/options/expirations",
                      hs_test_fixture ("tradier", "markets_options_expirations_PLTR.json"));
  hs_test_server_add (server, "/v1/markets/options/chains?symbol=PLTR&expiration=2026-06-18&"
                              "greeks=true", hs_test_response_new_json (200, chain1));
  hs_test_server_add (server, "/v1/markets/options/chains?symbol=PLTR&expiration=2026-12-18&"
                              "greeks=true", hs_test_response_new_json (200, chain2));

  /* Without a token: a clear error naming the variable, no request made, nothing stored. No
   * Secret Service can answer here (the session bus address points nowhere). */
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hindsight-test-bus", TRUE);
  dump = dump_without_health (db);
  hs_test_cli (&r, db, "fetch", "candles", "--provider", "tradier", "--symbol", "AAPL",
               "--interval", "1d", "--base-url", url, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "tradier needs an access token: set $HINDSIGHT_TRADIER_TOKEN"));
  g_assert_nonnull (strstr (r.err, "keys set tradier"));
  g_assert_cmpuint (hs_test_server_count (server, NULL), ==, 0);
  assert_dump (db, dump);

  g_setenv ("HINDSIGHT_TRADIER_TOKEN", "test-token-123", TRUE);
  /* markets_history_AAPL_daily_2024-02.json: 20 days; first 2024-02-01 open 183.985 high
   * 186.95 low 183.82 close 186.86 volume 64885408; last 2024-02-29 open 181.27 close 180.75
   * volume 136682600. */
  a = fetch_ok (db, "candles", "--provider", "tradier", "--symbol", "AAPL", "--interval", "1d",
                "--from", "2024-02-01", "--to", "2024-02-29", "--base-url", url, "--now",
                "2024-06-28T00:00:00Z", NULL);
  assert_counts (a, 20, 20, 0, 0);
  assert_rows (db, "SELECT strftime('%Y-%m-%d', ts / 1000000, 'unixepoch'), open, "
                             "high, low, close, volume FROM candles WHERE ts IN ((SELECT min(ts) "
                             "FROM candles), (SELECT max(ts) FROM candles)) ORDER BY ts",
                   "2024-02-01|183.985|186.95|183.82|186.86|64885408.0\n"
                   "2024-02-29|181.27|182.57|179.53|180.75|136682600.0\n");
  /* The token went in the Authorization header. */
  requests = hs_test_server_get_requests (server);
  last = requests->pdata[requests->len - 1];
  g_assert_cmpstr (g_hash_table_lookup (last->headers, "authorization"), ==,
                   "Bearer test-token-123");
  g_assert_null (strstr (last->target, "test-token-123"));
  g_clear_pointer (&a, json_node_unref);
  a = fetch_ok (db, "candles", "--provider", "tradier", "--symbol", "AAPL", "--interval", "1d",
                "--from", "2024-02-01", "--to", "2024-02-29", "--base-url", url, "--now",
                "2024-06-28T00:00:00Z", NULL);
  assert_counts (a, 20, 0, 20, 0);

  /* Quotes of three symbols, two requests (a stock's quote does not name it, so each request
   * asks for one stock, the first with the option contracts): SPY (bid 547.95 × 2, ask 547.96
   * × 2 at bid_date 1719589861000 ms = 2024-06-28T15:51:01Z) with the put SPY251219P00450000
   * (bid 10.2, ask 10.36, mid_iv 0.209179, delta −0.136692803567622, open_interest 7230, at
   * 1719589851000 = 15:50:51Z), as recorded together; then PLTR's single object (bid 25.49 ×
   * 37, ask 25.5 × 16 at 1719589861000). */
  b = fetch_ok (db, "snapshots", "--provider", "tradier", "--symbol",
                "SPY,SPY251219P00450000,PLTR", "--base-url", url, NULL);
  assert_counts (b, 3, 3, 0, 0);
  assert_rows (db, "SELECT i.symbol, i.kind, strftime('%Y-%m-%dT%H:%M:%SZ', q.ts / "
                             "1000000, 'unixepoch'), q.bid, q.ask, q.bid_size, q.ask_size FROM "
                             "quotes q JOIN instruments i ON i.id = q.instrument_id ORDER BY "
                             "i.symbol",
                   "PLTR|stock|2024-06-28T15:51:01Z|25.49|25.5|37.0|16.0\n"
                   "SPY|etf|2024-06-28T15:51:01Z|547.95|547.96|2.0|2.0\n");
  assert_rows (db, "SELECT i.symbol, u.symbol, i.strike, i.option_right, "
                             "strftime('%Y-%m-%d', i.expiry / 1000000, 'unixepoch'), "
                             "strftime('%H:%M:%S', o.ts / 1000000, 'unixepoch'), o.bid, o.ask, "
                             "o.iv, o.delta, o.open_interest FROM option_quotes o JOIN "
                             "instruments i ON i.id = o.instrument_id JOIN instruments u ON "
                             "u.id = i.underlying_id",
                   "SPY251219P00450000|SPY|450.0|put|2025-12-19|15:50:51|10.2|10.36|0.209179|"
                   "-0.136692803567622|7230\n");
  g_clear_pointer (&b, json_node_unref);
  b = fetch_ok (db, "snapshots", "--provider", "tradier", "--symbol",
                "SPY,SPY251219P00450000,PLTR", "--base-url", url, NULL);
  assert_counts (b, 3, 0, 3, 0);

  /* Options: the 19 expirations, of which 2026-06-18 and 2026-12-18 fall in the range, then
   * one chain each: four contracts, their underlying PLTR known already. */
  c = fetch_ok (db, "options", "--provider", "tradier", "--symbol", "PLTR", "--from",
                "2026-06-01", "--to", "2026-12-31", "--base-url", url, NULL);
  assert_counts (c, 4, 4, 0, 0);
  g_assert_cmpint (member_int (json_node_get_object (c), "pages"), ==, 3);
  g_assert_cmpint (member_int (json_node_get_object (c), "instruments"), ==, 4);
  assert_rows (db, "SELECT i.symbol, i.option_right, o.bid, o.iv, o.delta FROM "
                             "option_quotes o JOIN instruments i ON i.id = o.instrument_id "
                             "WHERE i.symbol LIKE 'PLTR%' ORDER BY i.symbol",
                   "PLTR260618C00025000|call|2.5|0.5|0.55\n"
                   "PLTR260618P00025000|put|1.5|NULL|NULL\n"
                   "PLTR261218C00025000|call|2.5|0.5|0.55\n"
                   "PLTR261218P00025000|put|1.5|NULL|NULL\n");
  d = fetch_ok (db, "options", "--provider", "tradier", "--symbol", "PLTR", "--from",
                "2026-06-01", "--to", "2026-12-31", "--base-url", url, NULL);
  assert_counts (d, 4, 0, 4, 0);
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

/* ----------------------------------------------------------------------------------------- */
/* Kraken                                                                                     */

static void
test_kraken (void)
{
  g_autofree char *db = fresh_db ("kraken.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/0/public");
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL;
  g_autofree char *ends = NULL, *trade_ends = NULL, *cvd = NULL;

  hs_test_server_add (server, "/0/public/OHLC",
                      hs_test_fixture ("kraken", "0_public_OHLC_XBTUSDT_1m.min.json"));
  hs_test_server_add (server, "/0/public/Trades",
                      hs_test_fixture ("kraken", "0_public_Trades_XBTUSDT.min.json"));
  /* After the recorded page, `since` = its "last": no newer trades (Kraken's empty answer). */
  hs_test_server_add (server, "/0/public/Trades?pair=XBTUSDT&since=1762820035982277754&"
                              "count=1000",
                      hs_test_response_new_json (200, "{\"error\":[],\"result\":{\"XBTUSDT\":[],"
                                                      "\"last\":\"1762820035982277754\"}}"));
  hs_test_server_add (server, "/0/public/Depth",
                      hs_test_fixture ("kraken", "0_public_Depth_XBTUSDT.json"));

  /* 0_public_OHLC_XBTUSDT_1m.min.json: 721 rows from 1762777020 to 1762820220, "last"
   * 1762820160: the row after it is still forming, 720 bars. First [1762777020, "106038.2"
   * ×4, vwap "0.0", volume "0.00000000", count 0] (no trades: vwap unknown); last kept
   * [1762820160, "105899.4" ×4, …, 0]. Now is 1762820220 (2025-11-11T00:17:00Z). */
  a = fetch_ok (db, "candles", "--provider", "kraken", "--symbol", "XBTUSDT", "--interval",
                "1m", "--from", "2025-11-10T12:17:00Z", "--base-url", url, "--now",
                "2025-11-11T00:17:00Z", NULL);
  assert_counts (a, 720, 720, 0, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (a), "instrument"), ==,
                   "BTC/USDT");
  ends = rows (db, "SELECT ts / 1000000, open, close, vwap, trade_count FROM candles WHERE ts IN "
                   "((SELECT min(ts) FROM candles), (SELECT max(ts) FROM candles)) ORDER BY ts");
  g_assert_cmpstr (ends, ==, "1762777020|106038.2|106038.2|NULL|0\n"
                             "1762820160|105899.4|105899.4|NULL|0\n");
  /* Stored under the pair's WebSocket name, where `stream --provider kraken` writes. */
  assert_rows (db, "SELECT symbol, exchange, kind FROM instruments",
                   "BTC/USDT|kraken|crypto\n");

  /* 0_public_Trades_XBTUSDT.min.json: 1000 trades (a full page: the walk asks for the next,
   * which is empty). First ["105433.60000","0.00027625",1762795433.9717445,"b",…,10218208]
   * (a buying taker, the half microsecond cut); last ["105899.40000","0.00009443",
   * 1762820035.9822779,"s",…,10219207]. */
  b = fetch_ok (db, "trades", "--provider", "kraken", "--symbol", "XBTUSDT", "--base-url", url,
                NULL);
  assert_counts (b, 1000, 1000, 0, 0);
  g_assert_cmpint (member_int (json_node_get_object (b), "requests"), ==, 2);
  trade_ends = rows (db, "SELECT * FROM (SELECT ts, trade_id, price, size, side FROM trades "
                         "ORDER BY ts, seq LIMIT 1) UNION ALL SELECT * FROM (SELECT ts, "
                         "trade_id, price, size, side FROM trades ORDER BY ts DESC, seq DESC "
                         "LIMIT 1)");
  g_assert_cmpstr (trade_ends, ==, "1762795433971744|10218208|105433.6|0.00027625|1\n"
                                   "1762820035982277|10219207|105899.4|9.443e-05|-1\n");
  /* 32 trades share the microsecond 1762799296197346: ordinals 0 … 31. */
  g_assert_cmpint (hs_test_query_int (db, "SELECT max(seq) FROM trades WHERE ts = "
                                          "1762799296197346"), ==, 31);
  /* Every CVD is the running sum of side × size (SQLite's window sum as the reference). */
  cvd = rows (db, "SELECT count(*) FROM (SELECT cvd_at_trade, sum(side * size) OVER (ORDER BY "
                  "ts, seq) AS ref FROM trades) WHERE abs(cvd_at_trade - ref) > 1e-9");
  g_assert_cmpstr (cvd, ==, "0\n");
  g_clear_pointer (&b, json_node_unref);
  b = fetch_ok (db, "trades", "--provider", "kraken", "--symbol", "XBTUSDT", "--base-url", url,
                NULL);
  assert_counts (b, 1000, 0, 1000, 0);

  /* Depth, 5 levels: best bid 105944.2, best ask 105944.3; bid volume 0.002 + 0.024 + 0.095 +
   * 0.016 + 0.005 = 0.142, ask volume 0.136 + 0.095 + 0.003 + 0.103 + 0.024 = 0.361. */
  c = fetch_ok (db, "book", "--provider", "kraken", "--symbol", "XBTUSD", "--depth", "5",
                "--base-url", url, "--now", "2025-11-11T00:17:30Z", NULL);
  assert_counts (c, 1, 1, 0, 0);
  assert_rows (db, "SELECT i.symbol, b.best_bid, b.best_ask, round(b.bid_volume, 9), "
                             "round(b.ask_volume, 9) FROM orderbook_snapshots b JOIN instruments "
                             "i ON i.id = b.instrument_id",
                   "BTC/USD|105944.2|105944.3|0.142|0.361\n");
  g_clear_pointer (&a, json_node_unref);
  a = fetch_ok (db, "candles", "--provider", "kraken", "--symbol", "XBTUSDT", "--interval",
                "1m", "--from", "2025-11-10T12:17:00Z", "--base-url", url, "--now",
                "2025-11-11T00:17:00Z", NULL);
  assert_counts (a, 720, 0, 720, 0);
}

/* ----------------------------------------------------------------------------------------- */
/* Failures                                                                                   */

/* 429 with Retry-After: 1, then the answer: retried after the wait, stored once; the 429 is
 * in the provider's figures. */
static void
test_retry_429 (void)
{
  g_autofree char *db = fresh_db ("429.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  HsTestResponse *busy = hs_test_response_new_json (429, "{\"message\":\"slow down\"}");
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  int64_t gap;

  hs_test_response_set_header (busy, "Retry-After", "1");
  hs_test_server_add (server, "/products/BTC-USDT/trades", busy);
  hs_test_server_add (server, "/products/BTC-USDT/trades",
                      hs_test_fixture ("coinbase", "exchange_products_BTC-USDT_trades_limit1.json"));
  a = fetch_ok (db, "trades", "--provider", "coinbase", "--symbol", "BTC-USDT", "--base-url",
                hs_test_server_get_base_url (server), NULL);
  assert_counts (a, 1, 1, 0, 0);
  g_assert_cmpint (member_int (json_node_get_object (a), "requests"), ==, 1);
  g_assert_cmpint (member_int (json_node_get_object (a), "attempts"), ==, 2);
  requests = hs_test_server_get_requests (server);
  g_assert_cmpuint (requests->len, ==, 2);
  gap = ((HsTestRequest *) requests->pdata[1])->arrival
        - ((HsTestRequest *) requests->pdata[0])->arrival;
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC - 50000);   /* Retry-After honoured */
  g_assert_cmpint (latest_metric (db, "coinbase", "http_429"), ==, 1);
  g_assert_cmpint (latest_metric (db, "coinbase", "requests"), ==, 2);
  g_assert_cmpint (latest_metric (db, "coinbase", "consecutive_failures"), ==, 0);
}

/* A 500 on every attempt: a clear error, nothing stored; the error in system_metrics, and the
 * third failing run in a row raises the provider alert (one, not one per run after it). */
static void
test_server_errors (void)
{
  g_autofree char *db = fresh_db ("500.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/trade-api/v2");
  g_autofree char *before = NULL;

  hs_test_server_add (server, "/trade-api/v2/markets/trades",
                      hs_test_response_new_json (500, "{\"error\":\"internal\"}"));
  before = dump_without_health (db);
  for (int run = 1; run <= 4; run++)
    {
      g_auto(HsTestRun) r = { 0 };

      hs_test_cli (&r, db, "fetch", "trades", "--provider", "kalshi", "--symbol",
                   "KXELONMARS-99", "--attempts", "3", "--base-url", url, NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, "kalshi: GET 127.0.0.1:"));
      g_assert_nonnull (strstr (r.err, "/trade-api/v2/markets/trades: HTTP 500"));
      g_assert_nonnull (strstr (r.err, "after 3 attempts"));
      g_assert_cmpstr (r.out, ==, "");
      g_assert_cmpint (latest_metric (db, "kalshi", "consecutive_failures"), ==, run);
      g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM alerts"), ==,
                       run >= 3 ? 1 : 0);
    }
  g_assert_cmpuint (hs_test_server_count (server, "/trade-api/v2/markets/trades"), ==, 12);
  g_assert_cmpint (latest_metric (db, "kalshi", "errors"), ==, 1);
  assert_rows (db, "SELECT kind, severity, title, source FROM alerts",
                   "provider_error|error|kalshi: 3 requests failed in a row|fetch.kalshi\n");
  {
    g_autofree char *message = rows (db, "SELECT message FROM alerts");

    g_assert_nonnull (strstr (message, "HTTP 500"));
  }
  assert_dump (db, before);

  /* A success ends the streak: 0 again, and a later failure starts a new one at 1. */
  {
    g_autoptr(HsTestServer) good = hs_test_server_new ();
    g_autofree char *good_url = base_url (good, "/trade-api/v2");
    g_autoptr(JsonNode) ok = NULL;

    hs_test_server_add (good, "/trade-api/v2/markets/trades",
                        hs_test_response_new_json (200, "{\"trades\":[],\"cursor\":\"\"}"));
    ok = fetch_ok (db, "trades", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                   "--base-url", good_url, NULL);
    assert_counts (ok, 0, 0, 0, 0);
    g_assert_cmpint (latest_metric (db, "kalshi", "consecutive_failures"), ==, 0);
  }
}

/* Answers that cannot be used: not JSON, cut short, not JSON by its Content-Type, 50 MB (over
 * the 32 MiB cap), never sent (a stalled connection, with a one-second timeout). Each a clear
 * error; the database (but its health rows) exactly as before. */
static void
test_bad_bodies (void)
{
  g_autofree char *db = fresh_db ("bad.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/trade-api/v2");
  g_autofree char *before = NULL;
  HsTestResponse *cut = hs_test_fixture ("kalshi", "markets_trades_KXELONMARS-99_limit3.json");
  HsTestResponse *html = hs_test_response_new (200);
  HsTestResponse *big = hs_test_response_new (200);
  HsTestResponse *stall = hs_test_response_new (200);
  g_autoptr(JsonNode) seed = NULL;
  const struct
  {
    const char *path;
    const char *attempts;
    const char *message;
  } cases[] = {
    { "/trade-api/v2/markets/KXELONMARS-99/orderbook", "1", "kalshi book: " },
    { "/trade-api/v2/markets/trades", "2", "bytes remaining to read (after 2 attempts)" },
    { "/trade-api/v2/markets/KXCOLONIZEMARS-50", "1", "expected application/json or text/json, "
                                                      "got text/html" },
    { "/trade-api/v2/markets/KXBIG-1", "1", "larger than" },
    { "/trade-api/v2/markets/KXSTALL-1", "1", "timed out after" },
  };

  /* Something stored first, so that "unchanged" means more than empty. */
  hs_test_server_add (server, "/trade-api/v2/markets/KXELONMARS-99",
                      hs_test_fixture ("kalshi", "markets_KXELONMARS-99.json"));
  seed = fetch_ok (db, "snapshots", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
                   "--base-url", url, "--now", "2026-06-12T17:00:00Z", NULL);
  assert_counts (seed, 1, 1, 0, 0);

  hs_test_server_add (server, cases[0].path,
                      hs_test_response_new_json (200, "{\"orderbook_fp\": {\"yes_dollars\": [["));
  hs_test_response_set_truncate (cut, 100);
  hs_test_server_add (server, cases[1].path, cut);
  hs_test_response_set_body (html, "<html><body>We moved</body></html>", -1);
  hs_test_response_set_header (html, "Content-Type", "text/html");
  hs_test_server_add (server, cases[2].path, html);
  hs_test_response_set_header (big, "Content-Type", "application/json");
  hs_test_response_set_generated (big, G_GUINT64_CONSTANT (50) * 1024 * 1024, FALSE);
  hs_test_server_add (server, cases[3].path, big);
  hs_test_response_set_stall (stall);
  hs_test_server_add (server, cases[4].path, stall);

  before = dump_without_health (db);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(HsTestRun) r = { 0 };
      const char *const symbols[] = { "KXELONMARS-99", "KXELONMARS-99", "KXCOLONIZEMARS-50",
                                      "KXBIG-1", "KXSTALL-1" };
      const char *kind = i == 0 ? "book" : i == 1 ? "trades" : "snapshots";

      hs_test_cli (&r, db, "fetch", kind, "--provider", "kalshi", "--symbol", symbols[i],
                   "--attempts", cases[i].attempts, "--timeout", "1", "--base-url", url,
                   "--now", "2026-06-12T18:00:00Z", NULL);
      g_assert_cmpint (r.status, ==, 1);
      if (strstr (r.err, cases[i].message) == NULL)
        g_printerr ("case %zu: %s", i, r.err);
      g_assert_nonnull (strstr (r.err, cases[i].message));
      assert_dump (db, before);
    }
  /* Each failure counted: the third in a row raised the alert, the later ones no other. */
  g_assert_cmpint (latest_metric (db, "kalshi", "consecutive_failures"), ==, 5);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM alerts"), ==, 1);
}

/* The second page fails: the first stays stored, nothing of the second, and the error says so. */
static void
test_midway_failure (void)
{
  g_autofree char *db = fresh_db ("midway.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = base_url (server, "/trade-api/v2");
  g_auto(HsTestRun) r = { 0 };

  hs_test_server_add (server, "/trade-api/v2/markets/trades",
                      hs_test_fixture ("kalshi", "markets_trades_KXELONMARS-99_limit3.json"));
  hs_test_server_add (server, "/trade-api/v2/markets/trades?ticker=KXELONMARS-99&limit=3&"
                              "cursor=EhIKEFq9i3ERl0wsdoYvGaMHJ8kaCwikt7DRBhCwt946",
                      hs_test_response_new_json (200, "{\"cursor\":\"\",\"trades\":[{"
                                                      "\"count_fp\":\"1.00\"}]}"));
  hs_test_cli (&r, db, "fetch", "trades", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
               "--limit", "3", "--base-url", url, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "kalshi trades: trades[0].created_time: missing"));
  g_assert_nonnull (strstr (r.err, "the 1 page before the failure is stored"));
  g_assert_nonnull (strstr (r.out, "kalshi trades KXELONMARS-99: 3 rows, 3 new"));
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM trades"), ==, 3);
}

static void
test_usage (void)
{
  g_autofree char *db = fresh_db ("usage.db");
  const char *const cases[][12] = {
    { "fetch", "candles", "--provider", "nope", "--symbol", "X", "--interval", "1h", NULL },
    { "fetch", "quotes", "--provider", "kalshi", "--symbol", "X", NULL },
    { "fetch", "options", "--provider", "kalshi", "--symbol", "X", NULL },
    { "fetch", "candles", "--provider", "kraken", "--symbol", "XBTUSD", "--interval", "2h",
      NULL },
    { "fetch", "trades", "--provider", "kraken", NULL },
    { "fetch", "trades", "--symbol", "X", NULL },
    { "fetch", "trades", "--provider", "kalshi", "--symbol", "X", "--base-url", "ftp://x",
      NULL },
    { "fetch", "trades", "--provider", "kalshi", "--symbol", "X", "--from", "yesterday", NULL },
    { "keys", "set", "kalshi", NULL },
    { "keys", "set", NULL },
  };
  const char *const messages[] = {
    "unknown provider “nope” (known: kalshi, coinbase, coinbase-advanced, yahoo, tradier, "
    "kraken)",
    "unknown kind “quotes”",
    "kalshi has no options (it has instruments, candles, trades, book, snapshots)",
    "kraken has no 2h candles (it has 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w)",
    "kraken trades needs a symbol",
    "fetch needs --provider",
    "must start with http:// or https://",
    "bad --from",
    "kalshi needs no token",
    "usage: keys set|clear PROVIDER",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL, *err = NULL;

      g_ptr_array_add (args, (char *) g_getenv ("HS_CLI"));
      g_ptr_array_add (args, "--db");
      g_ptr_array_add (args, db);
      for (size_t k = 0; cases[i][k] != NULL; k++)
        g_ptr_array_add (args, (char *) cases[i][k]);
      g_ptr_array_add (args, NULL);
      proc = g_subprocess_newv ((const char *const *) args->pdata,
                                G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      if (strstr (err, messages[i]) == NULL)
        g_printerr ("case %zu: %s", i, err);
      g_assert_nonnull (strstr (err, messages[i]));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
    }
}

/* `providers`: every provider, what it serves, and whether its key is set (Tradier's from the
 * environment here; the keyless ones need none). */
static void
test_providers (void)
{
  g_autofree char *db = fresh_db ("providers.db");
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;

  g_setenv ("HINDSIGHT_TRADIER_TOKEN", "secret-value-xyz", TRUE);
  g_setenv ("HINDSIGHT_KRAKEN_BASE_URL", "http://127.0.0.1:9/kraken/", TRUE);
  hs_test_cli (&r, db, "providers", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, "secret-value-xyz"));
  root = hs_test_parse_json (r.out);
  list = json_object_get_array_member (json_node_get_object (root), "providers");
  g_assert_cmpuint (json_array_get_length (list), ==, 6);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *p = json_array_get_object_element (list, i);
      const char *name = json_object_get_string_member (p, "name");

      if (g_str_equal (name, "tradier"))
        {
          g_assert_true (json_object_get_boolean_member (p, "needs_token"));
          g_assert_true (json_object_get_boolean_member (p, "token_configured"));
          g_assert_cmpstr (json_object_get_string_member (p, "token"), ==,
                           "$HINDSIGHT_TRADIER_TOKEN");
        }
      else
        {
          g_assert_false (json_object_get_boolean_member (p, "needs_token"));
          g_assert_cmpstr (json_object_get_string_member (p, "token"), ==, "not needed");
        }
      if (g_str_equal (name, "kraken"))
        {
          g_assert_cmpstr (json_object_get_string_member (p, "base_url"), ==,
                           "http://127.0.0.1:9/kraken");
          g_assert_nonnull (strstr (json_object_get_string_member (p, "limits"),
                                    "1m: ≤ 720 bars per request, last 12 h only"));
        }
    }
  hs_test_cli (&r, db, "providers", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "kalshi — Kalshi\n  serves     instruments, candles, "
                                          "trades, book, snapshots (candles: 1m, 1h, 1d)\n"
                                          "  key        not needed\n"));
  g_assert_nonnull (strstr (r.out, "tradier — Tradier\n"));
  g_assert_nonnull (strstr (r.out, "  key        $HINDSIGHT_TRADIER_TOKEN\n"));
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  g_unsetenv ("HINDSIGHT_KRAKEN_BASE_URL");
}

/* Runs `hindsight-cli keys ARGS…` with @input on its standard input. */
static void
keys_with_input (HsTestRun  *r,
                 const char *input,
                 const char *verb,
                 const char *provider)
{
  const char *argv[] = { g_getenv ("HS_CLI"), "keys", verb, provider, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  hs_test_run_clear (r);
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                  | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, input, NULL, &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
}

/* Without a Secret Service (the session bus address points nowhere), `keys` says so and names
 * the environment variable to use instead; the token never appears in what it prints. */
static void
test_keys_unavailable (void)
{
  g_auto(HsTestRun) r = { 0 };

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/hindsight-test-bus", TRUE);
  keys_with_input (&r, "tok-abc-123\n", "set", "tradier");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no Secret Service (OS keyring) is available to store a "
                                   "token"));
  g_assert_nonnull (strstr (r.err, "set $HINDSIGHT_TRADIER_TOKEN in the environment instead"));
  g_assert_null (strstr (r.err, "tok-abc-123"));
  g_assert_null (strstr (r.out, "tok-abc-123"));
  keys_with_input (&r, "", "clear", "tradier");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no Secret Service (OS keyring) is available to remove a "
                                   "token"));
  /* An empty line is no token; a line with a tab inside is refused before the keyring. */
  keys_with_input (&r, "\n", "set", "tradier");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no token read from standard input"));
  keys_with_input (&r, "ab\tcd\n", "set", "tradier");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "control character"));
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-test-cli-fetch-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  /* The tests' environment decides where requests go and which tokens exist. */
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  g_test_add_func ("/hs/cli/fetch/kalshi", test_kalshi);
  g_test_add_func ("/hs/cli/fetch/kalshi-pages", test_kalshi_pages);
  g_test_add_func ("/hs/cli/fetch/coinbase", test_coinbase_exchange);
  g_test_add_func ("/hs/cli/fetch/coinbase-advanced", test_coinbase_advanced);
  g_test_add_func ("/hs/cli/fetch/yahoo", test_yahoo);
  g_test_add_func ("/hs/cli/fetch/tradier", test_tradier);
  g_test_add_func ("/hs/cli/fetch/kraken", test_kraken);
  g_test_add_func ("/hs/cli/fetch/retry-429", test_retry_429);
  g_test_add_func ("/hs/cli/fetch/server-errors", test_server_errors);
  g_test_add_func ("/hs/cli/fetch/bad-bodies", test_bad_bodies);
  g_test_add_func ("/hs/cli/fetch/midway-failure", test_midway_failure);
  g_test_add_func ("/hs/cli/fetch/usage", test_usage);
  g_test_add_func ("/hs/cli/fetch/providers", test_providers);
  g_test_add_func ("/hs/cli/fetch/keys-unavailable", test_keys_unavailable);
  status = g_test_run ();
  hs_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
