/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_WINDOW (hs_window_get_type ())

G_DECLARE_FINAL_TYPE (HsWindow, hs_window, HS, WINDOW, AdwApplicationWindow)

HsWindow   *hs_window_new                (GtkApplication *application,
                                          const char     *database_path);
const char *hs_window_get_database_path  (HsWindow       *self);
void        hs_window_set_database_path  (HsWindow       *self,
                                          const char     *database_path);
gboolean    hs_window_get_loading        (HsWindow       *self);
void        hs_window_reload             (HsWindow       *self);

/* Pages (docs/ui.md): "overview", "data", "backtests", "trades", "export". */
void        hs_window_show_page          (HsWindow       *self,
                                          const char     *name);
const char *hs_window_get_visible_page   (HsWindow       *self);
void        hs_window_set_page           (HsWindow       *self,
                                          const char     *name,
                                          GtkWidget      *widget);
GtkWidget  *hs_window_get_page           (HsWindow       *self,
                                          const char     *name);
void        hs_window_add_toast          (HsWindow       *self,
                                          AdwToast       *toast);
void        hs_window_import_files       (HsWindow       *self,
                                          GSList         *files);

G_END_DECLS
