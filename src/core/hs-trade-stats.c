/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figures of the Trades page over the filtered set of trades: the footer's count and means,
 * the AI calibration by confidence bucket and the breakdown by model or prompt version
 * (docs/ui-trades.md). Plain functions of an array of rows, one pass each (the breakdown adds a
 * hash lookup per row), so the page computes them for tens of thousands of trades at once.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-trade-stats.h"

#include <math.h>
#include <string.h>

/**
 * hs_trade_row_new:
 *
 * Returns: (transfer full): a row with every number unknown (NAN) and no texts
 */
HsTradeRow *
hs_trade_row_new (void)
{
  HsTradeRow *row = g_new0 (HsTradeRow, 1);

  row->quantity = row->entry_price = row->exit_price = NAN;
  row->pnl_pct = row->target_pnl_15m = row->target_pnl_1h = NAN;
  row->mfe_pct = row->mae_pct = row->confidence = NAN;
  return row;
}

HsTradeRow *
hs_trade_row_copy (const HsTradeRow *row)
{
  HsTradeRow *copy = g_memdup2 (row, sizeof *row);

  copy->symbol = g_strdup (row->symbol);
  copy->side = g_strdup (row->side);
  copy->model = g_strdup (row->model);
  copy->prompt_version = g_strdup (row->prompt_version);
  copy->tags = g_strdup (row->tags);
  return copy;
}

void
hs_trade_row_free (HsTradeRow *row)
{
  if (row == NULL)
    return;
  g_free (row->symbol);
  g_free (row->side);
  g_free (row->model);
  g_free (row->prompt_version);
  g_free (row->tags);
  g_free (row);
}

/* Sums as they come; the mean at the end. */
typedef struct
{
  double sum;
  size_t n;
} MeanAcc;

static void
mean_add (MeanAcc *acc,
          double   value)
{
  if (isfinite (value))
    {
      acc->sum += value;
      acc->n++;
    }
}

static HsTradeMean
mean_get (const MeanAcc *acc)
{
  HsTradeMean m = { acc->n > 0 ? acc->sum / (double) acc->n : NAN, acc->n };

  return m;
}

/**
 * hs_trade_summary_compute:
 * @rows: (array length=n): the trades
 * @out: (out caller-allocates): the count and the means of the known values
 */
void
hs_trade_summary_compute (HsTradeRow *const *rows,
                          size_t             n,
                          HsTradeSummary    *out)
{
  MeanAcc pnl = { 0 }, t1h = { 0 }, mfe = { 0 }, mae = { 0 }, conf = { 0 };

  g_return_if_fail (out != NULL);
  for (size_t i = 0; i < n; i++)
    {
      mean_add (&pnl, rows[i]->pnl_pct);
      mean_add (&t1h, rows[i]->target_pnl_1h);
      mean_add (&mfe, rows[i]->mfe_pct);
      mean_add (&mae, rows[i]->mae_pct);
      mean_add (&conf, rows[i]->confidence);
    }
  out->count = n;
  out->pnl_pct = mean_get (&pnl);
  out->target_pnl_1h = mean_get (&t1h);
  out->mfe_pct = mean_get (&mfe);
  out->mae_pct = mean_get (&mae);
  out->confidence = mean_get (&conf);
}

/**
 * hs_calibration_bucket_of:
 * @confidence: a score
 *
 * Returns: the bucket, 0 … 9 (a score of exactly 10 is in bucket 9), or -1 for a score that is
 * unknown or outside 0 … 10
 */
int
hs_calibration_bucket_of (double confidence)
{
  if (!isfinite (confidence) || confidence < 0 || confidence > 10)
    return -1;
  return MIN ((int) floor (confidence), HS_CALIBRATION_BUCKETS - 1);
}

/**
 * hs_calibration_compute:
 * @rows: (array length=n): the trades
 * @out: (out caller-allocates): the ten buckets
 */
