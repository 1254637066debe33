/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core: the backtest engine (src/core/hs-backtest.c) against hand calculations. Each case is a
 * series of a few daily bars written out as (open, high, low, close), the decisions taken at
 * some closes, and the fills, fees, P&L, MFE / MAE, equity and drawdown worked out by hand in
 * the comment above it. Then the invariants on random runs: the trades' P&L adds up to the change
 * in equity, and decisions at a bar never depend on later bars. tests/test-strategy.c covers the
 * strategies and rule sets.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "hs-backtest.h"
#include "hs-eval.h"
#include "hs-expr.h"
#include "hs-stats.h"
#include "hs-time.h"

#define DAY G_GINT64_CONSTANT (86400000000)
#define T0 G_GINT64_CONSTANT (1136160000000000)   /* 2006-01-02T00:00:00Z */
#define EPS 1e-9

/* Bars from rows of (open, high, low, close), one a day from T0, volume 1000. */
static HsBars *
make_bars (const double rows[][4],
           size_t       n)
{
  HsBars *b = hs_bars_new (n, 86400);

  for (size_t i = 0; i < n; i++)
    {
      b->ts[i] = T0 + (int64_t) i * DAY;
      b->open[i] = rows[i][0];
      b->high[i] = rows[i][1];
      b->low[i] = rows[i][2];
      b->close[i] = rows[i][3];
      b->volume[i] = 1000;
      b->vwap[i] = NAN;
    }
  return b;
}

static HsBtConfig
config_qty (double qty,
            double cash)
{
  HsBtConfig c;

  hs_bt_config_init (&c);
  c.initial_cash = cash;
  c.sizing.kind = HS_SIZE_FIXED_QTY;
  c.sizing.value = qty;
  return c;
}

static HsBtResult *
run (const HsBars      *bars,
     const HsBtSignals *sig,
     const HsBtConfig  *cfg)
{
  g_autoptr(GError) error = NULL;
  HsBtInput in = { .bars = bars };
  HsBtResult *r = hs_backtest_run (&in, sig, cfg, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static const HsBtTrade *
trade (const HsBtResult *r,
       guint             i)
{
  g_assert_cmpuint (r->trades->len, >, i);
  return &g_array_index (r->trades, HsBtTrade, i);
}

static void
check_series (const double *got,
              const double *want,
              size_t        n)
{
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], EPS);
}

/* The sum of the trades' P&L is the change in equity. */
static void
check_pnl_adds_up (const HsBtResult *r,
                   double            cash)
{
  double sum = 0;

  for (guint i = 0; i < r->trades->len; i++)
    sum += trade (r, i)->pnl;
  g_assert_cmpfloat_with_epsilon (sum, r->equity[r->n - 1] - cash, 1e-6);
}

/* The five bars of the first cases. */
static const double five[][4] = {
  { 100, 101, 99, 100 },
  { 102, 105, 101, 104 },
  { 104, 108, 103, 107 },
  { 106, 107, 100, 101 },
  { 101, 103, 100, 102 },
};

/* Long, market orders, 10 shares, 10,000 cash, no fees.
 *   bar 0 close: enter long → fills at bar 1's open 102; cash 10,000 − 1,020 = 8,980
 *   bar 1 close 104: holdings 1,040, equity 10,020
 *   bar 2 close 107: holdings 1,070, equity 10,050; exit decided
 *   bar 3 open 106: sold, cash 8,980 + 1,060 = 10,040 = equity; bars 3 and 4 stay at 10,040
 *   P&L 10 × (106 − 102) = 40, 40 / 1,020 = 3.9215686 %
 *   while open (bars 1, 2 wholly, and bar 3's open): high 108, low 101:
 *   MFE (108 − 102) / 102 = 5.8823529 %, MAE (102 − 101) / 102 = 0.9803922 %
 *   bars held 3 − 1 = 2; drawdown after the peak 10,050: 1 − 10,040 / 10,050 = 0.000995025 */
static void
test_long_market (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
  HsBtConfig c = config_qty (10, 10000);
  g_autoptr(HsBtResult) r = NULL;
  const HsBtTrade *t;
  const double equity[] = { 10000, 10020, 10050, 10040, 10040 };
  const double cash[] = { 10000, 8980, 8980, 10040, 10040 };
  const double holdings[] = { 0, 1040, 1070, 0, 0 };
  const double dd[] = { 0, 0, 0, 1 - 10040.0 / 10050, 1 - 10040.0 / 10050 };

  s->signal[0] = HS_SIGNAL_ENTER_LONG;
  s->signal[2] = HS_SIGNAL_EXIT_LONG;
  r = run (b, s, &c);
  check_series (r->equity, equity, 5);
  check_series (r->cash, cash, 5);
  check_series (r->holdings, holdings, 5);
  check_series (r->drawdown, dd, 5);
  g_assert_cmpuint (r->trades->len, ==, 1);
  t = trade (r, 0);
  g_assert_cmpint (t->side, ==, 1);
  g_assert_cmpint (t->entry_ts, ==, T0 + DAY);
  g_assert_cmpint (t->exit_ts, ==, T0 + 3 * DAY);
  g_assert_cmpfloat (t->quantity, ==, 10);
  g_assert_cmpfloat (t->entry_price, ==, 102);
  g_assert_cmpfloat (t->exit_price, ==, 106);
  g_assert_cmpfloat_with_epsilon (t->pnl, 40, EPS);
  g_assert_cmpfloat_with_epsilon (t->pnl_pct, 40.0 / 1020 * 100, EPS);
  g_assert_cmpfloat_with_epsilon (t->mfe_pct, 6.0 / 102 * 100, EPS);
  g_assert_cmpfloat_with_epsilon (t->mae_pct, 1.0 / 102 * 100, EPS);
  g_assert_cmpfloat (t->fees, ==, 0);
  g_assert_cmpint (t->bars_held, ==, 2);
  g_assert_cmpint (t->exit_reason, ==, HS_EXIT_SIGNAL);
  g_assert_cmpint (r->total_orders, ==, 2);
  g_assert_cmpint (r->stats.total_trades, ==, 1);
  g_assert_cmpfloat_with_epsilon (r->stats.end_equity, 10040, EPS);
  g_assert_cmpfloat_with_epsilon (r->stats.max_drawdown, 1 - 10040.0 / 10050, EPS);
  /* The statistics (hs-stats.c) see the same run: one winning trade, +0.4 %. */
  g_assert_cmpint (r->stats.winning_trades, ==, 1);
  g_assert_cmpfloat_with_epsilon (r->stats.win_rate, 1, EPS);
  g_assert_cmpfloat_with_epsilon (r->stats.net_profit, 0.004, EPS);
  g_assert_cmpfloat_with_epsilon (r->stats.start_equity, 10000, EPS);
  g_assert_cmpint (r->stats.total_orders, ==, 2);
  /* Not a strategy with seed 002's counters. */
  g_assert_cmpint (r->position_flips, ==, -1);
  g_assert_cmpint (r->pivot_highs_detected, ==, -1);
}

/* The same decisions short:
 *   short 10 at 102: cash 10,000 + 1,020 = 11,020
 *   bar 1: holdings −1,040, equity 9,980 (drawdown 0.002); bar 2: −1,070, 9,950 (0.005)
 *   bar 3 open 106: bought back, cash 11,020 − 1,060 = 9,960 (drawdown 0.004)
 *   P&L −10 × (106 − 102) = −40, −3.9215686 %
 *   MFE (102 − 101) / 102 = 0.9803922 % (the low), MAE (108 − 102) / 102 = 5.8823529 % */
