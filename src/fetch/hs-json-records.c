/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON into records: one reader for numbers that providers send either as JSON numbers or as
 * numeric strings, times as ISO-8601 text or Unix numbers, and the two JSON Lines formats the
 * importers take: order book snapshots and prediction-market snapshots (Kalshi's market
 * object). Every line is untrusted; errors name the member and why.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-json-records.h"

#include <math.h>

#include "hs-json-num.h"
#include "hs-time.h"

G_DEFINE_QUARK (hs-json-error-quark, hs_json_error)

/* Reads a number from a JSON number or a numeric string ("0.0800"): the providers' reader
 * (hs-json-num.c), with the importers' message. */
static gboolean
node_number (JsonNode   *node,
             const char *what,
             double     *out,
             GError    **error)
{
  if (hs_json_number (node, NULL, HS_JSON_REQUIRED, out, NULL))
    return TRUE;
  g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "“%s” is not a number", what);
  return FALSE;
}

/**
 * hs_json_get_number:
 * @out: (out): the value; NAN when the member is absent or null
 *
 * Returns: %FALSE only when the member is present and not a number or numeric string
 */
gboolean
hs_json_get_number (JsonObject *object,
                    const char *member,
                    double     *out,
                    GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NAN;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return node_number (node, member, out, error);
}

/**
 * hs_json_get_time:
 * @out_us: (out): microseconds since the epoch; left unchanged when the member is absent
 *
 * Accepts an ISO-8601 string or a Unix time as a number or numeric string (see
 * hs_time_parse() for how the unit is told).
 *
 * Returns: %FALSE when the member is present but not a time
 */
gboolean
hs_json_get_time (JsonObject *object,
                  const char *member,
                  GTimeZone  *naive_tz,
                  int64_t    *out_us,
                  GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GError) local = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (hs_time_parse (json_node_get_string (node), naive_tz, out_us, &local))
        return TRUE;
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“%s”: %s", member, local->message);
      return FALSE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (node));
      if (hs_time_parse (buf, NULL, out_us, &local))
        return TRUE;
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“%s”: %s", member, local->message);
      return FALSE;
    }
  g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
               "“%s” is not a time (ISO-8601 text or Unix seconds/milliseconds)", member);
  return FALSE;
}

static JsonObject *
parse_object (const char *line,
              size_t      len,
              JsonParser *parser,
              GError    **error)
{
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, (gssize) len, &local))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "not valid JSON: %s",
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "the line is not a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

/* The first of @names that @object has, or NULL. */
static const char *
first_member (JsonObject         *object,
              const char * const *names)
{
  for (size_t i = 0; names[i] != NULL; i++)
    if (json_object_has_member (object, names[i]))
      return names[i];
  return NULL;
}

/* Levels as [[price, size], …] or [{"price": …, "size": …}, …], numbers or strings. Coinbase's
 * level-3 style [price, size, order_id] rows are accepted: extra elements are ignored. */
static gboolean
read_levels (JsonObject *object,
             const char *member,
             GArray     *out,
             GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "“%s” is not an array of levels",
                   member);
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *lvl = json_array_get_element (array, i);
      HsLevel level;
      g_autofree char *what = g_strdup_printf ("%s[%u]", member, i);

      if (JSON_NODE_HOLDS_ARRAY (lvl) && json_array_get_length (json_node_get_array (lvl)) >= 2)
        {
          JsonArray *pair = json_node_get_array (lvl);

          if (!node_number (json_array_get_element (pair, 0), what, &level.price, error)
              || !node_number (json_array_get_element (pair, 1), what, &level.size, error))
            return FALSE;
        }
      else if (JSON_NODE_HOLDS_OBJECT (lvl))
        {
          JsonObject *o = json_node_get_object (lvl);
          static const char * const size_names[] = { "size", "quantity", "qty", "amount", NULL };
          const char *size_name = first_member (o, size_names);

          if (!json_object_has_member (o, "price") || size_name == NULL)
            {
              g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                           "%s needs “price” and “size”", what);
              return FALSE;
            }
          if (!node_number (json_object_get_member (o, "price"), what, &level.price, error)
              || !node_number (json_object_get_member (o, size_name), what, &level.size, error))
            return FALSE;
        }
      else
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                       "%s is neither [price, size] nor {\"price\", \"size\"}", what);
          return FALSE;
        }
      g_array_append_val (out, level);
    }
  return TRUE;
}

/* An optional "sequence": a whole number ≥ 0 as a JSON integer or a string of digits, read
 * exactly (feeds' sequence numbers pass 2^53); -1 when absent. */
static gboolean
read_sequence (JsonObject *o,
               int64_t    *out,
               GError    **error)
{
  JsonNode *node = json_object_get_member (o, "sequence");

  *out = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
      && json_node_get_int (node) >= 0)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && hs_parse_int64 (json_node_get_string (node), out) && *out >= 0)
    return TRUE;
  *out = -1;
  g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“sequence” must be a whole number ≥ 0");
  return FALSE;
}

static const char * const time_names[] = { "ts", "timestamp", "time", "datetime", NULL };

/**
 * hs_json_parse_book_line:
 * @depth: the number of best levels per side the volumes and imbalance cover
 *
 * Reads one order book snapshot: an object with a time (`ts`, `timestamp`, `time` or
 * `datetime`), `bids` and `asks` as level arrays and an optional `sequence`; Coinbase's
 * `{"pricebook": {…}}` wrapper is unwrapped.
 */
