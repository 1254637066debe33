/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups (src/jobs/hs-backup.c) on real SQLite files: dated names (two in one second get a
 * suffix), the newest N kept, newest first; a restore gives back exactly the backed-up state
 * (hs_store_dump compared) and keeps a safety copy of what it replaced; a damaged backup or a
 * file that is not a database is refused and the live database stays byte for byte as it was.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-backup.h"
#include "hs-store-private.h"
#include "hs-store.h"

static char *tmpdir;

static char *
dump (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);
  char *text;

  g_assert_no_error (error);
  text = hs_store_dump (store, &error);
  g_assert_no_error (error);
  return text;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_true (hs_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

/* 2026-01-02T03:04:05Z */
#define T0 (G_GINT64_CONSTANT (1767323045) * G_USEC_PER_SEC)

static void
test_take_and_rotate (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "rot.db", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "rot-backups", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  char *made[4] = { NULL };

  exec_sql (db, "INSERT INTO instruments (symbol, created_at) VALUES ('A', 0)");
  /* Two in the same second, then two a day apart; keep 3. */
  g_assert_true (hs_backup_take (db, dir, 3, T0, &made[0], &error));
  g_assert_true (hs_backup_take (db, dir, 3, T0, &made[1], &error));
  g_assert_true (hs_backup_take (db, dir, 3, T0 + G_GINT64_CONSTANT (86400000000), &made[2], &error));
  g_assert_true (hs_backup_take (db, dir, 3, T0 + 2 * G_GINT64_CONSTANT (86400000000), &made[3], &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (made[0], "rot-20260102T030405Z.db"));
  g_assert_true (g_str_has_suffix (made[1], "rot-20260102T030405Z-1.db"));
  g_assert_true (g_str_has_suffix (made[3], "rot-20260104T030405Z.db"));

  list = hs_backup_list (dir, db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((HsBackupInfo *) list->pdata[0])->path, ==, made[3]);
  g_assert_cmpint (((HsBackupInfo *) list->pdata[0])->taken, ==, T0 + 2 * G_GINT64_CONSTANT (86400000000));
  g_assert_cmpstr (((HsBackupInfo *) list->pdata[1])->path, ==, made[2]);
  /* Of the two taken in the same second, the second (suffix -1) is the newer and stays. */
  g_assert_cmpstr (((HsBackupInfo *) list->pdata[2])->path, ==, made[1]);
  g_assert_false (g_file_test (made[0], G_FILE_TEST_EXISTS));
  for (int i = 0; i < 4; i++)
    g_free (made[i]);
}

static void
test_restore (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "live.db", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "live-backups", NULL);
  g_autofree char *backup = NULL, *safety = NULL, *before = NULL, *changed = NULL, *after = NULL;
  g_autofree char *safety_dump = NULL;
  g_autoptr(GError) error = NULL;

  exec_sql (db, "INSERT INTO instruments (symbol, created_at) VALUES ('SPY', 0), ('QQQ', 0)");
  before = dump (db);
  g_assert_true (hs_backup_take (db, dir, 5, T0, &backup, &error));
  exec_sql (db, "DELETE FROM instruments WHERE symbol = 'QQQ';"
                "INSERT INTO instruments (symbol, created_at) VALUES ('IWM', 1)");
  changed = dump (db);
  g_assert_cmpstr (changed, !=, before);

  g_assert_true (hs_backup_restore (db, backup, dir, &safety, &error));
  g_assert_no_error (error);
  after = dump (db);
  g_assert_cmpstr (after, ==, before);
  /* The state it replaced is in the safety copy. */
  safety_dump = dump (safety);
  g_assert_cmpstr (safety_dump, ==, changed);
}

static void
test_refused (void)
{
  g_autofree char *db = g_build_filename (tmpdir, "keep.db", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "keep-backups", NULL);
  g_autofree char *junk = g_build_filename (tmpdir, "junk.db", NULL);
  g_autofree char *damaged = NULL, *before = NULL, *contents = NULL, *after = NULL;
  g_autofree char *raw_before = NULL, *raw_after = NULL;
  gsize len = 0, raw_len_before = 0, raw_len_after = 0;
  g_autoptr(GError) e1 = NULL, e2 = NULL;

  exec_sql (db, "INSERT INTO instruments (symbol, created_at) VALUES ('SPY', 0)");
  g_assert_true (hs_backup_take (db, dir, 5, T0, &damaged, NULL));
  before = dump (db);
  g_assert_true (g_file_get_contents (db, &raw_before, &raw_len_before, NULL));

  /* Not a database at all. */
  g_assert_true (g_file_set_contents (junk, "hello, not SQLite", -1, NULL));
  g_assert_false (hs_backup_restore (db, junk, dir, NULL, &e1));
  g_assert_nonnull (e1);

  /* A real backup with its last page overwritten: SQLite opens it, the check finds the damage. */
  g_assert_true (g_file_get_contents (damaged, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8192);
  memset (contents + len - 4096, 0x5a, 4096);
  g_assert_true (g_file_set_contents (damaged, contents, (gssize) len, NULL));
  g_assert_false (hs_backup_restore (db, damaged, dir, NULL, &e2));
  g_assert_nonnull (e2);

  g_assert_true (g_file_get_contents (db, &raw_after, &raw_len_after, NULL));
  g_assert_cmpuint (raw_len_after, ==, raw_len_before);
  g_assert_true (memcmp (raw_after, raw_before, raw_len_after) == 0);
  after = dump (db);
  g_assert_cmpstr (after, ==, before);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("hs-backup-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/hs/jobs/backup/take-and-rotate", test_take_and_rotate);
  g_test_add_func ("/hs/jobs/backup/restore", test_restore);
  g_test_add_func ("/hs/jobs/backup/refused", test_refused);
  status = g_test_run ();
  remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
