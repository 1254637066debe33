/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Gap detection over stored market data (docs/gaps-retention.md). A session calendar says when
 * bars are expected: always (crypto, prediction markets, UTC days) or in the US regular session
 * (09:30–16:00 America/New_York, DST from GTimeZone, on weekdays that are not holidays of the
 * market calendar, to the early close on early-close days). The gap finder walks the expected
 * bars of a range in step with the stored bar times it is fed, and merges the expected bars it
 * does not see into ranges; the sequence check finds jumps in sequence numbers and trade ids.
 *
 * Load: the gap finder is fed one timestamp at a time by a cursor and keeps O(1) state besides
 * the ranges it found; whole sessions without bars are counted arithmetically, so a long empty
 * range costs one step per calendar day, not per expected bar. The time zone is asked twice
 * per session day.
 */
#define G_LOG_DOMAIN "hs-gaps"

#include "config.h"

#include "hs-gaps.h"

#include "hs-interval.h"

#include <stdlib.h>

#define US_PER_S    INT64_C (1000000)
#define DAY_S       INT64_C (86400)
#define DAY_US      (DAY_S * US_PER_S)
#define RTH_OPEN_S  (9 * 3600 + 30 * 60)
#define RTH_CLOSE_S (16 * 3600)
#define US_ZONE     "America/New_York"
/* The times a range may hold: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z. */
#define MIN_TS      (INT64_C (-62135596800) * US_PER_S)
#define MAX_TS      (INT64_C (253402300800) * US_PER_S - 1)

G_DEFINE_QUARK (hs-gaps-error-quark, hs_gaps_error)

struct _HsSessionCalendar
{
  HsSessionKind session;
  GTimeZone    *tz;       /* (owned) (nullable) New York, for the US session only */
  HsMarketDay  *days;     /* (owned) holidays and early closes, ascending */
  size_t        n_days;
};

static int64_t
floor_div (int64_t a,
           int64_t b)
{
  int64_t q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Saturday or Sunday; day 0, 1970-01-01, was a Thursday. */
static gboolean
is_weekend (int64_t day)
{
  int64_t from_monday = day + 3 - floor_div (day + 3, 7) * 7;

  return from_monday >= 5;
}

/* The UTC instant (µs) of wall-clock time @sec_of_day on local day @day in @tz. Session times
 * (09:30, 16:00, an early close at 13:00) are never inside a DST change, which New York makes
 * at 02:00. */
static int64_t
local_to_utc_us (GTimeZone *tz,
                 int64_t    day,
                 int64_t    sec_of_day)
{
  gint64 t = day * DAY_S + sec_of_day;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);

  return (t - g_time_zone_get_offset (tz, interval)) * US_PER_S;
}

static int
compare_market_day (gconstpointer a,
                    gconstpointer b)
{
  int64_t x = ((const HsMarketDay *) a)->day, y = ((const HsMarketDay *) b)->day;

  return (x > y) - (x < y);
}

/**
 * hs_session_calendar_new:
 * @session: %HS_SESSION_ALWAYS or %HS_SESSION_US_EQUITY (hs_session_kind_for_instrument())
 * @days: (array length=n_days) (nullable): the market's holidays and early closes in any order
 *   (hs_store_load_market_days()); copied. None: every weekday is a full session.
 *
 * Returns: (transfer full): the calendar, or %NULL with %HS_GAPS_ERROR_TIME_ZONE when the US
 *   session is asked for and the system has no America/New_York
 */
HsSessionCalendar *
hs_session_calendar_new (HsSessionKind      session,
                         const HsMarketDay *days,
                         size_t             n_days,
                         GError           **error)
{
  g_autoptr(HsSessionCalendar) cal = g_new0 (HsSessionCalendar, 1);

  g_return_val_if_fail (days != NULL || n_days == 0, NULL);

  cal->session = session;
  if (session == HS_SESSION_US_EQUITY)
    {
      cal->tz = g_time_zone_new_identifier (US_ZONE);
      if (cal->tz == NULL)
        {
          g_set_error (error, HS_GAPS_ERROR, HS_GAPS_ERROR_TIME_ZONE,
                       "the time zone %s is not available (is tzdata installed?)", US_ZONE);
          return NULL;
        }
      if (n_days > 0)
        {
          cal->days = g_memdup2 (days, n_days * sizeof *days);
          cal->n_days = n_days;
          qsort (cal->days, n_days, sizeof *days, compare_market_day);
        }
    }
  return g_steal_pointer (&cal);
}

