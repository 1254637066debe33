/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parameter sweeps and walk-forward analysis (docs/backtester.md, "Sweeps").
 *
 * A sweep expands a grid of a strategy's parameters (`fast=5:50:5`, inclusive, integers or
 * reals; `direction=long_only,long_short`; a fixed `k=v`), skips the combinations the strategy
 * refuses (fast ≥ slow …) and runs the others on a dedicated GThreadPool, one thread per core:
 * every worker takes the next combination from an atomic counter, computes the strategy's
 * indicators and decisions and runs the engine over the same bars, which all threads read and
 * none writes. A combination keeps its statistics; the best one (by a chosen statistic) also
 * keeps its trades and equity curve. The result ranks them and gives the deflated Sharpe ratio
 * of the best (Bailey & López de Prado 2014): how likely its Sharpe ratio is not the luck of
 * having tried many. Storing is hs_sweep_store()'s, on the calling thread, in one transaction:
 * the workers never touch the store.
 *
 * Walk-forward: the bars are cut into rolling windows; in each, the grid is optimised on the
 * in-sample part (a sweep) and the chosen parameters trade the out-of-sample part that follows
 * (the indicators see the in-sample bars as warm-up; trades happen only out of sample). The
 * out-of-sample segments, each starting with the previous one's end equity, are stitched into
 * one run with its own statistics.
 *
 * Load: a combination over 100,000 one-minute bars is about 6 ms of one core (indicators,
 * engine, statistics), so 1,000 of them take about 3 s on two cores; memory is a few hundred
 * bytes per combination plus one full result per thread.
 */
#define G_LOG_DOMAIN "hs-sweep"

#include "config.h"

#include "hs-sweep.h"

#include <math.h>
#include <string.h>

#include "hs-cache-key.h"
#include "hs-records.h"
#include "hs-stats.h"
#include "hs-store-backtest.h"
#include "hs-time.h"

/* Periods per year of the default profile's daily returns (hs_stats_input_init()'s 252). */
#define PERIODS_PER_YEAR 252.0

G_DEFINE_QUARK (hs-sweep-error-quark, hs_sweep_error)

/* ---- the grid ---- */

static void
axis_free (HsSweepAxis *axis)
{
  if (axis == NULL)
    return;
  g_free (axis->name);
  g_clear_pointer (&axis->values, g_ptr_array_unref);
  g_free (axis);
}

void
hs_sweep_grid_free (HsSweepGrid *grid)
{
  if (grid == NULL)
    return;
  g_clear_pointer (&grid->axes, g_ptr_array_unref);
  g_clear_pointer (&grid->combos, g_ptr_array_unref);
  g_free (grid);
}

/* Returns: whether @axis has more than one value (a fixed parameter has one) */
gboolean
hs_sweep_axis_varies (const HsSweepAxis *axis)
{
  return axis->values->len > 1;
}

