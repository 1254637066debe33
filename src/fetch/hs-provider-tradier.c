/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tradier market data (api.tradier.com/v1, a bearer token): quotes of stocks, ETFs and option
 * contracts, option expirations and chains with ORATS greeks and IV, daily/weekly/monthly
 * history. Quirks handled here:
 *
 * - every list is an array, a bare object when it has one element, or null when empty
 *   (`{"quotes": {"quote": {…}}}` for one symbol): hs_json_list() reads all three;
 * - the token goes in `Authorization: Bearer`, never in the URL (hs_provider_build_request());
 * - a chain is fetched one expiration at a time: the first page asks for the expirations (those
 *   in the query's range) and its cursor lists them; each later page is one expiration's chain
 *   and its cursor the expirations still to come;
 * - the contract's underlying, expiry, strike and right come from its OCC symbol; quote times
 *   are milliseconds (bid_date, ask_date), history dates are days (stored at 00:00 UTC);
 * - ORATS greeks may be null; a greek out of the range option_quotes holds (a negative gamma or
 *   vega, |delta| > 1) and an IV of 0 (no quote to imply it from) are dropped from the row with
 *   a warning, the quote is kept.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-provider-private.h"

#include <math.h>
#include <string.h>

static const HsProviderInterval tradier_intervals[] = {
  { "1d", "daily", 86400, 0, 0, 0 },
  { "1w", "weekly", 7 * 86400, 0, 0, 0 },
  { "1mo", "monthly", 0, 0, 0, 0 },
};

static void
format_day (int64_t ts,
            char    buf[16])
{
  char iso[40];

  hs_time_format_iso_buf (ts, iso);
  g_strlcpy (buf, iso, 11);
}

/* A cursor of expirations: "YYYY-MM-DD,YYYY-MM-DD,…". Returns the dates, or NULL. */
static char **
cursor_dates (const HsProviderQuery *query,
              GError               **error)
{
  g_auto(GStrv) dates = g_strsplit (query->cursor, ",", -1);

  for (guint i = 0; dates[i] != NULL; i++)
    {
      int64_t us;

      if (strlen (dates[i]) != 10 || !hs_time_parse (dates[i], NULL, &us, NULL))
        {
          hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID,
                            "tradier options: the cursor “%s” is not a list of dates",
                            query->cursor);
          return NULL;
        }
    }
  if (dates[0] == NULL)
    {
      hs_provider_fail (error, HS_PROVIDER_ERROR_INVALID, "tradier options: the cursor is empty");
      return NULL;
    }
  return g_steal_pointer (&dates);
}

