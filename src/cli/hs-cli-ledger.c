/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signal ledger from the command line (docs/ledger.md, README "Signal ledger"):
 * `import ledger FILE.jsonl` streams a bot's decisions in; `ledger list|show|risk` read them
 * back; `replay` re-runs a rule set over the stored bars and lists where it drifts from the
 * record. --json output is stable and documented.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-common.h"
#include "hs-expr.h"
#include "hs-import.h"
#include "hs-ledger.h"
#include "hs-resample.h"
#include "hs-store-ledger.h"
#include "hs-strategy.h"
#include "hs-time.h"

/* Bad rule sets and files are the user's input (exit 2); the rest is a failure (1). */
static int
fail (GError *error)
{
  if (error->domain == HS_STRATEGY_ERROR || error->domain == HS_EXPR_ERROR
      || error->domain == JSON_PARSER_ERROR || error->domain == G_FILE_ERROR)
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  return hs_cli_fail (error);
}

static void
json_time (GString *out,
           int64_t  ts)
{
  char buf[40];

  hs_time_format_iso_buf (ts, buf);
  hs_cli_json_string (out, buf);
}

/* ---- import ledger ----------------------------------------------------------------------- */

int
hs_cli_import_ledger (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE.jsonl");
  g_autoptr(HsStore) store = NULL;
  HsLedgerImportResult r = { 0 };
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the counts as JSON", NULL },
    { NULL }
  };

  /* argv[0] is "import", argv[1] "ledger". */
  argc--;
  argv++;
  g_option_context_set_summary (context,
    "Imports a trading bot's signal ledger: JSON Lines of signals, risk vetoes, orders, fills,\n"
    "account snapshots and risk days (docs/ledger.md), in one transaction: all of it, or\n"
    "nothing and FILE:LINE: field: reason. Records refer to earlier lines or stored rows by the\n"
    "bot's ids; slippage and latency are computed when not given; round trips go to\n"
    "trade_ledger. Importing a file again adds nothing.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return hs_cli_usage_error ("import ledger needs one FILE");
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_ledger_import (store, argv[1], NULL, &r, &error))
    return hs_cli_fail (error);
  if (json)
    {
      g_autoptr(GString) out = g_string_new ("{\"file\":");

      hs_cli_json_string (out, argv[1]);
      g_string_append_printf (out, ",\"lines\":%" G_GINT64_FORMAT ",\"records\":{", r.lines);
      for (int k = 0; k < HS_LEDGER_N_KINDS; k++)
        g_string_append_printf (out, "%s\"%s\":{\"rows\":%" G_GINT64_FORMAT ",\"inserted\":%"
                                G_GINT64_FORMAT ",\"updated\":%" G_GINT64_FORMAT
                                ",\"present\":%" G_GINT64_FORMAT "}", k > 0 ? "," : "",
                                hs_ledger_kind_to_string ((HsLedgerKind) k), r.rows[k],
                                r.inserted[k], r.updated[k], r.present[k]);
      g_string_append_printf (out, "},\"trade_ledger\":{\"inserted\":%" G_GINT64_FORMAT
                              ",\"updated\":%" G_GINT64_FORMAT ",\"present\":%" G_GINT64_FORMAT
                              "}}\n", r.trades_inserted, r.trades_updated, r.trades_present);
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }
  printf ("%s: %" G_GINT64_FORMAT " lines\n", argv[1], r.lines);
  for (int k = 0; k < HS_LEDGER_N_KINDS; k++)
    if (r.rows[k] > 0)
      printf ("  %-12s %5" G_GINT64_FORMAT ": %" G_GINT64_FORMAT " new, %" G_GINT64_FORMAT
              " updated, %" G_GINT64_FORMAT " already stored\n",
              hs_ledger_kind_to_string ((HsLedgerKind) k), r.rows[k], r.inserted[k],
              r.updated[k], r.present[k]);
  printf ("  %-12s        %" G_GINT64_FORMAT " new, %" G_GINT64_FORMAT " updated, %"
          G_GINT64_FORMAT " unchanged\n", "trade_ledger", r.trades_inserted, r.trades_updated,
          r.trades_present);
  return HS_EXIT_OK;
}

/* ---- ledger list | show | risk ----------------------------------------------------------- */

static void
append_number_or_dash (GString *out,
                       double   v,
                       int      width)
{
  if (isnan (v))
    g_string_append_printf (out, "%*s", width, "-");
  else
    g_string_append_printf (out, "%*.10g", width, v);
}

