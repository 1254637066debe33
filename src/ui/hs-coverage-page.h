/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_COVERAGE_PAGE (hs_coverage_page_get_type ())

G_DECLARE_FINAL_TYPE (HsCoveragePage, hs_coverage_page, HS, COVERAGE_PAGE, AdwBin)

GtkWidget  *hs_coverage_page_new                      (void);
void        hs_coverage_page_set_coverage             (HsCoveragePage *self,
                                                       GPtrArray      *coverage);
GListModel *hs_coverage_page_get_model                (HsCoveragePage *self);
const char *hs_coverage_page_get_summary              (HsCoveragePage *self);
gboolean    hs_coverage_page_get_search_mode_enabled  (HsCoveragePage *self);
void        hs_coverage_page_set_search_mode_enabled  (HsCoveragePage *self,
                                                       gboolean        enabled);
void        hs_coverage_page_set_search_text          (HsCoveragePage *self,
                                                       const char     *text);
void        hs_coverage_page_set_key_capture_widget   (HsCoveragePage *self,
                                                       GtkWidget      *widget);

G_END_DECLS
