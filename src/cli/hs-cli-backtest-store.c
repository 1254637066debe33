/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stored backtest runs from the command line: `import lean-result FILE` (a LEAN result file
 * into backtest_runs, backtest_equity and backtest_trades), and `backtest list`, `show ID`,
 * `trades ID`, `equity ID`, `delete ID`. Running a backtest is hs-cli-backtest.c's; its
 * `backtest` command hands these subcommands here. Machine-readable output (--json,
 * --format csv|json) is stable and documented in the README.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include "hs-cli-backtest-store.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-bt-run.h"
#include "hs-cli-common.h"
#include "hs-json-records.h"
#include "hs-lean-result.h"
#include "hs-records.h"
#include "hs-store-backtest.h"
#include "hs-store-market.h"
#include "hs-time.h"

/* Errors of the input (a file that is not a LEAN result, a bad ID) exit 2, others 1. */
static int
fail (GError *error)
{
  int status = HS_EXIT_FAILURE;

  if (error->domain == HS_JSON_ERROR || error->domain == G_OPTION_ERROR)
    status = HS_EXIT_BAD_INPUT;
  g_printerr ("hindsight-cli: %s\n", error->message);
  g_error_free (error);
  return status;
}

static void
append_time (GString *out,
             int64_t  us)
{
  char buf[40];

  hs_time_format_iso_buf (us, buf);
  g_string_append (out, buf);
}

/* A time as a JSON string, null when unknown (0). */
static void
json_time (GString *out,
           int64_t  us)
{
  if (us == 0)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  append_time (out, us);
  g_string_append_c (out, '"');
}

static void
json_int (GString *out,
          int64_t  v,
          int64_t  null_below)
{
  if (v < null_below)
    g_string_append (out, "null");
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
}

/* CSV cells: empty when undefined. @exact: a stored input, in the shortest form that reads
 * back exactly; else a computed value with 15 significant digits. */
static void
csv_number (GString *out,
            double   v,
            gboolean exact)
{
  char buf[32];

  if (!isfinite (v))
    return;
  if (exact)
    hs_format_double (v, buf);
  else
    hs_format_double_computed (v, buf);
  g_string_append (out, buf);
}

static gboolean
parse_id (const char *text,
          int64_t    *id,
          GError    **error)
{
  if (text == NULL || !hs_parse_int64 (text, id) || *id <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "a backtest run ID is a positive integer, not “%s”", text ? text : "");
      return FALSE;
    }
  return TRUE;
}

/* "backtest SUB" as argv[0] for messages; the strings stay the caller's. */
static char **
sub_argv (int    argc,
          char **argv,
          int   *sub_argc)
{
  char **v = g_new0 (char *, argc + 1);

  v[0] = g_strdup_printf ("%s %s", argv[0], argv[1]);
  for (int i = 2; i < argc; i++)
    v[i - 1] = argv[i];
  *sub_argc = argc - 1;
  return v;
}

/* Frees what sub_argv() made: the first string and the array, not the borrowed strings.
 * GOption may reorder the array, so the first string is kept separately by the caller. */
static void
sub_argv_free (char **v,
               char  *first)
{
  g_free (first);
  g_free (v);
}

typedef struct
{
  char  *first;
  char **argv;
} SubArgs;

static void
sub_args_clear (SubArgs *a)
{
  sub_argv_free (a->argv, a->first);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SubArgs, sub_args_clear)

