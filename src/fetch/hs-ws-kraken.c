/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kraken WebSocket v2 frames (wss://ws.kraken.com/v2) into HsWsFrame, and the subscription
 * messages. A data frame is {channel, type: snapshot|update, data: [...]}:
 *
 * - "book": per symbol, bids and asks as {price, qty} (qty 0 removes the level) and the CRC32
 *   "checksum" of the top ten levels after the message is applied. There is no sequence
 *   number; the checksum is the gap check. Prices and quantities are JSON numbers written with
 *   the instrument's full precision ("0.12290", "4067.00000000"), and the checksum is computed
 *   over that text, so the parser reports how many decimals the numbers had in the frame text
 *   (a parsed double has lost its trailing zeros).
 * - "trade": {symbol, side (the taker's), price, qty, ord_type, trade_id, timestamp}; trade_id
 *   counts up by one per pair.
 *
 * "heartbeat" and "status" frames and method responses ({method, success, error}) are
 * control frames; a failed method is an error frame.
 *
 * Load: one frame per book or trade message, tens a second.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-ws-kraken.h"
#include "hs-ws-private.h"

#include <string.h>

#include "hs-json-records.h"

/* The most digits after the point of any number following the key "@name" in the frame text,
 * or -1 when there is none. A number in exponent form is skipped: Kraken does not send them. */
static int
scan_decimals (const char *text,
               size_t      len,
               const char *name)
{
  g_autofree char *key = g_strdup_printf ("\"%s\"", name);
  size_t key_len = strlen (key);
  const char *end = text + len, *p = text;
  int best = -1;

  while (p < end)
    {
      const char *hit = g_strstr_len (p, end - p, key);
      const char *q;
      int decimals = 0;

      if (hit == NULL)
        break;
      q = hit + key_len;
      p = q;
      while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
        q++;
      if (q >= end || *q != ':')
        continue;
      q++;
      while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '"'))
        q++;
      if (q < end && *q == '-')
        q++;
      while (q < end && g_ascii_isdigit (*q))
        q++;
      if (q < end && *q == '.')
        for (q++; q < end && g_ascii_isdigit (*q); q++)
          decimals++;
      if (q < end && (*q == 'e' || *q == 'E'))
        continue;
      best = MAX (best, decimals);
    }
  return best;
}

static gboolean
read_book_side (JsonObject *d,
                const char *member,
                GArray     *levels,
                GError    **error)
{
  JsonArray *rows = hs_ws_get_array (d, member, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      double price, qty;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "%s[%u] is not an object",
                       member, i);
          return FALSE;
        }
      if (!hs_ws_get_number (json_node_get_object (node), "price", &price, error)
          || !hs_ws_get_number (json_node_get_object (node), "qty", &qty, error)
          || !hs_ws_add_level (levels, price, qty, error))
        {
          g_prefix_error (error, "%s[%u]: ", member, i);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_book (JsonObject *d,
            gboolean    snapshot,
            HsWsFrame  *frame,
            GError    **error)
{
  g_autoptr(HsWsEvent) event = hs_ws_event_new (snapshot ? HS_WS_EVENT_BOOK_SNAPSHOT
                                                         : HS_WS_EVENT_BOOK_UPDATE,
                                                hs_ws_get_string (d, "symbol"));
  JsonNode *checksum = json_object_get_member (d, "checksum");

  if (!read_book_side (d, "bids", event->bids, error)
      || !read_book_side (d, "asks", event->asks, error))
    return FALSE;
  if (checksum != NULL)
    {
      int64_t v;

      if (!hs_ws_get_int64 (d, "checksum", &v, error))
        return FALSE;
      if (v < 0 || v > G_MAXUINT32)
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                       "“checksum” is not a 32-bit unsigned number");
          return FALSE;
        }
      event->has_checksum = TRUE;
      event->checksum = (uint32_t) v;
    }
  if (!hs_json_get_time (d, "timestamp", NULL, &event->ts, error))
    return FALSE;
  g_ptr_array_add (frame->events, g_steal_pointer (&event));
  return TRUE;
}

static gboolean
read_trade (JsonObject *d,
            HsTrade    *trade,
            GError    **error)
{
  const char *side = hs_ws_get_string (d, "side");

  if (!hs_ws_read_trade_numbers (d, "qty", trade, error))
    return FALSE;
  /* Kraken names the taker's side. */
  if (side != NULL && g_str_equal (side, "buy"))
    trade->side = HS_SIDE_BUY;
  else if (side != NULL && g_str_equal (side, "sell"))
    trade->side = HS_SIDE_SELL;
  else
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“side” must be buy or sell");
      return FALSE;
    }
  if (json_object_get_member (d, "timestamp") == NULL)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "“timestamp” is missing");
      return FALSE;
    }
  return hs_json_get_time (d, "timestamp", NULL, &trade->ts, error);
}

/* A trade frame's entries grouped into one event per symbol, in trade id order. */
static gboolean
parse_trades (JsonArray *data,
              HsWsFrame *frame,
              GError   **error)
{
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *d = json_node_get_object (json_array_get_element (data, i));
      const char *symbol = hs_ws_get_string (d, "symbol");
      HsWsEvent *event = NULL;
      HsTrade trade = { 0 };

      if (!read_trade (d, &trade, error))
        {
          hs_ws_trade_clear (&trade);
          g_prefix_error (error, "data[%u]: ", i);
          return FALSE;
        }
      for (guint e = 0; e < frame->events->len && event == NULL; e++)
        {
          HsWsEvent *have = g_ptr_array_index (frame->events, e);

          if (g_strcmp0 (have->symbol, symbol) == 0)
            event = have;
        }
      if (event == NULL)
        {
          event = hs_ws_event_new (HS_WS_EVENT_TRADES, symbol);
          g_ptr_array_add (frame->events, event);
        }
      event->ts = MAX (event->ts, trade.ts);
      g_array_append_val (event->trades, trade);
    }
  for (guint e = 0; e < frame->events->len; e++)
    hs_ws_trades_sort (((HsWsEvent *) g_ptr_array_index (frame->events, e))->trades);
  return TRUE;
}

