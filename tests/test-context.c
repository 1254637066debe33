/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trade-context collector (src/jobs/hs-context.c, docs/context.md) on the generated dataset
 * of tests/capsule-data.c. Every expected value is computed here, independently, from the
 * generator's in-memory arrays (not from the database): bars resampled by hand (a minute's
 * bucket is its minute of the session divided by the bucket length), indicators by their
 * textbook definitions written out below (slow, obvious loops), and the quote/book/option rows
 * found by a linear search. All 500 trades are checked value by value, and every "missing" list
 * must name exactly what the reference could not compute. The look-ahead test changes and
 * appends every bar, quote, book and option quote after the entry inside a transaction and
 * requires byte-identical text; a change before the entry must show.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "capsule-data.h"
#include "hs-context-calc.h"
#include "hs-context.h"
#include "hs-store-context.h"
#include "hs-store-market.h"
#include "hs-store-private.h"
#include "hs-time.h"

#define US_PER_S G_GINT64_CONSTANT (1000000)
#define US_PER_MIN (60 * US_PER_S)
#define US_PER_DAY (86400 * US_PER_S)
#define WINDOW 250

static char *tmpdir;
static CapsuleData *data;
static HsStore *store;

/* ---------------------------------------------------------------------------------------------
 * Naive reference
 * ------------------------------------------------------------------------------------------- */

typedef struct
{
  int64_t ts, day;     /* start; day number (UTC date of a daily bar, New York date of others) */
  double  o, h, l, c, v;
} NBar;

typedef struct
{
  NBar  *b;
  size_t n;
} NSeries;

static void
nseries_clear (NSeries *s)
{
  g_free (s->b);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NSeries, nseries_clear)

/* Keeps the last WINDOW bars. */
static void
nseries_window (NSeries *s)
{
  if (s->n > WINDOW)
    {
      memmove (s->b, s->b + (s->n - WINDOW), WINDOW * sizeof (NBar));
      s->n = WINDOW;
    }
}

/* Buckets of @k minutes of each session (k = 1, 5, 15, 60; the last bucket of a day ends at
 * 16:00), complete when their end is at or before @entry. */
static NSeries
naive_intraday (const CapsuleSeries *s,
                int                  k,
                int64_t              entry)
{
  NSeries out = { g_new0 (NBar, s->minutes->n), 0 };

  for (int day = 0; day < CAPSULE_N_DAYS; day++)
    for (int b = 0; b * k < CAPSULE_MINUTES_PER_DAY; b++)
      {
        int first = b * k, last = MIN ((b + 1) * k, CAPSULE_MINUTES_PER_DAY) - 1;
        size_t i0 = (size_t) day * CAPSULE_MINUTES_PER_DAY + (size_t) first;
        int64_t end = data->open_ts[day] + (int64_t) (last + 1) * US_PER_MIN;
        NBar *nb = &out.b[out.n];

        if (end > entry)
          break;
        nb->ts = s->minutes->ts[i0];
        nb->day = data->days[day];
        nb->o = s->minutes->open[i0];
        nb->h = -INFINITY;
        nb->l = INFINITY;
        nb->v = 0;
        for (int m = first; m <= last; m++)
          {
            size_t i = (size_t) day * CAPSULE_MINUTES_PER_DAY + (size_t) m;

            nb->h = MAX (nb->h, s->minutes->high[i]);
            nb->l = MIN (nb->l, s->minutes->low[i]);
            nb->c = s->minutes->close[i];
            nb->v += s->minutes->volume[i];
          }
        out.n++;
      }
  nseries_window (&out);
  return out;
}

/* The stored daily bars completed by @entry (a bar dated D is complete at D + 1 00:00 UTC), or
 * for a symbol without them (NVDA) its sessions aggregated by hand, complete at 16:00. */
static NSeries
naive_daily (const CapsuleSeries *s,
             int64_t              entry)
{
  NSeries out = { NULL, 0 };

  if (s->daily != NULL)
    {
      out.b = g_new0 (NBar, s->daily->n);
      for (size_t i = 0; i < s->daily->n && s->daily->ts[i] + US_PER_DAY <= entry; i++)
        out.b[out.n++] = (NBar) { s->daily->ts[i], s->daily->ts[i] / US_PER_DAY,
                                  s->daily->open[i], s->daily->high[i], s->daily->low[i],
                                  s->daily->close[i], s->daily->volume[i] };
      nseries_window (&out);
      return out;
    }
  g_free (out.b);
  return naive_intraday (s, CAPSULE_MINUTES_PER_DAY, entry);
}

static double *
closes (const NSeries *s)
{
  double *c = g_new (double, s->n + 1);

  for (size_t i = 0; i < s->n; i++)
    c[i] = s->b[i].c;
  return c;
}

/* EMA: the first value is the mean of the first p, then e += 2/(p+1) (x − e). */
static void
naive_ema (const double *x,
           size_t        n,
           int           p,
           double       *out)
{
  double sum = 0;

  for (size_t i = 0; i < n; i++)
    {
      out[i] = NAN;
      if ((int) i < p - 1)
        sum += x[i];
      else if ((int) i == p - 1)
        out[i] = (sum + x[i]) / p;
      else
        out[i] = out[i - 1] + 2.0 / (p + 1) * (x[i] - out[i - 1]);
    }
}