static int
stored_list (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *strategy = NULL, *symbol = NULL, *from = NULL, *to = NULL;
  gboolean json = FALSE;
  int limit = 0;
  int status = HS_EXIT_OK;
  GError *error = NULL;
  HsBtRunFilter filter;
  const GOptionEntry entries[] = {
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy, "Only runs of this strategy", "S" },
    { "symbol", 0, 0, G_OPTION_ARG_STRING, &symbol, "Only runs on this symbol", "S" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Only runs whose tested period ends on or "
      "after DATE", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Only runs whose tested period starts on or before "
      "DATE", "DATE" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "At most N runs (newest first)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of a table", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Lists stored backtest runs, newest first, with their "
                                         "headline statistics.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    {
      g_printerr ("hindsight-cli: backtest list takes no arguments\n");
      return HS_EXIT_BAD_INPUT;
    }
  hs_bt_run_filter_init (&filter);
  filter.strategy = strategy;
  filter.symbol = symbol;
  filter.limit = MAX (limit, 0);
  if ((from != NULL && !hs_time_parse_bound (from, FALSE, &filter.from_ts, &error))
      || (to != NULL && !hs_time_parse_bound (to, TRUE, &filter.to_ts, &error)))
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_store_list_backtests (store, &filter, &rows, &error))
    return fail (error);

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("[");

      for (guint i = 0; i < rows->len; i++)
        {
          HsBtRunRow *row = rows->pdata[i];
          const HsBtRunInfo *info = row->info;
          const HsStatistics *s = &row->result->stats;

          g_string_append_printf (out, "%s\n{\"id\":%" G_GINT64_FORMAT ",\"created_at\":",
                                  i ? "," : "", info->id);
          json_time (out, info->created_at);
          g_string_append (out, ",\"strategy\":");
          hs_cli_json_text (out, info->strategy_name);
          g_string_append (out, ",\"strategy_version\":");
          hs_cli_json_text (out, info->strategy_version);
          g_string_append (out, ",\"symbol\":");
          hs_cli_json_text (out, info->symbol);
          g_string_append (out, ",\"interval\":");
          hs_cli_json_text (out, info->interval);
          g_string_append (out, ",\"start\":");
          json_time (out, info->start_ts);
          g_string_append (out, ",\"end\":");
          json_time (out, info->end_ts);
          g_string_append (out, ",\"profile\":");
          hs_cli_json_text (out, info->profile);
          g_string_append (out, ",\"status\":");
          hs_cli_json_text (out, info->status);
          g_string_append_printf (out, ",\"cache_hit\":%d,\"net_profit\":", info->cache_hit);
          hs_cli_json_computed (out, s->net_profit);
          g_string_append (out, ",\"sharpe_ratio\":");
          hs_cli_json_computed (out, s->sharpe_ratio);
          g_string_append (out, ",\"max_drawdown\":");
          hs_cli_json_computed (out, s->max_drawdown);
          g_string_append (out, ",\"total_trades\":");
          json_int (out, s->total_trades, 0);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "\n]\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }

  printf ("%6s  %-20s  %-24s  %-8s  %-10s  %-4s  %-10s  %-10s  %-9s  %-5s  %9s  %7s  %7s  %6s\n",
          "ID", "CREATED", "STRATEGY", "VERSION", "SYMBOL", "INT", "FROM", "TO", "STATUS",
          "CACHE", "NET%", "SHARPE", "MAXDD%", "TRADES");
  for (guint i = 0; i < rows->len; i++)
    {
      HsBtRunRow *row = rows->pdata[i];
      const HsBtRunInfo *info = row->info;
      const HsStatistics *s = &row->result->stats;
      char created[40], start[40], end[40], net[32] = "-", sharpe[32] = "-", dd[32] = "-";
      char trades[32] = "-";

      hs_time_format_iso_buf (info->created_at, created);
      created[19] = '\0';
      hs_time_format_iso_buf (info->start_ts, start);
      start[10] = '\0';
      hs_time_format_iso_buf (info->end_ts, end);
      end[10] = '\0';
      if (isfinite (s->net_profit))
        g_snprintf (net, sizeof net, "%.3f", s->net_profit * 100);
      if (isfinite (s->sharpe_ratio))
        g_snprintf (sharpe, sizeof sharpe, "%.3f", s->sharpe_ratio);
      if (isfinite (s->max_drawdown))
        g_snprintf (dd, sizeof dd, "%.3f", s->max_drawdown * 100);
      if (s->total_trades >= 0)
        g_snprintf (trades, sizeof trades, "%" G_GINT64_FORMAT, s->total_trades);
      printf ("%6" G_GINT64_FORMAT "  %-20s  %-24s  %-8s  %-10s  %-4s  %-10s  %-10s  %-9s  %-5s  "
              "%9s  %7s  %7s  %6s\n", info->id, created, info->strategy_name,
              info->strategy_version[0] ? info->strategy_version : "-", info->symbol,
              info->interval, start, end, info->status, info->cache_hit ? "hit" : "-", net,
              sharpe, dd, trades);
    }
  return HS_EXIT_OK;
}

