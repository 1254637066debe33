/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The coverage job: opens a database file on a worker thread (creating its folder and the file,
 * and applying pending migrations, as hindsight-cli does), reads what market data it holds per
 * instrument with hs_store_list_coverage(), closes it again and hands the rows to the main loop.
 * The GUI runs it whenever a window opens or reloads a database, so the main thread never waits
 * on SQLite, a migration or a busy lock.
 *
 * Load: one aggregate query over the market-data tables; on a database of millions of candles it
 * reads the primary-key indexes only and takes well under a second.
 */
#define G_LOG_DOMAIN "hs-job-coverage"

#include "config.h"

#include "hs-job-coverage.h"

#include <errno.h>
#include <glib/gstdio.h>

void
hs_coverage_result_free (HsCoverageResult *result)
{
  if (result == NULL)
    return;
  g_free (result->path);
  g_clear_pointer (&result->coverage, g_ptr_array_unref);
  g_free (result);
}

typedef struct
{
  char     *path;
  gboolean  create;   /* the window's load: create and migrate; other readers: never */
} CoverageRequest;

static void
coverage_request_free (CoverageRequest *r)
{
  g_free (r->path);
  g_free (r);
}

static void
hs_job_coverage_worker (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  const CoverageRequest *request = task_data;
  const char *path = request->path;
  g_autoptr(HsCoverageResult) result = NULL;
  g_autoptr(HsStore) store = NULL;
  g_autofree char *dir = NULL;
  GError *error = NULL;
  GStatBuf st;

  if (g_task_return_error_if_cancelled (task))
    return;

  dir = g_path_get_dirname (path);
  if (request->create && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "cannot create folder %s: %s", dir, g_strerror (saved_errno));
      return;
    }

  store = hs_store_open (path, request->create ? HS_STORE_OPEN_DEFAULT
                                               : HS_STORE_OPEN_EXISTING | HS_STORE_OPEN_NO_MIGRATE,
                         &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  result = g_new0 (HsCoverageResult, 1);
  result->path = g_strdup (path);
  result->file_size = -1;
  result->coverage = hs_store_list_coverage (store, &error);
  if (result->coverage == NULL)
    {
      g_prefix_error (&error, "%s: ", path);
      g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&store, hs_store_close);

  if (g_stat (path, &st) == 0)
    result->file_size = (int64_t) st.st_size;

  g_task_return_pointer (task, g_steal_pointer (&result),
                         (GDestroyNotify) hs_coverage_result_free);
}

static void
start_coverage (const char          *db_path,
                gboolean             create,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CoverageRequest *request = NULL;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = g_new0 (CoverageRequest, 1);
  request->path = g_strdup (db_path);
  request->create = create;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_job_coverage_async);
  g_task_set_name (task, "[hindsight] coverage");
  g_task_set_task_data (task, request, (GDestroyNotify) coverage_request_free);
  g_task_run_in_thread (task, hs_job_coverage_worker);
}

/**
 * hs_job_coverage_async:
 * @db_path: the database file; copied. Its folder is created when missing.
 * @cancellable: (nullable): cancels the job; the result is then %G_IO_ERROR_CANCELLED
 * @callback: runs on the thread-default main context of the caller
 *
 * Opens (creating and migrating as needed) the database at @db_path with its own connection on
 * a worker thread and reads its coverage. This is the window's load of a database; a page that
 * only reads the coverage of the open database uses hs_job_coverage_read_async().
 */
void
hs_job_coverage_async (const char          *db_path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  start_coverage (db_path, TRUE, cancellable, callback, user_data);
}

/**
 * hs_job_coverage_read_async:
 *
 * As hs_job_coverage_async(), but the database must exist with a current schema: a file
 * deleted meanwhile is an error (%HS_STORE_ERROR), never created again. Finish with
 * hs_job_coverage_finish().
 */
void
hs_job_coverage_read_async (const char          *db_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  start_coverage (db_path, FALSE, cancellable, callback, user_data);
}

/**
 * hs_job_coverage_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set: %HS_STORE_ERROR when the
 *   database cannot be opened or read (for example %HS_STORE_ERROR_TOO_NEW), %G_IO_ERROR when
 *   its folder cannot be created, %G_IO_ERROR_CANCELLED when cancelled
 */
HsCoverageResult *
hs_job_coverage_finish (GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hs_job_coverage_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
