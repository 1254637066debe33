/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `paper open|close|list|show|tag|untag|note|import|check`: paper trades from the terminal
 * (README, "Paper trades"). The work is in src/jobs/hs-paper.c; this file parses arguments
 * and prints trades as text or as JSON (stable keys, documented in docs/paper-trades.md).
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-common.h"
#include "hs-json-records.h"
#include "hs-paper-json.h"
#include "hs-paper.h"
#include "hs-records.h"
#include "hs-time.h"

/* Refused requests and refused input exit 2; a missing trade or a failure exits 1. */
static int
paper_fail (GError *error)
{
  if (error->domain == HS_JSON_ERROR || error->domain == HS_PAPER_TRADE_ERROR
      || g_error_matches (error, HS_PAPER_ERROR, HS_PAPER_ERROR_INVALID))
    {
      g_printerr ("hindsight-cli: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  return hs_cli_fail (error);
}

/* An optional number option: NAN when not given. */
static gboolean
number_arg (const char *text,
            const char *option,
            double     *out,
            int        *status)
{
  *out = NAN;
  if (text == NULL)
    return TRUE;
  if (!hs_parse_double (text, out) || !isfinite (*out))
    {
      *status = hs_cli_usage_error ("bad --%s “%s”: not a number", option, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
time_arg (const char *text,
          int64_t    *out,
          int        *status)
{
  g_autoptr(GError) error = NULL;

  *out = HS_PAPER_NO_TS;
  if (text == NULL)
    return TRUE;
  if (!hs_time_parse (text, NULL, out, &error))
    {
      *status = hs_cli_usage_error ("bad --at “%s”: %s", text, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
id_arg (const char *text,
        int64_t    *id,
        int        *status)
{
  guint64 v = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    {
      *status = hs_cli_usage_error ("“%s” is not a paper trade id (a whole number ≥ 1)", text);
      return FALSE;
    }
  *id = (int64_t) v;
  return TRUE;
}

/* The start of every paper command: its summary and options, then exactly @n_args arguments,
 * the first a trade id when @id is not NULL. Returns FALSE with *@status set when the command
 * must end (--help, a usage error). */
static gboolean
parse_command (GOptionContext     *context,
               const char         *summary,
               const GOptionEntry *entries,
               int                *argc,
               char             ***argv,
               int                 n_args,
               const char         *need,
               int64_t            *id,
               int                *status)
{
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, argc, argv, status))
    return FALSE;
  if (*argc != n_args + 1)
    {
      *status = hs_cli_usage_error ("%s", need);
      return FALSE;
    }
  return id == NULL || id_arg ((*argv)[1], id, status);
}

/* A number for text output: shortest exact form, "-" for none. */
static const char *
num (double v,
     char   buf[32])
{
  if (isnan (v))
    return "-";
  hs_format_double (v, buf);
  return buf;
}

static void
json_ts (GString *out,
         int64_t  ts)
{
  char buf[40];

  if (ts == HS_PAPER_NO_TS)
    {
      g_string_append (out, "null");
      return;
    }
  hs_time_format_iso_buf (ts, buf);
  hs_cli_json_string (out, buf);
}

static void
json_id (GString *out,
         int64_t  id)
{
  if (id == 0)
    g_string_append (out, "null");
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, id);
}

/* A stored JSON column as it is (valid JSON, CHECKed by the schema), or null. */
static void
json_raw (GString    *out,
          const char *s)
{
  g_string_append (out, s != NULL ? s : "null");
}

/* One trade as a JSON object; the keys are documented in docs/paper-trades.md. */
static void
trade_json (GString            *out,
            const HsPaperTrade *t)
{
  g_autofree char *tags = hs_paper_tags_to_json (t->tags);

  g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"symbol\":", t->id);
  hs_cli_json_text (out, t->symbol);
  g_string_append (out, ",\"exchange\":");
  hs_cli_json_text (out, t->exchange);
  g_string_append (out, ",\"side\":");
  hs_cli_json_string (out, hs_paper_side_to_string (t->side));
  g_string_append (out, ",\"quantity\":");
  hs_cli_json_number (out, t->quantity);
  g_string_append (out, ",\"entry_time\":");
  json_ts (out, t->entry_ts);
  g_string_append (out, ",\"entry_price\":");
  hs_cli_json_number (out, t->entry_price);
  g_string_append (out, ",\"stop_loss\":");
  hs_cli_json_number (out, t->stop_loss);
  g_string_append (out, ",\"take_profit\":");
  hs_cli_json_number (out, t->take_profit);
  g_string_append (out, ",\"status\":");
  hs_cli_json_text (out, t->status);
  g_string_append (out, ",\"exit_time\":");
  json_ts (out, t->exit_ts);
  g_string_append (out, ",\"exit_price\":");
  hs_cli_json_number (out, t->exit_price);
  g_string_append (out, ",\"exit_reason\":");
  hs_cli_json_text (out, t->exit_reason);
  g_string_append (out, ",\"fees\":");
  hs_cli_json_number (out, t->fees);
  g_string_append (out, ",\"pnl\":");
  hs_cli_json_computed (out, t->pnl);
  g_string_append (out, ",\"pnl_pct\":");
  hs_cli_json_computed (out, t->pnl_pct);
  g_string_append (out, ",\"signal_id\":");
  json_id (out, t->signal_id);
  g_string_append_printf (out, ",\"tags\":%s,\"notes\":", tags);
  hs_cli_json_text (out, t->notes);
  g_string_append (out, ",\"signals_snapshot\":");
  json_raw (out, t->signals_snapshot);
  g_string_append (out, ",\"market_regime\":");
  json_raw (out, t->market_regime);
  g_string_append (out, ",\"order_book_state\":");
  json_raw (out, t->order_book_state);
  g_string_append (out, ",\"ai_reasoning_log\":");
  json_raw (out, t->ai_reasoning_log);
  g_string_append (out, ",\"target_pnl_15m\":");
  hs_cli_json_number (out, t->target_pnl_15m);
  g_string_append (out, ",\"target_pnl_1h\":");
  hs_cli_json_number (out, t->target_pnl_1h);
  g_string_append (out, ",\"target_mfe_pct\":");
  hs_cli_json_number (out, t->target_mfe_pct);
  g_string_append (out, ",\"target_mae_pct\":");
  hs_cli_json_number (out, t->target_mae_pct);
  g_string_append (out, ",\"labeled_at\":");
  json_ts (out, t->labeled_at);
  g_string_append (out, ",\"label_error\":");
  hs_cli_json_text (out, t->label_error);
  g_string_append (out, ",\"created_at\":");
  json_ts (out, t->created_at);
  g_string_append (out, ",\"updated_at\":");
  json_ts (out, t->updated_at);
  g_string_append_c (out, '}');
}

/* Trades as a JSON array, one per line. */
static void
print_trades_json (GPtrArray *trades)
{
  g_autoptr(GString) out = g_string_new ("[");

  for (guint i = 0; i < trades->len; i++)
    {
      if (i > 0)
        g_string_append (out, ",\n");
      trade_json (out, trades->pdata[i]);
    }
  g_string_append (out, "]\n");
  fputs (out->str, stdout);
}

static void
print_trade_json (const HsPaperTrade *t)
{
  g_autoptr(GString) out = g_string_new (NULL);

  trade_json (out, t);
  g_string_append_c (out, '\n');
  fputs (out->str, stdout);
}

/* "AAPL long 10 @ 180.5" */
static char *
trade_summary (const HsPaperTrade *t)
{
  char q[32], p[32];

  return g_strdup_printf ("%s %s %s @ %s", t->symbol, hs_paper_side_to_string (t->side),
                          num (t->quantity, q), num (t->entry_price, p));
}

static char *
describe_source (const HsPricePoint *p)
{
  char when[40];

  hs_time_format_iso_buf (p->ts, when);
  if (p->interval[0] == '\0')
    return g_strdup_printf ("the last trade, at %s", when);
  return g_strdup_printf ("the close of the %s bar ending %s", p->interval, when);
}

static void
print_exit_line (const HsPaperTrade *t)
{
  char when[40], px[32], pnl[32], pct[32];

  hs_time_format_iso_buf (t->exit_ts, when);
  g_snprintf (pnl, sizeof pnl, "%+.2f", t->pnl);
  g_snprintf (pct, sizeof pct, "%+.2f", t->pnl_pct);
  printf ("paper trade %" G_GINT64_FORMAT " %s: exit %s at %s (%s), P&L %s (%s %%)\n", t->id,
          t->status, num (t->exit_price, px), when,
          t->exit_reason ? t->exit_reason : "no reason given", pnl, pct);
}

/* Reads the reasoning log from a file, or standard input for "-". */
static char *
read_reasoning (const char *path,
                GError    **error)
{
  char *text = NULL;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GString) in = g_string_new (NULL);
      char buf[4096];
      size_t n;

      while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len (in, buf, (gssize) n);
      if (ferror (stdin))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot read standard input");
          return NULL;
        }
      return g_string_free (g_steal_pointer (&in), FALSE);
    }
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  return text;
}

static int
paper_open (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— open a paper trade");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsPaperTrade) t = NULL;
  g_autofree char *symbol = NULL, *exchange = NULL, *side = NULL, *qty = NULL, *price = NULL;
  g_autofree char *at = NULL, *stop = NULL, *target = NULL, *fees = NULL, *reasoning = NULL;
  g_autofree char *note = NULL, *reasoning_text = NULL;
  g_auto(GStrv) tags = NULL;
  gint64 signal = 0;
  gboolean json = FALSE;
  HsPaperOpenRequest req = { 0 };
  HsPricePoint source = { NAN, 0, "" };
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "Instrument symbol (must be stored)", "S" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange,
      "Exchange, when the symbol is stored on several", "E" },
    { "side", 0, 0, G_OPTION_ARG_STRING, &side, "long or short", "SIDE" },
    { "qty", 'q', 0, G_OPTION_ARG_STRING, &qty, "Quantity, > 0", "Q" },
    { "price", 'p', 0, G_OPTION_ARG_STRING, &price,
      "Entry price (default: the last stored price at --at)", "P" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, "Entry time, ISO-8601 UTC (default: now)", "TIME" },
    { "stop", 0, 0, G_OPTION_ARG_STRING, &stop, "Stop loss price", "X" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, "Take profit price", "Y" },
    { "fees", 0, 0, G_OPTION_ARG_STRING, &fees, "Entry fees (default 0)", "F" },
    { "reasoning", 0, 0, G_OPTION_ARG_FILENAME, &reasoning,
      "AI reasoning log, a JSON file (- for standard input); see docs/ai-reasoning.md", "FILE" },
    { "signal", 0, 0, G_OPTION_ARG_INT64, &signal, "The signal this trade acts on", "ID" },
    { "tag", 't', 0, G_OPTION_ARG_STRING_ARRAY, &tags, "A tag (repeat for more)", "T" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, "A note", "TEXT" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the trade as JSON", NULL },
    { NULL }
  };

  if (!parse_command (context,
                      "Opens a paper trade and prints its id. Without --price the entry price is "
                      "the last price\nstored at the entry time: the latest of the last trade "
                      "print and the close of the last\nbar (any interval) that had ended by "
                      "then. The stop must be below a long's entry and\nabove a short's, the "
                      "target the other way round.", entries, &argc, &argv, 0,
                      "paper open takes options only (see paper open --help)", NULL, &status))
    return status;
  if (symbol == NULL || side == NULL || qty == NULL)
    return hs_cli_usage_error ("paper open needs --symbol, --side and --qty");
  if (!hs_paper_side_from_string (side, &req.side))
    return hs_cli_usage_error ("bad --side “%s”: use long or short", side);
  if (!number_arg (qty, "qty", &req.quantity, &status)
      || !number_arg (price, "price", &req.price, &status)
      || !number_arg (stop, "stop", &req.stop_loss, &status)
      || !number_arg (target, "target", &req.take_profit, &status)
      || !number_arg (fees, "fees", &req.fees, &status)
      || !time_arg (at, &req.at, &status))
    return status;
  if (isnan (req.fees))
    req.fees = 0;
  if (signal < 0)
    return hs_cli_usage_error ("bad --signal: an id is ≥ 1");
  if (reasoning != NULL)
    {
      reasoning_text = read_reasoning (reasoning, &error);
      if (reasoning_text == NULL)
        return hs_cli_fail (error);
    }
  req.symbol = symbol;
  req.exchange = exchange;
  req.signal_id = signal;
  req.tags = tags;
  req.notes = note;
  req.ai_reasoning_log = reasoning_text;

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  t = hs_paper_open (store, &req, &source, &error);
  if (t == NULL)
    {
      if (reasoning != NULL && error->domain == HS_JSON_ERROR)
        g_prefix_error (&error, "%s: ", g_str_equal (reasoning, "-") ? "<stdin>" : reasoning);
      return paper_fail (error);
    }
  if (json)
    print_trade_json (t);
  else
    {
      g_autofree char *summary = trade_summary (t);
      char when[40];

      hs_time_format_iso_buf (t->entry_ts, when);
      printf ("%" G_GINT64_FORMAT "\n", t->id);
      g_printerr ("opened paper trade %" G_GINT64_FORMAT ": %s at %s\n", t->id, summary, when);
      if (isnan (req.price))
        {
          g_autofree char *from = describe_source (&source);

          g_printerr ("  entry price from %s\n", from);
        }
      if (!g_str_equal (t->status, "open"))
        g_printerr ("  stored bars after the entry hit its %s at %s already\n",
                    g_strcmp0 (t->exit_reason, "stop_loss") == 0 ? "stop" : "target",
                    num (t->exit_price, (char[32]) { 0 }));
    }
  return HS_EXIT_OK;
}

