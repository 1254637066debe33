/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers the WebSocket frame parsers share (hs-ws-message.c); not for other modules.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-ws-message.h"

G_BEGIN_DECLS

JsonNode   *hs_ws_parse_object  (const char  *text,
                                 size_t       len,
                                 GError     **error);
const char *hs_ws_get_string    (JsonObject  *object,
                                 const char  *member);
gboolean    hs_ws_get_int64     (JsonObject  *object,
                                 const char  *member,
                                 int64_t     *out,
                                 GError     **error);
gboolean    hs_ws_get_trade_id  (JsonObject  *object,
                                 const char  *member,
                                 char       **out,
                                 GError     **error);
JsonArray  *hs_ws_get_array     (JsonObject  *object,
                                 const char  *member,
                                 GError     **error);
gboolean    hs_ws_add_level     (GArray      *levels,
                                 double       price,
                                 double       size,
                                 GError     **error);
gboolean    hs_ws_get_number    (JsonObject  *object,
                                 const char  *member,
                                 double      *out,
                                 GError     **error);
gboolean    hs_ws_read_trade_numbers (JsonObject *object,
                                      const char *size_member,
                                      HsTrade    *trade,
                                      GError    **error);
gboolean    hs_ws_read_number   (JsonNode    *node,
                                 const char  *what,
                                 double      *out,
                                 GError     **error);

G_END_DECLS