static gboolean
spec_error (GError    **error,
            const char *spec,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

static gboolean
spec_error (GError    **error,
            const char *spec,
            const char *format,
            ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_SPEC, "--param %s: %s", spec, msg);
  return FALSE;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/* Digits after the point of a plain decimal ("2.50": 2); −1 with an exponent. */
static int
decimals_of (const char *text)
{
  const char *dot = strchr (text, '.');

  if (strpbrk (text, "eE") != NULL)
    return -1;
  return dot != NULL ? (int) strlen (dot + 1) : 0;
}

static char *
format_value (double v)
{
  char buf[32];

  hs_format_double (v, buf);
  return g_strdup (buf);
}

/* START:STOP[:STEP] into @values, inclusive of STOP when the steps land on it. Reals are
 * computed as (START + k STEP) in units of their last decimal, so 0.1:0.5:0.1 gives exactly
 * the doubles of 0.1, 0.2, 0.3, 0.4 and 0.5, without drift. */
static gboolean
expand_range (const HsParamSpec *spec,
              const char        *full,
              const char        *text,
              GPtrArray         *values,
              GError           **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint n = g_strv_length (parts);
  double start, stop, step;
  g_autofree char *step_text = NULL;
  int d = 0;

  if (spec->type != HS_PARAM_INT && spec->type != HS_PARAM_DOUBLE)
    return spec_error (error, full, "%s is not a number: list its values as A,B,C",
                       spec->name);
  if (n < 2 || n > 3)
    return spec_error (error, full, "a range is START:STOP or START:STOP:STEP");
  step_text = n == 3 ? g_strdup (parts[2]) : format_value (spec->step);
  if (!parse_number (parts[0], &start) || !parse_number (parts[1], &stop)
      || !parse_number (step_text, &step))
    return spec_error (error, full, "START, STOP and STEP must be numbers");
  if (!(step > 0))
    return spec_error (error, full, "STEP must be more than 0");
  if (stop < start)
    return spec_error (error, full, "START must not be more than STOP");
  d = MAX (decimals_of (parts[0]), MAX (decimals_of (parts[1]), decimals_of (step_text)));
  if (decimals_of (parts[0]) >= 0 && decimals_of (parts[1]) >= 0 && decimals_of (step_text) >= 0
      && d <= 9 && fabs (start) * pow (10, d) < 1e15 && fabs (stop) * pow (10, d) < 1e15)
    {
      double scale = pow (10, d);
      int64_t s = llround (start * scale), e = llround (stop * scale), p = llround (step * scale);

      if (p <= 0)
        return spec_error (error, full, "STEP must be more than 0");
      if ((e - s) / p + 1 > HS_SWEEP_MAX_COMBINATIONS)
        return spec_error (error, full, "more than %d values", HS_SWEEP_MAX_COMBINATIONS);
      for (int64_t k = s; k <= e; k += p)
        g_ptr_array_add (values, format_value ((double) k / scale));
    }
  else
    {
      /* An exponent or many decimals: k steps from START, and STOP when within rounding. */
      double count = floor ((stop - start) / step * (1 + 1e-12)) + 1;

      if (count > HS_SWEEP_MAX_COMBINATIONS)
        return spec_error (error, full, "more than %d values", HS_SWEEP_MAX_COMBINATIONS);
      for (int64_t k = 0; k < (int64_t) count; k++)
        {
          double v = start + (double) k * step;

          g_ptr_array_add (values, format_value (fabs (v - stop) <= 1e-12 * fabs (step)
                                                 ? stop : v));
        }
    }
  return TRUE;
}

/* One --param spec into an axis; every value is checked against the parameter. */
static HsSweepAxis *
parse_spec (const HsStrategyInfo *strategy,
            HsStrategyParams     *scratch,
            const char           *spec,
            GError              **error)
{
  const char *eq = strchr (spec, '=');
  g_autofree char *name = NULL;
  const HsParamSpec *ps;
  HsSweepAxis *axis;
  const char *text;

  if (eq == NULL || eq == spec || eq[1] == '\0')
    {
      spec_error (error, spec, "a grid parameter is NAME=START:STOP:STEP, NAME=A,B,C or "
                               "NAME=VALUE");
      return NULL;
    }
  name = g_strndup (spec, (size_t) (eq - spec));
  text = eq + 1;
  ps = hs_strategy_find_param (strategy, name);
  if (ps == NULL)
    {
      GError *local = NULL;

      /* The strategy's own message lists its parameters. */
      if (!hs_strategy_params_set (scratch, name, text, &local))
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_assert_not_reached ();
    }
  axis = g_new0 (HsSweepAxis, 1);
  axis->name = g_strdup (ps->name);
  axis->values = g_ptr_array_new_with_free_func (g_free);
  if (strchr (text, ':') != NULL && ps->type != HS_PARAM_INTERVAL)
    {
      if (!expand_range (ps, spec, text, axis->values, error))
        {
          axis_free (axis);
          return NULL;
        }
    }
  else
    {
      g_auto(GStrv) list = g_strsplit (text, ",", -1);

      for (size_t i = 0; list[i] != NULL; i++)
        g_ptr_array_add (axis->values, g_strdup (list[i]));
    }
  for (guint i = 0; i < axis->values->len; i++)
    if (!hs_strategy_params_set (scratch, axis->name, axis->values->pdata[i], error))
      {
        g_prefix_error (error, "--param %s: ", spec);
        axis_free (axis);
        return NULL;
      }
  return axis;
}

/**
 * hs_sweep_grid_new:
 * @strategy: a built-in strategy
 * @specs: (nullable) (array zero-terminated=1): `NAME=START:STOP[:STEP]` (inclusive; STEP
 *   defaults to the parameter's), `NAME=A,B,C` or `NAME=VALUE`; parameters not given keep
 *   their defaults
 *
 * Expands the grid: every combination of the values, the last spec varying fastest. The
 * combinations hs_strategy_params_check() refuses (fast ≥ slow …) are skipped and counted.
 *
 * Returns: (transfer full): the grid, or %NULL with %HS_SWEEP_ERROR_SPEC (bad syntax, too many
 *   combinations, none valid) or an %HS_STRATEGY_ERROR (an unknown parameter, a value out of
 *   its range)
 */
HsSweepGrid *
hs_sweep_grid_new (const HsStrategyInfo *strategy,
                   const char *const    *specs,
                   GError              **error)
{
  g_autoptr(HsSweepGrid) grid = NULL;
  g_autoptr(HsStrategyParams) scratch = NULL;
  g_autofree guint *idx = NULL;
  g_autofree char *first_refusal = NULL;
  double total = 1;

  g_return_val_if_fail (strategy != NULL, NULL);

  grid = g_new0 (HsSweepGrid, 1);
  grid->strategy = strategy;
  grid->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) axis_free);
  grid->combos = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_strategy_params_free);
  scratch = hs_strategy_params_new (strategy);
  for (size_t i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      HsSweepAxis *axis = parse_spec (strategy, scratch, specs[i], error);

      if (axis == NULL)
        return NULL;
      for (guint k = 0; k < grid->axes->len; k++)
        if (g_str_equal (((HsSweepAxis *) grid->axes->pdata[k])->name, axis->name))
          {
            spec_error (error, specs[i], "%s is given twice", axis->name);
            axis_free (axis);
            return NULL;
          }
      g_ptr_array_add (grid->axes, axis);
      total *= axis->values->len;
      if (total > HS_SWEEP_MAX_COMBINATIONS)
        {
          g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_SPEC,
                       "the grid has more than %d combinations", HS_SWEEP_MAX_COMBINATIONS);
          return NULL;
        }
    }
  grid->n_total = (size_t) total;

  /* An odometer over the axes, the last one fastest. */
  idx = g_new0 (guint, grid->axes->len + 1);
  for (size_t c = 0; c < grid->n_total; c++)
    {
      g_autoptr(HsStrategyParams) params = hs_strategy_params_new (strategy);
      g_autoptr(GError) refused = NULL;

      for (guint a = 0; a < grid->axes->len; a++)
        {
          const HsSweepAxis *axis = grid->axes->pdata[a];
          gboolean ok = hs_strategy_params_set (params, axis->name, axis->values->pdata[idx[a]],
                                                NULL);

          g_assert (ok);   /* every value was checked */
        }
      if (hs_strategy_params_check (params, &refused))
        g_ptr_array_add (grid->combos, g_steal_pointer (&params));
      else
        {
          grid->n_invalid++;
          if (first_refusal == NULL)
            first_refusal = g_strdup (refused->message);
        }
      for (guint a = grid->axes->len; a-- > 0;)
        {
          const HsSweepAxis *axis = grid->axes->pdata[a];

          if (++idx[a] < axis->values->len)
            break;
          idx[a] = 0;
        }
    }
  if (grid->combos->len == 0)
    {
      g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_SPEC,
                   "the strategy refuses every combination of the grid (%s)",
                   first_refusal ? first_refusal : "none");
      return NULL;
    }
  return g_steal_pointer (&grid);
}

/* ---- ranking ---- */

/* Statistics where less is better; every other one ranks descending. */
static const char *const lower_is_better[] = {
  "max_drawdown", "drawdown_recovery", "annual_standard_deviation", "annual_variance",
  "tracking_error", "loss_rate", "losing_trades", "total_fees", "longest_losing_streak",
};

static const HsBtColumn *
find_column (const char *name)
{
  size_t n = 0;
  const HsBtColumn *cols = hs_bt_statistic_columns (&n);

  for (size_t i = 0; name != NULL && i < n; i++)
    if (g_str_equal (cols[i].name, name))
      return &cols[i];
  return NULL;
}

/**
 * hs_sweep_rank_lookup:
 * @name: (nullable): a backtest_runs statistic column ("sharpe_ratio") or its LEAN name
 *   ("Sharpe Ratio"); %NULL for sharpe_ratio
 * @column: (out) (transfer none): the column name
 * @lower_is_better: (out): whether it ranks ascending (max_drawdown …)
 *
 * Returns: %FALSE with %HS_SWEEP_ERROR_RANK when @name is not a numeric statistic
 */
gboolean
hs_sweep_rank_lookup (const char  *name,
                      const char **column,
                      gboolean    *lower,
                      GError     **error)
{
  const HsBtColumn *col = find_column (name != NULL ? name : "sharpe_ratio");

  if (col == NULL && name != NULL)
    {
      const HsStatInfo *info = hs_stats_field_by_name (name);

      if (info != NULL)
        col = find_column (info->field);
    }
  if (col == NULL || col->type == HS_BT_COLUMN_TEXT)
    {
      g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_RANK,
                   "cannot rank by “%s”: use a statistic such as sharpe_ratio, net_profit, "
                   "sortino_ratio or max_drawdown (the backtest_runs columns)", name);
      return FALSE;
    }
  *column = col->name;
  *lower = FALSE;
  for (size_t i = 0; i < G_N_ELEMENTS (lower_is_better); i++)
    if (g_str_equal (col->name, lower_is_better[i]))
      *lower = TRUE;
  return TRUE;
}

static double
column_value (const HsBtResult *result,
              const HsBtColumn *col)
{
  const char *p = (const char *) result + col->offset;

  if (col->type == HS_BT_COLUMN_DOUBLE)
    return *(const double *) (const void *) p;
  if (col->type == HS_BT_COLUMN_INT)
    {
      int64_t v = *(const int64_t *) (const void *) p;

      return v < 0 ? NAN : (double) v;
    }
  return NAN;
}

/* Returns: the statistic @column of @result as a number, NAN when undefined or not numeric */
double
hs_sweep_rank_value (const HsBtResult *result,
                     const char       *column)
{
  const HsBtColumn *col = find_column (column);

  g_return_val_if_fail (result != NULL, NAN);
  return col != NULL ? column_value (result, col) : NAN;
}

