/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <stdint.h>

#include "hs-window.h"

G_BEGIN_DECLS

/* Backups and recovery in the app (docs/ui.md "Backups and recovery"): the daily online
 * backup, Restore from Backup…, and the database check after an exit that was not clean. */

gboolean          hs_recovery_app_startup     (GSettings  *settings);
void              hs_recovery_app_shutdown    (GSettings  *settings);
gboolean          hs_recovery_get_check_pending (void);

void              hs_recovery_attach          (HsWindow   *window);
void              hs_recovery_show_restore    (HsWindow   *window);
void              hs_recovery_maybe_backup    (HsWindow   *window);

gboolean          hs_recovery_backup_due      (int64_t     newest,
                                               GDateTime  *now,
                                               int         backup_hour);

/* For tests. */
AdwMessageDialog *hs_recovery_get_dialog      (HsWindow   *window);
guint             hs_recovery_get_busy        (HsWindow   *window);
guint             hs_recovery_get_checks      (HsWindow   *window);
guint             hs_recovery_get_backups     (HsWindow   *window);

G_END_DECLS
