/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The time capsule end to end on real data, through hindsight-cli only (issue 5, "done when"):
 * LEAN's SPY minute and daily bars are imported, then ten bot-shaped paper trades
 * (tests/data/capsule/spy-bot-trades.jsonl) whose market context the collector fills at
 * import; the trades are labeled, filtered with a training query and exported as CSV.
 *
 * Expected values come from the data files themselves, read here with a plain split of each
 * CSV line, and from hand calculations written next to each assertion.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "hs-test-cli.h"

static char *tmpdir;

/* One minute bar of the CSV, by its timestamp text. */
typedef struct
{
  double open, high, low, close;
} Bar;

static char *
data_path (const char *a,
           const char *b)
{
  return g_build_filename (g_getenv ("HS_TEST_DATA"), a, b, NULL);
}

/* timestamp text → Bar, for every line of a LEAN CSV (timestamp,open,high,low,close,volume). */
static GHashTable *
read_bars (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *bars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      Bar *b;

      if (g_strv_length (f) < 5)
        continue;
      b = g_new (Bar, 1);
      b->open = g_ascii_strtod (f[1], NULL);
      b->high = g_ascii_strtod (f[2], NULL);
      b->low = g_ascii_strtod (f[3], NULL);
      b->close = g_ascii_strtod (f[4], NULL);
      g_hash_table_insert (bars, g_strdup (f[0]), b);
    }
  return bars;
}

static const Bar *
bar_at (GHashTable *bars,
        const char *ts)
{
  const Bar *b = g_hash_table_lookup (bars, ts);

  if (b == NULL)
    g_error ("no bar at %s", ts);
  return b;
}

/* The fixture's trades, one JSON object each. */
static GPtrArray *
read_fixture (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (out, hs_test_parse_json (lines[i]));
  return out;
}

static void
assert_close (double got,
              double want)
{
  g_assert_cmpfloat_with_epsilon (got, want, 1e-9 * MAX (1.0, fabs (want)));
}

/* "2013-10-07T14:05:00Z" plus @minutes, in the same form. */
static char *
minute_after (const char *iso,
              int         minutes)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr(GDateTime) u = g_date_time_add_minutes (t, minutes);

  return g_date_time_format (u, "%Y-%m-%dT%H:%M:%SZ");
}

static double
member_double (JsonObject *o,
               const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_double_member (o, name);
}

/* The records of an RFC 4180 CSV text (quoted fields may hold commas, quotes and line ends),
 * each a NULL-terminated array of fields. Written here for the test, from the RFC. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == ',')
        g_ptr_array_add (fields, g_strdup (field->str)), g_string_truncate (field, 0);
      else if (*p == '\r' && p[1] == '\n')
        {
          p++;
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
          fields = g_ptr_array_new ();
        }
      else
        g_string_append_c (field, *p);
    }
  g_assert_cmpuint (fields->len, ==, 0);   /* the last record ended with CRLF */
  g_ptr_array_free (fields, TRUE);
  g_string_free (field, TRUE);
  return records;
}

static int
column_of (char      **header,
           const char *name)
{
  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;
  g_error ("no column %s", name);
}

