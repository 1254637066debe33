/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens live only in the keyring (issue 9 item 4). Inside a private Secret Service
 * (tests/keyring-session.sh), a Tradier token is planted through the keyring path the
 * Preferences window uses (hs_keyring_store()), and then, with every log message on
 * (G_MESSAGES_DEBUG=all) and the settings in a key file (GSETTINGS_BACKEND=keyfile under the
 * test's own XDG_CONFIG_HOME):
 *   - fetches against the local test server, which must receive the token (else the scan
 *     proves nothing), and fetches that fail (404), three in a row, which raise the
 *     provider_error alert;
 *   - `health`, `db backup --auto`, `db backup FILE`, `export trades` and `providers`;
 *   - every preference written through GSettings.
 * Then the database file and its -wal, the backups, the settings key file, the export, and
 * every captured log and output (this process's and each command's) are scanned for the
 * token's bytes: none may contain them.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-keyring.h"
#include "hs-test-cli.h"
#include "hs-test-server.h"

#define TOKEN "tk-SCAN-5d1e0b7a9c4f"

/* Everything logged in this process (kept, and scanned, not printed). */
static GString *own_log;
/* Everything the commands printed. */
static GString *outputs;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (own_log, "%s=%s\n", fields[i].key, (const char *) fields[i].value);
    else
      {
        g_string_append_printf (own_log, "%s=", fields[i].key);
        g_string_append_len (own_log, fields[i].value, fields[i].length);
        g_string_append_c (own_log, '\n');
      }
  /* Only what can fail the test reaches the output: debug lines would break the TAP stream. */
  if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

static gboolean
bytes_contain (const char *data,
               gsize       len)
{
  return memmem (data, len, TOKEN, strlen (TOKEN)) != NULL;
}

/* Asserts @path, when it exists, does not hold the token; returns whether it exists. */
static gboolean
assert_file_clean (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  g_test_message ("scanned %s (%" G_GSIZE_FORMAT " bytes)", path, len);
  if (bytes_contain (data, len))
    g_error ("the token is in %s", path);
  return TRUE;
}

/* Scans every file under @dir (recursively); returns how many. */
static guint
assert_tree_clean (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += assert_tree_clean (path);
      else
        n += assert_file_clean (path);
    }
  return n;
}

static void
run (HsTestRun  *r,
     const char *db,
     const char *a1,
     const char *a2,
     const char *a3)
{
  hs_test_cli (r, db, a1, a2, a3, NULL);
  if (r->status != 0)
    g_test_message ("%s %s: %s", a1, a2 != NULL ? a2 : "", r->err);
  g_string_append (outputs, r->out);
  g_string_append (outputs, r->err);
}

static void
fetch (HsTestRun  *r,
       const char *db,
       const char *url)
{
  hs_test_cli (r, db, "fetch", "candles", "--provider", "tradier", "--symbol", "AAPL",
               "--interval", "1d", "--from", "2024-02-01", "--to", "2024-02-29", "--base-url",
               url, "--now", "2024-06-28T00:00:00Z", NULL);
  g_string_append (outputs, r->out);
  g_string_append (outputs, r->err);
}

