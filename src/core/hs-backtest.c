/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest engine: one pass over the bars as columns, a single instrument, one position at
 * a time (long or short), market, limit and stop entries, stop-loss / take-profit brackets (one
 * cancels the other) and a time stop, four sizing models, three fee models and two slippage
 * models. A decision taken at a bar's close acts at the next bar's open; when a bar touches both
 * the stop and the target, the stop is assumed to come first. The rules, with their reasons, are
 * in docs/backtester.md; tests/test-backtest.c checks each against hand calculations.
 *
 * Expected load: up to tens of millions of bars per run, many runs per parameter sweep. The loop
 * allocates nothing per bar (a closed trade appends one record to a GArray); the per-bar outputs
 * are allocated once before it. A strategy's decisions arrive precomputed as a signal column, or
 * bar by bar through a callback when they depend on the position (rule sets). The lean profile
 * (LEAN's time steps, quote fills, SetHoldings sizing, equity chart and capacity estimate) is a
 * few branches on the same loop.
 */
#define G_LOG_DOMAIN "hs-backtest"

#include "config.h"

#include "hs-backtest.h"

#include "hs-bt-run.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (hs-backtest-error-quark, hs_backtest_error)

/* ---- configuration ---- */

/**
 * hs_bt_config_init:
 *
 * The defaults: 100,000 of cash, no fees, no slippage, 100 % of equity per trade in whole
 * units, market entries, no brackets, the default statistics profile.
 */
void
hs_bt_config_init (HsBtConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->initial_cash = 100000;
  config->fees.kind = HS_FEE_NONE;
  config->slippage.kind = HS_SLIPPAGE_NONE;
  config->sizing.kind = HS_SIZE_PERCENT;
  config->sizing.value = 100;
  config->entry_order = HS_ORDER_MARKET;
  config->profile = HS_STATS_PROFILE_DEFAULT;
}

/* Interactive Brokers' fixed pricing for US equities: USD 0.005 a share, at least USD 1.00 an
 * order, at most 0.5 % of the order's value. */
void
hs_fee_model_ibkr (HsFeeModel *fees)
{
  g_return_if_fail (fees != NULL);

  memset (fees, 0, sizeof *fees);
  fees->kind = HS_FEE_PER_SHARE;
  fees->per_share = 0.005;
  fees->minimum = 1.00;
  fees->maximum_pct = 0.005;
}

/**
 * hs_fee_model_compute:
 * @quantity: units of the order (the sign is ignored)
 * @price: its fill price
 *
 * Returns: the fee of one order, ≥ 0
 */
double
hs_fee_model_compute (const HsFeeModel *fees,
                      double            quantity,
                      double            price)
{
  double q = fabs (quantity), value = q * fabs (price), fee;

  switch (fees->kind)
    {
    case HS_FEE_PER_SHARE:
      fee = fees->per_share * q;
      if (fee < fees->minimum)
        fee = fees->minimum;
      /* The cap wins over the minimum: IB never charges more than 0.5 % of a small order. */
      if (fees->maximum_pct > 0 && fee > fees->maximum_pct * value)
        fee = fees->maximum_pct * value;
      return fee;
    case HS_FEE_PER_ORDER:
      return fees->per_order;
    case HS_FEE_BPS:
      return fees->bps / 10000.0 * value;
    case HS_FEE_NONE:
    default:
      return 0;
    }
}

static gboolean
bad_config (GError    **error,
            const char *what)
{
  g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG, "%s", what);
  return FALSE;
}

static gboolean
nonneg (double v)
{
  return isfinite (v) && v >= 0;
}

/**
 * hs_bt_config_check:
 *
 * Returns: %TRUE when every value of @config is in range, else %FALSE with an
 *   %HS_BACKTEST_ERROR_CONFIG naming the value
 */
gboolean
hs_bt_config_check (const HsBtConfig *config,
                    GError          **error)
{
  const HsFeeModel *f = &config->fees;

  if (!(isfinite (config->initial_cash) && config->initial_cash > 0))
    return bad_config (error, "the initial cash must be a positive number");
  if (!nonneg (f->per_share) || !nonneg (f->minimum) || !nonneg (f->maximum_pct)
      || !nonneg (f->per_order) || !nonneg (f->bps))
    return bad_config (error, "fee parameters must be numbers ≥ 0");
  if ((int) f->kind < HS_FEE_NONE || f->kind > HS_FEE_BPS)
    return bad_config (error, "unknown fee model");
  if (!nonneg (config->slippage.bps) || (int) config->slippage.kind < HS_SLIPPAGE_NONE
      || config->slippage.kind > HS_SLIPPAGE_HALF_SPREAD)
    return bad_config (error, "slippage must be a number of basis points ≥ 0");
  if (!(isfinite (config->sizing.value) && config->sizing.value > 0))
    return bad_config (error, "the position size must be a positive number");
  switch (config->sizing.kind)
    {
    case HS_SIZE_FIXED_QTY:
    case HS_SIZE_FIXED_CASH:
      break;
    case HS_SIZE_PERCENT:
      if (config->sizing.value > 1000)
        return bad_config (error, "percent of equity must be at most 1000 (10× leverage)");
      break;
    case HS_SIZE_RISK:
      if (config->sizing.value > 100)
        return bad_config (error, "risk per trade must be at most 100 % of equity");
      break;
    default:
      return bad_config (error, "unknown sizing model");
    }
  if (!(isnan (config->stop_loss_pct) || (config->stop_loss_pct >= 0
                                          && config->stop_loss_pct < 100)))
    return bad_config (error, "the stop loss must be a percentage from 0 to below 100");
  if (!(isnan (config->take_profit_pct) || nonneg (config->take_profit_pct)))
    return bad_config (error, "the take profit must be a percentage ≥ 0");
  if (config->time_stop_bars < 0)
    return bad_config (error, "the time stop must be a number of bars ≥ 0");
  if ((int) config->entry_order < HS_ORDER_MARKET || config->entry_order > HS_ORDER_STOP)
    return bad_config (error, "unknown order type");
  if (!(nonneg (config->entry_offset_pct) && config->entry_offset_pct < 100))
    return bad_config (error, "the entry offset must be a percentage from 0 to below 100");
  if (config->order_valid_bars < 0)
    return bad_config (error, "order validity must be a number of bars ≥ 0");
  if ((int) config->profile < HS_STATS_PROFILE_DEFAULT || config->profile > HS_STATS_PROFILE_LEAN)
    return bad_config (error, "unknown statistics profile");
  return TRUE;
}

/* ---- signals ---- */

