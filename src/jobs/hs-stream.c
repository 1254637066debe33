/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A live stream: one WebSocket feed (Coinbase Advanced Trade, the Coinbase Exchange feed, or
 * Kraken v2) of one product, run on the calling thread with its own GMainContext, SoupSession
 * and database connection (hs_stream_async() gives it a worker thread).
 *
 * Every frame is parsed by the provider's parser (src/fetch/hs-ws-*.c) and checked:
 *  - Coinbase Advanced Trade's sequence_num must count up by one per message on a connection;
 *  - trade ids must count up by one per product (Coinbase and Kraken both number trades so);
 *    a trade whose id is not above the last one is a repeat (a reconnect's snapshot) and is
 *    skipped, so nothing is stored twice;
 *  - Kraken's book checksum must match the CRC32 of the local book's top ten levels.
 * A break is recorded in stream_gaps and repaired: the book from a REST snapshot through the
 * caller's resync_book callback and by subscribing the book channel again (the feed's own fresh
 * snapshot); missing trades through the caller's fill_trades callback. Updates go on applying
 * to the repaired book.
 *
 * Trades get their ordinal among trades of the same microsecond and their running cumulative
 * volume delta (continuing the stored trades of the instrument), and are written with the book
 * snapshots (at most one per book_interval of exchange time) and the gaps in one transaction
 * per batch: every 250 ms, or sooner past 512 rows. A dropped connection is opened again after
 * a back-off that doubles up to a maximum, with jitter; so is one that stays silent past the
 * idle timeout. Cancellation stops it within one turn of the loop.
 *
 * Load: tens to hundreds of frames a second, a batch write every 250 ms.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-stream.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "hs-json-records.h"
#include "hs-store-market.h"
#include "hs-store-stream.h"
#include "hs-store.h"
#include "hs-time.h"
#include "hs-ws-coinbase.h"
#include "hs-ws-kraken.h"

#define FLUSH_INTERVAL_MS 250
#define FLUSH_ROWS        512
#define MAX_FRAME_BYTES   (64 * 1024 * 1024)

typedef struct
{
  const char *name;
  const char *exchange;
  const char *variable;
  const char *url;
} ProviderInfo;

static const ProviderInfo providers[] = {
  [HS_STREAM_COINBASE] = { "coinbase", "coinbase", "HINDSIGHT_COINBASE_WS_URL",
                           HS_WS_COINBASE_ADVANCED_URL },
  [HS_STREAM_COINBASE_EXCHANGE] = { "coinbase-exchange", "coinbase",
                                    "HINDSIGHT_COINBASE_EXCHANGE_WS_URL",
                                    HS_WS_COINBASE_EXCHANGE_URL },
  [HS_STREAM_KRAKEN] = { "kraken", "kraken", "HINDSIGHT_KRAKEN_WS_URL", HS_WS_KRAKEN_URL },
};

/* Defaults: see the fields of HsStreamRequest. */
void
hs_stream_request_init (HsStreamRequest *request)
{
  memset (request, 0, sizeof *request);
  request->price_decimals = -1;
  request->qty_decimals = -1;
}

const char *
hs_stream_provider_to_string (HsStreamProvider provider)
{
  g_return_val_if_fail ((unsigned) provider < G_N_ELEMENTS (providers), NULL);
  return providers[provider].name;
}

gboolean
hs_stream_provider_from_string (const char       *text,
                                HsStreamProvider *out)
{
  for (size_t i = 0; i < G_N_ELEMENTS (providers); i++)
    if (g_strcmp0 (text, providers[i].name) == 0)
      {
        *out = (HsStreamProvider) i;
        return TRUE;
      }
  return FALSE;
}

/* The exchange of the instrument the stream writes to: both Coinbase feeds are one market. */
const char *
hs_stream_provider_exchange (HsStreamProvider provider)
{
  g_return_val_if_fail ((unsigned) provider < G_N_ELEMENTS (providers), NULL);
  return providers[provider].exchange;
}

/* The environment variable that overrides the provider's WebSocket URL. */
const char *
hs_stream_url_variable (HsStreamProvider provider)
{
  g_return_val_if_fail ((unsigned) provider < G_N_ELEMENTS (providers), NULL);
  return providers[provider].variable;
}

/* Returns: (transfer full): the URL in the provider's variable, else its public feed */
char *
hs_stream_default_url (HsStreamProvider provider)
{
  const char *env;

  g_return_val_if_fail ((unsigned) provider < G_N_ELEMENTS (providers), NULL);
  env = g_getenv (providers[provider].variable);
  return g_strdup (env != NULL && env[0] != '\0' ? env : providers[provider].url);
}

