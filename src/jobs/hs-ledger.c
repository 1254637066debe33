/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signal ledger's jobs (docs/ledger.md). hs_ledger_import() reads a bot's JSONL stream of
 * signals, risk vetoes, orders, fills, account snapshots and risk days into one transaction:
 * references between records (signal keys, client order ids) resolve to rows written by
 * earlier lines or stored before; a fill's slippage and latency are computed when the bot did
 * not send them; and every entry order whose fills changed gets its trade_ledger round trip
 * (re)derived. The first bad line rolls everything back and is reported as FILE:LINE: field:
 * reason. hs_ledger_replay() re-runs a rule set over the stored bars with the backtest engine
 * and pairs its decisions with the recorded ones (core's hs_ledger_drift()).
 * Load: a bot's day of a few thousand lines; a replay of a year of minute bars.
 */
#define G_LOG_DOMAIN "hs-ledger"

#include "config.h"

#include "hs-ledger.h"

#include <math.h>
#include <string.h>

#include "hs-backtest.h"
#include "hs-csv.h"
#include "hs-import.h"
#include "hs-ledger-json.h"
#include "hs-resample.h"
#include "hs-rules-json.h"
#include "hs-store-ledger.h"
#include "hs-store-market.h"
#include "hs-strategy.h"
#include "hs-time.h"

#define CANCEL_EVERY 1024

typedef struct
{
  HsStore              *store;
  const char           *path;
  size_t                line;
  HsLedgerImportResult *result;
  GHashTable           *instruments;   /* "symbol\nexchange" → int64_t id */
  GHashTable           *touched;       /* entry order ids whose round trip to derive */
  GArray               *touched_order; /* the same ids, in the order first touched */
} LedgerImport;

static gboolean G_GNUC_PRINTF (3, 4)
bad (LedgerImport *im,
     GError      **error,
     const char   *format,
     ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT, "%s:%zu: %s", im->path,
               im->line, msg);
  return FALSE;
}

static void
count (LedgerImport   *im,
       HsLedgerKind    kind,
       HsLedgerChange  change)
{
  HsLedgerImportResult *r = im->result;

  r->rows[kind]++;
  if (change == HS_LEDGER_INSERTED)
    r->inserted[kind]++;
  else if (change == HS_LEDGER_UPDATED)
    r->updated[kind]++;
  else
    r->present[kind]++;
}

