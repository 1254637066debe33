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
#include <math.h>
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

/* Runs hindsight-cli with the arguments of the NULL-terminated @argv. */
static void
cliv (Run               *r,
      const char        *db,
      const char *const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *out = NULL, *err = NULL;

  g_ptr_array_add (args, (char *) g_getenv ("HS_CLI"));
  if (db != NULL)
    {
      g_ptr_array_add (args, "--db");
      g_ptr_array_add (args, (char *) db);
    }
  for (size_t i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *) argv[i]);
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

/* Runs hindsight-cli with the NULL-terminated arguments. */
static void
cli (Run        *r,
     const char *db,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  cliv (r, db, (const char *const *) args->pdata);
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

/* Splits one CSV output line and checks it: the time and the five OHLCV fields as text, vwap
 * within 1e-9 (NULL: empty), trade_count as text. */
static void
check_csv_bar (const char *line,
               const char *expect_fields,
               const char *vwap,
               const char *trade_count)
{
  g_auto(GStrv) f = NULL;
  g_autofree char *first = NULL;

  g_assert_nonnull (line);
  f = g_strsplit (line, ",", -1);
  g_assert_cmpuint (g_strv_length (f), ==, 8);
  first = g_strjoin (",", f[0], f[1], f[2], f[3], f[4], f[5], NULL);
  g_assert_cmpstr (first, ==, expect_fields);
  if (vwap == NULL)
    g_assert_cmpstr (f[6], ==, "");
  else
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (f[6], NULL), g_ascii_strtod (vwap, NULL),
                                    1e-9);
  g_assert_cmpstr (f[7], ==, trade_count);
}

/* bars --resample on LEAN's regular-hours SPY minutes (kind etf, so US sessions by default).
 * Expected values are read off tests/data/lean/spy_minute_2013-10_rth_adjusted.csv by hand
 * (a spreadsheet-style sum over the rows named):
 *   2013-10-04 09:30–10:30 EDT = rows 13:30Z … 14:29Z (60 rows): open 145.032465884 (13:30Z),
 *     high 145.64635077, low 144.850894298, close 145.508010514 (14:29Z), volume 22090162;
 *     no vwap in the file, so Σ (h + l + c) / 3 × volume / Σ volume = 145.29478209014496.
 *   2013-10-04 15:30–16:00 EDT = rows 19:30Z … 19:59Z (30 rows): 145.983555144, 146.070017804,
 *     145.81927609, 146.026786474, volume 14215511, vwap 145.94648224019977.
 *   2013-10-11 15:30–16:00: 146.977875734, 147.24590998, 146.796304148, 147.24590998, 17709321,
 *     vwap 147.00668741829782.
 *   --session 24x7, 13:00–14:00 UTC = rows 13:30Z … 13:59Z: 145.032465884, 145.490717982,
 *     144.850894298, 145.38696279, 12634741, vwap 145.13650171279048.
 *   1d 2013-10-04 = all 390 rows: close 146.026786474, volume 98263068, vwap 145.67974887463058. */
static void
test_bars_resample (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "resample.db", NULL);
  g_autofree char *spy = data_path ("lean", "spy_minute_2013-10_rth_adjusted.csv");
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  g_auto(GStrv) lines = NULL, lines24 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  cli (&a, db, "import", "bars", spy, "--symbol", "SPY", "--interval", "1m", "--kind", "etf",
       NULL);
  g_assert_cmpint (a.status, ==, 0);

  cli (&b, db, "bars", "SPY", "--interval", "1m", "--resample", "1h", "--format", "csv", NULL);
  g_assert_cmpint (b.status, ==, 0);
  lines = g_strsplit (b.out, "\n", -1);
  /* Six sessions of seven hours, the last one 15:30–16:00. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 42 + 1);
  g_assert_cmpstr (lines[0], ==, "timestamp,open,high,low,close,volume,vwap,trade_count");
  check_csv_bar (lines[1], "2013-10-04T13:30:00Z,145.032465884,145.64635077,144.850894298,"
                           "145.508010514,22090162", "145.29478209014496", "");
  g_assert_true (g_str_has_prefix (lines[2], "2013-10-04T14:30:00Z,"));
  check_csv_bar (lines[7], "2013-10-04T19:30:00Z,145.983555144,146.070017804,145.81927609,"
                           "146.026786474,14215511", "145.94648224019977", "");
  g_assert_true (g_str_has_prefix (lines[8], "2013-10-07T13:30:00Z,"));
  check_csv_bar (lines[42], "2013-10-11T19:30:00Z,146.977875734,147.24590998,146.796304148,"
                            "147.24590998,17709321", "147.00668741829782", "");
  g_assert_cmpstr (lines[43], ==, "");

  cli (&c, db, "bars", "SPY", "--interval", "1m", "--resample", "1h", "--session", "24x7", NULL);
  g_assert_cmpint (c.status, ==, 0);
  lines24 = g_strsplit (c.out, "\n", -1);
  /* UTC hours: 13:00 (half), 14:00 … 19:00 each day. */
  g_assert_cmpuint (g_strv_length (lines24), ==, 1 + 42 + 1);
  check_csv_bar (lines24[1], "2013-10-04T13:00:00Z,145.032465884,145.490717982,144.850894298,"
                             "145.38696279,12634741", "145.13650171279048", "");

  cli (&d, db, "bars", "SPY", "--interval", "1m", "--resample", "1d", "--to", "2013-10-07",
       "--format", "json", NULL);
  g_assert_cmpint (d.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, d.out, -1, NULL));
  {
    JsonArray *arr = json_node_get_array (json_parser_get_root (parser));
    JsonObject *first = json_array_get_object_element (arr, 0);

    g_assert_cmpuint (json_array_get_length (arr), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (first, "timestamp"), ==,
                     "2013-10-04T13:30:00Z");
    g_assert_cmpfloat (json_object_get_double_member (first, "open"), ==, 145.032465884);
    g_assert_cmpfloat (json_object_get_double_member (first, "close"), ==, 146.026786474);
    g_assert_cmpfloat (json_object_get_double_member (first, "volume"), ==, 98263068);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "vwap"),
                                    145.67974887463058, 1e-9);
    g_assert_true (json_object_get_null_member (first, "trade_count"));
  }
}

/* The session follows the instrument's kind (crypto: 24/7), and trade counts are summed when
 * every bar of a bucket has one:
 *   00:00–00:05  00:03, 00:04: open 10, high 12, low 9, close 11, volume 300,
 *                vwap (10.2 × 100 + 11.1 × 200) / 300 = 10.8, trades 5 + 6 = 11
 *   00:05–00:10  00:05, 00:06 (no vwap, no count): volume 400, vwap from typical prices
 *                ((11.5 + 10.5 + 11.2) × 100 + (13 + 11 + 12.5) × 300) / 3 / 400 = 14270 / 1200,
 *                trades unknown (empty) */
static void
test_bars_resample_counts_and_default (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "resample-counts.db", NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "btc-1m.csv", NULL);
  g_autofree char *vwap2 = g_strdup_printf ("%.17g", 14270.0 / 1200);
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 };
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_set_contents (csv,
    "timestamp,open,high,low,close,volume,vwap,trade_count\n"
    "2021-01-01T00:03:00Z,10,11,9,10.5,100,10.2,5\n"
    "2021-01-01T00:04:00Z,10.5,12,10,11,200,11.1,6\n"
    "2021-01-01T00:05:00Z,11,11.5,10.5,11.2,100,,7\n"
    "2021-01-01T00:06:00Z,11.2,13,11,12.5,300,12,\n", -1, NULL));
  cli (&a, db, "import", "bars", csv, "--symbol", "BTC", "--interval", "1m", "--kind", "crypto",
       NULL);
  g_assert_cmpint (a.status, ==, 0);
  cli (&b, db, "bars", "BTC", "--interval", "1m", "--resample", "5m", NULL);
  g_assert_cmpint (b.status, ==, 0);
  lines = g_strsplit (b.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  check_csv_bar (lines[1], "2021-01-01T00:00:00Z,10,12,9,11,300", "10.8", "11");
  check_csv_bar (lines[2], "2021-01-01T00:05:00Z,11,13,10.5,12.5,400", vwap2, "");
  /* As a US equity the same minutes are at night in New York: nothing. */
  cli (&c, db, "bars", "BTC", "--interval", "1m", "--resample", "5m", "--session", "us", NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_cmpstr (c.out, ==, "timestamp,open,high,low,close,volume,vwap,trade_count\n");
}

static void
test_bars_resample_errors (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "resample-errors.db", NULL);
  g_autofree char *spy = data_path ("lean", "spy_daily.csv");
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, f = { 0 };
  g_auto(GStrv) lines = NULL;

  cli (&a, db, "import", "bars", spy, "--symbol", "SPY", "--interval", "1d", NULL);
  g_assert_cmpint (a.status, ==, 0);
  cli (&b, db, "bars", "SPY", "--interval", "1d", "--resample", "1h", NULL);
  g_assert_cmpint (b.status, ==, 2);
  g_assert_nonnull (strstr (b.err, "cannot resample 1d bars to 1h"));
  cli (&c, db, "bars", "SPY", "--interval", "1d", "--resample", "3d", NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "unknown interval “3d”"));
  cli (&d, db, "bars", "SPY", "--interval", "1d", "--resample", "1w", "--session", "nyse", NULL);
  g_assert_cmpint (d.status, ==, 2);
  g_assert_nonnull (strstr (d.err, "--session must be us or 24x7"));
  cli (&e, db, "bars", "SPY", "--interval", "1d", "--session", "us", NULL);
  g_assert_cmpint (e.status, ==, 2);
  g_assert_nonnull (strstr (e.err, "--session needs --resample"));
  /* Daily bars (stamped 00:00Z) to weeks, spy_daily.csv lines 2–7: 1998-01-02 is a Friday,
   * alone in the week of Monday 1997-12-29 (09:30 EST = 14:30Z); 01-05 … 01-09 make the next:
   * open 97.84, high 98.44, low 91.91 (01-09), close 92.47, volume 4030800 + 2821800 + 5225400
   * + 3249100 + 10000200 = 25327300. */
  cli (&f, db, "bars", "SPY", "--interval", "1d", "--resample", "1w", "--to", "1998-01-09",
       NULL);
  g_assert_cmpint (f.status, ==, 0);
  lines = g_strsplit (f.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  check_csv_bar (lines[1], "1997-12-29T14:30:00Z,97.31,97.53,96.53,97.36,2150000",
                 "97.14", "");
  g_assert_true (g_str_has_prefix (lines[2], "1998-01-05T14:30:00Z,97.84,98.44,91.91,92.47,"
                                             "25327300,"));
}

