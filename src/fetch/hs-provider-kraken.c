/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kraken's public REST API (api.kraken.com/0/public, keyless), the second crypto source:
 * OHLC, trades and the depth book. Quirks handled here:
 *
 * - errors arrive with HTTP 200 in the `error` array: any entry fails the page (a rate limit
 *   or throttle as HS_PROVIDER_ERROR_RATE_LIMITED, so the caller backs off);
 * - the result is keyed by Kraken's own pair name, which need not be the one asked for
 *   (XBTUSD answers as XXBTZUSD): the first key that is not `last` is the data;
 * - OHLC keeps only the latest 720 bars of each interval (1m: 12 h), and its last row is the
 *   bar still forming: rows after `last` (the newest committed bar) are left out; a bar with
 *   no trades has vwap 0 (stored as unknown);
 * - trades page forward from `since` in nanoseconds, and `last` is the next `since` as a
 *   string of nanoseconds (beyond 2^53, read exactly); times are decimal seconds; the side is
 *   the taker's ("b"/"s").
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-provider-private.h"

#include <math.h>
#include <string.h>

/* 720 bars back from now and per request, for every interval. */
static const HsProviderInterval kraken_intervals[] = {
  { "1m", "1", 60, 720 * 60, 720, 0 },
  { "5m", "5", 300, 720 * 300, 720, 0 },
  { "15m", "15", 900, 720 * 900, 720, 0 },
  { "30m", "30", 1800, 720 * 1800, 720, 0 },
  { "1h", "60", 3600, 720 * 3600, 720, 0 },
  { "4h", "240", 14400, 720 * 14400, 720, 0 },
  { "1d", "1440", 86400, 720 * 86400, 720, 0 },
  { "1w", "10080", 604800, G_GINT64_CONSTANT (720) * 604800, 720, 0 },
};

static char *
kraken_build (const HsProvider      *provider,
              const char            *base_url,
              HsFetchKind            kind,
              const HsProviderQuery *query,
              GError               **error)
{
  const char *symbol = hs_provider_symbol (provider, query, error);
  g_auto(HsUrl) url = { NULL, FALSE };

  if (symbol == NULL)
    return NULL;
  if (kind == HS_FETCH_BOOK && !hs_provider_need_now (provider, query, "book", error))
    return NULL;
  hs_url_init (&url, base_url);
  switch (kind)
    {
    case HS_FETCH_CANDLES:
      {
        HsWindow w;
        const HsProviderInterval *iv = hs_provider_candle_window (provider, query, &w, error);

        if (iv == NULL)
          return NULL;
        hs_url_path (&url, "/OHLC");
        hs_url_param (&url, "pair", symbol);
        hs_url_param (&url, "interval", iv->code);
        /* `since` is exclusive: one interval earlier includes the bar starting at the range's
         * start. */
        hs_url_param_int (&url, "since", w.start / HS_US_PER_S - iv->seconds);
      }
      break;

    case HS_FETCH_TRADES:
      hs_url_path (&url, "/Trades");
      hs_url_param (&url, "pair", symbol);
      if (query->cursor != NULL)
        {
          int64_t since;

          if (!hs_provider_cursor_int64 (query, &since, error))
            return NULL;
          hs_url_param_int (&url, "since", since);
        }
      else if (query->from > 0)
        hs_url_param_int (&url, "since", query->from * 1000);
      hs_url_param_int (&url, "count", hs_provider_limit (provider, kind, query));
      break;

    case HS_FETCH_BOOK:
      hs_url_path (&url, "/Depth");
      hs_url_param (&url, "pair", symbol);
      hs_url_param_int (&url, "count", hs_provider_depth (provider, query));
      break;

    case HS_FETCH_INSTRUMENTS:
    case HS_FETCH_SNAPSHOTS:
    case HS_FETCH_OPTIONS:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return hs_url_finish (&url);
}

/* The pair's data: the first member of `result` that is not `last`. */
static gboolean
pair_data (JsonObject  *result,
           JsonNode   **data,
           const char **pair,
           GError     **error)
{
  g_autoptr(GList) names = json_object_get_members (result);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "last"))
      {
        *pair = l->data;
        *data = json_object_get_member (result, l->data);
        return TRUE;
      }
  return hs_provider_fail (error, HS_PROVIDER_ERROR_BODY, "result holds no pair");
}