/* A stored instrument; a symbol the database does not know is refused (its bars come first). */
static gboolean
instrument (LedgerImport *im,
            const char   *symbol,
            const char   *exchange,
            int64_t      *id,
            GError      **error)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", symbol, exchange ? exchange : "");
  g_autoptr(GError) local = NULL;
  int64_t *cached = g_hash_table_lookup (im->instruments, key);

  if (cached != NULL)
    {
      *id = *cached;
      return TRUE;
    }
  if (!hs_store_find_instrument (im->store, symbol, exchange, id, &local))
    {
      if (g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
        return bad (im, error, "symbol: unknown instrument “%s” (import its data first)",
                    symbol);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_hash_table_insert (im->instruments, g_steal_pointer (&key), g_memdup2 (id, sizeof *id));
  return TRUE;
}

static gboolean
find_signal (LedgerImport      *im,
             const char        *field,
             const char        *key,
             HsLedgerSignalRef *ref,
             GError           **error)
{
  gboolean found = FALSE;

  if (!hs_store_ledger_find_signal (im->store, key, ref, &found, error))
    return FALSE;
  return found || bad (im, error, "%s: unknown signal “%s” (no earlier line or stored signal "
                       "has that key)", field, key);
}

static gboolean
find_order (LedgerImport     *im,
            const char       *field,
            const char       *client_order_id,
            HsLedgerOrderRef *ref,
            GError          **error)
{
  gboolean found = FALSE;

  if (!hs_store_ledger_find_order (im->store, client_order_id, ref, &found, error))
    return FALSE;
  return found || bad (im, error, "%s: unknown order “%s” (no earlier line or stored order has "
                       "that client_order_id)", field, client_order_id);
}

static void
touch (LedgerImport *im,
       int64_t       entry_id)
{
  if (g_hash_table_add (im->touched, g_memdup2 (&entry_id, sizeof entry_id)))
    g_array_append_val (im->touched_order, entry_id);
}

/* The entry order whose position @o opens or closes. */
static int64_t
entry_of (const HsLedgerOrderRef *o)
{
  if (o->parent_id != 0)
    return o->parent_id;
  if (o->closes_id != 0)
    return o->closes_id;
  return o->id;
}

/* Store errors of a row (a CHECK, a UNIQUE) are the line's fault: FILE:LINE: message. */
static gboolean
row_failed (LedgerImport *im,
            GError       *local,
            GError      **error)
{
  if (local->domain == HS_STORE_ERROR && local->code == HS_STORE_ERROR_CONSTRAINT)
    {
      bad (im, error, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  g_propagate_error (error, local);
  return FALSE;
}

static gboolean
import_signal (LedgerImport         *im,
               const HsLedgerSignal *s,
               GError              **error)
{
  GError *local = NULL;
  HsLedgerChange change;
  int64_t instrument_id = 0, id = 0;

  if (!instrument (im, s->symbol, s->exchange, &instrument_id, error))
    return FALSE;
  if (!hs_store_ledger_write_signal (im->store, instrument_id, s, &id, &change, &local))
    return row_failed (im, local, error);
  count (im, HS_LEDGER_SIGNAL, change);
  return TRUE;
}

static gboolean
import_veto (LedgerImport       *im,
             const HsLedgerVeto *v,
             GError            **error)
{
  GError *local = NULL;
  HsLedgerSignalRef sig = { 0 };
  HsLedgerChange change;
  int64_t ts;

  if (!find_signal (im, "signal", v->signal_key, &sig, error))
    return FALSE;
  ts = v->ts >= 0 ? v->ts : sig.ts;
  if (ts < sig.ts)
    return bad (im, error, "ts: the veto is earlier than its signal “%s”", v->signal_key);
  if (!hs_store_ledger_write_veto (im->store, sig.id, ts, v, &change, &local))
    return row_failed (im, local, error);
  count (im, HS_LEDGER_VETO, change);
  return TRUE;
}

static gboolean
import_order (LedgerImport        *im,
              const HsLedgerOrder *o,
              GError             **error)
{
  GError *local = NULL;
  HsLedgerOrderRef links = { 0 }, stored = { 0 }, parent = { 0 }, closes = { 0 };
  HsLedgerSignalRef sig = { 0 };
  HsLedgerChange change;
  gboolean exists = FALSE;
  int64_t from_instrument = 0;

  links.reference_price = o->reference_price;
  if (o->signal_key != NULL)
    {
      if (!find_signal (im, "signal", o->signal_key, &sig, error))
        return FALSE;
      links.signal_id = sig.id;
      from_instrument = sig.instrument_id;
      if (o->ts < sig.ts)
        return bad (im, error, "ts: the order is earlier than its signal “%s”", o->signal_key);
      /* An entry's reference is its signal's price unless the bot sent its own. */
      if (isnan (links.reference_price) && o->parent == NULL && o->closes == NULL)
        links.reference_price = sig.price;
    }
  if (o->parent != NULL)
    {
      if (!find_order (im, "parent", o->parent, &parent, error))
        return FALSE;
      if (!g_str_equal (parent.leg, "entry") && !g_str_equal (parent.leg, "single"))
        return bad (im, error, "parent: “%s” is itself a bracket leg", o->parent);
      if (g_str_equal (parent.side, o->side))
        return bad (im, error, "side: a %s leg must %s what its entry “%s” %s", o->leg,
                    g_str_equal (parent.side, "buy") ? "sell" : "buy", o->parent,
                    g_str_equal (parent.side, "buy") ? "bought" : "sold");
      links.parent_id = parent.id;
      if (from_instrument != 0 && from_instrument != parent.instrument_id)
        return bad (im, error, "parent: “%s” is for another instrument than the signal",
                    o->parent);
      from_instrument = parent.instrument_id;
      /* A bracket leg's reference is the level it was set at. */
      if (isnan (links.reference_price))
        links.reference_price = g_str_equal (o->leg, "stop_loss") ? o->stop_price : o->limit_price;
    }
  if (o->closes != NULL)
    {
      if (!find_order (im, "closes", o->closes, &closes, error))
        return FALSE;
      if (closes.parent_id != 0 || closes.closes_id != 0)
        return bad (im, error, "closes: “%s” is not an entry order", o->closes);
      if (g_str_equal (closes.side, o->side))
        return bad (im, error, "side: an order closing “%s” must be on the other side",
                    o->closes);
      if (from_instrument != 0 && from_instrument != closes.instrument_id)
        return bad (im, error, "closes: “%s” is for another instrument", o->closes);
      links.closes_id = closes.id;
      from_instrument = closes.instrument_id;
    }
  if (o->symbol != NULL)
    {
      if (!instrument (im, o->symbol, o->exchange, &links.instrument_id, error))
        return FALSE;
      if (from_instrument != 0 && from_instrument != links.instrument_id)
        return bad (im, error, "symbol: “%s” is not the instrument of the signal or order "
                    "this order refers to", o->symbol);
    }
  else if (from_instrument != 0)
    links.instrument_id = from_instrument;
  else
    return bad (im, error, "symbol: missing (give a symbol, or a signal, parent or closes)");

  if (!hs_store_ledger_find_order (im->store, o->client_order_id, &stored, &exists, error))
    return FALSE;
  if (exists)
    {
      /* A re-sent order may move on (status …); what it is may not change. */
      if (stored.instrument_id != links.instrument_id || stored.ts != o->ts
          || !g_str_equal (stored.side, o->side) || stored.qty != o->qty
          || !g_str_equal (stored.leg, o->leg) || stored.signal_id != links.signal_id
          || stored.parent_id != links.parent_id || stored.closes_id != links.closes_id)
        return bad (im, error, "client_order_id: “%s” is stored with another instrument, time, "
                    "side, quantity, leg or link", o->client_order_id);
      links.id = stored.id;
    }
  if (!hs_store_ledger_write_order (im->store, o, &links, &change, &local))
    return row_failed (im, local, error);
  count (im, HS_LEDGER_ORDER, change);
  return TRUE;
}

static gboolean
import_fill (LedgerImport       *im,
             const HsLedgerFill *f,
             GError            **error)
{
  GError *local = NULL;
  HsLedgerOrderRef order = { 0 };
  HsLedgerFill row = *f;
  HsLedgerChange change;
  gboolean found = FALSE;
  int64_t seq = 0, from_ts;

  if (!find_order (im, "order", f->order, &order, error))
    return FALSE;
  if (!hs_store_ledger_find_fill (im->store, order.id, f->fill_seq, f->broker_fill_id, &seq,
                                  &found, error))
    return FALSE;
  /* Latency runs from the signal (or, for an order without one, from the order). */
  from_ts = order.signal_ts >= 0 ? order.signal_ts : order.ts;
  if (f->ts < from_ts)
    return bad (im, error, "ts: the fill is earlier than its %s",
                order.signal_ts >= 0 ? "signal" : "order");
  if (isnan (row.reference_price))
    row.reference_price = order.reference_price;
  if (isnan (row.slippage))
    row.slippage = hs_ledger_slippage (g_str_equal (order.side, "buy"), f->price,
                                       row.reference_price);
  if (row.latency_ms < 0)
    row.latency_ms = hs_ledger_latency_ms (f->ts, from_ts);
  if (found)
    change = HS_LEDGER_PRESENT;
  else if (!hs_store_ledger_write_fill (im->store, order.id, seq, &row, &change, &local))
    return row_failed (im, local, error);
  count (im, HS_LEDGER_FILL, change);
  if (change != HS_LEDGER_PRESENT)
    touch (im, entry_of (&order));
  return TRUE;
}

/* The round trip of every entry order whose fills (or whose exits' fills) this file added. */
static gboolean
derive_trades (LedgerImport *im,
               GError      **error)
{
  for (guint i = 0; i < im->touched_order->len; i++)
    {
      int64_t id = g_array_index (im->touched_order, int64_t, i);
      g_autoptr(GArray) entry = NULL;
      g_autoptr(GArray) exits = NULL;
      HsLedgerOrderRef order = { 0 };
      HsLedgerRoundTrip trip;
      HsLedgerChange change;
      int64_t paper = 0;
      double stop = NAN;

      if (!hs_store_ledger_get_order (im->store, id, &order, error))
        return FALSE;
      entry = hs_store_ledger_order_fills (im->store, id, error);
      if (entry == NULL)
        return FALSE;
      if (entry->len == 0)
        continue;   /* exits filled before the entry: nothing to derive yet */
      exits = hs_store_ledger_exit_fills (im->store, id, &stop, error);
      if (exits == NULL)
        return FALSE;
      hs_ledger_round_trip_compute (g_str_equal (order.side, "buy") ? 1 : -1,
                                    (HsLedgerFillRow *) entry->data, entry->len,
                                    (HsLedgerFillRow *) exits->data, exits->len, stop, &trip);
      if (order.signal_id != 0
          && !hs_store_ledger_paper_trade (im->store, order.signal_id, order.instrument_id,
                                           &paper, error))
        return FALSE;
      if (!hs_store_ledger_write_trade (im->store, &order, order.mode, &trip, paper, &change,
                                        error))
        return FALSE;
      if (change == HS_LEDGER_INSERTED)
        im->result->trades_inserted++;
      else if (change == HS_LEDGER_UPDATED)
        im->result->trades_updated++;
      else
        im->result->trades_present++;
    }
  return TRUE;
}

static gboolean
import_lines (LedgerImport *im,
              HsCsvReader  *reader,
              GCancellable *cancellable,
              GError      **error)
{
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      g_auto(HsLedgerRecord) rec = { 0 };
      GError *row_error = NULL;
      HsLedgerChange change;
      char *line = NULL;
      size_t len = 0;
      int rc = hs_csv_reader_next_line (reader, &line, &len, &local);
      gboolean ok = TRUE;

      im->line = hs_csv_reader_line (reader);
      if (rc < 0)
        return bad (im, error, "%s", local->message);
      if (rc == 0)
        break;
      im->result->lines++;
      if (im->result->lines % CANCEL_EVERY == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!hs_ledger_parse_line (line, len, &rec, &local))
        return bad (im, error, "%s", local->message);
      switch (rec.kind)
        {
        case HS_LEDGER_SIGNAL:
          ok = import_signal (im, &rec.signal, error);
          break;
        case HS_LEDGER_VETO:
          ok = import_veto (im, &rec.veto, error);
          break;
        case HS_LEDGER_ORDER:
          ok = import_order (im, &rec.order, error);
          break;
        case HS_LEDGER_FILL:
          ok = import_fill (im, &rec.fill, error);
          break;
        case HS_LEDGER_ACCOUNT:
          ok = hs_store_ledger_write_account (im->store, &rec.account, &change, &row_error)
               || row_failed (im, row_error, error);
          if (ok)
            count (im, HS_LEDGER_ACCOUNT, change);
          break;
        case HS_LEDGER_RISK_DAY:
          ok = hs_store_ledger_write_risk_day (im->store, &rec.risk_day, &change, &row_error)
               || row_failed (im, row_error, error);
          if (ok)
            count (im, HS_LEDGER_RISK_DAY, change);
          break;
        default:
          g_assert_not_reached ();
        }
      if (!ok)
        return FALSE;
    }
  if (im->result->lines == 0)
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT,
                   "%s: the file has no JSON lines", im->path);
      return FALSE;
    }
  return derive_trades (im, error);
}

