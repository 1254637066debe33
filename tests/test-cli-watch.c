/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli watch`, `poll` and `backfill` end to end against the local HTTP server
 * (tests/hs-test-server.h), every provider's base URL pointed at it through
 * HINDSIGHT_<PROVIDER>_BASE_URL as a user would. The poller: one pass (--once) with the state
 * each entry keeps (last success, last error, failures, next due), a second pass with nothing
 * due, a few cycles at a one-second period that add nothing (idempotent: the same answers, the
 * same request time), and Ctrl-C. Backfills: stopped after the first window (--max-windows, and
 * by Ctrl-C while the second window's answer is held back), run again, equal to one
 * uninterrupted backfill; and --gaps fetching exactly the missing range.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-test-backfill.h"
#include "hs-test-server.h"
#include "hs-test-sql.h"

static char *tmpdir;

static char *
fresh_db (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  g_remove (path);
  return g_steal_pointer (&path);
}

static void
assert_rows (const char *db,
             const char *sql,
             const char *expected)
{
  g_autofree char *got = hs_test_query_rows (db, sql);

  g_assert_cmpstr (got, ==, expected);
}

/* Runs the CLI, asserting it exits with @status. */
static void
cli_expect (HsTestRun  *r,
            int         status,
            const char *db,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  hs_test_run_clear (r);
  g_ptr_array_add (args, (char *) g_getenv ("HS_CLI"));
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, (char *) db);
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char *const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
  if (r->status != status)
    g_printerr ("exit %d: %s%s", r->status, r->out, r->err);
  g_assert_cmpint (r->status, ==, status);
}

/* Waits (spinning the default main context, no sleep) until @sql's value reaches @at_least. */
static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The first column of @sql's first row, or -1 while the database cannot answer it yet (the
 * CLI creating it, or holding a lock). */
static int64_t
try_query_int (const char *db_path,
               const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int64_t v = -1;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 1000);
      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
          && sqlite3_step (stmt) == SQLITE_ROW)
        v = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return v;
}

static void
wait_for_value (const char *db,
                const char *sql,
                int64_t     at_least)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!timed_out)
    {
      gboolean tick = FALSE;
      guint t = g_timeout_add (20, timeout_cb, &tick);

      while (!tick && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      if (!tick)
        g_source_remove (t);
      if (g_file_test (db, G_FILE_TEST_EXISTS) && try_query_int (db, sql) >= at_least)
        break;
    }
  g_assert_false (timed_out);
  g_source_remove (timeout);
}

/* Sends SIGINT to @proc and collects what it wrote and its exit status. */
static void
interrupt (GSubprocess *proc,
           HsTestRun   *r)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (proc, SIGINT);
  hs_test_run_clear (r);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
}

static GSubprocess *
spawn_cli (const char *db,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("HS_CLI"));
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, (char *) db);
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char *const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  return proc;
}

/* ----------------------------------------------------------------------------------------- */
/* watch and poll                                                                             */

static void
test_watch (void)
{
  g_autofree char *db = fresh_db ("watch.db");
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;
  JsonObject *e;

  cli_expect (&r, 0, db, "watch", "add", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
              "--kind", "snapshots", NULL);
  g_assert_cmpstr (r.out, ==, "watching #1: kalshi snapshots KXELONMARS-99 every 5 s\n");
  cli_expect (&r, 0, db, "watch", "add", "--provider", "coinbase", "--symbol", "BTC-USD",
              "--kind", "candles", "--interval", "1m", NULL);
  g_assert_cmpstr (r.out, ==, "watching #2: coinbase candles BTC-USD 1m every 60 s\n");
  /* The same entry again: its period changes, no second entry. */
  cli_expect (&r, 0, db, "watch", "add", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
              "--kind", "snapshots", "--every", "30", "--disabled", NULL);
  g_assert_cmpstr (r.out, ==, "changed #1: kalshi snapshots KXELONMARS-99 every 30 s "
                              "(disabled)\n");
  cli_expect (&r, 0, db, "watch", "list", "--json", NULL);
  root = hs_test_parse_json (r.out);
  list = json_object_get_array_member (json_node_get_object (root), "watch");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  e = json_array_get_object_element (list, 0);
  g_assert_cmpfloat (json_object_get_double_member (e, "period_s"), ==, 30);
  g_assert_false (json_object_get_boolean_member (e, "enabled"));
  g_assert_true (json_object_get_null_member (e, "last_success"));
  e = json_array_get_object_element (list, 1);
  g_assert_cmpstr (json_object_get_string_member (e, "interval"), ==, "1m");
  g_assert_cmpint (json_object_get_int_member (e, "runs"), ==, 0);

  cli_expect (&r, 0, db, "watch", "remove", "--provider", "coinbase", "--symbol", "BTC-USD",
              "--kind", "candles", "--interval", "1m", NULL);
  g_assert_cmpstr (r.out, ==, "removed #2\n");
  cli_expect (&r, 1, db, "watch", "remove", "2", NULL);
  g_assert_nonnull (strstr (r.err, "no watch list entry 2"));
  cli_expect (&r, 0, db, "watch", "remove", "1", NULL);
  cli_expect (&r, 0, db, "watch", NULL);
  g_assert_cmpstr (r.out, ==, "the watch list is empty (add to it with `hindsight-cli watch "
                              "add`)\n");

  /* Refused: what the provider does not serve, candles without an interval. */
  cli_expect (&r, 2, db, "watch", "add", "--provider", "kraken", "--symbol", "XBTUSD",
              "--kind", "snapshots", NULL);
  g_assert_nonnull (strstr (r.err, "kraken has no snapshots"));
  cli_expect (&r, 2, db, "watch", "add", "--provider", "yahoo", "--symbol", "SPY", "--kind",
              "candles", NULL);
  g_assert_nonnull (strstr (r.err, "candles need --interval"));
  cli_expect (&r, 2, db, "watch", "add", "--provider", "kalshi", "--symbol", "X", "--kind",
              "book", "--every", "0.5", NULL);
  g_assert_nonnull (strstr (r.err, "--every must be at least 1 second"));
}

