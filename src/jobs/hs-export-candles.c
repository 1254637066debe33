/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The candles dataset of the ML export: one stored bar per row, in time order, with the
 * export's value rules (docs/export.md): times ISO-8601 UTC, numbers in the shortest form that
 * reads back exactly (C locale), an unknown vwap or trade count empty (CSV) or null (JSON). CSV
 * has a header and CRLF line ends (no value needs quoting); JSON lines one object per line. The
 * file is written as FILE.part and renamed when complete; a failure or a cancel removes it.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-export-candles.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hs-records.h"
#include "hs-store-market.h"
#include "hs-time.h"

#define PROGRESS_ROWS 16384
#define CANCEL_ROWS 1024

typedef enum
{
  COL_TIME,
  COL_OPEN,
  COL_HIGH,
  COL_LOW,
  COL_CLOSE,
  COL_VOLUME,
  COL_VWAP,
  COL_TRADE_COUNT,
  N_COLS
} Col;

static const char *const col_names[N_COLS] = {
  "time", "open", "high", "low", "close", "volume", "vwap", "trade_count",
};
static const char *const col_types[N_COLS] = {
  "time", "number", "number", "number", "number", "number", "number", "integer",
};

size_t
hs_export_candles_n_columns (void)
{
  return N_COLS;
}

const char *
hs_export_candles_column_name (size_t i)
{
  g_return_val_if_fail (i < N_COLS, NULL);
  return col_names[i];
}

const char *
hs_export_candles_column_type (size_t i)
{
  g_return_val_if_fail (i < N_COLS, NULL);
  return col_types[i];
}

static gboolean
find_instrument (HsStore                      *store,
                 const HsExportCandlesRequest *request,
                 int64_t                      *id,
                 GError                      **error)
{
  if (!hs_store_find_instrument (store, request->symbol, request->exchange, id, error))
    return FALSE;
  if (*id <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no instrument %s", request->symbol);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  int64_t n;
  int64_t limit;
} Counter;

static gboolean
count_cb (const HsBar *bar,
          gpointer     user_data,
          GError     **error)
{
  Counter *c = user_data;

  c->n++;
  /* Stop early at the limit: a "stop" error that the caller recognises. */
  if (c->limit > 0 && c->n >= c->limit)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "limit");
      return FALSE;
    }
  return TRUE;
}

/* Sets @count: the bars the export would write (at most the request's limit). */
gboolean
hs_export_candles_count (HsStore                      *store,
                         const HsExportCandlesRequest *request,
                         int64_t                      *count,
                         GError                      **error)
{
  Counter c = { 0, request->limit };
  g_autoptr(GError) local = NULL;
  int64_t id = 0;

  if (!find_instrument (store, request, &id, error))
    return FALSE;
  if (!hs_store_each_bar (store, id, request->interval, G_MININT64, G_MAXINT64, count_cb, &c,
                          &local)
      && !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *count = c.n;
  return TRUE;
}

typedef struct
{
  HsExportFormat        format;
  Col                   cols[N_COLS];
  size_t                n_cols;
  FILE                 *file;
  const char           *part;
  GString              *buf;
  int64_t               rows;
  int64_t               total;
  int64_t               limit;
  HsExportProgressFunc  progress;
  gpointer              progress_data;
  GCancellable         *cancellable;
} Writer;

static gboolean
flush (Writer  *w,
       GError **error)
{
  if (w->buf->len > 0 && fwrite (w->buf->str, 1, w->buf->len, w->file) != w->buf->len)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "writing %s: %s", w->part,
                   g_strerror (saved));
      return FALSE;
    }
  g_string_truncate (w->buf, 0);
  return TRUE;
}

static void
put_value (Writer      *w,
           Col          col,
           const HsBar *bar)
{
  char text[40];

  switch (col)
    {
    case COL_TIME:
      hs_time_format_iso_buf (bar->ts, text);
      if (w->format == HS_EXPORT_JSONL)
        g_string_append_printf (w->buf, "\"%s\"", text);
      else
        g_string_append (w->buf, text);
      return;
    case COL_TRADE_COUNT:
      if (bar->trade_count >= 0)
        g_string_append_printf (w->buf, "%" G_GINT64_FORMAT, bar->trade_count);
      else if (w->format == HS_EXPORT_JSONL)
        g_string_append (w->buf, "null");
      return;
    case COL_OPEN:
    case COL_HIGH:
    case COL_LOW:
    case COL_CLOSE:
    case COL_VOLUME:
    case COL_VWAP:
    case N_COLS:
    default:
      {
        double v = col == COL_OPEN ? bar->open : col == COL_HIGH ? bar->high
                   : col == COL_LOW ? bar->low : col == COL_CLOSE ? bar->close
                   : col == COL_VOLUME ? bar->volume : bar->vwap;

        if (isfinite (v))
          {
            hs_format_double (v, text);
            g_string_append (w->buf, text);
          }
        else if (w->format == HS_EXPORT_JSONL)
          g_string_append (w->buf, "null");
      }
      return;
    }
}