static void
test_end_to_end (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "capsule.db", NULL);
  g_autofree char *minute_csv = data_path ("lean", "spy_minute_2013-10.csv");
  g_autofree char *daily_csv = data_path ("lean", "spy_daily.csv");
  g_autofree char *jsonl = data_path ("capsule", "spy-bot-trades.jsonl");
  g_autoptr(GHashTable) minute = read_bars (minute_csv);
  g_autoptr(GHashTable) daily = read_bars (daily_csv);
  g_autoptr(GPtrArray) trades = read_fixture (jsonl);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_auto(HsTestRun) r = { 0 };
  JsonObject *regime;
  JsonArray *missing;
  gboolean vix_missing = FALSE;

  /* The fixture's claim (tests/data/capsule/README.md): entry prices are the opens and exit
   * prices the closes of the named minutes. */
  g_assert_cmpuint (trades->len, ==, 10);
  for (guint i = 0; i < trades->len; i++)
    {
      JsonObject *t = json_node_get_object (trades->pdata[i]);

      assert_close (json_object_get_double_member (t, "entry_price"),
                    bar_at (minute, json_object_get_string_member (t, "entry_time"))->open);
      if (json_object_has_member (t, "exit_time"))
        assert_close (json_object_get_double_member (t, "exit_price"),
                      bar_at (minute, json_object_get_string_member (t, "exit_time"))->close);
    }

  hs_test_cli (&r, db, "import", "bars", minute_csv, "--symbol", "SPY", "--interval", "1m",
               "--kind", "etf", NULL);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_cli (&r, db, "import", "bars", daily_csv, "--symbol", "SPY", "--interval", "1d", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* The bot's file: ten new trades, nine closed. */
  hs_test_cli (&r, db, "paper", "import", jsonl, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "10 new trades"));
  hs_test_cli (&r, db, "paper", "list", "--closed", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  list = hs_test_parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 9);

  /* The context the collector stored for trade 1 (entered 2013-10-07T14:05Z): SPY's price is
   * the close of the last minute completed by then, the 14:04 bar; its change is against the
   * previous session's close, 2013-10-04 in the daily file. No VIX is stored: it is listed as
   * missing, not invented. */
  hs_test_cli (&r, db, "paper", "show", "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  one = hs_test_parse_json (r.out);
  regime = json_object_get_object_member (json_node_get_object (one), "market_regime");
  g_assert_nonnull (regime);
  {
    double price = bar_at (minute, "2013-10-07T14:04:00Z")->close;
    double prev = bar_at (daily, "2013-10-04")->close;
    JsonObject *spy = json_object_get_object_member (regime, "spy");

    assert_close (json_object_get_double_member (spy, "price"), price);
    assert_close (json_object_get_double_member (spy, "pct_change"), (price / prev - 1) * 100);
    g_assert_false (json_object_has_member (spy, "vix"));
  }
  missing = json_object_get_array_member (regime, "missing");
  for (guint i = 0; i < json_array_get_length (missing); i++)
    vix_missing |= g_str_equal (json_array_get_string_element (missing, i), "spy.vix");
  g_assert_true (vix_missing);

  /* Labels (docs/labels.md). Trade 1: long 100 SPY at 167.70, entered at the 14:05 bar's open,
   * exited at 14:40:00. The 15-minute price is the close of the last bar ending by 14:20, the
   * 14:19 bar; the 1-hour price the close of the 15:04 bar. MFE/MAE count every price of the
   * bars 14:05 … 14:39 (wholly inside the holding period) and the open of the 14:40 bar. */
  hs_test_cli (&r, db, "label", NULL);
  g_assert_cmpint (r.status, ==, 0);
  hs_test_cli (&r, db, "paper", "show", "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&one, json_node_unref);
  one = hs_test_parse_json (r.out);
  {
    JsonObject *t = json_node_get_object (one);
    const double entry = 167.7;
    double hi = bar_at (minute, "2013-10-07T14:40:00Z")->open, lo = hi;

    for (int m = 0; m < 35; m++)
      {
        g_autofree char *ts = minute_after ("2013-10-07T14:05:00Z", m);
        const Bar *b = g_hash_table_lookup (minute, ts);

        if (b == NULL)
          continue;   /* a quiet minute has no bar */
        hi = MAX (hi, b->high);
        lo = MIN (lo, b->low);
      }
    assert_close (member_double (t, "target_pnl_15m"),
                  (bar_at (minute, "2013-10-07T14:19:00Z")->close - entry) / entry * 100);
    assert_close (member_double (t, "target_pnl_1h"),
                  (bar_at (minute, "2013-10-07T15:04:00Z")->close - entry) / entry * 100);
    assert_close (member_double (t, "target_mfe_pct"), MAX (0, (hi - entry) / entry * 100));
    assert_close (member_double (t, "target_mae_pct"), MAX (0, (entry - lo) / entry * 100));
  }
  /* The open trade (10) has no labels; the nine closed ones all have. */
  hs_test_cli (&r, db, "paper", "list", "--json", NULL);
  g_clear_pointer (&list, json_node_unref);
  list = hs_test_parse_json (r.out);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonObject *t = json_array_get_object_element (json_node_get_array (list), i);
      gboolean open = g_str_equal (json_object_get_string_member (t, "status"), "open");

      g_assert_cmpint (json_node_is_null (json_object_get_member (t, "target_pnl_1h")), ==, open);
    }

  /* A training query: the AI was confident (score >= 7) and the trade made money. Expected from
   * the fixture by hand: P&L = side × (exit − entry) × quantity − fees, closed trades only. */
  {
    g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (int64_t));
    g_autoptr(JsonNode) rows = NULL;
    JsonArray *a;

    for (guint i = 0; i < trades->len; i++)
      {
        JsonObject *t = json_node_get_object (trades->pdata[i]);
        JsonObject *ai = json_object_get_object_member (t, "ai_reasoning_log");
        double side = g_str_equal (json_object_get_string_member (t, "side"), "long") ? 1 : -1;
        int64_t id = i + 1;

        if (!json_object_has_member (t, "exit_price")
            || json_object_get_double_member (ai, "confidence_score") < 7)
          continue;
        if (side * (json_object_get_double_member (t, "exit_price")
                    - json_object_get_double_member (t, "entry_price"))
            * json_object_get_double_member (t, "quantity")
            - json_object_get_double_member (t, "fees") > 0)
          g_array_append_val (want, id);
      }
    g_assert_cmpuint (want->len, >, 0);
    hs_test_cli (&r, db, "query", "ai.confidence_score >= 7 and pnl > 0", "--select", "id",
                 "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    rows = hs_test_parse_json (r.out);
    a = json_node_get_array (rows);
    g_assert_cmpuint (json_array_get_length (a), ==, want->len);
    for (guint i = 0; i < want->len; i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (a, i), "id"),
                       ==, g_array_index (want, int64_t, i));
  }

  /* The ML export of the same confident trades (open ones too) as CSV: one row each, the
   * context and labels flattened into their documented columns (docs/export.md). */
  {
    g_autofree char *csv_path = g_build_filename (tmpdir, "confident.csv", NULL);
    g_autofree char *csv = NULL;
    g_autoptr(GPtrArray) records = NULL;
    JsonObject *t1 = json_node_get_object (one);
    char **header, **row1 = NULL;
    guint n_confident = 0;

    for (guint i = 0; i < trades->len; i++)
      {
        JsonObject *ai = json_object_get_object_member (json_node_get_object (trades->pdata[i]),
                                                        "ai_reasoning_log");

        n_confident += json_object_get_double_member (ai, "confidence_score") >= 7;
      }
    hs_test_cli (&r, db, "export", "trades", "--format", "csv", "--where",
                 "ai.confidence_score >= 7", "--out", csv_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    records = parse_csv (csv);
    g_assert_cmpuint (records->len, ==, 1 + n_confident);
    header = records->pdata[0];
    for (guint i = 1; i < records->len; i++)
      if (g_str_equal (((char **) records->pdata[i])[column_of (header, "id")], "1"))
        row1 = records->pdata[i];
    g_assert_nonnull (row1);
    g_assert_cmpstr (row1[column_of (header, "entry_time")], ==, "2013-10-07T14:05:00Z");
    assert_close (g_ascii_strtod (row1[column_of (header, "regime_spy_price")], NULL),
                  bar_at (minute, "2013-10-07T14:04:00Z")->close);
    assert_close (g_ascii_strtod (row1[column_of (header, "ai_confidence_score")], NULL), 7.5);
    assert_close (g_ascii_strtod (row1[column_of (header, "target_pnl_1h")], NULL),
                  member_double (t1, "target_pnl_1h"));
    /* No VIX was stored: an empty cell, not a number. */
    g_assert_cmpstr (row1[column_of (header, "regime_spy_vix")], ==, "");
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-capsule-XXXXXX", NULL);
  g_test_add_func ("/hs/cli/capsule/end-to-end", test_end_to_end);
  status = g_test_run ();
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);

    (void) !system (cmd);
  }
  g_free (tmpdir);
  return status;
}
