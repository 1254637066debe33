/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * QuantConnect LEAN backtest result files (seed 002's pipeline) into a run for the store: the
 * statistics, the "Strategy Equity" chart, the closed trades and the order count, so that runs
 * made with LEAN can be browsed and compared next to Hindsight's own. Both formats LEAN has
 * written are read: the current one (camelCase keys, candlestick equity points [t,o,h,l,c],
 * totalPerformance values as decimal strings) and the one before May 2024 (PascalCase keys,
 * {x,y} points, JSON numbers), and the -summary.json LEAN writes beside a result. Keys match
 * without regard to case. The reference for the format is shared/fixtures/lean/README.md.
 *
 * Statistics are taken from totalPerformance.portfolioStatistics / tradeStatistics (fractions,
 * four decimals) or from the display strings of "statistics" ("2.600%" is 0.026:
 * backtest_runs stores fractions), whichever carries more decimals ("1.831%" is 0.01831, more
 * precise than totalNetProfit "0.0183"; "1.48" is less than sharpeRatio "1.4803"), except Total
 * Fees, which only the display string has for the whole run (tradeStatistics counts the closed
 * trades' fees alone). A closed trade's pnl is
 * stored net: LEAN's profitLoss is gross, so its totalFees are subtracted; MAE and MFE (account
 * currency) become percent of the entry value.
 *
 * The file is untrusted. Missing Net Profit, Drawdown, Sharpe Ratio or start equity, or a file
 * that is not JSON or not a LEAN result, is an error; any other missing or unknown key is a
 * warning and the import goes on. Files are at most a few MB (a year of minute data samples
 * the equity chart to about 4,000 points); the whole file is parsed in memory.
 */
#define G_LOG_DOMAIN "hs-fetch"

#include "config.h"

#include "hs-lean-result.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "hs-json-records.h"
#include "hs-records.h"
#include "hs-time.h"

void
hs_lean_result_free (HsLeanResult *lean)
{
  if (lean == NULL)
    return;
  hs_bt_run_info_free (lean->info);
  hs_bt_result_free (lean->result);
  g_clear_pointer (&lean->warnings, g_ptr_array_unref);
  g_free (lean);
}

typedef struct
{
  GPtrArray *warnings;
} Ctx;

static void G_GNUC_PRINTF (2, 3)
warn (Ctx        *ctx,
      const char *format,
      ...)
{
  va_list ap;

  va_start (ap, format);
  g_ptr_array_add (ctx->warnings, g_strdup_vprintf (format, ap));
  va_end (ap);
}

/* The member @name of @object, matched exactly, else without regard to ASCII case. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node;
  g_autoptr(GList) names = NULL;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node != NULL)
    return node;
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_member (object, l->data);
  return NULL;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A JSON number, or a string holding a plain decimal ("0.026"). */
static gboolean
node_double (JsonNode *node,
             double   *out)
{
  GType t;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  if (t == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (t == G_TYPE_STRING)
    return hs_parse_double (json_node_get_string (node), out) && isfinite (*out);
  else
    return FALSE;
  return isfinite (*out);
}

/* Decimal places of a plain decimal's text ("0.0183" has 4); 17 for an exponent form. */
static int
text_decimals (const char *text)
{
  const char *dot = strchr (text, '.');

  if (strpbrk (text, "eE") != NULL)
    return 17;
  return dot == NULL ? 0 : (int) strspn (dot + 1, "0123456789");
}

/* As node_double(), with the decimal places the value carries (4 for "0.0183" or 0.0183). */
static gboolean
node_double_decimals (JsonNode *node,
                      double   *out,
                      int      *decimals)
{
  char buf[32];

  if (!node_double (node, out))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    *decimals = text_decimals (json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    *decimals = 0;
  else
    {
      hs_format_double (*out, buf);
      *decimals = text_decimals (buf);
    }
  return TRUE;
}

static gboolean
member_double (JsonObject *object,
               const char *name,
               double     *out)
{
  return node_double (member (object, name), out);
}

static gboolean
member_time (JsonObject *object,
             const char *name,
             int64_t    *out)
{
  const char *text = member_string (object, name);

  return text != NULL && text[0] != '\0' && hs_time_parse (text, NULL, out, NULL);
}

/* A display string of "statistics": "1.831%", "$63.82", "-$63.82", "$101,831.37", "1.48".
 * A value ending in % (or any value when @percent) is divided by 100, exactly: "1.831%" is the
 * double nearest 0.01831. @decimals: the decimal places of the result, how precise it is. */
static gboolean
parse_display (const char *text,
               gboolean    percent,
               double     *out,
               int        *decimals)
{
  g_autoptr(GString) s = g_string_new (NULL);
  gboolean negative = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == ',' || *p == '$')
        continue;
      if (*p == '-' && s->len == 0 && !negative)
        {
          negative = TRUE;
          continue;
        }
      if (*p == '%' && p[1] == '\0')
        {
          percent = TRUE;
          continue;
        }
      g_string_append_c (s, *p);
    }
  if (s->len == 0 || strpbrk (s->str, "eE") != NULL)
    return FALSE;
  *decimals = text_decimals (s->str) + (percent ? 2 : 0);
  if (percent)
    g_string_append (s, "e-2");
  if (!hs_parse_double (s->str, out) || !isfinite (*out))
    return FALSE;
  if (negative)
    *out = -*out;
  return TRUE;
}

/* A .NET TimeSpan, "[-][d.]hh:mm:ss[.fffffff]", in seconds. */
static gboolean
parse_timespan (const char *text,
                double     *out)
{
  g_auto(GStrv) parts = NULL;
  double days = 0, hours, minutes, seconds;
  const char *h;
  const char *dot;
  gboolean negative = text[0] == '-';

  parts = g_strsplit (negative ? text + 1 : text, ":", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;
  h = parts[0];
  dot = strchr (h, '.');
  if (dot != NULL)
    {
      g_autofree char *d = g_strndup (h, (gsize) (dot - h));

      if (!hs_parse_double (d, &days))
        return FALSE;
      h = dot + 1;
    }
  if (!hs_parse_double (h, &hours) || !hs_parse_double (parts[1], &minutes)
      || !hs_parse_double (parts[2], &seconds))
    return FALSE;
  *out = ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
  if (negative)
    *out = -*out;
  return isfinite (*out);
}

/* Warns about each member of @object not in @known (matched without regard to case). */
static void
check_keys (Ctx               *ctx,
            JsonObject        *object,
            const char *const *known,
            const char        *where,
            GHashTable        *seen)
{
  g_autoptr(GList) names = NULL;

  if (object == NULL)
    return;
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean found = FALSE;

      for (size_t i = 0; known[i] != NULL && !found; i++)
        found = g_ascii_strcasecmp (known[i], name) == 0;
      if (found)
        continue;
      /* Report a key once per place, however many trades carry it. */
      if (seen != NULL)
        {
          if (g_hash_table_contains (seen, name))
            continue;
          g_hash_table_add (seen, g_strdup (name));
        }
      warn (ctx, "unknown key “%s” in “%s” (ignored)", name, where);
    }
}

static const char *const top_keys[] = {
  "rollingWindow", "totalPerformance", "charts", "orders", "profitLoss", "statistics",
  "runtimeStatistics", "state", "algorithmConfiguration", "alphaRuntimeStatistics", NULL
};
static const char *const performance_keys[] = {
  "tradeStatistics", "portfolioStatistics", "closedTrades", NULL
};
static const char *const display_keys[] = {
  "Total Orders", "Total Trades", "Average Win", "Average Loss", "Compounding Annual Return",
  "Drawdown", "Expectancy", "Start Equity", "End Equity", "Net Profit", "Sharpe Ratio",
  "Sortino Ratio", "Probabilistic Sharpe Ratio", "Loss Rate", "Win Rate", "Profit-Loss Ratio",
  "Alpha", "Beta", "Annual Standard Deviation", "Annual Variance", "Information Ratio",
  "Tracking Error", "Treynor Ratio", "Total Fees", "Estimated Strategy Capacity",
  "Lowest Capacity Asset", "Portfolio Turnover", "Drawdown Recovery", NULL
};
static const char *const runtime_keys[] = {
  "Equity", "Fees", "Holdings", "Net Profit", "Probabilistic Sharpe Ratio", "Return",
  "Unrealized", "Volume", "Capacity", NULL
};
static const char *const portfolio_keys[] = {
  "averageWinRate", "averageLossRate", "profitLossRatio", "winRate", "lossRate", "expectancy",
  "startEquity", "endEquity", "compoundingAnnualReturn", "drawdown", "totalNetProfit",
  "sharpeRatio", "probabilisticSharpeRatio", "sortinoRatio", "alpha", "beta",
  "annualStandardDeviation", "annualVariance", "informationRatio", "trackingError",
  "treynorRatio", "portfolioTurnover", "valueAtRisk99", "valueAtRisk95", "drawdownRecovery",
  NULL
};
static const char *const trade_stat_keys[] = {
  "startDateTime", "endDateTime", "totalNumberOfTrades", "numberOfWinningTrades",
  "numberOfLosingTrades", "totalProfitLoss", "totalProfit", "totalLoss", "largestProfit",
  "largestLoss", "averageProfitLoss", "averageProfit", "averageLoss", "averageTradeDuration",
  "averageWinningTradeDuration", "averageLosingTradeDuration", "medianTradeDuration",
  "medianWinningTradeDuration", "medianLosingTradeDuration", "maxConsecutiveWinningTrades",
  "maxConsecutiveLosingTrades", "profitLossRatio", "winLossRatio", "winRate", "lossRate",
  "averageMAE", "averageMFE", "largestMAE", "largestMFE", "maximumClosedTradeDrawdown",
  "maximumIntraTradeDrawdown", "profitLossStandardDeviation", "profitLossDownsideDeviation",
  "profitFactor", "sharpeRatio", "sortinoRatio", "profitToMaxDrawdownRatio",
  "maximumEndTradeDrawdown", "averageEndTradeDrawdown", "maximumDrawdownDuration", "totalFees",
  NULL
};
static const char *const trade_keys[] = {
  "symbol", "entryTime", "entryPrice", "direction", "quantity", "exitTime", "exitPrice",
  "profitLoss", "totalFees", "mae", "mfe", "duration", "endTradeDrawdown", "isWin", "orderIds",
  NULL
};
static const char *const state_keys[] = {
  "StartTime", "EndTime", "RuntimeError", "StackTrace", "LogCount", "OrderCount",
  "InsightCount", "Name", "Hostname", "Status", NULL
};
static const char *const config_keys[] = {
  "name", "tags", "accountCurrency", "brokerage", "accountType", "parameters",
  "outOfSampleMaxEndDate", "outOfSampleDays", "startDate", "endDate", "tradingDaysPerYear",
  NULL
};

typedef enum
{
  STAT_DOUBLE,
  STAT_INT,
} StatType;

/* Where each statistic comes from: portfolioStatistics (@ps), tradeStatistics (@ts) or the
 * display string (@display, in percent when @percent); the first one present wins, the
 * display string first when @display_first. */
typedef struct
{
  const char *column;
  size_t      offset;
  StatType    type;
  const char *ps;
  const char *ts;
  const char *display;
  gboolean    percent;
  gboolean    display_first;
  gboolean    core;
} LeanStat;

#define D(f) #f, offsetof (HsStatistics, f), STAT_DOUBLE
#define I(f) #f, offsetof (HsStatistics, f), STAT_INT

static const LeanStat lean_stats[] = {
  { D (start_equity), "startEquity", NULL, "Start Equity", FALSE, FALSE, FALSE },
  { D (end_equity), "endEquity", NULL, "End Equity", FALSE, FALSE, FALSE },
  { D (net_profit), "totalNetProfit", NULL, "Net Profit", TRUE, FALSE, TRUE },
  { D (compounding_annual_return), "compoundingAnnualReturn", NULL,
    "Compounding Annual Return", TRUE, FALSE, FALSE },
  { D (max_drawdown), "drawdown", NULL, "Drawdown", TRUE, FALSE, TRUE },
  { I (drawdown_recovery), "drawdownRecovery", NULL, "Drawdown Recovery", FALSE, FALSE, FALSE },
  { D (annual_standard_deviation), "annualStandardDeviation", NULL, "Annual Standard Deviation",
    FALSE, FALSE, FALSE },
  { D (annual_variance), "annualVariance", NULL, "Annual Variance", FALSE, FALSE, FALSE },
  { D (sharpe_ratio), "sharpeRatio", NULL, "Sharpe Ratio", FALSE, FALSE, TRUE },
  { D (sortino_ratio), "sortinoRatio", NULL, "Sortino Ratio", FALSE, FALSE, FALSE },
  { D (probabilistic_sharpe_ratio), "probabilisticSharpeRatio", NULL,
    "Probabilistic Sharpe Ratio", TRUE, FALSE, FALSE },
  { D (alpha), "alpha", NULL, "Alpha", FALSE, FALSE, FALSE },
  { D (beta), "beta", NULL, "Beta", FALSE, FALSE, FALSE },
  { D (tracking_error), "trackingError", NULL, "Tracking Error", FALSE, FALSE, FALSE },
  { D (information_ratio), "informationRatio", NULL, "Information Ratio", FALSE, FALSE, FALSE },
  { D (treynor_ratio), "treynorRatio", NULL, "Treynor Ratio", FALSE, FALSE, FALSE },
  { I (total_trades), NULL, "totalNumberOfTrades", NULL, FALSE, FALSE, FALSE },
  { I (winning_trades), NULL, "numberOfWinningTrades", NULL, FALSE, FALSE, FALSE },
  { I (losing_trades), NULL, "numberOfLosingTrades", NULL, FALSE, FALSE, FALSE },
  { D (win_rate), "winRate", NULL, "Win Rate", TRUE, FALSE, FALSE },
  { D (loss_rate), "lossRate", NULL, "Loss Rate", TRUE, FALSE, FALSE },
  { D (average_win), "averageWinRate", NULL, "Average Win", TRUE, FALSE, FALSE },
  { D (average_loss), "averageLossRate", NULL, "Average Loss", TRUE, FALSE, FALSE },
  { D (profit_factor), NULL, "profitFactor", NULL, FALSE, FALSE, FALSE },
  { D (profit_loss_ratio), "profitLossRatio", NULL, "Profit-Loss Ratio", FALSE, FALSE, FALSE },
  { D (expectancy), "expectancy", NULL, "Expectancy", FALSE, FALSE, FALSE },
  { D (total_fees), NULL, "totalFees", "Total Fees", FALSE, TRUE, FALSE },
  { D (portfolio_turnover), "portfolioTurnover", NULL, "Portfolio Turnover", TRUE, FALSE,
    FALSE },
  { D (estimated_strategy_capacity), NULL, NULL, "Estimated Strategy Capacity", FALSE, FALSE,
    FALSE },
  { D (var_95), "valueAtRisk95", NULL, NULL, FALSE, FALSE, FALSE },
  { I (longest_losing_streak), NULL, "maxConsecutiveLosingTrades", NULL, FALSE, FALSE, FALSE },
};

typedef struct
{
  JsonObject *root;
  JsonObject *statistics;    /* display strings */
  JsonObject *runtime;
  JsonObject *portfolio;     /* totalPerformance.portfolioStatistics */
  JsonObject *trade_stats;   /* totalPerformance.tradeStatistics */
  JsonArray  *closed_trades;
  JsonObject *orders;
  JsonObject *state;
  JsonObject *config;        /* algorithmConfiguration */
  JsonObject *charts;
} Sections;

/* Reads statistic @s into @value; FALSE when no source has it. portfolioStatistics and
 * tradeStatistics hold four decimals ("0.0183"), the display strings three in percent ("1.831%",
 * five as a fraction) or fewer ("1.48"): the value with more decimal places wins, the
 * statistics object on a tie (the display string when @display_first). A display string that
 * is not a number is reported and skipped. */
static gboolean
read_stat (Ctx            *ctx,
           const Sections *sec,
           const LeanStat *s,
           double         *value)
{
  double perf = NAN, shown = NAN;
  int perf_decimals = -1, shown_decimals = -1;
  const char *text = s->display ? member_string (sec->statistics, s->display) : NULL;

  if (!(s->ps != NULL && node_double_decimals (member (sec->portfolio, s->ps), &perf,
                                               &perf_decimals))
      && !(s->ts != NULL && node_double_decimals (member (sec->trade_stats, s->ts), &perf,
                                                  &perf_decimals)))
    perf_decimals = -1;
  if (text != NULL && !parse_display (text, s->percent, &shown, &shown_decimals))
    {
      warn (ctx, "statistic “%s” is not a number: “%s” (ignored)", s->display, text);
      shown_decimals = -1;
    }
  if (perf_decimals < 0 && shown_decimals < 0)
    return FALSE;
  if (shown_decimals > perf_decimals || (s->display_first && shown_decimals >= 0))
    *value = shown;
  else
    *value = perf;
  return TRUE;
}

static void
set_stat (HsStatistics   *stats,
          const LeanStat *s,
          double          value)
{
  char *p = (char *) stats + s->offset;

  if (s->type == STAT_INT)
    *(int64_t *) p = (int64_t) llround (value);
  else
    *(double *) p = value;
}

/* Appends the points of a chart series to @ts (µs) and @vs: [t, v], [t, o, h, l, c] (the close)
 * or {x, y}, t in Unix seconds; counts the points that are none of these in @n_bad. */
static void
read_series (JsonArray *values,
             GArray    *ts,
             GArray    *vs,
             size_t    *n_bad)
{
  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonNode *node = json_array_get_element (values, i);
      double t = NAN, v = NAN;
      int64_t us;

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *a = json_node_get_array (node);
          guint len = json_array_get_length (a);

          if (len >= 2)
            {
              node_double (json_array_get_element (a, 0), &t);
              node_double (json_array_get_element (a, len - 1), &v);
            }
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);

          member_double (o, "x", &t);
          member_double (o, "y", &v);
        }
      if (!isfinite (t) || !isfinite (v) || fabs (t) > 1e11)
        {
          (*n_bad)++;
          continue;
        }
      us = (int64_t) llround (t * 1e6);
      g_array_append_val (ts, us);
      g_array_append_val (vs, v);
    }
}