/* < 0 when trial @ia ranks before @ib: a defined value before an undefined one, the better
 * value first, a run before a failure, then the grid's order. */
static int
compare_trials (const HsSweepTrial *a,
                guint               ia,
                const HsSweepTrial *b,
                guint               ib,
                gboolean            lower)
{
  gboolean da = a->result != NULL && !isnan (a->rank_value);
  gboolean db = b->result != NULL && !isnan (b->rank_value);

  if (da != db)
    return da ? -1 : 1;
  if (da && a->rank_value != b->rank_value)
    return (lower ? a->rank_value < b->rank_value : a->rank_value > b->rank_value) ? -1 : 1;
  if (!da && (a->result != NULL) != (b->result != NULL))
    return a->result != NULL ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

typedef struct
{
  const GArray *trials;
  gboolean      lower;
} SortData;

static int
compare_ranking (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const SortData *s = data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;

  return compare_trials (&g_array_index (s->trials, HsSweepTrial, ia), ia,
                         &g_array_index (s->trials, HsSweepTrial, ib), ib, s->lower);
}

/* ---- running ---- */

static void
trial_clear (HsSweepTrial *t)
{
  g_clear_pointer (&t->result, hs_bt_result_free);
  g_clear_pointer (&t->error_message, g_free);
}

void
hs_sweep_result_free (HsSweepResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->trials, g_array_unref);
  g_clear_pointer (&result->ranking, g_array_unref);
  g_clear_pointer (&result->best_result, hs_bt_result_free);
  g_free (result->rank);
  g_free (result);
}

/**
 * hs_sweep_result_get_best:
 *
 * Returns: (transfer none) (nullable): the best trial, %NULL when none ran
 */
const HsSweepTrial *
hs_sweep_result_get_best (const HsSweepResult *result)
{
  const HsSweepTrial *t;

  if (result->ranking->len == 0)
    return NULL;
  t = &g_array_index (result->trials, HsSweepTrial, g_array_index (result->ranking, guint, 0));
  return t->result != NULL ? t : NULL;
}

/* The default profile's view of an equity curve: a point per bar at its close, as the engine
 * gives the statistics. */
static void
default_stats_input (const HsBtResult *r,
                     int64_t           interval_s,
                     const HsBtConfig *config,
                     const HsRiskFree *risk_free,
                     HsPoint          *points,
                     HsStatsInput     *in)
{
  for (size_t i = 0; i < r->n; i++)
    {
      points[i].ts = r->ts[i] + interval_s * G_USEC_PER_SEC;
      points[i].value = r->equity[i];
    }
  hs_stats_input_init (in);
  in->equity = points;
  in->n_equity = r->n;
  in->start_equity = config->initial_cash;
  if (risk_free != NULL)
    in->risk_free = *risk_free;
}

/* The per-period Sharpe ratio the deflated Sharpe ratio compares: the default profile's
 * (mean / sd of the daily excess returns). In the lean profile the run's sharpe_ratio is
 * LEAN's, so the default one is computed from the equity curve. */
static double
trial_sharpe (const HsSweepRequest *req,
              const HsBtResult     *r)
{
  g_autofree HsPoint *points = NULL;
  HsStatsInput in;
  HsStatistics st;
  double sr;

  if (req->config->profile == HS_STATS_PROFILE_DEFAULT)
    return r->stats.sharpe_ratio / sqrt (PERIODS_PER_YEAR);
  if (r->n == 0)
    return NAN;
  points = g_new (HsPoint, r->n);
  default_stats_input (r, req->input->bars->interval_s, req->config, req->input->risk_free,
                       points, &in);
  if (!hs_statistics_compute (&in, &st, NULL))
    return NAN;
  sr = st.sharpe_ratio / sqrt (PERIODS_PER_YEAR);
  hs_statistics_clear (&st);
  return sr;
}

/* Drops the equity curve and the trades of @r, keeping statistics and counters. */
static void
summarize (HsBtResult *r)
{
  g_clear_pointer (&r->ts, g_free);
  g_clear_pointer (&r->equity, g_free);
  g_clear_pointer (&r->cash, g_free);
  g_clear_pointer (&r->holdings, g_free);
  g_clear_pointer (&r->drawdown, g_free);
  g_clear_pointer (&r->benchmark, g_free);
  r->n = 0;
  g_array_set_size (r->trades, 0);
}

static HsBtResult *
copy_summary (const HsBtResult *r)
{
  HsBtResult *s = hs_bt_result_new_empty (0);

  hs_statistics_clear (&s->stats);
  s->stats = r->stats;
  s->stats.lowest_capacity_asset = g_strdup (r->stats.lowest_capacity_asset);
  s->total_orders = r->total_orders;
  s->pivot_highs_detected = r->pivot_highs_detected;
  s->pivot_lows_detected = r->pivot_lows_detected;
  s->bos_signals_generated = r->bos_signals_generated;
  s->position_flips = r->position_flips;
  s->liquidation_events = r->liquidation_events;
  return s;
}

/* The best combination a task has run, with its full result. */
typedef struct
{
  gint64      index;    /* −1: none yet */
  HsBtResult *result;   /* (owned) (nullable) */
} Best;

/* The state the tasks share. Synchronisation is by atomics only (the tasks' own results are
 * merged after the pool is done), which also lets ThreadSanitizer see every edge: it does not
 * see GLib's futex-based GMutex and pool. */
typedef struct
{
  const HsSweepRequest *req;
  const HsSweepGrid    *grid;
  GArray               *trials;     /* sized before the workers start; element i is written by
                                     * the worker that took combination i only */
  const HsBtColumn     *rank_col;
  gboolean              lower;
  GCancellable         *cancellable;
  guint                 n;
  int                   next;       /* (atomic) the next combination to take */
  int                   done;       /* (atomic) combinations finished */
  int                   started;    /* (atomic) 1 once everything above is set */
  int                   finished;   /* (atomic) tasks finished */
  Best                 *bests;      /* (owned) one per task, each touched by its task only */
  gint64                t0;         /* g_get_monotonic_time () at the start */
  int                   reporting;  /* (atomic) 1 while a task reports progress */
  int                   last_ms;    /* (atomic) ms after t0 of the last report */
  guint                 reported;   /* combinations done at the last report; the reporter's */
  gint64                best;       /* after the tasks: the best trial, −1 for none */
} Sweep;

static void
run_trial (Sweep *sw,
           Best  *mine,
           guint  i)
{
  const HsSweepRequest *req = sw->req;
  HsSweepTrial *t = &g_array_index (sw->trials, HsSweepTrial, i);
  g_autoptr(HsBtSignals) signals = NULL;
  g_autoptr(HsBtResult) r = NULL;
  g_autoptr(GError) error = NULL;
  int64_t t0 = g_get_monotonic_time ();

  t->started_at = hs_time_now_us ();
  signals = hs_strategy_run (t->params, req->strategy_input, &error);
  if (signals != NULL)
    r = hs_backtest_run (req->input, signals, req->config, &error);
  t->execution_time_us = g_get_monotonic_time () - t0;
  t->finished_at = hs_time_now_us ();
  if (r == NULL)
    {
      t->error_message = g_strdup (error->message);
      return;
    }
  t->rank_value = column_value (r, sw->rank_col);
  t->sharpe = trial_sharpe (req, r);
  if (!req->keep_best)
    {
      summarize (r);
      t->result = g_steal_pointer (&r);
      return;
    }
  t->result = copy_summary (r);
  /* Compared only with trials this task ran. */
  if (mine->index < 0
      || compare_trials (t, i, &g_array_index (sw->trials, HsSweepTrial, mine->index),
                         (guint) mine->index, sw->lower) < 0)
    {
      mine->index = i;
      g_clear_pointer (&mine->result, hs_bt_result_free);
      mine->result = g_steal_pointer (&r);
    }
}

