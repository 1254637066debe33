/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Coinbase WebSocket frames into HsWsFrame, and the subscription messages. Two feeds:
 *
 * - Advanced Trade (wss://advanced-trade-ws.coinbase.com): an envelope {channel, timestamp,
 *   sequence_num, events}. sequence_num counts every message of the connection, on every
 *   channel, so a skipped number means a lost message. "l2_data" events are book snapshots
 *   and updates ({side: bid|offer, price_level, new_quantity}, absolute sizes);
 *   "market_trades" events carry trades whose side is the MAKER's, so the taker (the side
 *   cumulative volume delta counts) is the opposite.
 * - Exchange (wss://ws-feed.exchange.coinbase.com): frames with a "type": "snapshot" and
 *   "l2update" ({changes: [[buy|sell, price, size]]}) for the book, "match"/"last_match" for
 *   trades, whose trade_id counts up by one per product and whose side is also the maker's.
 *
 * Load: one frame per message of the feed, tens a second; a level2 snapshot is the whole book
 * (tens of thousands of levels) once per subscription.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-ws-coinbase.h"
#include "hs-ws-private.h"

#include <math.h>
#include <string.h>

#include "hs-json-records.h"

/* The taker's side of a Coinbase trade, whose "side" names the resting (maker) order. */
static gboolean
taker_side_of_maker (const char *maker,
                     HsSide     *out,
                     GError    **error)
{
  if (maker != NULL && g_ascii_strcasecmp (maker, "buy") == 0)
    *out = HS_SIDE_SELL;
  else if (maker != NULL && g_ascii_strcasecmp (maker, "sell") == 0)
    *out = HS_SIDE_BUY;
  else if (maker != NULL && (maker[0] == '\0' || g_ascii_strcasecmp (maker, "unknown") == 0))
    *out = HS_SIDE_UNKNOWN;
  else
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                   "“side” must be BUY or SELL, not %s", maker ? maker : "missing");
      return FALSE;
    }
  return TRUE;
}

/* Reads one trade object: trade_id, price, size, side (maker's), time. */
static gboolean
read_trade (JsonObject *o,
            int64_t     fallback_ts,
            HsTrade    *trade,
            GError    **error)
{
  if (!hs_ws_read_trade_numbers (o, "size", trade, error)
      || !taker_side_of_maker (hs_ws_get_string (o, "side"), &trade->side, error))
    return FALSE;
  trade->ts = fallback_ts;
  return hs_json_get_time (o, "time", NULL, &trade->ts, error);
}

static gboolean
parse_market_trades (JsonObject *ev,
                     int64_t     ts,
                     HsWsFrame  *frame,
                     GError    **error)
{
  JsonArray *trades = hs_ws_get_array (ev, "trades", error);
  g_autoptr(HsWsEvent) event = NULL;

  if (trades == NULL)
    return FALSE;
  event = hs_ws_event_new (HS_WS_EVENT_TRADES, NULL);
  event->ts = ts;
  for (guint i = 0; i < json_array_get_length (trades); i++)
    {
      JsonNode *node = json_array_get_element (trades, i);
      HsTrade trade = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "trades[%u] is not an object",
                       i);
          return FALSE;
        }
      if (event->symbol == NULL)
        event->symbol = g_strdup (hs_ws_get_string (json_node_get_object (node),
                                                    "product_id"));
      if (!read_trade (json_node_get_object (node), ts, &trade, error))
        {
          hs_ws_trade_clear (&trade);
          g_prefix_error (error, "trades[%u]: ", i);
          return FALSE;
        }
      g_array_append_val (event->trades, trade);
    }
  hs_ws_trades_sort (event->trades);
  g_ptr_array_add (frame->events, g_steal_pointer (&event));
  return TRUE;
}

static gboolean
parse_l2_event (JsonObject *ev,
                int64_t     ts,
                HsWsFrame  *frame,
                GError    **error)
{
  const char *type = hs_ws_get_string (ev, "type");
  JsonArray *updates;
  g_autoptr(HsWsEvent) event = NULL;

  if (type == NULL || (!g_str_equal (type, "snapshot") && !g_str_equal (type, "update")))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                   "“type” must be snapshot or update");
      return FALSE;
    }
  updates = hs_ws_get_array (ev, "updates", error);
  if (updates == NULL)
    return FALSE;
  event = hs_ws_event_new (g_str_equal (type, "snapshot") ? HS_WS_EVENT_BOOK_SNAPSHOT
                                                          : HS_WS_EVENT_BOOK_UPDATE,
                           hs_ws_get_string (ev, "product_id"));
  event->ts = ts;
  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonNode *node = json_array_get_element (updates, i);
      JsonObject *u;
      const char *side;
      double price, size;
      GArray *levels;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                       "updates[%u] is not an object", i);
          return FALSE;
        }
      u = json_node_get_object (node);
      side = hs_ws_get_string (u, "side");
      if (side != NULL && g_str_equal (side, "bid"))
        levels = event->bids;
      else if (side != NULL && (g_str_equal (side, "offer") || g_str_equal (side, "ask")))
        levels = event->asks;
      else
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                       "updates[%u]: “side” must be bid or offer", i);
          return FALSE;
        }
      if (!hs_ws_get_number (u, "price_level", &price, error)
          || !hs_ws_get_number (u, "new_quantity", &size, error)
          || !hs_ws_add_level (levels, price, size, error))
        {
          g_prefix_error (error, "updates[%u]: ", i);
          return FALSE;
        }
    }
  g_ptr_array_add (frame->events, g_steal_pointer (&event));
  return TRUE;
}