static JsonArray *
series_values (JsonObject *charts,
               const char *chart,
               const char *series)
{
  JsonObject *c = member_object (charts, chart);
  JsonObject *s = member_object (member_object (c, "series"), series);

  return member_array (s, "values");
}

/* The equity curve from charts["Strategy Equity"].series["Equity"], in time order with one
 * point per time (the last), drawdown below the running peak, and the benchmark price in force
 * at each point (the last at or before it) when the Benchmark chart has one. */
static HsBtResult *
read_equity (Ctx            *ctx,
             const Sections *sec)
{
  JsonArray *values = series_values (sec->charts, "Strategy Equity", "Equity");
  g_autoptr(GArray) ts = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(GArray) vs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bts = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(GArray) bvs = g_array_new (FALSE, FALSE, sizeof (double));
  JsonArray *bench = series_values (sec->charts, "Benchmark", "Benchmark");
  HsBtResult *result;
  size_t n_bad = 0, n = 0, n_dropped = 0, n_bench_bad = 0;
  gboolean any_benchmark = FALSE;
  double peak = -INFINITY;

  if (values == NULL)
    warn (ctx, "missing chart “Strategy Equity” series “Equity”: no equity curve");
  read_series (values, ts, vs, &n_bad);
  if (n_bad > 0)
    warn (ctx, "%zu equity points are not [time, …, value] or {x, y} numbers (skipped)", n_bad);

  /* LEAN adds a point only when it is later than the last one; keep to that. */
  result = hs_bt_result_new_empty (ts->len);
  for (guint i = 0; i < ts->len; i++)
    {
      int64_t t = g_array_index (ts, int64_t, i);
      double v = g_array_index (vs, double, i);

      if (n > 0 && t <= result->ts[n - 1])
        {
          if (t == result->ts[n - 1])
            result->equity[n - 1] = v;
          n_dropped++;
          continue;
        }
      result->ts[n] = t;
      result->equity[n] = v;
      n++;
    }
  result->n = n;
  if (n_dropped > 0)
    warn (ctx, "%zu equity points repeat or go back in time (the last of a time is kept)",
          n_dropped);
  for (size_t i = 0; i < n; i++)
    {
      peak = MAX (peak, result->equity[i]);
      result->drawdown[i] = peak > 0 ? (peak - result->equity[i]) / peak : NAN;
      result->cash[i] = NAN;
      result->holdings[i] = NAN;
    }

  if (bench != NULL)
    {
      read_series (bench, bts, bvs, &n_bench_bad);
      for (guint i = 0; i < bvs->len; i++)
        any_benchmark |= g_array_index (bvs, double, i) > 0;
      if (!any_benchmark && bvs->len > 0)
        warn (ctx, "the Benchmark series is all zero (LEAN had no benchmark data): alpha, beta, "
                   "information ratio, tracking error and Treynor ratio are against zero");
    }
  if (any_benchmark && n > 0)
    {
      guint j = 0;
      double last = NAN;

      result->benchmark = g_new (double, n);
      for (size_t i = 0; i < n; i++)
        {
          while (j < bts->len && g_array_index (bts, int64_t, j) <= result->ts[i])
            {
              double b = g_array_index (bvs, double, j);

              if (b > 0)
                last = b;
              j++;
            }
          result->benchmark[i] = last;
        }
    }
  return result;
}