/* At most ten reports a second, one at a time, never backwards, and always the last one: a
 * task that finds another one reporting skips its report, except the last, which waits. */
static void
report_progress (Sweep *sw,
                 guint  done)
{
  int ms;

  if (sw->req->progress == NULL)
    return;
  ms = (int) ((g_get_monotonic_time () - sw->t0) / 1000);
  if (done < sw->n && ms - g_atomic_int_get (&sw->last_ms) < 100)
    return;
  while (!g_atomic_int_compare_and_exchange (&sw->reporting, 0, 1))
    {
      if (done < sw->n)
        return;
      g_thread_yield ();
    }
  if (done > sw->reported && (done == sw->n || ms - g_atomic_int_get (&sw->last_ms) >= 100))
    {
      char msg[64];

      g_snprintf (msg, sizeof msg, "%u of %u combinations", done, sw->n);
      g_atomic_int_set (&sw->last_ms, ms);
      sw->reported = done;
      sw->req->progress ((double) done / sw->n, msg, sw->req->progress_data);
    }
  g_atomic_int_set (&sw->reporting, 0);
}

/* A task: takes the next combination until none is left. @data is the task's number, from 1. */
static void
hs_sweep_worker (gpointer data,
                 gpointer user_data)
{
  Sweep *sw = user_data;
  Best *mine;

  /* The first access to @sw: what the caller wrote happens before the task reads it. */
  if (g_atomic_int_get (&sw->started) != 1)
    g_assert_not_reached ();
  mine = &sw->bests[GPOINTER_TO_UINT (data) - 1];
  for (;;)
    {
      guint i;

      if (g_cancellable_is_cancelled (sw->cancellable))
        break;
      i = (guint) g_atomic_int_add (&sw->next, 1);
      if (i >= sw->n)
        break;
      run_trial (sw, mine, i);
      report_progress (sw, (guint) g_atomic_int_add (&sw->done, 1) + 1);
    }
  /* The last access to @sw: what the task wrote happens before the caller reads it. */
  g_atomic_int_inc (&sw->finished);
}

/* The deflated Sharpe ratio of the best over the trials that ran. */
static void
deflate (HsSweepResult        *res,
         const HsSweepRequest *req)
{
  const HsSweepTrial *best = hs_sweep_result_get_best (res);
  g_autofree HsPoint *points = NULL;
  g_autoptr(GArray) returns = NULL;
  double sum = 0, sum2 = 0, n_sr = 0;
  HsStatsInput in;

  res->n_trials = 0;
  for (guint i = 0; i < res->trials->len; i++)
    {
      const HsSweepTrial *t = &g_array_index (res->trials, HsSweepTrial, i);

      if (t->result == NULL)
        continue;
      res->n_trials++;
      if (isfinite (t->sharpe))
        {
          sum += t->sharpe;
          n_sr++;
        }
    }
  if (n_sr >= 2)
    {
      double mean = sum / n_sr;

      for (guint i = 0; i < res->trials->len; i++)
        {
          const HsSweepTrial *t = &g_array_index (res->trials, HsSweepTrial, i);

          if (t->result != NULL && isfinite (t->sharpe))
            sum2 += (t->sharpe - mean) * (t->sharpe - mean);
        }
      res->sr_variance = sum2 / (n_sr - 1);
    }
  if (best == NULL || res->best_result == NULL || res->best_result->n == 0)
    return;
  res->sr_best = best->sharpe;
  points = g_new (HsPoint, res->best_result->n);
  default_stats_input (res->best_result, req->input->bars->interval_s, req->config,
                       req->input->risk_free, points, &in);
  if (!hs_stats_daily_returns (&in, &returns, NULL, NULL))
    return;
  res->n_returns = returns->len;
  res->skewness = hs_stats_skewness ((const double *) (void *) returns->data, returns->len);
  res->kurtosis = hs_stats_kurtosis ((const double *) (void *) returns->data, returns->len) + 3;
  res->expected_max_sr = hs_stats_expected_max_sharpe (res->n_trials, res->sr_variance);
  res->deflated_sharpe = hs_stats_deflated_sharpe (res->sr_best, res->n_trials, res->sr_variance,
                                                   res->skewness, res->kurtosis, res->n_returns);
}

/**
 * hs_sweep_run:
 * @request: what every combination reads; borrowed until this returns
 * @grid: the combinations
 * @cancellable: (nullable): checked between combinations; a cancelled sweep returns nothing
 *
 * Runs every combination of @grid on a dedicated thread pool of @request->n_jobs threads and
 * blocks until all are done (so the borrowed inputs outlive the workers). A combination the
 * strategy or the engine refuses is a failed trial, not an error of the sweep. Results do not
 * depend on the number of threads.
 *
 * Returns: (transfer full): the trials, their ranking and, with @request->keep_best, the best's
 *   full result and deflated Sharpe ratio; or %NULL with %HS_SWEEP_ERROR_RANK,
 *   %HS_SWEEP_ERROR_FAILED (every combination failed: the first one's error), a thread error,
 *   or %G_IO_ERROR_CANCELLED
 */