static int
ledger_list (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *symbol = NULL, *from = NULL, *to = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int64_t from_ts = G_MININT64, to_ts = G_MAXINT64;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "Only this symbol's signals", "S" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "From this time (ISO-8601 UTC or a date)", "T" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Up to this time (a date: its whole day)", "T" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Lists signals by time with their chain: vetoes, "
                                         "orders, fills and the round trip's status and P&L.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return hs_cli_usage_error ("ledger list: unexpected argument “%s”", argv[1]);
  if ((from != NULL && !hs_time_parse_bound (from, FALSE, &from_ts, &error))
      || (to != NULL && !hs_time_parse_bound (to, TRUE, &to_ts, &error)))
    {
      status = hs_cli_usage_error ("%s", error->message);
      g_error_free (error);
      return status;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL
      || (rows = hs_store_ledger_list_signals (store, symbol, from_ts, to_ts, &error)) == NULL)
    return hs_cli_fail (error);
  if (json)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < rows->len; i++)
        {
          HsLedgerSignalRow *r = rows->pdata[i];

          g_string_append_printf (out, "%s\n{\"id\":%" G_GINT64_FORMAT ",\"key\":",
                                  i > 0 ? "," : "", r->id);
          if (r->key != NULL)
            hs_cli_json_string (out, r->key);
          else
            g_string_append (out, "null");
          g_string_append (out, ",\"symbol\":");
          hs_cli_json_string (out, r->symbol);
          g_string_append (out, ",\"ts\":");
          json_time (out, r->ts);
          g_string_append (out, ",\"strategy\":");
          hs_cli_json_string (out, r->strategy);
          g_string_append (out, ",\"setup\":");
          hs_cli_json_string (out, r->setup);
          g_string_append (out, ",\"signal_type\":");
          hs_cli_json_string (out, r->signal_type);
          g_string_append (out, ",\"status\":");
          hs_cli_json_string (out, r->status);
          g_string_append (out, ",\"price\":");
          hs_cli_json_number (out, r->price);
          g_string_append (out, ",\"confidence\":");
          hs_cli_json_number (out, r->confidence);
          g_string_append_printf (out, ",\"vetoes\":%" G_GINT64_FORMAT ",\"orders\":%"
                                  G_GINT64_FORMAT ",\"fills\":%" G_GINT64_FORMAT
                                  ",\"trade_status\":", r->n_vetoes, r->n_orders, r->n_fills);
          if (r->trade_status != NULL)
            hs_cli_json_string (out, r->trade_status);
          else
            g_string_append (out, "null");
          g_string_append (out, ",\"net_pnl\":");
          hs_cli_json_number (out, r->net_pnl);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }
  g_string_append_printf (out, "%6s  %-12s %-8s %-20s %-14s %-11s %-9s %10s %3s %3s %3s  %-6s "
                          "%10s\n", "ID", "KEY", "SYMBOL", "TIME", "STRATEGY", "TYPE", "STATUS",
                          "PRICE", "VET", "ORD", "FIL", "TRADE", "NET_PNL");
  for (guint i = 0; i < rows->len; i++)
    {
      HsLedgerSignalRow *r = rows->pdata[i];
      char when[40];

      hs_time_format_iso_buf (r->ts, when);
      g_string_append_printf (out, "%6" G_GINT64_FORMAT "  %-12s %-8s %-20s %-14s %-11s %-9s ",
                              r->id, r->key ? r->key : "-", r->symbol, when, r->strategy,
                              r->signal_type, r->status);
      append_number_or_dash (out, r->price, 10);
      g_string_append_printf (out, " %3" G_GINT64_FORMAT " %3" G_GINT64_FORMAT " %3"
                              G_GINT64_FORMAT "  %-6s ", r->n_vetoes, r->n_orders, r->n_fills,
                              r->trade_status ? r->trade_status : "-");
      append_number_or_dash (out, r->net_pnl, 10);
      g_string_append_c (out, '\n');
    }
  if (rows->len == 0)
    g_string_append (out, "(no signals)\n");
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

