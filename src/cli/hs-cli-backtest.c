/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `strategies` lists the built-in strategies with their parameters (what the GUI renders as a
 * form); `backtest` runs one (or a rule set from a JSON file) over stored bars and prints the
 * statistics and trades, as text or JSON. Every run has a cache key over its request, the
 * strategy's version and the store's versions of the series it reads (known before reading
 * them): an identical request is answered from backtest_runs (cache_hit 1) without reading a bar
 * or running the engine, in a few milliseconds, and any change of data or settings runs it
 * again. `backtest list|show|trades|equity|delete` are hs-cli-backtest-store.c's.
 * Output formats are stable and documented in the README.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-backtest.h"
#include "hs-bt-run.h"
#include "hs-cache-key.h"
#include "hs-backtest-job.h"
#include "hs-cli-backtest.h"
#include "hs-cli-backtest-store.h"
#include "hs-cli-common.h"
#include "hs-expr.h"
#include "hs-interval.h"
#include "hs-records.h"
#include "hs-resample.h"
#include "hs-rules-json.h"
#include "hs-stats.h"
#include "hs-store-backtest.h"
#include "hs-store-lean.h"
#include "hs-store-market.h"
#include "hs-store-rates.h"
#include "hs-strategy.h"
#include "hs-sweep.h"
#include "hs-time.h"

/* ---- strategies ---- */

static void
json_param_number (GString            *out,
                   const HsParamSpec  *p,
                   double              v)
{
  if (p->type == HS_PARAM_INT || p->type == HS_PARAM_DOUBLE)
    hs_cli_json_number (out, v);
  else
    g_string_append (out, "null");
}

