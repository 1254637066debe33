/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backfills: a fetch job (hs-fetch.c) over a long range whose resume point is saved in
 * backfill_state in the transaction of every window it stores, so a run stopped anywhere goes
 * on, next time, from the first window it had not stored; and the backfill of exactly the
 * missing candle ranges the gap report finds (hs_gaps_candle_ranges), one fetch per range.
 * Load: one state update per window (a provider request of hundreds of bars).
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-backfill.h"

#include <string.h>

#include "hs-gaps-job.h"
#include "hs-store-market.h"
#include "hs-store-watch.h"
#include "hs-time.h"

void
hs_backfill_result_clear (HsBackfillResult *result)
{
  hs_fetch_result_clear (&result->fetch);
}

typedef struct
{
  int64_t state_id;
  int64_t inserted;   /* the result's count after the last window */
  int64_t to;         /* the walk's end */
  int64_t now;
} Saver;

/* A candle cursor is the ISO-8601 start of the next window; trade cursors are ids or times in
 * the provider's own unit. */
static int64_t
cursor_time (const char *cursor)
{
  int64_t ts = 0;

  if (cursor == NULL || strlen (cursor) < 10 || cursor[4] != '-'
      || !hs_time_parse (cursor, NULL, &ts, NULL))
    return 0;
  return ts;
}

static gboolean
save_window (HsStore             *store,
             const char          *next_cursor,
             const HsFetchResult *result,
             gpointer             data,
             GError             **error)
{
  Saver *saver = data;
  int64_t added = result->inserted - saver->inserted;

  saver->inserted = result->inserted;
  return hs_store_backfill_save (store, saver->state_id, next_cursor, cursor_time (next_cursor),
                                 added, next_cursor == NULL, saver->to, saver->now, error);
}

static gboolean
check_request (const HsFetchRequest *request,
               GError              **error)
{
  if (request->kind != HS_FETCH_CANDLES && request->kind != HS_FETCH_TRADES)
    {
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                   "a backfill fetches candles or trades, not %s",
                   hs_fetch_kind_to_string (request->kind));
      return FALSE;
    }
  if (request->symbol == NULL || request->symbol[0] == '\0' || request->provider == NULL)
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                           "a backfill needs a provider and a symbol");
      return FALSE;
    }
  if (request->kind == HS_FETCH_CANDLES && request->interval == NULL)
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                           "a backfill of candles needs an interval");
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_backfill_run:
 * @store: the job's connection, not inside a transaction
 * @request: what to fetch: candles or trades, with @request->from the start of the history
 *   (required) and @request->to its end (0: now); max_pages is the most windows this run stores
 * @result: (out caller-allocates): clear with hs_backfill_result_clear()
 *
 * Fetches the range window by window. The backfill is known by (provider, symbol, kind,
 * interval, start): a second run of one that stopped goes on from its saved cursor; one that
 * reached "now" starts again where it got to, up to the new now; one that reached a fixed end
 * has nothing to do (result->up_to_date). A failing window leaves the state at the window
 * before and its message in backfill_state.last_error.
 */
