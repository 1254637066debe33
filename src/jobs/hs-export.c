/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ML export: formatting threads each read ranges of row ids (chunks) from the store
 * (hs_store_export_readers_read(), one connection per thread, all in one snapshot) and write
 * them straight from SQLite's memory as CSV lines (RFC 4180) or JSON lines with the columns of
 * docs/export.md: the stored columns, then the JSON context flattened by fixed paths (one pass
 * over each JSON document, hs-flatten.c). The chunks are written in order. The file is written
 * as FILE.part, renamed to FILE when all is written; any failure or a cancel removes the part
 * file. Memory: a fixed number of chunk buffers.
 *
 * Values: numbers in the shortest form that reads back exactly (C locale), times ISO-8601 UTC,
 * texts as UTF-8 (invalid bytes replaced), JSON values (lists, objects) as compact JSON text,
 * missing values empty (CSV) or null (JSON). A context value of the wrong JSON type for its
 * column (a text where a number is documented) is missing, as in the training queries.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-export.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "hs-flatten.h"
#include "hs-time.h"

#define PROGRESS_ROWS 16384

typedef enum
{
  OUT_NUMBER,
  OUT_INTEGER,
  OUT_TEXT,
  OUT_TIME,
  OUT_JSON,
} OutKind;

static const char *const out_kind_names[] = { "number", "integer", "text", "time", "json" };

typedef struct
{
  char   *name;    /* (owned) */
  char   *key;     /* (owned) the JSON line's "name": */
  size_t  key_len;
  OutKind kind;
  int     raw;     /* the stored column */
  int     flat;    /* -1: the stored column itself; else its Flattened and path index */
  int     slice;
} OutColumn;

/* The JSON columns flattened, per dataset. */
typedef struct
{
  int          raw;
  HsJsonPaths *paths;    /* (owned) */
  size_t       n_paths;
} Flattened;

typedef struct
{
  GArray    *columns;     /* OutColumn */
  Flattened  flat[4];
  size_t     n_flat;
} Layout;

/* The flattened context of a paper trade: key paths and kinds, per JSON column (docs/export.md
 * lists the resulting column names: the prefix, then the path with "_" for "."). */
typedef struct
{
  const char *path;
  OutKind     kind;
} Key;

static const char *const signal_timeframes[] = { "1m", "5m", "15m", "1h", "daily" };
static const Key signal_keys[] = {
  { "rsi", OUT_NUMBER }, { "macd_hist", OUT_NUMBER }, { "ema_9_21_cross", OUT_TEXT },
  { "squeeze", OUT_TEXT }, { "trend", OUT_TEXT }, { "dist_from_200sma", OUT_NUMBER },
};
static const Key regime_keys[] = {
  { "spy.price", OUT_NUMBER }, { "spy.pct_change", OUT_NUMBER }, { "spy.vix", OUT_NUMBER },
  { "sector.ticker", OUT_TEXT }, { "sector.pct_change", OUT_NUMBER },
  { "sector.correlation_30d", OUT_NUMBER }, { "market_internals.ad_line", OUT_TEXT },
  { "market_internals.put_call_ratio", OUT_NUMBER }, { "missing", OUT_JSON },
};
static const Key book_keys[] = {
  { "bid", OUT_NUMBER }, { "ask", OUT_NUMBER }, { "spread_pct", OUT_NUMBER },
  { "volume", OUT_NUMBER }, { "open_interest", OUT_NUMBER }, { "iv", OUT_NUMBER },
  { "greeks.delta", OUT_NUMBER }, { "greeks.gamma", OUT_NUMBER }, { "greeks.theta", OUT_NUMBER },
  { "greeks.vega", OUT_NUMBER }, { "missing", OUT_JSON },
};
static const Key ai_keys[] = {
  { "model", OUT_TEXT }, { "prompt_version", OUT_TEXT }, { "confidence_score", OUT_NUMBER },
  { "bull_case", OUT_TEXT }, { "bear_case", OUT_TEXT }, { "decision_logic", OUT_TEXT },
  { "prompt", OUT_TEXT }, { "raw_output", OUT_TEXT }, { "tokens", OUT_JSON },
  { "latency_ms", OUT_NUMBER },
};

static Layout *layouts[3];

/* Frees a layout of layout_select() (the cached ones live as long as the process). */
static void
layout_select_free (Layout *l)
{
  for (size_t i = 0; i < l->columns->len; i++)
    {
      g_free (g_array_index (l->columns, OutColumn, i).name);
      g_free (g_array_index (l->columns, OutColumn, i).key);
    }
  g_array_free (l->columns, TRUE);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Layout, layout_select_free)

