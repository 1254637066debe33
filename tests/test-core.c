/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core: time parsing and formatting, strict number parsing, the CSV reader, bar and quote rules,
 * and the order book summary. Expected values are written out by hand next to each case; the
 * epoch values were checked with GNU date (`date -u -d '2013-10-04 13:30:00' +%s`).
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>

#include "hs-csv.h"
#include "hs-interval.h"
#include "hs-records.h"
#include "hs-time.h"

#define S G_GINT64_CONSTANT (1000000)

static void
test_time_forms (void)
{
  static const struct
  {
    const char *text;
    const char *tz;
    int64_t     expect_us;
  } cases[] = {
    /* date -u -d '2006-01-02' +%s = 1136160000 */
    { "2006-01-02", NULL, 1136160000 * S },
    { "2006-01-02 09:01:00", NULL, (1136160000 + 9 * 3600 + 60) * S },
    { "2013-10-04T13:30:00Z", NULL, 1380893400 * S },
    { "2013-10-04T09:30:00-04:00", NULL, 1380893400 * S },
    { "2013-10-04T15:30:00+0200", NULL, 1380893400 * S },
    /* New York is on EDT (UTC-4) on 2013-10-04, EST (UTC-5) on 2013-12-02 */
    { "2013-10-04 09:30:00", "America/New_York", 1380893400 * S },
    { "2013-12-02 09:30:00", "America/New_York", (1385994600) * S },
    { "2015-09-23T20:57:42.146", NULL, 1443041862 * S + 146000 },
    { "2015-09-23T20:57:42.1234567Z", NULL, 1443041862 * S + 123456 },
    { "1380893400", NULL, 1380893400 * S },
    { "1380893400000", NULL, 1380893400 * S },
    { "1380893400123456", NULL, 1380893400 * S + 123456 },
    { "1969-12-31T23:59:59Z", NULL, -1 * S },
    { "2000-02-29", NULL, 951782400 * S },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTimeZone) tz = cases[i].tz ? g_time_zone_new_identifier (cases[i].tz) : NULL;
      int64_t us = 0;

      g_test_message ("%s", cases[i].text);
      g_assert_true (hs_time_parse (cases[i].text, tz, &us, &error));
      g_assert_no_error (error);
      g_assert_cmpint (us, ==, cases[i].expect_us);
    }
}

static void
test_time_errors (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "", "expected ISO-8601" },
    { "yesterday", "expected ISO-8601" },
    { "2006-13-01", "month out of range" },
    { "2006-02-29", "day out of range" },
    { "2006-01-02 25:00:00", "out of range" },
    { "2006-01-02T10:00:00Zjunk", "unexpected text" },
    { "2006/01/02", "expected ISO-8601" },
    { "2006-01-02 9:30", "expected a time" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      int64_t us = 0;

      g_assert_false (hs_time_parse (cases[i].text, NULL, &us, &error));
      g_assert_nonnull (error);
      g_test_message ("%s → %s", cases[i].text, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_time_format (void)
{
  char buf[40];

  hs_time_format_iso_buf (1380893400 * S, buf);
  g_assert_cmpstr (buf, ==, "2013-10-04T13:30:00Z");
  hs_time_format_iso_buf (1443041862 * S + 146000, buf);
  g_assert_cmpstr (buf, ==, "2015-09-23T20:57:42.146Z");
  hs_time_format_iso_buf (1443041862 * S + 146001, buf);
  g_assert_cmpstr (buf, ==, "2015-09-23T20:57:42.146001Z");
  hs_time_format_iso_buf (-1 * S, buf);
  g_assert_cmpstr (buf, ==, "1969-12-31T23:59:59Z");
  hs_time_format_iso_buf (-1, buf);
  g_assert_cmpstr (buf, ==, "1969-12-31T23:59:59.999999Z");
}

/* Differential: days_from_civil against GDateTime over 400 years (a whole Gregorian cycle). */
static void
test_time_days_reference (void)
{
  for (int64_t day = -20000; day < 146097 + 20000; day += 7)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day * 86400);
      int64_t got = hs_time_days_from_civil (g_date_time_get_year (dt),
                                             (unsigned) g_date_time_get_month (dt),
                                             (unsigned) g_date_time_get_day_of_month (dt));
      char buf[40];
      g_autofree char *expect = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");

      g_assert_cmpint (got, ==, day);
      hs_time_format_iso_buf (day * 86400 * S, buf);
      g_assert_cmpstr (buf, ==, expect);
    }
}

