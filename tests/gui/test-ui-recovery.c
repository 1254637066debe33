/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups and recovery in the window (src/ui/hs-recovery.c) under Xvfb. What is checked:
 *   - when the daily backup is due (hand-worked times around a 03:00 backup hour);
 *   - the window takes the daily backup once a database is loaded, and not again when one is
 *     fresh;
 *   - Restore from Backup…: the list of backups, the confirmation, and the database afterwards
 *     holds the backup's rows again (read back through the store), with a safety backup of
 *     the state it replaced;
 *   - after an exit that was not clean, a database with a corrupted page makes the window say
 *     so and offer the newest backup; Restore brings the backup's data back (read back
 *     through the store) and the damaged file is kept in the backup folder;
 *   - after a clean exit, nothing is checked.
 * Screenshots: recovery-*.png in $HS_SCREENSHOT_DIR.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "hs-backup.h"
#include "hs-gui-test.h"
#include "hs-recovery.h"
#include "hs-settings.h"
#include "hs-test-db.h"
#include "hs-test-ui.h"
#include "hs-window-private.h"

static void
test_backup_due (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) ten = g_date_time_new (utc, 2026, 11, 20, 10, 0, 0);
  g_autoptr(GDateTime) two = g_date_time_new (utc, 2026, 11, 20, 2, 0, 0);
  /* µs of 2026-11-20 00:00 UTC, counted by hand: 1970 … 2025 are 56 years with 14 leap days
   * 1972 … 2024: 56 × 365 + 14 = 20,454 days to 2026-01-01, + 304 days to November 1st
   * (31+28+31+30+31+30+31+31+30+31) + 19 = 20,777 days) × 86,400 s. */
  const int64_t day = (int64_t) 86400 * G_USEC_PER_SEC;
  const int64_t nov20 = (int64_t) 20777 * day;
  const int64_t hour = (int64_t) 3600 * G_USEC_PER_SEC;

  g_assert_cmpint (g_date_time_to_unix (ten) * G_USEC_PER_SEC, ==, nov20 + 10 * hour);
  /* None yet: due. */
  g_assert_true (hs_recovery_backup_due (0, ten, 3));
  /* 10:00, newest from 04:00 today: after today's 03:00, so not due. */
  g_assert_false (hs_recovery_backup_due (nov20 + 4 * hour, ten, 3));
  /* 10:00, newest from 02:00 today: before today's 03:00 which has passed: due. */
  g_assert_true (hs_recovery_backup_due (nov20 + 2 * hour, ten, 3));
  /* 02:00, newest from yesterday 04:00 (22 h old): today's 03:00 has not come: not due. */
  g_assert_false (hs_recovery_backup_due (nov20 - day + 4 * hour, two, 3));
  /* 02:00, newest from yesterday 01:59 (24 h 1 min old): due. */
  g_assert_true (hs_recovery_backup_due (nov20 - day + hour + (int64_t) 59 * 60 * G_USEC_PER_SEC, two, 3));
}

/* A database with @n bars of SPY 1d. */
static void
make_db (const char *path,
         int         n)
{
  g_autoptr(HsStore) store = hs_test_store_open (path);
  int64_t spy = hs_test_store_instrument (store, "SPY", "ARCA", "etf");

  for (int i = 0; i < n; i++)
    hs_test_store_add_bar (store, spy, "1d", hs_test_utc (2026, 1, 5 + i, 0, 0), 400 + i);
}

static void
add_instrument (const char *path,
                const char *symbol)
{
  g_autoptr(HsStore) store = hs_test_store_open (path);

  hs_test_store_instrument (store, symbol, "NASDAQ", "stock");
}

/* Returns: the symbols in @path, comma-separated, read through the store */
static char *
symbols (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_EXISTING, &error);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  list = hs_store_list_instruments (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "",
                            ((HsInstrument *) list->pdata[i])->symbol);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Returns: the SPY 1d bars in @path, read through the store */
static int64_t
count_spy_bars (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_EXISTING, &error);
  g_autoptr(HsBars) bars = NULL;
  int64_t id = 0;

  g_assert_no_error (error);
  g_assert_true (hs_store_find_instrument (store, "SPY", "ARCA", &id, &error));
  g_assert_no_error (error);
  bars = hs_store_load_bars (store, id, "1d", G_MININT64, G_MAXINT64, &error);
  g_assert_no_error (error);
  return (int64_t) bars->n;
}

static guint
count_backups (const char *db)
{
  g_autofree char *dir = hs_backup_default_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = hs_backup_list (dir, db, &error);

  g_assert_no_error (error);
  return list->len;
}

static void
wait_idle (HsWindow *window)
{
  while (hs_recovery_get_busy (window) > 0)
    g_main_context_iteration (NULL, TRUE);
}

