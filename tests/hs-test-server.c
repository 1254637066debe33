/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local HTTP/1.1 test server (hs-test-server.h). A GThreadedSocketService accepts on the
 * server's thread, whose own GMainContext runs only that; each connection is served on a
 * thread of the service's pool with blocking reads and writes, which makes delays, stalls,
 * truncation and endless bodies plain code. The server's GCancellable aborts every blocked
 * read and write when it is freed.
 */
#include "config.h"

#include "hs-test-server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

struct _HsTestResponse
{
  int        status;
  GPtrArray *headers;     /* "Name: value" lines */
  GBytes    *body;
  int        delay_ms;
  gboolean   truncate;
  size_t     truncate_at;
  gboolean   stall;
  gboolean   generated;
  uint64_t   generated_size;
  gboolean   chunked;
  gboolean   gzip;
  gboolean   close;
};

struct _HsTestServer
{
  GMutex        lock;           /* guards everything below that changes */
  GCond         cond;           /* requests arrived, stopping */
  GHashTable   *scripts;        /* target → GQueue of HsTestResponse */
  GPtrArray    *used;           /* responses taken off their queue; a connection may still
                                 * be sending one, so they live as long as the server */
  GPtrArray    *requests;       /* HsTestRequest, in arrival order */
  guint         connections;
  gboolean      ready;
  gboolean      stopping;
  gboolean      service_gone;
  GCancellable *cancellable;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GError       *start_error;
  char         *base_url;
};

/* ---------------------------------------------------------------------------------------------
 * Responses
 * ------------------------------------------------------------------------------------------ */

/* Returns: (transfer full): a response with @status, no headers and an empty body. */
HsTestResponse *
hs_test_response_new (int status)
{
  HsTestResponse *r = g_new0 (HsTestResponse, 1);

  r->status = status;
  r->headers = g_ptr_array_new_with_free_func (g_free);
  r->body = g_bytes_new (NULL, 0);
  return r;
}

/* A response with Content-Type application/json and @json as its body. */
HsTestResponse *
hs_test_response_new_json (int         status,
                           const char *json)
{
  HsTestResponse *r = hs_test_response_new (status);

  hs_test_response_set_header (r, "Content-Type", "application/json");
  hs_test_response_set_body (r, json, -1);
  return r;
}

/**
 * hs_test_fixture:
 *
 * A 200 JSON answer with a recorded provider response: tests/data/fixtures/@provider/@file.
 */
HsTestResponse *
hs_test_fixture (const char *provider,
                 const char *file)
{
  g_autofree char *rel = g_build_filename ("fixtures", provider, file, NULL);

  return hs_test_response_new_file (200, "application/json", rel);
}

/**
 * hs_test_response_new_file:
 * @content_type: (nullable): its Content-Type, or none
 * @file: absolute, or relative to $HS_TEST_DATA (tests/data); read now, asserting it exists
 */
HsTestResponse *
hs_test_response_new_file (int         status,
                           const char *content_type,
                           const char *file)
{
  HsTestResponse *r = hs_test_response_new (status);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  if (g_path_is_absolute (file))
    path = g_strdup (file);
  else
    {
      g_assert_nonnull (g_getenv ("HS_TEST_DATA"));
      path = g_build_filename (g_getenv ("HS_TEST_DATA"), file, NULL);
    }
  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  g_bytes_unref (r->body);
  r->body = g_bytes_new_take (data, len);
  if (content_type != NULL)
    hs_test_response_set_header (r, "Content-Type", content_type);
  return r;
}

void
hs_test_response_free (HsTestResponse *response)
{
  if (response == NULL)
    return;
  g_ptr_array_unref (response->headers);
  g_bytes_unref (response->body);
  g_free (response);
}

/* Adds a header line (the server itself writes Content-Length, Transfer-Encoding,
 * Content-Encoding and Connection). */
void
hs_test_response_set_header (HsTestResponse *response,
                             const char     *name,
                             const char     *value)
{
  g_ptr_array_add (response->headers, g_strdup_printf ("%s: %s", name, value));
}

