/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-ws-message.h"

G_BEGIN_DECLS

#define HS_WS_KRAKEN_URL "wss://ws.kraken.com/v2"

HsWsFrame *hs_ws_kraken_parse            (const char *text,
                                          size_t      len,
                                          GError    **error);
GPtrArray *hs_ws_kraken_subscribe        (const char *symbol,
                                          int         depth);
GPtrArray *hs_ws_kraken_resubscribe_book (const char *symbol,
                                          int         depth);
gboolean   hs_ws_kraken_depth_valid      (int         depth);

G_END_DECLS
