/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Indicator kernels: moving averages, oscillators, bands, ranges, pivots, session VWAP, CVD,
 * book imbalance and the squeeze, each a single O(n) pass over caller-owned columns. The
 * expression evaluator and the backtester call them on every series they compute, so inputs run
 * from a few hundred daily bars to tens of millions of ticks; the moving averages aim at 200
 * million values per second per core (tests/bench/bench-indicators.c).
 *
 * Gaps. A non-finite input (NAN or ±∞; for several inputs, any of them) is a gap: the output at
 * that bar is NAN, and every kernel computes each maximal run of finite bars as a series of its
 * own, with its own warm-up. For a window kernel this is exactly "NAN while the window holds a
 * gap"; a recursive kernel (EMA, RSI, ATR, MACD) restarts after a gap, seeded again. The
 * cumulative kernels (VWAP, CVD) instead skip the gap bar and carry on. docs/indicators.md has the
 * definitions, warm-up lengths and references.
 *
 * Accuracy. A running sum that adds the entering value and subtracts the leaving one loses a few
 * units in the last place per step; over millions of bars, or after a huge value has passed
 * through the window, that could reach digits a user sees. Every running window sum is therefore
 * summed afresh from its window every MAX (RESUM_EVERY, period) bars and whenever the values it
 * went through dwarf the window's (WinSum); the running sum of squared deviations of the
 * Bollinger bands likewise (Bands). Cumulative sums are compensated (Neumaier).
 */
#define G_LOG_DOMAIN "hs-indicators"

#include "config.h"

#include "hs-indicators.h"

#include <math.h>

#define RESUM_EVERY 1024

/* ---- shared pieces --------------------------------------------------------------------- */

static inline size_t
resum_every (size_t p)
{
  return MAX (RESUM_EVERY, p);
}

/* The end of the run of finite values that starts at @i (the first index >= i that is not
 * finite, or @n). Optional second and third inputs must be finite too. */
static inline size_t
run_end (const double *a,
         const double *b,
         const double *c,
         size_t        i,
         size_t        n)
{
  if (b == NULL)
    {
      while (i < n && isfinite (a[i]))
        i++;
    }
  else if (c == NULL)
    {
      while (i < n && isfinite (a[i]) && isfinite (b[i]))
        i++;
    }
  else
    {
      while (i < n && isfinite (a[i]) && isfinite (b[i]) && isfinite (c[i]))
        i++;
    }
  return i;
}

static inline void
set_nan (double *out,
         size_t  from,
         size_t  to)
{
  if (out == NULL)
    return;
  for (size_t i = from; i < to; i++)
    out[i] = NAN;
}

/* Plain left-to-right sum, the same order as the first value of every running sum. */
static inline double
window_sum (const double *x,
            size_t        p)
{
  double s = 0.0;

  for (size_t i = 0; i < p; i++)
    s += x[i];
  return s;
}

static inline double
window_abs_sum (const double *x,
                size_t        p)
{
  double s = 0.0;

  for (size_t i = 0; i < p; i++)
    s += fabs (x[i]);
  return s;
}

/* The running sum of a sliding window of @p values of a run @x, for bars j = p − 1, p, … in
 * turn. Each step adds the entering value and subtracts the leaving one, which errs by about
 * 2^-53 of the running sum's size; so the sum is summed afresh from the window at the first bar,
 * every resum_every (p) bars, and as soon as the sizes it went through (flow = Σ |sum| since the
 * last fresh sum) exceed 2 × resum_every (p) times the window's Σ |x|, which ordinary data never
 * do within a block: that bounds the error by about 2^-41 Σ |x| (for p <= 1024). It happens when
 * large values left the window (a jump, a bad tick); a trigger needs that much flow, so it costs
 * O(p) at most about once per p bars and the pass stays O(n). The order of all additions depends
 * on the data only, so every kernel built on it (SMA, Bollinger middle band) gives the same sums
 * bit for bit. */
typedef struct
{
  const double *x;
  size_t        p;
  size_t        every;
  size_t        next_fresh;
  double        limit;  /* flow / asum that triggers a fresh sum: 2 × every */
  double        sum;
  double        asum;   /* Σ |x| over the window */
  double        flow;
} WinSum;

static inline void
winsum_init (WinSum       *w,
             const double *x,
             size_t        p)
{
  w->x = x;
  w->p = p;
  w->every = resum_every (p);
  w->next_fresh = p - 1;
  w->limit = 2.0 * (double) w->every;
  w->sum = w->asum = w->flow = 0.0;
}

/* Moves to bar @j; returns TRUE when the sum was summed afresh. */
static inline gboolean
winsum_step (WinSum *w,
             size_t  j)
{
  const double *x = w->x;

  if (j != w->next_fresh)
    {
      double xn = x[j];
      double xo = x[j - w->p];

      w->sum += xn - xo;
      w->asum += fabs (xn) - fabs (xo);
      w->flow += fabs (w->sum);
      if (G_LIKELY (w->flow <= w->asum * w->limit))
        return FALSE;
    }
  w->sum = window_sum (x + j + 1 - w->p, w->p);
  w->asum = window_abs_sum (x + j + 1 - w->p, w->p);
  w->flow = 0.0;
  w->next_fresh = j + w->every;
  return TRUE;
}

/* Neumaier's compensated sum: the value is sum + comp. */
typedef struct
{
  double sum;
  double comp;
} CSum;

static inline void
csum_add (CSum   *s,
          double  v)
{
  double t = s->sum + v;

  if (fabs (s->sum) >= fabs (v))
    s->comp += (s->sum - t) + v;
  else
    s->comp += (v - t) + s->sum;
  s->sum = t;
}

static inline double
csum_value (const CSum *s)
{
  return s->sum + s->comp;
}

