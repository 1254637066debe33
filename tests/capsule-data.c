/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generated "realistic dataset" of issue 5 (capsule-data.h): correlated random walks for
 * five stocks, SPY, VIX and three sector ETFs, with quotes, order books, option quotes and 500
 * paper trades, written as the files `import bars|quotes|orderbook` and `paper import` read.
 * Deterministic: a SplitMix64 generator and Box–Muller normals, no GLib PRNG (whose algorithm
 * is not promised), prices rounded to cents so the CSV text reads back as the same doubles.
 */
#include "config.h"

#include "capsule-data.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-import.h"
#include "hs-store-market.h"
#include "hs-time.h"

#define US_PER_S G_GINT64_CONSTANT (1000000)
#define US_PER_DAY (86400 * US_PER_S)

typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *r)
{
  guint64 z = (r->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double
rng_uniform (Rng *r)
{
  return ((double) (rng_next (r) >> 11) + 0.5) / 9007199254740992.0;
}

static double
rng_normal (Rng    *r,
            double  sigma)
{
  double u = rng_uniform (r), v = rng_uniform (r);

  return sigma * sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static int
rng_int (Rng *r,
         int  lo,
         int  hi)
{
  return lo + (int) (rng_next (r) % (guint64) (hi - lo + 1));
}

static double
cents (double v)
{
  return round (v * 100.0) / 100.0;
}

enum { GROUP_NONE, GROUP_TECH, GROUP_ENERGY, GROUP_FIN, N_GROUPS };

typedef struct
{
  const char *symbol, *kind, *etf;
  int         group;
  double      beta, price, volume;
  gboolean    daily;
} Spec;

static const Spec specs[] = {
  { "SPY", "etf", NULL, GROUP_NONE, 1.0, 510, 80000, TRUE },
  { "VIX", "index", NULL, GROUP_NONE, 0, 14, 0, TRUE },
  { "XLK", "etf", NULL, GROUP_TECH, 1.1, 210, 9000, TRUE },
  { "XLE", "etf", NULL, GROUP_ENERGY, 0.8, 92, 12000, TRUE },
  { "XLF", "etf", NULL, GROUP_FIN, 1.0, 41, 40000, TRUE },
  { "AAPL", "stock", "XLK", GROUP_TECH, 1.1, 170, 60000, TRUE },
  { "MSFT", "stock", "XLK", GROUP_TECH, 1.0, 400, 25000, TRUE },
  { "NVDA", "stock", "XLK", GROUP_TECH, 1.6, 800, 50000, FALSE },
  { "XOM", "stock", "XLE", GROUP_ENERGY, 0.7, 110, 20000, TRUE },
  { "JPM", "stock", "XLF", GROUP_FIN, 1.0, 190, 15000, TRUE },
};
#define N_SERIES G_N_ELEMENTS (specs)
#define VIX_INDEX 1

static void
series_free (CapsuleSeries *s)
{
  g_clear_pointer (&s->minutes, hs_bars_free);
  g_clear_pointer (&s->daily, hs_bars_free);
  g_clear_pointer (&s->quotes, g_array_unref);
  g_clear_pointer (&s->books, g_array_unref);
  g_free (s->minute_csv);
  g_free (s->daily_csv);
  g_free (s->quotes_csv);
  g_free (s->books_jsonl);
  g_free (s);
}

static void
option_free (CapsuleOption *o)
{
  g_clear_pointer (&o->quotes, g_array_unref);
  g_free (o);
}

void
capsule_data_free (CapsuleData *d)
{
  if (d == NULL)
    return;
  g_ptr_array_unref (d->series);
  g_ptr_array_unref (d->options);
  g_array_unref (d->trades);
  g_free (d->trades_jsonl);
  g_free (d->stock_trades_jsonl);
  g_free (d);
}

/* Log return of series @k for one step, given the market and group factors. */
static double
step_return (Rng          *r,
             size_t        k,
             double        m,
             const double *g,
             double        idio)
{
  const Spec *s = &specs[k];

  if (g_str_equal (s->kind, "etf"))
    return s->beta * m + g[s->group] + rng_normal (r, idio * 0.15);
  return s->beta * m + 1.2 * g[s->group] + rng_normal (r, idio);
}

static void
set_bar (HsBars *b,
         size_t  i,
         int64_t ts,
         double  open,
         double  close,
         double  wick,
         double  volume,
         Rng    *r)
{
  double o = cents (open), c = cents (close);
  double h = cents (MAX (open, close) * exp (fabs (rng_normal (r, wick))));
  double l = cents (MIN (open, close) * exp (-fabs (rng_normal (r, wick))));

  b->ts[i] = ts;
  b->open[i] = o;
  b->close[i] = c;
  b->high[i] = MAX (h, MAX (o, c));
  b->low[i] = MAX (0.01, MIN (l, MIN (o, c)));
  b->volume[i] = volume;
  b->vwap[i] = NAN;
}

/* Black–Scholes with no rates or dividends: price, and the greeks in the units of
 * option_quotes (theta per calendar day, vega per volatility point). */
static void
black_scholes (gboolean       call,
               double         s,
               double         k,
               double         t,
               double         iv,
               HsOptionQuote *q,
               double        *price)
{
  double sq = iv * sqrt (t), d1 = (log (s / k) + 0.5 * iv * iv * t) / sq, d2 = d1 - sq;
  double nd1 = 0.5 * erfc (-d1 / G_SQRT2), nd2 = 0.5 * erfc (-d2 / G_SQRT2);
  double pdf = exp (-0.5 * d1 * d1) / sqrt (2 * G_PI);

  *price = call ? s * nd1 - k * nd2 : k * (1 - nd2) - s * (1 - nd1);
  q->delta = call ? nd1 : nd1 - 1;
  q->gamma = pdf / (s * sq);
  q->theta = -s * pdf * iv / (2 * sqrt (t)) / 365.0;
  q->vega = s * pdf * sqrt (t) / 100.0;
  q->rho = NAN;
  q->iv = iv;
}

static void
make_days (CapsuleData *d,
           int64_t     *history)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  int64_t day = hs_time_days_from_civil (2024, 3, 4), holiday = hs_time_days_from_civil (2024, 3, 29);
  int n = 0;

  g_assert_nonnull (ny);
  for (int64_t x = day; n < CAPSULE_N_DAYS; x++)
    {
      int wd = (int) (((x % 7) + 7 + 3) % 7);   /* 0 = Monday (1970-01-01 was a Thursday) */
      g_autoptr(GDateTime) utc = NULL, open = NULL;

      if (wd >= 5 || x == holiday)
        continue;
      utc = g_date_time_new_from_unix_utc (x * 86400);
      open = g_date_time_new (ny, g_date_time_get_year (utc), g_date_time_get_month (utc),
                              g_date_time_get_day_of_month (utc), 9, 30, 0);
      d->days[n] = x;
      d->open_ts[n] = g_date_time_to_unix (open) * US_PER_S;
      n++;
    }
  n = CAPSULE_HISTORY_DAYS;
  for (int64_t x = day - 1; n > 0; x--)
    {
      int wd = (int) (((x % 7) + 7 + 3) % 7);

      if (wd < 5)
        history[--n] = x;
    }
}

static void
generate_prices (CapsuleData *d,
                 Rng         *r)
{
  int64_t history[CAPSULE_HISTORY_DAYS];
  double logp[N_SERIES];

  make_days (d, history);
  for (size_t k = 0; k < N_SERIES; k++)
    {
      CapsuleSeries *s = g_new0 (CapsuleSeries, 1);

      s->symbol = specs[k].symbol;
      s->kind = specs[k].kind;
      s->sector_etf = specs[k].etf;
      s->minutes = hs_bars_new (CAPSULE_N_DAYS * CAPSULE_MINUTES_PER_DAY, 60);
      if (specs[k].daily)
        s->daily = hs_bars_new (CAPSULE_HISTORY_DAYS + CAPSULE_N_DAYS, 86400);
      g_ptr_array_add (d->series, s);
      logp[k] = log (specs[k].price);
    }

  /* Daily history. */
  for (int i = 0; i < CAPSULE_HISTORY_DAYS; i++)
    {
      double m = rng_normal (r, 0.009), g[N_GROUPS] = { 0 };

      for (int j = 1; j < N_GROUPS; j++)
        g[j] = rng_normal (r, 0.006);
      for (size_t k = 0; k < N_SERIES; k++)
        {
          CapsuleSeries *s = d->series->pdata[k];
          double prev = exp (logp[k]), ret;

          ret = k == VIX_INDEX ? -3.0 * m + 0.05 * (log (15.0) - logp[k]) + rng_normal (r, 0.04)
                               : step_return (r, k, m, g, 0.012);
          logp[k] += ret;
          if (s->daily != NULL)
            set_bar (s->daily, (size_t) i, history[i] * US_PER_DAY,
                     prev * exp (rng_normal (r, 0.002)), exp (logp[k]), 0.004,
                     k == VIX_INDEX ? 0 : round (specs[k].volume * 390 * exp (rng_normal (r, 0.25))),
                     r);
        }
    }

  /* Minutes of the 30 session days, and their daily aggregates. */
  for (int day = 0; day < CAPSULE_N_DAYS; day++)
    {
      double gap = rng_normal (r, 0.004), gg[N_GROUPS] = { 0 };

      for (int j = 1; j < N_GROUPS; j++)
        gg[j] = rng_normal (r, 0.003);
      for (size_t k = 0; k < N_SERIES; k++)
        logp[k] += k == VIX_INDEX ? -3.0 * gap : step_return (r, k, gap, gg, 0.004);
      for (int i = 0; i < CAPSULE_MINUTES_PER_DAY; i++)
        {
          double m = rng_normal (r, 0.0006), g[N_GROUPS] = { 0 };
          double shape = 1.0 + 2.0 * pow ((i - 195.0) / 195.0, 2);   /* U-shaped volume */
          size_t idx = (size_t) day * CAPSULE_MINUTES_PER_DAY + (size_t) i;
          int64_t ts = d->open_ts[day] + (int64_t) i * 60 * US_PER_S;

          for (int j = 1; j < N_GROUPS; j++)
            g[j] = rng_normal (r, 0.0004);
          for (size_t k = 0; k < N_SERIES; k++)
            {
              CapsuleSeries *s = d->series->pdata[k];
              double open = exp (logp[k]), ret;

              ret = k == VIX_INDEX ? -3.0 * m + 0.002 * (log (15.0) - logp[k]) + rng_normal (r, 0.0015)
                                   : step_return (r, k, m, g, 0.0006);
              logp[k] += ret;
              set_bar (s->minutes, idx, ts, open, exp (logp[k]), 0.0003,
                       k == VIX_INDEX ? 0 : round (specs[k].volume / 390.0 * shape * exp (rng_normal (r, 0.3))) + 1,
                       r);
            }
        }
      for (size_t k = 0; k < N_SERIES; k++)
        {
          CapsuleSeries *s = d->series->pdata[k];
          const HsBars *mb = s->minutes;
          size_t first = (size_t) day * CAPSULE_MINUTES_PER_DAY, j = CAPSULE_HISTORY_DAYS + (size_t) day;
          double hi = mb->high[first], lo = mb->low[first], vol = 0;

          if (s->daily == NULL)
            continue;
          for (size_t i = first; i < first + CAPSULE_MINUTES_PER_DAY; i++)
            {
              hi = MAX (hi, mb->high[i]);
              lo = MIN (lo, mb->low[i]);
              vol += mb->volume[i];
            }
          s->daily->ts[j] = d->days[day] * US_PER_DAY;
          s->daily->open[j] = mb->open[first];
          s->daily->high[j] = hi;
          s->daily->low[j] = lo;
          s->daily->close[j] = mb->close[first + CAPSULE_MINUTES_PER_DAY - 1];
          s->daily->volume[j] = vol;
          s->daily->vwap[j] = NAN;
        }
    }
}

static void
generate_quotes (CapsuleData *d,
                 Rng         *r)
{
  for (guint k = 0; k < d->series->len; k++)
    {
      CapsuleSeries *s = d->series->pdata[k];
      const HsBars *mb = s->minutes;

      if (!g_str_equal (s->kind, "stock"))
        continue;
      s->quotes = g_array_sized_new (FALSE, FALSE, sizeof (HsQuote), mb->n);
      for (size_t i = 0; i < mb->n; i++)
        {
          double half = MAX (0.01, cents (mb->open[i] * 0.0002 * (1 + rng_uniform (r))));
          HsQuote q = { mb->ts[i] + 30 * US_PER_S, cents (mb->open[i] - half),
                        cents (mb->open[i] + half), 100.0 * rng_int (r, 1, 20),
                        100.0 * rng_int (r, 1, 20) };

          g_array_append_val (s->quotes, q);
        }
      if (!g_str_equal (s->symbol, "JPM"))
        continue;
      s->books = g_array_new (FALSE, TRUE, sizeof (CapsuleBook));
      for (size_t i = 0; i < mb->n; i += 5)
        {
          CapsuleBook b = { mb->ts[i] + 10 * US_PER_S, { 0 }, { 0 }, { 0 }, { 0 } };

          for (int l = 0; l < 5; l++)
            {
              b.bid[l] = cents (mb->open[i] - 0.01 * (l + 1));
              b.ask[l] = cents (mb->open[i] + 0.01 * (l + 1));
              b.bid_size[l] = rng_int (r, 1, 20) * 100;
              b.ask_size[l] = rng_int (r, 1, 20) * 100;
            }
          g_array_append_val (s->books, b);
        }
    }
}

static void
generate_options (CapsuleData *d,
                  Rng         *r)
{
  static const struct { const char *symbol; const char *right; double strike; } contracts[] = {
    { "AAPL240419C00175000", "call", 175 },
    { "AAPL240419P00165000", "put", 165 },
  };
  const CapsuleSeries *aapl = capsule_data_series (d, "AAPL");
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) expiry = g_date_time_new (ny, 2024, 4, 19, 16, 0, 0);

  g_assert (aapl != NULL);

  for (size_t c = 0; c < G_N_ELEMENTS (contracts); c++)
    {
      CapsuleOption *o = g_new0 (CapsuleOption, 1);
      int64_t volume = 0;
      int day = -1;

      o->symbol = contracts[c].symbol;
      o->underlying = "AAPL";
      o->right = contracts[c].right;
      o->strike = contracts[c].strike;
      o->expiry = g_date_time_to_unix (expiry) * US_PER_S;
      o->quotes = g_array_new (FALSE, FALSE, sizeof (HsOptionQuote));
      for (size_t i = 0; i < aapl->minutes->n; i += 5)
        {
          HsOptionQuote q;
          double price, t;

          if ((int) (i / CAPSULE_MINUTES_PER_DAY) != day)
            {
              day = (int) (i / CAPSULE_MINUTES_PER_DAY);
              volume = 0;
            }
          hs_option_quote_init (&q);
          q.ts = aapl->minutes->ts[i] + 15 * US_PER_S;
          t = (double) (o->expiry - q.ts) / (365.0 * US_PER_DAY);
          black_scholes (g_str_equal (o->right, "call"), aapl->minutes->open[i], o->strike, t,
                         0.25 + rng_normal (r, 0.01), &q, &price);
          q.bid = MAX (0.0, cents (price - 0.05));
          q.ask = cents (price + 0.05);
          q.last = cents (price);
          volume += rng_int (r, 0, 40);
          q.volume = volume;
          q.open_interest = 10000 + 37 * day;
          q.underlying_price = aapl->minutes->open[i];
          g_array_append_val (o->quotes, q);
        }
      g_ptr_array_add (d->options, o);
    }
}

/* The latest option quote at or before @ts. */
static const HsOptionQuote *
option_quote_at (const CapsuleOption *o,
                 int64_t              ts)
{
  const HsOptionQuote *best = NULL;

  for (guint i = 0; i < o->quotes->len; i++)
    {
      const HsOptionQuote *q = &g_array_index (o->quotes, HsOptionQuote, i);

      if (q->ts > ts)
        break;
      best = q;
    }
  return best;
}

static int
trade_cmp (gconstpointer a,
           gconstpointer b)
{
  const CapsuleTrade *x = a, *y = b;

  return (x->entry_ts > y->entry_ts) - (x->entry_ts < y->entry_ts);
}

static void
generate_trades (CapsuleData *d,
                 Rng         *r)
{
  static const char *stocks[] = { "AAPL", "MSFT", "NVDA", "XOM", "JPM" };
  static const char *tags[] = { "breakout", "mean_reversion", "momentum", "gap_fill" };
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (d->trades->len < CAPSULE_N_TRADES)
    {
      guint n = d->trades->len;
      gboolean option = n % 25 == 7;
      CapsuleTrade t = { 0 };
      int minute = rng_int (r, 5, 330), hold = rng_int (r, 5, 55), sec;
      g_autofree char *key = NULL;
      double sign;

      t.day = rng_int (r, 1, CAPSULE_N_DAYS - 1);
      t.side = rng_uniform (r) < 0.5 ? "long" : "short";
      sign = g_str_equal (t.side, "long") ? 1 : -1;
      sec = rng_uniform (r) < 0.25 ? 0 : rng_int (r, 1, 59);
      t.entry_ts = d->open_ts[t.day] + ((int64_t) minute * 60 + sec) * US_PER_S;
      t.tag = tags[rng_int (r, 0, G_N_ELEMENTS (tags) - 1)];
      t.fees = 1.0;
      t.closed = n % 20 != 19;
      if (option)
        {
          const CapsuleOption *o = d->options->pdata[rng_int (r, 0, (int) d->options->len - 1)];
          const HsOptionQuote *q = option_quote_at (o, t.entry_ts), *x;

          g_assert (q != NULL);
          t.symbol = o->symbol;
          t.side = "long";
          t.quantity = rng_int (r, 1, 10);
          t.entry_price = cents ((q->bid + q->ask) / 2);
          t.stop_loss = t.take_profit = NAN;
          t.exit_ts = t.entry_ts + (int64_t) hold * 60 * US_PER_S;
          x = option_quote_at (o, t.exit_ts);
          g_assert (x != NULL);
          t.exit_price = MAX (0.01, cents ((x->bid + x->ask) / 2));
          t.exit_reason = "time_stop";
        }
      else
        {
          const CapsuleSeries *s = capsule_data_series (d, stocks[rng_int (r, 0, 4)]);
          size_t first = (size_t) t.day * CAPSULE_MINUTES_PER_DAY, i = first + (size_t) minute;
          const HsBars *mb;

          g_assert (s != NULL);
          mb = s->minutes;
          t.symbol = s->symbol;
          t.quantity = rng_int (r, 1, 100);
          t.entry_price = mb->close[i - 1];   /* the last minute completed before the entry */
          t.stop_loss = cents (t.entry_price * (1 - sign * 0.01));
          t.take_profit = cents (t.entry_price * (1 + sign * 0.02));
          t.exit_reason = "time_stop";
          t.exit_ts = mb->ts[i + (size_t) hold] + 60 * US_PER_S;
          t.exit_price = mb->close[i + (size_t) hold];
          /* The first later minute that touches the stop or the target closes the trade. */
          for (size_t j = i + 1; j <= i + (size_t) hold; j++)
            {
              gboolean stop = sign > 0 ? mb->low[j] <= t.stop_loss : mb->high[j] >= t.stop_loss;
              gboolean target = sign > 0 ? mb->high[j] >= t.take_profit
                                         : mb->low[j] <= t.take_profit;

              if (stop || target)
                {
                  t.exit_ts = mb->ts[j] + 60 * US_PER_S;
                  t.exit_price = stop ? t.stop_loss : t.take_profit;
                  t.exit_reason = stop ? "stop_loss" : "take_profit";
                  break;
                }
            }
        }
      key = g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT, t.symbol, t.side, t.entry_ts);
      if (!g_hash_table_add (keys, g_steal_pointer (&key)))
        continue;
      g_array_append_val (d->trades, t);
    }
  g_array_sort (d->trades, trade_cmp);
}