/**
 * hs_ws_kraken_parse:
 * @text: one text frame of the v2 feed
 *
 * Returns: (transfer full): the frame, or %NULL with %HS_JSON_ERROR naming the member at fault
 */
HsWsFrame *
hs_ws_kraken_parse (const char *text,
                    size_t      len,
                    GError    **error)
{
  g_autoptr(JsonNode) root = hs_ws_parse_object (text, len, error);
  g_autoptr(HsWsFrame) frame = NULL;
  JsonObject *o;
  const char *channel, *method, *type;
  JsonArray *data;
  gboolean book, snapshot;

  if (root == NULL)
    return NULL;
  o = json_node_get_object (root);
  channel = hs_ws_get_string (o, "channel");
  method = hs_ws_get_string (o, "method");
  if (channel == NULL && method != NULL)
    {
      JsonNode *success = json_object_get_member (o, "success");
      gboolean failed = success != NULL && JSON_NODE_HOLDS_VALUE (success)
                        && json_node_get_value_type (success) == G_TYPE_BOOLEAN
                        && !json_node_get_boolean (success);

      frame = hs_ws_frame_new (failed ? HS_WS_FRAME_ERROR : HS_WS_FRAME_CONTROL);
      frame->channel = g_strdup (method);
      if (failed)
        {
          const char *why = hs_ws_get_string (o, "error");

          frame->error = g_strdup_printf ("%s failed: %s", method, why ? why : "no reason given");
        }
      return g_steal_pointer (&frame);
    }
  if (channel == NULL)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "neither “channel” nor “method”");
      return NULL;
    }
  frame = hs_ws_frame_new (HS_WS_FRAME_CONTROL);
  frame->channel = g_strdup (channel);
  if (g_str_equal (channel, "heartbeat"))
    frame->kind = HS_WS_FRAME_HEARTBEAT;
  book = g_str_equal (channel, "book");
  if (!book && !g_str_equal (channel, "trade"))
    return g_steal_pointer (&frame);

  type = hs_ws_get_string (o, "type");
  if (type == NULL || (!g_str_equal (type, "snapshot") && !g_str_equal (type, "update")))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                   "“type” must be snapshot or update");
      return NULL;
    }
  snapshot = g_str_equal (type, "snapshot");
  data = hs_ws_get_array (o, "data", error);
  if (data == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (data); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (data, i)))
      {
        g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "data[%u] is not an object", i);
        return NULL;
      }
  frame->kind = HS_WS_FRAME_DATA;
  if (!book)
    return parse_trades (data, frame, error) ? g_steal_pointer (&frame) : NULL;

  for (guint i = 0; i < json_array_get_length (data); i++)
    if (!parse_book (json_node_get_object (json_array_get_element (data, i)), snapshot, frame,
                     error))
      {
        g_prefix_error (error, "data[%u]: ", i);
        return NULL;
      }
  {
    int price_decimals = scan_decimals (text, len, "price");
    int qty_decimals = scan_decimals (text, len, "qty");

    for (guint e = 0; e < frame->events->len; e++)
      {
        HsWsEvent *event = g_ptr_array_index (frame->events, e);

        event->price_decimals = price_decimals;
        event->qty_decimals = qty_decimals;
        frame->ts = MAX (frame->ts, event->ts);
      }
  }
  return g_steal_pointer (&frame);
}

/* Kraken's book depths. */
gboolean
hs_ws_kraken_depth_valid (int depth)
{
  return depth == 10 || depth == 25 || depth == 100 || depth == 500 || depth == 1000;
}

static char *
build_request (const char *method,
               const char *channel,
               const char *symbol,
               int         depth)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, method);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, channel);
  json_builder_set_member_name (b, "symbol");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, symbol);
  json_builder_end_array (b);
  if (depth > 0)
    {
      json_builder_set_member_name (b, "depth");
      json_builder_add_int_value (b, depth);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/**
 * hs_ws_kraken_subscribe:
 * @depth: the book depth (10, 25, 100, 500 or 1000)
 *
 * Returns: (transfer full) (element-type utf8): the book and trade subscriptions
 */
GPtrArray *
hs_ws_kraken_subscribe (const char *symbol,
                        int         depth)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (hs_ws_kraken_depth_valid (depth), out);
  g_ptr_array_add (out, build_request ("subscribe", "book", symbol, depth));
  g_ptr_array_add (out, build_request ("subscribe", "trade", symbol, 0));
  return out;
}

/**
 * hs_ws_kraken_resubscribe_book:
 *
 * Kraken's documented answer to a checksum mismatch: unsubscribe and subscribe the book again,
 * which brings a fresh snapshot.
 *
 * Returns: (transfer full) (element-type utf8): the messages to send, in order
 */
GPtrArray *
hs_ws_kraken_resubscribe_book (const char *symbol,
                               int         depth)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (hs_ws_kraken_depth_valid (depth), out);
  g_ptr_array_add (out, build_request ("unsubscribe", "book", symbol, depth));
  g_ptr_array_add (out, build_request ("subscribe", "book", symbol, depth));
  return out;
}