static char *
tradier_build (const HsProvider      *provider,
               const char            *base_url,
               HsFetchKind            kind,
               const HsProviderQuery *query,
               GError               **error)
{
  const char *symbol = hs_provider_symbol (provider, query, error);
  g_auto(HsUrl) url = { NULL, FALSE };

  if (symbol == NULL)
    return NULL;
  hs_url_init (&url, base_url);
  switch (kind)
    {
    case HS_FETCH_CANDLES:
      {
        HsWindow w;
        const HsProviderInterval *iv = hs_provider_candle_window (provider, query, &w, error);
        char start[16], end[16];

        if (iv == NULL)
          return NULL;
        format_day (w.start, start);
        format_day (w.end, end);
        hs_url_path (&url, "/markets/history");
        hs_url_param (&url, "symbol", symbol);
        hs_url_param (&url, "interval", iv->code);
        hs_url_param (&url, "start", start);
        hs_url_param (&url, "end", end);
      }
      break;

    case HS_FETCH_SNAPSHOTS:
      hs_url_path (&url, "/markets/quotes");
      hs_url_param (&url, "symbols", symbol);
      hs_url_param (&url, "greeks", "true");
      break;

    case HS_FETCH_OPTIONS:
      if (query->cursor == NULL)
        {
          hs_url_path (&url, "/markets/options/expirations");
          hs_url_param (&url, "symbol", symbol);
          hs_url_param (&url, "includeAllRoots", "true");
        }
      else
        {
          g_auto(GStrv) dates = cursor_dates (query, error);

          if (dates == NULL)
            return NULL;
          hs_url_path (&url, "/markets/options/chains");
          hs_url_param (&url, "symbol", symbol);
          hs_url_param (&url, "expiration", dates[0]);
          hs_url_param (&url, "greeks", "true");
        }
      break;

    case HS_FETCH_INSTRUMENTS:
    case HS_FETCH_TRADES:
    case HS_FETCH_BOOK:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return hs_url_finish (&url);
}

/* The time of a quote: its newer of bid_date and ask_date (ms), else trade_date, else now. */
static gboolean
quote_time (JsonObject            *o,
            const HsJsonPath      *path,
            const HsProviderQuery *query,
            int64_t               *ts,
            GError               **error)
{
  int64_t bid = 0, ask = 0, trade = 0;

  if (!hs_json_member_int64 (o, path, "bid_date", HS_JSON_OPTIONAL, &bid, error)
      || !hs_json_member_int64 (o, path, "ask_date", HS_JSON_OPTIONAL, &ask, error)
      || !hs_json_member_int64 (o, path, "trade_date", HS_JSON_OPTIONAL, &trade, error))
    return FALSE;
  *ts = MAX (bid, ask) > 0 ? MAX (bid, ask) : trade;
  if (*ts > G_MAXINT64 / 1000 || *ts < 0)
    return hs_provider_fail_at (error, path, ": bid_date/ask_date are not times in milliseconds");
  *ts *= 1000;
  if (*ts == 0)
    {
      if (!hs_provider_need_now (&hs_provider_tradier, query, "quotes without a time", error))
        return FALSE;
      *ts = query->now;
    }
  return TRUE;
}

/* Drops a greek outside the range option_quotes holds, noting it. */
static void
keep_in_range (HsProviderPage   *page,
               const HsJsonPath *path,
               const char       *name,
               double           *v,
               double            lo,
               double            hi)
{
  if (!isnan (*v) && !(*v >= lo && *v <= hi))
    {
      g_autofree char *where = hs_json_path_format (path);

      hs_provider_page_warn (page, "%s.%s: %g is out of range, left out", where, name, *v);
      *v = NAN;
    }
}

static gboolean
add_option (HsProviderPage        *page,
            const HsProviderQuery *query,
            JsonObject            *o,
            const HsJsonPath      *path,
            GError               **error)
{
  HsProviderOptionQuote row = {
    .quote = {
      .volume = -1, .open_interest = -1, .iv = NAN, .delta = NAN, .gamma = NAN, .theta = NAN,
      .vega = NAN, .rho = NAN, .underlying_price = NAN,
    },
  };
  HsOptionQuote *q = &row.quote;
  HsJsonPath gp = HS_JSON_PATH_MEMBER (path, "greeks");
  JsonObject *greeks = NULL;
  const char *symbol = NULL, *underlying = NULL;
  g_autoptr(GError) local = NULL;

  if (!hs_json_member_string (o, path, "symbol", HS_JSON_REQUIRED, &symbol, error))
    return FALSE;
  if (!hs_occ_symbol_parse (symbol, &row.contract, &local))
    return hs_provider_fail_at (error, path, ".symbol: %s", local->message);
  if (!hs_json_member_string (o, path, "underlying", HS_JSON_OPTIONAL, &underlying, error)
      || !hs_json_member_number (o, path, "bid", HS_JSON_OPTIONAL, &q->bid, error)
      || !hs_json_member_number (o, path, "ask", HS_JSON_OPTIONAL, &q->ask, error)
      || !hs_json_member_number (o, path, "last", HS_JSON_OPTIONAL, &q->last, error)
      || !hs_json_member_int64 (o, path, "volume", HS_JSON_OPTIONAL, &q->volume, error)
      || !hs_json_member_int64 (o, path, "open_interest", HS_JSON_OPTIONAL, &q->open_interest,
                                error)
      || !quote_time (o, path, query, &q->ts, error)
      || !hs_json_member_object (o, path, "greeks", HS_JSON_OPTIONAL, &greeks, error)
      || !hs_json_member_number (greeks, &gp, "delta", HS_JSON_OPTIONAL, &q->delta, error)
      || !hs_json_member_number (greeks, &gp, "gamma", HS_JSON_OPTIONAL, &q->gamma, error)
      || !hs_json_member_number (greeks, &gp, "theta", HS_JSON_OPTIONAL, &q->theta, error)
      || !hs_json_member_number (greeks, &gp, "vega", HS_JSON_OPTIONAL, &q->vega, error)
      || !hs_json_member_number (greeks, &gp, "rho", HS_JSON_OPTIONAL, &q->rho, error)
      || !hs_json_member_number (greeks, &gp, "mid_iv", HS_JSON_OPTIONAL, &q->iv, error))
    {
      hs_option_contract_clear (&row.contract);
      return FALSE;
    }
  /* The underlying itself, where an adjusted contract's root differs from it. */
  if (underlying != NULL && underlying[0] != '\0')
    {
      g_free (row.contract.underlying);
      row.contract.underlying = g_strdup (underlying);
    }
  /* A missing side comes as 0; an ask of 0 under a bid is "no ask". */
  if (!isnan (q->bid) && !isnan (q->ask) && q->ask < q->bid)
    {
      g_autofree char *where = hs_json_path_format (path);

      hs_provider_page_warn (page, "%s: ask %g below bid %g, %s left out", where, q->ask,
                             q->bid, q->ask == 0 ? "the ask" : "both");
      if (q->ask != 0)
        q->bid = NAN;
      q->ask = NAN;
    }
  if (q->iv == 0)
    q->iv = NAN;
  keep_in_range (page, &gp, "mid_iv", &q->iv, 0, INFINITY);
  keep_in_range (page, &gp, "delta", &q->delta, -1, 1);
  keep_in_range (page, &gp, "gamma", &q->gamma, 0, INFINITY);
  keep_in_range (page, &gp, "vega", &q->vega, 0, INFINITY);
  if (q->volume < 0)
    q->volume = -1;
  if (q->open_interest < 0)
    q->open_interest = -1;
  if (!hs_option_quote_check (q, &local))
    {
      hs_option_contract_clear (&row.contract);
      return hs_provider_fail_at (error, path, ": %s", local->message);
    }
  g_array_append_val (page->option_quotes, row);
  return TRUE;
}

static const char *
kind_of_type (const char *type)
{
  static const char *const known[] = { "stock", "etf", "index", "option", NULL };

  return type != NULL && g_strv_contains (known, type) ? type : NULL;
}

/* A stock/ETF/index quote: the top of the book, and the instrument it describes. */
static gboolean
add_quote (HsProviderPage        *page,
           const HsProviderQuery *query,
           JsonObject            *o,
           const HsJsonPath      *path,
           GError               **error)
{
  HsQuote q = { 0 };
  g_autoptr(HsProviderInstrument) inst = g_new0 (HsProviderInstrument, 1);
  const char *symbol = NULL, *type = NULL, *name = NULL, *exch = NULL;

  if (!hs_json_member_string (o, path, "symbol", HS_JSON_REQUIRED, &symbol, error)
      || !hs_json_member_string (o, path, "type", HS_JSON_OPTIONAL, &type, error)
      || !hs_json_member_string (o, path, "description", HS_JSON_OPTIONAL, &name, error)
      || !hs_json_member_string (o, path, "exch", HS_JSON_OPTIONAL, &exch, error)
      || !hs_json_member_number (o, path, "bid", HS_JSON_OPTIONAL, &q.bid, error)
      || !hs_json_member_number (o, path, "ask", HS_JSON_OPTIONAL, &q.ask, error)
      || !hs_json_member_number (o, path, "bidsize", HS_JSON_OPTIONAL, &q.bid_size, error)
      || !hs_json_member_number (o, path, "asksize", HS_JSON_OPTIONAL, &q.ask_size, error)
      || !quote_time (o, path, query, &q.ts, error))
    return FALSE;
  inst->symbol = g_strdup (symbol);
  inst->name = g_strdup (name);
  inst->kind = g_strdup (kind_of_type (type));
  inst->exchange = g_strdup (exch);
  inst->currency = g_strdup ("USD");
  g_ptr_array_add (page->instruments, g_steal_pointer (&inst));
  if (!(q.bid > 0 && q.ask > 0))
    {
      g_autofree char *where = hs_json_path_format (path);

      hs_provider_page_skip (page, "%s (%s): no bid and ask, no quote", where, symbol);
      return TRUE;
    }
  if (!hs_provider_check_quote (&q, path, error))
    return FALSE;
  g_array_append_val (page->quotes, q);
  return TRUE;
}

/* `{"KEY": {"ITEM": … list …}}` (or `{"KEY": null}`): the list of ITEMs. */
static JsonArray *
nested_list (JsonObject *root,
             const char *key,
             const char *item,
             GError    **error)
{
  HsJsonPath kp = HS_JSON_PATH_ROOT (key);
  JsonObject *outer = NULL;

  if (!hs_json_member_object (root, NULL, key, HS_JSON_OPTIONAL, &outer, error))
    return NULL;
  if (outer == NULL)
    {
      if (!json_object_has_member (root, key))
        {
          hs_provider_fail (error, HS_PROVIDER_ERROR_BODY, "%s: missing", key);
          return NULL;
        }
      return json_array_new ();
    }
  return hs_json_member_list (outer, &kp, item, error);
}

static gboolean
parse_history (const HsProvider      *provider,
               const HsProviderQuery *query,
               JsonObject            *root,
               HsProviderPage        *page,
               GError               **error)
{
  const HsProviderInterval *iv = NULL;
  HsJsonPath hp = HS_JSON_PATH_ROOT ("history");
  HsJsonPath dp = HS_JSON_PATH_MEMBER (&hp, "day");
  g_autoptr(JsonArray) days = NULL;
  int64_t length;
  HsWindow w;

  if ((iv = hs_provider_candle_window (provider, query, &w, error)) == NULL
      || (days = nested_list (root, "history", "day", error)) == NULL)
    return FALSE;
  length = (iv->seconds > 0 ? iv->seconds : 31 * 86400) * HS_US_PER_S;
  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&dp, i);
      JsonObject *o = NULL;
      HsBar bar = { .vwap = NAN, .trade_count = -1 };

      if (!hs_json_object (json_array_get_element (days, i), &p, HS_JSON_REQUIRED, &o, error)
          || !hs_json_member_time (o, &p, "date", HS_JSON_REQUIRED, &bar.ts, error)
          || !hs_json_member_number (o, &p, "open", HS_JSON_REQUIRED, &bar.open, error)
          || !hs_json_member_number (o, &p, "high", HS_JSON_REQUIRED, &bar.high, error)
          || !hs_json_member_number (o, &p, "low", HS_JSON_REQUIRED, &bar.low, error)
          || !hs_json_member_number (o, &p, "close", HS_JSON_REQUIRED, &bar.close, error)
          || !hs_json_member_number (o, &p, "volume", HS_JSON_REQUIRED, &bar.volume, error))
        return FALSE;
      if (bar.ts < hs_provider_day_start (w.start, 0) || bar.ts > w.end)
        continue;
      if (query->now > 0 && bar.ts + length > query->now)
        {
          hs_provider_page_warn (page, "history.day[%u] is still forming, left out", i);
          continue;
        }
      if (!hs_provider_check_bar (&bar, &p, error))
        return FALSE;
      g_array_append_val (page->bars, bar);
    }
  page->next_cursor = hs_provider_window_cursor (&w);
  return TRUE;
}