static void
test_short_market (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
  HsBtConfig c = config_qty (10, 10000);
  g_autoptr(HsBtResult) r = NULL;
  const HsBtTrade *t;
  const double equity[] = { 10000, 9980, 9950, 9960, 9960 };
  const double cash[] = { 10000, 11020, 11020, 9960, 9960 };
  const double holdings[] = { 0, -1040, -1070, 0, 0 };
  const double dd[] = { 0, 0.002, 0.005, 0.004, 0.004 };

  s->signal[0] = HS_SIGNAL_ENTER_SHORT;
  s->signal[2] = HS_SIGNAL_EXIT_SHORT;
  r = run (b, s, &c);
  check_series (r->equity, equity, 5);
  check_series (r->cash, cash, 5);
  check_series (r->holdings, holdings, 5);
  check_series (r->drawdown, dd, 5);
  t = trade (r, 0);
  g_assert_cmpint (t->side, ==, -1);
  g_assert_cmpfloat_with_epsilon (t->pnl, -40, EPS);
  g_assert_cmpfloat_with_epsilon (t->pnl_pct, -40.0 / 1020 * 100, EPS);
  g_assert_cmpfloat_with_epsilon (t->mfe_pct, 1.0 / 102 * 100, EPS);
  g_assert_cmpfloat_with_epsilon (t->mae_pct, 6.0 / 102 * 100, EPS);
  g_assert_cmpint (t->bars_held, ==, 2);
  /* An exit flag for the other side does nothing: EXIT_LONG while short. */
  {
    g_autoptr(HsBtSignals) s2 = hs_bt_signals_new (5);
    g_autoptr(HsBtResult) r2 = NULL;

    s2->signal[0] = HS_SIGNAL_ENTER_SHORT;
    s2->signal[2] = HS_SIGNAL_EXIT_LONG;
    r2 = run (b, s2, &c);
    g_assert_cmpint (trade (r2, 0)->exit_reason, ==, HS_EXIT_END_OF_DATA);
  }
}

/* Brackets: long 10 at bar 1's open 100 with a 5 % stop (95) and a 5 % target (105).
 *   bar 1 (100 102 99 101): neither touched
 *   bar 2 (101 106 94 100): both touched → the stop is assumed first: sold at 95,
 *     P&L 10 × (95 − 100) = −50; MFE from bar 1's high 102 = 2 %, MAE to the stop 5 %;
 *     bars held 2 (bars 1 and 2), exit at bar 2's time
 *   gap: bar 2 opening at 93 (93 106 92 100) sells at the open 93: P&L −70
 *   target only: bar 2 (101 106 100 104) sells at 105: P&L +50
 *   target gap: bar 2 opening at 107 (107 108 106 107) sells at the open 107: P&L +70
 *   short: short at 100, stop 105, target 95; bar 2 touching both buys back at 105: P&L −50 */
static void
test_brackets (void)
{
  double rows[][4] = {
    { 100, 100, 100, 100 },
    { 100, 102, 99, 101 },
    { 101, 106, 94, 100 },
    { 100, 100, 100, 100 },
  };
  const struct
  {
    double       bar2[4];
    int          side;
    double       pnl, exit;
    HsExitReason why;
  } cases[] = {
    { { 101, 106, 94, 100 }, 1, -50, 95, HS_EXIT_STOP_LOSS },
    { { 93, 106, 92, 100 }, 1, -70, 93, HS_EXIT_STOP_LOSS },
    { { 101, 106, 100, 104 }, 1, 50, 105, HS_EXIT_TAKE_PROFIT },
    { { 107, 108, 106, 107 }, 1, 70, 107, HS_EXIT_TAKE_PROFIT },
    { { 101, 106, 94, 100 }, -1, -50, 105, HS_EXIT_STOP_LOSS },
    { { 99, 100, 94, 96 }, -1, 50, 95, HS_EXIT_TAKE_PROFIT },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(HsBars) b = NULL;
      g_autoptr(HsBtSignals) s = hs_bt_signals_new (4);
      HsBtConfig c = config_qty (10, 10000);
      g_autoptr(HsBtResult) r = NULL;
      const HsBtTrade *t;

      memcpy (rows[2], cases[k].bar2, sizeof rows[2]);
      b = make_bars (rows, 4);
      c.stop_loss_pct = 5;
      c.take_profit_pct = 5;
      s->signal[0] = cases[k].side > 0 ? HS_SIGNAL_ENTER_LONG : HS_SIGNAL_ENTER_SHORT;
      r = run (b, s, &c);
      g_assert_cmpuint (r->trades->len, ==, 1);
      t = trade (r, 0);
      g_assert_cmpint (t->exit_reason, ==, cases[k].why);
      g_assert_cmpfloat_with_epsilon (t->exit_price, cases[k].exit, EPS);
      g_assert_cmpfloat_with_epsilon (t->pnl, cases[k].pnl, EPS);
      g_assert_cmpint (t->bars_held, ==, 2);
      g_assert_cmpint (t->exit_ts, ==, T0 + 2 * DAY);
      g_assert_cmpfloat_with_epsilon (r->equity[3], 10000 + cases[k].pnl, EPS);
      if (k == 0)
        {
          g_assert_cmpfloat_with_epsilon (t->mfe_pct, 2, EPS);
          g_assert_cmpfloat_with_epsilon (t->mae_pct, 5, EPS);
        }
      /* One entry and one bracket order. */
      g_assert_cmpint (r->total_orders, ==, 2);
    }
}

/* A strategy's own stop and target prices win over the config's percentages: long at 100 with
 * stop 98 and target 101 (config 5 % / 5 %): bar 1 (100 102 99 101) touches 101 → +10. */
static void
test_strategy_brackets (void)
{
  const double rows[][4] = {
    { 100, 100, 100, 100 },
    { 100, 102, 99, 101 },
    { 101, 101, 101, 101 },
  };
  g_autoptr(HsBars) b = make_bars (rows, 3);
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (3);
  HsBtConfig c = config_qty (10, 10000);
  g_autoptr(HsBtResult) r = NULL;

  c.stop_loss_pct = 5;
  c.take_profit_pct = 5;
  s->stop_price = g_new (double, 3);
  s->target_price = g_new (double, 3);
  for (int i = 0; i < 3; i++)
    s->stop_price[i] = s->target_price[i] = NAN;
  s->stop_price[0] = 98;
  s->target_price[0] = 101;
  s->signal[0] = HS_SIGNAL_ENTER_LONG;
  r = run (b, s, &c);
  g_assert_cmpint (trade (r, 0)->exit_reason, ==, HS_EXIT_TAKE_PROFIT);
  g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl, 10, EPS);
  g_assert_cmpint (trade (r, 0)->bars_held, ==, 1);
}

/* Time stop of 2 bars: entered at bar 1's open; held 1 bar at bar 1's close, 2 at bar 2's →
 * exit decided there, sold at bar 3's open 106: P&L 10 × (106 − 102) = 40, bars held 2. */
static void
test_time_stop (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
  HsBtConfig c = config_qty (10, 10000);
  g_autoptr(HsBtResult) r = NULL;

  c.time_stop_bars = 2;
  s->signal[0] = HS_SIGNAL_ENTER_LONG;
  r = run (b, s, &c);
  g_assert_cmpuint (r->trades->len, ==, 1);
  g_assert_cmpint (trade (r, 0)->exit_reason, ==, HS_EXIT_TIME_STOP);
  g_assert_cmpint (trade (r, 0)->bars_held, ==, 2);
  g_assert_cmpfloat_with_epsilon (trade (r, 0)->exit_price, 106, EPS);
  g_assert_cmpint (trade (r, 0)->exit_ts, ==, T0 + 3 * DAY);
}