static void
test_numbers (void)
{
  static const char *good[] = {
    "0", "1", "-1", "3578.73", "0.0800", "1.552083", "167.45", "1e3", "2.5E-3", "+7", ".5", "5.",
    "144.78172417", "0.10482511261190787", "12345678901234567890", "1e-320",
    "123456789012345678901234567890.5",
  };
  static const char *bad[] = {
    "", " 1", "1 ", "abc", "1,5", "nan", "inf", "-inf", "0x10", "1e", "1e+", "--1", ".", "1.2.3",
    "1e400",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (good); i++)
    {
      double v = 0, ref = g_ascii_strtod (good[i], NULL);

      g_assert_true (hs_parse_double (good[i], &v));
      /* Correct rounding: the same double as the C library's strtod. */
      g_assert_cmpfloat (v, ==, ref);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      double v = 0;

      g_test_message ("bad: “%s”", bad[i]);
      g_assert_false (hs_parse_double (bad[i], &v));
    }
}

/* Differential against strtod on random decimal strings of the shapes price files hold. */
static void
test_numbers_random (void)
{
  GRand *rand = g_rand_new_with_seed (4242);

  for (int i = 0; i < 200000; i++)
    {
      char buf[64];
      double v = 0;
      int digits = g_rand_int_range (rand, 1, 20);
      int point = g_rand_int_range (rand, 0, digits + 1);
      int n = 0;

      if (g_rand_boolean (rand))
        buf[n++] = '-';
      for (int d = 0; d < digits; d++)
        {
          if (d == point && d > 0)
            buf[n++] = '.';
          buf[n++] = (char) ('0' + g_rand_int_range (rand, 0, 10));
        }
      buf[n] = '\0';
      g_assert_true (hs_parse_double (buf, &v));
      g_assert_cmpfloat (v, ==, strtod (buf, NULL));
    }
  g_rand_free (rand);
}

static void
test_format_double (void)
{
  static const struct
  {
    double      v;
    const char *text;
  } cases[] = {
    { 3602.0, "3602" }, { 0.1, "0.1" }, { 3578.73, "3578.73" }, { 1.552083, "1.552083" },
    { 0.10482511261190787, "0.10482511261190787" }, { 144.78172417, "144.78172417" },
    { -2.5, "-2.5" }, { 1e21, "1e+21" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[32];

      hs_format_double (cases[i].v, buf);
      g_assert_cmpstr (buf, ==, cases[i].text);
    }
}

static char *
write_temp (const char *name,
            const char *content,
            gssize      len)
{
  static char *dir;
  char *path;

  if (dir == NULL)
    dir = g_dir_make_tmp ("hs-core-XXXXXX", NULL);
  path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, content, len, NULL));
  return path;
}