typedef struct
{
  HsStreamRequest  req;
  char            *url;
  HsStreamStats    stats;
  GError          *fatal;            /* (owned) (nullable) the error that stopped the stream */

  GMainContext    *context;          /* (owned) */
  GMainLoop       *loop;             /* (owned) */
  SoupSession     *session;          /* (owned) */
  GCancellable    *connecting;       /* (owned) (nullable) the connect in flight */
  SoupWebsocketConnection *conn;     /* (owned) (nullable) */
  GSource         *reconnect;        /* (owned) (nullable) the back-off timer */
  gboolean         stopping;
  int              backoff_ms;
  int64_t          last_frame_us;    /* local clock of the last frame (idle watchdog) */

  HsStore         *store;            /* (owned) */
  int64_t          instrument_id;

  HsBook          *book;             /* (owned) */
  gboolean         book_ready;       /* a snapshot (WS or REST) was applied since a break */
  gboolean         awaiting_snapshot;/* resubscribed; the feed's snapshot is still to come */
  int              price_decimals;   /* Kraken precision seen in the frames, -1 unknown */
  int              qty_decimals;
  int64_t          last_book_ts;     /* exchange time of the last stored snapshot; -1 none */
  int64_t          expected_seq;     /* next Coinbase sequence_num on this connection; -1 */

  int64_t          last_trade_id;    /* -1 unknown */
  int64_t          last_ts;          /* newest trade time written or queued; -1 none */
  int64_t          last_seq;
  double           cvd;
  int64_t          last_detected;    /* detected_at of the last gap, kept strictly rising */

  GArray          *pending_trades;   /* (owned) HsTrade with owned trade_id */
  GArray          *pending_books;    /* (owned) HsBookSnapshot */
  GPtrArray       *pending_gaps;     /* (owned) HsStreamGap */
} Stream;

static void start_connect (Stream *self);
static void stop (Stream *self);

static void
set_last_error (Stream     *self,
                const char *format,
                ...) G_GNUC_PRINTF (2, 3);

static void
set_last_error (Stream     *self,
                const char *format,
                ...)
{
  va_list args;

  va_start (args, format);
  g_vsnprintf (self->stats.last_error, sizeof self->stats.last_error, format, args);
  va_end (args);
}

static void
fail (Stream *self,
      GError *error)
{
  if (self->fatal == NULL)
    self->fatal = error;
  else
    g_error_free (error);
  stop (self);
}

static void
clear_trade (HsTrade *trade)
{
  g_clear_pointer (&trade->trade_id, g_free);
}

static size_t
pending_rows (Stream *self)
{
  return self->pending_trades->len + self->pending_books->len + self->pending_gaps->len;
}

/* Writes the queued rows in one transaction. */
static gboolean
flush (Stream  *self,
       GError **error)
{
  int64_t trades = 0, books = 0;

  if (pending_rows (self) == 0)
    return TRUE;
  if (!hs_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < self->pending_trades->len; i++)
    {
      gboolean inserted = FALSE;

      if (!hs_store_insert_trade (self->store, self->instrument_id,
                                  &g_array_index (self->pending_trades, HsTrade, i), &inserted,
                                  error))
        goto failed;
      trades += inserted;
    }
  for (guint i = 0; i < self->pending_books->len; i++)
    {
      gboolean inserted = FALSE;

      if (!hs_store_insert_book (self->store, self->instrument_id,
                                 &g_array_index (self->pending_books, HsBookSnapshot, i),
                                 &inserted, error))
        goto failed;
      books += inserted;
    }
  for (guint i = 0; i < self->pending_gaps->len; i++)
    if (!hs_store_insert_stream_gap (self->store, g_ptr_array_index (self->pending_gaps, i),
                                     error))
      goto failed;
  if (!hs_store_commit (self->store, error))
    goto failed;
  self->stats.trades += trades;
  self->stats.books += books;
  g_array_set_size (self->pending_trades, 0);
  g_array_set_size (self->pending_books, 0);
  g_ptr_array_set_size (self->pending_gaps, 0);
  return TRUE;

failed:
  hs_store_rollback (self->store);
  g_prefix_error (error, "writing the stream: ");
  return FALSE;
}

static gboolean
flush_cb (gpointer data)
{
  Stream *self = data;
  GError *error = NULL;

  if (!flush (self, &error))
    fail (self, error);
  return G_SOURCE_CONTINUE;
}

/* ---- gaps -------------------------------------------------------------------------------- */

static HsStreamGap *
gap_new (Stream     *self,
         const char *channel,
         const char *kind,
         int64_t     ts,
         int64_t     from_seq,
         int64_t     to_seq)
{
  HsStreamGap *gap = g_new0 (HsStreamGap, 1);
  int64_t now = hs_time_now_us ();

  self->last_detected = MAX (now, self->last_detected + 1);
  gap->instrument_id = self->instrument_id;
  gap->provider = g_strdup (hs_stream_provider_to_string (self->req.provider));
  gap->channel = g_strdup (channel);
  gap->kind = g_strdup (kind);
  gap->detected_at = self->last_detected;
  gap->ts = ts;
  gap->from_seq = from_seq;
  gap->to_seq = to_seq;
  gap->resync = g_strdup ("none");
  gap->detail = g_strdup ("{}");
  return gap;
}