static int
direction_side (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_ascii_strcasecmp (json_node_get_string (node), "short") == 0 ? -1 : 1;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return json_node_get_int (node) == 1 ? -1 : 1;
    }
  return 1;
}

/* The tag of order @id ("Liquidated"…), or NULL. */
static const char *
order_tag (const Sections *sec,
           int64_t         id)
{
  char key[32];
  const char *tag;

  g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT, id);
  tag = member_string (member_object (sec->orders, key), "tag");
  return tag != NULL && tag[0] != '\0' ? tag : NULL;
}

static void
append_json_string (GString    *out,
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

static void
append_json_number (GString *out,
                    double   v)
{
  char buf[32];

  hs_format_double (v, buf);
  g_string_append (out, buf);
}

/* The trade's signal_metadata: where it came from and what LEAN said beyond the columns.
 * Numbers in the shortest form that reads back exactly (LEAN's own digits). */
static char *
trade_metadata (const Sections *sec,
                JsonObject     *trade,
                double          gross)
{
  GString *out = g_string_new ("{\"source\":\"lean\"");
  JsonArray *ids = member_array (trade, "orderIds");
  const char *symbol_id = member_string (member_object (trade, "symbol"), "id");
  const char *duration = member_string (trade, "duration");
  JsonNode *is_win = member (trade, "isWin");
  double etd;

  if (symbol_id != NULL)
    {
      g_string_append (out, ",\"symbol_id\":");
      append_json_string (out, symbol_id);
    }
  g_string_append (out, ",\"profit_loss_gross\":");
  append_json_number (out, gross);
  if (duration != NULL)
    {
      g_string_append (out, ",\"duration\":");
      append_json_string (out, duration);
    }
  if (member_double (trade, "endTradeDrawdown", &etd))
    {
      g_string_append (out, ",\"end_trade_drawdown\":");
      append_json_number (out, etd);
    }
  if (is_win != NULL && JSON_NODE_HOLDS_VALUE (is_win)
      && json_node_get_value_type (is_win) == G_TYPE_BOOLEAN)
    g_string_append_printf (out, ",\"is_win\":%s",
                            json_node_get_boolean (is_win) ? "true" : "false");
  if (ids != NULL && json_array_get_length (ids) > 0)
    {
      JsonNode *last = json_array_get_element (ids, json_array_get_length (ids) - 1);
      const char *tag = NULL;
      guint n = 0;

      g_string_append (out, ",\"order_ids\":[");
      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          JsonNode *id = json_array_get_element (ids, i);

          if (JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64)
            g_string_append_printf (out, "%s%" G_GINT64_FORMAT, n++ ? "," : "",
                                    json_node_get_int (id));
        }
      g_string_append_c (out, ']');
      if (JSON_NODE_HOLDS_VALUE (last) && json_node_get_value_type (last) == G_TYPE_INT64)
        tag = order_tag (sec, json_node_get_int (last));
      if (tag != NULL)
        {
          g_string_append (out, ",\"exit_tag\":");
          append_json_string (out, tag);
        }
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

typedef struct
{
  HsBtTrade trade;
  guint     index;
} SortTrade;

static int
trade_cmp (gconstpointer a,
           gconstpointer b)
{
  const SortTrade *ta = a, *tb = b;

  if (ta->trade.entry_ts != tb->trade.entry_ts)
    return ta->trade.entry_ts < tb->trade.entry_ts ? -1 : 1;
  return ta->index < tb->index ? -1 : ta->index > tb->index;
}

/* totalPerformance.closedTrades into @result->trades, in entry order. */
static void
read_trades (Ctx            *ctx,
             const Sections *sec,
             HsBtResult     *result)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) sorted = g_array_new (FALSE, TRUE, sizeof (SortTrade));
  guint n = sec->closed_trades ? json_array_get_length (sec->closed_trades) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (sec->closed_trades, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      SortTrade st = { { 0 }, i };
      HsBtTrade *t = &st.trade;
      double quantity = NAN, gross = NAN, fees = 0, mae = NAN, mfe = NAN, notional;

      if (o == NULL)
        {
          warn (ctx, "closed trade %u is not an object (skipped)", i + 1);
          continue;
        }
      check_keys (ctx, o, trade_keys, "closedTrades", seen);
      if (!member_time (o, "entryTime", &t->entry_ts) || !member_time (o, "exitTime", &t->exit_ts)
          || !member_double (o, "entryPrice", &t->entry_price)
          || !member_double (o, "exitPrice", &t->exit_price)
          || !member_double (o, "quantity", &quantity) || quantity == 0
          || t->entry_price <= 0 || t->exit_price <= 0 || t->exit_ts < t->entry_ts)
        {
          warn (ctx, "closed trade %u lacks a valid entry/exit time, price or quantity (skipped)",
                i + 1);
          continue;
        }
      t->side = direction_side (member (o, "direction"));
      t->quantity = fabs (quantity);
      if (!member_double (o, "profitLoss", &gross))
        gross = t->side * (t->exit_price - t->entry_price) * t->quantity;
      member_double (o, "totalFees", &fees);
      t->fees = MAX (fees, 0);
      t->pnl = gross - t->fees;
      notional = t->entry_price * t->quantity;
      t->pnl_pct = t->pnl / notional * 100;
      t->mfe_pct = member_double (o, "mfe", &mfe) ? MAX (mfe, 0) / notional * 100 : NAN;
      t->mae_pct = member_double (o, "mae", &mae) ? MAX (-mae, 0) / notional * 100 : NAN;
      t->bars_held = -1;
      t->exit_reason = HS_EXIT_UNKNOWN;
      t->signal_json = trade_metadata (sec, o, gross);
      g_array_append_val (sorted, st);
    }
  g_array_sort (sorted, trade_cmp);
  for (guint i = 0; i < sorted->len; i++)
    g_array_append_val (result->trades, g_array_index (sorted, SortTrade, i).trade);
}

