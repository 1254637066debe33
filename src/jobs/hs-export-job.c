/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Export page's work (docs/ui-export.md), off the main thread:
 *
 * - the filter checked as hindsight-cli export checks it (the training-query compiler, no
 *   database needed), so the page can say why Export is disabled while the user types;
 * - a preview: the ids of the first rows the filter selects, then the export itself narrowed to
 *   them, written as CSV to a temporary file and read back, so the preview shows exactly the
 *   text the export writes;
 * - the export to a file: written by hs_export_run_select() to a temporary name in the target's
 *   folder, renamed to the target on the main thread when the job finishes, unless it was
 *   cancelled meanwhile. A cancelled or failed export leaves no file and an older target as it
 *   was.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-export-job.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-export-candles.h"
#include "hs-expr.h"
#include "hs-store-query.h"

static HsQuerySource
query_source (HsExportDataset dataset)
{
  switch (dataset)
    {
    case HS_EXPORT_SIGNALS:
      return HS_QUERY_SIGNALS;
    case HS_EXPORT_BACKTEST_TRADES:
      return HS_QUERY_BACKTEST_TRADES;
    case HS_EXPORT_TRADES:
    default:
      return HS_QUERY_PAPER_TRADES;
    }
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[strspn (text, " \t\r\n")] == '\0';
}

/* An HsExportChoice with its texts owned, for a worker. */
typedef struct
{
  gboolean        candles;
  HsExportDataset dataset;
  char           *where;
  char           *symbol;
  char           *exchange;
  char           *interval;
  HsExportFormat  format;
  GStrv           columns;
} Choice;

static void
choice_copy (Choice               *dst,
             const HsExportChoice *src)
{
  dst->candles = src->candles;
  dst->dataset = src->dataset;
  dst->where = is_blank (src->where) ? NULL : g_strdup (src->where);
  dst->symbol = g_strdup (src->symbol);
  dst->exchange = g_strdup (src->exchange);
  dst->interval = g_strdup (src->interval);
  dst->format = src->format;
  dst->columns = g_strdupv ((GStrv) src->columns);
}

static void
choice_clear (Choice *c)
{
  g_free (c->where);
  g_free (c->symbol);
  g_free (c->exchange);
  g_free (c->interval);
  g_strfreev (c->columns);
}

static HsExportCandlesRequest
candles_request (const Choice *c,
                 int64_t       limit)
{
  HsExportCandlesRequest req = { c->symbol, c->exchange, c->interval, limit };

  return req;
}

/* Writes the choice's export to @path (through PATH.part). */
static gboolean
choice_run (HsStore             *store,
            const Choice        *c,
            const char          *where,
            int64_t              limit,
            const char          *path,
            HsExportFormat       format,
            HsExportProgressFunc progress,
            gpointer             progress_data,
            GCancellable        *cancellable,
            int64_t             *rows,
            GError             **error)
{
  HsExportRequest req = { c->dataset, format, where, path };
  HsExportCandlesRequest creq = candles_request (c, limit);

  if (c->candles)
    return hs_export_candles_run (store, &creq, format, (const char *const *) c->columns, path,
                                  progress, progress_data, cancellable, rows, error);
  return hs_export_run_select (store, &req, (const char *const *) c->columns, progress,
                               progress_data, cancellable, rows, NULL, error);
}

/**
 * hs_export_job_check_filter:
 * @where: (nullable): a training-query filter; blank: every row
 * @error_offset: (out) (optional): the byte offset of the error in @where
 * @message: (out) (optional) (transfer full): why it is refused, "column N: …"
 *
 * Returns: whether `hindsight-cli export DATASET --where @where` accepts the filter
 */
