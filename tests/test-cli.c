/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hindsight-cli end to end, as a user runs it: every real OHLCV file in tests/data (copied from
 * shared/data and shared/data/lean) imports and comes back out of `bars --format csv` with the
 * same times and the same numbers; bad files exit 2 with FILE:LINE; the db commands work. The
 * expected side of each comparison is read from the source file here with a separate, simple
 * parser (split on commas, g_ascii_strtod), not with the importer's code.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static char *tmpdir;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs hindsight-cli with the NULL-terminated arguments. */
static void
cli (Run        *r,
     const char *db,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *out = NULL, *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("HS_CLI"));
  if (db != NULL)
    {
      g_ptr_array_add (args, "--db");
      g_ptr_array_add (args, (char *) db);
    }
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
  r->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  r->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  g_bytes_unref (out);
  g_bytes_unref (err);
}

static char *
data_path (const char *dir,
           const char *name)
{
  return g_build_filename (g_getenv ("HS_TEST_DATA"), dir, name, NULL);
}

/* The expected timestamp text of a source row: "2006-01-02" → "2006-01-02T00:00:00Z",
 * ("2006-01-02", "09:01:00") → "2006-01-02T09:01:00Z", "2015-09-23T20:57:42.146" → "…Z";
 * ISO text with Z is kept. */
static char *
expected_time (const char *date,
               const char *time)
{
  if (time != NULL)
    return g_strdup_printf ("%sT%sZ", date, time);
  if (strlen (date) == 10)
    return g_strdup_printf ("%sT00:00:00Z", date);
  if (g_str_has_suffix (date, "Z"))
    return g_strdup (date);
  return g_strdup_printf ("%sZ", date);
}

typedef struct
{
  const char *dir;
  const char *file;
  const char *interval;
  const char *columns;   /* --columns, for the file whose header is short */
  int         date_col, time_col, open_col, volume_col;   /* time_col -1 when none */
  int         rows;      /* from the data README's table */
} RoundTrip;

/* Column positions: backtrader layout Date,Open,High,Low,Close,Volume,OpenInterest; with Time
 * after Date in the intraday files; Yahoo layout Date,Open,High,Low,Close,Adj Close,Volume;
 * LEAN date|timestamp,open,high,low,close,volume. */
static const RoundTrip files[] = {
  { "backtrader", "2006-day-001.txt", "1d", NULL, 0, -1, 1, 5, 255 },
  { "backtrader", "2005-2006-day-001.txt", "1d", NULL, 0, -1, 1, 5, 512 },
  { "backtrader", "2006-day-002.txt", "2d", NULL, 0, -1, 1, 5, 129 },
  { "backtrader", "2006-week-001.txt", "1w", NULL, 0, -1, 1, 5, 52 },
  { "backtrader", "2006-week-002.txt", "2w", NULL, 0, -1, 1, 5, 26 },
  { "backtrader", "2006-month-001.txt", "1mo", NULL, 0, -1, 1, 5, 12 },
  { "backtrader", "2006-volume-day-001.txt", "1d", NULL, 0, -1, 1, 5, 255 },
  { "backtrader", "2006-min-005.txt", "5m", NULL, 0, 1, 2, 6, 2142 },
  { "backtrader", "2006-01-02-volume-min-001.txt", "1m",
    "date,time,open,high,low,close,volume,openinterest", 0, 1, 2, 6, 30889 },
  { "backtrader", "ticksample.csv", "tick", NULL, 0, -1, 1, 5, 135 },
  { "backtrader", "orcl-1995-2014.txt", "1d", NULL, 0, -1, 1, 6, 5036 },
  { "backtrader", "orcl-2003-2005.txt", "1d", NULL, 0, -1, 1, 6, 756 },
  { "backtrader", "orcl-2014.txt", "1d", NULL, 0, -1, 1, 6, 252 },
  { "backtrader", "nvda-1999-2014.txt", "1d", NULL, 0, -1, 1, 6, 4012 },
  { "backtrader", "nvda-2014.txt", "1d", NULL, 0, -1, 1, 6, 252 },
  { "backtrader", "yhoo-1996-2014.txt", "1d", NULL, 0, -1, 1, 6, 4713 },
  { "backtrader", "yhoo-1996-2015.txt", "1d", NULL, 0, -1, 1, 6, 4965 },
  { "backtrader", "yhoo-2003-2005.txt", "1d", NULL, 0, -1, 1, 6, 756 },
  { "backtrader", "yhoo-2014.txt", "1d", NULL, 0, -1, 1, 6, 252 },
  { "lean", "spy_daily.csv", "1d", NULL, 0, -1, 1, 5, 5849 },
  { "lean", "spy_daily_adjusted.csv", "1d", NULL, 0, -1, 1, 5, 5849 },
  { "lean", "aapl_daily_adjusted.csv", "1d", NULL, 0, -1, 1, 5, 5849 },
  { "lean", "foxa_daily.csv", "1d", NULL, 0, -1, 1, 5, 2 },
  { "lean", "goog_daily.csv", "1d", NULL, 0, -1, 1, 5, 4183 },
  { "lean", "uso_daily.csv", "1d", NULL, 0, -1, 1, 5, 3910 },
  { "lean", "spy_minute_2013-10.csv", "1m", NULL, 0, -1, 1, 5, 4839 },
  { "lean", "spy_minute_2013-10_rth_adjusted.csv", "1m", NULL, 0, -1, 1, 5, 2340 },
};

