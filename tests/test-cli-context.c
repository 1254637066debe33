/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hindsight-cli sectors and context, run as a user runs them (as a subprocess on a temporary
 * database). The context's data come from the generated capsule dataset (tests/capsule-data.c),
 * imported with `import bars|quotes`; the expected prices are read back from those CSV files
 * here with a plain line split, not with the importer or the collector.
 */
#include "config.h"

#include "hs-test-cli.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "capsule-data.h"
#include "hs-time.h"

static char *tmpdir;

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (p, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (p));
}

static void
test_sectors (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "sectors.db", NULL);
  g_auto(HsTestRun) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, f = { 0 }, g = { 0 };
  g_auto(HsTestRun) h = { 0 }, i = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *arr;

  hs_test_cli (&a, db, "sectors", "list", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_true (g_str_has_prefix (a.out, "ETF    SECTOR                   SYMBOLS\n"));
  g_assert_nonnull (strstr (a.out, "\nXLK    Information Technology   -\n"));

  hs_test_cli (&b, db, "sectors", "set", "NVDA", "XLK", NULL);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_cmpstr (b.out, ==, "NVDA → XLK\n");
  hs_test_cli (&c, db, "sectors", "set", "AMD", "SMH", NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_cmpstr (c.err, ==, "hindsight-cli: SMH is not a sector ETF; name its sector to add it "
                              "(sectors set AMD SMH --sector NAME)\n");
  hs_test_cli (&d, db, "sectors", "set", "AMD", "SMH", "--sector", "Semiconductors", NULL);
  g_assert_cmpint (d.status, ==, 0);

  hs_test_cli (&e, db, "sectors", "list", "--json", NULL);
  g_assert_cmpint (e.status, ==, 0);
  root = parse (e.out);
  arr = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (arr), ==, 12);   /* the eleven SPDRs and SMH */
  {
    JsonObject *smh = json_array_get_object_element (arr, 0);
    JsonObject *xlk = json_array_get_object_element (arr, 6);

    g_assert_cmpstr (json_object_get_string_member (smh, "etf"), ==, "SMH");
    g_assert_cmpstr (json_object_get_string_member (smh, "sector"), ==, "Semiconductors");
    g_assert_cmpstr (json_object_get_string_member (xlk, "etf"), ==, "XLK");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (xlk, "symbols")), ==,
                      1);
    g_assert_cmpstr (json_array_get_string_element (
                       json_object_get_array_member (xlk, "symbols"), 0), ==, "NVDA");
  }

  hs_test_cli (&f, db, "sectors", "remove", "NVDA", NULL);
  g_assert_cmpint (f.status, ==, 0);
  hs_test_cli (&g, db, "sectors", "remove", "NVDA", NULL);
  g_assert_cmpint (g.status, ==, 1);
  g_assert_cmpstr (g.err, ==, "hindsight-cli: NVDA has no sector ETF\n");
  hs_test_cli (&h, db, "sectors", NULL);
  g_assert_cmpint (h.status, ==, 2);
  hs_test_cli (&i, db, "sectors", "set", "NVDA", NULL);
  g_assert_cmpint (i.status, ==, 2);
}

/* The value of @column in the last row of a CSV file whose first column is a time at or
 * before @max_ts (and, when @min_ts is given, at or after it); NAN when none. */
static double
last_csv_value (const char *path,
                int         column,
                int64_t     max_ts,
                int64_t     min_ts)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  double v = NAN;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (size_t i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      int64_t ts = 0;

      g_assert_true (hs_time_parse (f[0], NULL, &ts, NULL));
      if (ts > max_ts)
        break;
      if (ts >= min_ts)
        v = g_ascii_strtod (f[column], NULL);
    }
  return v;
}

static void
import (const char *db,
        const char *what,
        const char *path,
        const char *symbol,
        const char *kind,
        const char *interval)
{
  g_auto(HsTestRun) r = { 0 };

  if (interval != NULL)
    hs_test_cli (&r, db, "import", what, path, "--symbol", symbol, "--kind", kind, "--interval",
                 interval, NULL);
  else
    hs_test_cli (&r, db, "import", what, path, "--symbol", symbol, "--kind", kind, NULL);
  if (r.status != 0)
    g_error ("import %s %s: %s", what, path, r.err);
}

