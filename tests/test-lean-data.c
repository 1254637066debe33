/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LEAN's data conventions (src/core/hs-lean-data.c) against LEAN's own converted files: raw
 * SPY minute bars, cut to the regular session and adjusted by spy_factors.csv, equal the
 * *_rth_adjusted.csv files exactly (every price and volume, as double; a double multiplication
 * misses a fifth of them by one unit in the last place), and every daily file with
 * an adjusted twin (SPY, AAPL, IBM, BAC: dividends and splits over 1998–2021) likewise; the
 * expected side is the conversion's exact decimal text, read with g_ascii_strtod. Plus the
 * session rules by hand, quote-bar rules, and LEAN's security identifiers of known securities.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hs-lean-data.h"
#include "hs-records.h"
#include "hs-time.h"

#define DAY G_GINT64_CONSTANT (86400000000)

/* Data rows of a CSV in tests/data/lean (header left out), fields split at commas. */
static GPtrArray *
lean_csv (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "lean", name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (size_t i = 1; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (lines[i][0] != '\0')
        g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
    }
  return rows;
}

static int64_t
iso (const char *text)
{
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_time_parse (text, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

static double
num (const char *text)
{
  return g_ascii_strtod (text, NULL);
}

static HsBars *
bars_of (GPtrArray *rows,
         int64_t    interval_s)
{
  HsBars *b = hs_bars_new (rows->len, interval_s);

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];

      b->ts[i] = iso (f[0]);
      b->open[i] = num (f[1]);
      b->high[i] = num (f[2]);
      b->low[i] = num (f[3]);
      b->close[i] = num (f[4]);
      b->volume[i] = num (f[5]);
      b->vwap[i] = NAN;
    }
  return b;
}

static HsQuoteBars *
quotes_of (GPtrArray *rows)
{
  HsQuoteBars *q = hs_quote_bars_new (rows->len, 60);

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];
      HsQuoteBar b = { iso (f[0]), num (f[1]), num (f[2]), num (f[3]), num (f[4]), num (f[5]),
                       num (f[6]), num (f[7]), num (f[8]), num (f[9]), num (f[10]) };

      hs_quote_bars_set (q, i, &b);
    }
  return q;
}

static GArray *
factors_of (const char *name)
{
  g_autoptr(GPtrArray) rows = lean_csv (name);
  GArray *a = g_array_new (FALSE, FALSE, sizeof (HsPriceFactor));

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];
      HsPriceFactor p = { iso (f[0]) / DAY, num (f[1]), num (f[2]), num (f[3]) };

      g_array_append_val (a, p);
    }
  return a;
}

static GTimeZone *
new_york (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("America/New_York");

  g_assert_nonnull (tz);
  return tz;
}

/* Products written out by hand; the double product of 167.57 and 0.8646266 is one ulp off. */
static void
test_decimal_product (void)
{
  static const struct
  {
    double a, b;
    const char *exact;
  } cases[] = {
    { 167.45, 0.8646266, "144.78172417" },
    { 167.57, 0.8646266, "144.885479362" },
    { 170.3, 0.8646266, "147.24590998" },
    { 0.1, 3, "0.3" },
    { 165.82, 0.8646266, "143.372382812" },
    { 1e-5, 3, "0.00003" },
    { -2.5, 0.0357143, "-0.08928575" },
    { 123456789.123, 0.8613657, "106341443.5826852811" },
    { 0.1234567890123456, 10, "1.234567890123456" },
  };

  {
    volatile double a = 167.57, b = 0.8646266;

    g_assert_cmpfloat (a * b, !=, 144.885479362);
  }
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double v[2] = { cases[i].a, cases[i].b };

      g_assert_cmpfloat (hs_decimal_product (v, 2), ==, g_ascii_strtod (cases[i].exact, NULL));
    }
  {
    double three[3] = { 167.45, 0.8613657, 0.0357143 };
    double none = hs_decimal_product (NULL, 0);

    /* AAPL's 1998 factor: 167.45 × 0.8613657 × 0.0357143 = 5.1512765771169495 exactly. */
    g_assert_cmpfloat (hs_decimal_product (three, 3), ==,
                       g_ascii_strtod ("5.1512765771169495", NULL));
    g_assert_cmpfloat (none, ==, 1);
  }
  {
    double bad[2] = { NAN, 1 };

    g_assert_true (isnan (hs_decimal_product (bad, 2)));
  }
}

