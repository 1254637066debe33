/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Market-data providers behind one small interface, for the loop a fetch job runs:
 *
 *   build a request (hs_provider_build_request) → HTTP GET → parse the page (hs_provider_parse)
 *   → store its rows → next cursor, until the page says it is the last.
 *
 * Everything here is pure: no network, no clock (the query carries "now"), no database. Each
 * provider file (hs-provider-kalshi.c …) knows its endpoints, limits and quirks; this file holds
 * the registry, base-URL and token handling, URL escaping, the time windows candle requests are
 * split into, and what every parsed page gets: rows sorted ascending in time, trades of one
 * time numbered, a cursor that moves or ends the walk, and no page at all when anything in the
 * body is wrong. Load: one request per second or so per provider; a page is parsed in well under
 * a millisecond per thousand rows.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-provider.h"
#include "hs-provider-private.h"

#include <math.h>
#include <string.h>

#include "hs-json-records.h"
#include "hs-time.h"

G_DEFINE_QUARK (hs-provider-error-quark, hs_provider_error)

#define MAX_WARNINGS 20

static const char *const kind_names[HS_FETCH_N_KINDS] = {
  [HS_FETCH_INSTRUMENTS] = "instruments",
  [HS_FETCH_CANDLES] = "candles",
  [HS_FETCH_TRADES] = "trades",
  [HS_FETCH_BOOK] = "book",
  [HS_FETCH_SNAPSHOTS] = "snapshots",
  [HS_FETCH_OPTIONS] = "options",
};

