/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LEAN's data conventions as plain functions over columns (shared LEAN-CONVENTIONS.md,
 * tests/data/lean/README.md): quote bars; prices adjusted by a factor file (each bar by the row
 * dated on or after its date, the product computed exactly in decimal as LEAN's decimal type
 * does, then rounded once to a double); the US equity regular session with holidays and early
 * closes; the quote at each trade bar; and LEAN's security identifier of a US equity
 * ("SPY R735QTJ8XC9X"), which its statistics print as the Lowest Capacity Asset.
 *
 * Load: once per lean-profile backtest, over up to millions of minute bars. An adjusted price is
 * one exact multiplication of short decimals, about 20 ns (a million minute bars in 0.1 s, -O2);
 * nothing is allocated per bar.
 */
#define G_LOG_DOMAIN "hs-lean-data"

#include "config.h"

#include "hs-lean-data.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-records.h"

#define US_PER_DAY G_GINT64_CONSTANT (86400000000)

/* ---- quote bars ---- */

/**
 * hs_quote_bars_new:
 *
 * Returns: (transfer full): @n quote bars, every value zero
 */
HsQuoteBars *
hs_quote_bars_new (size_t  n,
                   int64_t interval_s)
{
  HsQuoteBars *q = g_new0 (HsQuoteBars, 1);
  size_t m = n ? n : 1;

  q->n = n;
  q->interval_s = interval_s;
  q->ts = g_new0 (int64_t, m);
  q->bid_open = g_new0 (double, m);
  q->bid_high = g_new0 (double, m);
  q->bid_low = g_new0 (double, m);
  q->bid_close = g_new0 (double, m);
  q->bid_size = g_new0 (double, m);
  q->ask_open = g_new0 (double, m);
  q->ask_high = g_new0 (double, m);
  q->ask_low = g_new0 (double, m);
  q->ask_close = g_new0 (double, m);
  q->ask_size = g_new0 (double, m);
  return q;
}

void
hs_quote_bars_free (HsQuoteBars *q)
{
  if (q == NULL)
    return;
  g_free (q->ts);
  g_free (q->bid_open);
  g_free (q->bid_high);
  g_free (q->bid_low);
  g_free (q->bid_close);
  g_free (q->bid_size);
  g_free (q->ask_open);
  g_free (q->ask_high);
  g_free (q->ask_low);
  g_free (q->ask_close);
  g_free (q->ask_size);
  g_free (q);
}

/* Writes @bar at row @i (< bars->n). */
void
hs_quote_bars_set (HsQuoteBars      *q,
                   size_t            i,
                   const HsQuoteBar *bar)
{
  g_return_if_fail (q != NULL && i < q->n);

  q->ts[i] = bar->ts;
  q->bid_open[i] = bar->bid_open;
  q->bid_high[i] = bar->bid_high;
  q->bid_low[i] = bar->bid_low;
  q->bid_close[i] = bar->bid_close;
  q->bid_size[i] = bar->bid_size;
  q->ask_open[i] = bar->ask_open;
  q->ask_high[i] = bar->ask_high;
  q->ask_low[i] = bar->ask_low;
  q->ask_close[i] = bar->ask_close;
  q->ask_size[i] = bar->ask_size;
}

static gboolean
check_side (const char *side,
            double      o,
            double      h,
            double      l,
            double      c,
            double      size,
            GError    **error)
{
  const double prices[] = { o, h, l, c };
  static const char *names[] = { "open", "high", "low", "close" };
  int given = 0;

  for (size_t i = 0; i < G_N_ELEMENTS (prices); i++)
    given += !isnan (prices[i]);
  if (!(isfinite (size) && size >= 0))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "%s size must be zero or more, not %g", side, size);
      return FALSE;
    }
  if (given == 0)
    return TRUE;
  for (size_t i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      if (isnan (prices[i]))
        {
          g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_MISSING,
                       "%s %s is missing: a side has all four prices or none", side, names[i]);
          return FALSE;
        }
      if (!(isfinite (prices[i]) && prices[i] > 0))
        {
          g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                       "%s %s must be a positive price, not %g", side, names[i], prices[i]);
          return FALSE;
        }
    }
  if (h < l)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "%s high %g is below %s low %g", side, h, side, l);
      return FALSE;
    }
  if (o > h || c > h || o < l || c < l)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "%s open %g and close %g must lie between %s low %g and high %g", side, o, c,
                   side, l, h);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_quote_bar_check:
 *
 * A quote bar has a bid side, an ask side or both; a side has four finite positive prices with
 * low ≤ open, close ≤ high (or none: NAN), and its size is ≥ 0. Bid and ask may cross: a bar's
 * extremes come from different instants.
 *
 * Returns: %TRUE, or %FALSE with an %HS_RECORD_ERROR naming the rule
 */
