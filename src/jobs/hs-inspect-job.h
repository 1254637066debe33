/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdint.h>

#include "hs-bars.h"
#include "hs-paper-trade.h"

G_BEGIN_DECLS

/* What the trade inspector reads about one paper trade, on a worker (hs-inspect-job.c): the
 * row as `hindsight-cli paper show` reads it (hs_store_paper_load()), its JSON columns parsed,
 * and the 1-minute bars of its replay window. */

/* Minutes of bars before the entry, and after the 1-hour horizon, in the replay window. */
#define HS_INSPECT_BEFORE_MIN 30
#define HS_INSPECT_AFTER_MIN  15
/* The window follows a later exit up to this long after the entry (one US session). */
#define HS_INSPECT_MAX_SPAN_MIN 390

typedef struct
{
  HsPaperTrade *trade;              /* (owned) */
  JsonNode     *reasoning;          /* (owned) (nullable) the object, NULL: none or unreadable */
  JsonNode     *signals_snapshot;   /* (owned) (nullable) */
  JsonNode     *market_regime;      /* (owned) (nullable) */
  JsonNode     *order_book_state;   /* (owned) (nullable) */
  HsBars       *bars;               /* (owned) the 1m bars from from_ts to to_ts, maybe none */
  int64_t       from_ts;            /* the replay window, µs UTC */
  int64_t       to_ts;
} HsInspectData;

typedef enum
{
  HS_INSPECT_EDIT_TAG_ADD,
  HS_INSPECT_EDIT_TAG_REMOVE,
  HS_INSPECT_EDIT_NOTE,
} HsInspectEditKind;

void           hs_inspect_data_free      (HsInspectData       *data);
void           hs_inspect_window         (const HsPaperTrade  *trade,
                                          int64_t             *from_ts,
                                          int64_t             *to_ts);

void           hs_inspect_job_load_async (const char          *db_path,
                                          int64_t              trade_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
HsInspectData *hs_inspect_job_load_finish (GAsyncResult       *result,
                                           GError            **error);

void           hs_inspect_job_edit_async (const char          *db_path,
                                          int64_t              trade_id,
                                          HsInspectEditKind    kind,
                                          const char          *text,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
HsPaperTrade  *hs_inspect_job_edit_finish (GAsyncResult       *result,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsInspectData, hs_inspect_data_free)

G_END_DECLS
