/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-ledger-records.h"
#include "hs-store.h"

G_BEGIN_DECLS

#define HS_LEDGER_N_KINDS (HS_LEDGER_RISK_DAY + 1)

/* What `import ledger` did: per record kind (HsLedgerKind), lines read and rows inserted,
 * updated and already stored; and the trade_ledger round trips it derived. */
typedef struct
{
  int64_t lines;
  int64_t rows[HS_LEDGER_N_KINDS];
  int64_t inserted[HS_LEDGER_N_KINDS];
  int64_t updated[HS_LEDGER_N_KINDS];
  int64_t present[HS_LEDGER_N_KINDS];
  int64_t trades_inserted, trades_updated, trades_present;
} HsLedgerImportResult;

gboolean hs_ledger_import (HsStore              *store,
                           const char           *path,
                           GCancellable         *cancellable,
                           HsLedgerImportResult *result,
                           GError              **error);

/* `replay`: a rule set re-run over stored bars, compared with the recorded signals and orders. */
typedef struct
{
  char    *rules_path;           /* a rule set JSON file (hs-rules-json.h) */
  char    *symbol;
  char    *exchange;             /* (nullable) */
  char    *interval;             /* (nullable) "1m" when NULL */
  int64_t  from_ts, to_ts;       /* inclusive, µs */
  int64_t  tolerance_us;         /* ≤ 0: one bar of @interval */
  double   price_tolerance_pct;  /* NAN or < 0: 0.5 */
  char    *strategy;             /* (nullable) only recorded signals of this strategy */
} HsReplayRequest;

typedef struct
{
  char    *strategy;             /* (owned) the rule set's name */
  size_t   n_bars;
  int64_t  tolerance_us;
  double   price_tolerance_pct;
  GArray  *replay;               /* (owned) HsLedgerDecision, in time order */
  GArray  *record;               /* (owned) HsLedgerDecision, in time order */
  GArray  *drift;                /* (owned) HsLedgerDrift, in time order */
  int64_t  counts[HS_DRIFT_PRICE + 1];   /* per HsDriftKind */
} HsReplayResult;

gboolean hs_ledger_replay        (HsStore               *store,
                                  const HsReplayRequest *request,
                                  HsReplayResult        *result,
                                  GError               **error);
void     hs_replay_result_clear  (HsReplayResult        *result);

G_END_DECLS