/* The symbols traded, in order of appearance: the orders', else the trades'. */
static char *
read_symbol (Ctx            *ctx,
             const Sections *sec)
{
  g_autoptr(GPtrArray) symbols = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GList) ids = sec->orders ? json_object_get_members (sec->orders) : NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  const char *asset;

  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonObject *order = member_object (sec->orders, l->data);
      const char *v = member_string (member_object (order, "symbol"), "value");

      if (v != NULL && v[0] != '\0'
          && !g_ptr_array_find_with_equal_func (symbols, v, g_str_equal, NULL))
        g_ptr_array_add (symbols, g_strdup (v));
    }
  for (guint i = 0; sec->closed_trades && i < json_array_get_length (sec->closed_trades); i++)
    {
      JsonNode *node = json_array_get_element (sec->closed_trades, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *v = member_string (member_object (o, "symbol"), "value");

      if (v != NULL && v[0] != '\0'
          && !g_ptr_array_find_with_equal_func (symbols, v, g_str_equal, NULL))
        g_ptr_array_add (symbols, g_strdup (v));
    }
  /* A summary has neither: "Lowest Capacity Asset" is a security id, "SPY R735QTJ8XC9X". */
  asset = member_string (sec->statistics, "Lowest Capacity Asset");
  if (symbols->len == 0 && asset != NULL && asset[0] != '\0')
    g_ptr_array_add (symbols, g_strndup (asset, strcspn (asset, " ")));
  if (symbols->len == 0)
    {
      warn (ctx, "no symbol in the file (no orders, trades or capacity asset): stored as "
                 "“UNKNOWN”");
      return g_strdup ("UNKNOWN");
    }
  for (guint i = 0; i < symbols->len; i++)
    g_string_append_printf (joined, "%s%s", i ? "," : "", (const char *) symbols->pdata[i]);
  if (symbols->len > 1)
    warn (ctx, "%u symbols traded (%s): the run is stored under all of them as its symbol",
          symbols->len, joined->str);
  if (joined->len > 64)
    g_string_truncate (joined, 64);
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* The strategy's name: algorithmConfiguration.name unless it is the lean CLI's "local", else
 * the file name without .json and -summary. */
static char *
read_strategy_name (const Sections *sec,
                    const char     *file_name)
{
  const char *name = member_string (sec->config, "name");
  g_autofree char *base = NULL;
  char *out;

  if (name != NULL && name[0] != '\0' && g_ascii_strcasecmp (name, "local") != 0)
    base = g_strdup (name);
  else
    {
      base = g_path_get_basename (file_name ? file_name : "lean");
      if (g_str_has_suffix (base, ".json"))
        base[strlen (base) - 5] = '\0';
      if (g_str_has_suffix (base, "-summary"))
        base[strlen (base) - 8] = '\0';
      if (base[0] == '\0')
        {
          g_free (base);
          base = g_strdup ("lean");
        }
    }
  if (!g_utf8_validate (base, -1, NULL))
    return g_strdup ("lean");
  out = g_utf8_substring (base, 0, MIN (g_utf8_strlen (base, -1), 100));
  return out;
}

static void
read_parameters (const Sections *sec,
                 HsBtRunInfo    *info)
{
  JsonObject *params = member_object (sec->config, "parameters");
  g_autoptr(GList) names = params ? json_object_get_members (params) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (params, l->data);
      double v;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        hs_bt_run_info_set_string (info, l->data, json_node_get_string (node));
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        hs_bt_run_info_set_bool (info, l->data, json_node_get_boolean (node));
      else if (node_double (node, &v))
        hs_bt_run_info_set_number (info, l->data, v);
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);

          hs_bt_run_info_set_json (info, l->data, text);
        }
    }
}

