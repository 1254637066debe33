/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The local WebSocket server of the stream tests (see hs-test-ws-server.h for the script
 * language): a SoupServer with a WebSocket handler on a thread of its own, so that the stream
 * under test (on the test's thread, a worker, or a hindsight-cli subprocess) talks to it over a
 * real socket. Scripts are parsed up front on the test's thread, so a broken script fails the
 * test at once; frames are built from the recorded fixtures in tests/data/fixtures/.
 */
#include "config.h"

#include "hs-test-ws-server.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdarg.h>
#include <string.h>

typedef enum
{
  STEP_EXPECT,
  STEP_SEND,
  STEP_CLOSE,
} StepKind;

typedef struct
{
  StepKind kind;
  char    *text;    /* the substring to expect, or the frame to send */
} Step;

typedef struct
{
  HsTestWsServer          *server;
  SoupWebsocketConnection *conn;      /* (owned) */
  int                      index;
  GPtrArray               *steps;     /* (nullable) (element-type Step) borrowed from server */
  guint                    next;      /* the next step */
  guint                    cursor;    /* received messages before it are matched already */
  GPtrArray               *received;  /* (owned) utf8; guarded by the server's lock */
  gboolean                 done;      /* every step ran */
} Conn;

struct _HsTestWsServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  char         *url;
  GPtrArray    *scripts;              /* (element-type GPtrArray of Step) */
  GPtrArray    *conns;                /* (element-type Conn) */
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
};

static void
step_free (Step *step)
{
  g_free (step->text);
  g_free (step);
}

/* Builds the frame of a `send FILE [M=JSON…]` step. */
static char *
build_frame (const char *args)
{
  g_auto(GStrv) words = g_strsplit (args, " ", -1);
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "fixtures", words[0],
                                            NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  if (words[1] == NULL)
    {
      char *text = NULL;

      /* Verbatim: Kraken's checksum depends on how its numbers are written. */
      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      return g_strchomp (text);
    }
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 1; words[i] != NULL; i++)
    {
      const char *eq = strchr (words[i], '=');
      g_autofree char *member = NULL;
      JsonNode *value;

      if (words[i][0] == '\0')
        continue;
      g_assert_nonnull (eq);
      member = g_strndup (words[i], eq - words[i]);
      value = json_from_string (eq + 1, &error);
      g_assert_no_error (error);
      json_object_set_member (root, member, value);
    }
  return json_to_string (json_parser_get_root (parser), FALSE);
}

static GPtrArray *
parse_script (const char *text)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      Step *step;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      step = g_new0 (Step, 1);
      if (g_str_has_prefix (line, "expect "))
        {
          step->kind = STEP_EXPECT;
          step->text = g_strdup (line + 7);
        }
      else if (g_str_has_prefix (line, "send "))
        {
          step->kind = STEP_SEND;
          step->text = build_frame (line + 5);
        }
      else if (g_str_has_prefix (line, "raw "))
        {
          step->kind = STEP_SEND;
          step->text = g_strdup (line + 4);
        }
      else if (g_str_equal (line, "close"))
        step->kind = STEP_CLOSE;
      else
        g_error ("script line %u: unknown step “%s”", i + 1, line);
      g_ptr_array_add (steps, step);
    }
  return steps;
}

/* Runs steps until one has to wait for the client. */
static void
advance (Conn *c)
{
  while (c->steps != NULL && c->next < c->steps->len && !c->done)
    {
      Step *step = g_ptr_array_index (c->steps, c->next);

      if (step->kind == STEP_EXPECT)
        {
          gboolean found = FALSE;

          g_mutex_lock (&c->server->lock);
          for (guint i = c->cursor; i < c->received->len && !found; i++)
            if (strstr (g_ptr_array_index (c->received, i), step->text) != NULL)
              {
                c->cursor = i + 1;
                found = TRUE;
              }
          g_mutex_unlock (&c->server->lock);
          if (!found)
            return;
        }
      else if (step->kind == STEP_SEND)
        {
          if (soup_websocket_connection_get_state (c->conn) != SOUP_WEBSOCKET_STATE_OPEN)
            break;
          soup_websocket_connection_send_text (c->conn, step->text);
        }
      else
        soup_websocket_connection_close (c->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, "script");
      c->next++;
    }
  g_mutex_lock (&c->server->lock);
  c->done = TRUE;
  g_cond_broadcast (&c->server->cond);
  g_mutex_unlock (&c->server->lock);
}

static void
message_cb (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 data)
{
  Conn *c = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (message, &len);

  g_mutex_lock (&c->server->lock);
  g_ptr_array_add (c->received, g_strndup (text ? text : "", len));
  g_cond_broadcast (&c->server->cond);
  g_mutex_unlock (&c->server->lock);
  if (!c->done)
    advance (c);
}

static void
conn_free (Conn *c)
{
  if (c->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (c->conn, c);
      g_clear_object (&c->conn);
    }
  g_ptr_array_unref (c->received);
  g_free (c);
}

