/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importers: OHLCV bars, trades and quotes from CSV; order book and prediction-market snapshots
 * from JSON Lines; and the data of the lean profile from CSV: LEAN's quote bars, factor files
 * and a market's holidays and early closes. Each file is streamed row by row into one
 * transaction, so an import is all or nothing: the first bad row rolls everything back and is
 * reported as FILE:LINE: reason (with the column where one is at fault). Rows already in the
 * database are skipped, so importing a file twice adds nothing. Runs on whichever thread calls
 * it, with its own store.
 *
 * Load: tests/bench/bench-import takes a million rows in about a second (README); most of that
 * is inside sqlite3_step, so the per-row path here allocates nothing and parses by hand, and
 * bars go in as multi-row INSERTs.
 */
#define G_LOG_DOMAIN "hs-import"

#include "config.h"

#include "hs-import.h"

#include <math.h>
#include <string.h>

#include "hs-csv.h"
#include "hs-interval.h"
#include "hs-json-records.h"
#include "hs-lean-data.h"
#include "hs-paper.h"
#include "hs-records.h"
#include "hs-store-lean.h"
#include "hs-store-market.h"
#include "hs-time.h"

G_DEFINE_QUARK (hs-import-error-quark, hs_import_error)

#define PROGRESS_EVERY 65536
#define CANCEL_EVERY 4096

static const char *kind_names[] = { "bars", "trades", "quotes", "orderbook", "snapshots",
                                    "quotebars", "factors", "calendar" };

const char *
hs_import_kind_to_string (HsImportKind kind)
{
  g_return_val_if_fail ((unsigned) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
hs_import_kind_from_string (const char   *text,
                            HsImportKind *out)
{
  for (size_t i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (text, kind_names[i]))
      {
        *out = (HsImportKind) i;
        return TRUE;
      }
  return FALSE;
}

HsImportRequest *
hs_import_request_copy (const HsImportRequest *req)
{
  HsImportRequest *copy = g_new0 (HsImportRequest, 1);

  *copy = *req;
  copy->path = g_strdup (req->path);
  copy->symbol = g_strdup (req->symbol);
  copy->exchange = g_strdup (req->exchange);
  copy->instrument_kind = g_strdup (req->instrument_kind);
  copy->interval = g_strdup (req->interval);
  copy->tz = g_strdup (req->tz);
  copy->columns = g_strdupv (req->columns);
  copy->source = g_strdup (req->source);
  copy->calendar = g_strdup (req->calendar);
  copy->market = g_strdup (req->market);
  return copy;
}

void
hs_import_request_free (HsImportRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->path);
  g_free (req->symbol);
  g_free (req->exchange);
  g_free (req->instrument_kind);
  g_free (req->interval);
  g_free (req->tz);
  g_strfreev (req->columns);
  g_free (req->source);
  g_free (req->calendar);
  g_free (req->market);
  g_free (req);
}

void
hs_import_result_clear (HsImportResult *res)
{
  g_clear_pointer (&res->symbol, g_free);
}

/* ------------------------------------------------------------------------------------------ */
/* Column roles                                                                                */

typedef enum
{
  ROLE_NONE = 0,
  ROLE_IGNORE,
  ROLE_DATE,
  ROLE_TIME,
  ROLE_TIMESTAMP,
  ROLE_OPEN,
  ROLE_HIGH,
  ROLE_LOW,
  ROLE_CLOSE,
  ROLE_VOLUME,
  ROLE_VWAP,
  ROLE_TRADE_COUNT,
  ROLE_PRICE,
  ROLE_SIZE,
  ROLE_SIDE,
  ROLE_TRADE_ID,
  ROLE_BID,
  ROLE_ASK,
  ROLE_BID_SIZE,
  ROLE_ASK_SIZE,
  ROLE_BID_OPEN,
  ROLE_BID_HIGH,
  ROLE_BID_LOW,
  ROLE_BID_CLOSE,
  ROLE_ASK_OPEN,
  ROLE_ASK_HIGH,
  ROLE_ASK_LOW,
  ROLE_ASK_CLOSE,
  ROLE_PRICE_FACTOR,
  ROLE_SPLIT_FACTOR,
  ROLE_REFERENCE_PRICE,
  ROLE_CLOSE_TIME,
  N_ROLES
} Role;

static const char *role_names[N_ROLES] = {
  NULL, NULL, "date", "time", "timestamp", "open", "high", "low", "close", "volume", "vwap",
  "trade_count", "price", "size", "side", "trade_id", "bid", "ask", "bid_size", "ask_size",
  "bid_open", "bid_high", "bid_low", "bid_close", "ask_open", "ask_high", "ask_low", "ask_close",
  "price_factor", "split_factor", "reference_price", "close_time",
};

#define K_BARS (1u << HS_IMPORT_BARS)
#define K_TRADES (1u << HS_IMPORT_TRADES)
#define K_QUOTES (1u << HS_IMPORT_QUOTES)
#define K_QUOTEBARS (1u << HS_IMPORT_QUOTEBARS)
#define K_FACTORS (1u << HS_IMPORT_FACTORS)
#define K_CALENDAR (1u << HS_IMPORT_CALENDAR)
#define K_ALL (K_BARS | K_TRADES | K_QUOTES | K_QUOTEBARS)
#define K_DATED (K_FACTORS | K_CALENDAR)

typedef struct
{
  const char *name;   /* lower case, spaces and dashes as underscores */
  Role        role;
  unsigned    kinds;
} Alias;

static const Alias aliases[] = {
  { "date", ROLE_DATE, K_ALL },
  { "day", ROLE_DATE, K_ALL },
  { "time", ROLE_TIME, K_ALL },
  { "datetime", ROLE_TIMESTAMP, K_ALL },
  { "date_time", ROLE_TIMESTAMP, K_ALL },
  { "timestamp", ROLE_TIMESTAMP, K_ALL },
  { "ts", ROLE_TIMESTAMP, K_ALL },
  { "open", ROLE_OPEN, K_BARS },
  { "o", ROLE_OPEN, K_BARS },
  { "high", ROLE_HIGH, K_BARS },
  { "h", ROLE_HIGH, K_BARS },
  { "low", ROLE_LOW, K_BARS },
  { "l", ROLE_LOW, K_BARS },
  { "close", ROLE_CLOSE, K_BARS },
  { "c", ROLE_CLOSE, K_BARS },
  { "volume", ROLE_VOLUME, K_BARS },
  { "vol", ROLE_VOLUME, K_BARS },
  { "v", ROLE_VOLUME, K_BARS },
  { "vwap", ROLE_VWAP, K_BARS },
  { "trade_count", ROLE_TRADE_COUNT, K_BARS },
  { "trades", ROLE_TRADE_COUNT, K_BARS },
  { "count", ROLE_TRADE_COUNT, K_BARS },
  { "n", ROLE_TRADE_COUNT, K_BARS },
  { "openinterest", ROLE_IGNORE, K_BARS },
  { "open_interest", ROLE_IGNORE, K_BARS },
  { "oi", ROLE_IGNORE, K_BARS },
  { "adj_close", ROLE_IGNORE, K_BARS },
  { "adjclose", ROLE_IGNORE, K_BARS },
  { "price", ROLE_PRICE, K_TRADES },
  { "p", ROLE_PRICE, K_TRADES },
  { "size", ROLE_SIZE, K_TRADES },
  { "qty", ROLE_SIZE, K_TRADES },
  { "quantity", ROLE_SIZE, K_TRADES },
  { "amount", ROLE_SIZE, K_TRADES },
  { "volume", ROLE_SIZE, K_TRADES },
  { "side", ROLE_SIDE, K_TRADES },
  { "taker_side", ROLE_SIDE, K_TRADES },
  { "trade_id", ROLE_TRADE_ID, K_TRADES },
  { "id", ROLE_TRADE_ID, K_TRADES },
  { "tid", ROLE_TRADE_ID, K_TRADES },
  { "bid", ROLE_BID, K_QUOTES },
  { "bid_price", ROLE_BID, K_QUOTES },
  { "ask", ROLE_ASK, K_QUOTES },
  { "ask_price", ROLE_ASK, K_QUOTES },
  { "bid_size", ROLE_BID_SIZE, K_QUOTES | K_QUOTEBARS },
  { "bidsize", ROLE_BID_SIZE, K_QUOTES },
  { "bid_qty", ROLE_BID_SIZE, K_QUOTES },
  { "ask_size", ROLE_ASK_SIZE, K_QUOTES | K_QUOTEBARS },
  { "asksize", ROLE_ASK_SIZE, K_QUOTES },
  { "ask_qty", ROLE_ASK_SIZE, K_QUOTES },
  /* LEAN's quote bars (its minute files: last_bid_size, last_ask_size). */
  { "last_bid_size", ROLE_BID_SIZE, K_QUOTEBARS },
  { "last_ask_size", ROLE_ASK_SIZE, K_QUOTEBARS },
  { "bid_open", ROLE_BID_OPEN, K_QUOTEBARS },
  { "bid_high", ROLE_BID_HIGH, K_QUOTEBARS },
  { "bid_low", ROLE_BID_LOW, K_QUOTEBARS },
  { "bid_close", ROLE_BID_CLOSE, K_QUOTEBARS },
  { "ask_open", ROLE_ASK_OPEN, K_QUOTEBARS },
  { "ask_high", ROLE_ASK_HIGH, K_QUOTEBARS },
  { "ask_low", ROLE_ASK_LOW, K_QUOTEBARS },
  { "ask_close", ROLE_ASK_CLOSE, K_QUOTEBARS },
  /* Factor files and calendars: a trading date per row. */
  { "date", ROLE_DATE, K_DATED },
  { "price_factor", ROLE_PRICE_FACTOR, K_FACTORS },
  { "split_factor", ROLE_SPLIT_FACTOR, K_FACTORS },
  { "reference_price", ROLE_REFERENCE_PRICE, K_FACTORS },
  { "close_time", ROLE_CLOSE_TIME, K_CALENDAR },
  { "close", ROLE_CLOSE_TIME, K_CALENDAR },
};

static char *
normalize_name (const char *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));
  char *lower = g_ascii_strdown (stripped, -1);

  for (char *p = lower; *p; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';
  return lower;
}

