/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Paper trades: open, close, tag, note, import from a bot's JSON Lines, and the stop-loss /
 * take-profit watch. Each operation is one transaction (the caller's, when one is open), so
 * a refused request or a bad import line leaves the database as it was. Context at entry is
 * decided in one place, decide_context(). The watch runs after every bars import
 * (hs-import.c), after an open or import, and on demand (`hindsight-cli paper check`); it
 * reads each bracketed open trade's bars from its entry until the first touch, so its cost is
 * the bars after the entry of the open trades: small for a bot's open positions.
 */
#define G_LOG_DOMAIN "hs-paper"

#include "config.h"

#include "hs-paper.h"

#include <math.h>
#include <string.h>

#include "hs-context.h"
#include "hs-csv.h"
#include "hs-import.h"
#include "hs-paper-json.h"
#include "hs-records.h"
#include "hs-store-market.h"
#include "hs-time.h"

G_DEFINE_QUARK (hs-paper-error-quark, hs_paper_error)

static gboolean G_GNUC_PRINTF (3, 4)
paper_fail (GError         **error,
            HsPaperErrorCode code,
            const char      *format,
            ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HS_PAPER_ERROR, code, msg);
  return FALSE;
}

/* A store's "not found" becomes the paper domain's, message kept; other errors pass. */
static void
map_not_found (GError **error)
{
  if (error != NULL && *error != NULL
      && g_error_matches (*error, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
    {
      (*error)->domain = HS_PAPER_ERROR;
      (*error)->code = HS_PAPER_ERROR_NOT_FOUND;
    }
}

/* The single place that decides the context a new trade is stored with (seed 000's
 * signals_snapshot, market_regime and order_book_state). Objects the caller supplied were
 * checked to be JSON objects when they were read, and are kept as given. */
static gboolean
decide_context (HsStore      *store,
                HsPaperTrade *trade,
                GError      **error)
{
  HsTradeContext ctx = { 0 };

  if (trade->signals_snapshot != NULL && trade->market_regime != NULL
      && trade->order_book_state != NULL)
    return TRUE;
  /* What the caller did not supply comes from the local database at the entry time
   * (hs-context.c, docs/context.md). */
  if (!hs_context_collect (store, trade->instrument_id, trade->entry_ts, &ctx, error))
    return FALSE;
  if (trade->signals_snapshot == NULL)
    trade->signals_snapshot = g_steal_pointer (&ctx.signals_snapshot);
  if (trade->market_regime == NULL)
    trade->market_regime = g_steal_pointer (&ctx.market_regime);
  if (trade->order_book_state == NULL)
    trade->order_book_state = g_steal_pointer (&ctx.order_book_state);
  hs_trade_context_clear (&ctx);
  return TRUE;
}

/* Ends a position: exit, status, P&L net of all fees; labels are computed afresh later. */
static void
set_exit (HsPaperTrade *t,
          int64_t       ts,
          double        price,
          const char   *reason)
{
  char *why = g_strdup (reason);   /* @reason may be t->exit_reason itself */

  t->exit_ts = ts;
  t->exit_price = price;
  g_free (t->exit_reason);
  t->exit_reason = why;
  g_free (t->status);
  t->status = g_strdup ("closed");
  hs_paper_pnl (t->side, t->quantity, t->entry_price, price, t->fees, &t->pnl, &t->pnl_pct);
  hs_paper_trade_clear_labels (t);
}

static gboolean
default_price (HsStore      *store,
               int64_t       instrument_id,
               const char   *symbol,
               int64_t       at,
               HsPricePoint *point,
               GError      **error)
{
  gboolean found = FALSE;
  char when[40];

  if (!hs_store_paper_last_price (store, instrument_id, at, &found, point, error))
    return FALSE;
  if (found)
    return TRUE;
  hs_time_format_iso_buf (at, when);
  return paper_fail (error, HS_PAPER_ERROR_NO_PRICE,
                     "no price of %s is stored at or before %s (no bar ended and no trade "
                     "printed by then): give the price", symbol, when);
}

static gboolean
check_signal (HsStore *store,
              int64_t  signal_id,
              GError **error)
{
  gboolean exists = FALSE;

  if (signal_id == 0)
    return TRUE;
  if (!hs_store_paper_signal_exists (store, signal_id, &exists, error))
    return FALSE;
  if (!exists)
    return paper_fail (error, HS_PAPER_ERROR_NOT_FOUND,
                       "signal_id: no signal %" G_GINT64_FORMAT " is stored", signal_id);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The stop / target watch                                                                     */

typedef struct
{
  const HsPaperTrade *trade;
  HsPaperHit          hit;
  double              price;
  int64_t             ts;
} Watch;

static gboolean
watch_bar_cb (const HsBar *bar,
              gpointer     user_data,
              GError     **error)
{
  Watch *w = user_data;

  w->hit = hs_paper_bracket_hit (w->trade->side, w->trade->stop_loss, w->trade->take_profit,
                                 bar->open, bar->high, bar->low, &w->price);
  if (w->hit == HS_PAPER_HIT_NONE)
    return TRUE;
  w->ts = bar->ts;
  return FALSE;   /* found: stop the walk (no error set) */
}

/* Checks the bracketed open trades of one instrument; inside an open transaction. */
static gboolean
check_instrument (HsStore   *store,
                  int64_t    instrument_id,
                  GPtrArray *closed,
                  GError   **error)
{
  g_autoptr(GPtrArray) trades = hs_store_paper_list (store, HS_PAPER_LIST_BRACKETED,
                                                     instrument_id, error);
  const char *interval = NULL;
  int64_t first = INT64_MAX;

  if (trades == NULL)
    return FALSE;
  if (trades->len == 0)
    return TRUE;
  for (guint i = 0; i < trades->len; i++)
    first = MIN (first, ((HsPaperTrade *) trades->pdata[i])->entry_ts);
  /* The finest bars tell the most about the order of events. */
  if (!hs_store_paper_finest_interval (store, instrument_id, first, &interval, error))
    return FALSE;
  if (interval == NULL)
    return TRUE;
  for (guint i = 0; i < trades->len; i++)
    {
      HsPaperTrade *t = trades->pdata[i];
      Watch w = { t, HS_PAPER_HIT_NONE, NAN, 0 };
      g_autoptr(GError) local = NULL;

      /* Only bars that start at or after the entry: an earlier bar's range may predate it. */
      if (!hs_store_each_bar (store, instrument_id, interval, t->entry_ts, G_MAXINT64,
                              watch_bar_cb, &w, &local) && w.hit == HS_PAPER_HIT_NONE)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (w.hit == HS_PAPER_HIT_NONE)
        continue;
      set_exit (t, w.ts, w.price, w.hit == HS_PAPER_HIT_STOP ? "stop_loss" : "take_profit");
      if (!hs_store_paper_update (store, t, error))
        return FALSE;
      if (closed != NULL)
        g_ptr_array_add (closed, g_steal_pointer (&trades->pdata[i]));
    }
  return TRUE;
}

/**
 * hs_paper_check_exits:
 * @instrument_id: the instrument whose open trades to check; 0 for every instrument
 * @closed: (out) (optional) (transfer full) (element-type HsPaperTrade): the trades closed now
 *
 * Closes each open paper trade with a stop loss or take profit that a stored bar touched.
 * The bars are the finest interval stored for the instrument, from the first bar that starts
 * at or after the entry, in time order; the first bar that touches a level closes the trade
 * there (hs_paper_bracket_hit(): a gap through a level exits at the open; when one bar touches
 * both, the stop is assumed first), at that bar's start time, with exit_reason stop_loss or
 * take_profit and status closed. Runs in the caller's transaction or its own.
 */
gboolean
hs_paper_check_exits (HsStore    *store,
                      int64_t     instrument_id,
                      GPtrArray **closed,
                      GError    **error)
{
  g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_paper_trade_free);
  g_autoptr(GArray) ids = NULL;
  gboolean own = FALSE, ok = TRUE;

  g_return_val_if_fail (store != NULL, FALSE);

  if (!hs_store_paper_write_begin (store, &own, error))
    return FALSE;
  if (instrument_id != 0)
    ok = check_instrument (store, instrument_id, done, error);
  else
    {
      ids = hs_store_paper_bracketed_instruments (store, error);
      ok = ids != NULL;
      for (guint i = 0; ok && i < ids->len; i++)
        ok = check_instrument (store, g_array_index (ids, int64_t, i), done, error);
    }
  if (!hs_store_paper_write_end (store, own, ok, error))
    return FALSE;
  if (closed != NULL)
    *closed = g_steal_pointer (&done);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Open, close, tag, note                                                                      */

static gboolean
check_open_request (const HsPaperOpenRequest *req,
                    GError                  **error)
{
  if (req->symbol == NULL || req->symbol[0] == '\0')
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "symbol: is missing");
  if (!(req->quantity > 0) || !isfinite (req->quantity))
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "quantity: must be a number greater than 0");
  if (!isnan (req->price) && (!(req->price > 0) || !isfinite (req->price)))
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "price: must be a number greater than 0");
  if (!isnan (req->stop_loss) && (!(req->stop_loss > 0) || !isfinite (req->stop_loss)))
    return paper_fail (error, HS_PAPER_ERROR_INVALID,
                       "stop_loss: must be a number greater than 0");
  if (!isnan (req->take_profit) && (!(req->take_profit > 0) || !isfinite (req->take_profit)))
    return paper_fail (error, HS_PAPER_ERROR_INVALID,
                       "take_profit: must be a number greater than 0");
  if (!(req->fees >= 0) || !isfinite (req->fees))
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "fees: must be a number ≥ 0");
  for (size_t i = 0; req->tags != NULL && req->tags[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;

      if (!hs_paper_check_tag (req->tags[i], &local))
        return paper_fail (error, HS_PAPER_ERROR_INVALID, "%s", local->message);
    }
  return TRUE;
}

