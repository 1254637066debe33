/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-records.h"

G_BEGIN_DECLS

#define HS_JSON_ERROR (hs_json_error_quark ())

typedef enum
{
  HS_JSON_ERROR_SYNTAX,    /* not JSON */
  HS_JSON_ERROR_SHAPE,     /* JSON, but a member is missing or of the wrong type */
  HS_JSON_ERROR_VALUE,     /* a member's value breaks a rule */
} HsJsonError;

GQuark   hs_json_error_quark       (void);

gboolean hs_json_get_number        (JsonObject  *object,
                                    const char  *member,
                                    double      *out,
                                    GError     **error);
gboolean hs_json_get_time          (JsonObject  *object,
                                    const char  *member,
                                    GTimeZone   *naive_tz,
                                    int64_t     *out_us,
                                    GError     **error);
gboolean hs_json_parse_book_line   (const char      *line,
                                    size_t           len,
                                    GTimeZone       *naive_tz,
                                    int              depth,
                                    HsBookSnapshot  *book,
                                    GError         **error);
gboolean hs_json_parse_snapshot_line (const char       *line,
                                      size_t            len,
                                      GTimeZone        *naive_tz,
                                      HsSnapshotSource  default_source,
                                      HsMarketSnapshot *snap,
                                      GError          **error);

G_END_DECLS
