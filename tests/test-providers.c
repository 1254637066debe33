/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Providers (src/fetch/hs-provider*.c) and their number reader (hs-json-num.c), with no
 * network: every recorded body in tests/data/fixtures (tests/data/fixtures/README.md says
 * where each comes from) parses to the rows read by hand from the file (counts, first and last
 * row; the comments name the file and the place); requests are built for each kind (URL, query
 * escaping, cursors and time windows, lookback limits, base URL from the environment and from
 * the argument, the token only in a header); malformed bodies (truncated, wrong types, missing
 * fields, nulls, huge numbers, Kraken's error array, Yahoo's chart.error, deep nesting) fail
 * with an error naming the field and give no page; an option chain is stored with its
 * contracts, idempotently.
 *
 * Expected times are computed by GLib's own ISO-8601 parser (GDateTime), not by hs-time.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-json-num.h"
#include "hs-json-records.h"
#include "hs-provider.h"
#include "hs-store-context.h"
#include "hs-store-market.h"
#include "hs-store.h"

/* µs since the epoch of an ISO-8601 time, by GLib (the reference for every expected time). */
static int64_t
iso (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

static char *
fixture (const char *provider,
         const char *name,
         size_t     *len)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "fixtures", provider,
                                            name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize n = 0;

  g_file_get_contents (path, &contents, &n, &error);
  g_assert_no_error (error);
  *len = n;
  return contents;
}

static HsProviderPage *
parse_ok (const char            *name,
          HsFetchKind            kind,
          const HsProviderQuery *query,
          const char            *body,
          size_t                 len)
{
  g_autoptr(GError) error = NULL;
  HsProviderPage *page = hs_provider_parse (hs_provider_lookup (name), kind, query, body, len,
                                            &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  for (guint i = 0; i < page->warnings->len; i++)
    g_test_message ("warning: %s", (const char *) page->warnings->pdata[i]);
  return page;
}

static HsProviderPage *
parse_fixture (const char            *name,
               const char            *file,
               HsFetchKind            kind,
               const HsProviderQuery *query)
{
  size_t len = 0;
  /* Both Coinbase providers' bodies are under coinbase/. */
  g_autofree char *body = fixture (g_str_has_prefix (name, "coinbase") ? "coinbase" : name,
                                   file, &len);

  return parse_ok (name, kind, query, body, len);
}

/* Parsing @body fails with @code and a message holding @part; no page comes back. */
static void
parse_fails (const char            *name,
             HsFetchKind            kind,
             const HsProviderQuery *query,
             const char            *body,
             int                    code,
             const char            *part)
{
  g_autoptr(GError) error = NULL;
  HsProviderPage *page = hs_provider_parse (hs_provider_lookup (name), kind, query, body,
                                            strlen (body), &error);

  g_assert_null (page);
  g_assert_error (error, HS_PROVIDER_ERROR, code);
  g_test_message ("%s", error->message);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, part);
}

static HsProviderRequest
build_ok (const char            *name,
          const char            *base_url,
          const char            *token,
          HsFetchKind            kind,
          const HsProviderQuery *query)
{
  g_autoptr(GError) error = NULL;
  HsProviderRequest req = { NULL, NULL };

  g_assert_true (hs_provider_build_request (hs_provider_lookup (name), base_url, token, kind,
                                            query, &req, &error));
  g_assert_no_error (error);
  return req;
}

static void
assert_url (const char            *name,
            HsFetchKind            kind,
            const HsProviderQuery *query,
            const char            *expected)
{
  g_auto(HsProviderRequest) req = build_ok (name, "http://h", NULL, kind, query);

  g_assert_cmpstr (req.url, ==, expected);
}

static void
build_fails (const char            *name,
             const char            *token,
             HsFetchKind            kind,
             const HsProviderQuery *query,
             int                    code,
             const char            *part)
{
  g_autoptr(GError) error = NULL;
  HsProviderRequest req = { NULL, NULL };

  g_assert_false (hs_provider_build_request (hs_provider_lookup (name), "http://h", token, kind,
                                             query, &req, &error));
  g_assert_error (error, HS_PROVIDER_ERROR, code);
  g_assert_null (req.url);
  g_test_message ("%s", error->message);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, part);
}

#define EPS 1e-9

/* ----------------------------------------------------------------------------------------- */
/* The number reader                                                                          */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = hs_json_parse_body (text, strlen (text), &error);

  g_assert_no_error (error);
  return root;
}

/* The element @i of the array @text. */
static JsonNode *
element (JsonNode *root,
         guint     i)
{
  return json_array_get_element (json_node_get_array (root), i);
}

static void
test_json_numbers (void)
{
  g_autoptr(JsonNode) root = parse_json ("[0.08, \"0.0800\", 7, \"abc\", \"\", null, true, "
                                         "\"1e400\", 1.5e2, \" 1\"]");
  HsJsonPath top = HS_JSON_PATH_ROOT ("candles");
  HsJsonPath p3 = HS_JSON_PATH_INDEX (&top, 3);
  HsJsonPath open = HS_JSON_PATH_MEMBER (&p3, "open");
  g_autoptr(GError) error = NULL;
  double v = 0;

  /* Numbers and numeric strings give the same value. */
  g_assert_true (hs_json_number (element (root, 0), &open, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpfloat (v, ==, 0.08);
  g_assert_true (hs_json_number (element (root, 1), &open, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpfloat (v, ==, 0.08);
  g_assert_true (hs_json_number (element (root, 2), &open, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpfloat (v, ==, 7);
  g_assert_true (hs_json_number (element (root, 8), &open, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpfloat (v, ==, 150);

  /* A bad value: the message names the path and the value. */
  g_assert_false (hs_json_number (element (root, 3), &open, HS_JSON_REQUIRED, &v, &error));
  g_assert_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE);
  g_assert_cmpstr (error->message, ==, "candles[3].open: \"abc\" is not a number");
  g_assert_true (isnan (v));
  g_clear_error (&error);

  /* Empty text and null are "not given" when optional, errors when required. */
  g_assert_true (hs_json_number (element (root, 4), &open, HS_JSON_OPTIONAL, &v, NULL));
  g_assert_true (isnan (v));
  g_assert_false (hs_json_number (element (root, 4), &open, HS_JSON_REQUIRED, &v, &error));
  g_assert_cmpstr (error->message, ==, "candles[3].open: is empty");
  g_clear_error (&error);
  g_assert_true (hs_json_number (element (root, 5), &open, HS_JSON_OPTIONAL, &v, NULL));
  g_assert_true (isnan (v));
  g_assert_false (hs_json_number (element (root, 5), &open, HS_JSON_REQUIRED, &v, &error));
  g_assert_cmpstr (error->message, ==, "candles[3].open: is null");
  g_clear_error (&error);
  g_assert_false (hs_json_number (NULL, &open, HS_JSON_REQUIRED, &v, &error));
  g_assert_cmpstr (error->message, ==, "candles[3].open: missing");
  g_clear_error (&error);

  /* No booleans, no infinities, no padded text. */
  g_assert_false (hs_json_number (element (root, 6), &open, HS_JSON_REQUIRED, &v, &error));
  g_assert_cmpstr (error->message, ==, "candles[3].open: true is not a number");
  g_clear_error (&error);
  g_assert_false (hs_json_number (element (root, 7), &open, HS_JSON_REQUIRED, &v, &error));
  g_clear_error (&error);
  g_assert_false (hs_json_number (element (root, 9), &open, HS_JSON_REQUIRED, &v, &error));
  g_clear_error (&error);
}

static void
test_json_integers (void)
{
  /* 2^53 + 1 = 9007199254740993 is the first integer a double cannot hold; Kraken's trade
   * cursor 1762820035982277754 (kraken/0_public_Trades_XBTUSDT.min.json, "last") is a string;
   * 12345678901234567890 is beyond 2^63 - 1 = 9223372036854775807. */
  g_autoptr(JsonNode) root = parse_json ("[9007199254740993, \"1762820035982277754\", "
                                         "12345678901234567890, \"12345678901234567890\", 1.5, "
                                         "3.0, \"-5\", \"+5\", \"1e3\", 9223372036854775807, "
                                         "-9223372036854775808, {\"a\": 1}]");
  HsJsonPath p = HS_JSON_PATH_ROOT ("trade_id");
  g_autoptr(GError) error = NULL;
  int64_t v = 0;

  g_assert_true (hs_json_int64 (element (root, 0), &p, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpint (v, ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_true (hs_json_int64 (element (root, 1), &p, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpint (v, ==, G_GINT64_CONSTANT (1762820035982277754));
  g_assert_true (hs_json_int64 (element (root, 9), &p, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_true (hs_json_int64 (element (root, 10), &p, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpint (v, ==, G_MININT64);

  /* Beyond 64 bits, as a literal (json-glib alone would wrap it around) or as text. */
  g_assert_false (hs_json_int64 (element (root, 2), &p, HS_JSON_REQUIRED, &v, &error));
  g_assert_error (error, HS_JSON_ERROR, HS_JSON_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);
  g_assert_false (hs_json_int64 (element (root, 3), &p, HS_JSON_REQUIRED, &v, &error));
  g_assert_cmpstr (error->message, ==,
                   "trade_id: \"12345678901234567890\" is too large for a 64-bit integer");
  g_clear_error (&error);
  /* … while a number read takes the literal's magnitude. */
  {
    double d = 0;

    g_assert_true (hs_json_number (element (root, 2), &p, HS_JSON_REQUIRED, &d, NULL));
    g_assert_cmpfloat_with_epsilon (d / 1.2345678901234567890e19, 1.0, 1e-15);
  }

  /* Fractions are refused; a whole real number is fine; signs are read. */
  g_assert_false (hs_json_int64 (element (root, 4), &p, HS_JSON_REQUIRED, &v, &error));
  g_assert_cmpstr (error->message, ==, "trade_id: 1.5 is not a whole number");
  g_clear_error (&error);
  g_assert_true (hs_json_int64 (element (root, 5), &p, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpint (v, ==, 3);
  g_assert_true (hs_json_int64 (element (root, 6), &p, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpint (v, ==, -5);
  g_assert_true (hs_json_int64 (element (root, 7), &p, HS_JSON_REQUIRED, &v, NULL));
  g_assert_cmpint (v, ==, 5);
  g_assert_false (hs_json_int64 (element (root, 8), &p, HS_JSON_REQUIRED, &v, &error));
  g_clear_error (&error);
  g_assert_false (hs_json_int64 (element (root, 11), &p, HS_JSON_REQUIRED, &v, &error));
  g_assert_cmpstr (error->message, ==, "trade_id: an object is not a whole number");
  g_clear_error (&error);

  /* An optional absent integer leaves the default. */
  v = -1;
  g_assert_true (hs_json_int64 (NULL, &p, HS_JSON_OPTIONAL, &v, NULL));
  g_assert_cmpint (v, ==, -1);
}

static void
test_json_seconds (void)
{
  /* Kraken's first trade time 1762795433.9717445 (a JSON number) is 1762795433 s and
   * 971744.5 µs: truncated to 971744. Coinbase Advanced's "1712192400" is whole seconds. */
  g_autoptr(JsonNode) root = parse_json ("[1762795433.9717445, \"1762795433.9717445\", "
                                         "\"1712192400\", 1712192400, \"1.5e3\", \"x\", "
                                         "1e300]");
  HsJsonPath p = HS_JSON_PATH_ROOT ("time");
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_json_seconds (element (root, 0), &p, HS_JSON_REQUIRED, &us, NULL));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1762795433971744));
  g_assert_true (hs_json_seconds (element (root, 1), &p, HS_JSON_REQUIRED, &us, NULL));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1762795433971744));
  g_assert_true (hs_json_seconds (element (root, 2), &p, HS_JSON_REQUIRED, &us, NULL));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1712192400000000));
  g_assert_true (hs_json_seconds (element (root, 3), &p, HS_JSON_REQUIRED, &us, NULL));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1712192400000000));
  g_assert_true (hs_json_seconds (element (root, 4), &p, HS_JSON_REQUIRED, &us, NULL));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1500000000));
  g_assert_false (hs_json_seconds (element (root, 5), &p, HS_JSON_REQUIRED, &us, &error));
  g_assert_cmpstr (error->message, ==, "time: \"x\" is not a time in Unix seconds");
  g_clear_error (&error);
  /* 1e300 s does not fit 64 bits of microseconds. */
  g_assert_false (hs_json_seconds (element (root, 6), &p, HS_JSON_REQUIRED, &us, &error));
  g_clear_error (&error);
}

static void
test_json_lists (void)
{
  /* Tradier's object-or-array rule (tradier/markets_quotes_PLTR_single_object.json has
   * "quote" as an object). */
  g_autoptr(JsonNode) root = parse_json ("{\"one\": {\"a\": 1}, \"many\": [1, 2, 3], "
                                         "\"none\": null, \"bad\": 5}");
  JsonObject *o = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) one = hs_json_member_list (o, NULL, "one", NULL);
  g_autoptr(JsonArray) many = hs_json_member_list (o, NULL, "many", NULL);
  g_autoptr(JsonArray) none = hs_json_member_list (o, NULL, "none", NULL);
  g_autoptr(JsonArray) absent = hs_json_member_list (o, NULL, "absent", NULL);
  JsonArray *bad = hs_json_member_list (o, NULL, "bad", &error);

  g_assert_cmpuint (json_array_get_length (one), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (one, 0)));
  g_assert_cmpuint (json_array_get_length (many), ==, 3);
  g_assert_cmpuint (json_array_get_length (none), ==, 0);
  g_assert_cmpuint (json_array_get_length (absent), ==, 0);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "bad: 5 is neither a list nor an object");
}

static void
test_json_body_guards (void)
{
  g_autoptr(GError) error = NULL;
  GString *deep = g_string_new (NULL);
  JsonNode *root;

  /* HS_JSON_MAX_DEPTH (64) levels parse; one more is refused before json-glib, and so are
   * 100,000 (json-glib's recursive parser would overflow the stack). */
  for (int i = 0; i < 64; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 64; i++)
    g_string_append_c (deep, ']');
  root = hs_json_parse_body (deep->str, deep->len, &error);
  g_assert_no_error (error);
  json_node_unref (root);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_null (hs_json_parse_body (deep->str, deep->len, &error));
  g_assert_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX);
  g_clear_error (&error);
  g_string_truncate (deep, 0);
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '{');
  g_assert_null (hs_json_parse_body (deep->str, deep->len, &error));
  g_assert_nonnull (strstr (error->message, "nested deeper than 64"));
  g_clear_error (&error);
  g_string_free (deep, TRUE);

  /* Brackets and digits inside strings are text: no depth, no integer rewriting. */
  {
    const char *text = "{\"a\": \"[[[[ 99999999999999999999 \\\" {{\", \"b\": 1}";
    g_autoptr(JsonNode) r = hs_json_parse_body (text, strlen (text), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r), "a"), ==,
                     "[[[[ 99999999999999999999 \" {{");
  }

  /* Empty, truncated and non-JSON bodies. */
  g_assert_null (hs_json_parse_body ("", 0, &error));
  g_assert_cmpstr (error->message, ==, "the body is empty");
  g_clear_error (&error);
  g_assert_null (hs_json_parse_body ("{\"a\": [1, 2", 11, &error));
  g_assert_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (hs_json_parse_body ("Invalid Access Token", 20, &error));
  g_assert_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX);
  g_clear_error (&error);
  /* A body with a NUL byte inside, and one with a string that is not UTF-8. */
  g_assert_null (hs_json_parse_body ("{\"a\":1}\0xx", 10, &error));
  g_clear_error (&error);
  {
    const char *bad = "{\"symbol\":\"PLT\xb0\"}";

    g_assert_null (hs_json_parse_body (bad, strlen (bad), &error));
  }
  g_assert_cmpstr (error->message, ==, "not valid JSON: the body is not UTF-8 text");
  g_clear_error (&error);
}

/* ----------------------------------------------------------------------------------------- */
/* Kalshi                                                                                     */

static void
test_kalshi_market (void)
{
  /* kalshi/markets_KXELONMARS-99.json: {"market": {…}} with *_dollars strings. A poll is
   * stamped with the query's now (the market's updated_time, 2026-04-09, is not when its
   * prices were seen). */
  HsProviderQuery q = { .symbol = "KXELONMARS-99", .now = iso ("2026-06-12T17:00:00Z") };
  g_autoptr(HsProviderPage) page = parse_fixture ("kalshi", "markets_KXELONMARS-99.json",
                                                  HS_FETCH_SNAPSHOTS, &q);
  const HsMarketSnapshot *s;
  g_autoptr(JsonNode) raw = NULL;

  g_assert_cmpuint (page->snapshots->len, ==, 1);
  g_assert_cmpuint (hs_provider_page_rows (page), ==, 1);
  g_assert_true (hs_provider_page_done (page));
  s = &g_array_index (page->snapshots, HsMarketSnapshot, 0);
  g_assert_cmpstr (s->ticker, ==, "KXELONMARS-99");
  g_assert_cmpint (s->ts, ==, iso ("2026-06-12T17:00:00Z"));
  g_assert_cmpint (s->source, ==, HS_SNAPSHOT_POLL);
  g_assert_cmpint (s->sequence, ==, -1);
  /* "yes_bid_dollars":"0.0800","yes_ask_dollars":"0.1200","no_bid_dollars":"0.8800",
   * "no_ask_dollars":"0.9200","last_price_dollars":"0.1000","volume_fp":"94884.62",
   * "open_interest_fp":"32746.17","status":"active" */
  g_assert_cmpfloat (s->yes_bid, ==, 0.08);
  g_assert_cmpfloat (s->yes_ask, ==, 0.12);
  g_assert_cmpfloat (s->no_bid, ==, 0.88);
  g_assert_cmpfloat (s->no_ask, ==, 0.92);
  g_assert_cmpfloat (s->last_price, ==, 0.10);
  g_assert_cmpfloat (s->volume, ==, 94884.62);
  g_assert_cmpfloat (s->open_interest, ==, 32746.17);
  g_assert_cmpstr (s->status, ==, "active");
  /* raw_data keeps the market object as received. */
  raw = parse_json (s->raw_json);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (raw), "title"), ==,
                   "Will Elon Musk visit Mars before Aug 1, 2099?");
}

