/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `metrics`: the backtest statistics of any equity curve in a CSV file, in the default or the
 * lean profile, so users can check their own numbers (and LEAN's) against Hindsight's; and
 * `import rates`, which stores a risk-free rate series for the statistics. Files of a few
 * thousand to a few million rows, read once.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-common.h"
#include "hs-csv.h"
#include "hs-stats.h"
#include "hs-store-rates.h"
#include "hs-time.h"

/* The column of @reader's header named one of @names (case-insensitive), or −1. */
static int
find_column (HsCsvReader        *reader,
             const char * const *names)
{
  for (size_t i = 0; i < hs_csv_reader_n_fields (reader); i++)
    {
      g_autofree char *f = g_strstrip (g_ascii_strdown (hs_csv_reader_field (reader, i), -1));

      for (size_t k = 0; names[k] != NULL; k++)
        if (g_str_equal (f, names[k]))
          return (int) i;
    }
  return -1;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  g_autofree char *s = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (s[0] == '\0')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  return end != NULL && *end == '\0' && isfinite (*out);
}

/* Reads a two-column series "time,value" (more columns are ignored). Prints FILE:LINE: reason
 * and returns NULL on bad input. */
static GArray *
read_series (const char         *path,
             const char * const *value_names,
             const char         *what,
             gboolean            positive,
             GTimeZone          *tz)
{
  static const char * const time_names[] = { "timestamp", "time", "date", "datetime", NULL };
  g_autoptr(HsCsvReader) reader = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(GError) error = NULL;
  int tcol, vcol, rc;

  reader = hs_csv_reader_open (path, &error);
  if (reader == NULL)
    {
      g_printerr ("hindsight-cli: %s: %s\n", path, error->message);
      return NULL;
    }
  rc = hs_csv_reader_next (reader, &error);
  if (rc <= 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: %s\n", path, hs_csv_reader_line (reader),
                  rc < 0 ? error->message : "the file is empty; it needs a header line");
      return NULL;
    }
  tcol = find_column (reader, time_names);
  vcol = find_column (reader, value_names);
  if (tcol < 0 || vcol < 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: the header must name a time column (timestamp) and a "
                  "%s column (%s)\n", path, hs_csv_reader_line (reader), what, value_names[0]);
      return NULL;
    }
  while ((rc = hs_csv_reader_next (reader, &error)) > 0)
    {
      size_t line = hs_csv_reader_line (reader);
      g_autoptr(GError) local = NULL;
      HsPoint p;

      if ((size_t) MAX (tcol, vcol) >= hs_csv_reader_n_fields (reader))
        {
          g_printerr ("hindsight-cli: %s:%zu: the row has %zu fields, the header more\n", path,
                      line, hs_csv_reader_n_fields (reader));
          return NULL;
        }
      if (!hs_time_parse (hs_csv_reader_field (reader, (size_t) tcol), tz, &p.ts, &local))
        {
          g_printerr ("hindsight-cli: %s:%zu: %s\n", path, line, local->message);
          return NULL;
        }
      if (!parse_number (hs_csv_reader_field (reader, (size_t) vcol), &p.value))
        {
          g_printerr ("hindsight-cli: %s:%zu: %s “%s” is not a number\n", path, line, what,
                      hs_csv_reader_field (reader, (size_t) vcol));
          return NULL;
        }
      if (positive && p.value <= 0)
        {
          g_printerr ("hindsight-cli: %s:%zu: %s must be positive, not %s\n", path, line, what,
                      hs_csv_reader_field (reader, (size_t) vcol));
          return NULL;
        }
      if (points->len > 0 && p.ts <= g_array_index (points, HsPoint, points->len - 1).ts)
        {
          g_printerr ("hindsight-cli: %s:%zu: the time is not after the previous row's\n", path,
                      line);
          return NULL;
        }
      g_array_append_val (points, p);
    }
  if (rc < 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: %s\n", path, hs_csv_reader_line (reader),
                  error->message);
      return NULL;
    }
  if (points->len == 0)
    {
      g_printerr ("hindsight-cli: %s: no rows after the header\n", path);
      return NULL;
    }
  return g_steal_pointer (&points);
}