/* The body, copied; @len −1 for a NUL-terminated text. */
void
hs_test_response_set_body (HsTestResponse *response,
                           const void     *data,
                           gssize          len)
{
  g_bytes_unref (response->body);
  response->body = g_bytes_new (data, len < 0 ? strlen (data) : (size_t) len);
}

/* Waits @ms after the request arrived before sending anything. */
void
hs_test_response_set_delay (HsTestResponse *response,
                            int             ms)
{
  response->delay_ms = ms;
}

/* Announces the whole body's Content-Length, sends only its first @sent bytes, and closes the
 * connection. */
void
hs_test_response_set_truncate (HsTestResponse *response,
                               size_t          sent)
{
  response->truncate = TRUE;
  response->truncate_at = sent;
}

/* Reads the request and never answers; the connection stays open until the server is freed. */
void
hs_test_response_set_stall (HsTestResponse *response)
{
  response->stall = TRUE;
}

/* A body of @size generated bytes (digits and newlines), written in pieces as it goes, with a
 * Content-Length, or @chunked without one. Replaces the body. */
void
hs_test_response_set_generated (HsTestResponse *response,
                                uint64_t        size,
                                gboolean        chunked)
{
  response->generated = TRUE;
  response->generated_size = size;
  response->chunked = chunked;
}

/* Sends the body gzip-compressed (Content-Encoding: gzip) when the request's Accept-Encoding
 * names gzip; as it is otherwise. */
void
hs_test_response_set_gzip (HsTestResponse *response)
{
  response->gzip = TRUE;
}

/* Closes the connection after this response (Connection: close). */
void
hs_test_response_set_close (HsTestResponse *response)
{
  response->close = TRUE;
}

void
hs_test_request_free (HsTestRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->target);
  g_free (request->path);
  g_clear_pointer (&request->headers, g_hash_table_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static HsTestRequest *
request_copy (const HsTestRequest *r)
{
  HsTestRequest *c = g_new0 (HsTestRequest, 1);
  GHashTableIter iter;
  gpointer k, v;

  c->method = g_strdup (r->method);
  c->target = g_strdup (r->target);
  c->path = g_strdup (r->path);
  c->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, r->headers);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (c->headers, g_strdup (k), g_strdup (v));
  c->body = g_bytes_ref (r->body);
  c->arrival = r->arrival;
  c->connection = r->connection;
  return c;
}

/* ---------------------------------------------------------------------------------------------
 * Serving a connection (on a thread of the service's pool)
 * ------------------------------------------------------------------------------------------ */

