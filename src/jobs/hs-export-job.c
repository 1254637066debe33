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
  HsExportDataset dataset;
  char           *where;
  GStrv           columns;
  guint           limit;
} PreviewRequest;

static void
preview_request_free (gpointer data)
{
  PreviewRequest *r = data;

  g_free (r->where);
  g_strfreev (r->columns);
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

static gpointer
preview_run (HsStore           *store,
             gconstpointer      request,
             HsJobProgressFunc  progress,
             gpointer           progress_data,
             GCancellable      *cancellable,
             GError           **error)
{
  const PreviewRequest *r = request;
  g_autoptr(HsExportPreview) preview = g_new0 (HsExportPreview, 1);
  const char *const id_select[] = { "id", NULL };
  HsQueryRequest q = { 0 };
  g_autoptr(HsQuery) query = NULL;
  g_autofree char *narrowed = NULL, *tmp = NULL;
  int64_t max_id = G_MININT64;
  HsExportRequest req = { r->dataset, HS_EXPORT_CSV, NULL, NULL };
  const char *where = is_blank (r->where) ? NULL : r->where;
  int fd;

  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (!hs_store_export_count (store, r->dataset, where, &preview->total, NULL, error))
    return NULL;

  /* The last id among the first rows the filter selects (rows come in id order). */
  q.source = query_source (r->dataset);
  q.filter = where;
  q.select = id_select;
  q.limit = r->limit;
  query = hs_query_compile (&q, NULL, NULL, error);
  if (query == NULL || !hs_store_query_run (store, query, max_id_cb, &max_id, cancellable, error))
    return NULL;
  if (max_id == G_MININT64)
    {
      /* Nothing selected: the header alone. */
      size_t n = hs_export_n_columns (r->dataset);

      if (r->columns != NULL)
        preview->columns = g_strdupv (r->columns);
      else
        {
          preview->columns = g_new0 (char *, n + 1);
          for (size_t i = 0; i < n; i++)
            preview->columns[i] = g_strdup (hs_export_column_name (r->dataset, i));
        }
      return g_steal_pointer (&preview);
    }
  narrowed = where != NULL ? g_strdup_printf ("(%s) and id <= %" G_GINT64_FORMAT, where, max_id)
                           : g_strdup_printf ("id <= %" G_GINT64_FORMAT, max_id);
  fd = g_file_open_tmp ("hs-export-preview-XXXXXX.csv", &tmp, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);
  req.where = narrowed;
  req.path = tmp;
  if (!hs_export_run_select (store, &req, (const char *const *) r->columns, NULL, NULL,
                             cancellable, NULL, NULL, error)
      || !read_csv (tmp, preview, error))
    {
      g_unlink (tmp);
      return NULL;
    }
  g_unlink (tmp);
  return g_steal_pointer (&preview);
}

/**
 * hs_export_preview_async:
 * @where: (nullable): a filter hs_export_job_check_filter() accepts
 * @columns: (nullable) (array zero-terminated=1): the columns; %NULL: all
 * @limit: how many rows at most
 *
 * Reads the first @limit rows the export would write, as CSV fields, and the count of all.
 */
void
hs_export_preview_async (const char          *db_path,
                         HsExportDataset      dataset,
                         const char          *where,
                         const char *const   *columns,
                         guint                limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  PreviewRequest *r = g_new0 (PreviewRequest, 1);

  r->dataset = dataset;
  r->where = g_strdup (where);
  r->columns = g_strdupv ((GStrv) columns);
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
  HsExportDataset dataset;
  HsExportFormat  format;
  char           *where;
  GStrv           columns;
  char           *path;
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

  g_free (r->where);
  g_strfreev (r->columns);
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

  relay->progress (total > 0 ? (double) done / (double) total : 1.0, message,
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
  HsExportRequest req = { r->dataset, r->format, is_blank (r->where) ? NULL : r->where, NULL };
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
  req.path = temp;
  if (!hs_export_run_select (store, &req, (const char *const *) r->columns,
                             progress != NULL ? rows_progress_cb : NULL, &relay, cancellable,
                             &rows, NULL, error))
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
 * @where: (nullable): a filter hs_export_job_check_filter() accepts
 * @columns: (nullable) (array zero-terminated=1): the columns; %NULL: all
 * @path: the file to write
 * @progress: (nullable): the fraction of rows written and "DONE / TOTAL", on the caller's main
 *   context
 *
 * Exports on a worker to a temporary file in @path's folder; hs_export_file_finish() renames it
 * to @path unless @cancellable was cancelled by then, in which case the file is removed.
 */
void
hs_export_file_async (const char          *db_path,
                      HsExportDataset      dataset,
                      HsExportFormat       format,
                      const char          *where,
                      const char *const   *columns,
                      const char          *path,
                      HsJobProgressFunc    progress,
                      gpointer             progress_data,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  FileRequest *r = g_new0 (FileRequest, 1);

  r->dataset = dataset;
  r->format = format;
  r->where = g_strdup (where);
  r->columns = g_strdupv ((GStrv) columns);
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
