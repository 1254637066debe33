/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backtest statistics: every number of a run's summary, from its equity curve, its closed trades
 * and an optional benchmark, in two profiles. The lean profile reproduces QuantConnect LEAN's
 * statistics digit for digit (shared LEAN-CONVENTIONS.md: midnight samples with weekend zero
 * returns, 7-significant-digit SmartRounding, the first two samples dropped, the risk-free rate
 * averaged over the chart's UTC dates); the default profile uses sound conventions. Both are
 * written out, formula by formula, in docs/statistics.md. Also here: LEAN's text formatting of
 * each statistic (.NET decimal and double rounding), the probabilistic and deflated Sharpe ratios
 * (Bailey & López de Prado), and LEAN's strategy capacity estimate, fed step by step by the
 * engine.
 *
 * Load: one call per backtest, linear in the number of equity points (a few million for years
 * of minute samples) plus a sort of the trades; a sweep calls it once per trial.
 */
#define G_LOG_DOMAIN "hs-stats"

#include "config.h"

#include "hs-stats.h"

#include "hs-time.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (hs-stats-error-quark, hs_stats_error)

#define US_PER_DAY G_GINT64_CONSTANT (86400000000)
#define EULER_GAMMA 0.57721566490153286061

/* ------------------------------------------------------------------------------------------- */
/* Decimal rounding. LEAN computes in .NET decimal; a double converted to decimal keeps 15
 * significant digits. Rounding those digits as text reproduces decimal rounding exactly for the
 * values LEAN produces (exact decimals such as 3.485 round as decimals, not as binary doubles). */

typedef struct
{
  gboolean neg;
  char     d[16];   /* 15 significant digits and a NUL */
  int      exp;     /* decimal exponent of d[0] */
} Dec15;

static void
dec15 (double v,
       Dec15 *out)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *e;

  g_ascii_formatd (buf, sizeof buf, "%.14e", fabs (v));
  out->neg = v < 0;
  out->d[0] = buf[0];
  memcpy (out->d + 1, buf + 2, 14);
  out->d[15] = '\0';
  e = strchr (buf, 'e');
  out->exp = e != NULL ? atoi (e + 1) : 0;
}

/* Rounds the digits so that @k of them are kept (k may be ≤ 0 or > 15) and writes the kept
 * integer as decimal text, without leading zeros ("0" for zero). */
static void
dec_round_digits (const Dec15 *x,
                  int          k,
                  HsRounding   mode,
                  GString     *out)
{
  gboolean up = FALSE, rest = FALSE;
  char next;

  g_string_truncate (out, 0);
  if (k < 0)
    {
      g_string_append_c (out, '0');
      return;
    }
  for (int i = 0; i < k; i++)
    g_string_append_c (out, i < 15 ? x->d[i] : '0');
  next = k < 15 ? x->d[k] : '0';
  for (int i = k + 1; i < 15; i++)
    rest = rest || x->d[i] != '0';
  if (next > '5' || (next == '5' && rest))
    up = TRUE;
  else if (next == '5')
    {
      int last = out->len > 0 ? out->str[out->len - 1] - '0' : 0;

      up = mode == HS_ROUND_HALF_AWAY || (last % 2) == 1;
    }
  if (up)
    {
      int i = (int) out->len - 1;

      while (i >= 0 && out->str[i] == '9')
        out->str[i--] = '0';
      if (i >= 0)
        out->str[i]++;
      else
        g_string_prepend_c (out, '1');
    }
  /* Strip leading zeros. */
  while (out->len > 1 && out->str[0] == '0')
    g_string_erase (out, 0, 1);
  if (out->len == 0)
    g_string_append_c (out, '0');
}

/**
 * hs_stats_round:
 * @places: decimals to keep (may be negative)
 *
 * Rounds @v the way .NET's Math.Round (decimal, places, mode) rounds the decimal that @v
 * converts to. NAN and infinities are returned as they are.
 */
double
hs_stats_round (double     v,
                int        places,
                HsRounding mode)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  char buf[64];
  Dec15 x;

  if (!isfinite (v) || v == 0)
    return v;
  dec15 (v, &x);
  dec_round_digits (&x, x.exp + 1 + places, mode, digits);
  if (g_str_equal (digits->str, "0"))
    return 0.0;
  g_snprintf (buf, sizeof buf, "%s%se%d", x.neg ? "-" : "", digits->str, -places);
  return g_ascii_strtod (buf, NULL);
}

/* LEAN's RoundToSignificantDigits: banker's rounding at @digits significant digits. */
double
hs_stats_round_significant (double v,
                            int    digits)
{
  Dec15 x;

  if (!isfinite (v) || v == 0)
    return v;
  dec15 (v, &x);
  return hs_stats_round (v, digits - 1 - x.exp, HS_ROUND_HALF_EVEN);
}

/**
 * hs_stats_smart_round:
 *
 * LEAN's SmartRounding: above 1000, 4 decimals; otherwise (negative values included) 7
 * significant digits; banker's rounding both ways.
 */
double
hs_stats_smart_round (double v)
{
  if (v > 1000)
    return hs_stats_round (v, 4, HS_ROUND_HALF_EVEN);
  return hs_stats_round_significant (v, 7);
}

/* Text of the decimal @v × 10^@shift rounded like Math.Round (decimal, @places) and printed like
 * decimal.ToString (): the scale is the decimal's own (its 15 digits without trailing zeros;
 * multiplying by 100 keeps it), and rounding only lowers it to @places. With @fixed the text has
 * exactly @places decimals, as ToString ("0.00") prints. A rounded zero prints without sign. */
static void
dec_format (double      v,
            int         shift,
            int         places,
            HsRounding  mode,
            gboolean    fixed,
            GString    *out)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  int sig, scale, shown;
  Dec15 x;

  if (v == 0)
    {
      g_string_append_c (out, '0');
      if (fixed && places > 0)
        {
          g_string_append_c (out, '.');
          for (int i = 0; i < places; i++)
            g_string_append_c (out, '0');
        }
      return;
    }
  dec15 (v, &x);
  sig = 15;
  while (sig > 1 && x.d[sig - 1] == '0')
    sig--;
  scale = MAX (0, sig - 1 - x.exp);
  shown = fixed ? places : MIN (scale, places);
  dec_round_digits (&x, x.exp + 1 + shift + places, mode, digits);
  while ((int) digits->len < places + 1)
    g_string_prepend_c (digits, '0');
  if (places > 0)
    g_string_insert_c (digits, (gssize) digits->len - places, '.');
  /* Drop the zeros that rounding to @places added beyond the decimal's own scale. */
  if (places > 0)
    {
      g_string_truncate (digits, digits->len - (size_t) (places - shown));
      if (shown == 0)
        g_string_truncate (digits, digits->len - 1);
    }
  if (x.neg && strspn (digits->str, "0.") != digits->len)
    g_string_append_c (out, '-');
  g_string_append (out, digits->str);
}

/* A double as .NET Core's double.ToString () prints it: the shortest text that reads back,
 * positional for exponents −5 … 14, otherwise "1.5E+16". */
static void
dotnet_double (double   v,
               GString *out)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[16], mant[32];
  const char *e;
  int exp, nd = 0;

  if (isnan (v))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (v))
    {
      g_string_append (out, v > 0 ? "∞" : "-∞");
      return;
    }
  if (v == 0)
    {
      g_string_append (out, signbit (v) ? "-0" : "0");
      return;
    }
  for (int prec = 1; prec <= 17; prec++)
    {
      g_snprintf (fmt, sizeof fmt, "%%.%de", prec - 1);
      g_ascii_formatd (buf, sizeof buf, fmt, fabs (v));
      if (g_ascii_strtod (buf, NULL) == fabs (v))
        break;
    }
  e = strchr (buf, 'e');
  exp = atoi (e + 1);
  for (const char *p = buf; p < e; p++)
    if (g_ascii_isdigit (*p))
      mant[nd++] = *p;
  mant[nd] = '\0';
  if (v < 0)
    g_string_append_c (out, '-');
  if (exp >= 15 || exp < -5)
    {
      g_string_append_c (out, mant[0]);
      if (nd > 1)
        g_string_append_printf (out, ".%s", mant + 1);
      g_string_append_printf (out, "E%c%02d", exp < 0 ? '-' : '+', abs (exp));
    }
  else if (exp < 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -exp - 1; i++)
        g_string_append_c (out, '0');
      g_string_append (out, mant);
    }
  else
    {
      for (int i = 0; i <= MAX (exp, nd - 1); i++)
        {
          if (i == exp + 1)
            g_string_append_c (out, '.');
          g_string_append_c (out, i < nd ? mant[i] : '0');
        }
    }
}

/* Math.Round ((double) decimalValue, 3).ToStringInvariant (): the decimal's 15 digits, scaled
 * by 1000 in binary, rounded half to even, scaled back. */