const char *
hs_fetch_kind_to_string (HsFetchKind kind)
{
  g_return_val_if_fail ((unsigned) kind < HS_FETCH_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
hs_fetch_kind_from_string (const char  *text,
                           HsFetchKind *out)
{
  for (int i = 0; i < HS_FETCH_N_KINDS; i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *out = (HsFetchKind) i;
        return TRUE;
      }
  return FALSE;
}

static const HsProvider *const providers[] = {
  &hs_provider_kalshi,
  &hs_provider_coinbase,
  &hs_provider_coinbase_advanced,
  &hs_provider_yahoo,
  &hs_provider_tradier,
  &hs_provider_kraken,
};

/**
 * hs_provider_all:
 * @n: (out): how many
 *
 * Returns: (transfer none): every provider, in the order `providers` lists them
 */
const HsProvider *const *
hs_provider_all (size_t *n)
{
  *n = G_N_ELEMENTS (providers);
  return providers;
}

/**
 * hs_provider_lookup:
 * @name: "kalshi", "coinbase", "coinbase-advanced", "yahoo", "tradier" or "kraken"
 *
 * Returns: (transfer none) (nullable): the provider, or %NULL for an unknown name
 */
const HsProvider *
hs_provider_lookup (const char *name)
{
  for (size_t i = 0; i < G_N_ELEMENTS (providers); i++)
    if (g_strcmp0 (name, providers[i]->name) == 0)
      return providers[i];
  return NULL;
}

gboolean
hs_provider_supports (const HsProvider *provider,
                      HsFetchKind       kind)
{
  return (unsigned) kind < HS_FETCH_N_KINDS
         && (provider->capabilities & HS_FETCH_CAP (kind)) != 0;
}

/**
 * hs_provider_find_interval:
 *
 * Returns: (transfer none) (nullable): the provider's entry for @interval, or %NULL when it has
 *   no bars of that length
 */
const HsProviderInterval *
hs_provider_find_interval (const HsProvider *provider,
                           const char       *interval)
{
  for (size_t i = 0; i < provider->n_intervals; i++)
    if (g_strcmp0 (interval, provider->intervals[i].interval) == 0)
      return &provider->intervals[i];
  return NULL;
}

static char *
format_duration (int64_t seconds)
{
  if (seconds % 86400 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " day%s", seconds / 86400,
                            seconds == 86400 ? "" : "s");
  if (seconds % 3600 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h", seconds / 3600);
  return g_strdup_printf ("%" G_GINT64_FORMAT " min", seconds / 60);
}

/**
 * hs_provider_describe_limits:
 *
 * Returns: (transfer full): the provider's limits in one line of text, as the README and
 *   `providers` show them: the request rate, rows per request, and per interval the
 *   lookback and the longest range of one request
 */
char *
hs_provider_describe_limits (const HsProvider *provider)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%g req/s (burst %d)", provider->rate_per_second, provider->burst);
  for (int k = 0; k < HS_FETCH_N_KINDS; k++)
    if (provider->max_rows[k] > 0)
      g_string_append_printf (s, "; %s ≤ %d per request", kind_names[k], provider->max_rows[k]);
  for (size_t i = 0; i < provider->n_intervals; i++)
    {
      const HsProviderInterval *iv = &provider->intervals[i];

      if (iv->lookback_s == 0 && iv->window_s == 0 && iv->max_rows == 0)
        continue;
      g_string_append_printf (s, "; %s:", iv->interval);
      if (iv->max_rows > 0)
        g_string_append_printf (s, " ≤ %d bars per request", iv->max_rows);
      if (iv->window_s > 0)
        {
          g_autofree char *w = format_duration (iv->window_s);

          g_string_append_printf (s, "%s %s per request", iv->max_rows > 0 ? "," : "", w);
        }
      if (iv->lookback_s > 0)
        {
          g_autofree char *b = format_duration (iv->lookback_s);

          g_string_append_printf (s, "%s last %s only",
                                  iv->max_rows > 0 || iv->window_s > 0 ? "," : "", b);
        }
    }
  return g_string_free (s, FALSE);
}

gboolean
hs_provider_fail (GError    **error,
                  int         code,
                  const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (!g_utf8_validate (message, -1, NULL))
    {
      /* Quoted input (a symbol, a cursor) may be anything. */
      g_autofree char *raw = g_steal_pointer (&message);

      message = g_utf8_make_valid (raw, -1);
    }
  g_set_error_literal (error, HS_PROVIDER_ERROR, code, message);
  return FALSE;
}

/* A BODY error at @path: "PATH" followed by @format's text, which goes on from the path (": is
 * negative", "[7]: …"). */
gboolean
hs_provider_fail_at (GError          **error,
                     const HsJsonPath *path,
                     const char       *format,
                     ...)
{
  g_autofree char *where = hs_json_path_format (path);
  g_autofree char *rest = NULL;
  va_list args;

  va_start (args, format);
  rest = g_strdup_vprintf (format, args);
  va_end (args);
  return hs_provider_fail (error, HS_PROVIDER_ERROR_BODY, "%s%s", where, rest);
}

/* A base URL must be http(s), one line, with no query or fragment; a trailing slash goes. */
static char *
check_base_url (const HsProvider *provider,
                const char       *url,
                const char       *origin,
                GError          **error)
{
  size_t len = strlen (url);

  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                        "%s base URL “%s” (%s) must start with http:// or https://",
                        provider->name, url, origin);
      return NULL;
    }
  for (const char *p = url; *p; p++)
    if ((unsigned char) *p <= ' ' || *p == '?' || *p == '#' || *p == 0x7f)
      {
        hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                          "%s base URL (%s) must not hold spaces, control characters, "
                          "a query or a fragment", provider->name, origin);
        return NULL;
      }
  while (len > 0 && url[len - 1] == '/')
    len--;
  return g_strndup (url, len);
}

/**
 * hs_provider_base_url:
 * @explicit_url: (nullable): a base URL given on purpose (`--base-url`)
 *
 * The base URL requests go to: @explicit_url when given, else the environment variable
 * `HINDSIGHT_<PROVIDER>_BASE_URL` when set and not empty, else the provider's default. Tests
 * point it at a local server.
 *
 * Returns: (transfer full): the URL without a trailing slash, or %NULL with @error set
 *   (%HS_PROVIDER_ERROR_INVALID) when the chosen one is not an http(s) URL
 */
char *
hs_provider_base_url (const HsProvider *provider,
                      const char       *explicit_url,
                      GError          **error)
{
  const char *env = g_getenv (provider->base_url_env);

  if (explicit_url != NULL)
    return check_base_url (provider, explicit_url, "--base-url", error);
  if (env != NULL && env[0] != '\0')
    return check_base_url (provider, env, provider->base_url_env, error);
  return g_strdup (provider->default_base_url);
}