static void
test_kalshi_market_list (void)
{
  /* kalshi/markets_list_tickers.json: two markets and "cursor": "" (the last page). */
  HsProviderQuery q = { .symbol = "KXELONMARS-99,KXCOLONIZEMARS-50",
                        .now = iso ("2026-06-12T17:00:00Z") };
  g_autoptr(HsProviderPage) page = parse_fixture ("kalshi", "markets_list_tickers.json",
                                                  HS_FETCH_SNAPSHOTS, &q);
  g_autoptr(HsProviderPage) inst = parse_fixture ("kalshi", "markets_list_tickers.json",
                                                  HS_FETCH_INSTRUMENTS, &q);
  const HsMarketSnapshot *s;
  const HsProviderInstrument *i;

  g_assert_cmpuint (page->snapshots->len, ==, 2);
  g_assert_true (hs_provider_page_done (page));
  g_assert_cmpstr (g_array_index (page->snapshots, HsMarketSnapshot, 0).ticker, ==,
                   "KXELONMARS-99");
  /* The second market: "yes_bid_dollars":"0.1630","yes_ask_dollars":"0.1950",
   * "no_bid_dollars":"0.8050","no_ask_dollars":"0.8370","last_price_dollars":"0.1950",
   * "volume_fp":"21043.39","open_interest_fp":"9084.00". */
  s = &g_array_index (page->snapshots, HsMarketSnapshot, 1);
  g_assert_cmpstr (s->ticker, ==, "KXCOLONIZEMARS-50");
  g_assert_cmpfloat (s->yes_bid, ==, 0.163);
  g_assert_cmpfloat (s->yes_ask, ==, 0.195);
  g_assert_cmpfloat (s->no_bid, ==, 0.805);
  g_assert_cmpfloat (s->no_ask, ==, 0.837);
  g_assert_cmpfloat (s->last_price, ==, 0.195);
  g_assert_cmpfloat (s->volume, ==, 21043.39);
  g_assert_cmpfloat (s->open_interest, ==, 9084);

  /* The same list as instruments: ticker, title, status, event, close_time. */
  g_assert_cmpuint (inst->instruments->len, ==, 2);
  g_assert_true (hs_provider_page_done (inst));
  i = inst->instruments->pdata[1];
  g_assert_cmpstr (i->symbol, ==, "KXCOLONIZEMARS-50");
  g_assert_cmpstr (i->name, ==, "Will humans colonize Mars before 2050?");
  g_assert_cmpstr (i->kind, ==, "prediction");
  g_assert_cmpstr (i->exchange, ==, "kalshi");
  g_assert_cmpstr (i->status, ==, "active");
  g_assert_cmpstr (i->group, ==, "KXCOLONIZEMARS-50");
  g_assert_cmpint (i->expiry, ==, iso ("2050-01-01T04:59:00Z"));
  i = inst->instruments->pdata[0];
  g_assert_cmpstr (i->symbol, ==, "KXELONMARS-99");
  g_assert_cmpint (i->expiry, ==, iso ("2099-08-01T04:59:00Z"));
}

static void
test_kalshi_book (void)
{
  /* kalshi/orderbook_KXELONMARS-99.json: bids only, ascending (best last).
   * YES bids: 0.01 6558.50, 0.02 705.00, 0.03 18708.00, 0.04 1162.00, 0.05 50.00,
   *           0.06 2201.86, 0.07 3195.84, 0.08 444.32          → best bid 0.08
   * NO bids, best first: 0.88 1967.33, 0.87 118.85, 0.74 250.00, 0.73 38.73, 0.70 10.40,
   *           0.65 25.00, 0.62 5.00, 0.61 500.00, 0.60 284.00, 0.50 4040.45, … (18 levels)
   *   → YES asks at 1 − p: 0.12, 0.13, 0.26, 0.27, 0.30, 0.35, 0.38, 0.39, 0.40, 0.50, …
   * best ask 0.12, spread 0.12 − 0.08 = 0.04.
   * Over the top 10 levels: bid volume = all 8 YES levels
   *   6558.50 + 705 + 18708 + 1162 + 50 + 2201.86 + 3195.84 + 444.32 = 33025.52
   * ask volume = 1967.33 + 118.85 + 250 + 38.73 + 10.40 + 25 + 5 + 500 + 284 + 4040.45
   *   = 7239.76 */
  const double bid_volume = 33025.52, ask_volume = 7239.76;
  HsProviderQuery q = { .symbol = "KXELONMARS-99", .now = iso ("2026-06-12T17:00:00Z") };
  g_autoptr(HsProviderPage) page = parse_fixture ("kalshi", "orderbook_KXELONMARS-99.json",
                                                  HS_FETCH_BOOK, &q);
  const HsBookSnapshot *b;
  g_autoptr(JsonNode) asks = NULL;

  g_assert_cmpuint (page->books->len, ==, 1);
  b = &g_array_index (page->books, HsBookSnapshot, 0);
  g_assert_cmpint (b->ts, ==, q.now);
  g_assert_cmpint (b->sequence, ==, -1);
  g_assert_cmpfloat (b->best_bid, ==, 0.08);
  g_assert_cmpfloat (b->best_ask, ==, 0.12);
  g_assert_cmpfloat_with_epsilon (b->spread, 0.04, EPS);
  g_assert_cmpint (b->depth, ==, 10);
  g_assert_cmpfloat_with_epsilon (b->bid_volume, bid_volume, EPS);
  g_assert_cmpfloat_with_epsilon (b->ask_volume, ask_volume, EPS);
  g_assert_cmpfloat_with_epsilon (b->imbalance,
                                  100 * (bid_volume - ask_volume) / (bid_volume + ask_volume),
                                  EPS);
  /* All 18 derived asks are kept, best first; the worst NO bid 0.01 is the ask 0.99. */
  asks = parse_json (b->asks_json);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (asks)), ==, 18);
  g_assert_cmpfloat (json_array_get_double_element (
                       json_array_get_array_element (json_node_get_array (asks), 17), 0), ==,
                     0.99);
  g_assert_cmpfloat (json_array_get_double_element (
                       json_array_get_array_element (json_node_get_array (asks), 17), 1), ==,
                     13553);

  /* Only NO bids (found by the fuzzer): asks only, imbalance exactly −100, not
   * −100.00000000000001, which orderbook_snapshots would refuse. */
  {
    const char *body = "{\"orderbook_fp\":{\"no_dollars\":[[\"0.0100\",\"1084\"],"
                       "[\"0.0800\",\"544.32\"]]}}";
    g_autoptr(HsProviderPage) one = parse_ok ("kalshi", HS_FETCH_BOOK, &q, body, strlen (body));

    b = &g_array_index (one->books, HsBookSnapshot, 0);
    g_assert_true (isnan (b->best_bid));
    g_assert_cmpfloat (b->best_ask, ==, 0.92);
    g_assert_cmpfloat (b->imbalance, ==, -100);
  }
}

static void
test_kalshi_trades (void)
{
  /* kalshi/markets_trades_KXELONMARS-99_limit3.json: three trades, newest first, and a
   * cursor. Ascending, the first is the file's last: 2026-06-12T14:45:56.123182Z, yes 0.08,
   * count 9.40, taker_outcome_side "no" (sell); the last is the file's first:
   * 17:11:11.927591Z, yes 0.10, count 9.40, "yes" (buy). */
  HsProviderQuery q = { .symbol = "KXELONMARS-99", .limit = 3 };
  g_autoptr(HsProviderPage) page = parse_fixture ("kalshi",
                                                  "markets_trades_KXELONMARS-99_limit3.json",
                                                  HS_FETCH_TRADES, &q);
  const HsTrade *t;

  g_assert_cmpuint (page->trades->len, ==, 3);
  g_assert_cmpstr (page->next_cursor, ==, "EhIKEFq9i3ERl0wsdoYvGaMHJ8kaCwikt7DRBhCwt946");
  t = &g_array_index (page->trades, HsTrade, 0);
  g_assert_cmpint (t->ts, ==, iso ("2026-06-12T14:45:56.123182Z"));
  g_assert_cmpfloat (t->price, ==, 0.08);
  g_assert_cmpfloat (t->size, ==, 9.40);
  g_assert_cmpint (t->side, ==, HS_SIDE_SELL);
  g_assert_cmpstr (t->trade_id, ==, "5abd8b71-1197-4c2c-7686-2f19a30727c9");
  g_assert_cmpint (t->seq, ==, 0);
  t = &g_array_index (page->trades, HsTrade, 1);
  g_assert_cmpint (t->ts, ==, iso ("2026-06-12T15:45:05.842468Z"));
  g_assert_cmpfloat (t->size, ==, 0.94);
  t = &g_array_index (page->trades, HsTrade, 2);
  g_assert_cmpint (t->ts, ==, iso ("2026-06-12T17:11:11.927591Z"));
  g_assert_cmpfloat (t->price, ==, 0.10);
  g_assert_cmpint (t->side, ==, HS_SIDE_BUY);
  g_assert_cmpstr (t->trade_id, ==, "6e924506-2c0f-5717-f9b7-eae14a12202a");

  /* A range drops the trades outside it: only the 15:45 one is between 15:00 and 16:00. */
  {
    HsProviderQuery r = { .symbol = "KXELONMARS-99", .from = iso ("2026-06-12T15:00:00Z"),
                          .to = iso ("2026-06-12T16:00:00Z") };
    g_autoptr(HsProviderPage) p2 = parse_fixture ("kalshi",
                                                  "markets_trades_KXELONMARS-99_limit3.json",
                                                  HS_FETCH_TRADES, &r);

    g_assert_cmpuint (p2->trades->len, ==, 1);
    g_assert_cmpfloat (g_array_index (p2->trades, HsTrade, 0).size, ==, 0.94);
  }
}

