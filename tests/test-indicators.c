/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core: the indicator kernels of hs-indicators.c, three ways.
 *
 * 1. Real data against an independent reference, at several dates each:
 *    - backtrader's own indicator tests (github.com/mementum/backtrader, tests/test_ind_*.py and
 *      tests/test_study_fractal.py, the check points of tests/testcommon.py) on
 *      tests/data/backtrader/2006-day-001.txt, the very file those tests read. backtrader prints
 *      each expected value with "%f", i.e. rounded to 6 decimals, so the true value lies within
 *      5e-7 of the printed one: we assert |ours − printed| < 5e-7 and, as backtrader itself does,
 *      that our value printed with "%.6f" is the same text.
 *    - where backtrader has no test or defines the indicator differently (ATR, σ, EMA slope,
 *      squeeze, pivots at our bar, relative volume, VWAP, CVD, book imbalance), values computed
 *      in exact rational arithmetic by the Python script in docs/indicators.md ("Reference
 *      values") from the decimal text of the data files, printed with 10 decimals; we allow 1e-9,
 *      which covers the 5e-11 of the printing and the rounding of doubles (values < 10^8).
 * 2. Small hand calculations, the arithmetic written next to each case.
 * 3. A differential test on random data (GRand, fixed seeds): each kernel against a slow, obvious
 *    implementation written here (O(n·period), windows summed from scratch, two-pass variance,
 *    recurrences restarted by hand at every gap), several periods, with gaps (NAN) and n < period.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "hs-indicators.h"
#include "hs-time.h"

/* ---- data files ------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *rows;   /* (element-type GStrv) fields of each data row, header left out */
} Table;

