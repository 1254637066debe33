/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli stream` end to end against the local WebSocket server (tests/hs-test-ws-server.c)
 * replaying tests/data/stream/coinbase-gap.script: the summary (--json), the rows it stored and
 * the gaps it recorded, the URL from the environment, Ctrl-C, and usage errors. The command has
 * no REST client behind it (yet), so a gap is repaired by resubscribing only: the numbers differ
 * from test-stream.c's, where the test supplies the REST callbacks, as the comments work out.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

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

static void
test_stream_gap (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "gap.db", NULL);
  g_autoptr(HsTestWsServer) server = hs_test_ws_server_new_files ("coinbase-gap.script", NULL);
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *trades = NULL, *gaps = NULL;
  JsonObject *o;

  hs_test_cli (&r, db, "stream", "--provider", "coinbase", "--symbol", "BTC-USD", "--url",
               hs_test_ws_server_get_url (server), "--seconds", "2", "--json", NULL);
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
  /* Trades 995098700, 701, 702, 704 (703 missing, no REST to fill it); 701 twice. */
  g_assert_cmpint (member_int (o, "trades"), ==, 4);
  g_assert_cmpint (member_int (o, "duplicates"), ==, 1);
  g_assert_cmpint (member_int (o, "filled"), ==, 0);
  /* Without a REST snapshot the book is untrusted from the gap until the fresh snapshot: the
   * update at sequence_num 4 is dropped. Applied: 0, 1, 5, 6, 8; stored: 0, 1, 5, 8 (6 is half
   * a second after 5). */
  g_assert_cmpint (member_int (o, "dropped"), ==, 1);
  g_assert_cmpint (member_int (o, "book_events"), ==, 5);
  g_assert_cmpint (member_int (o, "books"), ==, 4);
  g_assert_cmpint (member_int (o, "gaps"), ==, 2);
  g_assert_cmpint (member_int (o, "resyncs"), ==, 1);
  g_assert_cmpint (member_int (o, "resync_failures"), ==, 0);

  /* CVD: −0.0015 + 0.05 + 0.01 − 0.02 = 0.0385 after 704. */
  trades = hs_test_query_rows (db, "SELECT trade_id, side, printf('%.4f', cvd_at_trade) "
                                   "FROM trades "
                                   "ORDER BY ts, seq");
  g_assert_cmpstr (trades, ==, "995098700|-1|-0.0015\n995098701|1|0.0485\n"
                               "995098702|1|0.0585\n995098704|-1|0.0385\n");
  gaps = hs_test_query_rows (db, "SELECT provider, channel, kind, from_seq, to_seq, resync "
                                 "FROM stream_gaps ORDER BY id");
  g_assert_cmpstr (gaps, ==, "coinbase|connection|sequence|3|3|resubscribe\n"
                             "coinbase|trades|trade_id|995098703|995098703|none\n");
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
  g_test_add_func ("/hs/cli/stream/gap", test_stream_gap);
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
