/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paper trades from JSON: one line of a bot's JSON Lines file (docs/paper-trades.md) into an
 * HsPaperTrade, and the AI reasoning log checked against its schema (docs/ai-reasoning.md) and
 * written in canonical form. Every line is untrusted: errors start with the field they are
 * about ("quantity: …", "ai_reasoning_log.confidence_score: …"), nesting is bounded before
 * json-glib (a recursive parser) sees the text, and JSON is written back by hand because
 * json-glib 1.6's generator prints 0.1 as 0.10000000000000001. A bot's day is thousands of
 * lines; nothing here is on a hot path.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-paper-json.h"

#include <math.h>
#include <string.h>

#include "hs-records.h"
#include "hs-time.h"

/* Every member a line may have, in the order of the documentation. */
static const char *const line_members[] = {
  "symbol", "exchange", "side", "quantity", "entry_time", "entry_price", "stop_loss",
  "take_profit", "exit_time", "exit_price", "exit_reason", "fees", "tags", "notes",
  "signal_id", "signals_snapshot", "market_regime", "order_book_state", "ai_reasoning_log",
  NULL,
};

/* The reasoning log's documented members, in canonical order; the first six are required. */
static const char *const reasoning_members[] = {
  "model", "prompt_version", "confidence_score", "bull_case", "bear_case", "decision_logic",
  "prompt", "raw_output", "tokens", "latency_ms", NULL,
};
#define N_REQUIRED_REASONING 6

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError    **error,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HS_JSON_ERROR, code, msg);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                     */

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
write_double (GString *out,
              double   v)
{
  char buf[32];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  hs_format_double (v, buf);
  g_string_append (out, buf);
}

static void
newline (GString *out,
         int      indent,
         int      level)
{
  if (indent < 0)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < indent * level; i++)
    g_string_append_c (out, ' ');
}

/**
 * hs_paper_json_write:
 * @indent: spaces per level, or -1 for compact text without any white space
 * @level: the nesting level @node starts at (0 for a root)
 *
 * Appends @node as JSON: members in their order, numbers in their shortest exact form,
 * strings with only the escapes JSON requires.
 */
void
hs_paper_json_write (JsonNode *node,
                     int       indent,
                     int       level,
                     GString  *out)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr(GList) names = json_object_get_members (o);
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        for (GList *l = names; l != NULL; l = l->next)
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            newline (out, indent, level + 1);
            write_string (out, l->data);
            g_string_append (out, indent >= 0 ? ": " : ":");
            hs_paper_json_write (json_object_get_member (o, l->data), indent, level + 1, out);
          }
        if (!first)
          newline (out, indent, level);
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);
        guint n = json_array_get_length (a);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            newline (out, indent, level + 1);
            hs_paper_json_write (json_array_get_element (a, i), indent, level + 1, out);
          }
        if (n > 0)
          newline (out, indent, level);
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);

        if (t == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (t == G_TYPE_DOUBLE)
          write_double (out, json_node_get_double (node));
        else if (t == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (t == G_TYPE_STRING)
          write_string (out, json_node_get_string (node));
        else
          g_string_append (out, "null");
      }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

static char *
node_to_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  hs_paper_json_write (node, -1, 0, out);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                     */

/* Refuses what json-glib would mishandle: nesting deep enough to exhaust its recursion, and
 * whole numbers beyond 64 bits, which it wraps around silently. Strings are skipped. */
static gboolean
prescan (const char *text,
         size_t      len,
         GError    **error)
{
  int depth = 0;

  for (size_t i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < len && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > HS_PAPER_JSON_MAX_DEPTH)
            return fail (error, HS_JSON_ERROR_SHAPE, "nested deeper than %d levels",
                         HS_PAPER_JSON_MAX_DEPTH);
        }
      else if (c == ']' || c == '}')
        depth--;
      else if (g_ascii_isdigit (c) && (i == 0 || !g_ascii_isalnum (text[i - 1])))
        {
          size_t start = i, digits = 0;
          gboolean whole = TRUE;

          for (; i < len && (g_ascii_isalnum (text[i]) || text[i] == '.' || text[i] == '+'
                             || text[i] == '-'); i++)
            {
              if (g_ascii_isdigit (text[i]))
                digits++;
              else
                whole = FALSE;
            }
          if (whole && digits > 18)
            return fail (error, HS_JSON_ERROR_VALUE,
                         "the number %.*s has more digits than a 64-bit integer holds exactly "
                         "(write it with a decimal point, or as text)",
                         (int) MIN (i - start, 40), text + start);
          i--;
        }
    }
  return TRUE;
}