static Role
lookup_role (const char  *name,
             HsImportKind kind)
{
  for (size_t i = 0; i < G_N_ELEMENTS (aliases); i++)
    if ((aliases[i].kinds & (1u << kind)) && g_str_equal (aliases[i].name, name))
      return aliases[i].role;
  return ROLE_NONE;
}

static char *
known_names (HsImportKind kind)
{
  GString *s = g_string_new (NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (aliases[i].kinds & (1u << kind))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", aliases[i].name);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Import state                                                                                */

/* Timestamps seen in this file, to refuse a duplicate. Sorted files (the usual case) need only
 * the last one; the set is built the first time a row goes back in time. */
typedef struct
{
  GArray     *all;    /* int64_t */
  GHashTable *set;    /* (nullable) int64 keys */
  int64_t     last;
  gboolean    any;
} TsSet;

typedef struct
{
  const HsImportRequest *req;
  HsStore               *store;
  HsImportResult        *result;
  HsProgressFunc         progress;
  gpointer               progress_data;
  GCancellable          *cancellable;
  GTimeZone             *tz;          /* (owned) (nullable) NULL is UTC */
  HsCsvReader           *reader;      /* (owned) */
  size_t                 line;
  gboolean               in_transaction;
  int64_t                instrument_id;
  gboolean               have_instrument;

  /* CSV */
  size_t                 n_columns;
  Role                   roles[HS_CSV_MAX_FIELDS];
  int                    col[N_ROLES];   /* column index per role, -1 if absent */
  char                  *header_text;    /* (owned) the header line, for messages */
  gboolean               columns_named;  /* --columns was given */
  TsSet                  seen;
  GHashTable            *ids;            /* (owned) (nullable) trade ids seen */
  int64_t                prev_ts;
  int64_t                seq;
  double                 cvd;
  HsBar                  batch[HS_STORE_BAR_BATCH];   /* bars checked, not yet written */
  size_t                 n_batch;
  size_t                 batch_line;                  /* line of batch[0] */
  GArray                *factors;        /* (owned) (nullable) HsPriceFactor read so far */
  gboolean               headerless;     /* LEAN's own factor file: the first line is data */
  HsMarketDayKind        day_kind;       /* calendar */
} Import;

static void
ts_set_init (TsSet *s)
{
  s->all = g_array_new (FALSE, FALSE, sizeof (int64_t));
  s->set = NULL;
  s->any = FALSE;
}

static void
ts_set_clear (TsSet *s)
{
  g_clear_pointer (&s->all, g_array_unref);
  g_clear_pointer (&s->set, g_hash_table_unref);
}

/* Adds @ts; returns FALSE when it was there already. */
static gboolean
ts_set_add (TsSet  *s,
            int64_t ts)
{
  if (s->set == NULL && (!s->any || ts > s->last))
    {
      g_array_append_val (s->all, ts);
      s->last = ts;
      s->any = TRUE;
      return TRUE;
    }
  if (s->set == NULL)
    {
      s->set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < s->all->len; i++)
        g_hash_table_add (s->set, g_memdup2 (&g_array_index (s->all, int64_t, i), sizeof (int64_t)));
    }
  if (g_hash_table_contains (s->set, &ts))
    return FALSE;
  g_hash_table_add (s->set, g_memdup2 (&ts, sizeof ts));
  return TRUE;
}

static gboolean G_GNUC_PRINTF (3, 4)
bad (Import     *im,
     GError    **error,
     const char *format,
     ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT, "%s:%zu: %s", im->req->path,
               im->line, msg);
  return FALSE;
}

