/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window remembers (docs/ui.md): its size, whether it was maximized, the page shown
 * last, the database opened last and the recent databases, in the GSettings schema
 * io.github.hindsight. When the schema is not installed (the binary run from a build folder
 * without GSETTINGS_SCHEMA_DIR=<build>/data), the window works and remembers nothing.
 */
#define G_LOG_DOMAIN "hs-settings"

#include "config.h"

#include "hs-settings.h"

/**
 * hs_settings_new:
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL when the schema is not installed
 *   (said once in the log)
 */
GSettings *
hs_settings_new (void)
{
  static gsize warned = 0;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, HS_SETTINGS_SCHEMA, TRUE);
  if (schema == NULL)
    {
      if (g_once_init_enter (&warned))
        {
          g_message ("the GSettings schema %s is not installed: window size, page and recent "
                     "databases are not remembered", HS_SETTINGS_SCHEMA);
          g_once_init_leave (&warned, 1);
        }
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/**
 * hs_recent_add:
 * @recent: (array zero-terminated=1) (nullable): the list, the most recent first
 * @path: the database opened now
 * @max: how many the list keeps
 *
 * Returns: (transfer full) (array zero-terminated=1): @path first, then the others of @recent
 *   in their order without @path, at most @max in all
 */
char **
hs_recent_add (const char *const *recent,
               const char        *path,
               int                max)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  int n = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (max > 0)
    {
      g_strv_builder_add (b, path);
      n++;
    }
  for (const char *const *p = recent; p != NULL && *p != NULL && n < max; p++)
    if (g_strcmp0 (*p, path) != 0)
      {
        g_strv_builder_add (b, *p);
        n++;
      }
  return g_strv_builder_end (b);
}

/* Returns: (transfer full) (array zero-terminated=1): @recent without @path */
char **
hs_recent_remove (const char *const *recent,
                  const char        *path)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  for (const char *const *p = recent; p != NULL && *p != NULL; p++)
    if (g_strcmp0 (*p, path) != 0)
      g_strv_builder_add (b, *p);
  return g_strv_builder_end (b);
}

/**
 * hs_settings_remember_database:
 * @settings: (nullable): the settings; nothing happens when %NULL
 * @path: a database the window opened
 *
 * Makes @path the last database and the first of the recent ones.
 */
void
hs_settings_remember_database (GSettings  *settings,
                               const char *path)
{
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) updated = NULL;

  if (settings == NULL)
    return;
  recent = g_settings_get_strv (settings, "recent-databases");
  updated = hs_recent_add ((const char *const *) recent, path, HS_RECENT_MAX);
  g_settings_set_strv (settings, "recent-databases", (const char *const *) updated);
  g_settings_set_string (settings, "last-database", path);
}

/**
 * hs_settings_forget_database:
 * @settings: (nullable): the settings; nothing happens when %NULL
 * @path: a database that is gone
 *
 * Takes @path out of the recent databases, and clears the last database when it was @path.
 */
void
hs_settings_forget_database (GSettings  *settings,
                             const char *path)
{
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) updated = NULL;
  g_autofree char *last = NULL;

  if (settings == NULL)
    return;
  recent = g_settings_get_strv (settings, "recent-databases");
  updated = hs_recent_remove ((const char *const *) recent, path);
  g_settings_set_strv (settings, "recent-databases", (const char *const *) updated);
  last = g_settings_get_string (settings, "last-database");
  if (g_strcmp0 (last, path) == 0)
    g_settings_set_string (settings, "last-database", "");
}