static int
paper_close (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID — close an open paper trade");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsPaperTrade) t = NULL;
  g_autofree char *price = NULL, *at = NULL, *fees = NULL, *reason = NULL;
  gboolean json = FALSE;
  double px = NAN, fee = NAN;
  int64_t ts = HS_PAPER_NO_TS, id = 0;
  HsPricePoint source = { NAN, 0, "" };
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "price", 'p', 0, G_OPTION_ARG_STRING, &price,
      "Exit price (default: the last stored price at --at)", "P" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, "Exit time, ISO-8601 UTC (default: now)", "TIME" },
    { "fees", 0, 0, G_OPTION_ARG_STRING, &fees, "Exit fees, added to the trade's", "F" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      "Exit reason (default manual): signal, time_stop, end_of_day …", "R" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the trade as JSON", NULL },
    { NULL }
  };

  if (!parse_command (context,
                      "Closes an open paper trade: P&L = (exit − entry) × quantity (reversed for "
                      "a short) less\nall fees; P&L % of the entry notional. An exit before the "
                      "entry is refused.", entries, &argc, &argv, 1,
                      "paper close needs the trade ID", &id, &status))
    return status;
  if (!number_arg (price, "price", &px, &status)
      || !number_arg (fees, "fees", &fee, &status) || !time_arg (at, &ts, &status))
    return status;
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  t = hs_paper_close (store, id, px, ts, isnan (fee) ? 0 : fee, reason, &source, &error);
  if (t == NULL)
    return paper_fail (error);
  if (json)
    print_trade_json (t);
  else
    {
      print_exit_line (t);
      if (isnan (px))
        {
          g_autofree char *from = describe_source (&source);

          printf ("  exit price from %s\n", from);
        }
    }
  return HS_EXIT_OK;
}