/* A field error names its column by position and by header name. */
static gboolean G_GNUC_PRINTF (4, 5)
bad_field (Import     *im,
           int         col,
           GError    **error,
           const char *format,
           ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  return bad (im, error, "column %d (%s): %s", col + 1, role_names[im->roles[col]], msg);
}

static gboolean
report (Import *im,
        GError **error)
{
  if (im->result->rows % CANCEL_EVERY == 0
      && g_cancellable_set_error_if_cancelled (im->cancellable, error))
    return FALSE;
  if (im->progress != NULL && im->result->rows % PROGRESS_EVERY == 0)
    {
      uint64_t size = hs_csv_reader_size (im->reader);
      g_autofree char *msg = g_strdup_printf ("%" G_GINT64_FORMAT " rows", im->result->rows);

      im->progress (size ? (double) hs_csv_reader_offset (im->reader) / (double) size : 0.0, msg,
                    im->progress_data);
    }
  return TRUE;
}

static gboolean
begin_once (Import  *im,
            GError **error)
{
  if (!im->in_transaction)
    {
      if (!hs_store_begin (im->store, error))
        return FALSE;
      im->in_transaction = TRUE;
    }
  return TRUE;
}

static gboolean
ensure_instrument (Import     *im,
                   const char *symbol,
                   const char *default_kind,
                   GError    **error)
{
  if (!begin_once (im, error))
    return FALSE;
  if (im->have_instrument)
    return TRUE;
  if (!hs_store_ensure_instrument (im->store, symbol, im->req->exchange,
                                   im->req->instrument_kind ? im->req->instrument_kind
                                                            : default_kind,
                                   &im->instrument_id, error))
    return FALSE;
  im->have_instrument = TRUE;
  return TRUE;
}

/* Counts a row read; whether it was new is counted when it is written. */
static void
count_read (Import *im,
            int64_t ts)
{
  HsImportResult *r = im->result;

  if (r->rows == 0 || ts < r->first_ts)
    r->first_ts = ts;
  if (r->rows == 0 || ts > r->last_ts)
    r->last_ts = ts;
  r->rows++;
}

static void
count_written (Import *im,
               int64_t n,
               int64_t inserted)
{
  im->result->inserted += inserted;
  im->result->present += n - inserted;
}

static void
count_row (Import  *im,
           int64_t  ts,
           gboolean inserted)
{
  count_read (im, ts);
  count_written (im, 1, inserted ? 1 : 0);
}

/* Writes the bars held back for one multi-row INSERT. Every rule was checked as they were read,
 * so a failure here is the store's; it names the lines of the batch. */
static gboolean
flush_bars (Import  *im,
            GError **error)
{
  g_autoptr(GError) local = NULL;
  int64_t inserted = 0;

  if (im->n_batch == 0)
    return TRUE;
  if (!hs_store_insert_bars (im->store, im->instrument_id, im->req->interval, im->batch,
                             im->n_batch, &inserted, &local))
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT, "%s:%zu-%zu: %s",
                   im->req->path, im->batch_line, im->line, local->message);
      return FALSE;
    }
  count_written (im, (int64_t) im->n_batch, inserted);
  im->n_batch = 0;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* CSV                                                                                         */