static void
test_round_trip (gconstpointer data)
{
  const RoundTrip *rt = data;
  g_autofree char *db = g_build_filename (tmpdir, "roundtrip.db", NULL);
  g_autofree char *path = data_path (rt->dir, rt->file);
  g_autofree char *source = NULL;
  g_auto(GStrv) src_lines = NULL, out_lines = NULL;
  g_auto(Run) imp = { 0 }, bars = { 0 };
  g_autofree char *symbol = g_strdup_printf ("RT%zu", (size_t) (rt - files));
  int n_src = 0;

  g_unlink (db);
  if (rt->columns)
    cli (&imp, db, "import", "bars", path, "--symbol", symbol, "--interval", rt->interval,
         "--columns", rt->columns, NULL);
  else
    cli (&imp, db, "import", "bars", path, "--symbol", symbol, "--interval", rt->interval, NULL);
  g_test_message ("%s%s", imp.out, imp.err);
  g_assert_cmpint (imp.status, ==, 0);

  cli (&bars, db, "bars", symbol, "--interval", rt->interval, "--format", "csv", NULL);
  g_assert_cmpint (bars.status, ==, 0);

  g_assert_true (g_file_get_contents (path, &source, NULL, NULL));
  /* CRLF files: drop the CR before splitting. */
  {
    char *w = source;

    for (char *p = source; *p; p++)
      if (*p != '\r')
        *w++ = *p;
    *w = '\0';
  }
  src_lines = g_strsplit (source, "\n", -1);
  out_lines = g_strsplit (bars.out, "\n", -1);
  g_assert_cmpstr (out_lines[0], ==, "timestamp,open,high,low,close,volume,vwap,trade_count");
  for (int i = 1; src_lines[i] != NULL; i++)
    {
      g_auto(GStrv) s = NULL, o = NULL;
      g_autofree char *ts = NULL;

      if (src_lines[i][0] == '\0')
        continue;
      n_src++;
      g_assert_nonnull (out_lines[n_src]);
      s = g_strsplit (src_lines[i], ",", -1);
      o = g_strsplit (out_lines[n_src], ",", -1);
      g_assert_cmpuint (g_strv_length (o), ==, 8);
      ts = expected_time (s[rt->date_col], rt->time_col >= 0 ? s[rt->time_col] : NULL);
      g_assert_cmpstr (o[0], ==, ts);
      for (int k = 0; k < 4; k++)
        g_assert_cmpfloat (g_ascii_strtod (o[1 + k], NULL), ==,
                           g_ascii_strtod (s[rt->open_col + k], NULL));
      g_assert_cmpfloat (g_ascii_strtod (o[5], NULL), ==, g_ascii_strtod (s[rt->volume_col], NULL));
      g_assert_cmpstr (o[6], ==, "");
      g_assert_cmpstr (o[7], ==, "");
    }
  g_assert_cmpint (n_src, ==, rt->rows);
  g_assert_cmpstr (out_lines[n_src + 1], ==, "");
  g_assert_null (out_lines[n_src + 2]);
}

