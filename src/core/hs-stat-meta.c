/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The statistics as people read them: category, label, unit, better direction and a one-line
 * explanation for each backtest_runs statistic column, and the text a value is shown as. A
 * fixed table of some fifty rows read by the GUI's results view, history and comparison; the
 * lookups are linear over it, which is nothing next to drawing a row.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-stat-meta.h"

#include <math.h>
#include <string.h>

#include "hs-bt-run.h"

#define CORE HS_STAT_GROUP_CORE
#define RISK HS_STAT_GROUP_RISK
#define TRADING HS_STAT_GROUP_TRADING
#define ADVANCED HS_STAT_GROUP_ADVANCED
#define STRATEGY HS_STAT_GROUP_STRATEGY
#define FRACTION HS_STAT_UNIT_FRACTION
#define CURRENCY HS_STAT_UNIT_CURRENCY
#define RATIO HS_STAT_UNIT_RATIO
#define COUNT HS_STAT_UNIT_COUNT
#define HIGHER HS_STAT_BETTER_HIGHER
#define LOWER HS_STAT_BETTER_LOWER
#define NONE HS_STAT_BETTER_NONE

/* In display order: the groups in seed 002's order, and inside each group the columns seed 002
 * lists first (in its order), then the ones docs/statistics.md adds. */
