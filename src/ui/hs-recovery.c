/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups and recovery in the app (issue 9; seed 004's backup strategy, for a desktop):
 *
 * - the daily backup: when the window has loaded its database, and every ten minutes after,
 *   a worker takes an online backup (hs_backup_take(), as `hindsight-cli db backup --auto`)
 *   when the newest is older than a day or older than today's backup hour, keeping the newest
 *   backup-keep; then, when enabled, retention runs;
 * - Restore from Backup… (recovery.restore in the primary menu): the backups with date and
 *   size, a confirmation, hs_backup_restore() (as `hindsight-cli db restore`), and the window
 *   reads the database again;
 * - the clean-exit marker (GSettings clean-exit): false while the app runs, true after a
 *   normal quit. Found false at start-up, every database a window opens is checked on a worker
 *   (SQLite's integrity and foreign-key checks, as `hindsight-cli db check`); a damaged one
 *   gets a message offering to restore its newest backup. The damaged file is moved into the
 *   backup folder ("NAME-damaged-YYYYMMDDTHHMMSSZ.db"), not deleted.
 */
#define G_LOG_DOMAIN "hs-recovery"

#include "config.h"

#include "hs-recovery.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hs-backup.h"
#include "hs-retention.h"
#include "hs-settings.h"
#include "hs-store.h"
#include "hs-ui.h"

/* How often a running app looks whether the daily backup is due. */
#define BACKUP_EVERY_S (10 * 60)

/* Set by hs_recovery_app_startup() when the last exit was not clean. */
static gboolean check_pending;
/* The databases checked since (each once). */
static GHashTable *checked_paths;

/**
 * hs_recovery_app_startup:
 * @settings: (nullable): the app's settings
 *
 * Reads the clean-exit marker and clears it until hs_recovery_app_shutdown(). When the last
 * exit was not clean, every database windows open from now on is checked once.
 *
 * Returns: whether the last exit was not clean (checks are pending)
 */
gboolean
hs_recovery_app_startup (GSettings *settings)
{
  if (settings == NULL)
    return FALSE;
  check_pending = !g_settings_get_boolean (settings, "clean-exit");
  g_clear_pointer (&checked_paths, g_hash_table_unref);
  if (check_pending)
    {
      g_message ("the last run did not end cleanly: databases are checked as they are opened");
      checked_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  g_settings_set_boolean (settings, "clean-exit", FALSE);
  g_settings_sync ();
  return check_pending;
}

/* Sets the clean-exit marker: the app quits normally. */
void
hs_recovery_app_shutdown (GSettings *settings)
{
  if (settings == NULL)
    return;
  g_settings_set_boolean (settings, "clean-exit", TRUE);
  g_settings_sync ();
}

/* Returns: whether databases are checked as they are opened */
gboolean
hs_recovery_get_check_pending (void)
{
  return check_pending;
}

/**
 * hs_recovery_backup_due:
 * @newest: µs UTC of the newest backup; 0 for none
 * @now: the time now, in the time zone the backup hour is in (local)
 * @backup_hour: 0 … 23
 *
 * Returns: whether the daily backup is due: there is none, the newest is a day old, or it was
 *   taken before today's @backup_hour which has passed
 */
gboolean
hs_recovery_backup_due (int64_t    newest,
                        GDateTime *now,
                        int        backup_hour)
{
  int64_t now_us = g_date_time_to_unix (now) * G_USEC_PER_SEC
                   + g_date_time_get_microsecond (now);
  g_autoptr(GDateTime) slot = NULL;

  if (newest <= 0 || now_us - newest >= G_USEC_PER_SEC * (int64_t) 86400)
    return TRUE;
  slot = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                          g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                          CLAMP (backup_hour, 0, 23), 0, 0);
  return slot != NULL && g_date_time_compare (now, slot) >= 0
         && newest < g_date_time_to_unix (slot) * G_USEC_PER_SEC;
}

/* ------------------------------------------------------------------------------------------ */
/* Work on a worker                                                                            */

typedef enum
{
  OP_CHECK,
  OP_BACKUP,
  OP_LIST,
  OP_RESTORE,
} Op;

typedef struct
{
  Op        op;
  char     *db_path;     /* (owned) */
  char     *dir;         /* (owned) the backup folder */
  char     *backup;      /* (owned) (nullable) OP_RESTORE: the backup to restore */
  gboolean  damaged;     /* OP_RESTORE: the current file failed its check: move it aside */
  int       keep;        /* OP_BACKUP */
  int       hour;        /* OP_BACKUP: the backup hour */
} Job;

typedef struct
{
  gboolean   damaged;    /* OP_CHECK */
  char      *problem;    /* (owned) (nullable) OP_CHECK: what the check found */
  char      *made;       /* (owned) (nullable) OP_BACKUP: the new backup, NULL when not due */
  char      *aside;      /* (owned) (nullable) OP_RESTORE: where the damaged file went */
  GPtrArray *backups;    /* (owned) (nullable) OP_CHECK, OP_LIST: newest first */
} JobResult;

static void
job_free (gpointer data)
{
  Job *j = data;

  g_free (j->db_path);
  g_free (j->dir);
  g_free (j->backup);
  g_free (j);
}

static void
job_result_free (gpointer data)
{
  JobResult *r = data;

  g_free (r->problem);
  g_free (r->made);
  g_free (r->aside);
  g_clear_pointer (&r->backups, g_ptr_array_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobResult, job_result_free)

/* Moves @path (and its -wal) into @dir as NAME-damaged-STAMP.db and removes its -shm. */
static gboolean
move_aside (const char *path,
            const char *dir,
            char      **aside,
            GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = NULL;
  g_autofree char *target = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (path);
  g_autoptr(GFile) to = NULL;

  if (g_str_has_suffix (base, ".db"))
    base[strlen (base) - 3] = '\0';
  name = g_strdup_printf ("%s-damaged-%s.db", base, stamp);
  target = g_build_filename (dir, name, NULL);
  to = g_file_new_for_path (target);
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_move (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", dir);
      return FALSE;
    }
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) wal_from = g_file_new_for_path (wal);
      g_autofree char *wal_target = g_strconcat (target, "-wal", NULL);
      g_autoptr(GFile) wal_to = g_file_new_for_path (wal_target);

      if (!g_file_move (wal_from, wal_to, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
        return FALSE;
    }
  g_unlink (shm);
  *aside = g_steal_pointer (&target);
  return TRUE;
}

static gboolean
run_check (Job        *j,
           JobResult  *r,
           GError    **error)
{
  g_autoptr(HsStore) store = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) local = NULL;

  r->backups = hs_backup_list (j->dir, j->db_path, error);
  if (r->backups == NULL)
    return FALSE;
  if (!g_file_test (j->db_path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  store = hs_store_open (j->db_path, HS_STORE_OPEN_READ_ONLY, &local);
  if (store != NULL)
    hs_store_check (store, &problems, &local);
  if (local != NULL)
    {
      /* A file SQLite cannot read at all is as damaged as one with bad pages. */
      r->damaged = g_error_matches (local, HS_STORE_ERROR, HS_STORE_ERROR_CORRUPT);
      if (!r->damaged)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      r->problem = g_strdup (local->message);
      return TRUE;
    }
  if (problems->len > 0)
    {
      r->damaged = TRUE;
      r->problem = g_strdup (problems->pdata[0]);
    }
  return TRUE;
}

static gboolean
run_backup (Job        *j,
            JobResult  *r,
            GError    **error)
{
  g_autoptr(GPtrArray) list = hs_backup_list (j->dir, j->db_path, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int64_t newest = 0;

  if (list == NULL)
    return FALSE;
  if (list->len > 0)
    newest = ((HsBackupInfo *) list->pdata[0])->taken;
  if (!hs_recovery_backup_due (newest, now, j->hour))
    return TRUE;
  return hs_backup_take (j->db_path, j->dir, j->keep, g_get_real_time (), &r->made, error);
}

static void
job_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *j = task_data;
  g_autoptr(JobResult) r = g_new0 (JobResult, 1);
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (j->op)
    {
    case OP_CHECK:
      ok = run_check (j, r, &error);
      break;
    case OP_BACKUP:
      ok = run_backup (j, r, &error);
      break;
    case OP_LIST:
      r->backups = hs_backup_list (j->dir, j->db_path, &error);
      ok = r->backups != NULL;
      break;
    case OP_RESTORE:
      ok = (!j->damaged || move_aside (j->db_path, j->dir, &r->aside, &error))
           && hs_backup_restore (j->db_path, j->backup, j->dir, NULL, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&r), job_result_free);
}

/* ------------------------------------------------------------------------------------------ */
/* A window's state                                                                            */

typedef struct
{
  GSettings        *settings;     /* (owned) (nullable) */
  GCancellable     *cancellable;  /* (owned) */
  GSimpleAction    *restore;      /* (owned) recovery.restore: only with a database */
  AdwMessageDialog *dialog;       /* (nullable) weak: the dialog shown last */
  char             *backup_dir;   /* (owned) */
  gboolean          damaged;      /* the window's database failed its check */
  gboolean          backing_up;
  guint             busy;         /* jobs running */
  guint             checks;       /* checks started */
  guint             backups;      /* backups taken */
  guint             timer;
} Recovery;

static void
recovery_free (gpointer data)
{
  Recovery *r = data;

  g_cancellable_cancel (r->cancellable);
  g_clear_object (&r->cancellable);
  g_clear_object (&r->settings);
  g_clear_object (&r->restore);
  g_clear_weak_pointer (&r->dialog);
  g_clear_handle_id (&r->timer, g_source_remove);
  g_free (r->backup_dir);
  g_free (r);
}

static Recovery *
get_recovery (HsWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "hs-recovery");
}

typedef void (*DoneFunc) (HsWindow   *window,
                          Recovery   *rec,
                          Job        *job,
                          JobResult  *result,
                          GError     *error);

typedef struct
{
  GWeakRef  window;
  DoneFunc  done;
} Pending;

static void
job_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  Pending *p = user_data;
  g_autoptr(HsWindow) window = g_weak_ref_get (&p->window);
  g_autoptr(JobResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Recovery *rec = NULL;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (window != NULL && (rec = get_recovery (window)) != NULL
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      rec->busy--;
      p->done (window, rec, g_task_get_task_data (G_TASK (res)), result, error);
    }
  g_weak_ref_clear (&p->window);
  g_free (p);
}

/* Runs @job (taken) for @window on a worker; @done gets its result on the main thread. */
static void
start_job (HsWindow *window,
           Job      *job,
           DoneFunc  done)
{
  Recovery *rec = get_recovery (window);
  g_autoptr(GTask) task = NULL;
  Pending *p = g_new0 (Pending, 1);

  g_weak_ref_init (&p->window, window);
  p->done = done;
  job->dir = g_strdup (rec->backup_dir);
  rec->busy++;
  task = g_task_new (NULL, rec->cancellable, job_done_cb, p);
  g_task_set_name (task, "[hindsight] backup");
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, job_worker);
}

static Job *
job_new (Op          op,
         const char *db_path)
{
  Job *j = g_new0 (Job, 1);

  j->op = op;
  j->db_path = g_strdup (db_path);
  return j;
}

static char *
format_time (int64_t us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);

  /* Translators: a backup's date and time in dialogs; see g_date_time_format() */
  return dt != NULL ? g_date_time_format (dt, _("%Y-%m-%d %H:%M")) : g_strdup ("?");
}

static AdwMessageDialog *
new_dialog (HsWindow   *window,
            Recovery   *rec,
            const char *heading,
            const char *body)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (window),
                                                                         heading, body));

  g_set_weak_pointer (&rec->dialog, dialog);
  return dialog;
}