HsSweepResult *
hs_sweep_run (const HsSweepRequest *request,
              const HsSweepGrid    *grid,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(HsSweepResult) res = NULL;
  const char *column = NULL;
  gboolean lower = FALSE;
  Sweep sw = { 0 };
  SortData sort;
  guint n_threads;
  int64_t t0 = g_get_monotonic_time ();

  g_return_val_if_fail (request != NULL && grid != NULL, NULL);
  g_return_val_if_fail (request->strategy_input != NULL && request->input != NULL
                        && request->config != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (!hs_sweep_rank_lookup (request->rank, &column, &lower, error))
    return NULL;
  res = g_new0 (HsSweepResult, 1);
  res->grid = grid;
  res->rank = g_strdup (column);
  res->lower_is_better = lower;
  res->trials = g_array_sized_new (FALSE, TRUE, sizeof (HsSweepTrial), grid->combos->len);
  g_array_set_clear_func (res->trials, (GDestroyNotify) trial_clear);
  g_array_set_size (res->trials, grid->combos->len);
  for (guint i = 0; i < grid->combos->len; i++)
    {
      HsSweepTrial *t = &g_array_index (res->trials, HsSweepTrial, i);

      t->params = grid->combos->pdata[i];
      t->rank_value = t->sharpe = NAN;
    }
  res->sr_variance = res->sr_best = res->expected_max_sr = NAN;
  res->skewness = res->kurtosis = res->n_returns = res->deflated_sharpe = NAN;

  sw.req = request;
  sw.grid = grid;
  sw.trials = res->trials;
  sw.rank_col = find_column (column);
  sw.lower = lower;
  sw.cancellable = cancellable;
  sw.n = grid->combos->len;
  sw.t0 = t0;
  sw.last_ms = -1000;
  n_threads = request->n_jobs > 0 ? (guint) request->n_jobs : g_get_num_processors ();
  n_threads = MAX (1, MIN (n_threads, sw.n));
  sw.bests = g_new (Best, n_threads);
  for (guint k = 0; k < n_threads; k++)
    {
      sw.bests[k].index = -1;
      sw.bests[k].result = NULL;
    }
  g_atomic_int_set (&sw.started, 1);
  if (n_threads == 1)
    hs_sweep_worker (GUINT_TO_POINTER (1), &sw);
  else
    {
      GThreadPool *pool = g_thread_pool_new (hs_sweep_worker, &sw, (int) n_threads, TRUE, error);

      if (pool == NULL)
        {
          g_free (sw.bests);
          return NULL;
        }
      for (guint k = 0; k < n_threads; k++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (k + 1), NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
    }
  /* Read in every build: the edge from the tasks' writes to the reads below. */
  if (g_atomic_int_get (&sw.finished) != (int) n_threads)
    g_assert_not_reached ();
  /* The best of the tasks' bests. */
  {
    gint64 best = -1;

    for (guint k = 0; k < n_threads; k++)
      {
        Best *b = &sw.bests[k];

        if (b->index >= 0
            && (best < 0
                || compare_trials (&g_array_index (res->trials, HsSweepTrial, b->index),
                                   (guint) b->index,
                                   &g_array_index (res->trials, HsSweepTrial, best),
                                   (guint) best, lower) < 0))
          {
            best = b->index;
            g_clear_pointer (&res->best_result, hs_bt_result_free);
            res->best_result = g_steal_pointer (&b->result);
          }
        g_clear_pointer (&b->result, hs_bt_result_free);
      }
    g_clear_pointer (&sw.bests, g_free);
    sw.best = best;
  }
  res->seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  res->ranking = g_array_sized_new (FALSE, FALSE, sizeof (guint), sw.n);
  for (guint i = 0; i < sw.n; i++)
    {
      g_array_append_val (res->ranking, i);
      if (g_array_index (res->trials, HsSweepTrial, i).result == NULL)
        res->n_failed++;
    }
  sort.trials = res->trials;
  sort.lower = lower;
  g_array_sort_with_data (res->ranking, compare_ranking, &sort);
  if (res->n_failed == sw.n)
    {
      const HsSweepTrial *first = &g_array_index (res->trials, HsSweepTrial, 0);

      g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_FAILED, "every combination failed: %s",
                   first->error_message ? first->error_message : "unknown error");
      return NULL;
    }
  g_assert (!request->keep_best
            || (guint) sw.best == g_array_index (res->ranking, guint, 0));
  if (request->keep_best)
    deflate (res, request);
  return g_steal_pointer (&res);
}

/* ---- storing ---- */

/**
 * hs_sweep_info_set_params:
 * @info: a run's request; @info->interval set (the default of lower_timeframe)
 * @params: a built-in strategy's parameters
 *
 * Records the strategy, its version and every parameter in @info as `backtest` does, so an
 * identical request has the same cache key from either command.
 */
void
hs_sweep_info_set_params (HsBtRunInfo            *info,
                          const HsStrategyParams *params)
{
  const HsStrategyInfo *s = hs_strategy_params_get_strategy (params);

  g_free (info->strategy_name);
  info->strategy_name = g_strdup (s->name);
  g_free (info->strategy_version);
  info->strategy_version = g_strdup (s->version);
  for (size_t k = 0; k < s->n_params; k++)
    {
      const HsParamSpec *p = &s->params[k];

      if (p->type == HS_PARAM_INT || p->type == HS_PARAM_DOUBLE)
        hs_bt_run_info_set_number (info, p->name, hs_strategy_params_get_number (params, p->name));
      else
        hs_bt_run_info_set_string (info, p->name, hs_strategy_params_get_text (params, p->name));
    }
  if (g_str_equal (s->name, "market_structure"))
    {
      const char *tf = hs_strategy_params_get_text (params, "lower_timeframe");

      info->pivot_bars = (int64_t) hs_strategy_params_get_number (params, "pivot_bars");
      g_free (info->lower_timeframe);
      info->lower_timeframe = g_strdup (tf[0] ? tf : info->interval);
    }
}

/**
 * hs_sweep_store:
 * @request_info: what every combination shares: symbol, instrument, interval, period, models,
 *   data key and fingerprint, engine settings (hs-cli-backtest.c's request without strategy
 *   parameters); without a data key the best holds no cache key
 * @batch_id: (out) (optional) (transfer full): the sweep's id, every row's batch_id
 * @run_ids: (out caller-allocates) (optional) (array): the backtest_runs.id of each trial, one
 *   per @result->trials
 *
 * Stores every combination as a backtest_runs row in one transaction: status (completed or
 * failed, with its error), statistics, parameters and timing. Only the best keeps its trades
 * and equity curve, and only it holds the cache key (when no computed run holds it already): a
 * row answers the cache only with the trades and curve a cached answer shows. One transaction
 * of 1,000 rows takes a few tens of milliseconds.
 */
gboolean
hs_sweep_store (HsStore             *store,
                const HsBtRunInfo   *request_info,
                const HsSweepResult *result,
                char               **batch_id,
                int64_t             *run_ids,
                GError             **error)
{
  g_autofree char *batch = g_uuid_string_random ();
  const HsSweepTrial *best = hs_sweep_result_get_best (result);

  g_return_val_if_fail (store != NULL && request_info != NULL && result != NULL, FALSE);

  if (!hs_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < result->trials->len; i++)
    {
      const HsSweepTrial *t = &g_array_index (result->trials, HsSweepTrial, i);
      g_autoptr(HsBtRunInfo) info = hs_bt_run_info_copy (request_info);
      const HsBtResult *r = t->result;
      int64_t id = 0;

      g_free (info->batch_id);
      info->batch_id = g_strdup (batch);
      hs_sweep_info_set_params (info, t->params);
      g_clear_pointer (&info->cache_key, g_free);
      g_free (info->status);
      info->status = g_strdup (t->result != NULL ? "completed" : "failed");
      g_free (info->error_message);
      info->error_message = g_strdup (t->error_message);
      info->started_at = t->started_at;
      info->finished_at = t->finished_at;
      info->execution_time_ms = t->execution_time_us / 1000;
      if (t == best && result->best_result != NULL)
        {
          r = result->best_result;
          /* The key of a `backtest` of these parameters: the same function over the same
           * request and data key (hs_backtest_data_load()). */
          if (info->data_key != NULL)
            {
              g_autofree char *key = hs_cache_key_compute (info);
              int64_t cached = 0;

              if (!hs_store_find_cached_backtest (store, key, &cached, error))
                goto fail;
              if (cached == 0)
                info->cache_key = g_steal_pointer (&key);
            }
        }
      if (!hs_store_save_backtest (store, info, r, &id, error))
        goto fail;
      if (run_ids != NULL)
        run_ids[i] = id;
    }
  if (!hs_store_commit (store, error))
    goto fail;
  if (batch_id != NULL)
    *batch_id = g_steal_pointer (&batch);
  return TRUE;

fail:
  hs_store_rollback (store);
  return FALSE;
}

/* ---- walk-forward ---- */

/**
 * hs_walk_span_parse:
 * @text: a number of bars ("500"), or a duration: a number and s, m (minutes), h, d or w
 *   ("90d")
 *
 * Returns: %FALSE with %HS_SWEEP_ERROR_WINDOWS when @text is neither
 */
gboolean
hs_walk_span_parse (const char *text,
                    HsWalkSpan *span,
                    GError    **error)
{
  static const struct
  {
    char    unit;
    int64_t seconds;
  } units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
  int64_t v = 0;
  size_t len = text != NULL ? strlen (text) : 0;

  memset (span, 0, sizeof *span);
  if (len > 0 && hs_parse_int64 (text, &v) && v > 0)
    {
      span->bars = v;
      return TRUE;
    }
  if (len > 1)
    {
      g_autofree char *number = g_strndup (text, len - 1);

      for (size_t i = 0; i < G_N_ELEMENTS (units); i++)
        if (text[len - 1] == units[i].unit && hs_parse_int64 (number, &v) && v > 0
            && v < G_MAXINT64 / G_USEC_PER_SEC / units[i].seconds)
          {
            span->duration = v * units[i].seconds * G_USEC_PER_SEC;
            return TRUE;
          }
    }
  g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS,
               "“%s” is neither a number of bars (500) nor a duration (90d, 12h, 30m, 2w)",
               text != NULL ? text : "");
  return FALSE;
}

