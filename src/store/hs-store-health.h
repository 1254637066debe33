/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-provider-stats.h"
#include "hs-store-alerts.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* A provider failing this many calls in a row raises an alert (hs_store_write_provider_stats). */
#define HS_PROVIDER_ALERT_THRESHOLD 3


gboolean   hs_store_write_provider_stats  (HsStore               *store,
                                           const HsProviderStats *stats,
                                           int                    alert_after,
                                           gboolean              *alert_raised,
                                           GError               **error);
GPtrArray *hs_store_latest_provider_stats (HsStore               *store,
                                           GError               **error);
GPtrArray *hs_store_open_alerts           (HsStore               *store,
                                           GError               **error);
gboolean   hs_store_ack_alert             (HsStore               *store,
                                           int64_t                id,
                                           int64_t                now,
                                           gboolean              *was_open,
                                           GError               **error);

G_END_DECLS