static void
gap_take (Stream      *self,
          HsStreamGap *gap)
{
  self->stats.gaps++;
  g_ptr_array_add (self->pending_gaps, gap);
}

static void
send_all (Stream    *self,
          GPtrArray *messages)
{
  for (guint i = 0; i < messages->len; i++)
    soup_websocket_connection_send_text (self->conn, g_ptr_array_index (messages, i));
}

static gboolean
is_kraken (Stream *self)
{
  return self->req.provider == HS_STREAM_KRAKEN;
}

/* Rebuilds the book after @gap: from REST through resync_book, and by subscribing the book
 * channel again for the feed's own snapshot. Until one of them succeeds, updates are dropped. */
static void
resync_book (Stream      *self,
             HsStreamGap *gap)
{
  gboolean rest = FALSE, resubscribed = FALSE;

  self->stats.resyncs++;
  if (self->req.resync_book != NULL)
    {
      g_autoptr(HsBook) fresh = hs_book_new ();
      g_autoptr(GError) error = NULL;

      if (self->req.resync_book (self->req.provider, self->req.symbol, fresh,
                                 self->req.user_data, &error))
        {
          hs_book_copy_from (self->book, fresh);
          if (is_kraken (self))
            hs_book_truncate (self->book, (size_t) self->req.kraken_depth);
          rest = TRUE;
          self->last_book_ts = -1;    /* store the repaired book at the next book message */
        }
      else
        {
          self->stats.resync_failures++;
          gap->resync_error = g_strdup (error ? error->message : "the REST snapshot failed");
          set_last_error (self, "resync: %s", gap->resync_error);
        }
    }
  self->book_ready = rest;
  if (self->conn != NULL
      && soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_autoptr(GPtrArray) messages = NULL;

      if (is_kraken (self))
        messages = hs_ws_kraken_resubscribe_book (self->req.symbol, self->req.kraken_depth);
      else
        messages = hs_ws_coinbase_resubscribe_book (self->req.provider == HS_STREAM_COINBASE
                                                    ? HS_WS_COINBASE_ADVANCED
                                                    : HS_WS_COINBASE_EXCHANGE,
                                                    self->req.symbol);
      send_all (self, messages);
      self->awaiting_snapshot = TRUE;
      resubscribed = TRUE;
    }
  g_free (gap->resync);
  gap->resync = g_strdup (rest && resubscribed ? "rest+resubscribe"
                          : rest ? "rest" : resubscribed ? "resubscribe" : "none");
}

/* ---- trades ------------------------------------------------------------------------------- */

/* A trade older than the newest one written: its ordinal comes from the store, and the CVD of
 * every later trade is summed again. Rare (a provider's clock going back), so written at once. */
static gboolean
write_out_of_order (Stream  *self,
                    HsTrade *trade,
                    GError **error)
{
  HsLastTrade last = { 0 };
  double before = 0;
  gboolean inserted = FALSE;

  if (!flush (self, error) || !hs_store_begin (self->store, error))
    return FALSE;
  if (!hs_store_next_trade_seq (self->store, self->instrument_id, trade->ts, &trade->seq, error)
      || !hs_store_cvd_before (self->store, self->instrument_id, trade->ts, &before, error))
    goto failed;
  if (trade->seq > 0)
    {
      /* the trades of the same microsecond are before it: continue from the last of them */
      if (!hs_store_cvd_before (self->store, self->instrument_id, trade->ts + 1, &before, error))
        goto failed;
    }
  trade->cvd = before + (double) trade->side * trade->size;
  if (!hs_store_insert_trade (self->store, self->instrument_id, trade, &inserted, error)
      || !hs_store_recompute_cvd_after (self->store, self->instrument_id, trade->ts, trade->ts,
                                        error)
      || !hs_store_last_trade (self->store, self->instrument_id, &last, error))
    goto failed;
  if (!hs_store_commit (self->store, error))
    goto failed;
  self->cvd = last.cvd;
  self->stats.trades += inserted;
  hs_last_trade_clear (&last);
  return TRUE;

failed:
  hs_last_trade_clear (&last);
  hs_store_rollback (self->store);
  return FALSE;
}

/* Queues one new trade with its ordinal and running CVD. */
static gboolean
queue_trade (Stream        *self,
             const HsTrade *in,
             GError       **error)
{
  HsTrade trade = *in;

  trade.trade_id = g_strdup (in->trade_id);
  if (self->last_ts >= 0 && trade.ts < self->last_ts)
    {
      gboolean ok = write_out_of_order (self, &trade, error);

      clear_trade (&trade);
      return ok;
    }
  trade.seq = trade.ts == self->last_ts ? self->last_seq + 1 : 0;
  self->cvd += (double) trade.side * trade.size;
  trade.cvd = self->cvd;
  self->last_ts = trade.ts;
  self->last_seq = trade.seq;
  g_array_append_val (self->pending_trades, trade);
  return TRUE;
}