static gboolean
map_columns (Import  *im,
             char   **names,
             size_t   n,
             GError **error)
{
  HsImportKind kind = im->req->kind;

  if (n > HS_CSV_MAX_FIELDS)
    return bad (im, error, "more than %d columns", HS_CSV_MAX_FIELDS);
  for (int r = 0; r < N_ROLES; r++)
    im->col[r] = -1;
  im->n_columns = n;
  for (size_t i = 0; i < n; i++)
    {
      g_autofree char *name = normalize_name (names[i]);
      Role role = lookup_role (name, kind);

      if (name[0] == '\0')
        return bad (im, error, "column %zu has no name%s", i + 1,
                    im->columns_named ? "" : "; name the columns with --columns");
      if (role == ROLE_NONE)
        {
          g_autofree char *known = known_names (kind);

          return bad (im, error, "unknown column “%s” (column %zu); known columns for %s: %s",
                      names[i], i + 1, hs_import_kind_to_string (kind), known);
        }
      im->roles[i] = role;
      if (role == ROLE_IGNORE)
        continue;
      if (im->col[role] >= 0)
        return bad (im, error, "columns %d and %zu both give %s", im->col[role] + 1, i + 1,
                    role_names[role]);
      im->col[role] = (int) i;
    }
  /* A lone "time" column holds the whole timestamp. */
  if (im->col[ROLE_TIME] >= 0 && im->col[ROLE_DATE] < 0 && im->col[ROLE_TIMESTAMP] < 0)
    {
      im->col[ROLE_TIMESTAMP] = im->col[ROLE_TIME];
      im->roles[im->col[ROLE_TIME]] = ROLE_TIMESTAMP;
      im->col[ROLE_TIME] = -1;
    }
  if (im->col[ROLE_TIMESTAMP] >= 0 && (im->col[ROLE_DATE] >= 0 || im->col[ROLE_TIME] >= 0))
    return bad (im, error, "give either one timestamp column or date and time columns, not both");
  if (im->col[ROLE_TIMESTAMP] < 0 && im->col[ROLE_DATE] < 0)
    return bad (im, error, (1u << kind) & K_DATED ? "missing required column “date”"
                           : "missing required column: a time (timestamp, datetime or date)");
  if (kind == HS_IMPORT_CALENDAR && im->day_kind == HS_MARKET_DAY_HOLIDAY
      && im->col[ROLE_CLOSE_TIME] >= 0)
    return bad (im, error, "column %d (close_time): holidays have no close time; import early "
                "closes with --kind early-closes", im->col[ROLE_CLOSE_TIME] + 1);
  {
    static const Role bars[] = { ROLE_OPEN, ROLE_HIGH, ROLE_LOW, ROLE_CLOSE, ROLE_VOLUME };
    static const Role trades[] = { ROLE_PRICE, ROLE_SIZE, ROLE_SIDE };
    static const Role quotes[] = { ROLE_BID, ROLE_ASK };
    static const Role quotebars[] = { ROLE_BID_OPEN, ROLE_BID_HIGH, ROLE_BID_LOW, ROLE_BID_CLOSE,
                                      ROLE_ASK_OPEN, ROLE_ASK_HIGH, ROLE_ASK_LOW, ROLE_ASK_CLOSE };
    static const Role factors[] = { ROLE_PRICE_FACTOR, ROLE_SPLIT_FACTOR };
    static const Role early_closes[] = { ROLE_CLOSE_TIME };
    const Role *req = kind == HS_IMPORT_BARS ? bars : kind == HS_IMPORT_TRADES ? trades
                      : kind == HS_IMPORT_QUOTEBARS ? quotebars : kind == HS_IMPORT_FACTORS
                      ? factors : kind == HS_IMPORT_CALENDAR ? early_closes : quotes;
    size_t n_req = kind == HS_IMPORT_BARS ? G_N_ELEMENTS (bars)
                   : kind == HS_IMPORT_TRADES ? G_N_ELEMENTS (trades)
                   : kind == HS_IMPORT_QUOTEBARS ? G_N_ELEMENTS (quotebars)
                   : kind == HS_IMPORT_FACTORS ? G_N_ELEMENTS (factors)
                   : kind == HS_IMPORT_CALENDAR
                     ? (im->day_kind == HS_MARKET_DAY_EARLY_CLOSE ? 1 : 0)
                   : G_N_ELEMENTS (quotes);

    for (size_t i = 0; i < n_req; i++)
      if (im->col[req[i]] < 0)
        return bad (im, error, "missing required column “%s”", role_names[req[i]]);
  }
  return TRUE;
}

static gboolean
read_header (Import  *im,
             GError **error)
{
  g_autoptr(GError) local = NULL;
  GPtrArray *names;
  gboolean ok;
  int rc = hs_csv_reader_next (im->reader, &local);

  im->line = hs_csv_reader_line (im->reader);
  if (rc < 0)
    return bad (im, error, "%s", local->message);
  if (rc == 0)
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT,
                   "%s: the file is empty (expected a header line and data rows)", im->req->path);
      return FALSE;
    }
  names = g_ptr_array_new ();
  for (size_t i = 0; i < hs_csv_reader_n_fields (im->reader); i++)
    g_ptr_array_add (names, (char *) hs_csv_reader_field (im->reader, i));
  g_ptr_array_add (names, NULL);
  im->header_text = g_strjoinv (",", (char **) names->pdata);
  if (im->req->columns != NULL)
    {
      im->columns_named = TRUE;
      ok = map_columns (im, im->req->columns, g_strv_length (im->req->columns), error);
    }
  else if (im->req->kind == HS_IMPORT_FACTORS && names->len - 1 >= 3
           && strlen (names->pdata[0]) == 8 && strspn (names->pdata[0], "0123456789") == 8)
    {
      /* A factor file as LEAN stores it (Data/equity/usa/factor_files): no header, yyyyMMdd. */
      static const char *lean[] = { "date", "price_factor", "split_factor", "reference_price" };

      im->headerless = TRUE;
      ok = map_columns (im, (char **) lean, MIN (names->len - 1, G_N_ELEMENTS (lean)), error);
    }
  else
    ok = map_columns (im, (char **) names->pdata, names->len - 1, error);
  g_ptr_array_unref (names);
  return ok;
}

static gboolean
field_time (Import  *im,
            int64_t *ts,
            GError **error)
{
  g_autoptr(GError) local = NULL;
  int c;

  if ((c = im->col[ROLE_TIMESTAMP]) >= 0)
    {
      if (!hs_time_parse (hs_csv_reader_field (im->reader, (size_t) c), im->tz, ts, &local))
        return bad_field (im, c, error, "%s", local->message);
      return TRUE;
    }
  c = im->col[ROLE_DATE];
  if (im->col[ROLE_TIME] < 0)
    {
      if (!hs_time_parse (hs_csv_reader_field (im->reader, (size_t) c), im->tz, ts, &local))
        return bad_field (im, c, error, "%s", local->message);
      return TRUE;
    }
  if (!hs_time_parse_parts (hs_csv_reader_field (im->reader, (size_t) c),
                            hs_csv_reader_field (im->reader, (size_t) im->col[ROLE_TIME]), im->tz,
                            ts, &local))
    return bad (im, error, "columns %d and %d (date and time): %s", c + 1,
                im->col[ROLE_TIME] + 1, local->message);
  return TRUE;
}

/* A required number. */
static gboolean
field_number (Import  *im,
              Role     role,
              double  *out,
              GError **error)
{
  int c = im->col[role];
  const char *text = hs_csv_reader_field (im->reader, (size_t) c);

  if (text[0] == '\0')
    return bad_field (im, c, error, "is empty");
  if (!hs_parse_double (text, out))
    return bad_field (im, c, error, "“%s” is not a number", text);
  return TRUE;
}

