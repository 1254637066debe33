/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for every provider parser (src/fetch/hs-provider*.c and the number reader
 * hs-json-num.c under them). The input's first byte picks a provider and a kind of data (and,
 * for Tradier's options, whether the body answers the expirations or a chain request); the rest
 * is the response body. Promises checked:
 *
 * - a parse returns a page or an error, never both, never neither; the error's message is
 *   non-empty UTF-8 and names the provider;
 * - every list of a page is in ascending time; trades of one time are numbered 0, 1, 2 …;
 * - every bar obeys hs_bar_check(), every quote hs_quote_check(), every option quote
 *   hs_option_quote_check() with a contract whose strike is positive; book summaries and
 *   prediction-market prices lie in their ranges (what the tables' CHECKs demand);
 * - the next cursor is never the query's own (the walk cannot loop on one page);
 * - hs_provider_error_message() returns NULL or UTF-8 text;
 * - a request built with the body's first line as the cursor and as the symbol either fails
 *   with an error or is a URL under the base URL with no byte outside printable ASCII and no
 *   space (everything escaped), whose headers hold no line break.
 *
 * Built with -Dfuzzing=true (tests/fuzz/meson.build); see docs/providers.md, "Fuzzing":
 *
 *   CC=clang meson setup build-fuzz -Dgui=false -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz-providers
 *   build-fuzz/tests/fuzz/fuzz-providers -max_len=4096 -max_total_time=600 \
 *     build-fuzz/corpus-providers tests/fuzz/corpus/providers
 *
 * With another compiler the same file builds as fuzz-providers-replay, which runs the inputs
 * named on its command line once each.
 */
#include "config.h"

#define HS_FUZZ_NAME "fuzz-providers"
#include "hs-fuzz.h"

#include "hs-provider.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW G_GINT64_CONSTANT (1762820220000000)   /* 2025-11-11T00:17:00Z */
#define HOUR G_GINT64_CONSTANT (3600000000)

typedef struct
{
  const char     *provider;
  HsFetchKind     kind;
  HsProviderQuery query;
} Case;

static const Case cases[] = {
  { "kalshi", HS_FETCH_INSTRUMENTS, { .now = NOW } },
  { "kalshi", HS_FETCH_SNAPSHOTS, { .symbol = "KXELONMARS-99", .now = NOW } },
  { "kalshi", HS_FETCH_BOOK, { .symbol = "KXELONMARS-99", .now = NOW } },
  { "kalshi", HS_FETCH_TRADES, { .symbol = "KXELONMARS-99", .from = NOW - 24 * HOUR } },
  { "kalshi", HS_FETCH_CANDLES,
    { .symbol = "KXELONMARS-99", .interval = "1h", .from = NOW - 48 * HOUR, .now = NOW } },
  { "coinbase", HS_FETCH_CANDLES,
    { .symbol = "BTC-USD", .interval = "1h", .from = NOW - 48 * HOUR, .now = NOW } },
  { "coinbase", HS_FETCH_TRADES, { .symbol = "BTC-USD", .from = NOW - HOUR } },
  { "coinbase", HS_FETCH_BOOK, { .symbol = "BTC-USD", .now = NOW } },
  { "coinbase", HS_FETCH_SNAPSHOTS, { .symbol = "BTC-USD", .now = NOW } },
  { "coinbase-advanced", HS_FETCH_CANDLES,
    { .symbol = "BTC-USD", .interval = "1h", .from = NOW - 48 * HOUR, .now = NOW } },
  { "coinbase-advanced", HS_FETCH_TRADES, { .symbol = "BTC-USD", .now = NOW } },
  { "coinbase-advanced", HS_FETCH_BOOK, { .symbol = "BTC-USD", .now = NOW } },
  { "coinbase-advanced", HS_FETCH_SNAPSHOTS, { .symbol = "BTC-USD", .now = NOW } },
  { "yahoo", HS_FETCH_CANDLES,
    { .symbol = "AAPL", .interval = "1d", .from = NOW - 1000 * HOUR, .now = NOW } },
  { "yahoo", HS_FETCH_CANDLES,
    { .symbol = "AAPL", .interval = "1m", .from = NOW - 24 * HOUR, .now = NOW } },
  { "tradier", HS_FETCH_CANDLES,
    { .symbol = "AAPL", .interval = "1d", .from = NOW - 1000 * HOUR, .now = NOW } },
  { "tradier", HS_FETCH_SNAPSHOTS, { .symbol = "SPY", .now = NOW } },
  { "tradier", HS_FETCH_OPTIONS, { .symbol = "PLTR", .now = NOW } },
  { "tradier", HS_FETCH_OPTIONS,
    { .symbol = "PLTR", .cursor = "2026-06-18,2026-12-18", .now = NOW } },
  { "kraken", HS_FETCH_CANDLES,
    { .symbol = "XBTUSDT", .interval = "1m", .from = NOW - 12 * HOUR, .now = NOW } },
  { "kraken", HS_FETCH_TRADES, { .symbol = "XBTUSDT", .from = NOW - HOUR } },
  { "kraken", HS_FETCH_BOOK, { .symbol = "XBTUSDT", .now = NOW } },
};

/* hs-fuzz.h's require(), naming the provider and kind of the case. */
static void
require_case (int         ok,
              const char *what,
              const Case *c)
{
  g_autofree char *where = g_strdup_printf ("%s %s", c->provider,
                                            hs_fetch_kind_to_string (c->kind));

  require (ok, what, where);
}

static gboolean
in_01 (double v)
{
  return isnan (v) || (v >= 0 && v <= 1);
}

/* The time of element @i of @array whose records start with (or hold at @offset) an int64. */
static int64_t
ts_at (GArray *array,
       guint   i,
       size_t  offset)
{
  int64_t ts;

  memcpy (&ts, array->data + (size_t) i * g_array_get_element_size (array) + offset, sizeof ts);
  return ts;
}

static void
check_ascending (GArray     *array,
                 size_t      offset,
                 const Case *c)
{
  for (guint i = 1; i < array->len; i++)
    require_case (ts_at (array, i - 1, offset) <= ts_at (array, i, offset), "rows out of order", c);
}

static void
check_page (const HsProviderPage *page,
            const Case           *c)
{
  check_ascending (page->bars, G_STRUCT_OFFSET (HsBar, ts), c);
  check_ascending (page->trades, G_STRUCT_OFFSET (HsTrade, ts), c);
  check_ascending (page->books, G_STRUCT_OFFSET (HsBookSnapshot, ts), c);
  check_ascending (page->snapshots, G_STRUCT_OFFSET (HsMarketSnapshot, ts), c);
  check_ascending (page->quotes, G_STRUCT_OFFSET (HsQuote, ts), c);
  check_ascending (page->option_quotes, G_STRUCT_OFFSET (HsProviderOptionQuote, quote.ts), c);
  check_ascending (page->events, G_STRUCT_OFFSET (HsCorporateAction, ts), c);
  for (guint i = 0; i < page->bars->len; i++)
    require_case (hs_bar_check (&g_array_index (page->bars, HsBar, i), NULL), "a bad bar", c);
  for (guint i = 0; i < page->trades->len; i++)
    {
      const HsTrade *t = &g_array_index (page->trades, HsTrade, i);

      require_case (t->seq == (i > 0 && t[-1].ts == t->ts ? t[-1].seq + 1 : 0), "trade seq", c);
      require_case (t->price > 0 && t->size >= 0 && isfinite (t->size), "a bad trade", c);
    }
  for (guint i = 0; i < page->quotes->len; i++)
    require_case (hs_quote_check (&g_array_index (page->quotes, HsQuote, i), NULL), "a bad quote",
             c);
  for (guint i = 0; i < page->option_quotes->len; i++)
    {
      const HsProviderOptionQuote *o = &g_array_index (page->option_quotes,
                                                       HsProviderOptionQuote, i);

      require_case (hs_option_quote_check (&o->quote, NULL), "a bad option quote", c);
      require_case (o->contract.strike > 0 && o->contract.symbol != NULL
               && o->contract.underlying != NULL && o->contract.underlying[0] != '\0',
               "a bad contract", c);
    }
  for (guint i = 0; i < page->books->len; i++)
    {
      const HsBookSnapshot *b = &g_array_index (page->books, HsBookSnapshot, i);

      require_case (isnan (b->imbalance) || (b->imbalance >= -100 && b->imbalance <= 100),
               "imbalance out of range", c);
      require_case (b->bid_volume >= 0 && b->ask_volume >= 0 && b->depth > 0, "book volumes", c);
      require_case (b->bids_json != NULL && b->asks_json != NULL, "book levels", c);
    }
  for (guint i = 0; i < page->snapshots->len; i++)
    {
      const HsMarketSnapshot *s = &g_array_index (page->snapshots, HsMarketSnapshot, i);

      require_case (s->ticker != NULL && s->raw_json != NULL, "a snapshot without ticker or raw", c);
      require_case (in_01 (s->yes_bid) && in_01 (s->yes_ask) && in_01 (s->no_bid)
               && in_01 (s->no_ask) && in_01 (s->last_price), "a price out of [0, 1]", c);
    }
  require_case (page->next_cursor == NULL || g_strcmp0 (page->next_cursor, c->query.cursor) != 0,
           "the cursor did not move", c);
}

static void
check_url (const HsProviderRequest *req,
           const Case              *c)
{
  require_case (g_str_has_prefix (req->url, "http://h/") || g_str_has_prefix (req->url, "http://h?"),
           "the URL left the base", c);
  for (const char *p = req->url; *p; p++)
    require_case (*p > ' ' && *p < 0x7f, "an unescaped byte in the URL", c);
  for (char **h = req->headers; *h != NULL; h++)
    require_case (strchr (*h, '\n') == NULL && strchr (*h, '\r') == NULL, "a line break in a header",
             c);
}

/* Builds the case's request with the body's first line (up to 64 bytes) as its cursor, and
 * once more as its symbol. */
static void
check_request (const Case *c,
               const char *body,
               size_t      len)
{
  size_t n = 0;
  g_autofree char *line = NULL;

  while (n < len && n < 64 && body[n] != '\n' && body[n] != '\0')
    n++;
  line = g_strndup (body, n);
  for (int as_symbol = 0; as_symbol < 2; as_symbol++)
    {
      HsProviderQuery q = c->query;
      g_auto(HsProviderRequest) req = { NULL, NULL };
      g_autoptr(GError) error = NULL;
      gboolean ok;

      if (as_symbol)
        q.symbol = line;
      else
        q.cursor = line;
      ok = hs_provider_build_request (hs_provider_lookup (c->provider), "http://h", "token", c->kind,
                                      &q, &req, &error);
      require_case (ok == (error == NULL) && ok == (req.url != NULL), "a request and an error", c);
      if (ok)
        check_url (&req, c);
      else
        require_case (g_utf8_validate (error->message, -1, NULL), "error text not UTF-8", c);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const Case *c;
  const HsProvider *provider;
  const char *body;
  size_t len;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsProviderPage) page = NULL;
  g_autofree char *message = NULL;

  if (size < 1)
    return 0;
  c = &cases[data[0] % G_N_ELEMENTS (cases)];
  provider = hs_provider_lookup (c->provider);
  body = (const char *) data + 1;
  len = size - 1;
  page = hs_provider_parse (provider, c->kind, &c->query, body, len, &error);
  require_case ((page == NULL) != (error == NULL), "a page and an error, or neither", c);
  if (page != NULL)
    check_page (page, c);
  else
    require_case (error->message[0] != '\0' && g_utf8_validate (error->message, -1, NULL)
             && g_str_has_prefix (error->message, c->provider), "a bad error message", c);
  message = hs_provider_error_message (provider, body, len);
  require_case (message == NULL || g_utf8_validate (message, -1, NULL), "error text not UTF-8", c);
  check_request (c, body, len);
  return 0;
}
