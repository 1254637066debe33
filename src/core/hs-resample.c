/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Resampling: bars of one interval to a longer one (1m → 5m, 15m, 1h, 4h, 1d, 1w, 1mo …), trades
 * to candles, and the alignment that tells a strategy on the shorter series which longer bar is
 * complete at each of its bars. Buckets are cut by a session calendar: 24/7 buckets are aligned
 * to the UTC epoch (weeks start on Monday 00:00 UTC, months on the 1st); US equity buckets are
 * anchored at the 09:30 New York open and end at the 16:00 close, days are sessions, and DST
 * comes from GTimeZone. docs/resampling.md states every rule with examples.
 *
 * Load: one pass over the input, O(n), no allocation per bar (the output arrays grow by
 * doubling); the time zone is consulted once per New York calendar day, not per bar. A million
 * one-minute bars take a few milliseconds per target (tests/bench/bench-resample.c).
 */
#define G_LOG_DOMAIN "hs-resample"

#include "config.h"

#include "hs-resample.h"

#include "hs-interval.h"
#include "hs-time.h"

#include <inttypes.h>
#include <math.h>

#define US_PER_S    INT64_C (1000000)
#define DAY_S       INT64_C (86400)
#define DAY_US      (DAY_S * US_PER_S)
#define WEEK_S      (7 * DAY_S)
#define RTH_OPEN_S  (9 * 3600 + 30 * 60)
#define RTH_CLOSE_S (16 * 3600)
#define US_ZONE     "America/New_York"

G_DEFINE_QUARK (hs-resample-error-quark, hs_resample_error)

typedef enum
{
  UNIT_SECONDS,   /* intraday: fixed-length buckets */
  UNIT_DAYS,      /* 1d, 2d: sessions (US) or UTC days (24/7) */
  UNIT_WEEKS,     /* 1w, 2w: ISO weeks, Monday first */
  UNIT_MONTHS,    /* 1mo: calendar months */
} Unit;

/* The session calendar of one resampling run, with the local day of the last bar looked at
 * cached: input is in time order, so the time zone is asked once per day. */
typedef struct
{
  HsSessionKind session;
  GTimeZone    *tz;            /* (owned) (nullable) New York, for US equity only */
  Unit          unit;
  int64_t       target_us;     /* UNIT_SECONDS: the bucket length */
  int64_t       k;             /* UNIT_DAYS, UNIT_WEEKS: days or weeks per bucket */
  gboolean      by_utc_date;   /* inputs of a day or longer: their UTC date is their day */
  int64_t       day;           /* cached local day (days since 1970-01-01) and, in µs UTC, */
  int64_t       mid0, mid1;    /* its midnight and the next one, */
  int64_t       open, close;   /* its regular session's 09:30 and 16:00 */
  int64_t       month_day;     /* UNIT_MONTHS: the last day converted, and its month */
  int64_t       month_key;
} Calendar;

/* The running aggregate of the bucket being filled. */
typedef struct
{
  int64_t key;
  double  open, high, low, close;
  double  volume;
  double  vwap_sum;     /* Σ vwap × volume */
  double  typical_sum;  /* Σ (h + l + c) / 3 × volume */
  int     all_vwap;     /* every input bar had a vwap */
  int64_t count;        /* Σ trade_count, -1 once one is unknown */
} Bucket;

typedef struct
{
  HsBars  *bars;
  int64_t *end_ts;
  int64_t *counts;      /* (nullable) */
  size_t   cap;
} Builder;

static int64_t
floor_div (int64_t a,
           int64_t b)
{
  int64_t q = a / b;

  if (a % b != 0 && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* days since 1970-01-01 → proleptic Gregorian date (H. Hinnant's civil_from_days). */
static void
civil_from_days (int64_t   days,
                 int64_t  *y,
                 unsigned *m,
                 unsigned *d)
{
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;

  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t) yoe + era * 400 + (*m <= 2);
}

/* The UTC instant (µs) of wall-clock time @sec_of_day on local day @day in @tz. The session
 * times used here (00:00, 09:30, 16:00 in New York) are never in a DST gap or overlap. */
static int64_t
local_to_us (GTimeZone *tz,
             int64_t    day,
             int64_t    sec_of_day)
{
  gint64 t = day * DAY_S + sec_of_day;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);

  return (t - g_time_zone_get_offset (tz, interval)) * US_PER_S;
}

static int64_t
local_day_of (GTimeZone *tz,
              int64_t    ts)
{
  gint64 s = floor_div (ts, US_PER_S);
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, s);

  return floor_div (s + g_time_zone_get_offset (tz, interval), DAY_S);
}