/* Three entries against the local server: Kalshi snapshots and Coinbase candles answer with
 * their recordings, a Kalshi book with 500s. */
static void
test_poll (void)
{
  g_autofree char *db = fresh_db ("poll.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  g_autofree char *kalshi = g_strconcat (hs_test_server_get_base_url (server), "/trade-api/v2",
                                         NULL);
  g_autofree char *error_text = NULL;
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(GSubprocess) proc = NULL;
  int64_t runs_before;

  hs_test_server_add (server, "/trade-api/v2/markets/KXELONMARS-99",
                      hs_test_fixture ("kalshi", "markets_KXELONMARS-99.json"));
  hs_test_server_add (server, "/trade-api/v2/markets/BROKEN-1/orderbook",
                      hs_test_response_new_json (500, "{\"error\":\"internal\"}"));
  hs_test_server_add (server, "/products/BTC-USDT/candles",
                      hs_test_fixture ("coinbase", "exchange_products_BTC-USDT_candles_3600.json"));
  g_setenv ("HINDSIGHT_KALSHI_BASE_URL", kalshi, TRUE);
  g_setenv ("HINDSIGHT_COINBASE_BASE_URL", hs_test_server_get_base_url (server), TRUE);

  cli_expect (&r, 0, db, "watch", "add", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
              "--kind", "snapshots", "--every", "60", NULL);
  cli_expect (&r, 0, db, "watch", "add", "--provider", "coinbase", "--symbol", "BTC-USDT",
              "--kind", "candles", "--interval", "1h", NULL);
  cli_expect (&r, 0, db, "watch", "add", "--provider", "kalshi", "--symbol", "BROKEN-1",
              "--kind", "book", "--every", "60", NULL);

  /* One pass: each entry once. The snapshot is stamped with --now; the candle (1710327600,
   * 2024-03-13T11:00:00Z) lies within the five hours before it. */
  cli_expect (&r, 0, db, "poll", "--once", "--attempts", "1", "--now", "2024-03-13T12:00:00Z",
              NULL);
  g_assert_nonnull (strstr (r.out, " #1 kalshi snapshots KXELONMARS-99: 1 row, 1 new, 0 "
                                   "duplicate"));
  g_assert_nonnull (strstr (r.out, " #2 coinbase candles BTC-USDT 1h: 1 row, 1 new"));
  g_assert_nonnull (strstr (r.out, " #3 kalshi book BROKEN-1: failed: kalshi: GET "));
  g_assert_nonnull (strstr (r.out, "\npoll: 3 runs (1 failed), 2 rows, 2 new, 0 duplicate\n"));
  assert_rows (db, "SELECT id, runs, rows_inserted, failures, last_success IS NOT NULL, "
                   "last_error IS NULL FROM watch_list ORDER BY id",
               "1|1|1|0|1|1\n2|1|1|0|1|1\n3|1|0|1|0|0\n");
  /* Due again one period (60 s) after the run; the failing entry backs off, its period
   * doubled after its first failure (120 s). */
  assert_rows (db, "SELECT id, (next_due - last_run) / 1000000 FROM watch_list ORDER BY id",
               "1|60\n2|60\n3|120\n");
  error_text = hs_test_query_rows (db, "SELECT last_error FROM watch_list WHERE id = 3");
  g_assert_nonnull (strstr (error_text, "/trade-api/v2/markets/BROKEN-1/orderbook: HTTP 500"));

  /* Nothing is due now: a second pass runs nothing. */
  cli_expect (&r, 0, db, "poll", "--once", "--now", "2024-03-13T12:00:00Z", NULL);
  g_assert_cmpstr (r.out, ==, "poll: 0 runs (0 failed), 0 rows, 0 new, 0 duplicate\n");

  /* Every second for four seconds (`watch add` again makes each due at once): a few cycles of
   * each, adding nothing (the same answers at the same request time), the state counting. */
  cli_expect (&r, 0, db, "watch", "add", "--provider", "kalshi", "--symbol", "KXELONMARS-99",
              "--kind", "snapshots", "--every", "1", NULL);
  cli_expect (&r, 0, db, "watch", "add", "--provider", "coinbase", "--symbol", "BTC-USDT",
              "--kind", "candles", "--interval", "1h", "--every", "1", NULL);
  cli_expect (&r, 0, db, "watch", "add", "--provider", "kalshi", "--symbol", "BROKEN-1",
              "--kind", "book", "--every", "1", NULL);
  cli_expect (&r, 0, db, "poll", "--seconds", "4", "--attempts", "1", "--now",
              "2024-03-13T12:00:00Z", NULL);
  g_assert_nonnull (strstr (r.out, " #1 kalshi snapshots KXELONMARS-99: 1 row, 0 new, 1 "
                                   "duplicate"));
  g_assert_nonnull (strstr (r.out, " #2 coinbase candles BTC-USDT 1h: 1 row, 0 new, 1 "
                                   "duplicate"));
  g_assert_cmpint (hs_test_query_int (db, "SELECT runs FROM watch_list WHERE id = 1"), >=, 3);
  g_assert_cmpint (hs_test_query_int (db, "SELECT runs FROM watch_list WHERE id = 2"), >=, 3);
  assert_rows (db, "SELECT id, rows_inserted, failures, last_error IS NULL FROM watch_list "
                   "WHERE id < 3 ORDER BY id", "1|1|0|1\n2|1|0|1\n");
  g_assert_cmpint (hs_test_query_int (db, "SELECT failures FROM watch_list WHERE id = 3"), >=, 2);
  g_assert_cmpint (hs_test_query_int (db, "SELECT last_success IS NULL FROM watch_list WHERE "
                                          "id = 3"), ==, 1);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM market_snapshots"), ==, 1);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM candles"), ==, 1);
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM orderbook_snapshots"), ==, 0);

  /* Ctrl-C: the poller stops (runs in flight cancelled), prints its totals and exits 0. */
  runs_before = hs_test_query_int (db, "SELECT runs FROM watch_list WHERE id = 1");
  proc = spawn_cli (db, "poll", "--attempts", "1", "--now", "2024-03-13T12:00:00Z", NULL);
  wait_for_value (db, "SELECT runs FROM watch_list WHERE id = 1", runs_before + 1);
  interrupt (proc, &r);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, " (interrupted)\n"));
  g_assert_cmpint (hs_test_query_int (db, "SELECT count(*) FROM market_snapshots"), ==, 1);
  g_unsetenv ("HINDSIGHT_KALSHI_BASE_URL");
  g_unsetenv ("HINDSIGHT_COINBASE_BASE_URL");
}