/* Parses @text into a node owned by the caller. */
static JsonNode *
parse_text (const char *text,
            gssize      len,
            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  size_t n = len < 0 ? strlen (text) : (size_t) len;
  JsonNode *root;

  if (!g_utf8_validate (text, (gssize) n, NULL))
    return fail (error, HS_JSON_ERROR_SYNTAX, "not UTF-8 text"), NULL;
  if (!prescan (text, n, error))
    return NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) n, &local))
    return fail (error, HS_JSON_ERROR_SYNTAX, "not valid JSON: %s", local->message), NULL;
  root = json_parser_get_root (parser);
  if (root == NULL)
    return fail (error, HS_JSON_ERROR_SYNTAX, "no JSON value"), NULL;
  return json_node_ref (root);
}

static const char *
type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      {
        GType t = json_node_get_value_type (node);

        if (t == G_TYPE_STRING)
          return "text";
        if (t == G_TYPE_BOOLEAN)
          return "true/false";
        return "a number";
      }
    }
}

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* A member that is a JSON number or numeric text ("180.50"); NAN when absent or null. The
 * reading is hs_json_get_number()'s; the message names the field this file's way. */
static gboolean
member_number (JsonObject *o,
               const char *field,
               const char *name,
               double     *out,
               GError    **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (hs_json_get_number (o, name, out, NULL))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return fail (error, HS_JSON_ERROR_VALUE, "%s: “%s” is not a number", field,
                 json_node_get_string (node));
  return fail (error, HS_JSON_ERROR_SHAPE, "%s: must be a number, not %s", field,
               type_name (node));
}

/* An optional member that must be a number > 0 (or >= 0 when @zero_ok): NAN when absent. */
static gboolean
get_positive (JsonObject *o,
              const char *field,
              gboolean    required,
              gboolean    zero_ok,
              double     *out,
              GError    **error)
{
  JsonNode *node = json_object_get_member (o, field);

  *out = NAN;
  if (is_null (node))
    return !required || fail (error, HS_JSON_ERROR_SHAPE, "%s: is missing", field);
  if (!member_number (o, field, field, out, error))
    return FALSE;
  if (zero_ok ? *out < 0 : *out <= 0)
    return fail (error, HS_JSON_ERROR_VALUE, "%s: must be a number greater than %s0", field,
                 zero_ok ? "or equal to " : "");
  return TRUE;
}

/* ISO-8601 text (Z or an offset; without one it is UTC) or Unix seconds (a number). */
static gboolean
get_time (JsonObject *o,
          const char *field,
          gboolean    required,
          int64_t    *out,
          GError    **error)
{
  JsonNode *node = json_object_get_member (o, field);
  g_autoptr(GError) local = NULL;

  *out = HS_PAPER_NO_TS;
  if (is_null (node))
    return !required || fail (error, HS_JSON_ERROR_SHAPE, "%s: is missing", field);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!hs_time_parse (json_node_get_string (node), NULL, out, &local))
        return fail (error, HS_JSON_ERROR_VALUE, "%s: %s", field, local->message);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_INT64
                                       || json_node_get_value_type (node) == G_TYPE_DOUBLE))
    {
      double s = json_node_get_double (node);

      /* Years 1 to 9999. */
      if (!(s >= -62135596800.0 && s <= 253402300799.0))
        return fail (error, HS_JSON_ERROR_VALUE,
                     "%s: %g is not a time in Unix seconds (years 1 to 9999)", field, s);
      *out = (int64_t) llround (s * 1e6);
      return TRUE;
    }
  return fail (error, HS_JSON_ERROR_SHAPE,
               "%s: must be ISO-8601 text or Unix seconds, not %s", field, type_name (node));
}

/* An optional string: NULL when absent or null. */
static gboolean
get_string (JsonObject  *o,
            const char  *field,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, field);

  *out = NULL;
  if (is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, HS_JSON_ERROR_SHAPE, "%s: must be text, not %s", field,
                 type_name (node));
  *out = json_node_get_string (node);
  return TRUE;
}