static gboolean
parse_expirations (const HsProviderQuery *query,
                   JsonObject            *root,
                   HsProviderPage        *page,
                   GError               **error)
{
  HsJsonPath ep = HS_JSON_PATH_ROOT ("expirations");
  HsJsonPath dp = HS_JSON_PATH_MEMBER (&ep, "date");
  g_autoptr(JsonArray) dates = nested_list (root, "expirations", "date", error);
  g_autoptr(GString) cursor = g_string_new (NULL);

  if (dates == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (dates); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&dp, i);
      const char *date = NULL;
      int64_t day = 0;

      if (!hs_json_string (json_array_get_element (dates, i), &p, HS_JSON_REQUIRED, &date, error)
          || !hs_json_time (json_array_get_element (dates, i), &p, HS_JSON_REQUIRED, &day, error))
        return FALSE;
      if (strlen (date) != 10)
        return hs_provider_fail_at (error, &p, ": “%s” is not a date (YYYY-MM-DD)", date);
      if ((query->from > 0 && day < hs_provider_day_start (query->from, 0))
          || (query->to > 0 && day > query->to))
        continue;
      g_string_append_printf (cursor, "%s%s", cursor->len ? "," : "", date);
    }
  if (cursor->len > 0)
    page->next_cursor = g_string_free (g_steal_pointer (&cursor), FALSE);
  return TRUE;
}

