/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-http.h"
#include "hs-job-worker.h"
#include "hs-provider.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* A fetch job (docs/fetch.md): one provider, one kind of data, one symbol, walked page by page
 * (build the request → HTTP GET → parse → store → next cursor) on the caller's thread with its
 * own database connection and HTTP client. Each page is stored in one transaction, so a failure
 * half-way keeps every page before it and nothing of the page that failed; inserts are
 * idempotent on the tables' natural keys, so fetching an overlapping range again adds nothing.
 * After the run the provider's request figures go to system_metrics (component
 * fetch.<provider>), and a provider failing three calls in a row raises a provider_error alert. */

#define HS_FETCH_ERROR (hs_fetch_error_quark ())

typedef enum
{
  HS_FETCH_ERROR_USAGE,   /* the request cannot be made: unknown provider, kind or interval … */
  HS_FETCH_ERROR_AUTH,    /* the provider needs a token and none is set */
} HsFetchError;

typedef struct
{
  char          *provider;   /* "kalshi", "coinbase", "coinbase-advanced", "yahoo", "tradier",
                              * "kraken" */
  HsFetchKind    kind;
  char          *symbol;     /* as the provider names it; "A,B" for several Kalshi markets or
                              * Tradier quotes; (nullable) only for Kalshi's instrument list */
  char          *interval;   /* (nullable) candles: 1m, 1h, 1d … */
  int64_t        from;       /* µs UTC, inclusive; 0 = not given (the provider's latest) */
  int64_t        to;         /* µs UTC, inclusive; 0 = now */
  char          *base_url;   /* (nullable) else $HINDSIGHT_<PROVIDER>_BASE_URL, else default */
  char          *token;      /* (nullable) else $HINDSIGHT_<PROVIDER>_TOKEN, else the keyring
                              * (asked only of a provider that needs a token) */
  char          *cursor;     /* (nullable) start at this page: where a stopped walk goes on */
  int64_t        now;        /* the time requests are made at, µs UTC; 0 = the clock (a test or
                              * a replay of recorded answers sets it) */
  int            limit;      /* rows per request; 0 = the provider's most */
  int            depth;      /* book levels; 0 = the provider's default */
  int            max_pages;  /* stop after this many stored pages; 0 = walk to the end */
  int            attempts;   /* HTTP attempts per request; 0 = the client's default (4) */
  int            timeout_s;  /* one attempt's total timeout; 0 = the client's default (30 s) */
  gboolean       no_health;  /* do not write the provider's figures to system_metrics */
} HsFetchRequest;

typedef struct
{
  int64_t    pages;         /* pages stored, each in its own transaction */
  int64_t    requests;      /* HTTP calls made (a call's retries are one call) */
  int64_t    attempts;      /* HTTP attempts, retries included */
  int64_t    rows;          /* rows the stored pages held */
  int64_t    inserted;      /* of them new to the database */
  int64_t    duplicates;    /* of them stored already (natural key, or the trade's id) */
  int64_t    skipped;       /* rows the provider sent that could not be used (nulls …) */
  int64_t    instruments;   /* instruments created */
  int64_t    first_ts;      /* time of the oldest and newest row stored; 0 when none */
  int64_t    last_ts;
  double     seconds;       /* wall time of the run */
  gboolean   complete;      /* the walk reached its last page */
  char      *next_cursor;   /* (owned) (nullable) where an unfinished walk goes on */
  char      *instrument;    /* (owned) (nullable) the symbol the rows were stored under */
  gboolean   alert_raised;  /* this run's failure raised a provider_error alert */
  GPtrArray *warnings;      /* (owned) (element-type utf8) what pages dropped; at most 20 */
} HsFetchResult;

/**
 * HsFetchPageFunc:
 * @store: the job's connection, inside the page's transaction
 * @next_cursor: (nullable): the cursor of the page after this one; %NULL when it was the last
 * @result: the counts so far, this page included
 *
 * Called once per page after its rows are written and before its transaction commits, so what
 * it writes (a backfill's resume point) commits with the rows or not at all.
 */
typedef gboolean (*HsFetchPageFunc) (HsStore             *store,
                                     const char          *next_cursor,
                                     const HsFetchResult *result,
                                     gpointer             user_data,
                                     GError             **error);

/* What one hs_fetch_get_page() call cost. */
typedef struct
{
  int requests;   /* HTTP calls made, one per try of a body that said "too many requests" */
  int attempts;   /* HTTP attempts, retries included, of the calls that got an answer */
  int refused;    /* answers the parser refused */
} HsFetchCall;

GQuark          hs_fetch_error_quark      (void);

void            hs_fetch_request_init     (HsFetchRequest       *request);
HsFetchRequest *hs_fetch_request_copy     (const HsFetchRequest *request);
void            hs_fetch_request_clear    (HsFetchRequest       *request);
void            hs_fetch_request_free     (HsFetchRequest       *request);
void            hs_fetch_result_init      (HsFetchResult        *result);
void            hs_fetch_result_clear     (HsFetchResult        *result);
void            hs_fetch_result_free      (HsFetchResult        *result);
void            hs_fetch_result_add       (HsFetchResult        *total,
                                           const HsFetchResult  *part);

char           *hs_fetch_instrument_symbol (const HsProvider    *provider,
                                            const char          *symbol);

gboolean        hs_fetch_run              (const char           *db_path,
                                           const HsFetchRequest *request,
                                           HsJobProgressFunc     progress,
                                           gpointer              progress_data,
                                           GCancellable         *cancellable,
                                           HsFetchResult        *result,
                                           GError              **error);
gboolean        hs_fetch_run_with         (HsStore              *store,
                                           HsHttpClient         *client,
                                           const HsFetchRequest *request,
                                           HsFetchPageFunc       page_func,
                                           gpointer              page_data,
                                           HsJobProgressFunc     progress,
                                           gpointer              progress_data,
                                           GCancellable         *cancellable,
                                           HsFetchResult        *result,
                                           GError              **error);
HsProviderPage *hs_fetch_get_page         (HsHttpClient         *client,
                                           HsHttpProvider       *http,
                                           const HsProvider     *provider,
                                           const char           *base_url,
                                           const char           *token,
                                           HsFetchKind           kind,
                                           const HsProviderQuery *query,
                                           const HsHttpOptions  *options,
                                           GCancellable         *cancellable,
                                           HsFetchCall          *call,
                                           GError              **error);
void            hs_fetch_async            (const char           *db_path,
                                           const HsFetchRequest *request,
                                           HsJobProgressFunc     progress,
                                           gpointer              progress_data,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
HsFetchResult  *hs_fetch_finish           (GAsyncResult         *result,
                                           GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsFetchRequest, hs_fetch_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsFetchResult, hs_fetch_result_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsFetchRequest, hs_fetch_request_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsFetchResult, hs_fetch_result_clear)

G_END_DECLS