void
hs_calibration_compute (HsTradeRow *const  *rows,
                        size_t              n,
                        HsCalibrationBucket out[HS_CALIBRATION_BUCKETS])
{
  MeanAcc t1h[HS_CALIBRATION_BUCKETS] = { { 0 } };

  memset (out, 0, sizeof (HsCalibrationBucket) * HS_CALIBRATION_BUCKETS);
  for (size_t i = 0; i < n; i++)
    {
      int b = hs_calibration_bucket_of (rows[i]->confidence);

      if (b < 0)
        continue;
      out[b].count++;
      if (isfinite (rows[i]->pnl_pct))
        {
          out[b].n_closed++;
          if (rows[i]->pnl_pct > 0)
            out[b].wins++;
        }
      mean_add (&t1h[b], rows[i]->target_pnl_1h);
    }
  for (int b = 0; b < HS_CALIBRATION_BUCKETS; b++)
    {
      out[b].win_rate = out[b].n_closed > 0 ? (double) out[b].wins / (double) out[b].n_closed
                                            : NAN;
      out[b].target_pnl_1h = mean_get (&t1h[b]);
    }
}

typedef struct
{
  HsTradeGroup group;
  MeanAcc      pnl;
} GroupAcc;

static int
group_cmp (gconstpointer a,
           gconstpointer b)
{
  const HsTradeGroup *ga = a, *gb = b;

  if (ga->key == NULL || gb->key == NULL)
    return (ga->key != NULL) - (gb->key != NULL);
  return strcmp (ga->key, gb->key);
}

static void
group_clear (gpointer data)
{
  HsTradeGroup *g = data;

  g_clear_pointer (&g->key, g_free);
}

/**
 * hs_trade_breakdown:
 * @rows: (array length=n): the trades
 * @by: the model or the prompt version
 *
 * Returns: (transfer full) (element-type HsTradeGroup): one group per value, sorted; the array
 *   frees the keys
 */
GArray *
hs_trade_breakdown (HsTradeRow *const *rows,
                    size_t             n,
                    HsTradeGroupBy     by)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) accs = g_array_new (FALSE, TRUE, sizeof (GroupAcc));
  GArray *groups = g_array_new (FALSE, TRUE, sizeof (HsTradeGroup));
  int null_group = -1;

  g_array_set_clear_func (groups, group_clear);
  for (size_t i = 0; i < n; i++)
    {
      const char *key = by == HS_TRADE_GROUP_MODEL ? rows[i]->model : rows[i]->prompt_version;
      gpointer found = NULL;
      int at;
      GroupAcc *acc;

      if (key == NULL)
        at = null_group;
      else
        at = g_hash_table_lookup_extended (index, key, NULL, &found) ? GPOINTER_TO_INT (found)
                                                                      : -1;
      if (at < 0)
        {
          GroupAcc fresh = { { 0 } };

          at = (int) accs->len;
          fresh.group.key = g_strdup (key);
          g_array_append_val (accs, fresh);
          if (key == NULL)
            null_group = at;
          else
            g_hash_table_insert (index, g_array_index (accs, GroupAcc, at).group.key,
                                 GINT_TO_POINTER (at));
        }
      acc = &g_array_index (accs, GroupAcc, at);
      acc->group.count++;
      if (isfinite (rows[i]->pnl_pct))
        {
          acc->group.n_closed++;
          if (rows[i]->pnl_pct > 0)
            acc->group.wins++;
        }
      mean_add (&acc->pnl, rows[i]->pnl_pct);
    }
  for (guint i = 0; i < accs->len; i++)
    {
      GroupAcc *acc = &g_array_index (accs, GroupAcc, i);

      acc->group.win_rate = acc->group.n_closed > 0
        ? (double) acc->group.wins / (double) acc->group.n_closed : NAN;
      acc->group.pnl_pct = mean_get (&acc->pnl);
      g_array_append_val (groups, acc->group);   /* the key moves to the result */
    }
  g_array_sort (groups, group_cmp);
  return groups;
}
