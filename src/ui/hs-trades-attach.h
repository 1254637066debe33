/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-trades-page.h"
#include "hs-window.h"

G_BEGIN_DECLS

HsTradesPage *hs_trades_page_attach (HsWindow *window);

G_END_DECLS
