/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli gaps` and `hindsight-cli retention` as a user runs them. Gaps on LEAN's real
 * SPY data (tests/data/lean): the October 2013 minute bars (extended hours included) have no
 * gap in the regular sessions they cover, and a range reaching back to Thursday the 3rd finds
 * that whole session missing; 23 years of daily bars match LEAN's holiday calendar exactly, and
 * without the calendar the gaps of 2013 are the nine weekday holidays of that year, listed by
 * hand below. Sequence gaps from imported order books and trades. Retention on trades and
 * quotes imported from CSV: --dry-run leaves an identical dump and counts what the real run
 * then does, the candles equal a hand calculation, a second run changes nothing. Exit statuses
 * of bad usage.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hs-store.h"

static char *tmpdir;

static char *
data_file (const char *dir,
           const char *name)
{
  return g_build_filename (g_getenv ("HS_TEST_DATA"), dir, name, NULL);
}

static char *
new_db (const char *name)
{
  char *db = g_build_filename (tmpdir, name, NULL);

  g_remove (db);
  return db;
}

static char *
write_file (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Runs hindsight-cli and asserts it succeeded. */
#define cli_ok(db, ...)                                                                          \
  G_STMT_START                                                                                   \
  {                                                                                              \
    g_auto(HsTestRun) ok_run = { 0 };                                                            \
                                                                                                 \
    hs_test_cli (&ok_run, db, __VA_ARGS__);                                                      \
    if (ok_run.status != 0)                                                                      \
      g_printerr ("%s", ok_run.err);                                                             \
    g_assert_cmpint (ok_run.status, ==, 0);                                                      \
  }                                                                                              \
  G_STMT_END

static JsonObject *
candles_at (JsonNode *root,
            guint     i)
{
  return json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                      "candles"), i);
}

static void
assert_range (JsonObject *candles,
              guint       i,
              const char *start,
              const char *end,
              int64_t     missing)
{
  JsonObject *r = json_array_get_object_element (json_object_get_array_member (candles, "ranges"),
                                                 i);

  g_assert_cmpstr (json_object_get_string_member (r, "start"), ==, start);
  g_assert_cmpstr (json_object_get_string_member (r, "end"), ==, end);
  g_assert_cmpint (json_object_get_int_member (r, "missing"), ==, missing);
}

/* October 2013 is on EDT (UTC−4): a session is 13:30–20:00 UTC, 390 one-minute bars. The file
 * holds Friday the 4th and the 7th to the 11th, six full sessions (2340 bars), and pre- and
 * after-market bars, which the regular session leaves out. */
static void
test_lean_minutes (void)
{
  g_autofree char *db = new_db ("spy-minutes.db");
  g_autofree char *csv = data_file ("lean", "spy_minute_2013-10.csv");
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *c;

  cli_ok (db, "import", "bars", csv, "--symbol", "SPY", "--interval", "1m", "--kind", "etf",
          NULL);
  hs_test_cli (&r, db, "gaps", "SPY", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "candles 1m from 2013-10-04T08:06:00Z to "
                                   "2013-10-11T23:59:00Z: 2340 expected, 2340 present, "
                                   "0 missing in 0 ranges"));
  g_assert_nonnull (strstr (r.out, "every weekday (no market_calendar rows"));

  /* Thursday the 3rd: the whole session, 13:30 to 20:00 UTC, 390 bars. Still exit 0. */
  hs_test_cli (&r, db, "gaps", "SPY", "--from", "2013-10-03", "--to", "2013-10-11", "--json",
               NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "session"), ==,
                   "us");
  c = candles_at (root, 0);
  g_assert_cmpstr (json_object_get_string_member (c, "interval"), ==, "1m");
  g_assert_cmpstr (json_object_get_string_member (c, "from"), ==, "2013-10-03T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (c, "to"), ==, "2013-10-11T23:59:59.999999Z");
  g_assert_cmpint (json_object_get_int_member (c, "expected"), ==, 7 * 390);
  g_assert_cmpint (json_object_get_int_member (c, "present"), ==, 6 * 390);
  g_assert_cmpint (json_object_get_int_member (c, "missing"), ==, 390);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "ranges")), ==, 1);
  assert_range (c, 0, "2013-10-03T13:30:00Z", "2013-10-03T20:00:00Z", 390);

  hs_test_cli (&r, db, "gaps", "SPY", "--from", "2013-10-03", "--to", "2013-10-11", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "  2013-10-03T13:30:00Z  2013-10-03T20:00:00Z  390\n"));
}

/* LEAN's SPY daily bars, 1998-01-02 to 2021-03-31 (5849), against LEAN's US equity calendar:
 * every trading day has its bar (the closures of 2001-09-11 to 14, 2004-06-11, 2007-01-02,
 * 2012-10-29/30 and 2018-12-05 are holidays of the calendar). Without the calendar, 2013's gaps
 * are its weekday holidays: New Year's Day (Jan 1), Martin Luther King Jr. Day (Jan 21),
 * Presidents' Day (Feb 18), Good Friday (Mar 29), Memorial Day (May 27), Independence Day
 * (Jul 4), Labor Day (Sep 2), Thanksgiving (Nov 28) and Christmas (Dec 25): 261 weekdays, 252
 * bars. */
static void
test_lean_daily (void)
{
  g_autofree char *db = new_db ("spy-daily.db");
  g_autofree char *csv = data_file ("lean", "spy_daily.csv");
  g_autofree char *holidays = data_file ("lean", "us_equity_holidays.csv");
  g_autofree char *early = data_file ("lean", "us_equity_early_closes.csv");
  const char *days[] = { "2013-01-01", "2013-01-21", "2013-02-18", "2013-03-29", "2013-05-27",
                         "2013-07-04", "2013-09-02", "2013-11-28", "2013-12-25" };
  const char *next[] = { "2013-01-02", "2013-01-22", "2013-02-19", "2013-03-30", "2013-05-28",
                         "2013-07-05", "2013-09-03", "2013-11-29", "2013-12-26" };
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) all = NULL;
  JsonObject *c;

  cli_ok (db, "import", "bars", csv, "--symbol", "SPY", "--interval", "1d", NULL);
  hs_test_cli (&r, db, "gaps", "SPY", "--interval", "1d", "--from", "2013-01-01", "--to",
               "2013-12-31", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  c = candles_at (root, 0);
  g_assert_cmpint (json_object_get_int_member (c, "expected"), ==, 261);
  g_assert_cmpint (json_object_get_int_member (c, "present"), ==, 252);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (c, "ranges")), ==, 9);
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autofree char *start = g_strconcat (days[i], "T00:00:00Z", NULL);
      g_autofree char *end = g_strconcat (next[i], "T00:00:00Z", NULL);

      assert_range (c, i, start, end, 1);
    }

  cli_ok (db, "import", "calendar", holidays, "--kind", "holidays", NULL);
  cli_ok (db, "import", "calendar", early, "--kind", "early-closes", NULL);
  hs_test_cli (&r, db, "gaps", "SPY", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  all = hs_test_parse_json (r.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (all), "calendar_days"), >,
                   0);
  c = candles_at (all, 0);
  g_assert_cmpstr (json_object_get_string_member (c, "from"), ==, "1998-01-02T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (c, "to"), ==, "2021-03-31T00:00:00Z");
  g_assert_cmpint (json_object_get_int_member (c, "expected"), ==, 5849);
  g_assert_cmpint (json_object_get_int_member (c, "missing"), ==, 0);
}

/* An order book stream with sequences 7, 8, 12 (9–11 missing) and trades with ids 1–6 without
 * 4: one gap each. */
static void
test_sequences (void)
{
  g_autofree char *db = new_db ("seq.db");
  g_autofree char *books = write_file ("books.jsonl",
    "{\"ts\": \"2024-03-01T00:00:00Z\", \"sequence\": 7, \"bids\": [[99, 1]], \"asks\": [[101, 1]]}\n"
    "{\"ts\": \"2024-03-01T00:00:01Z\", \"sequence\": 8, \"bids\": [[99, 1]], \"asks\": [[101, 1]]}\n"
    "{\"ts\": \"2024-03-01T00:00:02Z\", \"sequence\": 12, \"bids\": [[99, 1]], \"asks\": [[101, 1]]}\n");
  g_autofree char *trades = write_file ("ids.csv",
                                        "time,price,size,side,trade_id\n"
                                        "2024-03-01T00:00:00Z,100,1,buy,1\n"
                                        "2024-03-01T00:00:01Z,100,1,sell,2\n"
                                        "2024-03-01T00:00:02Z,100,1,buy,3\n"
                                        "2024-03-01T00:00:04Z,100,1,buy,5\n"
                                        "2024-03-01T00:00:05Z,100,1,buy,6\n");
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *seqs;

  cli_ok (db, "import", "orderbook", books, "--symbol", "BTC-USD", "--kind", "crypto", NULL);
  cli_ok (db, "import", "trades", trades, "--symbol", "BTC-USD", NULL);
  hs_test_cli (&r, db, "gaps", "BTC-USD", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "BTC-USD (crypto): trades 24/7\n"));
  g_assert_nonnull (strstr (r.out, "orderbook_snapshots.sequence: 3 rows, 1 gap, 3 missing\n"
                                   "  8 (2024-03-01T00:00:01Z) → 12 (2024-03-01T00:00:02Z): "
                                   "3 missing\n"));
  g_assert_nonnull (strstr (r.out, "trades.trade_id: 5 rows, 1 gap, 1 missing\n"
                                   "  3 (2024-03-01T00:00:02Z) → 5 (2024-03-01T00:00:04Z): "
                                   "1 missing\n"));
  hs_test_cli (&r, db, "gaps", "BTC-USD", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = hs_test_parse_json (r.out);
  seqs = json_object_get_array_member (json_node_get_object (root), "sequences");
  g_assert_cmpuint (json_array_get_length (seqs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (seqs, 1),
                                                  "column"), ==, "trades.trade_id");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (seqs, 1),
                                               "missing"), ==, 1);
}

static char *
dump (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (db, HS_STORE_OPEN_READ_ONLY, &error);
  char *text;

  g_assert_no_error (error);
  text = hs_store_dump (store, &error);
  g_assert_no_error (error);
  return text;
}

static JsonObject *
day_at (JsonNode *root,
        guint     i)
{
  return json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                      "days"), i);
}

/* Trades imported from CSV (the importer's CVD is the running sum from 0: 2, 1, 4, 0, 1, 3,
 * then 4 for the young trade) and quotes; now 2024-02-15T12:00Z with 30 days kept: the cutoff is
 * 2024-01-16T00:00Z, so 2024-01-01 (4 trades, 2 quotes) and 2024-01-02 (2 trades) go, the
 * trade of 2024-02-14 and the quote of 2024-02-01 stay. By hand:
 *   2024-01-01 10:00: open 100, high 101, low 99.5, close 99.5, volume 6,
 *     vwap (100·2 + 101·1 + 99.5·3) / 6 = 99.91666…, 3 trades; 10:01: 100.5, volume 4, 1 trade;
 *   2024-01-02 00:00: open 103, high 104, low 103, close 104, volume 3,
 *     vwap (103 + 104·2) / 3 = 103.666…, 2 trades. */
static void
test_retention (void)
{
  g_autofree char *db = new_db ("retention.db");
  g_autofree char *trades = write_file ("trades.csv",
                                        "time,price,size,side\n"
                                        "2024-01-01T10:00:05Z,100,2,buy\n"
                                        "2024-01-01T10:00:20Z,101,1,sell\n"
                                        "2024-01-01T10:00:50Z,99.5,3,buy\n"
                                        "2024-01-01T10:01:10Z,100.5,4,sell\n"
                                        "2024-01-02T00:00:00Z,103,1,buy\n"
                                        "2024-01-02T00:00:30Z,104,2,buy\n"
                                        "2024-02-14T12:00:00Z,107,1,buy\n");
  g_autofree char *quotes = write_file ("quotes.csv",
                                        "time,bid,ask,bid_size,ask_size\n"
                                        "2024-01-01T10:00:01Z,99,100,5,6\n"
                                        "2024-01-01T10:00:59Z,98.9,99.8,1,2\n"
                                        "2024-02-01T00:00:00Z,1,2,,\n");
  g_autofree char *before = NULL, *after_dry = NULL, *after = NULL, *after_again = NULL;
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(JsonNode) dry = NULL;
  g_autoptr(JsonNode) real = NULL;
  g_autoptr(JsonNode) bars = NULL;
  JsonObject *d, *b;

  cli_ok (db, "import", "trades", trades, "--symbol", "BTC-USD", "--kind", "crypto", NULL);
  cli_ok (db, "import", "quotes", quotes, "--symbol", "BTC-USD", NULL);

  before = dump (db);
  hs_test_cli (&r, db, "retention", "--dry-run", "--now", "2024-02-15T12:00:00Z", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  dry = hs_test_parse_json (r.out);
  after_dry = dump (db);
  g_assert_cmpstr (before, ==, after_dry);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (dry), "dry_run"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (dry), "cutoff"), ==,
                   "2024-01-16T00:00:00Z");
  d = day_at (dry, 0);
  g_assert_cmpstr (json_object_get_string_member (d, "symbol"), ==, "BTC-USD");
  g_assert_cmpstr (json_object_get_string_member (d, "day"), ==, "2024-01-01");
  g_assert_cmpint (json_object_get_int_member (d, "trades"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (d, "candles_written"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (d, "quotes"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (d, "quote_bars_written"), ==, 1);
  d = day_at (dry, 1);
  g_assert_cmpstr (json_object_get_string_member (d, "day"), ==, "2024-01-02");
  g_assert_cmpint (json_object_get_int_member (d, "trades"), ==, 2);

  hs_test_cli (&r, db, "retention", "--dry-run", "--now", "2024-02-15T12:00:00Z", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "dry run (nothing changed): keeping 30 days: trades and "
                                   "quotes before 2024-01-16T00:00:00Z\n"));
  g_assert_nonnull (strstr (r.out, "would roll up 2 instrument-days: 6 trades and 2 quotes "
                                   "removed; 3 of 3 one-minute candles"));

  /* The real run does what the dry run said. */
  hs_test_cli (&r, db, "retention", "--now", "2024-02-15T12:00:00Z", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  real = hs_test_parse_json (r.out);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (real), "dry_run"));
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (dry), "days"),
                             json_object_get_member (json_node_get_object (real), "days")));

  hs_test_cli (&r, db, "bars", "BTC-USD", "--interval", "1m", "--format", "json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  bars = hs_test_parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (bars)), ==, 3);
  b = json_array_get_object_element (json_node_get_array (bars), 0);
  g_assert_cmpfloat (json_object_get_double_member (b, "open"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (b, "high"), ==, 101);
  g_assert_cmpfloat (json_object_get_double_member (b, "low"), ==, 99.5);
  g_assert_cmpfloat (json_object_get_double_member (b, "close"), ==, 99.5);
  g_assert_cmpfloat (json_object_get_double_member (b, "volume"), ==, 6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "vwap"), 599.5 / 6, 1e-9);
  g_assert_cmpint (json_object_get_int_member (b, "trade_count"), ==, 3);
  b = json_array_get_object_element (json_node_get_array (bars), 2);
  g_assert_cmpstr (json_object_get_string_member (b, "timestamp"), ==, "2024-01-02T00:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (b, "close"), ==, 104);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (b, "vwap"), 311.0 / 3, 1e-9);
  g_assert_cmpint (json_object_get_int_member (b, "trade_count"), ==, 2);

  /* The young trade and quote are still there; a second run changes nothing. */
  hs_test_cli (&r, db, "instruments", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "trades     -        2024-02-14T12:00:00Z "
                                   "2024-02-14T12:00:00Z          1\n"));
  g_assert_nonnull (strstr (r.out, "quotes     -        2024-02-01T00:00:00Z "
                                   "2024-02-01T00:00:00Z          1\n"));
  after = dump (db);
  hs_test_cli (&r, db, "retention", "--now", "2024-02-15T12:00:00Z", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "nothing to roll up"));
  after_again = dump (db);
  g_assert_cmpstr (after, ==, after_again);
}

static void
test_usage (void)
{
  g_autofree char *db = new_db ("usage.db");
  g_autofree char *csv = data_file ("lean", "spy_daily.csv");
  g_auto(HsTestRun) r = { 0 };

  cli_ok (db, "import", "bars", csv, "--symbol", "SPY", "--interval", "1d", NULL);
  hs_test_cli (&r, db, "gaps", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "gaps", "SPY", "--interval", "tick", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "not “tick”"));
  hs_test_cli (&r, db, "gaps", "SPY", "--interval", "1w", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "gaps", "SPY", "--from", "2013-10-05", "--to", "2013-10-01", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "gaps", "SPY", "--from", "yesterday", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "gaps", "NOPE", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no instrument NOPE"));
  /* A range after the last bar: nothing to check, not an error. */
  hs_test_cli (&r, db, "gaps", "SPY", "--from", "2030-01-01", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "candles 1d: no bar stored in the range"));
  hs_test_cli (&r, db, "retention", "--days", "-1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "retention", "--days", "many", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "retention", "now", NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_cli (&r, db, "retention", "--now", "soon", NULL);
  g_assert_cmpint (r.status, ==, 2);
  /* Daily bars are not trades: retention has nothing to do. */
  hs_test_cli (&r, db, "retention", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "nothing to roll up"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-cli-gaps-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  g_test_add_func ("/hs/cli/gaps/lean-minutes", test_lean_minutes);
  g_test_add_func ("/hs/cli/gaps/lean-daily", test_lean_daily);
  g_test_add_func ("/hs/cli/gaps/sequences", test_sequences);
  g_test_add_func ("/hs/cli/retention/run", test_retention);
  g_test_add_func ("/hs/cli/gaps/usage", test_usage);
  status = g_test_run ();
  hs_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