void
hs_url_init (HsUrl      *url,
             const char *base_url)
{
  url->s = g_string_new (base_url);
  url->has_query = FALSE;
}

void
hs_url_path (HsUrl      *url,
             const char *literal)
{
  g_string_append (url->s, literal);
}

/* A path segment: everything but the unreserved characters is %-escaped, so "^VIX" is
 * "%5EVIX" and "BTC/USD" stays one segment. */
void
hs_url_segment (HsUrl      *url,
                const char *value)
{
  g_string_append_uri_escaped (url->s, value, NULL, FALSE);
}

void
hs_url_param (HsUrl      *url,
              const char *key,
              const char *value)
{
  g_string_append_c (url->s, url->has_query ? '&' : '?');
  url->has_query = TRUE;
  g_string_append_uri_escaped (url->s, key, NULL, FALSE);
  g_string_append_c (url->s, '=');
  g_string_append_uri_escaped (url->s, value, NULL, FALSE);
}

void
hs_url_param_int (HsUrl      *url,
                  const char *key,
                  int64_t     value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  hs_url_param (url, key, buf);
}

char *
hs_url_finish (HsUrl *url)
{
  return g_string_free (g_steal_pointer (&url->s), FALSE);
}

/* Frees an unfinished URL (for g_auto). */
void
hs_url_clear (HsUrl *url)
{
  if (url->s != NULL)
    g_string_free (g_steal_pointer (&url->s), TRUE);
}

/* The symbol of the query: required, UTF-8, at most 256 bytes (escaped wherever it goes). */
const char *
hs_provider_symbol (const HsProvider      *provider,
                    const HsProviderQuery *query,
                    GError               **error)
{
  if (query->symbol == NULL || query->symbol[0] == '\0')
    {
      hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID, "%s needs a symbol", provider->name);
      return NULL;
    }
  if (strlen (query->symbol) > 256 || !g_utf8_validate (query->symbol, -1, NULL))
    {
      hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                        "%s: the symbol must be UTF-8 text of at most 256 bytes",
                        provider->name);
      return NULL;
    }
  return query->symbol;
}

const HsProviderInterval *
hs_provider_interval (const HsProvider      *provider,
                      const HsProviderQuery *query,
                      GError               **error)
{
  const HsProviderInterval *iv = hs_provider_find_interval (provider, query->interval);

  if (iv == NULL)
    {
      GString *names = g_string_new (NULL);

      for (size_t i = 0; i < provider->n_intervals; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", provider->intervals[i].interval);
      hs_provider_fail (error, query->interval == NULL ? HS_PROVIDER_ERROR_INVALID
                                                       : HS_PROVIDER_ERROR_UNSUPPORTED,
                        "%s has no %s candles (it has %s)", provider->name,
                        query->interval ? query->interval : "(no interval given)", names->str);
      g_string_free (names, TRUE);
    }
  return iv;
}

gboolean
hs_provider_need_now (const HsProvider      *provider,
                      const HsProviderQuery *query,
                      const char            *what,
                      GError               **error)
{
  if (query->now > 0)
    return TRUE;
  return hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                           "%s %s: the query needs the time of the request (now) to stamp "
                           "them", provider->name, what);
}

/**
 * hs_provider_window:
 *
 * Splits a candle query into requests: the range is [from, to] (to defaults to now; a missing
 * from means the latest request's worth of bars), each request covers at most the interval's
 * max_rows bars and window_s seconds, and a cursor is the ISO-8601 start of the next one. A
 * from older than the interval's lookback is an error (unless from was not given: then the
 * range starts at the lookback).
 */