/* One row of an array of rows, with at least @min_len elements. */
static gboolean
row_at (JsonArray        *rows,
        guint             i,
        const HsJsonPath *path,
        guint             min_len,
        JsonArray       **row,
        GError          **error)
{
  if (!hs_json_array (json_array_get_element (rows, i), path, HS_JSON_REQUIRED, row, error))
    return FALSE;
  if (json_array_get_length (*row) < min_len)
    return hs_provider_fail_at (error, path, ": %u values, %u expected",
                                json_array_get_length (*row), min_len);
  return TRUE;
}

static gboolean
parse_ohlc (const HsProvider      *provider,
            const HsProviderQuery *query,
            JsonObject            *result,
            const HsJsonPath      *rpath,
            HsProviderPage        *page,
            GError               **error)
{
  const HsProviderInterval *iv = NULL;
  JsonNode *data = NULL;
  JsonArray *rows = NULL;
  const char *pair = NULL;
  int64_t last = 0;
  HsWindow w;

  if ((iv = hs_provider_candle_window (provider, query, &w, error)) == NULL
      || !pair_data (result, &data, &pair, error)
      || !hs_json_member_seconds (result, rpath, "last", HS_JSON_REQUIRED, &last, error))
    return FALSE;
  {
    HsJsonPath pp = HS_JSON_PATH_MEMBER (rpath, pair);

    if (!hs_json_array (data, &pp, HS_JSON_REQUIRED, &rows, error))
      return FALSE;
    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        HsJsonPath p = HS_JSON_PATH_INDEX (&pp, i);
        JsonArray *row = NULL;
        HsBar bar = { 0 };
        double *cols[] = { &bar.open, &bar.high, &bar.low, &bar.close, &bar.vwap, &bar.volume };

        if (!row_at (rows, i, &p, 8, &row, error))
          return FALSE;
        {
          HsJsonPath p0 = HS_JSON_PATH_INDEX (&p, 0), p7 = HS_JSON_PATH_INDEX (&p, 7);

          if (!hs_json_seconds (json_array_get_element (row, 0), &p0, HS_JSON_REQUIRED, &bar.ts,
                                error)
              || !hs_json_int64 (json_array_get_element (row, 7), &p7, HS_JSON_REQUIRED,
                                 &bar.trade_count, error))
            return FALSE;
        }
        for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
          {
            HsJsonPath pc = HS_JSON_PATH_INDEX (&p, c + 1);

            if (!hs_json_number (json_array_get_element (row, c + 1), &pc, HS_JSON_REQUIRED,
                                 cols[c], error))
              return FALSE;
          }
        if (bar.vwap == 0 && bar.trade_count == 0)
          bar.vwap = NAN;
        if (bar.trade_count < 0)
          return hs_provider_fail_at (error, &p, "[7]: a negative trade count");
        if (bar.ts > last)
          continue;   /* still forming */
        if (!hs_provider_check_bar (&bar, &p, error))
          return FALSE;
        if (bar.ts >= w.start && bar.ts <= w.end)
          g_array_append_val (page->bars, bar);
      }
  }
  /* The whole window Kraken keeps comes in one answer. */
  return TRUE;
}