static int
raw_index (HsExportDataset dataset,
           const char     *name)
{
  size_t n = 0;
  const HsExportRawColumn *raw = hs_store_export_raw_columns (dataset, &n);

  for (size_t i = 0; i < n; i++)
    if (g_str_equal (raw[i].name, name))
      return (int) i;
  g_return_val_if_reached (-1);
}

static void
add_column (Layout     *l,
            char       *name,
            OutKind     kind,
            int         raw,
            int         flat,
            int         slice)
{
  OutColumn c = { name, NULL, 0, kind, raw, flat, slice };
  g_autoptr(GString) key = g_string_new (l->columns->len > 0 ? "," : NULL);

  hs_json_append_string (key, name, strlen (name));
  g_string_append_c (key, ':');
  c.key_len = key->len;
  c.key = g_string_free (g_steal_pointer (&key), FALSE);
  g_array_append_val (l->columns, c);
}

/* Adds the columns PREFIX_PATH of one JSON column. */
static void
add_flattened (Layout          *l,
               HsExportDataset  dataset,
               const char      *raw_name,
               const char      *prefix,
               GPtrArray       *paths,
               GArray          *kinds)
{
  Flattened *f = &l->flat[l->n_flat++];

  f->raw = raw_index (dataset, raw_name);
  f->n_paths = paths->len;
  f->paths = hs_json_paths_new ((const char *const *) paths->pdata, paths->len);
  for (unsigned i = 0; i < paths->len; i++)
    {
      g_autofree char *flat = g_strdup (paths->pdata[i]);

      g_strdelimit (flat, ".", '_');
      add_column (l, g_strdup_printf ("%s_%s", prefix, flat), g_array_index (kinds, OutKind, i),
                  f->raw, (int) (l->n_flat - 1), (int) i);
    }
}

static void
add_keys (Layout          *l,
          HsExportDataset  dataset,
          const char      *raw_name,
          const char      *prefix,
          const Key       *keys,
          size_t           n)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GArray) kinds = g_array_new (FALSE, FALSE, sizeof (OutKind));

  for (size_t i = 0; i < n; i++)
    {
      g_ptr_array_add (paths, (gpointer) keys[i].path);
      g_array_append_val (kinds, keys[i].kind);
    }
  add_flattened (l, dataset, raw_name, prefix, paths, kinds);
}

static const Layout *
layout_for (HsExportDataset dataset)
{
  static GMutex lock;
  Layout *l;
  size_t n = 0;
  const HsExportRawColumn *raw = hs_store_export_raw_columns (dataset, &n);

  g_mutex_lock (&lock);
  if (layouts[dataset] != NULL)
    {
      g_mutex_unlock (&lock);
      return layouts[dataset];
    }
  l = g_new0 (Layout, 1);
  l->columns = g_array_new (FALSE, FALSE, sizeof (OutColumn));
  for (size_t i = 0; i < n; i++)
    {
      OutKind kind = raw[i].kind == HS_EXPORT_RAW_INTEGER ? OUT_INTEGER
                     : raw[i].kind == HS_EXPORT_RAW_REAL ? OUT_NUMBER
                     : raw[i].kind == HS_EXPORT_RAW_TIME ? OUT_TIME
                     : raw[i].kind == HS_EXPORT_RAW_JSON ? OUT_JSON : OUT_TEXT;

      /* The trades' four context objects are flattened below, not written whole. */
      if (dataset == HS_EXPORT_TRADES && raw[i].kind == HS_EXPORT_RAW_JSON
          && !g_str_equal (raw[i].name, "tags"))
        continue;
      add_column (l, g_strdup (raw[i].name), kind, (int) i, -1, -1);
    }
  if (dataset == HS_EXPORT_TRADES)
    {
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) kinds = g_array_new (FALSE, FALSE, sizeof (OutKind));
      OutKind json = OUT_JSON;

      for (size_t t = 0; t < G_N_ELEMENTS (signal_timeframes); t++)
        for (size_t k = 0; k < G_N_ELEMENTS (signal_keys); k++)
          {
            g_ptr_array_add (paths, g_strdup_printf ("%s.%s", signal_timeframes[t],
                                                     signal_keys[k].path));
            g_array_append_val (kinds, signal_keys[k].kind);
          }
      g_ptr_array_add (paths, g_strdup ("missing"));
      g_array_append_val (kinds, json);
      add_flattened (l, dataset, "signals_snapshot", "signals", paths, kinds);
      add_keys (l, dataset, "market_regime", "regime", regime_keys, G_N_ELEMENTS (regime_keys));
      add_keys (l, dataset, "order_book_state", "book", book_keys, G_N_ELEMENTS (book_keys));
      add_keys (l, dataset, "ai_reasoning_log", "ai", ai_keys, G_N_ELEMENTS (ai_keys));
    }
  layouts[dataset] = l;
  g_mutex_unlock (&lock);
  return l;
}