static void
trade_array_clear (gpointer data)
{
  clear_trade (data);
}

/* Trade ids @first … @last did not arrive: record the gap and fetch what fill_trades can. */
static gboolean
fill_trade_gap (Stream  *self,
                int64_t  first,
                int64_t  last,
                int64_t  ts,
                GError **error)
{
  HsStreamGap *gap = gap_new (self, "trades", "trade_id", ts, first, last);
  int64_t filled = 0;

  set_last_error (self, "trade ids %" G_GINT64_FORMAT "…%" G_GINT64_FORMAT " missing", first,
                  last);
  if (self->req.fill_trades != NULL)
    {
      g_autoptr(GArray) found = g_array_new (FALSE, TRUE, sizeof (HsTrade));
      g_autoptr(GError) local = NULL;

      g_array_set_clear_func (found, trade_array_clear);
      if (self->req.fill_trades (self->req.provider, self->req.symbol, first, last, found,
                                 self->req.user_data, &local))
        {
          hs_ws_trades_sort (found);
          for (guint i = 0; i < found->len; i++)
            {
              HsTrade *t = &g_array_index (found, HsTrade, i);
              int64_t id;

              if (!hs_ws_trade_id_number (t, &id) || id < first || id > last
                  || id <= self->last_trade_id)
                continue;
              if (!queue_trade (self, t, error))
                {
                  hs_stream_gap_free (gap);
                  return FALSE;
                }
              self->last_trade_id = id;
              filled++;
            }
          g_free (gap->resync);
          gap->resync = g_strdup ("rest");
        }
      else
        {
          gap->resync_error = g_strdup (local ? local->message : "fetching the trades failed");
          set_last_error (self, "filling trades %" G_GINT64_FORMAT "…%" G_GINT64_FORMAT ": %s",
                          first, last, gap->resync_error);
        }
    }
  g_free (gap->detail);
  gap->detail = g_strdup_printf ("{\"missing\":%" G_GINT64_FORMAT ",\"filled\":%"
                                 G_GINT64_FORMAT "}", last - first + 1, filled);
  self->stats.filled += filled;
  gap_take (self, gap);
  return TRUE;
}

static gboolean
apply_trades (Stream    *self,
              HsWsEvent *event,
              GError   **error)
{
  for (guint i = 0; i < event->trades->len; i++)
    {
      HsTrade *t = &g_array_index (event->trades, HsTrade, i);
      int64_t id;

      if (!hs_ws_trade_id_number (t, &id))
        {
          if (!queue_trade (self, t, error))
            return FALSE;
          continue;
        }
      if (self->last_trade_id >= 0 && id <= self->last_trade_id)
        {
          self->stats.duplicates++;
          continue;
        }
      if (self->last_trade_id >= 0 && id > self->last_trade_id + 1
          && !fill_trade_gap (self, self->last_trade_id + 1, id - 1, t->ts, error))
        return FALSE;
      if (!queue_trade (self, t, error))
        return FALSE;
      self->last_trade_id = id;
    }
  return TRUE;
}

/* ---- book --------------------------------------------------------------------------------- */

/* The stored snapshots are samples (one per book_interval), so they carry no sequence number:
 * the jumps between samples would read as gaps to the gap report (docs/gaps-retention.md). The
 * feed's own breaks are in stream_gaps. */
static void
maybe_store_book (Stream  *self,
                  int64_t  ts)
{
  HsBookSnapshot snap = { 0 };
  g_autoptr(GError) error = NULL;

  /* Stored rows carry exchange time, so a message without one (a Kraken or Exchange-feed
   * snapshot) waits for the next one that has it. */
  if (ts <= 0)
    return;
  if (self->last_book_ts >= 0 && ts >= self->last_book_ts
      && ts - self->last_book_ts < self->req.book_interval_us)
    return;
  if (!hs_book_snapshot (self->book, self->req.book_depth, &snap, &error))
    {
      self->stats.crossed++;
      set_last_error (self, "book not stored: %s", error->message);
      hs_book_snapshot_clear (&snap);
      return;
    }
  snap.ts = ts;
  snap.sequence = -1;
  g_array_append_val (self->pending_books, snap);
  self->last_book_ts = ts;
}

static gboolean
apply_levels (Stream  *self,
              GArray  *levels,
              HsBookSide side,
              GError **error)
{
  for (guint i = 0; i < levels->len; i++)
    {
      HsLevel *l = &g_array_index (levels, HsLevel, i);

      if (!hs_book_set (self->book, side, l->price, l->size, error))
        return FALSE;
    }
  return TRUE;
}

/* Compares Kraken's checksum with the local book's. Returns FALSE on a mismatch (recorded and
 * resynchronised). */
