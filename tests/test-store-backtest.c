/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backtest runs in the store (src/store/hs-store-backtest.c): a synthetic run with a distinct,
 * hand-set value in every statistic is saved and each value is read back from its own column
 * by name with plain SQL (so that two swapped columns cannot pass a symmetric round trip) and
 * through hs_store_load_backtest(); trades, equity points and parameters round-trip; the cache
 * answers only completed computed runs, and a hit is recorded as its own row; a failed run
 * keeps its error; a failing save leaves nothing; deletion cascades to trades and equity.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-store-backtest.h"
#include "hs-store.h"

static char *
temp_db (const char *name)
{
  static char *dir;

  if (dir == NULL)
    dir = g_dir_make_tmp ("hs-store-bt-XXXXXX", NULL);
  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static HsStore *
open_store (const char *name)
{
  g_autofree char *path = temp_db (name);
  g_autoptr(GError) error = NULL;
  HsStore *store;

  g_unlink (path);
  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  return store;
}

/* One value by plain SQL on a second connection: what a user's query sees. */
static sqlite3_stmt *
raw_query (sqlite3    *db,
           const char *sql,
           int64_t     id)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return stmt;
}

static int64_t
raw_count (HsStore    *store,
           const char *sql,
           int64_t     id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt;
  int64_t n;

  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  stmt = raw_query (db, sql, id);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Every statistic with a value of its own (and within the columns' CHECKs). */
typedef struct
{
  const char *column;
  double      value;
} Expect;

static const Expect expected_doubles[] = {
  { "start_equity", 100000 }, { "end_equity", 101831.37 }, { "final_value", 101831.25 },
  { "net_profit", 0.0183137 }, { "net_profit_currency", 1831.37 },
  { "total_return", 0.0183 }, { "compounding_annual_return", 0.2411 },
  { "max_drawdown", 0.026 }, { "annual_standard_deviation", 0.0835 },
  { "annual_variance", 0.00697 }, { "sharpe_ratio", 1.4803 }, { "sortino_ratio", 2.8841 },
  { "probabilistic_sharpe_ratio", 0.6169 }, { "alpha", -0.0123 }, { "beta", 0.9962 },
  { "tracking_error", 0.0008 }, { "information_ratio", -4.864 }, { "treynor_ratio", 1.0612 },
  { "win_rate", 0.6538 }, { "loss_rate", 0.3462 }, { "average_win", 0.0041 },
  { "average_loss", -0.0056 }, { "profit_factor", 1.3675 }, { "profit_loss_ratio", 0.7238 },
  { "expectancy", 0.1271 }, { "total_fees", 63.82 }, { "portfolio_turnover", 1.5869 },
  { "estimated_strategy_capacity", 30000000 }, { "calmar_ratio", 9.273 },
  { "omega_ratio", 1.21 }, { "tail_ratio", 0.97 }, { "var_95", -0.008 }, { "stability", 0.61 },
  { "exposure", 0.44 }, { "average_holding_time", 42071.5 },
};

static const struct
{
  const char *column;
  int64_t     value;
} expected_ints[] = {
  { "drawdown_recovery", 1 }, { "total_orders", 52 }, { "total_trades", 26 },
  { "winning_trades", 17 }, { "losing_trades", 9 }, { "longest_losing_streak", 2 },
  { "pivot_highs_detected", 31 }, { "pivot_lows_detected", 29 },
  { "bos_signals_generated", 12 }, { "position_flips", 4 }, { "liquidation_events", 3 },
};

static HsBtResult *
make_result (size_t n_equity)
{
  HsBtResult *r = hs_bt_result_new_empty (n_equity);
  HsStatistics *s = &r->stats;
  HsBtTrade t = { 0 };

  s->start_equity = 100000;
  s->end_equity = 101831.37;
  s->final_value = 101831.25;
  s->net_profit = 0.0183137;
  s->net_profit_currency = 1831.37;
  s->total_return = 0.0183;
  s->compounding_annual_return = 0.2411;
  s->max_drawdown = 0.026;
  s->drawdown_recovery = 1;
  s->annual_standard_deviation = 0.0835;
  s->annual_variance = 0.00697;
  s->sharpe_ratio = 1.4803;
  s->sortino_ratio = 2.8841;
  s->probabilistic_sharpe_ratio = 0.6169;
  s->alpha = -0.0123;
  s->beta = 0.9962;
  s->tracking_error = 0.0008;
  s->information_ratio = -4.864;
  s->treynor_ratio = 1.0612;
  s->total_orders = 52;
  s->total_trades = 26;
  s->winning_trades = 17;
  s->losing_trades = 9;
  s->win_rate = 0.6538;
  s->loss_rate = 0.3462;
  s->average_win = 0.0041;
  s->average_loss = -0.0056;
  s->profit_factor = 1.3675;
  s->profit_loss_ratio = 0.7238;
  s->expectancy = 0.1271;
  s->total_fees = 63.82;
  s->portfolio_turnover = 1.5869;
  s->estimated_strategy_capacity = 30000000;
  s->lowest_capacity_asset = g_strdup ("SPY R735QTJ8XC9X");
  s->calmar_ratio = 9.273;
  s->omega_ratio = 1.21;
  s->tail_ratio = 0.97;
  s->var_95 = -0.008;
  s->stability = 0.61;
  s->exposure = 0.44;
  s->average_holding_time = 42071.5;
  s->longest_losing_streak = 2;
  r->total_orders = 52;
  r->pivot_highs_detected = 31;
  r->pivot_lows_detected = 29;
  r->bos_signals_generated = 12;
  r->position_flips = 4;
  r->liquidation_events = 3;

  for (size_t i = 0; i < n_equity; i++)
    {
      r->ts[i] = 1672549200000000 + (int64_t) i * 720000000;
      r->equity[i] = 100000 + 3.25 * (double) i;
      r->cash[i] = i % 2 ? NAN : 5000.5;
      r->holdings[i] = r->equity[i] - 5000.5;
      r->drawdown[i] = i % 3 ? 0 : 0.0125;
    }
  if (n_equity > 0)
    {
      r->benchmark = g_new (double, n_equity);
      for (size_t i = 0; i < n_equity; i++)
        r->benchmark[i] = i == 0 ? NAN : 380 + 0.01 * (double) i;
    }

  t.entry_ts = 1672759140000000;
  t.exit_ts = 1672770420000000;
  t.side = 1;
  t.quantity = 249;
  t.entry_price = 380.57;
  t.exit_price = 379.55;
  t.pnl = -256.47;
  t.pnl_pct = -0.27063;
  t.fees = 2.49;
  t.mfe_pct = 0.444;
  t.mae_pct = 0.667;
  t.bars_held = 188;
  t.exit_reason = HS_EXIT_STOP_LOSS;
  t.signal_json = g_strdup ("{\"rsi\":28.5}");
  g_array_append_val (r->trades, t);
  memset (&t, 0, sizeof t);
  t.entry_ts = 1672780000000000;
  t.exit_ts = 1672790000000000;
  t.side = -1;
  t.quantity = 0.5;
  t.entry_price = 381;
  t.exit_price = 380;
  t.pnl = 0.4;
  t.pnl_pct = 0.105;
  t.fees = 0.1;
  t.mfe_pct = NAN;
  t.mae_pct = 0;
  t.bars_held = -1;
  t.exit_reason = HS_EXIT_UNKNOWN;
  t.entry_snapshot_id = 0;
  g_array_append_val (r->trades, t);
  memset (&t, 0, sizeof t);
  t.entry_ts = 1672800000000000;
  t.exit_ts = 1672800000000000;
  t.side = 1;
  t.quantity = 10;
  t.entry_price = 382;
  t.exit_price = 383;
  t.pnl = 9;
  t.pnl_pct = 0.2356;
  t.fees = 1;
  t.mfe_pct = 0.3;
  t.mae_pct = 0.1;
  t.bars_held = 0;
  t.exit_reason = HS_EXIT_END_OF_DATA;
  g_array_append_val (r->trades, t);
  return r;
}

static HsBtRunInfo *
make_info (const char *key)
{
  HsBtRunInfo *info = hs_bt_run_info_new ();

  info->strategy_name = g_strdup ("rsi_reversion");
  info->strategy_version = g_strdup ("2");
  info->symbol = g_strdup ("SPY");
  info->interval = g_strdup ("1m");
  info->start_ts = 1672531200000000;
  info->end_ts = 1675209599000000;
  info->initial_cash = 100000;
  info->fee_model = g_strdup ("ibkr");
  info->slippage_model = g_strdup ("none");
  info->sizing_model = g_strdup ("percent:95");
  info->benchmark = g_strdup ("SPY");
  info->pivot_bars = 5;
  info->lower_timeframe = g_strdup ("1m");
  info->cache_key = g_strdup (key);
  info->data_fingerprint = g_strdup ("bars1-8000-0011223344556677");
  info->execution_time_ms = 1234;
  info->started_at = 1700000000000000;
  info->finished_at = 1700000001234000;
  info->batch_id = g_strdup ("sweep-1");
  hs_bt_run_info_set_number (info, "rsi_period", 14);
  hs_bt_run_info_set_number (info, "stop_loss_pct", 0.02);
  hs_bt_run_info_set_string (info, "ma", "ema");
  hs_bt_run_info_set_bool (info, "allow_short", FALSE);
  hs_bt_run_info_set_json (info, "rules", "{\"entry\":\"rsi(close, 14) < 30\",\"n\":[1,2]}");
  return info;
}

/* Points of a run's curve in backtest_equity_chunks (raw SQL). */
#define EQUITY_POINTS "SELECT coalesce(sum(n_points), 0) FROM backtest_equity_chunks WHERE run_id = ?"

static void
raw_exec (HsStore    *store,
          const char *sql,
          int64_t     id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
assert_same_double (double a,
                    double b)
{
  if (isnan (a) || isnan (b))
    g_assert_true (isnan (a) && isnan (b));
  else
    g_assert_cmpfloat (a, ==, b);
}

/* Every point of two curves of the same length, NaN for NaN. */
static void
assert_same_curve (const HsBtResult *back,
                   const HsBtResult *result)
{
  for (size_t i = 0; i < back->n; i++)
    {
      g_assert_cmpint (back->ts[i], ==, result->ts[i]);
      g_assert_cmpfloat (back->equity[i], ==, result->equity[i]);
      assert_same_double (back->cash[i], result->cash[i]);
      assert_same_double (back->holdings[i], result->holdings[i]);
      assert_same_double (back->drawdown[i], result->drawdown[i]);
      assert_same_double (back->benchmark[i], result->benchmark[i]);
    }
}

static void
test_round_trip (void)
{
  g_autoptr(HsStore) store = open_store ("round-trip.db");
  g_autoptr(HsBtRunInfo) info = make_info ("k1");
  g_autoptr(HsBtResult) result = make_result (200);
  g_autoptr(HsBtRunInfo) info2 = NULL;
  g_autoptr(HsBtResult) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *params = NULL;
  int64_t id = 0;
  sqlite3 *db = NULL;

  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* Each statistic in its own column, by name. */
  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  for (size_t i = 0; i < G_N_ELEMENTS (expected_doubles); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s, typeof(%s) FROM backtest_runs "
                                              "WHERE id = ?", expected_doubles[i].column,
                                              expected_doubles[i].column);
      sqlite3_stmt *stmt = raw_query (db, sql, id);

      g_test_message ("%s", expected_doubles[i].column);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), !=, "null");
      g_assert_cmpfloat (sqlite3_column_double (stmt, 0), ==, expected_doubles[i].value);
      sqlite3_finalize (stmt);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (expected_ints); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s, typeof(%s) FROM backtest_runs "
                                              "WHERE id = ?", expected_ints[i].column,
                                              expected_ints[i].column);
      sqlite3_stmt *stmt = raw_query (db, sql, id);

      g_test_message ("%s", expected_ints[i].column);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "integer");
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, expected_ints[i].value);
      sqlite3_finalize (stmt);
    }
  {
    sqlite3_stmt *stmt = raw_query (db, "SELECT lowest_capacity_asset, strategy_name, "
                                        "strategy_version, symbol, interval, parameters, "
                                        "profile, fee_model, slippage_model, sizing_model, "
                                        "benchmark, pivot_bars, lower_timeframe, cache_key, "
                                        "data_fingerprint, execution_time_ms, status, "
                                        "error_message IS NULL, cache_hit, started_at, "
                                        "finished_at, created_at > 0, batch_id, "
                                        "instrument_id IS NULL, initial_cash, start_ts, end_ts "
                                        "FROM backtest_runs WHERE id = ?", id);
    const char *want[] = {
      "SPY R735QTJ8XC9X", "rsi_reversion", "2", "SPY", "1m",
      "{\"allow_short\":false,\"ma\":\"ema\",\"rsi_period\":14,"
      "\"rules\":{\"entry\":\"rsi(close, 14) < 30\",\"n\":[1,2]},\"stop_loss_pct\":0.02}",
      "default", "ibkr", "none", "percent:95", "SPY", "5", "1m", "k1",
      "bars1-8000-0011223344556677", "1234", "completed", "1", "0", "1700000000000000",
      "1700000001234000", "1", "sweep-1", "1", "100000.0", "1672531200000000",
      "1675209599000000",
    };

    for (int c = 0; c < (int) G_N_ELEMENTS (want); c++)
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, c), ==, want[c]);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);

  /* And back through the API. */
  g_assert_true (hs_store_load_backtest (store, id, &info2, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info2->id, ==, id);
  g_assert_cmpint (info2->source_run_id, ==, id);
  g_assert_cmpint (info2->cache_hit, ==, 0);
  g_assert_cmpstr (info2->strategy_name, ==, "rsi_reversion");
  g_assert_cmpstr (info2->cache_key, ==, "k1");
  g_assert_cmpint (info2->pivot_bars, ==, 5);
  g_assert_cmpint (info2->execution_time_ms, ==, 1234);
  g_assert_cmpint (info2->started_at, ==, info->started_at);
  g_assert_cmpint (info2->finished_at, ==, info->finished_at);
  g_assert_cmpint (info2->instrument_id, ==, 0);
  g_assert_null (info2->exchange);
  params = hs_bt_params_to_json (info2->params);
  {
    g_autofree char *want = hs_bt_params_to_json (info->params);

    g_assert_cmpstr (params, ==, want);
  }
  g_assert_cmpint (hs_bt_run_info_get_param (info2, "rsi_period")->kind, ==, HS_BT_PARAM_NUMBER);
  g_assert_cmpint (hs_bt_run_info_get_param (info2, "allow_short")->kind, ==, HS_BT_PARAM_BOOL);
  g_assert_cmpint (hs_bt_run_info_get_param (info2, "rules")->kind, ==, HS_BT_PARAM_JSON);

  /* Every statistic, compared field by field with memcmp-free equality. */
  {
    const HsStatistics *a = &result->stats, *b = &back->stats;
    const double *da[] = {
      &a->start_equity, &a->end_equity, &a->final_value, &a->net_profit,
      &a->net_profit_currency, &a->total_return, &a->compounding_annual_return,
      &a->max_drawdown, &a->annual_standard_deviation, &a->annual_variance, &a->sharpe_ratio,
      &a->sortino_ratio, &a->probabilistic_sharpe_ratio, &a->alpha, &a->beta,
      &a->tracking_error, &a->information_ratio, &a->treynor_ratio, &a->win_rate,
      &a->loss_rate, &a->average_win, &a->average_loss, &a->profit_factor,
      &a->profit_loss_ratio, &a->expectancy, &a->total_fees, &a->portfolio_turnover,
      &a->estimated_strategy_capacity, &a->calmar_ratio, &a->omega_ratio, &a->tail_ratio,
      &a->var_95, &a->stability, &a->exposure, &a->average_holding_time,
    };
    const double *db_[] = {
      &b->start_equity, &b->end_equity, &b->final_value, &b->net_profit,
      &b->net_profit_currency, &b->total_return, &b->compounding_annual_return,
      &b->max_drawdown, &b->annual_standard_deviation, &b->annual_variance, &b->sharpe_ratio,
      &b->sortino_ratio, &b->probabilistic_sharpe_ratio, &b->alpha, &b->beta,
      &b->tracking_error, &b->information_ratio, &b->treynor_ratio, &b->win_rate,
      &b->loss_rate, &b->average_win, &b->average_loss, &b->profit_factor,
      &b->profit_loss_ratio, &b->expectancy, &b->total_fees, &b->portfolio_turnover,
      &b->estimated_strategy_capacity, &b->calmar_ratio, &b->omega_ratio, &b->tail_ratio,
      &b->var_95, &b->stability, &b->exposure, &b->average_holding_time,
    };

    G_STATIC_ASSERT (G_N_ELEMENTS (da) == G_N_ELEMENTS (expected_doubles));
    for (size_t i = 0; i < G_N_ELEMENTS (da); i++)
      g_assert_cmpfloat (*da[i], ==, *db_[i]);
    g_assert_cmpint (a->drawdown_recovery, ==, b->drawdown_recovery);
    g_assert_cmpint (a->total_orders, ==, b->total_orders);
    g_assert_cmpint (a->total_trades, ==, b->total_trades);
    g_assert_cmpint (a->winning_trades, ==, b->winning_trades);
    g_assert_cmpint (a->losing_trades, ==, b->losing_trades);
    g_assert_cmpint (a->longest_losing_streak, ==, b->longest_losing_streak);
    g_assert_cmpstr (a->lowest_capacity_asset, ==, b->lowest_capacity_asset);
    g_assert_cmpint (back->total_orders, ==, 52);
    g_assert_cmpint (back->pivot_highs_detected, ==, 31);
    g_assert_cmpint (back->pivot_lows_detected, ==, 29);
    g_assert_cmpint (back->bos_signals_generated, ==, 12);
    g_assert_cmpint (back->position_flips, ==, 4);
    g_assert_cmpint (back->liquidation_events, ==, 3);
  }

  /* Equity: 200 points, one chunk. */
  g_assert_cmpuint (back->n, ==, 200);
  g_assert_nonnull (back->benchmark);
  assert_same_curve (back, result);

  /* Trades in order, open fields and unknowns as NULL. */
  g_assert_cmpuint (back->trades->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const HsBtTrade *a = &g_array_index (result->trades, HsBtTrade, i);
      const HsBtTrade *b = &g_array_index (back->trades, HsBtTrade, i);

      g_assert_cmpint (a->entry_ts, ==, b->entry_ts);
      g_assert_cmpint (a->exit_ts, ==, b->exit_ts);
      g_assert_cmpint (a->side, ==, b->side);
      g_assert_cmpfloat (a->quantity, ==, b->quantity);
      g_assert_cmpfloat (a->entry_price, ==, b->entry_price);
      g_assert_cmpfloat (a->exit_price, ==, b->exit_price);
      g_assert_cmpfloat (a->pnl, ==, b->pnl);
      g_assert_cmpfloat (a->pnl_pct, ==, b->pnl_pct);
      g_assert_cmpfloat (a->fees, ==, b->fees);
      assert_same_double (a->mfe_pct, b->mfe_pct);
      assert_same_double (a->mae_pct, b->mae_pct);
      g_assert_cmpint (a->bars_held, ==, b->bars_held);
      g_assert_true (a->exit_reason == b->exit_reason);
      g_assert_cmpstr (a->signal_json, ==, b->signal_json);
    }
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_trades WHERE run_id = ? "
                                     "AND exit_reason IS NULL AND bars_held IS NULL "
                                     "AND side = 'short' AND trade_no = 2", id), ==, 1);
  g_assert_cmpint (raw_count (store, "SELECT group_concat(trade_no) = '1,2,3' FROM "
                                     "(SELECT trade_no FROM backtest_trades WHERE run_id = ? "
                                     "ORDER BY entry_ts)", id), ==, 1);
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_trades WHERE run_id = ? "
                                     "AND exit_reason = 'stop_loss'", id), ==, 1);

  /* The summary has the statistics and nothing else. */
  {
    g_autoptr(HsBtRunInfo) si = NULL;
    g_autoptr(HsBtResult) sr = NULL;

    g_assert_true (hs_store_load_backtest_summary (store, id, &si, &sr, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sr->n, ==, 0);
    g_assert_cmpuint (sr->trades->len, ==, 0);
    g_assert_cmpfloat (sr->stats.sharpe_ratio, ==, 1.4803);
  }
}

