/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GUI tests share: temporary databases in the case's isolated data folder, spinning
 * the main loop until a window has painted or loaded (never sleeping), screenshots of a widget
 * as it is on screen into $HS_SCREENSHOT_DIR, reading back the labels a widget shows, checking
 * that every control has a name, and the set-up every GUI test program starts with.
 */
#include "config.h"

#include "hs-test-ui.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "hs-settings.h"
#include "hs-time.h"
#include "hs-ui.h"

/* Returns: (transfer full): @name in ~/Trading of the case's own home folder, which
 *   G_TEST_OPTION_ISOLATE_DIRS makes per case and removes afterwards (so the window's subtitle
 *   reads ~/Trading in screenshots) */
char *
hs_test_temp_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), "Trading", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}


int64_t
hs_test_utc (int y, int m, int d, int hh, int mm)
{
  return (hs_time_days_from_civil (y, (unsigned) m, (unsigned) d) * 86400
          + hh * 3600 + mm * 60) * G_USEC_PER_SEC;
}


static void
count_paint_cb (GdkFrameClock *clock,
                int           *count)
{
  (*count)++;
}

/* Spins until @window has been laid out and painted @n more times, so that list items exist. */
void
hs_test_wait_for_frames (GtkWidget *window,
                 int        n)
{
  GdkFrameClock *clock = NULL;
  int count = 0;
  gulong id;

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint_cb), &count);
  while (count < n)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
}

/* Renders @widget as it is on screen into $HS_SCREENSHOT_DIR/@name, when that is set. */

void
hs_test_save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("HS_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL || dir[0] == '\0')
    return;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}


void
hs_test_collect_labels (GtkWidget *widget,
                GPtrArray *texts)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hs_test_collect_labels (child, texts);
}

