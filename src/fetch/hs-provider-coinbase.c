/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Coinbase public market data, keyless, in two providers that share this file:
 *
 * - "coinbase": the Exchange API (api.exchange.coinbase.com): candles as
 *   [time, low, high, open, close, volume] arrays, newest first, at most 300 per request (a
 *   larger range is refused), paged here by time; trades paged backwards by trade_id (`after`),
 *   whose `side` is the MAKER's; the level-2 book with its sequence; the ticker as a quote.
 * - "coinbase-advanced": the Advanced Trade public endpoints (api.coinbase.com/api/v3/
 *   brokerage/market): candles as objects of strings, newest first; the latest trades from the
 *   ticker (no paging); the product book; best bid and ask.
 *
 * Both `side` fields name the maker (Exchange: documented; Advanced: the recorded ticker shows
 * two SELL prints at the best ask, which only a buying taker makes), so the taker side CVD
 * needs is the opposite.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-provider-private.h"

#include <math.h>
#include <string.h>

static const HsProviderInterval exchange_intervals[] = {
  { "1m", "60", 60, 0, 300, 0 },
  { "5m", "300", 300, 0, 300, 0 },
  { "15m", "900", 900, 0, 300, 0 },
  { "1h", "3600", 3600, 0, 300, 0 },
  { "1d", "86400", 86400, 0, 300, 0 },
};

/* Advanced serves 350 candles per request (documented as such, not verified here): 300 is
 * safely inside. */
static const HsProviderInterval advanced_intervals[] = {
  { "1m", "ONE_MINUTE", 60, 0, 300, 0 },
  { "5m", "FIVE_MINUTE", 300, 0, 300, 0 },
  { "15m", "FIFTEEN_MINUTE", 900, 0, 300, 0 },
  { "30m", "THIRTY_MINUTE", 1800, 0, 300, 0 },
  { "1h", "ONE_HOUR", 3600, 0, 300, 0 },
  { "1d", "ONE_DAY", 86400, 0, 300, 0 },
};

static gboolean
is_advanced (const HsProvider *provider)
{
  return provider == &hs_provider_coinbase_advanced;
}

