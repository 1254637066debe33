/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Yahoo's chart endpoint (/v8/finance/chart/SYMBOL, keyless and unofficial) for stocks, ETFs,
 * indexes (^VIX) and BTC-USD. Quirks handled here:
 *
 * - the bars are parallel arrays (timestamp, open, high, low, close, volume) where any element
 *   may be null: a bar with a null is skipped and counted, never filled in;
 * - an empty range has no `timestamp` and `indicators.quote` is `[{}]`;
 * - errors come as `chart.error` {code, description};
 * - a daily (weekly) bar is stamped at the session open (14:30 UTC for New York): it is stored
 *   at 00:00 UTC of its exchange-local date (meta.gmtoffset), as bare dates import;
 * - the last bar of a range reaching now is still forming: it is left out;
 * - each interval has a lookback (1m: 30 days; 5m–30m: 60 days; 1h: 730 days) and a longest
 *   range per request (1m: 7 days): a range beyond the lookback is an error, a longer range
 *   is split into pages;
 * - splits and dividends come as `events` and are returned as such. They are not turned into
 *   price_factors rows: those are cumulative factors over an instrument's whole history (LEAN's
 *   factor files) and one window's events cannot give them. Yahoo's OHLC are split-adjusted
 *   (not dividend-adjusted); `adjclose` is not read.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-provider-private.h"

#include <math.h>
#include <string.h>

#define DAY_S (G_GINT64_CONSTANT (86400))

static const HsProviderInterval yahoo_intervals[] = {
  { "1m", "1m", 60, 30 * DAY_S, 0, 7 * DAY_S },
  { "5m", "5m", 300, 60 * DAY_S, 0, 60 * DAY_S },
  { "15m", "15m", 900, 60 * DAY_S, 0, 60 * DAY_S },
  { "30m", "30m", 1800, 60 * DAY_S, 0, 60 * DAY_S },
  { "1h", "60m", 3600, 730 * DAY_S, 0, 730 * DAY_S },
  { "1d", "1d", 86400, 0, 0, 0 },
  { "1w", "1wk", 7 * 86400, 0, 0, 0 },
};

static char *
yahoo_build (const HsProvider      *provider,
             const char            *base_url,
             HsFetchKind            kind,
             const HsProviderQuery *query,
             GError               **error)
{
  const char *symbol = hs_provider_symbol (provider, query, error);
  const HsProviderInterval *iv = NULL;
  HsWindow w;
  g_auto(HsUrl) url = { NULL, FALSE };
  int64_t end;

  g_assert (kind == HS_FETCH_CANDLES);
  if (symbol == NULL || (iv = hs_provider_interval (provider, query, error)) == NULL
      || !hs_provider_window (provider, iv, query, &w, error))
    return NULL;
  /* A daily bar's time is its session's open, after the midnight its date stands for: ask up
   * to the end of the last day. */
  end = w.end / HS_US_PER_S;
  if (iv->seconds >= DAY_S)
    end = w.end / HS_US_PER_S + DAY_S - 1;
  hs_url_init (&url, base_url);
  hs_url_path (&url, "/v8/finance/chart/");
  hs_url_segment (&url, symbol);
  hs_url_param_int (&url, "period1", w.start / HS_US_PER_S);
  hs_url_param_int (&url, "period2", end);
  hs_url_param (&url, "interval", iv->code);
  hs_url_param (&url, "includePrePost", "false");
  hs_url_param (&url, "events", "div|split");
  return hs_url_finish (&url);
}

static const char *
kind_of_type (const char *type)
{
  static const char *const map[][2] = {
    { "EQUITY", "stock" }, { "ETF", "etf" }, { "INDEX", "index" },
    { "CRYPTOCURRENCY", "crypto" }, { "CURRENCY", "fx" }, { "FUTURE", "future" },
    { "OPTION", "option" },
  };

  for (size_t i = 0; type != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (type, map[i][0]) == 0)
      return map[i][1];
  return NULL;
}