/* Returns: (transfer full): decisions for @n bars, all HS_SIGNAL_NONE, no optional columns. */
HsBtSignals *
hs_bt_signals_new (size_t n)
{
  HsBtSignals *s = g_new0 (HsBtSignals, 1);

  s->n = n;
  s->signal = g_new0 (uint8_t, n ? n : 1);
  s->pivot_highs_detected = s->pivot_lows_detected = s->bos_signals_generated = -1;
  return s;
}

void
hs_bt_signals_free (HsBtSignals *signals)
{
  if (signals == NULL)
    return;
  if (signals->decide_free != NULL)
    signals->decide_free (signals->decide_data);
  g_free (signals->signal);
  g_free (signals->order_price);
  g_free (signals->stop_price);
  g_free (signals->target_price);
  if (signals->notes != NULL)
    {
      for (guint i = 0; i < signals->notes->len; i++)
        g_free (g_array_index (signals->notes, HsBtNote, i).json);
      g_array_unref (signals->notes);
    }
  g_free (signals->entry_note);
  g_free (signals->exit_note);
  g_free (signals);
}

/**
 * hs_bt_signals_add_note:
 * @bar: the bar whose decision @json describes; notes are added in bar order, at most one a bar
 * @json: (transfer full): a JSON object
 */
void
hs_bt_signals_add_note (HsBtSignals *signals,
                        size_t       bar,
                        char        *json)
{
  HsBtNote note = { bar, json };

  g_return_if_fail (signals != NULL && json != NULL);

  if (signals->notes == NULL)
    signals->notes = g_array_new (FALSE, FALSE, sizeof (HsBtNote));
  if (signals->notes->len > 0)
    {
      HsBtNote *last = &g_array_index (signals->notes, HsBtNote, signals->notes->len - 1);

      g_return_if_fail (last->bar <= bar);
      if (last->bar == bar)
        {
          g_free (last->json);
          last->json = json;
          return;
        }
    }
  g_array_append_val (signals->notes, note);
}

/* The note of the decision at @bar, or @fallback. */
static const char *
find_note (const HsBtSignals *s,
           size_t             bar,
           const char        *fallback)
{
  size_t lo = 0, hi;

  if (s->notes == NULL || s->notes->len == 0)
    return fallback;
  hi = s->notes->len;
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      const HsBtNote *n = &g_array_index (s->notes, HsBtNote, mid);

      if (n->bar == bar)
        return n->json;
      if (n->bar < bar)
        lo = mid + 1;
      else
        hi = mid;
    }
  return fallback;
}

/* ---- the engine ---- */

typedef struct
{
  int         side;            /* 0: none */
  HsOrderType type;
  double      price;           /* limit/stop */
  double      quantity;
  double      stop, target;    /* absolute prices from the strategy, NAN: from the config */
  size_t      decided;         /* the bar whose close decided it */
  int64_t     valid_until;     /* last bar it may fill on (INT64_MAX: until replaced) */
} Entry;

typedef struct
{
  int          side;           /* 0: flat */
  double       quantity;
  double       entry_price;
  double       entry_fee;
  size_t       entry_bar;
  int64_t      entry_ts;       /* the fill's time */
  size_t       decided;
  int          at_open;        /* filled at the entry bar's open */
  double       stop, target;   /* NAN: none */
  double       hi, lo;         /* extremes seen while open, for MFE / MAE */
} Position;