/**
 * capsule_data_new:
 *
 * Returns: (transfer full): the dataset of @seed, in memory (capsule_data_write() writes it)
 */
CapsuleData *
capsule_data_new (guint64 seed)
{
  CapsuleData *d = g_new0 (CapsuleData, 1);
  Rng r = { seed };

  d->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  d->options = g_ptr_array_new_with_free_func ((GDestroyNotify) option_free);
  d->trades = g_array_new (FALSE, TRUE, sizeof (CapsuleTrade));
  generate_prices (d, &r);
  generate_quotes (d, &r);
  generate_options (d, &r);
  generate_trades (d, &r);
  return d;
}

const CapsuleSeries *
capsule_data_series (const CapsuleData *d,
                     const char        *symbol)
{
  for (guint i = 0; i < d->series->len; i++)
    if (g_str_equal (((CapsuleSeries *) d->series->pdata[i])->symbol, symbol))
      return d->series->pdata[i];
  return NULL;
}

const CapsuleOption *
capsule_data_option (const CapsuleData *d,
                     const char        *symbol)
{
  for (guint i = 0; i < d->options->len; i++)
    if (g_str_equal (((CapsuleOption *) d->options->pdata[i])->symbol, symbol))
      return d->options->pdata[i];
  return NULL;
}

