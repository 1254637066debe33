/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backtest run's request and metadata (HsBtRunInfo), its strategy parameters and their
 * canonical JSON (the text stored in backtest_runs.parameters: members sorted by name, numbers
 * in the shortest form that reads back exactly), and helpers to build an empty HsBtResult. A
 * run has a handful of parameters; nothing here is on a hot path.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-bt-run.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "hs-records.h"

void
hs_bt_param_free (HsBtParam *param)
{
  if (param == NULL)
    return;
  g_free (param->name);
  g_free (param->text);
  g_free (param);
}

static HsBtParam *
param_copy (const HsBtParam *param)
{
  HsBtParam *copy = g_new0 (HsBtParam, 1);

  copy->name = g_strdup (param->name);
  copy->kind = param->kind;
  copy->number = param->number;
  copy->text = g_strdup (param->text);
  return copy;
}

/**
 * hs_bt_run_info_new:
 *
 * Returns: (transfer full): an empty request: profile "default", status "completed", no
 *   parameters, execution time unknown (−1)
 */
HsBtRunInfo *
hs_bt_run_info_new (void)
{
  HsBtRunInfo *info = g_new0 (HsBtRunInfo, 1);

  info->params = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_bt_param_free);
  info->profile = g_strdup ("default");
  info->status = g_strdup ("completed");
  info->execution_time_ms = -1;
  info->initial_cash = NAN;
  return info;
}

void
hs_bt_run_info_free (HsBtRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->batch_id);
  g_free (info->strategy_name);
  g_free (info->strategy_version);
  g_free (info->symbol);
  g_free (info->exchange);
  g_free (info->interval);
  g_clear_pointer (&info->params, g_ptr_array_unref);
  g_free (info->profile);
  g_free (info->fee_model);
  g_free (info->slippage_model);
  g_free (info->sizing_model);
  g_free (info->risk_free_model);
  g_free (info->benchmark);
  g_free (info->lower_timeframe);
  g_free (info->cache_key);
  g_free (info->data_key);
  g_free (info->data_fingerprint);
  g_free (info->status);
  g_free (info->error_message);
  g_free (info->result_path);
  g_free (info);
}

/**
 * hs_bt_run_info_copy:
 *
 * A deep copy, to hand a request to a worker thread.
 *
 * Returns: (transfer full):
 */
HsBtRunInfo *
hs_bt_run_info_copy (const HsBtRunInfo *info)
{
  HsBtRunInfo *copy = g_new0 (HsBtRunInfo, 1);

  *copy = *info;
  copy->batch_id = g_strdup (info->batch_id);
  copy->strategy_name = g_strdup (info->strategy_name);
  copy->strategy_version = g_strdup (info->strategy_version);
  copy->symbol = g_strdup (info->symbol);
  copy->exchange = g_strdup (info->exchange);
  copy->interval = g_strdup (info->interval);
  copy->params = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_bt_param_free);
  for (guint i = 0; info->params != NULL && i < info->params->len; i++)
    g_ptr_array_add (copy->params, param_copy (info->params->pdata[i]));
  copy->profile = g_strdup (info->profile);
  copy->fee_model = g_strdup (info->fee_model);
  copy->slippage_model = g_strdup (info->slippage_model);
  copy->sizing_model = g_strdup (info->sizing_model);
  copy->risk_free_model = g_strdup (info->risk_free_model);
  copy->benchmark = g_strdup (info->benchmark);
  copy->lower_timeframe = g_strdup (info->lower_timeframe);
  copy->cache_key = g_strdup (info->cache_key);
  copy->data_key = g_strdup (info->data_key);
  copy->data_fingerprint = g_strdup (info->data_fingerprint);
  copy->status = g_strdup (info->status);
  copy->error_message = g_strdup (info->error_message);
  copy->result_path = g_strdup (info->result_path);
  return copy;
}