/* Closed trades: entry_time,exit_time,pnl[,fees] (pnl net of fees, account currency). */
static GArray *
read_trades (const char *path,
             GTimeZone  *tz,
             double     *fees)
{
  static const char * const entry_names[] = { "entry_time", "entry", NULL };
  static const char * const exit_names[] = { "exit_time", "exit", NULL };
  static const char * const pnl_names[] = { "pnl", "profit_loss", NULL };
  static const char * const fee_names[] = { "fees", "fee", NULL };
  g_autoptr(HsCsvReader) reader = NULL;
  g_autoptr(GArray) trades = g_array_new (FALSE, FALSE, sizeof (HsClosedTrade));
  g_autoptr(GError) error = NULL;
  int col[4], rc;

  reader = hs_csv_reader_open (path, &error);
  if (reader == NULL)
    {
      g_printerr ("hindsight-cli: %s: %s\n", path, error->message);
      return NULL;
    }
  rc = hs_csv_reader_next (reader, &error);
  if (rc <= 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: %s\n", path, hs_csv_reader_line (reader),
                  rc < 0 ? error->message : "the file is empty; it needs a header line");
      return NULL;
    }
  col[0] = find_column (reader, entry_names);
  col[1] = find_column (reader, exit_names);
  col[2] = find_column (reader, pnl_names);
  col[3] = find_column (reader, fee_names);
  if (col[0] < 0 || col[1] < 0 || col[2] < 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: the header must name entry_time, exit_time and pnl "
                  "columns (and optionally fees)\n", path, hs_csv_reader_line (reader));
      return NULL;
    }
  *fees = 0;
  while ((rc = hs_csv_reader_next (reader, &error)) > 0)
    {
      size_t line = hs_csv_reader_line (reader), nf = hs_csv_reader_n_fields (reader);
      g_autoptr(GError) local = NULL;
      HsClosedTrade t = { 0 };
      int64_t *times[] = { &t.entry_ts, &t.exit_ts };

      for (int k = 0; k < 4; k++)
        if (col[k] >= 0 && (size_t) col[k] >= nf)
          {
            g_printerr ("hindsight-cli: %s:%zu: the row has %zu fields, the header more\n", path,
                        line, nf);
            return NULL;
          }
      for (int k = 0; k < 2; k++)
        if (!hs_time_parse (hs_csv_reader_field (reader, (size_t) col[k]), tz, times[k], &local))
          {
            g_printerr ("hindsight-cli: %s:%zu: %s\n", path, line, local->message);
            return NULL;
          }
      if (t.exit_ts < t.entry_ts)
        {
          g_printerr ("hindsight-cli: %s:%zu: the exit is before the entry\n", path, line);
          return NULL;
        }
      if (!parse_number (hs_csv_reader_field (reader, (size_t) col[2]), &t.pnl)
          || (col[3] >= 0
              && !parse_number (hs_csv_reader_field (reader, (size_t) col[3]), &t.fees)))
        {
          g_printerr ("hindsight-cli: %s:%zu: pnl and fees must be numbers\n", path, line);
          return NULL;
        }
      *fees += t.fees;
      g_array_append_val (trades, t);
    }
  if (rc < 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: %s\n", path, hs_csv_reader_line (reader),
                  error->message);
      return NULL;
    }
  return g_steal_pointer (&trades);
}

