/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Gap detection and retention (docs/gaps-retention.md). Candle gaps by hand on a stock across a
 * weekend, over a holiday of the market calendar, on an early-close day and across both DST
 * changes, and on a 24/7 crypto series, intraday and daily; a differential test of the gap
 * finder against a deliberately slow reference in this file (every minute of the range looked
 * at through GDateTime, no arithmetic on sessions); sequence gaps by hand. Retention: candles,
 * CVD and quote bars equal to a hand calculation from the trades and quotes written out below;
 * rows younger than the cutoff untouched; a stored 1-minute candle kept; an interruption after
 * the first day leaves it fully rolled up and the later days untouched; a dry run leaves an
 * identical dump and counts what the real run then does; a second run changes nothing; the
 * GTask wrapper. The gap report of a database with candles, snapshots, books and trades.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-gaps-job.h"
#include "hs-gaps.h"
#include "hs-interval.h"
#include "hs-retention.h"
#include "hs-rollup.h"
#include "hs-store-lean.h"
#include "hs-store-market.h"
#include "hs-test-cli.h"
#include "hs-time.h"

#define SEC_US INT64_C (1000000)
#define MIN_US (60 * SEC_US)
#define DAY_US (86400 * SEC_US)
#define EPS    1e-9

static char *tmpdir;

static int64_t
T (const char *iso)
{
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_time_parse (iso, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

static int64_t
day_of (const char *date)
{
  return T (date) / DAY_US;
}

/* Pushes a bar at every minute of [from, end). */
static void
push_minutes (HsGapFinder *f,
              const char  *from,
              const char  *end)
{
  for (int64_t t = T (from); t < T (end); t += MIN_US)
    hs_gap_finder_push (f, t);
}

typedef struct
{
  const char *start;
  const char *end;
  int64_t     missing;
} Want;

static void
assert_ranges (GArray     *ranges,
               const Want *want,
               guint       n)
{
  g_assert_cmpuint (ranges->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const HsGapRange *r = &g_array_index (ranges, HsGapRange, i);

      g_assert_cmpint (r->start, ==, T (want[i].start));
      g_assert_cmpint (r->end, ==, T (want[i].end));
      g_assert_cmpint (r->missing, ==, want[i].missing);
    }
}

static HsSessionCalendar *
us_calendar (const HsMarketDay *days,
             size_t             n)
{
  g_autoptr(GError) error = NULL;
  HsSessionCalendar *cal = hs_session_calendar_new (HS_SESSION_US_EQUITY, days, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cal);
  return cal;
}

static HsGapFinder *
finder (const HsSessionCalendar *cal,
        const char              *interval,
        const char              *from,
        const char              *to)
{
  g_autoptr(GError) error = NULL;
  HsGapFinder *f = hs_gap_finder_new (cal, interval, T (from), T (to), &error);

  g_assert_no_error (error);
  g_assert_nonnull (f);
  return f;
}

/* ---- Candle gaps by hand ------------------------------------------------------------------ */

/* January 2024: New York is on EST (UTC−5), so the session is 14:30–21:00 UTC, 390 minutes.
 * Friday 5th: bars from 14:30 to 19:59 (330), then none. Monday 8th: none before 15:00, then
 * bars to the close (360). A bar on Saturday and pre-market bars change nothing.
 * Expected 390 + 390 = 780; present 330 + 360 = 690; missing Friday 20:00–21:00 (60) and
 * Monday 14:30–15:00 (30), next to each other in the sequence of expected bars, so one range
 * from Friday 20:00 to Monday 15:00 with 90 missing: the weekend counts for nothing. */
static void
test_weekend (void)
{
  g_autoptr(HsSessionCalendar) cal = us_calendar (NULL, 0);
  g_autoptr(HsGapFinder) f = finder (cal, "1m", "2024-01-05T00:00:00Z",
                                     "2024-01-08T23:59:59.999999Z");
  g_autoptr(GArray) ranges = NULL;
  int64_t expected = 0, present = 0;
  const Want want[] = { { "2024-01-05T20:00:00Z", "2024-01-08T15:00:00Z", 90 } };

  push_minutes (f, "2024-01-05T12:00:00Z", "2024-01-05T14:30:00Z");   /* pre-market */
  push_minutes (f, "2024-01-05T14:30:00Z", "2024-01-05T20:00:00Z");
  hs_gap_finder_push (f, T ("2024-01-06T15:00:00Z"));                  /* Saturday */
  push_minutes (f, "2024-01-08T15:00:00Z", "2024-01-08T21:00:00Z");
  push_minutes (f, "2024-01-08T21:00:00Z", "2024-01-08T22:00:00Z");   /* after hours */
  ranges = hs_gap_finder_finish (f, &expected, &present);
  g_assert_cmpint (expected, ==, 780);
  g_assert_cmpint (present, ==, 690);
  assert_ranges (ranges, want, G_N_ELEMENTS (want));
}

/* Monday 2024-01-15 (Martin Luther King Jr. Day). Bars on Friday 12th and Tuesday 16th, full
 * sessions (14:30–21:00 UTC). With the holiday in the calendar: 780 expected, none missing.
 * Without a calendar Monday is a weekday like any: 1170 expected, its 390 bars one range. */
static void
test_holiday (void)
{
  const HsMarketDay holiday = { day_of ("2024-01-15"), HS_MARKET_DAY_HOLIDAY, 0 };
  const Want monday[] = { { "2024-01-15T14:30:00Z", "2024-01-15T21:00:00Z", 390 } };

  for (int with_calendar = 1; with_calendar >= 0; with_calendar--)
    {
      g_autoptr(HsSessionCalendar) cal = us_calendar (with_calendar ? &holiday : NULL,
                                                      with_calendar ? 1 : 0);
      g_autoptr(HsGapFinder) f = finder (cal, "1m", "2024-01-12T00:00:00Z",
                                         "2024-01-16T23:59:00Z");
      g_autoptr(GArray) ranges = NULL;
      int64_t expected = 0, present = 0;

      push_minutes (f, "2024-01-12T14:30:00Z", "2024-01-12T21:00:00Z");
      push_minutes (f, "2024-01-16T14:30:00Z", "2024-01-16T21:00:00Z");
      ranges = hs_gap_finder_finish (f, &expected, &present);
      g_assert_cmpint (present, ==, 780);
      g_assert_cmpint (expected, ==, with_calendar ? 780 : 1170);
      assert_ranges (ranges, monday, with_calendar ? 0 : 1);
    }
}

/* Friday 2024-11-29, the day after Thanksgiving, closes at 13:00 New York = 18:00 UTC (EST).
 * 1m: 09:30–13:00 is 210 bars; bars 14:30–17:29 UTC (180) leave 17:30–18:00 (30) missing, not
 * the 210 a 16:00 close would. 1h: bars start 09:30, 10:30, 11:30, 12:30 (the last cut at
 * 13:00): 4 expected; bars at 14:30, 15:30, 16:30 UTC leave [17:30, 18:00) missing, 1 bar. */
static void
test_early_close (void)
{
  const HsMarketDay early = { day_of ("2024-11-29"), HS_MARKET_DAY_EARLY_CLOSE, 13 * 3600 };
  g_autoptr(HsSessionCalendar) cal = us_calendar (&early, 1);
  const Want want[] = { { "2024-11-29T17:30:00Z", "2024-11-29T18:00:00Z", 30 } };
  const Want want_1h[] = { { "2024-11-29T17:30:00Z", "2024-11-29T18:00:00Z", 1 } };
  int64_t expected = 0, present = 0;

  {
    g_autoptr(HsGapFinder) f = finder (cal, "1m", "2024-11-29T00:00:00Z",
                                       "2024-11-29T23:59:00Z");
    g_autoptr(GArray) ranges = NULL;

    push_minutes (f, "2024-11-29T14:30:00Z", "2024-11-29T17:30:00Z");
    ranges = hs_gap_finder_finish (f, &expected, &present);
    g_assert_cmpint (expected, ==, 210);
    g_assert_cmpint (present, ==, 180);
    assert_ranges (ranges, want, G_N_ELEMENTS (want));
  }
  {
    g_autoptr(HsGapFinder) f = finder (cal, "1h", "2024-11-29T00:00:00Z",
                                       "2024-11-29T23:59:00Z");
    g_autoptr(GArray) ranges = NULL;

    hs_gap_finder_push (f, T ("2024-11-29T14:30:00Z"));
    hs_gap_finder_push (f, T ("2024-11-29T15:30:00Z"));
    hs_gap_finder_push (f, T ("2024-11-29T16:30:00Z"));
    ranges = hs_gap_finder_finish (f, &expected, &present);
    g_assert_cmpint (expected, ==, 4);
    g_assert_cmpint (present, ==, 3);
    assert_ranges (ranges, want_1h, G_N_ELEMENTS (want_1h));
  }
}

/* DST starts Sunday 2024-03-10: Friday 8th trades 14:30–21:00 UTC (EST), Monday 11th
 * 13:30–20:00 UTC (EDT). Friday full; Monday from 13:31 to 19:59 UTC: only Monday 13:30 is
 * missing (a finder on EST would miss 20:00–21:00 instead). DST ends Sunday 2024-11-03: Friday
 * 1st 13:30–20:00 UTC, Monday 4th 14:30–21:00 UTC; Monday's last bar (20:59 UTC) missing. */
static void
test_dst (void)
{
  g_autoptr(HsSessionCalendar) cal = us_calendar (NULL, 0);
  const Want spring[] = { { "2024-03-11T13:30:00Z", "2024-03-11T13:31:00Z", 1 } };
  const Want autumn[] = { { "2024-11-04T20:59:00Z", "2024-11-04T21:00:00Z", 1 } };
  int64_t expected = 0, present = 0;

  {
    g_autoptr(HsGapFinder) f = finder (cal, "1m", "2024-03-08T00:00:00Z",
                                       "2024-03-11T23:59:00Z");
    g_autoptr(GArray) ranges = NULL;

    push_minutes (f, "2024-03-08T14:30:00Z", "2024-03-08T21:00:00Z");
    push_minutes (f, "2024-03-11T13:31:00Z", "2024-03-11T20:00:00Z");
    ranges = hs_gap_finder_finish (f, &expected, &present);
    g_assert_cmpint (expected, ==, 780);
    g_assert_cmpint (present, ==, 779);
    assert_ranges (ranges, spring, G_N_ELEMENTS (spring));
  }
  {
    g_autoptr(HsGapFinder) f = finder (cal, "1m", "2024-11-01T00:00:00Z",
                                       "2024-11-04T23:59:00Z");
    g_autoptr(GArray) ranges = NULL;

    push_minutes (f, "2024-11-01T13:30:00Z", "2024-11-01T20:00:00Z");
    push_minutes (f, "2024-11-04T14:30:00Z", "2024-11-04T20:59:00Z");
    ranges = hs_gap_finder_finish (f, &expected, &present);
    g_assert_cmpint (expected, ==, 780);
    g_assert_cmpint (present, ==, 779);
    assert_ranges (ranges, autumn, G_N_ELEMENTS (autumn));
  }
}

/* Crypto trades 24/7. 1m over Saturday 2024-01-06 00:00–00:09 (10 expected): bars at minutes
 * 0, 1, 2, 5, 6, 9 leave [00:03, 00:05) and [00:07, 00:09), 2 bars each. 1d over 2024-01-01 to
 * 2024-01-07 (7 expected, weekend included): bars stamped 00:00 UTC except on the 3rd and the
 * 6th leave two ranges of one day. A range ending inside a slot counts that slot: 1h from
 * 00:00 to 02:30 is 3 expected bars. */
static void
test_crypto (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsSessionCalendar) cal = hs_session_calendar_new (HS_SESSION_ALWAYS, NULL, 0,
                                                              &error);
  const Want minutes[] = {
    { "2024-01-06T00:03:00Z", "2024-01-06T00:05:00Z", 2 },
    { "2024-01-06T00:07:00Z", "2024-01-06T00:09:00Z", 2 },
  };
  const Want days[] = {
    { "2024-01-03T00:00:00Z", "2024-01-04T00:00:00Z", 1 },
    { "2024-01-06T00:00:00Z", "2024-01-07T00:00:00Z", 1 },
  };
  const int present_minutes[] = { 0, 1, 2, 5, 6, 9 };
  const char *present_days[] = { "2024-01-01", "2024-01-02", "2024-01-04", "2024-01-05",
                                 "2024-01-07" };
  int64_t expected = 0, present = 0;

  g_assert_no_error (error);
  {
    g_autoptr(HsGapFinder) f = finder (cal, "1m", "2024-01-06T00:00:00Z",
                                       "2024-01-06T00:09:00Z");
    g_autoptr(GArray) ranges = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS (present_minutes); i++)
      hs_gap_finder_push (f, T ("2024-01-06T00:00:00Z") + present_minutes[i] * MIN_US);
    ranges = hs_gap_finder_finish (f, &expected, &present);
    g_assert_cmpint (expected, ==, 10);
    g_assert_cmpint (present, ==, 6);
    assert_ranges (ranges, minutes, G_N_ELEMENTS (minutes));
  }
  {
    g_autoptr(HsGapFinder) f = finder (cal, "1d", "2024-01-01T00:00:00Z",
                                       "2024-01-07T00:00:00Z");
    g_autoptr(GArray) ranges = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS (present_days); i++)
      hs_gap_finder_push (f, T (present_days[i]));
    ranges = hs_gap_finder_finish (f, &expected, &present);
    g_assert_cmpint (expected, ==, 7);
    g_assert_cmpint (present, ==, 5);
    assert_ranges (ranges, days, G_N_ELEMENTS (days));
  }
  {
    g_autoptr(HsGapFinder) f = finder (cal, "1h", "2024-01-06T00:00:00Z",
                                       "2024-01-06T02:30:00Z");
    g_autoptr(GArray) ranges = hs_gap_finder_finish (f, &expected, &present);

    g_assert_cmpint (expected, ==, 3);
    g_assert_cmpint (ranges->len, ==, 1);
  }
}