/* indicator over the first rows of 2006-day-001.txt, whose closes are 3604.33 3614.34 3652.46
 * 3650.24 3666.99 3671.78 (2006-01-02 … 2006-01-09). sma(close, 5) is empty for the first four
 * bars (warm-up), then (3604.33 + 3614.34 + 3652.46 + 3650.24 + 3666.99) / 5 = 18188.36 / 5 =
 * 3637.672 on 2006-01-06 and (3614.34 + 3652.46 + 3650.24 + 3666.99 + 3671.78) / 5 =
 * 18255.81 / 5 = 3651.162 on 2006-01-09. */
static void
test_indicator_csv (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "indicator.db", NULL);
  g_autofree char *path = data_path ("backtrader", "2006-day-001.txt");
  g_auto(Run) imp = { 0 }, r = { 0 }, j = { 0 }, w = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_unlink (db);
  cli (&imp, db, "import", "bars", path, "--symbol", "X", "--interval", "1d", NULL);
  g_assert_cmpint (imp.status, ==, 0);

  cli (&r, db, "indicator", "X", "--interval", "1d", "sma(close, 5)", "close > 3650",
       "--format", "csv", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  /* One row per bar (255 in the file) after the header; the expression with a comma is quoted. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 255 + 1);
  g_assert_cmpstr (lines[0], ==, "timestamp,\"sma(close, 5)\",close > 3650");
  g_assert_cmpstr (lines[1], ==, "2006-01-02T00:00:00Z,,0");
  g_assert_cmpstr (lines[2], ==, "2006-01-03T00:00:00Z,,0");
  g_assert_cmpstr (lines[3], ==, "2006-01-04T00:00:00Z,,1");
  g_assert_cmpstr (lines[4], ==, "2006-01-05T00:00:00Z,,1");
  {
    g_auto(GStrv) f5 = g_strsplit (lines[5], ",", -1);
    g_auto(GStrv) f6 = g_strsplit (lines[6], ",", -1);

    g_assert_cmpstr (f5[0], ==, "2006-01-06T00:00:00Z");
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (f5[1], NULL), 18188.36 / 5, 1e-9);
    g_assert_cmpstr (f6[0], ==, "2006-01-09T00:00:00Z");
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (f6[1], NULL), 18255.81 / 5, 1e-9);
    /* Printed to the digits a user sees: 18188.36 / 5 and 18255.81 / 5 exactly. */
    g_assert_cmpstr (f5[1], ==, "3637.672");
    g_assert_cmpstr (f6[1], ==, "3651.162");
  }
  g_assert_cmpstr (lines[256], ==, "");

  /* JSON with --from/--to: the bars before --from still warm the average up. */
  cli (&j, db, "indicator", "X", "--interval", "1d", "sma(close, 5)", "--from", "2006-01-05",
       "--to", "2006-01-09", "--format", "json", NULL);
  g_assert_cmpint (j.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, j.out, -1, NULL));
  {
    JsonArray *arr = json_node_get_array (json_parser_get_root (parser));
    JsonObject *o0 = json_array_get_object_element (arr, 0);
    JsonObject *o1 = json_array_get_object_element (arr, 1);

    g_assert_cmpuint (json_array_get_length (arr), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (o0, "timestamp"), ==,
                     "2006-01-05T00:00:00Z");
    g_assert_true (json_object_get_null_member (o0, "sma(close, 5)"));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o1, "sma(close, 5)"),
                                    18188.36 / 5, 1e-9);
  }

  /* --resample 1w: one row per week, stamped at the session's first bar. */
  cli (&w, db, "indicator", "X", "--interval", "1d", "--resample", "1w", "close",
       "--to", "2006-01-13", NULL);
  g_assert_cmpint (w.status, ==, 0);
  {
    g_auto(GStrv) wl = g_strsplit (w.out, "\n", -1);

    /* Two weeks: 2006-01-02 … 01-06 closing at 3666.99, 01-09 … 01-13 at 3629.25. */
    g_assert_cmpuint (g_strv_length (wl), ==, 4);
    g_assert_cmpstr (wl[0], ==, "timestamp,close");
    g_assert_true (g_str_has_suffix (wl[1], ",3666.99"));
    g_assert_true (g_str_has_suffix (wl[2], ",3629.25"));
  }
}

static void
test_indicator_errors (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "indicator-errors.db", NULL);
  g_autofree char *path = data_path ("backtrader", "2006-day-001.txt");
  g_auto(Run) imp = { 0 }, a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 };

  g_unlink (db);
  cli (&imp, db, "import", "bars", path, "--symbol", "X", "--interval", "1d", NULL);
  g_assert_cmpint (imp.status, ==, 0);
  /* A syntax error: the expression, a caret under column 12, the message; exit 2. */
  cli (&a, db, "indicator", "X", "--interval", "1d", "sma(close, ", NULL);
  g_assert_cmpint (a.status, ==, 2);
  g_assert_cmpstr (a.err, ==, "sma(close, \n           ^\n"
                              "column 12: expected an expression, found end of input\n");
  g_assert_true (a.out == NULL || a.out[0] == '\0');
  /* tf= shorter than the bars is known only once the bars are: still exit 2. */
  cli (&b, db, "indicator", "X", "--interval", "1d", "rsi(close, 14, tf=1h)", NULL);
  g_assert_cmpint (b.status, ==, 2);
  g_assert_nonnull (strstr (b.err, "column 19: rsi: tf=1h is shorter than the bars' interval 1d"));
  cli (&c, db, "indicator", "X", "--interval", "1d", "position > 0", NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "column 1: position is only known inside a backtest"));
  cli (&d, db, "indicator", "NOPE", "--interval", "1d", "close", NULL);
  g_assert_cmpint (d.status, ==, 1);
  cli (&e, db, "indicator", "X", "--interval", "1d", NULL);
  g_assert_cmpint (e.status, ==, 2);
}