/* Limit and stop entries at 1 % from the decision close 100.
 *   long limit 99: bar 1 (100 101 99.5 100.5) does not reach it; bar 2 (100 100.5 98 99) fills
 *     at 99 within the bar. Bar 3 (98 99 97 98) and the end at 98: P&L 10 × (98 − 99) = −10.
 *     MFE / MAE: the entry bar counts only its close 99 (its high may predate the fill), bar 3
 *     wholly: high 99, low 97 → MFE 0, MAE 2 / 99 = 2.020202 %
 *   long limit 99 with a gap: bar 1 opening at 98 (98 99 97 98.5) fills at the open 98
 *   valid 1 bar: bar 1 misses, the order expires: no trade, one order
 *   long stop 101: bar 1 (100 102 99 101.5) fills at 101 within the bar, with 10 bps slippage
 *     at 101 × 1.001 = 101.101
 *   long stop 101 with a gap: bar 1 opening at 103 fills at the open 103
 *   short limit 101: bar 1 (100 102 99 101.5) fills at 101
 *   short stop 99: bar 1 (100 102 99 101.5) fills at 99 */
static void
test_limit_stop_entries (void)
{
  const double quiet[][4] = {
    { 100, 100, 100, 100 },
    { 100, 101, 99.5, 100.5 },
    { 100, 100.5, 98, 99 },
    { 98, 99, 97, 98 },
  };
  const double gap_down[][4] = {
    { 100, 100, 100, 100 },
    { 98, 99, 97, 98.5 },
    { 98, 99, 97, 98.5 },
  };
  const double up[][4] = {
    { 100, 100, 100, 100 },
    { 100, 102, 99, 101.5 },
    { 101, 101, 101, 101 },
  };
  const double gap_up[][4] = {
    { 100, 100, 100, 100 },
    { 103, 104, 102, 103 },
    { 103, 103, 103, 103 },
  };
  HsBtConfig c = config_qty (10, 10000);

  c.entry_offset_pct = 1;

  /* Long limit, filled within bar 2. */
  {
    g_autoptr(HsBars) b = make_bars (quiet, 4);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (4);
    g_autoptr(HsBtResult) r = NULL;
    const HsBtTrade *t;

    c.entry_order = HS_ORDER_LIMIT;
    s->signal[0] = HS_SIGNAL_ENTER_LONG;
    r = run (b, s, &c);
    t = trade (r, 0);
    g_assert_cmpfloat_with_epsilon (t->entry_price, 99, EPS);
    g_assert_cmpint (t->entry_ts, ==, T0 + 2 * DAY);
    g_assert_cmpint (t->exit_reason, ==, HS_EXIT_END_OF_DATA);
    g_assert_cmpfloat_with_epsilon (t->pnl, -10, EPS);
    g_assert_cmpfloat_with_epsilon (t->mfe_pct, 0, EPS);
    g_assert_cmpfloat_with_epsilon (t->mae_pct, 2.0 / 99 * 100, EPS);
    /* Held bars 2 and 3, to the end; the end-of-data exit is at bar 3's close. */
    g_assert_cmpint (t->bars_held, ==, 2);
    g_assert_cmpint (t->exit_ts, ==, T0 + 4 * DAY);
    /* The end-of-data close sends no order. */
    g_assert_cmpint (r->total_orders, ==, 1);
  }
  /* Valid one bar: expires. */
  {
    g_autoptr(HsBars) b = make_bars (quiet, 4);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (4);
    g_autoptr(HsBtResult) r = NULL;

    c.order_valid_bars = 1;
    s->signal[0] = HS_SIGNAL_ENTER_LONG;
    r = run (b, s, &c);
    g_assert_cmpuint (r->trades->len, ==, 0);
    g_assert_cmpint (r->total_orders, ==, 1);
    g_assert_cmpfloat (r->equity[3], ==, 10000);
    c.order_valid_bars = 0;
  }
  /* Long limit, gap below it: the open. */
  {
    g_autoptr(HsBars) b = make_bars (gap_down, 3);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (3);
    g_autoptr(HsBtResult) r = NULL;

    s->signal[0] = HS_SIGNAL_ENTER_LONG;
    r = run (b, s, &c);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 98, EPS);
    g_assert_cmpint (trade (r, 0)->entry_ts, ==, T0 + DAY);
  }
  /* Short limit 101 above the close. */
  {
    g_autoptr(HsBars) b = make_bars (up, 3);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (3);
    g_autoptr(HsBtResult) r = NULL;

    s->signal[0] = HS_SIGNAL_ENTER_SHORT;
    r = run (b, s, &c);
    g_assert_cmpint (trade (r, 0)->side, ==, -1);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 101, EPS);
  }
  /* Long stop 101 with 10 bps slippage; then the gap. */
  c.entry_order = HS_ORDER_STOP;
  c.slippage.kind = HS_SLIPPAGE_BPS;
  c.slippage.bps = 10;
  {
    g_autoptr(HsBars) b = make_bars (up, 3);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (3);
    g_autoptr(HsBtResult) r = NULL;

    s->signal[0] = HS_SIGNAL_ENTER_LONG;
    r = run (b, s, &c);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 101.101, EPS);
  }
  c.slippage.kind = HS_SLIPPAGE_NONE;
  {
    g_autoptr(HsBars) b = make_bars (gap_up, 3);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (3);
    g_autoptr(HsBtResult) r = NULL;

    s->signal[0] = HS_SIGNAL_ENTER_LONG;
    r = run (b, s, &c);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 103, EPS);
  }
  /* Short stop 99 below the close. */
  {
    g_autoptr(HsBars) b = make_bars (up, 3);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (3);
    g_autoptr(HsBtResult) r = NULL;

    s->signal[0] = HS_SIGNAL_ENTER_SHORT;
    r = run (b, s, &c);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 99, EPS);
  }
  /* A strategy's own order price wins: long limit at 99.5 → bar 1 (low 99.5) fills at 99.5. */
  {
    g_autoptr(HsBars) b = make_bars (quiet, 4);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (4);
    g_autoptr(HsBtResult) r = NULL;

    c.entry_order = HS_ORDER_LIMIT;
    s->order_price = g_new (double, 4);
    for (int i = 0; i < 4; i++)
      s->order_price[i] = NAN;
    s->order_price[0] = 99.5;
    s->signal[0] = HS_SIGNAL_ENTER_LONG;
    r = run (b, s, &c);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 99.5, EPS);
    g_assert_cmpint (trade (r, 0)->entry_ts, ==, T0 + DAY);
  }
}

/* Sizing, decided at bar 0's close (the reference price), equity 10,000:
 *   fixed quantity 7 → 7
 *   fixed cash 5,000 at 100 → 50
 *   50 % of equity at 100 → 50
 *   risk 1 % (100) with a 5 % stop: 100 − 95 = 5 a share → 20
 *   risk 1 % with the strategy's stop at 98: 2 a share → 50
 *   50 % at 30 → 166.67 → 166 whole shares, or 166.666… fractional */
static void
test_sizing (void)
{
  const double rows100[][4] = { { 100, 100, 100, 100 }, { 100, 101, 99, 100 } };
  const double rows30[][4] = { { 30, 30, 30, 30 }, { 30, 31, 29, 30 } };
  const struct
  {
    HsSizingKind kind;
    double       value;
    int          price30, fractional, own_stop;
    double       want;
  } cases[] = {
    { HS_SIZE_FIXED_QTY, 7, 0, 0, 0, 7 },
    { HS_SIZE_FIXED_CASH, 5000, 0, 0, 0, 50 },
    { HS_SIZE_PERCENT, 50, 0, 0, 0, 50 },
    { HS_SIZE_RISK, 1, 0, 0, 0, 20 },
    { HS_SIZE_RISK, 1, 0, 0, 1, 50 },
    { HS_SIZE_PERCENT, 50, 1, 0, 0, 166 },
    { HS_SIZE_PERCENT, 50, 1, 1, 0, 5000.0 / 30 },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(HsBars) b = make_bars (cases[k].price30 ? rows30 : rows100, 2);
      g_autoptr(HsBtSignals) s = hs_bt_signals_new (2);
      g_autoptr(HsBtResult) r = NULL;
      HsBtConfig c;

      hs_bt_config_init (&c);
      c.initial_cash = 10000;
      c.sizing.kind = cases[k].kind;
      c.sizing.value = cases[k].value;
      c.fractional = cases[k].fractional;
      c.stop_loss_pct = 5;
      if (cases[k].own_stop)
        {
          s->stop_price = g_new (double, 2);
          s->stop_price[0] = 98;
          s->stop_price[1] = NAN;
        }
      s->signal[0] = HS_SIGNAL_ENTER_LONG;
      r = run (b, s, &c);
      g_assert_cmpfloat_with_epsilon (trade (r, 0)->quantity, cases[k].want, 1e-9);
    }
}

