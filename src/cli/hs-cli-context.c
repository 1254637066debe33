/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sectors list|set|remove` edits the symbol → sector ETF table (migration 010) that the market
 * regime context reads; `context --symbol S --at TIME` prints the three context objects the
 * collector would store for a trade entered then (docs/context.md), as JSON or as one line per
 * value. Output formats are documented in the README.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-common.h"
#include "hs-context.h"
#include "hs-records.h"
#include "hs-store-context.h"
#include "hs-store-market.h"
#include "hs-time.h"

static int
sectors_list (gboolean json)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) sectors = NULL;
  GError *error = NULL;

  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL || (sectors = hs_store_list_sectors (store, &error)) == NULL)
    return hs_cli_fail (error);
  if (json)
    {
      g_autoptr(GString) out = g_string_new ("[");

      for (guint i = 0; i < sectors->len; i++)
        {
          HsSectorEtf *s = sectors->pdata[i];

          g_string_append (out, i ? ",\n{\"etf\":" : "\n{\"etf\":");
          hs_cli_json_string (out, s->etf);
          g_string_append (out, ",\"sector\":");
          hs_cli_json_string (out, s->sector);
          g_string_append (out, ",\"symbols\":[");
          for (size_t j = 0; s->symbols[j] != NULL; j++)
            {
              if (j > 0)
                g_string_append_c (out, ',');
              hs_cli_json_string (out, s->symbols[j]);
            }
          g_string_append (out, "]}");
        }
      g_string_append (out, "\n]\n");
      fputs (out->str, stdout);
      return HS_EXIT_OK;
    }
  printf ("%-6s %-24s %s\n", "ETF", "SECTOR", "SYMBOLS");
  for (guint i = 0; i < sectors->len; i++)
    {
      HsSectorEtf *s = sectors->pdata[i];
      g_autofree char *symbols = g_strjoinv (" ", s->symbols);

      printf ("%-6s %-24s %s\n", s->etf, s->sector, symbols[0] ? symbols : "-");
    }
  return HS_EXIT_OK;
}

int
hs_cli_sectors (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("list|set SYMBOL ETF|remove SYMBOL");
  g_autoptr(HsStore) store = NULL;
  g_autofree char *sector = NULL;
  gboolean json = FALSE;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "list: print JSON instead of a table", NULL },
    { "sector", 0, 0, G_OPTION_ARG_STRING, &sector, "set: the sector's name, to add an ETF that "
      "is not a sector ETF yet (or rename a sector)", "NAME" },
    { NULL }
  };

  g_option_context_set_summary (context,
    "list    the sector ETFs (the eleven S&P 500 sector SPDRs and any added) with their symbols\n"
    "set     maps SYMBOL to the sector ETF ETF, replacing its earlier one\n"
    "remove  forgets SYMBOL's sector ETF\n"
    "The market regime of a trade's context reads the sector ETF from here (docs/context.md).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc == 2 && g_str_equal (argv[1], "list"))
    return sectors_list (json);
  if (argc == 4 && g_str_equal (argv[1], "set"))
    {
      store = hs_cli_open_store (hs_cli_db_option, &error);
      if (store == NULL || !hs_store_set_symbol_sector (store, argv[2], argv[3], sector, &error))
        {
          if (error != NULL && g_error_matches (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
            {
              g_printerr ("hindsight-cli: %s (sectors set %s %s --sector NAME)\n",
                          error->message, argv[2], argv[3]);
              g_error_free (error);
              return HS_EXIT_BAD_INPUT;
            }
          return hs_cli_fail (error);
        }
      printf ("%s → %s\n", argv[2], argv[3]);
      return HS_EXIT_OK;
    }
  if (argc == 3 && g_str_equal (argv[1], "remove"))
    {
      store = hs_cli_open_store (hs_cli_db_option, &error);
      if (store == NULL || !hs_store_remove_symbol_sector (store, argv[2], &error))
        return hs_cli_fail (error);
      printf ("%s: sector ETF removed\n", argv[2]);
      return HS_EXIT_OK;
    }
  g_printerr ("hindsight-cli: sectors needs list, set SYMBOL ETF or remove SYMBOL\n");
  return HS_EXIT_BAD_INPUT;
}

/* Prints every value of a context object as "PATH VALUE", and its missing names on one line. */
static void
print_flat (const char *prefix,
            JsonNode   *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (obj);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *path = prefix[0] ? g_strconcat (prefix, ".", l->data, NULL)
                                            : g_strdup (l->data);

          print_flat (path, json_object_get_member (obj, l->data));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *arr = json_node_get_array (node);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (arr); i++)
        g_string_append_printf (line, "%s%s", i ? " " : "",
                                json_array_get_string_element (arr, i));
      printf ("  %-32s %s\n", prefix, line->len ? line->str : "-");
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    printf ("  %-32s %s\n", prefix, json_node_get_string (node));
  else
    {
      char buf[32];

      if (json_node_get_value_type (node) == G_TYPE_INT64)
        g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        hs_format_double_computed (json_node_get_double (node), buf);
      printf ("  %-32s %s\n", prefix, buf);
    }
}

int
hs_cli_context (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsStore) store = NULL;
  g_autofree char *symbol = NULL, *exchange = NULL, *at = NULL;
  g_auto(HsTradeContext) ctx = { NULL };
  gboolean json = FALSE;
  GError *error = NULL;
  int64_t id = 0, at_ts = 0;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "symbol", 0, 0, G_OPTION_ARG_STRING, &symbol, "The traded instrument", "S" },
    { "exchange", 0, 0, G_OPTION_ARG_STRING, &exchange, "Its exchange, when the symbol is on "
      "several", "E" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, "The entry time (ISO-8601; naive times are UTC)",
      "TIME" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
    "Prints the context a paper trade entered at TIME would store: signals_snapshot,\n"
    "market_regime and order_book_state, from bars completed before TIME and quotes at or\n"
    "before it. Definitions: docs/context.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (symbol == NULL || at == NULL || argc != 1)
    {
      g_printerr ("hindsight-cli: context needs --symbol S and --at TIME\n");
      return HS_EXIT_BAD_INPUT;
    }
  if (!hs_time_parse (at, NULL, &at_ts, &error))
    {
      g_printerr ("hindsight-cli: bad --at: %s\n", error->message);
      g_error_free (error);
      return HS_EXIT_BAD_INPUT;
    }
  store = hs_cli_open_store (hs_cli_db_option, &error);
  if (store == NULL)
    return hs_cli_fail (error);
  if (exchange != NULL)
    {
      if (!hs_store_find_instrument (store, symbol, exchange, &id, &error))
        return hs_cli_fail (error);
    }
  else
    {
      if (!hs_store_find_symbol (store, symbol, &id, &error))
        return hs_cli_fail (error);
      if (id == 0)
        {
          g_printerr ("hindsight-cli: no instrument %s\n", symbol);
          return HS_EXIT_FAILURE;
        }
    }
  if (!hs_context_collect (store, id, at_ts, &ctx, &error))
    return hs_cli_fail (error);
  if (json)
    {
      printf ("{\"signals_snapshot\":%s,\"market_regime\":%s,\"order_book_state\":%s}\n",
              ctx.signals_snapshot, ctx.market_regime, ctx.order_book_state);
      return HS_EXIT_OK;
    }
  {
    const char *names[] = { "signals_snapshot", "market_regime", "order_book_state" };
    const char *texts[] = { ctx.signals_snapshot, ctx.market_regime, ctx.order_book_state };

    for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(JsonParser) parser = json_parser_new ();

        if (!json_parser_load_from_data (parser, texts[i], -1, &error))
          return hs_cli_fail (error);
        printf ("%s\n", names[i]);
        print_flat ("", json_parser_get_root (parser));
      }
  }
  return HS_EXIT_OK;
}