static void
test_expr_check (void)
{
  g_auto(Run) ok = { 0 }, bad = { 0 }, sig = { 0 }, path = { 0 }, help = { 0 }, neg = { 0 };

  cli (&ok, NULL, "expr", "check", "crosses_above(sma(close,10), sma(close,30))",
       "rsi(close, 14, tf=1h) < 30 and not position > 0", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpstr (ok.out, ==, "ok: crosses_above(sma(close, 10), sma(close, 30))\n"
                               "ok: rsi(close, 14, tf=1h) < 30 and not position > 0\n");
  /* Each bad expression is reported; the good one still prints; exit 2. */
  cli (&bad, NULL, "expr", "check", "close > 1", "(close + 1", "a < b < c", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_cmpstr (bad.out, ==, "ok: close > 1\n");
  g_assert_cmpstr (bad.err, ==,
                   "(close + 1\n          ^\n"
                   "column 11: expected an operator or “)” to close the “(” at column 1, found end "
                   "of input\n"
                   "a < b < c\n      ^\n"
                   "column 7: expected and, or, “)” or end of input after a comparison, found "
                   "“<” (comparisons do not chain: write a < b and b < c)\n");
  /* Signatures are checked too, unless --parse-only (the training-query filter). */
  cli (&sig, NULL, "expr", "check", "macd(close, 12)", NULL);
  g_assert_cmpint (sig.status, ==, 2);
  g_assert_cmpstr (sig.err, ==, "macd(close, 12)\n^\n"
                                "column 1: macd takes 3 arguments (x, fast, slow), found 2\n");
  cli (&path, NULL, "expr", "check", "--parse-only",
       "signals.5m.rsi > 70 and target_pnl_1h < -10", NULL);
  g_assert_cmpint (path.status, ==, 0);
  g_assert_cmpstr (path.out, ==, "ok: signals.5m.rsi > 70 and target_pnl_1h < -10\n");
  cli (&neg, NULL, "expr", "check", "--", "-close * 2", NULL);
  g_assert_cmpint (neg.status, ==, 0);
  g_assert_cmpstr (neg.out, ==, "ok: -close * 2\n");
  cli (&help, NULL, "indicator", "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "crosses_above(a, b)"));
}

/* import lean-result and backtest list|show|trades|equity|delete, with the expected values
 * read by hand from tests/data/lean-results (the file's own numbers, not the importer's). */
static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_backtest_lean_result (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "lean-results.db", NULL);
  g_autofree char *current = data_path ("lean-results", "1983772575.json");
  g_autofree char *legacy = data_path ("lean-results", "BasicTemplateAlgorithm.json");
  g_autofree char *bad = g_build_filename (tmpdir, "order-events.json", NULL);
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, f = { 0 }, g = { 0 };
  g_auto(Run) h = { 0 }, i = { 0 }, j = { 0 }, k = { 0 }, l = { 0 }, m = { 0 }, n = { 0 };
  g_auto(Run) o = { 0 }, p = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) row = NULL;
  JsonObject *obj, *stats;

  cli (&a, db, "import", "lean-result", current, "--json", NULL);
  g_assert_cmpint (a.status, ==, 0);
  root = parse_json (a.out);
  obj = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (obj, "run_id"), ==, 1);
  g_assert_false (json_object_get_boolean_member (obj, "already_imported"));
  g_assert_cmpstr (json_object_get_string_member (obj, "symbol"), ==, "SPY");
  g_assert_cmpint (json_object_get_int_member (obj, "equity_points"), ==, 692);
  g_assert_cmpint (json_object_get_int_member (obj, "trades"), ==, 26);
  g_assert_cmpint (json_object_get_int_member (obj, "orders"), ==, 52);
  /* No benchmark data and no resolution in the file. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "warnings")), ==,
                    2);
  g_clear_pointer (&root, json_node_unref);

  cli (&b, db, "import", "lean-result", legacy, "--interval", "1m", NULL);
  g_assert_cmpint (b.status, ==, 0);
  {
    g_autofree char *want = g_strdup_printf ("%s: backtest run 2: BasicTemplateAlgorithm on SPY, "
                                             "397 equity points, 0 trades, 1 orders\n", legacy);

    g_assert_cmpstr (b.out, ==, want);
  }
  g_assert_nonnull (strstr (b.err, "warning: missing statistic “Sortino Ratio”: sortino_ratio "
                                   "left empty"));
  /* The same bytes again: nothing new. */
  cli (&c, db, "import", "lean-result", current, NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_true (g_str_has_suffix (c.out, ": already imported as backtest run 1\n"));

  cli (&d, db, "backtest", "list", "--json", NULL);
  g_assert_cmpint (d.status, ==, 0);
  root = parse_json (d.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
  obj = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpint (json_object_get_int_member (obj, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (obj, "strategy"), ==, "BasicTemplateAlgorithm");
  g_assert_cmpstr (json_object_get_string_member (obj, "start"), ==, "2013-10-07T00:00:00Z");
  g_clear_pointer (&root, json_node_unref);
  cli (&e, db, "backtest", "list", "--strategy", "1983772575", NULL);
  g_assert_cmpint (e.status, ==, 0);
  lines = g_strsplit (e.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "    ID  CREATED"));
  /* Net Profit 1.831 %, Sharpe 1.4803, Drawdown 2.600 %, 26 trades */
  g_assert_nonnull (strstr (lines[1], "1.831    1.480    2.600      26"));
  g_clear_pointer (&lines, g_strfreev);

  /* show --json: "statistics" keyed by the backtest_runs columns, fractions. */
  cli (&f, db, "backtest", "show", "1", "--json", NULL);
  g_assert_cmpint (f.status, ==, 0);
  root = parse_json (f.out);
  obj = json_node_get_object (root);
  stats = json_object_get_object_member (obj, "statistics");
  g_assert_cmpint (json_object_get_int_member (obj, "id"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (obj, "cache_hit"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "strategy"), ==, "1983772575");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "params"),
                                                  "rsi_period"), ==, "14");
  g_assert_cmpint (json_object_get_int_member (obj, "trades"), ==, 26);
  g_assert_cmpint (json_object_get_int_member (obj, "execution_time_ms"), ==, 5000);
  /* statistics: "Net Profit": "1.831%", sharpeRatio "1.4803", "Drawdown": "2.600%",
   * "Total Fees": "$63.82", tradeStatistics.totalNumberOfTrades 26, "Total Orders": "52" */
  g_assert_cmpfloat (json_object_get_double_member (stats, "net_profit"), ==, 0.01831);
  g_assert_cmpfloat (json_object_get_double_member (stats, "sharpe_ratio"), ==, 1.4803);
  g_assert_cmpfloat (json_object_get_double_member (stats, "max_drawdown"), ==, 0.026);
  g_assert_cmpfloat (json_object_get_double_member (stats, "total_fees"), ==, 63.82);
  g_assert_cmpfloat (json_object_get_double_member (stats, "end_equity"), ==, 101831.37);
  g_assert_cmpint (json_object_get_int_member (stats, "total_trades"), ==, 26);
  g_assert_cmpint (json_object_get_int_member (stats, "total_orders"), ==, 52);
  g_assert_cmpstr (json_object_get_string_member (stats, "lowest_capacity_asset"), ==,
                   "SPY R735QTJ8XC9X");
  g_assert_true (json_object_get_null_member (stats, "calmar_ratio"));
  g_assert_true (json_object_get_null_member (stats, "pivot_highs_detected"));
  g_clear_pointer (&root, json_node_unref);
  cli (&g, db, "backtest", "show", "2", "--json", NULL);
  root = parse_json (g.out);
  stats = json_object_get_object_member (json_node_get_object (root), "statistics");
  g_assert_cmpint (json_object_get_int_member (stats, "total_orders"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (stats, "total_fees"), ==, 3.26);
  g_assert_true (json_object_get_null_member (stats, "sortino_ratio"));
  g_clear_pointer (&root, json_node_unref);

  /* trades: the first and last closedTrades of the file. */
  cli (&h, db, "backtest", "trades", "1", "--format", "csv", NULL);
  g_assert_cmpint (h.status, ==, 0);
  lines = g_strsplit (h.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 28);
  g_assert_cmpstr (lines[0], ==, "trade_no,entry_time,exit_time,side,quantity,entry_price,"
                                 "exit_price,pnl,pnl_pct,fees,mfe_pct,mae_pct,bars_held,"
                                 "exit_reason");
  /* {"entryTime": "2023-01-03T15:19:00Z", "entryPrice": 380.57, "direction": 0,
   *  "quantity": 249.0, "exitTime": "2023-01-03T18:27:00Z", "exitPrice": 379.55,
   *  "profitLoss": -253.98, "totalFees": 2.49, "mae": -632.46, "mfe": 420.81} */
  row = g_strsplit (lines[1], ",", -1);
  g_assert_cmpuint (g_strv_length (row), ==, 14);
  g_assert_cmpstr (row[0], ==, "1");
  g_assert_cmpstr (row[1], ==, "2023-01-03T15:19:00Z");
  g_assert_cmpstr (row[2], ==, "2023-01-03T18:27:00Z");
  g_assert_cmpstr (row[3], ==, "long");
  g_assert_cmpstr (row[4], ==, "249");
  g_assert_cmpstr (row[5], ==, "380.57");
  g_assert_cmpstr (row[6], ==, "379.55");
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[7], NULL), -253.98 - 2.49, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[8], NULL),
                                  (-253.98 - 2.49) / (380.57 * 249) * 100, 1e-12);
  g_assert_cmpstr (row[9], ==, "2.49");
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[10], NULL), 420.81 / (380.57 * 249) * 100,
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (row[11], NULL), 632.46 / (380.57 * 249) * 100,
                                  1e-12);
  g_assert_cmpstr (row[12], ==, "");
  g_assert_cmpstr (row[13], ==, "");
  g_clear_pointer (&row, g_strfreev);
  /* The last: 2023-01-27T20:48:00Z at 406.68 to 2023-01-30T18:19:00Z at 402.96, 239 shares,
   * profitLoss -889.08, totalFees 2.39. */
  row = g_strsplit (lines[26], ",", -1);
  g_assert_cmpstr (row[0], ==, "26");
  g_assert_cmpstr (row[1], ==, "2023-01-27T20:48:00Z");
  g_assert_cmpstr (row[2], ==, "2023-01-30T18:19:00Z");
  g_assert_cmpstr (row[4], ==, "239");
  g_assert_cmpstr (row[5], ==, "406.68");
  g_assert_cmpstr (row[6], ==, "402.96");
  g_assert_cmpstr (row[7], ==, "-891.47");
  g_clear_pointer (&row, g_strfreev);
  g_clear_pointer (&lines, g_strfreev);
  cli (&i, db, "backtest", "trades", "2", NULL);
  g_assert_cmpint (i.status, ==, 0);
  g_assert_true (g_str_has_prefix (i.out, "trade_no,entry_time,"));
  g_assert_nonnull (strchr (i.out, '\n'));
  g_assert_cmpstr (strchr (i.out, '\n'), ==, "\n");

  /* equity: 692 points, [1672549200, 100000.0, …] first, [1675198800, 101831.37, …] last. */
  cli (&j, db, "backtest", "equity", "1", NULL);
  g_assert_cmpint (j.status, ==, 0);
  lines = g_strsplit (j.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 694);
  g_assert_cmpstr (lines[0], ==, "timestamp,equity,cash,holdings,drawdown,benchmark");
  g_assert_cmpstr (lines[1], ==, "2023-01-01T05:00:00Z,100000,,,0,");
  g_assert_true (g_str_has_prefix (lines[692], "2023-01-31T21:00:00Z,101831.37,,,"));
  g_clear_pointer (&lines, g_strfreev);
  cli (&k, db, "backtest", "equity", "2", "--format", "json", NULL);
  g_assert_cmpint (k.status, ==, 0);
  root = parse_json (k.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 397);
  obj = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "timestamp"), ==, "2013-10-07T00:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (obj, "equity"), ==, 100000);
  /* Charts["Benchmark"]: {"x": 1381104000, "y": 154.3155} */
  g_assert_cmpfloat (json_object_get_double_member (obj, "benchmark"), ==, 154.3155);
  g_clear_pointer (&root, json_node_unref);

  /* Errors: not a result (exit 2), an unknown run (exit 1), a bad ID (exit 2). */
  g_assert_true (g_file_set_contents (bad, "[{\"orderId\": 1, \"status\": \"filled\"}]", -1,
                                      NULL));
  cli (&l, db, "import", "lean-result", bad, NULL);
  g_assert_cmpint (l.status, ==, 2);
  g_assert_nonnull (strstr (l.err, "not a LEAN backtest result"));
  cli (&m, db, "backtest", "show", "7", NULL);
  g_assert_cmpint (m.status, ==, 1);
  g_assert_cmpstr (m.err, ==, "hindsight-cli: no backtest run 7\n");
  cli (&n, db, "backtest", "trades", "x1", NULL);
  g_assert_cmpint (n.status, ==, 2);

  /* delete: the run, its trades and equity go. */
  cli (&o, db, "backtest", "delete", "1", NULL);
  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpstr (o.out, ==, "deleted backtest run 1\n");
  cli (&p, db, "backtest", "list", "--json", NULL);
  root = parse_json (p.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
}

