/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-records.h"

G_BEGIN_DECLS

#define HS_PROVIDER_ERROR (hs_provider_error_quark ())

typedef enum
{
  HS_PROVIDER_ERROR_UNSUPPORTED,  /* the provider has no such data (kind or interval) */
  HS_PROVIDER_ERROR_INVALID,      /* the query cannot be asked: no symbol, beyond the lookback … */
  HS_PROVIDER_ERROR_AUTH,         /* the provider needs a token and none was given */
  HS_PROVIDER_ERROR_API,          /* the body is the provider's own error report */
  HS_PROVIDER_ERROR_RATE_LIMITED, /* the body says "too many requests": retry later */
  HS_PROVIDER_ERROR_BODY,         /* the body is not what the endpoint returns */
} HsProviderError;

/* What can be fetched. A provider's capabilities are a set of these (HS_FETCH_CAP). */
typedef enum
{
  HS_FETCH_INSTRUMENTS,  /* the instruments it lists (Kalshi markets) */
  HS_FETCH_CANDLES,      /* bars of an interval over a range */
  HS_FETCH_TRADES,       /* prints with the taker side */
  HS_FETCH_BOOK,         /* one order book snapshot */
  HS_FETCH_SNAPSHOTS,    /* the current state: Kalshi markets, top-of-book quotes */
  HS_FETCH_OPTIONS,      /* option chains (every expiration in the range) */
  HS_FETCH_N_KINDS
} HsFetchKind;

#define HS_FETCH_CAP(kind) (1u << (kind))

/* One bar interval a provider serves, with its limits. */
typedef struct
{
  const char *interval;    /* Hindsight's name: "1m", "1h", "1d" (docs/schema.md) */
  const char *code;        /* the provider's name or number for it in the request */
  int64_t     seconds;     /* its length (0 for a calendar month) */
  int64_t     lookback_s;  /* how far back from now the provider has such bars; 0 = no limit */
  int         max_rows;    /* bars per request; 0 = no stated limit */
  int64_t     window_s;    /* the longest range one request may span; 0 = no limit */
} HsProviderInterval;

typedef struct _HsProviderOps HsProviderOps;

/* A market-data provider: what it serves and its limits. Immutable, static. */
typedef struct
{
  const char               *name;             /* "kalshi": the --provider value */
  const char               *title;            /* "Kalshi" */
  const char               *default_base_url; /* without a trailing slash */
  const char               *base_url_env;     /* "HINDSIGHT_KALSHI_BASE_URL" */
  const char               *token_env;        /* (nullable) "HINDSIGHT_TRADIER_TOKEN" */
  gboolean                  needs_token;      /* requests need a bearer token */
  const char               *exchange;         /* instruments.exchange for its symbols */
  const char               *instrument_kind;  /* (nullable) instruments.kind of its symbols */
  unsigned                  capabilities;     /* HS_FETCH_CAP bits */
  double                    rate_per_second;  /* default token bucket: refill per second */
  int                       burst;            /* … and capacity */
  const HsProviderInterval *intervals;
  size_t                    n_intervals;
  int                       max_rows[HS_FETCH_N_KINDS];  /* rows per request; 0 = none */
  int                       default_depth;    /* book levels asked for when the query says 0 */
  const HsProviderOps      *ops;              /* (private) */
} HsProvider;

/* One request of a fetch. Times are µs UTC; 0 means "not given". */
typedef struct
{
  const char *symbol;      /* product, ticker or pair as the provider names it */
  const char *interval;    /* for candles */
  int64_t     from;        /* first bar start / trade time wanted */
  int64_t     to;          /* last one wanted (inclusive); 0 = up to @now */
  const char *cursor;      /* (nullable) the page's cursor: NULL for the first page */
  int         limit;       /* rows per request; 0 = the provider's maximum */
  int         depth;       /* book levels; 0 = the provider's default */
  int64_t     now;         /* when the request is made: stamps bodies that carry no time,
                            * ends open ranges and checks lookback limits */
} HsProviderQuery;

typedef struct
{
  char  *url;              /* (owned) every part escaped */
  char **headers;          /* (owned) NULL-terminated "Name: value" lines, as curl takes them */
} HsProviderRequest;

