/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_EXPORT_PAGE (hs_export_page_get_type ())

G_DECLARE_FINAL_TYPE (HsExportPage, hs_export_page, HS, EXPORT_PAGE, GtkWidget)

GtkWidget  *hs_export_page_new                (void);
void        hs_export_page_set_database_path  (HsExportPage *self,
                                               const char   *path);
const char *hs_export_page_get_database_path  (HsExportPage *self);
void        hs_export_page_reload             (HsExportPage *self);

void        hs_export_page_export_to_file     (HsExportPage *self,
                                               const char   *path);
void        hs_export_page_cancel             (HsExportPage *self);

/* What the page shows, for tests and the attach code. */
gboolean    hs_export_page_get_busy           (HsExportPage *self);
gboolean    hs_export_page_get_preview_pending (HsExportPage *self);
GStrv       hs_export_page_dup_columns        (HsExportPage *self);
char       *hs_export_page_dup_where          (HsExportPage *self);
const char *hs_export_page_get_dataset_name   (HsExportPage *self);
const char *hs_export_page_get_format_name    (HsExportPage *self);
const char *hs_export_page_get_hint           (HsExportPage *self);
const char *hs_export_page_get_last_toast     (HsExportPage *self);
const char *hs_export_page_get_last_error     (HsExportPage *self);
const char *hs_export_page_get_last_folder    (HsExportPage *self);
GListModel *hs_export_page_get_preview_model  (HsExportPage *self);

G_END_DECLS
