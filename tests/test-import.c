/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importers through the real store on a real SQLite file: every kind of file imports, a
 * re-import adds nothing (and leaves the series' data version), and every malformed input gets
 * its own message naming file and line and leaves the database byte-for-byte as it was
 * (compared through a full dump). Expected values are hand calculations written next to each
 * case.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "hs-import.h"
#include "hs-store-market.h"
#include "hs-store.h"

typedef struct
{
  char    *dir;
  char    *db_path;
  HsStore *store;
} Fixture;

static char *
write_file (Fixture    *f,
            const char *name,
            const char *content,
            gssize      len)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, len, NULL));
  return path;
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("hs-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "test.db", NULL);
  f->store = hs_store_open (f->db_path, HS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
}

/* Removes the fixture's folder and the files in it (it has no subfolders). */
static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  hs_store_close (f->store);
  remove_dir (f->dir);
  g_free (f->db_path);
  g_free (f->dir);
}

static gboolean
run_import (Fixture        *f,
            HsImportKind    kind,
            const char     *path,
            const char     *symbol,
            const char     *interval,
            HsImportResult *result,
            GError        **error)
{
  HsImportRequest req = { .kind = kind, .path = (char *) path, .symbol = (char *) symbol,
                          .interval = (char *) interval };
  HsImportResult local = { 0 };
  gboolean ok = hs_import_run (f->store, &req, NULL, NULL, NULL, result ? result : &local, error);

  hs_import_result_clear (&local);
  return ok;
}

static const char good_bars[] =
  "Date,Open,High,Low,Close,Volume\n"
  "2006-01-02,10,12,9,11,100\n"
  "2006-01-03,11,13,10,12,200\n";