/* Daily stock bars: one per trading day, matched by UTC date whatever the stamp (Yahoo stamps
 * 14:30 UTC, LEAN 00:00 UTC). Week of 2024-01-15 with the holiday on Monday: Tue–Fri expected
 * (4); bars on Tue (00:00), Wed (14:30) and Fri (00:00) leave Thursday the 18th. A range
 * starting at 14:30 on Tuesday still expects Tuesday's bar stamped 00:00 (the job reads from
 * one interval before the range for this). */
static void
test_daily_stock (void)
{
  const HsMarketDay holiday = { day_of ("2024-01-15"), HS_MARKET_DAY_HOLIDAY, 0 };
  g_autoptr(HsSessionCalendar) cal = us_calendar (&holiday, 1);
  g_autoptr(HsGapFinder) f = finder (cal, "1d", "2024-01-13T00:00:00Z",
                                     "2024-01-21T00:00:00Z");
  g_autoptr(GArray) ranges = NULL;
  const Want want[] = { { "2024-01-18T00:00:00Z", "2024-01-19T00:00:00Z", 1 } };
  int64_t expected = 0, present = 0;

  hs_gap_finder_push (f, T ("2024-01-16T00:00:00Z"));
  hs_gap_finder_push (f, T ("2024-01-17T14:30:00Z"));
  hs_gap_finder_push (f, T ("2024-01-19T00:00:00Z"));
  ranges = hs_gap_finder_finish (f, &expected, &present);
  g_assert_cmpint (expected, ==, 4);
  g_assert_cmpint (present, ==, 3);
  assert_ranges (ranges, want, G_N_ELEMENTS (want));
}