int
hs_cli_strategies (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean json = FALSE;
  int status = HS_EXIT_OK;
  size_t n = 0;
  const HsStrategyInfo *all = hs_strategy_all (&n);
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Lists the built-in strategies: name, version (part of the backtest cache key) and each\n"
    "parameter with its type (int, double, enum, interval), default, range, step and help.\n"
    "Set parameters with backtest --strategy NAME --param NAME=VALUE. Rule sets: --rules FILE.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    {
      g_printerr ("hindsight-cli: strategies takes no arguments\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (json)
    g_string_append_c (out, '[');
  for (size_t i = 0; i < n; i++)
    {
      const HsStrategyInfo *s = &all[i];

      if (json)
        {
          g_string_append_printf (out, "%s\n{\"name\":", i ? "," : "");
          hs_cli_json_string (out, s->name);
          g_string_append (out, ",\"version\":");
          hs_cli_json_string (out, s->version);
          g_string_append (out, ",\"summary\":");
          hs_cli_json_string (out, s->summary);
          g_string_append (out, ",\"parameters\":[");
          for (size_t k = 0; k < s->n_params; k++)
            {
              const HsParamSpec *p = &s->params[k];

              g_string_append_printf (out, "%s{\"name\":", k ? "," : "");
              hs_cli_json_string (out, p->name);
              g_string_append_printf (out, ",\"type\":\"%s\",\"default\":",
                                      hs_param_type_to_string (p->type));
              if (p->type == HS_PARAM_INT || p->type == HS_PARAM_DOUBLE)
                hs_cli_json_number (out, p->def);
              else
                hs_cli_json_string (out, p->def_text);
              g_string_append (out, ",\"min\":");
              json_param_number (out, p, p->min);
              g_string_append (out, ",\"max\":");
              json_param_number (out, p, p->max);
              g_string_append (out, ",\"step\":");
              json_param_number (out, p, p->step);
              g_string_append (out, ",\"choices\":");
              if (p->type == HS_PARAM_ENUM)
                {
                  g_string_append_c (out, '[');
                  for (size_t c = 0; p->choices[c] != NULL; c++)
                    {
                      if (c)
                        g_string_append_c (out, ',');
                      hs_cli_json_string (out, p->choices[c]);
                    }
                  g_string_append_c (out, ']');
                }
              else
                g_string_append (out, "null");
              g_string_append (out, ",\"help\":");
              hs_cli_json_string (out, p->help);
              g_string_append_c (out, '}');
            }
          g_string_append (out, "]}");
          continue;
        }
      g_string_append_printf (out, "%s%s (version %s)\n  %s\n", i ? "\n" : "", s->name,
                              s->version, s->summary);
      for (size_t k = 0; k < s->n_params; k++)
        {
          const HsParamSpec *p = &s->params[k];
          g_autofree char *range = NULL;

          if (p->type == HS_PARAM_INT || p->type == HS_PARAM_DOUBLE)
            range = g_strdup_printf ("%g (%g … %g, step %g)", p->def, p->min, p->max, p->step);
          else if (p->type == HS_PARAM_ENUM)
            {
              g_autofree char *choices = g_strjoinv ("|", (char **) p->choices);

              range = g_strdup_printf ("%s (%s)", p->def_text, choices);
            }
          else
            range = g_strdup_printf ("“%s” (an interval, empty for the bars' own)", p->def_text);
          g_string_append_printf (out, "  %-18s %-8s %s\n  %-18s %-8s %s\n", p->name,
                                  hs_param_type_to_string (p->type), range, "", "", p->help);
        }
    }
  if (json)
    g_string_append (out, "\n]\n");
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

/* ---- backtest ---- */

static void
append_time (GString *out,
             int64_t  us)
{
  char buf[40];

  hs_time_format_iso_buf (us, buf);
  g_string_append (out, buf);
}

/* The statistics object: backtest_runs column → value, as `backtest show --json` prints it. */
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
          hs_cli_json_computed (out, *(const double *) (const void *) p);
          break;
        case HS_BT_COLUMN_INT:
          if (*(const int64_t *) (const void *) p < 0)
            g_string_append (out, "null");
          else
            g_string_append_printf (out, "%" G_GINT64_FORMAT, *(const int64_t *) (const void *) p);
          break;
        case HS_BT_COLUMN_TEXT:
        default:
          if (*(char * const *) (const void *) p == NULL)
            g_string_append (out, "null");
          else
            hs_cli_json_string (out, *(char * const *) (const void *) p);
          break;
        }
    }
  g_string_append_c (out, '}');
}

static void
json_trades (GString          *out,
             const HsBtResult *result)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < result->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (result->trades, HsBtTrade, i);
      const char *reason = hs_exit_reason_name (t->exit_reason);

      g_string_append_printf (out, "%s\n{\"trade_no\":%u,\"entry_time\":\"", i ? "," : "", i + 1);
      append_time (out, t->entry_ts);
      g_string_append (out, "\",\"exit_time\":\"");
      append_time (out, t->exit_ts);
      g_string_append_printf (out, "\",\"side\":\"%s\",\"quantity\":",
                              t->side < 0 ? "short" : "long");
      hs_cli_json_number (out, t->quantity);
      g_string_append (out, ",\"entry_price\":");
      hs_cli_json_computed (out, t->entry_price);
      g_string_append (out, ",\"exit_price\":");
      hs_cli_json_computed (out, t->exit_price);
      g_string_append (out, ",\"pnl\":");
      hs_cli_json_computed (out, t->pnl);
      g_string_append (out, ",\"pnl_pct\":");
      hs_cli_json_computed (out, t->pnl_pct);
      g_string_append (out, ",\"fees\":");
      hs_cli_json_computed (out, t->fees);
      g_string_append (out, ",\"mfe_pct\":");
      hs_cli_json_computed (out, t->mfe_pct);
      g_string_append (out, ",\"mae_pct\":");
      hs_cli_json_computed (out, t->mae_pct);
      g_string_append_printf (out, ",\"bars_held\":%" G_GINT64_FORMAT ",\"exit_reason\":",
                              t->bars_held);
      if (reason != NULL)
        hs_cli_json_string (out, reason);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"entry_snapshot_id\":");
      if (t->entry_snapshot_id > 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, t->entry_snapshot_id);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"exit_snapshot_id\":");
      if (t->exit_snapshot_id > 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, t->exit_snapshot_id);
      else
        g_string_append (out, "null");
      /* The strategy's metadata is a JSON object: kept as it is. */
      g_string_append_printf (out, ",\"signal\":%s}", t->signal_json ? t->signal_json : "null");
    }
  g_string_append (out, result->trades->len ? "\n]" : "]");
}

