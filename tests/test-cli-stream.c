/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli stream` end to end against the local WebSocket server (tests/hs-test-ws-server.c)
 * replaying tests/data/stream/coinbase-gap.script and kraken-checksum.script: the summary
 * (--json), the rows it stored and the gaps it recorded and how the command repaired them over
 * REST (src/jobs/hs-fetch-repair.c: the provider's book and the missing trades, answered by the
 * local HTTP server, tests/hs-test-server.c), the same with the REST side answering 404, the
 * stream's counts in system_metrics, the URL from the environment, Ctrl-C, and usage errors.
 * Every REST base URL points at 127.0.0.1: nothing reaches the internet.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "hs-test-server.h"
#include "hs-test-sql.h"
#include "hs-test-ws-server.h"

static char *tmpdir;

static int64_t
member_int (JsonObject *o,
            const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_int_member (o, name);
}

/* Points the REST providers the stream repairs from at @server (or, with NULL, at a local port
 * nothing listens on). */
static void
rest_at (HsTestServer *server)
{
  const char *base = server != NULL ? hs_test_server_get_base_url (server) : "http://127.0.0.1:9";
  g_autofree char *advanced = g_strconcat (base, "/api/v3/brokerage", NULL);
  g_autofree char *kraken = g_strconcat (base, "/0/public", NULL);

  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", base, TRUE);
  g_setenv ("HINDSIGHT_COINBASE_ADVANCED_BASE_URL", advanced, TRUE);
  g_setenv ("HINDSIGHT_KRAKEN_BASE_URL", kraken, TRUE);
}

/* The coinbase-gap script (sequence_num 3 and trade 995098703 missing) with the REST side
 * answering: the book after the gap is Advanced Trade's product_book (written here in its
 * recorded shape: bids 68899.00×1.0, 68898.50×2.0; asks 68901.00×0.25, 68902.00×1.0, the same
 * book test-stream.c's callback gives), and trade 995098703 comes from the Exchange's trades
 * paged by id (after = 995098704, limit 1): a maker "sell" of 0.03 at 68900.25, a taker buy. */
static void
test_stream_gap (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "gap.db", NULL);
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-gap.script", NULL);
  g_autoptr(HsTestServer) rest = hs_test_server_new ();
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *trades = NULL, *gaps = NULL, *books = NULL, *metrics = NULL;
  JsonObject *o;

  hs_test_server_add (rest, "/api/v3/brokerage/market/product_book",
                      hs_test_response_new_json (200,
                        "{\"pricebook\":{\"product_id\":\"BTC-USD\",\"bids\":["
                        "{\"price\":\"68899.00\",\"size\":\"1.0\"},"
                        "{\"price\":\"68898.50\",\"size\":\"2.0\"}],\"asks\":["
                        "{\"price\":\"68901.00\",\"size\":\"0.25\"},"
                        "{\"price\":\"68902.00\",\"size\":\"1.0\"}],"
                        "\"time\":\"2026-04-07T14:30:04.000000Z\"}}"));
  hs_test_server_add (rest, "/products/BTC-USD/trades?limit=1&after=995098704",
                      hs_test_response_new_json (200,
                        "[{\"trade_id\":995098703,\"side\":\"sell\",\"size\":\"0.03\","
                        "\"price\":\"68900.25\",\"time\":\"2026-04-07T14:30:06.05Z\"}]"));
  rest_at (rest);
  hs_test_cli (&r, db, "stream", "--provider", "coinbase", "--symbol", "BTC-USD", "--url",
               hs_test_ws_server_get_url (server), "--seconds", "2", "--json", NULL);
  rest_at (NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, "coinbase");
  g_assert_cmpstr (json_object_get_string_member (o, "symbol"), ==, "BTC-USD");
  g_assert_false (json_object_get_boolean_member (o, "interrupted"));
  /* The nine frames of the script (sequence_num 0, 1, 2, 4 … 9). */
  g_assert_cmpint (member_int (o, "messages"), ==, 9);
  g_assert_cmpint (member_int (o, "malformed"), ==, 0);
  g_assert_cmpint (member_int (o, "last_sequence"), ==, 9);
  g_assert_cmpint (member_int (o, "connections"), ==, 1);
  /* Trades 995098700, 701, 702, 703 (filled over REST), 704; 701 twice. */
  g_assert_cmpint (member_int (o, "trades"), ==, 5);
  g_assert_cmpint (member_int (o, "duplicates"), ==, 1);
  g_assert_cmpint (member_int (o, "filled"), ==, 1);
  /* With the REST book the update at sequence_num 4 applies at once: applied 0, 1, 4, 5, 6,
   * 8; stored 0, 1, 4, 5, 8 (6 is half a second after 5). */
  g_assert_cmpint (member_int (o, "dropped"), ==, 0);
  g_assert_cmpint (member_int (o, "book_events"), ==, 6);
  g_assert_cmpint (member_int (o, "books"), ==, 5);
  g_assert_cmpint (member_int (o, "gaps"), ==, 2);
  g_assert_cmpint (member_int (o, "resyncs"), ==, 1);
  g_assert_cmpint (member_int (o, "resync_failures"), ==, 0);
  g_assert_cmpuint (hs_test_server_count (rest, "/api/v3/brokerage/market/product_book"), ==, 1);
  g_assert_cmpuint (hs_test_server_count (rest, "/products/BTC-USD/trades"), ==, 1);

  /* CVD: −0.0015; +0.05 → 0.0485; +0.01 → 0.0585; +0.03 → 0.0885; −0.02 → 0.0685. */
  trades = hs_test_query_rows (db, "SELECT trade_id, side, printf('%.4f', cvd_at_trade) "
                                   "FROM trades "
                                   "ORDER BY ts, seq");
  g_assert_cmpstr (trades, ==, "995098700|-1|-0.0015\n995098701|1|0.0485\n"
                               "995098702|1|0.0585\n995098703|1|0.0885\n"
                               "995098704|-1|0.0685\n");
  gaps = hs_test_query_rows (db, "SELECT provider, channel, kind, from_seq, to_seq, resync, "
                                 "resync_error, detail FROM stream_gaps ORDER BY id");
  g_assert_cmpstr (gaps, ==, "coinbase|connection|sequence|3|3|rest+resubscribe|NULL|"
                             "{\"expected\":3,\"received\":4}\n"
                             "coinbase|trades|trade_id|995098703|995098703|rest|NULL|"
                             "{\"missing\":1,\"filled\":1}\n");
  /* The book stored at the gap: the REST book plus the update's bid 68898×3. */
  books = hs_test_query_rows (db, "SELECT bids, asks FROM orderbook_snapshots ORDER BY ts "
                                  "LIMIT 1 OFFSET 2");
  g_assert_cmpstr (books, ==, "[[68899,1],[68898.5,2],[68898,3]]|[[68901,0.25],[68902,1]]\n");
  /* The stream's counts, in system_metrics. */
  metrics = hs_test_query_rows (db, "SELECT name, value FROM system_metrics WHERE component = "
                                    "'stream.coinbase' AND name IN ('messages', 'trades', "
                                    "'filled', 'gaps', 'resyncs') ORDER BY name");
  g_assert_cmpstr (metrics, ==, "filled|1.0\ngaps|2.0\nmessages|9.0\nresyncs|1.0\n"
                                "trades|5.0\n");

  /* `gaps` lists them with the instrument's report (no candles stored here). */
  hs_test_cli (&r, db, "gaps", "BTC-USD", "--exchange", "coinbase", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\nstream gaps: 2 recorded by live streams\n"
                                   "  2026-04-07T14:30:04Z  coinbase connection sequence 3…3  "
                                   "repaired: rest+resubscribe\n"
                                   "  2026-04-07T14:30:06.100Z  coinbase trades trade_id "
                                   "995098703…995098703  repaired: rest\n"));
  hs_test_cli (&r, db, "gaps", "BTC-USD", "--exchange", "coinbase", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&root, json_node_unref);
  root = hs_test_parse_json (r.out);
  {
    JsonArray *list = json_object_get_array_member (json_node_get_object (root), "stream_gaps");
    JsonObject *g;

    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g = json_array_get_object_element (list, 1);
    g_assert_cmpstr (json_object_get_string_member (g, "kind"), ==, "trade_id");
    g_assert_cmpint (json_object_get_int_member (g, "from"), ==, 995098703);
    g_assert_cmpstr (json_object_get_string_member (g, "resync"), ==, "rest");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (g, "detail"),
                                                 "filled"), ==, 1);
  }
}

/* The same feed with the REST side answering 404 to everything: the book waits for the feed's
 * own fresh snapshot (the update at sequence_num 4 is dropped; applied 0, 1, 5, 6, 8; stored 0,
 * 1, 5, 8), trade 995098703 stays missing, and both gaps keep the reason. */
static void
test_stream_gap_rest_fails (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "gap-404.db", NULL);
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-gap.script", NULL);
  g_autoptr(HsTestServer) rest = hs_test_server_new ();
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *trades = NULL, *gaps = NULL;
  JsonObject *o;

  rest_at (rest);
  hs_test_cli (&r, db, "stream", "--provider", "coinbase", "--symbol", "BTC-USD", "--url",
               hs_test_ws_server_get_url (server), "--seconds", "2", "--json", NULL);
  rest_at (NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpint (member_int (o, "messages"), ==, 9);
  g_assert_cmpint (member_int (o, "trades"), ==, 4);
  g_assert_cmpint (member_int (o, "duplicates"), ==, 1);
  g_assert_cmpint (member_int (o, "filled"), ==, 0);
  g_assert_cmpint (member_int (o, "dropped"), ==, 1);
  g_assert_cmpint (member_int (o, "book_events"), ==, 5);
  g_assert_cmpint (member_int (o, "books"), ==, 4);
  g_assert_cmpint (member_int (o, "gaps"), ==, 2);
  g_assert_cmpint (member_int (o, "resyncs"), ==, 1);
  g_assert_cmpint (member_int (o, "resync_failures"), ==, 1);

  /* CVD: −0.0015 + 0.05 + 0.01 − 0.02 = 0.0385 after 704. */
  trades = hs_test_query_rows (db, "SELECT trade_id, side, printf('%.4f', cvd_at_trade) "
                                   "FROM trades "
                                   "ORDER BY ts, seq");
  g_assert_cmpstr (trades, ==, "995098700|-1|-0.0015\n995098701|1|0.0485\n"
                               "995098702|1|0.0585\n995098704|-1|0.0385\n");
  gaps = hs_test_query_rows (db, "SELECT provider, channel, kind, from_seq, to_seq, resync, "
                                 "resync_error LIKE '%HTTP 404%' FROM stream_gaps ORDER BY id");
  g_assert_cmpstr (gaps, ==, "coinbase|connection|sequence|3|3|resubscribe|1\n"
                             "coinbase|trades|trade_id|995098703|995098703|none|1\n");
}

/* Kraken (kraken-checksum.script): a corrupted book update breaks the checksum, and trade id
 * 4665848 is missing. The REST side answers Depth for ALGOUSD (the REST name of ALGO/USD) with
 * bid 0.12291×1000 and ask 0.12307×500, and Trades with 4665847 … 4665849 in Kraken's shape;
 * 4665848 is a taker sell of 20 at 0.12292 at 02:47:01.5 (written here, between its neighbours'
 * times). CVD: buy 100 → 100; sell 40.5 → 59.5; sell 20 → 39.5; sell 10 → 29.5. */
static void
test_stream_kraken (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "kraken.db", NULL);
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("kraken-checksum.script",
                                                                  NULL);
  g_autoptr(HsTestServer) rest = hs_test_server_new ();
  g_autoptr(GPtrArray) requests = NULL;
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *trades = NULL, *gaps = NULL, *book_gap = NULL;
  JsonObject *o;
  gboolean depth_asked = FALSE, trades_asked = FALSE;

  hs_test_server_add (rest, "/0/public/Depth",
                      hs_test_response_new_json (200,
                        "{\"error\":[],\"result\":{\"ALGOUSD\":{"
                        "\"asks\":[[\"0.12307\",\"500\",1727923618]],"
                        "\"bids\":[[\"0.12291\",\"1000\",1727923618]]}}}"));
  hs_test_server_add (rest, "/0/public/Trades",
                      hs_test_response_new_json (200,
                        "{\"error\":[],\"result\":{\"ALGOUSD\":["
                        "[\"0.12290\",\"40.5\",1727923621.0,\"s\",\"m\",\"\",4665847],"
                        "[\"0.12292\",\"20\",1727923621.5,\"s\",\"m\",\"\",4665848],"
                        "[\"0.12289\",\"10\",1727923622.0,\"s\",\"m\",\"\",4665849]],"
                        "\"last\":\"1727923622000000000\"}}"));
  rest_at (rest);
  hs_test_cli (&r, db, "stream", "--provider", "kraken", "--symbol", "ALGO/USD", "--url",
               hs_test_ws_server_get_url (server), "--seconds", "2", "--json", NULL);
  rest_at (NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpint (member_int (o, "gaps"), ==, 2);
  g_assert_cmpint (member_int (o, "resyncs"), ==, 1);
  g_assert_cmpint (member_int (o, "resync_failures"), ==, 0);
  g_assert_cmpint (member_int (o, "filled"), ==, 1);
  requests = hs_test_server_get_requests (rest);
  for (guint i = 0; i < requests->len; i++)
    {
      const char *target = ((HsTestRequest *) requests->pdata[i])->target;

      depth_asked |= g_str_has_prefix (target, "/0/public/Depth?pair=ALGOUSD&count=500");
      trades_asked |= g_str_has_prefix (target, "/0/public/Trades?pair=ALGOUSD");
    }
  g_assert_true (depth_asked);
  g_assert_true (trades_asked);
  trades = hs_test_query_rows (db, "SELECT trade_id, side, cvd_at_trade FROM trades "
                                   "ORDER BY ts, seq");
  g_assert_cmpstr (trades, ==, "4665846|1|100.0\n4665847|-1|59.5\n4665848|-1|39.5\n"
                               "4665849|-1|29.5\n");
  gaps = hs_test_query_rows (db, "SELECT kind, from_seq, to_seq, resync, detail FROM "
                                 "stream_gaps WHERE kind = 'trade_id'");
  g_assert_cmpstr (gaps, ==, "trade_id|4665848|4665848|rest|{\"missing\":1,\"filled\":1}\n");
  book_gap = hs_test_query_rows (db, "SELECT resync FROM stream_gaps WHERE kind = 'checksum'");
  g_assert_cmpstr (book_gap, ==, "rest+resubscribe\n");
}

static void
test_stream_env_url (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "env.db", NULL);
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-hold.script", NULL);
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;

  /* No --url: $HINDSIGHT_COINBASE_WS_URL points at the local server. */
  g_setenv ("HINDSIGHT_COINBASE_WS_URL", hs_test_ws_server_get_url (server), TRUE);
  hs_test_cli (&r, db, "stream", "--provider", "coinbase", "--symbol", "ETH-USD",
               "--seconds", "0.5", "--json", NULL);
  g_unsetenv ("HINDSIGHT_COINBASE_WS_URL");
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "url"), ==,
                   hs_test_ws_server_get_url (server));
  g_assert_cmpint (member_int (o, "connections"), ==, 1);
  g_assert_cmpint (member_int (o, "messages"), ==, 0);
  g_assert_true (json_object_get_null_member (o, "last_sequence"));
  g_assert_cmpint (hs_test_ws_server_n_connections (server), ==, 1);
}

static void
test_stream_interrupt (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "sigint.db", NULL);
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-hold.script", NULL);
  const char *argv[] = { g_getenv ("HS_CLI"), "--db", db, "stream", "--provider", "coinbase",
                         "--symbol", "BTC-USD", "--url", hs_test_ws_server_get_url (server),
                         NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  /* No --seconds: it streams until Ctrl-C, then prints the summary and exits 0. */
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                  | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  hs_test_ws_server_wait_script_done (server, 0);
  g_subprocess_send_signal (proc, SIGINT);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "coinbase BTC-USD from ws://127.0.0.1:"));
  g_assert_nonnull (strstr (out, " (interrupted)\n"));
  g_assert_nonnull (strstr (out, "  connections         1  opened; 0 reconnects, "
                                 "0 failed attempts\n"));
  g_assert_nonnull (strstr (out, "  gaps                0  recorded;"));
}

static void
test_stream_usage (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "usage.db", NULL);
  static const char *const cases[][8] = {
    { "--symbol", "BTC-USD", NULL },
    { "--provider", "binance", "--symbol", "BTC-USD", NULL },
    { "--provider", "kraken", NULL },
    { "--provider", "kraken", "--symbol", "BTC/USD", "--url", "http://127.0.0.1/", NULL },
    { "--provider", "kraken", "--symbol", "BTC/USD", "--kraken-depth", "7", NULL },
    { "--provider", "kraken", "--symbol", "BTC/USD", "--seconds", "-1", NULL },
    { "--provider", "kraken", "--symbol", "BTC/USD", "extra", NULL },
  };
  static const char *const reasons[] = {
    "stream needs --provider", "stream needs --provider", "stream needs --symbol",
    "--url must be a ws:// or wss:// URL", "--kraken-depth must be 10, 25, 100, 500 or 1000",
    "--seconds must be 0 or more", "stream takes no arguments",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(HsTestRun) r = { 0 };
      const char *const *c = cases[i];

      hs_test_cli (&r, db, "stream", c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_nonnull (strstr (r.err, reasons[i]));
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The isolated directories hold no GSettings schemas, which GIO's desktop proxy resolver
   * reads; the commands run here talk to 127.0.0.1 only. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-test-cli-stream-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  /* Nothing reaches the internet: the REST repairs go to a local port unless a test serves
   * them. */
  rest_at (NULL);
  g_test_add_func ("/hs/cli/stream/gap", test_stream_gap);
  g_test_add_func ("/hs/cli/stream/gap-rest-fails", test_stream_gap_rest_fails);
  g_test_add_func ("/hs/cli/stream/kraken", test_stream_kraken);
  g_test_add_func ("/hs/cli/stream/env-url", test_stream_env_url);
  g_test_add_func ("/hs/cli/stream/interrupt", test_stream_interrupt);
  g_test_add_func ("/hs/cli/stream/usage", test_stream_usage);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_unlink (path);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