/* Monotonic deque of indices for the maximum (or minimum) of a sliding window: a ring of @cap
 * slots; the front holds the index of the extreme, values behind it strictly decrease (for the
 * maximum). Each index enters and leaves once, so a pass is O(n). */
typedef struct
{
  size_t *idx;
  size_t  cap;
  size_t  head;
  size_t  count;
} Deque;

static inline void
deque_init (Deque  *d,
            size_t *storage,
            size_t  cap)
{
  d->idx = storage;
  d->cap = cap;
  d->head = 0;
  d->count = 0;
}

static inline void
deque_clear (Deque *d)
{
  d->head = 0;
  d->count = 0;
}

/* Adds index @i (values in @x) to a window of the last @window indices. */
static inline void
deque_push (Deque        *d,
            const double *x,
            size_t        i,
            size_t        window,
            gboolean      want_max)
{
  size_t slot;

  if (d->count > 0 && d->idx[d->head] + window <= i)
    {
      d->head = d->head + 1 == d->cap ? 0 : d->head + 1;
      d->count--;
    }
  while (d->count > 0)
    {
      size_t back = d->head + d->count - 1;
      double v;

      if (back >= d->cap)
        back -= d->cap;
      v = x[d->idx[back]];
      if (want_max ? v <= x[i] : v >= x[i])
        d->count--;
      else
        break;
    }
  slot = d->head + d->count;
  if (slot >= d->cap)
    slot -= d->cap;
  d->idx[slot] = i;
  d->count++;
}

static inline double
deque_front (const Deque  *d,
             const double *x)
{
  return x[d->idx[d->head]];
}

/* Streaming EMA: seeded with the mean of the first @period values it is given, then
 * value += alpha × (v − value). ema_push returns NAN until seeded. */
typedef struct
{
  size_t p;
  double alpha;
  size_t count;
  double sum;
  double value;
} Ema;

static inline void
ema_init (Ema    *e,
          size_t  p,
          double  alpha)
{
  e->p = p;
  e->alpha = alpha;
  e->count = 0;
  e->sum = 0.0;
  e->value = NAN;
}

static inline void
ema_clear (Ema *e)
{
  e->count = 0;
  e->sum = 0.0;
  e->value = NAN;
}

static inline double
ema_push (Ema    *e,
          double  v)
{
  if (e->count >= e->p)
    {
      e->value += e->alpha * (v - e->value);
      return e->value;
    }
  e->sum += v;
  if (++e->count < e->p)
    return NAN;
  e->value = e->sum / (double) e->p;
  return e->value;
}

/* Streaming SMA over a ring of the last @p values, summed afresh every resum_every (p) bars. It
 * serves the stochastic's smoothing, whose values (0 … 100) cannot swing far. */
typedef struct
{
  double *buf;
  size_t  p;
  size_t  count;
  size_t  pos;
  size_t  since;
  double  sum;
} Ring;

static inline void
ring_init (Ring   *r,
           double *storage,
           size_t  p)
{
  r->buf = storage;
  r->p = p;
  r->count = 0;
  r->pos = 0;
  r->since = 0;
  r->sum = 0.0;
}

static inline void
ring_clear (Ring *r)
{
  r->count = 0;
  r->pos = 0;
  r->since = 0;
  r->sum = 0.0;
}

static inline double
ring_push (Ring   *r,
           double  v)
{
  double old;

  if (r->count < r->p)
    {
      r->buf[r->count++] = v;
      if (r->count < r->p)
        return NAN;
      r->sum = window_sum (r->buf, r->p);
      r->pos = 0;
      r->since = 1;
      return r->sum / (double) r->p;
    }
  old = r->buf[r->pos];
  r->buf[r->pos] = v;
  r->pos = r->pos + 1 == r->p ? 0 : r->pos + 1;
  if (r->since == resum_every (r->p))
    {
      /* Oldest first: the ring starts at pos. */
      double s = 0.0;

      for (size_t k = r->pos; k < r->p; k++)
        s += r->buf[k];
      for (size_t k = 0; k < r->pos; k++)
        s += r->buf[k];
      r->sum = s;
      r->since = 1;
    }
  else
    {
      r->sum += v - old;
      r->since++;
    }
  return r->sum / (double) r->p;
}

/* ---- SMA, EMA, WMA ---------------------------------------------------------------------- */

/* One run of finite values. */
static void
sma_run (const double *x,
         size_t        len,
         size_t        p,
         double       *out)
{
  const double dp = (double) p;
  WinSum w;

  set_nan (out, 0, MIN (len, p - 1));
  winsum_init (&w, x, p);
  for (size_t j = p - 1; j < len; j++)
    {
      winsum_step (&w, j);
      out[j] = w.sum / dp;
    }
}

/**
 * hs_sma:
 * @x: input, @n values
 * @period: window length, >= 1
 * @out: (out caller-allocates): @n values; out[i] = mean (x[i − period + 1 … i])
 *
 * Simple moving average; NAN for the first @period − 1 bars of each run of finite inputs.
 * @out must not overlap @x.
 */
void
hs_sma (const double *x,
        size_t        n,
        int           period,
        double       *out)
{
  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (x, NULL, NULL, i, n);

      if (end == i)
        {
          out[i++] = NAN;
          continue;
        }
      sma_run (x + i, end - i, (size_t) period, out + i);
      i = end;
    }
}

static void
ema_run (const double *x,
         size_t        len,
         size_t        p,
         double        alpha,
         double       *out)
{
  double value;

  if (len < p)
    {
      set_nan (out, 0, len);
      return;
    }
  /* Read the seed before writing the warm-up, so that out may be x. */
  value = window_sum (x, p) / (double) p;
  set_nan (out, 0, p - 1);
  out[p - 1] = value;
  for (size_t i = p; i < len; i++)
    {
      value += alpha * (x[i] - value);
      out[i] = value;
    }
}