/* Fee models, one order each:
 *   IB 100 shares at 50: 0.005 × 100 = 0.50 → the minimum 1.00 (cap 0.5 % × 5,000 = 25)
 *   IB 1,000 at 50: 5.00 (cap 250)
 *   IB 1,000 at 0.10: 5.00, capped at 0.5 % × 100 = 0.50
 *   IB 10 at 10: the minimum 1.00, capped at 0.5 % × 100 = 0.50 (the cap wins)
 *   per order 2.50: 2.50 whatever the size
 *   10 bps of 1,000 × 50 = 50,000 → 50 */
static void
test_fee_models (void)
{
  HsFeeModel ib, per_order = { .kind = HS_FEE_PER_ORDER, .per_order = 2.5 };
  HsFeeModel bps = { .kind = HS_FEE_BPS, .bps = 10 }, none = { 0 };

  hs_fee_model_ibkr (&ib);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&ib, 100, 50), 1.00, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&ib, 1000, 50), 5.00, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&ib, -1000, 50), 5.00, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&ib, 1000, 0.10), 0.50, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&ib, 10, 10), 0.50, EPS);
  /* LEAN's BasicTemplate orders: 688 shares → 3.44; 697 → 3.485. */
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&ib, 688, 144.78172417), 3.44, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&ib, 697, 143.4), 3.485, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&per_order, 1, 1), 2.5, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&per_order, 1e6, 100), 2.5, EPS);
  g_assert_cmpfloat_with_epsilon (hs_fee_model_compute (&bps, 1000, 50), 50, EPS);
  g_assert_cmpfloat (hs_fee_model_compute (&none, 1000, 50), ==, 0);
}

/* Fees in a run: IB, 1,000 shares, 200,000 cash, the long of test_long_market:
 *   entry 1,000 × 102 = 102,000: fee 5.00; cash 200,000 − 102,000 − 5 = 97,995
 *   bar 1: equity 97,995 + 104,000 = 201,995
 *   exit 1,000 × 106: fee 5.00; cash 97,995 + 106,000 − 5 = 203,990
 *   P&L 4,000 − 10 = 3,990, 3,990 / 102,000 = 3.9117647 %; total fees 10
 * Per order 2.50 (qty 10): P&L 40 − 5 = 35. 10 bps (qty 10): fees 1.02 + 1.06, P&L 37.92. */
static void
test_fees_in_run (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  const struct
  {
    HsFeeModel fees;
    double     qty, cash, pnl, fee_total;
  } cases[] = {
    { { .kind = HS_FEE_PER_SHARE, .per_share = 0.005, .minimum = 1, .maximum_pct = 0.005 },
      1000, 200000, 3990, 10 },
    { { .kind = HS_FEE_PER_ORDER, .per_order = 2.5 }, 10, 10000, 35, 5 },
    { { .kind = HS_FEE_BPS, .bps = 10 }, 10, 10000, 40 - 1.02 - 1.06, 2.08 },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
      HsBtConfig c = config_qty (cases[k].qty, cases[k].cash);
      g_autoptr(HsBtResult) r = NULL;

      c.fees = cases[k].fees;
      s->signal[0] = HS_SIGNAL_ENTER_LONG;
      s->signal[2] = HS_SIGNAL_EXIT_LONG;
      r = run (b, s, &c);
      g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl, cases[k].pnl, 1e-9);
      g_assert_cmpfloat_with_epsilon (trade (r, 0)->fees, cases[k].fee_total, 1e-9);
      g_assert_cmpfloat_with_epsilon (r->stats.total_fees, cases[k].fee_total, 1e-9);
      g_assert_cmpfloat_with_epsilon (r->equity[4], cases[k].cash + cases[k].pnl, 1e-9);
      if (k == 0)
        {
          g_assert_cmpfloat_with_epsilon (r->cash[1], 97995, EPS);
          g_assert_cmpfloat_with_epsilon (r->equity[1], 201995, EPS);
          g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl_pct, 3990.0 / 102000 * 100, EPS);
        }
    }
}

/* Slippage on the long of test_long_market (10 shares):
 *   10 bps: bought at 102 × 1.001 = 102.102, sold at 106 × 0.999 = 105.894: P&L 37.92
 *   half spread with quotes 101.9 / 102.1 at bar 1 and 105.8 / 106.2 at bar 3: bought at
 *     102 + 0.1 = 102.1, sold at 106 − 0.2 = 105.8: P&L 37
 *   half spread without a quote at bar 3 falls back to the bps (5): sold at 106 × 0.9995 =
 *     105.947: P&L 10 × (105.947 − 102.1) = 38.47
 *   the MFE is measured from the fill 102.102 up to the market high 108: 5.8764764 % */
static void
test_slippage (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  double bid[5] = { NAN, 101.9, NAN, 105.8, NAN }, ask[5] = { NAN, 102.1, NAN, 106.2, NAN };
  HsBtConfig c = config_qty (10, 10000);
  g_autoptr(GError) error = NULL;

  c.slippage.kind = HS_SLIPPAGE_BPS;
  c.slippage.bps = 10;
  {
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
    g_autoptr(HsBtResult) r = NULL;

    s->signal[0] = HS_SIGNAL_ENTER_LONG;
    s->signal[2] = HS_SIGNAL_EXIT_LONG;
    r = run (b, s, &c);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 102.102, EPS);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->exit_price, 105.894, EPS);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl, 37.92, EPS);
    g_assert_cmpfloat_with_epsilon (trade (r, 0)->mfe_pct, (108 - 102.102) / 102.102 * 100, EPS);
  }
  c.slippage.kind = HS_SLIPPAGE_HALF_SPREAD;
  c.slippage.bps = 5;
  for (int missing = 0; missing < 2; missing++)
    {
      g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
      g_autoptr(HsBtResult) r = NULL;
      HsBtInput in = { .bars = b, .bid = bid, .ask = ask };

      if (missing)
        bid[3] = NAN;
      s->signal[0] = HS_SIGNAL_ENTER_LONG;
      s->signal[2] = HS_SIGNAL_EXIT_LONG;
      r = hs_backtest_run (&in, s, &c, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (trade (r, 0)->entry_price, 102.1, EPS);
      g_assert_cmpfloat_with_epsilon (trade (r, 0)->exit_price, missing ? 105.947 : 105.8, EPS);
      g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl, missing ? 38.47 : 37, 1e-9);
    }
}

/* A reversal and the end of the data, with IB fees (qty 10: each order pays the 1.00 minimum,
 * under the 0.5 % cap):
 *   bar 0: enter long → bar 1 open 102, fee 1
 *   bar 2: enter short → bar 3 open 106: the long is sold (reason: reversal), fee 1, P&L
 *     40 − 2 = 38; the short is sold at 106, fee 1
 *   the short is still open after bar 4: closed at bar 4's close 102 for the statistics, no fee:
 *     P&L 10 × (106 − 102) − 1 = 39, exit at bar 4's end (T0 + 5 days), bars held 2
 *   equity at the end 10,000 + 38 + 39 = 10,077; three orders. */
