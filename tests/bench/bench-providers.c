/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Provider parsing benchmark: full pages of the largest shapes each provider sends, generated
 * here in each provider's own format (numbers as strings where the provider sends strings):
 * Kraken trades (1,000 rows, nanosecond cursor), Kraken OHLC (721 rows), Coinbase Exchange
 * candles (300 rows), Yahoo 1m bars (7 days of a 24 h market: 10,080 timestamps, every 20th
 * close null) and a Tradier chain (500 contracts with greeks). Each is parsed --repeat times
 * (default 200); the figure is the median time per page and rows per second. No target: a
 * provider allows about one request a second, so parsing only has to stay far below that.
 * Nothing asserts a time; the last line is one JSON object for scripts.
 *
 *   meson test -C BUILD --benchmark --suite bench -v providers
 *   (or BUILD/tests/bench/bench-providers [--repeat N])
 */
#define G_LOG_DOMAIN "hs-bench"

#include "config.h"

#include "hs-provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_BENCH_BUILDTYPE
#define HS_BENCH_BUILDTYPE "unknown"
#endif

#define T0 G_GINT64_CONSTANT (1762000000)   /* seconds; a minute boundary */

static char *
kraken_trades (void)
{
  GString *s = g_string_new ("{\"error\":[],\"result\":{\"XBTUSDT\":[");

  for (int i = 0; i < 1000; i++)
    g_string_append_printf (s, "%s[\"%.5f\",\"%.8f\",%" G_GINT64_FORMAT ".%07d,\"%s\",\"l\",\"\","
                            "%d]", i ? "," : "", 105000.0 + (i % 97) * 0.1,
                            0.0001 * (1 + i % 13), T0 + i / 3, (i * 7919) % 10000000,
                            i % 2 ? "b" : "s", 10218208 + i);
  g_string_append_printf (s, "],\"last\":\"%" G_GINT64_FORMAT "999999999\"}}", T0 + 333);
  return g_string_free (s, FALSE);
}

static char *
kraken_ohlc (void)
{
  GString *s = g_string_new ("{\"error\":[],\"result\":{\"XBTUSDT\":[");

  for (int i = 0; i < 721; i++)
    {
      double o = 106000.0 + (i % 50);

      g_string_append_printf (s, "%s[%" G_GINT64_FORMAT ",\"%.1f\",\"%.1f\",\"%.1f\",\"%.1f\","
                              "\"%.1f\",\"%.8f\",%d]", i ? "," : "", T0 + 60 * i, o, o + 5,
                              o - 5, o + 1, o + 0.5, 0.01 * (i % 17), i % 17);
    }
  g_string_append_printf (s, "],\"last\":%" G_GINT64_FORMAT "}}", T0 + 60 * 719);
  return g_string_free (s, FALSE);
}