static void
test_refused_file_exit_status (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "refused.db", NULL);
  g_autofree char *path = data_path ("backtrader", "2006-01-02-volume-min-001.txt");
  g_autofree char *tick = data_path ("backtrader", "ticksample.csv");
  g_auto(Run) r = { 0 }, r2 = { 0 }, list = { 0 };

  cli (&r, db, "import", "bars", path, "--symbol", "V", "--interval", "1m", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "2006-01-02-volume-min-001.txt:2: rows have 8 fields but the "
                                   "header names only 7"));
  g_assert_nonnull (strstr (r.err, "--columns"));
  /* ticksample.csv repeats 2015-09-23T20:58:22.316 (its README says so): as 1-second bars that
   * is a duplicate; as ticks it is two prints. */
  cli (&r2, db, "import", "bars", tick, "--symbol", "T", "--interval", "1s", NULL);
  g_assert_cmpint (r2.status, ==, 2);
  g_assert_nonnull (strstr (r2.err, "ticksample.csv:24: duplicate timestamp "
                                    "2015-09-23T20:58:22.316Z"));
  cli (&list, db, "instruments", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.out, ==, "[\n]\n");
}

static void
test_instruments_and_json (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "instruments.db", NULL);
  g_autofree char *spy = data_path ("lean", "spy_daily.csv");
  g_autofree char *spym = data_path ("lean", "spy_minute_2013-10.csv");
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, f = { 0 };
  g_autoptr(JsonParser) parser = NULL;

  cli (&a, db, "import", "bars", spy, "--symbol", "SPY", "--interval", "1d", "--kind", "etf",
       "--json", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_nonnull (strstr (a.out, "\"rows\":5849,\"inserted\":5849,\"present\":0,"
                                   "\"first\":\"1998-01-02T00:00:00Z\""));
  cli (&b, db, "import", "bars", spym, "--symbol", "SPY", "--interval", "1m", NULL);
  g_assert_cmpint (b.status, ==, 0);
  /* Again: nothing new. */
  cli (&c, db, "import", "bars", spy, "--symbol", "SPY", "--interval", "1d", "--json", NULL);
  g_assert_nonnull (strstr (c.out, "\"inserted\":0,\"present\":5849"));

  cli (&d, db, "instruments", NULL);
  g_assert_cmpint (d.status, ==, 0);
  g_assert_nonnull (strstr (d.out, "SYMBOL"));
  g_assert_nonnull (strstr (d.out, "SPY"));

  cli (&e, db, "instruments", "--json", NULL);
  g_assert_cmpint (e.status, ==, 0);
  g_assert_cmpstr (e.out, ==,
                   "[\n{\"symbol\":\"SPY\",\"exchange\":\"\",\"kind\":\"etf\",\"data\":["
                   "{\"table\":\"candles\",\"interval\":\"1d\",\"first\":\"1998-01-02T00:00:00Z\","
                   "\"last\":\"2021-03-31T00:00:00Z\",\"rows\":5849},"
                   "{\"table\":\"candles\",\"interval\":\"1m\",\"first\":\"2013-10-04T08:06:00Z\","
                   "\"last\":\"2013-10-11T23:59:00Z\",\"rows\":4839}]}\n]\n");

  /* JSON bars parse and carry numbers, with --from/--to bounds inclusive. */
  cli (&f, db, "bars", "SPY", "--interval", "1d", "--from", "2013-10-07", "--to", "2013-10-09",
       "--format", "json", NULL);
  g_assert_cmpint (f.status, ==, 0);
  parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, f.out, -1, NULL));
  {
    JsonArray *arr = json_node_get_array (json_parser_get_root (parser));
    JsonObject *first = json_array_get_object_element (arr, 0);

    g_assert_cmpuint (json_array_get_length (arr), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (first, "timestamp"), ==,
                     "2013-10-07T00:00:00Z");
    /* spy_daily.csv line 3967: 2013-10-07,167.43,168.45,167.25,167.42,81489219 (raw prices) */
    g_assert_cmpfloat (json_object_get_double_member (first, "open"), ==, 167.43);
    g_assert_true (json_object_get_null_member (first, "vwap"));
  }
}

