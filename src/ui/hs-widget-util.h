/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void hs_column_view_set_model_when_mapped (GtkColumnView     *view,
                                           GtkSelectionModel *model);
void hs_drop_down_set_accessible_name     (GtkDropDown       *dropdown,
                                           const char        *name);
void hs_spin_button_set_accessible_name   (GtkSpinButton     *spin,
                                           const char        *name);
AdwToast *hs_toast_new                    (const char        *title,
                                           const char        *button,
                                           const char        *action);

G_END_DECLS