static void
toast (HsWindow   *window,
       const char *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 0);
  hs_window_add_toast (window, t);
}

/* ---- Restoring ---- */

static void
restore_done (HsWindow  *window,
              Recovery  *rec,
              Job       *job,
              JobResult *result,
              GError    *error)
{
  g_autofree char *text = NULL;

  if (result == NULL)
    {
      /* Translators: a toast, "Restoring failed: …" */
      text = g_strdup_printf (_("Restoring failed: %s"), error->message);
      toast (window, text);
      return;
    }
  rec->damaged = FALSE;
  text = g_path_get_basename (job->backup);
  {
    /* Translators: a toast, "Restored hindsight-20261120T030000Z.db" */
    g_autofree char *message = g_strdup_printf (_("Restored %s"), text);

    toast (window, message);
  }
  hs_window_reload (window);
}

static void
start_restore (HsWindow   *window,
               const char *backup,
               gboolean    damaged)
{
  Job *job = job_new (OP_RESTORE, hs_window_get_database_path (window));

  job->backup = g_strdup (backup);
  job->damaged = damaged;
  start_job (window, job, restore_done);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     HsWindow         *window)
{
  const char *backup = g_object_get_data (G_OBJECT (dialog), "hs-backup");

  if (g_str_equal (response, "restore"))
    start_restore (window, backup, get_recovery (window)->damaged);
}