static void
test_factor_lookup (void)
{
  g_autoptr(GArray) f = factors_of ("spy_factors.csv");
  const HsPriceFactor *rows = (const HsPriceFactor *) (const void *) f->data;
  int64_t oct7 = iso ("2013-10-07") / DAY, dec19 = iso ("2013-12-19") / DAY;

  /* October 2013 takes the row of 2013-12-19; that day itself too; the day after, the next. */
  g_assert_cmpfloat (hs_price_factor_at (rows, f->len, oct7), ==, 0.8646266);
  g_assert_cmpfloat (hs_price_factor_at (rows, f->len, dec19), ==, 0.8646266);
  g_assert_cmpfloat (hs_price_factor_at (rows, f->len, dec19 + 1), !=, 0.8646266);
  /* Before the first row, the first row; after the last (2050-12-31), none. */
  g_assert_cmpfloat (hs_price_factor_at (rows, f->len, 0), ==, 0.6566606);
  g_assert_cmpfloat (hs_price_factor_at (rows, f->len, iso ("2051-01-01") / DAY), ==, 1);
  g_assert_cmpfloat (hs_price_factor_at (NULL, 0, oct7), ==, 1);
}

static void
expect_same_bars (const HsBars *got,
                  const HsBars *want)
{
  g_assert_cmpuint (got->n, ==, want->n);
  for (size_t i = 0; i < want->n; i++)
    {
      if (got->ts[i] != want->ts[i] || got->open[i] != want->open[i]
          || got->high[i] != want->high[i] || got->low[i] != want->low[i]
          || got->close[i] != want->close[i] || got->volume[i] != want->volume[i])
        g_error ("bar %zu (%" G_GINT64_FORMAT "): got %.17g %.17g %.17g %.17g %.17g, want %.17g "
                 "%.17g %.17g %.17g %.17g", i, want->ts[i], got->open[i], got->high[i],
                 got->low[i], got->close[i], got->volume[i], want->open[i], want->high[i],
                 want->low[i], want->close[i], want->volume[i]);
    }
}

/* 4,839 raw minute bars, 04:00–20:00 New York, six days: 2,340 regular-session bars adjusted. */
static void
test_minute_bars_as_lean (void)
{
  g_autoptr(GPtrArray) raw = lean_csv ("spy_minute_2013-10.csv");
  g_autoptr(GPtrArray) adj = lean_csv ("spy_minute_2013-10_rth_adjusted.csv");
  g_autoptr(GArray) f = factors_of ("spy_factors.csv");
  g_autoptr(HsBars) b = bars_of (raw, 60), want = bars_of (adj, 60);
  g_autoptr(GTimeZone) ny = new_york ();

  g_assert_cmpuint (b->n, ==, 4839);
  g_assert_cmpuint (hs_bars_keep_us_equity_session (b, ny, NULL, 0), ==, 2340);
  hs_bars_adjust (b, ny, (const HsPriceFactor *) (const void *) f->data, f->len);
  expect_same_bars (b, want);
}

static void
test_minute_quotes_as_lean (void)
{
  g_autoptr(GPtrArray) raw = lean_csv ("spy_minute_quote_2013-10.csv");
  g_autoptr(GPtrArray) adj = lean_csv ("spy_minute_quote_2013-10_rth_adjusted.csv");
  g_autoptr(GArray) f = factors_of ("spy_factors.csv");
  g_autoptr(HsQuoteBars) q = quotes_of (raw), want = quotes_of (adj);
  g_autoptr(GTimeZone) ny = new_york ();

  g_assert_cmpuint (hs_quote_bars_keep_us_equity_session (q, ny, NULL, 0), ==, want->n);
  hs_quote_bars_adjust (q, ny, (const HsPriceFactor *) (const void *) f->data, f->len);
  for (size_t i = 0; i < want->n; i++)
    {
      const double got[] = { q->bid_open[i], q->bid_high[i], q->bid_low[i], q->bid_close[i],
                             q->bid_size[i], q->ask_open[i], q->ask_high[i], q->ask_low[i],
                             q->ask_close[i], q->ask_size[i] };
      const double exp[] = { want->bid_open[i], want->bid_high[i], want->bid_low[i],
                             want->bid_close[i], want->bid_size[i], want->ask_open[i],
                             want->ask_high[i], want->ask_low[i], want->ask_close[i],
                             want->ask_size[i] };

      g_assert_cmpint (q->ts[i], ==, want->ts[i]);
      for (size_t k = 0; k < G_N_ELEMENTS (got); k++)
        g_assert_cmpfloat (got[k], ==, exp[k]);
    }
}

