/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core: resampling (src/core/hs-resample.c, rules in docs/resampling.md). Hand-computed cases
 * with every expected number written out next to them; a differential test against a slow,
 * obvious reference that finds each bar's bucket with GDateTime and aggregates by scanning the
 * whole input once per bucket; the look-ahead test; and real SPY minute bars against LEAN's
 * daily bars. Epoch values were checked with GNU date, e.g.
 * `TZ=America/New_York date -d '2021-03-15 09:30' +%s` = 1615815000.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "hs-interval.h"
#include "hs-resample.h"
#include "hs-time.h"

#define S G_GINT64_CONSTANT (1000000)
#define MINUTE (60 * S)

static GTimeZone *ny;

static int64_t
iso (const char *text)
{
  g_autoptr(GError) error = NULL;
  int64_t us = 0;

  g_assert_true (hs_time_parse (text, NULL, &us, &error));
  g_assert_no_error (error);
  return us;
}

/* One input bar; vwap NAN when unknown, count -1 when unknown. */
typedef struct
{
  const char *t;
  double      o, h, l, c, v, vwap;
  int64_t     count;
} Row;

/* One expected output bar. */
typedef struct
{
  const char *t, *end;
  double      o, h, l, c, v, vwap;
  int64_t     count;
} Want;

static HsBars *
bars_from_rows (const Row *rows,
                size_t     n,
                int64_t    interval_s,
                int64_t  **counts)
{
  HsBars *b = hs_bars_new (n, interval_s);

  if (counts != NULL)
    *counts = g_new (int64_t, n ? n : 1);
  for (size_t i = 0; i < n; i++)
    {
      b->ts[i] = iso (rows[i].t);
      b->open[i] = rows[i].o;
      b->high[i] = rows[i].h;
      b->low[i] = rows[i].l;
      b->close[i] = rows[i].c;
      b->volume[i] = rows[i].v;
      b->vwap[i] = rows[i].vwap;
      if (counts != NULL)
        (*counts)[i] = rows[i].count;
    }
  return b;
}

static void
check_want (const HsResampled *r,
            const int64_t     *counts,
            const Want        *want,
            size_t             n)
{
  g_assert_cmpuint (r->bars->n, ==, n);
  for (size_t i = 0; i < n; i++)
    {
      g_test_message ("bar %zu: %s", i, want[i].t);
      g_assert_cmpint (r->bars->ts[i], ==, iso (want[i].t));
      g_assert_cmpint (r->end_ts[i], ==, iso (want[i].end));
      g_assert_cmpfloat (r->bars->open[i], ==, want[i].o);
      g_assert_cmpfloat (r->bars->high[i], ==, want[i].h);
      g_assert_cmpfloat (r->bars->low[i], ==, want[i].l);
      g_assert_cmpfloat (r->bars->close[i], ==, want[i].c);
      g_assert_cmpfloat (r->bars->volume[i], ==, want[i].v);
      if (isnan (want[i].vwap))
        g_assert_true (isnan (r->bars->vwap[i]));
      else
        g_assert_cmpfloat_with_epsilon (r->bars->vwap[i], want[i].vwap, 1e-9);
      if (counts != NULL)
        g_assert_cmpint (counts[i], ==, want[i].count);
    }
}

static HsResampled *
resample_ok (const HsBars  *in,
             const char    *to,
             HsSessionKind  session)
{
  g_autoptr(GError) error = NULL;
  HsResampled *r = hs_resample (in, to, session, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

/* 24/7, 1m → 5m. Buckets are aligned to the epoch: 00:03 and 00:04 fall in 00:00–00:05.
 *   00:00 bucket: open 10 (00:03), high 12, low 9, close 11 (00:04), volume 100 + 200 = 300;
 *     both have a vwap: (10.2 × 100 + 11.1 × 200) / 300 = 3240 / 300 = 10.8; counts 5 + 6 = 11.
 *   00:05 bucket: open 11, high 13 (00:06), low 10.5 (00:05), close 12.2, volume 800; 00:08 has
 *     no vwap, so all five use the typical price (h + l + c) / 3:
 *     (33.2 × 100 + 36.5 × 300 + 36.8 × 100 + 36.1 × 100 + 36.5 × 200) / 3 / 800
 *     = 28860 / 3 / 800 = 12.025; 00:09's count is unknown, so the bucket's is too (-1). */
static void
test_one_minute_to_five (void)
{
  static const Row rows[] = {
    { "2021-01-01T00:03:00Z", 10, 11, 9, 10.5, 100, 10.2, 5 },
    { "2021-01-01T00:04:00Z", 10.5, 12, 10, 11, 200, 11.1, 6 },
    { "2021-01-01T00:05:00Z", 11, 11.5, 10.5, 11.2, 100, 11.0, 7 },
    { "2021-01-01T00:06:00Z", 11.2, 13, 11, 12.5, 300, 12.0, 8 },
    { "2021-01-01T00:07:00Z", 12.5, 12.8, 12, 12, 100, 12.4, 9 },
    { "2021-01-01T00:08:00Z", 12, 12.2, 11.8, 12.1, 100, NAN, 10 },
    { "2021-01-01T00:09:00Z", 12.1, 12.3, 12, 12.2, 200, 12.2, -1 },
  };
  static const Want want[] = {
    { "2021-01-01T00:00:00Z", "2021-01-01T00:05:00Z", 10, 12, 9, 11, 300, 10.8, 11 },
    { "2021-01-01T00:05:00Z", "2021-01-01T00:10:00Z", 11, 13, 10.5, 12.2, 800, 12.025, -1 },
  };
  g_autofree int64_t *counts = NULL, *out_counts = NULL;
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 60, &counts);
  g_autoptr(HsResampled) r = NULL;
  g_autoptr(HsResampled) plain = NULL;
  g_autoptr(GError) error = NULL;

  r = hs_resample_with_counts (in, counts, "5m", HS_SESSION_ALWAYS, &out_counts, &error);
  g_assert_no_error (error);
  check_want (r, out_counts, want, G_N_ELEMENTS (want));
  g_assert_cmpint (r->bars->interval_s, ==, 300);
  /* Without counts: the same bars. */
  plain = resample_ok (in, "5m", HS_SESSION_ALWAYS);
  check_want (plain, NULL, want, G_N_ELEMENTS (want));
}

/* US equity, 2013-10-04 (EDT, New York = UTC-4, so 09:30 is 13:30Z and 16:00 is 20:00Z). The
 * 09:29 and 16:00 bars are outside regular hours and left out, with values (999, 1) that would
 * show if they were not. 1h buckets start at 09:30, 10:30 … 15:30, and the last is cut at 16:00:
 *   09:30–10:30  (13:30Z, 14:29Z bars)   open 10, high 12, low 9.5, close 11.5, volume 30
 *   10:30–11:30  (14:30Z)                 20, 21, 19, 20.5, volume 5
 *   14:30–15:30  (19:29Z)                 30, 31, 29, 30.5, volume 7
 *   15:30–16:00  (19:30Z, 19:59Z)         40, 42, 38, 41, volume 11, end 20:00Z not 20:30Z
 * 4h buckets: 09:30–13:30 and 13:30–16:00. 1d: one session bar 13:30Z–20:00Z. */
static void
test_us_short_last_hour (void)
{
  static const Row rows[] = {
    { "2013-10-04T08:00:00Z", 1, 999, 1, 1, 1000, NAN, -1 },    /* 04:00 New York */
    { "2013-10-04T13:29:00Z", 1, 999, 1, 1, 1000, NAN, -1 },    /* 09:29 */
    { "2013-10-04T13:30:00Z", 10, 11, 9.5, 10.5, 10, 10.2, 3 },  /* 09:30 */
    { "2013-10-04T14:29:00Z", 10.5, 12, 10, 11.5, 20, 11, 4 },   /* 10:29 */
    { "2013-10-04T14:30:00Z", 20, 21, 19, 20.5, 5, 20, 5 },      /* 10:30 */
    { "2013-10-04T19:29:00Z", 30, 31, 29, 30.5, 7, 30, 6 },      /* 15:29 */
    { "2013-10-04T19:30:00Z", 40, 42, 39, 40, 5, 40, 7 },        /* 15:30 */
    { "2013-10-04T19:59:00Z", 40, 41, 38, 41, 6, 40, 8 },        /* 15:59 */
    { "2013-10-04T20:00:00Z", 1, 999, 1, 1, 1000, NAN, -1 },    /* 16:00 */
    { "2013-10-04T23:59:00Z", 1, 999, 1, 1, 1000, NAN, -1 },    /* 19:59 */
  };
  /* vwap: (10.2 × 10 + 11 × 20) / 30 = 322 / 30; the 15:30 bucket (40 × 5 + 40 × 6) / 11 = 40. */
  static const Want hours[] = {
    { "2013-10-04T13:30:00Z", "2013-10-04T14:30:00Z", 10, 12, 9.5, 11.5, 30, 322.0 / 30, 7 },
    { "2013-10-04T14:30:00Z", "2013-10-04T15:30:00Z", 20, 21, 19, 20.5, 5, 20, 5 },
    { "2013-10-04T18:30:00Z", "2013-10-04T19:30:00Z", 30, 31, 29, 30.5, 7, 30, 6 },
    { "2013-10-04T19:30:00Z", "2013-10-04T20:00:00Z", 40, 42, 38, 41, 11, 40, 15 },
  };
  /* 09:30–13:30: 322 + 100 = 422 over 35; 13:30–16:00: (210 + 440) / 18 = 650 / 18. */
  static const Want four[] = {
    { "2013-10-04T13:30:00Z", "2013-10-04T17:30:00Z", 10, 21, 9.5, 20.5, 35, 422.0 / 35, 12 },
    { "2013-10-04T17:30:00Z", "2013-10-04T20:00:00Z", 30, 42, 29, 41, 18, 650.0 / 18, 21 },
  };
  /* (322 + 100 + 210 + 440) / 53 = 1072 / 53 */
  static const Want day[] = {
    { "2013-10-04T13:30:00Z", "2013-10-04T20:00:00Z", 10, 42, 9.5, 41, 53, 1072.0 / 53, 33 },
  };
  static const struct
  {
    const char *to;
    const Want *want;
    size_t      n;
  } cases[] = {
    { "1h", hours, G_N_ELEMENTS (hours) },
    { "4h", four, G_N_ELEMENTS (four) },
    { "1d", day, G_N_ELEMENTS (day) },
  };
  g_autofree int64_t *counts = NULL;
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 60, &counts);

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HsResampled) r = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree int64_t *out_counts = NULL;

      g_test_message ("1m -> %s", cases[i].to);
      r = hs_resample_with_counts (in, counts, cases[i].to, HS_SESSION_US_EQUITY, &out_counts,
                                   &error);
      g_assert_no_error (error);
      check_want (r, out_counts, cases[i].want, cases[i].n);
    }
}