/* The instrument as `meta` describes it (its current state, not the window's). */
static gboolean
read_meta (JsonObject       *meta,
           const HsJsonPath *path,
           HsProviderPage   *page,
           GError          **error)
{
  g_autoptr(HsProviderInstrument) inst = g_new0 (HsProviderInstrument, 1);
  const char *symbol = NULL, *type = NULL, *exchange = NULL, *currency = NULL, *name = NULL;
  const char *short_name = NULL;

  if (!hs_json_member_string (meta, path, "symbol", HS_JSON_OPTIONAL, &symbol, error)
      || !hs_json_member_string (meta, path, "instrumentType", HS_JSON_OPTIONAL, &type, error)
      || !hs_json_member_string (meta, path, "exchangeName", HS_JSON_OPTIONAL, &exchange, error)
      || !hs_json_member_string (meta, path, "currency", HS_JSON_OPTIONAL, &currency, error)
      || !hs_json_member_string (meta, path, "longName", HS_JSON_OPTIONAL, &name, error)
      || !hs_json_member_string (meta, path, "shortName", HS_JSON_OPTIONAL, &short_name, error))
    return FALSE;
  if (symbol == NULL)
    return TRUE;
  inst->symbol = g_strdup (symbol);
  inst->name = g_strdup (name != NULL ? name : short_name);
  inst->kind = g_strdup (kind_of_type (type));
  inst->exchange = g_strdup (exchange);
  inst->currency = g_strdup (currency);
  g_ptr_array_add (page->instruments, g_steal_pointer (&inst));
  return TRUE;
}

/* `events.splits` / `events.dividends`: objects keyed by time, each with a `date`. */
static gboolean
read_events (JsonObject       *events,
             const HsJsonPath *path,
             const char       *member,
             int64_t           utc_offset,
             int64_t           from,
             int64_t           to,
             HsProviderPage   *page,
             GError          **error)
{
  HsJsonPath mp = HS_JSON_PATH_MEMBER (path, member);
  JsonObject *map = NULL;
  GList *names;

  if (!hs_json_member_object (events, path, member, HS_JSON_OPTIONAL, &map, error))
    return FALSE;
  if (map == NULL)
    return TRUE;
  names = json_object_get_members (map);
  for (GList *l = names; l != NULL; l = l->next)
    {
      HsJsonPath p = HS_JSON_PATH_MEMBER (&mp, l->data);
      JsonObject *e = NULL;
      HsCorporateAction a = { .numerator = NAN, .denominator = NAN, .amount = NAN };
      int64_t date = 0;
      gboolean ok;

      if (g_str_equal (member, "splits"))
        {
          a.kind = HS_CORPORATE_SPLIT;
          ok = hs_json_object (json_object_get_member (map, l->data), &p, HS_JSON_REQUIRED, &e,
                               error)
               && hs_json_member_seconds (e, &p, "date", HS_JSON_REQUIRED, &date, error)
               && hs_json_member_number (e, &p, "numerator", HS_JSON_REQUIRED, &a.numerator,
                                         error)
               && hs_json_member_number (e, &p, "denominator", HS_JSON_REQUIRED, &a.denominator,
                                         error);
          if (ok && !(a.numerator > 0 && a.denominator > 0))
            ok = hs_provider_fail_at (error, &p,
                                      ": a split needs a positive numerator and denominator");
        }
      else
        {
          a.kind = HS_CORPORATE_DIVIDEND;
          ok = hs_json_object (json_object_get_member (map, l->data), &p, HS_JSON_REQUIRED, &e,
                               error)
               && hs_json_member_seconds (e, &p, "date", HS_JSON_REQUIRED, &date, error)
               && hs_json_member_number (e, &p, "amount", HS_JSON_REQUIRED, &a.amount, error);
          if (ok && !(a.amount >= 0))
            ok = hs_provider_fail_at (error, &p, ": a dividend's amount must be zero or more");
        }
      if (!ok)
        {
          g_list_free (names);
          return FALSE;
        }
      a.ts = hs_provider_day_start (date, utc_offset);
      if (a.ts >= from && a.ts <= to)
        g_array_append_val (page->events, a);
    }
  g_list_free (names);
  return TRUE;
}