/* Saturday or Sunday; day 0, 1970-01-01, was a Thursday. */
static gboolean
is_weekend (int64_t day)
{
  int64_t from_monday = day + 3 - floor_div (day + 3, 7) * 7;

  return from_monday >= 5;
}

static void
calendar_set_day (Calendar *cal,
                  int64_t   day)
{
  cal->day = day;
  cal->mid0 = local_to_us (cal->tz, day, 0);
  cal->mid1 = local_to_us (cal->tz, day + 1, 0);
  cal->open = local_to_us (cal->tz, day, RTH_OPEN_S);
  cal->close = local_to_us (cal->tz, day, RTH_CLOSE_S);
  /* No regular session on weekends: an empty one leaves every bar of the day out. Were such a
   * bar kept, it would fall after its week's end (Friday 16:00) and be seen before it closed. */
  if (is_weekend (day))
    cal->close = cal->open;
}

/* When day @day's session opens and closes, in µs UTC: 09:30 and 16:00 New York, or the UTC
 * day itself for 24/7. */
static int64_t
session_open (const Calendar *cal,
              int64_t         day)
{
  if (cal->session == HS_SESSION_US_EQUITY)
    return local_to_us (cal->tz, day, RTH_OPEN_S);
  return day * DAY_US;
}

static int64_t
session_close (const Calendar *cal,
               int64_t         day)
{
  if (cal->session == HS_SESSION_US_EQUITY)
    return local_to_us (cal->tz, day, RTH_CLOSE_S);
  return (day + 1) * DAY_US;
}

static gboolean
calendar_init (Calendar          *cal,
               const HsInterval  *target,
               HsSessionKind      session,
               gboolean           by_utc_date,
               GError           **error)
{
  *cal = (Calendar) { .session = session, .by_utc_date = by_utc_date, .k = 1 };
  /* Forces the first bar to look its day up. */
  cal->mid0 = G_MAXINT64;
  cal->mid1 = G_MININT64;
  cal->month_day = G_MININT64;
  if (g_str_equal (target->name, "1mo"))
    cal->unit = UNIT_MONTHS;
  else if (target->seconds % WEEK_S == 0)
    {
      cal->unit = UNIT_WEEKS;
      cal->k = target->seconds / WEEK_S;
    }
  else if (target->seconds % DAY_S == 0)
    {
      cal->unit = UNIT_DAYS;
      cal->k = target->seconds / DAY_S;
    }
  else
    {
      cal->unit = UNIT_SECONDS;
      cal->target_us = target->seconds * US_PER_S;
    }
  if (session == HS_SESSION_US_EQUITY)
    {
      cal->tz = g_time_zone_new_identifier (US_ZONE);
      if (cal->tz == NULL)
        {
          g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_TIME_ZONE,
                       "the time zone %s is not available (is tzdata installed?)", US_ZONE);
          return FALSE;
        }
    }
  return TRUE;
}

static void
calendar_clear (Calendar *cal)
{
  g_clear_pointer (&cal->tz, g_time_zone_unref);
}

/* The bucket of the bar (or trade) starting at @ts, as a key that grows with time: a bucket
 * start in µs for intraday buckets, else a first day, a first week or a month number. FALSE when
 * the bar is outside the US regular sessions (09:30–16:00 New York, Monday to Friday). */
