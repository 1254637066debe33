/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-store.h"

G_BEGIN_DECLS

gboolean hs_store_vacuum       (HsStore    *store,
                                GError    **error);
gboolean hs_store_table_bytes  (HsStore    *store,
                                const char *table,
                                int64_t    *bytes,
                                GError    **error);

G_END_DECLS
