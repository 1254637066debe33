/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Flattening the time capsule's JSON context into columns, and the text writers of the export:
 *
 * - hs_json_paths_extract() walks a JSON document once and hands back, for each of a fixed set
 *   of dotted paths ("5m.rsi", "greeks.delta"), the slice of text holding its value. The paths
 *   form a small tree, so a document costs one pass whatever the number of paths; values on no
 *   path are skipped without being decoded. Any bytes are safe input: a malformed document
 *   yields what was found before the fault and FALSE.
 * - hs_csv_append_field() quotes as RFC 4180 asks; hs_json_append_string() escapes for JSON.
 * - hs_format_double_fast() writes the same text as hs_format_double() (the shortest of %.15g,
 *   %.16g, %.17g that reads back exactly) without printf for the common case of a number with
 *   a few decimals: the export writes some 50 numbers per row, a million rows a second.
 *
 * Load: the export calls these per row and column; they allocate nothing per call.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-flatten.h"

#include <math.h>
#include <string.h>

#include "hs-records.h"

/* ------------------------------------------------------------------------------------------ */
/* Path trees */

typedef struct _Node Node;

struct _Node
{
  char   *key;        /* (owned) NULL at the root */
  size_t  key_len;
  int     index;      /* the path that ends here, or -1 */
  Node  **children;   /* (owned) */
  size_t  n_children;
};

struct _HsJsonPaths
{
  Node  *root;
  size_t n_paths;
};

static void
node_free (Node *node)
{
  for (size_t i = 0; i < node->n_children; i++)
    node_free (node->children[i]);
  g_free (node->children);
  g_free (node->key);
  g_free (node);
}

static Node *
node_child (Node       *node,
            const char *key,
            size_t      len,
            gboolean    create)
{
  Node *child;

  for (size_t i = 0; i < node->n_children; i++)
    {
      const char *k = node->children[i]->key;
      size_t j = 0;

      if (node->children[i]->key_len != len)
        continue;
      /* Keys are a few bytes: compared inline rather than by a call to memcmp. */
      while (j < len && k[j] == key[j])
        j++;
      if (j == len)
        return node->children[i];
    }
  if (!create)
    return NULL;
  child = g_new0 (Node, 1);
  child->key = g_strndup (key, len);
  child->key_len = len;
  child->index = -1;
  node->children = g_renew (Node *, node->children, node->n_children + 1);
  node->children[node->n_children++] = child;
  return child;
}

/**
 * hs_json_paths_new:
 * @paths: dotted key paths, e.g. "5m.rsi" (keys may not contain "."); a path may not be the
 *   prefix of another
 *
 * Returns: (transfer full): the paths as a tree for hs_json_paths_extract()
 */
HsJsonPaths *
hs_json_paths_new (const char *const *paths,
                   size_t             n_paths)
{
  HsJsonPaths *p = g_new0 (HsJsonPaths, 1);

  p->root = g_new0 (Node, 1);
  p->root->index = -1;
  p->n_paths = n_paths;
  for (size_t i = 0; i < n_paths; i++)
    {
      Node *node = p->root;
      const char *s = paths[i];

      while (TRUE)
        {
          const char *dot = strchr (s, '.');
          size_t len = dot ? (size_t) (dot - s) : strlen (s);

          node = node_child (node, s, len, TRUE);
          if (dot == NULL)
            break;
          s = dot + 1;
        }
      g_return_val_if_fail (node->index < 0 && node->n_children == 0, p);
      node->index = (int) i;
    }
  return p;
}

void
hs_json_paths_free (HsJsonPaths *paths)
{
  if (paths == NULL)
    return;
  node_free (paths->root);
  g_free (paths);
}