static const HsStatMeta stats[] = {
  /* Core */
  { "total_return", "Total return", CORE, FRACTION, HIGHER, TRUE,
    "How much the account grew over the whole run: end equity over start equity, minus one." },
  { "net_profit", "Net profit", CORE, FRACTION, HIGHER, TRUE,
    "The run's profit as a fraction of the starting equity (LEAN's Net Profit)." },
  { "net_profit_currency", "Net profit (money)", CORE, CURRENCY, HIGHER, TRUE,
    "End equity minus start equity, in the account currency." },
  { "compounding_annual_return", "Annual return (CAGR)", CORE, FRACTION, HIGHER, TRUE,
    "The constant yearly return that would turn the start equity into the end equity over "
    "the run's length." },
  { "final_value", "Final value", CORE, CURRENCY, HIGHER, FALSE,
    "The account's value at the last bar." },
  { "start_equity", "Start equity", CORE, CURRENCY, NONE, FALSE,
    "The account's value when the run began: the initial cash." },
  { "end_equity", "End equity", CORE, CURRENCY, HIGHER, FALSE,
    "The account's value when the run ended, open positions at their last price." },
  /* Risk */
  { "sharpe_ratio", "Sharpe ratio", RISK, RATIO, HIGHER, TRUE,
    "The mean daily return above the risk-free rate per unit of its volatility, annualized." },
  { "sortino_ratio", "Sortino ratio", RISK, RATIO, HIGHER, TRUE,
    "Like the Sharpe ratio, but only the returns below the risk-free rate count as risk." },
  { "max_drawdown", "Max drawdown", RISK, FRACTION, LOWER, FALSE,
    "The deepest fall of the equity from a previous peak, as a fraction of that peak." },
  { "probabilistic_sharpe_ratio", "Probabilistic Sharpe ratio", RISK, FRACTION, HIGHER, FALSE,
    "The probability that the true Sharpe ratio is above 1, given the returns' length, "
    "skewness and tails." },
  { "annual_standard_deviation", "Annual volatility", RISK, FRACTION, LOWER, FALSE,
    "The standard deviation of the daily returns, scaled to a year." },
  { "annual_variance", "Annual variance", RISK, RATIO, LOWER, FALSE,
    "The variance of the daily returns, scaled to a year." },
  { "beta", "Beta", RISK, RATIO, NONE, FALSE,
    "How strongly the returns move with the benchmark's: 1 moves with it, 0 ignores it." },
  { "alpha", "Alpha", RISK, RATIO, HIGHER, TRUE,
    "The yearly return the benchmark and the risk-free rate do not explain (Jensen's alpha)." },
  { "drawdown_recovery", "Drawdown recovery", RISK, HS_STAT_UNIT_DAYS, LOWER, FALSE,
    "The longest time in days the equity took to climb back to a previous peak." },
  { "var_95", "Value at risk (95 %)", RISK, FRACTION, HIGHER, TRUE,
    "The daily return that only the worst 5 % of days fell below." },
  /* Trading */
  { "total_trades", "Trades", TRADING, COUNT, NONE, FALSE,
    "Closed round trips: an entry and the exit that closed it." },
  { "winning_trades", "Winning trades", TRADING, COUNT, HIGHER, FALSE,
    "Trades that made money after fees." },
  { "losing_trades", "Losing trades", TRADING, COUNT, LOWER, FALSE,
    "Trades that lost money after fees." },
  { "win_rate", "Win rate", TRADING, FRACTION, HIGHER, FALSE,
    "The share of trades that made money." },
  { "loss_rate", "Loss rate", TRADING, FRACTION, LOWER, FALSE,
    "The share of trades that lost money." },
  { "average_win", "Average win", TRADING, FRACTION, HIGHER, FALSE,
    "The mean gain of the winning trades, as a fraction of the capital at the time." },
  { "average_loss", "Average loss", TRADING, FRACTION, HIGHER, TRUE,
    "The mean loss of the losing trades, as a fraction of the capital at the time." },
  { "profit_factor", "Profit factor", TRADING, RATIO, HIGHER, FALSE,
    "The winners' total profit divided by the losers' total loss." },
  { "profit_loss_ratio", "Profit-loss ratio", TRADING, RATIO, HIGHER, FALSE,
    "The average win divided by the size of the average loss." },
  { "expectancy", "Expectancy", TRADING, RATIO, HIGHER, TRUE,
    "What a trade is expected to make, in units of the average loss." },
  { "total_orders", "Orders", TRADING, COUNT, NONE, FALSE,
    "Orders sent to the simulated broker, entries and exits." },
  { "longest_losing_streak", "Longest losing streak", TRADING, COUNT, LOWER, FALSE,
    "The most losing trades in a row." },
  { "average_holding_time", "Average holding time", TRADING, HS_STAT_UNIT_SECONDS, NONE, FALSE,
    "How long a trade stayed open on average." },
  { "exposure", "Exposure", TRADING, FRACTION, NONE, FALSE,
    "The share of the run's time with a position open." },
  /* Advanced */
  { "information_ratio", "Information ratio", ADVANCED, RATIO, HIGHER, TRUE,
    "The yearly return above the benchmark per unit of tracking error." },
  { "tracking_error", "Tracking error", ADVANCED, FRACTION, NONE, FALSE,
    "How far the returns stray from the benchmark's: the annualized deviation of the "
    "difference." },
  { "treynor_ratio", "Treynor ratio", ADVANCED, RATIO, HIGHER, TRUE,
    "The yearly return above the risk-free rate per unit of beta." },
  { "total_fees", "Total fees", ADVANCED, CURRENCY, LOWER, FALSE,
    "Everything the fee model charged over the run." },
  { "estimated_strategy_capacity", "Strategy capacity", ADVANCED, CURRENCY, HIGHER, FALSE,
    "Roughly how much money the strategy could trade before its own orders move prices "
    "(LEAN's estimate)." },
  { "lowest_capacity_asset", "Lowest-capacity asset", ADVANCED, HS_STAT_UNIT_TEXT, NONE, FALSE,
    "The instrument that limits the capacity most." },
  { "portfolio_turnover", "Portfolio turnover", ADVANCED, FRACTION, NONE, FALSE,
    "The value traded per day as a fraction of the equity, on average." },
  { "calmar_ratio", "Calmar ratio", ADVANCED, RATIO, HIGHER, TRUE,
    "The annual return divided by the maximum drawdown." },
  { "omega_ratio", "Omega ratio", ADVANCED, RATIO, HIGHER, FALSE,
    "The sum of the returns above the risk-free rate over the sum of those below it." },
  { "tail_ratio", "Tail ratio", ADVANCED, RATIO, HIGHER, FALSE,
    "The size of the best 5 % of daily returns against the size of the worst 5 %." },
  { "stability", "Stability", ADVANCED, RATIO, HIGHER, FALSE,
    "How straight the cumulative log return grows: the R² of a line fitted through it." },
  /* Strategy-specific */
  { "pivot_highs_detected", "Swing highs", STRATEGY, COUNT, NONE, FALSE,
    "Swing highs (pivot highs) the market-structure strategy found." },
  { "pivot_lows_detected", "Swing lows", STRATEGY, COUNT, NONE, FALSE,
    "Swing lows (pivot lows) the market-structure strategy found." },
  { "bos_signals_generated", "Break-of-structure signals", STRATEGY, COUNT, NONE, FALSE,
    "Closes beyond the last swing high or low that gave a signal." },
  { "position_flips", "Position flips", STRATEGY, COUNT, NONE, FALSE,
    "Times a position was reversed from long to short or back in one step." },
  { "liquidation_events", "Liquidations", STRATEGY, COUNT, LOWER, FALSE,
    "Positions closed because the account could not carry them." },
};

