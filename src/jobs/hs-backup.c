/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups of a database file. A backup is an online copy (SQLite's backup API: safe while the
 * app writes) named after the database and the time it was taken, "NAME-YYYYMMDDTHHMMSSZ.db", in
 * a folder (by default the user's data folder, hindsight/backups: in the Flatpak the app's own).
 * Each new copy is opened and integrity-checked before older ones are removed, so a bad copy
 * never replaces a good one; the newest @keep are kept. Restoring checks the backup the same way,
 * takes a safety backup of the current database, then copies the backup's pages over the live
 * database in one step.
 */
#define G_LOG_DOMAIN "hs-jobs"

#include "config.h"

#include "hs-backup.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "hs-store.h"

void
hs_backup_info_free (HsBackupInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info);
}

/* Returns: (transfer full): $XDG_DATA_HOME/hindsight/backups */
char *
hs_backup_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "hindsight", "backups", NULL);
}

/* The database's file name without ".db", the prefix of its backups' names. */
static char *
base_name (const char *db_path)
{
  g_autofree char *name = g_path_get_basename (db_path);

  if (g_str_has_suffix (name, ".db"))
    name[strlen (name) - 3] = '\0';
  return g_steal_pointer (&name);
}

/* "NAME-YYYYMMDDTHHMMSSZ[-N].db" → its time and N (0 without); FALSE for any other name. */
static gboolean
parse_name (const char *file,
            const char *base,
            int64_t    *taken,
            unsigned   *seq)
{
  size_t blen = strlen (base);
  const char *stamp = file + blen + 1;
  int y, mo, d, h, mi, s, n;
  g_autoptr(GDateTime) dt = NULL;
  char tail[8] = "";

  if (strncmp (file, base, blen) != 0 || file[blen] != '-'
      || sscanf (stamp, "%4d%2d%2dT%2d%2d%2dZ%n", &y, &mo, &d, &h, &mi, &s, &n) != 6)
    return FALSE;
  *seq = 0;
  if (!g_str_equal (stamp + n, ".db")
      && (sscanf (stamp + n, "-%u%7s", seq, tail) != 2 || !g_str_equal (tail, ".db")))
    return FALSE;
  dt = g_date_time_new_utc (y, mo, d, h, mi, s);
  if (dt == NULL)
    return FALSE;
  *taken = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  const HsBackupInfo *x = *(HsBackupInfo * const *) a, *y = *(HsBackupInfo * const *) b;

  if (x->taken != y->taken)
    return x->taken > y->taken ? -1 : 1;
  return x->seq > y->seq ? -1 : x->seq < y->seq;
}

/**
 * hs_backup_list:
 * @db_path: the database whose backups are listed (by its name)
 *
 * Returns: (transfer full) (element-type HsBackupInfo): the backups in @dir, newest first; an
 *   empty list when @dir does not exist
 */
GPtrArray *
hs_backup_list (const char *dir,
                const char *db_path,
                GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_backup_info_free);
  g_autofree char *base = base_name (db_path);
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&out);
  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      HsBackupInfo *info;
      GStatBuf st;
      int64_t taken;
      unsigned seq;

      if (!parse_name (name, base, &taken, &seq))
        continue;
      info = g_new0 (HsBackupInfo, 1);
      info->seq = seq;
      info->path = g_build_filename (dir, name, NULL);
      info->taken = taken;
      info->size = g_stat (info->path, &st) == 0 ? (int64_t) st.st_size : -1;
      g_ptr_array_add (out, info);
    }
  g_ptr_array_sort (out, newest_first);
  return g_steal_pointer (&out);
}

/* Opens @path read-only and runs the integrity and foreign-key checks. */
static gboolean
check_file (const char *path,
            HsStore   **out,
            GError    **error)
{
  g_autoptr(HsStore) store = hs_store_open (path, HS_STORE_OPEN_READ_ONLY, error);
  g_autoptr(GPtrArray) problems = NULL;

  if (store == NULL)
    return FALSE;   /* the message names the file */
  if (!hs_store_check (store, &problems, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (problems->len > 0)
    {
      g_set_error (error, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT, "%s is damaged: %s (%u problem%s)",
                   path, (const char *) problems->pdata[0], problems->len,
                   problems->len == 1 ? "" : "s");
      return FALSE;
    }
  if (out != NULL)
    *out = g_steal_pointer (&store);
  return TRUE;
}

/* A free name for a backup of @db_path taken at @now. */
static char *
new_name (const char *db_path,
          const char *dir,
          int64_t     now)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autofree char *base = base_name (db_path);
  g_autofree char *stamp = g_date_time_format (dt, "%Y%m%dT%H%M%SZ");
  char *path = NULL;

  for (int n = 0; path == NULL || g_file_test (path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *file = n == 0 ? g_strdup_printf ("%s-%s.db", base, stamp)
                                     : g_strdup_printf ("%s-%s-%d.db", base, stamp, n);

      g_free (path);
      path = g_build_filename (dir, file, NULL);
    }
  return path;
}

/**
 * hs_backup_take:
 * @dir: the backup folder, created when missing
 * @keep: backups of this database to keep (at least 1); older ones are removed after the new
 *   one has passed its check
 * @now: µs UTC, the time in the name
 * @out_path: (out) (optional) (transfer full): the new backup
 *
 * Takes an online backup of @db_path and checks it.
 */
gboolean
hs_backup_take (const char *db_path,
                const char *dir,
                int         keep,
                int64_t     now,
                char      **out_path,
                GError    **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *path = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot create %s: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s does not exist", db_path);
      return FALSE;
    }
  store = hs_store_open (db_path, HS_STORE_OPEN_READ_ONLY, error);
  path = new_name (db_path, dir, now);
  if (store == NULL || !hs_store_backup (store, path, error))
    return FALSE;
  if (!check_file (path, NULL, error))
    {
      g_unlink (path);
      return FALSE;
    }
  list = hs_backup_list (dir, db_path, error);
  if (list == NULL)
    return FALSE;
  for (guint i = MAX (keep, 1); i < list->len; i++)
    g_unlink (((HsBackupInfo *) list->pdata[i])->path);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return TRUE;
}

/**
 * hs_backup_restore:
 * @dir: where the safety backup of the current database goes (kept with the others)
 * @safety_path: (out) (optional) (transfer full): that backup
 *
 * Checks @backup_path (it must open as a Hindsight database no newer than this program, and pass
 * the integrity check), backs the current @db_path up, and copies the backup over it. A refused
 * backup leaves @db_path untouched.
 */
gboolean
hs_backup_restore (const char *db_path,
                   const char *backup_path,
                   const char *dir,
                   char      **safety_path,
                   GError    **error)
{
  g_autoptr(HsStore) source = NULL, store = NULL;
  g_autofree char *safety = NULL;

  if (!check_file (backup_path, &source, error))
    return FALSE;
  if (g_file_test (db_path, G_FILE_TEST_EXISTS)
      && !hs_backup_take (db_path, dir, G_MAXINT, g_get_real_time (), &safety, error))
    {
      g_prefix_error (error, "the safety backup before restoring failed: ");
      return FALSE;
    }
  store = hs_store_open (db_path, HS_STORE_OPEN_NO_MIGRATE, error);
  if (store == NULL || !hs_store_restore_from (store, source, error))
    return FALSE;
  if (safety_path != NULL)
    *safety_path = g_steal_pointer (&safety);
  return TRUE;
}
