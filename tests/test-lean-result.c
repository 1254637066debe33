/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LEAN result files (src/fetch/hs-lean-result.c) against values read by hand from the real
 * files in tests/data/lean-results: first and last equity points, the trade count and the
 * first and last closed trade (pnl net of fees), statistics in fractions, the strategy name,
 * symbol and period; the warnings each file gives; a file with an unknown key and one missing
 * a non-core statistic still imports and says so; not JSON, not a LEAN result and a result
 * without its core statistics are clear errors.
 */
#include "config.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "hs-json-records.h"
#include "hs-lean-result.h"

static char *
data_path (const char *name)
{
  return g_build_filename (g_getenv ("HS_TEST_DATA"), "lean-results", name, NULL);
}

static HsLeanResult *
load (const char *name,
      const char *interval)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GError) error = NULL;
  HsLeanResult *lean = hs_lean_result_load (path, interval, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lean);
  return lean;
}

static void
assert_warnings (HsLeanResult      *lean,
                 const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < lean->warnings->len; i++)
    g_test_message ("warning: %s", (const char *) lean->warnings->pdata[i]);
  for (guint i = 0; i < n; i++)
    if (!g_ptr_array_find_with_equal_func (lean->warnings, expected[i], g_str_equal, NULL))
      g_error ("no warning “%s”", expected[i]);
  g_assert_cmpuint (lean->warnings->len, ==, n);
}