/* A week across the start of DST: Friday 2021-03-12 is EST (UTC-5: 09:30 = 14:30Z, 16:00 =
 * 21:00Z), Monday 2021-03-15 is EDT (UTC-4: 09:30 = 13:30Z). 13:30Z on the Friday is 08:30 New
 * York, before the open; 13:00Z on the Monday is 09:00, also before it. Bucket starts follow the
 * clock in New York, so in UTC they move by an hour:
 *   1h on 03-12: 14:30Z (the 14:30Z bar); on 03-15: 13:30Z (13:30Z and 14:00Z = 10:00 EDT)
 *   1w, week of 03-08: Monday 09:30 EST = 2021-03-08T14:30Z to Friday 16:00 EST = 03-12T21:00Z
 *       (bars 03-08 14:30Z and 03-12 14:30Z, 20:59Z)
 *   1w, week of 03-15: Monday 09:30 EDT = 03-15T13:30Z to Friday 16:00 EDT = 03-19T20:00Z */
static void
test_us_dst_week (void)
{
  static const Row rows[] = {
    { "2021-03-08T14:30:00Z", 1, 2, 0.5, 1.5, 10, NAN, -1 },    /* Mon 09:30 EST */
    { "2021-03-12T13:30:00Z", 9, 99, 0.1, 9, 1000, NAN, -1 },   /* Fri 08:30 EST: out */
    { "2021-03-12T14:30:00Z", 2, 3, 1.5, 2.5, 10, NAN, -1 },    /* Fri 09:30 EST */
    { "2021-03-12T20:59:00Z", 3, 4, 2.5, 3.5, 10, NAN, -1 },    /* Fri 15:59 EST */
    { "2021-03-15T13:00:00Z", 9, 99, 0.1, 9, 1000, NAN, -1 },   /* Mon 09:00 EDT: out */
    { "2021-03-15T13:30:00Z", 4, 5, 3.5, 4.5, 10, NAN, -1 },    /* Mon 09:30 EDT */
    { "2021-03-15T14:00:00Z", 5, 6, 4.5, 5.5, 10, NAN, -1 },    /* Mon 10:00 EDT */
    { "2021-03-15T20:00:00Z", 9, 99, 0.1, 9, 1000, NAN, -1 },   /* Mon 16:00 EDT: out */
  };
  /* No vwap anywhere: typical prices (h + l + c) / 3, all volumes 10. Week 1: 03-08
   * (2 + 0.5 + 1.5) / 3 = 4/3, 03-12 (3 + 1.5 + 2.5) / 3 = 7/3 and (4 + 2.5 + 3.5) / 3 = 10/3,
   * mean 7/3. Week 2: (5 + 3.5 + 4.5) / 3 = 13/3 and (6 + 4.5 + 5.5) / 3 = 16/3, mean 29/6. */
  static const Want weeks[] = {
    { "2021-03-08T14:30:00Z", "2021-03-12T21:00:00Z", 1, 4, 0.5, 3.5, 30, 7.0 / 3, -1 },
    { "2021-03-15T13:30:00Z", "2021-03-19T20:00:00Z", 4, 6, 3.5, 5.5, 20, 29.0 / 6, -1 },
  };
  static const Want hours[] = {
    { "2021-03-08T14:30:00Z", "2021-03-08T15:30:00Z", 1, 2, 0.5, 1.5, 10, 4.0 / 3, -1 },
    { "2021-03-12T14:30:00Z", "2021-03-12T15:30:00Z", 2, 3, 1.5, 2.5, 10, 7.0 / 3, -1 },
    { "2021-03-12T20:30:00Z", "2021-03-12T21:00:00Z", 3, 4, 2.5, 3.5, 10, 10.0 / 3, -1 },
    { "2021-03-15T13:30:00Z", "2021-03-15T14:30:00Z", 4, 6, 3.5, 5.5, 20, 29.0 / 6, -1 },
  };
  static const Want days[] = {
    { "2021-03-08T14:30:00Z", "2021-03-08T21:00:00Z", 1, 2, 0.5, 1.5, 10, 4.0 / 3, -1 },
    { "2021-03-12T14:30:00Z", "2021-03-12T21:00:00Z", 2, 4, 1.5, 3.5, 20, 17.0 / 6, -1 },
    { "2021-03-15T13:30:00Z", "2021-03-15T20:00:00Z", 4, 6, 3.5, 5.5, 20, 29.0 / 6, -1 },
  };
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 60, NULL);
  g_autoptr(HsResampled) w = resample_ok (in, "1w", HS_SESSION_US_EQUITY);
  g_autoptr(HsResampled) h = resample_ok (in, "1h", HS_SESSION_US_EQUITY);
  g_autoptr(HsResampled) d = resample_ok (in, "1d", HS_SESSION_US_EQUITY);

  check_want (w, NULL, weeks, G_N_ELEMENTS (weeks));
  check_want (h, NULL, hours, G_N_ELEMENTS (hours));
  check_want (d, NULL, days, G_N_ELEMENTS (days));
}