static void
test_csv_reader (void)
{
  g_autofree char *path = write_temp ("a.csv",
                                      "\xEF\xBB\xBFh1,h2,h3\r\n"
                                      "a,\"b,c\",\"d \"\"q\"\"\"\r\n"
                                      "\r\n"
                                      ",,\n"
                                      "last,no,newline", -1);
  g_autoptr(HsCsvReader) r = hs_csv_reader_open (path, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (r);
  g_assert_cmpint (hs_csv_reader_next (r, &error), ==, 1);
  g_assert_cmpuint (hs_csv_reader_n_fields (r), ==, 3);
  g_assert_cmpstr (hs_csv_reader_field (r, 0), ==, "h1");
  g_assert_cmpstr (hs_csv_reader_field (r, 2), ==, "h3");
  g_assert_cmpint (hs_csv_reader_next (r, &error), ==, 1);
  g_assert_cmpuint (hs_csv_reader_line (r), ==, 2);
  g_assert_cmpstr (hs_csv_reader_field (r, 1), ==, "b,c");
  g_assert_cmpstr (hs_csv_reader_field (r, 2), ==, "d \"q\"");
  /* The blank line 3 is skipped. */
  g_assert_cmpint (hs_csv_reader_next (r, &error), ==, 1);
  g_assert_cmpuint (hs_csv_reader_line (r), ==, 4);
  g_assert_cmpuint (hs_csv_reader_n_fields (r), ==, 3);
  g_assert_cmpstr (hs_csv_reader_field (r, 0), ==, "");
  g_assert_cmpint (hs_csv_reader_next (r, &error), ==, 1);
  g_assert_cmpuint (hs_csv_reader_line (r), ==, 5);
  g_assert_cmpstr (hs_csv_reader_field (r, 2), ==, "newline");
  g_assert_cmpint (hs_csv_reader_next (r, &error), ==, 0);
  g_assert_no_error (error);
  g_unlink (path);
}

static void
test_csv_errors (void)
{
  static const struct
  {
    const char *content;
    gssize      len;
    size_t      line;
    int         code;
  } cases[] = {
    { "a,b\n\"open,c\n", -1, 2, HS_CSV_ERROR_QUOTE },
    { "a,b\n\"x\"y,c\n", -1, 2, HS_CSV_ERROR_QUOTE },
    { "a,b\nok,\xff\xfe\n", -1, 2, HS_CSV_ERROR_ENCODING },
    { "a,b\nok,caf\xc3\n", -1, 2, HS_CSV_ERROR_ENCODING },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_temp ("bad.csv", cases[i].content, cases[i].len);
      g_autoptr(HsCsvReader) r = hs_csv_reader_open (path, NULL);
      g_autoptr(GError) error = NULL;
      int rc;

      while ((rc = hs_csv_reader_next (r, &error)) == 1)
        ;
      g_assert_cmpint (rc, ==, -1);
      g_assert_error (error, HS_CSV_ERROR, cases[i].code);
      g_assert_cmpuint (hs_csv_reader_line (r), ==, cases[i].line);
      g_unlink (path);
    }
}

/* A 10 MB line without a line break is refused once 1 MiB is read, not loaded whole. */
static void
test_csv_long_line (void)
{
  gsize len = 10 * 1024 * 1024;
  g_autofree char *big = g_malloc (len + 16);
  g_autofree char *path = NULL;
  g_autoptr(HsCsvReader) r = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (big, "a,b\n", 4);
  memset (big + 4, 'x', len);
  big[len + 4] = '\n';
  path = write_temp ("long.csv", big, (gssize) len + 5);
  r = hs_csv_reader_open (path, NULL);
  g_assert_cmpint (hs_csv_reader_next (r, &error), ==, 1);
  g_assert_cmpint (hs_csv_reader_next (r, &error), ==, -1);
  g_assert_error (error, HS_CSV_ERROR, HS_CSV_ERROR_LINE_TOO_LONG);
  g_assert_cmpuint (hs_csv_reader_line (r), ==, 2);
  g_unlink (path);
}

static void
test_csv_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  HsCsvReader *r = hs_csv_reader_open ("/nonexistent/file.csv", &error);

  g_assert_null (r);
  g_assert_error (error, HS_CSV_ERROR, HS_CSV_ERROR_IO);
}