/* An optional JSON object, as canonical compact text: NULL when absent or null. */
static gboolean
get_object_text (JsonObject *o,
                 const char *field,
                 char      **out,
                 GError    **error)
{
  JsonNode *node = json_object_get_member (o, field);

  *out = NULL;
  if (is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, HS_JSON_ERROR_SHAPE, "%s: must be a JSON object, not %s", field,
                 type_name (node));
  *out = node_to_text (node);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The AI reasoning log                                                                        */

static gboolean
reasoning_string (JsonObject *o,
                  const char *name,
                  gboolean    required,
                  gboolean    non_empty,
                  GError    **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (is_null (node))
    return !required || fail (error, HS_JSON_ERROR_SHAPE,
                              "ai_reasoning_log.%s: is missing (required text)", name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, HS_JSON_ERROR_SHAPE, "ai_reasoning_log.%s: must be text, not %s", name,
                 type_name (node));
  if (non_empty && json_node_get_string (node)[0] == '\0')
    return fail (error, HS_JSON_ERROR_VALUE, "ai_reasoning_log.%s: must not be empty", name);
  return TRUE;
}

/* A score as a number, numeric text ("8.5") or a fraction of ten ("8.5/10", as seed 000
 * writes it). */
static gboolean
confidence (JsonNode *node,
            double   *out,
            GError  **error)
{
  static const char *const msg = "ai_reasoning_log.confidence_score: must be a number from "
                                 "0 to 10";

  if (is_null (node))
    return fail (error, HS_JSON_ERROR_SHAPE, "%s (it is missing)", msg);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (node);
      const char *slash = strchr (s, '/');
      g_autofree char *head = slash ? g_strndup (s, (size_t) (slash - s)) : g_strdup (s);
      double denominator = 10;

      if (!hs_parse_double (head, out) || (slash != NULL
                                           && (!hs_parse_double (slash + 1, &denominator)
                                               || denominator != 10)))
        return fail (error, HS_JSON_ERROR_VALUE, "%s (got “%s”)", msg, s);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_INT64
                                            || json_node_get_value_type (node) == G_TYPE_DOUBLE))
    *out = json_node_get_double (node);
  else
    return fail (error, HS_JSON_ERROR_SHAPE, "%s (got %s)", msg, type_name (node));
  if (!(*out >= 0 && *out <= 10))
    {
      char buf[32];

      hs_format_double (*out, buf);
      return fail (error, HS_JSON_ERROR_VALUE, "%s (got %s)", msg, buf);
    }
  return TRUE;
}

static gboolean
whole_count (JsonNode   *node,
             const char *field,
             GError    **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0)
    return fail (error, HS_JSON_ERROR_VALUE, "%s: must be a whole number ≥ 0", field);
  return TRUE;
}

static gboolean
tokens (JsonNode *node,
        GError  **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (o);

      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *field = g_strdup_printf ("ai_reasoning_log.tokens.%s",
                                                    (const char *) l->data);

          if (!whole_count (json_object_get_member (o, l->data), field, error))
            return FALSE;
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return whole_count (node, "ai_reasoning_log.tokens", error);
  return fail (error, HS_JSON_ERROR_SHAPE,
               "ai_reasoning_log.tokens: must be a whole number ≥ 0 or an object of counts, "
               "not %s", type_name (node));
}

static void
write_member (GString    *out,
              gboolean   *first,
              const char *name)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  write_string (out, name);
  g_string_append_c (out, ':');
}

/* Checks @node against the schema of docs/ai-reasoning.md and returns its canonical text:
 * the documented members first in the documented order (confidence_score and latency_ms as
 * JSON numbers), then every other member as given, in its order. */