/* Wilder's RSI(14) at the last bar: the first averages are means of the first 14 gains and
 * losses, then avg = (13 avg + new) / 14. */
static double
naive_rsi (const double *c,
           size_t        n)
{
  double gain = 0, loss = 0;

  if (n < 15)
    return NAN;
  for (size_t i = 1; i <= 14; i++)
    {
      gain += MAX (c[i] - c[i - 1], 0);
      loss += MAX (c[i - 1] - c[i], 0);
    }
  gain /= 14;
  loss /= 14;
  for (size_t i = 15; i < n; i++)
    {
      gain = (13 * gain + MAX (c[i] - c[i - 1], 0)) / 14;
      loss = (13 * loss + MAX (c[i - 1] - c[i], 0)) / 14;
    }
  if (loss == 0)
    return gain == 0 ? 50 : 100;
  return 100 - 100 / (1 + gain / loss);
}

/* MACD(12, 26, 9) histogram at the last bar: line = EMA12 − EMA26 (from bar 25); signal = EMA9
 * of the line seeded with the mean of its first 9 values (bars 25 … 33). */
static double
naive_macd_hist (const double *c,
                 size_t        n)
{
  g_autofree double *e12 = g_new (double, n), *e26 = g_new (double, n);
  double signal = 0;

  if (n < 34)
    return NAN;
  naive_ema (c, n, 12, e12);
  naive_ema (c, n, 26, e26);
  for (size_t i = 25; i <= 33; i++)
    signal += (e12[i] - e26[i]) / 9;
  for (size_t i = 34; i < n; i++)
    signal += 0.2 * ((e12[i] - e26[i]) - signal);
  return (e12[n - 1] - e26[n - 1]) - signal;
}

static const char *
naive_ema_cross (const double *c,
                 size_t        n)
{
  g_autofree double *e9 = g_new (double, n + 1), *e21 = g_new (double, n + 1);

  if (n < 21)
    return NULL;
  naive_ema (c, n, 9, e9);
  naive_ema (c, n, 21, e21);
  return e9[n - 1] > e21[n - 1] ? "bullish" : e9[n - 1] < e21[n - 1] ? "bearish" : "neutral";
}

/* Whether Bollinger(20, 2σ population) lies strictly inside Keltner(EMA20 ± 1.5 ATR20) at bar
 * @i; ATR is Wilder's with the first true range high − low, seeded with the mean of 20. */
static gboolean
naive_inside (const NSeries *s,
              size_t         i)
{
  g_autofree double *c = closes (s), *ema = g_new (double, s->n);
  double mean = 0, var = 0, atr = 0;

  naive_ema (c, s->n, 20, ema);
  for (size_t j = i - 19; j <= i; j++)
    mean += c[j] / 20;
  for (size_t j = i - 19; j <= i; j++)
    var += (c[j] - mean) * (c[j] - mean) / 20;
  for (size_t j = 0; j <= i; j++)
    {
      double tr = j == 0 ? s->b[0].h - s->b[0].l
                         : MAX (s->b[j].h - s->b[j].l, MAX (fabs (s->b[j].h - c[j - 1]),
                                                            fabs (s->b[j].l - c[j - 1])));

      if (j < 20)
        atr += tr / 20;
      else
        atr = (19 * atr + tr) / 20;
    }
  return mean + 2 * sqrt (var) < ema[i] + 1.5 * atr && mean - 2 * sqrt (var) > ema[i] - 1.5 * atr;
}

static const char *
naive_squeeze (const NSeries *s)
{
  gboolean now, before;

  if (s->n < 21)
    return NULL;
  now = naive_inside (s, s->n - 1);
  before = naive_inside (s, s->n - 2);
  return now ? "on" : before ? "firing" : "off";
}

static const char *
naive_trend (const double *c,
             size_t        n)
{
  g_autofree double *e50 = g_new (double, n + 1);
  double e, prev;

  if (n < 55)
    return NULL;
  naive_ema (c, n, 50, e50);
  e = e50[n - 1];
  prev = e50[n - 6];
  if (c[n - 1] > e && e > prev)
    return "bullish";
  if (c[n - 1] < e && e < prev)
    return "bearish";
  return "neutral";
}

static double
naive_dist_200 (const double *c,
                size_t        n)
{
  double sma = 0;

  if (n < 200)
    return NAN;
  for (size_t i = n - 200; i < n; i++)
    sma += c[i];
  sma /= 200;
  return 100 * (c[n - 1] - sma) / sma;
}

/* ---------------------------------------------------------------------------------------------
 * Comparing an object with the reference
 * ------------------------------------------------------------------------------------------- */

typedef struct
{
  JsonObject *root;
  GPtrArray  *want_missing;
  const char *what;
} Check;

static JsonObject *
sub (JsonObject *obj,
     const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (size_t i = 0; parts[i + 1] != NULL; i++)
    {
      g_assert_true (json_object_has_member (obj, parts[i]));
      obj = json_object_get_object_member (obj, parts[i]);
    }
  return obj;
}

static const char *
leaf (const char *path)
{
  const char *dot = strrchr (path, '.');

  return dot ? dot + 1 : path;
}