/* The text form of `ledger show`: the JSON object as an indented outline. */
static void
outline (GString    *out,
         JsonNode   *node,
         const char *name,
         int         depth)
{
  if (depth > 0)
    g_string_append_printf (out, "%*s", depth * 2, "");
  if (name != NULL)
    g_string_append_printf (out, "%s:", name);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (o);

      g_string_append_c (out, '\n');
      for (GList *l = members; l != NULL; l = l->next)
        outline (out, json_object_get_member (o, l->data), l->data, depth + 1);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      guint n = json_array_get_length (a);
      gboolean scalars = TRUE;

      for (guint i = 0; i < n; i++)
        scalars = scalars && JSON_NODE_HOLDS_VALUE (json_array_get_element (a, i));
      if (scalars || n == 0)
        {
          g_autofree char *text = json_to_string (node, FALSE);

          g_string_append_printf (out, " %s\n", text);
          return;
        }
      g_string_append_printf (out, " (%u)\n", n);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *item = g_strdup_printf ("[%u]", i + 1);

          outline (out, json_array_get_element (a, i), item, depth + 1);
        }
    }
  else
    {
      GType t = JSON_NODE_HOLDS_NULL (node) ? G_TYPE_NONE : json_node_get_value_type (node);
      /* Ten significant digits: SQLite writes doubles with seventeen. */
      g_autofree char *text = t == G_TYPE_NONE ? g_strdup ("-")
                              : t == G_TYPE_STRING ? g_strdup (json_node_get_string (node))
                              : t == G_TYPE_DOUBLE
                              ? g_strdup_printf ("%.10g", json_node_get_double (node))
                              : json_to_string (node, FALSE);

      g_string_append_printf (out, " %s\n", text);
    }
}

static int
ledger_show (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean json = FALSE;
  GError *error = NULL;
  int64_t id = 0;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the JSON object", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Shows one signal (by row id, or by the bot's key) "
                                         "with its vetoes, orders, fills and round trips.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return hs_cli_usage_error ("ledger show needs one signal ID");
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (!hs_parse_int64 (argv[1], &id))
    {
      HsLedgerSignalRef ref = { 0 };
      gboolean found = FALSE;

      if (!hs_store_ledger_find_signal (store, argv[1], &ref, &found, &error))
        return hs_cli_fail (error);
      if (!found)
        {
          g_printerr ("hindsight-cli: no signal with id or key “%s”\n", argv[1]);
          return HS_EXIT_FAILURE;
        }
      id = ref.id;
    }
  text = hs_store_ledger_signal_json (store, id, &error);
  if (text == NULL)
    return hs_cli_fail (error);
  if (json)
    {
      printf ("%s\n", text);
      return HS_EXIT_OK;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &error))
    return hs_cli_fail (error);
  outline (out, json_parser_get_root (parser), NULL, -1);
  /* The top level has no name: drop the line its (empty) header made. */
  fputs (out->str[0] == '\n' ? out->str + 1 : out->str, stdout);
  return HS_EXIT_OK;
}

static int
ledger_risk (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array", NULL },
    { NULL }
  };

  g_option_context_set_summary (context, "Lists the daily risk roll-up (risk_days, as the bot "
                                         "sent it) next to the trade ledger's own count and R "
                                         "of round trips entered that UTC day.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return hs_cli_usage_error ("ledger risk: unexpected argument “%s”", argv[1]);
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || (rows = hs_store_ledger_list_risk (store, &error)) == NULL)
    return hs_cli_fail (error);
  if (json)
    {
      g_string_append_c (out, '[');
      for (guint i = 0; i < rows->len; i++)
        {
          HsLedgerRiskRow *r = rows->pdata[i];

          g_string_append_printf (out, "%s\n{\"day\":\"%s\",\"trades_taken\":%" G_GINT64_FORMAT
                                  ",\"r_realized\":", i > 0 ? "," : "", r->day,
                                  r->trades_taken);
          hs_cli_json_number (out, r->r_realized);
          g_string_append (out, ",\"max_drawdown\":");
          hs_cli_json_number (out, r->max_drawdown);
          g_string_append_printf (out, ",\"breach_flags\":%s,\"ledger_trades\":%"
                                  G_GINT64_FORMAT ",\"ledger_r\":", r->breach_flags,
                                  r->ledger_trades);
          hs_cli_json_number (out, r->ledger_r);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }
  g_string_append_printf (out, "%-10s %6s %8s %8s  %-28s %7s %8s\n", "DAY", "TRADES", "R",
                          "MAX_DD%", "BREACHES", "LEDGER", "LEDGER_R");
  for (guint i = 0; i < rows->len; i++)
    {
      HsLedgerRiskRow *r = rows->pdata[i];

      g_string_append_printf (out, "%-10s %6" G_GINT64_FORMAT " ", r->day, r->trades_taken);
      append_number_or_dash (out, r->r_realized, 8);
      g_string_append_c (out, ' ');
      append_number_or_dash (out, r->max_drawdown, 8);
      g_string_append_printf (out, "  %-28s %7" G_GINT64_FORMAT " ", r->breach_flags,
                              r->ledger_trades);
      append_number_or_dash (out, r->ledger_r, 8);
      g_string_append_c (out, '\n');
    }
  if (rows->len == 0)
    g_string_append (out, "(no risk days)\n");
  fputs (out->str, stdout);
  return HS_EXIT_OK;
}