/* strategies and backtest over 2006-day-001.txt. sma_cross(10, 30) trades as test-strategy.c
 * works out from the crossing dates: long 2006-05-02 at 3839.24 → 2006-05-16 at 3711.46, and
 * three more (4 trades, 7 orders: the last trade is still open at the end). An identical request
 * is answered from the store; a rule set with the same rules trades the same. */
static void
test_backtest (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "backtest.db", NULL);
  g_autofree char *path = data_path ("backtrader", "2006-day-001.txt");
  g_autofree char *rules = g_build_filename (tmpdir, "sma-rules.json", NULL);
  g_autofree char *bad_rules = g_build_filename (tmpdir, "bad-rules.json", NULL);
  g_auto(Run) imp = { 0 }, list = { 0 }, first = { 0 }, again = { 0 }, other = { 0 };
  g_auto(Run) viarules = { 0 }, text = { 0 }, e1 = { 0 }, e2 = { 0 }, e3 = { 0 }, e4 = { 0 };
  g_auto(Run) e5 = { 0 }, show = { 0 }, nocache = { 0 };
  g_autoptr(JsonParser) p1 = json_parser_new (), p2 = json_parser_new ();
  g_autoptr(JsonParser) p3 = json_parser_new (), p4 = json_parser_new ();
  g_autoptr(JsonParser) p5 = json_parser_new (), p6 = json_parser_new ();
  JsonObject *o1, *o2, *stats, *t0;
  JsonArray *trades;
  int64_t id1;

  g_unlink (db);
  cli (&imp, db, "import", "bars", path, "--symbol", "X", "--interval", "1d", NULL);
  g_assert_cmpint (imp.status, ==, 0);

  /* strategies --json: every strategy with its parameter specs. */
  cli (&list, NULL, "strategies", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p1, list.out, -1, NULL));
  {
    JsonArray *arr = json_node_get_array (json_parser_get_root (p1));
    JsonObject *sma = json_array_get_object_element (arr, 0);
    JsonObject *fast = json_array_get_object_element (
      json_object_get_array_member (sma, "parameters"), 0);

    g_assert_cmpuint (json_array_get_length (arr), ==, 9);
    g_assert_cmpstr (json_object_get_string_member (sma, "name"), ==, "sma_cross");
    g_assert_cmpstr (json_object_get_string_member (sma, "version"), ==, "1");
    g_assert_cmpstr (json_object_get_string_member (fast, "name"), ==, "fast");
    g_assert_cmpstr (json_object_get_string_member (fast, "type"), ==, "int");
    g_assert_cmpint (json_object_get_int_member (fast, "default"), ==, 10);
    g_assert_cmpint (json_object_get_int_member (fast, "min"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (fast, "max"), ==, 1000);
    g_assert_cmpint (json_object_get_int_member (fast, "step"), ==, 1);
    g_assert_true (strlen (json_object_get_string_member (fast, "help")) > 0);
  }

  /* A computed run, stored. */
  cli (&first, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--json", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p2, first.out, -1, NULL));
  o1 = json_node_get_object (json_parser_get_root (p2));
  id1 = json_object_get_int_member (o1, "id");
  g_assert_cmpint (id1, >, 0);
  g_assert_cmpint (json_object_get_int_member (o1, "cache_hit"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (o1, "strategy"), ==, "sma_cross");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o1, "params"),
                                               "fast"), ==, 10);
  stats = json_object_get_object_member (o1, "statistics");
  g_assert_cmpint (json_object_get_int_member (stats, "total_trades"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (stats, "total_orders"), ==, 7);
  g_assert_true (json_object_has_member (stats, "sharpe_ratio"));
  g_assert_true (json_object_has_member (stats, "pivot_highs_detected"));
  trades = json_object_get_array_member (o1, "trades");
  g_assert_cmpuint (json_array_get_length (trades), ==, 4);
  t0 = json_array_get_object_element (trades, 0);
  g_assert_cmpstr (json_object_get_string_member (t0, "entry_time"), ==, "2006-05-02T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (t0, "exit_time"), ==, "2006-05-16T00:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (t0, "entry_price"), ==, 3839.24);
  g_assert_cmpfloat (json_object_get_double_member (t0, "exit_price"), ==, 3711.46);
  g_assert_cmpstr (json_object_get_string_member (t0, "exit_reason"), ==, "signal");
  g_assert_cmpstr (json_object_get_string_member (
    json_object_get_object_member (json_object_get_object_member (t0, "signal"), "entry"),
    "event"), ==, "cross_above");

  /* The same request again: from the cache, a new row, the same numbers. */
  cli (&again, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--json", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p3, again.out, -1, NULL));
  o2 = json_node_get_object (json_parser_get_root (p3));
  g_assert_cmpint (json_object_get_int_member (o2, "cache_hit"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o2, "id"), >, id1);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o2,
                                                                                   "statistics"),
                                                    "net_profit"), ==,
                     json_object_get_double_member (stats, "net_profit"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o2, "trades")), ==, 4);

  /* Another parameter, fees or sizing: computed anew. */
  cli (&other, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--param", "fast=5", "--fee-model", "ibkr", "--size", "fixed:10", "--json", NULL);
  g_assert_cmpint (other.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p4, other.out, -1, NULL));
  {
    JsonObject *o = json_node_get_object (json_parser_get_root (p4));
    JsonObject *st = json_object_get_object_member (o, "statistics");
    JsonObject *t = json_array_get_object_element (json_object_get_array_member (o, "trades"), 0);

    g_assert_cmpint (json_object_get_int_member (o, "cache_hit"), ==, 0);
    /* 10 shares at ~3,600: 0.005 × 10 = 0.05 → the 1.00 minimum per order. */
    g_assert_cmpfloat (json_object_get_double_member (t, "fees"), ==, 2);
    g_assert_cmpfloat (json_object_get_double_member (t, "quantity"), ==, 10);
    g_assert_cmpfloat (json_object_get_double_member (st, "total_fees"), ==,
                       json_object_get_int_member (st, "total_orders"));
  }
  /* --no-cache runs again although an identical run is stored. */
  cli (&nocache, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--no-cache", "--json", NULL);
  g_assert_cmpint (nocache.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p6, nocache.out, -1, NULL));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (p6)),
                                               "cache_hit"), ==, 0);

  /* A rule set equal to sma_cross: the same trades. */
  g_assert_true (g_file_set_contents (rules,
    "{\"name\": \"sma rules\", \"side\": \"long\",\n"
    " \"entry\": \"crosses_above(sma(close, 10), sma(close, 30))\",\n"
    " \"exit\": \"crosses_below(sma(close, 10), sma(close, 30))\"}\n", -1, NULL));
  cli (&viarules, db, "backtest", "--symbol", "X", "--interval", "1d", "--rules", rules,
       "--json", NULL);
  g_assert_cmpint (viarules.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p5, viarules.out, -1, NULL));
  {
    JsonObject *o = json_node_get_object (json_parser_get_root (p5));
    JsonArray *tr = json_object_get_array_member (o, "trades");

    g_assert_cmpstr (json_object_get_string_member (o, "strategy"), ==, "sma rules");
    g_assert_cmpuint (json_array_get_length (tr), ==, 4);
    for (guint i = 0; i < 4; i++)
      {
        JsonObject *a = json_array_get_object_element (tr, i);
        JsonObject *b = json_array_get_object_element (trades, i);

        g_assert_cmpstr (json_object_get_string_member (a, "entry_time"), ==,
                         json_object_get_string_member (b, "entry_time"));
        g_assert_cmpfloat (json_object_get_double_member (a, "pnl"), ==,
                           json_object_get_double_member (b, "pnl"));
      }
  }

  /* Text: the statistics by LEAN's names and how to list the trades (not the trades: a long
   * run has tens of thousands). */
  cli (&text, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy",
       "rsi_reversion", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Sharpe Ratio"));
  g_assert_nonnull (strstr (text.out, "\n1 trade: hindsight-cli backtest trades "));
  g_assert_null (strstr (text.out, "2006-05-18T00:00:00Z"));

  /* The stored run, through backtest show. */
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id1);

    cli (&show, db, "backtest", "show", id_text, "--json", NULL);
    g_assert_cmpint (show.status, ==, 0);
    g_assert_nonnull (strstr (show.out, "\"strategy\":\"sma_cross\""));
  }

  /* Errors: bad requests exit 2, a missing symbol 1. */
  cli (&e1, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--param", "fast=50", NULL);
  g_assert_cmpint (e1.status, ==, 2);
  g_assert_cmpstr (e1.err, ==, "hindsight-cli: sma_cross: fast (50) must be less than slow (30)\n");
  cli (&e2, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy", "nope", NULL);
  g_assert_cmpint (e2.status, ==, 2);
  g_assert_true (g_file_set_contents (bad_rules, "{\"name\": \"x\", \"side\": \"long\", "
                                      "\"entry\": \"sma(close,\", \"exit\": \"1\"}", -1, NULL));
  cli (&e3, db, "backtest", "--symbol", "X", "--interval", "1d", "--rules", bad_rules, NULL);
  g_assert_cmpint (e3.status, ==, 2);
  g_assert_nonnull (strstr (e3.err, "entry: column 11: expected an expression, found end of "
                                    "input"));
  cli (&e4, db, "backtest", "--symbol", "NOPE", "--interval", "1d", "--strategy", "sma_cross",
       NULL);
  g_assert_cmpint (e4.status, ==, 1);
  cli (&e5, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--fee-model", "cheap", NULL);
  g_assert_cmpint (e5.status, ==, 2);

  /* The lean profile: SetHoldings sizing, the order fills at the second bar's open
   * (market-on-open on daily bars), LEAN's statistics; a missing rate series is an error. */
  {
    g_auto(Run) lean = { 0 }, norate = { 0 };
    g_autoptr(JsonParser) pl = json_parser_new ();
    JsonObject *o, *t;

    cli (&lean, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy",
         "buy_and_hold", "--profile", "lean", "--fee-model", "ibkr", "--json", NULL);
    g_assert_cmpint (lean.status, ==, 0);
    g_assert_true (json_parser_load_from_data (pl, lean.out, -1, NULL));
    o = json_node_get_object (json_parser_get_root (pl));
    t = json_array_get_object_element (json_object_get_array_member (o, "trades"), 0);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "statistics"),
                                                 "total_orders"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (t, "entry_time"), ==,
                     "2006-01-03T21:00:00Z");
    /* floor (100,000 × 0.9975 / 3604.33) = 27 shares at the 2006-01-03 open 3604.08. */
    g_assert_cmpfloat (json_object_get_double_member (t, "quantity"), ==, 27);
    g_assert_cmpfloat (json_object_get_double_member (t, "entry_price"), ==, 3604.08);
    cli (&norate, db, "backtest", "--symbol", "X", "--interval", "1d", "--strategy",
         "buy_and_hold", "--risk-free", "nope", NULL);
    g_assert_cmpint (norate.status, ==, 1);
  }
}