/* Thanksgiving 2013: Wednesday 11-27, no Thursday 11-28 (holiday: no bars, no bar out), Friday
 * 11-29 closes early at 13:00 EST (18:00Z), but its bar still ends at 16:00 (21:00Z): the
 * calendar knows regular hours only, and an end later than the last trade is never too early.
 * The week runs from Monday 11-25 09:30 EST (14:30Z) to Friday 16:00. */
static void
test_us_holiday_gap (void)
{
  static const Row rows[] = {
    { "2013-11-27T14:30:00Z", 1, 2, 0.5, 1.5, 10, 1.0, 1 },
    { "2013-11-27T20:59:00Z", 1.5, 2.5, 1, 2, 10, 2.0, 1 },
    { "2013-11-29T14:30:00Z", 2, 3, 1.5, 2.5, 10, 3.0, 1 },
    { "2013-11-29T17:59:00Z", 2.5, 3.5, 2, 3, 10, 4.0, 1 },   /* 12:59 EST, the last bar */
  };
  static const Want days[] = {
    { "2013-11-27T14:30:00Z", "2013-11-27T21:00:00Z", 1, 2.5, 0.5, 2, 20, 1.5, 2 },
    { "2013-11-29T14:30:00Z", "2013-11-29T21:00:00Z", 2, 3.5, 1.5, 3, 20, 3.5, 2 },
  };
  static const Want week[] = {
    { "2013-11-25T14:30:00Z", "2013-11-29T21:00:00Z", 1, 3.5, 0.5, 3, 40, 2.5, 4 },
  };
  /* 1mo: November 2013 runs from Friday 11-01 09:30 EDT (13:30Z) to Saturday 11-30 16:00 EST
   * (21:00Z): DST ended on 11-03, inside the month. */
  static const Want month[] = {
    { "2013-11-01T13:30:00Z", "2013-11-30T21:00:00Z", 1, 3.5, 0.5, 3, 40, 2.5, 4 },
  };
  g_autofree int64_t *counts = NULL, *c1 = NULL, *c2 = NULL, *c3 = NULL;
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 60, &counts);
  g_autoptr(HsResampled) d = NULL, w = NULL, m = NULL;

  d = hs_resample_with_counts (in, counts, "1d", HS_SESSION_US_EQUITY, &c1, NULL);
  w = hs_resample_with_counts (in, counts, "1w", HS_SESSION_US_EQUITY, &c2, NULL);
  m = hs_resample_with_counts (in, counts, "1mo", HS_SESSION_US_EQUITY, &c3, NULL);
  check_want (d, c1, days, G_N_ELEMENTS (days));
  check_want (w, c2, week, G_N_ELEMENTS (week));
  check_want (m, c3, month, G_N_ELEMENTS (month));
  g_assert_cmpint (m->bars->interval_s, ==, 0);
}

/* A day with bars only outside regular hours gives no bar, and so does a weekend in the middle
 * of the day; a series with no bars gives none. */
