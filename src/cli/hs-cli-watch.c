/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeping data coming (docs/fetch.md):
 *
 *   watch add --provider P --symbol S --kind K [--interval I] [--every SECONDS] [--disabled]
 *   watch remove ID | watch remove --provider P --symbol S --kind K [--interval I]
 *   watch list [--json]
 *   poll [--once] [--workers N] [--seconds N]     the watch list, in the foreground
 *   backfill --provider P --symbol S --interval I --from D [--to D] [--max-windows N]
 *   backfill --gaps --provider P --symbol S --interval I [--from D] [--to D]
 *   backfill list [--json]
 *
 * Requests go to each provider's $HINDSIGHT_<PROVIDER>_BASE_URL when set (the poller has no
 * --base-url: its entries span providers). Ctrl-C stops poll and backfill cleanly: what was
 * stored stays, and a backfill goes on from there next time.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hs-backfill.h"
#include "hs-cli-common.h"
#include "hs-cli-fetch.h"
#include "hs-poller.h"
#include "hs-store-watch.h"
#include "hs-time.h"
#include "hs-watch-job.h"

static void
json_time (GString *out,
           int64_t  ts)
{
  char buf[40];

  if (ts == 0)
    {
      g_string_append (out, "null");
      return;
    }
  hs_time_format_iso_buf (ts, buf);
  hs_cli_json_string (out, buf);
}

static const char *
time_text (int64_t ts,
           char    buf[40])
{
  if (ts == 0)
    return "-";
  hs_time_format_iso_buf (ts, buf);
  /* Whole seconds are enough in a table. */
  if (strlen (buf) > 20 && buf[19] == '.')
    {
      buf[19] = 'Z';
      buf[20] = '\0';
    }
  return buf;
}

/* ------------------------------------------------------------------------------------------ */
/* watch                                                                                       */

static void
print_watch_json (GPtrArray *entries)
{
  g_autoptr(GString) out = g_string_new ("{\"watch\":[");

  for (guint i = 0; i < entries->len; i++)
    {
      const HsWatchEntry *e = entries->pdata[i];

      g_string_append_printf (out, "%s\n{\"id\":%" G_GINT64_FORMAT ",\"provider\":", i ? "," : "",
                              e->id);
      hs_cli_json_string (out, e->provider);
      g_string_append (out, ",\"kind\":");
      hs_cli_json_string (out, e->kind);
      g_string_append (out, ",\"symbol\":");
      hs_cli_json_string (out, e->symbol);
      g_string_append (out, ",\"interval\":");
      hs_cli_json_text (out, e->interval);
      g_string_append (out, ",\"period_s\":");
      hs_cli_json_computed (out, e->period_s);
      g_string_append_printf (out, ",\"enabled\":%s,\"runs\":%" G_GINT64_FORMAT
                              ",\"rows_inserted\":%" G_GINT64_FORMAT ",\"failures\":%d",
                              e->enabled ? "true" : "false", e->runs, e->rows_inserted,
                              e->failures);
      g_string_append (out, ",\"last_run\":");
      json_time (out, e->last_run);
      g_string_append (out, ",\"last_success\":");
      json_time (out, e->last_success);
      g_string_append (out, ",\"next_due\":");
      json_time (out, e->next_due);
      g_string_append (out, ",\"last_error\":");
      hs_cli_json_text (out, e->last_error);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "\n]}\n");
  fputs (out->str, stdout);
}