/* metrics and import rates. The equity curve below starts at 100 and closes three UTC days at
 * 110, 99 and 108.9: daily returns +10 %, −10 %, +10 %. By hand (default profile, 252 days):
 * mean 1/30, sample sd 0.1154701, Sharpe (1/30) / 0.1154701 · √252 = 4.5825757; downside
 * deviation √(0.01/3) = 0.0577350, Sortino 9.1651514; annual variance 0.0133333 · 252 = 3.36;
 * drawdown 110 → 99 = 10 %. Trades +10, −11, +9.9 on capital 100, 110, 99: average win 0.1,
 * average loss −0.1, win rate 2/3, expectancy 2/3 · 1 − 1/3 = 1/3. */
static const char metrics_equity[] =
  "timestamp,equity\n"
  "2024-01-01T00:00:00Z,100\n"
  "2024-01-01T21:00:00Z,110\n"
  "2024-01-02T21:00:00Z,99\n"
  "2024-01-03T21:00:00Z,108.9\n";

static JsonObject *
metrics_object (JsonNode  **root,
                const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  *root = json_node_copy (json_parser_get_root (parser));
  return json_node_get_object (*root);
}

static void
test_metrics (void)
{
  g_autofree char *eq = g_build_filename (tmpdir, "metrics-equity.csv", NULL);
  g_autofree char *tr = g_build_filename (tmpdir, "metrics-trades.csv", NULL);
  g_autofree char *bm = g_build_filename (tmpdir, "metrics-bench.csv", NULL);
  g_auto(Run) json = { 0 }, table = { 0 }, bench = { 0 }, rf = { 0 };
  g_autoptr(JsonNode) root = NULL, root2 = NULL, root3 = NULL;
  JsonObject *o;

  g_assert_true (g_file_set_contents (eq, metrics_equity, -1, NULL));
  g_assert_true (g_file_set_contents (tr, "entry_time,exit_time,pnl,fees\n"
                                          "2024-01-01T14:00:00Z,2024-01-01T21:00:00Z,10,1\n"
                                          "2024-01-02T14:00:00Z,2024-01-02T21:00:00Z,-11,1\n"
                                          "2024-01-03T18:00:00Z,2024-01-03T21:00:00Z,9.9,1\n",
                                      -1, NULL));
  /* A benchmark moving half as much: beta 2, Treynor (1/30 · 252) / 2 = 4.2. */
  g_assert_true (g_file_set_contents (bm, "timestamp,value\n2023-12-29T21:00:00Z,50\n"
                                          "2024-01-01T21:00:00Z,52.5\n2024-01-02T21:00:00Z,49.875\n"
                                          "2024-01-03T21:00:00Z,52.36875\n", -1, NULL));

  cli (&json, NULL, "metrics", "--equity", eq, "--trades", tr, "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.err ? json.err : "", ==, "");
  o = metrics_object (&root, json.out);
  g_assert_cmpuint (json_object_get_size (o), ==, 42);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "sharpe_ratio"),
                                  4.58257569495584, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "sortino_ratio"),
                                  9.16515138991168, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "annual_variance"), 3.36, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "max_drawdown"), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "net_profit"), 0.089, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "expectancy"), 1.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "win_rate"), 2.0 / 3, 1e-12);
  g_assert_cmpfloat (json_object_get_double_member (o, "total_fees"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "total_trades"), ==, 3);
  g_assert_true (json_object_get_null_member (o, "beta"));
  g_assert_true (json_object_get_null_member (o, "probabilistic_sharpe_ratio"));

  /* The table: LEAN's names and formatting. */
  cli (&table, NULL, "metrics", "--equity", eq, "--trades", tr, NULL);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "Sharpe Ratio                 4.583\n"));
  g_assert_nonnull (strstr (table.out, "Net Profit                   8.900%\n"));
  g_assert_nonnull (strstr (table.out, "Win Rate                     67%\n"));
  g_assert_nonnull (strstr (table.out, "Average Win                  10.0%\n"));
  g_assert_nonnull (strstr (table.out, "Total Fees                   $3.00\n"));
  g_assert_nonnull (strstr (table.out, "Beta                         -\n"));

  cli (&bench, NULL, "metrics", "--equity", eq, "--benchmark", bm, "--json", NULL);
  g_assert_cmpint (bench.status, ==, 0);
  o = metrics_object (&root2, bench.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "beta"), 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "treynor_ratio"), 4.2, 1e-9);

  /* 2 % a year: 0.02/252 off each daily return. */
  cli (&rf, NULL, "metrics", "--equity", eq, "--risk-free", "2%", "--json", NULL);
  g_assert_cmpint (rf.status, ==, 0);
  o = metrics_object (&root3, rf.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "sharpe_ratio"),
                                  (1.0 / 30 - 0.02 / 252) / 0.11547005383792516 * sqrt (252), 1e-9);
}

static void
test_metrics_bad_input (void)
{
  g_autofree char *bad_time = g_build_filename (tmpdir, "bad-time.csv", NULL);
  g_autofree char *bad_value = g_build_filename (tmpdir, "bad-value.csv", NULL);
  g_autofree char *bad_order = g_build_filename (tmpdir, "bad-order.csv", NULL);
  g_autofree char *bad_header = g_build_filename (tmpdir, "bad-header.csv", NULL);
  g_autofree char *eq = g_build_filename (tmpdir, "ok-equity.csv", NULL);
  g_auto(Run) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, f = { 0 }, g = { 0 };

  g_assert_true (g_file_set_contents (bad_time, "timestamp,equity\n2024-01-01,100\n"
                                                "2024-13-01,101\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad_value, "timestamp,equity\n2024-01-01,100\n"
                                                 "2024-01-02,abc\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad_order, "timestamp,equity\n2024-01-02,100\n"
                                                 "2024-01-01,101\n", -1, NULL));
  g_assert_true (g_file_set_contents (bad_header, "when,equity\n2024-01-01,100\n", -1, NULL));
  g_assert_true (g_file_set_contents (eq, metrics_equity, -1, NULL));

  cli (&a, NULL, "metrics", "--equity", bad_time, NULL);
  g_assert_cmpint (a.status, ==, 2);
  g_assert_nonnull (strstr (a.err, "bad-time.csv:3: "));
  cli (&b, NULL, "metrics", "--equity", bad_value, NULL);
  g_assert_cmpint (b.status, ==, 2);
  g_assert_nonnull (strstr (b.err, "bad-value.csv:3: equity “abc” is not a number"));
  cli (&c, NULL, "metrics", "--equity", bad_order, NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "bad-order.csv:3: the time is not after the previous row's"));
  cli (&d, NULL, "metrics", "--equity", bad_header, NULL);
  g_assert_cmpint (d.status, ==, 2);
  g_assert_nonnull (strstr (d.err, "bad-header.csv:1: the header must name a time column"));
  cli (&e, NULL, "metrics", "--equity", eq, "--profile", "quantopian", NULL);
  g_assert_cmpint (e.status, ==, 2);
  cli (&f, NULL, "metrics", "--equity", eq, "--risk-free", "lots", NULL);
  g_assert_cmpint (f.status, ==, 2);
  cli (&g, NULL, "metrics", NULL);
  g_assert_cmpint (g.status, ==, 2);
}

static void
test_import_rates (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "rates.db", NULL);
  g_autofree char *csv = data_path ("lean", "usa_interest_rate_primary_credit.csv");
  g_autofree char *eq = g_build_filename (tmpdir, "rates-equity.csv", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "bad-rates.csv", NULL);
  g_auto(Run) first = { 0 }, again = { 0 }, named = { 0 }, with = { 0 }, missing = { 0 };
  g_auto(Run) refused = { 0 }, none = { 0 };
  g_autoptr(JsonNode) root = NULL, root2 = NULL;
  JsonObject *o;

  /* 56 rows, 2003-01-09 (2.25 %) to 2023-07-27 (5.5 %). */
  cli (&first, db, "import", "rates", csv, "--json", NULL);
  g_assert_cmpint (first.status, ==, 0);
  o = metrics_object (&root, first.out);
  g_assert_cmpstr (json_object_get_string_member (o, "series"), ==, "fed_primary_credit");
  g_assert_cmpint (json_object_get_int_member (o, "rows"), ==, 56);
  g_assert_cmpint (json_object_get_int_member (o, "inserted"), ==, 56);
  g_assert_cmpstr (json_object_get_string_member (o, "first"), ==, "2003-01-09T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (o, "last"), ==, "2023-07-27T00:00:00Z");
  /* Again: nothing new. */
  cli (&again, db, "import", "rates", csv, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "56 rate rows for series fed_primary_credit, 0 new, 56 "
                                       "already stored"));
  cli (&named, db, "import", "rates", csv, "--series", "copy", NULL);
  g_assert_cmpint (named.status, ==, 0);
  g_assert_nonnull (strstr (named.out, "56 new"));

  /* The series as the risk-free rate: January 2024 is at 5.5 %, so 0.055/252 comes off each
   * daily return. */
  g_assert_true (g_file_set_contents (eq, metrics_equity, -1, NULL));
  cli (&with, db, "metrics", "--equity", eq, "--risk-free", "series:copy", "--json", NULL);
  g_assert_cmpint (with.status, ==, 0);
  o = metrics_object (&root2, with.out);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "sharpe_ratio"),
                                  (1.0 / 30 - 0.055 / 252) / 0.11547005383792516 * sqrt (252),
                                  1e-9);
  cli (&missing, db, "metrics", "--equity", eq, "--risk-free", "series:nope", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "no rate series “nope”"));

  /* A bad row refuses the whole file. */
  g_assert_true (g_file_set_contents (bad, "date,rate_percent\n2030-01-01,1\n2030-02-01,x\n", -1,
                                      NULL));
  cli (&refused, db, "import", "rates", bad, "--series", "bad", "--json", NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "bad-rates.csv:3: rate “x” is not a percentage"));
  cli (&none, db, "metrics", "--equity", eq, "--risk-free", "series:bad", NULL);
  g_assert_cmpint (none.status, ==, 1);
}