/* --risk-free: "0.02" (a fraction), "2%" (percent), "series" or "series:NAME" (stored). */
static gboolean
parse_risk_free (const char  *text,
                 HsRiskFree  *rf,
                 GArray     **series,
                 int         *status)
{
  g_autoptr(HsStore) store = NULL;
  g_autofree char *num = NULL;
  GError *error = NULL;
  const char *name = HS_RATES_DEFAULT_SERIES;
  gboolean percent;

  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "series") || g_str_has_prefix (text, "series:"))
    {
      if (text[6] == ':')
        name = text + 7;
      store = hs_cli_open_store (hs_cli_db_option, &error);
      if (store == NULL || (*series = hs_store_load_rates (store, name, &error)) == NULL)
        {
          *status = hs_cli_fail (error);
          return FALSE;
        }
      rf->points = (const HsRatePoint *) (void *) (*series)->data;
      rf->n_points = (*series)->len;
      return TRUE;
    }
  percent = g_str_has_suffix (text, "%");
  num = g_strndup (text, strlen (text) - (percent ? 1 : 0));
  if (!parse_number (num, &rf->constant))
    {
      g_printerr ("hindsight-cli: bad --risk-free “%s”: give a rate (0.02 or 2%%), “series” or "
                  "“series:NAME”\n", text);
      *status = HS_EXIT_BAD_INPUT;
      return FALSE;
    }
  if (percent)
    rf->constant /= 100;
  return TRUE;
}

static void
print_json (const HsStatistics *st)
{
  g_autoptr(GString) out = g_string_new ("{");
  size_t n;
  const HsStatInfo *f = hs_stats_fields (&n);
  const char *base = (const char *) st;

  for (size_t i = 0; i < n; i++)
    {
      const void *p = base + f[i].offset;

      g_string_append (out, i ? ",\n " : "\n ");
      hs_cli_json_string (out, f[i].field);
      g_string_append_c (out, ':');
      switch (f[i].type)
        {
        case HS_STAT_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, *(const int64_t *) p);
          break;
        case HS_STAT_TEXT:
          if (*(char * const *) p != NULL)
            hs_cli_json_string (out, *(char * const *) p);
          else
            g_string_append (out, "null");
          break;
        case HS_STAT_DOUBLE:
        default:
          hs_cli_json_number (out, *(const double *) p);
          break;
        }
    }
  g_string_append (out, "\n}\n");
  fputs (out->str, stdout);
}