static void
test_kalshi_candles (void)
{
  /* kalshi/candlesticks_KXELONMARS-99_60m.json (LIVE*: end_period_ts recorded as strings):
   * two 1h periods ending "1781143200" (2026-06-11T02:00:00Z) and "1781172000" (10:00Z),
   * neither with trades ("price" holds only previous_dollars): no bars, two snapshots of the
   * bid/ask at each period's end: yes_bid close 0.08, yes_ask close 0.10 → no_bid 0.90,
   * no_ask 0.92; open_interest_fp 32764.57. */
  HsProviderQuery q = { .symbol = "KXELONMARS-99", .interval = "1h",
                        .from = iso ("2026-06-10T14:00:00Z"), .to = iso ("2026-06-11T13:00:00Z"),
                        .now = iso ("2026-06-12T00:00:00Z") };
  g_autoptr(HsProviderPage) page = parse_fixture ("kalshi", "candlesticks_KXELONMARS-99_60m.json",
                                                  HS_FETCH_CANDLES, &q);
  const HsMarketSnapshot *s;

  g_assert_cmpuint (page->bars->len, ==, 0);
  g_assert_cmpint (page->n_skipped, ==, 2);
  g_assert_cmpuint (page->snapshots->len, ==, 2);
  g_assert_true (hs_provider_page_done (page));
  s = &g_array_index (page->snapshots, HsMarketSnapshot, 0);
  g_assert_cmpstr (s->ticker, ==, "KXELONMARS-99");
  g_assert_cmpint (s->ts, ==, iso ("2026-06-11T02:00:00Z"));
  g_assert_cmpint (s->source, ==, HS_SNAPSHOT_BACKFILL);
  g_assert_cmpfloat (s->yes_bid, ==, 0.08);
  g_assert_cmpfloat (s->yes_ask, ==, 0.10);
  g_assert_cmpfloat (s->no_bid, ==, 0.90);
  g_assert_cmpfloat (s->no_ask, ==, 0.92);
  g_assert_true (isnan (s->last_price));
  g_assert_true (isnan (s->volume));
  g_assert_cmpfloat (s->open_interest, ==, 32764.57);
  s = &g_array_index (page->snapshots, HsMarketSnapshot, 1);
  g_assert_cmpint (s->ts, ==, iso ("2026-06-11T10:00:00Z"));

  /* A period with trades is a bar starting one period before its end_period_ts (here an
   * integer, as the API documents it), prices in dollars; the older integer-cent form
   * reads the same. */
  {
    const char *body =
      "{\"ticker\":\"KXELONMARS-99\",\"candlesticks\":["
      "{\"end_period_ts\":1781146800,\"price\":{\"open_dollars\":\"0.0900\","
      "\"high_dollars\":\"0.1100\",\"low_dollars\":\"0.0800\",\"close_dollars\":\"0.1000\"},"
      "\"volume_fp\":\"12.50\",\"open_interest_fp\":\"100.00\"},"
      "{\"end_period_ts\":1781150400,\"price\":{\"open\":10,\"high\":12,\"low\":9,"
      "\"close\":11},\"yes_bid\":{\"close\":10},\"yes_ask\":{\"close\":12},\"volume\":3}]}";
    g_autoptr(HsProviderPage) p2 = parse_ok ("kalshi", HS_FETCH_CANDLES, &q, body,
                                             strlen (body));
    const HsBar *b;

    g_assert_cmpuint (p2->bars->len, ==, 2);
    b = &g_array_index (p2->bars, HsBar, 0);
    g_assert_cmpint (b->ts, ==, iso ("2026-06-11T02:00:00Z"));   /* 03:00Z − 1 h */
    g_assert_cmpfloat (b->open, ==, 0.09);
    g_assert_cmpfloat (b->high, ==, 0.11);
    g_assert_cmpfloat (b->low, ==, 0.08);
    g_assert_cmpfloat (b->close, ==, 0.10);
    g_assert_cmpfloat (b->volume, ==, 12.5);
    b = &g_array_index (p2->bars, HsBar, 1);
    g_assert_cmpint (b->ts, ==, iso ("2026-06-11T03:00:00Z"));
    g_assert_cmpfloat (b->open, ==, 0.10);
    g_assert_cmpfloat (b->high, ==, 0.12);
    g_assert_cmpfloat (b->close, ==, 0.11);
    g_assert_cmpfloat (b->volume, ==, 3);
    g_assert_cmpuint (p2->snapshots->len, ==, 2);
    g_assert_cmpfloat (g_array_index (p2->snapshots, HsMarketSnapshot, 1).no_ask, ==, 0.90);
  }
}

/* ----------------------------------------------------------------------------------------- */
/* Coinbase                                                                                   */

static void
test_coinbase_exchange (void)
{
  /* coinbase/exchange_products_BTC-USDT_candles_3600.json:
   * [[1710327600,73241.5,73402.47,73243.33,73370.65,1.56794406]] = [time, low, high, open,
   * close, volume]; 1710327600 is 2024-03-13T11:00:00Z. The query asks for the latest 300
   * hours before 12:00Z. */
  HsProviderQuery cq = { .symbol = "BTC-USDT", .interval = "1h",
                         .now = iso ("2024-03-13T12:00:00Z") };
  g_autoptr(HsProviderPage) candles = parse_fixture ("coinbase",
                                                     "exchange_products_BTC-USDT_candles_3600.json",
                                                     HS_FETCH_CANDLES, &cq);
  /* …_trades_limit1.json: [{"trade_id":"18502034","side":"sell","size":"0.00007448",
   * "price":"73271.63000000","time":"2024-03-13T11:00:17.710679Z"}]: "sell" is the maker,
   * so the taker bought. */
  HsProviderQuery tq = { .symbol = "BTC-USDT", .limit = 1 };
  g_autoptr(HsProviderPage) trades = parse_fixture ("coinbase",
                                                    "exchange_products_BTC-USDT_trades_limit1.json",
                                                    HS_FETCH_TRADES, &tq);
  /* …_ticker.json: "ask":"73369.19","bid":"73360.34","time":"2024-03-13T11:10:41.270099Z". */
  HsProviderQuery sq = { .symbol = "BTC-USDT" };
  g_autoptr(HsProviderPage) ticker = parse_fixture ("coinbase",
                                                    "exchange_products_BTC-USDT_ticker.json",
                                                    HS_FETCH_SNAPSHOTS, &sq);
  const HsBar *b;
  const HsTrade *t;
  const HsQuote *qu;

  g_assert_cmpuint (candles->bars->len, ==, 1);
  g_assert_true (hs_provider_page_done (candles));
  b = &g_array_index (candles->bars, HsBar, 0);
  g_assert_cmpint (b->ts, ==, iso ("2024-03-13T11:00:00Z"));
  g_assert_cmpfloat (b->low, ==, 73241.5);
  g_assert_cmpfloat (b->high, ==, 73402.47);
  g_assert_cmpfloat (b->open, ==, 73243.33);
  g_assert_cmpfloat (b->close, ==, 73370.65);
  g_assert_cmpfloat (b->volume, ==, 1.56794406);
  g_assert_true (isnan (b->vwap));
  g_assert_cmpint (b->trade_count, ==, -1);

  g_assert_cmpuint (trades->trades->len, ==, 1);
  t = &g_array_index (trades->trades, HsTrade, 0);
  g_assert_cmpstr (t->trade_id, ==, "18502034");
  g_assert_cmpint (t->side, ==, HS_SIDE_BUY);
  g_assert_cmpfloat (t->size, ==, 0.00007448);
  g_assert_cmpfloat (t->price, ==, 73271.63);
  g_assert_cmpint (t->ts, ==, iso ("2024-03-13T11:00:17.710679Z"));
  /* Without a start the walk is one page; with one older than the page it goes on, after
   * the oldest trade id. */
  g_assert_true (hs_provider_page_done (trades));
  {
    HsProviderQuery back = { .symbol = "BTC-USDT", .from = iso ("2024-03-13T10:00:00Z") };
    g_autoptr(HsProviderPage) p = parse_fixture ("coinbase",
                                                 "exchange_products_BTC-USDT_trades_limit1.json",
                                                 HS_FETCH_TRADES, &back);

    g_assert_cmpstr (p->next_cursor, ==, "18502034");
  }

  g_assert_cmpuint (ticker->quotes->len, ==, 1);
  qu = &g_array_index (ticker->quotes, HsQuote, 0);
  g_assert_cmpfloat (qu->bid, ==, 73360.34);
  g_assert_cmpfloat (qu->ask, ==, 73369.19);
  g_assert_cmpint (qu->ts, ==, iso ("2024-03-13T11:10:41.270099Z"));
  g_assert_true (isnan (qu->bid_size));
}

static void
test_coinbase_advanced (void)
{
  /* coinbase/advanced_market_products_BTC-USD_candles.json: two 1h candles, newest first, all
   * strings. Ascending: start "1712188800" (2024-04-04T00:00:00Z) low 65857.35 high 66387.77
   * open 65984.18 close 66314.59 volume 358.74851052; then "1712192400" (01:00Z) low
   * 66055.14 high 66331.99 open 66312.4 close 66181.6 volume 355.82896243. */
  HsProviderQuery cq = { .symbol = "BTC-USD", .interval = "1h",
                         .from = iso ("2024-04-04T00:00:00Z"),
                         .to = iso ("2024-04-04T01:00:00Z") };
  g_autoptr(HsProviderPage) candles = parse_fixture ("coinbase-advanced",
                                                     "advanced_market_products_BTC-USD_candles.json",
                                                     HS_FETCH_CANDLES, &cq);
  /* …_ticker.json: three prints newest first (trade ids 995098663, 662, 661) and
   * "best_bid":"68923.66","best_ask":"68923.67". The two SELL prints at 68923.67 are at the
   * best ask: a buying taker made them, so "side" is the maker's, as on the Exchange. */
  HsProviderQuery tq = { .symbol = "BTC-USD", .limit = 3, .now = iso ("2026-04-07T00:29:00Z") };
  g_autoptr(HsProviderPage) trades = parse_fixture ("coinbase-advanced",
                                                    "advanced_market_products_BTC-USD_ticker.json",
                                                    HS_FETCH_TRADES, &tq);
  g_autoptr(HsProviderPage) quote = parse_fixture ("coinbase-advanced",
                                                   "advanced_market_products_BTC-USD_ticker.json",
                                                   HS_FETCH_SNAPSHOTS, &tq);
  /* …_product_book_BTC-USD.json: 5 levels a side at "2026-04-07T00:28:59.662782Z".
   * bids 68923.66 0.17189468, 68923 0.05795895, 68922.99 0.02177956, 68921.72 0.000016,
   *      68921.61 0.04352771 → volume 0.29517690
   * asks 68923.67 0.16987193, 68926 0.058, 68926.09 0.01015616, 68926.3 0.0870495,
   *      68928 0.058 → volume 0.38307759
   * spread 68923.67 − 68923.66 = 0.01 */
  g_autoptr(HsProviderPage) book = parse_fixture ("coinbase-advanced",
                                                  "advanced_market_product_book_BTC-USD.json",
                                                  HS_FETCH_BOOK, &tq);
  const double bid_volume = 0.17189468 + 0.05795895 + 0.02177956 + 0.000016 + 0.04352771;
  const double ask_volume = 0.16987193 + 0.058 + 0.01015616 + 0.0870495 + 0.058;
  const HsBar *b;
  const HsTrade *t;
  const HsBookSnapshot *bk;

  g_assert_cmpuint (candles->bars->len, ==, 2);
  g_assert_true (hs_provider_page_done (candles));
  b = &g_array_index (candles->bars, HsBar, 0);
  g_assert_cmpint (b->ts, ==, iso ("2024-04-04T00:00:00Z"));
  g_assert_cmpfloat (b->low, ==, 65857.35);
  g_assert_cmpfloat (b->high, ==, 66387.77);
  g_assert_cmpfloat (b->open, ==, 65984.18);
  g_assert_cmpfloat (b->close, ==, 66314.59);
  g_assert_cmpfloat (b->volume, ==, 358.74851052);
  b = &g_array_index (candles->bars, HsBar, 1);
  g_assert_cmpint (b->ts, ==, iso ("2024-04-04T01:00:00Z"));
  g_assert_cmpfloat (b->low, ==, 66055.14);
  g_assert_cmpfloat (b->high, ==, 66331.99);
  g_assert_cmpfloat (b->open, ==, 66312.4);
  g_assert_cmpfloat (b->close, ==, 66181.6);
  g_assert_cmpfloat (b->volume, ==, 355.82896243);

  g_assert_cmpuint (trades->trades->len, ==, 3);
  g_assert_true (hs_provider_page_done (trades));
  t = &g_array_index (trades->trades, HsTrade, 0);
  g_assert_cmpstr (t->trade_id, ==, "995098661");
  g_assert_cmpint (t->ts, ==, iso ("2026-04-07T00:28:57.296283Z"));
  g_assert_cmpfloat (t->price, ==, 68924.94);
  g_assert_cmpfloat (t->size, ==, 0.01450854);
  g_assert_cmpint (t->side, ==, HS_SIDE_SELL);   /* "BUY" maker */
  t = &g_array_index (trades->trades, HsTrade, 2);
  g_assert_cmpstr (t->trade_id, ==, "995098663");
  g_assert_cmpint (t->ts, ==, iso ("2026-04-07T00:28:58.544778Z"));
  g_assert_cmpfloat (t->price, ==, 68923.67);
  g_assert_cmpfloat (t->size, ==, 0.00064);
  g_assert_cmpint (t->side, ==, HS_SIDE_BUY);    /* "SELL" maker */

  g_assert_cmpuint (quote->quotes->len, ==, 1);
  g_assert_cmpfloat (g_array_index (quote->quotes, HsQuote, 0).bid, ==, 68923.66);
  g_assert_cmpfloat (g_array_index (quote->quotes, HsQuote, 0).ask, ==, 68923.67);
  g_assert_cmpint (g_array_index (quote->quotes, HsQuote, 0).ts, ==, tq.now);

  g_assert_cmpuint (book->books->len, ==, 1);
  bk = &g_array_index (book->books, HsBookSnapshot, 0);
  g_assert_cmpint (bk->ts, ==, iso ("2026-04-07T00:28:59.662782Z"));
  g_assert_cmpfloat (bk->best_bid, ==, 68923.66);
  g_assert_cmpfloat (bk->best_ask, ==, 68923.67);
  g_assert_cmpfloat_with_epsilon (bk->spread, 0.01, 1e-6);
  g_assert_cmpfloat_with_epsilon (bk->bid_volume, bid_volume, EPS);
  g_assert_cmpfloat_with_epsilon (bk->ask_volume, ask_volume, EPS);
  g_assert_cmpfloat_with_epsilon (bk->bid_volume, 0.29517690, EPS);
  g_assert_cmpfloat_with_epsilon (bk->ask_volume, 0.38307759, EPS);
  g_assert_cmpfloat_with_epsilon (bk->imbalance,
                                  100 * (bid_volume - ask_volume) / (bid_volume + ask_volume),
                                  EPS);
}

