/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

#include "hs-fetch.h"

G_BEGIN_DECLS

/* What the live-data commands share (hs-cli-fetch.c: fetch, providers, keys; hs-cli-watch.c:
 * watch, poll, backfill). */

/* A command's work, run on a worker thread while this one waits for Ctrl-C (SIGINT, SIGTERM),
 * which cancels @cancellable. */
typedef gboolean (*HsCliWorkFunc) (gpointer      data,
                                   GCancellable *cancellable,
                                   GError      **error);

gboolean hs_cli_run_interruptible (HsCliWorkFunc         work,
                                   gpointer              data,
                                   gboolean             *interrupted,
                                   GError              **error);
int      hs_cli_fetch_status      (const GError         *error);
void     hs_cli_fetch_line        (GString              *out,
                                   const HsFetchRequest *request,
                                   const HsFetchResult  *result);
void     hs_cli_fetch_summary     (FILE                 *out,
                                   const HsFetchRequest *request,
                                   const HsFetchResult  *result);
void     hs_cli_fetch_json        (GString              *out,
                                   const HsFetchRequest *request,
                                   const HsFetchResult  *result,
                                   const GError         *error);
gboolean hs_cli_parse_now         (const char           *text,
                                   int64_t              *out,
                                   GError              **error);

/* The options fetch and backfill share, as given on the command line. */
typedef struct
{
  const char *provider, *symbol, *interval, *base_url;
  const char *from, *to, *now;   /* (nullable) times as typed */
  int         attempts, timeout;
} HsCliFetchOptions;

gboolean hs_cli_fetch_request_fill (HsFetchRequest          *request,
                                    const HsCliFetchOptions *options,
                                    int                     *status);
char    *hs_cli_prepare_db         (int                     *status);

G_END_DECLS