static void
print_watch_text (GPtrArray *entries)
{
  if (entries->len == 0)
    {
      printf ("the watch list is empty (add to it with `hindsight-cli watch add`)\n");
      return;
    }
  printf ("%4s %-18s %-10s %-20s %-4s %7s %-3s %6s %8s %-20s %-20s %s\n", "id", "provider",
          "kind", "symbol", "int", "every", "on", "runs", "rows", "last success", "next due",
          "failing");
  for (guint i = 0; i < entries->len; i++)
    {
      const HsWatchEntry *e = entries->pdata[i];
      char a[40], b[40];

      printf ("%4" G_GINT64_FORMAT " %-18s %-10s %-20s %-4s %6gs %-3s %6" G_GINT64_FORMAT " %8"
              G_GINT64_FORMAT " %-20s %-20s %d\n", e->id, e->provider, e->kind, e->symbol,
              e->interval ? e->interval : "-", e->period_s, e->enabled ? "yes" : "no", e->runs,
              e->rows_inserted, time_text (e->last_success, a),
              e->next_due > 0 ? time_text (e->next_due, b) : "now", e->failures);
      if (e->last_error != NULL)
        printf ("     last error: %s\n", e->last_error);
    }
}

int
hs_cli_watch (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("add|remove|list [ID]");
  g_autofree char *provider = NULL, *symbol = NULL, *kind = NULL, *interval = NULL;
  double every = 0;
  gboolean disabled = FALSE, json = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider, "The provider", "P" },
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "The symbol, as the provider names it",
      "S" },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind,
      "candles, trades, book, snapshots, options or instruments", "K" },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Candles: 1m, 1h, 1d …", "I" },
    { "every", 0, 0, G_OPTION_ARG_DOUBLE, &every,
      "Seconds between runs (default: 5 for Kalshi snapshots, 60 for candles …)", "S" },
    { "disabled", 0, 0, G_OPTION_ARG_NONE, &disabled, "Add it switched off", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "list: print as JSON", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  const char *verb;

  g_option_context_set_summary (context,
    "The watch list the poller (`hindsight-cli poll`) keeps fetching: add an entry (or change\n"
    "an existing one's period), remove one by id or by what it fetches, list them with their\n"
    "last success, last error and next run.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  verb = argc >= 2 ? argv[1] : "list";
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (g_steal_pointer (&error));

  if (g_str_equal (verb, "list"))
    {
      g_autoptr(GPtrArray) list = NULL;

      if (argc > 2)
        return hs_cli_usage_error ("watch list takes no arguments");
      list = hs_store_watch_list (store, &error);
      if (list == NULL)
        return hs_cli_fail (g_steal_pointer (&error));
      if (json)
        print_watch_json (list);
      else
        print_watch_text (list);
      return HS_EXIT_OK;
    }
  if (g_str_equal (verb, "add"))
    {
      HsFetchKind k;
      int64_t id = 0;
      gboolean created = FALSE;

      if (argc != 2 || provider == NULL || symbol == NULL || kind == NULL)
        return hs_cli_usage_error ("usage: watch add --provider P --symbol S --kind K "
                                   "[--interval I] [--every SECONDS]");
      if (!hs_watch_check_series (provider, kind, interval, &k, &error))
        return hs_cli_usage_error ("%s", error->message);
      if (!hs_watch_check_period (provider, k, every, &every, &error))
        return hs_cli_usage_error ("%s", error->message);
      if (!hs_store_watch_add (store, provider, symbol, kind, interval, every, !disabled,
                               hs_time_now_us (), &id, &created, &error))
        return hs_cli_fail (g_steal_pointer (&error));
      printf ("%s #%" G_GINT64_FORMAT ": %s %s %s%s%s every %g s%s\n",
              created ? "watching" : "changed", id, provider, kind, symbol,
              interval ? " " : "", interval ? interval : "", every, disabled ? " (disabled)" : "");
      return HS_EXIT_OK;
    }
  if (g_str_equal (verb, "remove"))
    {
      int64_t id = 0;

      if (argc == 3)
        {
          if (!hs_parse_int64 (argv[2], &id) || id <= 0)
            return hs_cli_usage_error ("“%s” is not a watch list id", argv[2]);
        }
      else if (argc == 2 && provider != NULL && symbol != NULL && kind != NULL)
        {
          if (!hs_store_watch_find (store, provider, symbol, kind, interval, &id, &error))
            return hs_cli_fail (g_steal_pointer (&error));
          if (id == 0)
            {
              g_printerr ("hindsight-cli: %s %s %s%s%s is not on the watch list\n", provider,
                          kind, symbol, interval ? " " : "", interval ? interval : "");
              return HS_EXIT_FAILURE;
            }
        }
      else
        return hs_cli_usage_error ("usage: watch remove ID, or watch remove --provider P "
                                   "--symbol S --kind K [--interval I]");
      if (!hs_store_watch_remove (store, id, &error))
        return hs_cli_fail (g_steal_pointer (&error));
      printf ("removed #%" G_GINT64_FORMAT "\n", id);
      return HS_EXIT_OK;
    }
  return hs_cli_usage_error ("unknown watch command “%s”: add, remove or list", verb);
}

/* ------------------------------------------------------------------------------------------ */
/* poll                                                                                        */

typedef struct
{
  HsPollerOptions options;
  HsPollerStats   stats;
  gboolean        json;
} PollRun;

static void
poll_run_cb (const HsWatchEntry  *entry,
             const HsFetchResult *result,
             const GError        *error,
             gpointer             data)
{
  PollRun *run = data;
  HsFetchRequest req = { 0 };

  hs_fetch_request_init (&req);
  req.provider = entry->provider;
  req.symbol = entry->symbol;
  req.interval = entry->interval;
  hs_fetch_kind_from_string (entry->kind, &req.kind);
  if (run->json)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      g_string_append_printf (out, "{\"watch\":%" G_GINT64_FORMAT ",\"run\":", entry->id);
      hs_cli_fetch_json (out, &req, result, error);
      g_string_append (out, "}\n");
      fputs (out->str, stdout);
    }
  else
    {
      char now[40];

      printf ("%s #%" G_GINT64_FORMAT " ", time_text (hs_time_now_us (), now), entry->id);
      if (error != NULL)
        printf ("%s %s %s: failed: %s\n", entry->provider, entry->kind, entry->symbol,
                error->message);
      else
        {
          g_autoptr(GString) line = g_string_new (NULL);

          hs_cli_fetch_line (line, &req, result);
          printf ("%s\n", line->str);
        }
    }
  fflush (stdout);
}