/* Levels and tag errors of core become invalid-request errors of this domain. */
static gboolean
as_invalid (gboolean ok,
            GError **error)
{
  if (!ok && error != NULL && *error != NULL && (*error)->domain == HS_PAPER_TRADE_ERROR)
    {
      (*error)->domain = HS_PAPER_ERROR;
      (*error)->code = HS_PAPER_ERROR_INVALID;
    }
  return ok;
}

static gboolean
open_locked (HsStore                  *store,
             const HsPaperOpenRequest *req,
             HsPaperTrade             *t,
             HsPricePoint             *price_source,
             GError                  **error)
{
  int64_t existing = 0;

  if (!hs_store_paper_resolve_symbol (store, req->symbol, req->exchange, &t->instrument_id,
                                      error))
    {
      map_not_found (error);
      return FALSE;
    }
  t->entry_ts = req->at != HS_PAPER_NO_TS ? req->at : hs_time_now_us ();
  t->entry_price = req->price;
  if (isnan (req->price))
    {
      if (!default_price (store, t->instrument_id, req->symbol, t->entry_ts, price_source,
                          error))
        return FALSE;
      t->entry_price = price_source->price;
    }
  if (!as_invalid (hs_paper_check_levels (t->side, t->entry_price, t->stop_loss,
                                          t->take_profit, error), error)
      || !check_signal (store, t->signal_id, error))
    return FALSE;
  if (!hs_store_paper_find (store, t->instrument_id, t->side, t->entry_ts, &existing, error))
    return FALSE;
  if (existing != 0)
    {
      char when[40];

      hs_time_format_iso_buf (t->entry_ts, when);
      return paper_fail (error, HS_PAPER_ERROR_INVALID,
                         "a %s paper trade of %s at %s exists already (trade %" G_GINT64_FORMAT
                         ")", hs_paper_side_to_string (t->side), req->symbol, when, existing);
    }
  if (!decide_context (store, t, error) || !hs_store_paper_insert (store, t, error))
    return FALSE;
  /* Bars after a past entry may have touched the stop or target already. */
  return check_instrument (store, t->instrument_id, NULL, error);
}

