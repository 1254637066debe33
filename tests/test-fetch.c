/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fetch jobs from C (src/jobs/hs-fetch.c, hs-backfill.c, hs-poller.c) and their store
 * queries (hs-store-fetch.c, hs-store-watch.c), against the local HTTP server: Kraken's pair
 * names, the GTask wrapper (progress on the caller's main context), cancellation of a stalled
 * request, trades fetched into a range the store holds trades in already (their CVD against a
 * naive running sum), the failure streak across runs, the watch list's queries, the poller's
 * schedule, and a backfill cancelled from its progress callback and resumed.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-backfill.h"
#include "hs-fetch.h"
#include "hs-poller.h"
#include "hs-store-fetch.h"
#include "hs-store-health.h"
#include "hs-store-market.h"
#include "hs-store-watch.h"
#include "hs-test-server.h"
#include "hs-time.h"

static char *tmpdir;

static HsStore *
fresh_store (const char *name,
             char      **path)
{
  g_autofree char *file = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  HsStore *store;

  g_remove (file);
  store = hs_store_open (file, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  if (path != NULL)
    *path = g_steal_pointer (&file);
  return store;
}

static int64_t
iso (const char *text)
{
  int64_t us = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_time_parse (text, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

/* ----------------------------------------------------------------------------------------- */

static void
test_instrument_symbol (void)
{
  /* Kraken's REST names, as its asset list spells them, and the WebSocket v2 name of the
   * pair (docs.kraken.com: XBT is BTC, XDG is DOGE; the X/Z prefixes mark crypto/fiat). */
  static const struct
  {
    const char *provider, *symbol, *expected;
  } cases[] = {
    { "kraken", "XBTUSD", "BTC/USD" },
    { "kraken", "XXBTZUSD", "BTC/USD" },
    { "kraken", "XBTUSDT", "BTC/USDT" },
    { "kraken", "XETHZEUR", "ETH/EUR" },
    { "kraken", "ETHUSD", "ETH/USD" },
    { "kraken", "xdgusd", "DOGE/USD" },
    { "kraken", "SOLUSDC", "SOL/USDC" },
    { "kraken", "ETHXBT", "ETH/BTC" },
    { "kraken", "BTC/USD", "BTC/USD" },
    { "kraken", "USD", "USD" },               /* nothing to split */
    { "coinbase", "BTC-USD", "BTC-USD" },     /* everyone else: as given */
    { "yahoo", "^VIX", "^VIX" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = hs_fetch_instrument_symbol (hs_provider_lookup (cases[i].provider),
                                                         cases[i].symbol);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* ----------------------------------------------------------------------------------------- */
/* The GTask wrapper                                                                          */

typedef struct
{
  GMainLoop     *loop;
  HsFetchResult *result;
  GError        *error;
  int            progress_calls;
  double         last_fraction;
  GThread       *caller;
  gboolean       progress_on_caller;
} AsyncRun;

static void
async_progress_cb (double      fraction,
                   const char *message,
                   gpointer    data)
{
  AsyncRun *run = data;

  run->progress_calls++;
  run->last_fraction = fraction;
  run->progress_on_caller = g_thread_self () == run->caller;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  AsyncRun *run = data;

  run->result = hs_fetch_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
test_async (void)
{
  g_autofree char *db = NULL;
  g_autoptr(HsStore) store = fresh_store ("async.db", &db);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_auto(HsFetchRequest) req = { 0 };
  AsyncRun run = { loop, NULL, NULL, 0, 0, g_thread_self (), FALSE };

  hs_test_server_add (server, "/products/BTC-USDT/trades",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/coinbase/"
                                                 "exchange_products_BTC-USDT_trades_limit1.json"));
  hs_fetch_request_init (&req);
  req.provider = g_strdup ("coinbase");
  req.kind = HS_FETCH_TRADES;
  req.symbol = g_strdup ("BTC-USDT");
  req.base_url = g_strdup (hs_test_server_get_base_url (server));
  hs_fetch_async (db, &req, async_progress_cb, &run, NULL, async_done_cb, &run);
  g_main_loop_run (loop);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);
  /* One trade (exchange_products_BTC-USDT_trades_limit1.json), one page, the final report 1.0,
   * every report on this thread. */
  g_assert_cmpint (run.result->inserted, ==, 1);
  g_assert_cmpint (run.result->pages, ==, 1);
  g_assert_true (run.result->complete);
  g_assert_cmpint (run.progress_calls, ==, 2);
  g_assert_cmpfloat (run.last_fraction, ==, 1.0);
  g_assert_true (run.progress_on_caller);
  hs_fetch_result_free (run.result);
}

/* Cancelled between pages (from the progress report after page 1), and while page 2's request
 * waits for an answer that never comes: either way the walk stops with
 * G_IO_ERROR_CANCELLED (not the transfer's 30 s timeout), and page 1 stays stored. */
static void
cancel_cb (double      fraction,
           const char *message,
           gpointer    data)
{
  if (fraction < 1)
    g_cancellable_cancel (data);
}

typedef struct
{
  HsStore        *store;
  HsFetchRequest *req;
  GCancellable   *cancellable;
  HsFetchResult   result;
  GError         *error;
  gboolean        ok;
} CancelRun;

static gpointer
cancel_thread (gpointer data)
{
  CancelRun *run = data;

  run->ok = hs_fetch_run_with (run->store, NULL, run->req, NULL, NULL, NULL, NULL,
                               run->cancellable, &run->result, &run->error);
  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(HsStore) store = fresh_store ("cancel.db", NULL);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(HsFetchRequest) req = { 0 };
  g_auto(HsFetchResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  HsTestResponse *stall = hs_test_response_new (200);

  hs_test_server_add (server, "/trade-api/v2/markets/trades",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/kalshi/"
                                                 "markets_trades_KXELONMARS-99_limit3.json"));
  hs_test_response_set_stall (stall);
  hs_test_server_add (server, "/trade-api/v2/markets/trades?ticker=KXELONMARS-99&limit=3&"
                              "cursor=EhIKEFq9i3ERl0wsdoYvGaMHJ8kaCwikt7DRBhCwt946", stall);
  hs_fetch_request_init (&req);
  req.provider = g_strdup ("kalshi");
  req.kind = HS_FETCH_TRADES;
  req.symbol = g_strdup ("KXELONMARS-99");
  req.limit = 3;
  req.base_url = g_strconcat (hs_test_server_get_base_url (server), "/trade-api/v2", NULL);
  g_assert_false (hs_fetch_run_with (store, NULL, &req, NULL, NULL, cancel_cb, cancellable,
                                     cancellable, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (result.pages, ==, 1);
  g_assert_cmpint (result.inserted, ==, 3);
  g_assert_cmpstr (result.next_cursor, ==, "EhIKEFq9i3ERl0wsdoYvGaMHJ8kaCwikt7DRBhCwt946");
  g_assert_false (result.complete);
  g_assert_cmpuint (hs_test_server_count (server, NULL), ==, 1);

  /* Page 2 on its own (the cursor above) is the stalled one: cancelled from this thread while
   * the fetch's thread waits in it. */
  {
    g_autoptr(GCancellable) c2 = g_cancellable_new ();
    CancelRun run = { store, &req, c2, { 0 }, NULL, FALSE };
    GThread *thread;

    req.cursor = g_strdup (result.next_cursor);
    thread = g_thread_new ("fetch", cancel_thread, &run);
    hs_test_server_wait_requests (server, 2);
    g_cancellable_cancel (c2);
    g_thread_join (thread);
    g_assert_false (run.ok);
    g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (run.result.pages, ==, 0);
    g_assert_cmpstr (run.result.next_cursor, ==, NULL);
    g_clear_error (&run.error);
    hs_fetch_result_clear (&run.result);
  }
  g_clear_error (&error);
  {
    int64_t count = 0;

    g_assert_true (hs_store_count_trades (store, 1, G_MININT64, G_MAXINT64, &count, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count, ==, 3);
  }
}

/* A page whose transaction fails (here its page_func, as a backfill's state write could) leaves
 * nothing: the rows of the page before stay, its own are rolled back and not counted. */
static gboolean
fail_second_cb (HsStore             *store,
                const char          *next_cursor,
                const HsFetchResult *result,
                gpointer             data,
                GError             **error)
{
  int *calls = data;

  if (++*calls == 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "the disk is full (a test)");
      return FALSE;
    }
  return TRUE;
}

static void
test_page_rollback (void)
{
  g_autoptr(HsStore) store = fresh_store ("rollback.db", NULL);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_auto(HsFetchRequest) req = { 0 };
  g_auto(HsFetchResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  int64_t count = -1;
  int calls = 0;

  /* Page 1: the recorded three trades (with a cursor); page 2: two more (written here). */
  hs_test_server_add (server, "/trade-api/v2/markets/trades",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/kalshi/"
                                                 "markets_trades_KXELONMARS-99_limit3.json"));
  hs_test_server_add (server, "/trade-api/v2/markets/trades?ticker=KXELONMARS-99&limit=3&"
                              "cursor=EhIKEFq9i3ERl0wsdoYvGaMHJ8kaCwikt7DRBhCwt946",
                      hs_test_response_new_json (200,
                        "{\"cursor\":\"\",\"trades\":[{\"count_fp\":\"5.00\","
                        "\"created_time\":\"2026-06-12T13:00:00Z\",\"taker_outcome_side\":"
                        "\"yes\",\"trade_id\":\"b\",\"yes_price_dollars\":\"0.0900\"},"
                        "{\"count_fp\":\"2.00\",\"created_time\":\"2026-06-12T12:00:00Z\","
                        "\"taker_outcome_side\":\"no\",\"trade_id\":\"a\","
                        "\"yes_price_dollars\":\"0.0700\"}]}"));
  hs_fetch_request_init (&req);
  req.provider = g_strdup ("kalshi");
  req.kind = HS_FETCH_TRADES;
  req.symbol = g_strdup ("KXELONMARS-99");
  req.limit = 3;
  req.no_health = TRUE;
  req.base_url = g_strconcat (hs_test_server_get_base_url (server), "/trade-api/v2", NULL);
  g_assert_false (hs_fetch_run_with (store, NULL, &req, fail_second_cb, &calls, NULL, NULL, NULL,
                                     &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpint (calls, ==, 2);
  g_assert_cmpint (result.pages, ==, 1);
  g_assert_cmpint (result.rows, ==, 3);
  g_assert_cmpint (result.inserted, ==, 3);
  g_assert_cmpint (result.first_ts, ==, iso ("2026-06-12T14:45:56.123182Z"));
  g_assert_cmpstr (result.next_cursor, ==, "EhIKEFq9i3ERl0wsdoYvGaMHJ8kaCwikt7DRBhCwt946");
  g_clear_error (&error);
  g_assert_true (hs_store_count_trades (store, 1, G_MININT64, G_MAXINT64, &count, &error));
  g_assert_cmpint (count, ==, 3);
}

/* ----------------------------------------------------------------------------------------- */
/* Trades into a range the store holds trades in                                              */

static void
test_trade_overlap (void)
{
  g_autoptr(HsStore) store = fresh_store ("overlap.db", NULL);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_auto(HsFetchRequest) req = { 0 };
  g_auto(HsFetchResult) result = { 0 };
  g_autoptr(GError) error = NULL;
  int64_t id = 0, t0 = iso ("2024-03-13T11:00:00Z");
  /* Stored first (as a stream would have): ids 1, 2 and 5 at 0 s, 1 s and 4 s, CVD summed. */
  HsTrade stored[] = {
    { .ts = t0, .trade_id = (char *) "1", .price = 100, .size = 1, .side = HS_SIDE_BUY,
      .cvd = 1 },
    { .ts = t0 + G_USEC_PER_SEC, .trade_id = (char *) "2", .price = 101, .size = 2,
      .side = HS_SIDE_SELL, .cvd = -1 },
    { .ts = t0 + 4 * G_USEC_PER_SEC, .trade_id = (char *) "5", .price = 104, .size = 5,
      .side = HS_SIDE_BUY, .cvd = 4 },
  };
  /* Fetched: ids 2 (stored already), 3 and 4 at 2 s and 3 s; the maker's sides (Coinbase):
   * "buy" is a taker sell. Newest first, as the Exchange answers. */
  const char *body =
    "[{\"trade_id\":4,\"side\":\"sell\",\"size\":\"4\",\"price\":\"103\","
    "\"time\":\"2024-03-13T11:00:03Z\"},"
    "{\"trade_id\":3,\"side\":\"buy\",\"size\":\"3\",\"price\":\"102\","
    "\"time\":\"2024-03-13T11:00:02Z\"},"
    "{\"trade_id\":2,\"side\":\"buy\",\"size\":\"2\",\"price\":\"101\","
    "\"time\":\"2024-03-13T11:00:01Z\"}]";
  /* The naive reference: side × size summed in time order over all five trades:
   * +1, −2, −3, +4, +5 → 1, −1, −4, 0, 5. */
  const double expected_cvd[5] = { 1, -1, -4, 0, 5 };

  g_assert_true (hs_store_ensure_instrument (store, "BTC-USDT", "coinbase", "crypto", &id,
                                             &error));
  for (size_t i = 0; i < G_N_ELEMENTS (stored); i++)
    {
      g_assert_true (hs_store_insert_trade (store, id, &stored[i], NULL, &error));
      g_assert_no_error (error);
    }
  hs_test_server_add (server, "/products/BTC-USDT/trades", hs_test_response_new_json (200, body));
  hs_fetch_request_init (&req);
  req.provider = g_strdup ("coinbase");
  req.kind = HS_FETCH_TRADES;
  req.symbol = g_strdup ("BTC-USDT");
  req.base_url = g_strdup (hs_test_server_get_base_url (server));
  req.no_health = TRUE;
  g_assert_true (hs_fetch_run_with (store, NULL, &req, NULL, NULL, NULL, NULL, NULL, &result,
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.rows, ==, 3);
  g_assert_cmpint (result.inserted, ==, 2);
  g_assert_cmpint (result.duplicates, ==, 1);
  {
    int64_t count = 0;
    double cvd = NAN;

    g_assert_true (hs_store_count_trades (store, id, G_MININT64, G_MAXINT64, &count, &error));
    g_assert_cmpint (count, ==, 5);
    for (int k = 0; k < 5; k++)
      {
        /* The CVD after trade k (at k seconds) is the CVD before the next microsecond. */
        g_assert_true (hs_store_cvd_before (store, id, t0 + k * G_USEC_PER_SEC + 1, &cvd,
                                            &error));
        g_assert_cmpfloat_with_epsilon (cvd, expected_cvd[k], 1e-12);
      }
  }
}

/* ----------------------------------------------------------------------------------------- */
/* The failure streak across runs                                                             */

static void
test_streak (void)
{
  g_autoptr(HsStore) store = fresh_store ("streak.db", NULL);
  g_autoptr(GError) error = NULL;
  /* consecutive_failures as successive snapshots wrote them: 0, 1, 2, 0, 1, 3. The streak now
   * is 3 failures, begun with the snapshot at t = 5 (the first after the last 0). */
  const int values[] = { 0, 1, 2, 0, 1, 3 };
  int failures = -1;
  int64_t started = -1;

  g_assert_true (hs_store_provider_streak (store, "kalshi", &failures, &started, &error));
  g_assert_cmpint (failures, ==, 0);
  g_assert_cmpint (started, ==, 0);
  for (size_t i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(HsProviderStats) s = hs_provider_stats_new ("kalshi");

      s->ts = (int64_t) (i + 1) * G_USEC_PER_SEC;
      s->consecutive_failures = values[i];
      s->streak_started = values[i] > 0 ? 1 : 0;
      s->latency_p50_ms = s->latency_p95_ms = s->latency_p99_ms = NAN;
      g_assert_true (hs_store_write_provider_stats (store, s, 100, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (hs_store_provider_streak (store, "kalshi", &failures, &started, &error));
      g_assert_cmpint (failures, ==, values[i]);
    }
  g_assert_cmpint (started, ==, 5 * G_USEC_PER_SEC);
  /* Another provider's rows are its own. */
  g_assert_true (hs_store_provider_streak (store, "kraken", &failures, &started, &error));
  g_assert_cmpint (failures, ==, 0);
}

/* ----------------------------------------------------------------------------------------- */
/* The watch list and the poller's schedule                                                   */

static void
test_watch_store (void)
{
  g_autoptr(HsStore) store = fresh_store ("watch.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) all = NULL;
  int64_t a = 0, b = 0, c = 0, again = 0, found = -1;
  gboolean created = FALSE;
  const HsWatchEntry *e;

  g_assert_true (hs_store_watch_add (store, "kalshi", "KXELONMARS-99", "snapshots", NULL, 5, TRUE,
                                     100, &a, &created, &error));
  g_assert_true (created);
  g_assert_true (hs_store_watch_add (store, "coinbase", "BTC-USD", "candles", "1m", 60, TRUE,
                                     100, &b, NULL, &error));
  g_assert_true (hs_store_watch_add (store, "kraken", "XBTUSD", "trades", NULL, 30, FALSE, 100,
                                     &c, NULL, &error));
  g_assert_true (hs_store_watch_add (store, "kalshi", "KXELONMARS-99", "snapshots", NULL, 10,
                                     TRUE, 200, &again, &created, &error));
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpint (again, ==, a);
  g_assert_true (hs_store_watch_find (store, "coinbase", "BTC-USD", "candles", "1m", &found,
                                      &error));
  g_assert_cmpint (found, ==, b);
  g_assert_true (hs_store_watch_find (store, "coinbase", "BTC-USD", "candles", "1h", &found,
                                      &error));
  g_assert_cmpint (found, ==, 0);

  /* Due at 0: the two enabled entries (next_due 0), not the disabled one. */
  due = hs_store_watch_due (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 2);
  /* A success at 1000 µs due again at 6000; a failure keeps last_success, counts. */
  g_assert_true (hs_store_watch_record (store, a, 1000, NULL, 3, 6000, &error));
  g_assert_true (hs_store_watch_record (store, b, 1000, "HTTP 500", 0, 121000, &error));
  g_assert_true (hs_store_watch_record (store, b, 2000, "HTTP 502", 0, 241000, &error));
  g_assert_no_error (error);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = hs_store_watch_due (store, 5999, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = hs_store_watch_due (store, 241000, &error);
  g_assert_cmpuint (due->len, ==, 2);
  /* The longest overdue first. */
  g_assert_cmpint (((HsWatchEntry *) due->pdata[0])->id, ==, a);

  all = hs_store_watch_list (store, &error);
  g_assert_cmpuint (all->len, ==, 3);
  e = all->pdata[0];
  g_assert_cmpfloat (e->period_s, ==, 10);
  g_assert_cmpint (e->runs, ==, 1);
  g_assert_cmpint (e->rows_inserted, ==, 3);
  g_assert_cmpint (e->last_success, ==, 1000);
  g_assert_null (e->last_error);
  g_assert_null (e->interval);
  e = all->pdata[1];
  g_assert_cmpstr (e->interval, ==, "1m");
  g_assert_cmpint (e->runs, ==, 2);
  g_assert_cmpint (e->failures, ==, 2);
  g_assert_cmpint (e->last_success, ==, 0);
  g_assert_cmpint (e->last_run, ==, 2000);
  g_assert_cmpstr (e->last_error, ==, "HTTP 502");
  g_assert_false (((HsWatchEntry *) all->pdata[2])->enabled);

  g_assert_true (hs_store_watch_remove (store, c, &error));
  g_assert_false (hs_store_watch_remove (store, c, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
}

static void
test_schedule (void)
{
  /* next_due: a period after the run; after a failure the period × 2^(failures in a row),
   * at most 900 s, or the period when it is longer. */
  static const struct
  {
    double period;
    int failures_before;
    gboolean failed;
    int64_t wait_s;
  } cases[] = {
    { 5, 0, FALSE, 5 },
    { 5, 3, FALSE, 5 },        /* a success after failures: the period again */
    { 5, 0, TRUE, 10 },        /* first failure: 5 × 2 */
    { 5, 3, TRUE, 80 },        /* fourth: 5 × 16 */
    { 5, 9, TRUE, 900 },       /* 5 × 1024 = 5120, capped */
    { 3600, 0, TRUE, 3600 },   /* 7200, capped at the period itself */
  };
  int64_t now = iso ("2026-06-12T17:00:00Z");

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HsWatchEntry e = { .period_s = cases[i].period, .failures = cases[i].failures_before };

      g_assert_cmpint (hs_poller_next_due (&e, 1000, cases[i].failed), ==,
                       1000 + cases[i].wait_s * G_USEC_PER_SEC);
    }
  g_assert_cmpfloat (hs_poller_default_period ("kalshi", HS_FETCH_SNAPSHOTS), ==, 5);
  g_assert_cmpfloat (hs_poller_default_period ("coinbase", HS_FETCH_CANDLES), ==, 60);

  /* What a run asks for: candles from five bars back, trades from twice the period back (at
   * least a minute), the rest as they are now. */
  {
    HsWatchEntry candles = { .provider = (char *) "coinbase", .symbol = (char *) "BTC-USD",
                             .kind = (char *) "candles", .interval = (char *) "1h",
                             .period_s = 60 };
    HsWatchEntry trades = { .provider = (char *) "kraken", .symbol = (char *) "XBTUSD",
                            .kind = (char *) "trades", .period_s = 120 };
    HsWatchEntry quick = { .provider = (char *) "kraken", .symbol = (char *) "XBTUSD",
                           .kind = (char *) "trades", .period_s = 5 };
    HsWatchEntry snaps = { .provider = (char *) "kalshi", .symbol = (char *) "KXELONMARS-99",
                           .kind = (char *) "snapshots", .period_s = 5 };
    g_auto(HsFetchRequest) r = { 0 };

    hs_poller_entry_request (&candles, now, &r);
    g_assert_cmpint (r.kind, ==, HS_FETCH_CANDLES);
    g_assert_cmpstr (r.interval, ==, "1h");
    g_assert_cmpint (r.from, ==, iso ("2026-06-12T12:00:00Z"));
    g_assert_cmpint (r.to, ==, 0);
    g_assert_cmpint (r.now, ==, now);
    hs_fetch_request_clear (&r);
    hs_poller_entry_request (&trades, now, &r);
    g_assert_cmpint (r.from, ==, iso ("2026-06-12T16:56:00Z"));
    hs_fetch_request_clear (&r);
    hs_poller_entry_request (&quick, now, &r);
    g_assert_cmpint (r.from, ==, iso ("2026-06-12T16:59:00Z"));
    hs_fetch_request_clear (&r);
    hs_poller_entry_request (&snaps, now, &r);
    g_assert_cmpint (r.kind, ==, HS_FETCH_SNAPSHOTS);
    g_assert_cmpint (r.from, ==, 0);
  }
}

/* The poller from C: one pass over two entries, each run reported on this thread. */
typedef struct
{
  int     runs;
  int     failed;
  int64_t inserted;
} PollCount;

static void
poll_run_cb (const HsWatchEntry  *entry,
             const HsFetchResult *result,
             const GError        *error,
             gpointer             data)
{
  PollCount *count = data;

  count->runs++;
  count->failed += error != NULL;
  count->inserted += result->inserted;
}

static void
test_poller (void)
{
  g_autofree char *db = NULL;
  g_autoptr(HsStore) store = fresh_store ("poller.db", &db);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *kalshi = g_strconcat (hs_test_server_get_base_url (server), "/trade-api/v2",
                                         NULL);
  g_autoptr(GError) error = NULL;
  HsPollerOptions options = { 0 };
  HsPollerStats stats;
  PollCount count = { 0 };
  int64_t id;

  hs_test_server_add (server, "/trade-api/v2/markets/KXELONMARS-99",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/kalshi/markets_KXELONMARS-99.json"));
  hs_test_server_add (server, "/trade-api/v2/markets/KXELONMARS-99/orderbook",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/kalshi/orderbook_KXELONMARS-99.json"));
  g_setenv ("HINDSIGHT_KALSHI_BASE_URL", kalshi, TRUE);
  g_assert_true (hs_store_watch_add (store, "kalshi", "KXELONMARS-99", "snapshots", NULL, 5, TRUE,
                                     1, &id, NULL, &error));
  g_assert_true (hs_store_watch_add (store, "kalshi", "KXELONMARS-99", "book", NULL, 5, TRUE, 1,
                                     &id, NULL, &error));
  options.db_path = db;
  options.once = TRUE;
  options.workers = 2;
  options.now = iso ("2026-06-12T17:00:00Z");
  g_assert_true (hs_poller_run (&options, poll_run_cb, &count, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count.runs, ==, 2);
  g_assert_cmpint (count.failed, ==, 0);
  g_assert_cmpint (count.inserted, ==, 2);
  g_assert_cmpint (stats.runs, ==, 2);
  g_assert_cmpint (stats.inserted, ==, 2);
  g_assert_cmpint (stats.cycles, ==, 1);
  g_unsetenv ("HINDSIGHT_KALSHI_BASE_URL");
}

/* ----------------------------------------------------------------------------------------- */
/* A backfill cancelled after its first window, from its progress report                      */

static void
cancel_after_first_cb (double      fraction,
                       const char *message,
                       gpointer    data)
{
  if (fraction < 1)
    g_cancellable_cancel (data);
}

static void
test_backfill_cancel (void)
{
  g_autoptr(HsStore) store = fresh_store ("backfill.db", NULL);
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(HsFetchRequest) req = { 0 };
  HsBackfillResult result;
  g_autoptr(HsBackfillState) state = NULL;

  /* Coinbase 1m candles from 2024-03-13T06:00Z to 16:00Z come in windows of 300 minutes:
   * 06:00–10:59:59, 11:00–15:59:59 and 16:00. The first window's answer is one bar at 06:00
   * (1710309600); the others get the recorded hourly body, whose bar (1710327600, 11:00) lies
   * in the second window only. */
  hs_test_server_add (server, "/products/BTC-USDT/candles?granularity=60&"
                              "start=2024-03-13T06%3A00%3A00Z&end=2024-03-13T10%3A59%3A59Z",
                      hs_test_response_new_json (200, "[[1710309600,1,2,1,2,1]]"));
  hs_test_server_add (server, "/products/BTC-USDT/candles",
                      hs_test_response_new_file (200, "application/json",
                                                 "fixtures/coinbase/"
                                                 "exchange_products_BTC-USDT_candles_3600.json"));
  hs_fetch_request_init (&req);
  req.provider = g_strdup ("coinbase");
  req.kind = HS_FETCH_CANDLES;
  req.symbol = g_strdup ("BTC-USDT");
  req.interval = g_strdup ("1m");
  req.from = iso ("2024-03-13T06:00:00Z");
  req.to = iso ("2024-03-13T16:00:00Z");
  req.base_url = g_strdup (hs_test_server_get_base_url (server));
  req.no_health = TRUE;
  g_assert_false (hs_backfill_run (store, &req, cancel_after_first_cb, cancellable, cancellable,
                                   &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (result.fetch.inserted, ==, 1);
  g_assert_cmpint (result.windows, ==, 1);
  g_assert_false (result.done);
  g_assert_false (result.resumed);
  hs_backfill_result_clear (&result);
  state = hs_store_backfill_get (store, "coinbase", "BTC-USDT", "candles", "1m", req.from,
                                 &error);
  g_assert_nonnull (state);
  g_assert_cmpstr (state->cursor, ==, "2024-03-13T11:00:00Z");
  g_assert_cmpint (state->resume_from, ==, iso ("2024-03-13T11:00:00Z"));
  g_assert_cmpstr (state->last_error, ==, "stopped before its end (cancelled)");

  /* Again, not cancelled: it goes on at 11:00, two windows (the fixture's 11:00 bar, then
   * nothing new at 16:00), done. */
  g_clear_error (&error);
  g_assert_true (hs_backfill_run (store, &req, NULL, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.resumed);
  g_assert_cmpint (result.resumed_from, ==, iso ("2024-03-13T11:00:00Z"));
  g_assert_cmpint (result.fetch.pages, ==, 2);
  g_assert_cmpint (result.fetch.inserted, ==, 1);
  g_assert_cmpint (result.windows, ==, 3);
  g_assert_true (result.done);
  hs_backfill_result_clear (&result);
  g_assert_cmpuint (hs_test_server_count (server, NULL), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-test-fetch-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_unsetenv ("HINDSIGHT_TRADIER_TOKEN");
  g_test_add_func ("/hs/jobs/fetch/instrument-symbol", test_instrument_symbol);
  g_test_add_func ("/hs/jobs/fetch/async", test_async);
  g_test_add_func ("/hs/jobs/fetch/cancel", test_cancel);
  g_test_add_func ("/hs/jobs/fetch/page-rollback", test_page_rollback);
  g_test_add_func ("/hs/jobs/fetch/trade-overlap", test_trade_overlap);
  g_test_add_func ("/hs/jobs/fetch/streak", test_streak);
  g_test_add_func ("/hs/jobs/fetch/watch-store", test_watch_store);
  g_test_add_func ("/hs/jobs/fetch/schedule", test_schedule);
  g_test_add_func ("/hs/jobs/fetch/poller", test_poller);
  g_test_add_func ("/hs/jobs/fetch/backfill-cancel", test_backfill_cancel);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_remove (path);
      }
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