typedef struct
{
  const HsBtInput   *in;
  const HsBtSignals *sig;
  const HsBtConfig  *cfg;
  double             stop_pct, target_pct;   /* the brackets in force: config, else strategy */
  int64_t            time_stop;
  HsBtResult        *res;
  double             cash;
  Position           pos;
  int64_t            orders;
  GString           *json;     /* scratch for a trade's metadata */
  GArray            *traded;   /* HsPoint: cumulative traded value after each fill */
  double             traded_sum;
  /* The lean profile (see HsBtLean). */
  int                lean;
  int                immediate;      /* intraday: decisions fill in their own time step */
  GTimeZone         *ny;             /* (owned) */
  int64_t            lean_start, lean_end, resample, next_midnight, last_chart;
  double             value, price;   /* after the latest step: portfolio, benchmark */
  GArray            *chart;          /* (owned) HsPoint: the Strategy Equity chart */
  GArray            *samples;        /* (owned) HsPoint: midnights and the last step */
  GArray            *bench;          /* (owned) HsPoint: the benchmark at each sample */
  HsCapacity        *cap;            /* (owned) */
  struct
  {
    double price, quantity;
  }                  step_fills[8];  /* this step's fills, for the capacity estimate */
  int                n_step_fills;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->ny, g_time_zone_unref);
  g_clear_pointer (&r->chart, g_array_unref);
  g_clear_pointer (&r->samples, g_array_unref);
  g_clear_pointer (&r->bench, g_array_unref);
  g_clear_pointer (&r->cap, hs_capacity_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

#define US_PER_DAY G_GINT64_CONSTANT (86400000000)

static int64_t
floor_div (int64_t a,
           int64_t b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* µs UTC of local wall-clock time @day (days since 1970-01-01) + @seconds in @tz. */
static int64_t
local_time (GTimeZone *tz,
            int64_t    day,
            int64_t    seconds)
{
  gint64 t = day * 86400 + seconds;
  int iv = g_time_zone_adjust_time (tz, G_TIME_TYPE_STANDARD, &t);

  return (t - (iv >= 0 ? g_time_zone_get_offset (tz, iv) : 0)) * G_USEC_PER_SEC;
}

/* The local date (days since 1970-01-01) of @ts in @tz. */
static int64_t
local_day (GTimeZone *tz,
           int64_t    ts)
{
  int64_t s = floor_div (ts, G_USEC_PER_SEC);
  int iv = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, s);

  return floor_div (s + (iv >= 0 ? g_time_zone_get_offset (tz, iv) : 0), 86400);
}

static gboolean
is_early_close (const HsBtLean *lean,
                int64_t         day)
{
  size_t lo = 0, hi = lean ? lean->n_early_close_days : 0;

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (lean->early_close_days[mid] == day)
        return TRUE;
      if (lean->early_close_days[mid] < day)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

/* The time bar @k is processed at: LEAN's time step. Intraday bars at their end; daily bars at
 * the session's close on their date (the UTC date of their start time). */
static int64_t
step_ts (const Run *r,
         size_t     k)
{
  const HsBars *b = r->in->bars;

  if (b->interval_s != 86400)
    return b->ts[k] + b->interval_s * G_USEC_PER_SEC;
  {
    int64_t day = floor_div (b->ts[k], US_PER_DAY);

    return local_time (r->ny, day, is_early_close (r->in->lean, day) ? 13 * 3600 : 16 * 3600);
  }
}

/* When a fill at bar @k happens: the bar's start (its open) by default, LEAN's time step in the
 * lean profile. */
static int64_t
fill_ts (const Run *r,
         size_t     k)
{
  return r->lean ? step_ts (r, k) : r->in->bars->ts[k];
}

/* A fill of @quantity at @price at bar @k: for the statistics' turnover. */
static void
record_fill (Run    *r,
             size_t  k,
             double  quantity,
             double  price)
{
  HsPoint p = { fill_ts (r, k), 0 };

  if (r->lean && r->n_step_fills < (int) G_N_ELEMENTS (r->step_fills))
    {
      r->step_fills[r->n_step_fills].price = price;
      r->step_fills[r->n_step_fills].quantity = quantity;
      r->n_step_fills++;
    }
  r->traded_sum += fabs (quantity * price);
  p.value = r->traded_sum;
  if (r->traded->len > 0
      && g_array_index (r->traded, HsPoint, r->traded->len - 1).ts == p.ts)
    g_array_index (r->traded, HsPoint, r->traded->len - 1).value = p.value;
  else
    g_array_append_val (r->traded, p);
}

/* The fill price of a market or stop order after slippage, at bar @k. */
static inline double
slipped (const Run *r,
         double     price,
         int        buy,
         size_t     k)
{
  const HsSlippageModel *m = &r->cfg->slippage;
  double d;

  switch (m->kind)
    {
    case HS_SLIPPAGE_HALF_SPREAD:
      if (r->in->bid != NULL && r->in->ask != NULL && isfinite (r->in->bid[k])
          && isfinite (r->in->ask[k]) && r->in->ask[k] >= r->in->bid[k])
        {
          d = (r->in->ask[k] - r->in->bid[k]) / 2;
          return buy ? price + d : price - d;
        }
      G_GNUC_FALLTHROUGH;
    case HS_SLIPPAGE_BPS:
      d = m->bps / 10000.0;
      return buy ? price * (1 + d) : price * (1 - d);
    case HS_SLIPPAGE_NONE:
    default:
      return price;
    }
}

static int64_t
bar_end_ts (const HsBars *b,
            size_t        k)
{
  return b->ts[k] + b->interval_s * G_USEC_PER_SEC;
}

/* Opens the position of @e at fill price @price (after slippage); @market is the market price
 * the fill came from, the first price seen for MFE / MAE. */
static void
open_position (Run         *r,
               const Entry *e,
               size_t       k,
               double       price,
               double       market,
               int          at_open)
{
  Position *p = &r->pos;
  double fee = hs_fee_model_compute (&r->cfg->fees, e->quantity, price);

  p->side = e->side;
  p->quantity = e->quantity;
  p->entry_price = price;
  p->entry_fee = fee;
  p->entry_bar = k;
  p->entry_ts = fill_ts (r, k);
  p->decided = e->decided;
  p->at_open = at_open;
  p->hi = p->lo = market;
  if (!isnan (e->stop))
    p->stop = e->stop;
  else if (r->stop_pct > 0)
    p->stop = price * (1 - e->side * r->stop_pct / 100);
  else
    p->stop = NAN;
  if (!isnan (e->target))
    p->target = e->target;
  else if (r->target_pct > 0)
    p->target = price * (1 + e->side * r->target_pct / 100);
  else
    p->target = NAN;
  r->cash -= e->side * e->quantity * price + fee;
  r->orders++;
  record_fill (r, k, e->quantity, price);
}

/* Appends a JSON value or null. */
static void
append_json_or_null (GString    *s,
                     const char *json)
{
  g_string_append (s, json != NULL ? json : "null");
}

/* Closes the position at fill price @price (@market before slippage) at bar @k. The end-of-data
 * mark pays no fee: no order is sent. */
static void
close_position (Run          *r,
                size_t        k,
                double        price,
                double        market,
                HsExitReason  reason,
                size_t        decided,
                int64_t       exit_ts,
                int64_t       bars_held)
{
  Position *p = &r->pos;
  const HsBtInput *in = r->in;
  int mark = reason == HS_EXIT_END_OF_DATA;
  double fee = mark ? 0 : hs_fee_model_compute (&r->cfg->fees, p->quantity, price);
  const char *entry_note, *exit_note = NULL;
  HsBtTrade t = { 0 };

  r->cash += p->side * p->quantity * price - fee;
  if (!mark)
    {
      r->orders++;
      record_fill (r, k, p->quantity, price);
    }
  p->hi = MAX (p->hi, market);
  p->lo = MIN (p->lo, market);

  t.entry_ts = p->entry_ts;
  t.exit_ts = exit_ts;
  t.side = p->side;
  t.quantity = p->quantity;
  t.entry_price = p->entry_price;
  t.exit_price = price;
  t.fees = p->entry_fee + fee;
  t.pnl = p->side * p->quantity * (price - p->entry_price) - t.fees;
  t.pnl_pct = t.pnl / (p->quantity * p->entry_price) * 100;
  if (p->side > 0)
    {
      t.mfe_pct = (p->hi - p->entry_price) / p->entry_price * 100;
      t.mae_pct = (p->entry_price - p->lo) / p->entry_price * 100;
    }
  else
    {
      t.mfe_pct = (p->entry_price - p->lo) / p->entry_price * 100;
      t.mae_pct = (p->hi - p->entry_price) / p->entry_price * 100;
    }
  /* Slippage can put the fill beyond every market price seen. */
  t.mfe_pct = MAX (t.mfe_pct, 0);
  t.mae_pct = MAX (t.mae_pct, 0);
  t.bars_held = bars_held;
  t.exit_reason = reason;
  if (in->snapshot_id != NULL)
    {
      t.entry_snapshot_id = in->snapshot_id[p->entry_bar];
      t.exit_snapshot_id = in->snapshot_id[k];
    }

  entry_note = find_note (r->sig, p->decided, r->sig->entry_note);
  if (reason == HS_EXIT_SIGNAL || reason == HS_EXIT_REVERSAL)
    exit_note = find_note (r->sig, decided, r->sig->exit_note);
  if (entry_note != NULL || exit_note != NULL || in->snapshot_id != NULL)
    {
      g_string_truncate (r->json, 0);
      g_string_append (r->json, "{\"entry\":");
      append_json_or_null (r->json, entry_note);
      g_string_append (r->json, ",\"exit\":");
      append_json_or_null (r->json, exit_note);
      if (in->snapshot_id != NULL)
        g_string_append_printf (r->json, ",\"entry_snapshot_id\":%" G_GINT64_FORMAT
                                ",\"exit_snapshot_id\":%" G_GINT64_FORMAT,
                                t.entry_snapshot_id, t.exit_snapshot_id);
      g_string_append_c (r->json, '}');
      t.signal_json = g_strndup (r->json->str, r->json->len);
    }
  g_array_append_val (r->res->trades, t);
  memset (p, 0, sizeof *p);
}

/* The quantity of an entry decided at a bar's close, at reference price @ref. */
static double
entry_quantity (const Run *r,
                int        side,
                double     ref,
                double     stop,
                double     equity)
{
  const HsBtConfig *cfg = r->cfg;
  double q;

  if (!(isfinite (ref) && ref > 0))
    return 0;
  switch (cfg->sizing.kind)
    {
    case HS_SIZE_FIXED_QTY:
      q = cfg->sizing.value;
      break;
    case HS_SIZE_FIXED_CASH:
      q = cfg->sizing.value / ref;
      break;
    case HS_SIZE_PERCENT:
      if (r->lean)
        {
          /* LEAN's SetHoldings: a 0.25 % buffer of the portfolio value, and one share less
           * when the order's fee would not fit in it. */
          double target = equity * (1 - 0.0025) * cfg->sizing.value / 100;
          double fee;

          q = floor (target / ref);
          fee = hs_fee_model_compute (&cfg->fees, q, ref);
          if (q * ref > (equity - fee) * (1 - 0.0025) * cfg->sizing.value / 100)
            q = floor ((equity - fee) * (1 - 0.0025) * cfg->sizing.value / 100 / ref);
        }
      else
        q = equity * cfg->sizing.value / 100 / ref;
      break;
    case HS_SIZE_RISK:
      {
        double dist;

        if (isnan (stop))
          stop = r->stop_pct > 0 ? ref * (1 - side * r->stop_pct / 100) : NAN;
        dist = fabs (ref - stop);
        q = dist > 0 ? equity * cfg->sizing.value / 100 / dist : 0;
        break;
      }
    default:
      q = 0;
    }
  if (!cfg->fractional)
    q = floor (q + 1e-9);
  return isfinite (q) && q > 0 ? q : 0;
}

/* What the statistics need without an equity curve, when hs_statistics_compute() refuses the
 * curve (an account wiped out below zero has no returns). */
static void
basic_statistics (Run *r)
{
  HsBtResult *res = r->res;
  HsStatistics *st = &res->stats;
  double fees = 0, gross_win = 0, gross_loss = 0;
  int64_t wins = 0, losses = 0;

  hs_statistics_clear (st);
  hs_statistics_init_undefined (st);
  st->start_equity = r->cfg->initial_cash;
  st->end_equity = st->final_value = res->n ? res->equity[res->n - 1] : r->cfg->initial_cash;
  st->net_profit = st->total_return = st->end_equity / st->start_equity - 1;
  st->net_profit_currency = st->end_equity - st->start_equity;
  st->max_drawdown = 0;
  for (size_t i = 0; i < res->n; i++)
    st->max_drawdown = MAX (st->max_drawdown, res->drawdown[i]);
  for (guint i = 0; i < res->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (res->trades, HsBtTrade, i);

      fees += t->fees;
      if (t->pnl > 0)
        {
          wins++;
          gross_win += t->pnl;
        }
      else if (t->pnl < 0)
        {
          losses++;
          gross_loss -= t->pnl;
        }
    }
  st->total_orders = res->total_orders;
  st->total_trades = res->trades->len;
  st->winning_trades = wins;
  st->losing_trades = losses;
  st->win_rate = res->trades->len ? (double) wins / res->trades->len : NAN;
  st->loss_rate = res->trades->len ? (double) losses / res->trades->len : NAN;
  st->profit_factor = gross_loss > 0 ? gross_win / gross_loss : NAN;
  st->total_fees = fees;
}

/* The statistics of the run (hs-stats.h, docs/statistics.md): one equity point per bar, at the
 * bar's close; the benchmark's closes; the traded value after each fill; the closed trades. */
static void
compute_statistics (Run *r)
{
  HsBtResult *res = r->res;
  const HsBars *b = r->in->bars;
  HsStatsInput in;
  g_autofree HsPoint *equity = g_new (HsPoint, res->n ? res->n : 1);
  g_autofree HsPoint *bench = NULL;
  g_autofree HsClosedTrade *closed = g_new (HsClosedTrade, res->trades->len + 1);
  g_autoptr(GError) error = NULL;
  double fees = 0;
  size_t nb = 0, nc = 0;

  if (res->n == 0)
    {
      basic_statistics (r);
      return;
    }
  for (size_t i = 0; i < res->n; i++)
    {
      equity[i].ts = bar_end_ts (b, i);
      equity[i].value = res->equity[i];
    }
  if (res->benchmark != NULL)
    {
      bench = g_new (HsPoint, res->n);
      for (size_t i = 0; i < res->n; i++)
        if (isfinite (res->benchmark[i]) && res->benchmark[i] > 0)
          {
            bench[nb].ts = equity[i].ts;
            bench[nb++].value = res->benchmark[i];
          }
    }
  for (guint i = 0; i < res->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (res->trades, HsBtTrade, i);

      fees += t->fees;
      /* LEAN records a trade when a fill closes it: a position still open is none, and its P&L
       * is quantity × (fill − average cost) − 2 × the closing fee. */
      if (r->lean && t->exit_reason == HS_EXIT_END_OF_DATA)
        continue;
      closed[nc].entry_ts = t->entry_ts;
      closed[nc].exit_ts = t->exit_ts;
      closed[nc].pnl = t->pnl;
      closed[nc].fees = t->fees;
      if (r->lean)
        closed[nc].pnl = t->side * t->quantity * (t->exit_price - t->entry_price)
                         - 2 * hs_fee_model_compute (&r->cfg->fees, t->quantity, t->exit_price);
      nc++;
    }
  hs_stats_input_init (&in);
  in.profile = r->cfg->profile;
  in.equity = equity;
  in.n_equity = res->n;
  in.benchmark = nb > 0 ? bench : NULL;
  in.n_benchmark = nb;
  if (r->lean)
    {
      /* LEAN's Strategy Equity chart, its daily samples and the benchmark at each. */
      in.equity = (const HsPoint *) (const void *) r->chart->data;
      in.n_equity = r->chart->len;
      in.samples = (const HsPoint *) (const void *) r->samples->data;
      in.n_samples = r->samples->len;
      in.benchmark = res->benchmark ? (const HsPoint *) (const void *) r->bench->data : NULL;
      in.n_benchmark = res->benchmark ? r->bench->len : 0;
      in.capacity = hs_capacity_get_capacity (r->cap);
    }
  in.traded = r->traded->len > 0 ? (const HsPoint *) (const void *) r->traded->data : NULL;
  in.n_traded = r->traded->len;
  in.trades = closed;
  in.n_trades = nc;
  in.total_orders = res->total_orders;
  in.total_fees = fees;
  in.start_equity = r->cfg->initial_cash;
  if (r->in->risk_free != NULL)
    in.risk_free = *r->in->risk_free;
  in.lowest_capacity_asset = r->lean ? hs_capacity_get_lowest_asset (r->cap) : r->in->symbol;
  hs_statistics_clear (&res->stats);
  if (!hs_statistics_compute (&in, &res->stats, &error))
    {
      g_debug ("statistics from the trades only: %s", error->message);
      basic_statistics (r);
      if (r->in->symbol != NULL)
        res->stats.lowest_capacity_asset = g_strdup (r->in->symbol);
    }
}

static gboolean
check_input (const HsBtInput   *in,
             const HsBtSignals *sig,
             GError           **error)
{
  const HsBars *b = in->bars;

  if (b == NULL)
    {
      g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_INPUT, "no bars");
      return FALSE;
    }
  if (sig->n != b->n)
    {
      g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_INPUT,
                   "the strategy decided over %zu bars, the series has %zu", sig->n, b->n);
      return FALSE;
    }
  for (size_t i = 1; i < b->n; i++)
    if (b->ts[i] <= b->ts[i - 1])
      {
        g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_INPUT,
                     "bar %zu is not later than the bar before it", i);
        return FALSE;
      }
  return TRUE;
}