/* The first bar starting at or after @ts. */
static size_t
lower_bound (const HsBars *bars,
             int64_t       ts)
{
  size_t lo = 0, hi = bars->n;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (bars->ts[mid] < ts)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * hs_walk_windows:
 * @train: the in-sample span
 * @test: the out-of-sample span, and the step from one window to the next
 *
 * Rolling windows over @bars: window k has its in-sample part from bar k × test (or time
 * first + k × test) over @train, and its out-of-sample part over the @test that follows; the
 * last one may be shorter. The out-of-sample parts tile the bars after the first in-sample
 * span. Spans are both bars or both durations; with durations a window whose out-of-sample
 * part holds no bar (a gap in the data) is left out.
 *
 * Returns: (transfer full) (element-type HsWalkWindow): the windows (choices unset), or %NULL
 *   with %HS_SWEEP_ERROR_WINDOWS
 */
GArray *
hs_walk_windows (const HsBars     *bars,
                 const HsWalkSpan *train,
                 const HsWalkSpan *test,
                 GError          **error)
{
  g_autoptr(GArray) windows = g_array_new (FALSE, TRUE, sizeof (HsWalkWindow));
  size_t n = bars->n;

  if ((train->bars > 0) != (test->bars > 0))
    {
      g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS,
                   "--train and --test must both be bars or both durations");
      return NULL;
    }
  if (train->bars > 0)
    {
      if (train->bars < 2)
        {
          g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS,
                       "the in-sample span needs at least 2 bars");
          return NULL;
        }
      for (size_t start = 0; start + (size_t) train->bars < n; start += (size_t) test->bars)
        {
          HsWalkWindow w = { 0 };

          w.train_start = start;
          w.test_start = start + (size_t) train->bars;
          w.test_end = MIN (w.test_start + (size_t) test->bars, n);
          g_array_append_val (windows, w);
        }
    }
  else if (n > 0)
    {
      for (int64_t k = 0;; k++)
        {
          int64_t a = bars->ts[0] + k * test->duration;
          HsWalkWindow w = { 0 };

          if (a > bars->ts[n - 1])
            break;
          w.train_start = lower_bound (bars, a);
          w.test_start = lower_bound (bars, a + train->duration);
          w.test_end = lower_bound (bars, a + train->duration + test->duration);
          if (w.test_start >= n)
            break;
          if (w.test_end == w.test_start)
            continue;
          if (w.test_start - w.train_start < 2)
            {
              g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS,
                           "window %u has fewer than 2 in-sample bars: a longer --train, or "
                           "data without such gaps", windows->len + 1);
              return NULL;
            }
          g_array_append_val (windows, w);
        }
    }
  if (windows->len == 0)
    {
      g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS,
                   "the in-sample span leaves no out-of-sample bars among the %zu bars", n);
      return NULL;
    }
  return g_steal_pointer (&windows);
}

void
hs_walk_result_free (HsWalkResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->windows, g_array_unref);
  g_clear_pointer (&result->result, hs_bt_result_free);
  g_free (result->rank);
  g_free (result);
}

/* The inputs restricted to bars [start, start + n): a copy of the bars, the other columns by
 * offset. */
typedef struct
{
  HsBars          *bars;   /* (owned) */
  HsStrategyInput  sin;
  HsBtInput        in;
} Slice;