/* Opens the store and loads run argv[1] (after option parsing: argv[0] is the command). */
static gboolean
load_run_arg (int           argc,
              char        **argv,
              gboolean      full,
              HsStore     **out_store,
              HsBtRunInfo **info,
              HsBtResult  **result,
              int          *status)
{
  g_autoptr(HsStore) store = NULL;
  GError *error = NULL;
  int64_t id = 0;

  if (argc != 2)
    {
      g_printerr ("hindsight-cli: %s needs one backtest run ID\n", argv[0]);
      *status = HS_EXIT_BAD_INPUT;
      return FALSE;
    }
  if (!parse_id (argv[1], &id, &error))
    {
      *status = fail (error);
      return FALSE;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL
      || !(full ? hs_store_load_backtest : hs_store_load_backtest_summary) (store, id, info,
                                                                            result, &error))
    {
      *status = fail (error);
      return FALSE;
    }
  if (out_store != NULL)
    *out_store = g_steal_pointer (&store);
  return TRUE;
}

/* The statistics object: backtest_runs column → value. */
static void
json_statistics (GString          *out,
                 const HsBtResult *result)
{
  size_t n = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n);

  g_string_append_c (out, '{');
  for (size_t i = 0; i < n; i++)
    {
      const char *p = (const char *) result + cols[i].offset;

      g_string_append_printf (out, "%s\"%s\":", i ? "," : "", cols[i].name);
      switch (cols[i].type)
        {
        case HS_BT_COLUMN_DOUBLE:
          hs_cli_json_computed (out, *(const double *) p);
          break;
        case HS_BT_COLUMN_INT:
          json_int (out, *(const int64_t *) p, 0);
          break;
        case HS_BT_COLUMN_TEXT:
        default:
          hs_cli_json_text (out, *(char * const *) p);
          break;
        }
    }
  g_string_append_c (out, '}');
}