static void
test_us_outside_hours_only (void)
{
  static const Row rows[] = {
    { "2013-10-04T08:00:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 04:00 EDT */
    { "2013-10-04T13:29:59Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 09:29:59 */
    { "2013-10-04T20:00:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 16:00 */
    { "2013-10-05T03:59:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 23:59 */
    { "2013-10-05T14:00:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* Saturday 10:00 */
    { "2013-10-06T19:00:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* Sunday 15:00 */
  };
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 1, NULL);
  g_autoptr(HsBars) empty = hs_bars_new (0, 60);
  const char *to[] = { "1m", "1h", "1d", "1w", "1mo" };

  for (size_t i = 0; i < G_N_ELEMENTS (to); i++)
    {
      g_autoptr(HsResampled) r = resample_ok (in, to[i], HS_SESSION_US_EQUITY);
      g_autoptr(HsResampled) e = resample_ok (empty, to[i], HS_SESSION_US_EQUITY);
      g_autoptr(HsResampled) a = resample_ok (in, to[i], HS_SESSION_ALWAYS);

      g_assert_cmpuint (r->bars->n, ==, 0);
      g_assert_cmpuint (e->bars->n, ==, 0);
      g_assert_cmpuint (a->bars->n, >, 0);
    }
}

/* 24/7 across midnight and a month end, UTC. 2021-01-01 is a Friday, so its ISO week starts on
 * Monday 2020-12-28 and ends with Sunday 2021-01-03 (next Monday 00:00Z). 4h buckets are at 00,
 * 04 … 20 UTC. */
static void
test_always_midnight (void)
{
  static const Row rows[] = {
    { "2020-12-31T23:59:00Z", 1, 2, 0.5, 1.5, 1, 1, -1 },
    { "2021-01-01T23:58:00Z", 2, 3, 1.5, 2.5, 1, 2, -1 },
    { "2021-01-01T23:59:00Z", 3, 4, 2.5, 3.5, 1, 3, -1 },
    { "2021-01-02T00:00:00Z", 4, 5, 3.5, 4.5, 1, 4, -1 },
    { "2021-01-02T00:01:00Z", 5, 6, 4.5, 5.5, 1, 5, -1 },
  };
  static const Want days[] = {
    { "2020-12-31T00:00:00Z", "2021-01-01T00:00:00Z", 1, 2, 0.5, 1.5, 1, 1, -1 },
    { "2021-01-01T00:00:00Z", "2021-01-02T00:00:00Z", 2, 4, 1.5, 3.5, 2, 2.5, -1 },
    { "2021-01-02T00:00:00Z", "2021-01-03T00:00:00Z", 4, 6, 3.5, 5.5, 2, 4.5, -1 },
  };
  static const Want four[] = {
    { "2020-12-31T20:00:00Z", "2021-01-01T00:00:00Z", 1, 2, 0.5, 1.5, 1, 1, -1 },
    { "2021-01-01T20:00:00Z", "2021-01-02T00:00:00Z", 2, 4, 1.5, 3.5, 2, 2.5, -1 },
    { "2021-01-02T00:00:00Z", "2021-01-02T04:00:00Z", 4, 6, 3.5, 5.5, 2, 4.5, -1 },
  };
  static const Want week[] = {
    { "2020-12-28T00:00:00Z", "2021-01-04T00:00:00Z", 1, 6, 0.5, 5.5, 5, 3, -1 },
  };
  static const Want months[] = {
    { "2020-12-01T00:00:00Z", "2021-01-01T00:00:00Z", 1, 2, 0.5, 1.5, 1, 1, -1 },
    { "2021-01-01T00:00:00Z", "2021-02-01T00:00:00Z", 2, 6, 1.5, 5.5, 4, 3.5, -1 },
  };
  /* 2d: pairs of days counted from 1970-01-01 (day 0); 2020-12-31 is day 18627, so the pairs
   * are (18626, 18627) = 12-30/12-31 and (18628, 18629) = 01-01/01-02. */
  static const Want twodays[] = {
    { "2020-12-30T00:00:00Z", "2021-01-01T00:00:00Z", 1, 2, 0.5, 1.5, 1, 1, -1 },
    { "2021-01-01T00:00:00Z", "2021-01-03T00:00:00Z", 2, 6, 1.5, 5.5, 4, 3.5, -1 },
  };
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 60, NULL);
  g_autoptr(HsResampled) d = resample_ok (in, "1d", HS_SESSION_ALWAYS);
  g_autoptr(HsResampled) f = resample_ok (in, "4h", HS_SESSION_ALWAYS);
  g_autoptr(HsResampled) w = resample_ok (in, "1w", HS_SESSION_ALWAYS);
  g_autoptr(HsResampled) m = resample_ok (in, "1mo", HS_SESSION_ALWAYS);
  g_autoptr(HsResampled) t = resample_ok (in, "2d", HS_SESSION_ALWAYS);

  check_want (d, NULL, days, G_N_ELEMENTS (days));
  check_want (f, NULL, four, G_N_ELEMENTS (four));
  check_want (w, NULL, week, G_N_ELEMENTS (week));
  check_want (m, NULL, months, G_N_ELEMENTS (months));
  check_want (t, NULL, twodays, G_N_ELEMENTS (twodays));
}

/* Daily input stamped at 00:00Z (as a bare date imports), 04:00Z or 20:00Z: each is the trading
 * day of its UTC date, for both session kinds. 2013-10-04 is a Friday, 10-05 a Saturday (no US
 * session: left out for US equity, kept for 24/7), 10-07 the next Monday. */
static void
test_daily_input (void)
{
  static const Row rows[] = {
    { "2013-10-03T20:00:00Z", 1, 2, 0.5, 1.5, 10, NAN, 7 },
    { "2013-10-04T00:00:00Z", 2, 3, 1.5, 2.5, 10, NAN, 8 },
    { "2013-10-05T00:00:00Z", 9, 9, 9, 9, 10, NAN, 1 },
    { "2013-10-07T04:00:00Z", 3, 4, 2.5, 3.5, 10, NAN, 9 },
  };
  /* No vwap: typical prices (2 + 0.5 + 1.5) / 3 = 4/3 and (3 + 1.5 + 2.5) / 3 = 7/3, equal
   * volumes, so 11/6; with the Saturday's 9, (4/3 + 7/3 + 9) / 3 = 38/9; the Monday
   * (4 + 2.5 + 3.5) / 3 = 10/3. */
  static const Want us[] = {
    { "2013-09-30T13:30:00Z", "2013-10-04T20:00:00Z", 1, 3, 0.5, 2.5, 20, 11.0 / 6, 15 },
    { "2013-10-07T13:30:00Z", "2013-10-11T20:00:00Z", 3, 4, 2.5, 3.5, 10, 10.0 / 3, 9 },
  };
  static const Want always[] = {
    { "2013-09-30T00:00:00Z", "2013-10-07T00:00:00Z", 1, 9, 0.5, 9, 30, 38.0 / 9, 16 },
    { "2013-10-07T00:00:00Z", "2013-10-14T00:00:00Z", 3, 4, 2.5, 3.5, 10, 10.0 / 3, 9 },
  };
  g_autofree int64_t *counts = NULL, *c1 = NULL, *c2 = NULL;
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 86400, &counts);
  g_autoptr(HsResampled) a = NULL, b = NULL;

  a = hs_resample_with_counts (in, counts, "1w", HS_SESSION_US_EQUITY, &c1, NULL);
  b = hs_resample_with_counts (in, counts, "1w", HS_SESSION_ALWAYS, &c2, NULL);
  check_want (a, c1, us, G_N_ELEMENTS (us));
  check_want (b, c2, always, G_N_ELEMENTS (always));
}

static void
test_interval_errors (void)
{
  static const struct
  {
    int64_t     in_s;
    const char *to;
    const char *message;   /* NULL: accepted */
  } cases[] = {
    { 60, "7m", "unknown interval “7m”" },
    { 60, "tick", "cannot resample to tick" },
    { 0, "1h", "no fixed length" },
    { 900, "5m", "cannot resample 15m bars to 5m: the target interval is shorter" },
    { 3600, "30m", "shorter" },
    { 420, "1h", "cannot resample 420-second bars to 1h: 1h is not a whole multiple of "
                 "420-second" },
    { 172800, "1w", "1w is not a whole multiple of 2d" },
    { 172800, "2w", "weeks start on Mondays" },
    { 604800, "1mo", "cannot resample 1w bars to 1mo: a month is made of whole days" },
    { 60, "1m", NULL },
    { 60, "5m", NULL },
    { 60, "1mo", NULL },
    { 900, "4h", NULL },
    { 14400, "1d", NULL },
    { 14400, "1w", NULL },
    { 86400, "1mo", NULL },
    { 86400, "2w", NULL },
    { 604800, "2w", NULL },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsBars) in = hs_bars_new (1, cases[i].in_s);
      g_autoptr(HsResampled) r = NULL;
      gboolean ok = hs_resample_check_interval (cases[i].in_s, cases[i].to, &error);

      g_test_message ("%" G_GINT64_FORMAT " s -> %s", cases[i].in_s, cases[i].to);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_clear_error (&error);
      r = hs_resample (in, cases[i].to, HS_SESSION_US_EQUITY, &error);
      g_assert_null (r);
      g_assert_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL);
    }
}

static void
test_order_error (void)
{
  static const Row rows[] = {
    { "2021-01-01T00:05:00Z", 1, 1, 1, 1, 1, NAN, -1 },
    { "2021-01-01T00:04:00Z", 1, 1, 1, 1, 1, NAN, -1 },
  };
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 60, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResampled) r = hs_resample (in, "5m", HS_SESSION_ALWAYS, &error);
  int64_t ts[] = { 2 * S, 1 * S };
  double p[] = { 1, 1 };
  g_autoptr(HsResampled) t = NULL;

  g_assert_null (r);
  g_assert_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_ORDER);
  g_assert_nonnull (strstr (error->message, "bars are not in time order: "
                                            "2021-01-01T00:04:00Z (row 1) comes after "
                                            "2021-01-01T00:05:00Z"));
  g_clear_error (&error);
  t = hs_resample_trades (ts, p, p, 2, "1m", HS_SESSION_ALWAYS, NULL, &error);
  g_assert_null (t);
  g_assert_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_ORDER);
}

/* Trades → 1m candles, 24/7:
 *   00:00  00:00:10 100 × 1, 00:00:50 101 × 3: open 100, high 101, low 100, close 101, volume 4,
 *          vwap (100 + 303) / 4 = 100.75, 2 trades
 *   00:01  00:01:00 99 × 2, 00:01:30.5 98 × 0: 99, 99, 98, 98, volume 2, vwap 99, 2 trades
 *   00:02  00:02:00 97 × 0: volume 0, so no vwap; 1 trade
 * US: a trade at 13:29:59.999999Z on 2013-10-04 (09:29:59.999999 EDT) is left out; 13:30:00Z
 * and 19:59:59.5Z are in; 1d gives one candle. */
static void
test_trades (void)
{
  int64_t ts[] = {
    iso ("2021-01-01T00:00:10Z"), iso ("2021-01-01T00:00:50Z"), iso ("2021-01-01T00:01:00Z"),
    iso ("2021-01-01T00:01:30.5Z"), iso ("2021-01-01T00:02:00Z"),
  };
  double price[] = { 100, 101, 99, 98, 97 };
  double size[] = { 1, 3, 2, 0, 0 };
  static const Want want[] = {
    { "2021-01-01T00:00:00Z", "2021-01-01T00:01:00Z", 100, 101, 100, 101, 4, 100.75, 2 },
    { "2021-01-01T00:01:00Z", "2021-01-01T00:02:00Z", 99, 99, 98, 98, 2, 99, 2 },
    { "2021-01-01T00:02:00Z", "2021-01-01T00:03:00Z", 97, 97, 97, 97, 0, NAN, 1 },
  };
  int64_t us_ts[] = {
    iso ("2013-10-04T13:29:59.999999Z"), iso ("2013-10-04T13:30:00Z"),
    iso ("2013-10-04T19:59:59.5Z"), iso ("2013-10-04T20:00:00Z"),
  };
  double us_price[] = { 500, 10, 12, 1 };
  double us_size[] = { 1, 1, 3, 1 };
  static const Want us_want[] = {
    { "2013-10-04T13:30:00Z", "2013-10-04T20:00:00Z", 10, 12, 10, 12, 4, 11.5, 2 },
  };
  g_autofree int64_t *counts = NULL, *us_counts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsResampled) r = NULL, u = NULL, none = NULL;

  r = hs_resample_trades (ts, price, size, G_N_ELEMENTS (ts), "1m", HS_SESSION_ALWAYS, &counts,
                          &error);
  g_assert_no_error (error);
  check_want (r, counts, want, G_N_ELEMENTS (want));
  u = hs_resample_trades (us_ts, us_price, us_size, G_N_ELEMENTS (us_ts), "1d",
                          HS_SESSION_US_EQUITY, &us_counts, &error);
  g_assert_no_error (error);
  check_want (u, us_counts, us_want, G_N_ELEMENTS (us_want));
  none = hs_resample_trades (NULL, NULL, NULL, 0, "1s", HS_SESSION_ALWAYS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->bars->n, ==, 0);
  g_assert_null (hs_resample_trades (ts, price, size, 1, "tick", HS_SESSION_ALWAYS, NULL,
                                     &error));
  g_assert_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_INTERVAL);
}

