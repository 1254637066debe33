/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streaming benchmark (issue 6, docs/streaming.md). Three measures, printed, never asserted:
 *
 *  1. Coinbase Advanced Trade l2_data updates parsed (hs_ws_coinbase_parse) and applied to a
 *     book of 20,000 levels a side (hs_book_set): frames per second. Each update changes three
 *     levels near the top, as a busy BTC-USD feed does. Also the 40,000-level snapshot once.
 *  2. Kraken v2 book updates parsed, applied, cut to depth 10 and checksummed
 *     (hs_book_kraken_checksum): frames per second.
 *  3. The whole stream job (hs_stream_run) fed 50,000 frames (four l2 updates to one
 *     market_trades frame of two trades) by the local WebSocket server of the tests over
 *     127.0.0.1, into a fresh database file: frames per second from the first frame to the last
 *     one handled, rows written included.
 *
 * Target (chosen; the issue names none): 5,000 frames/s end to end, ten times the busiest
 * bursts of Coinbase's BTC-USD level2 channel. Run: meson test -C BUILD --benchmark --suite
 * bench -v stream, or BUILD/tests/bench/bench-stream.
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hs-book.h"
#include "hs-stream.h"
#include "hs-test-ws-server.h"
#include "hs-ws-coinbase.h"
#include "hs-ws-kraken.h"

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define LEVELS   20000
#define UPDATES  200000
#define KRAKEN   200000
#define E2E      50000

static double
seconds_since (int64_t t0)
{
  return (double) (g_get_monotonic_time () - t0) / 1e6;
}

/* An l2_data frame: three changes around 50,000 ± 5 (0.01 ticks), sizes varying. */
static char *
coinbase_update (int i)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":"
                          "\"2026-04-07T14:30:%02d.%06dZ\",\"sequence_num\":%d,\"events\":"
                          "[{\"type\":\"update\",\"product_id\":\"BTC-USD\",\"updates\":[",
                          (i / 1000000) % 60, i % 1000000, i + 1);
  for (int k = 0; k < 3; k++)
    {
      int tick = (i * 7 + k * 13) % 1000;
      gboolean bid = (i + k) % 2 == 0;
      double price = bid ? 50000.00 - tick * 0.01 : 50000.01 + tick * 0.01;

      g_string_append_printf (s, "%s{\"side\":\"%s\",\"event_time\":\"2026-04-07T14:30:00Z\","
                              "\"price_level\":\"%.2f\",\"new_quantity\":\"%.8f\"}",
                              k ? "," : "", bid ? "bid" : "offer", price,
                              (i + k) % 5 == 0 ? 0.0 : 0.001 * ((i + k) % 97 + 1));
    }
  g_string_append (s, "]}]}");
  return g_string_free (s, FALSE);
}

static char *
coinbase_snapshot (void)
{
  GString *s = g_string_new ("{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":"
                             "\"2026-04-07T14:30:00Z\",\"sequence_num\":0,\"events\":[{\"type\":"
                             "\"snapshot\",\"product_id\":\"BTC-USD\",\"updates\":[");

  for (int i = 0; i < 2 * LEVELS; i++)
    {
      gboolean bid = i < LEVELS;
      int n = bid ? i : i - LEVELS;

      g_string_append_printf (s, "%s{\"side\":\"%s\",\"event_time\":\"2026-04-07T14:30:00Z\","
                              "\"price_level\":\"%.2f\",\"new_quantity\":\"%.8f\"}",
                              i ? "," : "", bid ? "bid" : "offer",
                              bid ? 50000.00 - n * 0.01 : 50000.01 + n * 0.01,
                              0.5 + (n % 13) * 0.1);
    }
  g_string_append (s, "]}]}");
  return g_string_free (s, FALSE);
}

static void
apply (HsBook    *book,
       HsWsFrame *frame)
{
  for (guint e = 0; e < frame->events->len; e++)
    {
      HsWsEvent *ev = g_ptr_array_index (frame->events, e);

      if (ev->kind == HS_WS_EVENT_BOOK_SNAPSHOT)
        {
          hs_book_load (book, HS_BOOK_BID, (HsLevel *) ev->bids->data, ev->bids->len, NULL);
          hs_book_load (book, HS_BOOK_ASK, (HsLevel *) ev->asks->data, ev->asks->len, NULL);
          continue;
        }
      for (guint i = 0; ev->bids != NULL && i < ev->bids->len; i++)
        hs_book_set (book, HS_BOOK_BID, g_array_index (ev->bids, HsLevel, i).price,
                     g_array_index (ev->bids, HsLevel, i).size, NULL);
      for (guint i = 0; ev->asks != NULL && i < ev->asks->len; i++)
        hs_book_set (book, HS_BOOK_ASK, g_array_index (ev->asks, HsLevel, i).price,
                     g_array_index (ev->asks, HsLevel, i).size, NULL);
    }
}

