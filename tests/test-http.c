/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP layer (src/fetch/hs-http.c) against the local server (tests/hs-test-server.c): what
 * is sent (User-Agent, Accept-Encoding, Accept, the caller's headers), gzip, connection reuse,
 * redirects; 429 with Retry-After retried after the wait the server asked for (server
 * timestamps, a lower bound); 5xx retried up to the configured attempts; other 4xx never
 * retried, with the body's snippet and no secret in the message; a truncated body, a body over
 * the cap, a stalled connection and a wrong content type, each an error without a partial body;
 * cancellation of a stalled transfer and of a back-off wait from another thread. Then the pure
 * parts with numbers worked out by hand in the comments: the token bucket on an injected clock,
 * the rate headers, Retry-After, the back-off formula, percentiles (and a naive reference), the
 * snippets. Last, provider health in the store: metrics rows, one alert per failure streak,
 * acknowledgement.
 */
#include "config.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-http.h"
#include "hs-store-health.h"
#include "hs-test-server.h"

/* Fast retries, so the tests do not wait seconds for a back-off. */
static HsHttpClient *
test_client (int max_attempts)
{
  HsHttpOptions o;

  hs_http_options_init (&o);
  o.max_attempts = max_attempts;
  o.backoff_base_ms = 10;
  o.backoff_max_ms = 50;
  return hs_http_client_new (&o);
}

static HsHttpResponse *
get (HsHttpClient       *client,
     HsHttpProvider     *provider,
     HsTestServer       *server,
     const char         *target,
     const char * const *headers,
     const char         *expect,
     GError            **error)
{
  g_autofree char *url = hs_test_server_url (server, target);
  HsHttpRequest req = { provider, url, headers, expect };

  return hs_http_get (client, &req, NULL, error);
}

static GBytes *
read_data (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static const HsTestRequest *
request_at (GPtrArray *requests,
            guint      i)
{
  g_assert_cmpuint (requests->len, >, i);
  return g_ptr_array_index (requests, i);
}

/* ---------------------------------------------------------------------------------------------
 * Against the local server
 * ------------------------------------------------------------------------------------------ */

static void
test_sent_headers (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);
  g_autoptr(HsHttpResponse) resp = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  const char * const headers[] = { "X-Custom: yes", NULL };
  const HsTestRequest *r;
  const char *ua, *enc;
  const char *json = "{\"markets\":[],\"cursor\":\"\"}";

  hs_test_server_add (server, "/trade-api/v2/markets", hs_test_response_new_json (200, json));
  resp = get (client, NULL, server, "/trade-api/v2/markets?limit=2", headers,
              HS_HTTP_EXPECT_JSON, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resp->status, ==, 200);
  g_assert_cmpint (resp->attempts, ==, 1);
  g_assert_cmpstr (resp->content_type, ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (resp->body, NULL), g_bytes_get_size (resp->body), json,
                   strlen (json));
  g_assert_cmpstr (hs_http_response_get_header (resp, "Content-Type"), ==, "application/json");

  requests = hs_test_server_get_requests (server);
  g_assert_cmpuint (requests->len, ==, 1);
  r = request_at (requests, 0);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->target, ==, "/trade-api/v2/markets?limit=2");
  g_assert_cmpstr (r->path, ==, "/trade-api/v2/markets");
  /* A real User-Agent: Yahoo and Coinbase refuse requests without one (PROVIDERS.md §2). */
  ua = g_hash_table_lookup (r->headers, "user-agent");
  g_assert_cmpstr (ua, ==, hs_http_user_agent ());
  g_assert_true (g_str_has_prefix (ua, "Hindsight/" PACKAGE_VERSION " (+https://"));
  /* CURLOPT_ACCEPT_ENCODING "" offers every encoding libcurl decodes; this libcurl has zlib. */
  g_assert_true (curl_version_info (CURLVERSION_NOW)->features & CURL_VERSION_LIBZ);
  enc = g_hash_table_lookup (r->headers, "accept-encoding");
  g_assert_nonnull (enc);
  g_assert_nonnull (strstr (enc, "gzip"));
  /* The expected types become the Accept header (Tradier answers XML without it). */
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "accept"), ==,
                   "application/json, text/json");
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "x-custom"), ==, "yes");
}

static void
test_gzip (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("gzip", 0, 1);
  g_autoptr(HsHttpResponse) resp = NULL;
  g_autoptr(HsProviderStats) stats = NULL;
  g_autoptr(GBytes) file = read_data ("fixtures/kalshi/markets_list_tickers.json");
  g_autoptr(GError) error = NULL;
  HsTestResponse *r = hs_test_response_new_file (200, "application/json; charset=utf-8",
                                                 "fixtures/kalshi/markets_list_tickers.json");

  hs_test_response_set_gzip (r);
  hs_test_server_add (server, "/markets", r);
  resp = get (client, provider, server, "/markets", NULL, HS_HTTP_EXPECT_JSON, &error);
  g_assert_no_error (error);
  /* Sent compressed (the server only compresses when asked), returned decoded, byte for byte;
   * a media type with parameters is still JSON. */
  g_assert_cmpstr (hs_http_response_get_header (resp, "content-encoding"), ==, "gzip");
  g_assert_true (g_bytes_equal (resp->body, file));
  stats = hs_http_provider_snapshot (provider, FALSE);
  g_assert_cmpint (stats->bytes, ==, (int64_t) g_bytes_get_size (file));
}

