/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-json-records.h"
#include "hs-paper-trade.h"

G_BEGIN_DECLS

/* The deepest nesting of arrays and objects a paper-trade line may have. */
#define HS_PAPER_JSON_MAX_DEPTH 64

gboolean hs_paper_json_parse_line      (const char   *line,
                                        size_t        len,
                                        HsPaperTrade *trade,
                                        GError      **error);
char    *hs_paper_json_check_reasoning (const char   *text,
                                        gssize        len,
                                        GError      **error);
char    *hs_paper_json_format          (const char   *text,
                                        int           indent,
                                        GError      **error);
void     hs_paper_json_write           (JsonNode     *node,
                                        int           indent,
                                        int           level,
                                        GString      *out);

G_END_DECLS