static int
stored_show (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID");
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtResult) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *params = NULL;
  gboolean json = FALSE;
  int status = HS_EXIT_OK;
  size_t n = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n);
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Shows a stored backtest run: what was run, its "
                                         "metadata and every statistic.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (!load_run_arg (argc, argv, TRUE, NULL, &info, &result, &status))
    return status;
  params = hs_bt_params_to_json (info->params);

  if (json)
    {
      g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"cache_hit\":%d,"
                              "\"source_run_id\":", info->id, info->cache_hit);
      json_int (out, info->source_run_id, 1);
      g_string_append (out, ",\"strategy\":");
      hs_cli_json_text (out, info->strategy_name);
      g_string_append (out, ",\"strategy_version\":");
      hs_cli_json_text (out, info->strategy_version);
      g_string_append (out, ",\"symbol\":");
      hs_cli_json_text (out, info->symbol);
      g_string_append (out, ",\"exchange\":");
      hs_cli_json_text (out, info->exchange);
      g_string_append (out, ",\"interval\":");
      hs_cli_json_text (out, info->interval);
      g_string_append (out, ",\"start\":");
      json_time (out, info->start_ts);
      g_string_append (out, ",\"end\":");
      json_time (out, info->end_ts);
      g_string_append (out, ",\"initial_cash\":");
      hs_cli_json_number (out, info->initial_cash);
      g_string_append_printf (out, ",\"params\":%s,\"profile\":", params);
      hs_cli_json_text (out, info->profile);
      g_string_append (out, ",\"fee_model\":");
      hs_cli_json_text (out, info->fee_model);
      g_string_append (out, ",\"slippage_model\":");
      hs_cli_json_text (out, info->slippage_model);
      g_string_append (out, ",\"sizing_model\":");
      hs_cli_json_text (out, info->sizing_model);
      g_string_append (out, ",\"benchmark\":");
      hs_cli_json_text (out, info->benchmark);
      g_string_append (out, ",\"pivot_bars\":");
      json_int (out, info->pivot_bars, 1);
      g_string_append (out, ",\"lower_timeframe\":");
      hs_cli_json_text (out, info->lower_timeframe);
      g_string_append (out, ",\"batch_id\":");
      hs_cli_json_text (out, info->batch_id);
      g_string_append (out, ",\"cache_key\":");
      hs_cli_json_text (out, info->cache_key);
      g_string_append (out, ",\"data_fingerprint\":");
      hs_cli_json_text (out, info->data_fingerprint);
      g_string_append (out, ",\"status\":");
      hs_cli_json_text (out, info->status);
      g_string_append (out, ",\"error\":");
      hs_cli_json_text (out, info->error_message);
      g_string_append (out, ",\"execution_time_ms\":");
      json_int (out, info->execution_time_ms, 0);
      g_string_append (out, ",\"started_at\":");
      json_time (out, info->started_at);
      g_string_append (out, ",\"finished_at\":");
      json_time (out, info->finished_at);
      g_string_append (out, ",\"created_at\":");
      json_time (out, info->created_at);
      g_string_append (out, ",\"result_path\":");
      hs_cli_json_text (out, info->result_path);
      g_string_append (out, ",\"statistics\":");
      json_statistics (out, result);
      g_string_append_printf (out, ",\"trades\":%u,\"equity_points\":%zu}\n", result->trades->len,
                              result->n);
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }

  g_string_append_printf (out, "run %" G_GINT64_FORMAT, info->id);
  if (info->cache_hit)
    g_string_append_printf (out, " (a cache hit: trades and equity of run %" G_GINT64_FORMAT ")",
                            info->source_run_id);
  g_string_append_printf (out, "\nstrategy            %s (version %s, profile %s)\n",
                          info->strategy_name,
                          info->strategy_version[0] ? info->strategy_version : "-",
                          info->profile);
  g_string_append_printf (out, "symbol              %s%s%s, %s\n", info->symbol,
                          info->exchange && info->exchange[0] ? " on " : "",
                          info->exchange && info->exchange[0] ? info->exchange : "",
                          info->interval);
  g_string_append (out, "period              ");
  append_time (out, info->start_ts);
  g_string_append (out, " to ");
  append_time (out, info->end_ts);
  g_string_append (out, "\ninitial cash        ");
  csv_number (out, info->initial_cash, TRUE);
  g_string_append_printf (out, "\nparameters          %s\n", params);
  g_string_append_printf (out, "models              fee %s, slippage %s, sizing %s, benchmark %s\n",
                          info->fee_model ? info->fee_model : "-",
                          info->slippage_model ? info->slippage_model : "-",
                          info->sizing_model ? info->sizing_model : "-",
                          info->benchmark ? info->benchmark : "-");
  g_string_append_printf (out, "status              %s%s%s\n", info->status,
                          info->error_message ? ": " : "",
                          info->error_message ? info->error_message : "");
  if (info->execution_time_ms >= 0)
    g_string_append_printf (out, "execution time      %" G_GINT64_FORMAT " ms\n",
                            info->execution_time_ms);
  g_string_append (out, "created             ");
  append_time (out, info->created_at);
  g_string_append_printf (out, "\ncache key           %s\n",
                          info->cache_key ? info->cache_key : "-");
  g_string_append_printf (out, "data fingerprint    %s\n",
                          info->data_fingerprint ? info->data_fingerprint : "-");
  if (info->result_path != NULL)
    g_string_append_printf (out, "result file         %s\n", info->result_path);
  g_string_append_printf (out, "stored              %u trades, %zu equity points\n",
                          result->trades->len, result->n);
  g_string_append (out, "statistics\n");
  for (size_t i = 0; i < n; i++)
    {
      const char *p = (const char *) result + cols[i].offset;
      char buf[32] = "-";

      switch (cols[i].type)
        {
        case HS_BT_COLUMN_DOUBLE:
          if (isfinite (*(const double *) p))
            hs_format_double_computed (*(const double *) p, buf);
          break;
        case HS_BT_COLUMN_INT:
          if (*(const int64_t *) p >= 0)
            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, *(const int64_t *) p);
          break;
        case HS_BT_COLUMN_TEXT:
        default:
          if (*(char * const *) p != NULL)
            g_strlcpy (buf, *(char * const *) p, sizeof buf);
          break;
        }
      g_string_append_printf (out, "  %-28s %s\n", cols[i].name, buf);
    }
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