/**
 * hs_ema:
 * @x: input, @n values
 * @period: >= 1
 * @out: (out caller-allocates): @n values
 *
 * Exponential moving average, alpha = 2 / (period + 1): the first value (bar period − 1 of a
 * run) is the SMA of the first @period values, then value += alpha × (x − value).
 * @out may be @x (the update reads x[i] before writing out[i]).
 */
void
hs_ema (const double *x,
        size_t        n,
        int           period,
        double       *out)
{
  double alpha;

  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  alpha = 2.0 / ((double) period + 1.0);
  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (x, NULL, NULL, i, n);

      if (end == i)
        {
          out[i++] = NAN;
          continue;
        }
      ema_run (x + i, end - i, (size_t) period, alpha, out + i);
      i = end;
    }
}

/* Weighted sum W = Σ k·x[i − p + k] (k = 1 … p) and plain sum S of the window; moving on one bar
 * adds p·x_new and drops the old window's S: W' = W + p·x_new − S, S' = S + x_new − x_old. */
static void
wma_run (const double *x,
         size_t        len,
         size_t        p,
         double       *out)
{
  const double dp = (double) p;
  const double denom = dp * (dp + 1.0) / 2.0;
  double ws = 0.0;
  WinSum w;

  set_nan (out, 0, MIN (len, p - 1));
  winsum_init (&w, x, p);
  for (size_t j = p - 1; j < len; j++)
    {
      double s_old = w.sum;

      /* W follows S: summed afresh together (the same flow bounds both errors). */
      if (winsum_step (&w, j))
        {
          const double *win = x + j + 1 - p;

          ws = 0.0;
          for (size_t k = 0; k < p; k++)
            ws += (double) (k + 1) * win[k];
        }
      else
        ws += dp * x[j] - s_old;
      out[j] = ws / denom;
    }
}

/**
 * hs_wma:
 * @x: input, @n values
 * @period: >= 1
 * @out: (out caller-allocates): @n values; must not overlap @x
 *
 * Linearly weighted moving average: Σ k·x[i − period + k] / (period (period + 1) / 2) for
 * k = 1 … period, the newest bar weighing @period.
 */
void
hs_wma (const double *x,
        size_t        n,
        int           period,
        double       *out)
{
  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (x, NULL, NULL, i, n);

      if (end == i)
        {
          out[i++] = NAN;
          continue;
        }
      wma_run (x + i, end - i, (size_t) period, out + i);
      i = end;
    }
}

/* ---- RSI -------------------------------------------------------------------------------- */

/* RSI from the two averages; 100 when there were only gains, 50 when the averages are both 0
 * (no change at all over the averaging), which the usual formula leaves undefined. */
static inline double
rsi_value (double gain,
           double loss)
{
  if (loss == 0.0)
    return gain == 0.0 ? 50.0 : 100.0;
  return 100.0 - 100.0 / (1.0 + gain / loss);
}

static void
rsi_run (const double *x,
         size_t        len,
         size_t        p,
         double       *out)
{
  const double alpha = 1.0 / (double) p;
  double gain = 0.0;
  double loss = 0.0;

  if (len <= p)
    {
      set_nan (out, 0, len);
      return;
    }
  set_nan (out, 0, p);
  /* The first averages are the plain means of the first p changes. */
  for (size_t i = 1; i <= p; i++)
    {
      double ch = x[i] - x[i - 1];

      if (ch > 0)
        gain += ch;
      else
        loss -= ch;
    }
  gain /= (double) p;
  loss /= (double) p;
  out[p] = rsi_value (gain, loss);
  for (size_t i = p + 1; i < len; i++)
    {
      double ch = x[i] - x[i - 1];
      double g = ch > 0 ? ch : 0.0;
      double l = ch < 0 ? -ch : 0.0;

      gain += alpha * (g - gain);
      loss += alpha * (l - loss);
      out[i] = rsi_value (gain, loss);
    }
}

/**
 * hs_rsi:
 * @x: input, @n values
 * @period: >= 1
 * @out: (out caller-allocates): @n values; must not overlap @x
 *
 * Wilder's RSI: changes c = x[i] − x[i − 1], gains max (c, 0), losses max (−c, 0); the first
 * averages (bar @period of a run) are the means of the first @period gains and losses, then
 * avg += (1 / period) × (value − avg). RSI = 100 − 100 / (1 + avg_gain / avg_loss); 100 when
 * avg_loss is 0, 50 when both are 0. NAN for the first @period bars of a run.
 */
void
hs_rsi (const double *x,
        size_t        n,
        int           period,
        double       *out)
{
  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (x, NULL, NULL, i, n);

      if (end == i)
        {
          out[i++] = NAN;
          continue;
        }
      rsi_run (x + i, end - i, (size_t) period, out + i);
      i = end;
    }
}

/* ---- MACD ------------------------------------------------------------------------------- */

/**
 * hs_macd:
 * @x: input, @n values
 * @fast: fast EMA period, >= 1
 * @slow: slow EMA period, >= 1
 * @signal: signal EMA period, >= 1
 * @line: (out caller-allocates) (nullable): EMA(fast) − EMA(slow)
 * @signal_out: (out caller-allocates) (nullable): EMA(signal) of the line, seeded with the SMA of
 *   the line's first @signal values
 * @hist: (out caller-allocates) (nullable): line − signal
 *
 * The EMAs are those of hs_ema. The line is defined from bar max (fast, slow) − 1 of a run, the
 * signal and histogram from bar max (fast, slow) + signal − 2.
 */