/* ------------------------------------------------------------------------------------------ */
/* The scanner */

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static inline void
skip_ws (Scan *s)
{
  /* Every JSON whitespace byte is at most ' ': one comparison for the usual compact text. */
  while (s->p < s->end && (unsigned char) *s->p <= ' '
         && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* Eight bytes at a time (on little-endian machines): a word's bytes equal to @byte, as the
 * high bit of each; the lowest one set marks the first such byte exactly (borrows only make
 * false marks above a true one). */
#define ONES G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

static inline uint64_t
bytes_equal (uint64_t w,
             char     byte)
{
  uint64_t x = w ^ (ONES * (unsigned char) byte);

  return (x - ONES) & ~x & HIGHS;
}

/* The first '"' or '\\' in p … end, or end. */
static inline const char *
find_quote_or_backslash (const char *p,
                         const char *end)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && defined (__GNUC__)
  while (end - p >= 8)
    {
      uint64_t w, m;

      memcpy (&w, p, 8);
      m = bytes_equal (w, '"') | bytes_equal (w, '\\');
      if (m != 0)
        return p + (__builtin_ctzll (m) >> 3);
      p += 8;
    }
#endif
  while (p < end && *p != '"' && *p != '\\')
    p++;
  return p;
}

/* A string token from its opening quote; leaves s->p after the closing one. A backslash
 * escapes the byte after it (a quote, another backslash, or the start of an escape that holds
 * neither). */
static gboolean
scan_string (Scan *s)
{
  const char *q = s->p + 1;

  while (TRUE)
    {
      q = find_quote_or_backslash (q, s->end);
      if (q >= s->end)
        return FALSE;
      if (*q == '"')
        {
          s->p = q + 1;
          return TRUE;
        }
      if (s->end - q < 2)
        return FALSE;
      q += 2;
    }
}

static gboolean
match_word (Scan       *s,
            const char *word,
            size_t      len)
{
  if ((size_t) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

/* The bytes a number token is made of after its first: digits, ".", "e", "E", "+", "-". */
static const gboolean number_chars[256] = {
  ['0'] = TRUE, ['1'] = TRUE, ['2'] = TRUE, ['3'] = TRUE, ['4'] = TRUE, ['5'] = TRUE,
  ['6'] = TRUE, ['7'] = TRUE, ['8'] = TRUE, ['9'] = TRUE, ['.'] = TRUE, ['e'] = TRUE,
  ['E'] = TRUE, ['+'] = TRUE, ['-'] = TRUE,
};

static gboolean scan_value (Scan              *s,
                            const Node        *node,
                            int                depth,
                            HsJsonSlice       *out,
                            HsJsonKind        *kind);

/* An object's members, from its "{"; values on a path of @node are recorded in @out. */
static gboolean
scan_object (Scan        *s,
             const Node  *node,
             int          depth,
             HsJsonSlice *out)
{
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }
  while (s->p < s->end)
    {
      const char *key;
      const Node *child = NULL;
      size_t key_len;
      HsJsonKind kind;

      if (*s->p != '"')
        return FALSE;
      key = s->p + 1;
      if (!scan_string (s))
        return FALSE;
      key_len = (size_t) (s->p - 1 - key);
      /* Keys with escapes never match: no path has a key that needs one. */
      if (node != NULL)
        child = node_child ((Node *) node, key, key_len, FALSE);
      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;
      skip_ws (s);
      if (child != NULL && child->index >= 0)
        {
          HsJsonSlice *slice = &out[child->index];

          slice->start = s->p;
          if (!scan_value (s, NULL, depth + 1, out, &kind))
            return FALSE;
          slice->kind = kind;
          slice->len = (size_t) (s->p - slice->start);
        }
      else if (!scan_value (s, child, depth + 1, out, &kind))
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_ws (s);
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      return FALSE;
    }
  return FALSE;
}

static gboolean
scan_array (Scan        *s,
            int          depth,
            HsJsonSlice *out)
{
  HsJsonKind kind;

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }
  while (s->p < s->end)
    {
      if (!scan_value (s, NULL, depth + 1, out, &kind))
        return FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_ws (s);
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      return FALSE;
    }
  return FALSE;
}

/* Skips (or, under a path node, descends into) one value. Beyond HS_JSON_MAX_DEPTH a document
 * is refused rather than walked further, so no input can exhaust the stack. */
static gboolean
scan_value (Scan        *s,
            const Node  *node,
            int          depth,
            HsJsonSlice *out,
            HsJsonKind  *kind)
{
  if (s->p >= s->end || depth > HS_JSON_MAX_DEPTH)
    return FALSE;
  switch (*s->p)
    {
    case '{':
      *kind = HS_JSON_OBJECT;
      return scan_object (s, node, depth, out);
    case '[':
      *kind = HS_JSON_ARRAY;
      return scan_array (s, depth, out);
    case '"':
      *kind = HS_JSON_STRING;
      return scan_string (s);
    case 't':
      *kind = HS_JSON_TRUE;
      return match_word (s, "true", 4);
    case 'f':
      *kind = HS_JSON_FALSE;
      return match_word (s, "false", 5);
    case 'n':
      *kind = HS_JSON_NULL;
      return match_word (s, "null", 4);
    default:
      if (*s->p != '-' && !g_ascii_isdigit (*s->p))
        return FALSE;
      *kind = HS_JSON_NUMBER;
      s->p++;
      while (s->p < s->end && number_chars[(unsigned char) *s->p])
        s->p++;
      return TRUE;
    }
}

/**
 * hs_json_paths_extract:
 * @json: (nullable): a JSON document (need not be NUL-terminated); NULL is an absent document
 * @out: (out caller-allocates): one slice per path, in the order the paths were given
 *
 * Finds every path's value in one pass. A path that is not there, or that runs into something
 * other than an object, is %HS_JSON_ABSENT. With a key given twice the last one wins (as in
 * SQLite's json_extract).
 *
 * Returns: %FALSE when @json is not well-formed JSON (the slices found before the fault stay)
 */
gboolean
hs_json_paths_extract (const HsJsonPaths *paths,
                       const char        *json,
                       size_t             len,
                       HsJsonSlice       *out)
{
  Scan s = { json, json + len };
  HsJsonKind kind;

  memset (out, 0, paths->n_paths * sizeof *out);
  if (json == NULL)
    return TRUE;
  skip_ws (&s);
  if (!scan_value (&s, paths->root, 0, out, &kind))
    return FALSE;
  skip_ws (&s);
  return s.p == s.end;
}

/* ------------------------------------------------------------------------------------------ */
/* Values */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *out)
{
  gunichar v = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        return FALSE;
      v = v * 16 + (gunichar) h;
    }
  *out = v;
  return TRUE;
}