static gboolean
parse_format (const char *format,
              gboolean   *json,
              int        *status)
{
  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      g_printerr ("hindsight-cli: --format must be csv or json\n");
      *status = HS_EXIT_BAD_INPUT;
      return FALSE;
    }
  *json = format != NULL && g_str_equal (format, "json");
  return TRUE;
}

static int
stored_trades (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID");
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtResult) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *format = NULL;
  gboolean json = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv (default) or json", "FORMAT" },
    { NULL }
  };

  g_option_context_set_summary (context, "Prints the trades of a stored backtest run in entry "
                                         "order.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status) || !parse_format (format, &json, &status))
    return status;
  if (!load_run_arg (argc, argv, TRUE, NULL, &info, &result, &status))
    return status;

  g_string_append (out, json ? "[" : "trade_no,entry_time,exit_time,side,quantity,entry_price,"
                                     "exit_price,pnl,pnl_pct,fees,mfe_pct,mae_pct,bars_held,"
                                     "exit_reason\n");
  for (guint i = 0; i < result->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (result->trades, HsBtTrade, i);
      const char *reason = hs_exit_reason_name (t->exit_reason);
      gboolean open = isnan (t->exit_price);
      const double exact[] = { t->quantity, t->entry_price, t->exit_price };
      const double computed[] = { t->pnl, t->pnl_pct, t->fees, t->mfe_pct, t->mae_pct };
      static const char *const exact_keys[] = { "quantity", "entry_price", "exit_price" };
      static const char *const computed_keys[] = { "pnl", "pnl_pct", "fees", "mfe_pct",
                                                    "mae_pct" };

      if (json)
        {
          g_string_append_printf (out, "%s\n{\"trade_no\":%u,\"entry_time\":", i ? "," : "",
                                  i + 1);
          json_time (out, t->entry_ts);
          g_string_append (out, ",\"exit_time\":");
          json_time (out, open ? 0 : t->exit_ts);
          g_string_append_printf (out, ",\"side\":\"%s\"", t->side < 0 ? "short" : "long");
          for (size_t k = 0; k < G_N_ELEMENTS (exact); k++)
            {
              g_string_append_printf (out, ",\"%s\":", exact_keys[k]);
              hs_cli_json_number (out, exact[k]);
            }
          for (size_t k = 0; k < G_N_ELEMENTS (computed); k++)
            {
              g_string_append_printf (out, ",\"%s\":", computed_keys[k]);
              hs_cli_json_computed (out, computed[k]);
            }
          g_string_append (out, ",\"bars_held\":");
          json_int (out, t->bars_held, 0);
          g_string_append (out, ",\"exit_reason\":");
          hs_cli_json_text (out, reason);
          /* signal_metadata is a JSON object (the schema CHECKs it): kept as it is. */
          g_string_append_printf (out, ",\"signal\":%s}", t->signal_json ? t->signal_json
                                                                        : "null");
        }
      else
        {
          g_string_append_printf (out, "%u,", i + 1);
          append_time (out, t->entry_ts);
          g_string_append_c (out, ',');
          if (!open)
            append_time (out, t->exit_ts);
          g_string_append_printf (out, ",%s", t->side < 0 ? "short" : "long");
          for (size_t k = 0; k < G_N_ELEMENTS (exact); k++)
            {
              g_string_append_c (out, ',');
              csv_number (out, exact[k], TRUE);
            }
          for (size_t k = 0; k < G_N_ELEMENTS (computed); k++)
            {
              g_string_append_c (out, ',');
              csv_number (out, computed[k], FALSE);
            }
          g_string_append_c (out, ',');
          if (t->bars_held >= 0)
            g_string_append_printf (out, "%" G_GINT64_FORMAT, t->bars_held);
          g_string_append_printf (out, ",%s\n", reason ? reason : "");
        }
    }
  if (json)
    g_string_append (out, "\n]\n");
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

static int
stored_equity (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID");
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtResult) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *format = NULL;
  gboolean json = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv (default) or json", "FORMAT" },
    { NULL }
  };

  g_option_context_set_summary (context, "Prints the equity curve of a stored backtest run.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status) || !parse_format (format, &json, &status))
    return status;
  if (!load_run_arg (argc, argv, TRUE, NULL, &info, &result, &status))
    return status;

  g_string_append (out, json ? "[" : "timestamp,equity,cash,holdings,drawdown,benchmark\n");
  for (size_t i = 0; i < result->n; i++)
    {
      double bench = result->benchmark ? result->benchmark[i] : NAN;

      if (json)
        {
          g_string_append_printf (out, "%s\n{\"timestamp\":", i ? "," : "");
          json_time (out, result->ts[i]);
          g_string_append (out, ",\"equity\":");
          hs_cli_json_number (out, result->equity[i]);
          g_string_append (out, ",\"cash\":");
          hs_cli_json_number (out, result->cash[i]);
          g_string_append (out, ",\"holdings\":");
          hs_cli_json_number (out, result->holdings[i]);
          g_string_append (out, ",\"drawdown\":");
          hs_cli_json_computed (out, result->drawdown[i]);
          g_string_append (out, ",\"benchmark\":");
          hs_cli_json_number (out, bench);
          g_string_append_c (out, '}');
        }
      else
        {
          append_time (out, result->ts[i]);
          g_string_append_c (out, ',');
          csv_number (out, result->equity[i], TRUE);
          g_string_append_c (out, ',');
          csv_number (out, result->cash[i], TRUE);
          g_string_append_c (out, ',');
          csv_number (out, result->holdings[i], TRUE);
          g_string_append_c (out, ',');
          csv_number (out, result->drawdown[i], FALSE);
          g_string_append_c (out, ',');
          csv_number (out, bench, TRUE);
          g_string_append_c (out, '\n');
        }
      if (out->len > 1 << 16)
        {
          fwrite (out->str, 1, out->len, stdout);
          g_string_truncate (out, 0);
        }
    }
  if (json)
    g_string_append (out, "\n]\n");
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

static int
stored_delete (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID");
  g_autoptr(HsStore) store = NULL;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  int64_t id = 0;

  g_option_context_set_summary (context, "Deletes a stored backtest run with its trades and "
                                         "equity curve, and the cache hits that repeat it.");
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    {
      g_printerr ("hindsight-cli: %s needs one backtest run ID\n", argv[0]);
      return HS_EXIT_BAD_INPUT;
    }
  if (!parse_id (argv[1], &id, &error))
    return fail (error);
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_store_delete_backtest (store, id, &error))
    return fail (error);
  printf ("deleted backtest run %" G_GINT64_FORMAT "\n", id);
  return HS_EXIT_OK;
}

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
} stored_commands[] = {
  { "list", stored_list },
  { "show", stored_show },
  { "trades", stored_trades },
  { "equity", stored_equity },
  { "delete", stored_delete },
};

