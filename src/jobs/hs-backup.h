/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Backups of a database file (seed 004's backup strategy, for a desktop; hs-backup.c): dated
 * online copies in a folder, the newest N kept, each checked after it is written; and restoring
 * one over the live database after a safety copy of the current state. */

typedef struct
{
  char    *path;     /* (owned) */
  int64_t  taken;    /* µs UTC, from the file name */
  int64_t  size;     /* bytes */
  unsigned seq;      /* N of a "-N" suffix: backups taken in the same second */
} HsBackupInfo;

char      *hs_backup_default_dir (void);
GPtrArray *hs_backup_list        (const char  *dir,
                                  const char  *db_path,
                                  GError     **error);
gboolean   hs_backup_take        (const char  *db_path,
                                  const char  *dir,
                                  int          keep,
                                  int64_t      now,
                                  char       **out_path,
                                  GError     **error);
gboolean   hs_backup_restore     (const char  *db_path,
                                  const char  *backup_path,
                                  const char  *dir,
                                  char       **safety_path,
                                  GError     **error);
void       hs_backup_info_free   (HsBackupInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsBackupInfo, hs_backup_info_free)

G_END_DECLS