static void
test_reversal_and_end (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
  HsBtConfig c = config_qty (10, 10000);
  g_autoptr(HsBtResult) r = NULL;

  hs_fee_model_ibkr (&c.fees);
  s->signal[0] = HS_SIGNAL_ENTER_LONG;
  s->signal[2] = HS_SIGNAL_ENTER_SHORT;
  s->counts_flips = TRUE;
  r = run (b, s, &c);
  g_assert_cmpuint (r->trades->len, ==, 2);
  g_assert_cmpint (trade (r, 0)->exit_reason, ==, HS_EXIT_REVERSAL);
  g_assert_cmpfloat_with_epsilon (trade (r, 0)->pnl, 38, EPS);
  g_assert_cmpint (trade (r, 1)->side, ==, -1);
  g_assert_cmpint (trade (r, 1)->entry_ts, ==, T0 + 3 * DAY);
  g_assert_cmpint (trade (r, 1)->exit_reason, ==, HS_EXIT_END_OF_DATA);
  g_assert_cmpfloat_with_epsilon (trade (r, 1)->pnl, 39, EPS);
  g_assert_cmpfloat_with_epsilon (trade (r, 1)->fees, 1, EPS);
  g_assert_cmpint (trade (r, 1)->exit_ts, ==, T0 + 5 * DAY);
  g_assert_cmpint (trade (r, 1)->bars_held, ==, 2);
  g_assert_cmpfloat_with_epsilon (r->equity[4], 10077, EPS);
  g_assert_cmpint (r->total_orders, ==, 3);
  g_assert_cmpint (r->position_flips, ==, 1);
  g_assert_cmpint (r->liquidation_events, ==, 0);
  g_assert_cmpstr (hs_exit_reason_to_string (HS_EXIT_REVERSAL), ==, "signal");
  check_pnl_adds_up (r, 10000);
  /* An entry for the side already held is ignored (no pyramiding). */
  {
    g_autoptr(HsBtSignals) s2 = hs_bt_signals_new (5);
    g_autoptr(HsBtResult) r2 = NULL;

    memset (s2->signal, HS_SIGNAL_ENTER_LONG, 5);
    r2 = run (b, s2, &c);
    g_assert_cmpuint (r2->trades->len, ==, 1);
    g_assert_cmpint (r2->total_orders, ==, 1);
  }
}

/* Notes and snapshot ids end up in the trade's signal_json. */
static void
test_notes_and_snapshots (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
  HsBtConfig c = config_qty (10, 10000);
  g_autoptr(HsBtResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const int64_t snap[5] = { 11, 12, 13, 14, 15 };
  HsBtInput in = { .bars = b, .snapshot_id = snap };

  s->signal[0] = HS_SIGNAL_ENTER_LONG;
  s->signal[2] = HS_SIGNAL_EXIT_LONG;
  hs_bt_signals_add_note (s, 0, g_strdup ("{\"why\":\"in\"}"));
  s->exit_note = g_strdup ("{\"why\":\"rule\"}");
  r = hs_backtest_run (&in, s, &c, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trade (r, 0)->signal_json, ==,
                   "{\"entry\":{\"why\":\"in\"},\"exit\":{\"why\":\"rule\"},"
                   "\"entry_snapshot_id\":12,\"exit_snapshot_id\":14}");
  g_assert_cmpint (trade (r, 0)->entry_snapshot_id, ==, 12);
  g_assert_cmpint (trade (r, 0)->exit_snapshot_id, ==, 14);
}

/* Bad configurations and inputs are errors, not crashes. */
static void
test_errors (void)
{
  g_autoptr(HsBars) b = make_bars (five, 5);
  HsBtInput in = { .bars = b };
  const struct
  {
    const char *what;
    int         field;
  } cases[] = {
    { "cash 0", 0 }, { "negative fee", 1 }, { "risk without stop", 2 }, { "percent 5000", 3 },
    { "stop 100 %", 4 }, { "negative time stop", 5 },
  };

  for (size_t k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
      g_autoptr(GError) error = NULL;
      HsBtConfig c = config_qty (10, 10000);

      switch (cases[k].field)
        {
        case 0:
          c.initial_cash = 0;
          break;
        case 1:
          c.fees.kind = HS_FEE_PER_ORDER;
          c.fees.per_order = -1;
          break;
        case 2:
          c.sizing.kind = HS_SIZE_RISK;
          c.sizing.value = 1;
          break;
        case 3:
          c.sizing.kind = HS_SIZE_PERCENT;
          c.sizing.value = 5000;
          break;
        case 4:
          c.stop_loss_pct = 100;
          break;
        default:
          c.time_stop_bars = -1;
          break;
        }
      g_assert_null (hs_backtest_run (&in, s, &c, &error));
      g_assert_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG);
      g_test_message ("%s: %s", cases[k].what, error->message);
    }
  /* Signals of the wrong length; bars out of order. */
  {
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (4);
    g_autoptr(GError) error = NULL;
    HsBtConfig c = config_qty (10, 10000);

    g_assert_null (hs_backtest_run (&in, s, &c, &error));
    g_assert_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_INPUT);
  }
  {
    g_autoptr(HsBars) bad = make_bars (five, 5);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (5);
    g_autoptr(GError) error = NULL;
    HsBtConfig c = config_qty (10, 10000);
    HsBtInput in2 = { .bars = bad };

    bad->ts[3] = bad->ts[2];
    g_assert_null (hs_backtest_run (&in2, s, &c, &error));
    g_assert_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_INPUT);
  }
  /* No bars at all: an empty result. */
  {
    g_autoptr(HsBars) none = hs_bars_new (0, 86400);
    g_autoptr(HsBtSignals) s = hs_bt_signals_new (0);
    g_autoptr(GError) error = NULL;
    g_autoptr(HsBtResult) r = NULL;
    HsBtConfig c = config_qty (10, 10000);
    HsBtInput in3 = { .bars = none };

    r = hs_backtest_run (&in3, s, &c, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->n, ==, 0);
    g_assert_cmpuint (r->trades->len, ==, 0);
    g_assert_cmpfloat (r->stats.end_equity, ==, 10000);
  }
}

/* ---- random runs ---- */

static HsBars *
random_bars (GRand  *rand,
             size_t  n)
{
  HsBars *b = hs_bars_new (n, 60);
  double price = 100;

  for (size_t i = 0; i < n; i++)
    {
      double o = price * (1 + g_rand_double_range (rand, -0.01, 0.01));
      double c = o * (1 + g_rand_double_range (rand, -0.02, 0.02));

      b->ts[i] = T0 + (int64_t) i * 60000000;
      b->open[i] = o;
      b->close[i] = c;
      b->high[i] = MAX (o, c) * (1 + g_rand_double_range (rand, 0, 0.01));
      b->low[i] = MIN (o, c) * (1 - g_rand_double_range (rand, 0, 0.01));
      b->volume[i] = g_rand_int_range (rand, 100, 10000);
      b->vwap[i] = NAN;
      price = c;
    }
  return b;
}

/* Every combination of orders, brackets, sizing, fees and slippage on random bars and random
 * decisions: the trades' P&L adds up to the change in equity, the fees to the total, every
 * trade is well formed, and the per-bar identities hold. */