static void
table_free (Table *t)
{
  g_ptr_array_unref (t->rows);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

static Table *
table_load (const char *rel)
{
  const char *dir = g_getenv ("HS_TEST_DATA");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  Table *t = g_new0 (Table, 1);

  path = dir ? g_build_filename (dir, rel, NULL) : g_test_build_filename (G_TEST_DIST, "data",
                                                                          rel, NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  lines = g_strsplit (text, "\n", -1);
  for (size_t i = 1; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);   /* also the \r of CRLF files */
      if (lines[i][0] == '\0')
        continue;
      g_ptr_array_add (t->rows, g_strsplit (lines[i], ",", -1));
    }
  return t;
}

static size_t
table_n (const Table *t)
{
  return t->rows->len;
}

static const char *
table_field (const Table *t,
             size_t       row,
             size_t       col)
{
  char **f = g_ptr_array_index (t->rows, row);

  g_assert_cmpuint (g_strv_length (f), >, col);
  return f[col];
}

/* (transfer full): column @col as numbers; every field must be a whole number. */
static double *
table_column (const Table *t,
              size_t       col)
{
  double *v = g_new (double, table_n (t));

  for (size_t i = 0; i < table_n (t); i++)
    {
      const char *s = table_field (t, i, col);
      char *end = NULL;

      v[i] = g_ascii_strtod (s, &end);
      g_assert_true (end != s && *end == '\0');
    }
  return v;
}

static int64_t *
table_times (const Table *t)
{
  int64_t *ts = g_new (int64_t, table_n (t));

  for (size_t i = 0; i < table_n (t); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (hs_time_parse (table_field (t, i, 0), NULL, &ts[i], &error));
      g_assert_no_error (error);
    }
  return ts;
}

/* ---- checks ---------------------------------------------------------------------------- */

/* A value printed by backtrader's tests with "%f". */
static void
check_bt (const char   *what,
          const double *got,
          size_t        bar,
          const char   *printed)
{
  char buf[64];

  g_snprintf (buf, sizeof buf, "%.6f", got[bar]);
  g_test_message ("%s bar %zu: ours %.12f, backtrader %s", what, bar, got[bar], printed);
  g_assert_cmpfloat_with_epsilon (got[bar], g_ascii_strtod (printed, NULL), 5e-7);
  g_assert_cmpstr (buf, ==, printed);
}

/* A value of the exact reference (10 decimals), or NAN. */
static void
check_ref (const char *what,
           double      got,
           size_t      bar,
           double      want)
{
  g_test_message ("%s bar %zu: ours %.12f, reference %.10f", what, bar, got, want);
  if (isnan (want))
    g_assert_true (isnan (got));
  else
    g_assert_cmpfloat_with_epsilon (got, want, 1e-9);
}

/* Every value of @got against @want: the same NANs, and finite values within
 * @tol × (1 + |want|). */
static void
check_series (const char   *what,
              const double *got,
              const double *want,
              size_t        n,
              double        tol)
{
  for (size_t i = 0; i < n; i++)
    {
      if (isnan (want[i]) != isnan (got[i])
          || (!isnan (want[i]) && !(fabs (got[i] - want[i]) <= tol * (1.0 + fabs (want[i])))))
        {
          g_test_message ("%s: bar %zu of %zu: got %.17g, want %.17g", what, i, n, got[i],
                          want[i]);
          g_assert_cmpint (isnan (got[i]), ==, isnan (want[i]));
          g_assert_cmpfloat_with_epsilon (got[i], want[i], tol * (1.0 + fabs (want[i])));
        }
    }
}

/* The three bars backtrader's testcommon.py checks: chkpts = [0, -l + mp, (-l + mp) // 2] in
 * its "ago" indexing, where 0 is the last bar, l the number of bars and mp the minimum period.
 * As 0-based bar numbers: l − 1, mp − 1, and l − 1 + floor ((mp − l) / 2). */
static void
bt_bars (size_t l,
         size_t mp,
         size_t bars[3])
{
  int64_t back = (int64_t) mp - (int64_t) l;

  bars[0] = l - 1;
  bars[1] = mp - 1;
  g_assert_cmpint (back, <=, 0);
  /* Python's // floors; for back <= 0, (back − 1) / 2 in C (which truncates) is that floor. */
  bars[2] = (size_t) ((int64_t) l - 1 + (back - 1) / 2);
}

typedef struct
{
  const char *line;
  const char *values[3];   /* at bt_bars () order: last bar, first bar, middle */
  size_t      own_mp;      /* the line's own minimum period where it is less than the test's */
} BtLine;

/* ---- 1a. backtrader ---------------------------------------------------------------------- */

typedef struct
{
  size_t  n;
  double *high;
  double *low;
  double *close;
} Daily;

static void
daily_clear (Daily *d)
{
  g_free (d->high);
  g_free (d->low);
  g_free (d->close);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Daily, daily_clear)

/* tests/data/backtrader/2006-day-001.txt: Date,Open,High,Low,Close,Volume,OpenInterest; 255 bars,
 * 2006-01-02 … 2006-12-29. backtrader applies a one-line indicator to the data's close. */
static void
daily_load (Daily *d)
{
  g_autoptr(Table) t = table_load ("backtrader/2006-day-001.txt");

  d->n = table_n (t);
  g_assert_cmpuint (d->n, ==, 255);
  d->high = table_column (t, 2);
  d->low = table_column (t, 3);
  d->close = table_column (t, 4);
}

static void
check_bt_lines (const char    *what,
                size_t         n,
                size_t         mp,
                const double **series,
                const BtLine  *lines,
                size_t         n_lines)
{
  size_t bars[3];

  bt_bars (n, mp, bars);
  for (size_t l = 0; l < n_lines; l++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", what, lines[l].line);

      for (size_t c = 0; c < 3; c++)
        check_bt (name, series[l], bars[c], lines[l].values[c]);
      /* The bar before the line's minimum period is still warming up, the next is not. */
      g_assert_true (isnan (series[l][(lines[l].own_mp ? lines[l].own_mp : mp) - 2]));
      g_assert_false (isnan (series[l][(lines[l].own_mp ? lines[l].own_mp : mp) - 1]));
    }
}

/* tests/test_ind_sma.py, test_ind_ema.py, test_ind_wma.py: period 30 (mp 30), bars 254, 29, 141
 * (2006-12-29, 2006-02-10, 2006-07-21). backtrader's EMA is alpha = 2 / (period + 1) seeded with
 * the SMA, as ours; its WMA weighs 1 … period, as ours. */
static void
test_bt_moving_averages (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *sma = NULL, *ema = NULL, *wma = NULL;
  static const BtLine sma_l[] = { { "sma", { "4063.463000", "3644.444667", "3554.693333" } } };
  static const BtLine ema_l[] = { { "ema", { "4070.115719", "3644.444667", "3581.728712" } } };
  static const BtLine wma_l[] = { { "wma", { "4076.212366", "3655.193634", "3576.228000" } } };

  daily_load (&d);
  sma = g_new (double, d.n);
  ema = g_new (double, d.n);
  wma = g_new (double, d.n);
  hs_sma (d.close, d.n, 30, sma);
  hs_ema (d.close, d.n, 30, ema);
  hs_wma (d.close, d.n, 30, wma);
  check_bt_lines ("SMA(30)", d.n, 30, (const double *[]) { sma }, sma_l, 1);
  check_bt_lines ("EMA(30)", d.n, 30, (const double *[]) { ema }, ema_l, 1);
  check_bt_lines ("WMA(30)", d.n, 30, (const double *[]) { wma }, wma_l, 1);
}

/* tests/test_ind_rsi.py: RSI(14), mp 15, bars 254, 14, 134 (2006-12-29, 2006-01-20,
 * 2006-07-12). backtrader's RSI (indicators/rsi.py) is Wilder's: UpDay/DownDay,
 * SmoothedMovingAverage (alpha 1/period seeded with the SMA of the first period changes),
 * rs = up / down,
 * 100 − 100 / (1 + rs), the same as ours; its "SafeDiv" variant (test_ind_rsi_safe.py) only
 * matters when the average loss is 0, which this data never has (our rule there: see the hand
 * cases). */
static void
test_bt_rsi (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *rsi = NULL;
  static const BtLine l[] = { { "rsi", { "57.644284", "41.630968", "53.352553" } } };

  daily_load (&d);
  rsi = g_new (double, d.n);
  hs_rsi (d.close, d.n, 14, rsi);
  check_bt_lines ("RSI(14)", d.n, 15, (const double *[]) { rsi }, l, 1);
}

/* tests/test_ind_macdhisto.py: MACDHisto (12, 26, 9), mp 34, bars 254, 33, 143 (2006-12-29,
 * 2006-02-16, 2006-07-25); lines macd, signal, histo. Its signal is an EMA of the line seeded
 * with the SMA of the line's first 9 values, as ours. */
static void
test_bt_macd (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *line = NULL, *sig = NULL, *hist = NULL;
  static const BtLine l[] = {
    { "macd", { "25.821368", "32.469404", "1.772445" }, 26 },
    { "signal", { "21.977853", "26.469735", "-2.845646" } },
    { "histo", { "3.843516", "5.999669", "4.618090" } },
  };

  daily_load (&d);
  line = g_new (double, d.n);
  sig = g_new (double, d.n);
  hist = g_new (double, d.n);
  hs_macd (d.close, d.n, 12, 26, 9, line, sig, hist);
  check_bt_lines ("MACD(12,26,9)", d.n, 34, (const double *[]) { line, sig, hist }, l, 3);
}

/* tests/test_ind_bbands.py: BBands (20, 2), mp 20, bars 254, 19, 136 (2006-12-29, 2006-01-27,
 * 2006-07-14); lines mid, top, bot. backtrader's StdDev is the population one, as ours. */
static void
test_bt_bollinger (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *mid = NULL, *up = NULL, *lo = NULL, *sma = NULL;
  static const BtLine l[] = {
    { "mid", { "4065.884000", "3621.185000", "3582.895500" } },
    { "top", { "4190.782310", "3712.008864", "3709.453081" } },
    { "bot", { "3940.985690", "3530.361136", "3456.337919" } },
  };

  daily_load (&d);
  mid = g_new (double, d.n);
  up = g_new (double, d.n);
  lo = g_new (double, d.n);
  sma = g_new (double, d.n);
  hs_bollinger (d.close, d.n, 20, 2.0, mid, up, lo);
  check_bt_lines ("BBands(20,2)", d.n, 20, (const double *[]) { mid, up, lo }, l, 3);
  /* The middle band is hs_sma, bit for bit. */
  hs_sma (d.close, d.n, 20, sma);
  g_assert_cmpmem (mid + 19, (d.n - 19) * sizeof (double), sma + 19, (d.n - 19) * sizeof (double));
}

/* tests/test_ind_stochastic.py: Stochastic, backtrader's slow stochastic with its defaults
 * period 14, period_dfast 3, period_dslow 3: its percK is the SMA(3) of the raw %K and its
 * percD the SMA(3) of that, i.e. ours with (14, 3, 3). mp 18, bars 254, 17, 135 (2006-12-29,
 * 2006-01-25, 2006-07-13). tests/test_ind_stochasticfull.py adds the raw %K as its first line:
 * ours with smooth 1. */
static void
test_bt_stochastic (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *k = NULL, *dd = NULL, *raw = NULL;
  static const BtLine slow[] = {
    { "percK", { "88.667626", "21.409626", "63.796187" }, 16 },
    { "percD", { "82.845850", "15.710059", "77.642219" } },
  };
  static const BtLine full[] = {
    { "percK (raw)", { "83.541267", "36.818395", "41.769503" }, 14 },
  };

  daily_load (&d);
  k = g_new (double, d.n);
  dd = g_new (double, d.n);
  raw = g_new (double, d.n);
  hs_stochastic (d.high, d.low, d.close, d.n, 14, 3, 3, k, dd);
  check_bt_lines ("Stochastic(14,3,3)", d.n, 18, (const double *[]) { k, dd }, slow, 2);
  hs_stochastic (d.high, d.low, d.close, d.n, 14, 1, 1, raw, NULL);
  check_bt_lines ("StochasticFull raw %K", d.n, 18, (const double *[]) { raw }, full, 1);
}

/* tests/test_ind_highest.py, test_ind_lowest.py: period 14 over the close, mp 14, bars 254, 13,
 * 133 (2006-12-29, 2006-01-19, 2006-07-11). */
static void
test_bt_highest_lowest (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *hi = NULL, *lo = NULL;
  static const BtLine hl[] = { { "highest", { "4140.660000", "3671.780000", "3670.750000" } } };
  static const BtLine ll[] = { { "lowest", { "4019.890000", "3570.170000", "3506.070000" } } };

  daily_load (&d);
  hi = g_new (double, d.n);
  lo = g_new (double, d.n);
  hs_highest (d.close, d.n, 14, hi);
  hs_lowest (d.close, d.n, 14, lo);
  check_bt_lines ("Highest(14)", d.n, 14, (const double *[]) { hi }, hl, 1);
  check_bt_lines ("Lowest(14)", d.n, 14, (const double *[]) { lo }, ll, 1);
}

/* backtrader differs from our ATR: its TrueRange needs the previous close, so its first true
 * range is at bar 1 and its first ATR(14) (mean of TR 1 … 14) at bar 14 (34.264286 in
 * tests/test_ind_atr.py); ours counts the first bar's high − low, so our first ATR (mean of
 * TR 0 … 13) is at bar 13. The two differ by a seed difference that shrinks by 13/14 a bar,
 * (13/14)^240 ≈ 2e-8 by the last bar, so there backtrader's value is a valid check of ours too.
 * Elsewhere the reference is the exact computation of docs/indicators.md. */
static void
test_ref_atr (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *atr = NULL;
  static const struct
  {
    size_t bar;
    double want;
  } ref[] = {
    { 13, 31.8107142857 },    /* 2006-01-19 */
    { 14, 33.9363775510 },    /* 2006-01-20 */
    { 133, 55.0427897620 },   /* 2006-07-11 */
    { 254, 35.8663078970 },   /* 2006-12-29 */
  };

  daily_load (&d);
  atr = g_new (double, d.n);
  hs_atr (d.high, d.low, d.close, d.n, 14, atr);
  g_assert_true (isnan (atr[12]));
  for (size_t i = 0; i < G_N_ELEMENTS (ref); i++)
    check_ref ("ATR(14)", atr[ref[i].bar], ref[i].bar, ref[i].want);
  /* tests/test_ind_atr.py, last bar (ago 0). */
  check_bt ("ATR(14) last bar", atr, 254, "35.866308");
}

/* σ: backtrader has no StdDev test of its own, but its BBands (20, 2) top − mid is 2σ: from the
 * printed values, σ = (top − mid) / 2 to within 5e-7 (each printed value is within 5e-7, the
 * difference within 1e-6, half of it within 5e-7). Also the exact reference. */
static void
test_ref_stdev (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *sd = NULL;
  static const struct
  {
    size_t      bar;
    const char *top, *mid;
    double      want;
  } ref[] = {
    { 254, "4190.782310", "4065.884000", 62.4491548702 },   /* 2006-12-29 */
    { 19, "3712.008864", "3621.185000", 45.4119320774 },    /* 2006-01-27 */
    { 136, "3709.453081", "3582.895500", 63.2787905601 },   /* 2006-07-14 */
  };

  daily_load (&d);
  sd = g_new (double, d.n);
  hs_stdev (d.close, d.n, 20, sd);
  g_assert_true (isnan (sd[18]));
  for (size_t i = 0; i < G_N_ELEMENTS (ref); i++)
    {
      double half = (g_ascii_strtod (ref[i].top, NULL) - g_ascii_strtod (ref[i].mid, NULL)) / 2;

      g_assert_cmpfloat_with_epsilon (sd[ref[i].bar], half, 5e-7 + 1e-12);
      check_ref ("StdDev(20)", sd[ref[i].bar], ref[i].bar, ref[i].want);
    }
}

/* tests/test_study_fractal.py: Fractal (period 5) is a pivot with 2 bars each side and the same
 * tie rule as ours (the middle must be the first maximum of the 5: strictly above the bars
 * before, not below those after). backtrader writes it at the pivot bar itself, scaled by
 * 1 ± bardist (0.015); we write the plain value 2 bars later, when it is confirmed. Its check
 * bars are 254, 4, 129: fractal_bullish at bar 129 (2006-07-07) is 3553.692850 =
 * 3607.81 × 0.985 (low[129] = 3607.81), the other five values NAN. So: our pivot_low (2, 2) at
 * bar 131 is 3607.81 and our pivot_high (2, 2) there is NAN; bar 4's fractals are NAN, so ours at
 * bar 6 are NAN; bar 254's cannot be checked (it would be our bar 256). */
static void
test_bt_fractal (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *ph = NULL, *pl = NULL;

  daily_load (&d);
  ph = g_new (double, d.n);
  pl = g_new (double, d.n);
  hs_pivot_high (d.high, d.n, 2, 2, ph);
  hs_pivot_low (d.low, d.n, 2, 2, pl);
  g_assert_cmpfloat (pl[131], ==, 3607.81);
  g_assert_cmpfloat_with_epsilon (pl[131] * (1 - 0.015), 3553.692850, 5e-7);
  g_assert_true (isnan (ph[131]));
  g_assert_true (isnan (ph[6]));
  g_assert_true (isnan (pl[6]));
}

/* ---- 1b. the exact reference (docs/indicators.md) ---------------------------------------- */

/* Pivots on the highs and lows of 2006-day-001: the first confirmations and the counts. */
static void
test_ref_pivots (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *ph = NULL, *pl = NULL;
  static const struct
  {
    int    left, right;
    size_t first_hi[3];
    double hi[3];
    size_t n_hi;
    size_t first_lo[3];
    double lo[3];
    size_t n_lo;
  } ref[] = {
    { 2, 2, { 7, 10, 16 }, { 3685.99, 3676.00, 3612.37 }, 36,
      { 8, 14, 17 }, { 3638.77, 3550.16, 3515.07 }, 34 },
    { 5, 3, { 8, 26, 43 }, { 3685.99, 3745.14, 3840.56 }, 23,
      { 18, 30, 50 }, { 3515.07, 3637.93, 3702.04 }, 17 },
  };

  daily_load (&d);
  ph = g_new (double, d.n);
  pl = g_new (double, d.n);
  for (size_t r = 0; r < G_N_ELEMENTS (ref); r++)
    {
      size_t nh = 0, nl = 0, k;

      hs_pivot_high (d.high, d.n, ref[r].left, ref[r].right, ph);
      hs_pivot_low (d.low, d.n, ref[r].left, ref[r].right, pl);
      for (size_t i = 0, kh = 0, kl = 0; i < d.n; i++)
        {
          if (!isnan (ph[i]))
            {
              if (kh < 3)
                {
                  g_assert_cmpuint (i, ==, ref[r].first_hi[kh]);
                  g_assert_cmpfloat (ph[i], ==, ref[r].hi[kh]);
                  kh++;
                }
              nh++;
            }
          if (!isnan (pl[i]))
            {
              if (kl < 3)
                {
                  g_assert_cmpuint (i, ==, ref[r].first_lo[kl]);
                  g_assert_cmpfloat (pl[i], ==, ref[r].lo[kl]);
                  kl++;
                }
              nl++;
            }
        }
      g_assert_cmpuint (nh, ==, ref[r].n_hi);
      g_assert_cmpuint (nl, ==, ref[r].n_lo);
      /* The value reported is the pivot's own, right bars earlier. */
      k = ref[r].first_hi[0] - (size_t) ref[r].right;
      g_assert_cmpfloat (d.high[k], ==, ref[r].hi[0]);
    }
}

/* EMA slope (30, 5) and squeeze (20, 2, 1.5) on 2006-day-001. The squeeze is on at bars 68 … 71
 * only (2006-04-06 … 2006-04-11); the smallest distance between a Bollinger and a Keltner band at
 * the checked bars is 1.03 (bar 71), far above rounding. */
static void
test_ref_slope_squeeze (void)
{
  g_auto(Daily) d = { 0 };
  g_autofree double *slope = NULL, *sq = NULL;
  static const struct
  {
    size_t bar;
    double want;
  } ref[] = {
    { 34, 5.6777837241 },     /* 2006-02-17 */
    { 141, -2.7166967471 },   /* 2006-07-21 */
    { 254, 3.5668431821 },    /* 2006-12-29 */
  };

  daily_load (&d);
  slope = g_new (double, d.n);
  sq = g_new (double, d.n);
  hs_ema_slope (d.close, d.n, 30, 5, slope);
  g_assert_true (isnan (slope[33]));
  for (size_t i = 0; i < G_N_ELEMENTS (ref); i++)
    check_ref ("EMA slope (30, 5)", slope[ref[i].bar], ref[i].bar, ref[i].want);

  hs_squeeze (d.high, d.low, d.close, d.n, 20, 2.0, 1.5, sq);
  g_assert_true (isnan (sq[18]));
  for (size_t i = 19; i < d.n; i++)
    g_assert_cmpfloat (sq[i], ==, i >= 68 && i <= 71 ? 1.0 : 0.0);
}

/* Relative volume (20) on tests/data/lean/spy_daily.csv (date,open,high,low,close,volume;
 * 5,849 days 1998-01-02 … 2021-03-31). */
static void
test_ref_relative_volume (void)
{
  g_autoptr(Table) t = table_load ("lean/spy_daily.csv");
  g_autofree double *vol = table_column (t, 5);
  g_autofree double *rv = g_new (double, table_n (t));
  static const struct
  {
    size_t      bar;
    const char *date;
    double      want;
  } ref[] = {
    { 20, "1998-02-02", 1.1091105795 },
    { 1000, "2001-12-26", 0.5805843663 },
    { 3000, "2009-12-04", 1.6934158621 },
    { 5848, "2021-03-31", 0.9673699084 },
  };

  g_assert_cmpuint (table_n (t), ==, 5849);
  hs_relative_volume (vol, table_n (t), 20, rv);
  g_assert_true (isnan (rv[19]));
  for (size_t i = 0; i < G_N_ELEMENTS (ref); i++)
    {
      g_assert_cmpstr (table_field (t, ref[i].bar, 0), ==, ref[i].date);
      check_ref ("RVOL(20)", rv[ref[i].bar], ref[i].bar, ref[i].want);
    }
}

/* Session VWAP and CVD on tests/data/lean/spy_minute_2013-10.csv: SPY one-minute bars
 * (timestamp,open,high,low,close,volume; opening time in UTC), 4,839 bars over six days,
 * 04:00–20:00 New York. Price = typical price; sessions = New York days (which here are also
 * UTC days), and again Tokyo days, which cut each New York day at 15:00Z. */
static void
test_ref_vwap_cvd (void)
{
  g_autoptr(Table) t = table_load ("lean/spy_minute_2013-10.csv");
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  size_t n = table_n (t);
  g_autofree int64_t *ts = table_times (t);
  g_autofree double *open = table_column (t, 1);
  g_autofree double *high = table_column (t, 2);
  g_autofree double *low = table_column (t, 3);
  g_autofree double *close = table_column (t, 4);
  g_autofree double *vol = table_column (t, 5);
  g_autofree double *tp = g_new (double, n);
  g_autofree int64_t *sess = g_new (int64_t, n);
  g_autofree double *vw = g_new (double, n);
  g_autofree double *u1 = g_new (double, n);
  g_autofree double *l1 = g_new (double, n);
  g_autofree double *u2 = g_new (double, n);
  g_autofree double *l2 = g_new (double, n);
  g_autofree double *sv = g_new (double, n);
  g_autofree double *cvd = g_new (double, n);
  g_autofree double *cvd_ma = g_new (double, n);
  static const struct
  {
    size_t      bar;
    const char *ts;
    double      vwap, sigma;
  } ny_ref[] = {
    { 0, "2013-10-04T08:06:00Z", 167.65, 0 },
    { 711, "2013-10-07T08:00:00Z", 167.31, 0 },   /* first bar of the second session */
    { 1111, "2013-10-07T15:50:00Z", 167.8794942871, 0.3024624652 },
    { 1689, "2013-10-08T12:24:00Z", 167.4405946127, 0.1280289872 },
    { 3144, "2013-10-09T23:09:00Z", 165.5266905007, 0.3506848621 },
    { 4838, "2013-10-11T23:59:00Z", 169.7381484898, 0.4186480187 },
  }, tokyo_ref[] = {
    { 293, "2013-10-04T14:59:00Z", 168.1492810908, 0.3011405946 },
    { 294, "2013-10-04T15:00:00Z", 168.2533333333, 0 },   /* midnight in Tokyo */
    { 295, "2013-10-04T15:01:00Z", 168.2548567557, 0.0016604996 },
    { 721, "2013-10-07T08:11:00Z", 167.2457950417, 0.0286579562 },
    { 4838, "2013-10-11T23:59:00Z", 169.9480430999, 0.2743765803 },
  };
  /* Signed volume: +volume when close > open, −volume when close < open, 0 otherwise. */
  static const struct
  {
    size_t bar;
    double whole, session, ma10;
  } cvd_ref[] = {
    { 0, 0, 0, NAN },
    { 710, 3650760, 3650760, 3654277.5 },   /* last bar of 2013-10-04 */
    { 711, 3647563, -3197, 3653715.3 },
    { 3480, -24846315, 7299274, -25675128.9 },
    { 4838, 9627052, 16368833, 9626764.4 },
  };
  const int64_t ny_days[] = { 15982, 15985, 15986, 15987, 15988, 15989 };   /* 2013-10-04 … 11 */
  size_t k = 0;

  g_assert_cmpuint (n, ==, 4839);
  hs_typical_price (high, low, close, n, tp);

  hs_session_days (ts, n, ny, sess);
  for (size_t i = 0; i < n; i++)
    {
      if (i > 0 && sess[i] != sess[i - 1])
        k++;
      g_assert_cmpuint (k, <, G_N_ELEMENTS (ny_days));
      g_assert_cmpint (sess[i], ==, ny_days[k]);
    }
  g_assert_cmpuint (k, ==, 5);
  hs_vwap (tp, vol, sess, n, vw, u1, l1, u2, l2);
  for (size_t i = 0; i < G_N_ELEMENTS (ny_ref); i++)
    {
      size_t b = ny_ref[i].bar;

      g_assert_cmpstr (table_field (t, b, 0), ==, ny_ref[i].ts);
      check_ref ("VWAP New York", vw[b], b, ny_ref[i].vwap);
      check_ref ("VWAP +1σ", u1[b], b, ny_ref[i].vwap + ny_ref[i].sigma);
      check_ref ("VWAP −1σ", l1[b], b, ny_ref[i].vwap - ny_ref[i].sigma);
      check_ref ("VWAP +2σ", u2[b], b, ny_ref[i].vwap + 2 * ny_ref[i].sigma);
      check_ref ("VWAP −2σ", l2[b], b, ny_ref[i].vwap - 2 * ny_ref[i].sigma);
    }

  hs_session_days (ts, n, tokyo, sess);
  hs_vwap (tp, vol, sess, n, vw, u1, NULL, NULL, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (tokyo_ref); i++)
    {
      size_t b = tokyo_ref[i].bar;

      g_assert_cmpstr (table_field (t, b, 0), ==, tokyo_ref[i].ts);
      check_ref ("VWAP Tokyo", vw[b], b, tokyo_ref[i].vwap);
      check_ref ("VWAP Tokyo σ", u1[b] - vw[b], b, tokyo_ref[i].sigma);
    }

  for (size_t i = 0; i < n; i++)
    sv[i] = close[i] > open[i] ? vol[i] : close[i] < open[i] ? -vol[i] : 0.0;
  hs_cvd (sv, NULL, n, 10, cvd, cvd_ma);
  for (size_t i = 0; i < G_N_ELEMENTS (cvd_ref); i++)
    {
      g_assert_cmpfloat (cvd[cvd_ref[i].bar], ==, cvd_ref[i].whole);
      check_ref ("CVD MA(10)", cvd_ma[cvd_ref[i].bar], cvd_ref[i].bar, cvd_ref[i].ma10);
    }
  hs_session_days (ts, n, ny, sess);
  hs_cvd (sv, sess, n, 10, cvd, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (cvd_ref); i++)
    g_assert_cmpfloat (cvd[cvd_ref[i].bar], ==, cvd_ref[i].session);
}

/* Book imbalance of the last bid and ask sizes of tests/data/lean/spy_minute_quote_2013-10.csv
 * (timestamp,bid_open,…,bid_size,ask_open,…,ask_size). */
static void
test_ref_book_imbalance (void)
{
  g_autoptr(Table) t = table_load ("lean/spy_minute_quote_2013-10.csv");
  size_t n = table_n (t);
  g_autofree double *bid = table_column (t, 5);
  g_autofree double *ask = table_column (t, 10);
  g_autofree double *imb = g_new (double, n);
  static const struct
  {
    size_t      bar;
    const char *ts;
    double      want;   /* 100 (b − a) / (b + a) */
  } ref[] = {
    { 0, "2013-10-04T08:00:00Z", 0 },                  /* 20000 vs 20000 */
    { 100, "2013-10-04T10:03:00Z", 99.0049751244 },    /* 20000 vs 100 */
    { 1000, "2013-10-07T10:55:00Z", -99.0566037736 },  /* 100 vs 21100 */
    { 3000, "2013-10-09T14:11:00Z", 62.6740947075 },   /* 29200 vs 6700 */
    { 5411, "2013-10-12T00:00:00Z", 16.6666666667 },   /* 700 vs 500 */
  };

  g_assert_cmpuint (n, ==, 5412);
  hs_book_imbalance (bid, ask, n, imb);
  for (size_t i = 0; i < G_N_ELEMENTS (ref); i++)
    {
      g_assert_cmpstr (table_field (t, ref[i].bar, 0), ==, ref[i].ts);
      check_ref ("imbalance", imb[ref[i].bar], ref[i].bar, ref[i].want);
    }
}

/* ---- 2. hand calculations ---------------------------------------------------------------- */

#define N_ NAN

typedef struct
{
  const char  *what;
  size_t       n;
  const double x[10];
  int          period;
  const double want[10];
} HandCase;

static void
test_hand_single (void)
{
  static const HandCase sma[] = {
    /* (1+2+3)/3 = 2, (2+3+4)/3 = 3, … */
    { "sma", 6, { 1, 2, 3, 4, 5, 6 }, 3, { N_, N_, 2, 3, 4, 5 } },
    { "sma n < period", 2, { 1, 2 }, 3, { N_, N_ } },
    { "sma period 1", 3, { 7, -1, 2.5 }, 1, { 7, -1, 2.5 } },
    /* The gap at bar 2: windows holding it are NAN; (4+5+6)/3 = 5 */
    { "sma gap", 7, { 1, 2, N_, 4, 5, 6, 7 }, 3, { N_, N_, N_, N_, N_, 5, 6 } },
  };
  static const HandCase ema[] = {
    /* alpha = 2/4: seed (2+4+6)/3 = 4; 4 + 0.5 (8 − 4) = 6; 6 + 0.5 (4 − 6) = 5 */
    { "ema", 5, { 2, 4, 6, 8, 4 }, 3, { N_, N_, 4, 6, 5 } },
    /* After the gap, seeded again: (10+20)/2 = 15; alpha 2/3: 15 + (2/3)(30 − 15) = 25 */
    { "ema gap", 6, { 1, 3, N_, 10, 20, 30 }, 2, { N_, 2, N_, N_, 15, 25 } },
  };
  static const HandCase wma[] = {
    /* (1·1 + 2·2 + 3·3)/6 = 14/6; (1·2 + 2·3 + 3·4)/6 = 20/6; (1·3 + 2·4 + 3·10)/6 = 41/6 */
    { "wma", 5, { 1, 2, 3, 4, 10 }, 3, { N_, N_, 14.0 / 6, 20.0 / 6, 41.0 / 6 } },
  };
  static const HandCase rsi[] = {
    /* changes +1 −1 +2 0 −3. Seed (bar 2): gain (1+0)/2 = 0.5, loss (0+1)/2 = 0.5 → 50.
     * bar 3: gain 0.5 + ½(2 − 0.5) = 1.25, loss 0.5 + ½(0 − 0.5) = 0.25, RS 5 → 100 − 100/6.
     * bar 4: gain 0.625, loss 0.125, RS 5 → 100 − 100/6.
     * bar 5: gain 0.3125, loss 0.125 + ½(3 − 0.125) = 1.5625, RS 0.2 → 100 − 100/1.2. */
    { "rsi", 6, { 10, 11, 10, 12, 12, 9 }, 2,
      { N_, N_, 50, 100 - 100.0 / 6, 100 - 100.0 / 6, 100 - 100 / 1.2 } },
    /* No change at all: both averages 0 → 50 (our rule); only gains → 100; only losses → 0. */
    { "rsi flat", 4, { 5, 5, 5, 5 }, 2, { N_, N_, 50, 50 } },
    { "rsi up", 4, { 1, 2, 3, 5 }, 2, { N_, N_, 100, 100 } },
    { "rsi down", 4, { 5, 3, 2, 1 }, 2, { N_, N_, 0, 0 } },
  };
  static const HandCase stdev[] = {
    /* {2,4,4,4,5,5,7,9}: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, σ = √(32/8) = 2.
     * Then {4,4,4,5,5,7,9,11}: mean 49/8, Σ (x − mean)² = Σ x² − 8·mean² = 349 − 2401/8 = 391/8,
     * σ = √(391/64). */
    { "stdev", 9, { 2, 4, 4, 4, 5, 5, 7, 9, 11 }, 8,
      { N_, N_, N_, N_, N_, N_, N_, 2, 2.4717149916606487 } },
    { "stdev constant", 4, { 3, 3, 3, 3 }, 2, { N_, 0, 0, 0 } },
  };
  static const HandCase highest[] = {
    { "highest", 8, { 3, 1, 4, 1, 5, 9, 2, 6 }, 3, { N_, N_, 4, 4, 5, 9, 9, 9 } },
    { "highest gap", 6, { 3, 1, N_, 1, 5, 2 }, 2, { N_, 3, N_, N_, 5, 5 } },
  };
  static const HandCase lowest[] = {
    { "lowest", 8, { 3, 1, 4, 1, 5, 9, 2, 6 }, 3, { N_, N_, 1, 1, 1, 1, 2, 2 } },
  };
  static const HandCase rvol[] = {
    /* 200 / ((100+300)/2) = 1; 0 / 250 = 0; 0 / ((200+0)/2) = 0; 50 / 0 → NAN */
    { "rvol", 6, { 100, 300, 200, 0, 0, 50 }, 2, { N_, N_, 1, 0, 0, N_ } },
  };
  static const struct
  {
    const HandCase *cases;
    size_t          n;
    void          (*fn) (const double *, size_t, int, double *);
  } all[] = {
    { sma, G_N_ELEMENTS (sma), hs_sma },
    { ema, G_N_ELEMENTS (ema), hs_ema },
    { wma, G_N_ELEMENTS (wma), hs_wma },
    { rsi, G_N_ELEMENTS (rsi), hs_rsi },
    { stdev, G_N_ELEMENTS (stdev), hs_stdev },
    { highest, G_N_ELEMENTS (highest), hs_highest },
    { lowest, G_N_ELEMENTS (lowest), hs_lowest },
    { rvol, G_N_ELEMENTS (rvol), hs_relative_volume },
  };

  for (size_t a = 0; a < G_N_ELEMENTS (all); a++)
    for (size_t c = 0; c < all[a].n; c++)
      {
        const HandCase *hc = &all[a].cases[c];
        double out[10];

        all[a].fn (hc->x, hc->n, hc->period, out);
        check_series (hc->what, out, hc->want, hc->n, 1e-15);
      }
}

static void
test_hand_multi (void)
{
  double a[8], b[8], c[8], d[8];

  /* MACD (2, 3, 2) of {1, 2, 4, 8, 16}. EMA2 (alpha 2/3): 1.5, 1.5 + (2/3)(4 − 1.5) = 19/6,
   * 19/6 + (2/3)(8 − 19/6) = 115/18, 115/18 + (2/3)(16 − 115/18) = 691/54. EMA3 (alpha 1/2):
   * 7/3, 7/3 + (8 − 7/3)/2 = 31/6, 31/6 + (16 − 31/6)/2 = 127/12. Line: 19/6 − 7/3 = 5/6,
   * 115/18 − 31/6 = 11/9, 691/54 − 127/12 = 239/108. Signal: seed (5/6 + 11/9)/2 = 37/36, then
   * 37/36 + (2/3)(239/108 − 37/36) = 589/324. Histogram 11/9 − 37/36 = 7/36,
   * 239/108 − 589/324 = 32/81. */
  {
    static const double x[] = { 1, 2, 4, 8, 16 };
    static const double line[] = { N_, N_, 5.0 / 6, 11.0 / 9, 239.0 / 108 };
    static const double sig[] = { N_, N_, N_, 37.0 / 36, 589.0 / 324 };
    static const double hist[] = { N_, N_, N_, 7.0 / 36, 32.0 / 81 };

    hs_macd (x, 5, 2, 3, 2, a, b, c);
    check_series ("macd line", a, line, 5, 1e-15);
    check_series ("macd signal", b, sig, 5, 1e-15);
    check_series ("macd hist", c, hist, 5, 1e-15);
    hs_macd (x, 5, 2, 3, 2, NULL, NULL, c);
    check_series ("macd hist alone", c, hist, 5, 1e-15);
  }

  /* Bollinger (8, 2) of the stdev case: mean 5 ± 2·2 = 9 and 1. */
  {
    static const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };

    hs_bollinger (x, 8, 8, 2.0, a, b, c);
    g_assert_cmpfloat (a[7], ==, 5);
    g_assert_cmpfloat (b[7], ==, 9);
    g_assert_cmpfloat (c[7], ==, 1);
    g_assert_true (isnan (a[6]) && isnan (b[6]) && isnan (c[6]));
  }

  /* ATR (3). TR: bar 0 high − low = 10 − 8 = 2; bar 1 max (11 − 9, |11 − 9|, |9 − 9|) = 2;
   * bar 2 max (0.5, |10.5 − 10|, |10 − 10|) = 0.5; bar 3 (gap down) max (1, |8 − 10.2|,
   * |7 − 10.2|) = 3.2; bar 4 max (1, |9 − 7.5|, |8 − 7.5|) = 1.5. ATR: (2 + 2 + 0.5)/3 = 1.5;
   * 1.5 + (3.2 − 1.5)/3 = 6.2/3; 6.2/3 + (1.5 − 6.2/3)/3 = 12.4/9 + 0.5. */
  {
    static const double h[] = { 10, 11, 10.5, 8, 9 };
    static const double l[] = { 8, 9, 10, 7, 8 };
    static const double cl[] = { 9, 10, 10.2, 7.5, 8.8 };
    static const double want[] = { N_, N_, 1.5, 6.2 / 3, 12.4 / 9 + 0.5 };

    hs_atr (h, l, cl, 5, 3, a);
    check_series ("atr", a, want, 5, 1e-15);
  }

  /* Stochastic (3, 1, 2): bar 2 range 8 … 12, raw 100 (10 − 8)/4 = 50; bar 3 range 9 … 13,
   * 100 (12 − 9)/4 = 75; bar 4 range 9 … 13, 100 (11 − 9)/4 = 50. %D(2): (50 + 75)/2 = 62.5,
   * (75 + 50)/2 = 62.5. With smooth 2: %K 62.5, 62.5 and %D(2) 62.5 at bar 4. A flat range → 50. */
  {
    static const double h[] = { 10, 12, 11, 13, 12 };
    static const double l[] = { 8, 9, 9, 10, 11 };
    static const double cl[] = { 9, 11, 10, 12, 11 };
    static const double k1[] = { N_, N_, 50, 75, 50 };
    static const double d2[] = { N_, N_, N_, 62.5, 62.5 };
    static const double k2[] = { N_, N_, N_, 62.5, 62.5 };
    static const double k2d[] = { N_, N_, N_, N_, 62.5 };
    static const double flat[] = { 4, 4, 4, 4 };
    static const double flat_k[] = { N_, N_, 50, 50 };

    hs_stochastic (h, l, cl, 5, 3, 1, 2, a, b);
    check_series ("stoch %K", a, k1, 5, 1e-15);
    check_series ("stoch %D", b, d2, 5, 1e-15);
    hs_stochastic (h, l, cl, 5, 3, 2, 2, a, b);
    check_series ("stoch slow %K", a, k2, 5, 1e-15);
    check_series ("stoch slow %D", b, k2d, 5, 1e-15);
    hs_stochastic (flat, flat, flat, 4, 3, 1, 1, a, NULL);
    check_series ("stoch flat", a, flat_k, 4, 0);
  }

  /* Pivots. Highs {1,3,2,5,5,4,6,1}, left 2, right 1: bar 3 (5) is above 3 and 2 and not below 5
   * → reported at bar 4; bar 4 (5) is not above bar 3's 5; bar 6 (6) is above 5, 4 and not below
   * 1 → reported at bar 7. Lows {5,3,3,4,2,2,6}, left 1, right 2: bar 1 (3) below 5, not above
   * 3, 4 → bar 3; bar 4 (2) below 4, not above 2, 6 → bar 6. */
  {
    static const double h[] = { 1, 3, 2, 5, 5, 4, 6, 1 };
    static const double hw[] = { N_, N_, N_, N_, 5, N_, N_, 6 };
    static const double l[] = { 5, 3, 3, 4, 2, 2, 6 };
    static const double lw[] = { N_, N_, N_, 3, N_, N_, 2 };

    hs_pivot_high (h, 8, 2, 1, a);
    check_series ("pivot high", a, hw, 8, 0);
    hs_pivot_low (l, 7, 1, 2, a);
    check_series ("pivot low", a, lw, 7, 0);
    /* left 1, right 0, strictly below the bar before: bar 1 (3 < 5) yes, bar 2 (3 = 3) no,
     * bar 3 (4 > 3) no, bar 4 (2 < 4) yes, bar 5 (2 = 2) no, bar 6 (6 > 2) no. */
    hs_pivot_low (l, 7, 1, 0, a);
    {
      static const double w10[] = { N_, 3, N_, N_, 2, N_, N_ };

      check_series ("pivot low (1, 0)", a, w10, 7, 0);
    }
    /* left 0, right 1: not above the next bar: 5 ≤ 3? no; 3 ≤ 3 yes (at bar 2); 3 ≤ 4 yes (bar 3);
     * 4 ≤ 2 no; 2 ≤ 2 yes (bar 5); 2 ≤ 6 yes (bar 6). */
    hs_pivot_low (l, 7, 0, 1, a);
    {
      static const double w01[] = { N_, N_, 3, 3, N_, 2, 2 };

      check_series ("pivot low (0, 1)", a, w01, 7, 0);
    }
  }

  /* EMA slope (2, lookback 1 and 2) of {1, 3, 2, 8}: EMA 2 (bar 1), 2 + (2/3)(2 − 2) = 2,
   * 2 + (2/3)(8 − 2) = 6. Slopes: 2 − 2 = 0, 6 − 2 = 4; lookback 2: (6 − 2)/2 = 2. */
  {
    static const double x[] = { 1, 3, 2, 8 };
    static const double w1[] = { N_, N_, 0, 4 };
    static const double w2[] = { N_, N_, N_, 2 };

    hs_ema_slope (x, 4, 2, 1, a);
    check_series ("ema slope 1", a, w1, 4, 1e-15);
    hs_ema_slope (x, 4, 2, 2, a);
    check_series ("ema slope 2", a, w2, 4, 1e-15);
  }

  /* VWAP. Prices {10, 11, 12, 10, 9, 8}, volumes {1, 3, 0, 4, 0, 2}, sessions {1,1,1,2,3,3}.
   * bar 0: 10, σ 0. bar 1: (10 + 33)/4 = 10.75, σ² = (1 (−0.75)² + 3 (0.25)²)/4 = 0.75/4.
   * bar 2: volume 0 changes nothing. bar 3: new session, 10, σ 0. bar 4: new session with no
   * volume yet: NAN. bar 5: 8, σ 0. */
  {
    static const double p[] = { 10, 11, 12, 10, 9, 8 };
    static const double v[] = { 1, 3, 0, 4, 0, 2 };
    static const int64_t s[] = { 1, 1, 1, 2, 3, 3 };
    static const double vw[] = { 10, 10.75, 10.75, 10, N_, 8 };
    double sg = sqrt (0.75 / 4);
    const double up[] = { 10, 10.75 + sg, 10.75 + sg, 10, N_, 8 };
    const double lo2[] = { 10, 10.75 - 2 * sg, 10.75 - 2 * sg, 10, N_, 8 };

    hs_vwap (p, v, s, 6, a, b, NULL, NULL, c);
    check_series ("vwap", a, vw, 6, 1e-15);
    check_series ("vwap +1σ", b, up, 6, 1e-15);
    check_series ("vwap −2σ", c, lo2, 6, 1e-15);
    /* One session: bar 3 (10·1 + 11·3 + 10·4)/8 = 83/8; bar 5 (83 + 8·2)/(8 + 2) = 9.9. */
    hs_vwap (p, v, NULL, 6, a, NULL, NULL, NULL, NULL);
    {
      static const double w1[] = { 10, 10.75, 10.75, 83.0 / 8, 83.0 / 8, 9.9 };

      check_series ("vwap one session", a, w1, 6, 1e-15);
    }
  }

  /* CVD of {5, −3, NAN, 2, −10}: 5, 2, NAN (adds nothing), 4, −6; MA(2): NAN, 3.5, NAN, NAN,
   * −1. With sessions {1,1,1,1,2}: the last bar starts again at −10. */
  {
    static const double sv[] = { 5, -3, N_, 2, -10 };
    static const int64_t s[] = { 1, 1, 1, 1, 2 };
    static const double w[] = { 5, 2, N_, 4, -6 };
    static const double wm[] = { N_, 3.5, N_, N_, -1 };
    static const double ws[] = { 5, 2, N_, 4, -10 };

    hs_cvd (sv, NULL, 5, 2, a, b);
    check_series ("cvd", a, w, 5, 0);
    check_series ("cvd ma", b, wm, 5, 0);
    hs_cvd (sv, s, 5, 1, a, NULL);
    check_series ("cvd sessions", a, ws, 5, 0);
  }

  /* Imbalance: 100 (30 − 10)/40 = 50; empty book NAN; 100 (0 − 5)/5 = −100; 0. */
  {
    static const double bid[] = { 30, 0, 0, 10, N_ };
    static const double ask[] = { 10, 0, 5, 10, 1 };
    static const double w[] = { 50, N_, -100, 0, N_ };

    hs_book_imbalance (bid, ask, 5, a);
    check_series ("imbalance", a, w, 5, 0);
  }

  /* Squeeze (3, 2, 1.5). Close 10 with high 11, low 9: σ = 0, the bands collapse to 10 inside
   * the Keltner channel 10 ± 1.5·2 → 1 from bar 2. Bar 3 closes at 20 (high 21, low 19): window
   * {10, 10, 20}: mean 40/3, σ = √((2·(10/3)² + (20/3)²)/3) = √(200/9) = 4.714, Bollinger
   * 13.333 ± 9.428 → up to 22.761; EMA 10 + 0.5 (20 − 10) = 15; TR max (2, |21 − 10|, |19 − 10|)
   * = 11, ATR 2 + (11 − 2)/3 = 5, Keltner 15 ± 7.5 → up to 22.5 < 22.761 → 0. */
  {
    static const double h[] = { 11, 11, 11, 21 };
    static const double l[] = { 9, 9, 9, 19 };
    static const double cl[] = { 10, 10, 10, 20 };
    static const double w[] = { N_, N_, 1, 0 };

    hs_squeeze (h, l, cl, 4, 3, 2.0, 1.5, a);
    check_series ("squeeze", a, w, 4, 0);
  }

  /* Typical price (3 + 1 + 2)/3 = 2. */
  {
    static const double h[] = { 3 }, l[] = { 1 }, cl[] = { 2 };

    hs_typical_price (h, l, cl, 1, d);
    g_assert_cmpfloat (d[0], ==, 2);
  }
}

