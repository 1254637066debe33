/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real HTTP/1.1 server on 127.0.0.1 for tests: nothing in the test suite reaches the
 * internet. It listens on a free port chosen by the kernel, accepts on its own thread (with its
 * own GMainContext, so the test's main loop is free), and answers each connection on a thread
 * of its own with blocking I/O, keeping connections alive between requests.
 *
 * Responses are scripted per path, as a queue: each request takes the next response of the
 * queue of its path-and-query if one was scripted ("/markets?cursor=abc"), else of its path
 * ("/markets"); the last response of a queue stays and answers every later request. A path with
 * nothing scripted gets 404 "no response scripted for PATH". Every request is recorded.
 *
 *   g_autoptr(HsTestServer) server = hs_test_server_new ();
 *   HsTestResponse *r = hs_test_response_new (429);
 *
 *   hs_test_response_set_header (r, "Retry-After", "1");
 *   hs_test_server_add (server, "/v2/markets", r);
 *   hs_test_server_add (server, "/v2/markets",
 *                       hs_test_response_new_file (200, "application/json",
 *                                                  "fixtures/kalshi/markets_list_tickers.json"));
 *   url = hs_test_server_url (server, "/v2/markets?limit=2");
 *   … fetch url …
 *   requests = hs_test_server_get_requests (server);   (method, target, headers, arrival time)
 *
 * A response can also wait before its headers (set_delay), stall (read the request and never
 * answer, until the server is freed), announce its whole length but send only part of the
 * body and close (set_truncate), send a generated body of any size without holding it in
 * memory (set_generated, with Content-Length or chunked), and gzip its body when the request
 * accepts gzip (set_gzip). Freeing the server closes every connection, stalled ones too, and
 * joins all its threads.
 */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct _HsTestServer   HsTestServer;
typedef struct _HsTestResponse HsTestResponse;

typedef struct
{
  char       *method;      /* "GET" */
  char       *target;      /* path and query, as sent: "/v2/markets?limit=2" */
  char       *path;        /* without the query: "/v2/markets" */
  GHashTable *headers;     /* lower-case name → value (repeated headers joined with ", ") */
  GBytes     *body;        /* the request body (empty for a GET) */
  int64_t     arrival;     /* g_get_monotonic_time() when its headers had arrived */
  guint       connection;  /* the connection it came on, 1, 2, … in accept order */
} HsTestRequest;

HsTestServer   *hs_test_server_new            (void);
void            hs_test_server_free           (HsTestServer   *server);
const char     *hs_test_server_get_base_url   (HsTestServer   *server);
char           *hs_test_server_url            (HsTestServer   *server,
                                               const char     *target);
void            hs_test_server_add            (HsTestServer   *server,
                                               const char     *target,
                                               HsTestResponse *response);
GPtrArray      *hs_test_server_get_requests   (HsTestServer   *server);
guint           hs_test_server_count          (HsTestServer   *server,
                                               const char     *path);
guint           hs_test_server_get_connections (HsTestServer  *server);
void            hs_test_server_wait_requests  (HsTestServer   *server,
                                               guint           n);

HsTestResponse *hs_test_response_new          (int             status);
HsTestResponse *hs_test_response_new_json     (int             status,
                                               const char     *json);
HsTestResponse *hs_test_response_new_file     (int             status,
                                               const char     *content_type,
                                               const char     *file);
HsTestResponse *hs_test_fixture               (const char     *provider,
                                               const char     *file);
void            hs_test_response_free         (HsTestResponse *response);
void            hs_test_response_set_header   (HsTestResponse *response,
                                               const char     *name,
                                               const char     *value);
void            hs_test_response_set_body     (HsTestResponse *response,
                                               const void     *data,
                                               gssize          len);
void            hs_test_response_set_delay    (HsTestResponse *response,
                                               int             ms);
void            hs_test_response_set_truncate (HsTestResponse *response,
                                               size_t          sent);
void            hs_test_response_set_stall    (HsTestResponse *response);
void            hs_test_response_set_generated (HsTestResponse *response,
                                                uint64_t        size,
                                                gboolean        chunked);
void            hs_test_response_set_gzip     (HsTestResponse *response);
void            hs_test_response_set_close    (HsTestResponse *response);

void            hs_test_request_free          (HsTestRequest  *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestServer, hs_test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestResponse, hs_test_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestRequest, hs_test_request_free)

G_END_DECLS