static void
print_table (GPtrArray *trades)
{
  double realised = 0;
  int n_open = 0;

  printf ("%6s  %-10s %-5s %10s  %-20s %10s  %-20s %10s  %-11s %10s %8s\n", "ID", "SYMBOL",
          "SIDE", "QTY", "ENTRY TIME", "ENTRY", "EXIT TIME", "EXIT", "REASON", "P&L", "P&L %");
  for (guint i = 0; i < trades->len; i++)
    {
      const HsPaperTrade *t = trades->pdata[i];
      char entry[40], exit[40] = "-", q[32], e[32], x[32], pnl[32] = "-", pct[32] = "-";

      hs_time_format_iso_buf (t->entry_ts, entry);
      if (t->exit_ts != HS_PAPER_NO_TS)
        hs_time_format_iso_buf (t->exit_ts, exit);
      if (!isnan (t->pnl))
        {
          g_snprintf (pnl, sizeof pnl, "%+.2f", t->pnl);
          g_snprintf (pct, sizeof pct, "%+.2f", t->pnl_pct);
          realised += t->pnl;
        }
      if (g_str_equal (t->status, "open"))
        n_open++;
      printf ("%6" G_GINT64_FORMAT "  %-10s %-5s %10s  %-20s %10s  %-20s %10s  %-11s %10s %8s\n",
              t->id, t->symbol, hs_paper_side_to_string (t->side), num (t->quantity, q), entry,
              num (t->entry_price, e), exit, num (t->exit_price, x),
              g_str_equal (t->status, "open") ? "open" : t->exit_reason ? t->exit_reason : "-",
              pnl, pct);
    }
  printf ("%u trades: %d open, %u closed; realised P&L %+.2f\n", trades->len, n_open,
          trades->len - (guint) n_open, realised);
}