/* Session days near midnight and clock changes; the expected days are `date -u -d DATE +%s`
 * / 86400 and the local times `TZ=… date -d @SECONDS`. */
static void
test_session_days (void)
{
  static const struct
  {
    const char *tz;
    int64_t     s;
    int64_t     day;
  } cases[] = {
    /* New York, autumn: 2013-11-03T03:59:59Z is 2013-11-02 23:59:59 EDT (day 16011); 04:00Z is
     * 00:00 EDT (16012); 2013-11-04T04:59:59Z is 2013-11-03 23:59:59 EST; 05:00Z 2013-11-04. */
    { "America/New_York", 1383451199, 16011 },
    { "America/New_York", 1383451200, 16012 },
    { "America/New_York", 1383541199, 16012 },
    { "America/New_York", 1383541200, 16013 },
    /* spring: 2014-03-09T04:59:59Z = 03-08 23:59:59 EST; 05:00Z = 03-09 00:00 EST;
     * 2014-03-10T03:59:59Z = 03-09 23:59:59 EDT; 04:00Z = 03-10 00:00 EDT. */
    { "America/New_York", 1394341199, 16137 },
    { "America/New_York", 1394341200, 16138 },
    { "America/New_York", 1394423999, 16138 },
    { "America/New_York", 1394424000, 16139 },
    /* São Paulo skipped 2013-10-20 00:00 … 00:59: 02:59:59Z = 10-19 23:59:59 −03,
     * 03:00Z = 10-20 01:00 −02 (the day's first second). */
    { "America/Sao_Paulo", 1382151599, 15996 },
    { "America/Sao_Paulo", 1382151600, 15997 },
    { "America/Sao_Paulo", 1382237999, 15997 },
    { "America/Sao_Paulo", 1382238000, 15998 },
    /* Kolkata, +05:30: 2013-10-04T18:29:59Z = 23:59:59 IST, 18:30Z = 10-05 00:00. */
    { "Asia/Kolkata", 1380911399, 15982 },
    { "Asia/Kolkata", 1380911400, 15983 },
    /* UTC before 1970: 1969-12-31T23:00:00Z is day −1. */
    { NULL, -3600, -1 },
    { NULL, 0, 0 },
  };
  int64_t ts[G_N_ELEMENTS (cases)], day[G_N_ELEMENTS (cases)];

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTimeZone) tz = cases[i].tz ? g_time_zone_new_identifier (cases[i].tz) : NULL;
      size_t m = 0;

      /* All cases of this zone as one series, in order and in reverse. */
      if (i > 0 && g_strcmp0 (cases[i].tz, cases[i - 1].tz) == 0)
        continue;
      g_assert_true (cases[i].tz == NULL || tz != NULL);
      for (size_t j = i; j < G_N_ELEMENTS (cases) && g_strcmp0 (cases[j].tz, cases[i].tz) == 0;
           j++)
        ts[m++] = cases[j].s * G_USEC_PER_SEC;
      hs_session_days (ts, m, tz, day);
      for (size_t j = 0; j < m; j++)
        {
          g_test_message ("%s %" G_GINT64_FORMAT, cases[i].tz, cases[i + j].s);
          g_assert_cmpint (day[j], ==, cases[i + j].day);
        }
      for (size_t j = 0; j < m; j++)
        ts[j] = cases[i + m - 1 - j].s * G_USEC_PER_SEC;
      hs_session_days (ts, m, tz, day);
      for (size_t j = 0; j < m; j++)
        g_assert_cmpint (day[j], ==, cases[i + m - 1 - j].day);
    }
  /* One microsecond before midnight UTC is still the day before. */
  ts[0] = -1;
  hs_session_days (ts, 1, NULL, day);
  g_assert_cmpint (day[0], ==, -1);
}