/* Every day of 1998–2021 against the converted adjusted file: each factor row, splits too. */
static void
test_daily_bars_as_lean (gconstpointer data)
{
  const char *sym = data;
  g_autofree char *raw_name = g_strdup_printf ("%s_daily.csv", sym);
  g_autofree char *adj_name = g_strdup_printf ("%s_daily_adjusted.csv", sym);
  g_autofree char *f_name = g_strdup_printf ("%s_factors.csv", sym);
  g_autoptr(GPtrArray) raw = lean_csv (raw_name);
  g_autoptr(GPtrArray) adj = lean_csv (adj_name);
  g_autoptr(GArray) f = factors_of (f_name);
  g_autoptr(HsBars) b = bars_of (raw, 86400), want = bars_of (adj, 86400);
  g_autoptr(GTimeZone) ny = new_york ();

  g_assert_cmpuint (hs_bars_keep_us_equity_session (b, ny, NULL, 0), ==, raw->len);
  /* The zone does not matter for daily bars: their date is the UTC date of their time. */
  hs_bars_adjust (b, ny, (const HsPriceFactor *) (const void *) f->data, f->len);
  expect_same_bars (b, want);
}

/* By hand, New York: 2013-11-29 closes at 13:00 (EST, UTC−5), 2013-12-25 is a holiday,
 * 2014-03-10 is the first weekday of EDT (UTC−4). */
static void
test_session (void)
{
  static const struct
  {
    const char *ts;
    gboolean    kept;
  } cases[] = {
    { "2013-11-29T14:29:00Z", FALSE },   /* 09:29 */
    { "2013-11-29T14:30:00Z", TRUE },    /* 09:30 */
    { "2013-11-29T17:59:00Z", TRUE },    /* 12:59 */
    { "2013-11-29T18:00:00Z", FALSE },   /* 13:00, the early close */
    { "2013-12-02T20:59:00Z", TRUE },    /* 15:59 */
    { "2013-12-02T21:00:00Z", FALSE },   /* 16:00 */
    { "2013-12-25T15:00:00Z", FALSE },   /* 10:00 on Christmas */
    { "2014-03-10T13:30:00Z", TRUE },    /* 09:30 EDT */
    { "2014-03-10T13:29:00Z", FALSE },
  };
  HsMarketDay days[] = {
    { iso ("2013-11-29") / DAY, HS_MARKET_DAY_EARLY_CLOSE, 13 * 3600 },
    { iso ("2013-12-25") / DAY, HS_MARKET_DAY_HOLIDAY, 0 },
  };
  g_autoptr(HsBars) b = hs_bars_new (G_N_ELEMENTS (cases), 60);
  g_autoptr(HsBars) daily = hs_bars_new (1, 86400);
  g_autoptr(GTimeZone) ny = new_york ();
  size_t k = 0;
  HsMarketDayKind kind;

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      b->ts[i] = iso (cases[i].ts);
      b->close[i] = (double) i;
    }
  hs_bars_keep_us_equity_session (b, ny, days, G_N_ELEMENTS (days));
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    if (cases[i].kept)
      {
        g_assert_cmpuint (k, <, b->n);
        g_assert_cmpint (b->ts[k], ==, iso (cases[i].ts));
        g_assert_cmpfloat (b->close[k], ==, (double) i);
        k++;
      }
  g_assert_cmpuint (b->n, ==, k);
  /* Daily bars are kept as they are, even on a holiday. */
  daily->ts[0] = iso ("2013-12-25");
  g_assert_cmpuint (hs_bars_keep_us_equity_session (daily, ny, days, G_N_ELEMENTS (days)), ==, 1);
  g_assert_true (hs_market_day_kind_from_string ("early_close", &kind));
  g_assert_cmpint (kind, ==, HS_MARKET_DAY_EARLY_CLOSE);
  g_assert_cmpstr (hs_market_day_kind_to_string (HS_MARKET_DAY_HOLIDAY), ==, "holiday");
  g_assert_false (hs_market_day_kind_from_string ("closed", &kind));
}

