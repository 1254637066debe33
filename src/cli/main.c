/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hindsight-cli: everything the app can do, from a terminal and from scripts. This file only
 * dispatches to the commands; each lives in its own hs-cli-*.c.
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-common.h"
#include "hs-http.h"

static const HsCliCommand commands[] = {
  { "import", "Import bars, trades, quotes, order books or snapshots from a file", hs_cli_import },
  { "instruments", "List instruments and the data stored for each", hs_cli_instruments },
  { "bars", "Print stored bars of a symbol as CSV or JSON", hs_cli_bars },
  { "db", "Database maintenance: check, backup, migrate", hs_cli_db },
  { "indicator", "Evaluate expressions (indicators, rules) over stored bars", hs_cli_indicator },
  { "expr", "Check expressions: expr check EXPR…", hs_cli_expr },
  { "metrics", "Statistics of an equity curve CSV (default or lean profile)", hs_cli_metrics },
  { "strategies", "List the built-in strategies and their parameters", hs_cli_strategies },
  { "backtest", "Run a backtest; list, show, trades, equity, delete stored runs",
    hs_cli_backtest },
  { "sweep", "Run a strategy over a grid of parameters on every core; rank them", hs_cli_sweep },
  { "walkforward", "Walk-forward: optimise in sample, trade out of sample, stitch",
    hs_cli_walkforward },
  { "ledger", "The signal ledger: list, show ID, risk (import ledger FILE.jsonl)", hs_cli_ledger },
  { "replay", "Re-run a rule set over stored bars; list drift from recorded signals",
    hs_cli_replay },
  { "paper", "Paper trades: open, close, list, show, tag, note, import, check", hs_cli_paper },
  { "sectors", "The symbol → sector ETF table: list, set, remove", hs_cli_sectors },
  { "context", "The context a paper trade entered at a time would store", hs_cli_context },
  { "label", "Label closed trades: P&L 15 min / 1 h after entry, MFE/MAE", hs_cli_label },
  { "query", "Training queries over paper trades: filter, select, aggregate", hs_cli_query },
  { "export", "Export trades, signals or backtest trades for machine learning (CSV, JSONL)",
    hs_cli_export },
  { "gaps", "Missing candle ranges (by market session) and sequence gaps of a symbol",
    hs_cli_gaps },
  { "retention", "Roll trades and quotes older than N days into 1-minute bars, then remove them",
    hs_cli_retention },
  { "health", "Data providers' latest figures (requests, errors, latency) and open alerts",
    hs_cli_health },
  { "alerts", "Open alerts: list, ack ID…", hs_cli_alerts },
  { "stream", "Stream a product's trades and book from Coinbase or Kraken into the database",
    hs_cli_stream },
  { "fetch", "Fetch candles, trades, books, snapshots or options from a provider",
    hs_cli_fetch },
  { "providers", "The market-data providers: what they serve, limits, whether a key is set",
    hs_cli_providers },
  { "keys", "A provider's token in the OS keyring: keys set|clear PROVIDER", hs_cli_keys },
  { "watch", "The poller's watch list: add, remove, list", hs_cli_watch },
  { "poll", "Fetch the watch list's entries when due, in the foreground (--once: once each)",
    hs_cli_poll },
  { "backfill", "Fill a series' history from a date (resumable), or exactly its gaps",
    hs_cli_backfill },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: hindsight-cli [--db PATH] COMMAND [OPTIONS…]\n\nCommands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nOptions:\n"
                "  --db PATH     database file (default: $HINDSIGHT_DB, else "
                "~/.local/share/hindsight/hindsight.db)\n"
                "  --version     print the version\n"
                "  --help        this text; COMMAND --help tells a command's options\n");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *db = NULL;
  int first = 1;

  /* The user's character set, but numbers, times and messages the C way: the CLI's output is
   * read by scripts and compared byte for byte, so it is the same in every locale and not
   * translated (docs/i18n.md). Only the GUI follows LC_NUMERIC, LC_TIME and LC_MESSAGES. */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  setlocale (LC_TIME, "C");
  setlocale (LC_MESSAGES, "C");
  g_set_prgname ("hindsight-cli");
  hs_http_global_init ();   /* before any thread starts */

  /* A --db before the command applies to it. */
  while (first < argc && argv[first][0] == '-')
    {
      if (g_str_equal (argv[first], "--version"))
        {
          printf ("hindsight-cli %s\n", PACKAGE_VERSION);
          return HS_EXIT_OK;
        }
      if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h"))
        {
          usage (stdout);
          return HS_EXIT_OK;
        }
      if (g_str_equal (argv[first], "--db") && first + 1 < argc)
        {
          g_free (db);
          db = g_strdup (argv[first + 1]);
          first += 2;
          continue;
        }
      if (g_str_has_prefix (argv[first], "--db="))
        {
          g_free (db);
          db = g_strdup (argv[first] + 5);
          first++;
          continue;
        }
      fprintf (stderr, "hindsight-cli: unknown option %s\n", argv[first]);
      usage (stderr);
      return HS_EXIT_BAD_INPUT;
    }
  if (first >= argc)
    {
      usage (stderr);
      return HS_EXIT_BAD_INPUT;
    }
  for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[first], commands[i].name))
      {
        hs_cli_db_option = g_steal_pointer (&db);
        return commands[i].run (argc - first, argv + first);
      }
  fprintf (stderr, "hindsight-cli: unknown command “%s”\n", argv[first]);
  usage (stderr);
  return HS_EXIT_BAD_INPUT;
}
