/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The coverage job on its own, without GTK: it opens its own connection on a worker, creates
 * missing folders, reports store errors and cancellation, and hands back what the database
 * holds. Each case spins the main loop until the callback ran (never sleeps).
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>

#include "hs-job-coverage.h"
#include "hs-store-market.h"
#include "hs-time.h"

typedef struct
{
  gboolean          done;
  HsCoverageResult *result;   /* (owned) (nullable) */
  GError           *error;    /* (owned) (nullable) */
} Outcome;

static void
done_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = hs_job_coverage_finish (res, &outcome->error);
  outcome->done = TRUE;
}

static void
run_job (const char   *path,
         GCancellable *cancellable,
         Outcome      *outcome)
{
  hs_job_coverage_async (path, cancellable, done_cb, outcome);
  while (!outcome->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true ((outcome->result == NULL) != (outcome->error == NULL));
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, hs_coverage_result_free);
  g_clear_error (&outcome->error);
}

static char *
data_path (const char *name)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static void
test_result (void)
{
  g_autofree char *path = data_path ("job.db");
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };
  int64_t id = 0;
  int64_t t0 = hs_time_days_from_civil (2024, 1, 2) * 86400 * G_USEC_PER_SEC;
  const HsCoverage *cov = NULL;

  store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  hs_store_begin (store, &error);
  g_assert_no_error (error);
  hs_store_ensure_instrument (store, "IBM", "NYSE", "stock", &id, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 4; i++)
    {
      HsBar bar = { .ts = t0 + i * 60 * G_USEC_PER_SEC, .open = 10, .high = 11, .low = 9,
                    .close = 10, .volume = 5, .vwap = NAN, .trade_count = -1 };

      hs_store_insert_bar (store, id, "1m", &bar, NULL, &error);
      g_assert_no_error (error);
    }
  hs_store_commit (store, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, hs_store_close);

  run_job (path, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpstr (outcome.result->path, ==, path);
  g_assert_cmpint (outcome.result->file_size, >, 0);
  g_assert_cmpuint (outcome.result->coverage->len, ==, 1);
  cov = g_ptr_array_index (outcome.result->coverage, 0);
  g_assert_cmpstr (cov->symbol, ==, "IBM");
  g_assert_cmpstr (cov->data, ==, "candles");
  g_assert_cmpstr (cov->interval, ==, "1m");
  g_assert_cmpint (cov->first_ts, ==, t0);
  g_assert_cmpint (cov->last_ts, ==, t0 + 3 * 60 * G_USEC_PER_SEC);
  g_assert_cmpint (cov->rows, ==, 4);
  outcome_clear (&outcome);
}

static void
test_creates_folder (void)
{
  g_autofree char *dir = data_path ("a/b");
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  Outcome outcome = { 0 };

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  run_job (path, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.result->coverage->len, ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  outcome_clear (&outcome);
}

/* The read-only variant (the Export page's instrument list): a database deleted after the
 * window loaded it is an error and stays deleted; one that exists is read as by the load. */
static void
test_read_never_creates (void)
{
  g_autofree char *path = data_path ("gone.db");
  Outcome outcome = { 0 };

  run_job (path, NULL, &outcome);             /* the window's load creates it */
  g_assert_no_error (outcome.error);
  outcome_clear (&outcome);
  outcome.done = FALSE;
  hs_job_coverage_read_async (path, NULL, done_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (outcome.result->coverage->len, ==, 0);
  outcome_clear (&outcome);

  g_assert_cmpint (g_unlink (path), ==, 0);
  outcome.done = FALSE;
  hs_job_coverage_read_async (path, NULL, done_cb, &outcome);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (outcome.result);
  g_assert_nonnull (outcome.error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  outcome_clear (&outcome);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = data_path ("text.db");
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };

  g_file_set_contents (path, "plain text, not SQLite: 0123456789012345678901234567890123456789"
                             "0123456789012345678901234567890123456789\n", -1, &error);
  g_assert_no_error (error);
  run_job (path, NULL, &outcome);
  g_assert_error (outcome.error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT);
  outcome_clear (&outcome);
}

static void
test_cancelled (void)
{
  g_autofree char *path = data_path ("cancel.db");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome outcome = { 0 };

  g_cancellable_cancel (cancellable);
  run_job (path, cancellable, &outcome);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled before it started: the worker opened nothing. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  outcome_clear (&outcome);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/jobs/coverage/result", test_result);
  g_test_add_func ("/hs/jobs/coverage/creates-folder", test_creates_folder);
  g_test_add_func ("/hs/jobs/coverage/read-never-creates", test_read_never_creates);
  g_test_add_func ("/hs/jobs/coverage/not-a-database", test_not_a_database);
  g_test_add_func ("/hs/jobs/coverage/cancelled", test_cancelled);

  return g_test_run ();
}
