/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The context collector (seed 000, step 6.2): at a paper trade's entry it writes down the market
 * the trade was opened in, from the local database only, as three JSON objects:
 * signals_snapshot (per-timeframe technicals), market_regime (SPY, VIX, the sector ETF, market
 * internals) and order_book_state (bid, ask, spread, volume, open interest, IV, greeks). Only
 * data complete before the entry is read — a bar counts when it has closed, a quote when it is
 * at or before the entry — and each object lists in "missing" every value it could not compute;
 * nothing is estimated or carried over. Definitions: docs/context.md.
 *
 * Load: a few dozen index seeks and a few thousand bars per trade (the windows of
 * HS_CONTEXT_WINDOW bars, resampled from one-minute bars where a timeframe is not stored);
 * breadth reads the last price of every stock instrument.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-context.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "hs-context-calc.h"
#include "hs-indicators.h"
#include "hs-interval.h"
#include "hs-records.h"
#include "hs-resample.h"
#include "hs-store-context.h"
#include "hs-store-market.h"
#include "hs-time.h"

#define US_PER_S G_GINT64_CONSTANT (1000000)
#define US_PER_DAY (86400 * US_PER_S)

typedef struct
{
  const char *key;        /* in signals_snapshot */
  const char *interval;   /* stored interval */
  int64_t     seconds;
} Timeframe;

static const Timeframe timeframes[] = {
  { "1m", "1m", 60 },
  { "5m", "5m", 300 },
  { "15m", "15m", 900 },
  { "1h", "1h", 3600 },
  { "daily", "1d", 86400 },
};
#define DAILY (G_N_ELEMENTS (timeframes) - 1)

typedef struct
{
  HsStore   *store;
  int64_t    entry;
  GTimeZone *ny;   /* (owned) */
} Collector;

/* The last close of an instrument at the entry (docs/context.md, "Last price"). */
typedef struct
{
  gboolean found;
  double   price;
  int64_t  day;    /* the price's session day, days since 1970-01-01 */
} LastPrice;

static int64_t
floor_div (int64_t a,
           int64_t b)
{
  int64_t q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t
utc_day (int64_t ts)
{
  return floor_div (ts, US_PER_DAY);
}

/* The day a time belongs to: its New York date for US equity sessions, else its UTC date. */
static int64_t
session_day (Collector    *c,
             HsSessionKind session,
             int64_t       ts)
{
  int64_t day;

  if (session != HS_SESSION_US_EQUITY)
    return utc_day (ts);
  hs_session_days (&ts, 1, c->ny, &day);
  return day;
}

/* The time of @hour:@minute New York on @day (days since 1970-01-01). */
static int64_t
ny_time_of_day (Collector *c,
                int64_t    day,
                int        hour,
                int        minute)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day * 86400);
  g_autoptr(GDateTime) local = g_date_time_new (c->ny, g_date_time_get_year (utc),
                                                g_date_time_get_month (utc),
                                                g_date_time_get_day_of_month (utc), hour,
                                                minute, 0);

  return g_date_time_to_unix (local) * US_PER_S;
}

static HsBars *
empty_bars (int64_t seconds)
{
  return hs_bars_new (0, seconds);
}

/* The completed bars of @interval resampled from the stored one-minute bars: the 1m bars are
 * read from a UTC midnight (no bucket of 5m … 1d straddles one, in either session, so the first
 * bucket is whole), going further back until the window is full or the history ends. */