void
hs_session_calendar_free (HsSessionCalendar *cal)
{
  if (cal == NULL)
    return;
  g_clear_pointer (&cal->tz, g_time_zone_unref);
  g_free (cal->days);
  g_free (cal);
}

HsSessionKind
hs_session_calendar_kind (const HsSessionCalendar *cal)
{
  return cal->session;
}

static const HsMarketDay *
find_market_day (const HsSessionCalendar *cal,
                 int64_t                  day)
{
  HsMarketDay key = { .day = day };

  if (cal->n_days == 0)
    return NULL;
  return bsearch (&key, cal->days, cal->n_days, sizeof key, compare_market_day);
}

/**
 * hs_session_calendar_is_trading_day:
 * @day: a date as days since 1970-01-01
 *
 * Whether the market trades on @day: always for 24/7; for the US session a weekday that is not
 * a holiday (an early close is a trading day).
 */
gboolean
hs_session_calendar_is_trading_day (const HsSessionCalendar *cal,
                                    int64_t                  day)
{
  const HsMarketDay *d;

  if (cal->session == HS_SESSION_ALWAYS)
    return TRUE;
  if (is_weekend (day))
    return FALSE;
  d = find_market_day (cal, day);
  return d == NULL || d->kind != HS_MARKET_DAY_HOLIDAY;
}

/**
 * hs_session_calendar_session:
 * @day: a local date (New York for the US session, UTC for 24/7) as days since 1970-01-01
 * @open: (out): when the session opens, µs UTC
 * @close: (out): when it closes, µs UTC
 *
 * Returns: whether @day has a session: 24/7 the whole UTC day; US 09:30 to 16:00 New York (or
 *   to the early close) on trading days
 */
gboolean
hs_session_calendar_session (const HsSessionCalendar *cal,
                             int64_t                  day,
                             int64_t                 *open,
                             int64_t                 *close)
{
  const HsMarketDay *d;
  int64_t close_s = RTH_CLOSE_S;

  if (cal->session == HS_SESSION_ALWAYS)
    {
      *open = day * DAY_US;
      *close = *open + DAY_US;
      return TRUE;
    }
  if (is_weekend (day))
    return FALSE;
  d = find_market_day (cal, day);
  if (d != NULL && d->kind == HS_MARKET_DAY_HOLIDAY)
    return FALSE;
  if (d != NULL && d->kind == HS_MARKET_DAY_EARLY_CLOSE)
    close_s = d->close_s;
  if (close_s <= RTH_OPEN_S)
    return FALSE;
  *open = local_to_utc_us (cal->tz, day, RTH_OPEN_S);
  *close = local_to_utc_us (cal->tz, day, close_s);
  return TRUE;
}

/* The local date of @ts as days since 1970-01-01: New York's for the US session, else UTC's. */
int64_t
hs_session_calendar_day_of (const HsSessionCalendar *cal,
                            int64_t                  ts)
{
  gint64 s = floor_div (ts, US_PER_S);

  if (cal->tz != NULL)
    s += g_time_zone_get_offset (cal->tz,
                                 g_time_zone_find_interval (cal->tz, G_TIME_TYPE_UNIVERSAL, s));
  return floor_div (s, DAY_S);
}

/* ---- candle gaps ---- */

struct _HsGapFinder
{
  const HsSessionCalendar *cal;   /* (unowned) outlives the finder */
  gboolean    daily;      /* 1d: one bar per trading day, matched by UTC date */
  int64_t     slot_us;    /* the bar length */
  int64_t     from, to;   /* the range: bars overlapping [from, to] are expected */
  int64_t     day;        /* the session being walked */
  int64_t     last_day;
  gboolean    done;       /* past the range's last session */
  int64_t     open, close;
  int64_t     next_k;     /* the first slot of the session not yet accounted for */
  int64_t     end_k;      /* one past the session's last slot inside the range */
  gboolean    pending;    /* range holds missing bars not yet followed by a present one */
  HsGapRange  range;
  int64_t     expected, present;
  GArray     *ranges;     /* (owned) HsGapRange */
};

/* Whether @interval can be checked: intraday intervals (1s … 4h, each divides a day) and 1d.
 * tick bars have no grid; 2d, 1w, 2w and 1mo are not checked. */