static void
test_session_names (void)
{
  HsSessionKind k = HS_SESSION_ALWAYS;

  g_assert_true (hs_session_kind_from_string ("us", &k));
  g_assert_cmpint (k, ==, HS_SESSION_US_EQUITY);
  g_assert_true (hs_session_kind_from_string ("24x7", &k));
  g_assert_cmpint (k, ==, HS_SESSION_ALWAYS);
  g_assert_false (hs_session_kind_from_string ("US", &k));
  g_assert_cmpstr (hs_session_kind_to_string (HS_SESSION_US_EQUITY), ==, "us");
  g_assert_cmpstr (hs_session_kind_to_string (HS_SESSION_ALWAYS), ==, "24x7");
  g_assert_cmpint (hs_session_kind_for_instrument ("crypto"), ==, HS_SESSION_ALWAYS);
  g_assert_cmpint (hs_session_kind_for_instrument ("fx"), ==, HS_SESSION_ALWAYS);
  g_assert_cmpint (hs_session_kind_for_instrument ("prediction"), ==, HS_SESSION_ALWAYS);
  g_assert_cmpint (hs_session_kind_for_instrument ("etf"), ==, HS_SESSION_US_EQUITY);
  g_assert_cmpint (hs_session_kind_for_instrument ("stock"), ==, HS_SESSION_US_EQUITY);
  g_assert_cmpint (hs_session_kind_for_instrument (NULL), ==, HS_SESSION_US_EQUITY);
}

/* ---- The reference: one bar at a time through GDateTime, then one scan of the input per
 * bucket. Slow and obvious on purpose. ---- */

static int64_t
ref_at (GTimeZone *tz,
        GDate     *date,
        int        hour,
        int        minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, g_date_get_year (date),
                                             g_date_get_month (date), g_date_get_day (date),
                                             hour, minute, 0);

  return g_date_time_to_unix (dt) * S;
}

static int64_t
ref_epoch_day (GDate *date)
{
  GDate epoch;

  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);
  return (int64_t) g_date_get_julian (date) - (int64_t) g_date_get_julian (&epoch);
}

/* The bucket [start, end) of a bar starting at @ts (≥ 1970), or FALSE if it is left out. */
static gboolean
ref_bucket (int64_t        ts,
            int64_t        in_s,
            const char    *to,
            HsSessionKind  session,
            int64_t       *start,
            int64_t       *end)
{
  const HsInterval *tgt = hs_interval_lookup (to);
  gboolean us = session == HS_SESSION_US_EQUITY;
  gboolean intraday_in = in_s < 86400;
  int64_t secs = ts / S;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc (secs);
  g_autoptr(GDateTime) local = us && intraday_in ? g_date_time_to_timezone (u, ny)
                                                 : g_date_time_ref (u);
  int sod = g_date_time_get_hour (local) * 3600 + g_date_time_get_minute (local) * 60
            + g_date_time_get_second (local);
  GDate first, last;

  if (us && intraday_in && (sod < 9 * 3600 + 1800 || sod >= 16 * 3600))
    return FALSE;
  /* US regular sessions are Monday to Friday (1 to 5). */
  if (us && g_date_time_get_day_of_week (local) > 5)
    return FALSE;
  g_date_clear (&first, 1);
  g_date_set_dmy (&first, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  if (tgt->seconds > 0 && tgt->seconds < 86400)
    {
      int64_t t = tgt->seconds;

      if (us)
        {
          int64_t open = ref_at (ny, &first, 9, 30), close = ref_at (ny, &first, 16, 0);

          *start = open + (sod - (9 * 3600 + 1800)) / t * t * S;
          *end = MIN (*start + t * S, close);
        }
      else
        {
          *start = (secs - secs % t) * S;
          *end = *start + t * S;
        }
      return TRUE;
    }
  if (g_str_equal (to, "2d") && ref_epoch_day (&first) % 2 != 0)
    g_date_subtract_days (&first, 1);
  if (g_str_equal (to, "1w") || g_str_equal (to, "2w"))
    {
      g_date_subtract_days (&first, g_date_get_weekday (&first) - G_DATE_MONDAY);
      /* Two-week buckets start on even weeks counted from Monday 1969-12-29. */
      if (g_str_equal (to, "2w") && ((ref_epoch_day (&first) + 3) / 7) % 2 != 0)
        g_date_subtract_days (&first, 7);
    }
  if (g_str_equal (to, "1mo"))
    g_date_set_day (&first, 1);
  last = first;
  if (g_str_equal (to, "2d"))
    g_date_add_days (&last, 1);
  else if (g_str_equal (to, "1w"))
    g_date_add_days (&last, us ? 4 : 6);
  else if (g_str_equal (to, "2w"))
    g_date_add_days (&last, us ? 11 : 13);
  else if (g_str_equal (to, "1mo"))
    g_date_set_day (&last, g_date_get_days_in_month (g_date_get_month (&last),
                                                     g_date_get_year (&last)));
  if (us)
    {
      *start = ref_at (ny, &first, 9, 30);
      *end = ref_at (ny, &last, 16, 0);
    }
  else
    {
      *start = ref_at (utc, &first, 0, 0);
      *end = ref_at (utc, &last, 0, 0) + 86400 * S;
    }
  return TRUE;
}

static HsResampled *
ref_resample (const HsBars   *in,
              const int64_t  *counts,
              const char     *to,
              HsSessionKind   session,
              int64_t       **counts_out)
{
  size_t n = in->n, m = 0;
  g_autofree int64_t *start = g_new (int64_t, n ? n : 1);
  g_autofree int64_t *end = g_new (int64_t, n ? n : 1);
  g_autofree gboolean *kept = g_new0 (gboolean, n ? n : 1);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (int64_t));
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (int64_t));
  HsResampled *r = g_new0 (HsResampled, 1);

  for (size_t i = 0; i < n; i++)
    {
      kept[i] = ref_bucket (in->ts[i], in->interval_s, to, session, &start[i], &end[i]);
      if (kept[i] && (starts->len == 0
                      || g_array_index (starts, int64_t, starts->len - 1) != start[i]))
        {
          g_array_append_val (starts, start[i]);
          g_array_append_val (ends, end[i]);
        }
    }
  m = starts->len;
  r->bars = hs_bars_new (m, hs_interval_lookup (to)->seconds);
  r->end_ts = g_new (int64_t, m ? m : 1);
  *counts_out = g_new (int64_t, m ? m : 1);
  for (size_t j = 0; j < m; j++)
    {
      int64_t s = g_array_index (starts, int64_t, j);
      gboolean first = TRUE, all_vwap = TRUE;
      double vol = 0, vw = 0, tp = 0;
      int64_t count = 0;

      r->bars->ts[j] = s;
      r->end_ts[j] = g_array_index (ends, int64_t, j);
      for (size_t i = 0; i < n; i++)
        {
          if (!kept[i] || start[i] != s)
            continue;
          if (first)
            {
              r->bars->open[j] = in->open[i];
              r->bars->high[j] = in->high[i];
              r->bars->low[j] = in->low[i];
              first = FALSE;
            }
          r->bars->high[j] = MAX (r->bars->high[j], in->high[i]);
          r->bars->low[j] = MIN (r->bars->low[j], in->low[i]);
          r->bars->close[j] = in->close[i];
          vol += in->volume[i];
          if (isnan (in->vwap[i]))
            all_vwap = FALSE;
          else
            vw += in->vwap[i] * in->volume[i];
          tp += (in->high[i] + in->low[i] + in->close[i]) / 3.0 * in->volume[i];
          if (counts == NULL || counts[i] < 0 || count < 0)
            count = -1;
          else
            count += counts[i];
        }
      r->bars->volume[j] = vol;
      r->bars->vwap[j] = vol > 0 ? (all_vwap ? vw : tp) / vol : NAN;
      (*counts_out)[j] = count;
    }
  return r;
}