static gboolean
calendar_key (Calendar *cal,
              int64_t   ts,
              int64_t  *key)
{
  int64_t day, y;
  unsigned m, d;

  if (cal->session == HS_SESSION_US_EQUITY && !cal->by_utc_date)
    {
      if (ts < cal->mid0 || ts >= cal->mid1)
        calendar_set_day (cal, local_day_of (cal->tz, ts));
      if (ts < cal->open || ts >= cal->close)
        return FALSE;
      if (cal->unit == UNIT_SECONDS)
        {
          *key = cal->open + (ts - cal->open) / cal->target_us * cal->target_us;
          return TRUE;
        }
      day = cal->day;
    }
  else
    {
      if (cal->unit == UNIT_SECONDS)
        {
          *key = floor_div (ts, cal->target_us) * cal->target_us;
          return TRUE;
        }
      day = floor_div (ts, DAY_US);
      if (cal->session == HS_SESSION_US_EQUITY && is_weekend (day))
        return FALSE;
    }

  switch (cal->unit)
    {
    case UNIT_DAYS:
      *key = floor_div (day, cal->k) * cal->k;
      break;
    case UNIT_WEEKS:
      /* Week 0 starts on Monday 1969-12-29, day -3; 1970-01-01 was a Thursday. */
      *key = floor_div (floor_div (day + 3, 7), cal->k) * cal->k;
      break;
    case UNIT_MONTHS:
      if (day != cal->month_day)
        {
          civil_from_days (day, &y, &m, &d);
          cal->month_day = day;
          cal->month_key = y * 12 + (int64_t) m - 1;
        }
      *key = cal->month_key;
      break;
    case UNIT_SECONDS:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* The start and the end (µs) of the bucket @key, which the bar just given to calendar_key()
 * opened, so the cached day is that bar's. */
static void
calendar_bounds (const Calendar *cal,
                 int64_t         key,
                 int64_t        *start,
                 int64_t        *end)
{
  int64_t first, last, y, y2;
  unsigned m, m2;

  switch (cal->unit)
    {
    case UNIT_SECONDS:
      *start = key;
      *end = key + cal->target_us;
      if (cal->session == HS_SESSION_US_EQUITY && *end > cal->close)
        *end = cal->close;
      return;
    case UNIT_DAYS:
      first = key;
      last = key + cal->k - 1;
      break;
    case UNIT_WEEKS:
      first = key * 7 - 3;
      /* A US week ends with Friday's close, a 24/7 week at the end of Sunday. */
      last = first + 7 * (cal->k - 1) + (cal->session == HS_SESSION_US_EQUITY ? 4 : 6);
      break;
    case UNIT_MONTHS:
    default:
      y = floor_div (key, 12);
      m = (unsigned) (key - y * 12) + 1;
      y2 = m == 12 ? y + 1 : y;
      m2 = m == 12 ? 1 : m + 1;
      first = hs_time_days_from_civil (y, m, 1);
      last = hs_time_days_from_civil (y2, m2, 1) - 1;
      break;
    }
  *start = session_open (cal, first);
  *end = session_close (cal, last);
}

static const char *
interval_name (int64_t seconds,
               char    buf[32])
{
  size_t n;
  const HsInterval *all = hs_interval_all (&n);

  for (size_t i = 0; i < n; i++)
    if (all[i].seconds == seconds)
      return all[i].name;
  g_snprintf (buf, 32, "%" PRId64 "-second", seconds);
  return buf;
}

static const HsInterval *
lookup_target (const char  *to_interval,
               GError     **error)
{
  const HsInterval *target = hs_interval_lookup (to_interval);

  if (target == NULL)
    {
      g_autofree char *names = hs_interval_names ();

      g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL,
                   "unknown interval “%s”; use one of %s", to_interval, names);
      return NULL;
    }
  if (g_str_equal (target->name, "tick"))
    {
      g_set_error_literal (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL,
                           "cannot resample to tick: ticks are single prints, not bars");
      return NULL;
    }
  return target;
}

static const HsInterval *
check_intervals (int64_t      in_s,
                 const char  *to_interval,
                 GError     **error)
{
  const HsInterval *target = lookup_target (to_interval, error);
  char buf[32];
  const char *in_name;

  if (target == NULL)
    return NULL;
  if (in_s <= 0)
    {
      g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL,
                   "cannot resample to %s: the input bars have no fixed length (tick or 1mo)",
                   target->name);
      return NULL;
    }
  in_name = interval_name (in_s, buf);
  if (target->seconds == 0)
    {
      /* A month is whole days: the input must tile a day. */
      if (DAY_S % in_s != 0)
        {
          g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL,
                       "cannot resample %s bars to 1mo: a month is made of whole days, and %s "
                       "does not divide a day", in_name, in_name);
          return NULL;
        }
      return target;
    }
  if (in_s > target->seconds)
    {
      g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL,
                   "cannot resample %s bars to %s: the target interval is shorter than the "
                   "input's", in_name, target->name);
      return NULL;
    }
  if (target->seconds % in_s != 0)
    {
      g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL,
                   "cannot resample %s bars to %s: %s is not a whole multiple of %s",
                   in_name, target->name, target->name, in_name);
      return NULL;
    }
  /* Weeks start on Mondays; 2-day buckets are pairs of days counted from 1970-01-01 and would
   * straddle them. */
  if (target->seconds % WEEK_S == 0 && DAY_S % in_s != 0 && in_s % WEEK_S != 0)
    {
      g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL,
                   "cannot resample %s bars to %s: weeks start on Mondays, and %s bars do not "
                   "fit in them", in_name, target->name, in_name);
      return NULL;
    }
  return target;
}