/* ----------------------------------------------------------------------------------------- */
/* Yahoo                                                                                      */

static void
assert_bar (const HsBar *b,
            const char  *ts,
            double       open,
            double       high,
            double       low,
            double       close,
            double       volume)
{
  g_assert_cmpint (b->ts, ==, iso (ts));
  g_assert_cmpfloat (b->open, ==, open);
  g_assert_cmpfloat (b->high, ==, high);
  g_assert_cmpfloat (b->low, ==, low);
  g_assert_cmpfloat (b->close, ==, close);
  g_assert_cmpfloat (b->volume, ==, volume);
}

static void
test_yahoo_daily (void)
{
  /* yahoo/chart-AAPL-2020-08-31-to-2020-11-07.body.json: 49 daily bars, stamped at the New
   * York open (gmtoffset −18000); each is stored at 00:00 UTC of its date. First: timestamp
   * 1598880600 (2020-08-31 13:30Z) open 127.58000183105469 high 131 low 126
   * close 129.0399932861328 volume 225702700. Last: 1604673000 (2020-11-06 14:30Z) open
   * 118.31999969482422 high 119.19999694824219 low 116.12999725341797 close
   * 118.69000244140625 volume 114457900. Events: a 4:1 split keyed 1598880600 and a 0.205
   * dividend keyed 1604673000. */
  HsProviderQuery q = { .symbol = "AAPL", .interval = "1d", .from = iso ("2020-08-31T00:00:00Z"),
                        .to = iso ("2020-11-07T00:00:00Z"), .now = iso ("2025-02-20T00:00:00Z") };
  g_autoptr(HsProviderPage) page = parse_fixture ("yahoo",
                                                  "chart-AAPL-2020-08-31-to-2020-11-07.body.json",
                                                  HS_FETCH_CANDLES, &q);
  const HsCorporateAction *e;
  const HsProviderInstrument *inst;

  g_assert_cmpuint (page->bars->len, ==, 49);
  g_assert_cmpint (page->n_skipped, ==, 0);
  g_assert_true (hs_provider_page_done (page));
  assert_bar (&g_array_index (page->bars, HsBar, 0), "2020-08-31T00:00:00Z",
              127.58000183105469, 131, 126, 129.0399932861328, 225702700);
  assert_bar (&g_array_index (page->bars, HsBar, 48), "2020-11-06T00:00:00Z",
              118.31999969482422, 119.19999694824219, 116.12999725341797, 118.69000244140625,
              114457900);
  g_assert_cmpuint (page->events->len, ==, 2);
  e = &g_array_index (page->events, HsCorporateAction, 0);
  g_assert_cmpint (e->kind, ==, HS_CORPORATE_SPLIT);
  g_assert_cmpint (e->ts, ==, iso ("2020-08-31T00:00:00Z"));
  g_assert_cmpfloat (e->numerator, ==, 4);
  g_assert_cmpfloat (e->denominator, ==, 1);
  e = &g_array_index (page->events, HsCorporateAction, 1);
  g_assert_cmpint (e->kind, ==, HS_CORPORATE_DIVIDEND);
  g_assert_cmpint (e->ts, ==, iso ("2020-11-06T00:00:00Z"));
  g_assert_cmpfloat (e->amount, ==, 0.205);
  /* meta: "symbol":"AAPL","instrumentType":"EQUITY","exchangeName":"NMS","currency":"USD",
   * "longName":"Apple Inc." */
  g_assert_cmpuint (page->instruments->len, ==, 1);
  inst = page->instruments->pdata[0];
  g_assert_cmpstr (inst->symbol, ==, "AAPL");
  g_assert_cmpstr (inst->kind, ==, "stock");
  g_assert_cmpstr (inst->exchange, ==, "NMS");
  g_assert_cmpstr (inst->currency, ==, "USD");
  g_assert_cmpstr (inst->name, ==, "Apple Inc.");
}

static void
test_yahoo_small (void)
{
  /* yahoo/chart-QQQ-2020-01-01-to-2020-01-03.body.json: one bar, 1577975400 (2020-01-02
   * 14:30Z) open 214.39999389648438 high 216.16000366210938 low 213.97999572753906 close
   * 216.16000366210938 volume 30969400; an ETF. */
  HsProviderQuery q = { .interval = "1d", .from = iso ("2020-01-01T00:00:00Z"),
                        .to = iso ("2020-01-03T00:00:00Z"), .now = iso ("2025-02-20T00:00:00Z") };
  g_autoptr(HsProviderPage) qqq = NULL;
  g_autoptr(HsProviderPage) btc = NULL;
  g_autoptr(HsProviderPage) weekend = NULL;

  q.symbol = "QQQ";
  qqq = parse_fixture ("yahoo", "chart-QQQ-2020-01-01-to-2020-01-03.body.json",
                       HS_FETCH_CANDLES, &q);
  g_assert_cmpuint (qqq->bars->len, ==, 1);
  assert_bar (&g_array_index (qqq->bars, HsBar, 0), "2020-01-02T00:00:00Z",
              214.39999389648438, 216.16000366210938, 213.97999572753906, 216.16000366210938,
              30969400);
  g_assert_cmpstr (((HsProviderInstrument *) qqq->instruments->pdata[0])->kind, ==, "etf");

  /* …BTC-USD-2020-01-01-to-2020-01-03.body.json: 3 bars at 00:00 UTC (gmtoffset 0), the
   * range's end included. First: open 7194.89208984375 high 7254.33056640625 low
   * 7174.9443359375 close 7200.17431640625 volume 18565664997; last (2020-01-03): open
   * 6984.4287109375 high 7413.71533203125 low 6914.99609375 close 7344.88427734375 volume
   * 28111481032. */
  q.symbol = "BTC-USD";
  btc = parse_fixture ("yahoo", "chart-BTC-USD-2020-01-01-to-2020-01-03.body.json",
                       HS_FETCH_CANDLES, &q);
  g_assert_cmpuint (btc->bars->len, ==, 3);
  assert_bar (&g_array_index (btc->bars, HsBar, 0), "2020-01-01T00:00:00Z",
              7194.89208984375, 7254.33056640625, 7174.9443359375, 7200.17431640625,
              18565664997.0);
  assert_bar (&g_array_index (btc->bars, HsBar, 2), "2020-01-03T00:00:00Z",
              6984.4287109375, 7413.71533203125, 6914.99609375, 7344.88427734375,
              28111481032.0);
  g_assert_cmpstr (((HsProviderInstrument *) btc->instruments->pdata[0])->kind, ==, "crypto");

  /* …AAPL-2025-02-01-to-2025-02-02-…-interval-1m.body.json: a weekend, no `timestamp`,
   * `quote: [{}]`: an empty page, not an error. */
  q.symbol = "AAPL";
  q.interval = "1m";
  q.from = iso ("2025-02-01T00:00:00Z");
  q.to = iso ("2025-02-02T00:00:00Z");
  weekend = parse_fixture ("yahoo",
                           "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m"
                           ".body.json", HS_FETCH_CANDLES, &q);
  g_assert_cmpuint (weekend->bars->len, ==, 0);
  g_assert_cmpint (weekend->n_skipped, ==, 0);
  g_assert_true (hs_provider_page_done (weekend));
}