static void
test_random_invariants (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);

  for (int round = 0; round < 300; round++)
    {
      size_t n = (size_t) g_rand_int_range (rand, 1, 400);
      g_autoptr(HsBars) b = random_bars (rand, n);
      g_autoptr(HsBtSignals) s = hs_bt_signals_new (n);
      g_autoptr(HsBtResult) r = NULL;
      HsBtConfig c;
      double fees = 0, peak;

      hs_bt_config_init (&c);
      c.initial_cash = 10000;
      c.entry_order = (HsOrderType) g_rand_int_range (rand, 0, 3);
      c.entry_offset_pct = g_rand_double_range (rand, 0, 2);
      c.order_valid_bars = g_rand_int_range (rand, 0, 4);
      c.stop_loss_pct = g_rand_boolean (rand) ? g_rand_double_range (rand, 0.5, 5) : 0;
      c.take_profit_pct = g_rand_boolean (rand) ? g_rand_double_range (rand, 0.5, 5) : 0;
      c.time_stop_bars = g_rand_int_range (rand, 0, 10);
      c.sizing.kind = (HsSizingKind) g_rand_int_range (rand, 0, c.stop_loss_pct > 0 ? 4 : 3);
      c.sizing.value = c.sizing.kind == HS_SIZE_FIXED_QTY ? 10
                       : c.sizing.kind == HS_SIZE_FIXED_CASH ? 3000
                       : c.sizing.kind == HS_SIZE_PERCENT ? 90 : 1;
      c.fractional = g_rand_boolean (rand);
      c.fees.kind = (HsFeeKind) g_rand_int_range (rand, 0, 4);
      c.fees.per_share = 0.005;
      c.fees.minimum = 1;
      c.fees.maximum_pct = 0.005;
      c.fees.per_order = 1;
      c.fees.bps = 5;
      c.slippage.kind = (HsSlippageKind) g_rand_int_range (rand, 0, 2);
      c.slippage.bps = 3;
      for (size_t i = 0; i < n; i++)
        s->signal[i] = g_rand_int_range (rand, 0, 6) == 0 ? g_rand_int_range (rand, 0, 16) : 0;
      r = run (b, s, &c);
      check_pnl_adds_up (r, 10000);
      peak = 10000;
      for (size_t i = 0; i < n; i++)
        {
          g_assert_cmpfloat_with_epsilon (r->equity[i], r->cash[i] + r->holdings[i], 1e-6);
          peak = MAX (peak, r->equity[i]);
          g_assert_cmpfloat_with_epsilon (r->drawdown[i], 1 - r->equity[i] / peak, 1e-12);
          g_assert_cmpfloat (r->drawdown[i], >=, 0);
        }
      for (guint i = 0; i < r->trades->len; i++)
        {
          const HsBtTrade *t = trade (r, i);

          fees += t->fees;
          g_assert_cmpfloat (t->quantity, >, 0);
          g_assert_cmpint (t->exit_ts, >=, t->entry_ts);
          g_assert_cmpfloat (t->mfe_pct, >=, 0);
          g_assert_cmpfloat (t->mae_pct, >=, 0);
          g_assert_cmpint (t->bars_held, >=, 1);
          if (i > 0)
            g_assert_cmpint (t->entry_ts, >=, trade (r, i - 1)->exit_ts);
          if (c.time_stop_bars > 0)
            g_assert_cmpint (t->bars_held, <=, c.time_stop_bars);
          /* The stop is never better than its price, the target never worse. */
          if (t->exit_reason == HS_EXIT_STOP_LOSS && c.slippage.kind == HS_SLIPPAGE_NONE)
            g_assert_cmpfloat (t->side * (t->exit_price - t->entry_price), <=,
                               -t->entry_price * c.stop_loss_pct / 100 * (1 - 1e-12)
                               + 1e-9);
          if (t->exit_reason == HS_EXIT_TAKE_PROFIT)
            g_assert_cmpfloat (t->side * (t->exit_price - t->entry_price), >=,
                               t->entry_price * c.take_profit_pct / 100 * (1 - 1e-12) - 1e-9);
        }
      g_assert_cmpfloat_with_epsilon (fees, r->stats.total_fees, 1e-6);
      g_assert_cmpint (r->stats.total_trades, ==, r->trades->len);
    }
}

/* The no-look-ahead rule for the engine: changing bars i+1 … n−1 never changes the equity, cash
 * or trades up to bar i, for any decisions. (The strategies' own rule, that decisions at ≤ i
 * depend only on bars ≤ i, is tested in test-strategy.c.) */
static void
test_no_look_ahead (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);

  for (int round = 0; round < 100; round++)
    {
      size_t n = 200, cut = (size_t) g_rand_int_range (rand, 1, 199);
      g_autoptr(HsBars) b = random_bars (rand, n);
      g_autoptr(HsBars) b2 = hs_bars_slice (b, 0, n);
      g_autoptr(HsBtSignals) s = hs_bt_signals_new (n);
      g_autoptr(HsBtResult) r = NULL, r2 = NULL;
      HsBtConfig c = config_qty (10, 10000);

      c.stop_loss_pct = 1;
      c.take_profit_pct = 2;
      c.entry_order = (HsOrderType) (round % 3);
      c.entry_offset_pct = 0.5;
      for (size_t i = 0; i < n; i++)
        s->signal[i] = g_rand_int_range (rand, 0, 5) == 0 ? g_rand_int_range (rand, 0, 16) : 0;
      for (size_t i = cut + 1; i < n; i++)
        {
          b2->open[i] *= 1.05;
          b2->high[i] *= 1.07;
          b2->low[i] *= 0.97;
          b2->close[i] *= 0.99;
        }
      r = run (b, s, &c);
      r2 = run (b2, s, &c);
      for (size_t i = 0; i <= cut; i++)
        {
          g_assert_cmpfloat (r->equity[i], ==, r2->equity[i]);
          g_assert_cmpfloat (r->cash[i], ==, r2->cash[i]);
        }
      for (guint i = 0; i < r->trades->len && i < r2->trades->len; i++)
        {
          const HsBtTrade *t = trade (r, i), *t2 = trade (r2, i);

          if (t->exit_ts > b->ts[cut] || t->exit_reason == HS_EXIT_END_OF_DATA)
            break;
          g_assert_cmpfloat (t->pnl, ==, t2->pnl);
          g_assert_cmpint (t->exit_ts, ==, t2->exit_ts);
        }
    }
}

/* ---- bar-by-bar expressions (hs_eval_compile) ---- */

/* The program reads position state at the bar; everything else is computed up front:
 *   closes 1 2 3 4 5; sma(close, 2) = NAN 1.5 2.5 3.5 4.5
 *   "sma(close, 2) > 2 and position == 0" with flat state at bar 2: 1; long: 0
 *   "unrealized_pct > 5 or bars_held >= 3" with (unrealized 6, held 1): 1; (1, 3): 1; (1, 2): 0
 *   at bar 0 "sma(close, 2) > 2 and position == 0" is NAN (warm-up) */