/* The re-summing keeps running sums exact enough: after ten bad ticks of 1e9 have left the window
 * of a 12345.678 constant, the SMA is that constant and σ is 0 to 1e-10 (3 units in the last
 * place, from summing 20 × 12345.678; a plain running sum would be off by 1e-7 here); and
 * 200,000 bars of a trending series agree with the slow sums at the end. */
static void
test_accuracy (void)
{
  size_t n = 200000;
  g_autofree double *x = g_new (double, n);
  g_autofree double *sd = g_new (double, n);
  g_autofree double *sma = g_new (double, n);
  g_autofree double *up = g_new (double, n);
  g_autoptr(GRand) r = g_rand_new_with_seed (7);

  for (size_t i = 0; i < n; i++)
    x[i] = 50000 + 0.01 * (double) i + g_rand_double_range (r, -1, 1);
  for (size_t i = 1000; i < 1010; i++)
    x[i] = 1e9;                    /* bad ticks */
  for (size_t i = 1010; i < 1100; i++)
    x[i] = 12345.678;              /* then calm */
  hs_stdev (x, n, 20, sd);
  hs_bollinger (x, n, 20, 2.0, sma, up, NULL);
  for (size_t i = 1029; i < 1100; i++)
    {
      g_assert_cmpfloat_with_epsilon (sma[i], 12345.678, 1e-10);
      g_assert_cmpfloat_with_epsilon (sd[i], 0.0, 1e-10);
      g_assert_cmpfloat_with_epsilon (up[i], 12345.678, 1e-10);
    }
  for (size_t i = n - 50; i < n; i++)
    {
      double s = 0, m, m2 = 0;

      for (size_t k = i - 19; k <= i; k++)
        s += x[k];
      m = s / 20;
      for (size_t k = i - 19; k <= i; k++)
        m2 += (x[k] - m) * (x[k] - m);
      g_assert_cmpfloat_with_epsilon (sma[i], m, 1e-10);
      g_assert_cmpfloat_with_epsilon (sd[i], sqrt (m2 / 20), 1e-10);
    }
}