static void
append_number (GString *out,
               double   v)
{
  char buf[32];

  hs_format_double (v, buf);
  g_string_append (out, buf);
}

static void
append_time (GString *out,
             int64_t  ts)
{
  char buf[40];

  hs_time_format_iso_buf (ts, buf);
  g_string_append (out, buf);
}

static gboolean
write_bars (const HsBars *b,
            const char   *path,
            GError      **error)
{
  g_autoptr(GString) out = g_string_new ("timestamp,open,high,low,close,volume\n");

  for (size_t i = 0; i < b->n; i++)
    {
      const double v[] = { b->open[i], b->high[i], b->low[i], b->close[i], b->volume[i] };

      append_time (out, b->ts[i]);
      for (size_t j = 0; j < G_N_ELEMENTS (v); j++)
        {
          g_string_append_c (out, ',');
          append_number (out, v[j]);
        }
      g_string_append_c (out, '\n');
    }
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

static gboolean
write_quotes (GArray     *quotes,
              const char *path,
              GError    **error)
{
  g_autoptr(GString) out = g_string_new ("timestamp,bid,ask,bid_size,ask_size\n");

  for (guint i = 0; i < quotes->len; i++)
    {
      const HsQuote *q = &g_array_index (quotes, HsQuote, i);
      const double v[] = { q->bid, q->ask, q->bid_size, q->ask_size };

      append_time (out, q->ts);
      for (size_t j = 0; j < G_N_ELEMENTS (v); j++)
        {
          g_string_append_c (out, ',');
          append_number (out, v[j]);
        }
      g_string_append_c (out, '\n');
    }
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

static void
append_levels (GString      *out,
               const double *price,
               const double *size)
{
  g_string_append_c (out, '[');
  for (int l = 0; l < 5; l++)
    {
      g_string_append (out, l ? ",[" : "[");
      append_number (out, price[l]);
      g_string_append_c (out, ',');
      append_number (out, size[l]);
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ']');
}

static gboolean
write_books (GArray     *books,
             const char *path,
             GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < books->len; i++)
    {
      const CapsuleBook *b = &g_array_index (books, CapsuleBook, i);

      g_string_append (out, "{\"ts\":\"");
      append_time (out, b->ts);
      g_string_append (out, "\",\"bids\":");
      append_levels (out, b->bid, b->bid_size);
      g_string_append (out, ",\"asks\":");
      append_levels (out, b->ask, b->ask_size);
      g_string_append (out, "}\n");
    }
  return g_file_set_contents (path, out->str, (gssize) out->len, error);
}

static void
append_trade (GString            *out,
              const CapsuleTrade *t,
              guint               n)
{
  g_string_append_printf (out, "{\"symbol\":\"%s\",\"side\":\"%s\",\"quantity\":", t->symbol,
                          t->side);
  append_number (out, t->quantity);
  g_string_append (out, ",\"entry_time\":\"");
  append_time (out, t->entry_ts);
  g_string_append (out, "\",\"entry_price\":");
  append_number (out, t->entry_price);
  if (!isnan (t->stop_loss))
    {
      g_string_append (out, ",\"stop_loss\":");
      append_number (out, t->stop_loss);
      g_string_append (out, ",\"take_profit\":");
      append_number (out, t->take_profit);
    }
  if (t->closed)
    {
      g_string_append (out, ",\"exit_time\":\"");
      append_time (out, t->exit_ts);
      g_string_append (out, "\",\"exit_price\":");
      append_number (out, t->exit_price);
      g_string_append_printf (out, ",\"exit_reason\":\"%s\",\"fees\":", t->exit_reason);
      append_number (out, t->fees);
    }
  g_string_append_printf (out, ",\"tags\":[\"%s\"],\"notes\":\"synthetic trade %u\"}\n", t->tag,
                          n);
}

/**
 * capsule_data_write:
 * @dir: an existing folder
 *
 * Writes SYMBOL-1m.csv and SYMBOL-1d.csv (bars), SYMBOL-quotes.csv, JPM-book.jsonl and
 * trades.jsonl (all 500) / trades-stocks.jsonl (those on stocks), and keeps their paths in @d.
 */
gboolean
capsule_data_write (CapsuleData *d,
                    const char  *dir,
                    GError     **error)
{
  g_autoptr(GString) all = g_string_new (NULL), stocks = g_string_new (NULL);

  for (guint k = 0; k < d->series->len; k++)
    {
      CapsuleSeries *s = d->series->pdata[k];
      g_autofree char *base = NULL;

      base = g_strdup_printf ("%s-1m.csv", s->symbol);
      s->minute_csv = g_build_filename (dir, base, NULL);
      if (!write_bars (s->minutes, s->minute_csv, error))
        return FALSE;
      if (s->daily != NULL)
        {
          g_free (base);
          base = g_strdup_printf ("%s-1d.csv", s->symbol);
          s->daily_csv = g_build_filename (dir, base, NULL);
          if (!write_bars (s->daily, s->daily_csv, error))
            return FALSE;
        }
      if (s->quotes != NULL)
        {
          g_free (base);
          base = g_strdup_printf ("%s-quotes.csv", s->symbol);
          s->quotes_csv = g_build_filename (dir, base, NULL);
          if (!write_quotes (s->quotes, s->quotes_csv, error))
            return FALSE;
        }
      if (s->books != NULL)
        {
          g_free (base);
          base = g_strdup_printf ("%s-book.jsonl", s->symbol);
          s->books_jsonl = g_build_filename (dir, base, NULL);
          if (!write_books (s->books, s->books_jsonl, error))
            return FALSE;
        }
    }
  for (guint i = 0; i < d->trades->len; i++)
    {
      const CapsuleTrade *t = &g_array_index (d->trades, CapsuleTrade, i);

      append_trade (all, t, i);
      if (capsule_data_option (d, t->symbol) == NULL)
        append_trade (stocks, t, i);
    }
  g_free (d->trades_jsonl);
  g_free (d->stock_trades_jsonl);
  d->trades_jsonl = g_build_filename (dir, "trades.jsonl", NULL);
  d->stock_trades_jsonl = g_build_filename (dir, "trades-stocks.jsonl", NULL);
  return g_file_set_contents (d->trades_jsonl, all->str, (gssize) all->len, error)
         && g_file_set_contents (d->stock_trades_jsonl, stocks->str, (gssize) stocks->len, error);
}

static gboolean
import_file (HsStore      *store,
             HsImportKind  kind,
             const char   *path,
             const char   *symbol,
             const char   *instrument_kind,
             const char   *interval,
             GError      **error)
{
  HsImportRequest req = { 0 };
  HsImportResult res = { 0 };
  gboolean ok;

  req.kind = kind;
  req.path = (char *) path;
  req.symbol = (char *) symbol;
  req.instrument_kind = (char *) instrument_kind;
  req.interval = (char *) interval;
  ok = hs_import_run (store, &req, NULL, NULL, NULL, &res, error);
  hs_import_result_clear (&res);
  return ok;
}

/**
 * capsule_data_load:
 *
 * Imports the files capsule_data_write() wrote (through the importers, as a user would), maps
 * the stocks to their sector ETFs, and adds the option contracts and their quotes (which no
 * importer reads). Paper trades are not imported: that is the paper part's `paper import`.
 */
gboolean
capsule_data_load (CapsuleData *d,
                   HsStore     *store,
                   GError     **error)
{
  g_return_val_if_fail (d->trades_jsonl != NULL, FALSE);
  for (guint k = 0; k < d->series->len; k++)
    {
      const CapsuleSeries *s = d->series->pdata[k];

      if (!import_file (store, HS_IMPORT_BARS, s->minute_csv, s->symbol, s->kind, "1m", error)
          || (s->daily_csv != NULL
              && !import_file (store, HS_IMPORT_BARS, s->daily_csv, s->symbol, s->kind, "1d",
                               error))
          || (s->quotes_csv != NULL
              && !import_file (store, HS_IMPORT_QUOTES, s->quotes_csv, s->symbol, s->kind, NULL,
                               error))
          || (s->books_jsonl != NULL
              && !import_file (store, HS_IMPORT_ORDERBOOK, s->books_jsonl, s->symbol, s->kind,
                               NULL, error))
          || (s->sector_etf != NULL
              && !hs_store_set_symbol_sector (store, s->symbol, s->sector_etf, NULL, error)))
        return FALSE;
    }
  if (!hs_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < d->options->len; i++)
    {
      const CapsuleOption *o = d->options->pdata[i];
      int64_t id = 0, underlying = 0;

      if (!hs_store_find_instrument (store, o->underlying, NULL, &underlying, error)
          || !hs_store_ensure_instrument (store, o->symbol, NULL, "option", &id, error)
          || !hs_store_set_option_contract (store, id, underlying, o->expiry, o->strike,
                                            o->right, error))
        goto fail;
      for (guint j = 0; j < o->quotes->len; j++)
        if (!hs_store_insert_option_quote (store, id, &g_array_index (o->quotes, HsOptionQuote, j),
                                           NULL, error))
          goto fail;
    }
  return hs_store_commit (store, error);

fail:
  hs_store_rollback (store);
  return FALSE;
}

void
capsule_remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}