static void
dotnet_round3 (double   v,
               GString *out)
{
  double x = hs_stats_round_significant (v, 15);

  if (isfinite (x) && fabs (x) < 1e16)
    x = nearbyint (x * 1000.0) / 1000.0;
  dotnet_double (x, out);
}

/* ------------------------------------------------------------------------------------------- */
/* Distributions and moments */

double
hs_stats_norm_cdf (double x)
{
  return 0.5 * erfc (-x / G_SQRT2);
}

/**
 * hs_stats_norm_ppf:
 *
 * The standard normal quantile: Acklam's rational approximation (relative error 1.15e-9)
 * polished by one Halley step on erfc, which brings it to full double precision.
 */
double
hs_stats_norm_ppf (double p)
{
  static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
                              -2.759285104469687e+02, 1.383577518672690e+02,
                              -3.066479806614716e+01, 2.506628277459239e+00 };
  static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
                              -1.556989798598866e+02, 6.680131188771972e+01,
                              -1.328068155288572e+01 };
  static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
                              -2.400758277161838e+00, -2.549732539343734e+00,
                              4.374664141464968e+00, 2.938163982698783e+00 };
  static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
                              2.445134137142996e+00, 3.754408661907416e+00 };
  double q, r, x, e, u;

  if (isnan (p) || p < 0 || p > 1)
    return NAN;
  if (p == 0)
    return -INFINITY;
  if (p == 1)
    return INFINITY;
  if (p < 0.02425)
    {
      q = sqrt (-2 * log (p));
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
  else if (p <= 1 - 0.02425)
    {
      q = p - 0.5;
      r = q * q;
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
          / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
  else
    {
      q = sqrt (-2 * log (1 - p));
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
  e = hs_stats_norm_cdf (x) - p;
  u = e * sqrt (2 * G_PI) * exp (x * x / 2);
  return x - u / (1 + x * u / 2);
}

static double
mean_of (const double *x,
         size_t        n)
{
  double s = 0;

  if (n == 0)
    return NAN;
  for (size_t i = 0; i < n; i++)
    s += x[i];
  return s / (double) n;
}

/* Sample variance (n − 1), two-pass; NAN below two values. */
static double
variance_of (const double *x,
             size_t        n)
{
  double m, s = 0;

  if (n < 2)
    return NAN;
  m = mean_of (x, n);
  for (size_t i = 0; i < n; i++)
    s += (x[i] - m) * (x[i] - m);
  return s / (double) (n - 1);
}

static double
covariance_of (const double *x,
               const double *y,
               size_t        n)
{
  double mx, my, s = 0;

  if (n < 2)
    return NAN;
  mx = mean_of (x, n);
  my = mean_of (y, n);
  for (size_t i = 0; i < n; i++)
    s += (x[i] - mx) * (y[i] - my);
  return s / (double) (n - 1);
}

/**
 * hs_stats_skewness:
 *
 * The bias-corrected sample skewness G1 = n √(n−1) / (n−2) · M3 / M2^1.5 (what MathNet's
 * Statistics.Skewness returns); NAN below 3 values or for constant data.
 */
double
hs_stats_skewness (const double *x,
                   size_t        n)
{
  double m, m2 = 0, m3 = 0, dn = (double) n;

  if (n < 3)
    return NAN;
  m = mean_of (x, n);
  for (size_t i = 0; i < n; i++)
    {
      double dx = x[i] - m;

      m2 += dx * dx;
      m3 += dx * dx * dx;
    }
  if (m2 == 0)
    return NAN;
  return dn * sqrt (dn - 1) / (dn - 2) * m3 / pow (m2, 1.5);
}

/**
 * hs_stats_kurtosis:
 *
 * The bias-corrected sample EXCESS kurtosis G2 = (n²−1)/((n−2)(n−3)) · (n M4/M2² − 3 + 6/(n+1))
 * (MathNet's Statistics.Kurtosis); NAN below 4 values or for constant data. Add 3 for the
 * kurtosis γ4 of Bailey & López de Prado.
 */
double
hs_stats_kurtosis (const double *x,
                   size_t        n)
{
  double m, m2 = 0, m4 = 0, dn = (double) n;

  if (n < 4)
    return NAN;
  m = mean_of (x, n);
  for (size_t i = 0; i < n; i++)
    {
      double dx2 = (x[i] - m) * (x[i] - m);

      m2 += dx2;
      m4 += dx2 * dx2;
    }
  if (m2 == 0)
    return NAN;
  return (dn * dn - 1) / ((dn - 2) * (dn - 3)) * (dn * m4 / (m2 * m2) - 3 + 6 / (dn + 1));
}

/**
 * hs_stats_probabilistic_sharpe:
 * @sr: the observed Sharpe ratio, per period (not annualized)
 * @sr_benchmark: the benchmark Sharpe ratio SR*, per period
 * @skew: skewness γ3 of the returns
 * @kurtosis: kurtosis γ4 of the returns (NOT excess: 3 for normal returns)
 * @n: number of returns
 *
 * PSR = Φ((SR − SR*) √(n−1) / √(1 − γ3 SR + (γ4 − 1)/4 SR²)), Bailey & López de Prado, "The
 * Sharpe Ratio Efficient Frontier", Journal of Risk 15(2), 2012, eq. 11. NAN when the
 * denominator is not a positive number.
 */
double
hs_stats_probabilistic_sharpe (double sr,
                               double sr_benchmark,
                               double skew,
                               double kurtosis,
                               double n)
{
  double sigma = sqrt ((1 - skew * sr + (kurtosis - 1) / 4 * sr * sr) / (n - 1));

  if (isnan (sigma) || sigma <= 0)
    return NAN;
  return hs_stats_norm_cdf ((sr - sr_benchmark) / sigma);
}

/**
 * hs_stats_expected_max_sharpe:
 * @n_trials: number of independent trials N
 * @variance: variance of the trials' Sharpe ratios V[{SR_n}], per period
 *
 * The expected maximum Sharpe ratio of N trials whose true Sharpe ratio is 0:
 * SR0 = √V ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))), γ the Euler–Mascheroni constant
 * (Bailey & López de Prado 2014, eq. 2). 0 for a single trial.
 */
double
hs_stats_expected_max_sharpe (double n_trials,
                              double variance)
{
  if (n_trials <= 1)
    return 0;
  return sqrt (variance) * ((1 - EULER_GAMMA) * hs_stats_norm_ppf (1 - 1 / n_trials)
                            + EULER_GAMMA * hs_stats_norm_ppf (1 - 1 / (n_trials * G_E)));
}

/**
 * hs_stats_deflated_sharpe:
 * @sr: the best trial's Sharpe ratio, per period
 * @n_trials: number of trials
 * @variance: variance of the trials' Sharpe ratios, per period
 * @skew: skewness of the best trial's returns
 * @kurtosis: kurtosis of its returns (not excess)
 * @n: number of returns T
 *
 * The deflated Sharpe ratio DSR = PSR(SR0) with SR0 from hs_stats_expected_max_sharpe():
 * D. H. Bailey and M. López de Prado, "The Deflated Sharpe Ratio: Correcting for Selection Bias,
 * Backtest Overfitting and Non-Normality", Journal of Portfolio Management 40(5), 2014, 94–107.
 */
double
hs_stats_deflated_sharpe (double sr,
                          double n_trials,
                          double variance,
                          double skew,
                          double kurtosis,
                          double n)
{
  return hs_stats_probabilistic_sharpe (sr, hs_stats_expected_max_sharpe (n_trials, variance),
                                        skew, kurtosis, n);
}

/* Linear-interpolation quantile of sorted data (numpy's default). */
static double
quantile_sorted (const double *x,
                 size_t        n,
                 double        q)
{
  double pos, frac;
  size_t i;

  if (n == 0)
    return NAN;
  pos = q * (double) (n - 1);
  i = (size_t) floor (pos);
  frac = pos - (double) i;
  if (i + 1 >= n)
    return x[n - 1];
  return x[i] + frac * (x[i + 1] - x[i]);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* ------------------------------------------------------------------------------------------- */
/* Risk-free rate */

double
hs_risk_free_rate_at (const HsRiskFree *rf,
                      int64_t           ts)
{
  size_t lo = 0, hi;

  g_return_val_if_fail (rf != NULL, NAN);
  if (rf->n_points == 0 || rf->points == NULL)
    return rf->constant;
  /* The last point at or before ts; before the first point, the first rate. */
  hi = rf->n_points;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (rf->points[mid].ts <= ts)
        lo = mid + 1;
      else
        hi = mid;
    }
  return rf->points[lo == 0 ? 0 : lo - 1].rate;
}

/* ------------------------------------------------------------------------------------------- */
/* Samples */

void
hs_stats_input_init (HsStatsInput *input)
{
  g_return_if_fail (input != NULL);
  memset (input, 0, sizeof *input);
  input->profile = HS_STATS_PROFILE_DEFAULT;
  input->start_equity = NAN;
  input->capacity = NAN;
  input->trading_days_per_year = 252;
}

void
hs_statistics_clear (HsStatistics *stats)
{
  g_return_if_fail (stats != NULL);
  g_clear_pointer (&stats->lowest_capacity_asset, g_free);
  memset (stats, 0, sizeof *stats);
}

/* Local day number (days since 1970-01-01 in @tz) of a UTC time. */
static int64_t
local_day (GTimeZone *tz,
           int64_t    ts)
{
  int64_t s = ts >= 0 ? ts / G_USEC_PER_SEC : -((-ts + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  int iv = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, s);
  int64_t local = s + (iv >= 0 ? g_time_zone_get_offset (tz, iv) : 0);

  return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

/* UTC time of midnight, in @tz, of local day @day. */
static int64_t
local_midnight (GTimeZone *tz,
                int64_t    day)
{
  gint64 t = day * 86400;
  int iv = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);

  return (t - (iv >= 0 ? g_time_zone_get_offset (tz, iv) : 0)) * G_USEC_PER_SEC;
}

/* Index of the last point at or before @ts, or −1; @hint is where the previous search ended
 * (the queries come in time order). */
static ptrdiff_t
asof (const HsPoint *p,
      size_t         n,
      int64_t        ts,
      ptrdiff_t     *hint)
{
  ptrdiff_t i = MAX (*hint, -1);

  while ((size_t) (i + 1) < n && p[i + 1].ts <= ts)
    i++;
  *hint = i;
  return i;
}

/* The return samples as the profile derives them from the equity curve (see the header). */
static GArray *
derive_samples (const HsStatsInput *in,
                GTimeZone          *tz)
{
  GArray *s = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  const HsPoint *e = in->equity;
  size_t n = in->n_equity;

  if (in->profile == HS_STATS_PROFILE_LEAN)
    {
      int64_t first = local_day (tz, e[0].ts), last = local_day (tz, e[n - 1].ts);
      ptrdiff_t hint = -1;

      for (int64_t day = first; day <= last; day++)
        {
          int64_t m = local_midnight (tz, day);
          ptrdiff_t i;
          HsPoint p;

          if (m > e[n - 1].ts)
            break;
          /* Day 0 is stamped at the start date's midnight and holds the starting equity. */
          i = asof (e, n, m, &hint);
          p.ts = m;
          p.value = i >= 0 ? e[i].value : e[0].value;
          g_array_append_val (s, p);
        }
      if (s->len == 0 || g_array_index (s, HsPoint, s->len - 1).ts < e[n - 1].ts)
        g_array_append_val (s, e[n - 1]);
      return s;
    }

  g_array_append_val (s, e[0]);
  /* The first point (the starting equity), then the last point of each day. */
  for (size_t i = 1; i < n; i++)
    if (i == n - 1 || local_day (tz, e[i + 1].ts) != local_day (tz, e[i].ts))
      g_array_append_val (s, e[i]);
  return s;
}

/* ------------------------------------------------------------------------------------------- */
/* Drawdown */

static void
drawdown (const double  *v,
          const int64_t *ts,
          size_t         n,
          double        *max_dd,
          int64_t       *recovery_days)
{
  double high = v[0], worst = 0;
  int64_t peak_ts = ts[0], longest = 0;
  gboolean under = FALSE;

  for (size_t i = 0; i < n; i++)
    {
      if (v[i] > high)
        high = v[i];
      if (high > 0 && v[i] / high - 1 < worst)
        worst = v[i] / high - 1;
    }
  *max_dd = fabs (worst);

  /* Recovery: from a peak to the first point back at or above it, in whole days. */
  high = v[0];
  for (size_t i = 0; i < n; i++)
    {
      if (v[i] >= high)
        {
          if (under)
            longest = MAX (longest, (ts[i] - peak_ts) / US_PER_DAY);
          under = FALSE;
          high = v[i];
          peak_ts = ts[i];
        }
      else
        under = TRUE;
    }
  *recovery_days = longest;
}

/* ------------------------------------------------------------------------------------------- */
/* Trades */

static int
cmp_trade_exit (const void *a,
                const void *b)
{
  const HsClosedTrade *x = *(const HsClosedTrade * const *) a;
  const HsClosedTrade *y = *(const HsClosedTrade * const *) b;

  if (x->exit_ts != y->exit_ts)
    return x->exit_ts < y->exit_ts ? -1 : 1;
  return x < y ? -1 : x > y;   /* stable: input order */
}

static int
cmp_trade_entry (const void *a,
                 const void *b)
{
  const HsClosedTrade *x = a, *y = b;

  return (x->entry_ts > y->entry_ts) - (x->entry_ts < y->entry_ts);
}

static void
trade_statistics (const HsStatsInput *in,
                  double              start,
                  int64_t             first_ts,
                  int64_t             last_ts,
                  HsStatistics       *st)
{
  gboolean lean = in->profile == HS_STATS_PROFILE_LEAN;
  g_autofree const HsClosedTrade **t = g_new (const HsClosedTrade *, MAX (in->n_trades, 1));
  double running = start, win_sum = 0, loss_sum = 0, gross_win = 0, gross_loss = 0;
  double held = 0, covered = 0;
  int64_t wins = 0, losses = 0, streak = 0, longest = 0, cover_end = G_MININT64;
  size_t n = in->n_trades;

  for (size_t i = 0; i < n; i++)
    t[i] = &in->trades[i];
  if (n > 1)
    qsort (t, n, sizeof *t, cmp_trade_exit);
  for (size_t i = 0; i < n; i++)
    {
      double pnl = t[i]->pnl;
      gboolean loss = lean ? pnl <= 0 : pnl < 0;

      if (pnl > 0)
        {
          win_sum += pnl / running;
          gross_win += pnl;
          wins++;
        }
      else if (loss)
        {
          loss_sum += pnl / running;
          gross_loss += pnl;
          losses++;
        }
      running += pnl;
      streak = loss ? streak + 1 : 0;
      longest = MAX (longest, streak);
      held += (double) (t[i]->exit_ts - t[i]->entry_ts);
    }

  /* Time in the market: the union of the trades' [entry, exit] spans over the equity's span. */
  {
    g_autofree HsClosedTrade *by_entry = g_new (HsClosedTrade, MAX (n, 1));

    if (n > 0)
      memcpy (by_entry, in->trades, n * sizeof *by_entry);
    if (n > 1)
      qsort (by_entry, n, sizeof *by_entry, cmp_trade_entry);
    for (size_t i = 0; i < n; i++)
      {
        int64_t a = MAX (by_entry[i].entry_ts, MAX (cover_end, first_ts));
        int64_t b = MIN (by_entry[i].exit_ts, last_ts);

        if (b > a)
          covered += (double) (b - a);
        cover_end = MAX (cover_end, by_entry[i].exit_ts);
      }
  }

  st->total_trades = (int64_t) n;
  st->winning_trades = wins;
  st->losing_trades = losses;
  st->longest_losing_streak = longest;
  st->average_holding_time = n > 0 ? held / (double) n / G_USEC_PER_SEC : (lean ? 0 : NAN);
  st->exposure = last_ts > first_ts ? covered / (double) (last_ts - first_ts) : NAN;
  if (lean)
    {
      /* LEAN's PortfolioStatistics: zero, not undefined, when a count is 0. */
      st->average_win = wins ? win_sum / (double) wins : 0;
      st->average_loss = losses ? loss_sum / (double) losses : 0;
      st->profit_loss_ratio = st->average_loss == 0 ? 0 : st->average_win / fabs (st->average_loss);
      st->win_rate = n ? (double) wins / (double) n : 0;
      st->loss_rate = n ? (double) losses / (double) n : 0;
      st->profit_factor = gross_loss == 0 ? 0 : gross_win / fabs (gross_loss);
    }
  else
    {
      st->average_win = wins ? win_sum / (double) wins : NAN;
      st->average_loss = losses ? loss_sum / (double) losses : NAN;
      st->profit_loss_ratio = wins && losses ? st->average_win / fabs (st->average_loss) : NAN;
      st->win_rate = n ? (double) wins / (double) n : NAN;
      st->loss_rate = n ? (double) losses / (double) n : NAN;
      st->profit_factor = losses ? gross_win / fabs (gross_loss) : NAN;
    }
  st->expectancy = st->win_rate * st->profit_loss_ratio - st->loss_rate;
  if (!lean && n > 0 && losses == 0)
    st->expectancy = NAN;
}

/* ------------------------------------------------------------------------------------------- */
/* The computation */

typedef struct
{
  GArray *samples;        /* HsPoint: instants and equity values */
  GArray *r;              /* double: the profile's returns */
  GArray *b;              /* double: benchmark returns, same length (NULL: no benchmark) */
  GArray *rf;             /* double: per-period risk-free rate of each return (default) */
  double  turnover;
} Series;

static void
series_clear (Series *s)
{
  g_clear_pointer (&s->samples, g_array_unref);
  g_clear_pointer (&s->r, g_array_unref);
  g_clear_pointer (&s->b, g_array_unref);
  g_clear_pointer (&s->rf, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Series, series_clear)

static gboolean
check_points (const HsPoint *p,
              size_t         n,
              const char    *what,
              gboolean       positive,
              GError       **error)
{
  for (size_t i = 0; i < n; i++)
    {
      if (!isfinite (p[i].value) || (positive && p[i].value <= 0))
        {
          g_set_error (error, HS_STATS_ERROR, HS_STATS_ERROR_INVALID,
                       "%s point %zu: value %g is not %s", what, i + 1, p[i].value,
                       positive ? "a positive number" : "a finite number");
          return FALSE;
        }
      if (i > 0 && p[i].ts <= p[i - 1].ts)
        {
          g_set_error (error, HS_STATS_ERROR, HS_STATS_ERROR_INVALID,
                       "%s point %zu: time is not after the previous point's", what, i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

static GTimeZone *
profile_tz (const HsStatsInput *in,
            GError            **error)
{
  GTimeZone *tz;

  if (in->day_tz != NULL)
    return g_time_zone_ref (in->day_tz);
  if (in->profile != HS_STATS_PROFILE_LEAN)
    return g_time_zone_new_utc ();
  tz = g_time_zone_new_identifier ("America/New_York");
  if (tz == NULL)
    g_set_error (error, HS_STATS_ERROR, HS_STATS_ERROR_INVALID,
                 "the time zone America/New_York is not available (is tzdata installed?)");
  return tz;
}

/* Samples, returns, benchmark returns and turnover as the profile defines them. */
static gboolean
build_series (const HsStatsInput *in,
              Series             *s,
              GError            **error)
{
  gboolean lean = in->profile == HS_STATS_PROFILE_LEAN;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GArray) all_r = NULL, all_b = NULL;
  const HsPoint *sp;
  size_t m, drop;
  int days = in->trading_days_per_year > 0 ? in->trading_days_per_year : 252;
  double turnover_sum = 0;
  size_t turnover_n = 0;
  ptrdiff_t hint_b = -1, hint_t = -1, hint_e = -1, hint_t0 = -1;

  if (in->equity == NULL || in->n_equity == 0)
    {
      g_set_error (error, HS_STATS_ERROR, HS_STATS_ERROR_INVALID, "the equity curve is empty");
      return FALSE;
    }
  if (!check_points (in->equity, in->n_equity, "equity", !lean, error)
      || (in->samples && !check_points (in->samples, in->n_samples, "sample", !lean, error))
      || (in->returns && !check_points (in->returns, in->n_returns, "return", FALSE, error))
      || (in->benchmark && !check_points (in->benchmark, in->n_benchmark, "benchmark", FALSE,
                                          error))
      || (in->traded && !check_points (in->traded, in->n_traded, "traded value", FALSE, error)))
    return FALSE;
  if (!lean && !isnan (in->start_equity) && !(in->start_equity > 0))
    {
      g_set_error (error, HS_STATS_ERROR, HS_STATS_ERROR_INVALID,
                   "the start equity %g is not a positive number", in->start_equity);
      return FALSE;
    }
  tz = profile_tz (in, error);
  if (tz == NULL)
    return FALSE;

  if (in->returns != NULL)
    {
      /* Returns known already: the samples are their instants, with the equity as of each. */
      s->samples = g_array_sized_new (FALSE, FALSE, sizeof (HsPoint), (guint) in->n_returns);
      for (size_t i = 0; i < in->n_returns; i++)
        {
          ptrdiff_t j = asof (in->equity, in->n_equity, in->returns[i].ts, &hint_e);
          HsPoint p = { in->returns[i].ts, j >= 0 ? in->equity[j].value : in->equity[0].value };

          g_array_append_val (s->samples, p);
        }
    }
  else if (in->samples != NULL)
    s->samples = g_array_append_vals (g_array_new (FALSE, FALSE, sizeof (HsPoint)), in->samples,
                                      (guint) in->n_samples);
  else
    s->samples = derive_samples (in, tz);
  sp = (const HsPoint *) (void *) s->samples->data;
  m = s->samples->len;

  /* Returns of every sample (index 0 is day 0, return 0). */
  all_r = g_array_sized_new (FALSE, TRUE, sizeof (double), (guint) m);
  for (size_t i = 0; i < m; i++)
    {
      double r = 0;

      if (in->returns != NULL)
        r = in->returns[i].value;
      else if (i > 0 && lean)
        {
          double prev = sp[i - 1].value;
          double pct = prev == 0 ? 0 : (sp[i].value - prev) * 100 / prev;

          r = hs_stats_smart_round (hs_stats_round (pct, 10, HS_ROUND_HALF_EVEN)) / 100;
        }
      else if (i > 0)
        r = sp[i].value / sp[i - 1].value - 1;
      g_array_append_val (all_r, r);
    }

  /* Benchmark at each sample, as of its time. */
  if (in->benchmark != NULL && in->n_benchmark > 0)
    {
      double prev = NAN;

      all_b = g_array_sized_new (FALSE, TRUE, sizeof (double), (guint) m);
      for (size_t i = 0; i < m; i++)
        {
          ptrdiff_t j = asof (in->benchmark, in->n_benchmark, sp[i].ts, &hint_b);
          double v, c = 0;

          if (j < 0 && !lean)
            {
              char buf[40];

              hs_time_format_iso_buf (sp[i].ts, buf);
              g_set_error (error, HS_STATS_ERROR, HS_STATS_ERROR_INVALID,
                           "the benchmark has no value at or before %s; it must start no later "
                           "than the equity curve", buf);
              return FALSE;
            }
          /* LEAN: no benchmark data yet is a value of 0, and a change from 0 is 0. */
          v = j < 0 ? 0 : in->benchmark[j].value;
          if (lean)
            v = hs_stats_smart_round (v);
          if (i > 0)
            c = prev != 0 ? (v - prev) / prev : 0;
          if (!lean && i > 0 && !(prev > 0))
            {
              g_set_error (error, HS_STATS_ERROR, HS_STATS_ERROR_INVALID,
                           "benchmark value %g is not a positive price", prev);
              return FALSE;
            }
          g_array_append_val (all_b, c);
          prev = v;
        }
    }
  else if (lean)
    all_b = g_array_set_size (g_array_sized_new (FALSE, TRUE, sizeof (double), (guint) m),
                              (guint) m);   /* LEAN without a benchmark: all zero */

  /* LEAN drops day 0 and the start day's return (and the first benchmark change with it); the
   * default profile drops only day 0, which has no return. */
  drop = lean ? 2 : 1;
  s->r = g_array_new (FALSE, FALSE, sizeof (double));
  s->rf = g_array_new (FALSE, FALSE, sizeof (double));
  if (all_b != NULL)
    s->b = g_array_new (FALSE, FALSE, sizeof (double));
  for (size_t i = drop; i < m; i++)
    {
      double rf = hs_risk_free_rate_at (&in->risk_free, sp[i].ts) / days;

      g_array_append_val (s->r, g_array_index (all_r, double, i));
      g_array_append_val (s->rf, rf);
      if (all_b != NULL)
        g_array_append_val (s->b, g_array_index (all_b, double, i));
    }

  /* Turnover: traded value between consecutive samples over the equity at the later one. */
  s->turnover = lean ? 0 : NAN;
  if (in->traded != NULL && in->n_traded > 0)
    {
      for (size_t i = 1; i < m; i++)
        {
          ptrdiff_t j0 = asof (in->traded, in->n_traded, sp[i - 1].ts, &hint_t0);
          ptrdiff_t j1 = asof (in->traded, in->n_traded, sp[i].ts, &hint_t);
          double t0 = j0 >= 0 ? in->traded[j0].value : 0, t1 = j1 >= 0 ? in->traded[j1].value : 0;
          double v;

          if (sp[i].value == 0)
            continue;
          v = (t1 - t0) / sp[i].value;
          turnover_sum += lean ? hs_stats_smart_round (v) : v;
          turnover_n++;
        }
      if (turnover_n > 0)
        s->turnover = turnover_sum / (double) turnover_n;
    }
  return TRUE;
}

/**
 * hs_stats_daily_returns:
 * @returns: (out) (transfer full): GArray of double, the returns the statistics use
 * @benchmark_returns: (out) (optional) (transfer full) (nullable): the benchmark's, same length,
 *   or NULL without a benchmark (the lean profile then has zeros)
 *
 * The return series of the profile (LEAN: after its two dropped samples), for tests and for
 * statistics of one's own.
 */
gboolean
hs_stats_daily_returns (const HsStatsInput *input,
                        GArray            **returns,
                        GArray            **benchmark_returns,
                        GError            **error)
{
  g_auto(Series) s = { 0 };

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (returns != NULL, FALSE);
  if (!build_series (input, &s, error))
    return FALSE;
  *returns = g_steal_pointer (&s.r);
  if (benchmark_returns != NULL)
    *benchmark_returns = g_steal_pointer (&s.b);
  return TRUE;
}

/* Calmar, Omega, tail ratio, stability: the same in both profiles, over the profile's returns. */
static void
advanced_statistics (const double *r,
                     const double *rf,
                     size_t        n,
                     HsStatistics *st)
{
  g_autofree double *sorted = g_memdup2 (r, MAX (n, 1) * sizeof *r);
  double up = 0, down = 0, q05, q95;

  st->calmar_ratio = st->max_drawdown > 0 ? st->compounding_annual_return / st->max_drawdown
                                          : NAN;
  for (size_t i = 0; i < n; i++)
    {
      double d = r[i] - rf[i];

      if (d > 0)
        up += d;
      else
        down -= d;
    }
  st->omega_ratio = down > 0 ? up / down : NAN;
  if (n > 1)
    qsort (sorted, n, sizeof *sorted, cmp_double);
  q05 = quantile_sorted (sorted, n, 0.05);
  q95 = quantile_sorted (sorted, n, 0.95);
  st->tail_ratio = n > 0 && q05 != 0 ? fabs (q95) / fabs (q05) : NAN;

  /* Stability: R² of the cumulative log return regressed on time (empyrical's definition). */
  st->stability = NAN;
  if (n >= 2)
    {
      double y = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, dn = (double) n, cov, vx, vy;

      for (size_t i = 0; i < n; i++)
        {
          double x = (double) i;

          y += log1p (r[i]);
          sx += x;
          sy += y;
          sxx += x * x;
          syy += y * y;
          sxy += x * y;
        }
      cov = sxy - sx * sy / dn;
      vx = sxx - sx * sx / dn;
      vy = syy - sy * sy / dn;
      if (vx > 0 && vy > 0)
        st->stability = CLAMP (cov * cov / (vx * vy), 0, 1);
    }
}

static void
lean_statistics (const HsStatsInput *in,
                 const Series       *s,
                 HsStatistics       *st)
{
  const double *r = (const double *) (void *) s->r->data;
  const double *b = (const double *) (void *) s->b->data;
  size_t n = s->r->len, ne = in->n_equity;
  int days = in->trading_days_per_year > 0 ? in->trading_days_per_year : 252;
  g_autofree double *chart = g_new (double, ne);
  g_autofree int64_t *ts = g_new (int64_t, ne);
  g_autofree double *diff = g_new (double, MAX (n, 1));
  g_autofree double *neg = g_new (double, MAX (n, 1));
  g_autofree double *rf_each = g_new (double, MAX (n, 1));
  double start, end, rf = 0, mean, var, sd, annual, annual_b, years, bvar, dd_raw, sr;
  size_t n_neg = 0;
  int64_t last_day = G_MININT64;
  double last_rate = 0;

  /* The chart stores round(v, 4), then SmartRounded. */
  for (size_t i = 0; i < ne; i++)
    {
      chart[i] = hs_stats_smart_round (hs_stats_round (in->equity[i].value, 4,
                                                       HS_ROUND_HALF_EVEN));
      ts[i] = in->equity[i].ts;
    }
  start = isnan (in->start_equity) ? in->equity[0].value : in->start_equity;
  end = chart[ne - 1];
  st->start_equity = start;
  st->end_equity = end;
  st->final_value = end;
  st->net_profit_currency = end - start;
  st->portfolio_turnover = s->turnover;
  trade_statistics (in, start, ts[0], ts[ne - 1], st);

  /* Risk-free rate: the mean of the rate at the UTC date of every chart point. */
  for (size_t i = 0; i < ne; i++)
    {
      int64_t day = ts[i] >= 0 ? ts[i] / US_PER_DAY : -((-ts[i] + US_PER_DAY - 1) / US_PER_DAY);

      if (day != last_day)
        {
          last_rate = hs_risk_free_rate_at (&in->risk_free, day * US_PER_DAY);
          last_day = day;
        }
      rf += last_rate;
    }
  rf /= (double) ne;
  for (size_t i = 0; i < n; i++)
    rf_each[i] = rf / days;

  if (start == 0 || n < 2)
    {
      /* LEAN leaves every portfolio statistic at 0 with fewer than two returns. */
      st->average_win = st->average_loss = st->profit_loss_ratio = 0;
      st->win_rate = st->loss_rate = st->expectancy = 0;
      st->calmar_ratio = st->omega_ratio = st->tail_ratio = st->stability = NAN;
      return;
    }

  st->net_profit = end / start - 1;
  st->total_return = st->net_profit;
  years = (double) (ts[ne - 1] - ts[0]) / (double) US_PER_DAY / 365;
  st->compounding_annual_return = 0;
  if (years != 0)
    {
      double c = pow (end / start, 1 / years) - 1;

      st->compounding_annual_return = isfinite (c) ? hs_stats_round_significant (c, 15) : 0;
    }
  /* LEAN rounds the drawdown to 3 decimals before it prints it; we keep the unrounded value,
   * whose decimal scale the formatter needs to print it as LEAN does ("2.000%", "0.000%"). */
  drawdown (chart, ts, ne, &dd_raw, &st->drawdown_recovery);
  st->max_drawdown = dd_raw;

  mean = mean_of (r, n);
  var = variance_of (r, n);
  st->annual_variance = hs_stats_round_significant (var * days, 15);
  st->annual_standard_deviation = sqrt (st->annual_variance);
  annual = pow (mean + 1, days) - 1;
  annual_b = pow (mean_of (b, n) + 1, days) - 1;
  st->sharpe_ratio = st->annual_standard_deviation == 0
                     ? 0 : (annual - rf) / st->annual_standard_deviation;

  for (size_t i = 0; i < n; i++)
    if (r[i] < 0)
      neg[n_neg++] = r[i];
  st->sortino_ratio = 0;
  if (n_neg >= 2)
    {
      double down = sqrt (variance_of (neg, n_neg) * days);

      if (down != 0)
        st->sortino_ratio = (annual - rf) / down;
    }

  bvar = variance_of (b, n);
  st->beta = isnan (bvar) || bvar == 0 ? 0 : covariance_of (r, b, n) / bvar;
  st->alpha = st->beta == 0 ? 0 : annual - (rf + st->beta * (annual_b - rf));
  for (size_t i = 0; i < n; i++)
    diff[i] = r[i] - b[i];
  st->tracking_error = sqrt (variance_of (diff, n) * days);
  st->information_ratio = st->tracking_error == 0 ? 0
                          : (annual - annual_b) / st->tracking_error;
  st->treynor_ratio = st->beta == 0 ? 0 : (annual - rf) / st->beta;

  /* PSR: per-period SR with rf/252 taken off, against an annual SR of 1; LEAN puts the excess
   * kurtosis where the formula wants the kurtosis, and we keep that. */
  sd = sqrt (var);
  sr = isnan (sd) || sd == 0 ? 0 : (mean - rf / days) / sd;
  st->probabilistic_sharpe_ratio =
    hs_stats_probabilistic_sharpe (sr, 1 / sqrt ((double) days), hs_stats_skewness (r, n),
                                   hs_stats_kurtosis (r, n), (double) n);
  if (isnan (st->probabilistic_sharpe_ratio))
    st->probabilistic_sharpe_ratio = 0;
  st->probabilistic_sharpe_ratio = hs_stats_round_significant (st->probabilistic_sharpe_ratio, 15);

  /* VaR 95: variance-covariance, one day, over the last year of returns, 3 decimals. */
  {
    size_t k = MIN (n, (size_t) days);
    const double *tail = r + (n - k);
    double m = mean_of (tail, k), v = sqrt (variance_of (tail, k));

    st->var_95 = isnan (v) ? 0 : hs_stats_round (m + v * hs_stats_norm_ppf (0.05), 3,
                                                   HS_ROUND_HALF_EVEN);
  }
  advanced_statistics (r, rf_each, n, st);
}

static void
default_statistics (const HsStatsInput *in,
                    const Series       *s,
                    HsStatistics       *st)
{
  const double *r = (const double *) (void *) s->r->data;
  const double *rfp = (const double *) (void *) s->rf->data;
  const double *b = s->b ? (const double *) (void *) s->b->data : NULL;
  size_t n = s->r->len, ne = in->n_equity;
  int days = in->trading_days_per_year > 0 ? in->trading_days_per_year : 252;
  g_autofree double *v = g_new (double, ne);
  g_autofree int64_t *ts = g_new (int64_t, ne);
  g_autofree double *ex = g_new (double, MAX (n, 1));
  double start, end, years, sd_ex, mean_ex, down = 0;

  for (size_t i = 0; i < ne; i++)
    {
      v[i] = in->equity[i].value;
      ts[i] = in->equity[i].ts;
    }
  start = isnan (in->start_equity) ? v[0] : in->start_equity;
  end = v[ne - 1];
  st->start_equity = start;
  st->end_equity = end;
  st->final_value = end;
  st->net_profit_currency = end - start;
  st->net_profit = end / start - 1;
  st->total_return = st->net_profit;
  years = (double) (ts[ne - 1] - ts[0]) / (double) US_PER_DAY / 365.25;
  st->compounding_annual_return = years > 0 ? pow (end / start, 1 / years) - 1 : NAN;
  drawdown (v, ts, ne, &st->max_drawdown, &st->drawdown_recovery);
  st->portfolio_turnover = s->turnover;
  trade_statistics (in, start, ts[0], ts[ne - 1], st);

  for (size_t i = 0; i < n; i++)
    ex[i] = r[i] - rfp[i];
  st->annual_variance = variance_of (r, n) * days;
  st->annual_standard_deviation = sqrt (st->annual_variance);
  mean_ex = mean_of (ex, n);
  sd_ex = sqrt (variance_of (ex, n));
  st->sharpe_ratio = sd_ex > 0 ? mean_ex / sd_ex * sqrt ((double) days) : NAN;
  for (size_t i = 0; i < n; i++)
    down += ex[i] < 0 ? ex[i] * ex[i] : 0;
  down = n > 0 ? sqrt (down / (double) n) : NAN;
  st->sortino_ratio = down > 0 ? mean_ex / down * sqrt ((double) days) : NAN;
  st->probabilistic_sharpe_ratio =
    sd_ex > 0 ? hs_stats_probabilistic_sharpe (mean_ex / sd_ex, 1 / sqrt ((double) days),
                                               hs_stats_skewness (ex, n),
                                               hs_stats_kurtosis (ex, n) + 3, (double) n)
              : NAN;

  st->alpha = st->beta = st->tracking_error = st->information_ratio = st->treynor_ratio = NAN;
  if (b != NULL && n >= 2)
    {
      g_autofree double *diff = g_new (double, n);
      g_autofree double *bex = g_new (double, n);
      double bvar = variance_of (b, n);

      for (size_t i = 0; i < n; i++)
        {
          diff[i] = r[i] - b[i];
          bex[i] = b[i] - rfp[i];
        }
      if (bvar > 0)
        {
          st->beta = covariance_of (r, b, n) / bvar;
          st->alpha = (mean_ex - st->beta * mean_of (bex, n)) * days;
          st->treynor_ratio = st->beta != 0 ? mean_ex * days / st->beta : NAN;
        }
      st->tracking_error = sqrt (variance_of (diff, n) * days);
      st->information_ratio = st->tracking_error > 0
                              ? mean_of (diff, n) * days / st->tracking_error : NAN;
    }

  /* VaR 95: historical, the 5th percentile of the returns. */
  if (n > 0)
    {
      g_autofree double *sorted = g_memdup2 (r, n * sizeof *r);

      if (n > 1)
        qsort (sorted, n, sizeof *sorted, cmp_double);
      st->var_95 = quantile_sorted (sorted, n, 0.05);
    }
  advanced_statistics (r, rfp, n, st);
}

/**
 * hs_statistics_compute:
 * @stats: (out caller-allocates): cleared first; free with hs_statistics_clear()
 *
 * Computes every statistic of @input's profile (docs/statistics.md). Fails with
 * HS_STATS_ERROR_INVALID on an empty equity curve, times that do not increase, non-finite
 * values, a non-positive equity value (default profile) or a benchmark that starts after the
 * equity (default profile).
 */
gboolean
hs_statistics_compute (const HsStatsInput *input,
                       HsStatistics       *stats,
                       GError            **error)
{
  g_auto(Series) s = { 0 };

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (stats, 0, sizeof *stats);
  if (!build_series (input, &s, error))
    return FALSE;
  if (input->profile == HS_STATS_PROFILE_LEAN)
    lean_statistics (input, &s, stats);
  else
    default_statistics (input, &s, stats);
  stats->total_orders = input->total_orders;
  stats->total_fees = input->total_fees;
  stats->estimated_strategy_capacity = input->capacity;
  stats->lowest_capacity_asset = g_strdup (input->lowest_capacity_asset);
  if (input->profile == HS_STATS_PROFILE_LEAN && isnan (input->capacity))
    {
      /* LEAN without an estimate prints $0 and an empty asset. */
      stats->estimated_strategy_capacity = 0;
      g_clear_pointer (&stats->lowest_capacity_asset, g_free);
      stats->lowest_capacity_asset = g_strdup ("");
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------- */
/* Names and LEAN's formatting */

typedef enum
{
  FMT_INT,
  FMT_PCT3,       /* Math.Round (decimal × 100, 3) + "%" */
  FMT_PCT2,
  FMT_PCT0,
  FMT_DRAWDOWN,   /* Math.Round (Math.Round (decimal, 3) × 100, 3) + "%" */
  FMT_RATIO,      /* Math.Round ((double) x, 3) */
  FMT_DEC3,       /* Math.Round (decimal, 3) */
  FMT_DEC2,
  FMT_EQUITY,     /* Math.Round (decimal, 2) */
  FMT_FEES,       /* "$" + ToString ("0.00") */
  FMT_CAPACITY,   /* "$" + RoundToSignificantDigits (2) */
  FMT_TEXT,
  FMT_MONEY,      /* ours: "$" + 0.00, sign first */
  FMT_TIMESPAN,   /* ours: seconds as .NET TimeSpan text, d.hh:mm:ss */
} Fmt;

#define F(name, field, type, lean) \
  { name, #field, type, offsetof (HsStatistics, field), lean }

static const HsStatInfo fields[] = {
  F ("Total Orders", total_orders, HS_STAT_INT, TRUE),
  F ("Average Win", average_win, HS_STAT_DOUBLE, TRUE),
  F ("Average Loss", average_loss, HS_STAT_DOUBLE, TRUE),
  F ("Compounding Annual Return", compounding_annual_return, HS_STAT_DOUBLE, TRUE),
  F ("Drawdown", max_drawdown, HS_STAT_DOUBLE, TRUE),
  F ("Expectancy", expectancy, HS_STAT_DOUBLE, TRUE),
  F ("Start Equity", start_equity, HS_STAT_DOUBLE, TRUE),
  F ("End Equity", end_equity, HS_STAT_DOUBLE, TRUE),
  F ("Net Profit", net_profit, HS_STAT_DOUBLE, TRUE),
  F ("Sharpe Ratio", sharpe_ratio, HS_STAT_DOUBLE, TRUE),
  F ("Sortino Ratio", sortino_ratio, HS_STAT_DOUBLE, TRUE),
  F ("Probabilistic Sharpe Ratio", probabilistic_sharpe_ratio, HS_STAT_DOUBLE, TRUE),
  F ("Loss Rate", loss_rate, HS_STAT_DOUBLE, TRUE),
  F ("Win Rate", win_rate, HS_STAT_DOUBLE, TRUE),
  F ("Profit-Loss Ratio", profit_loss_ratio, HS_STAT_DOUBLE, TRUE),
  F ("Alpha", alpha, HS_STAT_DOUBLE, TRUE),
  F ("Beta", beta, HS_STAT_DOUBLE, TRUE),
  F ("Annual Standard Deviation", annual_standard_deviation, HS_STAT_DOUBLE, TRUE),
  F ("Annual Variance", annual_variance, HS_STAT_DOUBLE, TRUE),
  F ("Information Ratio", information_ratio, HS_STAT_DOUBLE, TRUE),
  F ("Tracking Error", tracking_error, HS_STAT_DOUBLE, TRUE),
  F ("Treynor Ratio", treynor_ratio, HS_STAT_DOUBLE, TRUE),
  F ("Total Fees", total_fees, HS_STAT_DOUBLE, TRUE),
  F ("Estimated Strategy Capacity", estimated_strategy_capacity, HS_STAT_DOUBLE, TRUE),
  F ("Lowest Capacity Asset", lowest_capacity_asset, HS_STAT_TEXT, TRUE),
  F ("Portfolio Turnover", portfolio_turnover, HS_STAT_DOUBLE, TRUE),
  F ("Drawdown Recovery", drawdown_recovery, HS_STAT_INT, TRUE),
  F ("Total Return", total_return, HS_STAT_DOUBLE, FALSE),
  F ("Net Profit ($)", net_profit_currency, HS_STAT_DOUBLE, FALSE),
  F ("Final Value", final_value, HS_STAT_DOUBLE, FALSE),
  F ("Total Trades", total_trades, HS_STAT_INT, FALSE),
  F ("Winning Trades", winning_trades, HS_STAT_INT, FALSE),
  F ("Losing Trades", losing_trades, HS_STAT_INT, FALSE),
  F ("Profit Factor", profit_factor, HS_STAT_DOUBLE, FALSE),
  F ("Calmar Ratio", calmar_ratio, HS_STAT_DOUBLE, FALSE),
  F ("Omega Ratio", omega_ratio, HS_STAT_DOUBLE, FALSE),
  F ("Tail Ratio", tail_ratio, HS_STAT_DOUBLE, FALSE),
  F ("Value at Risk 95", var_95, HS_STAT_DOUBLE, FALSE),
  F ("Stability", stability, HS_STAT_DOUBLE, FALSE),
  F ("Exposure", exposure, HS_STAT_DOUBLE, FALSE),
  F ("Average Holding Time", average_holding_time, HS_STAT_DOUBLE, FALSE),
  F ("Longest Losing Streak", longest_losing_streak, HS_STAT_INT, FALSE),
};

#undef F

static const Fmt formats[G_N_ELEMENTS (fields)] = {
  FMT_INT, FMT_PCT2, FMT_PCT2, FMT_PCT3, FMT_DRAWDOWN, FMT_DEC3, FMT_EQUITY, FMT_EQUITY, FMT_PCT3,
  FMT_RATIO, FMT_RATIO, FMT_PCT3, FMT_PCT0, FMT_PCT0, FMT_DEC2, FMT_RATIO, FMT_RATIO, FMT_RATIO,
  FMT_RATIO, FMT_RATIO, FMT_RATIO, FMT_RATIO, FMT_FEES, FMT_CAPACITY, FMT_TEXT, FMT_PCT2,
  FMT_INT,
  FMT_PCT3, FMT_MONEY, FMT_EQUITY, FMT_INT, FMT_INT, FMT_INT, FMT_RATIO, FMT_RATIO, FMT_RATIO,
  FMT_RATIO, FMT_PCT3, FMT_RATIO, FMT_PCT2, FMT_TIMESPAN, FMT_INT,
};

/* Every statistic, LEAN's first in LEAN's order. */
const HsStatInfo *
hs_stats_fields (size_t *n)
{
  g_return_val_if_fail (n != NULL, NULL);
  *n = G_N_ELEMENTS (fields);
  return fields;
}

/* A statistic by its display name or its field name; NULL if there is none. */
const HsStatInfo *
hs_stats_field_by_name (const char *name_or_field)
{
  g_return_val_if_fail (name_or_field != NULL, NULL);
  for (size_t i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_equal (fields[i].name, name_or_field) || g_str_equal (fields[i].field, name_or_field))
      return &fields[i];
  return NULL;
}

static void
format_value (Fmt      fmt,
              double   v,
              GString *out)
{
  if (isnan (v) || (fmt != FMT_RATIO && isinf (v)))
    {
      g_string_append_c (out, '-');
      return;
    }
  switch (fmt)
    {
    case FMT_INT:
      g_string_append_printf (out, "%.0f", v);
      break;
    case FMT_PCT3:
    case FMT_PCT2:
    case FMT_PCT0:
      dec_format (v, 2, fmt == FMT_PCT3 ? 3 : fmt == FMT_PCT2 ? 2 : 0, HS_ROUND_HALF_EVEN, FALSE,
                  out);
      g_string_append_c (out, '%');
      break;
    case FMT_DRAWDOWN:
      if (v == 0)
        g_string_append_c (out, '0');
      else
        {
          Dec15 x;
          int sig = 15;

          /* The fraction is rounded to 3 decimals first, keeping its own scale if shorter. */
          dec15 (v, &x);
          while (sig > 1 && x.d[sig - 1] == '0')
            sig--;
          dec_format (hs_stats_round (v, 3, HS_ROUND_HALF_EVEN), 2,
                      MIN (MAX (0, sig - 1 - x.exp), 3), HS_ROUND_HALF_EVEN, TRUE, out);
        }
      g_string_append_c (out, '%');
      break;
    case FMT_RATIO:
      dotnet_round3 (v, out);
      break;
    case FMT_DEC3:
    case FMT_DEC2:
      dec_format (v, 0, fmt == FMT_DEC3 ? 3 : 2, HS_ROUND_HALF_EVEN, FALSE, out);
      break;
    case FMT_EQUITY:
      dec_format (v, 0, 2, HS_ROUND_HALF_EVEN, FALSE, out);
      break;
    case FMT_FEES:
      g_string_append_c (out, '$');
      dec_format (v, 0, 2, HS_ROUND_HALF_AWAY, TRUE, out);
      break;
    case FMT_CAPACITY:
      g_string_append_c (out, '$');
      if (v == 0)
        g_string_append_c (out, '0');
      else
        dec_format (hs_stats_round_significant (v, 2), 0, 2, HS_ROUND_HALF_EVEN, TRUE, out);
      break;
    case FMT_MONEY:
      if (v < 0 && hs_stats_round (v, 2, HS_ROUND_HALF_AWAY) != 0)
        g_string_append_c (out, '-');
      g_string_append_c (out, '$');
      dec_format (fabs (v), 0, 2, HS_ROUND_HALF_AWAY, TRUE, out);
      break;
    case FMT_TIMESPAN:
      {
        int64_t s = (int64_t) llround (v);

        if (s >= 86400)
          g_string_append_printf (out, "%" G_GINT64_FORMAT ".", s / 86400);
        g_string_append_printf (out, "%02d:%02d:%02d", (int) (s % 86400 / 3600),
                                (int) (s % 3600 / 60), (int) (s % 60));
      }
      break;
    case FMT_TEXT:
    default:
      g_assert_not_reached ();
    }
}

/**
 * hs_stats_format_lean:
 * @name: a display name ("Sharpe Ratio") or field name ("sharpe_ratio")
 *
 * Returns: (transfer full) (nullable): @value as LEAN prints that statistic in its summary
 * (LEAN-CONVENTIONS.md, Formatting): percentages with banker's rounding at 3 decimals (2 for
 * Average Win/Loss and Turnover, 0 for Win/Loss Rate) keeping a computed value's trailing zeros
 * and printing an exact zero as "0%"; ratios as Math.Round (double, 3) in shortest form; fees as
 * "$0.00" rounded half away from zero; capacity with 2 significant digits ("$56000000.00", "$0").
 * The statistics LEAN lacks get a format in the same spirit. NAN prints "-". NULL for an
 * unknown name or a text statistic.
 */
char *
hs_stats_format_lean (const char *name,
                      double      value)
{
  const HsStatInfo *info = hs_stats_field_by_name (name);
  GString *out;

  if (info == NULL || info->type == HS_STAT_TEXT)
    return NULL;
  out = g_string_new (NULL);
  format_value (formats[info - fields], value, out);
  return g_string_free (out, FALSE);
}

/* Returns: (transfer full): the statistic of @stats that @info names, formatted as
 * hs_stats_format_lean() does; a text statistic as it is ("" when NULL). */
char *
hs_statistics_format (const HsStatistics *stats,
                      const HsStatInfo   *info)
{
  const char *base = (const char *) stats;

  g_return_val_if_fail (stats != NULL, NULL);
  g_return_val_if_fail (info >= fields && info < fields + G_N_ELEMENTS (fields), NULL);
  switch (info->type)
    {
    case HS_STAT_TEXT:
      {
        const char *s = *(char * const *) (const void *) (base + info->offset);

        return g_strdup (s ? s : "");
      }
    case HS_STAT_INT:
      return hs_stats_format_lean (info->name, (double) *(const int64_t *) (const void *)
                                                 (base + info->offset));
    case HS_STAT_DOUBLE:
    default:
      return hs_stats_format_lean (info->name,
                                   *(const double *) (const void *) (base + info->offset));
    }
}

/* ------------------------------------------------------------------------------------------- */
/* Strategy capacity, as LEAN's CapacityEstimate and SymbolCapacity compute it */

#define US_PER_MINUTE G_GINT64_CONSTANT (60000000)
#define US_PER_HOUR G_GINT64_CONSTANT (3600000000)

typedef enum
{
  RES_TICK,
  RES_SECOND,
  RES_MINUTE,
  RES_HOUR,
  RES_DAILY,
} Resolution;

typedef struct
{
  char     *symbol;
  double    sale_volume;        /* traded value since the last snapshot */
  double    market_volume;      /* Σ close × discount × volume while it was monitored */
  double    scale;              /* resolution scale factor */
  double    discount;           /* fast-trading volume discount factor */
  double    average_dollar_volume;
  double    previous_volume;
  int64_t   previous_time;
  gboolean  has_previous_time;
  int64_t   previous_order;
  gboolean  has_previous_order;
  int       trades;
  gboolean  reset_pending;
  gboolean  monitored;
  int64_t   bar_ts;             /* the bar of the current step */
  double    bar_close, bar_volume;
  int64_t   bar_period;
  double    holdings_value;
} CapSymbol;

struct _HsCapacity
{
  GPtrArray *symbols;           /* CapSymbol, in first-fill order */
  int64_t    next_snapshot;
  int64_t    period;
  double     capacity;          /* unrounded */
  char      *lowest;            /* (owned) (nullable) */
};

static void
cap_symbol_free (CapSymbol *c)
{
  g_free (c->symbol);
  g_free (c);
}

/**
 * hs_capacity_new:
 *
 * Returns: (transfer full): an estimator whose snapshot period is the run's length in days less
 * one, between 1 and 7 days.
 */
HsCapacity *
hs_capacity_new (int64_t start_local,
                 int64_t end_local)
{
  HsCapacity *cap = g_new0 (HsCapacity, 1);
  double days = (double) (end_local - start_local) / (double) US_PER_DAY - 1;

  cap->symbols = g_ptr_array_new_with_free_func ((GDestroyNotify) cap_symbol_free);
  cap->period = (int64_t) (MAX (MIN (days, 7.0), 1.0) * (double) US_PER_DAY);
  cap->next_snapshot = start_local + cap->period;
  return cap;
}

void
hs_capacity_free (HsCapacity *cap)
{
  if (cap == NULL)
    return;
  g_ptr_array_unref (cap->symbols);
  g_free (cap->lowest);
  g_free (cap);
}

static CapSymbol *
cap_find (HsCapacity *cap,
          const char *symbol)
{
  for (guint i = 0; i < cap->symbols->len; i++)
    {
      CapSymbol *c = cap->symbols->pdata[i];

      if (g_str_equal (c->symbol, symbol))
        return c;
    }
  return NULL;
}

/* A fill: adds to the sale volume, sets the fast-trading discount from the time since the
 * symbol's previous fill (a first fill counts as a day after), and starts monitoring. */
void
hs_capacity_on_fill (HsCapacity *cap,
                     const char *symbol,
                     int64_t     ts,
                     double      fill_price,
                     double      quantity)
{
  CapSymbol *c;
  double minutes;

  g_return_if_fail (cap != NULL && symbol != NULL);
  c = cap_find (cap, symbol);
  if (c == NULL)
    {
      c = g_new0 (CapSymbol, 1);
      c->symbol = g_strdup (symbol);
      g_ptr_array_add (cap->symbols, c);
    }
  c->sale_volume += fill_price * fabs (quantity);
  minutes = (double) (ts - (c->has_previous_order ? c->previous_order : ts - US_PER_DAY))
            / (double) US_PER_MINUTE;
  c->discount = 2 * minutes / 390;
  c->discount = c->discount > 1 ? 1 : MAX (0.20, c->discount);
  if (c->reset_pending)
    {
      c->market_volume = 0;
      c->trades = 0;
      c->reset_pending = FALSE;
    }
  c->trades++;
  c->previous_order = ts;
  c->has_previous_order = TRUE;
  c->monitored = TRUE;
}

/* The step's bar of @symbol (ignored for a symbol never filled) and its holdings value. */
void
hs_capacity_on_bar (HsCapacity *cap,
                    const char *symbol,
                    int64_t     ts,
                    double      close,
                    double      volume,
                    int64_t     period,
                    double      holdings_value)
{
  CapSymbol *c;

  g_return_if_fail (cap != NULL && symbol != NULL);
  c = cap_find (cap, symbol);
  if (c == NULL)
    return;
  c->bar_ts = ts;
  c->bar_close = close;
  c->bar_volume = volume;
  c->bar_period = period;
  c->holdings_value = holdings_value;
}

static Resolution
resolution_of (int64_t period)
{
  /* TimeSpan.ToHigherResolutionEquivalent (false): a 6.5-hour daily bar counts as Hour. */
  if (period < G_USEC_PER_SEC)
    return RES_TICK;
  if (period < US_PER_MINUTE)
    return RES_SECOND;
  if (period < US_PER_HOUR)
    return RES_MINUTE;
  if (period < US_PER_DAY)
    return RES_HOUR;
  return RES_DAILY;
}

static int64_t
round_up (int64_t t,
          int64_t interval)
{
  return (t + interval - 1) / interval * interval;
}

/* SymbolCapacity.UpdateMarketCapacity: TRUE when the symbol's monitoring window is over. */
static gboolean
cap_update (CapSymbol *c,
            int64_t    now)
{
  Resolution res;
  double minutes, k;
  gboolean include;
  static const double scales[] = { 0.50, 0.50, 0.20, 0.05, 0.02 };

  if (c->bar_ts != now || c->bar_volume == 0)
    return FALSE;
  res = resolution_of (c->bar_period);
  minutes = c->has_previous_time ? (double) (now - c->previous_time) / (double) US_PER_MINUTE : 0;
  if (!c->has_previous_time || minutes == 0)
    c->average_dollar_volume = c->bar_close * c->bar_volume;
  else
    c->average_dollar_volume = c->bar_close * (c->bar_volume + c->previous_volume) / minutes;
  c->previous_time = now;
  c->has_previous_time = TRUE;
  c->previous_volume = c->bar_volume;

  if (!c->has_previous_order)
    include = FALSE;
  else
    switch (res)
      {
      case RES_TICK:
      case RES_SECOND:
        k = c->average_dollar_volume != 0 ? 6000000.0 / 60 / c->average_dollar_volume : 10;
        include = now <= c->previous_order + (k > 120 ? 120 : (int64_t) MAX (5, k)) * US_PER_MINUTE;
        break;
      case RES_MINUTE:
        k = c->average_dollar_volume != 0 ? 6000000.0 / c->average_dollar_volume : 10;
        include = now <= c->previous_order + (k > 120 ? 120 : (int64_t) MAX (1, k)) * US_PER_MINUTE;
        break;
      case RES_HOUR:
        include = now == round_up (c->previous_order, US_PER_HOUR);
        break;
      case RES_DAILY:
      default:
        include = now == c->previous_order
                  || now / US_PER_DAY * US_PER_DAY == round_up (c->previous_order, US_PER_DAY);
        break;
      }
  if (include)
    {
      c->scale = scales[res];
      c->market_volume += c->bar_close * c->discount * c->bar_volume;
    }
  return !include;
}

/**
 * hs_capacity_end_step:
 * @total_portfolio_value: the portfolio's value at this step
 * @force: take a snapshot now (the call after the last step)
 *
 * Updates the monitored symbols from this step's bars and, when the snapshot date is reached,
 * re-estimates the capacity: the lowest-capacity symbol's captured dollar volume per trade over
 * its share of the traded value (or of the portfolio, if larger), blended 0.33 new : 0.66 old.
 */
void
hs_capacity_end_step (HsCapacity *cap,
                      int64_t     ts,
                      double      total_portfolio_value,
                      gboolean    force)
{
  int64_t utc_date;
  double total_sale = 0, pct_sale, pct_holdings, scaling, daily, new_capacity;
  CapSymbol *smallest = NULL;

  g_return_if_fail (cap != NULL);
  for (guint i = cap->symbols->len; i-- > 0;)
    {
      CapSymbol *c = cap->symbols->pdata[i];

      if (c->monitored && cap_update (c, ts))
        c->monitored = FALSE;
    }

  utc_date = (ts >= 0 ? ts : ts - US_PER_DAY + 1) / US_PER_DAY * US_PER_DAY;
  if (!(force || (utc_date >= cap->next_snapshot && cap->symbols->len != 0)))
    return;
  if (total_portfolio_value == 0 || cap->symbols->len == 0)
    return;
  for (guint i = 0; i < cap->symbols->len; i++)
    {
      CapSymbol *c = cap->symbols->pdata[i];

      total_sale += c->sale_volume;
      if (smallest == NULL
          || c->market_volume * c->scale < smallest->market_volume * smallest->scale)
        smallest = c;
    }
  g_free (cap->lowest);
  cap->lowest = g_strdup (smallest->symbol);
  pct_sale = total_sale != 0 ? smallest->sale_volume / total_sale : 0;
  pct_holdings = fabs (smallest->holdings_value) / total_portfolio_value;
  scaling = MAX (pct_sale, pct_holdings);
  daily = smallest->trades > 0 ? smallest->market_volume * smallest->scale / smallest->trades : 0;
  new_capacity = scaling == 0 ? cap->capacity : daily / scaling;
  if (cap->capacity != 0)
    new_capacity = 0.33 * new_capacity + 0.66 * cap->capacity;
  cap->capacity = new_capacity;

  for (guint i = cap->symbols->len; i-- > 0;)
    {
      CapSymbol *c = cap->symbols->pdata[i];

      if (c->holdings_value != 0 || ts < c->previous_order + 30 * US_PER_DAY)
        {
          c->reset_pending = TRUE;
          c->sale_volume = 0;
        }
      else
        g_ptr_array_remove_index (cap->symbols, i);
    }
  cap->next_snapshot = utc_date + cap->period;
}

/* The capacity in account currency, rounded to the nearest 1000 (half away from zero). */
double
hs_capacity_get_capacity (HsCapacity *cap)
{
  g_return_val_if_fail (cap != NULL, NAN);
  return hs_stats_round (cap->capacity / 1000, 0, HS_ROUND_HALF_AWAY) * 1000;
}

/* Returns: (transfer none) (nullable): the symbol that limited the last snapshot. */
const char *
hs_capacity_get_lowest_asset (HsCapacity *cap)
{
  g_return_val_if_fail (cap != NULL, NULL);
  return cap->lowest;
}
