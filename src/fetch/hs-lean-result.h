/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hs-backtest.h"
#include "hs-bt-run.h"

G_BEGIN_DECLS

/* A QuantConnect LEAN backtest result file, read into what the store keeps of a run. */
typedef struct
{
  HsBtRunInfo *info;       /* (owned) profile "lean", strategy_version "lean", cache_key
                            * "lean:" + SHA-256 of the file's bytes */
  HsBtResult  *result;     /* (owned) statistics (fractions), equity curve, closed trades */
  GPtrArray   *warnings;   /* (owned) (element-type utf8) unknown or missing keys, in order */
} HsLeanResult;

HsLeanResult *hs_lean_result_parse (const char  *data,
                                    size_t       len,
                                    const char  *name,
                                    const char  *interval,
                                    GError     **error);
HsLeanResult *hs_lean_result_load  (const char  *path,
                                    const char  *interval,
                                    GError     **error);
void          hs_lean_result_free  (HsLeanResult *lean);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLeanResult, hs_lean_result_free)

G_END_DECLS