static AdwMessageDialog *
wait_dialog (HsWindow *window)
{
  while (hs_recovery_get_busy (window) > 0 || hs_recovery_get_dialog (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  return hs_recovery_get_dialog (window);
}

static void
test_daily_backup (void)
{
  g_autofree char *path = hs_test_temp_path ("daily.db");
  HsWindow *window = NULL;

  make_db (path, 3);
  g_assert_cmpuint (count_backups (path), ==, 0);
  window = hs_test_open_window (path);
  wait_idle (window);
  g_assert_cmpuint (hs_recovery_get_backups (window), ==, 1);
  g_assert_cmpuint (count_backups (path), ==, 1);
  /* Loaded again with a fresh backup: none more. */
  hs_window_reload (window);
  hs_test_wait_for_load (window);
  wait_idle (window);
  g_assert_cmpuint (count_backups (path), ==, 1);
  hs_test_close_window (window);
}

/* With retention on, the daily backup is followed by retention: trades older than the kept
 * days become 1-minute candles. */
static void
test_daily_retention (void)
{
  g_autofree char *path = hs_test_temp_path ("retention.db");
  g_autoptr(GSettings) settings = hs_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HsBars) bars = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  HsWindow *window = NULL;
  int64_t btc = 0;

  {
    g_autoptr(HsStore) store = hs_test_store_open (path);
    /* Three trades on 2026-11-10, in the minutes 10:00 and 10:01: two 1-minute candles. */
    const int64_t t0 = hs_test_utc (2026, 11, 10, 10, 0);
    const HsTrade trades[] = {
      { .ts = t0 + 5 * G_USEC_PER_SEC, .price = 100, .size = 1, .side = HS_SIDE_BUY },
      { .ts = t0 + 40 * G_USEC_PER_SEC, .price = 101, .size = 2, .side = HS_SIDE_SELL },
      { .ts = t0 + 70 * G_USEC_PER_SEC, .price = 102, .size = 1, .side = HS_SIDE_BUY },
    };

    btc = hs_test_store_instrument (store, "BTC-USD", "coinbase", "crypto");
    for (size_t i = 0; i < G_N_ELEMENTS (trades); i++)
      {
        g_assert_true (hs_store_insert_trade (store, btc, &trades[i], NULL, &error));
        g_assert_no_error (error);
      }
  }
  hs_test_reset_settings ();
  g_settings_set_boolean (settings, "retention-enabled", TRUE);
  g_settings_set_int (settings, "retention-days", 1);
  window = hs_window_new (NULL, path);
  gtk_window_present (GTK_WINDOW (window));
  hs_test_wait_for_load (window);
  wait_idle (window);
  g_assert_cmpuint (hs_recovery_get_backups (window), ==, 1);
  hs_test_close_window (window);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM trades", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  {
    g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_EXISTING, &error);

    g_assert_no_error (error);
    bars = hs_store_load_bars (store, btc, "1m", G_MININT64, G_MAXINT64, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (bars->n, ==, 2);
  /* 10:00: open 100, close 101 (two trades); 10:01: 102. */
  g_assert_cmpfloat (bars->open[0], ==, 100);
  g_assert_cmpfloat (bars->close[0], ==, 101);
  g_assert_cmpfloat (bars->close[1], ==, 102);
  hs_test_reset_settings ();
}

static void
test_restore_from_menu (void)
{
  g_autofree char *path = hs_test_temp_path ("menu.db");
  g_autofree char *dir = hs_backup_default_dir ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog = NULL;
  HsWindow *window = NULL;

  make_db (path, 3);
  g_assert_true (hs_backup_take (path, dir, 7, g_get_real_time (), NULL, &error));
  g_assert_no_error (error);
  /* After the backup, MSFT is added: restoring takes it away again. */
  add_instrument (path, "MSFT");
  before = symbols (path);
  g_assert_cmpstr (before, ==, "MSFT,SPY");

  window = hs_test_open_window (path);
  wait_idle (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "recovery.restore", NULL));
  dialog = wait_dialog (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Restore from Backup");
  g_assert_true (adw_message_dialog_has_response (dialog, "restore"));
  hs_gui_test_screenshot (GTK_WIDGET (dialog), "recovery-list.png");
  adw_message_dialog_response (dialog, "restore");
  /* The confirmation. */
  dialog = wait_dialog (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Restore the Backup?");
  hs_gui_test_screenshot (GTK_WIDGET (dialog), "recovery-confirm.png");
  adw_message_dialog_response (dialog, "restore");
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (hs_recovery_get_busy (window) > 0)
    g_main_context_iteration (NULL, TRUE);
  hs_test_wait_for_load (window);

  after = symbols (path);
  g_assert_cmpstr (after, ==, "SPY");
  /* The backup and the safety backup of the state it replaced. */
  g_assert_cmpuint (count_backups (path), ==, 2);
  hs_test_close_window (window);
}

/* Overwrites the first bytes of the page holding @table's root with 0xff: SQLite's
 * integrity check then reports the page (its page type is invalid). */
static void
corrupt_table (const char *path,
               const char *table)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int64_t page = 0, page_size = 0;
  FILE *f = NULL;
  unsigned char junk[64];

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_schema WHERE name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (page, >, 1);

  memset (junk, 0xff, sizeof junk);
  f = fopen (path, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, (long) ((page - 1) * page_size), SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (junk, 1, sizeof junk, f), ==, sizeof junk);
  g_assert_cmpint (fclose (f), ==, 0);
}

static void
test_damaged (void)
{
  g_autofree char *path = hs_test_temp_path ("damaged.db");
  g_autofree char *dir = hs_backup_default_dir ();
  g_autoptr(GSettings) settings = hs_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;
  g_autofree char *after = NULL;
  AdwMessageDialog *dialog = NULL;
  HsWindow *window = NULL;
  const char *name = NULL;
  gboolean kept = FALSE;

  make_db (path, 5);
  g_assert_true (hs_backup_take (path, dir, 7, g_get_real_time (), NULL, &error));
  g_assert_no_error (error);
  add_instrument (path, "AAPL");
  corrupt_table (path, "instruments");

  /* The last run ended without clearing the marker. */
  hs_test_reset_settings ();
  g_settings_set_boolean (settings, "clean-exit", FALSE);
  g_assert_true (hs_recovery_app_startup (settings));
  g_assert_false (g_settings_get_boolean (settings, "clean-exit"));

  window = hs_window_new (NULL, path);
  gtk_window_present (GTK_WINDOW (window));
  dialog = wait_dialog (window);
  g_assert_cmpuint (hs_recovery_get_checks (window), ==, 1);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Database Is Damaged");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "damaged.db"));
  g_assert_true (adw_message_dialog_has_response (dialog, "restore"));
  hs_gui_test_screenshot (GTK_WIDGET (dialog), "recovery-damaged.png");
  adw_message_dialog_response (dialog, "restore");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_idle (window);
  hs_test_wait_for_load (window);
  g_assert_cmpstr (hs_window_get_visible_view (window), ==, "pages");
  hs_gui_test_screenshot (GTK_WIDGET (window), "recovery-restored.png");

  /* The backup's data: SPY with its 5 bars, no AAPL (added after the backup). */
  after = symbols (path);
  g_assert_cmpstr (after, ==, "SPY");
  g_assert_cmpint (count_spy_bars (path), ==, 5);
  /* The damaged file is kept beside the backups. */
  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    kept |= g_str_has_prefix (name, "damaged-damaged-") && g_str_has_suffix (name, "Z.db");
  g_assert_true (kept);
  hs_test_close_window (window);

  hs_recovery_app_shutdown (settings);
  g_assert_true (g_settings_get_boolean (settings, "clean-exit"));
}

static void
test_clean_exit (void)
{
  g_autofree char *path = hs_test_temp_path ("clean.db");
  g_autoptr(GSettings) settings = hs_settings_new ();
  HsWindow *window = NULL;

  make_db (path, 2);
  corrupt_table (path, "instruments");
  hs_test_reset_settings ();
  g_assert_true (g_settings_get_boolean (settings, "clean-exit"));
  g_assert_false (hs_recovery_app_startup (settings));
  /* Running: the marker says "not clean" until the app quits. */
  g_assert_false (g_settings_get_boolean (settings, "clean-exit"));

  window = hs_window_new (NULL, path);
  gtk_window_present (GTK_WINDOW (window));
  hs_test_wait_for_load (window);
  wait_idle (window);
  g_assert_cmpuint (hs_recovery_get_checks (window), ==, 0);
  g_assert_null (hs_recovery_get_dialog (window));
  hs_test_close_window (window);
  hs_recovery_app_shutdown (settings);
  g_assert_true (g_settings_get_boolean (settings, "clean-exit"));
}

int
main (int    argc,
      char **argv)
{
  hs_gui_test_init (&argc, &argv);

  g_test_add_func ("/hs/ui/recovery/backup-due", test_backup_due);
  g_test_add_func ("/hs/ui/recovery/daily-backup", test_daily_backup);
  g_test_add_func ("/hs/ui/recovery/daily-retention", test_daily_retention);
  g_test_add_func ("/hs/ui/recovery/restore-from-menu", test_restore_from_menu);
  g_test_add_func ("/hs/ui/recovery/damaged", test_damaged);
  g_test_add_func ("/hs/ui/recovery/clean-exit", test_clean_exit);
  return g_test_run ();
}
