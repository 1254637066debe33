/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli export DATASET --select COL,COL,…` (the Export page's choice of columns) end to
 * end on a temporary database of two paper trades imported with `paper import`: only the named
 * columns, in the order named, in CSV and JSON lines, with --where; an unknown or empty column
 * list is a usage error (exit 2) that writes no file. The expected files are written out by
 * hand from the imported values and docs/export.md's format rules.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;
static char *db;

static char *
write_file (const char *name,
            const char *content)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

static char *
read_file (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
setup_db (void)
{
  g_autofree char *trades = write_file ("trades.jsonl",
    "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":10,\"entry_time\":\"2024-03-04T14:35:00Z\","
    "\"entry_price\":180.5,\"notes\":\"a, b\",\"signals_snapshot\":{\"5m\":{\"rsi\":61.2},"
    "\"missing\":[]},\"ai_reasoning_log\":{\"model\":\"m\",\"prompt_version\":\"v1\","
    "\"confidence_score\":7,\"bull_case\":\"up\",\"bear_case\":\"down\","
    "\"decision_logic\":\"go\"}}\n"
    "{\"symbol\":\"AAPL\",\"side\":\"short\",\"quantity\":2,\"entry_time\":\"2024-03-05T15:00:00Z\","
    "\"entry_price\":175,\"notes\":\"plain\"}\n");
  g_autofree char *bars = write_file ("bars.csv",
    "timestamp,open,high,low,close,volume\n"
    "2024-03-04T14:30:00Z,180,181,179.5,180.5,100\n"
    "2024-03-04T14:31:00.5Z,180.5,181.25,180.125,181,0.001\n");
  g_auto(HsTestRun) b = { 0 }, r = { 0 };

  db = g_build_filename (tmpdir, "select.db", NULL);
  /* The instrument comes with its data. */
  hs_test_cli (&b, db, "import", "bars", bars, "--symbol", "AAPL", "--interval", "1m", NULL);
  g_assert_cmpint (b.status, ==, 0);
  hs_test_cli (&r, db, "paper", "import", trades, NULL);
  if (r.status != 0)
    g_error ("paper import: %s", r.err);
}

static void
test_csv (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "select.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(HsTestRun) r = { 0 };

  hs_test_cli (&r, db, "export", "trades", "--select", "notes,id,ai_confidence_score,"
               "signals_5m_rsi", "--out", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  text = read_file (out);
  /* The header in the order named; "a, b" quoted for its comma; the second trade has no
   * context: empty cells. CRLF line ends. */
  g_assert_cmpstr (text, ==,
                   "notes,id,ai_confidence_score,signals_5m_rsi\r\n"
                   "\"a, b\",1,7,61.2\r\n"
                   "plain,2,,\r\n");
}

static void
test_jsonl_where (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "select.jsonl", NULL);
  g_autofree char *text = NULL, *said = NULL;
  g_auto(HsTestRun) r = { 0 };

  hs_test_cli (&r, db, "export", "trades", "--format", "jsonl", "--where", "side == 'short'",
               "--select", "side,ai_model,entry_time", "--out", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  said = g_strdup_printf ("exported 1 trades to %s\n", out);
  g_assert_cmpstr (r.out, ==, said);
  text = read_file (out);
  g_assert_cmpstr (text, ==,
                   "{\"side\":\"short\",\"ai_model\":null,\"entry_time\":\"2024-03-05T15:00:00Z\"}\n");
}

/* The candles dataset: the two bars imported above, as typed (no vwap or trade count: empty
 * cells, null in JSON). */
static void
test_candles (void)
{
  g_autofree char *csv = g_build_filename (tmpdir, "candles.csv", NULL);
  g_autofree char *jsonl = g_build_filename (tmpdir, "candles.jsonl", NULL);
  g_autofree char *text = NULL, *jtext = NULL;
  g_auto(HsTestRun) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 };

  hs_test_cli (&a, db, "export", "candles", "--symbol", "AAPL", "--interval", "1m", "--out",
               csv, NULL);
  g_assert_cmpint (a.status, ==, 0);
  text = read_file (csv);
  g_assert_cmpstr (text, ==,
                   "time,open,high,low,close,volume,vwap,trade_count\r\n"
                   "2024-03-04T14:30:00Z,180,181,179.5,180.5,100,,\r\n"
                   "2024-03-04T14:31:00.500Z,180.5,181.25,180.125,181,0.001,,\r\n");
  hs_test_cli (&b, db, "export", "candles", "--symbol", "AAPL", "--interval", "1m", "--format",
               "jsonl", "--select", "close,time,trade_count", "--out", jsonl, NULL);
  g_assert_cmpint (b.status, ==, 0);
  jtext = read_file (jsonl);
  g_assert_cmpstr (jtext, ==,
                   "{\"close\":180.5,\"time\":\"2024-03-04T14:30:00Z\",\"trade_count\":null}\n"
                   "{\"close\":181,\"time\":\"2024-03-04T14:31:00.500Z\",\"trade_count\":null}\n");
  hs_test_cli (&c, db, "export", "candles", "--columns", NULL);
  g_assert_cmpstr (c.out, ==, "time\ttime\nopen\tnumber\nhigh\tnumber\nlow\tnumber\n"
                              "close\tnumber\nvolume\tnumber\nvwap\tnumber\n"
                              "trade_count\tinteger\n");
  hs_test_cli (&d, db, "export", "candles", "--symbol", "AAPL", "--out", csv, NULL);
  g_assert_cmpint (d.status, ==, 2);
  hs_test_cli (&e, db, "export", "candles", "--symbol", "AAPL", "--interval", "1m", "--where",
               "id > 1", "--out", csv, NULL);
  g_assert_cmpint (e.status, ==, 2);
}

static void
test_bad (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "never.csv", NULL);
  g_auto(HsTestRun) a = { 0 }, b = { 0 };

  hs_test_cli (&a, db, "export", "trades", "--select", "id,book_bidd", "--out", out, NULL);
  g_assert_cmpint (a.status, ==, 2);
  g_assert_cmpstr (a.err, ==, "hindsight-cli: --select: no column “book_bidd” in trades "
                              "(export trades --columns lists them)\n");
  hs_test_cli (&b, db, "export", "signals", "--select", "", "--out", out, NULL);
  g_assert_cmpint (b.status, ==, 2);
  g_assert_cmpstr (b.err, ==, "hindsight-cli: --select needs at least one column\n");
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-cli-export-select-XXXXXX", &error);
  g_assert_no_error (error);
  setup_db ();
  g_test_add_func ("/hs/cli/export-select/csv", test_csv);
  g_test_add_func ("/hs/cli/export-select/jsonl-where", test_jsonl_where);
  g_test_add_func ("/hs/cli/export-select/candles", test_candles);
  g_test_add_func ("/hs/cli/export-select/bad", test_bad);
  status = g_test_run ();
  hs_test_remove_dir (tmpdir);
  g_free (db);
  g_free (tmpdir);
  return status;
}