static int64_t
iso (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

/* 1983772575.json: README of shared/fixtures/lean and the file itself. */
static void
test_current (void)
{
  g_autoptr(HsLeanResult) lean = load ("1983772575.json", NULL);
  const HsBtRunInfo *info = lean->info;
  const HsBtResult *r = lean->result;
  const HsStatistics *s = &r->stats;
  const HsBtTrade *first, *last;
  const HsBtParam *p;
  double sum = 0, notional;
  static const char *const warnings[] = {
    "the Benchmark series is all zero (LEAN had no benchmark data): alpha, beta, information "
    "ratio, tracking error and Treynor ratio are against zero",
    "a LEAN result does not say its resolution: interval stored as 1m",
    NULL
  };

  assert_warnings (lean, warnings);
  /* Equity: [1672549200, 100000.0, …] … [1675198800, 101831.37, …], 692 points. */
  g_assert_cmpuint (r->n, ==, 692);
  g_assert_cmpint (r->ts[0], ==, G_GINT64_CONSTANT (1672549200) * 1000000);
  g_assert_cmpfloat (r->equity[0], ==, 100000.0);
  g_assert_cmpint (r->ts[691], ==, G_GINT64_CONSTANT (1675198800) * 1000000);
  g_assert_cmpfloat (r->equity[691], ==, 101831.37);
  g_assert_null (r->benchmark);
  g_assert_cmpfloat (r->drawdown[0], ==, 0);
  for (size_t i = 0; i < r->n; i++)
    {
      g_assert_cmpfloat (r->drawdown[i], >=, 0);
      /* Drawdown: "2.600%" over all points. */
      g_assert_cmpfloat (r->drawdown[i], <, 0.0265);
      g_assert_true (isnan (r->cash[i]));
    }

  /* 26 closed trades, in entry order. */
  g_assert_cmpuint (r->trades->len, ==, 26);
  first = &g_array_index (r->trades, HsBtTrade, 0);
  g_assert_cmpint (first->entry_ts, ==, iso ("2023-01-03T15:19:00Z"));
  g_assert_cmpint (first->exit_ts, ==, iso ("2023-01-03T18:27:00Z"));
  g_assert_cmpint (first->side, ==, 1);
  g_assert_cmpfloat (first->quantity, ==, 249);
  g_assert_cmpfloat (first->entry_price, ==, 380.57);
  g_assert_cmpfloat (first->exit_price, ==, 379.55);
  /* profitLoss -253.98 gross, totalFees 2.49: profitLoss["2023-01-03T18:27:00Z"] is -256.47. */
  g_assert_cmpfloat_with_epsilon (first->pnl, -256.47, 1e-9);
  g_assert_cmpfloat (first->fees, ==, 2.49);
  notional = 380.57 * 249;
  g_assert_cmpfloat_with_epsilon (first->pnl_pct, -256.47 / notional * 100, 1e-12);
  g_assert_cmpfloat_with_epsilon (first->mfe_pct, 420.81 / notional * 100, 1e-12);
  g_assert_cmpfloat_with_epsilon (first->mae_pct, 632.46 / notional * 100, 1e-12);
  g_assert_cmpint (first->bars_held, ==, -1);
  g_assert_true (first->exit_reason == HS_EXIT_UNKNOWN);
  g_assert_nonnull (strstr (first->signal_json, "\"order_ids\":[1,2]"));
  g_assert_nonnull (strstr (first->signal_json, "\"symbol_id\":\"SPY R735QTJ8XC9X\""));
  g_assert_nonnull (strstr (first->signal_json, "\"duration\":\"03:08:00\""));
  last = &g_array_index (r->trades, HsBtTrade, 25);
  g_assert_cmpint (last->entry_ts, ==, iso ("2023-01-27T20:48:00Z"));
  g_assert_cmpint (last->exit_ts, ==, iso ("2023-01-30T18:19:00Z"));
  g_assert_cmpfloat_with_epsilon (last->pnl, -889.08 - 2.39, 1e-9);
  g_assert_nonnull (strstr (last->signal_json, "\"exit_tag\":\"Liquidated\""));
  /* The net P&L of the trades is End − Start Equity. */
  for (guint i = 0; i < r->trades->len; i++)
    sum += g_array_index (r->trades, HsBtTrade, i).pnl;
  g_assert_cmpfloat_with_epsilon (sum, 1831.37, 1e-6);

  /* Statistics: portfolioStatistics / tradeStatistics, fractions. */
  g_assert_cmpfloat (s->start_equity, ==, 100000);
  g_assert_cmpfloat (s->end_equity, ==, 101831.37);
  g_assert_cmpfloat (s->final_value, ==, 101831.37);
  g_assert_cmpfloat_with_epsilon (s->net_profit_currency, 1831.37, 1e-9);
  /* "Net Profit": "1.831%" has more decimals than totalNetProfit "0.0183". */
  g_assert_cmpfloat (s->net_profit, ==, 0.01831);
  g_assert_cmpfloat (s->total_return, ==, 0.01831);
  g_assert_cmpfloat (s->compounding_annual_return, ==, 0.2411);
  g_assert_cmpfloat (s->max_drawdown, ==, 0.026);
  g_assert_cmpint (s->drawdown_recovery, ==, 1);
  g_assert_cmpfloat (s->sharpe_ratio, ==, 1.4803);
  g_assert_cmpfloat (s->sortino_ratio, ==, 2.8841);
  /* "61.689%" beats "0.6169"; "1.48" loses to "1.4803". */
  g_assert_cmpfloat (s->probabilistic_sharpe_ratio, ==, 0.61689);
  g_assert_cmpfloat (s->annual_standard_deviation, ==, 0.0835);
  g_assert_cmpfloat (s->annual_variance, ==, 0.0070);
  g_assert_cmpfloat (s->information_ratio, ==, 2.0192);
  g_assert_cmpfloat (s->beta, ==, 0);
  g_assert_cmpint (s->total_orders, ==, 52);
  g_assert_cmpint (r->total_orders, ==, 52);
  g_assert_cmpint (s->total_trades, ==, 26);
  g_assert_cmpint (s->winning_trades, ==, 17);
  g_assert_cmpint (s->losing_trades, ==, 9);
  g_assert_cmpfloat (s->win_rate, ==, 0.6538);
  g_assert_cmpfloat (s->loss_rate, ==, 0.3462);
  g_assert_cmpfloat (s->average_win, ==, 0.0041);
  g_assert_cmpfloat (s->average_loss, ==, -0.0056);
  g_assert_cmpfloat (s->profit_factor, ==, 1.3675);
  g_assert_cmpfloat (s->profit_loss_ratio, ==, 0.7238);
  g_assert_cmpfloat (s->expectancy, ==, 0.1271);
  /* "Total Fees": "$63.82" */
  g_assert_cmpfloat (s->total_fees, ==, 63.82);
  g_assert_cmpfloat (s->portfolio_turnover, ==, 1.5869);
  g_assert_cmpfloat (s->estimated_strategy_capacity, ==, 30000000);
  g_assert_cmpstr (s->lowest_capacity_asset, ==, "SPY R735QTJ8XC9X");
  g_assert_cmpfloat (s->var_95, ==, -0.008);
  g_assert_cmpint (s->longest_losing_streak, ==, 2);
  /* averageTradeDuration "11:41:11.5384616" */
  g_assert_cmpfloat_with_epsilon (s->average_holding_time, 42071.5384616, 1e-6);
  g_assert_true (isnan (s->calmar_ratio));

  g_assert_cmpstr (info->strategy_name, ==, "1983772575");
  g_assert_cmpstr (info->strategy_version, ==, "lean");
  g_assert_cmpstr (info->profile, ==, "lean");
  g_assert_cmpstr (info->symbol, ==, "SPY");
  g_assert_cmpstr (info->interval, ==, "1m");
  g_assert_cmpint (info->start_ts, ==, iso ("2023-01-01T00:00:00Z"));
  g_assert_cmpint (info->end_ts, ==, iso ("2023-01-31T23:59:59Z"));
  g_assert_cmpfloat (info->initial_cash, ==, 100000);
  g_assert_cmpstr (info->status, ==, "completed");
  g_assert_cmpint (info->started_at, ==, iso ("2025-11-03T20:21:39Z"));
  g_assert_cmpint (info->execution_time_ms, ==, 5000);
  g_assert_cmpstr (info->cache_key, ==, "lean:7954a29ced21c3bb8e4320d37f3197ea828fc80c8f7bc815ed"
                                        "88d073694dca4c");
  g_assert_true (g_str_has_suffix (info->result_path, "/lean-results/1983772575.json"));
  g_assert_cmpuint (info->params->len, ==, 8);
  p = hs_bt_run_info_get_param (info, "rsi_period");
  g_assert_nonnull (p);
  g_assert_cmpint (p->kind, ==, HS_BT_PARAM_STRING);
  g_assert_cmpstr (p->text, ==, "14");
}

static void
test_interval_given (void)
{
  g_autoptr(HsLeanResult) lean = load ("1983772575.json", "1m");

  g_assert_cmpstr (lean->info->interval, ==, "1m");
  g_assert_cmpuint (lean->warnings->len, ==, 1);
}

/* BasicTemplateAlgorithm.json: legacy PascalCase, {x,y} points, numbers, one order. */
static void
test_legacy (void)
{
  g_autoptr(HsLeanResult) lean = load ("BasicTemplateAlgorithm.json", "1m");
  const HsBtResult *r = lean->result;
  const HsStatistics *s = &r->stats;
  static const char *const warnings[] = {
    "missing statistic “Drawdown Recovery”: drawdown_recovery left empty",
    "missing statistic “Sortino Ratio”: sortino_ratio left empty",
    "missing statistic “Portfolio Turnover”: portfolio_turnover left empty",
    "missing statistic “Estimated Strategy Capacity”: estimated_strategy_capacity left empty",
    "missing statistic “valueAtRisk95”: var_95 left empty",
    "missing statistic “Lowest Capacity Asset”: lowest_capacity_asset left empty",
    "missing “algorithmConfiguration”: no parameters; the period is the equity curve's",
    "missing “state”: run time and status unknown (stored as completed)",
    NULL
  };

  assert_warnings (lean, warnings);
  /* {"x": 1381104000, "y": 100000.0} … {"x": 1381550400, "y": 101662.5407}, 397 points */
  g_assert_cmpuint (r->n, ==, 397);
  g_assert_cmpint (r->ts[0], ==, G_GINT64_CONSTANT (1381104000) * 1000000);
  g_assert_cmpfloat (r->equity[0], ==, 100000.0);
  g_assert_cmpint (r->ts[1], ==, G_GINT64_CONSTANT (1381152660) * 1000000);
  g_assert_cmpfloat (r->equity[1], ==, 99996.745);
  g_assert_cmpint (r->ts[396], ==, G_GINT64_CONSTANT (1381550400) * 1000000);
  g_assert_cmpfloat (r->equity[396], ==, 101662.5407);
  /* The Benchmark chart has SPY at 00:00 UTC each day: 154.3155 on 2013-10-07. */
  g_assert_nonnull (r->benchmark);
  g_assert_cmpfloat (r->benchmark[0], ==, 154.3155);
  g_assert_cmpfloat (r->benchmark[1], ==, 154.3155);
  g_assert_cmpfloat (r->benchmark[396], ==, 155.5766);

  g_assert_cmpint (s->total_orders, ==, 1);
  g_assert_cmpint (s->total_trades, ==, 0);
  g_assert_cmpuint (r->trades->len, ==, 0);
  /* "Net Profit": "1.663%" over TotalNetProfit 0.0166; "220.544%" over 2.2054. */
  g_assert_cmpfloat (s->net_profit, ==, 0.01663);
  g_assert_cmpfloat (s->max_drawdown, ==, 0.022);
  g_assert_cmpfloat (s->sharpe_ratio, ==, 4.8243);
  g_assert_cmpfloat (s->compounding_annual_return, ==, 2.20544);
  g_assert_cmpfloat (s->beta, ==, 0.9962);
  g_assert_cmpfloat (s->treynor_ratio, ==, 1.0612);
  g_assert_cmpfloat (s->probabilistic_sharpe_ratio, ==, 0.66954);
  /* "Total Fees": "$3.26" (TradeStatistics.TotalFees is 0: no trade closed) */
  g_assert_cmpfloat (s->total_fees, ==, 3.26);
  g_assert_cmpfloat (s->start_equity, ==, 100000);
  g_assert_cmpfloat (s->end_equity, ==, 101662.5407);
  g_assert_true (isnan (s->sortino_ratio));
  g_assert_true (isnan (s->average_holding_time));

  g_assert_cmpstr (lean->info->strategy_name, ==, "BasicTemplateAlgorithm");
  g_assert_cmpstr (lean->info->symbol, ==, "SPY");
  g_assert_cmpint (lean->info->start_ts, ==, G_GINT64_CONSTANT (1381104000) * 1000000);
  g_assert_cmpint (lean->info->end_ts, ==, G_GINT64_CONSTANT (1381550400) * 1000000);
  g_assert_cmpint (lean->info->execution_time_ms, ==, -1);
  g_assert_cmpuint (lean->info->params->len, ==, 0);
}

static void
test_summary (void)
{
  g_autoptr(HsLeanResult) lean = load ("1983772575-summary.json", "1m");
  const HsBtResult *r = lean->result;
  static const char *const warnings[] = {
    "missing “orders”: exit tags of the trades unknown",
    "no closed trades in the file although its statistics count 26 (a -summary.json has none): "
    "no trades stored",
    NULL
  };

  assert_warnings (lean, warnings);
  g_assert_cmpuint (r->n, ==, 6);
  g_assert_cmpfloat (r->equity[0], ==, 100000.0);
  g_assert_cmpint (r->ts[5], ==, G_GINT64_CONSTANT (1675141200) * 1000000);
  g_assert_cmpfloat (r->equity[5], ==, 101831.37);
  g_assert_cmpuint (r->trades->len, ==, 0);
  g_assert_cmpint (r->stats.total_trades, ==, 26);
  g_assert_cmpfloat (r->stats.sharpe_ratio, ==, 1.4803);
  /* No orders, no trades: the symbol is the capacity asset's ticker. */
  g_assert_cmpstr (lean->info->symbol, ==, "SPY");
  g_assert_cmpstr (lean->info->strategy_name, ==, "1983772575");
}

/* The current file with @edit applied to its parsed tree, as text. */
static char *
edited (void (*edit) (JsonObject *root))
{
  g_autofree char *path = data_path ("1983772575.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  edit (json_node_get_object (json_parser_get_root (parser)));
  json_generator_set_root (gen, json_parser_get_root (parser));
  return json_generator_to_data (gen, NULL);
}

static void
add_unknown_and_drop_sortino (JsonObject *root)
{
  JsonObject *perf = json_object_get_object_member (root, "totalPerformance");

  json_object_set_string_member (json_object_get_object_member (root, "statistics"),
                                 "Frobnication Ratio", "1.5");
  json_object_set_object_member (root, "extraThing", json_object_new ());
  json_object_remove_member (json_object_get_object_member (root, "statistics"),
                             "Sortino Ratio");
  json_object_remove_member (json_object_get_object_member (perf, "portfolioStatistics"),
                             "sortinoRatio");
}

static void
test_unknown_and_missing (void)
{
  g_autofree char *text = edited (add_unknown_and_drop_sortino);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLeanResult) lean = hs_lean_result_parse (text, strlen (text), "edited.json", "1m",
                                                       &error);
  static const char *const warnings[] = {
    "unknown key “extraThing” in “top level” (ignored)",
    "unknown key “Frobnication Ratio” in “statistics” (ignored)",
    "missing statistic “Sortino Ratio”: sortino_ratio left empty",
    "the Benchmark series is all zero (LEAN had no benchmark data): alpha, beta, information "
    "ratio, tracking error and Treynor ratio are against zero",
    NULL
  };

  g_assert_no_error (error);
  assert_warnings (lean, warnings);
  g_assert_true (isnan (lean->result->stats.sortino_ratio));
  g_assert_cmpfloat (lean->result->stats.sharpe_ratio, ==, 1.4803);
  g_assert_cmpuint (lean->result->trades->len, ==, 26);
  g_assert_cmpstr (lean->info->strategy_name, ==, "edited");
}

static void
drop_sharpe (JsonObject *root)
{
  JsonObject *perf = json_object_get_object_member (root, "totalPerformance");

  json_object_remove_member (json_object_get_object_member (root, "statistics"), "Sharpe Ratio");
  json_object_remove_member (json_object_get_object_member (perf, "portfolioStatistics"),
                             "sharpeRatio");
}

/* Display strings alone: percent to fractions, dollars, thousands separators, signs. */
static void
test_display_strings (void)
{
  static const char text[] =
    "{\"Statistics\": {\"Net Profit\": \"1.831%\", \"Drawdown\": \"2.600%\","
    " \"Sharpe Ratio\": \"-1.48\", \"Start Equity\": \"100000\", \"End Equity\": \"101831.37\","
    " \"Total Fees\": \"$1,063.82\", \"Win Rate\": \"65%\", \"Average Loss\": \"-0.56%\","
    " \"Estimated Strategy Capacity\": \"$30000000.00\", \"Total Orders\": \"52\","
    " \"Portfolio Turnover\": \"158.69%\", \"Probabilistic Sharpe Ratio\": \"61.689%\","
    " \"Drawdown Recovery\": \"3\", \"Alpha\": \"abc\"},"
    " \"algorithmConfiguration\": {\"name\": \"My Algo\", \"parameters\": {\"n\": 3},"
    " \"startDate\": \"2023-01-01T00:00:00Z\", \"endDate\": \"2023-02-01T00:00:00Z\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(HsLeanResult) lean = hs_lean_result_parse (text, strlen (text), "x.json", "1d",
                                                       &error);
  const HsStatistics *s;

  g_assert_no_error (error);
  s = &lean->result->stats;
  g_assert_cmpfloat (s->net_profit, ==, 0.01831);
  g_assert_cmpfloat (s->max_drawdown, ==, 0.026);
  g_assert_cmpfloat (s->sharpe_ratio, ==, -1.48);
  g_assert_cmpfloat (s->total_fees, ==, 1063.82);
  g_assert_cmpfloat (s->win_rate, ==, 0.65);
  g_assert_cmpfloat (s->average_loss, ==, -0.0056);
  g_assert_cmpfloat (s->estimated_strategy_capacity, ==, 3e7);
  g_assert_cmpfloat (s->portfolio_turnover, ==, 1.5869);
  g_assert_cmpfloat (s->probabilistic_sharpe_ratio, ==, 0.61689);
  g_assert_cmpint (s->drawdown_recovery, ==, 3);
  g_assert_cmpint (s->total_orders, ==, 52);
  g_assert_true (isnan (s->alpha));
  g_assert_cmpstr (lean->info->strategy_name, ==, "My Algo");
  g_assert_cmpstr (lean->info->symbol, ==, "UNKNOWN");
  g_assert_cmpint (hs_bt_run_info_get_param (lean->info, "n")->kind, ==, HS_BT_PARAM_NUMBER);
  g_assert_cmpuint (lean->result->n, ==, 0);
  g_assert_true (g_ptr_array_find_with_equal_func (lean->warnings,
                                                   "statistic “Alpha” is not a number: “abc” "
                                                   "(ignored)", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (lean->warnings,
                                                   "missing chart “Strategy Equity” series "
                                                   "“Equity”: no equity curve", g_str_equal,
                                                   NULL));
}

static void
test_errors (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *message;
  } cases[] = {
    { "", HS_JSON_ERROR_SYNTAX, "bad.json: not JSON: " },
    { "{\"statistics\": {", HS_JSON_ERROR_SYNTAX, "bad.json: not JSON: " },
    { "Net Profit,1.8%\n", HS_JSON_ERROR_SYNTAX, "bad.json: not JSON: " },
    { "[{\"id\": \"1983772575-1-1\", \"status\": \"submitted\"}]", HS_JSON_ERROR_SHAPE,
      "bad.json: not a LEAN backtest result: the JSON is an array, not an object (an "
      "-order-events.json holds order events, not results)" },
    { "42", HS_JSON_ERROR_SHAPE,
      "bad.json: not a LEAN backtest result: the JSON is a value, not an object" },
    { "{\"bars\": [1, 2]}", HS_JSON_ERROR_SHAPE,
      "bad.json: not a LEAN backtest result: no “statistics” or “totalPerformance”."
      "“portfolioStatistics” object" },
    { "{\"statistics\": {\"Net Profit\": \"1%\"}}", HS_JSON_ERROR_SHAPE,
      "bad.json: LEAN result without its core statistics: missing Drawdown, Sharpe Ratio" },
    { "{\"statistics\": {\"Net Profit\": \"1%\", \"Drawdown\": \"1%\", \"Sharpe Ratio\": \"1\"}}",
      HS_JSON_ERROR_SHAPE, "bad.json: LEAN result without its core statistics: no Start Equity "
      "and no equity curve" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsLeanResult) lean = hs_lean_result_parse (cases[i].text, strlen (cases[i].text),
                                                           "bad.json", NULL, &error);

      g_assert_null (lean);
      g_assert_error (error, HS_JSON_ERROR, cases[i].code);
      if (!g_str_has_prefix (error->message, cases[i].message)
          || (cases[i].code == HS_JSON_ERROR_SHAPE
              && !g_str_equal (error->message, cases[i].message)))
        g_error ("case %zu: “%s”", i, error->message);
    }
  /* Without a core statistic the real file is refused, naming it. */
  {
    g_autofree char *text = edited (drop_sharpe);
    g_autoptr(GError) error = NULL;
    g_autoptr(HsLeanResult) lean = hs_lean_result_parse (text, strlen (text), "x.json", NULL,
                                                         &error);

    g_assert_null (lean);
    g_assert_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE);
    g_assert_cmpstr (error->message, ==, "x.json: LEAN result without its core statistics: "
                                         "missing Sharpe Ratio");
  }
  /* A file that is not there. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(HsLeanResult) lean = hs_lean_result_load ("/nonexistent/x.json", NULL, &error);

    g_assert_null (lean);
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/fetch/lean-result/current", test_current);
  g_test_add_func ("/hs/fetch/lean-result/interval-given", test_interval_given);
  g_test_add_func ("/hs/fetch/lean-result/legacy", test_legacy);
  g_test_add_func ("/hs/fetch/lean-result/summary", test_summary);
  g_test_add_func ("/hs/fetch/lean-result/unknown-and-missing", test_unknown_and_missing);
  g_test_add_func ("/hs/fetch/lean-result/display-strings", test_display_strings);
  g_test_add_func ("/hs/fetch/lean-result/errors", test_errors);
  return g_test_run ();
}