static gboolean
parse_chain (const HsProviderQuery *query,
             JsonObject            *root,
             HsProviderPage        *page,
             GError               **error)
{
  HsJsonPath op = HS_JSON_PATH_ROOT ("options");
  HsJsonPath lp = HS_JSON_PATH_MEMBER (&op, "option");
  g_auto(GStrv) dates = cursor_dates (query, error);
  g_autoptr(JsonArray) options = NULL;

  if (dates == NULL || (options = nested_list (root, "options", "option", error)) == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&lp, i);
      JsonObject *o = NULL;

      if (!hs_json_object (json_array_get_element (options, i), &p, HS_JSON_REQUIRED, &o, error)
          || !add_option (page, query, o, &p, error))
        return FALSE;
    }
  if (dates[1] != NULL)
    page->next_cursor = g_strjoinv (",", dates + 1);
  return TRUE;
}

static gboolean
parse_quotes (const HsProviderQuery *query,
              JsonObject            *root,
              HsProviderPage        *page,
              GError               **error)
{
  HsJsonPath qp = HS_JSON_PATH_ROOT ("quotes");
  HsJsonPath lp = HS_JSON_PATH_MEMBER (&qp, "quote");
  g_autoptr(JsonArray) quotes = nested_list (root, "quotes", "quote", error);

  if (quotes == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (quotes); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&lp, i);
      JsonObject *o = NULL;
      const char *type = NULL;

      if (!hs_json_object (json_array_get_element (quotes, i), &p, HS_JSON_REQUIRED, &o, error)
          || !hs_json_member_string (o, &p, "type", HS_JSON_OPTIONAL, &type, error))
        return FALSE;
      if (g_strcmp0 (type, "option") == 0 ? !add_option (page, query, o, &p, error)
                                           : !add_quote (page, query, o, &p, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
tradier_parse (const HsProvider      *provider,
               HsFetchKind            kind,
               const HsProviderQuery *query,
               JsonNode              *node,
               HsProviderPage        *page,
               GError               **error)
{
  JsonObject *root = NULL;

  if (!hs_json_object (node, NULL, HS_JSON_REQUIRED, &root, error))
    return FALSE;
  if (json_object_has_member (root, "fault") || json_object_has_member (root, "errors"))
    {
      g_autofree char *msg = provider->ops->error_message (node);

      return hs_provider_fail (error, HS_PROVIDER_ERROR_API, "%s", msg ? msg : "an error");
    }
  switch (kind)
    {
    case HS_FETCH_CANDLES:
      return parse_history (provider, query, root, page, error);
    case HS_FETCH_SNAPSHOTS:
      return parse_quotes (query, root, page, error);
    case HS_FETCH_OPTIONS:
      return query->cursor == NULL ? parse_expirations (query, root, page, error)
                                   : parse_chain (query, root, page, error);
    case HS_FETCH_INSTRUMENTS:
    case HS_FETCH_TRADES:
    case HS_FETCH_BOOK:
    case HS_FETCH_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* `{"fault": {"faultstring": "…"}}` or `{"errors": {"error": "…" | ["…"]}}`. */
static char *
tradier_error_message (JsonNode *root)
{
  JsonObject *o, *inner = NULL;
  const char *text = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  o = json_node_get_object (root);
  if (hs_json_member_object (o, NULL, "fault", HS_JSON_OPTIONAL, &inner, NULL) && inner != NULL
      && hs_json_member_string (inner, NULL, "faultstring", HS_JSON_OPTIONAL, &text, NULL)
      && text != NULL)
    return g_strdup (text);
  if (hs_json_member_object (o, NULL, "errors", HS_JSON_OPTIONAL, &inner, NULL) && inner != NULL)
    {
      g_autoptr(JsonArray) list = hs_json_member_list (inner, NULL, "error", NULL);
      GString *s = g_string_new (NULL);

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *e = json_array_get_element (list, i);

          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_string_append_printf (s, "%s%s", s->len ? "; " : "", json_node_get_string (e));
        }
      if (s->len > 0)
        return g_string_free (s, FALSE);
      g_string_free (s, TRUE);
    }
  return NULL;
}

static const HsProviderOps tradier_ops = {
  .build = tradier_build,
  .parse = tradier_parse,
  .error_message = tradier_error_message,
};

const HsProvider hs_provider_tradier = {
  .name = "tradier",
  .title = "Tradier",
  .default_base_url = "https://api.tradier.com/v1",
  .base_url_env = "HINDSIGHT_TRADIER_BASE_URL",
  .token_env = "HINDSIGHT_TRADIER_TOKEN",
  .needs_token = TRUE,
  .exchange = "",
  .capabilities = HS_FETCH_CAP (HS_FETCH_CANDLES) | HS_FETCH_CAP (HS_FETCH_SNAPSHOTS)
                  | HS_FETCH_CAP (HS_FETCH_OPTIONS),
  /* 120 market-data requests a minute per token (60 in the sandbox). */
  .rate_per_second = 2,
  .burst = 5,
  .intervals = tradier_intervals,
  .n_intervals = G_N_ELEMENTS (tradier_intervals),
  .default_depth = 10,
  .ops = &tradier_ops,
};