gboolean
hs_gaps_check_interval (const char *interval,
                        GError    **error)
{
  const HsInterval *iv = hs_interval_lookup (interval);

  if (iv == NULL || iv->seconds <= 0 || (iv->seconds < DAY_S && DAY_S % iv->seconds != 0)
      || iv->seconds > DAY_S)
    {
      g_set_error (error, HS_GAPS_ERROR, HS_GAPS_ERROR_INTERVAL,
                   "gaps are found for intervals from 1s to 1d, not “%s”", interval);
      return FALSE;
    }
  return TRUE;
}

/* The session of @day: for 1d bars the UTC day of a trading day (providers stamp daily bars at
 * 00:00 UTC or at the 09:30 open, both on the trading day's UTC date), else the calendar's. */
static gboolean
finder_session (HsGapFinder *f,
                int64_t      day,
                int64_t     *open,
                int64_t     *close)
{
  if (!f->daily)
    return hs_session_calendar_session (f->cal, day, open, close);
  if (!hs_session_calendar_is_trading_day (f->cal, day))
    return FALSE;
  *open = day * DAY_US;
  *close = *open + DAY_US;
  return TRUE;
}

/* Moves to the next day with at least one expected bar in the range; FALSE past the last. */
static gboolean
next_session (HsGapFinder *f)
{
  while (!f->done && f->day < f->last_day)
    {
      int64_t open, close, n_slots, kmin, kmax;

      f->day++;
      if (!finder_session (f, f->day, &open, &close))
        continue;
      /* Slot k is [open + k·len, min (open + (k+1)·len, close)); the last may be cut short. */
      n_slots = (close - open + f->slot_us - 1) / f->slot_us;
      /* The slot holding from; none when from is past the close (the last slot may end
       * before the slot grid says). */
      kmin = f->from >= close ? n_slots : f->from > open ? (f->from - open) / f->slot_us : 0;
      kmax = f->to >= close ? n_slots : f->to >= open ? (f->to - open) / f->slot_us + 1 : 0;
      if (kmin >= kmax)
        continue;
      f->open = open;
      f->close = close;
      f->next_k = kmin;
      f->end_k = kmax;
      return TRUE;
    }
  f->done = TRUE;
  return FALSE;
}

static void
flush_pending (HsGapFinder *f)
{
  if (f->pending)
    g_array_append_val (f->ranges, f->range);
  f->pending = FALSE;
}

/* Slots [k0, k1) of the current session are missing. */
static void
add_missing (HsGapFinder *f,
             int64_t      k0,
             int64_t      k1)
{
  if (k0 >= k1)
    return;
  if (!f->pending)
    {
      f->pending = TRUE;
      f->range.start = f->open + k0 * f->slot_us;
      f->range.missing = 0;
    }
  f->range.end = MIN (f->open + k1 * f->slot_us, f->close);
  f->range.missing += k1 - k0;
  f->expected += k1 - k0;
}

/**
 * hs_gap_finder_new:
 * @cal: the market's sessions; must outlive the finder
 * @interval: the bars' interval, one hs_gaps_check_interval() accepts
 * @from_ts: start of the range (µs UTC)
 * @to_ts: end of the range, inclusive: every expected bar that overlaps [@from_ts, @to_ts]
 *   counts
 *
 * Intraday bars are expected at the session's open and every interval after it while they
 * start before the close (US: 09:30, 09:31 … 15:59 for 1m; 09:30 … 15:30 for 1h, the last one
 * cut at 16:00; 24/7: aligned to UTC midnight); a stored bar fills the slot its start falls in.
 * Daily bars: one per trading day, the bar's UTC date its day.
 *
 * Returns: (transfer full): the finder, or %NULL with @error (%HS_GAPS_ERROR_INTERVAL,
 *   %HS_GAPS_ERROR_RANGE)
 */