gboolean
hs_export_format_from_string (const char     *text,
                              HsExportFormat *out)
{
  if (g_strcmp0 (text, "csv") == 0)
    *out = HS_EXPORT_CSV;
  else if (g_strcmp0 (text, "jsonl") == 0)
    *out = HS_EXPORT_JSONL;
  else
    return FALSE;
  return TRUE;
}

size_t
hs_export_n_columns (HsExportDataset dataset)
{
  return layout_for (dataset)->columns->len;
}

/* Returns: (transfer none): the name of output column @i, e.g. "signals_5m_rsi" */
const char *
hs_export_column_name (HsExportDataset dataset,
                       size_t          i)
{
  const Layout *l = layout_for (dataset);

  g_return_val_if_fail (i < l->columns->len, NULL);
  return g_array_index (l->columns, OutColumn, i).name;
}

/* Returns: (transfer none): "number", "integer", "text", "time" or "json" */
const char *
hs_export_column_type (HsExportDataset dataset,
                       size_t          i)
{
  const Layout *l = layout_for (dataset);

  g_return_val_if_fail (i < l->columns->len, NULL);
  return out_kind_names[g_array_index (l->columns, OutColumn, i).kind];
}

/* ------------------------------------------------------------------------------------------ */
/* Writing */

typedef struct
{
  int64_t day;      /* days since 1970-01-01, -1 when empty */
  char    text[11];
} DayText;

/* What one formatting thread keeps between rows. */
typedef struct
{
  const Layout  *layout;
  HsExportFormat format;
  GString       *buf;        /* the chunk's output being written */
  GString       *scratch;
  HsJsonSlice   *slices[4];
  DayText        days[4];
  unsigned       next_day;
} Formatter;


/* An integer in decimal, without printf. */
static void
put_integer (GString *out,
             int64_t  v)
{
  char buf[24];
  size_t pos = sizeof buf;
  uint64_t u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;

  do
    {
      buf[--pos] = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u > 0);
  if (v < 0)
    buf[--pos] = '-';
  hs_string_append (out, buf + pos, sizeof buf - pos);
}

/* Appends text as one value: UTF-8 made valid, quoted for the format. */
static void
put_text (Formatter  *w,
          const char *s,
          size_t      len)
{
  g_autofree char *valid = NULL;

  if (!hs_utf8_valid (s, len))
    {
      valid = g_utf8_make_valid (s, (gssize) len);
      s = valid;
      len = strlen (valid);
    }
  if (w->format == HS_EXPORT_CSV)
    hs_csv_append_field (w->buf, s, len);
  else
    hs_json_append_string (w->buf, s, len);
}

/* JSON text (a list, an object), compact as stored: a CSV field, or embedded in a JSON line. */
static void
put_json (Formatter  *w,
          const char *s,
          size_t      len)
{
  g_autofree char *valid = NULL;

  if (!hs_utf8_valid (s, len))
    {
      valid = g_utf8_make_valid (s, (gssize) len);
      s = valid;
      len = strlen (valid);
    }
  if (w->format == HS_EXPORT_CSV)
    hs_csv_append_field (w->buf, s, len);
  else
    hs_string_append (w->buf, s, len);
}

static void
put_null (Formatter *w)
{
  if (w->format == HS_EXPORT_JSONL)
    g_string_append (w->buf, "null");
}

static void
put_number (Formatter *w,
            double  v)
{
  char num[32];
  size_t n = hs_format_double_fast (v, num);

  hs_string_append (w->buf, num, n);
}

/* ISO-8601 as hs_time_format_iso_buf() writes it. The date part of a few recent days is kept
 * (a row's times are close together, and rows come in id order), so a whole second costs no
 * printf; a fraction or a time before 1970 goes to hs_time_format_iso_buf(). */