static void
test_quote_bar_check (void)
{
  static const struct
  {
    HsQuoteBar  bar;
    const char *message;   /* NULL: valid */
  } cases[] = {
    { { 0, 1, 2, 1, 1.5, 10, 1.1, 2.1, 1.1, 1.2, 5 }, NULL },
    { { 0, NAN, NAN, NAN, NAN, 0, 1.1, 2.1, 1.1, 1.2, 5 }, NULL },
    { { 0, 1, 2, 1, 1.5, 10, NAN, NAN, NAN, NAN, 0 }, NULL },
    /* Crossed is allowed: extremes of different instants. */
    { { 0, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1 }, NULL },
    { { 0, NAN, NAN, NAN, NAN, 0, NAN, NAN, NAN, NAN, 0 }, "a quote bar needs a bid or an ask" },
    { { 0, 1, NAN, 1, 1, 0, 1, 1, 1, 1, 0 }, "bid high is missing" },
    { { 0, 1, 2, 1, 1.5, 10, 1, 1, 2, 1, 1 }, "ask high 1 is below ask low 2" },
    { { 0, 1, 2, 1, 3, 10, 1, 1, 1, 1, 1 }, "bid open 1 and close 3 must lie between" },
    { { 0, 0, 2, 1, 1, 10, 1, 1, 1, 1, 1 }, "bid open must be a positive price, not 0" },
    { { 0, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1 }, "bid size must be zero or more, not -1" },
    { { 0, 1, 1, 1, 1, 1, 1, INFINITY, 1, 1, 1 }, "ask high must be a positive price, not inf" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = hs_quote_bar_check (&cases[i].bar, &error);

      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, HS_RECORD_ERROR, error->code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %zu: expected “%s” in “%s”", i, cases[i].message, error->message);
    }
}

/* The quote of each trade bar: the latest quote bar starting at or before it. */
static void
test_align (void)
{
  g_autoptr(HsQuoteBars) q = hs_quote_bars_new (3, 60);
  g_autoptr(HsBars) b = hs_bars_new (5, 60);
  double bid[5], ask[5];
  const HsQuoteBar rows[] = {
    { 120, 1, 1, 1, 1, 0, 2, 2, 2, 2, 0 },
    { 180, 3, 3, 3, 3, 0, NAN, NAN, NAN, NAN, 0 },
    { 300, 5, 5, 5, 5, 0, 6, 6, 6, 6, 0 },
  };
  const int64_t ts[] = { 60, 120, 180, 240, 300 };

  for (size_t i = 0; i < 3; i++)
    hs_quote_bars_set (q, i, &rows[i]);
  memcpy (b->ts, ts, sizeof ts);
  hs_quote_bars_align_close (q, b, bid, ask);
  g_assert_true (isnan (bid[0]) && isnan (ask[0]));
  g_assert_cmpfloat (bid[1], ==, 1);
  g_assert_cmpfloat (ask[1], ==, 2);
  g_assert_cmpfloat (bid[2], ==, 3);
  g_assert_true (isnan (ask[2]));
  g_assert_cmpfloat (bid[3], ==, 3);
  g_assert_cmpfloat (ask[4], ==, 6);
}

/* Identifiers as LEAN prints them (its regression tests' Lowest Capacity Asset and symbol
 * tests): SPY, AAPL, IBM (data from 1998-01-02), FB (2012-05-18), and GOOGL, which LEAN knows by
 * its first ticker and date, GOOG on 2004-08-19. */
static void
test_security_id (void)
{
  static const struct
  {
    const char *symbol, *date, *id;
  } cases[] = {
    { "SPY", "1998-01-02", "SPY R735QTJ8XC9X" },
    { "aapl", "1998-01-02", "AAPL R735QTJ8XC9X" },
    { "IBM", "1998-01-02", "IBM R735QTJ8XC9X" },
    { "FB", "2012-05-18", "FB V6OIPNZEM8V9" },
    { "GOOG", "2004-08-19", "GOOG T1AZ164W5VTX" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = hs_lean_equity_id (cases[i].symbol, iso (cases[i].date) / DAY);

      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

int
main (int    argc,
      char **argv)
{
  static const char *daily[] = { "spy", "aapl", "ibm", "bac" };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/hs/core/lean-data/decimal-product", test_decimal_product);
  g_test_add_func ("/hs/core/lean-data/factor-lookup", test_factor_lookup);
  g_test_add_func ("/hs/core/lean-data/minute-bars", test_minute_bars_as_lean);
  g_test_add_func ("/hs/core/lean-data/minute-quotes", test_minute_quotes_as_lean);
  for (size_t i = 0; i < G_N_ELEMENTS (daily); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hs/core/lean-data/daily/%s", daily[i]);

      g_test_add_data_func (path, daily[i], test_daily_bars_as_lean);
    }
  g_test_add_func ("/hs/core/lean-data/session", test_session);
  g_test_add_func ("/hs/core/lean-data/quote-bar-check", test_quote_bar_check);
  g_test_add_func ("/hs/core/lean-data/align", test_align);
  g_test_add_func ("/hs/core/lean-data/security-id", test_security_id);
  return g_test_run ();
}