gboolean
hs_backfill_run (HsStore              *store,
                 const HsFetchRequest *request,
                 HsJobProgressFunc     progress,
                 gpointer              progress_data,
                 GCancellable         *cancellable,
                 HsBackfillResult     *result,
                 GError              **error)
{
  g_autoptr(HsBackfillState) state = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(HsFetchRequest) walk = { 0 };
  Saver saver = { 0 };
  int64_t now = request->now > 0 ? request->now : hs_time_now_us ();
  int64_t clock = hs_time_now_us ();
  gboolean ok;

  g_return_val_if_fail (store != NULL && request != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  hs_fetch_result_init (&result->fetch);
  if (!check_request (request, error))
    return FALSE;
  if (request->from <= 0)
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                           "a backfill needs the start of the history (from)");
      return FALSE;
    }
  if (request->to > 0 && request->to < request->from)
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                           "the backfill's end is before its start");
      return FALSE;
    }
  state = hs_store_backfill_get (store, request->provider, request->symbol,
                                 hs_fetch_kind_to_string (request->kind), request->interval,
                                 request->from, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  walk = *request;
  walk.provider = g_strdup (request->provider);
  walk.symbol = g_strdup (request->symbol);
  walk.interval = g_strdup (request->interval);
  walk.base_url = g_strdup (request->base_url);
  walk.token = g_strdup (request->token);
  walk.cursor = NULL;
  walk.now = now;
  if (state == NULL)
    {
      if (!hs_store_backfill_create (store, request->provider, request->symbol,
                                     hs_fetch_kind_to_string (request->kind), request->interval,
                                     request->from, request->to, clock, &result->state_id,
                                     error))
        return FALSE;
    }
  else
    {
      result->state_id = state->id;
      if (state->done)
        {
          /* Reached its fixed end already; or reached "now" then, and goes on to now. */
          if (state->end_ts > 0 && (request->to == 0 || request->to <= state->end_ts))
            {
              result->done = result->up_to_date = TRUE;
              result->fetch.complete = TRUE;
              result->windows = state->windows;
              return TRUE;
            }
          if (!hs_store_backfill_restart (store, state->id, request->to, clock, error))
            return FALSE;
          walk.from = state->covered_to;
          result->resumed = TRUE;
          result->resumed_from = walk.from;
        }
      else if (state->cursor != NULL)
        {
          walk.cursor = g_strdup (state->cursor);
          result->resumed = TRUE;
          result->resumed_from = state->resume_from;
        }
      else if (state->resume_from > 0)
        walk.from = state->resume_from;
      if (walk.to == 0 && state->end_ts > 0 && !state->done)
        walk.to = state->end_ts;
    }
  saver.state_id = result->state_id;
  saver.to = walk.to > 0 ? walk.to : now;
  saver.now = clock;
  ok = hs_fetch_run_with (store, NULL, &walk, save_window, &saver, progress, progress_data,
                          cancellable, &result->fetch, &local);
  if (!ok)
    {
      g_autoptr(GError) ignored = NULL;

      hs_store_backfill_fail (store, result->state_id,
                              g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                              ? "stopped before its end (cancelled)" : local->message,
                              clock, &ignored);
    }
  g_clear_pointer (&state, hs_backfill_state_free);
  state = hs_store_backfill_get (store, request->provider, request->symbol,
                                 hs_fetch_kind_to_string (request->kind), request->interval,
                                 request->from, NULL);
  if (state != NULL)
    {
      result->done = state->done;
      result->windows = state->windows;
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

/**
 * hs_backfill_gaps:
 * @request: candles of a provider, symbol and interval; from/to (0: all stored bars) bound the
 *   range the gaps are looked for in
 *
 * Fetches exactly the missing ranges hs_gaps_candle_ranges() reports for the instrument the
 * provider's rows are stored under, one fetch per range [start, end). A range whose fetch fails
 * is counted (result->gaps_failed) and the others still fetched; the error then names how many
 * failed and the first reason.
 */
gboolean
hs_backfill_gaps (HsStore              *store,
                  const HsFetchRequest *request,
                  HsJobProgressFunc     progress,
                  gpointer              progress_data,
                  GCancellable         *cancellable,
                  HsBackfillResult     *result,
                  GError              **error)
{
  const HsProvider *provider = NULL;
  g_autofree char *symbol = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GError) first = NULL;
  g_autoptr(GError) local = NULL;
  int64_t id = 0;

  g_return_val_if_fail (store != NULL && request != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  hs_fetch_result_init (&result->fetch);
  if (!check_request (request, error))
    return FALSE;
  if (request->kind != HS_FETCH_CANDLES)
    {
      g_set_error_literal (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                           "gaps are found in candles: a backfill of gaps needs an interval");
      return FALSE;
    }
  provider = hs_provider_lookup (request->provider);
  if (provider == NULL)
    {
      g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE, "unknown provider “%s”",
                   request->provider);
      return FALSE;
    }
  symbol = hs_fetch_instrument_symbol (provider, request->symbol);
  if (!hs_store_find_instrument (store, symbol, provider->exchange, &id, &local))
    {
      if (g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_NOT_FOUND))
        g_set_error (error, HS_FETCH_ERROR, HS_FETCH_ERROR_USAGE,
                     "no %s instrument %s is stored: nothing to find gaps in (backfill --from "
                     "first)", provider->name, symbol);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  ranges = hs_gaps_candle_ranges (store, id, request->interval,
                                  request->from > 0 ? request->from : G_MININT64,
                                  request->to > 0 ? request->to : G_MAXINT64, cancellable, error);
  if (ranges == NULL)
    return FALSE;
  result->gaps = ranges->len;
  for (guint i = 0; i < ranges->len; i++)
    {
      const HsGapRange *g = &g_array_index (ranges, HsGapRange, i);
      g_auto(HsFetchRequest) one = { 0 };
      g_auto(HsFetchResult) part = { 0 };
      g_autoptr(GError) failure = NULL;

      one = *request;
      one.provider = g_strdup (request->provider);
      one.symbol = g_strdup (request->symbol);
      one.interval = g_strdup (request->interval);
      one.base_url = g_strdup (request->base_url);
      one.token = g_strdup (request->token);
      one.cursor = NULL;
      one.from = g->start;
      one.to = g->end - 1;
      if (!hs_fetch_run_with (store, NULL, &one, NULL, NULL, NULL, NULL, cancellable, &part,
                              &failure))
        {
          if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              hs_fetch_result_add (&result->fetch, &part);
              g_propagate_error (error, g_steal_pointer (&failure));
              return FALSE;
            }
          result->gaps_failed++;
          if (first == NULL)
            first = g_steal_pointer (&failure);
        }
      hs_fetch_result_add (&result->fetch, &part);
      if (progress != NULL)
        {
          g_autofree char *message = g_strdup_printf ("gap %u of %u", i + 1, ranges->len);

          progress ((double) (i + 1) / ranges->len, message, progress_data);
        }
    }
  result->done = result->gaps_failed == 0;
  result->fetch.complete = result->done;
  if (first != NULL)
    {
      g_set_error (error, first->domain, first->code,
                   "%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " gaps could not be fetched; "
                   "the first: %s", result->gaps_failed, result->gaps, first->message);
      return FALSE;
    }
  return TRUE;
}