static int
paper_list (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— list paper trades");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) trades = NULL;
  g_autofree char *symbol = NULL, *exchange = NULL;
  gboolean json = FALSE, open = FALSE, closed = FALSE;
  int64_t instrument = 0;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "open", 0, 0, G_OPTION_ARG_NONE, &open, "Only open trades", NULL },
    { "closed", 0, 0, G_OPTION_ARG_NONE, &closed, "Only closed trades", NULL },
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "Only this symbol's trades", "S" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "The symbol's exchange", "E" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON array of trades", NULL },
    { NULL }
  };

  if (!parse_command (context, "Paper trades (not backtests') by entry time.", entries, &argc,
                      &argv, 0, "paper list takes options only", NULL, &status))
    return status;
  if (open && closed)
    return hs_cli_usage_error ("--open and --closed exclude each other");
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (symbol != NULL && !hs_store_paper_resolve_symbol (store, symbol, exchange, &instrument,
                                                        &error))
    return hs_cli_fail (error);
  trades = hs_store_paper_list (store, open ? HS_PAPER_LIST_OPEN
                                       : closed ? HS_PAPER_LIST_CLOSED : HS_PAPER_LIST_ALL,
                                instrument, &error);
  if (trades == NULL)
    return hs_cli_fail (error);
  if (json)
    print_trades_json (trades);
  else
    print_table (trades);
  return HS_EXIT_OK;
}

