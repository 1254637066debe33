/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-backtest.h"
#include "hs-resample.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* What `backtest --profile lean` reads besides the bars (hs-lean-context.c). */
typedef struct
{
  HsBtLean  input;              /* for HsBtInput.lean; points into the fields below */
  double   *bid_close;          /* (owned) (nullable) the quote at each bar */
  double   *ask_close;          /* (owned) (nullable) */
  GArray   *market_days;        /* (owned) HsMarketDay of us_equity */
  GArray   *early_close_days;   /* (owned) int64_t days */
  char     *asset_id;           /* (owned) (nullable) LEAN's security identifier */
  char     *fingerprint;        /* (owned) what the run read besides the bars, recorded in the
                                 * run's data fingerprint */
  int64_t   instrument_id;      /* the symbol's (its missing data is warned about once) */
  GPtrArray *warnings;          /* (owned) what is missing, for the user ("no price factors …") */
} HsLeanContext;

HsLeanContext  *hs_lean_context_load           (HsStore       *store,
                                        int64_t        instrument_id,
                                        const char    *symbol,
                                        const char    *interval,
                                        HsSessionKind  session,
                                        const char    *from_arg,
                                        const char    *to_arg,
                                        int64_t        from_ts,
                                        int64_t        to_ts,
                                        HsBars        *bars,
                                        GError       **error);
gboolean    hs_lean_context_prepare_bars   (HsLeanContext     *lean,
                                        HsStore       *store,
                                        int64_t        instrument_id,
                                        const char    *symbol,
                                        HsSessionKind  session,
                                        HsBars        *bars,
                                        int64_t       *first_day,
                                        GError       **error);
gboolean    hs_lean_period         (const char    *from_arg,
                                        const char    *to_arg,
                                        int64_t       *start_ts,
                                        int64_t       *end_ts,
                                        GError       **error);
const char *hs_risk_free_series    (const char    *arg);
void        hs_lean_context_free           (HsLeanContext     *lean);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsLeanContext, hs_lean_context_free)

G_END_DECLS