/* Fills the pending entry @e at bar @k if its price is reached; returns whether it filled. */
static int
try_fill_entry (Run         *r,
                const Entry *e,
                size_t       k,
                double       o,
                double       h,
                double       l)
{
  int buy = e->side > 0;

  switch (e->type)
    {
    case HS_ORDER_MARKET:
      open_position (r, e, k, slipped (r, o, buy, k), o, TRUE);
      return TRUE;
    case HS_ORDER_LIMIT:
      /* A limit fills at its price or better: at the open when the bar opens beyond it. */
      if (buy ? o <= e->price : o >= e->price)
        open_position (r, e, k, o, o, TRUE);
      else if (buy ? l <= e->price : h >= e->price)
        open_position (r, e, k, e->price, e->price, FALSE);
      else
        return FALSE;
      return TRUE;
    case HS_ORDER_STOP:
      /* A stop becomes a market order once touched: at the open when the bar gaps through it. */
      if (buy ? o >= e->price : o <= e->price)
        open_position (r, e, k, slipped (r, o, buy, k), o, TRUE);
      else if (buy ? h >= e->price : l <= e->price)
        open_position (r, e, k, slipped (r, e->price, buy, k), e->price, FALSE);
      else
        return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- the lean profile ---- */

/* The quote bar's close at bar @k for a buy (the ask) or a sell (the bid); the trade close where
 * there is no quote. */
static double
quote_close (const Run *r,
             size_t     k,
             int        buy)
{
  const HsBtLean *lean = r->in->lean;
  const double *q = lean == NULL ? NULL : buy ? lean->ask_close : lean->bid_close;

  if (q != NULL && isfinite (q[k]) && q[k] > 0)
    return q[k];
  return r->in->bars->close[k];
}

static void
add_point (GArray  *a,
           int64_t  ts,
           double   v)
{
  HsPoint p = { ts, v };

  /* A point is added only when later than the series' last (LEAN's chart rule). */
  if (a->len == 0 || g_array_index (a, HsPoint, a->len - 1).ts < ts)
    g_array_append_val (a, p);
}

static gboolean
lean_init (Run     *r,
           GError **error)
{
  const HsBars *b = r->in->bars;
  const HsBtLean *lean = r->in->lean;
  int64_t span;

  r->ny = g_time_zone_new_identifier ("America/New_York");
  if (r->ny == NULL)
    {
      g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_INPUT,
                   "the lean profile needs the time zone America/New_York (tzdata)");
      return FALSE;
    }
  r->lean = TRUE;
  r->immediate = b->interval_s > 0 && b->interval_s < 86400;
  r->lean_start = lean && lean->start_ts ? lean->start_ts
                  : local_time (r->ny, local_day (r->ny, step_ts (r, 0)), 0);
  r->lean_end = lean && lean->end_ts ? lean->end_ts
                : local_time (r->ny, local_day (r->ny, step_ts (r, b->n - 1)) + 1, 0) - 1;
  /* Intraday chart points every 4 minutes, or span / 4000 for runs of 16,000 minutes or more. */
  span = r->lean_end - r->lean_start;
  r->resample = span < 16000 * G_GINT64_CONSTANT (60000000) ? 4 * G_GINT64_CONSTANT (60000000)
                                                            : span / 4000;
  r->next_midnight = r->lean_start;
  r->value = r->cfg->initial_cash;
  r->price = r->in->benchmark ? r->in->benchmark[0] : NAN;
  r->chart = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  r->samples = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  r->bench = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  /* LEAN compares the algorithm's local start and end with UTC dates as they are. */
  r->cap = hs_capacity_new (local_day (r->ny, r->lean_start) * US_PER_DAY,
                            (local_day (r->ny, r->lean_end) + 1) * US_PER_DAY - 1);
  return TRUE;
}

/* LEAN's chart and capacity bookkeeping for the time step of bar @k, whose value is known. */
static void
lean_step (Run    *r,
           size_t  k,
           double  close,
           double  holdings,
           double  equity)
{
  const HsBars *b = r->in->bars;
  const char *sym = r->in->symbol ? r->in->symbol : "asset";
  int64_t t = step_ts (r, k), period;

  /* The "Daily Sampling" of every calendar midnight passed, late, with the previous value. */
  while (r->next_midnight <= t)
    {
      add_point (r->chart, r->next_midnight, r->value);
      add_point (r->samples, r->next_midnight, r->value);
      add_point (r->bench, r->next_midnight, r->price);
      r->next_midnight = local_time (r->ny, local_day (r->ny, r->next_midnight) + 1, 0);
    }
  r->value = equity;
  if (r->in->benchmark != NULL && isfinite (r->in->benchmark[k]))
    r->price = r->in->benchmark[k];
  if (b->interval_s == 86400)
    period = (int64_t) (is_early_close (r->in->lean, floor_div (b->ts[k], US_PER_DAY))
                        ? 3 * 3600 + 1800 : 6 * 3600 + 1800) * G_USEC_PER_SEC;
  else
    period = b->interval_s * G_USEC_PER_SEC;
  for (int i = 0; i < r->n_step_fills; i++)
    hs_capacity_on_fill (r->cap, sym, t, r->step_fills[i].price, r->step_fills[i].quantity);
  r->n_step_fills = 0;
  hs_capacity_on_bar (r->cap, sym, t, close, b->volume[k], period, holdings);
  hs_capacity_end_step (r->cap, t, equity, FALSE);
  /* An intraday point when strictly later than the last one plus the resample period. */
  if (r->last_chart == 0 || t > r->last_chart + r->resample)
    {
      add_point (r->chart, t, r->value);
      r->last_chart = t;
    }
}

static void
lean_finish (Run    *r,
             size_t  last)
{
  int64_t t = step_ts (r, last);

  hs_capacity_end_step (r->cap, t, r->value, TRUE);
  add_point (r->chart, t, r->value);
  add_point (r->samples, t, r->value);
  add_point (r->bench, t, r->price);
}

/**
 * hs_backtest_run:
 * @input: the bars and optional benchmark, quotes and snapshot ids
 * @signals: the strategy's decisions over the same bars
 * @config: cash, fees, slippage, sizing, brackets
 *
 * Runs the backtest (rules: docs/backtester.md). A position still open after the last bar is
 * closed at its close for the statistics, without a fee (HS_EXIT_END_OF_DATA), so that the sum
 * of the trades' P&L is the change in equity.
 *
 * Returns: (transfer full): the result with per-bar equity, cash, holdings and drawdown, the
 *   trades and the statistics; or %NULL with a %HS_BACKTEST_ERROR
 */
HsBtResult *
hs_backtest_run (const HsBtInput   *input,
                 const HsBtSignals *signals,
                 const HsBtConfig  *config,
                 GError           **error)
{
  g_autoptr(HsBtResult) res = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GArray) traded = g_array_new (FALSE, FALSE, sizeof (HsPoint));
  const HsBars *b;
  const uint8_t *sig_col;
  g_auto(Run) r = { 0 };
  Entry entry = { 0 };
  int exit_pending = 0;
  HsExitReason exit_reason = HS_EXIT_SIGNAL;
  size_t exit_decided = 0, n;
  double peak, last_close = NAN;

  g_return_val_if_fail (input != NULL && signals != NULL && config != NULL, NULL);

  if (!hs_bt_config_check (config, error) || !check_input (input, signals, error))
    return NULL;
  r.stop_pct = config->stop_loss_pct > 0 ? config->stop_loss_pct : signals->stop_loss_pct;
  r.target_pct = config->take_profit_pct > 0 ? config->take_profit_pct
                                              : signals->take_profit_pct;
  r.time_stop = config->time_stop_bars > 0 ? config->time_stop_bars : signals->time_stop_bars;
  if (!(isnan (r.stop_pct) || (r.stop_pct >= 0 && r.stop_pct < 100))
      || !(isnan (r.target_pct) || r.target_pct >= 0) || r.time_stop < 0)
    {
      g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
                   "the strategy's stop loss, take profit or time stop is out of range");
      return NULL;
    }
  if (config->sizing.kind == HS_SIZE_RISK && !(r.stop_pct > 0) && signals->stop_price == NULL)
    {
      g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
                   "risk sizing needs a stop loss: set one, or use another sizing");
      return NULL;
    }

  b = input->bars;
  n = b->n;
  res = hs_bt_result_new_empty (n);
  if (n > 0)
    memcpy (res->ts, b->ts, n * sizeof (int64_t));
  if (input->benchmark != NULL)
    {
      res->benchmark = g_new (double, n ? n : 1);
      if (n > 0)
        memcpy (res->benchmark, input->benchmark, n * sizeof (double));
    }
  json = g_string_new (NULL);
  r.in = input;
  r.sig = signals;
  r.cfg = config;
  r.res = res;
  r.cash = config->initial_cash;
  r.json = json;
  r.traded = traded;
  peak = config->initial_cash;
  sig_col = signals->signal;
  if (config->profile == HS_STATS_PROFILE_LEAN && n > 0 && !lean_init (&r, error))
    return NULL;

  for (size_t k = 0; k < n; k++)
    {
      const double o = b->open[k], h = b->high[k], l = b->low[k];
      Position *p = &r.pos;
      int entered_intrabar = FALSE;
      double c = b->close[k], equity, holdings;

      if (isfinite (c))
        last_close = c;
      c = last_close;

      /* 1. Orders decided at the previous close act at this open. A bar without a price (a gap
       * in the data) leaves them waiting. */
      if (isfinite (o) && isfinite (h) && isfinite (l))
        {
          if (exit_pending && p->side != 0)
            close_position (&r, k, slipped (&r, o, p->side < 0, k), o, exit_reason, exit_decided,
                            fill_ts (&r, k), (int64_t) (k - p->entry_bar));
          exit_pending = 0;
          if (entry.side != 0 && p->side == 0)
            {
              if ((int64_t) k > entry.valid_until)
                {
                  /* Expired unfilled: it was sent, so it counts as an order. */
                  r.orders++;
                  entry.side = 0;
                }
              else if (try_fill_entry (&r, &entry, k, o, h, l))
                {
                  entered_intrabar = !p->at_open;
                  entry.side = 0;
                }
            }

          /* 2. Brackets. At the open a gap through the stop (or the target) fills there. Within
           * the bar the stop is assumed to come first when both are touched. On a bar whose
           * entry filled after the open, the target is not checked: the bar's high (for a long)
           * may have come before the entry. */
          if (p->side != 0)
            {
              int s = p->side;
              double stop = p->stop, target = p->target;
              HsExitReason why = HS_EXIT_STOP_LOSS;
              double px = NAN, market = NAN;
              int64_t held = (int64_t) (k - p->entry_bar) + 1;

              if (!entered_intrabar && !isnan (stop) && (s > 0 ? o <= stop : o >= stop))
                market = o;
              else if (!entered_intrabar && !isnan (target) && (s > 0 ? o >= target : o <= target))
                {
                  market = o;
                  why = HS_EXIT_TAKE_PROFIT;
                }
              else if (!isnan (stop) && (s > 0 ? l <= stop : h >= stop))
                market = stop;
              else if (!entered_intrabar && !isnan (target) && (s > 0 ? h >= target : l <= target))
                {
                  market = target;
                  why = HS_EXIT_TAKE_PROFIT;
                }
              /* The stop becomes a market order (slippage); the target is a limit (none). */
              if (!isnan (market))
                {
                  px = why == HS_EXIT_STOP_LOSS ? slipped (&r, market, s < 0, k) : market;
                  close_position (&r, k, px, market, why, k, fill_ts (&r, k), held);
                }
            }
        }

      /* 3. The close: the position lived through the bar, so its range counts for MFE / MAE
       * (only the close when it was entered within the bar: its extremes may predate the
       * entry). */
      if (p->side != 0)
        {
          if (entered_intrabar)
            {
              p->hi = MAX (p->hi, c);
              p->lo = MIN (p->lo, c);
            }
          else if (isfinite (h) && isfinite (l))
            {
              p->hi = MAX (p->hi, h);
              p->lo = MIN (p->lo, l);
            }
        }
      holdings = p->side != 0 ? p->side * p->quantity * c : 0;
      equity = r.cash + holdings;
      res->cash[k] = r.cash;
      res->holdings[k] = holdings;
      res->equity[k] = equity;
      if (equity > peak)
        peak = equity;
      res->drawdown[k] = peak > 0 ? 1 - equity / peak : 0;

      /* 4. Decisions at the close, acted on at the next open (in the lean profile on intraday
       * bars, at once). */
      if (k + 1 < n || r.immediate)
        {
          unsigned flags = sig_col != NULL ? sig_col[k] : 0;
          int want = 0;

          if (signals->decide != NULL)
            {
              HsBtState st = { 0 };

              st.side = p->side;
              st.equity = equity;
              if (p->side != 0)
                {
                  st.bars_held = (int64_t) (k - p->entry_bar) + 1;
                  st.entry_price = p->entry_price;
                  st.unrealized_pct = p->side * (c - p->entry_price) / p->entry_price * 100;
                }
              else
                st.entry_price = st.unrealized_pct = NAN;
              flags |= signals->decide (signals->decide_data, k, &st);
            }

          if ((flags & HS_SIGNAL_ENTER_LONG) && !(flags & HS_SIGNAL_ENTER_SHORT))
            want = 1;
          else if ((flags & HS_SIGNAL_ENTER_SHORT) && !(flags & HS_SIGNAL_ENTER_LONG))
            want = -1;

          if (p->side != 0)
            {
              unsigned exit_flag = p->side > 0 ? HS_SIGNAL_EXIT_LONG : HS_SIGNAL_EXIT_SHORT;

              if (want == -p->side)
                {
                  exit_pending = 1;
                  exit_reason = HS_EXIT_REVERSAL;
                  exit_decided = k;
                }
              else if (flags & exit_flag)
                {
                  exit_pending = 1;
                  exit_reason = HS_EXIT_SIGNAL;
                  exit_decided = k;
                  want = 0;
                }
              else
                {
                  want = 0;
                  if (r.time_stop > 0 && (int64_t) (k - p->entry_bar) + 1 >= r.time_stop)
                    {
                      exit_pending = 1;
                      exit_reason = HS_EXIT_TIME_STOP;
                      exit_decided = k;
                    }
                }
            }
          else if (entry.side != 0 && want == 0
                   && (flags & (entry.side > 0 ? HS_SIGNAL_EXIT_LONG : HS_SIGNAL_EXIT_SHORT)))
            {
              /* An exit while flat cancels the entry still waiting. */
              r.orders++;
              entry.side = 0;
            }

          if (want != 0)
            {
              double ref = c, order_price = NAN, q;
              HsOrderType type = config->entry_order;
              double stop = signals->stop_price ? signals->stop_price[k] : NAN;

              if (signals->order_price != NULL && !isnan (signals->order_price[k]))
                order_price = signals->order_price[k];
              else if (type == HS_ORDER_LIMIT)
                order_price = c * (1 - want * config->entry_offset_pct / 100);
              else if (type == HS_ORDER_STOP)
                order_price = c * (1 + want * config->entry_offset_pct / 100);
              if (type != HS_ORDER_MARKET)
                ref = order_price;
              q = entry_quantity (&r, want, ref, stop, equity);
              if (entry.side != 0)
                {
                  /* Replaced by the new decision. */
                  r.orders++;
                  entry.side = 0;
                }
              if (q > 0)
                {
                  entry.side = want;
                  entry.type = type;
                  entry.price = order_price;
                  entry.quantity = q;
                  entry.stop = stop;
                  entry.target = signals->target_price ? signals->target_price[k] : NAN;
                  entry.decided = k;
                  entry.valid_until = type == HS_ORDER_MARKET || config->order_valid_bars == 0
                                      ? G_MAXINT64 : (int64_t) (k + config->order_valid_bars);
                }
            }
        }

      /* LEAN fills a market order on intraday data in the step that sent it, at the quote bar's
       * close: the ask for a buy, the bid for a sell. */
      if (r.immediate && (exit_pending || (entry.side != 0 && entry.type == HS_ORDER_MARKET)))
        {
          if (exit_pending && p->side != 0)
            close_position (&r, k, slipped (&r, quote_close (&r, k, p->side < 0), p->side < 0, k),
                            c, exit_reason, exit_decided, fill_ts (&r, k),
                            (int64_t) (k - p->entry_bar) + 1);
          exit_pending = 0;
          if (entry.side != 0 && entry.type == HS_ORDER_MARKET && p->side == 0)
            {
              open_position (&r, &entry, k, slipped (&r, quote_close (&r, k, entry.side > 0),
                                                     entry.side > 0, k), c, FALSE);
              entry.side = 0;
            }
          holdings = p->side != 0 ? p->side * p->quantity * c : 0;
          equity = r.cash + holdings;
          res->cash[k] = r.cash;
          res->holdings[k] = holdings;
          res->equity[k] = equity;
          if (equity > peak)
            peak = equity;
          res->drawdown[k] = peak > 0 ? 1 - equity / peak : 0;
        }
      if (r.lean)
        lean_step (&r, k, c, holdings, equity);
    }

  if (entry.side != 0)
    r.orders++;   /* still waiting at the end: sent, never filled */
  if (r.pos.side != 0)
    {
      size_t last = n - 1;

      close_position (&r, last, last_close, last_close, HS_EXIT_END_OF_DATA, last,
                      r.lean ? step_ts (&r, last) : bar_end_ts (b, last),
                      (int64_t) (n - r.pos.entry_bar));
    }
  if (r.lean)
    lean_finish (&r, n - 1);
  res->total_orders = r.orders;
  res->pivot_highs_detected = signals->pivot_highs_detected;
  res->pivot_lows_detected = signals->pivot_lows_detected;
  res->bos_signals_generated = signals->bos_signals_generated;
  res->position_flips = res->liquidation_events = -1;
  if (signals->counts_flips)
    {
      res->position_flips = res->liquidation_events = 0;
      for (guint i = 0; i < res->trades->len; i++)
        {
          HsExitReason why = g_array_index (res->trades, HsBtTrade, i).exit_reason;

          if (why == HS_EXIT_REVERSAL)
            res->position_flips++;
          else if (why != HS_EXIT_END_OF_DATA)
            res->liquidation_events++;
        }
    }
  if (!config->skip_statistics)
    compute_statistics (&r);
  return g_steal_pointer (&res);
}