static void
test_bad_input (void)
{
  g_autoptr(HsSessionCalendar) cal = us_calendar (NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsGapFinder) f = NULL;
  const char *refused[] = { "tick", "1w", "2d", "1mo", "7m", "" };

  for (size_t i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (hs_gaps_check_interval (refused[i], &error));
      g_assert_error (error, HS_GAPS_ERROR, HS_GAPS_ERROR_INTERVAL);
      g_clear_error (&error);
    }
  f = hs_gap_finder_new (cal, "1m", T ("2024-01-02T00:00:00Z"), T ("2024-01-01T00:00:00Z"),
                         &error);
  g_assert_null (f);
  g_assert_error (error, HS_GAPS_ERROR, HS_GAPS_ERROR_RANGE);
  g_clear_error (&error);
  f = hs_gap_finder_new (cal, "1m", G_MININT64, 0, &error);
  g_assert_null (f);
  g_assert_error (error, HS_GAPS_ERROR, HS_GAPS_ERROR_RANGE);
}

/* ---- Differential test against a slow reference ------------------------------------------- */

typedef struct
{
  GTimeZone         *ny;
  gboolean           us;
  const HsMarketDay *days;
  size_t             n_days;
} Ref;

/* The session around minute @m, found the slow way: the New York wall clock of @m from
 * GDateTime, the weekday, a linear search of the calendar, 09:30 and the close built as
 * GDateTimes in New York. FALSE when @m is outside every session. */
static gboolean
ref_session (const Ref *ref,
             int64_t    m,
             int64_t   *open,
             int64_t   *close)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (m / SEC_US);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) o = NULL;
  g_autoptr(GDateTime) c = NULL;
  int y, mo, d, close_h = 16, close_m = 0;

  if (!ref->us)
    {
      *open = m / DAY_US * DAY_US;
      *close = *open + DAY_US;
      return TRUE;
    }
  local = g_date_time_to_timezone (utc, ref->ny);
  if (g_date_time_get_day_of_week (local) >= 6)
    return FALSE;
  g_date_time_get_ymd (local, &y, &mo, &d);
  for (size_t i = 0; i < ref->n_days; i++)
    if (ref->days[i].day == hs_time_days_from_civil (y, (unsigned) mo, (unsigned) d))
      {
        if (ref->days[i].kind == HS_MARKET_DAY_HOLIDAY)
          return FALSE;
        close_h = ref->days[i].close_s / 3600;
        close_m = ref->days[i].close_s / 60 % 60;
      }
  o = g_date_time_new (ref->ny, y, mo, d, 9, 30, 0);
  c = g_date_time_new (ref->ny, y, mo, d, close_h, close_m, 0);
  *open = g_date_time_to_unix (o) * SEC_US;
  *close = g_date_time_to_unix (c) * SEC_US;
  return m >= *open && m < *close;
}

/* The slot (bar start) minute @m falls in, or G_MININT64 outside sessions. */
static int64_t
ref_slot (const Ref *ref,
          int64_t    m,
          int64_t    len,
          int64_t   *slot_end)
{
  int64_t open = 0, close = 0, start;

  if (!ref_session (ref, m, &open, &close))
    return G_MININT64;
  start = open + (m - open) / len * len;
  *slot_end = MIN (start + len, close);
  return start;
}

/* Walks every minute of [from, to] (both whole minutes), collecting the expected slots and
 * merging the ones without a stored bar into ranges. */
static GArray *
ref_gaps (const Ref     *ref,
          int64_t        len,
          int64_t        from,
          int64_t        to,
          const int64_t *bars,
          size_t         n_bars,
          int64_t       *expected)
{
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsGapRange));
  HsGapRange cur = { 0 };
  gboolean open_range = FALSE;
  int64_t last_slot = G_MININT64, end = 0;

  for (size_t i = 0; i < n_bars; i++)
    {
      int64_t slot = ref_slot (ref, bars[i] / MIN_US * MIN_US, len, &end);

      if (slot != G_MININT64)
        g_hash_table_add (present, g_memdup2 (&slot, sizeof slot));
    }
  *expected = 0;
  for (int64_t m = from; m <= to; m += MIN_US)
    {
      int64_t slot = ref_slot (ref, m, len, &end);

      if (slot == G_MININT64 || slot == last_slot)
        continue;
      last_slot = slot;
      (*expected)++;
      if (g_hash_table_contains (present, &slot))
        {
          if (open_range)
            g_array_append_val (out, cur);
          open_range = FALSE;
          continue;
        }
      if (!open_range)
        cur = (HsGapRange) { .start = slot, .missing = 0 };
      open_range = TRUE;
      cur.end = end;
      cur.missing++;
    }
  if (open_range)
    g_array_append_val (out, cur);
  return out;
}

/* Three weeks of March 2024 around the DST change, with a holiday (13th) and an early close
 * (15th, 13:00) in the calendar; random bars at random minutes (inside and outside sessions,
 * dense and sparse), random whole-minute ranges; 1m, 5m, 30m, 1h and 4h. And 24/7 at 1m and 1h. */