static void
put_time (Formatter *w,
          int64_t us)
{
  char buf[40];
  int64_t secs = us / G_USEC_PER_SEC, days = secs / 86400, sod = secs % 86400;
  DayText *slot = NULL;

  if (w->format == HS_EXPORT_JSONL)
    g_string_append_c (w->buf, '"');
  if (us < 0 || us % G_USEC_PER_SEC != 0)
    {
      hs_time_format_iso_buf (us, buf);
      hs_string_append (w->buf, buf, strlen (buf));
    }
  else
    {
      for (size_t i = 0; i < G_N_ELEMENTS (w->days) && slot == NULL; i++)
        if (w->days[i].day == days)
          slot = &w->days[i];
      if (slot == NULL)
        {
          slot = &w->days[w->next_day++ % G_N_ELEMENTS (w->days)];
          hs_time_format_iso_buf (days * 86400 * G_USEC_PER_SEC, buf);
          memcpy (slot->text, buf, 11);   /* "YYYY-MM-DDT" */
          slot->day = days;
        }
      memcpy (buf, slot->text, 11);
      buf[11] = (char) ('0' + sod / 36000);
      buf[12] = (char) ('0' + sod / 3600 % 10);
      buf[13] = ':';
      buf[14] = (char) ('0' + sod / 600 % 6);
      buf[15] = (char) ('0' + sod / 60 % 10);
      buf[16] = ':';
      buf[17] = (char) ('0' + sod % 60 / 10);
      buf[18] = (char) ('0' + sod % 10);
      buf[19] = 'Z';
      hs_string_append (w->buf, buf, 20);
    }
  if (w->format == HS_EXPORT_JSONL)
    g_string_append_c (w->buf, '"');
}

/* A value of a flattened column. */
static void
put_slice (Formatter         *w,
           const OutColumn   *c,
           const HsJsonSlice *s)
{
  double v;

  switch (c->kind)
    {
    case OUT_NUMBER:
    case OUT_INTEGER:
      if (s->kind == HS_JSON_NUMBER && hs_json_number_append_short (w->buf, s->start, s->len))
        return;
      if (s->kind == HS_JSON_NUMBER && hs_json_number_parse (s->start, s->len, &v))
        put_number (w, v);
      else
        put_null (w);
      return;
    case OUT_TEXT:
      /* Without escapes the value is the token's inside: written from there, in JSON lines
       * the token itself (nothing to escape), once it is known to be UTF-8. */
      if (s->kind == HS_JSON_STRING && hs_json_string_is_plain (s->start, s->len)
          && hs_utf8_valid (s->start + 1, s->len - 2))
        {
          if (w->format == HS_EXPORT_CSV)
            hs_csv_append_field (w->buf, s->start + 1, s->len - 2);
          else
            hs_string_append (w->buf, s->start, s->len);
          return;
        }
      g_string_truncate (w->scratch, 0);
      if (s->kind == HS_JSON_STRING && hs_json_string_decode (s->start, s->len, w->scratch))
        put_text (w, w->scratch->str, w->scratch->len);
      else
        put_null (w);
      return;
    case OUT_JSON:
      if (s->kind == HS_JSON_ABSENT || s->kind == HS_JSON_NULL)
        put_null (w);
      else
        put_json (w, s->start, s->len);
      return;
    case OUT_TIME:
    default:
      put_null (w);
      return;
    }
}

/* A stored column's value. */
static void
put_cell (Formatter         *w,
          const OutColumn   *c,
          const HsQueryCell *cell)
{
  char buf[32];

  if (cell->kind == HS_QUERY_CELL_NULL)
    {
      put_null (w);
      return;
    }
  switch (c->kind)
    {
    case OUT_TIME:
      if (cell->kind == HS_QUERY_CELL_INTEGER)
        put_time (w, cell->integer);
      else
        put_null (w);
      return;
    case OUT_INTEGER:
    case OUT_NUMBER:
      if (cell->kind == HS_QUERY_CELL_INTEGER)
        put_integer (w->buf, cell->integer);
      else if (cell->kind == HS_QUERY_CELL_REAL)
        put_number (w, cell->real);
      else
        put_null (w);
      return;
    case OUT_JSON:
      if (cell->kind == HS_QUERY_CELL_TEXT)
        put_json (w, cell->text, (size_t) cell->integer);
      else
        put_null (w);
      return;
    case OUT_TEXT:
    default:
      if (cell->kind == HS_QUERY_CELL_TEXT)
        put_text (w, cell->text, (size_t) cell->integer);
      else
        {
          /* A number stored in a text column: written as the number. */
          if (cell->kind == HS_QUERY_CELL_INTEGER)
            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, cell->integer);
          else
            hs_format_double_fast (cell->real, buf);
          put_text (w, buf, strlen (buf));
        }
      return;
    }
}