static void
check_number (Check      *k,
              const char *path,
              double      want)
{
  JsonObject *obj = sub (k->root, path);
  const char *name = leaf (path);

  if (isnan (want))
    {
      if (json_object_has_member (obj, name))
        g_error ("%s: %s is %g, the reference has none", k->what, path,
                 json_object_get_double_member (obj, name));
      g_ptr_array_add (k->want_missing, g_strdup (path));
      return;
    }
  if (!json_object_has_member (obj, name))
    g_error ("%s: %s is missing, the reference has %.15g", k->what, path, want);
  if (fabs (json_object_get_double_member (obj, name) - want) > 1e-8 * (1 + fabs (want)))
    g_error ("%s: %s is %.15g, the reference %.15g", k->what, path,
             json_object_get_double_member (obj, name), want);
}

static void
check_string (Check      *k,
              const char *path,
              const char *want)
{
  JsonObject *obj = sub (k->root, path);
  const char *name = leaf (path);

  if (want == NULL)
    {
      g_assert_false (json_object_has_member (obj, name));
      g_ptr_array_add (k->want_missing, g_strdup (path));
      return;
    }
  if (!json_object_has_member (obj, name))
    g_error ("%s: %s is missing, the reference has %s", k->what, path, want);
  g_assert_cmpstr (json_object_get_string_member (obj, name), ==, want);
}

static int
cmp_str (gconstpointer a,
         gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The object's "missing" must name exactly what the reference could not compute. */
static void
check_missing (Check *k)
{
  JsonArray *arr = json_object_get_array_member (k->root, "missing");
  g_autoptr(GPtrArray) got = g_ptr_array_new ();
  g_autoptr(GString) a = g_string_new (NULL), b = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (arr); i++)
    g_ptr_array_add (got, (char *) json_array_get_string_element (arr, i));
  g_ptr_array_sort (got, cmp_str);
  g_ptr_array_sort (k->want_missing, cmp_str);
  for (guint i = 0; i < got->len; i++)
    g_string_append_printf (a, "%s ", (char *) got->pdata[i]);
  for (guint i = 0; i < k->want_missing->len; i++)
    g_string_append_printf (b, "%s ", (char *) k->want_missing->pdata[i]);
  if (!g_str_equal (a->str, b->str))
    g_error ("%s: missing [%s], the reference [%s]", k->what, a->str, b->str);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (p, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)));
  return json_node_copy (json_parser_get_root (p));
}

/* ---------------------------------------------------------------------------------------------
 * Expected values of one trade
 * ------------------------------------------------------------------------------------------- */

static void
check_signals (const char          *text,
               const CapsuleSeries *s,
               int64_t              entry,
               const char          *what)
{
  static const struct { const char *key; int minutes; } tfs[] = {
    { "1m", 1 }, { "5m", 5 }, { "15m", 15 }, { "1h", 60 }, { "daily", 0 },
  };
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GPtrArray) want_missing = g_ptr_array_new_with_free_func (g_free);
  Check k = { json_node_get_object (root), want_missing, what };

  for (size_t t = 0; t < G_N_ELEMENTS (tfs); t++)
    {
      g_auto(NSeries) ns = tfs[t].minutes ? naive_intraday (s, tfs[t].minutes, entry)
                                          : naive_daily (s, entry);
      g_autofree double *c = closes (&ns);
      g_autofree char *p_rsi = g_strconcat (tfs[t].key, ".rsi", NULL);
      g_autofree char *p_macd = g_strconcat (tfs[t].key, ".macd_hist", NULL);
      g_autofree char *p_cross = g_strconcat (tfs[t].key, ".ema_9_21_cross", NULL);
      g_autofree char *p_sq = g_strconcat (tfs[t].key, ".squeeze", NULL);
      g_autofree char *p_trend = g_strconcat (tfs[t].key, ".trend", NULL);
      g_autofree char *p_dist = g_strconcat (tfs[t].key, ".dist_from_200sma", NULL);

      check_number (&k, p_rsi, naive_rsi (c, ns.n));
      check_number (&k, p_macd, naive_macd_hist (c, ns.n));
      check_string (&k, p_cross, naive_ema_cross (c, ns.n));
      check_string (&k, p_sq, naive_squeeze (&ns));
      check_string (&k, p_trend, naive_trend (c, ns.n));
      check_number (&k, p_dist, naive_dist_200 (c, ns.n));
    }
  check_missing (&k);
}

/* The last close of @s at @entry: its latest minute or daily bar complete by then (a minute
 * at ts + 1 min, a daily bar at the next 00:00 UTC), with the day it belongs to. */
static gboolean
naive_last_price (const CapsuleSeries *s,
                  int64_t              entry,
                  double              *price,
                  int64_t             *day)
{
  int64_t best = G_MININT64;

  for (size_t i = 0; i < s->minutes->n && s->minutes->ts[i] + US_PER_MIN <= entry; i++)
    {
      best = s->minutes->ts[i] + US_PER_MIN;
      *price = s->minutes->close[i];
      *day = data->days[i / CAPSULE_MINUTES_PER_DAY];
    }
  if (s->daily != NULL)
    for (size_t i = 0; i < s->daily->n && s->daily->ts[i] + US_PER_DAY <= entry; i++)
      if (s->daily->ts[i] + US_PER_DAY > best)
        {
          best = s->daily->ts[i] + US_PER_DAY;
          *price = s->daily->close[i];
          *day = s->daily->ts[i] / US_PER_DAY;
        }
  return best != G_MININT64 && entry - best <= 5 * US_PER_DAY;
}

