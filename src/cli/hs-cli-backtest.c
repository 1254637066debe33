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

/* For each bar, the benchmark's close as of its time (the last benchmark bar starting at or
 * before it), NAN before the first. */
static double *
align_benchmark (const HsBars *bars,
                 const HsBars *bench)
{
  double *v = g_new (double, bars->n ? bars->n : 1);
  size_t j = 0;

  for (size_t i = 0; i < bars->n; i++)
    {
      while (j < bench->n && bench->ts[j] <= bars->ts[i])
        j++;
      v[i] = j > 0 ? bench->close[j - 1] : NAN;
    }
  return v;
}

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

void
hs_cli_bt_request_init (HsCliBtRequest *q)
{
  memset (q, 0, sizeof *q);
  q->cash = 100000;
  q->slippage_bps = 0;
  q->stop_loss = q->take_profit = 0;
}

void
hs_cli_bt_request_clear (HsCliBtRequest *q)
{
  g_free (q->symbol);
  g_free (q->exchange);
  g_free (q->interval);
  g_free (q->strategy);
  g_free (q->rules_path);
  g_free (q->from);
  g_free (q->to);
  g_strfreev (q->params);
  g_free (q->fee_model);
  g_free (q->size);
  g_free (q->benchmark);
  g_free (q->session);
  g_free (q->profile);
  g_free (q->risk_free);
}

void
hs_cli_bt_data_clear (HsCliBtData *d)
{
  g_clear_pointer (&d->bars, hs_bars_free);
  g_clear_pointer (&d->bench_bars, hs_bars_free);
  g_clear_pointer (&d->bench, g_free);
  g_clear_pointer (&d->rates, g_array_unref);
  g_clear_pointer (&d->lean, hs_cli_lean_free);
  g_clear_pointer (&d->store, hs_store_close);
}