static void
websocket_cb (SoupServer              *soup,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 data)
{
  HsTestWsServer *self = data;
  Conn *c = g_new0 (Conn, 1);

  c->server = self;
  c->conn = g_object_ref (conn);
  c->received = g_ptr_array_new_with_free_func (g_free);
  soup_websocket_connection_set_max_incoming_payload_size (conn, 0);
  g_signal_connect (conn, "message", G_CALLBACK (message_cb), c);
  g_mutex_lock (&self->lock);
  c->index = (int) self->conns->len;
  c->steps = (guint) c->index < self->scripts->len
             ? g_ptr_array_index (self->scripts, c->index) : NULL;
  g_ptr_array_add (self->conns, c);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  advance (c);
}

static gboolean
quit_cb (gpointer data)
{
  HsTestWsServer *self = data;

  for (guint i = 0; i < self->conns->len; i++)
    {
      Conn *c = g_ptr_array_index (self->conns, i);

      if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (c->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
expired_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
all_closed (HsTestWsServer *self)
{
  for (guint i = 0; i < self->conns->len; i++)
    {
      Conn *c = g_ptr_array_index (self->conns, i);

      if (soup_websocket_connection_get_state (c->conn) != SOUP_WEBSOCKET_STATE_CLOSED)
        return FALSE;
    }
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  HsTestWsServer *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  self->soup = soup_server_new ("server-header", "hs-test-ws-server", NULL);
  soup_server_add_websocket_handler (self->soup, NULL, NULL, NULL, websocket_cb, self, NULL);
  soup_server_listen_local (self->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->soup);
  g_assert_nonnull (uris);

  g_mutex_lock (&self->lock);
  self->url = g_strdup_printf ("ws://127.0.0.1:%d/", g_uri_get_port (uris->data));
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  /* Let the closing handshakes finish (a second at most): an unfinished one keeps the
   * server's connection objects alive. */
  {
    gboolean expired = FALSE;
    GSource *timer = g_timeout_source_new (1000);

    g_source_set_callback (timer, expired_cb, &expired, NULL);
    g_source_attach (timer, self->context);
    while (!expired && !all_closed (self))
      g_main_context_iteration (self->context, TRUE);
    g_source_destroy (timer);
    g_source_unref (timer);
  }
  soup_server_disconnect (self->soup);
  g_ptr_array_set_size (self->conns, 0);
  g_clear_object (&self->soup);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * hs_test_ws_server_new:
 * @scripts: (array zero-terminated=1): the script text of each connection, in order
 *
 * Returns: a running server; its URL is ready
 */
HsTestWsServer *
hs_test_ws_server_new (const char *const *scripts)
{
  HsTestWsServer *self = g_new0 (HsTestWsServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->scripts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (size_t i = 0; scripts != NULL && scripts[i] != NULL; i++)
    g_ptr_array_add (self->scripts, parse_script (scripts[i]));
  self->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("hs-test-ws-server", server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

/* A server playing the script files $HS_TEST_DATA/stream/NAME (NULL-terminated list). */
HsTestWsServer *
hs_test_ws_server_new_files (const char *first_script_file,
                             ...)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  const char *name = first_script_file;
  va_list ap;

  va_start (ap, first_script_file);
  for (; name != NULL; name = va_arg (ap, const char *))
    {
      g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "stream", name,
                                                NULL);
      char *text = NULL;
      g_autoptr(GError) error = NULL;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (texts, text);
    }
  va_end (ap);
  g_ptr_array_add (texts, NULL);
  return hs_test_ws_server_new ((const char *const *) texts->pdata);
}

void
hs_test_ws_server_free (HsTestWsServer *self)
{
  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit_cb, self);
  g_thread_join (self->thread);
  g_ptr_array_unref (self->conns);
  g_ptr_array_unref (self->scripts);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self->url);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

/* ws://127.0.0.1:PORT/ */
const char *
hs_test_ws_server_get_url (HsTestWsServer *self)
{
  return self->url;
}

int
hs_test_ws_server_n_connections (HsTestWsServer *self)
{
  int n;

  g_mutex_lock (&self->lock);
  n = (int) self->conns->len;
  g_mutex_unlock (&self->lock);
  return n;
}

/* Blocks until @n connections have been accepted. */
void
hs_test_ws_server_wait_connections (HsTestWsServer *self,
                                    int             n)
{
  g_mutex_lock (&self->lock);
  while ((int) self->conns->len < n)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

/* Blocks until connection @connection (0 is the first) has run its whole script. */
void
hs_test_ws_server_wait_script_done (HsTestWsServer *self,
                                    int             connection)
{
  g_mutex_lock (&self->lock);
  while ((int) self->conns->len <= connection
         || !((Conn *) g_ptr_array_index (self->conns, connection))->done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

/**
 * hs_test_ws_server_dup_received:
 *
 * Returns: (transfer full) (element-type utf8): the messages the client sent on connection
 *   @connection, in order
 */
GPtrArray *
hs_test_ws_server_dup_received (HsTestWsServer *self,
                                int             connection)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_mutex_lock (&self->lock);
  if ((guint) connection < self->conns->len)
    {
      Conn *c = g_ptr_array_index (self->conns, connection);

      for (guint i = 0; i < c->received->len; i++)
        g_ptr_array_add (out, g_strdup (g_ptr_array_index (c->received, i)));
    }
  g_mutex_unlock (&self->lock);
  return out;
}