static void
test_context (void)
{
  g_autoptr(CapsuleData) data = capsule_data_new (11);
  g_autofree char *db = g_build_filename (tmpdir, "context.db", NULL);
  g_autoptr(GError) error = NULL;
  static const char *symbols[] = { "SPY", "VIX", "XLK", "AAPL" };
  const CapsuleTrade *t = NULL;
  g_auto(HsTestRun) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, f = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *at = NULL;
  JsonObject *regime, *book, *spy, *sector;
  const CapsuleSeries *spy_s, *aapl_s;

  g_assert_true (capsule_data_write (data, tmpdir, &error));
  g_assert_no_error (error);
  for (size_t i = 0; i < G_N_ELEMENTS (symbols); i++)
    {
      const CapsuleSeries *s = capsule_data_series (data, symbols[i]);

      g_assert (s != NULL);
      import (db, "bars", s->minute_csv, s->symbol, s->kind, "1m");
      import (db, "bars", s->daily_csv, s->symbol, s->kind, "1d");
      if (s->quotes_csv != NULL)
        import (db, "quotes", s->quotes_csv, s->symbol, s->kind, NULL);
    }
  hs_test_cli (&a, db, "sectors", "set", "AAPL", "XLK", NULL);
  g_assert_cmpint (a.status, ==, 0);
  for (guint i = 0; i < data->trades->len && t == NULL; i++)
    if (g_str_equal (g_array_index (data->trades, CapsuleTrade, i).symbol, "AAPL"))
      t = &g_array_index (data->trades, CapsuleTrade, i);
  g_assert (t != NULL);
  at = hs_time_format_iso (t->entry_ts);

  hs_test_cli (&b, db, "context", "--symbol", "AAPL", "--at", at, "--json", NULL);
  g_assert_cmpint (b.status, ==, 0);
  root = parse (b.out);
  regime = json_object_get_object_member (json_node_get_object (root), "market_regime");
  book = json_object_get_object_member (json_node_get_object (root), "order_book_state");
  spy = json_object_get_object_member (regime, "spy");
  sector = json_object_get_object_member (regime, "sector");
  spy_s = capsule_data_series (data, "SPY");
  aapl_s = capsule_data_series (data, "AAPL");
  g_assert (spy_s != NULL && aapl_s != NULL);
  /* SPY's price: the close of the last minute that ended by the entry, read from the CSV;
   * VIX likewise. */
  g_assert_cmpfloat (json_object_get_double_member (spy, "price"), ==,
                     last_csv_value (spy_s->minute_csv, 4, t->entry_ts - 60000000, G_MININT64));
  g_assert_cmpfloat (json_object_get_double_member (spy, "vix"), ==,
                     last_csv_value (capsule_data_series (data, "VIX")->minute_csv, 4,
                                     t->entry_ts - 60000000, G_MININT64));
  g_assert_cmpstr (json_object_get_string_member (sector, "ticker"), ==, "XLK");
  /* Bid and ask: the last quote at or before the entry, at most 5 minutes old. */
  g_assert_cmpfloat (json_object_get_double_member (book, "bid"), ==,
                     last_csv_value (aapl_s->quotes_csv, 1, t->entry_ts, t->entry_ts - 300000000));
  g_assert_cmpfloat (json_object_get_double_member (book, "ask"), ==,
                     last_csv_value (aapl_s->quotes_csv, 2, t->entry_ts, t->entry_ts - 300000000));
  g_assert_cmpstr (json_object_get_string_member (book, "source"), ==, "quotes");
  /* Breadth needs five stocks with a price and a previous close; this database has one. */
  g_assert_nonnull (strstr (b.out, "\"market_internals.advancers\""));

  /* The text form: one line per value, the missing names on one line per object. */
  hs_test_cli (&c, db, "context", "--symbol", "AAPL", "--at", at, NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_true (g_str_has_prefix (c.out, "signals_snapshot\n  1m.rsi "));
  g_assert_nonnull (strstr (c.out, "\nmarket_regime\n  spy.price "));
  g_assert_nonnull (strstr (c.out, "\n  sector.ticker                    XLK\n"));
  g_assert_nonnull (strstr (c.out, "\norder_book_state\n  bid "));

  hs_test_cli (&d, db, "context", "--symbol", "NOPE", "--at", at, NULL);
  g_assert_cmpint (d.status, ==, 1);
  g_assert_cmpstr (d.err, ==, "hindsight-cli: no instrument NOPE\n");
  hs_test_cli (&e, db, "context", "--symbol", "AAPL", "--at", "yesterday", NULL);
  g_assert_cmpint (e.status, ==, 2);
  g_assert_true (g_str_has_prefix (e.err, "hindsight-cli: bad --at: "));
  hs_test_cli (&f, db, "context", "--symbol", "AAPL", NULL);
  g_assert_cmpint (f.status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-cli-context-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/hs/cli/context/sectors", test_sectors);
  g_test_add_func ("/hs/cli/context/context", test_context);
  status = g_test_run ();
  capsule_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