static char *
reasoning_canonical (JsonNode *node,
                     GError  **error)
{
  g_autoptr(GString) out = g_string_new ("{");
  g_autoptr(GList) names = NULL;
  JsonObject *o;
  double score = NAN, latency = NAN;
  gboolean first = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, HS_JSON_ERROR_SHAPE, "ai_reasoning_log: must be a JSON object, not %s",
                 type_name (node)), NULL;
  o = json_node_get_object (node);
  if (!reasoning_string (o, "model", TRUE, TRUE, error)
      || !reasoning_string (o, "prompt_version", TRUE, TRUE, error)
      || !confidence (json_object_get_member (o, "confidence_score"), &score, error)
      || !reasoning_string (o, "bull_case", TRUE, FALSE, error)
      || !reasoning_string (o, "bear_case", TRUE, FALSE, error)
      || !reasoning_string (o, "decision_logic", TRUE, FALSE, error)
      || !reasoning_string (o, "prompt", FALSE, FALSE, error)
      || !reasoning_string (o, "raw_output", FALSE, FALSE, error))
    return NULL;
  if (!is_null (json_object_get_member (o, "tokens"))
      && !tokens (json_object_get_member (o, "tokens"), error))
    return NULL;
  if (!is_null (json_object_get_member (o, "latency_ms"))
      && (!member_number (o, "ai_reasoning_log.latency_ms", "latency_ms", &latency, error)
          || (latency < 0 && !fail (error, HS_JSON_ERROR_VALUE,
                                    "ai_reasoning_log.latency_ms: must be a number ≥ 0"))))
    return NULL;

  for (size_t i = 0; reasoning_members[i] != NULL; i++)
    {
      const char *name = reasoning_members[i];
      JsonNode *value = json_object_get_member (o, name);

      if (is_null (value) && i >= N_REQUIRED_REASONING)
        continue;
      write_member (out, &first, name);
      if (g_str_equal (name, "confidence_score"))
        write_double (out, score);
      else if (g_str_equal (name, "latency_ms"))
        write_double (out, latency);
      else
        hs_paper_json_write (value, -1, 0, out);
    }
  names = json_object_get_members (o);
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (g_strv_contains (reasoning_members, l->data))
        continue;
      write_member (out, &first, l->data);
      hs_paper_json_write (json_object_get_member (o, l->data), -1, 0, out);
    }
  g_string_append_c (out, '}');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * hs_paper_json_check_reasoning:
 * @len: the length of @text, or -1 when it is NUL-terminated
 *
 * Validates an AI reasoning log (docs/ai-reasoning.md). Errors name the field, e.g.
 * "ai_reasoning_log.confidence_score: must be a number from 0 to 10 (got 11)".
 *
 * Returns: (transfer full): the canonical JSON text, or %NULL with %HS_JSON_ERROR set
 */
char *
hs_paper_json_check_reasoning (const char *text,
                               gssize      len,
                               GError    **error)
{
  g_autoptr(JsonNode) root = parse_text (text, len, error);

  if (root == NULL)
    {
      g_prefix_error (error, "ai_reasoning_log: ");
      return NULL;
    }
  return reasoning_canonical (root, error);
}

/**
 * hs_paper_json_format:
 * @text: stored JSON text
 * @indent: spaces per level; -1 for compact
 *
 * Returns: (transfer full): @text written again (pretty-printed for display), or %NULL
 */
char *
hs_paper_json_format (const char *text,
                      int         indent,
                      GError    **error)
{
  g_autoptr(JsonNode) root = parse_text (text, -1, error);
  GString *out;

  if (root == NULL)
    return NULL;
  out = g_string_new (NULL);
  hs_paper_json_write (root, indent, 0, out);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* A line of the import format                                                                 */

static gboolean
read_tags (JsonObject   *o,
           HsPaperTrade *t,
           GError      **error)
{
  JsonNode *node = json_object_get_member (o, "tags");
  JsonArray *a;

  if (is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, HS_JSON_ERROR_SHAPE, "tags: must be an array of text, not %s",
                 type_name (node));
  a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      g_autoptr(GError) local = NULL;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        return fail (error, HS_JSON_ERROR_SHAPE, "tags[%u]: must be text, not %s", i,
                     type_name (e));
      if (!hs_paper_check_tag (json_node_get_string (e), &local))
        return fail (error, HS_JSON_ERROR_VALUE, "tags[%u]: %s", i,
                     local->message + strlen ("tags: "));
      hs_paper_tags_add (&t->tags, json_node_get_string (e));
    }
  return TRUE;
}

static gboolean
read_signal_id (JsonObject   *o,
                HsPaperTrade *t,
                GError      **error)
{
  JsonNode *node = json_object_get_member (o, "signal_id");
  double v;

  if (is_null (node))
    return TRUE;
  if (!member_number (o, "signal_id", "signal_id", &v, error))
    return FALSE;
  if (!(v >= 1 && v <= 9007199254740992.0) || v != floor (v))
    return fail (error, HS_JSON_ERROR_VALUE, "signal_id: must be a whole number ≥ 1");
  t->signal_id = (int64_t) v;
  return TRUE;
}

/**
 * hs_paper_json_parse_line:
 * @line: one line of JSON (docs/paper-trades.md)
 * @trade: (inout): a trade from hs_paper_trade_new(); filled with what the line says (symbol
 *   and exchange, not the instrument id; status "closed" when it has an exit, else "open";
 *   fees NAN when the line has none; P&L is left to the caller)
 *
 * Checks types, required fields, unknown fields, ranges, the exit's completeness and the AI
 * reasoning log. Rules that need the database (the symbol, the signal) or the side (stop and
 * target) are the caller's.
 *
 * Returns: %FALSE with %HS_JSON_ERROR whose message starts with the field at fault
 */
