/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `gaps SYMBOL [--exchange E] [--interval I] [--from D] [--to D] [--json]`: the gap report of
 * one instrument (docs/gaps-retention.md): missing candle ranges under its session calendar, per
 * interval, and jumps in its sequence numbers and trade ids. Gaps are a finding, not a failure:
 * the exit status is 0 whether there are any or not.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <stdio.h>

#include "hs-cli-common.h"
#include "hs-gaps-job.h"
#include "hs-interval.h"
#include "hs-store-market.h"
#include "hs-store-stream.h"
#include "hs-time.h"

/* Ranges and sequence gaps listed per section in the text report; --json lists all. */
#define MAX_LISTED 20

static void
append_time (GString *out,
             int64_t  ts)
{
  char buf[40];

  hs_time_format_iso_buf (ts, buf);
  hs_cli_json_string (out, buf);
}

/* The breaks live streams recorded (stream_gaps, docs/streaming.md), as a JSON array. */
static void
append_stream_gaps_json (GString   *out,
                         GPtrArray *gaps)
{
  g_string_append (out, ",\n \"stream_gaps\": [");
  for (guint i = 0; i < gaps->len; i++)
    {
      const HsStreamGap *g = g_ptr_array_index (gaps, i);

      g_string_append (out, i ? ",\n  {\"detected_at\": " : "\n  {\"detected_at\": ");
      append_time (out, g->detected_at);
      g_string_append (out, ", \"ts\": ");
      if (g->ts > 0)
        append_time (out, g->ts);
      else
        g_string_append (out, "null");
      g_string_append (out, ", \"provider\": ");
      hs_cli_json_string (out, g->provider);
      g_string_append (out, ", \"channel\": ");
      hs_cli_json_string (out, g->channel);
      g_string_append (out, ", \"kind\": ");
      hs_cli_json_string (out, g->kind);
      if (g->from_seq >= 0)
        g_string_append_printf (out, ", \"from\": %" G_GINT64_FORMAT ", \"to\": %"
                                G_GINT64_FORMAT, g->from_seq, g->to_seq);
      else
        g_string_append (out, ", \"from\": null, \"to\": null");
      g_string_append (out, ", \"resync\": ");
      hs_cli_json_string (out, g->resync);
      g_string_append (out, ", \"resync_error\": ");
      hs_cli_json_text (out, g->resync_error);
      g_string_append_printf (out, ", \"detail\": %s}", g->detail);
    }
  g_string_append (out, "]");
}

static void
print_stream_gaps (GPtrArray *gaps)
{
  if (gaps->len == 0)
    return;
  printf ("stream gaps: %u recorded by live streams\n", gaps->len);
  for (guint i = 0; i < MIN (gaps->len, MAX_LISTED); i++)
    {
      const HsStreamGap *g = g_ptr_array_index (gaps, i);
      char when[40];

      hs_time_format_iso_buf (g->ts > 0 ? g->ts : g->detected_at, when);
      printf ("  %s  %s %s %s", when, g->provider, g->channel, g->kind);
      if (g->from_seq >= 0)
        printf (" %" G_GINT64_FORMAT "…%" G_GINT64_FORMAT, g->from_seq, g->to_seq);
      printf ("  repaired: %s", g->resync);
      if (g->resync_error != NULL)
        printf (" (REST failed: %s)", g->resync_error);
      printf ("\n");
    }
  if (gaps->len > MAX_LISTED)
    printf ("  … and %u more (--json lists them all)\n", gaps->len - MAX_LISTED);
}