static void
slice_clear (Slice *s)
{
  g_clear_pointer (&s->bars, hs_bars_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Slice, slice_clear)

static void
slice_init (Slice                *s,
            const HsSweepRequest *req,
            size_t                start,
            size_t                n)
{
  const HsStrategyInput *sin = req->strategy_input;
  const HsBtInput *in = req->input;

  s->bars = hs_bars_slice (in->bars, start, n);
  s->sin = *sin;
  s->sin.bars = s->bars;
  s->sin.cvd = sin->cvd ? sin->cvd + start : NULL;
  s->sin.book_imbalance = sin->book_imbalance ? sin->book_imbalance + start : NULL;
  s->in = *in;
  s->in.bars = s->bars;
  s->in.benchmark = in->benchmark ? in->benchmark + start : NULL;
  s->in.bid = in->bid ? in->bid + start : NULL;
  s->in.ask = in->ask ? in->ask + start : NULL;
  s->in.snapshot_id = in->snapshot_id ? in->snapshot_id + start : NULL;
  s->in.lean = NULL;
}

typedef struct
{
  const HsSweepRequest *req;
  guint                 window, n_windows;
} WalkProgress;

static void
walk_progress_cb (double      fraction,
                  const char *message,
                  gpointer    data)
{
  const WalkProgress *p = data;
  char msg[128];

  g_snprintf (msg, sizeof msg, "window %u of %u: %s", p->window + 1, p->n_windows, message);
  p->req->progress ((p->window + fraction) / p->n_windows, msg, p->req->progress_data);
}

/* The statistics of the stitched curve, as the engine computes a run's in the default
 * profile: an equity point per bar at its close, the benchmark's closes, the traded value
 * after each fill (rebuilt from the trades) and the closed trades. */
static void
stitched_statistics (HsBtResult           *res,
                     const HsSweepRequest *req)
{
  g_autofree HsPoint *points = g_new (HsPoint, MAX (res->n, 1));
  g_autofree HsPoint *bench = NULL;
  g_autofree HsClosedTrade *closed = g_new (HsClosedTrade, res->trades->len + 1);
  g_autoptr(GArray) traded = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  g_autoptr(GError) error = NULL;
  HsStatsInput in;
  double fees = 0, sum = 0;
  size_t nb = 0;

  default_stats_input (res, req->input->bars->interval_s, req->config, req->input->risk_free,
                       points, &in);
  if (res->benchmark != NULL)
    {
      bench = g_new (HsPoint, MAX (res->n, 1));
      for (size_t i = 0; i < res->n; i++)
        if (isfinite (res->benchmark[i]) && res->benchmark[i] > 0)
          {
            bench[nb].ts = points[i].ts;
            bench[nb++].value = res->benchmark[i];
          }
      in.benchmark = nb > 0 ? bench : NULL;
      in.n_benchmark = nb;
    }
  for (guint i = 0; i < res->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (res->trades, HsBtTrade, i);
      HsPoint fill[2] = { { t->entry_ts, fabs (t->quantity * t->entry_price) },
                          { t->exit_ts, fabs (t->quantity * t->exit_price) } };

      fees += t->fees;
      closed[i].entry_ts = t->entry_ts;
      closed[i].exit_ts = t->exit_ts;
      closed[i].pnl = t->pnl;
      closed[i].fees = t->fees;
      /* A position closed at the end of a segment was not sold: no fill. */
      for (int k = 0; k < (t->exit_reason == HS_EXIT_END_OF_DATA ? 1 : 2); k++)
        {
          sum += fill[k].value;
          fill[k].value = sum;
          if (traded->len > 0 && g_array_index (traded, HsPoint, traded->len - 1).ts == fill[k].ts)
            g_array_index (traded, HsPoint, traded->len - 1).value = sum;
          else
            g_array_append_val (traded, fill[k]);
        }
    }
  in.traded = traded->len > 0 ? (const HsPoint *) (const void *) traded->data : NULL;
  in.n_traded = traded->len;
  in.trades = closed;
  in.n_trades = res->trades->len;
  in.total_orders = res->total_orders;
  in.total_fees = fees;
  in.lowest_capacity_asset = req->input->symbol;
  hs_statistics_clear (&res->stats);
  if (!hs_statistics_compute (&in, &res->stats, &error))
    {
      g_debug ("walk-forward statistics: %s", error->message);
      hs_statistics_init_undefined (&res->stats);
      res->stats.start_equity = req->config->initial_cash;
      res->stats.end_equity = res->stats.final_value = res->n ? res->equity[res->n - 1] : NAN;
      res->stats.total_trades = res->trades->len;
      res->stats.total_orders = res->total_orders;
      res->stats.total_fees = fees;
    }
}

/* Runs @params over [w->train_start, w->test_end) with decisions only from w->test_start on,
 * starting with @cash; appends the out-of-sample part to @res at @at. */
static gboolean
run_out_of_sample (const HsSweepRequest   *req,
                   const HsStrategyParams *params,
                   HsWalkWindow           *w,
                   double                  cash,
                   HsBtResult             *res,
                   size_t                  at,
                   GError                **error)
{
  g_auto(Slice) s = { 0 };
  g_autoptr(HsBtSignals) signals = NULL;
  g_autoptr(HsBtResult) r = NULL;
  HsBtConfig config = *req->config;
  size_t warm = w->test_start - w->train_start, m = w->test_end - w->test_start;

  slice_init (&s, req, w->train_start, w->test_end - w->train_start);
  signals = hs_strategy_run (params, &s.sin, error);
  if (signals == NULL)
    return FALSE;
  if (signals->decide != NULL)
    {
      g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_SPEC,
                   "walk-forward needs decisions as a signal column");
      return FALSE;
    }
  /* The in-sample bars only warm the indicators up: no decision there. */
  if (signals->signal != NULL)
    memset (signals->signal, 0, warm * sizeof *signals->signal);
  config.initial_cash = cash;
  config.skip_statistics = TRUE;
  r = hs_backtest_run (&s.in, signals, &config, error);
  if (r == NULL)
    return FALSE;
  g_assert (r->n == warm + m);
  memcpy (res->ts + at, r->ts + warm, m * sizeof *res->ts);
  memcpy (res->equity + at, r->equity + warm, m * sizeof *res->equity);
  memcpy (res->cash + at, r->cash + warm, m * sizeof *res->cash);
  memcpy (res->holdings + at, r->holdings + warm, m * sizeof *res->holdings);
  if (res->benchmark != NULL)
    memcpy (res->benchmark + at, req->input->benchmark + w->test_start,
            m * sizeof *res->benchmark);
  for (guint i = 0; i < r->trades->len; i++)
    {
      HsBtTrade t = g_array_index (r->trades, HsBtTrade, i);

      t.signal_json = g_strdup (t.signal_json);
      g_array_append_val (res->trades, t);
    }
  res->total_orders += MAX (r->total_orders, 0);
  w->start_equity = cash;
  w->end_equity = r->equity[r->n - 1];
  w->n_trades = r->trades->len;
  return TRUE;
}

/**
 * hs_walkforward_run:
 * @request: as for hs_sweep_run(); its rank chooses each window's parameters. The default
 *   profile only (the stitched curve's statistics are the default profile's).
 * @grid: the candidate parameters
 * @train: the in-sample span
 * @test: the out-of-sample span (and the step)
 *
 * For each window of hs_walk_windows(): a sweep of @grid over the in-sample bars chooses the
 * best parameters by the rank statistic; they then run over the in-sample and out-of-sample
 * bars with every decision before the out-of-sample start dropped (the indicators warm up on
 * the in-sample bars, trades happen out of sample only), starting with the previous segment's
 * end equity as cash (the first with the configured cash). A position still open at a
 * segment's end is closed at its last close (end_of_data). The segments are stitched into one
 * run: equity, cash, holdings and benchmark per out-of-sample bar, the drawdown over the whole,
 * every trade, and the statistics of that curve.
 *
 * Returns: (transfer full): the windows and the stitched run, or %NULL with an
 *   %HS_SWEEP_ERROR, a strategy or engine error (prefixed with its window) or
 *   %G_IO_ERROR_CANCELLED
 */
HsWalkResult *
hs_walkforward_run (const HsSweepRequest *request,
                    const HsSweepGrid    *grid,
                    const HsWalkSpan     *train,
                    const HsWalkSpan     *test,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autoptr(HsWalkResult) res = NULL;
  const HsBars *bars;
  const char *column = NULL;
  gboolean lower = FALSE;
  size_t first, total, at = 0;
  double cash, peak;
  int64_t t0 = g_get_monotonic_time ();

  g_return_val_if_fail (request != NULL && grid != NULL && train != NULL && test != NULL, NULL);
  g_return_val_if_fail (request->input != NULL && request->input->bars != NULL, NULL);

  bars = request->input->bars;
  if (request->config->profile != HS_STATS_PROFILE_DEFAULT)
    {
      g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS,
                   "walk-forward uses the default profile (its stitched statistics are the "
                   "default profile's)");
      return NULL;
    }
  if (!hs_sweep_rank_lookup (request->rank, &column, &lower, error))
    return NULL;
  res = g_new0 (HsWalkResult, 1);
  res->grid = grid;
  res->rank = g_strdup (column);
  res->windows = hs_walk_windows (bars, train, test, error);
  if (res->windows == NULL)
    return NULL;
  first = g_array_index (res->windows, HsWalkWindow, 0).test_start;
  total = g_array_index (res->windows, HsWalkWindow, res->windows->len - 1).test_end - first;
  res->result = hs_bt_result_new_empty (total);
  res->result->total_orders = 0;
  if (request->input->benchmark != NULL)
    res->result->benchmark = g_new (double, MAX (total, 1));

  cash = request->config->initial_cash;
  for (guint k = 0; k < res->windows->len; k++)
    {
      HsWalkWindow *w = &g_array_index (res->windows, HsWalkWindow, k);
      g_autoptr(HsSweepResult) sweep = NULL;
      g_auto(Slice) s = { 0 };
      HsSweepRequest sub = *request;
      WalkProgress progress = { request, k, res->windows->len };
      guint choice;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!(cash > 0))
        {
          g_set_error (error, HS_SWEEP_ERROR, HS_SWEEP_ERROR_WINDOWS,
                       "the account was wiped out by window %u: nothing left to trade", k);
          return NULL;
        }
      g_assert (w->test_start - first == at);
      slice_init (&s, request, w->train_start, w->test_start - w->train_start);
      sub.strategy_input = &s.sin;
      sub.input = &s.in;
      sub.keep_best = FALSE;
      sub.progress = request->progress != NULL ? walk_progress_cb : NULL;
      sub.progress_data = &progress;
      sweep = hs_sweep_run (&sub, grid, cancellable, error);
      if (sweep == NULL)
        {
          g_prefix_error (error, "window %u: ", k + 1);
          return NULL;
        }
      choice = g_array_index (sweep->ranking, guint, 0);
      w->choice = choice;
      w->in_sample_value = g_array_index (sweep->trials, HsSweepTrial, choice).rank_value;
      if (!run_out_of_sample (request, grid->combos->pdata[choice], w, cash, res->result, at,
                              error))
        {
          g_prefix_error (error, "window %u: ", k + 1);
          return NULL;
        }
      cash = w->end_equity;
      at += w->test_end - w->test_start;
    }
  g_assert (at == total);

  /* The drawdown of the whole curve, from the initial cash as the engine's. */
  peak = request->config->initial_cash;
  for (size_t i = 0; i < total; i++)
    {
      double e = res->result->equity[i];

      if (e > peak)
        peak = e;
      res->result->drawdown[i] = peak > 0 ? 1 - e / peak : 0;
    }
  stitched_statistics (res->result, request);
  res->seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  return g_steal_pointer (&res);
}