/* Timing and status from "state". */
static void
read_state (Ctx            *ctx,
            const Sections *sec,
            HsBtRunInfo    *info)
{
  const char *status = member_string (sec->state, "Status");
  const char *runtime_error = member_string (sec->state, "RuntimeError");
  int64_t started = 0, finished = 0;

  if (sec->state == NULL)
    {
      warn (ctx, "missing “state”: run time and status unknown (stored as completed)");
      return;
    }
  if (member_time (sec->state, "StartTime", &started)
      && member_time (sec->state, "EndTime", &finished) && finished >= started)
    {
      info->started_at = started;
      info->finished_at = finished;
      info->execution_time_ms = (finished - started) / 1000;
    }
  if (status == NULL || g_ascii_strcasecmp (status, "Completed") == 0)
    return;
  g_free (info->status);
  if (g_ascii_strcasecmp (status, "RuntimeError") == 0)
    {
      info->status = g_strdup ("failed");
      info->error_message = g_strdup (runtime_error && runtime_error[0] ? runtime_error
                                                                         : "LEAN runtime error");
    }
  else
    {
      info->status = g_strdup ("cancelled");
      info->error_message = g_strdup_printf ("LEAN status %s", status);
    }
}

/* The first of "Total Orders", the legacy "Total Trades" (which counted orders), state's
 * OrderCount and the number of orders. */
