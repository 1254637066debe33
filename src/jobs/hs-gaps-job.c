/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gap report (docs/gaps-retention.md): for one instrument, the candle ranges its session
 * calendar expects and the store lacks, per interval, and the jumps in its sequence numbers and
 * trade ids. Reads run in one read transaction (a savepoint, so a caller's transaction is
 * joined), stream through cursors into the pure checkers of hs-gaps.c, and look at the
 * cancellable every 65,536 rows.
 *
 * Load: candles stream without being held (a million 1m bars in well under a second); trade ids
 * are held as (id, time) pairs, 16 bytes a trade, because they are checked in id order.
 */
#define G_LOG_DOMAIN "hs-gaps"

#include "config.h"

#include "hs-gaps-job.h"

#include "hs-interval.h"
#include "hs-records.h"
#include "hs-store-gaps.h"
#include "hs-store-lean.h"
#include "hs-store-market.h"
#include "hs-time.h"

#define CANCEL_CHECK_ROWS 65536

static const char *const seq_table_names[] = {
  [HS_SEQ_SNAPSHOTS] = "market_snapshots.sequence",
  [HS_SEQ_ORDERBOOK] = "orderbook_snapshots.sequence",
  [HS_SEQ_TRADE_IDS] = "trades.trade_id",
};

/* Returns: (transfer none): the column a sequence was read from, e.g. "trades.trade_id" */
const char *
hs_seq_table_to_string (HsSeqTable table)
{
  g_return_val_if_fail ((size_t) table < G_N_ELEMENTS (seq_table_names), NULL);
  return seq_table_names[table];
}

static void
candle_gaps_free (gpointer data)
{
  HsCandleGaps *c = data;

  g_free (c->interval);
  g_clear_pointer (&c->ranges, g_array_unref);
  g_free (c);
}

static void
seq_report_free (gpointer data)
{
  HsSeqReport *s = data;

  g_free (s->source);
  g_clear_pointer (&s->gaps, g_array_unref);
  g_free (s->unchecked);
  g_free (s);
}

void
hs_gaps_report_free (HsGapsReport *report)
{
  if (report == NULL)
    return;
  g_free (report->symbol);
  g_free (report->exchange);
  g_free (report->kind);
  g_clear_pointer (&report->candles, g_ptr_array_unref);
  g_clear_pointer (&report->sequences, g_ptr_array_unref);
  g_free (report);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCandleGaps, candle_gaps_free)