/* A run with no statistic set stores NULLs and reads back undefined values. */
static void
test_undefined_statistics (void)
{
  g_autoptr(HsStore) store = open_store ("undefined.db");
  g_autoptr(HsBtRunInfo) info = make_info (NULL);
  g_autoptr(HsBtResult) result = hs_bt_result_new_empty (0);
  g_autoptr(HsBtResult) back = NULL;
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  result->stats.sharpe_ratio = INFINITY;
  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (store, "SELECT (net_profit IS NULL) + (total_trades IS NULL) + "
                                     "(lowest_capacity_asset IS NULL) + (position_flips IS NULL) "
                                     "+ (cache_key IS NULL) FROM backtest_runs WHERE id = ?",
                              id), ==, 5);
  g_assert_true (hs_store_load_backtest (store, id, NULL, &back, &error));
  g_assert_no_error (error);
  g_assert_true (isnan (back->stats.net_profit));
  g_assert_true (isinf (back->stats.sharpe_ratio));
  g_assert_cmpint (back->stats.total_trades, ==, -1);
  g_assert_cmpint (back->position_flips, ==, -1);
  g_assert_null (back->stats.lowest_capacity_asset);
  g_assert_cmpuint (back->n, ==, 0);
  g_assert_null (back->benchmark);
}