static gboolean
parse_trades (const HsProvider      *provider,
              const HsProviderQuery *query,
              JsonObject            *result,
              const HsJsonPath      *rpath,
              HsProviderPage        *page,
              GError               **error)
{
  JsonNode *data = NULL;
  JsonArray *rows = NULL;
  const char *pair = NULL;
  int64_t last = 0, since = -1, newest = 0;
  guint n;

  if (!pair_data (result, &data, &pair, error)
      || !hs_json_member_int64 (result, rpath, "last", HS_JSON_REQUIRED, &last, error))
    return FALSE;
  if (query->cursor != NULL && !hs_provider_cursor_int64 (query, &since, error))
    return FALSE;
  {
    HsJsonPath pp = HS_JSON_PATH_MEMBER (rpath, pair);

    if (!hs_json_array (data, &pp, HS_JSON_REQUIRED, &rows, error))
      return FALSE;
    n = json_array_get_length (rows);
    for (guint i = 0; i < n; i++)
      {
        HsJsonPath p = HS_JSON_PATH_INDEX (&pp, i);
        HsJsonPath p0 = HS_JSON_PATH_INDEX (&p, 0), p1 = HS_JSON_PATH_INDEX (&p, 1);
        HsJsonPath p2 = HS_JSON_PATH_INDEX (&p, 2), p3 = HS_JSON_PATH_INDEX (&p, 3);
        HsJsonPath p6 = HS_JSON_PATH_INDEX (&p, 6);
        JsonArray *row = NULL;
        HsTrade t = { .side = HS_SIDE_UNKNOWN };
        const char *side = NULL;
        int64_t id = -1;

        if (!row_at (rows, i, &p, 4, &row, error)
            || !hs_json_number (json_array_get_element (row, 0), &p0, HS_JSON_REQUIRED, &t.price,
                                error)
            || !hs_json_number (json_array_get_element (row, 1), &p1, HS_JSON_REQUIRED, &t.size,
                                error)
            || !hs_json_seconds (json_array_get_element (row, 2), &p2, HS_JSON_REQUIRED, &t.ts,
                                 error)
            || !hs_json_string (json_array_get_element (row, 3), &p3, HS_JSON_REQUIRED, &side,
                                error))
          return FALSE;
        if (json_array_get_length (row) > 6
            && !hs_json_int64 (json_array_get_element (row, 6), &p6, HS_JSON_OPTIONAL, &id,
                               error))
          return FALSE;
        if (!(t.price > 0) || !(t.size >= 0))
          return hs_provider_fail_at (error, &p, ": price %g and volume %g must be positive",
                                      t.price, t.size);
        if (g_str_equal (side, "b"))
          t.side = HS_SIDE_BUY;
        else if (g_str_equal (side, "s"))
          t.side = HS_SIDE_SELL;
        else
          return hs_provider_fail_at (error, &p3, ": the side is \"b\" or \"s\", not \"%s\"", side);
        newest = MAX (newest, t.ts);
        if ((query->from > 0 && t.ts < query->from) || (query->to > 0 && t.ts > query->to))
          continue;
        if (id >= 0)
          t.trade_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
        g_array_append_val (page->trades, t);
      }
  }
  /* Go on while the page was full, moved forward and did not pass the range's end. */
  if (n > 0 && n >= (guint) hs_provider_limit (provider, HS_FETCH_TRADES, query) && last != since
      && (query->to <= 0 || newest <= query->to))
    page->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  return TRUE;
}

static gboolean
parse_depth (const HsProvider      *provider,
             const HsProviderQuery *query,
             JsonObject            *result,
             const HsJsonPath      *rpath,
             HsProviderPage        *page,
             GError               **error)
{
  g_autoptr(GArray) bids = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  g_autoptr(GArray) asks = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  JsonNode *data = NULL;
  JsonObject *book = NULL;
  JsonArray *b = NULL, *a = NULL;
  const char *pair = NULL;

  if (!hs_provider_need_now (provider, query, "book", error)
      || !pair_data (result, &data, &pair, error))
    return FALSE;
  {
    HsJsonPath pp = HS_JSON_PATH_MEMBER (rpath, pair);
    HsJsonPath pb = HS_JSON_PATH_MEMBER (&pp, "bids"), pa = HS_JSON_PATH_MEMBER (&pp, "asks");

    if (!hs_json_object (data, &pp, HS_JSON_REQUIRED, &book, error)
        || !hs_json_member_array (book, &pp, "bids", HS_JSON_REQUIRED, &b, error)
        || !hs_json_member_array (book, &pp, "asks", HS_JSON_REQUIRED, &a, error)
        || !hs_provider_levels (b, &pb, bids, error)
        || !hs_provider_levels (a, &pa, asks, error))
      return FALSE;
    return hs_provider_book (page, query->now, -1, bids, asks, hs_provider_depth (provider, query),
                             &pp, error);
  }
}

