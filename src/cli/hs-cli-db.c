/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `db check`, `db backup FILE | --auto`, `db backups`, `db restore FILE`, `db migrate`:
 * maintenance of the database file (backups: src/jobs/hs-backup.c).
 */
#define G_LOG_DOMAIN "hs-cli"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

#include "hs-backup.h"
#include "hs-cli-common.h"
#include "hs-time.h"

int
hs_cli_db (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("check | backup FILE | backup --auto | backups | restore FILE | migrate");
  g_autoptr(HsStore) store = NULL;
  g_autofree char *path = NULL, *dir = NULL;
  gboolean autob = FALSE;
  int keep = 7;
  GError *error = NULL;
  int status = HS_EXIT_OK;
  const GOptionEntry entries[] = {
    { "auto", 0, 0, G_OPTION_ARG_NONE, &autob, "backup: a dated copy in the backup folder, the "
      "newest --keep kept", NULL },
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, "backup --auto: backups to keep (default 7)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "The backup folder (default "
      "$XDG_DATA_HOME/hindsight/backups)", "DIR" },
    { NULL }
  };

  g_option_context_set_summary (context,
    "check    runs SQLite's integrity_check and foreign_key_check; exit status 1 on a problem\n"
    "backup   copies the database with SQLite's online backup API (safe while the app writes);\n"
    "         --auto writes NAME-YYYYMMDDTHHMMSSZ.db into the backup folder, checks it, and\n"
    "         keeps the newest --keep\n"
    "backups  lists the backups of the database in the backup folder, newest first\n"
    "restore  checks a backup, backs the current database up, and copies the backup over it\n"
    "migrate  applies pending schema migrations and lists every migration");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!hs_cli_parse (context, &argc, &argv, &status))
    return status;
  if (dir == NULL)
    dir = hs_backup_default_dir ();
  if (argc < 2)
    {
      g_printerr ("hindsight-cli: db needs check, backup, backups, restore or migrate\n");
      return HS_EXIT_BAD_INPUT;
    }
  path = hs_cli_db_path (hs_cli_db_option);

  if (g_str_equal (argv[1], "check") && argc == 2)
    {
      g_autoptr(GPtrArray) problems = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_printerr ("hindsight-cli: %s does not exist\n", path);
          return HS_EXIT_FAILURE;
        }
      store = hs_store_open (path, HS_STORE_OPEN_READ_ONLY, &error);
      if (store == NULL || !hs_store_check (store, &problems, &error))
        return hs_cli_fail (error);
      for (guint i = 0; i < problems->len; i++)
        printf ("%s\n", (const char *) problems->pdata[i]);
      if (problems->len > 0)
        {
          printf ("%s: %u problems\n", path, problems->len);
          return HS_EXIT_FAILURE;
        }
      printf ("%s: ok\n", path);
      return HS_EXIT_OK;
    }
  if (g_str_equal (argv[1], "backup") && argc == 2 && autob)
    {
      g_autofree char *made = NULL;

      if (keep < 1)
        return hs_cli_usage_error ("--keep must be at least 1");
      if (!hs_backup_take (path, dir, keep, g_get_real_time (), &made, &error))
        return hs_cli_fail (error);
      printf ("%s: backed up to %s (keeping the newest %d)\n", path, made, keep);
      return HS_EXIT_OK;
    }
  if (g_str_equal (argv[1], "backups") && argc == 2)
    {
      g_autoptr(GPtrArray) list = hs_backup_list (dir, path, &error);

      if (list == NULL)
        return hs_cli_fail (error);
      for (guint i = 0; i < list->len; i++)
        {
          const HsBackupInfo *b = list->pdata[i];
          char when[40];

          hs_time_format_iso_buf (b->taken, when);
          printf ("%s  %12" G_GINT64_FORMAT "  %s\n", when, b->size, b->path);
        }
      if (list->len == 0)
        printf ("no backups of %s in %s\n", path, dir);
      return HS_EXIT_OK;
    }
  if (g_str_equal (argv[1], "restore") && argc == 3)
    {
      g_autoptr(GFile) src = g_file_new_for_commandline_arg (argv[2]);
      g_autofree char *src_path = g_file_get_path (src);
      g_autofree char *safety = NULL;

      if (!hs_backup_restore (path, src_path, dir, &safety, &error))
        return hs_cli_fail (error);
      printf ("%s: restored from %s", path, src_path);
      if (safety != NULL)
        printf (" (the previous state is in %s)", safety);
      printf ("\n");
      return HS_EXIT_OK;
    }
  if (g_str_equal (argv[1], "backup") && argc == 3)
    {
      g_autoptr(GFile) dest = g_file_new_for_commandline_arg (argv[2]);
      g_autofree char *dest_path = g_file_get_path (dest);
      g_autoptr(GFileInfo) info = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_printerr ("hindsight-cli: %s does not exist\n", path);
          return HS_EXIT_FAILURE;
        }
      store = hs_store_open (path, HS_STORE_OPEN_READ_ONLY, &error);
      if (store == NULL || !hs_store_backup (store, dest_path, &error))
        return hs_cli_fail (error);
      info = g_file_query_info (dest, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
      printf ("%s: backed up to %s (%" G_GINT64_FORMAT " bytes)\n", path, dest_path,
              info ? (gint64) g_file_info_get_size (info) : (gint64) -1);
      return HS_EXIT_OK;
    }
  if (g_str_equal (argv[1], "migrate") && argc == 2)
    {
      g_autoptr(GPtrArray) list = NULL;
      int applied = 0;

      store = hs_store_open (path, HS_STORE_OPEN_NO_MIGRATE, &error);
      if (store == NULL || !hs_store_migrate (store, &applied, &error)
          || (list = hs_store_list_migrations (store, &error)) == NULL)
        return hs_cli_fail (error);
      for (guint i = 0; i < list->len; i++)
        {
          HsMigrationInfo *m = list->pdata[i];
          char when[40];

          hs_time_format_iso_buf (m->applied_at, when);
          printf ("%03d %-40s %.12s %s\n", m->version, m->name, m->checksum, when);
        }
      printf ("%s: %d migrations applied now; schema at version %d\n", path, applied,
              hs_migrations_latest_version ());
      return HS_EXIT_OK;
    }
  g_printerr ("hindsight-cli: db needs check, backup FILE, backup --auto, backups, restore FILE "
              "or migrate\n");
  return HS_EXIT_BAD_INPUT;
}
