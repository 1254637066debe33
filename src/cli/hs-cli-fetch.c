/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Live data from the command line (docs/fetch.md):
 *
 *   fetch candles|trades|book|snapshots|options|instruments --provider P --symbol S
 *         [--interval I] [--from D] [--to D] [--base-url URL] [--json] …
 *   providers [--json]               what each provider serves, its limits, whether a key is set
 *   keys set|clear PROVIDER          a provider's token in the OS keyring (set reads stdin)
 *
 * A fetch runs on a worker thread (src/jobs/hs-fetch.c) while this one waits for Ctrl-C, which
 * cancels it between pages or mid-request: every page stored before stays stored. Progress goes
 * to stderr when it is a terminal; the summary (rows new, duplicate, skipped; requests; seconds)
 * to stdout.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include "hs-cli-fetch.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hs-cli-common.h"
#include "hs-keyring.h"
#include "hs-provider.h"
#include "hs-time.h"

/* ------------------------------------------------------------------------------------------ */
/* Shared                                                                                      */

typedef struct
{
  HsCliWorkFunc  work;
  gpointer       data;
  GCancellable  *cancellable;
  GMainContext  *context;
  gboolean       done;     /* (atomic) */
  gboolean       ok;
  GError        *error;
} Interruptible;

static gboolean
interrupted_cb (gpointer data)
{
  gboolean *interrupted = ((gpointer *) data)[0];
  GCancellable *cancellable = ((gpointer *) data)[1];

  *interrupted = TRUE;
  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

static gpointer
interruptible_thread (gpointer data)
{
  Interruptible *run = data;

  run->ok = run->work (run->data, run->cancellable, &run->error);
  g_atomic_int_set (&run->done, TRUE);
  g_main_context_wakeup (run->context);
  return NULL;
}

/**
 * hs_cli_run_interruptible:
 * @interrupted: (out): whether Ctrl-C (or SIGTERM) asked it to stop
 *
 * Runs @work on a thread of its own and waits, serving SIGINT and SIGTERM by cancelling it.
 */
gboolean
hs_cli_run_interruptible (HsCliWorkFunc  work,
                          gpointer       data,
                          gboolean      *interrupted,
                          GError       **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  Interruptible run = { work, data, cancellable, context, FALSE, FALSE, NULL };
  gpointer signal_data[2] = { interrupted, cancellable };
  GSource *sources[2];
  GThread *thread;

  *interrupted = FALSE;
  g_main_context_push_thread_default (context);
  for (int i = 0; i < 2; i++)
    {
      sources[i] = g_unix_signal_source_new (i == 0 ? SIGINT : SIGTERM);
      g_source_set_callback (sources[i], interrupted_cb, signal_data, NULL);
      g_source_attach (sources[i], context);
    }
  thread = g_thread_new ("hs-cli-work", interruptible_thread, &run);
  while (!g_atomic_int_get (&run.done))
    g_main_context_iteration (context, TRUE);
  g_thread_join (thread);
  for (int i = 0; i < 2; i++)
    {
      g_source_destroy (sources[i]);
      g_source_unref (sources[i]);
    }
  g_main_context_pop_thread_default (context);
  if (!run.ok)
    g_propagate_error (error, run.error);
  return run.ok;
}

/* A usage problem (an unknown provider, kind or interval, a bad base URL, a query the provider
 * cannot answer) is exit status 2; anything at run time (network, provider, store, token) 1. */
int
hs_cli_fetch_status (const GError *error)
{
  if (g_error_matches (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE)
      || g_error_matches (error, HS_PROVIDER_ERROR, HS_PROVIDER_ERROR_INVALID)
      || g_error_matches (error, HS_PROVIDER_ERROR, HS_PROVIDER_ERROR_UNSUPPORTED)
      || error->domain == G_OPTION_ERROR)
    return HS_EXIT_BAD_INPUT;
  return HS_EXIT_FAILURE;
}

/* --now: any form hs_time_parse() takes, in UTC. */
gboolean
hs_cli_parse_now (const char *text,
                  int64_t    *out,
                  GError    **error)
{
  if (!hs_time_parse (text, NULL, out, error))
    {
      g_prefix_error (error, "bad --now: ");
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_cli_fetch_request_fill:
 * @status: (out): the exit status when it fails
 *
 * Sets @request's provider, symbol, interval, base URL, range, now, attempts and timeout from
 * the options; a bad time or a negative number is a usage error, printed.
 */
gboolean
hs_cli_fetch_request_fill (HsFetchRequest          *request,
                           const HsCliFetchOptions *o,
                           int                     *status)
{
  g_autoptr(GError) error = NULL;

  if (o->attempts < 0 || o->timeout < 0)
    {
      *status = hs_cli_usage_error ("--attempts and --timeout must not be negative");
      return FALSE;
    }
  if ((o->from != NULL && !hs_time_parse_bound (o->from, FALSE, &request->from, &error))
      || (o->to != NULL && !hs_time_parse_bound (o->to, TRUE, &request->to, &error))
      || (o->now != NULL && !hs_cli_parse_now (o->now, &request->now, &error)))
    {
      *status = hs_cli_usage_error ("%s", error->message);
      return FALSE;
    }
  request->provider = g_strdup (o->provider);
  request->symbol = g_strdup (o->symbol);
  request->interval = g_strdup (o->interval);
  request->base_url = g_strdup (o->base_url);
  request->attempts = o->attempts;
  request->timeout_s = o->timeout;
  return TRUE;
}

/**
 * hs_cli_prepare_db:
 * @status: (out): the exit status when it fails
 *
 * Creates and migrates the database before a job starts, so that a bad path fails before any
 * request.
 *
 * Returns: (transfer full) (nullable): its path, for the job's own connection
 */
char *
hs_cli_prepare_db (int *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_cli_open_store (hs_cli_db_option, &error);

  if (store == NULL)
    {
      *status = hs_cli_fail (g_steal_pointer (&error));
      return NULL;
    }
  return hs_cli_db_path (hs_cli_db_option);
}

static const char *
plural (int64_t     n,
        const char *one,
        const char *many)
{
  return n == 1 ? one : many;
}

/* "kraken trades BTC/USDT: 1000 rows, 1000 new, 0 duplicate, 0 skipped; 2 requests, 1.20 s"
 * (and the new instruments, where an unfinished walk goes on), without a newline. */
void
hs_cli_fetch_line (GString              *out,
                   const HsFetchRequest *request,
                   const HsFetchResult  *result)
{
  const char *symbol = result->instrument != NULL ? result->instrument
                       : request->symbol != NULL ? request->symbol : "";

  g_string_append_printf (out, "%s %s %s%s%s: %" G_GINT64_FORMAT " %s, %" G_GINT64_FORMAT
                          " new, %" G_GINT64_FORMAT " duplicate, %" G_GINT64_FORMAT
                          " skipped; %" G_GINT64_FORMAT " %s, %.2f s", request->provider,
                          hs_fetch_kind_to_string (request->kind), symbol,
                          request->kind == HS_FETCH_CANDLES && request->interval ? " " : "",
                          request->kind == HS_FETCH_CANDLES && request->interval
                          ? request->interval : "",
                          result->rows, plural (result->rows, "row", "rows"), result->inserted,
                          result->duplicates, result->skipped, result->requests,
                          plural (result->requests, "request", "requests"), result->seconds);
  if (result->instruments > 0)
    g_string_append_printf (out, "; %" G_GINT64_FORMAT " new %s", result->instruments,
                            plural (result->instruments, "instrument", "instruments"));
  if (result->next_cursor != NULL)
    g_string_append_printf (out, "; stopped before the page at cursor %s", result->next_cursor);
}

/* The summary line and, when rows were stored, their time range on a second line. */
void
hs_cli_fetch_summary (FILE                 *out,
                      const HsFetchRequest *request,
                      const HsFetchResult  *result)
{
  g_autoptr(GString) line = g_string_new (NULL);

  hs_cli_fetch_line (line, request, result);
  fprintf (out, "%s\n", line->str);
  if (result->first_ts != 0)
    {
      char a[40], b[40];

      hs_time_format_iso_buf (result->first_ts, a);
      hs_time_format_iso_buf (result->last_ts, b);
      fprintf (out, "  %s … %s\n", a, b);
    }
}

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

/* One JSON object of a run, on one line (without the newline). */
void
hs_cli_fetch_json (GString              *out,
                   const HsFetchRequest *request,
                   const HsFetchResult  *result,
                   const GError         *error)
{
  g_string_append (out, "{\"provider\":");
  hs_cli_json_string (out, request->provider);
  g_string_append (out, ",\"kind\":");
  hs_cli_json_string (out, hs_fetch_kind_to_string (request->kind));
  g_string_append (out, ",\"symbol\":");
  hs_cli_json_text (out, request->symbol);
  g_string_append (out, ",\"instrument\":");
  hs_cli_json_text (out, result->instrument);
  g_string_append (out, ",\"interval\":");
  hs_cli_json_text (out, request->kind == HS_FETCH_CANDLES ? request->interval : NULL);
#define FIELD(name) g_string_append_printf (out, ",\"" #name "\":%" G_GINT64_FORMAT, result->name)
  FIELD (pages);
  FIELD (requests);
  FIELD (attempts);
  FIELD (rows);
  FIELD (inserted);
  FIELD (duplicates);
  FIELD (skipped);
  FIELD (instruments);
#undef FIELD
  g_string_append (out, ",\"first\":");
  json_time (out, result->first_ts);
  g_string_append (out, ",\"last\":");
  json_time (out, result->last_ts);
  g_string_append (out, ",\"seconds\":");
  hs_cli_json_computed (out, result->seconds);
  g_string_append_printf (out, ",\"complete\":%s", result->complete ? "true" : "false");
  g_string_append (out, ",\"next_cursor\":");
  hs_cli_json_text (out, result->next_cursor);
  g_string_append_printf (out, ",\"alert_raised\":%s", result->alert_raised ? "true" : "false");
  g_string_append (out, ",\"warnings\":[");
  for (guint i = 0; result->warnings != NULL && i < result->warnings->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      hs_cli_json_string (out, result->warnings->pdata[i]);
    }
  g_string_append (out, "],\"error\":");
  hs_cli_json_text (out, error != NULL ? error->message : NULL);
  g_string_append_c (out, '}');
}

/* ------------------------------------------------------------------------------------------ */
/* fetch                                                                                       */

typedef struct
{
  const char           *db;
  const HsFetchRequest *request;
  HsFetchResult         result;
  gboolean              progress;
} FetchRun;

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    data)
{
  hs_cli_progress_cb (fraction, message, "fetching");
}

static gboolean
fetch_work (gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  FetchRun *run = data;

  return hs_fetch_run (run->db, run->request, run->progress ? progress_cb : NULL, NULL,
                       cancellable, &run->result, error);
}

int
hs_cli_fetch (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("KIND");
  g_autofree char *provider = NULL, *symbol = NULL, *interval = NULL, *from = NULL, *to = NULL;
  g_autofree char *base_url = NULL, *now = NULL, *cursor = NULL, *db = NULL;
  int limit = 0, depth = 0, max_pages = 0, attempts = 0, timeout = 0;
  gboolean json = FALSE, interrupted = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider,
      "kalshi, coinbase, coinbase-advanced, yahoo, tradier or kraken (see `providers`)", "P" },
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol,
      "As the provider names it: KXELONMARS-99, BTC-USD, XBTUSD, SPY, ^VIX …; A,B for several "
      "Kalshi markets or Tradier quotes", "S" },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Candles: 1m, 5m, 15m, 1h, 1d …", "I" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Start (ISO-8601 UTC; default: the latest)", "D" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "End, inclusive (default: now)", "D" },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      "Send requests here (default: $HINDSIGHT_<PROVIDER>_BASE_URL, else the provider's)", "URL" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Rows per request (default: the provider's most)",
      "N" },
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth, "Book levels (default 10)", "N" },
    { "max-pages", 0, 0, G_OPTION_ARG_INT, &max_pages, "Stop after N pages", "N" },
    { "cursor", 0, 0, G_OPTION_ARG_STRING, &cursor,
      "Start at this page (a cursor an earlier run printed)", "C" },
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
  FetchRun run = { 0 };
  gboolean ok;

  hs_fetch_request_init (&req);
  g_option_context_set_summary (context,
    "Fetches market data from a provider into the database, page by page; every page is\n"
    "stored in one transaction, and fetching a range again adds nothing.\n"
    "KIND is candles, trades, book, snapshots, options or instruments.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return hs_cli_usage_error ("fetch takes one KIND: candles, trades, book, snapshots, options "
                               "or instruments");
  if (!hs_fetch_kind_from_string (argv[1], &req.kind))
    return hs_cli_usage_error ("unknown kind “%s”: candles, trades, book, snapshots, options or "
                               "instruments", argv[1]);
  if (provider == NULL)
    return hs_cli_usage_error ("fetch needs --provider (see `hindsight-cli providers`)");
  if (limit < 0 || depth < 0 || max_pages < 0)
    return hs_cli_usage_error ("--limit, --depth and --max-pages must not be negative");
  {
    HsCliFetchOptions o = { provider, symbol, interval, base_url, from, to, now, attempts,
                            timeout };

    if (!hs_cli_fetch_request_fill (&req, &o, &status))
      return status;
  }
  req.cursor = g_strdup (cursor);
  req.limit = limit;
  req.depth = depth;
  req.max_pages = max_pages;
  db = hs_cli_prepare_db (&status);
  if (db == NULL)
    return status;

  run.db = db;
  run.request = &req;
  run.progress = !json && isatty (STDERR_FILENO);
  ok = hs_cli_run_interruptible (fetch_work, &run, &interrupted, &error);
  if (json)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      hs_cli_fetch_json (out, &req, &run.result, ok ? NULL : error);
      g_string_append_c (out, '\n');
      fputs (out->str, stdout);
    }
  else if (ok || run.result.pages > 0)
    hs_cli_fetch_summary (stdout, &req, &run.result);
  if (!json)
    for (guint i = 0; run.result.warnings != NULL && i < run.result.warnings->len; i++)
      fprintf (stderr, "hindsight-cli: note: %s\n", (const char *) run.result.warnings->pdata[i]);
  fflush (stdout);
  if (!ok)
    {
      if (run.result.pages > 0)
        fprintf (stderr, "hindsight-cli: the %" G_GINT64_FORMAT " %s before the failure %s "
                 "stored\n", run.result.pages, plural (run.result.pages, "page", "pages"),
                 plural (run.result.pages, "is", "are"));
      status = hs_cli_fetch_status (error);
      g_printerr ("hindsight-cli: %s\n", error->message);
    }
  hs_fetch_result_clear (&run.result);
  return status;
}

