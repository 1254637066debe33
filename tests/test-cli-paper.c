/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hindsight-cli paper …` end to end, as a user runs it, on a temporary database: open with
 * the default price, close with P&L, list, show (text with the reasoning log, and JSON),
 * tag/untag/note, import (refused file: exit 2 with FILE:LINE, nothing stored; re-import
 * unchanged) and check. Expected numbers are hand calculations next to each assertion; JSON
 * output is read back with json-glib, not with the code that wrote it.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static char *tmpdir;

static char *
write_file (const char *name,
            const char *content)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char bars[] =
  "timestamp,open,high,low,close,volume\n"
  "2024-03-04T14:30:00Z,180,181,179.5,180.5,100\n"
  "2024-03-04T14:31:00Z,180.5,181.2,180.1,181,100\n"
  "2024-03-04T14:32:00Z,181,183.5,180.8,183.2,100\n";

static void
test_open_close_show (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "a.db", NULL);
  g_autofree char *bars_path = write_file ("bars.csv", bars);
  g_autofree char *reasoning = write_file ("why.json",
    "{\"model\": \"gemini-2.0-flash\", \"prompt_version\": \"v4_aggressive\", "
    "\"confidence_score\": 8.5, \"bull_case\": \"Strong gap up above 200 SMA\", "
    "\"bear_case\": \"Approaching resistance at $150\", "
    "\"decision_logic\": \"risk_reward_ratio_favorable\", \"tokens\": 1200}");
  g_autofree char *bad_reasoning = write_file ("bad.json",
    "{\"model\": \"m\", \"prompt_version\": \"v\", \"confidence_score\": 12}");
  g_autoptr(JsonObject) o = NULL;
  g_auto(HsTestRun) r = { 0 };

  hs_test_cli (&r, db, "import", "bars", bars_path, "--symbol", "AAPL", "--interval", "1m", NULL);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_run_clear (&r);

  /* No --price: the close of the last 1m bar that had ended by 14:32, the 14:31 bar: 181. */
  hs_test_cli (&r, db, "paper", "open", "--symbol", "AAPL", "--side", "long", "--qty", "10", "--at",
               "2024-03-04T14:32:00Z", "--stop", "178", "--tag", "breakout", "--reasoning",
               reasoning, "--fees", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "1\n");
  g_assert_nonnull (strstr (r.err, "entry price from the close of the 1m bar ending "
                                   "2024-03-04T14:32:00Z"));
  hs_test_run_clear (&r);

  hs_test_cli (&r, db, "paper", "show", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Paper trade 1: AAPL long 10 @ 181 at 2024-03-04T14:32:00Z"));
  g_assert_nonnull (strstr (r.out, "AI reasoning: gemini-2.0-flash, prompt v4_aggressive, "
                                   "confidence 8.5/10"));
  g_assert_nonnull (strstr (r.out, "  Bear case:\n    Approaching resistance at $150\n"));
  g_assert_nonnull (strstr (r.out, "  Tokens: 1200\n"));
  /* Opened without context: the collector's, shown whole. */
  g_assert_nonnull (strstr (r.out, "Context at entry\nsignals_snapshot: {\n"));
  g_assert_nonnull (strstr (r.out, "\n  \"missing\": ["));
  g_assert_nonnull (strstr (r.out, "Labels (not computed yet)"));
  hs_test_run_clear (&r);

  /* Close at 183.5 with 1.5 more fees: (183.5 - 181) × 10 - 2.5 = 22.5;
   * 22.5 / 1810 × 100 = 1.243093922651934 %. */
  hs_test_cli (&r, db, "paper", "close", "1", "--price", "183.5", "--at", "2024-03-04T15:00:00Z",
               "--fees", "1.5", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (o, "exit_reason"), ==, "manual");
  g_assert_cmpstr (json_object_get_string_member (o, "exit_time"), ==, "2024-03-04T15:00:00Z");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "pnl"), 22.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "pnl_pct"),
                                  22.5 / 1810.0 * 100.0, 1e-9);
  g_assert_cmpfloat (json_object_get_double_member (o, "fees"), ==, 2.5);
  g_assert_cmpfloat (json_object_get_double_member (
                       json_object_get_object_member (o, "ai_reasoning_log"),
                       "confidence_score"), ==, 8.5);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "tags"), 0),
                   ==, "breakout");
  hs_test_run_clear (&r);

  /* Closing it again is refused (1); an exit before the entry too (2). */
  hs_test_cli (&r, db, "paper", "close", "1", "--price", "183", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "paper trade 1 is closed already (manual at "
                                   "2024-03-04T15:00:00Z)"));
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "open", "--symbol", "AAPL", "--side", "short", "--qty", "1",
               "--price", "180", "--at", "2024-03-04T14:40:00Z", NULL);
  g_assert_cmpstr (r.out, ==, "2\n");
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "close", "2", "--price", "179", "--at", "2024-03-04T14:39:00Z",
               NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "exit_time: 2024-03-04T14:39:00Z is before the entry time "
                                   "2024-03-04T14:40:00Z of trade 2"));
  hs_test_run_clear (&r);

  /* Refused opens: unknown symbol (1), stop on the wrong side (2), bad reasoning (2). */
  hs_test_cli (&r, db, "paper", "open", "--symbol", "ZZZ", "--side", "long", "--qty", "1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "unknown symbol “ZZZ”"));
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "open", "--symbol", "AAPL", "--side", "short", "--qty", "1",
               "--price", "180", "--stop", "170", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "stop_loss: 170 must be above the entry price 180 for a "
                                   "short"));
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "open", "--symbol", "AAPL", "--side", "long", "--qty", "1",
               "--price", "180", "--reasoning", bad_reasoning, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "bad.json: ai_reasoning_log.confidence_score: must be a "
                                   "number from 0 to 10 (got 12)"));
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "open", "--symbol", "AAPL", "--side", "sideways", "--qty", "1",
               NULL);
  g_assert_cmpint (r.status, ==, 2);
  hs_test_run_clear (&r);

  /* Tags and notes. */
  hs_test_cli (&r, db, "paper", "tag", "2", "fade", NULL);
  g_assert_cmpstr (r.out, ==, "paper trade 2 tags: fade\n");
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "tag", "2", "gap", NULL);
  g_assert_cmpstr (r.out, ==, "paper trade 2 tags: fade, gap\n");
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "untag", "2", "fade", NULL);
  g_assert_cmpstr (r.out, ==, "paper trade 2 tags: gap\n");
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "note", "2", "against the trend", NULL);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "tag", "9", "x", NULL);
  g_assert_cmpint (r.status, ==, 1);
  hs_test_run_clear (&r);

  /* List: all, open only, closed only. */
  hs_test_cli (&r, db, "paper", "list", "--open", "--json", NULL);
  {
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonArray *a;
    JsonObject *t;

    g_assert_true (json_parser_load_from_data (p, r.out, -1, NULL));
    a = json_node_get_array (json_parser_get_root (p));
    g_assert_cmpuint (json_array_get_length (a), ==, 1);
    t = json_array_get_object_element (a, 0);
    g_assert_cmpint (json_object_get_int_member (t, "id"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (t, "notes"), ==, "against the trend");
    g_assert_true (json_object_get_null_member (t, "pnl"));
  }
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "2 trades: 1 open, 1 closed; realised P&L +22.50\n"));
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "list", "--closed", NULL);
  g_assert_nonnull (strstr (r.out, "1 trades: 0 open, 1 closed"));
}

static void
test_import_and_check (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "b.db", NULL);
  g_autofree char *bars_path = write_file ("bars2.csv", bars);
  g_autofree char *more_bars = write_file ("bars3.csv",
                                           "timestamp,open,high,low,close,volume\n"
                                           "2024-03-04T14:33:00Z,183,186,182.9,185,100\n");
  g_autofree char *good = write_file ("good.jsonl",
    "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":2,\"entry_time\":\"2024-03-04T14:33:00Z\","
    "\"entry_price\":183.2,\"take_profit\":185.5,\"ai_reasoning_log\":{\"model\":\"m\","
    "\"prompt_version\":\"v1\",\"confidence_score\":\"6\",\"bull_case\":\"b\",\"bear_case\":\"c\","
    "\"decision_logic\":\"d\"}}\n");
  g_autofree char *bad = write_file ("bad.jsonl",
    "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,\"entry_time\":\"2024-03-04T14:40:00Z\","
    "\"entry_price\":180}\n"
    "\n"
    "{\"symbol\":\"AAPL\",\"side\":\"long\",\"quantity\":1,\"entry_time\":\"2024-03-04T14:41:00Z\","
    "\"entry_price\":180,\"ai_reasoning_log\":{\"model\":\"m\",\"prompt_version\":\"v\","
    "\"confidence_score\":11,\"bull_case\":\"\",\"bear_case\":\"\",\"decision_logic\":\"\"}}\n");
  g_autofree char *want = NULL;
  g_auto(HsTestRun) r = { 0 };

  hs_test_cli (&r, db, "import", "bars", bars_path, "--symbol", "AAPL", "--interval", "1m", NULL);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_run_clear (&r);

  /* A refused file: exit 2, FILE:LINE: field: reason, nothing stored. */
  hs_test_cli (&r, db, "paper", "import", bad, NULL);
  g_assert_cmpint (r.status, ==, 2);
  want = g_strdup_printf ("hindsight-cli: %s:3: ai_reasoning_log.confidence_score: must be a "
                          "number from 0 to 10 (got 11)\n", bad);
  g_assert_cmpstr (r.err, ==, want);
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "list", NULL);
  g_assert_nonnull (strstr (r.out, "0 trades"));
  hs_test_run_clear (&r);

  hs_test_cli (&r, db, "paper", "import", good, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("{\"file\":\"%s\",\"lines\":1,\"inserted\":1,\"updated\":0,"
                          "\"unchanged\":0,\"closed\":0}\n", good);
  g_assert_cmpstr (r.out, ==, want);
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "import", good, NULL);
  g_clear_pointer (&want, g_free);
  want = g_strdup_printf ("%s: 1 lines: 0 new trades, 0 updated, 1 unchanged; 0 closed at "
                          "their stop or target\n", good);
  g_assert_cmpstr (r.out, ==, want);
  hs_test_run_clear (&r);

  /* Nothing to close yet; then the 14:33 bar's high 186 reaches the target 185.5. The bars
   * import closes it: (185.5 - 183.2) × 2 = 4.6. */
  hs_test_cli (&r, db, "paper", "check", NULL);
  g_assert_cmpstr (r.out, ==, "0 paper trades closed\n");
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "import", "bars", more_bars, "--symbol", "AAPL", "--interval", "1m", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "1 open paper trades hit their stop or target"));
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "show", "1", "--json", NULL);
  {
    g_autoptr(JsonObject) o = parse_object (r.out);

    g_assert_cmpstr (json_object_get_string_member (o, "exit_reason"), ==, "take_profit");
    g_assert_cmpstr (json_object_get_string_member (o, "exit_time"), ==,
                     "2024-03-04T14:33:00Z");
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "pnl"), 4.6, 1e-9);
  }
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "show", "7", NULL);
  g_assert_cmpint (r.status, ==, 1);
  hs_test_run_clear (&r);
  hs_test_cli (&r, db, "paper", "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-cli-paper-XXXXXX", NULL);

  g_test_add_func ("/hs/cli/paper/open-close-show", test_open_close_show);
  g_test_add_func ("/hs/cli/paper/import-and-check", test_import_and_check);
  return g_test_run ();
}