/* Edge cases: n = 0 (NULL arrays), period longer than the data, NULL outputs, all gaps. */
static void
test_edges (void)
{
  double x[3] = { 1, 2, 3 }, o[3], o2[3];
  static const double nan3[3] = { N_, N_, N_ };

  hs_sma (NULL, 0, 3, NULL);
  hs_ema (NULL, 0, 3, NULL);
  hs_macd (NULL, 0, 12, 26, 9, NULL, NULL, NULL);
  hs_stochastic (NULL, NULL, NULL, 0, 14, 3, 3, NULL, NULL);
  hs_vwap (NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL);
  hs_session_days (NULL, 0, NULL, NULL);

  hs_sma (x, 3, 4, o);
  check_series ("sma long period", o, nan3, 3, 0);
  hs_ema (x, 3, 4, o);
  check_series ("ema long period", o, nan3, 3, 0);
  hs_wma (x, 3, 4, o);
  check_series ("wma long period", o, nan3, 3, 0);
  hs_rsi (x, 3, 3, o);
  check_series ("rsi long period", o, nan3, 3, 0);
  hs_stdev (x, 3, 4, o);
  check_series ("stdev long period", o, nan3, 3, 0);
  hs_highest (x, 3, 4, o);
  check_series ("highest long period", o, nan3, 3, 0);
  hs_atr (x, x, x, 3, 4, o);
  check_series ("atr long period", o, nan3, 3, 0);
  hs_pivot_high (x, 3, 2, 1, o);
  check_series ("pivot long", o, nan3, 3, 0);
  hs_squeeze (x, x, x, 3, 4, 2, 1.5, o);
  check_series ("squeeze long period", o, nan3, 3, 0);

  /* EMA in place. */
  memcpy (o2, x, sizeof x);
  hs_ema (o2, 3, 2, o2);
  hs_ema (x, 3, 2, o);
  g_assert_cmpmem (o, sizeof o, o2, sizeof o2);

  /* Infinity is a gap like NAN. */
  x[1] = INFINITY;
  hs_sma (x, 3, 1, o);
  g_assert_true (isnan (o[1]));
  g_assert_cmpfloat (o[2], ==, 3);
}