/* An optional number: NAN when the column is absent or the field empty. */
static gboolean
field_optional (Import  *im,
                Role     role,
                double  *out,
                GError **error)
{
  *out = NAN;
  if (im->col[role] < 0 || hs_csv_reader_field (im->reader, (size_t) im->col[role])[0] == '\0')
    return TRUE;
  return field_number (im, role, out, error);
}

static gboolean
check_field_count (Import  *im,
                   GError **error)
{
  size_t n = hs_csv_reader_n_fields (im->reader);

  if (n == im->n_columns)
    return TRUE;
  if (!im->columns_named && n > im->n_columns && im->result->rows == 0)
    return bad (im, error,
                "rows have %zu fields but the header names only %zu (%s); name every column "
                "with --columns, e.g. --columns date,time,open,high,low,close,volume,openinterest",
                n, im->n_columns, im->header_text);
  if (n < im->n_columns)
    return bad (im, error, "expected %zu fields, found %zu (truncated line?)", im->n_columns, n);
  return bad (im, error, "expected %zu fields, found %zu", im->n_columns, n);
}

static gboolean
duplicate (Import  *im,
           int64_t  ts,
           GError **error)
{
  char buf[40];

  hs_time_format_iso_buf (ts, buf);
  return bad (im, error, "duplicate timestamp %s: an earlier row of this file has it", buf);
}

static gboolean
bar_row (Import  *im,
         GError **error)
{
  HsBar bar = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean tick = g_str_equal (im->req->interval, "tick");
  double count;

  if (!field_time (im, &bar.ts, error)
      || !field_number (im, ROLE_OPEN, &bar.open, error)
      || !field_number (im, ROLE_HIGH, &bar.high, error)
      || !field_number (im, ROLE_LOW, &bar.low, error)
      || !field_number (im, ROLE_CLOSE, &bar.close, error)
      || !field_number (im, ROLE_VOLUME, &bar.volume, error)
      || !field_optional (im, ROLE_VWAP, &bar.vwap, error)
      || !field_optional (im, ROLE_TRADE_COUNT, &count, error))
    return FALSE;
  bar.trade_count = -1;
  if (!isnan (count))
    {
      if (count < 0 || count != floor (count) || count > 1e15)
        return bad_field (im, im->col[ROLE_TRADE_COUNT], error, "must be a whole number ≥ 0");
      bar.trade_count = (int64_t) count;
    }
  if (!hs_bar_check (&bar, &local))
    return bad (im, error, "%s", local->message);
  if (tick)
    {
      /* Several prints may share a time; they keep their order in the file. */
      if (im->result->rows > 0 && bar.ts < im->prev_ts)
        return bad (im, error, "tick rows must be in time order");
      im->seq = im->result->rows > 0 && bar.ts == im->prev_ts ? im->seq + 1 : 0;
      bar.seq = im->seq;
    }
  else if (!ts_set_add (&im->seen, bar.ts))
    return duplicate (im, bar.ts, error);
  im->prev_ts = bar.ts;
  if (!ensure_instrument (im, im->req->symbol, "stock", error))
    return FALSE;
  if (im->n_batch == 0)
    im->batch_line = im->line;
  im->batch[im->n_batch++] = bar;
  count_read (im, bar.ts);
  if (im->n_batch == HS_STORE_BAR_BATCH)
    return flush_bars (im, error);
  return TRUE;
}

static gboolean
trade_row (Import  *im,
           GError **error)
{
  HsTrade trade = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean inserted = FALSE;
  int side_col = im->col[ROLE_SIDE];
  const char *side_text = hs_csv_reader_field (im->reader, (size_t) side_col);

  if (!field_time (im, &trade.ts, error)
      || !field_number (im, ROLE_PRICE, &trade.price, error)
      || !field_number (im, ROLE_SIZE, &trade.size, error))
    return FALSE;
  if (!(trade.price > 0) || !isfinite (trade.price))
    return bad_field (im, im->col[ROLE_PRICE], error, "must be a positive price");
  if (!(trade.size >= 0) || !isfinite (trade.size))
    return bad_field (im, im->col[ROLE_SIZE], error, "must be zero or more");
  if (!hs_side_from_string (side_text, &trade.side))
    return bad_field (im, side_col, error, "“%s” is not buy, sell or unknown", side_text);
  if (im->col[ROLE_TRADE_ID] >= 0)
    {
      const char *id = hs_csv_reader_field (im->reader, (size_t) im->col[ROLE_TRADE_ID]);

      if (id[0] != '\0')
        {
          if (g_hash_table_contains (im->ids, id))
            return bad_field (im, im->col[ROLE_TRADE_ID], error,
                              "duplicate trade id “%s”: an earlier row of this file has it", id);
          g_hash_table_add (im->ids, g_strdup (id));
          trade.trade_id = (char *) id;
        }
    }
  /* CVD runs in file order, so the file must be in time order. */
  if (im->result->rows > 0 && trade.ts < im->prev_ts)
    {
      char a[40], b[40];

      hs_time_format_iso_buf (trade.ts, a);
      hs_time_format_iso_buf (im->prev_ts, b);
      return bad (im, error, "trades must be in time order (%s comes after %s)", a, b);
    }
  if (!ensure_instrument (im, im->req->symbol, "stock", error))
    return FALSE;
  if (im->result->rows == 0
      && !hs_store_cvd_before (im->store, im->instrument_id, trade.ts, &im->cvd, error))
    return FALSE;
  im->seq = im->result->rows > 0 && trade.ts == im->prev_ts ? im->seq + 1 : 0;
  im->prev_ts = trade.ts;
  trade.seq = im->seq;
  im->cvd += (double) trade.side * trade.size;
  trade.cvd = im->cvd;
  if (!hs_store_insert_trade (im->store, im->instrument_id, &trade, &inserted, &local))
    return bad (im, error, "%s", local->message);
  count_row (im, trade.ts, inserted);
  return TRUE;
}