static void
compare_resampled (const HsResampled *got,
                   const int64_t     *got_counts,
                   const HsResampled *want,
                   const int64_t     *want_counts)
{
  g_assert_cmpuint (got->bars->n, ==, want->bars->n);
  g_assert_cmpint (got->bars->interval_s, ==, want->bars->interval_s);
  for (size_t j = 0; j < want->bars->n; j++)
    {
      if (got->bars->ts[j] != want->bars->ts[j] || got->end_ts[j] != want->end_ts[j])
        {
          g_autofree char *a = hs_time_format_iso (got->bars->ts[j]);
          g_autofree char *b = hs_time_format_iso (want->bars->ts[j]);

          g_test_message ("bar %zu: got %s, want %s", j, a, b);
        }
      g_assert_cmpint (got->bars->ts[j], ==, want->bars->ts[j]);
      g_assert_cmpint (got->end_ts[j], ==, want->end_ts[j]);
      g_assert_cmpfloat (got->bars->open[j], ==, want->bars->open[j]);
      g_assert_cmpfloat (got->bars->high[j], ==, want->bars->high[j]);
      g_assert_cmpfloat (got->bars->low[j], ==, want->bars->low[j]);
      g_assert_cmpfloat (got->bars->close[j], ==, want->bars->close[j]);
      g_assert_cmpfloat (got->bars->volume[j], ==, want->bars->volume[j]);
      if (isnan (want->bars->vwap[j]))
        g_assert_true (isnan (got->bars->vwap[j]));
      else
        g_assert_cmpfloat_with_epsilon (got->bars->vwap[j], want->bars->vwap[j],
                                        1e-9 * fabs (want->bars->vwap[j]));
      g_assert_cmpint (got_counts[j], ==, want_counts[j]);
    }
}

/* Random bars every @step_s seconds from @from to @to (UTC, Unix seconds). Each day keeps its
 * bars with a probability drawn per day (0 for a "holiday"), so buckets are full, sparse or
 * missing. vwap_mode 0: all present, 1: none, 2: 90 % present. Daily bars get a random stamp
 * in their UTC day (00:00, 04:00 or 20:00). */
static HsBars *
random_bars (GRand    *rand,
             int64_t   from,
             int64_t   to,
             int64_t   step_s,
             int       vwap_mode,
             int64_t **counts)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (int64_t));
  double price = 100, keep = 1;
  int64_t day = -1;
  HsBars *b;

  for (int64_t t = from; t < to; t += step_s)
    {
      if (t / 86400 != day)
        {
          static const double p[] = { 0, 0.1, 0.5, 0.9, 1 };

          day = t / 86400;
          keep = p[g_rand_int_range (rand, 0, G_N_ELEMENTS (p))];
        }
      if (g_rand_double (rand) < keep)
        {
          int64_t ts = t;

          if (step_s == 86400)
            ts += (int64_t[]) { 0, 4 * 3600, 20 * 3600 }[g_rand_int_range (rand, 0, 3)];
          g_array_append_val (rows, ts);
        }
    }
  b = hs_bars_new (rows->len, step_s);
  *counts = g_new (int64_t, rows->len ? rows->len : 1);
  for (size_t i = 0; i < rows->len; i++)
    {
      double o = price, c = price * (1 + g_rand_double_range (rand, -0.002, 0.002));

      b->ts[i] = g_array_index (rows, int64_t, i) * S;
      b->open[i] = o;
      b->close[i] = c;
      b->high[i] = MAX (o, c) + g_rand_double_range (rand, 0, 0.1);
      b->low[i] = MIN (o, c) - g_rand_double_range (rand, 0, 0.1);
      b->volume[i] = g_rand_int_range (rand, 0, 10) == 0 ? 0 : g_rand_int_range (rand, 1, 5000);
      if (vwap_mode == 1 || (vwap_mode == 2 && g_rand_int_range (rand, 0, 10) == 0))
        b->vwap[i] = NAN;
      else
        b->vwap[i] = (b->high[i] + b->low[i] + c) / 3 + g_rand_double_range (rand, -0.01, 0.01);
      (*counts)[i] = g_rand_int_range (rand, 0, 5) == 0 ? -1 : g_rand_int_range (rand, 0, 300);
      price = c;
    }
  return b;
}

static void
differential_case (const HsBars  *in,
                   const int64_t *counts,
                   const char    *to,
                   HsSessionKind  session)
{
  g_autoptr(HsResampled) got = NULL, want = NULL;
  g_autofree int64_t *got_counts = NULL, *want_counts = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%zu bars of %" G_GINT64_FORMAT " s -> %s, %s", in->n, in->interval_s, to,
                  hs_session_kind_to_string (session));
  got = hs_resample_with_counts (in, counts, to, session, &got_counts, &error);
  g_assert_no_error (error);
  want = ref_resample (in, counts, to, session, &want_counts);
  compare_resampled (got, got_counts, want, want_counts);
}

static void
test_differential (void)
{
  static const struct
  {
    const char *from, *to;   /* UTC dates */
    int64_t     step_s;
    const char *targets[12];
  } cases[] = {
    /* DST starts 2021-03-14; DST ends 2021-11-07, and October ends in the range. */
    { "2021-03-08", "2021-03-17", 60,
      { "1m", "5m", "15m", "30m", "1h", "4h", "1d", "2d", "1w", "2w", "1mo", NULL } },
    { "2021-10-27", "2021-11-05", 60,
      { "5m", "15m", "1h", "4h", "1d", "2d", "1w", "2w", "1mo", NULL } },
    { "2021-11-05", "2021-11-10", 60, { "5m", "1h", "4h", "1d", "1w", NULL } },
    { "2021-02-01", "2021-04-20", 1800, { "1h", "4h", "1d", "2d", "1w", "2w", "1mo", NULL } },
    { "2019-06-01", "2021-03-01", 86400, { "1d", "2d", "1w", "2w", "1mo", NULL } },
  };
  static const guint32 seeds[] = { 1, 2, 3 };

  for (size_t s = 0; s < G_N_ELEMENTS (seeds); s++)
    for (size_t c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_autoptr(GRand) rand = g_rand_new_with_seed (seeds[s] * 100 + (guint32) c);
        g_autofree int64_t *counts = NULL;
        g_autoptr(HsBars) in = random_bars (rand, iso (cases[c].from) / S,
                                            iso (cases[c].to) / S, cases[c].step_s,
                                            (int) ((s + c) % 3), &counts);

        for (size_t t = 0; cases[c].targets[t] != NULL; t++)
          {
            differential_case (in, counts, cases[c].targets[t], HS_SESSION_US_EQUITY);
            differential_case (in, counts, cases[c].targets[t], HS_SESSION_ALWAYS);
          }
      }
}