/* ------------------------------------------------------------------------------------------ */
/* providers                                                                                   */

/* Whether @p has a token, and from where: "not needed", "HINDSIGHT_TRADIER_TOKEN", "keyring",
 * "none", or why the keyring could not say. */
static char *
key_state (const HsProvider *p,
           gboolean         *configured)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  HsTokenSource source = HS_TOKEN_NONE;

  *configured = FALSE;
  if (p->token_env == NULL)
    return g_strdup ("not needed");
  token = hs_provider_token (p, &source, NULL, &error);
  if (token != NULL)
    {
      *configured = TRUE;
      memset (token, 0, strlen (token));
      return source == HS_TOKEN_ENVIRONMENT ? g_strdup_printf ("$%s", p->token_env)
                                            : g_strdup ("keyring");
    }
  if (error != NULL)
    return g_strdup_printf ("none (%s)", error->message);
  return g_strdup_printf ("none (set $%s or `keys set %s`)", p->token_env, p->name);
}

static char *
kinds_of (const HsProvider *p)
{
  GString *s = g_string_new (NULL);

  for (int k = 0; k < HS_FETCH_N_KINDS; k++)
    if (hs_provider_supports (p, (HsFetchKind) k))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", hs_fetch_kind_to_string (k));
  return g_string_free (s, FALSE);
}