/**
 * hs_resample_check_interval:
 * @in_interval_s: the input bars' length in seconds (HsBars.interval_s)
 * @to_interval: the target interval's name
 *
 * Checks a request before loading data: the target must be a known interval other than tick, at
 * least as long as the input and a whole multiple of it (a month takes inputs that divide a day;
 * a week, inputs that divide a day or whole weeks).
 *
 * Returns: TRUE when hs_resample() accepts the pair, else FALSE with
 *   %HS_RESAMPLE_ERROR_INTERVAL and a message naming both intervals
 */
gboolean
hs_resample_check_interval (int64_t      in_interval_s,
                            const char  *to_interval,
                            GError     **error)
{
  g_return_val_if_fail (to_interval != NULL, FALSE);

  return check_intervals (in_interval_s, to_interval, error) != NULL;
}

static void
builder_init (Builder *b,
              int64_t  interval_s,
              size_t   cap,
              gboolean counts)
{
  b->cap = cap ? cap : 1;
  b->bars = hs_bars_new (b->cap, interval_s);
  b->bars->n = 0;
  b->end_ts = g_new (int64_t, b->cap);
  b->counts = counts ? g_new (int64_t, b->cap) : NULL;
}

static void
builder_resize (Builder *b,
                size_t   cap)
{
  HsBars *bars = b->bars;

  b->cap = cap ? cap : 1;
  bars->ts = g_renew (int64_t, bars->ts, b->cap);
  bars->open = g_renew (double, bars->open, b->cap);
  bars->high = g_renew (double, bars->high, b->cap);
  bars->low = g_renew (double, bars->low, b->cap);
  bars->close = g_renew (double, bars->close, b->cap);
  bars->volume = g_renew (double, bars->volume, b->cap);
  bars->vwap = g_renew (double, bars->vwap, b->cap);
  b->end_ts = g_renew (int64_t, b->end_ts, b->cap);
  if (b->counts != NULL)
    b->counts = g_renew (int64_t, b->counts, b->cap);
}

static void
builder_push (Builder      *b,
              const Bucket *k,
              int64_t       start,
              int64_t       end)
{
  HsBars *bars = b->bars;
  size_t i = bars->n;

  if (i == b->cap)
    builder_resize (b, 2 * b->cap);
  bars->ts[i] = start;
  bars->open[i] = k->open;
  bars->high[i] = k->high;
  bars->low[i] = k->low;
  bars->close[i] = k->close;
  bars->volume[i] = k->volume;
  /* Volume-weighted: the inputs' own vwap when every one has it, else their typical price. A
   * bucket without volume has no volume-weighted price. */
  if (!(k->volume > 0))
    bars->vwap[i] = NAN;
  else if (k->all_vwap)
    bars->vwap[i] = k->vwap_sum / k->volume;
  else
    bars->vwap[i] = k->typical_sum / k->volume;
  b->end_ts[i] = end;
  if (b->counts != NULL)
    b->counts[i] = k->count;
  bars->n = i + 1;
}

static void
builder_clear (Builder *b)
{
  g_clear_pointer (&b->bars, hs_bars_free);
  g_clear_pointer (&b->end_ts, g_free);
  g_clear_pointer (&b->counts, g_free);
}

/* Output rows to allocate first: no more than the input, nor than the buckets its time span
 * can hold (a month counts as 28 days). Only a first guess; the arrays grow if needed. */
static size_t
guess_capacity (const int64_t    *ts,
                size_t            n,
                const HsInterval *target)
{
  int64_t len_us = (target->seconds ? target->seconds : 28 * DAY_S) * US_PER_S;
  uint64_t span;

  if (n == 0)
    return 1;
  span = (uint64_t) (ts[n - 1] - ts[0]) / (uint64_t) len_us + 2;
  return span < n ? (size_t) span : n;
}

/* The one loop behind bars and trades. @count is nullable; for trades, @vwap is the price
 * itself (so the vwap is Σ price × size / Σ size) and every trade counts one (@count_ones). */
