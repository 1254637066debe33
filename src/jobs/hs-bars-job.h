/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-bars.h"

G_BEGIN_DECLS

/* The bars of one series, read on a worker: what the Data page's chart draws. */
typedef struct
{
  char    *symbol;      /* (owned) */
  char    *exchange;    /* (owned) (nullable) */
  char    *interval;    /* (owned) */
  int64_t  from_ts;     /* G_MININT64: from the first bar */
  int64_t  to_ts;       /* G_MAXINT64: to the last bar */
} HsBarsRequest;

void    hs_job_bars_async  (const char          *db_path,
                            const HsBarsRequest *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
HsBars *hs_job_bars_finish (GAsyncResult        *result,
                            GError             **error);

G_END_DECLS