/* ----------------------------------------------------------------------------------------- */
/* backfill (the three windows the server answers: tests/hs-test-backfill.h)                  */

static guint
count_target (HsTestServer *server,
              const char   *target)
{
  g_autoptr(GPtrArray) requests = hs_test_server_get_requests (server);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    n += g_str_equal (((HsTestRequest *) requests->pdata[i])->target, target);
  return n;
}

static void
backfill (HsTestRun    *r,
          int           status,
          const char   *db,
          HsTestServer *server,
          const char   *max_windows)
{
  cli_expect (r, status, db, "backfill", "--provider", "coinbase", "--symbol", "BTC-USDT",
              "--interval", "1m", "--from", "2024-03-13T00:00:00Z", "--to",
              "2024-03-13T12:00:00Z", "--base-url", hs_test_server_get_base_url (server),
              max_windows ? "--max-windows" : NULL, max_windows, NULL);
}

static void
test_backfill_resume (void)
{
  g_autofree char *whole = fresh_db ("backfill-whole.db");
  g_autofree char *parts = fresh_db ("backfill-parts.db");
  g_autofree char *cut = fresh_db ("backfill-cut.db");
  g_autoptr(HsTestServer) one = hs_test_backfill_server (FALSE);
  g_autoptr(HsTestServer) two = hs_test_backfill_server (FALSE);
  g_autoptr(HsTestServer) three = hs_test_backfill_server (TRUE);
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(GSubprocess) proc = NULL;

  /* Uninterrupted: three windows, six bars. */
  backfill (&r, 0, whole, one, NULL);
  g_assert_nonnull (strstr (r.out, "coinbase candles BTC-USDT 1m: 6 rows, 6 new, 0 duplicate, "
                                   "0 skipped; 3 requests"));
  g_assert_nonnull (strstr (r.out, "backfill #1: 3 windows stored; done\n"));
  assert_rows (whole, HS_TEST_BACKFILL_SQL, hs_test_backfill_rows);

  /* Stopped after the first window, then run again: it goes on at the second window's start
   * (05:00), never asking for the first again, and ends with the same rows. */
  backfill (&r, 0, parts, two, "1");
  g_assert_nonnull (strstr (r.out, "2 rows, 2 new"));
  g_assert_nonnull (strstr (r.out, "backfill #1: 1 windows stored; not done: run the same "
                                   "command again to go on\n"));
  cli_expect (&r, 0, parts, "backfill", "list", NULL);
  g_assert_cmpstr (r.out, ==, "#1 coinbase candles BTC-USDT 1m from 2024-03-13T00:00:00Z to "
                              "2024-03-13T12:00:00Z: goes on at 2024-03-13T05:00:00Z; 1 windows, "
                              "2 rows added\n");
  backfill (&r, 0, parts, two, NULL);
  g_assert_nonnull (strstr (r.out, "4 rows, 4 new, 0 duplicate, 0 skipped; 2 requests"));
  g_assert_nonnull (strstr (r.out, "backfill #1: 3 windows stored, went on at "
                                   "2024-03-13T05:00:00Z; done\n"));
  g_assert_cmpuint (count_target (two, hs_test_backfill_targets[0]), ==, 1);
  g_assert_cmpuint (count_target (two, hs_test_backfill_targets[1]), ==, 1);
  g_assert_cmpuint (count_target (two, hs_test_backfill_targets[2]), ==, 1);
  assert_rows (parts, HS_TEST_BACKFILL_SQL, hs_test_backfill_rows);
  /* A third time: the fixed end is reached, nothing to do, no request. */
  backfill (&r, 0, parts, two, NULL);
  g_assert_cmpstr (r.out, ==, "backfill #1 is complete already (3 windows): nothing to do\n");
  g_assert_cmpuint (hs_test_server_count (two, NULL), ==, 3);

  /* Ctrl-C while the second window's answer is held back: the first window is stored and
   * saved; the same command again goes on from the second. */
  proc = spawn_cli (cut, "backfill", "--provider", "coinbase", "--symbol", "BTC-USDT",
                    "--interval", "1m", "--from", "2024-03-13T00:00:00Z", "--to",
                    "2024-03-13T12:00:00Z", "--base-url", hs_test_server_get_base_url (three),
                    NULL);
  wait_for_value (cut, "SELECT coalesce(max(windows), 0) FROM backfill_state", 1);
  hs_test_server_wait_requests (three, 2);
  interrupt (proc, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "interrupted; 1 windows are stored, and the same command "
                                   "goes on from there"));
  assert_rows (cut, "SELECT windows, done, resume_from / 1000000, last_error FROM "
                    "backfill_state", "1|0|1710306000|stopped before its end (cancelled)\n");
  cli_expect (&r, 0, cut, "backfill", "--provider", "coinbase", "--symbol", "BTC-USDT",
              "--interval", "1m", "--from", "2024-03-13T00:00:00Z", "--to",
              "2024-03-13T12:00:00Z", "--base-url", hs_test_server_get_base_url (three), NULL);
  g_assert_nonnull (strstr (r.out, "went on at 2024-03-13T05:00:00Z; done\n"));
  assert_rows (cut, HS_TEST_BACKFILL_SQL, hs_test_backfill_rows);
  g_assert_cmpuint (count_target (three, hs_test_backfill_targets[0]), ==, 1);
}