static void
test_yahoo_nulls (void)
{
  /* Three 1m bars at 14:30, 14:31, 14:32Z; the second has a null close: two bars, one
   * skipped and counted, nothing filled in. The third starts at 14:32 and now is 14:32:30:
   * still forming, left out (a warning, not a skip). */
  const char *body =
    "{\"chart\":{\"result\":[{\"meta\":{\"symbol\":\"SPY\",\"gmtoffset\":-18000},"
    "\"timestamp\":[1700000000,1700000060,1700000120],\"indicators\":{\"quote\":[{"
    "\"open\":[10,11,12],\"high\":[10.5,11.5,12.5],\"low\":[9.5,10.5,11.5],"
    "\"close\":[10.2,null,12.2],\"volume\":[100,200,300]}]}}],\"error\":null}}";
  HsProviderQuery q = { .symbol = "SPY", .interval = "1m", .from = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC,
                        .to = G_GINT64_CONSTANT (1700000120) * G_USEC_PER_SEC,
                        .now = G_GINT64_CONSTANT (1700000150) * G_USEC_PER_SEC };
  g_autoptr(HsProviderPage) page = parse_ok ("yahoo", HS_FETCH_CANDLES, &q, body, strlen (body));

  g_assert_cmpuint (page->bars->len, ==, 1);
  g_assert_cmpint (page->n_skipped, ==, 1);
  g_assert_cmpuint (page->warnings->len, ==, 2);
  g_assert_cmpint (g_array_index (page->bars, HsBar, 0).ts, ==, G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  g_assert_cmpfloat (g_array_index (page->bars, HsBar, 0).close, ==, 10.2);
  g_assert_nonnull (strstr (page->warnings->pdata[0], "close is null"));
}

/* ----------------------------------------------------------------------------------------- */
/* Tradier                                                                                    */

static void
test_tradier_history (void)
{
  /* tradier/markets_history_AAPL_daily_2024-02.json: 20 days; first {"date":"2024-02-01",
   * "open":183.985,"high":186.95,"low":183.82,"close":186.86,"volume":64885408}, last
   * {"date":"2024-02-29","open":181.27,"high":182.57,"low":179.53,"close":180.75,
   * "volume":136682600}. */
  HsProviderQuery q = { .symbol = "AAPL", .interval = "1d", .from = iso ("2024-02-01T00:00:00Z"),
                        .to = iso ("2024-02-29T00:00:00Z"), .now = iso ("2024-06-28T00:00:00Z") };
  g_autoptr(HsProviderPage) page = parse_fixture ("tradier",
                                                  "markets_history_AAPL_daily_2024-02.json",
                                                  HS_FETCH_CANDLES, &q);

  g_assert_cmpuint (page->bars->len, ==, 20);
  assert_bar (&g_array_index (page->bars, HsBar, 0), "2024-02-01T00:00:00Z",
              183.985, 186.95, 183.82, 186.86, 64885408);
  assert_bar (&g_array_index (page->bars, HsBar, 19), "2024-02-29T00:00:00Z",
              181.27, 182.57, 179.53, 180.75, 136682600);
  g_assert_true (hs_provider_page_done (page));

  /* {"history": null} is an empty range. */
  {
    g_autoptr(HsProviderPage) none = parse_ok ("tradier", HS_FETCH_CANDLES, &q,
                                               "{\"history\":null}", 16);

    g_assert_cmpuint (none->bars->len, ==, 0);
  }
}

static void
test_tradier_quotes (void)
{
  /* tradier/markets_quotes_SPY_and_option_greeks.json: "quote" is an array of SPY (an etf:
   * bid 547.95 ask 547.96 bidsize 2 asksize 2, bid_date 1719589861000 ask_date
   * 1719589860000 ms) and the put SPY251219P00450000 (strike 450, expiration 2025-12-19, bid
   * 10.2 ask 10.36 last 10.05 volume 415 open_interest 7230, bid_date = ask_date =
   * 1719589851000; greeks delta −0.136692803567622 gamma 0.0014474030220688475 theta
   * −0.05979034211472878 vega 1.2675943936834042 rho 5.051298572174882 mid_iv 0.209179). */
  HsProviderQuery q = { .symbol = "SPY,SPY251219P00450000" };
  g_autoptr(HsProviderPage) page = parse_fixture ("tradier",
                                                  "markets_quotes_SPY_and_option_greeks.json",
                                                  HS_FETCH_SNAPSHOTS, &q);
  /* …_PLTR_single_object.json: "quote" is an object: bid 25.49 ask 25.5 bidsize 37 asksize
   * 16, bid_date = ask_date = 1719589861000. */
  g_autoptr(HsProviderPage) pltr = parse_fixture ("tradier", "markets_quotes_PLTR_single_object.json",
                                                  HS_FETCH_SNAPSHOTS, &q);
  const HsQuote *qu;
  const HsProviderOptionQuote *o;

  g_assert_cmpuint (page->quotes->len, ==, 1);
  g_assert_cmpuint (page->option_quotes->len, ==, 1);
  qu = &g_array_index (page->quotes, HsQuote, 0);
  g_assert_cmpint (qu->ts, ==, G_GINT64_CONSTANT (1719589861000) * 1000);
  g_assert_cmpfloat (qu->bid, ==, 547.95);
  g_assert_cmpfloat (qu->ask, ==, 547.96);
  g_assert_cmpfloat (qu->bid_size, ==, 2);
  g_assert_cmpfloat (qu->ask_size, ==, 2);
  g_assert_cmpstr (((HsProviderInstrument *) page->instruments->pdata[0])->kind, ==, "etf");

  o = &g_array_index (page->option_quotes, HsProviderOptionQuote, 0);
  g_assert_cmpstr (o->contract.symbol, ==, "SPY251219P00450000");
  g_assert_cmpstr (o->contract.underlying, ==, "SPY");
  g_assert_cmpint (o->contract.expiry, ==, iso ("2025-12-19T00:00:00Z"));
  g_assert_cmpfloat (o->contract.strike, ==, 450);
  g_assert_cmpint (o->contract.right, ==, HS_OPTION_PUT);
  g_assert_cmpint (o->quote.ts, ==, G_GINT64_CONSTANT (1719589851000) * 1000);
  g_assert_cmpfloat (o->quote.bid, ==, 10.2);
  g_assert_cmpfloat (o->quote.ask, ==, 10.36);
  g_assert_cmpfloat (o->quote.last, ==, 10.05);
  g_assert_cmpint (o->quote.volume, ==, 415);
  g_assert_cmpint (o->quote.open_interest, ==, 7230);
  g_assert_cmpfloat (o->quote.iv, ==, 0.209179);
  g_assert_cmpfloat (o->quote.delta, ==, -0.136692803567622);
  g_assert_cmpfloat (o->quote.gamma, ==, 0.0014474030220688475);
  g_assert_cmpfloat (o->quote.theta, ==, -0.05979034211472878);
  g_assert_cmpfloat (o->quote.vega, ==, 1.2675943936834042);
  g_assert_cmpfloat (o->quote.rho, ==, 5.051298572174882);
  g_assert_true (isnan (o->quote.underlying_price));

  g_assert_cmpuint (pltr->quotes->len, ==, 1);
  qu = &g_array_index (pltr->quotes, HsQuote, 0);
  g_assert_cmpfloat (qu->bid, ==, 25.49);
  g_assert_cmpfloat (qu->ask, ==, 25.5);
  g_assert_cmpfloat (qu->bid_size, ==, 37);
  g_assert_cmpfloat (qu->ask_size, ==, 16);
  g_assert_cmpint (qu->ts, ==, G_GINT64_CONSTANT (1719589861000) * 1000);
}

static void
test_tradier_chain (void)
{
  /* tradier/markets_options_expirations_PLTR.json: 19 dates from 2024-06-28 to 2026-12-18.
   * The first page of a chain has no rows; its cursor lists the expirations to fetch: all of
   * them, or those in the query's range (2025: 2025-01-17, 2025-02-21, 2025-03-21,
   * 2025-06-20). */
  HsProviderQuery q = { .symbol = "PLTR" };
  g_autoptr(HsProviderPage) all = parse_fixture ("tradier", "markets_options_expirations_PLTR.json",
                                                 HS_FETCH_OPTIONS, &q);
  g_autoptr(HsProviderPage) year = NULL;
  g_autoptr(HsProviderPage) chain = NULL;
  g_auto(GStrv) dates = NULL;
  const HsProviderOptionQuote *o;
  /* The chain body was not recorded (about 1 MB); this one has its documented shape, with one
   * contract, so "option" is a bare object, and null greeks but for a negative gamma. */
  const char *body =
    "{\"options\":{\"option\":{\"symbol\":\"PLTR260618C00025000\",\"option_type\":\"call\","
    "\"strike\":25.0,\"expiration_date\":\"2026-06-18\",\"underlying\":\"PLTR\",\"bid\":4.1,"
    "\"ask\":4.35,\"last\":null,\"volume\":0,\"open_interest\":1200,\"bid_date\":1719589800000,"
    "\"ask_date\":1719589801000,\"greeks\":{\"delta\":null,\"gamma\":-0.001,\"theta\":null,"
    "\"vega\":null,\"rho\":null,\"mid_iv\":0}}}}";

  g_assert_cmpuint (hs_provider_page_rows (all), ==, 0);
  dates = g_strsplit (all->next_cursor, ",", -1);
  g_assert_cmpuint (g_strv_length (dates), ==, 19);
  g_assert_cmpstr (dates[0], ==, "2024-06-28");
  g_assert_cmpstr (dates[18], ==, "2026-12-18");

  q.from = iso ("2025-01-01T00:00:00Z");
  q.to = iso ("2025-12-31T00:00:00Z");
  year = parse_fixture ("tradier", "markets_options_expirations_PLTR.json", HS_FETCH_OPTIONS, &q);
  g_assert_cmpstr (year->next_cursor, ==, "2025-01-17,2025-02-21,2025-03-21,2025-06-20");

  /* The page of the first date in the cursor; the next cursor is the rest. */
  q.from = q.to = 0;
  q.cursor = "2026-06-18,2026-12-18";
  chain = parse_ok ("tradier", HS_FETCH_OPTIONS, &q, body, strlen (body));
  g_assert_cmpstr (chain->next_cursor, ==, "2026-12-18");
  g_assert_cmpuint (chain->option_quotes->len, ==, 1);
  o = &g_array_index (chain->option_quotes, HsProviderOptionQuote, 0);
  g_assert_cmpstr (o->contract.underlying, ==, "PLTR");
  g_assert_cmpint (o->contract.expiry, ==, iso ("2026-06-18T00:00:00Z"));
  g_assert_cmpfloat (o->contract.strike, ==, 25);
  g_assert_cmpint (o->contract.right, ==, HS_OPTION_CALL);
  g_assert_cmpint (o->quote.ts, ==, G_GINT64_CONSTANT (1719589801000) * 1000);
  g_assert_cmpint (o->quote.volume, ==, 0);
  g_assert_cmpint (o->quote.open_interest, ==, 1200);
  g_assert_true (isnan (o->quote.last));
  g_assert_true (isnan (o->quote.delta));
  /* A negative gamma is left out with a warning; an IV of 0 is "no IV". */
  g_assert_true (isnan (o->quote.gamma));
  g_assert_true (isnan (o->quote.iv));
  g_assert_cmpuint (chain->warnings->len, ==, 1);

  /* The last expiration: no cursor after it. */
  q.cursor = "2026-12-18";
  {
    g_autoptr(HsProviderPage) last = parse_ok ("tradier", HS_FETCH_OPTIONS, &q,
                                               "{\"options\":null}", 16);

    g_assert_true (hs_provider_page_done (last));
  }
}

/* ----------------------------------------------------------------------------------------- */
/* Kraken                                                                                     */

static void
test_kraken_ohlc (void)
{
  /* kraken/0_public_OHLC_XBTUSDT_1m.min.json: 721 rows from 1762777020 to 1762820220 and
   * "last": 1762820160. The row after `last` is the bar still forming: 720 bars. Now is the
   * forming bar's start, so the 720 bars Kraken keeps reach back to 1762777020, where the
   * range starts.
   * First row [1762777020,"106038.2"×4,"0.0","0.00000000",0]: no trades, so vwap unknown.
   * Row 3 [1762777200,"106038.1","106044.3","106038.1","106040.1","106039.6","0.08317981",3].
   * Last kept [1762820160,"105899.4"×4,"0.0","0.00000000",0]. */
  HsProviderQuery q = { .symbol = "XBTUSDT", .interval = "1m",
                        .from = G_GINT64_CONSTANT (1762777020) * G_USEC_PER_SEC,
                        .now = G_GINT64_CONSTANT (1762820220) * G_USEC_PER_SEC };
  g_autoptr(HsProviderPage) page = parse_fixture ("kraken", "0_public_OHLC_XBTUSDT_1m.min.json",
                                                  HS_FETCH_CANDLES, &q);
  const HsBar *b;

  g_assert_cmpuint (page->bars->len, ==, 720);
  g_assert_true (hs_provider_page_done (page));
  b = &g_array_index (page->bars, HsBar, 0);
  g_assert_cmpint (b->ts, ==, G_GINT64_CONSTANT (1762777020) * G_USEC_PER_SEC);
  g_assert_cmpfloat (b->open, ==, 106038.2);
  g_assert_cmpfloat (b->volume, ==, 0);
  g_assert_true (isnan (b->vwap));
  g_assert_cmpint (b->trade_count, ==, 0);
  b = &g_array_index (page->bars, HsBar, 3);
  g_assert_cmpint (b->ts, ==, G_GINT64_CONSTANT (1762777200) * G_USEC_PER_SEC);
  g_assert_cmpfloat (b->open, ==, 106038.1);
  g_assert_cmpfloat (b->high, ==, 106044.3);
  g_assert_cmpfloat (b->low, ==, 106038.1);
  g_assert_cmpfloat (b->close, ==, 106040.1);
  g_assert_cmpfloat (b->vwap, ==, 106039.6);
  g_assert_cmpfloat (b->volume, ==, 0.08317981);
  g_assert_cmpint (b->trade_count, ==, 3);
  b = &g_array_index (page->bars, HsBar, 719);
  g_assert_cmpint (b->ts, ==, G_GINT64_CONSTANT (1762820160) * G_USEC_PER_SEC);
  g_assert_cmpfloat (b->close, ==, 105899.4);
}

static void
test_kraken_trades (void)
{
  /* kraken/0_public_Trades_XBTUSDT.min.json: 1000 trades, ascending, "last" =
   * "1762820035982277754" (ns, beyond 2^53). First ["105433.60000","0.00027625",
   * 1762795433.9717445,"b","l","",10218208]: 1762795433.971744 s (the half microsecond cut),
   * a buying taker. Last ["105899.40000","0.00009443",1762820035.9822779,"s","m","",10219207].
   * 17 trades share 1762798371.4374409; 1762799296.197346 (17 trades) and
   * 1762799296.1973462 (15) are the same microsecond, so 32 trades there get seq 0…31. */
  HsProviderQuery q = { .symbol = "XBTUSDT" };
  g_autoptr(HsProviderPage) page = parse_fixture ("kraken", "0_public_Trades_XBTUSDT.min.json",
                                                  HS_FETCH_TRADES, &q);
  const HsTrade *t;
  int64_t max_seq = 0, at_max = 0;

  g_assert_cmpuint (page->trades->len, ==, 1000);
  /* A full page (1000 = the most a request returns): go on from `last`. */
  g_assert_cmpstr (page->next_cursor, ==, "1762820035982277754");
  t = &g_array_index (page->trades, HsTrade, 0);
  g_assert_cmpint (t->ts, ==, G_GINT64_CONSTANT (1762795433971744));
  g_assert_cmpfloat (t->price, ==, 105433.6);
  g_assert_cmpfloat (t->size, ==, 0.00027625);
  g_assert_cmpint (t->side, ==, HS_SIDE_BUY);
  g_assert_cmpstr (t->trade_id, ==, "10218208");
  t = &g_array_index (page->trades, HsTrade, 999);
  g_assert_cmpint (t->ts, ==, G_GINT64_CONSTANT (1762820035982277));
  g_assert_cmpfloat (t->price, ==, 105899.4);
  g_assert_cmpint (t->side, ==, HS_SIDE_SELL);
  g_assert_cmpstr (t->trade_id, ==, "10219207");
  for (guint i = 0; i < page->trades->len; i++)
    {
      t = &g_array_index (page->trades, HsTrade, i);
      if (t->seq > max_seq)
        {
          max_seq = t->seq;
          at_max = t->ts;
        }
    }
  g_assert_cmpint (max_seq, ==, 31);
  g_assert_cmpint (at_max, ==, G_GINT64_CONSTANT (1762799296197346));

  /* A range ending before the page's last trade: the rest is dropped and the walk ends. */
  q.to = G_GINT64_CONSTANT (1762795500) * G_USEC_PER_SEC;
  {
    g_autoptr(HsProviderPage) p2 = parse_fixture ("kraken", "0_public_Trades_XBTUSDT.min.json",
                                                  HS_FETCH_TRADES, &q);

    /* 1762795433.97, …457.85, …473.94 (×2), …483.31, …491.85 are before 1762795500. */
    g_assert_cmpuint (p2->trades->len, ==, 6);
    g_assert_true (hs_provider_page_done (p2));
  }
}

static void
test_kraken_depth (void)
{
  /* kraken/0_public_Depth_XBTUSDT.json: 5 levels a side; best bid 105944.2 (0.002), best ask
   * 105944.3 (0.136); bid volume 0.002 + 0.024 + 0.095 + 0.016 + 0.005 = 0.142, ask volume
   * 0.136 + 0.095 + 0.003 + 0.103 + 0.024 = 0.361. */
  HsProviderQuery q = { .symbol = "XBTUSDT", .depth = 5, .now = iso ("2025-11-11T00:17:30Z") };
  g_autoptr(HsProviderPage) page = parse_fixture ("kraken", "0_public_Depth_XBTUSDT.json",
                                                  HS_FETCH_BOOK, &q);
  const HsBookSnapshot *b;

  g_assert_cmpuint (page->books->len, ==, 1);
  b = &g_array_index (page->books, HsBookSnapshot, 0);
  g_assert_cmpint (b->ts, ==, q.now);
  g_assert_cmpint (b->depth, ==, 5);
  g_assert_cmpfloat (b->best_bid, ==, 105944.2);
  g_assert_cmpfloat (b->best_ask, ==, 105944.3);
  g_assert_cmpfloat_with_epsilon (b->bid_volume, 0.142, EPS);
  g_assert_cmpfloat_with_epsilon (b->ask_volume, 0.361, EPS);
  g_assert_cmpfloat_with_epsilon (b->imbalance, 100 * (0.142 - 0.361) / (0.142 + 0.361), EPS);
}

/* ----------------------------------------------------------------------------------------- */
/* Requests                                                                                   */

static void
test_requests_kalshi (void)
{
  HsProviderQuery snap = { .symbol = "KXELONMARS-99", .now = iso ("2026-06-12T17:00:00Z") };
  HsProviderQuery list = { .symbol = "KXELONMARS-99,KXCOLONIZEMARS-50", .now = snap.now };
  /* 2026-06-12T00:00:00Z is 1781222400 s; the end 12:00:00.5Z rounds up to 1781265601. */
  HsProviderQuery trades = { .symbol = "KXELONMARS-99", .from = iso ("2026-06-12T00:00:00Z"),
                             .to = iso ("2026-06-12T12:00:00.5Z"), .cursor = "a+b/c=",
                             .limit = 3 };
  /* 2026-06-10T14:00Z = 1781100000, 2026-06-11T13:00Z = 1781182800: the API selects by the
   * period's end, one hour after each bar's start. */
  HsProviderQuery candles = { .symbol = "KXELONMARS-99", .interval = "1h",
                              .from = iso ("2026-06-10T14:00:00Z"),
                              .to = iso ("2026-06-11T13:00:00Z"), .now = snap.now };
  HsProviderQuery markets = { .symbol = "KXHIGHNY", .cursor = "xyz" };

  assert_url ("kalshi", HS_FETCH_SNAPSHOTS, &snap, "http://h/markets/KXELONMARS-99");
  assert_url ("kalshi", HS_FETCH_SNAPSHOTS, &list,
              "http://h/markets?tickers=KXELONMARS-99%2CKXCOLONIZEMARS-50&limit=1000");
  assert_url ("kalshi", HS_FETCH_BOOK, &snap, "http://h/markets/KXELONMARS-99/orderbook?depth=10");
  assert_url ("kalshi", HS_FETCH_TRADES, &trades,
              "http://h/markets/trades?ticker=KXELONMARS-99&limit=3&min_ts=1781222400"
              "&max_ts=1781265601&cursor=a%2Bb%2Fc%3D");
  assert_url ("kalshi", HS_FETCH_CANDLES, &candles,
              "http://h/series/KXELONMARS/markets/KXELONMARS-99/candlesticks"
              "?start_ts=1781103600&end_ts=1781186400&period_interval=60");
  assert_url ("kalshi", HS_FETCH_INSTRUMENTS, &markets,
              "http://h/markets?limit=1000&status=open&series_ticker=KXHIGHNY&cursor=xyz");
  /* A path segment is escaped whole. */
  snap.symbol = "A/B?C";
  assert_url ("kalshi", HS_FETCH_SNAPSHOTS, &snap, "http://h/markets/A%2FB%3FC");
  /* A poll is stamped with the time of the request: without it, no request. */
  snap.now = 0;
  build_fails ("kalshi", NULL, HS_FETCH_SNAPSHOTS, &snap, HS_PROVIDER_ERROR_INVALID, "now");
  candles.interval = "5m";
  build_fails ("kalshi", NULL, HS_FETCH_CANDLES, &candles, HS_PROVIDER_ERROR_UNSUPPORTED,
               "kalshi has no 5m candles (it has 1m, 1h, 1d)");
  candles.interval = NULL;
  build_fails ("kalshi", NULL, HS_FETCH_CANDLES, &candles, HS_PROVIDER_ERROR_INVALID,
               "no interval");
}

/* Walks a candle range with empty pages: the number of requests and the last one's URL. */
static guint
walk_candles (const char      *name,
              HsProviderQuery *query,
              const char      *empty_body,
              char           **last_url)
{
  g_autofree char *cursor = NULL;
  guint n = 0;

  do
    {
      g_auto(HsProviderRequest) req = { NULL, NULL };
      g_autoptr(HsProviderPage) page = NULL;

      query->cursor = cursor;
      req = build_ok (name, "http://h", NULL, HS_FETCH_CANDLES, query);
      page = parse_ok (name, HS_FETCH_CANDLES, query, empty_body, strlen (empty_body));
      g_free (*last_url);
      *last_url = g_steal_pointer (&req.url);
      g_free (cursor);
      cursor = g_steal_pointer (&page->next_cursor);
      n++;
      g_assert_cmpuint (n, <, 100);
    }
  while (cursor != NULL);
  query->cursor = NULL;
  return n;
}

static void
test_requests_coinbase (void)
{
  /* 1000 hourly bars from 2024-01-01T00:00Z (to = +999 h = 2024-02-11T15:00Z) at 300 a
   * request: 300 + 300 + 300 + 100, four requests; the first ends 1 s before +300 h
   * (2024-01-13T12:00Z), the last at the range's end. */
  HsProviderQuery q = { .symbol = "BTC-USD", .interval = "1h",
                        .from = iso ("2024-01-01T00:00:00Z"), .to = iso ("2024-02-11T15:00:00Z") };
  HsProviderQuery trades = { .symbol = "BTC-USDT", .cursor = "18502034" };
  HsProviderQuery adv = { .symbol = "BTC-USD", .interval = "1h",
                          .from = G_GINT64_CONSTANT (1712188800) * G_USEC_PER_SEC,
                          .to = G_GINT64_CONSTANT (1712192400) * G_USEC_PER_SEC,
                          .now = iso ("2024-04-05T00:00:00Z") };
  g_autofree char *last = NULL;

  assert_url ("coinbase", HS_FETCH_CANDLES, &q,
              "http://h/products/BTC-USD/candles?granularity=3600"
              "&start=2024-01-01T00%3A00%3A00Z&end=2024-01-13T11%3A59%3A59Z");
  g_assert_cmpuint (walk_candles ("coinbase", &q, "[]", &last), ==, 4);
  g_assert_cmpstr (last, ==, "http://h/products/BTC-USD/candles?granularity=3600"
                             "&start=2024-02-07T12%3A00%3A00Z&end=2024-02-11T15%3A00%3A00Z");
  assert_url ("coinbase", HS_FETCH_TRADES, &trades,
              "http://h/products/BTC-USDT/trades?limit=1000&after=18502034");
  trades.cursor = "x";
  build_fails ("coinbase", NULL, HS_FETCH_TRADES, &trades, HS_PROVIDER_ERROR_INVALID, "cursor");
  assert_url ("coinbase", HS_FETCH_BOOK, &trades, "http://h/products/BTC-USDT/book?level=2");
  assert_url ("coinbase", HS_FETCH_SNAPSHOTS, &trades, "http://h/products/BTC-USDT/ticker");
  q.interval = "4h";
  build_fails ("coinbase", NULL, HS_FETCH_CANDLES, &q, HS_PROVIDER_ERROR_UNSUPPORTED,
               "coinbase has no 4h candles");

  assert_url ("coinbase-advanced", HS_FETCH_CANDLES, &adv,
              "http://h/market/products/BTC-USD/candles?start=1712188800&end=1712192400"
              "&granularity=ONE_HOUR");
  assert_url ("coinbase-advanced", HS_FETCH_BOOK, &adv,
              "http://h/market/product_book?product_id=BTC-USD&limit=10");
  adv.limit = 3;
  assert_url ("coinbase-advanced", HS_FETCH_TRADES, &adv,
              "http://h/market/products/BTC-USD/ticker?limit=3");
  assert_url ("coinbase-advanced", HS_FETCH_SNAPSHOTS, &adv,
              "http://h/market/products/BTC-USD/ticker?limit=1");
}

static void
test_requests_yahoo (void)
{
  /* 2024-01-01T00:00Z = 1704067200; a daily range asks up to the end of its last day,
   * 2024-01-31T00:00Z (1706659200) + 86399 s = 1706745599, as a daily bar is stamped at the
   * session open. "^" and "|" are escaped. */
  HsProviderQuery q = { .symbol = "^VIX", .interval = "1d", .from = iso ("2024-01-01T00:00:00Z"),
                        .to = iso ("2024-01-31T00:00:00Z"), .now = iso ("2025-02-20T00:00:00Z") };
  g_autofree char *last = NULL;

  assert_url ("yahoo", HS_FETCH_CANDLES, &q,
              "http://h/v8/finance/chart/%5EVIX?period1=1704067200&period2=1706745599"
              "&interval=1d&includePrePost=false&events=div%7Csplit");

  /* 1m bars: 30 days back at most, 7 days a request. 20 days are 7 + 7 + 6: three requests. */
  q.symbol = "SPY";
  q.interval = "1m";
  q.from = q.now - G_GINT64_CONSTANT (36) * 86400 * G_USEC_PER_SEC;
  q.to = q.now;
  build_fails ("yahoo", NULL, HS_FETCH_CANDLES, &q, HS_PROVIDER_ERROR_INVALID,
               "yahoo keeps 1m bars for the last 30 days only");
  q.from = q.now - G_GINT64_CONSTANT (20) * 86400 * G_USEC_PER_SEC;
  g_assert_cmpuint (walk_candles ("yahoo", &q, "{\"chart\":{\"result\":[{\"indicators\":"
                                  "{\"quote\":[{}]}}],\"error\":null}}", &last), ==, 3);
  /* The last request: 2025-02-14T00:00Z (1739491200) to now, 2025-02-20T00:00Z (1740009600). */
  g_assert_cmpstr (last, ==, "http://h/v8/finance/chart/SPY?period1=1739491200"
                             "&period2=1740009600&interval=1m&includePrePost=false"
                             "&events=div%7Csplit");
  /* Without a start: the latest request's worth (7 days), within the lookback. */
  q.from = 0;
  g_assert_cmpuint (walk_candles ("yahoo", &q, "{\"chart\":{\"result\":[{\"indicators\":"
                                  "{\"quote\":[{}]}}],\"error\":null}}", &last), ==, 1);
  build_fails ("yahoo", NULL, HS_FETCH_TRADES, &q, HS_PROVIDER_ERROR_UNSUPPORTED,
               "yahoo has no trades");
}

static void
test_requests_tradier_token (void)
{
  HsProviderQuery q = { .symbol = "AAPL", .interval = "1d", .from = iso ("2024-02-01T00:00:00Z"),
                        .to = iso ("2024-02-29T00:00:00Z") };
  HsProviderQuery chain = { .symbol = "PLTR", .cursor = "2026-06-18,2026-12-18" };
  HsProviderQuery expirations = { .symbol = "PLTR" };
  g_auto(HsProviderRequest) req = build_ok ("tradier", "http://h", "s3cr3t", HS_FETCH_CANDLES, &q);
  g_auto(HsProviderRequest) other = build_ok ("kalshi", "http://h", "s3cr3t",
                                              HS_FETCH_INSTRUMENTS, &q);

  /* The token is in a header and nowhere else. */
  g_assert_cmpstr (req.url, ==, "http://h/markets/history?symbol=AAPL&interval=daily"
                                "&start=2024-02-01&end=2024-02-29");
  g_assert_null (strstr (req.url, "s3cr3t"));
  g_assert_cmpuint (g_strv_length (req.headers), ==, 2);
  g_assert_cmpstr (req.headers[0], ==, "Accept: application/json");
  g_assert_cmpstr (req.headers[1], ==, "Authorization: Bearer s3cr3t");
  /* A keyless provider never sends it, even when one is passed. */
  g_assert_cmpuint (g_strv_length (other.headers), ==, 1);
  g_assert_cmpstr (other.headers[0], ==, "Accept: application/json");
  g_assert_null (strstr (other.url, "s3cr3t"));

  build_fails ("tradier", NULL, HS_FETCH_CANDLES, &q, HS_PROVIDER_ERROR_AUTH,
               "HINDSIGHT_TRADIER_TOKEN");
  build_fails ("tradier", "", HS_FETCH_CANDLES, &q, HS_PROVIDER_ERROR_AUTH, "token");
  build_fails ("tradier", "abc\r\nX-Evil: 1", HS_FETCH_CANDLES, &q, HS_PROVIDER_ERROR_AUTH,
               "control character");

  {
    g_auto(HsProviderRequest) r1 = build_ok ("tradier", "http://h", "t", HS_FETCH_OPTIONS,
                                             &expirations);
    g_auto(HsProviderRequest) r2 = build_ok ("tradier", "http://h", "t", HS_FETCH_OPTIONS, &chain);
    g_auto(HsProviderRequest) r3 = build_ok ("tradier", "http://h", "t", HS_FETCH_SNAPSHOTS,
                                             &expirations);

    g_assert_cmpstr (r1.url, ==,
                     "http://h/markets/options/expirations?symbol=PLTR&includeAllRoots=true");
    g_assert_cmpstr (r2.url, ==,
                     "http://h/markets/options/chains?symbol=PLTR&expiration=2026-06-18"
                     "&greeks=true");
    g_assert_cmpstr (r3.url, ==, "http://h/markets/quotes?symbols=PLTR&greeks=true");
  }
  chain.cursor = "2026-06-18,junk";
  build_fails ("tradier", "t", HS_FETCH_OPTIONS, &chain, HS_PROVIDER_ERROR_INVALID,
               "not a list of dates");
}

static void
test_requests_kraken (void)
{
  /* OHLC: `since` one interval before the range's start (1762777020 − 60). Trades: the start
   * in nanoseconds, or the cursor as it came. */
  HsProviderQuery ohlc = { .symbol = "XBTUSDT", .interval = "1m",
                           .from = G_GINT64_CONSTANT (1762777020) * G_USEC_PER_SEC,
                           .now = G_GINT64_CONSTANT (1762820220) * G_USEC_PER_SEC };
  HsProviderQuery trades = { .symbol = "XBTUSDT",
                             .from = G_GINT64_CONSTANT (1762795433) * G_USEC_PER_SEC };

  assert_url ("kraken", HS_FETCH_CANDLES, &ohlc,
              "http://h/OHLC?pair=XBTUSDT&interval=1&since=1762776960");
  assert_url ("kraken", HS_FETCH_TRADES, &trades,
              "http://h/Trades?pair=XBTUSDT&since=1762795433000000000&count=1000");
  trades.cursor = "1762820035982277754";
  assert_url ("kraken", HS_FETCH_TRADES, &trades,
              "http://h/Trades?pair=XBTUSDT&since=1762820035982277754&count=1000");
  assert_url ("kraken", HS_FETCH_BOOK, &ohlc, "http://h/Depth?pair=XBTUSDT&count=10");
  /* One minute older than the 720 bars Kraken keeps. */
  ohlc.from -= 60 * G_USEC_PER_SEC;
  build_fails ("kraken", NULL, HS_FETCH_CANDLES, &ohlc, HS_PROVIDER_ERROR_INVALID,
               "kraken keeps 1m bars for the last 12 h only");
}

static void
test_base_url (void)
{
  const HsProvider *cb = hs_provider_lookup ("coinbase");
  HsProviderQuery q = { .symbol = "BTC-USD" };
  g_autoptr(GError) error = NULL;

  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
  {
    g_auto(HsProviderRequest) req = build_ok ("coinbase", NULL, NULL, HS_FETCH_BOOK, &q);

    g_assert_cmpstr (req.url, ==, "https://api.exchange.coinbase.com/products/BTC-USD/book?level=2");
  }
  /* The environment overrides the default (a trailing slash goes) … */
  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", "http://127.0.0.1:8080/cb/", TRUE);
  {
    g_auto(HsProviderRequest) req = build_ok ("coinbase", NULL, NULL, HS_FETCH_BOOK, &q);

    g_assert_cmpstr (req.url, ==, "http://127.0.0.1:8080/cb/products/BTC-USD/book?level=2");
  }
  /* … and an explicit URL (--base-url) overrides the environment. */
  {
    g_auto(HsProviderRequest) req = build_ok ("coinbase", "http://127.0.0.1:9", NULL,
                                              HS_FETCH_BOOK, &q);

    g_assert_cmpstr (req.url, ==, "http://127.0.0.1:9/products/BTC-USD/book?level=2");
  }
  /* Only http(s), one line, no query. */
  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", "file:///etc", TRUE);
  g_assert_null (hs_provider_base_url (cb, NULL, &error));
  g_assert_error (error, HS_PROVIDER_ERROR, HS_PROVIDER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "HINDSIGHT_COINBASE_BASE_URL"));
  g_clear_error (&error);
  g_assert_null (hs_provider_base_url (cb, "http://h/x?y=1", &error));
  g_clear_error (&error);
  g_assert_null (hs_provider_base_url (cb, "http://h/a b", &error));
  g_clear_error (&error);
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");

  /* Every provider has its own variable, named after it. */
  {
    size_t n = 0;
    const HsProvider *const *all = hs_provider_all (&n);

    g_assert_cmpuint (n, ==, 6);
    for (size_t i = 0; i < n; i++)
      {
        g_autofree char *upper = g_ascii_strup (all[i]->name, -1);
        g_autofree char *env = NULL;

        g_strdelimit (upper, "-", '_');
        env = g_strdup_printf ("HINDSIGHT_%s_BASE_URL", upper);
        g_assert_cmpstr (all[i]->base_url_env, ==, env);
        g_assert_true (g_str_has_prefix (all[i]->default_base_url, "https://"));
        g_assert_true (all[i]->rate_per_second > 0 && all[i]->burst >= 1);
      }
  }
}

