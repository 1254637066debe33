/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void hs_column_view_set_model_when_mapped (GtkColumnView     *view,
                                           GtkSelectionModel *model);

G_END_DECLS