static const char *
reason_phrase (int status)
{
  switch (status)
    {
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

/* Waits until @deadline (monotonic µs), or for ever when it is 0, unless the server stops.
 * Returns: FALSE when the server is stopping. */
static gboolean
wait_or_stop (HsTestServer *s,
              int64_t       deadline)
{
  gboolean stopping;

  g_mutex_lock (&s->lock);
  while (!s->stopping && (deadline == 0 || g_get_monotonic_time () < deadline))
    if (deadline == 0)
      g_cond_wait (&s->cond, &s->lock);
    else
      g_cond_wait_until (&s->cond, &s->lock, deadline);
  stopping = s->stopping;
  g_mutex_unlock (&s->lock);
  return !stopping;
}

/* The scripted response for @r (a copy of the queue's head, which stays if it is the last). */
static const HsTestResponse *
next_response (HsTestServer        *s,
               const HsTestRequest *r)
{
  GQueue *q = g_hash_table_lookup (s->scripts, r->target);

  if (q == NULL || g_queue_is_empty (q))
    q = g_hash_table_lookup (s->scripts, r->path);
  if (q == NULL || g_queue_is_empty (q))
    return NULL;
  if (g_queue_get_length (q) > 1)
    {
      HsTestResponse *head = g_queue_pop_head (q);

      g_ptr_array_add (s->used, head);
      return head;
    }
  return g_queue_peek_head (q);
}

static GBytes *
gzip_bytes (GBytes *data)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (z));
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const void *p = g_bytes_get_data (data, &len);

  g_output_stream_write_all (out, p, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static gboolean
write_text (GOutputStream *out,
            const char    *text,
            size_t         len,
            GCancellable  *cancellable)
{
  return g_output_stream_write_all (out, text, len, NULL, cancellable, NULL);
}

/* Writes @size generated bytes, as chunks when @chunked. */
static gboolean
write_generated (GOutputStream *out,
                 uint64_t       size,
                 gboolean       chunked,
                 GCancellable  *cancellable)
{
  char block[65536];

  for (size_t i = 0; i < sizeof block; i++)
    block[i] = (i % 64 == 63) ? '\n' : (char) ('0' + i % 10);
  while (size > 0)
    {
      size_t n = (size_t) MIN (size, (uint64_t) sizeof block);
      char head[32];

      if (chunked)
        {
          g_snprintf (head, sizeof head, "%zx\r\n", n);
          if (!write_text (out, head, strlen (head), cancellable))
            return FALSE;
        }
      if (!write_text (out, block, n, cancellable)
          || (chunked && !write_text (out, "\r\n", 2, cancellable)))
        return FALSE;
      size -= n;
    }
  return !chunked || write_text (out, "0\r\n\r\n", 5, cancellable);
}

/* Answers @req with @r. Returns: whether the connection may serve another request. */
static gboolean
respond (HsTestServer         *s,
         GOutputStream        *out,
         const HsTestResponse *r,
         const HsTestRequest  *req)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GBytes) body = g_bytes_ref (r->body);
  const char *accept = g_hash_table_lookup (req->headers, "accept-encoding");
  gboolean keep = !r->close && !r->truncate;
  gsize len = 0;
  const char *data;

  if (r->delay_ms > 0
      && !wait_or_stop (s, g_get_monotonic_time () + (int64_t) r->delay_ms * 1000))
    return FALSE;
  if (r->stall)
    {
      wait_or_stop (s, 0);
      return FALSE;
    }
  g_string_append_printf (head, "HTTP/1.1 %d %s\r\n", r->status, reason_phrase (r->status));
  for (guint i = 0; i < r->headers->len; i++)
    g_string_append_printf (head, "%s\r\n", (const char *) g_ptr_array_index (r->headers, i));
  if (r->gzip && !r->generated && accept != NULL && strstr (accept, "gzip") != NULL)
    {
      g_autoptr(GBytes) packed = gzip_bytes (body);

      g_bytes_unref (body);
      body = g_steal_pointer (&packed);
      g_string_append (head, "Content-Encoding: gzip\r\n");
    }
  data = g_bytes_get_data (body, &len);
  if (r->generated && r->chunked)
    g_string_append (head, "Transfer-Encoding: chunked\r\n");
  else
    g_string_append_printf (head, "Content-Length: %" G_GUINT64_FORMAT "\r\n",
                            r->generated ? r->generated_size : (guint64) len);
  if (!keep)
    g_string_append (head, "Connection: close\r\n");
  g_string_append (head, "\r\n");
  if (!write_text (out, head->str, head->len, s->cancellable))
    return FALSE;
  if (r->generated)
    {
      uint64_t size = r->truncate ? MIN (r->truncate_at, r->generated_size) : r->generated_size;

      if (!write_generated (out, size, r->chunked && !r->truncate, s->cancellable))
        return FALSE;
    }
  else if (!write_text (out, data, r->truncate ? MIN (r->truncate_at, len) : len,
                        s->cancellable))
    return FALSE;
  return keep && g_output_stream_flush (out, s->cancellable, NULL);
}

