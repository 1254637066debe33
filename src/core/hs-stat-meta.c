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

#include <glib/gi18n-lib.h>

#include <locale.h>
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
  { "total_return", N_("Total return"), CORE, FRACTION, HIGHER, TRUE,
    N_("How much the account grew over the whole run: end equity over start equity, minus one.") },
  { "net_profit", N_("Net profit"), CORE, FRACTION, HIGHER, TRUE,
    N_("The run's profit as a fraction of the starting equity (LEAN's Net Profit).") },
  { "net_profit_currency", N_("Net profit (money)"), CORE, CURRENCY, HIGHER, TRUE,
    N_("End equity minus start equity, in the account currency.") },
  { "compounding_annual_return", N_("Annual return (CAGR)"), CORE, FRACTION, HIGHER, TRUE,
    N_("The constant yearly return that would turn the start equity into the end equity over "
    "the run's length.") },
  { "final_value", N_("Final value"), CORE, CURRENCY, HIGHER, FALSE,
    N_("The account's value at the last bar.") },
  { "start_equity", N_("Start equity"), CORE, CURRENCY, NONE, FALSE,
    N_("The account's value when the run began: the initial cash.") },
  { "end_equity", N_("End equity"), CORE, CURRENCY, HIGHER, FALSE,
    N_("The account's value when the run ended, open positions at their last price.") },
  /* Risk */
  { "sharpe_ratio", N_("Sharpe ratio"), RISK, RATIO, HIGHER, TRUE,
    N_("The mean daily return above the risk-free rate per unit of its volatility, annualized.") },
  { "sortino_ratio", N_("Sortino ratio"), RISK, RATIO, HIGHER, TRUE,
    N_("Like the Sharpe ratio, but only the returns below the risk-free rate count as risk.") },
  { "max_drawdown", N_("Max drawdown"), RISK, FRACTION, LOWER, FALSE,
    N_("The deepest fall of the equity from a previous peak, as a fraction of that peak.") },
  { "probabilistic_sharpe_ratio", N_("Probabilistic Sharpe ratio"), RISK, FRACTION, HIGHER, FALSE,
    N_("The probability that the true Sharpe ratio is above 1, given the returns' length, "
    "skewness and tails.") },
  { "annual_standard_deviation", N_("Annual volatility"), RISK, FRACTION, LOWER, FALSE,
    N_("The standard deviation of the daily returns, scaled to a year.") },
  { "annual_variance", N_("Annual variance"), RISK, RATIO, LOWER, FALSE,
    N_("The variance of the daily returns, scaled to a year.") },
  { "beta", N_("Beta"), RISK, RATIO, NONE, FALSE,
    N_("How strongly the returns move with the benchmark's: 1 moves with it, 0 ignores it.") },
  { "alpha", N_("Alpha"), RISK, RATIO, HIGHER, TRUE,
    N_("The yearly return the benchmark and the risk-free rate do not explain (Jensen's alpha).") },
  { "drawdown_recovery", N_("Drawdown recovery"), RISK, HS_STAT_UNIT_DAYS, LOWER, FALSE,
    N_("The longest time in days the equity took to climb back to a previous peak.") },
  { "var_95", N_("Value at risk (95 %)"), RISK, FRACTION, HIGHER, TRUE,
    /* xgettext: no-c-format */
    N_("The daily return that only the worst 5 % of days fell below.") },
  /* Trading */
  { "total_trades", N_("Trades"), TRADING, COUNT, NONE, FALSE,
    N_("Closed round trips: an entry and the exit that closed it.") },
  { "winning_trades", N_("Winning trades"), TRADING, COUNT, HIGHER, FALSE,
    N_("Trades that made money after fees.") },
  { "losing_trades", N_("Losing trades"), TRADING, COUNT, LOWER, FALSE,
    N_("Trades that lost money after fees.") },
  { "win_rate", N_("Win rate"), TRADING, FRACTION, HIGHER, FALSE,
    N_("The share of trades that made money.") },
  { "loss_rate", N_("Loss rate"), TRADING, FRACTION, LOWER, FALSE,
    N_("The share of trades that lost money.") },
  { "average_win", N_("Average win"), TRADING, FRACTION, HIGHER, FALSE,
    N_("The mean gain of the winning trades, as a fraction of the capital at the time.") },
  { "average_loss", N_("Average loss"), TRADING, FRACTION, HIGHER, TRUE,
    N_("The mean loss of the losing trades, as a fraction of the capital at the time.") },
  { "profit_factor", N_("Profit factor"), TRADING, RATIO, HIGHER, FALSE,
    N_("The winners' total profit divided by the losers' total loss.") },
  { "profit_loss_ratio", N_("Profit-loss ratio"), TRADING, RATIO, HIGHER, FALSE,
    N_("The average win divided by the size of the average loss.") },
  { "expectancy", N_("Expectancy"), TRADING, RATIO, HIGHER, TRUE,
    N_("What a trade is expected to make, in units of the average loss.") },
  { "total_orders", N_("Orders"), TRADING, COUNT, NONE, FALSE,
    N_("Orders sent to the simulated broker, entries and exits.") },
  { "longest_losing_streak", N_("Longest losing streak"), TRADING, COUNT, LOWER, FALSE,
    N_("The most losing trades in a row.") },
  { "average_holding_time", N_("Average holding time"), TRADING, HS_STAT_UNIT_SECONDS, NONE, FALSE,
    N_("How long a trade stayed open on average.") },
  { "exposure", N_("Exposure"), TRADING, FRACTION, NONE, FALSE,
    N_("The share of the run's time with a position open.") },
  /* Advanced */
  { "information_ratio", N_("Information ratio"), ADVANCED, RATIO, HIGHER, TRUE,
    N_("The yearly return above the benchmark per unit of tracking error.") },
  { "tracking_error", N_("Tracking error"), ADVANCED, FRACTION, NONE, FALSE,
    N_("How far the returns stray from the benchmark's: the annualized deviation of the "
    "difference.") },
  { "treynor_ratio", N_("Treynor ratio"), ADVANCED, RATIO, HIGHER, TRUE,
    N_("The yearly return above the risk-free rate per unit of beta.") },
  { "total_fees", N_("Total fees"), ADVANCED, CURRENCY, LOWER, FALSE,
    N_("Everything the fee model charged over the run.") },
  { "estimated_strategy_capacity", N_("Strategy capacity"), ADVANCED, CURRENCY, HIGHER, FALSE,
    N_("Roughly how much money the strategy could trade before its own orders move prices "
    "(LEAN's estimate).") },
  { "lowest_capacity_asset", N_("Lowest-capacity asset"), ADVANCED, HS_STAT_UNIT_TEXT, NONE, FALSE,
    N_("The instrument that limits the capacity most.") },
  { "portfolio_turnover", N_("Portfolio turnover"), ADVANCED, FRACTION, NONE, FALSE,
    N_("The value traded per day as a fraction of the equity, on average.") },
  { "calmar_ratio", N_("Calmar ratio"), ADVANCED, RATIO, HIGHER, TRUE,
    N_("The annual return divided by the maximum drawdown.") },
  { "omega_ratio", N_("Omega ratio"), ADVANCED, RATIO, HIGHER, FALSE,
    N_("The sum of the returns above the risk-free rate over the sum of those below it.") },
  { "tail_ratio", N_("Tail ratio"), ADVANCED, RATIO, HIGHER, FALSE,
    N_("The size of the best 5 % of daily returns against the size of the worst 5 %.") },
  { "stability", N_("Stability"), ADVANCED, RATIO, HIGHER, FALSE,
    N_("How straight the cumulative log return grows: the R² of a line fitted through it.") },
  /* Strategy-specific */
  { "pivot_highs_detected", N_("Swing highs"), STRATEGY, COUNT, NONE, FALSE,
    N_("Swing highs (pivot highs) the market-structure strategy found.") },
  { "pivot_lows_detected", N_("Swing lows"), STRATEGY, COUNT, NONE, FALSE,
    N_("Swing lows (pivot lows) the market-structure strategy found.") },
  { "bos_signals_generated", N_("Break-of-structure signals"), STRATEGY, COUNT, NONE, FALSE,
    N_("Closes beyond the last swing high or low that gave a signal.") },
  { "position_flips", N_("Position flips"), STRATEGY, COUNT, NONE, FALSE,
    N_("Times a position was reversed from long to short or back in one step.") },
  { "liquidation_events", N_("Liquidations"), STRATEGY, COUNT, LOWER, FALSE,
    N_("Positions closed because the account could not carry them.") },
};

static const char *const group_labels[HS_STAT_N_GROUPS] = {
  N_("Core"), N_("Risk"), N_("Trading"), N_("Advanced"), N_("Strategy-specific"),
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
    case HS_STAT_UNIT_CURRENCY: return N_("account currency");
    case HS_STAT_UNIT_DAYS: return N_("days");
    case HS_STAT_UNIT_SECONDS: return N_("time");
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
  const struct lconv *lc = localeconv ();
  const char *sep = ",";
  size_t int_len;

  /* The locale's decimal mark (the GUI runs in the user's LC_NUMERIC) and its thousands
   * separator; ',' where the locale has none (C), so the C locale reads "101,831.37". */
  if (lc->thousands_sep != NULL && lc->thousands_sep[0] != '\0')
    sep = lc->thousands_sep;
  g_snprintf (buf, sizeof buf, "%.*f", decimals, fabs (v));
  int_len = strspn (buf, "0123456789");
  for (size_t i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, buf[i]);
    }
  g_string_append (out, buf + int_len);
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
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%.0f day", "%.0f days",
                                                (gulong) MIN (round (fabs (value)), G_MAXULONG)), value);
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
