/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP client every provider fetch goes through (design in docs/http.md). Each worker
 * thread owns an HsHttpClient: one libcurl easy handle driven by its own multi handle, so its
 * connections stay open between requests and a GCancellable can wake the transfer loop
 * (curl_multi_wakeup) and abort it at once, even on a stalled connection. A provider
 * (HsHttpProvider, shared by all threads) holds a token-bucket rate limiter fed by the
 * providers' rate headers and Retry-After, and the request statistics the health metrics are
 * written from. Expected load: a few requests per second per provider, bodies of a few KB to a
 * few MB.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-http.h"

#include <curl/curl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define USER_AGENT "Hindsight/" PACKAGE_VERSION " (+" PACKAGE_URL ")"

/* Latencies kept per provider for the percentiles: the last this many attempts. */
#define LATENCY_WINDOW 1024
/* Cleaned body text quoted in an error message, in characters. */
#define SNIPPET_CHARS 160
/* A rate header's reset time further ahead than this is treated as broken. */
#define MAX_HEADER_PAUSE_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

G_DEFINE_QUARK (hs-http-error-quark, hs_http_error)

/**
 * hs_http_global_init:
 *
 * Initialises libcurl for the process (curl_global_init), exactly once however often it is
 * called. curl_global_init is not thread-safe on every platform, so main() calls this before
 * the first thread starts; hs_http_client_new() calls it too, as a no-op after the first time.
 */
void
hs_http_global_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      CURLcode rc = curl_global_init (CURL_GLOBAL_DEFAULT);

      if (rc != CURLE_OK)
        g_warning ("curl_global_init failed: %s", curl_easy_strerror (rc));
      g_once_init_leave (&once, 1);
    }
}

/* Returns: (transfer none): "Hindsight/VERSION (+URL)", sent with every request. */
const char *
hs_http_user_agent (void)
{
  return USER_AGENT;
}

void
hs_http_options_init (HsHttpOptions *options)
{
  g_return_if_fail (options != NULL);
  options->connect_timeout_ms = 10000;
  options->timeout_ms = 30000;
  options->max_body_bytes = G_GINT64_CONSTANT (32) * 1024 * 1024;
  options->max_redirects = 3;
  options->max_attempts = 4;
  options->backoff_base_ms = 1000;
  options->backoff_max_ms = 60000;
  options->max_retry_after_ms = 120000;
}

/* ---------------------------------------------------------------------------------------------
 * Rate limiter: a token bucket that lends tokens ahead (the debt is the queue), so concurrent
 * callers are spaced 1/rate apart in the order they asked.
 * ------------------------------------------------------------------------------------------ */

/* In a g_atomic_rc_box: shared by every client of a provider. */
struct _HsRateLimiter
{
  GMutex          lock;
  double          rate;          /* tokens per second; ≤ 0: no limit */
  double          burst;         /* the bucket's size */
  double          tokens;        /* at time `last`; negative: lent ahead */
  int64_t         last;          /* clock time tokens were counted at; in the future when paused */
  int64_t         paused_until;  /* nothing may start before this clock time */
  HsClockFunc     clock;
  gpointer        clock_data;
};

static int64_t
monotonic_clock (gpointer data)
{
  return g_get_monotonic_time ();
}

/**
 * hs_rate_limiter_new:
 * @rate_per_second: tokens added per second; 0 or less for no limit (pauses still apply)
 * @burst: the bucket's size, at least 1: how many requests may go at once after a quiet time
 *
 * Returns: (transfer full): a full bucket on the monotonic clock
 */
HsRateLimiter *
hs_rate_limiter_new (double rate_per_second,
                     double burst)
{
  HsRateLimiter *l = g_atomic_rc_box_new0 (HsRateLimiter);

  g_mutex_init (&l->lock);
  l->rate = rate_per_second;
  l->burst = MAX (burst, 1);
  l->tokens = l->burst;
  l->clock = monotonic_clock;
  l->last = l->paused_until = monotonic_clock (NULL);
  return l;
}

HsRateLimiter *
hs_rate_limiter_ref (HsRateLimiter *limiter)
{
  return g_atomic_rc_box_acquire (limiter);
}

static void
rate_limiter_clear (gpointer data)
{
  HsRateLimiter *limiter = data;

  g_mutex_clear (&limiter->lock);
}

void
hs_rate_limiter_unref (HsRateLimiter *limiter)
{
  if (limiter != NULL)
    g_atomic_rc_box_release_full (limiter, rate_limiter_clear);
}

/**
 * hs_rate_limiter_set_clock:
 * @clock: (nullable): the time source, µs; %NULL for g_get_monotonic_time()
 *
 * For tests: the bucket is refilled to full at the new clock's current time.
 */
void
hs_rate_limiter_set_clock (HsRateLimiter *limiter,
                           HsClockFunc    clock,
                           gpointer       data)
{
  g_mutex_lock (&limiter->lock);
  limiter->clock = clock != NULL ? clock : monotonic_clock;
  limiter->clock_data = data;
  limiter->last = limiter->paused_until = limiter->clock (limiter->clock_data);
  limiter->tokens = limiter->burst;
  g_mutex_unlock (&limiter->lock);
}

/* With the lock held: adds the tokens earned since `last` (none while paused). */
static int64_t
refill (HsRateLimiter *l)
{
  int64_t now = l->clock (l->clock_data);

  if (now > l->last)
    {
      if (l->rate > 0)
        l->tokens = MIN (l->burst, l->tokens + (double) (now - l->last) * l->rate / 1e6);
      l->last = now;
    }
  return now;
}