/**
 * hs_paper_open:
 * @price_source: (out caller-allocates) (optional): where the entry price came from when
 *   @req->price was NAN (left alone otherwise)
 *
 * Opens a paper trade: the symbol must be a stored instrument, the price defaults to the last
 * stored price at the entry time (hs_store_paper_last_price()), the stop and target must be on
 * the right side of the entry, the signal must exist, the AI reasoning log must follow its
 * schema (stored canonical). Bars stored after a past entry are checked against the stop and
 * target at once.
 *
 * Returns: (transfer full): the stored trade, or %NULL with %HS_PAPER_ERROR (or a JSON or
 *   store error) set
 */
HsPaperTrade *
hs_paper_open (HsStore                  *store,
               const HsPaperOpenRequest *req,
               HsPricePoint             *price_source,
               GError                  **error)
{
  g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();
  HsPricePoint point = { NAN, 0, "" };
  gboolean own = FALSE, ok;

  g_return_val_if_fail (store != NULL && req != NULL, NULL);

  if (!check_open_request (req, error))
    return NULL;
  t->side = req->side;
  t->quantity = req->quantity;
  t->stop_loss = req->stop_loss;
  t->take_profit = req->take_profit;
  t->fees = req->fees;
  t->signal_id = req->signal_id;
  t->notes = g_strdup (req->notes != NULL && req->notes[0] != '\0' ? req->notes : NULL);
  for (size_t i = 0; req->tags != NULL && req->tags[i] != NULL; i++)
    hs_paper_tags_add (&t->tags, req->tags[i]);
  if (req->ai_reasoning_log != NULL)
    {
      t->ai_reasoning_log = hs_paper_json_check_reasoning (req->ai_reasoning_log, -1, error);
      if (t->ai_reasoning_log == NULL)
        return NULL;
    }
  if (!hs_store_paper_write_begin (store, &own, error))
    return NULL;
  ok = open_locked (store, req, t, &point, error);
  if (!hs_store_paper_write_end (store, own, ok, error))
    return NULL;
  if (price_source != NULL && isnan (req->price))
    *price_source = point;
  return hs_store_paper_load (store, t->id, error);
}