static void
print_json (const HsGapsReport *r,
            GPtrArray          *stream_gaps)
{
  g_autoptr(GString) out = g_string_new ("{\"symbol\": ");

  hs_cli_json_string (out, r->symbol);
  g_string_append (out, ", \"exchange\": ");
  hs_cli_json_string (out, r->exchange);
  g_string_append (out, ", \"kind\": ");
  hs_cli_json_string (out, r->kind);
  g_string_append_printf (out, ", \"session\": \"%s\", \"calendar_days\": %" G_GINT64_FORMAT
                          ",\n \"candles\": [", hs_session_kind_to_string (r->session),
                          r->calendar_days);
  for (guint i = 0; i < r->candles->len; i++)
    {
      const HsCandleGaps *c = g_ptr_array_index (r->candles, i);
      gboolean checked = c->from_ts <= c->to_ts;

      g_string_append_printf (out, "%s\n  {\"interval\": \"%s\", \"from\": ", i ? "," : "",
                              c->interval);
      if (checked)
        append_time (out, c->from_ts);
      else
        g_string_append (out, "null");
      g_string_append (out, ", \"to\": ");
      if (checked)
        append_time (out, c->to_ts);
      else
        g_string_append (out, "null");
      g_string_append_printf (out, ", \"expected\": %" G_GINT64_FORMAT ", \"present\": %"
                              G_GINT64_FORMAT ", \"missing\": %" G_GINT64_FORMAT
                              ", \"ranges\": [", c->expected, c->present, c->missing);
      for (guint j = 0; j < c->ranges->len; j++)
        {
          const HsGapRange *g = &g_array_index (c->ranges, HsGapRange, j);

          g_string_append (out, j ? ", {\"start\": " : "{\"start\": ");
          append_time (out, g->start);
          g_string_append (out, ", \"end\": ");
          append_time (out, g->end);
          g_string_append_printf (out, ", \"missing\": %" G_GINT64_FORMAT "}", g->missing);
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, "],\n \"sequences\": [");
  for (guint i = 0; i < r->sequences->len; i++)
    {
      const HsSeqReport *s = g_ptr_array_index (r->sequences, i);

      g_string_append_printf (out, "%s\n  {\"column\": \"%s\", \"source\": ", i ? "," : "",
                              hs_seq_table_to_string (s->table));
      hs_cli_json_text (out, s->source);
      g_string_append_printf (out, ", \"rows\": %" G_GINT64_FORMAT ", \"restarts\": %"
                              G_GINT64_FORMAT ", \"repeats\": %" G_GINT64_FORMAT ", \"missing\": %"
                              G_GINT64_FORMAT ", \"unchecked\": ", s->rows, s->restarts,
                              s->repeats, s->missing);
      hs_cli_json_text (out, s->unchecked);
      g_string_append (out, ", \"gaps\": [");
      for (guint j = 0; j < s->gaps->len; j++)
        {
          const HsSeqGap *g = &g_array_index (s->gaps, HsSeqGap, j);

          g_string_append_printf (out, "%s{\"after\": %" G_GINT64_FORMAT ", \"before\": %"
                                  G_GINT64_FORMAT ", \"missing\": %" G_GINT64_FORMAT
                                  ", \"after_ts\": ", j ? ", " : "", g->after, g->before,
                                  g->missing);
          append_time (out, g->after_ts);
          g_string_append (out, ", \"before_ts\": ");
          append_time (out, g->before_ts);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, "]");
  append_stream_gaps_json (out, stream_gaps);
  g_string_append (out, "}\n");
  fputs (out->str, stdout);
}

static void
print_candles (const HsCandleGaps *c)
{
  char from[40], to[40], start[40], end[40];

  if (c->from_ts > c->to_ts)
    {
      printf ("candles %s: no bar stored in the range; --from and --to check a range without "
              "bars\n", c->interval);
      return;
    }
  hs_time_format_iso_buf (c->from_ts, from);
  hs_time_format_iso_buf (c->to_ts, to);
  printf ("candles %s from %s to %s: %" G_GINT64_FORMAT " expected, %" G_GINT64_FORMAT
          " present, %" G_GINT64_FORMAT " missing in %u range%s\n", c->interval, from, to,
          c->expected, c->present, c->missing, c->ranges->len, c->ranges->len == 1 ? "" : "s");
  for (guint j = 0; j < MIN (c->ranges->len, MAX_LISTED); j++)
    {
      const HsGapRange *g = &g_array_index (c->ranges, HsGapRange, j);

      hs_time_format_iso_buf (g->start, start);
      hs_time_format_iso_buf (g->end, end);
      printf ("  %s  %s  %" G_GINT64_FORMAT "\n", start, end, g->missing);
    }
  if (c->ranges->len > MAX_LISTED)
    printf ("  … and %u more (--json lists them all)\n", c->ranges->len - MAX_LISTED);
}

static void
print_sequence (const HsSeqReport *s)
{
  char after[40], before[40];

  printf ("%s", hs_seq_table_to_string (s->table));
  if (s->source != NULL)
    printf (" (%s)", s->source);
  if (s->unchecked != NULL)
    {
      printf (": %" G_GINT64_FORMAT " rows, not checked: %s\n", s->rows, s->unchecked);
      return;
    }
  printf (": %" G_GINT64_FORMAT " rows, %u gap%s, %" G_GINT64_FORMAT " missing", s->rows,
          s->gaps->len, s->gaps->len == 1 ? "" : "s", s->missing);
  if (s->restarts > 0)
    printf (", %" G_GINT64_FORMAT " restart%s", s->restarts, s->restarts == 1 ? "" : "s");
  if (s->repeats > 0)
    printf (", %" G_GINT64_FORMAT " repeated", s->repeats);
  printf ("\n");
  for (guint j = 0; j < MIN (s->gaps->len, MAX_LISTED); j++)
    {
      const HsSeqGap *g = &g_array_index (s->gaps, HsSeqGap, j);

      hs_time_format_iso_buf (g->after_ts, after);
      hs_time_format_iso_buf (g->before_ts, before);
      printf ("  %" G_GINT64_FORMAT " (%s) → %" G_GINT64_FORMAT " (%s): %" G_GINT64_FORMAT
              " missing\n", g->after, after, g->before, before, g->missing);
    }
  if (s->gaps->len > MAX_LISTED)
    printf ("  … and %u more (--json lists them all)\n", s->gaps->len - MAX_LISTED);
}

static void
print_text (const HsGapsReport *r)
{
  printf ("%s%s%s (%s): ", r->symbol, r->exchange[0] ? " on " : "", r->exchange, r->kind);
  if (r->session == HS_SESSION_ALWAYS)
    printf ("trades 24/7\n");
  else if (r->calendar_days > 0)
    printf ("US regular session 09:30–16:00 America/New_York, weekdays without the %"
            G_GINT64_FORMAT " holidays and early closes of market_calendar\n", r->calendar_days);
  else
    printf ("US regular session 09:30–16:00 America/New_York, every weekday (no market_calendar "
            "rows: import calendar to know holidays)\n");
  if (r->candles->len == 0)
    printf ("candles: none stored\n");
  for (guint i = 0; i < r->candles->len; i++)
    print_candles (g_ptr_array_index (r->candles, i));
  for (guint i = 0; i < r->sequences->len; i++)
    print_sequence (g_ptr_array_index (r->sequences, i));
}

int
hs_cli_gaps (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SYMBOL");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsGapsReport) report = NULL;
  g_autoptr(GPtrArray) stream_gaps = NULL;
  g_autofree char *interval = NULL, *from = NULL, *to = NULL, *exchange = NULL;
  int64_t from_ts = G_MININT64, to_ts = G_MAXINT64, id = 0;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Only this interval (1s … 4h, 1d); "
      "default every stored one", "I" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "Exchange of the symbol", "E" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Start of the range (default: the first stored "
      "bar)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "End of the range, inclusive; a date covers the "
      "whole day (default: the last stored bar)", "DATE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report as JSON, with every range", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Lists the candle ranges a symbol's sessions expect and the database lacks (crypto and\n"
    "prediction markets 24/7; stocks, ETFs and indices 09:30–16:00 New York on trading days,\n"
    "with market_calendar's holidays and early closes), as start, end and missing bars, and the\n"
    "gaps in stored sequence numbers and integer trade ids. Exit status 0 with or without gaps.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return hs_cli_usage_error ("gaps needs one SYMBOL");
  if (interval != NULL && !hs_gaps_check_interval (interval, &error))
    {
      g_autofree char *names = hs_interval_names ();

      g_error_free (error);
      return hs_cli_usage_error ("--interval: gaps are found for intervals from 1s to 1d (of "
                                 "%s), not “%s”", names, interval);
    }
  if ((from != NULL && !hs_time_parse_bound (from, FALSE, &from_ts, &error))
      || (to != NULL && !hs_time_parse_bound (to, TRUE, &to_ts, &error)))
    {
      status = hs_cli_usage_error ("%s", error->message);
      g_error_free (error);
      return status;
    }
  if (from_ts > to_ts && from != NULL && to != NULL)
    return hs_cli_usage_error ("--from is after --to");
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_store_find_instrument (store, argv[1], exchange, &id, &error))
    return hs_cli_fail (error);
  report = hs_gaps_report (store, id, interval, from_ts, to_ts, NULL, &error);
  if (report == NULL && g_error_matches (error, HS_GAPS_ERROR, HS_GAPS_ERROR_RANGE))
    {
      status = hs_cli_usage_error ("%s", error->message);
      g_error_free (error);
      return status;
    }
  if (report == NULL)
    return hs_cli_fail (error);
  stream_gaps = hs_store_list_stream_gaps (store, id, &error);
  if (stream_gaps == NULL)
    return hs_cli_fail (error);
  if (json)
    print_json (report, stream_gaps);
  else
    {
      print_text (report);
      print_stream_gaps (stream_gaps);
    }
  return HS_EXIT_OK;
}