static HsBars *
resample_from_minutes (Collector     *c,
                       int64_t        id,
                       HsSessionKind  session,
                       const char    *interval,
                       int64_t        seconds,
                       GError       **error)
{
  gboolean found = FALSE;
  int64_t first = 0, last = 0, days;
  double factor;

  if (!hs_store_bar_range (c->store, id, "1m", G_MININT64, c->entry - 60 * US_PER_S, &found,
                           &first, &last, error))
    return NULL;
  if (!found)
    return empty_bars (seconds);
  /* Calendar days that hold HS_CONTEXT_WINDOW bars: a US session is 6.5 h of 5 weekdays. */
  factor = session == HS_SESSION_US_EQUITY ? (seconds >= 86400 ? 1.5 : 6.0) : 1.1;
  days = (int64_t) ceil (HS_CONTEXT_WINDOW * (double) seconds * factor / 86400.0) + 2;
  for (;;)
    {
      int64_t from = (utc_day (c->entry) - days) * US_PER_DAY;
      g_autoptr(HsBars) raw = hs_store_load_bars (c->store, id, "1m", from,
                                                  c->entry - 60 * US_PER_S, error);
      g_autoptr(HsResampled) r = NULL;
      size_t k = 0, m;

      if (raw == NULL)
        return NULL;
      if (raw->n > 0)
        {
          r = hs_resample (raw, interval, session, error);
          if (r == NULL)
            return NULL;
          while (k < r->bars->n && r->end_ts[k] <= c->entry)
            k++;
        }
      if (k >= HS_CONTEXT_WINDOW || first >= from)
        {
          m = MIN (k, (size_t) HS_CONTEXT_WINDOW);
          return m == 0 ? empty_bars (seconds) : hs_bars_slice (r->bars, k - m, m);
        }
      days *= 2;
    }
}

/* The last HS_CONTEXT_WINDOW bars of a timeframe completed by the entry: the stored bars of its
 * interval when there are any, else (except for 1m) resampled from the one-minute bars. */
static HsBars *
load_timeframe (Collector       *c,
                int64_t          id,
                HsSessionKind    session,
                const Timeframe *tf,
                GError         **error)
{
  g_autoptr(HsBars) stored = hs_store_load_last_bars (c->store, id, tf->interval,
                                                      c->entry - tf->seconds * US_PER_S,
                                                      HS_CONTEXT_WINDOW, error);

  if (stored == NULL)
    return NULL;
  if (stored->n > 0 || g_str_equal (tf->interval, "1m"))
    return g_steal_pointer (&stored);
  return resample_from_minutes (c, id, session, tf->interval, tf->seconds, error);
}

/* The close of the most recently completed stored bar of any interval from 1m to 1d (on a tie,
 * the shorter interval), if it completed at most HS_CONTEXT_PRICE_MAX_AGE_S before the entry. */
static gboolean
last_price (Collector     *c,
            int64_t        id,
            HsSessionKind  session,
            LastPrice     *out,
            GError       **error)
{
  static const char *intervals[] = { "1m", "5m", "15m", "30m", "1h", "1d" };
  int64_t best_end = G_MININT64;

  out->found = FALSE;
  for (size_t i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      int64_t len = hs_interval_lookup (intervals[i])->seconds * US_PER_S;
      g_autoptr(HsBars) b = hs_store_load_last_bars (c->store, id, intervals[i], c->entry - len,
                                                     1, error);

      if (b == NULL)
        return FALSE;
      if (b->n == 1 && b->ts[0] + len > best_end)
        {
          best_end = b->ts[0] + len;
          out->price = b->close[0];
          out->day = g_str_equal (intervals[i], "1d") ? utc_day (b->ts[0])
                                                      : session_day (c, session, b->ts[0]);
        }
    }
  out->found = best_end != G_MININT64 && c->entry - best_end <= HS_CONTEXT_PRICE_MAX_AGE_S * US_PER_S;
  return TRUE;
}

/* The close of the last completed session before @day, at most HS_CONTEXT_PREV_CLOSE_MAX_DAYS
 * earlier: from the stored daily bars when there are any, else resampled from 1m. */