/* ---- models as text ---- */

/* The number of a model's text ("5" of "bps:5"): finite and ≥ 0, else an error naming @what. */
static gboolean
model_number (const char  *text,
              const char  *what,
              double      *out,
              GError     **error)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*out) || *out < 0)
    {
      g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
                   "%s: “%s” is not a number ≥ 0", what, text);
      return FALSE;
    }
  return TRUE;
}

static void
append_number (GString *s,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.15g", v));
}

/**
 * hs_fee_model_parse:
 * @text: "none", "ibkr", "per-share:RATE[:MIN[:MAX_PCT]]" (MAX_PCT a fraction of the order value,
 *   as 0.005 for IB), "per-order:X" or "bps:X"
 *
 * Returns: %TRUE with @fees set, else %FALSE with an %HS_BACKTEST_ERROR_CONFIG
 */
gboolean
hs_fee_model_parse (const char  *text,
                    HsFeeModel  *fees,
                    GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  memset (fees, 0, sizeof *fees);
  if (g_str_equal (text, "none"))
    return TRUE;
  if (g_str_equal (text, "ibkr"))
    {
      hs_fee_model_ibkr (fees);
      return TRUE;
    }
  parts = g_strsplit (text, ":", -1);
  n = g_strv_length (parts);
  if (n == 2 && g_str_equal (parts[0], "per-order"))
    {
      fees->kind = HS_FEE_PER_ORDER;
      return model_number (parts[1], "per-order fee", &fees->per_order, error);
    }
  if (n == 2 && g_str_equal (parts[0], "bps"))
    {
      fees->kind = HS_FEE_BPS;
      return model_number (parts[1], "fee in basis points", &fees->bps, error);
    }
  if (n >= 2 && n <= 4 && g_str_equal (parts[0], "per-share"))
    {
      fees->kind = HS_FEE_PER_SHARE;
      return model_number (parts[1], "fee per share", &fees->per_share, error)
             && (n < 3 || model_number (parts[2], "minimum fee", &fees->minimum, error))
             && (n < 4 || model_number (parts[3], "maximum fee", &fees->maximum_pct, error));
    }
  g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
               "unknown fee model “%s”: use none, ibkr, per-share:RATE[:MIN[:MAX]], "
               "per-order:X or bps:X", text);
  return FALSE;
}