void
hs_macd (const double *x,
         size_t        n,
         int           fast,
         int           slow,
         int           signal,
         double       *line,
         double       *signal_out,
         double       *hist)
{
  Ema ef, es, eg;

  g_return_if_fail (fast >= 1 && slow >= 1 && signal >= 1);
  g_return_if_fail (n == 0 || x != NULL);

  ema_init (&ef, (size_t) fast, 2.0 / ((double) fast + 1.0));
  ema_init (&es, (size_t) slow, 2.0 / ((double) slow + 1.0));
  ema_init (&eg, (size_t) signal, 2.0 / ((double) signal + 1.0));
  for (size_t i = 0; i < n; i++)
    {
      double v = x[i];
      double f, s, l, g;

      if (!isfinite (v))
        {
          ema_clear (&ef);
          ema_clear (&es);
          ema_clear (&eg);
          l = g = NAN;
        }
      else
        {
          f = ema_push (&ef, v);
          s = ema_push (&es, v);
          l = f - s;
          g = isnan (l) ? NAN : ema_push (&eg, l);
        }
      if (line != NULL)
        line[i] = l;
      if (signal_out != NULL)
        signal_out[i] = g;
      if (hist != NULL)
        hist[i] = l - g;
    }
}

/* ---- Bollinger bands and standard deviation -------------------------------------------- */

/* Mean and population σ over the windows of one run, bar after bar. The mean is the WinSum's,
 * so it is sma_run's bit for bit. The sum of squared deviations m2 is kept for the shifted values
 * y = x − K, K the window's mean when m2 was last summed afresh, so that the rounding error of
 * the running mean enters it at the scale of y (the price's distance from K) rather than of the
 * price. It follows the window with the exact identity
 *   m2' = m2 + (y_new − y_old) × ((y_new − ymean') + (y_old − ymean)),
 * and is summed afresh (two passes) whenever the sum is, and whenever it has become smaller than
 * 2^-20 of the error budget "mag": the sizes of its increments plus what the running mean of y
 * may have carried into them (2 |d| Σ |ysum| / p). m2 then keeps at least about 32 correct bits.
 * That happens when a large value leaves the window and the window is then calm, or when σ is
 * tiny against the price's moves; it costs O(p) and needs much flow first, so the pass stays
 * O(n). */
typedef struct
{
  WinSum w;
  double dp;
  double inv_p;  /* 1 / p, for the y side only */
  double mean;   /* w.sum / p */
  double k;      /* the shift K */
  double ysum;   /* Σ (x − K) over the window */
  double ymean;  /* ysum / p */
  double yflow;  /* Σ |ysum| since the last fresh m2 */
  double m2;
  double mag;
} Bands;

static inline void
bands_init (Bands        *b,
            const double *x,
            size_t        p)
{
  winsum_init (&b->w, x, p);
  b->dp = (double) p;
  b->inv_p = 1.0 / (double) p;
  b->mean = b->k = b->ysum = b->ymean = b->yflow = b->m2 = b->mag = 0.0;
}

static inline void
bands_fresh_m2 (Bands        *b,
                const double *win)
{
  const size_t p = b->w.p;

  b->k = b->mean;
  b->ysum = 0.0;
  for (size_t i = 0; i < p; i++)
    b->ysum += win[i] - b->k;
  b->ymean = b->ysum * b->inv_p;
  b->m2 = 0.0;
  for (size_t i = 0; i < p; i++)
    {
      double d = (win[i] - b->k) - b->ymean;

      b->m2 += d * d;
    }
  b->mag = b->m2;
  b->yflow = 0.0;
}

/* Moves to bar @j of the run; call with j = p − 1, p, p + 1, … */
static inline void
bands_step (Bands  *b,
            size_t  j)
{
  const double *x = b->w.x;
  const size_t p = b->w.p;

  if (winsum_step (&b->w, j))
    {
      b->mean = b->w.sum / b->dp;
      bands_fresh_m2 (b, x + j + 1 - p);
    }
  else
    {
      double yn = x[j] - b->k;
      double yo = x[j - p] - b->k;
      double d = yn - yo;
      double ymean_old = b->ymean;
      double a, c, inc;

      b->mean = b->w.sum / b->dp;
      b->ysum += d;
      b->yflow += fabs (b->ysum);
      b->ymean = b->ysum * b->inv_p;
      a = yn - b->ymean;
      c = yo - ymean_old;
      inc = d * (a + c);
      b->m2 += inc;
      b->mag += fabs (d) * (fabs (a) + fabs (c) + 2.0 * b->yflow * b->inv_p);
      if (b->m2 < b->mag * 0x1p-20)
        bands_fresh_m2 (b, x + j + 1 - p);
    }
}

static inline double
bands_sigma (const Bands *b)
{
  return sqrt (b->m2 / b->dp);
}

static void
bands_run (const double *x,
           size_t        len,
           size_t        p,
           double        k,
           double       *mid,
           double       *upper,
           double       *lower,
           double       *sd)
{
  Bands b;
  size_t warm = MIN (len, p - 1);

  set_nan (mid, 0, warm);
  set_nan (upper, 0, warm);
  set_nan (lower, 0, warm);
  set_nan (sd, 0, warm);
  bands_init (&b, x, p);
  for (size_t j = p - 1; j < len; j++)
    {
      double s;

      bands_step (&b, j);
      s = bands_sigma (&b);
      if (mid != NULL)
        mid[j] = b.mean;
      if (upper != NULL)
        upper[j] = b.mean + k * s;
      if (lower != NULL)
        lower[j] = b.mean - k * s;
      if (sd != NULL)
        sd[j] = s;
    }
}

static void
bands (const double *x,
       size_t        n,
       size_t        p,
       double        k,
       double       *mid,
       double       *upper,
       double       *lower,
       double       *sd)
{
  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (x, NULL, NULL, i, n);

      if (end == i)
        {
          set_nan (mid, i, i + 1);
          set_nan (upper, i, i + 1);
          set_nan (lower, i, i + 1);
          set_nan (sd, i, i + 1);
          i++;
          continue;
        }
      bands_run (x + i, end - i, p, k,
                 mid ? mid + i : NULL, upper ? upper + i : NULL,
                 lower ? lower + i : NULL, sd ? sd + i : NULL);
      i = end;
    }
}

