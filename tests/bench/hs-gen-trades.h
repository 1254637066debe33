/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* Paper trades with full context for the query and export benchmarks (and the export tests):
 * every trade has all four context objects in the shapes of docs/export.md, numbers with one or
 * two decimals, a closed exit and all four labels. Deterministic for a seed. */

#define HS_GEN_TRADES_SYMBOLS 20

gboolean hs_gen_paper_trades (HsStore  *store,
                              int64_t   n_trades,
                              uint64_t  seed,
                              GError  **error);

G_END_DECLS
