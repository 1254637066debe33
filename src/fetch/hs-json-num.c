/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one reader of provider JSON. Providers send numbers as JSON numbers or as numeric strings
 * and switch between them from one API version (or one recorder) to the next, ids pass 2^53,
 * times come as decimal seconds, nanosecond strings or ISO-8601 text, and lists are sometimes a
 * bare object (Tradier). Every reader here accepts each form a field is seen in, refuses
 * everything else with an error that names the field's path (`candles[3].open: "abc" is not a
 * number`), and reads 64-bit integers exactly.
 *
 * hs_json_parse_body() guards json-glib against three kinds of hostile input first: bytes that
 * are not UTF-8 (refused: json-glib lets them through inside strings), nesting deep enough to
 * exhaust the stack (refused), and integer literals beyond 64 bits, which json-glib
 * 1.6 silently wraps around (12345678901234567890 reads as -6101065172474983726): each such
 * literal is turned into a real number (".0" appended) before parsing, so a double read keeps
 * its magnitude and an integer read refuses it. Load: one pass over each body, a few µs per
 * kilobyte; no allocation on the success path of a field read.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-json-num.h"

#include <math.h>
#include <string.h>

#include "hs-json-records.h"
#include "hs-records.h"
#include "hs-time.h"

static void
path_append (GString          *s,
             const HsJsonPath *path)
{
  if (path == NULL)
    return;
  path_append (s, path->up);
  if (path->name != NULL)
    {
      if (s->len > 0)
        g_string_append_c (s, '.');
      g_string_append (s, path->name);
    }
  else
    g_string_append_printf (s, "[%" G_GINT64_FORMAT "]", path->index);
}

/**
 * hs_json_path_format:
 * @path: (nullable): a path; %NULL is the document itself
 *
 * Returns: (transfer full): the path as `member.member[index]`, or "(body)" for the document
 */
char *
hs_json_path_format (const HsJsonPath *path)
{
  GString *s = g_string_new (NULL);

  path_append (s, path);
  if (s->len == 0)
    g_string_append (s, "(body)");
  return g_string_free (s, FALSE);
}

/* A short description of @node for an error: the value itself for scalars. */
static char *
describe (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("missing");
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("an array");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        g_autofree char *cut = g_utf8_make_valid (text, MIN (strlen (text), 40));
        g_autofree char *escaped = g_strescape (cut, NULL);

        return g_strdup_printf ("\"%s\"%s", escaped, strlen (text) > 40 ? "…" : "");
      }
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[32];

        hs_format_double (json_node_get_double (node), buf);
        return g_strdup (buf);
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return g_strdup ("a value");
    }
}

/* Sets @error to "PATH: VALUE WHAT" (or "PATH: WHAT" when @node is NULL) and returns FALSE. */
G_GNUC_PRINTF (5, 6)
static gboolean
fail (GError          **error,
      int               code,
      const HsJsonPath *path,
      JsonNode         *node,
      const char       *format,
      ...)
{
  g_autofree char *where = hs_json_path_format (path);
  g_autofree char *what = NULL;
  g_autofree char *value = node != NULL ? describe (node) : NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (value != NULL)
    g_set_error (error, HS_JSON_ERROR, code, "%s: %s %s", where, value, what);
  else
    g_set_error (error, HS_JSON_ERROR, code, "%s: %s", where, what);
  return FALSE;
}

/* Absent or null: TRUE when that is allowed (@need optional), else FALSE with the error. */
static gboolean
absent_ok (JsonNode         *node,
           const HsJsonPath *path,
           HsJsonNeed        need,
           GError          **error)
{
  if (need == HS_JSON_OPTIONAL)
    return TRUE;
  return fail (error, HS_JSON_ERROR_SHAPE, path, NULL, node == NULL ? "missing" : "is null");
}

static gboolean
is_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
holds_type (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* An empty string stands for "no value" at several providers (Coinbase's trade "bid": ""). */
static gboolean
is_empty_string (JsonNode *node)
{
  return holds_type (node, G_TYPE_STRING) && json_node_get_string (node)[0] == '\0';
}

/* Does the integer literal of @n_digits digits at @digits (sign not included) fit int64? */
static gboolean
integer_fits (const char *digits,
              size_t      n_digits,
              gboolean    negative)
{
  static const char max_pos[] = "9223372036854775807";
  static const char max_neg[] = "9223372036854775808";

  while (n_digits > 1 && digits[0] == '0')
    {
      digits++;
      n_digits--;
    }
  if (n_digits != 19)
    return n_digits < 19;
  return memcmp (digits, negative ? max_neg : max_pos, 19) <= 0;
}

/**
 * hs_json_parse_body:
 * @body: the response body (need not be NUL-terminated)
 *
 * Parses a provider's response. A body that is not UTF-8 (or holds a NUL byte) and nesting
 * deeper than %HS_JSON_MAX_DEPTH are refused; integer literals beyond 64 bits become real
 * numbers (see the file comment).
 *
 * Returns: (transfer full): the document's root, or %NULL with @error set (%HS_JSON_ERROR)
 */
JsonNode *
hs_json_parse_body (const char *body,
                    size_t      len,
                    GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GArray) wide = g_array_new (FALSE, FALSE, sizeof (size_t));
  g_autoptr(GString) fixed = NULL;
  g_autoptr(GError) local = NULL;
  const char *text = body;
  size_t text_len = len;
  int depth = 0;
  gboolean in_string = FALSE;
  JsonNode *root;

  if (len == 0)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "the body is empty");
      return NULL;
    }
  if (len > G_MAXSSIZE)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "the body is too large");
      return NULL;
    }
  /* JSON is UTF-8 (RFC 8259), and json-glib does not check inside strings: a ticker with
   * broken bytes would reach the database and every message that quotes it. */
  if (!g_utf8_validate_len (body, len, NULL))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX,
                   "not valid JSON: the body is not UTF-8 text");
      return NULL;
    }
  for (size_t i = 0; i < len; i++)
    {
      char c = body[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > HS_JSON_MAX_DEPTH)
            {
              g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX,
                           "not valid JSON: nested deeper than %d levels (at byte %zu)",
                           HS_JSON_MAX_DEPTH, i);
              return NULL;
            }
        }
      else if (c == ']' || c == '}')
        depth--;
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gboolean negative = c == '-';
          size_t start = negative ? i + 1 : i, end = start;

          while (end < len && g_ascii_isdigit (body[end]))
            end++;
          if (end < len && (body[end] == '.' || body[end] == 'e' || body[end] == 'E'))
            {
              /* A real number: skip to its end. */
              while (end < len && (g_ascii_isdigit (body[end]) || body[end] == '.'
                                   || body[end] == 'e' || body[end] == 'E' || body[end] == '+'
                                   || body[end] == '-'))
                end++;
            }
          else if (end > start && !integer_fits (body + start, end - start, negative))
            g_array_append_val (wide, end);
          i = end - 1;
        }
    }
  if (wide->len > 0)
    {
      size_t from = 0;

      fixed = g_string_sized_new (len + 2 * wide->len);
      for (guint k = 0; k < wide->len; k++)
        {
          size_t at = g_array_index (wide, size_t, k);

          g_string_append_len (fixed, body + from, (gssize) (at - from));
          g_string_append (fixed, ".0");
          from = at;
        }
      g_string_append_len (fixed, body + from, (gssize) (len - from));
      text = fixed->str;
      text_len = fixed->len;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) text_len, &local))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "not valid JSON: %s",
                   local->message);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "the body holds no JSON value");
      return NULL;
    }
  return root;
}

/**
 * hs_json_number:
 * @node: (nullable): the value; %NULL when the member is absent
 * @out: (out): the number; NAN when an optional value is absent, null or ""
 *
 * Reads a JSON number or a string that holds one (hs_parse_double(): plain decimal, optional
 * exponent; no "NaN", no spaces). Non-finite values are refused.
 */
gboolean
hs_json_number (JsonNode         *node,
                const HsJsonPath *path,
                HsJsonNeed        need,
                double           *out,
                GError          **error)
{
  *out = NAN;
  if (is_absent (node))
    return absent_ok (node, path, need, error);
  if (holds_type (node, G_TYPE_INT64))
    {
      *out = (double) json_node_get_int (node);
      return TRUE;
    }
  if (holds_type (node, G_TYPE_DOUBLE))
    {
      double v = json_node_get_double (node);

      if (!isfinite (v))
        return fail (error, HS_JSON_ERROR_VALUE, path, NULL, "number out of range");
      *out = v;
      return TRUE;
    }
  if (is_empty_string (node))
    {
      if (need == HS_JSON_OPTIONAL)
        return TRUE;
      return fail (error, HS_JSON_ERROR_SHAPE, path, NULL, "is empty");
    }
  if (holds_type (node, G_TYPE_STRING) && hs_parse_double (json_node_get_string (node), out))
    return TRUE;
  *out = NAN;
  return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not a number");
}

/**
 * hs_json_int64:
 * @out: (out): the integer; left as it was when an optional value is absent or null
 *
 * Reads a whole number exactly: a JSON integer, a real number that is whole and at most 2^53
 * (so exact), or a string of decimal digits with an optional sign, up to 64 bits. Fractions,
 * exponents in strings and anything beyond 64 bits are refused.
 */
gboolean
hs_json_int64 (JsonNode         *node,
               const HsJsonPath *path,
               HsJsonNeed        need,
               int64_t          *out,
               GError          **error)
{
  if (is_absent (node))
    return absent_ok (node, path, need, error);
  if (holds_type (node, G_TYPE_INT64))
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (holds_type (node, G_TYPE_DOUBLE))
    {
      double v = json_node_get_double (node);

      if (v != floor (v) || !isfinite (v))
        return fail (error, HS_JSON_ERROR_VALUE, path, node, "is not a whole number");
      if (fabs (v) > 9007199254740992.0)
        return fail (error, HS_JSON_ERROR_VALUE, path, node,
                     "is too large for a 64-bit integer (or not exact)");
      *out = (int64_t) v;
      return TRUE;
    }
  if (holds_type (node, G_TYPE_STRING))
    {
      const char *text = json_node_get_string (node);
      const char *p = text + (text[0] == '-' || text[0] == '+');
      gboolean digits = *p != '\0';

      for (; *p; p++)
        digits = digits && g_ascii_isdigit (*p);
      if (!digits)
        return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not a whole number");
      if (!hs_parse_int64 (text[0] == '+' ? text + 1 : text, out))
        return fail (error, HS_JSON_ERROR_VALUE, path, node, "is too large for a 64-bit integer");
      return TRUE;
    }
  return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not a whole number");
}

/* The decimal text of a JSON number or numeric string, in @buf or borrowed from @node. */
static const char *
decimal_text (JsonNode *node,
              char      buf[32])
{
  if (holds_type (node, G_TYPE_STRING))
    return json_node_get_string (node);
  if (holds_type (node, G_TYPE_INT64))
    {
      g_snprintf (buf, 32, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return buf;
    }
  if (holds_type (node, G_TYPE_DOUBLE) && isfinite (json_node_get_double (node)))
    {
      /* The shortest text that reads back as the same double: the literal the provider sent
       * whenever that had at most 17 significant digits. */
      hs_format_double (json_node_get_double (node), buf);
      return buf;
    }
  return NULL;
}

/* Decimal seconds ("1762795433.9717445", "1.5e3") to microseconds, truncated toward zero, in
 * integer arithmetic so no digit is lost to binary rounding. */
static gboolean
seconds_to_us (const char *text,
               int64_t    *out_us)
{
  const char *p = text;
  gboolean neg = FALSE;
  uint64_t mant = 0;
  int n_digits = 0, exp10 = 6;

  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++, n_digits++)
    {
      if (mant < G_GUINT64_CONSTANT (100000000000000000))
        mant = mant * 10 + (uint64_t) (*p - '0');
      else
        exp10++;
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, n_digits++)
      if (mant < G_GUINT64_CONSTANT (100000000000000000))
        {
          mant = mant * 10 + (uint64_t) (*p - '0');
          exp10--;
        }
  if (n_digits == 0)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      gboolean eneg = FALSE;
      int e = 0, n_e = 0;

      p++;
      if (*p == '-' || *p == '+')
        eneg = *p++ == '-';
      for (; g_ascii_isdigit (*p); p++, n_e++)
        if (e < 10000)
          e = e * 10 + (*p - '0');
      if (n_e == 0)
        return FALSE;
      exp10 += eneg ? -e : e;
    }
  if (*p != '\0')
    return FALSE;
  for (; exp10 < 0 && mant > 0; exp10++)
    mant /= 10;
  for (; exp10 > 0 && mant > 0; exp10--)
    {
      if (mant > (uint64_t) G_MAXINT64 / 10)
        return FALSE;
      mant *= 10;
    }
  if (mant > (uint64_t) G_MAXINT64)
    return FALSE;
  *out_us = neg ? -(int64_t) mant : (int64_t) mant;
  return TRUE;
}

/**
 * hs_json_seconds:
 * @out_us: (out): microseconds since the epoch; left as it was when an optional value is absent
 *
 * Reads a Unix time in seconds with an optional fraction (Kraken's 1762795433.9717445), as a
 * number or a numeric string, into microseconds, truncating digits past the microsecond. A JSON
 * real number is taken at its shortest decimal form, the provider's literal.
 */
gboolean
hs_json_seconds (JsonNode         *node,
                 const HsJsonPath *path,
                 HsJsonNeed        need,
                 int64_t          *out_us,
                 GError          **error)
{
  char buf[32];
  const char *text;

  if (is_absent (node))
    return absent_ok (node, path, need, error);
  text = decimal_text (node, buf);
  if (text == NULL || !seconds_to_us (text, out_us))
    return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not a time in Unix seconds");
  return TRUE;
}

/**
 * hs_json_time:
 * @out_us: (out): microseconds since the epoch; left as it was when an optional value is absent
 *
 * Reads an ISO-8601 time as text (hs_time_parse(); a time without a zone is UTC, a date alone
 * is its midnight UTC).
 */
gboolean
hs_json_time (JsonNode         *node,
              const HsJsonPath *path,
              HsJsonNeed        need,
              int64_t          *out_us,
              GError          **error)
{
  g_autoptr(GError) local = NULL;

  if (is_absent (node))
    return absent_ok (node, path, need, error);
  if (!holds_type (node, G_TYPE_STRING) || json_node_get_string (node)[0] == '\0')
    return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not an ISO-8601 time");
  if (!hs_time_parse (json_node_get_string (node), NULL, out_us, &local))
    return fail (error, HS_JSON_ERROR_VALUE, path, NULL, "%s", local->message);
  return TRUE;
}

/**
 * hs_json_string:
 * @out: (out) (transfer none): the text (owned by the document); %NULL when an optional value
 *   is absent or null
 *
 * Reads a JSON string; numbers are not strings.
 */
gboolean
hs_json_string (JsonNode         *node,
                const HsJsonPath *path,
                HsJsonNeed        need,
                const char      **out,
                GError          **error)
{
  *out = NULL;
  if (is_absent (node))
    return absent_ok (node, path, need, error);
  if (!holds_type (node, G_TYPE_STRING))
    return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not a string");
  *out = json_node_get_string (node);
  return TRUE;
}

/**
 * hs_json_object:
 * @out: (out) (transfer none): the object; %NULL when an optional value is absent or null
 */
gboolean
hs_json_object (JsonNode         *node,
                const HsJsonPath *path,
                HsJsonNeed        need,
                JsonObject      **out,
                GError          **error)
{
  *out = NULL;
  if (is_absent (node))
    return absent_ok (node, path, need, error);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not an object");
  *out = json_node_get_object (node);
  return TRUE;
}

/**
 * hs_json_array:
 * @out: (out) (transfer none): the array; %NULL when an optional value is absent or null
 */
gboolean
hs_json_array (JsonNode         *node,
               const HsJsonPath *path,
               HsJsonNeed        need,
               JsonArray       **out,
               GError          **error)
{
  *out = NULL;
  if (is_absent (node))
    return absent_ok (node, path, need, error);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, HS_JSON_ERROR_SHAPE, path, node, "is not an array");
  *out = json_node_get_array (node);
  return TRUE;
}

/**
 * hs_json_list:
 *
 * Reads a list that may come as an array, as a bare object when it has one element, or as null
 * or nothing when it is empty (Tradier's `{"quotes": {"quote": {…}}}` for one symbol).
 *
 * Returns: (transfer full): the elements, or %NULL with @error set when the value is a scalar
 */
JsonArray *
hs_json_list (JsonNode         *node,
              const HsJsonPath *path,
              GError          **error)
{
  JsonArray *list;

  if (is_absent (node))
    return json_array_new ();
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_ref (json_node_get_array (node));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, HS_JSON_ERROR_SHAPE, path, node, "is neither a list nor an object");
      return NULL;
    }
  list = json_array_sized_new (1);
  json_array_add_element (list, json_node_copy (node));
  return list;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

/* hs_json_member_NAME (object, path, member, need, out, error): hs_json_NAME on the member,
 * with the member's path. */
#define MEMBER_READER(NAME, OUT_TYPE)                                                    \
  gboolean                                                                               \
  hs_json_member_##NAME (JsonObject       *object,                                       \
                         const HsJsonPath *path,                                         \
                         const char       *name,                                         \
                         HsJsonNeed        need,                                         \
                         OUT_TYPE          out,                                          \
                         GError          **error)                                        \
  {                                                                                      \
    HsJsonPath p = HS_JSON_PATH_MEMBER (path, name);                                     \
                                                                                         \
    return hs_json_##NAME (member (object, name), &p, need, out, error);                 \
  }

MEMBER_READER (number, double *)
MEMBER_READER (int64, int64_t *)
MEMBER_READER (seconds, int64_t *)
MEMBER_READER (time, int64_t *)
MEMBER_READER (string, const char **)
MEMBER_READER (object, JsonObject **)
MEMBER_READER (array, JsonArray **)

JsonArray *
hs_json_member_list (JsonObject       *object,
                     const HsJsonPath *path,
                     const char       *name,
                     GError          **error)
{
  HsJsonPath p = HS_JSON_PATH_MEMBER (path, name);

  return hs_json_list (member (object, name), &p, error);
}