/**
 * hs_json_string_is_plain:
 * @token: a string token with its quotes, as hs_json_paths_extract() finds it
 *
 * Returns: %TRUE when the string's value is the text between the quotes as it stands: no
 *   escape and no control character (which JSON allows only escaped)
 */
gboolean
hs_json_string_is_plain (const char *token,
                         size_t      len)
{
  size_t i = 1;

  if (len < 2 || token[0] != '"' || token[len - 1] != '"')
    return FALSE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  for (; i + 8 < len; i += 8)
    {
      uint64_t w;

      memcpy (&w, token + i, 8);
      /* A byte below 0x20 (no false marks when nothing is below), or a backslash. */
      if ((((w - ONES * 0x20) & ~w & HIGHS) | bytes_equal (w, '\\')) != 0)
        return FALSE;
    }
#endif
  for (; i + 1 < len; i++)
    if ((unsigned char) token[i] < 0x20 || token[i] == '\\')
      return FALSE;
  return TRUE;
}

/**
 * hs_json_string_decode:
 * @token: a string token with its quotes, as hs_json_paths_extract() finds it
 *
 * Appends the string's value to @out: escapes resolved, surrogate pairs joined; a lone
 * surrogate becomes U+FFFD.
 *
 * Returns: %FALSE (with what was decoded so far appended) when @token is not a JSON string
 */
gboolean
hs_json_string_decode (const char *token,
                       size_t      len,
                       GString    *out)
{
  const char *p = token + 1, *end = token + len - 1;

  if (len < 2 || token[0] != '"' || token[len - 1] != '"')
    return FALSE;
  while (p < end)
    {
      const char *bs = memchr (p, '\\', (size_t) (end - p));
      gunichar c, low;

      if (bs == NULL)
        {
          g_string_append_len (out, p, end - p);
          return TRUE;
        }
      g_string_append_len (out, p, bs - p);
      if (bs + 1 >= end)
        return FALSE;
      p = bs + 2;
      switch (bs[1])
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          if (!read_hex4 (p, end, &c))
            return FALSE;
          p += 4;
          if (c >= 0xD800 && c < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u'
              && read_hex4 (p + 2, end, &low) && low >= 0xDC00 && low < 0xE000)
            {
              c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              p += 6;
            }
          else if (c >= 0xD800 && c < 0xE000)
            c = 0xFFFD;
          /* NUL would end the C strings downstream; it becomes U+FFFD as well. */
          g_string_append_unichar (out, c == 0 ? 0xFFFD : c);
          break;
        default:
          return FALSE;
        }
    }
  return TRUE;
}

