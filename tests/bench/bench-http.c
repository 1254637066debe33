/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HTTP client benchmark, against the local test server (tests/hs-test-server.c) on 127.0.0.1:
 *
 *   cancel      a transfer stalled on a connection that never answers, cancelled from another
 *               thread: the time from g_cancellable_cancel() to hs_http_get() returning
 *               G_IO_ERROR_CANCELLED (target < 100 ms), min / median / max over 20 tries
 *   reuse       small JSON GETs one after another on one client: requests per second, and
 *               how many connections the server saw (1: the connection is kept alive)
 *   fresh       the same with a new client per request (a new connection each), for scale
 *
 * Wall times; nothing is asserted. The figures are printed for people and, as the last line, as
 * one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark --suite bench -v   (or BUILD/tests/bench/bench-http)
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-http.h"
#include "hs-test-server.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define N_CANCEL 20
#define N_REUSE  2000
#define N_FRESH  300

typedef struct
{
  HsHttpClient *client;
  const char   *url;
  GCancellable *cancellable;
  int64_t       returned;   /* monotonic µs when hs_http_get() returned */
  gboolean      cancelled;
} Job;

static gpointer
stalled_worker (gpointer data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  HsHttpRequest req = { NULL, job->url, NULL, HS_HTTP_EXPECT_JSON };
  g_autoptr(HsHttpResponse) resp = hs_http_get (job->client, &req, job->cancellable, &error);

  job->returned = g_get_monotonic_time ();
  job->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  return NULL;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Returns: the tries' cancel latencies in ms, sorted. */
static void
bench_cancel (double out[N_CANCEL])
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = hs_http_client_new (NULL);   /* 30 s timeout */
  g_autofree char *url = hs_test_server_url (server, "/stall");
  HsTestResponse *r = hs_test_response_new (200);

  hs_test_response_set_stall (r);
  hs_test_server_add (server, "/stall", r);
  for (int i = 0; i < N_CANCEL; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      Job job = { client, url, cancellable, 0, FALSE };
      GThread *thread = g_thread_new ("fetch", stalled_worker, &job);
      int64_t t0;

      /* The request is at the server; 20 ms more and the client surely waits in
       * curl_multi_poll() for an answer that never comes. */
      hs_test_server_wait_requests (server, (guint) i + 1);
      g_usleep (20000);
      t0 = g_get_monotonic_time ();
      g_cancellable_cancel (cancellable);
      g_thread_join (thread);
      if (!job.cancelled)
        g_error ("try %d: the transfer ended without being cancelled", i);
      out[i] = (double) (job.returned - t0) / 1000.0;
    }
  qsort (out, N_CANCEL, sizeof *out, cmp_double);
}

/* Returns: requests per second for @n GETs, a new client per request when @fresh. */
static double
bench_requests (int       n,
                gboolean  fresh,
                guint    *connections)
{
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(HsHttpClient) client = hs_http_client_new (NULL);
  g_autofree char *url = hs_test_server_url (server, "/v2/markets");
  HsHttpRequest req = { NULL, url, NULL, HS_HTTP_EXPECT_JSON };
  int64_t t0;

  hs_test_server_add (server, "/v2/markets",
                      hs_test_response_new_json (200, "{\"markets\":[],\"cursor\":\"\"}"));
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsHttpClient) own = fresh ? hs_http_client_new (NULL) : NULL;
      g_autoptr(HsHttpResponse) resp = hs_http_get (fresh ? own : client, &req, NULL, &error);

      if (resp == NULL)
        g_error ("request %d: %s", i, error->message);
    }
  *connections = hs_test_server_get_connections (server);
  return n / ((double) (g_get_monotonic_time () - t0) / 1e6);
}

int
main (int    argc,
      char **argv)
{
  double cancel_ms[N_CANCEL];
  double reuse, fresh;
  guint reuse_conns = 0, fresh_conns = 0;

  hs_http_global_init ();
  printf ("bench-http (%s build): local server on 127.0.0.1\n", HS_BENCH_BUILDTYPE);
  bench_cancel (cancel_ms);
  printf ("cancel a stalled transfer: min %.2f ms, median %.2f ms, max %.2f ms over %d tries "
          "(target < 100 ms)\n", cancel_ms[0], (cancel_ms[N_CANCEL / 2 - 1]
                                                + cancel_ms[N_CANCEL / 2]) / 2,
          cancel_ms[N_CANCEL - 1], N_CANCEL);
  reuse = bench_requests (N_REUSE, FALSE, &reuse_conns);
  printf ("one client, connection kept alive: %.0f requests/s (%d requests, %u connection%s)\n",
          reuse, N_REUSE, reuse_conns, reuse_conns == 1 ? "" : "s");
  fresh = bench_requests (N_FRESH, TRUE, &fresh_conns);
  printf ("a new client per request: %.0f requests/s (%d requests, %u connections)\n", fresh,
          N_FRESH, fresh_conns);
  printf ("{\"cancel_ms\": {\"min\": %.3f, \"median\": %.3f, \"max\": %.3f}, "
          "\"reuse_requests_per_s\": %.0f, \"reuse_connections\": %u, "
          "\"fresh_requests_per_s\": %.0f}\n", cancel_ms[0],
          (cancel_ms[N_CANCEL / 2 - 1] + cancel_ms[N_CANCEL / 2]) / 2, cancel_ms[N_CANCEL - 1],
          reuse, reuse_conns, fresh);
  return 0;
}
