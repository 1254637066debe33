/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-store.h"

G_BEGIN_DECLS

/* Retention (seed 001; docs/gaps-retention.md): trades and quotes of whole UTC days older than
 * the kept number of days are rolled into 1-minute candles (with vwap and trade count), CVD
 * snapshots and 1-minute quote bars, and then removed, one transaction per instrument and day,
 * so an interruption leaves every day either fully rolled up or untouched.
 * `hindsight-cli retention` runs it; the app can run it with hs_retention_run_async(). */

#define HS_RETENTION_DEFAULT_DAYS 30
/* A century: more would reach before any data and overflow nothing, but means nothing either. */
#define HS_RETENTION_MAX_DAYS 36500

typedef struct
{
  int      days;      /* keep this many days, 0 … HS_RETENTION_MAX_DAYS: rows of UTC days that
                       * end by now − days go */
  int64_t  now;       /* µs UTC the days count back from; 0: the clock */
  gboolean dry_run;   /* compute and count, change nothing */
} HsRetentionRequest;

/* What retention did (or, in a dry run, would do) to one instrument's day. */
typedef struct
{
  int64_t  instrument_id;
  char    *symbol;               /* (owned) */
  char    *exchange;             /* (owned) */
  int64_t  day;                  /* UTC date, days since 1970-01-01 */
  int64_t  trades;               /* trades rolled up and removed */
  int64_t  candles;              /* 1-minute candles the trades make */
  int64_t  candles_written;      /* of them new; the others were stored already and are kept */
  int64_t  cvd_written;          /* CVD snapshots added (one per minute with trades) */
  int64_t  quotes;               /* quotes rolled up and removed */
  int64_t  quote_bars;           /* 1-minute quote bars the quotes make */
  int64_t  quote_bars_written;   /* of them new */
} HsRetentionDay;

typedef struct
{
  int64_t   cutoff;     /* µs UTC, a midnight: trades and quotes before it were rolled up */
  gboolean  dry_run;
  GArray   *days;       /* (owned) (element-type HsRetentionDay) by instrument id and day */
} HsRetentionResult;

/* Progress after each instrument-day: @fraction of the days done, 0 … 1. */
typedef void (*HsRetentionProgressFunc) (double      fraction,
                                         const char *message,
                                         gpointer    user_data);

void               hs_retention_request_init (HsRetentionRequest      *request);
int64_t            hs_retention_cutoff       (const HsRetentionRequest *request);
HsRetentionResult *hs_retention_run          (HsStore                 *store,
                                              const HsRetentionRequest *request,
                                              HsRetentionProgressFunc  progress,
                                              gpointer                 progress_data,
                                              GCancellable            *cancellable,
                                              GError                 **error);
void               hs_retention_run_async    (const char              *db_path,
                                              const HsRetentionRequest *request,
                                              HsRetentionProgressFunc  progress,
                                              gpointer                 progress_data,
                                              GCancellable            *cancellable,
                                              GAsyncReadyCallback      callback,
                                              gpointer                 user_data);
HsRetentionResult *hs_retention_run_finish   (GAsyncResult            *result,
                                              GError                 **error);
void               hs_retention_result_free  (HsRetentionResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRetentionResult, hs_retention_result_free)

G_END_DECLS