static void
test_cache (void)
{
  g_autoptr(HsStore) store = open_store ("cache.db");
  g_autoptr(HsBtRunInfo) info = make_info ("key-a");
  g_autoptr(HsBtResult) result = make_result (10);
  g_autoptr(GError) error = NULL;
  int64_t id = 0, found = -1, hit = 0, hit2 = 0, other = 0;

  /* A miss is not an error. */
  g_assert_true (hs_store_find_cached_backtest (store, "key-a", &found, &error));
  g_assert_no_error (error);
  g_assert_cmpint (found, ==, 0);

  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_find_cached_backtest (store, "key-a", &found, &error));
  g_assert_cmpint (found, ==, id);

  /* A hit is its own row: same request and numbers, cache_hit 1, its own timing. */
  g_assert_true (hs_store_record_cache_hit (store, found, 1800000000000000, 1800000000003000, 3,
                                            &hit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hit, >, id);
  g_assert_true (hs_store_record_cache_hit (store, found, 0, 0, 1, &hit2, &error));
  g_assert_no_error (error);
  {
    g_autoptr(HsBtRunInfo) hi = NULL;
    g_autoptr(HsBtResult) hr = NULL;
    g_autofree char *p1 = NULL, *p2 = NULL;

    g_assert_true (hs_store_load_backtest (store, hit, &hi, &hr, &error));
    g_assert_no_error (error);
    g_assert_cmpint (hi->cache_hit, ==, 1);
    g_assert_cmpint (hi->source_run_id, ==, id);
    g_assert_cmpint (hi->execution_time_ms, ==, 3);
    g_assert_cmpint (hi->started_at, ==, 1800000000000000);
    g_assert_cmpstr (hi->cache_key, ==, "key-a");
    g_assert_cmpstr (hi->status, ==, "completed");
    g_assert_null (hi->batch_id);
    g_assert_cmpstr (hi->strategy_name, ==, info->strategy_name);
    p1 = hs_bt_params_to_json (hi->params);
    p2 = hs_bt_params_to_json (info->params);
    g_assert_cmpstr (p1, ==, p2);
    g_assert_cmpfloat (hr->stats.sharpe_ratio, ==, result->stats.sharpe_ratio);
    g_assert_cmpstr (hr->stats.lowest_capacity_asset, ==, "SPY R735QTJ8XC9X");
    g_assert_cmpint (hr->position_flips, ==, 4);
    /* Trades and equity are the computed run's, not copied. */
    g_assert_cmpuint (hr->trades->len, ==, 3);
    g_assert_cmpuint (hr->n, ==, 10);
  }
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_trades WHERE run_id = ?",
                              hit), ==, 0);
  /* The lookup still answers with the computed run, never a hit row. */
  g_assert_true (hs_store_find_cached_backtest (store, "key-a", &found, &error));
  g_assert_cmpint (found, ==, id);
  /* Hit rows stay out of the comparison view. */
  g_assert_cmpint (raw_count (store, "SELECT runs FROM backtest_strategy_comparison WHERE "
                                     "?1 = ?1", 0), ==, 1);

  /* A second computed run with the same key breaks the unique index. */
  g_assert_false (hs_store_save_backtest (store, info, result, &other, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  /* ... and leaves nothing behind. */
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_runs WHERE ?1 = ?1", 0), ==,
                   3);

  /* A failed run with the key is allowed, and never answers. */
  {
    g_autoptr(HsBtRunInfo) failed = make_info ("key-b");
    int64_t fid = 0;

    g_free (failed->status);
    failed->status = g_strdup ("failed");
    failed->error_message = g_strdup ("bars out of order at 2023-01-03T15:19:00Z");
    g_assert_true (hs_store_save_backtest (store, failed, NULL, &fid, &error));
    g_assert_no_error (error);
    g_assert_true (hs_store_find_cached_backtest (store, "key-b", &found, &error));
    g_assert_cmpint (found, ==, 0);
  }

  /* Recording a hit of a run that does not exist. */
  g_assert_false (hs_store_record_cache_hit (store, 9999, 0, 0, 0, &other, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting the computed run deletes its hit rows; deleting a hit row alone is fine. */
  g_assert_true (hs_store_delete_backtest (store, hit2, &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_delete_backtest (store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_runs WHERE cache_key = "
                                     "'key-a' AND ?1 = ?1", 0), ==, 0);
}

static void
test_failed_run (void)
{
  g_autoptr(HsStore) store = open_store ("failed.db");
  g_autoptr(HsBtRunInfo) info = make_info ("key-f");
  g_autoptr(HsBtRunInfo) back = NULL;
  g_autoptr(HsBtResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_free (info->status);
  info->status = g_strdup ("failed");
  info->error_message = g_strdup ("strategy: unknown indicator “foo”");
  g_assert_true (hs_store_save_backtest (store, info, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_load_backtest (store, id, &back, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (back->status, ==, "failed");
  g_assert_cmpstr (back->error_message, ==, "strategy: unknown indicator “foo”");
  g_assert_true (isnan (result->stats.sharpe_ratio));
  g_assert_cmpuint (result->trades->len, ==, 0);
  g_assert_cmpuint (result->n, ==, 0);

  /* A status outside the schema's list is refused by its CHECK. */
  g_free (info->status);
  info->status = g_strdup ("exploded");
  g_assert_false (hs_store_save_backtest (store, info, NULL, &id, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
}

/* A bad trade fails the whole save: no run row, no equity points. */
static void
test_atomic (void)
{
  g_autoptr(HsStore) store = open_store ("atomic.db");
  g_autoptr(HsBtRunInfo) info = make_info ("key-x");
  g_autoptr(HsBtResult) result = make_result (100);
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_array_index (result->trades, HsBtTrade, 2).quantity = 0;
  g_assert_false (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "trade 3"));
  g_clear_error (&error);
  g_assert_cmpint (raw_count (store, "SELECT (SELECT count(*) FROM backtest_runs) + "
                                     "(SELECT count(*) FROM backtest_trades) + "
                                     "(SELECT count(*) FROM backtest_equity_chunks) + ?", 0), ==, 0);

  /* Inside the caller's transaction, the save is a savepoint: the caller's rollback undoes
   * it, and the store is usable afterwards. */
  g_array_index (result->trades, HsBtTrade, 2).quantity = 10;
  g_assert_true (hs_store_begin (store, &error));
  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
  hs_store_rollback (store);
  g_assert_cmpint (raw_count (store, "SELECT count(*) + ? FROM backtest_runs", 0), ==, 0);
  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (store, EQUITY_POINTS, id),
                   ==, 100);
}

/* A curve longer than a chunk: 20,000 points are chunks of 8,192, 8,192 and 3,616 points, and
 * come back bit for bit, NaNs included. */
static void
test_equity_chunks (void)
{
  g_autoptr(HsStore) store = open_store ("chunks.db");
  g_autoptr(HsBtRunInfo) info = make_info ("key-chunks");
  g_autoptr(HsBtResult) result = make_result (20000);
  g_autoptr(HsBtRunInfo) back_info = NULL;
  g_autoptr(HsBtResult) back = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt;
  int64_t id = 0;

  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_equity_chunks "
                                     "WHERE run_id = ?", id), ==, 3);
  g_assert_cmpint (raw_count (store, EQUITY_POINTS, id), ==, 20000);
  g_assert_cmpint (raw_count (store, "SELECT n_points FROM backtest_equity_chunks "
                                     "WHERE run_id = ? AND chunk_no = 2", id), ==, 3616);

  /* The packing, decoded by hand: point 8,192 (first of chunk 1) has equity
   * 100000 + 3.25 * 8192 = 126624 = 0x1EEA0 = 1.1110111010100000b x 2^16: exponent
   * 1023 + 16 = 0x40F, mantissa bits 1110 1110 1010 0000 then zeros, so the double is
   * 0x40FEEA0000000000, whose bytes 40 FE EA 00 00 00 00 00 are stored little-endian, last first. Its
   * timestamp 1672549200000000 + 8192 * 720000000 = 1678447440000000 is the chunk's first_ts. */
  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  stmt = raw_query (db, "SELECT hex(substr(equity, 1, 8)), first_ts, first_index "
                        "FROM backtest_equity_chunks WHERE run_id = ? AND chunk_no = 1", id);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "0000000000EAFE40");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 1678447440000000);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, 8192);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (hs_store_load_backtest (store, id, &back_info, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back->n, ==, 20000);
  g_assert_nonnull (back->benchmark);
  assert_same_curve (back, result);

  /* A chunk that does not continue the curve is reported, not read past. */
  raw_exec (store, "UPDATE backtest_equity_chunks SET first_index = 8000 "
                   "WHERE run_id = ? AND chunk_no = 1", id);
  g_clear_pointer (&back_info, hs_bt_run_info_free);
  g_clear_pointer (&back, hs_bt_result_free);
  g_assert_false (hs_store_load_backtest (store, id, &back_info, &back, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "chunk 1"));
}

/* Runs stored before migration 009 keep their curve as rows of backtest_equity; a run without
 * chunks is read from there. */
static void
test_equity_legacy_rows (void)
{
  g_autoptr(HsStore) store = open_store ("legacy.db");
  g_autoptr(HsBtRunInfo) info = make_info ("key-legacy");
  g_autoptr(HsBtResult) result = make_result (3);
  g_autoptr(HsBtRunInfo) back_info = NULL;
  g_autoptr(HsBtResult) back = NULL;
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_assert_no_error (error);
  raw_exec (store, "DELETE FROM backtest_equity_chunks WHERE run_id = ?", id);
  raw_exec (store, "INSERT INTO backtest_equity (run_id, ts, equity, cash, holdings, drawdown, "
                   "benchmark) VALUES (?1, 20, 101.5, NULL, 1.5, 0, 381), "
                   "(?1, 10, 100, 100, 0, 0, NULL)", id);
  g_assert_true (hs_store_load_backtest (store, id, &back_info, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back->n, ==, 2);
  g_assert_cmpint (back->ts[0], ==, 10);
  g_assert_cmpint (back->ts[1], ==, 20);
  g_assert_cmpfloat (back->equity[1], ==, 101.5);
  g_assert_true (isnan (back->cash[1]));
  g_assert_cmpfloat (back->holdings[1], ==, 1.5);
  g_assert_nonnull (back->benchmark);
  g_assert_true (isnan (back->benchmark[0]));
  g_assert_cmpfloat (back->benchmark[1], ==, 381);
}

static void
test_delete_cascades (void)
{
  g_autoptr(HsStore) store = open_store ("delete.db");
  g_autoptr(HsBtRunInfo) info = make_info ("key-d");
  g_autoptr(HsBtResult) result = make_result (130);
  g_autoptr(GError) error = NULL;
  int64_t id = 0, keep = 0;

  g_assert_true (hs_store_save_backtest (store, info, result, &id, &error));
  g_free (info->cache_key);
  info->cache_key = g_strdup ("key-e");
  g_assert_true (hs_store_save_backtest (store, info, result, &keep, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_trades WHERE run_id = ?", id),
                   ==, 3);
  g_assert_cmpint (raw_count (store, EQUITY_POINTS, id),
                   ==, 130);
  g_assert_true (hs_store_delete_backtest (store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_trades WHERE run_id = ?", id),
                   ==, 0);
  g_assert_cmpint (raw_count (store, EQUITY_POINTS, id),
                   ==, 0);
  g_assert_cmpint (raw_count (store, "SELECT count(*) FROM backtest_runs WHERE id = ?", id), ==,
                   0);
  /* The other run is untouched. */
  g_assert_cmpint (raw_count (store, EQUITY_POINTS,
                              keep), ==, 130);
  g_assert_false (hs_store_delete_backtest (store, id, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (hs_store_load_backtest (store, id, NULL, NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
}

static void
test_list (void)
{
  g_autoptr(HsStore) store = open_store ("list.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  HsBtRunFilter filter;
  int64_t ids[4];

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(HsBtRunInfo) info = make_info (NULL);
      g_autoptr(HsBtResult) result = make_result (5);

      if (i == 1)
        {
          g_free (info->symbol);
          info->symbol = g_strdup ("QQQ");
        }
      if (i == 2)
        {
          g_free (info->strategy_name);
          info->strategy_name = g_strdup ("sma_cross");
          info->start_ts = 1700000000000000;
          info->end_ts = 1710000000000000;
        }
      g_assert_true (hs_store_save_backtest (store, info, result, &ids[i], &error));
      g_assert_no_error (error);
    }

  g_assert_true (hs_store_list_backtests (store, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  /* Newest first. */
  g_assert_cmpint (((HsBtRunRow *) rows->pdata[0])->info->id, ==, ids[3]);
  g_assert_cmpfloat (((HsBtRunRow *) rows->pdata[0])->result->stats.sharpe_ratio, ==, 1.4803);
  g_clear_pointer (&rows, g_ptr_array_unref);

  hs_bt_run_filter_init (&filter);
  filter.strategy = "sma_cross";
  g_assert_true (hs_store_list_backtests (store, &filter, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((HsBtRunRow *) rows->pdata[0])->info->id, ==, ids[2]);
  g_clear_pointer (&rows, g_ptr_array_unref);

  hs_bt_run_filter_init (&filter);
  filter.symbol = "QQQ";
  g_assert_true (hs_store_list_backtests (store, &filter, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((HsBtRunRow *) rows->pdata[0])->info->id, ==, ids[1]);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Runs whose tested period overlaps the range. */
  hs_bt_run_filter_init (&filter);
  filter.from_ts = 1705000000000000;
  g_assert_true (hs_store_list_backtests (store, &filter, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((HsBtRunRow *) rows->pdata[0])->info->id, ==, ids[2]);
  g_clear_pointer (&rows, g_ptr_array_unref);
  hs_bt_run_filter_init (&filter);
  filter.to_ts = 1672531200000000;
  g_assert_true (hs_store_list_backtests (store, &filter, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 3);
  g_clear_pointer (&rows, g_ptr_array_unref);

  hs_bt_run_filter_init (&filter);
  filter.limit = 2;
  g_assert_true (hs_store_list_backtests (store, &filter, &rows, &error));
  g_assert_cmpuint (rows->len, ==, 2);
}

/* The statistics columns the store writes are exactly backtest_runs' columns other than the
 * request and metadata ones: none is forgotten, none is invented. */
static void
test_columns (void)
{
  g_autoptr(HsStore) store = open_store ("columns.db");
  static const char *const info_columns[] = {
    "id", "batch_id", "strategy_name", "strategy_version", "instrument_id", "symbol",
    "interval", "start_ts", "end_ts", "initial_cash", "parameters", "profile", "fee_model",
    "slippage_model", "sizing_model", "benchmark", "pivot_bars", "lower_timeframe", "cache_key",
    "data_fingerprint", "execution_time_ms", "result_path", "status", "error_message",
    "cache_hit", "started_at", "finished_at", "created_at", NULL
  };
  g_autoptr(GPtrArray) table = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  size_t n = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n);

  g_assert_cmpint (sqlite3_open (hs_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_info('backtest_runs') "
                                           "ORDER BY cid", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_strv_contains (info_columns, name))
        g_ptr_array_add (table, g_strdup (name));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  for (size_t i = 0; i < n; i++)
    g_ptr_array_add (listed, (char *) cols[i].name);
  /* 42 HsStatistics fields and 5 strategy counters, in the table's order. */
  g_assert_cmpuint (n, ==, 47);
  g_assert_cmpuint (table->len, ==, n);
  for (guint i = 0; i < table->len; i++)
    g_assert_cmpstr (table->pdata[i], ==, listed->pdata[i]);
  G_STATIC_ASSERT (G_N_ELEMENTS (expected_doubles) + G_N_ELEMENTS (expected_ints) + 1 == 47);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/store/backtest/columns", test_columns);
  g_test_add_func ("/hs/store/backtest/round-trip", test_round_trip);
  g_test_add_func ("/hs/store/backtest/undefined", test_undefined_statistics);
  g_test_add_func ("/hs/store/backtest/cache", test_cache);
  g_test_add_func ("/hs/store/backtest/failed", test_failed_run);
  g_test_add_func ("/hs/store/backtest/atomic", test_atomic);
  g_test_add_func ("/hs/store/backtest/delete-cascades", test_delete_cascades);
  g_test_add_func ("/hs/store/backtest/equity-chunks", test_equity_chunks);
  g_test_add_func ("/hs/store/backtest/equity-legacy-rows", test_equity_legacy_rows);
  g_test_add_func ("/hs/store/backtest/list", test_list);
  return g_test_run ();
}
