/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `retention [--days N] [--dry-run] [--json]`: rolls trades and quotes of UTC days older than N
 * days (default 30) into 1-minute candles, CVD snapshots and 1-minute quote bars, then removes
 * them, one transaction per instrument and day (docs/gaps-retention.md). --dry-run shows per
 * instrument and day what would be rolled up and removed, and changes nothing.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "hs-cli-common.h"
#include "hs-retention.h"
#include "hs-time.h"

#define DAY_US G_GINT64_CONSTANT (86400000000)

static void
format_day (int64_t day,
            char    buf[40])
{
  hs_time_format_iso_buf (day * DAY_US, buf);
  buf[10] = '\0';
}

/* The sums over every day. */
static HsRetentionDay
totals (const HsRetentionResult *r)
{
  HsRetentionDay t = { 0 };

  for (guint i = 0; i < r->days->len; i++)
    {
      const HsRetentionDay *d = &g_array_index (r->days, HsRetentionDay, i);

      t.trades += d->trades;
      t.candles += d->candles;
      t.candles_written += d->candles_written;
      t.cvd_written += d->cvd_written;
      t.quotes += d->quotes;
      t.quote_bars += d->quote_bars;
      t.quote_bars_written += d->quote_bars_written;
    }
  return t;
}

static void
append_counts (GString              *out,
               const HsRetentionDay *d)
{
  g_string_append_printf (out, "\"trades\": %" G_GINT64_FORMAT ", \"candles\": %"
                          G_GINT64_FORMAT ", \"candles_written\": %" G_GINT64_FORMAT
                          ", \"candles_kept\": %" G_GINT64_FORMAT ", \"cvd_written\": %"
                          G_GINT64_FORMAT ", \"quotes\": %" G_GINT64_FORMAT ", \"quote_bars\": %"
                          G_GINT64_FORMAT ", \"quote_bars_written\": %" G_GINT64_FORMAT
                          ", \"quote_bars_kept\": %" G_GINT64_FORMAT, d->trades, d->candles,
                          d->candles_written, d->candles - d->candles_written, d->cvd_written,
                          d->quotes, d->quote_bars, d->quote_bars_written,
                          d->quote_bars - d->quote_bars_written);
}

static void
print_json (const HsRetentionResult *r,
            int                      days)
{
  g_autoptr(GString) out = g_string_new (NULL);
  HsRetentionDay t = totals (r);
  char cutoff[40], day[40];

  hs_time_format_iso_buf (r->cutoff, cutoff);
  g_string_append_printf (out, "{\"dry_run\": %s, \"days_kept\": %d, \"cutoff\": \"%s\",\n"
                          " \"totals\": {\"days\": %u, ", r->dry_run ? "true" : "false", days,
                          cutoff, r->days->len);
  append_counts (out, &t);
  g_string_append (out, "},\n \"days\": [");
  for (guint i = 0; i < r->days->len; i++)
    {
      const HsRetentionDay *d = &g_array_index (r->days, HsRetentionDay, i);

      format_day (d->day, day);
      g_string_append_printf (out, "%s\n  {\"symbol\": ", i ? "," : "");
      hs_cli_json_string (out, d->symbol);
      g_string_append (out, ", \"exchange\": ");
      hs_cli_json_string (out, d->exchange);
      g_string_append_printf (out, ", \"day\": \"%s\", ", day);
      append_counts (out, d);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}\n");
  fputs (out->str, stdout);
}

static void
print_text (const HsRetentionResult *r,
            int                      days)
{
  HsRetentionDay t = totals (r);
  char cutoff[40], day[40];

  hs_time_format_iso_buf (r->cutoff, cutoff);
  printf ("%skeeping %d day%s: trades and quotes before %s\n",
          r->dry_run ? "dry run (nothing changed): " : "", days, days == 1 ? "" : "s", cutoff);
  if (r->days->len == 0)
    {
      printf ("nothing to roll up\n");
      return;
    }
  printf ("%-12s %-10s %10s %8s %8s %8s %10s %10s %8s\n", "SYMBOL", "DAY", "TRADES", "CANDLES",
          "NEW", "CVD", "QUOTES", "QUOTEBARS", "NEW");
  for (guint i = 0; i < r->days->len; i++)
    {
      const HsRetentionDay *d = &g_array_index (r->days, HsRetentionDay, i);
      g_autofree char *name = d->exchange[0] ? g_strdup_printf ("%s:%s", d->exchange, d->symbol)
                                             : g_strdup (d->symbol);

      format_day (d->day, day);
      printf ("%-12s %-10s %10" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT
              " %8" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %8"
              G_GINT64_FORMAT "\n", name, day, d->trades, d->candles, d->candles_written,
              d->cvd_written, d->quotes, d->quote_bars, d->quote_bars_written);
    }
  printf ("%s %u instrument-day%s: %" G_GINT64_FORMAT " trades and %" G_GINT64_FORMAT
          " quotes removed; %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " one-minute candles, %"
          G_GINT64_FORMAT " CVD snapshots and %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
          " quote bars written (the others were stored already and are kept)\n",
          r->dry_run ? "would roll up" : "rolled up", r->days->len, r->days->len == 1 ? "" : "s",
          t.trades, t.quotes, t.candles_written, t.candles, t.cvd_written, t.quote_bars_written,
          t.quote_bars);
}

int
hs_cli_retention (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsRetentionResult) result = NULL;
  g_autofree char *now = NULL;
  HsRetentionRequest request;
  int days = HS_RETENTION_DEFAULT_DAYS;
  gboolean json = FALSE, dry_run = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "days", 'd', 0, G_OPTION_ARG_INT, &days, "Days of trades and quotes to keep (default 30)",
      "N" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, "Show what would be rolled up and "
      "removed; change nothing", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now, "Count the days back from this time instead of "
      "the clock (ISO 8601, UTC), for reproducible runs", "TIME" },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Rolls trades and quotes of whole UTC days older than N days into 1-minute candles (with\n"
    "vwap and trade count), CVD snapshots and 1-minute quote bars, then removes them: one\n"
    "transaction per instrument and day, so an interruption loses nothing. A 1-minute candle or\n"
    "quote bar stored already is kept. docs/gaps-retention.md has the rules.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return hs_cli_usage_error ("retention takes no arguments (got “%s”)", argv[1]);
  if (days < 0 || days > HS_RETENTION_MAX_DAYS)
    return hs_cli_usage_error ("--days must be from 0 to %d", HS_RETENTION_MAX_DAYS);

  hs_retention_request_init (&request);
  request.days = days;
  request.dry_run = dry_run;
  if (now != NULL && !hs_time_parse (now, NULL, &request.now, &error))
    {
      status = hs_cli_usage_error ("bad --now: %s", error->message);
      g_error_free (error);
      return status;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  result = hs_retention_run (store, &request,
                             !json && isatty (STDERR_FILENO) ? hs_cli_progress_cb : NULL,
                             (gpointer) "retention", NULL, &error);
  if (result == NULL)
    return hs_cli_fail (error);
  if (json)
    print_json (result, days);
  else
    print_text (result, days);
  return HS_EXIT_OK;
}
