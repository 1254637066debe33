/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `health [--json]`: the latest request figures of each data provider (system_metrics rows of
 * component fetch.<provider>, written by the fetch jobs from the HTTP client's statistics) and
 * the open alerts; `alerts [list] [--json]` and `alerts ack ID…`, which acknowledges alerts so
 * they leave the list. A handful of rows: one query each.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "hs-cli-common.h"
#include "hs-store-health.h"
#include "hs-time.h"

/* A figure for the table, right-aligned in @width columns: "–" when there is none (printf's
 * widths count bytes, and the dash has three). */
static const char *
cell (char   *buf,
      size_t  size,
      double  v,
      int     width)
{
  if (isnan (v))
    g_snprintf (buf, size, "%*s–", width - 1, "");
  else
    g_snprintf (buf, size, "%*.1f", width, v);
  return buf;
}

static void
append_alerts_json (GString         *out,
                    const GPtrArray *alerts)
{
  g_string_append (out, "[");
  for (guint i = 0; i < alerts->len; i++)
    {
      const HsAlert *a = g_ptr_array_index (alerts, i);
      g_autofree char *ts = hs_time_format_iso (a->ts);

      g_string_append_printf (out, "%s\n  {\"id\": %" G_GINT64_FORMAT ", \"ts\": \"%s\", "
                              "\"kind\": ", i ? "," : "", a->id, ts);
      hs_cli_json_string (out, a->kind);
      g_string_append (out, ", \"severity\": ");
      hs_cli_json_string (out, a->severity);
      g_string_append (out, ", \"title\": ");
      hs_cli_json_string (out, a->title);
      g_string_append (out, ", \"message\": ");
      hs_cli_json_text (out, a->message);
      g_string_append (out, ", \"source\": ");
      hs_cli_json_text (out, a->source);
      g_string_append (out, "}");
    }
  g_string_append (out, alerts->len ? "\n]" : "]");
}

static void
print_alerts_text (const GPtrArray *alerts)
{
  if (alerts->len == 0)
    {
      printf ("no open alerts\n");
      return;
    }
  printf ("open alerts (%u):\n", alerts->len);
  for (guint i = 0; i < alerts->len; i++)
    {
      const HsAlert *a = g_ptr_array_index (alerts, i);
      g_autofree char *ts = hs_time_format_iso (a->ts);

      printf ("  #%" G_GINT64_FORMAT "  %s  %-8s %s\n", a->id, ts, a->severity, a->title);
      if (a->message != NULL)
        printf ("      %s\n", a->message);
    }
}

static void
print_health_json (const GPtrArray *providers,
                   const GPtrArray *alerts)
{
  g_autoptr(GString) out = g_string_new ("{\"providers\": [");

  for (guint i = 0; i < providers->len; i++)
    {
      const HsProviderStats *s = g_ptr_array_index (providers, i);
      g_autofree char *ts = hs_time_format_iso (s->ts);

      g_string_append_printf (out, "%s\n  {\"provider\": ", i ? "," : "");
      hs_cli_json_string (out, s->provider);
      g_string_append_printf (out, ", \"ts\": \"%s\", \"interval_s\": ", ts);
      hs_cli_json_computed (out, s->interval_start > 0 ? (double) (s->ts - s->interval_start)
                                                         / 1e6 : NAN);
      g_string_append_printf (out, ", \"requests\": %" G_GINT64_FORMAT ", \"successes\": %"
                              G_GINT64_FORMAT ", \"errors\": %" G_GINT64_FORMAT
                              ", \"http_429\": %" G_GINT64_FORMAT ", \"retries\": %"
                              G_GINT64_FORMAT ", \"bytes\": %" G_GINT64_FORMAT
                              ", \"rows_per_second\": ", s->requests, s->successes, s->errors,
                              s->http_429, s->retries, s->bytes);
      hs_cli_json_computed (out, s->rows_per_second);
      g_string_append (out, ", \"latency_p50_ms\": ");
      hs_cli_json_computed (out, s->latency_p50_ms);
      g_string_append (out, ", \"latency_p95_ms\": ");
      hs_cli_json_computed (out, s->latency_p95_ms);
      g_string_append (out, ", \"latency_p99_ms\": ");
      hs_cli_json_computed (out, s->latency_p99_ms);
      g_string_append_printf (out, ", \"latency_samples\": %" G_GINT64_FORMAT
                              ", \"consecutive_failures\": %d}", s->latency_samples,
                              s->consecutive_failures);
    }
  g_string_append (out, providers->len ? "\n ],\n \"alerts\": " : "],\n \"alerts\": ");
  append_alerts_json (out, alerts);
  g_string_append (out, "}\n");
  fputs (out->str, stdout);
}

static void
print_health_text (const GPtrArray *providers,
                   const GPtrArray *alerts)
{
  if (providers->len == 0)
    printf ("no provider figures yet (the fetch jobs write them while fetching)\n");
  else
    printf ("%-10s %-20s %8s %6s %5s %7s %8s %7s %7s %7s %7s\n", "provider", "as of",
            "requests", "errors", "429s", "retries", "rows/s", "p50 ms", "p95 ms", "p99 ms",
            "failing");
  for (guint i = 0; i < providers->len; i++)
    {
      const HsProviderStats *s = g_ptr_array_index (providers, i);
      g_autofree char *ts = hs_time_format_iso (s->ts);
      char rows[32], p50[32], p95[32], p99[32];

      printf ("%-10s %-20s %8" G_GINT64_FORMAT " %6" G_GINT64_FORMAT " %5" G_GINT64_FORMAT
              " %7" G_GINT64_FORMAT " %s %s %s %s %7d\n", s->provider, ts, s->requests,
              s->errors, s->http_429, s->retries,
              cell (rows, sizeof rows, s->rows_per_second, 8),
              cell (p50, sizeof p50, s->latency_p50_ms, 7),
              cell (p95, sizeof p95, s->latency_p95_ms, 7),
              cell (p99, sizeof p99, s->latency_p99_ms, 7), s->consecutive_failures);
    }
  printf ("\n");
  print_alerts_text (alerts);
}

int
hs_cli_health (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of a table", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "The latest figures of each data provider — requests, errors, 429s, retries, rows per\n"
    "second, latency percentiles, failures in a row — and the open alerts.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return hs_cli_usage_error ("health takes no arguments");
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL
      || (providers = hs_store_latest_provider_stats (store, &error)) == NULL
      || (alerts = hs_store_open_alerts (store, &error)) == NULL)
    return hs_cli_fail (error);
  if (json)
    print_health_json (providers, alerts);
  else
    print_health_text (providers, alerts);
  return HS_EXIT_OK;
}