static int64_t
read_total_orders (const Sections *sec)
{
  static const char *const names[] = { "Total Orders", "Total Trades" };
  double v;
  int decimals;

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *text = member_string (sec->statistics, names[i]);

      if (text != NULL && parse_display (text, FALSE, &v, &decimals) && v >= 0)
        return (int64_t) llround (v);
    }
  if (member_double (sec->state, "OrderCount", &v) && v >= 0)
    return (int64_t) llround (v);
  if (sec->orders != NULL)
    return json_object_get_size (sec->orders);
  return -1;
}

static HsLeanResult *
convert (JsonObject *root,
         const char *data,
         size_t      len,
         const char *name,
         const char *interval,
         GError    **error)
{
  g_autoptr(HsLeanResult) lean = g_new0 (HsLeanResult, 1);
  g_autoptr(GString) missing_core = g_string_new (NULL);
  JsonObject *performance = member_object (root, "totalPerformance");
  Ctx ctx;
  Sections sec = { 0 };
  HsBtRunInfo *info;
  HsStatistics *stats;
  g_autofree char *sha = NULL;
  double v;

  lean->warnings = g_ptr_array_new_with_free_func (g_free);
  ctx.warnings = lean->warnings;
  sec.root = root;
  sec.statistics = member_object (root, "statistics");
  sec.runtime = member_object (root, "runtimeStatistics");
  sec.portfolio = member_object (performance, "portfolioStatistics");
  sec.trade_stats = member_object (performance, "tradeStatistics");
  sec.closed_trades = member_array (performance, "closedTrades");
  sec.orders = member_object (root, "orders");
  sec.state = member_object (root, "state");
  sec.config = member_object (root, "algorithmConfiguration");
  sec.charts = member_object (root, "charts");

  if (sec.statistics == NULL && sec.portfolio == NULL)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                   "not a LEAN backtest result: no “statistics” or “totalPerformance”."
                   "“portfolioStatistics” object");
      return NULL;
    }

  check_keys (&ctx, root, top_keys, "top level", NULL);
  check_keys (&ctx, performance, performance_keys, "totalPerformance", NULL);
  check_keys (&ctx, sec.statistics, display_keys, "statistics", NULL);
  check_keys (&ctx, sec.runtime, runtime_keys, "runtimeStatistics", NULL);
  check_keys (&ctx, sec.portfolio, portfolio_keys, "portfolioStatistics", NULL);
  check_keys (&ctx, sec.trade_stats, trade_stat_keys, "tradeStatistics", NULL);
  check_keys (&ctx, sec.state, state_keys, "state", NULL);
  check_keys (&ctx, sec.config, config_keys, "algorithmConfiguration", NULL);

  lean->result = read_equity (&ctx, &sec);
  stats = &lean->result->stats;
  for (size_t i = 0; i < G_N_ELEMENTS (lean_stats); i++)
    {
      const LeanStat *s = &lean_stats[i];

      if (read_stat (&ctx, &sec, s, &v))
        set_stat (stats, s, v);
      else if (s->core)
        g_string_append_printf (missing_core, "%s%s", missing_core->len ? ", " : "",
                                s->display ? s->display : s->ps);
    }
  if (missing_core->len > 0)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                   "LEAN result without its core statistics: missing %s", missing_core->str);
      return NULL;
    }
  /* Start and End Equity are newer than the legacy format: its equity curve has them. */
  if (isnan (stats->start_equity) && lean->result->n > 0)
    stats->start_equity = lean->result->equity[0];
  if (isnan (stats->end_equity) && lean->result->n > 0)
    stats->end_equity = lean->result->equity[lean->result->n - 1];
  if (!(stats->start_equity > 0))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                   "LEAN result without its core statistics: no Start Equity and no equity "
                   "curve");
      return NULL;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (lean_stats); i++)
    {
      const LeanStat *s = &lean_stats[i];
      const char *p = (const char *) stats + s->offset;
      gboolean unset = s->type == STAT_INT ? *(const int64_t *) p < 0 : isnan (*(const double *) p);

      if (unset)
        warn (&ctx, "missing statistic “%s”: %s left empty",
              s->display ? s->display : s->ps ? s->ps : s->ts, s->column);
    }
  {
    const char *asset = member_string (sec.statistics, "Lowest Capacity Asset");

    if (asset != NULL)
      stats->lowest_capacity_asset = g_strdup (asset);
    else
      warn (&ctx, "missing statistic “Lowest Capacity Asset”: lowest_capacity_asset left empty");
  }
  stats->final_value = stats->end_equity;
  stats->net_profit_currency = isnan (stats->end_equity) ? NAN
                               : stats->end_equity - stats->start_equity;
  stats->total_return = stats->net_profit;
  if (stats->total_trades > 0 && member_string (sec.trade_stats, "averageTradeDuration") != NULL)
    parse_timespan (member_string (sec.trade_stats, "averageTradeDuration"),
                    &stats->average_holding_time);
  stats->total_orders = read_total_orders (&sec);
  lean->result->total_orders = stats->total_orders;
  if (stats->total_orders < 0)
    warn (&ctx, "missing statistic “Total Orders”: total_orders left empty");

  read_trades (&ctx, &sec, lean->result);
  if (sec.orders == NULL)
    warn (&ctx, "missing “orders”: exit tags of the trades unknown");
  if (lean->result->trades->len == 0 && stats->total_trades > 0)
    warn (&ctx, "no closed trades in the file although its statistics count %" G_GINT64_FORMAT
                " (a -summary.json has none): no trades stored", stats->total_trades);

  info = lean->info = hs_bt_run_info_new ();
  info->strategy_name = read_strategy_name (&sec, name);
  info->strategy_version = g_strdup ("lean");
  g_free (info->profile);
  info->profile = g_strdup ("lean");
  info->symbol = read_symbol (&ctx, &sec);
  if (interval != NULL)
    info->interval = g_strdup (interval);
  else
    {
      info->interval = g_strdup ("1m");
      warn (&ctx, "a LEAN result does not say its resolution: interval stored as 1m");
    }
  info->initial_cash = stats->start_equity;
  if (sec.config == NULL)
    warn (&ctx, "missing “algorithmConfiguration”: no parameters; the period is the equity "
                "curve's");
  read_parameters (&sec, info);
  /* The period: the configuration's dates, else the equity curve's, else the trades'. */
  if (!member_time (sec.config, "startDate", &info->start_ts))
    {
      if (lean->result->n > 0)
        info->start_ts = lean->result->ts[0];
      else
        member_time (sec.trade_stats, "startDateTime", &info->start_ts);
    }
  if (!member_time (sec.config, "endDate", &info->end_ts))
    {
      if (lean->result->n > 0)
        info->end_ts = lean->result->ts[lean->result->n - 1];
      else
        member_time (sec.trade_stats, "endDateTime", &info->end_ts);
    }
  if (info->end_ts <= info->start_ts)
    info->end_ts = info->start_ts + 1;
  read_state (&ctx, &sec, info);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
  info->cache_key = g_strconcat ("lean:", sha, NULL);
  return g_steal_pointer (&lean);
}

