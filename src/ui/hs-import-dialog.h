/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_IMPORT_DIALOG (hs_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HsImportDialog, hs_import_dialog, HS, IMPORT_DIALOG, AdwMessageDialog)

GtkWidget  *hs_import_dialog_new            (GtkWindow      *parent,
                                             GPtrArray      *requests);
GPtrArray  *hs_import_dialog_dup_requests   (HsImportDialog *self);
gboolean    hs_import_dialog_get_ready      (HsImportDialog *self);
guint       hs_import_dialog_get_n_files    (HsImportDialog *self);
AdwEntryRow *hs_import_dialog_get_symbol_row   (HsImportDialog *self,
                                                guint           index);
AdwComboRow *hs_import_dialog_get_kind_row     (HsImportDialog *self,
                                                guint           index);
AdwComboRow *hs_import_dialog_get_interval_row (HsImportDialog *self,
                                                guint           index);

G_END_DECLS