/* The Advanced Trade envelope: {channel, timestamp, sequence_num, events: [...]}. */
static HsWsFrame *
parse_advanced (JsonObject *root,
                const char *channel,
                GError    **error)
{
  g_autoptr(HsWsFrame) frame = hs_ws_frame_new (HS_WS_FRAME_CONTROL);
  gboolean l2 = g_str_equal (channel, "l2_data");
  gboolean trades = g_str_equal (channel, "market_trades");
  JsonArray *events;

  frame->channel = g_strdup (channel);
  if (!hs_ws_get_int64 (root, "sequence_num", &frame->sequence, error))
    return NULL;
  if (frame->sequence < 0)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“sequence_num” is negative");
      return NULL;
    }
  if (!hs_json_get_time (root, "timestamp", NULL, &frame->ts, error))
    return NULL;
  if (g_str_equal (channel, "heartbeats"))
    frame->kind = HS_WS_FRAME_HEARTBEAT;
  if (!l2 && !trades)
    return g_steal_pointer (&frame);

  frame->kind = HS_WS_FRAME_DATA;
  events = hs_ws_get_array (root, "events", error);
  if (events == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "events[%u] is not an object",
                       i);
          return NULL;
        }
      if (l2)
        ok = parse_l2_event (json_node_get_object (node), frame->ts, frame, error);
      else
        ok = parse_market_trades (json_node_get_object (node), frame->ts, frame, error);
      if (!ok)
        {
          g_prefix_error (error, "events[%u]: ", i);
          return NULL;
        }
    }
  return g_steal_pointer (&frame);
}

/* Exchange book levels: [[price, size], …] (a snapshot) or [[side, price, size], …]
 * (an l2update's changes). */
static gboolean
read_exchange_levels (JsonObject *o,
                      const char *member,
                      gboolean    with_side,
                      HsWsEvent  *event,
                      GArray     *levels,
                      GError    **error)
{
  JsonArray *rows = hs_ws_get_array (o, member, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonArray *row;
      guint first = with_side ? 1 : 0;
      double price, size;
      GArray *dest = levels;

      if (!JSON_NODE_HOLDS_ARRAY (node)
          || json_array_get_length (row = json_node_get_array (node)) < first + 2)
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                       "%s[%u] is not a [%sprice, size] array", member, i,
                       with_side ? "side, " : "");
          return FALSE;
        }
      if (with_side)
        {
          JsonNode *side_node = json_array_get_element (row, 0);
          const char *side = JSON_NODE_HOLDS_VALUE (side_node)
                             && json_node_get_value_type (side_node) == G_TYPE_STRING
                             ? json_node_get_string (side_node) : NULL;

          if (side != NULL && g_str_equal (side, "buy"))
            dest = event->bids;
          else if (side != NULL && g_str_equal (side, "sell"))
            dest = event->asks;
          else
            {
              g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                           "%s[%u]: side must be buy or sell", member, i);
              return FALSE;
            }
        }
      if (!hs_ws_read_number (json_array_get_element (row, first), "price", &price, error)
          || !hs_ws_read_number (json_array_get_element (row, first + 1), "size", &size,
                                 error)
          || !hs_ws_add_level (dest, price, size, error))
        {
          g_prefix_error (error, "%s[%u]: ", member, i);
          return FALSE;
        }
    }
  return TRUE;
}

