/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hs-gen-bars: the C port of tools/gen-bars as a command, with the Python tool's defaults, for
 * checking the port by hand:
 *
 *   hs-gen-bars --bars 1000 --seed 42 | cmp - <(gen-bars --bars 1000 --seed 42)
 *
 * --trades prints the trades derived from the same bars instead (see hs-gen-bars.c).
 */
#define G_LOG_DOMAIN "hs-gen-bars"

#include "config.h"

#include "hs-gen-bars.h"

#include <stdlib.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  gint64 bars = 1000000;
  gint64 seed = 42;
  gboolean trades = FALSE;
  g_autofree char *output = NULL;
  HsGenBarsOptions opts;
  GOptionEntry entries[] = {
    { "bars", 0, 0, G_OPTION_ARG_INT64, &bars, "Number of bars (default 1000000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "PRNG seed, taken mod 2^64 (default 42)", "S" },
    { "trades", 0, 0, G_OPTION_ARG_NONE, &trades, "Print the derived trades instead", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Output file (default stdout)", "FILE" },
    { NULL }
  };
  gboolean ok;

  ctx = g_option_context_new ("— deterministic synthetic OHLCV bars as CSV");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("hs-gen-bars: %s\n", error->message);
      return 2;
    }
  if (bars < 0)
    {
      g_printerr ("hs-gen-bars: --bars must be >= 0\n");
      return 2;
    }
  hs_gen_bars_options_init (&opts);
  opts.seed = (uint64_t) seed;
  if (output != NULL)
    ok = hs_gen_bars_write_files (&opts, bars, trades ? NULL : output, trades ? output : NULL,
                                  &error);
  else
    ok = hs_gen_bars_write (&opts, bars, trades ? NULL : stdout, trades ? stdout : NULL, &error)
         && fflush (stdout) == 0;
  if (!ok)
    {
      g_printerr ("hs-gen-bars: %s\n", error ? error->message : "writing failed");
      return 1;
    }
  return EXIT_SUCCESS;
}