/* Trades at random µs times, many sharing a time, against the reference through hs_bars. */
static void
test_differential_trades (void)
{
  static const char *targets[] = { "1s", "1m", "5m", "1h", "4h", "1d", "1w", "1mo" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  size_t n = 20000;
  g_autoptr(HsBars) as_bars = hs_bars_new (n, 0);
  g_autofree int64_t *ones = g_new (int64_t, n);
  int64_t t = iso ("2021-03-11T12:00:00Z");

  for (size_t i = 0; i < n; i++)
    {
      double p = 100 + g_rand_double_range (rand, -5, 5);

      if (g_rand_int_range (rand, 0, 4) != 0)
        t += g_rand_int_range (rand, 0, 90 * 1000000);
      as_bars->ts[i] = t;
      as_bars->open[i] = as_bars->high[i] = as_bars->low[i] = as_bars->close[i] = p;
      as_bars->vwap[i] = p;
      as_bars->volume[i] = g_rand_int_range (rand, 0, 8) == 0
                           ? 0 : g_rand_double_range (rand, 0.001, 3);
      ones[i] = 1;
    }
  for (size_t k = 0; k < G_N_ELEMENTS (targets); k++)
    for (int session = 0; session < 2; session++)
      {
        HsSessionKind kind = session ? HS_SESSION_US_EQUITY : HS_SESSION_ALWAYS;
        g_autoptr(HsResampled) got = NULL, want = NULL;
        g_autofree int64_t *got_counts = NULL, *want_counts = NULL;
        g_autoptr(GError) error = NULL;

        g_test_message ("trades -> %s, %s", targets[k], hs_session_kind_to_string (kind));
        got = hs_resample_trades (as_bars->ts, as_bars->close, as_bars->volume, n, targets[k],
                                  kind, &got_counts, &error);
        g_assert_no_error (error);
        /* The reference treats each trade as a bar of length 0 starting at its time, with its
         * price as its vwap and a count of one. */
        want = ref_resample (as_bars, ones, targets[k], kind, &want_counts);
        compare_resampled (got, got_counts, want, want_counts);
      }
}

/* The look-ahead test. One-minute bars whose prices encode their own start (close = open =
 * Unix seconds, high = +0.5, low = -0.5), around the clock with gaps, from 2021-02-25 into
 * April (DST starts 03-14, a month ends), resampled and aligned. For every lower bar i, closing
 * at c = ts[i] + 60 s, the aligned higher bar j must be complete (end_ts[j] ≤ c), must be the
 * latest complete one (end_ts[j + 1] > c, checked also by brute force over all higher bars),
 * and every number in it must come from lower bars that closed by c: its close and its high
 * give the start of its last input bar, which + 60 s must be ≤ c. The data end inside a bucket,
 * and that partial bucket must never be seen. */
static void
test_no_look_ahead (void)
{
  static const char *targets[] = { "5m", "15m", "1h", "4h", "1d", "2d", "1w", "1mo" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) ts = g_array_new (FALSE, FALSE, sizeof (int64_t));
  int64_t from = iso ("2021-02-25T00:00:00Z"), to = iso ("2021-04-01T14:17:00Z");
  g_autoptr(HsBars) lower = NULL;
  g_autofree int64_t *idx = NULL;

  for (int64_t t = from; t < to; t += MINUTE)
    if (g_rand_int_range (rand, 0, 3) != 0 || t >= to - 2 * MINUTE)
      g_array_append_val (ts, t);
  lower = hs_bars_new (ts->len, 60);
  idx = g_new (int64_t, ts->len);
  for (size_t i = 0; i < ts->len; i++)
    {
      double secs = (double) (g_array_index (ts, int64_t, i) / S);

      lower->ts[i] = g_array_index (ts, int64_t, i);
      lower->open[i] = lower->close[i] = secs;
      lower->high[i] = secs + 0.5;
      lower->low[i] = secs - 0.5;
      lower->volume[i] = 1;
      lower->vwap[i] = NAN;
    }

  for (size_t k = 0; k < G_N_ELEMENTS (targets); k++)
    for (int session = 0; session < 2; session++)
      {
        HsSessionKind kind = session ? HS_SESSION_US_EQUITY : HS_SESSION_ALWAYS;
        g_autoptr(HsResampled) higher = resample_ok (lower, targets[k], kind);
        size_t m = higher->bars->n;
        int64_t last_close = lower->ts[lower->n - 1] + MINUTE;

        g_test_message ("1m -> %s, %s: %zu bars", targets[k], hs_session_kind_to_string (kind), m);
        g_assert_cmpuint (m, >, 1);
        for (size_t j = 1; j < m; j++)
          {
            g_assert_cmpint (higher->bars->ts[j], >, higher->bars->ts[j - 1]);
            g_assert_cmpint (higher->end_ts[j], >, higher->end_ts[j - 1]);
            g_assert_cmpint (higher->bars->ts[j], >=, higher->end_ts[j - 1]);
          }
        /* The data stop with the 14:16Z bar (10:16 EDT), closing at 14:17Z, inside the last
         * bucket of every target here: that bucket's end lies past the last close. */
        g_assert_cmpint (higher->end_ts[m - 1], >, last_close);

        hs_resample_align (lower, higher, idx);
        for (size_t i = 0; i < lower->n; i++)
          {
            int64_t c = lower->ts[i] + MINUTE;
            int64_t j = idx[i];

            g_assert_cmpint (j, >=, -1);
            g_assert_cmpint (j, <, (int64_t) m);
            if (j >= 0)
              {
                g_assert_cmpint (higher->end_ts[j], <=, c);
                g_assert_cmpfloat ((higher->bars->close[j] + 60) * S, <=, (double) c);
                g_assert_cmpfloat ((higher->bars->high[j] - 0.5 + 60) * S, <=, (double) c);
              }
            if (j + 1 < (int64_t) m)
              g_assert_cmpint (higher->end_ts[j + 1], >, c);
            g_assert_cmpint (j, !=, (int64_t) m - 1);
            /* Brute force on a sample: the last complete bar by scanning them all. */
            if (i % 97 == 0)
              {
                int64_t want = -1;

                for (size_t q = 0; q < m; q++)
                  if (higher->end_ts[q] <= c)
                    want = (int64_t) q;
                g_assert_cmpint (j, ==, want);
              }
          }
      }
}

/* hs_resample_align by hand: US 1h bars of 2013-10-04 seen from its 1m bars. The 10:29 EDT bar
 * closes at 10:30, when the 09:30–10:30 bar completes: it sees it. The 10:28 bar does not. The
 * 15:59 bar closes at 16:00 and sees the 15:30–16:00 bar and the day; an extended-hours bar at
 * 16:05 still sees the same; the next morning's 04:00 bar too. */
static void
test_align_by_hand (void)
{
  static const Row rows[] = {
    { "2013-10-04T13:30:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 09:30 EDT */
    { "2013-10-04T14:28:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 10:28 */
    { "2013-10-04T14:29:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 10:29 */
    { "2013-10-04T19:58:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 15:58 */
    { "2013-10-04T19:59:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 15:59 */
    { "2013-10-04T20:05:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* 16:05 */
    { "2013-10-07T08:00:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* Mon 04:00 */
    { "2013-10-07T13:30:00Z", 1, 1, 1, 1, 1, NAN, -1 },   /* Mon 09:30 */
  };
  /* 1h bars: 0 = 09:30, 1 = 15:30 (10-04), 2 = 09:30 (10-07, partial: ends 10:30). */
  static const int64_t want_h[] = { -1, -1, 0, 0, 1, 1, 1, 1 };
  /* 1d bars: 0 = 10-04, 1 = 10-07 (ends 16:00, never complete here). */
  static const int64_t want_d[] = { -1, -1, -1, -1, 0, 0, 0, 0 };
  g_autoptr(HsBars) in = bars_from_rows (rows, G_N_ELEMENTS (rows), 60, NULL);
  g_autoptr(HsResampled) h = resample_ok (in, "1h", HS_SESSION_US_EQUITY);
  g_autoptr(HsResampled) d = resample_ok (in, "1d", HS_SESSION_US_EQUITY);
  int64_t idx[G_N_ELEMENTS (rows)];

  g_assert_cmpuint (h->bars->n, ==, 3);
  g_assert_cmpuint (d->bars->n, ==, 2);
  hs_resample_align (in, h, idx);
  for (size_t i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpint (idx[i], ==, want_h[i]);
  hs_resample_align (in, d, idx);
  for (size_t i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpint (idx[i], ==, want_d[i]);
}

/* Reads a LEAN CSV (tests/data/lean/README.md): timestamp or date, open, high, low, close,
 * volume. */
static HsBars *
read_lean (const char *name,
           int64_t     interval_s)
{
  g_autofree char *path = g_build_filename (g_getenv ("HS_TEST_DATA"), "lean", name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  HsBars *b;
  size_t n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  b = hs_bars_new (g_strv_length (lines), interval_s);
  for (size_t i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;

      if (lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 6);
      b->ts[n] = iso (f[0]);
      b->open[n] = g_ascii_strtod (f[1], NULL);
      b->high[n] = g_ascii_strtod (f[2], NULL);
      b->low[n] = g_ascii_strtod (f[3], NULL);
      b->close[n] = g_ascii_strtod (f[4], NULL);
      b->volume[n] = g_ascii_strtod (f[5], NULL);
      b->vwap[n] = NAN;
      n++;
    }
  b->n = n;
  return b;
}

static size_t
find_day (const HsBars *daily,
          int64_t       ts)
{
  for (size_t i = 0; i < daily->n; i++)
    if (daily->ts[i] / (86400 * S) == ts / (86400 * S))
      return i;
  g_assert_not_reached ();
}

/* Real data: LEAN's SPY one-minute bars of 2013-10-04 and 10-07 … 10-11 resampled to sessions,
 * against LEAN's own SPY daily bars of those dates (tests/data/lean/README.md).
 *
 * What was found when this test was written, and is asserted:
 * - Each of the six days has 390 regular-hours minute bars, 13:30Z to 19:59Z (EDT), and gives
 *   one daily bar from 13:30Z to 20:00Z.
 * - open, high and close equal the daily file's exactly on all six days, in raw and in adjusted
 *   prices: here LEAN's daily open and close are the first minute's open and the last minute's
 *   close (they are not separate auction prices in this data).
 * - low equals on five days. On 2013-10-08 the minute bars reach 165.36 (raw; the 19:59Z bar,
 *   the last minute) while the daily bar says 165.37: the daily low is one cent higher, i.e. the
 *   daily bar left out a print that the minute bar kept. So low is asserted ≤ the daily low
 *   everywhere and equal except on that day.
 * - volume: from the raw file (which has extended hours, 04:00–20:00 New York, so this also
 *   tests that they are left out) the regular-hours sums equal the raw daily volumes exactly. In
 *   the adjusted files each row's volume was divided by the price factor and rounded on its own,
 *   so 390 rounded minutes differ from the rounded day by a little (found: -10, -12, +3, 0, +3,
 *   +2); asserted within 390 × 0.5. */
static void
test_real_spy (void)
{
  static const struct
  {
    const char *minute, *daily;
    gboolean    adjusted;
  } files[] = {
    { "spy_minute_2013-10.csv", "spy_daily.csv", FALSE },
    { "spy_minute_2013-10_rth_adjusted.csv", "spy_daily_adjusted.csv", TRUE },
  };

  for (size_t f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(HsBars) minute = read_lean (files[f].minute, 60);
      g_autoptr(HsBars) daily = read_lean (files[f].daily, 86400);
      g_autoptr(HsResampled) r = resample_ok (minute, "1d", HS_SESSION_US_EQUITY);
      g_autoptr(HsResampled) h = resample_ok (minute, "1h", HS_SESSION_US_EQUITY);
      static const char *dates[] = {
        "2013-10-04", "2013-10-07", "2013-10-08", "2013-10-09", "2013-10-10", "2013-10-11",
      };

      g_test_message ("%s: %zu minute bars", files[f].minute, minute->n);
      g_assert_cmpuint (r->bars->n, ==, G_N_ELEMENTS (dates));
      /* Seven hours a day, the last 15:30–16:00. */
      g_assert_cmpuint (h->bars->n, ==, 7 * G_N_ELEMENTS (dates));
      for (size_t i = 0; i < r->bars->n; i++)
        {
          g_autofree char *open = g_strdup_printf ("%sT13:30:00Z", dates[i]);
          g_autofree char *close = g_strdup_printf ("%sT20:00:00Z", dates[i]);
          g_autofree char *last_hour = g_strdup_printf ("%sT19:30:00Z", dates[i]);
          size_t d = find_day (daily, r->bars->ts[i]);

          g_test_message ("%s", dates[i]);
          g_assert_cmpint (r->bars->ts[i], ==, iso (open));
          g_assert_cmpint (r->end_ts[i], ==, iso (close));
          g_assert_cmpint (h->bars->ts[7 * i + 6], ==, iso (last_hour));
          g_assert_cmpint (h->end_ts[7 * i + 6], ==, iso (close));
          g_assert_cmpfloat (r->bars->open[i], ==, daily->open[d]);
          g_assert_cmpfloat (r->bars->high[i], ==, daily->high[d]);
          g_assert_cmpfloat (r->bars->close[i], ==, daily->close[d]);
          g_assert_cmpfloat (r->bars->low[i], <=, daily->low[d]);
          if (g_str_equal (dates[i], "2013-10-08"))
            {
              /* 165.36 raw, × 0.8646266 adjusted = 142.974654576 */
              g_assert_cmpfloat (r->bars->low[i], ==, files[f].adjusted ? 142.974654576 : 165.36);
              g_assert_cmpfloat (daily->low[d], ==, files[f].adjusted ? 142.983300842 : 165.37);
            }
          else
            g_assert_cmpfloat (r->bars->low[i], ==, daily->low[d]);
          if (files[f].adjusted)
            g_assert_cmpfloat (fabs (r->bars->volume[i] - daily->volume[d]), <=, 390 * 0.5);
          else
            g_assert_cmpfloat (r->bars->volume[i], ==, daily->volume[d]);
          /* No vwap in the files: the typical price stands in, inside the day's range. */
          g_assert_cmpfloat (r->bars->vwap[i], >=, r->bars->low[i]);
          g_assert_cmpfloat (r->bars->vwap[i], <=, r->bars->high[i]);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ny = g_time_zone_new_identifier ("America/New_York");
  g_assert_nonnull (ny);

  g_test_add_func ("/hs/core/resample/1m-to-5m", test_one_minute_to_five);
  g_test_add_func ("/hs/core/resample/us-short-last-hour", test_us_short_last_hour);
  g_test_add_func ("/hs/core/resample/us-dst-week", test_us_dst_week);
  g_test_add_func ("/hs/core/resample/us-holiday-gap", test_us_holiday_gap);
  g_test_add_func ("/hs/core/resample/us-outside-hours", test_us_outside_hours_only);
  g_test_add_func ("/hs/core/resample/24x7-midnight", test_always_midnight);
  g_test_add_func ("/hs/core/resample/daily-input", test_daily_input);
  g_test_add_func ("/hs/core/resample/interval-errors", test_interval_errors);
  g_test_add_func ("/hs/core/resample/order-error", test_order_error);
  g_test_add_func ("/hs/core/resample/trades", test_trades);
  g_test_add_func ("/hs/core/resample/session-names", test_session_names);
  g_test_add_func ("/hs/core/resample/differential", test_differential);
  g_test_add_func ("/hs/core/resample/differential-trades", test_differential_trades);
  g_test_add_func ("/hs/core/resample/no-look-ahead", test_no_look_ahead);
  g_test_add_func ("/hs/core/resample/align-by-hand", test_align_by_hand);
  g_test_add_func ("/hs/core/resample/real-spy", test_real_spy);
  status = g_test_run ();
  g_time_zone_unref (ny);
  return status;
}