static const char *const group_labels[HS_STAT_N_GROUPS] = {
  "Core", "Risk", "Trading", "Advanced", "Strategy-specific",
};

/**
 * hs_stat_meta_all:
 * @n: (out): how many
 *
 * Returns: (transfer none) (array length=n): every statistic, grouped, in display order
 */
const HsStatMeta *
hs_stat_meta_all (size_t *n)
{
  *n = G_N_ELEMENTS (stats);
  return stats;
}

/* Returns: (transfer none) (nullable): the statistic of that backtest_runs column */
const HsStatMeta *
hs_stat_meta_lookup (const char *column)
{
  g_return_val_if_fail (column != NULL, NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (stats); i++)
    if (strcmp (stats[i].column, column) == 0)
      return &stats[i];
  return NULL;
}

const char *
hs_stat_group_label (HsStatGroup group)
{
  g_return_val_if_fail (group < HS_STAT_N_GROUPS, NULL);
  return group_labels[group];
}

/* Returns: the unit's name for a column header or tooltip, "" for plain numbers */
const char *
hs_stat_unit_label (HsStatUnit unit)
{
  switch (unit)
    {
    case HS_STAT_UNIT_FRACTION: return "%";
    case HS_STAT_UNIT_CURRENCY: return "account currency";
    case HS_STAT_UNIT_DAYS: return "days";
    case HS_STAT_UNIT_SECONDS: return "time";
    case HS_STAT_UNIT_RATIO:
    case HS_STAT_UNIT_COUNT:
    case HS_STAT_UNIT_TEXT:
    default:
      return "";
    }
}

static const HsBtColumn *
find_column (const char *name)
{
  size_t n = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n);

  for (size_t i = 0; i < n; i++)
    if (strcmp (cols[i].name, name) == 0)
      return &cols[i];
  return NULL;
}

/**
 * hs_stat_meta_value:
 *
 * Returns: @meta's value in @result; NAN when it is not defined (a NAN double, a negative
 *   count) or is text
 */
double
hs_stat_meta_value (const HsStatMeta *meta,
                    const HsBtResult *result)
{
  const HsBtColumn *col = NULL;
  const char *base = (const char *) result;

  g_return_val_if_fail (meta != NULL && result != NULL, NAN);

  col = find_column (meta->column);
  if (col == NULL)
    return NAN;
  switch (col->type)
    {
    case HS_BT_COLUMN_DOUBLE:
      {
        double v;

        memcpy (&v, base + col->offset, sizeof v);
        return v;
      }
    case HS_BT_COLUMN_INT:
      {
        int64_t v;

        memcpy (&v, base + col->offset, sizeof v);
        return v < 0 ? NAN : (double) v;
      }
    case HS_BT_COLUMN_TEXT:
    default:
      return NAN;
    }
}

