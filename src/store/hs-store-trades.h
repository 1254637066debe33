/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-store.h"

G_BEGIN_DECLS

GPtrArray *hs_store_trades_context_paths (HsStore      *store,
                                          GCancellable *cancellable,
                                          GError      **error);

G_END_DECLS
