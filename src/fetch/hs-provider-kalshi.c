/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kalshi trade-api v2 (keyless market data): the markets list and one market (prediction-market
 * snapshots, seed 003), the order book, trades and candlesticks. Quirks handled here:
 *
 * - prices come as `*_dollars` strings in current data and as integer cents in older data; a
 *   recorder may turn integers into strings (end_period_ts): every number goes through the one
 *   reader, so both forms work;
 * - the book lists bids only, for YES and for NO: a NO bid at p is a YES ask at 1 − p, so the
 *   asks (and the spread) are derived;
 * - a candlestick's end_period_ts is the END of its period: the bar starts one period earlier;
 *   a period without trades has null prices and gives no bar, only a snapshot of its bid/ask;
 * - an empty cursor is the last page; trades come newest first.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-provider-private.h"

#include <math.h>
#include <string.h>

static const HsProviderInterval kalshi_intervals[] = {
  /* 5,000 candlesticks per request (a larger range is a 400); no lookback limit for markets
   * not yet archived. */
  { "1m", "1", 60, 0, 5000, 0 },
  { "1h", "60", 3600, 0, 5000, 0 },
  { "1d", "1440", 86400, 0, 5000, 0 },
};

/* The series of a market ticker: its text before the first '-' ("KXELONMARS-99" is in series
 * "KXELONMARS"), as Kalshi names events and markets after their series. */
static char *
series_of (const char *ticker)
{
  const char *dash = strchr (ticker, '-');

  return dash != NULL && dash > ticker ? g_strndup (ticker, (gsize) (dash - ticker))
                                       : g_strdup (ticker);
}