static char *
coinbase_build (const HsProvider      *provider,
                const char            *base_url,
                HsFetchKind            kind,
                const HsProviderQuery *query,
                GError               **error)
{
  const char *symbol = hs_provider_symbol (provider, query, error);
  gboolean advanced = is_advanced (provider);
  g_auto(HsUrl) url = { NULL, FALSE };

  if (symbol == NULL)
    return NULL;
  if (kind == HS_FETCH_SNAPSHOTS && advanced
      && !hs_provider_need_now (provider, query, "snapshots", error))
    return NULL;
  hs_url_init (&url, base_url);
  if (kind == HS_FETCH_BOOK && advanced)
    {
      hs_url_path (&url, "/market/product_book");
      hs_url_param (&url, "product_id", symbol);
      hs_url_param_int (&url, "limit", hs_provider_depth (provider, query));
      return hs_url_finish (&url);
    }
  hs_url_path (&url, advanced ? "/market/products/" : "/products/");
  hs_url_segment (&url, symbol);
  switch (kind)
    {
    case HS_FETCH_CANDLES:
      {
        HsWindow w;
        const HsProviderInterval *iv = hs_provider_candle_window (provider, query, &w, error);

        if (iv == NULL)
          return NULL;
        hs_url_path (&url, "/candles");
        if (advanced)
          {
            hs_url_param_int (&url, "start", w.start / HS_US_PER_S);
            hs_url_param_int (&url, "end", w.end / HS_US_PER_S);
            hs_url_param (&url, "granularity", iv->code);
          }
        else
          {
            g_autofree char *start = hs_time_format_iso (w.start / HS_US_PER_S * HS_US_PER_S);
            g_autofree char *end = hs_time_format_iso (w.end / HS_US_PER_S * HS_US_PER_S);

            hs_url_param (&url, "granularity", iv->code);
            hs_url_param (&url, "start", start);
            hs_url_param (&url, "end", end);
          }
      }
      break;

    case HS_FETCH_TRADES:
      if (advanced)
        {
          hs_url_path (&url, "/ticker");
          hs_url_param_int (&url, "limit", hs_provider_limit (provider, kind, query));
        }
      else
        {
          int64_t after;

          hs_url_path (&url, "/trades");
          hs_url_param_int (&url, "limit", hs_provider_limit (provider, kind, query));
          if (query->cursor != NULL)
            {
              if (!hs_provider_cursor_int64 (query, &after, error))
                return NULL;
              hs_url_param_int (&url, "after", after);
            }
        }
      break;

    case HS_FETCH_BOOK:
      hs_url_path (&url, "/book");
      hs_url_param (&url, "level", "2");
      break;

    case HS_FETCH_SNAPSHOTS:
      hs_url_path (&url, "/ticker");
      if (advanced)
        hs_url_param (&url, "limit", "1");
      break;

    case HS_FETCH_INSTRUMENTS:
    case HS_FETCH_OPTIONS:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return hs_url_finish (&url);
}

/* The Exchange's candles: [[time, low, high, open, close, volume], …]. */
static gboolean
parse_exchange_candles (JsonNode       *root,
                        const HsWindow *w,
                        HsProviderPage *page,
                        GError        **error)
{
  JsonArray *rows = NULL;

  if (!hs_json_array (root, NULL, HS_JSON_REQUIRED, &rows, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (NULL, i);
      JsonArray *row = NULL;
      HsBar bar = { .vwap = NAN, .trade_count = -1 };
      double *cols[] = { &bar.low, &bar.high, &bar.open, &bar.close, &bar.volume };

      if (!hs_json_array (json_array_get_element (rows, i), &p, HS_JSON_REQUIRED, &row, error))
        return FALSE;
      if (json_array_get_length (row) < 6)
        return hs_provider_fail_at (error, &p,
                                    ": a candle has 6 values (time, low, high, open, close, volume), not %u",
                                    json_array_get_length (row));
      {
        HsJsonPath p0 = HS_JSON_PATH_INDEX (&p, 0);

        if (!hs_json_seconds (json_array_get_element (row, 0), &p0, HS_JSON_REQUIRED, &bar.ts,
                              error))
          return FALSE;
      }
      for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
        {
          HsJsonPath pc = HS_JSON_PATH_INDEX (&p, c + 1);

          if (!hs_json_number (json_array_get_element (row, c + 1), &pc, HS_JSON_REQUIRED,
                               cols[c], error))
            return FALSE;
        }
      if (!hs_provider_check_bar (&bar, &p, error))
        return FALSE;
      if (bar.ts >= w->start && bar.ts <= w->end)
        g_array_append_val (page->bars, bar);
    }
  return TRUE;
}

/* Advanced's candles: {"candles": [{"start": "1712192400", "low": "…", …}, …]}. */
static gboolean
parse_advanced_candles (JsonObject     *root,
                        const HsWindow *w,
                        HsProviderPage *page,
                        GError        **error)
{
  static const char *const names[] = { "open", "high", "low", "close", "volume" };
  HsJsonPath path = HS_JSON_PATH_ROOT ("candles");
  JsonArray *rows = NULL;

  if (!hs_json_member_array (root, NULL, "candles", HS_JSON_REQUIRED, &rows, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&path, i);
      JsonObject *o = NULL;
      HsBar bar = { .vwap = NAN, .trade_count = -1 };
      double *cols[] = { &bar.open, &bar.high, &bar.low, &bar.close, &bar.volume };

      if (!hs_json_object (json_array_get_element (rows, i), &p, HS_JSON_REQUIRED, &o, error)
          || !hs_json_member_seconds (o, &p, "start", HS_JSON_REQUIRED, &bar.ts, error))
        return FALSE;
      for (guint c = 0; c < G_N_ELEMENTS (names); c++)
        if (!hs_json_member_number (o, &p, names[c], HS_JSON_REQUIRED, cols[c], error))
          return FALSE;
      if (!hs_provider_check_bar (&bar, &p, error))
        return FALSE;
      if (bar.ts >= w->start && bar.ts <= w->end)
        g_array_append_val (page->bars, bar);
    }
  return TRUE;
}

/* The taker side of a print whose `side` names the maker ("buy"/"BUY" …). */
static HsSide
taker_of_maker (const char *maker)
{
  if (maker != NULL && g_ascii_strcasecmp (maker, "buy") == 0)
    return HS_SIDE_SELL;
  if (maker != NULL && g_ascii_strcasecmp (maker, "sell") == 0)
    return HS_SIDE_BUY;
  return HS_SIDE_UNKNOWN;
}

/* A list of prints, newest first ({trade_id, price, size, time, side}). Returns the smallest
 * trade id and its time through @oldest_id/@oldest_ts (-1 / 0 when the list is empty). */
static gboolean
parse_trade_list (JsonArray             *rows,
                  const HsJsonPath      *path,
                  const HsProviderQuery *query,
                  HsProviderPage        *page,
                  int64_t               *oldest_id,
                  int64_t               *oldest_ts,
                  GError               **error)
{
  guint n = json_array_get_length (rows);

  *oldest_id = -1;
  *oldest_ts = 0;
  for (guint k = n; k > 0; k--)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (path, k - 1);
      JsonObject *o = NULL;
      HsTrade t = { 0 };
      int64_t id = -1;
      const char *side = NULL;

      if (!hs_json_object (json_array_get_element (rows, k - 1), &p, HS_JSON_REQUIRED, &o, error)
          || !hs_json_member_int64 (o, &p, "trade_id", HS_JSON_REQUIRED, &id, error)
          || !hs_json_member_number (o, &p, "price", HS_JSON_REQUIRED, &t.price, error)
          || !hs_json_member_number (o, &p, "size", HS_JSON_REQUIRED, &t.size, error)
          || !hs_json_member_time (o, &p, "time", HS_JSON_REQUIRED, &t.ts, error)
          || !hs_json_member_string (o, &p, "side", HS_JSON_OPTIONAL, &side, error))
        return FALSE;
      if (!(t.price > 0) || !(t.size >= 0))
        return hs_provider_fail_at (error, &p, ": price %g and size %g must be positive", t.price,
                                    t.size);
      if (*oldest_id < 0 || id < *oldest_id)
        {
          *oldest_id = id;
          *oldest_ts = t.ts;
        }
      if ((query->from > 0 && t.ts < query->from) || (query->to > 0 && t.ts > query->to))
        continue;
      t.side = taker_of_maker (side);
      t.trade_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_array_append_val (page->trades, t);
    }
  return TRUE;
}

static gboolean
parse_quote (JsonObject            *o,
             const HsJsonPath      *path,
             const char            *bid,
             const char            *ask,
             int64_t                ts,
             HsProviderPage        *page,
             GError               **error)
{
  HsQuote q = { .ts = ts, .bid_size = NAN, .ask_size = NAN };

  if (!hs_json_member_number (o, path, bid, HS_JSON_REQUIRED, &q.bid, error)
      || !hs_json_member_number (o, path, ask, HS_JSON_REQUIRED, &q.ask, error)
      || !hs_provider_check_quote (&q, path, error))
    return FALSE;
  g_array_append_val (page->quotes, q);
  return TRUE;
}

static gboolean
coinbase_parse (const HsProvider      *provider,
                HsFetchKind            kind,
                const HsProviderQuery *query,
                JsonNode              *root,
                HsProviderPage        *page,
                GError               **error)
{
  gboolean advanced = is_advanced (provider);
  JsonObject *o = NULL;

  /* An error in a 2xx body: {"message": "NotFound"} where a list was due. */
  if (JSON_NODE_HOLDS_OBJECT (root) && provider->ops->error_message != NULL
      && (json_object_has_member (json_node_get_object (root), "message")
          || json_object_has_member (json_node_get_object (root), "error")))
    {
      g_autofree char *msg = provider->ops->error_message (root);

      if (msg != NULL)
        return hs_provider_fail (error, HS_PROVIDER_ERROR_API, "%s", msg);
    }
  /* The Exchange's candles and trades are bare arrays; every other body is an object. */
  if ((advanced || (kind != HS_FETCH_CANDLES && kind != HS_FETCH_TRADES))
      && !hs_json_object (root, NULL, HS_JSON_REQUIRED, &o, error))
    return FALSE;

  switch (kind)
    {
    case HS_FETCH_CANDLES:
      {
        HsWindow w;

        if (hs_provider_candle_window (provider, query, &w, error) == NULL)
          return FALSE;
        if (advanced ? !parse_advanced_candles (o, &w, page, error)
                     : !parse_exchange_candles (root, &w, page, error))
          return FALSE;
        page->next_cursor = hs_provider_window_cursor (&w);
        return TRUE;
      }

    case HS_FETCH_TRADES:
      {
        HsJsonPath path = HS_JSON_PATH_ROOT ("trades");
        JsonArray *rows = NULL;
        int64_t oldest_id, oldest_ts;

        if (advanced ? !hs_json_member_array (o, NULL, "trades", HS_JSON_REQUIRED, &rows, error)
                     : !hs_json_array (root, NULL, HS_JSON_REQUIRED, &rows, error))
          return FALSE;
        if (!parse_trade_list (rows, advanced ? &path : NULL, query, page, &oldest_id,
                               &oldest_ts, error))
          return FALSE;
        /* The Exchange pages backwards from the newest print: go on while the range's start
         * is older than this page's oldest print. Advanced has only the latest prints. */
        if (!advanced && oldest_id > 1 && query->from > 0 && oldest_ts > query->from)
          page->next_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, oldest_id);
        return TRUE;
      }

    case HS_FETCH_BOOK:
      {
        g_autoptr(GArray) bids = g_array_new (FALSE, FALSE, sizeof (HsLevel));
        g_autoptr(GArray) asks = g_array_new (FALSE, FALSE, sizeof (HsLevel));
        HsJsonPath pricebook = HS_JSON_PATH_ROOT ("pricebook");
        const HsJsonPath *path = advanced ? &pricebook : NULL;
        HsJsonPath pb = HS_JSON_PATH_MEMBER (path, "bids"), pa = HS_JSON_PATH_MEMBER (path, "asks");
        JsonObject *book = o;
        JsonArray *b = NULL, *a = NULL;
        int64_t ts = query->now, sequence = -1;

        if (advanced && !hs_json_member_object (o, NULL, "pricebook", HS_JSON_REQUIRED, &book,
                                                error))
          return FALSE;
        if (!hs_json_member_array (book, path, "bids", HS_JSON_REQUIRED, &b, error)
            || !hs_json_member_array (book, path, "asks", HS_JSON_REQUIRED, &a, error)
            || !hs_provider_levels (b, &pb, bids, error)
            || !hs_provider_levels (a, &pa, asks, error)
            || !hs_json_member_time (book, path, "time", HS_JSON_OPTIONAL, &ts, error)
            || !hs_json_member_int64 (book, path, "sequence", HS_JSON_OPTIONAL, &sequence, error))
          return FALSE;
        if (ts <= 0 && !hs_provider_need_now (provider, query, "book", error))
          return FALSE;
        return hs_provider_book (page, ts, sequence, bids, asks,
                                 hs_provider_depth (provider, query), path, error);
      }

    case HS_FETCH_SNAPSHOTS:
      if (advanced)
        {
          if (!hs_provider_need_now (provider, query, "snapshots", error))
            return FALSE;
          return parse_quote (o, NULL, "best_bid", "best_ask", query->now, page, error);
        }
      else
        {
          int64_t ts = 0;

          if (!hs_json_member_time (o, NULL, "time", HS_JSON_REQUIRED, &ts, error))
            return FALSE;
          return parse_quote (o, NULL, "bid", "ask", ts, page, error);
        }

    case HS_FETCH_INSTRUMENTS:
    case HS_FETCH_OPTIONS:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Exchange: {"message": "NotFound"}; Advanced: {"error": "NOT_FOUND", "message": "…",
 * "error_details": "…"}. */
static char *
coinbase_error_message (JsonNode *root)
{
  JsonObject *o;
  const char *error = NULL, *message = NULL, *details = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  o = json_node_get_object (root);
  hs_json_member_string (o, NULL, "error", HS_JSON_OPTIONAL, &error, NULL);
  hs_json_member_string (o, NULL, "message", HS_JSON_OPTIONAL, &message, NULL);
  hs_json_member_string (o, NULL, "error_details", HS_JSON_OPTIONAL, &details, NULL);
  if (message != NULL && message[0] != '\0')
    return g_strdup (message);
  if (details != NULL && details[0] != '\0')
    return g_strdup (details);
  if (error != NULL && error[0] != '\0')
    return g_strdup (error);
  return NULL;
}

static const HsProviderOps coinbase_ops = {
  .build = coinbase_build,
  .parse = coinbase_parse,
  .error_message = coinbase_error_message,
};

const HsProvider hs_provider_coinbase = {
  .name = "coinbase",
  .title = "Coinbase Exchange",
  .default_base_url = "https://api.exchange.coinbase.com",
  .base_url_env = "HINDSIGHT_COINBASE_BASE_URL",
  .exchange = "coinbase",
  .instrument_kind = "crypto",
  .capabilities = HS_FETCH_CAP (HS_FETCH_CANDLES) | HS_FETCH_CAP (HS_FETCH_TRADES)
                  | HS_FETCH_CAP (HS_FETCH_BOOK) | HS_FETCH_CAP (HS_FETCH_SNAPSHOTS),
  /* 10 requests/s per IP with bursts of 15, then 429. */
  .rate_per_second = 10,
  .burst = 15,
  .intervals = exchange_intervals,
  .n_intervals = G_N_ELEMENTS (exchange_intervals),
  .max_rows = { [HS_FETCH_TRADES] = 1000, [HS_FETCH_BOOK] = 50 },
  .default_depth = 10,
  .ops = &coinbase_ops,
};

const HsProvider hs_provider_coinbase_advanced = {
  .name = "coinbase-advanced",
  .title = "Coinbase Advanced Trade (public)",
  .default_base_url = "https://api.coinbase.com/api/v3/brokerage",
  .base_url_env = "HINDSIGHT_COINBASE_ADVANCED_BASE_URL",
  .exchange = "coinbase",
  .instrument_kind = "crypto",
  .capabilities = HS_FETCH_CAP (HS_FETCH_CANDLES) | HS_FETCH_CAP (HS_FETCH_TRADES)
                  | HS_FETCH_CAP (HS_FETCH_BOOK) | HS_FETCH_CAP (HS_FETCH_SNAPSHOTS),
  .rate_per_second = 10,
  .burst = 15,
  .intervals = advanced_intervals,
  .n_intervals = G_N_ELEMENTS (advanced_intervals),
  .max_rows = { [HS_FETCH_TRADES] = 1000, [HS_FETCH_BOOK] = 500 },
  .default_depth = 10,
  .ops = &coinbase_ops,
};