static void
test_retry_after_429 (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (4);
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("kalshi-test", 100, 10);
  g_autoptr(HsHttpResponse) resp = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(HsProviderStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  HsTestResponse *limited = hs_test_response_new_json (429, "{\"error\": \"too many requests\"}");

  hs_test_response_set_header (limited, "Retry-After", "1");
  hs_test_server_add (server, "/v2/markets", limited);
  hs_test_server_add (server, "/v2/markets", hs_test_response_new_json (200, "{\"ok\":true}"));
  resp = get (client, provider, server, "/v2/markets", NULL, HS_HTTP_EXPECT_JSON, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resp->status, ==, 200);
  g_assert_cmpint (resp->attempts, ==, 2);
  requests = hs_test_server_get_requests (server);
  g_assert_cmpuint (requests->len, ==, 2);
  /* Retry-After: 1 is a lower bound on the gap between the two arrivals (server clock). */
  g_assert_cmpint (request_at (requests, 1)->arrival - request_at (requests, 0)->arrival, >=,
                   G_USEC_PER_SEC);
  stats = hs_http_provider_snapshot (provider, FALSE);
  g_assert_cmpint (stats->requests, ==, 2);
  g_assert_cmpint (stats->http_429, ==, 1);
  g_assert_cmpint (stats->retries, ==, 1);
  g_assert_cmpint (stats->successes, ==, 1);
  g_assert_cmpint (stats->errors, ==, 0);
  g_assert_cmpint (stats->consecutive_failures, ==, 0);
  g_assert_cmpint (stats->latency_samples, ==, 2);
}

static void
test_server_error_gives_up (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (3);
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("p500", 0, 1);
  g_autoptr(HsHttpResponse) resp = NULL;
  g_autoptr(HsProviderStats) stats = NULL;
  g_autoptr(HsProviderStats) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;

  for (int i = 0; i < 3; i++)
    hs_test_server_add (server, "/v2/x", hs_test_response_new_json (500, "{\"error\":\"boom\"}"));
  /* A fourth attempt would succeed: the client must not make it. */
  hs_test_server_add (server, "/v2/x", hs_test_response_new_json (200, "{}"));
  resp = get (client, provider, server, "/v2/x?q=1", NULL, HS_HTTP_EXPECT_JSON, &error);
  g_assert_null (resp);
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_SERVER);
  prefix = g_strdup_printf ("p500: GET %s/v2/x: ", hs_test_server_get_base_url (server)
                                                   + strlen ("http://"));
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, "HTTP 500: {\"error\":\"boom\"}"));
  g_assert_true (g_str_has_suffix (error->message, "(after 3 attempts)"));
  g_assert_cmpuint (hs_test_server_count (server, "/v2/x"), ==, 3);

  stats = hs_http_provider_snapshot (provider, TRUE);
  g_assert_cmpint (stats->requests, ==, 3);
  g_assert_cmpint (stats->retries, ==, 2);
  g_assert_cmpint (stats->errors, ==, 1);
  g_assert_cmpint (stats->successes, ==, 0);
  g_assert_cmpint (stats->consecutive_failures, ==, 1);
  g_assert_cmpint (stats->streak_started, >, 0);
  g_assert_cmpstr (stats->last_error, ==, error->message);
  /* A reset starts a new interval; the failure streak is not per interval. */
  after = hs_http_provider_snapshot (provider, FALSE);
  g_assert_cmpint (after->requests, ==, 0);
  g_assert_cmpint (after->errors, ==, 0);
  g_assert_cmpint (after->latency_samples, ==, 0);
  g_assert_true (isnan (after->latency_p50_ms));
  g_assert_cmpint (after->consecutive_failures, ==, 1);
  g_assert_cmpint (after->streak_started, ==, stats->streak_started);
  g_assert_cmpstr (after->last_error, ==, error->message);
}