static gboolean
bench_coinbase (double *snapshot_ms,
                double *frames_per_s)
{
  g_autoptr(HsBook) book = hs_book_new ();
  g_autofree char *snap = coinbase_snapshot ();
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(HsWsFrame) parsed = NULL;
  g_autoptr(GError) error = NULL;
  double parse_ms;
  int64_t t0;

  for (int i = 0; i < UPDATES; i++)
    g_ptr_array_add (frames, coinbase_update (i));
  t0 = g_get_monotonic_time ();
  parsed = hs_ws_coinbase_parse (snap, strlen (snap), &error);
  if (parsed == NULL)
    {
      g_printerr ("snapshot: %s\n", error->message);
      return FALSE;
    }
  parse_ms = seconds_since (t0) * 1000;
  apply (book, parsed);
  *snapshot_ms = seconds_since (t0) * 1000;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < frames->len; i++)
    {
      const char *text = g_ptr_array_index (frames, i);
      g_autoptr(HsWsFrame) f = hs_ws_coinbase_parse (text, strlen (text), &error);

      if (f == NULL)
        {
          g_printerr ("update %u: %s\n", i, error->message);
          return FALSE;
        }
      apply (book, f);
    }
  *frames_per_s = UPDATES / seconds_since (t0);
  printf ("coinbase: snapshot of %d levels %.1f ms (parsing %.1f ms); %d updates on a book of "
          "%zu + %zu levels: %.0f frames/s\n", 2 * LEVELS, *snapshot_ms, parse_ms, UPDATES,
          hs_book_n_levels (book, HS_BOOK_BID), hs_book_n_levels (book, HS_BOOK_ASK),
          *frames_per_s);
  return TRUE;
}

static gboolean
bench_kraken (double *frames_per_s)
{
  g_autoptr(HsBook) book = hs_book_new ();
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  uint32_t sink = 0;
  int64_t t0;

  for (int i = 0; i < 10; i++)
    {
      hs_book_set (book, HS_BOOK_BID, 105000.0 - i * 0.1, 0.5, NULL);
      hs_book_set (book, HS_BOOK_ASK, 105000.1 + i * 0.1, 0.5, NULL);
    }
  for (int i = 0; i < KRAKEN; i++)
    {
      int tick = i % 20;
      gboolean bid = i % 2 == 0;

      g_ptr_array_add (frames, g_strdup_printf (
        "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\","
        "\"%s\":[{\"price\":%.1f,\"qty\":%.8f}],\"%s\":[],\"checksum\":%u,"
        "\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}",
        bid ? "bids" : "asks", bid ? 105000.0 - tick * 0.1 : 105000.1 + tick * 0.1,
        0.001 * (i % 500 + 1), bid ? "asks" : "bids", (unsigned) i));
    }
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < frames->len; i++)
    {
      const char *text = g_ptr_array_index (frames, i);
      g_autoptr(HsWsFrame) f = hs_ws_kraken_parse (text, strlen (text), &error);
      HsWsEvent *ev;

      if (f == NULL)
        {
          g_printerr ("kraken %u: %s\n", i, error->message);
          return FALSE;
        }
      apply (book, f);
      hs_book_truncate (book, 10);
      ev = g_ptr_array_index (f->events, 0);
      sink ^= hs_book_kraken_checksum (book, ev->price_decimals, 8);
    }
  *frames_per_s = KRAKEN / seconds_since (t0);
  printf ("kraken: %d updates parsed, applied and checksummed: %.0f frames/s (%08x)\n", KRAKEN,
          *frames_per_s, sink);
  return TRUE;
}

typedef struct
{
  GCancellable *cancellable;
  int64_t       first_us;
  int64_t       last_us;
} E2e;

