/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hindsight: the GTK 4 + libadwaita application. See hs-application.c.
 */
#define G_LOG_DOMAIN "hindsight"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hs-application.h"
#include "hs-http.h"
#include "hs-ui.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HsApplication) app = NULL;
  const char *localedir = g_getenv ("HINDSIGHT_LOCALEDIR");

  /* The whole locale: messages, and numbers and dates in the window (hs-locale-format.c).
   * Files the app writes stay C-locale by construction (docs/i18n.md). HINDSIGHT_LOCALEDIR
   * points an uninstalled build at its own translations (<build>/po). */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir
                                                                             : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("hindsight");
  g_set_application_name (_("Hindsight"));
  hs_http_global_init ();   /* before any thread starts */

  hs_ui_init ();
  /* The installed icon (data/icons), named like the application and its desktop file. */
  gtk_window_set_default_icon_name (APPLICATION_ID);
  app = hs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
