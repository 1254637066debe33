/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

gboolean hs_bench_store_gen_bars (HsStore  *store,
                                  size_t    n,
                                  int64_t  *instrument_id,
                                  GError  **error);

void     hs_bench_store_remove   (const char *path);

G_END_DECLS
