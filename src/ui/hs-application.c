/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application: parses `hindsight [--db PATH] [--version]`, decides which database a window
 * shows (--db, else $HINDSIGHT_DB, else ~/.local/share/hindsight/hindsight.db, as hindsight-cli
 * does) and opens one window per database. A second `hindsight` started while one runs hands its
 * command line to the first, which opens or raises the window for that database.
 */
#define G_LOG_DOMAIN "hs-application"

#include "config.h"

#include "hs-application.h"

#include <glib/gi18n.h>

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
 * hs_resolve_database_path:
 * @option: (nullable): the --db argument
 * @env_value: (nullable): the value of $HINDSIGHT_DB
 *
 * Returns: (transfer full): @option, else @env_value, else the default path; empty strings count
 *   as not given
 */
char *
hs_resolve_database_path (const char *option,
                          const char *env_value)
{
  if (option != NULL && option[0] != '\0')
    return g_strdup (option);
  if (env_value != NULL && env_value[0] != '\0')
    return g_strdup (env_value);
  return hs_default_database_path ();
}

static void
open_window (HsApplication *self,
             const char    *path)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  HsWindow *window = NULL;

  for (GList *l = windows; l != NULL; l = l->next)
    if (HS_IS_WINDOW (l->data)
        && g_strcmp0 (hs_window_get_database_path (l->data), path) == 0)
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
  path = hs_resolve_database_path (db, g_application_command_line_getenv (cmdline,
                                                                         "HINDSIGHT_DB"));
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
  path = hs_resolve_database_path (NULL, g_getenv ("HINDSIGHT_DB"));
  open_window (HS_APPLICATION (app), path);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  static const char *developers[] = { "The Hindsight developers", NULL };
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (parent != NULL
                                                          ? gtk_widget_get_display (GTK_WIDGET (parent))
                                                          : gdk_display_get_default ());
  /* Until the application icon is installed (data/icons), show the app's own symbol. */
  const char *icon = gtk_icon_theme_has_icon (theme, APPLICATION_ID) ? APPLICATION_ID
                                                                    : "hs-candles-symbolic";

  adw_show_about_window (parent,
                         "application-name", _("Hindsight"),
                         "application-icon", icon,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Hindsight developers"),
                         "developers", developers,
                         "comments", _("A time capsule for trading strategies: market data, "
                                       "signals, paper trades and backtests in one local file."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
hs_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { .name = "about", .activate = about_action_cb },
    { .name = "quit", .activate = quit_action_cb },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (hs_application_parent_class)->startup (app);

  hs_ui_init ();
  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
hs_application_class_init (HsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = hs_application_handle_local_options;
  app_class->command_line = hs_application_command_line;
  app_class->activate = hs_application_activate;
  app_class->startup = hs_application_startup;
}

static void
hs_application_init (HsApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Shows what market data a Hindsight database "
                                              "holds."));
}

/* Returns: (transfer full): the application */
HsApplication *
hs_application_new (void)
{
  /* The resource base path is derived from the id: /io/github/hindsight/Hindsight. */
  return g_object_new (HS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_SEND_ENVIRONMENT,
                       NULL);
}
