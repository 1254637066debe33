/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signal ledger in plain C: its records as the JSONL reader produces them, and the numbers
 * derived on import (docs/ledger.md): a fill's slippage against its reference price and its
 * latency, a round trip's P&L from its fills, and the drift between a replayed strategy's
 * decisions and the recorded ones. Small inputs (a bot's day); nothing here allocates per row
 * beyond the result arrays.
 */
#define G_LOG_DOMAIN "hs-core"

#include "config.h"

#include "hs-ledger-records.h"

#include <math.h>
#include <string.h>

static const char * const kind_names[] = { "signal", "veto", "order", "fill", "account",
                                           "risk_day" };

const char *
hs_ledger_kind_to_string (HsLedgerKind kind)
{
  g_return_val_if_fail ((size_t) kind < G_N_ELEMENTS (kind_names), "?");
  return kind_names[kind];
}

void
hs_ledger_record_clear (HsLedgerRecord *r)
{
  HsLedgerSignal *s = &r->signal;
  HsLedgerOrder *o = &r->order;

  g_free (s->key);
  g_free (s->symbol);
  g_free (s->exchange);
  g_free (s->strategy);
  g_free (s->strategy_version);
  g_free (s->setup);
  g_free (s->signal_type);
  g_free (s->session);
  g_free (s->reasons);
  g_free (s->warnings);
  g_free (s->filters_passed);
  g_free (s->filters_blocked);
  g_free (s->status);
  g_free (r->veto.signal_key);
  g_free (r->veto.rule);
  g_free (r->veto.reason);
  g_free (r->veto.details);
  g_free (o->client_order_id);
  g_free (o->symbol);
  g_free (o->exchange);
  g_free (o->signal_key);
  g_free (o->parent);
  g_free (o->closes);
  g_free (o->broker);
  g_free (o->broker_order_id);
  g_free (o->mode);
  g_free (o->leg);
  g_free (o->side);
  g_free (o->type);
  g_free (o->time_in_force);
  g_free (o->status);
  g_free (o->payload);
  g_free (o->broker_response);
  g_free (o->error_message);
  g_free (r->fill.order);
  g_free (r->fill.broker_fill_id);
  g_free (r->fill.liquidity);
  g_free (r->account.account);
  g_free (r->account.open_positions);
  g_free (r->account.session);
  g_free (r->risk_day.day);
  g_free (r->risk_day.breach_flags);
  memset (r, 0, sizeof *r);
}


/**
 * hs_ledger_slippage:
 * @buy: whether the fill bought
 *
 * Slippage of a fill in price units, signed so that positive is worse than @reference (the
 * schema's definition, migrations/003): price − reference for a buy, reference − price for a
 * sell.
 *
 * Returns: the slippage, NAN when @reference is NAN
 */
double
hs_ledger_slippage (gboolean buy,
                    double   price,
                    double   reference)
{
  if (isnan (reference) || isnan (price))
    return NAN;
  return buy ? price - reference : reference - price;
}

/**
 * hs_ledger_latency_ms:
 * @from_ts: the signal's time (or the order's when there is no signal), µs
 *
 * Returns: whole milliseconds from @from_ts to @fill_ts, rounded down; −1 when the fill is
 *   earlier than @from_ts (which the importer refuses)
 */
int64_t
hs_ledger_latency_ms (int64_t fill_ts,
                      int64_t from_ts)
{
  if (fill_ts < from_ts)
    return -1;
  return (fill_ts - from_ts) / 1000;
}

/* Quantity-weighted mean price of @n fills, their total quantity in @qty. */
static double
vwap (const HsLedgerFillRow *f,
      size_t                 n,
      double                *qty)
{
  double pq = 0, q = 0;

  for (size_t i = 0; i < n; i++)
    {
      pq += f[i].price * f[i].qty;
      q += f[i].qty;
    }
  *qty = q;
  return q > 0 ? pq / q : NAN;
}

/**
 * hs_ledger_round_trip_compute:
 * @side: +1 when the entry order bought, −1 when it sold
 * @entry: (array length=n_entry): the entry order's fills in time order, at least one
 * @exit: (array length=n_exit): the fills of the orders closing it (bracket legs and orders
 *   with "closes"), in time order
 * @stop_price: the initial stop (the stop_loss leg's stop price), NAN when none
 *
 * A round trip of trade_ledger from its fills: prices are the fills' VWAPs; it is closed when
 * the exit fills add up to the entry quantity (a relative 1e-9 short is rounding), and only
 * then has an exit price, P&L and R multiple. gross = side × (exit − entry) × quantity; fees
 * are every fill's; net = gross − fees; r = net / (|entry − stop| × quantity); slippage is the
 * cost Σ slippage × qty over the fills whose slippage is known.
 */
void
hs_ledger_round_trip_compute (int                    side,
                              const HsLedgerFillRow *entry,
                              size_t                 n_entry,
                              const HsLedgerFillRow *exit,
                              size_t                 n_exit,
                              double                 stop_price,
                              HsLedgerRoundTrip     *out)
{
  double exit_qty = 0, slip = 0;
  gboolean any_slip = FALSE;

  g_return_if_fail (n_entry > 0 && out != NULL);

  memset (out, 0, sizeof *out);
  out->side = side >= 0 ? 1 : -1;
  out->entry_price = vwap (entry, n_entry, &out->quantity);
  out->entry_ts = entry[0].ts;
  out->entry_fill_id = entry[0].id;
  out->exit_ts = -1;
  out->exit_price = out->gross_pnl = out->net_pnl = out->r_multiple = NAN;
  for (size_t i = 0; i < n_entry + n_exit; i++)
    {
      const HsLedgerFillRow *f = i < n_entry ? &entry[i] : &exit[i - n_entry];

      out->fees += f->fee;
      if (!isnan (f->slippage))
        {
          slip += f->slippage * f->qty;
          any_slip = TRUE;
        }
    }
  out->slippage = any_slip ? slip : NAN;
  if (n_exit == 0)
    return;
  out->exit_price = vwap (exit, n_exit, &exit_qty);
  if (exit_qty < out->quantity * (1 - 1e-9))
    {
      out->exit_price = NAN;
      return;
    }
  out->closed = TRUE;
  out->exit_ts = exit[n_exit - 1].ts;
  out->exit_fill_id = exit[n_exit - 1].id;
  out->exit_order_id = exit[n_exit - 1].order_id;
  out->gross_pnl = out->side * (out->exit_price - out->entry_price) * out->quantity;
  out->net_pnl = out->gross_pnl - out->fees;
  if (!isnan (stop_price) && fabs (out->entry_price - stop_price) > 0)
    out->r_multiple = out->net_pnl / (fabs (out->entry_price - stop_price) * out->quantity);
}

static const char * const drift_names[] = { "match", "missing", "extra", "side", "price" };

const char *
hs_drift_kind_to_string (HsDriftKind kind)
{
  g_return_val_if_fail ((size_t) kind < G_N_ELEMENTS (drift_names), "?");
  return drift_names[kind];
}

void
hs_ledger_decision_clear (HsLedgerDecision *decision)
{
  g_clear_pointer (&decision->what, g_free);
}

/* The unmatched recorded decision nearest in time to @r within @tol (of @r's side when
 * @same_side), the earlier on a tie; −1 when none. */
static int64_t
nearest (const HsLedgerDecision *r,
         const HsLedgerDecision *record,
         size_t                  n_record,
         const gboolean         *taken,
         int64_t                 tol,
         gboolean                same_side)
{
  int64_t best = -1;
  int64_t best_dt = 0;

  for (size_t j = 0; j < n_record; j++)
    {
      int64_t dt = record[j].ts > r->ts ? record[j].ts - r->ts : r->ts - record[j].ts;

      if (taken[j] || dt > tol || (same_side && record[j].side != r->side))
        continue;
      if (best < 0 || dt < best_dt)
        {
          best = (int64_t) j;
          best_dt = dt;
        }
    }
  return best;
}

static int
drift_cmp (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  const HsLedgerDecision *const *sides = data;
  const HsLedgerDrift *x = a, *y = b;
  int64_t tx = x->replay >= 0 ? sides[0][x->replay].ts : sides[1][x->record].ts;
  int64_t ty = y->replay >= 0 ? sides[0][y->replay].ts : sides[1][y->record].ts;

  if (tx != ty)
    return tx < ty ? -1 : 1;
  /* Equal times: replayed before recorded-only, then by index, for a stable order. */
  if ((x->replay >= 0) != (y->replay >= 0))
    return x->replay >= 0 ? -1 : 1;
  if (x->replay != y->replay)
    return x->replay < y->replay ? -1 : 1;
  return x->record < y->record ? -1 : x->record > y->record;
}

/**
 * hs_ledger_drift:
 * @replay: (array length=n_replay): the replay's decisions
 * @record: (array length=n_record): the recorded ones
 * @tolerance_us: how far apart in time two decisions may be and still be the same one
 * @price_tolerance_pct: how far apart their prices may be, in percent of the replay's price
 *
 * Pairs each replayed decision with a recorded one: first with the nearest unpaired recorded
 * decision of the same side within @tolerance_us (the replay's decisions in time order), then
 * what is left with the nearest of either side (HS_DRIFT_SIDE). A pair of the same side whose
 * prices (both known) differ by more than @price_tolerance_pct is HS_DRIFT_PRICE. Unpaired
 * replayed decisions are MISSING from the record; unpaired recorded ones are EXTRA.
 *
 * Returns: (transfer full) (element-type HsLedgerDrift): every decision once, in time order
 */
GArray *
hs_ledger_drift (const HsLedgerDecision *replay,
                 size_t                  n_replay,
                 const HsLedgerDecision *record,
                 size_t                  n_record,
                 int64_t                 tolerance_us,
                 double                  price_tolerance_pct)
{
  g_autofree gboolean *taken = g_new0 (gboolean, n_record + 1);
  g_autofree int64_t *pair = g_new (int64_t, n_replay + 1);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsLedgerDrift));
  const HsLedgerDecision *sides[2] = { replay, record };

  for (size_t i = 0; i < n_replay; i++)
    pair[i] = -1;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n_replay; i++)
      if (pair[i] < 0)
        {
          pair[i] = nearest (&replay[i], record, n_record, taken, tolerance_us, pass == 0);
          if (pair[i] >= 0)
            taken[pair[i]] = TRUE;
        }
  for (size_t i = 0; i < n_replay; i++)
    {
      HsLedgerDrift d = { HS_DRIFT_MISSING, (int64_t) i, pair[i] };

      if (pair[i] >= 0)
        {
          const HsLedgerDecision *r = &record[pair[i]];

          if (r->side != replay[i].side)
            d.kind = HS_DRIFT_SIDE;
          else if (!isnan (r->price) && !isnan (replay[i].price) && replay[i].price != 0
                   && fabs (r->price - replay[i].price) / fabs (replay[i].price) * 100
                      > price_tolerance_pct)
            d.kind = HS_DRIFT_PRICE;
          else
            d.kind = HS_DRIFT_MATCH;
        }
      g_array_append_val (out, d);
    }
  for (size_t j = 0; j < n_record; j++)
    if (!taken[j])
      {
        HsLedgerDrift d = { HS_DRIFT_EXTRA, -1, (int64_t) j };

        g_array_append_val (out, d);
      }
  g_array_sort_with_data (out, drift_cmp, sides);
  return out;
}