static const double pow10_exact[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

/* Returns: %FALSE when @token is not a finite JSON number.
 *
 * A plain decimal of at most 15 significant digits (-61.25, 1200) is m / 10^k with m and 10^k
 * exact doubles, and one correctly rounded division gives the same double as strtod (Clinger's
 * fast path); anything else goes to g_ascii_strtod(). */
gboolean
hs_json_number_parse (const char *token,
                      size_t      len,
                      double     *out)
{
  char buf[64];
  char *end = NULL;
  size_t i = 0;
  uint64_t m = 0;
  int digits = 0, frac = -1, any = 0;
  gboolean neg = FALSE;

  if (len > 0 && token[0] == '-')
    {
      neg = TRUE;
      i++;
    }
  for (; i < len; i++)
    {
      char c = token[i];

      if (c >= '0' && c <= '9')
        {
          m = m * 10 + (uint64_t) (c - '0');
          any = 1;
          if (m != 0)
            digits++;
          if (frac >= 0)
            frac++;
        }
      else if (c == '.' && frac < 0)
        frac = 0;
      else
        break;
    }
  if (i == len && any && digits <= 15 && frac != 0 && frac <= 15)
    {
      double v = (double) m / pow10_exact[frac < 0 ? 0 : frac];

      *out = neg ? -v : v;
      return TRUE;
    }

  if (len == 0 || len >= sizeof buf)
    {
      g_autofree char *copy = g_strndup (token, len);

      if (len == 0)
        return FALSE;
      *out = g_ascii_strtod (copy, &end);
      return *end == '\0' && isfinite (*out);
    }
  memcpy (buf, token, len);
  buf[len] = '\0';
  *out = g_ascii_strtod (buf, &end);
  return *end == '\0' && isfinite (*out);
}

/**
 * hs_json_number_append_short:
 *
 * Appends what hs_format_double_fast() would write for the JSON number @token, straight from
 * its text, when that is possible without reading it: a plain decimal (no exponent) of at most
 * 15 significant digits, not zero, at least 1e-4 and below 1e15 is read as the double nearest to
 * it, and %.15g of that double gives back the same digits (see hs_format_double_fast()), so the
 * text is written with its trailing fraction zeros (and a bare point) dropped.
 *
 * Returns: %FALSE (nothing appended) when the number needs reading and formatting
 */
gboolean
hs_json_number_append_short (GString    *out,
                             const char *token,
                             size_t      len)
{
  size_t i = 0, int_start, int_end, frac_end, lead_zeros = 0;
  int digits = 0;
  gboolean nonzero = FALSE;

  if (len > 0 && token[0] == '-')
    i++;
  int_start = i;
  while (i < len && token[i] >= '0' && token[i] <= '9')
    {
      nonzero |= token[i] != '0';
      digits += nonzero;
      i++;
    }
  int_end = i;
  /* JSON has no leading zeros: the integer part is "0" or starts with 1–9. */
  if (int_end == int_start || (token[int_start] == '0' && int_end - int_start > 1))
    return FALSE;
  frac_end = int_end;
  if (i < len && token[i] == '.')
    {
      i++;
      while (i < len && token[i] >= '0' && token[i] <= '9')
        {
          if (!nonzero && token[i] == '0')
            lead_zeros++;
          nonzero |= token[i] != '0';
          digits += nonzero;
          i++;
        }
      frac_end = i;
    }
  if (i != len || !nonzero || digits > 15 || int_end - int_start > 15
      || (token[int_start] == '0' && lead_zeros >= 4))
    return FALSE;
  /* Drop trailing zeros of the fraction, then a bare point. */
  if (frac_end > int_end)
    {
      while (frac_end > int_end + 1 && token[frac_end - 1] == '0')
        frac_end--;
      if (frac_end == int_end + 1)
        frac_end = int_end;
    }
  hs_string_append (out, token, frac_end);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Writers */


/* A CSV field: quoted (RFC 4180) when it holds a comma, a quote, CR or LF, quotes doubled. */
void
hs_csv_append_field (GString    *out,
                     const char *s,
                     size_t      len)
{
  gboolean quote = FALSE;
  size_t i = 0;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  for (; i + 8 <= len && !quote; i += 8)
    {
      uint64_t w;

      memcpy (&w, s + i, 8);
      quote = (bytes_equal (w, ',') | bytes_equal (w, '"') | bytes_equal (w, '\r')
               | bytes_equal (w, '\n')) != 0;
    }
#endif
  for (; i < len && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
  if (!quote)
    {
      hs_string_append (out, s, len);
      return;
    }
  g_string_append_c (out, '"');
  for (i = 0; i < len; i++)
    {
      if (s[i] == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, s[i]);
    }
  g_string_append_c (out, '"');
}

/* A JSON string with its quotes: ", \ and control characters escaped; other bytes as they
 * are (the text is UTF-8). */
void
hs_json_append_string (GString    *out,
                       const char *s,
                       size_t      len)
{
  static const char hex[] = "0123456789abcdef";
  size_t run = 0;

  g_string_append_c (out, '"');
  for (size_t i = 0; i < len; i++)
    {
      unsigned char c = (unsigned char) s[i];

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      hs_string_append (out, s + run, i - run);
      run = i + 1;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 15]);
          break;
        }
    }
  hs_string_append (out, s + run, len - run);
  g_string_append_c (out, '"');
}

