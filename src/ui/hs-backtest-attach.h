/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-backtest-page.h"
#include "hs-window.h"

G_BEGIN_DECLS

HsBacktestPage *hs_backtest_page_attach (HsWindow *window);

G_END_DECLS