GtkWidget *
hs_test_find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = hs_test_find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
hs_test_texts_contain (GPtrArray  *texts,
               const char *text)
{
  for (unsigned i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}


/* Every button a person can press, and the search entry, has a visible label or an accessible
 * name. (The toggle button inside a GtkMenuButton is named through the menu button.) */
void
hs_test_assert_controls_named (GtkWidget *widget,
                       unsigned  *n_checked)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  const char *label = NULL;
  gboolean control = FALSE;

  if (!gtk_widget_get_visible (widget))
    return;   /* e.g. the search bar's close button, which this app does not show */
  if (GTK_IS_MENU_BUTTON (widget))
    {
      label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      control = TRUE;
    }
  else if (GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (parent))
    {
      label = gtk_button_get_label (GTK_BUTTON (widget));   /* NULL for icon buttons */
      control = TRUE;
    }
  else if (GTK_IS_SEARCH_ENTRY (widget))
    control = TRUE;

  if (control)
    {
      if ((label == NULL || label[0] == '\0')
          && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("a %s (in a %s, icon %s) has neither a label nor an accessible name",
                 G_OBJECT_TYPE_NAME (widget), G_OBJECT_TYPE_NAME (parent),
                 GTK_IS_BUTTON (widget) ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : "-");
      (*n_checked)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    hs_test_assert_controls_named (child, n_checked);
}


/* The look the application gives itself: its style sheet and icons from the resource. */
static void
load_app_style (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/hindsight/Hindsight/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/io/github/hindsight/Hindsight/icons");
}

/* G_TEST_OPTION_ISOLATE_DIRS also replaces $XDG_DATA_DIRS, where the MIME database (which
 * gdk-pixbuf needs to load SVG icons), GSettings schemas (which libadwaita requires) and the
 * icon theme live. Point all three back at the system's folders; the user folders, where the
 * databases go, stay isolated. */
static void
use_system_data_dirs (char **system_dirs)
{
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) schema_dirs = g_string_new (NULL);

  for (char **dir = system_dirs; *dir != NULL; dir++)
    {
      g_autofree char *schemas = g_build_filename (*dir, "glib-2.0", "schemas", NULL);
      g_autofree char *mime = g_build_filename (*dir, "mime", NULL);

      if (g_file_test (schemas, G_FILE_TEST_IS_DIR))
        g_string_append_printf (schema_dirs, "%s%s",
                                schema_dirs->len ? G_SEARCHPATH_SEPARATOR_S : "", schemas);
      if (g_file_test (mime, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (mime_dirs, g_steal_pointer (&mime));
    }
  /* Hindsight's own schema, compiled in the build folder (tests/gui/meson.build). */
  if (g_getenv ("HS_TEST_SCHEMA_DIR") != NULL)
    g_string_append_printf (schema_dirs, "%s%s", schema_dirs->len ? G_SEARCHPATH_SEPARATOR_S : "",
                            g_getenv ("HS_TEST_SCHEMA_DIR"));
  g_ptr_array_add (mime_dirs, NULL);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dirs->str, TRUE);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
}

static void
use_system_icons (char **system_dirs)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  for (char **dir = system_dirs; *dir != NULL; dir++)
    {
      g_autofree char *icons = g_build_filename (*dir, "icons", NULL);

      if (g_file_test (icons, G_FILE_TEST_IS_DIR))
        gtk_icon_theme_add_search_path (theme, icons);
    }
}

/**
 * hs_test_ui_init:
 *
 * gtk_test_init() with G_TEST_OPTION_ISOLATE_DIRS, the en_US.UTF-8 locale, the system's MIME
 * database, icons and GSettings schemas (and Hindsight's, from $HS_TEST_SCHEMA_DIR), the app's
 * style sheet and icons, and no animations.
 */
void
hs_test_ui_init (int    *argc,
                 char ***argv)
{
  /* Read as g_get_system_data_dirs() would, without filling GLib's cache that
   * G_TEST_OPTION_ISOLATE_DIRS then replaces (and leaks). */
  const char *xdg_data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_auto(GStrv) system_dirs = g_strsplit (xdg_data_dirs != NULL && xdg_data_dirs[0] != '\0'
                                            ? xdg_data_dirs : "/usr/local/share/:/usr/share/",
                                          G_SEARCHPATH_SEPARATOR_S, 0);

  /* This is gtk_test_init() with G_TEST_OPTION_ISOLATE_DIRS: GTK 4.8's gtk_test_init() passes
   * no options to g_test_init() (its varargs are "currently unused"), and g_test_init() cannot
   * be called twice. Keep the two in step. */
  /* GTK's test accessibility backend: no AT-SPI bus needed, and accessible properties can be
   * checked with gtk_test_accessible_has_property(). tests/e2e/ covers the real bus. */
  g_setenv ("GTK_A11Y", "test", FALSE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "en_US.UTF-8");
  /* Dates as ISO 8601 whether or not en_US.UTF-8 is installed: the window writes a locale's
   * dates with %x (docs/i18n.md), which is 03/04/2024 in en_US; test-ui-i18n sets German. */
  setlocale (LC_TIME, "C");
  use_system_data_dirs (system_dirs);
  gtk_init ();
  adw_init ();
  use_system_icons (system_dirs);
  hs_ui_init ();
  load_app_style ();
  /* Screenshots and assertions must not catch a stack's crossfade halfway. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

}

/* Spins the main loop until @window's coverage job has answered. */
void
hs_test_wait_for_load (HsWindow *window)
{
  while (hs_window_get_loading (window))
    g_main_context_iteration (NULL, TRUE);
}

/* Puts every key of Hindsight's settings back to its default (the memory backend keeps them
 * from one case to the next). */
void
hs_test_reset_settings (void)
{
  g_autoptr(GSettings) settings = hs_settings_new ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_assert_nonnull (settings);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (char **k = keys; *k != NULL; k++)
    g_settings_reset (settings, *k);
}

/* Returns: (transfer none): a window on @path with the default settings, shown, once it has
 *   read the database */
HsWindow *
hs_test_open_window (const char *path)
{
  HsWindow *window = NULL;

  hs_test_reset_settings ();
  window = hs_window_new (NULL, path);

  gtk_window_present (GTK_WINDOW (window));
  hs_test_wait_for_load (window);
  return window;
}

/* Destroys @window and asserts nothing else holds it. */
void
hs_test_close_window (HsWindow *window)
{
  /* The reference hs_window_new() returned is the toplevel list's. */
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}
