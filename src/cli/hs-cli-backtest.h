/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-backtest-job.h"
#include "hs-backtest.h"
#include "hs-bt-run.h"
#include "hs-resample.h"
#include "hs-store.h"
#include "hs-strategy.h"

G_BEGIN_DECLS

/* What `backtest`, `sweep` and `walkforward` share (hs-cli-backtest.c): the options that
 * describe a run (data, strategy, models), bound to a request of src/jobs/hs-backtest-job.h. */

typedef struct
{
  HsBacktestRequest run;
  gboolean          json;
} HsCliBtRequest;

void hs_cli_bt_add_options     (GOptionContext       *context,
                                HsCliBtRequest       *q,
                                HsBacktestMode        mode);
int  hs_cli_bt_fail            (GError               *error);
void hs_cli_bt_print_warnings  (GPtrArray            *warnings);
void hs_cli_bt_json_statistics (GString              *out,
                                const HsBtResult     *result);
void hs_cli_bt_json_trades     (GString              *out,
                                const HsBtResult     *result);

static inline void
hs_cli_bt_request_clear (HsCliBtRequest *q)
{
  hs_backtest_request_clear (&q->run);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsCliBtRequest, hs_cli_bt_request_clear)

G_END_DECLS