static void
print_result (const HsBtRunInfo *info,
              const HsBtResult  *result,
              int64_t            id,
              int                cache_hit,
              int64_t            source_id,
              gboolean           json)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *params = hs_bt_params_to_json (info->params);
  size_t n = 0;
  const HsStatInfo *fields = hs_stats_fields (&n);
  int64_t n_trades;

  if (json)
    {
      g_string_append (out, "{\"id\":");
      if (id > 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, id);
      else
        g_string_append (out, "null");
      g_string_append_printf (out, ",\"cache_hit\":%d,\"strategy\":", cache_hit);
      hs_cli_json_string (out, info->strategy_name);
      g_string_append (out, ",\"strategy_version\":");
      hs_cli_json_string (out, info->strategy_version ? info->strategy_version : "");
      g_string_append (out, ",\"symbol\":");
      hs_cli_json_string (out, info->symbol);
      g_string_append (out, ",\"interval\":");
      hs_cli_json_string (out, info->interval);
      g_string_append (out, ",\"start\":\"");
      append_time (out, info->start_ts);
      g_string_append (out, "\",\"end\":\"");
      append_time (out, info->end_ts);
      g_string_append_printf (out, "\",\"params\":%s,\"cache_key\":", params);
      if (info->cache_key != NULL)
        hs_cli_json_string (out, info->cache_key);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"statistics\":");
      json_statistics (out, result);
      g_string_append (out, ",\"trades\":");
      json_trades (out, result);
      g_string_append (out, "}\n");
      fputs (out->str, stdout);
      return;
    }

  if (id > 0)
    g_string_append_printf (out, "run %" G_GINT64_FORMAT, id);
  else
    g_string_append (out, "run (not stored)");
  if (cache_hit)
    g_string_append_printf (out, ": answered from the cache (run %" G_GINT64_FORMAT ")",
                            source_id);
  g_string_append_printf (out, "\nstrategy      %s (version %s) %s\n", info->strategy_name,
                          info->strategy_version ? info->strategy_version : "-", params);
  g_string_append_printf (out, "data          %s %s, ", info->symbol, info->interval);
  append_time (out, info->start_ts);
  g_string_append (out, " to ");
  append_time (out, info->end_ts);
  g_string_append_printf (out, "\nmodels        fee %s, slippage %s, sizing %s%s%s\n",
                          info->fee_model, info->slippage_model, info->sizing_model,
                          info->benchmark ? ", benchmark " : "",
                          info->benchmark ? info->benchmark : "");
  for (size_t i = 0; i < n; i++)
    {
      g_autofree char *v = hs_statistics_format (&result->stats, &fields[i]);

      g_string_append_printf (out, "%-30s %s\n", fields[i].name, v ? v : "-");
    }
  if (result->pivot_highs_detected >= 0)
    g_string_append_printf (out, "%-30s %" G_GINT64_FORMAT "\n%-30s %" G_GINT64_FORMAT "\n"
                            "%-30s %" G_GINT64_FORMAT "\n", "Pivot Highs Detected",
                            result->pivot_highs_detected, "Pivot Lows Detected",
                            result->pivot_lows_detected, "BOS Signals Generated",
                            result->bos_signals_generated);
  if (result->position_flips >= 0)
    g_string_append_printf (out, "%-30s %" G_GINT64_FORMAT "\n%-30s %" G_GINT64_FORMAT "\n",
                            "Position Flips", result->position_flips, "Liquidation Events",
                            result->liquidation_events);
  /* The trades themselves are `backtest trades ID`: a long run has tens of thousands. */
  n_trades = result->stats.total_trades >= 0 ? result->stats.total_trades
                                             : (int64_t) result->trades->len;
  g_string_append_printf (out, "\n%" G_GINT64_FORMAT " %s", n_trades,
                          n_trades == 1 ? "trade" : "trades");
  if (id > 0 && n_trades > 0)
    g_string_append_printf (out, ": hindsight-cli backtest trades %" G_GINT64_FORMAT,
                            cache_hit ? source_id : id);
  g_string_append_c (out, '\n');
  fputs (out->str, stdout);
}