static void
test_scan (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("hs-token-scan-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmp, "scan.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *copy = g_build_filename (tmp, "copy.db", NULL);
  g_autofree char *csv = g_build_filename (tmp, "trades.csv", NULL);
  g_autofree char *keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings",
                                               "keyfile", NULL);
  g_autofree char *backups = g_build_filename (tmp, "backups", NULL);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *url = g_strconcat (hs_test_server_get_base_url (server), "/v1", NULL);
  g_autofree char *broken = g_strconcat (hs_test_server_get_base_url (server), "/broken", NULL);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lookup = NULL;
  g_auto(HsTestRun) r = { 0 };
  gboolean sent = FALSE;

  g_assert_nonnull (tmp);
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  hs_test_server_add (server, "/v1/markets/history",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/tradier/"
                                                 "markets_history_AAPL_daily_2024-02.json"));

  /* Planted through the keyring, as the Preferences window's worker does. */
  g_assert_true (hs_keyring_store ("tradier", TOKEN, NULL, &error));
  g_assert_no_error (error);
  lookup = hs_keyring_lookup ("tradier", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lookup, ==, TOKEN);

  /* Every preference written, as the Preferences window does (the key file must exist to be
   * scanned). */
  settings = g_settings_new ("io.github.hindsight");
  g_settings_set_int (settings, "poll-snapshot-seconds", 7);
  g_settings_set_int (settings, "poll-candle-seconds", 90);
  g_settings_set_int (settings, "labeler-hour", 5);
  g_settings_set_boolean (settings, "retention-enabled", TRUE);
  g_settings_set_int (settings, "retention-days", 45);
  g_settings_set_int (settings, "backup-keep", 3);
  g_settings_set_int (settings, "backup-hour", 4);
  g_settings_set_string (settings, "default-fee-model", "bps:1");
  g_settings_set_string (settings, "default-slippage-model", "bps:2");
  g_settings_set_string (settings, "last-database", db);
  g_settings_set_boolean (settings, "clean-exit", FALSE);
  g_settings_sync ();

  /* A fetch that succeeds and sends the token … */
  fetch (&r, db, url);
  g_assert_cmpint (r.status, ==, 0);
  requests = hs_test_server_get_requests (server);
  for (guint i = 0; i < requests->len; i++)
    {
      HsTestRequest *q = requests->pdata[i];

      sent |= g_strcmp0 (g_hash_table_lookup (q->headers, "authorization"), "Bearer " TOKEN) == 0;
    }
  g_assert_true (sent);
  /* … and three that fail in a row: the provider_error alert. */
  for (int i = 0; i < 3; i++)
    {
      fetch (&r, db, broken);
      g_assert_cmpint (r.status, ==, 1);
    }
  run (&r, db, "health", NULL, NULL);
  g_assert_nonnull (strstr (r.out, "tradier"));
  run (&r, db, "providers", NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_cli (&r, db, "db", "backup", "--auto", "--dir", backups, NULL);
  g_string_append (outputs, r.out);
  g_string_append (outputs, r.err);
  g_assert_cmpint (r.status, ==, 0);
  run (&r, db, "db", "backup", copy);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_cli (&r, db, "export", "trades", "--out", csv, NULL);
  g_string_append (outputs, r.out);
  g_string_append (outputs, r.err);
  g_assert_cmpint (r.status, ==, 0);

  /* The debug log was on: the commands did log (else the scan of the logs proves nothing). */
  g_assert_nonnull (strstr (outputs->str, "-DEBUG"));

  /* The scan. */
  g_assert_true (assert_file_clean (db));
  assert_file_clean (wal);
  g_assert_true (assert_file_clean (copy));
  g_assert_true (assert_file_clean (csv));
  g_assert_true (assert_file_clean (keyfile));
  g_assert_cmpuint (assert_tree_clean (backups), >=, 1);
  g_assert_cmpuint (assert_tree_clean (tmp), >=, 4);
  g_assert_false (bytes_contain (outputs->str, outputs->len));
  g_assert_cmpuint (own_log->len, >, 0);
  g_assert_false (bytes_contain (own_log->str, own_log->len));

  /* The scan finds the token where it is: a file written with it is caught. */
  {
    g_autofree char *planted = g_build_filename (tmp, "planted.txt", NULL);

    g_assert_true (g_file_set_contents (planted, "x " TOKEN " y", -1, NULL));
    {
      g_autofree char *data = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (planted, &data, &len, NULL));
      g_assert_true (bytes_contain (data, len));
    }
    g_unlink (planted);
  }

  g_assert_true (hs_keyring_clear ("tradier", NULL, NULL, &error));
  g_assert_no_error (error);
  hs_test_remove_dir (backups);
  hs_test_remove_dir (tmp);
}

int
main (int    argc,
      char **argv)
{
  int status;

  own_log = g_string_new (NULL);
  outputs = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  /* Settings in a key file under the test's XDG_CONFIG_HOME (set by ISOLATE_DIRS); every
   * message logged, here and in the commands. */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/keyring/token-scan", test_scan);
  status = g_test_run ();
  g_string_free (outputs, TRUE);
  return status;
}