/* sweep and walkforward (src/cli/hs-cli-sweep.c): exit statuses and JSON shapes. */
static void
test_sweep_walkforward (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "sweep.db", NULL);
  g_autofree char *path = data_path ("backtrader", "2006-day-001.txt");
  g_auto(Run) imp = { 0 }, sw = { 0 }, all = { 0 }, text = { 0 }, list = { 0 }, wf = { 0 };
  g_auto(Run) show = { 0 };
  g_autoptr(JsonParser) p1 = json_parser_new (), p2 = json_parser_new ();
  g_autoptr(JsonParser) p3 = json_parser_new (), p4 = json_parser_new ();
  g_autoptr(JsonParser) p5 = json_parser_new ();
  JsonObject *o, *dsr, *first;
  JsonArray *top, *windows;
  static const char *const bad[][4] = {
    { "--param", "fast=10:5", NULL, NULL },              /* STOP before START */
    { "--param", "fast=0:5", NULL, NULL },               /* below the minimum */
    { "--param", "nope=1:5", NULL, NULL },               /* no such parameter */
    { "--rank", "luck", NULL, NULL },                    /* not a statistic */
    { "--jobs", "-1", NULL, NULL },
    { "--top", "-1", NULL, NULL },
    { "--param", "fast=30:40", "--param", "slow=20:30" },   /* every combination refused */
  };

  g_unlink (db);
  cli (&imp, db, "import", "bars", path, "--symbol", "X", "--interval", "1d", NULL);
  g_assert_cmpint (imp.status, ==, 0);

  /* fast 2…10 × slow 10, 20, 30: 15 combinations, fast = slow = 10 refused. */
  cli (&sw, db, "sweep", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--param", "fast=2:10:2", "--param", "slow=10:30:10", "--fee-model", "ibkr", "--jobs",
       "2", "--json", NULL);
  g_assert_cmpint (sw.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p1, sw.out, -1, NULL));
  o = json_node_get_object (json_parser_get_root (p1));
  g_assert_cmpint (json_object_get_int_member (o, "grid_size"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (o, "combinations"), ==, 14);
  g_assert_cmpint (json_object_get_int_member (o, "skipped"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "failed"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "rank"), ==, "sharpe_ratio");
  g_assert_cmpstr (json_object_get_string_member (o, "order"), ==, "descending");
  g_assert_cmpstr (json_object_get_string_member (o, "strategy"), ==, "sma_cross");
  g_assert_true (strlen (json_object_get_string_member (o, "batch_id")) > 0);
  dsr = json_object_get_object_member (o, "deflated_sharpe");
  g_assert_cmpfloat (json_object_get_double_member (dsr, "value"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (dsr, "value"), <, 1);
  g_assert_cmpint (json_object_get_int_member (dsr, "trials"), ==, 14);
  g_assert_cmpint (json_object_get_int_member (dsr, "returns"), >, 200);
  top = json_object_get_array_member (o, "top");
  g_assert_cmpuint (json_array_get_length (top), ==, 10);
  first = json_array_get_object_element (top, 0);
  g_assert_cmpint (json_object_get_int_member (first, "rank"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (first, "run_id"), ==,
                   json_object_get_int_member (o, "best_run_id"));
  g_assert_cmpfloat (json_object_get_double_member (first, "value"), ==,
                     json_object_get_double_member (
                       json_object_get_object_member (first, "statistics"), "sharpe_ratio"));
  g_assert_true (json_object_has_member (json_object_get_object_member (first, "params"),
                                         "fast"));
  for (guint i = 1; i < json_array_get_length (top); i++)
    {
      JsonObject *a = json_array_get_object_element (top, i - 1);
      JsonObject *b = json_array_get_object_element (top, i);

      if (!json_object_get_null_member (b, "value"))
        g_assert_cmpfloat (json_object_get_double_member (a, "value"), >=,
                           json_object_get_double_member (b, "value"));
    }

  /* --top 0: all of them; every combination stored again as its own batch. */
  cli (&all, db, "sweep", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--param", "fast=2:10:2", "--param", "slow=10:30:10", "--fee-model", "ibkr", "--top", "0",
       "--rank", "max_drawdown", "--json", NULL);
  g_assert_cmpint (all.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p2, all.out, -1, NULL));
  o = json_node_get_object (json_parser_get_root (p2));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "top")), ==, 14);
  g_assert_cmpstr (json_object_get_string_member (o, "order"), ==, "ascending");
  cli (&list, db, "backtest", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p3, list.out, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (p3))), ==,
                    28);

  /* Text: the table and the deflated Sharpe ratio. */
  cli (&text, db, "sweep", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--param", "fast=5,10", "--param", "slow=30", "--top", "1", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "2 combinations run"));
  g_assert_nonnull (strstr (text.out, "deflated Sharpe of the best: "));
  g_assert_true (text.err == NULL || text.err[0] == '\0');   /* no progress off a tty */

  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Run) r = { 0 };

      cli (&r, db, "sweep", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
           bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_true (r.out == NULL || r.out[0] == '\0');
    }
  {
    g_auto(Run) r = { 0 }, r2 = { 0 };

    cli (&r, db, "sweep", "--symbol", "X", "--interval", "1d", NULL);
    g_assert_cmpint (r.status, ==, 2);
    cli (&r2, db, "sweep", "--symbol", "NOPE", "--interval", "1d", "--strategy", "sma_cross",
         NULL);
    g_assert_cmpint (r2.status, ==, 1);
  }

  /* walkforward: 255 bars, 100 in sample and 50 out: 4 windows. */
  cli (&wf, db, "walkforward", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
       "--param", "fast=2:10:4", "--param", "slow=10:30:10", "--train", "100", "--test", "50",
       "--json", NULL);
  g_assert_cmpint (wf.status, ==, 0);
  g_assert_true (json_parser_load_from_data (p4, wf.out, -1, NULL));
  o = json_node_get_object (json_parser_get_root (p4));
  g_assert_cmpint (json_object_get_int_member (o, "id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "train"), ==, "100");
  g_assert_cmpstr (json_object_get_string_member (o, "rank"), ==, "sharpe_ratio");
  g_assert_cmpint (json_object_get_int_member (o, "combinations"), ==, 8);
  windows = json_object_get_array_member (o, "windows");
  g_assert_cmpuint (json_array_get_length (windows), ==, 4);
  for (guint k = 0; k < 4; k++)
    {
      JsonObject *w = json_array_get_object_element (windows, k);

      g_assert_cmpint (json_object_get_int_member (w, "window"), ==, k + 1);
      g_assert_true (json_object_has_member (json_object_get_object_member (w, "params"),
                                             "slow"));
      g_assert_true (json_object_has_member (w, "test_start"));
      g_assert_true (json_object_has_member (w, "end_equity"));
      if (k > 0)
        {
          JsonObject *prev = json_array_get_object_element (windows, k - 1);

          g_assert_cmpfloat (json_object_get_double_member (w, "start_equity"), ==,
                             json_object_get_double_member (prev, "end_equity"));
          g_assert_cmpstr (json_object_get_string_member (w, "test_start"), ==,
                           json_object_get_string_member (prev, "test_end"));
        }
    }
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "statistics"),
                                         "sharpe_ratio"));
  g_assert_nonnull (json_object_get_array_member (o, "trades"));
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                           json_object_get_int_member (o, "id"));
    JsonObject *params;

    cli (&show, db, "backtest", "show", id, "--json", NULL);
    g_assert_cmpint (show.status, ==, 0);
    g_assert_true (json_parser_load_from_data (p5, show.out, -1, NULL));
    params = json_object_get_object_member (json_node_get_object (json_parser_get_root (p5)),
                                            "params");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (params, "windows")),
                      ==, 4);
    g_assert_true (json_object_get_boolean_member (params, "walkforward"));
  }
  {
    static const char *const wbad[][4] = {
      { "--train", "100", NULL, NULL },                  /* no --test */
      { "--train", "soon", "--test", "50" },
      { "--train", "100", "--test", "30d" },             /* bars and a duration */
      { "--train", "1000", "--test", "50" },             /* no out-of-sample bars */
      { "--train", "100", "--test", "50" },              /* with --profile lean below */
    };

    for (size_t i = 0; i < G_N_ELEMENTS (wbad); i++)
      {
        g_auto(Run) r = { 0 };

        cli (&r, db, "walkforward", "--symbol", "X", "--interval", "1d", "--strategy",
             "sma_cross", "--param", "fast=5,10", wbad[i][0], wbad[i][1],
             i == 4 ? "--profile" : wbad[i][2], i == 4 ? "lean" : wbad[i][3],
             i == 4 ? wbad[i][2] : NULL, i == 4 ? wbad[i][3] : NULL, NULL);
        g_assert_cmpint (r.status, ==, 2);
      }
  }
}

