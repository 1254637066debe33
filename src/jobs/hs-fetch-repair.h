/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-stream.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* A live stream's repairs over REST (docs/fetch.md "Stream repair"): the callbacks hs-stream.h
 * asks for, answered through the fetch job's request path (hs_fetch_get_page: the providers'
 * rate limiters, retries and statistics), and the stream's counts in system_metrics.
 *
 *   g_autoptr(HsFetchRepair) repair = hs_fetch_repair_new (db_path);
 *   hs_fetch_repair_attach (repair, &request);   resync_book, fill_trades, progress, user_data
 *   hs_stream_run (&request, …);                 the callbacks run on the stream's thread
 *   hs_fetch_repair_finish (repair, &stats, …);  the final counts into system_metrics
 */

typedef struct _HsFetchRepair HsFetchRepair;

HsFetchRepair *hs_fetch_repair_new        (const char            *db_path);
void           hs_fetch_repair_free       (HsFetchRepair         *repair);
void           hs_fetch_repair_attach     (HsFetchRepair         *repair,
                                           HsStreamRequest       *request);
gboolean       hs_fetch_repair_finish     (HsFetchRepair         *repair,
                                           const HsStreamStats   *stats,
                                           GError               **error);

const char    *hs_fetch_repair_book_provider   (HsStreamProvider provider);
const char    *hs_fetch_repair_trades_provider (HsStreamProvider provider);
char          *hs_fetch_repair_rest_symbol     (HsStreamProvider provider,
                                                const char      *symbol);
gboolean       hs_fetch_write_stream_stats     (HsStore             *store,
                                                HsStreamProvider     provider,
                                                const HsStreamStats *stats,
                                                int64_t              ts,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsFetchRepair, hs_fetch_repair_free)

G_END_DECLS