/**
 * hs_ledger_import:
 * @store: the database, not inside a transaction
 * @result: (out caller-allocates): counts, zeroed first
 *
 * Imports a signal-ledger JSONL file (docs/ledger.md) in one transaction: all of it, or nothing
 * and %HS_IMPORT_ERROR_BAD_INPUT "FILE:LINE: field: reason". Importing a file again changes
 * nothing.
 */
gboolean
hs_ledger_import (HsStore              *store,
                  const char           *path,
                  GCancellable         *cancellable,
                  HsLedgerImportResult *result,
                  GError              **error)
{
  g_autoptr(HsCsvReader) reader = NULL;
  g_autoptr(GError) local = NULL;
  LedgerImport im = { 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL && path != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  reader = hs_csv_reader_open (path, &local);
  if (reader == NULL)
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT, "%s: %s", path,
                   local->message);
      return FALSE;
    }
  if (!hs_store_begin (store, error))
    return FALSE;
  im.store = store;
  im.path = path;
  im.result = result;
  im.instruments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im.touched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  im.touched_order = g_array_new (FALSE, FALSE, sizeof (int64_t));
  ok = import_lines (&im, reader, cancellable, error) && hs_store_commit (store, error);
  if (!ok)
    {
      hs_store_rollback (store);
      memset (result, 0, sizeof *result);
    }
  g_hash_table_unref (im.instruments);
  g_hash_table_unref (im.touched);
  g_array_unref (im.touched_order);
  return ok;
}

