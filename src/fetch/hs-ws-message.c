/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parsed form of a market-data WebSocket frame (HsWsFrame with its HsWsEvents) and the
 * small readers the provider parsers share: the root object, exact 64-bit ids sent either as
 * JSON integers or as digit strings, numbers as numbers or numeric strings, and checked book
 * levels. Every frame is untrusted; an error names the member and what is wrong with it.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-ws-message.h"
#include "hs-ws-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hs-json-records.h"

HsWsFrame *
hs_ws_frame_new (HsWsFrameKind kind)
{
  HsWsFrame *frame = g_new0 (HsWsFrame, 1);

  frame->kind = kind;
  frame->sequence = -1;
  frame->events = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_ws_event_free);
  return frame;
}

void
hs_ws_frame_free (HsWsFrame *frame)
{
  if (frame == NULL)
    return;
  g_free (frame->channel);
  g_free (frame->error);
  g_ptr_array_unref (frame->events);
  g_free (frame);
}

void
hs_ws_trade_clear (HsTrade *trade)
{
  g_clear_pointer (&trade->trade_id, g_free);
}

HsWsEvent *
hs_ws_event_new (HsWsEventKind  kind,
                 const char    *symbol)
{
  HsWsEvent *event = g_new0 (HsWsEvent, 1);

  event->kind = kind;
  event->symbol = g_strdup (symbol);
  event->price_decimals = -1;
  event->qty_decimals = -1;
  if (kind == HS_WS_EVENT_TRADES)
    {
      event->trades = g_array_new (FALSE, TRUE, sizeof (HsTrade));
      g_array_set_clear_func (event->trades, (GDestroyNotify) hs_ws_trade_clear);
    }
  else
    {
      event->bids = g_array_new (FALSE, FALSE, sizeof (HsLevel));
      event->asks = g_array_new (FALSE, FALSE, sizeof (HsLevel));
    }
  return event;
}

void
hs_ws_event_free (HsWsEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->symbol);
  g_clear_pointer (&event->bids, g_array_unref);
  g_clear_pointer (&event->asks, g_array_unref);
  g_clear_pointer (&event->trades, g_array_unref);
  g_free (event);
}

/**
 * hs_ws_trade_id_number:
 *
 * Returns: %TRUE with the trade's id as a number when it is one (Coinbase and Kraken ids are
 *   integers counting up per product), %FALSE when the trade has no numeric id
 */
gboolean
hs_ws_trade_id_number (const HsTrade *trade,
                       int64_t       *out)
{
  return trade->trade_id != NULL && hs_parse_int64 (trade->trade_id, out);
}

/* Returns: (transfer full): the root node, an object */
JsonNode *
hs_ws_parse_object (const char *text,
                    size_t      len,
                    GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "not JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "not a JSON object");
      return NULL;
    }
  return json_node_ref (root);
}

/* The member's text, or %NULL when it is absent or not a string. */
const char *
hs_ws_get_string (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Reads an integer sent as a JSON integer or as a digit string, exactly (no trip through
 * double, so ids above 2^53 survive). */
static gboolean
node_int64 (JsonNode   *node,
            const char *what,
            int64_t    *out,
            GError    **error)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType t = json_node_get_value_type (node);

      if (t == G_TYPE_INT64)
        {
          *out = json_node_get_int (node);
          return TRUE;
        }
      if (t == G_TYPE_STRING && hs_parse_int64 (json_node_get_string (node), out))
        return TRUE;
    }
  g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "“%s” is not an integer", what);
  return FALSE;
}

/* A required integer member (a JSON integer or a digit string). */
gboolean
hs_ws_get_int64 (JsonObject *object,
                 const char *member,
                 int64_t    *out,
                 GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "“%s” is missing", member);
      return FALSE;
    }
  return node_int64 (node, member, out, error);
}

/**
 * hs_ws_get_trade_id:
 * @out: (out) (transfer full): the id as decimal text
 *
 * A trade id sent as a JSON integer (Exchange feed, Kraken) or as a digit string (Coinbase
 * Advanced), kept as text like HsTrade.trade_id; it must be a non-negative integer so that
 * contiguity can be checked.
 */
gboolean
hs_ws_get_trade_id (JsonObject *object,
                    const char *member,
                    char      **out,
                    GError    **error)
{
  int64_t id;

  if (!hs_ws_get_int64 (object, member, &id, error))
    return FALSE;
  if (id < 0)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“%s” is negative", member);
      return FALSE;
    }
  *out = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  return TRUE;
}

/* A required array member. Returns: (transfer none) */
JsonArray *
hs_ws_get_array (JsonObject *object,
                 const char *member,
                 GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "“%s” is %s", member,
                   node == NULL ? "missing" : "not an array");
      return NULL;
    }
  return json_node_get_array (node);
}

/* A number sent as a JSON number or a numeric string, finite. */
gboolean
hs_ws_read_number (JsonNode   *node,
                   const char *what,
                   double     *out,
                   GError    **error)
{
  g_autoptr(JsonObject) holder = json_object_new ();

  /* hs_json_get_number() reads members; wrap the node so that one reader serves both. */
  json_object_set_member (holder, what, json_node_ref (node));
  return hs_ws_get_number (holder, what, out, error);
}

/* The id, price and size of a trade object, checked: an integer id, a positive price, a size
 * of zero or more (named @size_member: "size" at Coinbase, "qty" at Kraken). */
gboolean
hs_ws_read_trade_numbers (JsonObject *object,
                          const char *size_member,
                          HsTrade    *trade,
                          GError    **error)
{
  if (!hs_ws_get_trade_id (object, "trade_id", &trade->trade_id, error)
      || !hs_ws_get_number (object, "price", &trade->price, error)
      || !hs_ws_get_number (object, size_member, &trade->size, error))
    return FALSE;
  if (!(trade->price > 0))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“price” must be positive");
      return FALSE;
    }
  if (!(trade->size >= 0))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“%s” must be zero or more",
                   size_member);
      return FALSE;
    }
  return TRUE;
}

/* A required number member (a JSON number or a numeric string), finite. */
gboolean
hs_ws_get_number (JsonObject *object,
                  const char *member,
                  double     *out,
                  GError    **error)
{
  if (!hs_json_get_number (object, member, out, error))
    return FALSE;
  if (!isfinite (*out))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "“%s” is missing", member);
      return FALSE;
    }
  return TRUE;
}

/* Appends a level after checking it: a positive price and a size of zero (a removal) or more. */
gboolean
hs_ws_add_level (GArray  *levels,
                 double   price,
                 double   size,
                 GError **error)
{
  HsLevel level = { price, size };

  if (!(price > 0) || !isfinite (price))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                   "price must be positive, not %g", price);
      return FALSE;
    }
  if (!(size >= 0) || !isfinite (size))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                   "size must be zero or more, not %g", size);
      return FALSE;
    }
  g_array_append_val (levels, level);
  return TRUE;
}

static int
cmp_trade_id (gconstpointer a,
              gconstpointer b)
{
  int64_t x = -1, y = -1;

  hs_ws_trade_id_number (a, &x);
  hs_ws_trade_id_number (b, &y);
  return (x > y) - (x < y);
}

/* Puts a batch of trades (HsTrade) in id order: Coinbase sends a market_trades snapshot newest
 * first. Trades without a numeric id go first. */
void
hs_ws_trades_sort (GArray *trades)
{
  if (trades->len > 1)
    qsort (trades->data, trades->len, sizeof (HsTrade), cmp_trade_id);
}
