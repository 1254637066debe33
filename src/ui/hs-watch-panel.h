/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hs-watch-job.h"
#include "hs-window.h"

G_BEGIN_DECLS

#define HS_TYPE_WATCH_PANEL (hs_watch_panel_get_type ())

G_DECLARE_FINAL_TYPE (HsWatchPanel, hs_watch_panel, HS, WATCH_PANEL, AdwBin)

GtkWidget          *hs_watch_panel_new                 (void);
void                hs_watch_panel_set_database        (HsWatchPanel *self,
                                                        const char   *db_path);
void                hs_watch_panel_refresh             (HsWatchPanel *self);
void                hs_watch_panel_set_request_options (HsWatchPanel *self,
                                                        int64_t       now,
                                                        int           attempts,
                                                        int           timeout_s);

gboolean            hs_watch_panel_start_polling       (HsWatchPanel *self);
void                hs_watch_panel_stop_polling        (HsWatchPanel *self);
gboolean            hs_watch_panel_get_polling         (HsWatchPanel *self);

const HsWatchState *hs_watch_panel_get_state           (HsWatchPanel *self);
char               *hs_watch_panel_dup_provider_text   (HsWatchPanel *self,
                                                        const char   *provider);
char               *hs_watch_panel_dup_entry_text      (HsWatchPanel *self,
                                                        int64_t       watch_id);
const char         *hs_watch_panel_get_add_error       (HsWatchPanel *self);

void                hs_watch_panel_show_backfill       (HsWatchPanel *self,
                                                        int64_t       watch_id);
gboolean            hs_watch_panel_get_backfilling     (HsWatchPanel *self);
const char         *hs_watch_panel_get_backfill_text   (HsWatchPanel *self);

HsWatchPanel       *hs_watch_panel_attach              (HsWindow     *window);

G_END_DECLS