/* Returns: (transfer full): the canonical text of @fees ("ibkr" for IB's numbers). */
char *
hs_fee_model_to_string (const HsFeeModel *fees)
{
  GString *s = g_string_new (NULL);
  HsFeeModel ib;

  hs_fee_model_ibkr (&ib);
  switch (fees->kind)
    {
    case HS_FEE_PER_SHARE:
      if (fees->per_share == ib.per_share && fees->minimum == ib.minimum
          && fees->maximum_pct == ib.maximum_pct)
        {
          g_string_append (s, "ibkr");
          break;
        }
      g_string_append (s, "per-share:");
      append_number (s, fees->per_share);
      g_string_append_c (s, ':');
      append_number (s, fees->minimum);
      g_string_append_c (s, ':');
      append_number (s, fees->maximum_pct);
      break;
    case HS_FEE_PER_ORDER:
      g_string_append (s, "per-order:");
      append_number (s, fees->per_order);
      break;
    case HS_FEE_BPS:
      g_string_append (s, "bps:");
      append_number (s, fees->bps);
      break;
    case HS_FEE_NONE:
    default:
      g_string_append (s, "none");
      break;
    }
  return g_string_free (s, FALSE);
}

/**
 * hs_slippage_model_parse:
 * @text: "none", "bps:X" or "half-spread[:X]"
 *
 * Returns: %TRUE with @slippage set, else %FALSE with an %HS_BACKTEST_ERROR_CONFIG
 */