/* Returns: (transfer none) (nullable): a text statistic's value */
const char *
hs_stat_meta_text (const HsStatMeta *meta,
                   const HsBtResult *result)
{
  const HsBtColumn *col = NULL;
  const char *text = NULL;

  g_return_val_if_fail (meta != NULL && result != NULL, NULL);

  col = find_column (meta->column);
  if (col == NULL || col->type != HS_BT_COLUMN_TEXT)
    return NULL;
  memcpy (&text, (const char *) result + col->offset, sizeof text);
  return text;
}

/* Appends |@v| rounded to @decimals with a comma between thousands. */
static void
append_grouped (GString *out,
                double   v,
                int      decimals)
{
  char buf[64];
  const char *dot = NULL;
  size_t int_len;

  g_snprintf (buf, sizeof buf, "%.*f", decimals, fabs (v));
  dot = strchr (buf, '.');
  int_len = dot != NULL ? (size_t) (dot - buf) : strlen (buf);
  for (size_t i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, buf[i]);
    }
  if (dot != NULL)
    g_string_append (out, dot);
}

/* A minus sign (U+2212) when the rounded value is negative, so −0.00 does not appear. */
static void
append_sign (GString *out,
             double   v,
             int      decimals)
{
  if (v < 0 && fabs (v) >= 0.5 * pow (10, -decimals))
    g_string_append (out, "−");
}

static void
append_duration (GString *out,
                 double   seconds)
{
  int64_t s = (int64_t) llround (seconds);
  int64_t d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60;

  if (d > 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT " d %" G_GINT64_FORMAT " h", d, h);
  else if (h > 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min", h, m);
  else if (m > 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT " min", m);
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT " s", s);
}

/**
 * hs_stat_format:
 *
 * The value as the GUI shows it: fractions as percentages with two decimals ("12.34 %"),
 * money with thousands separators and cents ("101,831.37"), ratios with three decimals, counts
 * whole, days as "3 days", durations as "2 d 4 h" / "4 h 12 min" / "12 min" / "45 s"; negative
 * values with a minus sign (U+2212); "–" (an en dash) when undefined.
 *
 * Returns: (transfer full):
 */
char *
hs_stat_format (const HsStatMeta *meta,
                double            value)
{
  GString *out = NULL;

  g_return_val_if_fail (meta != NULL, NULL);

  if (!isfinite (value))
    return g_strdup ("–");
  out = g_string_new (NULL);
  switch (meta->unit)
    {
    case HS_STAT_UNIT_FRACTION:
      append_sign (out, value * 100, 2);
      g_string_append_printf (out, "%.2f %%", fabs (value * 100));
      break;
    case HS_STAT_UNIT_CURRENCY:
      append_sign (out, value, 2);
      append_grouped (out, value, 2);
      break;
    case HS_STAT_UNIT_RATIO:
      append_sign (out, value, 3);
      g_string_append_printf (out, "%.3f", fabs (value));
      break;
    case HS_STAT_UNIT_COUNT:
      append_sign (out, value, 0);
      append_grouped (out, value, 0);
      break;
    case HS_STAT_UNIT_DAYS:
      g_string_append_printf (out, "%.0f %s", value, value == 1 ? "day" : "days");
      break;
    case HS_STAT_UNIT_SECONDS:
      append_duration (out, value);
      break;
    case HS_STAT_UNIT_TEXT:
    default:
      g_string_append (out, "–");
      break;
    }
  return g_string_free (out, FALSE);
}

/**
 * hs_stat_compare:
 *
 * Returns: > 0 when @a is the better value of @meta, < 0 when @b is, 0 when they are equal or
 *   neither direction is better. A defined value beats an undefined (NAN) one.
 */
int
hs_stat_compare (const HsStatMeta *meta,
                 double            a,
                 double            b)
{
  gboolean da = !isnan (a), db = !isnan (b);

  g_return_val_if_fail (meta != NULL, 0);

  if (meta->better == HS_STAT_BETTER_NONE || (!da && !db))
    return 0;
  if (da != db)
    return da ? 1 : -1;
  if (a == b)
    return 0;
  if (meta->better == HS_STAT_BETTER_HIGHER)
    return a > b ? 1 : -1;
  return a < b ? 1 : -1;
}