static void
json_string (GString    *out,
             const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((unsigned char) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (unsigned char) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
json_number (GString *out,
             double   v)
{
  char buf[32];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  hs_format_double_computed (v, buf);
  g_string_append (out, buf);
}

static void
json_time (GString *out,
           int64_t  us)
{
  char buf[40];

  hs_time_format_iso_buf (us, buf);
  json_string (out, buf);
}

/**
 * hs_walk_windows_to_json:
 * @bars: the bars the walk-forward ran over
 *
 * Returns: (transfer full): the windows as a JSON array: `{"window", "train_start",
 *   "test_start", "test_end" (the end of the last out-of-sample bar), "params" (the chosen
 *   parameters), "in_sample" (their rank statistic in sample), "start_equity", "end_equity",
 *   "trades"}`
 */
char *
hs_walk_windows_to_json (const HsWalkResult *result,
                         const HsBars       *bars)
{
  GString *out = g_string_new ("[");

  for (guint k = 0; k < result->windows->len; k++)
    {
      const HsWalkWindow *w = &g_array_index (result->windows, HsWalkWindow, k);
      g_autofree char *params = hs_strategy_params_to_json (result->grid->combos->pdata[w->choice]);

      g_string_append_printf (out, "%s{\"window\":%u,\"train_start\":", k ? "," : "", k + 1);
      json_time (out, bars->ts[w->train_start]);
      g_string_append (out, ",\"test_start\":");
      json_time (out, bars->ts[w->test_start]);
      g_string_append (out, ",\"test_end\":");
      json_time (out, bars->ts[w->test_end - 1] + bars->interval_s * G_USEC_PER_SEC);
      g_string_append_printf (out, ",\"params\":%s,\"in_sample\":", params);
      json_number (out, w->in_sample_value);
      g_string_append (out, ",\"start_equity\":");
      json_number (out, w->start_equity);
      g_string_append (out, ",\"end_equity\":");
      json_number (out, w->end_equity);
      g_string_append_printf (out, ",\"trades\":%u}", w->n_trades);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* The grid as a JSON object: each parameter given and its values. */
static char *
grid_to_json (const HsSweepGrid *grid)
{
  GString *out = g_string_new ("{");

  for (guint a = 0; a < grid->axes->len; a++)
    {
      const HsSweepAxis *axis = grid->axes->pdata[a];
      const HsParamSpec *spec = hs_strategy_find_param (grid->strategy, axis->name);
      gboolean number = spec->type == HS_PARAM_INT || spec->type == HS_PARAM_DOUBLE;

      if (a > 0)
        g_string_append_c (out, ',');
      json_string (out, axis->name);
      g_string_append (out, ":[");
      for (guint i = 0; i < axis->values->len; i++)
        {
          const char *v = axis->values->pdata[i];
          double x;

          if (i > 0)
            g_string_append_c (out, ',');
          if (number && parse_number (v, &x))
            json_number (out, x);
          else
            json_string (out, v);
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * hs_walkforward_store:
 * @request_info: as for hs_sweep_store()
 * @train: (nullable): the in-sample span as given, for the record
 * @test: (nullable): the out-of-sample span as given
 * @bars: the bars the walk-forward ran over
 * @id: (out): the new backtest_runs.id
 *
 * Stores the stitched run as one backtest run of the strategy over the out-of-sample period,
 * with its equity curve and trades. Its parameters record the walk-forward: `walkforward`
 * true, `train`, `test`, `rank`, `grid` (each parameter given and its values) and `windows`
 * (hs_walk_windows_to_json(): the parameters chosen in each window). It has no cache key.
 */
gboolean
hs_walkforward_store (HsStore            *store,
                      const HsBtRunInfo  *request_info,
                      const HsWalkResult *result,
                      const char         *train,
                      const char         *test,
                      const HsBars       *bars,
                      int64_t            *id,
                      GError            **error)
{
  g_autoptr(HsBtRunInfo) info = hs_bt_run_info_copy (request_info);
  g_autofree char *windows = hs_walk_windows_to_json (result, bars);
  g_autofree char *grid = grid_to_json (result->grid);
  const HsWalkWindow *w0 = &g_array_index (result->windows, HsWalkWindow, 0);
  const HsWalkWindow *wn = &g_array_index (result->windows, HsWalkWindow,
                                           result->windows->len - 1);

  g_return_val_if_fail (store != NULL && request_info != NULL && result != NULL, FALSE);

  g_free (info->strategy_name);
  info->strategy_name = g_strdup (result->grid->strategy->name);
  g_free (info->strategy_version);
  info->strategy_version = g_strdup (result->grid->strategy->version);
  hs_bt_run_info_set_bool (info, "walkforward", TRUE);
  if (train != NULL)
    hs_bt_run_info_set_string (info, "train", train);
  if (test != NULL)
    hs_bt_run_info_set_string (info, "test", test);
  hs_bt_run_info_set_string (info, "rank", result->rank);
  hs_bt_run_info_set_json (info, "grid", grid);
  hs_bt_run_info_set_json (info, "windows", windows);
  info->start_ts = bars->ts[w0->test_start];
  info->end_ts = bars->ts[wn->test_end - 1] + MAX (bars->interval_s * G_USEC_PER_SEC, 1);
  g_clear_pointer (&info->cache_key, g_free);
  g_free (info->status);
  info->status = g_strdup ("completed");
  info->execution_time_ms = (int64_t) (result->seconds * 1000);
  info->finished_at = hs_time_now_us ();
  info->started_at = info->finished_at - (int64_t) (result->seconds * G_USEC_PER_SEC);
  return hs_store_save_backtest (store, info, result->result, id, error);
}