static gboolean
quote_row (Import  *im,
           GError **error)
{
  HsQuote q = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean inserted = FALSE;

  if (!field_time (im, &q.ts, error)
      || !field_number (im, ROLE_BID, &q.bid, error)
      || !field_number (im, ROLE_ASK, &q.ask, error)
      || !field_optional (im, ROLE_BID_SIZE, &q.bid_size, error)
      || !field_optional (im, ROLE_ASK_SIZE, &q.ask_size, error))
    return FALSE;
  if (!hs_quote_check (&q, &local))
    return bad (im, error, "%s", local->message);
  if (!ts_set_add (&im->seen, q.ts))
    return duplicate (im, q.ts, error);
  if (!ensure_instrument (im, im->req->symbol, "stock", error)
      || !hs_store_insert_quote (im->store, im->instrument_id, &q, &inserted, &local))
    {
      if (local != NULL)
        return bad (im, error, "%s", local->message);
      return FALSE;
    }
  count_row (im, q.ts, inserted);
  return TRUE;
}

/* LEAN's quote bars: a side without a quote has empty fields (NULL in the store). */
static gboolean
quote_bar_row (Import  *im,
               GError **error)
{
  HsQuoteBar q = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean inserted = FALSE;

  if (!field_time (im, &q.ts, error)
      || !field_optional (im, ROLE_BID_OPEN, &q.bid_open, error)
      || !field_optional (im, ROLE_BID_HIGH, &q.bid_high, error)
      || !field_optional (im, ROLE_BID_LOW, &q.bid_low, error)
      || !field_optional (im, ROLE_BID_CLOSE, &q.bid_close, error)
      || !field_optional (im, ROLE_BID_SIZE, &q.bid_size, error)
      || !field_optional (im, ROLE_ASK_OPEN, &q.ask_open, error)
      || !field_optional (im, ROLE_ASK_HIGH, &q.ask_high, error)
      || !field_optional (im, ROLE_ASK_LOW, &q.ask_low, error)
      || !field_optional (im, ROLE_ASK_CLOSE, &q.ask_close, error)
      || !field_optional (im, ROLE_ASK_SIZE, &q.ask_size, error))
    return FALSE;
  if (isnan (q.bid_size))
    q.bid_size = 0;
  if (isnan (q.ask_size))
    q.ask_size = 0;
  if (!hs_quote_bar_check (&q, &local))
    return bad (im, error, "%s", local->message);
  if (!ts_set_add (&im->seen, q.ts))
    return duplicate (im, q.ts, error);
  if (!ensure_instrument (im, im->req->symbol, "stock", error)
      || !hs_store_insert_quote_bar (im->store, im->instrument_id, im->req->interval, &q,
                                     &inserted, &local))
    {
      if (local != NULL)
        return bad (im, error, "%s", local->message);
      return FALSE;
    }
  count_row (im, q.ts, inserted);
  return TRUE;
}

/* A trading date: YYYY-MM-DD, or LEAN's own YYYYMMDD. Returns µs UTC of its midnight. */
static gboolean
field_date (Import  *im,
            int64_t *ts,
            GError **error)
{
  g_autoptr(GError) local = NULL;
  int c = im->col[ROLE_DATE];
  const char *text = hs_csv_reader_field (im->reader, (size_t) c);
  char iso[11];

  if (strlen (text) == 8 && strspn (text, "0123456789") == 8)
    {
      g_snprintf (iso, sizeof iso, "%.4s-%.2s-%.2s", text, text + 4, text + 6);
      text = iso;
    }
  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return bad_field (im, c, error, "“%s” is not a date (YYYY-MM-DD or YYYYMMDD)",
                      hs_csv_reader_field (im->reader, (size_t) c));
  if (!hs_time_parse (text, NULL, ts, &local))
    return bad_field (im, c, error, "%s", local->message);
  return TRUE;
}

static gboolean
factor_row (Import  *im,
            GError **error)
{
  HsPriceFactor f = { 0 };
  int64_t ts;

  if (!field_date (im, &ts, error)
      || !field_number (im, ROLE_PRICE_FACTOR, &f.price_factor, error)
      || !field_number (im, ROLE_SPLIT_FACTOR, &f.split_factor, error)
      || !field_optional (im, ROLE_REFERENCE_PRICE, &f.reference_price, error))
    return FALSE;
  if (!(isfinite (f.price_factor) && f.price_factor > 0))
    return bad_field (im, im->col[ROLE_PRICE_FACTOR], error, "must be a positive number");
  if (!(isfinite (f.split_factor) && f.split_factor > 0))
    return bad_field (im, im->col[ROLE_SPLIT_FACTOR], error, "must be a positive number");
  if (isnan (f.reference_price))
    f.reference_price = 0;
  if (!(isfinite (f.reference_price) && f.reference_price >= 0))
    return bad_field (im, im->col[ROLE_REFERENCE_PRICE], error, "must be a price ≥ 0");
  /* A factor applies to the dates up to its own: the rows must be in date order. */
  if (im->result->rows > 0 && ts <= im->prev_ts)
    {
      char a[40], b[40];

      hs_time_format_iso_buf (ts, a);
      hs_time_format_iso_buf (im->prev_ts, b);
      a[10] = b[10] = '\0';
      return bad (im, error, "dates must increase: %s comes after %s", a, b);
    }
  im->prev_ts = ts;
  f.day = ts / G_GINT64_CONSTANT (86400000000);
  if (!ensure_instrument (im, im->req->symbol, "stock", error))
    return FALSE;
  g_array_append_val (im->factors, f);
  count_read (im, ts);
  return TRUE;
}

/* "HH:MM" or "HH:MM:SS", local time. */
static gboolean
parse_clock_s (const char *text,
               int32_t    *out)
{
  size_t len = strlen (text);
  int h, m, sec = 0;

  if ((len != 5 && len != 8) || text[2] != ':' || (len == 8 && text[5] != ':'))
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (i != 2 && i != 5 && !g_ascii_isdigit (text[i]))
      return FALSE;
  h = (text[0] - '0') * 10 + (text[1] - '0');
  m = (text[3] - '0') * 10 + (text[4] - '0');
  if (len == 8)
    sec = (text[6] - '0') * 10 + (text[7] - '0');
  if (h > 23 || m > 59 || sec > 59)
    return FALSE;
  *out = h * 3600 + m * 60 + sec;
  return TRUE;
}