/* Percent change of the last price against the close of the last complete session of an
 * earlier day (at most 7 days earlier). */
static double
naive_pct_change (const CapsuleSeries *s,
                  int64_t              entry,
                  double              *price_out)
{
  g_auto(NSeries) daily = naive_daily (s, entry);
  double price = NAN;
  int64_t day = 0;

  *price_out = NAN;
  if (!naive_last_price (s, entry, &price, &day))
    return NAN;
  *price_out = price;
  for (size_t i = daily.n; i > 0; i--)
    {
      int64_t d = daily.b[i - 1].ts / US_PER_DAY;

      if (d < day)
        return d >= day - 7 ? 100 * (price - daily.b[i - 1].c) / daily.b[i - 1].c : NAN;
    }
  return NAN;
}

/* Pearson correlation of the last 30 daily returns over the days both series have. */
static double
naive_correlation (const CapsuleSeries *a,
                   const CapsuleSeries *b,
                   int64_t              entry)
{
  g_auto(NSeries) da = naive_daily (a, entry);
  g_auto(NSeries) db = naive_daily (b, entry);
  double ca[31], cb[31], ra[30], rb[30], ma = 0, mb = 0, cov = 0, va = 0, vb = 0;
  int k = 31;

  for (size_t i = da.n; i > 0 && k > 0; i--)
    for (size_t j = db.n; j > 0; j--)
      if (da.b[i - 1].ts / US_PER_DAY == db.b[j - 1].ts / US_PER_DAY)
        {
          k--;
          ca[k] = da.b[i - 1].c;
          cb[k] = db.b[j - 1].c;
          break;
        }
  if (k > 0)
    return NAN;
  for (int i = 0; i < 30; i++)
    {
      ra[i] = ca[i + 1] / ca[i] - 1;
      rb[i] = cb[i + 1] / cb[i] - 1;
      ma += ra[i] / 30;
      mb += rb[i] / 30;
    }
  for (int i = 0; i < 30; i++)
    {
      cov += (ra[i] - ma) * (rb[i] - mb) / 29;
      va += (ra[i] - ma) * (ra[i] - ma) / 29;
      vb += (rb[i] - mb) * (rb[i] - mb) / 29;
    }
  return cov / (sqrt (va) * sqrt (vb));
}

static void
check_regime (const char          *text,
              const CapsuleSeries *s,
              int64_t              entry,
              const char          *what)
{
  static const char *stocks[] = { "AAPL", "MSFT", "NVDA", "XOM", "JPM" };
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GPtrArray) want_missing = g_ptr_array_new_with_free_func (g_free);
  Check k = { json_node_get_object (root), want_missing, what };
  const CapsuleSeries *etf = capsule_data_series (data, s->sector_etf);
  double price, vix, etf_price, pct;
  int64_t day;
  int adv = 0, dec = 0;

  pct = naive_pct_change (capsule_data_series (data, "SPY"), entry, &price);
  check_number (&k, "spy.price", price);
  check_number (&k, "spy.pct_change", pct);
  if (!naive_last_price (capsule_data_series (data, "VIX"), entry, &vix, &day))
    vix = NAN;
  check_number (&k, "spy.vix", vix);
  check_string (&k, "sector.ticker", s->sector_etf);
  check_number (&k, "sector.pct_change", naive_pct_change (etf, entry, &etf_price));
  check_number (&k, "sector.correlation_30d", naive_correlation (s, etf, entry));
  for (size_t i = 0; i < G_N_ELEMENTS (stocks); i++)
    {
      double p, change = naive_pct_change (capsule_data_series (data, stocks[i]), entry, &p);

      g_assert_false (isnan (change));   /* every stock trades every day of the dataset */
      adv += change > 0;
      dec += change < 0;
    }
  check_number (&k, "market_internals.put_call_ratio", NAN);   /* no $CPC in the dataset */
  check_number (&k, "market_internals.advancers", adv);
  check_number (&k, "market_internals.decliners", dec);
  check_string (&k, "market_internals.ad_line",
                adv > dec ? "advancing" : dec > adv ? "declining" : "flat");
  check_missing (&k);
}