/* Bad requests (parameters, models, rule sets, expressions) exit 2; the rest 1. */
static int
fail (GError *error)
{
  int status = HS_EXIT_FAILURE;

  if (error->domain == HS_STRATEGY_ERROR || error->domain == HS_BACKTEST_ERROR
      || g_error_matches (error, HS_BACKTEST_JOB_ERROR, HS_BACKTEST_JOB_ERROR_REQUEST)
      || error->domain == HS_EXPR_ERROR || error->domain == JSON_PARSER_ERROR
      || error->domain == G_OPTION_ERROR || error->domain == G_FILE_ERROR
      || error->domain == HS_RESAMPLE_ERROR)
    status = HS_EXIT_BAD_INPUT;
  g_printerr ("hindsight-cli: %s\n", error->message);
  g_error_free (error);
  return status;
}

/* Prints @error (taken) and returns its exit status: 2 for a bad request, else 1. */
int
hs_cli_bt_fail (GError *error)
{
  return fail (error);
}

void
hs_cli_bt_json_statistics (GString          *out,
                           const HsBtResult *result)
{
  json_statistics (out, result);
}

void
hs_cli_bt_json_trades (GString          *out,
                       const HsBtResult *result)
{
  json_trades (out, result);
}

/**
 * hs_cli_bt_add_options:
 * @cq: where the values go; its request initialised with hs_backtest_request_init()
 * @mode: %HS_BACKTEST_SINGLE adds --rules and --no-cache, and documents --param as NAME=VALUE
 *
 * Adds the options that describe a run (data, strategy, models) to @context's main group.
 */