gboolean
hs_cli_backtest_is_stored (const char *subcommand)
{
  for (size_t i = 0; subcommand != NULL && i < G_N_ELEMENTS (stored_commands); i++)
    if (g_str_equal (subcommand, stored_commands[i].name))
      return TRUE;
  return FALSE;
}

/**
 * hs_cli_backtest_stored:
 * @argv: "backtest", then list, show, trades, equity or delete, then its arguments
 *
 * Returns: the exit status
 */
int
hs_cli_backtest_stored (int    argc,
                        char **argv)
{
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("Usage: hindsight-cli backtest list [--strategy S] [--symbol S] [--from DATE] "
              "[--to DATE] [--limit N] [--json]\n"
              "       hindsight-cli backtest show ID [--json]\n"
              "       hindsight-cli backtest trades ID [--format csv|json]\n"
              "       hindsight-cli backtest equity ID [--format csv|json]\n"
              "       hindsight-cli backtest delete ID\n"
              "SUBCOMMAND --help tells its options.\n");
      return HS_EXIT_OK;
    }
  if (argc < 2 || !hs_cli_backtest_is_stored (argv[1]))
    {
      g_printerr ("hindsight-cli: backtest needs a subcommand: list, show ID, trades ID, "
                  "equity ID, delete ID\n");
      return HS_EXIT_BAD_INPUT;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (stored_commands); i++)
    if (g_str_equal (argv[1], stored_commands[i].name))
      {
        g_auto(SubArgs) args = { NULL, NULL };
        int sub_argc = 0;

        args.argv = sub_argv (argc, argv, &sub_argc);
        args.first = args.argv[0];
        return stored_commands[i].run (sub_argc, args.argv);
      }
  g_assert_not_reached ();
  return HS_EXIT_BAD_INPUT;
}