/* A text member of the reasoning log, wrapped under a heading. */
static void
print_reasoning_text (JsonObject *o,
                      const char *member,
                      const char *heading)
{
  JsonNode *n = json_object_get_member (o, member);
  g_auto(GStrv) lines = NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return;
  printf ("  %s:\n", heading);
  lines = g_strsplit (json_node_get_string (n), "\n", -1);
  for (size_t i = 0; lines[i] != NULL; i++)
    printf ("    %s\n", lines[i]);
}

static void
print_reasoning (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  static const char *const documented[] = {
    "model", "prompt_version", "confidence_score", "bull_case", "bear_case", "decision_logic",
    "prompt", "raw_output", "tokens", "latency_ms", NULL,
  };
  g_autoptr(GList) names = NULL;
  JsonObject *o;
  JsonNode *n;
  char score[32];

  if (text == NULL)
    {
      printf ("\nAI reasoning: none\n");
      return;
    }
  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      printf ("\nAI reasoning (unreadable): %s\n", text);
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  n = json_object_get_member (o, "confidence_score");
  printf ("\nAI reasoning: %s, prompt %s, confidence %s/10\n",
          json_object_get_string_member_with_default (o, "model", "?"),
          json_object_get_string_member_with_default (o, "prompt_version", "?"),
          n != NULL && JSON_NODE_HOLDS_VALUE (n) ? num (json_node_get_double (n), score) : "?");
  print_reasoning_text (o, "bull_case", "Bull case");
  print_reasoning_text (o, "bear_case", "Bear case");
  print_reasoning_text (o, "decision_logic", "Decision logic");
  print_reasoning_text (o, "prompt", "Prompt");
  print_reasoning_text (o, "raw_output", "Raw output");
  n = json_object_get_member (o, "tokens");
  if (n != NULL)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      hs_paper_json_write (n, -1, 0, s);
      printf ("  Tokens: %s\n", s->str);
    }
  n = json_object_get_member (o, "latency_ms");
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n))
    printf ("  Latency: %s ms\n", num (json_node_get_double (n), score));
  names = json_object_get_members (o);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autoptr(GString) s = NULL;

      if (g_strv_contains (documented, l->data))
        continue;
      s = g_string_new (NULL);
      hs_paper_json_write (json_object_get_member (o, l->data), 2, 1, s);
      printf ("  %s: %s\n", (const char *) l->data, s->str);
    }
}