static char *
intervals_of (const HsProvider *p)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < p->n_intervals; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", p->intervals[i].interval);
  return g_string_free (s, FALSE);
}

int
hs_cli_providers (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  gboolean json = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print as JSON", NULL },
    { NULL }
  };
  g_autoptr(GString) out = g_string_new (NULL);
  const HsProvider *const *all;
  size_t n;

  g_option_context_set_summary (context,
    "Lists the market-data providers: what each serves, its limits, where requests go, and\n"
    "whether the key it needs is configured.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return hs_cli_usage_error ("providers takes no arguments");
  all = hs_provider_all (&n);
  if (json)
    g_string_append (out, "{\"providers\":[");
  for (size_t i = 0; i < n; i++)
    {
      const HsProvider *p = all[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *kinds = kinds_of (p);
      g_autofree char *intervals = intervals_of (p);
      g_autofree char *limits = hs_provider_describe_limits (p);
      g_autofree char *base = hs_provider_base_url (p, NULL, &error);
      gboolean configured;
      g_autofree char *key = key_state (p, &configured);

      if (json)
        {
          g_string_append (out, i ? ",\n{\"name\":" : "\n{\"name\":");
          hs_cli_json_string (out, p->name);
          g_string_append (out, ",\"title\":");
          hs_cli_json_string (out, p->title);
          g_string_append (out, ",\"kinds\":[");
          for (int k = 0, first = 1; k < HS_FETCH_N_KINDS; k++)
            if (hs_provider_supports (p, (HsFetchKind) k))
              {
                g_string_append (out, first ? "" : ",");
                hs_cli_json_string (out, hs_fetch_kind_to_string (k));
                first = 0;
              }
          g_string_append (out, "],\"intervals\":[");
          for (size_t k = 0; k < p->n_intervals; k++)
            {
              g_string_append (out, k ? "," : "");
              hs_cli_json_string (out, p->intervals[k].interval);
            }
          g_string_append (out, "],\"base_url\":");
          hs_cli_json_text (out, base);
          g_string_append (out, ",\"base_url_variable\":");
          hs_cli_json_string (out, p->base_url_env);
          g_string_append_printf (out, ",\"needs_token\":%s,\"token_variable\":",
                                  p->needs_token ? "true" : "false");
          hs_cli_json_text (out, p->token_env);
          g_string_append_printf (out, ",\"token_configured\":%s,\"token\":",
                                  configured ? "true" : "false");
          hs_cli_json_string (out, key);
          g_string_append_printf (out, ",\"rate_per_second\":%g,\"burst\":%d,\"limits\":",
                                  p->rate_per_second, p->burst);
          hs_cli_json_string (out, limits);
          g_string_append_c (out, '}');
        }
      else
        {
          g_string_append_printf (out, "%s — %s\n", p->name, p->title);
          g_string_append_printf (out, "  serves     %s%s%s%s\n", kinds,
                                  p->n_intervals ? " (candles: " : "", intervals,
                                  p->n_intervals ? ")" : "");
          g_string_append_printf (out, "  key        %s\n", key);
          g_string_append_printf (out, "  base URL   %s ($%s)\n",
                                  base != NULL ? base : error->message, p->base_url_env);
          g_string_append_printf (out, "  limits     %s\n", limits);
        }
    }
  if (json)
    g_string_append (out, "\n]}\n");
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* keys                                                                                        */

/* The token: one line of stdin, without echo when it is a terminal. */
static char *
read_token (const HsProvider *p,
            GError          **error)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  gboolean quieted = FALSE;
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  if (tty)
    {
      fprintf (stderr, "%s token (not shown): ", p->title);
      fflush (stderr);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          quieted = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (tty)
    {
      if (quieted)
        tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  g_strstrip (line->str);
  line->len = strlen (line->str);
  if (line->len == 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "no token read from standard input");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

int
hs_cli_keys (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("set|clear PROVIDER");
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  const HsProvider *p;

  g_option_context_set_summary (context,
    "Stores a provider's token in the OS keyring (Secret Service), or removes it.\n"
    "`keys set PROVIDER` reads the token from standard input (not echoed on a terminal).\n"
    "The environment variable the provider names (HINDSIGHT_TRADIER_TOKEN) overrides the\n"
    "keyring. Tokens are never written to the database, the settings or a log.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3 || (!g_str_equal (argv[1], "set") && !g_str_equal (argv[1], "clear")))
    return hs_cli_usage_error ("usage: keys set|clear PROVIDER");
  p = hs_provider_lookup (argv[2]);
  if (p == NULL)
    return hs_cli_usage_error ("unknown provider “%s” (see `hindsight-cli providers`)", argv[2]);
  if (p->token_env == NULL)
    return hs_cli_usage_error ("%s needs no token", p->name);
  if (g_str_equal (argv[1], "set"))
    {
      g_autofree char *token = read_token (p, &error);
      gboolean stored;

      if (token == NULL)
        return hs_cli_usage_error ("%s", error->message);
      if (!hs_keyring_check_token (token, &error))
        {
          memset (token, 0, strlen (token));
          return hs_cli_usage_error ("%s", error->message);
        }
      stored = hs_keyring_store (p->name, token, NULL, &error);
      memset (token, 0, strlen (token));
      if (!stored)
        {
          g_printerr ("hindsight-cli: %s\nhindsight-cli: set $%s in the environment instead\n",
                      error->message, p->token_env);
          return HS_EXIT_FAILURE;
        }
      printf ("%s token stored in the keyring\n", p->name);
    }
  else
    {
      gboolean removed = FALSE;

      if (!hs_keyring_clear (p->name, &removed, NULL, &error))
        {
          g_printerr ("hindsight-cli: %s\n", error->message);
          return HS_EXIT_FAILURE;
        }
      printf (removed ? "%s token removed from the keyring\n"
                      : "no %s token was stored in the keyring\n", p->name);
    }
  if (g_getenv (p->token_env) != NULL && g_getenv (p->token_env)[0] != '\0')
    fprintf (stderr, "hindsight-cli: note: $%s is set and overrides the keyring\n",
             p->token_env);
  return HS_EXIT_OK;
}
