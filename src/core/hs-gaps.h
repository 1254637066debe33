/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-lean-data.h"
#include "hs-resample.h"

G_BEGIN_DECLS

/* Gaps in stored market data (docs/gaps-retention.md): the candles a session calendar expects
 * and the store lacks, merged into ranges, and jumps in sequence numbers or trade ids. Pure:
 * timestamps and numbers in, ranges out; the store streams them in (hs-store-gaps.h). */

#define HS_GAPS_ERROR (hs_gaps_error_quark ())

typedef enum
{
  HS_GAPS_ERROR_INTERVAL,    /* the interval has no fixed grid to measure gaps on (tick, 1w …) */
  HS_GAPS_ERROR_RANGE,       /* from after to, or a time outside the years 1 to 9999 */
  HS_GAPS_ERROR_TIME_ZONE,   /* America/New_York is missing from the system's zone data */
} HsGapsError;

/* When a market trades: 24/7 (crypto, prediction markets), or the US regular session, 09:30 to
 * 16:00 New York on weekdays that are not holidays, to the early close on early-close days. */
typedef struct _HsSessionCalendar HsSessionCalendar;

/* Missing bars [start, end): start is the first missing bar's open, end the last one's end (cut
 * at the session's close). A range merges bars that follow each other in the calendar's
 * sequence of expected bars, so it may span closed hours (a night, a weekend, a holiday), which
 * count for nothing in @missing. */
typedef struct
{
  int64_t start;     /* µs UTC */
  int64_t end;       /* µs UTC, exclusive */
  int64_t missing;   /* expected bars in the range, all absent */
} HsGapRange;

/* A jump in a sequence: the values around it and the times of their rows. */
typedef struct
{
  int64_t after;       /* the last value before the gap */
  int64_t before;      /* the first value after it */
  int64_t after_ts;
  int64_t before_ts;
  int64_t missing;     /* before − after − 1 (G_MAXINT64 if larger) */
} HsSeqGap;

/* A sequence checked value by value (hs_seq_check_push()). A value lower than the one before
 * starts a new stream (a reconnect resets Kalshi's seq, a resync jumps back) and is counted, not
 * reported as a gap; a value equal to the one before is a repeat. */
typedef struct
{
  int64_t  rows;       /* values pushed */
  int64_t  restarts;   /* values lower than the one before */
  int64_t  repeats;    /* values equal to the one before */
  int64_t  missing;    /* the sum of the gaps' missing (saturating) */
  GArray  *gaps;       /* (owned) (element-type HsSeqGap) in push order */
  int64_t  last;       /* the last value pushed, and its time */
  int64_t  last_ts;
} HsSeqCheck;

typedef struct _HsGapFinder HsGapFinder;

GQuark             hs_gaps_error_quark         (void);

HsSessionCalendar *hs_session_calendar_new     (HsSessionKind            session,
                                                const HsMarketDay       *days,
                                                size_t                   n_days,
                                                GError                 **error);
void               hs_session_calendar_free    (HsSessionCalendar       *cal);
HsSessionKind      hs_session_calendar_kind    (const HsSessionCalendar *cal);
gboolean           hs_session_calendar_is_trading_day (const HsSessionCalendar *cal,
                                                       int64_t                  day);
gboolean           hs_session_calendar_session (const HsSessionCalendar *cal,
                                                int64_t                  day,
                                                int64_t                 *open,
                                                int64_t                 *close);
int64_t            hs_session_calendar_day_of  (const HsSessionCalendar *cal,
                                                int64_t                  ts);

gboolean           hs_gaps_check_interval      (const char              *interval,
                                                GError                 **error);
HsGapFinder       *hs_gap_finder_new           (const HsSessionCalendar *cal,
                                                const char              *interval,
                                                int64_t                  from_ts,
                                                int64_t                  to_ts,
                                                GError                 **error);
void               hs_gap_finder_push          (HsGapFinder             *finder,
                                                int64_t                  ts);
GArray            *hs_gap_finder_finish        (HsGapFinder             *finder,
                                                int64_t                 *expected,
                                                int64_t                 *present);
void               hs_gap_finder_free          (HsGapFinder             *finder);

HsSeqCheck        *hs_seq_check_new            (void);
void               hs_seq_check_push           (HsSeqCheck              *check,
                                                int64_t                  value,
                                                int64_t                  ts);
void               hs_seq_check_free           (HsSeqCheck              *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSessionCalendar, hs_session_calendar_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGapFinder, hs_gap_finder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsSeqCheck, hs_seq_check_free)

G_END_DECLS