/* Appends one row's line. */
static void
format_row (Formatter         *w,
            const HsQueryCell *cells)
{
  const Layout *l = w->layout;

  for (size_t f = 0; f < l->n_flat; f++)
    {
      const HsQueryCell *cell = &cells[l->flat[f].raw];

      /* A document that is not well-formed JSON yields what was found before the fault (the
       * column's CHECK keeps that from happening in a database written by Hindsight). */
      hs_json_paths_extract (l->flat[f].paths, cell->kind == HS_QUERY_CELL_TEXT ? cell->text : NULL,
                             cell->kind == HS_QUERY_CELL_TEXT ? (size_t) cell->integer : 0,
                             w->slices[f]);
    }
  if (w->format == HS_EXPORT_JSONL)
    g_string_append_c (w->buf, '{');
  for (size_t i = 0; i < l->columns->len; i++)
    {
      const OutColumn *c = &g_array_index (l->columns, OutColumn, i);

      if (w->format == HS_EXPORT_JSONL)
        hs_string_append (w->buf, c->key, c->key_len);
      else if (i > 0)
        g_string_append_c (w->buf, ',');
      if (c->flat < 0)
        put_cell (w, c, &cells[c->raw]);
      else
        put_slice (w, c, &w->slices[c->flat][c->slice]);
    }
  hs_string_append (w->buf, w->format == HS_EXPORT_JSONL ? "}\n" : "\r\n", 2);
}

static void
write_header (const Layout *l,
              GString      *out)
{
  for (size_t i = 0; i < l->columns->len; i++)
    {
      const char *name = g_array_index (l->columns, OutColumn, i).name;

      if (i > 0)
        g_string_append_c (out, ',');
      hs_csv_append_field (out, name, strlen (name));
    }
  g_string_append (out, "\r\n");
}

/* The pipeline. Each formatting thread (one per processor) takes the next range of ids (a
 * chunk), reads its rows on a connection of its own (all in one snapshot, hs-store-export.c)
 * and formats them straight from SQLite's memory into a buffer; the chunks are written in
 * order, each by whichever thread completes the run of chunks that can go out, outside the lock.
 * A fixed set of buffers circulates, so memory stays at a few chunks whatever the row count. */

typedef struct
{
  uint64_t seq;
  size_t   n_rows;
  GString *out;
} Chunk;

typedef struct
{
  const Layout        *layout;
  HsExportFormat       format;
  FILE                *file;
  const char          *part;
  HsExportReaders     *readers;
  GPtrArray           *threads;
  int64_t              total;
  GCancellable        *cancellable;

  GMutex               claim_lock;    /* the next chunk's range */
  uint64_t             next_seq;
  int64_t              next_lo;
  int64_t              width;
  gboolean             exhausted;

  GMutex               lock;          /* the rest */
  GCond                cond;
  Chunk               *slots;
  size_t               n_slots;
  Chunk              **free_slots;
  size_t               n_free;
  Chunk              **ready;         /* by seq % n_slots: formatted, waiting for its turn */
  uint64_t             next_write;
  gboolean             writing;       /* a thread is writing the ready run */
  int64_t              rows_written;
  unsigned             running;       /* formatting threads not yet finished */
  gboolean             report;        /* there is a progress callback */
  gboolean             progress_due;  /* the writing waits for the calling thread to tell it */
  GError              *error;         /* the first failure */
  int                  failed;        /* atomic: error is set, or cancelled */
} Pipeline;

/* The ids a chunk spans: this many rows when the ids are dense. */
#define CHUNK_ROWS 256
#define SLOTS_PER_THREAD 2

typedef struct
{
  Pipeline  *p;
  unsigned   index;
  Formatter  w;
  Chunk     *chunk;
} Worker;