gboolean
hs_paper_json_parse_line (const char   *line,
                          size_t        len,
                          HsPaperTrade *t,
                          GError      **error)
{
  g_autoptr(JsonNode) root = parse_text (line, (gssize) len, error);
  g_autoptr(GList) names = NULL;
  JsonObject *o;
  const char *s = NULL;
  JsonNode *reasoning;

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, HS_JSON_ERROR_SHAPE, "the line must be a JSON object, not %s",
                 type_name (root));
  o = json_node_get_object (root);
  names = json_object_get_members (o);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (line_members, l->data))
      {
        g_autofree char *known = g_strjoinv (", ", (char **) line_members);

        return fail (error, HS_JSON_ERROR_SHAPE, "%s: unknown field (known: %s)",
                     (const char *) l->data, known);
      }

  if (!get_string (o, "symbol", &s, error))
    return FALSE;
  if (s == NULL || s[0] == '\0')
    return fail (error, HS_JSON_ERROR_SHAPE, "symbol: is missing");
  t->symbol = g_strdup (s);
  if (!get_string (o, "exchange", &s, error))
    return FALSE;
  t->exchange = g_strdup (s);
  if (!get_string (o, "side", &s, error))
    return FALSE;
  if (s == NULL)
    return fail (error, HS_JSON_ERROR_SHAPE, "side: is missing (long or short)");
  if (!hs_paper_side_from_string (s, &t->side))
    return fail (error, HS_JSON_ERROR_VALUE, "side: must be long or short, not “%s”", s);
  if (!get_positive (o, "quantity", TRUE, FALSE, &t->quantity, error)
      || !get_time (o, "entry_time", TRUE, &t->entry_ts, error)
      || !get_positive (o, "entry_price", TRUE, FALSE, &t->entry_price, error)
      || !get_positive (o, "stop_loss", FALSE, FALSE, &t->stop_loss, error)
      || !get_positive (o, "take_profit", FALSE, FALSE, &t->take_profit, error)
      || !get_time (o, "exit_time", FALSE, &t->exit_ts, error)
      || !get_positive (o, "exit_price", FALSE, FALSE, &t->exit_price, error)
      || !get_positive (o, "fees", FALSE, TRUE, &t->fees, error))
    return FALSE;
  if (!get_string (o, "exit_reason", &s, error))
    return FALSE;
  if (s != NULL && !hs_paper_exit_reason_valid (s))
    return fail (error, HS_JSON_ERROR_VALUE, "exit_reason: “%s” is not one of %s", s,
                 hs_paper_exit_reasons ());
  t->exit_reason = g_strdup (s);
  if ((t->exit_ts == HS_PAPER_NO_TS) != isnan (t->exit_price))
    return fail (error, HS_JSON_ERROR_SHAPE, "%s: is missing (an exit needs both exit_time "
                 "and exit_price)", isnan (t->exit_price) ? "exit_price" : "exit_time");
  if (t->exit_reason != NULL && isnan (t->exit_price))
    return fail (error, HS_JSON_ERROR_SHAPE,
                 "exit_reason: given without an exit (exit_time and exit_price)");
  if (t->exit_ts != HS_PAPER_NO_TS && t->exit_ts < t->entry_ts)
    {
      char entry[40], exit[40];

      hs_time_format_iso_buf (t->entry_ts, entry);
      hs_time_format_iso_buf (t->exit_ts, exit);
      return fail (error, HS_JSON_ERROR_VALUE, "exit_time: %s is before the entry_time %s",
                   exit, entry);
    }
  g_free (t->status);
  t->status = g_strdup (t->exit_ts != HS_PAPER_NO_TS ? "closed" : "open");

  if (!read_tags (o, t, error) || !get_string (o, "notes", &s, error))
    return FALSE;
  t->notes = g_strdup (s);
  if (!read_signal_id (o, t, error)
      || !get_object_text (o, "signals_snapshot", &t->signals_snapshot, error)
      || !get_object_text (o, "market_regime", &t->market_regime, error)
      || !get_object_text (o, "order_book_state", &t->order_book_state, error))
    return FALSE;
  reasoning = json_object_get_member (o, "ai_reasoning_log");
  if (!is_null (reasoning))
    {
      t->ai_reasoning_log = reasoning_canonical (reasoning, error);
      if (t->ai_reasoning_log == NULL)
        return FALSE;
    }
  return TRUE;
}
