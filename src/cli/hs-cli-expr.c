/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `expr check EXPR…` parses and checks expressions (docs/expressions.md) and shows where each
 * error is; `indicator SYMBOL --interval I EXPR…` evaluates expressions over stored bars and
 * prints one row per bar as CSV or JSON (stable formats, documented in the README). The whole
 * series is loaded up to --to so that values from --from on have their warm-up behind them.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-common.h"
#include "hs-eval.h"
#include "hs-expr.h"
#include "hs-interval.h"
#include "hs-records.h"
#include "hs-resample.h"
#include "hs-store-market.h"
#include "hs-time.h"

/* GOption leaves a "--" (which lets an expression start with "-") among the arguments. */
static void
drop_double_dash (int   *argc,
                  char **argv)
{
  for (int i = 1; i < *argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        memmove (argv + i, argv + i + 1, (size_t) (*argc - i - 1) * sizeof (char *));
        (*argc)--;
        return;
      }
}

int
hs_cli_expr (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("check EXPR…");
  gboolean parse_only = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "parse-only", 0, 0, G_OPTION_ARG_NONE, &parse_only, "Check the syntax only, not the names "
      "and arguments (for filters whose names are not series)", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "check  parses each expression and checks its functions and arguments; prints\n"
    "       “ok: CANONICAL FORM” per expression, or the expression, a caret under the error\n"
    "       and “column N: message”, and exits with status 2.\n"
    "Grammar and functions: docs/expressions.md. Put -- before an expression that starts with -.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  drop_double_dash (&argc, argv);
  if (argc < 3 || !g_str_equal (argv[1], "check"))
    {
      g_printerr ("hindsight-cli: expr needs check and at least one EXPR\n");
      return HS_EXIT_BAD_INPUT;
    }
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsExpr) e = NULL;
      g_autofree char *canonical = NULL;
      size_t offset = 0;

      e = hs_expr_parse (argv[i], &offset, &error);
      if (e == NULL || (!parse_only && !hs_eval_check (e, NULL, &offset, &error)))
        {
          hs_cli_print_expr_error (argv[i], offset, error);
          status = HS_EXIT_BAD_INPUT;
          continue;
        }
      canonical = hs_expr_print (e);
      printf ("ok: %s\n", canonical);
    }
  return status;
}

/* A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break. */
static void
append_csv_field (GString    *out,
                  const char *s)
{
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The function list for --help, wrapped at 90 columns and indented. */
static char *
wrapped_functions (void)
{
  g_autofree char *list = hs_eval_function_list ();
  g_auto(GStrv) items = g_strsplit (list, "), ", -1);
  GString *out = g_string_new ("  ");
  size_t line = 2;

  for (size_t i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s%s", items[i], items[i + 1] ? ")," : "");

      if (line > 2 && line + 1 + strlen (item) > 90)
        {
          g_string_append (out, "\n  ");
          line = 2;
        }
      else if (line > 2)
        {
          g_string_append_c (out, ' ');
          line++;
        }
      g_string_append (out, item);
      line += strlen (item);
    }
  return g_string_free (out, FALSE);
}

/* Loads the bars from the first stored one to @to_ts, resampled when @resample is set. */
static HsBars *
load_bars (HsStore       *store,
           int64_t        id,
           const char    *interval,
           int64_t        to_ts,
           const char    *resample,
           HsSessionKind  session,
           GError       **error)
{
  g_autoptr(HsBars) bars = hs_store_load_bars (store, id, interval, G_MININT64, to_ts, error);
  g_autoptr(HsResampled) r = NULL;

  if (bars == NULL || resample == NULL)
    return g_steal_pointer (&bars);
  r = hs_resample (bars, resample, session, error);
  if (r == NULL)
    return NULL;
  return g_steal_pointer (&r->bars);
}

