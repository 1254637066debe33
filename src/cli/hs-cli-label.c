/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `label [--all] [--since DATE] [--backtest RUN_ID] [--json]`: the forensic labels of closed
 * paper and backtest trades (docs/labels.md), computed from the stored 1-minute bars by the
 * label job, and a summary of what it did: labeled, skipped by reason (with the trades), and
 * the trades another writer changed meanwhile.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "hs-cli-common.h"
#include "hs-label-job.h"
#include "hs-time.h"

/* Skipped trades listed per reason in the text summary; --json lists all. */
#define MAX_LISTED 10

static const HsLabelStatus skip_statuses[] = {
  HS_LABEL_NO_BARS, HS_LABEL_DATA_ENDS, HS_LABEL_NO_INSTRUMENT,
};

static guint
count_table (const GArray *refs,
             HsLabelTable  table)
{
  guint n = 0;

  for (guint i = 0; i < refs->len; i++)
    n += g_array_index (refs, HsLabelRef, i).table == table;
  return n;
}

/* {"paper": [ids], "backtest": [ids]} */
static void
append_ids (GString      *out,
            const GArray *refs)
{
  for (int t = HS_LABEL_TABLE_PAPER; t <= HS_LABEL_TABLE_BACKTEST; t++)
    {
      gboolean first = TRUE;

      g_string_append_printf (out, "%s\"%s\": [", t == HS_LABEL_TABLE_PAPER ? "{" : ", ",
                              hs_label_table_to_string (t));
      for (guint i = 0; i < refs->len; i++)
        {
          const HsLabelRef *r = &g_array_index (refs, HsLabelRef, i);

          if ((int) r->table != t)
            continue;
          g_string_append_printf (out, "%s%" G_GINT64_FORMAT, first ? "" : ", ", r->id);
          first = FALSE;
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
}

/* The skipped trades of one reason, as refs. */
static GArray *
skipped_refs (const HsLabelResult *result,
              HsLabelStatus        status)
{
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (HsLabelRef));

  for (guint i = 0; i < result->skipped->len; i++)
    {
      const HsLabelSkip *s = &g_array_index (result->skipped, HsLabelSkip, i);
      HsLabelRef r = { s->table, s->id };

      if (s->status == status)
        g_array_append_val (refs, r);
    }
  return refs;
}

static void
print_json (const HsLabelResult *result)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "{\"labeled\": %u, \"unchanged\": %u, \"skipped\": %u, "
                          "\"conflicts\": %u, \"examined\": %" G_GINT64_FORMAT ",\n",
                          result->labeled->len, result->unchanged->len, result->skipped->len,
                          result->conflicts->len, result->examined);
  g_string_append (out, " \"labeled_ids\": ");
  append_ids (out, result->labeled);
  g_string_append (out, ",\n \"unchanged_ids\": ");
  append_ids (out, result->unchanged);
  g_string_append (out, ",\n \"conflict_ids\": ");
  append_ids (out, result->conflicts);
  g_string_append (out, ",\n \"skipped_by_reason\": {");
  for (size_t k = 0; k < G_N_ELEMENTS (skip_statuses); k++)
    {
      g_autoptr(GArray) refs = skipped_refs (result, skip_statuses[k]);

      g_string_append_printf (out, "%s\"%s\": {\"count\": %u, \"ids\": ", k ? ", " : "",
                              hs_label_status_to_string (skip_statuses[k]), refs->len);
      append_ids (out, refs);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "},\n \"skipped_trades\": [");
  for (guint i = 0; i < result->skipped->len; i++)
    {
      const HsLabelSkip *s = &g_array_index (result->skipped, HsLabelSkip, i);

      g_string_append_printf (out, "%s\n  {\"table\": \"%s\", \"id\": %" G_GINT64_FORMAT
                              ", \"reason\": \"%s\", \"message\": ", i ? "," : "",
                              hs_label_table_to_string (s->table), s->id,
                              hs_label_status_to_string (s->status));
      hs_cli_json_string (out, s->reason);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}\n");
  fputs (out->str, stdout);
}