/* What a provider says about an instrument (Kalshi's market list, Yahoo's chart meta). */
typedef struct
{
  char   *symbol;          /* (owned) */
  char   *name;            /* (owned) (nullable) */
  char   *kind;            /* (owned) (nullable) instruments.kind: stock, etf, index, crypto … */
  char   *exchange;        /* (owned) (nullable) the listing venue */
  char   *currency;        /* (owned) (nullable) */
  char   *status;          /* (owned) (nullable) the provider's own word ("active") */
  char   *group;           /* (owned) (nullable) the event or series it belongs to */
  int64_t expiry;          /* µs UTC when it closes or expires; 0 if none */
} HsProviderInstrument;

typedef enum
{
  HS_CORPORATE_SPLIT,
  HS_CORPORATE_DIVIDEND,
} HsCorporateKind;

/* A split or dividend reported with bars (Yahoo's events). */
typedef struct
{
  int64_t         ts;           /* the ex-date's bar time, µs UTC */
  HsCorporateKind kind;
  double          numerator;    /* split: new shares … */
  double          denominator;  /* … per old shares (4:1 is 4 / 1); NAN for a dividend */
  double          amount;       /* dividend per share; NAN for a split */
} HsCorporateAction;

/* One quote of an option chain, with the contract it is for. */
typedef struct
{
  HsOptionContract contract;
  HsOptionQuote    quote;
} HsProviderOptionQuote;

/* One parsed response. Every row list is in ascending time; a parse that fails returns no
 * page at all, so no partial rows exist. */
typedef struct
{
  HsFetchKind kind;
  GArray     *bars;          /* HsBar */
  GArray     *trades;        /* HsTrade; seq numbers rows of one time, cvd is 0 (the job
                              * continues both across pages and from the store) */
  GArray     *books;         /* HsBookSnapshot */
  GArray     *snapshots;     /* HsMarketSnapshot */
  GArray     *quotes;        /* HsQuote (the symbol is the query's) */
  GArray     *option_quotes; /* HsProviderOptionQuote */
  GArray     *events;        /* HsCorporateAction */
  GPtrArray  *instruments;   /* HsProviderInstrument */
  char       *next_cursor;   /* (owned) (nullable) the next page's cursor; NULL when done */
  int64_t     n_skipped;     /* rows the body had but that could not be used (nulls …) */
  GPtrArray  *warnings;      /* (element-type utf8) why rows were skipped or values dropped */
} HsProviderPage;

GQuark                    hs_provider_error_quark  (void);

const char               *hs_fetch_kind_to_string   (HsFetchKind kind);
gboolean                  hs_fetch_kind_from_string (const char  *text,
                                                     HsFetchKind *out);

const HsProvider         *hs_provider_lookup        (const char  *name);
const HsProvider *const  *hs_provider_all           (size_t      *n);
gboolean                  hs_provider_supports      (const HsProvider *provider,
                                                     HsFetchKind       kind);
const HsProviderInterval *hs_provider_find_interval (const HsProvider *provider,
                                                     const char       *interval);
char                     *hs_provider_describe_limits (const HsProvider *provider);

char                     *hs_provider_base_url      (const HsProvider *provider,
                                                     const char       *explicit_url,
                                                     GError          **error);
gboolean                  hs_provider_build_request (const HsProvider      *provider,
                                                     const char            *base_url,
                                                     const char            *token,
                                                     HsFetchKind            kind,
                                                     const HsProviderQuery *query,
                                                     HsProviderRequest     *request,
                                                     GError               **error);
void                      hs_provider_request_clear (HsProviderRequest *request);

HsProviderPage           *hs_provider_parse         (const HsProvider      *provider,
                                                     HsFetchKind            kind,
                                                     const HsProviderQuery *query,
                                                     const char            *body,
                                                     size_t                 len,
                                                     GError               **error);
char                     *hs_provider_error_message (const HsProvider *provider,
                                                     const char       *body,
                                                     size_t            len);

HsProviderPage           *hs_provider_page_new      (HsFetchKind kind);
void                      hs_provider_page_free     (HsProviderPage *page);
gboolean                  hs_provider_page_done     (const HsProviderPage *page);
size_t                    hs_provider_page_rows     (const HsProviderPage *page);
void                      hs_provider_instrument_free (HsProviderInstrument *inst);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsProviderPage, hs_provider_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsProviderInstrument, hs_provider_instrument_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsProviderRequest, hs_provider_request_clear)

G_END_DECLS