static gboolean
poll_work (gpointer      data,
           GCancellable *cancellable,
           GError      **error)
{
  PollRun *run = data;

  return hs_poller_run (&run->options, poll_run_cb, run, cancellable, &run->stats, error);
}

int
hs_cli_poll (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *now = NULL, *db = NULL;
  gboolean once = FALSE, json = FALSE, interrupted = FALSE;
  int workers = 0, attempts = 0, timeout = 0;
  double seconds = 0;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "Run each entry that is due once, then stop",
      NULL },
    { "workers", 0, 0, G_OPTION_ARG_INT, &workers, "Fetches at the same time (default 4)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds,
      "Stop after N seconds (default: run until Ctrl-C)", "N" },
    { "attempts", 0, 0, G_OPTION_ARG_INT, &attempts,
      "HTTP attempts per request, retries included (default 4)", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Seconds one attempt may take (default 30)",
      "S" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now,
      "Make the requests as at this time (replaying recorded answers; tests)", "T" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per run, then the totals", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  PollRun run = { 0 };
  gboolean ok;

  g_option_context_set_summary (context,
    "Runs the watch list (`hindsight-cli watch`) in the foreground: every entry whose time has\n"
    "come is fetched on a pool of workers and its next run scheduled, until Ctrl-C (or\n"
    "--seconds). With --once each entry due now runs once. A line per run; the totals at the end.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return hs_cli_usage_error ("poll takes no arguments");
  if (workers < 0 || workers > 64 || !(seconds >= 0) || attempts < 0 || timeout < 0)
    return hs_cli_usage_error ("--workers must be 1 to 64; --seconds, --attempts and --timeout "
                               "not negative");
  if (now != NULL && !hs_cli_parse_now (now, &run.options.now, &error))
    return hs_cli_usage_error ("%s", error->message);
  db = hs_cli_prepare_db (&status);
  if (db == NULL)
    return status;
  run.options.db_path = db;
  run.options.workers = workers;
  run.options.once = once;
  run.options.seconds = seconds;
  run.options.attempts = attempts;
  run.options.timeout_s = timeout;
  run.json = json;
  ok = hs_cli_run_interruptible (poll_work, &run, &interrupted, &error);
  if (json)
    printf ("{\"cycles\":%" G_GINT64_FORMAT ",\"runs\":%" G_GINT64_FORMAT ",\"failures\":%"
            G_GINT64_FORMAT ",\"rows\":%" G_GINT64_FORMAT ",\"inserted\":%" G_GINT64_FORMAT
            ",\"duplicates\":%" G_GINT64_FORMAT ",\"interrupted\":%s}\n", run.stats.cycles,
            run.stats.runs, run.stats.failures, run.stats.rows, run.stats.inserted,
            run.stats.duplicates, interrupted ? "true" : "false");
  else
    printf ("poll: %" G_GINT64_FORMAT " %s (%" G_GINT64_FORMAT " failed), %" G_GINT64_FORMAT
            " %s, %" G_GINT64_FORMAT " new, %" G_GINT64_FORMAT " duplicate%s\n",
            run.stats.runs, run.stats.runs == 1 ? "run" : "runs", run.stats.failures,
            run.stats.rows, run.stats.rows == 1 ? "row" : "rows", run.stats.inserted,
            run.stats.duplicates, interrupted ? " (interrupted)" : "");
  fflush (stdout);
  if (!ok)
    return hs_cli_fail (g_steal_pointer (&error));
  return HS_EXIT_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* backfill                                                                                    */

static int
backfill_list (gboolean json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_cli_open_store (hs_cli_db_option, &error);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GString) out = g_string_new (json ? "{\"backfills\":[" : NULL);

  if (store == NULL || (list = hs_store_backfill_list (store, &error)) == NULL)
    return hs_cli_fail (g_steal_pointer (&error));
  if (!json && list->len == 0)
    g_string_append (out, "no backfills yet\n");
  for (guint i = 0; i < list->len; i++)
    {
      const HsBackfillState *s = list->pdata[i];
      char a[40], b[40], c[40];

      if (json)
        {
          g_string_append_printf (out, "%s\n{\"id\":%" G_GINT64_FORMAT ",\"provider\":",
                                  i ? "," : "", s->id);
          hs_cli_json_string (out, s->provider);
          g_string_append (out, ",\"kind\":");
          hs_cli_json_string (out, s->kind);
          g_string_append (out, ",\"symbol\":");
          hs_cli_json_string (out, s->symbol);
          g_string_append (out, ",\"interval\":");
          hs_cli_json_text (out, s->interval);
          g_string_append (out, ",\"from\":");
          json_time (out, s->start_ts);
          g_string_append (out, ",\"to\":");
          json_time (out, s->end_ts);
          g_string_append (out, ",\"resume_from\":");
          json_time (out, s->resume_from);
          g_string_append (out, ",\"covered_to\":");
          json_time (out, s->covered_to);
          g_string_append (out, ",\"cursor\":");
          hs_cli_json_text (out, s->cursor);
          g_string_append_printf (out, ",\"done\":%s,\"windows\":%" G_GINT64_FORMAT
                                  ",\"rows_inserted\":%" G_GINT64_FORMAT ",\"last_error\":",
                                  s->done ? "true" : "false", s->windows, s->rows_inserted);
          hs_cli_json_text (out, s->last_error);
          g_string_append_c (out, '}');
        }
      else
        {
          g_string_append_printf (out, "#%" G_GINT64_FORMAT " %s %s %s%s%s from %s to %s: ",
                                  s->id, s->provider, s->kind, s->symbol,
                                  s->interval ? " " : "", s->interval ? s->interval : "",
                                  time_text (s->start_ts, a),
                                  s->end_ts ? time_text (s->end_ts, b) : "now");
          if (s->done)
            g_string_append_printf (out, "done up to %s", time_text (s->covered_to, c));
          else
            g_string_append_printf (out, "goes on at %s",
                                    s->resume_from ? time_text (s->resume_from, c)
                                    : s->cursor ? s->cursor : "the start");
          g_string_append_printf (out, "; %" G_GINT64_FORMAT " windows, %" G_GINT64_FORMAT
                                  " rows added\n", s->windows, s->rows_inserted);
          if (s->last_error != NULL)
            g_string_append_printf (out, "    last error: %s\n", s->last_error);
        }
    }
  if (json)
    g_string_append (out, "\n]}\n");
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

typedef struct
{
  const char           *db;
  const HsFetchRequest *request;
  gboolean              gaps;
  gboolean              progress;
  HsBackfillResult      result;
} BackfillRun;

static void
backfill_progress_cb (double      fraction,
                      const char *message,
                      gpointer    data)
{
  hs_cli_progress_cb (fraction, message, "backfilling");
}

static gboolean
backfill_work (gpointer      data,
               GCancellable *cancellable,
               GError      **error)
{
  BackfillRun *run = data;
  g_autoptr(HsStore) store = hs_store_open (run->db, HS_STORE_OPEN_DEFAULT, error);
  HsJobProgressFunc progress = run->progress ? backfill_progress_cb : NULL;

  if (store == NULL)
    {
      memset (&run->result, 0, sizeof run->result);
      hs_fetch_result_init (&run->result.fetch);
      return FALSE;
    }
  if (run->gaps)
    return hs_backfill_gaps (store, run->request, progress, NULL, cancellable, &run->result,
                             error);
  return hs_backfill_run (store, run->request, progress, NULL, cancellable, &run->result, error);
}

static void
print_backfill (const BackfillRun *run,
                gboolean           json,
                const GError      *error)
{
  const HsBackfillResult *r = &run->result;

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("{\"backfill\":");

      g_string_append_printf (out, "%" G_GINT64_FORMAT ",\"resumed\":%s,\"resumed_from\":",
                              r->state_id, r->resumed ? "true" : "false");
      json_time (out, r->resumed_from);
      g_string_append_printf (out, ",\"done\":%s,\"up_to_date\":%s,\"windows\":%"
                              G_GINT64_FORMAT ",\"gaps\":%" G_GINT64_FORMAT ",\"gaps_failed\":%"
                              G_GINT64_FORMAT ",\"fetch\":", r->done ? "true" : "false",
                              r->up_to_date ? "true" : "false", r->windows, r->gaps,
                              r->gaps_failed);
      hs_cli_fetch_json (out, run->request, &r->fetch, error);
      g_string_append (out, "}\n");
      fputs (out->str, stdout);
      return;
    }
  if (r->up_to_date)
    {
      printf ("backfill #%" G_GINT64_FORMAT " is complete already (%" G_GINT64_FORMAT
              " windows): nothing to do\n", r->state_id, r->windows);
      return;
    }
  hs_cli_fetch_summary (stdout, run->request, &r->fetch);
  if (run->gaps)
    printf ("  %" G_GINT64_FORMAT " gaps found, %" G_GINT64_FORMAT " fetched\n", r->gaps,
            r->gaps - r->gaps_failed);
  else
    {
      char when[40];

      printf ("  backfill #%" G_GINT64_FORMAT ": %" G_GINT64_FORMAT " windows stored%s%s; %s\n",
              r->state_id, r->windows, r->resumed ? ", went on at " : "",
              r->resumed ? time_text (r->resumed_from, when) : "",
              r->done ? "done" : "not done: run the same command again to go on");
    }
}

int
hs_cli_backfill (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[list]");
  g_autofree char *provider = NULL, *symbol = NULL, *interval = NULL, *kind = NULL;
  g_autofree char *from = NULL, *to = NULL, *base_url = NULL, *now = NULL, *db = NULL;
  gboolean gaps = FALSE, json = FALSE, interrupted = FALSE;
  int max_windows = 0, attempts = 0, timeout = 0;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider, "The provider", "P" },
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "The symbol, as the provider names it",
      "S" },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Candles: 1m, 1h, 1d …", "I" },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, "candles (default) or trades", "K" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Start of the history (ISO-8601 UTC)", "D" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "End, inclusive (default: now)", "D" },
    { "gaps", 0, 0, G_OPTION_ARG_NONE, &gaps,
      "Fetch exactly the missing candle ranges `hindsight-cli gaps` reports", NULL },
    { "max-windows", 0, 0, G_OPTION_ARG_INT, &max_windows,
      "Stop after N windows (run again to go on)", "N" },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      "Send requests here (default: $HINDSIGHT_<PROVIDER>_BASE_URL, else the provider's)", "URL" },
    { "attempts", 0, 0, G_OPTION_ARG_INT, &attempts,
      "HTTP attempts per request, retries included (default 4)", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Seconds one attempt may take (default 30)",
      "S" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now,
      "Make the requests as at this time (replaying recorded answers; tests)", "T" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as JSON", NULL },
    { NULL }
  };
  g_auto(HsFetchRequest) req = { 0 };
  g_autoptr(GError) error = NULL;
  BackfillRun run = { 0 };
  HsFetchKind k;
  gboolean ok;

  g_option_context_set_summary (context,
    "Fills a series' history from --from to --to (default now) in the provider's windows.\n"
    "The resume point is saved with every window, so a backfill stopped by Ctrl-C, a crash or\n"
    "a failed request goes on where it stopped when run again; run again after it is done, it\n"
    "fetches what came since. With --gaps it fetches exactly the missing candle ranges.\n"
    "`backfill list` shows every backfill and where it stands.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc == 2 && g_str_equal (argv[1], "list"))
    return backfill_list (json);
  if (argc != 1)
    return hs_cli_usage_error ("backfill takes options only (or `backfill list`)");
  if (provider == NULL || symbol == NULL)
    return hs_cli_usage_error ("backfill needs --provider and --symbol");
  if (!hs_watch_check_series (provider, kind ? kind : "candles", interval, &k, &error))
    return hs_cli_usage_error ("%s", error->message);
  if (k != HS_FETCH_CANDLES && k != HS_FETCH_TRADES)
    return hs_cli_usage_error ("a backfill fetches candles or trades");
  if (!gaps && from == NULL)
    return hs_cli_usage_error ("backfill needs --from (the start of the history) or --gaps");
  if (max_windows < 0)
    return hs_cli_usage_error ("--max-windows must not be negative");
  hs_fetch_request_init (&req);
  req.kind = k;
  {
    HsCliFetchOptions o = { provider, symbol, interval, base_url, from, to, now, attempts,
                            timeout };

    if (!hs_cli_fetch_request_fill (&req, &o, &status))
      return status;
  }
  req.max_pages = max_windows;
  db = hs_cli_prepare_db (&status);
  if (db == NULL)
    return status;
  run.db = db;
  run.request = &req;
  run.gaps = gaps;
  run.progress = !json && isatty (STDERR_FILENO);
  ok = hs_cli_run_interruptible (backfill_work, &run, &interrupted, &error);
  print_backfill (&run, json, ok ? NULL : error);
  fflush (stdout);
  if (!ok)
    {
      status = hs_cli_fetch_status (error);
      if (interrupted)
        g_printerr ("hindsight-cli: interrupted; %" G_GINT64_FORMAT " windows are stored, and "
                    "the same command goes on from there\n", run.result.windows);
      else
        g_printerr ("hindsight-cli: %s\n", error->message);
    }
  hs_backfill_result_clear (&run.result);
  return status;
}