void
hs_rate_limiter_set_rate (HsRateLimiter *limiter,
                          double         rate_per_second,
                          double         burst)
{
  g_mutex_lock (&limiter->lock);
  refill (limiter);
  limiter->rate = rate_per_second;
  limiter->burst = MAX (burst, 1);
  limiter->tokens = MIN (limiter->tokens, limiter->burst);
  g_mutex_unlock (&limiter->lock);
}

/**
 * hs_rate_limiter_reserve:
 *
 * Takes one token, lending it ahead when the bucket is empty, and tells how long the caller
 * must wait before sending: 0 while tokens are left; else until the debt is earned back at the
 * rate (and never before a pause ends). A reservation is not given back.
 *
 * Returns: the wait in µs
 */
int64_t
hs_rate_limiter_reserve (HsRateLimiter *limiter)
{
  int64_t now, start;

  g_return_val_if_fail (limiter != NULL, 0);
  g_mutex_lock (&limiter->lock);
  now = refill (limiter);
  if (limiter->rate > 0)
    {
      limiter->tokens -= 1;
      start = limiter->last;
      if (limiter->tokens < 0)
        start += (int64_t) ceil (-limiter->tokens * 1e6 / limiter->rate);
    }
  else
    start = limiter->paused_until;
  start = MAX (start, limiter->paused_until);
  g_mutex_unlock (&limiter->lock);
  return MAX (start - now, 0);
}

/* Returns: how much of a pause is left, µs (0 when none): a caller that waited for its
 * reservation checks this before sending, since a pause may have begun meanwhile. */
int64_t
hs_rate_limiter_pause_left (HsRateLimiter *limiter)
{
  int64_t left;

  g_mutex_lock (&limiter->lock);
  left = limiter->paused_until - limiter->clock (limiter->clock_data);
  g_mutex_unlock (&limiter->lock);
  return MAX (left, 0);
}

/* Returns: the tokens in the bucket now (negative: lent ahead to waiting callers). */
double
hs_rate_limiter_get_tokens (HsRateLimiter *limiter)
{
  double tokens;

  g_mutex_lock (&limiter->lock);
  refill (limiter);
  tokens = limiter->tokens;
  g_mutex_unlock (&limiter->lock);
  return tokens;
}

/**
 * hs_rate_limiter_pause:
 * @delay_us: from now
 *
 * Nothing starts before now + @delay_us (a Retry-After, an exhausted rate window). The bucket
 * earns nothing while paused and keeps at most one token, so the first request goes when the
 * pause ends and the next ones at the rate, rather than a burst the server would refuse again.
 */
void
hs_rate_limiter_pause (HsRateLimiter *limiter,
                       int64_t        delay_us)
{
  int64_t until;

  g_return_if_fail (limiter != NULL);
  if (delay_us <= 0)
    return;
  g_mutex_lock (&limiter->lock);
  until = refill (limiter) + delay_us;
  limiter->paused_until = MAX (limiter->paused_until, until);
  limiter->last = MAX (limiter->last, until);
  limiter->tokens = MIN (limiter->tokens, 1);
  g_mutex_unlock (&limiter->lock);
}

/* Keeps at most @tokens in the bucket now (a server said only so many requests remain). */
void
hs_rate_limiter_cap (HsRateLimiter *limiter,
                     double         tokens)
{
  g_mutex_lock (&limiter->lock);
  refill (limiter);
  limiter->tokens = MIN (limiter->tokens, tokens);
  g_mutex_unlock (&limiter->lock);
}

static gboolean
parse_header_number (GHashTable *headers,
                     const char *name,
                     const char *other,
                     double     *out)
{
  const char *text = g_hash_table_lookup (headers, name);
  char *end = NULL;

  if (text == NULL && other != NULL)
    text = g_hash_table_lookup (headers, other);
  if (text == NULL)
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  return end != text && end != NULL && *end == '\0' && isfinite (*out);
}

/**
 * hs_rate_limiter_adapt:
 * @headers: a response's headers, lower-case names (HsHttpResponse.headers)
 * @now_wall_us: the wall-clock time now, µs UTC (a parameter so tests can fix it)
 *
 * Follows the rate headers a provider sends: the requests left in the current window
 * (`X-Ratelimit-Available`, Tradier; `X-Ratelimit-Remaining`, Alpaca and others) and when the
 * window resets (`X-Ratelimit-Expiry`, epoch ms, Tradier; `X-Ratelimit-Reset`). A reset value
 * above 10¹² is read as epoch ms, above 10⁹ as epoch s, else as seconds from now. With requests
 * left the bucket keeps at most that many tokens; with none it pauses until the reset (or for
 * one second when no reset is given).
 *
 * Returns: whether the headers carried a remaining count
 */