static void
progress_cb (const HsStreamStats *stats,
             gpointer             data)
{
  E2e *e = data;

  if (stats->messages == 1)
    e->first_us = g_get_monotonic_time ();
  if (stats->messages >= E2E)
    {
      e->last_us = g_get_monotonic_time ();
      g_cancellable_cancel (e->cancellable);
    }
}

static gboolean
bench_end_to_end (double  *frames_per_s,
                  int64_t *trades,
                  int64_t *books)
{
  g_autoptr(GString) script = g_string_new ("expect \"channel\":\"level2\"\n");
  g_autofree char *snap = coinbase_snapshot ();
  g_autoptr(HsTestWsServer) server = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-stream-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "stream.db", NULL);
  const char *scripts[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  HsStreamRequest req;
  HsStreamStats stats;
  E2e e = { g_cancellable_new (), 0, 0 };
  int trade_id = 1000;

  g_string_append_printf (script, "raw %s\n", snap);
  for (int i = 1; i < E2E; i++)
    {
      if (i % 5 == 0)
        {
          g_string_append_printf (script, "raw {\"channel\":\"market_trades\",\"client_id\":"
                                  "\"\",\"timestamp\":\"2026-04-07T14:31:00Z\",\"sequence_num\":"
                                  "%d,\"events\":[{\"type\":\"update\",\"trades\":[", i);
          for (int k = 0; k < 2; k++, trade_id++)
            g_string_append_printf (script, "%s{\"trade_id\":\"%d\",\"product_id\":\"BTC-USD\","
                                    "\"price\":\"50000.01\",\"size\":\"0.01\",\"side\":\"%s\","
                                    "\"time\":\"2026-04-07T14:%02d:%02d.%06dZ\"}", k ? "," : "",
                                    trade_id, k ? "SELL" : "BUY", 31 + i / 1000000,
                                    (i / 10000) % 60, (i % 10000) * 100 + k);
          g_string_append (script, "]}]}\n");
        }
      else
        {
          g_autofree char *u = coinbase_update (i * 10000);
          g_autofree char *fixed = NULL;
          char *seq = strstr (u, "\"sequence_num\":");
          char *end = strchr (seq, ',');

          /* renumber: sequence_num i, contiguous */
          fixed = g_strdup_printf ("%.*s\"sequence_num\":%d%s", (int) (seq - u), u, i, end);
          g_string_append_printf (script, "raw %s\n", fixed);
        }
    }
  scripts[0] = script->str;
  g_setenv ("HS_TEST_DATA", ".", FALSE);
  server = hs_test_ws_server_new (scripts);

  hs_stream_request_init (&req);
  req.provider = HS_STREAM_COINBASE;
  req.symbol = "BTC-USD";
  req.url = hs_test_ws_server_get_url (server);
  req.db_path = db;
  req.progress = progress_cb;
  req.user_data = &e;
  if (!hs_stream_run (&req, e.cancellable, &stats, &error))
    {
      g_printerr ("stream: %s\n", error->message);
      return FALSE;
    }
  g_object_unref (e.cancellable);
  *frames_per_s = (E2E - 1) / ((double) (e.last_us - e.first_us) / 1e6);
  *trades = stats.trades;
  *books = stats.books;
  printf ("end to end: %" PRId64 " frames, %" PRId64 " trades and %" PRId64 " books written, "
          "%" PRId64 " gaps: %.0f frames/s\n", stats.messages, stats.trades, stats.books,
          stats.gaps, *frames_per_s);
  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return stats.gaps == 0 && stats.messages == E2E;
}

int
main (void)
{
  double snapshot_ms = 0, coinbase = 0, kraken = 0, e2e = 0;
  int64_t trades = 0, books = 0;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  printf ("bench-stream (%s build)\n", HS_BENCH_BUILDTYPE);
  if (!bench_coinbase (&snapshot_ms, &coinbase) || !bench_kraken (&kraken)
      || !bench_end_to_end (&e2e, &trades, &books))
    return 1;
  printf ("{\"snapshot_ms\":%.1f,\"coinbase_frames_per_s\":%.0f,\"kraken_frames_per_s\":%.0f,"
          "\"end_to_end_frames_per_s\":%.0f,\"trades\":%" PRId64 ",\"books\":%" PRId64 "}\n",
          snapshot_ms, coinbase, kraken, e2e, trades, books);
  return 0;
}