/**
 * hs_cli_import_lean_result:
 * @argv: "import", "lean-result", FILE and options
 *
 * Imports a LEAN result file as a backtest run; a file already imported (same bytes) is not
 * imported twice.
 *
 * Returns: the exit status
 */
int
hs_cli_import_lean_result (int    argc,
                           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("lean-result FILE");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsLeanResult) lean = NULL;
  g_autofree char *symbol = NULL, *strategy = NULL, *interval = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  int64_t id = 0, existing = 0, instrument = 0;
  const char *path;
  const GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "The resolution the run used (LEAN does "
      "not record it; default 1m)", "I" },
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "Symbol to store the run under (default: "
      "the symbol the orders traded)", "S" },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy, "Strategy name (default: the "
      "algorithm's name, else the file name)", "NAME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Imports a QuantConnect LEAN backtest result file (FILE.json, or FILE-summary.json) as a\n"
    "backtest run: statistics, the Strategy Equity chart, closed trades and the order count.\n"
    "Unknown or missing keys are reported as warnings; importing the same file again adds "
    "nothing.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3 || !g_str_equal (argv[1], "lean-result"))
    {
      g_printerr ("hindsight-cli: import lean-result needs one FILE\n");
      return HS_EXIT_BAD_INPUT;
    }
  path = argv[2];
  lean = hs_lean_result_load (path, interval, &error);
  if (lean == NULL)
    return fail (error);
  if (symbol != NULL)
    {
      g_free (lean->info->symbol);
      lean->info->symbol = g_steal_pointer (&symbol);
    }
  if (strategy != NULL)
    {
      g_free (lean->info->strategy_name);
      lean->info->strategy_name = g_steal_pointer (&strategy);
    }

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_store_find_cached_backtest (store, lean->info->cache_key, &existing,
                                                       &error))
    return fail (error);
  if (existing == 0)
    {
      g_autoptr(GError) local = NULL;

      /* Link the run to the instrument when it is stored (no exchange given). */
      if (hs_store_find_instrument (store, lean->info->symbol, NULL, &instrument, &local))
        lean->info->instrument_id = instrument;
      if (!hs_store_save_backtest (store, lean->info, lean->result, &id, &error))
        {
          g_prefix_error (&error, "%s: ", path);
          return fail (error);
        }
    }

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("{\"kind\":\"lean-result\",\"file\":");

      hs_cli_json_string (out, path);
      g_string_append_printf (out, ",\"run_id\":%" G_GINT64_FORMAT ",\"already_imported\":%s,"
                              "\"strategy\":", existing ? existing : id,
                              existing ? "true" : "false");
      hs_cli_json_string (out, lean->info->strategy_name);
      g_string_append (out, ",\"symbol\":");
      hs_cli_json_string (out, lean->info->symbol);
      g_string_append_printf (out, ",\"equity_points\":%zu,\"trades\":%u,\"orders\":",
                              lean->result->n, lean->result->trades->len);
      json_int (out, lean->result->total_orders, 0);
      g_string_append (out, ",\"warnings\":[");
      for (guint i = 0; i < lean->warnings->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          hs_cli_json_string (out, lean->warnings->pdata[i]);
        }
      g_string_append (out, "]}\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }
  /* A file imported before was reported then. */
  for (guint i = 0; existing == 0 && i < lean->warnings->len; i++)
    g_printerr ("hindsight-cli: %s: warning: %s\n", path, (const char *) lean->warnings->pdata[i]);
  if (existing != 0)
    printf ("%s: already imported as backtest run %" G_GINT64_FORMAT "\n", path, existing);
  else
    printf ("%s: backtest run %" G_GINT64_FORMAT ": %s on %s, %zu equity points, %u trades, "
            "%" G_GINT64_FORMAT " orders\n", path, id, lean->info->strategy_name,
            lean->info->symbol, lean->result->n, lean->result->trades->len,
            MAX (lean->result->total_orders, 0));
  return HS_EXIT_OK;
}