static void
confirm_restore (HsWindow           *window,
                 const HsBackupInfo *info)
{
  Recovery *rec = get_recovery (window);
  g_autofree char *when = format_time (info->taken);
  g_autofree char *db = g_path_get_basename (hs_window_get_database_path (window));
  /* Translators: "hindsight.db is replaced by its backup of 2026-11-20 03:00. …" */
  g_autofree char *body = g_strdup_printf (_("%s is replaced by its backup of %s. Its current "
                                             "state is backed up first, so this can be "
                                             "undone."), db, when);
  AdwMessageDialog *dialog = new_dialog (window, rec, _("Restore the Backup?"), body);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "hs-backup", g_strdup (info->path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), window, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
choose_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    HsWindow         *window)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "hs-list");
  GPtrArray *backups = g_object_get_data (G_OBJECT (dialog), "hs-backups");
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);

  if (!g_str_equal (response, "restore") || row == NULL)
    return;
  confirm_restore (window, backups->pdata[gtk_list_box_row_get_index (row)]);
}

static void
list_done (HsWindow  *window,
           Recovery  *rec,
           Job       *job,
           JobResult *result,
           GError    *error)
{
  AdwMessageDialog *dialog = NULL;
  GtkWidget *list = NULL;
  GtkWidget *scrolled = NULL;

  if (result == NULL)
    {
      toast (window, error->message);
      return;
    }
  if (result->backups->len == 0)
    {
      g_autofree char *body = g_strdup_printf (_("There is no backup of this database in %s "
                                                 "yet."), rec->backup_dir);

      dialog = new_dialog (window, rec, _("No Backups"), body);
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  dialog = new_dialog (window, rec, _("Restore from Backup"),
                       _("Choose the backup to restore. The current state of the database is "
                         "backed up first."));
  list = gtk_list_box_new ();
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_SINGLE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Backups"), -1);
  for (guint i = 0; i < result->backups->len; i++)
    {
      const HsBackupInfo *info = result->backups->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = format_time (info->taken);
      g_autofree char *size = g_format_size ((guint64) MAX (info->size, 0));
      g_autofree char *name = g_path_get_basename (info->path);
      /* Translators: a backup in the list, "1.2 MB · hindsight-20261120T030000Z.db" */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), size, name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  gtk_list_box_select_row (GTK_LIST_BOX (list), gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  adw_message_dialog_set_extra_child (dialog, scrolled);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "restore", _("_Restore…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "restore");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "hs-list", list);
  g_object_set_data_full (G_OBJECT (dialog), "hs-backups", g_ptr_array_ref (result->backups),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (choose_response_cb), window, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * hs_recovery_show_restore:
 *
 * Restore from Backup…: lists the backups of @window's database on a worker, then asks which
 * to restore and to confirm.
 */
void
hs_recovery_show_restore (HsWindow *window)
{
  const char *path = hs_window_get_database_path (window);

  g_return_if_fail (get_recovery (window) != NULL);
  if (path == NULL)
    return;
  start_job (window, job_new (OP_LIST, path), list_done);
}

static void
restore_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  hs_recovery_show_restore (HS_WINDOW (user_data));
}

/* ---- The check after an exit that was not clean ---- */

static void
damaged_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     HsWindow         *window)
{
  const char *backup = g_object_get_data (G_OBJECT (dialog), "hs-backup");

  if (g_str_equal (response, "restore") && backup != NULL)
    start_restore (window, backup, TRUE);
}

static void
check_done (HsWindow  *window,
            Recovery  *rec,
            Job       *job,
            JobResult *result,
            GError    *error)
{
  g_autofree char *db = g_path_get_basename (job->db_path);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog = NULL;

  if (result == NULL)
    {
      g_message ("checking %s failed: %s", job->db_path, error->message);
      return;
    }
  if (!result->damaged)
    {
      g_message ("%s passed its check", job->db_path);
      return;
    }
  rec->damaged = TRUE;
  if (result->backups->len > 0)
    {
      const HsBackupInfo *newest = result->backups->pdata[0];
      g_autofree char *when = format_time (newest->taken);

      /* Translators: "Hindsight did not end normally last time, and hindsight.db now fails
       * SQLite's integrity check (…). Restore its newest backup, of 2026-11-20 03:00? …" */
      body = g_strdup_printf (_("Hindsight did not end normally last time, and %s now fails "
                                "SQLite’s integrity check (%s).\n\nRestore its newest backup, "
                                "of %s? The damaged file is kept in the backup folder."),
                              db, result->problem, when);
      dialog = new_dialog (window, rec, _("The Database Is Damaged"), body);
      adw_message_dialog_add_responses (dialog, "keep", _("_Keep Using It"), "restore",
                                        _("_Restore Backup"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "restore");
      adw_message_dialog_set_close_response (dialog, "keep");
      g_object_set_data_full (G_OBJECT (dialog), "hs-backup", g_strdup (newest->path), g_free);
    }
  else
    {
      body = g_strdup_printf (_("Hindsight did not end normally last time, and %s now fails "
                                "SQLite’s integrity check (%s).\n\nThere is no backup of it to "
                                "restore. `hindsight-cli db check` tells more."), db,
                              result->problem);
      dialog = new_dialog (window, rec, _("The Database Is Damaged"), body);
      adw_message_dialog_add_response (dialog, "keep", _("_Close"));
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (damaged_response_cb), window, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
database_path_cb (HsWindow   *window,
                  GParamSpec *pspec,
                  gpointer    data)
{
  Recovery *rec = get_recovery (window);
  const char *path = hs_window_get_database_path (window);

  rec->damaged = FALSE;
  g_simple_action_set_enabled (rec->restore, path != NULL);
  if (!check_pending || path == NULL || checked_paths == NULL
      || !g_hash_table_add (checked_paths, g_strdup (path)))
    return;
  rec->checks++;
  start_job (window, job_new (OP_CHECK, path), check_done);
}

/* ---- The daily backup ---- */

static void
retention_done_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(HsUiJob) data = user_data;
  g_autoptr(HsWindow) window = g_weak_ref_get (&data->owner);
  g_autoptr(HsRetentionResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Recovery *rec = NULL;

  result = hs_retention_run_finish (res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (result == NULL)
    g_message ("retention failed: %s", error->message);
  else
    g_debug ("retention rolled up %u instrument-days", result->days->len);
  if (window != NULL && (rec = get_recovery (window)) != NULL)
    rec->busy--;
}

static void
backup_done (HsWindow  *window,
             Recovery  *rec,
             Job       *job,
             JobResult *result,
             GError    *error)
{
  HsRetentionRequest request;

  rec->backing_up = FALSE;
  if (result == NULL)
    {
      g_message ("the daily backup of %s failed: %s", job->db_path, error->message);
      return;
    }
  if (result->made == NULL)
    return;
  rec->backups++;
  g_message ("backed %s up to %s", job->db_path, result->made);
  if (rec->settings == NULL || !g_settings_get_boolean (rec->settings, "retention-enabled"))
    return;
  hs_retention_request_init (&request);
  request.days = g_settings_get_int (rec->settings, "retention-days");
  rec->busy++;
  hs_retention_run_async (job->db_path, &request, NULL, NULL, rec->cancellable,
                          retention_done_cb, hs_ui_job_new (window, rec->cancellable));
}

/**
 * hs_recovery_maybe_backup:
 *
 * Takes the daily backup of @window's database on a worker when backups are enabled and one
 * is due (hs_recovery_backup_due()).
 */
void
hs_recovery_maybe_backup (HsWindow *window)
{
  Recovery *rec = get_recovery (window);
  const char *path = hs_window_get_database_path (window);
  Job *job = NULL;

  g_return_if_fail (rec != NULL);
  if (path == NULL || rec->damaged || rec->backing_up || rec->settings == NULL
      || !g_settings_get_boolean (rec->settings, "backup-enabled"))
    return;
  job = job_new (OP_BACKUP, path);
  job->keep = g_settings_get_int (rec->settings, "backup-keep");
  job->hour = g_settings_get_int (rec->settings, "backup-hour");
  rec->backing_up = TRUE;
  start_job (window, job, backup_done);
}

static gboolean
backup_timer_cb (gpointer data)
{
  hs_recovery_maybe_backup (HS_WINDOW (data));
  return G_SOURCE_CONTINUE;
}

/**
 * hs_recovery_attach:
 *
 * Gives @window the action recovery.restore (Restore from Backup…), the daily backup, and the
 * check of each database it opens while checks are pending (hs_recovery_app_startup()).
 */
void
hs_recovery_attach (HsWindow *window)
{
  Recovery *rec = g_new0 (Recovery, 1);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) restore = g_simple_action_new ("restore", NULL);

  g_return_if_fail (HS_IS_WINDOW (window));
  rec->settings = hs_settings_new ();
  rec->cancellable = g_cancellable_new ();
  rec->backup_dir = hs_backup_default_dir ();
  g_object_set_data_full (G_OBJECT (window), "hs-recovery", rec, recovery_free);
  /* The window holds the timer through @rec: removed before the window goes. */
  rec->timer = g_timeout_add_seconds (BACKUP_EVERY_S, backup_timer_cb, window);

  rec->restore = g_object_ref (restore);
  g_simple_action_set_enabled (restore, FALSE);
  g_signal_connect_object (restore, "activate", G_CALLBACK (restore_action_cb), window, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (restore));
  gtk_widget_insert_action_group (GTK_WIDGET (window), "recovery", G_ACTION_GROUP (group));
  g_signal_connect (window, "notify::database-path", G_CALLBACK (database_path_cb), NULL);
  g_signal_connect (window, "database-loaded", G_CALLBACK (hs_recovery_maybe_backup), NULL);
}

/* Returns: (transfer none) (nullable): the dialog shown last, while it is open */
AdwMessageDialog *
hs_recovery_get_dialog (HsWindow *window)
{
  Recovery *rec = get_recovery (window);

  return rec != NULL ? rec->dialog : NULL;
}

/* Returns: jobs still running */
guint
hs_recovery_get_busy (HsWindow *window)
{
  Recovery *rec = get_recovery (window);

  return rec != NULL ? rec->busy : 0;
}

/* Returns: checks started for @window */
guint
hs_recovery_get_checks (HsWindow *window)
{
  Recovery *rec = get_recovery (window);

  return rec != NULL ? rec->checks : 0;
}

/* Returns: daily backups @window took */
guint
hs_recovery_get_backups (HsWindow *window)
{
  Recovery *rec = get_recovery (window);

  return rec != NULL ? rec->backups : 0;
}