static gboolean
close_locked (HsStore      *store,
              HsPaperTrade *t,
              double        price,
              int64_t       at,
              double        fees,
              const char   *reason,
              HsPricePoint *point,
              GError      **error)
{
  char when[40], entry[40];

  if (!g_str_equal (t->status, "open"))
    {
      hs_time_format_iso_buf (t->exit_ts, when);
      return paper_fail (error, HS_PAPER_ERROR_STATE,
                         "paper trade %" G_GINT64_FORMAT " is %s already (%s at %s)", t->id,
                         t->status, t->exit_reason ? t->exit_reason : "exit", when);
    }
  if (at < t->entry_ts)
    {
      hs_time_format_iso_buf (at, when);
      hs_time_format_iso_buf (t->entry_ts, entry);
      return paper_fail (error, HS_PAPER_ERROR_INVALID,
                         "exit_time: %s is before the entry time %s of trade %" G_GINT64_FORMAT,
                         when, entry, t->id);
    }
  if (isnan (price))
    {
      if (!default_price (store, t->instrument_id, t->symbol, at, point, error))
        return FALSE;
      price = point->price;
    }
  t->fees += fees;
  set_exit (t, at, price, reason);
  return hs_store_paper_update (store, t, error);
}

/**
 * hs_paper_close:
 * @price: the exit price; NAN for the last stored price at @at
 * @at: the exit time; %HS_PAPER_NO_TS for now. Before the entry is refused.
 * @fees: exit fees, added to the trade's fees (>= 0)
 * @reason: (nullable): the exit reason; %NULL for "manual"
 * @price_source: (out caller-allocates) (optional): where the price came from when @price
 *   was NAN
 *
 * Closes an open trade, with P&L net of all its fees.
 *
 * Returns: (transfer full): the closed trade, or %NULL with @error set
 *   (%HS_PAPER_ERROR_STATE when it is not open)
 */
HsPaperTrade *
hs_paper_close (HsStore      *store,
                int64_t       id,
                double        price,
                int64_t       at,
                double        fees,
                const char   *reason,
                HsPricePoint *price_source,
                GError      **error)
{
  g_autoptr(HsPaperTrade) t = NULL;
  HsPricePoint point = { NAN, 0, "" };
  gboolean own = FALSE, ok;

  g_return_val_if_fail (store != NULL, NULL);

  if (!isnan (price) && (!(price > 0) || !isfinite (price)))
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "price: must be a number greater than 0"),
           NULL;
  if (!(fees >= 0) || !isfinite (fees))
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "fees: must be a number ≥ 0"), NULL;
  if (reason == NULL)
    reason = "manual";
  if (!hs_paper_exit_reason_valid (reason))
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "exit_reason: “%s” is not one of %s",
                       reason, hs_paper_exit_reasons ()), NULL;
  if (at == HS_PAPER_NO_TS)
    at = hs_time_now_us ();
  if (!hs_store_paper_write_begin (store, &own, error))
    return NULL;
  t = hs_store_paper_load (store, id, error);
  ok = t != NULL && close_locked (store, t, price, at, fees, reason, &point, error);
  if (t == NULL)
    map_not_found (error);
  if (!hs_store_paper_write_end (store, own, ok, error))
    return NULL;
  if (price_source != NULL && isnan (price))
    *price_source = point;
  return g_steal_pointer (&t);
}