static void
test_differential (void)
{
  const HsMarketDay days[] = {
    { day_of ("2024-03-13"), HS_MARKET_DAY_HOLIDAY, 0 },
    { day_of ("2024-03-15"), HS_MARKET_DAY_EARLY_CLOSE, 13 * 3600 },
  };
  const struct { gboolean us; const char *interval; } cases[] = {
    { TRUE, "1m" }, { TRUE, "5m" }, { TRUE, "30m" }, { TRUE, "1h" }, { TRUE, "4h" },
    { FALSE, "1m" }, { FALSE, "1h" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240310);
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  int64_t base = T ("2024-03-04T00:00:00Z");

  g_assert_nonnull (ny);
  for (size_t c = 0; c < G_N_ELEMENTS (cases); c++)
    for (int rep = 0; rep < 12; rep++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(HsSessionCalendar) cal = NULL;
        g_autoptr(HsGapFinder) f = NULL;
        g_autoptr(GArray) got = NULL;
        g_autoptr(GArray) want = NULL;
        g_autoptr(GArray) bars = g_array_new (FALSE, FALSE, sizeof (int64_t));
        Ref ref = { ny, cases[c].us, days, G_N_ELEMENTS (days) };
        int64_t len = hs_interval_lookup (cases[c].interval)->seconds * SEC_US;
        int64_t from = base + g_rand_int_range (rand, 0, 3 * 1440) * MIN_US;
        int64_t to = from + g_rand_int_range (rand, 1, 14 * 1440) * MIN_US;
        double density = g_rand_double_range (rand, 0.05, 0.98);
        int64_t expected = 0, present = 0, want_expected = 0, t;

        /* Bars from a day before the range to a day after, at a random share of minutes. */
        for (t = from - DAY_US; t <= to + DAY_US; t += MIN_US)
          if (g_rand_double (rand) < density)
            g_array_append_val (bars, t);
        cal = hs_session_calendar_new (cases[c].us ? HS_SESSION_US_EQUITY : HS_SESSION_ALWAYS,
                                       days, G_N_ELEMENTS (days), &error);
        g_assert_no_error (error);
        f = hs_gap_finder_new (cal, cases[c].interval, from, to, &error);
        g_assert_no_error (error);
        for (guint i = 0; i < bars->len; i++)
          hs_gap_finder_push (f, g_array_index (bars, int64_t, i));
        got = hs_gap_finder_finish (f, &expected, &present);
        want = ref_gaps (&ref, len, from, to, (const int64_t *) (void *) bars->data, bars->len,
                         &want_expected);
        g_assert_cmpint (expected, ==, want_expected);
        g_assert_cmpuint (got->len, ==, want->len);
        for (guint i = 0; i < got->len; i++)
          {
            const HsGapRange *a = &g_array_index (got, HsGapRange, i);
            const HsGapRange *b = &g_array_index (want, HsGapRange, i);

            g_assert_cmpint (a->start, ==, b->start);
            g_assert_cmpint (a->end, ==, b->end);
            g_assert_cmpint (a->missing, ==, b->missing);
            present += a->missing;
          }
        /* present + Σ missing = expected. */
        g_assert_cmpint (present, ==, expected);
      }
}

/* ---- Sequences ---------------------------------------------------------------------------- */

/* 1 2 3 7 8 8 2 3 5: 3 → 7 misses 4, 5, 6 (3); 8 8 is a repeat; 8 → 2 a restart (a new stream,
 * not a gap); 3 → 5 misses 4 (1). Total 4 missing, 2 gaps. */
static void
test_sequence (void)
{
  g_autoptr(HsSeqCheck) c = hs_seq_check_new ();
  g_autoptr(HsSeqCheck) wide = hs_seq_check_new ();
  const int64_t values[] = { 1, 2, 3, 7, 8, 8, 2, 3, 5 };
  const HsSeqGap *g;

  for (size_t i = 0; i < G_N_ELEMENTS (values); i++)
    hs_seq_check_push (c, values[i], (int64_t) i * 10);
  g_assert_cmpint (c->rows, ==, 9);
  g_assert_cmpint (c->repeats, ==, 1);
  g_assert_cmpint (c->restarts, ==, 1);
  g_assert_cmpint (c->missing, ==, 4);
  g_assert_cmpuint (c->gaps->len, ==, 2);
  g = &g_array_index (c->gaps, HsSeqGap, 0);
  g_assert_cmpint (g->after, ==, 3);
  g_assert_cmpint (g->before, ==, 7);
  g_assert_cmpint (g->after_ts, ==, 20);
  g_assert_cmpint (g->before_ts, ==, 30);
  g_assert_cmpint (g->missing, ==, 3);
  g = &g_array_index (c->gaps, HsSeqGap, 1);
  g_assert_cmpint (g->after, ==, 3);
  g_assert_cmpint (g->before, ==, 5);
  g_assert_cmpint (g->missing, ==, 1);

  /* The widest jump, G_MININT64 to G_MAXINT64, misses 2^64 − 2 values: saturated. */
  hs_seq_check_push (wide, G_MININT64, 0);
  hs_seq_check_push (wide, G_MAXINT64, 1);
  hs_seq_check_push (wide, G_MININT64, 2);
  hs_seq_check_push (wide, 0, 3);
  g_assert_cmpint (wide->missing, ==, G_MAXINT64);
  g_assert_cmpuint (wide->gaps->len, ==, 2);
  g_assert_cmpint (g_array_index (wide->gaps, HsSeqGap, 0).missing, ==, G_MAXINT64);
  g_assert_cmpint (g_array_index (wide->gaps, HsSeqGap, 1).missing, ==, G_MAXINT64);
  g_assert_cmpint (wide->restarts, ==, 1);
}

/* ---- Roll-up arithmetic ------------------------------------------------------------------- */

/* The trades of the retention tests (day 1, 2024-01-01), CVD the running sum from 0:
 *   10:00:05  100    × 2  buy   cvd  2
 *   10:00:20  101    × 1  sell  cvd  1
 *   10:00:50   99.5  × 3  buy   cvd  4
 *   10:01:10  100.5  × 4  sell  cvd  0
 *   23:59:59.5 102   × 0.5 unknown cvd 0
 * Candles: 10:00 open 100, high 101, low 99.5, close 99.5, volume 6,
 *   vwap (100·2 + 101·1 + 99.5·3) / 6 = 599.5 / 6 = 99.91666…, 3 trades;
 *   10:01 all 100.5, volume 4, vwap 100.5, 1 trade; 23:59 all 102, volume 0.5, 1 trade.
 * CVD: 10:00 at 10:00:50, cvd 4, change +2 − 1 + 3 = 4; 10:01 at 10:01:10, cvd 0, change −4;
 *   23:59 at 23:59:59.5, cvd 0, change 0 (side unknown). */
static const struct
{
  const char *ts;
  double      price, size;
  HsSide      side;
  double      cvd;
} day1_trades[] = {
  { "2024-01-01T10:00:05Z", 100, 2, HS_SIDE_BUY, 2 },
  { "2024-01-01T10:00:20Z", 101, 1, HS_SIDE_SELL, 1 },
  { "2024-01-01T10:00:50Z", 99.5, 3, HS_SIDE_BUY, 4 },
  { "2024-01-01T10:01:10Z", 100.5, 4, HS_SIDE_SELL, 0 },
  { "2024-01-01T23:59:59.5Z", 102, 0.5, HS_SIDE_UNKNOWN, 0 },
};

/* Quotes of day 1: 10:00 bid open 99, high 99.5, low 98.9, close 98.9, last size 1; ask 100,
 * 100.2, 99.8, 99.8, last size 2. 10:02 a single quote: bid 100 and ask 101, sizes unknown: 0. */
static const HsQuote day1_quotes[] = {
  { 0, 99, 100, 5, 6 },
  { 0, 99.5, 100.2, NAN, 7 },
  { 0, 98.9, 99.8, 1, 2 },
  { 0, 100, 101, NAN, NAN },
};
static const char *day1_quote_times[] = {
  "2024-01-01T10:00:01Z", "2024-01-01T10:00:30Z", "2024-01-01T10:00:59Z",
  "2024-01-01T10:02:00Z",
};

static void
assert_bar (const HsBar *b,
            const char  *ts,
            double       open,
            double       high,
            double       low,
            double       close,
            double       volume,
            double       vwap,
            int64_t      count)
{
  g_assert_cmpint (b->ts, ==, T (ts));
  g_assert_cmpint (b->seq, ==, 0);
  g_assert_cmpfloat (b->open, ==, open);
  g_assert_cmpfloat (b->high, ==, high);
  g_assert_cmpfloat (b->low, ==, low);
  g_assert_cmpfloat (b->close, ==, close);
  g_assert_cmpfloat_with_epsilon (b->volume, volume, EPS);
  g_assert_cmpfloat_with_epsilon (b->vwap, vwap, EPS);
  g_assert_cmpint (b->trade_count, ==, count);
}

static void
test_rollup (void)
{
  g_autoptr(HsTradeColumns) t = hs_trade_columns_new ();
  g_autoptr(HsQuoteColumns) q = hs_quote_columns_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) bars = NULL;
  g_autoptr(GArray) cvd = NULL;
  g_autoptr(HsQuoteBars) qb = NULL;
  const HsCvdPoint *p;

  for (size_t i = 0; i < G_N_ELEMENTS (day1_trades); i++)
    hs_trade_columns_append (t, T (day1_trades[i].ts), day1_trades[i].price,
                             day1_trades[i].size, day1_trades[i].side, day1_trades[i].cvd);
  for (size_t i = 0; i < G_N_ELEMENTS (day1_quotes); i++)
    {
      HsQuote quote = day1_quotes[i];

      quote.ts = T (day1_quote_times[i]);
      hs_quote_columns_append (q, &quote);
    }
  bars = hs_rollup_trades (t, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bars->len, ==, 3);
  assert_bar (&g_array_index (bars, HsBar, 0), "2024-01-01T10:00:00Z", 100, 101, 99.5, 99.5, 6,
              599.5 / 6, 3);
  assert_bar (&g_array_index (bars, HsBar, 1), "2024-01-01T10:01:00Z", 100.5, 100.5, 100.5,
              100.5, 4, 100.5, 1);
  assert_bar (&g_array_index (bars, HsBar, 2), "2024-01-01T23:59:00Z", 102, 102, 102, 102, 0.5,
              102, 1);

  cvd = hs_rollup_cvd (t);
  g_assert_cmpuint (cvd->len, ==, 3);
  p = &g_array_index (cvd, HsCvdPoint, 0);
  g_assert_cmpint (p->ts, ==, T ("2024-01-01T10:00:50Z"));
  g_assert_cmpfloat (p->cvd, ==, 4);
  g_assert_cmpfloat (p->change, ==, 4);
  p = &g_array_index (cvd, HsCvdPoint, 1);
  g_assert_cmpint (p->ts, ==, T ("2024-01-01T10:01:10Z"));
  g_assert_cmpfloat (p->cvd, ==, 0);
  g_assert_cmpfloat (p->change, ==, -4);
  p = &g_array_index (cvd, HsCvdPoint, 2);
  g_assert_cmpint (p->ts, ==, T ("2024-01-01T23:59:59.5Z"));
  g_assert_cmpfloat (p->change, ==, 0);

  qb = hs_rollup_quotes (q);
  g_assert_cmpuint (qb->n, ==, 2);
  g_assert_cmpint (qb->ts[0], ==, T ("2024-01-01T10:00:00Z"));
  g_assert_cmpfloat (qb->bid_open[0], ==, 99);
  g_assert_cmpfloat (qb->bid_high[0], ==, 99.5);
  g_assert_cmpfloat (qb->bid_low[0], ==, 98.9);
  g_assert_cmpfloat (qb->bid_close[0], ==, 98.9);
  g_assert_cmpfloat (qb->bid_size[0], ==, 1);
  g_assert_cmpfloat (qb->ask_open[0], ==, 100);
  g_assert_cmpfloat (qb->ask_high[0], ==, 100.2);
  g_assert_cmpfloat (qb->ask_low[0], ==, 99.8);
  g_assert_cmpfloat (qb->ask_close[0], ==, 99.8);
  g_assert_cmpfloat (qb->ask_size[0], ==, 2);
  g_assert_cmpint (qb->ts[1], ==, T ("2024-01-01T10:02:00Z"));
  g_assert_cmpfloat (qb->bid_low[1], ==, 100);
  g_assert_cmpfloat (qb->ask_high[1], ==, 101);
  g_assert_cmpfloat (qb->bid_size[1], ==, 0);
  g_assert_cmpfloat (qb->ask_size[1], ==, 0);
}

