/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

gboolean hs_store_sample_closes (HsStore    *store,
                                 int64_t     instrument_id,
                                 const char *interval,
                                 int64_t     first_ts,
                                 int64_t     last_ts,
                                 size_t      n,
                                 double     *out,
                                 GError    **error);

G_END_DECLS