/* Reads one request (line, headers, body). Returns: NULL at the end of the connection. */
static HsTestRequest *
read_request (HsTestServer     *s,
              GDataInputStream *in)
{
  g_autoptr(HsTestRequest) r = g_new0 (HsTestRequest, 1);
  g_autofree char *line = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 length = 0;
  const char *cl;

  line = g_data_input_stream_read_line (in, NULL, s->cancellable, NULL);
  if (line == NULL)
    return NULL;
  parts = g_strsplit (line, " ", 3);
  if (g_strv_length (parts) != 3)
    return NULL;
  r->method = g_strdup (parts[0]);
  r->target = g_strdup (parts[1]);
  r->path = g_strndup (parts[1], strcspn (parts[1], "?"));
  r->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (;;)
    {
      g_autofree char *h = g_data_input_stream_read_line (in, NULL, s->cancellable, NULL);
      char *colon, *name, *value, *old;

      if (h == NULL)
        return NULL;
      if (h[0] == '\0')
        break;
      colon = strchr (h, ':');
      if (colon == NULL)
        continue;
      name = g_strstrip (g_ascii_strdown (h, colon - h));
      value = g_strstrip (g_strdup (colon + 1));
      old = g_hash_table_lookup (r->headers, name);
      if (old != NULL)
        {
          char *joined = g_strconcat (old, ", ", value, NULL);

          g_free (value);
          value = joined;
        }
      g_hash_table_replace (r->headers, name, value);
    }
  r->arrival = g_get_monotonic_time ();
  cl = g_hash_table_lookup (r->headers, "content-length");
  if (cl != NULL && g_ascii_string_to_unsigned (cl, 10, 0, 64 * 1024 * 1024, &length, NULL)
      && length > 0)
    {
      g_autofree char *body = g_malloc (length);

      if (!g_input_stream_read_all (G_INPUT_STREAM (in), body, length, NULL, s->cancellable,
                                    NULL))
        return NULL;
      r->body = g_bytes_new_take (g_steal_pointer (&body), length);
    }
  else
    r->body = g_bytes_new (NULL, 0);
  return g_steal_pointer (&r);
}

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  HsTestServer *s = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  guint number;

  g_mutex_lock (&s->lock);
  number = ++s->connections;
  g_mutex_unlock (&s->lock);
  /* Headers and body go out in separate writes: without this, Nagle's algorithm holds the
   * body back until the client's delayed ACK, 40 ms per response on a kept-alive connection. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  for (;;)
    {
      g_autoptr(HsTestRequest) req = read_request (s, in);
      const HsTestResponse *r;
      g_autoptr(HsTestResponse) missing = NULL;
      gboolean keep;

      if (req == NULL)
        break;
      req->connection = number;
      g_mutex_lock (&s->lock);
      g_ptr_array_add (s->requests, request_copy (req));
      g_cond_broadcast (&s->cond);
      r = next_response (s, req);
      g_mutex_unlock (&s->lock);
      if (r == NULL)
        {
          g_autofree char *text = g_strdup_printf ("no response scripted for %s", req->path);

          missing = hs_test_response_new (404);
          hs_test_response_set_header (missing, "Content-Type", "text/plain");
          hs_test_response_set_body (missing, text, -1);
          r = missing;
        }
      keep = respond (s, out, r, req);
      if (!keep)
        break;
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * The server
 * ------------------------------------------------------------------------------------------ */

/* The service is disposed when its last connection job has ended (each holds a reference). */
static void
service_gone_cb (gpointer  data,
                 GObject  *where)
{
  HsTestServer *s = data;

  g_mutex_lock (&s->lock);
  s->service_gone = TRUE;
  g_mutex_unlock (&s->lock);
  g_main_context_wakeup (s->context);
}

static gboolean
service_is_gone (HsTestServer *s)
{
  gboolean gone;

  g_mutex_lock (&s->lock);
  gone = s->service_gone;
  g_mutex_unlock (&s->lock);
  return gone;
}

static gpointer
server_thread (gpointer data)
{
  HsTestServer *s = data;
  GSocketService *service = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) effective = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (s->context);
  service = g_threaded_socket_service_new (-1);
  g_object_weak_ref (G_OBJECT (service), service_gone_cb, s);
  g_signal_connect (service, "run", G_CALLBACK (run_cb), s);
  if (g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                     G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    {
      s->base_url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (
                                       G_INET_SOCKET_ADDRESS (effective)));
      g_socket_service_start (service);
    }
  g_mutex_lock (&s->lock);
  s->start_error = error;
  s->ready = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  if (error == NULL)
    g_main_loop_run (s->loop);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_object_unref (service);
  /* The cancelled accept finishes through this context, and connections still being served
   * hold the service too: run the context until the last reference is gone. */
  while (!service_is_gone (s))
    g_main_context_iteration (s->context, TRUE);
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