/* Every @CANCEL_CHECK_ROWS-th call: FALSE with G_IO_ERROR_CANCELLED once @cancellable is. */
static gboolean
still_running (int64_t      *rows,
               GCancellable *cancellable,
               GError      **error)
{
  return ++*rows % CANCEL_CHECK_ROWS != 0
         || !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* The session calendar of an instrument kind: for the US session with the us_equity holidays
 * and early closes stored in market_calendar (none: every weekday is a full session). */
static HsSessionCalendar *
calendar_for (HsStore       *store,
              HsSessionKind  session,
              int64_t       *n_days,
              GError       **error)
{
  g_autoptr(GArray) days = NULL;

  *n_days = 0;
  if (session == HS_SESSION_US_EQUITY)
    {
      days = hs_store_load_market_days (store, HS_MARKET_US_EQUITY, error);
      if (days == NULL)
        return NULL;
      *n_days = days->len;
    }
  return hs_session_calendar_new (session, days ? (const HsMarketDay *) days->data : NULL,
                                  days ? days->len : 0, error);
}

typedef struct
{
  HsGapFinder  *finder;
  GCancellable *cancellable;
  int64_t       rows;
} CandleFeed;

static gboolean
feed_candle_cb (int64_t   ts,
                gpointer  user_data,
                GError  **error)
{
  CandleFeed *feed = user_data;

  if (!still_running (&feed->rows, feed->cancellable, error))
    return FALSE;
  hs_gap_finder_push (feed->finder, ts);
  return TRUE;
}

/* The candle gaps of one interval; an open end of the range (G_MININT64, G_MAXINT64) is the
 * first or last stored bar. */
static HsCandleGaps *
candle_gaps (HsStore                 *store,
             const HsSessionCalendar *cal,
             int64_t                  instrument_id,
             const char              *interval,
             int64_t                  from_ts,
             int64_t                  to_ts,
             GCancellable            *cancellable,
             GError                 **error)
{
  g_autoptr(HsCandleGaps) c = g_new0 (HsCandleGaps, 1);
  g_autoptr(HsGapFinder) finder = NULL;
  CandleFeed feed = { NULL, cancellable, 0 };
  int64_t slot_us;

  c->interval = g_strdup (interval);
  if (from_ts == G_MININT64 || to_ts == G_MAXINT64)
    {
      gboolean found = FALSE;
      int64_t first = 0, last = 0;

      if (!hs_store_bar_range (store, instrument_id, interval, from_ts, to_ts, &found, &first,
                               &last, error))
        return NULL;
      if (!found)
        {
          from_ts = 1;
          to_ts = 0;
        }
      else
        {
          from_ts = from_ts == G_MININT64 ? first : from_ts;
          to_ts = to_ts == G_MAXINT64 ? last : to_ts;
        }
    }
  if (from_ts > to_ts)
    {
      /* No bar stored, --from after the last one or --to before the first: nothing to
       * check (an open end of the range has no meaning without bars). */
      c->from_ts = 1;
      c->to_ts = 0;
      c->ranges = g_array_new (FALSE, FALSE, sizeof (HsGapRange));
      return g_steal_pointer (&c);
    }
  c->from_ts = from_ts;
  c->to_ts = to_ts;
  finder = hs_gap_finder_new (cal, interval, from_ts, to_ts, error);
  if (finder == NULL)
    return NULL;
  /* A bar that starts up to one interval before the range can fill its first slot (a daily bar
   * stamped 00:00 UTC for a range from 14:30). The finder took from_ts, so it is after the
   * year 1 and this cannot overflow. */
  slot_us = hs_interval_lookup (interval)->seconds * G_USEC_PER_SEC;
  feed.finder = finder;
  if (!hs_store_each_candle_ts (store, instrument_id, interval, from_ts - slot_us, to_ts,
                                feed_candle_cb, &feed, error))
    return NULL;
  c->ranges = hs_gap_finder_finish (finder, &c->expected, &c->present);
  c->missing = c->expected - c->present;
  return g_steal_pointer (&c);
}

/* ---- sequences ---- */

typedef struct
{
  GPtrArray    *out;          /* HsSeqReport */
  HsSeqTable    table;
  HsSeqReport  *report;       /* (unowned) the last one of out */
  HsSeqCheck   *check;        /* (owned) (nullable) its check */
  GCancellable *cancellable;
  int64_t       rows;
} SeqFeed;

static void
seq_feed_finish (SeqFeed *feed)
{
  if (feed->check == NULL)
    return;
  feed->report->rows = feed->check->rows;
  feed->report->restarts = feed->check->restarts;
  feed->report->repeats = feed->check->repeats;
  feed->report->missing = feed->check->missing;
  feed->report->gaps = g_array_ref (feed->check->gaps);
  g_clear_pointer (&feed->check, hs_seq_check_free);
}

static HsSeqReport *
seq_report_add (GPtrArray  *out,
                HsSeqTable  table,
                const char *source)
{
  HsSeqReport *r = g_new0 (HsSeqReport, 1);

  r->table = table;
  r->source = g_strdup (source);
  g_ptr_array_add (out, r);
  return r;
}

static gboolean
feed_sequence_cb (const char *source,
                  int64_t     sequence,
                  int64_t     ts,
                  gpointer    user_data,
                  GError    **error)
{
  SeqFeed *feed = user_data;

  if (!still_running (&feed->rows, feed->cancellable, error))
    return FALSE;
  if (feed->check == NULL || g_strcmp0 (source, feed->report->source) != 0)
    {
      seq_feed_finish (feed);
      feed->report = seq_report_add (feed->out, feed->table, source);
      feed->check = hs_seq_check_new ();
    }
  hs_seq_check_push (feed->check, sequence, ts);
  return TRUE;
}

typedef struct
{
  int64_t id;
  int64_t ts;
} IdAt;

typedef struct
{
  GArray       *ids;          /* IdAt; emptied at the first id that is not an integer */
  char         *unchecked;    /* (owned) (nullable) */
  GCancellable *cancellable;
  int64_t       rows;
} IdFeed;

static gboolean
feed_trade_id_cb (const char *trade_id,
                  int64_t     ts,
                  gpointer    user_data,
                  GError    **error)
{
  IdFeed *feed = user_data;
  IdAt at = { 0, ts };
  char when[40];

  if (!still_running (&feed->rows, feed->cancellable, error))
    return FALSE;
  if (feed->unchecked != NULL)
    return TRUE;
  if (trade_id != NULL && hs_parse_int64 (trade_id, &at.id))
    {
      g_array_append_val (feed->ids, at);
      return TRUE;
    }
  hs_time_format_iso_buf (ts, when);
  feed->unchecked = trade_id == NULL
                    ? g_strdup_printf ("the trade at %s has no trade_id", when)
                    : g_strdup_printf ("the trade at %s has trade_id “%s”, not an integer", when,
                                       trade_id);
  g_array_set_size (feed->ids, 0);
  return TRUE;
}

static int
compare_id_at (gconstpointer a,
               gconstpointer b)
{
  const IdAt *x = a, *y = b;

  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return (x->ts > y->ts) - (x->ts < y->ts);
}

/* Trade ids are checked in id order: a provider's ids grow with time, but trades sharing a
 * microsecond may be stored in another order than their ids. */
static gboolean
trade_id_gaps (HsStore      *store,
               int64_t       instrument_id,
               int64_t       from_ts,
               int64_t       to_ts,
               GPtrArray    *out,
               GCancellable *cancellable,
               GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (IdAt));
  g_autoptr(HsSeqCheck) check = hs_seq_check_new ();
  IdFeed feed = { ids, NULL, cancellable, 0 };
  HsSeqReport *r;

  if (!hs_store_each_trade_id (store, instrument_id, from_ts, to_ts, feed_trade_id_cb, &feed,
                               error))
    {
      g_free (feed.unchecked);
      return FALSE;
    }
  if (feed.rows == 0)
    return TRUE;
  r = seq_report_add (out, HS_SEQ_TRADE_IDS, NULL);
  r->rows = feed.rows;
  r->unchecked = feed.unchecked;
  if (r->unchecked == NULL)
    {
      g_array_sort (ids, compare_id_at);
      for (guint i = 0; i < ids->len; i++)
        hs_seq_check_push (check, g_array_index (ids, IdAt, i).id,
                           g_array_index (ids, IdAt, i).ts);
      r->repeats = check->repeats;
      r->missing = check->missing;
    }
  r->gaps = g_array_ref (check->gaps);
  return TRUE;
}

