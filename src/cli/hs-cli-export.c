/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `export trades|signals|backtest-trades --format csv|jsonl [--where QUERY] --out FILE`: the ML
 * export of docs/export.md (src/jobs/hs-export.c), with progress on stderr when it is a
 * terminal, and `export --columns DATASET` listing the columns with their types; `--select`
 * writes only the columns named (the Export page's choice).
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <unistd.h>

#include "hs-cli-common.h"
#include "hs-export-candles.h"
#include "hs-export.h"

static void
progress_cb (int64_t  done,
             int64_t  total,
             gpointer user_data)
{
  g_printerr ("\r%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " rows (%.0f %%)", done, total,
              total > 0 ? 100.0 * (double) done / (double) total : 100.0);
}

/* Splits --select into @chosen, each a name of @names; says what is wrong otherwise. */
static gboolean
parse_select (const char *select,
              const char *dataset,
              GPtrArray  *names,
              GStrv      *chosen)
{
  g_auto(GStrv) list = g_strsplit (select, ",", -1);

  for (size_t c = 0; list[c] != NULL; c++)
    {
      guint i = 0;

      while (i < names->len && !g_str_equal (names->pdata[i], list[c]))
        i++;
      if (i == names->len)
        {
          g_printerr ("hindsight-cli: --select: no column “%s” in %s (export %s --columns lists "
                      "them)\n", list[c], dataset, dataset);
          return FALSE;
        }
    }
  if (list[0] == NULL)
    {
      g_printerr ("hindsight-cli: --select needs at least one column\n");
      return FALSE;
    }
  *chosen = g_steal_pointer (&list);
  return TRUE;
}

/* `export candles --symbol S --interval I`: the stored bars of one instrument and interval. */
static int
export_candles (const HsExportCandlesRequest *req,
                gboolean                      list_columns,
                const char                   *format_arg,
                const char                   *where,
                const char                   *select,
                const char                   *out)
{
  g_auto(GStrv) chosen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  HsExportFormat format = HS_EXPORT_CSV;
  int64_t rows = 0;
  gboolean tty = isatty (STDERR_FILENO);

  if (list_columns)
    {
      for (size_t i = 0; i < hs_export_candles_n_columns (); i++)
        printf ("%s\t%s\n", hs_export_candles_column_name (i),
                hs_export_candles_column_type (i));
      return HS_EXIT_OK;
    }
  if (req->symbol == NULL || req->interval == NULL)
    {
      g_printerr ("hindsight-cli: export candles needs --symbol and --interval\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (where != NULL)
    {
      g_printerr ("hindsight-cli: export candles takes no --where (it writes every stored "
                  "bar)\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (format_arg != NULL && !hs_export_format_from_string (format_arg, &format))
    {
      g_printerr ("hindsight-cli: --format must be csv or jsonl\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (out == NULL)
    {
      g_printerr ("hindsight-cli: export needs --out FILE\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (select != NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (size_t i = 0; i < hs_export_candles_n_columns (); i++)
        g_ptr_array_add (names, (gpointer) hs_export_candles_column_name (i));
      if (!parse_select (select, "candles", names, &chosen))
        return HS_EXIT_BAD_INPUT;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (g_steal_pointer (&error));
  if (!hs_export_candles_run (store, req, format, (const char *const *) chosen, out,
                              tty ? progress_cb : NULL, NULL, NULL, &rows, &error))
    {
      if (tty)
        g_printerr ("\n");
      return hs_cli_fail (g_steal_pointer (&error));
    }
  if (tty)
    g_printerr ("\n");
  printf ("exported %" G_GINT64_FORMAT " candles to %s\n", rows, out);
  return HS_EXIT_OK;
}

int
hs_cli_export (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("trades|signals|backtest-trades|candles");
  g_autofree char *format_arg = NULL, *where = NULL, *out = NULL, *select = NULL;
  g_autofree char *symbol = NULL, *interval = NULL, *exchange = NULL;
  g_auto(GStrv) chosen = NULL;
  gboolean columns = FALSE;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_arg, "csv (default) or jsonl", "FORMAT" },
    { "where", 'w', 0, G_OPTION_ARG_STRING, &where, "Only the trades a training-query filter "
      "selects (docs/queries.md)", "QUERY" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The file to write (written as FILE.part, "
      "renamed when complete)", "FILE" },
    { "columns", 0, 0, G_OPTION_ARG_NONE, &columns, "List the dataset's columns and types",
      NULL },
    { "select", 's', 0, G_OPTION_ARG_STRING, &select, "Only these columns, in this order "
      "(comma-separated names from --columns)", "COL,COL,…" },
    { "symbol", 0, 0, G_OPTION_ARG_STRING, &symbol, "candles: the instrument", "SYMBOL" },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "candles: the stored interval",
      "INTERVAL" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "candles: the instrument's exchange",
      "EXCHANGE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = NULL;
  HsExportRequest req = { HS_EXPORT_TRADES, HS_EXPORT_CSV, NULL, NULL };
  size_t error_offset = 0;
  int64_t rows = 0;
  gboolean tty = isatty (STDERR_FILENO);

  g_option_context_set_summary (context,
    "Writes a dataset for machine learning: trades (paper trades with their context flattened\n"
    "to columns and their labels), signals, backtest-trades, or candles (the stored bars of\n"
    "one --symbol and --interval). Columns: docs/export.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc == 2 && g_str_equal (argv[1], "candles"))
    {
      HsExportCandlesRequest creq = { symbol, exchange, interval, 0 };

      return export_candles (&creq, columns, format_arg, where, select, out);
    }
  if (symbol != NULL || interval != NULL || exchange != NULL)
    {
      g_printerr ("hindsight-cli: --symbol, --interval and --exchange are for export candles\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (argc != 2 || !hs_export_dataset_from_string (argv[1], &req.dataset))
    {
      g_printerr ("hindsight-cli: export needs one dataset: trades, signals, backtest-trades "
                  "or candles\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (columns)
    {
      for (size_t i = 0; i < hs_export_n_columns (req.dataset); i++)
        printf ("%s\t%s\n", hs_export_column_name (req.dataset, i),
                hs_export_column_type (req.dataset, i));
      return HS_EXIT_OK;
    }
  if (format_arg != NULL && !hs_export_format_from_string (format_arg, &req.format))
    {
      g_printerr ("hindsight-cli: --format must be csv or jsonl\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (out == NULL)
    {
      g_printerr ("hindsight-cli: export needs --out FILE\n");
      return HS_EXIT_BAD_INPUT;
    }
  req.where = where;
  req.path = out;
  if (select != NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (size_t i = 0; i < hs_export_n_columns (req.dataset); i++)
        g_ptr_array_add (names, (gpointer) hs_export_column_name (req.dataset, i));
      if (!parse_select (select, argv[1], names, &chosen))
        return HS_EXIT_BAD_INPUT;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (g_steal_pointer (&error));
  if (!hs_export_run_select (store, &req, (const char *const *) chosen, tty ? progress_cb : NULL,
                             NULL, NULL, &rows, &error_offset, &error))
    {
      if (tty)
        g_printerr ("\n");
      if (error->domain == HS_QUERY_ERROR || g_str_has_prefix (error->message, "column "))
        {
          g_printerr ("in --where:\n");
          hs_cli_print_expr_error (where != NULL ? where : "", error_offset, error);
          return HS_EXIT_BAD_INPUT;
        }
      return hs_cli_fail (g_steal_pointer (&error));
    }
  if (tty)
    g_printerr ("\n");
  printf ("exported %" G_GINT64_FORMAT " %s to %s\n", rows,
          hs_export_dataset_to_string (req.dataset), out);
  return HS_EXIT_OK;
}
