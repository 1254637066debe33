/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fetch job: one provider, one kind of data, one symbol, walked page by page on the caller's
 * thread (a GTask worker, a poller worker, the CLI):
 *
 *   build the request (hs_provider_build_request) → hs_http_get → hs_provider_parse
 *   → store the page's rows in one transaction → the page's next cursor, until there is none.
 *
 * Rows go through the store's writers, idempotent on each table's natural key, so a second
 * fetch of an overlapping range inserts nothing; trades, keyed by time and ordinal, are
 * recognised by their provider id first (hs_store_trade_present) and get their ordinal and the
 * running cumulative volume delta continued from the store, as the importer does. Instruments
 * are created on first sight with the provider's venue and kind. When the run ends, the
 * provider's request figures (the HTTP client's counters) and this run's failure streak go to
 * system_metrics, and a streak of HS_PROVIDER_ALERT_THRESHOLD failed calls raises an alert.
 *
 * Load: a page is at most a few thousand rows; the store's cost (two point lookups and one
 * insert per trade, a multi-row insert per 64 bars) is far below the providers' rate limits.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-fetch.h"

#include <math.h>
#include <string.h>

#include "hs-keyring.h"
#include "hs-paper.h"
#include "hs-store-fetch.h"
#include "hs-store-health.h"
#include "hs-store-market.h"
#include "hs-store-stream.h"
#include "hs-time.h"

G_DEFINE_QUARK (hs-fetch-error-quark, hs_fetch_error)

#define MAX_WARNINGS 20
/* Times a page the provider refused as "too many requests" in its body (Kraken's
 * EAPI:Rate limit exceeded, with HTTP 200) is asked again, after a pause of the provider. */
#define BODY_RATE_RETRIES 3

void
hs_fetch_request_init (HsFetchRequest *request)
{
  memset (request, 0, sizeof *request);
  request->kind = HS_FETCH_CANDLES;
}

HsFetchRequest *
hs_fetch_request_copy (const HsFetchRequest *request)
{
  HsFetchRequest *copy = g_new0 (HsFetchRequest, 1);

  *copy = *request;
  copy->provider = g_strdup (request->provider);
  copy->symbol = g_strdup (request->symbol);
  copy->interval = g_strdup (request->interval);
  copy->base_url = g_strdup (request->base_url);
  copy->token = g_strdup (request->token);
  copy->cursor = g_strdup (request->cursor);
  return copy;
}

void
hs_fetch_request_clear (HsFetchRequest *request)
{
  g_clear_pointer (&request->provider, g_free);
  g_clear_pointer (&request->symbol, g_free);
  g_clear_pointer (&request->interval, g_free);
  g_clear_pointer (&request->base_url, g_free);
  if (request->token != NULL)
    {
      /* A token is a secret: not left behind in freed memory. */
      memset (request->token, 0, strlen (request->token));
      g_clear_pointer (&request->token, g_free);
    }
  g_clear_pointer (&request->cursor, g_free);
}

void
hs_fetch_request_free (HsFetchRequest *request)
{
  if (request == NULL)
    return;
  hs_fetch_request_clear (request);
  g_free (request);
}

void
hs_fetch_result_init (HsFetchResult *result)
{
  memset (result, 0, sizeof *result);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
}

void
hs_fetch_result_clear (HsFetchResult *result)
{
  g_clear_pointer (&result->next_cursor, g_free);
  g_clear_pointer (&result->instrument, g_free);
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
}

void
hs_fetch_result_free (HsFetchResult *result)
{
  if (result == NULL)
    return;
  hs_fetch_result_clear (result);
  g_free (result);
}

/**
 * hs_fetch_result_add:
 *
 * Adds the counts of @part (a run of several, as a backfill of gaps or a poller cycle makes)
 * to @total: sums, the wider time range, the first instrument, warnings up to the limit.
 */
void
hs_fetch_result_add (HsFetchResult       *total,
                     const HsFetchResult *part)
{
  total->pages += part->pages;
  total->requests += part->requests;
  total->attempts += part->attempts;
  total->rows += part->rows;
  total->inserted += part->inserted;
  total->duplicates += part->duplicates;
  total->skipped += part->skipped;
  total->instruments += part->instruments;
  total->seconds += part->seconds;
  total->alert_raised |= part->alert_raised;
  if (part->first_ts != 0 && (total->first_ts == 0 || part->first_ts < total->first_ts))
    total->first_ts = part->first_ts;
  if (part->last_ts > total->last_ts)
    total->last_ts = part->last_ts;
  if (total->instrument == NULL && part->instrument != NULL)
    total->instrument = g_strdup (part->instrument);
  for (guint i = 0; part->warnings != NULL && i < part->warnings->len; i++)
    if (total->warnings->len < MAX_WARNINGS)
      g_ptr_array_add (total->warnings, g_strdup (part->warnings->pdata[i]));
}

