/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Records shared by importers, providers and the store: strict number parsing (every imported
 * field goes through hs_parse_double, so it is exact and fast), the rules a bar or quote must
 * obey, and the order book summary (best prices, spread, imbalance over the top levels).
 */
#define G_LOG_DOMAIN "hs-records"

#include "config.h"

#include "hs-records.h"
#include "hs-time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (hs-record-error-quark, hs_record_error)

/* Powers of ten that a double holds exactly (10^22 is the largest). */
static const double exact_pow10[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/**
 * hs_parse_double:
 * @text: a decimal number: optional sign, digits with an optional fraction, optional exponent
 *
 * Rejects everything else (empty text, spaces, "nan", "inf", hex, a trailing unit). The result
 * is correctly rounded: when the digits fit in 2^53 and the power of ten is exact, one IEEE
 * multiplication or division gives it (Clinger's fast path); otherwise g_ascii_strtod() does.
 *
 * Returns: %TRUE with *@out set, or %FALSE
 */
gboolean
hs_parse_double (const char *text,
                 double     *out)
{
  const char *p = text;
  gboolean neg = FALSE;
  uint64_t mant = 0;
  int n_digits = 0, n_sig = 0, frac_digits = 0, exp10 = 0;
  gboolean dropped = FALSE;

  if (*p == '+' || *p == '-')
    neg = *p++ == '-';
  for (; *p >= '0' && *p <= '9'; p++, n_digits++)
    {
      if (n_sig < 19)
        {
          mant = mant * 10 + (uint64_t) (*p - '0');
          if (mant != 0)
            n_sig++;
        }
      else
        {
          exp10++;
          dropped = TRUE;
        }
    }
  if (*p == '.')
    {
      p++;
      for (; *p >= '0' && *p <= '9'; p++, n_digits++, frac_digits++)
        {
          if (n_sig < 19)
            {
              mant = mant * 10 + (uint64_t) (*p - '0');
              if (mant != 0)
                n_sig++;
              exp10--;
            }
          else
            dropped = TRUE;
        }
    }
  if (n_digits == 0)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      gboolean eneg = FALSE;
      int e = 0, n_e = 0;

      p++;
      if (*p == '+' || *p == '-')
        eneg = *p++ == '-';
      for (; *p >= '0' && *p <= '9'; p++, n_e++)
        if (e < 100000)
          e = e * 10 + (*p - '0');
      if (n_e == 0)
        return FALSE;
      exp10 += eneg ? -e : e;
    }
  if (*p != '\0')
    return FALSE;

  if (!dropped && mant <= (G_GUINT64_CONSTANT (1) << 53) && exp10 >= -22 && exp10 <= 22)
    {
      double v = (double) mant;

      v = exp10 < 0 ? v / exact_pow10[-exp10] : v * exact_pow10[exp10];
      *out = neg ? -v : v;
      return TRUE;
    }
  else
    {
      char *end = NULL;
      double v = g_ascii_strtod (text, &end);

      if (end == NULL || *end != '\0' || !isfinite (v))
        return FALSE;
      *out = v;
      return TRUE;
    }
}