/**
 * hs_bollinger:
 * @x: input, @n values
 * @period: >= 1
 * @k: band width in standard deviations (2 is usual)
 * @mid: (out caller-allocates) (nullable): SMA(period), identical to hs_sma
 * @upper: (out caller-allocates) (nullable): mid + k × σ
 * @lower: (out caller-allocates) (nullable): mid − k × σ
 *
 * σ is the population standard deviation of the window (divided by @period), as hs_stdev.
 */
void
hs_bollinger (const double *x,
              size_t        n,
              int           period,
              double        k,
              double       *mid,
              double       *upper,
              double       *lower)
{
  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || x != NULL);

  bands (x, n, (size_t) period, k, mid, upper, lower, NULL);
}

/**
 * hs_stdev:
 * @x: input, @n values
 * @period: >= 1
 * @out: (out caller-allocates): sqrt (Σ (x − mean)² / period) over the window
 *
 * Rolling population standard deviation; NAN for the first @period − 1 bars of a run.
 */
void
hs_stdev (const double *x,
          size_t        n,
          int           period,
          double       *out)
{
  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  bands (x, n, (size_t) period, 0.0, NULL, NULL, NULL, out);
}

/* ---- ATR -------------------------------------------------------------------------------- */

/* Wilder's true range; at the first bar of a run (no previous close) it is high − low. */
static inline double
true_range (double high,
            double low,
            double prev_close)
{
  double tr = high - low;
  double a, b;

  if (isnan (prev_close))
    return tr;
  a = fabs (high - prev_close);
  b = fabs (low - prev_close);
  if (a > tr)
    tr = a;
  if (b > tr)
    tr = b;
  return tr;
}

/* Streaming Wilder ATR over one run; the caller resets it at a gap. */
typedef struct
{
  Ema    ema;
  double prev_close;
} Atr;

static inline void
atr_init (Atr    *a,
          size_t  p)
{
  ema_init (&a->ema, p, 1.0 / (double) p);
  a->prev_close = NAN;
}

static inline void
atr_clear (Atr *a)
{
  ema_clear (&a->ema);
  a->prev_close = NAN;
}

static inline double
atr_push (Atr    *a,
          double  high,
          double  low,
          double  close)
{
  double tr = true_range (high, low, a->prev_close);

  a->prev_close = close;
  return ema_push (&a->ema, tr);
}

/**
 * hs_atr:
 * @high: @n values
 * @low: @n values
 * @close: @n values
 * @period: >= 1
 * @out: (out caller-allocates): @n values
 *
 * Wilder's average true range: TR = max (high − low, |high − prev close|, |low − prev close|),
 * high − low at the first bar of a run; the first ATR (bar period − 1) is the mean of the first
 * @period true ranges, then atr += (1 / period) × (TR − atr).
 */
void
hs_atr (const double *high,
        const double *low,
        const double *close,
        size_t        n,
        int           period,
        double       *out)
{
  Atr a;

  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (high != NULL && low != NULL && close != NULL && out != NULL));

  atr_init (&a, (size_t) period);
  for (size_t i = 0; i < n; i++)
    {
      if (!isfinite (high[i]) || !isfinite (low[i]) || !isfinite (close[i]))
        {
          atr_clear (&a);
          out[i] = NAN;
          continue;
        }
      out[i] = atr_push (&a, high[i], low[i], close[i]);
    }
}

/* ---- Stochastic ------------------------------------------------------------------------- */

/**
 * hs_stochastic:
 * @high: @n values
 * @low: @n values
 * @close: @n values
 * @period: look-back of the range, >= 1
 * @smooth: SMA length turning raw %K into %K, >= 1 (1: the fast stochastic)
 * @d: SMA length of %D, >= 1
 * @k: (out caller-allocates) (nullable): %K
 * @d_out: (out caller-allocates) (nullable): %D
 *
 * raw %K = 100 × (close − lowest low) / (highest high − lowest low) over the last @period bars,
 * 50 when the range is 0; %K = SMA(smooth) of raw %K; %D = SMA(d) of %K. %K is defined from bar
 * period + smooth − 2 of a run, %D from bar period + smooth + d − 3. Allocates
 * O(period + smooth + d) once.
 */
void
hs_stochastic (const double *high,
               const double *low,
               const double *close,
               size_t        n,
               int           period,
               int           smooth,
               int           d,
               double       *k,
               double       *d_out)
{
  g_autofree size_t *dq_store = NULL;
  g_autofree double *ring_store = NULL;
  Deque hi, lo;
  Ring rk, rd;
  size_t p;

  g_return_if_fail (period >= 1 && smooth >= 1 && d >= 1);
  g_return_if_fail (n == 0 || (high != NULL && low != NULL && close != NULL));

  p = (size_t) period;
  dq_store = g_new (size_t, 2 * p);
  ring_store = g_new (double, (size_t) smooth + (size_t) d);
  deque_init (&hi, dq_store, p);
  deque_init (&lo, dq_store + p, p);
  ring_init (&rk, ring_store, (size_t) smooth);
  ring_init (&rd, ring_store + smooth, (size_t) d);

  for (size_t i = 0, start = 0; i < n; i++)
    {
      double kv = NAN, dv = NAN;

      if (!isfinite (high[i]) || !isfinite (low[i]) || !isfinite (close[i]))
        {
          deque_clear (&hi);
          deque_clear (&lo);
          ring_clear (&rk);
          ring_clear (&rd);
          start = i + 1;
        }
      else
        {
          deque_push (&hi, high, i, p, TRUE);
          deque_push (&lo, low, i, p, FALSE);
          if (i + 1 - start >= p)
            {
              double hh = deque_front (&hi, high);
              double ll = deque_front (&lo, low);
              double raw = hh > ll ? 100.0 * (close[i] - ll) / (hh - ll) : 50.0;

              kv = ring_push (&rk, raw);
              if (!isnan (kv))
                dv = ring_push (&rd, kv);
            }
        }
      if (k != NULL)
        k[i] = kv;
      if (d_out != NULL)
        d_out[i] = dv;
    }
}