gboolean
hs_provider_window (const HsProvider         *provider,
                    const HsProviderInterval *iv,
                    const HsProviderQuery    *query,
                    HsWindow                 *window,
                    GError                  **error)
{
  int64_t step = (iv->seconds > 0 ? iv->seconds : 31 * 86400) * HS_US_PER_S;
  int64_t span = 0, to = query->to > 0 ? query->to : query->now, from = query->from;

  if (iv->max_rows > 0)
    span = iv->max_rows * step;
  if (iv->window_s > 0 && (span == 0 || iv->window_s * HS_US_PER_S < span))
    span = iv->window_s * HS_US_PER_S;
  if (to <= 0)
    return hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                             "%s candles need the end of the range (to, or now)",
                             provider->name);
  if (from <= 0)
    from = to - (span > 0 ? span : 1000 * step) + HS_US_PER_S;
  if (from > to)
    {
      char a[40], b[40];

      hs_time_format_iso_buf (from, a);
      hs_time_format_iso_buf (to, b);
      return hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                               "%s candles: the range starts (%s) after it ends (%s)",
                               provider->name, a, b);
    }
  if (iv->lookback_s > 0)
    {
      int64_t oldest = (query->now > 0 ? query->now : to) - iv->lookback_s * HS_US_PER_S;

      if (from < oldest && query->from > 0)
        {
          char a[40], b[40];
          g_autofree char *back = format_duration (iv->lookback_s);

          hs_time_format_iso_buf (from, a);
          hs_time_format_iso_buf (oldest, b);
          return hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                                   "%s keeps %s bars for the last %s only: the range starts "
                                   "%s, before %s", provider->name, iv->interval, back, a, b);
        }
      from = MAX (from, oldest);
    }
  window->from = from;
  window->to = to;
  window->start = from;
  if (query->cursor != NULL)
    {
      g_autoptr(GError) local = NULL;

      if (!hs_time_parse (query->cursor, NULL, &window->start, &local))
        return hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                                 "%s candles: the cursor “%s” is not a time: %s",
                                 provider->name, query->cursor, local->message);
      if (window->start < from)
        window->start = from;
      if (window->start > to)
        return hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                                 "%s candles: the cursor “%s” is after the end of the range",
                                 provider->name, query->cursor);
    }
  window->end = span > 0 && window->start < to - span + 1 ? window->start + span - 1 : to;
  window->last = window->end >= to;
  return TRUE;
}

/* The query's interval and the window of this request (hs_provider_window()). */
const HsProviderInterval *
hs_provider_candle_window (const HsProvider      *provider,
                           const HsProviderQuery *query,
                           HsWindow              *window,
                           GError               **error)
{
  const HsProviderInterval *iv = hs_provider_interval (provider, query, error);

  if (iv == NULL || !hs_provider_window (provider, iv, query, window, error))
    return NULL;
  return iv;
}

/* The cursor of the request after @window's: the ISO-8601 time it starts at; NULL if none. */
char *
hs_provider_window_cursor (const HsWindow *window)
{
  return window->last ? NULL : hs_time_format_iso (window->end + 1);
}

int
hs_provider_limit (const HsProvider      *provider,
                   HsFetchKind            kind,
                   const HsProviderQuery *query)
{
  int max = provider->max_rows[kind];

  if (query->limit > 0 && (max == 0 || query->limit < max))
    return query->limit;
  return max;
}

int
hs_provider_depth (const HsProvider      *provider,
                   const HsProviderQuery *query)
{
  int max = provider->max_rows[HS_FETCH_BOOK];
  int depth = query->depth > 0 ? query->depth : provider->default_depth;

  return max > 0 ? MIN (depth, max) : depth;
}

/* A cursor that is a whole number (a trade id, a nanosecond time). */
gboolean
hs_provider_cursor_int64 (const HsProviderQuery *query,
                          int64_t               *out,
                          GError               **error)
{
  if (query->cursor == NULL || !hs_parse_int64 (query->cursor, out) || *out < 0)
    return hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                             "the cursor “%s” is not a whole number",
                             query->cursor ? query->cursor : "(none)");
  return TRUE;
}

static void
page_warn_valist (HsProviderPage *page,
                  const char     *format,
                  va_list         args)
{
  if (page->warnings->len < MAX_WARNINGS)
    {
      g_autofree char *text = g_strdup_vprintf (format, args);

      g_ptr_array_add (page->warnings, g_utf8_make_valid (text, -1));
    }
}

/* Notes a value the page dropped (kept the row without it), for the job's log. */
void
hs_provider_page_warn (HsProviderPage *page,
                       const char     *format,
                       ...)
{
  va_list args;

  va_start (args, format);
  page_warn_valist (page, format, args);
  va_end (args);
}