/* Bars at 00:00, 01:00, 04:00 and 05:00 of a 24/7 market: 02:00 and 03:00 are missing.
 * `backfill --gaps` asks for exactly [02:00, 04:00) and fills them. */
static void
test_backfill_gaps (void)
{
  g_autofree char *db = fresh_db ("gaps.db");
  g_autoptr(HsTestServer) server = hs_test_server_new ();
  const char *url = hs_test_server_get_base_url (server);
  const char *gap_target = "/products/BTC-USDT/candles?granularity=3600&"
                           "start=2024-03-13T02%3A00%3A00Z&end=2024-03-13T03%3A59%3A59Z";
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *candles;

  hs_test_server_add (server, "/products/BTC-USDT/candles?granularity=3600&"
                              "start=2024-03-13T00%3A00%3A00Z&end=2024-03-13T05%3A00%3A00Z",
                      hs_test_response_new_json (200, "[[1710306000,4,5,4,5,1],"
                                                      "[1710302400,3,4,3,4,1],"
                                                      "[1710291600,1,2,1,2,1],"
                                                      "[1710288000,1,2,1,2,1]]"));
  hs_test_server_add (server, gap_target,
                      hs_test_response_new_json (200, "[[1710298800,2,3,2,3,1],"
                                                      "[1710295200,2,3,2,3,1]]"));
  cli_expect (&r, 0, db, "fetch", "candles", "--provider", "coinbase", "--symbol", "BTC-USDT",
              "--interval", "1h", "--from", "2024-03-13T00:00:00Z", "--to",
              "2024-03-13T05:00:00Z", "--base-url", url, NULL);
  cli_expect (&r, 0, db, "gaps", "BTC-USDT", "--exchange", "coinbase", "--interval", "1h",
              "--json", NULL);
  root = hs_test_parse_json (r.out);
  candles = json_array_get_object_element (json_object_get_array_member (
                                             json_node_get_object (root), "candles"), 0);
  g_assert_cmpint (json_object_get_int_member (candles, "missing"), ==, 2);

  cli_expect (&r, 0, db, "backfill", "--gaps", "--provider", "coinbase", "--symbol",
              "BTC-USDT", "--interval", "1h", "--base-url", url, NULL);
  g_assert_nonnull (strstr (r.out, "2 rows, 2 new, 0 duplicate, 0 skipped; 1 request"));
  g_assert_nonnull (strstr (r.out, "  1 gaps found, 1 fetched\n"));
  g_assert_cmpuint (count_target (server, gap_target), ==, 1);
  g_assert_cmpuint (hs_test_server_count (server, NULL), ==, 2);
  assert_rows (db, "SELECT ts / 1000000 FROM candles ORDER BY ts",
               "1710288000\n1710291600\n1710295200\n1710298800\n1710302400\n1710306000\n");
  /* No gap left: nothing to fetch. */
  cli_expect (&r, 0, db, "backfill", "--gaps", "--provider", "coinbase", "--symbol",
              "BTC-USDT", "--interval", "1h", "--base-url", url, NULL);
  g_assert_nonnull (strstr (r.out, "  0 gaps found, 0 fetched\n"));
  g_assert_cmpuint (hs_test_server_count (server, NULL), ==, 2);
  /* A symbol never stored has no gaps to look for. */
  cli_expect (&r, 2, db, "backfill", "--gaps", "--provider", "coinbase", "--symbol", "ETH-USD",
              "--interval", "1h", "--base-url", url, NULL);
  g_assert_nonnull (strstr (r.err, "no coinbase instrument ETH-USD is stored"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-test-cli-watch-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/hs/cli/watch/list", test_watch);
  g_test_add_func ("/hs/cli/watch/poll", test_poll);
  g_test_add_func ("/hs/cli/watch/backfill-resume", test_backfill_resume);
  g_test_add_func ("/hs/cli/watch/backfill-gaps", test_backfill_gaps);
  status = g_test_run ();
  hs_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
