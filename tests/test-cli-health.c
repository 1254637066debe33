/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli health` and `alerts` as a user runs them. The figures come the way the fetch
 * jobs will write them: a provider's calls against the local HTTP server (three 500s in a row),
 * snapshotted and written with hs_store_write_provider_stats(); and one snapshot with round
 * numbers written by hand, so the printed figures can be checked exactly. Then the JSON and
 * the table, acknowledging alerts, and the exit statuses of bad usage.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hs-http.h"
#include "hs-store-health.h"
#include "hs-test-server.h"

static char *tmpdir;

static char *
fresh_db (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Three failed calls of provider "kalshi" (one attempt each), each snapshot written. */
static void
write_failing_kalshi (HsStore *store)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("kalshi", 0, 1);
  g_autoptr(HsHttpClient) client = NULL;
  g_autofree char *url = NULL;
  HsHttpOptions o;

  hs_http_options_init (&o);
  o.max_attempts = 1;
  client = hs_http_client_new (&o);
  hs_test_server_add (server, "/trade-api/v2/markets",
                      hs_test_response_new_json (500, "{\"error\":\"internal\"}"));
  url = hs_test_server_url (server, "/trade-api/v2/markets?limit=100");
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      HsHttpRequest req = { provider, url, NULL, HS_HTTP_EXPECT_JSON };
      g_autoptr(HsHttpResponse) resp = hs_http_get (client, &req, NULL, &error);
      g_autoptr(HsProviderStats) stats = hs_http_provider_snapshot (provider, TRUE);

      g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_SERVER);
      g_clear_error (&error);
      g_assert_true (hs_store_write_provider_stats (store, stats, 0, NULL, &error));
      g_assert_no_error (error);
    }
}

/* Round figures for "coinbase", as a fetch job with a row count writes them. */
static void
write_coinbase (HsStore *store)
{
  g_autoptr(HsProviderStats) s = hs_provider_stats_new ("coinbase");
  g_autoptr(GError) error = NULL;

  s->ts = G_GINT64_CONSTANT (1781143200000000);   /* 2026-06-11T02:00:00Z */
  s->interval_start = s->ts - 60 * G_USEC_PER_SEC;
  s->requests = 120;
  s->successes = 119;
  s->errors = 1;
  s->http_429 = 1;
  s->retries = 2;
  s->bytes = 524288;
  s->latency_samples = 120;
  s->latency_p50_ms = 85.5;
  s->latency_p95_ms = 140.25;
  s->latency_p99_ms = 190;
  s->rows_per_second = 250.5;
  g_assert_true (hs_store_write_provider_stats (store, s, 0, NULL, &error));
  g_assert_no_error (error);
}

static void
test_empty (void)
{
  g_autofree char *db = fresh_db ("empty.db");
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;

  hs_test_cli (&r, db, "health", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "no provider figures yet"));
  g_assert_nonnull (strstr (r.out, "no open alerts"));
  hs_test_cli (&r, db, "health", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "providers")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "alerts")), ==, 0);
}

static void
test_health (void)
{
  g_autofree char *db = fresh_db ("health.db");
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *providers, *alerts;
  JsonObject *cb, *k, *alert;

  {
    g_autoptr(HsStore) store = hs_store_open (db, HS_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    write_failing_kalshi (store);
    write_coinbase (store);
  }

  hs_test_cli (&r, db, "health", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  providers = json_object_get_array_member (json_node_get_object (root), "providers");
  alerts = json_object_get_array_member (json_node_get_object (root), "alerts");
  g_assert_cmpuint (json_array_get_length (providers), ==, 2);
  /* By name: coinbase, then kalshi. coinbase's figures are the ones written above. */
  cb = json_array_get_object_element (providers, 0);
  g_assert_cmpstr (json_object_get_string_member (cb, "provider"), ==, "coinbase");
  g_assert_cmpstr (json_object_get_string_member (cb, "ts"), ==, "2026-06-11T02:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (cb, "interval_s"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (cb, "requests"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (cb, "successes"), ==, 119);
  g_assert_cmpint (json_object_get_int_member (cb, "errors"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (cb, "http_429"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (cb, "retries"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (cb, "bytes"), ==, 524288);
  g_assert_cmpfloat (json_object_get_double_member (cb, "rows_per_second"), ==, 250.5);
  g_assert_cmpfloat (json_object_get_double_member (cb, "latency_p50_ms"), ==, 85.5);
  g_assert_cmpfloat (json_object_get_double_member (cb, "latency_p95_ms"), ==, 140.25);
  g_assert_cmpfloat (json_object_get_double_member (cb, "latency_p99_ms"), ==, 190);
  g_assert_cmpint (json_object_get_int_member (cb, "consecutive_failures"), ==, 0);
  /* kalshi: the last interval held one failed request, the third in a row; no row count. */
  k = json_array_get_object_element (providers, 1);
  g_assert_cmpstr (json_object_get_string_member (k, "provider"), ==, "kalshi");
  g_assert_cmpint (json_object_get_int_member (k, "requests"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (k, "errors"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (k, "consecutive_failures"), ==, 3);
  g_assert_true (json_object_get_null_member (k, "rows_per_second"));
  g_assert_false (json_object_get_null_member (k, "latency_p50_ms"));
  /* One alert for the streak of three. */
  g_assert_cmpuint (json_array_get_length (alerts), ==, 1);
  alert = json_array_get_object_element (alerts, 0);
  g_assert_cmpint (json_object_get_int_member (alert, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (alert, "kind"), ==, "provider_error");
  g_assert_cmpstr (json_object_get_string_member (alert, "severity"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (alert, "title"), ==,
                   "kalshi: 3 requests failed in a row");
  g_assert_cmpstr (json_object_get_string_member (alert, "source"), ==, "fetch.kalshi");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (alert, "message"),
                                   "/trade-api/v2/markets: HTTP 500: {\"error\":\"internal\"}"));

  /* The table: a header, a row per provider, the alert with its message. */
  hs_test_cli (&r, db, "health", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "provider   as of                requests errors  "
                                          "429s retries   rows/s  p50 ms  p95 ms  p99 ms "
                                          "failing\n"));
  g_assert_nonnull (strstr (r.out, "\ncoinbase   2026-06-11T02:00:00Z      120      1     1 "
                                   "      2    250.5    85.5   140.2   190.0       0\n"));
  g_assert_nonnull (strstr (r.out, "\nkalshi "));
  g_assert_nonnull (strstr (r.out, "open alerts (1):\n  #1  "));
  g_assert_nonnull (strstr (r.out, "error    kalshi: 3 requests failed in a row\n      kalshi: GET "));

  /* alerts: the same list; ack takes it off, twice is fine, an unknown id fails. */
  hs_test_cli (&r, db, "alerts", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&root, json_node_unref);
  root = hs_test_parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "alerts")), ==, 1);
  hs_test_cli (&r, db, "alerts", "ack", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "alert 1 acknowledged\n");
  hs_test_cli (&r, db, "alerts", "ack", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "alert 1 was acknowledged already\n");
  hs_test_cli (&r, db, "alerts", "ack", "99", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no alert 99"));
  hs_test_cli (&r, db, "alerts", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "no open alerts\n");
  hs_test_cli (&r, db, "health", "--json", NULL);
  g_clear_pointer (&root, json_node_unref);
  root = hs_test_parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "alerts")), ==, 0);
}

static void
test_usage (void)
{
  g_autofree char *db = fresh_db ("usage.db");
  g_auto(HsTestRun) r = { 0 };

  hs_test_cli (&r, db, "health", "extra", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "health", "--frob", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "alerts", "ack", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "alerts", "ack", "one", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "“one” is not an alert id"));
  hs_test_cli (&r, db, "alerts", "frob", NULL);
  g_assert_cmpint (r.status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  int status;

  hs_http_global_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-cli-health-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/hs/cli/health/empty", test_empty);
  g_test_add_func ("/hs/cli/health/figures-and-alerts", test_health);
  g_test_add_func ("/hs/cli/health/usage", test_usage);
  status = g_test_run ();
  g_free (tmpdir);
  return status;
}