/* Parses a plain decimal integer that fits int64_t. */
gboolean
hs_parse_int64 (const char *text,
                int64_t    *out)
{
  gint64 v;

  if (text[0] == '\0' || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
    return FALSE;
  *out = v;
  return TRUE;
}

/**
 * hs_format_double:
 *
 * Writes the shortest decimal text that reads back as exactly @v (up to 17 significant
 * digits), in the C locale: 3602.0 is "3602", 0.1 is "0.1".
 */
void
hs_format_double (double v,
                  char   buf[32])
{
  for (int prec = 15; prec <= 17; prec++)
    {
      g_ascii_formatd (buf, 32, prec == 15 ? "%.15g" : prec == 16 ? "%.16g" : "%.17g", v);
      if (prec == 17 || g_ascii_strtod (buf, NULL) == v)
        return;
    }
}

/**
 * hs_format_double_computed:
 *
 * Writes a computed value (an indicator, a statistic) with 15 significant digits, the most a
 * double always holds, so the round-off of a long running sum is not shown: an SMA of 3651.162
 * prints as "3651.162", not "3651.1620000000003". Stored inputs use hs_format_double(), which
 * reads back exactly.
 */
void
hs_format_double_computed (double v,
                           char   buf[32])
{
  g_ascii_formatd (buf, 32, "%.15g", v);
}

static gboolean
positive (double v)
{
  return isfinite (v) && v > 0;
}

/**
 * hs_bar_check:
 *
 * A bar must have finite positive prices, low <= open, close <= high, a finite volume >= 0, and
 * a positive VWAP and a non-negative trade count when they are given.
 */
gboolean
hs_bar_check (const HsBar *bar,
              GError     **error)
{
  static const char *names[] = { "open", "high", "low", "close" };
  const double prices[] = { bar->open, bar->high, bar->low, bar->close };

  for (size_t i = 0; i < G_N_ELEMENTS (prices); i++)
    if (!positive (prices[i]))
      {
        g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                     "%s must be a positive price, not %g", names[i], prices[i]);
        return FALSE;
      }
  if (bar->high < bar->low)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "high %g is below low %g", bar->high, bar->low);
      return FALSE;
    }
  if (bar->open > bar->high || bar->close > bar->high || bar->open < bar->low
      || bar->close < bar->low)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "open %g and close %g must lie between low %g and high %g",
                   bar->open, bar->close, bar->low, bar->high);
      return FALSE;
    }
  if (!isfinite (bar->volume) || bar->volume < 0)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "volume must be zero or more, not %g", bar->volume);
      return FALSE;
    }
  if (!isnan (bar->vwap) && !positive (bar->vwap))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "vwap must be a positive price, not %g", bar->vwap);
      return FALSE;
    }
  if (bar->trade_count < -1)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "trade_count must be zero or more");
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_quote_check (const HsQuote *quote,
                GError       **error)
{
  if (!positive (quote->bid) || !positive (quote->ask))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "bid and ask must be positive prices (bid %g, ask %g)", quote->bid, quote->ask);
      return FALSE;
    }
  if (quote->ask < quote->bid)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "ask %g is below bid %g (crossed quote)", quote->ask, quote->bid);
      return FALSE;
    }
  if ((!isnan (quote->bid_size) && !(quote->bid_size >= 0 && isfinite (quote->bid_size)))
      || (!isnan (quote->ask_size) && !(quote->ask_size >= 0 && isfinite (quote->ask_size))))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "bid_size and ask_size must be zero or more");
      return FALSE;
    }
  return TRUE;
}

static int
cmp_level_desc (const void *a,
                const void *b)
{
  double pa = ((const HsLevel *) a)->price, pb = ((const HsLevel *) b)->price;

  return pa < pb ? 1 : pa > pb ? -1 : 0;
}

static int
cmp_level_asc (const void *a,
               const void *b)
{
  return -cmp_level_desc (a, b);
}