static void
test_client_error_not_retried (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (4);
  g_autoptr(GError) error = NULL;
  HsTestResponse *r;
  const char * const auth[] = { "Authorization: Bearer SeCrEtToKeN-42", NULL };
  const char * const key[] = { "X-Api-Key: KEY-abcdef-999", NULL };

  /* 404: one attempt, the status and the body in the message. */
  hs_test_server_add (server, "/missing", hs_test_response_new_json (404,
                                                                     "{\"error\":\"not found\"}"));
  hs_test_server_add (server, "/missing", hs_test_response_new_json (200, "{}"));
  g_assert_null (get (client, NULL, server, "/missing", NULL, HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_STATUS);
  g_assert_true (g_str_has_suffix (error->message, "/missing: HTTP 404: {\"error\":\"not found\"}"));
  g_assert_cmpuint (hs_test_server_count (server, "/missing"), ==, 1);
  g_assert_cmpint (hs_http_client_get_last_status (client), ==, 404);
  g_clear_error (&error);

  /* Tradier's answer to a bad token: 401, Content-Type "plain/text", body "Invalid Access
   * Token" (shared/fixtures/README.md, tradier). The token never shows. */
  r = hs_test_response_new (401);
  hs_test_response_set_header (r, "Content-Type", "plain/text");
  hs_test_response_set_body (r, "Invalid Access Token", -1);
  hs_test_server_add (server, "/v1/markets/quotes", r);
  g_assert_null (get (client, NULL, server, "/v1/markets/quotes?symbols=SPY", auth,
                      HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_STATUS);
  g_assert_true (g_str_has_suffix (error->message, "/v1/markets/quotes: HTTP 401: Invalid Access "
                                                   "Token"));
  g_assert_null (strstr (error->message, "SeCrEtToKeN-42"));
  g_assert_null (strstr (error->message, "symbols"));
  g_assert_cmpuint (hs_test_server_count (server, "/v1/markets/quotes"), ==, 1);
  g_clear_error (&error);

  /* A server that echoes the key (from a header, and from the query) gets it cut out. */
  r = hs_test_response_new (403);
  hs_test_response_set_header (r, "Content-Type", "text/plain");
  hs_test_response_set_body (r, "key KEY-abcdef-999 and apiKey=QuErYsEcReT-7 are not allowed",
                             -1);
  hs_test_server_add (server, "/forbidden", r);
  g_assert_null (get (client, NULL, server, "/forbidden?apiKey=QuErYsEcReT-7", key, NULL,
                      &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_STATUS);
  g_assert_true (g_str_has_suffix (error->message, "HTTP 403: key [redacted] and "
                                                   "apiKey=[redacted] are not allowed"));
  g_assert_null (strstr (error->message, "KEY-abcdef-999"));
  g_assert_null (strstr (error->message, "QuErYsEcReT-7"));
}

static void
test_truncated (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (2);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strnfill (1000, 'a');

  for (int i = 0; i < 2; i++)
    {
      HsTestResponse *r = hs_test_response_new (200);

      hs_test_response_set_header (r, "Content-Type", "application/json");
      hs_test_response_set_body (r, body, -1);
      hs_test_response_set_truncate (r, 100);   /* Content-Length: 1000, 100 bytes, close */
      hs_test_server_add (server, "/cut", r);
    }
  /* No partial body comes back: NULL and the error. A cut connection is transient, so the
   * second attempt was made. */
  g_assert_null (get (client, NULL, server, "/cut", NULL, HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_TRUNCATED);
  g_assert_true (g_str_has_suffix (error->message, "(after 2 attempts)"));
  g_assert_cmpuint (hs_test_server_count (server, "/cut"), ==, 2);
}

static void
test_too_large (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (3);   /* default cap: 32 MiB */
  g_autoptr(GError) error = NULL;
  HsTestResponse *r;

  /* 50 MB announced by Content-Length: refused before the body (CURLOPT_MAXFILESIZE). */
  r = hs_test_response_new (200);
  hs_test_response_set_header (r, "Content-Type", "application/json");
  hs_test_response_set_generated (r, 50000000, FALSE);
  hs_test_server_add (server, "/big", r);
  g_assert_null (get (client, NULL, server, "/big", NULL, HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "larger than the limit of 33554432 bytes"));
  g_assert_cmpuint (hs_test_server_count (server, "/big"), ==, 1);   /* not retried */
  g_clear_error (&error);

  /* 50 MB chunked, no length known ahead: cut off by the write callback at the cap. */
  r = hs_test_response_new (200);
  hs_test_response_set_header (r, "Content-Type", "application/json");
  hs_test_response_set_generated (r, 50000000, TRUE);
  hs_test_server_add (server, "/big-chunked", r);
  g_assert_null (get (client, NULL, server, "/big-chunked", NULL, HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_TOO_LARGE);
  g_assert_cmpuint (hs_test_server_count (server, "/big-chunked"), ==, 1);
}

static void
test_stall_timeout (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  HsHttpOptions o;
  HsTestResponse *r = hs_test_response_new (200);

  hs_http_options_init (&o);
  o.timeout_ms = 300;
  o.max_attempts = 2;
  o.backoff_base_ms = 10;
  client = hs_http_client_new (&o);
  hs_test_response_set_stall (r);
  hs_test_server_add (server, "/stall", r);
  g_assert_null (get (client, NULL, server, "/stall", NULL, HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_TIMEOUT);
  g_assert_true (g_str_has_suffix (error->message, "(after 2 attempts)"));
  g_assert_cmpuint (hs_test_server_count (server, "/stall"), ==, 2);   /* a timeout is retried */
}

static void
test_content_type (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (3);
  g_autoptr(HsHttpResponse) resp = NULL;
  g_autoptr(GError) error = NULL;
  HsTestResponse *r;

  r = hs_test_response_new (200);
  hs_test_response_set_header (r, "Content-Type", "text/html; charset=utf-8");
  hs_test_response_set_body (r, "<html>\n <body>We moved</body>\n</html>", -1);
  hs_test_server_add (server, "/html", r);
  g_assert_null (get (client, NULL, server, "/html", NULL, HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_CONTENT_TYPE);
  g_assert_true (g_str_has_suffix (error->message, "/html: expected application/json or "
                                                   "text/json, got text/html; charset=utf-8 "
                                                   "(<html> <body>We moved</body> </html>)"));
  g_assert_cmpuint (hs_test_server_count (server, "/html"), ==, 1);
  g_clear_error (&error);

  hs_test_server_add (server, "/untyped", hs_test_response_new (200));
  g_assert_null (get (client, NULL, server, "/untyped", NULL, HS_HTTP_EXPECT_JSON, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_CONTENT_TYPE);
  g_assert_true (g_str_has_suffix (error->message, "got no Content-Type (empty body)"));
  g_clear_error (&error);

  /* text/json is JSON too, and without an expectation anything goes. */
  r = hs_test_response_new (200);
  hs_test_response_set_header (r, "Content-Type", "Text/JSON");
  hs_test_response_set_body (r, "[]", -1);
  hs_test_server_add (server, "/textjson", r);
  resp = get (client, NULL, server, "/textjson", NULL, HS_HTTP_EXPECT_JSON, &error);
  g_assert_no_error (error);
  g_clear_pointer (&resp, hs_http_response_free);
  resp = get (client, NULL, server, "/html", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resp->status, ==, 200);
}

typedef struct
{
  HsHttpClient   *client;
  HsHttpProvider *provider;
  char           *url;
  GCancellable   *cancellable;
  HsHttpResponse *response;
  GError         *error;
} Job;

static gpointer
get_worker (gpointer data)
{
  Job *job = data;
  HsHttpRequest req = { job->provider, job->url, NULL, HS_HTTP_EXPECT_JSON };

  job->response = hs_http_get (job->client, &req, job->cancellable, &job->error);
  return NULL;
}

static gboolean
provider_saw_429 (HsHttpProvider *provider)
{
  g_autoptr(HsProviderStats) stats = hs_http_provider_snapshot (provider, FALSE);

  return stats->http_429 > 0;
}

/* Starts a fetch of @target on a thread, cancels it once the server has a request (and, with
 * @after_429, once the client has read the 429), joins. */
static void
cancel_after (HsTestServer   *server,
              HsHttpProvider *provider,
              const char     *target,
              gboolean        after_429,
              GError        **error)
{
  g_autoptr(HsHttpClient) client = hs_http_client_new (NULL);   /* 30 s timeout */
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = hs_test_server_url (server, target);
  Job job = { client, provider, url, cancellable, NULL, NULL };
  GThread *thread = g_thread_new ("fetch", get_worker, &job);

  hs_test_server_wait_requests (server, 1);
  while (after_429 && !provider_saw_429 (provider))
    g_usleep (1000);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_null (job.response);
  g_propagate_error (error, job.error);
}

static void
test_cancel_stalled (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("stalled", 0, 1);
  g_autoptr(HsProviderStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  HsTestResponse *r = hs_test_response_new (200);

  /* The transfer waits on a connection that never answers; only the cancellation (woken
   * through curl_multi_wakeup) ends it, long before the 30 s timeout. */
  hs_test_response_set_stall (r);
  hs_test_server_add (server, "/stall", r);
  cancel_after (server, provider, "/stall", FALSE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_str_has_prefix (error->message, "stalled: GET "));
  /* A cancellation is not the provider's failure. */
  stats = hs_http_provider_snapshot (provider, FALSE);
  g_assert_cmpint (stats->requests, ==, 1);
  g_assert_cmpint (stats->errors, ==, 0);
  g_assert_cmpint (stats->consecutive_failures, ==, 0);
}

static void
test_cancel_backoff (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("patient", 0, 1);
  g_autoptr(HsProviderStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  HsTestResponse *r = hs_test_response_new_json (429, "{}");

  /* Told to wait 100 s (within the 120 s limit); cancelled while waiting. */
  hs_test_response_set_header (r, "Retry-After", "100");
  hs_test_server_add (server, "/slow-down", r);
  cancel_after (server, provider, "/slow-down", TRUE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (hs_test_server_count (server, "/slow-down"), ==, 1);
  stats = hs_http_provider_snapshot (provider, FALSE);
  g_assert_cmpint (stats->http_429, ==, 1);
  g_assert_cmpint (stats->errors, ==, 0);
  /* The provider stays paused for its other clients. */
  g_assert_cmpint (hs_rate_limiter_pause_left (hs_http_provider_get_limiter (provider)), >,
                   50 * G_USEC_PER_SEC);
}

static void
test_retry_after_too_long (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (4);
  g_autoptr(GError) error = NULL;
  HsTestResponse *r = hs_test_response_new_json (429, "{}");

  hs_test_response_set_header (r, "Retry-After", "3600");
  hs_test_server_add (server, "/later", r);
  g_assert_null (get (client, NULL, server, "/later", NULL, NULL, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_RATE_LIMITED);
  g_assert_true (g_str_has_suffix (error->message, "HTTP 429: {}; asked to wait 3600 s, longer "
                                                   "than the limit of 120 s"));
  g_assert_cmpuint (hs_test_server_count (server, "/later"), ==, 1);
}

static void
test_connection_reuse (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);
  g_autoptr(GPtrArray) requests = NULL;

  hs_test_server_add (server, "/a", hs_test_response_new_json (200, "{}"));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsHttpResponse) resp = get (client, NULL, server, "/a", NULL,
                                            HS_HTTP_EXPECT_JSON, &error);

      g_assert_no_error (error);
    }
  requests = hs_test_server_get_requests (server);
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_cmpuint (hs_test_server_get_connections (server), ==, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (request_at (requests, i)->connection, ==, 1);
}

static void
test_redirects (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);   /* at most 3 redirects */
  g_autoptr(HsHttpResponse) resp = NULL;
  g_autoptr(GError) error = NULL;
  HsTestResponse *r = hs_test_response_new (302);

  hs_test_response_set_header (r, "Location", "/new");
  hs_test_response_set_body (r, "moved", -1);
  hs_test_server_add (server, "/old", r);
  hs_test_server_add (server, "/new", hs_test_response_new_json (200, "{\"here\":1}"));
  resp = get (client, NULL, server, "/old", NULL, HS_HTTP_EXPECT_JSON, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (resp->body, NULL), g_bytes_get_size (resp->body),
                   "{\"here\":1}", 10);

  r = hs_test_response_new (302);
  hs_test_response_set_header (r, "Location", "/loop");
  hs_test_server_add (server, "/loop", r);
  g_assert_null (get (client, NULL, server, "/loop", NULL, NULL, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_FAILED);
  /* The first request and the 3 redirects followed. */
  g_assert_cmpuint (hs_test_server_count (server, "/loop"), ==, 4);
}

static void
test_bad_url (void)
{
  g_autoptr(HsHttpClient) client = test_client (3);
  const char *urls[] = { "file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/" };

  for (size_t i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      HsHttpRequest req = { NULL, urls[i], NULL, NULL };

      g_assert_null (hs_http_get (client, &req, NULL, &error));
      g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_BAD_URL);
    }
}

static void
test_provider_rate (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("slow", 5, 1);
  g_autoptr(GPtrArray) requests = NULL;

  hs_test_server_add (server, "/r", hs_test_response_new_json (200, "{}"));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsHttpResponse) resp = get (client, provider, server, "/r", NULL, NULL, &error);

      g_assert_no_error (error);
    }
  /* 5 per second, burst 1: the sends are 200 ms apart, so the third arrives at least 400 ms
   * after the first, less the first request's connection setup (allowed 10 ms). A lower bound,
   * as the 429 test's. */
  requests = hs_test_server_get_requests (server);
  g_assert_cmpint (request_at (requests, 2)->arrival - request_at (requests, 0)->arrival, >=,
                   390000);
}

static void
test_rate_headers_e2e (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("tradier-test", 0.01, 10);
  HsRateLimiter *limiter = hs_http_provider_get_limiter (provider);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsHttpResponse) resp = NULL;
  g_autoptr(HsHttpResponse) resp2 = NULL;
  g_autofree char *expiry = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_get_real_time () / 1000 + 60000);
  HsTestResponse *r = hs_test_response_new_json (200, "{}");

  /* Tradier's headers (shared/fixtures/README.md, tradier): 3 left in the window. */
  hs_test_response_set_header (r, "X-Ratelimit-Allowed", "120");
  hs_test_response_set_header (r, "X-Ratelimit-Available", "3");
  hs_test_response_set_header (r, "X-Ratelimit-Expiry", expiry);
  hs_test_server_add (server, "/quotes", r);
  /* Then none left until the window ends a minute from now. */
  r = hs_test_response_new_json (200, "{}");
  hs_test_response_set_header (r, "X-Ratelimit-Available", "0");
  hs_test_response_set_header (r, "X-Ratelimit-Expiry", expiry);
  hs_test_server_add (server, "/quotes", r);

  resp = get (client, provider, server, "/quotes", NULL, NULL, &error);
  g_assert_no_error (error);
  /* Capped at the 3 left (from 9 after the request); the bucket earns 0.01 a second. */
  g_assert_cmpfloat_with_epsilon (hs_rate_limiter_get_tokens (limiter), 3, 0.01);
  g_assert_cmpint (hs_rate_limiter_pause_left (limiter), ==, 0);
  resp2 = get (client, provider, server, "/quotes", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_rate_limiter_pause_left (limiter), >, 50 * G_USEC_PER_SEC);
  g_assert_cmpint (hs_rate_limiter_pause_left (limiter), <=, 60 * G_USEC_PER_SEC);
}

static void
test_server_script (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsHttpResponse) a = NULL;
  g_autoptr(HsHttpResponse) b = NULL;
  g_autoptr(HsHttpResponse) c = NULL;

  /* An exact path-and-query script wins over the path's; the path's last response stays. */
  hs_test_server_add (server, "/page", hs_test_response_new_json (200, "\"first\""));
  hs_test_server_add (server, "/page?cursor=2", hs_test_response_new_json (200, "\"second\""));
  a = get (client, NULL, server, "/page?cursor=2", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (a->body, NULL), g_bytes_get_size (a->body), "\"second\"", 8);
  b = get (client, NULL, server, "/page", NULL, NULL, &error);
  g_assert_no_error (error);
  c = get (client, NULL, server, "/page?cursor=9", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (c->body, NULL), g_bytes_get_size (c->body), "\"first\"", 7);
  g_assert_null (get (client, NULL, server, "/nothing", NULL, NULL, &error));
  g_assert_error (error, HS_HTTP_ERROR, HS_HTTP_ERROR_STATUS);
  g_assert_true (g_str_has_suffix (error->message, "HTTP 404: no response scripted for "
                                                   "/nothing"));
}

/* ---------------------------------------------------------------------------------------------
 * Pure parts
 * ------------------------------------------------------------------------------------------ */

static int64_t fake_now;

static int64_t
fake_clock (gpointer data)
{
  return fake_now;
}

static void
test_limiter_math (void)
{
  g_autoptr(HsRateLimiter) l = hs_rate_limiter_new (2, 4);
  g_autoptr(HsRateLimiter) unlimited = hs_rate_limiter_new (0, 1);

  fake_now = 0;
  hs_rate_limiter_set_clock (l, fake_clock, NULL);
  /* 2 tokens/s, bucket of 4, full at t = 0: four requests go at once, the bucket is empty. */
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (hs_rate_limiter_reserve (l), ==, 0);
  g_assert_cmpfloat (hs_rate_limiter_get_tokens (l), ==, 0);
  /* The fifth owes 1 token: 1 / 2 s = 0.5 s; the sixth owes 2: 1 s. */
  g_assert_cmpint (hs_rate_limiter_reserve (l), ==, 500000);
  g_assert_cmpint (hs_rate_limiter_reserve (l), ==, 1000000);
  /* At 0.25 s: −2 + 0.25 × 2 = −1.5 tokens; the seventh makes −2.5, earned back 1.25 s later. */
  fake_now = 250000;
  g_assert_cmpfloat_with_epsilon (hs_rate_limiter_get_tokens (l), -1.5, 1e-12);
  g_assert_cmpint (hs_rate_limiter_reserve (l), ==, 1250000);
  /* At 10 s: −2.5 + 9.75 × 2 = 17, capped at the bucket's 4. */
  fake_now = 10000000;
  g_assert_cmpfloat (hs_rate_limiter_get_tokens (l), ==, 4);

  /* A 3 s pause at 10 s: at most one token, nothing earned until 13 s. */
  hs_rate_limiter_pause (l, 3000000);
  g_assert_cmpint (hs_rate_limiter_pause_left (l), ==, 3000000);
  g_assert_cmpint (hs_rate_limiter_reserve (l), ==, 3000000);   /* the token, at 13 s */
  g_assert_cmpint (hs_rate_limiter_reserve (l), ==, 3500000);   /* owes 1: 13 s + 0.5 s */
  fake_now = 13000000;
  g_assert_cmpint (hs_rate_limiter_pause_left (l), ==, 0);
  g_assert_cmpfloat (hs_rate_limiter_get_tokens (l), ==, -1);
  /* At 14 s: −1 + 2 = 1; capped to 0.5, a request owes 0.5 token: 0.25 s. */
  fake_now = 14000000;
  g_assert_cmpfloat (hs_rate_limiter_get_tokens (l), ==, 1);
  hs_rate_limiter_cap (l, 0.5);
  g_assert_cmpint (hs_rate_limiter_reserve (l), ==, 250000);

  /* A slower rate keeps the tokens (at most the new bucket): 4 at 20 s, bucket 2 → 2. */
  fake_now = 20000000;
  hs_rate_limiter_set_rate (l, 1, 2);
  g_assert_cmpfloat (hs_rate_limiter_get_tokens (l), ==, 2);

  /* No rate: never waits, except for a pause. */
  hs_rate_limiter_set_clock (unlimited, fake_clock, NULL);
  for (int i = 0; i < 100; i++)
    g_assert_cmpint (hs_rate_limiter_reserve (unlimited), ==, 0);
  hs_rate_limiter_pause (unlimited, 1000000);
  g_assert_cmpint (hs_rate_limiter_reserve (unlimited), ==, 1000000);
}

static GHashTable *
headers_of (const char *first,
            ...)
{
  GHashTable *h = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *name = first;
  va_list ap;

  va_start (ap, first);
  while (name != NULL)
    {
      g_hash_table_insert (h, g_strdup (name), g_strdup (va_arg (ap, const char *)));
      name = va_arg (ap, const char *);
    }
  va_end (ap);
  return h;
}

static void
test_rate_headers (void)
{
  /* Wall clock fixed at 1,700,000,000 s = 1,700,000,000,000 ms. */
  const int64_t wall = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  struct
  {
    const char *remaining_name, *remaining, *reset_name, *reset;
    gboolean    understood;
    double      tokens;   /* after, from a full bucket of 10 */
    int64_t     pause;    /* µs */
  } cases[] = {
    /* Tradier: Expiry in epoch ms, 5,000 ms ahead. */
    { "x-ratelimit-available", "0", "x-ratelimit-expiry", "1700000005000", TRUE, 0, 5000000 },
    { "x-ratelimit-available", "3", "x-ratelimit-expiry", "1700000005000", TRUE, 3, 0 },
    /* Alpaca: Reset in epoch s, 10 s ahead. */
    { "x-ratelimit-remaining", "0", "x-ratelimit-reset", "1700000010", TRUE, 0, 10000000 },
    /* Reset as seconds from now. */
    { "x-ratelimit-remaining", "0", "x-ratelimit-reset", "7", TRUE, 0, 7000000 },
    /* A reset in the past: no pause, but no tokens either. */
    { "x-ratelimit-remaining", "0", "x-ratelimit-reset", "1699999990", TRUE, 0, 0 },
    /* None left and no reset: one second. */
    { "x-ratelimit-remaining", "0", "x-other", "1", TRUE, 0, 1000000 },
    /* More left than the bucket holds: nothing changes. */
    { "x-ratelimit-remaining", "50", "x-other", "1", TRUE, 10, 0 },
    /* A broken reset far beyond any window: at most an hour. */
    { "x-ratelimit-remaining", "0", "x-ratelimit-reset", "1e300", TRUE, 0, 3600000000 },
    /* Not numbers, or no such headers: ignored. */
    { "x-ratelimit-remaining", "lots", "x-ratelimit-reset", "7", FALSE, 10, 0 },
    { "x-mbx-used-weight-1m", "10", "x-other", "1", FALSE, 10, 0 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HsRateLimiter) l = hs_rate_limiter_new (1, 10);
      g_autoptr(GHashTable) h = headers_of (cases[i].remaining_name, cases[i].remaining,
                                            cases[i].reset_name, cases[i].reset, NULL);

      fake_now = 1000;
      hs_rate_limiter_set_clock (l, fake_clock, NULL);
      g_test_message ("case %zu", i);
      g_assert_cmpint (hs_rate_limiter_adapt (l, h, wall), ==, cases[i].understood);
      g_assert_cmpfloat (hs_rate_limiter_get_tokens (l), ==, cases[i].tokens);
      g_assert_cmpint (hs_rate_limiter_pause_left (l), ==, cases[i].pause);
    }
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2015, 10, 21, 7, 28, 0);
  int64_t at = g_date_time_to_unix (date) * G_USEC_PER_SEC;
  int64_t delay = -1;

  g_assert_true (hs_http_parse_retry_after ("120", 0, &delay));
  g_assert_cmpint (delay, ==, 120 * G_USEC_PER_SEC);
  g_assert_true (hs_http_parse_retry_after (" 3 ", 0, &delay));
  g_assert_cmpint (delay, ==, 3 * G_USEC_PER_SEC);
  g_assert_true (hs_http_parse_retry_after ("0", 0, &delay));
  g_assert_cmpint (delay, ==, 0);
  /* Absurd values are a day ("never" for any caller). */
  g_assert_true (hs_http_parse_retry_after ("99999999999999999999999", 0, &delay));
  g_assert_cmpint (delay, ==, G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC);
  /* The HTTP-date of RFC 9110's example, 30 s after "now" (GDateTime gives its epoch). */
  g_assert_true (hs_http_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT",
                                            at - 30 * G_USEC_PER_SEC, &delay));
  g_assert_cmpint (delay, ==, 30 * G_USEC_PER_SEC);
  /* A date gone by: retry now. */
  g_assert_true (hs_http_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT",
                                            at + G_USEC_PER_SEC, &delay));
  g_assert_cmpint (delay, ==, 0);
  g_assert_false (hs_http_parse_retry_after ("soon", 0, &delay));
  g_assert_false (hs_http_parse_retry_after ("", 0, &delay));
  g_assert_false (hs_http_parse_retry_after ("-5", 0, &delay));
  g_assert_false (hs_http_parse_retry_after (NULL, 0, &delay));
}

static void
test_backoff (void)
{
  HsHttpOptions o;

  hs_http_options_init (&o);   /* base 1 s, ceiling 60 s */
  /* u × min(60 s, 1 s × 2^(retry − 1)) */
  g_assert_cmpint (hs_http_backoff_delay (&o, 1, 0.5), ==, 500000);
  g_assert_cmpint (hs_http_backoff_delay (&o, 2, 0.5), ==, 1000000);
  g_assert_cmpint (hs_http_backoff_delay (&o, 3, 0.5), ==, 2000000);
  g_assert_cmpint (hs_http_backoff_delay (&o, 3, 0.0), ==, 0);
  g_assert_cmpint (hs_http_backoff_delay (&o, 6, 1.0), ==, 32000000);
  g_assert_cmpint (hs_http_backoff_delay (&o, 7, 1.0), ==, 60000000);   /* 64 s → 60 s */
  g_assert_cmpint (hs_http_backoff_delay (&o, 1000, 0.5), ==, 30000000);
}

/* The nearest-rank definition read literally: the smallest sample v with at least p % of the
 * samples ≤ v (count · 100 ≥ p · n, in integers). O(n²). */
static double
naive_percentile (const double *v,
                  size_t        n,
                  int           p)
{
  double best = INFINITY;

  for (size_t i = 0; i < n; i++)
    {
      size_t count = 0;

      for (size_t j = 0; j < n; j++)
        count += v[j] <= v[i];
      if (count * 100 >= (size_t) p * n && v[i] < best)
        best = v[i];
    }
  return best;
}

static void
test_percentiles (void)
{
  double v[20];
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  /* 1 … 20, shuffled: p50 is the 10th value (⌈0.5 × 20⌉ = 10), p95 the 19th (⌈19⌉), p99 the
   * 20th (⌈19.8⌉ = 20). */
  for (int i = 0; i < 20; i++)
    v[i] = 20 - i;
  g_assert_cmpfloat (hs_percentile_nearest_rank (v, 20, 0.50), ==, 10);
  g_assert_cmpfloat (hs_percentile_nearest_rank (v, 20, 0.95), ==, 19);
  g_assert_cmpfloat (hs_percentile_nearest_rank (v, 20, 0.99), ==, 20);
  g_assert_cmpfloat (hs_percentile_nearest_rank (v, 1, 0.99), ==, 1);
  g_assert_true (isnan (hs_percentile_nearest_rank (v, 0, 0.5)));

  for (int round = 0; round < 200; round++)
    {
      size_t n = (size_t) g_rand_int_range (rand, 1, 300);
      g_autofree double *a = g_new (double, n);
      g_autofree double *b = g_new (double, n);
      int p = g_rand_int_range (rand, 1, 101);

      for (size_t i = 0; i < n; i++)
        a[i] = b[i] = (double) g_rand_int_range (rand, 0, 50) / 4.0;   /* with ties */
      g_assert_cmpfloat (hs_percentile_nearest_rank (a, n, p / 100.0), ==,
                         naive_percentile (b, n, p));
    }
}

static void
test_snippet (void)
{
  const char * const secrets[] = { "abcd1234", "xy", NULL };
  g_autofree char *a = hs_http_sanitize_snippet ("<html>\n  <body>\tError  </body>\r\n</html>\n",
                                                 40, NULL);
  g_autofree char *b = NULL, *c = NULL, *d = NULL, *e = NULL, *long_text = g_strnfill (300, 'x');

  g_assert_cmpstr (a, ==, "<html> <body> Error </body> </html>");
  b = hs_http_sanitize_snippet (long_text, 300, NULL);
  g_assert_cmpuint (g_utf8_strlen (b, -1), ==, 161);
  g_assert_true (g_str_has_suffix (b, "x…"));
  /* Secrets of four characters or more are cut out; shorter ones would mangle ordinary text. */
  c = hs_http_sanitize_snippet ("token=abcd1234 xy", 17, secrets);
  g_assert_cmpstr (c, ==, "token=[redacted] xy");
  d = hs_http_sanitize_snippet ("\xff ok", 4, NULL);
  g_assert_cmpstr (d, ==, "\xef\xbf\xbd ok");
  e = hs_http_sanitize_snippet (NULL, 0, NULL);
  g_assert_cmpstr (e, ==, "");
}

static void
test_redact_url (void)
{
  struct { const char *url, *expected; } cases[] = {
    { "https://user:pw@api.x.com:8443/v1/q?apiKey=S3CR3T#frag", "api.x.com:8443/v1/q" },
    { "http://127.0.0.1/x", "127.0.0.1/x" },
    { "https://api.kraken.com/0/public/OHLC?pair=XBTUSD", "api.kraken.com/0/public/OHLC" },
    { "not a url", "(invalid URL)" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *r = hs_http_redact_url (cases[i].url);

      g_assert_cmpstr (r, ==, cases[i].expected);
    }
}

static void
test_registry (void)
{
  g_autoptr(HsHttpProvider) a = hs_http_provider_get ("kraken");
  g_autoptr(HsHttpProvider) b = hs_http_provider_get ("kraken");
  g_autoptr(HsHttpProvider) c = hs_http_provider_get ("coinbase");
  g_autoptr(GPtrArray) all = hs_http_provider_list ();

  /* One provider per name, shared; listed by name. */
  g_assert_true (a == b);
  g_assert_true (a != c);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (hs_http_provider_get_name (g_ptr_array_index (all, 0)), ==, "coinbase");
  g_assert_cmpstr (hs_http_provider_get_name (g_ptr_array_index (all, 1)), ==, "kraken");
  /* Coinbase's budget is 10/s with a burst of 15 (docs/http.md): 15 go at once. */
  for (int i = 0; i < 15; i++)
    g_assert_cmpint (hs_rate_limiter_reserve (hs_http_provider_get_limiter (c)), ==, 0);
  g_assert_cmpint (hs_rate_limiter_reserve (hs_http_provider_get_limiter (c)), >, 0);
}

/* ---------------------------------------------------------------------------------------------
 * Provider health in the store
 * ------------------------------------------------------------------------------------------ */

static char *
temp_db (void)
{
  static char *dir;
  static int n;

  if (dir == NULL)
    dir = g_dir_make_tmp ("hs-http-XXXXXX", NULL);
  g_assert_nonnull (dir);
  return g_strdup_printf ("%s/health-%d.db", dir, ++n);
}

static double
sql_double (const char *db,
            const char *query)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  double v;

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, query, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return v;
}

static char *
sql_text (const char *db,
          const char *query)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  char *v;

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, query, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return v;
}