/* The entries of `error`, joined; NULL when there are none. */
static char *
kraken_error_message (JsonNode *root)
{
  JsonArray *errors = NULL;
  GString *s;

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || !hs_json_member_array (json_node_get_object (root), NULL, "error", HS_JSON_OPTIONAL,
                                &errors, NULL)
      || errors == NULL || json_array_get_length (errors) == 0)
    return NULL;
  s = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonNode *e = json_array_get_element (errors, i);

      g_string_append_printf (s, "%s%s", s->len ? "; " : "",
                              JSON_NODE_HOLDS_VALUE (e)
                              && json_node_get_value_type (e) == G_TYPE_STRING
                              ? json_node_get_string (e) : "(not text)");
    }
  return g_string_free (s, FALSE);
}

static gboolean
kraken_parse (const HsProvider      *provider,
              HsFetchKind            kind,
              const HsProviderQuery *query,
              JsonNode              *node,
              HsProviderPage        *page,
              GError               **error)
{
  HsJsonPath rpath = HS_JSON_PATH_ROOT ("result");
  JsonObject *root = NULL, *result = NULL;
  JsonArray *errors = NULL;

  if (!hs_json_object (node, NULL, HS_JSON_REQUIRED, &root, error)
      || !hs_json_member_array (root, NULL, "error", HS_JSON_REQUIRED, &errors, error))
    return FALSE;
  if (json_array_get_length (errors) > 0)
    {
      g_autofree char *msg = kraken_error_message (node);
      gboolean limited = strstr (msg, "EAPI:Rate limit") != NULL
                         || strstr (msg, "EService:Throttled") != NULL
                         || strstr (msg, "EService:Busy") != NULL
                         || strstr (msg, "EService:Unavailable") != NULL;

      return hs_provider_fail (error, limited ? HS_PROVIDER_ERROR_RATE_LIMITED
                                              : HS_PROVIDER_ERROR_API, "%s", msg);
    }
  if (!hs_json_member_object (root, NULL, "result", HS_JSON_REQUIRED, &result, error))
    return FALSE;
  switch (kind)
    {
    case HS_FETCH_CANDLES:
      return parse_ohlc (provider, query, result, &rpath, page, error);
    case HS_FETCH_TRADES:
      return parse_trades (provider, query, result, &rpath, page, error);
    case HS_FETCH_BOOK:
      return parse_depth (provider, query, result, &rpath, page, error);
    case HS_FETCH_INSTRUMENTS:
    case HS_FETCH_SNAPSHOTS:
    case HS_FETCH_OPTIONS:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static const HsProviderOps kraken_ops = {
  .build = kraken_build,
  .parse = kraken_parse,
  .error_message = kraken_error_message,
};

const HsProvider hs_provider_kraken = {
  .name = "kraken",
  .title = "Kraken",
  .default_base_url = "https://api.kraken.com/0/public",
  .base_url_env = "HINDSIGHT_KRAKEN_BASE_URL",
  .exchange = "kraken",
  .instrument_kind = "crypto",
  .capabilities = HS_FETCH_CAP (HS_FETCH_CANDLES) | HS_FETCH_CAP (HS_FETCH_TRADES)
                  | HS_FETCH_CAP (HS_FETCH_BOOK),
  /* About one public request a second per IP (unpublished). */
  .rate_per_second = 1,
  .burst = 1,
  .intervals = kraken_intervals,
  .n_intervals = G_N_ELEMENTS (kraken_intervals),
  .max_rows = { [HS_FETCH_TRADES] = 1000, [HS_FETCH_BOOK] = 500 },
  .default_depth = 10,
  .ops = &kraken_ops,
};
