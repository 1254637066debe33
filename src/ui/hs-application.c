/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application: parses `hindsight [--db PATH] [--version]`, decides which database a window
 * shows (--db, else $HINDSIGHT_DB, else the database opened last, else the default
 * ~/.local/share/hindsight/hindsight.db when it exists; with none of them the window offers to
 * create one) and opens one window per database. A second `hindsight` started while one runs
 * hands its command line to the first, which opens or raises the window for that database.
 * The keyboard shortcuts of every window action are set here, so the menus show them.
 */
#define G_LOG_DOMAIN "hs-application"

#include "config.h"

#include "hs-application.h"

#include <glib/gi18n.h>

#include "hs-about.h"
#include "hs-job-worker.h"
#include "hs-notify.h"
#include "hs-preferences.h"
#include "hs-recovery.h"
#include "hs-settings.h"
#include "hs-ui.h"
#include "hs-window.h"

struct _HsApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (HsApplication, hs_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Database file (default: $HINDSIGHT_DB, else ~/.local/share/hindsight/hindsight.db)"),
    N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/**
 * hs_default_database_path:
 *
 * Returns: (transfer full): ~/.local/share/hindsight/hindsight.db (in the XDG data folder)
 */
char *
hs_default_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "hindsight", "hindsight.db", NULL);
}

/**
 * hs_choose_database:
 * @option: (nullable): the --db argument
 * @env_value: (nullable): the value of $HINDSIGHT_DB
 * @last: (nullable): the database opened last (GSettings last-database)
 * @default_path: the default database, hs_default_database_path()
 *
 * Which database a window opens on start: @option, else @env_value (both as given: a missing
 * file is created), else @last when the file is still there, else @default_path when it
 * exists. Empty strings count as not given.
 *
 * Returns: (transfer full) (nullable): the path, or %NULL: offer to create a database
 */
char *
hs_choose_database (const char *option,
                    const char *env_value,
                    const char *last,
                    const char *default_path)
{
  if (option != NULL && option[0] != '\0')
    return g_strdup (option);
  if (env_value != NULL && env_value[0] != '\0')
    return g_strdup (env_value);
  if (last != NULL && last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
    return g_strdup (last);
  if (default_path != NULL && g_file_test (default_path, G_FILE_TEST_IS_REGULAR))
    return g_strdup (default_path);
  return NULL;
}

/* Returns: (transfer full) (nullable): hs_choose_database() with the remembered database */
static char *
choose_database (const char *option,
                 const char *env_value)
{
  g_autoptr(GSettings) settings = hs_settings_new ();
  g_autofree char *last = settings != NULL ? g_settings_get_string (settings, "last-database")
                                           : NULL;
  g_autofree char *default_path = hs_default_database_path ();

  return hs_choose_database (option, env_value, last, default_path);
}

static void
open_window (HsApplication *self,
             const char    *path)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  HsWindow *window = NULL;

  for (GList *l = windows; l != NULL; l = l->next)
    if (HS_IS_WINDOW (l->data)
        && (path == NULL || g_strcmp0 (hs_window_get_database_path (l->data), path) == 0))
      {
        gtk_window_present (GTK_WINDOW (l->data));
        return;
      }

  window = hs_window_new (GTK_APPLICATION (self), path);
  gtk_window_present (GTK_WINDOW (window));
}

static int
hs_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("hindsight %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static int
hs_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *db = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_variant_dict_lookup (options, "db", "^&ay", &db);
  path = choose_database (db, g_application_command_line_getenv (cmdline, "HINDSIGHT_DB"));
  if (path == NULL)
    {
      open_window (HS_APPLICATION (app), NULL);
      return 0;
    }
  /* A relative path is relative to the directory `hindsight` was started in, which for a
   * command line forwarded to a running instance is not ours. */
  file = g_application_command_line_create_file_for_arg (cmdline, path);
  g_free (path);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_application_command_line_printerr (cmdline, _("hindsight: not a local file: %s\n"),
                                           db);
      return 1;
    }
  open_window (HS_APPLICATION (app), path);
  return 0;
}

static void
hs_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *path = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  path = choose_database (NULL, g_getenv ("HINDSIGHT_DB"));
  open_window (HS_APPLICATION (app), path);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  hs_about_show (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  hs_preferences_show (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* Every shortcut of the application, so that menus show them; the shortcuts window
 * (ui/hs-shortcuts-window.ui) lists the same. */
static const struct
{
  const char *action;
  const char *accels[3];
} shortcuts[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.show-help-overlay", { "<Control>question", "F1", NULL } },
  { "window.open-database", { "<Control>o", NULL } },
  { "window.new-database", { "<Control>n", NULL } },
  { "window.import", { "<Control>i", NULL } },
  { "window.reload", { "F5", "<Control>r", NULL } },
  { "window.search", { "<Control>f", NULL } },
  { "window.show-sidebar", { "F9", NULL } },
  { "window.show-page('overview')", { "<Control>1", NULL } },
  { "window.show-page('data')", { "<Control>2", NULL } },
  { "window.show-page('backtests')", { "<Control>3", NULL } },
  { "window.show-page('trades')", { "<Control>4", NULL } },
  { "window.show-page('export')", { "<Control>5", NULL } },
};

static void
hs_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { .name = "about", .activate = about_action_cb },
    { .name = "preferences", .activate = preferences_action_cb },
    { .name = "quit", .activate = quit_action_cb },
  };

  G_APPLICATION_CLASS (hs_application_parent_class)->startup (app);

  hs_ui_init ();
  /* Light or dark as the desktop prefers (the default scheme, said explicitly). */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  for (size_t i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), shortcuts[i].action,
                                           shortcuts[i].accels);
  /* Notifications open pages (app.show-page); the clean-exit marker (hs-recovery.c). */
  hs_notify_install (app);
  {
    g_autoptr(GSettings) settings = hs_settings_new ();

    hs_recovery_app_startup (settings);
  }
}

static void
hs_application_shutdown (GApplication *app)
{
  g_autoptr(GSettings) settings = hs_settings_new ();

  hs_recovery_app_shutdown (settings);
  hs_job_set_finished_func (NULL, NULL);
  G_APPLICATION_CLASS (hs_application_parent_class)->shutdown (app);
}

static void
hs_application_class_init (HsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = hs_application_handle_local_options;
  app_class->command_line = hs_application_command_line;
  app_class->activate = hs_application_activate;
  app_class->startup = hs_application_startup;
  app_class->shutdown = hs_application_shutdown;
}

static void
hs_application_init (HsApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The Hindsight window: market data, backtests "
                                              "and paper trades of one database file."));
}

/* Returns: (transfer full): the application */
HsApplication *
hs_application_new (void)
{
  /* The resources (style.css, gtk/help-overlay.ui, icons/) live under
   * /io/github/hindsight/Hindsight, which is not derived from the id io.github.hindsight. */
  return g_object_new (HS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", "/io/github/hindsight/Hindsight",
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_SEND_ENVIRONMENT,
                       NULL);
}