static void
test_eval_program (void)
{
  const double rows[][4] = {
    { 1, 1, 1, 1 }, { 2, 2, 2, 2 }, { 3, 3, 3, 3 }, { 4, 4, 4, 4 }, { 5, 5, 5, 5 },
  };
  g_autoptr(HsBars) b = make_bars (rows, 5);
  HsEvalContext ctx = { .bars = b, .interval = "1d", .session = HS_SESSION_ALWAYS };
  g_autoptr(HsEval) ev = hs_eval_new (&ctx);
  g_autoptr(GError) error = NULL;
  HsEvalState flat = { 0, 0, NAN, NAN }, lng = { 1, 1, 2, 6 };

  {
    g_autoptr(HsExpr) e = hs_expr_parse ("sma(close, 2) > 2 and position == 0", NULL, &error);
    g_autoptr(HsEvalProgram) p = hs_eval_compile (ev, e, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (hs_eval_program_uses_state (p));
    g_assert_null (hs_eval_program_series (p));
    g_assert_cmpfloat (hs_eval_program_at (p, 2, &flat), ==, 1);
    g_assert_cmpfloat (hs_eval_program_at (p, 2, NULL), ==, 1);
    g_assert_cmpfloat (hs_eval_program_at (p, 2, &lng), ==, 0);
    g_assert_cmpfloat (hs_eval_program_at (p, 1, &flat), ==, 0);
    g_assert_true (isnan (hs_eval_program_at (p, 0, &flat)));
  }
  {
    g_autoptr(HsExpr) e = hs_expr_parse ("unrealized_pct > 5 or bars_held >= 3", NULL, &error);
    g_autoptr(HsEvalProgram) p = hs_eval_compile (ev, e, NULL, &error);
    HsEvalState a = { 1, 1, 2, 6 }, c = { 1, 3, 2, 1 }, d = { 1, 2, 2, 1 };

    g_assert_no_error (error);
    g_assert_cmpfloat (hs_eval_program_at (p, 4, &a), ==, 1);
    g_assert_cmpfloat (hs_eval_program_at (p, 4, &c), ==, 1);
    g_assert_cmpfloat (hs_eval_program_at (p, 4, &d), ==, 0);
  }
  {
    g_autoptr(HsExpr) e = hs_expr_parse ("close - entry_price", NULL, &error);
    g_autoptr(HsEvalProgram) p = hs_eval_compile (ev, e, NULL, &error);
    HsEvalState a = { 1, 1, 2.5, 0 };

    g_assert_no_error (error);
    g_assert_cmpfloat (hs_eval_program_at (p, 4, &a), ==, 2.5);
    g_assert_true (isnan (hs_eval_program_at (p, 4, &flat)));
  }
  /* Without state: the whole series, the same as hs_eval_run. */
  {
    g_autoptr(HsExpr) e = hs_expr_parse ("crosses_above(close, 2.5)", NULL, &error);
    g_autoptr(HsEvalProgram) p = hs_eval_compile (ev, e, NULL, &error);
    const double *v;

    g_assert_no_error (error);
    g_assert_false (hs_eval_program_uses_state (p));
    v = hs_eval_program_series (p);
    g_assert_true (isnan (v[0]));
    g_assert_cmpfloat (v[1], ==, 0);
    g_assert_cmpfloat (v[2], ==, 1);
    g_assert_cmpfloat (hs_eval_program_at (p, 2, &lng), ==, 1);
  }
  /* State inside a call is refused, with the column of the argument. */
  {
    g_autoptr(HsExpr) e = hs_expr_parse ("sma(unrealized_pct, 3) > 1", NULL, &error);
    size_t offset = 0;

    g_assert_null (hs_eval_compile (ev, e, &offset, &error));
    g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_CONTEXT);
    g_assert_cmpuint (offset, ==, 4);
    g_assert_true (g_str_has_prefix (error->message, "column 5: sma: position state"));
    g_clear_error (&error);
  }
  /* Other errors as hs_eval_run reports them. */
  {
    g_autoptr(HsExpr) e = hs_expr_parse ("foo(close) > position", NULL, &error);

    g_assert_null (hs_eval_compile (ev, e, NULL, &error));
    g_assert_error (error, HS_EXPR_ERROR, HS_EXPR_ERROR_UNKNOWN);
  }
}

/* ---- the lean profile: LEAN's two public reference runs ---- */

/* Data rows of a CSV in tests/data/lean (header left out), fields split at commas. */
static GPtrArray *
lean_csv (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "lean", name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (size_t i = 1; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (lines[i][0] != '\0')
        g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
    }
  return rows;
}

static int64_t
iso (const char *text)
{
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_time_parse (text, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

/* Bars of the rows whose time lies in [from, to]. */
static HsBars *
lean_bars (GPtrArray  *rows,
           const char *from,
           const char *to,
           int64_t     interval_s)
{
  int64_t a = iso (from), z = iso (to);
  GArray *keep = g_array_new (FALSE, FALSE, sizeof (guint));
  HsBars *b;

  for (guint i = 0; i < rows->len; i++)
    {
      int64_t ts = iso (((char **) rows->pdata[i])[0]);

      if (ts >= a && ts <= z)
        g_array_append_val (keep, i);
    }
  b = hs_bars_new (keep->len, interval_s);
  for (guint j = 0; j < keep->len; j++)
    {
      char **f = rows->pdata[g_array_index (keep, guint, j)];

      b->ts[j] = iso (f[0]);
      b->open[j] = g_ascii_strtod (f[1], NULL);
      b->high[j] = g_ascii_strtod (f[2], NULL);
      b->low[j] = g_ascii_strtod (f[3], NULL);
      b->close[j] = g_ascii_strtod (f[4], NULL);
      b->volume[j] = g_ascii_strtod (f[5], NULL);
      b->vwap[j] = NAN;
    }
  g_array_unref (keep);
  return b;
}

static GArray *
primary_credit (void)
{
  g_autoptr(GPtrArray) rows = lean_csv ("usa_interest_rate_primary_credit.csv");
  GArray *a = g_array_new (FALSE, FALSE, sizeof (HsRatePoint));

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];
      HsRatePoint p = { iso (f[0]), g_ascii_strtod (f[1], NULL) / 100 };

      g_array_append_val (a, p);
    }
  return a;
}

static void
check_lean (const HsBtResult  *r,
            const char * const expected[][2],
            size_t             n)
{
  for (size_t i = 0; i < n; i++)
    {
      const HsStatInfo *info = hs_stats_field_by_name (expected[i][0]);
      g_autofree char *text = NULL;

      g_assert_nonnull (info);
      text = hs_statistics_format (&r->stats, info);
      if (g_strcmp0 (text, expected[i][1]) != 0)
        g_printerr ("%s: ours %s, LEAN %s\n", expected[i][0], text, expected[i][1]);
      g_assert_cmpstr (text, ==, expected[i][1]);
    }
}

/* BasicTemplateAlgorithm (LEAN-CONVENTIONS.md): SPY minute bars 2013-10-07 … 10-11 (regular
 * session, adjusted), $100,000, SetHoldings(SPY, 1) at the first bar, IB fees, held to the end.
 * Through the engine: buy_and_hold decides at the first bar's close (09:31); on minute bars the
 * lean profile fills in that step at the quote bar's ask close, 144.78172417; SetHoldings sizes
 * floor(100,000 × 0.9975 / 144.773077904) = 689 shares, whose fee 3.445 no longer fits in the
 * buffer: 688; fee 0.005 × 688 = 3.44. LEAN's 27 statistics, as it prints them. */
