/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A live stream's repairs over REST. When a stream's book can no longer be trusted
 * (resync_book) it gets the provider's REST book: Coinbase Advanced Trade's product_book for the
 * Advanced feed, the Exchange's level-2 book for the Exchange feed, Kraken's Depth for Kraken.
 * When trade ids skip (fill_trades) it reads the missing ones from the trades endpoints: the
 * Coinbase Exchange's, paged back by trade id from just after the last missing one (both
 * Coinbase feeds share the Exchange's trade ids), or Kraken's, paged forward by its nanosecond
 * cursor from a second before the stream's newest stored trade. Every request goes through
 * hs_fetch_get_page(), so the providers' rate limits, retries and statistics are the fetch
 * jobs' own; nothing is stored here (the stream writes what it is given). The stream's counts
 * go to system_metrics (component stream.<provider>) once a minute and when it ends.
 *
 * Everything runs on the stream's thread, which owns the repair's HTTP client and database
 * connection (both made on first use). Load: a repair per gap, a few requests each.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-fetch-repair.h"

#include <string.h>

#include "hs-fetch.h"
#include "hs-json-num.h"
#include "hs-store-fetch.h"
#include "hs-store-market.h"
#include "hs-store-stream.h"
#include "hs-time.h"

/* Pages asked at most to fill one gap of trade ids. */
#define MAX_FILL_PAGES 20
/* Levels asked for in a REST book (every provider caps it at its own maximum). */
#define REST_BOOK_DEPTH 500
/* How often the stream's counts are written while it runs. */
#define METRICS_EVERY_US (60 * G_USEC_PER_SEC)

struct _HsFetchRepair
{
  char                 *db_path;         /* (owned) */
  HsStore              *store;           /* (owned) (nullable) on the stream's thread */
  HsHttpClient         *client;          /* (owned) (nullable) on the stream's thread */
  HsStreamProvider      provider;
  HsStreamProgressFunc  chained;         /* the request's own progress callback */
  gpointer              chained_data;
  int64_t               last_metrics;    /* monotonic µs of the last write; 0 = none */
};

HsFetchRepair *
hs_fetch_repair_new (const char *db_path)
{
  HsFetchRepair *repair = g_new0 (HsFetchRepair, 1);

  repair->db_path = g_strdup (db_path);
  return repair;
}

void
hs_fetch_repair_free (HsFetchRepair *repair)
{
  if (repair == NULL)
    return;
  g_clear_pointer (&repair->store, hs_store_close);
  g_clear_pointer (&repair->client, hs_http_client_free);
  g_free (repair->db_path);
  g_free (repair);
}

/* The REST provider whose book repairs a stream's. */
const char *
hs_fetch_repair_book_provider (HsStreamProvider provider)
{
  switch (provider)
    {
    case HS_STREAM_COINBASE:
      return "coinbase-advanced";
    case HS_STREAM_COINBASE_EXCHANGE:
      return "coinbase";
    case HS_STREAM_KRAKEN:
    default:
      return "kraken";
    }
}

/* The REST provider whose trades fill a stream's missing trade ids: the Coinbase Exchange for
 * both Coinbase feeds (Advanced Trade's REST has only the latest trades, without paging). */
const char *
hs_fetch_repair_trades_provider (HsStreamProvider provider)
{
  return provider == HS_STREAM_KRAKEN ? "kraken" : "coinbase";
}

/* Kraken's REST names of assets that its WebSocket feed spells otherwise. */
static const char *
kraken_rest_asset (const char *code)
{
  if (g_str_equal (code, "BTC"))
    return "XBT";
  if (g_str_equal (code, "DOGE"))
    return "XDG";
  return code;
}

/**
 * hs_fetch_repair_rest_symbol:
 *
 * Returns: (transfer full): the REST name of a streamed product: Kraken's WebSocket "BTC/USD" is
 *   "XBTUSD" on REST (XBT for BTC, XDG for DOGE); Coinbase products are the same on both
 */
