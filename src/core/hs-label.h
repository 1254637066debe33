/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "hs-bars.h"

G_BEGIN_DECLS

/* Forensic labels of a trade (seed 000, step 6.3; docs/labels.md states every rule): what the
 * market did 15 minutes and 1 hour after the entry, and the most favourable and most adverse
 * excursion while the trade was open, all in percent of the entry price and signed by side.
 * Computed from 1-minute bars only. */

#define HS_LABEL_BAR_US      (INT64_C (60) * G_USEC_PER_SEC)         /* one 1m bar */
#define HS_LABEL_HORIZON_15M (INT64_C (15) * 60 * G_USEC_PER_SEC)
#define HS_LABEL_HORIZON_1H  (INT64_C (3600) * G_USEC_PER_SEC)

typedef enum
{
  HS_LABEL_OK,              /* all four labels computed */
  HS_LABEL_NO_BARS,         /* a window holds no 1m bar price: the trade stays unlabeled */
  HS_LABEL_DATA_ENDS,       /* the stored bars stop before a window ends: not known yet */
  HS_LABEL_NO_INSTRUMENT,   /* the trade names no instrument (its instrument was deleted) */
} HsLabelStatus;

/* The three windows a trade is labeled over, in the order they are checked. */
typedef enum
{
  HS_LABEL_WINDOW_15M,       /* (entry, entry + 15 min] */
  HS_LABEL_WINDOW_1H,        /* (entry, entry + 1 h] */
  HS_LABEL_WINDOW_HOLDING,   /* [entry, exit] */
} HsLabelWindow;

typedef struct
{
  int     side;          /* +1 long, -1 short */
  int64_t entry_ts;      /* µs UTC */
  double  entry_price;   /* > 0 */
  int64_t exit_ts;       /* µs UTC, >= entry_ts */
} HsLabelTrade;

typedef struct
{
  double        pnl_15m;       /* percent, in favour of the side > 0; NAN unless OK */
  double        pnl_1h;
  double        mfe_pct;       /* percent, >= 0; NAN unless OK */
  double        mae_pct;
  HsLabelStatus status;
  HsLabelWindow window;        /* unless OK: the first window that could not be labeled */
  int64_t       from_ts;       /* that window's bounds, µs */
  int64_t       to_ts;
  int64_t       data_end_ts;   /* the end of the last stored bar; G_MININT64 when none */
} HsLabel;

HsLabelStatus hs_label_compute          (const HsBars       *bars,
                                         int64_t             data_end_ts,
                                         const HsLabelTrade *trade,
                                         HsLabel            *out);
void          hs_label_set_status       (HsLabel            *label,
                                         HsLabelStatus       status);
char         *hs_label_describe         (const HsLabel      *label);
const char   *hs_label_status_to_string (HsLabelStatus       status);
const char   *hs_label_status_summary   (HsLabelStatus       status);

G_END_DECLS
