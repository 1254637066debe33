/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The C port of tools/gen-bars against the Python tool's own output: 200 bars with the default
 * options and seed 42, generated once with `gen-bars --bars 200 --seed 42` and kept in
 * tests/data/gen-bars-200-seed42.csv, must come out byte for byte. Then the trades derived from
 * the same bars, and the invariants the tool's header promises.
 */
#include "config.h"

#include "hs-gen-bars.h"

#include <inttypes.h>
#include <string.h>

#define N_BARS 200

static char *
data_path (const char *name)
{
  const char *dir = g_getenv ("HS_TEST_DATA");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

/* Runs hs_gen_bars_write() into memory: bars when @trades is FALSE, else trades. */
static char *
generate (int64_t  n,
          gboolean trades,
          size_t  *len)
{
  g_autoptr(GError) error = NULL;
  HsGenBarsOptions opts;
  char *buf = NULL;
  FILE *f = open_memstream (&buf, len);

  g_assert_nonnull (f);
  hs_gen_bars_options_init (&opts);
  g_assert_true (hs_gen_bars_write (&opts, n, trades ? NULL : f, trades ? f : NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fclose (f), ==, 0);
  return buf;
}

static void
test_matches_python (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = data_path ("gen-bars-200-seed42.csv");
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  size_t expected_len = 0;
  size_t got_len = 0;

  g_assert_true (g_file_get_contents (path, &expected, &expected_len, &error));
  g_assert_no_error (error);
  got = generate (N_BARS, FALSE, &got_len);
  /* Line by line first, so a failure names the first line that differs. */
  {
    g_auto(GStrv) want = g_strsplit (expected, "\n", -1);
    g_auto(GStrv) have = g_strsplit (got, "\n", -1);

    g_assert_cmpuint (g_strv_length (have), ==, N_BARS + 2);
    for (size_t i = 0; want[i] != NULL && have[i] != NULL; i++)
      g_assert_cmpstr (have[i], ==, want[i]);
    g_assert_cmpuint (g_strv_length (have), ==, g_strv_length (want));
  }
  g_assert_cmpmem (got, got_len, expected, expected_len);
}

static void
test_trades (void)
{
  g_autofree char *got = NULL;
  g_auto(GStrv) lines = NULL;
  HsGenBarsOptions opts;
  HsGenBars gen;
  size_t len = 0;

  got = generate (N_BARS, TRUE, &len);
  lines = g_strsplit (got, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, N_BARS + 2);
  g_assert_cmpstr (lines[0], ==, "timestamp,price,size,side");
  g_assert_cmpstr (lines[N_BARS + 1], ==, "");

  hs_gen_bars_options_init (&opts);
  hs_gen_bars_init (&gen, &opts);
  for (size_t i = 0; i < N_BARS; i++)
    {
      g_auto(GStrv) t = g_strsplit (lines[i + 1], ",", -1);
      g_auto(GStrv) b = NULL;
      char line[HS_GEN_LINE_MAX];
      HsGenBar bar;
      size_t n;

      hs_gen_bars_next (&gen, &bar);
      n = hs_gen_bars_format_bar (&bar, line);
      g_assert_cmpint (line[n - 1], ==, '\n');
      line[n - 1] = '\0';
      b = g_strsplit (line, ",", -1);
      /* timestamp,open,high,low,close,volume → timestamp,close,volume,side */
      g_assert_cmpuint (g_strv_length (t), ==, 4);
      g_assert_cmpstr (t[0], ==, b[0]);
      g_assert_cmpstr (t[1], ==, b[4]);
      g_assert_cmpstr (t[2], ==, b[5]);
      g_assert_cmpstr (t[3], ==, bar.close >= bar.open ? "buy" : "sell");
    }
}

static void
test_invariants (void)
{
  HsGenBarsOptions opts;
  HsGenBars gen;
  HsGenBar bar;
  double prev_close = 0;
  char line[HS_GEN_LINE_MAX];

  hs_gen_bars_options_init (&opts);
  g_assert_cmpuint (opts.seed, ==, 42);
  g_assert_cmpint (opts.interval, ==, 60);
  g_assert_cmpfloat (opts.start_price, ==, 100.0);
  g_assert_cmpfloat (opts.sigma, ==, 0.0005);
  hs_gen_bars_init (&gen, &opts);
  for (int i = 0; i < 10000; i++)
    {
      hs_gen_bars_next (&gen, &bar);
      if (i == 0)
        {
          g_assert_cmpfloat (bar.open, ==, 100.0);
          hs_gen_bars_format_bar (&bar, line);
          g_assert_true (g_str_has_prefix (line, "2020-01-02T14:30:00Z,100.0000,"));
        }
      else
        g_assert_cmpfloat (bar.open, ==, prev_close);
      g_assert_cmpint (bar.ts, ==, opts.start + i * opts.interval);
      g_assert_cmpfloat (bar.high, >=, MAX (bar.open, bar.close));
      g_assert_cmpfloat (bar.low, <=, MIN (bar.open, bar.close));
      g_assert_cmpint (bar.volume, >=, 100);
      g_assert_cmpint (bar.volume, <, 10000);
      prev_close = bar.close;
    }
  /* A day boundary and a year boundary format like Python's strftime. */
  bar.ts = INT64_C (1609459199);
  hs_gen_bars_format_bar (&bar, line);
  g_assert_true (g_str_has_prefix (line, "2020-12-31T23:59:59Z,"));
  bar.ts = INT64_C (1609459200);
  hs_gen_bars_format_bar (&bar, line);
  g_assert_true (g_str_has_prefix (line, "2021-01-01T00:00:00Z,"));
  bar.ts = INT64_C (951782400);
  hs_gen_bars_format_bar (&bar, line);
  g_assert_true (g_str_has_prefix (line, "2000-02-29T00:00:00Z,"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/bench/gen-bars/matches-python", test_matches_python);
  g_test_add_func ("/hs/bench/gen-bars/trades", test_trades);
  g_test_add_func ("/hs/bench/gen-bars/invariants", test_invariants);
  return g_test_run ();
}