char *
hs_fetch_repair_rest_symbol (HsStreamProvider provider,
                             const char      *symbol)
{
  const char *slash = strchr (symbol, '/');

  if (provider == HS_STREAM_KRAKEN && slash != NULL)
    {
      g_autofree char *base = g_strndup (symbol, (gsize) (slash - symbol));

      return g_strconcat (kraken_rest_asset (base), kraken_rest_asset (slash + 1), NULL);
    }
  return g_strdup (symbol);
}

static HsHttpClient *
client_of (HsFetchRepair *repair)
{
  if (repair->client == NULL)
    repair->client = hs_http_client_new (NULL);
  return repair->client;
}

static HsStore *
store_of (HsFetchRepair *repair,
          GError       **error)
{
  if (repair->store == NULL)
    repair->store = hs_store_open (repair->db_path, HS_STORE_OPEN_DEFAULT, error);
  return repair->store;
}

/* One page from the REST provider @name. */
static HsProviderPage *
rest_page (HsFetchRepair         *repair,
           const char            *name,
           HsFetchKind            kind,
           const HsProviderQuery *query,
           GError               **error)
{
  const HsProvider *provider = hs_provider_lookup (name);
  g_autoptr(HsHttpProvider) http = hs_http_provider_get (name);

  return hs_fetch_get_page (client_of (repair), http, provider, NULL, NULL, kind, query, NULL,
                            NULL, NULL, error);
}