static gboolean
previous_close (Collector     *c,
                int64_t        id,
                HsSessionKind  session,
                int64_t        day,
                double        *close,
                gboolean      *found,
                GError       **error)
{
  g_autoptr(HsBars) daily = hs_store_load_last_bars (c->store, id, "1d",
                                                     c->entry - US_PER_DAY, 16, error);
  g_autoptr(HsBars) raw = NULL;
  g_autoptr(HsResampled) r = NULL;
  int64_t oldest = day - HS_CONTEXT_PREV_CLOSE_MAX_DAYS;

  *found = FALSE;
  if (daily == NULL)
    return FALSE;
  if (daily->n == 0)
    {
      raw = hs_store_load_bars (c->store, id, "1m", oldest * US_PER_DAY,
                                c->entry - 60 * US_PER_S, error);
      if (raw == NULL)
        return FALSE;
      if (raw->n == 0)
        return TRUE;
      r = hs_resample (raw, "1d", session, error);
      if (r == NULL)
        return FALSE;
    }
  for (size_t i = r ? r->bars->n : daily->n; i > 0; i--)
    {
      const HsBars *b = r ? r->bars : daily;
      int64_t d = utc_day (b->ts[i - 1]);

      if (r != NULL && r->end_ts[i - 1] > c->entry)
        continue;
      if (d < day)
        {
          *found = d >= oldest;
          *close = b->close[i - 1];
          return TRUE;
        }
    }
  return TRUE;
}

/* The last price and its change since the previous session's close, in percent (NAN when not
 * computable). */
static gboolean
price_and_change (Collector     *c,
                  int64_t        id,
                  HsSessionKind  session,
                  LastPrice     *price,
                  double        *pct,
                  GError       **error)
{
  double prev = NAN;
  gboolean found = FALSE;

  *pct = NAN;
  if (!last_price (c, id, session, price, error))
    return FALSE;
  if (!price->found)
    return TRUE;
  if (!previous_close (c, id, session, price->day, &prev, &found, error))
    return FALSE;
  if (found)
    *pct = hs_context_pct_change (price->price, prev);
  return TRUE;
}

/* The session kind of an instrument by its kind (docs/resampling.md). */
static gboolean
instrument_session (Collector     *c,
                    int64_t        id,
                    HsSessionKind *session,
                    GError       **error)
{
  g_autoptr(HsContextInstrument) inst = hs_store_load_context_instrument (c->store, id, error);

  if (inst == NULL)
    return FALSE;
  *session = hs_session_kind_for_instrument (inst->kind);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------------
 * JSON: built with JsonBuilder, written with 15 significant digits (json-glib writes 17, so a
 * computed 61.2 would read "61.200000000000003"); member order is the order of insertion.
 * ------------------------------------------------------------------------------------------- */

static void
write_string (GString    *out,
              const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      unsigned char ch = (unsigned char) *p;

      if (ch == '"' || ch == '\\')
        g_string_append_printf (out, "\\%c", ch);
      else if (ch < 0x20)
        g_string_append_printf (out, "\\u%04x", ch);
      else
        g_string_append_c (out, (char) ch);
    }
  g_string_append_c (out, '"');
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *obj = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (obj);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            write_string (out, l->data);
            g_string_append_c (out, ':');
            write_node (out, json_object_get_member (obj, l->data));
          }
        g_string_append_c (out, '}');
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *arr = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (arr); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (arr, i));
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);
        char buf[32];

        if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          {
            hs_format_double_computed (json_node_get_double (node), buf);
            g_string_append (out, buf);
          }
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else
          write_string (out, json_node_get_string (node));
        break;
      }
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* One context object under construction: the builder and its "missing" names. */
typedef struct
{
  JsonBuilder *b;         /* (owned) */
  GPtrArray   *missing;   /* (owned) dotted names */
  const char  *prefix;    /* (nullable) of the object being filled, e.g. "5m", "spy" */
} Obj;

static void
obj_init (Obj *o)
{
  o->b = json_builder_new ();
  o->missing = g_ptr_array_new_with_free_func (g_free);
  o->prefix = NULL;
  json_builder_begin_object (o->b);
}