static gboolean
verify_checksum (Stream    *self,
                 HsWsEvent *event)
{
  int pd, qd;
  uint32_t computed;
  HsStreamGap *gap;

  if (!event->has_checksum)
    return TRUE;
  self->price_decimals = MAX (self->price_decimals, event->price_decimals);
  self->qty_decimals = MAX (self->qty_decimals, event->qty_decimals);
  pd = self->req.price_decimals >= 0 ? self->req.price_decimals : self->price_decimals;
  qd = self->req.qty_decimals >= 0 ? self->req.qty_decimals : self->qty_decimals;
  if (pd < 0 || qd < 0 || pd > 18 || qd > 18
      || (self->awaiting_snapshot && event->kind != HS_WS_EVENT_BOOK_SNAPSHOT))
    {
      /* After a REST repair the book is the exchange's at another moment: its checksum can
       * only be trusted again from the feed's own snapshot. */
      self->stats.unverified++;
      return TRUE;
    }
  computed = hs_book_kraken_checksum (self->book, pd, qd);
  if (computed == event->checksum)
    return TRUE;
  gap = gap_new (self, "book", "checksum", event->ts, -1, -1);
  g_free (gap->detail);
  gap->detail = g_strdup_printf ("{\"expected\":%u,\"computed\":%u,\"price_decimals\":%d,"
                                 "\"qty_decimals\":%d}", event->checksum, computed, pd, qd);
  set_last_error (self, "book checksum %u, expected %u: resynchronising", computed,
                  event->checksum);
  resync_book (self, gap);
  gap_take (self, gap);
  return FALSE;
}

static gboolean
apply_book (Stream    *self,
            HsWsEvent *event,
            GError   **error)
{
  if (event->kind == HS_WS_EVENT_BOOK_SNAPSHOT)
    {
      if (!hs_book_load (self->book, HS_BOOK_BID, (HsLevel *) event->bids->data,
                         event->bids->len, error)
          || !hs_book_load (self->book, HS_BOOK_ASK, (HsLevel *) event->asks->data,
                            event->asks->len, error))
        return FALSE;
      self->book_ready = TRUE;
      self->awaiting_snapshot = FALSE;
      self->price_decimals = event->price_decimals;
      self->qty_decimals = event->qty_decimals;
    }
  else if (!self->book_ready)
    {
      self->stats.dropped++;
      return TRUE;
    }
  else if (!apply_levels (self, event->bids, HS_BOOK_BID, error)
           || !apply_levels (self, event->asks, HS_BOOK_ASK, error))
    return FALSE;
  if (is_kraken (self))
    hs_book_truncate (self->book, (size_t) self->req.kraken_depth);
  self->stats.book_events++;
  if (!verify_checksum (self, event))
    return TRUE;
  if (self->book_ready)
    maybe_store_book (self, event->ts);
  return TRUE;
}

/* ---- frames ------------------------------------------------------------------------------- */

static void
check_sequence (Stream    *self,
                HsWsFrame *frame)
{
  if (frame->sequence < 0)
    return;
  if (self->expected_seq >= 0 && frame->sequence != self->expected_seq)
    {
      gboolean ahead = frame->sequence > self->expected_seq;
      HsStreamGap *gap = gap_new (self, "connection", "sequence", frame->ts,
                                  ahead ? self->expected_seq : frame->sequence,
                                  ahead ? frame->sequence - 1 : frame->sequence);

      g_free (gap->detail);
      gap->detail = g_strdup_printf ("{\"expected\":%" G_GINT64_FORMAT ",\"received\":%"
                                     G_GINT64_FORMAT "}", self->expected_seq, frame->sequence);
      set_last_error (self, "sequence_num %" G_GINT64_FORMAT " after %" G_GINT64_FORMAT
                      ": resynchronising", frame->sequence, self->expected_seq - 1);
      resync_book (self, gap);
      gap_take (self, gap);
    }
  self->expected_seq = frame->sequence + 1;
  self->stats.last_sequence = frame->sequence;
}

static HsWsFrame *
parse_frame (Stream     *self,
             const char *text,
             size_t      len,
             GError    **error)
{
  if (is_kraken (self))
    return hs_ws_kraken_parse (text, len, error);
  return hs_ws_coinbase_parse (text, len, error);
}

static gboolean
for_us (Stream    *self,
        HsWsEvent *event)
{
  return event->symbol == NULL || g_str_equal (event->symbol, self->req.symbol);
}