static void
test_bar_rules (void)
{
  HsBar ok = { .open = 10, .high = 12, .low = 9, .close = 11, .volume = 0, .vwap = NAN,
               .trade_count = -1 };
  static const struct
  {
    double      o, h, l, c, v;
    const char *message;
  } bad[] = {
    { 10, 9, 12, 11, 0, "below low" },
    { 10, 12, 9, 13, 0, "between low" },
    { 8, 12, 9, 11, 0, "between low" },
    { 10, 12, 9, 11, -1, "volume must be zero or more" },
    { 0, 12, 9, 11, 0, "open must be a positive price" },
    { 10, 12, -9, 11, 0, "low must be a positive price" },
  };

  g_assert_true (hs_bar_check (&ok, NULL));
  for (size_t i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      HsBar b = { .open = bad[i].o, .high = bad[i].h, .low = bad[i].l, .close = bad[i].c,
                  .volume = bad[i].v, .vwap = NAN, .trade_count = -1 };
      g_autoptr(GError) error = NULL;

      g_assert_false (hs_bar_check (&b, &error));
      g_assert_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE);
      g_assert_nonnull (strstr (error->message, bad[i].message));
    }
}

/* Book: bids 100×2, 99×3, 98×10; asks 101×1, 102×4, 103×20. Depth 2:
 * bid volume 2+3 = 5, ask volume 1+4 = 5 → imbalance 0; spread 1, mid 100.5,
 * spread % = 100 × 1 / 100.5 = 0.99502487562189…; depth 3: 15 vs 25 → 100 × −10/40 = −25. */
static void
test_book (void)
{
  const HsLevel bids[] = { { 99, 3 }, { 100, 2 }, { 98, 10 } };
  const HsLevel asks[] = { { 103, 20 }, { 101, 1 }, { 102, 4 } };
  const HsLevel crossed[] = { { 99.5, 1 } };
  HsBookSnapshot book = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_book_compute (&book, bids, 3, asks, 3, 2, &error));
  g_assert_cmpfloat (book.best_bid, ==, 100);
  g_assert_cmpfloat (book.best_ask, ==, 101);
  g_assert_cmpfloat (book.spread, ==, 1);
  g_assert_cmpfloat_with_epsilon (book.spread_pct, 100.0 / 100.5, 1e-12);
  g_assert_cmpfloat (book.imbalance, ==, 0);
  g_assert_cmpstr (book.bids_json, ==, "[[100,2],[99,3],[98,10]]");
  g_assert_cmpstr (book.asks_json, ==, "[[101,1],[102,4],[103,20]]");
  g_assert_true (hs_book_compute (&book, bids, 3, asks, 3, 3, &error));
  g_assert_cmpfloat (book.imbalance, ==, -25);
  g_assert_false (hs_book_compute (&book, bids, 3, crossed, 1, 3, &error));
  g_assert_error (error, HS_RECORD_ERROR, HS_RECORD_ERROR_RANGE);
  hs_book_snapshot_clear (&book);
}

static void
test_intervals (void)
{
  g_assert_cmpint (hs_interval_lookup ("1m")->seconds, ==, 60);
  g_assert_cmpint (hs_interval_lookup ("4h")->seconds, ==, 14400);
  g_assert_cmpint (hs_interval_lookup ("1d")->seconds, ==, 86400);
  g_assert_null (hs_interval_lookup ("7m"));
  g_assert_null (hs_interval_lookup ("1D"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hs/core/time/forms", test_time_forms);
  g_test_add_func ("/hs/core/time/errors", test_time_errors);
  g_test_add_func ("/hs/core/time/format", test_time_format);
  g_test_add_func ("/hs/core/time/days-reference", test_time_days_reference);
  g_test_add_func ("/hs/core/number/parse", test_numbers);
  g_test_add_func ("/hs/core/number/random", test_numbers_random);
  g_test_add_func ("/hs/core/number/format", test_format_double);
  g_test_add_func ("/hs/core/csv/reader", test_csv_reader);
  g_test_add_func ("/hs/core/csv/errors", test_csv_errors);
  g_test_add_func ("/hs/core/csv/long-line", test_csv_long_line);
  g_test_add_func ("/hs/core/csv/missing-file", test_csv_missing_file);
  g_test_add_func ("/hs/core/records/bar-rules", test_bar_rules);
  g_test_add_func ("/hs/core/records/book", test_book);
  g_test_add_func ("/hs/core/interval/lookup", test_intervals);
  return g_test_run ();
}