static HsResampled *
resample_columns (const char        *what,
                  const int64_t     *ts,
                  const double      *open,
                  const double      *high,
                  const double      *low,
                  const double      *close,
                  const double      *volume,
                  const double      *vwap,
                  const int64_t     *count,
                  gboolean           count_ones,
                  size_t             n,
                  const HsInterval  *target,
                  HsSessionKind      session,
                  gboolean           by_utc_date,
                  int64_t          **count_out,
                  GError           **error)
{
  Calendar cal;
  Builder b = { 0 };
  Bucket k = { 0 };
  gboolean have = FALSE;
  int64_t start = 0, end = 0, key = 0;
  HsResampled *r;

  if (!calendar_init (&cal, target, session, by_utc_date, error))
    return NULL;
  builder_init (&b, target->seconds, guess_capacity (ts, n, target), count_out != NULL);

  for (size_t i = 0; i < n; i++)
    {
      double v = volume[i];
      double tp;

      if (i > 0 && ts[i] < ts[i - 1])
        {
          char a[40], c[40];

          hs_time_format_iso_buf (ts[i - 1], a);
          hs_time_format_iso_buf (ts[i], c);
          g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_ORDER,
                       "%s are not in time order: %s (row %zu) comes after %s", what, c, i, a);
          builder_clear (&b);
          calendar_clear (&cal);
          return NULL;
        }
      if (!calendar_key (&cal, ts[i], &key))
        continue;
      if (!have || key != k.key)
        {
          if (have)
            builder_push (&b, &k, start, end);
          calendar_bounds (&cal, key, &start, &end);
          k = (Bucket) {
            .key = key, .open = open[i], .high = high[i], .low = low[i], .all_vwap = TRUE,
          };
          have = TRUE;
        }
      else
        {
          if (high[i] > k.high)
            k.high = high[i];
          if (low[i] < k.low)
            k.low = low[i];
        }
      k.close = close[i];
      k.volume += v;
      tp = (high[i] + low[i] + close[i]) / 3.0;
      k.typical_sum += tp * v;
      if (!isnan (vwap[i]))
        k.vwap_sum += vwap[i] * v;
      else
        k.all_vwap = FALSE;
      if (count_ones)
        k.count++;
      else if (count == NULL || count[i] < 0 || k.count < 0)
        k.count = -1;
      else
        k.count += count[i];
    }
  if (have)
    builder_push (&b, &k, start, end);
  calendar_clear (&cal);

  builder_resize (&b, b.bars->n);
  r = g_new0 (HsResampled, 1);
  r->bars = g_steal_pointer (&b.bars);
  r->end_ts = g_steal_pointer (&b.end_ts);
  if (count_out != NULL)
    *count_out = g_steal_pointer (&b.counts);
  return r;
}

/**
 * hs_resample_with_counts:
 * @in: bars in time order, of a fixed length (@in->interval_s > 0)
 * @trade_count: (nullable) (array): one per input bar, -1 where unknown
 * @to_interval: the target interval's name: at least as long as the input's and a multiple of it
 * @session: how buckets are cut (see HsSessionKind and docs/resampling.md)
 * @trade_count_out: (out) (optional) (transfer full): one per output bar, -1 when unknown
 *
 * Resamples @in: open is the first bar's open, high the highest high, low the lowest low, close
 * the last close, volume the sum; vwap is Σ vwap × volume / Σ volume when every bar of the bucket
 * has a vwap, else Σ typical price × volume / Σ volume with typical price (h + l + c) / 3, and
 * NAN when the bucket's volume is 0. Each output bar's ts is its bucket's start, its end_ts the
 * bucket's end, also when the data stop inside the bucket. Empty buckets are not output.
 *
 * For %HS_SESSION_US_EQUITY, intraday input bars that start outside 09:30–16:00 New York, or on
 * a Saturday or Sunday there, are left out; bars of a day or longer are assigned to the UTC date
 * of their ts (00:00 UTC, 00:00 New York and 16:00 New York stamps of a trading day all give
 * that day), and left out when that date is a Saturday or Sunday.
 *
 * Returns: (transfer full): the resampled bars (possibly none), or %NULL with @error set
 *   (%HS_RESAMPLE_ERROR_INTERVAL, %HS_RESAMPLE_ERROR_ORDER, %HS_RESAMPLE_ERROR_TIME_ZONE)
 */