static void
test_capabilities (void)
{
  const HsProvider *tradier = hs_provider_lookup ("tradier");
  const HsProvider *kraken = hs_provider_lookup ("kraken");
  HsFetchKind kind;
  g_autofree char *limits = hs_provider_describe_limits (hs_provider_lookup ("yahoo"));

  g_assert_null (hs_provider_lookup ("binance"));
  g_assert_true (tradier->needs_token);
  g_assert_true (hs_provider_supports (tradier, HS_FETCH_OPTIONS));
  g_assert_false (hs_provider_supports (tradier, HS_FETCH_TRADES));
  g_assert_false (hs_provider_lookup ("kalshi")->needs_token);
  g_assert_true (hs_provider_supports (hs_provider_lookup ("kalshi"), HS_FETCH_INSTRUMENTS));
  g_assert_nonnull (hs_provider_find_interval (kraken, "4h"));
  g_assert_cmpint (hs_provider_find_interval (kraken, "1m")->lookback_s, ==, 720 * 60);
  g_assert_null (hs_provider_find_interval (kraken, "1mo"));
  g_assert_true (hs_fetch_kind_from_string ("options", &kind));
  g_assert_cmpint (kind, ==, HS_FETCH_OPTIONS);
  g_assert_false (hs_fetch_kind_from_string ("quotes", &kind));
  g_assert_cmpstr (hs_fetch_kind_to_string (HS_FETCH_BOOK), ==, "book");
  g_test_message ("yahoo: %s", limits);
  g_assert_nonnull (strstr (limits, "0.5 req/s (burst 1)"));
  g_assert_nonnull (strstr (limits, "1m: 7 days per request, last 30 days only"));
}