gboolean
hs_rate_limiter_adapt (HsRateLimiter *limiter,
                       GHashTable    *headers,
                       int64_t        now_wall_us)
{
  double remaining, reset;
  int64_t delay = G_USEC_PER_SEC;

  g_return_val_if_fail (limiter != NULL, FALSE);
  if (headers == NULL
      || !parse_header_number (headers, "x-ratelimit-available", "x-ratelimit-remaining",
                               &remaining))
    return FALSE;
  if (remaining >= 1)
    {
      hs_rate_limiter_cap (limiter, floor (remaining));
      return TRUE;
    }
  if (parse_header_number (headers, "x-ratelimit-expiry", "x-ratelimit-reset", &reset))
    {
      double us;

      if (reset >= 1e12)
        us = reset * 1000 - (double) now_wall_us;
      else if (reset >= 1e9)
        us = reset * 1e6 - (double) now_wall_us;
      else
        us = reset * 1e6;
      /* Clamped as a double: a broken header ("1e300") must not overflow the conversion. */
      delay = (int64_t) CLAMP (us, 0, (double) MAX_HEADER_PAUSE_US);
    }
  hs_rate_limiter_cap (limiter, 0);
  hs_rate_limiter_pause (limiter, delay);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * Providers: a limiter and the statistics of the requests made to one provider.
 * ------------------------------------------------------------------------------------------ */

/* In a g_atomic_rc_box: shared by every client that names it. */
struct _HsHttpProvider
{
  char           *name;
  HsRateLimiter  *limiter;
  GMutex          lock;           /* guards everything below */
  HsProviderStats stats;          /* the counters (the percentiles are made by the snapshot) */
  double          latency_ms[LATENCY_WINDOW];
  size_t          n_latency;      /* samples in the window, ≤ LATENCY_WINDOW */
  size_t          next_latency;   /* where the next sample goes (a ring) */
};

/**
 * hs_http_provider_new:
 * @name: the provider's id ("kalshi"); system_metrics rows go to component fetch.@name
 *
 * Returns: (transfer full): a provider of its own, with a rate limiter of @rate_per_second and
 *   @burst (hs_rate_limiter_new()), and zero statistics. Most code wants the shared one of
 *   hs_http_provider_get().
 */
HsHttpProvider *
hs_http_provider_new (const char *name,
                      double      rate_per_second,
                      double      burst)
{
  HsHttpProvider *p = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  p = g_atomic_rc_box_new0 (HsHttpProvider);
  g_mutex_init (&p->lock);
  p->name = g_strdup (name);
  p->limiter = hs_rate_limiter_new (rate_per_second, burst);
  p->stats.provider = p->name;   /* borrowed: hs_provider_stats_copy() copies it */
  p->stats.interval_start = g_get_real_time ();
  p->stats.rows_per_second = NAN;
  return p;
}

HsHttpProvider *
hs_http_provider_ref (HsHttpProvider *provider)
{
  return g_atomic_rc_box_acquire (provider);
}

static void
provider_clear (gpointer data)
{
  HsHttpProvider *provider = data;

  hs_rate_limiter_unref (provider->limiter);
  g_mutex_clear (&provider->lock);
  g_free (provider->name);
  g_free (provider->stats.last_error);
}

void
hs_http_provider_unref (HsHttpProvider *provider)
{
  if (provider != NULL)
    g_atomic_rc_box_release_full (provider, provider_clear);
}

const char *
hs_http_provider_get_name (HsHttpProvider *provider)
{
  return provider->name;
}

/* Returns: (transfer none): the provider's limiter, e.g. to pause it on a throttle reported in
 * a body (Kraken's "EService:Throttled"). */
HsRateLimiter *
hs_http_provider_get_limiter (HsHttpProvider *provider)
{
  return provider->limiter;
}

/* The request budgets of docs/http.md (PROVIDERS.md §1): conservative, since a 429 costs more
 * than a wait. */
static const struct
{
  const char *name;
  double      rate, burst;
} default_rates[] = {
  { "kalshi", 10, 10 },     /* keyless budget undocumented; stay at or under 10/s */
  { "coinbase", 10, 15 },   /* 10/s per IP, burst 15 */
  { "kraken", 1, 1 },       /* about 1/s per IP, unpublished */
  { "yahoo", 0.5, 2 },      /* unofficial: one request per 1–2 s */
  { "tradier", 2, 5 },      /* 120/min per token; the rate headers refine it */
};

static GMutex registry_lock;
static GHashTable *registry;   /* name → HsHttpProvider (owned) */

/**
 * hs_http_provider_get:
 *
 * The process-wide provider of @name, made on first use with the budget docs/http.md lists
 * for it (5 requests per second, burst 5, for a name not listed). Every client that names it
 * shares its limiter and statistics. Thread-safe.
 *
 * Returns: (transfer full): a reference to it
 */
HsHttpProvider *
hs_http_provider_get (const char *name)
{
  HsHttpProvider *p;

  g_return_val_if_fail (name != NULL, NULL);
  g_mutex_lock (&registry_lock);
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) hs_http_provider_unref);
  p = g_hash_table_lookup (registry, name);
  if (p == NULL)
    {
      double rate = 5, burst = 5;

      for (size_t i = 0; i < G_N_ELEMENTS (default_rates); i++)
        if (g_str_equal (name, default_rates[i].name))
          {
            rate = default_rates[i].rate;
            burst = default_rates[i].burst;
          }
      p = hs_http_provider_new (name, rate, burst);
      g_hash_table_insert (registry, p->name, p);
    }
  hs_http_provider_ref (p);
  g_mutex_unlock (&registry_lock);
  return p;
}

/* Returns: (transfer full) (element-type HsHttpProvider): the providers hs_http_provider_get()
 * made so far, by name, e.g. to write each one's statistics. */