/* ---- Replay ------------------------------------------------------------------------------ */

void
hs_replay_result_clear (HsReplayResult *result)
{
  g_clear_pointer (&result->strategy, g_free);
  g_clear_pointer (&result->replay, g_array_unref);
  g_clear_pointer (&result->record, g_array_unref);
  g_clear_pointer (&result->drift, g_array_unref);
}

static void
add_decision (GArray     *out,
              int64_t     ts,
              int         side,
              double      price,
              const char *what,
              const char *reason)
{
  HsLedgerDecision d = { ts, side, price, 0, NULL };

  d.what = reason != NULL ? g_strdup_printf ("%s (%s)", what, reason) : g_strdup (what);
  g_array_append_val (out, d);
}

static int
decision_cmp (gconstpointer a,
              gconstpointer b)
{
  const HsLedgerDecision *x = a, *y = b;

  return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* The replay's decisions: each backtest trade's entry fill and, unless the engine closed it
 * only because the data ended or an opposite entry reversed it (that entry is the decision),
 * its exit fill. */
static GArray *
replay_decisions (const HsBtResult *bt)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HsLedgerDecision));

  g_array_set_clear_func (out, (GDestroyNotify) hs_ledger_decision_clear);
  for (guint i = 0; i < bt->trades->len; i++)
    {
      const HsBtTrade *t = &g_array_index (bt->trades, HsBtTrade, i);

      add_decision (out, t->entry_ts, t->side, t->entry_price,
                    t->side > 0 ? "enter long" : "enter short", NULL);
      if (t->exit_reason != HS_EXIT_END_OF_DATA && t->exit_reason != HS_EXIT_REVERSAL)
        add_decision (out, t->exit_ts, -t->side, t->exit_price,
                      t->side > 0 ? "exit long" : "exit short",
                      hs_exit_reason_to_string (t->exit_reason));
    }
  g_array_sort (out, decision_cmp);
  return out;
}