static void
print_context (const char *name,
               const char *text)
{
  g_autofree char *pretty = NULL;

  if (text == NULL)
    {
      printf ("%s: none\n", name);
      return;
    }
  pretty = hs_paper_json_format (text, 2, NULL);
  printf ("%s: %s\n", name, pretty != NULL ? pretty : text);
}

static void
print_label (const char *name,
             double      v)
{
  char buf[32];

  printf ("  %-15s %s\n", name, isnan (v) ? "-" : num (v, buf));
}

static void
print_trade_text (const HsPaperTrade *t)
{
  g_autofree char *summary = trade_summary (t);
  char when[40], a[32], b[32];

  hs_time_format_iso_buf (t->entry_ts, when);
  printf ("Paper trade %" G_GINT64_FORMAT ": %s at %s\n", t->id, summary, when);
  if (t->exchange != NULL && t->exchange[0] != '\0')
    printf ("  exchange     %s\n", t->exchange);
  printf ("  status       %s\n", t->status);
  printf ("  stop loss    %s\n", num (t->stop_loss, a));
  printf ("  take profit  %s\n", num (t->take_profit, b));
  if (t->exit_ts != HS_PAPER_NO_TS)
    {
      hs_time_format_iso_buf (t->exit_ts, when);
      printf ("  exit         %s at %s (%s)\n", num (t->exit_price, a), when,
              t->exit_reason ? t->exit_reason : "no reason given");
    }
  printf ("  fees         %s\n", num (t->fees, a));
  if (!isnan (t->pnl))
    printf ("  P&L          %+.2f (%+.2f %%)\n", t->pnl, t->pnl_pct);
  if (t->signal_id != 0)
    printf ("  signal       %" G_GINT64_FORMAT "\n", t->signal_id);
  if (t->tags[0] != NULL)
    {
      g_autofree char *tags = g_strjoinv (", ", t->tags);

      printf ("  tags         %s\n", tags);
    }
  if (t->notes != NULL)
    printf ("  notes        %s\n", t->notes);
  print_reasoning (t->ai_reasoning_log);
  printf ("\nContext at entry\n");
  print_context ("signals_snapshot", t->signals_snapshot);
  print_context ("market_regime", t->market_regime);
  print_context ("order_book_state", t->order_book_state);
  printf ("\nLabels");
  if (t->labeled_at != HS_PAPER_NO_TS)
    {
      hs_time_format_iso_buf (t->labeled_at, when);
      printf (" (computed %s)\n", when);
    }
  else
    printf (" (not computed yet)\n");
  print_label ("target_pnl_15m", t->target_pnl_15m);
  print_label ("target_pnl_1h", t->target_pnl_1h);
  print_label ("target_mfe_pct", t->target_mfe_pct);
  print_label ("target_mae_pct", t->target_mae_pct);
  if (t->label_error != NULL)
    printf ("  not labeled: %s\n", t->label_error);
}