int
hs_cli_metrics (int    argc,
                char **argv)
{
  static const char * const equity_names[] = { "equity", "value", NULL };
  static const char * const bench_names[] = { "value", "close", "price", "benchmark", NULL };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *equity_path = NULL, *bench_path = NULL, *profile = NULL, *risk_free = NULL;
  g_autofree char *trades_path = NULL;
  g_autofree char *tz_name = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GArray) equity = NULL, bench = NULL, rates = NULL, trades = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int status = HS_EXIT_OK, days = 252;
  HsStatsInput in;
  HsStatistics st = { 0 };
  const GOptionEntry entries[] = {
    { "equity", 0, 0, G_OPTION_ARG_FILENAME, &equity_path, "Equity curve CSV: timestamp,equity",
      "FILE" },
    { "benchmark", 0, 0, G_OPTION_ARG_FILENAME, &bench_path, "Benchmark prices CSV: "
      "timestamp,value", "FILE" },
    { "trades", 0, 0, G_OPTION_ARG_FILENAME, &trades_path, "Closed trades CSV: entry_time,"
      "exit_time,pnl[,fees]", "FILE" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile, "default (sound conventions) or lean "
      "(QuantConnect LEAN's, exactly)", "P" },
    { "risk-free", 0, 0, G_OPTION_ARG_STRING, &risk_free, "Annual risk-free rate: 0.02 or 2%, or "
      "a stored series: series[:NAME] (default 0)", "R" },
    { "trading-days", 0, 0, G_OPTION_ARG_INT, &days, "Trading days per year (default 252)", "N" },
    { "tz", 0, 0, G_OPTION_ARG_STRING, &tz_name, "Time zone of times without an offset, and of "
      "day boundaries (default UTC; lean: America/New_York)", "ZONE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON, keys as the backtest_runs columns",
      NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Computes every backtest statistic of an equity curve (docs/statistics.md), with LEAN's\n"
    "names and formatting. Bad input exits 2 with FILE:LINE: reason.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1 || equity_path == NULL)
    {
      g_printerr ("hindsight-cli: metrics needs --equity FILE\n");
      return HS_EXIT_BAD_INPUT;
    }
  hs_stats_input_init (&in);
  if (profile != NULL && g_str_equal (profile, "lean"))
    in.profile = HS_STATS_PROFILE_LEAN;
  else if (profile != NULL && !g_str_equal (profile, "default"))
    {
      g_printerr ("hindsight-cli: --profile must be default or lean, not “%s”\n", profile);
      return HS_EXIT_BAD_INPUT;
    }
  if (days <= 0 || days > 366)
    {
      g_printerr ("hindsight-cli: --trading-days must be between 1 and 366\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (tz_name != NULL && (tz = g_time_zone_new_identifier (tz_name)) == NULL)
    {
      g_printerr ("hindsight-cli: unknown time zone “%s”\n", tz_name);
      return HS_EXIT_BAD_INPUT;
    }
  if (!parse_risk_free (risk_free, &in.risk_free, &rates, &status))
    return status;

  equity = read_series (equity_path, equity_names, "equity", TRUE, tz);
  if (equity == NULL)
    return HS_EXIT_BAD_INPUT;
  if (bench_path != NULL)
    {
      bench = read_series (bench_path, bench_names, "value", FALSE, tz);
      if (bench == NULL)
        return HS_EXIT_BAD_INPUT;
      in.benchmark = (const HsPoint *) (void *) bench->data;
      in.n_benchmark = bench->len;
    }
  if (trades_path != NULL)
    {
      trades = read_trades (trades_path, tz, &in.total_fees);
      if (trades == NULL)
        return HS_EXIT_BAD_INPUT;
      in.trades = (const HsClosedTrade *) (void *) trades->data;
      in.n_trades = trades->len;
    }
  in.equity = (const HsPoint *) (void *) equity->data;
  in.n_equity = equity->len;
  in.trading_days_per_year = days;
  in.day_tz = tz;
  if (!hs_statistics_compute (&in, &st, &error))
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      return HS_EXIT_BAD_INPUT;
    }

  if (json)
    print_json (&st);
  else
    {
      size_t n;
      const HsStatInfo *f = hs_stats_fields (&n);

      for (size_t i = 0; i < n; i++)
        {
          g_autofree char *text = hs_statistics_format (&st, &f[i]);

          printf ("%-28s %s\n", f[i].name, text[0] != '\0' ? text : "-");
        }
    }
  hs_statistics_clear (&st);
  return HS_EXIT_OK;
}

/* `import rates FILE [--series NAME] [--json]`: CSV date,rate_percent, one transaction. */
int
hs_cli_import_rates (int    argc,
                     char **argv)
{
  static const char * const time_names[] = { "date", "timestamp", "time", "datetime", NULL };
  static const char * const rate_names[] = { "rate_percent", "rate_pct", "rate", NULL };
  g_autoptr(GOptionContext) context = g_option_context_new ("rates FILE");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsCsvReader) reader = NULL;
  g_autofree char *series = NULL;
  GError *error = NULL;
  gboolean json = FALSE;
  int status = HS_EXIT_OK, rc, tcol, rcol;
  int64_t rows = 0, inserted = 0, first = 0, last = G_MININT64;
  const char *path;
  const GOptionEntry entries[] = {
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, "Series name (default "
      HS_RATES_DEFAULT_SERIES ")", "NAME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Stores an interest-rate series (the risk-free rate of the statistics) from a CSV\n"
    "date,rate_percent, one row per change: a rate holds until the next row. One transaction;\n"
    "rows already stored are skipped.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3 || !g_str_equal (argv[1], "rates"))
    {
      g_printerr ("hindsight-cli: import rates needs a FILE\n");
      return HS_EXIT_BAD_INPUT;
    }
  path = argv[2];
  if (series == NULL)
    series = g_strdup (HS_RATES_DEFAULT_SERIES);
  if (series[0] == '\0' || strlen (series) > 64)
    {
      g_printerr ("hindsight-cli: --series must be 1 to 64 bytes\n");
      return HS_EXIT_BAD_INPUT;
    }

  reader = hs_csv_reader_open (path, &error);
  if (reader == NULL)
    {
      g_prefix_error (&error, "%s: ", path);
      return hs_cli_fail (error);
    }
  rc = hs_csv_reader_next (reader, &error);
  if (rc <= 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: %s\n", path, hs_csv_reader_line (reader),
                  rc < 0 ? error->message : "the file is empty; it needs a header line");
      g_clear_error (&error);
      return HS_EXIT_BAD_INPUT;
    }
  tcol = find_column (reader, time_names);
  rcol = find_column (reader, rate_names);
  if (tcol < 0 || rcol < 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: the header must name a date column (date) and a rate "
                  "column (rate_percent)\n", path, hs_csv_reader_line (reader));
      return HS_EXIT_BAD_INPUT;
    }

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_store_begin (store, &error))
    return hs_cli_fail (error);
  while ((rc = hs_csv_reader_next (reader, &error)) > 0)
    {
      size_t line = hs_csv_reader_line (reader);
      g_autoptr(GError) local = NULL;
      gboolean added = FALSE;
      int64_t ts;
      double rate;

      if ((size_t) MAX (tcol, rcol) >= hs_csv_reader_n_fields (reader))
        {
          g_printerr ("hindsight-cli: %s:%zu: the row has %zu fields, the header more\n", path,
                      line, hs_csv_reader_n_fields (reader));
          hs_store_rollback (store);
          return HS_EXIT_BAD_INPUT;
        }
      if (!hs_time_parse (hs_csv_reader_field (reader, (size_t) tcol), NULL, &ts, &local))
        {
          g_printerr ("hindsight-cli: %s:%zu: %s\n", path, line, local->message);
          hs_store_rollback (store);
          return HS_EXIT_BAD_INPUT;
        }
      if (!parse_number (hs_csv_reader_field (reader, (size_t) rcol), &rate)
          || rate < -100 || rate > 1000)
        {
          g_printerr ("hindsight-cli: %s:%zu: rate “%s” is not a percentage\n", path, line,
                      hs_csv_reader_field (reader, (size_t) rcol));
          hs_store_rollback (store);
          return HS_EXIT_BAD_INPUT;
        }
      if (ts <= last)
        {
          g_printerr ("hindsight-cli: %s:%zu: the date is not after the previous row's\n", path,
                      line);
          hs_store_rollback (store);
          return HS_EXIT_BAD_INPUT;
        }
      if (!hs_store_insert_rate (store, series, ts, rate, &added, &error))
        {
          hs_store_rollback (store);
          return hs_cli_fail (error);
        }
      if (rows == 0)
        first = ts;
      last = ts;
      rows++;
      inserted += added;
    }
  if (rc < 0)
    {
      g_printerr ("hindsight-cli: %s:%zu: %s\n", path, hs_csv_reader_line (reader),
                  error->message);
      g_clear_error (&error);
      hs_store_rollback (store);
      return HS_EXIT_BAD_INPUT;
    }
  if (!hs_store_commit (store, &error))
    return hs_cli_fail (error);

  {
    char a[40] = "", b[40] = "";

    if (rows > 0)
      {
        hs_time_format_iso_buf (first, a);
        hs_time_format_iso_buf (last, b);
      }
    if (json)
      {
        g_autoptr(GString) out = g_string_new ("{\"kind\":\"rates\",\"file\":");

        hs_cli_json_string (out, path);
        g_string_append (out, ",\"series\":");
        hs_cli_json_string (out, series);
        g_string_append_printf (out, ",\"rows\":%" G_GINT64_FORMAT ",\"inserted\":%"
                                G_GINT64_FORMAT ",\"present\":%" G_GINT64_FORMAT
                                ",\"first\":\"%s\",\"last\":\"%s\"}\n",
                                rows, inserted, rows - inserted, a, b);
        fputs (out->str, stdout);
      }
    else
      printf ("%s: %" G_GINT64_FORMAT " rate rows for series %s, %" G_GINT64_FORMAT " new, %"
              G_GINT64_FORMAT " already stored, %s to %s\n", path, rows, series, inserted,
              rows - inserted, a, b);
  }
  return HS_EXIT_OK;
}