/* ---- LEAN's two public reference runs from the database (LEAN-CONVENTIONS.md) ---- */

static const char * const lean_minute_expected[][2] = {
  { "Total Orders", "1" }, { "Average Win", "0%" }, { "Average Loss", "0%" },
  { "Compounding Annual Return", "271.453%" }, { "Drawdown", "2.200%" },
  { "Expectancy", "0" }, { "Start Equity", "100000" }, { "End Equity", "101691.92" },
  { "Net Profit", "1.692%" }, { "Sharpe Ratio", "8.854" }, { "Sortino Ratio", "0" },
  { "Probabilistic Sharpe Ratio", "67.459%" }, { "Loss Rate", "0%" }, { "Win Rate", "0%" },
  { "Profit-Loss Ratio", "0" }, { "Alpha", "-0.005" }, { "Beta", "0.996" },
  { "Annual Standard Deviation", "0.222" }, { "Annual Variance", "0.049" },
  { "Information Ratio", "-14.565" }, { "Tracking Error", "0.001" },
  { "Treynor Ratio", "1.97" }, { "Total Fees", "$3.44" },
  { "Estimated Strategy Capacity", "$56000000.00" },
  { "Lowest Capacity Asset", "SPY R735QTJ8XC9X" }, { "Portfolio Turnover", "19.93%" },
  { "Drawdown Recovery", "3" },
};

static const char * const lean_daily_expected[][2] = {
  { "Total Orders", "1" }, { "Average Win", "0%" }, { "Average Loss", "0%" },
  { "Compounding Annual Return", "424.375%" }, { "Drawdown", "0.800%" },
  { "Expectancy", "0" }, { "Start Equity", "100000" }, { "End Equity", "104486.22" },
  { "Net Profit", "4.486%" }, { "Sharpe Ratio", "17.304" }, { "Sortino Ratio", "35.217" },
  { "Probabilistic Sharpe Ratio", "96.710%" }, { "Loss Rate", "0%" }, { "Win Rate", "0%" },
  { "Profit-Loss Ratio", "0" }, { "Alpha", "-0.249" }, { "Beta", "1.015" },
  { "Annual Standard Deviation", "0.141" }, { "Annual Variance", "0.02" },
  { "Information Ratio", "-19" }, { "Tracking Error", "0.011" },
  { "Treynor Ratio", "2.403" }, { "Total Fees", "$3.49" },
  { "Estimated Strategy Capacity", "$1200000000.00" },
  { "Lowest Capacity Asset", "SPY R735QTJ8XC9X" }, { "Portfolio Turnover", "10.01%" },
  { "Drawdown Recovery", "1" },
};

/* The text output's statistics, "Name" padded to 30 columns, a space and the value as LEAN
 * prints it: each of the table's 27 must be there with LEAN's text. */
static void
check_lean_table (const char        *out,
                  const char * const expected[][2],
                  size_t             n)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (size_t i = 0; i < n; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%-30s ", expected[i][0]);
      const char *value = NULL;

      for (size_t k = 0; lines[k] != NULL && value == NULL; k++)
        if (g_str_has_prefix (lines[k], prefix))
          value = lines[k] + strlen (prefix);
      if (g_strcmp0 (value, expected[i][1]) != 0)
        g_printerr ("%s: ours %s, LEAN %s\n", expected[i][0], value, expected[i][1]);
      g_assert_cmpstr (value, ==, expected[i][1]);
    }
}

static JsonObject *
lean_first_trade (JsonNode  **root,
                  const char *json)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  JsonObject *o;

  g_assert_true (json_parser_load_from_data (p, json, -1, NULL));
  *root = json_node_copy (json_parser_get_root (p));
  o = json_node_get_object (*root);
  return json_array_get_object_element (json_object_get_array_member (o, "trades"), 0);
}

static void
lean_import (const char *db,
             const char *kind,
             const char *file,
             ...)
{
  g_autofree char *path = data_path ("lean", file);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("HS_CLI"));
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, (char *) db);
  g_ptr_array_add (args, "import");
  g_ptr_array_add (args, (char *) kind);
  g_ptr_array_add (args, path);
  va_start (ap, file);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                            &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
}

/* A fresh database, LEAN's files imported as they are (raw minute trade and quote bars with
 * extended hours, the factor file, the Fed primary credit rate, the early closes, raw daily
 * bars), then BasicTemplateAlgorithm and BasicTemplateDailyAlgorithm as buy_and_hold runs of the
 * lean profile: every statistic of both of LEAN's tables, as LEAN prints them. The profile's
 * defaults are LEAN's (IB fees, SPY as the benchmark, the primary credit rate): the same run
 * with them spelt out is the same request, answered from the cache. */
static void
test_backtest_lean_reference (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "lean-reference.db", NULL);
  g_autofree char *noquotes = g_build_filename (tmpdir, "lean-no-quotes.db", NULL);
  g_auto(Run) minute = { 0 }, daily = { 0 }, explicit = { 0 }, mjson = { 0 }, djson = { 0 };
  g_auto(Run) trade_close = { 0 };
  g_autoptr(JsonNode) mroot = NULL, droot = NULL, eroot = NULL;
  JsonObject *t;

  lean_import (db, "bars", "spy_minute_2013-10.csv", "--symbol", "SPY", "--interval", "1m",
               "--kind", "etf", NULL);
  lean_import (db, "quotebars", "spy_minute_quote_2013-10.csv", "--symbol", "SPY", "--interval",
               "1m", NULL);
  lean_import (db, "factors", "spy_factors.csv", "--symbol", "SPY", NULL);
  lean_import (db, "rates", "usa_interest_rate_primary_credit.csv", NULL);
  lean_import (db, "calendar", "us_equity_early_closes.csv", "--kind", "early-closes", NULL);
  lean_import (db, "bars", "spy_daily.csv", "--symbol", "SPY", "--interval", "1d", NULL);

  /* instruments lists the quote bars and factors too. The files have 5,412 quote bars from
   * 2013-10-04T08:00 to 2013-10-12T00:00 and 96 factor rows from 1998-01-02 to 2050-12-31. */
  {
    g_auto(Run) inst = { 0 };

    cli (&inst, db, "instruments", NULL);
    g_assert_cmpint (inst.status, ==, 0);
    g_assert_true (g_regex_match_simple ("\\nSPY +- +\\S+ +factors +- +1998-01-02T00:00:00Z "
                                            "+2050-12-31T00:00:00Z +96\\n", inst.out, 0, 0));
    g_assert_true (g_regex_match_simple ("\\nSPY +- +\\S+ +quote_bars +1m +"
                                            "2013-10-04T08:00:00Z +2013-10-12T00:00:00Z +5412\\n",
                                            inst.out, 0, 0));
  }

  /* BasicTemplateAlgorithm: minute bars 2013-10-07 … 10-11. */
  cli (&minute, db, "backtest", "--profile", "lean", "--symbol", "SPY", "--interval", "1m",
       "--strategy", "buy_and_hold", "--from", "2013-10-07", "--to", "2013-10-11", "--cash",
       "100000", NULL);
  g_assert_cmpint (minute.status, ==, 0);
  /* Nothing is missing: no warning. */
  g_assert_true (minute.err == NULL || minute.err[0] == '\0');
  check_lean_table (minute.out, lean_minute_expected, G_N_ELEMENTS (lean_minute_expected));
  /* One order in the first step (09:31), at the ask close 167.45 × 0.8646266, 688 shares. */
  cli (&mjson, db, "backtest", "--profile", "lean", "--symbol", "SPY", "--interval", "1m",
       "--strategy", "buy_and_hold", "--from", "2013-10-07", "--to", "2013-10-11", "--json",
       NULL);
  g_assert_cmpint (mjson.status, ==, 0);
  t = lean_first_trade (&mroot, mjson.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (mroot), "cache_hit"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (t, "entry_time"), ==, "2013-10-07T13:31:00Z");
  g_assert_cmpfloat (json_object_get_double_member (t, "quantity"), ==, 688);
  g_assert_cmpfloat (json_object_get_double_member (t, "entry_price"), ==, 144.78172417);
  g_assert_cmpfloat (json_object_get_double_member (t, "fees"), ==, 3.44);
  cli (&explicit, db, "backtest", "--profile", "lean", "--symbol", "SPY", "--interval", "1m",
       "--strategy", "buy_and_hold", "--from", "2013-10-07", "--to", "2013-10-11", "--fee-model",
       "ibkr", "--benchmark", "SPY", "--risk-free", "series:fed_primary_credit", "--json", NULL);
  g_assert_cmpint (explicit.status, ==, 0);
  lean_first_trade (&eroot, explicit.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (eroot), "cache_hit"), ==, 1);

  /* BasicTemplateDailyAlgorithm: daily bars 2013-10-08 … 10-17; market-on-open at the 10-09
   * open 165.82 × 0.8646266, in that day's 16:00 step, 697 shares sized at the 10-08 close. */
  cli (&daily, db, "backtest", "--profile", "lean", "--symbol", "SPY", "--interval", "1d",
       "--strategy", "buy_and_hold", "--from", "2013-10-08", "--to", "2013-10-17", "--cash",
       "100000", NULL);
  g_assert_cmpint (daily.status, ==, 0);
  check_lean_table (daily.out, lean_daily_expected, G_N_ELEMENTS (lean_daily_expected));
  cli (&djson, db, "backtest", "--profile", "lean", "--symbol", "SPY", "--interval", "1d",
       "--strategy", "buy_and_hold", "--from", "2013-10-08", "--to", "2013-10-17", "--json",
       NULL);
  t = lean_first_trade (&droot, djson.out);
  g_assert_cmpstr (json_object_get_string_member (t, "entry_time"), ==, "2013-10-09T20:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (t, "quantity"), ==, 697);
  g_assert_cmpfloat (json_object_get_double_member (t, "entry_price"), ==, 143.372382812);

  /* Without quote bars the order fills at the trade close, 167.44: End Equity 101697.87, as
   * LEAN-CONVENTIONS.md says, and a warning names the missing data. */
  lean_import (noquotes, "bars", "spy_minute_2013-10.csv", "--symbol", "SPY", "--interval", "1m",
               NULL);
  lean_import (noquotes, "factors", "spy_factors.csv", "--symbol", "SPY", NULL);
  lean_import (noquotes, "rates", "usa_interest_rate_primary_credit.csv", NULL);
  cli (&trade_close, noquotes, "backtest", "--profile", "lean", "--symbol", "SPY", "--interval",
       "1m", "--strategy", "buy_and_hold", "--from", "2013-10-07", "--to", "2013-10-11", NULL);
  g_assert_cmpint (trade_close.status, ==, 0);
  g_assert_nonnull (strstr (trade_close.err, "warning: no 1m quote bars for SPY"));
  g_assert_nonnull (strstr (trade_close.out, "\nEnd Equity                     101697.87\n"));
}

