/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "hs-gaps.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The gap report of one instrument (docs/gaps-retention.md): missing candle ranges per interval
 * under the instrument's session calendar, and jumps in its stored sequence numbers and trade
 * ids. `hindsight-cli gaps` prints it; a backfill asks hs_gaps_candle_ranges() for exactly the
 * ranges to fetch. */

/* The candles of one interval. */
typedef struct
{
  char    *interval;   /* (owned) */
  int64_t  from_ts;    /* the range checked, µs UTC, inclusive; from_ts > to_ts when no bars */
  int64_t  to_ts;      /*   are stored and no range was given: nothing was checked */
  int64_t  expected;   /* bars the calendar expects in the range */
  int64_t  present;    /* of them stored */
  int64_t  missing;    /* expected − present */
  GArray  *ranges;     /* (owned) (element-type HsGapRange) */
} HsCandleGaps;

/* Where a sequence comes from. */
typedef enum
{
  HS_SEQ_SNAPSHOTS,    /* market_snapshots.sequence, per source */
  HS_SEQ_ORDERBOOK,    /* orderbook_snapshots.sequence */
  HS_SEQ_TRADE_IDS,    /* trades.trade_id, when every id in the range is an integer */
} HsSeqTable;

typedef struct
{
  HsSeqTable  table;
  char       *source;     /* (owned) (nullable) HS_SEQ_SNAPSHOTS: poll, websocket, backfill */
  int64_t     rows;       /* rows read (HS_SEQ_TRADE_IDS: every trade in the range) */
  int64_t     restarts;   /* a value below the one before (a new stream), not a gap */
  int64_t     repeats;    /* a value equal to the one before */
  int64_t     missing;    /* values missing over all gaps */
  GArray     *gaps;       /* (owned) (element-type HsSeqGap) */
  char       *unchecked;  /* (owned) (nullable) why the ids were not checked */
} HsSeqReport;

typedef struct
{
  int64_t        instrument_id;
  char          *symbol;        /* (owned) */
  char          *exchange;      /* (owned) */
  char          *kind;          /* (owned) instrument kind */
  HsSessionKind  session;
  int64_t        calendar_days; /* us_equity market_calendar rows used (0: weekdays only) */
  GPtrArray     *candles;       /* (owned) (element-type HsCandleGaps) shortest interval first */
  GPtrArray     *sequences;     /* (owned) (element-type HsSeqReport) with rows only */
} HsGapsReport;

const char   *hs_seq_table_to_string (HsSeqTable     table);
HsGapsReport *hs_gaps_report         (HsStore       *store,
                                      int64_t        instrument_id,
                                      const char    *interval,
                                      int64_t        from_ts,
                                      int64_t        to_ts,
                                      GCancellable  *cancellable,
                                      GError       **error);
GArray       *hs_gaps_candle_ranges  (HsStore       *store,
                                      int64_t        instrument_id,
                                      const char    *interval,
                                      int64_t        from_ts,
                                      int64_t        to_ts,
                                      GCancellable  *cancellable,
                                      GError       **error);
void          hs_gaps_report_free    (HsGapsReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGapsReport, hs_gaps_report_free)

G_END_DECLS