static gboolean
sequence_gaps (HsStore      *store,
               int64_t       instrument_id,
               int64_t       from_ts,
               int64_t       to_ts,
               GPtrArray    *out,
               GCancellable *cancellable,
               GError      **error)
{
  SeqFeed feed = { out, HS_SEQ_SNAPSHOTS, NULL, NULL, cancellable, 0 };
  gboolean ok;

  ok = hs_store_each_snapshot_sequence (store, instrument_id, from_ts, to_ts, feed_sequence_cb,
                                        &feed, error);
  seq_feed_finish (&feed);
  if (!ok)
    return FALSE;
  feed.table = HS_SEQ_ORDERBOOK;
  ok = hs_store_each_book_sequence (store, instrument_id, from_ts, to_ts, feed_sequence_cb,
                                    &feed, error);
  seq_feed_finish (&feed);
  if (!ok)
    return FALSE;
  return trade_id_gaps (store, instrument_id, from_ts, to_ts, out, cancellable, error);
}

/* ---- the report ---- */

static HsGapsReport *
build_report (HsStore      *store,
              int64_t       instrument_id,
              const char   *interval,
              int64_t       from_ts,
              int64_t       to_ts,
              gboolean      sequences,
              GCancellable *cancellable,
              GError      **error)
{
  g_autoptr(HsGapsReport) report = g_new0 (HsGapsReport, 1);
  g_autoptr(HsInstrument) inst = NULL;
  g_autoptr(HsSessionCalendar) cal = NULL;
  g_auto(GStrv) intervals = NULL;

  inst = hs_store_load_instrument (store, instrument_id, error);
  if (inst == NULL)
    return NULL;
  report->instrument_id = instrument_id;
  report->symbol = g_strdup (inst->symbol);
  report->exchange = g_strdup (inst->exchange);
  report->kind = g_strdup (inst->kind);
  report->session = hs_session_kind_for_instrument (inst->kind);
  report->candles = g_ptr_array_new_with_free_func (candle_gaps_free);
  report->sequences = g_ptr_array_new_with_free_func (seq_report_free);
  cal = calendar_for (store, report->session, &report->calendar_days, error);
  if (cal == NULL)
    return NULL;
  if (interval != NULL)
    intervals = g_strdupv ((char *[]) { (char *) interval, NULL });
  else
    {
      g_auto(GStrv) stored = hs_store_candle_intervals (store, instrument_id, error);
      g_autoptr(GStrvBuilder) keep = g_strv_builder_new ();

      if (stored == NULL)
        return NULL;
      /* Without --interval, every stored interval gaps can be measured on. */
      for (char **s = stored; *s != NULL; s++)
        if (hs_gaps_check_interval (*s, NULL))
          g_strv_builder_add (keep, *s);
      intervals = g_strv_builder_end (keep);
    }
  for (char **s = intervals; *s != NULL; s++)
    {
      HsCandleGaps *c = candle_gaps (store, cal, instrument_id, *s, from_ts, to_ts, cancellable,
                                     error);

      if (c == NULL)
        return NULL;
      g_ptr_array_add (report->candles, c);
    }
  if (sequences && !sequence_gaps (store, instrument_id, from_ts, to_ts, report->sequences,
                                   cancellable, error))
    return NULL;
  return g_steal_pointer (&report);
}

