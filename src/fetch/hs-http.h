/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-provider-stats.h"

G_BEGIN_DECLS

/* The HTTP layer every provider fetch goes through (docs/http.md):
 *
 *   hs_http_global_init ();                              once, in main(), before any thread
 *   provider = hs_http_provider_get ("kalshi");          shared: rate limit and statistics
 *   client = hs_http_client_new (NULL);                  one per worker thread
 *   HsHttpRequest req = { provider, url, headers, HS_HTTP_EXPECT_JSON };
 *   response = hs_http_get (client, &req, cancellable, &error);
 *
 * hs_http_get() waits for the provider's rate limiter, retries 429, 5xx and transient network
 * failures with back-off, and returns the body of a 2xx response, or an HS_HTTP_ERROR (or
 * G_IO_ERROR_CANCELLED). Error messages name the provider, the host and path (never the query,
 * which may hold a key), the status and a short cleaned snippet of the body; header values that
 * carry secrets never appear in them. */

#define HS_HTTP_ERROR (hs_http_error_quark ())

typedef enum
{
  HS_HTTP_ERROR_FAILED,        /* anything else (bad content encoding, too many redirects …) */
  HS_HTTP_ERROR_BAD_URL,       /* malformed, or a scheme other than http and https */
  HS_HTTP_ERROR_CONNECT,       /* the host could not be resolved or connected (retried) */
  HS_HTTP_ERROR_TIMEOUT,       /* the connect or the total timeout passed (retried) */
  HS_HTTP_ERROR_NETWORK,       /* the connection broke: reset, nothing received (retried) */
  HS_HTTP_ERROR_TRUNCATED,     /* the body ended before its announced length (retried) */
  HS_HTTP_ERROR_TOO_LARGE,     /* the body is larger than max_body_bytes */
  HS_HTTP_ERROR_TLS,           /* the certificate or the TLS handshake failed */
  HS_HTTP_ERROR_STATUS,        /* a 4xx other than 429, or a 3xx not followed: never retried */
  HS_HTTP_ERROR_SERVER,        /* 5xx on every attempt */
  HS_HTTP_ERROR_RATE_LIMITED,  /* 429 on every attempt, or a Retry-After beyond the limit */
  HS_HTTP_ERROR_CONTENT_TYPE,  /* a 2xx whose Content-Type is not the expected one */
} HsHttpError;

/* Media types a JSON endpoint may answer with (HsHttpRequest.expect). */
#define HS_HTTP_EXPECT_JSON "application/json text/json"

typedef struct
{
  int     connect_timeout_ms;  /* default 10,000 */
  int     timeout_ms;          /* a whole attempt, connect to last byte; default 30,000 */
  int64_t max_body_bytes;      /* default 32 MiB (decoded) */
  int     max_redirects;       /* default 3 */
  int     max_attempts;        /* default 4: the first try and up to 3 retries */
  int     backoff_base_ms;     /* default 1,000: the first retry waits up to this */
  int     backoff_max_ms;      /* default 60,000: no back-off waits longer */
  int     max_retry_after_ms;  /* default 120,000: a longer Retry-After fails at once */
} HsHttpOptions;

typedef struct _HsRateLimiter  HsRateLimiter;
typedef struct _HsHttpProvider HsHttpProvider;
typedef struct _HsHttpClient   HsHttpClient;

/* The time source of a rate limiter, µs on any monotonic scale. */
typedef int64_t (*HsClockFunc) (gpointer data);

typedef struct
{
  HsHttpProvider     *provider;  /* (nullable): rate limit and statistics; NULL for neither */
  const char         *url;       /* http:// or https:// */
  const char * const *headers;   /* (nullable) NULL-terminated "Name: value" lines */
  const char         *expect;    /* (nullable) space-separated media types a 2xx must have
                                  * (HS_HTTP_EXPECT_JSON); NULL accepts any */
} HsHttpRequest;