/* ---- 3. the differential test ------------------------------------------------------------ */

static gboolean
ok1 (double v)
{
  return isfinite (v);
}

/* First bar of the run of finite bars ending at @i (bar i itself finite). */
static size_t
run_start (const double *a,
           const double *b,
           const double *c,
           size_t        i)
{
  size_t r = i;

  while (r > 0 && ok1 (a[r - 1]) && (b == NULL || ok1 (b[r - 1])) && (c == NULL || ok1 (c[r - 1])))
    r--;
  return r;
}

static gboolean
bar_ok (const double *a,
        const double *b,
        const double *c,
        size_t        i)
{
  return ok1 (a[i]) && (b == NULL || ok1 (b[i])) && (c == NULL || ok1 (c[i]));
}

static void
slow_sma (const double *x,
          size_t        n,
          size_t        p,
          double       *out)
{
  for (size_t i = 0; i < n; i++)
    {
      double s = 0;

      out[i] = NAN;
      if (!ok1 (x[i]) || i - run_start (x, NULL, NULL, i) + 1 < p)
        continue;
      for (size_t k = i + 1 - p; k <= i; k++)
        s += x[k];
      out[i] = s / (double) p;
    }
}

/* EMA / Wilder smoothing of @x, restarted at every gap: the seed is the plain mean of the first
 * @p values of the run. */
static void
slow_smooth (const double *x,
             size_t        n,
             size_t        p,
             double        alpha,
             double       *out)
{
  for (size_t i = 0; i < n; i++)
    {
      size_t r;
      double v = 0;

      out[i] = NAN;
      if (!ok1 (x[i]))
        continue;
      r = run_start (x, NULL, NULL, i);
      if (i - r + 1 < p)
        continue;
      for (size_t k = r; k < r + p; k++)
        v += x[k];
      v /= (double) p;
      for (size_t k = r + p; k <= i; k++)
        v = v + alpha * (x[k] - v);
      out[i] = v;
    }
}

static void
slow_wma (const double *x,
          size_t        n,
          size_t        p,
          double       *out)
{
  for (size_t i = 0; i < n; i++)
    {
      double s = 0;

      out[i] = NAN;
      if (!ok1 (x[i]) || i - run_start (x, NULL, NULL, i) + 1 < p)
        continue;
      for (size_t k = 1; k <= p; k++)
        s += (double) k * x[i + k - p];
      out[i] = s / ((double) p * (double) (p + 1) / 2);
    }
}