gboolean
hs_json_parse_book_line (const char     *line,
                         size_t          len,
                         GTimeZone      *naive_tz,
                         int             depth,
                         HsBookSnapshot *book,
                         GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GArray) bids = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  g_autoptr(GArray) asks = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  g_autoptr(GError) local = NULL;
  JsonObject *o = parse_object (line, len, parser, error);
  JsonObject *top;
  const char *time_name;

  if (o == NULL)
    return FALSE;
  top = o;
  if (json_object_has_member (o, "pricebook")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "pricebook")))
    o = json_object_get_object_member (o, "pricebook");
  time_name = first_member (o, time_names);
  if (time_name == NULL)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                   "no time: give “ts”, “timestamp”, “time” or “datetime”");
      return FALSE;
    }
  if (!json_object_has_member (o, "bids") && !json_object_has_member (o, "asks"))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "no “bids” or “asks”");
      return FALSE;
    }
  if (!hs_json_get_time (o, time_name, naive_tz, &book->ts, error)
      || !read_levels (o, "bids", bids, error) || !read_levels (o, "asks", asks, error)
      || !read_sequence (json_object_has_member (o, "sequence") ? o : top, &book->sequence,
                         error))
    return FALSE;
  if (!hs_book_compute (book, (HsLevel *) bids->data, bids->len, (HsLevel *) asks->data,
                        asks->len, depth, &local))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

/* A Kalshi price: the *_dollars string of current data, or the deprecated integer cents. */
static gboolean
read_price (JsonObject *o,
            const char *name,
            double     *out,
            GError    **error)
{
  g_autofree char *dollars = g_strconcat (name, "_dollars", NULL);

  if (json_object_has_member (o, dollars))
    {
      if (!hs_json_get_number (o, dollars, out, error))
        return FALSE;
    }
  else
    {
      if (!hs_json_get_number (o, name, out, error))
        return FALSE;
      *out /= 100.0;
    }
  if (!isnan (*out) && (*out < 0 || *out > 1))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                   "“%s” must be between 0 and 1 dollar, not %g", name, *out);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_quantity (JsonObject *o,
               const char *name,
               double     *out,
               GError    **error)
{
  g_autofree char *fp = g_strconcat (name, "_fp", NULL);

  if (!hs_json_get_number (o, json_object_has_member (o, fp) ? fp : name, out, error))
    return FALSE;
  if (!isnan (*out) && *out < 0)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE, "“%s” must be zero or more", name);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_json_parse_snapshot_line:
 * @default_source: the source when the line has no `source` member
 *
 * Reads one prediction-market snapshot: a Kalshi market object, bare or as `{"market": {…}}`,
 * with `ticker`, prices as `yes_bid_dollars` … (or the older integer cents `yes_bid` …),
 * `volume_fp`/`volume`, `open_interest_fp`/`open_interest`, `status`. The time is a top-level
 * `ts`/`timestamp`/`time`, else the market's `updated_time`; `source` and `sequence` are
 * optional. The whole line is kept as raw_json.
 */
gboolean
hs_json_parse_snapshot_line (const char       *line,
                             size_t            len,
                             GTimeZone        *naive_tz,
                             HsSnapshotSource  default_source,
                             HsMarketSnapshot *snap,
                             GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *top = parse_object (line, len, parser, error);
  JsonObject *m;
  const char *time_name;
  gboolean has_time = FALSE;

  if (top == NULL)
    return FALSE;
  m = top;
  if (json_object_has_member (top, "market")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (top, "market")))
    m = json_object_get_object_member (top, "market");

  if (!json_object_has_member (m, "ticker")
      || json_node_get_value_type (json_object_get_member (m, "ticker")) != G_TYPE_STRING
      || json_object_get_string_member (m, "ticker")[0] == '\0')
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE, "no “ticker” (a non-empty string)");
      return FALSE;
    }
  snap->ticker = g_strdup (json_object_get_string_member (m, "ticker"));

  time_name = first_member (top, time_names);
  if (time_name != NULL)
    {
      if (!hs_json_get_time (top, time_name, naive_tz, &snap->ts, error))
        return FALSE;
      has_time = TRUE;
    }
  else if (json_object_has_member (m, "updated_time"))
    {
      if (!hs_json_get_time (m, "updated_time", naive_tz, &snap->ts, error))
        return FALSE;
      has_time = TRUE;
    }
  if (!has_time)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                   "no time: give “ts” or “timestamp”, or a market “updated_time”");
      return FALSE;
    }

  snap->source = default_source;
  if (json_object_has_member (top, "source"))
    {
      JsonNode *node = json_object_get_member (top, "source");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
          || !hs_snapshot_source_from_string (json_node_get_string (node), &snap->source))
        {
          g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE,
                       "“source” must be \"poll\", \"websocket\" or \"backfill\"");
          return FALSE;
        }
    }
  if (!read_sequence (top, &snap->sequence, error))
    return FALSE;
  if (!read_price (m, "yes_bid", &snap->yes_bid, error)
      || !read_price (m, "yes_ask", &snap->yes_ask, error)
      || !read_price (m, "no_bid", &snap->no_bid, error)
      || !read_price (m, "no_ask", &snap->no_ask, error)
      || !read_price (m, "last_price", &snap->last_price, error)
      || !read_quantity (m, "volume", &snap->volume, error)
      || !read_quantity (m, "open_interest", &snap->open_interest, error))
    return FALSE;
  if (json_object_has_member (m, "status")
      && json_node_get_value_type (json_object_get_member (m, "status")) == G_TYPE_STRING)
    snap->status = g_strdup (json_object_get_string_member (m, "status"));
  snap->raw_json = g_strndup (line, len);
  return TRUE;
}