static void
test_lean_basic_template (void)
{
  static const char * const expected[][2] = {
    { "Total Orders", "1" }, { "Average Win", "0%" }, { "Average Loss", "0%" },
    { "Compounding Annual Return", "271.453%" }, { "Drawdown", "2.200%" },
    { "Expectancy", "0" }, { "Start Equity", "100000" }, { "End Equity", "101691.92" },
    { "Net Profit", "1.692%" }, { "Sharpe Ratio", "8.854" }, { "Sortino Ratio", "0" },
    { "Probabilistic Sharpe Ratio", "67.459%" }, { "Loss Rate", "0%" }, { "Win Rate", "0%" },
    { "Profit-Loss Ratio", "0" }, { "Alpha", "-0.005" }, { "Beta", "0.996" },
    { "Annual Standard Deviation", "0.222" }, { "Annual Variance", "0.049" },
    { "Information Ratio", "-14.565" }, { "Tracking Error", "0.001" },
    { "Treynor Ratio", "1.97" }, { "Total Fees", "$3.44" },
    { "Estimated Strategy Capacity", "$56000000.00" },
    { "Lowest Capacity Asset", "SPY R735QTJ8XC9X" }, { "Portfolio Turnover", "19.93%" },
    { "Drawdown Recovery", "3" },
  };
  g_autoptr(GPtrArray) rows = lean_csv ("spy_minute_2013-10_rth_adjusted.csv");
  g_autoptr(GPtrArray) quotes = lean_csv ("spy_minute_quote_2013-10_rth_adjusted.csv");
  g_autoptr(HsBars) b = lean_bars (rows, "2013-10-07T13:30:00Z", "2013-10-11T19:59:00Z", 60);
  g_autoptr(GArray) rates = primary_credit ();
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (b->n);
  g_autoptr(HsBtResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) by_time = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree double *bid = g_new (double, b->n), *ask = g_new (double, b->n);
  HsRiskFree rf = { 0, (const HsRatePoint *) (const void *) rates->data, rates->len };
  HsBtLean lean = { 0 };
  HsBtInput in = { 0 };
  HsBtConfig c;

  /* 5 sessions of 390 minutes. */
  g_assert_cmpuint (b->n, ==, 1950);
  for (guint i = 0; i < quotes->len; i++)
    g_hash_table_insert (by_time, ((char **) quotes->pdata[i])[0], quotes->pdata[i]);
  for (size_t i = 0; i < b->n; i++)
    {
      char ts[40];
      char **q;

      hs_time_format_iso_buf (b->ts[i], ts);
      q = g_hash_table_lookup (by_time, ts);
      bid[i] = q ? g_ascii_strtod (q[4], NULL) : NAN;
      ask[i] = q ? g_ascii_strtod (q[9], NULL) : NAN;
    }
  lean.start_ts = iso ("2013-10-07T04:00:00Z");            /* midnight New York (EDT) */
  lean.end_ts = iso ("2013-10-12T03:59:59.999999Z");       /* 10-11 23:59:59.999999 */
  lean.bid_close = bid;
  lean.ask_close = ask;
  in.bars = b;
  in.benchmark = b->close;
  in.symbol = "SPY R735QTJ8XC9X";
  in.risk_free = &rf;
  in.lean = &lean;
  hs_bt_config_init (&c);
  hs_fee_model_ibkr (&c.fees);
  c.profile = HS_STATS_PROFILE_LEAN;
  s->signal[0] = HS_SIGNAL_ENTER_LONG;
  r = hs_backtest_run (&in, s, &c, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->trades->len, ==, 1);
  g_assert_cmpfloat (trade (r, 0)->quantity, ==, 688);
  g_assert_cmpfloat (trade (r, 0)->entry_price, ==, 144.78172417);
  g_assert_cmpfloat_with_epsilon (trade (r, 0)->fees, 3.44, 1e-12);
  g_assert_cmpint (trade (r, 0)->entry_ts, ==, iso ("2013-10-07T13:31:00Z"));
  g_assert_cmpint (trade (r, 0)->exit_reason, ==, HS_EXIT_END_OF_DATA);
  check_lean (r, expected, G_N_ELEMENTS (expected));
}

/* BasicTemplateDailyAlgorithm: SPY daily 2013-10-08 … 10-17, $100,000, SetHoldings(SPY, 1) on
 * the first bar. The first bar arrives at 16:00 on 10-08, the exchange is closed, the order is
 * market-on-open: it fills at the 10-09 open 143.372382812 in that bar's step, sized at
 * submission from the 10-08 close 143.078409768: floor(99,750 / 143.078…) = 697 shares (the fee
 * 3.485 fits), fee 3.485, printed $3.49. */
static void
test_lean_basic_template_daily (void)
{
  static const char * const expected[][2] = {
    { "Total Orders", "1" }, { "Average Win", "0%" }, { "Average Loss", "0%" },
    { "Compounding Annual Return", "424.375%" }, { "Drawdown", "0.800%" },
    { "Expectancy", "0" }, { "Start Equity", "100000" }, { "End Equity", "104486.22" },
    { "Net Profit", "4.486%" }, { "Sharpe Ratio", "17.304" }, { "Sortino Ratio", "35.217" },
    { "Probabilistic Sharpe Ratio", "96.710%" }, { "Loss Rate", "0%" }, { "Win Rate", "0%" },
    { "Profit-Loss Ratio", "0" }, { "Alpha", "-0.249" }, { "Beta", "1.015" },
    { "Annual Standard Deviation", "0.141" }, { "Annual Variance", "0.02" },
    { "Information Ratio", "-19" }, { "Tracking Error", "0.011" },
    { "Treynor Ratio", "2.403" }, { "Total Fees", "$3.49" },
    { "Estimated Strategy Capacity", "$1200000000.00" },
    { "Lowest Capacity Asset", "SPY R735QTJ8XC9X" }, { "Portfolio Turnover", "10.01%" },
    { "Drawdown Recovery", "1" },
  };
  g_autoptr(GPtrArray) rows = lean_csv ("spy_daily_adjusted.csv");
  g_autoptr(GPtrArray) early = lean_csv ("us_equity_early_closes.csv");
  g_autoptr(HsBars) b = lean_bars (rows, "2013-10-08", "2013-10-17", 86400);
  g_autoptr(GArray) rates = primary_credit ();
  g_autoptr(GArray) early_days = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(HsBtSignals) s = hs_bt_signals_new (b->n);
  g_autoptr(HsBtResult) r = NULL;
  g_autoptr(GError) error = NULL;
  HsRiskFree rf = { 0, (const HsRatePoint *) (const void *) rates->data, rates->len };
  HsBtLean lean = { 0 };
  HsBtInput in = { 0 };
  HsBtConfig c;

  g_assert_cmpuint (b->n, ==, 8);
  for (guint i = 0; i < early->len; i++)
    {
      int64_t day = iso (((char **) early->pdata[i])[0]) / DAY;

      g_array_append_val (early_days, day);
    }
  lean.start_ts = iso ("2013-10-08T04:00:00Z");
  lean.end_ts = iso ("2013-10-18T03:59:59.999999Z");
  lean.early_close_days = (const int64_t *) (const void *) early_days->data;
  lean.n_early_close_days = early_days->len;
  in.bars = b;
  in.benchmark = b->close;
  in.symbol = "SPY R735QTJ8XC9X";
  in.risk_free = &rf;
  in.lean = &lean;
  hs_bt_config_init (&c);
  hs_fee_model_ibkr (&c.fees);
  c.profile = HS_STATS_PROFILE_LEAN;
  s->signal[0] = HS_SIGNAL_ENTER_LONG;
  r = hs_backtest_run (&in, s, &c, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->trades->len, ==, 1);
  g_assert_cmpfloat (trade (r, 0)->quantity, ==, 697);
  g_assert_cmpfloat (trade (r, 0)->entry_price, ==, 143.372382812);
  g_assert_cmpfloat_with_epsilon (trade (r, 0)->fees, 3.485, 1e-12);
  /* Filled in the 10-09 step: 16:00 New York. */
  g_assert_cmpint (trade (r, 0)->entry_ts, ==, iso ("2013-10-09T20:00:00Z"));
  check_lean (r, expected, G_N_ELEMENTS (expected));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/core/backtest/long-market", test_long_market);
  g_test_add_func ("/hs/core/backtest/short-market", test_short_market);
  g_test_add_func ("/hs/core/backtest/brackets-stop-first", test_brackets);
  g_test_add_func ("/hs/core/backtest/strategy-brackets", test_strategy_brackets);
  g_test_add_func ("/hs/core/backtest/time-stop", test_time_stop);
  g_test_add_func ("/hs/core/backtest/limit-stop-entries", test_limit_stop_entries);
  g_test_add_func ("/hs/core/backtest/sizing", test_sizing);
  g_test_add_func ("/hs/core/backtest/fee-models", test_fee_models);
  g_test_add_func ("/hs/core/backtest/fees-in-run", test_fees_in_run);
  g_test_add_func ("/hs/core/backtest/slippage", test_slippage);
  g_test_add_func ("/hs/core/backtest/reversal-and-end", test_reversal_and_end);
  g_test_add_func ("/hs/core/backtest/notes-and-snapshots", test_notes_and_snapshots);
  g_test_add_func ("/hs/core/backtest/errors", test_errors);
  g_test_add_func ("/hs/core/backtest/random-invariants", test_random_invariants);
  g_test_add_func ("/hs/core/backtest/no-look-ahead", test_no_look_ahead);
  g_test_add_func ("/hs/core/backtest/eval-program", test_eval_program);
  g_test_add_func ("/hs/core/backtest/lean/basic-template", test_lean_basic_template);
  g_test_add_func ("/hs/core/backtest/lean/basic-template-daily", test_lean_basic_template_daily);
  return g_test_run ();
}