/* ---- Highest, lowest, pivots ------------------------------------------------------------ */

static void
extreme (const double *x,
         size_t        n,
         size_t        p,
         gboolean      want_max,
         double       *out)
{
  g_autofree size_t *store = g_new (size_t, p);
  Deque dq;

  deque_init (&dq, store, p);
  for (size_t i = 0, start = 0; i < n; i++)
    {
      if (!isfinite (x[i]))
        {
          deque_clear (&dq);
          start = i + 1;
          out[i] = NAN;
          continue;
        }
      deque_push (&dq, x, i, p, want_max);
      out[i] = i + 1 - start >= p ? deque_front (&dq, x) : NAN;
    }
}

/**
 * hs_highest:
 * @x: input, @n values
 * @period: >= 1
 * @out: (out caller-allocates): max (x[i − period + 1 … i]); must not overlap @x
 *
 * NAN for the first @period − 1 bars of a run. Allocates O(period) once.
 */
void
hs_highest (const double *x,
            size_t        n,
            int           period,
            double       *out)
{
  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  extreme (x, n, (size_t) period, TRUE, out);
}

/**
 * hs_lowest:
 *
 * As hs_highest, for the minimum.
 */
void
hs_lowest (const double *x,
           size_t        n,
           int           period,
           double       *out)
{
  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  extreme (x, n, (size_t) period, FALSE, out);
}

/* Bar j = i − right is a pivot high when x[j] is strictly above each of the @left bars before it
 * and not below any of the @right bars after it (so of equal tops only the first counts; a low:
 * mirrored). Two sliding extremes: over the @right bars ending at i, and over the @left bars
 * ending at j − 1. */
static void
pivot (const double *x,
       size_t        n,
       size_t        left,
       size_t        right,
       gboolean      want_max,
       double       *out)
{
  g_autofree size_t *store = g_new (size_t, left + right + 2);
  Deque dl, dr;

  deque_init (&dl, store, left + 1);
  deque_init (&dr, store + left + 1, right + 1);
  for (size_t i = 0, start = 0; i < n; i++)
    {
      size_t j;
      double v;
      gboolean ok = TRUE;

      out[i] = NAN;
      if (!isfinite (x[i]))
        {
          deque_clear (&dl);
          deque_clear (&dr);
          start = i + 1;
          continue;
        }
      if (right > 0)
        deque_push (&dr, x, i, right, want_max);
      if (i - start < left + right)
        {
          /* Feed the left window as soon as its bars are known. */
          if (left > 0 && i - start >= right + 1)
            deque_push (&dl, x, i - right - 1, left, want_max);
          continue;
        }
      j = i - right;
      if (left > 0 && j - 1 >= start)
        deque_push (&dl, x, j - 1, left, want_max);
      v = x[j];
      if (left > 0)
        ok = want_max ? deque_front (&dl, x) < v : deque_front (&dl, x) > v;
      if (ok && right > 0)
        ok = want_max ? deque_front (&dr, x) <= v : deque_front (&dr, x) >= v;
      if (ok)
        out[i] = v;
    }
}

/**
 * hs_pivot_high:
 * @high: @n values
 * @left: bars before the pivot, >= 0
 * @right: bars after the pivot, >= 0
 * @out: (out caller-allocates): the pivot's high at bar pivot + @right, NAN elsewhere
 *
 * Bar j is a pivot high when high[j] is strictly greater than each of the @left highs before it
 * and greater than or equal to each of the @right highs after it (of a flat top, only the first
 * bar is a pivot). All left + right + 1 bars must lie in one run of finite values.
 */
void
hs_pivot_high (const double *high,
               size_t        n,
               int           left,
               int           right,
               double       *out)
{
  g_return_if_fail (left >= 0 && right >= 0);
  g_return_if_fail (n == 0 || (high != NULL && out != NULL));

  pivot (high, n, (size_t) left, (size_t) right, TRUE, out);
}

/**
 * hs_pivot_low:
 *
 * As hs_pivot_high, mirrored: low[j] strictly below the @left lows before it and not above the
 * @right lows after it.
 */
void
hs_pivot_low (const double *low,
              size_t        n,
              int           left,
              int           right,
              double       *out)
{
  g_return_if_fail (left >= 0 && right >= 0);
  g_return_if_fail (n == 0 || (low != NULL && out != NULL));

  pivot (low, n, (size_t) left, (size_t) right, FALSE, out);
}

/* ---- EMA slope, relative volume ----------------------------------------------------------- */

/**
 * hs_ema_slope:
 * @x: input, @n values
 * @period: EMA period, >= 1
 * @lookback: bars between the two EMA values, >= 1
 * @out: (out caller-allocates): (EMA[i] − EMA[i − lookback]) / lookback; must not overlap @x
 *
 * The slope of hs_ema in price units per bar; defined from bar period − 1 + lookback of a run.
 */
