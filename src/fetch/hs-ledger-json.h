/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-ledger-records.h"

G_BEGIN_DECLS

gboolean hs_ledger_parse_line (const char      *line,
                               size_t           len,
                               HsLedgerRecord  *record,
                               GError         **error);

G_END_DECLS