int
hs_cli_alerts (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[list] | ack ID…");
  g_autoptr(HsStore) store = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "list: print JSON instead of text", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "list    the open (unacknowledged) alerts, newest first (the default)\n"
    "ack     acknowledges the alerts with these ids: they leave the list");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc == 1 || (argc == 2 && g_str_equal (argv[1], "list")))
    {
      g_autoptr(GPtrArray) alerts = NULL;

      store = hs_cli_open_store (hs_cli_db_option, &error);
      if (store == NULL || (alerts = hs_store_open_alerts (store, &error)) == NULL)
        return hs_cli_fail (error);
      if (json)
        {
          g_autoptr(GString) out = g_string_new ("{\"alerts\": ");

          append_alerts_json (out, alerts);
          g_string_append (out, "}\n");
          fputs (out->str, stdout);
        }
      else
        print_alerts_text (alerts);
      return HS_EXIT_OK;
    }
  if (argc >= 3 && g_str_equal (argv[1], "ack"))
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (int64_t));

      /* Every id is checked before any is acknowledged. */
      for (int i = 2; i < argc; i++)
        {
          gint64 id;

          if (!g_ascii_string_to_signed (argv[i], 10, 1, G_MAXINT64, &id, NULL))
            return hs_cli_usage_error ("alerts ack: “%s” is not an alert id", argv[i]);
          g_array_append_val (ids, id);
        }
      store = hs_cli_open_store (hs_cli_db_option, &error);
      if (store == NULL || !hs_store_begin (store, &error))
        return hs_cli_fail (error);
      for (guint i = 0; i < ids->len; i++)
        {
          int64_t id = g_array_index (ids, int64_t, i);
          gboolean was_open = FALSE;

          if (!hs_store_ack_alert (store, id, hs_time_now_us (), &was_open, &error))
            {
              hs_store_rollback (store);
              return hs_cli_fail (error);
            }
          if (was_open)
            printf ("alert %" G_GINT64_FORMAT " acknowledged\n", id);
          else
            printf ("alert %" G_GINT64_FORMAT " was acknowledged already\n", id);
        }
      if (!hs_store_commit (store, &error))
        return hs_cli_fail (error);
      return HS_EXIT_OK;
    }
  return hs_cli_usage_error ("alerts needs list, or ack ID…");
}