static void
queue_free (gpointer q)
{
  g_queue_free_full (q, (GDestroyNotify) hs_test_response_free);
}

/**
 * hs_test_server_new:
 *
 * Returns: (transfer full): a server listening on 127.0.0.1 at a free port (asserting it
 *   could start)
 */
HsTestServer *
hs_test_server_new (void)
{
  HsTestServer *s = g_new0 (HsTestServer, 1);

  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, queue_free);
  s->used = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_test_response_free);
  s->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_test_request_free);
  s->cancellable = g_cancellable_new ();
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  s->thread = g_thread_new ("hs-test-server", server_thread, s);
  g_mutex_lock (&s->lock);
  while (!s->ready)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  g_assert_no_error (s->start_error);
  return s;
}

/* Stops the server: every connection is closed (stalled and delayed ones too) and every thread
 * joined before it returns. */
void
hs_test_server_free (HsTestServer *server)
{
  if (server == NULL)
    return;
  g_mutex_lock (&server->lock);
  server->stopping = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  g_cancellable_cancel (server->cancellable);
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  g_hash_table_unref (server->scripts);
  g_ptr_array_unref (server->used);
  g_ptr_array_unref (server->requests);
  g_object_unref (server->cancellable);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_clear_error (&server->start_error);
  g_free (server->base_url);
  g_cond_clear (&server->cond);
  g_mutex_clear (&server->lock);
  g_free (server);
}

/* Returns: (transfer none): "http://127.0.0.1:PORT", without a trailing slash. */
const char *
hs_test_server_get_base_url (HsTestServer *server)
{
  return server->base_url;
}

/* Returns: (transfer full): the base URL followed by @target ("/v2/markets?limit=2"). */
char *
hs_test_server_url (HsTestServer *server,
                    const char   *target)
{
  return g_strconcat (server->base_url, target, NULL);
}

/**
 * hs_test_server_add:
 * @target: a path ("/v2/markets"), or a path with its query ("/v2/markets?cursor=abc") for a
 *   response only that exact request gets
 * @response: (transfer full): appended to @target's queue
 */
void
hs_test_server_add (HsTestServer   *server,
                    const char     *target,
                    HsTestResponse *response)
{
  GQueue *q;

  g_assert_true (target[0] == '/');
  g_mutex_lock (&server->lock);
  q = g_hash_table_lookup (server->scripts, target);
  if (q == NULL)
    {
      q = g_queue_new ();
      g_hash_table_insert (server->scripts, g_strdup (target), q);
    }
  g_queue_push_tail (q, response);
  g_mutex_unlock (&server->lock);
}

/* Returns: (transfer full) (element-type HsTestRequest): copies of the requests so far, in the
 * order they arrived. */
GPtrArray *
hs_test_server_get_requests (HsTestServer *server)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_test_request_free);

  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->requests->len; i++)
    g_ptr_array_add (out, request_copy (g_ptr_array_index (server->requests, i)));
  g_mutex_unlock (&server->lock);
  return out;
}

/* Returns: how many requests came for @path (without query), or in all when @path is NULL. */
guint
hs_test_server_count (HsTestServer *server,
                      const char   *path)
{
  guint n = 0;

  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->requests->len; i++)
    {
      const HsTestRequest *r = g_ptr_array_index (server->requests, i);

      n += path == NULL || g_str_equal (r->path, path);
    }
  g_mutex_unlock (&server->lock);
  return n;
}

/* Returns: how many connections the server accepted so far. */
guint
hs_test_server_get_connections (HsTestServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->connections;
  g_mutex_unlock (&server->lock);
  return n;
}

/* Blocks until at least @n requests have arrived in all (e.g. before cancelling a stalled
 * one from the test). */
void
hs_test_server_wait_requests (HsTestServer *server,
                              guint         n)
{
  g_mutex_lock (&server->lock);
  while (server->requests->len < n)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
}
