/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Market data commands: import, instruments, bars. Their machine-readable output (--json,
 * --format csv|json) is stable and documented in the README.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-backtest-store.h"
#include "hs-cli-common.h"
#include "hs-import.h"
#include "hs-interval.h"
#include "hs-resample.h"
#include "hs-store-market.h"
#include "hs-time.h"

int
hs_cli_import (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsImportRequest) req = g_new0 (HsImportRequest, 1);
  HsImportResult result = { 0 };
  g_autofree char *columns = NULL;
  g_autofree char *symbol = NULL, *interval = NULL, *exchange = NULL, *tz = NULL;
  g_autofree char *kind = NULL, *source = NULL, *market = NULL;
  int depth = 0;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "Instrument symbol (created if new)", "S" },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Bar interval: tick, 1s, 1m, 5m, 15m, "
      "30m, 1h, 4h, 1d, 2d, 1w, 2w, 1mo (bars only)", "I" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "Exchange or venue of the symbol", "E" },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, "Instrument kind when it is created: stock, "
      "etf, index, crypto, future, fx, option, prediction; for calendar: holidays or "
      "early-closes", "K" },
    { "market", 0, 0, G_OPTION_ARG_STRING, &market, "calendar: the market (default "
      "us_equity)", "M" },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz, "Time zone of times without an offset "
      "(default UTC), e.g. America/New_York", "ZONE" },
    { "columns", 0, 0, G_OPTION_ARG_STRING, &columns, "Comma-separated column names replacing "
      "the file's header", "A,B,…" },
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth, "Order book levels per side for the imbalance "
      "(default 10)", "N" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Snapshot source when a line has none: "
      "poll, websocket, backfill (default)", "SRC" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL }
  };

  /* LEAN result files are backtest runs, not market data (hs-cli-backtest-store.c). */
  if (argc >= 2 && g_str_equal (argv[1], "lean-result"))
    return hs_cli_import_lean_result (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "rates"))
    return hs_cli_import_rates (argc, argv);   /* hs-cli-metrics.c */
  if (argc >= 2 && g_str_equal (argv[1], "ledger"))
    return hs_cli_import_ledger (argc, argv);  /* hs-cli-ledger.c */
  context = g_option_context_new ("bars|trades|quotes|orderbook|snapshots|quotebars|factors|"
                                   "calendar FILE");
  g_option_context_set_summary (context,
    "Imports one file in one transaction: all of it, or nothing and an error FILE:LINE: reason.\n"
    "bars, trades and quotes are CSV with a header; orderbook and snapshots are JSON Lines.\n"
    "quotebars (LEAN's bid/ask OHLC bars), factors (a LEAN factor file, replacing the symbol's)\n"
    "and calendar (--kind holidays|early-closes) are CSV: the data of backtest --profile lean.\n"
    "Rows already stored are skipped, so importing a file again adds nothing.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3 || !hs_import_kind_from_string (argv[1], &req->kind))
    {
      g_printerr ("hindsight-cli: import needs a kind (bars, trades, quotes, orderbook, "
                  "snapshots, quotebars, factors, calendar) and a FILE\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (depth < 0)
    {
      g_printerr ("hindsight-cli: --depth must be positive\n");
      return HS_EXIT_BAD_INPUT;
    }
  req->path = g_strdup (argv[2]);
  req->symbol = g_steal_pointer (&symbol);
  req->interval = g_steal_pointer (&interval);
  req->exchange = g_steal_pointer (&exchange);
  /* A calendar has no instrument: its --kind is the kind of days. */
  if (req->kind == HS_IMPORT_CALENDAR)
    req->calendar = g_steal_pointer (&kind);
  else
    req->instrument_kind = g_steal_pointer (&kind);
  req->market = g_steal_pointer (&market);
  req->tz = g_steal_pointer (&tz);
  req->depth = depth;
  req->source = g_steal_pointer (&source);
  if (columns != NULL)
    req->columns = g_strsplit (columns, ",", -1);

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (!hs_import_run (store, req, NULL, NULL, NULL, &result, &error))
    return hs_cli_fail (error);
  {
    char first[40], last[40];

    hs_time_format_iso_buf (result.first_ts, first);
    hs_time_format_iso_buf (result.last_ts, last);
    if (json)
      {
        g_autoptr(GString) out = g_string_new ("{\"kind\":");

        hs_cli_json_string (out, hs_import_kind_to_string (req->kind));
        g_string_append (out, ",\"file\":");
        hs_cli_json_string (out, req->path);
        g_string_append (out, ",\"symbol\":");
        hs_cli_json_string (out, result.symbol ? result.symbol : "");
        g_string_append_printf (out, ",\"rows\":%" G_GINT64_FORMAT ",\"inserted\":%"
                                G_GINT64_FORMAT ",\"present\":%" G_GINT64_FORMAT
                                ",\"first\":\"%s\",\"last\":\"%s\"}\n",
                                result.rows, result.inserted, result.present, first, last);
        fputs (out->str, stdout);
      }
    else
      {
        /* A factor file replaces the symbol's: say so when it dropped stored dates. */
        g_autofree char *removed = result.removed > 0
          ? g_strdup_printf (", %" G_GINT64_FORMAT " stored rows of other dates removed",
                             result.removed)
          : g_strdup ("");

        printf ("%s: %" G_GINT64_FORMAT " %s rows for %s, %" G_GINT64_FORMAT " new, %"
                G_GINT64_FORMAT " already stored, %s to %s%s\n",
                req->path, result.rows, hs_import_kind_to_string (req->kind),
                result.symbol ? result.symbol : "?", result.inserted, result.present, first,
                last, removed);
        if (result.paper_closed > 0)
          printf ("%s: %" G_GINT64_FORMAT " open paper trades hit their stop or target "
                  "(hindsight-cli paper list --closed)\n", req->path, result.paper_closed);
      }
  }
  hs_import_result_clear (&result);
  return HS_EXIT_OK;
}

int
hs_cli_instruments (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) cov = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of a table", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Lists instruments with what is stored for each: kind "
                                         "of data, interval, first and last time, row count.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || (cov = hs_store_list_coverage (store, &error)) == NULL)
    return hs_cli_fail (error);

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("[");
      const char *prev_symbol = NULL, *prev_exchange = NULL;

      for (guint i = 0; i < cov->len; i++)
        {
          HsCoverage *c = cov->pdata[i];
          gboolean same = prev_symbol && g_str_equal (prev_symbol, c->symbol)
                          && g_str_equal (prev_exchange, c->exchange);

          if (!same)
            {
              if (prev_symbol != NULL)
                g_string_append (out, "]},");
              g_string_append (out, "\n{\"symbol\":");
              hs_cli_json_string (out, c->symbol);
              g_string_append (out, ",\"exchange\":");
              hs_cli_json_string (out, c->exchange);
              g_string_append (out, ",\"kind\":");
              hs_cli_json_string (out, c->kind);
              g_string_append (out, ",\"data\":[");
            }
          if (c->data != NULL)
            {
              char first[40], last[40];

              hs_time_format_iso_buf (c->first_ts, first);
              hs_time_format_iso_buf (c->last_ts, last);
              if (same && out->str[out->len - 1] != '[')
                g_string_append_c (out, ',');
              g_string_append (out, "{\"table\":");
              hs_cli_json_string (out, c->data);
              g_string_append (out, ",\"interval\":");
              if (c->interval)
                hs_cli_json_string (out, c->interval);
              else
                g_string_append (out, "null");
              g_string_append_printf (out, ",\"first\":\"%s\",\"last\":\"%s\",\"rows\":%"
                                      G_GINT64_FORMAT "}", first, last, c->rows);
            }
          prev_symbol = c->symbol;
          prev_exchange = c->exchange;
        }
      if (prev_symbol != NULL)
        g_string_append (out, "]}");
      g_string_append (out, "\n]\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }

  printf ("%-12s %-10s %-10s %-10s %-8s %-20s %-20s %10s\n", "SYMBOL", "EXCHANGE", "KIND",
          "DATA", "INTERVAL", "FIRST", "LAST", "ROWS");
  for (guint i = 0; i < cov->len; i++)
    {
      HsCoverage *c = cov->pdata[i];
      char first[40] = "-", last[40] = "-";

      if (c->data != NULL)
        {
          hs_time_format_iso_buf (c->first_ts, first);
          hs_time_format_iso_buf (c->last_ts, last);
        }
      printf ("%-12s %-10s %-10s %-10s %-8s %-20s %-20s %10" G_GINT64_FORMAT "\n", c->symbol,
              c->exchange[0] ? c->exchange : "-", c->kind, c->data ? c->data : "-",
              c->interval ? c->interval : "-", first, last, c->data ? c->rows : 0);
    }
  return HS_EXIT_OK;
}

typedef struct
{
  gboolean json;
  int64_t  n;
  GString *buf;
} BarsOut;

static gboolean
print_bar_cb (const HsBar *bar,
              gpointer     user_data,
              GError     **error)
{
  BarsOut *o = user_data;
  char ts[40], v[6][32];

  hs_time_format_iso_buf (bar->ts, ts);
  hs_format_double (bar->open, v[0]);
  hs_format_double (bar->high, v[1]);
  hs_format_double (bar->low, v[2]);
  hs_format_double (bar->close, v[3]);
  hs_format_double (bar->volume, v[4]);
  if (isnan (bar->vwap))
    v[5][0] = '\0';
  else
    hs_format_double (bar->vwap, v[5]);
  if (o->json)
    {
      g_string_append_printf (o->buf, "%s\n{\"timestamp\":\"%s\",\"open\":%s,\"high\":%s,"
                              "\"low\":%s,\"close\":%s,\"volume\":%s,\"vwap\":%s,"
                              "\"trade_count\":", o->n ? "," : "", ts, v[0], v[1], v[2], v[3],
                              v[4], v[5][0] ? v[5] : "null");
      if (bar->trade_count >= 0)
        g_string_append_printf (o->buf, "%" G_GINT64_FORMAT "}", bar->trade_count);
      else
        g_string_append (o->buf, "null}");
    }
  else
    {
      g_string_append_printf (o->buf, "%s,%s,%s,%s,%s,%s,%s,", ts, v[0], v[1], v[2], v[3], v[4],
                              v[5]);
      if (bar->trade_count >= 0)
        g_string_append_printf (o->buf, "%" G_GINT64_FORMAT, bar->trade_count);
      g_string_append_c (o->buf, '\n');
    }
  o->n++;
  /* Stream: the output is never held whole. */
  if (o->buf->len > 1 << 16)
    {
      fwrite (o->buf->str, 1, o->buf->len, stdout);
      g_string_truncate (o->buf, 0);
    }
  return TRUE;
}

/* Bars as columns plus their trade counts, which HsBars does not carry. */
typedef struct
{
  GArray *ts, *open, *high, *low, *close, *volume, *vwap, *count;
} BarColumns;

static gboolean
collect_bar_cb (const HsBar *bar,
                gpointer     user_data,
                GError     **error)
{
  BarColumns *c = user_data;

  g_array_append_val (c->ts, bar->ts);
  g_array_append_val (c->open, bar->open);
  g_array_append_val (c->high, bar->high);
  g_array_append_val (c->low, bar->low);
  g_array_append_val (c->close, bar->close);
  g_array_append_val (c->volume, bar->volume);
  g_array_append_val (c->vwap, bar->vwap);
  g_array_append_val (c->count, bar->trade_count);
  return TRUE;
}

/* Loads the stored bars from @from_ts to @to_ts (bar starts), resamples them to @to_interval and
 * hands each resampled bar to print_bar_cb. The whole input is held in memory: resampling needs
 * columns, and a million one-minute bars are about 70 MB. */
static gboolean
print_resampled (HsStore       *store,
                 int64_t        id,
                 const char    *interval,
                 int64_t        from_ts,
                 int64_t        to_ts,
                 const char    *to_interval,
                 HsSessionKind  session,
                 BarsOut       *out,
                 GError       **error)
{
  BarColumns c = { 0 };
  g_autoptr(HsBars) in = NULL;
  g_autoptr(HsResampled) r = NULL;
  g_autofree int64_t *counts = NULL, *out_counts = NULL;
  gboolean ok;

  c.ts = g_array_new (FALSE, FALSE, sizeof (int64_t));
  c.open = g_array_new (FALSE, FALSE, sizeof (double));
  c.high = g_array_new (FALSE, FALSE, sizeof (double));
  c.low = g_array_new (FALSE, FALSE, sizeof (double));
  c.close = g_array_new (FALSE, FALSE, sizeof (double));
  c.volume = g_array_new (FALSE, FALSE, sizeof (double));
  c.vwap = g_array_new (FALSE, FALSE, sizeof (double));
  c.count = g_array_new (FALSE, FALSE, sizeof (int64_t));
  ok = hs_store_each_bar (store, id, interval, from_ts, to_ts, collect_bar_cb, &c, error);
  in = hs_bars_new (0, hs_interval_lookup (interval)->seconds);
  g_free (in->ts);
  g_free (in->open);
  g_free (in->high);
  g_free (in->low);
  g_free (in->close);
  g_free (in->volume);
  g_free (in->vwap);
  in->n = c.ts->len;
  in->ts = (int64_t *) (void *) g_array_free (c.ts, FALSE);
  in->open = (double *) (void *) g_array_free (c.open, FALSE);
  in->high = (double *) (void *) g_array_free (c.high, FALSE);
  in->low = (double *) (void *) g_array_free (c.low, FALSE);
  in->close = (double *) (void *) g_array_free (c.close, FALSE);
  in->volume = (double *) (void *) g_array_free (c.volume, FALSE);
  in->vwap = (double *) (void *) g_array_free (c.vwap, FALSE);
  counts = (int64_t *) (void *) g_array_free (c.count, FALSE);
  if (!ok)
    return FALSE;

  r = hs_resample_with_counts (in, counts, to_interval, session, &out_counts, error);
  if (r == NULL)
    return FALSE;
  for (size_t i = 0; i < r->bars->n; i++)
    {
      HsBar bar = {
        .ts = r->bars->ts[i], .open = r->bars->open[i], .high = r->bars->high[i],
        .low = r->bars->low[i], .close = r->bars->close[i], .volume = r->bars->volume[i],
        .vwap = r->bars->vwap[i], .trade_count = out_counts[i],
      };

      print_bar_cb (&bar, out, NULL);
    }
  return TRUE;
}

int
hs_cli_bars (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SYMBOL");
  g_autoptr(HsStore) store = NULL;
  g_autofree char *interval = NULL, *from = NULL, *to = NULL, *format = NULL, *exchange = NULL;
  g_autofree char *resample = NULL, *session_arg = NULL;
  g_autoptr(GString) buf = g_string_new (NULL);
  int64_t from_ts = G_MININT64, to_ts = G_MAXINT64, id = 0;
  HsSessionKind session = HS_SESSION_US_EQUITY;
  BarsOut out = { 0 };
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Bar interval (required)", "I" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "Exchange of the symbol", "E" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "First bar time (inclusive)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Last bar time (inclusive; a date covers the "
      "whole day)", "DATE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv (default) or json", "FORMAT" },
    { "resample", 'r', 0, G_OPTION_ARG_STRING, &resample, "Print the bars resampled to this "
      "longer interval (5m, 15m, 1h, 4h, 1d, 1w, 1mo …)", "I" },
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_arg, "Session for --resample: us "
      "(09:30–16:00 New York) or 24x7 (UTC); default 24x7 for crypto, fx and prediction "
      "instruments, us otherwise", "S" },
    { NULL }
  };

  g_option_context_set_summary (context, "Prints stored bars in time order. CSV columns: "
                                         "timestamp,open,high,low,close,volume,vwap,trade_count "
                                         "(ISO-8601 UTC; empty when unknown).\n"
                                         "With --resample, the stored bars from --from to --to "
                                         "are resampled first (docs/resampling.md).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2 || interval == NULL)
    {
      g_printerr ("hindsight-cli: bars needs a SYMBOL and --interval\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (hs_interval_lookup (interval) == NULL)
    {
      g_autofree char *names = hs_interval_names ();

      g_printerr ("hindsight-cli: unknown interval “%s”; use one of %s\n", interval, names);
      return HS_EXIT_BAD_INPUT;
    }
  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      g_printerr ("hindsight-cli: --format must be csv or json\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (session_arg != NULL
      && (resample == NULL || !hs_session_kind_from_string (session_arg, &session)))
    {
      g_printerr (resample == NULL ? "hindsight-cli: --session needs --resample\n"
                                   : "hindsight-cli: --session must be us or 24x7\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (resample != NULL
      && !hs_resample_check_interval (hs_interval_lookup (interval)->seconds, resample, &error))
    {
      g_printerr ("hindsight-cli: --resample: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  if ((from != NULL && !hs_time_parse_bound (from, FALSE, &from_ts, &error))
      || (to != NULL && !hs_time_parse_bound (to, TRUE, &to_ts, &error)))
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_store_find_instrument (store, argv[1], exchange, &id, &error))
    return hs_cli_fail (error);
  if (resample != NULL && session_arg == NULL)
    {
      g_autoptr(HsInstrument) inst = hs_store_load_instrument (store, id, &error);

      if (inst == NULL)
        return hs_cli_fail (error);
      session = hs_session_kind_for_instrument (inst->kind);
    }

  out.json = format != NULL && g_str_equal (format, "json");
  out.buf = buf;
  g_string_append (buf, out.json ? "[" : "timestamp,open,high,low,close,volume,vwap,trade_count\n");
  if (resample != NULL)
    {
      if (!print_resampled (store, id, interval, from_ts, to_ts, resample, session, &out, &error))
        return hs_cli_fail (error);
    }
  else if (!hs_store_each_bar (store, id, interval, from_ts, to_ts, print_bar_cb, &out, &error))
    return hs_cli_fail (error);
  if (out.json)
    g_string_append (buf, "\n]\n");
  fwrite (buf->str, 1, buf->len, stdout);
  return HS_EXIT_OK;
}