static char *
kalshi_build (const HsProvider      *provider,
              const char            *base_url,
              HsFetchKind            kind,
              const HsProviderQuery *query,
              GError               **error)
{
  g_auto(HsUrl) url = { NULL, FALSE };
  const char *symbol = NULL;

  if (kind != HS_FETCH_INSTRUMENTS && (symbol = hs_provider_symbol (provider, query, error)) == NULL)
    return NULL;
  if ((kind == HS_FETCH_SNAPSHOTS || kind == HS_FETCH_BOOK)
      && !hs_provider_need_now (provider, query, hs_fetch_kind_to_string (kind), error))
    return NULL;
  hs_url_init (&url, base_url);
  switch (kind)
    {
    case HS_FETCH_INSTRUMENTS:
      hs_url_path (&url, "/markets");
      hs_url_param_int (&url, "limit", hs_provider_limit (provider, kind, query));
      hs_url_param (&url, "status", "open");
      if (query->symbol != NULL && query->symbol[0] != '\0')
        hs_url_param (&url, "series_ticker", query->symbol);
      if (query->cursor != NULL)
        hs_url_param (&url, "cursor", query->cursor);
      break;

    case HS_FETCH_SNAPSHOTS:
      if (strchr (symbol, ',') != NULL)
        {
          /* Several tickers: one request for all of them, paged like the list. */
          hs_url_path (&url, "/markets");
          hs_url_param (&url, "tickers", symbol);
          hs_url_param_int (&url, "limit", hs_provider_limit (provider, kind, query));
          if (query->cursor != NULL)
            hs_url_param (&url, "cursor", query->cursor);
        }
      else
        {
          hs_url_path (&url, "/markets/");
          hs_url_segment (&url, symbol);
        }
      break;

    case HS_FETCH_BOOK:
      hs_url_path (&url, "/markets/");
      hs_url_segment (&url, symbol);
      hs_url_path (&url, "/orderbook");
      hs_url_param_int (&url, "depth", hs_provider_depth (provider, query));
      break;

    case HS_FETCH_TRADES:
      hs_url_path (&url, "/markets/trades");
      hs_url_param (&url, "ticker", symbol);
      hs_url_param_int (&url, "limit", hs_provider_limit (provider, kind, query));
      if (query->from > 0)
        hs_url_param_int (&url, "min_ts", query->from / HS_US_PER_S);
      if (query->to > 0)
        hs_url_param_int (&url, "max_ts", (query->to + HS_US_PER_S - 1) / HS_US_PER_S);
      if (query->cursor != NULL)
        hs_url_param (&url, "cursor", query->cursor);
      break;

    case HS_FETCH_CANDLES:
      {
        HsWindow w;
        const HsProviderInterval *iv = hs_provider_candle_window (provider, query, &w, error);
        g_autofree char *series = series_of (symbol);

        if (iv == NULL)
          return NULL;
        /* The API selects candles by their period's end: the window's bars end from
         * start + period to end + period. */
        hs_url_path (&url, "/series/");
        hs_url_segment (&url, series);
        hs_url_path (&url, "/markets/");
        hs_url_segment (&url, symbol);
        hs_url_path (&url, "/candlesticks");
        hs_url_param_int (&url, "start_ts", w.start / HS_US_PER_S + iv->seconds);
        hs_url_param_int (&url, "end_ts", w.end / HS_US_PER_S + iv->seconds);
        hs_url_param (&url, "period_interval", iv->code);
      }
      break;

    case HS_FETCH_OPTIONS:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return hs_url_finish (&url);
}

/* A price in dollars of a $1 contract: `NAME_dollars` ("0.0800"), else the deprecated integer
 * cents `NAME`; NAN when neither is there. Must lie in [0, 1]. */
static gboolean
read_price (JsonObject       *o,
            const HsJsonPath *path,
            const char       *name,
            double           *out,
            GError          **error)
{
  g_autofree char *dollars = g_strconcat (name, "_dollars", NULL);

  if (o != NULL && json_object_has_member (o, dollars))
    {
      if (!hs_json_member_number (o, path, dollars, HS_JSON_OPTIONAL, out, error))
        return FALSE;
    }
  else
    {
      if (!hs_json_member_number (o, path, name, HS_JSON_OPTIONAL, out, error))
        return FALSE;
      *out /= 100.0;
    }
  if (!isnan (*out) && !(*out >= 0 && *out <= 1))
    return hs_provider_fail_at (error, path, ".%s: %g is not a price between 0 and 1 dollar", name,
                                *out);
  return TRUE;
}

/* A count of contracts: `NAME_fp` ("94884.62", fractional trading), else the integer `NAME`. */
static gboolean
read_count (JsonObject       *o,
            const HsJsonPath *path,
            const char       *name,
            HsJsonNeed        need,
            double           *out,
            GError          **error)
{
  g_autofree char *fp = g_strconcat (name, "_fp", NULL);
  const char *member = o != NULL && json_object_has_member (o, fp) ? fp : name;

  if (!hs_json_member_number (o, path, member, need, out, error))
    return FALSE;
  if (!isnan (*out) && *out < 0)
    return hs_provider_fail_at (error, path, ".%s: %g is negative", member, *out);
  return TRUE;
}

/* 1 − p on the price grid (Kalshi quotes to 0.0001 dollar): the YES ask a NO bid at p is. */
static double
complement (double p)
{
  return isnan (p) ? NAN : round ((1.0 - p) * 1e6) / 1e6;
}

static gboolean
read_ticker (JsonObject       *o,
             const HsJsonPath *path,
             const char       *member,
             const char      **out,
             GError          **error)
{
  if (!hs_json_member_string (o, path, member, HS_JSON_REQUIRED, out, error))
    return FALSE;
  if ((*out)[0] == '\0')
    return hs_provider_fail_at (error, path, ".%s is empty", member);
  return TRUE;
}

/* One market object as a poll snapshot at the query's time. */
static gboolean
add_market_snapshot (HsProviderPage        *page,
                     const HsProviderQuery *query,
                     JsonNode              *node,
                     const HsJsonPath      *path,
                     GError               **error)
{
  HsMarketSnapshot snap = { .ts = query->now, .source = HS_SNAPSHOT_POLL, .sequence = -1 };
  JsonObject *m = NULL;
  const char *ticker = NULL, *status = NULL;

  if (!hs_json_object (node, path, HS_JSON_REQUIRED, &m, error)
      || !read_ticker (m, path, "ticker", &ticker, error)
      || !read_price (m, path, "yes_bid", &snap.yes_bid, error)
      || !read_price (m, path, "yes_ask", &snap.yes_ask, error)
      || !read_price (m, path, "no_bid", &snap.no_bid, error)
      || !read_price (m, path, "no_ask", &snap.no_ask, error)
      || !read_price (m, path, "last_price", &snap.last_price, error)
      || !read_count (m, path, "volume", HS_JSON_OPTIONAL, &snap.volume, error)
      || !read_count (m, path, "open_interest", HS_JSON_OPTIONAL, &snap.open_interest, error)
      || !hs_json_member_string (m, path, "status", HS_JSON_OPTIONAL, &status, error))
    return FALSE;
  snap.ticker = g_strdup (ticker);
  snap.status = g_strdup (status);
  snap.raw_json = hs_provider_json_text (node);
  g_array_append_val (page->snapshots, snap);
  return TRUE;
}

static gboolean
add_market_instrument (HsProviderPage   *page,
                       JsonNode         *node,
                       const HsJsonPath *path,
                       GError          **error)
{
  g_autoptr(HsProviderInstrument) inst = g_new0 (HsProviderInstrument, 1);
  JsonObject *m = NULL;
  const char *ticker = NULL, *title = NULL, *status = NULL, *event = NULL;

  if (!hs_json_object (node, path, HS_JSON_REQUIRED, &m, error)
      || !read_ticker (m, path, "ticker", &ticker, error)
      || !hs_json_member_string (m, path, "title", HS_JSON_OPTIONAL, &title, error)
      || !hs_json_member_string (m, path, "status", HS_JSON_OPTIONAL, &status, error)
      || !hs_json_member_string (m, path, "event_ticker", HS_JSON_OPTIONAL, &event, error)
      || !hs_json_member_time (m, path, "close_time", HS_JSON_OPTIONAL, &inst->expiry, error))
    return FALSE;
  inst->symbol = g_strdup (ticker);
  inst->name = g_strdup (title);
  inst->kind = g_strdup ("prediction");
  inst->exchange = g_strdup ("kalshi");
  inst->currency = g_strdup ("USD");
  inst->status = g_strdup (status);
  inst->group = g_strdup (event);
  g_ptr_array_add (page->instruments, g_steal_pointer (&inst));
  return TRUE;
}

/* `{"markets": […], "cursor": "…"}`: each market through @add; an empty cursor ends. */
static gboolean
parse_market_list (HsProviderPage        *page,
                   const HsProviderQuery *query,
                   JsonObject            *root,
                   gboolean               instruments,
                   GError               **error)
{
  HsJsonPath markets_path = HS_JSON_PATH_ROOT ("markets");
  JsonArray *markets = NULL;
  const char *cursor = NULL;

  if (!hs_json_member_array (root, NULL, "markets", HS_JSON_REQUIRED, &markets, error)
      || !hs_json_member_string (root, NULL, "cursor", HS_JSON_OPTIONAL, &cursor, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (markets); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&markets_path, i);
      JsonNode *node = json_array_get_element (markets, i);

      if (instruments ? !add_market_instrument (page, node, &p, error)
                      : !add_market_snapshot (page, query, node, &p, error))
        return FALSE;
    }
  if (cursor != NULL && cursor[0] != '\0' && json_array_get_length (markets) > 0)
    page->next_cursor = g_strdup (cursor);
  return TRUE;
}

/* One side of the book: `orderbook_fp.{yes,no}_dollars` ([["0.0800", "444.32"]], dollars) or
 * the older `orderbook.{yes,no}` ([[8, 444]], cents and whole contracts); null when empty. */
static gboolean
read_book_side (JsonObject       *book,
                const HsJsonPath *path,
                const char       *side,
                gboolean          cents,
                GArray           *out,
                GError          **error)
{
  g_autofree char *member = cents ? g_strdup (side) : g_strconcat (side, "_dollars", NULL);
  HsJsonPath p = HS_JSON_PATH_MEMBER (path, member);
  JsonArray *levels = NULL;

  if (!hs_json_member_array (book, path, member, HS_JSON_OPTIONAL, &levels, error)
      || !hs_provider_levels (levels, &p, out, error))
    return FALSE;
  for (guint i = 0; i < out->len; i++)
    {
      HsLevel *l = &g_array_index (out, HsLevel, i);

      if (cents)
        l->price /= 100.0;
      if (!(l->price > 0 && l->price < 1))
        return hs_provider_fail_at (error, &p, "[%u]: %g is not a price between 0 and 1 dollar", i,
                                    l->price);
    }
  return TRUE;
}

static gboolean
parse_book (const HsProvider      *provider,
            const HsProviderQuery *query,
            JsonObject            *root,
            HsProviderPage        *page,
            GError               **error)
{
  g_autoptr(GArray) yes = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  g_autoptr(GArray) no = g_array_new (FALSE, FALSE, sizeof (HsLevel));
  gboolean cents = !json_object_has_member (root, "orderbook_fp");
  const char *name = cents ? "orderbook" : "orderbook_fp";
  HsJsonPath path = HS_JSON_PATH_ROOT (name);
  JsonObject *book = NULL;

  if (!hs_provider_need_now (provider, query, "book", error)
      || !hs_json_member_object (root, NULL, name, HS_JSON_REQUIRED, &book, error)
      || !read_book_side (book, &path, "yes", cents, yes, error)
      || !read_book_side (book, &path, "no", cents, no, error))
    return FALSE;
  /* A NO bid at p for n contracts is a YES ask at 1 − p for n. */
  for (guint i = 0; i < no->len; i++)
    {
      HsLevel *l = &g_array_index (no, HsLevel, i);

      l->price = complement (l->price);
    }
  return hs_provider_book (page, query->now, -1, yes, no, hs_provider_depth (provider, query),
                           &path, error);
}

static gboolean
parse_trades (const HsProviderQuery *query,
              JsonObject            *root,
              HsProviderPage        *page,
              GError               **error)
{
  HsJsonPath trades_path = HS_JSON_PATH_ROOT ("trades");
  JsonArray *trades = NULL;
  const char *cursor = NULL;
  guint n;

  if (!hs_json_member_array (root, NULL, "trades", HS_JSON_REQUIRED, &trades, error)
      || !hs_json_member_string (root, NULL, "cursor", HS_JSON_OPTIONAL, &cursor, error))
    return FALSE;
  n = json_array_get_length (trades);
  /* Newest first: read from the end so the page is ascending. */
  for (guint k = n; k > 0; k--)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&trades_path, k - 1);
      HsTrade t = { .side = HS_SIDE_UNKNOWN };
      JsonObject *o = NULL;
      const char *id = NULL, *side = NULL;

      if (!hs_json_object (json_array_get_element (trades, k - 1), &p, HS_JSON_REQUIRED, &o,
                           error)
          || !hs_json_member_time (o, &p, "created_time", HS_JSON_REQUIRED, &t.ts, error)
          || !read_price (o, &p, "yes_price", &t.price, error)
          || !read_count (o, &p, "count", HS_JSON_REQUIRED, &t.size, error)
          || !hs_json_member_string (o, &p, "trade_id", HS_JSON_OPTIONAL, &id, error)
          || !hs_json_member_string (o, &p, json_object_has_member (o, "taker_outcome_side")
                                            ? "taker_outcome_side" : "taker_side",
                                     HS_JSON_OPTIONAL, &side, error))
        return FALSE;
      if (!(t.price > 0))
        return hs_provider_fail_at (error, &p, ": the trade has no yes_price_dollars");
      /* The taker bought YES (buy pressure on the YES price) or bought NO (sell pressure). */
      if (g_strcmp0 (side, "yes") == 0)
        t.side = HS_SIDE_BUY;
      else if (g_strcmp0 (side, "no") == 0)
        t.side = HS_SIDE_SELL;
      if ((query->from > 0 && t.ts < query->from) || (query->to > 0 && t.ts > query->to))
        continue;
      t.trade_id = g_strdup (id);
      g_array_append_val (page->trades, t);
    }
  if (cursor != NULL && cursor[0] != '\0' && n > 0)
    page->next_cursor = g_strdup (cursor);
  return TRUE;
}