/* ---- Retention through the database ------------------------------------------------------- */

typedef struct
{
  char    *path;
  HsStore *store;
  int64_t  btc;
} Db;

static void
db_clear (Db *db)
{
  g_clear_pointer (&db->store, hs_store_close);
  g_clear_pointer (&db->path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Db, db_clear)

static void
db_open (Db         *db,
         const char *name)
{
  g_autoptr(GError) error = NULL;

  db->path = g_build_filename (tmpdir, name, NULL);
  g_remove (db->path);
  db->store = hs_store_open (db->path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (hs_store_ensure_instrument (db->store, "BTC-USD", "coinbase", "crypto",
                                             &db->btc, &error));
  g_assert_no_error (error);
}

/* One value of @query's first row as an integer (a separate connection: what is committed). */
static int64_t
sql_int (const Db   *db,
         const char *query)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  int64_t v;

  g_assert_cmpint (sqlite3_open (db->path, &conn), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, query, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return v;
}

static double
sql_double (const Db   *db,
            const char *query)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  double v;

  g_assert_cmpint (sqlite3_open (db->path, &conn), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, query, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_type (stmt, 0), !=, SQLITE_NULL);
  v = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return v;
}

static void
add_trade (Db         *db,
           const char *ts,
           double      price,
           double      size,
           HsSide      side,
           double      cvd)
{
  g_autoptr(GError) error = NULL;
  HsTrade t = { T (ts), 0, NULL, price, size, side, cvd };

  g_assert_true (hs_store_insert_trade (db->store, db->btc, &t, NULL, &error));
  g_assert_no_error (error);
}

/* The data set of the retention tests; now is 2024-02-15T12:00Z and 30 days are kept, so the
 * cutoff is 2024-01-16T00:00Z (the midnight at or before 2024-01-16T12:00Z).
 *   day 1, 2024-01-01: day1_trades and day1_quotes (rolled up by hand above);
 *   day 2, 2024-01-02: 00:00:00 103 × 1 buy cvd 1, 00:00:30 104 × 2 buy cvd 3, and a 1m candle
 *     at 00:00 stored already (a provider's: all 200, volume 9), which is kept; the CVD point
 *     is at 00:00:30, cvd 3, change 3;
 *   day 3, 2024-01-15: 23:59:59 105 × 1 sell cvd 2 (the last second before the cutoff day);
 *   kept: 2024-01-16T00:00:00 106 × 1 buy cvd 3, 2024-02-14T12:00 107 × 1 buy cvd 4, and a
 *     quote on 2024-02-01. */
static void
fill_retention_data (Db *db)
{
  g_autoptr(GError) error = NULL;
  HsBar provider = { T ("2024-01-02T00:00:00Z"), 0, 200, 200, 200, 200, 9, NAN, -1 };
  HsQuote young = { T ("2024-02-01T00:00:00Z"), 1, 2, NAN, NAN };

  for (size_t i = 0; i < G_N_ELEMENTS (day1_trades); i++)
    add_trade (db, day1_trades[i].ts, day1_trades[i].price, day1_trades[i].size,
               day1_trades[i].side, day1_trades[i].cvd);
  for (size_t i = 0; i < G_N_ELEMENTS (day1_quotes); i++)
    {
      HsQuote quote = day1_quotes[i];

      quote.ts = T (day1_quote_times[i]);
      g_assert_true (hs_store_insert_quote (db->store, db->btc, &quote, NULL, &error));
      g_assert_no_error (error);
    }
  add_trade (db, "2024-01-02T00:00:00Z", 103, 1, HS_SIDE_BUY, 1);
  add_trade (db, "2024-01-02T00:00:30Z", 104, 2, HS_SIDE_BUY, 3);
  g_assert_true (hs_store_insert_bar (db->store, db->btc, "1m", &provider, NULL, &error));
  add_trade (db, "2024-01-15T23:59:59Z", 105, 1, HS_SIDE_SELL, 2);
  add_trade (db, "2024-01-16T00:00:00Z", 106, 1, HS_SIDE_BUY, 3);
  add_trade (db, "2024-02-14T12:00:00Z", 107, 1, HS_SIDE_BUY, 4);
  g_assert_true (hs_store_insert_quote (db->store, db->btc, &young, NULL, &error));
  g_assert_no_error (error);
}

static void
retention_request (HsRetentionRequest *req,
                   gboolean            dry_run)
{
  hs_retention_request_init (req);
  g_assert_cmpint (req->days, ==, 30);
  req->now = T ("2024-02-15T12:00:00Z");
  req->dry_run = dry_run;
}

static void
assert_day (const HsRetentionResult *r,
            guint                    i,
            const char              *date,
            int64_t                  trades,
            int64_t                  candles,
            int64_t                  candles_written,
            int64_t                  cvd_written,
            int64_t                  quotes,
            int64_t                  quote_bars,
            int64_t                  quote_bars_written)
{
  const HsRetentionDay *d = &g_array_index (r->days, HsRetentionDay, i);

  g_assert_cmpstr (d->symbol, ==, "BTC-USD");
  g_assert_cmpstr (d->exchange, ==, "coinbase");
  g_assert_cmpint (d->day, ==, day_of (date));
  g_assert_cmpint (d->trades, ==, trades);
  g_assert_cmpint (d->candles, ==, candles);
  g_assert_cmpint (d->candles_written, ==, candles_written);
  g_assert_cmpint (d->cvd_written, ==, cvd_written);
  g_assert_cmpint (d->quotes, ==, quotes);
  g_assert_cmpint (d->quote_bars, ==, quote_bars);
  g_assert_cmpint (d->quote_bars_written, ==, quote_bars_written);
}

/* What the whole run does, day by day (see fill_retention_data()). */
static void
assert_full_result (const HsRetentionResult *r)
{
  g_assert_cmpint (r->cutoff, ==, T ("2024-01-16T00:00:00Z"));
  g_assert_cmpuint (r->days->len, ==, 3);
  assert_day (r, 0, "2024-01-01", 5, 3, 3, 3, 4, 2, 2);
  assert_day (r, 1, "2024-01-02", 2, 1, 0, 1, 0, 0, 0);
  assert_day (r, 2, "2024-01-15", 1, 1, 1, 1, 0, 0, 0);
}

static char *
dump (Db *db)
{
  g_autoptr(GError) error = NULL;
  char *text = hs_store_dump (db->store, &error);

  g_assert_no_error (error);
  return text;
}

static void
test_retention (void)
{
  g_auto (Db) db = { 0 };
  g_autoptr(HsRetentionResult) dry = NULL;
  g_autoptr(HsRetentionResult) real = NULL;
  g_autoptr(HsRetentionResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after_dry = NULL, *after = NULL, *after_again = NULL;
  HsRetentionRequest req;
  int64_t v_trades = 0, v_candles = 0, v;

  db_open (&db, "retention.db");
  fill_retention_data (&db);
  g_assert_true (hs_store_data_version (db.store, HS_DATA_TRADES, db.btc, NULL, NULL, &v_trades,
                                        &error));
  g_assert_true (hs_store_data_version (db.store, HS_DATA_CANDLES, db.btc, NULL, "1m",
                                        &v_candles, &error));

  /* A dry run counts what the run will do and changes nothing. */
  before = dump (&db);
  retention_request (&req, TRUE);
  dry = hs_retention_run (db.store, &req, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dry->dry_run);
  assert_full_result (dry);
  after_dry = dump (&db);
  g_assert_cmpstr (before, ==, after_dry);

  retention_request (&req, FALSE);
  real = hs_retention_run (db.store, &req, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_full_result (real);

  /* The candles of the hand calculation; the provider's candle at day 2 00:00 kept as it was. */
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM candles WHERE interval = '1m'"), ==, 5);
  g_assert_cmpfloat (sql_double (&db, "SELECT open FROM candles WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 100);
  g_assert_cmpfloat (sql_double (&db, "SELECT high FROM candles WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 101);
  g_assert_cmpfloat (sql_double (&db, "SELECT low FROM candles WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 99.5);
  g_assert_cmpfloat (sql_double (&db, "SELECT close FROM candles WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 99.5);
  g_assert_cmpfloat (sql_double (&db, "SELECT volume FROM candles WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 6);
  g_assert_cmpfloat_with_epsilon (sql_double (&db, "SELECT vwap FROM candles WHERE ts = "
                                                   "unixepoch('2024-01-01 10:00:00') * 1000000"),
                                  599.5 / 6, EPS);
  g_assert_cmpint (sql_int (&db, "SELECT trade_count FROM candles WHERE ts = unixepoch("
                                 "'2024-01-01 10:00:00') * 1000000"), ==, 3);
  g_assert_cmpint (sql_int (&db, "SELECT trade_count FROM candles WHERE ts = unixepoch("
                                 "'2024-01-01 10:01:00') * 1000000"), ==, 1);
  g_assert_cmpfloat (sql_double (&db, "SELECT vwap FROM candles WHERE ts = unixepoch("
                                      "'2024-01-01 23:59:00') * 1000000"), ==, 102);
  g_assert_cmpfloat (sql_double (&db, "SELECT close FROM candles WHERE ts = unixepoch("
                                      "'2024-01-02 00:00:00') * 1000000"), ==, 200);
  g_assert_cmpfloat (sql_double (&db, "SELECT volume FROM candles WHERE ts = unixepoch("
                                      "'2024-01-02 00:00:00') * 1000000"), ==, 9);
  g_assert_cmpint (sql_int (&db, "SELECT trade_count IS NULL FROM candles WHERE ts = "
                                 "unixepoch('2024-01-02 00:00:00') * 1000000"), ==, 1);
  g_assert_cmpfloat (sql_double (&db, "SELECT close FROM candles WHERE ts = unixepoch("
                                      "'2024-01-15 23:59:00') * 1000000"), ==, 105);

  /* CVD: one point per minute with trades, at its last trade (hand values above). */
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM cvd_snapshots"), ==, 5);
  g_assert_cmpfloat (sql_double (&db, "SELECT cvd FROM cvd_snapshots WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:50') * 1000000"), ==, 4);
  g_assert_cmpfloat (sql_double (&db, "SELECT cvd_change FROM cvd_snapshots WHERE ts = "
                                      "unixepoch('2024-01-01 10:00:50') * 1000000"), ==, 4);
  g_assert_cmpfloat (sql_double (&db, "SELECT cvd_change FROM cvd_snapshots WHERE ts = "
                                      "unixepoch('2024-01-01 10:01:10') * 1000000"), ==, -4);
  g_assert_cmpfloat (sql_double (&db, "SELECT cvd FROM cvd_snapshots WHERE ts = unixepoch("
                                      "'2024-01-02 00:00:30') * 1000000"), ==, 3);
  g_assert_cmpfloat (sql_double (&db, "SELECT cvd_change FROM cvd_snapshots WHERE ts = "
                                      "unixepoch('2024-01-02 00:00:30') * 1000000"), ==, 3);
  g_assert_cmpfloat (sql_double (&db, "SELECT cvd_change FROM cvd_snapshots WHERE ts = "
                                      "unixepoch('2024-01-15 23:59:59') * 1000000"), ==, -1);

  /* Quote bars by hand (day1_quotes). */
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM quote_bars WHERE interval = '1m'"), ==,
                   2);
  g_assert_cmpfloat (sql_double (&db, "SELECT bid_low FROM quote_bars WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 98.9);
  g_assert_cmpfloat (sql_double (&db, "SELECT ask_high FROM quote_bars WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 100.2);
  g_assert_cmpfloat (sql_double (&db, "SELECT ask_size FROM quote_bars WHERE ts = unixepoch("
                                      "'2024-01-01 10:00:00') * 1000000"), ==, 2);
  g_assert_cmpfloat (sql_double (&db, "SELECT bid_size FROM quote_bars WHERE ts = unixepoch("
                                      "'2024-01-01 10:02:00') * 1000000"), ==, 0);

  /* Rolled-up rows gone, younger rows untouched. */
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM trades"), ==, 2);
  g_assert_cmpint (sql_int (&db, "SELECT min(ts) FROM trades"), ==,
                   T ("2024-01-16T00:00:00Z"));
  g_assert_cmpfloat (sql_double (&db, "SELECT group_concat(price || ':' || cvd_at_trade) = "
                                      "'106.0:3.0,107.0:4.0' FROM trades"), ==, 1);
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM quotes"), ==, 1);
  g_assert_cmpint (sql_int (&db, "SELECT ts FROM quotes"), ==, T ("2024-02-01T00:00:00Z"));

  /* The series changed have new versions. */
  g_assert_true (hs_store_data_version (db.store, HS_DATA_TRADES, db.btc, NULL, NULL, &v,
                                        &error));
  g_assert_cmpint (v, >, v_trades);
  g_assert_true (hs_store_data_version (db.store, HS_DATA_CANDLES, db.btc, NULL, "1m", &v,
                                        &error));
  g_assert_cmpint (v, >, v_candles);

  /* Again: nothing to do, nothing changed. */
  after = dump (&db);
  again = hs_retention_run (db.store, &req, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->days->len, ==, 0);
  after_again = dump (&db);
  g_assert_cmpstr (after, ==, after_again);
}

static void
cancel_after_first_cb (double      fraction,
                       const char *message,
                       gpointer    user_data)
{
  g_cancellable_cancel (user_data);
}

/* Cancelled after day 1: day 1 fully rolled up (its candles and CVD written, its trades and
 * quotes gone), days 2 and 3 untouched; a second run does the rest, a third nothing. */
static void
test_retention_interrupted (void)
{
  g_auto (Db) db = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsRetentionResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL, *again = NULL;
  HsRetentionRequest req;

  db_open (&db, "interrupted.db");
  fill_retention_data (&db);
  retention_request (&req, FALSE);
  r = hs_retention_run (db.store, &req, cancel_after_first_cb, cancellable, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (r);
  g_clear_error (&error);

  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM trades WHERE ts < unixepoch("
                                 "'2024-01-02') * 1000000"), ==, 0);
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM quotes WHERE ts < unixepoch("
                                 "'2024-01-02') * 1000000"), ==, 0);
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM candles WHERE ts < unixepoch("
                                 "'2024-01-02') * 1000000"), ==, 3);
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM quote_bars"), ==, 2);
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM cvd_snapshots"), ==, 3);
  /* Days 2 and 3 as they were: 2 + 1 old trades, 2 young; only the provider's candle. */
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM trades"), ==, 5);
  g_assert_cmpint (sql_int (&db, "SELECT count(*) FROM candles WHERE ts >= unixepoch("
                                 "'2024-01-02') * 1000000"), ==, 1);

  r = hs_retention_run (db.store, &req, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->days->len, ==, 2);
  assert_day (r, 0, "2024-01-02", 2, 1, 0, 1, 0, 0, 0);
  assert_day (r, 1, "2024-01-15", 1, 1, 1, 1, 0, 0, 0);
  g_clear_pointer (&r, hs_retention_result_free);
  after = dump (&db);
  r = hs_retention_run (db.store, &req, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->days->len, ==, 0);
  again = dump (&db);
  g_assert_cmpstr (after, ==, again);
}

typedef struct
{
  GMainLoop         *loop;
  HsRetentionResult *result;
  GError            *error;
  int                progress_calls;
  double             last_fraction;
  gboolean           progress_on_main;
} AsyncRun;

static void
async_progress_cb (double      fraction,
                   const char *message,
                   gpointer    user_data)
{
  AsyncRun *run = user_data;

  run->progress_calls++;
  run->last_fraction = fraction;
  run->progress_on_main = run->progress_on_main && g_main_context_is_owner (NULL);
  g_assert_nonnull (strstr (message, "BTC-USD"));
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->result = hs_retention_run_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

/* The GTask wrapper: progress on the caller's main context, once per day, then the result. */
static void
test_retention_async (void)
{
  g_auto (Db) db = { 0 };
  AsyncRun run = { NULL, NULL, NULL, 0, 0, TRUE };
  HsRetentionRequest req;

  db_open (&db, "async.db");
  fill_retention_data (&db);
  retention_request (&req, FALSE);
  run.loop = g_main_loop_new (NULL, FALSE);
  hs_retention_run_async (db.path, &req, async_progress_cb, &run, NULL, async_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  g_assert_no_error (run.error);
  assert_full_result (run.result);
  g_assert_cmpint (run.progress_calls, ==, 3);
  g_assert_cmpfloat (run.last_fraction, ==, 1);
  g_assert_true (run.progress_on_main);
  hs_retention_result_free (run.result);
}

/* ---- The gap report through the database -------------------------------------------------- */

static void
add_bars (HsStore    *store,
          int64_t     id,
          const char *interval,
          const char *from,
          const char *end,
          int64_t     step_us)
{
  g_autoptr(GError) error = NULL;

  for (int64_t t = T (from); t < T (end); t += step_us)
    {
      HsBar bar = { t, 0, 10, 10, 10, 10, 1, NAN, -1 };

      g_assert_true (hs_store_insert_bar (store, id, interval, &bar, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
add_snapshot (HsStore         *store,
              HsSnapshotSource source,
              const char      *ts,
              int64_t          sequence)
{
  g_autoptr(GError) error = NULL;
  HsMarketSnapshot s = {
    .ticker = (char *) "KXTEST", .ts = T (ts), .source = source, .sequence = sequence,
    .yes_bid = NAN, .yes_ask = NAN, .no_bid = NAN, .no_ask = NAN, .last_price = NAN,
    .volume = NAN, .open_interest = NAN, .raw_json = (char *) "{}",
  };
  int64_t id = 0;

  g_assert_true (hs_store_ensure_instrument (store, "KXTEST", NULL, "prediction", &id, &error));
  g_assert_true (hs_store_insert_snapshot (store, id, &s, NULL, &error));
  g_assert_no_error (error);
}

static void
add_book (HsStore    *store,
          int64_t     id,
          const char *ts,
          int64_t     sequence)
{
  g_autoptr(GError) error = NULL;
  HsBookSnapshot b = { 0 };
  HsLevel bid = { 99, 1 }, ask = { 101, 1 };

  g_assert_true (hs_book_compute (&b, &bid, 1, &ask, 1, 10, &error));
  b.ts = T (ts);
  b.sequence = sequence;
  g_assert_true (hs_store_insert_book (store, id, &b, NULL, &error));
  g_assert_no_error (error);
  hs_book_snapshot_clear (&b);
}

static void
add_trade_id (HsStore    *store,
              int64_t     id,
              const char *ts,
              int64_t     seq,
              const char *trade_id)
{
  g_autoptr(GError) error = NULL;
  HsTrade t = { T (ts), seq, (char *) trade_id, 100, 1, HS_SIDE_BUY, 0 };

  g_assert_true (hs_store_insert_trade (store, id, &t, NULL, &error));
  g_assert_no_error (error);
}

static const HsSeqReport *
lookup_seq (const HsGapsReport *r,
            HsSeqTable          table,
            const char         *source)
{
  for (guint i = 0; i < r->sequences->len; i++)
    {
      const HsSeqReport *s = g_ptr_array_index (r->sequences, i);

      if (s->table == table && g_strcmp0 (s->source, source) == 0)
        return s;
    }
  return NULL;
}

/* The report of one sequence, which must be there. */
static const HsSeqReport *
find_seq (const HsGapsReport *r,
          HsSeqTable          table,
          const char         *source)
{
  const HsSeqReport *s = lookup_seq (r, table, source);

  if (s == NULL)
    g_error ("no report of %s (%s)", hs_seq_table_to_string (table), source);
  return s;
}

/* An ETF with 1m bars on Friday 2024-01-12 and Tuesday 2024-01-16 (full sessions) and 5m bars
 * missing 14:30–14:40 UTC on Friday: without the holiday in market_calendar Monday's 390 bars
 * are one gap, with it none; the 5m gap is [14:30, 14:40), 2 bars, whatever the calendar.
 * Sequences: Kalshi websocket snapshots 1, 2, 3, 6, then 1, 2 after a reconnect (gap 3 → 6, 2
 * missing, one restart), poll rows without sequence (not listed); a book 10, 11, 15 (3
 * missing); trade ids 100–105 without 103 (1 missing), stored out of id order in one second;
 * a crypto pair with a UUID id is not checked. */
static void
test_report (void)
{
  g_auto (Db) db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsGapsReport) r = NULL;
  g_autoptr(GArray) ranges = NULL;
  const HsMarketDay holiday = { day_of ("2024-01-15"), HS_MARKET_DAY_HOLIDAY, 0 };
  const Want monday[] = { { "2024-01-15T14:30:00Z", "2024-01-15T21:00:00Z", 390 } };
  const Want five[] = { { "2024-01-12T14:30:00Z", "2024-01-12T14:40:00Z", 2 } };
  const HsCandleGaps *c;
  const HsSeqReport *s;
  int64_t etf = 0, kx = 0;

  db_open (&db, "report.db");
  g_assert_true (hs_store_ensure_instrument (db.store, "SPYX", NULL, "etf", &etf, &error));
  add_bars (db.store, etf, "1m", "2024-01-12T14:30:00Z", "2024-01-12T21:00:00Z", MIN_US);
  add_bars (db.store, etf, "1m", "2024-01-16T14:30:00Z", "2024-01-16T21:00:00Z", MIN_US);
  add_bars (db.store, etf, "5m", "2024-01-12T14:40:00Z", "2024-01-12T21:00:00Z", 5 * MIN_US);

  ranges = hs_gaps_candle_ranges (db.store, etf, "1m", G_MININT64, G_MAXINT64, NULL, &error);
  g_assert_no_error (error);
  assert_ranges (ranges, monday, G_N_ELEMENTS (monday));
  g_clear_pointer (&ranges, g_array_unref);

  g_assert_true (hs_store_upsert_market_day (db.store, HS_MARKET_US_EQUITY, &holiday, NULL,
                                             &error));
  g_assert_no_error (error);
  r = hs_gaps_report (db.store, etf, NULL, G_MININT64, G_MAXINT64, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->symbol, ==, "SPYX");
  g_assert_cmpint (r->session, ==, HS_SESSION_US_EQUITY);
  g_assert_cmpint (r->calendar_days, ==, 1);
  g_assert_cmpuint (r->candles->len, ==, 2);
  c = g_ptr_array_index (r->candles, 0);
  g_assert_cmpstr (c->interval, ==, "1m");
  g_assert_cmpint (c->from_ts, ==, T ("2024-01-12T14:30:00Z"));
  g_assert_cmpint (c->to_ts, ==, T ("2024-01-16T20:59:00Z"));
  g_assert_cmpint (c->expected, ==, 780);
  g_assert_cmpint (c->missing, ==, 0);
  g_assert_cmpuint (c->ranges->len, ==, 0);
  g_assert_cmpuint (r->sequences->len, ==, 0);
  g_clear_pointer (&r, hs_gaps_report_free);

  /* An explicit range reaching back before the first 5m bar. */
  r = hs_gaps_report (db.store, etf, "5m", T ("2024-01-12T00:00:00Z"), G_MAXINT64, NULL,
                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->candles->len, ==, 1);
  c = g_ptr_array_index (r->candles, 0);
  g_assert_cmpint (c->expected, ==, 78);
  assert_ranges (c->ranges, five, G_N_ELEMENTS (five));
  g_clear_pointer (&r, hs_gaps_report_free);

  add_snapshot (db.store, HS_SNAPSHOT_WEBSOCKET, "2024-01-12T15:00:01Z", 1);
  add_snapshot (db.store, HS_SNAPSHOT_WEBSOCKET, "2024-01-12T15:00:02Z", 2);
  add_snapshot (db.store, HS_SNAPSHOT_WEBSOCKET, "2024-01-12T15:00:03Z", 3);
  add_snapshot (db.store, HS_SNAPSHOT_WEBSOCKET, "2024-01-12T15:00:04Z", 6);
  add_snapshot (db.store, HS_SNAPSHOT_WEBSOCKET, "2024-01-12T15:00:05Z", 1);
  add_snapshot (db.store, HS_SNAPSHOT_WEBSOCKET, "2024-01-12T15:00:06Z", 2);
  add_snapshot (db.store, HS_SNAPSHOT_POLL, "2024-01-12T15:00:00Z", -1);
  add_snapshot (db.store, HS_SNAPSHOT_POLL, "2024-01-12T15:00:05Z", -1);
  g_assert_true (hs_store_find_instrument (db.store, "KXTEST", NULL, &kx, &error));
  add_book (db.store, kx, "2024-01-12T15:00:00Z", 10);
  add_book (db.store, kx, "2024-01-12T15:00:01Z", 11);
  add_book (db.store, kx, "2024-01-12T15:00:02Z", 15);
  add_trade_id (db.store, kx, "2024-01-12T15:00:00Z", 0, "100");
  add_trade_id (db.store, kx, "2024-01-12T15:00:01Z", 0, "102");
  add_trade_id (db.store, kx, "2024-01-12T15:00:01Z", 1, "101");
  add_trade_id (db.store, kx, "2024-01-12T15:00:02Z", 0, "104");
  add_trade_id (db.store, kx, "2024-01-12T15:00:03Z", 0, "105");
  add_trade_id (db.store, db.btc, "2024-01-12T15:00:00Z", 0, "1");
  add_trade_id (db.store, db.btc, "2024-01-12T15:00:01Z", 0, "3f2a9c1e-uuid");

  r = hs_gaps_report (db.store, kx, NULL, G_MININT64, G_MAXINT64, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->session, ==, HS_SESSION_ALWAYS);
  g_assert_cmpuint (r->candles->len, ==, 0);
  g_assert_cmpuint (r->sequences->len, ==, 3);
  s = find_seq (r, HS_SEQ_SNAPSHOTS, "websocket");
  g_assert_cmpint (s->rows, ==, 6);
  g_assert_cmpint (s->restarts, ==, 1);
  g_assert_cmpint (s->missing, ==, 2);
  g_assert_cmpuint (s->gaps->len, ==, 1);
  g_assert_cmpint (g_array_index (s->gaps, HsSeqGap, 0).after, ==, 3);
  g_assert_cmpint (g_array_index (s->gaps, HsSeqGap, 0).before, ==, 6);
  g_assert_cmpint (g_array_index (s->gaps, HsSeqGap, 0).before_ts, ==,
                   T ("2024-01-12T15:00:04Z"));
  g_assert_null (lookup_seq (r, HS_SEQ_SNAPSHOTS, "poll"));
  s = find_seq (r, HS_SEQ_ORDERBOOK, NULL);
  g_assert_cmpint (s->rows, ==, 3);
  g_assert_cmpint (s->missing, ==, 3);
  s = find_seq (r, HS_SEQ_TRADE_IDS, NULL);
  g_assert_null (s->unchecked);
  g_assert_cmpint (s->rows, ==, 5);
  g_assert_cmpint (s->missing, ==, 1);
  g_assert_cmpuint (s->gaps->len, ==, 1);
  g_assert_cmpint (g_array_index (s->gaps, HsSeqGap, 0).after, ==, 102);
  g_assert_cmpint (g_array_index (s->gaps, HsSeqGap, 0).before, ==, 104);
  g_clear_pointer (&r, hs_gaps_report_free);

  r = hs_gaps_report (db.store, db.btc, NULL, G_MININT64, G_MAXINT64, NULL, &error);
  g_assert_no_error (error);
  s = find_seq (r, HS_SEQ_TRADE_IDS, NULL);
  g_assert_cmpint (s->rows, ==, 2);
  g_assert_nonnull (strstr (s->unchecked, "3f2a9c1e-uuid"));
  g_assert_cmpuint (s->gaps->len, ==, 0);
}

/* More than 65,536 bars with the cancellable cancelled: G_IO_ERROR_CANCELLED. */
static void
test_report_cancel (void)
{
  g_auto (Db) db = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) bars = g_array_new (FALSE, FALSE, sizeof (HsBar));
  g_autoptr(GArray) ranges = NULL;
  int64_t n = 0;

  db_open (&db, "cancel.db");
  for (int64_t i = 0; i < 70000; i++)
    {
      HsBar bar = { T ("2024-01-01T00:00:00Z") + i * MIN_US, 0, 10, 10, 10, 10, 1, NAN, -1 };

      g_array_append_val (bars, bar);
    }
  g_assert_true (hs_store_insert_bars (db.store, db.btc, "1m", (const HsBar *) (void *) bars->data,
                                       bars->len, &n, &error));
  g_assert_cmpint (n, ==, 70000);
  g_cancellable_cancel (cancellable);
  ranges = hs_gaps_candle_ranges (db.store, db.btc, "1m", G_MININT64, G_MAXINT64, cancellable,
                                  &error);
  g_assert_null (ranges);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  ranges = hs_gaps_candle_ranges (db.store, db.btc, "1m", G_MININT64, G_MAXINT64, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ranges->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-gaps-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/hs/core/gaps/weekend", test_weekend);
  g_test_add_func ("/hs/core/gaps/holiday", test_holiday);
  g_test_add_func ("/hs/core/gaps/early-close", test_early_close);
  g_test_add_func ("/hs/core/gaps/dst", test_dst);
  g_test_add_func ("/hs/core/gaps/crypto", test_crypto);
  g_test_add_func ("/hs/core/gaps/daily-stock", test_daily_stock);
  g_test_add_func ("/hs/core/gaps/bad-input", test_bad_input);
  g_test_add_func ("/hs/core/gaps/differential", test_differential);
  g_test_add_func ("/hs/core/gaps/sequence", test_sequence);
  g_test_add_func ("/hs/core/rollup/hand", test_rollup);
  g_test_add_func ("/hs/jobs/retention/hand", test_retention);
  g_test_add_func ("/hs/jobs/retention/interrupted", test_retention_interrupted);
  g_test_add_func ("/hs/jobs/retention/async", test_retention_async);
  g_test_add_func ("/hs/jobs/gaps/report", test_report);
  g_test_add_func ("/hs/jobs/gaps/cancel", test_report_cancel);
  status = g_test_run ();
  hs_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