/* The Exchange feed: one message per "type". */
static HsWsFrame *
parse_exchange (JsonObject *root,
                const char *type,
                GError    **error)
{
  g_autoptr(HsWsFrame) frame = hs_ws_frame_new (HS_WS_FRAME_CONTROL);
  g_autoptr(HsWsEvent) event = NULL;
  const char *product = hs_ws_get_string (root, "product_id");

  frame->channel = g_strdup (type);
  if (!hs_json_get_time (root, "time", NULL, &frame->ts, error))
    return NULL;
  if (g_str_equal (type, "heartbeat"))
    frame->kind = HS_WS_FRAME_HEARTBEAT;
  else if (g_str_equal (type, "match") || g_str_equal (type, "last_match"))
    {
      HsTrade trade = { 0 };

      event = hs_ws_event_new (HS_WS_EVENT_TRADES, product);
      event->ts = frame->ts;
      if (!read_trade (root, frame->ts, &trade, error))
        {
          hs_ws_trade_clear (&trade);
          return NULL;
        }
      g_array_append_val (event->trades, trade);
    }
  else if (g_str_equal (type, "snapshot"))
    {
      event = hs_ws_event_new (HS_WS_EVENT_BOOK_SNAPSHOT, product);
      if (!read_exchange_levels (root, "bids", FALSE, event, event->bids, error)
          || !read_exchange_levels (root, "asks", FALSE, event, event->asks, error))
        return NULL;
    }
  else if (g_str_equal (type, "l2update"))
    {
      event = hs_ws_event_new (HS_WS_EVENT_BOOK_UPDATE, product);
      if (!read_exchange_levels (root, "changes", TRUE, event, NULL, error))
        return NULL;
    }
  if (event != NULL)
    {
      event->ts = frame->ts;
      frame->kind = HS_WS_FRAME_DATA;
      g_ptr_array_add (frame->events, g_steal_pointer (&event));
    }
  return g_steal_pointer (&frame);
}

/**
 * hs_ws_coinbase_parse:
 * @text: one text frame of either Coinbase feed
 *
 * Returns: (transfer full): the frame, or %NULL with %HS_JSON_ERROR naming the member at fault
 */
HsWsFrame *
hs_ws_coinbase_parse (const char *text,
                      size_t      len,
                      GError    **error)
{
  g_autoptr(JsonNode) root = hs_ws_parse_object (text, len, error);
  JsonObject *o;
  const char *channel, *type;

  if (root == NULL)
    return NULL;
  o = json_node_get_object (root);
  channel = hs_ws_get_string (o, "channel");
  type = hs_ws_get_string (o, "type");
  if (type != NULL && g_str_equal (type, "error"))
    {
      HsWsFrame *frame = hs_ws_frame_new (HS_WS_FRAME_ERROR);
      const char *message = hs_ws_get_string (o, "message");
      const char *reason = hs_ws_get_string (o, "reason");

      frame->channel = g_strdup (type);
      frame->error = g_strdup_printf ("%s%s%s", message ? message : "error",
                                      reason ? ": " : "", reason ? reason : "");
      return frame;
    }
  if (channel != NULL)
    return parse_advanced (o, channel, error);
  if (type != NULL)
    return parse_exchange (o, type, error);
  g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "neither “channel” nor “type”");
  return NULL;
}

static char *
build_subscription (HsWsCoinbaseFeed  feed,
                    const char       *product,
                    const char      **channels,
                    gboolean          subscribe)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, subscribe ? "subscribe" : "unsubscribe");
  json_builder_set_member_name (b, "product_ids");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, product);
  json_builder_end_array (b);
  if (feed == HS_WS_COINBASE_ADVANCED)
    {
      /* Advanced Trade takes one channel per message. */
      json_builder_set_member_name (b, "channel");
      json_builder_add_string_value (b, channels[0]);
    }
  else
    {
      json_builder_set_member_name (b, "channels");
      json_builder_begin_array (b);
      for (size_t i = 0; channels[i] != NULL; i++)
        json_builder_add_string_value (b, channels[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/**
 * hs_ws_coinbase_subscribe:
 *
 * The messages that start a feed for @product: on Advanced Trade one per channel (level2,
 * market_trades, and heartbeats, without which an idle channel is closed after a minute); on
 * the Exchange feed one message for level2_batch, matches and heartbeat.
 *
 * Returns: (transfer full) (element-type utf8): the messages to send, in order
 */
GPtrArray *
hs_ws_coinbase_subscribe (HsWsCoinbaseFeed  feed,
                          const char       *product)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  if (feed == HS_WS_COINBASE_ADVANCED)
    {
      const char *names[] = { "level2", "market_trades", "heartbeats" };

      for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *one[] = { names[i], NULL };

          g_ptr_array_add (out, build_subscription (feed, product, one, TRUE));
        }
    }
  else
    {
      const char *all[] = { "level2_batch", "matches", "heartbeat", NULL };

      g_ptr_array_add (out, build_subscription (feed, product, all, TRUE));
    }
  return out;
}

/**
 * hs_ws_coinbase_resubscribe_book:
 *
 * Unsubscribing and subscribing the book channel again makes Coinbase send a fresh snapshot:
 * the feed's own resynchronisation after a gap.
 *
 * Returns: (transfer full) (element-type utf8): the messages to send, in order
 */
GPtrArray *
hs_ws_coinbase_resubscribe_book (HsWsCoinbaseFeed  feed,
                                 const char       *product)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *book[] = { feed == HS_WS_COINBASE_ADVANCED ? "level2" : "level2_batch", NULL };

  g_ptr_array_add (out, build_subscription (feed, product, book, FALSE));
  g_ptr_array_add (out, build_subscription (feed, product, book, TRUE));
  return out;
}
