/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forensic labels (seed 000, step 6.3): from the 1-minute bars of a trade's instrument, the
 * percent return 15 minutes and 1 hour after the entry, and the maximum favourable and adverse
 * excursion over the holding period, side-aware, in percent of the entry price. The rules, and
 * why they are what they are, are in docs/labels.md; in short, a bar's open happened at its
 * start, its close at its end, and its high and low somewhere in between, and a price counts
 * for a window only when it certainly happened inside it.
 *
 * Load: two binary searches per horizon and one pass over the bars of the holding period; no
 * allocation. The label job calls it once per trade over the bars of a batch
 * (tests/bench/bench-label.c: 100,000 trades over 1,000,000 bars).
 */
#define G_LOG_DOMAIN "hs-label"

#include "config.h"

#include "hs-label.h"

#include "hs-time.h"

#include <math.h>

/* The first index whose start is > @t (bars ascend by start). */
static size_t
upper_bound (const HsBars *bars,
             int64_t       t)
{
  size_t lo = 0, hi = bars->n;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (bars->ts[mid] <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The price at @t: the close of the last bar that ends at or before @t, when that bar ends after
 * the entry (its close is then a price of the window (entry, t]). */
static gboolean
price_at (const HsBars *bars,
          int64_t       entry_ts,
          int64_t       t,
          double       *price)
{
  size_t k = upper_bound (bars, t - HS_LABEL_BAR_US);

  if (k == 0 || bars->ts[k - 1] + HS_LABEL_BAR_US <= entry_ts)
    return FALSE;
  *price = bars->close[k - 1];
  return TRUE;
}

/* The highest and lowest price that certainly happened in [entry, exit]: a bar's open when it
 * starts inside, its close when it ends inside (after the entry), its high and low when the
 * whole bar lies inside. */
static gboolean
holding_range (const HsBars       *bars,
               const HsLabelTrade *trade,
               double             *hi,
               double             *lo)
{
  double h = -INFINITY, l = INFINITY;

  /* The first bar that ends after the entry: start > entry - one bar. */
  for (size_t k = upper_bound (bars, trade->entry_ts - HS_LABEL_BAR_US);
       k < bars->n && bars->ts[k] <= trade->exit_ts; k++)
    {
      int64_t start = bars->ts[k], end = start + HS_LABEL_BAR_US;

      if (start >= trade->entry_ts)
        {
          h = MAX (h, bars->open[k]);
          l = MIN (l, bars->open[k]);
        }
      if (end <= trade->exit_ts)
        {
          h = MAX (h, bars->close[k]);
          l = MIN (l, bars->close[k]);
          if (start >= trade->entry_ts)
            {
              h = MAX (h, bars->high[k]);
              l = MIN (l, bars->low[k]);
            }
        }
    }
  if (h == -INFINITY)
    return FALSE;
  *hi = h;
  *lo = l;
  return TRUE;
}

/* Percent move from @entry to @price in favour of @side; + 0.0 turns a short's -0 into 0. */
static double
signed_pct (int    side,
            double entry,
            double price)
{
  return side * ((price - entry) / entry * 100) + 0.0;
}

/* Checks one window: the data must reach its end, and @found says whether it held a price. */
static gboolean
window_ok (HsLabel       *out,
           HsLabelWindow  window,
           int64_t        from_ts,
           int64_t        to_ts,
           gboolean       data_reaches,
           gboolean       found)
{
  if (data_reaches && found)
    return TRUE;
  out->status = data_reaches ? HS_LABEL_NO_BARS : HS_LABEL_DATA_ENDS;
  out->window = window;
  out->from_ts = from_ts;
  out->to_ts = to_ts;
  return FALSE;
}

/**
 * hs_label_compute:
 * @bars: 1-minute bars of the trade's instrument (interval_s 60), ascending by start; they must
 *   include every bar that starts in [entry - 1 min, max (exit, entry + 1 h)] (more is fine)
 * @data_end_ts: the end (start + 1 min) of the last 1m bar stored for the instrument, whether
 *   it is in @bars or not; G_MININT64 when there is none. A window ending after it is not
 *   known yet.
 * @trade: side, entry time and price, exit time
 * @out: (out caller-allocates): the labels, or why there are none
 *
 * Computes the four labels of docs/labels.md. Labels are all or nothing: when any window cannot
 * be labeled, all four are NAN and @out names the first such window (15 min, 1 h, holding).
 * When the instrument has no bar at all, the 15-minute window has no bars.
 *
 * Returns: @out->status
 */
HsLabelStatus
hs_label_compute (const HsBars       *bars,
                  int64_t             data_end_ts,
                  const HsLabelTrade *trade,
                  HsLabel            *out)
{
  static const int64_t horizons[] = { HS_LABEL_HORIZON_15M, HS_LABEL_HORIZON_1H };
  double results[G_N_ELEMENTS (horizons)];
  double hi = NAN, lo = NAN;
  gboolean found;

  g_return_val_if_fail (bars != NULL && out != NULL && trade != NULL, HS_LABEL_NO_BARS);
  g_return_val_if_fail (bars->interval_s == 60, HS_LABEL_NO_BARS);
  g_return_val_if_fail (trade->side == 1 || trade->side == -1, HS_LABEL_NO_BARS);
  g_return_val_if_fail (trade->exit_ts >= trade->entry_ts, HS_LABEL_NO_BARS);

  hs_label_set_status (out, HS_LABEL_OK);
  out->data_end_ts = data_end_ts;

  for (size_t h = 0; h < G_N_ELEMENTS (horizons); h++)
    {
      int64_t t = trade->entry_ts + horizons[h];
      double price = NAN;

      found = price_at (bars, trade->entry_ts, t, &price);
      /* No bar at all: nothing is "not known yet", there is just nothing. */
      if (!window_ok (out, h == 0 ? HS_LABEL_WINDOW_15M : HS_LABEL_WINDOW_1H, trade->entry_ts,
                      t, data_end_ts == G_MININT64 || data_end_ts >= t, found))
        return out->status;
      results[h] = signed_pct (trade->side, trade->entry_price, price);
    }

  found = holding_range (bars, trade, &hi, &lo);
  if (!window_ok (out, HS_LABEL_WINDOW_HOLDING, trade->entry_ts, trade->exit_ts,
                  data_end_ts >= trade->exit_ts, found))
    return out->status;

  out->pnl_15m = results[0];
  out->pnl_1h = results[1];
  out->mfe_pct = MAX (0, MAX (signed_pct (trade->side, trade->entry_price, hi),
                              signed_pct (trade->side, trade->entry_price, lo)));
  out->mae_pct = MAX (0, MAX (-signed_pct (trade->side, trade->entry_price, hi),
                              -signed_pct (trade->side, trade->entry_price, lo)));
  return HS_LABEL_OK;
}

/**
 * hs_label_set_status:
 *
 * Resets @label to no labels with @status (and no window), e.g. %HS_LABEL_NO_INSTRUMENT for a
 * trade the job cannot compute at all.
 */
void
hs_label_set_status (HsLabel      *label,
                     HsLabelStatus status)
{
  g_return_if_fail (label != NULL);

  label->pnl_15m = label->pnl_1h = label->mfe_pct = label->mae_pct = NAN;
  label->status = status;
  label->window = HS_LABEL_WINDOW_15M;
  label->from_ts = label->to_ts = 0;
  label->data_end_ts = G_MININT64;
}

static const char *const window_names[] = {
  [HS_LABEL_WINDOW_15M] = "entry + 15 min",
  [HS_LABEL_WINDOW_1H] = "entry + 1 h",
  [HS_LABEL_WINDOW_HOLDING] = "the exit",
};

/**
 * hs_label_describe:
 *
 * Returns: (transfer full): why @label has no labels, as label_error stores it, e.g.
 *   "no 1m bars from 2024-03-04T15:20:00Z to 2024-03-04T15:35:00Z (entry + 15 min)"; %NULL
 *   when it has them
 */
char *
hs_label_describe (const HsLabel *label)
{
  char from[40], to[40], end[40];

  g_return_val_if_fail (label != NULL, NULL);

  hs_time_format_iso_buf (label->from_ts, from);
  hs_time_format_iso_buf (label->to_ts, to);
  switch (label->status)
    {
    case HS_LABEL_OK:
      return NULL;
    case HS_LABEL_NO_BARS:
      return g_strdup_printf ("no 1m bars from %s to %s (%s)", from, to,
                              window_names[label->window]);
    case HS_LABEL_DATA_ENDS:
      hs_time_format_iso_buf (label->data_end_ts, end);
      return g_strdup_printf ("1m bars end at %s, before %s (%s)", end, to,
                              window_names[label->window]);
    case HS_LABEL_NO_INSTRUMENT:
      return g_strdup ("the trade has no instrument");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * hs_label_status_to_string:
 *
 * Returns: (transfer none): the status as a stable word for JSON: "ok", "no_bars",
 *   "data_ends", "no_instrument"
 */
const char *
hs_label_status_to_string (HsLabelStatus status)
{
  switch (status)
    {
    case HS_LABEL_OK:
      return "ok";
    case HS_LABEL_NO_BARS:
      return "no_bars";
    case HS_LABEL_DATA_ENDS:
      return "data_ends";
    case HS_LABEL_NO_INSTRUMENT:
      return "no_instrument";
    default:
      g_return_val_if_reached ("unknown");
    }
}

/**
 * hs_label_status_summary:
 *
 * Returns: (transfer none): the status in a few words for people, e.g. "no 1m bars in a window"
 */
const char *
hs_label_status_summary (HsLabelStatus status)
{
  switch (status)
    {
    case HS_LABEL_OK:
      return "labeled";
    case HS_LABEL_NO_BARS:
      return "no 1m bars in a window";
    case HS_LABEL_DATA_ENDS:
      return "1m bars do not reach the end of a window yet";
    case HS_LABEL_NO_INSTRUMENT:
      return "no instrument";
    default:
      g_return_val_if_reached ("unknown");
    }
}