static gboolean
calendar_row (Import  *im,
              GError **error)
{
  HsMarketDay d = { 0 };
  g_autoptr(GError) local = NULL;
  gboolean written = FALSE;
  int64_t ts;

  if (!field_date (im, &ts, error))
    return FALSE;
  d.day = ts / G_GINT64_CONSTANT (86400000000);
  d.kind = im->day_kind;
  if (d.kind == HS_MARKET_DAY_EARLY_CLOSE)
    {
      int c = im->col[ROLE_CLOSE_TIME];
      const char *text = hs_csv_reader_field (im->reader, (size_t) c);

      if (!parse_clock_s (text, &d.close_s))
        return bad_field (im, c, error, "“%s” is not a time of day (HH:MM or HH:MM:SS)", text);
    }
  if (!ts_set_add (&im->seen, ts))
    {
      char buf[40];

      hs_time_format_iso_buf (ts, buf);
      buf[10] = '\0';
      return bad (im, error, "duplicate date %s: an earlier row of this file has it", buf);
    }
  if (!begin_once (im, error)
      || !hs_store_upsert_market_day (im->store, im->req->market ? im->req->market
                                                                 : HS_MARKET_US_EQUITY,
                                      &d, &written, &local))
    {
      if (local != NULL)
        return bad (im, error, "%s", local->message);
      return FALSE;
    }
  count_row (im, ts, written);
  return TRUE;
}

static gboolean
import_csv (Import  *im,
            GError **error)
{
  HsImportKind kind = im->req->kind;
  gboolean (*row) (Import *, GError **) = kind == HS_IMPORT_BARS ? bar_row
                                          : kind == HS_IMPORT_TRADES ? trade_row
                                          : kind == HS_IMPORT_QUOTEBARS ? quote_bar_row
                                          : kind == HS_IMPORT_FACTORS ? factor_row
                                          : kind == HS_IMPORT_CALENDAR ? calendar_row
                                          : quote_row;
  int header_line;

  if (!read_header (im, error)
      || (im->headerless && (!check_field_count (im, error) || !row (im, error))))
    return FALSE;
  header_line = (int) im->line;
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      int rc = hs_csv_reader_next (im->reader, &local);

      im->line = hs_csv_reader_line (im->reader);
      if (rc < 0)
        return bad (im, error, "%s", local->message);
      if (rc == 0)
        break;
      if (!check_field_count (im, error) || !row (im, error) || !report (im, error))
        return FALSE;
    }
  if (im->result->rows == 0)
    {
      im->line = (size_t) header_line;
      return bad (im, error, "no data rows after the header");
    }
  if (!flush_bars (im, error))
    return FALSE;
  /* A factor file replaces the instrument's factors as a whole (hs-store-lean.c). */
  if (kind == HS_IMPORT_FACTORS)
    {
      int64_t written = 0;

      if (!hs_store_replace_price_factors (im->store, im->instrument_id,
                                           (const HsPriceFactor *) (const void *) im->factors->data,
                                           im->factors->len, &written, &im->result->removed,
                                           error))
        return FALSE;
      count_written (im, im->result->rows, written);
    }
  if (im->req->kind == HS_IMPORT_TRADES
      && !hs_store_recompute_cvd_after (im->store, im->instrument_id, im->result->first_ts,
                                        im->result->last_ts, error))
    return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON Lines                                                                                  */

static gboolean
import_jsonl (Import  *im,
              GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  HsSnapshotSource default_source = HS_SNAPSHOT_BACKFILL;
  int depth = im->req->depth > 0 ? im->req->depth : 10;

  if (im->req->source != NULL && !hs_snapshot_source_from_string (im->req->source, &default_source))
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                   "unknown source “%s”: use poll, websocket or backfill", im->req->source);
      return FALSE;
    }
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      char *line = NULL;
      size_t len = 0;
      int rc = hs_csv_reader_next_line (im->reader, &line, &len, &local);
      gboolean inserted = FALSE;
      char key[128];

      im->line = hs_csv_reader_line (im->reader);
      if (rc < 0)
        return bad (im, error, "%s", local->message);
      if (rc == 0)
        break;
      if (im->req->kind == HS_IMPORT_ORDERBOOK)
        {
          HsBookSnapshot book = { 0 };

          if (!hs_json_parse_book_line (line, len, im->tz, depth, &book, &local))
            {
              hs_book_snapshot_clear (&book);
              return bad (im, error, "%s", local->message);
            }
          g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT, book.ts);
          if (!g_hash_table_add (seen, g_strdup (key)))
            {
              hs_book_snapshot_clear (&book);
              return duplicate (im, book.ts, error);
            }
          if (!ensure_instrument (im, im->req->symbol, "crypto", error)
              || !hs_store_insert_book (im->store, im->instrument_id, &book, &inserted, &local))
            {
              hs_book_snapshot_clear (&book);
              if (local != NULL)
                return bad (im, error, "%s", local->message);
              return FALSE;
            }
          count_row (im, book.ts, inserted);
          hs_book_snapshot_clear (&book);
        }
      else
        {
          HsMarketSnapshot snap = { 0 };
          int64_t *id;

          if (!hs_json_parse_snapshot_line (line, len, im->tz, default_source, &snap, &local))
            {
              hs_market_snapshot_clear (&snap);
              return bad (im, error, "%s", local->message);
            }
          if (im->req->symbol != NULL && !g_str_equal (im->req->symbol, snap.ticker))
            {
              bad (im, error, "ticker “%s” is not the --symbol %s given", snap.ticker,
                   im->req->symbol);
              hs_market_snapshot_clear (&snap);
              return FALSE;
            }
          g_snprintf (key, sizeof key, "%.80s|%" G_GINT64_FORMAT "|%d", snap.ticker, snap.ts,
                      snap.source);
          if (!g_hash_table_add (seen, g_strdup (key)))
            {
              char buf[40];

              hs_time_format_iso_buf (snap.ts, buf);
              bad (im, error, "duplicate snapshot of %s at %s from %s: an earlier line has it",
                   snap.ticker, buf, hs_snapshot_source_to_string (snap.source));
              hs_market_snapshot_clear (&snap);
              return FALSE;
            }
          id = g_hash_table_lookup (ids, snap.ticker);
          im->have_instrument = id != NULL;
          if (id != NULL)
            im->instrument_id = *id;
          if (!ensure_instrument (im, snap.ticker, "prediction", error))
            {
              hs_market_snapshot_clear (&snap);
              return FALSE;
            }
          if (id == NULL)
            g_hash_table_insert (ids, g_strdup (snap.ticker),
                                 g_memdup2 (&im->instrument_id, sizeof im->instrument_id));
          if (!hs_store_insert_snapshot (im->store, im->instrument_id, &snap, &inserted, &local))
            {
              hs_market_snapshot_clear (&snap);
              return bad (im, error, "%s", local->message);
            }
          count_row (im, snap.ts, inserted);
          g_free (im->result->symbol);
          im->result->symbol = g_steal_pointer (&snap.ticker);
          hs_market_snapshot_clear (&snap);
        }
      if (!report (im, error))
        return FALSE;
    }
  if (im->result->rows == 0)
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT,
                   "%s: the file has no JSON lines", im->req->path);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