static void
handle_text (Stream     *self,
             const char *text,
             size_t      len)
{
  g_autoptr(HsWsFrame) frame = NULL;
  g_autoptr(GError) error = NULL;

  frame = parse_frame (self, text, len, &error);
  if (frame == NULL)
    {
      self->stats.malformed++;
      set_last_error (self, "frame %" G_GINT64_FORMAT " skipped: %s", self->stats.messages,
                      error->message);
      return;
    }
  if (frame->kind == HS_WS_FRAME_ERROR)
    {
      self->stats.provider_errors++;
      set_last_error (self, "%s: %s", hs_stream_provider_to_string (self->req.provider),
                      frame->error);
      return;
    }
  check_sequence (self, frame);
  for (guint i = 0; i < frame->events->len; i++)
    {
      HsWsEvent *event = g_ptr_array_index (frame->events, i);
      gboolean ok;

      if (!for_us (self, event))
        continue;
      if (event->kind == HS_WS_EVENT_TRADES)
        ok = apply_trades (self, event, &error);
      else
        ok = apply_book (self, event, &error);
      if (!ok)
        {
          /* The parser checked every value; what fails here is the store. */
          fail (self, g_steal_pointer (&error));
          return;
        }
    }
  self->backoff_ms = self->req.backoff_initial_ms;
}

static void
report (Stream *self)
{
  if (self->req.progress != NULL)
    self->req.progress (&self->stats, self->req.user_data);
}

static void
message_cb (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 data)
{
  Stream *self = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (message, &len);

  if (self->stopping)
    return;
  self->stats.messages++;
  self->last_frame_us = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT || text == NULL)
    {
      self->stats.malformed++;
      set_last_error (self, "frame %" G_GINT64_FORMAT " skipped: not a text frame",
                      self->stats.messages);
    }
  else
    handle_text (self, text, len);
  if (!self->stopping && pending_rows (self) >= FLUSH_ROWS)
    flush_cb (self);
  report (self);
}

/* ---- connection --------------------------------------------------------------------------- */

static gboolean
reconnect_cb (gpointer data)
{
  Stream *self = data;

  g_clear_pointer (&self->reconnect, g_source_unref);
  start_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (Stream *self)
{
  int delay;

  if (self->stopping || self->reconnect != NULL)
    return;
  /* ±20 % jitter, so that many streams that lost the same server do not return together. */
  delay = (int) (self->backoff_ms * g_random_double_range (0.8, 1.2));
  self->backoff_ms = MIN (self->backoff_ms * 2, self->req.backoff_max_ms);
  self->reconnect = g_timeout_source_new (MAX (delay, 1));
  g_source_set_callback (self->reconnect, reconnect_cb, self, NULL);
  g_source_attach (self->reconnect, self->context);
}

static void
drop_connection (Stream *self)
{
  if (self->conn == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->conn, self);
  g_clear_object (&self->conn);
}

static void
closed_cb (SoupWebsocketConnection *conn,
           gpointer                 data)
{
  Stream *self = data;
  const char *why = soup_websocket_connection_get_close_data (conn);

  if (!self->stopping)
    set_last_error (self, "connection closed (%u%s%s)",
                    soup_websocket_connection_get_close_code (conn), why && *why ? ": " : "",
                    why ? why : "");
  drop_connection (self);
  schedule_reconnect (self);
  report (self);
}

static void
error_cb (SoupWebsocketConnection *conn,
          GError                  *error,
          gpointer                 data)
{
  set_last_error (data, "connection: %s", error->message);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Stream *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  SoupWebsocketConnection *conn;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_clear_object (&self->connecting);
  if (conn == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stopping)
        return;
      self->stats.connect_failures++;
      set_last_error (self, "connecting to %s: %s", self->url, error->message);
      schedule_reconnect (self);
      report (self);
      return;
    }
  self->conn = conn;
  if (self->stopping)
    return;
  self->stats.connections++;
  if (self->stats.connections > 1)
    self->stats.reconnects++;
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_FRAME_BYTES);
  soup_websocket_connection_set_keepalive_interval (conn, 20);
  g_signal_connect (conn, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (conn, "closed", G_CALLBACK (closed_cb), self);
  g_signal_connect (conn, "error", G_CALLBACK (error_cb), self);

  /* A new connection numbers its messages from scratch and starts with a book snapshot. */
  self->expected_seq = -1;
  self->book_ready = FALSE;
  self->awaiting_snapshot = FALSE;
  self->last_frame_us = g_get_monotonic_time ();
  if (is_kraken (self))
    messages = hs_ws_kraken_subscribe (self->req.symbol, self->req.kraken_depth);
  else
    messages = hs_ws_coinbase_subscribe (self->req.provider == HS_STREAM_COINBASE
                                         ? HS_WS_COINBASE_ADVANCED : HS_WS_COINBASE_EXCHANGE,
                                         self->req.symbol);
  send_all (self, messages);
  report (self);
}

static void
start_connect (Stream *self)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (self->stopping)
    return;
  msg = soup_message_new (SOUP_METHOD_GET, self->url);
  if (msg == NULL)
    {
      fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "not a WebSocket URL: %s", self->url));
      return;
    }
  self->connecting = g_cancellable_new ();
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connecting, connected_cb, self);
}