static int
paper_show (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID — show a paper trade");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsPaperTrade) t = NULL;
  gboolean json = FALSE;
  int64_t id = 0;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the trade as JSON", NULL },
    { NULL }
  };

  if (!parse_command (context,
                      "Everything stored about a trade: entry, exit, P&L, tags, notes, the AI "
                      "reasoning log,\nthe context captured at entry and the labels.", entries,
                      &argc, &argv, 1, "paper show needs the trade ID", &id, &status))
    return status;
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  t = hs_store_paper_load (store, id, &error);
  if (t == NULL)
    return hs_cli_fail (error);
  if (json)
    print_trade_json (t);
  else
    print_trade_text (t);
  return HS_EXIT_OK;
}

static int
paper_tag (int    argc,
           char **argv,
           gboolean add)
{
  g_autoptr(GOptionContext) context = g_option_context_new (add ? "ID TAG — tag a paper trade"
                                                                : "ID TAG — remove a tag");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(HsPaperTrade) t = NULL;
  gboolean changed = FALSE;
  int64_t id = 0;
  GError *error = NULL;
  int status = HS_EXIT_OK;

  if (!parse_command (context, NULL, NULL, &argc, &argv, 2,
                      add ? "paper tag needs the trade ID and a TAG"
                          : "paper untag needs the trade ID and a TAG", &id, &status))
    return status;
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (!hs_paper_tag (store, id, argv[2], add, &changed, &error)
      || (t = hs_store_paper_load (store, id, &error)) == NULL)
    return paper_fail (error);
  {
    g_autofree char *tags = g_strjoinv (", ", t->tags);

    if (!changed)
      printf ("paper trade %" G_GINT64_FORMAT " %s tag “%s”; tags: %s\n", id,
              add ? "already has the" : "has no", argv[2], tags[0] ? tags : "none");
    else
      printf ("paper trade %" G_GINT64_FORMAT " tags: %s\n", id, tags[0] ? tags : "none");
  }
  return HS_EXIT_OK;
}

static int
paper_note (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("ID TEXT — set a trade's note");
  g_autoptr(HsStore) store = NULL;
  int64_t id = 0;
  GError *error = NULL;
  int status = HS_EXIT_OK;

  if (!parse_command (context, "Replaces the trade's note; an empty TEXT removes it.", NULL,
                      &argc, &argv, 2, "paper note needs the trade ID and the TEXT", &id, &status))
    return status;
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (!hs_paper_note (store, id, argv[2], &error))
    return paper_fail (error);
  printf ("paper trade %" G_GINT64_FORMAT ": note %s\n", id, argv[2][0] ? "set" : "removed");
  return HS_EXIT_OK;
}