/* Records the first failure (takes @error) and stops every thread. */
static void
fail (Pipeline *p,
      GError   *error)
{
  g_mutex_lock (&p->lock);
  if (p->error == NULL)
    p->error = error;
  else
    g_error_free (error);
  g_atomic_int_set (&p->failed, 1);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static gboolean
format_row_cb (const HsQueryCell *cells,
               size_t             n_cells,
               gpointer           user_data,
               GError           **error)
{
  Worker *wk = user_data;

  format_row (&wk->w, cells);
  wk->chunk->n_rows++;
  return TRUE;
}

/* Claims the next chunk: its sequence number and ids lo … hi. FALSE when all are claimed. */
static gboolean
claim (Worker   *wk,
       uint64_t *seq,
       int64_t  *lo,
       int64_t  *hi)
{
  Pipeline *p = wk->p;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_mutex_lock (&p->claim_lock);
  ok = !p->exhausted;
  if (ok)
    {
      *seq = p->next_seq++;
      *lo = p->next_lo;
      *hi = *lo > G_MAXINT64 - p->width ? G_MAXINT64 : *lo + p->width - 1;
      /* The next chunk starts at the next row: a gap in the ids costs one look-up. */
      if (*hi == G_MAXINT64
          || !hs_store_export_readers_next (p->readers, wk->index, *hi, &p->next_lo, &error))
        p->exhausted = TRUE;
    }
  g_mutex_unlock (&p->claim_lock);
  if (error != NULL)
    fail (p, g_steal_pointer (&error));
  return ok;
}

/* Writes the ready chunks in order; called with the lock held, which it drops while writing.
 * One thread writes at a time; the others go on formatting. */
static void
write_ready (Pipeline *p)
{
  Chunk *c;

  if (p->writing)
    return;
  p->writing = TRUE;
  while ((c = p->ready[p->next_write % p->n_slots]) != NULL && c->seq == p->next_write)
    {
      p->ready[p->next_write % p->n_slots] = NULL;
      if (p->error == NULL)
        {
          gboolean ok;
          int saved;

          g_mutex_unlock (&p->lock);
          ok = c->out->len == 0 || fwrite (c->out->str, 1, c->out->len, p->file) == c->out->len;
          saved = errno;
          g_mutex_lock (&p->lock);
          if (!ok && p->error == NULL)
            {
              g_set_error (&p->error, G_IO_ERROR, g_io_error_from_errno (saved),
                           "writing %s: %s", p->part, g_strerror (saved));
              g_atomic_int_set (&p->failed, 1);
            }
          if (ok)
            {
              int64_t before = p->rows_written;

              p->rows_written += (int64_t) c->n_rows;
              /* Progress is told on the calling thread; the writing waits for it, so that a
               * cancel from the callback stops the export there. */
              if (p->report && p->rows_written / PROGRESS_ROWS > before / PROGRESS_ROWS)
                {
                  p->progress_due = TRUE;
                  g_cond_broadcast (&p->cond);
                  while (p->progress_due && !g_atomic_int_get (&p->failed))
                    g_cond_wait (&p->cond, &p->lock);
                }
            }
        }
      p->next_write++;
      p->free_slots[p->n_free++] = c;
      g_cond_broadcast (&p->cond);
    }
  p->writing = FALSE;
}

static gpointer
format_thread (gpointer data)
{
  Worker *wk = data;
  Pipeline *p = wk->p;

  while (!g_atomic_int_get (&p->failed))
    {
      g_autoptr(GError) error = NULL;
      uint64_t seq;
      int64_t lo, hi;
      Chunk *c;

      /* A buffer first, then a chunk: so the oldest unwritten chunk always has one. */
      g_mutex_lock (&p->lock);
      while (p->n_free == 0 && !g_atomic_int_get (&p->failed))
        g_cond_wait (&p->cond, &p->lock);
      c = p->n_free > 0 ? p->free_slots[--p->n_free] : NULL;
      g_mutex_unlock (&p->lock);
      if (c == NULL)
        break;
      if (!claim (wk, &seq, &lo, &hi))
        {
          g_mutex_lock (&p->lock);
          p->free_slots[p->n_free++] = c;
          g_cond_broadcast (&p->cond);
          g_mutex_unlock (&p->lock);
          break;
        }
      c->seq = seq;
      c->n_rows = 0;
      g_string_truncate (c->out, 0);
      wk->chunk = c;
      wk->w.buf = c->out;
      if (!hs_store_export_readers_read (p->readers, wk->index, lo, hi, format_row_cb, wk,
                                         &error)
          || g_cancellable_set_error_if_cancelled (p->cancellable, &error))
        fail (p, g_steal_pointer (&error));

      g_mutex_lock (&p->lock);
      p->ready[seq % p->n_slots] = c;
      write_ready (p);
      g_mutex_unlock (&p->lock);
    }
  g_mutex_lock (&p->lock);
  p->running--;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  return NULL;
}

static Worker *
pipeline_start (Pipeline *p,
                int64_t   first_id)
{
  unsigned n_threads = hs_store_export_readers_get_n (p->readers);
  Worker *workers = g_new0 (Worker, n_threads);

  p->threads = g_ptr_array_new ();
  g_mutex_init (&p->lock);
  g_mutex_init (&p->claim_lock);
  g_cond_init (&p->cond);
  p->next_lo = first_id;
  p->n_slots = n_threads * SLOTS_PER_THREAD + 1;
  p->slots = g_new0 (Chunk, p->n_slots);
  p->free_slots = g_new0 (Chunk *, p->n_slots);
  p->ready = g_new0 (Chunk *, p->n_slots);
  for (size_t i = 0; i < p->n_slots; i++)
    {
      p->slots[i].out = g_string_sized_new (CHUNK_ROWS * 1024);
      p->free_slots[p->n_free++] = &p->slots[i];
    }
  p->running = n_threads;
  for (unsigned i = 0; i < n_threads; i++)
    {
      Formatter w = { p->layout, p->format, NULL, g_string_sized_new (256), { NULL },
                      { { -1, "" }, { -1, "" }, { -1, "" }, { -1, "" } }, 0 };

      for (size_t f = 0; f < p->layout->n_flat; f++)
        w.slices[f] = g_new0 (HsJsonSlice, p->layout->flat[f].n_paths);
      workers[i].p = p;
      workers[i].index = i;
      workers[i].w = w;
      g_ptr_array_add (p->threads, g_thread_new ("hs-export", format_thread, &workers[i]));
    }
  return workers;
}

/* On the calling thread: reports progress every PROGRESS_ROWS rows and watches the
 * cancellable until the formatting threads are done; then frees the pipeline. */
static void
pipeline_wait (Pipeline            *p,
               Worker              *workers,
               HsExportProgressFunc progress,
               gpointer             progress_data)
{
  g_mutex_lock (&p->lock);
  while (p->running > 0)
    {
      g_cond_wait_until (&p->cond, &p->lock, g_get_monotonic_time () + G_TIME_SPAN_SECOND / 10);
      if (p->progress_due)
        {
          int64_t done = p->rows_written;

          g_mutex_unlock (&p->lock);
          progress (done, p->total, progress_data);
          g_mutex_lock (&p->lock);
          p->progress_due = FALSE;
          g_cond_broadcast (&p->cond);
        }
      if (!g_atomic_int_get (&p->failed) && g_cancellable_is_cancelled (p->cancellable))
        {
          g_cancellable_set_error_if_cancelled (p->cancellable, &p->error);
          g_atomic_int_set (&p->failed, 1);
          g_cond_broadcast (&p->cond);
        }
    }
  g_mutex_unlock (&p->lock);
  for (unsigned i = 0; i < p->threads->len; i++)
    {
      Formatter *w = &workers[i].w;

      g_thread_join (p->threads->pdata[i]);
      for (size_t f = 0; f < p->layout->n_flat; f++)
        g_free (w->slices[f]);
      g_string_free (w->scratch, TRUE);
    }
  g_free (workers);
  for (size_t i = 0; i < p->n_slots; i++)
    g_string_free (p->slots[i].out, TRUE);
  g_free (p->slots);
  g_free (p->free_slots);
  g_free (p->ready);
  g_ptr_array_free (p->threads, TRUE);
  g_mutex_clear (&p->lock);
  g_mutex_clear (&p->claim_lock);
  g_cond_clear (&p->cond);
}

/* A layout of some of @full's columns, in the order named (the flattening is @full's, borrowed):
 * the Export page's column choice. NULL with @error set for a name the dataset lacks. */
static Layout *
layout_select (const Layout       *full,
               const char *const  *names,
               GError            **error)
{
  Layout *l = g_new0 (Layout, 1);

  l->columns = g_array_new (FALSE, FALSE, sizeof (OutColumn));
  memcpy (l->flat, full->flat, sizeof l->flat);
  l->n_flat = full->n_flat;
  for (size_t n = 0; names[n] != NULL; n++)
    {
      const OutColumn *c = NULL;

      for (size_t i = 0; i < full->columns->len && c == NULL; i++)
        if (g_str_equal (g_array_index (full->columns, OutColumn, i).name, names[n]))
          c = &g_array_index (full->columns, OutColumn, i);
      if (c == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "no column %s in this dataset (export DATASET --columns lists them)",
                       names[n]);
          layout_select_free (l);
          return NULL;
        }
      add_column (l, g_strdup (c->name), c->kind, c->raw, c->flat, c->slice);
    }
  if (l->columns->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no columns chosen");
      layout_select_free (l);
      return NULL;
    }
  return l;
}

