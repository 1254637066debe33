/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A provider's token through the real OS keyring: this program runs inside a private Secret
 * Service (tests/keyring-session.sh starts gnome-keyring-daemon on a private session bus with
 * its keyrings in a temporary home). `keys set tradier` stores the token read from standard
 * input; `providers` says it is in the keyring; a Tradier fetch with no token in the
 * environment sends it (the local HTTP server sees the header) and it appears nowhere in the
 * database or the output; the environment variable still overrides it; `keys clear` removes it,
 * after which the fetch fails naming HINDSIGHT_TRADIER_TOKEN.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-test-server.h"

#define TOKEN "kr-7f3a9c2e-token"

static char *tmpdir;

static void
keys (HsTestRun  *r,
      const char *input,
      const char *verb)
{
  const char *argv[] = { g_getenv ("HS_CLI"), "keys", verb, "tradier", NULL };
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

/* The last request's Authorization header. */
static char *
last_authorization (HsTestServer *server)
{
  g_autoptr(GPtrArray) requests = hs_test_server_get_requests (server);
  HsTestRequest *last;

  g_assert_cmpuint (requests->len, >, 0);
  last = requests->pdata[requests->len - 1];
  return g_strdup (g_hash_table_lookup (last->headers, "authorization"));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

static void
test_keyring (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "keyring.db", NULL);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = g_strconcat (hs_test_server_get_base_url (server), "/v1", NULL);
  g_autofree char *auth = NULL;
  g_auto(HsTestRun) r = { 0 };

  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  hs_test_server_add (server, "/v1/markets/history",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/tradier/"
                                                 "markets_history_AAPL_daily_2024-02.json"));

  keys (&r, TOKEN "\n", "set");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "tradier token stored in the keyring\n");
  g_assert_null (strstr (r.err, TOKEN));

  hs_test_cli (&r, db, "providers", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "tradier — Tradier\n"));
  g_assert_nonnull (strstr (r.out, "  key        keyring\n"));
  g_assert_null (strstr (r.out, TOKEN));

  /* The fetch finds the token in the keyring and sends it; it is stored nowhere. */
  hs_test_cli (&r, db, "fetch", "candles", "--provider", "tradier", "--symbol", "AAPL",
               "--interval", "1d", "--from", "2024-02-01", "--to", "2024-02-29", "--base-url",
               url, "--now", "2024-06-28T00:00:00Z", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "tradier candles AAPL 1d: 20 rows, 20 new"));
  auth = last_authorization (server);
  g_assert_cmpstr (auth, ==, "Bearer " TOKEN);
  g_assert_null (strstr (r.out, TOKEN));
  g_assert_null (strstr (r.err, TOKEN));
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);

    g_assert_false (file_contains (db, TOKEN));
    g_assert_false (file_contains (wal, TOKEN));
  }

  /* The environment overrides the keyring. */
  g_setenv ("HINDSIGHT_TRADIER_TOKEN", "from-the-environment", TRUE);
  hs_test_cli (&r, db, "fetch", "candles", "--provider", "tradier", "--symbol", "AAPL",
               "--interval", "1d", "--from", "2024-02-01", "--to", "2024-02-29", "--base-url",
               url, "--now", "2024-06-28T00:00:00Z", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&auth, g_free);
  auth = last_authorization (server);
  g_assert_cmpstr (auth, ==, "Bearer from-the-environment");
  keys (&r, TOKEN "\n", "set");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "$HINDSIGHT_TRADIER_TOKEN is set and overrides the keyring"));
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");

  /* Cleared: gone from the keyring; a second clear says none was stored; the fetch fails. */
  keys (&r, "", "clear");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "tradier token removed from the keyring\n");
  keys (&r, "", "clear");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "no tradier token was stored in the keyring\n");
  hs_test_cli (&r, db, "fetch", "candles", "--provider", "tradier", "--symbol", "AAPL",
               "--interval", "1d", "--base-url", url, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "tradier needs an access token: set $HINDSIGHT_TRADIER_TOKEN"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-test-cli-keyring-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/hs/cli/keyring/tradier", test_keyring);
  status = g_test_run ();
  hs_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