/* Notes a row of the body the page could not use. */
void
hs_provider_page_skip (HsProviderPage *page,
                       const char     *format,
                       ...)
{
  va_list args;

  page->n_skipped++;
  va_start (args, format);
  page_warn_valist (page, format, args);
  va_end (args);
}

/* Book levels as [price, size, …] rows or {"price", "size"|"qty"} objects, numbers or
 * numeric strings. */
gboolean
hs_provider_levels (JsonArray        *array,
                    const HsJsonPath *path,
                    GArray           *out,
                    GError          **error)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (path, i);
      JsonNode *node = json_array_get_element (array, i);
      HsLevel level;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);
          const char *size = json_object_has_member (o, "qty") ? "qty" : "size";

          if (!hs_json_member_number (o, &p, "price", HS_JSON_REQUIRED, &level.price, error)
              || !hs_json_member_number (o, &p, size, HS_JSON_REQUIRED, &level.size, error))
            return FALSE;
        }
      else
        {
          JsonArray *row = NULL;
          HsJsonPath p0 = HS_JSON_PATH_INDEX (&p, 0), p1 = HS_JSON_PATH_INDEX (&p, 1);

          if (!hs_json_array (node, &p, HS_JSON_REQUIRED, &row, error))
            return FALSE;
          if (json_array_get_length (row) < 2)
            return hs_provider_fail_at (error, &p, ": a level needs a price and a size");
          if (!hs_json_number (json_array_get_element (row, 0), &p0, HS_JSON_REQUIRED,
                               &level.price, error)
              || !hs_json_number (json_array_get_element (row, 1), &p1, HS_JSON_REQUIRED,
                                  &level.size, error))
            return FALSE;
        }
      g_array_append_val (out, level);
    }
  return TRUE;
}

/* Adds the book of @bids and @asks (HsLevel, any order) to @page, summarised over @depth. */
gboolean
hs_provider_book (HsProviderPage   *page,
                  int64_t           ts,
                  int64_t           sequence,
                  GArray           *bids,
                  GArray           *asks,
                  int               depth,
                  const HsJsonPath *path,
                  GError          **error)
{
  HsBookSnapshot book = { .ts = ts, .sequence = sequence };
  g_autoptr(GError) local = NULL;

  if (!hs_book_compute (&book, (const HsLevel *) bids->data, bids->len,
                        (const HsLevel *) asks->data, asks->len, depth, &local))
    {
      hs_book_snapshot_clear (&book);
      return hs_provider_fail_at (error, path, ": %s", local->message);
    }
  g_array_append_val (page->books, book);
  return TRUE;
}

gboolean
hs_provider_check_bar (const HsBar      *bar,
                       const HsJsonPath *path,
                       GError          **error)
{
  g_autoptr(GError) local = NULL;

  return hs_bar_check (bar, &local) || hs_provider_fail_at (error, path, ": %s", local->message);
}

gboolean
hs_provider_check_quote (const HsQuote    *quote,
                         const HsJsonPath *path,
                         GError          **error)
{
  g_autoptr(GError) local = NULL;

  return hs_quote_check (quote, &local)
         || hs_provider_fail_at (error, path, ": %s", local->message);
}