static int
paper_import (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE.jsonl — import paper trades");
  g_autoptr(HsStore) store = NULL;
  HsPaperImportResult result = { 0 };
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the counts as JSON", NULL },
    { NULL }
  };

  if (!parse_command (context,
                      "Imports a bot's trades, one JSON object per line (docs/paper-trades.md), "
                      "all or nothing:\na refused line is reported as FILE:LINE: field: reason "
                      "and nothing is stored. A line\nabout a stored trade (same symbol, side "
                      "and entry_time) may add its exit or update it;\nimporting the same file "
                      "again changes nothing.", entries, &argc, &argv, 1,
                      "paper import needs a FILE", NULL, &status))
    return status;
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (!hs_paper_import (store, argv[1], &result, &error))
    return paper_fail (error);
  if (json)
    printf ("{\"file\":\"%s\",\"lines\":%" G_GINT64_FORMAT ",\"inserted\":%" G_GINT64_FORMAT
            ",\"updated\":%" G_GINT64_FORMAT ",\"unchanged\":%" G_GINT64_FORMAT
            ",\"closed\":%" G_GINT64_FORMAT "}\n", argv[1], result.lines, result.inserted,
            result.updated, result.unchanged, result.closed);
  else
    printf ("%s: %" G_GINT64_FORMAT " lines: %" G_GINT64_FORMAT " new trades, %" G_GINT64_FORMAT
            " updated, %" G_GINT64_FORMAT " unchanged; %" G_GINT64_FORMAT
            " closed at their stop or target\n", argv[1], result.lines, result.inserted,
            result.updated, result.unchanged, result.closed);
  return HS_EXIT_OK;
}

static int
paper_check (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— check stops and targets");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) closed = NULL;
  g_autofree char *symbol = NULL, *exchange = NULL;
  int64_t instrument = 0;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &symbol, "Only this symbol's trades", "S" },
    { "exchange", 'e', 0, G_OPTION_ARG_STRING, &exchange, "The symbol's exchange", "E" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the closed trades as a JSON array", NULL },
    { NULL }
  };

  if (!parse_command (context,
                      "Closes open paper trades whose stop loss or take profit a stored bar "
                      "touched (bars import\ndoes this by itself). A gap through a level exits "
                      "at the bar's open; a bar that touches\nboth levels counts as a stop.",
                      entries, &argc, &argv, 0, "paper check takes options only", NULL, &status))
    return status;
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (symbol != NULL && !hs_store_paper_resolve_symbol (store, symbol, exchange, &instrument,
                                                        &error))
    return hs_cli_fail (error);
  if (!hs_paper_check_exits (store, instrument, &closed, &error))
    return hs_cli_fail (error);
  if (json)
    {
      print_trades_json (closed);
      return HS_EXIT_OK;
    }
  for (guint i = 0; i < closed->len; i++)
    print_exit_line (closed->pdata[i]);
  printf ("%u paper trades closed\n", closed->len);
  return HS_EXIT_OK;
}

static void
paper_usage (FILE *out)
{
  fprintf (out,
           "Usage: hindsight-cli paper COMMAND …\n\n"
           "  open --symbol S --side long|short --qty Q [--price P] [--at TIME] [--stop X]\n"
           "       [--target Y] [--fees F] [--reasoning FILE|-] [--signal ID] [--tag T]…\n"
           "  close ID [--price P] [--at TIME] [--fees F] [--reason R]\n"
           "  list [--open|--closed] [--symbol S] [--json]\n"
           "  show ID [--json]\n"
           "  tag ID TAG        untag ID TAG        note ID TEXT\n"
           "  import FILE.jsonl [--json]\n"
           "  check [--symbol S] [--json]\n\n"
           "COMMAND --help tells its options.\n");
}

int
hs_cli_paper (int    argc,
              char **argv)
{
  static const struct
  {
    const char *name;
    int (*run) (int argc, char **argv);
  } subs[] = {
    { "open", paper_open },
    { "close", paper_close },
    { "list", paper_list },
    { "show", paper_show },
    { "note", paper_note },
    { "import", paper_import },
    { "check", paper_check },
  };

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      paper_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? HS_EXIT_BAD_INPUT : HS_EXIT_OK;
    }
  if (g_str_equal (argv[1], "tag") || g_str_equal (argv[1], "untag"))
    return paper_tag (argc - 1, argv + 1, g_str_equal (argv[1], "tag"));
  for (size_t i = 0; i < G_N_ELEMENTS (subs); i++)
    if (g_str_equal (argv[1], subs[i].name))
      return subs[i].run (argc - 1, argv + 1);
  g_printerr ("hindsight-cli: unknown paper command “%s”\n", argv[1]);
  paper_usage (stderr);
  return HS_EXIT_BAD_INPUT;
}