static void
test_db_commands (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "dbcmd.db", NULL);
  g_autofree char *backup = g_build_filename (tmpdir, "dbcmd-backup.db", NULL);
  g_autofree char *spy = data_path ("lean", "spy_daily.csv");
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, g = { 0 };

  cli (&a, db, "db", "migrate", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_nonnull (strstr (a.out, "001_market_data.sql"));
  g_assert_nonnull (strstr (a.out, "migrations applied now"));
  cli (&b, db, "import", "bars", spy, "--symbol", "SPY", "--interval", "1d", NULL);
  g_assert_cmpint (b.status, ==, 0);
  cli (&c, db, "db", "check", NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_true (g_str_has_suffix (c.out, ": ok\n"));
  cli (&d, db, "db", "backup", backup, NULL);
  g_assert_cmpint (d.status, ==, 0);
  /* The copy is a database with the same bars. */
  cli (&e, backup, "bars", "SPY", "--interval", "1d", "--to", "1998-01-05", NULL);
  g_assert_cmpint (e.status, ==, 0);
  g_assert_cmpstr (e.out, ==, "timestamp,open,high,low,close,volume,vwap,trade_count\n"
                              "1998-01-02T00:00:00Z,97.31,97.53,96.53,97.36,2150000,,\n"
                              "1998-01-05T00:00:00Z,97.84,98.44,96.78,97.75,4030800,,\n");
  cli (&g, db, "db", "frobnicate", NULL);
  g_assert_cmpint (g.status, ==, 2);
}

static void
test_env_and_usage (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "env.db", NULL);
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 };
  static const char *commands[] = { "import", "instruments", "bars", "db" };

  cli (&a, NULL, "--version", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpstr (a.out, ==, "hindsight-cli " PACKAGE_VERSION "\n");
  cli (&b, NULL, "--help", NULL);
  g_assert_cmpint (b.status, ==, 0);
  for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) h = { 0 };

      g_assert_nonnull (strstr (b.out, commands[i]));
      cli (&h, NULL, commands[i], "--help", NULL);
      g_assert_cmpint (h.status, ==, 0);
      g_assert_nonnull (strstr (h.out, "Usage:"));
      g_assert_nonnull (strstr (h.out, "--db"));
    }
  cli (&c, NULL, "nonsense", NULL);
  g_assert_cmpint (c.status, ==, 2);
  cli (&d, db, "bars", "NOPE", "--interval", "1d", NULL);
  g_assert_cmpint (d.status, ==, 1);
  g_assert_nonnull (strstr (d.err, "no instrument NOPE"));

  /* HINDSIGHT_DB chooses the database when --db is absent. */
  g_setenv ("HINDSIGHT_DB", db, TRUE);
  cli (&e, NULL, "db", "check", NULL);
  g_unsetenv ("HINDSIGHT_DB");
  g_assert_cmpint (e.status, ==, 0);
  g_assert_nonnull (strstr (e.out, db));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-cli-XXXXXX", NULL);

  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/hs/cli/bars/round-trip/%s/%s", files[i].dir,
                                               files[i].file);

      g_test_add_data_func (name, &files[i], test_round_trip);
    }
  g_test_add_func ("/hs/cli/import/refused-exit-status", test_refused_file_exit_status);
  g_test_add_func ("/hs/cli/instruments/json", test_instruments_and_json);
  g_test_add_func ("/hs/cli/db/commands", test_db_commands);
  g_test_add_func ("/hs/cli/usage", test_env_and_usage);
  return g_test_run ();
}