static char *
coinbase_candles (void)
{
  GString *s = g_string_new ("[");

  for (int i = 299; i >= 0; i--)
    {
      double o = 73000.0 + (i % 40) * 1.25;

      g_string_append_printf (s, "%s[%" G_GINT64_FORMAT ",%.2f,%.2f,%.2f,%.2f,%.8f]",
                              i < 299 ? "," : "", T0 + 60 * i, o - 10, o + 10, o, o + 2.5,
                              1.5 + i % 7);
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static char *
yahoo_minutes (void)
{
  const int n = 7 * 1440;
  GString *s = g_string_new ("{\"chart\":{\"result\":[{\"meta\":{\"symbol\":\"BTC-USD\","
                             "\"instrumentType\":\"CRYPTOCURRENCY\",\"gmtoffset\":0},"
                             "\"timestamp\":[");
  const char *cols[] = { "open", "high", "low", "close", "volume" };

  for (int i = 0; i < n; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", T0 + 60 * i);
  g_string_append (s, "],\"indicators\":{\"quote\":[{");
  for (int c = 0; c < 5; c++)
    {
      g_string_append_printf (s, "%s\"%s\":[", c ? "," : "", cols[c]);
      for (int i = 0; i < n; i++)
        {
          double base = 97000.0 + (i % 300) * 0.25;
          double v[] = { base, base + 3.0625, base - 2.5, base + 1.125, 1000.0 + i % 50 };

          if (c == 3 && i % 20 == 19)
            g_string_append_printf (s, "%snull", i ? "," : "");
          else
            g_string_append_printf (s, "%s%.15g", i ? "," : "", v[c]);
        }
      g_string_append_c (s, ']');
    }
  g_string_append (s, "}]}}],\"error\":null}}");
  return g_string_free (s, FALSE);
}

static char *
tradier_chain (void)
{
  GString *s = g_string_new ("{\"options\":{\"option\":[");

  for (int i = 0; i < 500; i++)
    {
      int strike = 100 + 5 * (i / 2);
      double bid = 1.0 + (i % 37) * 0.05;

      g_string_append_printf (s, "%s{\"symbol\":\"SPY261218%c%08d\",\"option_type\":\"%s\","
                              "\"strike\":%d.0,\"expiration_date\":\"2026-12-18\","
                              "\"underlying\":\"SPY\",\"bid\":%.2f,\"ask\":%.2f,\"last\":%.2f,"
                              "\"volume\":%d,\"open_interest\":%d,\"bid_date\":1719589851000,"
                              "\"ask_date\":1719589851000,\"greeks\":{\"delta\":%s%.4f,"
                              "\"gamma\":0.0014,\"theta\":-0.0598,\"vega\":1.2676,"
                              "\"rho\":0.5051,\"phi\":-0.7015,\"bid_iv\":0.2087,"
                              "\"mid_iv\":0.2092,\"ask_iv\":0.2097,\"smv_vol\":0.211,"
                              "\"updated_at\":\"2024-06-28 14:58:47\"}}",
                              i ? "," : "", i % 2 ? 'P' : 'C', strike * 1000,
                              i % 2 ? "put" : "call", strike, bid, bid + 0.15, bid + 0.05,
                              i * 3 % 1000, i * 17 % 9000, i % 2 ? "-" : "",
                              0.05 + (i % 90) * 0.01);
    }
  g_string_append (s, "]}}");
  return g_string_free (s, FALSE);
}

static int
cmp_int64 (const void *a,
           const void *b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  struct
  {
    const char     *name;
    const char     *provider;
    HsFetchKind     kind;
    HsProviderQuery query;
    char           *body;
  } pages[] = {
    { "kraken trades", "kraken", HS_FETCH_TRADES, { .symbol = "XBTUSDT" }, kraken_trades () },
    { "kraken ohlc", "kraken", HS_FETCH_CANDLES,
      { .symbol = "XBTUSDT", .interval = "1m", .from = T0 * G_USEC_PER_SEC,
        .now = (T0 + 720 * 60) * G_USEC_PER_SEC }, kraken_ohlc () },
    { "coinbase candles", "coinbase", HS_FETCH_CANDLES,
      { .symbol = "BTC-USD", .interval = "1m", .from = T0 * G_USEC_PER_SEC,
        .to = (T0 + 299 * 60) * G_USEC_PER_SEC }, coinbase_candles () },
    { "yahoo 1m week", "yahoo", HS_FETCH_CANDLES,
      { .symbol = "BTC-USD", .interval = "1m", .from = T0 * G_USEC_PER_SEC,
        .to = (T0 + 7 * 86400 - 60) * G_USEC_PER_SEC,
        .now = (T0 + 8 * 86400) * G_USEC_PER_SEC }, yahoo_minutes () },
    { "tradier chain", "tradier", HS_FETCH_OPTIONS,
      { .symbol = "SPY", .cursor = "2026-12-18" }, tradier_chain () },
  };
  g_autoptr(GString) json = g_string_new ("{\"bench\":\"providers\"");
  int repeat = 200;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--repeat") && i + 1 < argc)
      repeat = atoi (argv[++i]);
  repeat = MAX (repeat, 1);

  printf ("build type %s, %d parses per page\n", HS_BENCH_BUILDTYPE, repeat);
  printf ("%-18s %8s %6s %12s %14s %10s\n", "page", "bytes", "rows", "µs/page", "rows/s", "MB/s");
  for (size_t p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autofree int64_t *times = g_new (int64_t, repeat);
      size_t len = strlen (pages[p].body), rows = 0;
      double us;

      for (int r = 0; r < repeat; r++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(HsProviderPage) page = NULL;
          int64_t t0 = g_get_monotonic_time ();

          page = hs_provider_parse (hs_provider_lookup (pages[p].provider), pages[p].kind,
                                    &pages[p].query, pages[p].body, len, &error);
          times[r] = g_get_monotonic_time () - t0;
          if (page == NULL)
            g_error ("%s: %s", pages[p].name, error->message);
          rows = hs_provider_page_rows (page);
        }
      qsort (times, (size_t) repeat, sizeof *times, cmp_int64);
      us = (double) times[repeat / 2];
      printf ("%-18s %8zu %6zu %12.0f %14.0f %10.1f\n", pages[p].name, len, rows, us,
              rows / (us / 1e6), len / us);
      g_string_append_printf (json, ",\"%s\":{\"rows\":%zu,\"us_per_page\":%.0f}",
                              pages[p].name, rows, us);
      g_free (pages[p].body);
    }
  g_string_append_c (json, '}');
  printf ("%s\n", json->str);
  return 0;
}
