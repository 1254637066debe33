/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `stream --provider coinbase|coinbase-exchange|kraken --symbol S [--url URL] [--seconds N]
 * [--json]`: a live WebSocket feed into the database (src/jobs/hs-stream.c,
 * docs/streaming.md) until --seconds have passed or Ctrl-C, then a summary of what it saw and
 * wrote. The stream runs on a worker; this thread waits in a main loop for SIGINT/SIGTERM.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "hs-cli-common.h"
#include "hs-fetch-repair.h"
#include "hs-stream.h"

typedef struct
{
  GMainLoop     *loop;
  GCancellable  *cancellable;
  gboolean       ok;
  HsStreamStats  stats;
  GError        *error;
  gboolean       interrupted;
} StreamRun;

static gboolean
interrupt_cb (gpointer data)
{
  StreamRun *run = data;

  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  StreamRun *run = data;

  run->ok = hs_stream_finish (result, &run->stats, &run->error);
  g_main_loop_quit (run->loop);
}

static void
print_json (const HsStreamRequest *req,
            const char            *url,
            double                 elapsed,
            const StreamRun       *run)
{
  const HsStreamStats *s = &run->stats;
  g_autoptr(GString) out = g_string_new ("{\"provider\":");

  hs_cli_json_string (out, hs_stream_provider_to_string (req->provider));
  g_string_append (out, ",\"symbol\":");
  hs_cli_json_string (out, req->symbol);
  g_string_append (out, ",\"url\":");
  hs_cli_json_string (out, url);
  g_string_append (out, ",\"seconds\":");
  hs_cli_json_computed (out, elapsed);
  g_string_append_printf (out, ",\"interrupted\":%s", run->interrupted ? "true" : "false");
#define FIELD(name) g_string_append_printf (out, ",\"" #name "\":%" G_GINT64_FORMAT, s->name)
  FIELD (messages);
  FIELD (malformed);
  FIELD (trades);
  FIELD (duplicates);
  FIELD (filled);
  FIELD (book_events);
  FIELD (books);
  FIELD (dropped);
  FIELD (crossed);
  FIELD (unverified);
  FIELD (gaps);
  FIELD (resyncs);
  FIELD (resync_failures);
  FIELD (provider_errors);
  FIELD (connections);
  FIELD (reconnects);
  FIELD (connect_failures);
#undef FIELD
  g_string_append (out, ",\"last_sequence\":");
  if (s->last_sequence >= 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, s->last_sequence);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"last_error\":");
  hs_cli_json_text (out, s->last_error[0] ? s->last_error : NULL);
  g_string_append (out, "}\n");
  fputs (out->str, stdout);
}

static void
print_text (const HsStreamRequest *req,
            const char            *url,
            double                 elapsed,
            const StreamRun       *run)
{
  const HsStreamStats *s = &run->stats;

  printf ("%s %s from %s: %.1f s%s\n", hs_stream_provider_to_string (req->provider),
          req->symbol, url, elapsed, run->interrupted ? " (interrupted)" : "");
  printf ("  messages     %8" G_GINT64_FORMAT "  malformed %" G_GINT64_FORMAT
          ", provider errors %" G_GINT64_FORMAT "\n",
          s->messages, s->malformed, s->provider_errors);
  printf ("  trades       %8" G_GINT64_FORMAT "  stored; %" G_GINT64_FORMAT
          " repeated and skipped, %" G_GINT64_FORMAT " recovered over REST\n",
          s->trades, s->duplicates, s->filled);
  printf ("  book         %8" G_GINT64_FORMAT "  messages applied; %" G_GINT64_FORMAT
          " snapshots stored, %" G_GINT64_FORMAT " updates without a book, %" G_GINT64_FORMAT
          " crossed\n", s->book_events, s->books, s->dropped, s->crossed);
  printf ("  gaps         %8" G_GINT64_FORMAT "  recorded; %" G_GINT64_FORMAT
          " book resyncs, %" G_GINT64_FORMAT " REST failures\n",
          s->gaps, s->resyncs, s->resync_failures);
  printf ("  connections  %8" G_GINT64_FORMAT "  opened; %" G_GINT64_FORMAT
          " reconnects, %" G_GINT64_FORMAT " failed attempts\n",
          s->connections, s->reconnects, s->connect_failures);
  if (s->last_error[0] != '\0')
    printf ("  last problem: %s\n", s->last_error);
}