typedef struct
{
  int         status;        /* the final HTTP status (2xx) */
  GBytes     *body;          /* (owned) the whole decoded body; never partial */
  char       *content_type;  /* (owned) (nullable) as sent */
  GHashTable *headers;       /* (owned) lower-case name → value of the final response; a
                              * repeated header's values joined with ", " */
  int         attempts;      /* tries it took (1 when the first succeeded) */
  int64_t     latency_us;    /* of the successful attempt */
} HsHttpResponse;

GQuark          hs_http_error_quark        (void);
void            hs_http_global_init        (void);
const char     *hs_http_user_agent         (void);
void            hs_http_options_init       (HsHttpOptions        *options);

/* One worker thread's client (not thread-safe; its own connections). */
HsHttpClient   *hs_http_client_new         (const HsHttpOptions  *options);
void            hs_http_client_free        (HsHttpClient         *client);
HsHttpResponse *hs_http_get                (HsHttpClient         *client,
                                            const HsHttpRequest  *request,
                                            GCancellable         *cancellable,
                                            GError              **error);
int             hs_http_client_get_last_status (HsHttpClient     *client);
void            hs_http_response_free      (HsHttpResponse       *response);
const char     *hs_http_response_get_header (const HsHttpResponse *response,
                                             const char           *name);

/* Providers: a rate limiter and statistics shared by every client (thread-safe). */
HsHttpProvider *hs_http_provider_new       (const char           *name,
                                            double                rate_per_second,
                                            double                burst);
HsHttpProvider *hs_http_provider_get       (const char           *name);
GPtrArray      *hs_http_provider_list      (void);
HsHttpProvider *hs_http_provider_ref       (HsHttpProvider       *provider);
void            hs_http_provider_unref     (HsHttpProvider       *provider);
const char     *hs_http_provider_get_name  (HsHttpProvider       *provider);
HsRateLimiter  *hs_http_provider_get_limiter (HsHttpProvider     *provider);
HsProviderStats *hs_http_provider_snapshot (HsHttpProvider       *provider,
                                            gboolean              reset);

/* The token bucket (thread-safe). */
HsRateLimiter  *hs_rate_limiter_new        (double                rate_per_second,
                                            double                burst);
HsRateLimiter  *hs_rate_limiter_ref        (HsRateLimiter        *limiter);
void            hs_rate_limiter_unref      (HsRateLimiter        *limiter);
void            hs_rate_limiter_set_clock  (HsRateLimiter        *limiter,
                                            HsClockFunc           clock,
                                            gpointer              data);
void            hs_rate_limiter_set_rate   (HsRateLimiter        *limiter,
                                            double                rate_per_second,
                                            double                burst);
int64_t         hs_rate_limiter_reserve    (HsRateLimiter        *limiter);
int64_t         hs_rate_limiter_pause_left (HsRateLimiter        *limiter);
double          hs_rate_limiter_get_tokens (HsRateLimiter        *limiter);
void            hs_rate_limiter_pause      (HsRateLimiter        *limiter,
                                            int64_t               delay_us);
void            hs_rate_limiter_cap        (HsRateLimiter        *limiter,
                                            double                tokens);
gboolean        hs_rate_limiter_adapt      (HsRateLimiter        *limiter,
                                            GHashTable           *headers,
                                            int64_t               now_wall_us);

/* Pure helpers, public for the tests. */
gboolean        hs_http_parse_retry_after  (const char           *value,
                                            int64_t               now_wall_us,
                                            int64_t              *delay_us);
int64_t         hs_http_backoff_delay      (const HsHttpOptions  *options,
                                            int                   retry,
                                            double                u);
char           *hs_http_sanitize_snippet   (const char           *data,
                                            size_t                len,
                                            const char * const   *secrets);
char           *hs_http_redact_url         (const char           *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsHttpClient, hs_http_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsHttpResponse, hs_http_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsHttpProvider, hs_http_provider_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRateLimiter, hs_rate_limiter_unref)

G_END_DECLS