/* Bad requests (parameters, models, rule sets, expressions) exit 2; the rest 1. */
static int
fail (GError *error)
{
  int status = HS_EXIT_FAILURE;

  if (error->domain == HS_STRATEGY_ERROR || error->domain == HS_BACKTEST_ERROR
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
 * @q: where the values go; initialised with hs_cli_bt_request_init()
 * @mode: %HS_CLI_BT_SINGLE adds --rules and --no-cache, and documents --param as NAME=VALUE
 *
 * Adds the options that describe a run (data, strategy, models) to @context's main group.
 */
void
hs_cli_bt_add_options (GOptionContext *context,
                       HsCliBtRequest *q,
                       HsCliBtMode     mode)
{
  gboolean single = mode == HS_CLI_BT_SINGLE;
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
    { "json", 0, 0, G_OPTION_ARG_NONE, &q->json, "Print JSON", NULL },
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

/**
 * hs_cli_bt_build:
 * @command: the command's name, for messages
 * @mode: %HS_CLI_BT_SINGLE sets @params from --param NAME=VALUE (or loads --rules) and records
 *   them in @info; %HS_CLI_BT_GRID leaves @params at the defaults and @info without them
 * @config: (out caller-allocates): the engine configuration
 * @params: (out) (transfer full): the strategy's parameters, %NULL for a rule set
 * @rules: (out) (transfer full): the rule set, %NULL for a strategy
 * @info: (out) (transfer full): the run's request (strategy, models, symbol, interval); the
 *   data (instrument, data key, period, fingerprint) is hs_cli_bt_key()'s and hs_cli_bt_load()'s
 *
 * Checks the request before any data is read; prints what is wrong.
 *
 * Returns: %HS_EXIT_OK, or the exit status of the error printed
 */
int
hs_cli_bt_build (const HsCliBtRequest *q,
                 const char           *command,
                 HsCliBtMode           mode,
                 HsBtConfig           *config,
                 HsStrategyParams    **out_params,
                 HsRuleSet           **out_rules,
                 HsBtRunInfo         **out_info)
{
  g_autoptr(HsStrategyParams) params = NULL;
  g_autoptr(HsRuleSet) rules = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  HsSessionKind session = HS_SESSION_US_EQUITY;
  int64_t from_ts = G_MININT64, to_ts = G_MAXINT64;
  GError *error = NULL;

  if (q->symbol == NULL || q->interval == NULL)
    return hs_cli_usage_error ("%s needs --symbol and --interval", command);
  if (hs_interval_lookup (q->interval) == NULL || g_str_equal (q->interval, "tick"))
    {
      g_autofree char *names = hs_interval_names ();

      return hs_cli_usage_error ("unknown interval “%s”; use one of %s", q->interval, names);
    }
  if (mode == HS_CLI_BT_GRID && q->strategy == NULL)
    return hs_cli_usage_error ("%s needs --strategy NAME", command);
  if ((q->strategy == NULL) == (q->rules_path == NULL))
    return hs_cli_usage_error ("%s needs either --strategy NAME or --rules FILE", command);
  if (q->rules_path != NULL && q->params != NULL)
    return hs_cli_usage_error ("--param goes with --strategy; a rule set has its expressions");
  if (q->session != NULL && !hs_session_kind_from_string (q->session, &session))
    return hs_cli_usage_error ("--session must be us or 24x7");
  if (q->profile != NULL && !g_str_equal (q->profile, "default")
      && !g_str_equal (q->profile, "lean"))
    return hs_cli_usage_error ("--profile must be default or lean");
  if ((q->from != NULL && !hs_cli_parse_time_arg (q->from, FALSE, &from_ts, &error))
      || (q->to != NULL && !hs_cli_parse_time_arg (q->to, TRUE, &to_ts, &error)))
    return fail (error);

  /* The request: strategy and parameters, models. Checked before any data is read. */
  hs_bt_config_init (config);
  config->initial_cash = q->cash;
  if (q->fee_model != NULL && !hs_fee_model_parse (q->fee_model, &config->fees, &error))
    return fail (error);
  if (q->slippage_bps > 0)
    {
      config->slippage.kind = HS_SLIPPAGE_BPS;
      config->slippage.bps = q->slippage_bps;
    }
  else if (q->slippage_bps < 0)
    return hs_cli_usage_error ("--slippage-bps must be ≥ 0");
  if (q->size != NULL && !hs_sizing_parse (q->size, &config->sizing, &error))
    return fail (error);
  config->stop_loss_pct = q->stop_loss;
  config->take_profit_pct = q->take_profit;
  config->time_stop_bars = q->time_stop;
  if (q->profile != NULL && g_str_equal (q->profile, "lean"))
    {
      config->profile = HS_STATS_PROFILE_LEAN;
      /* LEAN's default brokerage model charges Interactive Brokers' fees. */
      if (q->fee_model == NULL)
        hs_fee_model_ibkr (&config->fees);
    }

  info = hs_bt_run_info_new ();
  info->interval = g_strdup (hs_interval_lookup (q->interval)->name);
  if (q->strategy != NULL)
    {
      const HsStrategyInfo *s = hs_strategy_lookup (q->strategy);

      if (s == NULL)
        return hs_cli_usage_error ("unknown strategy “%s”; hindsight-cli strategies lists them",
                                   q->strategy);
      params = hs_strategy_params_new (s);
      info->strategy_name = g_strdup (s->name);
      info->strategy_version = g_strdup (s->version);
      if (mode == HS_CLI_BT_SINGLE)
        {
          for (size_t i = 0; q->params != NULL && q->params[i] != NULL; i++)
            if (!hs_strategy_params_parse_assignment (params, q->params[i], &error))
              return fail (error);
          if (!hs_strategy_params_check (params, &error))
            return fail (error);
          hs_sweep_info_set_params (info, params);
        }
    }
  else
    {
      g_autofree char *json = NULL;

      rules = hs_rule_set_load (q->rules_path, &error);
      if (rules == NULL)
        return fail (error);
      /* The rule set's sizing applies unless --size is given. */
      if (rules->sizing != NULL && q->size == NULL
          && !hs_sizing_parse (rules->sizing, &config->sizing, &error))
        return fail (error);
      json = hs_rule_set_to_json (rules);
      info->strategy_name = g_strdup (rules->name);
      info->strategy_version = g_strdup ("rule-set-" HS_RULE_SET_VERSION);
      hs_bt_run_info_set_json (info, "rules", json);
    }
  if (!hs_bt_config_check (config, &error))
    return fail (error);
  /* Engine settings that are not models of their own are part of the request too. */
  if (q->stop_loss > 0)
    hs_bt_run_info_set_number (info, "engine_stop_loss_pct", q->stop_loss);
  if (q->take_profit > 0)
    hs_bt_run_info_set_number (info, "engine_take_profit_pct", q->take_profit);
  if (q->time_stop > 0)
    hs_bt_run_info_set_number (info, "engine_time_stop_bars", q->time_stop);
  info->fee_model = hs_fee_model_to_string (&config->fees);
  info->slippage_model = hs_slippage_model_to_string (&config->slippage);
  info->sizing_model = hs_sizing_to_string (&config->sizing);
  g_free (info->profile);
  info->profile = g_strdup (config->profile == HS_STATS_PROFILE_LEAN ? "lean" : "default");
  info->initial_cash = q->cash;
  info->symbol = g_strdup (q->symbol);
  info->exchange = g_strdup (q->exchange);
  info->benchmark = g_strdup (q->benchmark);
  *out_params = g_steal_pointer (&params);
  *out_rules = g_steal_pointer (&rules);
  *out_info = g_steal_pointer (&info);
  return HS_EXIT_OK;
}

/* One series the run reads, at its version (0: never written), into the data key. */
static gboolean
key_series (GString    *key,
            HsStore    *store,
            HsDataKind  kind,
            int64_t     instrument_id,
            const char *series,
            const char *interval,
            GError    **error)
{
  int64_t version = 0;

  if (!hs_store_data_version (store, kind, instrument_id, series, interval, &version, error))
    return FALSE;
  series = series != NULL ? series : "";
  g_string_append_printf (key, "%s %" G_GINT64_FORMAT " %zu:%s %s v%" G_GINT64_FORMAT "\n",
                          hs_data_kind_to_string (kind), instrument_id, strlen (series), series,
                          interval != NULL ? interval : "-", version);
  return TRUE;
}

/* An instrument's bars: their version, and the first and last bar's start in the range (two
 * seeks; counting the bars would be a pass over all of them). */
static gboolean
key_bars (GString    *key,
          HsStore    *store,
          int64_t     instrument_id,
          const char *interval,
          int64_t     from_ts,
          int64_t     to_ts,
          GError    **error)
{
  gboolean found = FALSE;
  int64_t first = 0, last = 0;

  if (!key_series (key, store, HS_DATA_CANDLES, instrument_id, NULL, interval, error)
      || !hs_store_bar_range (store, instrument_id, interval, from_ts, to_ts, &found, &first,
                              &last, error))
    return FALSE;
  if (found)
    g_string_append_printf (key, "bars %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", first,
                            last);
  else
    g_string_append (key, "bars none\n");
  return TRUE;
}

/* Ends the read transaction hs_cli_bt_key() opened, before anything is written. */
static void
end_read (HsCliBtData *d)
{
  if (d->reading)
    hs_store_rollback (d->store);
  d->reading = FALSE;
}

/**
 * hs_cli_bt_key:
 * @info: from hs_cli_bt_build(); gets the instrument, the risk-free model, the benchmark and
 *   the data key, from which hs_cache_key_compute() gives the cache key
 * @data: (out caller-allocates): zeroed; clear with hs_cli_bt_data_clear()
 *
 * Opens the store and a read transaction, and names the data the run reads without reading
 * it: the range asked for, the session, and the version of each series read (the bars and the
 * benchmark's, each with its first and last bar time in the range; the risk-free rate series;
 * with --profile lean the quote bars, the factor files and the us_equity calendar, and the
 * algorithm's period). A write to any of them through the store gives a new version, so a new
 * key — a bar added outside the range too, since a version is per series. A few index lookups,
 * whatever the number of bars: an identical request is answered from the cache without
 * reading a bar. hs_cli_bt_load() then reads the data in the same snapshot.
 *
 * Also resolves what the data depends on: the session (--session or the instrument's kind),
 * --risk-free (read now: a few hundred rows, and its values go into @info->risk_free_model),
 * and the lean profile's defaults, SPY as the benchmark and the Fed primary credit rate as the
 * risk-free rate, with a warning when they are missing.
 *
 * Returns: %HS_EXIT_OK, or the exit status of the error printed
 */
int
hs_cli_bt_key (const HsCliBtRequest *q,
               HsBtRunInfo          *info,
               HsCliBtData          *d)
{
  g_autoptr(GString) key = g_string_new ("hindsight-data-key 1\n");
  GError *error = NULL;
  gboolean lean = g_strcmp0 (info->profile, "lean") == 0;
  const char *benchmark = q->benchmark, *rf_series = NULL;

  d->session = HS_SESSION_US_EQUITY;
  d->from_ts = G_MININT64;
  d->to_ts = G_MAXINT64;
  if ((q->session != NULL && !hs_session_kind_from_string (q->session, &d->session))
      || (q->from != NULL && !hs_cli_parse_time_arg (q->from, FALSE, &d->from_ts, NULL))
      || (q->to != NULL && !hs_cli_parse_time_arg (q->to, TRUE, &d->to_ts, NULL)))
    return hs_cli_usage_error ("bad --session, --from or --to");   /* hs_cli_bt_build() checked */

  d->started = hs_time_now_us ();
  d->t0 = g_get_monotonic_time ();
  d->store = hs_cli_open_store (hs_cli_db_option, &error);
  if (d->store == NULL || !hs_store_begin_read (d->store, &error))
    return fail (error);
  d->reading = TRUE;
  if (!hs_store_find_instrument (d->store, q->symbol, q->exchange, &d->instrument_id, &error))
    return fail (error);
  info->instrument_id = d->instrument_id;
  if (q->session == NULL)
    {
      g_autoptr(HsInstrument) inst = hs_store_load_instrument (d->store, d->instrument_id,
                                                               &error);

      if (inst == NULL)
        return fail (error);
      d->session = hs_session_kind_for_instrument (inst->kind);
    }
  /* --risk-free NAME, series or series:NAME; the lean profile takes LEAN's rate, the Fed primary
   * credit rate, when it is stored. */
  rf_series = hs_cli_risk_free_series (q->risk_free);
  if (rf_series == NULL && lean)
    {
      rf_series = HS_RATES_DEFAULT_SERIES;
      d->rates = hs_store_load_rates (d->store, rf_series, &error);
      if (d->rates == NULL && g_error_matches (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
        {
          g_printerr ("hindsight-cli: warning: no rate series %s: the risk-free rate is 0 (LEAN "
                      "uses the Fed primary credit rate: hindsight-cli import rates FILE)\n",
                      rf_series);
          g_clear_error (&error);
          rf_series = NULL;
        }
    }
  if (rf_series != NULL)
    {
      if (d->rates == NULL)
        d->rates = hs_store_load_rates (d->store, rf_series, &error);
      if (d->rates == NULL)
        return fail (error);
      d->risk_free.points = (const HsRatePoint *) (const void *) d->rates->data;
      d->risk_free.n_points = d->rates->len;
      /* The series' values, not only its name, decide the statistics. */
      info->risk_free_model = g_strdup_printf ("series:%s:%u:%016" G_GINT64_MODIFIER "x",
                                               rf_series, d->rates->len,
                                               hs_xxh64 (d->rates->data,
                                                         d->rates->len * sizeof (HsRatePoint),
                                                         0));
    }
  else
    info->risk_free_model = g_strdup ("constant:0");
  /* LEAN's default benchmark is SPY. */
  if (benchmark == NULL && lean)
    {
      if (hs_store_find_instrument (d->store, "SPY", NULL, &d->bench_id, NULL))
        {
          benchmark = "SPY";
          g_free (info->benchmark);
          info->benchmark = g_strdup (benchmark);
        }
      else
        g_printerr ("hindsight-cli: warning: no SPY, LEAN's default benchmark: alpha, beta and "
                    "the like are against zero (or give --benchmark SYM)\n");
    }
  else if (benchmark != NULL
           && !hs_store_find_instrument (d->store, benchmark, NULL, &d->bench_id, &error))
    return fail (error);

  /* The data key. */
  g_string_append_printf (key, "range %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\nsession %s\n",
                          d->from_ts, d->to_ts, hs_session_kind_to_string (d->session));
  if (!key_bars (key, d->store, d->instrument_id, info->interval, d->from_ts, d->to_ts, &error))
    return fail (error);
  if (benchmark != NULL)
    {
      g_string_append (key, "benchmark\n");
      if (!key_bars (key, d->store, d->bench_id, info->interval, d->from_ts, d->to_ts, &error))
        return fail (error);
    }
  if (rf_series != NULL
      && !key_series (key, d->store, HS_DATA_RATES, 0, rf_series, NULL, &error))
    return fail (error);
  if (lean)
    {
      const HsInterval *iv = hs_interval_lookup (info->interval);
      int64_t start = 0, end = 0;

      if (!hs_cli_lean_period (q->from, q->to, &start, &end, &error))
        return fail (error);
      g_string_append_printf (key, "lean period %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                              start, end);
      /* What hs_cli_lean_load() reads: the quotes (intraday only), the factor files of the
       * symbol and the benchmark, the calendar. */
      if ((iv->seconds > 0 && iv->seconds < 86400
           && !key_series (key, d->store, HS_DATA_QUOTE_BARS, d->instrument_id, NULL,
                           info->interval, &error))
          || !key_series (key, d->store, HS_DATA_FACTORS, d->instrument_id, NULL, NULL, &error)
          || (benchmark != NULL
              && !key_series (key, d->store, HS_DATA_FACTORS, d->bench_id, NULL, NULL, &error))
          || !key_series (key, d->store, HS_DATA_CALENDAR, 0, HS_MARKET_US_EQUITY, NULL,
                          &error))
        return fail (error);
    }
  g_free (info->data_key);
  info->data_key = g_string_free (g_steal_pointer (&key), FALSE);
  d->keyed = TRUE;
  return HS_EXIT_OK;
}

/**
 * hs_cli_bt_load:
 * @info: from hs_cli_bt_build(), or hs_cli_bt_key() when it ran (else this runs it first);
 *   gets the tested period and the data fingerprint
 * @data: (out caller-allocates): zeroed, or as hs_cli_bt_key() left it
 *
 * Reads what the run reads, in the snapshot hs_cli_bt_key() named: the bars (at least 2), the
 * benchmark's, the risk-free series; with --profile lean also LEAN's data (hs-cli-lean.c: the
 * bars cut to the regular session and adjusted, quotes, early closes). Ends the read
 * transaction. The data fingerprint (XXH64 of the bars read, about 0.7 ms per 100,000) is
 * recorded with the run; the cache key does not depend on it.
 *
 * Returns: %HS_EXIT_OK, or the exit status of the error printed
 */
int
hs_cli_bt_load (const HsCliBtRequest *q,
                HsBtRunInfo          *info,
                HsCliBtData          *d)
{
  g_autofree char *fingerprint = NULL;
  GError *error = NULL;
  gboolean lean = g_strcmp0 (info->profile, "lean") == 0;

  if (!d->keyed)
    {
      int status = hs_cli_bt_key (q, info, d);

      if (status != HS_EXIT_OK)
        return status;
    }
  d->bars = hs_store_load_bars (d->store, d->instrument_id, info->interval, d->from_ts, d->to_ts,
                                &error);
  if (d->bars == NULL)
    return fail (error);
  /* LEAN's data (hs-cli-lean.c): the regular session, adjusted prices, quotes, early closes. */
  if (lean)
    {
      d->lean = hs_cli_lean_load (d->store, d->instrument_id, q->symbol, info->interval,
                                  d->session, q->from, q->to, d->from_ts, d->to_ts, d->bars,
                                  &error);
      if (d->lean == NULL)
        return fail (error);
    }
  if (d->bars->n < 2)
    {
      g_printerr ("hindsight-cli: %s has %zu %s bar%s in that period: a backtest needs at "
                  "least 2\n", q->symbol, d->bars->n, info->interval, d->bars->n == 1 ? "" : "s");
      return HS_EXIT_FAILURE;
    }
  fingerprint = hs_bars_fingerprint (d->bars);
  if (lean)
    {
      g_autofree char *bars_fp = g_steal_pointer (&fingerprint);

      fingerprint = g_strdup_printf ("%s %s", bars_fp, d->lean->fingerprint);
    }
  g_clear_pointer (&info->data_fingerprint, g_free);
  if (info->benchmark != NULL && d->bench_id != 0)
    {
      g_autofree char *bench_fp = NULL;

      d->bench_bars = hs_store_load_bars (d->store, d->bench_id, info->interval, d->from_ts,
                                          d->to_ts, &error);
      if (d->bench_bars == NULL
          || (lean && !hs_cli_lean_prepare_bars (d->lean, d->store, d->bench_id, info->benchmark,
                                                 d->session, d->bench_bars, NULL, &error)))
        return fail (error);
      d->bench = align_benchmark (d->bars, d->bench_bars);
      bench_fp = hs_bars_fingerprint (d->bench_bars);
      info->data_fingerprint = g_strdup_printf ("%s benchmark %s", fingerprint, bench_fp);
    }
  else
    info->data_fingerprint = g_strdup (fingerprint);
  end_read (d);
  info->start_ts = d->bars->ts[0];
  info->end_ts = d->bars->ts[d->bars->n - 1] + hs_interval_lookup (info->interval)->seconds
                                               * G_USEC_PER_SEC;
  if (info->end_ts <= info->start_ts)
    info->end_ts = d->bars->ts[d->bars->n - 1] + 1;
  return HS_EXIT_OK;
}

/**
 * hs_cli_bt_input_init:
 *
 * Points @input at what hs_cli_bt_load() read: bars, benchmark, risk-free rate and, in the lean
 * profile, LEAN's quotes and calendar and its identifier of the symbol.
 */
void
hs_cli_bt_input_init (HsBtInput            *input,
                      const HsCliBtRequest *q,
                      const HsCliBtData    *d)
{
  memset (input, 0, sizeof *input);
  input->bars = d->bars;
  input->benchmark = d->bench;
  input->symbol = d->lean != NULL && d->lean->asset_id != NULL ? d->lean->asset_id : q->symbol;
  input->risk_free = &d->risk_free;
  input->lean = d->lean != NULL ? &d->lean->input : NULL;
}

int
hs_cli_backtest (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(HsCliBtRequest) q = { 0 };
  g_auto(HsCliBtData) d = { 0 };
  g_autoptr(HsStrategyParams) params = NULL;
  g_autoptr(HsRuleSet) rules = NULL;
  g_autoptr(HsBtRunInfo) info = NULL;
  g_autoptr(HsBtSignals) signals = NULL;
  g_autoptr(HsBtResult) result = NULL;
  HsBtConfig config;
  HsBtInput input = { 0 };
  HsStrategyInput sin = { 0 };
  int64_t cached = 0, id = 0;
  int64_t ms;
  GError *error = NULL;
  int status = HS_EXIT_OK;

  /* list, show, trades, equity and delete work on stored runs. */
  if (argc > 1 && hs_cli_backtest_is_stored (argv[1]))
    return hs_cli_backtest_stored (argc, argv);

  hs_cli_bt_request_init (&q);
  context = g_option_context_new ("[list|show|trades|equity|delete …]");
  g_option_context_set_summary (context,
    "Runs a backtest over stored bars and prints its statistics (or JSON with the trades:\n"
    "{\"id\", \"cache_hit\", \"strategy\", \"params\", \"statistics\", \"trades\", …}).\n"
    "The run is stored; an identical request (same data, strategy version, parameters and\n"
    "settings) is answered from the store with cache_hit 1. A decision at a bar's close fills\n"
    "at the next bar's open. Rules, models and strategies: docs/backtester.md.\n"
    "backtest list|show|trades|equity|delete work on stored runs (each has --help).");
  hs_cli_bt_add_options (context, &q, HS_CLI_BT_SINGLE);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return hs_cli_usage_error ("backtest: unexpected argument “%s”", argv[1]);
  status = hs_cli_bt_build (&q, "backtest", HS_CLI_BT_SINGLE, &config, &params, &rules, &info);
  if (status != HS_EXIT_OK)
    return status;
  /* The key first: an identical run stored before answers at once, without reading a bar. */
  status = hs_cli_bt_key (&q, info, &d);
  if (status != HS_EXIT_OK)
    return status;
  info->cache_key = hs_cache_key_compute (info);
  if (!hs_store_find_cached_backtest (d.store, info->cache_key, &cached, &error))
    return fail (error);
  if (cached != 0 && !q.no_cache)
    {
      g_autoptr(HsBtRunInfo) stored_info = NULL;
      g_autoptr(HsBtResult) stored = NULL;
      int64_t hit = 0;

      end_read (&d);
      ms = (g_get_monotonic_time () - d.t0) / 1000;
      /* What it prints: the statistics, and for --json the trades; never the equity curve. */
      if (!hs_store_record_cache_hit (d.store, cached, d.started, 0, ms, &hit, &error)
          || !hs_store_load_backtest_summary (d.store, hit, &stored_info, &stored, &error)
          || (q.json && !hs_store_load_backtest_trades (d.store, cached, stored, &error)))
        return fail (error);
      print_result (stored_info, stored, hit, 1, cached, q.json);
      return HS_EXIT_OK;
    }

  /* Run. */
  status = hs_cli_bt_load (&q, info, &d);
  if (status != HS_EXIT_OK)
    return status;
  sin.bars = d.bars;
  sin.interval = info->interval;
  sin.session = d.session;
  signals = params != NULL ? hs_strategy_run (params, &sin, &error)
                           : hs_rule_set_run (rules, &sin, &error);
  if (signals == NULL)
    return fail (error);
  hs_cli_bt_input_init (&input, &q, &d);
  result = hs_backtest_run (&input, signals, &config, &error);
  if (result == NULL)
    return fail (error);
  ms = (g_get_monotonic_time () - d.t0) / 1000;
  info->execution_time_ms = ms;
  info->started_at = d.started;
  info->finished_at = hs_time_now_us ();
  g_free (info->status);
  info->status = g_strdup ("completed");
  /* --no-cache with a stored twin: this run is kept, but without the key (one run per key). */
  if (cached != 0)
    g_clear_pointer (&info->cache_key, g_free);
  if (!hs_store_save_backtest (d.store, info, result, &id, &error))
    return fail (error);
  print_result (info, result, id, 0, 0, q.json);
  return HS_EXIT_OK;
}
