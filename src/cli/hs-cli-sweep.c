/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sweep` runs a strategy over a grid of its parameters (`--param fast=5:50:5 --param
 * slow=20:200:10`) on every core, stores every combination as a backtest run of one batch, and
 * prints the best ones by a statistic with the deflated Sharpe ratio of the best: how likely it
 * is not the luck of many tries. `walkforward` optimises the grid on rolling in-sample windows
 * and trades the choice on the out-of-sample part that follows, and stores the stitched
 * out-of-sample run. Both take `backtest`'s options for the data and the models
 * (hs-cli-backtest.c); the work is src/jobs/hs-sweep.c's. Output formats are documented in the
 * README.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hs-backtest.h"
#include "hs-cli-backtest.h"
#include "hs-cli-common.h"
#include "hs-records.h"
#include "hs-stats.h"
#include "hs-strategy.h"
#include "hs-sweep.h"
#include "hs-time.h"

/* Grid, window and rank errors are bad requests; the rest as `backtest`. */
static int
fail (GError *error)
{
  if (error->domain == HS_SWEEP_ERROR)
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  return hs_cli_bt_fail (error);
}

static void
append_time (GString *out,
             int64_t  us)
{
  char buf[40];

  hs_time_format_iso_buf (us, buf);
  g_string_append (out, buf);
}

/* Progress on stderr, on the worker side: only for a terminal. */
static void
progress_cb (double      fraction,
             const char *message,
             gpointer    data)
{
  fprintf (stderr, "\r%5.1f %%  %s   ", fraction * 100, message);
  if (fraction >= 1)
    fputc ('\n', stderr);
  fflush (stderr);
}

/* What both commands share: options parsed, request built, data loaded, grid expanded. */
typedef struct
{
  HsCliBtRequest    q;
  HsBacktestData    d;
  HsBtRunInfo      *info;      /* (owned) */
  HsStrategyParams *params;    /* (owned) unused defaults */
  HsRuleSet        *rules;     /* (owned) always NULL */
  HsSweepGrid      *grid;      /* (owned) */
  HsBtConfig        config;
  HsStrategyInput   sin;
  HsBtInput         input;
  HsSweepRequest    request;
  char             *rank;      /* (owned) */
  int               jobs;
} Setup;

static void
setup_clear (Setup *s)
{
  hs_cli_bt_request_clear (&s->q);
  hs_backtest_data_clear (&s->d);
  g_clear_pointer (&s->info, hs_bt_run_info_free);
  g_clear_pointer (&s->params, hs_strategy_params_free);
  g_clear_pointer (&s->rules, hs_rule_set_free);
  g_clear_pointer (&s->grid, hs_sweep_grid_free);
  g_clear_pointer (&s->rank, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

/* After option parsing: the request, the data, the grid. */
static int
prepare (Setup      *s,
         const char *command)
{
  g_autofree char *db_path = hs_cli_db_path (hs_cli_db_option);
  GError *error = NULL;

  if (s->jobs < 0)
    {
      g_printerr ("hindsight-cli: --jobs must be ≥ 0 (0: one per core)\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (!hs_backtest_request_build (&s->q.run, command, HS_BACKTEST_GRID, &s->config, &s->params,
                                  &s->rules, &s->info, &error))
    return fail (error);
  {
    const char *column = NULL;
    gboolean lower = FALSE;

    if (!hs_sweep_rank_lookup (s->rank, &column, &lower, &error))
      return fail (error);
  }
  s->grid = hs_sweep_grid_new (hs_strategy_lookup (s->q.run.strategy),
                               (const char *const *) s->q.run.params, &error);
  if (s->grid == NULL)
    return fail (error);
  hs_backtest_data_init (&s->d);
  if (!hs_backtest_data_load (db_path, &s->q.run, s->info, &s->d, &error))
    return fail (error);
  hs_cli_bt_print_warnings (s->d.warnings);

  s->sin.bars = s->d.bars;
  s->sin.interval = s->info->interval;
  s->sin.session = s->d.session;
  hs_backtest_input_init (&s->input, &s->q.run, &s->d);
  s->request.strategy_input = &s->sin;
  s->request.input = &s->input;
  s->request.config = &s->config;
  s->request.rank = s->rank;
  s->request.n_jobs = s->jobs;
  if (isatty (STDERR_FILENO))
    s->request.progress = progress_cb;
  return HS_EXIT_OK;
}

static void
add_grid_options (GOptionContext *context,
                  Setup          *s)
{
  const GOptionEntry entries[] = {
    { "rank", 0, 0, G_OPTION_ARG_STRING, &s->rank, "The statistic that ranks the combinations "
      "(default sharpe_ratio; max_drawdown and other risks rank ascending)", "STAT" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &s->jobs, "Threads (default: one per core)", "N" },
    { NULL }
  };

  hs_cli_bt_add_options (context, &s->q, HS_BACKTEST_GRID);
  g_option_context_add_main_entries (context, entries, NULL);
}

/* The parameters that vary, as "fast=10 slow=30". */
static char *
varied_params (const HsSweepGrid      *grid,
               const HsStrategyParams *params)
{
  GString *out = g_string_new (NULL);

  for (guint a = 0; a < grid->axes->len; a++)
    {
      const HsSweepAxis *axis = grid->axes->pdata[a];
      const HsParamSpec *spec = hs_strategy_find_param (grid->strategy, axis->name);
      char buf[32];

      if (!hs_sweep_axis_varies (axis))
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (spec->type == HS_PARAM_INT || spec->type == HS_PARAM_DOUBLE)
        {
          hs_format_double (hs_strategy_params_get_number (params, axis->name), buf);
          g_string_append_printf (out, "%s=%s", axis->name, buf);
        }
      else
        g_string_append_printf (out, "%s=%s", axis->name,
                                hs_strategy_params_get_text (params, axis->name));
    }
  if (out->len == 0)
    g_string_append (out, "(defaults)");
  return g_string_free (out, FALSE);
}

static void
text_value (GString    *out,
            const char *column,
            double      v)
{
  /* Fractions read better as percentages. */
  static const char *const pct[] = { "net_profit", "total_return", "max_drawdown",
                                     "compounding_annual_return", "win_rate", "loss_rate" };

  if (!isfinite (v))
    {
      g_string_append_printf (out, " %14s", "-");
      return;
    }
  size_t n = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n);

  for (size_t i = 0; i < G_N_ELEMENTS (pct); i++)
    if (g_str_equal (column, pct[i]))
      {
        g_string_append_printf (out, " %13.3f%%", v * 100);
        return;
      }
  for (size_t i = 0; i < n; i++)
    if (g_str_equal (column, cols[i].name) && cols[i].type == HS_BT_COLUMN_INT)
      {
        g_string_append_printf (out, " %14.0f", v);
        return;
      }
  g_string_append_printf (out, " %14.4f", v);
}

int
hs_cli_sweep (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(Setup) s = { 0 };
  g_autoptr(HsSweepResult) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *batch = NULL;
  g_autofree int64_t *ids = NULL;
  const char *columns[5] = { NULL, "sharpe_ratio", "net_profit", "max_drawdown", "total_trades" };
  size_t n_columns = 0;
  const HsSweepTrial *best;
  GError *error = NULL;
  int status = HS_EXIT_OK, top = 10;
  guint threads;
  const GOptionEntry entries[] = {
    { "top", 0, 0, G_OPTION_ARG_INT, &top, "Print the best K combinations (default 10; 0: "
      "all)", "K" },
    { NULL }
  };

  hs_backtest_request_init (&s.q.run);
  g_option_context_set_summary (context,
    "Runs a strategy over every combination of a grid of its parameters, on every core, and\n"
    "prints the best by a statistic with the deflated Sharpe ratio of the best (Bailey &\n"
    "López de Prado): the probability that its Sharpe ratio is not the luck of many tries.\n"
    "--param NAME=START:STOP:STEP (inclusive), NAME=A,B,C or NAME=VALUE, repeatable; the\n"
    "combinations the strategy refuses (fast ≥ slow …) are skipped. Every combination is\n"
    "stored as a backtest run with the sweep's batch_id (statistics only; the best one also\n"
    "with its trades and equity curve). Data and model options as backtest's.");
  add_grid_options (context, &s);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    {
      g_printerr ("hindsight-cli: sweep: unexpected argument “%s”\n", argv[1]);
      return HS_EXIT_BAD_INPUT;
    }
  if (top < 0)
    {
      g_printerr ("hindsight-cli: --top must be ≥ 0\n");
      return HS_EXIT_BAD_INPUT;
    }
  status = prepare (&s, "sweep");
  if (status != HS_EXIT_OK)
    return status;
  s.request.keep_best = TRUE;
  result = hs_sweep_run (&s.request, s.grid, NULL, &error);
  if (result == NULL)
    return fail (error);
  ids = g_new0 (int64_t, result->trials->len);
  if (!hs_sweep_store (s.d.store, s.info, result, &batch, ids, &error))
    return fail (error);
  best = hs_sweep_result_get_best (result);
  threads = s.jobs > 0 ? (guint) s.jobs : g_get_num_processors ();
  threads = MAX (1, MIN (threads, result->trials->len));
  if (top == 0 || (guint) top > result->ranking->len)
    top = (int) result->ranking->len;
  columns[n_columns++] = result->rank;
  for (size_t c = 1; c < G_N_ELEMENTS (columns); c++)
    if (!g_str_equal (columns[c], result->rank))
      columns[n_columns++] = columns[c];

  if (s.q.json)
    {
      g_string_append (out, "{\"batch_id\":");
      hs_cli_json_string (out, batch);
      g_string_append (out, ",\"strategy\":");
      hs_cli_json_string (out, s.grid->strategy->name);
      g_string_append (out, ",\"strategy_version\":");
      hs_cli_json_string (out, s.grid->strategy->version);
      g_string_append (out, ",\"symbol\":");
      hs_cli_json_string (out, s.info->symbol);
      g_string_append (out, ",\"interval\":");
      hs_cli_json_string (out, s.info->interval);
      g_string_append (out, ",\"start\":\"");
      append_time (out, s.info->start_ts);
      g_string_append (out, "\",\"end\":\"");
      append_time (out, s.info->end_ts);
      g_string_append (out, "\",\"rank\":");
      hs_cli_json_string (out, result->rank);
      g_string_append_printf (out, ",\"order\":\"%s\",\"grid_size\":%zu,\"combinations\":%u,"
                              "\"skipped\":%zu,\"failed\":%zu,\"jobs\":%u,\"seconds\":",
                              result->lower_is_better ? "ascending" : "descending",
                              s.grid->n_total, result->trials->len, s.grid->n_invalid,
                              result->n_failed, threads);
      hs_cli_json_computed (out, result->seconds);
      g_string_append (out, ",\"best_run_id\":");
      if (best != NULL)
        g_string_append_printf (out, "%" G_GINT64_FORMAT,
                                ids[g_array_index (result->ranking, guint, 0)]);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"deflated_sharpe\":{\"value\":");
      hs_cli_json_computed (out, result->deflated_sharpe);
      g_string_append (out, ",\"trials\":");
      hs_cli_json_computed (out, result->n_trials);
      g_string_append (out, ",\"sharpe\":");
      hs_cli_json_computed (out, result->sr_best);
      g_string_append (out, ",\"sharpe_variance\":");
      hs_cli_json_computed (out, result->sr_variance);
      g_string_append (out, ",\"expected_max_sharpe\":");
      hs_cli_json_computed (out, result->expected_max_sr);
      g_string_append (out, ",\"skewness\":");
      hs_cli_json_computed (out, result->skewness);
      g_string_append (out, ",\"kurtosis\":");
      hs_cli_json_computed (out, result->kurtosis);
      g_string_append (out, ",\"returns\":");
      hs_cli_json_computed (out, result->n_returns);
      g_string_append (out, "},\"top\":[");
      for (int r = 0; r < top; r++)
        {
          guint i = g_array_index (result->ranking, guint, r);
          const HsSweepTrial *t = &g_array_index (result->trials, HsSweepTrial, i);
          g_autofree char *params = hs_strategy_params_to_json (t->params);

          g_string_append_printf (out, "%s\n{\"rank\":%d,\"run_id\":%" G_GINT64_FORMAT
                                  ",\"params\":%s,\"value\":", r ? "," : "", r + 1, ids[i],
                                  params);
          hs_cli_json_computed (out, t->rank_value);
          g_string_append (out, ",\"status\":");
          hs_cli_json_string (out, t->result != NULL ? "completed" : "failed");
          g_string_append (out, ",\"error\":");
          if (t->error_message != NULL)
            hs_cli_json_string (out, t->error_message);
          else
            g_string_append (out, "null");
          g_string_append (out, ",\"statistics\":");
          if (t->result != NULL)
            hs_cli_bt_json_statistics (out, t->result);
          else
            g_string_append (out, "null");
          g_string_append_c (out, '}');
        }
      g_string_append (out, top > 0 ? "\n]}\n" : "]}\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }

  g_string_append_printf (out, "sweep %s: %s (version %s) on %s %s, ", batch,
                          s.grid->strategy->name, s.grid->strategy->version, s.info->symbol,
                          s.info->interval);
  append_time (out, s.info->start_ts);
  g_string_append (out, " to ");
  append_time (out, s.info->end_ts);
  g_string_append_printf (out, "\n%u combinations run (grid of %zu, %zu skipped: refused by "
                          "the strategy; %zu failed) on %u thread%s in %.2f s\n"
                          "ranked by %s (%s is better); all stored with this batch_id\n\n",
                          result->trials->len, s.grid->n_total, s.grid->n_invalid,
                          result->n_failed, threads, threads == 1 ? "" : "s", result->seconds,
                          result->rank, result->lower_is_better ? "lower" : "higher");
  g_string_append_printf (out, "%4s %8s", "rank", "run");
  for (size_t c = 0; c < n_columns; c++)
    g_string_append_printf (out, " %14s", columns[c]);
  g_string_append (out, "  parameters\n");
  for (int r = 0; r < top; r++)
    {
      guint i = g_array_index (result->ranking, guint, r);
      const HsSweepTrial *t = &g_array_index (result->trials, HsSweepTrial, i);
      g_autofree char *params = varied_params (s.grid, t->params);

      g_string_append_printf (out, "%4d %8" G_GINT64_FORMAT, r + 1, ids[i]);
      for (size_t c = 0; c < n_columns; c++)
        text_value (out, columns[c],
                    t->result ? hs_sweep_rank_value (t->result, columns[c]) : NAN);
      g_string_append_printf (out, "  %s%s%s\n", params, t->result ? "" : " failed: ",
                              t->result ? "" : t->error_message);
    }
  if (isfinite (result->deflated_sharpe))
    g_string_append_printf (out, "\ndeflated Sharpe of the best: %.4f (probability the best "
                            "Sharpe is not luck: %.1f %%)\n  over %.0f trials: Sharpe %.4f per "
                            "period, expected maximum of luck %.4f, %.0f daily returns\n",
                            result->deflated_sharpe, result->deflated_sharpe * 100,
                            result->n_trials, result->sr_best, result->expected_max_sr,
                            result->n_returns);
  else
    g_string_append (out, "\ndeflated Sharpe of the best: undefined (it needs Sharpe ratios of "
                          "at least two trials and of the best)\n");
  if (best != NULL)
    g_string_append_printf (out, "best run %" G_GINT64_FORMAT " keeps its trades and equity "
                            "curve: hindsight-cli backtest show %" G_GINT64_FORMAT "\n",
                            ids[g_array_index (result->ranking, guint, 0)],
                            ids[g_array_index (result->ranking, guint, 0)]);
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

int
hs_cli_walkforward (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(Setup) s = { 0 };
  g_autoptr(HsWalkResult) result = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *train = NULL, *test = NULL, *windows = NULL;
  HsWalkSpan train_span, test_span;
  size_t n = 0;
  const HsStatInfo *fields = hs_stats_fields (&n);
  GError *error = NULL;
  int status = HS_EXIT_OK;
  int64_t id = 0;
  const GOptionEntry entries[] = {
    { "train", 0, 0, G_OPTION_ARG_STRING, &train, "In-sample span: bars (500) or a duration "
      "(90d, 12h, 30m, 2w) (required)", "SPAN" },
    { "test", 0, 0, G_OPTION_ARG_STRING, &test, "Out-of-sample span, and the step between "
      "windows (required)", "SPAN" },
    { NULL }
  };

  hs_backtest_request_init (&s.q.run);
  g_option_context_set_summary (context,
    "Walk-forward analysis: in rolling windows, the grid (--param as for sweep) is optimised\n"
    "on the in-sample span by --rank, and the best parameters trade the out-of-sample span\n"
    "that follows (the indicators warm up on the in-sample bars; trades only out of sample).\n"
    "The out-of-sample segments, each starting with the previous one's end equity, are\n"
    "stitched into one run with its statistics, stored with the parameters chosen in each\n"
    "window. Data and model options as backtest's (default profile only).");
  add_grid_options (context, &s);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    {
      g_printerr ("hindsight-cli: walkforward: unexpected argument “%s”\n", argv[1]);
      return HS_EXIT_BAD_INPUT;
    }
  if (train == NULL || test == NULL)
    {
      g_printerr ("hindsight-cli: walkforward needs --train and --test\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (!hs_walk_span_parse (train, &train_span, &error)
      || !hs_walk_span_parse (test, &test_span, &error))
    return fail (error);
  if (s.q.run.profile != NULL && !g_str_equal (s.q.run.profile, "default"))
    {
      g_printerr ("hindsight-cli: walkforward uses the default profile\n");
      return HS_EXIT_BAD_INPUT;
    }
  status = prepare (&s, "walkforward");
  if (status != HS_EXIT_OK)
    return status;
  result = hs_walkforward_run (&s.request, s.grid, &train_span, &test_span, NULL, &error);
  if (result == NULL)
    return fail (error);
  if (!hs_walkforward_store (s.d.store, s.info, result, train, test, s.d.bars, &id, &error))
    return fail (error);
  windows = hs_walk_windows_to_json (result, s.d.bars);

  if (s.q.json)
    {
      g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"strategy\":", id);
      hs_cli_json_string (out, s.grid->strategy->name);
      g_string_append (out, ",\"strategy_version\":");
      hs_cli_json_string (out, s.grid->strategy->version);
      g_string_append (out, ",\"symbol\":");
      hs_cli_json_string (out, s.info->symbol);
      g_string_append (out, ",\"interval\":");
      hs_cli_json_string (out, s.info->interval);
      g_string_append (out, ",\"train\":");
      hs_cli_json_string (out, train);
      g_string_append (out, ",\"test\":");
      hs_cli_json_string (out, test);
      g_string_append (out, ",\"rank\":");
      hs_cli_json_string (out, result->rank);
      g_string_append_printf (out, ",\"combinations\":%u,\"skipped\":%zu,\"seconds\":",
                              s.grid->combos->len, s.grid->n_invalid);
      hs_cli_json_computed (out, result->seconds);
      g_string_append_printf (out, ",\"windows\":%s,\"statistics\":", windows);
      hs_cli_bt_json_statistics (out, result->result);
      g_string_append (out, ",\"trades\":");
      hs_cli_bt_json_trades (out, result->result);
      g_string_append (out, "}\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }

  g_string_append_printf (out, "walk-forward run %" G_GINT64_FORMAT ": %s (version %s) on %s "
                          "%s, %u windows (train %s, test %s), %u combinations each (%zu "
                          "skipped), ranked by %s, %.2f s\n\n", id, s.grid->strategy->name,
                          s.grid->strategy->version, s.info->symbol, s.info->interval,
                          result->windows->len, train, test, s.grid->combos->len,
                          s.grid->n_invalid, result->rank, result->seconds);
  g_string_append_printf (out, "%6s  %-20s  %-20s  %-20s %14s %14s %14s %6s  %s\n", "window",
                          "in sample from", "out of sample from", "to", result->rank,
                          "start equity", "end equity", "trades", "parameters");
  for (guint k = 0; k < result->windows->len; k++)
    {
      const HsWalkWindow *w = &g_array_index (result->windows, HsWalkWindow, k);
      g_autofree char *params = varied_params (s.grid, s.grid->combos->pdata[w->choice]);
      char a[40], b[40], c[40];

      hs_time_format_iso_buf (s.d.bars->ts[w->train_start], a);
      hs_time_format_iso_buf (s.d.bars->ts[w->test_start], b);
      hs_time_format_iso_buf (s.d.bars->ts[w->test_end - 1]
                              + s.d.bars->interval_s * G_USEC_PER_SEC, c);
      g_string_append_printf (out, "%6u  %-20s  %-20s  %-20s", k + 1, a, b, c);
      text_value (out, result->rank, w->in_sample_value);
      g_string_append_printf (out, " %14.2f %14.2f %6u  %s\n", w->start_equity, w->end_equity,
                              w->n_trades, params);
    }
  g_string_append (out, "\nthe stitched out-of-sample run:\n");
  for (size_t i = 0; i < n; i++)
    {
      g_autofree char *v = hs_statistics_format (&result->result->stats, &fields[i]);

      g_string_append_printf (out, "%-30s %s\n", fields[i].name, v ? v : "-");
    }
  g_string_append_printf (out, "\n%u trades; hindsight-cli backtest trades %" G_GINT64_FORMAT
                          " lists them\n", result->result->trades->len, id);
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}