gboolean
hs_slippage_model_parse (const char       *text,
                         HsSlippageModel  *slippage,
                         GError          **error)
{
  memset (slippage, 0, sizeof *slippage);
  if (g_str_equal (text, "none"))
    return TRUE;
  if (g_str_has_prefix (text, "bps:"))
    {
      slippage->kind = HS_SLIPPAGE_BPS;
      return model_number (text + 4, "slippage in basis points", &slippage->bps, error);
    }
  if (g_str_equal (text, "half-spread"))
    {
      slippage->kind = HS_SLIPPAGE_HALF_SPREAD;
      return TRUE;
    }
  if (g_str_has_prefix (text, "half-spread:"))
    {
      slippage->kind = HS_SLIPPAGE_HALF_SPREAD;
      return model_number (text + 12, "slippage in basis points", &slippage->bps, error);
    }
  g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
               "unknown slippage model “%s”: use none, bps:X or half-spread[:X]", text);
  return FALSE;
}

char *
hs_slippage_model_to_string (const HsSlippageModel *slippage)
{
  GString *s = g_string_new (NULL);

  switch (slippage->kind)
    {
    case HS_SLIPPAGE_BPS:
      g_string_append (s, "bps:");
      append_number (s, slippage->bps);
      break;
    case HS_SLIPPAGE_HALF_SPREAD:
      g_string_append (s, "half-spread:");
      append_number (s, slippage->bps);
      break;
    case HS_SLIPPAGE_NONE:
    default:
      g_string_append (s, "none");
      break;
    }
  return g_string_free (s, FALSE);
}