/* The levels of a stored book's JSON ([[price, size], …]) into @book's @side. */
static gboolean
load_side (HsBook     *book,
           HsBookSide  side,
           const char *json,
           GError    **error)
{
  HsJsonPath path = HS_JSON_PATH_ROOT (side == HS_BOOK_BID ? "bids" : "asks");
  g_autoptr(JsonNode) root = hs_json_parse_body (json, strlen (json), error);
  JsonArray *levels = NULL;

  if (root == NULL || !hs_json_array (root, &path, HS_JSON_REQUIRED, &levels, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (levels); i++)
    {
      HsJsonPath p = HS_JSON_PATH_INDEX (&path, i);
      HsJsonPath p0 = HS_JSON_PATH_INDEX (&p, 0), p1 = HS_JSON_PATH_INDEX (&p, 1);
      JsonArray *level = NULL;
      double price, size;

      if (!hs_json_array (json_array_get_element (levels, i), &p, HS_JSON_REQUIRED, &level,
                          error)
          || json_array_get_length (level) < 2
          || !hs_json_number (json_array_get_element (level, 0), &p0, HS_JSON_REQUIRED, &price,
                              error)
          || !hs_json_number (json_array_get_element (level, 1), &p1, HS_JSON_REQUIRED, &size,
                              error)
          || !hs_book_set (book, side, price, size, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, HS_PROVIDER_ERROR, HS_PROVIDER_ERROR_BODY,
                         "a book level is not [price, size]");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
resync_book_cb (HsStreamProvider provider,
                const char      *symbol,
                HsBook          *book,
                gpointer         data,
                GError         **error)
{
  HsFetchRepair *repair = data;
  g_autofree char *rest = hs_fetch_repair_rest_symbol (provider, symbol);
  HsProviderQuery query = { .symbol = rest, .depth = REST_BOOK_DEPTH, .now = hs_time_now_us () };
  g_autoptr(HsProviderPage) page = rest_page (repair, hs_fetch_repair_book_provider (provider),
                                              HS_FETCH_BOOK, &query, error);
  const HsBookSnapshot *snap;

  if (page == NULL)
    return FALSE;
  if (page->books->len == 0)
    {
      g_set_error (error, HS_PROVIDER_ERROR, HS_PROVIDER_ERROR_BODY,
                   "%s returned no book for %s", hs_fetch_repair_book_provider (provider), rest);
      return FALSE;
    }
  snap = &g_array_index (page->books, HsBookSnapshot, 0);
  return load_side (book, HS_BOOK_BID, snap->bids_json, error)
         && load_side (book, HS_BOOK_ASK, snap->asks_json, error);
}

/* Appends a copy of each trade of @page whose id is in [@first, @last]; the lowest and highest
 * id of the page. */
static void
take_trades (const HsProviderPage *page,
             int64_t               first,
             int64_t               last,
             GArray               *out,
             int64_t              *lowest,
             int64_t              *highest)
{
  *lowest = G_MAXINT64;
  *highest = G_MININT64;
  for (guint i = 0; i < page->trades->len; i++)
    {
      const HsTrade *t = &g_array_index (page->trades, HsTrade, i);
      int64_t id;

      if (t->trade_id == NULL || !hs_parse_int64 (t->trade_id, &id))
        continue;
      *lowest = MIN (*lowest, id);
      *highest = MAX (*highest, id);
      if (id >= first && id <= last)
        {
          HsTrade copy = *t;

          copy.trade_id = g_strdup (t->trade_id);
          g_array_append_val (out, copy);
        }
    }
}

/* Coinbase Exchange: trades older than `after`, newest first; page back from last + 1 until
 * the first missing id is passed. */
static gboolean
fill_coinbase (HsFetchRepair *repair,
               const char    *symbol,
               int64_t        first,
               int64_t        last,
               GArray        *trades,
               GError       **error)
{
  int64_t after = last + 1;

  for (int n = 0; n < MAX_FILL_PAGES; n++)
    {
      g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, after);
      HsProviderQuery query = {
        .symbol = symbol, .cursor = cursor, .limit = (int) MIN (1000, last - first + 1),
        .now = hs_time_now_us (),
      };
      g_autoptr(HsProviderPage) page = rest_page (repair, "coinbase", HS_FETCH_TRADES, &query,
                                                  error);
      int64_t lowest, highest;

      if (page == NULL)
        return FALSE;
      take_trades (page, first, last, trades, &lowest, &highest);
      if (page->trades->len == 0 || lowest <= first || lowest >= after)
        break;
      after = lowest;
    }
  return TRUE;
}

/* Kraken: trades after a nanosecond cursor, oldest first; start a second before the newest
 * trade stored for the stream's instrument and page forward until the last missing id. */
static gboolean
fill_kraken (HsFetchRepair *repair,
             const char    *stream_symbol,
             const char    *symbol,
             int64_t        first,
             int64_t        last,
             GArray        *trades,
             GError       **error)
{
  g_autofree char *cursor = NULL;
  HsStore *store = store_of (repair, error);
  int64_t id = 0, from = 0;

  if (store == NULL)
    return FALSE;
  if (hs_store_find_instrument (store, stream_symbol, "kraken", &id, NULL))
    {
      HsLastTrade newest = { 0 };

      if (!hs_store_last_trade (store, id, &newest, error))
        return FALSE;
      if (newest.found)
        from = newest.ts - G_USEC_PER_SEC;
      hs_last_trade_clear (&newest);
    }
  for (int n = 0; n < MAX_FILL_PAGES; n++)
    {
      HsProviderQuery query = {
        .symbol = symbol, .from = cursor == NULL ? from : 0, .cursor = cursor,
        .now = hs_time_now_us (),
      };
      g_autoptr(HsProviderPage) page = rest_page (repair, "kraken", HS_FETCH_TRADES, &query,
                                                  error);
      int64_t lowest, highest;

      if (page == NULL)
        return FALSE;
      take_trades (page, first, last, trades, &lowest, &highest);
      if (page->next_cursor == NULL || highest >= last)
        break;
      g_free (cursor);
      cursor = g_steal_pointer (&page->next_cursor);
    }
  return TRUE;
}

static gboolean
fill_trades_cb (HsStreamProvider provider,
                const char      *symbol,
                int64_t          first_id,
                int64_t          last_id,
                GArray          *trades,
                gpointer         data,
                GError         **error)
{
  HsFetchRepair *repair = data;
  g_autofree char *rest = hs_fetch_repair_rest_symbol (provider, symbol);

  if (first_id > last_id)
    return TRUE;
  if (provider == HS_STREAM_KRAKEN)
    return fill_kraken (repair, symbol, rest, first_id, last_id, trades, error);
  return fill_coinbase (repair, rest, first_id, last_id, trades, error);
}

/**
 * hs_fetch_write_stream_stats:
 * @ts: the rows' time
 *
 * The counts of a stream (totals since it started) as system_metrics rows of component
 * `stream.<provider>`: messages, malformed, trades, duplicates, filled, book_events, books,
 * dropped, crossed, unverified, gaps, resyncs, resync_failures, provider_errors, connections,
 * reconnects, connect_failures.
 */
gboolean
hs_fetch_write_stream_stats (HsStore             *store,
                             HsStreamProvider     provider,
                             const HsStreamStats *stats,
                             int64_t              ts,
                             GError             **error)
{
  g_autofree char *component = g_strconcat ("stream.", hs_stream_provider_to_string (provider),
                                            NULL);
#define M(field) { #field, (double) stats->field, NULL }
  const HsMetric metrics[] = {
    M (messages), M (malformed), M (trades), M (duplicates), M (filled), M (book_events),
    M (books), M (dropped), M (crossed), M (unverified), M (gaps), M (resyncs),
    M (resync_failures), M (provider_errors), M (connections), M (reconnects),
    M (connect_failures),
  };
#undef M

  return hs_store_write_metrics (store, ts, component, metrics, G_N_ELEMENTS (metrics), error);
}

static void
progress_cb (const HsStreamStats *stats,
             gpointer             data)
{
  HsFetchRepair *repair = data;
  int64_t now = g_get_monotonic_time ();

  if (repair->chained != NULL)
    repair->chained (stats, repair->chained_data);
  if (repair->last_metrics == 0)
    repair->last_metrics = now;
  else if (now - repair->last_metrics >= METRICS_EVERY_US)
    {
      g_autoptr(GError) error = NULL;
      HsStore *store = store_of (repair, &error);

      repair->last_metrics = now;
      if (store == NULL
          || !hs_fetch_write_stream_stats (store, repair->provider, stats, hs_time_now_us (),
                                           &error))
        g_debug ("the stream's counts were not recorded: %s", error->message);
    }
}

/**
 * hs_fetch_repair_attach:
 *
 * Sets @request's resync_book, fill_trades and progress callbacks to the repair's (a progress
 * callback the request had is still called, with its user_data) and its user_data to @repair,
 * which must outlive the stream.
 */
void
hs_fetch_repair_attach (HsFetchRepair   *repair,
                        HsStreamRequest *request)
{
  repair->provider = request->provider;
  repair->chained = request->progress;
  repair->chained_data = request->user_data;
  request->resync_book = resync_book_cb;
  request->fill_trades = fill_trades_cb;
  request->progress = progress_cb;
  request->user_data = repair;
}

/**
 * hs_fetch_repair_finish:
 * @stats: the stream's final counts
 *
 * Writes the stream's final counts to system_metrics, on the caller's thread (the stream has
 * ended); the repair's HTTP client and connection are closed.
 */
gboolean
hs_fetch_repair_finish (HsFetchRepair       *repair,
                        const HsStreamStats *stats,
                        GError             **error)
{
  HsStore *store;
  gboolean ok;

  /* The stream's thread has ended: its client and connection go, this thread opens its own. */
  g_clear_pointer (&repair->client, hs_http_client_free);
  g_clear_pointer (&repair->store, hs_store_close);
  store = store_of (repair, error);
  ok = store != NULL
       && hs_fetch_write_stream_stats (store, repair->provider, stats, hs_time_now_us (), error);
  g_clear_pointer (&repair->store, hs_store_close);
  return ok;
}