HsResampled *
hs_resample_with_counts (const HsBars   *in,
                         const int64_t  *trade_count,
                         const char     *to_interval,
                         HsSessionKind   session,
                         int64_t       **trade_count_out,
                         GError        **error)
{
  const HsInterval *target;

  g_return_val_if_fail (in != NULL, NULL);
  g_return_val_if_fail (to_interval != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  target = check_intervals (in->interval_s, to_interval, error);
  if (target == NULL)
    return NULL;
  return resample_columns ("bars", in->ts, in->open, in->high, in->low, in->close, in->volume,
                           in->vwap, trade_count, FALSE, in->n, target, session,
                           in->interval_s >= DAY_S, trade_count_out, error);
}

/**
 * hs_resample:
 * @in: bars in time order, of a fixed length (@in->interval_s > 0)
 * @to_interval: the target interval's name
 * @session: how buckets are cut
 *
 * hs_resample_with_counts() without trade counts.
 *
 * Returns: (transfer full): the resampled bars, or %NULL with @error set
 */
HsResampled *
hs_resample (const HsBars  *in,
             const char    *to_interval,
             HsSessionKind  session,
             GError       **error)
{
  return hs_resample_with_counts (in, NULL, to_interval, session, NULL, error);
}

/**
 * hs_resample_trades:
 * @ts: (array length=n): trade times in µs, in time order (equal times allowed)
 * @price: (array length=n):
 * @size: (array length=n):
 * @interval: any interval name but tick
 * @trade_count_out: (out) (optional) (transfer full): trades per candle
 *
 * Returns: (transfer full): the candles, or %NULL with @error set
 */
HsResampled *
hs_resample_trades (const int64_t  *ts,
                    const double   *price,
                    const double   *size,
                    size_t          n,
                    const char     *interval,
                    HsSessionKind   session,
                    int64_t       **trade_count_out,
                    GError        **error)
{
  const HsInterval *target;

  g_return_val_if_fail (n == 0 || (ts != NULL && price != NULL && size != NULL), NULL);
  g_return_val_if_fail (interval != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  target = lookup_target (interval, error);
  if (target == NULL)
    return NULL;
  return resample_columns ("trades", ts, price, price, price, price, size, price, NULL, TRUE, n,
                           target, session, FALSE, trade_count_out, error);
}

void
hs_resampled_free (HsResampled *r)
{
  if (r == NULL)
    return;
  hs_bars_free (r->bars);
  g_free (r->end_ts);
  g_free (r);
}

/**
 * hs_resample_align:
 * @lower: the series a strategy steps through, in time order
 * @higher: a resampling of the same data
 * @idx: (out caller-allocates) (array): @lower->n entries
 *
 * Sets idx[i] to the last bar j of @higher with end_ts[j] ≤ ts[i] + interval_s × 1,000,000 (the
 * close of lower bar i), or -1. Lower bars of length 0 (tick, 1mo) count as closing at their ts,
 * which can only show less. Two pointers, O(n + m); out-of-order lower bars are still answered
 * right, by starting that search over.
 */
void
hs_resample_align (const HsBars      *lower,
                   const HsResampled *higher,
                   int64_t           *idx)
{
  size_t m;
  int64_t j = -1, prev = G_MININT64;

  g_return_if_fail (lower != NULL);
  g_return_if_fail (higher != NULL && higher->bars != NULL);
  g_return_if_fail (lower->n == 0 || idx != NULL);

  m = higher->bars->n;
  for (size_t i = 0; i < lower->n; i++)
    {
      int64_t c = lower->ts[i] + lower->interval_s * US_PER_S;

      if (c < prev)
        j = -1;
      while ((size_t) (j + 1) < m && higher->end_ts[j + 1] <= c)
        j++;
      idx[i] = j;
      prev = c;
    }
}

gboolean
hs_session_kind_from_string (const char    *text,
                             HsSessionKind *out)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (g_str_equal (text, "us"))
    *out = HS_SESSION_US_EQUITY;
  else if (g_str_equal (text, "24x7") || g_str_equal (text, "always"))
    *out = HS_SESSION_ALWAYS;
  else
    return FALSE;
  return TRUE;
}

const char *
hs_session_kind_to_string (HsSessionKind kind)
{
  return kind == HS_SESSION_US_EQUITY ? "us" : "24x7";
}

HsSessionKind
hs_session_kind_for_instrument (const char *instrument_kind)
{
  static const char *const always[] = { "crypto", "fx", "prediction" };

  for (size_t i = 0; instrument_kind != NULL && i < G_N_ELEMENTS (always); i++)
    if (g_str_equal (instrument_kind, always[i]))
      return HS_SESSION_ALWAYS;
  return HS_SESSION_US_EQUITY;
}