static const double pow10_table[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

/**
 * hs_format_double_fast:
 *
 * Writes the text hs_format_double() writes for @v, and returns its length. The fast case: a
 * value of at most 15 significant digits between 1e-4 and 1e15, with k ≤ 15 decimals, is
 * m / 10^k for an integer m; when m / 10^k (a correctly rounded division by an exact power of
 * ten) gives back exactly @v, that decimal is the shortest text that reads back as @v, and it
 * is what %.15g prints (the 15-digit rounding of @v is within half a unit of the 15th digit,
 * which a double's error is far below). Everything else goes to hs_format_double().
 * tests/test-export.c compares the two on millions of values.
 */
size_t
hs_format_double_fast (double v,
                       char   buf[32])
{
  double a = fabs (v);

  if (a == 0)
    {
      /* %.15g of ±0 */
      if (signbit (v))
        {
          memcpy (buf, "-0", 3);
          return 2;
        }
      memcpy (buf, "0", 2);
      return 1;
    }
  if (a >= 1e-4 && a < 1e15)
    {
      for (int k = 0; k < 16; k++)
        {
          double scaled = a * pow10_table[k];
          uint64_t m;
          char digits[24];
          int n = 0, int_digits, pos = 0;

          if (scaled >= 1e15)
            break;
          m = (uint64_t) (scaled + 0.5);
          if ((double) m / pow10_table[k] != a)
            continue;
          /* m's digits, then the point k from the right. */
          do
            {
              digits[n++] = (char) ('0' + m % 10);
              m /= 10;
            }
          while (m > 0);
          if (v < 0)
            buf[pos++] = '-';
          int_digits = n - k;
          if (int_digits <= 0)
            {
              buf[pos++] = '0';
              buf[pos++] = '.';
              for (int z = 0; z < -int_digits; z++)
                buf[pos++] = '0';
              for (int i = n - 1; i >= 0; i--)
                buf[pos++] = digits[i];
            }
          else
            {
              for (int i = n - 1; i >= 0; i--)
                {
                  buf[pos++] = digits[i];
                  if (i == k && k > 0)
                    buf[pos++] = '.';
                }
            }
          buf[pos] = '\0';
          return (size_t) pos;
        }
    }
  hs_format_double (v, buf);
  return strlen (buf);
}