/* The parameter named @name, created (at the end) when missing, its old text freed. */
static HsBtParam *
param_slot (HsBtRunInfo *info,
            const char  *name)
{
  HsBtParam *param;

  for (guint i = 0; i < info->params->len; i++)
    {
      param = info->params->pdata[i];
      if (g_str_equal (param->name, name))
        {
          g_clear_pointer (&param->text, g_free);
          return param;
        }
    }
  param = g_new0 (HsBtParam, 1);
  param->name = g_strdup (name);
  g_ptr_array_add (info->params, param);
  return param;
}

/* Sets (or replaces) a numeric parameter. */
void
hs_bt_run_info_set_number (HsBtRunInfo *info,
                           const char  *name,
                           double       value)
{
  HsBtParam *param;

  g_return_if_fail (info != NULL && name != NULL);
  param = param_slot (info, name);
  param->kind = HS_BT_PARAM_NUMBER;
  param->number = value;
}

void
hs_bt_run_info_set_string (HsBtRunInfo *info,
                           const char  *name,
                           const char  *value)
{
  HsBtParam *param;

  g_return_if_fail (info != NULL && name != NULL && value != NULL);
  param = param_slot (info, name);
  param->kind = HS_BT_PARAM_STRING;
  param->number = NAN;
  param->text = g_strdup (value);
}

void
hs_bt_run_info_set_bool (HsBtRunInfo *info,
                         const char  *name,
                         gboolean     value)
{
  HsBtParam *param;

  g_return_if_fail (info != NULL && name != NULL);
  param = param_slot (info, name);
  param->kind = HS_BT_PARAM_BOOL;
  param->number = value ? 1 : 0;
}

/**
 * hs_bt_run_info_set_json:
 * @json: a JSON value's text (an object, an array…); the caller vouches that it is valid JSON,
 *   since core has no JSON parser (the store's CHECK refuses invalid text)
 *
 * Sets a structured parameter, kept verbatim (a rule set, a legacy configuration).
 */
void
hs_bt_run_info_set_json (HsBtRunInfo *info,
                         const char  *name,
                         const char  *json)
{
  HsBtParam *param;

  g_return_if_fail (info != NULL && name != NULL && json != NULL);
  param = param_slot (info, name);
  param->kind = HS_BT_PARAM_JSON;
  param->number = NAN;
  param->text = g_strdup (json);
}

/* Returns: (transfer none) (nullable): */
const HsBtParam *
hs_bt_run_info_get_param (const HsBtRunInfo *info,
                          const char        *name)
{
  for (guint i = 0; info->params != NULL && i < info->params->len; i++)
    {
      const HsBtParam *param = info->params->pdata[i];

      if (g_str_equal (param->name, name))
        return param;
    }
  return NULL;
}

