/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli label` as a user runs it, on LEAN's real SPY minute bars (tests/data/lean):
 * bars imported and a backtest run with the CLI, paper trades written with sqlite3 as a bot's
 * import leaves them; the labels of a trade checked against a hand calculation from the CSV
 * rows quoted below; the text summary with its reasons, the JSON with every id; a second run
 * and --all change nothing; a trade waiting for bars is labeled once they are imported; --since,
 * --backtest, and the exit statuses of bad usage.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

static char *tmpdir;

static void
sql (const char *db,
     const char *text)
{
  sqlite3 *conn = NULL;
  char *err = NULL;

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  if (sqlite3_exec (conn, text, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", text, err);
  sqlite3_close (conn);
}

/* One value of the first row of @query, as text ("NULL" for NULL). */
static char *
sql_text (const char *db,
          const char *query)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  char *out;

  g_assert_cmpint (sqlite3_open (db, &conn), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, query, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  out = g_strdup (sqlite3_column_type (stmt, 0) == SQLITE_NULL
                  ? "NULL" : (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return out;
}

static double
sql_double (const char *db,
            const char *query)
{
  g_autofree char *text = sql_text (db, query);

  g_assert_cmpstr (text, !=, "NULL");
  return g_ascii_strtod (text, NULL);
}

/* Every label column of both tables, for "nothing changed". */
static char *
dump_labels (const char *db)
{
  return sql_text (db, "SELECT group_concat(row, ';') FROM ("
                       "SELECT 'p' || id || quote(target_pnl_15m) || quote(target_pnl_1h) || "
                       "quote(target_mfe_pct) || quote(target_mae_pct) || quote(labeled_at) || "
                       "quote(label_error) AS row FROM paper_trades UNION ALL "
                       "SELECT 'b' || id || quote(target_pnl_15m) || quote(target_pnl_1h) || "
                       "quote(target_mfe_pct) || quote(target_mae_pct) || quote(labeled_at) || "
                       "quote(label_error) FROM backtest_trades)");
}

/* A paper trade, times in ISO 8601 (exit NULL for an open one). */
static void
add_paper (const char *db,
           const char *side,
           const char *entry,
           double      price,
           const char *exit,
           const char *status)
{
  g_autofree char *text = NULL, *exit_ts = NULL;
  char p[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (p, sizeof p, price);
  exit_ts = exit ? g_strdup_printf ("unixepoch('%s') * 1000000", exit) : g_strdup ("NULL");
  text = g_strdup_printf ("INSERT INTO paper_trades (instrument_id, side, quantity, entry_ts, "
                          "entry_price, exit_ts, exit_price, status, created_at, updated_at) "
                          "VALUES ((SELECT id FROM instruments WHERE symbol = 'SPY'), '%s', 10, "
                          "unixepoch('%s') * 1000000, %s, %s, %s, '%s', 0, 0)",
                          side, entry, p, exit_ts, exit ? p : "NULL", status);
  sql (db, text);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The ids of one table in {"paper": [...], "backtest": [...]} as "1,2,3". */
static char *
ids_of (JsonObject *obj,
        const char *member,
        const char *table)
{
  JsonArray *a = json_object_get_array_member (json_object_get_object_member (obj, member),
                                               table);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (a); i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            json_array_get_int_element (a, i));
  return g_string_free (s, FALSE);
}

static char *
setup_spy (const char *name,
           int64_t    *n_backtest)
{
  g_autofree char *csv = g_build_filename (g_getenv ("HS_TEST_DATA"), "lean",
                                           "spy_minute_2013-10.csv", NULL);
  char *db = g_build_filename (tmpdir, name, NULL);
  g_auto(HsTestRun) imp = { 0 };
  g_auto(HsTestRun) bt = { 0 };
  g_autofree char *count = NULL;

  hs_test_cli (&imp, db, "import", "bars", csv, "--symbol", "SPY", "--interval", "1m", "--kind",
               "etf", NULL);
  g_assert_cmpint (imp.status, ==, 0);
  hs_test_cli (&bt, db, "backtest", "--symbol", "SPY", "--interval", "1m", "--strategy",
               "sma_cross", "--from", "2013-10-07", "--to", "2013-10-11", NULL);
  g_assert_cmpint (bt.status, ==, 0);
  count = sql_text (db, "SELECT count(*) FROM backtest_trades WHERE run_id = 1");
  *n_backtest = g_ascii_strtoll (count, NULL, 10);
  g_assert_cmpint (*n_backtest, >, 10);
  return db;
}

/* Paper trade 1, short 10 SPY at 168.20 from 2013-10-07T14:36:00Z to 14:42:00Z; the rows of
 * tests/data/lean/spy_minute_2013-10.csv it reads (start, open, high, low, close):
 *   14:36 168.18 168.2  168.13 168.14     14:39 168.16 168.17 168.11 168.15
 *   14:37 168.14 168.18 168.13 168.17     14:40 168.15 168.18 168.15 168.16
 *   14:38 168.17 168.18 168.14 168.17     14:41 168.17 168.18 168.14 168.14
 *   14:42 168.14 (open: the exit's minute)
 *   14:50 close 168.17 (the last bar ending by 14:51 = entry + 15 min)
 *   15:35 close 168.25 (the last bar ending by 15:36 = entry + 1 h)
 * Highest price held through: 168.2; lowest: 168.11. For a short:
 *   target_pnl_15m = -(168.17 - 168.2) / 168.2 × 100 =  0.03 / 1.682 =  0.01783590963139188
 *   target_pnl_1h  = -(168.25 - 168.2) / 168.2 × 100 = -0.05 / 1.682 = -0.02972651605232543
 *   target_mfe_pct = (168.2 - 168.11) / 168.2 × 100  =  0.09 / 1.682 =  0.05350772889415874
 *   target_mae_pct = (168.2 - 168.2) / 168.2 × 100   =  0
 * Paper trade 2 is on Saturday 2013-10-05 (no bars); trade 3 enters at 2013-10-11T23:30Z, and
 * the bars stop at 2013-10-12T00:00Z, before its hour is up; trade 4 is open. */
static void
test_label_spy (void)
{
  g_autofree char *db = NULL;
  g_autofree char *before = NULL, *after = NULL, *extra = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(HsTestRun) bt = { 0 };
  g_auto(HsTestRun) first = { 0 };
  g_auto(HsTestRun) again = { 0 };
  g_auto(HsTestRun) all = { 0 };
  g_auto(HsTestRun) imp = { 0 };
  g_auto(HsTestRun) retry = { 0 };
  g_autofree char *bt_ids = NULL, *paper_ids = NULL, *labeled_bt = NULL;
  g_autofree char *err2 = NULL, *err3 = NULL, *labeled = NULL;
  int64_t n_backtest = 0;
  JsonObject *o;

  db = setup_spy ("spy.db", &n_backtest);
  add_paper (db, "short", "2013-10-07T14:36:00Z", 168.2, "2013-10-07T14:42:00Z", "closed");
  add_paper (db, "long", "2013-10-05T15:00:00Z", 168.2, "2013-10-05T15:30:00Z", "closed");
  add_paper (db, "long", "2013-10-11T23:30:00Z", 170.4, "2013-10-11T23:40:00Z", "stopped");
  add_paper (db, "long", "2013-10-08T14:00:00Z", 168.0, NULL, "open");

  /* One run: its backtest trades only. */
  hs_test_cli (&bt, db, "label", "--backtest", "1", "--json", NULL);
  g_assert_cmpint (bt.status, ==, 0);
  o = parse_object (parser, bt.out);
  paper_ids = ids_of (o, "labeled_ids", "paper");
  g_assert_cmpstr (paper_ids, ==, "");
  g_assert_cmpint (json_object_get_int_member (o, "labeled"), ==, n_backtest);
  g_assert_cmpint (json_object_get_int_member (o, "skipped"), ==, 0);
  labeled_bt = sql_text (db, "SELECT count(*) FROM backtest_trades WHERE labeled_at IS NOT NULL "
                             "AND target_mfe_pct >= 0 AND target_mae_pct >= 0");
  g_assert_cmpint (g_ascii_strtoll (labeled_bt, NULL, 10), ==, n_backtest);
  labeled = sql_text (db, "SELECT count(*) FROM paper_trades WHERE labeled_at IS NOT NULL");
  g_assert_cmpstr (labeled, ==, "0");

  /* Everything else. */
  hs_test_cli (&first, db, "label", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpstr (first.out, ==,
    "labeled 1 (paper 1, backtest 0), skipped 2, unchanged 0, conflicts 0\n"
    "skipped 1: no 1m bars in a window (retried on the next run)\n"
    "  paper 2: no 1m bars from 2013-10-05T15:00:00Z to 2013-10-05T15:15:00Z "
    "(entry + 15 min)\n"
    "skipped 1: 1m bars do not reach the end of a window yet (retried on the next run)\n"
    "  paper 3: 1m bars end at 2013-10-12T00:00:00Z, before 2013-10-12T00:30:00Z "
    "(entry + 1 h)\n");
  g_assert_cmpfloat_with_epsilon (sql_double (db, "SELECT target_pnl_15m FROM paper_trades "
                                                  "WHERE id = 1"), 0.01783590963139188, 1e-9);
  g_assert_cmpfloat_with_epsilon (sql_double (db, "SELECT target_pnl_1h FROM paper_trades "
                                                  "WHERE id = 1"), -0.02972651605232543, 1e-9);
  g_assert_cmpfloat_with_epsilon (sql_double (db, "SELECT target_mfe_pct FROM paper_trades "
                                                  "WHERE id = 1"), 0.05350772889415874, 1e-9);
  g_assert_cmpfloat_with_epsilon (sql_double (db, "SELECT target_mae_pct FROM paper_trades "
                                                  "WHERE id = 1"), 0, 1e-12);
  err2 = sql_text (db, "SELECT label_error FROM paper_trades WHERE id = 2");
  g_assert_cmpstr (err2, ==, "no 1m bars from 2013-10-05T15:00:00Z to 2013-10-05T15:15:00Z "
                             "(entry + 15 min)");
  err3 = sql_text (db, "SELECT quote(target_pnl_15m) || quote(labeled_at) FROM paper_trades "
                       "WHERE id = 4");
  g_assert_cmpstr (err3, ==, "NULLNULL");

  /* Again: nothing changes; the two waiting trades are retried and skipped the same way. */
  before = dump_labels (db);
  hs_test_cli (&again, db, "label", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_true (g_str_has_prefix (again.out, "labeled 0 (paper 0, backtest 0), skipped 2, "
                                              "unchanged 0, conflicts 0\n"));
  hs_test_cli (&all, db, "label", "--all", "--json", NULL);
  g_assert_cmpint (all.status, ==, 0);
  o = parse_object (parser, all.out);
  g_assert_cmpint (json_object_get_int_member (o, "labeled"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "unchanged"), ==, n_backtest + 1);
  g_assert_cmpint (json_object_get_int_member (o, "skipped"), ==, 2);
  {
    JsonObject *by = json_object_get_object_member (o, "skipped_by_reason");
    JsonArray *trades = json_object_get_array_member (o, "skipped_trades");
    JsonObject *t0 = json_array_get_object_element (trades, 0);

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (by, "no_bars"),
                                                 "count"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (by,
                                                 "data_ends"), "count"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (by,
                                                 "no_instrument"), "count"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (t0, "table"), ==, "paper");
    g_assert_cmpint (json_object_get_int_member (t0, "id"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (t0, "reason"), ==, "no_bars");
    g_assert_cmpstr (json_object_get_string_member (t0, "message"), ==, err2);
  }
  after = dump_labels (db);
  g_assert_cmpstr (before, ==, after);

  /* The bars after midnight arrive: trade 3 is labeled on the next run. */
  extra = g_build_filename (tmpdir, "spy-after.csv", NULL);
  g_assert_true (g_file_set_contents (extra,
    "timestamp,open,high,low,close,volume\n"
    "2013-10-12T00:00:00Z,170.41,170.45,170.40,170.44,100\n"
    "2013-10-12T00:30:00Z,170.44,170.50,170.43,170.50,100\n", -1, NULL));
  hs_test_cli (&imp, db, "import", "bars", extra, "--symbol", "SPY", "--interval", "1m", NULL);
  g_assert_cmpint (imp.status, ==, 0);
  hs_test_cli (&retry, db, "label", "--json", NULL);
  g_assert_cmpint (retry.status, ==, 0);
  o = parse_object (parser, retry.out);
  g_free (paper_ids);
  paper_ids = ids_of (o, "labeled_ids", "paper");
  g_assert_cmpstr (paper_ids, ==, "3");
  /* 1 h after 23:30 is 00:30: the last bar ending by then is the 00:00 bar, close 170.44:
   * (170.44 - 170.4) / 170.4 × 100 = 0.04 / 1.704 = 0.023474178403755... */
  g_assert_cmpfloat_with_epsilon (sql_double (db, "SELECT target_pnl_1h FROM paper_trades "
                                                  "WHERE id = 3"), 0.04 / 1.704, 1e-9);
  g_free (err3);
  err3 = sql_text (db, "SELECT label_error FROM paper_trades WHERE id = 3");
  g_assert_cmpstr (err3, ==, "NULL");
  bt_ids = ids_of (o, "labeled_ids", "backtest");
  g_assert_cmpstr (bt_ids, ==, "");
}

/* --since: only trades entered at or after the date; the others wait. */
static void
test_label_since (void)
{
  g_autofree char *db = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(HsTestRun) r = { 0 };
  g_autofree char *ids = NULL, *bt = NULL, *left = NULL;
  int64_t n_backtest = 0;
  JsonObject *o;

  db = setup_spy ("since.db", &n_backtest);
  add_paper (db, "long", "2013-10-07T15:00:00Z", 168.0, "2013-10-07T15:30:00Z", "closed");
  add_paper (db, "long", "2013-10-08T15:00:00Z", 168.0, "2013-10-08T15:30:00Z", "closed");
  hs_test_cli (&r, db, "label", "--since", "2013-10-08", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (parser, r.out);
  ids = ids_of (o, "labeled_ids", "paper");
  g_assert_cmpstr (ids, ==, "2");
  bt = sql_text (db, "SELECT count(*) = sum(entry_ts >= unixepoch('2013-10-08') * 1000000) "
                     "FROM backtest_trades WHERE labeled_at IS NOT NULL");
  g_assert_cmpstr (bt, ==, "1");
  left = sql_text (db, "SELECT labeled_at FROM paper_trades WHERE id = 1");
  g_assert_cmpstr (left, ==, "NULL");
}

static void
test_label_usage (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "usage.db", NULL);
  g_auto(HsTestRun) extra = { 0 };
  g_auto(HsTestRun) since = { 0 };
  g_auto(HsTestRun) neg = { 0 };
  g_auto(HsTestRun) run = { 0 };
  g_auto(HsTestRun) empty = { 0 };
  g_auto(HsTestRun) help = { 0 };

  hs_test_cli (&extra, db, "label", "now", NULL);
  g_assert_cmpint (extra.status, ==, 2);
  g_assert_nonnull (strstr (extra.err, "label takes no arguments"));
  hs_test_cli (&since, db, "label", "--since", "yesterday", NULL);
  g_assert_cmpint (since.status, ==, 2);
  g_assert_nonnull (strstr (since.err, "bad --since"));
  hs_test_cli (&neg, db, "label", "--backtest", "-3", NULL);
  g_assert_cmpint (neg.status, ==, 2);
  hs_test_cli (&run, db, "label", "--backtest", "42", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no backtest run 42"));
  hs_test_cli (&empty, db, "label", NULL);
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_cmpstr (empty.out, ==, "labeled 0 (paper 0, backtest 0), skipped 0, unchanged 0, "
                                  "conflicts 0\n");
  hs_test_cli (&help, db, "label", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "--since"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-cli-label-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/hs/cli/label/spy", test_label_spy);
  g_test_add_func ("/hs/cli/label/since", test_label_since);
  g_test_add_func ("/hs/cli/label/usage", test_label_usage);
  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmpdir, name, NULL);

        g_remove (path);
      }
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return status;
}