static void
check_book (const char          *text,
            const CapsuleSeries *s,
            const CapsuleOption *o,
            int64_t              entry,
            int                  day,
            const char          *what)
{
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GPtrArray) want_missing = g_ptr_array_new_with_free_func (g_free);
  Check k = { json_node_get_object (root), want_missing, what };
  const HsOptionQuote *oq = NULL;
  const HsQuote *q = NULL;
  const CapsuleBook *bk = NULL;
  double bid = NAN, ask = NAN, volume = 0;
  int64_t ts = G_MININT64;
  const char *source = NULL;

  if (o != NULL)
    for (guint i = 0; i < o->quotes->len; i++)
      {
        const HsOptionQuote *x = &g_array_index (o->quotes, HsOptionQuote, i);

        if (x->ts <= entry && entry - x->ts <= 900 * US_PER_S)
          oq = x;
      }
  else
    {
      for (guint i = 0; i < s->quotes->len; i++)
        {
          const HsQuote *x = &g_array_index (s->quotes, HsQuote, i);

          if (x->ts <= entry && entry - x->ts <= 300 * US_PER_S)
            q = x;
        }
      for (guint i = 0; s->books != NULL && i < s->books->len; i++)
        {
          const CapsuleBook *x = &g_array_index (s->books, CapsuleBook, i);

          if (x->ts <= entry && entry - x->ts <= 300 * US_PER_S)
            bk = x;
        }
    }
  /* The newest gives bid and ask; on a tie option quote, then book, then quote. */
  if (oq != NULL)
    bid = oq->bid, ask = oq->ask, ts = oq->ts, source = "option_quotes";
  if (bk != NULL && bk->ts > ts)
    bid = bk->bid[0], ask = bk->ask[0], ts = bk->ts, source = "orderbook_snapshots";
  if (q != NULL && q->ts > ts)
    bid = q->bid, ask = q->ask, ts = q->ts, source = "quotes";
  check_number (&k, "bid", bid);
  check_number (&k, "ask", ask);
  check_number (&k, "spread_pct", 100 * (ask - bid) / ((ask + bid) / 2));
  if (oq != NULL)
    volume = (double) oq->volume;
  else
    for (int m = 0; m < CAPSULE_MINUTES_PER_DAY; m++)
      {
        size_t i = (size_t) day * CAPSULE_MINUTES_PER_DAY + (size_t) m;

        if (s->minutes->ts[i] + US_PER_MIN <= entry)
          volume += s->minutes->volume[i];
      }
  check_number (&k, "volume", volume);
  check_number (&k, "open_interest", oq ? (double) oq->open_interest : NAN);
  check_number (&k, "iv", oq ? oq->iv : NAN);
  check_number (&k, "greeks.delta", oq ? oq->delta : NAN);
  check_number (&k, "greeks.gamma", oq ? oq->gamma : NAN);
  check_number (&k, "greeks.theta", oq ? oq->theta : NAN);
  check_number (&k, "greeks.vega", oq ? oq->vega : NAN);
  if (source != NULL)
    {
      g_autofree char *iso = hs_time_format_iso (ts);

      g_assert_cmpstr (json_object_get_string_member (k.root, "source"), ==, source);
      g_assert_cmpstr (json_object_get_string_member (k.root, "ts"), ==, iso);
    }
  check_missing (&k);
}