/* RSI as 100 · gain / (gain + loss), the same as 100 − 100 / (1 + RS). */
static void
slow_rsi (const double *x,
          size_t        n,
          size_t        p,
          double       *out)
{
  for (size_t i = 0; i < n; i++)
    {
      size_t r;
      double g = 0, l = 0;

      out[i] = NAN;
      if (!ok1 (x[i]))
        continue;
      r = run_start (x, NULL, NULL, i);
      if (i - r < p)
        continue;
      for (size_t k = r + 1; k <= r + p; k++)
        {
          g += MAX (x[k] - x[k - 1], 0.0);
          l += MAX (x[k - 1] - x[k], 0.0);
        }
      g /= (double) p;
      l /= (double) p;
      for (size_t k = r + p + 1; k <= i; k++)
        {
          g = g + (MAX (x[k] - x[k - 1], 0.0) - g) / (double) p;
          l = l + (MAX (x[k - 1] - x[k], 0.0) - l) / (double) p;
        }
      out[i] = g + l == 0 ? 50 : 100 * g / (g + l);
    }
}

static void
slow_stdev (const double *x,
            size_t        n,
            size_t        p,
            double       *mean,
            double       *sd)
{
  for (size_t i = 0; i < n; i++)
    {
      double s = 0, m2 = 0, m;

      mean[i] = sd[i] = NAN;
      if (!ok1 (x[i]) || i - run_start (x, NULL, NULL, i) + 1 < p)
        continue;
      for (size_t k = i + 1 - p; k <= i; k++)
        s += x[k];
      m = s / (double) p;
      for (size_t k = i + 1 - p; k <= i; k++)
        m2 += (x[k] - m) * (x[k] - m);
      mean[i] = m;
      sd[i] = sqrt (m2 / (double) p);
    }
}

static void
slow_atr (const double *h,
          const double *l,
          const double *c,
          size_t        n,
          size_t        p,
          double       *out)
{
  for (size_t i = 0; i < n; i++)
    {
      size_t r;
      double a = 0;

      out[i] = NAN;
      if (!bar_ok (h, l, c, i))
        continue;
      r = run_start (h, l, c, i);
      if (i - r + 1 < p)
        continue;
      for (size_t k = r; k <= i; k++)
        {
          double tr = h[k] - l[k];

          if (k > r)
            tr = MAX (tr, MAX (fabs (h[k] - c[k - 1]), fabs (l[k] - c[k - 1])));
          if (k < r + p)
            a += tr / (double) p;   /* the mean, summed as fractions: compared with a tolerance */
          else
            a = a + (tr - a) / (double) p;
        }
      out[i] = a;
    }
}

static double
slow_raw_k (const double *h,
            const double *l,
            const double *c,
            size_t        i,
            size_t        p)
{
  double hh = -INFINITY, ll = INFINITY;

  for (size_t k = i + 1 - p; k <= i; k++)
    {
      hh = MAX (hh, h[k]);
      ll = MIN (ll, l[k]);
    }
  return hh == ll ? 50 : 100 * (c[i] - ll) / (hh - ll);
}

static void
slow_stochastic (const double *h,
                 const double *l,
                 const double *c,
                 size_t        n,
                 size_t        p,
                 size_t        sm,
                 size_t        dp,
                 double       *k,
                 double       *d)
{
  for (size_t i = 0; i < n; i++)
    {
      size_t r;

      k[i] = d[i] = NAN;
      if (!bar_ok (h, l, c, i))
        continue;
      r = run_start (h, l, c, i);
      if (i - r + 1 >= p + sm - 1)
        {
          double s = 0;

          for (size_t j = i + 1 - sm; j <= i; j++)
            s += slow_raw_k (h, l, c, j, p);
          k[i] = s / (double) sm;
        }
      if (i - r + 1 >= p + sm + dp - 2)
        {
          double s = 0;

          for (size_t j = i + 1 - dp; j <= i; j++)
            {
              double sk = 0;

              for (size_t q = j + 1 - sm; q <= j; q++)
                sk += slow_raw_k (h, l, c, q, p);
              s += sk / (double) sm;
            }
          d[i] = s / (double) dp;
        }
    }
}

static void
slow_extreme (const double *x,
              size_t        n,
              size_t        p,
              gboolean      want_max,
              double       *out)
{
  for (size_t i = 0; i < n; i++)
    {
      double e = x[i];

      out[i] = NAN;
      if (!ok1 (x[i]) || i - run_start (x, NULL, NULL, i) + 1 < p)
        continue;
      for (size_t k = i + 1 - p; k <= i; k++)
        e = want_max ? MAX (e, x[k]) : MIN (e, x[k]);
      out[i] = e;
    }
}

static void
slow_pivot (const double *x,
            size_t        n,
            size_t        left,
            size_t        right,
            gboolean      want_max,
            double       *out)
{
  for (size_t i = 0; i < n; i++)
    {
      size_t j;
      gboolean ok = TRUE;

      out[i] = NAN;
      if (!ok1 (x[i]) || i - run_start (x, NULL, NULL, i) < left + right)
        continue;
      j = i - right;
      for (size_t k = j - left; k < j; k++)
        ok = ok && (want_max ? x[k] < x[j] : x[k] > x[j]);
      for (size_t k = j + 1; k <= i; k++)
        ok = ok && (want_max ? x[k] <= x[j] : x[k] >= x[j]);
      if (ok)
        out[i] = x[j];
    }
}

/* A random walk from 100 with steps in [−1, 1); @gaps of the values replaced by NAN (one in
 * three of those by ±∞); with @ticks, rounded to 0.25 so that equal values are common. */
static double *
random_walk (GRand  *r,
             size_t  n,
             double  gaps,
             gboolean ticks)
{
  double *x = g_new (double, n ? n : 1);
  double v = 100;

  for (size_t i = 0; i < n; i++)
    {
      v += g_rand_double_range (r, -1, 1);
      x[i] = ticks ? round (v * 4) / 4 : v;
      if (g_rand_double (r) < gaps)
        x[i] = g_rand_int_range (r, 0, 3) == 0 ? (g_rand_boolean (r) ? INFINITY : -INFINITY) : NAN;
    }
  return x;
}

typedef struct
{
  size_t   n;
  double   gaps;
  gboolean ticks;
} Shape;

static const Shape shapes[] = {
  { 0, 0, FALSE }, { 1, 0, FALSE }, { 5, 0, TRUE }, { 40, 0, FALSE }, { 40, 0.1, TRUE },
  { 1500, 0, FALSE }, { 1500, 0.01, TRUE }, { 3000, 0.002, FALSE }, { 3000, 0, TRUE },
};
static const int periods[] = { 1, 2, 3, 5, 14, 30, 100 };

#define TOL 1e-11