/* build_report() in one read transaction (a savepoint joins a caller's transaction). */
static HsGapsReport *
read_report (HsStore      *store,
             int64_t       instrument_id,
             const char   *interval,
             int64_t       from_ts,
             int64_t       to_ts,
             gboolean      sequences,
             GCancellable *cancellable,
             GError      **error)
{
  HsGapsReport *report;

  if (!hs_store_gaps_begin (store, error))
    return NULL;
  report = build_report (store, instrument_id, interval, from_ts, to_ts, sequences, cancellable,
                         error);
  hs_store_gaps_end (store);
  return report;
}

/**
 * hs_gaps_report:
 * @interval: (nullable): one interval; %NULL for every stored interval from 1s to 1d
 * @from_ts: start of the range, µs UTC; G_MININT64: each interval's first stored bar (and every
 *   sequence from the first row)
 * @to_ts: end of the range, inclusive; G_MAXINT64: each interval's last stored bar
 * @cancellable: (nullable): looked at every 65,536 rows
 *
 * The report of one instrument: its session (by instrument kind: 24/7 for crypto, fx and
 * prediction markets, else the US regular session with the us_equity calendar when stored),
 * the missing candle ranges of each interval, and the gaps of its sequences.
 *
 * Returns: (transfer full): the report, or %NULL with @error (%HS_STORE_ERROR,
 *   %HS_GAPS_ERROR_INTERVAL for an interval without a grid, %G_IO_ERROR_CANCELLED)
 */
HsGapsReport *
hs_gaps_report (HsStore      *store,
                int64_t       instrument_id,
                const char   *interval,
                int64_t       from_ts,
                int64_t       to_ts,
                GCancellable *cancellable,
                GError      **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  if (interval != NULL && !hs_gaps_check_interval (interval, error))
    return NULL;
  return read_report (store, instrument_id, interval, from_ts, to_ts, TRUE, cancellable, error);
}

/**
 * hs_gaps_candle_ranges:
 * @interval: the bars' interval, 1s to 1d
 * @from_ts: start of the range, µs UTC (G_MININT64: the first stored bar)
 * @to_ts: end, inclusive (G_MAXINT64: the last stored bar)
 *
 * What a backfill fetches: the ranges of missing bars of @interval in the range under the
 * instrument's session calendar. Fetching [start, end) of each and storing the bars closes the
 * gaps the provider has data for; a range may span closed hours, which hold no bars.
 *
 * Returns: (transfer full) (element-type HsGapRange): the ranges in time order (none when no
 *   bar is stored and the range is open), or %NULL with @error as hs_gaps_report()
 */
GArray *
hs_gaps_candle_ranges (HsStore      *store,
                       int64_t       instrument_id,
                       const char   *interval,
                       int64_t       from_ts,
                       int64_t       to_ts,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr(HsGapsReport) report = NULL;
  HsCandleGaps *c;

  g_return_val_if_fail (store != NULL && interval != NULL, NULL);

  if (!hs_gaps_check_interval (interval, error))
    return NULL;
  report = read_report (store, instrument_id, interval, from_ts, to_ts, FALSE, cancellable,
                        error);
  if (report == NULL)
    return NULL;
  c = g_ptr_array_index (report->candles, 0);
  return g_array_ref (c->ranges);
}
