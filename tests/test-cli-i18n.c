/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hindsight-cli in a German locale writes exactly what it writes in the C locale: exports with
 * '.' decimals and ISO 8601 UTC times, byte for byte, and the same listings (docs/i18n.md). The
 * German locale is the one build-aux/make-test-locale.sh compiled into the build tree
 * ($LOCPATH); the first case shows it really uses a decimal comma, so the comparison means
 * something. The numbers below are the ones given to `paper open/close`, written out by hand.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "hs-test-cli.h"

#define DE "de_DE.UTF-8"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static void
run_in (HsTestRun  *r,
        const char *locale,
        const char *db,
        const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("HS_CLI"));
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);

  /* The whole locale, as a German user's session has it. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", locale, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANG", locale, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", g_str_has_prefix (locale, "de") ? "de" : "",
                                TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error));
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
}

static void
assert_ok (const HsTestRun *r)
{
  if (r->status != 0)
    g_error ("hindsight-cli failed (%d): %s", r->status, r->err);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_auto(HsTestRun) r = { 0 };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("hs-cli-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "t.db", NULL);

  /* The instruments, by importing one bar of each. */
  {
    const char *const symbols[] = { "AAPL", "KXRAIN" };
    const char *const rows[] = { "2024-03-04T14:30:00Z,1233.5,1236,1233,1235.5,1200\n",
                                 "2024-03-05T09:00:00Z,0.46,0.47,0.45,0.465,100\n" };

    for (size_t i = 0; i < G_N_ELEMENTS (symbols); i++)
      {
        g_autofree char *csv = g_build_filename (f->dir, symbols[i], NULL);
        g_autofree char *text = g_strconcat ("time,open,high,low,close,volume\n", rows[i], NULL);

        g_assert_true (g_file_set_contents (csv, text, -1, &error));
        g_assert_no_error (error);
        hs_test_cli (&r, f->db, "import", "bars", csv, "--symbol", symbols[i], "--interval", "1m",
                     NULL);
        assert_ok (&r);
        hs_test_run_clear (&r);
      }
  }
  /* Two paper trades with fractional prices and fees: 1,234.5 → 1,240.25 long, and an open
   * short at 0.4650 (a prediction market's price). */
  hs_test_cli (&r, f->db, "paper", "open", "--symbol", "AAPL", "--side", "long", "--qty", "10",
               "--price", "1234.5", "--at", "2024-03-04T14:31:00Z", NULL);
  assert_ok (&r);
  hs_test_run_clear (&r);
  hs_test_cli (&r, f->db, "paper", "close", "1", "--price", "1240.25", "--at",
               "2024-03-04T14:50:00.250Z", "--fees", "1.5", NULL);
  assert_ok (&r);
  hs_test_run_clear (&r);
  hs_test_cli (&r, f->db, "paper", "open", "--symbol", "KXRAIN", "--side", "short", "--qty", "100",
               "--price", "0.4650", "--at", "2024-03-05T09:00:00Z", NULL);
  assert_ok (&r);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  hs_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* The German locale exists and has a decimal comma and a '.' thousands separator: without it
 * the comparisons below would compare C with C. */
static void
test_locale_is_german (void)
{
  locale_t de = newlocale (LC_ALL_MASK, DE, (locale_t) 0);

  g_assert_true (de != (locale_t) 0);
  g_assert_cmpstr (nl_langinfo_l (RADIXCHAR, de), ==, ",");
  g_assert_cmpstr (nl_langinfo_l (THOUSEP, de), ==, ".");
  freelocale (de);
}

static char *
export_in (Fixture    *f,
           const char *locale,
           const char *format)
{
  g_auto(HsTestRun) r = { 0 };
  g_autofree char *name = g_strdup_printf ("trades-%s.%s", locale, format);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  const char *args[] = { "export", "trades", "--format", format, "--out", path, NULL };
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  run_in (&r, locale, f->db, args);
  if (r.status != 0)
    g_error ("export in %s failed (%d): %s", locale, r.status, r.err);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static void
test_export_same_bytes (Fixture       *f,
                        gconstpointer  data)
{
  const char *const formats[] = { "csv", "jsonl" };

  for (size_t i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *c = export_in (f, "C", formats[i]);
      g_autofree char *de = export_in (f, DE, formats[i]);

      /* Byte-identical. */
      g_assert_cmpstr (de, ==, c);
      /* '.' decimals and ISO 8601 UTC times, as given to paper open/close. */
      g_assert_nonnull (strstr (de, "1234.5"));
      g_assert_nonnull (strstr (de, "1240.25"));
      g_assert_nonnull (strstr (de, "0.465"));
      g_assert_nonnull (strstr (de, "2024-03-04T14:31:00Z"));
      g_assert_nonnull (strstr (de, "2024-03-04T14:50:00.250Z"));
      g_assert_null (strstr (de, "1234,5"));
      g_assert_null (strstr (de, "04.03.2024"));
    }
}

/* The listings people pipe into scripts: the same text in both locales, '.' decimals (the P&L
 * of trade 1 is (1240.25 − 1234.5) × 10 − 1.5 = 56.00, fees at entry being 0). */
static void
test_listings_same_text (Fixture       *f,
                         gconstpointer  data)
{
  const char *const list[] = { "paper", "list", NULL };
  const char *const show[] = { "paper", "show", "1", NULL };
  const char *const *commands[] = { list, show };

  for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(HsTestRun) c = { 0 };
      g_auto(HsTestRun) de = { 0 };

      run_in (&c, "C", f->db, commands[i]);
      run_in (&de, DE, f->db, commands[i]);
      g_assert_cmpint (c.status, ==, 0);
      g_assert_cmpint (de.status, ==, 0);
      g_assert_cmpstr (de.out, ==, c.out);
      g_assert_cmpstr (de.err, ==, c.err);
      g_assert_nonnull (strstr (de.out, "+56.00"));
      g_assert_null (strstr (de.out, "+56,00"));
    }
}

/* Messages stay English (the CLI is not translated), also for an error. */
static void
test_errors_same_text (Fixture       *f,
                       gconstpointer  data)
{
  const char *const bad[] = { "paper", "show", "99", NULL };
  g_auto(HsTestRun) c = { 0 };
  g_auto(HsTestRun) de = { 0 };

  run_in (&c, "C", f->db, bad);
  run_in (&de, DE, f->db, bad);
  g_assert_cmpint (c.status, !=, 0);
  g_assert_cmpint (de.status, ==, c.status);
  g_assert_cmpstr (de.err, ==, c.err);
  g_assert_cmpstr (de.out, ==, c.out);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-i18n/locale-is-german", test_locale_is_german);
  g_test_add ("/cli-i18n/export-same-bytes", Fixture, NULL, fixture_set_up,
              test_export_same_bytes, fixture_tear_down);
  g_test_add ("/cli-i18n/listings-same-text", Fixture, NULL, fixture_set_up,
              test_listings_same_text, fixture_tear_down);
  g_test_add ("/cli-i18n/errors-same-text", Fixture, NULL, fixture_set_up,
              test_errors_same_text, fixture_tear_down);
  return g_test_run ();
}