/* ----------------------------------------------------------------------------------------- */
/* Bad bodies                                                                                 */

static void
test_bad_bodies (void)
{
  HsProviderQuery candles = { .symbol = "BTC-USDT", .interval = "1h",
                              .now = iso ("2024-03-13T12:00:00Z") };
  HsProviderQuery kalshi = { .symbol = "KXELONMARS-99", .now = iso ("2026-06-12T17:00:00Z") };
  HsProviderQuery kraken = { .symbol = "XBTUSDT", .interval = "1m",
                             .now = G_GINT64_CONSTANT (1762820220) * G_USEC_PER_SEC };
  HsProviderQuery yahoo = { .symbol = "NOPE", .interval = "1d", .now = iso ("2025-02-20T00:00:00Z") };
  HsProviderQuery trades = { .symbol = "BTC-USDT" };

  /* Wrong types, named by their path. */
  parse_fails ("coinbase", HS_FETCH_CANDLES, &candles,
               "[[1710327600,73241.5,73402.47,\"abc\",73370.65,1.5]]", HS_PROVIDER_ERROR_BODY,
               "coinbase candles: [0][3]: \"abc\" is not a number");
  parse_fails ("coinbase", HS_FETCH_CANDLES, &candles, "{\"candles\": []}",
               HS_PROVIDER_ERROR_BODY, "(body): an object is not an array");
  parse_fails ("coinbase", HS_FETCH_CANDLES, &candles, "[[1710327600,73241.5,73402.47]]",
               HS_PROVIDER_ERROR_BODY, "[0]: a candle has 6 values");
  /* A bar breaking the rules (high below low). */
  parse_fails ("coinbase", HS_FETCH_CANDLES, &candles,
               "[[1710327600,73241.5,73000,73243.33,73370.65,1.5]]", HS_PROVIDER_ERROR_BODY,
               "[0]: high 73000 is below low 73241.5");
  /* Missing fields and nulls. */
  parse_fails ("kalshi", HS_FETCH_TRADES, &kalshi,
               "{\"trades\":[{\"trade_id\":\"x\",\"count_fp\":\"1\",\"yes_price_dollars\":\"0.5\"}]}",
               HS_PROVIDER_ERROR_BODY, "trades[0].created_time: missing");
  parse_fails ("kalshi", HS_FETCH_SNAPSHOTS, &kalshi, "{\"market\":{\"yes_bid_dollars\":\"0.1\"}}",
               HS_PROVIDER_ERROR_BODY, "market.ticker: missing");
  parse_fails ("kalshi", HS_FETCH_SNAPSHOTS, &kalshi,
               "{\"market\":{\"ticker\":\"T\",\"yes_bid_dollars\":\"1.5\"}}",
               HS_PROVIDER_ERROR_BODY, "market.yes_bid: 1.5 is not a price between 0 and 1");
  parse_fails ("kraken", HS_FETCH_CANDLES, &kraken,
               "{\"error\":[],\"result\":{\"XBTUSDT\":[[1762820100,null,\"1\",\"1\",\"1\",\"1\","
               "\"1\",1]],\"last\":1762820160}}", HS_PROVIDER_ERROR_BODY,
               "result.XBTUSDT[0][1]: is null");
  parse_fails ("kraken", HS_FETCH_CANDLES, &kraken,
               "{\"error\":[],\"result\":{\"XBTUSDT\":[]}}", HS_PROVIDER_ERROR_BODY,
               "result.last: missing");
  /* Huge numbers: an id beyond 64 bits, a price beyond a double. */
  parse_fails ("coinbase", HS_FETCH_TRADES, &trades,
               "[{\"trade_id\":12345678901234567890,\"side\":\"sell\",\"size\":\"1\","
               "\"price\":\"1\",\"time\":\"2024-03-13T11:00:17Z\"}]", HS_PROVIDER_ERROR_BODY,
               "[0].trade_id: 1.2345678901234567e+19 is too large for a 64-bit integer");
  parse_fails ("coinbase", HS_FETCH_CANDLES, &candles,
               "[[1710327600,1e400,73402.47,73243.33,73370.65,1.5]]", HS_PROVIDER_ERROR_BODY,
               "[0][1]: number out of range");
  /* The provider's own error reports in a 200 body. */
  parse_fails ("kraken", HS_FETCH_CANDLES, &kraken, "{\"error\":[\"EQuery:Unknown asset pair\"]}",
               HS_PROVIDER_ERROR_API, "kraken candles: EQuery:Unknown asset pair");
  parse_fails ("kraken", HS_FETCH_TRADES, &kraken, "{\"error\":[\"EAPI:Rate limit exceeded\"]}",
               HS_PROVIDER_ERROR_RATE_LIMITED, "EAPI:Rate limit exceeded");
  parse_fails ("yahoo", HS_FETCH_CANDLES, &yahoo,
               "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\","
               "\"description\":\"No data found, symbol may be delisted\"}}}",
               HS_PROVIDER_ERROR_API, "yahoo candles: Not Found: No data found, symbol may be "
               "delisted");
  parse_fails ("kalshi", HS_FETCH_SNAPSHOTS, &kalshi,
               "{\"error\":{\"code\":\"not_found\",\"message\":\"market not found\"}}",
               HS_PROVIDER_ERROR_API, "not_found: market not found");
  parse_fails ("coinbase", HS_FETCH_TRADES, &trades, "{\"message\":\"NotFound\"}",
               HS_PROVIDER_ERROR_API, "coinbase trades: NotFound");
  parse_fails ("tradier", HS_FETCH_SNAPSHOTS, &trades,
               "{\"fault\":{\"faultstring\":\"Invalid access token\"}}", HS_PROVIDER_ERROR_API,
               "Invalid access token");
  /* Yahoo's parallel arrays must be parallel. */
  parse_fails ("yahoo", HS_FETCH_CANDLES, &yahoo,
               "{\"chart\":{\"result\":[{\"timestamp\":[1,2,3],\"indicators\":{\"quote\":[{"
               "\"open\":[1,2],\"high\":[1,2,3],\"low\":[1,2,3],\"close\":[1,2,3],"
               "\"volume\":[1,2,3]}]}}],\"error\":null}}", HS_PROVIDER_ERROR_BODY,
               "chart.result[0].indicators.quote[0].open has 2 values for 3 timestamps");
  /* A crossed Kalshi book: YES bid 0.60 and NO bid 0.50 (a YES ask at 0.50). */
  parse_fails ("kalshi", HS_FETCH_BOOK, &kalshi,
               "{\"orderbook_fp\":{\"yes_dollars\":[[\"0.6000\",\"1\"]],"
               "\"no_dollars\":[[\"0.5000\",\"1\"]]}}", HS_PROVIDER_ERROR_BODY, "crossed book");
  /* Not JSON at all, and deep nesting. */
  parse_fails ("tradier", HS_FETCH_SNAPSHOTS, &trades, "Invalid Access Token",
               HS_PROVIDER_ERROR_BODY, "not valid JSON");
  {
    g_autofree char *deep = g_strnfill (200000, '[');

    parse_fails ("coinbase", HS_FETCH_CANDLES, &candles, deep, HS_PROVIDER_ERROR_BODY,
                 "nested deeper");
  }
}

static void
test_error_messages (void)
{
  const char *kraken = "{\"error\":[\"EGeneral:Invalid arguments\",\"EQuery:Unknown asset pair\"]}";
  const char *yahoo = "{\"finance\":{\"result\":null,\"error\":{\"code\":\"Unauthorized\","
                      "\"description\":\"Invalid Crumb\"}}}";
  g_autofree char *m1 = hs_provider_error_message (hs_provider_lookup ("kraken"), kraken,
                                                   strlen (kraken));
  g_autofree char *m2 = hs_provider_error_message (hs_provider_lookup ("yahoo"), yahoo,
                                                   strlen (yahoo));
  g_autofree char *m3 = hs_provider_error_message (hs_provider_lookup ("tradier"),
                                                   "Invalid Access Token\n", 21);
  g_autofree char *m4 = hs_provider_error_message (hs_provider_lookup ("kalshi"),
                                                   "{\"error\": \"too many requests\"}", 30);
  g_autofree char *m5 = hs_provider_error_message (hs_provider_lookup ("coinbase"), "{}", 2);

  g_assert_cmpstr (m1, ==, "EGeneral:Invalid arguments; EQuery:Unknown asset pair");
  g_assert_cmpstr (m2, ==, "Unauthorized: Invalid Crumb");
  g_assert_cmpstr (m3, ==, "Invalid Access Token");
  g_assert_cmpstr (m4, ==, "too many requests");
  g_assert_null (m5);
  g_assert_null (hs_provider_error_message (hs_provider_lookup ("coinbase"), NULL, 0));
}

/* Each fixture with the provider and kind that read it, and a query that fits. */
typedef struct
{
  const char     *provider;
  const char     *file;
  HsFetchKind     kind;
  HsProviderQuery query;
} FixtureCase;