/**
 * hs_ledger_replay:
 * @result: (out caller-allocates): clear with hs_replay_result_clear()
 *
 * Runs the rule set over the stored bars of the symbol and interval from @request->from_ts to
 * @request->to_ts with the backtest engine (a decision at a bar's close fills at the next bar's
 * open; sizing does not matter here), and pairs its decisions with the recorded signals and
 * orders of that instrument in the same period (hs_store_ledger_recorded(), hs_ledger_drift()).
 * Errors: a bad rule set (%HS_STRATEGY_ERROR), an unknown symbol or no bars
 * (%HS_STORE_ERROR_NOT_FOUND).
 */
gboolean
hs_ledger_replay (HsStore               *store,
                  const HsReplayRequest *req,
                  HsReplayResult        *result,
                  GError               **error)
{
  g_autoptr(HsRuleSet) rules = NULL;
  g_autoptr(HsBars) bars = NULL;
  g_autoptr(HsBtSignals) signals = NULL;
  g_autoptr(HsBtResult) bt = NULL;
  g_autoptr(HsInstrument) inst = NULL;
  const char *interval = req->interval != NULL ? req->interval : "1m";
  HsStrategyInput sin = { 0 };
  HsBtInput input = { 0 };
  HsBtConfig config;
  int64_t instrument_id = 0;
  gboolean ok;

  g_return_val_if_fail (store != NULL && req != NULL && result != NULL, FALSE);
  g_return_val_if_fail (req->rules_path != NULL && req->symbol != NULL, FALSE);

  memset (result, 0, sizeof *result);
  rules = hs_rule_set_load (req->rules_path, error);
  if (rules == NULL)
    return FALSE;
  if (!hs_store_begin_read (store, error))
    return FALSE;
  ok = hs_store_find_instrument (store, req->symbol, req->exchange, &instrument_id, error)
       && (inst = hs_store_load_instrument (store, instrument_id, error)) != NULL
       && (bars = hs_store_load_bars (store, instrument_id, interval, req->from_ts, req->to_ts,
                                      error)) != NULL;
  if (ok)
    {
      result->record = hs_store_ledger_recorded (store, instrument_id, req->from_ts, req->to_ts,
                                                 req->strategy, error);
      ok = result->record != NULL;
    }
  hs_store_rollback (store);   /* only read */
  if (!ok)
    {
      hs_replay_result_clear (result);
      return FALSE;
    }
  if (bars->n == 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND,
                   "no %s bars of %s in the period", interval, req->symbol);
      hs_replay_result_clear (result);
      return FALSE;
    }

  sin.bars = bars;
  sin.interval = interval;
  sin.session = hs_session_kind_for_instrument (inst->kind);
  signals = hs_rule_set_run (rules, &sin, error);
  hs_bt_config_init (&config);
  /* Decisions do not depend on size: every entry gets all the equity, in fractions. */
  config.fractional = 1;
  input.bars = bars;
  input.symbol = req->symbol;
  config.skip_statistics = 1;
  if (signals == NULL || (bt = hs_backtest_run (&input, signals, &config, error)) == NULL)
    {
      hs_replay_result_clear (result);
      return FALSE;
    }

  result->strategy = g_strdup (rules->name);
  result->n_bars = bars->n;
  result->tolerance_us = req->tolerance_us > 0
                         ? req->tolerance_us
                         : (bars->interval_s > 0 ? bars->interval_s : 60) * G_USEC_PER_SEC;
  result->price_tolerance_pct = isnan (req->price_tolerance_pct) || req->price_tolerance_pct < 0
                                ? 0.5 : req->price_tolerance_pct;
  result->replay = replay_decisions (bt);
  result->drift = hs_ledger_drift ((HsLedgerDecision *) result->replay->data, result->replay->len,
                                   (HsLedgerDecision *) result->record->data, result->record->len,
                                   result->tolerance_us, result->price_tolerance_pct);
  for (guint i = 0; i < result->drift->len; i++)
    result->counts[g_array_index (result->drift, HsLedgerDrift, i).kind]++;
  return TRUE;
}