int
hs_cli_ledger (int    argc,
               char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return ledger_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return ledger_show (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "risk"))
    return ledger_risk (argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("Usage: hindsight-cli ledger list|show ID|risk [--json]\n"
              "  list   signals with their chain (--symbol, --from, --to)\n"
              "  show   one signal with vetoes, orders, fills and round trips\n"
              "  risk   the daily risk roll-up\n"
              "Import with: hindsight-cli import ledger FILE.jsonl (docs/ledger.md)\n");
      return HS_EXIT_OK;
    }
  return hs_cli_usage_error ("ledger needs list, show ID or risk (ledger --help)");
}

/* ---- replay ------------------------------------------------------------------------------ */

static void
json_decision (GString                *out,
               const HsLedgerDecision *d,
               gboolean                recorded)
{
  g_string_append (out, "{\"ts\":");
  json_time (out, d->ts);
  g_string_append_printf (out, ",\"side\":\"%s\",\"price\":", d->side > 0 ? "buy" : "sell");
  hs_cli_json_number (out, d->price);
  if (recorded)
    g_string_append_printf (out, ",\"id\":%" G_GINT64_FORMAT, d->id);
  g_string_append (out, ",\"what\":");
  hs_cli_json_string (out, d->what);
  g_string_append_c (out, '}');
}

/* @last: the line's last column, printed whole; else padded and cut to its width. */
static void
text_decision (GString                *out,
               const HsLedgerDecision *d,
               gboolean                last)
{
  char when[40], price[32];

  if (d == NULL)
    {
      g_string_append_printf (out, "%-58s", "-");
      return;
    }
  hs_time_format_iso_buf (d->ts, when);
  if (isnan (d->price))
    g_strlcpy (price, "-", sizeof price);
  else
    hs_format_double (d->price, price);
  g_string_append_printf (out, last ? "%-24s %-4s %9s %s" : "%-24s %-4s %9s %-18.18s", when,
                          d->side > 0 ? "buy" : "sell", price, d->what);
}