HsGapFinder *
hs_gap_finder_new (const HsSessionCalendar *cal,
                   const char              *interval,
                   int64_t                  from_ts,
                   int64_t                  to_ts,
                   GError                 **error)
{
  g_autoptr(HsGapFinder) f = NULL;
  const HsInterval *iv;

  g_return_val_if_fail (cal != NULL && interval != NULL, NULL);

  if (!hs_gaps_check_interval (interval, error))
    return NULL;
  if (from_ts > to_ts || from_ts < MIN_TS || to_ts > MAX_TS)
    {
      g_set_error (error, HS_GAPS_ERROR, HS_GAPS_ERROR_RANGE,
                   from_ts > to_ts ? "the range ends before it starts"
                                   : "the range reaches outside the years 1 to 9999");
      return NULL;
    }
  iv = hs_interval_lookup (interval);
  f = g_new0 (HsGapFinder, 1);
  f->cal = cal;
  f->daily = iv->seconds == DAY_S;
  f->slot_us = iv->seconds * US_PER_S;
  f->from = from_ts;
  f->to = to_ts;
  f->ranges = g_array_new (FALSE, FALSE, sizeof (HsGapRange));
  if (f->daily)
    {
      f->day = floor_div (from_ts, DAY_US) - 1;
      f->last_day = floor_div (to_ts, DAY_US);
    }
  else
    {
      f->day = hs_session_calendar_day_of (cal, from_ts) - 1;
      f->last_day = hs_session_calendar_day_of (cal, to_ts);
    }
  next_session (f);
  return g_steal_pointer (&f);
}

/**
 * hs_gap_finder_push:
 * @ts: the start of a stored bar; bars come in ascending time
 *
 * Accounts for the expected bars up to @ts: those before it that were not seen are missing,
 * the one @ts falls in is present. Bars outside sessions or the range change nothing.
 */
void
hs_gap_finder_push (HsGapFinder *f,
                    int64_t      ts)
{
  g_return_if_fail (f != NULL);

  while (!f->done)
    {
      int64_t k;

      if (ts < f->open)
        return;
      k = (ts - f->open) / f->slot_us;
      if (ts >= f->close || k >= f->end_k)
        {
          add_missing (f, f->next_k, f->end_k);
          next_session (f);
          continue;
        }
      if (k < f->next_k)
        return;
      add_missing (f, f->next_k, k);
      flush_pending (f);
      f->expected++;
      f->present++;
      f->next_k = k + 1;
      return;
    }
}

/**
 * hs_gap_finder_finish:
 * @expected: (out) (optional): the bars the calendar expects in the range
 * @present: (out) (optional): how many of them were seen
 *
 * Counts every expected bar after the last one pushed as missing.
 *
 * Returns: (transfer full) (element-type HsGapRange): the missing ranges in time order; the
 *   finder is spent
 */
GArray *
hs_gap_finder_finish (HsGapFinder *f,
                      int64_t     *expected,
                      int64_t     *present)
{
  g_return_val_if_fail (f != NULL && f->ranges != NULL, NULL);

  while (!f->done)
    {
      add_missing (f, f->next_k, f->end_k);
      next_session (f);
    }
  flush_pending (f);
  if (expected != NULL)
    *expected = f->expected;
  if (present != NULL)
    *present = f->present;
  return g_steal_pointer (&f->ranges);
}

void
hs_gap_finder_free (HsGapFinder *f)
{
  if (f == NULL)
    return;
  g_clear_pointer (&f->ranges, g_array_unref);
  g_free (f);
}

/* ---- sequence gaps ---- */

HsSeqCheck *
hs_seq_check_new (void)
{
  HsSeqCheck *c = g_new0 (HsSeqCheck, 1);

  c->gaps = g_array_new (FALSE, FALSE, sizeof (HsSeqGap));
  return c;
}

/**
 * hs_seq_check_push:
 * @value: the next sequence number or trade id, in the order the rows are read
 * @ts: its row's time
 *
 * A value more than one above the one before is a gap of the values between.
 */
void
hs_seq_check_push (HsSeqCheck *c,
                   int64_t     value,
                   int64_t     ts)
{
  g_return_if_fail (c != NULL);

  if (c->rows > 0)
    {
      if (value < c->last)
        c->restarts++;
      else if (value == c->last)
        c->repeats++;
      else if ((uint64_t) value - (uint64_t) c->last > 1)
        {
          /* The difference of two int64 fits a uint64; more than G_MAXINT64 missing saturates. */
          uint64_t diff = (uint64_t) value - (uint64_t) c->last - 1;
          HsSeqGap g = {
            .after = c->last, .before = value, .after_ts = c->last_ts, .before_ts = ts,
            .missing = diff > (uint64_t) G_MAXINT64 ? G_MAXINT64 : (int64_t) diff,
          };

          g_array_append_val (c->gaps, g);
          c->missing = g.missing > G_MAXINT64 - c->missing ? G_MAXINT64 : c->missing + g.missing;
        }
    }
  c->rows++;
  c->last = value;
  c->last_ts = ts;
}

void
hs_seq_check_free (HsSeqCheck *c)
{
  if (c == NULL)
    return;
  g_array_unref (c->gaps);
  g_free (c);
}
