/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `query FILTER [--select F,…] [--agg A …] [--group-by F] [--backtest|--signals] [--csv|--json]`: the
 * training queries of the time capsule (docs/queries.md). The filter is compiled to SQL by
 * src/store/hs-store-query.c; this file parses options, shows errors with a caret under their
 * place, and prints the rows as a table (default), CSV or JSON, streaming them.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-common.h"
#include "hs-expr.h"
#include "hs-flatten.h"
#include "hs-records.h"
#include "hs-store-query.h"
#include "hs-time.h"

/* Rows of the table format kept to size its columns; later rows use the same widths. */
#define TABLE_SAMPLE 1000

typedef enum
{
  OUT_TABLE,
  OUT_CSV,
  OUT_JSON,
} OutFormat;

typedef struct
{
  const HsQuery *query;
  OutFormat      format;
  GString       *line;
  GPtrArray     *sample;   /* (owned) table rows not printed yet, as GStrv */
  size_t        *widths;   /* (owned) table column widths, once printed */
  size_t         rows;
} Printer;

/* Splits "a, b,c" at the commas that are outside strings and parentheses. */
static void
split_list (GPtrArray  *out,
            const char *text)
{
  const char *start = text;
  int depth = 0;
  char quote = 0;

  for (const char *p = text;; p++)
    {
      if (quote != 0 && *p == '\\' && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (quote != 0 && *p == quote)
        quote = 0;
      else if (quote == 0 && (*p == '\'' || *p == '"'))
        quote = *p;
      else if (quote == 0 && *p == '(')
        depth++;
      else if (quote == 0 && *p == ')')
        depth--;
      if (*p == '\0' || (*p == ',' && quote == 0 && depth <= 0))
        {
          g_ptr_array_add (out, g_strstrip (g_strndup (start, (size_t) (p - start))));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
}

/* One cell as text: times ISO-8601, numbers shortest round-trip, NULL as NULL. */
static const char *
cell_text (const HsQueryCell *cell,
           HsQueryType        type,
           char               buf[40])
{
  switch (cell->kind)
    {
    case HS_QUERY_CELL_NULL:
      return NULL;
    case HS_QUERY_CELL_INTEGER:
      if (type == HS_QUERY_TYPE_TIME)
        hs_time_format_iso_buf (cell->integer, buf);
      else
        g_snprintf (buf, 40, "%" G_GINT64_FORMAT, cell->integer);
      return buf;
    case HS_QUERY_CELL_REAL:
      hs_format_double_fast (cell->real, buf);
      return buf;
    case HS_QUERY_CELL_TEXT:
    default:
      return cell->text;
    }
}

static void
print_table_row (Printer    *pr,
                 char      **cells)
{
  size_t n = hs_query_get_n_columns (pr->query);

  g_string_truncate (pr->line, 0);
  for (size_t i = 0; i < n; i++)
    {
      const char *s = cells[i] != NULL ? cells[i] : "";
      size_t w = (size_t) g_utf8_strlen (s, -1);

      g_string_append (pr->line, s);
      if (i + 1 < n)
        for (size_t k = w; k < pr->widths[i] + 2; k++)
          g_string_append_c (pr->line, ' ');
    }
  puts (pr->line->str);
}

/* Prints the sampled rows with widths fitted to them and the header. */
static void
flush_table (Printer *pr)
{
  size_t n = hs_query_get_n_columns (pr->query);
  g_auto(GStrv) header = g_new0 (char *, n + 1);

  if (pr->widths != NULL)
    return;
  pr->widths = g_new0 (size_t, n);
  for (size_t i = 0; i < n; i++)
    {
      header[i] = g_strdup (hs_query_get_column_name (pr->query, i));
      pr->widths[i] = (size_t) g_utf8_strlen (header[i], -1);
      for (unsigned r = 0; r < pr->sample->len; r++)
        {
          const char *s = ((char **) pr->sample->pdata[r])[i];

          if (s != NULL)
            pr->widths[i] = MAX (pr->widths[i], (size_t) g_utf8_strlen (s, -1));
        }
    }
  print_table_row (pr, header);
  for (unsigned r = 0; r < pr->sample->len; r++)
    print_table_row (pr, pr->sample->pdata[r]);
  g_ptr_array_set_size (pr->sample, 0);
}

static gboolean
print_row_cb (const HsQueryCell *cells,
              size_t             n,
              gpointer           user_data,
              GError           **error)
{
  Printer *pr = user_data;
  char buf[40];

  if (pr->format == OUT_TABLE)
    {
      char **row = g_new0 (char *, n + 1);

      for (size_t i = 0; i < n; i++)
        {
          const char *s = cell_text (&cells[i], hs_query_get_column_type (pr->query, i), buf);

          /* One line per row: line breaks inside a text show as a space. */
          row[i] = s != NULL ? g_strdelimit (g_strdup (s), "\r\n\t", ' ') : NULL;
        }
      if (pr->widths == NULL && pr->sample->len < TABLE_SAMPLE)
        g_ptr_array_add (pr->sample, row);
      else
        {
          flush_table (pr);
          print_table_row (pr, row);
          g_strfreev (row);
        }
      pr->rows++;
      return TRUE;
    }

  g_string_truncate (pr->line, 0);
  if (pr->format == OUT_JSON)
    g_string_append (pr->line, pr->rows == 0 ? "[\n{" : ",\n{");
  for (size_t i = 0; i < n; i++)
    {
      HsQueryType type = hs_query_get_column_type (pr->query, i);
      const char *s = cell_text (&cells[i], type, buf);

      if (pr->format == OUT_CSV)
        {
          if (i > 0)
            g_string_append_c (pr->line, ',');
          if (s != NULL)
            hs_csv_append_field (pr->line, s, strlen (s));
          continue;
        }
      if (i > 0)
        g_string_append_c (pr->line, ',');
      hs_json_append_string (pr->line, hs_query_get_column_name (pr->query, i),
                             strlen (hs_query_get_column_name (pr->query, i)));
      g_string_append_c (pr->line, ':');
      if (s == NULL)
        g_string_append (pr->line, "null");
      else if (cells[i].kind == HS_QUERY_CELL_TEXT && type == HS_QUERY_TYPE_LIST)
        g_string_append (pr->line, s);   /* a JSON array, valid by the column's CHECK */
      else if (cells[i].kind == HS_QUERY_CELL_TEXT || type == HS_QUERY_TYPE_TIME)
        hs_json_append_string (pr->line, s, strlen (s));
      else
        g_string_append (pr->line, s);
    }
  if (pr->format == OUT_JSON)
    g_string_append_c (pr->line, '}');
  else
    g_string_append_c (pr->line, '\n');
  fputs (pr->line->str, stdout);
  pr->rows++;
  return TRUE;
}

/* The header line of the CSV format. */
static void
print_csv_header (const HsQuery *q)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (size_t i = 0; i < hs_query_get_n_columns (q); i++)
    {
      const char *name = hs_query_get_column_name (q, i);

      if (i > 0)
        g_string_append_c (line, ',');
      hs_csv_append_field (line, name, strlen (name));
    }
  puts (line->str);
}

static int
explain (HsStore       *store,
         const HsQuery *q)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = hs_store_query_explain (store, q, &error);

  if (plan == NULL)
    return hs_cli_fail (g_steal_pointer (&error));
  printf ("%s\n", hs_query_get_sql (q));
  for (size_t i = 0; i < hs_query_get_n_params (q); i++)
    {
      g_autofree char *p = hs_query_describe_param (q, i);

      printf ("  %s\n", p);
    }
  printf ("plan:\n%s", plan);
  return HS_EXIT_OK;
}

int
hs_cli_query (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[FILTER]");
  g_auto(GStrv) select_args = NULL, agg_args = NULL;
  g_autofree char *group_by = NULL;
  gboolean backtest = FALSE, signals = FALSE, csv = FALSE, json = FALSE, fields = FALSE, explain_only = FALSE;
  gint64 limit = 0;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "select", 's', 0, G_OPTION_ARG_STRING_ARRAY, &select_args, "Columns: fields or "
      "expressions, separated by commas (repeatable); default: id, symbol, side, times, prices, "
      "pnl_pct", "F,…" },
    { "agg", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &agg_args, "An aggregate: count, count:F, "
      "avg:F, median:F, min:F, max:F (repeatable; replaces --select)", "A" },
    { "group-by", 'g', 0, G_OPTION_ARG_STRING, &group_by, "Aggregate per value of this field",
      "F" },
    { "backtest", 'b', 0, G_OPTION_ARG_NONE, &backtest, "Query backtest_trades instead of the "
      "paper trades", NULL },
    { "signals", 0, 0, G_OPTION_ARG_NONE, &signals, "Query the signal ledger's signals instead "
      "of the paper trades", NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT64, &limit, "At most N rows", "N" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "CSV with a header line", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "A JSON array of objects, one per line", NULL },
    { "fields", 0, 0, G_OPTION_ARG_NONE, &fields, "List the fields and their types", NULL },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain_only, "Print the SQL, its parameters and "
      "SQLite's plan instead of running it", NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) select = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) aggs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) filter = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsQuery) q = NULL;
  HsQueryRequest req = { HS_QUERY_PAPER_TRADES, NULL, NULL, NULL, NULL, 0 };
  const char *error_text = NULL;
  size_t error_offset = 0;
  Printer pr = { NULL, OUT_TABLE, NULL, NULL, NULL, 0 };

  g_option_context_set_summary (context,
    "Selects paper trades (or backtest trades, or signals) by a filter in the expression language over\n"
    "their fields, context and labels, e.g.\n"
    "  hindsight-cli query 'signals.5m.rsi > 70 and target_pnl_1h < -10' "
    "--select regime.spy.vix\n"
    "  hindsight-cli query 'ai.confidence_score >= 7' --agg count --agg median:pnl_pct "
    "--group-by regime.sector.ticker\n"
    "Fields: --fields; language and semantics: docs/queries.md. Put -- before a filter that\n"
    "starts with -.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (backtest && signals)
    return hs_cli_usage_error ("--backtest and --signals do not go together");
  req.source = backtest ? HS_QUERY_BACKTEST_TRADES
               : signals ? HS_QUERY_SIGNALS : HS_QUERY_PAPER_TRADES;
  if (fields)
    {
      g_autofree char *list = hs_query_field_list (req.source);

      fputs (list, stdout);
      return HS_EXIT_OK;
    }
  if (csv && json)
    {
      g_printerr ("hindsight-cli: --csv and --json do not go together\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (limit < 0)
    {
      g_printerr ("hindsight-cli: --limit must be 0 (all) or more\n");
      return HS_EXIT_BAD_INPUT;
    }
  /* The filter is the rest of the arguments, joined by spaces ("--" is GOption's). */
  for (int i = 1; i < argc; i++)
    if (!g_str_equal (argv[i], "--"))
      g_string_append_printf (filter, "%s%s", filter->len ? " " : "", argv[i]);
  for (size_t i = 0; select_args != NULL && select_args[i] != NULL; i++)
    split_list (select, select_args[i]);
  g_ptr_array_add (select, NULL);
  for (size_t i = 0; agg_args != NULL && agg_args[i] != NULL; i++)
    g_ptr_array_add (aggs, g_strdup (agg_args[i]));
  g_ptr_array_add (aggs, NULL);

  req.filter = filter->str;
  req.select = select->len > 1 ? (const char *const *) select->pdata : NULL;
  req.aggregates = aggs->len > 1 ? (const char *const *) aggs->pdata : NULL;
  req.group_by = group_by;
  req.limit = limit;
  q = hs_query_compile (&req, &error_text, &error_offset, &error);
  if (q == NULL)
    {
      if (error_text != NULL && error_text != filter->str)
        g_printerr ("in “%s”:\n", error_text);
      hs_cli_print_expr_error (error_text != NULL ? error_text : "", error_offset, error);
      return HS_EXIT_BAD_INPUT;
    }

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (g_steal_pointer (&error));
  if (explain_only)
    return explain (store, q);

  pr.query = q;
  pr.format = csv ? OUT_CSV : json ? OUT_JSON : OUT_TABLE;
  pr.line = g_string_sized_new (256);
  pr.sample = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (pr.format == OUT_CSV)
    print_csv_header (q);
  if (!hs_store_query_run (store, q, print_row_cb, &pr, NULL, &error))
    status = hs_cli_fail (g_steal_pointer (&error));
  else if (pr.format == OUT_JSON)
    fputs (pr.rows == 0 ? "[]\n" : "\n]\n", stdout);
  else if (pr.format == OUT_TABLE)
    {
      flush_table (&pr);
      printf ("(%zu row%s)\n", pr.rows, pr.rows == 1 ? "" : "s");
    }
  g_string_free (pr.line, TRUE);
  g_ptr_array_unref (pr.sample);
  g_free (pr.widths);
  return status;
}
