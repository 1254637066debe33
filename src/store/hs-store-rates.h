/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-stats.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The series `hindsight-cli import rates` writes when no --series is given: the Fed primary
 * credit rate, LEAN's risk-free rate. */
#define HS_RATES_DEFAULT_SERIES "fed_primary_credit"

gboolean hs_store_insert_rate (HsStore    *store,
                               const char *series,
                               int64_t     ts,
                               double      rate_pct,
                               gboolean   *inserted,
                               GError    **error);
GArray  *hs_store_load_rates  (HsStore    *store,
                               const char *series,
                               GError    **error);

G_END_DECLS