static void
obj_clear (Obj *o)
{
  g_clear_object (&o->b);
  g_clear_pointer (&o->missing, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Obj, obj_clear)

static void
obj_missing (Obj        *o,
             const char *name)
{
  g_ptr_array_add (o->missing, o->prefix ? g_strconcat (o->prefix, ".", name, NULL)
                                         : g_strdup (name));
}

static void
obj_double (Obj        *o,
            const char *name,
            double      v)
{
  if (!isfinite (v))
    {
      obj_missing (o, name);
      return;
    }
  json_builder_set_member_name (o->b, name);
  json_builder_add_double_value (o->b, v);
}

static void
obj_int (Obj        *o,
         const char *name,
         gboolean    known,
         int64_t     v)
{
  if (!known)
    {
      obj_missing (o, name);
      return;
    }
  json_builder_set_member_name (o->b, name);
  json_builder_add_int_value (o->b, v);
}

static void
obj_string (Obj        *o,
            const char *name,
            const char *v)
{
  if (v == NULL)
    {
      obj_missing (o, name);
      return;
    }
  json_builder_set_member_name (o->b, name);
  json_builder_add_string_value (o->b, v);
}

static void
obj_begin (Obj        *o,
           const char *name)
{
  json_builder_set_member_name (o->b, name);
  json_builder_begin_object (o->b);
  o->prefix = name;
}

static void
obj_end (Obj *o)
{
  json_builder_end_object (o->b);
  o->prefix = NULL;
}

/* Closes the object with its "missing" array and returns its text. */
static char *
obj_finish (Obj *o)
{
  g_autoptr(JsonNode) root = NULL;
  GString *out = g_string_new (NULL);

  json_builder_set_member_name (o->b, "missing");
  json_builder_begin_array (o->b);
  for (guint i = 0; i < o->missing->len; i++)
    json_builder_add_string_value (o->b, o->missing->pdata[i]);
  json_builder_end_array (o->b);
  json_builder_end_object (o->b);
  root = json_builder_get_root (o->b);
  write_node (out, root);
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------------
 * The three objects
 * ------------------------------------------------------------------------------------------- */

static gboolean
collect_signals (Collector     *c,
                 int64_t        id,
                 HsSessionKind  session,
                 HsBars       **daily_out,
                 char         **json,
                 GError       **error)
{
  g_auto(Obj) o = { NULL };

  obj_init (&o);
  for (size_t t = 0; t < G_N_ELEMENTS (timeframes); t++)
    {
      g_autoptr(HsBars) bars = load_timeframe (c, id, session, &timeframes[t], error);
      HsTfSignals s;

      if (bars == NULL)
        return FALSE;
      hs_context_tf_signals (bars, &s);
      obj_begin (&o, timeframes[t].key);
      obj_double (&o, "rsi", s.rsi);
      obj_double (&o, "macd_hist", s.macd_hist);
      obj_string (&o, "ema_9_21_cross", hs_context_state_to_string (s.ema_9_21_cross));
      obj_string (&o, "squeeze", hs_squeeze_state_to_string (s.squeeze));
      obj_string (&o, "trend", hs_context_state_to_string (s.trend));
      obj_double (&o, "dist_from_200sma", s.dist_from_200sma);
      obj_end (&o);
      if (t == DAILY)
        *daily_out = g_steal_pointer (&bars);
    }
  *json = obj_finish (&o);
  return TRUE;
}

/* The first of @symbols that is an instrument with a fresh last price. */
static gboolean
first_priced (Collector          *c,
              const char * const *symbols,
              LastPrice          *price,
              GError            **error)
{
  price->found = FALSE;
  for (size_t i = 0; symbols[i] != NULL; i++)
    {
      int64_t id = 0;
      HsSessionKind session;

      if (!hs_store_find_symbol (c->store, symbols[i], &id, error))
        return FALSE;
      if (id == 0)
        continue;
      if (!instrument_session (c, id, &session, error) || !last_price (c, id, session, price, error))
        return FALSE;
      if (price->found)
        return TRUE;
    }
  return TRUE;
}

/* The sector ETF of @symbol: symbol_sectors, else the instrument's sector_etf column, else the
 * symbol itself when it is a sector ETF. */
static gboolean
sector_of (Collector                 *c,
           const HsContextInstrument *inst,
           char                     **etf,
           GError                   **error)
{
  gboolean is_etf = FALSE;

  if (!hs_store_lookup_sector_etf (c->store, inst->symbol, etf, error))
    return FALSE;
  if (*etf == NULL && inst->sector_etf != NULL && inst->sector_etf[0] != '\0')
    *etf = g_strdup (inst->sector_etf);
  if (*etf == NULL)
    {
      if (!hs_store_is_sector_etf (c->store, inst->symbol, &is_etf, error))
        return FALSE;
      if (is_etf)
        *etf = g_strdup (inst->symbol);
    }
  return TRUE;
}

static void
daily_days (const HsBars *b,
            int64_t      *days)
{
  for (size_t i = 0; i < b->n; i++)
    days[i] = utc_day (b->ts[i]);
}

static gboolean
collect_sector (Collector                 *c,
                Obj                       *o,
                const HsContextInstrument *inst,
                const HsBars              *daily,
                GError                   **error)
{
  g_autofree char *etf = NULL;
  g_autoptr(HsBars) etf_daily = NULL;
  g_autofree int64_t *days_a = NULL, *days_b = NULL;
  int64_t etf_id = 0;
  HsSessionKind session;
  LastPrice price;
  double pct = NAN;

  if (!sector_of (c, inst, &etf, error))
    return FALSE;
  obj_begin (o, "sector");
  obj_string (o, "ticker", etf);
  if (etf != NULL && !hs_store_find_symbol (c->store, etf, &etf_id, error))
    return FALSE;
  if (etf_id == 0)
    {
      obj_missing (o, "pct_change");
      obj_missing (o, "correlation_30d");
      obj_end (o);
      return TRUE;
    }
  if (!instrument_session (c, etf_id, &session, error)
      || !price_and_change (c, etf_id, session, &price, &pct, error))
    return FALSE;
  obj_double (o, "pct_change", pct);
  etf_daily = load_timeframe (c, etf_id, session, &timeframes[DAILY], error);
  if (etf_daily == NULL)
    return FALSE;
  days_a = g_new (int64_t, daily->n + 1);
  days_b = g_new (int64_t, etf_daily->n + 1);
  daily_days (daily, days_a);
  daily_days (etf_daily, days_b);
  obj_double (o, "correlation_30d",
              hs_context_return_correlation (days_a, daily->close, daily->n, days_b,
                                             etf_daily->close, etf_daily->n,
                                             HS_CONTEXT_CORRELATION_RETURNS));
  obj_end (o);
  return TRUE;
}

/* Advancers and decliners: the stock instruments whose last price is above / below their
 * previous session's close. */
static gboolean
collect_breadth (Collector *c,
                 Obj       *o,
                 GError   **error)
{
  g_autoptr(GArray) ids = hs_store_instruments_of_kind (c->store, "stock", error);
  int64_t adv = 0, dec = 0, counted = 0;
  gboolean enough;

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      LastPrice price;
      double pct;

      if (!price_and_change (c, g_array_index (ids, int64_t, i), HS_SESSION_US_EQUITY, &price,
                             &pct, error))
        return FALSE;
      if (isnan (pct))
        continue;
      counted++;
      adv += pct > 0;
      dec += pct < 0;
    }
  enough = counted >= HS_CONTEXT_BREADTH_MIN;
  obj_int (o, "advancers", enough, adv);
  obj_int (o, "decliners", enough, dec);
  obj_string (o, "ad_line", !enough ? NULL : adv > dec ? "advancing"
                            : dec > adv ? "declining" : "flat");
  return TRUE;
}

static gboolean
collect_regime (Collector                 *c,
                const HsContextInstrument *inst,
                const HsBars              *daily,
                char                     **json,
                GError                   **error)
{
  static const char * const vix[] = { "VIX", "^VIX", NULL };
  static const char * const pcr[] = { "$CPC", "CPC", "$PCALL", NULL };
  g_auto(Obj) o = { NULL };
  LastPrice price;
  HsSessionKind session;
  int64_t spy_id = 0;
  double pct = NAN;

  obj_init (&o);
  obj_begin (&o, "spy");
  if (!hs_store_find_symbol (c->store, "SPY", &spy_id, error))
    return FALSE;
  price.found = FALSE;
  if (spy_id != 0 && (!instrument_session (c, spy_id, &session, error)
                      || !price_and_change (c, spy_id, session, &price, &pct, error)))
    return FALSE;
  obj_double (&o, "price", price.found ? price.price : NAN);
  obj_double (&o, "pct_change", pct);
  if (!first_priced (c, vix, &price, error))
    return FALSE;
  obj_double (&o, "vix", price.found ? price.price : NAN);
  obj_end (&o);

  if (!collect_sector (c, &o, inst, daily, error))
    return FALSE;

  obj_begin (&o, "market_internals");
  if (!first_priced (c, pcr, &price, error))
    return FALSE;
  obj_double (&o, "put_call_ratio", price.found ? price.price : NAN);
  if (!collect_breadth (c, &o, error))
    return FALSE;
  obj_end (&o);
  *json = obj_finish (&o);
  return TRUE;
}

static gboolean
fresh (int64_t entry,
       int64_t ts,
       int64_t max_age_s)
{
  return ts <= entry && entry - ts <= max_age_s * US_PER_S;
}

/* The instrument's volume in its session so far: Σ volume of its 1m bars completed by the
 * entry, from the session's open (09:30 New York, or 00:00 UTC for 24/7 markets) to its close. */
static gboolean
session_volume (Collector     *c,
                int64_t        id,
                HsSessionKind  session,
                double        *volume,
                gboolean      *found,
                GError       **error)
{
  int64_t day = session_day (c, session, c->entry), open, close, n = 0;

  if (session == HS_SESSION_US_EQUITY)
    {
      open = ny_time_of_day (c, day, 9, 30);
      close = ny_time_of_day (c, day, 16, 0);
    }
  else
    {
      open = day * US_PER_DAY;
      close = open + US_PER_DAY;
    }
  if (!hs_store_sum_volume (c->store, id, "1m", open,
                            MIN (c->entry, close) - 60 * US_PER_S, volume, &n, error))
    return FALSE;
  *found = n > 0;
  return TRUE;
}

static gboolean
collect_book (Collector                 *c,
              const HsContextInstrument *inst,
              char                     **json,
              GError                   **error)
{
  g_auto(Obj) o = { NULL };
  HsOptionQuote oq;
  HsQuote q;
  HsBookTop bk;
  gboolean have_oq = FALSE, have_q = FALSE, have_bk = FALSE, have_volume = FALSE;
  double bid = NAN, ask = NAN, volume = NAN;
  const char *source = NULL;
  int64_t ts = G_MININT64;

  hs_option_quote_init (&oq);
  if (!hs_store_option_quote_at (c->store, inst->id, c->entry, &oq, &have_oq, error)
      || !hs_store_quote_at (c->store, inst->id, c->entry, &q, &have_q, error)
      || !hs_store_book_at (c->store, inst->id, c->entry, &bk, &have_bk, error))
    return FALSE;
  have_oq = have_oq && fresh (c->entry, oq.ts, HS_CONTEXT_OPTION_MAX_AGE_S);
  have_q = have_q && fresh (c->entry, q.ts, HS_CONTEXT_QUOTE_MAX_AGE_S);
  have_bk = have_bk && fresh (c->entry, bk.ts, HS_CONTEXT_QUOTE_MAX_AGE_S);

  /* The newest of the three gives bid and ask; on a tie, option quote, order book, quote. */
  if (have_oq && isfinite (oq.bid) && isfinite (oq.ask))
    {
      bid = oq.bid, ask = oq.ask, ts = oq.ts;
      source = "option_quotes";
    }
  if (have_bk && isfinite (bk.best_bid) && isfinite (bk.best_ask) && bk.ts > ts)
    {
      bid = bk.best_bid, ask = bk.best_ask, ts = bk.ts;
      source = "orderbook_snapshots";
    }
  if (have_q && q.ts > ts)
    {
      bid = q.bid, ask = q.ask, ts = q.ts;
      source = "quotes";
    }

  obj_init (&o);
  obj_double (&o, "bid", bid);
  obj_double (&o, "ask", ask);
  obj_double (&o, "spread_pct", hs_context_spread_pct (bid, ask));
  if (have_oq && oq.volume >= 0)
    {
      volume = (double) oq.volume;
      have_volume = TRUE;
    }
  else if (!session_volume (c, inst->id, hs_session_kind_for_instrument (inst->kind), &volume,
                            &have_volume, error))
    return FALSE;
  obj_int (&o, "volume", have_volume, have_volume ? (int64_t) llround (volume) : 0);
  obj_int (&o, "open_interest", have_oq && oq.open_interest >= 0, oq.open_interest);
  obj_double (&o, "iv", have_oq ? oq.iv : NAN);
  obj_begin (&o, "greeks");
  obj_double (&o, "delta", have_oq ? oq.delta : NAN);
  obj_double (&o, "gamma", have_oq ? oq.gamma : NAN);
  obj_double (&o, "theta", have_oq ? oq.theta : NAN);
  obj_double (&o, "vega", have_oq ? oq.vega : NAN);
  obj_end (&o);
  /* Where bid and ask came from: provenance, not values, so never "missing". */
  if (source != NULL)
    {
      g_autofree char *iso = hs_time_format_iso (ts);

      obj_string (&o, "source", source);
      obj_string (&o, "ts", iso);
    }
  *json = obj_finish (&o);
  return TRUE;
}

static gboolean
collect (Collector      *c,
         int64_t         instrument_id,
         HsTradeContext *out,
         GError        **error)
{
  g_autoptr(HsContextInstrument) inst = NULL, subject = NULL;
  g_autoptr(HsBars) daily = NULL;
  g_auto(HsTradeContext) ctx = { NULL };
  HsSessionKind session;

  inst = hs_store_load_context_instrument (c->store, instrument_id, error);
  if (inst == NULL)
    return FALSE;
  /* An option's technicals and sector are its underlying's; its book is its own. */
  subject = hs_store_load_context_instrument (c->store, inst->underlying_id ? inst->underlying_id
                                                                            : inst->id, error);
  if (subject == NULL)
    return FALSE;
  session = hs_session_kind_for_instrument (subject->kind);
  if (!collect_signals (c, subject->id, session, &daily, &ctx.signals_snapshot, error)
      || !collect_regime (c, subject, daily, &ctx.market_regime, error)
      || !collect_book (c, inst, &ctx.order_book_state, error))
    return FALSE;
  *out = ctx;
  memset (&ctx, 0, sizeof ctx);
  return TRUE;
}

/**
 * hs_context_collect:
 * @instrument_id: the traded instrument (an option's signals and sector are its underlying's)
 * @entry_ts: the entry time, µs UTC; only bars completed by it and rows at or before it are read
 * @out: (out caller-allocates): the three objects' JSON text, on success
 *
 * Reads in one snapshot of the database (the caller's transaction, or a read transaction of its
 * own) and never writes. The same data before @entry_ts gives byte-identical text, whatever is
 * stored after it.
 *
 * Returns: %FALSE with @error set when the store fails or the instrument does not exist
 *   (%HS_STORE_ERROR_NOT_FOUND); values that cannot be computed are not errors but "missing"
 */
gboolean
hs_context_collect (HsStore        *store,
                    int64_t         instrument_id,
                    int64_t         entry_ts,
                    HsTradeContext *out,
                    GError        **error)
{
  Collector c = { store, entry_ts, NULL };
  gboolean own = FALSE, ok;

  g_return_val_if_fail (store != NULL && out != NULL, FALSE);
  c.ny = g_time_zone_new_identifier ("America/New_York");
  if (c.ny == NULL)
    {
      g_set_error (error, HS_RESAMPLE_ERROR, HS_RESAMPLE_ERROR_TIME_ZONE,
                   "America/New_York is not in the system's time zone data");
      return FALSE;
    }
  if (!hs_store_snapshot_begin (store, &own, error))
    {
      g_time_zone_unref (c.ny);
      return FALSE;
    }
  ok = collect (&c, instrument_id, out, error);
  hs_store_snapshot_end (store, own);
  g_time_zone_unref (c.ny);
  return ok;
}

void
hs_trade_context_clear (HsTradeContext *ctx)
{
  g_clear_pointer (&ctx->signals_snapshot, g_free);
  g_clear_pointer (&ctx->market_regime, g_free);
  g_clear_pointer (&ctx->order_book_state, g_free);
}