static char *
levels_to_json (const HsLevel *levels,
                size_t         n)
{
  GString *s = g_string_sized_new (16 + n * 24);

  g_string_append_c (s, '[');
  for (size_t i = 0; i < n; i++)
    {
      char p[32], q[32];

      hs_format_double (levels[i].price, p);
      hs_format_double (levels[i].size, q);
      g_string_append_printf (s, "%s[%s,%s]", i ? "," : "", p, q);
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static gboolean
check_levels (const HsLevel *levels,
              size_t         n,
              const char    *side,
              GError       **error)
{
  for (size_t i = 0; i < n; i++)
    {
      if (!positive (levels[i].price))
        {
          g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                       "%s[%zu]: price must be positive, not %g", side, i, levels[i].price);
          return FALSE;
        }
      if (!isfinite (levels[i].size) || levels[i].size < 0)
        {
          g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                       "%s[%zu]: size must be zero or more, not %g", side, i, levels[i].size);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * hs_book_compute:
 * @book: the snapshot to fill (ts and sequence are left as they are)
 * @depth: how many of the best levels of each side the volumes and imbalance cover
 *
 * Sorts copies of the levels best first (bids descending, asks ascending), stores them as JSON,
 * and computes best bid and ask, spread, spread % of the mid price, the volume on each side over
 * the top @depth levels, and imbalance = 100 × (bid − ask volume) / (bid + ask volume).
 */
gboolean
hs_book_compute (HsBookSnapshot *book,
                 const HsLevel  *bids,
                 size_t          n_bids,
                 const HsLevel  *asks,
                 size_t          n_asks,
                 int             depth,
                 GError        **error)
{
  g_autofree HsLevel *b = NULL;
  g_autofree HsLevel *a = NULL;

  g_return_val_if_fail (depth > 0, FALSE);

  if (!check_levels (bids, n_bids, "bids", error) || !check_levels (asks, n_asks, "asks", error))
    return FALSE;
  b = g_memdup2 (bids, n_bids * sizeof *bids);
  a = g_memdup2 (asks, n_asks * sizeof *asks);
  if (n_bids > 0)
    qsort (b, n_bids, sizeof *b, cmp_level_desc);
  if (n_asks > 0)
    qsort (a, n_asks, sizeof *a, cmp_level_asc);
  if (n_bids > 0 && n_asks > 0 && a[0].price < b[0].price)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "best ask %g is below best bid %g (crossed book)", a[0].price, b[0].price);
      return FALSE;
    }

  book->depth = depth;
  book->best_bid = n_bids > 0 ? b[0].price : NAN;
  book->best_ask = n_asks > 0 ? a[0].price : NAN;
  book->spread = book->best_ask - book->best_bid;
  book->spread_pct = 100.0 * book->spread / ((book->best_ask + book->best_bid) / 2.0);
  book->bid_volume = 0;
  book->ask_volume = 0;
  for (size_t i = 0; i < n_bids && i < (size_t) depth; i++)
    book->bid_volume += b[i].size;
  for (size_t i = 0; i < n_asks && i < (size_t) depth; i++)
    book->ask_volume += a[i].size;
  if (book->bid_volume + book->ask_volume > 0)
    /* The ratio first: |b − a| ≤ b + a holds after rounding too, so the ratio stays within
     * [−1, 1] and the percent within [−100, 100] (multiplying first gave −100.00000000000001
     * for a book with asks only, which the table refuses). */
    book->imbalance = 100.0 * ((book->bid_volume - book->ask_volume)
                               / (book->bid_volume + book->ask_volume));
  else
    book->imbalance = NAN;
  g_free (book->bids_json);
  g_free (book->asks_json);
  book->bids_json = levels_to_json (b, n_bids);
  book->asks_json = levels_to_json (a, n_asks);
  return TRUE;
}

void
hs_book_snapshot_clear (HsBookSnapshot *book)
{
  g_clear_pointer (&book->bids_json, g_free);
  g_clear_pointer (&book->asks_json, g_free);
}

void
hs_market_snapshot_clear (HsMarketSnapshot *snap)
{
  g_clear_pointer (&snap->ticker, g_free);
  g_clear_pointer (&snap->status, g_free);
  g_clear_pointer (&snap->raw_json, g_free);
}

static const char *source_names[] = { "poll", "websocket", "backfill" };

const char *
hs_snapshot_source_to_string (HsSnapshotSource source)
{
  g_return_val_if_fail ((unsigned) source < G_N_ELEMENTS (source_names), NULL);
  return source_names[source];
}

gboolean
hs_snapshot_source_from_string (const char       *text,
                                HsSnapshotSource *out)
{
  for (size_t i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (g_str_equal (text, source_names[i]))
      {
        *out = (HsSnapshotSource) i;
        return TRUE;
      }
  return FALSE;
}

const char *
hs_side_to_string (HsSide side)
{
  return side == HS_SIDE_BUY ? "buy" : side == HS_SIDE_SELL ? "sell" : "unknown";
}

/* Accepts the taker side as buy/b, sell/s or unknown/empty, in any case. */
gboolean
hs_side_from_string (const char *text,
                     HsSide     *out)
{
  if (g_ascii_strcasecmp (text, "buy") == 0 || g_ascii_strcasecmp (text, "b") == 0)
    *out = HS_SIDE_BUY;
  else if (g_ascii_strcasecmp (text, "sell") == 0 || g_ascii_strcasecmp (text, "s") == 0)
    *out = HS_SIDE_SELL;
  else if (g_ascii_strcasecmp (text, "unknown") == 0 || text[0] == '\0')
    *out = HS_SIDE_UNKNOWN;
  else
    return FALSE;
  return TRUE;
}

const char *
hs_option_right_to_string (HsOptionRight right)
{
  return right == HS_OPTION_PUT ? "put" : "call";
}

/**
 * hs_occ_symbol_parse:
 * @symbol: an OCC option symbol: the root (1–6 characters, in the 21-character OSI form padded
 *   with spaces), the expiration as YYMMDD, C or P, and the strike × 1000 as 8 digits;
 *   "SPY251219P00450000". A Polygon-style "O:" prefix is accepted.
 * @contract: (out caller-allocates): the symbol, its root as the underlying ("SPY"), the
 *   expiration date at 00:00 UTC, the strike (450.0) and the right (put); clear with
 *   hs_option_contract_clear()
 */
gboolean
hs_occ_symbol_parse (const char       *symbol,
                     HsOptionContract *contract,
                     GError          **error)
{
  const char *s = g_str_has_prefix (symbol, "O:") ? symbol + 2 : symbol;
  size_t len = strlen (s), root_len;
  const char *tail;
  int yy, mm, dd;
  int64_t strike_milli = 0;
  static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (len < 16)
    goto bad;
  tail = s + len - 15;
  for (int i = 0; i < 15; i++)
    if (i != 6 && !g_ascii_isdigit (tail[i]))
      goto bad;
  if (tail[6] != 'C' && tail[6] != 'P')
    goto bad;
  root_len = len - 15;
  while (root_len > 0 && s[root_len - 1] == ' ')
    root_len--;
  if (root_len == 0 || root_len > 6)
    goto bad;
  for (size_t i = 0; i < root_len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '.')
      goto bad;
  yy = (tail[0] - '0') * 10 + (tail[1] - '0');
  mm = (tail[2] - '0') * 10 + (tail[3] - '0');
  dd = (tail[4] - '0') * 10 + (tail[5] - '0');
  if (mm < 1 || mm > 12 || dd < 1 || (unsigned) dd > mdays[mm - 1]
      || (mm == 2 && dd == 29 && yy % 4 != 0))
    goto bad;
  for (int i = 7; i < 15; i++)
    strike_milli = strike_milli * 10 + (tail[i] - '0');
  if (strike_milli == 0)
    goto bad;

  contract->symbol = g_strdup (symbol);
  contract->underlying = g_strndup (s, root_len);
  contract->expiry = hs_time_days_from_civil (2000 + yy, (unsigned) mm, (unsigned) dd)
                     * G_GINT64_CONSTANT (86400000000);
  contract->strike = (double) strike_milli / 1000.0;
  contract->right = tail[6] == 'P' ? HS_OPTION_PUT : HS_OPTION_CALL;
  return TRUE;

bad:
  g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
               "“%s” is not an OCC option symbol (ROOT + YYMMDD + C/P + strike × 1000 in "
               "8 digits, e.g. SPY251219P00450000)", symbol);
  return FALSE;
}

/**
 * hs_option_quote_check:
 *
 * The rules option_quotes holds its rows to: bid, ask and last ≥ 0 and
 * ask ≥ bid when both are given; volume and open interest ≥ 0 when given; iv ≥ 0, delta in
 * [−1, 1], gamma ≥ 0, vega ≥ 0 and a positive underlying price when given.
 */
gboolean
hs_option_quote_check (const HsOptionQuote *quote,
                       GError             **error)
{
  struct { const char *name; double v; double lo, hi; } rules[] = {
    { "bid", quote->bid, 0, INFINITY },
    { "ask", quote->ask, 0, INFINITY },
    { "last", quote->last, 0, INFINITY },
    { "iv", quote->iv, 0, INFINITY },
    { "delta", quote->delta, -1, 1 },
    { "gamma", quote->gamma, 0, INFINITY },
    { "vega", quote->vega, 0, INFINITY },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (rules); i++)
    if (!isnan (rules[i].v) && !(rules[i].v >= rules[i].lo && rules[i].v <= rules[i].hi
                                 && isfinite (rules[i].v)))
      {
        g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                     "%s %g is out of range", rules[i].name, rules[i].v);
        return FALSE;
      }
  if (!isnan (quote->bid) && !isnan (quote->ask) && quote->ask < quote->bid)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "ask %g is below bid %g (crossed quote)", quote->ask, quote->bid);
      return FALSE;
    }
  if (quote->volume < -1 || quote->open_interest < -1)
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "volume and open interest must be zero or more");
      return FALSE;
    }
  if (!isnan (quote->theta) && !isfinite (quote->theta))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE, "theta must be finite");
      return FALSE;
    }
  if (!isnan (quote->rho) && !isfinite (quote->rho))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE, "rho must be finite");
      return FALSE;
    }
  if (!isnan (quote->underlying_price) && !positive (quote->underlying_price))
    {
      g_set_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE,
                   "underlying_price must be a positive price, not %g", quote->underlying_price);
      return FALSE;
    }
  return TRUE;
}

void
hs_option_contract_clear (HsOptionContract *contract)
{
  g_clear_pointer (&contract->symbol, g_free);
  g_clear_pointer (&contract->underlying, g_free);
}