gboolean
hs_quote_bar_check (const HsQuoteBar *b,
                    GError          **error)
{
  if (!check_side ("bid", b->bid_open, b->bid_high, b->bid_low, b->bid_close, b->bid_size, error)
      || !check_side ("ask", b->ask_open, b->ask_high, b->ask_low, b->ask_close, b->ask_size,
                      error))
    return FALSE;
  if (isnan (b->bid_close) && isnan (b->ask_close))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_MISSING,
                   "a quote bar needs a bid or an ask");
      return FALSE;
    }
  return TRUE;
}

/* ---- exact decimal products ---- */

/* A decimal Σ limb[i] × 10^(9 i) × 10^exp10, little-endian limbs in base 10^9. Six factors of
 * at most 17 significant digits need at most 12 limbs. */
#define DEC_BASE 1000000000u
#define DEC_LIMBS 14
#define DEC_MAX_FACTORS 6

typedef struct
{
  uint32_t limb[DEC_LIMBS];
  int      n;
  int      exp10;
  int      neg;
} Dec;

/* Powers of ten a double holds exactly. */
static const double pow10_exact[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static void
dec_set_u64 (Dec     *d,
             uint64_t m,
             int      exp10)
{
  while (m != 0 && m % 10 == 0)
    {
      m /= 10;
      exp10++;
    }
  d->n = 0;
  d->exp10 = exp10;
  while (m != 0)
    {
      d->limb[d->n++] = (uint32_t) (m % DEC_BASE);
      m /= DEC_BASE;
    }
}

/* The shortest decimal that reads back as @v (v finite). Prices with up to 8 decimals take the
 * fast path; the rest go through their shortest text. */
static void
dec_from_double (Dec   *d,
                 double v)
{
  double a = fabs (v);
  char buf[32];
  const char *p;
  uint64_t m = 0;
  int exp10 = 0, after_point = FALSE;

  d->neg = v < 0;
  for (size_t k = 0; k <= 8; k++)
    {
      double t = nearbyint (a * pow10_exact[k]);

      /* t / 10^k is correctly rounded, so equality means the decimal t × 10^−k reads as v; the
       * first k that does is the shortest such decimal. */
      if (t < 9007199254740992.0 && t / pow10_exact[k] == a)
        {
          dec_set_u64 (d, (uint64_t) t, -(int) k);
          return;
        }
    }
  /* "1.2345678901234567e-05": at most 17 digits, which fit in 64 bits. */
  hs_format_double (a, buf);
  for (p = buf; *p != '\0' && *p != 'e' && *p != 'E'; p++)
    {
      if (*p == '.')
        {
          after_point = TRUE;
          continue;
        }
      m = m * 10 + (uint64_t) (*p - '0');
      exp10 -= after_point;
    }
  if (*p == 'e' || *p == 'E')
    exp10 += (int) g_ascii_strtoll (p + 1, NULL, 10);
  dec_set_u64 (d, m, exp10);
}

static void
dec_mul (Dec       *acc,
         const Dec *b)
{
  uint32_t r[DEC_LIMBS] = { 0 };
  int n = acc->n + b->n;

  g_assert (n <= DEC_LIMBS);
  for (int i = 0; i < acc->n; i++)
    {
      uint64_t carry = 0;

      for (int j = 0; j < b->n; j++)
        {
          uint64_t cur = r[i + j] + (uint64_t) acc->limb[i] * b->limb[j] + carry;

          r[i + j] = (uint32_t) (cur % DEC_BASE);
          carry = cur / DEC_BASE;
        }
      for (int k = i + b->n; carry != 0; k++)
        {
          uint64_t cur = r[k] + carry;

          r[k] = (uint32_t) (cur % DEC_BASE);
          carry = cur / DEC_BASE;
        }
    }
  while (n > 0 && r[n - 1] == 0)
    n--;
  memcpy (acc->limb, r, sizeof r);
  acc->n = n;
  acc->exp10 += b->exp10;
  acc->neg ^= b->neg;
}

/* The double nearest to @d. A mantissa below 2^53 with a power of ten a double holds is one
 * correctly rounded division or multiplication (Clinger's fast path: an adjusted price is
 * almost always that); the rest goes through strtod, which rounds correctly too. */
static double
dec_to_double (const Dec *d)
{
  char buf[DEC_LIMBS * 9 + 16];
  int len = 0;

  if (d->n == 0)
    return d->neg ? -0.0 : 0.0;
  if (d->n <= 2 && d->exp10 >= -22 && d->exp10 <= 22)
    {
      uint64_t m = d->n == 2 ? (uint64_t) d->limb[1] * DEC_BASE + d->limb[0] : d->limb[0];

      if (m <= G_GUINT64_CONSTANT (9007199254740992))
        {
          double v = d->exp10 < 0 ? (double) m / pow10_exact[-d->exp10]
                                  : (double) m * pow10_exact[d->exp10];

          /* Both operands are exact, so the one IEEE operation rounds once, as strtod. */
          return d->neg ? -v : v;
        }
    }
  len += g_snprintf (buf + len, sizeof buf - (size_t) len, "%s%u", d->neg ? "-" : "",
                     d->limb[d->n - 1]);
  for (int i = d->n - 2; i >= 0; i--)
    len += g_snprintf (buf + len, sizeof buf - (size_t) len, "%09u", d->limb[i]);
  g_snprintf (buf + len, sizeof buf - (size_t) len, "e%d", d->exp10);
  return g_ascii_strtod (buf, NULL);
}

/**
 * hs_decimal_product:
 * @values: up to 6 finite numbers, each read as its shortest decimal text ("0.8646266")
 *
 * Multiplies the decimals exactly, as .NET's decimal does for these short factors, and rounds
 * the product once: 167.45 × 0.8646266 gives the double of 144.78172417, where a double
 * multiplication is one unit in the last place off for about a fifth of LEAN's SPY prices.
 *
 * Returns: the double nearest to the exact product; NAN if a value is not finite
 */
double
hs_decimal_product (const double *values,
                    size_t        n)
{
  Dec acc = { .limb = { 1 }, .n = 1 };

  g_return_val_if_fail (n <= DEC_MAX_FACTORS, NAN);
  for (size_t i = 0; i < n; i++)
    {
      Dec d;

      if (!isfinite (values[i]))
        return NAN;
      dec_from_double (&d, values[i]);
      dec_mul (&acc, &d);
    }
  return dec_to_double (&acc);
}

/* ---- factor files ---- */

/* Index of the first row dated on or after @day, or @n. */
static size_t
factor_index (const HsPriceFactor *rows,
              size_t               n,
              int64_t              day)
{
  size_t lo = 0, hi = n;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (rows[mid].day < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * hs_price_factor_at:
 * @rows: (array length=n_rows): a factor file, ascending by day
 * @day: a bar's date
 *
 * Returns: price_factor × split_factor (exact decimal product) of the first row dated on or
 *   after @day; 1 when no row is (no adjustment)
 */
double
hs_price_factor_at (const HsPriceFactor *rows,
                    size_t               n_rows,
                    int64_t              day)
{
  size_t i = factor_index (rows, n_rows, day);
  double f[2];

  if (i >= n_rows)
    return 1;
  f[0] = rows[i].price_factor;
  f[1] = rows[i].split_factor;
  return hs_decimal_product (f, 2);
}

static int64_t
floor_div (int64_t a,
           int64_t b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Local time of UTC seconds in a zone, remembering the offset of the last UTC hour asked for:
 * GLib finds a zone's interval by a linear scan of its transitions, and the zones of exchanges
 * change their offset on the hour. */
typedef struct
{
  GTimeZone *tz;
  int64_t    hour;      /* G_MININT64: none yet */
  int32_t    offset;
} LocalClock;

static int64_t
local_seconds (LocalClock *c,
               int64_t     s)
{
  int64_t hour = floor_div (s, 3600);

  if (hour != c->hour)
    {
      int iv = g_time_zone_find_interval (c->tz, G_TIME_TYPE_UNIVERSAL, s);

      c->offset = iv >= 0 ? g_time_zone_get_offset (c->tz, iv) : 0;
      c->hour = hour;
    }
  return s + c->offset;
}

/* The trading date of a bar: its start's date in @c's zone for intraday bars; for daily and
 * longer bars, whose time is the date's midnight UTC, its UTC date. */
static int64_t
bar_day (int64_t     ts,
         int64_t     interval_s,
         LocalClock *c)
{
  if (c->tz == NULL || interval_s >= 86400 || interval_s == 0)
    return floor_div (ts, US_PER_DAY);
  return floor_div (local_seconds (c, floor_div (ts, G_USEC_PER_SEC)), 86400);
}

/* The factor in force for a run of bars, as a decimal and a double; recomputed when the row
 * changes. */
typedef struct
{
  size_t row;      /* (size_t) −1: none yet */
  Dec    dec;
  double value;
  int    identity;
} Factor;

static void
factor_for (Factor              *f,
            const HsPriceFactor *rows,
            size_t               n_rows,
            int64_t              day)
{
  size_t i = factor_index (rows, n_rows, day);
  Dec sf;

  if (i == f->row)
    return;
  f->row = i;
  if (i >= n_rows)
    {
      f->identity = TRUE;
      f->value = 1;
      return;
    }
  dec_from_double (&f->dec, rows[i].price_factor);
  dec_from_double (&sf, rows[i].split_factor);
  dec_mul (&f->dec, &sf);
  f->value = dec_to_double (&f->dec);
  f->identity = f->value == 1;
}

static inline double
scale (const Factor *f,
       double        price)
{
  Dec d;

  if (f->identity || !isfinite (price))
    return price;
  dec_from_double (&d, price);
  dec_mul (&d, &f->dec);
  return dec_to_double (&d);
}

/**
 * hs_bars_adjust:
 * @tz: (nullable): the exchange's zone, for the date of intraday bars (UTC when %NULL)
 * @rows: (array length=n_rows): the instrument's factor file, ascending by day
 *
 * LEAN's DataNormalizationMode.Adjusted, in place: each bar's open, high, low, close and VWAP
 * times the factor of its date (hs_price_factor_at()), exactly; the volume divided by it and
 * rounded half to even. No dividend cash: that is what the factor is for.
 */
void
hs_bars_adjust (HsBars              *bars,
                GTimeZone           *tz,
                const HsPriceFactor *rows,
                size_t               n_rows)
{
  Factor f = { .row = (size_t) -1 };
  LocalClock clock = { tz, G_MININT64, 0 };

  g_return_if_fail (bars != NULL);
  for (size_t i = 0; i < bars->n; i++)
    {
      factor_for (&f, rows, n_rows, bar_day (bars->ts[i], bars->interval_s, &clock));
      if (f.identity)
        continue;
      bars->open[i] = scale (&f, bars->open[i]);
      bars->high[i] = scale (&f, bars->high[i]);
      bars->low[i] = scale (&f, bars->low[i]);
      bars->close[i] = scale (&f, bars->close[i]);
      bars->vwap[i] = scale (&f, bars->vwap[i]);
      bars->volume[i] = rint (bars->volume[i] / f.value);
    }
}

/**
 * hs_quote_bars_adjust:
 *
 * As hs_bars_adjust() for quote bars: the eight prices times the factor; sizes as they are
 * (LEAN's adjusted quote files keep them).
 */
void
hs_quote_bars_adjust (HsQuoteBars         *q,
                      GTimeZone           *tz,
                      const HsPriceFactor *rows,
                      size_t               n_rows)
{
  Factor f = { .row = (size_t) -1 };
  LocalClock clock = { tz, G_MININT64, 0 };

  g_return_if_fail (q != NULL);
  for (size_t i = 0; i < q->n; i++)
    {
      factor_for (&f, rows, n_rows, bar_day (q->ts[i], q->interval_s, &clock));
      if (f.identity)
        continue;
      q->bid_open[i] = scale (&f, q->bid_open[i]);
      q->bid_high[i] = scale (&f, q->bid_high[i]);
      q->bid_low[i] = scale (&f, q->bid_low[i]);
      q->bid_close[i] = scale (&f, q->bid_close[i]);
      q->ask_open[i] = scale (&f, q->ask_open[i]);
      q->ask_high[i] = scale (&f, q->ask_high[i]);
      q->ask_low[i] = scale (&f, q->ask_low[i]);
      q->ask_close[i] = scale (&f, q->ask_close[i]);
    }
}

/* ---- the calendar and the regular session ---- */

static const char *market_day_names[] = { "holiday", "early_close" };

const char *
hs_market_day_kind_to_string (HsMarketDayKind kind)
{
  g_return_val_if_fail ((unsigned) kind < G_N_ELEMENTS (market_day_names), NULL);
  return market_day_names[kind];
}

gboolean
hs_market_day_kind_from_string (const char      *text,
                                HsMarketDayKind *out)
{
  for (size_t i = 0; i < G_N_ELEMENTS (market_day_names); i++)
    if (g_str_equal (text, market_day_names[i]))
      {
        *out = (HsMarketDayKind) i;
        return TRUE;
      }
  return FALSE;
}

static const HsMarketDay *
find_day (const HsMarketDay *days,
          size_t             n,
          int64_t            day)
{
  size_t lo = 0, hi = n;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (days[mid].day == day)
        return &days[mid];
      if (days[mid].day < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

/* Whether a bar starting at @ts opens inside the regular session: 09:30 to 16:00 New York, or
 * to the early close, and not on a holiday. */
static gboolean
in_us_session (int64_t            ts,
               LocalClock        *ny,
               const HsMarketDay *days,
               size_t             n_days)
{
  int64_t local = local_seconds (ny, floor_div (ts, G_USEC_PER_SEC)), day, sod;
  int64_t close_s = 16 * 3600;
  const HsMarketDay *d;

  day = floor_div (local, 86400);
  sod = local - day * 86400;
  d = find_day (days, n_days, day);
  if (d != NULL && d->kind == HS_MARKET_DAY_HOLIDAY)
    return FALSE;
  if (d != NULL && d->kind == HS_MARKET_DAY_EARLY_CLOSE)
    close_s = d->close_s;
  return sod >= 9 * 3600 + 1800 && sod < close_s;
}

/**
 * hs_bars_keep_us_equity_session:
 * @ny: America/New_York
 * @days: (array length=n_days) (nullable): the market's holidays and early closes, ascending
 *
 * Keeps, in place, the intraday bars that open inside the regular session — what LEAN feeds an
 * algorithm with extended hours off: 09:30 to 16:00 New York, 13:00 (the close given) on an
 * early-close day, none on a holiday. Daily and longer bars are kept as they are.
 *
 * Returns: the new bars->n
 */
size_t
hs_bars_keep_us_equity_session (HsBars            *bars,
                                GTimeZone         *ny,
                                const HsMarketDay *days,
                                size_t             n_days)
{
  LocalClock clock = { ny, G_MININT64, 0 };
  size_t k = 0;

  g_return_val_if_fail (bars != NULL && ny != NULL, 0);
  if (bars->interval_s >= 86400 || bars->interval_s == 0)
    return bars->n;
  for (size_t i = 0; i < bars->n; i++)
    {
      if (!in_us_session (bars->ts[i], &clock, days, n_days))
        continue;
      bars->ts[k] = bars->ts[i];
      bars->open[k] = bars->open[i];
      bars->high[k] = bars->high[i];
      bars->low[k] = bars->low[i];
      bars->close[k] = bars->close[i];
      bars->volume[k] = bars->volume[i];
      bars->vwap[k] = bars->vwap[i];
      k++;
    }
  bars->n = k;
  return k;
}

/* As hs_bars_keep_us_equity_session() for quote bars. */
size_t
hs_quote_bars_keep_us_equity_session (HsQuoteBars       *q,
                                      GTimeZone         *ny,
                                      const HsMarketDay *days,
                                      size_t             n_days)
{
  LocalClock clock = { ny, G_MININT64, 0 };
  size_t k = 0;

  g_return_val_if_fail (q != NULL && ny != NULL, 0);
  if (q->interval_s >= 86400 || q->interval_s == 0)
    return q->n;
  for (size_t i = 0; i < q->n; i++)
    {
      if (!in_us_session (q->ts[i], &clock, days, n_days))
        continue;
      q->ts[k] = q->ts[i];
      q->bid_open[k] = q->bid_open[i];
      q->bid_high[k] = q->bid_high[i];
      q->bid_low[k] = q->bid_low[i];
      q->bid_close[k] = q->bid_close[i];
      q->bid_size[k] = q->bid_size[i];
      q->ask_open[k] = q->ask_open[i];
      q->ask_high[k] = q->ask_high[i];
      q->ask_low[k] = q->ask_low[i];
      q->ask_close[k] = q->ask_close[i];
      q->ask_size[k] = q->ask_size[i];
      k++;
    }
  q->n = k;
  return k;
}

/**
 * hs_quote_bars_align_close:
 * @bid_close: (out caller-allocates) (array length=bars->n)
 * @ask_close: (out caller-allocates) (array length=bars->n)
 *
 * The quote LEAN fills a market order at, for each trade bar: the bid and ask close of the
 * latest quote bar starting at or before it (the security's cached quote; normally the quote
 * bar of the same minute). NAN before the first quote bar and for a side that bar lacks.
 */
void
hs_quote_bars_align_close (const HsQuoteBars *q,
                           const HsBars      *bars,
                           double            *bid_close,
                           double            *ask_close)
{
  size_t j = 0;

  g_return_if_fail (q != NULL && bars != NULL);
  for (size_t i = 0; i < bars->n; i++)
    {
      while (j < q->n && q->ts[j] <= bars->ts[i])
        j++;
      bid_close[i] = j > 0 ? q->bid_close[j - 1] : NAN;
      ask_close[i] = j > 0 ? q->ask_close[j - 1] : NAN;
    }
}

/* ---- LEAN's security identifier ---- */

/**
 * hs_lean_equity_id:
 * @symbol: the ticker LEAN first listed the security under
 * @first_day: its first trading date in LEAN's data (days since 1970-01-01)
 *
 * LEAN's SecurityIdentifier of a US equity (market usa): the ticker, a space and, in base 36,
 * date × 10^14 + market 1 × 100 + security type Equity 1, where date counts days from
 * 1899-12-30 (OLE Automation dates). SPY from 1998-01-02 is "SPY R735QTJ8XC9X".
 *
 * Returns: (transfer full): the identifier
 */
char *
hs_lean_equity_id (const char *symbol,
                   int64_t     first_day)
{
  static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  g_autofree char *upper = NULL;
  char buf[16];
  int k = (int) sizeof buf - 1;
  uint64_t v;

  g_return_val_if_fail (symbol != NULL, NULL);
  g_return_val_if_fail (first_day >= -25569 && first_day < 150000, NULL);
  /* 1899-12-30 is day −25569. */
  v = (uint64_t) (first_day + 25569) * G_GUINT64_CONSTANT (100000000000000) + 100 + 1;
  buf[k] = '\0';
  do
    {
      buf[--k] = digits[v % 36];
      v /= 36;
    }
  while (v != 0);
  upper = g_ascii_strup (symbol, -1);
  return g_strdup_printf ("%s %s", upper, buf + k);
}