static void
json_string (GString    *out,
             const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/**
 * hs_bt_param_format_value:
 *
 * Appends the parameter's value as JSON: a number in the shortest form that reads back exactly
 * (−0 as 0; NAN and infinities, which JSON cannot hold, as null), a string quoted, a bool as
 * true/false, a JSON value verbatim.
 */
void
hs_bt_param_format_value (const HsBtParam *param,
                          GString         *out)
{
  char buf[32];

  switch (param->kind)
    {
    case HS_BT_PARAM_NUMBER:
      if (!isfinite (param->number))
        g_string_append (out, "null");
      else
        {
          hs_format_double (param->number == 0 ? 0.0 : param->number, buf);
          g_string_append (out, buf);
        }
      break;
    case HS_BT_PARAM_STRING:
      json_string (out, param->text ? param->text : "");
      break;
    case HS_BT_PARAM_BOOL:
      g_string_append (out, param->number != 0 ? "true" : "false");
      break;
    case HS_BT_PARAM_JSON:
    default:
      g_string_append (out, param->text ? param->text : "null");
      break;
    }
}

static int
param_cmp (gconstpointer a,
           gconstpointer b)
{
  const HsBtParam *pa = *(const HsBtParam * const *) a;
  const HsBtParam *pb = *(const HsBtParam * const *) b;

  return strcmp (pa->name, pb->name);
}

/**
 * hs_bt_params_to_json:
 * @params: (element-type HsBtParam) (nullable):
 *
 * The canonical JSON object of the parameters: members sorted by name (bytewise), no spaces,
 * values as hs_bt_param_format_value(). Equal parameter sets give equal text.
 *
 * Returns: (transfer full): e.g. `{"fast":10,"slow":30}`; `{}` when there are none
 */
char *
hs_bt_params_to_json (const GPtrArray *params)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GString *out = g_string_new ("{");

  for (guint i = 0; params != NULL && i < params->len; i++)
    g_ptr_array_add (sorted, params->pdata[i]);
  g_ptr_array_sort (sorted, param_cmp);
  for (guint i = 0; i < sorted->len; i++)
    {
      const HsBtParam *param = sorted->pdata[i];

      if (i > 0)
        g_string_append_c (out, ',');
      json_string (out, param->name);
      g_string_append_c (out, ':');
      hs_bt_param_format_value (param, out);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

#define RD(f) { #f, HS_BT_COLUMN_DOUBLE, offsetof (HsBtResult, stats) + offsetof (HsStatistics, f) }
#define RI(f) { #f, HS_BT_COLUMN_INT, offsetof (HsBtResult, stats) + offsetof (HsStatistics, f) }

static const HsBtColumn statistic_columns[] = {
  RD (total_return), RD (net_profit), RD (net_profit_currency), RD (compounding_annual_return),
  RD (final_value), RD (start_equity), RD (end_equity),
  RD (sharpe_ratio), RD (sortino_ratio), RD (max_drawdown), RD (probabilistic_sharpe_ratio),
  RD (annual_standard_deviation), RD (annual_variance), RD (beta), RD (alpha),
  RI (total_trades), RI (winning_trades), RI (losing_trades), RD (win_rate), RD (loss_rate),
  RD (average_win), RD (average_loss), RD (profit_factor), RD (profit_loss_ratio),
  RD (expectancy), RI (total_orders),
  RD (information_ratio), RD (tracking_error), RD (treynor_ratio), RD (total_fees),
  RD (estimated_strategy_capacity),
  { "lowest_capacity_asset", HS_BT_COLUMN_TEXT,
    offsetof (HsBtResult, stats) + offsetof (HsStatistics, lowest_capacity_asset) },
  RD (portfolio_turnover),
  { "pivot_highs_detected", HS_BT_COLUMN_INT, offsetof (HsBtResult, pivot_highs_detected) },
  { "pivot_lows_detected", HS_BT_COLUMN_INT, offsetof (HsBtResult, pivot_lows_detected) },
  { "bos_signals_generated", HS_BT_COLUMN_INT, offsetof (HsBtResult, bos_signals_generated) },
  { "position_flips", HS_BT_COLUMN_INT, offsetof (HsBtResult, position_flips) },
  { "liquidation_events", HS_BT_COLUMN_INT, offsetof (HsBtResult, liquidation_events) },
  RI (drawdown_recovery), RD (calmar_ratio), RD (omega_ratio), RD (tail_ratio), RD (var_95),
  RD (stability), RD (exposure), RD (average_holding_time), RI (longest_losing_streak),
};

/**
 * hs_bt_statistic_columns:
 * @n: (out): how many
 *
 * Returns: (transfer none) (array length=n): the statistics columns, in backtest_runs order
 */
const HsBtColumn *
hs_bt_statistic_columns (size_t *n)
{
  *n = G_N_ELEMENTS (statistic_columns);
  return statistic_columns;
}

/* Every statistic undefined: NAN, −1 for counts, no text. */
void
hs_statistics_init_undefined (HsStatistics *stats)
{
  double *doubles[] = {
    &stats->start_equity, &stats->end_equity, &stats->final_value, &stats->net_profit,
    &stats->net_profit_currency, &stats->total_return, &stats->compounding_annual_return,
    &stats->max_drawdown, &stats->annual_standard_deviation, &stats->annual_variance,
    &stats->sharpe_ratio, &stats->sortino_ratio, &stats->probabilistic_sharpe_ratio,
    &stats->alpha, &stats->beta, &stats->tracking_error, &stats->information_ratio,
    &stats->treynor_ratio, &stats->win_rate, &stats->loss_rate, &stats->average_win,
    &stats->average_loss, &stats->profit_factor, &stats->profit_loss_ratio, &stats->expectancy,
    &stats->total_fees, &stats->portfolio_turnover, &stats->estimated_strategy_capacity,
    &stats->calmar_ratio, &stats->omega_ratio, &stats->tail_ratio, &stats->var_95,
    &stats->stability, &stats->exposure, &stats->average_holding_time,
  };
  int64_t *ints[] = {
    &stats->drawdown_recovery, &stats->total_orders, &stats->total_trades,
    &stats->winning_trades, &stats->losing_trades, &stats->longest_losing_streak,
  };

  memset (stats, 0, sizeof *stats);
  for (size_t i = 0; i < G_N_ELEMENTS (doubles); i++)
    *doubles[i] = NAN;
  for (size_t i = 0; i < G_N_ELEMENTS (ints); i++)
    *ints[i] = -1;
}

void
hs_bt_trade_clear (HsBtTrade *trade)
{
  g_clear_pointer (&trade->signal_json, g_free);
}

/**
 * hs_bt_trades_new:
 *
 * Returns: (transfer full): an empty array of HsBtTrade whose elements' signal_json is freed
 *   with the array (and set to NULL, so a free function that frees it first is harmless)
 */
GArray *
hs_bt_trades_new (void)
{
  GArray *trades = g_array_new (FALSE, TRUE, sizeof (HsBtTrade));

  g_array_set_clear_func (trades, (GDestroyNotify) hs_bt_trade_clear);
  return trades;
}

/**
 * hs_bt_result_new_empty:
 * @n_equity: equity points to allocate (ts, equity, cash, holdings, drawdown; benchmark stays
 *   NULL), zero-filled
 *
 * Returns: (transfer full): a result with every statistic undefined, no trades, counters −1
 */
HsBtResult *
hs_bt_result_new_empty (size_t n_equity)
{
  HsBtResult *result = g_new0 (HsBtResult, 1);

  result->n = n_equity;
  result->ts = g_new0 (int64_t, n_equity);
  result->equity = g_new0 (double, n_equity);
  result->cash = g_new0 (double, n_equity);
  result->holdings = g_new0 (double, n_equity);
  result->drawdown = g_new0 (double, n_equity);
  result->trades = hs_bt_trades_new ();
  result->total_orders = -1;
  hs_statistics_init_undefined (&result->stats);
  result->pivot_highs_detected = -1;
  result->pivot_lows_detected = -1;
  result->bos_signals_generated = -1;
  result->position_flips = -1;
  result->liquidation_events = -1;
  return result;
}

/**
 * hs_exit_reason_name:
 *
 * As hs_exit_reason_to_string(), but %NULL for %HS_EXIT_UNKNOWN or any value outside the enum.
 */
const char *
hs_exit_reason_name (HsExitReason reason)
{
  if (reason == HS_EXIT_SIGNAL || reason == HS_EXIT_STOP_LOSS || reason == HS_EXIT_TAKE_PROFIT
      || reason == HS_EXIT_TIME_STOP || reason == HS_EXIT_END_OF_DATA
      || reason == HS_EXIT_REVERSAL)
    return hs_exit_reason_to_string (reason);
  return NULL;
}

/**
 * hs_exit_reason_from_string:
 *
 * Reads a backtest_trades.exit_reason. Names without an HsExitReason (manual, trailing_stop…)
 * and %NULL give %HS_EXIT_UNKNOWN and %FALSE.
 */
gboolean
hs_exit_reason_from_string (const char   *text,
                            HsExitReason *out)
{
  static const HsExitReason all[] = {
    HS_EXIT_SIGNAL, HS_EXIT_STOP_LOSS, HS_EXIT_TAKE_PROFIT, HS_EXIT_TIME_STOP,
    HS_EXIT_END_OF_DATA,
  };

  *out = HS_EXIT_UNKNOWN;
  if (text == NULL)
    return FALSE;
  for (size_t i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_strcmp0 (hs_exit_reason_to_string (all[i]), text) == 0)
      {
        *out = all[i];
        return TRUE;
      }
  return FALSE;
}