/* The compact JSON text of @node: the raw_data a snapshot keeps of what was received. */
char *
hs_provider_json_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* Midnight UTC of the calendar day @ts falls on at UTC offset @utc_offset_s: how a daily bar
 * stamped at the session open (Yahoo's 14:30 UTC) becomes "D 00:00Z", as bare dates import. */
int64_t
hs_provider_day_start (int64_t ts,
                       int64_t utc_offset_s)
{
  const int64_t day = 86400 * HS_US_PER_S;
  int64_t local = ts + utc_offset_s * HS_US_PER_S;
  int64_t days = local / day - (local % day < 0);

  return days * day;
}

static void
clear_trade (gpointer p)
{
  g_clear_pointer (&((HsTrade *) p)->trade_id, g_free);
}

static void
clear_book (gpointer p)
{
  hs_book_snapshot_clear (p);
}

static void
clear_snapshot (gpointer p)
{
  hs_market_snapshot_clear (p);
}

static void
clear_option_quote (gpointer p)
{
  hs_option_contract_clear (&((HsProviderOptionQuote *) p)->contract);
}

void
hs_provider_instrument_free (HsProviderInstrument *inst)
{
  if (inst == NULL)
    return;
  g_free (inst->symbol);
  g_free (inst->name);
  g_free (inst->kind);
  g_free (inst->exchange);
  g_free (inst->currency);
  g_free (inst->status);
  g_free (inst->group);
  g_free (inst);
}

/**
 * hs_provider_page_new:
 *
 * Returns: (transfer full): an empty page (every list present and empty, no cursor)
 */
HsProviderPage *
hs_provider_page_new (HsFetchKind kind)
{
  HsProviderPage *page = g_new0 (HsProviderPage, 1);

  page->kind = kind;
  page->bars = g_array_new (FALSE, FALSE, sizeof (HsBar));
  page->trades = g_array_new (FALSE, FALSE, sizeof (HsTrade));
  g_array_set_clear_func (page->trades, clear_trade);
  page->books = g_array_new (FALSE, FALSE, sizeof (HsBookSnapshot));
  g_array_set_clear_func (page->books, clear_book);
  page->snapshots = g_array_new (FALSE, FALSE, sizeof (HsMarketSnapshot));
  g_array_set_clear_func (page->snapshots, clear_snapshot);
  page->quotes = g_array_new (FALSE, FALSE, sizeof (HsQuote));
  page->option_quotes = g_array_new (FALSE, FALSE, sizeof (HsProviderOptionQuote));
  g_array_set_clear_func (page->option_quotes, clear_option_quote);
  page->events = g_array_new (FALSE, FALSE, sizeof (HsCorporateAction));
  page->instruments = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_provider_instrument_free);
  page->warnings = g_ptr_array_new_with_free_func (g_free);
  return page;
}

void
hs_provider_page_free (HsProviderPage *page)
{
  if (page == NULL)
    return;
  g_array_unref (page->bars);
  g_array_unref (page->trades);
  g_array_unref (page->books);
  g_array_unref (page->snapshots);
  g_array_unref (page->quotes);
  g_array_unref (page->option_quotes);
  g_array_unref (page->events);
  g_ptr_array_unref (page->instruments);
  g_ptr_array_unref (page->warnings);
  g_free (page->next_cursor);
  g_free (page);
}

/* Whether the walk ends with this page (no next cursor). */
gboolean
hs_provider_page_done (const HsProviderPage *page)
{
  return page->next_cursor == NULL;
}

/* The rows of every list of the page (instruments and events included). */
size_t
hs_provider_page_rows (const HsProviderPage *page)
{
  return page->bars->len + page->trades->len + page->books->len + page->snapshots->len
         + page->quotes->len + page->option_quotes->len + page->events->len
         + page->instruments->len;
}

/* Every record type starts with its time except the snapshots and option quotes, whose
 * offset is passed as the sort's data. */
static int
cmp_ts (gconstpointer a,
        gconstpointer b,
        gpointer      offset)
{
  int64_t ta, tb;

  memcpy (&ta, (const char *) a + GPOINTER_TO_SIZE (offset), sizeof ta);
  memcpy (&tb, (const char *) b + GPOINTER_TO_SIZE (offset), sizeof tb);
  return ta < tb ? -1 : ta > tb;
}

/* A stable sort by time: rows of one time keep the body's order (for trades, the order the
 * provider gave them, made ascending by the provider file). */
static void
sort_by_ts (GArray *array,
            size_t  offset)
{
  if (array->len > 1)
    g_qsort_with_data (array->data, (gint) array->len, g_array_get_element_size (array), cmp_ts,
                       GSIZE_TO_POINTER (offset));
}