GPtrArray *
hs_http_provider_list (void)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_http_provider_unref);
  g_autoptr(GList) names = NULL;

  g_mutex_lock (&registry_lock);
  if (registry != NULL)
    names = g_list_sort (g_hash_table_get_keys (registry), (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    g_ptr_array_add (out, hs_http_provider_ref (g_hash_table_lookup (registry, l->data)));
  g_mutex_unlock (&registry_lock);
  return out;
}

/**
 * hs_http_provider_snapshot:
 * @reset: start a new interval: the counters and latencies go back to zero (the failure streak
 *   and the last error stay, they are not per interval)
 *
 * Returns: (transfer full): the statistics since the last reset (or since the provider was
 *   made), with the latency percentiles over the interval's last 1,024 attempts that got a
 *   response; rows_per_second NAN (the fetch job fills it in).
 */
HsProviderStats *
hs_http_provider_snapshot (HsHttpProvider *provider,
                           gboolean        reset)
{
  HsProviderStats *s;
  double sorted[LATENCY_WINDOW];
  size_t n;

  g_mutex_lock (&provider->lock);
  s = hs_provider_stats_copy (&provider->stats);
  s->ts = g_get_real_time ();
  n = provider->n_latency;
  memcpy (sorted, provider->latency_ms, n * sizeof *sorted);
  if (reset)
    {
      HsProviderStats *c = &provider->stats;

      c->interval_start = s->ts;
      c->requests = c->successes = c->errors = c->http_429 = c->retries = c->bytes = 0;
      provider->n_latency = provider->next_latency = 0;
    }
  g_mutex_unlock (&provider->lock);
  s->latency_samples = (int64_t) n;
  s->latency_p50_ms = hs_percentile_nearest_rank (sorted, n, 0.50);
  s->latency_p95_ms = hs_percentile_nearest_rank (sorted, n, 0.95);
  s->latency_p99_ms = hs_percentile_nearest_rank (sorted, n, 0.99);
  return s;
}

/* An attempt was sent (@retry: not the call's first). */
static void
note_attempt (HsHttpProvider *p,
              gboolean        retry)
{
  if (p == NULL)
    return;
  g_mutex_lock (&p->lock);
  p->stats.requests++;
  p->stats.retries += retry;
  g_mutex_unlock (&p->lock);
}

/* An attempt got a response with @status after @latency_us. */
static void
note_response (HsHttpProvider *p,
               int             status,
               int64_t         latency_us,
               size_t          bytes)
{
  if (p == NULL)
    return;
  g_mutex_lock (&p->lock);
  p->stats.http_429 += status == 429;
  p->stats.bytes += (int64_t) bytes;
  p->latency_ms[p->next_latency] = (double) latency_us / 1000.0;
  p->next_latency = (p->next_latency + 1) % LATENCY_WINDOW;
  p->n_latency = MIN (p->n_latency + 1, LATENCY_WINDOW);
  g_mutex_unlock (&p->lock);
}

/* A call ended: @message NULL for a success. */
static void
note_outcome (HsHttpProvider *p,
              const char     *message)
{
  if (p == NULL)
    return;
  g_mutex_lock (&p->lock);
  if (message == NULL)
    {
      p->stats.successes++;
      p->stats.consecutive_failures = 0;
      p->stats.streak_started = 0;
    }
  else
    {
      p->stats.errors++;
      if (p->stats.consecutive_failures++ == 0)
        p->stats.streak_started = g_get_real_time ();
      g_free (p->stats.last_error);
      p->stats.last_error = g_strdup (message);
    }
  g_mutex_unlock (&p->lock);
}

/* ---------------------------------------------------------------------------------------------
 * Pure helpers
 * ------------------------------------------------------------------------------------------ */

/**
 * hs_http_parse_retry_after:
 * @value: a Retry-After header: delta seconds ("120") or an HTTP-date
 *   ("Wed, 21 Oct 2015 07:28:00 GMT")
 * @now_wall_us: the wall-clock time now, µs UTC
 * @delay_us: (out): how long to wait from now; 0 for a date in the past
 *
 * Returns: whether @value was understood
 */
gboolean
hs_http_parse_retry_after (const char *value,
                           int64_t     now_wall_us,
                           int64_t    *delay_us)
{
  g_autofree char *text = NULL;
  time_t when;

  if (value == NULL)
    return FALSE;
  text = g_strstrip (g_strdup (value));
  if (text[0] != '\0' && strspn (text, "0123456789") == strlen (text))
    {
      guint64 seconds = 0;

      /* Anything over a day is as good as "never"; capping keeps the product in range. */
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &seconds, NULL))
        seconds = 86400;
      *delay_us = (int64_t) MIN (seconds, 86400) * G_USEC_PER_SEC;
      return TRUE;
    }
  when = curl_getdate (text, NULL);
  if (when == (time_t) -1)
    return FALSE;
  *delay_us = MAX ((int64_t) when * G_USEC_PER_SEC - now_wall_us, 0);
  return TRUE;
}

/**
 * hs_http_backoff_delay:
 * @retry: 1 for the first retry, 2 for the second …
 * @u: a uniform random number in [0, 1)
 *
 * Exponential back-off with full jitter: @u × min(backoff_max, backoff_base × 2^(@retry−1)).
 *
 * Returns: the wait in µs
 */
int64_t
hs_http_backoff_delay (const HsHttpOptions *options,
                       int                  retry,
                       double               u)
{
  double ceiling = (double) options->backoff_base_ms * ldexp (1.0, CLAMP (retry - 1, 0, 40));

  ceiling = MIN (ceiling, (double) options->backoff_max_ms);
  return (int64_t) (u * ceiling * 1000.0);
}

/**
 * hs_http_sanitize_snippet:
 * @secrets: (nullable): NULL-terminated strings that must not appear (header values)
 *
 * A body made fit for an error message: valid UTF-8, every run of white space and control
 * characters one space, each secret replaced by "[redacted]", at most 160 characters (then
 * "…").
 *
 * Returns: (transfer full): the text, "" for an empty body
 */