void
hs_ema_slope (const double *x,
              size_t        n,
              int           period,
              int           lookback,
              double       *out)
{
  size_t lb;
  double dlb, alpha;

  g_return_if_fail (period >= 1 && lookback >= 1);
  g_return_if_fail (n == 0 || (x != NULL && out != NULL));

  lb = (size_t) lookback;
  dlb = (double) lookback;
  alpha = 2.0 / ((double) period + 1.0);
  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (x, NULL, NULL, i, n);

      if (end == i)
        {
          out[i++] = NAN;
          continue;
        }
      ema_run (x + i, end - i, (size_t) period, alpha, out + i);
      /* In place, from the end back, so out[j − lb] still holds the EMA when it is read. */
      for (size_t j = end; j-- > i;)
        out[j] = j - i >= lb ? (out[j] - out[j - lb]) / dlb : NAN;
      i = end;
    }
}

/**
 * hs_relative_volume:
 * @volume: @n values
 * @period: >= 1
 * @out: (out caller-allocates): volume[i] / mean (volume[i − period … i − 1]); must not overlap
 *   @volume
 *
 * The volume against the mean of the @period bars before it (the bar itself left out, so a
 * spike is not diluted by itself). NAN for the first @period bars of a run, and where that mean
 * is 0.
 */
void
hs_relative_volume (const double *volume,
                    size_t        n,
                    int           period,
                    double       *out)
{
  size_t p;

  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (volume != NULL && out != NULL));

  p = (size_t) period;
  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (volume, NULL, NULL, i, n);

      if (end == i)
        {
          out[i++] = NAN;
          continue;
        }
      sma_run (volume + i, end - i, p, out + i);
      /* out[j − 1] holds the mean of the window before bar j; go backwards to keep it. */
      for (size_t j = end; j-- > i;)
        {
          double m = j - i >= p ? out[j - 1] : NAN;

          out[j] = m != 0.0 ? volume[j] / m : NAN;
        }
      i = end;
    }
}

/* ---- Sessions, VWAP, CVD, book imbalance ------------------------------------------------- */

/**
 * hs_typical_price:
 * @out: (out caller-allocates): (high + low + close) / 3, the usual VWAP price
 */
void
hs_typical_price (const double *high,
                  const double *low,
                  const double *close,
                  size_t        n,
                  double       *out)
{
  g_return_if_fail (n == 0 || (high != NULL && low != NULL && close != NULL && out != NULL));

  for (size_t i = 0; i < n; i++)
    out[i] = (high[i] + low[i] + close[i]) / 3.0;
}

static inline int64_t
floor_div (int64_t a,
           int64_t b)
{
  int64_t q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* UTC second at which local day @day (days since 1970-01-01 in @tz) begins: local midnight, or
 * the end of a gap when the clocks jump over midnight; of a repeated midnight, the first. */
static int64_t
day_start_utc (GTimeZone *tz,
               int64_t    day)
{
  gint64 t = day * 86400;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_DAYLIGHT, &t);

  return t - g_time_zone_get_offset (tz, interval);
}

/**
 * hs_session_days:
 * @ts_us: @n bar start times, µs since the epoch (UTC)
 * @tz: (nullable): the session's time zone; NULL is UTC
 * @day: (out caller-allocates): @n local calendar days, counted from 1970-01-01
 *
 * The session id of each bar for hs_vwap and hs_cvd: its start's calendar day in @tz, so a new
 * session starts where the local date changes. Any other array of ids works there too (for
 * example a futures session that opens the evening before). The time zone is looked up only
 * when a bar leaves the day of the previous one, so sorted input costs a few GLib calls per day.
 */
void
hs_session_days (const int64_t *ts_us,
                 size_t         n,
                 GTimeZone     *tz,
                 int64_t       *day)
{
  g_autoptr(GTimeZone) utc = NULL;
  int64_t lo = 1, hi = 0, cur = 0;   /* [lo, hi): UTC seconds known to lie in day cur */

  g_return_if_fail (n == 0 || (ts_us != NULL && day != NULL));

  if (tz == NULL)
    tz = utc = g_time_zone_new_utc ();
  for (size_t i = 0; i < n; i++)
    {
      int64_t s = floor_div (ts_us[i], G_USEC_PER_SEC);

      if (s < lo || s >= hi)
        {
          int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, s);
          int64_t off = interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0;

          cur = floor_div (s + off, 86400);
          lo = day_start_utc (tz, cur);
          hi = day_start_utc (tz, cur + 1);
          if (s < lo || s >= hi)
            {
              /* The clocks went back over midnight: nothing to cache. */
              lo = 1;
              hi = 0;
            }
        }
      day[i] = cur;
    }
}

/**
 * hs_vwap:
 * @price: @n prices (typically hs_typical_price)
 * @volume: @n volumes, >= 0
 * @session: (nullable): @n session ids (hs_session_days); a session starts at bar 0 and where
 *   the id changes. NULL: one session
 * @vwap: (out caller-allocates) (nullable): Σ price × volume / Σ volume since the session start
 * @upper1: (out caller-allocates) (nullable): vwap + σ
 * @lower1: (out caller-allocates) (nullable): vwap − σ
 * @upper2: (out caller-allocates) (nullable): vwap + 2σ
 * @lower2: (out caller-allocates) (nullable): vwap − 2σ
 *
 * σ² = Σ volume × (price − vwap)² / Σ volume over the session so far (volume-weighted population
 * variance). NAN while the session's volume is 0, and at a bar whose price or volume is not
 * finite or whose volume is negative; such a bar is left out and the session carries on.
 */