static void
test_bars_import_and_reimport (Fixture      *f,
                               gconstpointer data)
{
  g_autofree char *path = write_file (f, "bars.csv", good_bars, -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *dump1 = NULL, *dump2 = NULL;
  HsImportResult r = { 0 };

  g_assert_true (run_import (f, HS_IMPORT_BARS, path, "SPY", "1d", &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.rows, ==, 2);
  g_assert_cmpint (r.inserted, ==, 2);
  g_assert_cmpint (r.present, ==, 0);
  /* date -u -d 2006-01-02 +%s = 1136160000 */
  g_assert_cmpint (r.first_ts, ==, G_GINT64_CONSTANT (1136160000000000));
  hs_import_result_clear (&r);
  dump1 = hs_store_dump (f->store, &error);

  g_assert_true (run_import (f, HS_IMPORT_BARS, path, "SPY", "1d", &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.present, ==, 2);
  hs_import_result_clear (&r);
  dump2 = hs_store_dump (f->store, &error);
  g_assert_cmpstr (dump1, ==, dump2);
}

static char *
minute_bars (Fixture    *f,
             const char *name,
             int         first,
             int         n)
{
  g_autoptr(GString) s = g_string_new ("timestamp,open,high,low,close,volume\n");

  for (int i = first; i < first + n; i++)
    g_string_append_printf (s, "%d,10,11,9,10.5,%d\n", 1000000000 + i * 60, i);
  return write_file (f, name, s->str, (gssize) s->len);
}

/* Bars are written in batches of 64 rows: 200 rows are three batches and 8 single rows. A second
 * file of 130 rows overlapping the first 100 (rows 100 … 229) adds exactly the 30 new ones. */
static void
test_bars_batches_count (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *a = minute_bars (f, "a.csv", 0, 200);
  g_autofree char *b = minute_bars (f, "b.csv", 100, 130);
  g_autoptr(GError) error = NULL;
  HsImportResult r = { 0 };

  g_assert_true (run_import (f, HS_IMPORT_BARS, a, "SPY", "1m", &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.rows, ==, 200);
  g_assert_cmpint (r.inserted, ==, 200);
  hs_import_result_clear (&r);
  g_assert_true (run_import (f, HS_IMPORT_BARS, a, "SPY", "1m", &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.present, ==, 200);
  hs_import_result_clear (&r);
  g_assert_true (run_import (f, HS_IMPORT_BARS, b, "SPY", "1m", &r, &error));
  g_assert_cmpint (r.rows, ==, 130);
  g_assert_cmpint (r.inserted, ==, 30);
  g_assert_cmpint (r.present, ==, 100);
  hs_import_result_clear (&r);
}

typedef struct
{
  const char *name;
  const char *content;   /* NULL: built by the test */
  const char *message;   /* expected in the error after "FILE:" */
} BadCase;

static void
expect_refused (Fixture     *f,
                HsImportKind kind,
                const char  *path,
                const char  *interval,
                const char  *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = hs_store_dump (f->store, NULL);
  g_autofree char *after = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s:", path);

  g_assert_false (run_import (f, kind, path, "SPY", interval, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  if (strstr (error->message, message) == NULL)
    g_error ("expected “%s” in “%s”", message, error->message);
  after = hs_store_dump (f->store, NULL);
  g_assert_cmpstr (before, ==, after);
}

static void
test_bars_malformed (Fixture      *f,
                     gconstpointer data)
{
  static const BadCase cases[] = {
    { "truncated", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,0.5,1.5,1\n2006-01-05,1,2\n",
      ":3: expected 6 fields, found 3 (truncated line?)" },
    { "non-numeric", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,abc,0.5,1.5,1\n",
      ":2: column 3 (high): “abc” is not a number" },
    { "empty field", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,,1.5,1\n",
      ":2: column 4 (low): is empty" },
    { "high below low", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,1,2,1.5,1\n",
      ":2: high 1 is below low 2" },
    { "close above high", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,0.5,3,1\n",
      ":2: open 1 and close 3 must lie between low 0.5 and high 2" },
    { "negative volume", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,0.5,1.5,-5\n",
      ":2: volume must be zero or more, not -5" },
    { "zero price", "Date,Open,High,Low,Close,Volume\n2006-01-04,0,2,0.5,1.5,5\n",
      ":2: open must be a positive price, not 0" },
    { "duplicate timestamp",
      "Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,0.5,1.5,1\n2006-01-05,1,2,0.5,1.5,1\n"
      "2006-01-04,1,2,0.5,1.5,1\n",
      ":4: duplicate timestamp 2006-01-04T00:00:00Z: an earlier row of this file has it" },
    { "bad date", "Date,Open,High,Low,Close,Volume\n2006-13-04,1,2,0.5,1.5,1\n",
      ":2: column 1 (date): “2006-13-04” is not a valid time: month out of range" },
    { "unknown column", "Date,Open,High,Low,Close,Volume,Foo\n2006-01-04,1,2,0.5,1.5,1,2\n",
      ":1: unknown column “Foo” (column 7)" },
    { "missing column", "Date,Open,High,Low,Volume\n2006-01-04,1,2,0.5,1\n",
      ":1: missing required column “close”" },
    { "missing time", "Open,High,Low,Close,Volume\n1,2,0.5,1.5,1\n",
      ":1: missing required column: a time" },
    { "header only", "Date,Open,High,Low,Close,Volume\n", ":1: no data rows after the header" },
    { "invalid utf-8", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,0.5,1.5,1 \xe9t\xe9\n",
      ":2: invalid UTF-8 at byte 26 of the line" },  /* 25 ASCII bytes before it */
    { "unclosed quote", "Date,Open,High,Low,Close,Volume\n\"2006-01-04,1,2,0.5,1.5,1\n",
      ":2: field 1: quoted field is not closed on its line" },
    { "too many fields", "Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,0.5,1.5,1\n"
      "2006-01-05,1,2,0.5,1.5,1,9\n", ":3: expected 6 fields, found 7" },
    { "header names fewer than rows",
      "Date,Open,High,Low,Close,Volume,OpenInterest\n2006-01-02,09:01:00,3602,3603,3597,3599,5699,0\n",
      ":2: rows have 8 fields but the header names only 7" },
  };

  /* Something is in the database already, so "unchanged" is not trivially true. */
  g_autofree char *seed = write_file (f, "seed.csv", good_bars, -1);
  g_assert_true (run_import (f, HS_IMPORT_BARS, seed, "SPY", "1d", NULL, NULL));

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%zu.csv", i);
      g_autofree char *path = write_file (f, name, cases[i].content, -1);

      g_test_message ("case: %s", cases[i].name);
      expect_refused (f, HS_IMPORT_BARS, path, "1d", cases[i].message);
    }
}

static void
test_bars_empty_file (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char *path = write_file (f, "empty.csv", "", 0);

  expect_refused (f, HS_IMPORT_BARS, path, "1d", ": the file is empty");
}

/* A 10 MB line: refused after the first MiB with the line's number, nothing written. */
static void
test_bars_huge_line (Fixture      *f,
                     gconstpointer data)
{
  gsize n = 10 * 1024 * 1024;
  g_autoptr(GString) s = g_string_new ("Date,Open,High,Low,Close,Volume\n2006-01-04,1,2,0.5,1.5,1\n");
  g_autofree char *path = NULL;

  g_string_set_size (s, s->len + n);
  memset (s->str + s->len - n, '7', n);
  path = write_file (f, "huge.csv", s->str, (gssize) s->len);
  expect_refused (f, HS_IMPORT_BARS, path, "1d", ":3: line is longer than 1048576 bytes");
}

/* A bad row after 50,000 good ones: the whole file is rolled back. */
static void
test_bars_late_error_rolls_back (Fixture      *f,
                                 gconstpointer data)
{
  g_autoptr(GString) s = g_string_new ("timestamp,open,high,low,close,volume\n");
  g_autofree char *path = NULL;

  for (int i = 0; i < 50000; i++)
    g_string_append_printf (s, "%d,10,11,9,10.5,%d\n", 1000000000 + i * 60, i);
  g_string_append (s, "1300000000,10,11,9,10.5,oops\n");
  path = write_file (f, "late.csv", s->str, (gssize) s->len);
  expect_refused (f, HS_IMPORT_BARS, path, "1m", ":50002: column 6 (volume): “oops” is not a number");
}

static int64_t
candles_version (Fixture *f,
                 int64_t  instrument_id)
{
  g_autoptr(GError) error = NULL;
  int64_t v = -1;

  g_assert_true (hs_store_data_version (f->store, HS_DATA_CANDLES, instrument_id, NULL, "1d", &v,
                                        &error));
  g_assert_no_error (error);
  return v;
}

/* The version of the imported series (what the backtest cache keys on): 1 after the first
 * import, the same after importing the same file again (nothing inserted), one more after a
 * file with one new bar, the same after an import that fails and is rolled back. */
static void
test_bars_data_version (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *path = write_file (f, "bars.csv", good_bars, -1);
  g_autofree char *more = write_file (f, "more.csv", "Date,Open,High,Low,Close,Volume\n"
                                                     "2006-01-03,11,13,10,12,200\n"
                                                     "2006-01-04,12,14,11,13,300\n", -1);
  g_autoptr(GString) rows = g_string_new ("timestamp,open,high,low,close,volume\n");
  g_autofree char *bad = NULL;
  g_autoptr(GError) error = NULL;
  HsImportResult r = { 0 };
  int64_t id = 0;

  g_assert_true (run_import (f, HS_IMPORT_BARS, path, "SPY", "1d", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hs_store_find_instrument (f->store, "SPY", NULL, &id, &error));
  g_assert_cmpint (candles_version (f, id), ==, 1);

  g_assert_true (run_import (f, HS_IMPORT_BARS, path, "SPY", "1d", &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  hs_import_result_clear (&r);
  g_assert_cmpint (candles_version (f, id), ==, 1);

  g_assert_true (run_import (f, HS_IMPORT_BARS, more, "SPY", "1d", &r, &error));
  g_assert_cmpint (r.inserted, ==, 1);
  hs_import_result_clear (&r);
  g_assert_cmpint (candles_version (f, id), ==, 2);

  /* 200 new days, inserted in batches, then a refused row: all rolled back. 1136332800 is
   * 2006-01-04. */
  for (int i = 1; i <= 200; i++)
    g_string_append_printf (rows, "%d,10,11,9,10.5,%d\n", 1136332800 + i * 86400, i);
  g_string_append (rows, "1200000000,10,11,9,10.5,oops\n");
  bad = write_file (f, "bad.csv", rows->str, (gssize) rows->len);
  g_assert_false (run_import (f, HS_IMPORT_BARS, bad, "SPY", "1d", NULL, &error));
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
  g_assert_cmpint (candles_version (f, id), ==, 2);
}

/* CRLF line ends and a byte order mark import to exactly the rows of the plain file. */
static void
test_bars_crlf_and_bom (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *plain = write_file (f, "plain.csv", good_bars, -1);
  g_autofree char *crlf = write_file (f, "crlf.csv",
                                      "\xEF\xBB\xBF" "Date,Open,High,Low,Close,Volume\r\n"
                                      "2006-01-02,10,12,9,11,100\r\n"
                                      "2006-01-03,11,13,10,12,200\r\n", -1);
  g_autoptr(GError) error = NULL;
  HsImportResult r = { 0 };
  g_autofree char *dump_a = NULL, *dump_b = NULL;

  g_assert_true (run_import (f, HS_IMPORT_BARS, crlf, "SPY", "1d", &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.inserted, ==, 2);
  hs_import_result_clear (&r);
  dump_a = hs_store_dump (f->store, NULL);
  /* The plain file finds every row already there. */
  g_assert_true (run_import (f, HS_IMPORT_BARS, plain, "SPY", "1d", &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.present, ==, 2);
  hs_import_result_clear (&r);
  dump_b = hs_store_dump (f->store, NULL);
  g_assert_cmpstr (dump_a, ==, dump_b);
}

/* --columns names the columns of a file whose header is short; --tz reads naive times in a zone. */
static void
test_bars_columns_and_tz (Fixture      *f,
                          gconstpointer data)
{
  g_autofree char *path = write_file (f, "min.csv",
                                      "Date,Open,High,Low,Close,Volume,OpenInterest\n"
                                      "2013-10-04,09:30:00,10,12,9,11,100,0\n", -1);
  char *columns[] = { "date", "time", "open", "high", "low", "close", "volume", "openinterest", NULL };
  HsImportRequest req = { .kind = HS_IMPORT_BARS, .path = path, .symbol = "SPY",
                          .interval = "1m", .columns = columns, .tz = "America/New_York" };
  HsImportResult r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_no_error (error);
  /* 09:30 New York on 2013-10-04 is EDT, 13:30 UTC: date -u -d '2013-10-04 13:30' +%s */
  g_assert_cmpint (r.first_ts, ==, G_GINT64_CONSTANT (1380893400000000));
  hs_import_result_clear (&r);

  req.tz = "Mars/Olympus_Mons";
  g_assert_false (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE);
  g_clear_error (&error);
  req.tz = NULL;
  req.interval = "7m";
  g_assert_false (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "unknown interval"));
}

static double
query_double (Fixture    *f,
              const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double v;

  g_assert_cmpint (sqlite3_open (f->db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* CVD by hand: +2 (buy) −1.5 (sell) +0.5 (buy) = 1.0; a second file after it continues: −3 → −2.
 * A third file of earlier trades makes the stored later ones be recomputed: +10 before all →
 * the last trade's CVD becomes 10 + 1.0 − 3 = 8. */
static void
test_trades_cvd (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char *a = write_file (f, "t1.csv",
                                   "timestamp,price,size,side,trade_id\n"
                                   "2024-01-02T10:00:00Z,100,2,buy,1\n"
                                   "2024-01-02T10:00:00Z,100.5,1.5,sell,2\n"
                                   "2024-01-02T10:00:01Z,101,0.5,BUY,3\n", -1);
  g_autofree char *b = write_file (f, "t2.csv",
                                   "timestamp,price,size,side\n"
                                   "2024-01-02T10:05:00Z,99,3,sell\n", -1);
  g_autofree char *c = write_file (f, "t3.csv",
                                   "timestamp,price,size,side\n"
                                   "2024-01-02T09:00:00Z,98,10,buy\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_import (f, HS_IMPORT_TRADES, a, "BTC-USD", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (query_double (f, "SELECT cvd_at_trade FROM trades ORDER BY ts DESC, seq DESC "
                                      "LIMIT 1"), ==, 1.0);
  /* Two trades share 10:00:00 and keep their file order as seq 0 and 1. */
  g_assert_cmpfloat (query_double (f, "SELECT max(seq) FROM trades"), ==, 1);
  g_assert_true (run_import (f, HS_IMPORT_TRADES, b, "BTC-USD", NULL, NULL, &error));
  g_assert_cmpfloat (query_double (f, "SELECT cvd_at_trade FROM trades ORDER BY ts DESC, seq DESC "
                                      "LIMIT 1"), ==, -2.0);
  g_assert_true (run_import (f, HS_IMPORT_TRADES, c, "BTC-USD", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (query_double (f, "SELECT cvd_at_trade FROM trades ORDER BY ts DESC, seq DESC "
                                      "LIMIT 1"), ==, 8.0);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM trades"), ==, 5);
  /* Re-import changes nothing. */
  {
    g_autofree char *before = hs_store_dump (f->store, NULL);
    g_autofree char *after = NULL;

    g_assert_true (run_import (f, HS_IMPORT_TRADES, a, "BTC-USD", NULL, NULL, &error));
    after = hs_store_dump (f->store, NULL);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_trades_malformed (Fixture      *f,
                       gconstpointer data)
{
  static const BadCase cases[] = {
    { "bad side", "timestamp,price,size,side\n2024-01-02T10:00:00Z,100,2,long\n",
      ":2: column 4 (side): “long” is not buy, sell or unknown" },
    { "out of order", "timestamp,price,size,side\n2024-01-02T10:00:01Z,100,2,buy\n"
      "2024-01-02T10:00:00Z,100,2,buy\n", ":3: trades must be in time order" },
    { "duplicate id", "timestamp,price,size,side,trade_id\n2024-01-02T10:00:00Z,100,2,buy,7\n"
      "2024-01-02T10:00:01Z,100,2,buy,7\n", ":3: column 5 (trade_id): duplicate trade id “7”" },
    { "negative size", "timestamp,price,size,side\n2024-01-02T10:00:00Z,100,-2,buy\n",
      ":2: column 3 (size): must be zero or more" },
    { "missing side", "timestamp,price,size\n2024-01-02T10:00:00Z,100,2\n",
      ":1: missing required column “side”" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-trades-%zu.csv", i);
      g_autofree char *path = write_file (f, name, cases[i].content, -1);

      g_test_message ("case: %s", cases[i].name);
      expect_refused (f, HS_IMPORT_TRADES, path, NULL, cases[i].message);
    }
}

static void
test_quotes (Fixture      *f,
             gconstpointer data)
{
  g_autofree char *good = write_file (f, "q.csv",
                                      "timestamp,bid,ask,bid_size,ask_size\n"
                                      "2024-01-02T10:00:00Z,100,100.1,5,\n"
                                      "2024-01-02T10:00:01Z,100.05,100.1,,7\n", -1);
  g_autofree char *crossed = write_file (f, "q-bad.csv",
                                         "timestamp,bid,ask\n2024-01-02T11:00:00Z,101,100\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_import (f, HS_IMPORT_QUOTES, good, "SPY", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM quotes"), ==, 2);
  g_assert_true (isnan (query_double (f, "SELECT ask_size FROM quotes ORDER BY ts LIMIT 1")));
  expect_refused (f, HS_IMPORT_QUOTES, crossed, NULL, ":2: ask 100 is below bid 101 (crossed quote)");
}

/* Book by hand (depth 2): bids 0.5×100, 0.49×300, asks 0.52×50, 0.53×150 → bid volume 400,
 * ask volume 200, imbalance 100 × 200 / 600 = 33.33…; spread 0.02, mid 0.51, spread % 3.9215… */
static void
test_orderbook (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *path = write_file (f, "book.jsonl",
    "{\"ts\":\"2024-01-02T10:00:00Z\",\"bids\":[[\"0.49\",\"300\"],[0.5,100]],"
    "\"asks\":[{\"price\":\"0.52\",\"size\":\"50\"},{\"price\":0.53,\"size\":150}],\"sequence\":7}\n"
    "{\"pricebook\":{\"product_id\":\"BTC-USD\",\"time\":\"2024-01-02T10:00:01Z\","
    "\"bids\":[{\"price\":\"0.5\",\"size\":\"1\"}],\"asks\":[]},"
    "\"sequence\":\"9007199254740993\"}\n", -1);
  HsImportRequest req = { .kind = HS_IMPORT_ORDERBOOK, .path = path, .symbol = "X", .depth = 2 };
  HsImportResult r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.inserted, ==, 2);
  hs_import_result_clear (&r);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT imbalance FROM orderbook_snapshots "
                                                   "ORDER BY ts LIMIT 1"), 100.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (query_double (f, "SELECT spread_pct FROM orderbook_snapshots "
                                                   "ORDER BY ts LIMIT 1"), 2.0 / 0.51, 1e-9);
  g_assert_cmpfloat (query_double (f, "SELECT sequence FROM orderbook_snapshots ORDER BY ts "
                                      "LIMIT 1"), ==, 7);
  /* 2^53 + 1 as a string stays exact (a double would round it to 2^53). */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (f->db_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT sequence FROM orderbook_snapshots ORDER BY "
                                             "ts DESC LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, G_GINT64_CONSTANT (9007199254740993));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  /* One-sided book: no ask, so no spread; imbalance +100. */
  g_assert_true (isnan (query_double (f, "SELECT spread FROM orderbook_snapshots ORDER BY ts "
                                         "DESC LIMIT 1")));
  g_assert_cmpfloat (query_double (f, "SELECT imbalance FROM orderbook_snapshots ORDER BY ts "
                                      "DESC LIMIT 1"), ==, 100);
}

static void
test_orderbook_malformed (Fixture      *f,
                          gconstpointer data)
{
  static const BadCase cases[] = {
    { "not json", "{\"ts\": 1, \"bids\": [}\n", ":1: not valid JSON" },
    { "not an object", "[1,2,3]\n", ":1: the line is not a JSON object" },
    { "no time", "{\"bids\":[[1,1]],\"asks\":[[2,1]]}\n", ":1: no time" },
    { "crossed", "{\"ts\":1700000000,\"bids\":[[2,1]],\"asks\":[[1,1]]}\n",
      ":1: best ask 1 is below best bid 2 (crossed book)" },
    { "bad level", "{\"ts\":1700000000,\"bids\":[[\"x\",1]],\"asks\":[]}\n",
      ":1: “bids[0]” is not a number" },
    { "negative size", "{\"ts\":1700000000,\"bids\":[[1,-1]],\"asks\":[]}\n",
      ":1: bids[0]: size must be zero or more" },
    { "negative sequence", "{\"ts\":1700000000,\"bids\":[[1,1]],\"asks\":[],\"sequence\":-3}\n",
      ":1: “sequence” must be a whole number ≥ 0" },
    { "duplicate", "{\"ts\":1700000000,\"bids\":[[1,1]],\"asks\":[]}\n"
      "{\"ts\":1700000000,\"bids\":[[1,2]],\"asks\":[]}\n", ":2: duplicate timestamp" },
    { "second line bad", "{\"ts\":1700000000,\"bids\":[[1,1]],\"asks\":[]}\nnope\n",
      ":2: not valid JSON" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-book-%zu.jsonl", i);
      g_autofree char *path = write_file (f, name, cases[i].content, -1);

      g_test_message ("case: %s", cases[i].name);
      expect_refused (f, HS_IMPORT_ORDERBOOK, path, NULL, cases[i].message);
    }
}

/* Kalshi's recorded market object (shared/fixtures/kalshi/markets_KXELONMARS-99.json, trimmed
 * to the fields read), wrapped as the API returns it, plus a bare object in the older integer
 * cents form. */
static void
test_snapshots (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *path = write_file (f, "snap.jsonl",
    "{\"ts\":\"2026-04-09T09:31:20Z\",\"source\":\"poll\",\"market\":{\"ticker\":\"KXELONMARS-99\","
    "\"status\":\"active\",\"yes_bid_dollars\":\"0.0800\",\"yes_ask_dollars\":\"0.1200\","
    "\"no_bid_dollars\":\"0.8800\",\"no_ask_dollars\":\"0.9200\",\"last_price_dollars\":\"0.1000\","
    "\"volume_fp\":\"94884.62\",\"open_interest_fp\":\"32746.17\","
    "\"updated_time\":\"2026-04-09T09:31:16.616867Z\"}}\n"
    "{\"ticker\":\"OLD-1\",\"yes_bid\":45,\"yes_ask\":47,\"volume\":10,\"open_interest\":3,"
    "\"updated_time\":\"2023-05-01T12:00:00Z\"}\n", -1);
  HsImportRequest req = { .kind = HS_IMPORT_SNAPSHOTS, .path = path };
  HsImportResult r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.inserted, ==, 2);
  hs_import_result_clear (&r);
  g_assert_cmpfloat (query_double (f, "SELECT yes_bid FROM market_snapshots m JOIN instruments i "
                                      "ON i.id = m.instrument_id WHERE i.symbol = 'KXELONMARS-99' "
                                      "AND m.source = 'poll'"), ==, 0.08);
  g_assert_cmpfloat (query_double (f, "SELECT volume FROM market_snapshots m JOIN instruments i "
                                      "ON i.id = m.instrument_id WHERE i.symbol = 'KXELONMARS-99'"),
                     ==, 94884.62);
  g_assert_cmpfloat (query_double (f, "SELECT yes_ask FROM market_snapshots m JOIN instruments i "
                                      "ON i.id = m.instrument_id WHERE i.symbol = 'OLD-1' "
                                      "AND m.source = 'backfill'"), ==, 0.47);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM instruments WHERE kind = "
                                      "'prediction'"), ==, 2);
  g_assert_cmpfloat (query_double (f, "SELECT json_extract(raw_data, '$.market.status') = "
                                      "'active' FROM market_snapshots WHERE source = 'poll'"), ==, 1);
  /* Idempotent on (instrument, ts, source). */
  g_assert_true (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.present, ==, 2);
  hs_import_result_clear (&r);
}

static void
test_snapshots_malformed (Fixture      *f,
                          gconstpointer data)
{
  static const BadCase cases[] = {
    { "no ticker", "{\"ts\":1700000000,\"yes_bid\":5}\n", ":1: no “ticker”" },
    { "price above a dollar", "{\"ts\":1700000000,\"ticker\":\"A\",\"yes_bid_dollars\":\"1.5\"}\n",
      ":1: “yes_bid” must be between 0 and 1 dollar" },
    { "bad source", "{\"ts\":1700000000,\"ticker\":\"A\",\"source\":\"fax\"}\n",
      ":1: “source” must be" },
    { "no time", "{\"ticker\":\"A\"}\n", ":1: no time" },
    { "bad time", "{\"ts\":\"soon\",\"ticker\":\"A\"}\n", ":1: “ts”: “soon” is not a valid time" },
    { "duplicate", "{\"ts\":1700000000,\"ticker\":\"A\"}\n{\"ts\":1700000000,\"ticker\":\"A\"}\n",
      ":2: duplicate snapshot of A" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-snap-%zu.jsonl", i);
      g_autofree char *path = write_file (f, name, cases[i].content, -1);
      HsImportRequest req = { .kind = HS_IMPORT_SNAPSHOTS, .path = path };
      HsImportResult r = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *before = hs_store_dump (f->store, NULL);
      g_autofree char *after = NULL;

      g_test_message ("case: %s", cases[i].name);
      g_assert_false (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
      g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      after = hs_store_dump (f->store, NULL);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_cancel (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(GString) s = g_string_new ("timestamp,open,high,low,close,volume\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = NULL;
  g_autofree char *before = hs_store_dump (f->store, NULL);
  g_autofree char *after = NULL;
  HsImportRequest req = { .kind = HS_IMPORT_BARS, .symbol = "SPY", .interval = "1m" };
  HsImportResult r = { 0 };
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 10000; i++)
    g_string_append_printf (s, "%d,10,11,9,10.5,%d\n", 1000000000 + i * 60, i);
  path = write_file (f, "cancel.csv", s->str, (gssize) s->len);
  req.path = path;
  g_cancellable_cancel (cancellable);
  g_assert_false (hs_import_run (f->store, &req, NULL, NULL, cancellable, &r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = hs_store_dump (f->store, NULL);
  g_assert_cmpstr (before, ==, after);
}

/* ---- LEAN's data: quote bars, factor files, the market calendar ---- */

static gboolean
run_lean (Fixture        *f,
          HsImportKind    kind,
          const char     *path,
          const char     *calendar,
          HsImportResult *result,
          GError        **error)
{
  HsImportRequest req = { .kind = kind, .path = (char *) path, .symbol = (char *) "SPY",
                          .interval = (char *) "1m", .calendar = (char *) calendar };
  HsImportResult local = { 0 };
  gboolean ok = hs_import_run (f->store, &req, NULL, NULL, NULL, result ? result : &local, error);

  hs_import_result_clear (&local);
  return ok;
}

/* As expect_refused(), for the kinds above. */
static void
expect_lean_refused (Fixture     *f,
                     HsImportKind kind,
                     const char  *calendar,
                     const char  *content,
                     const char  *message)
{
  static int n;
  g_autofree char *name = g_strdup_printf ("bad-lean-%d.csv", n++);
  g_autofree char *path = write_file (f, name, content, -1);
  g_autofree char *prefix = g_strdup_printf ("%s:", path);
  g_autofree char *before = hs_store_dump (f->store, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (run_lean (f, kind, path, calendar, NULL, &error));
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_BAD_INPUT);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  if (strstr (error->message, message) == NULL)
    g_error ("expected “%s” in “%s”", message, error->message);
  after = hs_store_dump (f->store, NULL);
  g_assert_cmpstr (before, ==, after);
}

static char *
lean_file (const char *name)
{
  return g_build_filename (g_getenv ("HS_TEST_DATA"), "lean", name, NULL);
}

/* LEAN's SPY minute quote bars of October 2013: 5,412 rows, once. A side without a quote is
 * stored as NULL. */
static void
test_quotebars (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *lean = lean_file ("spy_minute_quote_2013-10.csv");
  g_autofree char *own = write_file (f, "qb.csv",
    "timestamp,bid_open,bid_high,bid_low,bid_close,last_bid_size,ask_open,ask_high,ask_low,"
    "ask_close,last_ask_size\n"
    "2024-01-02T14:30:00Z,100,101,99,100.5,300,100.1,101.1,99.1,100.6,200\n"
    "2024-01-02T14:31:00Z,,,,,,100.2,100.2,100.2,100.2,100\n", -1);
  g_autofree char *dump1 = NULL, *dump2 = NULL;
  g_autoptr(GError) error = NULL;
  HsImportResult r = { 0 };

  g_assert_true (run_lean (f, HS_IMPORT_QUOTEBARS, lean, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.rows, ==, 5412);
  g_assert_cmpint (r.inserted, ==, 5412);
  hs_import_result_clear (&r);
  /* The bar of 09:30 New York on 2013-10-07 (13:30Z, date -u +%s 1381152600): ask close 167.45,
   * read off the file. */
  g_assert_cmpfloat (query_double (f, "SELECT ask_close FROM quote_bars WHERE ts = "
                                      "1381152600000000"), ==, 167.45);
  g_assert_true (run_lean (f, HS_IMPORT_QUOTEBARS, own, NULL, &r, &error));
  g_assert_cmpint (r.inserted, ==, 2);
  hs_import_result_clear (&r);
  g_assert_true (isnan (query_double (f, "SELECT bid_close FROM quote_bars WHERE ts = "
                                         "1704205860000000")));
  g_assert_cmpfloat (query_double (f, "SELECT bid_size FROM quote_bars WHERE ts = "
                                      "1704205860000000"), ==, 0);
  dump1 = hs_store_dump (f->store, &error);
  g_assert_true (run_lean (f, HS_IMPORT_QUOTEBARS, lean, NULL, &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.present, ==, 5412);
  hs_import_result_clear (&r);
  dump2 = hs_store_dump (f->store, &error);
  g_assert_cmpstr (dump1, ==, dump2);
}

#define QB_HEADER "timestamp,bid_open,bid_high,bid_low,bid_close,bid_size,ask_open,ask_high," \
                  "ask_low,ask_close,ask_size\n"

static void
test_quotebars_malformed (Fixture      *f,
                          gconstpointer data)
{
  static const BadCase cases[] = {
    { "truncated", QB_HEADER "2024-01-02T14:30:00Z,1,1,1,1,1,1,1\n",
      ":2: expected 11 fields, found 8 (truncated line?)" },
    { "non-numeric", QB_HEADER "2024-01-02T14:30:00Z,1,x,1,1,1,1,1,1,1,1\n",
      ":2: column 3 (bid_high): “x” is not a number" },
    { "half a side", QB_HEADER "2024-01-02T14:30:00Z,1,,1,1,1,1,1,1,1,1\n",
      ":2: bid high is missing: a side has all four prices or none" },
    { "no side", QB_HEADER "2024-01-02T14:30:00Z,,,,,0,,,,,0\n",
      ":2: a quote bar needs a bid or an ask" },
    { "high below low", QB_HEADER "2024-01-02T14:30:00Z,1,1,1,1,1,1,1,2,1,1\n",
      ":2: ask high 1 is below ask low 2" },
    { "negative size", QB_HEADER "2024-01-02T14:30:00Z,1,1,1,1,-3,1,1,1,1,1\n",
      ":2: bid size must be zero or more, not -3" },
    { "zero price", QB_HEADER "2024-01-02T14:30:00Z,1,1,1,1,1,0,1,0,1,1\n",
      ":2: ask open must be a positive price, not 0" },
    { "duplicate", QB_HEADER "2024-01-02T14:30:00Z,1,1,1,1,1,1,1,1,1,1\n"
      "2024-01-02T14:30:00Z,1,1,1,1,1,1,1,1,1,1\n",
      ":3: duplicate timestamp 2024-01-02T14:30:00Z" },
    { "missing column", "timestamp,bid_open,bid_high,bid_low,bid_close,ask_open,ask_high,ask_low\n"
      "2024-01-02T14:30:00Z,1,1,1,1,1,1,1\n", ":1: missing required column “ask_close”" },
    { "trade bar header", "timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,1,1,1,1\n",
      ":1: unknown column “open” (column 2)" },
    { "header only", QB_HEADER, ":1: no data rows after the header" },
  };
  g_autofree char *seed = lean_file ("spy_minute_quote_2013-10.csv");
  g_autofree char *good = write_file (f, "qb-good.csv", QB_HEADER
                                      "2024-01-02T14:30:00Z,1,1,1,1,1,1,1,1,1,1\n", -1);
  HsImportRequest req = { .kind = HS_IMPORT_QUOTEBARS, .path = good, .symbol = "SPY",
                          .interval = "tick" };
  HsImportResult r = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (run_lean (f, HS_IMPORT_QUOTEBARS, seed, NULL, NULL, NULL));
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case: %s", cases[i].name);
      expect_lean_refused (f, HS_IMPORT_QUOTEBARS, NULL, cases[i].content, cases[i].message);
    }
  /* Quote bars have an interval, and it is not tick. */
  g_assert_false (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE);
}

static double
factor_of (Fixture    *f,
           const char *date)
{
  g_autofree char *sql = g_strdup_printf ("SELECT price_factor * split_factor FROM price_factors "
                                          "WHERE date = '%s'", date);

  return query_double (f, sql);
}

/* spy_factors.csv: 96 rows; LEAN's own layout of the same rows (no header, yyyyMMdd) is the
 * same file; a newer file replaces the rows, dropping a date it does not have. */
static void
test_factors (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *spy = lean_file ("spy_factors.csv");
  g_autofree char *mine = write_file (f, "f.csv", "date,price_factor,split_factor,reference_price\n"
                                      "2013-12-19,0.8646266,1,181.5\n"
                                      "2050-12-31,1,1,0\n", -1);
  g_autofree char *lean = write_file (f, "spy.csv", "20131219,0.8646266,1,181.5\r\n"
                                      "20501231,1,1,0\r\n", -1);
  g_autofree char *newer = write_file (f, "f2.csv", "date,price_factor,split_factor\n"
                                       "2013-12-19,0.85,1\n2014-03-21,0.9,0.5\n", -1);
  g_autofree char *dump1 = NULL, *dump2 = NULL;
  g_autoptr(GError) error = NULL;
  HsImportResult r = { 0 };

  g_assert_true (run_lean (f, HS_IMPORT_FACTORS, spy, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.rows, ==, 96);
  g_assert_cmpint (r.inserted, ==, 96);
  g_assert_cmpint (r.removed, ==, 0);
  hs_import_result_clear (&r);
  g_assert_cmpfloat (factor_of (f, "2013-12-19"), ==, 0.8646266);
  dump1 = hs_store_dump (f->store, &error);
  g_assert_true (run_lean (f, HS_IMPORT_FACTORS, spy, NULL, &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.present, ==, 96);
  hs_import_result_clear (&r);
  dump2 = hs_store_dump (f->store, &error);
  g_assert_cmpstr (dump1, ==, dump2);

  /* Two rows in either layout: the same two rows, and the other 94 dates are removed. */
  g_assert_true (run_lean (f, HS_IMPORT_FACTORS, mine, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.rows, ==, 2);
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.removed, ==, 94);
  hs_import_result_clear (&r);
  g_clear_pointer (&dump1, g_free);
  dump1 = hs_store_dump (f->store, &error);
  g_assert_true (run_lean (f, HS_IMPORT_FACTORS, lean, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.rows, ==, 2);
  g_assert_cmpint (r.present, ==, 2);
  g_assert_cmpint (r.removed, ==, 0);
  hs_import_result_clear (&r);
  g_clear_pointer (&dump2, g_free);
  dump2 = hs_store_dump (f->store, &error);
  g_assert_cmpstr (dump1, ==, dump2);

  /* A newer file: 2013-12-19 changed, 2014-03-21 new, 2050-12-31 gone; reference_price 0. */
  g_assert_true (run_lean (f, HS_IMPORT_FACTORS, newer, NULL, &r, &error));
  g_assert_cmpint (r.inserted, ==, 2);
  g_assert_cmpint (r.removed, ==, 1);
  hs_import_result_clear (&r);
  g_assert_cmpfloat (factor_of (f, "2013-12-19"), ==, 0.85);
  g_assert_cmpfloat (factor_of (f, "2014-03-21"), ==, 0.45);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM price_factors"), ==, 2);
  g_assert_cmpfloat (query_double (f, "SELECT reference_price FROM price_factors LIMIT 1"), ==,
                     0);
}

#define F_HEADER "date,price_factor,split_factor,reference_price\n"

static void
test_factors_malformed (Fixture      *f,
                        gconstpointer data)
{
  static const BadCase cases[] = {
    { "out of order", F_HEADER "2013-12-19,0.86,1,181\n2013-09-20,0.85,1,170\n",
      ":3: dates must increase: 2013-09-20 comes after 2013-12-19" },
    { "duplicate date", F_HEADER "2013-12-19,0.86,1,181\n2013-12-19,0.86,1,181\n",
      ":3: dates must increase: 2013-12-19 comes after 2013-12-19" },
    { "zero factor", F_HEADER "2013-12-19,0,1,181\n",
      ":2: column 2 (price_factor): must be a positive number" },
    { "negative split", F_HEADER "2013-12-19,0.9,-2,181\n",
      ":2: column 3 (split_factor): must be a positive number" },
    { "negative reference", F_HEADER "2013-12-19,0.9,1,-1\n",
      ":2: column 4 (reference_price): must be a price ≥ 0" },
    { "bad date", F_HEADER "2013-13-19,0.9,1,1\n",
      ":2: column 1 (date): “2013-13-19” is not a valid time: month out of range" },
    { "a time, not a date", F_HEADER "2013-12-19T10:00:00Z,0.9,1,1\n",
      ":2: column 1 (date): “2013-12-19T10:00:00Z” is not a date" },
    { "not a number", F_HEADER "2013-12-19,abc,1,1\n",
      ":2: column 2 (price_factor): “abc” is not a number" },
    { "missing column", "date,price_factor,reference_price\n2013-12-19,0.9,1\n",
      ":1: missing required column “split_factor”" },
    { "missing date", "price_factor,split_factor\n0.9,1\n", ":1: missing required column “date”" },
    { "LEAN layout, bad row", "20131219,0.86,1,181\n20140321,x,1,190\n",
      ":2: column 2 (price_factor): “x” is not a number" },
    { "LEAN layout, short row", "20131219,0.86,1,181\n20140321,0.9\n",
      ":2: expected 4 fields, found 2" },
  };
  g_autofree char *seed = lean_file ("spy_factors.csv");

  g_assert_true (run_lean (f, HS_IMPORT_FACTORS, seed, NULL, NULL, NULL));
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case: %s", cases[i].name);
      expect_lean_refused (f, HS_IMPORT_FACTORS, NULL, cases[i].content, cases[i].message);
    }
}

/* LEAN's US equity holidays (293, 1998–2027 …) and early closes (65, 13:00). */
static void
test_calendar (Fixture      *f,
               gconstpointer data)
{
  g_autofree char *holidays = lean_file ("us_equity_holidays.csv");
  g_autofree char *early = lean_file ("us_equity_early_closes.csv");
  g_autofree char *dump1 = NULL, *dump2 = NULL;
  g_autoptr(GError) error = NULL;
  HsImportResult r = { 0 };
  HsImportRequest req = { .kind = HS_IMPORT_CALENDAR, .path = early, .calendar = "early-closes",
                          .market = "xnys" };

  g_assert_true (run_lean (f, HS_IMPORT_CALENDAR, holidays, "holidays", &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.rows, ==, 293);
  g_assert_cmpint (r.inserted, ==, 293);
  g_assert_cmpstr (r.symbol, ==, "us_equity");
  hs_import_result_clear (&r);
  g_assert_true (run_lean (f, HS_IMPORT_CALENDAR, early, "early-closes", &r, &error));
  g_assert_cmpint (r.inserted, ==, 65);
  hs_import_result_clear (&r);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM market_calendar WHERE date = "
                                      "'2013-11-29' AND kind = 'early_close' AND close_time = "
                                      "'13:00:00'"), ==, 1);
  g_assert_cmpfloat (query_double (f, "SELECT count(*) FROM market_calendar WHERE date = "
                                      "'2013-12-25' AND kind = 'holiday' AND close_time IS NULL"),
                     ==, 1);
  dump1 = hs_store_dump (f->store, &error);
  g_assert_true (run_lean (f, HS_IMPORT_CALENDAR, early, "early-closes", &r, &error));
  g_assert_cmpint (r.inserted, ==, 0);
  g_assert_cmpint (r.present, ==, 65);
  hs_import_result_clear (&r);
  dump2 = hs_store_dump (f->store, &error);
  g_assert_cmpstr (dump1, ==, dump2);
  /* Another market is another calendar. */
  g_assert_true (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_cmpint (r.inserted, ==, 65);
  g_assert_cmpstr (r.symbol, ==, "xnys");
  hs_import_result_clear (&r);
}

static void
test_calendar_malformed (Fixture      *f,
                         gconstpointer data)
{
  static const BadCase early_cases[] = {
    { "bad time", "date,close_time\n2013-11-29,25:00\n",
      ":2: column 2 (close_time): “25:00” is not a time of day (HH:MM or HH:MM:SS)" },
    { "no time", "date,close_time\n2013-11-29,\n",
      ":2: column 2 (close_time): “” is not a time of day" },
    { "missing column", "date\n2013-11-29\n", ":1: missing required column “close_time”" },
    { "duplicate", "date,close_time\n2013-11-29,13:00\n2013-11-29,13:00:00\n",
      ":3: duplicate date 2013-11-29: an earlier row of this file has it" },
    { "bad date", "date,close_time\n2013-02-30,13:00\n",
      ":2: column 1 (date): “2013-02-30” is not a valid time: day out of range" },
    { "a number", "date,close_time\n1385683200,13:00\n",
      ":2: column 1 (date): “1385683200” is not a date (YYYY-MM-DD or YYYYMMDD)" },
  };
  static const BadCase holiday_cases[] = {
    { "close time", "date,close_time\n2013-12-25,13:00\n",
      ":1: column 2 (close_time): holidays have no close time" },
    { "unknown column", "date,name\n2013-12-25,Christmas\n", ":1: unknown column “name”" },
    { "empty", "", ": the file is empty" },
  };
  g_autofree char *seed = lean_file ("us_equity_holidays.csv");
  g_autofree char *good = write_file (f, "cal.csv", "date\n2013-12-25\n", -1);
  g_autoptr(GError) error = NULL;
  HsImportResult r = { 0 };
  HsImportRequest req = { .kind = HS_IMPORT_CALENDAR, .path = good, .calendar = "closed" };

  g_assert_true (run_lean (f, HS_IMPORT_CALENDAR, seed, "holidays", NULL, NULL));
  for (size_t i = 0; i < G_N_ELEMENTS (early_cases); i++)
    {
      g_test_message ("case: %s", early_cases[i].name);
      expect_lean_refused (f, HS_IMPORT_CALENDAR, "early-closes", early_cases[i].content,
                           early_cases[i].message);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (holiday_cases); i++)
    {
      g_test_message ("case: %s", holiday_cases[i].name);
      expect_lean_refused (f, HS_IMPORT_CALENDAR, "holidays", holiday_cases[i].content,
                           holiday_cases[i].message);
    }
  /* The kind of days is required. */
  g_assert_false (hs_import_run (f->store, &req, NULL, NULL, NULL, &r, &error));
  g_assert_error (error, HS_IMPORT_ERROR, HS_IMPORT_ERROR_USAGE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/hs/jobs/import/bars/reimport", test_bars_import_and_reimport);
  ADD ("/hs/jobs/import/bars/malformed", test_bars_malformed);
  ADD ("/hs/jobs/import/bars/batches-count", test_bars_batches_count);
  ADD ("/hs/jobs/import/bars/empty-file", test_bars_empty_file);
  ADD ("/hs/jobs/import/bars/huge-line", test_bars_huge_line);
  ADD ("/hs/jobs/import/bars/late-error-rolls-back", test_bars_late_error_rolls_back);
  ADD ("/hs/jobs/import/bars/data-version", test_bars_data_version);
  ADD ("/hs/jobs/import/bars/crlf-and-bom", test_bars_crlf_and_bom);
  ADD ("/hs/jobs/import/bars/columns-and-tz", test_bars_columns_and_tz);
  ADD ("/hs/jobs/import/trades/cvd", test_trades_cvd);
  ADD ("/hs/jobs/import/trades/malformed", test_trades_malformed);
  ADD ("/hs/jobs/import/quotes", test_quotes);
  ADD ("/hs/jobs/import/orderbook", test_orderbook);
  ADD ("/hs/jobs/import/orderbook/malformed", test_orderbook_malformed);
  ADD ("/hs/jobs/import/snapshots", test_snapshots);
  ADD ("/hs/jobs/import/snapshots/malformed", test_snapshots_malformed);
  ADD ("/hs/jobs/import/cancel", test_cancel);
  ADD ("/hs/jobs/import/quotebars", test_quotebars);
  ADD ("/hs/jobs/import/quotebars/malformed", test_quotebars_malformed);
  ADD ("/hs/jobs/import/factors", test_factors);
  ADD ("/hs/jobs/import/factors/malformed", test_factors_malformed);
  ADD ("/hs/jobs/import/calendar", test_calendar);
  ADD ("/hs/jobs/import/calendar/malformed", test_calendar_malformed);
#undef ADD
  return g_test_run ();
}
