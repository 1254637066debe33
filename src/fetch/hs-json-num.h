/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects a provider body may have (the deepest real one,
 * Yahoo's chart, has 6); deeper input is refused before json-glib, whose recursive parser
 * would run out of stack on a few hundred thousand brackets. */
#define HS_JSON_MAX_DEPTH 64

/* Where a value sits in a document, for error messages: `candles[3].open`. A chain of small
 * structs on the caller's stack (no allocation unless an error is written). */
typedef struct _HsJsonPath HsJsonPath;
struct _HsJsonPath
{
  const HsJsonPath *up;     /* (nullable) the enclosing value */
  const char       *name;   /* the member name, or NULL for an array element */
  int64_t           index;  /* the element's index when @name is NULL */
};

#define HS_JSON_PATH_ROOT(n)      ((HsJsonPath) { NULL, (n), 0 })
#define HS_JSON_PATH_MEMBER(u, n) ((HsJsonPath) { (u), (n), 0 })
#define HS_JSON_PATH_INDEX(u, i)  ((HsJsonPath) { (u), NULL, (int64_t) (i) })

typedef enum
{
  HS_JSON_OPTIONAL,   /* absent or null is fine: the reader leaves its default */
  HS_JSON_REQUIRED,   /* absent or null is an error naming the field */
} HsJsonNeed;

char       *hs_json_path_format   (const HsJsonPath *path);

JsonNode   *hs_json_parse_body    (const char       *body,
                                   size_t            len,
                                   GError          **error);

gboolean    hs_json_number        (JsonNode         *node,
                                   const HsJsonPath *path,
                                   HsJsonNeed        need,
                                   double           *out,
                                   GError          **error);
gboolean    hs_json_int64         (JsonNode         *node,
                                   const HsJsonPath *path,
                                   HsJsonNeed        need,
                                   int64_t          *out,
                                   GError          **error);
gboolean    hs_json_seconds       (JsonNode         *node,
                                   const HsJsonPath *path,
                                   HsJsonNeed        need,
                                   int64_t          *out_us,
                                   GError          **error);
gboolean    hs_json_time          (JsonNode         *node,
                                   const HsJsonPath *path,
                                   HsJsonNeed        need,
                                   int64_t          *out_us,
                                   GError          **error);
gboolean    hs_json_string        (JsonNode         *node,
                                   const HsJsonPath *path,
                                   HsJsonNeed        need,
                                   const char      **out,
                                   GError          **error);
gboolean    hs_json_object        (JsonNode         *node,
                                   const HsJsonPath *path,
                                   HsJsonNeed        need,
                                   JsonObject      **out,
                                   GError          **error);
gboolean    hs_json_array         (JsonNode         *node,
                                   const HsJsonPath *path,
                                   HsJsonNeed        need,
                                   JsonArray       **out,
                                   GError          **error);
JsonArray  *hs_json_list          (JsonNode         *node,
                                   const HsJsonPath *path,
                                   GError          **error);

/* The same readers for a member of @object (whose own path is @path): the error names
 * `path.member`. @object may be NULL (every member then absent). */
gboolean    hs_json_member_number (JsonObject       *object,
                                   const HsJsonPath *path,
                                   const char       *member,
                                   HsJsonNeed        need,
                                   double           *out,
                                   GError          **error);
gboolean    hs_json_member_int64  (JsonObject       *object,
                                   const HsJsonPath *path,
                                   const char       *member,
                                   HsJsonNeed        need,
                                   int64_t          *out,
                                   GError          **error);
gboolean    hs_json_member_seconds (JsonObject       *object,
                                    const HsJsonPath *path,
                                    const char       *member,
                                    HsJsonNeed        need,
                                    int64_t          *out_us,
                                    GError          **error);
gboolean    hs_json_member_time   (JsonObject       *object,
                                   const HsJsonPath *path,
                                   const char       *member,
                                   HsJsonNeed        need,
                                   int64_t          *out_us,
                                   GError          **error);
gboolean    hs_json_member_string (JsonObject       *object,
                                   const HsJsonPath *path,
                                   const char       *member,
                                   HsJsonNeed        need,
                                   const char      **out,
                                   GError          **error);
gboolean    hs_json_member_object (JsonObject       *object,
                                   const HsJsonPath *path,
                                   const char       *member,
                                   HsJsonNeed        need,
                                   JsonObject      **out,
                                   GError          **error);
gboolean    hs_json_member_array  (JsonObject       *object,
                                   const HsJsonPath *path,
                                   const char       *member,
                                   HsJsonNeed        need,
                                   JsonArray       **out,
                                   GError          **error);
JsonArray  *hs_json_member_list   (JsonObject       *object,
                                   const HsJsonPath *path,
                                   const char       *member,
                                   GError          **error);

G_END_DECLS