/* ------------------------------------------------------------------------------------------ */
/* Instrument names                                                                            */

/* Kraken's REST names of assets that its WebSocket feed (and everyone else) spells otherwise. */
static const char *
kraken_asset (const char *code)
{
  static const char *const names[][2] = {
    { "XBT", "BTC" }, { "XDG", "DOGE" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (code, names[i][0]))
      return names[i][1];
  return code;
}

/* "XXBTZUSD", "XBTUSD", "XBTUSDT", "ETHEUR" → "BTC/USD", "BTC/USD", "BTC/USDT", "ETH/EUR": the
 * pair as Kraken's WebSocket v2 names it; NULL when it cannot be split. */
static char *
kraken_ws_name (const char *symbol)
{
  static const char *const quotes[] = { "USDT", "USDC", "USD", "EUR", "GBP", "JPY", "CAD", "CHF",
                                        "AUD", "XBT", "ETH", "DAI", "DOT" };
  g_autofree char *up = g_ascii_strup (symbol, -1);
  size_t len = strlen (up);

  /* The old four-letter form: X or Z, three letters, X or Z, three letters. */
  if (len == 8 && (up[0] == 'X' || up[0] == 'Z') && (up[4] == 'X' || up[4] == 'Z'))
    {
      g_autofree char *base = g_strndup (up + 1, 3);

      return g_strdup_printf ("%s/%s", kraken_asset (base), kraken_asset (up + 5));
    }
  for (size_t i = 0; i < G_N_ELEMENTS (quotes); i++)
    {
      size_t q = strlen (quotes[i]);

      if (len > q + 1 && strcmp (up + len - q, quotes[i]) == 0)
        {
          g_autofree char *base = g_strndup (up, len - q);

          return g_strdup_printf ("%s/%s", kraken_asset (base), kraken_asset (quotes[i]));
        }
    }
  return NULL;
}

/**
 * hs_fetch_instrument_symbol:
 *
 * The instruments.symbol rows fetched for @symbol are stored under. It is the symbol as given,
 * except for Kraken, whose REST API takes several spellings of one pair (XBTUSD, XXBTZUSD) and
 * whose WebSocket feed names it BTC/USD: REST and stream rows share the stream's name.
 *
 * Returns: (transfer full): the symbol
 */
char *
hs_fetch_instrument_symbol (const HsProvider *provider,
                            const char       *symbol)
{
  if (g_str_equal (provider->name, "kraken") && strchr (symbol, '/') == NULL)
    {
      char *ws = kraken_ws_name (symbol);

      if (ws != NULL)
        return ws;
    }
  return g_strdup (symbol);
}

/* ------------------------------------------------------------------------------------------ */
/* The job                                                                                     */

typedef struct
{
  const HsFetchRequest *req;
  const HsProvider     *provider;
  HsHttpProvider       *http;        /* (owned) */
  HsHttpClient         *client;      /* (unowned) */
  HsStore              *store;       /* (unowned) */
  HsHttpOptions         options;
  char                 *base_url;    /* (owned) */
  char                 *token;       /* (owned) (nullable) */
  HsFetchResult        *result;
  HsFetchPageFunc       page_func;
  gpointer              page_data;
  HsJobProgressFunc     progress;
  gpointer              progress_data;
  GCancellable         *cancellable;
  int64_t               now;
  GHashTable           *instruments; /* symbol → int64_t id (owned) */
  int64_t               span_lo;     /* earliest and latest time the walk has seen */
  int64_t               span_hi;
  /* Calls (a page's request and parse) for the provider's failure streak. */
  int64_t               calls;
  int64_t               successes;
  int64_t               fail_tail;   /* failed calls since the last success of this run */
  int64_t               refused;     /* 2xx answers the parser refused */
  char                 *last_error;  /* (owned) (nullable) */
} Job;

static void
warn (Job        *job,
      const char *text)
{
  if (job->result->warnings->len < MAX_WARNINGS)
    g_ptr_array_add (job->result->warnings, g_strdup (text));
}

static void
note_time (Job    *job,
           int64_t ts)
{
  HsFetchResult *r = job->result;

  if (r->first_ts == 0 || ts < r->first_ts)
    r->first_ts = ts;
  if (ts > r->last_ts)
    r->last_ts = ts;
}

/* The instrument of @symbol (as the provider names it), created with @kind on first sight;
 * @info (nullable) is what the provider said about it. */
static gboolean
instrument_id (Job                        *job,
               const char                 *symbol,
               const char                 *kind,
               const HsProviderInstrument *info,
               int64_t                    *id,
               GError                    **error)
{
  g_autofree char *name = hs_fetch_instrument_symbol (job->provider, symbol);
  int64_t *cached = g_hash_table_lookup (job->instruments, name);
  g_autoptr(GError) local = NULL;
  const char *exchange = job->provider->exchange;

  if (cached != NULL)
    {
      *id = *cached;
      return TRUE;
    }
  if (kind == NULL && info != NULL)
    kind = info->kind;
  if (kind == NULL)
    kind = job->provider->instrument_kind != NULL ? job->provider->instrument_kind : "stock";
  if (!hs_store_find_instrument (job->store, name, exchange, id, &local))
    {
      if (!g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!hs_store_ensure_instrument (job->store, name, exchange, kind, id, error))
        return FALSE;
      job->result->instruments++;
    }
  if (info != NULL
      && !hs_store_fill_instrument (job->store, *id, info->name, info->currency, info->expiry,
                                    error))
    return FALSE;
  g_hash_table_insert (job->instruments, g_strdup (name), g_memdup2 (id, sizeof *id));
  if (job->result->instrument == NULL)
    job->result->instrument = g_steal_pointer (&name);
  return TRUE;
}

/* What the page says about @symbol (Yahoo's chart meta, a Tradier quote), if anything. */
static const HsProviderInstrument *
page_info (const HsProviderPage *page,
           const char           *symbol)
{
  for (guint i = 0; i < page->instruments->len; i++)
    {
      const HsProviderInstrument *inst = page->instruments->pdata[i];

      if (g_ascii_strcasecmp (inst->symbol, symbol) == 0)
        return inst;
    }
  return NULL;
}

static void
count (Job     *job,
       int64_t  rows,
       int64_t  inserted)
{
  job->result->rows += rows;
  job->result->inserted += inserted;
  job->result->duplicates += rows - inserted;
}

static gboolean
store_bars (Job                  *job,
            const HsProviderPage *page,
            const char           *symbol,
            GError              **error)
{
  const HsBar *bars = (const HsBar *) page->bars->data;
  int64_t id, inserted = 0;

  if (page->bars->len == 0)
    return TRUE;
  if (!instrument_id (job, symbol, NULL, page_info (page, symbol), &id, error)
      || !hs_store_insert_bars (job->store, id, job->req->interval, bars, page->bars->len,
                                &inserted, error))
    return FALSE;
  count (job, page->bars->len, inserted);
  note_time (job, bars[0].ts);
  note_time (job, bars[page->bars->len - 1].ts);
  /* New bars may reach the stop or target of open paper trades, as an import's do: closed in
   * the same transaction. */
  if (inserted > 0)
    {
      g_autoptr(GPtrArray) closed = NULL;

      if (!hs_paper_check_exits (job->store, id, &closed, error))
        return FALSE;
    }
  return TRUE;
}

/* Trades are keyed by (time, ordinal): one fetched before is recognised by its id, a new one
 * takes the next ordinal of its microsecond, and its CVD continues the stored trades'. When the
 * page's range held stored trades already (an overlap, a stream's trades around a gap), the
 * running sum cannot know where they fall: every CVD from the page's first trade on is summed
 * again by the store instead. */
static gboolean
store_trades (Job                  *job,
              const HsProviderPage *page,
              const char           *symbol,
              GError              **error)
{
  const HsTrade *trades = (const HsTrade *) page->trades->data;
  guint n = page->trades->len;
  int64_t id, overlap = 0, inserted = 0, first_new = 0, last_new = 0;
  double cvd = 0;

  if (n == 0)
    return TRUE;
  if (!instrument_id (job, symbol, NULL, NULL, &id, error)
      || !hs_store_count_trades (job->store, id, trades[0].ts, trades[n - 1].ts, &overlap, error)
      || !hs_store_cvd_before (job->store, id, trades[0].ts, &cvd, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      HsTrade t = trades[i];
      gboolean present = FALSE, added = FALSE;

      if (!hs_store_trade_present (job->store, id, &t, &present, error))
        return FALSE;
      if (present)
        continue;
      if (!hs_store_next_trade_seq (job->store, id, t.ts, &t.seq, error))
        return FALSE;
      cvd += (double) t.side * t.size;
      t.cvd = cvd;
      if (!hs_store_insert_trade (job->store, id, &t, &added, error))
        return FALSE;
      if (added)
        {
          if (inserted == 0)
            first_new = t.ts;
          last_new = t.ts;
          inserted++;
        }
    }
  count (job, n, inserted);
  note_time (job, trades[0].ts);
  note_time (job, trades[n - 1].ts);
  if (inserted == 0)
    return TRUE;
  /* Later stored trades (or, with an overlap, any from the first new one on) were summed
   * without the new ones. */
  return hs_store_recompute_cvd_after (job->store, id, first_new,
                                       overlap > 0 ? first_new - 1 : last_new, error);
}

static gboolean
store_books (Job                  *job,
             const HsProviderPage *page,
             const char           *symbol,
             GError              **error)
{
  int64_t id, inserted = 0;

  if (page->books->len == 0)
    return TRUE;
  if (!instrument_id (job, symbol, NULL, NULL, &id, error))
    return FALSE;
  for (guint i = 0; i < page->books->len; i++)
    {
      const HsBookSnapshot *b = &g_array_index (page->books, HsBookSnapshot, i);
      gboolean added = FALSE;

      if (!hs_store_insert_book (job->store, id, b, &added, error))
        return FALSE;
      inserted += added;
      note_time (job, b->ts);
    }
  count (job, page->books->len, inserted);
  return TRUE;
}

/* Market snapshots name their own ticker (Kalshi's market list answers for several). */
static gboolean
store_snapshots (Job                  *job,
                 const HsProviderPage *page,
                 GError              **error)
{
  int64_t inserted = 0;

  for (guint i = 0; i < page->snapshots->len; i++)
    {
      const HsMarketSnapshot *s = &g_array_index (page->snapshots, HsMarketSnapshot, i);
      gboolean added = FALSE;
      int64_t id;

      if (!instrument_id (job, s->ticker, NULL, page_info (page, s->ticker), &id, error)
          || !hs_store_insert_snapshot (job->store, id, s, &added, error))
        return FALSE;
      inserted += added;
      note_time (job, s->ts);
    }
  count (job, page->snapshots->len, inserted);
  return TRUE;
}

/* Quotes carry no symbol: they are @symbol's, the one stock or index a request asked for (a
 * list is split so that each request asks for one, walk_groups()); without one, the one
 * instrument the page describes, else they cannot be placed and are skipped. */
static gboolean
store_quotes (Job                  *job,
              const HsProviderPage *page,
              const char           *symbol,
              GError              **error)
{
  int64_t id, inserted = 0;

  if (page->quotes->len == 0)
    return TRUE;
  if (symbol == NULL && page->instruments->len == 1)
    symbol = ((const HsProviderInstrument *) page->instruments->pdata[0])->symbol;
  if (symbol == NULL)
    {
      job->result->skipped += page->quotes->len;
      warn (job, "quotes of a request for several stocks cannot be told apart: skipped");
      return TRUE;
    }
  if (!instrument_id (job, symbol, NULL, page_info (page, symbol), &id, error))
    return FALSE;
  for (guint i = 0; i < page->quotes->len; i++)
    {
      const HsQuote *q = &g_array_index (page->quotes, HsQuote, i);
      gboolean added = FALSE;

      if (!hs_store_insert_quote (job->store, id, q, &added, error))
        return FALSE;
      inserted += added;
      note_time (job, q->ts);
    }
  count (job, page->quotes->len, inserted);
  return TRUE;
}

static gboolean
store_options (Job                  *job,
               const HsProviderPage *page,
               GError              **error)
{
  int64_t inserted = 0;

  for (guint i = 0; i < page->option_quotes->len; i++)
    {
      const HsProviderOptionQuote *o = &g_array_index (page->option_quotes,
                                                       HsProviderOptionQuote, i);
      gboolean added = FALSE;
      int64_t before = 0;

      /* The contract and, when new, its underlying are created by the store. */
      if (!hs_store_find_instrument (job->store, o->contract.symbol, job->provider->exchange,
                                     &before, NULL))
        job->result->instruments++;
      if (!hs_store_add_option_quote (job->store, job->provider->exchange, &o->contract,
                                      &o->quote, &added, error))
        return FALSE;
      inserted += added;
      note_time (job, o->quote.ts);
      if (job->result->instrument == NULL)
        job->result->instrument = g_strdup (o->contract.underlying);
    }
  count (job, page->option_quotes->len, inserted);
  return TRUE;
}

/* The instrument list (Kalshi's markets): each created with what the provider says. */
static gboolean
store_instruments (Job                  *job,
                   const HsProviderPage *page,
                   GError              **error)
{
  int64_t created = job->result->instruments;

  for (guint i = 0; i < page->instruments->len; i++)
    {
      const HsProviderInstrument *inst = page->instruments->pdata[i];
      int64_t id;

      if (!instrument_id (job, inst->symbol, inst->kind, inst, &id, error))
        return FALSE;
    }
  job->result->rows += page->instruments->len;
  job->result->inserted += job->result->instruments - created;
  job->result->duplicates += page->instruments->len - (job->result->instruments - created);
  return TRUE;
}

static gboolean
store_page (Job                  *job,
            const HsProviderPage *page,
            const char           *symbol,
            const char           *quote_symbol,
            GError              **error)
{
  HsFetchResult before = *job->result;

  if (!hs_store_begin (job->store, error))
    return FALSE;
  job->result->pages++;
  job->result->skipped += page->n_skipped;
  if ((page->kind == HS_FETCH_INSTRUMENTS ? store_instruments (job, page, error)
                                          : store_bars (job, page, symbol, error)
                                            && store_trades (job, page, symbol, error)
                                            && store_books (job, page, symbol, error)
                                            && store_snapshots (job, page, error)
                                            && store_quotes (job, page, quote_symbol, error)
                                            && store_options (job, page, error))
      && (job->page_func == NULL
          || job->page_func (job->store, page->next_cursor, job->result, job->page_data, error))
      && hs_store_commit (job->store, error))
    return TRUE;
  /* Nothing of the page stays: neither its counts nor the instruments it created. */
  hs_store_rollback (job->store);
  job->result->pages = before.pages;
  job->result->rows = before.rows;
  job->result->inserted = before.inserted;
  job->result->duplicates = before.duplicates;
  job->result->skipped = before.skipped;
  job->result->instruments = before.instruments;
  job->result->first_ts = before.first_ts;
  job->result->last_ts = before.last_ts;
  g_hash_table_remove_all (job->instruments);
  return FALSE;
}

/* How far the walk is, from the times it has seen within [from, to]: a guess for a progress
 * bar, whichever direction the provider pages in. */
static double
walk_fraction (Job                   *job,
               const HsProviderQuery *query,
               const HsProviderPage  *page)
{
  int64_t from = query->from, to = query->to > 0 ? query->to : job->now;
  int64_t lo = job->span_lo, hi = job->span_hi;
  int64_t cursor_ts;

  if (page->next_cursor != NULL && hs_time_parse (page->next_cursor, NULL, &cursor_ts, NULL))
    hi = MAX (hi, cursor_ts);
  if (from <= 0 || to <= from || hi <= lo)
    return 0;
  return CLAMP ((double) (hi - MAX (lo, from)) / (double) (to - from), 0, 0.99);
}

static void
report (Job                   *job,
        const HsProviderQuery *query,
        const HsProviderPage  *page)
{
  g_autofree char *message = NULL;
  char when[40] = "";

  if (job->progress == NULL)
    return;
  for (guint k = 0; k < 2; k++)
    {
      int64_t ts = k == 0 ? job->result->first_ts : job->result->last_ts;

      if (ts != 0)
        {
          job->span_lo = job->span_lo == 0 ? ts : MIN (job->span_lo, ts);
          job->span_hi = MAX (job->span_hi, ts);
        }
    }
  if (job->span_hi > 0)
    hs_time_format_iso_buf (job->span_hi, when);
  message = g_strdup_printf ("page %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " rows%s%s",
                             job->result->pages, job->result->rows, when[0] ? " up to " : "",
                             when);
  job->progress (walk_fraction (job, query, page), message, job->progress_data);
}

static void
note_failure (Job          *job,
              const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  job->calls++;
  job->fail_tail++;
  g_free (job->last_error);
  job->last_error = g_strdup (error->message);
}

/**
 * hs_fetch_get_page:
 * @client: this thread's HTTP client
 * @http: the provider's shared rate limiter and statistics (hs_http_provider_get())
 * @base_url: (nullable): hs_provider_base_url()'s, or %NULL for the environment's or default
 * @token: (nullable): for a provider that needs one
 * @options: (nullable): the back-off used when a body says "too many requests"
 * @call: (out caller-allocates) (optional): what the call cost: HTTP requests made (0 when the
 *   request could not be built), attempts, bodies the parser refused
 *
 * One page, the way a fetch job asks for it: build the request, GET it through the provider's
 * rate limiter and retries, parse the body. A body that is the provider's "too many requests"
 * (Kraken's HTTP 200 EAPI:Rate limit exceeded) pauses the provider and is asked again, three
 * times at most. Nothing is stored: the stream's repairs use it to read a REST book or trades.
 *
 * Returns: (transfer full): the page, or %NULL with @error set
 */
HsProviderPage *
hs_fetch_get_page (HsHttpClient          *client,
                   HsHttpProvider        *http,
                   const HsProvider      *provider,
                   const char            *base_url,
                   const char            *token,
                   HsFetchKind            kind,
                   const HsProviderQuery *query,
                   const HsHttpOptions   *options,
                   GCancellable          *cancellable,
                   HsFetchCall           *call,
                   GError               **error)
{
  HsFetchCall unused;
  HsHttpOptions defaults;

  if (call == NULL)
    call = &unused;
  memset (call, 0, sizeof *call);
  if (options == NULL)
    {
      hs_http_options_init (&defaults);
      options = &defaults;
    }
  for (int retry = 0;; retry++)
    {
      g_auto(HsProviderRequest) request = { NULL, NULL };
      g_autoptr(HsHttpResponse) response = NULL;
      g_autoptr(GError) local = NULL;
      HsProviderPage *page;
      HsHttpRequest req;
      const char *body;
      gsize len;

      if (!hs_provider_build_request (provider, base_url, token, kind, query, &request, error))
        return NULL;
      req.provider = http;
      req.url = request.url;
      req.headers = (const char * const *) request.headers;
      req.expect = HS_HTTP_EXPECT_JSON;
      call->requests++;
      response = hs_http_get (client, &req, cancellable, &local);
      if (response == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      call->attempts += response->attempts;
      body = g_bytes_get_data (response->body, &len);
      page = hs_provider_parse (provider, kind, query, body, len, &local);
      if (page != NULL)
        return page;
      call->refused++;
      if (g_error_matches (local, HS_PROVIDER_ERROR, HS_PROVIDER_ERROR_RATE_LIMITED)
          && retry < BODY_RATE_RETRIES)
        {
          int64_t delay = hs_http_backoff_delay (options, retry + 1, g_random_double ());

          hs_rate_limiter_pause (hs_http_provider_get_limiter (http), delay);
          continue;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
}

/* One page of the walk, counted for the provider's failure streak: a call is a page's request
 * and parse (its retries are one call); a request that could not be built is none. */
static HsProviderPage *
fetch_page (Job                   *job,
            const HsProviderQuery *query,
            GError               **error)
{
  g_autoptr(GError) local = NULL;
  HsFetchCall call;
  HsProviderPage *page = hs_fetch_get_page (job->client, job->http, job->provider, job->base_url,
                                            job->token, job->req->kind, query, &job->options,
                                            job->cancellable, &call, &local);

  job->result->requests += call.requests;
  job->result->attempts += call.attempts;
  job->refused += call.refused;
  if (page != NULL)
    {
      job->calls++;
      job->successes++;
      job->fail_tail = 0;
      return page;
    }
  if (call.requests > 0)
    note_failure (job, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

/* Walks every page of one request's @symbol; @quote_symbol (nullable) is whose quotes they
 * are. */
static gboolean
walk (Job        *job,
      const char *symbol,
      const char *quote_symbol,
      GError    **error)
{
  const HsFetchRequest *req = job->req;
  g_autofree char *cursor = g_strdup (req->cursor);
  HsProviderQuery query = {
    .symbol = symbol, .interval = req->interval, .from = req->from, .to = req->to,
    .limit = req->limit, .depth = req->depth, .now = job->now,
  };

  for (;;)
    {
      g_autoptr(HsProviderPage) page = NULL;

      if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
        return FALSE;
      query.cursor = cursor;
      page = fetch_page (job, &query, error);
      if (page == NULL)
        return FALSE;
      if (!store_page (job, page, symbol, quote_symbol, error))
        return FALSE;
      for (guint i = 0; i < page->warnings->len; i++)
        warn (job, page->warnings->pdata[i]);
      g_free (cursor);
      cursor = g_steal_pointer (&page->next_cursor);
      g_clear_pointer (&job->result->next_cursor, g_free);
      job->result->next_cursor = g_strdup (cursor);
      report (job, &query, page);
      if (cursor == NULL)
        return TRUE;
      if (req->max_pages > 0 && job->result->pages >= req->max_pages)
        return TRUE;
    }
}

/* Quotes of a list of symbols ("SPY,QQQ,SPY251219P00450000"): option contracts name
 * themselves, stocks do not, so each request asks for one stock (the first with every option
 * contract of the list, each other alone) and its quotes are that stock's. */
static gboolean
walk_groups (Job        *job,
             const char *symbols,
             GError    **error)
{
  g_auto(GStrv) list = g_strsplit (symbols, ",", -1);
  g_autoptr(GPtrArray) stocks = g_ptr_array_new ();
  g_autoptr(GString) options = g_string_new (NULL);

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_auto(HsOptionContract) contract = { NULL };

      g_strstrip (list[i]);
      if (list[i][0] == '\0')
        continue;
      if (hs_occ_symbol_parse (list[i], &contract, NULL))
        g_string_append_printf (options, "%s%s", options->len ? "," : "", list[i]);
      else
        g_ptr_array_add (stocks, list[i]);
    }
  if (stocks->len == 0)
    return walk (job, options->str, NULL, error);
  for (guint i = 0; i < stocks->len; i++)
    {
      const char *stock = stocks->pdata[i];
      g_autofree char *request = i == 0 && options->len > 0
                                 ? g_strconcat (stock, ",", options->str, NULL)
                                 : g_strdup (stock);

      if (!walk (job, request, stock, error))
        return FALSE;
    }
  return TRUE;
}

/* The provider's figures since the last snapshot, and this run's failure streak continued from
 * the store's: a run that succeeded once ends any streak; one that only failed adds to it. */
static void
record_health (Job *job)
{
  g_autoptr(HsProviderStats) stats = hs_http_provider_snapshot (job->http, TRUE);
  g_autoptr(GError) local = NULL;
  int stored = 0;
  int64_t started = 0;
  double interval;

  if (job->calls == 0 && stats->requests == 0)
    return;
  interval = stats->interval_start > 0 ? (double) (stats->ts - stats->interval_start) / 1e6 : 0;
  stats->rows_per_second = interval > 0 ? (double) job->result->inserted / interval : NAN;
  stats->errors += job->refused;
  if (!hs_store_begin (job->store, &local)
      || !hs_store_provider_streak (job->store, job->provider->name, &stored, &started, &local))
    goto out;
  if (job->successes > 0 || stored == 0)
    {
      stats->consecutive_failures = (int) job->fail_tail;
      stats->streak_started = job->fail_tail > 0 ? stats->ts : 0;
    }
  else
    {
      stats->consecutive_failures = stored + (int) job->fail_tail;
      stats->streak_started = started;
    }
  g_free (stats->last_error);
  stats->last_error = job->fail_tail > 0 ? g_strdup (job->last_error) : NULL;
  if (!hs_store_write_provider_stats (job->store, stats, 0, &job->result->alert_raised, &local))
    goto out;
  hs_store_commit (job->store, &local);

out:
  if (local != NULL)
    {
      hs_store_rollback (job->store);
      /* The fetch's own outcome matters more than its figures: say why, and go on. */
      g_debug ("%s: the provider's figures were not recorded: %s", job->provider->name,
               local->message);
    }
}

static gboolean
prepare (Job                  *job,
         const HsFetchRequest *req,
         GError              **error)
{
  const HsProvider *p = hs_provider_lookup (req->provider);
  g_autoptr(GError) local = NULL;

  if (p == NULL)
    {
      size_t n;
      const HsProvider *const *all = hs_provider_all (&n);
      g_autoptr(GString) names = g_string_new (NULL);

      for (size_t i = 0; i < n; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", all[i]->name);
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                   "unknown provider “%s” (known: %s)", req->provider ? req->provider : "",
                   names->str);
      return FALSE;
    }
  job->provider = p;
  if (!hs_provider_supports (p, req->kind))
    {
      g_autoptr(GString) kinds = g_string_new (NULL);

      for (int k = 0; k < HS_FETCH_N_KINDS; k++)
        if (hs_provider_supports (p, (HsFetchKind) k))
          g_string_append_printf (kinds, "%s%s", kinds->len ? ", " : "",
                                  hs_fetch_kind_to_string ((HsFetchKind) k));
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE, "%s has no %s (it has %s)",
                   p->name, hs_fetch_kind_to_string (req->kind), kinds->str);
      return FALSE;
    }
  if (req->kind == HS_FETCH_CANDLES && hs_provider_find_interval (p, req->interval) == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (size_t i = 0; i < p->n_intervals; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", p->intervals[i].interval);
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                   req->interval ? "%s has no %s candles (it has %s)"
                                 : "%s candles need an interval%s (it has %s)",
                   p->name, req->interval ? req->interval : "", names->str);
      return FALSE;
    }
  if ((req->symbol == NULL || req->symbol[0] == '\0') && req->kind != HS_FETCH_INSTRUMENTS)
    {
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE, "%s %s needs a symbol", p->name,
                   hs_fetch_kind_to_string (req->kind));
      return FALSE;
    }
  job->base_url = hs_provider_base_url (p, req->base_url, &local);
  if (job->base_url == NULL)
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE, local->message);
      return FALSE;
    }
  if (p->needs_token)
    {
      job->token = req->token != NULL && req->token[0] != '\0'
                   ? g_strdup (req->token)
                   : hs_provider_token (p, NULL, job->cancellable, &local);
      if (job->token == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_AUTH,
                       "%s needs an access token: set $%s, or store one in the keyring with "
                       "“hindsight-cli keys set %s”%s%s%s", p->name, p->token_env, p->name,
                       local != NULL ? " (" : "", local != NULL ? local->message : "",
                       local != NULL ? ")" : "");
          return FALSE;
        }
    }
  hs_http_options_init (&job->options);
  if (req->attempts > 0)
    job->options.max_attempts = req->attempts;
  if (req->timeout_s > 0)
    job->options.timeout_ms = req->timeout_s * 1000;
  job->http = hs_http_provider_get (p->name);
  job->now = req->now > 0 ? req->now : hs_time_now_us ();
  return TRUE;
}

/**
 * hs_fetch_run_with:
 * @store: the job's connection, not inside a transaction
 * @client: (nullable): the HTTP client of this thread; %NULL makes one for the run with the
 *   request's attempts and timeout
 * @page_func: (nullable): called inside each page's transaction (a backfill saves its state)
 * @progress: (nullable): told the fraction done and a message after every page, on this thread
 * @result: (out caller-allocates): the counts, also after a failure (the pages stored before
 *   it); clear with hs_fetch_result_clear()
 *
 * Runs the fetch @request describes. The error is %HS_FETCH_ERROR for a request that cannot be
 * made (usage, a missing token), %HS_HTTP_ERROR for a request that failed after its retries,
 * %HS_PROVIDER_ERROR for a body refused (naming the field), %HS_STORE_ERROR, or
 * %G_IO_ERROR_CANCELLED; in every case the pages before the failing one stay stored, and
 * result->next_cursor says where the walk goes on.
 */
gboolean
hs_fetch_run_with (HsStore              *store,
                   HsHttpClient         *client,
                   const HsFetchRequest *request,
                   HsFetchPageFunc       page_func,
                   gpointer              page_data,
                   HsJobProgressFunc     progress,
                   gpointer              progress_data,
                   GCancellable         *cancellable,
                   HsFetchResult        *result,
                   GError              **error)
{
  g_autoptr(HsHttpClient) own_client = NULL;
  g_autoptr(GError) local = NULL;
  int64_t started = g_get_monotonic_time ();
  Job job = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (store != NULL && request != NULL && result != NULL, FALSE);

  hs_fetch_result_init (result);
  job.req = request;
  job.store = store;
  job.result = result;
  job.page_func = page_func;
  job.page_data = page_data;
  job.progress = progress;
  job.progress_data = progress_data;
  job.cancellable = cancellable;
  job.instruments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!prepare (&job, request, &local))
    ok = FALSE;
  if (ok && client == NULL)
    client = own_client = hs_http_client_new (&job.options);
  job.client = client;

  if (ok && request->kind == HS_FETCH_SNAPSHOTS && !g_str_equal (job.provider->name, "kalshi"))
    ok = walk_groups (&job, request->symbol, &local);
  else if (ok)
    ok = walk (&job, request->symbol, request->symbol, &local);
  result->complete = ok && result->next_cursor == NULL;
  result->seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  if (job.http != NULL && !request->no_health)
    record_health (&job);
  if (ok && progress != NULL)
    progress (1.0, result->complete ? "done" : "stopped", progress_data);

  g_clear_pointer (&job.instruments, g_hash_table_unref);
  g_clear_pointer (&job.http, hs_http_provider_unref);
  g_clear_pointer (&job.base_url, g_free);
  if (job.token != NULL)
    {
      memset (job.token, 0, strlen (job.token));
      g_clear_pointer (&job.token, g_free);
    }
  g_clear_pointer (&job.last_error, g_free);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

/**
 * hs_fetch_run:
 * @db_path: the database file; the job opens its own connection
 *
 * hs_fetch_run_with() on a connection and an HTTP client of its own.
 */
gboolean
hs_fetch_run (const char           *db_path,
              const HsFetchRequest *request,
              HsJobProgressFunc     progress,
              gpointer              progress_data,
              GCancellable         *cancellable,
              HsFetchResult        *result,
              GError              **error)
{
  g_autoptr(HsStore) store = NULL;

  g_return_val_if_fail (db_path != NULL && request != NULL && result != NULL, FALSE);
  store = hs_store_open (db_path, HS_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    {
      hs_fetch_result_init (result);
      return FALSE;
    }
  return hs_fetch_run_with (store, NULL, request, NULL, NULL, progress, progress_data,
                            cancellable, result, error);
}

static gpointer
fetch_worker (HsStore           *store,
              gconstpointer      request,
              HsJobProgressFunc  progress,
              gpointer           progress_data,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(HsFetchResult) result = g_new0 (HsFetchResult, 1);

  if (!hs_fetch_run_with (store, NULL, request, NULL, NULL, progress, progress_data,
                          cancellable, result, error))
    return NULL;
  return g_steal_pointer (&result);
}

/**
 * hs_fetch_async:
 * @progress: (nullable): called on the caller's main context
 *
 * Runs hs_fetch_run() on a GTask worker with a copy of @request; @callback runs on the caller's
 * thread-default main context. Finish with hs_fetch_finish().
 */
void
hs_fetch_async (const char           *db_path,
                const HsFetchRequest *request,
                HsJobProgressFunc     progress,
                gpointer              progress_data,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data)
{
  hs_job_run_async (db_path, hs_fetch_request_copy (request),
                    (GDestroyNotify) hs_fetch_request_free, fetch_worker,
                    (GDestroyNotify) hs_fetch_result_free, progress, progress_data, cancellable,
                    callback, user_data, hs_fetch_async, "hs-fetch");
}

/**
 * hs_fetch_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set (a failed fetch's counts are
 *   not returned here: the pages it stored are in the database)
 */
HsFetchResult *
hs_fetch_finish (GAsyncResult *result,
                 GError      **error)
{
  return hs_job_run_finish (result, hs_fetch_async, error);
}
