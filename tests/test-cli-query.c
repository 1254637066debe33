/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli query` as a user runs it, on a database of three hand-written paper trades
 * whose expected output is written out here: the seed's example query, --select, --csv quoting,
 * --json, aggregates per group, --explain naming the hot path's index, --fields, errors with a
 * caret and exit status 2, and an injection attempt that leaves the file byte-for-byte the same.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

static char *db;

static char *
file_checksum (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

/* Three trades: 1 AAPL long, RSI(5m) 74.2, lost 12.5 % after an hour (the seed's example);
 * 2 XOM short, RSI 71, won; 3 AAPL long, still open, RSI 55, no regime. */
static void
make_db (void)
{
  sqlite3 *h = NULL;
  char *err = NULL;
  HsTestRun r = { 0 };

  hs_test_cli (&r, db, "db", "migrate", NULL);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_run_clear (&r);
  g_assert_cmpint (sqlite3_open (db, &h), ==, SQLITE_OK);
  if (sqlite3_exec (h,
        "INSERT INTO instruments (id, symbol, created_at) VALUES (1, 'AAPL', 0), (2, 'XOM', 0);"
        "INSERT INTO paper_trades (id, instrument_id, side, quantity, entry_ts, entry_price, "
        "exit_ts, exit_price, status, pnl_pct, tags, notes, signals_snapshot, market_regime, "
        "ai_reasoning_log, target_pnl_1h, created_at, updated_at) VALUES "
        "(1, 1, 'long', 10, 1709563500000000, 180.5, 1709567100000000, 178, 'closed', -1.385, "
        "'[\"breakout\"]', 'said \"wait\", then\nbought', "
        "'{\"5m\":{\"rsi\":74.2,\"trend\":\"bullish\"},\"missing\":[]}', "
        "'{\"spy\":{\"price\":502.5,\"vix\":18.2},\"sector\":{\"ticker\":\"XLK\"}}', "
        "'{\"model\":\"gpt-4o\",\"confidence_score\":8.5,\"bull_case\":\"gap, up\"}', -12.5, 0, 0),"
        "(2, 2, 'short', 5, 1709650000000000, 110, 1709653600000000, 108, 'closed', 1.82, '[]', "
        "NULL, '{\"5m\":{\"rsi\":71}}', '{\"spy\":{\"vix\":21},\"sector\":{\"ticker\":\"XLE\"}}', "
        "'{\"model\":\"gpt-4o\",\"confidence_score\":6}', 2, 0, 0),"
        "(3, 1, 'long', 3, 1709736400000000, 182, NULL, NULL, 'open', NULL, '[\"news\"]', NULL, "
        "'{\"5m\":{\"rsi\":55}}', NULL, NULL, NULL, 0, 0);",
        NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s", err);
  sqlite3_close (h);
}

static void
test_seed_example (void)
{
  g_auto(HsTestRun) r = { 0 };

  hs_test_cli (&r, db, "query", "signals.5m.rsi > 70 and target_pnl_1h < -10", "--select",
               "id,regime.spy.vix,ai.confidence_score", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==,
                   "id  regime.spy.vix  ai.confidence_score\n"
                   "1   18.2            8.5\n"
                   "(1 row)\n");
}

static void
test_csv (void)
{
  g_auto(HsTestRun) r = { 0 };

  /* RFC 4180: the comma, the quotes and the line break are quoted; null is an empty cell. */
  hs_test_cli (&r, db, "query", "--csv", "--select",
               "id,symbol,ai.bull_case,notes,tags,entry_time,exit_time",
               "signals.5m.rsi > 70 or symbol == 'AAPL'", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==,
                   "id,symbol,ai.bull_case,notes,tags,entry_time,exit_time\n"
                   "1,AAPL,\"gap, up\",\"said \"\"wait\"\", then\nbought\",\"[\"\"breakout\"\"]\","
                   "2024-03-04T14:45:00Z,2024-03-04T15:45:00Z\n"
                   "2,XOM,,,[],2024-03-05T14:46:40Z,2024-03-05T15:46:40Z\n"
                   "3,AAPL,,,\"[\"\"news\"\"]\",2024-03-06T14:46:40Z,\n");
}

static void
test_csv_quoting_of_list (void)
{
  g_auto(HsTestRun) r = { 0 };

  /* A list cell with a quote is quoted as a whole. */
  hs_test_cli (&r, db, "query", "--csv", "--select", "tags", "id == 3", NULL);
  g_assert_cmpstr (r.out, ==, "tags\n\"[\"\"news\"\"]\"\n");
}

static void
test_json (void)
{
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  JsonObject *o;

  hs_test_cli (&r, db, "query", "--json", "--select",
               "id,tags,entry_time,regime.spy.vix,pnl_pct / 2", "side == \"long\"", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  o = json_array_get_object_element (rows, 0);
  g_assert_cmpint (json_object_get_int_member (o, "id"), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "tags"), 0),
                   ==, "breakout");
  g_assert_cmpstr (json_object_get_string_member (o, "entry_time"), ==, "2024-03-04T14:45:00Z");
  g_assert_cmpfloat (json_object_get_double_member (o, "regime.spy.vix"), ==, 18.2);
  g_assert_cmpfloat (json_object_get_double_member (o, "pnl_pct / 2"), ==, -1.385 / 2);
  o = json_array_get_object_element (rows, 1);
  g_assert_true (json_object_get_null_member (o, "regime.spy.vix"));
  g_assert_true (json_object_get_null_member (o, "pnl_pct / 2"));
}

static void
test_aggregates (void)
{
  g_auto(HsTestRun) r = { 0 };

  /* Per sector: XLE one trade (pnl 1.82), XLK one (-1.385), no regime one (null pnl). */
  hs_test_cli (&r, db, "query", "--csv", "--agg", "count", "--agg", "avg:pnl_pct", "--agg",
               "median:signals.5m.rsi", "--group-by", "regime.sector.ticker", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==,
                   "regime.sector.ticker,count,avg(pnl_pct),median(signals.5m.rsi)\n"
                   ",1,,55\n"
                   "XLE,1,1.82,71\n"
                   "XLK,1,-1.385,74.2\n");
  hs_test_run_clear (&r);
  /* Median of 74.2, 71, 55 is 71; of the two long ones (74.2, 55) their mean 64.6. */
  hs_test_cli (&r, db, "query", "--csv", "--agg", "median:signals.5m.rsi", "--agg",
               "max:entry_time", NULL);
  g_assert_cmpstr (r.out, ==, "median(signals.5m.rsi),max(entry_time)\n71,2024-03-06T14:46:40Z\n");
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "query", "--csv", "--agg", "median:signals.5m.rsi", "side == 'long'", NULL);
  g_assert_cmpstr (r.out, ==, "median(signals.5m.rsi)\n64.6\n");
}

static void
test_explain_and_fields (void)
{
  g_auto(HsTestRun) r = { 0 };
  g_auto(HsTestRun) f = { 0 };

  hs_test_cli (&r, db, "query", "--explain", "signals.5m.rsi > 70", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "json_extract(t.signals_snapshot, '$.\"5m\".rsi') > ?1"));
  g_assert_nonnull (strstr (r.out, "  ?1 = 70\n"));
  g_assert_nonnull (strstr (r.out, "USING INDEX idx_paper_trades_rsi_5m"));
  hs_test_cli (&f, db, "query", "--fields", NULL);
  g_assert_nonnull (strstr (f.out, "signals.5m.rsi\tnumber\n"));
  g_assert_nonnull (strstr (f.out, "tags\tlist\n"));
  g_assert_nonnull (strstr (f.out, "ai.KEY…\tany\n"));
}

static void
test_errors (void)
{
  g_auto(HsTestRun) a = { 0 };
  g_auto(HsTestRun) b = { 0 };
  g_auto(HsTestRun) c = { 0 };
  g_auto(HsTestRun) d = { 0 };

  hs_test_cli (&a, db, "query", "signals.5m.rsi > 70 and regime.spy.vixx < 3", NULL);
  g_assert_cmpint (a.status, ==, 2);
  g_assert_cmpstr (a.err, ==,
                   "signals.5m.rsi > 70 and regime.spy.vixx < 3\n"
                   "                        ^\n"
                   "column 25: unknown field “regime.spy.vixx” (hindsight-cli query --fields "
                   "lists them)\n");
  g_assert_cmpstr (a.out, ==, "");
  hs_test_cli (&b, db, "query", "--agg", "avg:symbol", NULL);
  g_assert_cmpint (b.status, ==, 2);
  g_assert_cmpstr (b.err, ==, "in “symbol”:\nsymbol\n^\ncolumn 1: avg needs numbers, found a text\n");
  hs_test_cli (&c, db, "query", "--csv", "--json", NULL);
  g_assert_cmpint (c.status, ==, 2);
  hs_test_cli (&d, db, "query", "pnl >", NULL);
  g_assert_cmpint (d.status, ==, 2);
  g_assert_nonnull (strstr (d.err, "column 6: expected an expression, found end of input"));
}

static void
test_injection (void)
{
  g_autofree char *before = file_checksum (db);
  g_autofree char *after = NULL;
  const char *attempts[] = {
    "symbol == '\\'; DROP TABLE paper_trades; --'",
    "symbol == \"\\\"; DELETE FROM instruments; --\"",
    "symbol == 'x'' OR 1=1 --'",
    "id == 1; DROP TABLE paper_trades",
    "id == 1 -- comment",
    "id == 1 /* c */",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      g_auto(HsTestRun) r = { 0 };

      hs_test_cli (&r, db, "query", "--csv", "--select", "id", attempts[i], NULL);
      /* Either a parse error (exit 2) or an honest answer: nobody has such a symbol. */
      g_assert_true (r.status == 2 || (r.status == 0 && g_str_equal (r.out, "id\n")));
    }
  after = file_checksum (db);
  g_assert_cmpstr (before, ==, after);
}

/* `export`: a file with the header and three rows; errors exit 2 and leave no file. */
static void
test_export (void)
{
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *out = g_build_filename (dir, "t.csv", NULL);
  g_autofree char *part = g_strconcat (out, ".part", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *expected = NULL;
  g_auto(HsTestRun) a = { 0 };
  g_auto(HsTestRun) b = { 0 };
  g_auto(HsTestRun) c = { 0 };
  g_auto(HsTestRun) d = { 0 };

  hs_test_cli (&a, db, "export", "trades", "--where", "signals.5m.rsi > 70", "--out", out, NULL);
  g_assert_cmpint (a.status, ==, 0);
  expected = g_strdup_printf ("exported 2 trades to %s\n", out);
  g_assert_cmpstr (a.out, ==, expected);
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, trades 1 and 2, "" */
  g_assert_true (g_str_has_prefix (lines[0], "id,symbol,side,quantity,entry_time,"));
  g_assert_true (g_str_has_prefix (lines[1], "1,AAPL,long,10,2024-03-04T14:45:00Z,180.5,"));
  g_assert_true (g_str_has_prefix (lines[2], "2,XOM,short,5,"));
  g_unlink (out);

  hs_test_cli (&b, db, "export", "trades", "--where", "signals.5m.rsi >", "--out", out, NULL);
  g_assert_cmpint (b.status, ==, 2);
  g_assert_nonnull (strstr (b.err, "column 17: expected an expression, found end of input"));
  hs_test_cli (&c, db, "export", "trades", NULL);
  g_assert_cmpint (c.status, ==, 2);
  hs_test_cli (&d, db, "export", "orders", "--out", out, NULL);
  g_assert_cmpint (d.status, ==, 2);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  dir = g_dir_make_tmp ("hs-cli-query-XXXXXX", NULL);
  db = g_build_filename (dir, "q.db", NULL);
  make_db ();

  g_test_add_func ("/hs/cli/query/seed-example", test_seed_example);
  g_test_add_func ("/hs/cli/query/csv", test_csv);
  g_test_add_func ("/hs/cli/query/csv-list", test_csv_quoting_of_list);
  g_test_add_func ("/hs/cli/query/json", test_json);
  g_test_add_func ("/hs/cli/query/aggregates", test_aggregates);
  g_test_add_func ("/hs/cli/query/explain-fields", test_explain_and_fields);
  g_test_add_func ("/hs/cli/query/errors", test_errors);
  g_test_add_func ("/hs/cli/query/injection", test_injection);
  g_test_add_func ("/hs/cli/export", test_export);
  status = g_test_run ();

  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (size_t i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (db, suffixes[i], NULL);

        g_unlink (p);
      }
    g_rmdir (dir);
  }
  g_free (db);
  return status;
}