static int64_t
instrument_of (const char *symbol)
{
  g_autoptr(GError) error = NULL;
  int64_t id = 0;

  g_assert_true (hs_store_find_symbol (store, symbol, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
collect (const CapsuleTrade *t,
         HsTradeContext     *ctx)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_context_collect (store, instrument_of (t->symbol), t->entry_ts, ctx, &error));
  g_assert_no_error (error);
}

/* Every trade of the dataset, every value against the reference. */
static void
test_all_trades (void)
{
  int on_minute = 0, early = 0, options = 0, firing = 0;

  for (guint i = 0; i < data->trades->len; i++)
    {
      const CapsuleTrade *t = &g_array_index (data->trades, CapsuleTrade, i);
      const CapsuleOption *o = capsule_data_option (data, t->symbol);
      const CapsuleSeries *s = capsule_data_series (data, o ? o->underlying : t->symbol);
      g_auto(HsTradeContext) ctx = { NULL };
      g_autofree char *what = NULL, *iso = hs_time_format_iso (t->entry_ts);

      what = g_strdup_printf ("trade %u (%s at %s)", i, t->symbol, iso);
      collect (t, &ctx);
      check_signals (ctx.signals_snapshot, s, t->entry_ts, what);
      check_regime (ctx.market_regime, s, t->entry_ts, what);
      check_book (ctx.order_book_state, s, o, t->entry_ts, t->day, what);
      on_minute += t->entry_ts % US_PER_MIN == 0;
      early += t->entry_ts - data->open_ts[t->day] < 15 * US_PER_MIN;
      options += o != NULL;
      firing += strstr (ctx.signals_snapshot, "\"firing\"") != NULL;
    }
  /* The cases the dataset is meant to cover did occur. */
  g_test_message ("%d entries on a minute boundary, %d in the first 15 minutes, %d on options, "
                  "%d with a firing squeeze", on_minute, early, options, firing);
  g_assert_cmpint (on_minute, >, 50);
  g_assert_cmpint (early, >, 5);
  g_assert_cmpint (options, ==, 20);
  g_assert_cmpint (firing, >, 0);
}

/* Runs @sql (with ?1 = @entry) on the store's connection. */
static void
exec_at (const char *sql,
         int64_t     entry)
{
  sqlite3 *db = hs_store_get_db (store);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_bind_int64 (stmt, 1, entry);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
}

/* Bars not complete at the entry, quotes after it, and everything appended after it, changed:
 * the context must not move by a byte. A change to the last completed minute must show. */
static void
test_look_ahead (void)
{
  guint picks[] = { 0, 17, 123, 250, 333, 499 };
  gboolean option_seen = FALSE;

  for (guint p = 0; p < G_N_ELEMENTS (picks) + 1; p++)
    {
      const CapsuleTrade *t = NULL;
      g_auto(HsTradeContext) before = { NULL };
      g_auto(HsTradeContext) after = { NULL };
      g_auto(HsTradeContext) touched = { NULL };
      g_autoptr(GError) error = NULL;

      if (p < G_N_ELEMENTS (picks))
        t = &g_array_index (data->trades, CapsuleTrade, picks[p]);
      else
        for (guint i = 0; i < data->trades->len && t == NULL; i++)
          if (capsule_data_option (data, g_array_index (data->trades, CapsuleTrade, i).symbol))
            t = &g_array_index (data->trades, CapsuleTrade, i);
      g_assert (t != NULL);
      option_seen |= capsule_data_option (data, t->symbol) != NULL;
      collect (t, &before);

      g_assert_true (hs_store_begin (store, &error));
      exec_at ("UPDATE candles SET open = open * 1.5, high = high * 1.6, low = low * 1.4, "
               "close = close * 1.5, volume = volume + 777 WHERE ts + CASE interval "
               "WHEN '1m' THEN 60000000 WHEN '1d' THEN 86400000000 END > ?1", t->entry_ts);
      /* Later bars (60 days on), a stored 5m series starting inside the entry's minute, a
       * quote, a book and an option quote after the entry. */
      exec_at ("INSERT INTO candles SELECT instrument_id, interval, ts + 60 * 86400000000, seq, "
               "open * 3, high * 3, low * 3, close * 3, volume * 2, vwap, trade_count "
               "FROM candles WHERE ts > ?1", t->entry_ts);
      exec_at ("INSERT INTO candles (instrument_id, interval, ts, open, high, low, close, volume) "
               "SELECT instrument_id, '5m', ts, open, high, low, close, volume FROM candles "
               "WHERE interval = '1m' AND ts > ?1 - 60000000", t->entry_ts);
      exec_at ("UPDATE quotes SET bid = bid * 0.5, ask = ask * 2 WHERE ts > ?1", t->entry_ts);
      exec_at ("INSERT INTO quotes (instrument_id, ts, bid, ask) SELECT id, ?1 + 1, 1, "
               "1000 FROM instruments WHERE kind = 'stock'", t->entry_ts);
      exec_at ("UPDATE orderbook_snapshots SET best_bid = best_bid * 0.5 WHERE ts > ?1",
               t->entry_ts);
      exec_at ("UPDATE option_quotes SET iv = iv * 2, delta = delta / 2, volume = volume + 5, "
               "bid = bid + 1, ask = ask + 2 WHERE ts > ?1", t->entry_ts);
      collect (t, &after);
      g_assert_cmpstr (after.signals_snapshot, ==, before.signals_snapshot);
      g_assert_cmpstr (after.market_regime, ==, before.market_regime);
      g_assert_cmpstr (after.order_book_state, ==, before.order_book_state);

      /* The control: the last minute completed before the entry does count. */
      exec_at ("UPDATE candles SET close = close * 1.01, high = high * 1.01 WHERE interval = '1m' "
               "AND ts = (SELECT max(ts) FROM candles WHERE interval = '1m' "
               "AND ts + 60000000 <= ?1)", t->entry_ts);
      collect (t, &touched);
      g_assert_cmpstr (touched.signals_snapshot, !=, before.signals_snapshot);
      g_assert_cmpstr (touched.market_regime, !=, before.market_regime);
      hs_store_rollback (store);
    }
  g_assert_true (option_seen);
}

/* ---------------------------------------------------------------------------------------------
 * Small cases on their own databases
 * ------------------------------------------------------------------------------------------- */

static HsStore *
fresh_store (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  HsStore *s = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return s;
}

/* Twenty minutes of a stock and nothing else: only the 1m RSI can be computed; every other
 * value is missing, by name. The texts are written out by hand. */
static void
test_missing (void)
{
  g_autoptr(HsStore) s = fresh_store ("missing.db");
  g_autoptr(GError) error = NULL;
  g_auto(HsTradeContext) ctx = { NULL };
  g_autoptr(JsonNode) root = NULL;
  int64_t id = 0, start = 0, entry, n_inserted = 0;
  HsBar bars[20];

  g_assert_true (hs_time_parse ("2024-03-05T14:30:00Z", NULL, &start, &error));   /* 09:30 EST */
  for (int i = 0; i < 20; i++)
    bars[i] = (HsBar) { start + i * US_PER_MIN, 0, 100 + i % 3, 102 + i % 3, 99 + i % 3,
                        100 + i % 3 + 0.25 * (i * 7 % 5), 100, NAN, -1 };
  g_assert_true (hs_store_ensure_instrument (s, "AAA", NULL, "stock", &id, &error));
  g_assert_true (hs_store_insert_bars (s, id, "1m", bars, 20, &n_inserted, &error));
  g_assert_cmpint (n_inserted, ==, 20);
  g_assert_no_error (error);
  entry = start + 20 * US_PER_MIN + 30 * US_PER_S;   /* 14:50:30: all 20 minutes complete */
  g_assert_true (hs_context_collect (s, id, entry, &ctx, &error));
  g_assert_no_error (error);

  root = parse (ctx.signals_snapshot);
  g_assert_true (json_object_has_member (json_object_get_object_member (
    json_node_get_object (root), "1m"), "rsi"));
  {
    /* Everything after "rsi" of 1m: 4 5m bars, 1 15m bar, no 1h or daily bar. */
    const char *want = "\"missing\":[\"1m.macd_hist\",\"1m.ema_9_21_cross\",\"1m.squeeze\","
      "\"1m.trend\",\"1m.dist_from_200sma\",\"5m.rsi\",\"5m.macd_hist\",\"5m.ema_9_21_cross\","
      "\"5m.squeeze\",\"5m.trend\",\"5m.dist_from_200sma\",\"15m.rsi\",\"15m.macd_hist\","
      "\"15m.ema_9_21_cross\",\"15m.squeeze\",\"15m.trend\",\"15m.dist_from_200sma\",\"1h.rsi\","
      "\"1h.macd_hist\",\"1h.ema_9_21_cross\",\"1h.squeeze\",\"1h.trend\","
      "\"1h.dist_from_200sma\",\"daily.rsi\",\"daily.macd_hist\",\"daily.ema_9_21_cross\","
      "\"daily.squeeze\",\"daily.trend\",\"daily.dist_from_200sma\"]}";

    g_assert_true (g_str_has_suffix (ctx.signals_snapshot, want));
    g_assert_true (g_str_has_prefix (ctx.signals_snapshot, "{\"1m\":{\"rsi\":"));
  }
  g_assert_cmpstr (ctx.market_regime, ==,
                   "{\"spy\":{},\"sector\":{},\"market_internals\":{},\"missing\":[\"spy.price\","
                   "\"spy.pct_change\",\"spy.vix\",\"sector.ticker\",\"sector.pct_change\","
                   "\"sector.correlation_30d\",\"market_internals.put_call_ratio\","
                   "\"market_internals.advancers\",\"market_internals.decliners\","
                   "\"market_internals.ad_line\"]}");
  /* volume: 20 minutes × 100 shares. */
  g_assert_cmpstr (ctx.order_book_state, ==,
                   "{\"volume\":2000,\"greeks\":{},\"missing\":[\"bid\",\"ask\",\"spread_pct\","
                   "\"open_interest\",\"iv\",\"greeks.delta\",\"greeks.gamma\",\"greeks.theta\","
                   "\"greeks.vega\"]}");

  /* A stale quote (6 minutes before) is not used; a fresh one is. */
  {
    HsQuote q = { entry - 6 * US_PER_MIN, 100.0, 100.1, NAN, NAN };
    g_auto(HsTradeContext) c2 = { NULL };
    g_auto(HsTradeContext) c3 = { NULL };

    g_assert_true (hs_store_insert_quote (s, id, &q, NULL, &error));
    g_assert_true (hs_context_collect (s, id, entry, &c2, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (c2.order_book_state, ==, ctx.order_book_state);
    q.ts = entry;   /* at the entry counts: "at or before" */
    g_assert_true (hs_store_insert_quote (s, id, &q, NULL, &error));
    g_assert_true (hs_context_collect (s, id, entry, &c3, &error));
    /* spread 0.1 of mid 100.05 = 0.0999500249875062 %. */
    g_assert_true (g_str_has_prefix (c3.order_book_state,
                                     "{\"bid\":100,\"ask\":100.1,\"spread_pct\":0.0999500249875"));
    g_assert_nonnull (strstr (c3.order_book_state,
                              "\"source\":\"quotes\",\"ts\":\"2024-03-05T14:50:30Z\""));
  }

  /* An unknown instrument is an error, not an empty context. */
  {
    g_auto(HsTradeContext) c4 = { NULL };

    g_assert_false (hs_context_collect (s, 999, entry, &c4, &error));
    g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  }
}

static void
test_sectors (void)
{
  g_autoptr(HsStore) s = fresh_store ("sectors.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *etf = NULL;
  gboolean known = FALSE;
  /* The eleven S&P 500 Select Sector SPDRs, by ticker. */
  static const char *seeded[] = { "XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE",
                                  "XLU", "XLV", "XLY" };

  list = hs_store_list_sectors (s, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 11);
  for (guint i = 0; i < list->len; i++)
    {
      HsSectorEtf *e = list->pdata[i];

      g_assert_cmpstr (e->etf, ==, seeded[i]);
      g_assert_null (e->symbols[0]);
    }
  g_assert_cmpstr (((HsSectorEtf *) list->pdata[5])->sector, ==, "Information Technology");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (hs_store_set_symbol_sector (s, "NVDA", "XLK", NULL, &error));
  g_assert_true (hs_store_set_symbol_sector (s, "AAPL", "XLK", NULL, &error));
  g_assert_true (hs_store_set_symbol_sector (s, "XOM", "XLK", NULL, &error));
  g_assert_true (hs_store_set_symbol_sector (s, "XOM", "XLE", NULL, &error));   /* replaces */
  g_assert_no_error (error);
  g_assert_true (hs_store_lookup_sector_etf (s, "XOM", &etf, &error));
  g_assert_cmpstr (etf, ==, "XLE");
  g_clear_pointer (&etf, g_free);
  list = hs_store_list_sectors (s, &error);
  g_assert_cmpstr (((HsSectorEtf *) list->pdata[5])->symbols[0], ==, "AAPL");
  g_assert_cmpstr (((HsSectorEtf *) list->pdata[5])->symbols[1], ==, "NVDA");
  g_assert_null (((HsSectorEtf *) list->pdata[5])->symbols[2]);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* An ETF that is not a sector ETF needs its sector's name, and is then added. */
  g_assert_false (hs_store_set_symbol_sector (s, "AMD", "SMH", NULL, &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (hs_store_is_sector_etf (s, "SMH", &known, &error));
  g_assert_false (known);
  g_assert_true (hs_store_set_symbol_sector (s, "AMD", "SMH", "Semiconductors", &error));
  g_assert_true (hs_store_is_sector_etf (s, "SMH", &known, &error));
  g_assert_true (known);
  g_assert_no_error (error);

  g_assert_true (hs_store_remove_symbol_sector (s, "NVDA", &error));
  g_assert_true (hs_store_lookup_sector_etf (s, "NVDA", &etf, &error));
  g_assert_null (etf);
  g_assert_false (hs_store_remove_symbol_sector (s, "NVDA", &error));
  g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The table's own rules: a symbol of 65 characters is refused, and nothing changes. */
  {
    g_autofree char *longname = g_strnfill (65, 'A');

    g_assert_false (hs_store_set_symbol_sector (s, longname, "XLK", NULL, &error));
    g_assert_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }
  list = hs_store_list_sectors (s, &error);
  g_assert_cmpuint (list->len, ==, 12);
  g_assert_cmpstr (((HsSectorEtf *) list->pdata[0])->etf, ==, "SMH");
  g_assert_cmpstr (((HsSectorEtf *) list->pdata[0])->symbols[0], ==, "AMD");
}

/* Hand-computed cases of the pure functions. */
static void
test_calc (void)
{
  const double x[] = { 1, 2, 3, 4 }, y[] = { 2, 4, 5, 4 };
  const int64_t da[] = { 1, 2, 3, 5, 6 }, db[] = { 2, 3, 4, 5, 6 };
  const double ca[] = { 10, 11, 12, 13, 14 }, cb[] = { 20, 21, 19, 22, 24 };

  /* 100 × (502.5 − 500) / 500 */
  g_assert_cmpfloat_with_epsilon (hs_context_pct_change (502.5, 500), 0.5, 1e-12);
  g_assert_true (isnan (hs_context_pct_change (1, 0)));
  /* 100 × 0.1 / 4.55 */
  g_assert_cmpfloat_with_epsilon (hs_context_spread_pct (4.5, 4.6), 2.197802197802198, 1e-12);
  g_assert_true (isnan (hs_context_spread_pct (4.6, 4.5)));
  g_assert_true (isnan (hs_context_spread_pct (0, 0)));
  /* Σdxdy = 3.5, Σdx² = 5, Σdy² = 4.75: 3.5 / √23.75 */
  g_assert_cmpfloat_with_epsilon (hs_context_correlation (x, y, 4), 0.7181848464596079, 1e-12);
  g_assert_true (isnan (hs_context_correlation (x, x, 1)));
  /* Common days 2, 3, 5, 6: closes a 11 12 13 14, b 20 21 22 24; the 3 returns
   * a: 1/11, 1/12, 1/13; b: 1/20, 1/21, 2/22. */
  {
    double ra[] = { 1.0 / 11, 1.0 / 12, 1.0 / 13 }, rb[] = { 1.0 / 20, 1.0 / 21, 2.0 / 22 };

    g_assert_cmpfloat_with_epsilon (hs_context_return_correlation (da, ca, 5, db, cb, 5, 3),
                                    hs_context_correlation (ra, rb, 3), 1e-15);
    g_assert_true (isnan (hs_context_return_correlation (da, ca, 5, db, cb, 5, 4)));
  }
  /* A quiet series (bands inside the channel: squeeze on) that jumps at its last bar from
   * 100.1 to 106: 2σ of the last 20 closes ≈ 2.6 > 1.5 ATR ≈ 1.9, so the bands leave the
   * channel there: "firing" (on at the bar before, off at the last). */
  {
    g_autoptr(HsBars) b = hs_bars_new (40, 60);
    HsTfSignals sig;

    for (size_t i = 0; i < 40; i++)
      {
        b->ts[i] = (int64_t) i * 60000000;
        b->close[i] = i == 39 ? 106 : (i % 2 ? 100.1 : 100);
        b->open[i] = b->close[i];
        b->high[i] = b->close[i] + 0.5;
        b->low[i] = b->close[i] - 0.5;
        b->volume[i] = 1;
        b->vwap[i] = NAN;
      }
    hs_context_tf_signals (b, &sig);
    g_assert_cmpint (sig.squeeze, ==, HS_SQUEEZE_FIRING);
    g_assert_cmpint (sig.ema_9_21_cross, ==, HS_CONTEXT_STATE_BULLISH);
    g_assert_cmpint (sig.trend, ==, HS_CONTEXT_STATE_UNKNOWN);   /* 40 < 55 bars */
    g_assert_true (isnan (sig.dist_from_200sma));
    b->n = 39;   /* without the jump: still inside */
    hs_context_tf_signals (b, &sig);
    g_assert_cmpint (sig.squeeze, ==, HS_SQUEEZE_ON);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-context-XXXXXX", &error);
  g_assert_no_error (error);
  data = capsule_data_new (5);
  g_assert_true (capsule_data_write (data, tmpdir, &error));
  g_assert_no_error (error);
  db = g_build_filename (tmpdir, "capsule.db", NULL);
  store = hs_store_open (db, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (capsule_data_load (data, store, &error));
  g_assert_no_error (error);

  g_test_add_func ("/hs/jobs/context/calc", test_calc);
  g_test_add_func ("/hs/jobs/context/sectors", test_sectors);
  g_test_add_func ("/hs/jobs/context/missing", test_missing);
  g_test_add_func ("/hs/jobs/context/all-trades", test_all_trades);
  g_test_add_func ("/hs/jobs/context/look-ahead", test_look_ahead);
  status = g_test_run ();

  hs_store_close (store);
  capsule_data_free (data);
  capsule_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