static void
test_random_single (void)
{
  for (size_t s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (size_t q = 0; q < G_N_ELEMENTS (periods); q++)
      {
        g_autoptr(GRand) r = g_rand_new_with_seed ((guint32) (1000 * s + q));
        size_t n = shapes[s].n, p = (size_t) periods[q];
        g_autofree double *x = random_walk (r, n, shapes[s].gaps, shapes[s].ticks);
        g_autofree double *got = g_new (double, n + 1);
        g_autofree double *got2 = g_new (double, n + 1);
        g_autofree double *got3 = g_new (double, n + 1);
        g_autofree double *want = g_new (double, n + 1);
        g_autofree double *want2 = g_new (double, n + 1);

        g_test_message ("n %zu gaps %g ticks %d period %zu", n, shapes[s].gaps,
                        shapes[s].ticks, p);
        hs_sma (x, n, (int) p, got);
        slow_sma (x, n, p, want);
        check_series ("sma", got, want, n, TOL);

        hs_ema (x, n, (int) p, got);
        slow_smooth (x, n, p, 2.0 / ((double) p + 1), want);
        check_series ("ema", got, want, n, TOL);

        hs_wma (x, n, (int) p, got);
        slow_wma (x, n, p, want);
        check_series ("wma", got, want, n, TOL);

        hs_rsi (x, n, (int) p, got);
        slow_rsi (x, n, p, want);
        check_series ("rsi", got, want, n, TOL);

        hs_stdev (x, n, (int) p, got);
        slow_stdev (x, n, p, want2, want);
        check_series ("stdev", got, want, n, TOL);

        hs_bollinger (x, n, (int) p, 2.5, got, got2, got3);
        check_series ("bollinger mid", got, want2, n, TOL);
        for (size_t i = 0; i < n; i++)
          want2[i] += 2.5 * want[i];
        check_series ("bollinger upper", got2, want2, n, TOL);
        for (size_t i = 0; i < n; i++)
          want2[i] -= 5 * want[i];
        check_series ("bollinger lower", got3, want2, n, TOL);

        hs_highest (x, n, (int) p, got);
        slow_extreme (x, n, p, TRUE, want);
        check_series ("highest", got, want, n, 0);
        hs_lowest (x, n, (int) p, got);
        slow_extreme (x, n, p, FALSE, want);
        check_series ("lowest", got, want, n, 0);

        for (size_t lb = 1; lb <= 4; lb += 3)
          {
            slow_smooth (x, n, p, 2.0 / ((double) p + 1), want2);
            for (size_t i = 0; i < n; i++)
              {
                want[i] = NAN;
                if (i >= lb && ok1 (x[i]) && run_start (x, NULL, NULL, i) + lb <= i)
                  want[i] = (want2[i] - want2[i - lb]) / (double) lb;
              }
            hs_ema_slope (x, n, (int) p, (int) lb, got);
            check_series ("ema slope", got, want, n, TOL);
          }

        for (size_t left = 0; left <= 3; left += 3)
          for (size_t right = 0; right <= p && right <= 5; right += MAX (p / 2, 1))
            {
              hs_pivot_high (x, n, (int) left, (int) right, got);
              slow_pivot (x, n, left, right, TRUE, want);
              check_series ("pivot high", got, want, n, 0);
              hs_pivot_low (x, n, (int) right, (int) left, got);
              slow_pivot (x, n, right, left, FALSE, want);
              check_series ("pivot low", got, want, n, 0);
            }
      }
}

/* Volumes: positive, a tenth of them 0, gaps as for prices. */
static double *
random_volume (GRand  *r,
               size_t  n,
               double  gaps)
{
  double *v = g_new (double, n ? n : 1);

  for (size_t i = 0; i < n; i++)
    {
      v[i] = g_rand_double (r) < 0.1 ? 0 : round (g_rand_double_range (r, 1, 1000));
      if (g_rand_double (r) < gaps)
        v[i] = NAN;
    }
  return v;
}

static void
test_random_multi (void)
{
  for (size_t s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (size_t q = 0; q < G_N_ELEMENTS (periods); q++)
      {
        g_autoptr(GRand) r = g_rand_new_with_seed ((guint32) (7000 + 100 * s + q));
        size_t n = shapes[s].n, p = (size_t) periods[q];
        g_autofree double *c = random_walk (r, n, shapes[s].gaps, shapes[s].ticks);
        g_autofree double *h = g_new (double, n + 1);
        g_autofree double *l = g_new (double, n + 1);
        g_autofree double *v = random_volume (r, n, shapes[s].gaps);
        g_autofree double *v2 = random_volume (r, n, 0);
        g_autofree int64_t *sess = g_new (int64_t, n + 1);
        g_autofree double *got = g_new (double, n + 1);
        g_autofree double *got2 = g_new (double, n + 1);
        g_autofree double *got3 = g_new (double, n + 1);
        g_autofree double *want = g_new (double, n + 1);
        g_autofree double *want2 = g_new (double, n + 1);
        g_autofree double *want3 = g_new (double, n + 1);
        int64_t sid = 0;

        for (size_t i = 0; i < n; i++)
          {
            /* The range around the close, sometimes none; now and then a gap in high or low
             * alone. */
            h[i] = c[i] + (g_rand_double (r) < 0.1 ? 0 : g_rand_double_range (r, 0, 2));
            l[i] = c[i] - (g_rand_double (r) < 0.1 ? 0 : g_rand_double_range (r, 0, 2));
            if (shapes[s].gaps > 0 && g_rand_double (r) < shapes[s].gaps / 2)
              h[i] = NAN;
            if (g_rand_double (r) < 0.01)
              sid++;
            sess[i] = sid;
          }
        g_test_message ("n %zu gaps %g period %zu", n, shapes[s].gaps, p);

        hs_atr (h, l, c, n, (int) p, got);
        slow_atr (h, l, c, n, p, want);
        check_series ("atr", got, want, n, TOL);

        for (size_t sm = 1; sm <= 3; sm += 2)
          for (size_t dp = 1; dp <= 4; dp += 3)
            {
              hs_stochastic (h, l, c, n, (int) p, (int) sm, (int) dp, got, got2);
              slow_stochastic (h, l, c, n, p, sm, dp, want, want2);
              check_series ("stochastic %K", got, want, n, TOL);
              check_series ("stochastic %D", got2, want2, n, TOL);
            }

        /* MACD: the slow reference EMAs, the line and an EMA of the line. */
        {
          size_t f = MAX (p / 2, 1), sl = p, sg = 3;

          slow_smooth (c, n, f, 2.0 / ((double) f + 1), want);
          slow_smooth (c, n, sl, 2.0 / ((double) sl + 1), want2);
          for (size_t i = 0; i < n; i++)
            want[i] -= want2[i];
          slow_smooth (want, n, sg, 2.0 / ((double) sg + 1), want2);
          hs_macd (c, n, (int) f, (int) sl, (int) sg, got, got2, got3);
          check_series ("macd line", got, want, n, TOL);
          check_series ("macd signal", got2, want2, n, TOL);
          for (size_t i = 0; i < n; i++)
            want3[i] = want[i] - want2[i];
          check_series ("macd hist", got3, want3, n, TOL);
        }

        /* Squeeze from the slow bands, EMA and ATR, on the runs where high, low and close are
         * all finite. */
        {
          g_autofree double *mean = g_new (double, n + 1);
          g_autofree double *sd = g_new (double, n + 1);
          g_autofree double *cc = g_new (double, n + 1);

          for (size_t i = 0; i < n; i++)
            cc[i] = bar_ok (h, l, c, i) ? c[i] : NAN;
          slow_stdev (cc, n, p, mean, sd);
          slow_smooth (cc, n, p, 2.0 / ((double) p + 1), want2);
          slow_atr (h, l, c, n, p, want3);
          for (size_t i = 0; i < n; i++)
            {
              double bu = mean[i] + 2 * sd[i], bl = mean[i] - 2 * sd[i];
              double ku = want2[i] + 1.5 * want3[i], kl = want2[i] - 1.5 * want3[i];

              want[i] = isnan (bu) ? NAN : bu < ku && bl > kl ? 1 : 0;
            }
          hs_squeeze (h, l, c, n, (int) p, 2.0, 1.5, got);
          for (size_t i = 0; i < n; i++)
            {
              double bu = mean[i] + 2 * sd[i], ku = want2[i] + 1.5 * want3[i];
              double bl = mean[i] - 2 * sd[i], kl = want2[i] - 1.5 * want3[i];

              /* Skip the (measure-zero) bars where a band pair ties to rounding. */
              if (!isnan (bu) && (fabs (bu - ku) < 1e-9 || fabs (bl - kl) < 1e-9))
                want[i] = got[i];
            }
          check_series ("squeeze", got, want, n, 0);
        }

        /* Relative volume. */
        for (size_t i = 0; i < n; i++)
          {
            double m = 0;

            want[i] = NAN;
            if (!ok1 (v[i]) || i - run_start (v, NULL, NULL, i) < p)
              continue;
            for (size_t k = i - p; k < i; k++)
              m += v[k];
            m /= (double) p;
            want[i] = m == 0 ? NAN : v[i] / m;
          }
        hs_relative_volume (v, n, (int) p, got);
        check_series ("relative volume", got, want, n, TOL);

        /* VWAP over the random sessions, with the price or the volume a gap now and then. */
        for (size_t i = 0; i < n; i++)
          {
            double sv = 0, spv = 0, m, m2 = 0;
            size_t st = i;

            want[i] = want2[i] = NAN;
            while (st > 0 && sess[st - 1] == sess[i])
              st--;
            if (!ok1 (c[i]) || !ok1 (v[i]))
              continue;
            for (size_t k = st; k <= i; k++)
              if (ok1 (c[k]) && ok1 (v[k]))
                {
                  sv += v[k];
                  spv += c[k] * v[k];
                }
            if (sv == 0)
              continue;
            m = spv / sv;
            for (size_t k = st; k <= i; k++)
              if (ok1 (c[k]) && ok1 (v[k]))
                m2 += v[k] * (c[k] - m) * (c[k] - m);
            want[i] = m;
            want2[i] = m - 2 * sqrt (m2 / sv);
          }
        hs_vwap (c, v, sess, n, got, NULL, NULL, NULL, got2);
        check_series ("vwap", got, want, n, TOL);
        check_series ("vwap −2σ", got2, want2, n, TOL);

        /* CVD with sessions, and its SMA; signed volume = ±volume. */
        for (size_t i = 0; i < n; i++)
          got3[i] = ok1 (c[i]) && i > 0 && ok1 (c[i - 1]) && c[i] < c[i - 1] ? -v[i] : v[i];
        for (size_t i = 0; i < n; i++)
          {
            double sum = 0;

            want[i] = NAN;
            if (!ok1 (got3[i]))
              continue;
            for (size_t k = i + 1; k-- > 0 && sess[k] == sess[i];)
              if (ok1 (got3[k]))
                sum += got3[k];
            want[i] = sum;
          }
        slow_sma (want, n, p, want2);
        hs_cvd (got3, sess, n, (int) p, got, got2);
        check_series ("cvd", got, want, n, 0);
        check_series ("cvd ma", got2, want2, n, TOL);

        /* Book imbalance. */
        for (size_t i = 0; i < n; i++)
          want[i] = ok1 (v[i]) && v[i] + v2[i] != 0 ? 100 * (v[i] - v2[i]) / (v[i] + v2[i]) : NAN;
        hs_book_imbalance (v, v2, n, got);
        check_series ("imbalance", got, want, n, 0);
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/core/indicators/backtrader/moving-averages", test_bt_moving_averages);
  g_test_add_func ("/hs/core/indicators/backtrader/rsi", test_bt_rsi);
  g_test_add_func ("/hs/core/indicators/backtrader/macd", test_bt_macd);
  g_test_add_func ("/hs/core/indicators/backtrader/bollinger", test_bt_bollinger);
  g_test_add_func ("/hs/core/indicators/backtrader/stochastic", test_bt_stochastic);
  g_test_add_func ("/hs/core/indicators/backtrader/highest-lowest", test_bt_highest_lowest);
  g_test_add_func ("/hs/core/indicators/backtrader/fractal", test_bt_fractal);
  g_test_add_func ("/hs/core/indicators/reference/atr", test_ref_atr);
  g_test_add_func ("/hs/core/indicators/reference/stdev", test_ref_stdev);
  g_test_add_func ("/hs/core/indicators/reference/pivots", test_ref_pivots);
  g_test_add_func ("/hs/core/indicators/reference/slope-squeeze", test_ref_slope_squeeze);
  g_test_add_func ("/hs/core/indicators/reference/relative-volume", test_ref_relative_volume);
  g_test_add_func ("/hs/core/indicators/reference/vwap-cvd", test_ref_vwap_cvd);
  g_test_add_func ("/hs/core/indicators/reference/book-imbalance", test_ref_book_imbalance);
  g_test_add_func ("/hs/core/indicators/hand/single", test_hand_single);
  g_test_add_func ("/hs/core/indicators/hand/multi", test_hand_multi);
  g_test_add_func ("/hs/core/indicators/session-days", test_session_days);
  g_test_add_func ("/hs/core/indicators/accuracy", test_accuracy);
  g_test_add_func ("/hs/core/indicators/edges", test_edges);
  g_test_add_func ("/hs/core/indicators/random/single", test_random_single);
  g_test_add_func ("/hs/core/indicators/random/multi", test_random_multi);
  return g_test_run ();
}
