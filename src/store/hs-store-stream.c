/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a live stream needs from the store besides the market-data writers: the gaps it saw
 * (stream_gaps, migrations/016), and where the stored trades of an instrument end, so that a
 * restarted stream continues their ordinals and cumulative volume delta and skips the trades a
 * reconnect delivers again. Load: a few statements per batch of a stream, a few a second.
 */
#define G_LOG_DOMAIN "hs-store"

#include "config.h"

#include "hs-store-stream.h"
#include "hs-store-private.h"

#include <string.h>

void
hs_stream_gap_free (HsStreamGap *gap)
{
  if (gap == NULL)
    return;
  g_free (gap->provider);
  g_free (gap->channel);
  g_free (gap->kind);
  g_free (gap->resync);
  g_free (gap->resync_error);
  g_free (gap->detail);
  g_free (gap);
}

void
hs_last_trade_clear (HsLastTrade *last)
{
  g_clear_pointer (&last->trade_id, g_free);
}

/**
 * hs_store_insert_stream_gap:
 * @gap: the gap; its id is set on success
 *
 * Writes one row of stream_gaps, in the caller's transaction if there is one. A gap with the
 * same instrument, provider, kind and detected_at as a stored one is not written again.
 */
gboolean
hs_store_insert_stream_gap (HsStore     *store,
                            HsStreamGap *gap,
                            GError     **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "INSERT INTO stream_gaps (instrument_id, provider, channel, kind, detected_at, ts, "
    "from_seq, to_seq, resync, resync_error, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
    "ON CONFLICT DO NOTHING", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, gap->instrument_id);
  sqlite3_bind_text (stmt, 2, gap->provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, gap->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, gap->kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, gap->detected_at);
  if (gap->ts > 0)
    sqlite3_bind_int64 (stmt, 6, gap->ts);
  if (gap->from_seq >= 0)
    {
      sqlite3_bind_int64 (stmt, 7, gap->from_seq);
      sqlite3_bind_int64 (stmt, 8, gap->to_seq);
    }
  sqlite3_bind_text (stmt, 9, gap->resync ? gap->resync : "none", -1, SQLITE_STATIC);
  hs_bind_text_or_null (stmt, 10, gap->resync_error);
  sqlite3_bind_text (stmt, 11, gap->detail ? gap->detail : "{}", -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "recording a stream gap");
  gap->id = sqlite3_last_insert_rowid (hs_store_get_db (store));
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/**
 * hs_store_list_stream_gaps:
 * @instrument_id: the instrument, or 0 for every instrument
 *
 * Returns: (transfer full) (element-type HsStreamGap): the gaps, oldest first
 */
GPtrArray *
hs_store_list_stream_gaps (HsStore *store,
                           int64_t  instrument_id,
                           GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_stream_gap_free);
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT id, instrument_id, provider, channel, kind, detected_at, ts, from_seq, to_seq, "
    "resync, resync_error, detail FROM stream_gaps WHERE ?1 = 0 OR instrument_id = ?1 "
    "ORDER BY detected_at, id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      HsStreamGap *gap = g_new0 (HsStreamGap, 1);

      gap->id = sqlite3_column_int64 (stmt, 0);
      gap->instrument_id = sqlite3_column_int64 (stmt, 1);
      gap->provider = column_dup (stmt, 2);
      gap->channel = column_dup (stmt, 3);
      gap->kind = column_dup (stmt, 4);
      gap->detected_at = sqlite3_column_int64 (stmt, 5);
      gap->ts = sqlite3_column_int64 (stmt, 6);
      gap->from_seq = sqlite3_column_type (stmt, 7) == SQLITE_NULL
                      ? -1 : sqlite3_column_int64 (stmt, 7);
      gap->to_seq = sqlite3_column_type (stmt, 8) == SQLITE_NULL
                    ? -1 : sqlite3_column_int64 (stmt, 8);
      gap->resync = column_dup (stmt, 9);
      gap->resync_error = column_dup (stmt, 10);
      gap->detail = column_dup (stmt, 11);
      g_ptr_array_add (out, gap);
    }
  if (rc != SQLITE_DONE)
    {
      hs_store_set_error (store, rc, error, "listing stream gaps");
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * hs_store_last_trade:
 * @out: (out caller-allocates): the newest trade by (ts, seq); found is %FALSE when the
 *   instrument has no trades. Clear it with hs_last_trade_clear().
 */
gboolean
hs_store_last_trade (HsStore     *store,
                     int64_t      instrument_id,
                     HsLastTrade *out,
                     GError     **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT ts, seq, trade_id, cvd_at_trade FROM trades WHERE instrument_id = ? "
    "ORDER BY ts DESC, seq DESC LIMIT 1", error);
  int rc;

  memset (out, 0, sizeof *out);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->found = TRUE;
      out->ts = sqlite3_column_int64 (stmt, 0);
      out->seq = sqlite3_column_int64 (stmt, 1);
      out->trade_id = column_dup (stmt, 2);
      out->cvd = sqlite3_column_double (stmt, 3);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return hs_store_set_error (store, rc, error, "reading the last trade");
  return TRUE;
}

/**
 * hs_store_next_trade_seq:
 * @seq: (out): one more than the highest seq of the instrument's trades at @ts, or 0
 *
 * The ordinal a trade arriving out of time order takes among the stored trades of its
 * microsecond.
 */
gboolean
hs_store_next_trade_seq (HsStore *store,
                         int64_t  instrument_id,
                         int64_t  ts,
                         int64_t *seq,
                         GError **error)
{
  g_autoptr(HsStmt) stmt = hs_store_prepare (store,
    "SELECT coalesce(max(seq) + 1, 0) FROM trades WHERE instrument_id = ? AND ts = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_int64 (stmt, 2, ts);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return hs_store_set_error (store, rc, error, "reading trade ordinals");
  *seq = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}