static gboolean
idle_check_cb (gpointer data)
{
  Stream *self = data;
  int64_t silent_us = g_get_monotonic_time () - self->last_frame_us;

  if (self->conn != NULL && silent_us > (int64_t) self->req.idle_timeout_s * G_USEC_PER_SEC
      && soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      set_last_error (self, "no frame for %d s: reconnecting", self->req.idle_timeout_s);
      soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "idle");
    }
  return G_SOURCE_CONTINUE;
}

static void
stop (Stream *self)
{
  if (self->stopping)
    return;
  self->stopping = TRUE;
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  if (self->conn != NULL
      && soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_main_loop_quit (self->loop);
}

static gboolean
deadline_cb (gpointer data)
{
  stop (data);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  stop (data);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* After stop(): lets a cancelled connect and a closing handshake finish (at most one second),
 * so that no callback runs after the stream is gone. */
static void
wind_down (Stream *self)
{
  gboolean expired = FALSE;
  GSource *timer = g_timeout_source_new (1000);

  g_source_set_callback (timer, wait_timeout_cb, &expired, NULL);
  g_source_attach (timer, self->context);
  while (self->connecting != NULL
         || (!expired && self->conn != NULL
             && soup_websocket_connection_get_state (self->conn)
                != SOUP_WEBSOCKET_STATE_CLOSED))
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);
  drop_connection (self);
}

static void
normalise_request (HsStreamRequest *req)
{
  if (req->book_depth <= 0)
    req->book_depth = 10;
  if (req->book_interval_us <= 0)
    req->book_interval_us = G_USEC_PER_SEC;
  if (req->kraken_depth <= 0)
    req->kraken_depth = 10;
  if (req->backoff_initial_ms <= 0)
    req->backoff_initial_ms = 500;
  if (req->backoff_max_ms <= 0)
    req->backoff_max_ms = 30000;
  req->backoff_max_ms = MAX (req->backoff_max_ms, req->backoff_initial_ms);
  if (req->idle_timeout_s <= 0)
    req->idle_timeout_s = 60;
}

/* Opens the store and finds where the instrument's stored trades end. */
static gboolean
open_store (Stream  *self,
            GError **error)
{
  HsLastTrade last = { 0 };
  int64_t id;

  self->store = hs_store_open (self->req.db_path, HS_STORE_OPEN_DEFAULT, error);
  if (self->store == NULL)
    return FALSE;
  if (!hs_store_ensure_instrument (self->store, self->req.symbol,
                                   hs_stream_provider_exchange (self->req.provider), "crypto",
                                   &self->instrument_id, error)
      || !hs_store_last_trade (self->store, self->instrument_id, &last, error))
    return FALSE;
  if (last.found)
    {
      self->last_ts = last.ts;
      self->last_seq = last.seq;
      self->cvd = last.cvd;
      if (last.trade_id != NULL && hs_parse_int64 (last.trade_id, &id))
        self->last_trade_id = id;
    }
  hs_last_trade_clear (&last);
  return TRUE;
}

static void
stream_clear (Stream *self)
{
  drop_connection (self);
  if (self->reconnect != NULL)
    {
      g_source_destroy (self->reconnect);
      g_clear_pointer (&self->reconnect, g_source_unref);
    }
  g_clear_object (&self->session);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->store, hs_store_close);
  g_clear_pointer (&self->book, hs_book_free);
  g_clear_pointer (&self->pending_trades, g_array_unref);
  g_clear_pointer (&self->pending_books, g_array_unref);
  g_clear_pointer (&self->pending_gaps, g_ptr_array_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_error (&self->fatal);
}

static void
attach (Stream     *self,
        GSource    *source,
        GSourceFunc func)
{
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
}

/**
 * hs_stream_run:
 * @request: what to stream; copied, so it may go when this returns
 * @cancellable: (nullable): stops the stream (the normal way to end one without a duration)
 * @stats: (out caller-allocates): the counts, also on failure
 *
 * Streams on the calling thread until @cancellable is cancelled or request->seconds have
 * passed, writing what arrives to request->db_path. Connection failures are retried with
 * back-off for as long as the stream runs; they end up in stats->last_error, not in @error.
 *
 * Returns: %TRUE when the stream was stopped (cancelled or timed out); %FALSE with @error when
 *   it could not run: the database, the URL, or a write failed
 */
gboolean
hs_stream_run (const HsStreamRequest *request,
               GCancellable          *cancellable,
               HsStreamStats         *stats,
               GError               **error)
{
  Stream self_ = { 0 }, *self = &self_;
  GSource *flush_timer, *idle_timer, *cancel_source = NULL, *deadline = NULL;
  gboolean ok;

  g_return_val_if_fail (request != NULL && request->symbol != NULL, FALSE);
  g_return_val_if_fail (request->db_path != NULL, FALSE);
  g_return_val_if_fail ((unsigned) request->provider < G_N_ELEMENTS (providers), FALSE);

  memset (stats, 0, sizeof *stats);
  stats->last_sequence = -1;
  self->req = *request;
  normalise_request (&self->req);
  self->stats.last_sequence = -1;
  self->url = request->url != NULL ? g_strdup (request->url)
                                   : hs_stream_default_url (request->provider);
  self->backoff_ms = self->req.backoff_initial_ms;
  self->book = hs_book_new ();
  self->price_decimals = self->qty_decimals = -1;
  self->last_book_ts = -1;
  self->expected_seq = -1;
  self->last_trade_id = -1;
  self->last_ts = -1;
  self->pending_trades = g_array_new (FALSE, TRUE, sizeof (HsTrade));
  g_array_set_clear_func (self->pending_trades, trade_array_clear);
  self->pending_books = g_array_new (FALSE, TRUE, sizeof (HsBookSnapshot));
  g_array_set_clear_func (self->pending_books, (GDestroyNotify) hs_book_snapshot_clear);
  self->pending_gaps = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_stream_gap_free);

  if (is_kraken (self) && !hs_ws_kraken_depth_valid (self->req.kraken_depth))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Kraken book depth must be 10, 25, 100, 500 or 1000, not %d",
                   self->req.kraken_depth);
      stream_clear (self);
      return FALSE;
    }
  if (!g_str_has_prefix (self->url, "ws://") && !g_str_has_prefix (self->url, "wss://"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "not a WebSocket URL (ws:// or wss://): %s", self->url);
      stream_clear (self);
      return FALSE;
    }
  if (!open_store (self, error))
    {
      stream_clear (self);
      return FALSE;
    }

  self->context = g_main_context_new ();
  g_main_context_push_thread_default (self->context);
  self->loop = g_main_loop_new (self->context, FALSE);
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "timeout", 30, NULL);
  flush_timer = g_timeout_source_new (FLUSH_INTERVAL_MS);
  attach (self, flush_timer, flush_cb);
  idle_timer = g_timeout_source_new_seconds (1);
  attach (self, idle_timer, idle_check_cb);
  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (cancel_source, self->context);
    }
  if (request->seconds > 0)
    {
      deadline = g_timeout_source_new ((guint) MIN (request->seconds * 1000.0, G_MAXUINT));
      attach (self, deadline, deadline_cb);
    }

  if (g_cancellable_is_cancelled (cancellable))
    stop (self);
  else
    {
      start_connect (self);
      if (!self->stopping)
        g_main_loop_run (self->loop);
    }
  wind_down (self);

  g_source_destroy (flush_timer);
  g_source_unref (flush_timer);
  g_source_destroy (idle_timer);
  g_source_unref (idle_timer);
  if (cancel_source != NULL)
    {
      g_source_destroy (cancel_source);
      g_source_unref (cancel_source);
    }
  if (deadline != NULL)
    {
      g_source_destroy (deadline);
      g_source_unref (deadline);
    }

  if (self->fatal == NULL)
    {
      GError *local = NULL;

      if (!flush (self, &local))
        self->fatal = local;
    }
  ok = self->fatal == NULL;
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&self->fatal));
      g_strlcpy (self->stats.last_error, (*error)->message, sizeof self->stats.last_error);
    }
  *stats = self->stats;
  stream_clear (self);
  g_main_context_pop_thread_default (self->context);
  /* Sources the session or connection left behind go with the context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_unref (self->context);
  return ok;
}

typedef struct
{
  HsStreamRequest req;
  char           *symbol, *url, *db_path;
  HsStreamStats   stats;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_free (data->symbol);
  g_free (data->url);
  g_free (data->db_path);
  g_free (data);
}

static void
stream_worker (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *data = task_data;
  GError *error = NULL;

  if (hs_stream_run (&data->req, cancellable, &data->stats, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * hs_stream_async:
 * @request: what to stream; deep-copied (the callbacks run on the worker thread)
 *
 * Runs hs_stream_run() on a worker thread; @callback runs on the caller's main context when
 * the stream has stopped.
 */
void
hs_stream_async (const HsStreamRequest *request,
                 GCancellable          *cancellable,
                 GAsyncReadyCallback    callback,
                 gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *data = g_new0 (AsyncData, 1);

  data->req = *request;
  data->req.symbol = data->symbol = g_strdup (request->symbol);
  data->req.url = data->url = g_strdup (request->url);
  data->req.db_path = data->db_path = g_strdup (request->db_path);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_set_source_tag (task, hs_stream_async);
  /* A stream is stopped by its cancellable, and still reports its counts. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, stream_worker);
}

/**
 * hs_stream_finish:
 * @stats: (out caller-allocates): the counts of the stream
 */
gboolean
hs_stream_finish (GAsyncResult  *result,
                  HsStreamStats *stats,
                  GError       **error)
{
  AsyncData *data = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  *stats = data->stats;
  return g_task_propagate_boolean (G_TASK (result), error);
}