static gboolean
write_bar_cb (const HsBar *bar,
              gpointer     user_data,
              GError     **error)
{
  Writer *w = user_data;

  if (w->format == HS_EXPORT_JSONL)
    g_string_append_c (w->buf, '{');
  for (size_t i = 0; i < w->n_cols; i++)
    {
      if (w->format == HS_EXPORT_JSONL)
        g_string_append_printf (w->buf, "%s\"%s\":", i > 0 ? "," : "", col_names[w->cols[i]]);
      else if (i > 0)
        g_string_append_c (w->buf, ',');
      put_value (w, w->cols[i], bar);
    }
  g_string_append (w->buf, w->format == HS_EXPORT_JSONL ? "}\n" : "\r\n");
  w->rows++;
  if (w->buf->len > 1 << 16 && !flush (w, error))
    return FALSE;
  if (w->rows % CANCEL_ROWS == 0 && g_cancellable_set_error_if_cancelled (w->cancellable, error))
    return FALSE;
  if (w->progress != NULL && w->rows % PROGRESS_ROWS == 0)
    w->progress (w->rows, w->total, w->progress_data);
  if (w->limit > 0 && w->rows >= w->limit)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "limit");
      return FALSE;
    }
  return TRUE;
}

/* Chooses the columns: @names in the dataset's order as given, or all. */
static gboolean
choose_columns (Writer            *w,
                const char *const *names,
                GError           **error)
{
  w->n_cols = 0;
  if (names == NULL)
    {
      for (int c = 0; c < N_COLS; c++)
        w->cols[w->n_cols++] = (Col) c;
      return TRUE;
    }
  for (size_t n = 0; names[n] != NULL; n++)
    {
      int c = 0;

      while (c < N_COLS && !g_str_equal (col_names[c], names[n]))
        c++;
      if (c == N_COLS || w->n_cols == N_COLS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "no column %s in candles (export candles --columns lists them)",
                       names[n]);
          return FALSE;
        }
      w->cols[w->n_cols++] = (Col) c;
    }
  if (w->n_cols == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "no columns chosen");
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_export_candles_run:
 * @columns: (nullable) (array zero-terminated=1): the columns by name, in this order; %NULL: all
 * @progress: (nullable): rows written and the total, every 16,384 rows and at the end
 * @cancellable: (nullable): checked every 1,024 rows
 * @rows: (out) (optional): rows written
 *
 * Writes the stored bars of @request's instrument and interval to @path (through PATH.part).
 */
gboolean
hs_export_candles_run (HsStore                      *store,
                       const HsExportCandlesRequest *request,
                       HsExportFormat                format,
                       const char *const            *columns,
                       const char                   *path,
                       HsExportProgressFunc          progress,
                       gpointer                      user_data,
                       GCancellable                 *cancellable,
                       int64_t                      *rows,
                       GError                      **error)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autoptr(GString) buf = g_string_sized_new (1 << 17);
  g_autoptr(GError) local = NULL;
  Writer w = { 0 };
  int64_t id = 0;
  gboolean ok;

  w.format = format;
  w.buf = buf;
  w.part = part;
  w.limit = request->limit;
  w.progress = progress;
  w.progress_data = user_data;
  w.cancellable = cancellable;
  if (!choose_columns (&w, columns, error)
      || !find_instrument (store, request, &id, error)
      || (progress != NULL && !hs_export_candles_count (store, request, &w.total, error)))
    return FALSE;
  w.file = g_fopen (part, "wb");
  if (w.file == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot create %s: %s",
                   part, g_strerror (saved));
      return FALSE;
    }
  if (format == HS_EXPORT_CSV)
    {
      for (size_t i = 0; i < w.n_cols; i++)
        g_string_append_printf (buf, "%s%s", i > 0 ? "," : "", col_names[w.cols[i]]);
      g_string_append (buf, "\r\n");
    }
  ok = hs_store_each_bar (store, id, request->interval, G_MININT64, G_MAXINT64, write_bar_cb, &w,
                          &local);
  if (!ok && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      ok = TRUE;   /* the limit reached */
      g_clear_error (&local);
    }
  if (ok)
    ok = !g_cancellable_set_error_if_cancelled (cancellable, &local) && flush (&w, &local);
  if (fclose (w.file) != 0 && ok)
    {
      int saved = errno;

      ok = FALSE;
      g_set_error (&local, G_IO_ERROR, g_io_error_from_errno (saved), "closing %s: %s", part,
                   g_strerror (saved));
    }
  if (ok && g_rename (part, path) != 0)
    {
      int saved = errno;

      ok = FALSE;
      g_set_error (&local, G_IO_ERROR, g_io_error_from_errno (saved), "renaming %s to %s: %s",
                   part, path, g_strerror (saved));
    }
  if (!ok)
    {
      g_unlink (part);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (progress != NULL)
    progress (w.rows, w.total, user_data);
  if (rows != NULL)
    *rows = w.rows;
  return TRUE;
}