/* The OHLC of one candlestick member (`yes_bid`, `yes_ask`, `price`): open/high/low/close in
 * dollars or cents; a member or value that is absent or null reads as NAN. */
static gboolean
read_ohlc (JsonObject       *candle,
           const HsJsonPath *path,
           const char       *member,
           double            ohlc[4],
           GError          **error)
{
  static const char *const names[] = { "open", "high", "low", "close" };
  HsJsonPath p = HS_JSON_PATH_MEMBER (path, member);
  JsonObject *o = NULL;

  if (!hs_json_member_object (candle, path, member, HS_JSON_OPTIONAL, &o, error))
    return FALSE;
  for (int i = 0; i < 4; i++)
    if (!read_price (o, &p, names[i], &ohlc[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
parse_candles (const HsProvider      *provider,
               const HsProviderQuery *query,
               JsonObject            *root,
               HsProviderPage        *page,
               GError               **error)
{
  const HsProviderInterval *iv = NULL;
  HsJsonPath candles_path = HS_JSON_PATH_ROOT ("candlesticks");
  JsonArray *candles = NULL;
  const char *ticker = NULL;
  HsWindow w;

  if ((iv = hs_provider_candle_window (provider, query, &w, error)) == NULL
      || !hs_json_member_array (root, NULL, "candlesticks", HS_JSON_REQUIRED, &candles, error)
      || !hs_json_member_string (root, NULL, "ticker", HS_JSON_OPTIONAL, &ticker, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (candles); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&candles_path, i);
      JsonNode *node = json_array_get_element (candles, i);
      JsonObject *c = NULL;
      int64_t end = 0;
      double bid[4], ask[4], price[4], volume, oi;
      HsMarketSnapshot snap = { .source = HS_SNAPSHOT_BACKFILL, .sequence = -1 };

      if (!hs_json_object (node, &p, HS_JSON_REQUIRED, &c, error)
          || !hs_json_member_seconds (c, &p, "end_period_ts", HS_JSON_REQUIRED, &end, error)
          || !read_ohlc (c, &p, "yes_bid", bid, error)
          || !read_ohlc (c, &p, "yes_ask", ask, error)
          || !read_ohlc (c, &p, "price", price, error)
          || !read_count (c, &p, "volume", HS_JSON_OPTIONAL, &volume, error)
          || !read_count (c, &p, "open_interest", HS_JSON_OPTIONAL, &oi, error))
        return FALSE;
      if (end - iv->seconds * HS_US_PER_S < w.start || end - iv->seconds * HS_US_PER_S > w.end)
        continue;

      /* The bid and ask at the period's end, as a snapshot of the market then (its volume
       * would be the period's, not the market's total, so it is left out). */
      snap.ts = end;
      snap.yes_bid = bid[3];
      snap.yes_ask = ask[3];
      snap.no_bid = complement (ask[3]);
      snap.no_ask = complement (bid[3]);
      snap.last_price = price[3];
      snap.volume = NAN;
      snap.open_interest = oi;
      if (!isnan (snap.yes_bid) || !isnan (snap.yes_ask) || !isnan (snap.last_price))
        {
          snap.ticker = g_strdup (ticker != NULL ? ticker : query->symbol);
          snap.raw_json = hs_provider_json_text (node);
          g_array_append_val (page->snapshots, snap);
        }

      if (isnan (price[0]) || isnan (price[1]) || isnan (price[2]) || isnan (price[3]))
        {
          char when[40];

          hs_time_format_iso_buf (end, when);
          hs_provider_page_skip (page, "candlesticks[%u] (ending %s): no trades, no bar", i,
                                 when);
          continue;
        }
      {
        HsBar bar = {
          .ts = end - iv->seconds * HS_US_PER_S,
          .open = price[0], .high = price[1], .low = price[2], .close = price[3],
          .volume = isnan (volume) ? 0 : volume, .vwap = NAN, .trade_count = -1,
        };

        if (!hs_provider_check_bar (&bar, &p, error))
          return FALSE;
        g_array_append_val (page->bars, bar);
      }
    }
  page->next_cursor = hs_provider_window_cursor (&w);
  return TRUE;
}

static gboolean
kalshi_parse (const HsProvider      *provider,
              HsFetchKind            kind,
              const HsProviderQuery *query,
              JsonNode              *node,
              HsProviderPage        *page,
              GError               **error)
{
  JsonObject *root = NULL;

  if (!hs_json_object (node, NULL, HS_JSON_REQUIRED, &root, error))
    return FALSE;
  if (json_object_has_member (root, "error"))
    {
      g_autofree char *msg = provider->ops->error_message (node);

      return hs_provider_fail (error, HS_PROVIDER_ERROR_API, "%s", msg ? msg : "an error");
    }
  switch (kind)
    {
    case HS_FETCH_INSTRUMENTS:
      return parse_market_list (page, query, root, TRUE, error);
    case HS_FETCH_SNAPSHOTS:
      if (!hs_provider_need_now (provider, query, "snapshots", error))
        return FALSE;
      if (json_object_has_member (root, "markets"))
        return parse_market_list (page, query, root, FALSE, error);
      {
        HsJsonPath p = HS_JSON_PATH_ROOT ("market");

        return add_market_snapshot (page, query, json_object_get_member (root, "market"), &p,
                                    error);
      }
    case HS_FETCH_BOOK:
      return parse_book (provider, query, root, page, error);
    case HS_FETCH_TRADES:
      return parse_trades (query, root, page, error);
    case HS_FETCH_CANDLES:
      return parse_candles (provider, query, root, page, error);
    case HS_FETCH_OPTIONS:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* `{"error": {"code": "not_found", "message": "…"}}`, or `{"error": "too many requests"}`. */
static char *
kalshi_error_message (JsonNode *root)
{
  JsonNode *err;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  err = json_object_get_member (json_node_get_object (root), "error");
  if (err == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (err) && json_node_get_value_type (err) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (err));
  if (JSON_NODE_HOLDS_OBJECT (err))
    {
      JsonObject *o = json_node_get_object (err);
      const char *code = NULL, *message = NULL;

      hs_json_member_string (o, NULL, "code", HS_JSON_OPTIONAL, &code, NULL);
      hs_json_member_string (o, NULL, "message", HS_JSON_OPTIONAL, &message, NULL);
      if (code != NULL || message != NULL)
        return g_strdup_printf ("%s%s%s", code ? code : "", code && message ? ": " : "",
                                message ? message : "");
    }
  return NULL;
}

static const HsProviderOps kalshi_ops = {
  .build = kalshi_build,
  .parse = kalshi_parse,
  .error_message = kalshi_error_message,
};

const HsProvider hs_provider_kalshi = {
  .name = "kalshi",
  .title = "Kalshi",
  .default_base_url = "https://api.elections.kalshi.com/trade-api/v2",
  .base_url_env = "HINDSIGHT_KALSHI_BASE_URL",
  .exchange = "kalshi",
  .instrument_kind = "prediction",
  .capabilities = HS_FETCH_CAP (HS_FETCH_INSTRUMENTS) | HS_FETCH_CAP (HS_FETCH_CANDLES)
                  | HS_FETCH_CAP (HS_FETCH_TRADES) | HS_FETCH_CAP (HS_FETCH_BOOK)
                  | HS_FETCH_CAP (HS_FETCH_SNAPSHOTS),
  /* The keyless budget is undocumented (the Basic tier is about 20 reads/s): stay at 10. */
  .rate_per_second = 10,
  .burst = 10,
  .intervals = kalshi_intervals,
  .n_intervals = G_N_ELEMENTS (kalshi_intervals),
  .max_rows = {
    [HS_FETCH_INSTRUMENTS] = 1000,
    [HS_FETCH_TRADES] = 1000,
    [HS_FETCH_BOOK] = 100,
    [HS_FETCH_SNAPSHOTS] = 1000,
  },
  .default_depth = 10,
  .ops = &kalshi_ops,
};
