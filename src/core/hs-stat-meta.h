/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-backtest.h"

G_BEGIN_DECLS

/* How a backtest's statistics are presented (docs/ui-backtests.md): each backtest_runs
 * statistic column (hs_bt_statistic_columns()) with its category as seed 002 groups them —
 * Core, Risk, Trading, Advanced, Strategy-specific —, a label, its unit, which direction is
 * better, and one sentence that explains it. The results view, the run history and the
 * comparison read this table; the numbers themselves are hs-stats.c's. */

typedef enum
{
  HS_STAT_GROUP_CORE,
  HS_STAT_GROUP_RISK,
  HS_STAT_GROUP_TRADING,
  HS_STAT_GROUP_ADVANCED,
  HS_STAT_GROUP_STRATEGY,   /* strategy-specific counters */
  HS_STAT_N_GROUPS,
} HsStatGroup;

typedef enum
{
  HS_STAT_UNIT_FRACTION,   /* shown as a percentage: 0.026 is "2.60 %" */
  HS_STAT_UNIT_CURRENCY,   /* account currency */
  HS_STAT_UNIT_RATIO,      /* a plain number */
  HS_STAT_UNIT_COUNT,      /* a whole number */
  HS_STAT_UNIT_DAYS,       /* whole days */
  HS_STAT_UNIT_SECONDS,    /* a duration */
  HS_STAT_UNIT_TEXT,       /* lowest_capacity_asset */
} HsStatUnit;

typedef enum
{
  HS_STAT_BETTER_NONE,     /* neither direction is better (a count, beta) */
  HS_STAT_BETTER_HIGHER,
  HS_STAT_BETTER_LOWER,
} HsStatBetter;

typedef struct
{
  const char   *column;        /* the backtest_runs column and HsStatistics field */
  const char   *label;         /* "Sharpe ratio" */
  HsStatGroup   group;
  HsStatUnit    unit;
  HsStatBetter  better;
  gboolean      signed_value;  /* the sign is the news (a return, a profit): colour it */
  const char   *description;   /* one sentence */
} HsStatMeta;

const HsStatMeta *hs_stat_meta_all          (size_t            *n);
const HsStatMeta *hs_stat_meta_lookup       (const char        *column);
const char       *hs_stat_group_label       (HsStatGroup        group);
const char       *hs_stat_unit_label        (HsStatUnit         unit);

double            hs_stat_meta_value        (const HsStatMeta  *meta,
                                             const HsBtResult  *result);
const char       *hs_stat_meta_text         (const HsStatMeta  *meta,
                                             const HsBtResult  *result);
char             *hs_stat_format            (const HsStatMeta  *meta,
                                             double             value);
int               hs_stat_compare           (const HsStatMeta  *meta,
                                             double             a,
                                             double             b);

G_END_DECLS