static void
finish_page (HsProviderPage        *page,
             const HsProviderQuery *query)
{
  sort_by_ts (page->bars, G_STRUCT_OFFSET (HsBar, ts));
  sort_by_ts (page->trades, G_STRUCT_OFFSET (HsTrade, ts));
  sort_by_ts (page->books, G_STRUCT_OFFSET (HsBookSnapshot, ts));
  sort_by_ts (page->snapshots, G_STRUCT_OFFSET (HsMarketSnapshot, ts));
  sort_by_ts (page->quotes, G_STRUCT_OFFSET (HsQuote, ts));
  sort_by_ts (page->option_quotes, G_STRUCT_OFFSET (HsProviderOptionQuote, quote.ts));
  sort_by_ts (page->events, G_STRUCT_OFFSET (HsCorporateAction, ts));
  for (guint i = 0; i < page->trades->len; i++)
    {
      HsTrade *t = &g_array_index (page->trades, HsTrade, i);

      t->seq = i > 0 && t->ts == t[-1].ts ? t[-1].seq + 1 : 0;
      t->cvd = 0;
    }
  /* A cursor that did not move would ask for the same page forever. */
  if (page->next_cursor != NULL && g_strcmp0 (page->next_cursor, query->cursor) == 0)
    g_clear_pointer (&page->next_cursor, g_free);
}

/**
 * hs_provider_build_request:
 * @base_url: (nullable): from hs_provider_base_url(); %NULL for the environment's or the
 *   default
 * @token: (nullable): the provider's token (read by the caller from the keyring or the
 *   environment); sent only as `Authorization: Bearer` and only to a provider that needs one
 * @request: (out caller-allocates): the URL and headers; clear with hs_provider_request_clear()
 *
 * Builds the GET request for one page of @kind: the first when @query's cursor is %NULL, else
 * the one the previous page's next_cursor names. Every part of the URL is escaped.
 *
 * Returns: %FALSE with @error set (%HS_PROVIDER_ERROR): the provider has no such data, the
 *   query cannot be asked (a missing symbol, a range beyond the lookback …), or a token is
 *   needed and missing
 */
gboolean
hs_provider_build_request (const HsProvider      *provider,
                           const char            *base_url,
                           const char            *token,
                           HsFetchKind            kind,
                           const HsProviderQuery *query,
                           HsProviderRequest     *request,
                           GError               **error)
{
  g_autofree char *base = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  char *url;

  g_return_val_if_fail (provider != NULL && query != NULL && request != NULL, FALSE);

  request->url = NULL;
  request->headers = NULL;
  if (!hs_provider_supports (provider, kind))
    return hs_provider_fail (error, HS_PROVIDER_ERROR_UNSUPPORTED, "%s has no %s",
                             provider->name, hs_fetch_kind_to_string (kind));
  if (provider->needs_token)
    {
      if (token == NULL || token[0] == '\0')
        return hs_provider_fail (error, HS_PROVIDER_ERROR_AUTH,
                                 "%s needs an access token (from the keyring, or $%s)",
                                 provider->name, provider->token_env);
      for (const char *p = token; *p; p++)
        if ((unsigned char) *p < ' ' || *p == 0x7f)
          return hs_provider_fail (error, HS_PROVIDER_ERROR_AUTH,
                                   "the %s token holds a control character", provider->name);
    }
  base = hs_provider_base_url (provider, base_url, error);
  if (base == NULL)
    return FALSE;
  url = provider->ops->build (provider, base, kind, query, error);
  if (url == NULL)
    return FALSE;
  g_ptr_array_add (headers, g_strdup ("Accept: application/json"));
  if (provider->needs_token)
    g_ptr_array_add (headers, g_strdup_printf ("Authorization: Bearer %s", token));
  g_ptr_array_add (headers, NULL);
  request->url = url;
  request->headers = (char **) g_ptr_array_free (g_steal_pointer (&headers), FALSE);
  return TRUE;
}

void
hs_provider_request_clear (HsProviderRequest *request)
{
  g_clear_pointer (&request->url, g_free);
  g_clear_pointer (&request->headers, g_strfreev);
}

