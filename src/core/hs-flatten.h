/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <string.h>

G_BEGIN_DECLS

/* Pure helpers of the ML export and the training-query output (docs/export.md): picking known
 * paths out of a JSON document in one pass, and writing CSV (RFC 4180) and JSON text. Written
 * for a million rows a second: nothing allocates per value except the caller's GString. */

/* The kind of a JSON value found at a path. */
typedef enum
{
  HS_JSON_ABSENT,   /* the path is not in the document (or the document is not JSON) */
  HS_JSON_NULL,
  HS_JSON_FALSE,
  HS_JSON_TRUE,
  HS_JSON_NUMBER,
  HS_JSON_STRING,
  HS_JSON_ARRAY,
  HS_JSON_OBJECT,
} HsJsonKind;

/* A value's text inside the document: a string with its quotes and escapes, a number as
 * written, an array or object from bracket to bracket. */
typedef struct
{
  HsJsonKind  kind;
  const char *start;
  size_t      len;
} HsJsonSlice;

typedef struct _HsJsonPaths HsJsonPaths;

/* Objects nested deeper than this are skipped, not descended into (and not an error). */
#define HS_JSON_MAX_DEPTH 64

HsJsonPaths *hs_json_paths_new       (const char *const *paths,
                                      size_t             n_paths);
void         hs_json_paths_free      (HsJsonPaths       *paths);
gboolean     hs_json_paths_extract   (const HsJsonPaths *paths,
                                      const char        *json,
                                      size_t             len,
                                      HsJsonSlice       *out);

gboolean     hs_json_string_is_plain (const char        *token,
                                      size_t             len);
gboolean     hs_json_string_decode   (const char        *token,
                                      size_t             len,
                                      GString           *out);
gboolean     hs_json_number_parse    (const char        *token,
                                      size_t             len,
                                      double            *out);

gboolean     hs_json_number_append_short (GString       *out,
                                          const char    *token,
                                          size_t         len);
void         hs_csv_append_field     (GString           *out,
                                      const char        *s,
                                      size_t             len);
void         hs_json_append_string   (GString           *out,
                                      const char        *s,
                                      size_t             len);
size_t       hs_format_double_fast   (double             v,
                                      char               buf[32]);

/* g_string_append_len() without the call when the text fits (GLib 2.74 does not inline it):
 * the export appends a hundred short texts per row. */
static inline void
hs_string_append (GString    *out,
                  const char *s,
                  size_t      len)
{
  if (G_LIKELY (out->len + len < out->allocated_len))
    {
      char *d = out->str + out->len;

      /* Short texts (keys, numbers, times) by fixed-size moves that may overlap, in bounds of
       * both texts: a call to memcpy costs more than the copy. */
      if (len >= 8 && len <= 16)
        {
          uint64_t a, b;

          memcpy (&a, s, 8);
          memcpy (&b, s + len - 8, 8);
          memcpy (d, &a, 8);
          memcpy (d + len - 8, &b, 8);
        }
      else if (len >= 4 && len < 8)
        {
          uint32_t a, b;

          memcpy (&a, s, 4);
          memcpy (&b, s + len - 4, 4);
          memcpy (d, &a, 4);
          memcpy (d + len - 4, &b, 4);
        }
      else if (len < 4)
        {
          for (size_t i = 0; i < len; i++)
            d[i] = s[i];
        }
      else
        memcpy (d, s, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, s, (gssize) len);
}

/* g_utf8_validate_len() (which refuses NUL bytes too) with a shortcut for ASCII without NULs,
 * eight bytes at a time: the export checks every text it writes, and nearly all are ASCII. */
static inline gboolean
hs_utf8_valid (const char *s,
               size_t      len)
{
  const uint64_t ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const uint64_t highs = G_GUINT64_CONSTANT (0x8080808080808080);
  size_t i = 0;

  for (; i + 8 <= len; i += 8)
    {
      uint64_t w;

      memcpy (&w, s + i, 8);
      if ((w & highs) != 0 || ((w - ones) & ~w & highs) != 0)   /* a high bit, or a zero byte */
        return g_utf8_validate_len (s + i, len - i, NULL);
    }
  for (; i < len; i++)
    if ((unsigned char) s[i] >= 0x80 || s[i] == '\0')
      return g_utf8_validate_len (s + i, len - i, NULL);
  return TRUE;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsJsonPaths, hs_json_paths_free)

G_END_DECLS