static const FixtureCase fixture_cases[] = {
  { "kalshi", "markets_KXELONMARS-99.json", HS_FETCH_SNAPSHOTS,
    { .symbol = "KXELONMARS-99", .now = G_GINT64_CONSTANT (1781283600000000) } },
  { "kalshi", "markets_list_tickers.json", HS_FETCH_INSTRUMENTS, { .symbol = NULL } },
  { "kalshi", "orderbook_KXELONMARS-99.json", HS_FETCH_BOOK,
    { .symbol = "KXELONMARS-99", .now = G_GINT64_CONSTANT (1781283600000000) } },
  { "kalshi", "markets_trades_KXELONMARS-99_limit3.json", HS_FETCH_TRADES,
    { .symbol = "KXELONMARS-99" } },
  { "kalshi", "candlesticks_KXELONMARS-99_60m.json", HS_FETCH_CANDLES,
    { .symbol = "KXELONMARS-99", .interval = "1h", .from = G_GINT64_CONSTANT (1781100000000000),
      .to = G_GINT64_CONSTANT (1781182800000000), .now = G_GINT64_CONSTANT (1781222400000000) } },
  { "coinbase", "exchange_products_BTC-USDT_candles_3600.json", HS_FETCH_CANDLES,
    { .symbol = "BTC-USDT", .interval = "1h", .now = G_GINT64_CONSTANT (1710331200000000) } },
  { "coinbase", "exchange_products_BTC-USDT_trades_limit1.json", HS_FETCH_TRADES,
    { .symbol = "BTC-USDT" } },
  { "coinbase", "exchange_products_BTC-USDT_ticker.json", HS_FETCH_SNAPSHOTS,
    { .symbol = "BTC-USDT" } },
  { "coinbase-advanced", "advanced_market_products_BTC-USD_candles.json", HS_FETCH_CANDLES,
    { .symbol = "BTC-USD", .interval = "1h", .from = G_GINT64_CONSTANT (1712188800000000),
      .to = G_GINT64_CONSTANT (1712192400000000) } },
  { "coinbase-advanced", "advanced_market_products_BTC-USD_ticker.json", HS_FETCH_TRADES,
    { .symbol = "BTC-USD" } },
  { "coinbase-advanced", "advanced_market_product_book_BTC-USD.json", HS_FETCH_BOOK,
    { .symbol = "BTC-USD" } },
  { "yahoo", "chart-AAPL-2020-08-31-to-2020-11-07.body.json", HS_FETCH_CANDLES,
    { .symbol = "AAPL", .interval = "1d", .from = G_GINT64_CONSTANT (1598832000000000),
      .to = G_GINT64_CONSTANT (1604707200000000) } },
  { "yahoo", "chart-BTC-USD-2020-01-01-to-2020-01-03.body.json", HS_FETCH_CANDLES,
    { .symbol = "BTC-USD", .interval = "1d", .from = G_GINT64_CONSTANT (1577836800000000),
      .to = G_GINT64_CONSTANT (1578009600000000) } },
  { "yahoo", "chart-QQQ-2020-01-01-to-2020-01-03.body.json", HS_FETCH_CANDLES,
    { .symbol = "QQQ", .interval = "1d", .from = G_GINT64_CONSTANT (1577836800000000),
      .to = G_GINT64_CONSTANT (1578009600000000) } },
  { "yahoo", "chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m.body.json",
    HS_FETCH_CANDLES,
    { .symbol = "AAPL", .interval = "1m", .from = G_GINT64_CONSTANT (1738368000000000),
      .to = G_GINT64_CONSTANT (1738454400000000), .now = G_GINT64_CONSTANT (1740009600000000) } },
  { "tradier", "markets_history_AAPL_daily_2024-02.json", HS_FETCH_CANDLES,
    { .symbol = "AAPL", .interval = "1d", .from = G_GINT64_CONSTANT (1706745600000000),
      .to = G_GINT64_CONSTANT (1709164800000000) } },
  { "tradier", "markets_quotes_SPY_and_option_greeks.json", HS_FETCH_SNAPSHOTS,
    { .symbol = "SPY" } },
  { "tradier", "markets_quotes_PLTR_single_object.json", HS_FETCH_SNAPSHOTS,
    { .symbol = "PLTR" } },
  { "tradier", "markets_options_expirations_PLTR.json", HS_FETCH_OPTIONS, { .symbol = "PLTR" } },
  { "kraken", "0_public_OHLC_XBTUSDT_1m.min.json", HS_FETCH_CANDLES,
    { .symbol = "XBTUSDT", .interval = "1m", .now = G_GINT64_CONSTANT (1762820220000000) } },
  { "kraken", "0_public_Trades_XBTUSDT.min.json", HS_FETCH_TRADES, { .symbol = "XBTUSDT" } },
  { "kraken", "0_public_Depth_XBTUSDT.json", HS_FETCH_BOOK,
    { .symbol = "XBTUSDT", .now = G_GINT64_CONSTANT (1762820250000000) } },
};

/* Every fixture parses whole; cut anywhere (60 places each) it is refused with no page. */
static void
test_truncated (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (fixture_cases); i++)
    {
      const FixtureCase *c = &fixture_cases[i];
      const char *dir = g_str_has_prefix (c->provider, "coinbase") ? "coinbase" : c->provider;
      size_t len = 0;
      g_autofree char *body = fixture (dir, c->file, &len);
      g_autoptr(HsProviderPage) whole = parse_ok (c->provider, c->kind, &c->query, body, len);

      g_assert_cmpuint (hs_provider_page_rows (whole) + (whole->next_cursor != NULL), >, 0);
      /* Cuts inside the document: its trailing newline is not part of it. */
      while (len > 0 && g_ascii_isspace (body[len - 1]))
        len--;
      for (size_t k = 1; k <= 60; k++)
        {
          size_t cut = len * k / 61;
          g_autoptr(GError) error = NULL;
          HsProviderPage *page = hs_provider_parse (hs_provider_lookup (c->provider), c->kind,
                                                    &c->query, body, cut, &error);

          if (page != NULL)
            g_error ("%s cut to %zu of %zu bytes parses", c->file, cut, len);
          g_assert_error (error, HS_PROVIDER_ERROR, HS_PROVIDER_ERROR_BODY);
        }
    }
}

/* ----------------------------------------------------------------------------------------- */
/* Storing an option chain                                                                    */

static int64_t
count (sqlite3    *db,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int64_t n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_store_options (void)
{
  g_autofree char *dir = g_dir_make_tmp ("hs-providers-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "t.db", NULL);
  g_autoptr(GError) error = NULL;
  HsProviderQuery q = { .symbol = "SPY,SPY251219P00450000" };
  g_autoptr(HsProviderPage) page = parse_fixture ("tradier",
                                                  "markets_quotes_SPY_and_option_greeks.json",
                                                  HS_FETCH_SNAPSHOTS, &q);
  const HsProviderOptionQuote *o = &g_array_index (page->option_quotes, HsProviderOptionQuote, 0);
  HsStore *store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  gboolean inserted = FALSE;
  int64_t spy = 0, id = 0;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  /* SPY is known already (as an ETF): the contract hangs off it. */
  g_assert_true (hs_store_ensure_instrument (store, "SPY", "", "etf", &spy, &error));
  g_assert_true (hs_store_add_option_quote (store, "", &o->contract, &o->quote, &inserted,
                                            &error));
  g_assert_no_error (error);
  g_assert_true (inserted);
  /* Again: nothing new. */
  g_assert_true (hs_store_add_option_quote (store, "", &o->contract, &o->quote, &inserted,
                                            &error));
  g_assert_false (inserted);
  g_assert_true (hs_store_find_instrument (store, "SPY251219P00450000", "", &id, &error));

  /* A chain whose second row breaks a rule (ask below bid) inside one transaction: rolled back,
   * no contract and no quote of it remain. */
  {
    HsOptionContract c = { .symbol = (char *) "SPY251219C00500000", .underlying = (char *) "SPY",
                           .expiry = o->contract.expiry, .strike = 500, .right = HS_OPTION_CALL };
    HsOptionQuote bad = o->quote;

    bad.bid = 2;
    bad.ask = 1;
    g_assert_true (hs_store_begin (store, &error));
    g_assert_true (hs_store_add_option_quote (store, "", &c, &o->quote, NULL, &error));
    bad.ts += 1;
    g_assert_false (hs_store_add_option_quote (store, "", &c, &bad, NULL, &error));
    g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    hs_store_rollback (store);
  }
  hs_store_close (store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count (db, "SELECT count(*) FROM option_quotes"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM instruments"), ==, 2);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT i.kind, i.underlying_id, i.expiry, i.strike, "
                                           "i.option_right, q.ts, q.bid, q.ask, q.volume, "
                                           "q.open_interest, q.iv, q.delta, q.underlying_price "
                                           "FROM instruments i JOIN option_quotes q "
                                           "ON q.instrument_id = i.id", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "option");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, spy);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, iso ("2025-12-19T00:00:00Z"));
  g_assert_cmpfloat (sqlite3_column_double (stmt, 3), ==, 450);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, "put");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 5), ==, G_GINT64_CONSTANT (1719589851000000));
  g_assert_cmpfloat (sqlite3_column_double (stmt, 6), ==, 10.2);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 7), ==, 10.36);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 8), ==, 415);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 9), ==, 7230);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 10), ==, 0.209179);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 11), ==, -0.136692803567622);
  g_assert_cmpint (sqlite3_column_type (stmt, 12), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_remove (path);
  g_rmdir (dir);
}

static void
test_occ (void)
{
  g_auto(HsOptionContract) c = { NULL, NULL, 0, 0, HS_OPTION_CALL };
  g_autoptr(GError) error = NULL;

  /* The 21-character OSI form pads the root with spaces; 00012500 is a strike of 12.5. */
  g_assert_true (hs_occ_symbol_parse ("AAPL  240621C00012500", &c, &error));
  g_assert_cmpstr (c.underlying, ==, "AAPL");
  g_assert_cmpfloat (c.strike, ==, 12.5);
  g_assert_cmpint (c.right, ==, HS_OPTION_CALL);
  g_assert_cmpint (c.expiry, ==, iso ("2024-06-21T00:00:00Z"));
  hs_option_contract_clear (&c);
  g_assert_true (hs_occ_symbol_parse ("O:SPXW240229P05000000", &c, &error));
  g_assert_cmpstr (c.underlying, ==, "SPXW");
  g_assert_cmpfloat (c.strike, ==, 5000);
  g_assert_cmpint (c.expiry, ==, iso ("2024-02-29T00:00:00Z"));
  hs_option_contract_clear (&c);
  g_assert_false (hs_occ_symbol_parse ("SPY", &c, &error));
  g_clear_error (&error);
  g_assert_false (hs_occ_symbol_parse ("SPY251319P00450000", &c, &error));   /* month 13 */
  g_clear_error (&error);
  g_assert_false (hs_occ_symbol_parse ("SPY250229P00450000", &c, &error));   /* 2025 no leap */
  g_clear_error (&error);
  g_assert_false (hs_occ_symbol_parse ("SPY251219X00450000", &c, &error));
  g_clear_error (&error);
  g_assert_false (hs_occ_symbol_parse ("TOOLONGROOT251219P00450000", &c, &error));
  g_assert_nonnull (strstr (error->message, "not an OCC option symbol"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/fetch/json-num/numbers", test_json_numbers);
  g_test_add_func ("/hs/fetch/json-num/integers", test_json_integers);
  g_test_add_func ("/hs/fetch/json-num/seconds", test_json_seconds);
  g_test_add_func ("/hs/fetch/json-num/lists", test_json_lists);
  g_test_add_func ("/hs/fetch/json-num/body-guards", test_json_body_guards);
  g_test_add_func ("/hs/fetch/providers/kalshi/market", test_kalshi_market);
  g_test_add_func ("/hs/fetch/providers/kalshi/market-list", test_kalshi_market_list);
  g_test_add_func ("/hs/fetch/providers/kalshi/book", test_kalshi_book);
  g_test_add_func ("/hs/fetch/providers/kalshi/trades", test_kalshi_trades);
  g_test_add_func ("/hs/fetch/providers/kalshi/candles", test_kalshi_candles);
  g_test_add_func ("/hs/fetch/providers/coinbase/exchange", test_coinbase_exchange);
  g_test_add_func ("/hs/fetch/providers/coinbase/advanced", test_coinbase_advanced);
  g_test_add_func ("/hs/fetch/providers/yahoo/daily", test_yahoo_daily);
  g_test_add_func ("/hs/fetch/providers/yahoo/small", test_yahoo_small);
  g_test_add_func ("/hs/fetch/providers/yahoo/nulls", test_yahoo_nulls);
  g_test_add_func ("/hs/fetch/providers/tradier/history", test_tradier_history);
  g_test_add_func ("/hs/fetch/providers/tradier/quotes", test_tradier_quotes);
  g_test_add_func ("/hs/fetch/providers/tradier/chain", test_tradier_chain);
  g_test_add_func ("/hs/fetch/providers/kraken/ohlc", test_kraken_ohlc);
  g_test_add_func ("/hs/fetch/providers/kraken/trades", test_kraken_trades);
  g_test_add_func ("/hs/fetch/providers/kraken/depth", test_kraken_depth);
  g_test_add_func ("/hs/fetch/providers/requests/kalshi", test_requests_kalshi);
  g_test_add_func ("/hs/fetch/providers/requests/coinbase", test_requests_coinbase);
  g_test_add_func ("/hs/fetch/providers/requests/yahoo", test_requests_yahoo);
  g_test_add_func ("/hs/fetch/providers/requests/tradier-token", test_requests_tradier_token);
  g_test_add_func ("/hs/fetch/providers/requests/kraken", test_requests_kraken);
  g_test_add_func ("/hs/fetch/providers/base-url", test_base_url);
  g_test_add_func ("/hs/fetch/providers/capabilities", test_capabilities);
  g_test_add_func ("/hs/fetch/providers/bad-bodies", test_bad_bodies);
  g_test_add_func ("/hs/fetch/providers/error-messages", test_error_messages);
  g_test_add_func ("/hs/fetch/providers/truncated", test_truncated);
  g_test_add_func ("/hs/store/option-quotes", test_store_options);
  g_test_add_func ("/hs/core/occ-symbol", test_occ);
  return g_test_run ();
}
