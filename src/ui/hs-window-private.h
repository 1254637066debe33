/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What tests look at inside a window. */

#include "hs-coverage-page.h"
#include "hs-window.h"

G_BEGIN_DECLS

const char     *hs_window_get_visible_view   (HsWindow *self);
HsCoveragePage *hs_window_get_coverage_page  (HsWindow *self);
const char     *hs_window_get_error_message  (HsWindow *self);
const char     *hs_window_get_import_command (HsWindow *self);

G_END_DECLS