static gboolean
check_request (const HsImportRequest *req,
               GTimeZone            **tz,
               GError               **error)
{
  if (req->kind != HS_IMPORT_SNAPSHOTS && req->kind != HS_IMPORT_CALENDAR
      && (req->symbol == NULL || req->symbol[0] == '\0'))
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                   "importing %s needs a symbol", hs_import_kind_to_string (req->kind));
      return FALSE;
    }
  if (req->kind == HS_IMPORT_BARS)
    {
      if (req->interval == NULL)
        {
          g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                       "importing bars needs an interval");
          return FALSE;
        }
      if (hs_interval_lookup (req->interval) == NULL)
        {
          g_autofree char *names = hs_interval_names ();

          g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                       "unknown interval “%s”; use one of %s", req->interval, names);
          return FALSE;
        }
    }
  if (req->kind == HS_IMPORT_QUOTEBARS)
    {
      static const char *ok[] = { "1s", "1m", "5m", "15m", "30m", "1h", "4h", "1d", NULL };

      if (req->interval == NULL || !g_strv_contains (ok, req->interval))
        {
          g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                       "importing quote bars needs an interval: 1s, 1m, 5m, 15m, 30m, 1h, 4h "
                       "or 1d");
          return FALSE;
        }
    }
  if (req->kind == HS_IMPORT_CALENDAR)
    {
      if (req->calendar == NULL || (!g_str_equal (req->calendar, "holidays")
                                    && !g_str_equal (req->calendar, "early-closes")))
        {
          g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                       "importing a calendar needs the kind of its days: holidays or "
                       "early-closes");
          return FALSE;
        }
      if (req->market != NULL && (req->market[0] == '\0' || strlen (req->market) > 64))
        {
          g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                       "the market must be 1 to 64 bytes");
          return FALSE;
        }
    }
  *tz = NULL;
  if (req->tz != NULL && g_ascii_strcasecmp (req->tz, "UTC") != 0)
    {
      *tz = g_time_zone_new_identifier (req->tz);
      if (*tz == NULL)
        {
          g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE,
                       "unknown time zone “%s” (use a name such as America/New_York)", req->tz);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * hs_import_run:
 * @store: the database, not inside a transaction
 * @progress: (nullable): told the fraction of the file read, on this thread
 * @result: (out caller-allocates): counts; clear with hs_import_result_clear()
 *
 * Imports one file in one transaction. On any error the transaction is rolled back, so the
 * database is exactly as before; bad content is %HS_IMPORT_ERROR_BAD_INPUT with a
 * "FILE:LINE: reason" message, cancellation is %G_IO_ERROR_CANCELLED.
 */
gboolean
hs_import_run (HsStore               *store,
               const HsImportRequest *req,
               HsProgressFunc         progress,
               gpointer               user_data,
               GCancellable          *cancellable,
               HsImportResult        *result,
               GError               **error)
{
  g_autoptr(GError) local = NULL;
  Import im = { 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (req != NULL && req->path != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!check_request (req, &im.tz, error))
    return FALSE;
  im.req = req;
  im.store = store;
  im.result = result;
  im.progress = progress;
  im.progress_data = user_data;
  im.cancellable = cancellable;
  ts_set_init (&im.seen);
  im.ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.factors = g_array_new (FALSE, FALSE, sizeof (HsPriceFactor));
  im.day_kind = req->calendar != NULL && g_str_equal (req->calendar, "early-closes")
                ? HS_MARKET_DAY_EARLY_CLOSE : HS_MARKET_DAY_HOLIDAY;
  im.reader = hs_csv_reader_open (req->path, &local);
  if (im.reader == NULL)
    {
      g_set_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT, "%s: %s", req->path,
                   local->message);
      ok = FALSE;
    }
  else if (req->kind == HS_IMPORT_ORDERBOOK || req->kind == HS_IMPORT_SNAPSHOTS)
    ok = import_jsonl (&im, error);
  else
    ok = import_csv (&im, error);

  /* New bars may touch the stop or target of open paper trades: closed in the same
   * transaction, so that bars and the trades they closed commit together. */
  if (ok && im.in_transaction && req->kind == HS_IMPORT_BARS && result->inserted > 0)
    {
      g_autoptr(GPtrArray) closed = NULL;

      ok = hs_paper_check_exits (store, im.instrument_id, &closed, error);
      if (ok)
        result->paper_closed = closed->len;
    }
  if (ok && im.in_transaction)
    ok = hs_store_commit (store, error);
  if (!ok)
    {
      hs_store_rollback (store);
      hs_import_result_clear (result);
      result->inserted = 0;
    }
  else if (req->kind == HS_IMPORT_CALENDAR)
    result->symbol = g_strdup (req->market ? req->market : HS_MARKET_US_EQUITY);
  else if (req->symbol != NULL && result->symbol == NULL)
    result->symbol = g_strdup (req->symbol);
  if (ok && progress != NULL)
    progress (1.0, "done", user_data);

  g_clear_pointer (&im.tz, g_time_zone_unref);
  g_clear_pointer (&im.reader, hs_csv_reader_free);
  g_clear_pointer (&im.header_text, g_free);
  g_clear_pointer (&im.ids, g_hash_table_unref);
  g_clear_pointer (&im.factors, g_array_unref);
  ts_set_clear (&im.seen);
  return ok;
}
