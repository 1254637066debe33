/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hs-label.h"
#include "hs-store.h"

G_BEGIN_DECLS

/* The label job's reads and writes (docs/labels.md, "The job"): the work queue of closed trades
 * of paper_trades and backtest_trades, the end of an instrument's 1m bars, and the guarded
 * writes of labels and of the reasons a trade stays unlabeled. */

typedef enum
{
  HS_LABEL_TABLE_PAPER,      /* paper_trades */
  HS_LABEL_TABLE_BACKTEST,   /* backtest_trades */
} HsLabelTable;

/* Which trades a run labels. */
typedef struct
{
  gboolean all;      /* labeled trades too (relabel); else only those without labels */
  int64_t  since;    /* only trades entered at or after this time (µs); G_MININT64: all */
  int64_t  run_id;   /* > 0: only the trades of this backtest run (backtest_trades.run_id,
                      * paper_trades.backtest_run_id); 0: every trade */
} HsLabelFilter;

/* Where the queue goes on: after (ts, id), where ts is the exit time for the unlabeled queue of
 * paper_trades (its partial index is ordered by exit time) and the entry time otherwise. Start
 * with hs_label_cursor_init(). */
typedef struct
{
  int64_t ts;
  int64_t id;
} HsLabelCursor;

/* A trade as the queue read it: the label's inputs, which the write compares again. */
typedef struct
{
  HsLabelTable table;
  int64_t      id;
  int64_t      instrument_id;   /* 0: none (a backtest trade whose instrument was deleted) */
  int          side;            /* +1 long, -1 short */
  int64_t      entry_ts;
  double       entry_price;
  int64_t      exit_ts;
  gboolean     labeled;         /* it had labels when read */
} HsLabelRow;

/* What the write did with one trade. */
typedef enum
{
  HS_LABEL_WRITE_WRITTEN,     /* labels stored (new, or different from the stored ones) */
  HS_LABEL_WRITE_UNCHANGED,   /* the stored labels were already these: nothing written */
  HS_LABEL_WRITE_SKIPPED,     /* no labels: the reason is in label_error (an unlabeled trade)
                               * or only reported (a labeled trade keeps its labels) */
  HS_LABEL_WRITE_CONFLICT,    /* the trade changed (or went) since it was read: nothing
                               * written; the next run sees it again */
} HsLabelWriteOutcome;

void     hs_label_cursor_init     (HsLabelCursor        *cursor,
                                   HsLabelTable          table,
                                   const HsLabelFilter  *filter);
const char *hs_label_table_to_string (HsLabelTable       table);

gboolean hs_store_label_check_run (HsStore              *store,
                                   int64_t               run_id,
                                   GError              **error);
gboolean hs_store_label_count     (HsStore              *store,
                                   HsLabelTable          table,
                                   const HsLabelFilter  *filter,
                                   int64_t              *count,
                                   GError              **error);
GArray  *hs_store_label_next      (HsStore              *store,
                                   HsLabelTable          table,
                                   const HsLabelFilter  *filter,
                                   HsLabelCursor        *cursor,
                                   guint                 limit,
                                   GError              **error);
gboolean hs_store_label_data_end  (HsStore              *store,
                                   int64_t               instrument_id,
                                   int64_t              *data_end_ts,
                                   GError              **error);
gboolean hs_store_label_write     (HsStore              *store,
                                   const HsLabelRow     *rows,
                                   const HsLabel        *labels,
                                   size_t                n,
                                   int64_t               labeled_at,
                                   HsLabelWriteOutcome  *outcomes,
                                   GError              **error);

G_END_DECLS