/**
 * hs_paper_tag:
 * @add: %TRUE to add @tag, %FALSE to remove it
 * @changed: (out) (optional): whether the trade's tags changed
 */
gboolean
hs_paper_tag (HsStore    *store,
              int64_t     id,
              const char *tag,
              gboolean    add,
              gboolean   *changed,
              GError    **error)
{
  g_autoptr(HsPaperTrade) t = NULL;
  gboolean own = FALSE, ok, did = FALSE;

  g_return_val_if_fail (store != NULL, FALSE);

  if (add && !as_invalid (hs_paper_check_tag (tag, error), error))
    return FALSE;
  if (!hs_store_paper_write_begin (store, &own, error))
    return FALSE;
  t = hs_store_paper_load (store, id, error);
  ok = t != NULL;
  if (ok)
    {
      did = add ? hs_paper_tags_add (&t->tags, tag) : hs_paper_tags_remove (&t->tags, tag);
      ok = !did || hs_store_paper_update (store, t, error);
    }
  else
    map_not_found (error);
  if (!hs_store_paper_write_end (store, own, ok, error))
    return FALSE;
  if (changed != NULL)
    *changed = did;
  return TRUE;
}

/**
 * hs_paper_note:
 * @text: (nullable): the note, replacing the trade's; %NULL or "" removes it
 */