typedef struct
{
  int64_t id;
  int     cache_hit;
  double  net_profit;
} BtOut;

/* backtest ARGS --json, which must succeed: the run's id, cache_hit and net profit. */
static BtOut
backtest_json (const char        *db,
               const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(Run) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  BtOut out;

  g_ptr_array_add (argv, "backtest");
  for (size_t i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, "--json");
  g_ptr_array_add (argv, NULL);
  cliv (&r, db, (const char *const *) argv->pdata);
  if (r.status != 0)
    g_printerr ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  out.id = json_object_get_int_member (o, "id");
  out.cache_hit = (int) json_object_get_int_member (o, "cache_hit");
  out.net_profit = json_object_get_double_member (json_object_get_object_member (o, "statistics"),
                                                  "net_profit");
  return out;
}

/* Writes a CSV of the header and the given rows (1-based, as data rows) of @lines. */
static char *
rows_file (const char *name,
           char      **lines,
           int         first,
           int         last,
           int         skip)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GString) s = g_string_new (lines[0]);

  g_string_append_c (s, '\n');
  for (int i = first; i <= last; i++)
    if (i != skip)
      g_string_append_printf (s, "%s\n", lines[i]);
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  return g_steal_pointer (&path);
}

static void
import_ok (const char *db,
           const char *path,
           const char *kind)
{
  g_auto(Run) r = { 0 };

  if (g_str_equal (kind, "bars"))
    cli (&r, db, "import", "bars", path, "--symbol", "X", "--interval", "1d", NULL);
  else if (g_str_equal (kind, "calendar"))
    cli (&r, db, "import", "calendar", path, "--kind", "early-closes", NULL);
  else if (g_str_equal (kind, "factors"))
    cli (&r, db, "import", "factors", path, "--symbol", "X", NULL);
  else
    cli (&r, db, "import", kind, path, NULL);
  if (r.status != 0)
    g_printerr ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
}

/* The cache keys on the versions of the series a run reads, with the range asked for and the
 * first and last bar time in it (docs/backtester.md, "Caching"), so a re-run reads no bars:
 *  - the same request twice: the second is answered from the cache;
 *  - importing a file again (nothing inserted) keeps the versions: still answered;
 *  - a bar after --to: the range's bars are the same, but the series has a new version, so the
 *    run is computed again (with the same numbers): a version is per series, by design;
 *  - a bar inside the range: computed again, with other numbers;
 *  - a sweep stores its best under the key `backtest` computes for those parameters;
 *  - the lean profile's other data (calendar, factor file, rates) count as well.
 * Rows of tests/data/backtrader/2006-day-001.txt: 84 is 2006-05-02 (the first trade's entry at
 * its open), 201 is 2006-10-12. */
static void
test_backtest_data_versions (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "versions.db", NULL);
  g_autofree char *src = data_path ("backtrader", "2006-day-001.txt");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *base = NULL, *late = NULL, *inside = NULL;
  g_autofree char *calendar = data_path ("lean", "us_equity_early_closes.csv");
  g_autofree char *factors = data_path ("lean", "spy_factors.csv");
  g_autofree char *rates = data_path ("lean", "usa_interest_rate_primary_credit.csv");
  const char *const req[] = { "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
                              "--from", "2006-01-01", "--to", "2006-09-30", NULL };
  const char *const swept[] = { "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
                                "--from", "2006-01-01", "--to", "2006-09-30", "--param",
                                "fast=4", "--param", "slow=20", NULL };
  const char *const lean[] = { "--symbol", "X", "--interval", "1d", "--strategy",
                               "buy_and_hold", "--profile", "lean", "--from", "2006-01-01",
                               "--to", "2006-09-30", NULL };
  BtOut first, second, out;

  g_unlink (db);
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  g_strchomp (text);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 256);
  g_assert_true (g_str_has_prefix (lines[84], "2006-05-02,"));
  g_assert_true (g_str_has_prefix (lines[201], "2006-10-12,"));
  base = rows_file ("versions-base.csv", lines, 1, 200, 84);
  late = rows_file ("versions-late.csv", lines, 201, 201, 0);
  inside = rows_file ("versions-inside.csv", lines, 84, 84, 0);
  import_ok (db, base, "bars");

  first = backtest_json (db, req);
  g_assert_cmpint (first.cache_hit, ==, 0);
  second = backtest_json (db, req);
  g_assert_cmpint (second.cache_hit, ==, 1);
  g_assert_cmpint (second.id, >, first.id);
  g_assert_cmpfloat (second.net_profit, ==, first.net_profit);

  /* The same file again inserts nothing: the versions, and so the key, stay. */
  import_ok (db, base, "bars");
  out = backtest_json (db, req);
  g_assert_cmpint (out.cache_hit, ==, 1);

  /* A bar after --to: computed again, to the same numbers. */
  import_ok (db, late, "bars");
  out = backtest_json (db, req);
  g_assert_cmpint (out.cache_hit, ==, 0);
  g_assert_cmpfloat (out.net_profit, ==, first.net_profit);
  out = backtest_json (db, req);
  g_assert_cmpint (out.cache_hit, ==, 1);

  /* A bar inside the range: computed again, to other numbers. */
  import_ok (db, inside, "bars");
  out = backtest_json (db, req);
  g_assert_cmpint (out.cache_hit, ==, 0);
  g_assert_cmpfloat (out.net_profit, !=, first.net_profit);
  out = backtest_json (db, req);
  g_assert_cmpint (out.cache_hit, ==, 1);

  /* A sweep's best is stored under the key of `backtest` with its parameters (fast 4, slow 20,
   * which no backtest ran before): answered from the cache. */
  {
    g_auto(Run) sw = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *best;

    cli (&sw, db, "sweep", "--symbol", "X", "--interval", "1d", "--strategy", "sma_cross",
         "--from", "2006-01-01", "--to", "2006-09-30", "--param", "fast=3,4", "--param",
         "slow=20", "--rank", "net_profit", "--top", "1", "--json", NULL);
    g_assert_cmpint (sw.status, ==, 0);
    root = parse_json (sw.out);
    best = json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                   "top"), 0), "params");
    if (json_object_get_int_member (best, "fast") != 4)
      {
        /* fast 3 ranked first: ask for that one instead. */
        const char *const three[] = { "--symbol", "X", "--interval", "1d", "--strategy",
                                      "sma_cross", "--from", "2006-01-01", "--to", "2006-09-30",
                                      "--param", "fast=3", "--param", "slow=20", NULL };

        out = backtest_json (db, three);
      }
    else
      out = backtest_json (db, swept);
    g_assert_cmpint (out.cache_hit, ==, 1);
  }

  /* The lean profile reads the us_equity calendar, the symbol's factor file and the Fed rate:
   * a change of any of them computes the run again. */
  first = backtest_json (db, lean);
  g_assert_cmpint (first.cache_hit, ==, 0);
  g_assert_cmpint (backtest_json (db, lean).cache_hit, ==, 1);
  import_ok (db, calendar, "calendar");
  g_assert_cmpint (backtest_json (db, lean).cache_hit, ==, 0);
  g_assert_cmpint (backtest_json (db, lean).cache_hit, ==, 1);
  import_ok (db, factors, "factors");
  out = backtest_json (db, lean);
  g_assert_cmpint (out.cache_hit, ==, 0);
  g_assert_cmpfloat (out.net_profit, !=, first.net_profit);
  import_ok (db, rates, "rates");
  g_assert_cmpint (backtest_json (db, lean).cache_hit, ==, 0);
  g_assert_cmpint (backtest_json (db, lean).cache_hit, ==, 1);
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
  g_test_add_func ("/hs/cli/indicator/csv", test_indicator_csv);
  g_test_add_func ("/hs/cli/indicator/errors", test_indicator_errors);
  g_test_add_func ("/hs/cli/expr/check", test_expr_check);
  g_test_add_func ("/hs/cli/bars/resample", test_bars_resample);
  g_test_add_func ("/hs/cli/bars/resample-counts-default", test_bars_resample_counts_and_default);
  g_test_add_func ("/hs/cli/bars/resample-errors", test_bars_resample_errors);
  g_test_add_func ("/hs/cli/backtest/run", test_backtest);
  g_test_add_func ("/hs/cli/backtest/lean-result", test_backtest_lean_result);
  g_test_add_func ("/hs/cli/metrics/hand", test_metrics);
  g_test_add_func ("/hs/cli/metrics/bad-input", test_metrics_bad_input);
  g_test_add_func ("/hs/cli/import/rates", test_import_rates);
  g_test_add_func ("/hs/cli/backtest/lean-reference", test_backtest_lean_reference);
  g_test_add_func ("/hs/cli/sweep/walkforward", test_sweep_walkforward);
  g_test_add_func ("/hs/cli/backtest/data-versions", test_backtest_data_versions);
  return g_test_run ();
}