static void
test_health_streaks (void)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = test_client (1);
  g_autoptr(HsHttpProvider) provider = hs_http_provider_new ("flaky", 0, 1);
  g_autofree char *path = temp_db ();
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) latest = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  /* 500 ×4, 200, 500 ×3: streaks of 4 and 3 failures. */
  const int statuses[] = { 500, 500, 500, 500, 200, 500, 500, 500 };
  /* Raised when a streak reaches 3: calls 3 and 8; call 4 is the same streak as call 3. */
  const gboolean raised_expected[] = { FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, TRUE };
  gboolean was_open = TRUE;
  const HsProviderStats *s;
  const HsAlert *a;

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  for (size_t i = 0; i < G_N_ELEMENTS (statuses); i++)
    hs_test_server_add (server, "/x", hs_test_response_new_json (statuses[i], "{\"e\":1}"));
  for (size_t i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(HsHttpResponse) resp = get (client, provider, server, "/x", NULL, NULL, NULL);
      g_autoptr(HsProviderStats) stats = hs_http_provider_snapshot (provider, TRUE);
      gboolean raised = FALSE;

      g_assert_true ((resp != NULL) == (statuses[i] == 200));
      g_assert_true (hs_store_write_provider_stats (store, stats, 0, &raised, &error));
      g_assert_no_error (error);
      g_test_message ("call %zu", i + 1);
      g_assert_cmpint (raised, ==, raised_expected[i]);
      /* Writing the same snapshot again adds nothing (same rows, same streak). */
      g_assert_true (hs_store_write_provider_stats (store, stats, 0, &raised, &error));
      g_assert_false (raised);
    }

  /* One row per metric and snapshot; each interval held one request; 7 of 8 failed. */
  g_assert_cmpfloat (sql_double (path, "SELECT count(*) FROM system_metrics WHERE component = "
                                       "'fetch.flaky' AND name = 'requests'"), ==, 8);
  g_assert_cmpfloat (sql_double (path, "SELECT sum(value) FROM system_metrics WHERE component = "
                                       "'fetch.flaky' AND name = 'requests'"), ==, 8);
  g_assert_cmpfloat (sql_double (path, "SELECT sum(value) FROM system_metrics WHERE component = "
                                       "'fetch.flaky' AND name = 'errors'"), ==, 7);
  g_assert_cmpfloat (sql_double (path, "SELECT count(*) FROM system_metrics WHERE component = "
                                       "'fetch.flaky' AND name = 'latency_p95_ms' AND unit = "
                                       "'ms' AND labels = '{}'"), ==, 8);
  /* rows_per_second is only written when given. */
  g_assert_cmpfloat (sql_double (path, "SELECT count(*) FROM system_metrics WHERE name = "
                                       "'rows_per_second'"), ==, 0);

  latest = hs_store_latest_provider_stats (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (latest->len, ==, 1);
  s = g_ptr_array_index (latest, 0);
  g_assert_cmpstr (s->provider, ==, "flaky");
  g_assert_cmpint (s->requests, ==, 1);
  g_assert_cmpint (s->errors, ==, 1);
  g_assert_cmpint (s->consecutive_failures, ==, 3);
  g_assert_cmpint (s->latency_samples, ==, 1);
  g_assert_false (isnan (s->latency_p50_ms));
  g_assert_true (isnan (s->rows_per_second));
  g_assert_cmpint (s->interval_start, >, 0);
  g_assert_cmpint (s->interval_start, <=, s->ts);

  alerts = hs_store_open_alerts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, 2);
  a = g_ptr_array_index (alerts, 0);   /* newest first: the second streak */
  g_assert_cmpstr (a->kind, ==, "provider_error");
  g_assert_cmpstr (a->severity, ==, "error");
  g_assert_cmpstr (a->title, ==, "flaky: 3 requests failed in a row");
  g_assert_cmpstr (a->source, ==, "fetch.flaky");
  g_assert_true (g_str_has_prefix (a->message, "flaky: GET "));
  g_assert_true (g_str_has_suffix (a->message, "/x: HTTP 500: {\"e\":1}"));
  g_assert_true (g_str_has_prefix (a->dedupe_key, "provider_error:fetch.flaky:"));
  payload = sql_text (path, "SELECT payload ->> '$.consecutive_failures' || ' ' || "
                            "(payload ->> '$.provider') FROM alerts ORDER BY id LIMIT 1");
  g_assert_cmpstr (payload, ==, "3 flaky");

  /* Acknowledged once; again is no error; an unknown id is. */
  g_assert_true (hs_store_ack_alert (store, a->id, 42, &was_open, &error));
  g_assert_true (was_open);
  g_assert_true (hs_store_ack_alert (store, a->id, 43, &was_open, &error));
  g_assert_false (was_open);
  g_assert_cmpfloat (sql_double (path, "SELECT acknowledged_at FROM alerts WHERE "
                                       "acknowledged = 1"), ==, 42);
  g_assert_false (hs_store_ack_alert (store, 9999, 44, NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = hs_store_open_alerts (store, &error);
  g_assert_cmpuint (alerts->len, ==, 1);
}

static void
test_health_write (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsProviderStats) stats = hs_provider_stats_new ("coinbase");
  g_autoptr(GPtrArray) latest = NULL;
  g_autoptr(GError) error = NULL;
  gboolean raised = TRUE;
  const HsProviderStats *s;

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  stats->ts = G_GINT64_CONSTANT (1781143200000000);
  stats->interval_start = stats->ts - 60 * G_USEC_PER_SEC;
  stats->requests = 120;
  stats->successes = 118;
  stats->errors = 2;
  stats->http_429 = 1;
  stats->retries = 3;
  stats->bytes = 524288;
  stats->latency_samples = 121;
  stats->latency_p50_ms = 85.5;
  stats->latency_p95_ms = 140.25;
  stats->latency_p99_ms = 190;
  stats->rows_per_second = 250.5;
  stats->consecutive_failures = 2;   /* below the threshold of 3 */

  /* Inside the caller's transaction, rolled back: nothing stays. */
  g_assert_true (hs_store_begin (store, &error));
  g_assert_true (hs_store_write_provider_stats (store, stats, 0, &raised, &error));
  hs_store_rollback (store);
  g_assert_cmpfloat (sql_double (path, "SELECT count(*) FROM system_metrics"), ==, 0);

  g_assert_true (hs_store_write_provider_stats (store, stats, 0, &raised, &error));
  g_assert_no_error (error);
  g_assert_false (raised);
  /* 13 metrics: the 8 counts, rows_per_second, three latencies, interval_s. */
  g_assert_cmpfloat (sql_double (path, "SELECT count(*) FROM system_metrics WHERE component = "
                                       "'fetch.coinbase' AND ts = 1781143200000000"), ==, 13);
  g_assert_cmpfloat (sql_double (path, "SELECT value FROM system_metrics WHERE name = "
                                       "'interval_s'"), ==, 60);
  g_assert_cmpfloat (sql_double (path, "SELECT count(*) FROM alerts"), ==, 0);
  /* A threshold of 2 makes the same figures an alert. */
  g_assert_true (hs_store_write_provider_stats (store, stats, 2, &raised, &error));
  g_assert_true (raised);

  latest = hs_store_latest_provider_stats (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (latest->len, ==, 1);
  s = g_ptr_array_index (latest, 0);
  g_assert_cmpint (s->ts, ==, stats->ts);
  g_assert_cmpint (s->interval_start, ==, stats->interval_start);
  g_assert_cmpint (s->requests, ==, 120);
  g_assert_cmpint (s->successes, ==, 118);
  g_assert_cmpint (s->errors, ==, 2);
  g_assert_cmpint (s->http_429, ==, 1);
  g_assert_cmpint (s->retries, ==, 3);
  g_assert_cmpint (s->bytes, ==, 524288);
  g_assert_cmpint (s->latency_samples, ==, 121);
  g_assert_cmpfloat (s->latency_p50_ms, ==, 85.5);
  g_assert_cmpfloat (s->latency_p95_ms, ==, 140.25);
  g_assert_cmpfloat (s->latency_p99_ms, ==, 190);
  g_assert_cmpfloat (s->rows_per_second, ==, 250.5);
  g_assert_cmpint (s->consecutive_failures, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  hs_http_global_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/fetch/http/sent-headers", test_sent_headers);
  g_test_add_func ("/hs/fetch/http/gzip", test_gzip);
  g_test_add_func ("/hs/fetch/http/retry-after-429", test_retry_after_429);
  g_test_add_func ("/hs/fetch/http/server-error-gives-up", test_server_error_gives_up);
  g_test_add_func ("/hs/fetch/http/client-error-not-retried", test_client_error_not_retried);
  g_test_add_func ("/hs/fetch/http/truncated", test_truncated);
  g_test_add_func ("/hs/fetch/http/too-large", test_too_large);
  g_test_add_func ("/hs/fetch/http/stall-timeout", test_stall_timeout);
  g_test_add_func ("/hs/fetch/http/content-type", test_content_type);
  g_test_add_func ("/hs/fetch/http/cancel-stalled", test_cancel_stalled);
  g_test_add_func ("/hs/fetch/http/cancel-backoff", test_cancel_backoff);
  g_test_add_func ("/hs/fetch/http/retry-after-too-long", test_retry_after_too_long);
  g_test_add_func ("/hs/fetch/http/connection-reuse", test_connection_reuse);
  g_test_add_func ("/hs/fetch/http/redirects", test_redirects);
  g_test_add_func ("/hs/fetch/http/bad-url", test_bad_url);
  g_test_add_func ("/hs/fetch/http/provider-rate", test_provider_rate);
  g_test_add_func ("/hs/fetch/http/rate-headers-e2e", test_rate_headers_e2e);
  g_test_add_func ("/hs/fetch/http/server-script", test_server_script);
  g_test_add_func ("/hs/fetch/http/limiter-math", test_limiter_math);
  g_test_add_func ("/hs/fetch/http/rate-headers", test_rate_headers);
  g_test_add_func ("/hs/fetch/http/retry-after", test_retry_after);
  g_test_add_func ("/hs/fetch/http/backoff", test_backoff);
  g_test_add_func ("/hs/core/provider-stats/percentiles", test_percentiles);
  g_test_add_func ("/hs/fetch/http/snippet", test_snippet);
  g_test_add_func ("/hs/fetch/http/redact-url", test_redact_url);
  g_test_add_func ("/hs/fetch/http/registry", test_registry);
  g_test_add_func ("/hs/store/health/streaks", test_health_streaks);
  g_test_add_func ("/hs/store/health/write", test_health_write);
  return g_test_run ();
}