/**
 * hs_lean_result_parse:
 * @data: the file's bytes
 * @name: (nullable): the file's name, for messages and as the strategy name when the file has
 *   none
 * @interval: (nullable): the bar interval the run used; LEAN does not record it, so %NULL
 *   stores "1m" with a warning
 *
 * Reads a LEAN backtest result (full or -summary.json, current or legacy format).
 *
 * Returns: (transfer full): the run, or %NULL with @error (%HS_JSON_ERROR_SYNTAX: not JSON;
 *   %HS_JSON_ERROR_SHAPE: not a LEAN result, or without its core statistics)
 */
HsLeanResult *
hs_lean_result_parse (const char *data,
                      size_t      len,
                      const char *name,
                      const char *interval,
                      GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  HsLeanResult *lean;
  const char *label = name ? name : "LEAN result";

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  if (!json_parser_load_from_data (parser, data ? data : "", (gssize) len, &local))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "%s: not JSON: %s", label,
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SYNTAX, "%s: not JSON: the file is empty",
                   label);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, HS_JSON_ERROR, HS_JSON_ERROR_SHAPE,
                   "%s: not a LEAN backtest result: the JSON is %s, not an object%s", label,
                   JSON_NODE_HOLDS_ARRAY (root) ? "an array" : "a value",
                   JSON_NODE_HOLDS_ARRAY (root)
                   ? " (an -order-events.json holds order events, not results)" : "");
      return NULL;
    }
  lean = convert (json_node_get_object (root), data, len, name, interval, error);
  if (lean == NULL)
    g_prefix_error (error, "%s: ", label);
  return lean;
}

/**
 * hs_lean_result_load:
 *
 * As hs_lean_result_parse() for a file; info->result_path is its absolute path.
 *
 * Returns: (transfer full): the run, or %NULL with @error (a G_FILE_ERROR or %HS_JSON_ERROR)
 */
HsLeanResult *
hs_lean_result_load (const char *path,
                     const char *interval,
                     GError    **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  HsLeanResult *lean;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  lean = hs_lean_result_parse (data, len, path, interval, error);
  if (lean != NULL)
    lean->info->result_path = g_canonicalize_filename (path, NULL);
  return lean;
}
