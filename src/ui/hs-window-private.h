/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What tests look at inside a window. */

#include "hs-coverage-page.h"
#include "hs-data-page.h"
#include "hs-overview-page.h"
#include "hs-window.h"

G_BEGIN_DECLS

const char     *hs_window_get_visible_view   (HsWindow *self);
HsCoveragePage *hs_window_get_coverage_page  (HsWindow *self);
HsOverviewPage *hs_window_get_overview_page  (HsWindow *self);
HsDataPage     *hs_window_get_data_page      (HsWindow *self);
const char     *hs_window_get_error_message  (HsWindow *self);
AdwLeaflet     *hs_window_get_leaflet        (HsWindow *self);
GtkListBox     *hs_window_get_sidebar        (HsWindow *self);
GMenuModel     *hs_window_get_recent_menu    (HsWindow *self);

G_END_DECLS