/**
 * hs_export_run:
 * @progress: (nullable): told the rows written and the total every 16,384 rows and at the end
 * @cancellable: (nullable): checked after every chunk of 256 ids and ten times a second
 * @rows: (out) (optional): rows written
 * @error_offset: (out) (optional): for a --where error, its byte offset in the filter
 *
 * Exports @request's dataset to @request->path. The file appears only when it is complete: it
 * is written as PATH.part and renamed; on any error, or when cancelled (%G_IO_ERROR_CANCELLED),
 * the part file is removed and an older PATH stays as it was.
 */
gboolean
hs_export_run (HsStore               *store,
               const HsExportRequest *request,
               HsExportProgressFunc   progress,
               gpointer               user_data,
               GCancellable          *cancellable,
               int64_t               *rows,
               size_t                *error_offset,
               GError               **error)
{
  return hs_export_run_select (store, request, NULL, progress, user_data, cancellable, rows,
                               error_offset, error);
}

/**
 * hs_export_run_select:
 * @columns: (nullable) (array zero-terminated=1): the columns to write, by name, in this order
 *   (hs_export_column_name()); %NULL: all of them
 *
 * hs_export_run() with a choice of columns (the Export page's, `export --select`).
 */
gboolean
hs_export_run_select (HsStore               *store,
                      const HsExportRequest *request,
                      const char *const     *columns,
                      HsExportProgressFunc   progress,
                      gpointer               user_data,
                      GCancellable          *cancellable,
                      int64_t               *rows,
                      size_t                *error_offset,
                      GError               **error)
{
  g_autofree char *part = g_strconcat (request->path, ".part", NULL);
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(Layout) chosen = NULL;
  Pipeline p = { 0 };
  gboolean ok;

  p.layout = layout_for (request->dataset);
  if (columns != NULL)
    {
      chosen = layout_select (p.layout, columns, error);
      if (chosen == NULL)
        return FALSE;
      p.layout = chosen;
    }
  p.format = request->format;
  p.part = part;
  p.cancellable = cancellable;
  if (!hs_store_export_count (store, request->dataset, request->where, &p.total, error_offset,
                              error))
    return FALSE;
  p.file = g_fopen (part, "wb");
  if (p.file == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot create %s: %s",
                   part, g_strerror (saved));
      return FALSE;
    }
  if (request->format == HS_EXPORT_CSV)
    write_header (p.layout, header);
  ok = fwrite (header->str, 1, header->len, p.file) == header->len;
  if (!ok)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "writing %s: %s", part,
                   g_strerror (saved));
    }
  else
    {
      g_autoptr(HsExportReaders) readers = NULL;
      unsigned n_threads = CLAMP (g_get_num_processors (), 1, 8);
      g_autoptr(GError) local = NULL;
      int64_t first = 0;

      readers = hs_store_export_readers_new (store, request->dataset, request->where, n_threads,
                                             error_offset, error);
      ok = readers != NULL;
      /* From the first row's id; none: nothing to write. */
      if (ok && hs_store_export_readers_next (readers, 0, G_MININT64, &first, &local))
        {
          Worker *workers;

          p.readers = readers;
          p.width = CHUNK_ROWS;
          p.report = progress != NULL;
          workers = pipeline_start (&p, first);
          pipeline_wait (&p, workers, progress, user_data);
          if (p.error != NULL)
            {
              ok = FALSE;
              g_propagate_error (error, g_steal_pointer (&p.error));
            }
        }
      else if (local != NULL)
        {
          ok = FALSE;
          g_propagate_error (error, g_steal_pointer (&local));
        }
    }
  if (ok && fflush (p.file) != 0)
    {
      int saved = errno;

      ok = FALSE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "writing %s: %s", part,
                   g_strerror (saved));
    }
  if (fclose (p.file) != 0 && ok)
    {
      int saved = errno;

      ok = FALSE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "closing %s: %s", part,
                   g_strerror (saved));
    }
  if (ok && g_rename (part, request->path) != 0)
    {
      int saved = errno;

      ok = FALSE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "renaming %s to %s: %s",
                   part, request->path, g_strerror (saved));
    }
  if (!ok)
    g_unlink (part);
  if (ok && progress != NULL)
    progress (p.rows_written, p.total, user_data);
  if (rows != NULL)
    *rows = p.rows_written;
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* On a worker */