int
hs_cli_replay (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autofree char *rules = NULL, *symbol = NULL, *exchange = NULL, *interval = NULL;
  g_autofree char *from = NULL, *to = NULL, *strategy = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  HsReplayRequest req = { 0 };
  HsReplayResult res = { 0 };
  double tolerance_s = 0, price_tol = -1;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  char from_text[40], to_text[40];
  const GOptionEntry entries[] = {
    { "rules", 0, 0, G_OPTION_ARG_FILENAME, &rules, "The rule set (JSON, as for backtest)",
      "FILE" },
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "The instrument", "S" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "Its exchange, when ambiguous", "E" },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &interval, "Bar interval (default 1m)", "I" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Start (ISO-8601 UTC or a date)", "D" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "End (a date: its whole day)", "D" },
    { "tolerance", 0, 0, G_OPTION_ARG_DOUBLE, &tolerance_s, "Seconds two decisions may be "
      "apart and still pair (default: one bar)", "S" },
    { "price-tolerance", 0, 0, G_OPTION_ARG_DOUBLE, &price_tol, "Percent two paired "
      "decisions' prices may differ (default 0.5)", "PCT" },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy, "Compare only with recorded signals "
      "of this strategy name", "NAME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Re-runs a rule set over the stored bars (a decision at a bar's close fills at the next\n"
    "bar's open) and lists where its decisions drift from the recorded signals and orders of\n"
    "the symbol: match, missing (the replay made it, the record lacks it), extra (recorded,\n"
    "not replayed), side and price (paired in time but different). docs/ledger.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return hs_cli_usage_error ("replay: unexpected argument “%s”", argv[1]);
  if (rules == NULL || symbol == NULL || from == NULL || to == NULL)
    return hs_cli_usage_error ("replay needs --rules FILE, --symbol S, --from D and --to D");
  if (tolerance_s < 0 || !isfinite (tolerance_s) || tolerance_s > 1e9)
    return hs_cli_usage_error ("--tolerance must be a number of seconds ≥ 0");
  if (!isfinite (price_tol) || price_tol > 1e6)
    return hs_cli_usage_error ("--price-tolerance must be a percentage ≥ 0");
  req.rules_path = rules;
  req.symbol = symbol;
  req.exchange = exchange;
  req.interval = interval;
  req.strategy = strategy;
  req.tolerance_us = (int64_t) llround (tolerance_s * G_USEC_PER_SEC);
  req.price_tolerance_pct = price_tol;
  if (!hs_time_parse_bound (from, FALSE, &req.from_ts, &error)
      || !hs_time_parse_bound (to, TRUE, &req.to_ts, &error))
    {
      status = hs_cli_usage_error ("%s", error->message);
      g_error_free (error);
      return status;
    }
  if (req.to_ts < req.from_ts)
    return hs_cli_usage_error ("--to is before --from");
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || !hs_ledger_replay (store, &req, &res, &error))
    return fail (error);

  hs_time_format_iso_buf (req.from_ts, from_text);
  hs_time_format_iso_buf (req.to_ts, to_text);
  if (json)
    {
      g_string_append (out, "{\"strategy\":");
      hs_cli_json_string (out, res.strategy);
      g_string_append (out, ",\"symbol\":");
      hs_cli_json_string (out, symbol);
      g_string_append_printf (out, ",\"interval\":\"%s\",\"from\":\"%s\",\"to\":\"%s\","
                              "\"bars\":%zu,\"tolerance_s\":", interval ? interval : "1m",
                              from_text, to_text, res.n_bars);
      hs_cli_json_number (out, (double) res.tolerance_us / G_USEC_PER_SEC);
      g_string_append (out, ",\"price_tolerance_pct\":");
      hs_cli_json_number (out, res.price_tolerance_pct);
      g_string_append_printf (out, ",\"replayed\":%u,\"recorded\":%u,\"counts\":{",
                              res.replay->len, res.record->len);
      for (int k = 0; k <= HS_DRIFT_PRICE; k++)
        g_string_append_printf (out, "%s\"%s\":%" G_GINT64_FORMAT, k > 0 ? "," : "",
                                hs_drift_kind_to_string ((HsDriftKind) k), res.counts[k]);
      g_string_append (out, "},\"drift\":[");
      for (guint i = 0; i < res.drift->len; i++)
        {
          const HsLedgerDrift *d = &g_array_index (res.drift, HsLedgerDrift, i);

          g_string_append_printf (out, "%s\n{\"kind\":\"%s\",\"replay\":", i > 0 ? "," : "",
                                  hs_drift_kind_to_string (d->kind));
          if (d->replay >= 0)
            json_decision (out, &g_array_index (res.replay, HsLedgerDecision, d->replay), FALSE);
          else
            g_string_append (out, "null");
          g_string_append (out, ",\"record\":");
          if (d->record >= 0)
            json_decision (out, &g_array_index (res.record, HsLedgerDecision, d->record), TRUE);
          else
            g_string_append (out, "null");
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}\n");
    }
  else
    {
      char tol[32], ptol[32];

      hs_format_double ((double) res.tolerance_us / G_USEC_PER_SEC, tol);
      hs_format_double (res.price_tolerance_pct, ptol);
      g_string_append_printf (out, "replay of %s on %s %s, %s to %s: %zu bars\n", res.strategy,
                              symbol, interval ? interval : "1m", from_text, to_text, res.n_bars);
      g_string_append_printf (out, "tolerance %s s, price %s %%; %u replayed, %u recorded: %"
                              G_GINT64_FORMAT " match, %" G_GINT64_FORMAT " missing, %"
                              G_GINT64_FORMAT " extra, %" G_GINT64_FORMAT " side, %"
                              G_GINT64_FORMAT " price\n", tol, ptol, res.replay->len,
                              res.record->len, res.counts[HS_DRIFT_MATCH],
                              res.counts[HS_DRIFT_MISSING], res.counts[HS_DRIFT_EXTRA],
                              res.counts[HS_DRIFT_SIDE], res.counts[HS_DRIFT_PRICE]);
      g_string_append_printf (out, "%-8s %-58s | %s\n", "KIND", "REPLAY", "RECORD");
      for (guint i = 0; i < res.drift->len; i++)
        {
          const HsLedgerDrift *d = &g_array_index (res.drift, HsLedgerDrift, i);

          g_string_append_printf (out, "%-8s ", hs_drift_kind_to_string (d->kind));
          text_decision (out, d->replay >= 0
                              ? &g_array_index (res.replay, HsLedgerDecision, d->replay) : NULL,
                         FALSE);
          g_string_append (out, " | ");
          if (d->record >= 0)
            text_decision (out, &g_array_index (res.record, HsLedgerDecision, d->record), TRUE);
          else
            g_string_append (out, "-");
          g_string_append_c (out, '\n');
        }
    }
  fputs (out->str, stdout);
  hs_replay_result_clear (&res);
  return HS_EXIT_OK;
}