static void
print_text (const HsLabelResult *result)
{
  printf ("labeled %u (paper %u, backtest %u), skipped %u, unchanged %u, conflicts %u\n",
          result->labeled->len, count_table (result->labeled, HS_LABEL_TABLE_PAPER),
          count_table (result->labeled, HS_LABEL_TABLE_BACKTEST), result->skipped->len,
          result->unchanged->len, result->conflicts->len);
  for (size_t k = 0; k < G_N_ELEMENTS (skip_statuses); k++)
    {
      guint listed = 0, total = 0;

      for (guint i = 0; i < result->skipped->len; i++)
        {
          const HsLabelSkip *s = &g_array_index (result->skipped, HsLabelSkip, i);

          if (s->status != skip_statuses[k])
            continue;
          if (total++ == 0)
            {
              g_autoptr(GArray) refs = skipped_refs (result, skip_statuses[k]);

              printf ("skipped %u: %s (retried on the next run)\n", refs->len,
                      hs_label_status_summary (skip_statuses[k]));
            }
          if (listed++ < MAX_LISTED)
            printf ("  %s %" G_GINT64_FORMAT ": %s\n", hs_label_table_to_string (s->table),
                    s->id, s->reason);
        }
      if (total > MAX_LISTED)
        printf ("  … and %u more (--json lists them all)\n", total - MAX_LISTED);
    }
  if (result->conflicts->len > 0)
    {
      printf ("changed by another writer while labeling, left for the next run:");
      for (guint i = 0; i < result->conflicts->len; i++)
        {
          const HsLabelRef *r = &g_array_index (result->conflicts, HsLabelRef, i);

          printf (" %s %" G_GINT64_FORMAT, hs_label_table_to_string (r->table), r->id);
        }
      printf ("\n");
    }
}

int
hs_cli_label (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsLabelResult) result = NULL;
  g_autofree char *since = NULL;
  gboolean all = FALSE, json = FALSE;
  gint64 run_id = 0;
  int batch = 0;
  HsLabelRequest request;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Relabel labeled trades too (only changed labels "
      "are written)", NULL },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, "Only trades entered at or after DATE (ISO "
      "8601, UTC)", "DATE" },
    { "backtest", 0, 0, G_OPTION_ARG_INT64, &run_id, "Only the trades of this backtest run "
      "(backtest_trades and paper_trades of the run)", "RUN_ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as JSON, with every id", NULL },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Trades per batch (default 500)", "N" },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Computes the forensic labels of closed paper trades and backtest trades from the stored\n"
    "1-minute bars: target_pnl_15m, target_pnl_1h (percent, in favour of the side),\n"
    "target_mfe_pct and target_mae_pct (percent of the entry, over the holding period).\n"
    "By default every closed trade without labels; trades without enough bars keep the reason\n"
    "in label_error and are retried on the next run. docs/labels.md has the rules.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    {
      g_printerr ("hindsight-cli: label takes no arguments (got “%s”)\n", argv[1]);
      return HS_EXIT_BAD_INPUT;
    }
  if (run_id < 0 || batch < 0)
    {
      g_printerr ("hindsight-cli: --%s must be positive\n", run_id < 0 ? "backtest" : "batch");
      return HS_EXIT_BAD_INPUT;
    }

  hs_label_request_init (&request);
  request.all = all;
  request.run_id = run_id;
  request.batch_size = (guint) batch;
  if (since != NULL && !hs_time_parse (since, NULL, &request.since, &error))
    {
      g_printerr ("hindsight-cli: bad --since: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  result = hs_label_job_run (store, &request,
                             !json && isatty (STDERR_FILENO) ? hs_cli_progress_cb : NULL,
                             (gpointer) "labeling", NULL, &error);
  if (result == NULL)
    return hs_cli_fail (error);
  if (json)
    print_json (result);
  else
    print_text (result);
  return HS_EXIT_OK;
}
