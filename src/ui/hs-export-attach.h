/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-export-page.h"
#include "hs-window.h"

G_BEGIN_DECLS

HsExportPage *hs_export_page_attach (HsWindow *window);

G_END_DECLS