/**
 * hs_provider_parse:
 * @query: the query the request was built from (its cursor says which page this is)
 * @body: the response body of a 2xx answer
 *
 * Reads one page. The rows are the records the importers produce (HsBar, HsTrade,
 * HsBookSnapshot, HsMarketSnapshot, HsQuote; HsOptionQuote with its HsOptionContract), in
 * ascending time; trades of one
 * time are numbered by seq; next_cursor is %NULL on the last page. Anything wrong in the body
 * (not JSON, a missing or mistyped field, a value out of range, the provider's own error
 * report) fails the whole page.
 *
 * Returns: (transfer full): the page, or %NULL with @error set: %HS_PROVIDER_ERROR_BODY naming
 *   the field (`kraken candles: result.XBTUSDT[3][1]: "abc" is not a number`),
 *   %HS_PROVIDER_ERROR_API or %HS_PROVIDER_ERROR_RATE_LIMITED for an error the provider
 *   reports in a 2xx body (Kraken's `error` array, Yahoo's `chart.error`), or
 *   %HS_PROVIDER_ERROR_INVALID/%HS_PROVIDER_ERROR_UNSUPPORTED for a query that cannot be
 *   asked
 */
HsProviderPage *
hs_provider_parse (const HsProvider      *provider,
                   HsFetchKind            kind,
                   const HsProviderQuery *query,
                   const char            *body,
                   size_t                 len,
                   GError               **error)
{
  g_autoptr(HsProviderPage) page = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (provider != NULL && query != NULL, NULL);
  g_return_val_if_fail (body != NULL || len == 0, NULL);

  if (!hs_provider_supports (provider, kind))
    {
      hs_provider_fail (error, HS_PROVIDER_ERROR_UNSUPPORTED, "%s has no %s", provider->name,
                        hs_fetch_kind_to_string (kind));
      return NULL;
    }
  page = hs_provider_page_new (kind);
  root = hs_json_parse_body (body, len, &local);
  if (root == NULL || !provider->ops->parse (provider, kind, query, root, page, &local))
    {
      int code = local->domain == HS_PROVIDER_ERROR ? local->code : HS_PROVIDER_ERROR_BODY;

      hs_provider_fail (error, code, "%s %s: %s", provider->name,
                        hs_fetch_kind_to_string (kind), local->message);
      return NULL;
    }
  finish_page (page, query);
  return g_steal_pointer (&page);
}

static char *
first_line (const char *body,
            size_t      len)
{
  size_t n = 0;
  g_autofree char *valid = NULL;

  while (n < len && n < 200 && body[n] != '\n' && body[n] != '\r' && body[n] != '\0')
    n++;
  valid = g_utf8_make_valid (body, (gssize) n);
  return g_strstrip (g_steal_pointer (&valid));
}

/**
 * hs_provider_error_message:
 * @body: (nullable): the body of an error answer (4xx, 5xx), or a 2xx body that parse()
 *   refused
 *
 * Finds the provider's own words in an error body: Kraken's `error` array, Yahoo's
 * `chart.error.description`, Kalshi's `error.message`, Coinbase's `message`, Tradier's
 * `fault.faultstring`, a plain-text body's first line (Tradier's "Invalid Access Token").
 *
 * Returns: (transfer full) (nullable): the message, at most about 200 characters, or %NULL when
 *   the body has none
 */
char *
hs_provider_error_message (const HsProvider *provider,
                           const char       *body,
                           size_t            len)
{
  g_autoptr(JsonNode) root = NULL;
  char *msg = NULL;

  if (body == NULL || len == 0)
    return NULL;
  root = hs_json_parse_body (body, len, NULL);
  if (root == NULL)
    {
      msg = first_line (body, len);
      if (msg[0] == '\0')
        g_clear_pointer (&msg, g_free);
      return msg;
    }
  if (provider->ops->error_message != NULL)
    msg = provider->ops->error_message (root);
  if (msg == NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      static const char *const names[] = { "message", "error", "error_description", NULL };

      for (size_t i = 0; names[i] != NULL && msg == NULL; i++)
        {
          JsonNode *node = json_object_get_member (o, names[i]);

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
              && json_node_get_value_type (node) == G_TYPE_STRING
              && json_node_get_string (node)[0] != '\0')
            msg = g_strdup (json_node_get_string (node));
        }
    }
  if (msg != NULL && strlen (msg) > 200)
    {
      g_autofree char *cut = msg;

      msg = first_line (cut, strlen (cut));
    }
  return msg;
}