void
hs_cli_bt_add_options (GOptionContext *context,
                       HsCliBtRequest *cq,
                       HsBacktestMode  mode)
{
  HsBacktestRequest *q = &cq->run;
  gboolean single = mode == HS_BACKTEST_SINGLE;
  const GOptionEntry entries[] = {
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &q->symbol, "Symbol (required)", "S" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &q->exchange, "Exchange of the symbol", "E" },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &q->interval, "Interval of the stored bars "
      "(required)", "I" },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &q->strategy, "A built-in strategy (see "
      "hindsight-cli strategies)", "NAME" },
    single ? (GOptionEntry) { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &q->params,
                              "A strategy parameter (repeatable)", "NAME=VALUE" }
           : (GOptionEntry) { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &q->params,
                              "A parameter's values: START:STOP:STEP (inclusive), A,B,C or one "
                              "value (repeatable)", "NAME=SPEC" },
    { "cash", 0, 0, G_OPTION_ARG_DOUBLE, &q->cash, "Initial cash (default 100000)", "N" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &q->from, "First bar (inclusive)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &q->to, "Last bar (inclusive; a date covers the whole "
      "day)", "DATE" },
    { "fee-model", 0, 0, G_OPTION_ARG_STRING, &q->fee_model, "none (default), ibkr, "
      "per-share:RATE[:MIN[:MAX]], per-order:X or bps:X", "MODEL" },
    { "slippage-bps", 0, 0, G_OPTION_ARG_DOUBLE, &q->slippage_bps, "Slippage of market and "
      "stop fills in basis points (default 0)", "X" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &q->size, "fixed:Q, cash:X, percent:P (default "
      "percent:100) or risk:P", "SIZING" },
    { "stop-loss", 0, 0, G_OPTION_ARG_DOUBLE, &q->stop_loss, "Stop loss, percent of the entry",
      "PCT" },
    { "take-profit", 0, 0, G_OPTION_ARG_DOUBLE, &q->take_profit, "Take profit, percent of the "
      "entry", "PCT" },
    { "time-stop", 0, 0, G_OPTION_ARG_INT, &q->time_stop, "Exit after this many bars", "N" },
    { "benchmark", 0, 0, G_OPTION_ARG_STRING, &q->benchmark, "Benchmark symbol (its bars at "
      "the same interval)", "SYM" },
    { "session", 0, 0, G_OPTION_ARG_STRING, &q->session, "us or 24x7 (default by instrument "
      "kind)", "S" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &q->profile, "default, or lean: LEAN's fills, "
      "SetHoldings sizing and statistics (docs/backtester.md)", "P" },
    { "risk-free", 0, 0, G_OPTION_ARG_STRING, &q->risk_free, "A stored rate series (import "
      "rates) as the risk-free rate; default 0", "SERIES" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cq->json, "Print JSON", NULL },
    { NULL }
  };
  const GOptionEntry single_entries[] = {
    { "rules", 0, 0, G_OPTION_ARG_FILENAME, &q->rules_path, "A rule set (JSON) instead of "
      "--strategy", "FILE" },
    { "no-cache", 0, 0, G_OPTION_ARG_NONE, &q->no_cache, "Run even if an identical run is "
      "stored", NULL },
    { NULL }
  };

  /* GOption copies the entries. */
  g_option_context_add_main_entries (context, entries, NULL);
  if (single)
    g_option_context_add_main_entries (context, single_entries, NULL);
}

/* Prints what the run did without (hs_backtest_job_run()'s warnings). */
void
hs_cli_bt_print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    g_printerr ("hindsight-cli: warning: %s\n", (const char *) warnings->pdata[i]);
}

int
hs_cli_backtest (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(HsCliBtRequest) q = { { 0 } };
  g_auto(HsBacktestOutcome) outcome = { 0 };
  g_autofree char *db_path = NULL;
  GError *error = NULL;
  int status = HS_EXIT_OK;

  /* list, show, trades, equity and delete work on stored runs. */
  if (argc > 1 && hs_cli_backtest_is_stored (argv[1]))
    return hs_cli_backtest_stored (argc, argv);

  hs_backtest_request_init (&q.run);
  context = g_option_context_new ("[list|show|trades|equity|delete …]");
  g_option_context_set_summary (context,
    "Runs a backtest over stored bars and prints its statistics (or JSON with the trades:\n"
    "{\"id\", \"cache_hit\", \"strategy\", \"params\", \"statistics\", \"trades\", …}).\n"
    "The run is stored; an identical request (same data, strategy version, parameters and\n"
    "settings) is answered from the store with cache_hit 1. A decision at a bar's close fills\n"
    "at the next bar's open. Rules, models and strategies: docs/backtester.md.\n"
    "backtest list|show|trades|equity|delete work on stored runs (each has --help).");
  hs_cli_bt_add_options (context, &q, HS_BACKTEST_SINGLE);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return hs_cli_usage_error ("backtest: unexpected argument “%s”", argv[1]);
  db_path = hs_cli_db_path (hs_cli_db_option);
  /* What it prints: the statistics, and for --json the trades; never the equity curve. */
  if (!hs_backtest_job_run (db_path, &q.run, q.json, NULL, &outcome, &error))
    return fail (error);
  hs_cli_bt_print_warnings (outcome.warnings);
  print_result (outcome.info, outcome.result, outcome.id, outcome.cache_hit ? 1 : 0,
                outcome.source_id, q.json);
  return HS_EXIT_OK;
}