char *
hs_http_sanitize_snippet (const char         *data,
                          size_t              len,
                          const char * const *secrets)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;
  const char *p;
  long n = 0;

  /* Enough bytes for the snippet and for a secret cut at its end to be seen whole. */
  valid = g_utf8_make_valid (data != NULL ? data : "", (gssize) MIN (len, 4096));
  for (p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  for (size_t i = 0; secrets != NULL && secrets[i] != NULL; i++)
    if (strlen (secrets[i]) >= 4)
      g_string_replace (out, secrets[i], "[redacted]", 0);
  for (p = out->str; *p && n < SNIPPET_CHARS; p = g_utf8_next_char (p))
    n++;
  if (*p)
    {
      g_string_truncate (out, (gsize) (p - out->str));
      g_string_append (out, "…");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * hs_http_redact_url:
 *
 * Returns: (transfer full): "host[:port]/path" of @url, without the scheme, user information,
 *   query and fragment (a query may carry a key), for messages
 */
char *
hs_http_redact_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *host;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
    return g_strdup ("(invalid URL)");
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d%s", host, g_uri_get_port (uri), g_uri_get_path (uri));
  return g_strdup_printf ("%s%s", host, g_uri_get_path (uri));
}

/* ---------------------------------------------------------------------------------------------
 * The client
 * ------------------------------------------------------------------------------------------ */

struct _HsHttpClient
{
  HsHttpOptions options;
  CURL         *easy;       /* (owned) reused for every request */
  CURLM        *multi;      /* (owned) drives easy; owns the connection cache */
  GRand        *rand;       /* (owned) the back-off's jitter */
  int           last_status;
  char          errbuf[CURL_ERROR_SIZE];
};

/* What one attempt collects. */
typedef struct
{
  GByteArray *body;
  GHashTable *headers;
  int64_t     max_body;
  gboolean    too_large;
} Transfer;

static size_t
write_cb (char   *data,
          size_t  size,
          size_t  n,
          void   *user_data)
{
  Transfer *t = user_data;
  size_t len = size * n;

  if ((int64_t) (t->body->len + len) > t->max_body)
    {
      t->too_large = TRUE;
      return 0;   /* anything but len aborts the transfer */
    }
  g_byte_array_append (t->body, (const guint8 *) data, (guint) len);
  return len;
}

static size_t
header_cb (char   *data,
           size_t  size,
           size_t  n,
           void   *user_data)
{
  Transfer *t = user_data;
  size_t len = size * n;
  const char *colon;
  g_autofree char *name = NULL;
  char *value, *old;

  /* A status line starts a new response (after a redirect or a 100 Continue): forget the last
   * one's headers and body. */
  if (len >= 5 && memcmp (data, "HTTP/", 5) == 0)
    {
      g_hash_table_remove_all (t->headers);
      g_byte_array_set_size (t->body, 0);
      return len;
    }
  colon = memchr (data, ':', len);
  if (colon == NULL || colon == data)
    return len;
  name = g_ascii_strdown (data, colon - data);
  g_strstrip (name);
  value = g_strstrip (g_strndup (colon + 1, len - (size_t) (colon + 1 - data)));
  old = g_hash_table_lookup (t->headers, name);
  if (old != NULL)
    {
      char *joined = g_strconcat (old, ", ", value, NULL);

      g_free (value);
      value = joined;
    }
  g_hash_table_replace (t->headers, g_steal_pointer (&name), value);
  return len;
}

/**
 * hs_http_client_new:
 * @options: (nullable): %NULL for the defaults of hs_http_options_init()
 *
 * A client for one worker thread: use it from that thread only. TLS peers are always verified
 * (there is no option to turn it off); only http and https are spoken, on redirects too.
 *
 * Returns: (transfer full): the client
 */
HsHttpClient *
hs_http_client_new (const HsHttpOptions *options)
{
  HsHttpClient *c = g_new0 (HsHttpClient, 1);

  hs_http_global_init ();
  if (options != NULL)
    c->options = *options;
  else
    hs_http_options_init (&c->options);
  c->options.max_attempts = MAX (c->options.max_attempts, 1);
  c->easy = curl_easy_init ();
  c->multi = curl_multi_init ();
  c->rand = g_rand_new ();
  g_assert (c->easy != NULL && c->multi != NULL);
  curl_easy_setopt (c->easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (c->easy, CURLOPT_USERAGENT, USER_AGENT);
  curl_easy_setopt (c->easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt (c->easy, CURLOPT_CONNECTTIMEOUT_MS, (long) c->options.connect_timeout_ms);
  curl_easy_setopt (c->easy, CURLOPT_TIMEOUT_MS, (long) c->options.timeout_ms);
  curl_easy_setopt (c->easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (c->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (c->easy, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt (c->easy, CURLOPT_MAXREDIRS, (long) c->options.max_redirects);
  curl_easy_setopt (c->easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (c->easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt (c->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) c->options.max_body_bytes);
  curl_easy_setopt (c->easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt (c->easy, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (c->easy, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (c->easy, CURLOPT_ERRORBUFFER, c->errbuf);
  return c;
}

void
hs_http_client_free (HsHttpClient *client)
{
  if (client == NULL)
    return;
  curl_multi_cleanup (client->multi);
  curl_easy_cleanup (client->easy);
  g_rand_free (client->rand);
  g_free (client);
}

/* Returns: the HTTP status of the client's last attempt (0 when it got no response), e.g. to
 * tell a 404 from a 401 after an HS_HTTP_ERROR_STATUS. */
int
hs_http_client_get_last_status (HsHttpClient *client)
{
  return client->last_status;
}

void
hs_http_response_free (HsHttpResponse *response)
{
  if (response == NULL)
    return;
  g_bytes_unref (response->body);
  g_free (response->content_type);
  g_hash_table_unref (response->headers);
  g_free (response);
}

/* Returns: (transfer none) (nullable): the value of header @name (any case). */
const char *
hs_http_response_get_header (const HsHttpResponse *response,
                             const char           *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_hash_table_lookup (response->headers, lower);
}

/* Runs on the cancelling thread: makes curl_multi_poll() in the client's thread return now. */
static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  HsHttpClient *client = user_data;

  curl_multi_wakeup (client->multi);
}

/* Waits @us, or less when @cancellable fires. Returns: FALSE when cancelled. */
static gboolean
client_sleep (HsHttpClient *client,
              int64_t       us,
              GCancellable *cancellable)
{
  int64_t deadline = g_get_monotonic_time () + us;
  gulong handler = 0;

  if (us > 0 && cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), client, NULL);
  while (us > 0 && !g_cancellable_is_cancelled (cancellable))
    {
      int64_t left = deadline - g_get_monotonic_time ();

      if (left <= 0)
        break;
      /* With no transfer added, this only waits: for the time or for curl_multi_wakeup(). */
      curl_multi_poll (client->multi, NULL, 0, (int) MIN ((left + 999) / 1000, 1000), NULL);
    }
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  return !g_cancellable_is_cancelled (cancellable);
}

/* Runs the configured transfer until it ends or @cancellable fires (*cancelled). */
static CURLcode
perform (HsHttpClient *client,
         GCancellable *cancellable,
         gboolean     *cancelled)
{
  CURLcode result = CURLE_OK;
  gulong handler = 0;
  int running = 1;

  *cancelled = FALSE;
  if (curl_multi_add_handle (client->multi, client->easy) != CURLM_OK)
    return CURLE_FAILED_INIT;
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), client, NULL);
  for (;;)
    {
      if (curl_multi_perform (client->multi, &running) != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          *cancelled = TRUE;
          break;
        }
      if (running == 0)
        break;
      if (curl_multi_poll (client->multi, NULL, 0, 1000, NULL) != CURLM_OK)
        {
          result = CURLE_FAILED_INIT;
          break;
        }
    }
  if (running == 0 && result == CURLE_OK)
    {
      CURLMsg *msg;
      int left;

      while ((msg = curl_multi_info_read (client->multi, &left)) != NULL)
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == client->easy)
          result = msg->data.result;
    }
  /* Removing an unfinished transfer closes its connection: nothing of it is reused. */
  curl_multi_remove_handle (client->multi, client->easy);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  return result;
}

static gboolean
is_secret_header (const char *name)
{
  static const char * const words[] = { "authorization", "key", "secret", "token", "signature",
                                        "passphrase", "cookie", "password", NULL };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (size_t i = 0; words[i] != NULL; i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The values of @request's secret-carrying headers and query parameters, and each one's last
 * word ("Bearer TOKEN" → "TOKEN"), so they can be cut out of anything quoted. */
static GPtrArray *
collect_secrets (const HsHttpRequest *request)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GUri) uri = g_uri_parse (request->url, G_URI_FLAGS_ENCODED, NULL);

  for (size_t i = 0; request->headers != NULL && request->headers[i] != NULL; i++)
    {
      const char *line = request->headers[i], *colon = strchr (line, ':');
      g_autofree char *name = NULL;
      char *value, *word;

      if (colon == NULL)
        continue;
      name = g_strndup (line, colon - line);
      if (!is_secret_header (name))
        continue;
      value = g_strstrip (g_strdup (colon + 1));
      word = strrchr (value, ' ');
      if (word != NULL)
        g_ptr_array_add (out, g_strdup (word + 1));
      g_ptr_array_add (out, value);
    }
  if (uri != NULL && g_uri_get_query (uri) != NULL)
    {
      GUriParamsIter iter;
      char *name, *value;

      g_uri_params_iter_init (&iter, g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE);
      while (g_uri_params_iter_next (&iter, &name, &value, NULL))
        {
          if (is_secret_header (name))
            g_ptr_array_add (out, g_steal_pointer (&value));
          g_free (name);
          g_free (value);
        }
    }
  g_ptr_array_add (out, NULL);
  return out;
}

static gboolean
has_header (const char * const *headers,
            const char         *name)
{
  size_t len = strlen (name);

  for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
    if (g_ascii_strncasecmp (headers[i], name, len) == 0 && headers[i][len] == ':')
      return TRUE;
  return FALSE;
}

/* The request's header lines, plus an Accept naming the expected types unless it has one. */
static struct curl_slist *
build_headers (const HsHttpRequest *request)
{
  struct curl_slist *list = NULL;

  for (size_t i = 0; request->headers != NULL && request->headers[i] != NULL; i++)
    list = curl_slist_append (list, request->headers[i]);
  if (request->expect != NULL && !has_header (request->headers, "Accept"))
    {
      g_auto(GStrv) types = g_strsplit_set (request->expect, " ,", -1);
      g_autoptr(GString) accept = g_string_new ("Accept:");

      for (size_t i = 0; types[i] != NULL; i++)
        if (types[i][0] != '\0')
          g_string_append_printf (accept, "%s %s", accept->len > 7 ? "," : "", types[i]);
      list = curl_slist_append (list, accept->str);
    }
  return list;
}

/* Whether @content_type's media type is one of the space-separated @expect. */
static gboolean
content_type_ok (const char *content_type,
                 const char *expect)
{
  g_autofree char *media = NULL;
  g_auto(GStrv) types = NULL;

  if (expect == NULL)
    return TRUE;
  if (content_type == NULL)
    return FALSE;
  media = g_ascii_strdown (content_type, strcspn (content_type, ";"));
  g_strstrip (media);
  types = g_strsplit_set (expect, " ,", -1);
  for (size_t i = 0; types[i] != NULL; i++)
    if (types[i][0] != '\0' && g_ascii_strcasecmp (types[i], media) == 0)
      return TRUE;
  return FALSE;
}

/* An HsHttpError for a failed transfer, and whether it is worth another attempt. */
static int
classify (CURLcode  code,
          gboolean  too_large,
          gboolean *transient)
{
  *transient = FALSE;
  if (too_large || code == CURLE_FILESIZE_EXCEEDED)
    return HS_HTTP_ERROR_TOO_LARGE;
  switch (code)
    {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return HS_HTTP_ERROR_BAD_URL;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      *transient = TRUE;
      return HS_HTTP_ERROR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
      *transient = TRUE;
      return HS_HTTP_ERROR_TIMEOUT;
    case CURLE_PARTIAL_FILE:
      *transient = TRUE;
      return HS_HTTP_ERROR_TRUNCATED;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      *transient = TRUE;
      return HS_HTTP_ERROR_NETWORK;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return HS_HTTP_ERROR_TLS;
    default:
      return HS_HTTP_ERROR_FAILED;
    }
}

/* Ends a failed call: counts it for the provider and sets @error to
 * "PROVIDER: GET HOST/PATH: WHAT[ (after N attempts)]". */
static void
fail (GError             **error,
      HsHttpProvider      *provider,
      const char          *where,
      int                  code,
      int                  attempts,
      const char * const  *secrets,
      const char          *format,
      ...) G_GNUC_PRINTF (7, 8);

static void
fail (GError             **error,
      HsHttpProvider      *provider,
      const char          *where,
      int                  code,
      int                  attempts,
      const char * const  *secrets,
      const char          *format,
      ...)
{
  g_autofree char *what = NULL, *clean = NULL, *message = NULL;
  g_autofree char *tries = attempts > 1 ? g_strdup_printf (" (after %d attempts)", attempts)
                                        : g_strdup ("");
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* Whatever a server or libcurl put in the text, no secret of the request gets out. */
  for (size_t i = 0; secrets != NULL && secrets[i] != NULL; i++)
    if (strlen (secrets[i]) >= 4)
      {
        g_autoptr(GString) s = g_string_new (what);

        g_string_replace (s, secrets[i], "[redacted]", 0);
        g_free (what);
        what = g_string_free (g_steal_pointer (&s), FALSE);
      }
  message = g_strdup_printf ("%s%sGET %s: %s%s", provider != NULL ? provider->name : "",
                             provider != NULL ? ": " : "", where, what, tries);
  note_outcome (provider, message);
  g_set_error_literal (error, HS_HTTP_ERROR, code, message);
}

/* "HTTP 401: Invalid Access Token" or "HTTP 404 (empty body)". */
static char *
status_text (int                 status,
             const GByteArray   *body,
             const char * const *secrets)
{
  g_autofree char *snippet = hs_http_sanitize_snippet ((const char *) body->data, body->len,
                                                       secrets);

  if (snippet[0] == '\0')
    return g_strdup_printf ("HTTP %d (empty body)", status);
  return g_strdup_printf ("HTTP %d: %s", status, snippet);
}

/**
 * hs_http_get:
 * @client: the calling thread's client
 * @request: what to fetch; its strings are only read during the call
 * @cancellable: (nullable): aborts the transfer or the wait in progress within milliseconds
 *
 * Fetches @request->url. Before each attempt it takes a token of the provider's rate limiter
 * (waiting if needed). A 429, a 5xx, a timeout, a refused or broken connection and a
 * truncated body are tried again, up to max_attempts in all, after the Retry-After the server
 * gave or else an exponential back-off with full jitter (hs_http_backoff_delay()); a 429 also
 * pauses the provider for every thread. Any other status is an error at once
 * (HS_HTTP_ERROR_STATUS, with the status and a cleaned snippet of the body), as are a body
 * over max_body_bytes (HS_HTTP_ERROR_TOO_LARGE) and a 2xx of another content type than
 * @request->expect (HS_HTTP_ERROR_CONTENT_TYPE). The provider's statistics count every attempt
 * and the outcome; a cancellation counts as neither success nor failure.
 *
 * Returns: (transfer full): the 2xx response with its whole body, or %NULL with @error set
 *   (G_IO_ERROR_CANCELLED when cancelled)
 */
HsHttpResponse *
hs_http_get (HsHttpClient        *client,
             const HsHttpRequest *request,
             GCancellable        *cancellable,
             GError             **error)
{
  HsHttpProvider *provider;
  g_autoptr(GPtrArray) secrets = NULL;
  g_autofree char *where = NULL;
  struct curl_slist *headers = NULL;
  const char * const *secret_list;
  HsHttpResponse *response = NULL;
  int attempt;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (request != NULL && request->url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  provider = request->provider;
  secrets = collect_secrets (request);
  secret_list = (const char * const *) secrets->pdata;
  where = hs_http_redact_url (request->url);
  headers = build_headers (request);
  curl_easy_setopt (client->easy, CURLOPT_URL, request->url);
  curl_easy_setopt (client->easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt (client->easy, CURLOPT_HTTPHEADER, headers);
  client->last_status = 0;

  for (attempt = 1; ; attempt++)
    {
      g_autoptr(GByteArray) body = g_byte_array_new ();
      g_autoptr(GHashTable) response_headers = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                      g_free, g_free);
      Transfer t = { body, response_headers, client->options.max_body_bytes, FALSE };
      int64_t t0, latency, delay = -1;
      gboolean cancelled, transient;
      long status = 0;
      CURLcode code;
      char *content_type = NULL;

      if (provider != NULL)
        {
          int64_t wait = hs_rate_limiter_reserve (provider->limiter);

          /* A pause may begin while this caller waits its turn (another thread's 429). */
          do
            if (!client_sleep (client, wait, cancellable))
              goto cancelled;
          while ((wait = hs_rate_limiter_pause_left (provider->limiter)) > 0);
        }
      if (g_cancellable_is_cancelled (cancellable))
        goto cancelled;

      curl_easy_setopt (client->easy, CURLOPT_WRITEDATA, &t);
      curl_easy_setopt (client->easy, CURLOPT_HEADERDATA, &t);
      client->errbuf[0] = '\0';
      note_attempt (provider, attempt > 1);
      t0 = g_get_monotonic_time ();
      code = perform (client, cancellable, &cancelled);
      latency = g_get_monotonic_time () - t0;
      if (cancelled)
        goto cancelled;
      curl_easy_getinfo (client->easy, CURLINFO_RESPONSE_CODE, &status);
      client->last_status = (int) status;

      if (code != CURLE_OK)
        {
          int err = classify (code, t.too_large, &transient);

          if (err == HS_HTTP_ERROR_TOO_LARGE)
            {
              fail (error, provider, where, err, attempt, secret_list,
                   "the response is larger than the limit of %" G_GINT64_FORMAT
                   " bytes", client->options.max_body_bytes);
              break;
            }
          if (!transient || attempt >= client->options.max_attempts)
            {
              fail (error, provider, where, err, attempt, secret_list, "%s",
                   client->errbuf[0] != '\0' ? client->errbuf
                                             : curl_easy_strerror (code));
              break;
            }
        }
      else
        {
          const char *retry_after = g_hash_table_lookup (response_headers, "retry-after");

          note_response (provider, (int) status, latency, body->len);
          if (provider != NULL)
            hs_rate_limiter_adapt (provider->limiter, response_headers, g_get_real_time ());
          if (status >= 200 && status < 300)
            {
              curl_easy_getinfo (client->easy, CURLINFO_CONTENT_TYPE, &content_type);
              if (!content_type_ok (content_type, request->expect))
                {
                  g_autofree char *snippet = hs_http_sanitize_snippet ((const char *) body->data,
                                                                       body->len, secret_list);
                  g_auto(GStrv) types = g_strsplit (request->expect, " ", -1);
                  g_autofree char *wanted = g_strjoinv (" or ", types);

                  fail (error, provider, where, HS_HTTP_ERROR_CONTENT_TYPE, attempt,
                       secret_list, "expected %s, got %s (%s)", wanted,
                       content_type != NULL ? content_type : "no Content-Type",
                       snippet[0] != '\0' ? snippet : "empty body");
                  break;
                }
              note_outcome (provider, NULL);
              response = g_new0 (HsHttpResponse, 1);
              response->status = (int) status;
              response->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
              response->content_type = g_strdup (content_type);
              response->headers = g_steal_pointer (&response_headers);
              response->attempts = attempt;
              response->latency_us = latency;
              break;
            }
          if (status != 429 && status < 500)
            {
              g_autofree char *what = status_text ((int) status, body, secret_list);

              fail (error, provider, where, HS_HTTP_ERROR_STATUS, attempt, secret_list,
                   "%s", what);
              break;
            }
          if (retry_after != NULL && hs_http_parse_retry_after (retry_after, g_get_real_time (),
                                                                &delay)
              && delay > (int64_t) client->options.max_retry_after_ms * 1000)
            {
              g_autofree char *what = status_text ((int) status, body, secret_list);

              fail (error, provider, where, status == 429 ? HS_HTTP_ERROR_RATE_LIMITED
                                                         : HS_HTTP_ERROR_SERVER,
                   attempt, secret_list, "%s; asked to wait %" G_GINT64_FORMAT " s, "
                   "longer than the limit of %d s", what, delay / G_USEC_PER_SEC,
                   client->options.max_retry_after_ms / 1000);
              break;
            }
          if (attempt >= client->options.max_attempts)
            {
              g_autofree char *what = status_text ((int) status, body, secret_list);

              fail (error, provider, where, status == 429 ? HS_HTTP_ERROR_RATE_LIMITED
                                                         : HS_HTTP_ERROR_SERVER,
                   attempt, secret_list, "%s", what);
              break;
            }
        }

      /* Another attempt: after Retry-After, else after a back-off. */
      if (delay < 0)
        delay = hs_http_backoff_delay (&client->options, attempt,
                                       g_rand_double (client->rand));
      if (status == 429 && provider != NULL)
        hs_rate_limiter_pause (provider->limiter, delay);   /* the reserve above waits */
      else if (!client_sleep (client, delay, cancellable))
        goto cancelled;
    }
  curl_easy_setopt (client->easy, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all (headers);
  return response;

cancelled:
  curl_easy_setopt (client->easy, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all (headers);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s%sGET %s: cancelled",
               provider != NULL ? provider->name : "", provider != NULL ? ": " : "", where);
  return NULL;
}