gboolean
hs_export_job_check_filter (HsExportDataset dataset,
                            const char     *where,
                            size_t         *error_offset,
                            char          **message)
{
  HsQueryRequest req = { 0 };
  g_autoptr(HsQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  const char *failed = NULL;
  size_t offset = 0;

  if (is_blank (where))
    return TRUE;
  req.source = query_source (dataset);
  req.filter = where;
  query = hs_query_compile (&req, &failed, &offset, &error);
  if (query != NULL)
    return TRUE;
  if (error_offset != NULL)
    *error_offset = offset;
  if (message != NULL)
    {
      /* Query errors say "column N: …"; the parser's own errors say where in their own way. */
      if (g_str_has_prefix (error->message, "column "))
        *message = g_strdup (error->message);
      else
        *message = g_strdup_printf ("column %ld: %s",
                                    g_utf8_pointer_to_offset (where,
                                                              where + MIN (offset, strlen (where)))
                                    + 1, error->message);
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Preview */

typedef struct
{
  Choice choice;
  guint  limit;
} PreviewRequest;

static void
preview_request_free (gpointer data)
{
  PreviewRequest *r = data;

  choice_clear (&r->choice);
  g_free (r);
}

void
hs_export_preview_free (HsExportPreview *preview)
{
  if (preview == NULL)
    return;
  g_strfreev (preview->columns);
  g_ptr_array_unref (preview->rows);
  g_free (preview);
}

static gboolean
max_id_cb (const HsQueryCell *cells,
           size_t             n_cells,
           gpointer           user_data,
           GError           **error)
{
  int64_t *max_id = user_data;

  if (n_cells > 0 && cells[0].kind == HS_QUERY_CELL_INTEGER)
    *max_id = MAX (*max_id, cells[0].integer);
  else if (n_cells > 0 && cells[0].kind == HS_QUERY_CELL_REAL)
    *max_id = MAX (*max_id, (int64_t) cells[0].real);
  return TRUE;
}

/* Splits RFC 4180 text as the export writes it (CRLF line ends, fields quoted when they hold
 * a comma, a quote or a line break, quotes doubled) into rows of fields; a quoted field may span
 * lines, which the market-data reader of hs-csv.c does not allow. */
static void
split_csv (const char      *text,
           size_t           len,
           HsExportPreview *preview)
{
  g_autoptr(GStrvBuilder) row = g_strv_builder_new ();
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE, header = TRUE;

  for (size_t i = 0; i < len; i++)
    {
      char c = text[i];

      if (quoted)
        {
          if (c == '"' && i + 1 < len && text[i + 1] == '"')
            {
              g_string_append_c (field, '"');
              i++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, c);
          continue;
        }
      if (c == '"')
        quoted = TRUE;
      else if (c == ',')
        {
          g_strv_builder_add (row, field->str);
          g_string_truncate (field, 0);
        }
      else if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
        continue;
      else if (c == '\n')
        {
          GStrv fields;

          g_strv_builder_add (row, field->str);
          g_string_truncate (field, 0);
          fields = g_strv_builder_end (row);
          g_clear_pointer (&row, g_strv_builder_unref);
          row = g_strv_builder_new ();
          if (header)
            {
              g_strfreev (preview->columns);
              preview->columns = fields;
              header = FALSE;
            }
          else
            g_ptr_array_add (preview->rows, fields);
          continue;
        }
      else
        g_string_append_c (field, c);
    }
}

static gboolean
read_csv (const char      *path,
          HsExportPreview *preview,
          GError         **error)
{
  g_autofree char *text = NULL;
  size_t len = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  split_csv (text, len, preview);
  return TRUE;
}

/* The header alone, when no row is selected. */
static GStrv
all_columns (const Choice *c)
{
  size_t n = c->candles ? hs_export_candles_n_columns () : hs_export_n_columns (c->dataset);
  GStrv names;

  if (c->columns != NULL)
    return g_strdupv (c->columns);
  names = g_new0 (char *, n + 1);
  for (size_t i = 0; i < n; i++)
    names[i] = g_strdup (c->candles ? hs_export_candles_column_name (i)
                                    : hs_export_column_name (c->dataset, i));
  return names;
}

static gpointer
preview_run (HsStore           *store,
             gconstpointer      request,
             HsJobProgressFunc  progress,
             gpointer           progress_data,
             GCancellable      *cancellable,
             GError           **error)
{
  const PreviewRequest *r = request;
  const Choice *c = &r->choice;
  g_autoptr(HsExportPreview) preview = g_new0 (HsExportPreview, 1);
  const char *const id_select[] = { "id", NULL };
  g_autofree char *narrowed = NULL, *tmp = NULL;
  int64_t max_id = G_MININT64;
  HsExportCandlesRequest creq = candles_request (c, 0);
  gboolean ok;
  int fd;

  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (c->candles)
    {
      if (!hs_export_candles_count (store, &creq, &preview->total, error))
        return NULL;
    }
  else
    {
      HsQueryRequest q = { 0 };
      g_autoptr(HsQuery) query = NULL;

      if (!hs_store_export_count (store, c->dataset, c->where, &preview->total, NULL, error))
        return NULL;
      /* The last id among the first rows the filter selects (rows come in id order). */
      q.source = query_source (c->dataset);
      q.filter = c->where;
      q.select = id_select;
      q.limit = r->limit;
      query = hs_query_compile (&q, NULL, NULL, error);
      if (query == NULL
          || !hs_store_query_run (store, query, max_id_cb, &max_id, cancellable, error))
        return NULL;
      if (max_id == G_MININT64)
        {
          preview->columns = all_columns (c);
          return g_steal_pointer (&preview);
        }
      narrowed = c->where != NULL
                   ? g_strdup_printf ("(%s) and id <= %" G_GINT64_FORMAT, c->where, max_id)
                   : g_strdup_printf ("id <= %" G_GINT64_FORMAT, max_id);
    }
  fd = g_file_open_tmp ("hs-export-preview-XXXXXX.csv", &tmp, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);
  ok = choice_run (store, c, narrowed, r->limit, tmp, HS_EXPORT_CSV, NULL, NULL, cancellable,
                   NULL, error)
       && read_csv (tmp, preview, error);
  g_unlink (tmp);
  if (!ok)
    return NULL;
  if (preview->columns == NULL)
    preview->columns = all_columns (c);
  return g_steal_pointer (&preview);
}

/**
 * hs_export_preview_async:
 * @choice: what to export (its format is not used: the preview reads CSV fields)
 * @limit: how many rows at most
 *
 * Reads the first @limit rows the export would write, as CSV fields, and the count of all.
 */
void
hs_export_preview_async (const char           *db_path,
                         const HsExportChoice *choice,
                         guint                 limit,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  PreviewRequest *r = g_new0 (PreviewRequest, 1);

  choice_copy (&r->choice, choice);
  r->limit = MAX (limit, 1);
  hs_job_run_async (db_path, r, preview_request_free, preview_run,
                    (GDestroyNotify) hs_export_preview_free, NULL, NULL, cancellable, callback,
                    user_data, hs_export_preview_async, "hs-export-preview");
}

/* Returns: (transfer full): the preview, or %NULL with @error set */
HsExportPreview *
hs_export_preview_finish (GAsyncResult *result,
                          GError      **error)
{
  return hs_job_run_finish (result, hs_export_preview_async, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The export */

typedef struct
{
  Choice  choice;
  char   *path;
} FileRequest;

typedef struct
{
  char    *temp;   /* (owned) the complete export, under a temporary name */
  char    *path;   /* (owned) its place */
  int64_t  rows;
} FileResult;

static void
file_request_free (gpointer data)
{
  FileRequest *r = data;

  choice_clear (&r->choice);
  g_free (r->path);
  g_free (r);
}

/* Frees a result; a result nobody took (the job was cancelled after the file was written)
 * takes its file with it. */
static void
file_result_free (gpointer data)
{
  FileResult *res = data;

  if (res->temp != NULL)
    g_unlink (res->temp);
  g_free (res->temp);
  g_free (res->path);
  g_free (res);
}

typedef struct
{
  HsJobProgressFunc progress;
  gpointer          progress_data;
} ProgressRelay;

static void
rows_progress_cb (int64_t  done,
                  int64_t  total,
                  gpointer user_data)
{
  ProgressRelay *relay = user_data;
  g_autofree char *message = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                                              done, total);

  relay->progress (total > 0 ? (double) done / (double) total : -1.0, message,
                   relay->progress_data);
}

static gpointer
file_run (HsStore           *store,
          gconstpointer      request,
          HsJobProgressFunc  progress,
          gpointer           progress_data,
          GCancellable      *cancellable,
          GError           **error)
{
  const FileRequest *r = request;
  g_autofree char *dir = g_path_get_dirname (r->path);
  g_autofree char *base = g_path_get_basename (r->path);
  g_autofree char *tmpl = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *temp = g_build_filename (dir, tmpl, NULL);
  ProgressRelay relay = { progress, progress_data };
  FileResult *res;
  int64_t rows = 0;
  int fd;

  /* The temporary name is taken (created empty) so no other export picks it; the export
   * writes TEMP.part and renames it over TEMP. */
  fd = g_mkstemp (temp);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create a file in %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  g_close (fd, NULL);
  if (!choice_run (store, &r->choice, r->choice.where, 0, temp, r->choice.format,
                   progress != NULL ? rows_progress_cb : NULL, &relay, cancellable, &rows, error))
    {
      g_unlink (temp);
      return NULL;
    }
  res = g_new0 (FileResult, 1);
  res->temp = g_steal_pointer (&temp);
  res->path = g_strdup (r->path);
  res->rows = rows;
  return res;
}

/**
 * hs_export_file_async:
 * @choice: what to export and how (a filter hs_export_job_check_filter() accepts)
 * @path: the file to write
 * @progress: (nullable): the fraction of rows written and "DONE / TOTAL", on the caller's main
 *   context
 *
 * Exports on a worker to a temporary file in @path's folder; hs_export_file_finish() renames it
 * to @path unless @cancellable was cancelled by then, in which case the file is removed.
 */
void
hs_export_file_async (const char           *db_path,
                      const HsExportChoice *choice,
                      const char           *path,
                      HsJobProgressFunc    progress,
                      gpointer             progress_data,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  FileRequest *r = g_new0 (FileRequest, 1);

  choice_copy (&r->choice, choice);
  r->path = g_strdup (path);
  hs_job_run_async (db_path, r, file_request_free, file_run, file_result_free, progress,
                    progress_data, cancellable, callback, user_data, hs_export_file_async,
                    "hs-export-file");
}

/**
 * hs_export_file_finish:
 * @rows: (out) (optional): the rows written
 *
 * Puts the finished export in place (a rename in its folder). A job cancelled before this runs
 * fails with %G_IO_ERROR_CANCELLED and leaves no file, even if the worker had finished.
 *
 * Returns: whether the file was written
 */
gboolean
hs_export_file_finish (GAsyncResult *result,
                       int64_t      *rows,
                       GError      **error)
{
  FileResult *res = hs_job_run_finish (result, hs_export_file_async, error);
  gboolean ok = TRUE;

  if (res == NULL)
    return FALSE;
  if (g_rename (res->temp, res->path) != 0)
    {
      int saved = errno;

      ok = FALSE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "renaming %s to %s: %s",
                   res->temp, res->path, g_strerror (saved));
    }
  else
    g_clear_pointer (&res->temp, g_free);
  if (rows != NULL)
    *rows = res->rows;
  file_result_free (res);
  return ok;
}