int
hs_cli_indicator (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SYMBOL EXPR…");
  g_autoptr(HsStore) store = NULL;
  g_autofree char *interval = NULL, *from = NULL, *to = NULL, *format = NULL, *exchange = NULL;
  g_autofree char *resample = NULL, *session_arg = NULL, *functions = NULL, *summary = NULL;
  g_autoptr(GPtrArray) exprs = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_expr_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(HsEval) ev = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int64_t from_ts = G_MININT64, to_ts = G_MAXINT64, id = 0;
  HsSessionKind session = HS_SESSION_US_EQUITY;
  HsEvalContext ctx = { 0 };
  gboolean json;
  int64_t rows = 0;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Interval of the stored bars "
      "(required)", "I" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "Exchange of the symbol", "E" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "First bar printed (inclusive; earlier bars "
      "still warm the indicators up)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Last bar (inclusive; a date covers the whole day)",
      "DATE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "csv (default) or json", "FORMAT" },
    { "resample", 'r', 0, G_OPTION_ARG_STRING, &resample, "Evaluate over the bars resampled to "
      "this longer interval (5m, 15m, 1h, 4h, 1d, 1w, 1mo …)", "I" },
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_arg, "Session for --resample and tf=: us "
      "(09:30–16:00 New York) or 24x7 (UTC); default 24x7 for crypto, fx and prediction "
      "instruments, us otherwise", "S" },
    { NULL }
  };

  functions = wrapped_functions ();
  summary = g_strdup_printf (
    "Evaluates each expression at every bar and prints a row per bar: CSV with the header\n"
    "timestamp,EXPR,… (ISO-8601 UTC), or JSON objects keyed by the expressions; a value is\n"
    "empty (null) while it is not defined, e.g. during an indicator's warm-up.\n\n"
    "Series: open high low close volume vwap. Functions:\n%s\n"
    "each with tf=I as an optional last argument: computed on longer bars, of which each bar\n"
    "sees the last complete one. Grammar: docs/expressions.md.\n"
    "Put -- before an expression that starts with -.", functions);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  drop_double_dash (&argc, argv);
  if (argc < 3 || interval == NULL)
    {
      g_printerr ("hindsight-cli: indicator needs a SYMBOL, --interval and at least one EXPR\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (hs_interval_lookup (interval) == NULL)
    {
      g_autofree char *names = hs_interval_names ();

      g_printerr ("hindsight-cli: unknown interval “%s”; use one of %s\n", interval, names);
      return HS_EXIT_BAD_INPUT;
    }
  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      g_printerr ("hindsight-cli: --format must be csv or json\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (session_arg != NULL && !hs_session_kind_from_string (session_arg, &session))
    {
      g_printerr ("hindsight-cli: --session must be us or 24x7\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (resample != NULL
      && !hs_resample_check_interval (hs_interval_lookup (interval)->seconds, resample, &error))
    {
      g_printerr ("hindsight-cli: --resample: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  if ((from != NULL && !hs_time_parse_bound (from, FALSE, &from_ts, &error))
      || (to != NULL && !hs_time_parse_bound (to, TRUE, &to_ts, &error)))
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  /* Every expression is parsed and checked before the database is opened. */
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GError) perr = NULL;
      size_t offset = 0;
      HsExpr *e = hs_expr_parse (argv[i], &offset, &perr);

      if (e == NULL || !hs_eval_check (e, NULL, &offset, &perr))
        {
          hs_expr_free (e);
          hs_cli_print_expr_error (argv[i], offset, perr);
          return HS_EXIT_BAD_INPUT;
        }
      g_ptr_array_add (exprs, e);
    }

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_store_find_instrument (store, argv[1], exchange, &id, &error))
    return hs_cli_fail (error);
  if (session_arg == NULL)
    {
      g_autoptr(HsInstrument) inst = hs_store_load_instrument (store, id, &error);

      if (inst == NULL)
        return hs_cli_fail (error);
      session = hs_session_kind_for_instrument (inst->kind);
    }
  bars = load_bars (store, id, interval, to_ts, resample, session, &error);
  if (bars == NULL)
    return hs_cli_fail (error);

  ctx.bars = bars;
  ctx.interval = resample ? resample : interval;
  ctx.session = session;
  ev = hs_eval_new (&ctx);
  for (guint k = 0; k < exprs->len; k++)
    {
      g_autoptr(GError) eerr = NULL;
      size_t offset = 0;
      double *v = hs_eval_run (ev, exprs->pdata[k], &offset, &eerr);

      if (v == NULL)
        {
          hs_cli_print_expr_error (argv[2 + k], offset, eerr);
          return HS_EXIT_BAD_INPUT;
        }
      g_ptr_array_add (values, v);
    }

  json = format != NULL && g_str_equal (format, "json");
  if (json)
    g_string_append_c (out, '[');
  else
    {
      g_string_append (out, "timestamp");
      for (int i = 2; i < argc; i++)
        {
          g_string_append_c (out, ',');
          append_csv_field (out, argv[i]);
        }
      g_string_append_c (out, '\n');
    }
  for (size_t i = 0; i < bars->n; i++)
    {
      char ts[40];

      if (bars->ts[i] < from_ts)
        continue;
      hs_time_format_iso_buf (bars->ts[i], ts);
      if (json)
        g_string_append_printf (out, "%s\n{\"timestamp\":\"%s\"", rows ? "," : "", ts);
      else
        g_string_append (out, ts);
      for (guint k = 0; k < values->len; k++)
        {
          double v = ((const double *) values->pdata[k])[i];

          if (json)
            {
              g_string_append_c (out, ',');
              hs_cli_json_string (out, argv[2 + k]);
              g_string_append_c (out, ':');
              if (isfinite (v))
                {
                  char num[32];

                  hs_format_double_computed (v, num);
                  g_string_append (out, num);
                }
              else
                g_string_append (out, "null");
            }
          else
            {
              char num[32];

              g_string_append_c (out, ',');
              if (isfinite (v))
                {
                  hs_format_double_computed (v, num);
                  g_string_append (out, num);
                }
            }
        }
      g_string_append (out, json ? "}" : "\n");
      rows++;
      if (out->len > 1 << 16)
        {
          fwrite (out->str, 1, out->len, stdout);
          g_string_truncate (out, 0);
        }
    }
  if (json)
    g_string_append (out, "\n]\n");
  fwrite (out->str, 1, out->len, stdout);
  return HS_EXIT_OK;
}
