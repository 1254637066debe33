/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trade inspector's reads and writes, each on a worker with its own connection
 * (hs-job-worker.h). A load is one trade row, three small JSON objects and the reasoning log
 * parsed, and at most HS_INSPECT_MAX_SPAN_MIN + 45 minute bars: well under a millisecond on
 * the generated dataset. An edit goes through the functions `hindsight-cli paper tag|untag|
 * note` use (hs_paper_tag(), hs_paper_note()), so the rules (tag length, characters) are theirs,
 * and returns the row as stored afterwards.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-inspect-job.h"

#include "hs-job-worker.h"
#include "hs-paper.h"
#include "hs-store-market.h"
#include "hs-store-paper.h"

#define MINUTE_US ((int64_t) 60 * G_USEC_PER_SEC)

void
hs_inspect_data_free (HsInspectData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->trade, hs_paper_trade_free);
  g_clear_pointer (&data->reasoning, json_node_unref);
  g_clear_pointer (&data->signals_snapshot, json_node_unref);
  g_clear_pointer (&data->market_regime, json_node_unref);
  g_clear_pointer (&data->order_book_state, json_node_unref);
  g_clear_pointer (&data->bars, hs_bars_free);
  g_free (data);
}

/**
 * hs_inspect_window:
 * @from_ts: (out): the first bar start of the replay
 * @to_ts: (out): the last bar start
 *
 * The replay window of @trade: from HS_INSPECT_BEFORE_MIN minutes before the entry's minute to
 * HS_INSPECT_AFTER_MIN minutes after the 1-hour horizon, or after the exit when that is later
 * (up to HS_INSPECT_MAX_SPAN_MIN minutes after the entry, so a trade held for days still shows
 * its first session rather than thousands of bars).
 */
void
hs_inspect_window (const HsPaperTrade *trade,
                   int64_t            *from_ts,
                   int64_t            *to_ts)
{
  int64_t minute = trade->entry_ts - ((trade->entry_ts % MINUTE_US) + MINUTE_US) % MINUTE_US;
  int64_t end = trade->entry_ts + (60 + HS_INSPECT_AFTER_MIN) * MINUTE_US;

  if (trade->exit_ts != HS_PAPER_NO_TS)
    end = MAX (end, MIN (trade->exit_ts + HS_INSPECT_AFTER_MIN * MINUTE_US,
                         trade->entry_ts + HS_INSPECT_MAX_SPAN_MIN * MINUTE_US));
  *from_ts = minute - HS_INSPECT_BEFORE_MIN * MINUTE_US;
  *to_ts = end;
}

/* The parsed object of a JSON column, NULL when the column is NULL or not an object (the
 * inspector then says so rather than showing half of it). */
static JsonNode *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (text == NULL)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_ref (root);
}

static gpointer
load_run (HsStore           *store,
          gconstpointer      request,
          HsJobProgressFunc  progress,
          gpointer           progress_data,
          GCancellable      *cancellable,
          GError           **error)
{
  const int64_t *id = request;
  g_autoptr(HsInspectData) d = g_new0 (HsInspectData, 1);

  d->trade = hs_store_paper_load (store, *id, error);
  if (d->trade == NULL)
    return NULL;
  d->reasoning = parse_object (d->trade->ai_reasoning_log);
  d->signals_snapshot = parse_object (d->trade->signals_snapshot);
  d->market_regime = parse_object (d->trade->market_regime);
  d->order_book_state = parse_object (d->trade->order_book_state);
  hs_inspect_window (d->trade, &d->from_ts, &d->to_ts);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  d->bars = hs_store_load_bars (store, d->trade->instrument_id, "1m", d->from_ts, d->to_ts,
                                error);
  if (d->bars == NULL)
    return NULL;
  return g_steal_pointer (&d);
}

/**
 * hs_inspect_job_load_async:
 *
 * Reads paper trade @trade_id with everything the inspector shows. An unknown id fails with
 * the store's HS_STORE_ERROR_NOT_FOUND.
 */
void
hs_inspect_job_load_async (const char          *db_path,
                           int64_t              trade_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  hs_job_run_async (db_path, g_memdup2 (&trade_id, sizeof trade_id), g_free, load_run,
                    (GDestroyNotify) hs_inspect_data_free, NULL, NULL, cancellable, callback,
                    user_data, hs_inspect_job_load_async, "hs-inspect-load");
}

/* Returns: (transfer full): the trade's data, or %NULL with @error set */
HsInspectData *
hs_inspect_job_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  return hs_job_run_finish (result, hs_inspect_job_load_async, error);
}

typedef struct
{
  int64_t           id;
  HsInspectEditKind kind;
  char             *text;
} Edit;

static void
edit_free (gpointer data)
{
  Edit *e = data;

  g_free (e->text);
  g_free (e);
}

static gpointer
edit_run (HsStore           *store,
          gconstpointer      request,
          HsJobProgressFunc  progress,
          gpointer           progress_data,
          GCancellable      *cancellable,
          GError           **error)
{
  const Edit *e = request;
  gboolean ok;

  if (e->kind == HS_INSPECT_EDIT_NOTE)
    ok = hs_paper_note (store, e->id, e->text, error);
  else
    ok = hs_paper_tag (store, e->id, e->text, e->kind == HS_INSPECT_EDIT_TAG_ADD, NULL, error);
  if (!ok)
    return NULL;
  return hs_store_paper_load (store, e->id, error);
}

/**
 * hs_inspect_job_edit_async:
 * @text: the tag to add or remove, or the note (%NULL or "" removes it)
 *
 * Adds or removes one tag of paper trade @trade_id, or replaces its note, as `paper tag`,
 * `paper untag` and `paper note` do. A bad tag fails with HS_PAPER_TRADE_ERROR_INVALID and
 * the rule's text.
 */
void
hs_inspect_job_edit_async (const char          *db_path,
                           int64_t              trade_id,
                           HsInspectEditKind    kind,
                           const char          *text,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Edit *e = g_new0 (Edit, 1);

  e->id = trade_id;
  e->kind = kind;
  e->text = g_strdup (text);
  hs_job_run_async (db_path, e, edit_free, edit_run, (GDestroyNotify) hs_paper_trade_free,
                    NULL, NULL, cancellable, callback, user_data, hs_inspect_job_edit_async,
                    "hs-inspect-edit");
}

/* Returns: (transfer full): the trade as stored after the edit, or %NULL with @error set */
HsPaperTrade *
hs_inspect_job_edit_finish (GAsyncResult  *result,
                            GError       **error)
{
  return hs_job_run_finish (result, hs_inspect_job_edit_async, error);
}