static const char *const sizing_names[] = {
  [HS_SIZE_FIXED_QTY] = "fixed",
  [HS_SIZE_FIXED_CASH] = "cash",
  [HS_SIZE_PERCENT] = "percent",
  [HS_SIZE_RISK] = "risk",
};

/**
 * hs_sizing_parse:
 * @text: "fixed:Q" (units), "cash:X", "percent:P" (of equity) or "risk:P" (percent of equity
 *   lost at the stop)
 *
 * Returns: %TRUE with @sizing set, else %FALSE with an %HS_BACKTEST_ERROR_CONFIG
 */
gboolean
hs_sizing_parse (const char  *text,
                 HsSizing    *sizing,
                 GError     **error)
{
  const char *colon = strchr (text, ':');

  for (size_t i = 0; colon != NULL && i < G_N_ELEMENTS (sizing_names); i++)
    if (strlen (sizing_names[i]) == (size_t) (colon - text)
        && strncmp (text, sizing_names[i], (size_t) (colon - text)) == 0)
      {
        sizing->kind = (HsSizingKind) i;
        if (!model_number (colon + 1, "position size", &sizing->value, error))
          return FALSE;
        if (sizing->value <= 0)
          {
            g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
                         "position size: must be more than 0");
            return FALSE;
          }
        return TRUE;
      }
  g_set_error (error, HS_BACKTEST_ERROR, HS_BACKTEST_ERROR_CONFIG,
               "unknown sizing “%s”: use fixed:Q, cash:X, percent:P or risk:P", text);
  return FALSE;
}

char *
hs_sizing_to_string (const HsSizing *sizing)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail ((size_t) sizing->kind < G_N_ELEMENTS (sizing_names), NULL);

  g_string_append (s, sizing_names[sizing->kind]);
  g_string_append_c (s, ':');
  append_number (s, sizing->value);
  return g_string_free (s, FALSE);
}