gboolean
hs_paper_note (HsStore    *store,
               int64_t     id,
               const char *text,
               GError    **error)
{
  g_autoptr(HsPaperTrade) t = NULL;
  gboolean own = FALSE, ok;

  g_return_val_if_fail (store != NULL, FALSE);

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    return paper_fail (error, HS_PAPER_ERROR_INVALID, "notes: must be UTF-8 text");
  if (!hs_store_paper_write_begin (store, &own, error))
    return FALSE;
  t = hs_store_paper_load (store, id, error);
  ok = t != NULL;
  if (ok)
    {
      g_free (t->notes);
      t->notes = g_strdup (text != NULL && text[0] != '\0' ? text : NULL);
      ok = hs_store_paper_update (store, t, error);
    }
  else
    map_not_found (error);
  return hs_store_paper_write_end (store, own, ok, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Import                                                                                      */

typedef struct
{
  const char          *path;
  size_t               line;
  HsPaperImportResult *result;
  GHashTable          *instruments;   /* (owned) "symbol\x1fexchange" → int64_t id */
  GArray              *touched;       /* (owned) instrument ids written */
} PaperImport;

static gboolean G_GNUC_PRINTF (3, 4)
bad_line (PaperImport *im,
          GError     **error,
          const char  *format,
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

static gboolean
same_double (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

/* Replaces *@stored by @given when @given is set and differs. */
static void
take_text (char    **stored,
           char    **given,
           gboolean *changed)
{
  if (*given != NULL && g_strcmp0 (*stored, *given) != 0)
    {
      g_free (*stored);
      *stored = g_steal_pointer (given);
      *changed = TRUE;
    }
}

/* A line about a trade that is stored already (re-import, or a bot's later line about the
 * same position): docs/paper-trades.md, "Importing the same trade again". The entry cannot
 * change; an exit, fees, stop, target, signal, notes, context objects and the reasoning log
 * the line gives replace the stored ones; tags are merged; an exit the line does not give is
 * kept. */
static gboolean
merge_line (PaperImport  *im,
            HsPaperTrade *s,
            HsPaperTrade *l,
            gboolean     *changed,
            GError      **error)
{
  g_autoptr(GError) local = NULL;
  gboolean exit_changed = FALSE;
  char a[32], b[32];

  *changed = FALSE;
  if (l->quantity != s->quantity || l->entry_price != s->entry_price)
    {
      gboolean qty = l->quantity != s->quantity;

      hs_format_double (qty ? l->quantity : l->entry_price, a);
      hs_format_double (qty ? s->quantity : s->entry_price, b);
      return bad_line (im, error, "%s: %s differs from %s of the stored trade %" G_GINT64_FORMAT
                       " with the same symbol, side and entry_time (an import may add an exit "
                       "or update a trade, not change its entry)",
                       qty ? "quantity" : "entry_price", a, b, s->id);
    }
  if (!isnan (l->fees) && l->fees != s->fees)
    {
      s->fees = l->fees;
      exit_changed = TRUE;
    }
  if (l->exit_ts != HS_PAPER_NO_TS
      && (l->exit_ts != s->exit_ts || !same_double (l->exit_price, s->exit_price)
          || (l->exit_reason != NULL && g_strcmp0 (l->exit_reason, s->exit_reason) != 0)
          || !g_str_equal (s->status, "closed")))
    {
      /* A line without a reason keeps the stored one for the same exit (the watch's). */
      if (l->exit_reason != NULL || l->exit_ts != s->exit_ts
          || !same_double (l->exit_price, s->exit_price))
        {
          g_free (s->exit_reason);
          s->exit_reason = g_steal_pointer (&l->exit_reason);
        }
      s->exit_ts = l->exit_ts;
      s->exit_price = l->exit_price;
      exit_changed = TRUE;
    }
  if (exit_changed && s->exit_ts != HS_PAPER_NO_TS)
    set_exit (s, s->exit_ts, s->exit_price, s->exit_reason);
  *changed = exit_changed;
  if (!isnan (l->stop_loss) && l->stop_loss != s->stop_loss)
    {
      s->stop_loss = l->stop_loss;
      *changed = TRUE;
    }
  if (!isnan (l->take_profit) && l->take_profit != s->take_profit)
    {
      s->take_profit = l->take_profit;
      *changed = TRUE;
    }
  if (l->signal_id != 0 && l->signal_id != s->signal_id)
    {
      s->signal_id = l->signal_id;
      *changed = TRUE;
    }
  take_text (&s->notes, &l->notes, changed);
  take_text (&s->signals_snapshot, &l->signals_snapshot, changed);
  take_text (&s->market_regime, &l->market_regime, changed);
  take_text (&s->order_book_state, &l->order_book_state, changed);
  take_text (&s->ai_reasoning_log, &l->ai_reasoning_log, changed);
  for (size_t i = 0; l->tags[i] != NULL; i++)
    if (hs_paper_tags_add (&s->tags, l->tags[i]))
      *changed = TRUE;
  if (!hs_paper_check_levels (s->side, s->entry_price, s->stop_loss, s->take_profit, &local))
    return bad_line (im, error, "%s", local->message);
  return TRUE;
}

/* The instrument a line names, looked up once per symbol and exchange. */
static gboolean
line_instrument (HsStore      *store,
                 PaperImport  *im,
                 HsPaperTrade *t,
                 GError      **error)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%s", t->symbol, t->exchange ? t->exchange : "");
  int64_t *id = g_hash_table_lookup (im->instruments, key);
  g_autoptr(GError) local = NULL;

  if (id != NULL)
    {
      t->instrument_id = *id;
      return TRUE;
    }
  if (!hs_store_paper_resolve_symbol (store, t->symbol, t->exchange, &t->instrument_id, &local))
    {
      if (g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
        return bad_line (im, error, "%s: %s", t->exchange != NULL ? "symbol/exchange" : "symbol",
                         local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_hash_table_insert (im->instruments, g_steal_pointer (&key),
                       g_memdup2 (&t->instrument_id, sizeof t->instrument_id));
  return TRUE;
}

static gboolean
import_line (HsStore     *store,
             PaperImport *im,
             const char  *line,
             size_t       len,
             GError     **error)
{
  g_autoptr(HsPaperTrade) t = hs_paper_trade_new ();
  g_autoptr(HsPaperTrade) stored = NULL;
  g_autoptr(GError) local = NULL;
  int64_t existing = 0;
  gboolean changed = FALSE;

  if (!hs_paper_json_parse_line (line, len, t, &local))
    return bad_line (im, error, "%s", local->message);
  if (!line_instrument (store, im, t, error))
    return FALSE;
  if (!hs_paper_check_levels (t->side, t->entry_price, t->stop_loss, t->take_profit, &local))
    return bad_line (im, error, "%s", local->message);
  if (!check_signal (store, t->signal_id, &local))
    {
      if (g_error_matches (local, HS_PAPER_ERROR, HS_PAPER_ERROR_NOT_FOUND))
        return bad_line (im, error, "%s", local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!hs_store_paper_find (store, t->instrument_id, t->side, t->entry_ts, &existing, error))
    return FALSE;
  g_array_append_val (im->touched, t->instrument_id);
  if (existing == 0)
    {
      if (isnan (t->fees))
        t->fees = 0;
      if (t->exit_ts != HS_PAPER_NO_TS)
        set_exit (t, t->exit_ts, t->exit_price, t->exit_reason);
      if (!decide_context (store, t, error) || !hs_store_paper_insert (store, t, &local))
        {
          if (local != NULL)
            return bad_line (im, error, "%s", local->message);
          return FALSE;
        }
      im->result->inserted++;
      return TRUE;
    }
  stored = hs_store_paper_load (store, existing, error);
  if (stored == NULL || !merge_line (im, stored, t, &changed, error))
    return FALSE;
  if (!changed)
    {
      im->result->unchanged++;
      return TRUE;
    }
  if (!hs_store_paper_update (store, stored, &local))
    return bad_line (im, error, "%s", local->message);
  im->result->updated++;
  return TRUE;
}

static int
compare_id (gconstpointer a,
            gconstpointer b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

  return x < y ? -1 : x > y;
}

static gboolean
import_locked (HsStore     *store,
               PaperImport *im,
               HsCsvReader *reader,
               GError     **error)
{
  g_autoptr(GPtrArray) closed = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_paper_trade_free);
  int64_t previous = 0;

  for (;;)
    {
      g_autoptr(GError) local = NULL;
      char *line = NULL;
      size_t len = 0;
      int rc = hs_csv_reader_next_line (reader, &line, &len, &local);

      im->line = hs_csv_reader_line (reader);
      if (rc < 0)
        return bad_line (im, error, "%s", local->message);
      if (rc == 0)
        break;
      im->result->lines++;
      if (!import_line (store, im, line, len, error))
        return FALSE;
    }
  if (im->result->lines == 0)
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT,
                   "%s: the file has no JSON lines", im->path);
      return FALSE;
    }
  /* Watch the stops and targets of the instruments written, each once. */
  g_array_sort (im->touched, compare_id);
  for (guint i = 0; i < im->touched->len; i++)
    {
      int64_t id = g_array_index (im->touched, int64_t, i);

      if (id == previous)
        continue;
      previous = id;
      if (!check_instrument (store, id, closed, error))
        return FALSE;
    }
  im->result->closed = closed->len;
  return TRUE;
}

/**
 * hs_paper_import:
 * @path: a JSON Lines file, one trade per line (docs/paper-trades.md)
 * @result: (out caller-allocates): counts
 *
 * Imports paper trades all or nothing: the first refused line rolls back everything and is
 * reported as %HS_IMPORT_ERROR_BAD_INPUT "FILE:LINE: field: reason". A line whose symbol, side
 * and entry time match a stored trade updates it (merge_line()), so importing a file again
 * changes nothing. Afterwards the stops and targets of the instruments written are checked
 * against the stored bars.
 */
gboolean
hs_paper_import (HsStore             *store,
                 const char          *path,
                 HsPaperImportResult *result,
                 GError             **error)
{
  g_autoptr(HsCsvReader) reader = NULL;
  g_autoptr(GError) local = NULL;
  PaperImport im = { 0 };
  gboolean own = FALSE, ok;

  g_return_val_if_fail (store != NULL && path != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  reader = hs_csv_reader_open (path, &local);
  if (reader == NULL)
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT, "%s: %s", path,
                   local->message);
      return FALSE;
    }
  im.path = path;
  im.result = result;
  im.instruments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im.touched = g_array_new (FALSE, FALSE, sizeof (int64_t));
  ok = hs_store_paper_write_begin (store, &own, error);
  if (ok)
    {
      ok = import_locked (store, &im, reader, error);
      ok = hs_store_paper_write_end (store, own, ok, error);
    }
  g_hash_table_unref (im.instruments);
  g_array_unref (im.touched);
  if (!ok)
    memset (result, 0, sizeof *result);
  return ok;
}