static gboolean
yahoo_parse (const HsProvider      *provider,
             HsFetchKind            kind,
             const HsProviderQuery *query,
             JsonNode              *node,
             HsProviderPage        *page,
             GError               **error)
{
  static const char *const cols[] = { "open", "high", "low", "close", "volume" };
  HsJsonPath chart_path = HS_JSON_PATH_ROOT ("chart");
  HsJsonPath result_path = HS_JSON_PATH_MEMBER (&chart_path, "result");
  HsJsonPath r0 = HS_JSON_PATH_INDEX (&result_path, 0);
  HsJsonPath meta_path = HS_JSON_PATH_MEMBER (&r0, "meta");
  HsJsonPath ts_path = HS_JSON_PATH_MEMBER (&r0, "timestamp");
  HsJsonPath ind_path = HS_JSON_PATH_MEMBER (&r0, "indicators");
  HsJsonPath quote_path = HS_JSON_PATH_MEMBER (&ind_path, "quote");
  HsJsonPath q0 = HS_JSON_PATH_INDEX (&quote_path, 0);
  HsJsonPath ev_path = HS_JSON_PATH_MEMBER (&r0, "events");
  const HsProviderInterval *iv = NULL;
  JsonObject *root = NULL, *chart = NULL, *result = NULL, *meta = NULL, *indicators = NULL;
  JsonObject *quote = NULL, *events = NULL, *err = NULL;
  JsonArray *results = NULL, *stamps = NULL, *quotes = NULL, *arrays[5] = { NULL };
  int64_t utc_offset = 0, first;
  gboolean daily;
  guint n;
  HsWindow w;

  g_assert (kind == HS_FETCH_CANDLES);
  if ((iv = hs_provider_candle_window (provider, query, &w, error)) == NULL
      || !hs_json_object (node, NULL, HS_JSON_REQUIRED, &root, error)
      || !hs_json_member_object (root, NULL, "chart", HS_JSON_REQUIRED, &chart, error)
      || !hs_json_member_object (chart, &chart_path, "error", HS_JSON_OPTIONAL, &err, error))
    return FALSE;
  if (err != NULL)
    {
      g_autofree char *msg = provider->ops->error_message (node);

      return hs_provider_fail (error, HS_PROVIDER_ERROR_API, "%s", msg ? msg : "an error");
    }
  if (!hs_json_member_array (chart, &chart_path, "result", HS_JSON_REQUIRED, &results, error))
    return FALSE;
  if (json_array_get_length (results) == 0)
    return hs_provider_fail (error, HS_PROVIDER_ERROR_BODY, "chart.result is empty");
  if (!hs_json_object (json_array_get_element (results, 0), &r0, HS_JSON_REQUIRED, &result,
                       error)
      || !hs_json_member_object (result, &r0, "meta", HS_JSON_OPTIONAL, &meta, error)
      || !hs_json_member_int64 (meta, &meta_path, "gmtoffset", HS_JSON_OPTIONAL, &utc_offset,
                                error)
      || !hs_json_member_array (result, &r0, "timestamp", HS_JSON_OPTIONAL, &stamps, error)
      || !hs_json_member_object (result, &r0, "indicators", HS_JSON_REQUIRED, &indicators,
                                 error)
      || !hs_json_member_array (indicators, &ind_path, "quote", HS_JSON_REQUIRED, &quotes, error)
      || !hs_json_member_object (result, &r0, "events", HS_JSON_OPTIONAL, &events, error))
    return FALSE;
  if (utc_offset < -86400 || utc_offset > 86400)
    return hs_provider_fail_at (error, &meta_path,
                                ".gmtoffset: %" G_GINT64_FORMAT " s is not a UTC offset",
                                utc_offset);
  if (meta != NULL && !read_meta (meta, &meta_path, page, error))
    return FALSE;
  daily = iv->seconds >= DAY_S;
  first = daily ? hs_provider_day_start (w.start, 0) : w.start;
  if (events != NULL
      && (!read_events (events, &ev_path, "splits", utc_offset, first, w.end, page, error)
          || !read_events (events, &ev_path, "dividends", utc_offset, first, w.end, page,
                           error)))
    return FALSE;

  n = stamps != NULL ? json_array_get_length (stamps) : 0;
  if (n > 0)
    {
      if (json_array_get_length (quotes) == 0)
        return hs_provider_fail (error, HS_PROVIDER_ERROR_BODY,
                                 "chart.result[0].indicators.quote is empty, but there are "
                                 "timestamps");
      if (!hs_json_object (json_array_get_element (quotes, 0), &q0, HS_JSON_REQUIRED, &quote,
                           error))
        return FALSE;
      for (int c = 0; c < 5; c++)
        {
          if (!hs_json_member_array (quote, &q0, cols[c], HS_JSON_REQUIRED, &arrays[c], error))
            return FALSE;
          if (json_array_get_length (arrays[c]) != n)
            return hs_provider_fail_at (error, &q0, ".%s has %u values for %u timestamps", cols[c],
                                        json_array_get_length (arrays[c]), n);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      HsJsonPath tp = HS_JSON_PATH_INDEX (&ts_path, i);
      HsBar bar = { .vwap = NAN, .trade_count = -1 };
      double *v[5] = { &bar.open, &bar.high, &bar.low, &bar.close, &bar.volume };
      const char *null_col = NULL;

      if (!hs_json_seconds (json_array_get_element (stamps, i), &tp, HS_JSON_REQUIRED, &bar.ts,
                            error))
        return FALSE;
      for (int c = 0; c < 5; c++)
        {
          HsJsonPath cp = HS_JSON_PATH_MEMBER (&q0, cols[c]);
          HsJsonPath ep = HS_JSON_PATH_INDEX (&cp, i);

          if (!hs_json_number (json_array_get_element (arrays[c], i), &ep, HS_JSON_OPTIONAL,
                               v[c], error))
            return FALSE;
          if (isnan (*v[c]) && null_col == NULL)
            null_col = cols[c];
        }
      if (daily)
        bar.ts = hs_provider_day_start (bar.ts, utc_offset);
      if (bar.ts < first || bar.ts > w.end)
        continue;
      if (null_col != NULL)
        {
          char when[40];

          hs_time_format_iso_buf (bar.ts, when);
          hs_provider_page_skip (page, "bar %u (%s): %s is null, skipped", i, when, null_col);
          continue;
        }
      if (query->now > 0 && bar.ts + iv->seconds * HS_US_PER_S > query->now)
        {
          char when[40];

          hs_time_format_iso_buf (bar.ts, when);
          hs_provider_page_warn (page, "bar %u (%s) is still forming, left out", i, when);
          continue;
        }
      {
        HsJsonPath bp = HS_JSON_PATH_INDEX (&q0, i);

        if (!hs_provider_check_bar (&bar, &bp, error))
          return FALSE;
      }
      g_array_append_val (page->bars, bar);
    }
  page->next_cursor = hs_provider_window_cursor (&w);
  return TRUE;
}

/* `{"chart": {"error": {"code": "Not Found", "description": "…"}}}`, or the same under
 * "finance". */
static char *
yahoo_error_message (JsonNode *root)
{
  static const char *const tops[] = { "chart", "finance" };

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  for (size_t i = 0; i < G_N_ELEMENTS (tops); i++)
    {
      JsonObject *top = NULL, *err = NULL;
      const char *code = NULL, *description = NULL;

      if (!hs_json_member_object (json_node_get_object (root), NULL, tops[i], HS_JSON_OPTIONAL,
                                  &top, NULL)
          || !hs_json_member_object (top, NULL, "error", HS_JSON_OPTIONAL, &err, NULL)
          || err == NULL)
        continue;
      hs_json_member_string (err, NULL, "code", HS_JSON_OPTIONAL, &code, NULL);
      hs_json_member_string (err, NULL, "description", HS_JSON_OPTIONAL, &description, NULL);
      return g_strdup_printf ("%s%s%s", code ? code : "", code && description ? ": " : "",
                              description ? description : "");
    }
  return NULL;
}

static const HsProviderOps yahoo_ops = {
  .build = yahoo_build,
  .parse = yahoo_parse,
  .error_message = yahoo_error_message,
};

const HsProvider hs_provider_yahoo = {
  .name = "yahoo",
  .title = "Yahoo Finance chart (unofficial)",
  .default_base_url = "https://query1.finance.yahoo.com",
  .base_url_env = "HINDSIGHT_YAHOO_BASE_URL",
  .exchange = "",
  .capabilities = HS_FETCH_CAP (HS_FETCH_CANDLES),
  /* Undocumented; 429s and IP blocks were common in 2024–25: one request every 2 s. */
  .rate_per_second = 0.5,
  .burst = 1,
  .intervals = yahoo_intervals,
  .n_intervals = G_N_ELEMENTS (yahoo_intervals),
  .default_depth = 10,
  .ops = &yahoo_ops,
};