void
hs_vwap (const double  *price,
         const double  *volume,
         const int64_t *session,
         size_t         n,
         double        *vwap,
         double        *upper1,
         double        *lower1,
         double        *upper2,
         double        *lower2)
{
  CSum pv = { 0 }, vol = { 0 };
  double mean = 0.0, m2 = 0.0, w = 0.0;   /* West's weighted running mean and Σ w (x − mean)² */

  g_return_if_fail (n == 0 || (price != NULL && volume != NULL));

  for (size_t i = 0; i < n; i++)
    {
      double p = price[i], v = volume[i];
      double m = NAN, s = NAN;

      if (i == 0 || (session != NULL && session[i] != session[i - 1]))
        {
          pv = (CSum) { 0 };
          vol = (CSum) { 0 };
          mean = m2 = w = 0.0;
        }
      if (isfinite (p) && isfinite (v) && v >= 0)
        {
          if (v > 0)
            {
              double w_new = w + v;
              double delta = p - mean;
              double r = w == 0.0 ? delta : delta * v / w_new;

              mean += r;
              m2 += w * delta * r;
              w = w_new;
              csum_add (&pv, p * v);
              csum_add (&vol, v);
            }
          if (w > 0)
            {
              m = csum_value (&pv) / csum_value (&vol);
              s = sqrt (MAX (m2, 0.0) / w);
            }
        }
      if (vwap != NULL)
        vwap[i] = m;
      if (upper1 != NULL)
        upper1[i] = m + s;
      if (lower1 != NULL)
        lower1[i] = m - s;
      if (upper2 != NULL)
        upper2[i] = m + 2.0 * s;
      if (lower2 != NULL)
        lower2[i] = m - 2.0 * s;
    }
}

/**
 * hs_cvd:
 * @signed_volume: @n volumes, positive for buying and negative for selling
 * @session: (nullable): @n session ids; the sum starts again at 0 where the id changes. NULL:
 *   one sum over the whole series
 * @ma_period: the moving average's period, >= 1 (ignored when @cvd_ma is NULL)
 * @cvd: (out caller-allocates): cumulative volume delta, the running sum of @signed_volume
 * @cvd_ma: (out caller-allocates) (nullable): hs_sma (@cvd, @ma_period)
 *
 * A non-finite volume makes cvd NAN at its bar and adds nothing; the sum is compensated, so it is
 * correctly rounded to within an ulp or so over any length.
 */
void
hs_cvd (const double  *signed_volume,
        const int64_t *session,
        size_t         n,
        int            ma_period,
        double        *cvd,
        double        *cvd_ma)
{
  CSum s = { 0 };

  g_return_if_fail (cvd_ma == NULL || ma_period >= 1);
  g_return_if_fail (n == 0 || (signed_volume != NULL && cvd != NULL));

  for (size_t i = 0; i < n; i++)
    {
      double v = signed_volume[i];

      if (session != NULL && i > 0 && session[i] != session[i - 1])
        s = (CSum) { 0 };
      if (!isfinite (v))
        {
          cvd[i] = NAN;
          continue;
        }
      csum_add (&s, v);
      cvd[i] = csum_value (&s);
    }
  if (cvd_ma != NULL)
    hs_sma (cvd, n, ma_period, cvd_ma);
}

/**
 * hs_book_imbalance:
 * @bid_volume: @n resting bid volumes
 * @ask_volume: @n resting ask volumes
 * @out: (out caller-allocates): 100 × (bid − ask) / (bid + ask), from −100 (only asks) to 100
 *
 * NAN where bid + ask is 0 (an empty book) or an input is not finite.
 */
void
hs_book_imbalance (const double *bid_volume,
                   const double *ask_volume,
                   size_t        n,
                   double       *out)
{
  g_return_if_fail (n == 0 || (bid_volume != NULL && ask_volume != NULL && out != NULL));

  for (size_t i = 0; i < n; i++)
    {
      double b = bid_volume[i], a = ask_volume[i];
      double t = b + a;

      out[i] = isfinite (t) && t != 0.0 ? 100.0 * (b - a) / t : NAN;
    }
}

/* ---- Squeeze ---------------------------------------------------------------------------- */

/**
 * hs_squeeze:
 * @high: @n values
 * @low: @n values
 * @close: @n values
 * @period: >= 1, for the Bollinger bands, the EMA and the ATR
 * @bb_k: Bollinger width in σ (2 is usual)
 * @kc_mult: Keltner width in ATRs (1.5 is usual)
 * @out: (out caller-allocates): 1 when the squeeze is on, 0 when off
 *
 * On when the Bollinger bands of close (hs_bollinger: SMA ± bb_k × σ) lie strictly inside the
 * Keltner channel EMA(period) ± kc_mult × ATR(period) (hs_ema, hs_atr):
 * upper_bb < upper_kc and lower_bb > lower_kc. NAN for the first @period − 1 bars of a run.
 */
void
hs_squeeze (const double *high,
            const double *low,
            const double *close,
            size_t        n,
            int           period,
            double        bb_k,
            double        kc_mult,
            double       *out)
{
  size_t p;
  double alpha;

  g_return_if_fail (period >= 1);
  g_return_if_fail (n == 0 || (high != NULL && low != NULL && close != NULL && out != NULL));

  p = (size_t) period;
  alpha = 2.0 / ((double) period + 1.0);
  for (size_t i = 0; i < n;)
    {
      size_t end = run_end (high, low, close, i, n);
      Bands bb;
      Atr atr;
      Ema ema;

      if (end == i)
        {
          out[i++] = NAN;
          continue;
        }
      bands_init (&bb, close + i, p);
      atr_init (&atr, p);
      ema_init (&ema, p, alpha);
      for (size_t j = 0; i + j < end; j++)
        {
          size_t b = i + j;
          double a = atr_push (&atr, high[b], low[b], close[b]);
          double e = ema_push (&ema, close[b]);
          double s, bb_up, bb_lo, kc_up, kc_lo;

          if (j + 1 < p)
            {
              out[b] = NAN;
              continue;
            }
          bands_step (&bb, j);
          s = bands_sigma (&bb);
          bb_up = bb.mean + bb_k * s;
          bb_lo = bb.mean - bb_k * s;
          kc_up = e + kc_mult * a;
          kc_lo = e - kc_mult * a;
          out[b] = bb_up < kc_up && bb_lo > kc_lo ? 1.0 : 0.0;
        }
      i = end;
    }
}
