/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-store.h"

G_BEGIN_DECLS

/* The poller's watch list and the backfills' resume points (migrations/019, docs/fetch.md). */

/* One watch_list row. */
typedef struct
{
  int64_t  id;
  char    *provider;       /* (owned) */
  char    *symbol;         /* (owned) */
  char    *kind;           /* (owned) candles, trades, book, snapshots, options, instruments */
  char    *interval;       /* (owned) (nullable) candles only */
  double   period_s;       /* how often it runs */
  gboolean enabled;
  int64_t  created_at;
  int64_t  next_due;       /* µs UTC; 0 = at once */
  int64_t  last_run;       /* 0 = never */
  int64_t  last_success;   /* 0 = never */
  char    *last_error;     /* (owned) (nullable) of the last run, NULL after a success */
  int      failures;       /* failed runs in a row */
  int64_t  runs;
  int64_t  rows_inserted;  /* rows its runs added, in all */
} HsWatchEntry;

/* One backfill_state row. */
typedef struct
{
  int64_t  id;
  char    *provider;       /* (owned) */
  char    *symbol;         /* (owned) */
  char    *kind;           /* (owned) candles or trades */
  char    *interval;       /* (owned) (nullable) candles only */
  int64_t  start_ts;
  int64_t  end_ts;         /* 0 = to now */
  char    *cursor;         /* (owned) (nullable) the next window's cursor */
  int64_t  resume_from;    /* where the next window starts, when known; 0 otherwise */
  int64_t  covered_to;     /* done: the end the walk reached; 0 otherwise */
  gboolean done;
  int64_t  windows;
  int64_t  rows_inserted;
  int64_t  created_at;
  int64_t  updated_at;
  char    *last_error;     /* (owned) (nullable) */
} HsBackfillState;

void       hs_watch_entry_free       (HsWatchEntry    *entry);
void       hs_backfill_state_free    (HsBackfillState *state);

gboolean   hs_store_watch_add        (HsStore         *store,
                                      const char      *provider,
                                      const char      *symbol,
                                      const char      *kind,
                                      const char      *interval,
                                      double           period_s,
                                      gboolean         enabled,
                                      int64_t          now,
                                      int64_t         *id,
                                      gboolean        *created,
                                      GError         **error);
gboolean   hs_store_watch_remove     (HsStore         *store,
                                      int64_t          id,
                                      GError         **error);
gboolean   hs_store_watch_find       (HsStore         *store,
                                      const char      *provider,
                                      const char      *symbol,
                                      const char      *kind,
                                      const char      *interval,
                                      int64_t         *id,
                                      GError         **error);
GPtrArray *hs_store_watch_list       (HsStore         *store,
                                      GError         **error);
GPtrArray *hs_store_watch_due        (HsStore         *store,
                                      int64_t          now,
                                      GError         **error);
gboolean   hs_store_watch_record     (HsStore         *store,
                                      int64_t          id,
                                      int64_t          ran_at,
                                      const char      *error_message,
                                      int64_t          inserted,
                                      int64_t          next_due,
                                      GError         **error);

HsBackfillState *hs_store_backfill_get  (HsStore      *store,
                                         const char   *provider,
                                         const char   *symbol,
                                         const char   *kind,
                                         const char   *interval,
                                         int64_t       start_ts,
                                         GError      **error);
gboolean   hs_store_backfill_create  (HsStore         *store,
                                      const char      *provider,
                                      const char      *symbol,
                                      const char      *kind,
                                      const char      *interval,
                                      int64_t          start_ts,
                                      int64_t          end_ts,
                                      int64_t          now,
                                      int64_t         *id,
                                      GError         **error);
gboolean   hs_store_backfill_save    (HsStore         *store,
                                      int64_t          id,
                                      const char      *cursor,
                                      int64_t          resume_from,
                                      int64_t          rows_inserted,
                                      gboolean         done,
                                      int64_t          covered_to,
                                      int64_t          now,
                                      GError         **error);
gboolean   hs_store_backfill_restart (HsStore         *store,
                                      int64_t          id,
                                      int64_t          end_ts,
                                      int64_t          now,
                                      GError         **error);
gboolean   hs_store_backfill_fail    (HsStore         *store,
                                      int64_t          id,
                                      const char      *message,
                                      int64_t          now,
                                      GError         **error);
GPtrArray *hs_store_backfill_list    (HsStore         *store,
                                      GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsWatchEntry, hs_watch_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBackfillState, hs_backfill_state_free)

G_END_DECLS