int
hs_cli_stream (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *provider = NULL, *symbol = NULL, *url = NULL, *db = NULL;
  double seconds = 0, book_interval = 1.0;
  int book_depth = 10, kraken_depth = 10;
  gboolean json = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider,
      "coinbase (Advanced Trade), coinbase-exchange or kraken", "P" },
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol,
      "The product: BTC-USD (Coinbase), BTC/USD (Kraken)", "S" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The WebSocket URL (default: "
      "$HINDSIGHT_COINBASE_WS_URL, $HINDSIGHT_COINBASE_EXCHANGE_WS_URL or "
      "$HINDSIGHT_KRAKEN_WS_URL, else the provider's public feed)", "URL" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds,
      "Stop after N seconds (default: run until Ctrl-C)", "N" },
    { "book-depth", 0, 0, G_OPTION_ARG_INT, &book_depth,
      "Levels per side in a stored book snapshot (default 10)", "N" },
    { "book-interval", 0, 0, G_OPTION_ARG_DOUBLE, &book_interval,
      "At most one stored book snapshot per this many seconds of exchange time (default 1)",
      "S" },
    { "kraken-depth", 0, 0, G_OPTION_ARG_INT, &kraken_depth,
      "Kraken book subscription depth: 10, 25, 100, 500 or 1000 (default 10)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as JSON", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsFetchRepair) repair = NULL;
  g_autoptr(GError) metrics_error = NULL;
  HsStreamRequest req;
  StreamRun run = { 0 };
  g_autofree char *used_url = NULL;
  int64_t started;
  double elapsed;
  guint sigint, sigterm;

  g_option_context_set_summary (context,
    "Streams trades and the order book of one product from a provider's WebSocket feed into\n"
    "the database, checking sequence numbers, trade ids and checksums; every gap is recorded\n"
    "(table stream_gaps) and the book resubscribed. Ctrl-C stops and prints what was stored.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return hs_cli_usage_error ("stream takes no arguments, only options");
  hs_stream_request_init (&req);
  if (provider == NULL || !hs_stream_provider_from_string (provider, &req.provider))
    return hs_cli_usage_error ("stream needs --provider coinbase, coinbase-exchange or kraken");
  if (symbol == NULL || symbol[0] == '\0')
    return hs_cli_usage_error ("stream needs --symbol, e.g. BTC-USD (Coinbase) or BTC/USD "
                               "(Kraken)");
  if (!(seconds >= 0) || !(book_interval > 0) || book_depth <= 0 || book_depth > 1000)
    return hs_cli_usage_error ("--seconds must be 0 or more, --book-interval above 0, "
                               "--book-depth 1 to 1000");
  if (req.provider == HS_STREAM_KRAKEN && kraken_depth != 10 && kraken_depth != 25
      && kraken_depth != 100 && kraken_depth != 500 && kraken_depth != 1000)
    return hs_cli_usage_error ("--kraken-depth must be 10, 25, 100, 500 or 1000");
  used_url = url != NULL ? g_strdup (url) : hs_stream_default_url (req.provider);
  if (!g_str_has_prefix (used_url, "ws://") && !g_str_has_prefix (used_url, "wss://"))
    return hs_cli_usage_error ("--url must be a ws:// or wss:// URL, not %s", used_url);

  /* Create and migrate the database here, so that a bad path fails before any connection. */
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (g_steal_pointer (&error));
  g_clear_pointer (&store, hs_store_close);
  db = hs_cli_db_path (hs_cli_db_option);

  req.symbol = symbol;
  req.url = used_url;
  req.db_path = db;
  req.seconds = seconds;
  req.book_depth = book_depth;
  req.book_interval_us = (int64_t) (book_interval * G_USEC_PER_SEC);
  req.kraken_depth = kraken_depth;
  /* Gaps are repaired over REST (the provider's book, the missing trades), and the stream's
   * counts go to system_metrics (src/jobs/hs-fetch-repair.c). */
  repair = hs_fetch_repair_new (db);
  hs_fetch_repair_attach (repair, &req);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  run.loop = loop;
  run.cancellable = cancellable;
  sigint = g_unix_signal_add (SIGINT, interrupt_cb, &run);
  sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, &run);
  started = g_get_monotonic_time ();
  hs_stream_async (&req, cancellable, done_cb, &run);
  g_main_loop_run (loop);
  elapsed = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (!hs_fetch_repair_finish (repair, &run.stats, &metrics_error))
    g_printerr ("hindsight-cli: the stream's counts were not recorded: %s\n",
                metrics_error->message);

  if (json)
    print_json (&req, used_url, elapsed, &run);
  else
    print_text (&req, used_url, elapsed, &run);
  fflush (stdout);
  if (!run.ok)
    return hs_cli_fail (run.error);
  return HS_EXIT_OK;
}