typedef struct
{
  char           *db_path;
  HsExportDataset dataset;
  HsExportFormat  format;
  char           *where;
  char           *path;
} TaskData;

static void
task_data_free (gpointer data)
{
  TaskData *d = data;

  g_free (d->db_path);
  g_free (d->where);
  g_free (d->path);
  g_free (d);
}

static void
export_worker (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  TaskData *d = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (d->db_path, HS_STORE_OPEN_NO_MIGRATE, &error);
  HsExportRequest req = { d->dataset, d->format, d->where, d->path };
  int64_t rows = 0;

  if (store == NULL
      || !hs_export_run (store, &req, NULL, NULL, cancellable, &rows, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, (gssize) rows);
}

/**
 * hs_export_async:
 * @db_path: the database; the worker opens its own connection
 *
 * Runs hs_export_run() on a worker thread; @callback runs in the caller's main context.
 */
void
hs_export_async (const char            *db_path,
                 const HsExportRequest *request,
                 GCancellable          *cancellable,
                 GAsyncReadyCallback    callback,
                 gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *d = g_new0 (TaskData, 1);

  d->db_path = g_strdup (db_path);
  d->dataset = request->dataset;
  d->format = request->format;
  d->where = g_strdup (request->where);
  d->path = g_strdup (request->path);
  g_task_set_source_tag (task, hs_export_async);
  g_task_set_task_data (task, d, task_data_free);
  g_task_run_in_thread (task, export_worker);
}

gboolean
hs_export_finish (GAsyncResult *result,
                  int64_t      *rows,
                  GError      **error)
{
  gssize n = g_task_propagate_int (G_TASK (result), error);

  if (n < 0)
    return FALSE;
  if (rows != NULL)
    *rows = n;
  return TRUE;
}
